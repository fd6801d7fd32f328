"""Follow-ups: "how long does that last?" means nothing alone, everything after "will I be sore?".

A short message that points back ("that", "it", "and for kids?") is read together with the
visitor's previous message. When even together they match nothing, the bot asks the visitor to say
more rather than answer from whatever entry the few words happen to be closest to.
"""

from __future__ import annotations

from .reading import POINTING, Reading

# Openings that continue what was said before ("and for kids?").
CONTINUING = (("and",), ("also",), ("so",), ("but",), ("what", "about"), ("how", "about"), ("what", "if"))
# A message longer than this stands on its own.
SHORT = 8


def points_back(reading: Reading) -> bool:
    """Whether a short message leans on what was said before it."""
    said = reading.words
    if len(said) > SHORT:
        return False
    return any(w in POINTING for w in said) or any(tuple(said[: len(c)]) == c for c in CONTINUING)


def is_short(reading: Reading) -> bool:
    return len(reading.words) <= SHORT
