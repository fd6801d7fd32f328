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
from scipy import sparse

from .text import stem, words

SIMILAR = 0.5  # similarity above which two questions count as the same question
TOPIC_BONUS = 0.35  # added when the bot matched both to the same hand-off topic
KINDS = ("gap", "unhelpful", "designed")  # the order staff read them in


@dataclass
class Group:
    question: str  # the wording asked most often
    count: int
    wordings: list[str] = field(default_factory=list)
    reply_types: dict[str, int] = field(default_factory=dict)
    unhelpful: int = 0
    closest: str = ""  # the passage or topic the bot matched most often
    last_asked: datetime | None = None
    kind: str = "gap"  # "gap": nothing answers it; "unhelpful": answered, marked so; "designed": a hand-off topic
    reason: str = ""  # why, in plain words (``review``)
    answered_now: str | None = None  # the passage the bot answers it from today, if it does


def needs_attention(row: dict) -> bool:
    """Handed off, or answered but marked unhelpful by the visitor."""
    return row["reply_type"] == "handoff" or row.get("helpful") is False


def review(rows: list[dict], engine) -> list[Group]:
    """The report staff read: groups of questions to answer, each with its kind and a plain reason,
    real gaps first, questions the clinic hands off on purpose apart, and the ones the bot answers
    today (something was published since) marked and put last in their kind."""
    groups = group_questions(rows, engine.topic_terms)
    for group in groups:
        _explain(group, engine)
    return sorted(groups, key=lambda g: (KINDS.index(g.kind), g.answered_now is not None, -g.count, g.question.lower()))


def _explain(group: Group, engine) -> None:
    if group.unhelpful * 2 > group.count:
        group.kind = "unhelpful"
    elif group.closest.startswith("handoff/"):
        group.kind = "designed"
    reply = engine.reply(group.question)
    if reply.type == "answer" and group.kind != "unhelpful":
        group.answered_now = reply.matched
        group.reason = f"answered since: the bot now replies from «{reply.matched}»"
    elif group.kind == "unhelpful":
        group.reason = f"answered from «{group.closest}», but {group.unhelpful} visitor(s) said it did not help"
    elif group.kind == "designed":
        topic = engine.topics.get(group.closest)
        where = f" ({topic.source})" if topic is not None and topic.source else ""
        group.reason = (f"handed off on purpose: the hand-off topic '{group.closest.split('/', 1)[1]}'{where}; "
                        "if the clinic now has an answer, write it as an FAQ entry")
    elif missing := engine.unmentioned(group.question):
        group.reason = f"the articles never mention {', '.join(missing)}"
    else:
        group.reason = "the articles use these words, but no passage answers the question"


def group_questions(rows: list[dict], topic_terms: Callable[[str], list[str]], similar: float = SIMILAR) -> list[Group]:
    """Rows that need attention, grouped by meaning, most asked first.

    Each distinct wording is read once; then, most asked first, a wording not yet placed leads a
    group and takes every unplaced wording similar enough to it (the cosine of their topic words,
    plus a bonus when the bot matched both to the same hand-off topic: "price?" and "how much does
    it cost" share few words but one topic). Leading with the most asked wording keeps each group
    about what visitors ask most, and a sparse similarity product keeps 50,000 rows in about a second.
    """
    rows = [r for r in rows if needs_attention(r)]
    if not rows:
        return []
    by_wording: dict[str, list[dict]] = {}
    for r in rows:
        by_wording.setdefault(" ".join(r["message"].lower().split()), []).append(r)
    keys = sorted(by_wording, key=lambda k: -len(by_wording[k]))
    texts = [by_wording[k][0]["message"] for k in keys]
    vectors, own = _vectors(texts, topic_terms), _vectors(texts, topic_terms, own_only=True)
    # Alike in their own words or in the clinic's words for them ("charge" and "cost" meet at "price").
    similarity = (vectors @ vectors.T).maximum(own @ own.T).tocsr()
    topics = [_topic(by_wording[k]) for k in keys]
    empty = np.asarray(vectors.getnnz(axis=1) == 0)
    leader_of_topic: dict[str, int] = {}
    placed = np.full(len(keys), -1)
    for i in range(len(keys)):
        if placed[i] >= 0:
            continue
        if empty[i] and topics[i] in leader_of_topic:
            # "how much is it?" names nothing, but the bot placed it with the price questions: it joins them.
            placed[i] = leader_of_topic[topics[i]]
            continue
        placed[i] = i
        if topics[i]:
            leader_of_topic.setdefault(topics[i], i)
        row = similarity.getrow(i)
        for j, score in zip(row.indices, row.data):
            bonus = TOPIC_BONUS if topics[i] and topics[i] == topics[j] else 0.0
            if placed[j] < 0 and score + bonus >= similar:
                placed[j] = i
    members: dict[int, list[dict]] = {}
    for i, leader in enumerate(placed):
        members.setdefault(int(leader), []).extend(by_wording[keys[i]])
    groups = [_group(group_rows) for group_rows in members.values()]
    return sorted(groups, key=lambda g: (-g.count, g.question.lower()))


def _topic(rows: list[dict]) -> str | None:
    matched = Counter(r.get("matched") or "" for r in rows).most_common(1)[0][0]
    return matched if matched.startswith("handoff/") else None


def _vectors(texts: list[str], topic_terms: Callable[[str], list[str]], own_only: bool = False):
    """Unit TF-IDF vectors (sparse) of the topic words (``Engine.topic_terms``: stemmed, with the
    clinic's synonyms), each also by its first five letters, so "pregnant" and "pregnancy" meet.

    Only topic words count: "can I get dry needling while pregnant" and "can dry needling help my
    knee" share most of their letters but none of what they are about; and the clinic's everyday
    words ("dry needling", in nearly every question) say nothing about which question it is. With
    ``own_only``, only the visitor's own words: the synonyms one word brings ("pain": hurt, sore,
    ache…) would otherwise outweigh the one word the question is about ("sciatica"). A question
    with no topic word at all (emoji, "?") has an empty vector.
    """
    tokens = []
    for text in texts:
        own = {stem(w) for w in words(text)}
        terms = [t for t in topic_terms(text) if not own_only or t in own]
        tokens.append(list(dict.fromkeys(token for t in terms for token in (t, "~" + t[:5]))))
    if not any(tokens):
        return sparse.csr_matrix((len(texts), 1))
    # Imported here: scikit-learn takes most of a second to import, which commands that never group
    # questions (every other ``flask`` command) should not pay.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    return normalize(TfidfVectorizer(analyzer=lambda items: items).fit_transform(tokens).tocsr())


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
    writer.writerow(["question", "times asked", "kind", "why", "handed off", "marked unhelpful", "closest passage",
                     "last asked", "other wordings"])
    for g in groups:
        writer.writerow([_cell(v) for v in (
            g.question, g.count, g.kind, g.reason, g.reply_types.get("handoff", 0), g.unhelpful, g.closest,
            g.last_asked.isoformat(timespec="minutes") if g.last_asked else "",
            " | ".join(g.wordings[1:]))])
    return out.getvalue()
