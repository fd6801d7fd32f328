"""Small talk: greetings, thanks, goodbyes and "are you a bot?", recognised only as a whole message.

"hi, does it hurt?" is still answered as a question: the greeting is stripped and the rest searched.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from .knowledge import Rule, SmallTalk
from .text import SHORTHAND, flatten

# Words that open a question: a message with one of them left over is a question, not small talk.
QUESTION_OPENERS = frozenset({"what", "whats", "how", "hows", "why", "when", "where", "who", "which", "is", "isnt",
                              "are", "arent", "does", "doesnt", "do", "dont", "did", "can", "could", "would",
                              "will", "should", "shall", "may", "might", "anything", "any"})

# No small-talk phrase is longer than this many words ("is this a real person or a bot"), so a long
# question is not tried against every pattern at every one of its word boundaries.
LONGEST_PHRASE = 12


def _leading(text: str, rules: list[Rule]) -> tuple[Rule, int] | None:
    """The small-talk phrase the text starts with, longest first ("hiya" is not "hi" + "ya")."""
    if not rules:
        return None
    ends = ([i for i, c in enumerate(text) if c == " "] + [len(text)])[:LONGEST_PHRASE]
    either = _either(tuple(rules))
    for end in reversed(ends):
        found = either.fullmatch(text[:end])
        if found:
            return rules[int(found.lastgroup[1:])], end
    return None


@lru_cache(maxsize=16)
def _either(rules: tuple[Rule, ...]) -> re.Pattern:
    """All the rules' patterns as one expression, one named group per rule (in order, so the first
    rule that matches wins): one match attempt per word boundary instead of one per rule."""
    return re.compile("|".join(f"(?P<r{n}>{rule.combined.pattern})" for n, rule in enumerate(rules)))


# "thank you kindly", "am I chatting with a robot right now": a few words beside a small-talk phrase
# that name nothing a question could be about leave it small talk; a question word never does.
SPARE_WORDS = 3
LONGEST_MESSAGE = 25  # words: a longer message is never small talk alone, so it is not tried


# An emoji alone is small talk too: read as the word it stands for ("👍" is "ok", "🙏" is "thanks").
EMOJI_WORDS = {"👍": "ok", "👌": "ok", "🙂": "ok", "😊": "ok", "😀": "ok", "😃": "ok", "✅": "ok",
               "🙏": "thanks", "❤": "thanks", "♥": "thanks", "💕": "thanks", "👋": "hi"}
_EMOJI = re.compile("|".join(EMOJI_WORDS))


def smalltalk(message: str, talk: SmallTalk, names_something: Callable[[str], bool] = lambda w: True) -> Rule | None:
    """The small-talk intent of a message made only of small talk ("ok thanks, bye" is goodbye).

    The message is consumed phrase by phrase, skipping filler words ("hello bot", "hi again") and up
    to ``SPARE_WORDS`` others that name nothing (``names_something`` says which words could be a
    question's topic); any other word left over means the visitor is asking something.
    """
    text, last, spare = flatten(_EMOJI.sub(lambda m: f" {EMOJI_WORDS[m.group()]} ", message)), None, 0
    text = " ".join(SHORTHAND.get(w, w) for w in text.split())  # "r u a bot" is "are you a bot"
    said = text
    if text.count(" ") >= LONGEST_MESSAGE:
        return None
    while text:
        found = _leading(text, talk.intents)
        word, _, rest = text.partition(" ")
        if found:
            # "are you a bot lol": a trailing "lol" or "ok" acknowledges; the visitor asked who we are
            if last is None or found[0].name != "acknowledgement":
                last = found[0]
            text = text[found[1]:].lstrip()
        elif word in talk.filler:
            text = rest
        elif spare < SPARE_WORDS and word not in QUESTION_OPENERS and not names_something(word):
            spare, text = spare + 1, rest
        else:
            return None
    # "??", "hmm", "um": the visitor wants to ask, or wonders whether anyone is there
    if last is None and ("?" in message if not said else all(w in talk.filler for w in said.split())):
        return next((rule for rule in talk.intents if rule.name == "question"), None)
    return last


# The words of a message as ``flatten`` counts them, with where each is in the message.
_WORD_SPAN = re.compile(r"[^\W_]+(?:['\u2019\u2018`´][^\W_]+)*")


def strip_pleasantries(message: str, talk: SmallTalk) -> str:
    """The message without a leading greeting or a trailing thanks ("hi bot! does it hurt? thx lol"
    asks "does it hurt?"), as the visitor typed the rest: its sentences are still sentences."""
    said = flatten(message).split()
    spans = [m.span() for m in _WORD_SPAN.finditer(message)]
    if len(spans) != len(said):  # a word flatten splits otherwise: keep the message whole
        return message
    start, text = 0, " ".join(said)
    openers = [r for r in talk.intents if r.name in {"greeting", "acknowledgement", "question"}]
    while True:
        first, _, rest = text.partition(" ")
        if first in talk.filler and rest:
            text, start = rest, start + 1
        elif (found := _leading(text, openers)) and found[1] < len(text):
            start += text[:found[1]].count(" ") + 1
            text = text[found[1]:].lstrip()
        else:
            break
    end = len(said)
    closings = [r for r in talk.intents if r.name in {"thanks", "goodbye"}]
    while end - start > 1:
        words = said[start:end]
        cut = 1 if words[-1] in talk.filler else next(
            (n for n in range(min(5, len(words) - 1), 0, -1)
             if any(r.combined.fullmatch(" ".join(words[-n:])) for r in closings)), 0)
        if not cut:
            break
        end -= cut
    if start >= end:
        return message
    last = spans[end - 1][1]
    return message[spans[start][0]:last + (message[last:last + 1] in ("?", ".", "!"))]
