"""What visitors asked: every question with its reply type, confidence, match and feedback.

SQLite under the instance folder by default (no setup); PostgreSQL when ``DATABASE_URL`` says so.
SQLAlchemy Core makes both the same code. Messages are redacted before they are stored, no IP
address is stored, records older than the retention are purged, and a failing database never
breaks a chat reply: it is logged (without the message) and the reply goes out.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app

from bot.engine import Reply
from bot.redact import redact

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


class QuestionLog:
    """One database of visitors' questions, shared by every request of a worker."""

    def __init__(self, url: str, retention_days: int):
        self.retention_days = retention_days
        self.engine = sa.create_engine(url, pool_pre_ping=True)
        metadata.create_all(self.engine)
        self._last_purge = 0.0

    def record(self, message: str, reply: Reply) -> str | None:
        """Store one question (redacted) and return its id, or None if the database failed."""
        record_id = uuid.uuid4().hex
        try:
            with self.engine.begin() as db:
                db.execute(questions.insert().values(
                    id=record_id, asked_at=_now(), message=redact(message)[:2000],
                    reply_type=reply.type, confidence=reply.confidence,
                    matched=(reply.matched or "")[:200], reason=redact(reply.reason)[:300],
                ))
            self._purge_now_and_then()
            return record_id
        except sa.exc.SQLAlchemyError as err:
            log.warning("question log unavailable: %s", type(err).__name__)
            return None

    def feedback(self, record_id: str, helpful: bool) -> bool:
        """Attach the visitor's "was this helpful?" to their question; False when it is unknown."""
        with self.engine.begin() as db:
            result = db.execute(questions.update().where(questions.c.id == record_id).values(helpful=helpful))
        return result.rowcount > 0

    def purge(self, now: datetime | None = None) -> int:
        """Delete records older than the retention; returns how many went."""
        cutoff = (now or _now()) - timedelta(days=self.retention_days)
        with self.engine.begin() as db:
            return db.execute(questions.delete().where(questions.c.asked_at < cutoff)).rowcount

    def rows(self, since: datetime | None = None) -> list[dict]:
        query = sa.select(questions).order_by(questions.c.asked_at)
        if since is not None:
            query = query.where(questions.c.asked_at >= since)
        with self.engine.connect() as db:
            return [dict(row._mapping) for row in db.execute(query)]

    def _purge_now_and_then(self) -> None:
        if time.monotonic() - self._last_purge > PURGE_EVERY_SECONDS:
            self._last_purge = time.monotonic()
            self.purge()


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
