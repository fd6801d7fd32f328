"""Scoring the bot on visitors' questions with known right outcomes, for every evaluation corpus.

A corpus is a knowledge folder and questions about it (``tests/eval/corpora.yml``): the first
clinic's dry-needling folder, a new clinic's folder of real public articles on other treatments,
and the first clinic's folder with those articles added as staff would add them. Each question
file is ``dev.yml`` (used for tuning) or ``heldout.yml`` (never tuned on: only its score is read).

Correct means: an answer that contains the facts that answer the question; a hand-off that gives
the phone and email; an emergency reply with 911 or 9-8-8; small talk for greetings and thanks.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .engine import Engine, Reply
from .knowledge import Knowledge, load_knowledge

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT / "tests" / "eval"
SPLITS = ("dev", "heldout")
# Answers staff confirmed when publishing (bot/gate.py): they replace the expectation for the same
# question in either split, and the ones no split asks are dev questions.
CONFIRMED = "confirmed.yml"


@dataclass(frozen=True)
class Case:
    question: str
    expect: str
    category: str
    contains: tuple[str, ...] = ()  # every one of these must be in the answer
    contains_any: tuple[str, ...] = ()  # ...and at least one of these
    after: str | None = None  # the visitor's previous message, for a follow-up
    group: str = ""  # the article (or corpus part) the question is about


@dataclass(frozen=True)
class Corpus:
    name: str
    knowledge: Path
    questions: Path
    add_articles: Path | None = None  # articles copied into the folder, as staff would add them

    def cases(self, split: str) -> list[Case]:
        """The split's questions, with staff's confirmed answers in place of older expectations."""
        cases = self._written(split)
        confirmed_path = self.questions / CONFIRMED
        if not confirmed_path.exists():
            return cases
        confirmed = {(c.question, c.after): c for c in load_cases(confirmed_path, group="confirmed")}
        kept = [confirmed.get((c.question, c.after), c) for c in cases]
        if split != "dev":
            return kept
        asked = {(c.question, c.after) for s in SPLITS for c in self._written(s)}
        return kept + [c for key, c in confirmed.items() if key not in asked]

    def _written(self, split: str) -> list[Case]:
        files = sorted(self.questions.rglob(f"{split}.yml"))
        return [case for path in files for case in load_cases(path, group=_group(path, self.questions))]

    @contextmanager
    def folder(self) -> Iterator[Path]:
        """The knowledge folder to build from: the corpus's own, or a copy with the articles added."""
        if self.add_articles is None:
            yield self.knowledge
            return
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "knowledge"
            shutil.copytree(self.knowledge, folder)
            for article in sorted(self.add_articles.glob("*.md")):
                shutil.copy(article, folder / "articles" / article.name)
            yield folder

    def load(self) -> Knowledge:
        with self.folder() as folder:
            return load_knowledge(folder)


def _group(path: Path, top: Path) -> str:
    return "/".join(path.parent.relative_to(top).parts) or top.name


def corpora(manifest: Path = EVAL_DIR / "corpora.yml") -> list[Corpus]:
    """The evaluation corpora the project keeps (paths in the manifest are from the project's root)."""
    items = yaml.safe_load(manifest.read_text(encoding="utf-8")) or []
    return [Corpus(item["name"], ROOT / item["knowledge"], ROOT / item["questions"],
                   ROOT / item["add_articles"] if item.get("add_articles") else None) for item in items]


def load_cases(path: Path, group: str = "") -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [Case(d["q"], d["expect"], d.get("category", d["expect"]), tuple(d.get("contains") or ()),
                 tuple(d.get("contains_any") or ()), d.get("after"), group) for d in data]


@dataclass
class Result:
    case: Case
    reply: Reply
    correct: bool
    why: str = ""


@dataclass
class Report:
    corpus: str
    split: str
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def score(self) -> float:
        return sum(r.correct for r in self.results) / len(self.results) if self.results else 0.0

    def by(self, key) -> dict[str, tuple[int, int]]:
        table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in self.results:
            table[key(r.case)][0] += r.correct
            table[key(r.case)][1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(table.items())}

    @property
    def misses(self) -> list[Result]:
        return [r for r in self.results if not r.correct]


def judge(case: Case, reply: Reply, phone: str, email: str) -> tuple[bool, str]:
    """Whether a reply is right for a case, and if not, why not (for the miss list)."""
    if reply.type != case.expect:
        return False, f"got {reply.type}, expected {case.expect}"
    text = reply.answer.lower()
    if case.expect == "answer":
        missing = [p for p in case.contains if p.lower() not in text]
        if case.contains_any and not any(p.lower() in text for p in case.contains_any):
            missing.append(" or ".join(case.contains_any))
        return (not missing), (f"answer lacks {missing}" if missing else "")
    if case.expect == "handoff" and (phone not in reply.answer or email not in reply.answer):
        return False, "handoff without phone and email"
    if case.expect == "emergency" and "911" not in text and "9-8-8" not in text:
        return False, "emergency without 911 or 9-8-8"
    return True, ""


def evaluate(engine: Engine, cases: list[Case], corpus: str = "", split: str = "") -> Report:
    """Ask the engine every case (a follow-up with the message before it) and judge each reply."""
    clinic = engine.knowledge.clinic
    report = Report(corpus, split)
    started = time.perf_counter()
    for case in cases:
        reply = engine.reply(case.question, case.after)
        correct, why = judge(case, reply, clinic.phone, clinic.email)
        report.results.append(Result(case, reply, correct, why))
    report.seconds = time.perf_counter() - started
    return report


def format_report(report: Report, misses: bool = True, detail: bool = True) -> str:
    done = sum(r.correct for r in report.results)
    lines = [f"{report.corpus} {report.split}: {report.score:.1%} correct ({done}/{len(report.results)}), "
             f"{report.seconds / max(1, len(report.results)) * 1e3:.2f} ms/question"]
    if detail:
        for title, table in (("by expected reply", report.by(lambda c: c.expect)),
                             ("by kind of question", report.by(lambda c: c.category)),
                             ("by article", report.by(lambda c: c.group))):
            if len(table) > 1:
                lines.append(f"  {title}: " + ", ".join(f"{k} {g}/{t}" for k, (g, t) in table.items()))
    for miss in report.misses if misses else []:
        after = f" (after {miss.case.after!r})" if miss.case.after else ""
        lines.append(f"  MISS [{miss.case.group}/{miss.case.category}] {miss.case.question!r}{after}: {miss.why} "
                     f"(matched {miss.reply.matched}, {miss.reply.confidence:.2f}, {miss.reply.reason})")
    return "\n".join(lines)


def all_questions(splits: tuple[str, ...] = SPLITS) -> list[str]:
    """Every evaluation question of every corpus, once each: what benchmarks ask."""
    return list(dict.fromkeys(case.question for corpus in corpora() for split in splits for case in corpus.cases(split)))
