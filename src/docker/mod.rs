//! The container stage: each run's project is installed, production-built and started in
//! its own locked-down container, through the Docker API (bollard), never the docker CLI.
//!
//! # Use
//!
//! ```no_run
//! # async fn battle(workspace: std::path::PathBuf) -> Result<(), arena::docker::Error> {
//! use arena::docker::{LogSink, RunSpec, Sandbox, DEFAULT_IMAGE, OFFLINE_IMAGE};
//! use std::time::Duration;
//!
//! let sandbox = Sandbox::connect("instance-7f3a").await?;
//! sandbox.remove_all_except("instance-7f3a").await?; // containers of an earlier server
//!
//! let image =
//!     sandbox.resolve_image(DEFAULT_IMAGE, Some(OFFLINE_IMAGE), Duration::from_secs(60)).await?;
//! let spec = RunSpec::new("session-1", "run-1", workspace, image);
//! let (sink, mut lines) = LogSink::channel(); // (phase, line) as they arrive
//! tokio::spawn(async move { while let Some(_line) = lines.recv().await { /* to the UI */ } });
//!
//! let installed = sandbox.install(&spec, &sink).await?; // Error::Phase: the run failed
//! let built = sandbox.build(&spec, &sink).await?;
//! let site = sandbox.start(&spec, 3001, &sink).await?;
//! let ready_after = sandbox.wait_healthy(&site, spec.timeouts.health).await?;
//! // ... screenshots, preview gateway to site.url() ...
//! sandbox.stop(&site).await?;
//! # let _ = (installed, built, ready_after);
//! # Ok(())
//! # }
//! ```
//!
//! # Policy
//!
//! Every container: user 1000:1000, all capabilities dropped, `no-new-privileges`, read-only
//! root file system (writable tmpfs for `/tmp` and `HOME`), memory (swap included), CPU and
//! pids limits from [`Limits`], `docker-init` as PID 1, nothing from the host but the
//! workspace (and, for install and build, the CA bundle read-only and the shared npm cache
//! volume), no host environment, labels naming instance, session, run and phase.
//!
//! - Install and build run on the `arena-build` bridge network, which has egress: npm needs
//!   the registry. "Registry only" is not enforced here (that needs an egress proxy); what is
//!   enforced is that the registry comes from the pipeline (`--registry` outranks any
//!   project `.npmrc`) and that build containers cannot talk to one another (no ICC).
//! - The server runs on the `arena-run` bridge (Linux bridge `arena-run0`): no IP
//!   masquerading, so nothing is routed to the outside with a usable source address; no ICC;
//!   DNS pointed at an unused address inside the network, so names never resolve; and, when
//!   the arena runs as root next to a local engine, host firewall rules (chain `ARENA-RUN`)
//!   that drop everything the bridge would forward and every connection it opens to the host
//!   itself (replies to the published port pass). The site is published on
//!   `127.0.0.1:{host_port}` only; the workspace is mounted read-only, with a small tmpfs
//!   over `.next/cache` (the image optimiser and ISR write there).
//!
//! # Leftovers and dropping
//!
//! Containers outlive the server if it dies. One-shot install/build containers are removed
//! when their phase ends, and a guard removes them (on the runtime, in the background) if
//! the phase's future is dropped mid-way. Run containers live until [`Sandbox::stop`],
//! [`Sandbox::remove_run`] or, after a crash, [`Sandbox::remove_all_except`] at the next
//! start: dropping a [`Running`] does not stop its container.

mod baseline;
mod error;
mod excerpt;
mod firewall;
mod image;
mod logs;
mod network;
mod phase;
mod run;
mod spec;

use std::collections::HashMap;

use bollard::Docker;
use bollard::query_parameters::{ListContainersOptionsBuilder, RemoveContainerOptionsBuilder};
use tokio::sync::OnceCell;

pub use baseline::BaselineTimes;
pub use error::{Error, FailureKind, PhaseFailure};
pub use excerpt::{Excerpt, excerpt};
pub use logs::{LogLine, LogSink, PhaseLog};
pub use network::{BUILD_NETWORK, NetworkInfo, RUN_BRIDGE, RUN_NETWORK};
pub use phase::{NPM_CACHE_VOLUME, PhaseOutcome};
pub use run::{ExecOutput, Running};
pub use spec::{
    CONTAINER_PORT, Commands, DEFAULT_IMAGE, DEFAULT_REGISTRY, Limits, NpmSettings, OFFLINE_IMAGE,
    Phase, RunSpec, Timeouts, host_ca_bundle,
};

/// Label naming the arena server instance that made a container.
pub const LABEL_INSTANCE: &str = "vibe-arena.instance";
/// Label naming the session a container belongs to.
pub const LABEL_SESSION: &str = "vibe-arena.session";
/// Label naming the run a container belongs to.
pub const LABEL_RUN: &str = "vibe-arena.run";
/// Label naming the phase (install, build, start) a container runs.
pub const LABEL_PHASE: &str = "vibe-arena.phase";
/// Label on the networks and the volume the arena shares between runs and instances.
pub const LABEL_MANAGED: &str = "vibe-arena.managed";

/// How long connecting to the engine may take before it counts as unreachable.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// A connection to the Docker engine on behalf of one arena server instance.
pub struct Sandbox {
    docker: Docker,
    instance: String,
    host: String,
    networks: OnceCell<network::Networks>,
    npm_cache: OnceCell<()>,
}

impl Sandbox {
    /// Connects to the engine named by `DOCKER_HOST` (default: the local socket), negotiates
    /// the API version down to what the engine speaks, and checks that it answers.
    pub async fn connect(instance: impl Into<String>) -> Result<Self, Error> {
        let host = std::env::var("DOCKER_HOST")
            .unwrap_or_else(|_| "unix:///var/run/docker.sock".to_string());
        let unreachable = |source| Error::EngineUnreachable {
            host: host.clone(),
            source,
        };

        let docker = Docker::connect_with_defaults().map_err(unreachable)?;
        let docker = tokio::time::timeout(CONNECT_TIMEOUT, docker.negotiate_version())
            .await
            .map_err(|_| unreachable(bollard::errors::Error::RequestTimeoutError))?
            .map_err(unreachable)?;
        docker.ping().await.map_err(unreachable)?;

        let version = docker.client_version();
        tracing::debug!(%host, api = %version, "Connected to the Docker engine.");
        Ok(Sandbox {
            docker,
            instance: instance.into(),
            host,
            networks: OnceCell::new(),
            npm_cache: OnceCell::new(),
        })
    }

    /// The arena instance id written on every container this sandbox makes.
    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// Where the engine is, as configured (`DOCKER_HOST` or the default socket).
    pub fn engine_host(&self) -> &str {
        &self.host
    }

    /// The underlying client, for callers that need an API this module does not wrap.
    pub fn docker(&self) -> &Docker {
        &self.docker
    }

    fn labels(&self, spec: &RunSpec, phase: Phase) -> HashMap<String, String> {
        HashMap::from([
            (LABEL_INSTANCE.to_string(), self.instance.clone()),
            (LABEL_SESSION.to_string(), spec.session.clone()),
            (LABEL_RUN.to_string(), spec.run.clone()),
            (LABEL_PHASE.to_string(), phase.as_str().to_string()),
        ])
    }

    /// Removes every container labelled with this instance id (e.g. a crashed server's,
    /// when instance ids are stable per deployment). Returns how many were removed.
    pub async fn remove_instance_leftovers(&self, instance: &str) -> Result<usize, Error> {
        let label = format!("{LABEL_INSTANCE}={instance}");
        let ids = self
            .containers_with_label(&label)
            .await?
            .into_iter()
            .map(|(id, _)| id);
        self.remove_containers(ids.collect()).await
    }

    /// Removes every arena container whose instance label is not `instance`: run at start,
    /// it clears what earlier server processes left running. Returns how many were removed.
    pub async fn remove_all_except(&self, instance: &str) -> Result<usize, Error> {
        let ids = self
            .containers_with_label(LABEL_INSTANCE)
            .await?
            .into_iter()
            .filter(|(_, labels)| labels.get(LABEL_INSTANCE).map(String::as_str) != Some(instance))
            .map(|(id, _)| id)
            .collect();
        self.remove_containers(ids).await
    }

    /// Removes the containers of earlier instances of one deployment: those whose instance
    /// label starts with `{deployment}-` but is not `instance`. Arenas of other deployments
    /// (another data folder) on the same engine keep theirs.
    pub async fn remove_leftovers(&self, deployment: &str, instance: &str) -> Result<usize, Error> {
        let prefix = format!("{deployment}-");
        let ids = self
            .containers_with_label(LABEL_INSTANCE)
            .await?
            .into_iter()
            .filter(|(_, labels)| {
                labels
                    .get(LABEL_INSTANCE)
                    .is_some_and(|label| label.starts_with(&prefix) && label != instance)
            })
            .map(|(id, _)| id)
            .collect();
        self.remove_containers(ids).await
    }

    /// Removes every container of this arena instance, whatever its run, phase or state.
    pub async fn remove_instance(&self, instance: &str) -> Result<usize, Error> {
        let label = format!("{LABEL_INSTANCE}={instance}");
        let ids = self.containers_with_label(&label).await?.into_iter();
        self.remove_containers(ids.map(|(id, _)| id).collect())
            .await
    }

    /// Removes every container of one run, whatever its phase or state, and returns once
    /// the engine lists none: a removal already under way (a cancelled stage's guard got
    /// there first) is waited for, for up to ten seconds. Returns how many there were.
    pub async fn remove_run(&self, run: &str) -> Result<usize, Error> {
        let label = format!("{LABEL_RUN}={run}");
        let mut seen = std::collections::HashSet::new();
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let ids: Vec<String> = self
                .containers_with_label(&label)
                .await?
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            if ids.is_empty() {
                return Ok(seen.len());
            }
            if tokio::time::Instant::now() >= deadline {
                tracing::warn!(
                    run,
                    left = ids.len(),
                    "A run's containers are still being removed."
                );
                return Ok(seen.len());
            }
            // Each once: one still listed after is being removed, and is waited for.
            let new: Vec<String> = ids
                .into_iter()
                .filter(|id| seen.insert(id.clone()))
                .collect();
            if !new.is_empty() {
                self.remove_containers(new).await?;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    async fn containers_with_label(
        &self,
        label: &str,
    ) -> Result<Vec<(String, HashMap<String, String>)>, Error> {
        let filters = HashMap::from([("label", vec![label])]);
        let options = ListContainersOptionsBuilder::new()
            .all(true)
            .filters(&filters)
            .build();
        let containers = self
            .docker
            .list_containers(Some(options))
            .await
            .map_err(|e| Error::docker(format!("list containers labelled {label}"), e))?;
        Ok(containers
            .into_iter()
            .filter_map(|c| Some((c.id?, c.labels.unwrap_or_default())))
            .collect())
    }

    async fn remove_containers(&self, ids: Vec<String>) -> Result<usize, Error> {
        let mut removed = 0;
        for id in ids {
            match remove_container(&self.docker, &id).await {
                Ok(()) => removed += 1,
                Err(error) => tracing::warn!(container = %id, %error, "Cannot remove container."),
            }
        }
        if removed > 0 {
            tracing::info!(removed, instance = %self.instance, "Removed leftover containers.");
        }
        Ok(removed)
    }
}

/// Force-removes a container; one that is already gone counts as removed.
pub(crate) async fn remove_container(docker: &Docker, id: &str) -> Result<(), Error> {
    let options = RemoveContainerOptionsBuilder::new()
        .force(true)
        .v(true)
        .build();
    match docker.remove_container(id, Some(options)).await {
        Ok(()) => Ok(()),
        Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 404, ..
        }) => Ok(()),
        // 409: removal already in progress (another cleanup got there first).
        Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 409, ..
        }) => Ok(()),
        Err(e) => Err(Error::docker(format!("remove container {id}"), e)),
    }
}
