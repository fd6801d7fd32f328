"""The chat API: ``POST /api/chat`` and ``GET /healthz``. Bad input gets a 4xx JSON error, never a 500."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, current_app, jsonify, request, send_file, url_for
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, ServiceUnavailable, UnsupportedMediaType

from bot.engine import Reply, Source

from .engine import get_engine
from .questionlog import get_log

bp = Blueprint("api", __name__)
OPENAPI = Path(__file__).resolve().parent.parent / "openapi.yaml"
# Control characters (Unicode category Cc) other than tab, newline and return, and lone surrogates.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def json_object(example: str) -> dict:
    """The request's JSON object body, or a 415/400 that says what is wrong with it."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("send the body as JSON with 'Content-Type: application/json'")
    try:
        body = current_app.json.loads(_body())
    except (ValueError, RecursionError):
        raise BadRequest("the request body is not valid JSON")
    if not isinstance(body, dict):
        raise BadRequest(f"the request body must be a JSON object like {example}")
    return body


def _body() -> bytes:
    """The raw body, at most MAX_CONTENT_LENGTH bytes, however it was sent: a chunked body
    carries no Content-Length for Flask to check, so it is read up to one byte past the limit."""
    limit = request.max_content_length or current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None:
        return request.get_data(cache=False)  # Flask answers 413 above the limit
    try:
        data = request.environ["wsgi.input"].read(limit + 1)
    except Exception:  # noqa: BLE001 - the server's reader says the chunks are malformed
        raise BadRequest("the request body could not be read (malformed chunked encoding)") from None
    if len(data) > limit:
        raise RequestEntityTooLarge()
    return data


def read_message() -> tuple[str, str | None]:
    """The visitor's message and their previous one (optional) from a JSON body, or a 4xx that
    says exactly what is wrong."""
    body = json_object('{"message": "...", "previous": "..."}')
    if "message" not in body:
        raise BadRequest("'message' is missing")
    message = _text(body["message"], "message")
    previous = body.get("previous")
    if isinstance(previous, str) and not previous.strip() and not CONTROL.search(previous):
        previous = None  # an empty previous message: this one stands alone
    if previous is not None:
        previous = _text(previous, "previous")
    return message, previous


def _text(value: object, name: str) -> str:
    """A visitor's text as the API accepts it: a non-empty string within the length limit."""
    if not isinstance(value, str):
        raise BadRequest(f"'{name}' must be a string")
    if not value.strip():
        raise BadRequest(f"'{name}' is empty")
    limit = current_app.config["MAX_MESSAGE_CHARS"]
    if len(value) > limit:
        raise BadRequest(f"'{name}' is longer than {limit} characters")
    if CONTROL.search(value):
        raise BadRequest(f"'{name}' contains control characters")
    return value


def source_url(source: Source) -> str | None:
    """Where a visitor reads more: the source's own URL, else the bot's page of the article.

    Built once per article section and site root (building URLs was a fair share of a reply's cost).
    """
    if source.url or not source.article:
        return source.url or None
    urls = current_app.extensions.setdefault("source_urls", {})
    key = (request.script_root, source.article, source.anchor)
    if key not in urls:
        urls[key] = url_for("pages.article", slug=source.article, _anchor=source.anchor or None)
    return urls[key]


def reply_json(reply: Reply, record_id: str | None) -> dict:
    """The public shape of a reply (the API contract in the README)."""
    clinic = get_engine().knowledge.clinic
    return {
        "id": record_id,
        "type": reply.type,
        "answer": reply.answer,
        "confidence": reply.confidence,
        "sources": [{"title": s.title, "section": s.section, "url": source_url(s)} for s in reply.sources],
        "related": reply.related,
        "contact": {"phone": clinic.phone, "email": clinic.email},
    }


@bp.post("/api/chat")
def chat():
    message, previous = read_message()
    reply = get_engine().ask(message, previous)
    return jsonify(reply_json(reply, get_log().record(message, reply)))


REPLY_ID = re.compile(r"[0-9a-f]{32}")  # what QuestionLog.record hands out


@bp.post("/api/feedback")
def feedback():
    """The visitor's "was this helpful?" for one reply, by the id the chat returned."""
    body = json_object('{"id": "...", "helpful": true}')
    if not isinstance(body.get("id"), str) or not REPLY_ID.fullmatch(body["id"]):
        raise BadRequest("'id' must be the id of a reply")
    if not isinstance(body.get("helpful"), bool):
        raise BadRequest("'helpful' must be true or false")
    if not get_log().feedback(body["id"], body["helpful"]):
        raise ServiceUnavailable("feedback is not being recorded right now; please try again later")
    return "", 204


@bp.get("/openapi.yaml")
def openapi():
    """The API's OpenAPI description (the file at the project's root)."""
    return send_file(OPENAPI, mimetype="application/yaml")


@bp.get("/healthz")
def healthz():
    engine = get_engine()
    return jsonify({"status": "ok", "passages": len(engine.passages),
                    "knowledge": engine.knowledge.fingerprint[:12]})
