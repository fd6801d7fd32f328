"""The decision: answer from the closest passage, or hand off.

A wrong medical answer is worse than none, so the bot answers only when two things hold:
- the passage is close to the question (its blended score is above the folder's calibrated floor),
- and the passage *covers* the question: the words that carry the question's information (rare words
  more than common ones) are in it. "How much does shockwave cost?" is close to every shockwave
  section, but "cost" is in none of them, so it is handed off.
A rare word of the story told before the question that the knowledge never uses ("I have a
pacemaker.") is a gap too. Otherwise a hand-off topic that the question is close to chooses the
hand-off's words (prices, hours); content the clinic wrote wins over a topic that covers less.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .index import Scores
from .reading import Reading
from .text import information, stem

if TYPE_CHECKING:
    from .engine import Engine

# A word of the story this rare in English (Zipf 3: "pacemaker", "sciatica") that the knowledge never
# uses is something the articles cannot speak to.
RARE = COMMON_ENOUGH = 4.0


@dataclass
class Decision:
    reading: Reading
    answers: bool
    score: float
    reason: str
    target: str | None = None  # the passage that answers
    topic: str | None = None  # the hand-off topic whose words the hand-off uses
    second: str | None = None  # another FAQ entry nearly as close, answered too
    others: list[str] = field(default_factory=list)  # other close passages, best first
    coverage: float = 0.0


def coverage(engine: Engine, reading: Reading, target: str) -> tuple[float, list[str]]:
    """The share of the asking words' information that a target's text has, and the words it lacks.

    A visitor's word counts as present when its stem is in the target, or when one of the clinic's
    words it stands for is ("ouch" for "pain").
    """
    terms = engine.target_terms.get(target, frozenset())
    asked = reading.asking
    meant: dict[int, tuple[str, ...]] = {}
    for start, end, clinic in engine.synonyms.expand(asked):
        for i in range(start, end):
            meant[i] = clinic
    total = have = 0.0
    missing = []
    for i, word in enumerate(asked):
        weight = information(word)
        if not weight:
            continue
        total += weight
        if stem(word) in terms or any(t in terms for t in meant.get(i, ())):
            have += weight
        else:
            missing.append(word)
    return (have / total if total else 1.0), missing


def story_gaps(engine: Engine, reading: Reading) -> list[str]:
    """Rare words of the story before the question that the knowledge never uses."""
    return [w for w in reading.context if information(w) >= RARE and not engine.reader.knows(w)
            and not engine.synonyms.expand([w])]


def decide(engine: Engine, reading: Reading, scores: Scores) -> Decision:
    floor = engine.calibration
    ranked = scores.best(limit=10)
    content = [(t, s) for t, s in ranked if t in engine.passages]
    topics = [(t, s) for t, s in ranked if t in engine.topics]
    others = [t for t, _ in content[1:]]
    best, score = content[0] if content else (None, 0.0)
    topic, topic_score = topics[0] if topics else (None, 0.0)
    covered, missing = coverage(engine, reading, best) if best else (0.0, [])
    gaps = story_gaps(engine, reading)
    if best and score >= floor.answer and covered >= floor.coverage and not gaps:
        if topic and topic_score > score and coverage(engine, reading, topic)[0] > covered:
            return Decision(reading, False, topic_score, f"closer to the hand-off topic '{topic[8:]}'",
                            topic=topic, others=[t for t, _ in content])
        second = next((t for t, s in content[1:2] if engine.passages[t].kind == "faq"
                       and s >= engine.settings.second_answer_ratio * score
                       and coverage(engine, reading, t)[0] >= floor.coverage), None)
        return Decision(reading, True, score, "close match", target=best, second=second, others=others,
                        coverage=covered)
    if topic and topic_score >= floor.topic:
        return Decision(reading, False, topic_score, f"a topic the articles do not cover ({topic[8:]})",
                        topic=topic, others=[t for t, _ in content], coverage=covered)
    if gaps or (best and score >= floor.answer):
        lacking = gaps or missing
        reason = f"the articles never mention {', '.join(lacking[:3])}" if lacking else "not close enough"
    else:
        reason = "nothing in the articles is close to it"
    return Decision(reading, False, score, reason, others=[t for t, _ in content], coverage=covered)
