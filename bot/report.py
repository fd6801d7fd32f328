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
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

SIMILAR = 0.5  # similarity above which two questions count as the same question
TOPIC_BONUS = 0.35  # added when the bot matched both to the same hand-off topic


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


def group_questions(rows: list[dict], topic_terms: Callable[[str], list[str]], similar: float = SIMILAR) -> list[Group]:
    """Rows that need attention, grouped by meaning, most asked first.

    Greedy clustering: each question joins the most similar group if similar enough. Similarity is
    the cosine of the questions' topic words (as words and as characters), plus a bonus when the bot matched both to the
    same hand-off topic ("price?" and "how much does it cost" share few words but one topic).
    """
    rows = [r for r in rows if needs_attention(r)]
    if not rows:
        return []
    vectors = _vectors([r["message"] for r in rows], topic_terms)
    topics = [r.get("matched") if (r.get("matched") or "").startswith("handoff/") else None for r in rows]
    members: list[list[int]] = []
    centroids: list[np.ndarray] = []
    for i in range(len(rows)):
        # "how much is it?" names nothing, but the bot placed it with the price questions: it joins them.
        bonus = 1.0 if not vectors[i].any() else TOPIC_BONUS
        scores = [float(vectors[i] @ c) + (bonus if topics[i] and topics[i] == topics[ids[0]] else 0.0)
                  for c, ids in zip(centroids, members)]
        best = int(np.argmax(scores)) if scores else -1
        if best >= 0 and scores[best] >= similar:
            members[best].append(i)
            total = vectors[members[best]].sum(axis=0)
            centroids[best] = total / np.linalg.norm(total)
        else:
            members.append([i])
            centroids.append(vectors[i])
    groups = [_group([rows[i] for i in ids]) for ids in members]
    return sorted(groups, key=lambda g: (-g.count, g.question.lower()))


def _vectors(texts: list[str], topic_terms: Callable[[str], list[str]]) -> np.ndarray:
    """Unit TF-IDF vectors of the topic words (``Engine.topic_terms``: stemmed, with the clinic's synonyms).

    Only topic words count: "can I get dry needling while pregnant" and "can dry needling help my
    knee" share most of their letters but none of what they are about; and the clinic's everyday
    words ("dry needling", in nearly every question) say nothing about which question it is. A
    question with no topic word at all (emoji, "?") falls back to its characters.
    """
    topics = [" ".join(topic_terms(text)) for text in texts]
    if not any(topics):
        topics = texts  # no topic word anywhere (emoji, "?"): compare the messages themselves
    # Characters of the stems as well as the stems, so "pregnant" and "pregnancy" meet.
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit_transform(topics)
    words = TfidfVectorizer(token_pattern=r"\S+").fit_transform(topics) if any(t.strip() for t in topics) else None
    matrix = chars if words is None else hstack([normalize(words), normalize(chars)])
    return normalize(matrix.tocsr()).toarray()


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
