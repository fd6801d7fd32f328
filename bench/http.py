"""HTTP throughput and latency of POST /api/chat beside GET /healthz, under gunicorn, with wrk.

Both endpoints are loaded on the same server in the same run (64 connections, 2 wrk threads, the same
wrk script for both so the load tool's own work per request is alike), in alternating short rounds; the
ratio of each round's pair is reported as a median, since this shared machine's speed drifts between
rounds. Beside throughput, the server's own CPU time per request (from /proc) is compared, which does
not depend on how much CPU the load tool took. Then the chat load is repeated and each worker's
resident memory is read after every round, to show it does not grow.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from bot.engine import Settings
from bot.evaluate import all_questions

ROOT = Path(__file__).resolve().parent.parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SCRIPT = ROOT / "bench" / "requests.lua"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def median_run(runs: list[dict]) -> dict[str, float]:
    return {k: float(statistics.median(r[k] for r in runs)) for k in runs[0]}


def workers(master: int) -> list[str]:
    """The process ids of a gunicorn master's workers."""
    return subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()


def server_cpu_seconds(master: int) -> float:
    """CPU time (user + system) used so far by the gunicorn master and its workers."""
    ticks = 0
    for pid in [str(master), *workers(master)]:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def wrk(server: subprocess.Popen, base: str, endpoint: str, seconds: int = SECONDS) -> dict[str, float]:
    """Requests per second, latency percentiles (ms) and server CPU per request (ms) from one wrk run
    of ``endpoint`` ("chat" or "health")."""
    args = ["wrk", "-t2", "-c64", f"-d{seconds}s", "--latency", "-s", str(SCRIPT), base + "/", "--", endpoint]
    cpu = server_cpu_seconds(server.pid)
    run = subprocess.run(args, capture_output=True, text=True)
    cpu = server_cpu_seconds(server.pid) - cpu
    if run.returncode:
        raise RuntimeError(f"wrk failed: {run.stderr or run.stdout}")
    out = run.stdout
    unit = {"us": 1e-3, "ms": 1.0, "s": 1e3}

    def latency(pct: str) -> float:
        value, suffix = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * unit[suffix]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": latency("50"),
            "p99": latency("99"), "non2xx": int(errors.group(1)) if errors else 0, "cpu": cpu / total * 1e3}


def worker_rss(master: int) -> list[int]:
    """Resident memory (MiB) of each gunicorn worker of the master process."""
    sizes = []
    for pid in workers(master):
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) // 1024)
    return sorted(sizes)


def start(tmp: Path, name: str, **settings: str) -> tuple[subprocess.Popen, str]:
    """A gunicorn server with the Procfile's settings, its state in ``tmp``; returns it and its URL."""
    port = free_port()
    # The rate limit stays on (its cost is part of the chat's), raised above what one load tool sends.
    env = {**os.environ, "PORT": str(port), "CHAT_RATE_LIMIT": "10000000 per minute",
           "DATABASE_URL": f"sqlite:///{tmp / name}.db", "INDEX_DIR": str(tmp / "index"),
           "INDEX_KEY_FILE": str(tmp / "index.key"), **settings}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen([str(gunicorn), "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
                               "--access-logfile", "/dev/null", "app:create_app()"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            requests.get(base + "/healthz", timeout=1)
            break
        except requests.RequestException:
            time.sleep(0.2)
    return server, base


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (bin/bench installs Debian's wrk)")
    tmp = Path(tempfile.mkdtemp())
    # Well under what the reply cache holds: cycling through more questions than it keeps evicts each
    # one before it comes round again, and "cached" would measure only misses.
    questions = all_questions()[: Settings().cache_size // 2]
    (tmp / "questions.jsonl").write_text("".join(json.dumps({"message": q}) + "\n" for q in questions))
    os.environ["QUESTIONS_FILE"] = str(tmp / "questions.jsonl")
    server, base = start(tmp, "cached")
    uncached, uncached_base = start(tmp, "uncached", REPLY_CACHE_SIZE="0")
    try:
        worker_count = os.environ.get("WEB_CONCURRENCY", "2")
        print(f"HTTP under gunicorn ({worker_count} gevent workers, gunicorn.conf.py), wrk 2 threads, 64 connections; "
              f"{ROUNDS} alternating {SECONDS}s rounds; {os.cpu_count()} CPU cores shared with wrk")
        # Warm-up: each worker's first requests are slower, and the reply cache fills on its first pass.
        for endpoint in ("health", "chat"):
            wrk(server, base, endpoint, seconds=2)
            wrk(uncached, uncached_base, endpoint, seconds=2)
        runs: dict[str, list[dict]] = {"health": [], "chat": [], "uncached": []}
        for _ in range(ROUNDS):  # alternate short runs so the endpoints share the machine's noise
            runs["health"].append(wrk(server, base, "health"))
            runs["chat"].append(wrk(server, base, "chat"))
            runs["uncached"].append(wrk(uncached, uncached_base, "chat"))
        print(f"  {'endpoint':<16} {'req/s':>7} {'p50':>9} {'p99':>9} {'non-2xx':>8} {'server CPU':>11}"
              f" {'req/s vs healthz':>17} {'CPU vs healthz':>15}")
        for name, key in (("GET /healthz", "health"), ("POST /api/chat", "chat"), ("  ... no cache", "uncached")):
            m = median_run(runs[key])
            rps_ratio = statistics.median(r["rps"] / h["rps"] for r, h in zip(runs[key], runs["health"]))
            cpu_ratio = statistics.median(h["cpu"] / r["cpu"] for r, h in zip(runs[key], runs["health"]))
            print(f"  {name:<16} {m['rps']:>7.0f} {m['p50']:>7.2f}ms {m['p99']:>7.2f}ms {m['non2xx']:>8.0f}"
                  f" {m['cpu']:>9.2f}ms {rps_ratio:>17.0%} {cpu_ratio:>15.0%}")
        print(f"  (chat: the {len(questions)} evaluation questions in turn; 'no cache': REPLY_CACHE_SIZE=0; "
              "ratios: medians of each round's pair; CPU: the server's CPU time per request, as a share "
              "of healthz's)")
        rss = [worker_rss(server.pid)]
        for _ in range(2):
            wrk(server, base, "chat")
            rss.append(worker_rss(server.pid))
        print("  worker RSS after each chat load (MiB): " + " -> ".join("/".join(map(str, r)) for r in rss)
              + f"; growth {max(rss[-1]) - max(rss[0]):+d} MiB")
    finally:
        for process in (server, uncached):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
