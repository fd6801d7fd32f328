"""A staff member's session in the console, in a real headless Chromium: answer a question the bot
handed off, try it, publish it, see it live, roll back. Timings are printed; screenshots of the
desktop view and of 200% zoom are saved in artifacts/screenshots/."""

from __future__ import annotations

import base64
import time

import pytest
from conftest import make_app, small_eval
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from test_widget import SCREENSHOTS, Server, axe_violations
from werkzeug.security import generate_password_hash

from bot import artifact


@pytest.fixture
def console_url(tmp_path, clinic_copy):
    app = make_app(tmp_path, KNOWLEDGE_DIR=str(clinic_copy), EVAL_QUESTIONS_DIR=str(small_eval(tmp_path)),
                   INDEX_CHECK_SECONDS=0,
                   STAFF_USER="frontdesk", STAFF_PASSWORD_HASH=generate_password_hash("correct horse", "pbkdf2:sha256:1000"))
    assert app.test_cli_runner().invoke(args=["reindex"]).exit_code == 0
    server = Server(app)
    yield server.url + "/staff/console/"
    server.stop()


def logged_in(driver):
    """The browser sends the staff login with every request, as it does once staff typed it."""
    driver.execute_cdp_cmd("Network.enable", {})
    token = base64.b64encode(b"frontdesk:correct horse").decode()
    driver.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {"Authorization": f"Basic {token}"}})
    return driver


def text_of(driver, element_id: str, containing: str, timeout: float = 30) -> str:
    WebDriverWait(driver, timeout).until(lambda d: containing in d.find_element(By.ID, element_id).text)
    return driver.find_element(By.ID, element_id).text


def test_a_staff_member_answers_a_handed_off_question_publishes_it_and_rolls_back(browser, console_url, tmp_path):
    driver, timings = logged_in(browser), {}
    first = artifact.current_name(tmp_path / "index")
    started = time.perf_counter()
    # From the report's "answer this": a new FAQ entry prefilled with the visitors' wordings.
    driver.get(console_url + "?new=faq&q=is+there+parking+at+the+clinic%3F&q=where+do+I+park")
    editor = driver.find_element(By.ID, "text")
    assert driver.find_element(By.ID, "path").get_attribute("value") == "faq/is-there-parking-at-the-clinic.md"
    assert '- "where do I park"' in editor.get_attribute("value")
    text_of(driver, "problems", "replace the example text 'Write the answer here.' with your own")
    timings["open prefilled entry"] = time.perf_counter() - started

    # A mistake is named with its line as they type; fixing it clears it.
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys("---\nquestion: Is there parking at the clinic?\nalso_asked:\n  - where: do I park\n---\n\n"
                     "Yes: free parking behind the building.\n")
    assert "line 4" in text_of(driver, "problems", "also_asked")
    driver.execute_script("document.getElementById('text').value = arguments[0];"
                          "document.getElementById('text').dispatchEvent(new Event('input'));",
                          "---\nquestion: Is there parking at the clinic?\nalso_asked:\n  - \"where do I park\"\n---\n\n"
                          "Yes: free parking behind the building.\n")
    text_of(driver, "problems", "No problems found")
    driver.find_element(By.ID, "save").click()
    text_of(driver, "save-status", "Saved.")
    timings["write and save"] = time.perf_counter() - started

    # Try it: the draft answers, visitors are still handed off.
    tried = time.perf_counter()
    driver.find_element(By.ID, "question").send_keys("is there parking at the clinic?", Keys.ENTER)
    assert "free parking behind the building" in text_of(driver, "draft-reply", "free parking")
    published = text_of(driver, "published-reply", "Why:")
    assert "HANDOFF" in published.upper() and "343-998-9229" in published
    timings["try draft and published"] = time.perf_counter() - tried

    # Publish: what changes is shown, the new answer confirmed, then live.
    previewed = time.perf_counter()
    driver.find_element(By.ID, "preview").click()
    verdict = text_of(driver, "verdict", "instead of handed off (confirm below): 1")
    assert "added faq/is-there-parking-at-the-clinic.md" in verdict
    assert axe_violations(driver) == []  # with problems, replies and the publish preview on the page
    timings["preview"] = time.perf_counter() - previewed
    driver.set_window_size(1280, 1400)
    driver.save_screenshot(str(SCREENSHOTS / "console-desktop.png"))
    driver.find_element(By.ID, "publish-button").click()
    assert "(1 left)" in text_of(driver, "publish-status", "Tick each new answer that is right first")
    driver.find_element(By.CSS_SELECTOR, "#verdict label.confirm input").click()
    assert text_of(driver, "confirm-row", "1 of 1 new answers confirmed as right.")
    driver.find_element(By.ID, "publish-button").click()
    text_of(driver, "publish-status", "Published index-")
    timings["publish"] = time.perf_counter() - previewed
    assert artifact.current_name(tmp_path / "index") != first

    def live(d) -> bool:
        """Ask again until the bot serves the new version (each worker swaps within seconds)."""
        d.find_element(By.ID, "question").send_keys(Keys.ENTER)
        time.sleep(0.5)
        return "free parking" in d.find_element(By.ID, "published-reply").text
    WebDriverWait(driver, 30, poll_frequency=0.5).until(live)

    # Roll back to the first version from the versions table.
    rows = driver.find_elements(By.CSS_SELECTOR, "#versions tr")
    assert len(rows) == 2 and "Visitors get this" in rows[0].text and "frontdesk" in rows[0].text
    rows[1].find_element(By.TAG_NAME, "button").click()
    driver.switch_to.alert.accept()
    text_of(driver, "publish-status", f"Visitors get {first} again")
    assert artifact.current_name(tmp_path / "index") == first
    timings["whole session"] = time.perf_counter() - started
    print("\nconsole session (s): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))


def test_the_console_reflows_at_200_percent_zoom_and_works_from_the_keyboard(browser, console_url):
    driver = logged_in(browser)
    driver.set_window_size(640, 900)  # a 1280-pixel screen at 200% zoom
    driver.get(console_url)
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#files button"))
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    # The first Tab offers a way past the file list; from the page's start the files, then the
    # editor, come in reading order.
    order = []
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    for _ in range(40):
        active = driver.switch_to.active_element
        order.append(active.get_attribute("id") or active.text)
        if active.get_attribute("id") == "text":
            break
        active.send_keys(Keys.TAB)
    assert order[0] == "Skip to the editor"
    assert "articles/dry-needling.md" in order and order[-1] == "text"
    assert order.index("articles/dry-needling.md") < order.index("path")
    assert axe_violations(driver) == []
    driver.save_screenshot(str(SCREENSHOTS / "console-zoom-200.png"))
