//! What the container stage needs to know about one run: ids, workspace, image, commands,
//! limits and timeouts. The orchestrator fills a [`RunSpec`] from the pipeline.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// The image a pipeline names when it names none: the registry image the offline one mimics.
pub const DEFAULT_IMAGE: &str = "node:20-bookworm-slim";

/// The image `.ci/setup` builds without a registry (Debian minbase plus the host's Node.js).
pub const OFFLINE_IMAGE: &str = "arena-node:local";

/// The npm registry used when the pipeline names none.
pub const DEFAULT_REGISTRY: &str = "https://registry.npmjs.org/";

/// The port `next start` listens on inside every run container; published elsewhere.
pub const CONTAINER_PORT: u16 = 3000;

/// The three container phases of a run, each with its own log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    Install,
    Build,
    Start,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Install => "install",
            Phase::Build => "build",
            Phase::Start => "start",
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Resource limits applied to every container of a run, install and build included.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// Memory, swap included (swap is disabled by setting both to this value).
    pub memory_mib: u64,
    /// CPU time as a number of cores, e.g. 1.5.
    pub cpus: f64,
    /// Processes and threads together (node alone uses about a dozen threads).
    pub pids: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory_mib: 1536,
            cpus: 1.0,
            pids: 512,
        }
    }
}

/// How npm reaches its registry from a build container.
#[derive(Clone, Debug, PartialEq)]
pub struct NpmSettings {
    /// Passed as `--registry`, which wins over any `.npmrc` in the contestant's project.
    pub registry: String,
    /// A host file of extra CA certificates, mounted read-only and named by
    /// `NODE_EXTRA_CA_CERTS`: needed behind TLS-intercepting proxies (corporate or, as on
    /// the project's own machines, the registry proxy), e.g. `/etc/ssl/certs/ca-certificates.crt`.
    pub ca_bundle: Option<PathBuf>,
}

impl Default for NpmSettings {
    fn default() -> Self {
        NpmSettings {
            registry: DEFAULT_REGISTRY.to_string(),
            ca_bundle: None,
        }
    }
}

/// The host's own trust store, when it has one at a usual place: public certificates plus
/// whatever CA a corporate or intercepting proxy added to it, which installs need.
pub fn host_ca_bundle() -> Option<PathBuf> {
    [
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/pki/tls/certs/ca-bundle.crt",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|path| path.is_file())
}

/// The command of each phase, run in `/workspace`. `None` means the arena's own default; the
/// contestant's `package.json` scripts are never used (case 08: a reply may have none, case
/// 17: its start script may hard-code a port).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Commands {
    /// Default: `npm ci` when the project has a `package-lock.json`, else `npm install`, both
    /// with the registry and flags of [`NpmSettings`] and devDependencies kept.
    pub install: Option<Vec<String>>,
    /// Default: `node_modules/.bin/next build`.
    pub build: Option<Vec<String>>,
    /// Default: `node_modules/.bin/next start -H 0.0.0.0 -p 3000`.
    pub start: Option<Vec<String>>,
}

/// Time allowed per phase; `health` bounds the wait for the first 2xx/3xx answer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timeouts {
    pub install: Duration,
    pub build: Duration,
    pub health: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            install: Duration::from_secs(300),
            build: Duration::from_secs(300),
            health: Duration::from_secs(60),
        }
    }
}

/// One run as the container stage sees it.
#[derive(Clone, Debug)]
pub struct RunSpec {
    /// Session id, written into the `vibe-arena.session` label.
    pub session: String,
    /// Run id, written into the `vibe-arena.run` label and the container names.
    pub run: String,
    /// Host directory holding the contestant's project (absolute).
    pub workspace: PathBuf,
    /// An image known to exist locally: what [`crate::docker::Sandbox::resolve_image`] returned.
    pub image: String,
    pub npm: NpmSettings,
    pub commands: Commands,
    pub limits: Limits,
    pub timeouts: Timeouts,
}

impl RunSpec {
    /// A spec with the default commands, limits and timeouts.
    pub fn new(
        session: impl Into<String>,
        run: impl Into<String>,
        workspace: impl Into<PathBuf>,
        image: impl Into<String>,
    ) -> Self {
        RunSpec {
            session: session.into(),
            run: run.into(),
            workspace: workspace.into(),
            image: image.into(),
            npm: NpmSettings::default(),
            commands: Commands::default(),
            limits: Limits::default(),
            timeouts: Timeouts::default(),
        }
    }

    /// The install command: the pipeline's, or `npm ci`/`npm install` as the lockfile decides.
    pub fn install_command(&self) -> Vec<String> {
        if let Some(command) = &self.commands.install {
            return command.clone();
        }
        let has_lockfile = self.workspace.join("package-lock.json").is_file();
        let verb = if has_lockfile { "ci" } else { "install" };

        // Flags on the command line outrank the project's .npmrc, so a contestant cannot
        // switch registries, drop devDependencies (case 10) or relax peer checks (case 06).
        let mut command: Vec<String> = vec!["npm".into(), verb.into()];
        command.extend([
            format!("--registry={}", self.npm.registry),
            "--no-audit".into(),
            "--no-fund".into(),
            "--no-update-notifier".into(),
            "--include=dev".into(),
            "--legacy-peer-deps=false".into(),
            "--strict-peer-deps=false".into(),
            format!("--cache={NPM_CACHE_DIR}"),
        ]);
        command
    }

    pub fn build_command(&self) -> Vec<String> {
        self.commands
            .build
            .clone()
            .unwrap_or_else(|| argv(&["node_modules/.bin/next", "build"]))
    }

    pub fn start_command(&self) -> Vec<String> {
        self.commands.start.clone().unwrap_or_else(|| {
            let port = CONTAINER_PORT.to_string();
            argv(&[
                "node_modules/.bin/next",
                "start",
                "-H",
                "0.0.0.0",
                "-p",
                &port,
            ])
        })
    }
}

/// Where the shared npm cache volume is mounted in install and build containers.
pub(crate) const NPM_CACHE_DIR: &str = "/home/arena/.npm";

fn argv(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|part| part.to_string()).collect()
}
