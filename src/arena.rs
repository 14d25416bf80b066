//! The arena: sessions of runs, each taken from prompt to live preview.
//!
//! A session is one prompt and its contestants; each contestant gets a run, and each run
//! goes through the plugin chain ([`crate::generate`]) and then the built-in stages:
//! install and build (bounded by a queue), start, health check, screenshots, scoring.
//! Every change is recorded on the run and streamed as an [`Event`]; a failure in any
//! stage fails that run alone, with the stage and the reason.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use tokio::sync::{OnceCell, Semaphore, broadcast};

use crate::catalog::{self, Catalog};
use crate::conceal::Concealer;
use crate::contestants::Contestant;
use crate::docker::{self, LogLine, LogSink, RunSpec, Running, Sandbox};
use crate::gateway::{PreviewLookup, PreviewTargets};
use crate::generate::{self, Generated, Stage};
use crate::leaderboard;
use crate::pipeline::Pipeline;
use crate::plugin::{self, PluginEngine, RunReport};
use crate::ports::{PortLease, PortPool};
use crate::run::{
    ContestantView, Event, EventKind, Fault, FileEntry, RunRecord, Screenshot, Status,
};
use crate::screenshot::{Browser, BrowserSettings};
use crate::store::{BattleInfo, BoardFilter, NewVote, Store, StoreError, StoredBattle};

/// How an arena instance is set up. [`ArenaConfig::default`] is the embedded default: the
/// bundled plugins and pipelines, the offline contestants, the local Docker engine.
#[derive(Debug, Clone)]
pub struct ArenaConfig {
    /// Where each run's project, logs and screenshots are written.
    pub data_dir: PathBuf,
    pub pipelines_dir: Option<PathBuf>,
    pub plugin_dirs: Vec<PathBuf>,
    pub contestants_file: Option<PathBuf>,
    /// Host ports handed to run containers.
    pub ports: RangeInclusive<u16>,
    /// How many installs and builds run at once.
    pub max_concurrent_builds: usize,
    /// Previews are served at `http://{run-id}.{preview_domain}:{gateway_port}/`.
    pub preview_domain: String,
    /// The port the gateway listens on, when one runs; previews get public URLs then.
    pub gateway_port: Option<u16>,
    /// Extra CA bundle for installs; overrides the pipeline's `build.ca_bundle`.
    pub ca_bundle: Option<PathBuf>,
    pub chromium: Option<PathBuf>,
    /// Reload plugins, pipelines and contestants when their files change.
    pub watch: bool,
    /// Let one browser vote more than once on a battle (a lab's own panel, say).
    pub repeat_votes: bool,
}

impl Default for ArenaConfig {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            data_dir: PathBuf::from("arena-data"),
            pipelines_dir: None,
            plugin_dirs: Vec::new(),
            contestants_file: None,
            ports: 3001..=4000,
            // next build is CPU-bound; one build per two cores keeps each one reasonably fast.
            max_concurrent_builds: (cores / 2).max(1),
            preview_domain: "preview.localhost".into(),
            watch: true,
            repeat_votes: false,
            gateway_port: None,
            ca_bundle: std::env::var_os("ARENA_CA_BUNDLE").map(PathBuf::from),
            chromium: None,
        }
    }
}

/// A running arena. Cheap to clone.
#[derive(Clone)]
pub struct Arena {
    inner: Arc<Inner>,
}

struct Inner {
    config: ArenaConfig,
    instance: String,
    engine: PluginEngine,
    sources: catalog::Sources,
    /// Replaced whole by a reload; see [`catalog`].
    catalog: std::sync::RwLock<Arc<Catalog>>,
    /// One reload at a time, so two bursts of events cannot race to swap.
    reloading: tokio::sync::Mutex<()>,
    watcher: Mutex<Option<notify::RecommendedWatcher>>,
    sandbox: Sandbox,
    ports: PortPool,
    builds: Semaphore,
    browser: OnceCell<Browser>,
    /// Live battles of this instance, and past ones read back from the store when asked for.
    sessions: Mutex<HashMap<String, Arc<Session>>>,
    runs: Mutex<HashMap<String, Arc<RunHandle>>>,
    store: Arc<Store>,
    /// One board per filter, extended as votes arrive; see [`Arena::leaderboard`].
    boards: Mutex<HashMap<BoardFilter, CachedBoard>>,
    /// Battles read back from the store, oldest first: the first to go when more than
    /// [`REVIVED_KEPT`] are in memory.
    revived: Mutex<std::collections::VecDeque<String>>,
    /// Held while this arena owns its data folder; see [`lock_data_folder`].
    folder_lock: Mutex<Option<std::fs::File>>,
}

/// How many past battles stay in memory once read back (each holds its replies and logs).
const REVIVED_KEPT: usize = 64;

struct CachedBoard {
    /// The newest vote of any filter when the board was built: no newer vote, no rebuild.
    newest_vote: i64,
    /// The newest vote this board has read.
    read_up_to: i64,
    ladder: leaderboard::Ladder,
    board: leaderboard::Board,
}

/// What a new battle asks for.
#[derive(Debug, Clone, Default)]
pub struct BattleRequest {
    pub prompt: String,
    /// Empty: the default contestants.
    pub contestants: Vec<String>,
    pub pipeline: String,
    /// What kind of site the prompt asks for, to filter the leaderboard by.
    pub category: Option<String>,
    /// Hide contestant names until a vote is cast; the runs are shown in a shuffled order.
    pub anonymous: bool,
}

/// Whether a battle takes a vote now, and whether it would count.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VotingState {
    /// Every run has ended: the battle takes votes (one per browser unless repeats are
    /// allowed; see `voted`).
    pub open: bool,
    /// Why it is not open yet.
    pub reason: Option<String>,
    /// Why a vote on this battle does not count in the leaderboard.
    pub excluded: Option<String>,
    pub voted: bool,
    pub repeat_allowed: bool,
}

/// A person's verdict on a finished battle.
#[derive(Debug, Clone)]
pub enum Ballot {
    Best(String),
    /// Tiers of run ids, best first; runs in one tier tie. Every run appears once.
    Ranking(Vec<Vec<String>>),
    AllBad,
}

#[derive(Debug, thiserror::Error)]
pub enum VoteError {
    #[error("no battle {0}")]
    UnknownBattle(String),
    #[error("voting opens when every run has finished: {0}")]
    NotFinished(String),
    #[error("this browser has voted on this battle already")]
    AlreadyVoted,
    #[error("{0}")]
    BadBallot(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One prompt and its runs.
pub struct Session {
    pub id: String,
    pub prompt: String,
    pub pipeline: String,
    pub category: Option<String>,
    pub anonymous: bool,
    pub created_ms: u64,
    pub run_ids: Vec<String>,
    /// The pipeline and plugins (versions, content hashes) the battle ran with.
    pub versions: serde_json::Value,
    events: Mutex<EventLog>,
    sender: broadcast::Sender<Event>,
}

struct EventLog {
    next_seq: u64,
    events: Vec<Event>,
}

impl Session {
    fn emit(&self, run: &str, kind: EventKind) {
        let mut log = self.events.lock().unwrap();
        let event = Event {
            seq: log.next_seq,
            run: run.to_owned(),
            at_ms: crate::run::now_ms(),
            kind,
        };
        log.next_seq += 1;
        log.events.push(event.clone());
        // Nobody listening is fine: the log keeps the event for later watchers.
        let _ = self.sender.send(event);
    }

    /// Events after `after` (all when `None`), and a receiver for the ones that follow,
    /// taken under one lock so that none falls in between.
    pub fn subscribe(&self, after: Option<u64>) -> (Vec<Event>, broadcast::Receiver<Event>) {
        let log = self.events.lock().unwrap();
        let missed = log
            .events
            .iter()
            .filter(|event| after.is_none_or(|seq| event.seq > seq))
            .cloned();
        (missed.collect(), self.sender.subscribe())
    }
}

struct RunHandle {
    record: Mutex<RunRecord>,
    /// The plugins and pipelines the run started with, whatever reloads happen meanwhile.
    catalog: Arc<Catalog>,
    session: Arc<Session>,
    site: Mutex<Option<(Running, PortLease)>>,
    task: Mutex<Option<tokio::task::AbortHandle>>,
    last_visit: Mutex<Instant>,
    /// Lines kept so far per log phase; see [`MAX_LOG_LINES`].
    log_lines: Mutex<HashMap<String, usize>>,
    store: Arc<Store>,
    /// Reply text or log lines arrived since the record was last written.
    unsaved: AtomicBool,
    /// Held from snapshot to write, so that writes land in the order of their snapshots: a
    /// progress save taken before a status change must not overwrite it.
    saving: Mutex<()>,
    /// In an anonymous battle, reply events are cut where no name can span two of them, so
    /// that each watcher's copy can be concealed event by event; this holds the text not
    /// yet settled. `None` for a battle with names shown.
    unsettled_reply: Option<(Concealer, Mutex<String>)>,
}

/// Between status changes a run's streamed reply and logs are written this often (less
/// often for a very large record): an arena killed mid-stage keeps what the run printed up
/// to about this long before.
const PROGRESS_SAVE_INTERVAL: Duration = Duration::from_secs(2);

/// A phase's log keeps at most this many lines, of at most [`MAX_LOG_LINE_CHARS`] each: a
/// hostile site that prints without end must not grow the arena's memory, its event
/// history or every watching browser's page without bound.
const MAX_LOG_LINES: usize = 20_000;
const MAX_LOG_LINE_CHARS: usize = 4_000;

impl RunHandle {
    /// A run with no container or task yet (a new one), or never again (one read back).
    /// `settle_names`: the concealer of an anonymous battle's run that is still to stream.
    fn new(
        record: RunRecord,
        catalog: Arc<Catalog>,
        session: Arc<Session>,
        store: Arc<Store>,
        settle_names: Option<Concealer>,
    ) -> Self {
        Self {
            catalog,
            site: Mutex::new(None),
            task: Mutex::new(None),
            last_visit: Mutex::new(Instant::now()),
            log_lines: Mutex::new(HashMap::new()),
            store,
            unsettled_reply: settle_names.map(|concealer| (concealer, Mutex::default())),
            unsaved: AtomicBool::new(false),
            saving: Mutex::new(()),
            record: Mutex::new(record),
            session,
        }
    }

    fn snapshot(&self) -> RunRecord {
        self.record.lock().unwrap().clone()
    }

    /// Writes the record as it is now. A store that fails costs the run its history, not
    /// its result, so the error is logged, loudly.
    fn persist(&self) {
        let _in_order = self.saving.lock().unwrap();
        self.unsaved.store(false, Ordering::Relaxed);
        let record = self.snapshot();
        if let Err(error) = self.store.save_run(&record) {
            tracing::error!(run = %record.id, %error, "Could not save a run.");
        }
    }

    /// Writes the record every [`PROGRESS_SAVE_INTERVAL`] while text keeps arriving; runs
    /// until dropped. A record grown large (a build printing up to the log cap) is written
    /// less often, so that saving it takes at most a twentieth of the time, off the async
    /// workers.
    async fn save_progress(self: Arc<Self>) {
        let mut wait = PROGRESS_SAVE_INTERVAL;
        loop {
            tokio::time::sleep(wait).await;
            if !self.unsaved.load(Ordering::Relaxed) {
                continue;
            }
            let started = Instant::now();
            let run = self.clone();
            if let Err(error) = tokio::task::spawn_blocking(move || run.persist()).await {
                tracing::error!(%error, "A progress save did not finish.");
            }
            wait = PROGRESS_SAVE_INTERVAL.max(started.elapsed() * 20);
        }
    }

    fn stream_reply(&self, text: String) {
        let id = {
            let mut record = self.record.lock().unwrap();
            record.reply.push_str(&text);
            record.id.clone()
        };
        self.unsaved.store(true, Ordering::Relaxed);
        match &self.unsettled_reply {
            None => self.session.emit(&id, EventKind::Reply { text }),
            Some((concealer, held)) => {
                // Sent under the lock, so that a flush cannot overtake it.
                let mut held = held.lock().unwrap();
                held.push_str(&text);
                let settled = concealer.settled_len(&held);
                if settled > 0 {
                    let text = held.drain(..settled).collect();
                    self.session.emit(&id, EventKind::Reply { text });
                }
            }
        }
    }

    /// Sends the reply text held back for settling: before any status change, the reply
    /// having ended or the run with it.
    fn flush_reply(&self, id: &str) {
        if let Some((_, held)) = &self.unsettled_reply {
            let mut held = held.lock().unwrap();
            if !held.is_empty() {
                let text = std::mem::take(&mut *held);
                self.session.emit(id, EventKind::Reply { text });
            }
        }
    }

    fn enter(&self, status: Status) {
        let id = {
            let mut record = self.record.lock().unwrap();
            record.enter(status);
            record.id.clone()
        };
        tracing::debug!(run = %id, %status, "Run changed status.");
        self.persist();
        self.flush_reply(&id);
        self.session.emit(
            &id,
            EventKind::Status {
                status,
                stage: None,
                reason: None,
            },
        );
    }

    /// Fails the run; whose doing it was follows the arena's convention that its own
    /// failures read "arena error: …", everything else being the model's project.
    fn fail(&self, stage: Status, reason: String) {
        let fault = match reason.starts_with("arena error") {
            true => Fault::Arena,
            false => Fault::Model,
        };
        self.fail_by(stage, reason, fault);
    }

    fn fail_by(&self, stage: Status, reason: String, fault: Fault) {
        let id = {
            let mut record = self.record.lock().unwrap();
            if record.status.is_final() {
                return;
            }
            record.enter(Status::Failed);
            record.failed_stage = Some(stage);
            record.failure = Some(reason.clone());
            record.fault = Some(fault);
            record
                .logs
                .entry("error".into())
                .or_default()
                .push_str(&format!("{reason}\n"));
            record.id.clone()
        };
        tracing::info!(run = %id, %stage, %reason, "Run failed.");
        self.persist();
        self.flush_reply(&id);
        let kind = EventKind::Status {
            status: Status::Failed,
            stage: Some(stage),
            reason: Some(reason),
        };
        self.session.emit(&id, kind);
    }

    fn log(&self, phase: &str, mut line: String) {
        {
            let mut counts = self.log_lines.lock().unwrap();
            let kept = counts.entry(phase.to_owned()).or_default();
            *kept += 1;
            if *kept > MAX_LOG_LINES + 1 {
                return;
            }
            if *kept == MAX_LOG_LINES + 1 {
                line = format!(
                    "[arena: the {phase} log is past {MAX_LOG_LINES} lines; the rest is not kept]"
                );
            }
        }
        if line.len() > MAX_LOG_LINE_CHARS {
            let mut end = MAX_LOG_LINE_CHARS;
            while !line.is_char_boundary(end) {
                end -= 1;
            }
            line.truncate(end);
            line.push_str(" [arena: line cut]");
        }
        let id = {
            let mut record = self.record.lock().unwrap();
            let log = record.logs.entry(phase.to_owned()).or_default();
            log.push_str(&line);
            log.push('\n');
            record.id.clone()
        };
        self.unsaved.store(true, Ordering::Relaxed);
        self.session.emit(
            &id,
            EventKind::Log {
                phase: phase.to_owned(),
                line,
            },
        );
    }
}

/// The most contestants one battle takes.
pub const MAX_CONTESTANTS: usize = 6;

/// Run ids double as DNS labels in preview host names: lowercase letters and digits.
/// What page scorers read: the page as each screenshot viewport saw it.
fn page_report(record: &RunRecord, prompt: &str) -> plugin::PageReport {
    plugin::PageReport {
        prompt: prompt.to_owned(),
        pages: record
            .screenshots
            .iter()
            .map(|shot| plugin::PageFacts {
                viewport: shot.viewport.clone(),
                width: shot.width,
                height: shot.height,
                transfer_bytes: shot.page.transfer_bytes,
                requests: shot.page.requests,
                overflow_px: shot.page.overflow_px,
                text: shot.page.text.clone(),
                images_without_alt: shot.page.images_without_alt.clone(),
                headings: shot.page.headings.clone(),
                unlabelled_fields: shot.page.unlabelled_fields.clone(),
                low_contrast: shot.page.low_contrast.clone(),
                console_errors: shot.console_errors.clone(),
            })
            .collect(),
    }
}

fn new_id() -> String {
    const ALPHABET: [char; 36] = [
        'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r',
        's', 't', 'u', 'v', 'w', 'x', 'y', 'z', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
    ];
    // A leading letter keeps the label valid wherever a name may not start with a digit.
    let first = nanoid::nanoid!(1, &ALPHABET[..26]);
    first + &nanoid::nanoid!(11, &ALPHABET)
}

impl Arena {
    /// Loads plugins, pipelines and contestants, connects to Docker and removes the
    /// containers an earlier instance left behind.
    pub async fn start(config: ArenaConfig) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating the data folder {}", config.data_dir.display()))?;
        // Instances that share a data folder are one deployment: a new one cleans up after
        // the last. Arenas with other data folders on the same engine are left alone.
        let data_dir = std::fs::canonicalize(&config.data_dir)?;
        let deployment =
            plugin::content_hash(data_dir.to_string_lossy().as_bytes())[..8].to_owned();
        let instance = format!("{deployment}-{}", new_id());
        let folder_lock = lock_data_folder(&data_dir)?;
        let store = Arc::new(Store::open(&data_dir)?);
        // No run of this instance exists yet: any unfinished one was left by an arena that
        // went down (its containers are removed below).
        for (run, stage) in store.interrupt_unfinished()? {
            tracing::info!(%run, %stage, "Run interrupted when the arena stopped; marked so.");
        }
        let engine = PluginEngine::new(plugin::default_cache_dir())?;
        // Absolute, so that the watcher's event paths compare equal to them.
        let absolute = |path: &Path| std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        let sources = catalog::Sources {
            plugin_dirs: config.plugin_dirs.iter().map(|dir| absolute(dir)).collect(),
            pipelines_dir: config.pipelines_dir.as_deref().map(absolute),
            contestants_file: config.contestants_file.as_deref().map(absolute),
        };
        let catalog = Catalog::load(&engine, &sources).await?;
        for error in &catalog.plugins.errors {
            tracing::warn!(%error, "Plugin unavailable.");
        }

        let sandbox = Sandbox::connect(instance.clone()).await?;
        let removed = sandbox.remove_leftovers(&deployment, &instance).await?;
        if removed > 0 {
            tracing::info!(
                removed,
                "Removed containers left by an earlier arena instance."
            );
        }

        tracing::info!(%instance, "Arena started.");
        let inner = Inner {
            ports: PortPool::new(config.ports.clone()),
            builds: Semaphore::new(config.max_concurrent_builds.max(1)),
            config,
            instance,
            engine,
            sources,
            catalog: std::sync::RwLock::new(Arc::new(catalog)),
            reloading: tokio::sync::Mutex::new(()),
            watcher: Mutex::new(None),
            sandbox,
            browser: OnceCell::new(),
            sessions: Mutex::new(HashMap::new()),
            runs: Mutex::new(HashMap::new()),
            store,
            boards: Mutex::new(HashMap::new()),
            revived: Mutex::new(std::collections::VecDeque::new()),
            folder_lock: Mutex::new(Some(folder_lock)),
        };
        let arena = Self {
            inner: Arc::new(inner),
        };
        if arena.inner.config.watch {
            arena.watch();
        }
        Ok(arena)
    }

    /// Reloads the catalog whenever a watched plugin folder, pipeline folder or contestants
    /// file changes. The watcher holds only a weak reference: it ends with the arena.
    fn watch(&self) {
        let weak = Arc::downgrade(&self.inner);
        let watched = catalog::watch(&self.inner.sources, move || {
            let weak = weak.clone();
            async move {
                if let Some(inner) = weak.upgrade() {
                    Arena { inner }.reload().await;
                }
            }
        });
        match watched {
            Ok(watcher) => *self.inner.watcher.lock().unwrap() = Some(watcher),
            Err(error) => {
                tracing::warn!(%error, "Cannot watch plugins and pipelines; changes need a restart.")
            }
        }
    }

    /// Loads the sources again and swaps the new catalog in when anything changed; returns
    /// whether it did. Runs already going keep the catalog they started with.
    pub async fn reload(&self) -> bool {
        let _one_at_a_time = self.inner.reloading.lock().await;
        let current = self.catalog();
        let started = Instant::now();
        let Some(next) = current
            .reload(&self.inner.engine, &self.inner.sources)
            .await
        else {
            return false;
        };
        for error in &next.plugins.errors {
            tracing::warn!(%error, "Plugin unavailable.");
        }
        for errors in &next.pipelines.errors {
            // The whole report: which line, what is wrong, what is valid.
            tracing::warn!(file = %errors.file, "Pipeline file has problems (a version loaded from it before, if any, keeps serving):\n{errors}");
        }
        if let Some(error) = &next.contestants_error {
            tracing::warn!(%error, "Contestants file unreadable.");
        }
        tracing::info!(
            version = next.version,
            providers = next.plugins.providers.len(),
            validators = next.plugins.validators.len(),
            scorers = next.plugins.scorers.len(),
            pipelines = next.pipelines.pipelines.len(),
            contestants = next.contestants.len(),
            ms = started.elapsed().as_millis() as u64,
            "Reloaded plugins, pipelines and contestants."
        );
        *self.inner.catalog.write().unwrap() = Arc::new(next);
        true
    }

    pub fn instance(&self) -> &str {
        &self.inner.instance
    }

    /// What the arena offers now. Hold the `Arc` for one answer, not across reloads.
    pub fn catalog(&self) -> Arc<Catalog> {
        self.inner.catalog.read().unwrap().clone()
    }

    pub fn data_dir(&self) -> &Path {
        &self.inner.config.data_dir
    }

    /// Starts a battle: one run per contestant, all in parallel. `contestant_ids` empty
    /// means the default contestants.
    pub fn start_session(
        &self,
        prompt: &str,
        contestant_ids: &[String],
        pipeline_id: &str,
    ) -> Result<Arc<Session>, SessionError> {
        self.start_battle(BattleRequest {
            prompt: prompt.to_owned(),
            contestants: contestant_ids.to_vec(),
            pipeline: pipeline_id.to_owned(),
            ..BattleRequest::default()
        })
    }

    pub fn start_battle(&self, request: BattleRequest) -> Result<Arc<Session>, SessionError> {
        let BattleRequest {
            prompt,
            contestants: contestant_ids,
            pipeline: pipeline_id,
            category,
            anonymous,
        } = request;
        let pipeline_id = pipeline_id.as_str();
        let contestant_ids = contestant_ids.as_slice();
        let category = category
            .map(|category| category.trim().to_owned())
            .filter(|category| !category.is_empty());
        if category.as_ref().is_some_and(|c| c.chars().count() > 60) {
            return Err(SessionError::BadCategory);
        }
        let prompt = prompt.trim();
        if prompt.is_empty() {
            return Err(SessionError::EmptyPrompt);
        }
        // The whole battle runs on the catalog of this moment.
        let catalog = self.catalog();
        let pipeline = catalog
            .pipelines
            .pipelines
            .get(pipeline_id)
            .cloned()
            .ok_or_else(|| SessionError::UnknownPipeline {
                id: pipeline_id.to_owned(),
                known: catalog.pipelines.pipelines.keys().cloned().collect(),
            })?;
        let mut chosen = Self::choose(&catalog.contestants, contestant_ids)?;
        // Refused up front: a battle that could only fail would cost a slot and say less
        // than this.
        if let Some((id, reason)) = chosen.iter().find_map(|c| {
            c.unavailable_reason(&catalog.plugins)
                .map(|reason| (c.id.clone(), reason))
        }) {
            return Err(SessionError::Unavailable { id, reason });
        }

        // Before the shuffle, and sorted: the list must not tell who is who either.
        let versions = versions_used(&catalog, &pipeline, &chosen);
        // In an anonymous battle the order of the picker would tell who is who.
        if anonymous {
            use rand::seq::SliceRandom as _;
            chosen.shuffle(&mut rand::rng());
        }

        let id = new_id();
        let run_ids: Vec<String> = chosen.iter().map(|_| new_id()).collect();
        let (sender, _) = broadcast::channel(4096);
        let session = Arc::new(Session {
            id: id.clone(),
            prompt: prompt.to_owned(),
            pipeline: pipeline.id.clone(),
            category,
            anonymous,
            created_ms: crate::run::now_ms(),
            run_ids: run_ids.clone(),
            versions: versions.clone(),
            events: Mutex::new(EventLog {
                next_seq: 0,
                events: Vec::new(),
            }),
            sender,
        });
        let records: Vec<RunRecord> = chosen
            .iter()
            .zip(&run_ids)
            .map(|(contestant, run_id)| {
                let view = ContestantView {
                    id: contestant.id.clone(),
                    name: contestant.name.clone(),
                    provider: contestant.provider.clone(),
                    model: contestant.model.clone(),
                };
                RunRecord::new(run_id.clone(), id.clone(), view)
            })
            .collect();
        let info = BattleInfo {
            id: id.clone(),
            prompt: session.prompt.clone(),
            category: session.category.clone(),
            pipeline: session.pipeline.clone(),
            anonymous,
            created_ms: session.created_ms,
            versions,
        };
        // In memory first, so that a request for the new id never reads it back from the
        // store as a past battle.
        self.inner
            .sessions
            .lock()
            .unwrap()
            .insert(id.clone(), session.clone());
        // A battle that cannot be kept is not started: its votes would have nowhere to go.
        if let Err(error) = self.inner.store.insert_battle(&info, &records) {
            self.inner.sessions.lock().unwrap().remove(&id);
            return Err(SessionError::Store(error.to_string()));
        }
        tracing::info!(session = %id, contestants = chosen.len(), "Battle started.");

        let pipeline = Arc::new(pipeline);
        let contestants: Vec<ContestantView> =
            records.iter().map(|r| r.contestant.clone()).collect();
        let runs = chosen.into_iter().zip(run_ids).zip(records).enumerate();
        for (position, ((contestant, run_id), record)) in runs {
            let settle_names = anonymous.then(|| Concealer::for_run(&contestants, position));
            let handle = Arc::new(RunHandle::new(
                record,
                catalog.clone(),
                session.clone(),
                self.inner.store.clone(),
                settle_names,
            ));
            self.inner
                .runs
                .lock()
                .unwrap()
                .insert(run_id.clone(), handle.clone());
            session.emit(
                &run_id,
                EventKind::Status {
                    status: Status::Queued,
                    stage: None,
                    reason: None,
                },
            );

            let task = tokio::spawn(self.clone().drive(
                handle.clone(),
                contestant,
                pipeline.clone(),
            ));
            *handle.task.lock().unwrap() = Some(task.abort_handle());
        }
        Ok(session)
    }

    fn choose(all: &[Contestant], ids: &[String]) -> Result<Vec<Contestant>, SessionError> {
        if ids.is_empty() {
            let defaults: Vec<Contestant> = all.iter().filter(|c| c.default).cloned().collect();
            return match defaults.len() {
                0 => Err(SessionError::NoContestants),
                count if count > MAX_CONTESTANTS => Err(SessionError::TooManyContestants(count)),
                _ => Ok(defaults),
            };
        }
        if ids.len() > MAX_CONTESTANTS {
            return Err(SessionError::TooManyContestants(ids.len()));
        }
        // Each run's folder is named by its contestant, so a contestant enters once.
        if let Some((_, twice)) = ids
            .iter()
            .enumerate()
            .find(|(i, id)| ids[..*i].contains(id))
        {
            return Err(SessionError::DuplicateContestant(twice.clone()));
        }
        ids.iter()
            .map(|id| {
                all.iter().find(|c| &c.id == id).cloned().ok_or_else(|| {
                    SessionError::UnknownContestant {
                        id: id.clone(),
                        known: all.iter().map(|c| c.id.clone()).collect(),
                    }
                })
            })
            .collect()
    }

    /// A battle of this instance, or a past one read back from the store.
    pub fn session(&self, id: &str) -> Option<Arc<Session>> {
        if let Some(session) = self.inner.sessions.lock().unwrap().get(id).cloned() {
            return Some(session);
        }
        match self.inner.store.battle(id) {
            Ok(Some(stored)) => Some(self.revive(stored)),
            Ok(None) => None,
            Err(error) => {
                tracing::error!(battle = %id, %error, "Could not read a battle back.");
                None
            }
        }
    }

    /// Makes a stored battle servable again: its runs as they ended, their status history as
    /// events. A ready run's preview did not survive the arena that served it.
    fn revive(&self, stored: StoredBattle) -> Arc<Session> {
        let StoredBattle { info, runs } = stored;
        let (sender, _) = broadcast::channel(16);
        // The page draws replies and logs from the event stream only, and closes it once
        // every run has ended: each run's history as events, reply and logs included, with
        // the final statuses last.
        let mut events = Vec::new();
        let mut finals = Vec::new();
        let event = |run: &RunRecord, at_ms: u64, kind: EventKind| Event {
            seq: 0,
            run: run.id.clone(),
            at_ms,
            kind,
        };
        for run in &runs {
            for transition in &run.transitions {
                let last = transition.status.is_final();
                let status = event(
                    run,
                    transition.at_ms,
                    EventKind::Status {
                        status: transition.status,
                        stage: last.then_some(run.failed_stage).flatten(),
                        reason: last.then(|| run.failure.clone()).flatten(),
                    },
                );
                if last {
                    finals.push(status);
                    continue;
                }
                events.push(status);
                if transition.status == Status::Generating && !run.reply.is_empty() {
                    let text = run.reply.clone();
                    events.push(event(run, transition.at_ms, EventKind::Reply { text }));
                }
            }
            let ended_ms = run.transitions.last().map_or(0, |t| t.at_ms);
            for (phase, text) in &run.logs {
                for line in text.lines() {
                    // A failure's reason is in the error log and in its final status: the
                    // page shows it from the status, as it did live.
                    if phase == "error" && run.failure.as_deref() == Some(line) {
                        continue;
                    }
                    let kind = EventKind::Log {
                        phase: phase.clone(),
                        line: line.to_owned(),
                    };
                    events.push(event(run, ended_ms, kind));
                }
            }
        }
        events.extend(finals);
        for (seq, event) in events.iter_mut().enumerate() {
            event.seq = seq as u64;
        }
        let session = Arc::new(Session {
            id: info.id.clone(),
            prompt: info.prompt,
            pipeline: info.pipeline,
            category: info.category,
            anonymous: info.anonymous,
            created_ms: info.created_ms,
            run_ids: runs.iter().map(|run| run.id.clone()).collect(),
            versions: info.versions.clone(),
            events: Mutex::new(EventLog {
                next_seq: events.len() as u64,
                events,
            }),
            sender,
        });
        let catalog = self.catalog();
        let mut sessions = self.inner.sessions.lock().unwrap();
        // Two requests may revive the same battle at once; the first one in is kept.
        if let Some(existing) = sessions.get(&info.id) {
            return existing.clone();
        }
        let mut handles = self.inner.runs.lock().unwrap();
        for mut record in runs {
            record.port = None;
            record.internal_url = None;
            record.public_url = None;
            record.container_id = None;
            let run_dir = self.run_dir(&record);
            for shot in &mut record.screenshots {
                shot.path = run_dir.join(&shot.file);
            }
            let id = record.id.clone();
            let handle = RunHandle::new(
                record,
                catalog.clone(),
                session.clone(),
                self.inner.store.clone(),
                None,
            );
            handles.insert(id, Arc::new(handle));
        }
        let mut revived = self.inner.revived.lock().unwrap();
        revived.push_back(info.id.clone());
        sessions.insert(info.id, session.clone());
        while revived.len() > REVIVED_KEPT {
            let Some(oldest) = revived.pop_front() else {
                break;
            };
            if let Some(gone) = sessions.remove(&oldest) {
                for run in &gone.run_ids {
                    handles.remove(run);
                }
            }
        }
        session
    }

    pub fn sessions(&self) -> Vec<Arc<Session>> {
        let mut sessions: Vec<_> = self
            .inner
            .sessions
            .lock()
            .unwrap()
            .values()
            .cloned()
            .collect();
        sessions.sort_by_key(|session| std::cmp::Reverse(session.created_ms));
        sessions
    }

    pub fn run(&self, id: &str) -> Option<RunRecord> {
        self.handle(id).map(|handle| handle.snapshot())
    }

    pub fn runs_of(&self, session: &Session) -> Vec<RunRecord> {
        session
            .run_ids
            .iter()
            .filter_map(|id| self.run(id))
            .collect()
    }

    fn handle(&self, id: &str) -> Option<Arc<RunHandle>> {
        if let Some(handle) = self.inner.runs.lock().unwrap().get(id).cloned() {
            return Some(handle);
        }
        let battle = self.inner.store.battle_of_run(id).ok().flatten()?;
        self.session(&battle)?;
        self.inner.runs.lock().unwrap().get(id).cloned()
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The folder holding one run's project, logs, screenshots and report.
    pub fn run_dir(&self, record: &RunRecord) -> PathBuf {
        self.inner
            .config
            .data_dir
            .join(&record.session)
            .join(&record.contestant.id)
    }

    /// Waits until every run of the session has reached a final status and finished its
    /// work (scores and report included).
    pub async fn wait(&self, session: &Session) {
        let (_, mut events) = session.subscribe(None);
        loop {
            // A failed run is final before it is scored and its report written: wait for its
            // task too, so that what the caller reads next is complete.
            let settled = session.run_ids.iter().all(|id| {
                self.handle(id).is_none_or(|run| {
                    run.snapshot().status.is_final()
                        && run
                            .task
                            .lock()
                            .unwrap()
                            .as_ref()
                            .is_none_or(|task| task.is_finished())
                })
            });
            if settled {
                return;
            }
            // Any event (or a lagged stream) is a reason to look again.
            let _ = tokio::time::timeout(Duration::from_secs(1), events.recv()).await;
        }
    }

    /// Stops a run: its task is cancelled and its container removed. A ready run ends as
    /// terminated; one still on its way ends as terminated too, with the stage it was in.
    pub async fn stop(&self, run_id: &str, reason: &str) -> bool {
        self.end_run(run_id, reason, true).await
    }

    /// [`Arena::stop`]; `each_container` also removes what a stage cancelled halfway left,
    /// which [`Arena::stop_all`] does once for all runs instead.
    async fn end_run(&self, run_id: &str, reason: &str, each_container: bool) -> bool {
        let Some(handle) = self.handle(run_id) else {
            return false;
        };
        let status = handle.record.lock().unwrap().status;
        // A failed run has nothing left to stop, and its task may still be scoring it.
        if status.is_final() && status != Status::Ready {
            return true;
        }
        if let Some(task) = handle.task.lock().unwrap().take() {
            task.abort();
        }
        let site = handle.site.lock().unwrap().take();
        if let Some((site, _lease)) = site
            && let Err(error) = self.inner.sandbox.stop(&site).await
        {
            tracing::warn!(run = %run_id, %error, "Could not stop a run's container.");
        }
        if each_container && status != Status::Ready {
            // A stage cancelled halfway may hold a container the run does not know of yet:
            // the site while its health is awaited, an install or build being created.
            match self.inner.sandbox.remove_run(run_id).await {
                Ok(0) => {}
                Ok(removed) => {
                    tracing::info!(run = %run_id, removed, "Removed a stopped stage's containers.")
                }
                Err(error) => {
                    tracing::warn!(run = %run_id, %error, "Could not remove a stopped run's containers.")
                }
            }
        }
        let (id, stage) = {
            let mut record = handle.record.lock().unwrap();
            if record.status.is_final() && record.status != Status::Ready {
                return true;
            }
            let stage = record.status;
            record.enter(Status::Terminated);
            record.failure = Some(reason.to_owned());
            if stage != Status::Ready {
                record.failed_stage = Some(stage);
            }
            (record.id.clone(), stage)
        };
        tracing::info!(run = %id, %reason, "Run terminated.");
        handle.persist();
        handle.flush_reply(&id);
        let kind = EventKind::Status {
            status: Status::Terminated,
            stage: Some(stage),
            reason: Some(reason.to_owned()),
        };
        handle.session.emit(&id, kind);
        true
    }

    /// Stops every run and gives the data folder up, for another arena to start on it.
    pub async fn shut_down(&self, reason: &str) {
        self.stop_all(reason).await;
        // A failed run still being scored is saved as failed already; nothing of this arena
        // may write to the folder once another can have it.
        let handles: Vec<Arc<RunHandle>> =
            self.inner.runs.lock().unwrap().values().cloned().collect();
        for handle in handles {
            if let Some(task) = handle.task.lock().unwrap().take() {
                task.abort();
            }
        }
        // Not left to drop: tasks may hold the arena past the end of the process.
        if let Some(browser) = self.inner.browser.get() {
            browser.close().await;
        }
        self.inner.folder_lock.lock().unwrap().take();
    }

    /// Stops every run.
    pub async fn stop_all(&self, reason: &str) {
        let ids: Vec<String> = self.inner.runs.lock().unwrap().keys().cloned().collect();
        for id in ids {
            self.end_run(&id, reason, false).await;
        }
        // A stage stopped halfway (a build container being created as its task was
        // aborted) can leave a container the run no longer knows about.
        match self
            .inner
            .sandbox
            .remove_instance(&self.inner.instance)
            .await
        {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "Removed containers of stopped stages."),
            Err(error) => tracing::warn!(%error, "Could not sweep this arena's containers."),
        }
    }

    /// Takes one run from its contestant's reply to a ready preview.
    async fn drive(self, run: Arc<RunHandle>, contestant: Contestant, pipeline: Arc<Pipeline>) {
        let prompt = run.session.prompt.clone();
        let record = run.snapshot();
        let run_dir = self.run_dir(&record);

        // What the run prints is saved as it goes, not only at status changes; the saver
        // ends with this task, however it ends.
        let mut saver = tokio::task::JoinSet::new();
        saver.spawn(run.clone().save_progress());

        // The plugin chain. Reply text becomes events as the plugin emits it, in order with
        // the status changes around it, and part of the record, so that a provider that
        // traps midway or an arena killed midway keeps what had arrived.
        let sink = {
            let run = run.clone();
            plugin::ReplySink::new(move |text| run.stream_reply(text))
        };
        let on_stage = |stage: Stage| {
            run.enter(match stage {
                Stage::Generating => Status::Generating,
                Stage::Validating => Status::Validating,
            })
        };
        let generated = generate::generate_with_progress(
            &run.catalog.plugins,
            &pipeline,
            &contestant,
            &prompt,
            sink,
            &on_stage,
        )
        .await;
        self.keep_generation(&run, &generated);
        if let Some(failure) = &generated.failure {
            let stage = match failure.stage {
                Stage::Generating => Status::Generating,
                Stage::Validating => Status::Validating,
            };
            run.fail_by(stage, failure.reason.clone(), failure.fault);
            // The reply is what explains a failed generation: keep it beside the report.
            let reply = run.record.lock().unwrap().reply.clone();
            let kept = std::fs::create_dir_all(&run_dir)
                .and_then(|()| std::fs::write(run_dir.join("reply.md"), reply));
            if let Err(error) = kept {
                tracing::warn!(run = %record.id, %error, "Could not keep the reply.");
            }
            self.finish(&run, &pipeline, &prompt, &generated, &run_dir)
                .await;
            return;
        }

        let project = run_dir.join("project");
        if let Err(error) = self.write_run_files(&run_dir, &generated, &pipeline) {
            run.fail(
                Status::Validating,
                format!("arena error: could not write the project: {error:#}"),
            );
            self.finish(&run, &pipeline, &prompt, &generated, &run_dir)
                .await;
            return;
        }

        // Invented packages and unpublished versions fail here, named, not inside npm.
        if let Some(manifest) = generated.files.iter().find(|f| f.path == "package.json") {
            let missing =
                crate::dependencies::unpublished(&pipeline.build.registry, &manifest.contents)
                    .await;
            if !missing.is_empty() {
                let list: Vec<String> = missing.iter().map(ToString::to_string).collect();
                run.fail(
                    Status::Validating,
                    format!(
                        "package.json asks for what {} does not have: {}",
                        pipeline.build.registry,
                        list.join("; ")
                    ),
                );
                self.finish(&run, &pipeline, &prompt, &generated, &run_dir)
                    .await;
                return;
            }
        }

        if let Err((stage, reason)) = self.build_and_start(&run, &pipeline, &project).await {
            run.fail(stage, reason);
        } else if let Err((stage, reason)) = self.capture(&run, &pipeline, &run_dir).await {
            run.fail(stage, reason);
        }
        self.finish(&run, &pipeline, &prompt, &generated, &run_dir)
            .await;
    }

    fn keep_generation(&self, run: &RunHandle, generated: &Generated) {
        // The reply is in the record already, as it streamed; the rest is saved with the
        // next status, or by the progress saver if that takes a while.
        run.unsaved.store(true, Ordering::Relaxed);
        let mut record = run.record.lock().unwrap();
        record.finish = generated.finish.clone();
        record.usage = generated.usage;
        record.cost_usd = generated.cost_usd;
        record.diagnostics = generated.diagnostics.clone();
        record.edits = generated.edits.clone();
        record.kept_files = generated.files.clone().into();
        record.files = generated
            .files
            .iter()
            .map(|file| FileEntry {
                path: file.path.clone(),
                bytes: file.contents.len(),
            })
            .collect();
        let id = record.id.clone();
        drop(record);
        if let Err(error) = run.store.save_files(&id, &generated.files) {
            tracing::error!(run = %id, %error, "Could not save a run's files.");
        }
    }

    fn write_run_files(
        &self,
        run_dir: &Path,
        generated: &Generated,
        pipeline: &Pipeline,
    ) -> anyhow::Result<()> {
        if run_dir.exists() {
            std::fs::remove_dir_all(run_dir)?;
        }
        std::fs::create_dir_all(run_dir)?;
        std::fs::write(run_dir.join("reply.md"), &generated.reply)?;
        generate::write_project(&run_dir.join("project"), &generated.files, &pipeline.files)
    }

    /// Install, build, start and health check. `Err` carries the failed stage and reason.
    async fn build_and_start(
        &self,
        run: &Arc<RunHandle>,
        pipeline: &Pipeline,
        project: &Path,
    ) -> Result<(), (Status, String)> {
        let sandbox = &self.inner.sandbox;
        let build = &pipeline.build;
        let image = sandbox
            .resolve_image(
                &build.image,
                build.fallback_image.as_deref(),
                Duration::from_secs(60),
            )
            .await
            .map_err(|error| (Status::Installing, format!("arena error: {error}")))?;

        let record = run.snapshot();
        let workspace = std::path::absolute(project)
            .map_err(|error| (Status::Installing, format!("arena error: {error}")))?;
        let mut spec = RunSpec::new(record.session.clone(), record.id.clone(), workspace, image);
        spec.npm.registry = build.registry.clone();
        spec.npm.ca_bundle = self.ca_bundle(pipeline);
        spec.commands.install = build.install.clone();
        spec.commands.build = build.build.clone();
        spec.commands.start = build.start.clone();
        spec.limits = docker::Limits {
            memory_mib: u64::from(pipeline.limits.memory_mb),
            cpus: pipeline.limits.cpus,
            pids: pipeline.limits.pids,
        };
        spec.timeouts = docker::Timeouts {
            install: Duration::from_secs(pipeline.timeouts.install_secs),
            build: Duration::from_secs(pipeline.timeouts.build_secs),
            health: Duration::from_secs(pipeline.timeouts.start_secs),
        };
        let sink = {
            let run = run.clone();
            LogSink::new(move |line: LogLine| run.log(line.phase.as_str(), line.line))
        };

        // Installs and builds share the machine's cores; a run waiting for its turn shows
        // as queued.
        let permit = match self.inner.builds.try_acquire() {
            Ok(permit) => permit,
            Err(_) => {
                run.enter(Status::Queued);
                self.inner
                    .builds
                    .acquire()
                    .await
                    .expect("the build queue is never closed")
            }
        };
        run.enter(Status::Installing);
        sandbox
            .install(&spec, &sink)
            .await
            .map_err(|error| phase_error(Status::Installing, error))?;
        run.enter(Status::Building);
        sandbox
            .build(&spec, &sink)
            .await
            .map_err(|error| phase_error(Status::Building, error))?;
        drop(permit);

        run.enter(Status::Starting);
        let lease = self
            .inner
            .ports
            .allocate()
            .map_err(|error| (Status::Starting, format!("arena error: {error}")))?;
        let site = sandbox
            .start(&spec, lease.port(), &sink)
            .await
            .map_err(|error| phase_error(Status::Starting, error))?;
        {
            let mut record = run.record.lock().unwrap();
            record.port = Some(lease.port());
            record.container_id = Some(site.container_id.clone());
            record.internal_url = Some(site.url());
        }
        let health = sandbox.wait_healthy(&site, spec.timeouts.health).await;
        *run.site.lock().unwrap() = Some((site, lease));
        let after = health.map_err(|error| phase_error(Status::Starting, error))?;
        run.log(
            "start",
            format!("healthy after {:.1}s", after.as_secs_f64()),
        );
        run.enter(Status::Healthy);
        Ok(())
    }

    fn ca_bundle(&self, pipeline: &Pipeline) -> Option<PathBuf> {
        if let Some(bundle) = self
            .inner
            .config
            .ca_bundle
            .clone()
            .or(pipeline.build.ca_bundle.clone())
        {
            return Some(bundle);
        }
        docker::host_ca_bundle()
    }

    async fn capture(
        &self,
        run: &Arc<RunHandle>,
        pipeline: &Pipeline,
        run_dir: &Path,
    ) -> Result<(), (Status, String)> {
        run.enter(Status::Capturing);
        let url = run
            .snapshot()
            .internal_url
            .expect("a healthy run has a URL");
        let browser = self
            .inner
            .browser
            .get_or_try_init(|| async {
                let settings = BrowserSettings {
                    executable: self.inner.config.chromium.clone(),
                    ..Default::default()
                };
                Browser::launch(settings).await
            })
            .await
            .map_err(|error| (Status::Capturing, format!("arena error: {error}")))?;
        let viewports: Vec<(String, u32, u32)> = pipeline
            .screenshots
            .iter()
            .map(|v| (v.name.clone(), v.width, v.height))
            .collect();
        let timeout = Duration::from_secs(pipeline.timeouts.screenshot_secs);
        let dir = run_dir.join("screenshots");
        let shots = browser
            .capture(&url, &viewports, &dir, timeout)
            .await
            .map_err(|error| (Status::Capturing, format!("arena error: {error}")))?;

        let mut record = run.record.lock().unwrap();
        record.screenshots = shots
            .into_iter()
            .map(|shot| Screenshot {
                file: format!("screenshots/{}.png", shot.viewport),
                viewport: shot.viewport,
                width: shot.width,
                height: shot.height,
                path: shot.path,
                load_ms: shot.load_millis,
                console_errors: shot.console_errors,
                failed_requests: shot.failed_requests,
                timed_out_waiting: shot.timed_out_waiting,
                page: shot.page,
            })
            .collect();
        Ok(())
    }

    /// Scores the run (ready or failed), writes its report, and for a ready run sets its
    /// public URL and starts its idle timer.
    async fn finish(
        &self,
        run: &Arc<RunHandle>,
        pipeline: &Pipeline,
        prompt: &str,
        generated: &Generated,
        run_dir: &Path,
    ) {
        let succeeded = !run.snapshot().status.is_final();
        if succeeded {
            run.enter(Status::Scoring);
        }
        let report = self.scorer_report(&run.snapshot(), succeeded, prompt, generated);
        let pages = page_report(&run.snapshot(), prompt);
        let mut scores = Vec::new();
        for step in &pipeline.scorers {
            let Some(scorer) = run.catalog.plugins.scorers.get(&step.plugin) else {
                run.log("error", format!("scorer `{}` is not loaded", step.plugin));
                continue;
            };
            match scorer
                .score(&report, &pages, &step.settings(), &pipeline.plugin_limits)
                .await
            {
                Ok(scored) => {
                    // What a scorer says about its counts goes with the run, to be checked.
                    for line in scored.logs {
                        run.log("score", format!("{}: {}", step.plugin, line.message));
                    }
                    scores.extend(scored.metrics);
                }
                // A scorer's failure costs the run its scores, not its result.
                Err(error) => run.log("error", error.to_string()),
            }
        }
        run.record.lock().unwrap().scores = scores;
        if !succeeded {
            // A ready run is saved as it enters ready, below.
            run.persist();
        }

        if succeeded {
            let public_url = self.inner.config.gateway_port.map(|port| {
                format!(
                    "http://{}.{}:{port}/",
                    run.snapshot().id,
                    self.inner.config.preview_domain
                )
            });
            run.record.lock().unwrap().public_url = public_url;
            *run.last_visit.lock().unwrap() = Instant::now();
            run.enter(Status::Ready);
            tracing::info!(run = %run.snapshot().id, "Run ready.");
            self.spawn_idle_timer(
                run.clone(),
                Duration::from_secs(pipeline.timeouts.idle_minutes * 60),
            );
        } else if let Some((site, _lease)) = run.site.lock().unwrap().take() {
            // A run that failed after starting (capture) must not leave its container.
            let sandbox = self.clone();
            tokio::spawn(async move {
                let _ = sandbox.inner.sandbox.stop(&site).await;
            });
        }
        if let Err(error) = self.write_report(run, run_dir) {
            tracing::warn!(run = %run.snapshot().id, %error, "Could not write a run report.");
        }
    }

    /// What scorers see. A run being scored has passed every stage, so it is reported as
    /// ready; a stage entered twice (queued before generating and before installing) is
    /// reported once, with its total time.
    fn scorer_report(
        &self,
        record: &RunRecord,
        succeeded: bool,
        prompt: &str,
        generated: &Generated,
    ) -> RunReport {
        let mut timings: Vec<plugin::StageTiming> = Vec::new();
        for (stage, ms) in &record.stage_ms {
            match timings
                .iter_mut()
                .find(|timing| timing.stage == stage.as_str())
            {
                Some(timing) => timing.millis += ms,
                None => timings.push(plugin::StageTiming {
                    stage: stage.as_str().to_owned(),
                    millis: *ms,
                }),
            }
        }
        let status = if succeeded {
            Status::Ready
        } else {
            record.status
        };
        RunReport {
            prompt: prompt.to_owned(),
            status: status.as_str().to_owned(),
            failed_stage: record
                .failed_stage
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            files: generated.files.clone(),
            timings,
            logs: record
                .logs
                .iter()
                .map(|(phase, text)| plugin::PhaseLog {
                    phase: phase.clone(),
                    text: text.clone(),
                })
                .collect(),
            screenshots: record
                .screenshots
                .iter()
                .map(|shot| plugin::ScreenshotInfo {
                    viewport: shot.viewport.clone(),
                    width: shot.width,
                    height: shot.height,
                    load_millis: shot.load_ms,
                    console_errors: shot.console_errors.clone(),
                })
                .collect(),
        }
    }

    fn write_report(&self, run: &RunHandle, run_dir: &Path) -> anyhow::Result<()> {
        let record = run.snapshot();
        std::fs::create_dir_all(run_dir.join("logs"))?;
        for (phase, text) in &record.logs {
            std::fs::write(run_dir.join("logs").join(format!("{phase}.log")), text)?;
        }
        let report = serde_json::json!({
            "prompt": run.session.prompt,
            "pipeline": run.session.pipeline,
            "run": record,
        });
        std::fs::write(
            run_dir.join("report.json"),
            serde_json::to_vec_pretty(&report)?,
        )?;
        Ok(())
    }

    fn spawn_idle_timer(&self, run: Arc<RunHandle>, idle: Duration) {
        let arena = self.clone();
        tokio::spawn(async move {
            loop {
                let deadline = *run.last_visit.lock().unwrap() + idle;
                if Instant::now() >= deadline {
                    let id = run.snapshot().id;
                    let minutes = idle.as_secs() / 60;
                    arena.stop(&id, &format!("idle for {minutes} min")).await;
                    return;
                }
                tokio::time::sleep_until(deadline.into()).await;
                if run.snapshot().status != Status::Ready {
                    return;
                }
            }
        });
    }
}

/// Votes and the leaderboard.
impl Arena {
    /// Whether `voter` may vote on the battle now, and whether the vote would count (with
    /// the real names: the server conceals them where the voter may not see them).
    pub fn voting(
        &self,
        session: &Session,
        voter: Option<&str>,
    ) -> Result<VotingState, StoreError> {
        let runs = self.runs_of(session);
        let going = runs.iter().filter(|run| !run.status.is_final()).count();
        let voted = match voter {
            Some(voter) => self.inner.store.has_voted(&session.id, voter)?,
            None => false,
        };
        let repeat_allowed = self.inner.config.repeat_votes;
        let reason = if going > 0 {
            Some(match going {
                1 => "1 run is still going".to_owned(),
                n => format!("{n} runs are still going"),
            })
        } else if runs.len() < 2 {
            Some("a battle of one contestant has nobody to rank against".to_owned())
        } else {
            None
        };
        Ok(VotingState {
            open: reason.is_none(),
            reason,
            excluded: runs.iter().find_map(RunRecord::arena_fault),
            voted,
            repeat_allowed,
        })
    }

    /// Names are hidden in an anonymous battle from whoever has not voted on it.
    pub fn names_hidden(&self, session: &Session, voter: Option<&str>) -> bool {
        self.hides_names(&session.id, session.anonymous, voter)
    }

    /// The same, for a battle known by its id and whether it is anonymous (a history row).
    pub fn hides_names(&self, battle: &str, anonymous: bool, voter: Option<&str>) -> bool {
        anonymous
            && !voter
                .is_some_and(|voter| self.inner.store.has_voted(battle, voter).unwrap_or(false))
    }

    /// Records `voter`'s ranking of a finished battle as the pairwise outcomes it implies.
    pub fn vote(
        &self,
        session_id: &str,
        voter: &str,
        ballot: Ballot,
    ) -> Result<crate::store::Vote, VoteError> {
        let session = self
            .session(session_id)
            .ok_or_else(|| VoteError::UnknownBattle(session_id.to_owned()))?;
        let voter = voter.trim();
        if voter.is_empty() || voter.len() > 100 {
            return Err(VoteError::BadBallot(
                "`voter` must name the browser voting (1 to 100 characters)".into(),
            ));
        }
        let state = self.voting(&session, Some(voter))?;
        if !state.open {
            return Err(VoteError::NotFinished(state.reason.unwrap_or_default()));
        }
        if state.voted && !state.repeat_allowed {
            return Err(VoteError::AlreadyVoted);
        }
        let runs = self.runs_of(&session);
        let (kind, tiers) = match ballot {
            Ballot::Best(best) => {
                if !session.run_ids.contains(&best) {
                    return Err(VoteError::BadBallot(format!(
                        "run {best} is not in battle {session_id}"
                    )));
                }
                let rest: Vec<String> = session
                    .run_ids
                    .iter()
                    .filter(|id| **id != best)
                    .cloned()
                    .collect();
                ("best", vec![vec![best], rest])
            }
            Ballot::Ranking(tiers) => {
                let tiers: Vec<Vec<String>> =
                    tiers.into_iter().filter(|tier| !tier.is_empty()).collect();
                let mut named: Vec<&String> = tiers.iter().flatten().collect();
                if let Some(stranger) = named.iter().find(|id| !session.run_ids.contains(id)) {
                    return Err(VoteError::BadBallot(format!(
                        "run {stranger} is not in battle {session_id}"
                    )));
                }
                named.sort();
                if let Some(twice) = named.windows(2).find(|pair| pair[0] == pair[1]) {
                    return Err(VoteError::BadBallot(format!(
                        "run {} is ranked twice",
                        twice[0]
                    )));
                }
                if named.len() != session.run_ids.len() {
                    return Err(VoteError::BadBallot(format!(
                        "a ranking places all {} runs of the battle; this one places {}",
                        session.run_ids.len(),
                        named.len()
                    )));
                }
                ("ranking", tiers)
            }
            Ballot::AllBad => ("all_bad", vec![session.run_ids.clone()]),
        };
        let contestant_of = |run: &String| {
            runs.iter()
                .find(|record| &record.id == run)
                .map(|record| record.contestant.id.clone())
                .unwrap_or_default()
        };
        let by_contestant: Vec<Vec<String>> = tiers
            .iter()
            .map(|tier| tier.iter().map(contestant_of).collect())
            .collect();
        // Picking the best says nothing about how the others compare among themselves.
        let outcomes: Vec<(String, String, f64)> = match kind {
            "best" => by_contestant[1]
                .iter()
                .map(|other| (by_contestant[0][0].clone(), other.clone(), 1.0))
                .collect(),
            _ => leaderboard::pairwise(&by_contestant),
        };
        // Kept with the real names: whoever reads the vote has voted, and sees them.
        let excluded = runs.iter().find_map(RunRecord::arena_fault);
        let excluded = excluded.as_deref();
        let vote = self
            .inner
            .store
            .add_vote(&NewVote {
                battle: &session.id,
                voter,
                kind,
                ranking: &tiers,
                excluded,
                outcomes: &outcomes,
                once_per_voter: !self.inner.config.repeat_votes,
            })?
            .ok_or(VoteError::AlreadyVoted)?;
        tracing::info!(battle = %session.id, kind, counted = excluded.is_none(), "Vote recorded.");
        Ok(vote)
    }

    /// The leaderboard under `filter`: read from the store only as far as it has grown since
    /// the last call, refitted from the last fit, and served as is while no vote arrives.
    pub fn leaderboard(&self, filter: &BoardFilter) -> Result<LeaderboardView, StoreError> {
        let store = &self.inner.store;
        let (pipelines, categories) = store.pipelines_and_categories()?;
        // One board per pipeline and category that exists, whatever the spelling asked
        // for: a board holds hundreds of resampled tables, and filters are typed by anyone.
        let known = |asked: &Option<String>, known: &[String]| match asked {
            None => Ok(None),
            Some(asked) => known
                .iter()
                .find(|known| known.eq_ignore_ascii_case(asked.trim()))
                .map(|known| Some(known.clone()))
                .ok_or(()),
        };
        let (Ok(pipeline), Ok(category)) = (
            known(&filter.pipeline, &pipelines),
            known(&filter.category, &categories),
        ) else {
            return Ok(LeaderboardView {
                votes_counted: 0,
                votes_excluded: 0,
                outcomes: 0,
                pipelines,
                categories,
                entries: Vec::new(),
                scores: Vec::new(),
            });
        };
        let filter = &BoardFilter { pipeline, category };
        let (counted, excluded, newest_vote) = store.vote_counts(filter)?;
        let mut boards = self.inner.boards.lock().unwrap();
        let cached = boards.entry(filter.clone()).or_insert_with(|| CachedBoard {
            newest_vote: -1,
            read_up_to: 0,
            ladder: leaderboard::Ladder::new(leaderboard::BOOTSTRAP_ROUNDS),
            board: leaderboard::Board::default(),
        });
        if cached.newest_vote != newest_vote {
            let fresh = store.outcomes_after(filter, cached.read_up_to)?;
            // In vote order, a vote's outcomes together (one transaction wrote them).
            let mut votes: Vec<leaderboard::VoteOutcomes> = Vec::new();
            let mut last_vote = None;
            for outcome in fresh {
                let pair = (outcome.a, outcome.b, outcome.score);
                match votes.last_mut() {
                    Some(last) if last_vote == Some(outcome.vote) => last.pairs.push(pair),
                    _ => votes.push(leaderboard::VoteOutcomes {
                        battle: outcome.battle,
                        pairs: vec![pair],
                    }),
                }
                last_vote = Some(outcome.vote);
                cached.read_up_to = outcome.vote;
            }
            cached.ladder.add(&votes);
            cached.board = cached.ladder.board();
            cached.newest_vote = newest_vote;
        }
        let board = cached.board.clone();
        drop(boards);
        let names: HashMap<String, String> = store.contestant_names()?.into_iter().collect();
        Ok(LeaderboardView {
            votes_counted: counted,
            votes_excluded: excluded,
            outcomes: board.outcomes,
            pipelines,
            categories,
            entries: board
                .entries
                .into_iter()
                .map(|entry| LeaderboardEntry {
                    name: names
                        .get(&entry.contestant)
                        .cloned()
                        .unwrap_or_else(|| entry.contestant.clone()),
                    entry,
                })
                .collect(),
            // Both tables go by each contestant's latest name.
            scores: store
                .score_means(filter)?
                .into_iter()
                .map(|mut scores| {
                    if let Some(name) = names.get(&scores.contestant) {
                        scores.name.clone_from(name);
                    }
                    scores
                })
                .collect(),
        })
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct LeaderboardView {
    pub votes_counted: u32,
    pub votes_excluded: u32,
    pub outcomes: usize,
    pub pipelines: Vec<String>,
    pub categories: Vec<String>,
    pub entries: Vec<LeaderboardEntry>,
    /// The scorer plugins' view of the same battles.
    pub scores: Vec<crate::store::ContestantScores>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct LeaderboardEntry {
    pub name: String,
    #[serde(flatten)]
    pub entry: leaderboard::Entry,
}

/// Maps a container-stage error to the run's failed stage and reason. The project's own
/// failures read as what the model got wrong; the arena's read as the arena's.
fn phase_error(stage: Status, error: docker::Error) -> (Status, String) {
    match error.as_phase_failure() {
        Some(failure) => (stage, failure.summary()),
        None => (stage, format!("arena error: {error}")),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("the prompt is empty")]
    EmptyPrompt,
    #[error("no pipeline `{id}` (available: {})", known.join(", "))]
    UnknownPipeline { id: String, known: Vec<String> },
    #[error("no contestant `{id}` (available: {})", known.join(", "))]
    UnknownContestant { id: String, known: Vec<String> },
    #[error("no contestant is marked as a default; name some")]
    NoContestants,
    #[error("{0} contestants; a battle has at most {MAX_CONTESTANTS}")]
    TooManyContestants(usize),
    #[error("contestant `{0}` is named twice; each contestant enters a battle once")]
    DuplicateContestant(String),
    #[error("contestant `{id}` cannot run: {reason}")]
    Unavailable { id: String, reason: String },
    #[error("a category is at most 60 characters")]
    BadCategory,
    #[error("arena error: the battle could not be saved: {0}")]
    Store(String),
}

/// Takes the data folder for this arena alone. A second arena on the same folder would
/// take the first one's runs for leftovers of a crash: mark them interrupted and remove
/// their containers. The lock goes with the process, however it ends.
fn lock_data_folder(data_dir: &Path) -> anyhow::Result<std::fs::File> {
    use std::io::{Read as _, Seek as _, Write as _};
    let path = data_dir.join("arena.lock");
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .with_context(|| format!("opening {}", path.display()))?;
    if let Err(error) = file.try_lock() {
        let mut holder = String::new();
        let _ = file.read_to_string(&mut holder);
        let holder = match holder.trim() {
            "" => String::new(),
            pid => format!(" (process {pid})"),
        };
        return Err(match error {
            std::fs::TryLockError::WouldBlock => anyhow::anyhow!(
                "another arena{holder} is using the data folder {}: stop it, or give this one \
                 another folder (--data for serve, --out for run)",
                data_dir.display()
            ),
            std::fs::TryLockError::Error(error) => {
                anyhow::Error::new(error).context(format!("locking {}", path.display()))
            }
        });
    }
    file.set_len(0)?;
    file.rewind()?;
    write!(file, "{}", std::process::id())?;
    Ok(file)
}

/// The pipeline and plugins a battle runs with, by version and content hash: what a later
/// reader needs to tell two battles' conditions apart.
fn versions_used(
    catalog: &Catalog,
    pipeline: &Pipeline,
    chosen: &[Contestant],
) -> serde_json::Value {
    let plugins = &catalog.plugins;
    let mut used = Vec::new();
    let mut add = |meta: &plugin::PluginMeta, version: &str| {
        let entry = serde_json::json!({
            "id": meta.id,
            "version": version,
            "hash": meta.content_hash,
        });
        if !used.contains(&entry) {
            used.push(entry);
        }
    };
    for contestant in chosen {
        if let Some(provider) = plugins.providers.get(&contestant.provider) {
            add(&provider.meta, &provider.info.version);
        }
    }
    for step in &pipeline.validators {
        if let Some(validator) = plugins.validators.get(&step.plugin) {
            add(&validator.meta, &validator.info.version);
        }
    }
    for step in &pipeline.scorers {
        if let Some(scorer) = plugins.scorers.get(&step.plugin) {
            add(&scorer.meta, &scorer.info.version);
        }
    }
    used.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    serde_json::json!({
        "pipeline": { "id": pipeline.id, "source": pipeline.source },
        "catalog_version": catalog.version,
        "plugins": used,
    })
}

impl PreviewTargets for Arena {
    fn lookup(&self, run_id: &str) -> PreviewLookup {
        let Some(handle) = self.handle(run_id) else {
            return PreviewLookup::Unknown;
        };
        let record = handle.snapshot();
        match (record.status, record.port) {
            (Status::Healthy | Status::Capturing | Status::Scoring | Status::Ready, Some(port)) => {
                PreviewLookup::Ready(SocketAddr::from(([127, 0, 0, 1], port)))
            }
            // Runs read back from the store: their container went with the arena that ran it.
            (Status::Ready, None) => PreviewLookup::Ended {
                reason: "the preview stopped with the arena that served it; the screenshots remain"
                    .into(),
            },
            // The reason can name the contestant, which an anonymous battle keeps to itself.
            (Status::Failed | Status::Terminated | Status::Interrupted, _) => {
                PreviewLookup::Ended {
                    reason: match handle.session.anonymous {
                        true => format!("this run has {}", record.status),
                        false => record.failure.unwrap_or_else(|| record.status.to_string()),
                    },
                }
            }
            (status, _) => PreviewLookup::NotReady {
                status: status.to_string(),
            },
        }
    }

    fn touch(&self, run_id: &str) {
        if let Some(handle) = self.handle(run_id) {
            *handle.last_visit.lock().unwrap() = Instant::now();
        }
    }
}
