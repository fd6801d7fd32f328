"""The red-flag prefilter tries fewer patterns, and never changes what matches."""

import pytest

from bot.evaluate import all_questions
from bot.prefilter import Prefiltered, alternatives, required_text
from bot.text import flatten


@pytest.mark.parametrize("regex, required", [
    ("suicid", ("suicid",)),
    ("short(ness)? of breath", ("of breath",)),
    ("(hang|hanging) (my ?self|myself)", ("hang", "hanging")),
    ("chest (feels|felt) like (an? )?(elephant|weight)", ("elephant", "weight")),
    (r"(?:\w+ ){0,4}years ago", ("years ago",)),
    ("(want|going) (to )?disappear", ("disappear",)),
])
def test_a_pattern_requires_the_plain_text_every_match_contains(regex, required):
    assert required_text(regex) == required


@pytest.mark.parametrize("regex", ["(a|b) c", "x?y?z?", "[a-z]+", "(?!foo)ab"])
def test_a_pattern_with_no_long_enough_required_text_is_always_tried(regex):
    assert required_text(regex) is None


def test_alternatives_split_only_at_the_top_level():
    assert alternatives("a|b(c|d)|[|]e") == ["a", "b(c|d)", "[|]e"]


def test_prefiltered_patterns_match_exactly_what_the_patterns_match(clinic_engine):
    flags = clinic_engine.knowledge.emergency
    for message in all_questions():
        text = flags.without_risk_questions(flatten(message))
        for rule in flags.rules:
            assert rule.matches(text) == (rule.combined.search(text) is not None), message


def test_a_pattern_without_required_text_still_matches():
    assert Prefiltered(["(a|b) c", "suicid"], "").search("b c")
    assert not Prefiltered(["(a|b) c", "suicid"], "").search("nothing here")


def test_risk_questions_are_left_out_exactly_as_before(clinic_engine):
    flags = clinic_engine.knowledge.emergency
    for message in all_questions():
        text = flatten(message)
        assert flags.without_risk_questions(text) == flags.risk_pattern.sub(" ", text), message
