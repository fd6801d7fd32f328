"""Trying only the red-flag patterns a message could match.

The emergency file holds a couple of hundred patterns, and one long message tried against all of
them at every word cost about a millisecond. Most patterns need some plain text to appear ("chest",
"short of breath", "suicid"): where that text is absent from the message, the pattern cannot match
and is not tried. Patterns with no such text are tried together, as before. The answer is always
the same as trying every pattern (tests/test_prefilter.py checks it on the evaluation set).
"""

from __future__ import annotations

import re

QUANTIFIERS = "?*{+"
SHORTEST = 3  # a shorter literal ("my ") would be in nearly every message: no use as a filter


def alternatives(regex: str) -> list[str]:
    """The top-level alternatives of a regular expression ("a|b(c|d)" -> "a", "b(c|d)")."""
    parts, start = [], 0
    for i, c, depth in _scan(regex):
        if c == "|" and depth == 0:
            parts.append(regex[start:i])
            start = i + 1
    return parts + [regex[start:]]


def required_text(alternative: str) -> tuple[str, ...] | None:
    """Texts of which every match of ``alternative`` contains at least one, or None if no such
    texts of at least ``SHORTEST`` characters are found.

    Plain text outside groups is required, except a character a quantifier makes optional; a
    group that is not optional requires one of its alternatives' texts ("(hang|hanging) myself"
    requires "hang" or "hanging"). Of all that is required, the most selective is kept.
    """
    found, run, i = [], "", 0
    while i < len(alternative):
        c = alternative[i]
        optional_next = i + 1 < len(alternative) and alternative[i + 1] in QUANTIFIERS
        if c == "(":
            found.append((run,))
            run, close = "", _group_end(alternative, i)
            inner = alternative[i + 1 : close]
            after = alternative[close + 1 : close + 2]
            optional = after in ("?", "*") or alternative[close + 1 : close + 4] == "{0,"
            if inner.startswith("?:"):
                inner = inner[2:]
            elif inner.startswith("?"):
                optional = True  # a lookaround requires nothing of the text
            if not optional:
                parts = [required_text(a) for a in alternatives(inner)]
                if all(parts):
                    found.append(tuple(t for part in parts for t in part))
            i = close
        elif c in "\\[.^$|" or c in QUANTIFIERS:
            found.append((run,))
            run = ""
            if c == "\\":
                i += 1
            elif c == "[":
                i = _class_end(alternative, i)
            elif c == "{":
                i = alternative.find("}", i)
        elif optional_next:
            found.append((run,))
            run = ""
        else:
            run += c
        i += 1
    found.append((run,))
    usable = [tuple(t.strip() for t in texts) for texts in found]
    usable = [texts for texts in usable if min(len(t) for t in texts) >= SHORTEST]
    return max(usable, key=lambda texts: min(len(t) for t in texts), default=None)


def _group_end(regex: str, i: int) -> int:
    """The index of the ")" that closes the group opening at ``i``."""
    return next((j for j, c, depth in _scan(regex, i) if c == ")" and depth == 0), len(regex))


def _scan(regex: str, start: int = 0):
    """Each character of a regular expression from ``start`` with the depth of groups it is in,
    escaped characters and character classes left out (their brackets and bars are no syntax)."""
    depth, i = 0, start
    while i < len(regex):
        c = regex[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _class_end(regex, i) + 1
            continue
        depth += (c == "(") - (c == ")")
        yield i, c, depth
        i += 1


def _class_end(regex: str, i: int) -> int:
    """The index of the "]" that closes the character class opening at ``i``."""
    i += 2 if regex[i + 1 : i + 2] == "^" else 1
    i += 1  # a "]" first in a class is a member
    while i < len(regex) and regex[i] != "]":
        i += 2 if regex[i] == "\\" else 1
    return i


def beginnings(text: str) -> frozenset[str]:
    """Every run of ``SHORTEST`` characters of a text: where a required text could start."""
    return frozenset(text[i : i + SHORTEST] for i in range(len(text) - SHORTEST + 1))


class Prefiltered:
    """Patterns (each matching from a word start, ``prefix``) grouped by the text they require."""

    def __init__(self, regexes: list[str], prefix: str):
        always, needing = [], []
        for regex in regexes:
            for alternative in alternatives(regex):
                texts = required_text(alternative)
                if texts is None:
                    always.append(alternative)
                else:
                    needing.append((texts, re.compile(f"{prefix}(?:{alternative})")))
        self.always = re.compile(prefix + "(?:" + "|".join(f"(?:{a})" for a in always) + ")") if always else None
        # Each pattern is filed under the first three letters of each text it requires, so a message
        # looks up only the patterns whose texts could start somewhere in it.
        self.by_start: dict[str, list[int]] = {}
        for n, (texts, _) in enumerate(needing):
            for t in texts:
                self.by_start.setdefault(t[:SHORTEST], []).append(n)
        self.needing = needing

    def search(self, text: str, starts: frozenset[str] | None = None) -> bool:
        """Whether any pattern matches somewhere in ``text`` (``starts``: ``beginnings(text)``,
        when the caller tries several groups of patterns on one text)."""
        if self.always and self.always.search(text):
            return True
        starts = beginnings(text) if starts is None else starts
        candidates = {n for s in starts for n in self.by_start.get(s, ())}
        return any(any(t in text for t in self.needing[n][0]) and self.needing[n][1].search(text) for n in candidates)
