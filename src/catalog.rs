//! What the arena offers at one moment: its plugins, pipelines and contestants, and how
//! that moment is replaced when an operator drops in a plugin or edits a file.
//!
//! A [`Catalog`] is immutable. A reload builds a whole new one off the request path and the
//! arena swaps it in at once; a run keeps the catalog it started with, so the plugins and
//! pipeline it runs on never change under it. A file that fails to load is reported and the
//! version loaded from it before keeps serving, so a half-copied `.wasm` or a typo in a
//! pipeline costs nothing that worked.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::contestants::{self, Contestant};
use crate::pipeline::PipelineSet;
use crate::plugin::{PluginEngine, PluginSet, PluginSource};

/// The folders and file a catalog is loaded from; `None` means the embedded defaults.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub plugin_dirs: Vec<PathBuf>,
    pub pipelines_dir: Option<PathBuf>,
    pub contestants_file: Option<PathBuf>,
}

pub struct Catalog {
    pub plugins: PluginSet,
    pub pipelines: PipelineSet,
    pub contestants: Vec<Contestant>,
    /// Why the contestants file could not be read at the last reload; the list read
    /// before keeps serving.
    pub contestants_error: Option<String>,
    /// 0 for the catalog the arena started with, one more for each swap.
    pub version: u64,
    /// The watched files' contents, to tell a real change from an editor touching a file.
    fingerprint: String,
}

impl Catalog {
    /// The first catalog. A contestants file that cannot be read is an error here: there
    /// is no earlier list to fall back on.
    pub async fn load(engine: &PluginEngine, sources: &Sources) -> anyhow::Result<Self> {
        let fingerprint = fingerprint(sources);
        let plugins = PluginSet::load(engine, &sources.plugin_dirs).await;
        let pipelines = PipelineSet::load(sources.pipelines_dir.as_deref());
        let contestants = contestants::load(sources.contestants_file.as_deref())?;
        Ok(Self {
            plugins,
            pipelines,
            contestants,
            contestants_error: None,
            version: 0,
            fingerprint,
        })
    }

    /// The catalog the sources hold now, or `None` when no watched file changed.
    pub async fn reload(&self, engine: &PluginEngine, sources: &Sources) -> Option<Self> {
        let fingerprint = fingerprint(sources);
        if fingerprint == self.fingerprint {
            return None;
        }
        let mut plugins = PluginSet::load(engine, &sources.plugin_dirs).await;
        self.keep_plugins_that_failed_to_reload(&mut plugins);
        let mut pipelines = PipelineSet::load(sources.pipelines_dir.as_deref());
        self.keep_pipelines_that_failed_to_reload(&mut pipelines);
        let (contestants, contestants_error) =
            match contestants::load(sources.contestants_file.as_deref()) {
                Ok(list) => (list, None),
                Err(error) => (
                    self.contestants.clone(),
                    Some(format!("{error:#} (the list read before keeps serving)")),
                ),
            };
        Some(Self {
            plugins,
            pipelines,
            contestants,
            contestants_error,
            version: self.version + 1,
            fingerprint,
        })
    }

    /// For each plugin file that failed to load, the plugins this catalog had loaded from
    /// that file stay: when the id is gone from the new load, when the bundled plugin the
    /// file replaced would serve it again (the operator installed this file's code, and its
    /// keys must not silently go to other code), and when another file newly claims the
    /// id (the one serving keeps it; the newcomer is the one refused).
    fn keep_plugins_that_failed_to_reload(&self, next: &mut PluginSet) {
        for error in &mut next.errors {
            let PluginSource::File(path) = &error.origin else {
                continue;
            };
            let path = path.clone();
            let mut kept = keep_last_good(
                &self.plugins.providers,
                &mut next.providers,
                |p| &p.meta,
                error,
            );
            kept.extend(keep_last_good(
                &self.plugins.validators,
                &mut next.validators,
                |p| &p.meta,
                error,
            ));
            kept.extend(keep_last_good(
                &self.plugins.scorers,
                &mut next.scorers,
                |p| &p.meta,
                error,
            ));
            if !kept.is_empty() {
                tracing::warn!(file = %path.display(), plugins = ?kept,
                    "Plugin file failed to reload; the version loaded before keeps serving.");
            }
        }
    }

    /// The same for pipeline files: a pipeline whose file now has errors keeps its last
    /// good version.
    fn keep_pipelines_that_failed_to_reload(&self, next: &mut PipelineSet) {
        for errors in &next.errors {
            for (id, old) in &self.pipelines.pipelines {
                if old.source == errors.file && !next.pipelines.contains_key(id) {
                    tracing::warn!(file = %errors.file, pipeline = %id,
                        "Pipeline file failed to reload; the version loaded before keeps serving.");
                    next.pipelines.insert(id.clone(), old.clone());
                }
            }
        }
    }

    /// Whether `file` is one a reload reads: what decides if a file event matters.
    fn watches(sources: &Sources, file: &Path) -> bool {
        let in_dir = |dir: &Path, extensions: &[&str]| {
            file.parent() == Some(dir) && has_extension(file, extensions)
        };
        sources.plugin_dirs.iter().any(|dir| in_dir(dir, &["wasm"]))
            || sources
                .pipelines_dir
                .as_deref()
                .is_some_and(|dir| in_dir(dir, &["toml", "md"]))
            || sources.contestants_file.as_deref() == Some(file)
    }
}

/// Puts back the plugins `old` served from the file `error` is about, where the new load
/// would serve their ids from elsewhere or not at all, and says so in the error. Returns
/// the ids put back.
fn keep_last_good<P>(
    old: &std::collections::BTreeMap<String, std::sync::Arc<P>>,
    next: &mut std::collections::BTreeMap<String, std::sync::Arc<P>>,
    meta: impl Fn(&P) -> &crate::plugin::PluginMeta,
    error: &mut crate::plugin::LoadError,
) -> Vec<String> {
    let mut kept = Vec::new();
    for (id, previous) in old {
        if meta(previous).source != error.origin {
            continue;
        }
        let rival = next.get(id).map(|plugin| meta(plugin).source.clone());
        match rival {
            None | Some(PluginSource::Bundled(_)) => {
                next.insert(id.clone(), previous.clone());
                error.message.push_str(&format!(
                    " (the version of `{id}` loaded before keeps serving)"
                ));
                kept.push(id.clone());
            }
            // Another file took the id only because it sorts first: the file that was
            // serving keeps it, and the error moves to the newcomer.
            Some(newcomer) if error.message.contains("is already taken by") => {
                next.insert(id.clone(), previous.clone());
                error.message = format!(
                    "plugin id `{id}` is already taken by {}, which was serving it; rename \
                     one of them",
                    error.origin
                );
                error.origin = newcomer;
                kept.push(id.clone());
            }
            Some(_) => {}
        }
    }
    kept
}

/// Whether `path` ends in one of `extensions`, in any case (the loader reads `.WASM` too).
fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| {
            extensions
                .iter()
                .any(|wanted| ext.eq_ignore_ascii_case(wanted))
        })
}

/// The watched files and their contents, as one hash. Unreadable files count by name, so
/// a file becoming readable is a change.
fn fingerprint(sources: &Sources) -> String {
    let mut files = Vec::new();
    for dir in &sources.plugin_dirs {
        files.extend(files_in(dir, &["wasm"]));
    }
    if let Some(dir) = &sources.pipelines_dir {
        files.extend(files_in(dir, &["toml", "md"]));
    }
    files.extend(sources.contestants_file.clone());
    files.sort();
    let mut hasher = Sha256::new();
    let mut cache = CONTENT_HASHES.lock().unwrap();
    for file in files {
        hasher.update(file.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update(content_hash(&mut cache, &file));
    }
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A file's content hash by path, size and modification time, so a periodic rescan reads
/// only files that changed.
type HashCache = std::collections::HashMap<PathBuf, (u64, std::time::SystemTime, [u8; 32])>;
static CONTENT_HASHES: std::sync::Mutex<Option<HashCache>> = std::sync::Mutex::new(None);

fn content_hash(cache: &mut Option<HashCache>, file: &Path) -> [u8; 32] {
    let cache = cache.get_or_insert_with(Default::default);
    let Ok(meta) = std::fs::metadata(file) else {
        cache.remove(file);
        return Sha256::digest(b"unreadable").into();
    };
    let stamp = (meta.len(), meta.modified().unwrap_or(std::time::UNIX_EPOCH));
    if let Some((len, modified, hash)) = cache.get(file)
        && (*len, *modified) == stamp
    {
        return *hash;
    }
    let hash: [u8; 32] = match std::fs::read(file) {
        Ok(bytes) => Sha256::digest(&bytes).into(),
        Err(_) => Sha256::digest(b"unreadable").into(),
    };
    cache.insert(file.to_owned(), (stamp.0, stamp.1, hash));
    hash
}

fn files_in(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| has_extension(path, extensions))
        .collect()
}

/// How long the watched folders must be quiet before a reload: an editor's save (write a
/// temporary file, rename it over the old one) or `cp` of a large component is a burst of
/// events that must become one reload of the finished file.
pub const QUIET_PERIOD: Duration = Duration::from_millis(250);

/// How often the sources are compared with the catalog even without events, for changes
/// the watcher cannot see (a watched folder replaced by a new one).
pub const RESCAN_PERIOD: Duration = Duration::from_secs(3);

/// Watches the sources' folders and calls `reload` once per burst of relevant events.
/// Dropping the returned watcher stops it.
pub fn watch<F, Fut>(sources: &Sources, reload: F) -> notify::Result<notify::RecommendedWatcher>
where
    F: Fn() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    use notify::{EventKind, RecursiveMode, Watcher};

    let (sender, mut events) = tokio::sync::mpsc::unbounded_channel::<()>();
    let watched = sources.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let relevant = match event {
            Ok(event) => {
                !matches!(event.kind, EventKind::Access(_))
                    && event
                        .paths
                        .iter()
                        .any(|path| Catalog::watches(&watched, path))
            }
            // The kernel dropped events (queue overflow): only a reload is sure to see all.
            Err(_) => true,
        };
        if relevant {
            let _ = sender.send(());
        }
    })?;

    let mut dirs: Vec<&Path> = sources.plugin_dirs.iter().map(PathBuf::as_path).collect();
    dirs.extend(sources.pipelines_dir.as_deref());
    // The file's folder, not the file: an editor's rename-over replaces the file watched.
    dirs.extend(
        sources
            .contestants_file
            .as_deref()
            .and_then(Path::parent)
            .map(|dir| {
                if dir.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    dir
                }
            }),
    );
    for dir in dirs {
        match watcher.watch(dir, RecursiveMode::NonRecursive) {
            Ok(()) => tracing::info!(folder = %dir.display(), "Watching for changes."),
            Err(error) => tracing::warn!(folder = %dir.display(), %error,
                "Cannot watch this folder; changes in it need a restart."),
        }
    }

    tokio::spawn(async move {
        let mut rescan = tokio::time::interval(RESCAN_PERIOD);
        rescan.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                event = events.recv() => {
                    if event.is_none() {
                        return;
                    }
                    loop {
                        match tokio::time::timeout(QUIET_PERIOD, events.recv()).await {
                            Ok(Some(())) => continue,
                            Ok(None) => return,
                            Err(_quiet) => break,
                        }
                    }
                }
                // Events follow a folder's inode: one that was replaced (deleted and made
                // again, a symlink swapped) sends none. A reload finds nothing to do when
                // nothing changed, cheaply: unchanged files are not read again.
                _ = rescan.tick() => {}
            }
            reload().await;
        }
    });
    Ok(watcher)
}
