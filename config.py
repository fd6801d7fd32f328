"""Configuration in one place: defaults here, overridden by the environment, then by instance/config.py."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


class Config:
    """Every setting the bot reads. Tests pass a mapping to create_app() instead of editing this."""

    # Where the clinic's content lives. Staff edit it; `flask --app app reindex` publishes it.
    KNOWLEDGE_DIR = os.environ.get("KNOWLEDGE_DIR", str(ROOT / "knowledge"))
    # Visitors' questions about that content with the right outcomes (dev.yml, heldout.yml): what
    # `reindex` checks before it publishes, and `eval --published` scores.
    EVAL_QUESTIONS_DIR = os.environ.get("EVAL_QUESTIONS_DIR", str(ROOT / "tests" / "eval" / "seed"))
    # Longest visitor message accepted, in characters (documented in the README's API section).
    MAX_MESSAGE_CHARS = int(os.environ.get("MAX_MESSAGE_CHARS", "1000"))
    # Largest request body accepted, in bytes; Flask answers 413 above it.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(16 * 1024)))
    # The staff report page's login; the page does not exist until both are set.
    STAFF_USER = os.environ.get("STAFF_USER", "")
    STAFF_PASSWORD_HASH = os.environ.get("STAFF_PASSWORD_HASH", "")
    # Requests per client to POST /api/chat (the limits library's syntax); 429 with Retry-After above it.
    CHAT_RATE_LIMIT = os.environ.get("CHAT_RATE_LIMIT", "20 per minute; 300 per hour")
    # ...to POST /api/feedback ("was this helpful?"), counted apart from the chat.
    FEEDBACK_RATE_LIMIT = os.environ.get("FEEDBACK_RATE_LIMIT", "20 per minute; 200 per hour")
    # Failed staff logins per client before the login answers 429 without checking the password.
    STAFF_LOGIN_LIMIT = os.environ.get("STAFF_LOGIN_LIMIT", "5 per minute; 20 per hour")
    # Where rate-limit counters live: memory:// (per worker) or e.g. redis://localhost:6379/0.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "true").lower() != "false"
    # How many reverse proxies in front of the bot set X-Forwarded-For (0: use the socket address).
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
    # Sites allowed to embed the chat in an iframe (Content-Security-Policy frame-ancestors).
    ALLOWED_EMBED_ORIGINS = _list("ALLOWED_EMBED_ORIGINS")
    # The published index (`flask --app app reindex`), in the instance folder unless set.
    INDEX_DIR = os.environ.get("INDEX_DIR") or str(ROOT / "instance" / "index")
    # Key that signs published indexes (created on first publish).
    INDEX_KEY_FILE = os.environ.get("INDEX_KEY_FILE") or str(ROOT / "instance" / "index.key")
    # Where the console keeps every knowledge file it replaced or deleted, by date.
    KNOWLEDGE_HISTORY_DIR = os.environ.get("KNOWLEDGE_HISTORY_DIR") or str(ROOT / "instance" / "knowledge-history")
    # Largest the knowledge folder may grow through the console, in bytes (a clinic's is tens of KB).
    KNOWLEDGE_MAX_BYTES = int(os.environ.get("KNOWLEDGE_MAX_BYTES", str(2 * 1024 * 1024)))
    # Published versions kept for rollback (`flask --app app versions`); older ones are deleted.
    INDEX_KEEP = int(os.environ.get("INDEX_KEEP", "20"))
    # How often each worker looks for a newly published index, in seconds.
    INDEX_CHECK_SECONDS = float(os.environ.get("INDEX_CHECK_SECONDS", "2"))
    # Replies kept per worker for repeated questions (0 turns the cache off).
    REPLY_CACHE_SIZE = int(os.environ.get("REPLY_CACHE_SIZE", "4096"))
    # Where visitors' (redacted) questions are kept: empty means SQLite in the instance folder.
    DATABASE_URL = os.environ.get("DATABASE_URL", "")
    # Days a visitor's question is kept before it is deleted.
    RETENTION_DAYS = int(os.environ.get("RETENTION_DAYS", "90"))
