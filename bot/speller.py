"""Typo correction against the knowledge's own vocabulary ("neeedling" -> "needling").

Visitors type on phones. Correcting only toward words the knowledge actually uses keeps the fix
safe: it can never turn a question into something the clinic did not write about. Lookup uses
precomputed deletions (the SymSpell idea), so a correction costs a few dictionary probes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


def _max_distance(word: str) -> int:
    """Short words are left alone: "cost" is one letter from "post", and that must stay a gap."""
    if len(word) >= 8:
        return 2
    if len(word) >= 5:
        return 1
    return 0


def _deletes(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


class Speller:
    """Maps an unknown word to the closest known word within a small edit distance, or to None."""

    def __init__(self, vocabulary: Iterable[str], max_distance: Callable[[str], int] = _max_distance,
                 preference: Callable[[str], float] = lambda word: 0.0):
        self.vocabulary = frozenset(vocabulary)
        self.max_distance = max_distance
        self.preference = preference  # among equally close words, the one ranked lowest wins
        index: dict[str, set[str]] = {}
        for word in self.vocabulary:
            for variant in _deletes(word, max_distance(word)):
                index.setdefault(variant, set()).add(word)
        # Tuples of strings, unlike sets, drop out of the garbage collector's sight: a large
        # vocabulary's hundred thousand entries would otherwise be walked at every full collection.
        self._index: dict[str, tuple[str, ...]] = {k: tuple(sorted(v)) for k, v in index.items()}

    def correct(self, word: str) -> str | None:
        """The known word nearest to ``word``; ties go to the shorter edit, then to the preferred
        word, then alphabetical order."""
        if word in self.vocabulary:
            return word
        limit = self.max_distance(word)
        if not limit:
            # A short word is corrected only for two swapped letters ("pian" -> "pain") or one
            # letter left out ("nek" -> "neck"), the slips least likely to turn one real word into
            # another, and only when a single known word fits.
            swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
            found = sorted(swaps & self.vocabulary) if len(word) >= 4 else []
            if not found and len(word) >= 3:
                found = sorted({word[:i] + c + word[i:] for i in range(len(word) + 1)
                                for c in "abcdefghijklmnopqrstuvwxyz"} & self.vocabulary)
                found = found if len(found) == 1 else []
            return found[0] if found else None
        from nltk.metrics.distance import edit_distance  # imported on first use, as the stemmer is

        candidates = set()
        for variant in _deletes(word, limit):
            candidates.update(self._index.get(variant, ()))
        # Two letters typed in the wrong order is the commonest slip: "pian" is "pain" before "plan".
        scored = [
            (edit_distance(word, c, transpositions=True), sorted(c) != sorted(word), self.preference(c), c)
            for c in candidates
            if abs(len(c) - len(word)) <= limit
        ]
        scored = [s for s in scored if s[0] <= min(limit, self.max_distance(s[3]) or 1)]
        return min(scored)[3] if scored else None

