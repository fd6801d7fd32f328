"""What must hold before a server starts: a usable published index or a loadable knowledge folder."""

from __future__ import annotations

import os
from pathlib import Path

from .artifact import ArtifactError, current_name, load, signing_key
from .knowledge import KnowledgeError, load_knowledge

ROOT = Path(__file__).resolve().parent.parent


def startup_problem(environ: dict | None = None) -> str | None:
    """None when the bot can serve; otherwise one sentence saying why not.

    Reads the same environment variables as config.py, because it runs in gunicorn's master before
    any app exists.
    """
    env = os.environ if environ is None else environ
    instance = ROOT / "instance"
    index_dir = Path(env.get("INDEX_DIR") or instance / "index")
    key_file = Path(env.get("INDEX_KEY_FILE") or instance / "index.key")
    if current_name(index_dir):
        try:
            load(index_dir, signing_key(key_file))
            return None
        except (ArtifactError, OSError):
            pass  # the folder below may still do
    folder = Path(env.get("KNOWLEDGE_DIR") or ROOT / "knowledge")
    try:
        load_knowledge(folder)
    except KnowledgeError as err:
        return f"{len(err.problems)} problem(s) in the knowledge folder {folder}; run: flask --app app check"
    except OSError as err:
        return f"the knowledge folder {folder} cannot be read ({err.strerror})"
    return None
