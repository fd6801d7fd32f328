"""The search index: which piece of knowledge is closest to a visitor's question.

Two TF-IDF views of the same texts are blended. Word terms (stemmed, synonyms added) capture
meaning; character n-grams survive typos and word forms the stemmer misses. Each target (an FAQ
entry, an article section, a hand-off topic) is reached through several keys: its questions, which
match visitors best, and its text, weighted lower. A target scores its best key.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
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

    def __init__(self, normaliser: Normaliser, word_weight: float = 0.55, coverage_floor: float = 1.0,
                 target_coverage_floor: float = 1.0, second_key_weight: float = 0.0):
        self.normaliser = normaliser
        self.word_weight = word_weight
        self.coverage_floor = coverage_floor
        self.target_coverage_floor = target_coverage_floor
        self.second_key_weight = second_key_weight

    def fit(self, keys: list[Key], uncovered: frozenset[str] = frozenset()) -> "Index":
        """Learn both vocabularies and the key matrices from the knowledge.

        Targets in ``uncovered`` keep their best key's score whatever words the query adds (the
        hand-off topics: a question close to "how much does it cost" should hand off, whatever else
        it says).
        """
        if not keys:
            raise ValueError("cannot build an index with no keys")
        self.words_ = TfidfVectorizer(tokenizer=self.normaliser, token_pattern=None,
                                      lowercase=False, ngram_range=(1, 2), sublinear_tf=True)
        self.chars_ = TfidfVectorizer(analyzer="char_wb", preprocessor=char_text,
                                      ngram_range=(3, 5), sublinear_tf=True)
        texts = [k.text for k in keys]
        self.word_matrix_ = self.words_.fit_transform(texts).T.tocsr()
        self.char_matrix_ = self.chars_.fit_transform(texts).T.tocsr()
        self._word_analyzer = self.words_.build_analyzer()
        self._char_analyzer = self.chars_.build_analyzer()
        self.presence_ = self.word_matrix_.copy()
        self.presence_.data[:] = 1.0
        # Coverage counts single words: a bigram only repeats what its two words already say.
        self.unigram_ = np.array([" " not in t for t in self.words_.get_feature_names_out()])
        self.targets_ = sorted({k.target for k in keys})
        self.position_ = {t: i for i, t in enumerate(self.targets_)}
        self.key_target_ = np.array([self.position_[k.target] for k in keys])
        self.key_weight_ = np.array([k.weight for k in keys])
        self.keys_ = keys
        # Which word terms each target has in any of its keys (terms x targets, 1 where present).
        owner = sparse.csr_matrix((np.ones(len(keys)), (np.arange(len(keys)), self.key_target_)),
                                  shape=(len(keys), len(self.targets_)))
        self.target_presence_ = (self.presence_ @ owner).tocsr()
        self.target_presence_.data[:] = 1.0
        self.uncovered_ = np.array([t in uncovered for t in self.targets_])
        return self

    def _key_scores(self, query: str, word_terms: np.ndarray, word_weights: np.ndarray) -> np.ndarray:
        """Blended cosine similarity of the query to every key, times the key's weight and coverage.

        ``word_terms`` and ``word_weights`` are the query's word vector (``_query_vector``), computed
        once by the caller. Coverage is the share of the query's rarest words a key contains: "can I
        *drive* after dry needling?" must not match "what should I do after dry needling?" just
        because most of its words are there. Keys that miss the query's most telling word lose up to
        ``1 - coverage_floor`` of their score.
        """
        char_terms, char_weights = _query_vector(self.chars_, self._char_analyzer, query)
        word = _dot(self.word_matrix_, word_terms, word_weights)
        char = _dot(self.char_matrix_, char_terms, char_weights)
        score = (self.word_weight * word + (1 - self.word_weight) * char) * self.key_weight_
        if self.coverage_floor < 1.0:
            score *= self.coverage_floor + (1 - self.coverage_floor) * self._coverage(self.presence_, word_terms)
        return score

    def _coverage(self, presence, word_terms: np.ndarray) -> np.ndarray:
        """Per column of ``presence`` (keys or targets), the idf-weighted share of the query's single
        words it has; all ones when the query has none the index knows."""
        unigrams = word_terms[self.unigram_[word_terms]]
        if not len(unigrams):
            return np.ones(presence.shape[1])
        idf = self.words_.idf_[unigrams]
        return _dot(presence, unigrams, idf / idf.sum())

    def covers(self, query: str, target: str, other: str) -> bool:
        """Whether ``target``'s keys have at least as much of the query's telling words as ``other``'s."""
        word_terms, _ = _query_vector(self.words_, self._word_analyzer, query)
        coverage = self._coverage(self.target_presence_, word_terms)
        return bool(coverage[self.position_[target]] >= coverage[self.position_[other]] - 1e-9)

    def term_weights(self, text: str) -> dict[str, float]:
        """The idf of each known word term of a text: how telling each of its words is."""
        vocabulary, idf = self.words_.vocabulary_, self.words_.idf_
        return {t: idf[vocabulary[t]] for t in self._word_analyzer(text) if t in vocabulary}

    def search(self, query: str, limit: int = 5) -> list[Hit]:
        """The best targets for a query, best first."""
        return self.top(self.scores(query), limit)

    def top(self, scores: np.ndarray, limit: int) -> list[Hit]:
        """The ``limit`` best targets of a ``scores`` array, best first."""
        order = np.argsort(-scores, kind="stable")[:limit]
        return [Hit(self.targets_[i], float(scores[i])) for i in order]

    def score_of(self, scores: np.ndarray, target: str) -> float:
        return float(scores[self.position_[target]])

    def scores(self, query: str) -> np.ndarray:
        """Every target's score for a query (in ``targets_`` order).

        Each target scores its best key (blended with its second best), scaled by how many of the
        query's telling words the target has in any of its keys: "could dry needling help my
        *fibromyalgia*?" reads almost like the general "can dry needling help me?", but the entry
        that mentions fibromyalgia answers it.
        """
        word_terms, word_weights = _query_vector(self.words_, self._word_analyzer, query)
        scores = self._key_scores(query, word_terms, word_weights)
        best = np.zeros(len(self.targets_))
        np.maximum.at(best, self.key_target_, scores)
        if self.second_key_weight:
            # A target's second-best key counts a little: one odd wording that happens to share a
            # word with the question is weaker evidence than two ways of asking that both fit.
            second = np.zeros(len(self.targets_))
            np.maximum.at(second, self.key_target_, np.where(scores >= best[self.key_target_], 0.0, scores))
            best = (1 - self.second_key_weight) * best + self.second_key_weight * second
        if self.target_coverage_floor < 1.0:
            coverage = self._coverage(self.target_presence_, word_terms)
            # Relative to the best-covered of the close targets, which keeps its score.
            close = best >= 0.5 * best.max()
            coverage = np.minimum(coverage / max(coverage[close].max(), 1e-9), 1.0)
            coverage[self.uncovered_] = 1.0
            best *= self.target_coverage_floor + (1 - self.target_coverage_floor) * coverage
        return best


def _query_vector(vectorizer: TfidfVectorizer, analyzer, query: str) -> tuple[np.ndarray, np.ndarray]:
    """The query's TF-IDF vector as (term ids, weights), computed the way ``transform`` does.

    Calling scikit-learn's ``transform`` for one short query spends most of its time validating
    input; this does the same arithmetic (sublinear tf, idf, L2 norm) on the fitted vocabulary.
    """
    counts: dict[int, int] = {}
    vocabulary = vectorizer.vocabulary_
    for term in analyzer(query):
        index = vocabulary.get(term)
        if index is not None:
            counts[index] = counts.get(index, 0) + 1
    if not counts:
        return np.empty(0, dtype=np.int64), np.empty(0)
    terms = np.fromiter(counts, dtype=np.int64, count=len(counts))
    weights = (1 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts))))
    weights *= vectorizer.idf_[terms]
    return terms, weights / np.linalg.norm(weights)


def _dot(matrix, terms: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """weights . matrix[terms] for a CSR (terms x keys) matrix, gathered without scipy overhead."""
    starts, ends = matrix.indptr[terms], matrix.indptr[terms + 1]
    lengths = ends - starts
    if not lengths.sum():
        return np.zeros(matrix.shape[1])
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
    values = matrix.data[offsets] * np.repeat(weights, lengths)
    return np.bincount(matrix.indices[offsets], values, minlength=matrix.shape[1])
