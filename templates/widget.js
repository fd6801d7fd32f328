/* Clinic FAQ bot launcher. Paste on any site:
 *   <script src="https://BOT-HOST/widget.js" async></script>
 * Options (data- attributes on that tag): data-position="left|right", data-color="#0b5cad",
 * data-greeting="text", data-open="true", data-fallback="id of the page's own call/email link, which the
 * launcher replaces (it stays if this script cannot load)".
 * The chat runs in an iframe served by the bot, inside a shadow root, so the host page's CSS can't
 * break it and it can't break the host page. Nothing here throws into the host page. */
(function () {
  "use strict";

  /* The clinic's colour as the chat can use it: opaque, and dark enough that white text on it (the
   * header, the launcher, the visitor's bubbles) and it as text on white (the buttons) reach the
   * 4.5:1 contrast WCAG AA asks for. A lighter colour is darkened, with a console note saying so. */
  function readableAccent(color) {
    var hex = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(color || "") ? color.slice(1) : "0b5cad";
    if (hex.length <= 4) hex = hex.replace(/./g, "$&$&");
    var rgb = [0, 2, 4].map(function (i) { return parseInt(hex.substr(i, 2), 16); });
    function contrast(c) {
      var l = c.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
      return 1.05 / (0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2] + 0.05);
    }
    var shade = rgb, step = 0;
    while (contrast(shade) < 4.5 && step < 100) {
      step += 1;
      shade = rgb.map(function (v) { return Math.round(v * (1 - step / 100)); });
    }
    var out = "#" + shade.map(function (v) { return (v < 16 ? "0" : "") + v.toString(16); }).join("");
    if (color && out.toLowerCase() !== ("#" + hex.slice(0, 6)).toLowerCase()) {
      console.warn("clinic bot: data-color " + color + " was made " + out + " so that text on it stays readable (WCAG AA 4.5:1)");
    }
    return out;
  }

  try {
    var CLINIC = {{ clinic | tojson }};
    var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
    if (!script || window.__clinicBotLoaded) return;
    window.__clinicBotLoaded = true;
    var origin = new URL(script.src, window.location.href).origin;
    var data = script.dataset || {};
    var side = data.position === "left" ? "left" : "right";
    var accent = readableAccent(data.color);

    var host = document.createElement("div");
    host.setAttribute("data-clinic-bot", "");
    var shadow = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
    var css = [
      ":host{all:initial}",
      ".launcher{position:fixed;bottom:20px;" + side + ":20px;z-index:2147483000;display:flex;align-items:center;gap:8px;",
      "min-height:56px;padding:0 20px;border:0;border-radius:28px;background:" + accent + ";color:#fff;",
      "font:600 16px/1.2 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer}",
      ".launcher:focus-visible{outline:3px solid #f5a623;outline-offset:3px}",
      ".launcher[data-down]{background:#52606d}",
      ".badge{min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#fff;color:" + accent + ";",
      "font:700 13px/22px system-ui,sans-serif;text-align:center}",
      ".badge[hidden]{display:none}",
      ".panel{position:fixed;bottom:88px;" + side + ":20px;z-index:2147483000;width:380px;height:600px;",
      "max-height:calc(100vh - 110px);border-radius:14px;overflow:hidden;background:#fff;box-shadow:0 8px 30px rgba(0,0,0,.3)}",
      ".panel[hidden]{display:none}",
      ".panel iframe{border:0;width:100%;height:100%}",
      ".down{position:relative;padding:20px 56px 20px 20px;font:16px/1.5 system-ui,sans-serif;color:#1f2933}",
      ".close{position:absolute;top:8px;right:8px;width:44px;height:44px;border:0;border-radius:50%;background:#f0f4f8;",
      "color:#1f2933;font:28px/1 system-ui,sans-serif;cursor:pointer}",
      ".close:focus-visible{outline:3px solid #f5a623;outline-offset:2px}",
      ".down a{color:#0b5cad}",
      /* A phone, or a desktop at 200-400% zoom: the chat takes the whole window (inside the notch's
       * safe area), rather than a box too small to read. */
      "@media (max-width:480px),(max-height:560px){.panel{inset:0;width:100%;height:100%;max-height:none;border-radius:0;",
      "box-sizing:border-box;padding:env(safe-area-inset-top) env(safe-area-inset-right) env(safe-area-inset-bottom) env(safe-area-inset-left)}}",
      ".launcher{margin-bottom:env(safe-area-inset-bottom)}"
    ].join("");
    /* A constructed stylesheet is not inline CSS, so a host page's strict style-src CSP allows it. */
    if (shadow.adoptedStyleSheets !== undefined && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      var style = document.createElement("style");
      style.textContent = css;
      shadow.appendChild(style);
    }

    var launcher = document.createElement("button");
    launcher.type = "button";
    launcher.className = "launcher";
    launcher.setAttribute("aria-haspopup", "dialog");
    launcher.setAttribute("aria-expanded", "false");
    var LABEL = "Questions? Chat with us";
    var label = document.createElement("span");
    label.textContent = LABEL;
    var badge = document.createElement("span");
    badge.className = "badge";
    badge.hidden = true;
    launcher.appendChild(label);
    launcher.appendChild(badge);
    shadow.appendChild(launcher);
    var unread = 0;

    /* Replies that came while the chat was closed, on the launcher as Intercom's and Tidio's do. */
    function showUnread(count) {
      unread = count;
      badge.hidden = !count;
      badge.textContent = String(count);
      launcher.setAttribute("aria-label", count ? LABEL + " (" + count + " new " + (count === 1 ? "reply" : "replies") + ")" : LABEL);
      if (!count) launcher.removeAttribute("aria-label");
    }

    var panel = document.createElement("div");
    panel.className = "panel";
    panel.hidden = true;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", "Chat with " + CLINIC.name);
    shadow.appendChild(panel);

    var frame = null;
    var ready = false;
    var timer = null;

    /* The bot may be framed only by the sites the clinic allowed (and by itself); elsewhere the chat
     * can't load, so the phone and email show at once instead of a blocked frame. */
    function embedAllowed() {
      var here = window.location.origin;
      return [origin].concat(CLINIC.embed || []).some(function (allowed) {
        var pattern = "^" + allowed.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]+") + "$";
        return new RegExp(pattern, "i").test(here);
      });
    }

    /* The fallback: the clinic's phone and email, closable like the chat (on a phone it covers the
     * page, so it must never trap the visitor). */
    function showDown() {
      ready = false;
      launcher.setAttribute("data-down", "");
      label.textContent = "Chat unavailable · Call " + CLINIC.phone;
      showUnread(0);
      panel.textContent = "";
      var box = document.createElement("div");
      box.className = "down";
      box.setAttribute("role", "status");
      var shut = document.createElement("button");
      shut.type = "button";
      shut.className = "close";
      shut.setAttribute("aria-label", "Close");
      shut.textContent = "×";
      shut.addEventListener("click", close);
      box.appendChild(shut);
      var text = document.createElement("p");
      text.textContent = "The chat is unavailable right now. Please call or email " + CLINIC.name + ".";
      var tel = document.createElement("a");
      tel.href = "tel:" + CLINIC.phone.replace(/[^0-9+]/g, "");
      tel.textContent = CLINIC.phone;
      var mail = document.createElement("a");
      mail.href = "mailto:" + CLINIC.email;
      mail.textContent = CLINIC.email;
      var contact = document.createElement("p");
      contact.appendChild(tel);
      contact.appendChild(document.createTextNode(" · "));
      contact.appendChild(mail);
      box.appendChild(text);
      box.appendChild(contact);
      panel.appendChild(box);
      frame = null;
      if (!panel.hidden) shut.focus();
    }

    function probe() {
      /* Whether the chat can be reached from this page: never on a site not allowed; elsewhere an
       * opaque no-cors request resolves when the bot answers at all, rejects when it is down. */
      if (!embedAllowed()) return Promise.reject(new Error("this site may not embed the chat"));
      return fetch(origin + "/healthz", { mode: "no-cors", cache: "no-store" });
    }

    var focusOnReady = true;

    /* ``byPage``: opened by data-open, not by the visitor, so focus stays where the visitor is. */
    function open(byPage) {
      panel.hidden = false;
      showUnread(0);
      launcher.setAttribute("aria-expanded", "true");
      focusOnReady = !byPage;
      if (frame && ready) {
        if (!byPage) focusChat();
        return;
      }
      if (frame) return;
      probe().then(function () {
        frame = document.createElement("iframe");
        frame.title = "Chat with " + CLINIC.name;
        var query = new URLSearchParams({ accent: accent });
        if (data.greeting) query.set("greeting", data.greeting);
        frame.src = origin + "/chat?" + query.toString();
        panel.textContent = "";
        panel.appendChild(frame);
        clearTimeout(timer);
        timer = setTimeout(function () { if (!ready) showDown(); }, 8000);
      }, showDown);
    }

    function focusChat() {
      /* Focus the frame from this page (which has the visitor's click or key press), then ask the
       * chat to focus its text box. */
      frame.focus();
      frame.contentWindow.postMessage({ type: "clinic-bot:focus" }, origin);
    }

    function close() {
      panel.hidden = true;
      launcher.setAttribute("aria-expanded", "false");
      launcher.focus();
    }

    launcher.addEventListener("click", function () {
      if (panel.hidden) open(false); else close();
    });

    /* data-open: open at load where the chat sits beside the page; on a phone (or a short or
     * zoomed window) the chat would cover the clinic's page before the visitor saw it. */
    function openByPage() {
      if (data.open === "true" && !window.matchMedia("(max-width:480px),(max-height:560px)").matches) open(true);
    }
    shadow.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !panel.hidden) close();
    });
    window.addEventListener("message", function (event) {
      if (event.origin !== origin || !event.data) return;
      if (event.data.type === "clinic-bot:ready") {
        ready = true;
        clearTimeout(timer);
        launcher.removeAttribute("data-down");
        label.textContent = LABEL;  /* back after an outage */
        if (!panel.hidden && frame && focusOnReady) focusChat();
      } else if (event.data.type === "clinic-bot:close") {
        close();
      } else if (event.data.type === "clinic-bot:reply" && panel.hidden) {
        showUnread(unread + 1);
      }
    });

    function mount() {
      document.body.appendChild(host);
      /* The page's own "call us" link was there in case this script could not load: now it can. */
      var fallback = data.fallback && document.getElementById(data.fallback);
      if (fallback) fallback.hidden = true;
      if (!embedAllowed()) {
        showDown();
        openByPage();
        return;
      }
      probe().then(openByPage, showDown);
    }
    if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
  } catch (error) {
    if (window.console) console.warn("clinic bot widget could not start:", error);
  }
})();
