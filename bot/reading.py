"""Reading a visitor's message: which part asks, what its words mean in the clinic's vocabulary.

Visitors type on phones, tell a story before they ask, and use their own words. A ``Reading`` is the
message as the search sees it: misspellings of the knowledge's words mended ("shockwve"), the part
that asks found (the last sentence that asks, after "I'm 52 and a runner."), and each word's weight
as information (rare words tell more than common ones).
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .speller import Speller
from .text import frequency, information, sentences, stem, words

# A sentence asks when it ends with "?" or starts as questions do in English.
_ASKS = re.compile(r"^(what|whats|how|hows|why|when|where|who|whos|which|is|isnt|are|arent|does|doesnt|do|dont"
                   r"|did|can|cant|could|would|will|should|shall|may|might|any|anything|tell|explain)\b")
# A word this common in English is real: never "corrected" toward the knowledge's words.
REAL_WORD = 3.0
# Words that point back at what was said before ("Is that normal?", "how long does that last?").
POINTING = frozenset({"that", "it", "its", "this", "those", "these", "they", "them", "their", "there", "he", "she", "her",
                      "his", "one", "ones"})


@dataclass
class Reading:
    """One message as the engine understands it."""

    message: str
    words: list[str]  # every word, misspellings of the knowledge's words mended
    asking: list[str]  # the words of the part that asks (all of them for a one-sentence message)
    context: list[str]  # the words of the rest ("I'm 52 and a runner.")
    corrections: dict[str, str] = field(default_factory=dict)
    points_back: bool = False  # the asking part asks about the rest ("...Is that normal?")
    weighed: list | None = None  # its words as coverage weighs them, once worked out (``decide.weighed``)


def _sentences(message: str) -> tuple[list[str], list[int]]:
    """A message's sentences, and which of them ask (end with "?" or start as questions do)."""
    parts = [p for chunk in message.splitlines() for p in sentences(chunk)]
    return parts, [i for i, p in enumerate(parts) if p.rstrip().endswith("?") or _ASKS.match(" ".join(words(p)))]


def asking_part(message: str) -> tuple[str, str]:
    """(the sentences that ask, the sentences before them that only tell).

    "I run 30 km a week and my heel hurts in the morning. Would shockwave help?" asks in its last
    sentence; "Does it hurt? How long will I be sore?" asks in both. A message with no sentence that
    asks is all asking ("sore after needling").
    """
    parts, asks = _sentences(message)
    if len(parts) < 2 or not asks:
        return message, ""
    return " ".join(parts[asks[0]:]), " ".join(parts[:asks[0]])


def questions(message: str) -> list[str]:
    """The sentences of a message that ask, each a question of its own: "Does it hurt? And how long
    will I be sore?" asks two things."""
    parts, asks = _sentences(message)
    return [parts[i] for i in asks]


class Reader:
    """Reads messages against one knowledge's vocabulary (built once per engine)."""

    def __init__(self, vocabulary: set[str], visitors: set[str] = frozenset()):
        """``vocabulary``: the words the knowledge uses; ``visitors``: the visitor words its synonyms
        know, which misspellings may be mended toward too ("hurtt" is "hurt")."""
        self.vocabulary = frozenset(vocabulary)
        self.stems = frozenset(stem(w) for w in vocabulary)
        self.known = self.vocabulary | frozenset(visitors)
        self.speller = Speller(w for w in self.known if len(w) > 3 and not w.isdigit())
        self._long = sorted(w for w in vocabulary if len(w) > 5 and not w.isdigit())

    def mend(self, word: str) -> str:
        """A misspelling of the knowledge's words, or a short form of one ("kinesio", "stim"), mended;
        any real English word is left as it is."""
        if word in self.vocabulary or stem(word) in self.stems or word.isdigit():
            return word
        if expanded := self.expanded(word):
            return expanded
        if word in self.known or frequency(word) >= REAL_WORD:
            return word
        return self.speller.correct(word) or word

    def expanded(self, word: str) -> str | None:
        """The knowledge's word that a short form begins ("stim" of "stimulation"), when only one
        word family does."""
        if len(word) < 4 or word in self.vocabulary:
            return None
        start = bisect.bisect_left(self._long, word)
        found = set(itertools.takewhile(lambda w: w.startswith(word), self._long[start:]))
        families = {stem(w) for w in found}
        return min(found, key=len) if len(families) == 1 else None

    def read(self, message: str, before: str = "") -> Reading:
        """The message as the engine understands it; ``before``, the visitor's previous message, is
        read as the story a follow-up asks about ("Will the test make me sick?" before "how long
        can that last?")."""
        asking, told = asking_part(message)
        if before:
            told = f"{before} {told}".strip()
        corrections: dict[str, str] = {}

        def mended(text: str) -> list[str]:
            out = []
            for w in words(text):
                fixed = self.mend(w)
                if fixed != w:
                    corrections[w] = fixed
                out.append(fixed)
            return out

        asked, context = mended(asking), mended(told)
        points_back = bool(context) and any(w in POINTING for w in asked)
        return Reading(message, context + asked, asked, context, corrections, points_back=points_back)

    def knows(self, word: str) -> bool:
        """Whether the knowledge uses a word, in any form the stemmer joins ("orthotic", "orthotics")."""
        return stem(word) in self.stems

    def uses(self, word: str) -> bool:
        """Whether the knowledge uses this very word, or its singular or plural: stemming joins "tire"
        and "tired", this does not."""
        forms = (word, word + "s", word[:-1] if word.endswith("s") else word)
        return any(form in self.vocabulary for form in forms)

    def names_something(self, word: str) -> bool:
        """Whether a word could be what a question is about: the knowledge's own words and words too
        rare to be everyday English ("kindly" and "sarah" are not; "knee" and "sciatica" are)."""
        return self.knows(word) or frequency(word) < REAL_WORD


class Synonyms:
    """The clinic's words for a visitor's: "ouch" also looks for "pain". Longest phrase first, so
    with "kick" -> twitch and "kick in" -> start, "when does it kick in" is no twitch. A word no
    phrase takes may still have words of the knowledge near it in meaning (``near``)."""

    def __init__(self, mapping: dict[str, list[str]], near=lambda word: ()):
        self.near = near
        self.phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        for visitor, clinic in mapping.items():
            key = tuple(stem(w) for w in words(visitor))
            if key:
                known = list(self.phrases.get(key, ()))
                known += [stem(w) for p in clinic for w in words(p) if information(w) >= 0.5 and stem(w) not in known]
                self.phrases[key] = tuple(known)
        self.longest = max((len(k) for k in self.phrases), default=0)

    def expand(self, surface: list[str]) -> list[tuple[int, int, tuple[str, ...]]]:
        """(start, end, the clinic's stems) for each visitor phrase found in the words."""
        return self._expand(tuple(surface))

    @lru_cache(maxsize=4096)
    def _expand(self, surface: tuple[str, ...]) -> list[tuple[int, int, tuple[str, ...]]]:
        """Cached: one reply looks up the same words for the search, for coverage and for gaps."""
        found = []
        stems = [stem(w) for w in surface]
        taken = [False] * len(stems)
        for n in range(self.longest, 0, -1):
            for i in range(len(stems) - n + 1):
                clinic = self.phrases.get(tuple(stems[i:i + n]))
                if clinic and not any(taken[i:i + n]):
                    found.append((i, i + n, clinic))
                    taken[i:i + n] = [True] * n
        for i, word in enumerate(surface):
            if not taken[i] and (clinic := self.near(word)):
                found.append((i, i + 1, clinic))
        return found
