"""Per-client rate limits on the chat (Flask-Limiter): in memory by default, shared via Redis or
memcached when ``RATELIMIT_STORAGE_URI`` says so (needed with several hosts; with several gunicorn
workers on one host, the in-memory limit is per worker, i.e. WEB_CONCURRENCY times looser).
"""

from __future__ import annotations

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

LIMITED = ("api.chat",)


def chat_limit() -> str:
    return current_app.config["CHAT_RATE_LIMIT"]


def init_app(app: Flask) -> None:
    """One limiter per app (its settings are the app's), wrapped around the limited endpoints.

    Call after the blueprints are registered. Behind a proxy, only the configured hops of
    X-Forwarded-For are trusted, so a visitor can't pick their own address.
    """
    proxies = app.config["TRUSTED_PROXY_COUNT"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    if not app.config["RATELIMIT_ENABLED"]:
        return
    # No X-RateLimit-* headers on every reply (each costs a storage read); 429s carry Retry-After.
    limiter = Limiter(get_remote_address, app=app, headers_enabled=False, swallow_errors=True)
    app.extensions["chat_limiter"] = limiter  # the decorator below holds it only weakly
    for endpoint in LIMITED:
        app.view_functions[endpoint] = limiter.limit(chat_limit)(app.view_functions[endpoint])
