"""Removing personal details from visitors' messages before anything is stored.

Visitors write things like "my name is Ana, call me at 613-555-0199", "i'm john smith", "my visa is
4111 1111 1111 1111 exp 12/27" or "I live at 22 King St W". The staff report only needs the
question, so names, phone numbers, emails (also written "jane dot doe at gmail dot com"), card,
health-card, insurance and social-insurance numbers, dates of birth and addresses are replaced by
placeholders first. Over-redacting a number is fine; storing a patient's details is not. What must
not change are ordinary questions: "It's Monday now", "my son will be 14", "can I come in March 12?".

A name is recognised by what introduces it ("my name is", "i'm", "my wife", "Dr."), by a capital
letter, or, typed in lower case, by being a given name (``bot/defaults/first_names.txt``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from wordfreq import zipf_frequency

_TLD = r"(?:com|ca|org|net|co|uk|fr|io|info|edu|gov|me|us|biz)"
_AT = r"(?:\s*@\s*|\s*[\(\[]\s*at\s*[\)\]]\s*|\s+at\s+)"
_DOT = r"(?:\.|\s*[\(\[]\s*dot\s*[\)\]]\s*|\s+dot\s+)"
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_YEAR = r"(?:19|20)\d{2}"
# Street types: these in any case ("123 main st"), those only capitalised ("a 10 minute drive").
_STREET = r"street|st|avenue|ave|road|rd|boulevard|blvd|crescent|cres|parkway|pkwy|highway|hwy"
_STREET_CAPITAL = r"Drive|Dr|Way|Lane|Ln|Court|Ct|Place|Pl|Terrace|Circle|Trail|Line|Square|Sideroad|Concession"

# In order: a card number before a phone number, a date before a number, an email before a name.
_PATTERNS = [
    ("[email]", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("[email]", re.compile(rf"\b[\w+-]+(?:{_DOT}[\w+-]+)*{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}{_TLD}\b", re.I)),
    ("[card]", re.compile(r"\b(?:\d[ -]?){12,18}\d\b")),
    ("[expiry]", re.compile(r"(?<=\b)(?:exp\w*|valid thru)\s*:?\s*\d{1,2}\s*/\s*\d{2,4}\b", re.I)),
    ("[card code]", re.compile(r"\b(?:cvv2?|cvc|csc|security code|card code)\s*:?\s*\d{3,4}\b", re.I)),
    ("[date]", re.compile(rf"\b{_YEAR}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])\b")),
    ("[date]", re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})\b")),
    ("[date]", re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR}\b", re.I)),
    ("[date]", re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.I)),
    # Ontario health card: 10 digits, often 4-3-3, with an optional two-letter version code.
    ("[health card]", re.compile(r"\b\d{4}[- ]?\d{3}[- ]?\d{3}(?:[- ]?[A-Za-z]{2})?\b")),
    ("[SIN]", re.compile(r"\b\d{3}[- ]\d{3}[- ]\d{3}\b")),
    ("[phone]", re.compile(r"\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,6}\b")),
    ("[phone]", re.compile(r"(?:\b1[\s.-]?)?(?:\(\d{3}\)|\b\d{3})[\s.-]?\d{3}[\s.-]?\d{4}\b"
                           r"(?:\s*(?:ext|x|extension)\.?\s*\d{1,5})?", re.I)),
    ("[phone]", re.compile(r"\b\d{3}[-.]\d{4}\b")),
    ("[postal code]", re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d\b", re.I)),
    ("[postal code]", re.compile(r"\b(?:zip|zip code|postal code)\s*:?\s*\d{5}(?:-\d{4})?\b", re.I)),
    ("[address]", re.compile(r"\b(?:p\.?\s?o\.?\s*box|box)\s*#?\s*\d+\b", re.I)),
    ("[address]", re.compile(rf"\b\d{{1,6}}[A-Za-z]?,?\s+(?:[A-Za-z][\w'-]*\.?\s+){{0,3}}"
                             rf"(?:(?i:{_STREET})|{_STREET_CAPITAL})\b\.?"
                             r"(?:\s+(?:[NSEW]|North|South|East|West)\b)?")),
    ("[address]", re.compile(r"\b\d{1,6},?\s+(?:rue|chemin|boul|boulevard|av|avenue|rang|route|montee)\s+"
                             r"[A-Za-z][\w'-]*(?:[\s-][A-Z][\w'-]*)*", re.I)),
    ("[unit]", re.compile(r"\b(?:apt|apartment|unit|suite)\.?\s*#?\s*\d+[A-Za-z]?\b", re.I)),
    ("[number]", re.compile(r"\b\d{6,}\b")),
]

_WORD = r"[A-Za-z][\w'-]*"
_CAPITAL = r"[A-Z][a-z][\w'-]*"
# What introduces a name for sure ("my name is"), or likely ("i'm", "my wife"), or a title.
_SURE = re.compile(r"((?i:\bmy name is|\bmy names|\bmy name's|\bi am called|\bi'm called|\bim called|\bname\s*[:-]|"
                   rf"\bpatient\s*:|\bpatient name(?: is)?|\bsigned,?)|^\s*(?:--|—))\s*({_WORD})(\s+{_WORD})?")
_LIKELY = re.compile(r"(?i:\b(i am|i'm|im|this is|it's|its|call me|thanks,?|thank you,?|"
                     r"my (?:wife|husband|partner|son|daughter|kid|child|mom|mother|dad|father|brother|sister|"
                     r"friend|boyfriend|girlfriend|grandson|granddaughter|grandma|grandpa|grandmother|grandfather|"
                     r"aunt|uncle|niece|nephew|colleague|coworker|boss|neighbou?r),?))"
                     rf"\s+({_WORD})(\s+{_WORD})?")
_TITLE = re.compile(rf"(?i:\b(dr|mr|mrs|ms|miss|mx|prof)\b\.?)\s+({_WORD})(\s+{_CAPITAL})?")
_HERE = re.compile(rf"^(?:(?i:hi|hello|hey),?\s+)?({_CAPITAL})(\s+{_CAPITAL})?(?=\s+here\b)")
# Anywhere: a given name and a capitalised word, unless a place follows "at", "in", "near"...
_FULL = re.compile(rf"(^|(?<!\bat )(?<!\bin )(?<!\bnear )(?<!\bto )(?<!\bfrom )(?<!\bof )(?<!\bon )\b)"
                   rf"({_CAPITAL})\s+({_CAPITAL})\b")
_NOT_NAMES = re.compile(rf"^(?i:{_MONTH}|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
                        rf"{_STREET}|{_STREET_CAPITAL})$")
COMMON = 5.0  # a lower-case word this common in English ("will", "hurt") is no name


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    path = Path(__file__).with_name("defaults") / "first_names.txt"
    return frozenset(w for w in path.read_text(encoding="utf-8").split() if not w.startswith("#"))


def _given(word: str) -> bool:
    """Whether a word is a given name: capitalised and no day or month, or typed in lower case
    and a given name no more common in English than "hurt"."""
    if _NOT_NAMES.match(word):
        return False
    lower = word.lower()
    if word[0].isupper():
        return lower in _first_names() or zipf_frequency(lower, "en") < COMMON
    return lower in _first_names() and zipf_frequency(lower, "en") < COMMON + 0.5


def _surname(first: str, word: str | None) -> bool:
    """Whether the word after a given name is its surname: capitalised after a capitalised name,
    any uncommon word after one typed in lower case ("john smith")."""
    if not word or _NOT_NAMES.match(word.strip()):
        return False
    word = word.strip()
    if first[0].isupper():
        return word[0].isupper()
    return zipf_frequency(word.lower(), "en") < COMMON


def _ends_after(m: re.Match) -> bool:
    """Whether a likely name ends its clause ("hi it's Sarah, ...", "it's Sarah here")."""
    rest = m.string[m.end(2):].lstrip()
    return not rest or rest[:1] in ",.!?;:" or rest.lower().startswith(("here", "from"))


def _names(text: str) -> str:
    def sure(m: re.Match) -> str:
        second = m.group(3)
        return f"{m.group(1)} [name]" + ("" if _surname(m.group(2), second) else (second or ""))

    def likely(m: re.Match) -> str:
        first, second = m.group(2), m.group(3)
        if not _given(first):
            return m.group(0)
        if first[0].isupper() and first.lower() not in _first_names() and not _surname(first, second) \
                and not _ends_after(m):
            return m.group(0)  # "It's Monday now", "it's Chinese medicine"
        return f"{m.group(1)} [name]" + ("" if _surname(first, second) else (second or ""))

    def titled(m: re.Match) -> str:
        if m.group(2)[0].islower() and zipf_frequency(m.group(2).lower(), "en") >= COMMON - 1:
            return m.group(0)  # "my dr said"
        return m.group(0)[:m.start(2) - m.start()] + "[name]"

    def full(m: re.Match) -> str:
        if m.group(2).lower() not in _first_names() or _NOT_NAMES.match(m.group(3)) \
                or zipf_frequency(m.group(3).lower(), "en") >= COMMON:
            return m.group(0)
        return m.group(1) + "[name]"

    text = _SURE.sub(sure, text)
    text = _TITLE.sub(titled, text)
    text = _LIKELY.sub(likely, text)
    text = _HERE.sub(lambda m: "[name]" if m.group(1).lower() in _first_names() else m.group(0), text)
    return _FULL.sub(full, text)


# Every pattern needs a digit, an "@", " at " or " dot ", a capital letter or one of the name cues.
_ANY_CUE = re.compile(r"[\d@A-Z]|(?i:name|\bi am\b|\bi'?m\b|\bthis is\b|\bcall|\bit'?s\b|\bmy\b|\bdr\b|"
                      r"\bat\b|--|signed|patient|thank)")


def redact(text: str) -> str:
    """The text with personal details replaced by placeholders such as "[phone]" and "[name]"."""
    if not _ANY_CUE.search(text):
        return text
    for placeholder, pattern in _PATTERNS:
        text = pattern.sub(placeholder, text)
    return _names(text)


_WORDS = re.compile(r"[\w'@.+-]+")


def redact_reason(reason: str, message: str) -> str:
    """The reason stored with a message, without the words redaction took out of the message:
    "the articles never mention maria" must not keep the name the message lost."""
    kept = {w.lower() for w in _WORDS.findall(redact(message))}
    lost = {w.lower() for w in _WORDS.findall(message)} - kept
    if not lost:
        return reason
    return re.sub(r"[\w'@.+-]+", lambda m: "[redacted]" if m.group(0).lower() in lost else m.group(0), reason)
