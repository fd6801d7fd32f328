"""The command line: ask, check and reindex, through Flask's CLI runner."""

import subprocess
import sys

from conftest import ROOT, make_app, write_knowledge


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




def test_eval_scores_every_corpus_and_fails_under_the_minimum(runner):
    result = runner.invoke(args=["eval", "--split", "dev", "--min-score", "0.3"])
    assert result.exit_code == 0
    assert [line.split(":")[0] for line in result.output.splitlines() if not line.startswith(" ")] == [
        "seed dev", "new-clinic dev", "seed-plus-articles dev", "fresh-clinic dev"]
    strict = runner.invoke(args=["eval", "--corpus", "new-clinic", "--split", "dev", "--min-score", "1.0"])
    assert strict.exit_code == 1 and "below the minimum score of 100%" in strict.output


def test_eval_reports_by_kind_of_question_and_by_article_and_lists_dev_misses_with_why(runner):
    result = runner.invoke(args=["eval", "--corpus", "new-clinic", "--misses"])
    assert "by kind of question:" in result.output and "by article:" in result.output
    misses = [line for line in result.output.splitlines() if "MISS" in line]
    assert misses and all("expected" in line or "lacks" in line for line in misses)
    assert "heldout" not in " ".join(misses)  # held-out misses are never shown


def test_staff_password_prints_only_the_hash_even_when_an_index_is_published(tmp_path):
    """``STAFF_PASSWORD_HASH="$(flask --app app staff-password)"`` must capture the hash alone."""
    env = {"INDEX_DIR": str(tmp_path / "index"), "INDEX_KEY_FILE": str(tmp_path / "key"), "PATH": "/usr/bin:/bin",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'q.sqlite3'}"}
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    assert subprocess.run([*flask, "reindex"], cwd=ROOT, env=env, capture_output=True).returncode == 0
    result = subprocess.run([*flask, "staff-password", "--password", "s3cret"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0
    assert result.stdout.count("\n") == 1 and result.stdout.startswith("scrypt:")
