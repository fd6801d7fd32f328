"""Composing an answer: the sentences of a section that answer the question, not the whole section.

A section is cut into *blocks*: a sentence of a paragraph, or a list with the sentence that
introduces it ("Symptoms include:" and its items), since an item alone rarely reads as an answer.
The blocks that share most of the question's weight are kept, in the section's order; when no
sentence says more than the heading did ("Symptoms" asked as "what are the symptoms?"), the
section's opening blocks answer, which is what its heading promised.
"""

from __future__ import annotations

from collections.abc import Callable

from .text import sentences

BULLET = "- "


def blocks(text: str) -> list[str]:
    """A section's text as answerable blocks (see the module's docstring)."""
    out: list[str] = []
    items: list[str] = []
    for line in text.split("\n"):
        if line.startswith(BULLET):
            items.append(line)
            continue
        if items:
            _close_list(out, items)
            items = []
        out.extend(sentences(line))
    if items:
        _close_list(out, items)
    return out


def _close_list(out: list[str], items: list[str]) -> None:
    """A list joins the sentence introducing it ("...include:"), else stands as a block of its own."""
    listed = "\n".join(items)
    if out and out[-1].rstrip().endswith(":"):
        out[-1] = out[-1] + "\n" + listed
    else:
        out.append(listed)


def best_blocks(text: str, score: Callable[[str], float], keep: int, enough: float) -> str:
    """The ``keep`` blocks of a section that score best for the question, in the section's order.

    ``score`` gives each block's share of the question's weight; a block under half the best one's
    share is left out. When even the best is under ``enough``, the section's opening answers.
    """
    parts = blocks(text)
    if len(parts) <= 1:
        return text
    scores = [score(part) for part in parts]
    top = max(scores)
    if top < enough:
        chosen = list(range(min(keep, len(parts))))
    else:
        ranked = sorted(range(len(parts)), key=lambda i: -scores[i])
        chosen = sorted(i for i in ranked[:keep] if scores[i] >= 0.5 * top)
    return "\n".join(parts[i] for i in chosen)
