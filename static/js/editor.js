/* The rule editor: ACE in YAML mode, live validation, scenarios, preview, save with locking.
 * Runs under the strict CSP: no inline script, no eval, ACE's CSS linked by the page. */
"use strict";

(function () {
  const CHECK_DELAY_MS = 400;
  const data = JSON.parse(document.getElementById("editor-data").textContent);
  const files = Object.assign({}, data.files); // the working copy: name -> text
  const sessions = {}; // name -> ACE EditSession
  let baseVersion = data.base_version;
  let current = null;
  let lastCheck = null;
  let checkTimer = null;
  let checkSeq = 0;
  let dirty = false;

  const $ = (id) => document.getElementById(id);
  const csrf = () => {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const headers = document.body.getAttribute("hx-headers");
    return headers ? JSON.parse(headers)["X-CSRFToken"] : "";
  };

  function element(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => {
      if (key === "className") node.className = value;
      else if (key.startsWith("data-")) node.setAttribute(key, value);
      else node[key] = value;
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function item(child) {
    const li = document.createElement("li");
    li.append(child);
    return li;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body),
    });
  }

  // --- ACE -------------------------------------------------------------------------------

  ace.config.set("useStrictCSP", true);
  ace.config.set("loadWorkerFromBlob", false);
  ace.config.set("basePath", document.querySelector("script[src*='django_ace/ace/ace.js']")
    .getAttribute("src").replace(/ace\.js$/, ""));
  const editor = ace.edit("ace-editor", {
    theme: "ace/theme/chrome",
    useWorker: false,
    fontSize: "14px",
    // The system monospace font at a roomier line height: underscores are not clipped.
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace',
    showPrintMargin: false,
    tabSize: 2,
    useSoftTabs: true,
    wrap: false,
  });

  function sessionFor(name) {
    if (!sessions[name]) {
      const session = ace.createEditSession(files[name], "ace/mode/yaml");
      session.setUseWorker(false);
      session.setTabSize(2);
      session.setUseSoftTabs(true);
      session.on("change", () => {
        files[name] = session.getValue();
        changed();
      });
      sessions[name] = session;
    }
    return sessions[name];
  }

  function open(name, line, column) {
    if (!(name in files)) return;
    current = name;
    editor.setSession(sessionFor(name));
    $("current-file").textContent = name;
    renderFiles();
    annotate();
    if (line) {
      editor.gotoLine(line, Math.max((column || 1) - 1, 0), true);
      editor.scrollToLine(line, true, true, () => {});
    }
    editor.focus();
  }

  // --- files -----------------------------------------------------------------------------

  function problemsOf(name) {
    return (lastCheck ? lastCheck.problems : []).filter((p) => p.file === name);
  }

  function renderFiles() {
    const list = $("file-list");
    list.replaceChildren();
    Object.keys(files).sort().forEach((name) => {
      const problems = problemsOf(name);
      const errors = problems.filter((p) => p.severity === "error").length;
      const button = element("button", { type: "button", className: "file-button" });
      button.append(element("code", {}, name));
      if (errors) button.append(element("span", { className: "count count-error" }, String(errors)));
      else if (problems.length) button.append(element("span", { className: "count count-warning" }, String(problems.length)));
      if (name === current) button.setAttribute("aria-current", "true");
      button.addEventListener("click", () => open(name));
      list.append(item(button));
    });
  }

  $("add-file-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("new-file-name");
    const name = input.value.trim();
    if (!/^[A-Za-z0-9_][A-Za-z0-9_./-]*\.ya?ml$/.test(name) || name.split("/").includes("..")) {
      setStatus("A new file needs a relative name ending in .yaml, such as rules/new.yaml.", "error");
      return;
    }
    if (name in files) {
      setStatus(`${name} already exists.`, "error");
      return;
    }
    files[name] = "# " + name + "\n";
    input.value = "";
    open(name);
    changed();
  });

  $("delete-file").addEventListener("click", () => {
    if (!current || Object.keys(files).length < 2) return;
    if (!window.confirm(`Delete ${current} from this draft? It stays in the saved versions.`)) return;
    delete files[current];
    delete sessions[current];
    open(Object.keys(files).sort()[0]);
    changed();
  });

  // --- live validation -------------------------------------------------------------------

  function changed() {
    dirty = true;
    $("check-status").textContent = "editing…";
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, CHECK_DELAY_MS);
  }

  async function check() {
    const seq = ++checkSeq;
    $("check-status").textContent = "checking…";
    let response;
    try {
      response = await post(data.urls.validate, { files });
    } catch (error) {
      $("check-status").textContent = "could not reach the server; your text is kept";
      return;
    }
    if (seq !== checkSeq) return; // a newer check is on its way
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      $("check-status").textContent = (body.error && body.error.message) || `check failed (${response.status})`;
      return;
    }
    lastCheck = await response.json();
    renderCheck();
  }

  function annotate() {
    if (!current) return;
    sessionFor(current).setAnnotations(problemsOf(current).map((p) => ({
      row: p.line - 1,
      column: p.column - 1,
      text: p.message,
      type: p.severity === "error" ? "error" : "warning",
    })));
  }

  function renderCheck() {
    const problems = lastCheck.problems;
    const errors = problems.filter((p) => p.severity === "error").length;
    $("check-status").textContent = errors
      ? `${errors} error${errors === 1 ? "" : "s"}`
      : (lastCheck.publishable ? "no errors; every scenario passes" : "no errors");
    $("check-status").dataset.state = errors ? "error" : "ok";
    $("problem-count").textContent = String(problems.length);
    const list = $("problem-list");
    list.replaceChildren();
    problems.forEach((p) => {
      const button = element("button", { type: "button", className: `problem problem-${p.severity}` });
      button.append(element("code", {}, `${p.file}:${p.line}:${p.column}`), " ", p.message);
      button.addEventListener("click", () => open(p.file, p.line, p.column));
      list.append(item(button));
    });
    if (!problems.length) list.append(element("li", { className: "muted" }, "No problems."));
    renderScenarios();
    renderFiles();
    annotate();
  }

  function renderScenarios() {
    const scenarios = lastCheck.scenarios;
    const failed = scenarios.filter((s) => !s.passed).length;
    $("scenario-count").textContent = lastCheck.valid ? `${scenarios.length - failed}/${scenarios.length} pass` : "";
    $("scenario-count").dataset.state = failed ? "error" : "ok";
    const coverage = lastCheck.coverage;
    $("coverage").textContent = !lastCheck.valid
      ? "Scenarios run once the pack loads without errors."
      : `Rule coverage ${coverage.covered}/${coverage.rules} (${coverage.percent}%)` +
        (coverage.uncovered.length ? `; no scenario fires: ${coverage.uncovered.join(", ")}` : "");
    const list = $("scenario-list");
    list.replaceChildren();
    scenarios.slice().sort((a, b) => a.passed - b.passed).forEach((s) => {
      const row = element("li", { className: s.passed ? "pass" : "fail" });
      const button = element("button", { type: "button", className: "link-button" });
      button.append(element("span", { className: "mark" }, s.passed ? "pass" : "FAIL"), " ", s.id);
      button.title = s.title;
      button.addEventListener("click", () => open(s.file, s.line, 1));
      row.append(button);
      s.failures.forEach((f) => row.append(element("div", { className: "failure" }, f)));
      list.append(row);
    });
    const select = $("preview-scenario");
    const chosen = select.value;
    select.replaceChildren(...scenarios.map((s) => element("option", { value: s.id }, `${s.id} — ${s.title}`)));
    if (!scenarios.length) select.append(element("option", { value: "" }, "none until the pack loads"));
    select.disabled = !scenarios.length;
    $("preview-form").querySelector("button").disabled = !scenarios.length;
    if (scenarios.some((s) => s.id === chosen)) select.value = chosen;
  }

  // --- preview and references (HTML fragments rendered by the server) ----------------------

  async function fragment(url, body, target) {
    const out = $(target);
    out.setAttribute("aria-busy", "true");
    try {
      const response = await post(url, body);
      out.innerHTML = await response.text(); // our own escaped template
    } catch (error) {
      out.textContent = "Could not reach the server.";
    }
    out.removeAttribute("aria-busy");
    out.querySelectorAll("button.jump").forEach((button) => {
      button.addEventListener("click", () => open(button.dataset.file, Number(button.dataset.line), Number(button.dataset.column)));
    });
  }

  $("preview-form").addEventListener("submit", (event) => {
    event.preventDefault();
    fragment(data.urls.preview, { files, scenario: $("preview-scenario").value }, "preview-out");
  });

  $("refs-form").addEventListener("submit", (event) => {
    event.preventDefault();
    fragment(data.urls.references, { files, id: $("refs-id").value }, "refs-out");
  });

  // --- saving ------------------------------------------------------------------------------

  function setStatus(message, state, link) {
    const status = $("save-status");
    status.replaceChildren(message);
    status.dataset.state = state || "";
    if (link) status.append(" ", element("a", { href: link.href, id: link.id }, link.text));
  }

  async function save() {
    const message = $("save-message").value.trim();
    if (!message) {
      setStatus("Say in a few words what changed; it is the version's message.", "error");
      $("save-message").focus();
      return;
    }
    $("save-button").disabled = true;
    setStatus("Saving…");
    try {
      const response = await post(data.urls.save, { base_version: baseVersion, message, files });
      const body = await response.json().catch(() => ({}));
      if (response.status === 201) saved(body);
      else if (response.status === 409) conflict(body.conflict);
      else setStatus(`Not saved: ${describeError(body)}. Your text is kept.`, "error");
    } catch (error) {
      setStatus("Not saved: the server could not be reached. Your text is kept.", "error");
    }
    $("save-button").disabled = false;
  }

  function describeError(body) {
    const error = body.error || {};
    const fields = Object.entries(error.fields || {}).map(([k, v]) => `${k}: ${v.join(" ")}`);
    return [error.message || "unexpected answer", ...fields].join("; ");
  }

  function saved(version) {
    dirty = false;
    baseVersion = version.number;
    $("base-number").textContent = String(version.number);
    $("conflict").hidden = true;
    $("save-message").value = "";
    const url = data.urls.version.replace("{n}", version.number);
    history.replaceState(null, "", data.urls.edit.replace("{n}", version.number) + window.location.search);
    const state = version.summary.errors ? "warning" : "ok";
    setStatus(`Saved as draft version ${version.number}.`, state,
      { href: url, id: "saved-link", text: `Open v${version.number} to publish it` });
  }

  function conflict(info) {
    $("conflict").hidden = false;
    $("conflict-summary").textContent =
      `Version ${info.latest_version} was saved by ${info.latest_author || "someone"} ` +
      `(“${info.latest_message}”) after version ${info.base_version}, which you edited. Nothing was stored.`;
    $("conflict-theirs").textContent = info.their_changes || "(no changes)";
    $("conflict-yours").textContent = info.your_changes || "(no changes)";
    $("conflict-open").href = data.urls.version.replace("{n}", info.latest_version);
    $("conflict-save").dataset.latest = info.latest_version;
    setStatus(`Not saved: version ${info.latest_version} was saved in the meantime. Your text is kept.`, "error");
    $("conflict").scrollIntoView({ block: "start" });
  }

  $("save-form").addEventListener("submit", (event) => {
    event.preventDefault();
    save();
  });

  $("conflict-save").addEventListener("click", () => {
    baseVersion = Number($("conflict-save").dataset.latest);
    save();
  });

  window.addEventListener("beforeunload", (event) => {
    if (dirty) event.preventDefault();
  });

  editor.commands.addCommand({
    name: "save",
    bindKey: { win: "Ctrl-S", mac: "Command-S" },
    exec: () => save(),
  });

  const line = Number((window.location.hash.match(/^#L(\d+)$/) || [])[1]) || 0;
  open(data.open, line, 1);
  check();
})();
