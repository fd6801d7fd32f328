"""The knowledge folder: what it loads into, and how it explains its own mistakes."""

import re

import pytest
from conftest import CLINIC_KNOWLEDGE, write_knowledge

from bot.knowledge import KnowledgeError, RedFlags, Rule, check_knowledge, load_knowledge


def test_articles_are_split_into_passages_at_headings(tiny_knowledge):
    knowledge = load_knowledge(tiny_knowledge)
    sections = [p for p in knowledge.passages if p.kind == "section"]
    assert [p.section for p in sections] == ["What is needling?", "After the session"]
    assert sections[1].text == "You may feel mild soreness for a day or two. Drink water and stretch gently."
    assert sections[1].title == "All About Needling"
    assert sections[1].source == "articles/needling.md:12"


def test_faq_entries_keep_their_questions_and_point_at_their_section(tiny_knowledge):
    faq = next(p for p in load_knowledge(tiny_knowledge).passages if p.kind == "faq")
    assert faq.questions == ("Does needling hurt?", "is it painful")
    assert (faq.article, faq.anchor, faq.section) == ("needling", "what-is-needling", "What is needling?")


def test_clinic_details_come_from_one_file(tiny_knowledge):
    clinic = load_knowledge(tiny_knowledge).clinic
    assert (clinic.phone, clinic.email, clinic.hours) == ("555-010-0000", "hello@test.example", None)


def test_the_clinics_own_knowledge_has_no_errors_and_no_warnings():
    knowledge, problems = check_knowledge(CLINIC_KNOWLEDGE)
    assert knowledge is not None and not problems, [str(p) for p in problems]
    assert knowledge.clinic.phone == "343-998-9229"
    assert knowledge.clinic.hours is None and knowledge.clinic.address is None


def test_a_broken_folder_raises_with_every_problem_located(tmp_path):
    folder = write_knowledge(tmp_path / "k", {"clinic.yml": "name: X\nphone: 1\n"})
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(folder)
    assert "clinic.yml:1: error: clinic details need a 'email'" in [str(p) for p in raised.value.problems]


def test_a_retired_faq_option_is_a_warning_not_an_error(tmp_path):
    entry = "---\nquestion: Does it hurt?\nany_body_part: true\n---\n\nA little.\n"
    knowledge = load_knowledge(write_knowledge(tmp_path / "k", {"faq/hurt.md": entry}))
    assert [str(p) for p in knowledge.problems if "any_body_part" in p.message] == [
        "faq/hurt.md:3: warning: 'any_body_part' is no longer used: the bot reads which words of a question "
        "the answer covers"]


def test_red_flag_words_spell_out_suffix_groups_and_name_open_stems():
    """What a misspelt red flag is mended toward: "shortnes" must find "shortness"."""
    flags = RedFlags([Rule("medical", "Call 911.", (re.compile(r"short(ness)? of breath"), re.compile(r"wheez\w*")))])
    words, stems = flags.words()
    assert {"short", "shortness", "breath"} <= words and stems == {"wheez"}


