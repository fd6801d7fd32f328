"""Slow clients against the bot as the Procfile runs it: do they starve everyone else?

Starts gunicorn with ``gunicorn.conf.py``, measures the chat's latency alone (the baseline), then
again while ``--slow`` connections send their headers one line a second and never finish. Printed:
failed requests and p50/p99 in both phases, and their ratio. The issue's probe: 64 slow
connections for 60 s, normal clients' p99 under 1 s.

    .venv/bin/python -m bench.slowloris [--slow 64] [--seconds 60] [--worker-class gevent]
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import threading
import time
from pathlib import Path

import requests

from bench.http import start


def hold_open(port: int, until: float) -> None:
    """One slow client: a request whose headers never end."""
    try:
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(b"POST /api/chat HTTP/1.1\r\nHost: bot\r\n")
            while time.monotonic() < until:
                s.sendall(b"X-Slow: yes\r\n")
                time.sleep(1)
    except OSError:
        return


def probe(base: str, seconds: float) -> tuple[list[float], int]:
    """Chat requests one after another for ``seconds``: (latencies, failures)."""
    latencies, failures = [], 0
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        started = time.perf_counter()
        try:
            ok = requests.post(base + "/api/chat", json={"message": "does it hurt?"}, timeout=5).status_code == 200
        except requests.RequestException:
            ok = False
        latencies.append(time.perf_counter() - started)
        failures += not ok
        time.sleep(0.05)
    return sorted(latencies), failures


def percentile(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(len(values) * share))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--worker-class", default=None, help="GUNICORN_WORKER_CLASS (default: gunicorn.conf.py's)")
    args = parser.parse_args(argv)
    settings = {"GUNICORN_WORKER_CLASS": args.worker_class} if args.worker_class else {}
    with tempfile.TemporaryDirectory() as tmp:
        server, base = start(Path(tmp), "slowloris", **settings)
        port = int(base.rsplit(":", 1)[1])
        try:
            alone, alone_failed = probe(base, min(10.0, args.seconds))
            until = time.monotonic() + args.seconds
            for _ in range(args.slow):
                threading.Thread(target=hold_open, args=(port, until), daemon=True).start()
            time.sleep(1)
            under, under_failed = probe(base, args.seconds - 1)
        finally:
            server.terminate()
            server.wait()
    print(f"{args.slow} slow connections for {args.seconds:g} s ({args.worker_class or 'gunicorn.conf.py'} workers)")
    print(f"  {'phase':<16} {'requests':>8} {'failed':>7} {'p50':>9} {'p99':>9}")
    for name, values, failed in (("alone", alone, alone_failed), ("slow clients", under, under_failed)):
        print(f"  {name:<16} {len(values):>8} {failed:>7} {percentile(values, .5) * 1e3:>7.1f}ms "
              f"{percentile(values, .99) * 1e3:>7.1f}ms")
    print(f"  p99 ratio under slow clients: {percentile(under, .99) / percentile(alone, .99):.2f}x")


if __name__ == "__main__":
    main()
