"""Commands for developers and staff: ``flask --app app ask|check|reindex``."""

from __future__ import annotations

import sys
import time

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from bot.engine import Engine
from bot.evaluate import SPLITS, evaluate, format_report
from bot.knowledge import check_knowledge


@click.command("ask")
@with_appcontext
@click.argument("question", nargs=-1, required=True)
def ask_command(question: tuple[str, ...]) -> None:
    """Ask the bot a question from the terminal and see its reply, type and source."""
    holder = current_app.extensions["clinic_bot"]
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
@with_appcontext
@click.option("--knowledge", "folder", default=None, help="Knowledge folder (default: KNOWLEDGE_DIR).")
def reindex_command(folder: str | None) -> None:
    """Rebuild the index from the knowledge folder and report what it holds."""
    folder = folder or current_app.config["KNOWLEDGE_DIR"]
    knowledge, problems = check_knowledge(folder)
    for problem in problems:
        click.echo(str(problem))
    if knowledge is None:
        click.echo("not rebuilt: fix the errors above first")
        sys.exit(1)
    started = time.perf_counter()
    engine = Engine(knowledge)
    elapsed = time.perf_counter() - started
    click.echo(f"rebuilt in {elapsed * 1000:.0f} ms: {len(knowledge.articles)} article(s), "
               f"{len(engine.passages)} passages, {len(engine.index.keys_)} keys, "
               f"{len(engine.index.words_.vocabulary_)} word terms")


@click.command("eval")
@click.option("--split", type=click.Choice(["dev", "heldout", "all"]), default="all", show_default=True,
              help="Which evaluation questions: dev (used for tuning), heldout (never tuned on), or both.")
@click.option("--min-score", type=float, default=0.95, show_default=True,
              help="Exit 1 if any split scores below this share of correct replies.")
@click.option("--quiet", is_flag=True, help="Only the score lines, not the misses.")
def eval_command(split: str, min_score: float, quiet: bool) -> None:
    """Score the bot on tests/eval/: per-category results and every miss; fails under --min-score."""
    holder = current_app.extensions["clinic_bot"]
    if holder.engine is None:
        raise click.ClickException(holder.error)
    failed = False
    for name in (SPLITS if split == "all" else (split,)):
        report = evaluate(holder.engine, name)
        text = format_report(report)
        click.echo(text.splitlines()[0] if quiet else text)
        failed |= report.score < min_score
    if failed:
        click.echo(f"below the minimum score of {min_score:.0%}")
        sys.exit(1)


def init_app(app: Flask) -> None:
    for command in (ask_command, check_command, reindex_command, eval_command):
        app.cli.add_command(command)

