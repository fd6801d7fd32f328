"""The search index: which piece of knowledge is closest to a visitor's question.

Two TF-IDF views of the same texts are blended. Word terms (stemmed, synonyms added) capture
meaning; character n-grams survive typos and word forms the stemmer misses. Each target (an FAQ
entry, an article section, a hand-off topic) is reached through several keys: its questions, which
match visitors best, and its text, weighted lower. A target scores its best key.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from .text import Normaliser, clean


@dataclass(frozen=True)
class Key:
    """One way of reaching a target: a question or a text, with how much a match on it counts."""

    target: str
    text: str
    weight: float = 1.0


@dataclass(frozen=True)
class Hit:
    target: str
    score: float


def char_text(text: str) -> str:
    """What the character n-gram view sees: cleaned text (module-level so it is picklable)."""
    return clean(text)


class Index:
    """TF-IDF index over keys, configured in ``__init__``, built by ``fit``, queried by ``search``."""

    def __init__(self, normaliser: Normaliser, word_weight: float = 0.55, coverage_floor: float = 1.0):
        self.normaliser = normaliser
        self.word_weight = word_weight
        self.coverage_floor = coverage_floor

    def fit(self, keys: list[Key]) -> "Index":
        """Learn both vocabularies and the key matrices from the knowledge."""
        if not keys:
            raise ValueError("cannot build an index with no keys")
        self.words_ = TfidfVectorizer(tokenizer=self.normaliser, token_pattern=None,
                                      lowercase=False, ngram_range=(1, 2), sublinear_tf=True)
        self.chars_ = TfidfVectorizer(analyzer="char_wb", preprocessor=char_text,
                                      ngram_range=(3, 5), sublinear_tf=True)
        texts = [k.text for k in keys]
        self.word_matrix_ = self.words_.fit_transform(texts).T.tocsr()
        self.char_matrix_ = self.chars_.fit_transform(texts).T.tocsr()
        self.presence_ = (self.word_matrix_ > 0).astype(np.float64).T.tocsr()
        self.targets_ = sorted({k.target for k in keys})
        position = {t: i for i, t in enumerate(self.targets_)}
        self.key_target_ = np.array([position[k.target] for k in keys])
        self.key_weight_ = np.array([k.weight for k in keys])
        self.keys_ = keys
        return self

    def key_scores(self, query: str) -> np.ndarray:
        """Blended cosine similarity of the query to every key, times the key's weight and coverage.

        Coverage is the share of the query's rarest words a key contains: "can I *drive* after dry
        needling?" must not match "what should I do after dry needling?" just because most of its
        words are there. Keys that miss the query's most telling word lose up to ``1 -
        coverage_floor`` of their score.
        """
        terms = self.words_.transform([query])
        word = (terms @ self.word_matrix_).toarray().ravel()
        char = (self.chars_.transform([query]) @ self.char_matrix_).toarray().ravel()
        score = (self.word_weight * word + (1 - self.word_weight) * char) * self.key_weight_
        if self.coverage_floor < 1.0 and terms.nnz:
            idf = self.words_.idf_[terms.indices]
            covered = (self.presence_[:, terms.indices] @ idf) / idf.sum()
            score *= self.coverage_floor + (1 - self.coverage_floor) * covered
        return score

    def search(self, query: str, limit: int = 5) -> list[Hit]:
        """The best targets for a query, best first; each target scores its best key."""
        scores = self.key_scores(query)
        best = np.zeros(len(self.targets_))
        np.maximum.at(best, self.key_target_, scores)
        order = np.argsort(-best, kind="stable")[:limit]
        return [Hit(self.targets_[i], float(best[i])) for i in order]
