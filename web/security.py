"""Security headers on every response, and who may frame the chat.

The bot's own pages run no inline script, so the Content-Security-Policy can forbid it. Only the
chat page may be framed, and only by the sites in ``ALLOWED_EMBED_ORIGINS`` (plus the bot itself,
for its demo page): another site cannot put the clinic's bot inside its own page.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

BASE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; "
               "form-action 'self'")
FRAMEABLE = {"pages.chat"}


def frame_ancestors() -> str:
    origins = " ".join(current_app.config["ALLOWED_EMBED_ORIGINS"])
    return f"frame-ancestors 'self' {origins}".rstrip()


def add_headers(response: Response) -> Response:
    policy = frame_ancestors() if request.endpoint in FRAMEABLE else "frame-ancestors 'none'"
    response.headers["Content-Security-Policy"] = f"{BASE_POLICY}; {policy}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.endpoint not in FRAMEABLE:
        response.headers["X-Frame-Options"] = "DENY"
    if request.endpoint in {"api.chat", "api.feedback"}:
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_headers)
