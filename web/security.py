"""Security headers on every response, and who may frame the chat.

The bot's own pages run no inline script, so the Content-Security-Policy can forbid it. Only the
chat page may be framed, and only by the sites in ``ALLOWED_EMBED_ORIGINS`` (plus the bot itself,
for its demo page): another site cannot put the clinic's bot inside its own page.
"""

from __future__ import annotations

from flask import Flask, Response, request

BASE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; "
               "form-action 'self'")
FRAMEABLE = {"pages.chat"}
NO_STORE = {"api.chat", "api.feedback"}


COMMON = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin",
          "Cross-Origin-Opener-Policy": "same-origin"}


def init_app(app: Flask) -> None:
    """Headers computed once from the configuration, then added to every response."""
    origins = " ".join(app.config["ALLOWED_EMBED_ORIGINS"])
    framed = {**COMMON, "Content-Security-Policy": f"{BASE_POLICY}; frame-ancestors 'self' {origins}".rstrip()}
    unframed = {**COMMON, "Content-Security-Policy": f"{BASE_POLICY}; frame-ancestors 'none'",
                "X-Frame-Options": "DENY"}

    @app.after_request
    def add_headers(response: Response) -> Response:
        response.headers.update(framed if request.endpoint in FRAMEABLE else unframed)
        if request.endpoint in NO_STORE:
            response.headers["Cache-Control"] = "no-store"
        return response
