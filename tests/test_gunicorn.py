"""The real app under gunicorn, asked over HTTP the way the widget asks it."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from conftest import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    instance = tmp_path_factory.mktemp("instance")
    env = {**os.environ, "PORT": str(port), "WEB_CONCURRENCY": "2",
           "DATABASE_URL": f"sqlite:///{instance / 'questions.sqlite3'}",
           "INDEX_DIR": str(instance / "index"), "INDEX_KEY_FILE": str(instance / "index.key"), "RATELIMIT_ENABLED": "false"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen([str(gunicorn), "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
                                "app:create_app()"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/healthz", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("gunicorn did not start: " + process.stdout.read().decode(errors="replace"))
    yield base
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


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
