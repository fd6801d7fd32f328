"""Hostile and odd input: each bad request gets the right 4xx JSON, odd but valid text an ordinary
reply, and the server keeps answering. Plus property-based checks that nothing raises."""

from __future__ import annotations

import json

import pytest
from conftest import make_app
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine import REPLY_TYPES
from web.limits import RateLimit

CHAT = "/api/chat"
JSON = "application/json"


def body(message) -> bytes:
    return json.dumps({"message": message}).encode()


# (name, method, path, data, content type, expected status)
CASES = [
    ("empty body", "POST", CHAT, b"", JSON, 400),
    ("whitespace message", "POST", CHAT, body(" \t\n "), JSON, 400),
    ("empty message", "POST", CHAT, body(""), JSON, 400),
    ("1 MB body", "POST", CHAT, body("a" * 1_000_000), JSON, 413),
    ("deeply nested JSON", "POST", CHAT, b"[" * 5000 + b"]" * 5000, JSON, 400),
    ("message is a list", "POST", CHAT, b'{"message": ["hi"]}', JSON, 400),
    ("message is an object", "POST", CHAT, b'{"message": {"text": "hi"}}', JSON, 400),
    ("message is a number", "POST", CHAT, b'{"message": 12}', JSON, 400),
    ("message is null", "POST", CHAT, b'{"message": null}', JSON, 400),
    ("message is true", "POST", CHAT, b'{"message": true}', JSON, 400),
    ("top-level string", "POST", CHAT, b'"hi"', JSON, 400),
    ("top-level array", "POST", CHAT, b'["hi"]', JSON, 400),
    ("invalid UTF-8", "POST", CHAT, b'{"message": "\xff\xfe hi"}', JSON, 400),
    ("truncated JSON", "POST", CHAT, b'{"message": "hi', JSON, 400),
    ("null byte", "POST", CHAT, body("does it\x00 hurt"), JSON, 400),
    ("bell control character", "POST", CHAT, body("does it \x07hurt"), JSON, 400),
    ("lone surrogate", "POST", CHAT, b'{"message": "\\ud800 hi"}', JSON, 400),
    ("header injection", "POST", CHAT, body("hi\r\nSet-Cookie: admin=1"), JSON, 200),
    ("1001 characters", "POST", CHAT, body("a" * 1001), JSON, 400),
    ("text/plain", "POST", CHAT, b'{"message": "hi"}', "text/plain", 415),
    ("form post", "POST", CHAT, b"message=hi", "application/x-www-form-urlencoded", 415),
    ("multipart", "POST", CHAT, b"--x\r\n\r\nhi\r\n--x--", "multipart/form-data; boundary=x", 415),
    ("no content type", "POST", CHAT, b'{"message": "hi"}', None, 415),
    ("GET the chat", "GET", CHAT, None, None, 405),
    ("PUT the chat", "PUT", CHAT, body("hi"), JSON, 405),
    ("DELETE the chat", "DELETE", CHAT, None, None, 405),
    ("unknown API route", "POST", "/api/admin", body("hi"), JSON, 404),
    ("path traversal", "GET", "/static/../../etc/passwd", None, None, 404),
    ("article traversal", "GET", "/articles/..%2F..%2Fetc%2Fpasswd", None, None, 404),
    ("unknown article", "GET", "/articles/nope", None, None, 404),
    ("feedback with an injected id", "POST", "/api/feedback",
     b'{"id": "1\' OR \'1\'=\'1", "helpful": true}', JSON, 400),
    # odd but valid: an ordinary reply
    ("emoji only", "POST", CHAT, body("🙂🙂🙂"), JSON, 200),
    ("right-to-left text", "POST", CHAT, body("هل الإبر الجافة مؤلمة؟"), JSON, 200),
    ("RTL override character", "POST", CHAT, body("\u202edoes it hurt"), JSON, 200),
    ("SQL in the message", "POST", CHAT, body("'; DROP TABLE questions; --"), JSON, 200),
    ("shell in the message", "POST", CHAT, body("$(rm -rf /) `id` | cat /etc/passwd"), JSON, 200),
    ("script in the message", "POST", CHAT, body("<script>alert(1)</script> does it hurt"), JSON, 200),
    ("exactly 1000 characters", "POST", CHAT, body("a" * 1000), JSON, 200),
    ("extra fields", "POST", CHAT, b'{"message": "hi", "admin": true}', JSON, 200),
    ("JSON with a charset", "POST", CHAT, body("does it hurt?"), "application/json; charset=utf-8", 200),
]


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("hostile")).test_client()


@pytest.mark.parametrize("name, method, path, data, content_type, status", CASES, ids=[c[0] for c in CASES])
def test_each_bad_request_gets_the_right_response_and_the_server_keeps_answering(
        hostile_client, name, method, path, data, content_type, status):
    headers = {"Content-Type": content_type} if content_type else {}
    response = hostile_client.open(path, method=method, data=data, headers=headers)
    assert response.status_code == status
    assert response.is_json, response.get_data()[:200]
    payload = response.get_json()
    if status == 200:
        assert payload["type"] in REPLY_TYPES and payload["answer"]
    else:
        assert payload["error"] and "Traceback" not in payload["error"]
    assert "Set-Cookie" not in response.headers
    assert hostile_client.post(CHAT, json={"message": "does it hurt?"}).get_json()["type"] == "answer"


def test_there_are_at_least_thirty_hostile_cases():
    assert len(CASES) >= 30


def test_every_response_carries_the_security_headers(hostile_client):
    for path in ("/", "/chat", "/healthz", "/widget.js", "/nowhere", "/articles/dry-needling"):
        headers = hostile_client.get(path).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_only_the_chat_page_may_be_framed_and_only_by_allowed_sites(tmp_path):
    client = make_app(tmp_path, ALLOWED_EMBED_ORIGINS=["https://russellhealth.ca"]).test_client()
    assert "frame-ancestors 'self' https://russellhealth.ca" in client.get("/chat").headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in client.get("/").headers["Content-Security-Policy"]


def test_too_many_messages_get_a_429_json_with_retry_after(tmp_path):
    client = make_app(tmp_path, RATELIMIT_ENABLED=True, CHAT_RATE_LIMIT="3 per minute").test_client()
    statuses = [client.post(CHAT, json={"message": "hi"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.post(CHAT, json={"message": "hi"})
    assert response.is_json and "too many" in response.get_json()["error"]
    assert int(response.headers["Retry-After"]) > 0
    assert client.get("/healthz").status_code == 200  # the limit is on the chat only


def test_feedback_has_a_limit_of_its_own_and_never_waits_for_the_database(tmp_path):
    client = make_app(tmp_path, RATELIMIT_ENABLED=True, FEEDBACK_RATE_LIMIT="2 per minute").test_client()
    statuses = [client.post("/api/feedback", json={"id": "ab" * 16, "helpful": True}).status_code for _ in range(3)]
    assert statuses == [204, 204, 429]
    assert client.post(CHAT, json={"message": "hi"}).status_code == 200  # the chat's own count is untouched


def test_the_in_memory_limit_counts_per_client_and_forgets_an_ended_window(monkeypatch):
    limit = RateLimit("2 per minute", "memory://")
    now = [1000.0]
    monkeypatch.setattr("web.limits.time.time", lambda: now[0])
    assert [limit.retry_after("a") for _ in range(3)] == [None, None, 60]
    assert limit.retry_after("b") is None  # another visitor has a count of their own
    now[0] += 61
    assert limit.retry_after("a") is None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_the_engine_never_raises_and_always_gives_a_valid_reply(clinic_engine, text):
    reply = clinic_engine.ask(text)
    assert reply.type in REPLY_TYPES
    assert reply.answer.strip()
    assert 0.0 <= reply.confidence <= 1.0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=1200), st.integers(), st.none(), st.lists(st.text(max_size=5), max_size=3),
                 st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3)))
def test_the_api_answers_any_json_message_with_200_or_a_4xx(hostile_client, message):
    response = hostile_client.post(CHAT, json={"message": message})
    assert response.status_code in (200, 400)
    assert response.is_json
