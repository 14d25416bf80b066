//! Errors of the container stage. A [`PhaseFailure`] is the contestant's project failing
//! (shown on the run page); the other variants are the arena's own environment failing.

use std::time::Duration;

use super::excerpt::Excerpt;
use super::spec::Phase;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Docker engine not reachable at {host}: start dockerd or set DOCKER_HOST")]
    EngineUnreachable {
        host: String,
        #[source]
        source: bollard::errors::Error,
    },

    #[error(
        "image {image} is not available locally and could not be pulled ({pull_error}){}",
        fallback_hint(fallback.as_deref())
    )]
    ImageUnavailable {
        image: String,
        fallback: Option<String>,
        pull_error: String,
    },

    #[error("{0}")]
    Phase(#[from] Box<PhaseFailure>),

    #[error("host port 127.0.0.1:{port} is already in use: allocate another port for this run")]
    PortInUse { port: u16 },

    #[error("network {network}: {message}")]
    Network { network: String, message: String },

    #[error("CA bundle {path} named by the pipeline does not exist")]
    CaBundleMissing { path: String },

    #[error("cannot prepare workspace {path}: {message}")]
    Workspace { path: String, message: String },

    #[error("Docker API call failed: {action}")]
    Docker {
        action: String,
        #[source]
        source: bollard::errors::Error,
    },
}

fn fallback_hint(fallback: Option<&str>) -> String {
    match fallback {
        Some(fallback) => format!(
            ", and the fallback image {fallback} is not there either: build it with \
             `bash .ci/setup`"
        ),
        None => ", and the pipeline names no fallback image: build arena-node:local with \
                 `bash .ci/setup` and set it as fallback_image"
            .to_string(),
    }
}

impl Error {
    pub(crate) fn docker(action: impl Into<String>, source: bollard::errors::Error) -> Self {
        Error::Docker {
            action: action.into(),
            source,
        }
    }

    /// The contestant-side failure, when this is one.
    pub fn as_phase_failure(&self) -> Option<&PhaseFailure> {
        match self {
            Error::Phase(failure) => Some(failure),
            _ => None,
        }
    }
}

/// Why a phase of a contestant's project failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FailureKind {
    /// The command exited with this non-zero code.
    Exit { code: i64 },
    /// The kernel killed the container for exceeding its memory limit.
    MemoryLimit { limit_mib: u64 },
    /// The container's processes hit the pids limit (a fork bomb, or runaway workers).
    PidsLimit { limit: u32 },
    /// The phase ran out of time and was killed.
    TimedOut { after: Duration },
    /// `next start` (or the pipeline's start command) exited before answering.
    ExitedBeforeHealthy { code: i64 },
    /// Nothing answered 2xx/3xx on the published port within the health timeout.
    NoListener { port: u16, after: Duration },
    /// Something answered, but never with 2xx/3xx.
    Unhealthy {
        port: u16,
        status: u16,
        after: Duration,
    },
}

/// A phase that failed because of the project it ran: carries what the run page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhaseFailure {
    pub phase: Phase,
    pub kind: FailureKind,
    /// The meaningful lines of the phase's log and a one-line cause.
    pub excerpt: Excerpt,
    /// The whole log of the phase (ANSI stripped).
    pub log: Vec<String>,
}

impl PhaseFailure {
    /// The headline: what failed and why, in one line.
    pub fn summary(&self) -> String {
        let what = match &self.kind {
            FailureKind::Exit { code } => format!("{} exited with code {code}", self.phase),
            FailureKind::MemoryLimit { limit_mib } => {
                format!("{}: memory limit of {limit_mib} MiB exceeded", self.phase)
            }
            FailureKind::PidsLimit { limit } => {
                format!(
                    "{}: process limit of {limit} reached (fork bomb?)",
                    self.phase
                )
            }
            FailureKind::TimedOut { after } => {
                format!("{} timed out after {}s", self.phase, after.as_secs())
            }
            FailureKind::ExitedBeforeHealthy { code } => {
                format!("server exited with code {code} before answering")
            }
            FailureKind::NoListener { port, after } => {
                format!("no listener on 127.0.0.1:{port} after {}s", after.as_secs())
            }
            FailureKind::Unhealthy {
                port,
                status,
                after,
            } => format!(
                "127.0.0.1:{port} answered {status} and no 2xx/3xx within {}s",
                after.as_secs()
            ),
        };
        match &self.excerpt.reason {
            Some(reason) if matches!(self.kind, FailureKind::Exit { .. }) => {
                format!("{what}: {reason}")
            }
            _ => what,
        }
    }
}

impl std::fmt::Display for PhaseFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.summary())?;
        if !self.excerpt.lines.is_empty() {
            write!(f, "\n{}", self.excerpt.text())?;
        }
        Ok(())
    }
}

impl std::error::Error for PhaseFailure {}
