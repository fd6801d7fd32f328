"""The HTTP contract of POST /api/chat and GET /healthz, through Flask's test client."""

import pytest


def ask(client, message):
    return client.post("/api/chat", json={"message": message})


def test_an_answer_has_the_documented_shape(client):
    response = ask(client, "is dry needling acupuncture?")
    assert response.status_code == 200
    body = response.get_json()
    assert body["type"] == "answer"
    assert "Western medicine" in body["answer"] and "traditional Chinese medicine" in body["answer"]
    assert 0.0 <= body["confidence"] <= 1.0
    assert body["sources"][0]["section"] == "What is Dry Needling?"
    assert body["sources"][0]["url"] == "/articles/dry-needling#what-is-dry-needling"
    assert body["contact"] == {"phone": "343-998-9229", "email": "info@russellhealth.ca"}


def test_a_handoff_carries_the_numbers_in_the_answer_itself(client):
    body = ask(client, "do you accept OHIP?").get_json()
    assert body["type"] == "handoff"
    assert "343-998-9229" in body["answer"] and "info@russellhealth.ca" in body["answer"]
    assert body["sources"] == []


def test_an_emergency_says_911(client):
    body = ask(client, "I have crushing chest pain").get_json()
    assert body["type"] == "emergency" and "911" in body["answer"]


def test_a_greeting_is_small_talk(client):
    assert ask(client, "hi").get_json()["type"] == "smalltalk"


@pytest.mark.parametrize("kwargs, status, error", [
    ({"json": {}}, 400, "'message' is missing"),
    ({"json": {"message": ""}}, 400, "'message' is empty"),
    ({"json": {"message": "   \n"}}, 400, "'message' is empty"),
    ({"json": {"message": 42}}, 400, "'message' must be a string"),
    ({"json": {"message": None}}, 400, "'message' must be a string"),
    ({"json": ["message"]}, 400, "must be a JSON object"),
    ({"json": {"message": "x" * 1001}}, 400, "longer than 1000 characters"),
    ({"json": {"message": "hi\x00there"}}, 400, "control characters"),
    ({"data": "{not json", "content_type": "application/json"}, 400, "not valid JSON"),
    ({"data": b"\xff\xfe", "content_type": "application/json"}, 400, "not valid JSON"),
    ({"data": "message=hi", "content_type": "application/x-www-form-urlencoded"}, 415, "Content-Type: application/json"),
    ({"data": '{"message": "hi"}'}, 415, "Content-Type: application/json"),
])
def test_bad_input_gets_a_4xx_json_error_that_says_what_is_wrong(client, kwargs, status, error):
    response = client.post("/api/chat", **kwargs)
    assert response.status_code == status
    assert response.is_json
    assert error in response.get_json()["error"]


def test_a_body_over_the_size_limit_is_refused_with_json(client):
    response = client.post("/api/chat", data="x" * 20000, content_type="application/json")
    assert response.status_code == 413
    assert "error" in response.get_json()


def test_wrong_method_and_unknown_route_are_json(client):
    assert client.get("/api/chat").status_code == 405
    assert client.get("/api/chat").is_json
    assert client.get("/nowhere").status_code == 404
    assert client.get("/nowhere").is_json


def test_healthz_reports_the_loaded_index(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["passages"] > 10


def test_a_broken_knowledge_folder_gives_503_not_a_crash(tmp_path):
    from conftest import make_app, write_knowledge

    folder = write_knowledge(tmp_path / "k", {"clinic.yml": "name: X\n"})
    app = make_app(tmp_path, KNOWLEDGE_DIR=str(folder))
    client = app.test_client()
    assert client.get("/healthz").status_code == 503
    response = ask(client, "hi")
    assert response.status_code == 503 and "check" in response.get_json()["error"]


def test_a_follow_up_is_read_with_the_previous_message_and_a_bad_previous_is_refused(client):
    reply = client.post("/api/chat", json={"message": "how long does that last?",
                                           "previous": "will I be sore after dry needling?"}).get_json()
    assert reply["type"] == "answer" and "24 to 48 hours" in reply["answer"]
    assert client.post("/api/chat", json={"message": "hi", "previous": "\u001c"}).status_code == 400
    assert client.post("/api/chat", json={"message": "hi", "previous": 3}).status_code == 400
    assert client.post("/api/chat", json={"message": "hi", "previous": ""}).status_code == 200
