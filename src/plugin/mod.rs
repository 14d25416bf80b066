//! The WebAssembly plugin host.
//!
//! Plugins are components for one of the worlds in `wit/arena.wit`. Each is compiled once
//! (cached by content hash), pre-instantiated against the host's imports, and called in a
//! fresh store with its own memory limit and deadline, so a plugin that traps, loops or
//! hoards memory fails the call it is in and nothing else.

mod bindings;
mod engine;
mod outbound;
mod registry;
mod state;

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;
use wasmtime::Store;

pub use bindings::types::SourceFile;
pub use engine::{ContentHash, PluginEngine, content_hash};
pub use registry::{BUILT_PLUGIN_DIR, BUNDLED, LoadError, PluginSet, PluginSource};

use bindings::{
    page_scorer as page_scorer_world, page_scorer_api, provider as provider_world, provider_api,
    scorer as scorer_world, scorer_api,
};
use bindings::{validator as validator_world, validator_api};
use state::{DeadlineReached, HostState, OutputCapExceeded};

/// Whether `id` is a plain identifier: 1-64 characters of a-z, 0-9 and '-'. Plugin,
/// pipeline, contestant and viewport ids appear in file names, URLs and log lines.
pub fn is_plain_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Resource limits for one plugin call. The pipeline sets them; these are the defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PluginLimits {
    /// Wall-clock time for the whole call, instantiation included.
    pub deadline: Duration,
    /// Linear memory the plugin may grow to.
    pub memory_bytes: usize,
    /// Bytes a provider may emit as its reply.
    pub max_output_bytes: usize,
}

impl Default for PluginLimits {
    fn default() -> Self {
        Self {
            deadline: Duration::from_secs(30),
            memory_bytes: 256 << 20,
            max_output_bytes: 4 << 20,
        }
    }
}

/// Why a plugin call failed. Every message names the plugin.
#[derive(Debug, thiserror::Error)]
pub enum PluginCallError {
    #[error("plugin `{plugin}` ran past its deadline of {:.1}s", .limit.as_secs_f64())]
    Deadline { plugin: String, limit: Duration },
    #[error(
        "plugin `{plugin}` tried to grow its memory to {} MiB, over its limit of {} MiB",
        .asked_bytes >> 20, .limit_bytes >> 20
    )]
    Memory {
        plugin: String,
        limit_bytes: usize,
        asked_bytes: usize,
    },
    #[error("plugin `{plugin}`'s reply exceeded the output cap of {cap_bytes} bytes")]
    OutputCap { plugin: String, cap_bytes: usize },
    #[error("plugin `{plugin}` trapped: {reason}")]
    Trap { plugin: String, reason: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    Debug,
    Info,
    Warn,
    Error,
}

impl From<bindings::types::LogLevel> for LogLevel {
    fn from(level: bindings::types::LogLevel) -> Self {
        use bindings::types::LogLevel as Wit;
        match level {
            Wit::Debug => Self::Debug,
            Wit::Info => Self::Info,
            Wit::Warn => Self::Warn,
            Wit::Error => Self::Error,
        }
    }
}

/// A line a plugin logged during a call, kept with the run.
#[derive(Debug, Clone, Serialize)]
pub struct PluginLogLine {
    pub level: LogLevel,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PluginKind {
    Provider,
    Validator,
    Scorer,
}

impl std::fmt::Display for PluginKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Provider => "provider",
            Self::Validator => "validator",
            Self::Scorer => "scorer",
        })
    }
}

/// Who a validator or scorer says it is.
#[derive(Debug, Clone, Serialize)]
pub struct PluginInfo {
    pub id: String,
    pub display_name: String,
    pub version: String,
    pub description: String,
}

impl From<bindings::types::PluginInfo> for PluginInfo {
    fn from(info: bindings::types::PluginInfo) -> Self {
        Self {
            id: info.id,
            display_name: info.display_name,
            version: info.version,
            description: info.description,
        }
    }
}

/// What a provider plugin offers.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderInfo {
    pub id: String,
    pub display_name: String,
    pub version: String,
    pub models: Vec<ModelInfo>,
    pub secrets: Vec<String>,
    pub hosts: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelInfo {
    pub id: String,
    pub display_name: String,
    pub context_tokens: u32,
    pub max_output_tokens: u32,
    pub input_price_per_mtok: f64,
    pub output_price_per_mtok: f64,
}

impl From<provider_api::ProviderInfo> for ProviderInfo {
    fn from(info: provider_api::ProviderInfo) -> Self {
        let models = info
            .models
            .into_iter()
            .map(|model| ModelInfo {
                id: model.id,
                display_name: model.display_name,
                context_tokens: model.context_tokens,
                max_output_tokens: model.max_output_tokens,
                input_price_per_mtok: model.input_price_per_mtok,
                output_price_per_mtok: model.output_price_per_mtok,
            })
            .collect();
        Self {
            id: info.id,
            display_name: info.display_name,
            version: info.version,
            models,
            secrets: info.secrets,
            hosts: info.hosts,
        }
    }
}

/// Common facts about any loaded plugin.
#[derive(Debug, Clone, Serialize)]
pub struct PluginMeta {
    pub id: String,
    pub kind: PluginKind,
    pub source: PluginSource,
    pub content_hash: ContentHash,
}

/// What a provider is asked to write.
#[derive(Debug, Clone, Default)]
pub struct GenerateRequest {
    pub system_prompt: String,
    pub user_prompt: String,
    pub model: String,
    pub params: Vec<(String, String)>,
}

/// How a reply ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "kind", content = "message", rename_all = "lowercase")]
pub enum FinishReason {
    Stop,
    Length,
    Error(String),
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct TokenUsage {
    pub input_tokens: u64,
    pub output_tokens: u64,
}

/// A provider call's result: the whole reply and how it ended.
#[derive(Debug, Clone)]
pub struct Generation {
    pub reply: String,
    pub usage: TokenUsage,
    pub finish: FinishReason,
    pub logs: Vec<PluginLogLine>,
}

/// Where a provider's reply text goes as it arrives, called in order from the call's task.
#[derive(Clone)]
pub struct ReplySink(std::sync::Arc<dyn Fn(String) + Send + Sync>);

impl ReplySink {
    pub fn new(send: impl Fn(String) + Send + Sync + 'static) -> Self {
        Self(std::sync::Arc::new(send))
    }

    pub(crate) fn send(&self, text: String) {
        (self.0)(text)
    }
}

impl From<tokio::sync::mpsc::UnboundedSender<String>> for ReplySink {
    fn from(sender: tokio::sync::mpsc::UnboundedSender<String>) -> Self {
        // Nobody receiving any more is fine: the text is kept in the reply anyway.
        Self::new(move |text| {
            let _ = sender.send(text);
        })
    }
}

/// Network access granted to one provider call.
#[derive(Debug, Clone, Default)]
pub struct NetworkGrant {
    /// Hosts beyond the plugin's declared ones, from the contestant's configuration.
    pub extra_hosts: Vec<String>,
    /// Secret values by name; only names the plugin declared are passed in.
    pub secrets: HashMap<String, String>,
}

pub struct ProviderPlugin {
    pub meta: PluginMeta,
    pub info: ProviderInfo,
    engine: PluginEngine,
    pre: provider_world::ProviderPluginPre<HostState>,
}

impl std::fmt::Debug for ProviderPlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderPlugin")
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

impl ProviderPlugin {
    /// Asks the provider for a reply, forwarding each piece of text to `stream` as the
    /// plugin emits it.
    pub async fn generate(
        &self,
        request: GenerateRequest,
        limits: &PluginLimits,
        network: NetworkGrant,
        stream: impl Into<ReplySink>,
    ) -> Result<Generation, PluginCallError> {
        let mut allowed_hosts: Vec<String> = self
            .info
            .hosts
            .iter()
            .chain(&network.extra_hosts)
            .map(|h| h.to_lowercase())
            .collect();
        allowed_hosts.dedup();
        let secrets = network
            .secrets
            .into_iter()
            .filter(|(name, _)| self.info.secrets.contains(name))
            .collect();
        let policy = outbound::OutboundPolicy {
            plugin_id: self.meta.id.clone(),
            allowed_hosts,
            secrets,
            // No redirects: a 3xx from an allowed host would otherwise carry the request
            // (and headers such as `x-api-key`, which reqwest keeps) to any host at all.
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                // Fails only when the TLS roots cannot load, which Client::new would panic on.
                .expect("an HTTP client builds"),
        };
        let state = HostState::new(&self.meta.id, limits)
            .with_reply(stream.into(), limits.max_output_bytes)
            .with_outbound(policy);
        let mut store = new_store(&self.engine, state, limits);

        let wit_request = provider_api::GenerateRequest {
            system_prompt: request.system_prompt,
            user_prompt: request.user_prompt,
            model: request.model,
            params: request.params,
        };
        let call = async {
            let instance = self.pre.instantiate_async(&mut store).await?;
            instance
                .vibe_arena_plugin_provider()
                .call_generate(&mut store, &wit_request)
                .await
        };
        let outcome = bounded(call, limits).await;
        store.data_mut().flush_reply();
        let generation = classify(outcome, store.data(), limits)?;

        let state = store.into_data();
        let finish = match generation.finish {
            provider_api::FinishReason::Stop => FinishReason::Stop,
            provider_api::FinishReason::Length => FinishReason::Length,
            provider_api::FinishReason::Error(message) => {
                FinishReason::Error(state.redact(&message))
            }
        };
        Ok(Generation {
            reply: state.reply.map(|reply| reply.text).unwrap_or_default(),
            usage: TokenUsage {
                input_tokens: generation.usage.input_tokens,
                output_tokens: generation.usage.output_tokens,
            },
            finish,
            logs: state.logs,
        })
    }
}

/// A validator's verdict on a file tree.
#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    pub diagnostics: Vec<Diagnostic>,
    pub edits: Vec<Edit>,
    pub logs: Vec<PluginLogLine>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: Option<String>,
    pub line: Option<u32>,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Edit {
    Write { path: String, contents: String },
    Delete { path: String },
}

pub struct ValidatorPlugin {
    pub meta: PluginMeta,
    pub info: PluginInfo,
    engine: PluginEngine,
    pre: validator_world::ValidatorPluginPre<HostState>,
}

impl std::fmt::Debug for ValidatorPlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValidatorPlugin")
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

impl ValidatorPlugin {
    pub async fn validate(
        &self,
        files: &[SourceFile],
        settings: &[(String, String)],
        limits: &PluginLimits,
    ) -> Result<Validation, PluginCallError> {
        let mut store = new_store(&self.engine, HostState::new(&self.meta.id, limits), limits);
        let (files, settings) = (files.to_vec(), settings.to_vec());
        let call = async {
            let instance = self.pre.instantiate_async(&mut store).await?;
            instance
                .vibe_arena_plugin_validator()
                .call_validate(&mut store, &files, &settings)
                .await
        };
        let outcome = bounded(call, limits).await;
        let validation = classify(outcome, store.data(), limits)?;

        let diagnostics = validation
            .diagnostics
            .into_iter()
            .map(|diagnostic| Diagnostic {
                severity: match diagnostic.severity {
                    validator_api::Severity::Error => Severity::Error,
                    validator_api::Severity::Warning => Severity::Warning,
                    validator_api::Severity::Info => Severity::Info,
                },
                path: diagnostic.path,
                line: diagnostic.line,
                message: diagnostic.message,
            })
            .collect();
        let edits = validation
            .edits
            .into_iter()
            .map(|edit| match edit {
                validator_api::Edit::Write(file) => Edit::Write {
                    path: file.path,
                    contents: file.contents,
                },
                validator_api::Edit::Delete(path) => Edit::Delete { path },
            })
            .collect();
        Ok(Validation {
            diagnostics,
            edits,
            logs: store.into_data().logs,
        })
    }
}

/// What a scorer is told about a finished run.
pub use page_scorer_api::{PageFacts, PageReport};
pub use scorer_api::{PhaseLog, RunReport, ScreenshotInfo, StageTiming};

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Metric {
    /// The scorer plugin that measured it, so two scorers' metrics never blur.
    pub scorer: String,
    pub name: String,
    pub value: f64,
    pub unit: String,
}

pub struct ScorerPlugin {
    pub meta: PluginMeta,
    pub info: PluginInfo,
    engine: PluginEngine,
    pre: ScorerPre,
}

/// A scorer reads the run (`scorer` world) or the page as the browser saw it
/// (`page-scorer` world); pipelines list both kinds alike.
pub(crate) enum ScorerPre {
    Run(scorer_world::ScorerPluginPre<HostState>),
    Page(page_scorer_world::PageScorerPluginPre<HostState>),
}

impl std::fmt::Debug for ScorerPlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScorerPlugin")
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

/// The most metrics one scorer may return for one run: a cap on what it can add to every
/// record and page, like a provider's reply cap.
pub const MAX_METRICS: usize = 100;

/// The largest magnitude a metric may have: far beyond any count, size or time a page
/// has, and far from where the means of the leaderboard would overflow.
pub const MAX_METRIC_MAGNITUDE: f64 = 1e15;

/// A scorer's metrics, and what it logged while scoring (which elements it counted, say).
pub struct Scored {
    pub metrics: Vec<Metric>,
    pub logs: Vec<PluginLogLine>,
}

/// A scorer can fail on its own terms (an `err` result) as well as by trapping.
#[derive(Debug, thiserror::Error)]
pub enum ScoreError {
    #[error(transparent)]
    Call(#[from] PluginCallError),
    #[error("scorer `{plugin}` could not score the run: {message}")]
    Refused { plugin: String, message: String },
}

impl ScorerPlugin {
    /// Scores a finished run: `report` for run scorers, `pages` (what the screenshot stage
    /// saw, one per viewport) for page scorers.
    pub async fn score(
        &self,
        report: &RunReport,
        pages: &PageReport,
        settings: &[(String, String)],
        limits: &PluginLimits,
    ) -> Result<Scored, ScoreError> {
        let mut store = new_store(&self.engine, HostState::new(&self.meta.id, limits), limits);
        let settings = settings.to_vec();
        let call = async {
            Ok(match &self.pre {
                ScorerPre::Run(pre) => {
                    let instance = pre.instantiate_async(&mut store).await?;
                    instance
                        .vibe_arena_plugin_scorer()
                        .call_score(&mut store, report, &settings)
                        .await?
                        .map(|metrics| {
                            metrics
                                .into_iter()
                                .map(|m| (m.name, m.value, m.unit))
                                .collect::<Vec<_>>()
                        })
                }
                ScorerPre::Page(pre) => {
                    let instance = pre.instantiate_async(&mut store).await?;
                    instance
                        .vibe_arena_plugin_page_scorer()
                        .call_score(&mut store, pages, &settings)
                        .await?
                        .map(|metrics| {
                            metrics
                                .into_iter()
                                .map(|m| (m.name, m.value, m.unit))
                                .collect::<Vec<_>>()
                        })
                }
            })
        };
        let outcome = bounded(call, limits).await;
        let metrics =
            classify(outcome, store.data(), limits)?.map_err(|message| ScoreError::Refused {
                plugin: self.meta.id.clone(),
                message,
            })?;
        if metrics.len() > MAX_METRICS {
            return Err(ScoreError::Refused {
                plugin: self.meta.id.clone(),
                message: format!(
                    "returned {} metrics, over the cap of {MAX_METRICS} per run",
                    metrics.len()
                ),
            });
        }
        // A NaN or infinity has no place in a mean, a table or JSON (which writes it as
        // null), nor a value so large that a sum of a few overflows to one.
        if let Some((name, value, _)) = metrics
            .iter()
            .find(|(_, value, _)| !value.is_finite() || value.abs() > MAX_METRIC_MAGNITUDE)
        {
            return Err(ScoreError::Refused {
                plugin: self.meta.id.clone(),
                message: format!(
                    "metric `{name}` is {value:e}, not a number between \
                     -{MAX_METRIC_MAGNITUDE:e} and {MAX_METRIC_MAGNITUDE:e}"
                ),
            });
        }
        let metrics = metrics
            .into_iter()
            .map(|(name, value, unit)| Metric {
                scorer: self.meta.id.clone(),
                name,
                value,
                unit,
            })
            .collect();
        Ok(Scored {
            metrics,
            logs: store.into_data().logs,
        })
    }
}

fn new_store(engine: &PluginEngine, state: HostState, limits: &PluginLimits) -> Store<HostState> {
    let mut store = Store::new(engine.engine(), state);
    store.limiter(|state| &mut state.memory);
    state::set_deadline(&mut store, Instant::now() + limits.deadline);
    store
}

/// Epoch deadlines stop a plugin that computes; this outer timeout also stops one that is
/// parked in a host call (a sleep, a stalled stream), by dropping the call.
async fn bounded<T>(
    call: impl Future<Output = wasmtime::Result<T>>,
    limits: &PluginLimits,
) -> Option<wasmtime::Result<T>> {
    let grace = Duration::from_millis(500);
    tokio::time::timeout(limits.deadline + grace, call)
        .await
        .ok()
}

/// Turns the outcome of a call into the error a person can act on.
fn classify<T>(
    outcome: Option<wasmtime::Result<T>>,
    state: &HostState,
    limits: &PluginLimits,
) -> Result<T, PluginCallError> {
    let plugin = state.plugin_id.clone();
    let error = match outcome {
        None => {
            return Err(PluginCallError::Deadline {
                plugin,
                limit: limits.deadline,
            });
        }
        Some(Ok(value)) => return Ok(value),
        Some(Err(error)) => error,
    };

    if error.downcast_ref::<DeadlineReached>().is_some() {
        return Err(PluginCallError::Deadline {
            plugin,
            limit: limits.deadline,
        });
    }
    if let Some(cap) = error.downcast_ref::<OutputCapExceeded>() {
        return Err(PluginCallError::OutputCap {
            plugin,
            cap_bytes: cap.cap_bytes,
        });
    }
    // A refused memory.grow usually surfaces as the guest's own abort ("memory allocation
    // failed") or as a trap; either way the refusal is the cause worth reporting.
    if let Some(asked_bytes) = state.memory.refused_bytes {
        let limit_bytes = limits.memory_bytes;
        return Err(PluginCallError::Memory {
            plugin,
            limit_bytes,
            asked_bytes,
        });
    }
    let reason = match error.downcast_ref::<wasmtime::Trap>() {
        Some(trap) => trap.to_string(),
        None => format!("{error:#}"),
    };
    Err(PluginCallError::Trap { plugin, reason })
}

/// Where compiled components are cached between runs of the arena.
pub fn default_cache_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ARENA_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(base.join("vibe-arena").join("components"))
}
