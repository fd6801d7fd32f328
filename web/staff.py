"""The staff report page: questions the bot could not answer, grouped and explained, behind the clinic's login.

There is no page at all until the clinic configures a login (``STAFF_USER`` and
``STAFF_PASSWORD_HASH``, made with ``flask --app app staff-password``); there is no default password.
HTTP Basic authentication is enough here because the bot is served over HTTPS and the page is
read-only. A login attempt takes the same time whether the user name is right or wrong (the
password is always checked), one attempt at a time per worker, and a client that failed
``STAFF_LOGIN_LIMIT`` times gets 429 without any password being checked: guessing can neither tell
which user names exist nor take the workers' time from visitors.
"""

from __future__ import annotations

import hmac
import threading
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, render_template, request
from werkzeug.exceptions import ServiceUnavailable, TooManyRequests
from werkzeug.security import check_password_hash

from bot.report import review, to_csv

from .engine import get_engine
from .limits import RateLimit
from .questionlog import get_log

bp = Blueprint("staff", __name__, url_prefix="/staff")
# One password check at a time in a worker: a hash takes a CPU for a good fraction of a second.
_checking = threading.BoundedSemaphore(1)


def configured() -> bool:
    return bool(current_app.config.get("STAFF_USER") and current_app.config.get("STAFF_PASSWORD_HASH"))


@bp.before_request
def require_login():
    if not configured():
        abort(404)
    auth = request.authorization
    if auth is None:
        return _challenge()
    failures = _failures()
    client = request.remote_addr or "unknown"
    if (wait := failures.blocked(client)) is not None:
        raise TooManyRequests(retry_after=wait)
    if not _checking.acquire(timeout=5):
        raise TooManyRequests(retry_after=5)
    try:
        user_ok = hmac.compare_digest((auth.username or "").encode(), current_app.config["STAFF_USER"].encode())
        password_ok = check_password_hash(current_app.config["STAFF_PASSWORD_HASH"], auth.password or "")
    finally:
        _checking.release()
    if user_ok and password_ok:
        return None
    failures.retry_after(client)  # counts the failure
    return _challenge()


def _challenge() -> Response:
    return Response("Staff login required.\n", 401, {"WWW-Authenticate": 'Basic realm="clinic bot staff"'},
                    mimetype="text/plain")


def _failures() -> RateLimit:
    """This app's count of failed logins per client."""
    config = current_app.config
    if "staff_login_failures" not in current_app.extensions:
        current_app.extensions["staff_login_failures"] = RateLimit(config["STAFF_LOGIN_LIMIT"],
                                                                   config["RATELIMIT_STORAGE_URI"], scope="login")
    return current_app.extensions["staff_login_failures"]


def report_groups(days: int):
    """The unanswered questions of the last ``days``, grouped; a 503 that says so when the question
    log's database cannot be read (the chat goes on answering meanwhile)."""
    since = datetime.now(timezone.utc) - timedelta(days=days)
    engine = get_engine()
    try:
        rows = get_log().rows(since=since)
    except sa.exc.SQLAlchemyError:
        raise ServiceUnavailable("the question log's database cannot be read right now; try again shortly")
    return review(rows, engine)


def _days() -> int:
    try:
        return max(1, min(int(request.args.get("days", 30)), 3650))
    except ValueError:
        return 30


@bp.get("/")
def report():
    days = _days()
    return render_template("staff.html", groups=report_groups(days), days=days,
                           clinic=get_engine().knowledge.clinic)


@bp.get("/report.csv")
def report_csv():
    days = _days()
    return Response(to_csv(report_groups(days)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="unanswered-{days}d.csv"'})


@bp.after_request
def no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response
