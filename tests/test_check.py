"""`flask --app app check`: every kind of knowledge mistake, reported with its file and line."""

import pytest
from conftest import make_app, write_knowledge

BROKEN = {
    "bad front matter": (
        {"faq/bad.md": "---\nquestion: [unclosed\nsection: needling\n---\n\nAn answer.\n"},
        "faq/bad.md:3: error: invalid YAML"),
    "front matter not closed": (
        {"faq/open.md": "---\nquestion: Open?\n\nAn answer.\n"},
        "faq/open.md:1: error: front matter is not closed"),
    "article without headings": (
        {"articles/flat.md": "---\ntitle: Flat\n---\n\nJust text, no headings.\n"},
        "articles/flat.md:5: error: article has no sections"),
    "article whose only heading is a page title": (
        {"articles/h1.md": "---\ntitle: Taping\n---\n\n# All about taping\n\nTape helps.\n"},
        "articles/h1.md:5: error: article has no sections"),
    "the console's example text left in": (
        {"faq/new.md": "---\nquestion: Parking?\n---\n\nWrite the answer here.\n"},
        "faq/new.md:5: error: replace the example text 'Write the answer here.' with your own"),
    "YAML aliases (a billion-laughs bomb in ten lines)": (
        {"clinic.yml": "a0: &a0 [lol]\na1: &a1 [*a0, *a0, *a0]\nname: *a1\nphone: 1\nemail: a@b.example\n"},
        "clinic.yml:2: error: invalid YAML: an alias ('*name') is not allowed in knowledge files"),
    "also_asked item with a colon": (
        {"faq/colon.md": "---\nquestion: Parking?\nalso_asked:\n  - where: do I park\n---\n\nBehind.\n"},
        "faq/colon.md:4: error: an 'also_asked' item is not plain text"),
    "FAQ without an answer": (
        {"faq/empty.md": "---\nquestion: Empty?\n---\n"},
        "faq/empty.md:4: error: FAQ entry has no answer"),
    "the same question twice": (
        {"faq/twice.md": "---\nquestion: Does needling hurt?\n---\n\nAgain.\n"},
        "faq/twice.md:2: error: question 'Does needling hurt?' is also in faq/hurt.md"),
    "synonym mapping to nothing": (
        {"synonyms.yml": "ouch: [hurt]\nzap: []\n"},
        "synonyms.yml:2: error: synonym 'zap' maps to nothing"),
    "clinic without phone": (
        {"clinic.yml": "name: Test Physio\nemail: hello@test.example\n"},
        "clinic.yml:1: error: clinic details need a 'phone'"),
    "clinic without email": (
        {"clinic.yml": "name: Test Physio\nphone: 555-010-0000\n"},
        "clinic.yml:1: error: clinic details need a 'email'"),
    "section that does not exist": (
        {"faq/lost.md": "---\nquestion: Lost?\nsection: needling#nowhere\n---\n\nAn answer.\n"},
        "faq/lost.md:3: error: article 'needling' has no heading with anchor '#nowhere'"),
    "invalid emergency pattern": (
        {"emergency.yml": "medical:\n  reply: Call 911.\n  patterns: ['chest (pain']\n"},
        "emergency.yml:3: error: pattern 'chest (pain' is invalid"),
    "hand-off topic whose questions are not a list of questions": (
        {"handoff.yml": "topics:\n  - name: price\n    reply: Call {phone} or {email}.\n"
                        "    questions:\n      - how much: is it\n"},
        "handoff.yml:2: error: topic 'price': 'questions' must be a list of questions ('- ...')"),
    "invalid risk-question pattern": (
        {"emergency.yml": "questions_about_risk: ['cause (']\nmedical:\n  reply: Call 911.\n  patterns: [chest pain]\n"},
        "emergency.yml:1: error: pattern 'cause (' is invalid"),
}


def run_check(tmp_path, files):
    folder = write_knowledge(tmp_path / "knowledge", files)
    app = make_app(tmp_path, KNOWLEDGE_DIR=str(folder))
    return app.test_cli_runner().invoke(args=["check"])


@pytest.mark.parametrize("files, expected", BROKEN.values(), ids=BROKEN.keys())
def test_each_mistake_is_an_error_with_its_file_and_line(tmp_path, files, expected):
    result = run_check(tmp_path, files)
    assert result.exit_code == 1
    assert expected in result.output


def test_a_file_that_is_not_utf8_is_located_at_its_bad_byte(tmp_path):
    folder = write_knowledge(tmp_path / "knowledge")
    (folder / "faq" / "latin1.md").write_bytes(b"---\nquestion: Caf\xe9?\n---\n\nYes.\n")
    result = make_app(tmp_path, KNOWLEDGE_DIR=str(folder)).test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 1
    assert "faq/latin1.md:2: error: not UTF-8 text" in result.output


def test_an_empty_section_is_a_warning_that_does_not_fail(tmp_path):
    article = "---\ntitle: T\n---\n\n## Filled\n\nText here.\n\n## Empty\n"
    result = run_check(tmp_path, {"articles/extra.md": article})
    assert result.exit_code == 0
    assert "articles/extra.md:9: warning: section 'Empty' is empty" in result.output


def test_a_synonym_to_unknown_words_is_a_warning(tmp_path):
    result = run_check(tmp_path, {"synonyms.yml": "ouch: [zebra]\n"})
    assert result.exit_code == 0
    assert "synonyms.yml:1: warning: synonym 'ouch' maps to words the knowledge never uses: zebra" in result.output


def test_a_synonym_listed_twice_is_a_warning_naming_both_lines(tmp_path):
    result = run_check(tmp_path, {"synonyms.yml": "ouch: [pain]\nsore: [pain]\nouch: [discomfort]\n"})
    assert result.exit_code == 0
    assert "synonyms.yml:3: warning: 'ouch' is given twice (first on line 1); only this later one counts" \
        in result.output


def test_a_front_matter_detail_given_twice_is_located_in_the_whole_file(tmp_path):
    faq = "---\nquestion: Twice?\nquestion: Twice again?\n---\n\nAn answer.\n"
    result = run_check(tmp_path, {"faq/twice-key.md": faq})
    assert "faq/twice-key.md:3: warning: 'question' is given twice (first on line 2)" in result.output


def test_every_problem_is_listed_not_just_the_first(tmp_path):
    result = run_check(tmp_path, {"faq/empty.md": "---\nquestion: Empty?\n---\n", "synonyms.yml": "zap: []\n"})
    assert "faq/empty.md" in result.output and "synonyms.yml" in result.output
    assert "2 error(s)" in result.output


def test_a_clinic_file_that_is_not_yaml_reports_the_yaml_error_only(tmp_path):
    result = run_check(tmp_path, {"clinic.yml": "name: Test Physio\n\tphone: 555-010-0000\nemail: a@b.example\n"})
    assert result.exit_code == 1
    assert "clinic.yml:2: error: invalid YAML" in result.output
    assert "need a 'name'" not in result.output


def test_a_hand_off_example_that_an_faq_entry_answers_is_named_with_both_files(tmp_path):
    handoff = "topics:\n  - name: location\n    reply: Call {phone} or {email}.\n    questions:\n" \
              "      - where is the clinic\n      - is there parking\n"
    parking = "---\nquestion: Is there parking?\n---\n\nFree parking behind the building.\n"
    result = run_check(tmp_path, {"handoff.yml": handoff, "faq/parking.md": parking})
    assert result.exit_code == 0
    assert ("handoff.yml:6: warning: hand-off topic 'location' lists 'is there parking', which faq/parking.md:2 "
            "answers: the FAQ entry wins; remove the example") in result.output


def test_a_link_to_a_file_elsewhere_is_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the signing key")
    folder = write_knowledge(tmp_path / "knowledge")
    (folder / "faq" / "key.md").symlink_to(secret)
    result = make_app(tmp_path, KNOWLEDGE_DIR=str(folder)).test_cli_runner().invoke(args=["check"])
    assert "faq/key.md:1: error: a link to another file is not read" in result.output
