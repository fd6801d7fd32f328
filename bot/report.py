"""The staff report: what visitors asked that the bot could not answer, grouped so staff see topics.

"How much is it?", "what does a session cost" and "price??" are one missing answer, not three, so
questions are grouped by similarity (word and character TF-IDF, with the clinic's synonyms, so
"cost" and "price" meet). Each group shows how often it was asked and the passage the bot found
closest, which tells staff whether to add an alternate phrasing there or write a new answer.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from .index import char_text
from .text import Normaliser

SIMILAR = 0.5  # cosine similarity above which two questions count as the same question


@dataclass
class Group:
    question: str  # the wording asked most often
    count: int
    wordings: list[str] = field(default_factory=list)
    reply_types: dict[str, int] = field(default_factory=dict)
    unhelpful: int = 0
    closest: str = ""  # the passage or topic the bot matched most often
    last_asked: datetime | None = None


def needs_attention(row: dict) -> bool:
    """Handed off, or answered but marked unhelpful by the visitor."""
    return row["reply_type"] == "handoff" or row.get("helpful") is False


def group_questions(rows: list[dict], normaliser: Normaliser, similar: float = SIMILAR) -> list[Group]:
    """Rows that need attention, grouped by meaning, most asked first.

    Questions the bot matched to the same hand-off topic ("price", "insurance") are one group
    whatever their words; the others are grouped by the similarity of their words.
    """
    rows = [r for r in rows if needs_attention(r)]
    by_topic: dict[str, list[dict]] = {}
    for r in rows:
        if (r.get("matched") or "").startswith("handoff/"):
            by_topic.setdefault(r["matched"], []).append(r)
    rest = [r for r in rows if not (r.get("matched") or "").startswith("handoff/")]
    groups = [_group(members) for members in by_topic.values()] + _by_similarity(rest, normaliser, similar)
    return sorted(groups, key=lambda g: (-g.count, g.question.lower()))


def _by_similarity(rows: list[dict], normaliser: Normaliser, similar: float) -> list[Group]:
    """Greedy clustering: each question joins the closest group whose centroid is similar enough."""
    if not rows:
        return []
    texts = [r["message"] for r in rows]
    words = TfidfVectorizer(tokenizer=normaliser, token_pattern=None, lowercase=False)
    chars = TfidfVectorizer(analyzer="char_wb", preprocessor=char_text, ngram_range=(3, 5))
    try:
        word_part = words.fit_transform(texts)
    except ValueError:  # no word survived normalisation (e.g. only emoji)
        word_part = None
    matrix = chars.fit_transform(texts) if word_part is None else hstack([word_part, chars.fit_transform(texts)])
    vectors = normalize(matrix.tocsr())
    members: list[list[int]] = []
    centroids: list[np.ndarray] = []
    for i in range(len(rows)):
        vector = vectors[i].toarray().ravel()
        scores = [float(vector @ c) for c in centroids]
        best = int(np.argmax(scores)) if scores else -1
        if best >= 0 and scores[best] >= similar:
            members[best].append(i)
            total = sum(vectors[j].toarray().ravel() for j in members[best])
            centroids[best] = total / np.linalg.norm(total)
        else:
            members.append([i])
            centroids.append(vector)
    return [_group([rows[i] for i in ids]) for ids in members]


def _group(rows: list[dict]) -> Group:
    wordings = Counter(r["message"].strip() for r in rows)
    closest = Counter(r.get("matched") or "" for r in rows).most_common(1)[0][0]
    return Group(
        question=wordings.most_common(1)[0][0],
        count=len(rows),
        wordings=[w for w, _ in wordings.most_common()],
        reply_types=dict(Counter(r["reply_type"] for r in rows)),
        unhelpful=sum(r.get("helpful") is False for r in rows),
        closest=closest,
        last_asked=max(r["asked_at"] for r in rows),
    )


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(groups: list[Group]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["question", "times asked", "handed off", "marked unhelpful", "closest passage",
                     "last asked", "other wordings"])
    for g in groups:
        writer.writerow([_cell(v) for v in (
            g.question, g.count, g.reply_types.get("handoff", 0), g.unhelpful, g.closest,
            g.last_asked.isoformat(timespec="minutes") if g.last_asked else "",
            " | ".join(g.wordings[1:]))])
    return out.getvalue()
