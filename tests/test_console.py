"""The staff console: staff edit, try, publish and roll back in the browser, on the plain files."""

from __future__ import annotations

import base64
import shutil

import pytest
from conftest import PARKING_FAQ, make_app, small_eval
from werkzeug.security import generate_password_hash

from bot import artifact

LOGIN = {"Authorization": "Basic " + base64.b64encode(b"frontdesk:correct horse").decode()}


@pytest.fixture
def console(tmp_path, clinic_copy):
    app = make_app(tmp_path, KNOWLEDGE_DIR=str(clinic_copy), EVAL_QUESTIONS_DIR=str(small_eval(tmp_path)),
                   STAFF_USER="frontdesk", STAFF_PASSWORD_HASH=generate_password_hash("correct horse", "pbkdf2:sha256:1000"))
    assert app.test_cli_runner().invoke(args=["reindex"]).exit_code == 0
    client = app.test_client()
    client.environ_base.update(HTTP_AUTHORIZATION=LOGIN["Authorization"])
    return client


def test_the_console_needs_the_staff_login(tmp_path):
    assert make_app(tmp_path).test_client().get("/staff/console/").status_code == 404  # no login configured
    app = make_app(tmp_path, STAFF_USER="frontdesk", STAFF_PASSWORD_HASH=generate_password_hash("correct horse"))
    assert app.test_client().get("/staff/console/files").status_code == 401


def test_staff_open_a_file_and_save_it_atomically_keeping_what_it_replaced(console, clinic_copy, tmp_path):
    assert "faq/does-it-hurt.md" in console.get("/staff/console/files").get_json()["files"]
    opened = console.get("/staff/console/file?path=faq/does-it-hurt.md").get_json()
    edited = opened["text"].replace("mild discomfort", "mild discomfort, like a cramp")
    saved = console.put("/staff/console/file", json={"path": "faq/does-it-hurt.md", "text": edited,
                                                     "version": opened["version"]})
    assert saved.status_code == 200 and saved.get_json()["problems"] == []
    assert (clinic_copy / "faq" / "does-it-hurt.md").read_text() == edited
    kept = list((tmp_path / "knowledge-history").glob("*/faq/does-it-hurt.md"))
    assert len(kept) == 1 and kept[0].read_text() == opened["text"]


def test_a_save_over_a_file_changed_since_it_was_opened_is_refused(console, clinic_copy):
    opened = console.get("/staff/console/file?path=faq/needle.md").get_json()
    (clinic_copy / "faq" / "needle.md").write_text(opened["text"] + "\nA colleague's line.\n")
    stale = console.put("/staff/console/file", json={"path": "faq/needle.md", "text": "mine", "version": opened["version"]})
    assert stale.status_code == 409 and "changed since you opened it" in stale.get_json()["error"]
    assert "A colleague's line." in (clinic_copy / "faq" / "needle.md").read_text()


@pytest.mark.parametrize("name", ["../app.py", "faq/../../app.py", "/etc/passwd", "faq/Parking.md", "faq/x.txt",
                                  "instance/index.key", "faq/.hidden.md", ["faq/x.md"]])
def test_only_the_knowledge_files_staff_edit_can_be_named(console, name):
    response = console.put("/staff/console/file", json={"path": name, "text": "x", "version": None})
    assert response.status_code == 400 and "name a knowledge file" in response.get_json()["error"]


def test_a_change_from_another_site_or_a_plain_form_is_refused(console):
    body = {"path": "faq/parking.md", "text": PARKING_FAQ, "version": None}
    cross = console.put("/staff/console/file", json=body, headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403
    fetched = console.put("/staff/console/file", json=body, headers={"Sec-Fetch-Site": "cross-site"})
    assert fetched.status_code == 403
    form = console.put("/staff/console/file", data=body)
    assert form.status_code == 415


def test_checks_as_you_type_say_what_is_wrong_on_which_line(console):
    broken = "---\nquestion: Parking?\nalso_asked:\n  - where: do I park\n---\n\n"
    problems = console.post("/staff/console/check", json={"path": "faq/parking.md", "text": broken}).get_json()["problems"]
    assert problems[0]["path"] == "faq/parking.md"
    assert {(p["line"], p["severity"]) for p in problems} == {(4, "error"), (6, "error")}
    assert any("also_asked" in p["message"] for p in problems)


def test_try_shows_the_draft_beside_what_visitors_get_with_why(console):
    assert console.put("/staff/console/file", json={"path": "faq/parking.md", "text": PARKING_FAQ,
                                                    "version": None}).status_code == 200
    tried = console.post("/staff/console/try", json={"question": "is there parking at the clinic?"}).get_json()
    assert tried["draft"]["type"] == "answer" and "free parking behind the building" in tried["draft"]["answer"]
    assert tried["draft"]["matched"] == "faq/parking" and tried["draft"]["file"].startswith("faq/parking.md:")
    assert tried["published"]["type"] == "handoff" and tried["published"]["reason"]


def test_publish_shows_what_changes_needs_the_new_answers_confirmed_and_can_be_rolled_back(console, tmp_path):
    first = artifact.current_name(tmp_path / "index")
    console.put("/staff/console/file", json={"path": "faq/parking.md", "text": PARKING_FAQ, "version": None})
    plan = console.post("/staff/console/preview", json={}).get_json()
    assert plan["to_confirm"] == 1 and plan["regressions"] == 0
    assert plan["content"] == ["added faq/parking.md"]
    assert plan["changes"][0]["question"] == "is there parking at the clinic?"
    assert plan["blocked"] and plan["blocked_even_if_confirmed"] is None
    refused = console.post("/staff/console/publish", json={"confirm": False})
    assert refused.status_code == 409 and "confirm" in refused.get_json()["error"]
    published = console.post("/staff/console/publish", json={"confirm": True}).get_json()["published"]
    assert artifact.current_name(tmp_path / "index") == published != first
    assert "is there parking at the clinic?" in (tmp_path / "questions" / "confirmed.yml").read_text()
    versions = console.get("/staff/console/versions").get_json()["versions"]
    assert versions[0]["current"] and versions[0]["by"] == "frontdesk"
    assert versions[0]["changes"] == ["added faq/parking.md"]
    assert console.post("/staff/console/rollback", json={"file": first}).get_json()["current"] == first
    assert artifact.current_name(tmp_path / "index") == first
    assert console.post("/staff/console/rollback", json={"file": "../index.key"}).status_code == 409


def test_a_new_file_named_like_an_existing_one_is_refused_with_that_reason(console):
    response = console.put("/staff/console/file", json={"path": "faq/needle.md", "text": "x", "version": None})
    assert response.status_code == 409 and "a file named needle.md already exists" in response.get_json()["error"]


def test_the_preview_says_what_to_do_next_in_plain_words(console):
    console.put("/staff/console/file", json={"path": "faq/parking.md", "text": PARKING_FAQ, "version": None})
    plan = console.post("/staff/console/preview", json={}).get_json()
    assert plan["say"].startswith("1 question(s) would now get an answer instead of the clinic's phone number")
    assert "--" not in plan["say"]
    broken = console.put("/staff/console/file", json={"path": "faq/broken.md", "text": "---\nquestion: [oops\n---\n",
                                                      "version": None})
    assert broken.status_code == 200
    plan = console.post("/staff/console/preview", json={}).get_json()
    assert plan["say"].startswith("Not ready to publish: 1 file problem(s)")
    assert any("a quote or a bracket is opened and never closed" in p["message"] for p in plan["problems"])


def test_a_link_in_the_folder_is_neither_read_nor_written_through(console, clinic_copy, tmp_path):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.md").write_text("the signing key")
    (clinic_copy / "faq" / "secret.md").symlink_to(tmp_path / "outside" / "secret.md")
    assert console.get("/staff/console/file?path=faq/secret.md").status_code == 400
    shutil.rmtree(clinic_copy / "articles")
    (clinic_copy / "articles").symlink_to(tmp_path / "outside")
    written = console.put("/staff/console/file", json={"path": "articles/x.md", "text": "x", "version": None})
    assert written.status_code == 400 and "is a link" in written.get_json()["error"]
    assert not (tmp_path / "outside" / "x.md").exists()


def test_the_clinic_details_and_lists_cannot_be_deleted_and_the_folder_cannot_grow_without_bound(tmp_path, clinic_copy):
    app = make_app(tmp_path, KNOWLEDGE_DIR=str(clinic_copy), KNOWLEDGE_MAX_BYTES=64 * 1024,
                   STAFF_USER="frontdesk", STAFF_PASSWORD_HASH=generate_password_hash("correct horse", "pbkdf2:sha256:1000"))
    client = app.test_client()
    client.environ_base.update(HTTP_AUTHORIZATION=LOGIN["Authorization"])
    opened = client.get("/staff/console/file?path=clinic.yml").get_json()
    refused = client.delete("/staff/console/file", json={"path": "clinic.yml", "version": opened["version"]})
    assert refused.status_code == 400 and (clinic_copy / "clinic.yml").exists()
    big = "---\ntitle: Big\n---\n\n## Words\n\n" + "word " * 20_000
    too_big = client.put("/staff/console/file", json={"path": "articles/big.md", "text": big, "version": None})
    assert too_big.status_code == 413 and "KNOWLEDGE_MAX_BYTES" in too_big.get_json()["error"]
    assert not (clinic_copy / "articles" / "big.md").exists()
