"""The command line: ask, check and reindex, through Flask's CLI runner."""

from conftest import make_app, write_knowledge


def test_ask_prints_the_reply_type_and_source(runner):
    result = runner.invoke(args=["ask", "does", "dry", "needling", "hurt?"])
    assert result.exit_code == 0
    assert result.output.startswith("[answer]")
    assert "source: The Benefits of Dry Needling" in result.output


def test_check_passes_on_the_clinics_knowledge(runner):
    result = runner.invoke(args=["check"])
    assert result.exit_code == 0
    assert "0 error(s)" in result.output


def test_check_fails_and_locates_the_problem(tmp_path):
    folder = write_knowledge(tmp_path / "k", {"faq/empty.md": "---\nquestion: Empty?\nsection: needling\n---\n"})
    app = make_app(tmp_path, KNOWLEDGE_DIR=str(folder))
    result = app.test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 1
    assert "faq/empty.md:5: error: FAQ entry has no answer" in result.output


