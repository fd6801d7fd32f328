"""Commands for developers and staff: ``flask --app app <command>``, one function per command."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from werkzeug.security import generate_password_hash

from bot.artifact import ArtifactError, history, rollback, signing_key
from bot.engine import Engine
from bot.evaluate import SPLITS, Corpus, corpora, evaluate, format_report
from bot.gate import Verdict
from bot.knowledge import check_knowledge
from bot.publishing import NotPublished, prepare, publishing_key
from bot.report import to_csv

from .engine import get_holder
from .questionlog import get_log
from .staff import report_groups


@click.command("ask")
@with_appcontext
@click.argument("question", nargs=-1, required=True)
@click.option("--previous", default=None, help="The visitor's message before this one (for a follow-up).")
@click.option("--draft", is_flag=True, help="Ask the knowledge folder as it is now (unpublished edits), "
              "not the published index visitors get.")
def ask_command(question: tuple[str, ...], previous: str | None, draft: bool) -> None:
    """Ask the bot a question from the terminal and see its reply, type and source."""
    if draft:
        knowledge, problems = check_knowledge(current_app.config["KNOWLEDGE_DIR"])
        if knowledge is None:
            _print_problems(problems)
            raise click.ClickException("the knowledge folder has errors (see above)")
        engine = Engine(knowledge)
    else:
        holder = get_holder()
        if holder.engine is None:
            raise click.ClickException(holder.error)
        engine = holder.engine
    reply = engine.ask(" ".join(question), previous)
    matched = f", matched {reply.matched}" if reply.matched else ""
    click.echo(f"[{reply.type}] confidence {reply.confidence:.2f} ({reply.reason}{matched})")
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
@click.option("--yes", is_flag=True, help="Confirm the questions this publish newly answers (they join "
              "the evaluation set); without it you are asked, or nothing is published.")
@click.option("--force", is_flag=True, help="Publish even with regressions (emergencies only).")
@click.option("--new-key", is_flag=True, help="The signing key was lost: make a new one (earlier indexes "
              "then no longer verify, and nothing is compared with them).")
@click.option("--by", default=None, help="Who publishes, for the version history (default: $USER).")
@with_appcontext
def reindex_command(folder: str | None, yes: bool, force: bool, new_key: bool, by: str | None) -> None:
    """Check the knowledge, build it, show what changes for visitors, and publish it unless a
    reply that was right would become wrong.

    Running bots pick up the published index within seconds, without a restart.
    """
    config = current_app.config
    folder = Path(folder or config["KNOWLEDGE_DIR"])
    directory = Path(config["INDEX_DIR"])
    try:
        key = publishing_key(Path(config["INDEX_KEY_FILE"]), directory, new_key)
    except NotPublished as reason:
        raise click.ClickException(str(reason)) from None
    plan = prepare(folder, Path(config["EVAL_QUESTIONS_DIR"]), directory, key)
    _print_problems(plan.problems)
    if plan.engine is not None:
        click.echo(f"built in {plan.build_seconds * 1000:.0f} ms from {folder}; "
                   f"calibrated: {plan.engine.calibration.to_dict()}")
        for label, new, old in _changes(plan.engine, plan.published):
            click.echo(f"  {label:<14} {old:>8} -> {new}")
        before = plan.manifest.get("evaluation") or {}
        for split, score in plan.scores.items():
            old = before.get(split)
            confirmed = plan.confirmed_scores()[split]
            once = f" ({confirmed:.1%} once the new answers are confirmed)" if confirmed != score else ""
            click.echo(f"  eval {split:<9} {'%.1f%%' % (old * 100) if old is not None else 'none':>8} -> {score:.1%}{once}")
        click.echo(format_verdict(plan.verdict))
    confirmed = yes
    if not yes and plan.holdup(force) == "unconfirmed" and sys.stdin.isatty():
        # Only the confirmation is missing: ask the person at the terminal.
        confirmed = click.confirm("Publish, and keep these new answers in the evaluation set?")
    try:
        path = plan.publish(directory, key, by=by or os.environ.get("USER", "command line"), force=force,
                            confirmed=confirmed, keep=config["INDEX_KEEP"])
    except NotPublished as reason:
        if plan.unchanged:
            click.echo(str(reason))
            return
        raise click.ClickException(str(reason)) from None
    click.echo(f"published {path.name}; running bots switch to it within {config['INDEX_CHECK_SECONDS']:g} s")


def format_verdict(verdict: Verdict, most: int = 15) -> str:
    """What the publish changes for visitors, grouped the way staff decide on it."""
    lines = [f"what changed: {'; '.join(verdict.content) or 'nothing in the articles or FAQ'}"]
    titles = {"regression": "REGRESSIONS (block the publish)", "newly answered": "newly answered (to confirm)",
              "answer changed": "answers worded differently (still right)", "now right": "now right",
              "still wrong": "wrong before and after, differently"}
    for kind, title in titles.items():
        changes = verdict.of_kind(kind)
        if changes:
            lines.append(f"{title}: {len(changes)}")
        for change in changes[:most]:
            was = change.before.type if change.before else "none"
            lines.append(f"  {change.question!r}: {was} -> {change.after.type}; {change.why}")
        if len(changes) > most:
            lines.append(f"  ... and {len(changes) - most} more")
    return "\n".join(lines)


def _print_problems(problems) -> None:
    for problem in problems:
        click.echo(str(problem))


def clinic_corpus(folder: str | Path) -> Corpus:
    """The clinic's knowledge folder with its own evaluation questions (EVAL_QUESTIONS_DIR)."""
    return Corpus("clinic", Path(folder), Path(current_app.config["EVAL_QUESTIONS_DIR"]))


def _changes(new: Engine, old: Engine | None) -> list[tuple[str, str, str]]:
    def figures(engine: Engine) -> dict[str, int]:
        k = engine.knowledge
        return {"documents": len(k.articles) + sum(p.kind == "faq" for p in k.passages),
                "passages": len(engine.passages),
                "vocabulary": len(engine.index.vocabulary_),
                "units": len(engine.index.units_)}
    now, then = figures(new), figures(old) if old else {}
    return [(label, str(value), str(then.get(label, "none"))) for label, value in now.items()]


@click.command("versions")
@with_appcontext
def versions_command() -> None:
    """List the published versions, newest first: date, who, what changed."""
    config = current_app.config
    rows = history(Path(config["INDEX_DIR"]), signing_key(Path(config["INDEX_KEY_FILE"])))
    if not rows:
        click.echo("nothing published yet: flask --app app reindex")
    for row in rows:
        mark = "*" if row["current"] else " "
        if not row["usable"]:
            click.echo(f"{mark} {row['file']}  REFUSED: {row['refused']}")
            continue
        click.echo(f"{mark} {row['file']}  {row['published']}  by {row.get('by') or '?'}: "
                   f"{'; '.join(row.get('changes') or []) or '-'}")


@click.command("rollback")
@click.argument("name")
@with_appcontext
def rollback_command(name: str) -> None:
    """Serve an earlier published version again (see `versions`); the knowledge folder is left as it is."""
    config = current_app.config
    try:
        manifest = rollback(Path(config["INDEX_DIR"]), signing_key(Path(config["INDEX_KEY_FILE"])), name)
    except ArtifactError as err:
        raise click.ClickException(str(err)) from None
    click.echo(f"now serving {name} (published {manifest.get('published')}); running bots switch within "
               f"{config['INDEX_CHECK_SECONDS']:g} s")


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
    """Questions handed off or marked unhelpful, grouped and explained: what to write next in knowledge/."""
    groups = report_groups(days)
    if not groups:
        click.echo(f"nothing to review in the last {days} days")
    titles = {"gap": "NOTHING ANSWERS THESE YET", "unhelpful": "ANSWERED, BUT NOT HELPFUL",
              "designed": "HANDED OFF ON PURPOSE (handoff.yml topics)"}
    for kind, title in titles.items():
        rows = [g for g in groups if g.kind == kind]
        if rows:
            click.echo(f"{title}: {len(rows)}")
        for g in rows:
            others = f"  (+{len(g.wordings) - 1} other wordings)" if len(g.wordings) > 1 else ""
            click.echo(f"{g.count:>4}x  {g.question}{others}")
            click.echo(f"       {g.reason}; last asked {g.last_asked:%Y-%m-%d %H:%M}")
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
    for command in (ask_command, check_command, reindex_command, versions_command, rollback_command,
                    eval_command, report_command,
                    purge_command, staff_password_command):
        app.cli.add_command(command)

