"""Which part of a visitor's message asks, and what kind of question it is.

Visitors give context before the question ("my neck is tight from my desk job. Does it hurt?"),
ask two things at once ("Does it hurt? And how long will I be sore?"), or point back at what they
told ("...my calf twitched. Is that normal?"). These helpers find the asking sentence and clause,
split questions, and recognise asks that want an entry of one kind (what something is, who does it).
"""

from __future__ import annotations

import re

from .text import QUESTION_OPENERS, WH_WORDS, content_words, stem, words

# An asking sentence made only of these names nothing of its own ("would dry needling help at all?",
# "could needling help with that?"): the rest of the message says what it is about. ("Is it going to be
# painful?" does name something: it is asked alone too.)
GENERIC_ASK = frozenset(stem(w) for w in ("dry", "needling", "needle", "help", "muscle", "people", "someone",
                                           "worth"))
# What "can it help?", "is it safe?" or "is it worth it?" ask: whether the treatment suits the
# visitor, which depends on everything the message says about them ("my knee is killing me, can dry
# needling fix it?").
WHETHER_IT_SUITS = GENERIC_ASK | frozenset(stem(w) for w in (
    "fix", "work", "treat", "cure", "good", "worth", "try", "benefit", "improve", "useful", "relief",
    "relieve", "effective", "pain", "problem", "issue", "area", "safe", "safely", "ok", "okay", "risk",
    "risky", "dangerous", "right", "suitable"))


def asks_its_own(clause: str) -> bool:
    """Whether the asking clause asks something of its own ("what kind of needle is used?", "will
    it hurt?") rather than whether the treatment suits the visitor ("can it help?", "is it safe?")."""
    said = words(clause)
    return bool(said) and (said[0] in WH_WORDS
                           or any(stem(w) not in WHETHER_IT_SUITS for w in content_words(clause)))


# "Is that normal?", "How long does this last?": a question about what the message told, made of a
# reference and these words only (see ``Engine.search``).
REFERENCES = frozenset({"that", "this", "these", "those", "it"})
ABOUT_WHAT_WAS_TOLD = GENERIC_ASK | frozenset(stem(w) for w in (
    "normal", "happen", "happens", "happening", "supposed", "last", "lasts", "long", "ok", "okay",
    "expected", "expect", "usual", "common", "stop", "mean", "means", "cause", "causes", "wrong", "fine",
    "bad", "worry", "worried", "concerned", "understand", "good", "thing", "go", "away"))
# "...can it help with *that kind of* pain?", "...are dry needling needles *like that*?": asks about
# what the message told, whatever other words it has.
POINTS_BACK = re.compile(r"\b(that|this|these|those) (kinds?|types?|sorts?) of\b|\blike (that|this|these|those)\b")


def points_back(asking: str) -> bool:
    """Whether a question only asks about what the message told before it ("...my calf twitched so
    hard. Is that supposed to happen?", "...achy since Tuesday. Should I be worried?", "...can it
    help with that kind of pain?")."""
    content = content_words(asking)
    # "Should I be worried?" needs no "that": a word about what was told is enough, beyond the generic
    # "would it help?"
    about_it = REFERENCES & set(words(asking)) or any(stem(w) not in GENERIC_ASK for w in content)
    return bool(POINTS_BACK.search(asking)) or bool(about_it and all(stem(w) in ABOUT_WHAT_WAS_TOLD for w in content))


# "What is it exactly?", "what does that mean?": asking what something the message named is.
ASKS_WHAT_IT_IS = re.compile(r"(so |and |but |ok |okay )?"
                             r"(what( exactly| actually| really)? (is|are|s) (it|that|this|they|those|these|that thing)"
                             r"( (exactly|actually|really|all about|about|anyway))*"
                             r"|what (does|do) (it|that|this|they|those|these|the term|that word|that term)( \w+)? mean)")

# "...I have no idea what that is, can you explain?": asking what it is, in other words.
ASKS_TO_EXPLAIN = re.compile(r"\b(can|could|would) (you|u) explain\b|\bexplain (it|that|this|please|pls)\b|\bexplain$")
NOT_KNOWING_WHAT = re.compile(r"\b(dont know|do not know|idk|no idea|not sure|no clue|unsure) (of )?(what|wat) "
                              r"(that|it|this|they|dry needling|needling) (is|are|means?)\b|\bnever heard of\b")
# "Do you offer that?", "is that something you do?": asking for what the message named before.
OFFERS_THAT = re.compile(r"(so |and |but )?((do|can|could|would) (you|u|you guys|yall) (also |even |actually )?"
                         r"(offer|do|provide|have|perform) (that|this|it|those|these)"
                         r"|(is|are) (that|this|it|those|these) (something|anything|a thing|things) "
                         r"(you|u|you guys|your clinic|the clinic) (also )?(offer|do|provide|have|perform))"
                         r"( too| as well| also| there| here| at your clinic| at the clinic)?")

# "Who is doing it?", "which staff member does dry needling?": asking who.
ASKS_WHO = re.compile(r"(who|whos|which (staff|physio\w*|therapists?|practitioners?|person|people|one of (you|your)))\b")

# "...if I get needled Thursday *will I* still be sore?": an auxiliary before its subject starts a question.
AUXILIARIES = frozenset({"is", "are", "am", "was", "do", "does", "did", "can", "could", "would", "will",
                         "should", "shall", "may", "might"})
SUBJECTS = frozenset({"i", "you", "it", "he", "she", "we", "they", "this", "that", "there", "dry", "needling"})


def asking_clause(message: str) -> str:
    """The part of a message that asks: the asking sentence from its last clause that opens like a
    question ("I'm booked in on Thursday, *what will happen?*"), else the whole asking sentence; and
    within it, from a question that starts mid-clause ("if I get needled Thursday *will I be sore?*")."""
    sentence = asking_sentence(message)
    clauses = re.split(r"[,;:]\s+|\s+-+\s+", sentence)
    clause = sentence
    for i in range(len(clauses) - 1, 0, -1):
        opener = words(clauses[i])[:1]
        if opener and opener[0] in QUESTION_OPENERS:
            clause = " ".join(clauses[i:])
            break
    said = words(clause)
    if said and said[0] in QUESTION_OPENERS:
        return clause
    starts = [k for k in range(1, len(said) - 1) if said[k] in AUXILIARIES and said[k + 1] in SUBJECTS]
    if not starts:
        return clause
    # "...at your clinic *who actually does it?*": a question word just before opens the question
    start = starts[-1]
    start = next((j for j in range(start - 1, max(-1, start - 4), -1) if said[j] in WH_WORDS), start)
    return " ".join(said[start:])


# "...does it hurt? And how long will I be sore?", "what is it and is it safe?": where one question
# ends and another starts.
_NEXT_QUESTION = re.compile(r"\?+\s*|[,;]?\s+(?:and|also|plus)\s+(?=(?:is|are|does|do|can|will|would|should|how|"
                            r"what|whats|who|why|when|where)\b)", re.IGNORECASE)


def questions(message: str) -> list[str]:
    """The questions a message asks one after another, if it asks more than one: each part that
    opens like a question ("And how long...?" counts, "Mine is in my shoulder." does not)."""
    parts = [p.strip() for p in _NEXT_QUESTION.split(message) if p and p.strip()]
    opens = [p for p in parts if _opens_a_question(words(p))]
    return opens if len(opens) >= 2 else []


def _opens_a_question(said: list[str]) -> bool:
    """Whether words start a question, after a word that joins it to the one before ("and how...")."""
    if said[:1] and said[0] in ("and", "also", "plus", "so", "but"):
        said = said[1:]
    return bool(said) and said[0] in QUESTION_OPENERS


def asking_sentence(message: str) -> str:
    """The sentence of a message that asks: the last with a question mark, else the last one.

    Visitors often give context before the question ("my neck is tight from my desk job. Does it
    hurt?"); the words that say what they want to know are in the asking sentence.
    """
    parts = [p for p in re.split(r"(?<=[.!?])\s+", message.strip()) if p.strip()]
    # "...feel better not worse?? how long will this last": a question without its mark still asks.
    asking = [p for p in parts if "?" in p or any(w in QUESTION_OPENERS for w in words(p)[:1])]
    return (asking or parts or [message])[-1]
