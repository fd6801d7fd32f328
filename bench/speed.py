"""Engine time per question (median and p99) beside plain TF-IDF and BM25 in the same run.

The baselines only rank passages; the engine also checks for emergencies, small talk, typos and
gaps and picks sentences, so the ratio is the price of those safety checks.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi

from bench.baselines import BM25, PlainTfidf
from bot import text
from bot.engine import Engine
from bot.evaluate import all_questions

ROOT = Path(__file__).resolve().parent.parent


def timings(ask, questions: list[str], rounds: int) -> np.ndarray:
    """Seconds per call, every question asked ``rounds`` times, interleaved to share the noise."""
    samples = []
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            ask(question)
            samples.append(time.perf_counter() - started)
    return np.array(samples)


def new_message(reply):
    """``reply`` as for a message never seen: the word splitter's cache only helps within one reply
    (which reads the message more than once), not across rounds."""
    def ask(question: str):
        text._words.cache_clear()
        return reply(question)
    return ask


def main(rounds: int = 5) -> None:
    engine = Engine.from_folder(ROOT / "knowledge")
    texts = [p.text for p in engine.knowledge.passages]
    tfidf, bm25 = PlainTfidf(texts), BM25(texts)
    okapi = BM25Okapi([re.findall(r"[a-z0-9]+", t.lower()) for t in texts])
    questions = all_questions()
    for q in questions[:20]:  # warm the stemmer's cache the way a running worker has it
        engine.reply(q)
    results = {
        "plain TF-IDF (baseline)": timings(lambda q: np.argmax(tfidf.scores(q)), questions, rounds),
        "BM25": timings(lambda q: np.argmax(bm25.scores(q)), questions, rounds),
        "rank_bm25 (defaults)": timings(lambda q: np.argmax(okapi.get_scores(re.findall(r"[a-z0-9]+", q.lower()))),
                                        questions, rounds),
        "engine.reply (uncached)": timings(new_message(engine.reply), questions, rounds),
        # Well under what the cache holds: asking more questions than it keeps, in a cycle, evicts each
        # one before it comes round again, and nothing would be measured but misses.
        "engine.ask (reply cache)": timings(engine.ask, questions[: engine.settings.cache_size // 2], rounds),
    }
    base = np.median(results["plain TF-IDF (baseline)"])
    print(f"Engine time per question, clinic knowledge ({len(engine.passages)} passages, "
          f"{len(engine.index.units_)} units), {len(questions)} questions x {rounds}")
    print(f"  {'':<26} {'median':>9} {'p99':>9} {'median/baseline':>16}")
    for name, s in results.items():
        print(f"  {name:<26} {np.median(s) * 1e3:>7.3f}ms {np.percentile(s, 99) * 1e3:>7.3f}ms"
              f" {np.median(s) / base:>15.2f}x")


if __name__ == "__main__":
    main()
