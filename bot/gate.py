"""The publish gate: what a new version of the knowledge changes for visitors, question by question.

A score that drops by a question says nothing about why: adding the clinic's parking to an FAQ
"drops" it, because the evaluation expected parking questions to be handed off. So the gate asks
every evaluation question of both the published engine and the new one, and sorts what differs:

- **regressions** block: an answer, emergency or greeting that was right and now is wrong or gone;
- **newly answered** questions that used to be handed off are what staff usually want; each says
  whether the answer comes from content this publish changed (expected) or from content it did not
  touch (worth a look). Staff confirm them, and the confirmation joins the evaluation set
  (``confirmed.yml`` beside the clinic's questions), so the next publish holds the new fact;
- everything else (an answer reworded, a wrong reply now right) is shown for information.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path

import yaml

from .engine import Engine, Reply
from .evaluate import CONFIRMED, Case, Result, judge
from .knowledge import Knowledge


@dataclass(frozen=True)
class Seen:
    """One reply, as much of it as a person judging a change needs."""

    type: str
    answer: str
    matched: str | None
    reason: str

    @classmethod
    def of(cls, reply: Reply) -> Seen:
        return cls(reply.type, reply.answer, reply.matched, reply.reason)


@dataclass(frozen=True)
class Change:
    question: str
    kind: str  # "regression", "newly answered", "answer changed", "now right", "still wrong"
    before: Seen | None
    after: Seen
    why: str  # in plain words, for staff
    expected: bool = False  # newly answered from content this publish changed
    after_message: str | None = None  # the visitor's previous message, for a follow-up


@dataclass
class Verdict:
    changes: list[Change] = field(default_factory=list)
    content: list[str] = field(default_factory=list)  # what the staff changed, in plain words

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def regressions(self) -> list[Change]:
        return self.of_kind("regression")

    @property
    def to_confirm(self) -> list[Change]:
        return self.of_kind("newly answered")

    def to_dict(self) -> dict:
        return {"content": self.content, "changes": [asdict(c) for c in self.changes],
                "regressions": len(self.regressions), "to_confirm": len(self.to_confirm)}


def changed_passages(old: Knowledge | None, new: Knowledge) -> set[str]:
    """Ids of the passages whose text or questions differ from the published ones (or are new)."""
    before = {p.id: (p.text, p.questions) for p in old.passages} if old else {}
    return {p.id for p in new.passages if before.get(p.id) != (p.text, p.questions)}


def content_changes(old: Knowledge | None, new: Knowledge) -> list[str]:
    """What staff changed since the published version, one line per file, for the version's history."""
    def files(k: Knowledge | None) -> dict[str, set]:
        table: dict[str, set] = {}
        for p in k.passages if k else ():
            table.setdefault(p.source.split(":")[0], set()).add((p.id, p.text, p.questions))
        return table
    before, after = files(old), files(new)
    if old is None:
        return [f"first version: {len(new.articles)} article(s), {sum(p.kind == 'faq' for p in new.passages)} FAQ entries"]
    lines = [f"added {f}" for f in sorted(after.keys() - before.keys())]
    lines += [f"removed {f}" for f in sorted(before.keys() - after.keys())]
    lines += [f"edited {f}" for f in sorted(after.keys() & before.keys()) if after[f] != before[f]]
    if _details(old) != _details(new):
        lines.append("edited clinic details, synonyms or hand-off topics")
    return lines


def _details(knowledge: Knowledge) -> tuple:
    """What staff wrote in clinic.yml, synonyms.yml and handoff.yml, without what is worked out from
    the articles (what they cover, suggested questions) or where a topic sits in its file."""
    clinic = replace(knowledge.clinic, covers="", suggested_questions=())
    topics = [(t.name, t.reply, t.questions) for t in knowledge.handoff]
    return clinic, knowledge.synonyms, topics, knowledge.handoff_reply


def compare(old: Engine | None, new: Knowledge, results: list[Result]) -> Verdict:
    """Every evaluation question whose reply differs between the published engine and the new
    version, whose replies ``results`` holds (its evaluation: each question is asked once)."""
    verdict = Verdict(content=content_changes(old.knowledge if old else None, new))
    if old is None:
        return verdict
    fresh = changed_passages(old.knowledge, new)
    old_clinic = old.knowledge.clinic
    for result in results:
        case, now = result.case, result.reply
        then = old.reply(case.question, case.after)
        if (then.type, then.answer) == (now.type, now.answer):
            continue
        was_right, _ = judge(case, then, old_clinic.phone, old_clinic.email)
        change = _change(case, then, now, was_right, result.correct, result.why, fresh)
        if change.kind == "regression" and then.type == "answer":
            change = replace(change, why=change.why + _keep_hint(then.matched, new))
        verdict.changes.append(change)
    order = ("regression", "newly answered", "answer changed", "now right", "still wrong")
    verdict.changes.sort(key=lambda c: order.index(c.kind))
    return verdict


def _keep_hint(matched: str | None, new: Knowledge) -> str:
    """How staff can keep an answer that a change elsewhere in the folder lost: every score moves a
    little when content is added, and a question answered by a narrow margin can fall either side."""
    passage = next((p for p in new.passages if p.id == matched), None)
    if passage is None:
        return f"; «{matched}» was removed or renamed in this publish"
    where = passage.source.split(":")[0]
    if passage.kind == "faq":
        return f"; to keep it, add the question to also_asked in {where}"
    return f"; to keep it, write an FAQ entry with this question and section: {passage.article}#{passage.anchor}"


def _change(case: Case, then: Reply, now: Reply, was_right: bool, is_right: bool, why: str,
            fresh: set[str]) -> Change:
    before, after = Seen.of(then), Seen.of(now)
    made = dict(question=case.question, before=before, after=after, after_message=case.after)
    if case.expect == "handoff" and then.type == "handoff" and now.type == "answer":
        expected = now.matched in fresh
        source = f"«{now.matched}»"
        why = (f"now answered from {source}, which this publish adds or changes" if expected else
               f"now answered from {source}, which this publish does not change: check that it is right")
        return Change(kind="newly answered", why=why, expected=expected, **made)
    if was_right and not is_right:
        return Change(kind="regression", why=f"was right ({then.type}), now {why}", **made)
    if was_right:
        return Change(kind="answer changed", why="still right, worded differently", **made)
    if is_right:
        return Change(kind="now right", why=f"was wrong, now right ({now.type})", **made)
    return Change(kind="still wrong", why=why, **made)


def confirm(changes: list[Change], questions_dir: Path, by: str = "") -> Path:
    """Add confirmed new answers to the clinic's evaluation set (``confirmed.yml``), replacing an
    earlier expectation for the same question: the next publish must keep answering them."""
    path = questions_dir / CONFIRMED
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    entries = entries or []
    confirmed = {(e["q"], e.get("after")) for e in entries}
    for change in changes:
        if (change.question, change.after_message) in confirmed:
            entries = [e for e in entries if (e["q"], e.get("after")) != (change.question, change.after_message)]
        entry = {"q": change.question, "expect": "answer", "category": "confirmed",
                 "contains": [fact_of(change.after.answer)], "confirmed": date.today().isoformat()}
        if change.after_message:
            entry["after"] = change.after_message
        if by:
            entry["by"] = by
        entries.append(entry)
    questions_dir.mkdir(parents=True, exist_ok=True)
    header = ("# Answers staff confirmed when publishing (the console or `reindex`): each replaces the\n"
              "# expectation for the same question in dev.yml / heldout.yml. Edit or delete freely.\n")
    path.write_text(header + yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=1000),
                    encoding="utf-8")
    return path


def fact_of(answer: str, most: int = 60) -> str:
    """The words an answer must keep to still be the confirmed one: its first sentence, cut at a
    word near ``most`` characters (a whole paragraph would make every later rewording a regression)."""
    first = re.split(r"(?<=[.!?])\s", answer.strip().lstrip("- "), maxsplit=1)[0]
    if len(first) <= most:
        return first.rstrip(".!?")
    return first[:most].rsplit(" ", 1)[0]
