"""Per-client rate limits, with the ``limits`` library (the core of Flask-Limiter): in memory by
default, shared via Redis or memcached when ``RATELIMIT_STORAGE_URI`` says so (needed with several
hosts; with several gunicorn workers on one host, the in-memory limit is per worker, i.e.
WEB_CONCURRENCY times looser).

The chat and the feedback are limited per client, each with its own counters; the staff login
counts failed attempts (``web/staff.py``). Only those endpoints pay for it: one counter increment
per limit, no work on any other request (Flask-Limiter's per-request scope resolution cost more
than the engine's reply).
"""

from __future__ import annotations

import functools
import logging
import math
import threading
import time

from flask import Flask, request
from limits import parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests
from werkzeug.middleware.proxy_fix import ProxyFix

log = logging.getLogger(__name__)
# Endpoint -> the setting with its limits.
LIMITED = {"api.chat": "CHAT_RATE_LIMIT", "api.feedback": "FEEDBACK_RATE_LIMIT"}


class WorkerCounters(Storage):
    """Fixed-window counters in this worker's memory: the store for ``memory://``.

    The ``limits`` library's own memory store starts a new cleanup thread every 10 ms while it is in
    use; under load that thread churn cost the chat more than everything else the limiter does
    (its throughput went from 55-61% to 70-75% of the health check's without it). Here a window that
    has ended is dropped when its key is next counted, and every ended window once a minute, inline.
    """

    STORAGE_SCHEME = ["worker-memory"]
    SWEEP_SECONDS = 60.0

    def __init__(self, uri: str | None = None, **options) -> None:
        super().__init__(uri, **options)
        self.lock = threading.Lock()
        self.windows: dict[str, tuple[int, float]] = {}  # key -> (count, when the window ends)
        self.swept = time.time()

    @property
    def base_exceptions(self) -> type[Exception]:
        return ValueError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self.lock:
            if now >= self.swept + self.SWEEP_SECONDS:
                self.windows = {k: w for k, w in self.windows.items() if w[1] > now}
                self.swept = now
            count, ends = self.windows.get(key, (0, 0.0))
            if ends <= now:
                count, ends = 0, now + expiry
            self.windows[key] = (count + amount, ends)
            return count + amount

    def get(self, key: str) -> int:
        count, ends = self.windows.get(key, (0, 0.0))
        return count if ends > time.time() else 0

    def get_expiry(self, key: str) -> float:
        return self.windows.get(key, (0, time.time()))[1]

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        with self.lock:
            cleared, self.windows = len(self.windows), {}
        return cleared

    def clear(self, key: str) -> None:
        with self.lock:
            self.windows.pop(key, None)


class RateLimit:
    """The configured limits ("20 per minute; 300 per hour") counted per client address, in the
    counters of one ``scope`` ("chat", "feedback", "login")."""

    def __init__(self, spec: str, storage_uri: str, scope: str = "chat") -> None:
        self.items = parse_many(spec)
        self.scope = scope
        local = storage_uri.startswith("memory://")
        self.limiter = FixedWindowRateLimiter(WorkerCounters() if local else storage_from_string(storage_uri))

    def retry_after(self, client: str) -> int | None:
        """Count one request from ``client``; None if allowed, else the seconds until it would be.

        A shared store that is down must not silence the chat: the request is let through and
        the failure logged (never the client's address).
        """
        return self._over(self.limiter.hit, client)

    def blocked(self, client: str) -> int | None:
        """The seconds until ``client`` may try again, without counting a request (None: now)."""
        return self._over(self.limiter.test, client)

    def _over(self, check, client: str) -> int | None:
        """The seconds until the first limit ``check`` finds ``client`` over resets, or None."""
        try:
            for item in self.items:
                if not check(item, self.scope, client):
                    reset = self.limiter.get_window_stats(item, self.scope, client).reset_time
                    return max(1, math.ceil(reset - time.time()))
        except Exception as err:  # noqa: BLE001 - any storage failure; the chat goes on
            log.warning("rate limit store unavailable (%s); request allowed", type(err).__name__)
        return None


def limited(view, limit: RateLimit):
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
    for endpoint, setting in LIMITED.items():
        limit = RateLimit(app.config[setting], app.config["RATELIMIT_STORAGE_URI"], scope=endpoint)
        app.view_functions[endpoint] = limited(app.view_functions[endpoint], limit)

