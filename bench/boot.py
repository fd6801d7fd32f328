"""How long staff and the server wait for the bot to start: each ``flask`` command staff run, and a
gunicorn worker from process start (and from a crash) to its first answer.

Baselines in the same run: the Python interpreter starting and exiting (``python -c pass``) and
Python importing Flask, which every command pays before the bot does anything.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from bench.http import free_port, workers

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
FLASK = [PYTHON, "-m", "flask", "--app", "app"]


def seconds(command: list[str], env: dict, runs: int = 3, stdin: str | None = None) -> float:
    """Median wall time of a command, in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, capture_output=True, input=stdin, text=True, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def until_answered(url: str, deadline: float) -> float:
    """Wait for the first chat answer; the moment it came."""
    while time.monotonic() < deadline:
        try:
            if requests.post(url, json={"message": "does it hurt?"}, timeout=2).status_code == 200:
                return time.monotonic()
        except requests.RequestException:
            pass
        time.sleep(0.02)
    raise RuntimeError("no answer within the deadline")


def worker_boot(env: dict) -> tuple[float, float]:
    """(gunicorn start to first answer, a killed worker's replacement to its first answer), seconds."""
    port = free_port()
    env = {**env, "PORT": str(port), "WEB_CONCURRENCY": "1", "RATELIMIT_ENABLED": "false"}
    started = time.monotonic()
    server = subprocess.Popen([PYTHON, "-m", "gunicorn", "--config", "gunicorn.conf.py", "app:create_app()"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/api/chat"
        cold = until_answered(url, started + 60) - started
        [worker] = workers(server.pid)
        killed = time.monotonic()
        os.kill(int(worker), signal.SIGKILL)
        time.sleep(0.05)
        replaced = until_answered(url, killed + 60) - killed
        return cold, replaced
    finally:
        server.terminate()
        server.wait(20)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "INDEX_DIR": f"{tmp}/index", "INDEX_KEY_FILE": f"{tmp}/index.key",
               "DATABASE_URL": f"sqlite:///{tmp}/questions.sqlite3", "KNOWLEDGE_HISTORY_DIR": f"{tmp}/history"}
        subprocess.run([*FLASK, "reindex"], cwd=ROOT, env=env, capture_output=True, check=True)
        python = seconds([PYTHON, "-c", "pass"], env)
        flask = seconds([PYTHON, "-c", "import flask"], env)
        print(f"baselines: python starts and exits {python:.2f} s; python imports Flask {flask:.2f} s")
        commands = {"check": ["check"], "versions": ["versions"], "ask": ["ask", "does it hurt?"],
                    "ask --draft": ["ask", "--draft", "does it hurt?"], "report": ["report"],
                    "staff-password": ["staff-password", "--password", "x"],
                    "reindex (nothing changed)": ["reindex"]}
        for label, args in commands.items():
            took = seconds([*FLASK, *args], env)
            print(f"  flask {label:<26} {took:5.2f} s  ({took / flask:4.1f}x importing Flask)")
        cold, replaced = worker_boot(env)
        print(f"gunicorn start to first answer {cold:.2f} s; a killed worker's replacement to its first answer "
              f"{replaced:.2f} s")


if __name__ == "__main__":
    main()
