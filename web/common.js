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
    const message = body && body.error ? body.error : `${response.status} ${response.statusText}`;
    throw new Error(message);
  }
  return body;
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

export function isFinal(status) {
  return status === "ready" || status === "failed" || status === "terminated";
}
