"""Words near in meaning: "painkillers" is near "medication", "sneakers" near "footwear", "dizzy"
near "vertigo", though no stemmer or spelling makes them one word.

Every common English word has a small vector (``bot/defaults/word_vectors.npz``, made once by
``tools/word_vectors.py`` from a sentence model; read with NumPy alone). A visitor's word that the
clinic's knowledge never uses is looked up among the knowledge's own words, and those whose vectors
are close enough stand for it, as the clinic's synonyms do. Only words of the knowledge can be
found, so a near word never brings a topic the clinic did not write about, and only words that
say something (not "right", "did", "tomorrow") look for neighbours or are found.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np

from .text import information, stem

VECTORS = Path(__file__).with_name("defaults") / "word_vectors.npz"
NEAR = 0.7  # cosine of two words that mean nearly the same ("swollen"/"swelling" 0.92, "ankle"/"knee" 0.60)
# Only words that say something have neighbours worth having ("sneakers", not "right" or "tomorrow",
# whose vectors sit near "but", "so" and "saturday"): rarer in English than "shoulder" nearly is.
TELLING = 1.5


@lru_cache(maxsize=1)
def _vectors() -> tuple[dict[str, int], np.ndarray]:
    """(word -> row, unit vectors), read once per process."""
    if not VECTORS.exists():
        return {}, np.zeros((0, 1), dtype=np.float32)
    data = np.load(VECTORS)
    vectors = data["vectors"].astype(np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    return {str(w): i for i, w in enumerate(data["words"])}, vectors


class Neighbours:
    """The knowledge's words near a visitor's word, as stems."""

    def __init__(self, knowledge_words: Iterable[str], near: float = NEAR):
        rows, vectors = _vectors()
        own = sorted({w for w in knowledge_words if w in rows and information(w) >= TELLING})
        self.stems = [stem(w) for w in own]
        self.known = frozenset(self.stems)
        self.matrix = vectors[[rows[w] for w in own]] if own else np.zeros((0, vectors.shape[1]), dtype=np.float32)
        self.rows, self.vectors, self.near = rows, vectors, near
        # Cached per instance: a cache on the class would keep every replaced engine alive.
        self.of = lru_cache(maxsize=8192)(self._of)

    def _of(self, word: str) -> tuple[str, ...]:
        """The knowledge's stems whose words are near ``word`` (none for a word it uses itself)."""
        row = self.rows.get(word)
        if row is None or stem(word) in self.known or not len(self.matrix) or information(word) < TELLING:
            return ()
        similar = self.matrix @ self.vectors[row]
        return tuple(dict.fromkeys(self.stems[i] for i in np.flatnonzero(similar >= self.near)))
