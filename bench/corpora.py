"""Every evaluation corpus, the engine beside plain BM25 and TF-IDF over the same paragraphs.

The peers always answer with their top paragraph (a paragraph of an article section, or an FAQ
entry's answer), so they are scored on the questions that have an answer: whether that paragraph
holds the facts. The engine is scored on those and on everything else (hand-offs, emergencies...).

    .venv/bin/python -m bench.corpora
"""

from __future__ import annotations

import re

import numpy as np
from rank_bm25 import BM25Okapi
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.engine import Engine
from bot.evaluate import SPLITS, Case, corpora, evaluate


def paragraphs(engine: Engine) -> list[str]:
    return [para for p in engine.knowledge.passages for para in p.text.split("\n\n" if p.kind == "faq" else "\n")
            if para.strip()]


def holds(case: Case, text: str) -> bool:
    text = text.lower()
    return all(p.lower() in text for p in case.contains) and (
        not case.contains_any or any(p.lower() in text for p in case.contains_any))


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def main() -> None:
    print("Per corpus and split: engine correct (all questions), and on answerable questions the share whose "
          "reply holds the facts: engine, rank_bm25 and TF-IDF top paragraph (in the same run)")
    print(f"  {'corpus':<20} {'split':<8} {'engine all':>11} {'engine':>8} {'BM25':>7} {'TF-IDF':>7}")
    for corpus in corpora():
        engine = Engine(corpus.load())
        texts = paragraphs(engine)
        okapi = BM25Okapi([_tokens(t) for t in texts])
        vectorizer = TfidfVectorizer()
        matrix = vectorizer.fit_transform(texts)
        for split in SPLITS:
            cases = corpus.cases(split)
            report = evaluate(engine, cases, corpus.name, split)
            answerable = [r for r in report.results if r.case.expect == "answer"]
            questions = [(r.case.after + " " if r.case.after else "") + r.case.question for r in answerable]
            bm25 = [holds(r.case, texts[int(np.argmax(okapi.get_scores(_tokens(q))))])
                    for r, q in zip(answerable, questions)]
            tfidf = [holds(r.case, texts[int(np.argmax((vectorizer.transform([q]) @ matrix.T).toarray()))])
                     for r, q in zip(answerable, questions)]
            share = lambda flags: f"{np.mean(flags):.0%}" if flags else "-"  # noqa: E731
            print(f"  {corpus.name:<20} {split:<8} {report.score:>11.1%} {share([r.correct for r in answerable]):>8}"
                  f" {share(bm25):>7} {share(tfidf):>7}")


if __name__ == "__main__":
    main()
