"""How the engine grows with real text: the clinic's knowledge, then 1,000 and 10,000 passages made
from real FAQ and clinic text, each built in a fresh process (build time, per-question median and
p99, resident memory), beside ``rank_bm25`` over the same passages in the same process.

The passages are every real one the project has: the JHU COVID-19 FAQ's and StackFAQ's answers and
the evaluation corpora's clinic articles (about 280). A bigger knowledge base repeats them the way a
clinic network's does, once per branch: the same entry for another town, its sentences in another
order, so the vocabulary grows as real content's does (random words made it balloon to 532k terms
and understated the time per question). The questions are real people's: JHU user queries,
StackFAQ rephrasings and the clinics' evaluation questions.
"""

from __future__ import annotations

import json
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SIZES = (0, 1_000, 10_000)  # 0: the clinic's own knowledge
TOWNS = ["Russell", "Embrun", "Casselman", "Limoges", "Rockland", "Orleans", "Kanata", "Barrhaven", "Nepean",
         "Stittsville", "Manotick", "Kemptville", "Carleton Place", "Almonte", "Arnprior", "Renfrew", "Perth",
         "Smiths Falls", "Brockville", "Cornwall", "Hawkesbury", "Alexandria", "Winchester", "Morrisburg",
         "Prescott", "Gananoque", "Kingston", "Napanee", "Belleville", "Trenton", "Picton", "Cobourg",
         "Peterborough", "Lindsay", "Oshawa", "Whitby", "Ajax", "Pickering", "Markham", "Newmarket"]


def real_entries() -> list[tuple[str, str, str]]:
    """(question or heading, text, title) of every real passage the project keeps."""
    from bench.retrieval import jhu, stackfaq
    from bot.evaluate import corpora

    entries = [(q, a, "FAQ") for q, a in jhu()[0] + stackfaq()[0]]
    for corpus in corpora():
        for p in corpus.load().passages:
            entries.append((p.questions[0], p.text, p.title))
    return list(dict.fromkeys(entries))


def knowledge_of(size: int):
    """The clinic's knowledge, or ``size`` passages of real text repeated per branch."""
    import dataclasses

    from bot.knowledge import Passage, load_knowledge

    base = load_knowledge(ROOT / "knowledge")
    if not size:
        return base
    entries, rng, passages = real_entries(), random.Random(7), []
    for i in range(size):
        question, text, title = entries[i % len(entries)]
        branch = i // len(entries)
        if branch:
            town = TOWNS[branch % len(TOWNS)]
            sentences = re.split(r"(?<=[.!?])\s+", text)
            rng.shuffle(sentences)
            question, text, title = f"{question} ({town})", " ".join(sentences), f"{title} · {town}"
        passages.append(Passage(id=f"faq/r{i}", kind="faq", text=text, title=title, section=question,
                                article="", anchor="", url=None, questions=(question,)))
    return dataclasses.replace(base, passages=passages, articles={})


def questions(count: int = 300) -> list[str]:
    from bench.retrieval import jhu, stackfaq
    from bot.evaluate import all_questions

    pool = list(dict.fromkeys(jhu()[1] + stackfaq()[1] + all_questions()))
    return random.Random(11).sample(pool, min(count, len(pool)))


def one(size: int) -> dict[str, float]:
    """Measured in this (fresh) process: build, per-question time, memory; rank_bm25 beside."""
    from rank_bm25 import BM25Okapi

    from bot.engine import Engine

    knowledge = knowledge_of(size)
    asked = questions()
    started = time.perf_counter()
    engine = Engine(knowledge)
    build = time.perf_counter() - started
    samples = []
    for question in asked:
        started = time.perf_counter()
        engine.reply(question)
        samples.append(time.perf_counter() - started)
    tokens = lambda text: re.findall(r"[a-z0-9]+", text.lower())  # noqa: E731 - rank_bm25's usual use
    bm25 = BM25Okapi([tokens(f"{p.questions[0]} {p.text}") for p in knowledge.passages])
    peer = []
    for question in asked:
        started = time.perf_counter()
        int(np.argmax(bm25.get_scores(tokens(question))))
        peer.append(time.perf_counter() - started)
    return {"passages": len(knowledge.passages), "vocabulary": len(engine.index.vocabulary_), "build": build,
            "median": float(np.median(samples)), "p99": float(np.percentile(samples, 99)),
            "bm25 median": float(np.median(peer)),
            "rss MB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    print("Engine scale with real text, each size built in a fresh process (uncached replies; rank_bm25 beside)")
    print(f"  {'knowledge':<14} {'passages':>8} {'vocab':>7} {'build':>8} {'median':>9} {'p99':>9}"
          f" {'rank_bm25':>10} {'ratio':>6} {'RSS':>8}")
    for size in SIZES:
        out = subprocess.run([sys.executable, "-m", "bench.scale", "--one", str(size)], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
        m = json.loads(out.strip().splitlines()[-1])
        name = "clinic" if not size else f"real {size:,}"
        print(f"  {name:<14} {m['passages']:>8,} {m['vocabulary']:>7,} {m['build']:>7.2f}s {m['median'] * 1e3:>7.2f}ms"
              f" {m['p99'] * 1e3:>7.2f}ms {m['bm25 median'] * 1e3:>8.2f}ms {m['median'] / m['bm25 median']:>5.1f}x"
              f" {m['rss MB']:>6.0f}MB")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(one(int(sys.argv[2]))))
    else:
        main()
