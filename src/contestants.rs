//! Contestants: a provider plugin, one of its models and the parameters to call it with.
//!
//! They come from a TOML file (`--contestants`), or from the built-in list of offline
//! contestants so that a battle runs with no configuration and no API key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::pipeline::SettingValue;
use crate::plugin::PluginSet;

pub const DEFAULT_CONTESTANTS: &str = include_str!("default_contestants.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContestantsFile {
    contestants: Vec<Contestant>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contestant {
    pub id: String,
    pub name: String,
    pub provider: String,
    pub model: String,
    /// The heading the arena lists this contestant under, e.g. the vendor ("xAI") when one
    /// plugin speaks for several; the provider plugin's name when not given.
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default, skip_serializing)]
    pub params: BTreeMap<String, SettingValue>,
    /// The secrets this contestant uses: secret name (as the plugin declares it) to the
    /// environment variable that holds it. A plugin gets only these, so an entry for a local
    /// server that needs no key lists none.
    #[serde(default)]
    pub secrets: BTreeMap<String, String>,
    /// List price for this contestant's model, when the plugin does not list the model (a
    /// local model at zero, a new release) or the route costs something else (a gateway).
    #[serde(default)]
    pub price: Option<Price>,
    #[serde(default)]
    pub allow_hosts: Vec<String>,
    /// For the replay provider: a recorded reply, or a folder of `<prompt-slug>.md` files.
    #[serde(default)]
    pub replay: Option<PathBuf>,
    /// Enters a battle when no contestants are named.
    #[serde(default)]
    pub default: bool,
}

/// US dollars per million tokens.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    pub input: f64,
    pub output: f64,
}

impl Price {
    pub fn cost_usd(&self, input_tokens: u64, output_tokens: u64) -> f64 {
        (input_tokens as f64 * self.input + output_tokens as f64 * self.output) / 1_000_000.0
    }
}

impl Contestant {
    pub fn params(&self) -> Vec<(String, String)> {
        self.params
            .iter()
            .map(|(key, value)| (key.clone(), value.to_string()))
            .collect()
    }

    /// Why this contestant cannot run with the loaded plugins and this environment, if so.
    pub fn unavailable_reason(&self, plugins: &PluginSet) -> Option<String> {
        let Some(provider) = plugins.providers.get(&self.provider) else {
            return Some(format!("provider plugin `{}` is not loaded", self.provider));
        };
        let listed = provider.info.models.iter().any(|m| m.id == self.model);
        // Every run shows its cost, so a model the plugin does not price needs a price here.
        if !listed && self.price.is_none() {
            let models: Vec<&str> = provider.info.models.iter().map(|m| m.id.as_str()).collect();
            return Some(format!(
                "provider `{}` does not list model `{}` (it lists: {}); to use it anyway, give \
                 its price in the entry, e.g. price = {{ input = 1.0, output = 4.0 }} (USD per \
                 million tokens, 0 for a local model)",
                self.provider,
                self.model,
                models.join(", ")
            ));
        }
        for (secret, variable) in &self.secrets {
            if !provider.info.secrets.contains(secret) {
                return Some(format!(
                    "provider `{}` declares no secret `{secret}` (it declares: {})",
                    self.provider,
                    provider.info.secrets.join(", ")
                ));
            }
            match std::env::var_os(variable) {
                None => return Some(format!("set {variable} to use it")),
                Some(value) if value.is_empty() => {
                    return Some(format!("{variable} is set but empty"));
                }
                Some(_) => {}
            }
        }
        None
    }

    /// The price a run of this contestant is charged at: its own, else the plugin's list
    /// price for the model.
    pub fn price(&self, plugins: &PluginSet) -> Option<Price> {
        self.price.or_else(|| {
            let provider = plugins.providers.get(&self.provider)?;
            let model = provider.info.models.iter().find(|m| m.id == self.model)?;
            Some(Price {
                input: model.input_price_per_mtok,
                output: model.output_price_per_mtok,
            })
        })
    }

    /// The values of the secrets this contestant uses and the plugin declared, read from
    /// the environment at call time so a key set after start-up is picked up.
    pub fn secret_values(&self, declared: &[String]) -> std::collections::HashMap<String, String> {
        self.secrets
            .iter()
            .filter(|(secret, _)| declared.contains(secret))
            .filter_map(|(secret, variable)| {
                std::env::var(variable)
                    .ok()
                    .filter(|value| !value.is_empty())
                    .map(|value| (secret.clone(), value))
            })
            .collect()
    }

    /// The recorded reply to replay for `prompt`, when this contestant replays one.
    pub fn replay_text(&self, prompt: &str) -> Result<Option<String>, String> {
        let Some(path) = &self.replay else {
            return Ok(None);
        };
        let file = if path.is_dir() {
            pick_replay_file(path, prompt)?
        } else {
            path.clone()
        };
        std::fs::read_to_string(&file)
            .map(Some)
            .map_err(|error| format!("cannot read replay file {}: {error}", file.display()))
    }
}

fn pick_replay_file(dir: &Path, prompt: &str) -> Result<PathBuf, String> {
    let named = dir.join(format!("{}.md", slug(prompt)));
    if named.exists() {
        return Ok(named);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|error| format!("cannot read replay folder {}: {error}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    files.sort();
    match files.as_slice() {
        [only] => Ok(only.clone()),
        _ => Err(format!(
            "replay folder {} has no {} and not exactly one .md file to fall back on",
            dir.display(),
            named.file_name().unwrap().to_string_lossy()
        )),
    }
}

/// A file-name-safe form of a prompt: lowercase words joined by '-', at most 60 chars.
pub fn slug(text: &str) -> String {
    let mut slug = String::new();
    for word in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if slug.len() + word.len() + 1 > 60 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    if slug.is_empty() {
        "prompt".into()
    } else {
        slug
    }
}

/// Reads a contestants file, or the built-in list when `path` is `None`.
pub fn load(path: Option<&Path>) -> anyhow::Result<Vec<Contestant>> {
    let (name, text) = match path {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|error| {
                anyhow::anyhow!("cannot read contestants file {}: {error}", path.display())
            })?;
            (path.display().to_string(), text)
        }
        None => (
            "built-in contestants".to_owned(),
            DEFAULT_CONTESTANTS.to_owned(),
        ),
    };
    let file: ContestantsFile =
        toml::from_str(&text).map_err(|error| anyhow::anyhow!("{name}: {error}"))?;

    let mut seen = std::collections::HashSet::new();
    for contestant in &file.contestants {
        // The id names the run's folder and appears in URLs: nothing but a plain label.
        let id = &contestant.id;
        if !crate::plugin::is_plain_id(id) {
            anyhow::bail!(
                "{name}: contestant id {id:?} must be 1-64 characters of a-z, 0-9 and '-', \
                 e.g. \"gpt-mini\""
            );
        }
        if !seen.insert(contestant.id.as_str()) {
            anyhow::bail!("{name}: contestant id `{}` appears twice", contestant.id);
        }
        if contestant.model.trim().is_empty() {
            anyhow::bail!("{name}: contestant `{id}` has an empty model");
        }
        if let Some((secret, _)) = contestant
            .secrets
            .iter()
            .find(|(_, variable)| variable.trim().is_empty())
        {
            anyhow::bail!(
                "{name}: contestant `{id}` gives secret `{secret}` no variable name, e.g. \
                 secrets = {{ {secret} = \"MY_API_KEY\" }}"
            );
        }
        if let Some(host) = contestant
            .allow_hosts
            .iter()
            .find(|host| host.is_empty() || host.contains('/'))
        {
            anyhow::bail!(
                "{name}: contestant `{id}` allows host {host:?}; give a host name or \
                 host:port, e.g. \"127.0.0.1:11434\", not a URL"
            );
        }
        if let Some(price) = contestant.price
            && !(price.input >= 0.0
                && price.output >= 0.0
                && price.input.is_finite()
                && price.output.is_finite())
        {
            anyhow::bail!(
                "{name}: contestant `{id}` has price {{ input = {}, output = {} }}; both \
                 must be US dollars per million tokens, 0 or more",
                price.input,
                price.output
            );
        }
    }
    Ok(file.contestants)
}
