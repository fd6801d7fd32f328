/* The chat inside the widget's iframe (and on the demo page).
 * Every piece of text from the bot or the visitor is put on the page with textContent, never as
 * HTML, so a "<script>" in an answer or a question is shown, not run. */
(function () {
  "use strict";

  var root = document.getElementById("chat");
  var log = document.getElementById("log");
  var form = document.getElementById("form");
  var input = document.getElementById("message");
  var typing = document.getElementById("typing");
  /* What a screen reader hears: "typing", then each reply's text alone, not its buttons. The log
   * itself is not live; an emergency is announced once, by its own role="alert". */
  var announcer = document.getElementById("announcer");
  var suggestions = document.getElementById("suggestions");
  var closeButton = document.getElementById("close");
  var clinic = {
    name: root.dataset.clinic, phone: root.dataset.phone, email: root.dataset.email,
    emergency: root.dataset.emergency
  };
  var STORE = "clinic-bot:conversation";
  var params = new URLSearchParams(window.location.search);
  var embedded = window.parent !== window;
  var history = load();

  /* -- small DOM helpers ------------------------------------------------------------------ */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function link(href, text, className) {
    var a = el("a", className, text);
    a.href = href;
    return a;
  }

  function safeUrl(url) {
    /* Only web links and the bot's own pages; never javascript: or data: URLs. */
    try {
      var parsed = new URL(url, window.location.href);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function telHref(phone) { return "tel:" + String(phone).replace(/[^0-9+]/g, ""); }

  /* -- conversation kept for this tab only (sessionStorage is cleared when the tab closes) -- */
  function load() {
    try { return JSON.parse(sessionStorage.getItem(STORE)) || []; } catch (e) { return []; }
  }

  function save() {
    try { sessionStorage.setItem(STORE, JSON.stringify(history.slice(-50))); } catch (e) { /* private mode */ }
  }

  /* -- rendering ---------------------------------------------------------------------------- */
  function scrollDown() { log.scrollTop = log.scrollHeight; }

  /* When a message was sent, as the visitor's own clock shows it ("14:05"). */
  function stamp(item, at) {
    if (!at) return;
    var when = new Date(at);
    var time = el("time", "msg__time", when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
    time.dateTime = when.toISOString();
    item.appendChild(time);
  }

  function addVisitor(text, at) {
    var item = el("div", "msg msg--visitor");
    item.appendChild(el("span", "visually-hidden", "You said: "));
    item.appendChild(el("p", "msg__text", text));
    stamp(item, at);
    log.appendChild(item);
    scrollDown();
  }

  function contactLinks(container) {
    var row = el("div", "msg__actions");
    row.appendChild(link(telHref(clinic.phone), "Call " + clinic.phone, "action"));
    row.appendChild(link("mailto:" + clinic.email, "Email " + clinic.email, "action"));
    container.appendChild(row);
  }

  function addBot(entry, restoring) {
    var reply = entry.reply;
    var item = el("div", "msg msg--bot msg--" + reply.type);
    item.appendChild(el("span", "visually-hidden", reply.type === "emergency" ? "Urgent: " : "Assistant: "));
    if (reply.type === "emergency") item.setAttribute("role", "alert");
    item.appendChild(el("p", "msg__text", reply.answer));

    if (reply.type === "emergency") {
      var urgent = el("div", "msg__actions");
      urgent.appendChild(link(telHref(clinic.emergency), "Call " + clinic.emergency, "action action--urgent"));
      if (/9-8-8/.test(reply.answer)) urgent.appendChild(link("tel:988", "Call or text 9-8-8", "action action--urgent"));
      item.appendChild(urgent);
    }
    if (reply.type === "handoff") contactLinks(item);
    (reply.sources || []).forEach(function (source) {
      var line = el("p", "msg__source");
      line.appendChild(document.createTextNode("Source: " + source.title + " › " + source.section + " "));
      var href = safeUrl(source.url);
      if (href) {
        var more = link(href, "Read more", "msg__more");
        more.target = "_blank";
        more.rel = "noopener noreferrer";
        line.appendChild(more);
      }
      item.appendChild(line);
    });
    if (reply.type === "answer" && reply.id) item.appendChild(feedback(entry));
    if (reply.related && reply.related.length) {
      var related = el("div", "msg__related");
      related.appendChild(el("p", "msg__related-title", "Related questions"));
      reply.related.forEach(function (q) {
        var chip = el("button", "chip", q);
        chip.type = "button";
        chip.addEventListener("click", function () { ask(q); });
        related.appendChild(chip);
      });
      item.appendChild(related);
    }
    stamp(item, entry.at);
    log.appendChild(item);
    showFromQuestion(item);
    if (restoring) return;
    announcer.textContent = reply.type === "emergency" ? "" : "Assistant: " + reply.answer;
    /* The launcher counts replies that come while the chat is closed. */
    if (embedded) window.parent.postMessage({ type: "clinic-bot:reply" }, "*");
  }

  /* The visitor's question stays in view with the start of its answer: when both don't fit below
   * it, the question goes to the top of the conversation instead of scrolling out of sight. */
  function showFromQuestion(item) {
    var asked = item.previousElementSibling;
    var first = asked && asked.classList.contains("msg--visitor") ? asked : item;
    var top = first.offsetTop - log.offsetTop - 8;
    if (log.scrollHeight - top > log.clientHeight) log.scrollTop = top;
    else scrollDown();
    /* At high zoom the whole chat scrolls as a page (chat.css), not the conversation alone. */
    if (log.scrollHeight <= log.clientHeight && first.scrollIntoView) first.scrollIntoView({ block: "start" });
  }

  /* "Was this helpful?": the answer is kept with the conversation, so a reload shows it given. */
  function feedback(entry) {
    var box = el("div", "msg__feedback");
    function thanks() {
      box.textContent = "";
      box.appendChild(el("span", "msg__feedback-label", "Thanks for your feedback."));
    }
    if (entry.helpful !== undefined) {
      thanks();
      return box;
    }
    box.appendChild(el("span", "msg__feedback-label", "Was this helpful?"));
    [["Yes", true], ["No", false]].forEach(function (choice) {
      var button = el("button", "feedback", choice[0]);
      button.type = "button";
      button.setAttribute("aria-label", "Helpful: " + choice[0].toLowerCase());
      button.addEventListener("click", function () {
        fetch(root.dataset.feedback, {
          method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ id: entry.reply.id, helpful: choice[1] })
        }).catch(function () { /* feedback is best effort */ });
        entry.helpful = choice[1];
        save();
        thanks();
        input.focus();
      });
      box.appendChild(button);
    });
    return box;
  }

  function addError(message) {
    var item = el("div", "msg msg--error");
    item.setAttribute("role", "alert");
    item.appendChild(el("p", "msg__text",
      "Sorry, the message didn't go through. Check your connection and try again, or call " + clinic.phone + "."));
    var retry = el("button", "action", "Retry");
    retry.type = "button";
    retry.addEventListener("click", function () {
      item.remove();
      input.focus();  /* the button is gone: the visitor goes on typing where they were */
      send(message);
    });
    item.appendChild(retry);
    log.appendChild(item);
    scrollDown();
    retry.focus();
  }

  /* -- talking to the bot ------------------------------------------------------------------ */
  /* The visitor's message before the one being sent: "how long does that last?" needs it. */
  function previousQuestion() {
    var seen = 0;
    for (var i = history.length - 1; i >= 0; i--) {
      if (history[i].who === "visitor" && ++seen === 2) return history[i].text;
    }
    return null;
  }

  function send(message) {
    typing.hidden = false;
    announcer.textContent = "The assistant is typing…";
    scrollDown();
    var body = { message: message };
    var previous = previousQuestion();
    if (previous) body.previous = previous;
    fetch(root.dataset.api, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.error || "HTTP " + response.status);
        return body;
      });
    }).then(function (reply) {
      typing.hidden = true;
      var entry = { who: "bot", reply: reply, at: Date.now() };
      history.push(entry);
      save();
      addBot(entry);
    }).catch(function () {
      typing.hidden = true;
      announcer.textContent = "";
      addError(message);
    });
  }

  function ask(message) {
    message = message.trim();
    if (!message) return;
    suggestions.hidden = true;
    restart.hidden = false;
    var at = Date.now();
    history.push({ who: "visitor", text: message, at: at });
    save();
    addVisitor(message, at);
    send(message);
  }

  /* -- wiring ------------------------------------------------------------------------------ */
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var message = input.value;
    input.value = "";
    fit();
    ask(message);
  });

  /* The box grows with what is typed (up to a few lines, then it scrolls), and near the limit it
   * says how many characters are left instead of stopping silently. */
  var count = document.getElementById("count");
  function fit() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 4, 160) + "px";
    var left = input.maxLength - input.value.length;
    count.hidden = left > input.maxLength * 0.2;
    count.textContent = left + " characters left";
  }
  input.addEventListener("input", fit);

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  suggestions.addEventListener("click", function (event) {
    if (event.target.classList.contains("chip")) ask(event.target.textContent);
  });

  function close() {
    if (embedded) window.parent.postMessage({ type: "clinic-bot:close" }, "*");
  }
  closeButton.addEventListener("click", close);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") close();
  });
  if (!embedded) closeButton.hidden = true;

  var accent = params.get("accent");
  if (accent && /^#[0-9a-fA-F]{6}$/.test(accent)) root.style.setProperty("--accent", accent);

  var greeting = el("div", "msg msg--bot msg--greeting");
  greeting.appendChild(el("p", "msg__text", document.getElementById("greeting-text").content.textContent.trim()));
  var custom = params.get("greeting") || "";
  if (custom.length > 200) custom = custom.slice(0, 200).replace(/\s+\S*$/, "") + "…";  /* at a word's end */
  if (custom) greeting.appendChild(el("p", "msg__text", custom));
  log.appendChild(greeting);

  history.forEach(function (entry) {
    if (entry.who === "visitor") addVisitor(entry.text, entry.at);
    else addBot(entry, true);
  });
  if (history.length) suggestions.hidden = true;

  /* Start over: the conversation is forgotten (here and in this tab's storage), the greeting and
   * the suggested questions come back. */
  var restart = document.getElementById("restart");
  restart.hidden = !history.length;
  restart.addEventListener("click", function () {
    history = [];
    save();
    while (log.lastChild !== greeting) log.removeChild(log.lastChild);
    suggestions.hidden = false;
    restart.hidden = true;
    announcer.textContent = "The conversation was cleared.";
    input.focus();
  });

  window.addEventListener("message", function (event) {
    if (event.source === window.parent && event.data && event.data.type === "clinic-bot:focus") input.focus();
  });
  if (embedded) window.parent.postMessage({ type: "clinic-bot:ready" }, "*");
})();
