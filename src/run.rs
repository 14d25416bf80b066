//! What the arena knows about a run, and the events that report its changes.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::generate::{RecordedEdit, RunDiagnostic};
use crate::plugin::{FinishReason, Metric, TokenUsage};

/// A run's lifecycle, in order. `Failed`, `Terminated` and `Interrupted` end it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Queued,
    Generating,
    Validating,
    Installing,
    Building,
    Starting,
    Healthy,
    Capturing,
    Scoring,
    Ready,
    Failed,
    Terminated,
    /// The arena stopped (crashed, was killed) while the run was in a stage; found so by
    /// the next instance on the same data folder.
    Interrupted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Generating => "generating",
            Self::Validating => "validating",
            Self::Installing => "installing",
            Self::Building => "building",
            Self::Starting => "starting",
            Self::Healthy => "healthy",
            Self::Capturing => "capturing",
            Self::Scoring => "scoring",
            Self::Ready => "ready",
            Self::Failed => "failed",
            Self::Terminated => "terminated",
            Self::Interrupted => "interrupted",
        }
    }

    /// Nothing more will happen to the run on its own.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Ready | Self::Failed | Self::Terminated | Self::Interrupted
        )
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Queued,
            Self::Generating,
            Self::Validating,
            Self::Installing,
            Self::Building,
            Self::Starting,
            Self::Healthy,
            Self::Capturing,
            Self::Scoring,
            Self::Ready,
            Self::Failed,
            Self::Terminated,
            Self::Interrupted,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whose doing a failure was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Fault {
    /// What the model wrote: its project did not check, install, build or start.
    Model,
    /// The model's service: a refused key, a rate limit, an outage, a broken stream.
    Provider,
    /// The arena itself or how it is set up.
    Arena,
}

/// Milliseconds since the Unix epoch, as the UI and reports show times.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as u64
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Transition {
    pub status: Status,
    pub at_ms: u64,
}

/// Who is competing in a run.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct ContestantView {
    pub id: String,
    pub name: String,
    pub provider: String,
    pub model: String,
}

impl ContestantView {
    /// Who is competing, as an anonymous battle shows them before a vote: "Contestant A"
    /// for the first run, and so on, with nothing that tells the model.
    pub fn hidden(position: usize) -> Self {
        let letter = char::from(b'A' + (position % 26) as u8);
        Self {
            id: format!("contestant-{}", letter.to_ascii_lowercase()),
            name: format!("Contestant {letter}"),
            provider: String::new(),
            model: String::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Screenshot {
    pub viewport: String,
    pub width: u32,
    pub height: u32,
    /// Where the PNG is on disk (the API serves it by viewport name).
    #[serde(skip)]
    pub path: std::path::PathBuf,
    pub file: String,
    pub load_ms: u64,
    pub console_errors: Vec<String>,
    pub failed_requests: Vec<String>,
    pub timed_out_waiting: bool,
    /// What the page showed at this viewport, for page scorers.
    pub page: crate::screenshot::PageFacts,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub bytes: usize,
}

/// A run's checked files as the arena kept them in memory, validator edits applied: what
/// the file viewer shows. The project folder on disk is mounted writable during install
/// and build, so what is there afterwards is whatever the generated code left (links to
/// host files included) and is never served.
pub type KeptFiles = std::sync::Arc<[crate::plugin::SourceFile]>;

/// Everything kept about one run.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct RunRecord {
    /// Also the run's preview host name.
    pub id: String,
    pub session: String,
    pub contestant: ContestantView,
    pub status: Status,
    /// The stage a failed run stopped in, and why, in words.
    pub failed_stage: Option<Status>,
    pub failure: Option<String>,
    /// Whose doing the failure was, for a failed run.
    #[serde(default)]
    pub fault: Option<Fault>,
    pub port: Option<u16>,
    pub container_id: Option<String>,
    pub internal_url: Option<String>,
    pub public_url: Option<String>,
    pub reply: String,
    pub finish: Option<FinishReason>,
    pub files: Vec<FileEntry>,
    #[serde(skip)]
    pub kept_files: KeptFiles,
    pub diagnostics: Vec<RunDiagnostic>,
    pub edits: Vec<RecordedEdit>,
    /// Log text per phase: install, build, start, error.
    pub logs: BTreeMap<String, String>,
    pub screenshots: Vec<Screenshot>,
    pub scores: Vec<Metric>,
    pub usage: TokenUsage,
    pub cost_usd: f64,
    pub transitions: Vec<Transition>,
    /// Milliseconds spent in each stage that has ended, in order.
    pub stage_ms: Vec<(Status, u64)>,
}

impl RunRecord {
    pub fn new(id: String, session: String, contestant: ContestantView) -> Self {
        Self {
            id,
            session,
            contestant,
            status: Status::Queued,
            failed_stage: None,
            failure: None,
            fault: None,
            port: None,
            container_id: None,
            internal_url: None,
            public_url: None,
            reply: String::new(),
            finish: None,
            files: Vec::new(),
            kept_files: KeptFiles::from([]),
            diagnostics: Vec::new(),
            edits: Vec::new(),
            logs: BTreeMap::new(),
            screenshots: Vec::new(),
            scores: Vec::new(),
            usage: TokenUsage::default(),
            cost_usd: 0.0,
            transitions: vec![Transition {
                status: Status::Queued,
                at_ms: now_ms(),
            }],
            stage_ms: Vec::new(),
        }
    }

    /// Moves to `status`, closing the time of the stage that ends.
    pub fn enter(&mut self, status: Status) {
        let at_ms = now_ms();
        if let Some(last) = self.transitions.last() {
            self.stage_ms
                .push((last.status, at_ms.saturating_sub(last.at_ms)));
        }
        self.status = status;
        self.transitions.push(Transition { status, at_ms });
    }

    /// Why this run ended through no fault of its model, if it did: the arena or the
    /// model's service failed it, it was stopped before it was ready, or the arena went
    /// down while it ran. A vote on a battle with such a run does not count.
    pub fn arena_fault(&self) -> Option<String> {
        let name = &self.contestant.name;
        let reason = self.failure.as_deref().unwrap_or("no reason recorded");
        match (self.status, self.fault) {
            (Status::Interrupted, _) => {
                Some(format!("the run of {name} was interrupted: {reason}"))
            }
            (Status::Terminated, _) if self.failed_stage.is_some() => Some(format!(
                "the run of {name} was stopped before it was ready: {reason}"
            )),
            (Status::Failed, Some(Fault::Arena)) => Some(format!(
                "the run of {name} failed because of the arena: {reason}"
            )),
            (Status::Failed, Some(Fault::Provider)) => Some(format!(
                "the run of {name} failed because of its provider, not its model: {reason}"
            )),
            _ => None,
        }
    }

    pub fn stage_time(&self, status: Status) -> Option<Duration> {
        let total: u64 = self
            .stage_ms
            .iter()
            .filter(|(stage, _)| *stage == status)
            .map(|(_, ms)| ms)
            .sum();
        self.stage_ms
            .iter()
            .any(|(stage, _)| *stage == status)
            .then(|| Duration::from_millis(total))
    }
}

/// A change to a run, streamed to watchers in order. `seq` numbers the events of one
/// session so that a watcher that reconnects can ask for what it missed.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub seq: u64,
    pub run: String,
    pub at_ms: u64,
    #[serde(flatten)]
    pub kind: EventKind,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum EventKind {
    /// The run entered a new status; `reason` is set when it failed or ended.
    Status {
        status: Status,
        stage: Option<Status>,
        reason: Option<String>,
    },
    /// Reply text as the provider streams it.
    Reply { text: String },
    /// A line of a phase's log.
    Log { phase: String, line: String },
}
