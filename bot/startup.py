"""What must hold before a server starts: a usable published index or a loadable knowledge folder."""

from __future__ import annotations

from pathlib import Path

from .artifact import ArtifactError, current_name, load_verified, signing_key
from .knowledge import KnowledgeError, load_knowledge


def startup_problem(knowledge_dir: Path, index_dir: Path, key_file: Path) -> str | None:
    """None when the bot can serve; otherwise one sentence saying why not.

    Runs in gunicorn's master before any app exists, so it takes the configured paths directly.
    """
    if current_name(index_dir):
        # Once something was published, only a verified published index is served: never the
        # folder as it is now, with staff's unchecked edits.
        try:
            load_verified(index_dir, signing_key(key_file))
            return None
        except ArtifactError as err:
            return f"no published index can be served ({err}); run: flask --app app reindex"
        except OSError as err:
            return f"the published index in {index_dir} cannot be read ({err.strerror})"
    try:
        load_knowledge(knowledge_dir)
    except KnowledgeError as err:
        return f"{len(err.problems)} problem(s) in the knowledge folder {knowledge_dir}; run: flask --app app check"
    except OSError as err:
        return f"the knowledge folder {knowledge_dir} cannot be read ({err.strerror})"
    return None
