"""The engine each worker answers with, and how it changes while the bot runs.

At start a worker loads the published index (``flask --app app reindex``), or when that one is
refused the newest earlier published index that verifies; with nothing ever published, the folder
is published first if it has no errors. It never serves the folder as it is now (staff's unchecked
edits): with no verified index it answers 503 and the widget shows the clinic's phone and email.
While running, each worker checks every few seconds whether a new
index was published and swaps to it in the background: requests keep being answered by the old
engine until the new one is ready, so none fails during the swap. An artifact that is corrupt,
unsigned or incompatible is refused with one log line and the worker keeps what it has.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import click
from flask import Flask, current_app
from werkzeug.exceptions import ServiceUnavailable

from bot import artifact
from bot.calibrate import Calibration
from bot.engine import Engine, Settings
from bot.publishing import publish_first

from . import background

log = logging.getLogger(__name__)


class EngineHolder:
    """Holds this worker's engine, or the reason it has none."""

    def __init__(self, knowledge_dir: str, index_dir: Path, key_file: Path, check_every: float,
                 settings: Settings | None = None):
        self.knowledge_dir = knowledge_dir
        self.index_dir = index_dir
        self.key_file = key_file
        self.check_every = check_every
        self.settings = settings
        self.engine: Engine | None = None
        self.manifest: dict = {}
        self.error: str | None = None
        self._seen: str | None = None  # the published file last tried, good or bad
        self._next_check = 0.0
        self._lock = threading.Lock()  # one swap at a time
        self._starting = threading.Lock()
        self._started = False

    def ensure_started(self) -> None:
        if not self._started:
            with self._starting:
                if not self._started:
                    self.start()

    def start(self) -> None:
        """Load the published index (or the last one that verifies); with nothing ever published,
        publish the knowledge folder first if it has no errors (``publish_first``)."""
        self._started = True
        if problem := publish_first(Path(self.knowledge_dir), self.index_dir, self.key_file):
            self.error = problem
            log.error(self.error)
            return
        self._seen = artifact.current_name(self.index_dir)
        try:
            knowledge, manifest = artifact.load_verified(self.index_dir, artifact.signing_key(self.key_file))
            self._serve(knowledge, manifest)
            for refused in manifest["refused"]:
                log.error("published index refused: %s; serving %s instead", refused, manifest["file"])
        except artifact.ArtifactError as err:
            self.error = f"no published index can be served: {err}"
            log.error(self.error)

    def refresh(self) -> None:
        """Cheap enough for every request: at most one small file read every ``check_every`` seconds."""
        self.ensure_started()
        now = time.monotonic()
        if now < self._next_check:
            return
        self._next_check = now + self.check_every
        name = artifact.current_name(self.index_dir)
        if name and name != self._seen and self._lock.acquire(blocking=False):
            threading.Thread(target=self._swap_and_release, args=(name,), daemon=True).start()

    def _swap_and_release(self, name: str) -> None:
        try:
            self._swap(name)
        finally:
            self._lock.release()

    def _swap(self, name: str) -> bool:
        """Build an engine from a published artifact and put it in service; False if refused."""
        self._seen = name
        try:
            knowledge, manifest = artifact.load(self.index_dir, artifact.signing_key(self.key_file), name)
        except artifact.ArtifactError as err:
            kept = self.manifest.get("file") or self.manifest.get("source") or "nothing yet"
            log.error("published index refused: %s; still serving %s", err, kept)
            return False
        self._serve(knowledge, manifest)
        return True

    def _serve(self, knowledge, manifest: dict) -> None:
        """Build the engine off the event loop (a second of CPU that would otherwise stop this
        worker's replies), then put it in service."""
        calibration = Calibration.from_dict(manifest["calibration"]) if manifest.get("calibration") else None
        engine = background.run(Engine, knowledge, self.settings, calibration)
        self.engine, self.manifest, self.error = engine, manifest, None
        log.info("serving published index %s (knowledge %s)", manifest["file"], knowledge.fingerprint[:12])


def init_app(app: Flask) -> None:
    """The worker's engine, loaded now; for a command run from the terminal (``flask --app app
    check``: the app is made inside the command's click context), only when the command uses it,
    so that commands which don't, such as check, versions or staff-password, start in a second less."""
    holder = EngineHolder(app.config["KNOWLEDGE_DIR"], Path(app.config["INDEX_DIR"]), Path(app.config["INDEX_KEY_FILE"]),
                          app.config["INDEX_CHECK_SECONDS"], Settings(cache_size=app.config["REPLY_CACHE_SIZE"]))
    if click.get_current_context(silent=True) is None:
        holder.start()
    app.extensions["clinic_bot"] = holder
    app.before_request(holder.refresh)


def get_holder() -> EngineHolder:
    holder = current_app.extensions["clinic_bot"]
    holder.ensure_started()
    return holder


def get_engine() -> Engine:
    """This worker's engine, or a 503 saying why there is none."""
    holder = get_holder()
    if holder.engine is None:
        raise ServiceUnavailable(holder.error or "the bot is starting; try again shortly")
    return holder.engine
