"""The staff report page: questions the bot could not answer, grouped, behind the clinic's login.

There is no page at all until the clinic configures a login (``STAFF_USER`` and
``STAFF_PASSWORD_HASH``, made with ``flask --app app staff-password``); there is no default password.
HTTP Basic authentication is enough here because the bot is served over HTTPS and the page is
read-only.
"""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta, timezone

from flask import Blueprint, Response, abort, current_app, render_template, request
from werkzeug.security import check_password_hash

from bot.report import group_questions, to_csv

from .engine import get_engine
from .questionlog import get_log

bp = Blueprint("staff", __name__, url_prefix="/staff")


def configured() -> bool:
    return bool(current_app.config.get("STAFF_USER") and current_app.config.get("STAFF_PASSWORD_HASH"))


@bp.before_request
def require_login():
    if not configured():
        abort(404)
    auth = request.authorization
    user_ok = auth is not None and hmac.compare_digest(auth.username or "", current_app.config["STAFF_USER"])
    if not (user_ok and check_password_hash(current_app.config["STAFF_PASSWORD_HASH"], auth.password or "")):
        return Response("Staff login required.\n", 401, {"WWW-Authenticate": 'Basic realm="clinic bot staff"'},
                        mimetype="text/plain")
    return None


def report_groups(days: int):
    since = datetime.now(timezone.utc) - timedelta(days=days)
    engine = get_engine()
    return group_questions(get_log().rows(since=since), engine.topic_terms)


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
