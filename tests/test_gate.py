"""The publish gate's words for staff: what a change does to each evaluation question, and how to keep
an answer a change elsewhere lost."""

from bot.gate import _keep_hint, content_changes, fact_of


def test_a_lost_answer_says_how_to_keep_it(clinic_engine):
    knowledge = clinic_engine.knowledge
    assert _keep_hint("faq/needle", knowledge) == "; to keep it, add the question to also_asked in faq/needle.md"
    section = next(p for p in knowledge.passages if p.kind == "section")
    assert _keep_hint(section.id, knowledge) == (
        f"; to keep it, write an FAQ entry with this question and section: {section.article}#{section.anchor}")
    assert _keep_hint("faq/gone", knowledge) == "; «faq/gone» was removed or renamed in this publish"


def test_a_version_says_what_staff_changed_file_by_file(clinic_engine):
    knowledge = clinic_engine.knowledge
    assert content_changes(None, knowledge) == ["first version: 1 article(s), 23 FAQ entries"]
    assert content_changes(knowledge, knowledge) == []


def test_a_confirmed_answer_is_held_by_its_first_sentence_cut_at_a_word():
    assert fact_of("Yes: free parking behind the building. Two spaces are accessible.") == \
        "Yes: free parking behind the building"
    assert fact_of("- " + "word " * 30) == ("word " * 12).strip()
