//! The run phase: the long-lived `next start` container, its health check, its log, and
//! what else the arena does with it (exec for diagnostics, stop).

use std::time::{Duration, Instant};

use bollard::container::LogOutput;
use bollard::exec::{CreateExecOptions, StartExecResults};
use bollard::query_parameters::{LogsOptionsBuilder, StatsOptionsBuilder};
use futures::StreamExt;
use tokio::task::JoinHandle;

use super::excerpt::excerpt;
use super::logs::{LineSplitter, LogSink, PhaseLog, Stream};
use super::phase::{follow_logs, hit_pids_limit};
use super::spec::{Limits, Phase, RunSpec};
use super::{Error, FailureKind, PhaseFailure, Sandbox, remove_container};

/// How often the health check asks, and how long one request may take.
const PROBE_INTERVAL: Duration = Duration::from_millis(250);
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// A started run container. Dropping it leaves the container running: call
/// [`Sandbox::stop`] (the log follower ends with the container).
#[derive(Debug)]
pub struct Running {
    pub run: String,
    pub container_id: String,
    pub container_name: String,
    /// The site answers on `127.0.0.1:host_port` only.
    pub host_port: u16,
    limits: Limits,
    log: PhaseLog,
    follower: JoinHandle<()>,
}

impl Running {
    /// `http://127.0.0.1:{host_port}/`: loopback by address, never `localhost` (case 17).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.host_port)
    }

    /// The start log so far (ANSI stripped), the command line first.
    pub fn log(&self) -> Vec<String> {
        self.log.lines()
    }
}

/// What a command run inside a run container printed, and its exit code.
#[derive(Clone, Debug)]
pub struct ExecOutput {
    pub exit_code: Option<i64>,
    pub output: String,
}

impl Sandbox {
    /// Starts the production server, published on `127.0.0.1:host_port` only, on the run
    /// network (no egress), with a read-only root and workspace. Returns once the container
    /// runs; [`Sandbox::wait_healthy`] then waits for the site to answer.
    pub async fn start(
        &self,
        spec: &RunSpec,
        host_port: u16,
        sink: &LogSink,
    ) -> Result<Running, Error> {
        let networks = self.networks().await?;
        let command = spec.start_command();
        let body = self.container_body(spec, Phase::Start, &command, networks, Some(host_port))?;
        let container = self.create(spec, Phase::Start, body).await?;

        let log = PhaseLog::default();
        let command_line = format!("$ {}", command.join(" "));
        log.push(command_line.clone());
        sink.send(super::LogLine {
            phase: Phase::Start,
            line: command_line,
        });

        match self.start_container(&container.id).await {
            Ok(()) => {}
            Err(Error::Docker { source, .. }) if is_port_conflict(&source) => {
                container.remove().await;
                return Err(Error::PortInUse { port: host_port });
            }
            Err(error) => return Err(error),
        }
        let follower = follow_logs(
            &self.docker,
            &container.id,
            Phase::Start,
            log.clone(),
            sink.clone(),
        );

        let container_id = container.keep();
        tracing::debug!(run = %spec.run, port = host_port, "Run container started.");
        Ok(Running {
            run: spec.run.clone(),
            container_id,
            container_name: super::phase::container_name(&spec.run, Phase::Start),
            host_port,
            limits: spec.limits,
            log,
            follower,
        })
    }

    /// Asks `GET http://127.0.0.1:{port}/` until it answers 2xx or 3xx (redirects are not
    /// followed) and returns how long that took. Fails at once if the container exits
    /// (with the start log, and the memory limit named if that killed it), and after
    /// `timeout` with "no listener on 127.0.0.1:PORT" or the last status seen.
    pub async fn wait_healthy(&self, site: &Running, timeout: Duration) -> Result<Duration, Error> {
        let client = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(PROBE_TIMEOUT)
            .build()
            .expect("a reqwest client with static settings builds");
        let url = site.url();
        let started = Instant::now();
        let mut last_status = None;

        loop {
            let state = self.container_state(&site.container_id).await?;
            if state.running != Some(true) {
                // Let the follower catch the last lines the server wrote before it died.
                tokio::time::sleep(Duration::from_millis(200)).await;
                let code = state.exit_code.unwrap_or(-1);
                let kind = if state.oom_killed == Some(true) || code == 137 {
                    FailureKind::MemoryLimit {
                        limit_mib: site.limits.memory_mib,
                    }
                } else if code != 0 && hit_pids_limit(&site.log()) {
                    FailureKind::PidsLimit {
                        limit: site.limits.pids,
                    }
                } else {
                    FailureKind::ExitedBeforeHealthy { code }
                };
                return Err(start_failure(site, kind));
            }

            match client.get(&url).send().await {
                Ok(response) => {
                    let status = response.status();
                    if status.is_success() || status.is_redirection() {
                        let took = started.elapsed();
                        tracing::info!(
                            run = %site.run, port = site.host_port, seconds = took.as_secs_f32(),
                            "Run is healthy."
                        );
                        return Ok(took);
                    }
                    last_status = Some(status.as_u16());
                }
                Err(error) => tracing::trace!(%error, "Health probe got no answer yet."),
            }

            if started.elapsed() >= timeout {
                let kind = if self.at_pids_limit(site).await {
                    FailureKind::PidsLimit {
                        limit: site.limits.pids,
                    }
                } else {
                    match last_status {
                        Some(status) => FailureKind::Unhealthy {
                            port: site.host_port,
                            status,
                            after: timeout,
                        },
                        None => FailureKind::NoListener {
                            port: site.host_port,
                            after: timeout,
                        },
                    }
                };
                return Err(start_failure(site, kind));
            }
            tokio::time::sleep(PROBE_INTERVAL).await;
        }
    }

    /// Whether the container's processes are at (or within 5% of) its pids limit.
    async fn at_pids_limit(&self, site: &Running) -> bool {
        let options = StatsOptionsBuilder::new()
            .stream(false)
            .one_shot(true)
            .build();
        let stats = self
            .docker
            .stats(&site.container_id, Some(options))
            .next()
            .await;
        let current = stats
            .and_then(|s| s.ok())
            .and_then(|s| s.pids_stats?.current);
        let limit = u64::from(site.limits.pids);
        current.is_some_and(|current| current * 20 >= limit * 19) || hit_pids_limit(&site.log())
    }

    /// Runs a command inside a run container as its user (diagnostics and tests).
    pub async fn exec(
        &self,
        site: &Running,
        command: &[&str],
        timeout: Duration,
    ) -> Result<ExecOutput, Error> {
        let options = CreateExecOptions {
            cmd: Some(command.to_vec()),
            attach_stdout: Some(true),
            attach_stderr: Some(true),
            ..Default::default()
        };
        let exec = self
            .docker
            .create_exec(&site.container_id, options)
            .await
            .map_err(|e| Error::docker(format!("exec in {}", site.container_name), e))?;

        let mut output = String::new();
        let started = self
            .docker
            .start_exec(&exec.id, None)
            .await
            .map_err(|e| Error::docker(format!("start exec in {}", site.container_name), e))?;
        if let StartExecResults::Attached {
            output: mut stream, ..
        } = started
        {
            let collect = async {
                while let Some(Ok(chunk)) = stream.next().await {
                    output.push_str(&String::from_utf8_lossy(chunk.as_ref()));
                }
            };
            let _ = tokio::time::timeout(timeout, collect).await;
        }

        let inspected =
            self.docker.inspect_exec(&exec.id).await.map_err(|e| {
                Error::docker(format!("inspect exec in {}", site.container_name), e)
            })?;
        Ok(ExecOutput {
            exit_code: inspected.exit_code,
            output,
        })
    }

    /// Stops and removes the run container (at once: a preview keeps no state worth a
    /// graceful shutdown) and ends its log follower.
    pub async fn stop(&self, site: &Running) -> Result<(), Error> {
        remove_container(&self.docker, &site.container_id).await?;
        site.follower.abort();
        tracing::debug!(run = %site.run, "Run container removed.");
        Ok(())
    }

    /// A container's whole output as the engine kept it (ANSI stripped): for a run
    /// container known only by id, e.g. after the arena restarted. A [`Running`] has its
    /// log at hand in [`Running::log`].
    pub async fn logs(&self, container: &str) -> Result<Vec<String>, Error> {
        let options = LogsOptionsBuilder::new().stdout(true).stderr(true).build();
        let mut output = self.docker.logs(container, Some(options));
        let log = PhaseLog::default();
        let mut splitter = LineSplitter::new(Phase::Start, log.clone(), LogSink::discard());
        while let Some(chunk) = output.next().await {
            match chunk.map_err(|e| Error::docker(format!("read the logs of {container}"), e))? {
                LogOutput::StdErr { message } => splitter.feed(Stream::Stderr, &message),
                LogOutput::StdOut { message } | LogOutput::Console { message } => {
                    splitter.feed(Stream::Stdout, &message)
                }
                LogOutput::StdIn { .. } => {}
            }
        }
        splitter.finish();
        Ok(log.lines())
    }
}

fn start_failure(site: &Running, kind: FailureKind) -> Error {
    let log = site.log();
    Error::Phase(Box::new(PhaseFailure {
        phase: Phase::Start,
        kind,
        excerpt: excerpt(Phase::Start, &log),
        log,
    }))
}

fn is_port_conflict(error: &bollard::errors::Error) -> bool {
    let message = error.to_string();
    message.contains("port is already allocated") || message.contains("address already in use")
}
