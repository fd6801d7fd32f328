"""Commands for developers and staff: ``flask --app app ask|check|reindex|eval|report|purge|staff-password``."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from werkzeug.security import generate_password_hash

from bot.artifact import ArtifactError, load_verified, new_signing_key, publish, published, signing_key
from bot.calibrate import Calibration
from bot.engine import Engine
from bot.evaluate import SPLITS, Corpus, corpora, evaluate, format_report
from bot.knowledge import check_knowledge
from bot.report import to_csv

from .engine import get_holder
from .questionlog import get_log
from .staff import report_groups


@click.command("ask")
@with_appcontext
@click.argument("question", nargs=-1, required=True)
@click.option("--previous", default=None, help="The visitor's message before this one (for a follow-up).")
def ask_command(question: tuple[str, ...], previous: str | None) -> None:
    """Ask the bot a question from the terminal and see its reply, type and source."""
    holder = get_holder()
    if holder.engine is None:
        raise click.ClickException(holder.error)
    reply = holder.engine.ask(" ".join(question), previous)
    click.echo(f"[{reply.type}] confidence {reply.confidence:.2f} ({reply.reason})")
    click.echo(reply.answer)
    for source in reply.sources:
        click.echo(f"  source: {source.title} > {source.section}")
    for related in reply.related:
        click.echo(f"  related: {related}")


@click.command("check")
@with_appcontext
@click.option("--knowledge", "folder", default=None, help="Knowledge folder (default: KNOWLEDGE_DIR).")
def check_command(folder: str | None) -> None:
    """Check the knowledge folder and list every problem with its file and line."""
    folder = folder or current_app.config["KNOWLEDGE_DIR"]
    knowledge, problems = check_knowledge(folder)
    for problem in problems:
        click.echo(str(problem))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    click.echo(f"{errors} error(s), {warnings} warning(s) in {folder}")
    if knowledge is None:
        sys.exit(1)


@click.command("reindex")
@click.option("--knowledge", "folder", default=None, help="Knowledge folder (default: KNOWLEDGE_DIR).")
@click.option("--force", is_flag=True, help="Publish even if the evaluation score dropped.")
@click.option("--new-key", is_flag=True, help="The signing key was lost: make a new one (earlier indexes "
              "then no longer verify, and nothing is compared with them).")
@with_appcontext
def reindex_command(folder: str | None, force: bool, new_key: bool) -> None:
    """Check the knowledge, build the index, evaluate it, and publish it if nothing got worse.

    Running bots pick up the published index within seconds, without a restart.
    """
    folder = folder or current_app.config["KNOWLEDGE_DIR"]
    directory = Path(current_app.config["INDEX_DIR"])
    key = _key(Path(current_app.config["INDEX_KEY_FILE"]), directory, new_key)
    steps = ["check", "build", "evaluate", "publish"]
    with click.progressbar(length=len(steps), label="reindex", file=sys.stderr,
                           show_pos=True, item_show_func=lambda s: s) as bar:
        bar.update(0, "check")
        knowledge, problems = check_knowledge(folder)
        if knowledge is None:
            bar.render_finish()
            _print_problems(problems)
            raise click.ClickException("not published: fix the errors above first")
        bar.update(1, "build")
        started = time.perf_counter()
        engine = Engine(knowledge)
        built = time.perf_counter() - started
        bar.update(1, "evaluate")
        after = _scores(engine, folder)
        before_engine, before_manifest = _published(directory, key)
        before = before_manifest.get("evaluation") or (_scores(before_engine, folder) if before_engine else {})
        bar.update(1, "publish")
    _print_problems(problems)
    click.echo(f"built in {built * 1000:.0f} ms from {folder}; calibrated: {engine.calibration.to_dict()}")
    for label, new, old in _changes(engine, before_engine):
        click.echo(f"  {label:<14} {old:>8} -> {new}")
    for split, score in after.items():
        old = before.get(split)
        click.echo(f"  eval {split:<9} {'%.1f%%' % (old * 100) if old is not None else 'none':>8} -> {score:.1%}")
    dropped = [s for s, score in after.items() if before.get(s) is not None and score < before[s] - 1e-9]
    if dropped and not force:
        raise click.ClickException(f"not published: the evaluation score dropped on {', '.join(dropped)} "
                                   "(see `flask --app app eval`; --force publishes anyway)")
    if before_manifest.get("fingerprint") == knowledge.fingerprint and not force:
        click.echo("knowledge unchanged since the last publish; nothing to do")
        return
    path = publish(knowledge, directory, key, evaluation=after, calibration=engine.calibration.to_dict())
    click.echo(f"published {path.name}; running bots switch to it within "
               f"{current_app.config['INDEX_CHECK_SECONDS']:g} s")


def _key(path: Path, directory: Path, new: bool) -> bytes:
    """The signing key; made only for the first publish or when asked (``--new-key``): a key that
    quietly appeared would let a publish skip the comparison with what visitors get now."""
    if path.exists() and not new:
        return signing_key(path)
    if path.exists():
        raise click.ClickException(f"--new-key: {path} exists; move it away first if it was compromised")
    if published(directory) and not new:
        raise click.ClickException(f"the signing key {path} is missing but indexes were published in {directory}: "
                                   "restore the key from a backup, or run reindex --new-key")
    return new_signing_key(path)


def _print_problems(problems) -> None:
    for problem in problems:
        click.echo(str(problem))


def clinic_corpus(folder: str | Path) -> Corpus:
    """The clinic's knowledge folder with its own evaluation questions (EVAL_QUESTIONS_DIR)."""
    return Corpus("clinic", Path(folder), Path(current_app.config["EVAL_QUESTIONS_DIR"]))


def _scores(engine: Engine, folder: str | Path) -> dict[str, float]:
    """Evaluation score per split, or nothing when the clinic has no evaluation questions."""
    corpus = clinic_corpus(folder)
    return {split: evaluate(engine, cases).score for split in SPLITS if (cases := corpus.cases(split))}


def _published(directory, key) -> tuple[Engine | None, dict]:
    """The engine and manifest of what is published now, if anything usable is."""
    try:
        knowledge, manifest = load_verified(directory, key)
    except ArtifactError:
        return None, {}
    calibration = Calibration.from_dict(manifest["calibration"]) if manifest.get("calibration") else None
    return Engine(knowledge, calibration=calibration), manifest


def _changes(new: Engine, old: Engine | None) -> list[tuple[str, str, str]]:
    def figures(engine: Engine) -> dict[str, int]:
        k = engine.knowledge
        return {"documents": len(k.articles) + sum(p.kind == "faq" for p in k.passages),
                "passages": len(engine.passages),
                "vocabulary": len(engine.index.vocabulary_),
                "units": len(engine.index.units_)}
    now, then = figures(new), figures(old) if old else {}
    return [(label, str(value), str(then.get(label, "none"))) for label, value in now.items()]


@click.command("eval")
@click.option("--corpus", "names", multiple=True,
              help="Only this corpus of tests/eval/corpora.yml (repeatable; default: every corpus).")
@click.option("--split", type=click.Choice(["dev", "heldout", "all"]), default="all", show_default=True,
              help="Which questions: dev (used for tuning), heldout (never tuned on), or both.")
@click.option("--min-score", type=float, default=0.0, show_default=True,
              help="Exit 1 if any corpus's split scores below this share of correct replies.")
@click.option("--published", is_flag=True,
              help="Score the published index that visitors get, on the clinic's questions (EVAL_QUESTIONS_DIR).")
@click.option("--misses/--no-misses", default=False, show_default=True,
              help="List every dev miss (held-out misses are never shown).")
@with_appcontext
def eval_command(names: tuple[str, ...], split: str, min_score: float, published: bool, misses: bool) -> None:
    """Score the bot on every evaluation corpus: per kind of question and per article."""
    chosen = [c for c in corpora() if not names or c.name in names]
    if published:
        holder = get_holder()
        if holder.engine is None:
            raise click.ClickException(holder.error)
        chosen = [clinic_corpus(current_app.config["KNOWLEDGE_DIR"])]
    if names and not chosen:
        raise click.ClickException(f"no corpus named {', '.join(names)} in tests/eval/corpora.yml")
    failed = False
    for corpus in chosen:
        if published:
            engine = get_holder().engine
        else:
            knowledge, problems = check_knowledge_of(corpus)
            if knowledge is None:
                _print_problems(problems)
                raise click.ClickException(f"the knowledge of corpus {corpus.name} has errors (see above)")
            engine = Engine(knowledge)
        for name in (SPLITS if split == "all" else (split,)):
            report = evaluate(engine, corpus.cases(name), corpus.name, name)
            if not report.results:
                continue
            # The held-out split's misses are never printed: whoever reads them would tune on them.
            click.echo(format_report(report, misses=misses and name != "heldout"))
            failed |= report.score < min_score
    if failed:
        click.echo(f"below the minimum score of {min_score:.0%}")
        sys.exit(1)


def check_knowledge_of(corpus: Corpus):
    with corpus.folder() as folder:
        return check_knowledge(folder)


@click.command("report")
@click.option("--days", default=30, show_default=True, help="Look back this many days.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Also write the report to this CSV file.")
@with_appcontext
def report_command(days: int, csv_path: str | None) -> None:
    """Questions handed off or marked unhelpful, grouped: what to write next in knowledge/."""
    groups = report_groups(days)
    if not groups:
        click.echo(f"nothing to review in the last {days} days")
    for g in groups:
        others = f"  (+{len(g.wordings) - 1} other wordings)" if len(g.wordings) > 1 else ""
        click.echo(f"{g.count:>4}x  {g.question}{others}")
        click.echo(f"       closest: {g.closest or '-'}; unhelpful: {g.unhelpful}; "
                   f"last asked {g.last_asked:%Y-%m-%d %H:%M}")
    if csv_path:
        with open(csv_path, "w", encoding="utf-8", newline="") as out:
            out.write(to_csv(groups))
        click.echo(f"wrote {csv_path}")


@click.command("purge")
@with_appcontext
def purge_command() -> None:
    """Delete visitors' questions older than RETENTION_DAYS now (it also happens hourly)."""
    removed = get_log().purge()
    click.echo(f"deleted {removed} question(s) older than {current_app.config['RETENTION_DAYS']} days")


@click.command("staff-password")
@click.password_option(help="The staff page's password (asked twice if not given).")
def staff_password_command(password: str) -> None:
    """Print a STAFF_PASSWORD_HASH for a password, to put in the environment or instance config."""
    click.echo(generate_password_hash(password))


def init_app(app: Flask) -> None:
    for command in (ask_command, check_command, reindex_command, eval_command, report_command,
                    purge_command, staff_password_command):
        app.cli.add_command(command)

