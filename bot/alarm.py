"""A second look for emergencies that no red-flag pattern foresees.

Patterns catch what they spell out; a visitor in crisis may write "I'm thinking of taking a
permanent nap" or "I've decided to check out early", and each new round of such wordings slipped
past most patterns written for the last. Example messages (``knowledge/emergency_examples.yml``:
emergencies under the name of the rule whose reply they need, and ``neither``: messages that only
look like one, and ordinary questions) train a linear model over words and character n-grams,
which weighs how a message is said (a first-person statement of finality, no clinic words) rather
than exact phrases. The engine asks it only about messages it would not answer with confidence.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from . import triage

NEITHER = "neither"  # the examples that are no emergency


class Alarm:
    """Which emergency rule a message most likely needs, and how likely, from worded examples."""

    def __init__(self, examples: dict[str, tuple[str, ...]]):
        texts = [triage.flatten(m) for name in sorted(examples) for m in examples[name]]
        labels = [name for name in sorted(examples) for _ in examples[name]]
        views = [TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                 TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)]
        matrix = sparse.hstack([view.fit_transform(texts) for view in views]).tocsr()
        model = LogisticRegression(C=10, max_iter=3000, class_weight="balanced").fit(matrix, labels)
        self.classes = [str(c) for c in model.classes_]
        # Scoring by hand, term by term, costs a fraction of a pipeline call for one short message.
        self._analyzers = [view.build_analyzer() for view in views]
        sizes = np.cumsum([0] + [len(view.vocabulary_) for view in views])
        self._terms = [{term: sizes[k] + j for term, j in view.vocabulary_.items()}
                       for k, view in enumerate(views)]
        self._idf = np.concatenate([view.idf_ for view in views])
        coef = model.coef_ if len(self.classes) > 2 else np.vstack([-model.coef_[0], model.coef_[0]])
        intercept = model.intercept_ if len(self.classes) > 2 else np.array([-model.intercept_[0], model.intercept_[0]])
        self._coef, self._intercept = coef.T.copy(), intercept

    def probabilities(self, message: str) -> dict[str, float]:
        """Each rule's probability (and ``neither``'s) for a message."""
        text = triage.flatten(message)
        logits = self._intercept.copy()
        for analyze, terms in zip(self._analyzers, self._terms):
            counts = Counter(t for t in analyze(text) if t in terms)
            if not counts:
                continue
            index = np.fromiter((terms[t] for t in counts), dtype=np.int64, count=len(counts))
            weights = np.fromiter((1 + math.log(c) for c in counts.values()), dtype=float, count=len(counts))
            weights *= self._idf[index]
            logits += (weights / np.linalg.norm(weights)) @ self._coef[index]
        odds = np.exp(logits - logits.max())
        return dict(zip(self.classes, odds / odds.sum()))

    def likeliest(self, message: str) -> tuple[str, float]:
        """The likeliest emergency rule for a message and its probability (``neither`` never)."""
        chances = self.probabilities(message)
        name = max((n for n in chances if n != NEITHER), key=chances.get)
        return name, float(chances[name])


@lru_cache(maxsize=4)
def trained(examples: tuple[tuple[str, tuple[str, ...]], ...]) -> Alarm | None:
    """One trained model per set of examples (engines are rebuilt often, the examples rarely change);
    None without both emergencies and counter-examples to learn from."""
    by_name = dict(examples)
    if not by_name.get(NEITHER) or len(by_name) < 2:
        return None
    return Alarm(by_name)
