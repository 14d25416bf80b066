// What every arena page shares: API calls, element building, and the words for states.

/** Calls the arena's API; a failed call throws an Error carrying the server's message. */
export async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { accept: "application/json", ...(options.headers || {}) },
  });
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // A non-JSON answer (a proxy's error page, say) is reported as its status below.
  }
  if (!response.ok) {
    throw new Error(errorMessage(response, body, text));
  }
  return body;
}

/** The server's words for a refusal: `{"error": ...}`, or a short plain-text body. */
function errorMessage(response, body, text) {
  if (body && body.error) return body.error;
  const plain = (response.headers.get("content-type") || "").startsWith("text/plain");
  if (plain && text.trim() && text.length <= 500) return text.trim();
  return `${response.status} ${response.statusText}`;
}

/** The voter id when the browser keeps no storage for the page. */
let memoryVoterId = null;

/**
 * This browser's voter id, made once and kept: the server uses it to tell whether this
 * browser has voted on a battle (which reveals an anonymous battle's names) and to keep
 * one person's votes together. It identifies a browser, not a person.
 */
export function voterId() {
  const key = "arena-voter";
  let id = null;
  try {
    id = localStorage.getItem(key);
  } catch {
    // Storage can be refused (private modes, policies): the id then lasts for this page.
  }
  if (id) return id;
  id = memoryVoterId || newVoterId();
  memoryVoterId = id;
  try {
    localStorage.setItem(key, id);
  } catch {
    // As above: kept in memory only.
  }
  return id;
}

function newVoterId() {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Builds an element. Text is always set as text, never parsed as HTML: replies, logs and
 * file names come from models and must not become markup in the arena's own page.
 */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "class") element.className = value;
    else if (name === "text") element.textContent = value;
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  element.append(...children.filter((child) => child !== null && child !== undefined));
  return element;
}

/** `83400` -> `1:23`, `4200` -> `4.2 s`. */
export function formatDuration(ms) {
  if (ms < 0) ms = 0;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.floor(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${String(seconds % 60).padStart(2, "0")}`;
}

export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** A run's states, in lifecycle order, with the words a person reads. */
export const STATUS_LABELS = {
  queued: "Queued",
  generating: "Generating",
  validating: "Validating",
  installing: "Installing",
  building: "Building",
  starting: "Starting",
  healthy: "Healthy",
  capturing: "Capturing",
  scoring: "Scoring",
  ready: "Ready",
  failed: "Failed",
  terminated: "Terminated",
  interrupted: "Interrupted",
};

/** What a run was doing in a stage, to finish "Failed while ...". */
export const STAGE_ACTIVITY = {
  queued: "waiting for its turn",
  generating: "generating the code",
  validating: "checking the generated files",
  installing: "installing dependencies",
  building: "building the site",
  starting: "starting the site",
  healthy: "starting the site",
  capturing: "taking screenshots",
  scoring: "scoring the site",
};

/** The label of a state; an unknown one (from a newer server) shows as it is. */
export function statusLabel(status) {
  return STATUS_LABELS[status] || String(status);
}

/** The states a run never leaves: it is done, one way or another. */
export const FINAL_STATUSES = ["ready", "failed", "terminated", "interrupted"];

export function isFinal(status) {
  return FINAL_STATUSES.includes(status);
}

/** A run's state as a badge; `status-<state>` gives each state its colour. */
export function statusBadge(status, text = statusLabel(status)) {
  const badge = el("span", { class: `badge status-${status}`, text });
  badge.dataset.status = status;
  return badge;
}
