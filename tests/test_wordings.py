"""The leave-one-wording-out measure (bench/wordings.py) asks each wording against a knowledge without it."""

from bench.wordings import measure, without
from bot.knowledge import load_knowledge


def test_a_wording_is_left_out_of_its_own_entry_only(tiny_knowledge):
    knowledge = load_knowledge(tiny_knowledge)
    i = next(i for i, p in enumerate(knowledge.passages) if p.kind == "faq" and len(p.questions) > 1)
    smaller = without(knowledge, "faq", i, 0)
    assert smaller.passages[i].questions == knowledge.passages[i].questions[1:]
    assert [p for j, p in enumerate(smaller.passages) if j != i] == [p for j, p in enumerate(knowledge.passages) if j != i]


def test_every_wording_is_asked_once(tiny_knowledge):
    knowledge = load_knowledge(tiny_knowledge)
    counts = measure(knowledge)
    assert counts["faq"] == sum(len(p.questions) for p in knowledge.passages if p.kind == "faq")
    assert counts["topic"] == sum(len(t.questions) for t in knowledge.handoff)
    assert 0 <= counts["faq_right"] <= counts["faq"]
    assert counts["topic_handed_off"] + counts["topic_answered"] <= counts["topic"]
