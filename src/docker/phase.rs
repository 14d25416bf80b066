//! Install and build: one-shot containers on the run's workspace, with their output
//! streamed line by line and their end classified (exit code, memory, pids, time).

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use bollard::Docker;
use bollard::container::LogOutput;
use bollard::models::{
    ContainerCreateBody, ContainerState, HostConfig, HostConfigLogConfig, Mount, MountType,
    VolumeCreateRequest,
};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, InspectContainerOptions, KillContainerOptions,
    LogsOptionsBuilder, StartContainerOptions, WaitContainerOptions,
};
use futures::StreamExt;
use tokio::task::JoinHandle;

use super::excerpt::excerpt;
use super::logs::{LineSplitter, LogLine, LogSink, PhaseLog, Stream};
use super::spec::{NPM_CACHE_DIR, Phase, RunSpec};
use super::{Error, FailureKind, LABEL_INSTANCE, LABEL_MANAGED, PhaseFailure, Sandbox};
use super::{network, remove_container};

/// The named volume holding npm's cache, shared by every install and build.
pub const NPM_CACHE_VOLUME: &str = "arena-npm-cache";

/// The user every phase runs as; the offline image names it `arena`, node images `node`.
pub(crate) const RUN_USER: &str = "1000:1000";
const RUN_UID: u32 = 1000;

/// Where the optional CA bundle appears inside install and build containers.
const CA_BUNDLE_TARGET: &str = "/etc/arena/ca-bundle.crt";
const HOME: &str = "/home/arena";
const WORKSPACE: &str = "/workspace";

const MIB: i64 = 1024 * 1024;

/// A phase that finished with exit code 0.
#[derive(Clone, Debug)]
pub struct PhaseOutcome {
    pub phase: Phase,
    /// The command as run, e.g. `npm install --registry=... --no-audit ...`.
    pub command: Vec<String>,
    /// From container start to exit.
    pub duration: Duration,
    /// The whole log (ANSI stripped), the command line first.
    pub log: Vec<String>,
}

impl Sandbox {
    /// Installs the project's dependencies: `npm ci` with a lockfile, else `npm install`,
    /// with the pipeline's registry, devDependencies kept and the shared npm cache.
    /// A failure of the project comes back as [`Error::Phase`].
    pub async fn install(&self, spec: &RunSpec, log: &LogSink) -> Result<PhaseOutcome, Error> {
        self.ensure_npm_cache(&spec.image).await?;
        self.ensure_workspace_owner(spec).await?;
        let command = spec.install_command();
        self.run_phase(spec, Phase::Install, command, spec.timeouts.install, log)
            .await
    }

    /// Builds the project for production: `node_modules/.bin/next build`, whatever the
    /// project's scripts say. A failure of the project comes back as [`Error::Phase`].
    pub async fn build(&self, spec: &RunSpec, log: &LogSink) -> Result<PhaseOutcome, Error> {
        self.ensure_npm_cache(&spec.image).await?;
        self.ensure_workspace_owner(spec).await?;
        let command = spec.build_command();
        self.run_phase(spec, Phase::Build, command, spec.timeouts.build, log)
            .await
    }

    async fn run_phase(
        &self,
        spec: &RunSpec,
        phase: Phase,
        command: Vec<String>,
        timeout: Duration,
        sink: &LogSink,
    ) -> Result<PhaseOutcome, Error> {
        let networks = self.networks().await?;
        let body = self.container_body(spec, phase, &command, networks, None)?;
        let container = self.create(spec, phase, body).await?;

        let log = PhaseLog::default();
        let command_line = format!("$ {}", command.join(" "));
        log.push(command_line.clone());
        sink.send(LogLine {
            phase,
            line: command_line,
        });

        let started = Instant::now();
        self.start_container(&container.id).await?;
        let follower = follow_logs(
            &self.docker,
            &container.id,
            phase,
            log.clone(),
            sink.clone(),
        );

        let timed_out = tokio::time::timeout(timeout, wait_for_exit(&self.docker, &container.id))
            .await
            .is_err();
        if timed_out {
            let _ = self
                .docker
                .kill_container(&container.id, None::<KillContainerOptions>)
                .await;
        }
        let duration = started.elapsed();
        finish_follower(follower).await;

        let state = self.container_state(&container.id).await?;
        container.remove().await;

        let lines = log.lines();
        let kind = classify_exit(&state, timed_out.then_some(timeout), spec, &lines);
        tracing::debug!(
            run = %spec.run, %phase, seconds = duration.as_secs_f32(), failed = kind.is_some(),
            "Phase finished."
        );
        match kind {
            None => Ok(PhaseOutcome {
                phase,
                command,
                duration,
                log: lines,
            }),
            Some(kind) => Err(Error::Phase(Box::new(PhaseFailure {
                phase,
                kind,
                excerpt: excerpt(phase, &lines),
                log: lines,
            }))),
        }
    }

    /// The container configuration shared by every phase; `host_port` only for `start`.
    pub(crate) fn container_body(
        &self,
        spec: &RunSpec,
        phase: Phase,
        command: &[String],
        networks: &network::Networks,
        host_port: Option<u16>,
    ) -> Result<ContainerCreateBody, Error> {
        let workspace = absolute_workspace(spec)?;
        let runtime = phase == Phase::Start;

        let mut mounts = vec![Mount {
            target: Some(WORKSPACE.to_string()),
            source: Some(workspace.to_string_lossy().into_owned()),
            typ: Some(MountType::BIND),
            read_only: Some(runtime),
            ..Default::default()
        }];
        let mut env = vec!["NEXT_TELEMETRY_DISABLED=1".to_string()];
        let mut tmpfs = HashMap::new();

        if runtime {
            env.push("HOME=/tmp".to_string());
            env.push("NODE_ENV=production".to_string());
            tmpfs.insert(
                "/tmp".to_string(),
                "rw,noexec,nosuid,nodev,size=64m".to_string(),
            );
            // The image optimiser and ISR write under .next/cache; the workspace is read-only.
            if workspace.join(".next/cache").is_dir() {
                tmpfs.insert(
                    format!("{WORKSPACE}/.next/cache"),
                    format!("rw,noexec,nosuid,nodev,size=64m,uid={RUN_UID},gid={RUN_UID}"),
                );
            }
        } else {
            env.push(format!("HOME={HOME}"));
            env.push("npm_config_update_notifier=false".to_string());
            tmpfs.insert("/tmp".to_string(), "rw,nosuid,nodev,size=512m".to_string());
            tmpfs.insert(
                HOME.to_string(),
                format!("rw,nosuid,nodev,size=64m,uid={RUN_UID},gid={RUN_UID},mode=0755"),
            );
            mounts.push(Mount {
                target: Some(NPM_CACHE_DIR.to_string()),
                source: Some(NPM_CACHE_VOLUME.to_string()),
                typ: Some(MountType::VOLUME),
                ..Default::default()
            });
            if let Some(bundle) = &spec.npm.ca_bundle {
                if !bundle.is_file() {
                    return Err(Error::CaBundleMissing {
                        path: bundle.display().to_string(),
                    });
                }
                mounts.push(Mount {
                    target: Some(CA_BUNDLE_TARGET.to_string()),
                    source: Some(bundle.to_string_lossy().into_owned()),
                    typ: Some(MountType::BIND),
                    read_only: Some(true),
                    ..Default::default()
                });
                env.push(format!("NODE_EXTRA_CA_CERTS={CA_BUNDLE_TARGET}"));
            }
        }

        let limits = spec.limits;
        let memory = limits.memory_mib as i64 * MIB;
        let mut host_config = HostConfig {
            init: Some(true),
            cap_drop: Some(vec!["ALL".to_string()]),
            security_opt: Some(vec!["no-new-privileges:true".to_string()]),
            readonly_rootfs: Some(true),
            memory: Some(memory),
            memory_swap: Some(memory),
            nano_cpus: Some((limits.cpus * 1e9) as i64),
            pids_limit: Some(i64::from(limits.pids)),
            // Under host memory pressure, a contestant's container goes before the arena.
            oom_score_adj: Some(500),
            mounts: Some(mounts),
            tmpfs: Some(tmpfs),
            log_config: Some(HostConfigLogConfig {
                typ: Some("json-file".to_string()),
                config: Some(HashMap::from([
                    ("max-size".to_string(), "10m".to_string()),
                    ("max-file".to_string(), "2".to_string()),
                ])),
            }),
            ..Default::default()
        };

        let mut exposed_ports = None;
        if let Some(port) = host_port {
            host_config.network_mode = Some(network::RUN_NETWORK.to_string());
            host_config.dns = Some(vec![networks.run_dns_sink.to_string()]);
            host_config.dns_options = Some(vec!["timeout:1".to_string(), "attempts:1".to_string()]);
            let container_port = format!("{}/tcp", super::CONTAINER_PORT);
            host_config.port_bindings = Some(HashMap::from([(
                container_port.clone(),
                Some(vec![bollard::models::PortBinding {
                    host_ip: Some("127.0.0.1".to_string()),
                    host_port: Some(port.to_string()),
                }]),
            )]));
            exposed_ports = Some(vec![container_port]);
        } else {
            host_config.network_mode = Some(network::BUILD_NETWORK.to_string());
        }

        Ok(ContainerCreateBody {
            image: Some(spec.image.clone()),
            // As entrypoint, so an image's own entrypoint script never wraps the command.
            entrypoint: Some(command.to_vec()),
            user: Some(RUN_USER.to_string()),
            working_dir: Some(WORKSPACE.to_string()),
            env: Some(env),
            labels: Some(self.labels(spec, phase)),
            exposed_ports,
            host_config: Some(host_config),
            ..Default::default()
        })
    }

    /// Creates the phase's container under a fixed name, replacing a stale one.
    pub(crate) async fn create(
        &self,
        spec: &RunSpec,
        phase: Phase,
        body: ContainerCreateBody,
    ) -> Result<ContainerGuard, Error> {
        let name = container_name(&spec.run, phase);
        remove_container(&self.docker, &name).await?;

        let options = CreateContainerOptionsBuilder::new().name(&name).build();
        let created = self
            .docker
            .create_container(Some(options), body)
            .await
            .map_err(|e| Error::docker(format!("create container {name}"), e))?;
        for warning in created.warnings {
            tracing::warn!(container = %name, %warning, "Docker warning on create.");
        }
        Ok(ContainerGuard {
            docker: self.docker.clone(),
            id: created.id,
            armed: true,
        })
    }

    pub(crate) async fn start_container(&self, id: &str) -> Result<(), Error> {
        self.docker
            .start_container(id, None::<StartContainerOptions>)
            .await
            .map_err(|e| Error::docker(format!("start container {id}"), e))
    }

    pub(crate) async fn container_state(&self, id: &str) -> Result<ContainerState, Error> {
        let inspected = self
            .docker
            .inspect_container(id, None::<InspectContainerOptions>)
            .await
            .map_err(|e| Error::docker(format!("inspect container {id}"), e))?;
        Ok(inspected.state.unwrap_or_default())
    }

    /// Creates the npm cache volume if missing and hands it to uid 1000: a new named volume
    /// belongs to root, and install runs as uid 1000. Once per sandbox.
    async fn ensure_npm_cache(&self, image: &str) -> Result<(), Error> {
        self.npm_cache
            .get_or_try_init(|| async {
                let request = VolumeCreateRequest {
                    name: Some(NPM_CACHE_VOLUME.to_string()),
                    labels: Some(HashMap::from([(LABEL_MANAGED.to_string(), "true".into())])),
                    ..Default::default()
                };
                self.docker
                    .create_volume(request)
                    .await
                    .map_err(|e| Error::docker(format!("create volume {NPM_CACHE_VOLUME}"), e))?;

                let script = format!(
                    "[ \"$(stat -c %u /cache)\" = {RUN_UID} ] || chown -R {RUN_USER} /cache"
                );
                let mount = Mount {
                    target: Some("/cache".to_string()),
                    source: Some(NPM_CACHE_VOLUME.to_string()),
                    typ: Some(MountType::VOLUME),
                    ..Default::default()
                };
                self.run_chown_helper(image, &script, mount, "the npm cache volume")
                    .await
            })
            .await
            .map(|_| ())
    }

    /// Gives the workspace to uid 1000 so the phases can write `node_modules` and `.next`:
    /// on the host when the arena may chown, else through a root helper container.
    async fn ensure_workspace_owner(&self, spec: &RunSpec) -> Result<(), Error> {
        let workspace = absolute_workspace(spec)?;
        let path = workspace.clone();
        let on_host = tokio::task::spawn_blocking(move || chown_tree(&path, RUN_UID))
            .await
            .unwrap_or_else(|join| Err(std::io::Error::other(join.to_string())));
        match on_host {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::PermissionDenied => {
                let mount = Mount {
                    target: Some(WORKSPACE.to_string()),
                    source: Some(workspace.to_string_lossy().into_owned()),
                    typ: Some(MountType::BIND),
                    ..Default::default()
                };
                let script = format!("chown -R {RUN_USER} {WORKSPACE}");
                let what = workspace.display().to_string();
                self.run_chown_helper(&spec.image, &script, mount, &what)
                    .await
            }
            Err(error) => Err(Error::Workspace {
                path: workspace.display().to_string(),
                message: error.to_string(),
            }),
        }
    }

    /// Runs `sh -c script` as root with only the capabilities chown needs, no network.
    async fn run_chown_helper(
        &self,
        image: &str,
        script: &str,
        mount: Mount,
        what: &str,
    ) -> Result<(), Error> {
        let body = ContainerCreateBody {
            image: Some(image.to_string()),
            entrypoint: Some(vec!["sh".to_string(), "-c".to_string(), script.to_string()]),
            user: Some("0:0".to_string()),
            labels: Some(HashMap::from([(
                LABEL_INSTANCE.to_string(),
                self.instance.clone(),
            )])),
            host_config: Some(HostConfig {
                network_mode: Some("none".to_string()),
                cap_drop: Some(vec!["ALL".to_string()]),
                cap_add: Some(vec![
                    "CHOWN".into(),
                    "FOWNER".into(),
                    "DAC_READ_SEARCH".into(),
                ]),
                security_opt: Some(vec!["no-new-privileges:true".to_string()]),
                readonly_rootfs: Some(true),
                memory: Some(256 * MIB),
                pids_limit: Some(32),
                mounts: Some(vec![mount]),
                ..Default::default()
            }),
            ..Default::default()
        };
        let created = self
            .docker
            .create_container(
                None::<bollard::query_parameters::CreateContainerOptions>,
                body,
            )
            .await
            .map_err(|e| Error::docker("create the chown helper container", e))?;
        let guard = ContainerGuard {
            docker: self.docker.clone(),
            id: created.id,
            armed: true,
        };

        self.start_container(&guard.id).await?;
        let exited = tokio::time::timeout(
            Duration::from_secs(120),
            wait_for_exit(&self.docker, &guard.id),
        )
        .await
        .is_ok();
        let state = self.container_state(&guard.id).await?;
        guard.remove().await;
        match (exited, state.exit_code) {
            (true, Some(0)) => Ok(()),
            (exited, code) => Err(Error::Workspace {
                path: what.to_string(),
                message: match (exited, code) {
                    (false, _) => "giving it to uid 1000 took over 120 s".to_string(),
                    (true, code) => format!("`{script}` as root in {image} exited with {code:?}"),
                },
            }),
        }
    }
}

/// A container removed when the guard is dropped without [`ContainerGuard::remove`]: the
/// removal is spawned on the current runtime, so a cancelled phase leaves nothing behind.
pub(crate) struct ContainerGuard {
    docker: Docker,
    pub(crate) id: String,
    armed: bool,
}

impl ContainerGuard {
    pub(crate) fn new(docker: Docker, id: String) -> Self {
        ContainerGuard {
            docker,
            id,
            armed: true,
        }
    }

    pub(crate) async fn remove(mut self) {
        self.armed = false;
        if let Err(error) = remove_container(&self.docker, &self.id).await {
            tracing::warn!(container = %self.id, %error, "Cannot remove finished container.");
        }
    }

    /// Keeps the container when the guard goes (run containers live on).
    pub(crate) fn keep(mut self) -> String {
        self.armed = false;
        std::mem::take(&mut self.id)
    }
}

impl Drop for ContainerGuard {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let docker = self.docker.clone();
            let id = std::mem::take(&mut self.id);
            runtime.spawn(async move {
                let _ = remove_container(&docker, &id).await;
            });
        }
    }
}

/// `vibe-arena-{run}-{phase}`, with characters Docker refuses in names replaced.
pub(crate) fn container_name(run: &str, phase: Phase) -> String {
    let run: String = run
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_.-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("vibe-arena-{run}-{phase}")
}

fn absolute_workspace(spec: &RunSpec) -> Result<std::path::PathBuf, Error> {
    std::fs::canonicalize(&spec.workspace).map_err(|e| Error::Workspace {
        path: spec.workspace.display().to_string(),
        message: e.to_string(),
    })
}

/// Streams a container's output into its phase log and the sink until the container stops.
pub(crate) fn follow_logs(
    docker: &Docker,
    id: &str,
    phase: Phase,
    log: PhaseLog,
    sink: LogSink,
) -> JoinHandle<()> {
    let options = LogsOptionsBuilder::new()
        .follow(true)
        .stdout(true)
        .stderr(true)
        .build();
    let mut output = docker.logs(id, Some(options));
    let id = id.to_string();
    tokio::spawn(async move {
        let mut splitter = LineSplitter::new(phase, log, sink);
        while let Some(chunk) = output.next().await {
            match chunk {
                Ok(LogOutput::StdOut { message }) | Ok(LogOutput::Console { message }) => {
                    splitter.feed(Stream::Stdout, &message)
                }
                Ok(LogOutput::StdErr { message }) => splitter.feed(Stream::Stderr, &message),
                Ok(LogOutput::StdIn { .. }) => {}
                Err(error) => {
                    tracing::debug!(container = %id, %error, "Log stream ended with an error.");
                    break;
                }
            }
        }
        splitter.finish();
    })
}

/// Lets the log follower drain what the container wrote last; it ends with the container.
pub(crate) async fn finish_follower(mut follower: JoinHandle<()>) {
    if tokio::time::timeout(Duration::from_secs(5), &mut follower)
        .await
        .is_err()
    {
        follower.abort();
    }
}

/// Resolves when the container has stopped, whatever its exit code.
pub(crate) async fn wait_for_exit(docker: &Docker, id: &str) {
    let mut waiting = docker.wait_container(id, None::<WaitContainerOptions>);
    // A non-zero exit arrives as an error; the state is read by inspecting afterwards.
    let _ = waiting.next().await;
}

/// What ended a phase's container, or `None` when it succeeded.
pub(crate) fn classify_exit(
    state: &ContainerState,
    timed_out: Option<Duration>,
    spec: &RunSpec,
    log: &[String],
) -> Option<FailureKind> {
    let code = state.exit_code.unwrap_or(-1);
    if let Some(after) = timed_out {
        return Some(FailureKind::TimedOut { after });
    }
    // 137 is SIGKILL; nothing else kills a phase's processes but the kernel's OOM killer.
    if state.oom_killed == Some(true) || code == 137 {
        return Some(FailureKind::MemoryLimit {
            limit_mib: spec.limits.memory_mib,
        });
    }
    if code == 0 {
        return None;
    }
    if hit_pids_limit(log) {
        return Some(FailureKind::PidsLimit {
            limit: spec.limits.pids,
        });
    }
    Some(FailureKind::Exit { code })
}

/// What processes print when fork or thread creation fails under the pids limit.
pub(crate) fn hit_pids_limit(log: &[String]) -> bool {
    const SIGNS: &[&str] = &[
        "fork: Resource temporarily unavailable",
        "fork: retry: Resource temporarily unavailable",
        "Cannot fork",
        "spawn EAGAIN",
        "pthread_create: Resource temporarily unavailable",
        "uv_thread_create",
    ];
    log.iter()
        .any(|line| SIGNS.iter().any(|sign| line.contains(sign)))
}

/// Gives a directory tree to `uid` without following symlinks; cheap when already done.
fn chown_tree(root: &Path, uid: u32) -> std::io::Result<()> {
    use std::os::unix::fs::MetadataExt;

    if std::fs::symlink_metadata(root)?.uid() == uid {
        return Ok(());
    }
    let mut pending = vec![root.to_path_buf()];
    while let Some(path) = pending.pop() {
        let metadata = std::fs::symlink_metadata(&path)?;
        if metadata.uid() != uid || metadata.gid() != uid {
            std::os::unix::fs::lchown(&path, Some(uid), Some(uid))?;
        }
        if metadata.is_dir() {
            for entry in std::fs::read_dir(&path)? {
                pending.push(entry?.path());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_names_are_docker_safe() {
        assert_eq!(
            container_name("r_1.a-B", Phase::Build),
            "vibe-arena-r_1.a-B-build"
        );
        assert_eq!(
            container_name("r/1:x", Phase::Start),
            "vibe-arena-r-1-x-start"
        );
    }

    #[test]
    fn oom_and_timeouts_are_classified() {
        let spec = RunSpec::new("s", "r", "/tmp", "img");
        let oom = ContainerState {
            oom_killed: Some(true),
            exit_code: Some(1),
            ..Default::default()
        };
        assert_eq!(
            classify_exit(&oom, None, &spec, &[]),
            Some(FailureKind::MemoryLimit { limit_mib: 1536 })
        );
        let ok = ContainerState {
            exit_code: Some(0),
            ..Default::default()
        };
        assert_eq!(classify_exit(&ok, None, &spec, &[]), None);
        let after = Duration::from_secs(3);
        assert_eq!(
            classify_exit(&ok, Some(after), &spec, &[]),
            Some(FailureKind::TimedOut { after })
        );
        let forked = ContainerState {
            exit_code: Some(2),
            ..Default::default()
        };
        let log = ["sh: 1: Cannot fork".to_string()];
        assert_eq!(
            classify_exit(&forked, None, &spec, &log),
            Some(FailureKind::PidsLimit { limit: 512 })
        );
    }
}
