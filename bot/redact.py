"""Removing personal details from visitors' messages before anything is stored.

Visitors write things like "my name is Ana, call me at 613-555-0199". The staff report only needs
the question, so phone numbers, emails, health card numbers, postal codes and names are replaced
with placeholders first. Over-redacting a number is fine; storing a patient's details is not.
"""

from __future__ import annotations

import re

_PATTERNS = [
    ("[email]", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    # Ontario health card: 10 digits, often 4-3-3, with an optional two-letter version code.
    ("[health card]", re.compile(r"\b\d{4}[- ]?\d{3}[- ]?\d{3}(?:[- ]?[A-Za-z]{2})?\b")),
    ("[phone]", re.compile(r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\b\d{3})[\s.-]?\d{3}[\s.-]?\d{4}\b")),
    # Canadian postal code: A1A 1A1.
    ("[postal code]", re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d\b", re.I)),
    ("[number]", re.compile(r"\b\d{6,}\b")),
]
# After "my name is" any word is a name; after "this is" or "call me" only a capitalised one is.
_NAME_STRONG = re.compile(r"(?i:\b(my name is|my names|my name's|i am called|i'm called|im called|name:))\s+"
                          r"([A-Za-z][\w'-]*(?:\s+[A-Z][\w'-]*)?)")
_NAME_WEAK = re.compile(r"(?i:\b(this is|call me|i am|i'm|im|it's|its))\s+([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?)")


# Every pattern above needs a digit, an "@" or one of the name cues: without any, nothing to redact.
_ANY_CUE = re.compile(r"[\d@]|(?i:name|\bi am\b|\bi'm\b|\bim\b|\bthis is\b|\bcall|\bit'?s\b)")


def redact(text: str) -> str:
    """The text with personal details replaced by placeholders such as "[phone]" and "[name]"."""
    if not _ANY_CUE.search(text):  # most questions: one scan instead of seven
        return text
    for placeholder, pattern in _PATTERNS:
        text = pattern.sub(placeholder, text)
    for pattern in (_NAME_STRONG, _NAME_WEAK):
        text = pattern.sub(lambda m: f"{m.group(1)} [name]", text)
    return text
