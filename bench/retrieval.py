"""Retrieval on real people's questions nobody here wrote: the JHU COVID-19 FAQ and StackFAQ.

Each FAQ bank becomes a knowledge folder (one FAQ file per entry, nothing else: the engine's
defaults do the rest) and its user questions are asked against it. Printed beside the engine, in
the same run: ``rank_bm25`` and ``bm25s`` with their default tokenization (the strong peers the
datasets' README names) and scikit-learn's TF-IDF written the idiomatic way (``TfidfVectorizer()``
and cosine similarity), each over the FAQ questions and over questions with answers.

    .venv/bin/python -m bench.retrieval
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from pathlib import Path

import bm25s
import numpy as np
import yaml
from rank_bm25 import BM25Okapi
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets"
# Published figures (ML-Recipes/BERT-FAQ; the datasets' README): MAP of BM25 and of a BERT
# trained on each FAQ alone.
PUBLISHED = {"jhu": {"BM25 (Elasticsearch, q-q)": 0.742, "supervised BERT": 0.795},
             "stackfaq": {"BM25 (q+a)": 0.637, "supervised BERT": 0.778}}


def jhu() -> tuple[list[tuple[str, str]], list[str], list[set[int]]]:
    """(FAQ entries as (question, answer), user questions, the entries answering each)."""
    records = json.loads((DATA / "jhu-covidfaq" / "query_answer_pairs.json").read_text(encoding="utf-8"))
    faqs = [r for r in records if r["query_type"] == "faq"]
    by_answer = defaultdict(set)
    for i, faq in enumerate(faqs):
        by_answer[faq["answer"].strip()].add(i)
    relevant: dict[str, set[int]] = defaultdict(set)
    for r in records:
        if r["query_type"] == "user_query" and r["question"].strip():
            relevant[r["question"].strip()] |= by_answer.get(r["answer"].strip(), set())
    relevant = {q: ids for q, ids in relevant.items() if ids}
    entries = [(f["question"].strip(), f["answer"].replace("[[", "").replace("]]", "").strip()) for f in faqs]
    return entries, list(relevant), list(relevant.values())


def stackfaq() -> tuple[list[tuple[str, str]], list[str], list[set[int]]]:
    threads = json.loads((DATA / "stackfaq" / "stackExchange-FAQ.json").read_text(encoding="utf-8"))["root"]["qapair"]
    entries, questions, relevant = [], [], []
    for i, thread in enumerate(threads):
        answer = thread["answer"]
        entries.append((thread["question"].strip(), " ".join(answer) if isinstance(answer, list) else answer))
        for rephrasing in thread.get("rephr") or []:
            if isinstance(rephrasing, str) and rephrasing.strip() not in ("", "*"):
                questions.append(rephrasing.strip())
                relevant.append({i})
    return entries, questions, relevant


DATASETS = {"jhu": jhu, "stackfaq": stackfaq}


def knowledge_folder(entries: list[tuple[str, str]], folder: Path) -> Path:
    """An FAQ bank as a knowledge folder the engine loads like any clinic's."""
    (folder / "faq").mkdir(parents=True)
    (folder / "clinic.yml").write_text("name: Benchmark FAQ\nphone: 000-000-0000\nemail: bench@example.org\n",
                                       encoding="utf-8")
    for i, (question, answer) in enumerate(entries):
        meta = yaml.safe_dump({"question": question}, allow_unicode=True)
        (folder / "faq" / f"{i:03d}.md").write_text(f"---\n{meta}---\n\n{answer}\n", encoding="utf-8")
    return folder


def metrics(rankings: list[list[int]], relevant: list[set[int]]) -> dict[str, float]:
    """Precision at 1 and mean average precision over the questions."""
    p1, ap = [], []
    for ranking, good in zip(rankings, relevant):
        hits = [rank for rank, doc in enumerate(ranking, start=1) if doc in good]
        p1.append(1.0 if hits and hits[0] == 1 else 0.0)
        ap.append(float(np.mean([(k + 1) / rank for k, rank in enumerate(hits)])) if hits else 0.0)
    return {"P@1": float(np.mean(p1)), "MAP": float(np.mean(ap))}


def _tokens(text: str) -> list[str]:
    """rank_bm25's usual tokenization: lower case, letters and digits."""
    return re.findall(r"[a-z0-9]+", text.lower())


def peers(texts: list[str], questions: list[str]) -> dict[str, list[list[int]]]:
    """Rankings by the real libraries, each with its defaults, over ``texts``."""
    okapi = BM25Okapi([_tokens(t) for t in texts])
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(texts, show_progress=False), show_progress=False)
    documents, _ = retriever.retrieve(bm25s.tokenize(questions, show_progress=False), k=len(texts),
                                      show_progress=False)
    vectorizer = TfidfVectorizer()
    matrix = vectorizer.fit_transform(texts)
    similarity = (vectorizer.transform(questions) @ matrix.T).toarray()
    return {"rank_bm25": [list(np.argsort(-okapi.get_scores(_tokens(q)), kind="stable")) for q in questions],
            "bm25s": [list(row) for row in documents],
            "TF-IDF": [list(np.argsort(-row, kind="stable")) for row in similarity]}


def run(name: str) -> tuple[dict[str, dict[str, float]], dict[str, float], int, int]:
    entries, questions, relevant = DATASETS[name]()
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine.from_folder(knowledge_folder(entries, Path(tmp) / "knowledge"))
    position = {f"faq/{i:03d}": i for i in range(len(entries))}
    results = {"engine": metrics([[position[t] for t, _ in engine.rank(q)] for q in questions], relevant)}
    for field, texts in (("q", [q for q, _ in entries]), ("q+a", [f"{q} {a}" for q, a in entries])):
        for peer, rankings in peers(texts, questions).items():
            results[f"{peer} ({field})"] = metrics(rankings, relevant)
    replies = [engine.reply(q) for q in questions]
    kinds = {kind: sum(r.type == kind for r in replies) / len(replies) for kind in ("answer", "handoff", "clarify")}
    return results, kinds, len(questions), len(entries)


def main() -> None:
    for name in DATASETS:
        results, kinds, n_questions, n_entries = run(name)
        base = results["rank_bm25 (q)"]["MAP"]
        print(f"{name}: {n_questions} user questions, {n_entries} FAQ entries (MAP ratio to rank_bm25 on questions)")
        print(f"  {'system':<22} {'P@1':>6} {'MAP':>6} {'ratio':>7}")
        for system, m in results.items():
            print(f"  {system:<22} {m['P@1']:>6.3f} {m['MAP']:>6.3f} {m['MAP'] / base:>6.2f}x")
        for system, value in PUBLISHED[name].items():
            print(f"  {'published ' + system:<29} {value:>6.3f} {value / base:>6.2f}x")
        print("  engine replies: " + ", ".join(f"{k} {v:.0%}" for k, v in kinds.items()))


if __name__ == "__main__":
    main()
