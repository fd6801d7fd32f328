"""Gunicorn settings, read from the environment with defaults that fit a small clinic's host.

Each worker builds its engine once when it boots (under a second) and keeps it; a newly published
index is picked up by every worker without a restart. ``kill -HUP`` reloads workers gracefully.
"""

import os
import sys

import gunicorn.http.wsgi

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))  # recycle workers if ever needed
max_requests_jitter = max_requests // 10
limit_request_line = 4094
limit_request_fields = 50
# The access log goes to stdout, errors and the app's own log to stderr; the access log has time,
# method, path, status, size and duration: never a request body, never the client's IP address.
accesslog = "-"
errorlog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
# No shared control socket in the home folder: several bots (or tests) may run side by side.
control_socket_disable = True
# No version in the Server header.
gunicorn.http.wsgi.SERVER = "clinic-bot"


def on_starting(server):
    """Refuse to start, with one clear line, when there is nothing the bot could answer from."""
    from pathlib import Path

    from bot.startup import startup_problem
    from config import Config

    problem = startup_problem(Path(Config.KNOWLEDGE_DIR), Path(Config.INDEX_DIR), Path(Config.INDEX_KEY_FILE))
    if problem:
        print(f"clinic-bot cannot start: {problem}", file=sys.stderr, flush=True)
        sys.exit(1)
