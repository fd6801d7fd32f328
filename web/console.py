"""The staff console: edit the knowledge folder, try questions on the draft, publish, roll back.

Behind the same login as the report (``web/staff.py``). The knowledge folder stays the source of
truth: the console writes its plain files atomically and keeps every file it replaces or deletes
in ``KNOWLEDGE_HISTORY_DIR`` (``instance/knowledge-history/``). Only the files staff are meant to edit can be named (a fixed
pattern, never a path from the request), and every write is JSON from this same site: a browser
sends the staff login with any request, so a form posted from another site must not edit anything.
Building and comparing a version takes seconds of CPU; it runs off the worker's event loop so
visitors' chats on the same worker go on being answered.
"""

from __future__ import annotations

import fcntl
import hashlib
import re
import shutil
import tempfile
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from flask import Blueprint, current_app, jsonify, render_template, request
from werkzeug.exceptions import BadRequest, Conflict, Forbidden, NotFound, RequestEntityTooLarge, ServiceUnavailable

from bot import artifact
from bot.engine import Engine, Reply
from bot.knowledge import check_knowledge, fingerprint
from bot.publishing import NotPublished, Plan, prepare, publishing_key

from . import background
from .api import json_object
from .engine import get_holder
from .staff import no_store, require_login

bp = Blueprint("console", __name__, url_prefix="/staff/console")
bp.before_request(require_login)
bp.after_request(no_store)

EDITABLE = re.compile(r"(clinic|synonyms|handoff)\.yml|(faq|articles)/[a-z0-9][a-z0-9-]{0,80}\.md")
LARGEST_FILE = 256 * 1024  # bytes: an article is a few kilobytes
_one_at_a_time = threading.BoundedSemaphore(1)  # see _heavy


@bp.before_request
def same_site_json_only():
    """Writes come from the console's own script: JSON (which a cross-site form cannot send
    without a preflight this app never answers), and no Origin but this site's."""
    if request.method in ("GET", "HEAD"):
        return
    request.max_content_length = LARGEST_FILE + 4096
    origin = request.headers.get("Origin")
    if origin and origin.rstrip("/") != request.host_url.rstrip("/"):
        raise Forbidden("the console accepts changes from its own page only")
    if request.headers.get("Sec-Fetch-Site") not in (None, "same-origin", "none"):
        raise Forbidden("the console accepts changes from its own page only")


def _folder() -> Path:
    return Path(current_app.config["KNOWLEDGE_DIR"])


def _file(name: object) -> Path:
    """The knowledge file a request names, if it is one staff may edit: a fixed pattern, and no
    link anywhere on the way (a link in the folder, from a checkout say, could lead outside it)."""
    if not isinstance(name, str) or not EDITABLE.fullmatch(name):
        raise BadRequest("name a knowledge file like faq/parking.md, articles/taping.md or clinic.yml "
                         "(lowercase letters, digits and dashes)")
    folder = _folder()
    path = folder / name
    if any(p.is_symlink() for p in (path, path.parent)) or not path.parent.resolve().is_relative_to(folder.resolve()):
        raise BadRequest(f"{name} is a link to another place: the console edits only files in the knowledge folder")
    return path


def _version(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@bp.get("/")
def console():
    holder = get_holder()
    clinic = holder.engine.knowledge.clinic if holder.engine else None
    return render_template("console.html", clinic=clinic)


@bp.get("/files")
def files():
    folder = _folder()
    names = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()
                   and EDITABLE.fullmatch(str(p.relative_to(folder))))
    return jsonify(files=names)


@bp.get("/file")
def read():
    path = _file(request.args.get("path"))
    if not path.is_file():
        raise NotFound(f"{request.args['path']} does not exist yet")
    text = path.read_text(encoding="utf-8", errors="replace")
    return jsonify(path=request.args["path"], text=text, version=_version(text))


@bp.post("/check")
def check():
    """Every problem the folder would have with this file's text in it (as `check` says them)."""
    body = json_object('{"path": "faq/x.md", "text": "..."}')
    name, text = body.get("path"), _text(body)
    _file(name)
    with _draft_copy(name, text) as folder:
        _, problems = _heavy(check_knowledge, folder)
    return jsonify(problems=[_problem(p) for p in sorted(problems, key=lambda p: (p.path != name, p.line))])


@bp.put("/file")
def save():
    """Save a file atomically, keeping the one it replaces; 409 when someone saved it meanwhile."""
    body = json_object('{"path": "faq/x.md", "text": "...", "version": "..."}')
    path, text = _file(body.get("path")), _text(body)
    with _writing():
        _unchanged_since(path, body.get("version"))
        _within_size(path, text)
        _keep(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        artifact._write_atomically(path, text)
    _, problems = _heavy(check_knowledge, _folder())
    return jsonify(path=body["path"], version=_version(text), problems=[_problem(p) for p in problems])


@bp.delete("/file")
def delete():
    body = json_object('{"path": "faq/x.md", "version": "..."}')
    path = _file(body.get("path"))
    if not str(body["path"]).startswith(("faq/", "articles/")):
        raise BadRequest("only FAQ entries and articles can be deleted: the clinic's details and lists stay")
    if not path.is_file():
        raise NotFound(f"{body['path']} does not exist")
    with _writing():
        _unchanged_since(path, body.get("version"))
        _keep(path)
        path.unlink()
    return jsonify(deleted=body["path"])


@bp.post("/try")
def try_question():
    """A question's reply from the draft (the folder as it is now) and from what visitors get."""
    body = json_object('{"question": "..."}')
    question = body.get("question")
    if not isinstance(question, str) or not question.strip() or len(question) > current_app.config["MAX_MESSAGE_CHARS"]:
        raise BadRequest("'question' must be a non-empty text")
    holder = get_holder()
    draft, problems = _draft_engine()
    return jsonify(
        draft=_explain(draft.reply(question), draft) if draft else None,
        draft_problems=[_problem(p) for p in problems if p.severity == "error"],
        published=_explain(holder.engine.reply(question), holder.engine) if holder.engine else None,
        published_file=holder.manifest.get("file"))


@bp.post("/preview")
def preview():
    """What publishing the folder now would change for visitors, and whether it may."""
    plan = _plan()
    return jsonify(_plan_view(plan))


@bp.post("/publish")
def publish():
    body = json_object('{"confirm": true}')
    plan = _plan()
    config = current_app.config
    try:
        key = publishing_key(Path(config["INDEX_KEY_FILE"]), Path(config["INDEX_DIR"]))
        path = plan.publish(Path(config["INDEX_DIR"]), key, by=request.authorization.username,
                            confirmed=body.get("confirm") is True, keep=config["INDEX_KEEP"])
    except NotPublished as reason:
        raise Conflict(str(reason)) from None
    current_app.extensions.pop("console_plan", None)
    return jsonify(published=path.name, switch_seconds=config["INDEX_CHECK_SECONDS"])


@bp.get("/versions")
def versions():
    config = current_app.config
    key_file = Path(config["INDEX_KEY_FILE"])
    rows = artifact.history(Path(config["INDEX_DIR"]), artifact.signing_key(key_file)) if key_file.exists() else []
    return jsonify(versions=rows)


@bp.post("/rollback")
def rollback():
    body = json_object('{"file": "index-....json"}')
    config = current_app.config
    try:
        manifest = artifact.rollback(Path(config["INDEX_DIR"]), artifact.signing_key(Path(config["INDEX_KEY_FILE"])),
                                     str(body.get("file")))
    except artifact.ArtifactError as err:
        raise Conflict(str(err)) from None
    return jsonify(current=manifest["file"], published=manifest.get("published"),
                   switch_seconds=config["INDEX_CHECK_SECONDS"])


# -- helpers ---------------------------------------------------------------------------------
def _text(body: dict) -> str:
    text = body.get("text")
    if not isinstance(text, str):
        raise BadRequest("'text' must be the file's text")
    if len(text.encode()) > LARGEST_FILE:
        raise BadRequest(f"a knowledge file may be at most {LARGEST_FILE // 1024} KB")
    return text.replace("\r\n", "\n")


def _problem(problem) -> dict:
    return {"path": problem.path, "line": problem.line, "message": problem.message,
            "severity": problem.severity, "text": str(problem)}


def _unchanged_since(path: Path, version: object) -> None:
    """Refuse to overwrite a file changed since the editor loaded it (another tab, git, a colleague)."""
    current = _version(path.read_text(encoding="utf-8", errors="replace")) if path.is_file() else None
    if current is not None and not version:
        raise Conflict(f"a file named {path.name} already exists: choose another name, or open that file")
    if current != (version or None):
        raise Conflict("this file changed since you opened it (another tab or a colleague?): "
                       "copy your text, reload the file and apply your change again")


def _keep(path: Path) -> None:
    """Copy a file about to be replaced or deleted into the history folder, dated."""
    if not path.is_file() or path.is_symlink():
        return
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    kept = Path(current_app.config["KNOWLEDGE_HISTORY_DIR"]) / stamp / path.relative_to(_folder())
    kept.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(path, kept)


@contextmanager
def _draft_copy(name: str, text: str):
    """The knowledge folder copied to a temporary place with one file's text replaced."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "knowledge"
        shutil.copytree(_folder(), folder, ignore=shutil.ignore_patterns(".*"), symlinks=True)
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        yield folder


def _kept(name: str, stamp, make):
    """``make()``'s result, kept in the app until ``stamp`` (what it was made from) changes."""
    cached = current_app.extensions.get(name)
    if cached is None or cached[0] != stamp:
        cached = current_app.extensions[name] = (stamp, make())
    return cached[1]


def _draft_engine() -> tuple[Engine | None, list]:
    """The engine of the folder as it is now (with its problems), built once per version of it."""
    folder = _folder()
    return _kept("console_draft", fingerprint(folder), lambda: _heavy(_checked_engine, folder))


def _checked_engine(folder: Path) -> tuple[Engine | None, list]:
    knowledge, problems = check_knowledge(folder)
    return (Engine(knowledge) if knowledge else None), problems


def _plan() -> Plan:
    """The publish plan for the folder as it is now against what is published now (kept until
    either changes, so Publish after Preview does not redo the work)."""
    config = current_app.config
    folder, index_dir, key_file = _folder(), Path(config["INDEX_DIR"]), Path(config["INDEX_KEY_FILE"])
    def make() -> Plan:
        key = artifact.signing_key(key_file) if key_file.exists() else None
        return _heavy(prepare, folder, Path(config["EVAL_QUESTIONS_DIR"]), index_dir, key)
    return _kept("console_plan", (fingerprint(folder), artifact.current_name(index_dir)), make)


def _plan_view(plan: Plan) -> dict:
    before = plan.manifest.get("evaluation") or {}
    return {"blocked": plan.blocker(), "blocked_even_if_confirmed": plan.blocker(confirmed=True),
            "say": _in_plain_words(plan),
            "unchanged": plan.unchanged, "problems": [_problem(p) for p in plan.problems],
            "scores": {split: {"before": before.get(split), "after": score, "confirmed": plan.confirmed_scores()[split]}
                       for split, score in plan.scores.items()},
            "published": plan.manifest.get("file"), **plan.verdict.to_dict()}


def _in_plain_words(plan: Plan) -> str:
    """What the staff member can do next, in the console's words (the CLI's name its flags)."""
    return {
        None: "Ready to publish.",
        "errors": f"Not ready to publish: {plan.errors} file problem(s), listed here. Fix them, save, and look again.",
        "unchanged": "Nothing to publish: visitors already get exactly these files.",
        "regressions": f"Publishing is blocked: {len(plan.verdict.regressions)} answer(s) that are right today would "
                       "become wrong (listed above, each with how to keep it). Change the files, save, and look again.",
        "unconfirmed": f"{len(plan.verdict.to_confirm)} question(s) would now get an answer instead of the clinic's "
                       "phone number. Read each one: tick the ones that are right. If one is wrong, change the files "
                       "instead.",
    }[plan.holdup()]


def _explain(reply: Reply, engine: Engine) -> dict:
    """A reply with why it was chosen, for staff: the entry or topic it matched and its file."""
    matched = reply.matched or ""
    source = ""
    if matched in engine.passages:
        source = engine.passages[matched].source
    elif matched in engine.topics:
        source = engine.topics[matched].source
    return {"type": reply.type, "answer": reply.answer, "reason": reply.reason, "matched": matched,
            "file": source, "confidence": reply.confidence,
            "sources": [f"{s.title} > {s.section}" for s in reply.sources]}


def _heavy(function, *args):
    """Checking, building or comparing a version: one at a time in a worker (a flood of them can
    neither take every CPU from visitors nor hold several copies of a large folder in memory), and
    off its event loop."""
    if not _one_at_a_time.acquire(timeout=120):
        raise ServiceUnavailable("the console is busy with another check or preview; try again in a moment")
    try:
        return background.run(function, *args)
    finally:
        _one_at_a_time.release()


@contextmanager
def _writing():
    """One writer of the knowledge folder at a time, across workers (an advisory lock file), so two
    saves of the same file cannot both pass the "unchanged since you opened it" check."""
    lock = Path(current_app.config["KNOWLEDGE_HISTORY_DIR"]) / ".write.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _within_size(path: Path, text: str) -> None:
    """Refuse a save that would make the folder bigger than KNOWLEDGE_MAX_BYTES."""
    folder = _folder()
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    total += len(text.encode()) - (path.stat().st_size if path.is_file() else 0)
    limit = current_app.config["KNOWLEDGE_MAX_BYTES"]
    if total > limit:
        raise RequestEntityTooLarge(f"the knowledge folder would be {total // 1024} KB, over its "
                                    f"{limit // 1024} KB limit (KNOWLEDGE_MAX_BYTES)")
