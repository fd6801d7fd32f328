"""Loading and validating the clinic's knowledge folder.

Staff edit these files without a programmer, so every problem is reported with its file and line,
and all problems are collected in one pass instead of stopping at the first.

Layout of a knowledge folder::

    clinic.yml          name, phone, email, emergency numbers; unknown details left empty
    articles/*.md       articles with front matter (title, url, tags) and Markdown headings
    faq/*.md            one question per file: front matter (question, also_asked, section),
                        answer as body
    synonyms.yml        visitor word -> the clinic's words
    handoff.yml         topics the articles do not answer, with example questions
    emergency.yml       red-flag patterns and the reply for each kind
    smalltalk.yml       greetings, thanks, goodbye ... with replies
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import yaml

from .prefilter import Prefiltered
from .text import clean, content_words, stem, words

HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
FRONT_MATTER_FENCE = "---"
WORD_GAP = r"(?:\w+ ){0,4}"
WORD_START = r"(?<![a-z0-9])"  # patterns match from the start of a word
DEFAULTS = Path(__file__).resolve().parent / "defaults"
DEFAULT_HANDOFF = ("I'm sorry, I can't answer that from the clinic's articles, and I don't want to "
                   "guess. Please call {name} at {phone} or email {email}, and the team will help.")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the knowledge folder, located for the person who has to fix it."""

    path: str
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge folder has errors; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in the knowledge folder; first: {errors[0]}")


# PyYAML's words for the mistakes staff make most (a part of its message), and what to do about each.
YAML_HINTS = (
    ("end of stream", " (a quote or a bracket is opened and never closed)"),
    ("<stream end>", " (a quote or a bracket is opened and never closed)"),
    ("mapping values are not allowed here", " (a ': ' inside a value: put the whole value in quotes)"),
    ("that cannot start any token", " (a tab or a sign like '@' at the start of a value: indent with spaces, "
                                    "put the value in quotes)"),
    ("<block sequence start>", " (a '- ' item indented differently from the others)"),
)
# What the console's new-entry templates say until staff write their own text.
TEMPLATE_TEXT = ("Write the answer here.", "Write the section here.", "Title of the article", "Your question?")

PLACEHOLDER = re.compile(r"\{(name|phone|email|emergency_number|crisis_line|topics)\}")


@dataclass(frozen=True)
class Clinic:
    name: str
    phone: str
    email: str
    emergency_number: str = "911"
    crisis_line: str = "9-8-8"
    description: str = ""
    hours: str | None = None
    address: str | None = None
    website: str | None = None
    suggested_questions: tuple[str, ...] = ()
    covers: str = ""  # what the articles are about, in a few words ("dry needling and orthotics")

    def fill(self, template: str) -> str:
        """Put the clinic's details into a reply written by staff ("call {phone}"). Only these
        placeholders are read: any other brace in staff's text ("{see front desk}", CSS) stays as it is."""
        return PLACEHOLDER.sub(lambda m: str(getattr(self, "covers" if m.group(1) == "topics" else m.group(1))), template)


@dataclass(frozen=True)
class Passage:
    """A piece of knowledge the bot can answer with, and the questions that lead to it."""

    id: str
    kind: str  # "section" of an article, or "faq" entry
    text: str
    title: str  # the article's title
    section: str  # the heading the text sits under
    article: str  # slug of the article (its file name without .md)
    anchor: str  # the heading's anchor inside the article
    url: str | None  # the published article's address, when staff gave one
    questions: tuple[str, ...] = ()  # the FAQ's own wordings; a section offers its heading
    source: str = ""  # file and line, for staff


def _unwrapped(pattern: re.Pattern) -> str:
    """A pattern's regular expression as staff wrote it, without the word-start wrapper."""
    wrapper = WORD_START + "(?:"
    return pattern.pattern[len(wrapper):-1] if pattern.pattern.startswith(wrapper) else pattern.pattern


def one_expression(patterns: tuple[re.Pattern, ...]) -> re.Pattern:
    """Several patterns as one regular expression: one scan of a message instead of one per pattern.
    Every pattern starts a word, so that check comes first and mid-word positions fail at once."""
    return re.compile(WORD_START + "(?:" + "|".join(f"(?:{p.pattern})" for p in patterns) + ")")


@dataclass(frozen=True)
class Rule:
    """A named group of patterns with the reply the bot gives when one matches."""

    name: str
    reply: str
    patterns: tuple[re.Pattern, ...]

    def matches(self, text: str, starts: frozenset[str] | None = None) -> bool:
        """Whether any of the patterns matches somewhere in ``text`` (see ``bot.prefilter``)."""
        return self.prefiltered.search(text, starts)

    @cached_property
    def combined(self) -> re.Pattern:
        return one_expression(self.patterns)

    @cached_property
    def prefiltered(self) -> Prefiltered:
        return Prefiltered([_unwrapped(p) for p in self.patterns], WORD_START)


@dataclass(frozen=True)
class RedFlags:
    """The emergency rules, and the phrases that ask about a risk rather than report it."""

    rules: list[Rule]
    risk_questions: tuple[re.Pattern, ...] = ()

    def words(self) -> tuple[frozenset[str], frozenset[str]]:
        """The words the red flags are spelt with ("chest", "breathe", "slurred" and "slurring" of
        "slurr(ed|ing)", "shortness" of "short(ness)?"), and the stems a pattern lets any ending
        follow ("droop" of "droop\\w*"): what a misspelt red flag is corrected toward."""
        sources = [p.pattern for rule in self.rules for p in rule.patterns]
        words = {w for source in sources for w in re.findall(r"[a-z]{3,}", re.sub(r"\\[a-zA-Z]", " ", source))}
        for source in sources:
            for start, endings in re.findall(r"([a-z]{3,})\(((?:[a-z]+\|)*[a-z]+)\)", source):
                words |= {start + ending for ending in endings.split("|")}
        starts = {start for source in sources for start in re.findall(r"(?<![a-z])([a-z]{4,})\\w[*+]", source)}
        return frozenset(words), frozenset(starts)

    def without_risk_questions(self, text: str) -> str:
        """"can dry needling cause a collapsed lung?" asks about a risk; only the rest is checked."""
        if not self.risk_questions or not self.risk_prefiltered.search(text):
            return text  # most messages ask about no risk: no need to rewrite them
        return self.risk_pattern.sub(" ", text)

    @cached_property
    def risk_pattern(self) -> re.Pattern:
        return one_expression(self.risk_questions)

    @cached_property
    def risk_prefiltered(self) -> Prefiltered:
        return Prefiltered([_unwrapped(p) for p in self.risk_questions], WORD_START)


@dataclass(frozen=True)
class SmallTalk:
    """Greetings, thanks and the like, and the filler words that may come with them ("hi again")."""

    intents: list[Rule]
    filler: frozenset[str] = frozenset()


@dataclass(frozen=True)
class HandoffTopic:
    """A topic the articles do not cover, the reply for it, and example questions of how it is asked."""

    name: str
    reply: str
    questions: tuple[str, ...]
    source: str = ""  # file and line, for staff


@dataclass
class Article:
    slug: str
    title: str
    url: str | None
    sections: list[tuple[str, str, int]]  # (heading, anchor, line)
    tags: tuple[str, ...] = ()


@dataclass
class Knowledge:
    clinic: Clinic
    passages: list[Passage]
    articles: dict[str, Article]
    synonyms: dict[str, list[str]]
    handoff: list[HandoffTopic]
    emergency: RedFlags
    smalltalk: SmallTalk
    handoff_reply: str = DEFAULT_HANDOFF
    fingerprint: str = ""
    problems: list[Problem] = field(default_factory=list)


def anchor_of(heading: str) -> str:
    """The anchor a heading gets, the way Markdown renderers make them: "1. Pain" -> "1-pain"."""
    slug = re.sub(r"[^\w\s-]", "", clean(heading)).strip()
    return re.sub(r"[\s_]+", "-", slug)


def plain(markdown: str) -> str:
    """Markdown inline markup removed, so answers read as plain sentences."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"(\*\*|__|`)", "", text)
    # List items stay marked, so an answer can keep a list with the sentence that introduces it.
    text = re.sub(r"^\s*[-*+•]\s+", "- ", text, flags=re.M)
    text = re.sub(r"^\s*(\d+[.)])\s+", r"- \1 ", text, flags=re.M)
    return re.sub(r"[ \t]+", " ", text).strip()


def fingerprint(folder: Path) -> str:
    """A hash of every knowledge file's name and bytes: the index is rebuilt when this changes."""
    digest = hashlib.sha256()
    for path in sorted(_knowledge_files(folder)):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _knowledge_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.suffix in {".md", ".yml", ".yaml"}]


class _RepeatNoticingYaml(yaml.SafeLoader):
    """A safe YAML loader that notes a key given twice in one mapping: plain YAML keeps the later
    line silently, and a member of staff who adds a synonym that is already listed further up
    would never learn why the first one stopped working. (PyYAML's own parser, not libyaml's: its
    errors name the line staff must fix, where libyaml's may name a later one.)"""

    def __init__(self, stream: str):
        super().__init__(stream)
        self.repeated: list[tuple[str, int, int]] = []  # (key, first line, later line), 1-based

    def compose_node(self, parent, index):
        """No aliases ("*name"): staff never need them, and ten lines of them nest into millions of
        values (a "billion laughs") that would stall the console and bloat every reply."""
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "an alias ('*name') is not allowed in knowledge files", mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        first_seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                line = key_node.start_mark.line + 1
                if key_node.value in first_seen:
                    self.repeated.append((key_node.value, first_seen[key_node.value], line))
                else:
                    first_seen[key_node.value] = line
        return super().construct_mapping(node, deep)


class _Loader:
    """Reads one knowledge folder, collecting every problem on the way."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.problems: list[Problem] = []
        self.examples: dict[tuple[str, str], tuple[str, int]] = {}  # (topic, example) -> (file, line)
        self.question_lines: dict[str, str] = {}  # an FAQ question -> "faq/x.md:line"

    def problem(self, path: Path | str, line: int, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(self.where(path) if isinstance(path, Path) else path, line, message, severity))

    def where(self, path: Path) -> str:
        """A file's name as staff see it: inside the knowledge folder, or the engine's default."""
        return str(path.relative_to(self.folder)) if path.is_relative_to(self.folder) else f"bot/defaults/{path.name}"

    def content_wins(self, topics: list[HandoffTopic], passages: list[Passage]) -> list[HandoffTopic]:
        """Hand-off topics without the examples an FAQ entry asks too: what staff wrote answers
        them, and a clinic's own example saying otherwise is named so it can be removed."""
        def wording(q: str) -> str:
            return " ".join(stem(w) for w in words(q))
        asked = {wording(q): (p, q) for p in passages if p.kind == "faq" for q in p.questions if words(q)}
        kept = []
        for topic in topics:
            questions = []
            for q in topic.questions:
                hit = asked.get(wording(q))
                if hit is None:
                    questions.append(q)
                    continue
                where, line = self.examples.get((topic.name, q), ("", 1))
                if not where.startswith("bot/defaults/"):
                    entry = self.question_lines.get(hit[1], hit[0].source)
                    self.problem(where, line, f"hand-off topic '{topic.name}' lists '{q}', which {entry} "
                                 "answers: the FAQ entry wins; remove the example", "warning")
            kept.append(replace(topic, questions=tuple(questions)))
        return kept

    def example_text(self, path: Path, text: str) -> None:
        """The console's template text left in an article or FAQ entry is an error until replaced."""
        for template in TEMPLATE_TEXT:
            if template in text:
                self.problem(path, _line_of(text, template), f"replace the example text '{template}' with your own")

    def layers(self, name: str) -> list[tuple[Path, dict, str]]:
        """(path, data, text) of the engine's default file and of the folder's own, in that order:
        what every clinic gets, then what this clinic adds or changes. Either may be absent."""
        out = []
        for path in (DEFAULTS / name, self.folder / name):
            data = self.read_mapping(path, required=False)
            if data:
                out.append((path, data, _text_or_empty(path)))
        return out

    # -- files -------------------------------------------------------------------------------
    def read_text(self, path: Path) -> str | None:
        if path.is_symlink():
            self.problem(path, 1, "a link to another file is not read: copy the file into the knowledge folder")
            return None
        try:
            data = path.read_bytes()
        except OSError as err:
            self.problem(path, 1, f"cannot be read: {err.strerror}")
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as err:
            line = data[: err.start].count(b"\n") + 1
            self.problem(path, line, "not UTF-8 text; save the file as UTF-8")
            return None

    def read_yaml(self, path: Path, text: str, first_line: int = 1) -> object:
        loader = _RepeatNoticingYaml(text)
        try:
            data = loader.get_single_data()
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            line = first_line + (mark.line if mark else 0)
            what = getattr(err, "problem", None) or "invalid YAML"
            hint = next((h for part, h in YAML_HINTS if part in what), "")
            self.problem(path, line, f"invalid YAML: {what}{hint}")
            return None
        finally:
            loader.dispose()
        for key, first, later in loader.repeated:
            self.problem(path, first_line + later - 1, f"'{key}' is given twice (first on line "
                         f"{first_line + first - 1}); only this later one counts", "warning")
        return data

    def read_mapping(self, path: Path, required: bool = True) -> dict | None:
        if not path.exists():
            if required:
                self.problem(path.name, 1, "file is missing")
            return None
        text = self.read_text(path)
        before = len(self.problems)
        data = None if text is None else self.read_yaml(path, text)
        if data is None and any(p.severity == "error" for p in self.problems[before:]):
            return None  # unreadable YAML: what it lacks is unknown, so nothing more is said
        if text is not None and data is not None and not isinstance(data, dict):
            self.problem(path, 1, "expected 'key: value' lines at the top level")
            return None
        return data if isinstance(data, dict) else ({} if text is not None else None)

    def split_front_matter(self, path: Path, text: str) -> tuple[dict | None, str, int]:
        """(front matter, body, line where the body starts); problems reported, never raised."""
        lines = text.splitlines()
        if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
            self.problem(path, 1, "missing front matter: the file must start with a '---' line")
            return None, text, 1
        for i in range(1, len(lines)):
            if lines[i].strip() == FRONT_MATTER_FENCE:
                meta = self.read_yaml(path, "\n".join(lines[1:i]), first_line=2)
                if meta is not None and not isinstance(meta, dict):
                    self.problem(path, 2, "front matter must be 'key: value' lines")
                    meta = None
                return meta or ({} if meta is not None else None), "\n".join(lines[i + 1 :]), i + 2
        self.problem(path, 1, "front matter is not closed: add a '---' line after it")
        return None, text, 1

    # -- parts -------------------------------------------------------------------------------
    def clinic(self) -> Clinic | None:
        path = self.folder / "clinic.yml"
        data = self.read_mapping(path)
        if data is None:
            return None
        text = _text_or_empty(path)
        for key in ("name", "phone", "email"):
            if not str(data.get(key) or "").strip():
                self.problem(path, _line_of(text, key + ":"), f"clinic details need a '{key}'")
        if data.get("email") and "@" not in str(data["email"]):
            self.problem(path, _line_of(text, "email:"), "email does not look like an address")
        known = {f for f in Clinic.__dataclass_fields__}
        for key in data:
            if key not in known:
                self.problem(path, _line_of(text, f"{key}:"), f"unknown detail '{key}'", "warning")
        if any(p.path == "clinic.yml" and p.severity == "error" for p in self.problems):
            return None
        values = {k: (str(v) if v is not None else None) for k, v in data.items() if k in known}
        values["suggested_questions"] = tuple(str(q) for q in data.get("suggested_questions") or [])
        return Clinic(**values)

    def articles(self) -> tuple[dict[str, Article], list[Passage]]:
        articles: dict[str, Article] = {}
        passages: list[Passage] = []
        for path in sorted((self.folder / "articles").glob("*.md")):
            text = self.read_text(path)
            if text is None:
                continue
            meta, body, first = self.split_front_matter(path, text)
            if meta is None:
                continue
            self.example_text(path, text)
            title = str(meta.get("title") or "").strip()
            if not title:
                self.problem(path, 2, "front matter needs a 'title'")
                continue
            url = meta.get("url")
            tags = meta.get("tags") or []
            tags = tuple(str(t) for t in (tags if isinstance(tags, list) else [tags]))
            article = Article(path.stem, title, str(url) if url else None, [], tags)
            articles[path.stem] = article
            passages.extend(self.sections(path, article, body, first))
        return articles, passages

    def sections(self, path: Path, article: Article, body: str, first: int) -> list[Passage]:
        """One passage per heading, holding the paragraphs under it."""
        blocks: list[list] = []  # [level, heading, line, text lines]
        loose: list[int] = []  # lines of text before the first heading
        for offset, line in enumerate(body.splitlines()):
            match = HEADING.match(line)
            if match:
                blocks.append([len(match.group(1)), match.group(2).strip(), first + offset, []])
            elif blocks:
                blocks[-1][3].append(line)
            elif line.strip():
                loose.append(first + offset)
        for level, heading, line, _ in blocks:
            if level == 1 and heading.casefold() != article.title.casefold():
                self.problem(path, line, f"'# {heading}' is a page title: the title is in the front matter, "
                             "and each section starts with '## Heading'", "warning")
        if not any(level > 1 for level, *_ in blocks):
            self.problem(path, loose[0] if loose else blocks[0][2] if blocks else first,
                         "article has no sections: start each section with '## Heading'")
            return []
        if loose:
            self.problem(path, loose[0], "text before the first heading is not used", "warning")
        passages = []
        for i, (level, heading, line, lines) in enumerate(blocks):
            anchor = anchor_of(heading)
            article.sections.append((heading, anchor, line))
            text = "\n".join(plain(p) for p in _paragraphs(lines))
            has_children = i + 1 < len(blocks) and blocks[i + 1][0] > level
            if not text:
                if not has_children:
                    self.problem(path, line, f"section '{heading}' is empty", "warning")
                continue
            passages.append(Passage(
                id=f"{article.slug}#{anchor}", kind="section", text=text, title=article.title,
                section=heading, article=article.slug, anchor=anchor, url=article.url,
                questions=(heading,), source=f"articles/{path.name}:{line}",
            ))
        return passages

    def faqs(self, articles: dict[str, Article]) -> list[Passage]:
        passages = []
        seen: dict[str, str] = {}
        for path in sorted((self.folder / "faq").glob("*.md")):
            text = self.read_text(path)
            if text is None:
                continue
            meta, body, first = self.split_front_matter(path, text)
            if meta is None:
                continue
            question = str(meta.get("question") or "").strip()
            answer = "\n".join(plain(p) for p in _paragraphs(body.splitlines()))
            if not question:
                self.problem(path, 2, "FAQ entry needs a 'question'")
            if not answer:
                self.problem(path, first, "FAQ entry has no answer: write it below the '---' line")
            self.example_text(path, text)
            also = meta.get("also_asked") or []
            if not isinstance(also, list):
                self.problem(path, _line_of(text, "also_asked:"), "'also_asked' must be a list ('- ...')")
                also = []
            for item in also:
                if not isinstance(item, str):
                    self.problem(path, _line_of(text, f"- {next(iter(item))}" if isinstance(item, dict) else "- "),
                                 "an 'also_asked' item is not plain text (a ': ' inside it?): put it in quotes")
            questions = tuple(q.strip() for q in [question, *also] if isinstance(q, str) and q.strip())
            for q in questions:
                key = " ".join(words(q))
                where = f"{path.relative_to(self.folder)}:{_line_of(text, q)}"
                self.question_lines.setdefault(q, where)
                if key in seen and seen[key] != where.split(":")[0]:
                    self.problem(path, _line_of(text, q), f"question '{q}' is also in {seen[key]}")
                seen.setdefault(key, where.split(":")[0])
            for retired in ("any_body_part", "same_for_anyone"):
                if retired in meta:
                    self.problem(path, _line_of(text, f"{retired}:"), f"'{retired}' is no longer used: the bot "
                                 "reads which words of a question the answer covers", "warning")
            ref = str(meta.get("section") or "")
            article, anchor, heading = self.resolve(path, text, ref, articles) if ref else (None, "", "")
            if not question or not answer or (ref and article is None):
                continue
            passages.append(Passage(
                id=f"faq/{path.stem}", kind="faq", text=answer,
                title=article.title if article else "Frequently asked questions",
                section=heading or question, article=article.slug if article else "",
                anchor=anchor, url=(article.url if article else meta.get("url")),
                questions=questions, source=f"faq/{path.name}:{first}",
            ))
        return passages

    def resolve(self, path: Path, text: str, ref: str, articles: dict[str, Article]):
        """The article section an FAQ answer comes from: its source for visitors."""
        slug, _, anchor = ref.partition("#")
        line = _line_of(text, "section:")
        article = articles.get(slug)
        if article is None:
            self.problem(path, line, f"'section' must name an article as 'article#heading'; '{ref}' "
                         f"is not one of: {', '.join(sorted(articles)) or 'none'}")
            return None, "", ""
        for heading, known_anchor, _ in article.sections:
            if known_anchor == anchor or (not anchor and heading == article.title):
                return article, known_anchor, heading
        if not anchor:
            return article, "", article.title
        self.problem(path, line, f"article '{slug}' has no heading with anchor '#{anchor}'")
        return None, "", ""

    def synonyms(self, vocabulary: set[str]) -> dict[str, list[str]]:
        """Visitor words -> the clinic's words: the engine's general ones, then the clinic's own."""
        result: dict[str, list[str]] = {}
        for path, data, text in self.layers("synonyms.yml"):
            own = path.parent == self.folder
            if not own and isinstance(data.get("groups"), list):
                data = _read_groups(data["groups"])
            for visitor, clinic in data.items():
                line = _line_of(text, f"{visitor}:")
                targets = clinic if isinstance(clinic, list) else [clinic] if clinic else []
                targets = [str(t) for t in targets if str(t).strip()]
                if not targets:
                    self.problem(path, line, f"synonym '{visitor}' maps to nothing")
                    continue
                unknown = [t for t in targets if not all(stem(w) in vocabulary for w in content_words(t))]
                if own and unknown:
                    self.problem(path, line, f"synonym '{visitor}' maps to words the knowledge never uses: "
                                 f"{', '.join(unknown)}", "warning")
                result[str(visitor)] = targets
        return result

    def handoff(self) -> tuple[list[HandoffTopic], str]:
        """Topics the articles do not cover, and the reply for anything else the bot can't answer.
        A clinic's topic replaces the engine's default topic of the same name."""
        topics: dict[str, HandoffTopic] = {}
        fallback = DEFAULT_HANDOFF
        for path, data, text in self.layers("handoff.yml"):
            if data.get("fallback"):
                fallback = self.template(path, _line_of(text, "fallback:"), str(data["fallback"]))
            for item in data.get("topics") or []:
                if not isinstance(item, dict) or not item.get("name"):
                    self.problem(path, 1, "each topic needs a 'name', a 'reply' and 'questions'")
                    continue
                line = _line_of(text, f"name: {item['name']}")
                questions = item.get("questions") or []
                if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
                    self.problem(path, line, f"topic '{item['name']}': 'questions' must be a list of questions ('- ...')")
                    questions = [q for q in questions if isinstance(q, str)] if isinstance(questions, list) else []
                if not questions:
                    self.problem(path, line, f"topic '{item['name']}' has no example questions")
                reply = self.template(path, line, str(item.get("reply") or ""))
                for retired in ("patterns", "when_told"):
                    if retired in item:
                        self.problem(path, _line_of(text, f"{retired}:"), f"'{retired}' is no longer used: the "
                                     "bot decides from the example questions and what the articles say", "warning")
                where = self.where(path)
                topics[str(item["name"])] = HandoffTopic(str(item["name"]), reply, tuple(questions), f"{where}:{line}")
                for q in questions:
                    self.examples[(str(item["name"]), q)] = (where, _line_of(text, q))
        return list(topics.values()), fallback

    def rules(self, name: str, skip: tuple[str, ...] = ()) -> list[Rule]:
        """Named pattern groups of a layered file; a clinic's group of the same name adds its patterns
        to the engine's (and may change its reply). An invalid pattern is reported."""
        rules: dict[str, Rule] = {}
        for path, data, text in self.layers(name):
            groups = {str(i.get("name")): i for i in data.get("intents") or [] if isinstance(i, dict)} \
                if "intents" in data else {k: v for k, v in data.items() if k not in skip}
            for group, spec in groups.items():
                line = _line_of(text, f"{group}:")
                if not isinstance(spec, dict):
                    self.problem(path, line, f"'{group}' needs 'patterns' and a 'reply'")
                    continue
                compiled = self.patterns(path, text, spec.get("patterns") or [])
                earlier = rules.get(group)
                reply = str(spec.get("reply") or (earlier.reply if earlier else ""))
                reply = self.template(path, line, reply)
                if not compiled and not earlier:
                    self.problem(path, line, f"'{group}' has no patterns")
                rules[group] = Rule(group, reply, (earlier.patterns if earlier else ()) + compiled)
        return list(rules.values())

    def patterns(self, path: Path, text: str, patterns: list) -> tuple[re.Pattern, ...]:
        """Regular expressions that match at word starts; an invalid one is reported and skipped."""
        compiled = []
        for pattern in patterns:
            try:
                regex = str(pattern).replace("{w}", WORD_GAP)
                compiled.append(re.compile(rf"{WORD_START}(?:{regex})"))
            except re.error as err:
                self.problem(path, _line_of(text, str(pattern)), f"pattern '{pattern}' is invalid: {err}")
        return tuple(compiled)

    def template(self, path: Path, line: int, reply: str) -> str:
        if not reply.strip():
            self.problem(path, line, "a reply is missing")
        for unknown in re.findall(r"\{(\w*)\}", reply):
            if not PLACEHOLDER.fullmatch("{" + unknown + "}"):
                self.problem(path, line, f"reply uses an unknown placeholder {{{unknown}}}; use {{name}}, {{phone}}, "
                             "{email} or {topics}", "warning")
        return reply

    def emergency(self) -> RedFlags:
        risk_questions: tuple[re.Pattern, ...] = ()
        for path, data, text in self.layers("emergency.yml"):
            asked = data.get("questions_about_risk") or []
            risk_questions += self.patterns(path, text, asked if isinstance(asked, list) else [asked])
        rules = self.rules("emergency.yml", skip=("questions_about_risk",))
        if not rules:
            self.problem("emergency.yml", 1, "no emergency patterns: the bot must recognise emergencies")
        return RedFlags(rules, risk_questions)

    def smalltalk(self) -> SmallTalk:
        filler: set[str] = set()
        for path, data, text in self.layers("smalltalk.yml"):
            words = data.get("filler") or []
            if not isinstance(words, list):
                self.problem(path, _line_of(text, "filler:"), "'filler' must be a list of words")
                continue
            filler |= {str(w).lower().strip() for w in words}
        return SmallTalk(self.rules("smalltalk.yml"), frozenset(filler))


def _read_groups(groups: list) -> dict[str, list[str]]:
    """Groups of words meaning the same ("hurt, pain, sore") as a mapping read both ways."""
    mapping: dict[str, list[str]] = {}
    for group in groups:
        members = [str(w) for w in group] if isinstance(group, list) else []
        for word in members:
            mapping.setdefault(word, [])
            mapping[word] += [w for w in members if w != word and w not in mapping[word]]
    return mapping


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank-line separated paragraphs; each list item stays a paragraph of its own."""
    paragraphs, current = [], []
    for line in lines:
        if not line.strip() or re.match(r"^\s*([-*+•]|\d+[.)])\s+", line):
            if current:
                paragraphs.append(" ".join(current))
            current = [line.strip()] if line.strip() else []
        else:
            current.append(line.strip())
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _text_or_empty(path: Path) -> str:
    """A file's text for locating lines in messages; unreadable files were reported already."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _line_of(text: str, needle: str) -> int:
    """The first line containing ``needle`` (1 when absent): good enough to point staff at it."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return 1


def covers(articles: list[Article]) -> str:
    """What the articles are about, for replies that say so: each article's first tag (or its title),
    "dry needling, orthotics and taping"."""
    names = list(dict.fromkeys((a.tags[0] if a.tags else a.title) for a in articles))
    if not names:
        return "the clinic's services"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def suggestions(passages: list[Passage], count: int = 4) -> tuple[str, ...]:
    """Questions to offer a visitor before they type, when clinic.yml names none: the FAQ entries'
    questions, then article headings that are questions and name something ("How does K-tape work?",
    not "What is it?"), one article after another."""
    asked = [p.questions[0] for p in passages if p.kind == "faq"]
    by_article: dict[str, list[str]] = {}
    for p in passages:
        if p.kind == "section" and p.section.rstrip().endswith("?") and content_words(p.section):
            by_article.setdefault(p.article, []).append(p.section.strip())
    rounds = [q for i in range(max((len(v) for v in by_article.values()), default=0))
              for v in by_article.values() if i < len(v) for q in [v[i]]]
    return tuple(dict.fromkeys(asked + rounds))[:count]


def check_knowledge(folder: str | Path) -> tuple[Knowledge | None, list[Problem]]:
    """Load a knowledge folder and report every problem; the knowledge is None when any is an error."""
    folder = Path(folder)
    loader = _Loader(folder)
    if not folder.is_dir():
        loader.problem(str(folder), 1, "knowledge folder not found")
        return None, loader.problems
    clinic = loader.clinic()
    articles, passages = loader.articles()
    passages += loader.faqs(articles)
    if not passages:
        loader.problem(str(folder), 1, "nothing to answer from: add an article in articles/ or an entry in faq/")
    handoff, fallback = loader.handoff()
    handoff = loader.content_wins(handoff, passages)
    vocabulary = {stem(w) for p in passages for t in (p.text, *p.questions) for w in content_words(t)}
    vocabulary |= {stem(w) for t in handoff for q in t.questions for w in content_words(q)}
    synonyms = loader.synonyms(vocabulary)
    emergency, smalltalk = loader.emergency(), loader.smalltalk()
    problems = loader.problems
    if clinic is None or any(p.severity == "error" for p in problems):
        return None, problems
    if not clinic.covers:
        clinic = replace(clinic, covers=covers(list(articles.values())))
    if not clinic.suggested_questions:
        clinic = replace(clinic, suggested_questions=suggestions(passages))
    knowledge = Knowledge(clinic, passages, articles, synonyms, handoff, emergency, smalltalk,
                          fallback, fingerprint(folder), problems)
    return knowledge, problems


def load_knowledge(folder: str | Path) -> Knowledge:
    """The knowledge in ``folder``; raises KnowledgeError listing every error when it is broken."""
    knowledge, problems = check_knowledge(folder)
    if knowledge is None:
        raise KnowledgeError(problems)
    return knowledge
