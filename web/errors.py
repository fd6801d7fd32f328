"""Every error as a small JSON body that says what went wrong: no HTML pages, no tracebacks."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)


MESSAGES = {
    404: "no such page or endpoint",
    405: "this endpoint does not accept that method",
    413: "the request body is too large",
    429: "too many messages; please wait a moment and try again",
}


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        default = error.description == type(error).description  # werkzeug's generic wording
        message = MESSAGES.get(error.code, error.description) if default else error.description
        response = jsonify({"error": message or error.name})
        response.status_code = error.code or 500
        for name, value in error.get_headers():
            if name in ("Allow", "Retry-After"):
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unexpected error")
        return http_error(InternalServerError("something went wrong on our side; please try again"))
