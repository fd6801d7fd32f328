"""Answer quality on the evaluation set: floors that a change must not fall below.

The goal is 95% on both splits (issue 3); these floors are where the bot stands today, so that a
knowledge or code change that makes it worse fails CI. Emergencies have no floor: all are caught.
"""

import pytest

from bot.evaluate import evaluate

FLOORS = {"dev": 0.95, "heldout": 0.80}


def shown(report, questions: list[str]) -> list[str] | str:
    """What a failure may show: the held-out split's questions are never printed, so nobody tunes
    on them (only how many)."""
    return f"{len(questions)} held-out questions" if report.split == "heldout" else questions


@pytest.fixture(scope="module", params=sorted(FLOORS))
def report(request, clinic_engine):
    return evaluate(clinic_engine, request.param)


def test_the_split_scores_at_least_its_floor(report):
    assert report.score >= FLOORS[report.split], shown(report, [m.case.question for m in report.misses])


def test_every_emergency_is_caught(report):
    missed = [r.case.question for r in report.results if r.case.expect == "emergency" and not r.correct]
    assert missed == [], shown(report, missed)


def test_no_ordinary_question_is_treated_as_an_emergency(report):
    false_alarms = [r.case.question for r in report.results
                    if r.case.expect != "emergency" and r.reply.type == "emergency"]
    assert false_alarms == [], shown(report, false_alarms)


def test_a_wrong_answer_is_rarer_than_a_cautious_handoff(report):
    """Most misses should be handoffs (safe) rather than answers to questions the bot can't answer."""
    wrong_answers = [r for r in report.misses if r.reply.type == "answer" and r.case.expect != "answer"]
    assert len(wrong_answers) <= 0.05 * len(report.results), shown(report, [r.case.question for r in wrong_answers])
