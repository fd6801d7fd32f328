"""What must hold before a server starts: a usable published index (published now, from a folder
without errors, if nothing ever was)."""

from __future__ import annotations

from pathlib import Path

from .artifact import ArtifactError, load_verified, signing_key
from .publishing import publish_first


def startup_problem(knowledge_dir: Path, index_dir: Path, key_file: Path) -> str | None:
    """None when the bot can serve; otherwise one sentence saying why not.

    Runs in gunicorn's master before any app exists, so it takes the configured paths directly;
    the workers then find the first version published. Only a verified published index is ever
    served: never the folder as it is now, with staff's unchecked edits.
    """
    if problem := publish_first(knowledge_dir, index_dir, key_file):
        return problem
    try:
        load_verified(index_dir, signing_key(key_file))
        return None
    except ArtifactError as err:
        return f"no published index can be served ({err}); run: flask --app app reindex"
    except OSError as err:
        return f"the published index in {index_dir} cannot be read ({err.strerror})"
