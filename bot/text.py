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

_TOKENIZER = RegexpTokenizer(r"[a-z0-9]+")
_STEMMER = SnowballStemmer("english")
_APOSTROPHES = re.compile(r"[\u2019\u2018`´']")


def _load_stopwords() -> frozenset[str]:
    text = (Path(__file__).with_name("stopwords.txt")).read_text(encoding="utf-8")
    words = (w for line in text.splitlines() if not line.startswith("#") for w in line.split())
    return frozenset(words)


STOPWORDS = _load_stopwords()


def clean(text: str) -> str:
    """Lowercase, fold accents and drop apostrophes so "can't", "can’t" and "cant" are one word."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _APOSTROPHES.sub("", text.lower())


def words(text: str) -> list[str]:
    """Surface words of a text, cleaned but not stemmed (what the speller and the gap check see)."""
    return _TOKENIZER.tokenize(clean(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Stem one word; cached because visitors and articles repeat the same few hundred words."""
    return _STEMMER.stem(word)


def content_words(text: str) -> list[str]:
    """Surface words that can carry a topic: not stop words, not bare numbers, not single letters."""
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1 and not w.isdigit()]


class Normaliser:
    """Turns text into stemmed terms, adding the clinic's words for a visitor's synonyms.

    It is the tokenizer of the word index, so knowledge and questions go through exactly the same
    steps and can never drift apart.
    """

    def __init__(self, synonyms: dict[str, list[str]] | None = None):
        self.synonyms = synonyms or {}
        self._phrases: dict[tuple[str, ...], list[str]] = {}
        for visitor, clinic in self.synonyms.items():
            key = tuple(stem(w) for w in content_words(visitor))
            if key:
                expansion = [stem(w) for phrase in clinic for w in content_words(phrase)]
                self._phrases.setdefault(key, []).extend(expansion)
        self._longest = max((len(k) for k in self._phrases), default=0)

    def __call__(self, text: str) -> list[str]:
        terms = [stem(w) for w in content_words(text)]
        return terms + self.expansions(terms)

    def expansions(self, terms: list[str]) -> list[str]:
        """Clinic words for every visitor phrase (one to a few words) found in the terms."""
        extra: list[str] = []
        for n in range(1, self._longest + 1):
            for i in range(len(terms) - n + 1):
                extra.extend(self._phrases.get(tuple(terms[i : i + n]), ()))
        return extra


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences without NLTK's punkt model (which needs a download)."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"“])", text.strip())
    return [p.strip() for p in parts if p.strip()]
