// History: every battle, newest first, searched by prompt, contestant and category.
//
// The search lives in the address (?q=&contestant=&category=&offset=), so a search can be
// linked, reloaded and stepped back through.

import { api, el, STAGE_ACTIVITY, statusBadge, voterId } from "./common.js";

const PAGE_SIZE = 50;
const TYPING_PAUSE_MS = 300;

const form = document.getElementById("history-form");
const queryInput = document.getElementById("history-q");
const contestantSelect = document.getElementById("history-contestant");
const categoryInput = document.getElementById("history-category");
const rows = document.getElementById("history-rows");
const table = document.getElementById("history-table");
const empty = document.getElementById("history-empty");
const count = document.getElementById("history-count");
const newer = document.getElementById("history-newer");
const older = document.getElementById("history-older");
const pageError = document.getElementById("page-error");

/** The search shown: what the address says, and what the form says once edited. */
let search = fromAddress();
let total = 0;
/** Answers can arrive out of order while someone types: only the last search is shown. */
let searchNumber = 0;
let typingTimer = null;

function fromAddress() {
  const params = new URLSearchParams(location.search);
  return {
    q: params.get("q") || "",
    contestant: params.get("contestant") || "",
    category: params.get("category") || "",
    offset: Math.max(0, Number.parseInt(params.get("offset") || "0", 10) || 0),
  };
}

function toForm() {
  queryInput.value = search.q;
  categoryInput.value = search.category;
  selectContestant();
}

function selectContestant() {
  // A contestant no longer configured can still be searched for by a link.
  const known = [...contestantSelect.options].some((option) => option.value === search.contestant);
  if (!known) {
    contestantSelect.append(el("option", { value: search.contestant, text: search.contestant }));
  }
  contestantSelect.value = search.contestant;
}

/** Shows a search and records it in the address; `step` makes it a new history entry. */
function show(next, step) {
  search = next;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(search)) {
    if (value) params.set(name, String(value));
  }
  const query = params.toString();
  const address = query ? `?${query}` : location.pathname;
  if (step) history.pushState(null, "", address);
  else history.replaceState(null, "", address);
  fetchBattles();
}

function fromForm() {
  return {
    q: queryInput.value.trim(),
    contestant: contestantSelect.value,
    category: categoryInput.value.trim(),
    offset: 0,
  };
}

async function fetchBattles() {
  const number = ++searchNumber;
  const params = new URLSearchParams({
    q: search.q,
    contestant: search.contestant,
    category: search.category,
    limit: String(PAGE_SIZE),
    offset: String(search.offset),
    voter: voterId(),
  });
  count.textContent = "Searching…";
  let answer;
  try {
    answer = await api(`/api/history?${params}`);
  } catch (error) {
    if (number !== searchNumber) return;
    count.textContent = "";
    pageError.textContent = `Could not search the battles: ${error.message}`;
    return;
  }
  if (number !== searchNumber) return;
  pageError.textContent = "";
  render(answer);
}

function render(answer) {
  total = answer.total;
  const battles = answer.battles;
  rows.replaceChildren(...battles.map(battleRow));
  table.hidden = battles.length === 0;
  empty.hidden = battles.length > 0;

  const first = search.offset + 1;
  const last = search.offset + battles.length;
  count.textContent = battles.length
    ? `Battles ${first}–${last} of ${total}`
    : `No battles${search.offset ? " on this page" : ""}`;
  newer.disabled = search.offset === 0;
  older.disabled = last >= total;
}

function battleRow(battle) {
  const runs = el("ul", { class: "run-chips" }, ...battle.runs.map((run) => {
    const why = run.failure
      ? `${STAGE_ACTIVITY[run.failed_stage] ? `while ${STAGE_ACTIVITY[run.failed_stage]}: ` : ""}${run.failure}`
      : null;
    return el("li", { class: "run-chip", title: why },
      statusBadge(run.status), ` ${run.contestant.name}`);
  }));
  return el("tr", {},
    el("td", { class: "nowrap", text: new Date(battle.created_ms).toLocaleString() }),
    el("td", {}, el("a", { href: `/sessions/${encodeURIComponent(battle.id)}`, text: battle.prompt })),
    el("td", { text: battle.category || "–" }),
    el("td", {}, el("code", { text: battle.pipeline })),
    el("td", {}, runs, battle.names_hidden
      ? el("p", { class: "muted small", text: "Names hidden until you vote." })
      : null),
    el("td", { class: "number", text: String(battle.votes) }));
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typingTimer);
  show(fromForm(), true);
});

// Typing searches once the typist pauses; the address follows without a history entry
// per key.
for (const input of [queryInput, categoryInput]) {
  input.addEventListener("input", () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => show(fromForm(), false), TYPING_PAUSE_MS);
  });
}
contestantSelect.addEventListener("change", () => show(fromForm(), true));

newer.addEventListener("click", () => {
  show({ ...search, offset: Math.max(0, search.offset - PAGE_SIZE) }, true);
});
older.addEventListener("click", () => {
  show({ ...search, offset: search.offset + PAGE_SIZE }, true);
});

window.addEventListener("popstate", () => {
  search = fromAddress();
  toForm();
  fetchBattles();
});

async function loadContestants() {
  try {
    const contestants = await api("/api/contestants");
    // After "Any contestant", in place of a linked id shown before the list came.
    contestantSelect.replaceChildren(contestantSelect.options[0], ...contestants.map((contestant) =>
      el("option", { value: contestant.id, text: contestant.name })));
  } catch (error) {
    pageError.textContent = `Could not load the contestants: ${error.message}`;
  }
  selectContestant();
}

toForm();
fetchBattles();
loadContestants();
