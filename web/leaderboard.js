// Leaderboard: contestants rated from people's votes, and their automatic scores, for every
// battle or for one pipeline or category (kept in the address, so a view can be linked).

import { api, el, formatDuration } from "./common.js";

const pipelineSelect = document.getElementById("lb-pipeline");
const categorySelect = document.getElementById("lb-category");
const ratingsTable = document.getElementById("leaderboard-table");
const ratingRows = document.getElementById("leaderboard-rows");
const caption = document.getElementById("leaderboard-caption");
const empty = document.getElementById("leaderboard-empty");
const scoresTable = document.getElementById("scores-table");
const pageError = document.getElementById("page-error");

/** Answers can arrive out of order when filters change quickly: only the last is shown. */
let requestNumber = 0;

/** Fills a filter with the values the server knows, keeping the one picked. */
function fillFilter(select, values, picked) {
  const all = [...new Set([...values, ...(picked ? [picked] : [])])];
  select.replaceChildren(el("option", { value: "", text: "All" }),
    ...all.map((value) => el("option", { value, text: value })));
  select.value = picked;
}

async function load() {
  const params = new URLSearchParams(location.search);
  const pipeline = params.get("pipeline") || "";
  const category = params.get("category") || "";
  const number = ++requestNumber;
  let board;
  try {
    board = await api(`/api/leaderboard?${new URLSearchParams({ pipeline, category })}`);
  } catch (error) {
    if (number === requestNumber) {
      pageError.textContent = `Could not load the leaderboard: ${error.message}`;
    }
    return;
  }
  if (number !== requestNumber) return;
  pageError.textContent = "";
  fillFilter(pipelineSelect, board.pipelines, pipeline);
  fillFilter(categorySelect, board.categories, category);
  renderRatings(board);
  renderScores(board.scores);
}

function renderRatings(board) {
  const entries = board.entries;
  const votes = (n) => `${n} ${n === 1 ? "vote" : "votes"}`;
  empty.hidden = entries.length > 0;
  empty.textContent = "No votes yet. Finish a battle and vote on it." + (board.votes_excluded
    ? ` (${votes(board.votes_excluded)} excluded because of arena failures.)`
    : "");
  ratingsTable.hidden = entries.length === 0;
  caption.textContent = "Bradley–Terry strengths from people's votes on an Elo-like scale " +
    "(1000 = average), 95% bootstrap intervals; ties count half a win each way. " +
    `${votes(board.votes_counted)} counted, ${board.votes_excluded} excluded (arena failures).`;

  // Every bar is drawn on one scale, from the lowest interval's start to the highest's end.
  const low = Math.min(...entries.map((entry) => entry.low));
  const high = Math.max(...entries.map((entry) => entry.high));
  const span = Math.max(high - low, 1);
  const percent = (value) => `${((value - low) / span) * 100}%`;

  ratingRows.replaceChildren(...entries.map((entry, index) => {
    const range = el("span", { class: "interval-range" });
    range.style.setProperty("left", percent(entry.low));
    range.style.setProperty("width", `${((entry.high - entry.low) / span) * 100}%`);
    const point = el("span", { class: "interval-point" });
    point.style.setProperty("left", percent(entry.rating));
    const interval = `${Math.round(entry.low)} – ${Math.round(entry.high)}`;
    return el("tr", {},
      el("td", { class: "number", text: String(index + 1) }),
      el("th", { scope: "row", text: entry.name }),
      el("td", { class: "number rating", text: String(Math.round(entry.rating)) }),
      el("td", { class: "interval" },
        el("span", { class: "interval-text", text: interval }),
        // The numbers beside it say the same to a screen reader.
        el("span", { class: "interval-track", "aria-hidden": "true" }, range, point)),
      el("td", { class: "number", text: String(entry.battles) }),
      el("td", { class: "nowrap", text: `${entry.wins}/${entry.losses}/${entry.ties}` }));
  }));
}

/** A metric's mean in its unit; a yes/no metric's mean is the share of runs that said yes. */
function formatMean(metric) {
  if (metric.unit === "bool") return `${Math.round(metric.mean * 100)}% yes`;
  if (metric.unit === "s") return formatDuration(metric.mean * 1000);
  return `${Number(metric.mean.toFixed(3))} ${metric.unit || ""}`.trim();
}

/** One row per contestant, one column per scorer and metric that any contestant has. */
function renderScores(scores) {
  const columns = new Map();
  for (const entry of scores) {
    for (const metric of entry.metrics) {
      const key = `${metric.scorer}\u0000${metric.name}`;
      if (!columns.has(key)) columns.set(key, { scorer: metric.scorer, name: metric.name });
    }
  }
  if (scores.length === 0) {
    scoresTable.replaceChildren(el("caption", { class: "muted", text: "No runs yet." }));
    return;
  }

  scoresTable.replaceChildren(
    el("thead", {}, el("tr", {},
      el("th", { scope: "col", text: "Contestant" }),
      el("th", { scope: "col", class: "number", text: "Runs" }),
      el("th", { scope: "col", class: "number", text: "Ready" }),
      ...[...columns.values()].map((column) => el("th", { scope: "col" },
        column.name, el("span", { class: "scorer muted small", text: column.scorer }))))),
    el("tbody", {}, ...scores.map((entry) => {
      const byKey = new Map(entry.metrics.map((metric) =>
        [`${metric.scorer}\u0000${metric.name}`, metric]));
      return el("tr", {},
        el("th", { scope: "row", text: entry.name }),
        el("td", { class: "number", text: String(entry.runs) }),
        el("td", { class: "number", text: String(entry.ready) }),
        ...[...columns.keys()].map((key) => {
          const metric = byKey.get(key);
          if (!metric) return el("td", { class: "muted", text: "–" });
          return el("td", { class: "nowrap" }, formatMean(metric),
            el("span", { class: "muted small", text: ` (${metric.count})` }));
        }));
    })));
}

/** A filter change becomes the address, then the view. */
function filtersChanged() {
  const params = new URLSearchParams();
  if (pipelineSelect.value) params.set("pipeline", pipelineSelect.value);
  if (categorySelect.value) params.set("category", categorySelect.value);
  const query = params.toString();
  history.pushState(null, "", query ? `?${query}` : location.pathname);
  load();
}

pipelineSelect.addEventListener("change", filtersChanged);
categorySelect.addEventListener("change", filtersChanged);
document.getElementById("lb-filters").addEventListener("submit", (event) => {
  event.preventDefault();
  filtersChanged();
});
window.addEventListener("popstate", load);

load();
