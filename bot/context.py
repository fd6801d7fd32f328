"""Whether a word of a visitor's message names what the question is about, or only its context.

"My chiro said...", "I'm a hairdresser", "tired of pills", "by 3pm": words the knowledge lacks are
a reason to hand off only when they name the topic (a condition, a body part, a price), not when
they tell who advised, who the visitor is, or how something happened. These word lists and rules
are what ``Engine.understand`` consults, word by word.
"""

from __future__ import annotations

import re

from .text import BODY_WORDS, CONDITION_WORDS, REACTION_WORDS, REQUEST_WORDS, TOPIC_WORDS, stem


class _WordList:
    """Words a visitor's word is looked up in by itself or by its stem ("knees" is "knee"), and
    perhaps a shape of word no list could hold ("3pm")."""

    def __init__(self, *lists: frozenset[str], shape: re.Pattern | None = None):
        self.words = frozenset().union(*lists)
        self.stems = frozenset(stem(w) for w in self.words)
        self.shape = shape

    def __contains__(self, word: str) -> bool:
        return (word in self.words or stem(word) in self.stems
                or bool(self.shape and self.shape.fullmatch(word)))


# "3pm", "10am", "5:30pm" (the colon is gone by now: "530pm"): a time of day, asked for like a day.
CLOCK_TIME = re.compile(r"\d{1,4}(am|pm|h)")


# Any listed word (or a time of day) is a topic.
LISTED_TOPICS = _WordList(TOPIC_WORDS, CONDITION_WORDS, REQUEST_WORDS, BODY_WORDS, shape=CLOCK_TIME)
CONDITIONS = _WordList(CONDITION_WORDS)  # who the answer is about: a topic wherever it is said
BODY_PARTS = _WordList(BODY_WORDS)  # not a topic where the answer is the same for any part
REQUESTED = _WordList(REQUEST_WORDS, shape=CLOCK_TIME)  # what is asked for: a topic only in the clause that asks
CLINIC_TOPICS = _WordList(TOPIC_WORDS, REQUEST_WORDS, shape=CLOCK_TIME)  # the clinic's matters: prices, bookings, services
REACTIONS = _WordList(REACTION_WORDS)  # what the articles never describe as a reaction to needling

# A reaction reported as following a treatment: "a headache after dry needling", "red where the needles went".
_TREATMENT = (r"((my|the|a|an|dry|your|todays|yesterdays|last|first|second|third|this|that|each|every|our) ){0,3}"
              r"(needl\w*|sessions?|treatments?|appointments?|visits?)\b")
AFTER_TREATMENT = re.compile(rf"\b(after|since|from|following|during|post) {_TREATMENT}"
                             rf"|\b(had|got|did) {_TREATMENT} (\w+ )?"
                             r"(today|yesterday|this morning|last night|and now|and since)"
                             r"|\bwhere (the |a )?needles? (went|were|was|go)")


# "My chiro said...", "my trainer suggested...": who gave the advice is context, not the topic; so is
# what the visitor already tried ("I've tried massage, would needling help?").
REPORTING_VERBS = frozenset({"said", "says", "told", "tells", "suggested", "suggests", "recommended",
                             "recommends", "mentioned", "mentions", "thinks", "thought", "referred"})


# Idioms whose words are no topic: "I'm tired of taking pills", "I'm on my feet all day". What one
# is tired of, like what one has tried or wants to do without ("something that isn't more pills",
# "not a fan of painkillers"), is what was done before, not what is asked.
FED_UP = (("tired", "of"), ("sick", "of"), ("fan", "of"), ("without", "any"), ("instead", "of"),
          ("isnt", "more"), ("no", "more"), ("alternative", "to"))
IDIOMS = FED_UP + (("on", "my", "feet"), ("off", "my", "feet"), ("wear", "off"), ("wears", "off"),
                   ("wearing", "off"), ("as", "a", "kid"), ("as", "a", "child"), ("as", "kids"),
                   ("as", "children"), ("charley", "horse"), ("charley", "horses"),
                   ("adult", "life"), ("flu", "shot"), ("flu", "shots"), ("flu", "vaccine"), ("flu", "jab"),
                   ("teenage", "years"), ("teen", "years"), ("as", "a", "teen"),
                   ("as", "a", "teenager"), ("arms", "up"), ("arm", "up"), ("big", "baby"), ("such", "a", "baby"))


def in_idiom(surface: list[str], i: int) -> bool:
    """Whether word ``i`` is part of one of the ``IDIOMS``, or among the few words after "tired of"."""
    return (any(tuple(surface[start : start + len(idiom)]) == idiom
                for idiom in IDIOMS for start in range(max(0, i - len(idiom) + 1), i + 1))
            or any(tuple(surface[j : j + 2]) in FED_UP for j in range(max(0, i - 4), i - 1)))


# "I'm a yoga teacher": a listed word before one of these names a job, not a topic.
PERSON_NOUNS = frozenset({"teacher", "instructor", "therapist", "coach", "player", "worker", "student",
                          "trainer", "nurse", "runner", "driver", "owner", "mom", "dad", "parent"})
# "my back spasms when I lift my toddler": what the visitor carries is how it happens, not the topic.
CARRYING = frozenset({"lift", "lifting", "lifted", "carry", "carrying", "carried", "hold", "holding",
                      "pick", "picking", "chase", "chasing"})
# "needles make me queasy": how something makes the visitor feel is context, not the topic.
CAUSED_FEELINGS = (("make", "me"), ("makes", "me"), ("made", "me"))
# "I'm a hairdresser": what follows names who the visitor is, not what they ask about.
SELF_DESCRIPTIONS = (("im", "a"), ("im", "an"), ("am", "a"), ("am", "an"), ("as", "a"), ("as", "an"))
# "I live in Embrun": where the visitor lives is context; "a clinic in Embrun?" asks for a location.
WHERE_FROM = (("live", "in"), ("living", "in"), ("im", "from"), ("am", "from"), ("moved", "to"))


# "sore muscles after hockey": a sport played before is how it happened, like "after lifting"; "can I
# play hockey after needling?" still asks for it.
SPORTS = frozenset({"hockey", "golf", "soccer", "football", "basketball", "volleyball", "baseball", "tennis",
                    "rugby", "yoga", "pilates", "crossfit", "practice", "training", "ski", "hike", "swim"})
# "sore for my game on Saturday": a day the visitor has something on is when, not a day asked for.
EVENTS = frozenset({"game", "games", "match", "race", "tournament", "wedding", "trip", "flight", "shift",
                    "meet", "competition", "event", "party", "recital", "exam", "vacation", "concert"})


# Medicines the articles name too ("no medication is injected", "natural painkillers").
MEDICINES = frozenset({"meds", "medication", "medications", "medicine", "medicines", "painkiller", "painkillers",
                       "drugs"})
BEING_ON = frozenset({"im", "am", "been", "currently", "still", "is", "are", "was", "were", "hes", "shes", "also"})


def says_has(surface: list[str], i: int) -> bool:
    """Whether word ``i`` is what the visitor has ("I have hemophilia", "diagnosed with lupus"):
    a rare word said so names a condition, listed or not."""
    before = surface[max(0, i - 3) : i]
    return bool(before) and (before[-1] in ("have", "has", "got", "with") and any(
        w in ("i", "ive", "he", "she", "hes", "shes", "diagnosed", "living", "suffering", "suffer") for w in before)
        or before[-2:] == ["suffer", "from"] or before[-2:] == ["suffering", "from"])


def says_felt(surface: list[str], i: int) -> bool:
    """Whether word ``i`` says how something feels ("feels bruised", "I feel kind of bruised")."""
    return any(w in ("feel", "feels", "feeling", "felt") for w in surface[max(0, i - 3) : i])


def says_takes(surface: list[str], i: int) -> bool:
    """Whether word ``i`` is what the visitor takes ("I'm on pain meds", "been taking painkillers"),
    not what they would do without ("tired of relying on medication", "I don't want to keep taking
    more medication") or what something is based on ("based on Chinese medicine")."""
    for j in (i - 1, i - 2):
        if j < 1:
            continue
        before = surface[max(0, j - 3) : j]
        if surface[j] == "on" and surface[j - 1] in BEING_ON:
            return True
        if surface[j] in ("taking", "take", "takes") and not any(
                w.startswith(("rel", "liv", "depend", "keep", "stop", "quit", "avoid", "want", "more"))
                for w in before):
            return True
    return False


def is_context(surface: list[str], i: int) -> bool:
    """Whether word ``i`` names who said something ("my chiro said", "my massage therapist told me"),
    what was already tried ("I've tried everything from massage to pills"), what something is
    compared with ("more painful than a flu shot", "the same size as a vaccine needle",
    "sciatica-like pain", "hollow like a syringe", though "is it like cupping?" names a listed topic;
    "better than massage?" is a comparison topic of its own, caught before), who the visitor is
    ("I'm a hairdresser", "I'm a dental hygienist", but not "I'm a diabetic"), where they live, what
    they carry or lift ("when I lift my toddler"), how or why it happened ("from sleeping wrong",
    "so I can squat deeper"), what happened to them ("it startled me") or how something makes them
    feel ("needles make me queasy", "anxiety about medical stuff"), when something happens ("sore
    the next morning", "gone by the weekend", "my game on Saturday"; "next Monday" without "the" is
    asked for), or is part of an idiom ("tired of", "wears off", "my arms up all day")."""
    before = tuple(surface[max(0, i - 2) : i])
    after = surface[i + 1] if i + 1 < len(surface) else ""
    listed = surface[i] in LISTED_TOPICS
    # "I'm a nurse" says who the visitor is (a listed word, but no condition), "I'm a diabetic" does
    # not; "I'm a dental hygienist" has a word between. What comes before "about" says how the
    # visitor feels ("I'm a baby about needles", "a bit of anxiety about medical stuff").
    occupation = ((before in SELF_DESCRIPTIONS and (surface[i] not in CONDITION_WORDS or after in PERSON_NOUNS))
                  or (tuple(surface[max(0, i - 3) : i - 1]) in SELF_DESCRIPTIONS and not listed))
    # "a stiff neck from sleeping wrong", "after lifting", "after hockey": what the visitor was doing is
    # how it happened; "...so I can squat deeper": what they want to do again is why they ask.
    cause = ((before[-1:] in (("from",), ("after",)) and (surface[i].endswith("ing") or surface[i] in SPORTS))
             or any(tuple(surface[j : j + 3]) == ("so", "i", "can") for j in range(max(0, i - 5), i - 2)))
    return (occupation or cause or before in CAUSED_FEELINGS or before in WHERE_FROM
            or before == ("the", "next") or after in ("like", "about") or (after == "me" and not listed)
            or in_idiom(surface, i)
            or any(w in CARRYING for w in surface[max(0, i - 2) : i])
            or any(w in REPORTING_VERBS for w in surface[i + 1 : i + 3])
            or "tried" in surface[max(0, i - 5) : i] or "than" in surface[max(0, i - 3) : i]
            or (surface[i] in REQUESTED and (any(w in ("by", "before", "until") for w in surface[max(0, i - 2) : i])
                                            or any(w in EVENTS for w in surface[max(0, i - 3) : i])))
            or ("as" in surface[max(0, i - 3) : i] and "same" in surface[max(0, i - 6) : i])
            or ("like" in surface[max(0, i - 3) : i] and not listed))
