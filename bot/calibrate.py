"""Thresholds for one knowledge folder, measured on the folder itself when its index is built.

How close a question must come to a passage before the bot answers depends on the folder: on how
many passages it has, how long they are, which words they share. So the floor is not a constant:
a bank of questions no clinic's articles answer (``bot/defaults/calibration.yml``: off-topic
questions and vague ones made only of everyday words) is asked of the folder, and the bot answers
only questions that come closer than nearly all of them did. The same is done for the hand-off
topics. The calibration is computed once, when an index is built or published, and travels in the
published artifact, so a worker never recomputes it.

What is not calibrated is a share, the same on every folder: how much of a question's information
a passage must hold, and how telling a missing word must be to make a gap.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import yaml

from .decide import fit

if TYPE_CHECKING:
    from .engine import Engine

BANK = Path(__file__).with_name("defaults") / "calibration.yml"
# The share of the bank that may come as close as an answer must: the floor is this quantile.
NOISE_QUANTILE = 0.8


@dataclass(frozen=True)
class Calibration:
    matched: float = 0.5  # information a passage must share with a question to answer it (calibrated per folder)
    topic: float = 0.1  # blended score a hand-off topic needs to choose the hand-off's words (calibrated)
    coverage: float = 0.55  # share of the question's information the passage must hold
    gap: float = 2.0  # a word this telling that the passage lacks means it cannot answer
    clinical_gap: float = 0.8  # ...and a clinical word this telling

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Calibration":
        return cls(**{k: float(v) for k, v in data.items() if k in cls.__dataclass_fields__})


@lru_cache(maxsize=1)
def bank() -> tuple[str, ...]:
    data = yaml.safe_load(BANK.read_text(encoding="utf-8"))
    return tuple(q for questions in data.values() for q in questions)


def calibrate(engine: Engine) -> Calibration:
    """The floors of ``engine``'s folder: above what unanswerable questions reach.

    Most of the bank fails the word checks anyway (no passage has "homework"); the floor of matched
    information is set by those that pass them, whose words are mostly common ("is it worth it?").
    The topic floor is set by the whole bank.
    """
    default = Calibration()
    passing, topics = [], []
    for question in bank():
        reading = engine.reader.read(question)
        scores = engine.search(reading)
        best = scores.best(limit=1, among=engine.passage_positions)
        topic = scores.best(limit=1, among=engine.topic_positions)
        topics.append(topic[0][1] if topic else 0.0)
        if best and (fitted := fit(engine, reading, best[0][0], default)).coverage >= default.coverage \
                and not fitted.gaps:
            passing.append(fitted.matched)
    matched = float(np.quantile(passing, NOISE_QUANTILE)) if passing else default.matched
    return Calibration(matched=round(max(matched, default.matched), 4),
                       topic=round(float(np.quantile(topics, NOISE_QUANTILE)), 4))
