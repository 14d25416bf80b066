// What the arena has loaded: plugins, pipelines and contestants, with the files they came
// from and everything that failed to load.

import { api, el } from "./common.js";

function cells(...values) {
  return el("tr", {}, ...values.map((value) => el("td", {},
    value instanceof Node ? value : String(value))));
}

function offers(plugin) {
  if (!plugin.provider) return plugin.description;
  const models = plugin.provider.models.map((model) => model.id).join(", ");
  const parts = [`models: ${models || "none"}`];
  if (plugin.provider.hosts.length) parts.push(`hosts: ${plugin.provider.hosts.join(", ")}`);
  if (plugin.provider.secrets.length) parts.push(`secrets: ${plugin.provider.secrets.join(", ")}`);
  return parts.join("; ");
}

async function load() {
  let plugins;
  let contestants;
  try {
    [plugins, contestants] = await Promise.all([api("/api/plugins"), api("/api/contestants")]);
  } catch (error) {
    document.getElementById("page-error").textContent = `Could not reach the arena: ${error.message}`;
    return;
  }

  shownVersion = JSON.stringify(plugins);
  document.getElementById("page-error").textContent = "";
  document.getElementById("catalog-version").textContent =
    plugins.version === 0 ? "as loaded at start" : `reloaded ${plugins.version} time${plugins.version === 1 ? "" : "s"} since start`;
  const errors = [...plugins.plugin_errors, ...plugins.pipeline_errors];
  if (plugins.contestants_error) {
    errors.push({ source: "contestants file", message: plugins.contestants_error });
  }
  document.getElementById("errors").replaceChildren(...(errors.length
    ? errors.map((error) => el("li", {},
        el("code", { text: error.source }),
        el("pre", { class: "error-text", text: error.message })))
    : [el("li", { class: "muted", text: "Everything loaded." })]));

  document.getElementById("pipelines").replaceChildren(...plugins.pipelines.map((pipeline) =>
    cells(pipeline.id, pipeline.name, el("code", { text: pipeline.source }),
      pipeline.missing_plugins.join(", ") || "none")));

  document.getElementById("plugins").replaceChildren(...plugins.plugins.map((plugin) =>
    cells(plugin.kind, plugin.id, `${plugin.name} ${plugin.version}`,
      el("span", {}, el("code", { text: plugin.source }),
        el("span", { class: "muted small", title: `sha256 ${plugin.content_hash}`,
          text: ` sha256 ${plugin.content_hash.slice(0, 12)}…` })),
      offers(plugin))));

  document.getElementById("contestant-rows").replaceChildren(...contestants.map((contestant) =>
    cells(contestant.id, contestant.name, `${contestant.provider} · ${contestant.model}`,
      contestant.available ? "yes" : `no: ${contestant.unavailable_reason}`)));
}

// The arena reloads plugins, pipelines and contestants when their files change; the page
// follows by asking for the (small) catalog every few seconds and redrawing on a change.
let shownVersion = null;
async function follow() {
  try {
    const plugins = await api("/api/plugins");
    // The whole answer, not only the reload counter: a restarted server counts from 0 again.
    const seen = JSON.stringify(plugins);
    if (seen !== shownVersion) await load();
  } catch {
    // The next tick tries again; a page that cannot reach the arena said so on load.
  }
}

load();
setInterval(follow, 3000);
