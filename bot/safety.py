"""Recognising emergencies before anything else happens.

Emergencies come first because a visitor describing crushing chest pain must be told to call 911,
whatever else the message asks. The red flags are regular expressions (``bot/defaults/emergency.yml``
and a clinic's own ``emergency.yml``); what only asks about a risk ("can it cause a stroke?") is
left out before they are tried. A visitor in distress types fast: a word too rare to be English is
mended toward the red flags' own words ("chest pian", "i want to kil myself") and tried again.
"""

from __future__ import annotations

from functools import lru_cache

from wordfreq import get_frequency_dict, zipf_frequency

from .knowledge import RedFlags, Rule
from .prefilter import beginnings
from .speller import Speller
from .text import flatten, is_clinical

# A word at least this common in English (Zipf 2: "overworked", "lyrics") is a real word, never
# mended into a red flag; a slip ("atack", "pian", "strok") is far rarer.
REAL_WORD = 2.5


class Safety:
    """The red flags of one knowledge folder, with a speller toward their words."""

    def __init__(self, flags: RedFlags):
        self.flags = flags
        # "shortnes" is "shortness", not the rarer "shortens": among equally close words, the commoner.
        self.speller = Speller(red_flag_vocabulary(*flags.words()), max_distance=_slips,
                               preference=lambda word: -zipf_frequency(word, "en"))
        # The red flags' combined expressions are compiled here, when a worker builds its engine,
        # not on a visitor's first message.
        for rule in flags.rules:
            rule.prefiltered  # noqa: B018
        flags.risk_prefiltered  # noqa: B018

    def emergency(self, message: str) -> Rule | None:
        """The first red-flag rule the message matches (crisis rules come before medical ones), as
        typed or with its misspellings mended."""
        said = flatten(message)
        if rule := self._matching(said):
            return rule
        mended = self.mended(said)
        return self._matching(mended) if mended else None

    def _matching(self, said: str) -> Rule | None:
        text = self.flags.without_risk_questions(said)
        starts = beginnings(text)
        return next((rule for rule in self.flags.rules if rule.matches(text, starts)), None)

    def mended(self, said: str) -> str | None:
        """The flattened message with words too rare to be English mended toward the red flags'
        words, or None when nothing changed. A clinical word is no misspelling: "concussions" is
        not "convulsions"."""
        words = said.split()
        fixed = [self.speller.correct(w) if not w.isdigit() and w not in self.speller.vocabulary
                 and zipf_frequency(w, "en") < REAL_WORD and not is_clinical(w) else None for w in words]
        return " ".join(f or w for f, w in zip(fixed, words)) if any(fixed) else None


def _slips(word: str) -> int:
    """How many letters a misspelt red flag may be off: one from four letters ("lyfe"), two from eight."""
    return 2 if len(word) >= 8 else 1 if len(word) >= 4 else 0


@lru_cache(maxsize=4)
def red_flag_vocabulary(words: frozenset[str], stems: frozenset[str]) -> frozenset[str]:
    """The red flags' words, and the real English words that begin with a stem a pattern lets any
    ending follow ("wheezing" of "wheez\\w*") or with a fragment no English word is ("suicidal" of
    "suicid"): what a misspelt red flag may have meant."""
    stems = stems | {w for w in words if len(w) >= 5 and zipf_frequency(w, "en") < 1}
    return words | {w for w, f in get_frequency_dict("en").items() if f >= 1e-7 and w.isalpha()
                    and any(w[:k] in stems for k in range(4, len(w) + 1))}
