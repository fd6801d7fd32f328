"""Publishing the knowledge folder: check, build, compare with what visitors get now, publish.

One way to publish, used by ``flask --app app reindex`` and the staff console alike. ``prepare``
does the slow part (a few seconds) and changes nothing; ``Plan.publish`` writes the version when
nothing blocks it. What blocks, in the order staff meet it: errors in the folder; nothing changed;
a regression (a reply that was right and now is wrong, see ``bot/gate.py``) unless forced;
questions newly answered that nobody confirmed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from . import artifact
from .calibrate import Calibration
from .engine import Engine
from .evaluate import SPLITS, Corpus, evaluate
from .gate import Verdict, compare, confirm, content_changes
from .knowledge import Knowledge, Problem, check_knowledge


class NotPublished(Exception):
    """Why a publish did not happen, in one sentence for staff."""


@dataclass
class Plan:
    folder: Path
    corpus: Corpus
    knowledge: Knowledge | None
    problems: list[Problem]
    engine: Engine | None = None
    published_knowledge: Knowledge | None = None
    published: Engine | None = None  # built only when the folder changed
    manifest: dict = field(default_factory=dict)  # what is published now
    verdict: Verdict = field(default_factory=Verdict)
    scores: dict[str, float] = field(default_factory=dict)  # per split, the new version's
    questions: dict[str, int] = field(default_factory=dict)  # per split, how many
    build_seconds: float = 0.0

    @property
    def unchanged(self) -> bool:
        return bool(self.knowledge) and self.manifest.get("fingerprint") == self.knowledge.fingerprint

    def confirmed_scores(self) -> dict[str, float]:
        """The scores once the new answers are confirmed: each becomes a dev question answered right."""
        added = len(self.verdict.to_confirm)
        return {split: score + (added / self.questions[split] if split == "dev" and self.questions[split] else 0)
                for split, score in self.scores.items()}

    def holdup(self, force: bool = False, confirmed: bool = False) -> str | None:
        """What stops this plan being published, in the order staff meet it: "errors", "unchanged",
        "regressions" or "unconfirmed" (each CLI and the console put it in their own words); or None."""
        if self.knowledge is None:
            return "errors"
        if self.unchanged:  # even forced: the same files are already what visitors get
            return "unchanged"
        if force:
            return None
        if self.verdict.regressions:
            return "regressions"
        if self.verdict.to_confirm and not confirmed:
            return "unconfirmed"
        return None

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    def blocker(self, force: bool = False, confirmed: bool = False) -> str | None:
        """Why this plan must not be published as it stands (in the command line's words), or None."""
        kind = self.holdup(force, confirmed)
        return {
            None: None,
            "errors": f"not published: the knowledge folder has {self.errors} error(s); fix them first",
            "unchanged": "knowledge unchanged since the last publish; nothing to do",
            "regressions": f"not published: {len(self.verdict.regressions)} question(s) that were answered right "
                           "would now be answered wrong (listed above); fix the knowledge, or --force in an emergency",
            "unconfirmed": f"not published: {len(self.verdict.to_confirm)} question(s) would now be answered instead "
                           "of handed off (listed above); confirm they are right (--yes, or the console's Publish)",
        }[kind]

    def publish(self, index_dir: Path, key: bytes, *, by: str = "", force: bool = False,
                confirmed: bool = False, keep: int = 0) -> Path:
        """Publish this plan, recording confirmed new answers in the evaluation set first."""
        if reason := self.blocker(force, confirmed):
            raise NotPublished(reason)
        if self.verdict.to_confirm and confirmed:
            confirm(self.verdict.to_confirm, self.corpus.questions, by)
        scores = self.confirmed_scores() if confirmed else self.scores
        return artifact.publish(self.knowledge, index_dir, key, evaluation=scores,
                                calibration=self.engine.calibration.to_dict(), by=by,
                                changes=self.verdict.content, keep=keep)


def prepare(folder: Path, questions: Path, index_dir: Path, key: bytes | None) -> Plan:
    """Check and build the folder and compare it, question by question, with what is published
    (nothing is built when the folder is what was published)."""
    knowledge, problems = check_knowledge(folder)
    plan = Plan(Path(folder), Corpus("clinic", Path(folder), Path(questions)), knowledge, problems)
    if knowledge is None:
        return plan
    plan.published_knowledge, plan.manifest = published_knowledge(index_dir, key)
    if plan.unchanged:
        return plan
    started = time.perf_counter()
    plan.engine = Engine(knowledge)
    plan.build_seconds = time.perf_counter() - started
    reports = {split: evaluate(plan.engine, cases) for split in SPLITS if (cases := plan.corpus.cases(split))}
    plan.scores = {split: report.score for split, report in reports.items()}
    plan.questions = {split: len(report.results) for split, report in reports.items()}
    if plan.published_knowledge is not None:
        calibration = plan.manifest.get("calibration")
        plan.published = Engine(plan.published_knowledge,
                                calibration=Calibration.from_dict(calibration) if calibration else None)
    # Question by question on dev only: held-out questions are scored, never shown to anyone who
    # might tune on them.
    plan.verdict = compare(plan.published, knowledge, reports["dev"].results if "dev" in reports else [])
    return plan


def published_knowledge(index_dir: Path, key: bytes | None) -> tuple[Knowledge | None, dict]:
    """The knowledge and manifest of what visitors get now, if anything usable is published."""
    if key is None:
        return None, {}
    try:
        return artifact.load_verified(index_dir, key)
    except artifact.ArtifactError:
        return None, {}


def publishing_key(path: Path, index_dir: Path, new: bool = False) -> bytes:
    """The signing key to publish with; made only for the first publish or when asked (``new``):
    a key that quietly appeared would let a publish skip the comparison with what visitors get now."""
    if path.exists() and not new:
        return artifact.signing_key(path)
    if path.exists():
        raise NotPublished(f"a new key was asked for but {path} exists; move it away first if it was compromised")
    if artifact.published(index_dir) and not new:
        raise NotPublished(f"the signing key {path} is missing but indexes were published in {index_dir}: "
                           "restore the key from a backup, or run reindex --new-key")
    return artifact.new_signing_key(path)


def publish_first(folder: Path, index_dir: Path, key_file: Path) -> str | None:
    """On a bot's very first start, with nothing published yet: publish the knowledge folder if it
    passes the checks (there is nothing to compare it with), so that what visitors get is always a
    published, signed version. Returns None, or one sentence saying why the bot cannot start."""
    if artifact.current_name(index_dir):
        return None
    try:
        knowledge, problems = check_knowledge(folder)
    except OSError as err:
        return f"the knowledge folder {folder} cannot be read ({err.strerror})"
    if knowledge is None:
        errors = sum(p.severity == "error" for p in problems)
        return (f"nothing is published yet and the knowledge folder {folder} has {errors} error(s); "
                "run: flask --app app check")
    try:
        key = publishing_key(key_file, index_dir)
    except NotPublished as reason:
        return str(reason)
    except FileExistsError:  # another worker made the first key a moment ago
        key = artifact.signing_key(key_file)
    engine = Engine(knowledge)
    artifact.publish(knowledge, index_dir, key, calibration=engine.calibration.to_dict(), by="first start",
                     changes=content_changes(None, knowledge))
    return None
