"""How the engine grows: per-question time and index build time for the clinic's knowledge and for
synthetic knowledge bases of 1,000 and 10,000 passages, with ratios to the clinic's figures.

The synthetic passages are FAQ entries whose questions and answers are drawn from common English
words and the article's own vocabulary, so the vocabularies grow as a real clinic's would. They are
built in memory: this measures the index, not the disk.
"""

from __future__ import annotations

import dataclasses
import random
import time
from pathlib import Path

import numpy as np
from wordfreq import top_n_list

from bench.speed import timings
from bot.engine import Engine
from bot.evaluate import all_questions
from bot.knowledge import Passage, load_knowledge

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1_000, 10_000)


def synthetic(base, size: int, seed: int = 7):
    """The clinic's knowledge with ``size`` generated FAQ passages in place of its own."""
    rng = random.Random(seed)
    words = top_n_list("en", 20_000)[200:] + [w for p in base.passages for w in p.text.lower().split()]
    passages = []
    for i in range(size):
        question = " ".join(rng.choice(words) for _ in range(rng.randint(4, 9))) + "?"
        answer = " ".join(rng.choice(words) for _ in range(rng.randint(25, 60))) + "."
        alternates = tuple(" ".join(rng.choice(words) for _ in range(rng.randint(3, 7))) for _ in range(2))
        passages.append(Passage(id=f"faq/s{i}", kind="faq", text=answer, title="Synthetic", section=question,
                                article="", anchor="", url=None, questions=(question, *alternates)))
    return dataclasses.replace(base, passages=passages, articles={})


def measure(knowledge, questions: list[str], rounds: int) -> dict[str, float]:
    started = time.perf_counter()
    engine = Engine(knowledge)
    build = time.perf_counter() - started
    for q in questions[:10]:
        engine.reply(q)
    samples = timings(engine.reply, questions, rounds)
    return {"passages": len(knowledge.passages), "units": len(engine.index.units_), "build": build,
            "median": float(np.median(samples)), "p99": float(np.percentile(samples, 99))}


def main() -> None:
    base = load_knowledge(ROOT / "knowledge")
    questions = all_questions()
    rows = [("clinic", measure(base, questions, 3))]
    for size in SIZES:
        rows.append((f"synthetic {size:,}", measure(synthetic(base, size), questions[:150], 2)))
    clinic = rows[0][1]
    print("Engine scale: per-question time and index build time (ratios to the clinic's knowledge)")
    print(f"  {'knowledge':<18} {'passages':>8} {'units':>7} {'median':>9} {'p99':>9} {'x clinic':>9}"
          f" {'build':>9} {'build/passage':>14}")
    for name, m in rows:
        per_passage = m["build"] / m["passages"]
        print(f"  {name:<18} {m['passages']:>8,} {m['units']:>7,} {m['median'] * 1e3:>7.3f}ms {m['p99'] * 1e3:>7.3f}ms"
              f" {m['median'] / clinic['median']:>8.1f}x {m['build']:>8.2f}s {per_passage * 1e3:>11.3f}ms")
    small, large = rows[1][1], rows[2][1]
    growth = (large["build"] / large["passages"]) / (small["build"] / small["passages"])
    print(f"  build cost per passage, 10,000 vs 1,000: {growth:.2f}x (1.00x = linear; above ~1.3x = worse than linear)")


if __name__ == "__main__":
    main()
