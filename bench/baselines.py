"""Baselines measured beside the engine in the same run: plain TF-IDF and BM25 (Okapi).

Both use the simplest reasonable text handling (lowercase words, English stop words), as a team
would get from a first afternoon with scikit-learn or rank_bm25.
"""

from __future__ import annotations

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer


class PlainTfidf:
    """TF-IDF over the texts, cosine ranking: what the issue calls plain TF-IDF."""

    def __init__(self, texts: list[str]):
        self.vectorizer = TfidfVectorizer(stop_words="english")
        self.matrix = self.vectorizer.fit_transform(texts).T.tocsr()

    def scores(self, query: str) -> np.ndarray:
        return (self.vectorizer.transform([query]) @ self.matrix).toarray().ravel()


class BM25:
    """Okapi BM25 (k1=1.5, b=0.75) on a sparse term matrix; the maths is all in ``__init__``."""

    def __init__(self, texts: list[str], k1: float = 1.5, b: float = 0.75):
        self.vectorizer = CountVectorizer(stop_words="english")
        counts = self.vectorizer.fit_transform(texts).tocsr().astype(np.float64)
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        n = counts.shape[0]
        self.idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        norm = k1 * (1 - b + b * lengths / max(lengths.mean(), 1e-9))
        rows = np.repeat(np.arange(n), np.diff(counts.indptr))
        tf = counts.data
        counts.data = tf * (k1 + 1) / (tf + norm[rows]) * self.idf[counts.indices]
        self.matrix = counts.T.tocsr()

    def scores(self, query: str) -> np.ndarray:
        terms = self.vectorizer.transform([query])
        terms.data[:] = 1.0
        return (terms @ self.matrix).toarray().ravel()
