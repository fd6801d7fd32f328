"""The embeddable widget in a real headless Chromium, on a host page of another origin.

The bot and the host page run on two local ports, as a clinic's site and the bot's host would.
Screenshots of the desktop and phone views are saved in artifacts/screenshots/.
"""

from __future__ import annotations

import http.server
import re
import shutil
import threading
import time
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

import pytest
from conftest import CLINIC_KNOWLEDGE, ROOT, free_port, make_app
from selenium.common.exceptions import NoSuchElementException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
HOSTILE_ANSWER = 'Try <script>window.pwned = 1</script> and <img src=x onerror="window.pwned = 2"> now.'


class Server:
    """A WSGI app or a folder of static files served on a local port in a background thread."""

    def __init__(self, app=None, folder: Path | None = None, port: int | None = None):
        self.port = port or free_port()
        self.folder = folder
        self.url = f"http://127.0.0.1:{self.port}"
        if app is not None:
            self.server = make_server("127.0.0.1", self.port, app, threaded=True)
        else:
            handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
            self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def host_page(folder: Path, bot_url: str, name: str = "index.html", attributes: str = "", head: str = "") -> None:
    """A clinic's page with nothing but its own content and the one-line embed."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">{head}
<title>Russell Health Collective</title>
<style>body {{ font-family: Georgia, serif; margin: 2rem; }} button {{ all: unset; color: red; }}</style></head>
<body><h1>Russell Health Collective</h1><p>Physiotherapy in Russell, Ontario.</p>
<a id="next" href="other.html">Our services</a>
<script src="{bot_url}/widget.js" async {attributes}></script>
</body></html>""", encoding="utf-8")


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory) -> Path:
    """The clinic's knowledge plus one FAQ whose answer is hostile HTML, to prove it is shown as text."""
    folder = Path(shutil.copytree(CLINIC_KNOWLEDGE, tmp_path_factory.mktemp("k") / "knowledge"))
    (folder / "faq" / "hostile.md").write_text(
        "---\nquestion: What is the zebra test phrase?\n---\n\n" + HOSTILE_ANSWER + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def sites(tmp_path_factory, knowledge):
    """The bot on one port, an allowed host site on a second, and a stranger's site on a third."""
    host_folder = tmp_path_factory.mktemp("host")
    stranger_folder = tmp_path_factory.mktemp("stranger")
    host = Server(folder=host_folder)
    stranger = Server(folder=stranger_folder)
    app = make_app(tmp_path_factory.mktemp("instance"), KNOWLEDGE_DIR=str(knowledge),
                   ALLOWED_EMBED_ORIGINS=[host.url])
    bot = Server(app=app)
    host_page(host_folder, bot.url)
    host_page(host_folder, bot.url, name="other.html")
    strict = (f'<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; style-src \'self\'; '
              f'script-src {bot.url}; connect-src {bot.url}; frame-src {bot.url}">')
    host_page(host_folder, bot.url, name="strict.html", head=strict)
    host_page(host_folder, bot.url, name="yellow.html", attributes='data-color="#ffd800"')
    host_page(host_folder, bot.url, name="transparent.html", attributes='data-color="#0b5cad00"')
    host_page(stranger_folder, bot.url, attributes='data-open="true"')
    yield {"bot": bot, "host": host, "stranger": stranger, "app": app}
    for server in (bot, host, stranger):
        server.stop()


def launcher(driver):
    """The launcher button, inside the widget's shadow root."""
    host = WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-clinic-bot]")))
    return WebDriverWait(driver, 10).until(lambda d: host.shadow_root.find_element(By.CSS_SELECTOR, ".launcher"))


def open_chat(driver):
    launcher(driver).click()
    host = driver.find_element(By.CSS_SELECTOR, "[data-clinic-bot]")
    frame = WebDriverWait(driver, 10).until(lambda d: host.shadow_root.find_element(By.CSS_SELECTOR, "iframe"))
    driver.switch_to.frame(frame)
    WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.ID, "message")))
    return frame


def ask(driver, question: str):
    """Type a question, send it, and wait for the bot's reply element (inside the chat frame)."""
    before = len(driver.find_elements(By.CSS_SELECTOR, ".msg--bot"))
    box = driver.find_element(By.ID, "message")
    box.send_keys(question)
    box.send_keys(Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".msg--bot")) > before)
    return driver.find_elements(By.CSS_SELECTOR, ".msg--bot")[-1]


def screenshot(driver, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.switch_to.default_content()
    driver.save_screenshot(str(SCREENSHOTS / name))


def test_the_launcher_appears_on_a_cross_origin_host_page(browser, sites):
    browser.get(sites["host"].url + "/index.html")
    button = launcher(browser)
    assert button.is_displayed()
    assert "Chat" in button.text
    assert button.value_of_css_property("color") == "rgba(255, 255, 255, 1)"  # host CSS can't reach it


def test_the_widget_works_on_a_site_with_a_strict_content_security_policy(browser, sites):
    browser.get(sites["host"].url + "/strict.html")
    button = launcher(browser)
    assert button.value_of_css_property("background-color") == "rgba(11, 92, 173, 1)"
    assert button.value_of_css_property("position") == "fixed"
    open_chat(browser)
    assert "dry needling" in ask(browser, "does it hurt?").text


def _contrast_with_white(css_color: str) -> float:
    red, green, blue = (int(v) for v in re.findall(r"\d+", css_color)[:3])

    def linear(v):
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 1.05 / (0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue) + 0.05)


def test_a_light_clinic_colour_is_darkened_until_text_on_it_is_readable(browser, sites):
    browser.get(sites["host"].url + "/yellow.html")
    launcher_colour = launcher(browser).value_of_css_property("background-color")
    assert launcher_colour != "rgba(255, 216, 0, 1)" and _contrast_with_white(launcher_colour) >= 4.5
    open_chat(browser)
    header = browser.find_element(By.CSS_SELECTOR, ".chat__header").value_of_css_property("background-color")
    assert header == launcher_colour
    ask(browser, "does it hurt?")
    screenshot(browser, "accent-yellow.png")


def test_a_see_through_clinic_colour_cannot_hide_the_launcher(browser, sites):
    browser.get(sites["host"].url + "/transparent.html")
    assert launcher(browser).value_of_css_property("background-color") == "rgba(11, 92, 173, 1)"


def test_after_a_long_answer_the_visitors_question_is_still_in_view(browser, sites):
    browser.get(sites["host"].url + "/index.html")
    open_chat(browser)
    for question in ("what is dry needling?", "does it hurt?", "what are the benefits of dry needling?"):
        ask(browser, question)
    asked = browser.find_elements(By.CSS_SELECTOR, ".msg--visitor")[-1]
    top, bottom = browser.execute_script(
        "var a = arguments[0].getBoundingClientRect(), l = document.getElementById('log').getBoundingClientRect();"
        "return [a.top - l.top, l.bottom - a.bottom];", asked)
    assert top >= 0 and bottom > 0  # the whole question is inside the conversation's view
    screenshot(browser, "question-in-view.png")


def test_a_long_greeting_ends_at_a_word_and_a_long_message_says_what_is_left(browser, sites):
    greeting = "Welcome to our clinic, where " + "physiotherapists help " * 15
    browser.get(sites["bot"].url + "/chat?" + urlencode({"greeting": greeting}))
    shown = browser.find_elements(By.CSS_SELECTOR, ".msg--greeting .msg__text")[-1].text
    assert shown.endswith("…") and len(shown) <= 201 and greeting.startswith(shown[:-1])
    assert shown[:-1].endswith(("physiotherapists", "help"))
    box = browser.find_element(By.ID, "message")
    one_line = box.size["height"]
    box.send_keys("does it hurt " * 70)  # 910 characters
    count = browser.find_element(By.ID, "count")
    assert count.is_displayed() and count.text == "90 characters left"
    assert box.size["height"] > 2 * one_line
    screenshot(browser, "long-message.png")


def test_a_screen_reader_hears_each_reply_as_its_text_and_an_emergency_once(browser, sites):
    browser.get(sites["host"].url + "/index.html")
    open_chat(browser)
    log = browser.find_element(By.ID, "log")
    assert log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "off"
    announcer = browser.find_element(By.ID, "announcer")
    assert announcer.get_attribute("role") == "status"
    reply = ask(browser, "does it hurt?")
    heard = browser.execute_script("return arguments[0].textContent", announcer)
    assert heard.startswith("Assistant: ") and heard[len("Assistant: "):] in reply.text
    assert "helpful" not in heard and "Related" not in heard and "Source" not in heard
    ask(browser, "I have crushing chest pain right now")
    assert browser.execute_script("return arguments[0].textContent", announcer) == ""  # the alert speaks
    assert browser.find_elements(By.CSS_SELECTOR, ".msg--emergency")[-1].get_attribute("role") == "alert"


def test_asking_shows_the_answer_and_its_source(browser, sites):
    browser.get(sites["host"].url + "/index.html")
    open_chat(browser)
    assert "not medical advice" in browser.find_element(By.ID, "log").text
    reply = ask(browser, "is dry needling acupuncture?")
    assert "Western medicine" in reply.text and "traditional Chinese medicine" in reply.text
    source = reply.find_element(By.CSS_SELECTOR, ".msg__source")
    assert "What is Dry Needling?" in source.text
    more = source.find_element(By.LINK_TEXT, "Read more")
    assert more.get_attribute("href") == sites["bot"].url + "/articles/dry-needling#what-is-dry-needling"
    screenshot(browser, "desktop.png")


def test_two_questions_in_one_message_read_as_two_paragraphs(browser, sites):
    browser.get(sites["host"].url + "/index.html")
    open_chat(browser)
    reply = ask(browser, "Does it hurt? And how long will I be sore after?")
    text = reply.find_element(By.CSS_SELECTOR, ".msg__text")
    assert "mild discomfort" in text.text and "24 to 48 hours" in text.text
    assert text.value_of_css_property("white-space") == "pre-wrap"  # the blank line between them shows
    screenshot(browser, "two-answers.png")


def test_a_handoff_shows_working_phone_and_email_links(browser, sites):
    browser.get(sites["host"].url + "/index.html")
    open_chat(browser)
    reply = ask(browser, "do you accept OHIP?")
    links = {a.get_attribute("href") for a in reply.find_elements(By.CSS_SELECTOR, ".msg__actions a")}
    assert links == {"tel:3439989229", "mailto:info@russellhealth.ca"}


def test_a_question_for_the_clinic_and_one_the_articles_answer_show_contacts_and_the_answer(browser, sites):
    browser.get(sites["host"].url + "/index.html")
    open_chat(browser)
    reply = ask(browser, "Do you take insurance? Does it hurt?")
    links = {a.get_attribute("href") for a in reply.find_elements(By.CSS_SELECTOR, ".msg__actions a")}
    assert links == {"tel:3439989229", "mailto:info@russellhealth.ca"}
    assert "mild discomfort" in reply.text
    screenshot(browser, "two-questions.png")


def test_an_emergency_reply_cannot_be_missed(browser, sites):
    browser.get(sites["host"].url + "/index.html")
    open_chat(browser)
    reply = ask(browser, "I have crushing chest pain")
    assert "911" in reply.text
    assert "msg--emergency" in reply.get_attribute("class")
    assert reply.get_attribute("role") == "alert"
    assert reply.find_element(By.CSS_SELECTOR, "a.action--urgent").get_attribute("href") == "tel:911"


def test_html_from_the_knowledge_or_the_visitor_is_shown_as_text(browser, sites):
    browser.get(sites["host"].url + "/index.html")
    open_chat(browser)
    reply = ask(browser, "What is the zebra test phrase?")
    assert "<script>window.pwned = 1</script>" in reply.text
    assert reply.find_elements(By.TAG_NAME, "img") == []
    ask(browser, '<img src=x onerror="window.pwned = 3"> hello')
    visitor = browser.find_elements(By.CSS_SELECTOR, ".msg--visitor")[-1]
    assert '<img src=x onerror="window.pwned = 3"> hello' in visitor.text
    assert browser.execute_script("return window.pwned === undefined")


def test_keyboard_only_open_ask_and_escape(browser, sites):
    browser.get(sites["host"].url + "/index.html")
    launcher(browser)
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)  # the host's own link
    browser.switch_to.active_element.send_keys(Keys.TAB)  # the launcher
    active_host = browser.execute_script("return document.activeElement.getAttribute('data-clinic-bot')")
    assert active_host == ""  # focus is inside the widget's shadow root: the launcher
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(
        "const h = document.querySelector('[data-clinic-bot]');"
        "return h.shadowRoot.activeElement && h.shadowRoot.activeElement.tagName") == "IFRAME")
    host = browser.find_element(By.CSS_SELECTOR, "[data-clinic-bot]")
    browser.switch_to.frame(host.shadow_root.find_element(By.CSS_SELECTOR, "iframe"))
    WebDriverWait(browser, 10).until(lambda d: d.switch_to.active_element.get_attribute("id") == "message")
    browser.switch_to.active_element.send_keys("does it hurt?" + Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: "mild discomfort" in d.find_element(By.ID, "log").text)
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    browser.switch_to.default_content()
    WebDriverWait(browser, 5).until(lambda d: d.execute_script(
        "const h = document.querySelector('[data-clinic-bot]');"
        "return h.shadowRoot.activeElement && h.shadowRoot.activeElement.className === 'launcher'"))
    assert launcher(browser).get_attribute("aria-expanded") == "false"


def test_every_button_has_a_name(browser, sites):
    browser.get(sites["host"].url + "/index.html")
    open_chat(browser)
    ask(browser, "does it hurt?")
    for button in browser.find_elements(By.TAG_NAME, "button"):
        assert button.get_attribute("aria-label") or button.get_attribute("textContent").strip()


def test_a_phone_sized_viewport_gets_the_chat_full_screen(browser, sites):
    browser.set_window_size(375, 667)
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": 375, "height": 667, "deviceScaleFactor": 2, "mobile": True})
    browser.get(sites["host"].url + "/index.html")
    frame = open_chat(browser)
    ask(browser, "will I be sore after?")
    browser.switch_to.default_content()
    size = frame.size
    assert (size["width"], size["height"]) == (375, 667)
    screenshot(browser, "phone.png")


def test_the_conversation_survives_navigation_within_the_tab(browser, sites):
    browser.get(sites["host"].url + "/index.html")
    open_chat(browser)
    ask(browser, "what is a trigger point")
    browser.switch_to.default_content()
    browser.find_element(By.ID, "next").click()
    WebDriverWait(browser, 10).until(EC.url_contains("other.html"))
    open_chat(browser)
    assert "what is a trigger point" in browser.find_element(By.ID, "log").text


def test_feedback_reaches_the_server(browser, sites):
    browser.get(sites["host"].url + "/index.html")
    open_chat(browser)
    reply = ask(browser, "how long does soreness last after dry needling")
    reply.find_element(By.CSS_SELECTOR, "button.feedback").click()
    WebDriverWait(browser, 5).until(lambda d: "Thanks for your feedback" in reply.text)
    with sites["app"].app_context():
        from web.questionlog import get_log
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not any(r["helpful"] for r in get_log().rows()):
            time.sleep(0.1)
        assert any(r["helpful"] is True for r in get_log().rows())


def test_a_site_not_in_the_allowed_list_cannot_frame_the_chat(browser, sites):
    """The bot refuses to be framed there (frame-ancestors), whoever builds the frame."""
    frame = f'<!doctype html><iframe id="f" src="{sites["bot"].url}/chat"></iframe>'
    (sites["stranger"].folder / "framed.html").write_text(frame)
    browser.get(sites["stranger"].url + "/framed.html")
    time.sleep(1)
    browser.switch_to.frame(browser.find_element(By.ID, "f"))
    with pytest.raises(NoSuchElementException):
        browser.find_element(By.ID, "message")


def test_on_a_site_not_allowed_the_phone_and_email_show_at_once_and_close(browser, sites):
    browser.set_window_size(390, 844)  # a phone, where the panel covers the page
    browser.get(sites["stranger"].url + "/index.html")  # data-open="true", not obeyed on a phone
    host = WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-clinic-bot]")))
    launcher(browser).click()
    down = WebDriverWait(browser, 2).until(lambda d: host.shadow_root.find_element(By.CSS_SELECTOR, ".down"))
    assert "343-998-9229" in down.text and not host.shadow_root.find_elements(By.CSS_SELECTOR, "iframe")
    screenshot(browser, "fallback-phone.png")
    host.shadow_root.find_element(By.CSS_SELECTOR, ".close").click()
    assert not host.shadow_root.find_element(By.CSS_SELECTOR, ".panel").is_displayed()
    button = launcher(browser)
    assert button.is_displayed() and "343-998-9229" in button.text


def test_the_pages_own_contact_link_stays_when_the_widget_cannot_load_and_goes_when_it_does(browser, sites):
    link = '<p id="clinic-contact"><a href="tel:+13439989229">Questions? Call 343-998-9229</a></p>'
    nowhere = f"http://127.0.0.1:{free_port()}"
    for name, bot_url in (("fallback-up.html", sites["bot"].url), ("fallback-down.html", nowhere)):
        host_page(sites["host"].folder, bot_url, name=name, attributes='data-fallback="clinic-contact"')
        page = sites["host"].folder / name
        page.write_text(page.read_text().replace("<script src=", link + "\n<script src="))
    browser.get(sites["host"].url + "/fallback-down.html")  # nothing answers at the bot's address
    time.sleep(1)
    assert browser.find_element(By.ID, "clinic-contact").is_displayed()
    browser.get(sites["host"].url + "/fallback-up.html")
    assert launcher(browser).is_displayed()
    assert not browser.find_element(By.ID, "clinic-contact").is_displayed()


def test_when_the_bot_is_down_the_launcher_offers_the_phone_number(browser, tmp_path, knowledge):
    (tmp_path / "site").mkdir()
    host = Server(folder=tmp_path / "site")
    app = make_app(tmp_path, KNOWLEDGE_DIR=str(knowledge), ALLOWED_EMBED_ORIGINS=[host.url])
    bot = Server(app=app)
    host_page(tmp_path / "site", bot.url)
    try:
        browser.get(host.url + "/index.html")
        button = launcher(browser)
        bot.stop()
        button.click()
        WebDriverWait(browser, 10).until(lambda d: "unavailable" in button.text)
        assert "343-998-9229" in button.text
        panel = browser.find_element(By.CSS_SELECTOR, "[data-clinic-bot]").shadow_root.find_element(By.CSS_SELECTOR, ".down")
        assert "343-998-9229" in panel.text
        assert browser.execute_script("return document.readyState") == "complete"
        panel.find_element(By.CSS_SELECTOR, ".close").click()  # the visitor closes it...
        back = Server(app=app, port=bot.port)  # ...the bot comes back on the same address...
        try:
            button.click()  # ...and the chat opens, and the launcher says so again
            WebDriverWait(browser, 10).until(lambda d: "Chat with us" in button.text)
        finally:
            back.stop()
    finally:
        host.stop()


def test_messages_show_their_time_and_start_over_clears_the_conversation(browser, sites):
    browser.get(sites["host"].url + "/index.html")
    open_chat(browser)
    assert not browser.find_element(By.ID, "restart").is_displayed()  # nothing to clear yet
    ask(browser, "does it hurt?")
    times = browser.find_elements(By.CSS_SELECTOR, ".msg--visitor .msg__time, .msg--bot .msg__time")
    assert len(times) == 2 and all(re.fullmatch(r"\d{1,2}:\d{2}( [AP]M)?", t.text) for t in times)
    assert times[0].get_attribute("datetime").endswith("Z")
    browser.find_element(By.ID, "restart").click()
    assert [m.get_attribute("class") for m in browser.find_elements(By.CSS_SELECTOR, "#log .msg")] == [
        "msg msg--bot msg--greeting"]
    assert browser.find_element(By.ID, "suggestions").is_displayed()
    assert browser.switch_to.active_element.get_attribute("id") == "message"
    assert browser.find_element(By.ID, "announcer").text == "The conversation was cleared."
    browser.switch_to.default_content()
    browser.refresh()
    open_chat(browser)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#log .msg")) == 1  # forgotten, not only hidden


def test_feedback_given_and_related_questions_come_back_after_a_reload(browser, sites):
    browser.get(sites["host"].url + "/index.html")
    open_chat(browser)
    reply = ask(browser, "will I be sore after?")
    related = [c.text for c in reply.find_elements(By.CSS_SELECTOR, ".msg__related .chip")]
    assert related
    reply.find_element(By.CSS_SELECTOR, "button.feedback").click()
    browser.switch_to.default_content()
    browser.refresh()
    open_chat(browser)
    restored = browser.find_elements(By.CSS_SELECTOR, ".msg--answer")[-1]
    assert "Thanks for your feedback." in restored.text
    assert not restored.find_elements(By.CSS_SELECTOR, "button.feedback")
    assert [c.text for c in restored.find_elements(By.CSS_SELECTOR, ".msg__related .chip")] == related


def test_a_reply_that_comes_while_the_chat_is_closed_shows_on_the_launcher(browser, sites):
    browser.get(sites["host"].url + "/index.html")
    open_chat(browser)
    browser.execute_script("""
        window.fetchSlowly = window.fetch;
        window.fetch = (...args) => new Promise(r => setTimeout(r, 800)).then(() => window.fetchSlowly(...args));""")
    box = browser.find_element(By.ID, "message")
    box.send_keys("does it hurt?", Keys.ENTER)
    box.send_keys(Keys.ESCAPE)  # closed before the reply comes
    browser.switch_to.default_content()
    button = launcher(browser)
    badge = button.find_element(By.CSS_SELECTOR, ".badge")
    WebDriverWait(browser, 10).until(lambda d: badge.is_displayed() and badge.text == "1")
    assert button.get_attribute("aria-label") == "Questions? Chat with us (1 new reply)"
    screenshot(browser, "unread-badge.png")
    button.click()
    assert not badge.is_displayed() and button.get_attribute("aria-label") is None


@pytest.mark.parametrize("zoom", [200, 400])
def test_at_200_and_400_percent_zoom_the_chat_fills_the_window_and_reflows(browser, sites, zoom):
    """A 1280×800 screen zoomed: the page's CSS pixels shrink by the zoom factor (WCAG 1.4.10)."""
    width, height = 1280 * 100 // zoom, 800 * 100 // zoom
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": height, "deviceScaleFactor": zoom / 100, "mobile": False})
    try:
        browser.get(sites["host"].url + "/index.html")
        frame = open_chat(browser)
        ask(browser, "what is dry needling and how does it work?")
        assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
        browser.execute_script("window.scrollTo(0, 0); document.getElementById('log').scrollTop = 0")
        subtitle = browser.find_element(By.CSS_SELECTOR, ".chat__subtitle")
        assert subtitle.is_displayed() and "not medical advice" in subtitle.text
        box = browser.find_element(By.ID, "message")
        browser.execute_script("arguments[0].scrollIntoView()", box)
        assert box.is_displayed()
        browser.switch_to.default_content()
        # The whole window, less the host page's own scroll bar where it has one.
        assert width - 20 <= frame.size["width"] <= width and frame.size["height"] == height
        screenshot(browser, f"zoom-{zoom}.png")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_after_a_successful_retry_focus_is_back_in_the_typing_box(browser, sites):
    browser.get(sites["host"].url + "/index.html")
    open_chat(browser)
    browser.execute_script("""
        window.realFetch = window.fetch;
        window.fetch = () => Promise.reject(new TypeError('offline'));""")
    box = browser.find_element(By.ID, "message")
    box.send_keys("does it hurt?", Keys.ENTER)
    retry = WebDriverWait(browser, 5).until(lambda d: d.find_element(By.CSS_SELECTOR, ".msg--error button"))
    assert browser.switch_to.active_element == retry
    browser.execute_script("window.fetch = window.realFetch")
    retry.send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".msg--answer"))
    assert browser.switch_to.active_element.get_attribute("id") == "message"


AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(driver, include: str | None = None) -> list[str]:
    """axe-core's WCAG 2.x A and AA violations in the current frame (``bin/setup --dev`` installs it)."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run bin/setup --dev")
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    return driver.execute_async_script("""
        const [include, tags, done] = arguments;
        axe.run(include ? { include: [[include]] } : document, { runOnly: { type: "tag", values: tags } })
          .then(r => done(r.violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))))
          .catch(e => done(["axe failed: " + e]));""", include, WCAG_AA)


def _handoff(driver):
    ask(driver, "how much does a session cost?")


def _emergency(driver):
    ask(driver, "I have crushing chest pain and can't breathe")


def _answer(driver):
    ask(driver, "will I be sore after?")


def _error(driver):
    driver.execute_script("window.fetch = () => Promise.reject(new TypeError('offline'))")
    driver.find_element(By.ID, "message").send_keys("does it hurt?", Keys.ENTER)
    WebDriverWait(driver, 5).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".msg--error"))


STATES = {"default": ("index.html", None, None), "answer": ("index.html", _answer, None),
          "handoff": ("index.html", _handoff, None), "emergency": ("index.html", _emergency, None),
          "error": ("index.html", _error, None), "light accent": ("yellow.html", _answer, None),
          "zoomed 400%": ("index.html", _answer, (320, 200, 4))}


@pytest.mark.parametrize("state", STATES)
def test_axe_finds_no_wcag_violation_in_the_chat(browser, sites, state):
    page, action, zoom = STATES[state]
    if zoom:
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": zoom[0], "height": zoom[1],
                                                                         "deviceScaleFactor": zoom[2], "mobile": False})
    try:
        browser.get(f"{sites['host'].url}/{page}")
        open_chat(browser)
        if action:
            action(browser)
        assert axe_violations(browser) == []
        browser.switch_to.default_content()
        assert axe_violations(browser, include="[data-clinic-bot]") == []  # the launcher and panel
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("window, opens", [((1280, 800), True), ((390, 844), False)])
def test_data_open_opens_beside_the_page_without_taking_focus_and_never_covers_a_phone(browser, sites, window, opens):
    browser.set_window_size(*window)
    host_page(sites["host"].folder, sites["bot"].url, name="open.html", attributes='data-open="true"')
    browser.get(sites["host"].url + "/open.html")
    host = browser.find_element(By.CSS_SELECTOR, "[data-clinic-bot]")
    launcher(browser)
    time.sleep(1.5)  # the chat has loaded by now where it opens
    panel = host.shadow_root.find_element(By.CSS_SELECTOR, ".panel")
    assert panel.is_displayed() is opens
    assert browser.switch_to.active_element.tag_name == "body"  # the visitor's focus was not moved
