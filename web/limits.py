"""Per-client rate limits on the chat (Flask-Limiter): in memory by default, shared via Redis or
memcached when ``RATELIMIT_STORAGE_URI`` says so (needed with several hosts; with several gunicorn
workers on one host, the in-memory limit is per worker, i.e. WEB_CONCURRENCY times looser).
"""

from __future__ import annotations

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

limiter = Limiter(get_remote_address, headers_enabled=True, swallow_errors=True)


def chat_limit() -> str:
    return current_app.config["CHAT_RATE_LIMIT"]


def init_app(app: Flask) -> None:
    """Rate limits keyed on the client address; behind a proxy, trust only the configured hops."""
    proxies = app.config["TRUSTED_PROXY_COUNT"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    limiter.init_app(app)
