"""The engine of this process: built once per worker when the app is created, kept on the app.

A knowledge folder with errors does not crash the process: the errors are logged, ``/healthz``
answers 503 and the chat says it is unavailable, while ``flask --app app check`` can still explain
what is wrong.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app
from werkzeug.exceptions import ServiceUnavailable

from bot.engine import Engine
from bot.knowledge import KnowledgeError

log = logging.getLogger(__name__)


class EngineHolder:
    """Holds the engine a worker answers with, or the reason it has none."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.error: str | None = None

    def load(self, folder: str) -> None:
        try:
            self.engine = Engine.from_folder(folder)
            self.error = None
        except KnowledgeError as err:
            self.error = f"knowledge folder {folder} has errors (run: flask --app app check)"
            for problem in err.problems:
                log.error("knowledge: %s", problem)
            log.error(self.error)


def init_app(app: Flask) -> None:
    holder = EngineHolder()
    holder.load(app.config["KNOWLEDGE_DIR"])
    app.extensions["clinic_bot"] = holder


def get_engine() -> Engine:
    """This worker's engine, or a 503 saying why there is none."""
    holder: EngineHolder = current_app.extensions["clinic_bot"]
    if holder.engine is None:
        raise ServiceUnavailable(holder.error or "the bot is starting; try again shortly")
    return holder.engine
