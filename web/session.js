// A battle, live: one card per run, driven by the session's server-sent events.
//
// The event stream carries every status change, reply chunk and log line in order, each
// with the session's sequence number. The page builds replies and logs from the stream
// alone and remembers the last number it applied, so a dropped stream resumes exactly
// where it stopped: no line is lost and none is shown twice. After each status change the
// run's record is fetched for what events do not carry (files, checks, screenshots, scores).

import {
  api, el, formatBytes, formatDuration, isFinal, STAGE_ACTIVITY, statusLabel, voterId,
} from "./common.js";

const SANDBOX = "allow-scripts allow-forms allow-modals allow-popups";
const PHASES = [
  ["install", "Install log"],
  ["build", "Build log"],
  ["start", "Start log"],
  ["score", "Scoring log"],
  ["error", "Errors"],
];
/** Which log a stage writes, for the card's live view. */
const STAGE_PHASE = {
  installing: "install",
  building: "build",
  starting: "start",
  healthy: "start",
  capturing: "start",
  scoring: "start",
};
/** How long a hidden tab keeps its event stream open. */
const PARK_AFTER_MS = 60_000;
/** The stages whose times a card shows, in order; healthy counts with starting. */
const TIMED_STAGES = ["queued", "generating", "validating", "installing", "building", "starting",
  "capturing", "scoring"];
/** The sizes a live preview is laid out at before it is scaled into its card. */
const FRAMES = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};

const sessionId = (() => {
  try {
    return decodeURIComponent(location.pathname.split("/")[2] || "");
  } catch {
    return ""; // a mangled address: no session has that id
  }
})();
const cardsElement = document.getElementById("cards");
const summary = document.getElementById("battle-summary");
const connection = document.getElementById("connection");
const pageError = document.getElementById("page-error");
const vote = {
  namesNote: document.getElementById("vote-names-note"),
  excluded: document.getElementById("vote-excluded"),
  status: document.getElementById("vote-status"),
  controls: document.getElementById("vote-controls"),
  error: document.getElementById("vote-error"),
  result: document.getElementById("vote-result"),
  list: document.getElementById("vote-list"),
};

/**
 * The battle as the server last described it to this browser: an anonymous battle's
 * names stay hidden until this browser has voted on it.
 */
let session = null;

/** `voter=<id>`: tells the server whether this browser may see an anonymous battle's names. */
function voterQuery() {
  return `voter=${encodeURIComponent(voterId())}`;
}

function sessionUrl() {
  return `/api/sessions/${encodeURIComponent(sessionId)}?${voterQuery()}`;
}

/** Run id -> Card. */
const cards = new Map();
const utf8 = new TextEncoder();
/** Cards with text received but not drawn yet, and the last event applied. */
const undrawn = new Set();
let drawScheduled = false;
let appliedSeq = null;
let appliedCount = 0;
let repeatsDropped = 0;

function scheduleDraw(card) {
  if (card) undrawn.add(card);
  if (drawScheduled) return;
  drawScheduled = true;
  const draw = () => {
    drawScheduled = false;
    for (const each of undrawn) each.draw();
    undrawn.clear();
    // How far the page has caught up, for tools that watch it (the page benchmark, tests).
    const marks = document.body.dataset;
    marks.lastEvent = String(appliedSeq);
    marks.eventsApplied = String(appliedCount);
    marks.repeatsDropped = String(repeatsDropped);
  };
  // A hidden tab runs no animation frames; a timer keeps it current for when it is shown.
  if (document.visibilityState === "visible") requestAnimationFrame(draw);
  else setTimeout(draw, 250);
}
/** Browser clock minus server clock, so timers agree with the server's timestamps. */
let clockSkew = 0;

function serverNow() {
  return Date.now() - clockSkew;
}

class Card {
  constructor(record) {
    this.id = record.id;
    this.record = record;
    // Who the run is comes from the session, not from each refreshed record: an anonymous
    // battle's names change when the session says so, once this browser has voted.
    this.contestant = record.contestant;
    this.status = "queued";
    this.startedAt = record.transitions[0].at_ms;
    this.enteredAt = this.startedAt;
    this.endedAt = null;
    this.failedStage = null;
    this.reason = null;
    this.logs = Object.fromEntries(PHASES.map(([phase]) => [phase, []]));
    this.pendingReply = "";
    this.replyBytes = 0;
    this.pendingLines = {};
    this.livePhase = null;
    this.mode = null; // picked by the person: "live-desktop", "live-phone" or "shot:<viewport>"
    this.shownFile = null;
    this.refreshing = false;
    this.refreshAgain = false;
    this.build();
    this.render();
  }

  build() {
    const nameId = `name-${this.id}`;
    // Not a live region: replaying a battle would announce every change of every card; the
    // battle's summary line announces progress instead.
    this.badge = el("span", { class: "badge" });
    this.timer = el("span", { class: "timer", title: "Time since the run was queued" });
    this.caption = el("span", { class: "caption-text" });
    this.stageTimer = el("span", { class: "stage-timer" });

    this.waitingView = el("div", { class: "view view-waiting" },
      el("p", { text: "Waiting for its turn…" }));
    this.replyView = el("pre", { class: "view view-text", tabindex: "0", role: "log" });
    this.logView = el("pre", { class: "view view-text", tabindex: "0", role: "log" });
    this.frame = el("iframe", { sandbox: SANDBOX, referrerpolicy: "no-referrer" });
    // Marks the frame once its page has loaded (read by people's tools and the UI test).
    this.frame.addEventListener("load", () => {
      this.frame.dataset.loaded = this.frame.hasAttribute("src") ? "yes" : "";
    });
    this.previewView = el("div", { class: "view view-preview" }, this.frame);
    this.shot = el("img", { alt: "" });
    this.shotView = el("div", { class: "view view-shot" }, this.shot);
    this.failureTitle = el("p", { class: "failure-title" });
    this.failureReason = el("p", { class: "failure-reason" });
    this.failureLog = el("pre", { class: "failure-log", tabindex: "0",
      "aria-label": "The last lines of the failed stage's log" });
    this.failureView = el("div", { class: "view view-failure" },
      this.failureTitle, this.failureReason, this.failureLog);
    this.stage = el("div", { class: "stage" },
      this.waitingView, this.replyView, this.logView, this.previewView, this.shotView,
      this.failureView);
    new ResizeObserver(() => this.fitFrame()).observe(this.stage);

    this.controls = el("div", { class: "stage-controls", role: "group" });
    this.liveDesktop = this.modeButton("Live", "live-desktop", "Live site at desktop width");
    this.livePhone = this.modeButton("Phone", "live-phone", "Live site at phone width");
    this.shotButtons = el("span", { class: "shot-buttons" });
    this.openLive = el("a", { class: "open-live", target: "_blank", rel: "noopener noreferrer",
      "aria-disabled": "true", "aria-label": "Open the live site in a new tab", text: "Open ↗" });
    this.stopButton = el("button", { type: "button", class: "stop", disabled: true,
      text: "Stop", onclick: () => this.stop() });
    this.controls.append(this.liveDesktop, this.livePhone, this.shotButtons);

    // Every stage has its slot from the start, so times arriving never re-wrap the line.
    this.stageTimes = el("p", { class: "stage-times" });
    this.stageSlots = new Map(TIMED_STAGES.map((stage) => {
      const value = el("span", { class: "stage-value", text: "–" });
      this.stageTimes.append(el("span", { class: "stage-time" },
        el("span", { class: "muted", text: `${statusLabel(stage)} ` }), value));
      return [stage, value];
    }));
    this.usage = el("p", { class: "usage" });
    // The voter keeps an anonymous battle's names out of the file until this browser votes.
    this.download = el("a", { class: "download", download: "", hidden: true,
      href: `/api/runs/${encodeURIComponent(this.id)}/download?${voterQuery()}`,
      text: "Download project (ZIP)" });

    this.phaseLogs = {};
    const sections = [];
    for (const [phase, title] of PHASES) {
      const count = el("span", { class: "count" });
      const pre = el("pre", { class: "log", tabindex: "0" });
      const details = el("details", { class: "section", "data-phase": phase },
        el("summary", {}, el("span", { text: title }), count), pre);
      this.phaseLogs[phase] = { details, count, pre };
      sections.push(details);
    }

    this.filesCount = el("span", { class: "count" });
    this.fileList = el("ul", { class: "file-list" });
    this.fileName = el("p", { class: "file-name muted small", text: "Pick a file to read it." });
    this.fileText = el("pre", { class: "file-text", tabindex: "0", hidden: true });
    const files = el("details", { class: "section files" },
      el("summary", {}, el("span", { text: "Files" }), this.filesCount),
      this.fileList, this.fileName, this.fileText);

    this.checksCount = el("span", { class: "count" });
    this.checkList = el("ul", { class: "check-list" });
    const checks = el("details", { class: "section checks" },
      el("summary", {}, el("span", { text: "Checks" }), this.checksCount), this.checkList);

    this.scoresCount = el("span", { class: "count" });
    this.scoreTable = el("table", { class: "scores" });
    const scores = el("details", { class: "section scores-section" },
      el("summary", {}, el("span", { text: "Scores" }), this.scoresCount), this.scoreTable);

    this.replyText = el("pre", { class: "log", tabindex: "0" });
    this.replyCount = el("span", { class: "count" });
    const reply = el("details", { class: "section reply" },
      el("summary", {}, el("span", { text: "Reply" }), this.replyCount), this.replyText);

    this.nameHeading = el("h2", { id: nameId, class: "name" });
    this.modelLine = el("p", { class: "model" });
    this.element = el("article", { class: "card", id: `run-${this.id}`,
      "aria-labelledby": nameId },
      el("header", { class: "card-head" },
        el("div", { class: "who" }, this.nameHeading, this.modelLine),
        el("div", { class: "state" }, this.badge, this.timer)),
      el("div", { class: "stage-caption" }, this.caption, this.stageTimer, this.openLive,
        this.stopButton),
      this.stage,
      this.controls,
      this.stageTimes,
      this.usage,
      el("p", { class: "card-links" }, this.download),
      el("div", { class: "sections" }, ...sections, files, checks, scores, reply));
    this.setContestant(this.contestant);
  }

  /** Names the run everywhere on its card; an anonymous battle's names change on a vote. */
  setContestant(contestant) {
    this.contestant = contestant;
    const { name } = contestant;
    this.nameHeading.textContent = name;
    this.modelLine.textContent =
      [contestant.provider, contestant.model].filter(Boolean).join(" · ") || "Model hidden";
    this.replyView.setAttribute("aria-label", `Reply of ${name}, as it streams`);
    this.logView.setAttribute("aria-label", `Live log of ${name}`);
    this.frame.title = `Live preview of ${name}'s site`;
    this.controls.setAttribute("aria-label", `Preview of ${name}`);
    this.stopButton.setAttribute("aria-label", `Stop ${name}`);
    this.download.setAttribute("aria-label", `Download ${name}'s project (ZIP)`);
    if (this.shotViewport) this.shot.alt = `${this.shotViewport} screenshot of ${name}'s site`;
  }

  modeButton(text, mode, label) {
    return el("button", { type: "button", class: "mode", "aria-pressed": "false", disabled: true,
      "aria-label": label, text, onclick: () => { this.mode = mode; this.render(); } });
  }

  /**
   * Applies one event of the session's stream. Text is kept at once but drawn once per
   * frame: a battle's history is thousands of chunks and lines, and touching the page for
   * each would make replaying it take minutes.
   */
  handle(event) {
    if (event.type === "reply") {
      this.pendingReply += event.text;
      this.replyBytes += utf8.encode(event.text).length;
      scheduleDraw(this);
    } else if (event.type === "log") {
      const log = this.logs[event.phase] || (this.logs[event.phase] = []);
      log.push(event.line);
      this.pendingLines[event.phase] = `${this.pendingLines[event.phase] || ""}${event.line}\n`;
      scheduleDraw(this);
    } else if (event.type === "status") {
      this.draw();
      this.status = event.status;
      this.enteredAt = event.at_ms;
      if (isFinal(event.status)) this.endedAt = this.endedAt ?? event.at_ms;
      if (event.status === "failed" || event.status === "interrupted") {
        this.failedStage = event.stage;
        // The arena keeps the reason as the run's error log; it comes only in this event.
        if (event.reason) {
          this.logs.error.push(event.reason);
          this.pendingLines.error = `${this.pendingLines.error || ""}${event.reason}\n`;
          scheduleDraw(this);
        }
      }
      if (event.reason) this.reason = event.reason;
      this.render();
      this.refresh();
      // A failed run is scored after it fails, with no event to say so: look once more.
      if (event.status === "failed") setTimeout(() => this.refresh(), 5000);
      renderSummary();
      checkVoting();
    }
  }

  /** Puts the text received since the last frame on the page. */
  draw() {
    if (this.pendingReply) {
      this.appendText(this.replyView, this.pendingReply);
      this.replyText.append(this.pendingReply);
      this.replyCount.textContent = formatBytes(this.replyBytes);
      this.pendingReply = "";
    }
    for (const [phase, text] of Object.entries(this.pendingLines)) {
      const section = this.phaseLogs[phase];
      if (section) {
        const count = this.logs[phase].length;
        section.pre.append(text);
        section.count.textContent = `${count} ${count === 1 ? "line" : "lines"}`;
      }
      if (phase === this.livePhase) this.appendText(this.logView, text);
    }
    this.pendingLines = {};
  }

  /** Appends streamed text, following the end unless the reader has scrolled up. */
  appendText(pre, text) {
    const following = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 48;
    pre.append(text);
    if (following) pre.scrollTop = pre.scrollHeight;
  }

  /** Fetches the run's record; calls that arrive while one is in flight make one more. */
  async refresh() {
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = true;
    try {
      do {
        this.refreshAgain = false;
        this.record = await api(`/api/runs/${this.id}/summary?${voterQuery()}`);
        this.renderRecord();
      } while (this.refreshAgain);
    } catch (error) {
      pageError.textContent = `Could not load run ${this.id}: ${error.message}`;
    } finally {
      this.refreshing = false;
    }
  }

  async stop() {
    this.stopButton.disabled = true;
    try {
      await api(`/api/runs/${this.id}/stop`, { method: "POST" });
    } catch (error) {
      pageError.textContent = `Could not stop ${this.contestant.name}: ${error.message}`;
    }
  }

  /** The view the stage shows now: the person's pick when it is possible, else the state's. */
  currentView() {
    const record = this.record;
    const live = this.status === "ready" && record.public_url;
    const shots = record.screenshots || [];
    if (this.mode && this.mode.startsWith("live") && live) return this.mode;
    if (this.mode && this.mode.startsWith("shot:")
        && shots.some((shot) => `shot:${shot.viewport}` === this.mode)) return this.mode;
    if (live) return "live-desktop";
    if (this.status === "failed" || this.status === "interrupted") return "failure";
    if (this.status === "terminated") return shots.length ? `shot:${shots[0].viewport}` : "failure";
    if (this.status === "queued") return "waiting";
    if (this.status === "generating" || this.status === "validating") return "reply";
    return "log";
  }

  render() {
    this.draw();
    const status = this.status;
    this.element.dataset.status = status;
    this.badge.dataset.status = status;
    this.badge.className = `badge status-${status}`;
    this.badge.textContent = statusLabel(status);

    const view = this.currentView();
    const phase = STAGE_PHASE[status] || null;
    if (phase !== this.livePhase) {
      this.livePhase = phase;
      this.logView.textContent = phase ? this.logs[phase].map((line) => `${line}\n`).join("") : "";
      this.logView.scrollTop = this.logView.scrollHeight;
    }

    this.caption.textContent = this.captionText(view);
    this.waitingView.hidden = view !== "waiting";
    this.replyView.hidden = view !== "reply";
    this.logView.hidden = view !== "log";
    this.previewView.hidden = !view.startsWith("live");
    this.shotView.hidden = !view.startsWith("shot:");
    this.failureView.hidden = view !== "failure";

    if (view.startsWith("live")) {
      const url = this.record.public_url;
      if (this.frame.getAttribute("src") !== url) this.frame.setAttribute("src", url);
      this.frameSize = view === "live-phone" ? FRAMES.phone : FRAMES.desktop;
      this.fitFrame();
    } else if (isFinal(status) && status !== "ready" && this.frame.hasAttribute("src")) {
      // The site is gone; an iframe left pointing at it would show the gateway's 410.
      this.frame.removeAttribute("src");
    }
    if (view.startsWith("shot:")) this.showShot(view.slice("shot:".length));
    if (view === "failure") this.renderFailure();

    const live = status === "ready" && Boolean(this.record.public_url);
    this.liveDesktop.disabled = !live;
    this.livePhone.disabled = !live;
    this.liveDesktop.setAttribute("aria-pressed", String(view === "live-desktop"));
    this.livePhone.setAttribute("aria-pressed", String(view === "live-phone"));
    for (const button of this.shotButtons.children) {
      button.setAttribute("aria-pressed", String(view === `shot:${button.dataset.viewport}`));
    }
    if (live) {
      this.openLive.href = this.record.public_url;
      this.openLive.removeAttribute("aria-disabled");
    } else {
      this.openLive.removeAttribute("href");
      this.openLive.setAttribute("aria-disabled", "true");
    }
    this.stopButton.disabled = isFinal(status) && status !== "ready";
    this.tick();
  }

  captionText(view) {
    const status = this.status;
    if (view === "waiting") return "Queued";
    if (view === "reply") return status === "generating" ? "Writing the code" : "Checking the files";
    if (view === "log") {
      if (status === "capturing") return "Taking screenshots";
      if (status === "scoring") return "Scoring";
      return `${statusLabel(status)}: ${this.livePhase} log`;
    }
    if (view.startsWith("live")) return `Live site${view === "live-phone" ? " at phone width" : ""}`;
    if (view.startsWith("shot:")) return `Screenshot: ${view.slice("shot:".length)}`;
    if (status === "terminated") return "Stopped";
    return `${this.failureWord()} while ${STAGE_ACTIVITY[this.failedStage] || "running"}`;
  }

  /** A run cut short by the arena itself stopping was interrupted; one that broke, failed. */
  failureWord() {
    return this.status === "interrupted" ? "Interrupted" : "Failed";
  }

  renderFailure() {
    if (this.status === "terminated") {
      this.failureTitle.textContent = "Stopped";
      this.failureReason.textContent = this.reason || "";
      this.failureLog.hidden = true;
      return;
    }
    const stage = this.failedStage || this.record.failed_stage;
    const activity = STAGE_ACTIVITY[stage] || "running";
    this.failureTitle.textContent = `${this.failureWord()} while ${activity}`;
    this.failureReason.textContent = this.reason || this.record.failure || "";
    const lines = this.logs[STAGE_PHASE[stage]] || [];
    this.failureLog.hidden = lines.length === 0;
    this.failureLog.textContent = lines.slice(-40).join("\n");
    this.failureLog.scrollTop = this.failureLog.scrollHeight;
  }

  showShot(viewport) {
    const src = `/api/runs/${this.id}/screenshots/${encodeURIComponent(viewport)}`;
    if (this.shot.getAttribute("src") !== src) {
      this.shot.src = src;
      this.shotViewport = viewport;
      this.shot.alt = `${viewport} screenshot of ${this.contestant.name}'s site`;
    }
  }

  /** Scales the preview's fixed layout size down to the card, keeping its proportions. */
  fitFrame() {
    const size = this.frameSize || FRAMES.desktop;
    const width = this.stage.clientWidth;
    const height = this.stage.clientHeight;
    if (!width || !height) return;
    const scale = Math.min(width / size.width, height / size.height);
    const style = this.frame.style;
    style.setProperty("width", `${size.width}px`);
    style.setProperty("height", `${size.height}px`);
    style.setProperty("transform", `scale(${scale})`);
    style.setProperty("left", `${Math.max(0, (width - size.width * scale) / 2)}px`);
  }

  /** What the record adds to the stream: files, checks, scores, shots, times and cost. */
  renderRecord() {
    const record = this.record;
    this.reason = this.reason || record.failure;
    this.failedStage = this.failedStage || record.failed_stage;

    const shots = record.screenshots || [];
    if (this.shotButtons.children.length !== shots.length) {
      this.shotButtons.replaceChildren(...shots.map((shot) => {
        const button = this.modeButton(`${shot.viewport} shot`, `shot:${shot.viewport}`,
          `${shot.viewport} shot: screenshot at ${shot.width} by ${shot.height}`);
        button.dataset.viewport = shot.viewport;
        button.disabled = false;
        return button;
      }));
    }

    // The time queued counts the wait for a build slot too.
    const totals = new Map();
    for (const [stage, ms] of record.stage_ms) {
      const slot = stage === "healthy" ? "starting" : stage;
      totals.set(slot, (totals.get(slot) || 0) + ms);
    }
    for (const [stage, value] of this.stageSlots) {
      value.textContent = totals.has(stage) ? formatDuration(totals.get(stage)) : "–";
    }

    const usage = record.usage;
    const finish = record.finish ? ` · finished: ${record.finish.kind}` : "";
    // An anonymous battle keeps tokens and cost back until the vote: a price tells a model.
    this.usage.textContent = session && session.names_hidden
      ? `Tokens and cost show once you have voted${finish}`
      : `Tokens ${usage.input_tokens.toLocaleString()} in · ${usage.output_tokens.toLocaleString()} out` +
        ` · cost $${record.cost_usd.toFixed(4)}${finish}`;

    this.renderFiles();
    this.renderChecks();
    this.renderScores();
    this.render();
    renderBattleScores();
  }

  renderFiles() {
    const { files, edits } = this.record;
    this.filesCount.textContent = files.length ? `${files.length}` : "";
    this.download.hidden = files.length === 0;
    if (!this.fileText.textContent) {
      this.fileName.textContent = files.length ? "Pick a file to read it." : "No files.";
    }
    const removed = edits.filter((edit) => edit.op === "delete");
    if (this.fileList.children.length === files.length + removed.length) return;
    const editedBy = new Map(edits.filter((edit) => edit.op === "write")
      .map((edit) => [edit.path, edit.validator]));
    this.fileList.replaceChildren(...files.map((file) => {
      const note = editedBy.has(file.path) ? ` · written by ${editedBy.get(file.path)}` : "";
      const button = el("button", { type: "button", class: "file", onclick: () => this.openFile(file.path, button) },
        el("span", { class: "file-path", text: file.path }),
        el("span", { class: "muted small", text: ` ${formatBytes(file.bytes)}${note}` }));
      return el("li", {}, button);
    }));
    for (const edit of removed) {
      this.fileList.append(el("li", { class: "muted small",
        text: `${edit.path} · removed by ${edit.validator}` }));
    }
  }

  async openFile(path, button) {
    for (const other of this.fileList.querySelectorAll("button[aria-current]")) {
      other.removeAttribute("aria-current");
    }
    button.setAttribute("aria-current", "true");
    this.fileName.textContent = path;
    // Clicks can outrun answers: only the last file asked for is shown.
    const request = (this.fileRequest = (this.fileRequest || 0) + 1);
    let text;
    try {
      const encoded = path.split("/").map(encodeURIComponent).join("/");
      const response = await fetch(`/api/runs/${this.id}/files/${encoded}`);
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      text = await response.text();
    } catch (error) {
      text = `Could not load ${path}: ${error.message}`;
    }
    if (request !== this.fileRequest) return;
    this.fileText.textContent = text;
    this.fileText.hidden = false;
  }

  renderChecks() {
    const { diagnostics } = this.record;
    this.checksCount.textContent = diagnostics.length ? `${diagnostics.length}` : "";
    if (diagnostics.length === 0) {
      const checked = this.record.files.length > 0 || this.status === "failed";
      this.checkList.replaceChildren(el("li", { class: "muted",
        text: checked ? "No problems found." : "Not checked yet." }));
      return;
    }
    this.checkList.replaceChildren(...diagnostics.map((diagnostic) => {
      const where = diagnostic.path
        ? `${diagnostic.path}${diagnostic.line ? `:${diagnostic.line}` : ""} `
        : "";
      return el("li", { class: `check ${diagnostic.severity}` },
        el("span", { class: "severity", text: diagnostic.severity }),
        el("span", { class: "muted", text: ` ${diagnostic.source} ` }),
        el("code", { text: where }),
        diagnostic.message);
    }));
  }

  renderScores() {
    const { scores } = this.record;
    this.scoresCount.textContent = scores.length ? `${scores.length}` : "";
    if (scores.length === 0) {
      this.scoreTable.replaceChildren(el("caption", { class: "muted", text: "No scores yet." }));
      return;
    }
    this.scoreTable.replaceChildren(
      el("thead", {}, el("tr", {},
        el("th", { scope: "col", text: "Scorer" }),
        el("th", { scope: "col", text: "Metric" }),
        el("th", { scope: "col", text: "Value" }))),
      el("tbody", {}, ...scores.map((metric) => el("tr", {},
        el("td", { text: metric.scorer }),
        el("td", { text: metric.name }),
        el("td", { text: formatMetric(metric) })))));
  }

  /** Updates the timers; called every second. */
  tick() {
    const end = this.endedAt ?? serverNow();
    this.timer.textContent = formatDuration(end - this.startedAt);
    this.stageTimer.textContent = isFinal(this.status) ? "" : formatDuration(serverNow() - this.enteredAt);
  }
}

function formatMetric(metric) {
  if (metric.unit === "bool") return metric.value ? "yes" : "no";
  if (metric.unit === "s") return formatDuration(metric.value * 1000);
  return `${Number(metric.value.toFixed(3))} ${metric.unit}`;
}

/** Every run's metrics in one table: a row per scorer and metric, a column per contestant. */
function renderBattleScores() {
  const table = document.getElementById("battle-scores");
  const runs = [...cards.values()];
  const rows = new Map();
  for (const card of runs) {
    for (const metric of card.record?.scores || []) {
      const key = `${metric.scorer}\u0000${metric.name}`;
      if (!rows.has(key)) rows.set(key, { scorer: metric.scorer, name: metric.name, values: new Map() });
      rows.get(key).values.set(card.id, metric);
    }
  }
  if (rows.size === 0) {
    table.replaceChildren(el("caption", { class: "muted", text: "No scores yet." }));
    return;
  }
  table.replaceChildren(
    el("thead", {}, el("tr", {},
      el("th", { scope: "col", text: "Scorer" }),
      el("th", { scope: "col", text: "Metric" }),
      ...runs.map((card) => el("th", { scope: "col", text: card.contestant.name })))),
    el("tbody", {}, ...[...rows.values()].map((row) => el("tr", {},
      el("td", { text: row.scorer }),
      el("th", { scope: "row", text: row.name }),
      ...runs.map((card) => {
        const metric = row.values.get(card.id);
        return el("td", { text: metric ? formatMetric(metric) : "–" });
      })))));
}

function renderSummary() {
  const counts = new Map();
  for (const card of cards.values()) counts.set(card.status, (counts.get(card.status) || 0) + 1);
  const finished = [...cards.values()].filter((card) => isFinal(card.status)).length;
  const parts = [...counts].map(([status, n]) => `${n} ${statusLabel(status).toLowerCase()}`);
  const state = finished === cards.size ? "Finished" : `${finished} of ${cards.size} finished`;
  summary.textContent = `${state}: ${parts.join(", ")}`;
}

/** The session's event stream, resumed from the last applied event whenever it drops. */
function follow() {
  let lastSeq = null;
  let retryMs = 1000;
  let source = null;
  let finished = false;

  const ended = () => [...cards.values()].every((card) =>
    isFinal(card.status) && card.status !== "ready");

  const apply = (message) => {
    const event = JSON.parse(message.data);
    if (lastSeq !== null && event.seq <= lastSeq) {
      repeatsDropped += 1;
      return;
    }
    lastSeq = event.seq;
    appliedSeq = event.seq;
    appliedCount += 1;
    const card = cards.get(event.run);
    if (card) card.handle(event);
    // Also records how far the page has come, once drawn.
    scheduleDraw(card);
    // Nothing more can happen to a battle whose runs all ended: free the connection
    // (browsers allow only a few per host, shared by every arena tab).
    if (event.type === "status" && ended()) {
      source.close();
      finished = true;
      connection.dataset.state = "ended";
      connection.textContent = "";
    }
  };

  // A tab left in the background for a while gives its connection back, and picks the
  // stream up where it left it when it is shown again.
  let parked = false;
  let parkTimer = null;
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      parkTimer = setTimeout(() => {
        if (finished || !source) return;
        source.close();
        parked = true;
      }, PARK_AFTER_MS);
    } else {
      clearTimeout(parkTimer);
      if (parked) {
        parked = false;
        connect();
      }
    }
  });

  const connect = async () => {
    if (lastSeq !== null) {
      // A server that restarted has forgotten the battle: say so rather than retry forever.
      const response = await fetch(sessionUrl()).catch(() => null);
      if (response && response.status === 404) {
        connection.dataset.state = "lost";
        connection.textContent = "The server no longer has this battle (it was restarted).";
        return;
      }
    }
    const after = lastSeq === null ? "" : `&after=${lastSeq}`;
    source = new EventSource(
      `/api/sessions/${encodeURIComponent(sessionId)}/events?${voterQuery()}${after}`);
    source.onopen = () => {
      retryMs = 1000;
      connection.dataset.state = "live";
      connection.textContent = "Live";
    };
    for (const type of ["status", "reply", "log"]) source.addEventListener(type, apply);
    source.onerror = () => {
      connection.dataset.state = "lost";
      if (source.readyState !== EventSource.CLOSED) {
        // The browser reconnects by itself and sends the last event id.
        connection.textContent = "Reconnecting…";
        return;
      }
      // The browser gave up (the server answered with an error): try again, later each time.
      connection.textContent = `Connection lost; retrying in ${Math.round(retryMs / 1000)} s`;
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 15000);
    };
  };
  connect();
}

/** Puts a newer description of the battle on the page: names, head and vote panel. */
function applySession(next) {
  session = next;
  for (const run of session.runs) cards.get(run.id)?.setContestant(run.contestant);
  renderHead();
  renderBattleScores();
  renderVotePanel();
}

function renderHead() {
  const names = session.runs.map((run) => run.contestant.name);
  document.title = `Vibe Arena: ${session.prompt} (${names.join(" vs ")})`;
  document.getElementById("battle-prompt").textContent = session.prompt;
  document.getElementById("session-pipeline").textContent = session.pipeline;
  document.getElementById("session-category").textContent = session.category || "";
  document.getElementById("session-category-part").hidden = !session.category;
  document.getElementById("export-battle").href =
    `/api/sessions/${encodeURIComponent(sessionId)}/export?${voterQuery()}`;
}

/** The name the session gives a run, for votes that list runs by id. */
function runName(id) {
  const run = session.runs.find((each) => each.id === id);
  return run ? run.contestant.name : id;
}

/** A vote in words: "Best: A", "Ranking: 1. A and B (tie), 2. C" or "All bad". */
function describeVote(recorded) {
  const tiers = recorded.ranking || [];
  if (recorded.kind === "all_bad") return "All bad";
  if (recorded.kind === "best") return `Best: ${(tiers[0] || []).map(runName).join(" and ")}`;
  const places = tiers.map((tier, index) =>
    `${index + 1}. ${tier.map(runName).join(" and ")}${tier.length > 1 ? " (tie)" : ""}`);
  return `Ranking: ${places.join(", ")}`;
}

function renderVotePanel() {
  const voting = session.voting;
  const panel = document.getElementById("vote-panel");
  // A server without voting sends no `voting`: the panel has nothing to offer.
  panel.hidden = !voting;
  if (!voting) return;

  vote.namesNote.hidden = !session.names_hidden;
  vote.excluded.hidden = !voting.excluded;
  vote.excluded.textContent =
    `Votes on this battle do not count in the leaderboard: ${voting.excluded || ""}`;

  const canVote = voting.open && (!voting.voted || voting.repeat_allowed);
  if (!voting.open) {
    vote.status.textContent = voting.reason || "Voting opens once every run has finished.";
  } else if (voting.voted) {
    vote.status.textContent = voting.repeat_allowed
      ? "You voted on this battle; you can vote again."
      : "You voted on this battle.";
  } else {
    vote.status.textContent = "Pick the best site, rank them all, or call them all bad.";
  }
  vote.controls.hidden = !canVote;
  vote.controls.replaceChildren(...(canVote ? voteControls() : []));

  // Others' votes stay out of sight until this browser has voted, so they sway no one.
  const votes = voting.voted ? session.votes || [] : [];
  vote.list.hidden = votes.length === 0;
  vote.list.replaceChildren(...votes.map((recorded) => el("li", {},
    describeVote(recorded),
    el("span", { class: "muted small",
      text: ` · ${new Date(recorded.created_ms).toLocaleString()}` }),
    recorded.excluded
      ? el("span", { class: "vote-not-counted", text: ` · not counted: ${recorded.excluded}` })
      : null)));
}

/** The three ways to vote: pick the best, rank every run (ties allowed), or all bad. */
function voteControls() {
  const runs = session.runs;
  const best = el("fieldset", { class: "vote-way" },
    el("legend", { text: "Pick the best" }),
    el("div", { class: "vote-buttons" }, ...runs.map((run) => el("button", {
      type: "button",
      "data-vote-best": run.id,
      text: `Best: ${run.contestant.name}`,
      onclick: () => castVote({ kind: "best", best: run.id }),
    }))));

  const ranks = runs.map((run, index) => {
    const id = `vote-rank-${run.id}`;
    const select = el("select", { id, "data-vote-rank": run.id },
      ...runs.map((_, rank) => el("option", { value: String(rank + 1), text: String(rank + 1),
        selected: rank === index })));
    return el("div", { class: "vote-rank" },
      select, el("label", { for: id, text: run.contestant.name }));
  });
  const order = el("fieldset", { class: "vote-way" },
    el("legend", { text: "Or rank them" }),
    el("p", { class: "muted small", text: "1 is the best; the same rank for two sites is a tie." }),
    el("div", { class: "vote-ranks" }, ...ranks),
    el("button", { type: "button", id: "vote-submit-order", text: "Submit ranking",
      onclick: submitRanking }));

  const bad = el("fieldset", { class: "vote-way" },
    el("legend", { text: "Or none of them" }),
    el("button", { type: "button", id: "vote-all-bad", text: "All bad",
      onclick: () => castVote({ kind: "all_bad" }) }));
  return [best, order, bad];
}

/** Tiers best first from the rank picked per run; ranks no run got are dropped. */
function submitRanking() {
  const tiers = new Map();
  for (const select of vote.controls.querySelectorAll("select[data-vote-rank]")) {
    const rank = Number(select.value);
    if (!tiers.has(rank)) tiers.set(rank, []);
    tiers.get(rank).push(select.dataset.voteRank);
  }
  const ranking = [...tiers].sort(([a], [b]) => a - b).map(([, ids]) => ids);
  castVote({ kind: "ranking", ranking });
}

async function castVote(choice) {
  const inputs = [...vote.controls.querySelectorAll("button, select")];
  for (const input of inputs) input.disabled = true;
  vote.error.textContent = "";
  try {
    const answer = await api(`/api/sessions/${encodeURIComponent(sessionId)}/votes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ voter: voterId(), ...choice }),
    });
    // First the revealed names, so that the vote is described with them.
    applySession(answer.session);
    const uncounted = answer.vote.excluded
      ? ` It does not count in the leaderboard: ${answer.vote.excluded}`
      : "";
    vote.result.textContent = `Your vote is in. ${describeVote(answer.vote)}.${uncounted}`;
    vote.result.hidden = false;
    // The controls just pressed may be gone: keep the keyboard's place in the panel.
    vote.result.focus();
  } catch (error) {
    vote.error.textContent = `Could not record your vote: ${error.message}`;
    for (const input of inputs) input.disabled = false;
  }
}

/** How often the page asks again whether voting opened, after every run has finished. */
const VOTING_CHECKS = 5;
let votingChecks = 0;
let votingCheckPending = false;

/**
 * Refetches the battle once its runs have all finished, so that the vote panel opens. The
 * server may settle a moment after the last event (a failed run is scored after it fails),
 * so a battle still closed is asked about again a few times.
 */
async function checkVoting() {
  if (!session?.voting || session.voting.open || votingCheckPending) return;
  if (votingChecks >= VOTING_CHECKS) return;
  if (![...cards.values()].every((card) => isFinal(card.status))) return;
  votingChecks += 1;
  votingCheckPending = true;
  try {
    applySession(await api(sessionUrl()));
  } catch (error) {
    vote.error.textContent = `Could not check whether voting is open: ${error.message}`;
  } finally {
    votingCheckPending = false;
  }
  if (!session.voting.open) setTimeout(checkVoting, 3000);
}

async function load() {
  document.getElementById("session-id").textContent = sessionId;
  try {
    const response = await fetch(sessionUrl());
    const serverDate = Date.parse(response.headers.get("date") || "");
    if (!Number.isNaN(serverDate) && Math.abs(Date.now() - serverDate) > 2000) {
      clockSkew = Date.now() - serverDate;
    }
    session = await response.json();
    if (!response.ok) throw new Error(session.error || response.statusText);
  } catch (error) {
    session = null;
    document.getElementById("battle-prompt").textContent = "Battle not found";
    document.getElementById("vote-panel").hidden = true;
    pageError.textContent = `Could not load battle ${sessionId}: ${error.message}`;
    return;
  }

  for (const record of session.runs) {
    const card = new Card(record);
    cards.set(record.id, card);
    cardsElement.append(card.element);
    card.renderRecord();
  }
  applySession(session);
  renderSummary();
  follow();
  setInterval(() => {
    for (const card of cards.values()) card.tick();
  }, 1000);
}

load();
