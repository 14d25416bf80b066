//! The one wasmtime engine of the process, its epoch ticker and the compiled-component cache.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use sha2::{Digest, Sha256};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Config, Engine};

use super::bindings;
use super::state::HostState;

/// How often the ticker thread advances the engine's epoch. Deadlines are checked, and
/// running plugins yield to the async runtime, at this granularity.
pub const EPOCH_TICK: Duration = Duration::from_millis(10);

/// Compiles components and links them against the host's imports.
///
/// Cloning is cheap; all clones share the engine, linker and cache.
#[derive(Clone)]
pub struct PluginEngine {
    inner: Arc<Inner>,
}

struct Inner {
    engine: Engine,
    linker: Linker<HostState>,
    compiled: Mutex<HashMap<ContentHash, Component>>,
    disk_cache: Option<PathBuf>,
}

/// SHA-256 of a component's bytes, as lowercase hex.
pub type ContentHash = String;

pub fn content_hash(bytes: &[u8]) -> ContentHash {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

impl PluginEngine {
    /// Builds the engine and starts its epoch ticker. `disk_cache` is a folder for compiled
    /// components; compiling the bundled plugins takes seconds, loading them from it takes
    /// milliseconds.
    pub fn new(disk_cache: Option<PathBuf>) -> anyhow::Result<Self> {
        let mut config = Config::new();
        config.async_support(true);
        config.wasm_component_model(true);
        config.epoch_interruption(true);
        let engine = Engine::new(&config).context("creating the WebAssembly engine")?;

        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker).context("linking WASI")?;
        bindings::provider::ProviderPlugin::add_to_linker::<_, HasSelf<HostState>>(
            &mut linker,
            |state| state,
        )
        .context("linking the arena's plugin imports")?;

        // Epochs advance on a plain thread so that a plugin spinning on an async worker
        // cannot stop the clock that interrupts it.
        let weak = engine.weak();
        std::thread::Builder::new()
            .name("plugin-epoch".into())
            .spawn(move || {
                while let Some(engine) = weak.upgrade() {
                    engine.increment_epoch();
                    drop(engine);
                    std::thread::sleep(EPOCH_TICK);
                }
            })
            .context("starting the epoch ticker")?;

        let disk_cache = disk_cache.map(|dir| {
            // Compiled code is only valid for the engine build and settings that made it; the
            // compatibility hash covers both.
            let mut hasher = std::hash::DefaultHasher::new();
            std::hash::Hash::hash(&engine.precompile_compatibility_hash(), &mut hasher);
            let engine_key = std::hash::Hasher::finish(&hasher);
            dir.join(format!("engine-{engine_key:016x}"))
        });

        Ok(Self {
            inner: Arc::new(Inner {
                engine,
                linker,
                compiled: Mutex::new(HashMap::new()),
                disk_cache,
            }),
        })
    }

    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    pub fn linker(&self) -> &Linker<HostState> {
        &self.inner.linker
    }

    /// Compiles `bytes` (a component binary, or component text for tests), reusing an earlier
    /// compilation of the same content from memory or from the disk cache.
    pub fn compile(&self, bytes: &[u8]) -> anyhow::Result<(ContentHash, Component)> {
        let hash = content_hash(bytes);
        if let Some(component) = self.inner.compiled.lock().unwrap().get(&hash) {
            return Ok((hash, component.clone()));
        }

        let component = match self.load_cached(&hash) {
            Some(component) => component,
            None => {
                let component = Component::new(&self.inner.engine, bytes)?;
                self.store_cached(&hash, &component);
                component
            }
        };
        self.inner
            .compiled
            .lock()
            .unwrap()
            .insert(hash.clone(), component.clone());
        Ok((hash, component))
    }

    fn load_cached(&self, hash: &str) -> Option<Component> {
        let path = self
            .inner
            .disk_cache
            .as_ref()?
            .join(format!("{hash}.cwasm"));
        if !path.exists() {
            return None;
        }
        // SAFETY: the file was written by `store_cached` for this engine build (the folder
        // name pins the engine's compatibility hash) and is named by its source's hash;
        // wasmtime additionally checks the header before using it.
        match unsafe { Component::deserialize_file(&self.inner.engine, &path) } {
            Ok(component) => Some(component),
            Err(error) => {
                tracing::warn!(path = %path.display(), %error, "Ignoring unusable compiled component.");
                None
            }
        }
    }

    fn store_cached(&self, hash: &str, component: &Component) {
        let Some(dir) = &self.inner.disk_cache else {
            return;
        };
        let result = component.serialize().and_then(|bytes| {
            std::fs::create_dir_all(dir)?;
            // Write then rename, so a concurrent reader never sees half a file.
            let partial = dir.join(format!("{hash}.cwasm.{}", std::process::id()));
            std::fs::write(&partial, bytes)?;
            std::fs::rename(&partial, dir.join(format!("{hash}.cwasm")))?;
            Ok(())
        });
        if let Err(error) = result {
            tracing::warn!(dir = %dir.display(), %error, "Could not cache a compiled component.");
        }
    }
}
