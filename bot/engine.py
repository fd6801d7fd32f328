"""The answer policy: emergency, then small talk, then an answer only when the bot is sure.

A wrong medical answer is worse than none, so the bot hands off to the clinic's phone and email
unless the question is close to something the knowledge says *and* every topic word of the question
is something the knowledge talks about ("how much does dry needling cost?" shares "dry needling"
with the article, but "cost" is a gap, so it is handed off).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
from wordfreq import get_frequency_dict, zipf_frequency

from . import triage
from .alarm import trained
from .asking import (
    ASKS_TO_EXPLAIN,
    ASKS_WHAT_IT_IS,
    ASKS_WHO,
    GENERIC_ASK,
    NOT_KNOWING_WHAT,
    OFFERS_THAT,
    WHETHER_IT_SUITS,
    asking_clause,
    asking_sentence,
    asks_its_own,
    points_back,
    questions,
)
from .context import (
    AFTER_TREATMENT,
    BODY_PARTS,
    CLINIC_TOPICS,
    CONDITIONS,
    LISTED_TOPICS,
    MEDICINES,
    REACTIONS,
    REQUESTED,
    in_idiom,
    is_context,
    says_felt,
    says_has,
    says_takes,
)
from .index import Hit, Index, Key
from .knowledge import Knowledge, Passage, Rule, load_knowledge
from .speller import Speller, one_letter_off
from .text import STOPWORDS, Normaliser, content_words, outside_idioms, sentences, stem, words

AROUND_IT = re.compile(r"\b(near|around|on|over|through|into|beside|next to|close to) (it|that|this|them|those)\b")

REPLY_TYPES = ("answer", "handoff", "emergency", "smalltalk")

# A hand-off to a topic the articles don't cover (a price, the hours), unlike "no close match";
# and one the visitor asked for in so many words ("how much does it cost?").
TOPIC_REASON = "a topic the articles do not cover"
ASKED_REASON = f"{TOPIC_REASON}, asked for"


@dataclass(frozen=True)
class Source:
    title: str
    section: str
    url: str | None
    article: str
    anchor: str


@dataclass
class Reply:
    """What the bot says, and why: the web layer turns this into JSON, the log stores it."""

    type: str
    answer: str
    confidence: float
    sources: list[Source] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    matched: str | None = None  # the passage or topic the question was closest to
    reason: str = ""  # for staff: why this type was chosen


# "after", "help", "feel": words typed so often that one letter off is a slip, not another word.
EVERYDAY_ZIPF = 5.5
SLIP_ZIPF = 2.3  # a word this rare, one letter from a common word, is a slip ("tomorow")


@dataclass(frozen=True)
class Settings:
    """Thresholds of the policy, calibrated with the evaluation set (``flask --app app eval``)."""

    answer_threshold: float = 0.33
    long_answer_threshold: float = 0.28  # for messages of long_message_words words or more
    long_message_words: int = 10
    lone_threshold: float = 0.22  # ...or this, when no other target scores within lone_ratio of it
    lone_ratio: float = 2.5
    handoff_threshold: float = 0.4
    handoff_margin: float = 0.05
    word_weight: float = 0.6
    coverage_floor: float = 0.8  # 1.0: coverage ignored; lower: keys missing telling words lose more
    target_coverage_floor: float = 0.5  # the same, for the words of all of a target's keys together
    second_key_weight: float = 0.15  # share of a target's score from its second-best key
    asking_alone: float = 0.65  # ...unless the asking sentence alone is this close ("...my back. Is it safe?")
    asking_support: float = 0.5  # the asking sentence alone raises only targets the whole message supports
    referring_support: float = 0.8  # ...and more so when it asks about "that" ("Is that normal?")
    kind_support: float = 0.5  # "...What is it exactly?", "who is doing it?" take an entry of that kind this close
    text_key_weight: float = 0.5
    section_weight: float = 0.95  # an FAQ answer is written to answer; a section only contains one
    rare_word_zipf: float = 3.5  # below this frequency (Zipf scale) an unknown word is a topic
    real_word_zipf: float = 3.0  # at or above it a word is real English, never corrected as a typo
    answer_sentences: int = 3
    second_answer_ratio: float = 0.8  # a second FAQ entry this close to the best is answered too
    alarm_threshold: float = 0.8  # the example-trained second look's probability that means an emergency
    alarm_answer_ceiling: float = 0.5  # ...asked only of hand-offs and of answers less confident than this
    cache_size: int = 4096  # replies kept per engine (0: no cache)
    related: int = 3


class Engine:
    """Answers visitors' questions from a loaded knowledge folder. Knows nothing of the web."""

    def __init__(self, knowledge: Knowledge, settings: Settings | None = None):
        self.knowledge = knowledge
        self.settings = settings or Settings()
        self.normaliser = Normaliser(knowledge.synonyms)
        self.passages = {p.id: p for p in knowledge.passages}
        self.topics = {f"handoff/{t.name}": t for t in knowledge.handoff}
        self.index = Index(self.normaliser, self.settings.word_weight, self.settings.coverage_floor,
                           self.settings.target_coverage_floor,
                           self.settings.second_key_weight).fit(self._keys(), frozenset(self.topics))
        # What the articles can answer about: words of passages and of visitors' synonyms. Hand-off
        # topics' words ("massage", "price") are left out on purpose: knowing them must not make a
        # question look answerable.
        answerable = {w for p in knowledge.passages for t in (p.text, *p.questions) for w in words(t)}
        answerable |= {w for s in knowledge.synonyms for w in words(s)}
        self.vocabulary = {stem(w) for w in answerable}
        surface = answerable | {w for k in self.index.keys_ for w in words(k.text)}
        self.surface = frozenset(surface)
        self.speller = Speller(w for w in surface if len(w) > 3)
        # A misspelt "after" or "there" is no topic: it must not make a question look unanswerable.
        # Function words and the knowledge's everyday words ("after", "help") are corrected closer.
        everyday = {w for w in surface if english_frequency(w) >= EVERYDAY_ZIPF}
        self.function_speller = Speller((w for w in STOPWORDS | everyday if len(w) >= 4), max_distance=one_letter_off)
        self._core = self.domain_terms(0.05)
        self.alarm = trained(knowledge.emergency.examples)
        self.red_flag_rules = {rule.name: rule for rule in knowledge.emergency.rules}
        # "shortnes" is "shortness", not the rarer "shortens": among equally close words, the commoner
        self.flag_speller = Speller(red_flag_vocabulary(*knowledge.emergency.words()),
                                    preference=lambda word: -zipf_frequency(word, "en"))
        zipf_frequency("warm", "en")  # wordfreq loads its list on first use: here, not in a visitor's reply
        self._cached = lru_cache(maxsize=self.settings.cache_size)(self.reply) if self.settings.cache_size else None
        self._sentences = {
            p.id: [(text, set(self.index.term_weights(text))) for para in p.text.split("\n")
                   for text in sentences(para)]
            for p in knowledge.passages if p.kind == "section"
        }

    @classmethod
    def from_folder(cls, folder: str | Path, settings: Settings | None = None) -> "Engine":
        return cls(load_knowledge(folder), settings)

    def _keys(self) -> list[Key]:
        keys = []
        weight = self.settings.text_key_weight
        for p in self.knowledge.passages:
            scale = self.settings.section_weight if p.kind == "section" else 1.0
            keys += [Key(p.id, q, scale) for q in p.questions]
            keys.append(Key(p.id, p.text, weight * scale))
        for name, topic in self.topics.items():
            keys += [Key(name, q) for q in topic.questions]
        return keys

    # -- the policy ---------------------------------------------------------------------------
    def ask(self, message: str) -> Reply:
        """Reply to one visitor message, from the reply cache when the same message came before.

        Visitors ask the same few questions again and again (more so during a traffic spike), and
        the engine is deterministic for a given knowledge, so a bounded LRU cache per engine is safe;
        a newly published index brings a new engine and an empty cache. Replies are shared: read them,
        don't change them.
        """
        return self._cached(message) if self._cached else self.reply(message)

    def reply(self, message: str) -> Reply:
        """Reply to one visitor message, computed afresh. Never raises for any string.

        The message is first read as one question; a reply that leaves room for doubt gets a second
        look for an emergency in words no pattern foresees; a message of several questions may then
        get each one answered (``each_question``).
        """
        whole = self.reply_one(message)
        if self.alarm and self.unsure(whole) and (rule := self.second_look(message)):
            return self.emergency(rule, "an emergency in other words")
        return self.each_question(message, whole) or whole

    def each_question(self, message: str, whole: Reply) -> Reply | None:
        """One reply to the questions of a message asked apart, or None to keep ``whole``.

        "Does it hurt? And how long will I be sore?" asks two things: when each question alone gets
        an answer from a different entry, the visitor gets both answers; when one is for the clinic
        ("Do you take insurance? Does it hurt?"), that hand-off comes first, then the answer. Any
        other mix (a question it cannot place, a condition named) is answered as a whole message.
        """
        # A condition the visitor names ("...while pregnant?") concerns every question asked.
        asked_apart = ((whole.type == "answer" or whole.reason.startswith(TOPIC_REASON))
                       and not any(w in CONDITIONS for w in words(message)))
        parts = questions(message) if asked_apart else []
        if len(parts) < 2:
            return None
        replies = [self.reply_one(part) for part in parts]
        answers = [r for r in replies if r.type == "answer"]
        handoffs = [r for r in replies if r.type == "handoff" and r.reason.startswith(TOPIC_REASON)]
        targets = [r.matched for r in answers]
        if not answers or len(answers) + len(handoffs[:1]) < len(replies) or len(set(targets)) < len(targets):
            return None
        sources = list(dict.fromkeys(source for r in answers for source in r.sources))
        related = [q for q in dict.fromkeys(q for r in answers for q in r.related)
                   if not any(q == self.passages[t].questions[0] for t in targets)]
        # "Do you take insurance? Does it hurt?": the hand-off (with the clinic's contacts) first,
        # then what the articles do answer.
        paragraphs = dict.fromkeys(p for r in handoffs + answers for p in r.answer.split("\n\n"))  # each said once
        first = handoffs[0] if handoffs else answers[0]
        return Reply(first.type, "\n\n".join(paragraphs), min(r.confidence for r in answers), sources,
                     related[: self.settings.related], matched=first.matched, reason=f"{first.reason}, each question")

    def unsure(self, reply: Reply) -> bool:
        """Whether a reply leaves room for a second look for an emergency: a hand-off nobody asked
        for in so many words, or an answer without confidence. ("I've decided to check out early"
        matches no red flag, and nothing the clinic wrote either.)"""
        return ((reply.type == "handoff" and reply.reason != ASKED_REASON)
                or (reply.type == "answer" and reply.confidence < self.settings.alarm_answer_ceiling))

    def second_look(self, message: str) -> Rule | None:
        """The emergency rule the example-trained model is sure enough a message needs, if any. What
        only asks about a risk ("what if I stop breathing?") is left out, as for the patterns."""
        told = self.knowledge.emergency.without_risk_questions(triage.flatten(message)).strip()
        name, chance = self.alarm.likeliest(told) if told else ("", 0.0)
        return self.red_flag_rules[name] if chance >= self.settings.alarm_threshold else None

    def reply_one(self, message: str) -> Reply:
        """Reply to a message as one question (see ``reply``)."""
        clinic = self.knowledge.clinic
        rule = triage.emergency(message, self.knowledge.emergency)
        if rule:
            return self.emergency(rule, "red-flag words")
        mended = self.mended_for_red_flags(message)
        if mended and (rule := triage.emergency(mended, self.knowledge.emergency)):
            return self.emergency(rule, "red-flag words, spelling mended")
        rule = triage.smalltalk(message, self.knowledge.smalltalk, self.names_something)
        if rule:
            return Reply("smalltalk", clinic.fill(rule.reply), 1.0, matched=f"smalltalk/{rule.name}",
                         reason="small talk")
        clause = asking_clause(message)
        said, told = triage.flatten(clause), triage.flatten(message)
        # "...electro dry needling. Do you offer that?": a clause that only points back asks for what
        # the message named before it.
        wanted = told if OFFERS_THAT.fullmatch(said) else said
        asked = next((t for t in self.knowledge.handoff if t.asked_in(wanted)), None)
        # "it's been a week and I'm still sore, is that normal?": what the visitor told of their own
        # health is what a clause that only points back asks about.
        if not asked and points_back(said):
            asked = next((t for t in self.knowledge.handoff if t.when_told and t.asked_in(told)), None)
        if asked:
            return self.handoff(1.0, f"handoff/{asked.name}", reason=ASKED_REASON)
        question = triage.strip_pleasantries(message, self.knowledge.smalltalk)
        query, gaps, beside = self.understand(question, clause)
        if not query.strip():
            return self.handoff(0.0, reason="no question words")
        hits = self.search(message, question, query, said)
        best = hits[0]
        # When a topic the articles don't cover is about as close as the best passage, hand off:
        # between answering and not, a clinic's bot should not. Unless the passage has more of the
        # question's telling words: "what should I expect at the appointment?" is not a booking.
        topic = next((h for h in hits if h.target in self.topics), None)
        if (topic and topic.score >= self.settings.handoff_threshold
                and (topic is best or (topic.score >= best.score - self.settings.handoff_margin
                                       and self.index.covers(query, topic.target, best.target)))):
            return self.handoff(topic.score, topic.target, reason=TOPIC_REASON)
        passage = self.passages.get(best.target)
        # ...unless the question is about where to needle around it: "I have a rope burn, can you needle near it?"
        gaps += [] if passage and passage.same_for_anyone and not AROUND_IT.search(said) else beside
        if gaps and not self.same_for_any_body_part(best.target, gaps, query, clause):
            return self.handoff(best.score, best.target, reason=f"not in the knowledge: {', '.join(gaps)}")
        if best.target in self.passages and (best.score >= self.threshold(query) or self.far_ahead(hits)):
            return self.answer(query, best.target, best.score, hits)
        return self.handoff(best.score, best.target, reason="no close match")

    def mended_for_red_flags(self, message: str) -> str | None:
        """The message with misspelt words corrected toward the red flags' own words ("chest pian",
        "i think im having a hart attack", "severe alergic reaction"), or None if nothing changed.

        The knowledge's speller cannot: most red-flag words are not the clinic's. Only words too rare
        to be everyday English, and not listed as topics, are corrected, so no real word turns into a
        red flag ("concussions" stays, though one letter from "convulsions").
        """
        said = triage.flatten(message).split()
        fixed = [self.flag_speller.correct(w) if w not in self.flag_speller.vocabulary and not w.isdigit()
                 and w not in LISTED_TOPICS and zipf_frequency(w, "en") < self.settings.real_word_zipf
                 else None for w in said]
        return " ".join(f or w for f, w in zip(fixed, said)) if any(fixed) else None

    def search(self, message: str, question: str, query: str, said: str) -> list[Hit]:
        """The closest targets for a message, best first (``question`` is the message without
        pleasantries, ``query`` its corrected words, ``said`` its asking clause, flattened).

        In a message of several sentences the one that asks is also searched alone, and each target
        keeps its better score: the context before "Does it hurt?" must not drown the question. The
        asking sentence alone may only raise a target the whole message also points to (at least
        ``asking_support`` as close as the best): "...my muscle jumped. Why does that happen?" is
        about the twitch, not about what happens in a session.
        """
        scores = self.index.scores(query)
        hits = self.index.top(scores, 8)
        # "...my physio suggested dry needling, what is it exactly?": asking what a thing the message
        # named *is* wants the entry that defines it; "who is doing this treatment?" wants one that
        # says who. Either takes the best entry's place if the message points to it at all.
        defining = ASKS_WHAT_IT_IS.fullmatch(said) or (ASKS_TO_EXPLAIN.search(said)
                                                        and NOT_KNOWING_WHAT.search(triage.flatten(message)))
        fits = self.defines if defining else self.says_who if ASKS_WHO.match(said) else None
        preferred = next((h for h in hits if fits(h.target)), None) if fits else None
        if preferred and preferred.score >= self.settings.kind_support * hits[0].score:
            return [Hit(preferred.target, hits[0].score)] + [h for h in hits if h is not preferred]
        asking = triage.strip_pleasantries(asking_sentence(message), self.knowledge.smalltalk)
        if asking == question:
            return hits
        asking = self.understand(asking)[0]
        # A bare "would dry needling help?" names nothing of its own; alone it would match the most
        # general entry, so the whole message ("I have fibromyalgia...") decides.
        if asking == query or (all(stem(w) in GENERIC_ASK for w in content_words(asking))
                               and "what" not in words(asking)[:4]):
            return hits
        # "...my calf twitched so hard. Is that supposed to happen?", "...still sore. How long does that
        # last?": a question about "that" asks about what the message told, so what it raises alone
        # must be nearly as close to the whole message as the best, however close it is alone.
        referring = points_back(asking)
        support = self.settings.referring_support if referring else self.settings.asking_support
        floor = support * hits[0].score
        best = {h.target: h.score for h in self.index.search(asking, limit=8)
                if self.index.score_of(scores, h.target) >= floor
                or (h.score >= self.settings.asking_alone and not referring)}
        for h in hits:
            best[h.target] = max(h.score, best.get(h.target, 0.0))
        return [Hit(t, s) for t, s in sorted(best.items(), key=lambda item: -item[1])][:8]

    def defines(self, target: str) -> bool:
        """Whether a target is an FAQ entry that says what something is ("What are trigger points?")."""
        passage = self.passages.get(target)
        return bool(passage and passage.kind == "faq" and passage.questions
                    and re.match(r"what (is|are) ", passage.questions[0].lower()))

    def says_who(self, target: str) -> bool:
        """Whether a target is an answer reached by a question asking who ("Who does dry needling at the clinic?")."""
        return target in self._who_targets

    @cached_property
    def _who_targets(self) -> frozenset[str]:
        return frozenset(k.target for k in self.index.keys_ if k.weight >= 1.0 and words(k.text)[:1] == ["who"]
                         and k.target in self.passages)  # "who invented it?" is a hand-off topic, not who does it

    def same_for_any_body_part(self, target: str, gaps: list[str], query: str, clause: str = "") -> bool:
        """Whether the only gaps are parts of the body and the closest entry answers the same for any
        ("my arm is sore after needling"), unlike "can it help my knee?", where the part is the topic.
        The question must ask something beyond the clinic's everyday words: in "can you needle the
        stomach?" the part is all it asks about."""
        passage = self.passages.get(target)
        asks = any(stem(w) not in self._core for w in content_words(query) if w not in gaps)
        # "...my knees hurt, would needling help?" asks whether it suits the knees: the part is the topic.
        asks = asks and any(stem(w) not in WHETHER_IT_SUITS for w in content_words(clause or query) if w not in gaps)
        return bool(passage and passage.any_body_part and asks and all(g in BODY_PARTS for g in gaps))

    def threshold(self, query: str) -> float:
        """How close a passage must be to answer. A long message spreads its similarity over many
        words (context, feelings, history), so its best match scores lower for the same fit; its
        topic words are still checked for gaps one by one."""
        long = len(query.split()) >= self.settings.long_message_words
        return self.settings.long_answer_threshold if long else self.settings.answer_threshold

    def far_ahead(self, hits: list[Hit]) -> bool:
        """Whether the best target is the only one near at all: "what does aftercare usually
        include?" matches one entry on "aftercare" and nothing else; its unmatched everyday words
        lower the score but make no other entry likelier. (Unknown topic words hand off before.)"""
        second = hits[1].score if len(hits) > 1 else 0.0
        return hits[0].score >= self.settings.lone_threshold and hits[0].score >= self.settings.lone_ratio * second

    def domain_terms(self, share: float = 0.1) -> frozenset[str]:
        """Word terms in more than ``share`` of the keys: the clinic's everyday words ("dri needl")."""
        df = np.diff(self.index.word_matrix_.indptr)  # keys per term (rows of the term x key matrix)
        names = self.index.words_.get_feature_names_out()
        return frozenset(names[df > share * len(self.index.keys_)])

    def rank(self, question: str) -> list[tuple[str, float]]:
        """Every passage, best first, for a question: what benchmarks score retrieval on."""
        query = self.understand(triage.strip_pleasantries(question, self.knowledge.smalltalk))[0]
        hits = self.index.search(query, limit=len(self.index.targets_))
        return [(h.target, h.score) for h in hits if h.target in self.passages]

    def understand(self, question: str, asking: str | None = None) -> tuple[str, list[str], list[str]]:
        """The question with typos corrected toward the knowledge's words, the words it lacks, and
        the conditions it lacks that are said only beside a question asking something of its own.

        A topic word that the knowledge never mentions, even after spelling correction, means the
        articles cannot answer the question, however well the rest of it matches. Words that name
        what is asked for (a price, a day) only count in ``asking``, the clause that asks. A
        condition beside the question ("I have tennis elbow. What is dry needling?") matters unless
        the answer is the same for anyone. A reaction reported after a treatment ("a headache
        after needling") is a gap even where the knowledge has the word: the articles describe
        only soreness and the twitch.
        """
        corrected, gaps, beside = [], [], []
        surface = words(question)
        asked = set(words(asking)) if asking is not None else set(surface)
        # "my groin is tight, how quickly does it work?": when the asking clause asks something of
        # its own, what the rest of the message names is context (where it hurts, what was tried,
        # who the visitor is), unless it is a condition the answer would be about ("I'm pregnant.
        # Does it hurt?"). "My knee hurts, can it help?" asks about nothing but the knee.
        asks_own = asking is not None and asks_its_own(asking)
        outside = outside_idioms(surface)
        reported = AFTER_TREATMENT.search(" ".join(surface)) is not None
        for i, word in enumerate(surface):
            # "a headache after needling": the articles can't say ("my back feels bruised" is soreness)
            if reported and word in REACTIONS and not (word == "bruised" and says_felt(surface, i)):
                gaps.append(word)
                corrected.append(word)
                continue
            if word in MEDICINES and says_takes(surface, i) and not in_idiom(surface, i):
                # "I'm on pain meds", "I take painkillers": the visitor's medicine, though the
                # articles have the word ("no medication is injected")
                (gaps if surface[i] in asked or not asks_own else beside).append(word)
                corrected.append(word)
                continue
            if not outside[i] or word in STOPWORDS or len(word) < 2 or word.isdigit() or stem(word) in self.vocabulary:
                corrected.append(word)
                continue
            # Only misspellings are corrected: "bleeding" is a word of its own, not a typo of "needling".
            frequency = english_frequency(word)
            fixed = None if frequency >= self.settings.real_word_zipf else self.speller.correct(word)
            if fixed is None and frequency < self.settings.rare_word_zipf and word not in LISTED_TOPICS:
                fixed = self.function_speller.correct(word) or self.split(word)
            if fixed is None and word not in LISTED_TOPICS and (slip := meant(word, frequency)):
                word, frequency = slip, english_frequency(slip)  # "tomorow" is judged as "tomorrow"
            if (fixed or word) in CLINIC_TOPICS and is_context(surface, i):
                continue  # "my chiro said...", "before I book...": who advised, or what comes later
            if fixed is None and self.is_topic(word, frequency) and not is_context(surface, i):
                if surface[i] in asked or not (asks_own or word in REQUESTED):
                    gaps.append(word)
                elif asks_own and (word in CONDITIONS or says_has(surface, i)):
                    beside.append(word)
            corrected.append(fixed or word)
        return " ".join(corrected), gaps, beside

    def split(self, word: str) -> str | None:
        """Two of the knowledge's words run together, the second perhaps misspelt: "drynedling" is
        "dry needling", "neckpain" is "neck pain"."""
        for i in range(2, len(word) - 3):
            if word[:i] in self.surface and (second := self.speller.correct(word[i:])):
                return f"{word[:i]} {second}"
        return None

    def names_something(self, word: str) -> bool:
        """Whether a word could be what a question is about: the knowledge's words, listed topics and
        words too rare to be everyday English ("kindly" and "sarah" are not; "knee", "price",
        "needling" and "sciatica" are)."""
        return word not in STOPWORDS and (word in self.surface or word in LISTED_TOPICS or word.isdigit()
                                          or english_frequency(word) < self.settings.real_word_zipf)

    def is_topic(self, word: str, frequency: float) -> bool:
        """Whether an unknown word names a topic (knee, warfarin) rather than context (desk, friend).

        Listed topic words always do; other words do when they are rare in English, which is what
        medical terms, medicines and brand names are (``frequency`` is the word's Zipf frequency).
        """
        return word in LISTED_TOPICS or frequency < self.settings.rare_word_zipf

    def answer(self, query: str, target: str, score: float, hits: list) -> Reply:
        """The passage's answer, and a second FAQ entry's too when it is nearly as close: between
        two entries that both fit ("does it hurt after?": the pain or the soreness?), the visitor
        reads both short answers rather than the one the bot happened to rank first."""
        passage = self.passages[target]
        text = passage.text if passage.kind == "faq" else self.best_sentences(query, passage)
        sources = [_source(passage)]
        second = next((self.passages[h.target] for h in hits[1:2] if h.target in self.passages
                       and self.passages[h.target].kind == "faq" and h.target != target
                       and h.score >= self.settings.second_answer_ratio * score), None)
        if second:
            text += "\n\n" + second.text
            if (source := _source(second)) not in sources:
                sources.append(source)
        shown = {target} | ({second.id} if second else set())
        related = [self.passages[h.target].questions[0] for h in hits[1:]
                   if h.target in self.passages and self.passages[h.target].kind == "faq"
                   and h.target not in shown][: self.settings.related]
        return Reply("answer", self._fill(text), _confidence(score), sources, related,
                     matched=target, reason="close match")

    def best_sentences(self, query: str, passage: Passage) -> str:
        """The few sentences of a section that share the question's most telling words, in order."""
        parts = self._sentences[passage.id]
        if len(parts) <= self.settings.answer_sentences:
            return " ".join(text for text, _ in parts)
        wanted = self.index.term_weights(query)
        scores = [sum(w for t, w in wanted.items() if t in terms) for _, terms in parts]
        keep = sorted(sorted(range(len(parts)), key=lambda i: -scores[i])[: self.settings.answer_sentences])
        return " ".join(parts[i][0] for i in keep)

    def emergency(self, rule: Rule, reason: str) -> Reply:
        """The red-flag rule's reply (911 or 9-8-8), and nothing else."""
        return Reply("emergency", self.knowledge.clinic.fill(rule.reply), 1.0, matched=f"emergency/{rule.name}",
                     reason=reason)

    def handoff(self, score: float, target: str | None = None, reason: str = "") -> Reply:
        topic = self.topics.get(target) if target and reason.startswith(TOPIC_REASON) else None
        template = topic.reply if topic else self.knowledge.handoff_reply
        # The numbers must be in the answer itself, whatever staff wrote in the template.
        text = self.knowledge.clinic.fill(template)
        clinic = self.knowledge.clinic
        if clinic.phone not in text or clinic.email not in text:
            text += f" You can reach {clinic.name} at {clinic.phone} or {clinic.email}."
        return Reply("handoff", text, _confidence(score), matched=target, reason=reason)

    def _fill(self, text: str) -> str:
        return self.knowledge.clinic.fill(text) if "{" in text else text


_ENDINGS = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"))


@lru_cache(maxsize=65536)
def english_frequency(word: str) -> float:
    """How common a word is in English (Zipf scale), counting its plain form: an inflected form of
    an everyday word ("swears", "lifted") is rarer than the word, but no more a medical term."""
    forms = [word] + [word[: -len(end)] + base for end, base in _ENDINGS
                      if word.endswith(end) and len(word) - len(end) >= 3]
    # "nodded", "jogging": the consonant doubled before the ending is single in the plain form.
    forms += [form[:-1] for form in forms[1:] if len(form) > 3 and form[-1] == form[-2] and form[-1] not in "aeiouls"]
    return max(zipf_frequency(form, "en") for form in forms)


@lru_cache(maxsize=4)
def red_flag_vocabulary(words: frozenset[str], stems: frozenset[str]) -> frozenset[str]:
    """The red flags' words, and the real English words that begin with a stem a pattern lets any
    ending follow ("wheezing" of "wheez\\w*") or with a fragment no English word is ("suicidal" of
    "suicid"): what a misspelt red flag may have meant."""
    stems = stems | {w for w in words if len(w) >= 5 and zipf_frequency(w, "en") < 1}
    return words | {w for w, f in get_frequency_dict("en").items() if f >= 1e-7 and w.isalpha()
                    and any(w[:k] in stems for k in range(4, len(w) + 1))}


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """English words of Zipf frequency 4 or more ("tomorrow", "shoulder"): what a slip usually meant."""
    return frozenset(w for w, f in get_frequency_dict("en").items() if f >= 1e-5 and w.isalpha())


def meant(word: str, frequency: float) -> str | None:
    """The common English word that a rare word is one slip away from ("tomorow" -> "tomorrow").

    Only for words far rarer than the word they would be (a typo is; "statins" next to "stations"
    is not rare enough), so a medical term stays the topic it names.
    """
    if len(word) < 5 or frequency > SLIP_ZIPF:
        return None
    letters = "abcdefghijklmnopqrstuvwxyz"
    halves = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = ({a + b[1:] for a, b in halves if b}
             | {a + b[1] + b[0] + b[2:] for a, b in halves if len(b) > 1}
             | {a + c + b[1:] for a, b in halves if b for c in letters}
             | {a + c + b for a, b in halves for c in letters})
    common = [w for w in edits & _common_words() if w != word]
    best = max(common, key=lambda w: zipf_frequency(w, "en"), default=None)
    return best if best and zipf_frequency(best, "en") >= frequency + 2 else None


def _confidence(score: float) -> float:
    return round(max(0.0, min(1.0, score)), 3)


def _source(passage: Passage) -> Source:
    return Source(passage.title, passage.section, passage.url, passage.article, passage.anchor)

