"""Recognising emergencies and small talk before any search happens.

Emergencies come first because a visitor describing crushing chest pain must be told to call 911,
whatever else the message asks. Small talk is recognised only when it is the whole message, so
"hi, does it hurt?" is still answered as a question.
"""

from __future__ import annotations

import re

from .knowledge import Rule
from .text import clean

_NON_WORD = re.compile(r"[^a-z0-9]+")


def flatten(message: str) -> str:
    """Lower case, apostrophes dropped, punctuation as single spaces: the text patterns match on."""
    return _NON_WORD.sub(" ", clean(message)).strip()


def emergency(message: str, rules: list[Rule]) -> Rule | None:
    """The first red-flag rule the message matches (crisis rules are listed before medical ones)."""
    text = flatten(message)
    return next((rule for rule in rules if rule.matches(text)), None)


def smalltalk(message: str, rules: list[Rule]) -> Rule | None:
    """The small-talk intent of a message made only of small talk ("ok thanks, bye" is goodbye).

    The message is consumed phrase by phrase, longest match first; any word left over that is not
    small talk means the visitor is asking something, and None is returned.
    """
    text, last = flatten(message), None
    while text:
        best = None
        for rule in rules:
            for pattern in rule.patterns:
                match = pattern.match(text)
                end = match.end() if match else 0
                if end and (end == len(text) or text[end] == " ") and (best is None or end > best[1]):
                    best = (rule, end)
        if best is None:
            return None
        last, text = best[0], text[best[1]:].lstrip()
    return last


def strip_pleasantries(message: str, rules: list[Rule]) -> str:
    """The message without a leading greeting or a trailing thanks: "hi! does it hurt? thx"."""
    text = flatten(message)
    for rule in rules:
        for pattern in rule.patterns:
            match = pattern.match(text)
            if match and match.end() < len(text) and text[match.end()] == " ":
                text = text[match.end():].strip()
    words = text.split()
    for cut in range(1, min(5, len(words))):
        tail = " ".join(words[-cut:])
        if any(p.fullmatch(tail) for r in rules if r.name in {"thanks", "goodbye"} for p in r.patterns):
            return " ".join(words[:-cut])
    return text
