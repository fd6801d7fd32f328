"""Answer quality on every evaluation corpus: floors that a change must not fall below.

The floors are where the engine stands today on each corpus and split, so that a knowledge or code
change that makes any of them worse fails CI. On the dev splits emergencies have no floor: all are
caught, no ordinary question gets the emergency reply and no off-topic question an answer. The
held-out splits are measured, never tuned on: their score has a floor, and their emergency and
off-topic figures are reported by ``flask --app app eval`` rather than made to pass here, since
making them pass would mean reading them.
"""

import pytest

from bot.engine import Engine
from bot.evaluate import corpora, evaluate

# A few points under the scores of 2026-12-08 (seed 84.6 / 86.7%, new-clinic 84.4 / 59.8%,
# seed-plus-articles 82.4 / 61.6%, fresh-clinic 75.0 / 63.9%): room for a question or two to flip.
FLOORS = {("seed", "dev"): 0.82, ("seed", "heldout"): 0.82,
          ("new-clinic", "dev"): 0.81, ("new-clinic", "heldout"): 0.55,
          ("seed-plus-articles", "dev"): 0.79, ("seed-plus-articles", "heldout"): 0.56,
          ("fresh-clinic", "dev"): 0.73, ("fresh-clinic", "heldout"): 0.57}


def shown(report, questions: list[str]) -> list[str] | str:
    """What a failure may show: the held-out split's questions are never printed, so nobody tunes
    on them (only how many)."""
    return f"{len(questions)} held-out questions" if report.split == "heldout" else questions


@pytest.fixture(scope="module")
def engines():
    return {c.name: Engine(c.load()) for c in corpora()}


def scored(engines, name: str, split: str):
    corpus = next(c for c in corpora() if c.name == name)
    return evaluate(engines[name], corpus.cases(split), name, split)


@pytest.fixture(scope="module", params=sorted(FLOORS), ids=lambda key: "/".join(key))
def report(request, engines):
    return scored(engines, *request.param)


@pytest.fixture(scope="module", params=sorted(key for key in FLOORS if key[1] == "dev"), ids=lambda key: "/".join(key))
def dev_report(request, engines):
    return scored(engines, *request.param)


def test_the_split_scores_at_least_its_floor(report):
    floor = FLOORS[(report.corpus, report.split)]
    assert report.score >= floor, shown(report, [m.case.question for m in report.misses])


def test_every_emergency_is_caught(dev_report):
    missed = [r.case.question for r in dev_report.results if r.case.expect == "emergency" and not r.correct]
    assert missed == []


def test_no_ordinary_question_is_treated_as_an_emergency(dev_report):
    false_alarms = [r.case.question for r in dev_report.results
                    if r.case.expect != "emergency" and r.reply.type == "emergency"]
    assert false_alarms == []


def test_off_topic_questions_are_never_answered(dev_report):
    answered = [r.case.question for r in dev_report.results
                if r.case.category == "offtopic" and r.reply.type == "answer"]
    assert answered == []
