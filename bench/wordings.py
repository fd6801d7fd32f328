"""How well the bot generalises from the wordings staff wrote: each one left out, then asked.

Every FAQ entry and hand-off topic lists several ways visitors ask it. Taking one wording out of the
knowledge, rebuilding the engine and asking that wording is a fresh paraphrase the engine has not
seen, written by the same people who write the knowledge: a measure of how much a new visitor's
wording depends on staff having foreseen it. Reported: the share of FAQ wordings answered from their
own entry, the share of hand-off wordings still handed off, and how many hand-off wordings got an
answer instead (the dangerous failure). Slow (one engine per wording, about a minute); it is a
quality figure for comparing changes, not a speed benchmark.

    .venv/bin/python -m bench.wordings [knowledge folder]
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from bot.engine import Engine, Settings
from bot.knowledge import Knowledge, load_knowledge

ROOT = Path(__file__).resolve().parent.parent


def without(knowledge: Knowledge, kind: str, item: int, wording: int) -> Knowledge:
    """The knowledge with one wording of one FAQ entry (``kind`` "faq") or hand-off topic removed."""
    field = "passages" if kind == "faq" else "handoff"
    items = list(getattr(knowledge, field))
    target = items[item]
    items[item] = dataclasses.replace(target, questions=target.questions[:wording] + target.questions[wording + 1:])
    return dataclasses.replace(knowledge, **{field: items})


def cases(knowledge: Knowledge):
    """(kind, item index, wording index, wording, expected target) for every FAQ and topic wording."""
    for i, passage in enumerate(knowledge.passages):
        if passage.kind == "faq":
            for j, wording in enumerate(passage.questions):
                yield "faq", i, j, wording, passage.id
    for i, topic in enumerate(knowledge.handoff):
        for j, wording in enumerate(topic.questions):
            yield "topic", i, j, wording, f"handoff/{topic.name}"


def measure(knowledge: Knowledge) -> dict[str, int]:
    counts = {"faq": 0, "faq_right": 0, "topic": 0, "topic_handed_off": 0, "topic_answered": 0}
    settings = Settings(cache_size=0)
    for kind, item, wording, question, target in cases(knowledge):
        reply = Engine(without(knowledge, kind, item, wording), settings).reply(question)
        counts[kind] += 1
        if kind == "faq":
            counts["faq_right"] += reply.type == "answer" and reply.matched == target
        else:
            counts["topic_handed_off"] += reply.type == "handoff"
            counts["topic_answered"] += reply.type == "answer"
    return counts


def main(folder: Path = ROOT / "knowledge") -> None:
    c = measure(load_knowledge(folder))
    print("Each wording left out of the knowledge, then asked")
    print(f"  FAQ wordings answered from their own entry   {c['faq_right']}/{c['faq']} = {c['faq_right'] / c['faq']:.1%}")
    print(f"  hand-off wordings still handed off           {c['topic_handed_off']}/{c['topic']} = "
          f"{c['topic_handed_off'] / c['topic']:.1%}")
    print(f"  hand-off wordings answered instead           {c['topic_answered']}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "knowledge")
