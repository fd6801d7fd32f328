"""What visitors asked: stored redacted, with feedback, purged after the retention; SQLite and PostgreSQL."""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from bot.engine import Reply
from web.questionlog import QuestionLog, questions

# The PostgreSQL tests share one database and empty its table: with parallel workers they run in one.
pytestmark = pytest.mark.xdist_group("question-log-database")
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def log(request, tmp_path):
    if request.param == "sqlite":
        return QuestionLog(f"sqlite:///{tmp_path / 'q.sqlite3'}", retention_days=90)
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail("REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not (run bin/test)")
        pytest.skip("no PostgreSQL: bin/test starts one and sets TEST_DATABASE_URL")
    store = QuestionLog(url, retention_days=90)
    with store.engine.begin() as db:
        db.execute(questions.delete())
    return store


def reply(kind="handoff", matched="handoff/price"):
    return Reply(kind, "text", 0.4, matched=matched, reason="test")


def test_a_question_is_stored_redacted_with_its_reply(log):
    record = log.record("my name is Ana, how much does it cost? 613-555-0199", reply())
    [row] = log.rows()
    assert row["id"] == record
    assert row["message"] == "my name is [name], how much does it cost? [phone]"
    assert (row["reply_type"], row["matched"], row["helpful"]) == ("handoff", "handoff/price", None)


def test_the_reason_stored_keeps_no_name_the_message_lost(log):
    told = Reply("handoff", "text", 0.1, reason="the articles never mention maria")
    log.record("my wife Maria Gonzalez asks: does it help?", told)
    [row] = log.rows()
    assert "maria" not in row["message"].lower() + row["reason"].lower()


def test_no_ip_address_or_client_identity_is_stored(log):
    assert {c.name for c in questions.columns} == {
        "id", "asked_at", "message", "reply_type", "confidence", "matched", "reason", "helpful"}


def test_feedback_attaches_to_the_question(log):
    record = log.record("does it hurt", reply("answer", "faq/does-it-hurt"))
    assert log.feedback(record, False) is True
    assert log.feedback("0" * 32, True) is True  # nobody was given this id: nothing changes
    assert [row["helpful"] for row in log.rows()] == [False]


def test_records_older_than_the_retention_are_purged(log):
    log.record("old question", reply())
    log.record("new question", reply())
    log.flush()
    with log.engine.begin() as db:
        db.execute(questions.update().where(questions.c.message == "old question")
                   .values(asked_at=datetime.now(timezone.utc) - timedelta(days=91)))
    assert log.purge() == 1
    assert [r["message"] for r in log.rows()] == ["new question"]


def test_a_broken_database_loses_the_record_with_a_warning_not_an_error(tmp_path, caplog):
    store = QuestionLog(f"sqlite:///{tmp_path / 'q.sqlite3'}", retention_days=90)
    with store.engine.begin() as db:
        db.execute(sa.text("DROP TABLE questions"))
    store.record("my name is Ana and it hurts", reply())
    store.flush()
    [warning] = [r for r in caplog.records if "question log unavailable" in r.getMessage()]
    assert "Ana" not in warning.getMessage()


def test_the_chat_still_answers_when_the_log_fails(app, client):
    log = app.extensions["question_log"]
    with log.engine.begin() as db:
        db.execute(sa.text("DROP TABLE questions"))
    response = client.post("/api/chat", json={"message": "does it hurt?"})
    log.flush()
    assert response.status_code == 200
    assert response.get_json()["type"] == "answer"


def test_writes_are_batched_off_the_request_path(log):
    ids = [log.record(f"question {i}", reply()) for i in range(50)]
    assert log.feedback(ids[-1], True)  # known while still queued
    rows = log.rows()
    assert [r["id"] for r in rows] == ids[: len(rows)] and len(rows) == 50
    assert rows[-1]["helpful"] is True


def test_the_api_records_each_question_and_its_feedback(app, client):
    body = client.post("/api/chat", json={"message": "is it covered by OHIP? my name is Bob"}).get_json()
    assert client.post("/api/feedback", json={"id": body["id"], "helpful": False}).status_code == 204
    [row] = app.extensions["question_log"].rows()
    assert row["message"] == "is it covered by OHIP? my name is [name]"
    assert (row["reply_type"], row["helpful"]) == ("handoff", False)


@pytest.mark.parametrize("body, status", [
    ({"id": "nope", "helpful": True}, 400),
    ({"id": 5, "helpful": True}, 400),
    ({"id": "x", "helpful": "yes"}, 400),
    ([], 400),
])
def test_bad_feedback_is_a_4xx_json_error(client, body, status):
    response = client.post("/api/feedback", json=body)
    assert response.status_code == status and "error" in response.get_json()


def test_workers_starting_together_on_a_new_database_all_start(tmp_path):
    """Two gunicorn workers booting at once both try to create the table; neither may fail."""
    import threading
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    errors: list[Exception] = []

    def boot():
        try:
            QuestionLog(url, retention_days=90)
        except Exception as err:  # noqa: BLE001 - any failure to boot is the bug
            errors.append(err)

    threads = [threading.Thread(target=boot) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_a_database_that_is_down_at_start_does_not_stop_the_bot(tmp_path, caplog):
    store = QuestionLog("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1", retention_days=90)
    assert any("unavailable at start" in r.getMessage() for r in caplog.records)
    assert store.record("does it hurt", reply())  # queued; the writer logs the loss


def test_a_purged_question_is_gone_from_the_sqlite_files_too(tmp_path):
    store = QuestionLog(f"sqlite:///{tmp_path / 'q.sqlite3'}", retention_days=90)
    store.record("a question about zanzibarian hamstrings", reply())
    store.flush()
    with store.engine.begin() as db:
        db.execute(questions.update().values(asked_at=datetime.now(timezone.utc) - timedelta(days=91)))
    assert store.purge() == 1
    on_disk = b"".join(path.read_bytes() for path in tmp_path.glob("q.sqlite3*"))
    assert b"zanzibarian" not in on_disk


def test_a_deleted_sqlite_store_is_started_anew_with_a_warning_not_written_into_the_void(tmp_path, caplog):
    folder = tmp_path / "instance"
    store = QuestionLog(f"sqlite:///{folder / 'q.sqlite3'}", retention_days=90)
    store.record("first question", reply())
    store.flush()
    shutil.rmtree(folder)
    store.record("second question", reply())
    assert [r["message"] for r in store.rows()] == ["second question"]
    assert any("was deleted" in r.getMessage() for r in caplog.records)
