"""Gunicorn settings, read from the environment with defaults that fit a small clinic's host.

Each worker builds its engine once when it boots and keeps it; a newly published index is picked
up by every worker without a restart. ``kill -HUP`` reloads workers gracefully.
"""

import json
import os
import sys

import gunicorn.http.wsgi
import gunicorn.util

# One BLAS thread per worker: the engine's matrix work is small, and BLAS threads spinning beside
# the other workers only take their CPU (set here, before any worker imports NumPy).
for _blas in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_blas, "1")

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# gevent: a client that sends its request slowly (or never finishes it) holds a greenlet, not one
# of a few threads, so a handful of slow connections cannot stop the chat; the engine's work is
# CPU-bound and short, and psycopg cooperates with gevent on its own (3.1.14+).
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gevent")
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "1000"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))  # for GUNICORN_WORKER_CLASS=gthread
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


def _json_error(sock, status_int, reason, mesg):
    """gunicorn's own rejections (a request line over 4094 bytes: 414, too many or too big headers:
    431, a malformed request: 400) in the API's shape, ``{"error": ...}``, not an HTML page."""
    body = json.dumps({"error": f"{reason.lower()}: the request could not be read ({status_int})"}).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
    gunicorn.util.write_nonblock(sock, head + body)


gunicorn.util.write_error = _json_error


def on_starting(server):
    """Refuse to start, with one clear line, when there is nothing the bot could answer from."""
    from pathlib import Path

    from bot.startup import startup_problem
    from config import Config

    problem = startup_problem(Path(Config.KNOWLEDGE_DIR), Path(Config.INDEX_DIR), Path(Config.INDEX_KEY_FILE))
    if problem:
        print(f"clinic-bot cannot start: {problem}", file=sys.stderr, flush=True)
        sys.exit(1)


def post_request(worker, req, environ, resp):
    """Under gevent, let every other waiting connection run before this one reads its next
    request: on a fast network a keep-alive client's next request is already there, and without
    a trip through the event loop's I/O poll a few connections are served over and over while the
    rest wait (wrk, 64 connections, no reply cache: p99 1.2-1.4 s with ``sleep(0)`` or none,
    0.22-0.27 s with this)."""
    if "gevent" in worker_class:
        import gevent

        gevent.sleep(0.0001)
