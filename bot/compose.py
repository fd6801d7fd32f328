"""Composing an answer: the sentences of a section that answer the question, not the whole section.

A section is cut into *blocks*: a sentence of a paragraph, or a list with the sentence that
introduces it ("Symptoms include:" and its items), since an item alone rarely reads as an answer.
Each block is scored by the question's words it has, weighted as the search weighs them and again
by how few of the section's blocks have them: in a section about electrical stimulation, every
sentence says "stimulation", and only one says "treatment time". A question that asks how long,
how much, how many, how often or who prefers a block that says a duration, an amount of money, a
number or a person. The best
blocks are kept in the section's order; when none says more than the heading did ("Symptoms" asked
as "what are the symptoms?"), the section's opening answers, which is what its heading promised.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from .text import sentences

BULLET = "- "
_NUMBER = r"\b(\d+|a few|few|several|a couple of|one|two|three|four|five|six|seven|eight|nine|ten|twelve)"
_DURATION = re.compile(_NUMBER + r"\b[\w\s-]{0,25}?\b(seconds?|minutes?|hours?|days?|weeks?|months?|years?|sessions?)\b"
                       r"|\b(immediately|right away|straight away|overnight|within)\b", re.I)
_MONEY = re.compile(r"\$\s?\d|\b\d+ (dollars?|cents?)\b|\b(free|no (cost|charge|fee))\b", re.I)
_COUNT = re.compile(_NUMBER + r"\b|\b(once|twice|times|daily|weekly|every)\b", re.I)
_PERSON = re.compile(r"\b(physio\w*|therapists?|podiatrists?|chiropodists?|doctors?|surgeons?|clinicians?|"
                     r"practitioners?|specialists?|nurses?|staff|team|we|our)\b", re.I)
# What kind of answer a question asks for, by how it starts ("how long ...?" wants a duration).
ANSWER_KINDS = (
    (re.compile(r"\b(how long|how much time|how soon|how quickly|how fast|when will|when can|when should|"
                r"how many (days|weeks|months|years|hours|minutes))\b"), _DURATION),
    (re.compile(r"\bhow much (is|are|for|per)\b|\bhow much\b.*\b(cost|costs|charge|charged|pay)\b"), _MONEY),
    (re.compile(r"\b(how many|how often)\b"), _COUNT),
    (re.compile(r"\bwho\b"), _PERSON),
)
KIND_BONUS = 2.0  # a block that says the kind of thing asked for counts this much more
# A sentence that opens by pointing back ("This test may provoke...", "It is not painful") is about
# what the sentence before it named: it is read, and answered, with that sentence.
_POINTS_BACK = re.compile(r"^(this|that|these|those|it|its|they|their|such|he|she|both|the latter)\b", re.I)


def blocks(text: str) -> list[str]:
    """A section's text as answerable blocks (see the module's docstring)."""
    out: list[str] = []
    items: list[str] = []
    for line in text.split("\n"):
        if line.startswith(BULLET):
            items.append(line)
            continue
        if items:
            _close_list(out, items)
            items = []
        out.extend(sentences(line))
    if items:
        _close_list(out, items)
    return out


def _close_list(out: list[str], items: list[str]) -> None:
    """A list joins the sentence introducing it ("...include:"), else stands as a block of its own."""
    listed = "\n".join(items)
    if out and out[-1].rstrip().endswith(":"):
        out[-1] = out[-1] + "\n" + listed
    else:
        out.append(listed)


def expected_kind(question: str) -> re.Pattern | None:
    """The pattern of what a question asks for (a duration, a number, a person), if it says."""
    said = question.lower()
    return next((kind for asks, kind in ANSWER_KINDS if asks.search(said)), None)


def best_blocks(text: str, concepts: list[tuple[float, str, frozenset[str]]], synonym_weight: float,
                terms_of: Callable[[str], set[str]], question: str, keep: int) -> str:
    """The ``keep`` blocks of a section that answer the question best, in the section's order.

    ``concepts`` are the question's (weight, stem, the clinic's stems for it): a block has a concept
    when it has the stem, or (at ``synonym_weight``) one of the others. A block under half the best
    one's score is left out. When no block has any of the question's words, the section's opening
    answers.
    """
    parts = blocks(text)
    if len(parts) <= 1:
        return text
    leans = [i > 0 and bool(_POINTS_BACK.match(part)) and "\n" not in parts[i - 1] for i, part in enumerate(parts)]
    found = [terms_of(part) for part in parts]
    # What a pointing-back sentence is about, from the sentence it points to (counted at half).
    about = [found[i - 1] - found[i] if leans[i] else set() for i in range(len(parts))]
    total = sum(weight for weight, _, _ in concepts) or 1.0
    kind = expected_kind(question)
    scores = []
    for part, terms, context in zip(parts, found, about):
        score = 0.0
        for weight, term, others in concepts:
            share = 1.0 if term in terms else synonym_weight if others & terms else 0.5 if term in context else 0.0
            if share:
                having = sum(term in other or bool(others & other) for other in found) or 1
                score += share * weight * math.log(len(parts) / having) / math.log(len(parts))
        if kind is not None and kind.search(part):
            score *= KIND_BONUS
        scores.append(score / total)
    top = max(scores)
    if not top:
        chosen = list(range(min(keep, len(parts))))
    else:
        ranked = sorted(range(len(parts)), key=lambda i: -scores[i])
        saying = [i for i in ranked if scores[i] > 0 and kind is not None and kind.search(parts[i])]
        if saying:  # "How long does that last?": the best block that says a duration comes first
            ranked = [saying[0]] + [i for i in ranked if i != saying[0]]
        chosen = {i for i in ranked[:keep] if scores[i] >= 0.5 * top or i == ranked[0]}
        for i in sorted(chosen, reverse=True):  # a sentence that points back comes with what it points to
            while leans[i]:
                chosen.add(i - 1)
                i -= 1
        chosen = sorted(chosen)
    return "\n".join(parts[i] for i in chosen)
