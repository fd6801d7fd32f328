"""The search index: how close each piece of knowledge is to a visitor's question.

Every target (an FAQ entry, an article section, a hand-off topic) is reached through *units* of
four kinds, each a field of its own: the questions it answers (an FAQ's wordings, a section's
heading), its whole text, each of its sentences, and its article's title. Each field is scored with
BM25 (Robertson's saturation and length normalisation) and the scores are expressed as the share
of the question's weight that a unit matches, so they lie between 0 and 1 whatever the folder's
size. A target scores its best unit in each field; the fields are blended with fixed weights that
depend on the kind of target: an FAQ entry (or a hand-off topic) is found mostly by the questions
staff wrote for it, an article's section, whose heading is a label more often than a question,
by its sentences and text as much as by its heading.

Term weights are the knowledge's own inverse document frequencies over targets, so a word every
article uses ("physiotherapy") counts little and a word one section uses counts a lot. A word of
the question that the knowledge never uses is weighted by its rarity in English instead: "the"
missing costs nothing, "sciatica" missing costs as much as any word can.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

FIELDS = ("ask", "text", "sentence", "title")
SHARED = frozenset({"title"})  # a field a target shares with the rest of its article


@dataclass(frozen=True)
class Unit:
    """One way of reaching a target: a question it answers, its text, a sentence, or its title."""

    target: str
    field: str
    text: str


@dataclass
class Scores:
    """A question's closeness to every target: blended, and by field."""

    targets: list[str]
    total: np.ndarray
    by_field: dict[str, np.ndarray]
    weight: float  # the question's whole weight (the denominator of every share)
    position: dict[str, int]  # a target's place in ``targets``

    def of(self, target: str, field: str) -> float:
        """One target's score in one field."""
        scores = self.by_field.get(field)
        return float(scores[self.position[target]]) if scores is not None else 0.0

    def best(self, limit: int = 8, among: np.ndarray | None = None) -> list[tuple[str, float]]:
        """The ``limit`` closest targets, best first (ties in the index's order), among the targets
        at the positions ``among`` (``Index.positions``) or all. Only the top few are sorted: with
        10,000 passages a full sort per look took most of a reply's time."""
        positions = np.arange(len(self.targets)) if among is None else among
        values = self.total[positions]
        if limit < len(values):
            kth = np.partition(values, len(values) - limit)[len(values) - limit]
            keep = np.flatnonzero(values >= kth)  # every tie of the last one kept
            positions, values = positions[keep], values[keep]
        order = np.argsort(-values, kind="stable")[:limit]
        return [(self.targets[i], float(self.total[i])) for i in positions[order]]


class Index:
    """BM25 fields over units: configured in ``__init__``, built by ``fit``, queried by ``search``."""

    def __init__(self, analyzer: Callable[[str], list[str]], field_weights: dict[str, dict[str, float]],
                 kind_of: Callable[[str], str], k1: float = 1.2, b: float = 0.75):
        self.analyzer = analyzer
        self.field_weights = field_weights  # {kind of target: {field: weight}}
        self.kind_of = kind_of
        self.k1 = k1
        self.b = b

    def fit(self, units: Sequence[Unit], analysed: Sequence[list[str]] | None = None) -> "Index":
        """Build from the units; ``analysed``, each unit's terms when the caller has them already."""
        if not units:
            raise ValueError("cannot build an index with no units")
        self.units_ = list(units)
        self.targets_ = sorted({u.target for u in units})
        self.position_ = {t: i for i, t in enumerate(self.targets_)}
        analysed = analysed if analysed is not None else [self.analyzer(u.text) for u in units]
        self.vocabulary_: dict[str, int] = {}
        for terms in analysed:
            for term in terms:
                self.vocabulary_.setdefault(term, len(self.vocabulary_))
        # Document frequency over targets: a target is one document, however many units it has;
        # its article's title is context it shares with its neighbours, not its own words.
        owner = np.array([self.position_[u.target] for u in units])
        pairs = {(owner[i], self.vocabulary_[t]) for i, terms in enumerate(analysed) for t in terms
                 if units[i].field not in SHARED}
        df = np.bincount([term for _, term in pairs], minlength=len(self.vocabulary_))
        n = len(self.targets_)
        self.idf_ = np.log(1 + (n - df + 0.5) / (df + 0.5))
        self.unknown_idf_ = float(np.log(1 + (n + 0.5) / 0.5))
        self.matrix_ = self._saturated(analysed, [u.field for u in units])
        # Per field, its units grouped by target, so a target's best unit is one reduceat away, and
        # the field's weight for each target.
        kinds = [self.kind_of(t) for t in self.targets_]
        self.blend_ = {name: np.array([self.field_weights[k].get(name, 0.0) for k in kinds]) for name in FIELDS}
        self.fields_ = {}
        for name in FIELDS:
            rows = np.array([i for i, u in enumerate(units) if u.field == name], dtype=np.int64)
            if len(rows):
                rows = rows[np.argsort(owner[rows], kind="stable")]
                starts = np.flatnonzero(np.r_[True, np.diff(owner[rows]) != 0])
                self.fields_[name] = (rows, starts, owner[rows][starts])
        return self

    def _saturated(self, analysed: list[list[str]], fields: list[str]) -> sparse.csr_matrix:
        """The terms x units matrix of BM25's saturated term frequencies, each unit's length
        normalised against the average length of its own field, scaled to at most 1."""
        rows, cols = [], []
        for i, terms in enumerate(analysed):
            for term in terms:
                rows.append(self.vocabulary_[term])
                cols.append(i)
        counts = sparse.csc_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(self.vocabulary_), len(analysed)))
        counts.sum_duplicates()
        lengths = np.array([max(1, len(t)) for t in analysed], dtype=float)
        average = {f: lengths[[i for i, g in enumerate(fields) if g == f]].mean() for f in set(fields)}
        norm = self.k1 * (1 - self.b + self.b * lengths / np.array([average[f] for f in fields]))
        cols_of = np.repeat(np.arange(counts.shape[1]), np.diff(counts.indptr))
        tf = counts.data
        counts.data = tf * (self.k1 + 1) / (tf + norm[cols_of]) / (self.k1 + 1)
        return counts.tocsr()

    def weight(self, term: str, told: float) -> float:
        """A term's weight: its IDF in the knowledge. A word the knowledge never uses weighs by
        ``told``, how much it tells in English, up to a term only one target has: "the" missing
        costs nothing, "sciatica" missing costs as much as any word can."""
        j = self.vocabulary_.get(term)
        if j is None:
            return self.unknown_idf_ * min(1.0, told / 5.0)
        return float(self.idf_[j])

    def search(self, concepts: list[tuple[tuple[str, float], ...]], total: float) -> Scores:
        """Every target's closeness to a question given as concepts, each one or more (term,
        weight) of which a unit counts the best it has: "hurt" is found as "hurt" or, a little
        less, as "pain" or "sore", and a unit saying all three gains no more than one. ``total`` is
        the whole question's weight, so scores are shares of it."""
        total = total or 1.0
        per_unit = np.zeros(self.matrix_.shape[1])
        indptr, indices, data = self.matrix_.indptr, self.matrix_.indices, self.matrix_.data
        for concept in concepts:
            found = [(slice(indptr[j], indptr[j + 1]), weight / total) for term, weight in concept
                     if (j := self.vocabulary_.get(term)) is not None]
            if len(found) == 1:
                span, weight = found[0]
                per_unit[indices[span]] += data[span] * weight
            elif found:
                units = np.concatenate([indices[span] for span, _ in found])
                values = np.concatenate([data[span] * weight for span, weight in found])
                each, where = np.unique(units, return_inverse=True)
                best = np.zeros(len(each))
                np.maximum.at(best, where, values)
                per_unit[each] += best
        blended = np.zeros(len(self.targets_))
        by_field = {}
        for name, (rows, starts, targets) in self.fields_.items():
            best = np.zeros(len(self.targets_))
            best[targets] = np.maximum.reduceat(per_unit[rows], starts)
            by_field[name] = best
            blended += self.blend_[name] * best
        return Scores(self.targets_, blended, by_field, total, self.position_)

    def positions(self, targets) -> np.ndarray:
        """The places of some targets (``Scores.best(among=...)``), in the index's order."""
        return np.array(sorted(self.position_[t] for t in targets if t in self.position_), dtype=np.int64)
