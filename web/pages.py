"""Pages for people: the demo chat and the clinic's articles as the bot knows them ("read more")."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from .engine import get_engine

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    """A demo host page that embeds the widget with the same one line a clinic's site uses."""
    knowledge = get_engine().knowledge
    return render_template("index.html", clinic=knowledge.clinic, article=next(iter(knowledge.articles)))


@bp.get("/chat")
def chat():
    """The chat itself, shown inside the widget's iframe."""
    knowledge = get_engine().knowledge
    covers = knowledge.clinic.covers
    placeholder = f"Ask about {covers}…" if len(covers) <= 30 else "Ask a question…"
    return render_template("chat.html", clinic=knowledge.clinic, placeholder=placeholder,
                           suggestions=knowledge.clinic.suggested_questions,
                           max_chars=current_app.config["MAX_MESSAGE_CHARS"])


@bp.get("/widget.js")
def widget():
    """The one script a clinic's site includes; it carries the phone number for when the bot is down."""
    clinic = get_engine().knowledge.clinic
    details = {"name": clinic.name, "phone": clinic.phone, "email": clinic.email,
               "embed": current_app.config["ALLOWED_EMBED_ORIGINS"]}  # public: the sites it is on
    body = render_template("widget.js", clinic=details)
    return current_app.response_class(body, mimetype="text/javascript",
                                      headers={"Cache-Control": "public, max-age=300"})


@bp.get("/articles/<slug>")
def article(slug: str):
    """An article rendered from the loaded knowledge (looked up by name, never read from a path)."""
    knowledge = get_engine().knowledge
    found = knowledge.articles.get(slug)
    if found is None:
        abort(404, description="no such article")
    sections = [p for p in knowledge.passages if p.kind == "section" and p.article == slug]
    return render_template("article.html", article=found, sections=sections, clinic=knowledge.clinic)
