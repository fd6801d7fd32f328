"""Every error as a small JSON body that says what went wrong: no HTML pages, no tracebacks."""

from __future__ import annotations

import logging

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        response = jsonify({"error": error.description or error.name})
        response.status_code = error.code or 500
        for name in ("Allow", "Retry-After"):
            if error.get_headers() and dict(error.get_headers()).get(name):
                response.headers[name] = dict(error.get_headers())[name]
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unexpected error")
        return http_error(InternalServerError("something went wrong on our side; please try again"))
