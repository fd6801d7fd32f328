"""The real app under gunicorn, asked over HTTP the way the widget asks it."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from conftest import ROOT, free_port, wait_for

from bench.slowloris import hold_open


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    instance = tmp_path_factory.mktemp("instance")
    env = {**os.environ, "PORT": str(port), "WEB_CONCURRENCY": "2",
           "DATABASE_URL": f"sqlite:///{instance / 'questions.sqlite3'}",
           "INDEX_DIR": str(instance / "index"), "INDEX_KEY_FILE": str(instance / "index.key"), "RATELIMIT_ENABLED": "false"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = (instance / "gunicorn.log").open("w")  # a file, not a pipe nobody reads: a full pipe blocks the server
    process = subprocess.Popen([str(gunicorn), "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
                                "app:create_app()"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    if not wait_for(base):
        process.kill()
        pytest.fail("gunicorn did not start: " + (instance / "gunicorn.log").read_text(errors="replace"))
    yield base
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    log.close()
    # After every test of the module: the access log named requests, and no client's address.
    access = [line for line in (instance / "gunicorn.log").read_text(errors="replace").splitlines() if '" 200 ' in line]
    assert any('"GET /healthz" 200' in line for line in access)
    assert not any("127.0.0.1" in line for line in access)


def chat(server, message):
    return requests.post(server + "/api/chat", json={"message": message}, timeout=10)


def test_acupuncture_question_is_answered_with_the_difference(server):
    body = chat(server, "is dry needling acupuncture?").json()
    assert body["type"] == "answer"
    assert "Western medicine" in body["answer"] and "traditional Chinese medicine" in body["answer"]


def test_ohip_is_handed_off_with_phone_and_email(server):
    body = chat(server, "do you accept OHIP?").json()
    assert body["type"] == "handoff"
    assert "343-998-9229" in body["answer"] and "info@russellhealth.ca" in body["answer"]


def test_crushing_chest_pain_is_an_emergency(server):
    body = chat(server, "I have crushing chest pain").json()
    assert body["type"] == "emergency" and "911" in body["answer"]


def test_hi_is_small_talk(server):
    assert chat(server, "hi").json()["type"] == "smalltalk"


def test_an_empty_object_is_a_400_json_error(server):
    response = requests.post(server + "/api/chat", json={}, timeout=10)
    assert response.status_code == 400
    assert response.json() == {"error": "'message' is missing"}


def test_no_server_version_leaks(server):
    response = requests.get(server + "/healthz", timeout=10)
    assert response.headers["Server"] == "clinic-bot"
    assert "gunicorn" not in str(response.headers).lower()


@pytest.mark.parametrize("request_bytes, status", [
    (b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: bot\r\n\r\n", 414),
    (b"GET / HTTP/1.1\r\nHost: bot\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(60)) + b"\r\n", 431),
    (b"GET / HTTP/1.1\r\nHost: bot\r\nX-Big: " + b"y" * 9000 + b"\r\n\r\n", 431),
    (b"NOT A REQUEST\r\n\r\n", 400),
])
def test_requests_gunicorn_itself_rejects_get_a_json_error_too(server, request_bytes, status):
    port = int(server.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(request_bytes)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 %d" % status) and b"application/json" in head
    assert json.loads(body)["error"]


def test_a_chunked_body_is_read_like_any_other_and_held_to_the_same_limit(server):
    def body(size):
        yield b'{"message": "does it hurt?'
        yield b" " * size
        yield b'"}'

    small = requests.post(server + "/api/chat", data=body(10), headers={"Content-Type": "application/json"}, timeout=10)
    assert small.status_code == 200 and small.json()["type"] == "answer"
    huge = requests.post(server + "/api/chat", data=body(100_000), headers={"Content-Type": "application/json"},
                         timeout=10)
    assert huge.status_code == 413 and huge.json()["error"]
    port = int(server.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"POST /api/chat HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
                  b"Transfer-Encoding: chunked\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n")
        answer = b""
        while b"}" not in answer and (chunk := s.recv(65536)):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 400") and b'"error"' in answer


def test_slow_clients_that_never_finish_their_headers_do_not_stop_the_chat(server):
    """A slowloris: 64 connections sending a header line a second. Each holds a greenlet, not a
    worker thread, so every visitor's question is still answered at once (bench/slowloris.py runs
    the 60-second version)."""
    port = int(server.rsplit(":", 1)[1])
    until = time.monotonic() + 5
    slow = [threading.Thread(target=hold_open, args=(port, until), daemon=True) for _ in range(64)]
    for thread in slow:
        thread.start()
    time.sleep(1)
    waits = []
    while time.monotonic() < until:
        started = time.perf_counter()
        assert chat(server, "does it hurt?").status_code == 200
        waits.append(time.perf_counter() - started)
    assert len(waits) > 10 and sorted(waits)[len(waits) // 2] < 0.5  # a stalled chat would answer a handful


def test_schema_driven_fuzzing_finds_no_server_error_or_contract_break(server, tmp_path):
    schemathesis = Path(sys.executable).with_name("schemathesis")
    result = subprocess.run(
        [str(schemathesis), "run", server + "/openapi.yaml", "--checks", "all", "--max-time", "25",
         "--exclude-checks", "use_after_free,ensure_resource_availability,ignored_auth,object_level_authorization",
         "--report", "junit", "--report-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout[-3000:]


def test_a_knowledge_folder_that_cannot_be_read_stops_start_up_with_one_line(tmp_path):
    env = {**os.environ, "PORT": str(free_port()), "KNOWLEDGE_DIR": str(tmp_path / "missing"),
           "INDEX_DIR": str(tmp_path / "index"), "INDEX_KEY_FILE": str(tmp_path / "index.key")}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = subprocess.run([str(gunicorn), "--config", "gunicorn.conf.py", "app:create_app()"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "clinic-bot cannot start:" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def children(pid: int) -> list[int]:
    """The process ids of a gunicorn master's workers."""
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


@contextmanager
def gunicorn_server(tmp_path):
    """gunicorn as the Procfile runs it, two workers, state in ``tmp_path``: (process, base URL)."""
    port = free_port()
    env = {**os.environ, "PORT": str(port), "WEB_CONCURRENCY": "2", "RATELIMIT_ENABLED": "false",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'q.sqlite3'}", "INDEX_DIR": str(tmp_path / "index"),
           "INDEX_KEY_FILE": str(tmp_path / "index.key")}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen([str(gunicorn), "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
                                "app:create_app()"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(base)
        yield process, base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


@contextmanager
def visitors(base, count=4):
    """Visitors asking one question after another while the block runs: their outcomes, in order."""
    outcomes: list[bool] = []
    stop = threading.Event()

    def visitor():
        session = requests.Session()
        while not stop.is_set():
            try:
                outcomes.append(session.post(base + "/api/chat", json={"message": "does it hurt?"}, timeout=10).ok)
            except requests.RequestException:
                outcomes.append(False)

    threads = [threading.Thread(target=visitor) for _ in range(count)]
    for t in threads:
        t.start()
    try:
        time.sleep(1)
        yield outcomes
    finally:
        stop.set()
        for t in threads:
            t.join()


def test_a_worker_killed_under_load_is_replaced_and_only_in_flight_requests_fail(tmp_path):
    with gunicorn_server(tmp_path) as (process, base), visitors(base) as outcomes:
        workers = children(process.pid)
        os.kill(workers[0], signal.SIGKILL)
        killed_at = len(outcomes)
        deadline = time.monotonic() + 20  # the master notices, forks a new worker, which boots
        while time.monotonic() < deadline and (len(children(process.pid)) < 2 or workers[0] in children(process.pid)):
            time.sleep(0.2)
        time.sleep(2)
        after = children(process.pid)
    failed = outcomes.count(False)
    assert len(after) == 2 and workers[0] not in after  # replaced
    assert failed <= 4  # at most the requests in flight (4 visitors, one each)
    assert all(outcomes[killed_at + 40:])  # and then everything works again


def test_a_reload_with_sighup_fails_no_request(tmp_path):
    """``kill -HUP`` (a new config, new code) starts new workers and lets the old ones finish:
    visitors asking all the while get every answer."""
    with gunicorn_server(tmp_path) as (process, base):
        before = children(process.pid)
        with visitors(base) as outcomes:
            process.send_signal(signal.SIGHUP)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and set(children(process.pid)) & set(before):
                time.sleep(0.2)
            time.sleep(1)
        after = children(process.pid)
    assert len(after) == 2 and not set(after) & set(before)  # every worker was replaced
    assert len(outcomes) > 50 and all(outcomes)
