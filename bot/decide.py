"""The decision: answer from the closest passage, or hand off.

A wrong medical answer is worse than none, so the bot answers only when all of this holds:
- the passage is close to the question (its blended score is above the folder's calibrated floor);
- the passage *covers* the question: most of the information of the words that ask (rare words
  count more than common ones) is in it, or in the clinic's words for them;
- a question asking how long, how many, how often or who gets an answer that says a duration, a
  number or a person ("how many sessions will I need?" is not answered by a passage with no number);
- no word that asks is a *gap*: a clinical word ("hip", "cortisone": ``text.is_clinical``) or a
  word rare enough to name something of its own that the passage never uses, or a word of a
  hand-off topic ("cost", "insurance") that the clinic's content never uses. A clinical word of
  the story told before the question that the knowledge never uses ("I have a pacemaker. Can I
  have it?") is a gap too; a job or a sport is only the story ("I'm a hairdresser.").
Content the clinic wrote wins over a hand-off topic: once an article says what a session costs,
"cost" is no topic word any more. A hand-off topic wins over content only when its examples come
closer to the question than the passage does and the passage shares no word with the question
that the topic lacks: "what's your address?" is the location topic's question even though an
article "addresses the root cause", while "what should I wear to my vertigo assessment?" is the
vertigo article's, whatever a clothing example says. When the bot hands off, the topic whose words the question used
(or whose examples it is closest to) chooses the hand-off's wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .compose import expected_kind
from .index import Scores
from .reading import Reading
from .text import is_clinical, stem, stems

if TYPE_CHECKING:
    from .engine import Engine

# A word of the knowledge at least this telling ("orthotics", "tape", not "tonight") shows that a
# message is about what the clinic writes about.
ANCHOR = 1.5
# ...or a less telling word that several of its passages use ("session", "treatment", "relief").
COMMON_ANCHOR, SEVERAL = 0.8, 3
# How many of the closest passages are reordered by their coverage, and how much it counts.
RERANKED, COVERAGE_SHARE = 5, 0.6
# A word at least this telling (not "how", "do") is one a passage or a hand-off topic can own.
TOPIC_WORD = 0.5


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


@dataclass
class Fit:
    """How well one target's words fit the words that ask."""

    coverage: float  # share of the message's information the target has
    gaps: list[str]  # asking words the target lacks that name something of their own
    matched: float = 0.0  # how much information the target has (vague questions match little)


def fits(engine: Engine, reading: Reading, target: str, floor) -> bool:
    """Whether a target's words fit the message well enough to answer it, whatever its score."""
    return covers(fit(engine, reading, target, floor), floor) and not story_gaps(engine, reading, floor)


def covers(fitted: Fit, floor) -> bool:
    """Whether a target covers enough of a message, shares enough with it, and misses none of its words."""
    return fitted.coverage >= floor.coverage and fitted.matched >= floor.matched and not fitted.gaps


@dataclass(frozen=True)
class Word:
    """One word of a message as coverage weighs it (the same for every target: worked out once)."""

    surface: str
    term: str  # its stem
    weight: float  # what it tells, less for a word of the story
    asks: bool  # in the part that asks
    alternatives: tuple[str, ...]  # the clinic's stems for it
    clinical: bool


def weighed(engine: Engine, reading: Reading) -> list[Word]:
    """The message's words that count for coverage. The story's job, sport or family ("I'm a
    hairdresser") says nothing the clinic could answer and is left out."""
    if reading.weighed is not None:
        return reading.weighed
    asked = {stem(w) for w in reading.asking}
    meant: dict[int, tuple[str, ...]] = {}
    for start, end, clinic in engine.synonyms.expand(reading.words):
        for i in range(start, end):
            meant[i] = clinic
    out = []
    for i, word in enumerate(reading.words):
        term, clinical = stem(word), is_clinical(word)
        if term not in asked and not (clinical or engine.reader.knows(word)):
            continue
        weight = engine.telling(word) * (1.0 if term in asked else engine.story_weight(reading))
        if weight:
            out.append(Word(word, term, weight, term in asked, meant.get(i, ()), clinical))
    reading.weighed = out
    return out


def fit(engine: Engine, reading: Reading, target: str, floor=None) -> Fit:
    """How well a target covers the message (see the module's docstring).

    A visitor's word is covered when its stem is in the target (or, for an article's section, in
    its article), or one of the clinic's words for it is ("ouch" for "pain"). Words of the story
    before the question count for coverage as they count for the search; only the words that ask
    can be gaps here (the story's are checked by ``story_gaps``).
    """
    floor = floor or engine.calibration
    terms, article = engine.covering_terms(target)
    total = have = 0.0
    gaps = []
    for word in weighed(engine, reading):
        total += word.weight
        if word.term in terms or any(t in terms for t in word.alternatives):
            have += word.weight
        elif (word.asks and word.term not in article and not any(t in article for t in word.alternatives)
              and (word.weight >= floor.gap or word.term in engine.topic_words
                   or (word.weight >= floor.clinical_gap and word.clinical))):
            gaps.append(word.surface)
    return Fit(have / total if total else 1.0, list(dict.fromkeys(gaps)), have)


def story_gaps(engine: Engine, reading: Reading, floor=None) -> list[str]:
    """Clinical words of the story before the question that the knowledge never uses: "I have a
    pacemaker." (A job, a sport or a relative is only the story: "I'm a hairdresser.")"""
    floor = floor or engine.calibration
    return [w for w in reading.context if engine.telling(w) >= floor.clinical_gap
            and is_clinical(w) and not engine.reader.knows(w) and not engine.synonyms.expand([w])]


def in_domain(engine: Engine, reading: Reading) -> bool:
    """Whether the message names anything a clinic's articles could be about: a clinical word
    ("hurt", "knee", "vertigo") or one of the knowledge's own telling words ("orthotics", "tape").
    "Recommend a good movie for tonight" shares "recommend" and "tonight" with some passage, and
    names nothing of the kind; "session" in a clinic's articles is everywhere. (A message worded as
    staff wrote an FAQ entry's question is in the domain by their say-so: ``asked_as_written``.)"""
    return any(is_clinical(w) or (engine.telling(w) >= ANCHOR and engine.reader.uses(w))
               or (engine.telling(w) >= COMMON_ANCHOR and engine.passages_with(w) >= SEVERAL)
               for w in reading.words)


def asked_as_written(engine: Engine, reading: Reading, target: str) -> bool:
    """Whether the message asks with nothing but the words of one of the questions staff wrote for
    this FAQ entry ("Where can I park?", "is parking free?" for an entry that lists them): staff put
    the subject in the clinic's domain, however everyday its words ("park", "free") are."""
    passage = engine.passages.get(target)
    if passage is None or passage.kind != "faq":
        return False
    telling = {stem(w) for w in reading.asking if engine.telling(w) >= TOPIC_WORD}
    return bool(telling) and any(telling <= set(stems(q)) for q in passage.questions)


def outranked(engine: Engine, reading: Reading, scores: Scores, best: str | None, score: float) -> str | None:
    """The hand-off topic whose examples fit the question better than the closest passage does:
    they come closer, they share a telling word with it ("address", not "does it"), and the
    passage has no telling word of the question they lack."""
    rival = scores.best(limit=1, among=engine.topic_positions)
    if not best or not rival or rival[0][1] < max(engine.calibration.topic, score):
        return None
    own, _ = engine.covering_terms(best)
    theirs = engine.target_terms.get(rival[0][0], frozenset())
    telling = [w.term for w in weighed(engine, reading) if engine.telling(w.surface) >= TOPIC_WORD]
    if any(t in own and t not in theirs for t in telling) or not any(t in theirs for t in telling):
        return None
    return rival[0][0]


def decide(engine: Engine, reading: Reading, scores: Scores) -> Decision:
    floor = engine.calibration
    ranked = scores.best(limit=10)
    content = [(t, s) for t, s in ranked if t in engine.passages]
    # The closest passages, reordered by how much of the question each covers: a passage as close
    # that has the question's words is the likelier answer, and one whose article has every telling
    # word of the question ("brace" of "I keep spraining my ankle: can a brace help?") comes first.
    fits_of = {t: fit(engine, reading, t) for t, _ in content[:RERANKED]}
    content = sorted(content[:RERANKED], key=lambda ts: (bool(fits_of[ts[0]].gaps), -ts[1] * (
        1 - COVERAGE_SHARE + COVERAGE_SHARE * fits_of[ts[0]].coverage))) + content[RERANKED:]
    others = [t for t, _ in content[1:]]
    best, score = content[0] if content else (None, 0.0)
    fitted = fits_of[best] if best else Fit(0.0, [])
    story = story_gaps(engine, reading)
    gaps = fitted.gaps + story
    kind = expected_kind(" ".join(reading.asking))
    says_kind = kind is None or bool(best and kind.search(engine.passages[best].text))
    domain = in_domain(engine, reading)
    rival = outranked(engine, reading, scores, best, score)
    if (best and covers(fitted, floor) and not story and says_kind
            and (domain or asked_as_written(engine, reading, best))
            and not rival):
        second = next((t for t, s in content[1:2] if engine.passages[t].kind == "faq"
                       and s >= engine.settings.second_answer_ratio * score
                       and fits(engine, reading, t, floor)), None)
        return Decision(reading, True, score, "close match", target=best, second=second, others=others,
                        coverage=fitted.coverage)
    # "Who won the game last night?" names things neither the articles nor the hand-off topics know:
    # it gets the general hand-off, not the staff topic's "I don't have details about the team".
    # ("How much is it?" names nothing at all, and is as close to the price topic as it can be.)
    foreign = [w for w in reading.asking if engine.telling(w) >= ANCHOR - 0.5 and not engine.reader.knows(w)]
    topic = rival or engine.topic_for(reading, scores, by_examples=domain or not foreign)
    if rival:
        reason = "asked as the hand-off topic's examples are, and no passage says more"
    elif not domain and not topic:
        reason = "nothing a clinic's articles are about"
    elif gaps:
        reason = f"the articles never mention {', '.join(dict.fromkeys(gaps[:3]))}"
    elif not says_kind:
        reason = "the closest passage does not say what was asked: how long, how much, how many or who"
    elif best and fitted.matched >= floor.matched:
        reason = "the closest passage covers too little of the question"
    else:
        reason = "the question says too little to find an answer"
    if topic:
        reason = f"a topic the articles do not cover ({topic[len('handoff/'):]}): {reason}"
    return Decision(reading, False, score, reason, topic=topic, others=[t for t, _ in content],
                    coverage=fitted.coverage)
