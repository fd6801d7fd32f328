"""Text normalisation: the one place where visitor text and knowledge text become matchable terms.

Only the parts of NLTK that need no downloaded corpus are used (a regexp tokenizer and the Snowball
stemmer), so the bot starts on a host with no ``nltk_data`` at all. The stop-word list ships beside
this module.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import RegexpTokenizer
from wordfreq import zipf_frequency

_TOKENIZER = RegexpTokenizer(r"[a-z0-9]+")
_STEMMER = SnowballStemmer("english")
_APOSTROPHES = re.compile(r"[\u2019\u2018`´']")


def _load_words(name: str) -> frozenset[str]:
    """A word list shipped beside this module: whitespace-separated, '#' starts a comment line."""
    text = (Path(__file__).with_name(name)).read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


STOPWORDS = _load_words("stopwords.txt")
TOPIC_WORDS = _load_words("topic_words.txt")
CONDITION_WORDS = _load_words("condition_words.txt")
REQUEST_WORDS = _load_words("request_words.txt")
BODY_WORDS = _load_words("body_words.txt")
REACTION_WORDS = _load_words("reaction_words.txt")
# "How much", "how long", "how many" are what separate "how long does soreness last" from "how long
# is a session", yet every word in them is a stop word; they are kept as terms of their own.
QUESTION_PAIRS = frozenset({("how", "much"), ("how", "many"), ("how", "long"), ("how", "often"),
                            ("how", "soon"), ("how", "fast"), ("how", "quickly"),
                            ("who", "does"), ("who", "do"), ("who", "will"), ("who", "would"),
                            ("what", "kind"), ("what", "type"), ("which", "kind"), ("which", "type")})


# Idioms whose words are no terms at all: "worth a shot" asks nothing about injections, "in plain
# english" nothing about languages, "slept wrong" nothing about what could go wrong.
# (``engine.IDIOMS`` only keeps its idioms' words from being gaps.)
EMPTY_IDIOMS = (("worth", "a", "shot"), ("give", "it", "a", "shot"), ("plain", "english"),
                ("sleeping", "wrong"), ("slept", "wrong"), ("sleep", "wrong"), ("slept", "funny"),
                ("sleeping", "funny"), ("slept", "on", "it", "wrong"), ("simple", "terms"), ("laymans", "terms"),
                ("layman", "terms"), ("plain", "terms"), ("simple", "words"), ("in", "a", "nutshell"),
                ("dumb", "it", "down"),
                ("on", "the", "ice"), ("before", "i", "book"), ("before", "booking"),
                ("im", "booked", "in"), ("im", "booked", "for"), ("i", "am", "booked"))


_IDIOMS_BY_FIRST_WORD: dict[str, list[tuple[str, ...]]] = {}
for _idiom in EMPTY_IDIOMS:
    _IDIOMS_BY_FIRST_WORD.setdefault(_idiom[0], []).append(_idiom)


def outside_idioms(surface: list[str]) -> list[bool]:
    """For each word, whether it is outside every one of the ``EMPTY_IDIOMS``."""
    keep = [True] * len(surface)
    for i, word in enumerate(surface):
        for idiom in _IDIOMS_BY_FIRST_WORD.get(word, ()):
            if tuple(surface[i : i + len(idiom)]) == idiom:
                keep[i : i + len(idiom)] = [False] * len(idiom)
    return keep


# "when'll", "how long'll", "my son's": a contraction on a word other than a pronoun would glue a word
# nobody knows ("whenll", "sons"). On a pronoun, or where the glued word is a stop word, it stays glued
# as before ("it'll" is "itll", "I'll" is "ill", "how's" is "hows", as the patterns spell them); on any
# other word "'ll" is "will" and "'s" is dropped (a possessive, or "is").
_CONTRACTION = re.compile(r"\b([a-z]+)[\u2019\u2018`´'](ll|re|ve|d|s)\b")
_CONTRACTED = {"ll": " will", "re": " are", "ve": " have", "d": " would", "s": ""}
_PRONOUNS = frozenset({"i", "you", "we", "they", "he", "she", "it", "that", "there", "here", "let", "y"})


def _uncontracted(match: re.Match) -> str:
    word, ending = match.group(1), match.group(2)
    keep = word in _PRONOUNS or word + ending in STOPWORDS  # "how's" is "hows", a stop word
    return match.group(0) if keep else word + _CONTRACTED[ending]


def clean(text: str) -> str:
    """Lowercase, fold accents and drop apostrophes so "can't", "can’t" and "cant" are one word."""
    if not text.isascii():  # most messages are plain ASCII: nothing to fold
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _APOSTROPHES.sub("", _CONTRACTION.sub(_uncontracted, text.lower()))


# Words that open a question: "my physio suggested needling, *what is it exactly*?"
WH_WORDS = frozenset({"what", "whats", "how", "hows", "why", "when", "where", "who", "which"})
QUESTION_OPENERS = WH_WORDS | frozenset({"is", "isnt", "are", "arent", "does", "doesnt", "do", "dont", "did",
                                         "can", "could", "would", "will", "should", "shall", "may", "might",
                                         "anything", "any"})


# Chat shorthand for function words, read as the words themselves so that phrases like "do you do"
# still match ("do u do dry needling").
CHAT_SHORTHAND = {"u": "you", "ur": "your", "r": "are", "ya": "you", "cuz": "because", "coz": "because",
                  "bc": "because", "b4": "before", "shud": "should", "shld": "should", "wud": "would",
                  "cud": "could", "wat": "what", "wut": "what", "abt": "about", "rly": "really",
                  "thru": "through", "pls": "please", "plz": "please", "diff": "difference", "hw": "how",
                  "tonite": "tonight", "nite": "night", "tmrw": "tomorrow", "tmr": "tomorrow", "2moro": "tomorrow",
                  "wk": "week", "ppl": "people", "sesh": "session", "w": "with", "n": "and", "tho": "though",
                  "afta": "after", "aftr": "after", "neva": "never", "gonna": "going", "wanna": "want",
                  "kno": "know", "nd": "and", "hv": "have", "bcuz": "because", "yall": "you"}


def words(text: str) -> list[str]:
    """Surface words of a text, cleaned but not stemmed (what the speller and the gap check see)."""
    return list(_words(text))


# "hurtttt", "sooo sore", "hiii": a letter typed three times or more is typed for feeling.
_STRETCHED = re.compile(r"([a-z])\1{2,}")


def _unstretched(word: str) -> str:
    """The word with each run of a repeated letter cut to two or to one, whichever is the commoner
    English word ("sooo" is "so", "coool" is "cool", "hurtttt" is "hurt")."""
    if not _STRETCHED.search(word):
        return word
    one, two = _STRETCHED.sub(r"\1", word), _STRETCHED.sub(r"\1\1", word)
    return one if zipf_frequency(one, "en") >= zipf_frequency(two, "en") else two


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    """Cached: one reply splits the same message, its asking sentence and clause several times."""
    return tuple(CHAT_SHORTHAND.get(w, w) for w in map(_unstretched, _TOKENIZER.tokenize(clean(text))))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Stem one word; cached because visitors and articles repeat the same few hundred words."""
    return _STEMMER.stem(word)


def _is_content(word: str) -> bool:
    return word not in STOPWORDS and len(word) > 1 and not word.isdigit()


def content_words(text: str) -> list[str]:
    """Surface words that can carry a topic: not stop words, not bare numbers, not single letters."""
    surface = words(text)
    return [w for w, keep in zip(surface, outside_idioms(surface)) if keep and _is_content(w)]


class Normaliser:
    """Turns text into stemmed terms, adding the clinic's words for a visitor's synonyms.

    It is the tokenizer of the word index, so knowledge and questions go through exactly the same
    steps and can never drift apart.
    """

    def __init__(self, synonyms: dict[str, list[str]] | None = None):
        self.synonyms = synonyms or {}
        self._phrases: dict[tuple[str, ...], list[str]] = {}
        for visitor, clinic in self.synonyms.items():
            # Every word of the visitor's phrase counts: "work out" must not match "does it work".
            key = tuple(stem(w) for w in words(visitor))
            if key:
                known = self._phrases.setdefault(key, [])
                known += [t for t in dict.fromkeys(stem(w) for p in clinic for w in content_words(p))
                          if t not in known]
        self._longest = max((len(k) for k in self._phrases), default=0)

    def __call__(self, text: str) -> list[str]:
        surface = words(text)
        stems = [stem(w) for w in surface]
        # An idiom's words are neither terms nor synonyms: "worth a shot" is no injection.
        stems = [t if keep else "" for t, keep in zip(stems, outside_idioms(surface))]
        terms = [t for w, t in zip(surface, stems) if t and _is_content(w)]
        asks = [f"{a}_{b}" for a, b in zip(surface, surface[1:]) if (a, b) in QUESTION_PAIRS]
        return terms + asks + self.expansions(stems)

    def expansions(self, stems: list[str]) -> list[str]:
        """Clinic words for every visitor phrase (one to a few words) found in the text's stems,
        longest first: the words of "kick in" (start working) are not also "kick" (a twitch)."""
        extra: list[str] = []
        taken = [False] * len(stems)
        for n in range(self._longest, 0, -1):
            for i in range(len(stems) - n + 1):
                found = self._phrases.get(tuple(stems[i : i + n]))
                if found and not any(taken[i : i + n]):
                    extra.extend(found)
                    taken[i : i + n] = [True] * n
        return extra


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences without NLTK's punkt model (which needs a download)."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"“])", text.strip())
    return [p.strip() for p in parts if p.strip()]
