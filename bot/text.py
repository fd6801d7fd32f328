"""Text normalisation: the one place where visitor text and knowledge text become matchable terms.

Words are found with the standard ``re`` module and stemmed with NLTK's Snowball stemmer, which
needs no downloaded data, so the bot starts on a host with no ``nltk_data`` at all. How much a word
says is read from its frequency in general English (``wordfreq``): "the" and "would" say almost
nothing, "sciatica" a great deal. No list of stop words is kept; every weight comes from that
frequency or from the knowledge itself.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from wordfreq import zipf_frequency

_WORD = re.compile(r"[a-z0-9]+")
_APOSTROPHE = re.compile(r"[\u2019\u2018`´']")

# Contractions, typed with or without the apostrophe, read as the words they stand for: "itll",
# "shouldnt" and "im" are no rare words, and "won't" is "will not".
_CONTRACTION = re.compile(r"\b([a-z]+)[\u2019\u2018`´'](ll|re|ve|d|s|m|t)\b")
_ENDINGS = {"ll": " will", "re": " are", "ve": " have", "d": " would", "s": "", "m": " am"}
_GLUED = {
    "im": "i am", "ive": "i have", "youre": "you are",
    "youve": "you have", "youll": "you will", "youd": "you would", "hes": "he is", "shes": "she is",
    "itll": "it will", "itd": "it would", "theyre": "they are", "theyve": "they have",
    "theyll": "they will", "weve": "we have", "thats": "that is", "whats": "what is",
    "hows": "how is", "wheres": "where is", "whos": "who is", "theres": "there is", "lets": "let us",
    "dont": "do not", "doesnt": "does not", "didnt": "did not", "isnt": "is not", "arent": "are not",
    "wasnt": "was not", "werent": "were not", "cant": "can not", "cannot": "can not",
    "couldnt": "could not", "wouldnt": "would not", "shouldnt": "should not", "wont": "will not",
    "havent": "have not", "hasnt": "has not", "hadnt": "had not", "aint": "is not",
    "shouldve": "should have", "wouldve": "would have", "couldve": "could have",
    "gonna": "going to", "wanna": "want to", "gotta": "got to",
}
# Chat shorthand for everyday words ("r u open", "wat is it", "tmrw").
SHORTHAND = {
    "u": "you", "ur": "your", "r": "are", "ya": "you", "y": "why", "cuz": "because", "coz": "because",
    "bc": "because", "b4": "before", "wat": "what", "wut": "what", "abt": "about", "rly": "really",
    "thru": "through", "pls": "please", "plz": "please", "tmrw": "tomorrow", "tmr": "tomorrow",
    "2moro": "tomorrow", "wk": "week", "ppl": "people", "sesh": "session", "w": "with", "n": "and",
    "tho": "though", "bcuz": "because", "hv": "have", "kno": "know", "nd": "and", "diff": "difference",
    "shud": "should", "wud": "would", "cud": "could", "thx": "thanks", "ty": "thanks",
}
_STRETCHED = re.compile(r"([a-z])\1{2,}")


def _expand(match: re.Match) -> str:
    word, ending = match.group(1), match.group(2)
    if ending == "t" and word.endswith("n"):  # "don't", "won't", "can't"
        return _GLUED.get(word + "t", word[:-1] + " not")
    return word + _ENDINGS.get(ending, "")


def _folded(text: str) -> str:
    """Lower case with accents folded ("é" is "e")."""
    text = text.lower()
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def clean(text: str) -> str:
    """Lower case, accents folded, contractions spelt out, other apostrophes dropped."""
    return _APOSTROPHE.sub("", _CONTRACTION.sub(_expand, _folded(text)))


def _unstretched(word: str) -> str:
    """"sooo" is "so", "hurtttt" is "hurt": a letter typed three times or more is typed for feeling."""
    if not _STRETCHED.search(word):
        return word
    one, two = _STRETCHED.sub(r"\1", word), _STRETCHED.sub(r"\1\1", word)
    return one if zipf_frequency(one, "en") >= zipf_frequency(two, "en") else two


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for word in _WORD.findall(clean(text)):
        word = SHORTHAND.get(word) or _GLUED.get(word) or _unstretched(word)
        out.extend(word.split())
    return tuple(out)


def words(text: str) -> list[str]:
    """The words of a text as a visitor meant them: cleaned, contractions and shorthand spelt out."""
    return list(_words(text))


# Irregular forms of English verbs the stemmer cannot join to their base: "torn" is "tear" and
# "driven" is "drive". Only verbs that say what happened to a body: the everyday ones ("got",
# "made", "took") tell little either way, and joining them moved FAQ rankings; forms more often
# words of their own ("left", "saw", "bit", "worn", "wound") are not here either.
_IRREGULAR = {form: base for base, forms in {
    "tear": "tore torn", "break": "broke broken", "fall": "fell fallen", "run": "ran", "swim": "swam swum",
    "drive": "drove driven", "ride": "rode ridden", "wake": "woke woken", "sleep": "slept", "bend": "bent",
    "throw": "threw thrown", "strike": "struck", "swell": "swollen", "slide": "slid", "spin": "spun",
    "bleed": "bled", "shake": "shook shaken", "sting": "stung", "bite": "bitten", "freeze": "froze frozen",
    "fight": "fought", "lie": "lain", "catch": "caught",
}.items() for form in forms.split()}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Stem one word, an irregular form as its base ("torn" as "tear"); cached because visitors
    and articles repeat the same few hundred words."""
    return _stemmer().stem(_IRREGULAR.get(word, word))


@lru_cache(maxsize=1)
def _stemmer():
    """NLTK's Snowball stemmer, imported when a word is first stemmed: importing NLTK takes a second
    (its package loads most of its modules, and SciPy's statistics), which a command that reads no
    text (``staff-password``, ``versions``) should not pay."""
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english")


def stems(text: str) -> list[str]:
    return [stem(w) for w in _words(text)]


@lru_cache(maxsize=65536)
def frequency(word: str) -> float:
    """How common a word is in English (Zipf scale: 7 for "the", 4 for "shoulder", 0 for unknown),
    counting a plain form too: "swears" and "lifted" are no rarer in meaning than their stems."""
    forms = {word, stem(word)} | {word[: -len(end)] + base for end, base in
                                  (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"),
                                   ("ing", ""), ("ing", "e")) if word.endswith(end) and len(word) - len(end) >= 3}
    return max(zipf_frequency(form, "en") for form in forms)


# A word as common as "does" or "take" (Zipf 6, one in a million words) tells nothing of what is
# asked; one never seen in English tells the most.
EVERYDAY = 6.0


def information(word: str) -> float:
    """How much a word tells about what is asked, from how rare it is in English: "the", "does",
    "how" 0; "cost" ~0.9, "shoulder" ~1.6, "pacemaker" ~3.4, "fasciitis" ~5. Numbers tell a little."""
    if word.isdigit():
        return 0.5
    return max(0.0, EVERYDAY - frequency(word))


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences without NLTK's punkt model (which needs a download)."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])", text.strip())
    return [p.strip() for p in parts if p.strip()]


def flatten(message: str) -> str:
    """Lower case, apostrophes dropped, punctuation as single spaces: the text patterns match on."""
    return " ".join(_WORD.findall(_APOSTROPHE.sub("", _folded(message))))


def content_words(text: str) -> list[str]:
    """The words of a text that say something (rarer in English than "have" or "back")."""
    return [w for w in _words(text) if information(w) >= 1.5]


@lru_cache(maxsize=1)
def _clinical() -> tuple[frozenset[str], frozenset[str]]:
    """(the clinical words, the stems that stand for them). A stem stands for its word only when
    the stemmer took a plain ending off ("injuries", "swelling"), not a suffix that makes another
    word: "gameness" must not make "game" clinical."""
    path = Path(__file__).with_name("defaults") / "clinical_words.txt"
    lemmas = frozenset(w for w in path.read_text(encoding="utf-8").splitlines() if w and not w.startswith("#"))
    return lemmas, frozenset(stem(w) for w in lemmas if len(stem(w)) >= len(w) - 3)


def is_clinical(word: str) -> bool:
    """Whether a word names a part of the body, a condition, a symptom, a medicine or a procedure
    (general clinical language from WordNet: ``bot/defaults/clinical_words.txt``)."""
    lemmas, stems_ = _clinical()
    return word in lemmas or stem(word) in stems_
