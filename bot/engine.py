"""The engine: a visitor's message flows down once, through one step after another.

    safety      red flags: 911 or 9-8-8, whatever else the message says       (bot/safety.py)
    small talk  greetings, thanks, "are you a bot?" as the whole message      (bot/smalltalk.py)
    reading     misspellings mended, the part that asks found                 (bot/reading.py)
    follow-up   "how long does that last?" read with the previous question    (bot/followup.py)
    retrieval   every target's closeness, BM25 over questions, texts, titles  (bot/index.py)
    decision    answer only when close *and* the question's words are covered (bot/decide.py)
    composing   the sentences of a section that answer                         (bot/compose.py)

What the engine learns from a folder (its index, its thresholds) is built once, in ``__init__``;
the thresholds are calibrated on the folder's own content (``bot/calibrate.py``) and travel in the
published artifact, so a worker never refits them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from . import followup, smalltalk
from .calibrate import Calibration, calibrate
from .compose import best_blocks
from .decide import TOPIC_WORD, Decision, decide
from .index import Index, Scores, Unit
from .knowledge import PLACEHOLDER, Knowledge, Passage, Rule, load_knowledge
from .neighbours import Neighbours
from .reading import Reader, Reading, Synonyms, questions
from .safety import Safety
from .text import information, sentences, stem, stems, words

REPLY_TYPES = ("answer", "handoff", "emergency", "smalltalk", "clarify")


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
    reason: str = ""  # for staff, in plain words: why this type was chosen


@dataclass(frozen=True)
class Settings:
    """How the engine reads and answers; the answer thresholds are calibrated per folder instead."""

    # How much each field of the index counts, for an FAQ entry or hand-off topic and for an
    # article's section (see bot/index.py).
    question_fields: tuple[tuple[str, float], ...] = (("ask", 0.6), ("text", 0.1), ("sentence", 0.2), ("title", 0.1))
    section_fields: tuple[tuple[str, float], ...] = (("ask", 0.45), ("text", 0.15), ("sentence", 0.25),
                                                     ("title", 0.15))
    context_weight: float = 0.35  # a word only in the story before the question counts this much
    synonym_weight: float = 0.7  # the clinic's word for a visitor's word counts this much of it
    answer_blocks: int = 2  # sentences (or a list) of a section in an answer
    second_answer_ratio: float = 0.9  # a second FAQ entry this close to the best is answered too
    related: int = 3
    cache_size: int = 4096  # replies kept per engine (0: no cache)


class Engine:
    """Answers visitors' questions from a loaded knowledge folder. Knows nothing of the web."""

    def __init__(self, knowledge: Knowledge, settings: Settings | None = None,
                 calibration: Calibration | None = None):
        self.knowledge = knowledge
        self.settings = settings or Settings()
        self.safety = Safety(knowledge.emergency)
        self.passages = {p.id: p for p in knowledge.passages}
        self.topics = {f"handoff/{t.name}": t for t in knowledge.handoff}
        units = list(self._units())
        # Each unit's words read once, for the index and for what each target says (10,000
        # passages make ~100,000 units: reading them four times was most of the build).
        unit_words = [words(u.text) for u in units]
        unit_stems = [[stem(w) for w in ws] for ws in unit_words]
        weights = {"questions": dict(self.settings.question_fields), "section": dict(self.settings.section_fields)}
        self.index = Index(stems, weights, self._found_by).fit(units, unit_stems)
        self.passage_positions = self.index.positions(self.passages)
        self.topic_positions = self.index.positions(self.topics)
        vocabulary = {w for ws in unit_words for w in ws}  # the knowledge's own words
        self.synonyms = Synonyms(knowledge.synonyms, Neighbours(vocabulary).of)
        # What each target says, as stems: a question's words must be among them to be answered.
        # A section is read under its article's title ("Symptoms" of "Frozen Shoulder").
        said: dict[str, set[str]] = {}
        for unit, terms in zip(units, unit_stems):
            said.setdefault(unit.target, set()).update(terms)
        self.target_terms = {target: frozenset(terms) for target, terms in said.items()}
        # ...and what its whole article says: a word the section lacks but its article has is no gap.
        articles: dict[str, set[str]] = {}
        for p in knowledge.passages:
            if p.kind == "section":
                title = knowledge.articles[p.article].title
                articles.setdefault(p.article, set(stems(title))).update(stems(PLACEHOLDER.sub(" ", p.text)))
        self.article_terms = {p.id: self.target_terms[p.id] | articles[p.article]
                              for p in knowledge.passages if p.article in articles}
        self.reader = Reader(vocabulary, {w for s in knowledge.synonyms for w in words(s)})
        self.filler = knowledge.smalltalk.filler
        self.content_terms = frozenset().union(*(self.target_terms[p] for p in self.passages))  # all they say
        # Words of the hand-off topics' examples ("cost", "insurance") that the clinic's content never
        # uses, nor a word for them ("physio" when articles say "physiotherapist"): a question asking
        # with one of them asks for something the articles don't say.
        self.topic_vocab = {name: frozenset(stem(w) for q in topic.questions for w in self.unmentioned(q))
                            for name, topic in self.topics.items()}
        self.topic_words = frozenset().union(*self.topic_vocab.values())
        self.calibration = calibration or calibrate(self)
        self._cached = lru_cache(maxsize=self.settings.cache_size)(self.reply) if self.settings.cache_size else None
        # Whatever compiles on first use (small talk's expressions, caches) does so now, when a worker
        # builds its engine, and not on a visitor's first message.
        self.reply("hi! is it safe? thanks")

    @classmethod
    def from_folder(cls, folder: str | Path, settings: Settings | None = None) -> "Engine":
        return cls(load_knowledge(folder), settings)

    def _found_by(self, target: str) -> str:
        """How a target is mostly found: by the questions written for it, or as an article's section."""
        passage = self.passages.get(target)
        return "section" if passage and passage.kind == "section" else "questions"

    def _units(self):
        """The ways each target is reached (see bot/index.py). A placeholder ("email {email}") is
        no word of the clinic's content: the phone number and email are the hand-offs' business."""
        for unit in self._all_units():
            yield Unit(unit.target, unit.field, PLACEHOLDER.sub(" ", unit.text))

    def _all_units(self):
        titles = {slug: a.title for slug, a in self.knowledge.articles.items()}
        for p in self.knowledge.passages:
            for question in p.questions:
                # A section headed with its article's title answers no question of its own: the
                # title is every section's (the "title" field), not this one's.
                if not (p.kind == "section" and set(stems(question)) <= set(stems(titles.get(p.article, "")))):
                    yield Unit(p.id, "ask", question)
            yield Unit(p.id, "text", p.text)
            for line in p.text.split("\n"):
                for sentence in sentences(line):
                    yield Unit(p.id, "sentence", sentence)
            if p.article in titles:
                yield Unit(p.id, "title", titles[p.article])
        for name, topic in self.topics.items():
            for question in topic.questions:
                yield Unit(name, "ask", question)

    # -- the steps ----------------------------------------------------------------------------
    def ask(self, message: str, previous: str | None = None) -> Reply:
        """Reply to one visitor message, from the reply cache when the same message came before.

        The engine is deterministic for a given knowledge, so a bounded LRU cache per engine is safe;
        a newly published index brings a new engine and an empty cache. Replies are shared: read
        them, don't change them.
        """
        return self._cached(message, previous) if self._cached else self.reply(message, previous)

    def reply(self, message: str, previous: str | None = None) -> Reply:
        """Reply to one visitor message (``previous``: the visitor's message before it, if any)."""
        if rule := self.safety.emergency(message):
            return self.emergency(rule)
        if rule := smalltalk.smalltalk(message, self.knowledge.smalltalk, self.reader.names_something):
            return Reply("smalltalk", self.knowledge.clinic.fill(rule.reply), 1.0, matched=f"smalltalk/{rule.name}",
                         reason="small talk")
        question = smalltalk.strip_pleasantries(message, self.knowledge.smalltalk)
        reading = self.reader.read(question)
        if not reading.words:
            return self.handoff(None, "the message has no words to search for")
        decision = self.decide(reading)
        # "And what should I wear?": whether it leans on what came before is read as typed.
        leans = bool(previous) and followup.points_back(self.reader.read(message))
        if previous and (leans or (not decision.answers and followup.is_short(reading))):
            # "how long does that last?" after "will I be sore?": read with the question before it.
            joined = self.decide(self.reader.read(question, before=previous))
            if joined.answers:
                return self.compose(joined, reason="a follow-up, read with the question before it")
            if leans:
                return Reply("clarify", "Could you tell me a bit more about what you'd like to know? It helps to ask "
                             "the whole question in one message.", 0.0, reason="a follow-up the bot could not place")
        return self.each_question(question) or self.compose(decision)

    def each_question(self, message: str) -> Reply | None:
        """One reply to a message that asks several things, or None to read it as one question.

        "Does it hurt? And how long will I be sore?": when each question alone is answered from a
        different passage, the visitor gets both answers; when one is for the clinic ("Do you take
        insurance? Does it hurt?"), that hand-off comes first, then the answer.
        """
        asked = questions(message)
        if len(asked) < 2:
            return None
        decisions = [self.decide(self.reader.read(q)) for q in asked]
        answers = [d for d in decisions if d.answers]
        handoffs = [d for d in decisions if not d.answers and d.topic]
        targets = [d.target for d in answers]
        if not answers or len(answers) + len(handoffs[:1]) < len(decisions) or len(set(targets)) < len(targets):
            return None
        replies = [self.compose(d) for d in handoffs[:1] + answers]
        paragraphs = dict.fromkeys(p for r in replies for p in r.answer.split("\n\n"))
        sources = list(dict.fromkeys(s for r in replies for s in r.sources))
        related = [q for q in dict.fromkeys(q for r in replies for q in r.related)
                   if not any(q == self.passages[t].questions[0] for t in targets)]
        first = replies[0]
        confidence = min(r.confidence for r in replies[len(handoffs[:1]):])
        return Reply(first.type, "\n\n".join(paragraphs), confidence, sources, related[: self.settings.related],
                     matched=first.matched, reason=f"{first.reason}, each question")

    def search(self, reading: Reading) -> Scores:
        """Every target's closeness to what a message asks (see ``query``)."""
        return self.index.search(*self.query(reading))

    def query(self, reading: Reading) -> tuple[list[tuple[tuple[str, float], ...]], float]:
        """The message as the index's concepts, each its stem and the clinic's stems for it at a
        little less weight (a unit counts the best it has), and the message's whole weight."""
        concepts = self.concepts(reading)
        own = {term for _, term, _ in concepts}
        query = [((term, weight),) + tuple((other, self.settings.synonym_weight * weight)
                                          for other in alternatives if other not in own)
                 for weight, term, alternatives in concepts]
        return query, sum(weight for weight, _, _ in concepts)

    def concepts(self, reading: Reading) -> list[tuple[float, str, frozenset[str]]]:
        """What the message asks about, one concept per distinct word: (its weight, its stem, the
        clinic's stems for it). Words only of the story before the question count less; the
        clinic's words for a visitor's word count a little less than the word itself."""
        asked = {stem(w) for w in reading.asking}
        found: dict[str, tuple[float, set[str]]] = {}
        for word in reading.words:
            term = stem(word)
            if term not in found:
                scale = 1.0 if term in asked else self.story_weight(reading)
                found[term] = (self.index.weight(term, self.telling(word)) * scale, set())
        for start, end, clinic in self.synonyms.expand(reading.words):
            for word in reading.words[start:end]:
                found[stem(word)][1].update(t for t in clinic if t != stem(word))
        return [(weight, term, frozenset(others)) for term, (weight, others) in found.items()]

    def story_weight(self, reading: Reading) -> float:
        """How much a word only of the story before the question counts: a little ("I'm 52 and a
        runner."), unless the question points back at the story ("...the frozen stage. Is that
        normal?"), whose words are then what it asks about."""
        return 1.0 if reading.points_back else self.settings.context_weight

    def decide(self, reading: Reading) -> Decision:
        return decide(self, reading, self.search(reading))

    def covering_terms(self, target: str) -> tuple[frozenset[str], frozenset[str]]:
        """The stems a target covers a question with (its own and its article's title), and the
        stems of its whole article, which keep a word from being a gap."""
        own = self.target_terms.get(target, frozenset())
        return own, self.article_terms.get(target, own)

    def passages_with(self, word: str) -> int:
        """How many of the clinic's passages use a word."""
        return self._passage_counts.get(stem(word), 0)

    @cached_property
    def _passage_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for target in self.passages:
            for term in self.target_terms.get(target, ()):
                counts[term] = counts.get(term, 0) + 1
        return counts

    def telling(self, word: str) -> float:
        """How much a word tells about what is asked (its rarity in English); chat filler ("lol",
        "ok") tells nothing."""
        return 0.0 if word in self.filler else information(word)

    def topic_for(self, reading: Reading, scores: Scores, by_examples: bool = True) -> str | None:
        """The hand-off topic a question asks for: the one whose words it uses ("cost"), else (with
        ``by_examples``) the one whose examples it is closest to, if close enough."""
        used = {stem(w) for w in reading.asking} & self.topic_words
        if used:
            return max(self.topic_vocab, key=lambda name: len(self.topic_vocab[name] & used))
        if not by_examples:
            return None
        topics = scores.best(limit=1, among=self.topic_positions)
        return topics[0][0] if topics and topics[0][1] >= self.calibration.topic else None

    # -- replies ------------------------------------------------------------------------------
    def compose(self, decision: Decision, reason: str = "") -> Reply:
        if not decision.answers:
            return self.handoff(decision.topic, decision.reason, decision.score)
        passage = self.passages[decision.target]
        text = passage.text if passage.kind == "faq" else self.best_sentences(decision.reading, passage)
        sources = [_source(passage)]
        second = self.passages.get(decision.second) if decision.second else None
        if second and second.kind == "faq":
            text += "\n\n" + second.text
            if (source := _source(second)) not in sources:
                sources.append(source)
        shown = {passage.id} | ({second.id} if second else set())
        related = [self.passages[t].questions[0] for t in decision.others
                   if t not in shown and self.passages[t].kind == "faq"][: self.settings.related]
        return Reply("answer", self.knowledge.clinic.fill(text), round(decision.score, 3), sources, related,
                     matched=passage.id, reason=reason or decision.reason)

    def best_sentences(self, reading: Reading, passage: Passage) -> str:
        """The few sentences (or list) of a section that answer the question (``compose.best_blocks``)."""
        return best_blocks(passage.text, self.concepts(reading), self.settings.synonym_weight,
                           lambda text: set(stems(text)), " ".join(reading.asking),
                           self.settings.answer_blocks)

    def emergency(self, rule: Rule) -> Reply:
        """The red-flag rule's reply (911 or 9-8-8), and nothing else."""
        return Reply("emergency", self.knowledge.clinic.fill(rule.reply), 1.0, matched=f"emergency/{rule.name}",
                     reason="red-flag words")

    def handoff(self, topic: str | None, reason: str, score: float = 0.0) -> Reply:
        """The clinic's phone and email, with a hand-off topic's own words when one fits."""
        chosen = self.topics.get(topic) if topic else None
        clinic = self.knowledge.clinic
        text = clinic.fill(chosen.reply if chosen else self.knowledge.handoff_reply)
        # The numbers must be in the answer itself, whatever staff wrote in the template.
        if clinic.phone not in text or clinic.email not in text:
            text += f" You can reach {clinic.name} at {clinic.phone} or {clinic.email}."
        return Reply("handoff", text, round(score, 3), matched=topic, reason=reason)

    # -- for benchmarks and staff -------------------------------------------------------------
    def topic_terms(self, text: str) -> list[str]:
        """What a question is about, as stems, for grouping the questions staff review: its telling
        words and the clinic's words for them, without the words most of the clinic's passages
        share ("dry needling" says nothing about which question it is)."""
        said = [w for w in words(text) if self.telling(w) >= TOPIC_WORD]
        terms = [stem(w) for w in said] + [t for _, _, clinic in self.synonyms.expand(said) for t in clinic]
        return [t for t in dict.fromkeys(terms) if t not in self._everywhere]

    def unmentioned(self, text: str) -> list[str]:
        """The telling words of a question that no passage uses, nor any word the clinic's synonyms
        or the word neighbours give for them: what the articles never mention ("sciatica")."""
        said = [w for w in words(text) if self.telling(w) >= TOPIC_WORD]
        known = {i for start, end, clinic in self.synonyms.expand(said) for i in range(start, end)
                 if set(clinic) & self.content_terms}
        return list(dict.fromkeys(w for i, w in enumerate(said) if stem(w) not in self.content_terms and i not in known))

    @cached_property
    def _everywhere(self) -> frozenset[str]:
        """Stems in more than a third of the passages: the clinic's everyday words."""
        return frozenset(t for t, n in self._passage_counts.items() if n > len(self.passages) / 3)

    def rank(self, question: str) -> list[tuple[str, float]]:
        """Every passage, best first, for a question: what retrieval benchmarks score."""
        scores = self.search(self.reader.read(question))
        return scores.best(limit=len(scores.targets), among=self.passage_positions)


def _source(passage: Passage) -> Source:
    return Source(passage.title, passage.section, passage.url, passage.article, passage.anchor)
