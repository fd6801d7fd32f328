"""Retraining as a safe publish: gate on the evaluation, signed artifact, live swap, fallbacks."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from conftest import PARKING_FAQ, ROOT, free_port, make_app, small_eval, wait_for

from bot import artifact
from bot.engine import Engine
from bot.knowledge import load_knowledge
from bot.startup import startup_problem


def reindex(app, *args):
    return app.test_cli_runner().invoke(args=["reindex", *args])


def test_the_first_start_publishes_the_checked_folder_and_reindex_each_change(tmp_path, clinic_copy):
    app = make_app(tmp_path, KNOWLEDGE_DIR=str(clinic_copy))
    first = json.loads((tmp_path / "index" / artifact.current_name(tmp_path / "index")).read_text())
    assert first["by"] == "first start" and first["changes"] == ["first version: 1 article(s), 23 FAQ entries"]
    assert "nothing to do" in reindex(app).output
    assert "nothing to do" in reindex(app, "--force").output  # forced, the same files are not published again
    clinic = clinic_copy / "clinic.yml"
    clinic.write_text(clinic.read_text().replace("343-998-9229", "613-555-0100"))
    result = reindex(app)
    assert result.exit_code == 0, result.output
    assert "passages" in result.output and "vocabulary" in result.output and "eval dev" in result.output
    assert "calibrated" in result.output
    name = artifact.current_name(tmp_path / "index")
    data = json.loads((tmp_path / "index" / name).read_text())
    assert name == f"index-{data['fingerprint'][:16]}.json"
    assert set(data["versions"]) == {"format", "python", "scikit-learn", "nltk"}
    assert data["signature"] and data["evaluation"]["dev"] > 0.7
    assert data["calibration"]["matched"] > 0  # measured once at publish, carried to every worker
    assert data["changes"] == ["edited clinic details, synonyms or hand-off topics"]


def test_a_first_start_with_errors_in_the_folder_refuses_with_one_line_and_serves_nothing(tmp_path, clinic_copy):
    (clinic_copy / "faq" / "broken.md").write_text("---\nquestion: [oops\n---\n")
    problem = startup_problem(clinic_copy, tmp_path / "index", tmp_path / "index.key")
    assert problem.startswith("nothing is published yet and the knowledge folder") and "1 error(s)" in problem
    response = make_app(tmp_path, KNOWLEDGE_DIR=str(clinic_copy)).test_client().post("/api/chat", json={"message": "hi"})
    assert response.status_code == 503 and artifact.current_name(tmp_path / "index") is None


def test_the_app_serves_what_was_published_not_unpublished_edits(tmp_path, clinic_copy):
    assert reindex(make_app(tmp_path, KNOWLEDGE_DIR=str(clinic_copy))).exit_code == 0
    clinic = clinic_copy / "clinic.yml"
    clinic.write_text(clinic.read_text().replace("343-998-9229", "613-555-0100"))
    client = make_app(tmp_path, KNOWLEDGE_DIR=str(clinic_copy)).test_client()
    assert client.post("/api/chat", json={"message": "hi"}).get_json()["contact"]["phone"] == "343-998-9229"


@pytest.fixture
def gated(tmp_path, clinic_copy):
    """An app with a small evaluation set of its own, and the clinic's knowledge published."""
    app = make_app(tmp_path, KNOWLEDGE_DIR=str(clinic_copy), EVAL_QUESTIONS_DIR=str(small_eval(tmp_path)))
    assert reindex(app).exit_code == 0
    return app


def test_a_new_fact_that_answers_a_handed_off_question_publishes_once_confirmed(gated, tmp_path, clinic_copy):
    (clinic_copy / "faq" / "parking.md").write_text(PARKING_FAQ)
    unconfirmed = reindex(gated)
    assert unconfirmed.exit_code == 1
    assert "newly answered (to confirm): 1" in unconfirmed.output
    assert "'is there parking at the clinic?': handoff -> answer" in unconfirmed.output
    assert "faq/parking», which this publish adds or changes" in unconfirmed.output
    assert "what changed: added faq/parking.md" in unconfirmed.output
    published = reindex(gated, "--yes", "--by", "maria")
    assert published.exit_code == 0, published.output
    confirmed = (tmp_path / "questions" / "confirmed.yml").read_text()
    assert "is there parking at the clinic?" in confirmed and "free parking behind the building" in confirmed
    assert "by: maria" in confirmed
    # The confirmed answer is now part of the evaluation: losing it is a regression.
    (clinic_copy / "faq" / "parking.md").unlink()
    lost = reindex(gated)
    assert lost.exit_code == 1 and "REGRESSIONS (block the publish): 1" in lost.output
    assert "'is there parking at the clinic?': answer -> handoff; was right (answer)" in lost.output
    assert "«faq/parking» was removed or renamed in this publish" in lost.output


def test_a_right_answer_that_would_be_lost_blocks_the_publish_unless_forced(gated, tmp_path, clinic_copy):
    published = artifact.current_name(tmp_path / "index")
    (clinic_copy / "faq" / "does-it-hurt.md").unlink()
    (clinic_copy / "articles" / "dry-needling.md").write_text(
        (clinic_copy / "articles" / "dry-needling.md").read_text().replace("mild discomfort", "a little pressure"))
    refused = reindex(gated)
    assert refused.exit_code == 1
    assert "'does dry needling hurt?': answer -> answer; was right (answer), now answer lacks ['mild discomfort']; " \
        "«faq/does-it-hurt» was removed or renamed in this publish" in refused.output
    assert "not published: 1 question(s) that were answered right would now be answered wrong" in refused.output
    assert artifact.current_name(tmp_path / "index") == published
    assert reindex(gated, "--force").exit_code == 0
    assert artifact.current_name(tmp_path / "index") != published


def test_published_versions_say_when_who_and_what_and_any_can_be_rolled_back_to(gated, tmp_path, clinic_copy):
    first = artifact.current_name(tmp_path / "index")
    (clinic_copy / "faq" / "parking.md").write_text(PARKING_FAQ)
    assert reindex(gated, "--yes", "--by", "maria").exit_code == 0
    listed = gated.test_cli_runner().invoke(args=["versions"]).output.splitlines()
    assert listed[0].startswith("* index-") and "by maria: added faq/parking.md" in listed[0]
    assert listed[1].startswith(f"  {first}  20") and "first version: 1 article(s), 23 FAQ entries" in listed[1]
    rolled = gated.test_cli_runner().invoke(args=["rollback", first])
    assert rolled.exit_code == 0 and artifact.current_name(tmp_path / "index") == first
    unknown = gated.test_cli_runner().invoke(args=["rollback", "../../etc/passwd"])
    assert unknown.exit_code == 1 and "no published version named" in unknown.output


def test_old_versions_are_pruned_beyond_the_configured_count(tmp_path, clinic_copy):
    for n in range(4):
        artifact.publish(Engine.from_folder(clinic_copy).knowledge if n == 0 else _edited(clinic_copy, n),
                         tmp_path / "index", b"key", keep=3)
    files = sorted(p.name for p in (tmp_path / "index").glob("index-*.json"))
    assert len(files) == 3 and artifact.current_name(tmp_path / "index") in files


def _edited(folder, n):
    (folder / "faq" / "extra.md").write_text(f"---\nquestion: Extra question {n}?\n---\nExtra answer {n}.\n")
    return load_knowledge(folder)


def test_a_knowledge_folder_with_errors_is_never_published(tmp_path, clinic_copy):
    (clinic_copy / "faq" / "broken.md").write_text("---\nquestion: [oops\n---\n")
    result = reindex(make_app(tmp_path, KNOWLEDGE_DIR=str(clinic_copy)))
    assert result.exit_code == 1
    assert "faq/broken.md:2: error" in result.output
    assert artifact.current_name(tmp_path / "index") is None


def _damage(path, damage, tmp_path):
    if damage == "corrupt":
        path.write_text(path.read_text()[:500])
    elif damage == "foreign key":
        knowledge, _ = artifact.load(tmp_path / "index", artifact.signing_key(tmp_path / "index.key"), path.name)
        artifact.publish(knowledge, tmp_path / "index", b"someone else's key")
    else:
        data = json.loads(path.read_text())
        data["versions"]["format"] = "999"
        path.write_text(json.dumps(data))


@pytest.mark.parametrize("damage", ["corrupt", "foreign key", "other format"])
def test_a_refused_index_gives_way_to_the_last_one_that_verifies_never_to_the_folder(tmp_path, clinic_copy, caplog,
                                                                                     damage):
    app = make_app(tmp_path, KNOWLEDGE_DIR=str(clinic_copy))
    assert reindex(app).exit_code == 0
    clinic = clinic_copy / "clinic.yml"
    clinic.write_text(clinic.read_text().replace("343-998-9229", "613-555-0100"))
    assert reindex(app, "--force").exit_code == 0
    _damage(tmp_path / "index" / artifact.current_name(tmp_path / "index"), damage, tmp_path)
    clinic.write_text(clinic.read_text().replace("613-555-0100", "613-555-0199"))  # an edit nobody published
    with caplog.at_level(logging.ERROR):
        restarted = make_app(tmp_path, KNOWLEDGE_DIR=str(clinic_copy))
    assert any("published index refused" in r.getMessage() for r in caplog.records)
    response = restarted.test_client().post("/api/chat", json={"message": "hi"})
    assert response.status_code == 200 and response.get_json()["contact"]["phone"] == "343-998-9229"


def test_when_no_published_index_verifies_the_bot_says_so_and_serves_nothing_unchecked(tmp_path, clinic_copy):
    app = make_app(tmp_path, KNOWLEDGE_DIR=str(clinic_copy))
    assert reindex(app).exit_code == 0
    _damage(tmp_path / "index" / artifact.current_name(tmp_path / "index"), "corrupt", tmp_path)
    response = make_app(tmp_path, KNOWLEDGE_DIR=str(clinic_copy)).test_client().post("/api/chat", json={"message": "hi"})
    assert response.status_code == 503
    assert startup_problem(clinic_copy, tmp_path / "index", tmp_path / "index.key").startswith(
        "no published index can be served")


def test_a_lost_signing_key_is_an_error_never_a_new_key(tmp_path, clinic_copy):
    app = make_app(tmp_path, KNOWLEDGE_DIR=str(clinic_copy))
    assert reindex(app).exit_code == 0
    (tmp_path / "index.key").unlink()
    assert "no published index can be served" in startup_problem(clinic_copy, tmp_path / "index", tmp_path / "index.key")
    refused = reindex(app)
    assert refused.exit_code == 1 and "signing key" in refused.output and not (tmp_path / "index.key").exists()
    assert reindex(app, "--new-key").exit_code == 0 and (tmp_path / "index.key").exists()


def test_a_running_worker_swaps_to_a_new_index_and_refuses_a_bad_one(tmp_path, clinic_copy, caplog):
    app = make_app(tmp_path, KNOWLEDGE_DIR=str(clinic_copy), INDEX_CHECK_SECONDS=0)
    client = app.test_client()
    holder = app.extensions["clinic_bot"]
    clinic = clinic_copy / "clinic.yml"
    clinic.write_text(clinic.read_text().replace("343-998-9229", "613-555-0100"))
    assert reindex(app, "--force").exit_code == 0
    deadline = time.monotonic() + 10
    while holder.engine.knowledge.clinic.phone != "613-555-0100" and time.monotonic() < deadline:
        client.get("/healthz")
        time.sleep(0.05)
    assert client.post("/api/chat", json={"message": "hi"}).get_json()["contact"]["phone"] == "613-555-0100"
    (tmp_path / "index" / "index-bad.json").write_text("{not json")
    (tmp_path / "index" / "CURRENT").write_text("index-bad.json\n")
    with caplog.at_level(logging.ERROR):
        for _ in range(20):
            client.get("/healthz")
            time.sleep(0.05)
    assert any("published index refused" in r.getMessage() for r in caplog.records)
    assert client.post("/api/chat", json={"message": "hi"}).get_json()["contact"]["phone"] == "613-555-0100"


def test_every_gunicorn_worker_swaps_under_load_without_a_failed_request(tmp_path, clinic_copy):
    port = free_port()
    env = {**os.environ, "PORT": str(port), "WEB_CONCURRENCY": "2", "KNOWLEDGE_DIR": str(clinic_copy),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'q.sqlite3'}", "INDEX_DIR": str(tmp_path / "index"),
           "INDEX_KEY_FILE": str(tmp_path / "index.key"), "INDEX_CHECK_SECONDS": "0.5", "RATELIMIT_ENABLED": "false"}
    bin_dir = Path(sys.executable).parent
    subprocess.run([str(bin_dir / "flask"), "--app", "app", "reindex"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    server = subprocess.Popen([str(bin_dir / "gunicorn"), "--config", "gunicorn.conf.py", "--bind",
                               f"127.0.0.1:{port}", "app:create_app()"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(base)
        results: list[tuple[int, str]] = []
        stop = threading.Event()

        def visitor():
            session = requests.Session()
            while not stop.is_set():
                try:
                    r = session.post(base + "/api/chat", json={"message": "what is your phone number"}, timeout=10)
                    results.append((r.status_code, r.json()["contact"]["phone"]))
                except requests.RequestException as err:
                    results.append((0, type(err).__name__))

        threads = [threading.Thread(target=visitor) for _ in range(8)]
        for t in threads:
            t.start()
        time.sleep(1)
        clinic = clinic_copy / "clinic.yml"
        clinic.write_text(clinic.read_text().replace("343-998-9229", "613-555-0100"))
        subprocess.run([str(bin_dir / "flask"), "--app", "app", "reindex", "--force"], cwd=ROOT, env=env,
                       check=True, capture_output=True)
        swapped_at = len(results)
        time.sleep(4)
        stop.set()
        for t in threads:
            t.join()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    failures = [r for r in results if r[0] != 200]
    assert failures == []
    assert len(results) > 100
    late = results[swapped_at + (len(results) - swapped_at) // 2:]
    assert {phone for _, phone in late} == {"613-555-0100"}  # every worker moved over
