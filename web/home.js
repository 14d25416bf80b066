// Home: type a prompt, pick contestants and a pipeline, start a battle.

import { api, el, statusLabel } from "./common.js";

const MAX_CONTESTANTS = 6;

const form = document.getElementById("battle-form");
const prompt = document.getElementById("prompt");
const picker = document.getElementById("contestants");
const pickedCount = document.getElementById("picked-count");
const pipelineSelect = document.getElementById("pipeline");
const categoryInput = document.getElementById("category");
const anonymousBox = document.getElementById("anonymous");
const formError = document.getElementById("form-error");
const startButton = document.getElementById("start");

for (const example of document.querySelectorAll("button.example")) {
  example.addEventListener("click", () => {
    prompt.value = example.textContent;
    prompt.focus();
  });
}

function checkboxes() {
  return [...picker.querySelectorAll("input[type=checkbox]")];
}

/** Keeps the count current and stops a seventh pick before the server has to refuse it. */
function updatePicks() {
  const boxes = checkboxes();
  const picked = boxes.filter((box) => box.checked).length;
  pickedCount.textContent = `(${picked} of up to ${MAX_CONTESTANTS} picked)`;
  for (const box of boxes) {
    if (box.dataset.unavailable) continue;
    box.disabled = !box.checked && picked >= MAX_CONTESTANTS;
  }
}

function renderContestants(contestants) {
  document.getElementById("contestants-loading").remove();
  if (contestants.length === 0) {
    picker.append(el("p", { class: "muted", text: "No contestants are configured." }));
    return;
  }

  // Grouped by the heading the server gives (the vendor, or the provider plugin's name),
  // in the order the contestants file lists them.
  const byGroup = new Map();
  for (const contestant of contestants) {
    if (!byGroup.has(contestant.group)) byGroup.set(contestant.group, []);
    byGroup.get(contestant.group).push(contestant);
  }

  let groupNumber = 0;
  for (const [title, members] of byGroup) {
    const headingId = `provider-group-${groupNumber++}`;
    const group = el("div", { class: "provider-group", role: "group", "aria-labelledby": headingId },
      el("h3", { id: headingId, class: "provider-name", text: title }));
    for (const contestant of members) {
      const id = `contestant-${contestant.id}`;
      const reasonId = `${id}-why`;
      const box = el("input", {
        type: "checkbox",
        id,
        name: "contestant",
        value: contestant.id,
        checked: contestant.available && contestant.default,
        disabled: !contestant.available,
        "aria-describedby": contestant.available ? null : reasonId,
        onchange: updatePicks,
      });
      if (!contestant.available) box.dataset.unavailable = "yes";
      const label = el("label", { for: id, class: "contestant-label" },
        el("span", { class: "contestant-name", text: contestant.name }),
        el("span", { class: "contestant-model", text: contestant.model }));
      const row = el("div", { class: contestant.available ? "contestant" : "contestant unavailable" },
        box, label);
      if (!contestant.available) {
        row.append(el("p", { id: reasonId, class: "unavailable-reason",
          text: `Unavailable: ${contestant.unavailable_reason}` }));
      }
      group.append(row);
    }
    picker.append(group);
  }
  updatePicks();
}

function renderPipelines(pipelines) {
  pipelineSelect.replaceChildren();
  for (const pipeline of pipelines) {
    const missing = pipeline.missing_plugins.length > 0;
    const name = missing
      ? `${pipeline.name} (missing ${pipeline.missing_plugins.join(", ")})`
      : pipeline.name;
    pipelineSelect.append(el("option", { value: pipeline.id, text: name,
      selected: pipeline.id === "nextjs" }));
  }
}

function renderRecent(sessions) {
  if (sessions.length === 0) return;
  const list = document.getElementById("recent");
  list.replaceChildren();
  sessions.sort((a, b) => b.created_ms - a.created_ms);
  for (const session of sessions.slice(0, 20)) {
    const counts = new Map();
    for (const run of session.runs) {
      counts.set(run.status, (counts.get(run.status) || 0) + 1);
    }
    const summary = [...counts].map(([status, n]) => `${n} ${statusLabel(status).toLowerCase()}`);
    const when = new Date(session.created_ms).toLocaleString();
    list.append(el("li", {},
      el("a", { href: `/sessions/${session.id}`, text: session.prompt }),
      el("span", { class: "muted small", text: ` · ${when} · ${summary.join(", ")}` })));
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  formError.textContent = "";
  const text = prompt.value.trim();
  const picked = checkboxes().filter((box) => box.checked).map((box) => box.value);
  if (!text) {
    formError.textContent = "Write what the contestants should build first.";
    prompt.focus();
    return;
  }
  if (picked.length === 0) {
    formError.textContent = "Pick at least one contestant.";
    return;
  }

  startButton.disabled = true;
  startButton.textContent = "Starting…";
  try {
    const session = await api("/api/sessions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        prompt: text,
        contestants: picked,
        pipeline: pipelineSelect.value,
        anonymous: anonymousBox.checked,
        // Left out when blank: a battle without a category, not one named "".
        category: categoryInput.value.trim() || undefined,
      }),
    });
    location.assign(`/sessions/${session.id}`);
  } catch (error) {
    formError.textContent = `Could not start the battle: ${error.message}`;
    startButton.disabled = false;
    startButton.textContent = "Start the competition";
  }
});

async function load() {
  try {
    const [contestants, plugins, history] = await Promise.all([
      api("/api/contestants"),
      api("/api/plugins"),
      // The newest battles kept, this server's and earlier ones'.
      api("/api/history?limit=20"),
    ]);
    renderContestants(contestants);
    renderPipelines(plugins.pipelines);
    renderRecent(history.battles);
  } catch (error) {
    formError.textContent = `Could not reach the arena: ${error.message}`;
  }
}

load();
