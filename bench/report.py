"""The staff report on 90 days of a busy clinic: 50,000 logged questions, grouped and explained.

The log is made from every evaluation question of every corpus, answered by the first clinic's
engine (so questions about other clinics' articles are its gaps), asked with a long tail: a few
wordings often, most once or twice. The baseline in the same run is reading the rows and the
clinic's engine replying to each distinct wording once, which any report must at least do.
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bot.engine import Engine
from bot.evaluate import all_questions
from bot.report import review

ROOT = Path(__file__).resolve().parent.parent


def simulated_log(engine: Engine, rows: int = 50_000, seed: int = 7) -> list[dict]:
    """``rows`` logged questions, as the question log returns them."""
    rng = random.Random(seed)
    questions = all_questions()
    rng.shuffle(questions)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(questions))]
    replies = {q: engine.reply(q) for q in questions}
    start = datetime.now(timezone.utc) - timedelta(days=90)
    asked = rng.choices(questions, weights, k=rows)
    return [{"message": q, "reply_type": replies[q].type, "matched": replies[q].matched,
             "reason": replies[q].reason, "confidence": replies[q].confidence,
             "helpful": False if rng.random() < 0.02 else None,
             "asked_at": start + timedelta(seconds=i * 90 * 86400 / rows)} for i, q in enumerate(asked)]


def main(rows: int = 50_000) -> None:
    engine = Engine.from_folder(ROOT / "knowledge")
    log = simulated_log(engine, rows)
    distinct = list(dict.fromkeys(r["message"] for r in log))
    started = time.perf_counter()
    for question in distinct:
        engine.reply(question)
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    groups = review(log, engine)
    took = time.perf_counter() - started
    print(f"report on {rows:,} logged questions ({len(distinct):,} distinct wordings): {took:.2f} s; "
          f"{len(groups):,} groups ({sum(g.kind == 'gap' for g in groups):,} gaps, "
          f"{sum(g.kind == 'designed' for g in groups):,} designed hand-offs, "
          f"{sum(g.answered_now is not None for g in groups):,} answered since)")
    print(f"  baseline (each distinct wording replied to once): {baseline:.2f} s; ratio {took / baseline:.2f}x")


if __name__ == "__main__":
    main()
