"""The published index: a versioned, signed snapshot of validated knowledge.

Staff edit ``knowledge/`` whenever they like; visitors only ever see what ``reindex`` published
after it passed the checks and the evaluation. The artifact is JSON (it cannot run code when
loaded), names the knowledge's content hash and the library versions that built it, and carries an
HMAC signature made with a key from the instance folder, so the bot refuses any index file it did
not write itself. Building the TF-IDF matrices from the snapshot takes milliseconds, so they are
recomputed on load rather than stored.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import platform
import re
import secrets
import tempfile
from dataclasses import asdict
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from .knowledge import Article, Clinic, HandoffTopic, Knowledge, Passage, RedFlags, Rule, SmallTalk

FORMAT = 3
POINTER = "CURRENT"


class ArtifactError(Exception):
    """A published index that must not be used: missing, corrupt, unsigned or incompatible."""


def versions() -> dict[str, str]:
    """What an index was built with; read from the installed packages' metadata, which is cheap,
    rather than by importing them."""
    return {"format": str(FORMAT), "python": platform.python_version(),
            "scikit-learn": version("scikit-learn"), "nltk": version("nltk")}


def signing_key(path: Path) -> bytes:
    """The instance's signing key. A missing key is an error, never a new key: a new key would make
    every published index unverifiable, and a bot must not quietly start trusting new files."""
    try:
        key = path.read_text().strip().encode()
    except FileNotFoundError:
        raise ArtifactError(f"the signing key {path} is missing: restore it from a backup, or publish "
                            "anew with `flask --app app reindex --new-key`") from None
    if not key:
        raise ArtifactError(f"the signing key {path} is empty")
    return key


def new_signing_key(path: Path) -> bytes:
    """Write a new signing key (readable by its owner only); refuses to replace an existing one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(key)
    return key.encode()


def snapshot(knowledge: Knowledge) -> dict:
    """Everything the engine needs, as plain JSON data."""
    rules = lambda items: [{"name": r.name, "reply": r.reply, "patterns": [p.pattern for p in r.patterns]}  # noqa: E731
                           for r in items]
    return {
        "clinic": asdict(knowledge.clinic),
        "passages": [asdict(p) for p in knowledge.passages],
        "articles": {slug: asdict(a) for slug, a in knowledge.articles.items()},
        "synonyms": knowledge.synonyms,
        "handoff": [{"name": t.name, "reply": t.reply, "questions": list(t.questions), "source": t.source}
                    for t in knowledge.handoff],
        "handoff_reply": knowledge.handoff_reply,
        "emergency": {"rules": rules(knowledge.emergency.rules),
                      "risk_questions": [p.pattern for p in knowledge.emergency.risk_questions]},
        "smalltalk": {"intents": rules(knowledge.smalltalk.intents), "filler": sorted(knowledge.smalltalk.filler)},
        "fingerprint": knowledge.fingerprint,
    }


def restore(data: dict) -> Knowledge:
    """The Knowledge a snapshot was made from."""
    rules = lambda items: [Rule(r["name"], r["reply"], tuple(re.compile(p) for p in r["patterns"]))  # noqa: E731
                           for r in items]
    clinic = data["clinic"]
    clinic["suggested_questions"] = tuple(clinic.get("suggested_questions") or ())
    return Knowledge(
        clinic=Clinic(**clinic),
        passages=[Passage(**{**p, "questions": tuple(p["questions"])}) for p in data["passages"]],
        articles={slug: Article(a["slug"], a["title"], a["url"], [tuple(s) for s in a["sections"]],
                                tuple(a.get("tags") or ()))
                  for slug, a in data["articles"].items()},
        synonyms=data["synonyms"],
        handoff=[HandoffTopic(t["name"], t["reply"], tuple(t["questions"]), t.get("source", ""))
                 for t in data["handoff"]],
        emergency=RedFlags(rules(data["emergency"]["rules"]),
                           tuple(re.compile(p) for p in data["emergency"]["risk_questions"])),
        smalltalk=SmallTalk(rules(data["smalltalk"]["intents"]), frozenset(data["smalltalk"]["filler"])),
        handoff_reply=data["handoff_reply"],
        fingerprint=data["fingerprint"],
    )


def _sign(key: bytes, body: dict) -> str:
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return hmac.new(key, canonical, hashlib.sha256).hexdigest()


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename it over: readers see old or new, never half."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def publish(knowledge: Knowledge, directory: Path, key: bytes, evaluation: dict | None = None,
            calibration: dict | None = None, by: str = "", changes: list[str] | None = None,
            keep: int = 0) -> Path:
    """Write the artifact, then point CURRENT at it. Returns the artifact's path.

    ``calibration`` is what the engine measured on this knowledge when it was built
    (``bot/calibrate.py``): it travels with the knowledge so that no worker measures it again.
    ``by`` and ``changes`` (who published, what they changed) are the version's history; with
    ``keep``, only that many published files are kept (CURRENT's always is).
    """
    directory.mkdir(parents=True, exist_ok=True)
    body = {"versions": versions(), "fingerprint": knowledge.fingerprint,
            "published": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "by": by, "changes": changes or [],
            "evaluation": evaluation or {}, "calibration": calibration or {}, "knowledge": snapshot(knowledge)}
    name = f"index-{knowledge.fingerprint[:16]}.json"
    _write_atomically(directory / name, json.dumps({**body, "signature": _sign(key, body)}, ensure_ascii=False))
    _write_atomically(directory / POINTER, name + "\n")
    if keep:
        prune(directory, keep)
    return directory / name


def prune(directory: Path, keep: int) -> list[str]:
    """Delete published files beyond the ``keep`` newest (never the one CURRENT names)."""
    current = current_name(directory)
    older = [name for name in published(directory) if name != current]
    removed = older[max(0, keep - 1):]
    for name in removed:
        (directory / name).unlink(missing_ok=True)
    return removed


def history(directory: Path, key: bytes) -> list[dict]:
    """Every published version, newest first: file, date, who, what changed, its evaluation, and
    whether it is current and still verifies (only those can be rolled back to)."""
    current, rows = current_name(directory), []
    for name in published(directory):
        try:
            _, manifest = load(directory, key, name)
            row = {k: manifest.get(k) for k in ("file", "published", "by", "changes", "evaluation", "fingerprint")}
            row["usable"] = True
        except ArtifactError as err:
            row = {"file": name, "usable": False, "refused": str(err)}
        rows.append(row | {"current": name == current})
    return sorted(rows, key=lambda r: (r["current"], r.get("published") or ""), reverse=True)


def rollback(directory: Path, key: bytes, name: str) -> dict:
    """Point CURRENT at an earlier published file, after checking that it verifies; running bots
    switch to it as to any publish. Returns its manifest."""
    if name not in published(directory):
        raise ArtifactError(f"no published version named {name!r} in {directory}")
    _, manifest = load(directory, key, name)
    _write_atomically(directory / POINTER, name + "\n")
    return manifest


def current_name(directory: Path) -> str | None:
    """The file name CURRENT points at, or None when nothing was published."""
    try:
        return (directory / POINTER).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def published(directory: Path) -> list[str]:
    """Every index file published in ``directory``, the one CURRENT names first, then newest first."""
    current = current_name(directory)
    files = sorted(directory.glob("index-*.json"), key=lambda p: p.stat().st_mtime, reverse=True) \
        if directory.is_dir() else []
    return list(dict.fromkeys(([current] if current else []) + [p.name for p in files]))


def load_verified(directory: Path, key: bytes) -> tuple[Knowledge, dict]:
    """The published index to serve: CURRENT's, or when that one is refused (tampered, unsigned,
    corrupt) the newest earlier one that verifies; ``manifest["refused"]`` says what was passed over.
    Raises ArtifactError when nothing published verifies: the bot then serves no unchecked folder."""
    refused = []
    for name in published(directory):
        try:
            knowledge, manifest = load(directory, key, name)
        except ArtifactError as err:
            refused.append(str(err))
            continue
        return knowledge, manifest | {"refused": refused}
    raise ArtifactError("; ".join(refused) or f"nothing published in {directory}")


def load(directory: Path, key: bytes, name: str | None = None) -> tuple[Knowledge, dict]:
    """The published knowledge and its manifest; ArtifactError says why it can't be used."""
    name = name or current_name(directory)
    if not name:
        raise ArtifactError(f"nothing published in {directory}")
    if "/" in name or "\\" in name or not name.startswith("index-"):
        raise ArtifactError(f"CURRENT names an unexpected file: {name!r}")
    try:
        data = json.loads((directory / name).read_text(encoding="utf-8"))
        signature = data.pop("signature")
    except (OSError, ValueError, KeyError, AttributeError) as err:
        raise ArtifactError(f"{name} is unreadable or corrupt ({type(err).__name__})") from None
    if not hmac.compare_digest(str(signature), _sign(key, data)):
        raise ArtifactError(f"{name} is not signed by this bot's key; refusing to load it")
    built = data.get("versions", {})
    if built.get("format") != str(FORMAT):
        raise ArtifactError(f"{name} has format {built.get('format')}, this bot reads format {FORMAT}")
    try:
        knowledge = restore(data["knowledge"])
    except (KeyError, TypeError, ValueError) as err:
        raise ArtifactError(f"{name} does not hold a knowledge snapshot ({type(err).__name__})") from None
    manifest = {k: v for k, v in data.items() if k != "knowledge"} | {"file": name}
    return knowledge, manifest
