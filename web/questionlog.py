"""What visitors asked: every question with its reply type, confidence, match and feedback.

SQLite under the instance folder by default (no setup); PostgreSQL when ``DATABASE_URL`` says so.
SQLAlchemy Core makes both the same code. Messages are redacted before they are stored, no IP
address is stored, and records older than the retention are purged.

Writes go through a queue to one background thread per worker, which commits them in batches: a
chat reply never waits for a disk flush, and a failing database never breaks a reply (the failure
is logged without the message). The queue keeps order, so feedback always lands after its question.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app

from bot.engine import Reply
from bot.redact import redact, redact_reason

log = logging.getLogger(__name__)

metadata = sa.MetaData()
questions = sa.Table(
    "questions",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("reply_type", sa.String(16), nullable=False),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("matched", sa.String(200)),
    sa.Column("reason", sa.String(300)),
    sa.Column("helpful", sa.Boolean),
)

PURGE_EVERY_SECONDS = 3600
BATCH_ROWS = 1000  # most rows written in one transaction


class QuestionLog:
    """One database of visitors' questions, shared by every request of a worker."""

    def __init__(self, url: str, retention_days: int, batch_seconds: float = 0.2):
        self.retention_days = retention_days
        self.batch_seconds = batch_seconds
        self.engine = sa.create_engine(url, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        self._create_table()
        self._last_purge = 0.0
        self._queue: queue.Queue = queue.Queue(maxsize=10_000)
        self._writer = threading.Thread(target=self._write_forever, name="question-log", daemon=True)
        self._writer.start()
        atexit.register(self.flush)

    def _create_table(self) -> None:
        """Create the table if needed. Workers boot together, so another may create it first; and a
        database that is down at start must not stop the bot from answering (records are lost,
        with a warning, until it is back)."""
        for attempt in (1, 2):
            try:
                metadata.create_all(self.engine)
                return
            except sa.exc.SQLAlchemyError as err:
                if attempt == 2:
                    log.warning("question log unavailable at start: %s", type(err).__name__)

    def record(self, message: str, reply: Reply) -> str | None:
        """Queue one question (redacted) for storing and return its id; None if the queue is full."""
        record_id = os.urandom(16).hex()  # unguessable: nobody can rate another visitor's reply
        # Redacted by the writer thread, off the visitor's request; nothing unredacted is stored.
        row = dict(id=record_id, asked_at=_now(), message=message, reply_type=reply.type,
                   confidence=reply.confidence, matched=(reply.matched or "")[:200], reason=reply.reason)
        try:
            self._queue.put_nowait(("insert", row))
        except queue.Full:
            log.warning("question log is falling behind; a question was not recorded")
            return None
        return record_id

    def feedback(self, record_id: str, helpful: bool) -> bool:
        """Queue the visitor's "was this helpful?" for their question; False if the queue is full.

        Nothing is looked up on the visitor's request (a slow database must not hold a request
        thread): the writer attaches it to the question with that id, which another worker may
        have recorded, and an id nobody recorded changes nothing. Ids are random 128-bit values,
        so nobody can rate another visitor's reply."""
        try:
            self._queue.put_nowait(("feedback", {"id": record_id, "helpful": helpful}))
        except queue.Full:
            log.warning("question log is falling behind; a feedback was not recorded")
            return False
        return True

    def flush(self) -> None:
        """Wait until everything queued is written (reports and tests read after this)."""
        self._queue.join()

    def purge(self, now: datetime | None = None) -> int:
        """Delete records older than the retention; returns how many went. With SQLite, the
        deleted text is overwritten (``secure_delete``) and the write-ahead log, which still holds
        the old pages, is checkpointed and emptied, so deleted means gone from the disk too."""
        cutoff = (now or _now()) - timedelta(days=self.retention_days)
        with self.engine.begin() as db:
            gone = db.execute(questions.delete().where(questions.c.asked_at < cutoff)).rowcount
        if gone and self.engine.dialect.name == "sqlite":
            with self.engine.connect() as db:
                db.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return gone

    def rows(self, since: datetime | None = None) -> list[dict]:
        self.flush()
        query = sa.select(questions).order_by(questions.c.asked_at)
        if since is not None:
            query = query.where(questions.c.asked_at >= since)
        with self.engine.connect() as db:
            return [dict(row._mapping) for row in db.execute(query)]

    def _write_forever(self) -> None:
        while True:
            batch = [self._queue.get()]
            # Sleep, then take what came meanwhile: waking for every record under load would
            # make the writer fight the request threads for the interpreter at each reply.
            if self._queue.qsize() < BATCH_ROWS:
                time.sleep(self.batch_seconds)
            while len(batch) < BATCH_ROWS:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._write(batch)
            for _ in batch:
                self._queue.task_done()

    def _write(self, batch: list[tuple[str, dict]]) -> None:
        """One transaction per batch: inserts in order, then the feedback that follows them."""
        self._reopen_if_deleted()
        try:
            with self.engine.begin() as db:
                inserts = [_redacted(row) for kind, row in batch if kind == "insert"]
                if inserts:
                    db.execute(questions.insert(), inserts)
                for kind, row in batch:
                    if kind == "feedback":
                        db.execute(questions.update().where(questions.c.id == row["id"])
                                   .values(helpful=row["helpful"]))
            self._purge_now_and_then()
        except sa.exc.SQLAlchemyError as err:
            log.warning("question log unavailable, %d record(s) lost: %s", len(batch), type(err).__name__)

    def _reopen_if_deleted(self) -> None:
        """An SQLite file deleted under a running bot (its folder cleaned up, a disk restored) would
        swallow every write into the deleted file, with no error: start a new file instead, and say so."""
        path = self.engine.url.database if self.engine.dialect.name == "sqlite" else None
        if not path or path == ":memory:" or os.path.exists(path):
            return
        log.warning("question log file %s was deleted; starting a new one (what it held is gone)", path)
        self.engine.dispose()
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._create_table()

    def _purge_now_and_then(self) -> None:
        if time.monotonic() - self._last_purge > PURGE_EVERY_SECONDS:
            self._last_purge = time.monotonic()
            self.purge()


def _redacted(row: dict) -> dict:
    """A question's row as stored: personal details out of the message and of the reason."""
    return row | {"message": redact(row["message"])[:2000], "reason": redact_reason(row["reason"], row["message"])[:300]}


def _sqlite_pragmas(connection, _record) -> None:
    """WAL lets readers and the writer work at once; NORMAL sync is safe with WAL and much faster."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten, not left in free pages
    cursor.close()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def database_url(app: Flask) -> str:
    """DATABASE_URL when configured, else a SQLite file in the instance folder."""
    url = app.config.get("DATABASE_URL")
    if url:
        return url.replace("postgres://", "postgresql+psycopg://", 1) if url.startswith("postgres://") else url
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(app.instance_path) / 'questions.sqlite3'}"


def init_app(app: Flask) -> None:
    app.extensions["question_log"] = QuestionLog(database_url(app), app.config["RETENTION_DAYS"])


def get_log() -> QuestionLog:
    return current_app.extensions["question_log"]
