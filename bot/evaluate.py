"""Scoring the bot on visitors' questions with known right outcomes.

Correct means: an answer that contains the facts that answer the question; a handoff that gives the
phone and email; an emergency reply with 911 or 9-8-8; small talk for greetings and thanks.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .engine import Engine, Reply

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "eval"
SPLITS = ("dev", "heldout")


@dataclass(frozen=True)
class Case:
    question: str
    expect: str
    category: str
    contains: tuple[str, ...] = ()


@dataclass
class Result:
    case: Case
    reply: Reply
    correct: bool
    why: str = ""


@dataclass
class Report:
    split: str
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def score(self) -> float:
        return sum(r.correct for r in self.results) / len(self.results) if self.results else 0.0

    def by_category(self) -> dict[str, tuple[int, int]]:
        """{category: (correct, total)}, plus the reply-type groups the goals are stated in."""
        table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in self.results:
            for key in (r.case.category, f"expect:{r.case.expect}"):
                table[key][0] += r.correct
                table[key][1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(table.items())}

    @property
    def misses(self) -> list[Result]:
        return [r for r in self.results if not r.correct]


def load_cases(split: str, folder: Path = EVAL_DIR) -> list[Case]:
    data = yaml.safe_load((folder / f"{split}.yml").read_text(encoding="utf-8")) or []
    return [Case(d["q"], d["expect"], d.get("category", d["expect"]), tuple(d.get("contains") or ()))
            for d in data]


def judge(case: Case, reply: Reply, phone: str, email: str) -> tuple[bool, str]:
    """Whether a reply is right for a case, and if not, why not (for the miss list)."""
    if reply.type != case.expect:
        return False, f"got {reply.type}, expected {case.expect}"
    text = reply.answer.lower()
    if case.expect == "answer":
        missing = [p for p in case.contains if p.lower() not in text]
        return (not missing), (f"answer lacks {missing}" if missing else "")
    if case.expect == "handoff" and (phone not in reply.answer or email not in reply.answer):
        return False, "handoff without phone and email"
    if case.expect == "emergency" and "911" not in text and "9-8-8" not in text:
        return False, "emergency without 911 or 9-8-8"
    return True, ""


def evaluate(engine: Engine, split: str, folder: Path = EVAL_DIR) -> Report:
    clinic = engine.knowledge.clinic
    report = Report(split)
    started = time.perf_counter()
    for case in load_cases(split, folder):
        reply = engine.ask(case.question)
        correct, why = judge(case, reply, clinic.phone, clinic.email)
        report.results.append(Result(case, reply, correct, why))
    report.seconds = time.perf_counter() - started
    return report


def format_report(report: Report, misses: bool = True) -> str:
    lines = [f"{report.split}: {report.score:.1%} correct ({sum(r.correct for r in report.results)}"
             f"/{len(report.results)}), {report.seconds / max(1, len(report.results)) * 1e3:.2f} ms/question"]
    for category, (good, total) in report.by_category().items():
        lines.append(f"  {category:<16} {good:>3}/{total:<3} {good / total:.0%}")
    for miss in report.misses if misses else []:
        lines.append(f"  MISS [{miss.case.category}] {miss.case.question!r}: {miss.why} "
                     f"(matched {miss.reply.matched}, {miss.reply.confidence:.2f}, {miss.reply.reason})")
    return "\n".join(lines)
