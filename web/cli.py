"""Commands for developers and staff: ``flask --app app ask|check|reindex|eval|report|purge|staff-password``."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from werkzeug.security import generate_password_hash

from bot.artifact import ArtifactError, publish, signing_key
from bot.artifact import load as load_artifact
from bot.engine import Engine
from bot.evaluate import EVAL_DIR, SPLITS, evaluate, format_report
from bot.knowledge import check_knowledge
from bot.report import to_csv

from .engine import get_holder
from .questionlog import get_log
from .staff import report_groups


@click.command("ask")
@with_appcontext
@click.argument("question", nargs=-1, required=True)
def ask_command(question: tuple[str, ...]) -> None:
    """Ask the bot a question from the terminal and see its reply, type and source."""
    holder = get_holder()
    if holder.engine is None:
        raise click.ClickException(holder.error)
    reply = holder.engine.ask(" ".join(question))
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
@with_appcontext
def reindex_command(folder: str | None, force: bool) -> None:
    """Check the knowledge, build the index, evaluate it, and publish it if nothing got worse.

    Running bots pick up the published index within seconds, without a restart.
    """
    folder = folder or current_app.config["KNOWLEDGE_DIR"]
    directory = Path(current_app.config["INDEX_DIR"])
    key = signing_key(Path(current_app.config["INDEX_KEY_FILE"]))
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
        after = _scores(engine)
        before_engine, before_manifest = _published(directory, key)
        before = before_manifest.get("evaluation") or (_scores(before_engine) if before_engine else {})
        bar.update(1, "publish")
    _print_problems(problems)
    click.echo(f"built in {built * 1000:.0f} ms from {folder}")
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
    path = publish(knowledge, directory, key, evaluation=after)
    click.echo(f"published {path.name}; running bots switch to it within "
               f"{current_app.config['INDEX_CHECK_SECONDS']:g} s")


def _print_problems(problems) -> None:
    for problem in problems:
        click.echo(str(problem))


def _scores(engine: Engine) -> dict[str, float]:
    """Evaluation score per split, or nothing when the project has no evaluation set."""
    return {split: evaluate(engine, split).score for split in SPLITS if (EVAL_DIR / f"{split}.yml").exists()}


def _published(directory, key) -> tuple[Engine | None, dict]:
    """The engine and manifest of what is published now, if anything usable is."""
    try:
        knowledge, manifest = load_artifact(directory, key)
    except ArtifactError:
        return None, {}
    return Engine(knowledge), manifest


def _changes(new: Engine, old: Engine | None) -> list[tuple[str, str, str]]:
    def figures(engine: Engine) -> dict[str, int]:
        k = engine.knowledge
        return {"documents": len(k.articles) + sum(p.kind == "faq" for p in k.passages),
                "passages": len(engine.passages),
                "vocabulary": len(engine.index.words_.vocabulary_),
                "keys": len(engine.index.keys_)}
    now, then = figures(new), figures(old) if old else {}
    return [(label, str(value), str(then.get(label, "none"))) for label, value in now.items()]


@click.command("eval")
@click.option("--split", type=click.Choice(["dev", "heldout", "all"]), default="all", show_default=True,
              help="Which evaluation questions: dev (used for tuning), heldout (never tuned on), or both.")
@click.option("--min-score", type=float, default=0.95, show_default=True,
              help="Exit 1 if any split scores below this share of correct replies.")
@click.option("--published", is_flag=True,
              help="Score the published index that visitors get, instead of the knowledge folder as it is now.")
@click.option("--quiet", is_flag=True, help="Only the score lines, not the misses.")
@with_appcontext
def eval_command(split: str, min_score: float, published: bool, quiet: bool) -> None:
    """Score the bot on tests/eval/: per-category results and every dev miss; fails under --min-score."""
    if published:
        holder = get_holder()
        if holder.engine is None:
            raise click.ClickException(holder.error)
        engine = holder.engine
    else:
        knowledge, problems = check_knowledge(current_app.config["KNOWLEDGE_DIR"])
        if knowledge is None:
            _print_problems(problems)
            raise click.ClickException("the knowledge folder has errors (see above)")
        engine = Engine(knowledge)
    failed = False
    for name in (SPLITS if split == "all" else (split,)):
        report = evaluate(engine, name)
        # The held-out split's misses are never printed: whoever reads them would tune on them.
        text = format_report(report, misses=name != "heldout")
        click.echo(text.splitlines()[0] if quiet else text)
        failed |= report.score < min_score
    if failed:
        click.echo(f"below the minimum score of {min_score:.0%}")
        sys.exit(1)


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

