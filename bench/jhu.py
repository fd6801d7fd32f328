"""The engine, unchanged, on real people's questions nobody here wrote: the JHU COVID-19 FAQ set.

The 68 FAQ entries become a knowledge folder (one FAQ file each, plus the clinic's emergency and
small-talk files); the 1,073 user questions are asked against it. Prints precision at 1, MRR and
MAP beside BM25 and plain TF-IDF computed in the same run, and the published BM25 MAP (0.742).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import yaml

from bench.baselines import BM25, PlainTfidf
from bot.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "jhu-covidfaq" / "query_answer_pairs.json"
PUBLISHED_BM25_MAP = 0.742


def load(path: Path = DATA) -> tuple[list[dict], dict[str, set[int]]]:
    """FAQ entries, and for each distinct user question the indexes of the FAQs that answer it."""
    records = json.loads(path.read_text(encoding="utf-8"))
    faqs = [r for r in records if r["query_type"] == "faq"]
    by_answer = defaultdict(set)
    for i, faq in enumerate(faqs):
        by_answer[faq["answer"].strip()].add(i)
    relevant: dict[str, set[int]] = defaultdict(set)
    for r in records:
        if r["query_type"] == "user_query" and r["question"].strip():
            relevant[r["question"].strip()] |= by_answer.get(r["answer"].strip(), set())
    return faqs, {q: ids for q, ids in relevant.items() if ids}


def knowledge_folder(faqs: list[dict], folder: Path) -> Path:
    """The FAQ bank as a knowledge folder the engine loads like any clinic's."""
    (folder / "faq").mkdir(parents=True)
    (folder / "clinic.yml").write_text("name: JHU COVID-19 FAQ (benchmark)\nphone: 000-000-0000\n"
                                       "email: benchmark@example.org\n", encoding="utf-8")
    for name in ("emergency.yml", "smalltalk.yml"):
        shutil.copy(ROOT / "knowledge" / name, folder / name)
    for i, faq in enumerate(faqs):
        meta = yaml.safe_dump({"question": faq["question"].strip()}, allow_unicode=True)
        body = faq["answer"].replace("[[", "").replace("]]", "").strip()
        (folder / "faq" / f"{i:03d}.md").write_text(f"---\n{meta}---\n\n{body}\n", encoding="utf-8")
    return folder


def metrics(rankings: list[list[int]], relevant: list[set[int]]) -> dict[str, float]:
    """Precision at 1, mean reciprocal rank and mean average precision over the queries."""
    p1, rr, ap = [], [], []
    for ranking, good in zip(rankings, relevant):
        hits = [rank for rank, doc in enumerate(ranking, start=1) if doc in good]
        p1.append(1.0 if hits and hits[0] == 1 else 0.0)
        rr.append(1.0 / hits[0] if hits else 0.0)
        ap.append(np.mean([(k + 1) / rank for k, rank in enumerate(hits)]) if hits else 0.0)
    return {"P@1": float(np.mean(p1)), "MRR": float(np.mean(rr)), "MAP": float(np.mean(ap))}


def baseline_rankings(model, questions: list[str]) -> list[list[int]]:
    return [list(np.argsort(-model.scores(q), kind="stable")) for q in questions]


def run() -> dict[str, dict[str, float]]:
    faqs, relevant = load()
    questions = list(relevant)
    good = [relevant[q] for q in questions]
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine.from_folder(knowledge_folder(faqs, Path(tmp) / "knowledge"))
    position = {f"faq/{i:03d}": i for i in range(len(faqs))}
    engine_rankings = [[position[pid] for pid, _ in engine.rank(q)] for q in questions]
    replies = [engine.ask(q) for q in questions]
    answered = [i for i, r in enumerate(replies) if r.type == "answer"]
    results = {
        "engine": metrics(engine_rankings, good),
        "BM25 (question vs FAQ questions)": metrics(
            baseline_rankings(BM25([f["question"] for f in faqs]), questions), good),
        "BM25 (question vs question+answer)": metrics(
            baseline_rankings(BM25([f["question"] + " " + f["answer"] for f in faqs]), questions), good),
        "plain TF-IDF (question vs FAQ questions)": metrics(
            baseline_rankings(PlainTfidf([f["question"] for f in faqs]), questions), good),
    }
    top1_right = [engine_rankings[i][0] in good[i] for i in answered]
    results["engine replies"] = {
        "answered": len(answered) / len(questions),
        "handed off": sum(r.type == "handoff" for r in replies) / len(questions),
        "emergency": sum(r.type == "emergency" for r in replies) / len(questions),
        "smalltalk": sum(r.type == "smalltalk" for r in replies) / len(questions),
        "P@1 when answering": float(np.mean(top1_right)) if top1_right else 0.0,
    }
    return results, len(questions), len(faqs)


def main() -> None:
    results, n_questions, n_faqs = run()
    print(f"JHU COVID-19 FAQ: {n_questions} user questions, {n_faqs} FAQ entries")
    base = results["BM25 (question vs FAQ questions)"]["MAP"]
    print(f"  {'system':<42} {'P@1':>6} {'MRR':>6} {'MAP':>6} {'MAP/BM25':>9}")
    for name, m in results.items():
        if name == "engine replies":
            continue
        print(f"  {name:<42} {m['P@1']:>6.3f} {m['MRR']:>6.3f} {m['MAP']:>6.3f} {m['MAP'] / base:>8.2f}x")
    print(f"  {'published BM25 (Elasticsearch, q-q)':<42} {'':>6} {'':>6} {PUBLISHED_BM25_MAP:>6.3f}"
          f" {PUBLISHED_BM25_MAP / base:>8.2f}x")
    replies = results["engine replies"]
    print("  engine replies: " + ", ".join(f"{k} {v:.1%}" for k, v in replies.items()))


if __name__ == "__main__":
    main()
