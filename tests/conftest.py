"""Fixtures: a tiny knowledge folder built in a temporary directory, and apps built on it."""

from __future__ import annotations

import shutil
import socket
import textwrap
import time
from functools import lru_cache
from pathlib import Path

import pytest
import requests

from app import create_app
from bot.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
CLINIC_KNOWLEDGE = ROOT / "knowledge"

TINY = {
    "clinic.yml": """\
        name: Test Physio
        phone: 555-010-0000
        email: hello@test.example
        emergency_number: "911"
        crisis_line: "9-8-8"
        hours: ~
        suggested_questions: ["Does it hurt?"]
    """,
    "articles/needling.md": """\
        ---
        title: All About Needling
        tags: [needling]
        ---

        # All About Needling

        ## What is needling?

        Needling is a treatment where a thin needle is placed in a tight muscle. It relaxes the muscle.

        ## After the session

        You may feel mild soreness for a day or two. Drink water and stretch gently.
    """,
    "faq/hurt.md": """\
        ---
        question: Does needling hurt?
        section: needling#what-is-needling
        also_asked:
          - is it painful
        ---

        Most people feel only mild discomfort when the thin needle goes in.
    """,
    "synonyms.yml": """\
        ouch: [hurt]
    """,
    "handoff.yml": """\
        fallback: "I can't answer that. Call {phone} or email {email}."
        topics:
          - name: price
            reply: "I don't have prices. Call {phone} or email {email}."
            questions: [how much does it cost, what is the price]
    """,
    "emergency.yml": """\
        crisis:
          reply: "Call or text 9-8-8 now. In danger, call 911."
          patterns: [suicid, "kill (my ?self|me)"]
        medical:
          reply: "Call 911 now."
          patterns: ["chest (?!muscles?\\\\b){w}pain", "(cant|cannot) {w}breath"]
    """,
    "smalltalk.yml": """\
        intents:
          - name: greeting
            patterns: ["(hi|hello|hey)"]
            reply: "Hello from {name}!"
          - name: thanks
            patterns: ["thanks?( you)?"]
            reply: "You're welcome."
    """,
}


def write_knowledge(folder: Path, files: dict[str, str] | None = None) -> Path:
    """Write the tiny knowledge folder (optionally with some files replaced) and return it."""
    for name, text in {**TINY, **(files or {})}.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            continue
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture
def tiny_knowledge(tmp_path: Path) -> Path:
    return write_knowledge(tmp_path / "knowledge")


@pytest.fixture
def tiny_engine(tiny_knowledge: Path) -> Engine:
    return Engine.from_folder(tiny_knowledge)


@pytest.fixture(scope="session")
def clinic_engine() -> Engine:
    """The real clinic's knowledge: built once, it is read-only."""
    return Engine.from_folder(CLINIC_KNOWLEDGE)


@pytest.fixture
def clinic_copy(tmp_path: Path) -> Path:
    """A copy of the clinic's knowledge that a test may edit."""
    return Path(shutil.copytree(CLINIC_KNOWLEDGE, tmp_path / "knowledge"))


# A clinic's own small evaluation set, and the FAQ entry that newly answers one of its hand-offs:
# what the publish gate's tests (CLI, console, browser) publish against.
SMALL_DEV = """
- {q: "does dry needling hurt?", expect: answer, contains: [mild discomfort]}
- {q: "is dry needling acupuncture?", expect: answer, contains: [traditional Chinese medicine]}
- {q: "is there parking at the clinic?", expect: handoff}
- {q: "I think I'm having a heart attack", expect: emergency}
"""
PARKING_FAQ = ("---\nquestion: Do you have parking?\nalso_asked:\n  - Is there parking at the clinic?\n---\n\n"
               "Yes: free parking behind the building.\n")


def small_eval(tmp_path: Path) -> Path:
    """``SMALL_DEV`` as the clinic's evaluation questions folder."""
    questions = tmp_path / "questions"
    questions.mkdir(exist_ok=True)
    (questions / "dev.yml").write_text(SMALL_DEV, encoding="utf-8")
    return questions


@lru_cache(maxsize=1)
def _sampled_dev() -> str:
    """Every 40th question of the clinic's dev set (about 150, every kind): what a publish in a test
    compares, in a fraction of the time of all 6,000 (which `flask --app app eval` scores)."""
    lines = [line for line in (ROOT / "tests" / "eval" / "seed" / "dev.yml").read_text().splitlines()
             if line.startswith("- ")]
    return "\n".join(lines[::40]) + "\n"


def make_app(tmp_path: Path, **config):
    """An app whose instance state (question log, published index, key, and the evaluation
    questions a publish may add confirmed answers to) lives in ``tmp_path``."""
    questions = tmp_path / "eval-questions"
    if "EVAL_QUESTIONS_DIR" not in config and not questions.exists():
        questions.mkdir()
        (questions / "dev.yml").write_text(_sampled_dev(), encoding="utf-8")
    return create_app({
        "TESTING": True,
        "KNOWLEDGE_DIR": str(CLINIC_KNOWLEDGE),
        "EVAL_QUESTIONS_DIR": str(questions),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'questions.sqlite3'}",
        "INDEX_DIR": str(tmp_path / "index"),
        "INDEX_KEY_FILE": str(tmp_path / "index.key"),
        "KNOWLEDGE_HISTORY_DIR": str(tmp_path / "knowledge-history"),
        "RATELIMIT_ENABLED": False,
        **config,
    })


@pytest.fixture
def app(tmp_path: Path):
    return make_app(tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def free_port() -> int:
    """A local port nobody listens on now, for a server a test starts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(base: str, seconds: float = 30) -> bool:
    """Wait until a server answers /healthz; False if it never did."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(base + "/healthz", timeout=1)
            return True
        except requests.RequestException:
            time.sleep(0.2)
    return False


@pytest.fixture
def browser():
    """A headless Chromium (Debian's chromium and chromium-driver), closed after the test."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1280,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()
