"""The staff report: grouped unanswered questions, on the command line and behind the clinic's login."""

from __future__ import annotations

import base64
import re
from datetime import datetime, timezone

import sqlalchemy as sa
from conftest import make_app
from werkzeug.security import generate_password_hash

from bot.report import group_questions, review, to_csv
from bot.text import information, stem, words
from web import staff

SIMULATED_DAY = [
    "how much does dry needling cost?", "what's the price of a session", "how much is it",
    "dry needling cost??", "how much do you charge for needling", "price?",
    "is it covered by OHIP", "does OHIP cover dry needling", "do you take ohip",
    "can I get dry needling while pregnant", "is dry needling safe during pregnancy",
    "do you have parking",
]


def row(message, reply_type="handoff", helpful=None, matched=None):
    return {"message": message, "reply_type": reply_type, "helpful": helpful, "matched": matched,
            "asked_at": datetime(2026, 11, 25, 10, tzinfo=timezone.utc)}


def test_the_same_question_asked_many_ways_is_one_row_with_a_count(clinic_engine):
    rows = [row(m, matched=clinic_engine.ask(m).matched) for m in SIMULATED_DAY]
    groups = group_questions(rows, clinic_engine.topic_terms)
    assert [g.count for g in groups][:2] == [6, 3]
    assert "what's the price of a session" in groups[0].wordings
    assert sum(g.count for g in groups) == len(SIMULATED_DAY)


def telling_stems(text: str) -> list[str]:
    """A plain stand-in for ``Engine.topic_terms``: the stems of a question's telling words."""
    return [stem(w) for w in words(text) if information(w) >= 0.5]


def test_questions_the_bot_placed_nowhere_are_grouped_by_their_words():
    rows = [row("does dry needling help my knee"), row("can dry needling help a sore knee"),
            row("dry needling for knee pain?"), row("do you sell gift cards")]
    groups = group_questions(rows, telling_stems)
    assert [g.count for g in groups] == [3, 1]


def test_a_question_about_something_else_is_not_grouped_for_sharing_one_word(clinic_engine):
    rows = [row("do you do pelvic floor physio"), row("do you have a physio who speaks french"),
            row("does dry needling help sciatica"), row("is dry needling good for sciatica pain")]
    assert sorted(g.count for g in group_questions(rows, clinic_engine.topic_terms)) == [1, 1, 2]


def test_the_report_puts_real_gaps_first_with_a_plain_reason_and_designed_hand_offs_apart(clinic_engine):
    rows = [row(m, clinic_engine.reply(m).type, matched=clinic_engine.reply(m).matched)
            for m in SIMULATED_DAY + ["does dry needling help sciatica"]]
    groups = review(rows, clinic_engine)
    assert groups[0].kind == "gap" and groups[0].question == "does dry needling help sciatica"
    assert groups[0].reason == "the articles never mention sciatica"
    price = next(g for g in groups if "price?" in g.wordings)
    assert price.kind == "designed" and price.reason.startswith("handed off on purpose: the hand-off topic 'price'")
    assert [g.kind for g in groups] == sorted((g.kind for g in groups), key=["gap", "unhelpful", "designed"].index)


def test_a_question_the_bot_answers_since_is_marked_and_put_last(tiny_engine):
    rows = [row("does it hurt?"), row("does it hurt?"), row("do you sell gift cards")]
    groups = review(rows, tiny_engine)
    assert [(g.question, g.answered_now is not None) for g in groups] == [
        ("do you sell gift cards", False), ("does it hurt?", True)]
    assert groups[1].reason.startswith("answered since: the bot now replies from «")


def test_only_handoffs_and_unhelpful_answers_need_attention():
    rows = [row("does it hurt", "answer", None), row("is it safe", "answer", False), row("price?")]
    assert sorted(g.question for g in group_questions(rows, telling_stems)) == ["is it safe", "price?"]


def test_csv_export_cannot_smuggle_a_spreadsheet_formula():
    csv = to_csv(group_questions([row("=HYPERLINK(\"http://evil\")")], telling_stems))
    assert "'=HYPERLINK" in csv


def auth(user, password):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def test_there_is_no_staff_page_until_a_login_is_configured(client):
    assert client.get("/staff/").status_code == 404


def staff_app(tmp_path):
    return make_app(tmp_path, STAFF_USER="frontdesk", STAFF_PASSWORD_HASH=generate_password_hash("correct horse"))


def test_the_staff_page_refuses_without_the_right_login(tmp_path):
    client = staff_app(tmp_path).test_client()
    assert client.get("/staff/").status_code == 401
    assert client.get("/staff/", headers=auth("frontdesk", "wrong")).status_code == 401
    assert client.get("/staff/report.csv", headers=auth("admin", "correct horse")).status_code == 401


def test_a_wrong_user_name_costs_the_same_password_check_as_a_wrong_password(tmp_path, monkeypatch):
    """The password is checked whatever the user name, so timing cannot tell which names exist."""
    checked = []
    real = staff.check_password_hash
    monkeypatch.setattr(staff, "check_password_hash",
                        lambda hash_, password: checked.append(password) or real(hash_, password))
    client = staff_app(tmp_path).test_client()
    assert client.get("/staff/", headers=auth("nobody", "guess")).status_code == 401
    assert client.get("/staff/", headers=auth("frontdesk", "guess")).status_code == 401
    assert checked == ["guess", "guess"]


def test_repeated_failed_logins_get_429_without_a_password_check(tmp_path, monkeypatch):
    checked = []
    real = staff.check_password_hash
    monkeypatch.setattr(staff, "check_password_hash",
                        lambda hash_, password: checked.append(password) or real(hash_, password))
    client = make_app(tmp_path, STAFF_USER="frontdesk", STAFF_PASSWORD_HASH=generate_password_hash("correct horse"),
                      STAFF_LOGIN_LIMIT="3 per minute").test_client()
    statuses = [client.get("/staff/", headers=auth("frontdesk", f"guess {i}")).status_code for i in range(4)]
    assert statuses == [401, 401, 401, 429]
    blocked = client.get("/staff/", headers=auth("frontdesk", "correct horse"))
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    assert checked == ["guess 0", "guess 1", "guess 2"]  # nothing checked once blocked
    assert client.post("/api/chat", json={"message": "hi"}).status_code == 200  # visitors are not affected


def test_the_staff_page_lists_grouped_questions_with_a_login(tmp_path):
    client = staff_app(tmp_path).test_client()
    for message in SIMULATED_DAY + ["does it hurt?"]:
        client.post("/api/chat", json={"message": message})
    page = client.get("/staff/", headers=auth("frontdesk", "correct horse"))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "how much" in text and "does it hurt?" not in text
    assert "Handed off on purpose" in text
    answer_this = re.findall(r'href="(/staff/console/\?new=faq[^"]*)"', text)
    assert any("q=price?" in link and "q=how+much+is+it" in link for link in answer_this)
    csv = client.get("/staff/report.csv", headers=auth("frontdesk", "correct horse"))
    assert csv.mimetype == "text/csv" and csv.get_data(as_text=True).startswith("question,times asked")


def test_the_report_command_prints_groups_and_writes_csv(tmp_path):
    app = make_app(tmp_path)
    client = app.test_client()
    for message in SIMULATED_DAY:
        client.post("/api/chat", json={"message": message})
    out = tmp_path / "report.csv"
    result = app.test_cli_runner().invoke(args=["report", "--csv", str(out)])
    assert result.exit_code == 0
    assert "handed off on purpose: the hand-off topic 'price' (handoff.yml:" in result.output
    assert out.read_text().count("\n") >= 3


def test_the_staff_page_says_the_log_is_unreadable_instead_of_failing(tmp_path):
    app = staff_app(tmp_path)
    with app.extensions["question_log"].engine.begin() as db:
        db.execute(sa.text("DROP TABLE questions"))
    page = app.test_client().get("/staff/", headers=auth("frontdesk", "correct horse"))
    assert page.status_code == 503
