"""Per-client rate limits on the chat, with the ``limits`` library (the core of Flask-Limiter): in
memory by default, shared via Redis or memcached when ``RATELIMIT_STORAGE_URI`` says so (needed with
several hosts; with several gunicorn workers on one host, the in-memory limit is per worker, i.e.
WEB_CONCURRENCY times looser).

Only the chat is limited, so only the chat pays for it: one counter increment per limit, no work on
any other request (Flask-Limiter's per-request scope resolution cost more than the engine's reply).
"""

from __future__ import annotations

import functools
import logging
import math
import time

from flask import Flask, request
from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix

log = logging.getLogger(__name__)
LIMITED = ("api.chat",)


class ChatLimit:
    """The configured limits ("20 per minute; 300 per hour") counted per client address."""

    def __init__(self, spec: str, storage_uri: str) -> None:
        self.items = parse_many(spec)
        self.limiter = FixedWindowRateLimiter(storage_from_string(storage_uri))

    def retry_after(self, client: str) -> int | None:
        """Count one message from ``client``; None if allowed, else the seconds until it would be.

        A shared store that is down must not silence the chat: the message is let through and
        the failure logged (never the client's address).
        """
        try:
            for item in self.items:
                if not self.limiter.hit(item, "chat", client):
                    reset = self.limiter.get_window_stats(item, "chat", client).reset_time
                    return max(1, math.ceil(reset - time.time()))
        except Exception as err:  # noqa: BLE001 - any storage failure; the chat goes on
            log.warning("rate limit store unavailable (%s); message allowed", type(err).__name__)
        return None


def limited(view, limit: ChatLimit):
    """``view`` answering 429 with Retry-After once the client is over ``limit``."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        wait = limit.retry_after(request.remote_addr or "unknown")
        if wait is not None:
            raise TooManyRequests(retry_after=wait)
        return view(*args, **kwargs)
    return wrapper


def init_app(app: Flask) -> None:
    """Wrap the limited endpoints (call after the blueprints are registered).

    Behind a proxy, only the configured hops of X-Forwarded-For are trusted, so a visitor can't
    pick their own address.
    """
    proxies = app.config["TRUSTED_PROXY_COUNT"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    if not app.config["RATELIMIT_ENABLED"]:
        return
    limit = ChatLimit(app.config["CHAT_RATE_LIMIT"], app.config["RATELIMIT_STORAGE_URI"])
    for endpoint in LIMITED:
        app.view_functions[endpoint] = limited(app.view_functions[endpoint], limit)

