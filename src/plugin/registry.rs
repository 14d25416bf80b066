//! Loading plugins: the bundled ones embedded in the binary and any `.wasm` in a folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use serde::Serialize;
use wasmtime::Store;
use wasmtime::component::types::ComponentItem;

use super::ScorerPre;
use super::bindings::validator as validator_world;
use super::bindings::{
    page_scorer as page_scorer_world, provider as provider_world, scorer as scorer_world,
};
use super::state::HostState;
use super::{
    PluginEngine, PluginInfo, PluginKind, PluginLimits, PluginMeta, ProviderInfo, ProviderPlugin,
    ScorerPlugin, ValidatorPlugin, bounded, classify, new_store,
};

// `BUNDLED`: (file stem, component bytes) for every plugin shipped inside the binary, and
// `BUILT_PLUGIN_DIR`: where the build put all components, test-only ones included.
include!(concat!(env!("OUT_DIR"), "/bundled_plugins.rs"));

/// Where a plugin came from, as shown to operators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "lowercase")]
pub enum PluginSource {
    /// Embedded in the `arena` binary.
    Bundled(String),
    File(PathBuf),
}

impl std::fmt::Display for PluginSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Bundled(name) => write!(f, "bundled {name}.wasm"),
            Self::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// A plugin that could not be loaded, and why.
#[derive(Debug, Clone, Serialize, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct LoadError {
    pub origin: PluginSource,
    pub message: String,
}

/// The loaded plugins, by kind and id.
#[derive(Debug, Default)]
pub struct PluginSet {
    pub providers: BTreeMap<String, Arc<ProviderPlugin>>,
    pub validators: BTreeMap<String, Arc<ValidatorPlugin>>,
    pub scorers: BTreeMap<String, Arc<ScorerPlugin>>,
    pub errors: Vec<LoadError>,
}

enum Loaded {
    Provider(ProviderPlugin),
    Validator(ValidatorPlugin),
    Scorer(ScorerPlugin),
}

const PROVIDER_EXPORT: &str = "vibe-arena:plugin/provider@0.1.0";
const VALIDATOR_EXPORT: &str = "vibe-arena:plugin/validator@0.1.0";
const SCORER_EXPORT: &str = "vibe-arena:plugin/scorer@0.1.0";
const PAGE_SCORER_EXPORT: &str = "vibe-arena:plugin/page-scorer@0.1.0";

impl PluginSet {
    /// Loads the bundled plugins, then every `*.wasm` in `dirs` (a file there replaces a
    /// bundled plugin with the same id). Failures are collected, not fatal: one broken
    /// plugin must not keep the others from serving.
    pub async fn load(engine: &PluginEngine, dirs: &[PathBuf]) -> Self {
        let mut set = Self::default();
        for (name, bytes) in BUNDLED {
            set.add(engine, PluginSource::Bundled((*name).to_owned()), bytes)
                .await;
        }
        for dir in dirs {
            let entries = match std::fs::read_dir(dir) {
                Ok(entries) => entries,
                Err(error) => {
                    let message = format!("cannot read plugin folder: {error}");
                    set.errors.push(LoadError {
                        origin: PluginSource::File(dir.clone()),
                        message,
                    });
                    continue;
                }
            };
            let mut paths: Vec<PathBuf> = entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| {
                    path.extension()
                        .is_some_and(|ext| ext.eq_ignore_ascii_case("wasm"))
                })
                .collect();
            paths.sort();
            for path in paths {
                set.add_file(engine, &path).await;
            }
        }
        set
    }

    pub async fn add_file(&mut self, engine: &PluginEngine, path: &Path) {
        let source = PluginSource::File(path.to_owned());
        match std::fs::read(path) {
            Ok(bytes) => self.add(engine, source, &bytes).await,
            Err(error) => self.errors.push(LoadError {
                origin: source,
                message: format!("cannot read: {error}"),
            }),
        }
    }

    /// Loads one component and files it under its kind and id, or records why it failed.
    pub async fn add(&mut self, engine: &PluginEngine, source: PluginSource, bytes: &[u8]) {
        let started = Instant::now();
        let loaded = match load(engine, source.clone(), bytes).await {
            Ok(loaded) => loaded,
            Err(message) => {
                tracing::warn!(%source, %message, "Plugin failed to load.");
                self.errors.push(LoadError {
                    origin: source,
                    message,
                });
                return;
            }
        };
        let result = match loaded {
            Loaded::Provider(plugin) => file_under(&mut self.providers, plugin, |p| &p.meta),
            Loaded::Validator(plugin) => file_under(&mut self.validators, plugin, |p| &p.meta),
            Loaded::Scorer(plugin) => file_under(&mut self.scorers, plugin, |p| &p.meta),
        };
        match result {
            Ok(meta) => log_loaded(&meta, started),
            Err(message) => {
                tracing::warn!(%source, %message, "Plugin not used.");
                self.errors.push(LoadError {
                    origin: source,
                    message,
                });
            }
        }
    }
}

/// Files a plugin under its id. A file may replace a bundled plugin of the same id (that is
/// how a bundled plugin is upgraded); two files with one id are a mistake, and the first
/// one stays.
fn file_under<P>(
    plugins: &mut BTreeMap<String, Arc<P>>,
    plugin: P,
    meta: impl Fn(&P) -> &PluginMeta,
) -> Result<PluginMeta, String> {
    let new = meta(&plugin).clone();
    if let Some(existing) = plugins.get(&new.id) {
        let existing = meta(existing);
        if !matches!(existing.source, PluginSource::Bundled(_)) {
            return Err(format!(
                "plugin id `{}` is already taken by {}; rename one of them",
                new.id, existing.source
            ));
        }
        // It gets the bundled plugin's contestants, and with them their keys: say so loudly.
        tracing::warn!(plugin = %new.id, source = %new.source,
            "Replacing the bundled plugin of this id; its contestants' keys now go to this file.");
    }
    plugins.insert(new.id.clone(), Arc::new(plugin));
    Ok(new)
}

fn log_loaded(meta: &PluginMeta, started: Instant) {
    // The bundled ones load on every reload too: an operator wants to hear of files.
    if matches!(meta.source, PluginSource::Bundled(_)) {
        tracing::debug!(plugin = %meta.id, kind = %meta.kind,
            millis = started.elapsed().as_millis() as u64, "Bundled plugin loaded.");
    } else {
        tracing::info!(
            plugin = %meta.id,
            kind = %meta.kind,
            source = %meta.source,
            millis = started.elapsed().as_millis() as u64,
            "Plugin loaded."
        );
    }
}

/// Compiles, type-checks against the world it exports, pre-instantiates and asks the
/// plugin to describe itself.
async fn load(engine: &PluginEngine, source: PluginSource, bytes: &[u8]) -> Result<Loaded, String> {
    // Component text (WAT) is accepted for tests and experiments; anything else must at
    // least look like a WebAssembly binary before the compiler's message is of any use.
    let text = std::str::from_utf8(bytes).is_ok_and(|text| text.trim_start().starts_with('('));
    if !bytes.starts_with(b"\0asm") && !text {
        return Err(format!(
            "not a WebAssembly component: no \\0asm header ({} bytes)",
            bytes.len()
        ));
    }
    let (hash, component) = engine
        .compile(bytes)
        .map_err(|error| format!("not a valid component: {error:#}"))?;

    let exports: Vec<String> = component
        .component_type()
        .exports(engine.engine())
        .filter(|(_, item)| matches!(item, ComponentItem::ComponentInstance(_)))
        .map(|(name, _)| name.to_owned())
        .collect();
    let kind = if exports.iter().any(|name| name == PROVIDER_EXPORT) {
        PluginKind::Provider
    } else if exports.iter().any(|name| name == VALIDATOR_EXPORT) {
        PluginKind::Validator
    } else if exports
        .iter()
        .any(|name| name == SCORER_EXPORT || name == PAGE_SCORER_EXPORT)
    {
        PluginKind::Scorer
    } else {
        return Err(format!(
            "exports none of the arena's interfaces ({PROVIDER_EXPORT}, {VALIDATOR_EXPORT}, \
             {SCORER_EXPORT}, {PAGE_SCORER_EXPORT}); it exports [{}]",
            exports.join(", ")
        ));
    };

    let pre = engine
        .linker()
        .instantiate_pre(&component)
        .map_err(|error| format!("its imports do not match what the arena offers: {error:#}"))?;
    let limits = PluginLimits::default();
    let placeholder_id = match &source {
        PluginSource::Bundled(name) => name.clone(),
        PluginSource::File(path) => path.display().to_string(),
    };
    let mut store = new_store(engine, HostState::new(&placeholder_id, &limits), &limits);
    let meta = |id: String| PluginMeta {
        id,
        kind,
        source: source.clone(),
        content_hash: hash,
    };

    match kind {
        PluginKind::Provider => {
            let pre = provider_world::ProviderPluginPre::new(pre).map_err(type_error)?;
            let info = describe(&mut store, &limits, async |store: &mut Store<HostState>| {
                let instance = pre.instantiate_async(&mut *store).await?;
                instance
                    .vibe_arena_plugin_provider()
                    .call_describe(&mut *store)
                    .await
            })
            .await?;
            let info = ProviderInfo::from(info);
            check_id(&info.id)?;
            let engine = engine.clone();
            Ok(Loaded::Provider(ProviderPlugin {
                meta: meta(info.id.clone()),
                info,
                engine,
                pre,
            }))
        }
        PluginKind::Validator => {
            let pre = validator_world::ValidatorPluginPre::new(pre).map_err(type_error)?;
            let info = describe(&mut store, &limits, async |store: &mut Store<HostState>| {
                let instance = pre.instantiate_async(&mut *store).await?;
                instance
                    .vibe_arena_plugin_validator()
                    .call_describe(&mut *store)
                    .await
            })
            .await?;
            let info = PluginInfo::from(info);
            check_id(&info.id)?;
            let engine = engine.clone();
            Ok(Loaded::Validator(ValidatorPlugin {
                meta: meta(info.id.clone()),
                info,
                engine,
                pre,
            }))
        }
        PluginKind::Scorer => {
            // Both scorer worlds describe themselves alike; which one decides how it is called.
            let (info, pre) = if exports.iter().any(|name| name == PAGE_SCORER_EXPORT) {
                let pre = page_scorer_world::PageScorerPluginPre::new(pre).map_err(type_error)?;
                let info = describe(&mut store, &limits, async |store: &mut Store<HostState>| {
                    let instance = pre.instantiate_async(&mut *store).await?;
                    instance
                        .vibe_arena_plugin_page_scorer()
                        .call_describe(&mut *store)
                        .await
                })
                .await?;
                (info, ScorerPre::Page(pre))
            } else {
                let pre = scorer_world::ScorerPluginPre::new(pre).map_err(type_error)?;
                let info = describe(&mut store, &limits, async |store: &mut Store<HostState>| {
                    let instance = pre.instantiate_async(&mut *store).await?;
                    instance
                        .vibe_arena_plugin_scorer()
                        .call_describe(&mut *store)
                        .await
                })
                .await?;
                (info, ScorerPre::Run(pre))
            };
            let info = PluginInfo::from(info);
            check_id(&info.id)?;
            let engine = engine.clone();
            Ok(Loaded::Scorer(ScorerPlugin {
                meta: meta(info.id.clone()),
                info,
                engine,
                pre,
            }))
        }
    }
}

async fn describe<T>(
    store: &mut Store<HostState>,
    limits: &PluginLimits,
    call: impl AsyncFnOnce(&mut Store<HostState>) -> wasmtime::Result<T>,
) -> Result<T, String> {
    let outcome = bounded(call(store), limits).await;
    classify(outcome, store.data(), limits).map_err(|error| format!("describe failed: {error}"))
}

fn type_error(error: wasmtime::Error) -> String {
    format!("its exports do not match the arena's interface: {error:#}")
}

/// Ids appear in pipeline files, URLs and log lines, so keep them plain.
fn check_id(id: &str) -> Result<(), String> {
    if super::is_plain_id(id) {
        Ok(())
    } else {
        Err(format!(
            "plugin id {id:?} must be 1-64 characters of a-z, 0-9 and '-'"
        ))
    }
}
