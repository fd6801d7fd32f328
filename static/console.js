// The staff console's page: files, editor with checks as you type, try, publish, versions.
// Everything shown is set with textContent: staff's text and visitors' wordings are never HTML.
"use strict";

// The origin is named so that no address carries the login (fetch refuses one that does).
const BASE = location.origin + location.pathname.replace(/\/?$/, "/");
const $ = (id) => document.getElementById(id);
let opened = { path: null, version: null };  // the file in the editor, as last loaded or saved
let checkTimer = null;

async function call(path, method = "GET", body = undefined) {
  const options = { method, credentials: "same-origin", headers: {} };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(BASE + path, options);
  const data = await response.json().catch(() => ({ error: `the server answered ${response.status}` }));
  if (!response.ok) throw new Error(data.error || `the server answered ${response.status}`);
  return data;
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

// -- files -------------------------------------------------------------------------------------
async function listFiles() {
  const { files } = await call("files");
  const list = $("files");
  list.replaceChildren(...files.map((name) => {
    const item = el("li");
    const button = el("button", name);
    button.type = "button";
    button.setAttribute("aria-current", String(name === opened.path));
    button.addEventListener("click", () => openFile(name));
    item.append(button);
    return item;
  }));
}

async function openFile(name) {
  try {
    const file = await call("file?path=" + encodeURIComponent(name));
    show(file.path, file.text, file.version);
  } catch (error) {
    say("save-status", error.message, "error");
  }
}

function show(path, text, version) {
  opened = { path, version };
  $("path").value = path;
  $("text").value = text;
  $("delete").hidden = !/^(faq|articles)\//.test(path);  /* clinic.yml and the lists stay */
  say("save-status", version ? "" : "New file: not saved yet.", "help");
  listFiles();
  checkSoon(0);
}

function slug(text) {
  return text.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "new";
}

function quoted(text) {
  return '"' + text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\s+/g, " ").trim() + '"';
}

function newFaq(wordings = []) {
  const [first, ...others] = wordings.length ? wordings : ["Your question?"];
  const also = others.length ? "also_asked:\n" + others.map((w) => "  - " + quoted(w)).join("\n") + "\n" : "";
  show(`faq/${slug(first)}.md`, `---\nquestion: ${quoted(first)}\n${also}---\n\nWrite the answer here.\n`, null);
  $("text").focus();
}

function newArticle() {
  show("articles/new-article.md", "---\ntitle: Title of the article\n# url: the article's page on the clinic's site, for \"Read more\"\n---\n\n" +
       "## First section, as a heading\n\nWrite the section here.\n", null);
  $("path").focus();
}

// -- checks as you type --------------------------------------------------------------------------
function checkSoon(delay = 500) {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(check, delay);
}

async function check() {
  const path = $("path").value.trim();
  if (!path) return;
  try {
    const { problems } = await call("check", "POST", { path, text: $("text").value });
    showProblems(problems, path);
  } catch (error) {
    $("problems").replaceChildren(el("p", error.message, "error"));
  }
}

function showProblems(problems, path) {
  const box = $("problems");
  if (!problems.length) {
    box.replaceChildren(el("p", "No problems found.", "ok"));
    return;
  }
  const list = el("ul");
  for (const problem of problems) {
    const item = el("li", null, problem.severity);
    if (problem.path === path) {
      const jump = el("button", `line ${problem.line}`);
      jump.type = "button";
      jump.addEventListener("click", () => goToLine(problem.line));
      item.append(`${problem.severity}, `, jump, `: ${problem.message}`);
    } else {
      item.textContent = problem.text;
    }
    list.append(item);
  }
  const errors = problems.filter((p) => p.severity === "error").length;
  box.replaceChildren(el("p", `${errors} error(s), ${problems.length - errors} warning(s)`), list);
}

function goToLine(line) {
  const text = $("text");
  const lines = text.value.split("\n");
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  text.focus();
  text.setSelectionRange(start, start + (lines[line - 1] || "").length);
}

async function save() {
  const path = $("path").value.trim();
  try {
    const saved = await call("file", "PUT", { path, text: $("text").value, version: opened.version });
    opened = { path, version: saved.version };
    const errors = saved.problems.filter((p) => p.severity === "error").length;
    say("save-status", errors ? `Saved, but the folder has ${errors} error(s): fix them before publishing.`
                              : "Saved. Try it below, then publish.", errors ? "warning" : "ok");
    if (errors) {
      showProblems(saved.problems, path);
      $("problems").scrollIntoView({ block: "nearest" });  /* where the mistakes are, not below the fold */
    }
    listFiles();
  } catch (error) {
    say("save-status", error.message, "error");
  }
}

async function remove() {
  const path = $("path").value.trim();
  if (!opened.version || !confirm(`Delete ${path}? A copy is kept in the history folder.`)) return;
  try {
    await call("file", "DELETE", { path, version: opened.version });
    show(path, "", null);
    say("save-status", `Deleted ${path}.`, "ok");
  } catch (error) {
    say("save-status", error.message, "error");
  }
}

function say(id, text, className) {
  const node = $(id);
  node.textContent = text;
  node.className = className || "";
}

// -- try -----------------------------------------------------------------------------------------
async function tryQuestion(event) {
  event.preventDefault();
  const question = $("question").value.trim();
  if (!question) return;
  for (const id of ["draft-reply", "published-reply"]) busy(id);
  try {
    const result = await call("try", "POST", { question });
    showReply("draft-reply", "Your edits (draft)", result.draft,
              result.draft_problems.length ? "The draft has errors: fix them to try it." : "");
    showReply("published-reply", "Published (what visitors get)", result.published,
              result.published ? "" : "Nothing is published yet.");
  } catch (error) {
    $("draft-reply").replaceChildren(el("h3", "Your edits (draft)"), el("p", error.message, "error"));
  }
}

function busy(id) {
  const box = $(id);
  box.replaceChildren(box.querySelector("h3"), el("p", "Asking…", "help"));
}

function showReply(id, title, reply, missing) {
  const box = $(id);
  if (!reply) {
    box.replaceChildren(el("h3", title), el("p", missing, "warning"));
    return;
  }
  const why = [`Why: ${reply.reason}`];
  if (reply.matched) why.push(`matched ${reply.matched}${reply.file ? ` (${reply.file})` : ""}`);
  box.replaceChildren(el("h3", title), el("span", reply.type, "type " + reply.type), el("p", reply.answer),
                      el("p", why.join("; "), "why"));
}

// -- publish and versions ---------------------------------------------------------------------------
async function preview() {
  $("publish-button").disabled = true;
  $("verdict").replaceChildren(el("p", "Comparing every evaluation question… (a few seconds)", "help"));
  try {
    showVerdict(await call("preview", "POST", {}));
  } catch (error) {
    $("verdict").replaceChildren(el("p", error.message, "error"));
  }
}

const KINDS = [
  ["regression", "Answers that would become wrong (these block the publish)"],
  ["newly answered", "Questions newly answered instead of handed off (confirm below)"],
  ["now right", "Wrong before, right now"],
  ["answer changed", "Still right, worded differently"],
  ["still wrong", "Wrong before and after"],
];

function showVerdict(plan) {
  const box = $("verdict");
  const errors = plan.problems.filter((p) => p.severity === "error");
  if (errors.length) {
    const list = el("ul");
    for (const problem of errors) list.append(el("li", problem.text, "error"));
    box.replaceChildren(el("p", plan.say, "error"), list);
    $("confirm-row").hidden = true;
    $("publish-button").disabled = true;
    return;
  }
  const parts = [el("p", "What changed: " + (plan.content.join("; ") || "nothing in the articles or FAQ"))];
  for (const [split, score] of Object.entries(plan.scores)) {
    const before = score.before === null || score.before === undefined ? "none" : pct(score.before);
    const confirmed = plan.to_confirm && split === "dev" ? ` (${pct(score.confirmed)} once the new answers are confirmed)` : "";
    parts.push(el("p", `Evaluation (${split}): ${before} → ${pct(score.after)}${confirmed}`, "help"));
  }
  for (const [kind, title] of KINDS) {
    const changes = plan.changes.filter((c) => c.kind === kind);
    if (!changes.length) continue;
    const section = el("details", null, "verdict");
    section.open = kind === "regression" || kind === "newly answered";
    const summary = el("summary", `${title}: ${changes.length}`);
    const list = el("ul");
    for (const change of changes) {
      const item = el("li");
      const what = [el("strong", `“${change.question}”`), ` ${change.before ? change.before.type : "none"} → ${change.after.type}: `,
                    el("span", change.why, change.kind === "regression" ? "error" : "")];
      if (kind === "newly answered") {
        /* Each new answer is read and ticked on its own: one box for all invited approving wrong ones. */
        const label = el("label", null, "confirm");
        const tick = el("input");
        tick.type = "checkbox";
        tick.addEventListener("change", updatePublishable);
        label.append(tick, ...what);
        item.append(label);
      } else {
        item.append(...what);
      }
      if (change.after.type === "answer") item.append(el("p", change.after.answer, "why"));
      list.append(item);
    }
    section.append(summary, list);
    parts.push(section);
  }
  parts.push(el("p", plan.say, plan.blocked_even_if_confirmed && !plan.unchanged ? "error" : "help"));
  box.replaceChildren(...parts);
  const needsConfirm = plan.to_confirm > 0 && !plan.blocked_even_if_confirmed;
  $("confirm-row").hidden = !needsConfirm;
  $("publish-button").disabled = Boolean(plan.blocked_even_if_confirmed);
  updatePublishable();
}

/* Publish waits until every new answer is ticked as right. */
function updatePublishable() {
  const ticks = [...document.querySelectorAll("#verdict label.confirm input")];
  const done = ticks.filter((t) => t.checked).length;
  $("confirm-row").textContent = ticks.length ? `${done} of ${ticks.length} new answers confirmed as right.` : "";
  $("confirm-row").hidden = !ticks.length;
}

function pct(value) {
  return (value * 100).toFixed(1) + "%";
}

async function publish() {
  const ticks = [...document.querySelectorAll("#verdict label.confirm input")];
  const waiting = ticks.filter((t) => !t.checked);
  if (waiting.length) {
    say("publish-status", `Tick each new answer that is right first (${waiting.length} left). ` +
        "If one is wrong, change the files instead.", "error");
    waiting[0].focus();
    return;
  }
  const confirmed = ticks.length > 0;
  $("publish-button").disabled = true;
  say("publish-status", "Publishing…", "help");
  try {
    const result = await call("publish", "POST", { confirm: confirmed });
    say("publish-status", `Published ${result.published}; visitors get it within ${result.switch_seconds} s.`, "ok");
    $("confirm-row").hidden = true;
    listVersions();
  } catch (error) {
    say("publish-status", error.message, "error");
  }
}

async function listVersions() {
  const { versions } = await call("versions");
  const rows = versions.map((v) => {
    const row = el("tr");
    const action = el("td");
    if (v.current) {
      action.textContent = "Visitors get this";
    } else if (v.usable) {
      const back = el("button", "Roll back to this");
      back.type = "button";
      back.className = "quiet";
      back.setAttribute("aria-label", `Roll back to ${v.file}`);
      back.addEventListener("click", () => rollback(v.file));
      action.append(back);
    } else {
      action.textContent = "Refused: " + v.refused;
    }
    row.append(el("td", v.file), el("td", v.published || ""), el("td", v.by || ""),
               el("td", (v.changes || []).join("; ")), action);
    return row;
  });
  $("versions").replaceChildren(...(rows.length ? rows : [el("tr")]));
  if (!rows.length) $("versions").firstChild.append(el("td", "Nothing published yet."));
}

async function rollback(file) {
  if (!confirm(`Give visitors the version ${file} again?\n\nYour files are not changed: the next ` +
               "Publish sends what is in them now, including what this rolls back.")) return;
  try {
    const result = await call("rollback", "POST", { file });
    say("publish-status", `Visitors get ${result.current} again within ${result.switch_seconds} s.`, "ok");
    listVersions();
  } catch (error) {
    say("publish-status", error.message, "error");
  }
}

// -- start ---------------------------------------------------------------------------------------
document.addEventListener("DOMContentLoaded", () => {
  $("text").addEventListener("input", () => checkSoon());
  $("path").addEventListener("change", () => checkSoon(0));
  $("save").addEventListener("click", save);
  $("delete").addEventListener("click", remove);
  $("new-faq").addEventListener("click", () => newFaq());
  $("new-article").addEventListener("click", newArticle);
  $("try-form").addEventListener("submit", tryQuestion);
  $("preview").addEventListener("click", preview);
  $("publish-button").addEventListener("click", publish);
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") {
      event.preventDefault();
      save();
    }
  });
  const asked = new URLSearchParams(location.search);
  if (asked.get("new") === "faq") newFaq(asked.getAll("q").filter(Boolean).slice(0, 20));
  else listFiles().then(() => openFile("clinic.yml"));
  listVersions();
});
