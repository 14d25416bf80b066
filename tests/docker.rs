//! The container stage against the real Docker engine, real npm and a real `next build`.
//!
//! Needs the engine and the offline image (`bash .ci/setup`); without them every test here
//! fails with the reason, none is skipped. Run with
//! `cargo test --test docker -- --test-threads=1` (2 cores: one build at a time).
//!
//! Traffic stays on this machine: the npm registry through the build network, the sites on
//! 127.0.0.1, and the egress probes aim at a name that cannot resolve and at a listener this
//! test opens on the host's own address on the run bridge.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use arena::docker::{
    DEFAULT_IMAGE, Error, FailureKind, LogLine, LogSink, OFFLINE_IMAGE, Phase, PhaseFailure,
    RunSpec, Sandbox,
};

const SESSION: &str = "test-session";
const HOST_CA_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

fn instance_id(label: &str) -> String {
    format!("test-{label}-{}", std::process::id())
}

async fn sandbox(label: &str) -> Sandbox {
    Sandbox::connect(instance_id(label))
        .await
        .unwrap_or_else(|e| panic!("{e}\n(these tests need the engine: run `bash .ci/setup`)"))
}

async fn image(sandbox: &Sandbox) -> String {
    sandbox
        .resolve_image(DEFAULT_IMAGE, Some(OFFLINE_IMAGE), Duration::from_secs(30))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sites")
        .join(name)
}

/// A fresh workspace holding a copy of the fixture project.
fn workspace(fixture_name: &str) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("arena-docker-test-")
        .tempdir()
        .unwrap();
    copy_tree(&fixture(fixture_name), dir.path());
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn spec(run: &str, workspace: &Path, image: &str) -> RunSpec {
    let mut spec = RunSpec::new(
        SESSION,
        format!("{run}-{}", std::process::id()),
        workspace,
        image,
    );
    if Path::new(HOST_CA_BUNDLE).is_file() {
        spec.npm.ca_bundle = Some(HOST_CA_BUNDLE.into());
    }
    spec
}

/// A port nothing listens on right now (ports are allocated by the orchestrator in the arena).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn phase_failure(result: Result<impl std::fmt::Debug, Error>) -> PhaseFailure {
    match result {
        Err(Error::Phase(failure)) => *failure,
        other => panic!("expected a phase failure, got {other:?}"),
    }
}

/// The hello fixture, installed and built once for every test that needs a built site.
struct Built {
    workspace: tempfile::TempDir,
    image: String,
}

fn built_hello() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        // Its own runtime: the tests' runtimes come and go, the built workspace stays.
        std::thread::spawn(|| {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(async {
                let sandbox = sandbox("build").await;
                let image = image(&sandbox).await;
                let workspace = workspace("hello");
                let spec = spec("hello-build", workspace.path(), &image);
                let (sink, mut lines) = LogSink::channel();

                let started = Instant::now();
                let installed = sandbox
                    .install(&spec, &sink)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                let install_secs = started.elapsed().as_secs_f32();
                let started = Instant::now();
                let built = sandbox
                    .build(&spec, &sink)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                eprintln!(
                    "hello fixture: install {install_secs:.1}s (container {:.1}s), build {:.1}s \
                     (container {:.1}s)",
                    installed.duration.as_secs_f32(),
                    started.elapsed().as_secs_f32(),
                    built.duration.as_secs_f32(),
                );

                // Lines arrived as they came, tagged with their phase, without colour codes.
                let mut streamed: Vec<LogLine> = Vec::new();
                while let Ok(line) = lines.try_recv() {
                    streamed.push(line);
                }
                let first = &streamed[0];
                assert_eq!(first.phase, Phase::Install);
                assert!(
                    first.line.starts_with("$ npm install --registry="),
                    "{}",
                    first.line
                );
                assert!(streamed.iter().any(|l| l.phase == Phase::Build));
                assert!(streamed.iter().all(|l| !l.line.contains('\u{1b}')));
                assert!(
                    built
                        .log
                        .iter()
                        .any(|l| l.contains("Compiled successfully"))
                );

                Built { workspace, image }
            })
        })
        .join()
        .expect("installing and building the hello fixture")
    })
}

#[tokio::test]
async fn hello_site_installs_builds_and_serves_its_title_on_loopback() {
    let built = built_hello();
    let sandbox = sandbox("serve").await;
    let spec = spec("hello-serve", built.workspace.path(), &built.image);
    let port = free_port();

    let started = Instant::now();
    let site = sandbox
        .start(&spec, port, &LogSink::discard())
        .await
        .unwrap();
    let healthy = sandbox.wait_healthy(&site, Duration::from_secs(30)).await;
    eprintln!(
        "hello fixture: healthy {:.2}s after start",
        started.elapsed().as_secs_f32()
    );
    healthy.unwrap_or_else(|e| panic!("{e}"));

    let body = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(site.url())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        body.contains("<title>Arena fixture: hello</title>"),
        "{body}"
    );
    assert!(body.contains("Hello from the arena fixture"));

    // The policy as the engine recorded it.
    let inspected = sandbox
        .docker()
        .inspect_container(&site.container_id, None)
        .await
        .unwrap();
    let host = inspected.host_config.unwrap();
    assert_eq!(host.cap_drop, Some(vec!["ALL".to_string()]));
    assert_eq!(host.readonly_rootfs, Some(true));
    assert_eq!(
        host.network_mode.as_deref(),
        Some(arena::docker::RUN_NETWORK)
    );
    assert_eq!(host.pids_limit, Some(i64::from(spec.limits.pids)));
    let tmpfs = host.tmpfs.unwrap_or_default();
    assert!(tmpfs.contains_key("/workspace/.next/cache"), "{tmpfs:?}");
    let bindings = host.port_bindings.unwrap();
    let binding = &bindings["3000/tcp"].as_ref().unwrap()[0];
    assert_eq!(binding.host_ip.as_deref(), Some("127.0.0.1"));
    let config = inspected.config.unwrap();
    assert_eq!(config.user.as_deref(), Some("1000:1000"));
    let labels = config.labels.unwrap_or_default();
    assert_eq!(labels.get("vibe-arena.run"), Some(&spec.run));
    assert_eq!(
        labels.get("vibe-arena.session").map(String::as_str),
        Some(SESSION)
    );
    assert_eq!(
        labels.get("vibe-arena.instance").map(String::as_str),
        Some(sandbox.instance())
    );

    // The start log, as followed live and as the engine kept it.
    assert!(
        site.log().iter().any(|line| line.contains("Ready in")),
        "{:?}",
        site.log()
    );
    let kept = sandbox.logs(&site.container_id).await.unwrap();
    assert!(
        kept.iter().any(|line| line.contains("Next.js 15.5")),
        "{kept:?}"
    );

    sandbox.stop(&site).await.unwrap();
    assert!(
        sandbox
            .docker()
            .inspect_container(&site.container_id, None)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn running_site_has_no_egress_and_cannot_write_its_root_or_workspace() {
    let built = built_hello();
    let sandbox = sandbox("egress").await;
    let spec = spec("hello-egress", built.workspace.path(), &built.image);
    let site = sandbox
        .start(&spec, free_port(), &LogSink::discard())
        .await
        .unwrap();
    sandbox
        .wait_healthy(&site, Duration::from_secs(30))
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    // A listener on the host's own address on the run bridge: the one host address a run
    // container could otherwise reach (the arena's own API would be such a service).
    let network = sandbox.ensure_networks().await.unwrap();
    let gateway = network
        .gateway
        .expect("the run network has an IPv4 gateway");
    let listener = tokio::net::TcpListener::bind((gateway, 0)).await.unwrap();
    let gateway_port = listener.local_addr().unwrap().port();

    let probe = format!(
        r#"
const fs = require("fs"), net = require("net");
(async () => {{
  const out = {{}};
  try {{
    await fetch("http://example.invalid/", {{ signal: AbortSignal.timeout(8000) }});
    out.dns = "reached";
  }} catch (e) {{ out.dns = String((e.cause && (e.cause.code || e.cause.name)) || e.name); }}
  out.gateway = await new Promise((done) => {{
    const socket = net.connect({{ host: "{gateway}", port: {gateway_port}, timeout: 3000 }});
    socket.on("connect", () => {{ socket.destroy(); done("connected"); }});
    socket.on("timeout", () => {{ socket.destroy(); done("timeout"); }});
    socket.on("error", (e) => done(e.code));
  }});
  for (const [key, path] of [["root", "/probe"], ["workspace", "/workspace/probe"],
                              ["tmp", "/tmp/probe"]]) {{
    try {{ fs.writeFileSync(path, "x"); out[key] = "written"; }} catch (e) {{ out[key] = e.code; }}
  }}
  console.log(JSON.stringify(out));
}})();
"#
    );
    let output = sandbox
        .exec(&site, &["node", "-e", &probe], Duration::from_secs(30))
        .await
        .unwrap();
    eprintln!("egress probe: {}", output.output.trim());
    let result: serde_json::Value = serde_json::from_str(output.output.trim())
        .unwrap_or_else(|e| panic!("probe output {:?}: {e}", output.output));

    assert_ne!(
        result["dns"], "reached",
        "a name resolved and was fetched: {result}"
    );
    assert_ne!(
        result["gateway"], "connected",
        "the host was reachable: {result}"
    );
    assert!(
        tokio::time::timeout(Duration::from_millis(200), listener.accept())
            .await
            .is_err(),
        "the host listener accepted a connection from the run container"
    );
    assert_eq!(result["root"], "EROFS", "{result}");
    assert_eq!(result["workspace"], "EROFS", "{result}");
    assert_eq!(result["tmp"], "written", "{result}");

    sandbox.stop(&site).await.unwrap();
}

#[tokio::test]
async fn missing_use_client_fails_at_build_with_the_compiler_sentence() {
    let sandbox = sandbox("use-client").await;
    let image = image(&sandbox).await;
    let workspace = workspace("missing-use-client");
    let spec = spec("use-client", workspace.path(), &image);

    let started = Instant::now();
    sandbox
        .install(&spec, &LogSink::discard())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "missing-use-client: install {:.1}s (warm cache)",
        started.elapsed().as_secs_f32()
    );

    let failure = phase_failure(sandbox.build(&spec, &LogSink::discard()).await);
    eprintln!("{failure}");
    assert_eq!(failure.phase, Phase::Build);
    assert!(
        matches!(failure.kind, FailureKind::Exit { .. }),
        "{:?}",
        failure.kind
    );
    let excerpt = failure.excerpt.text();
    assert!(excerpt.contains("useState"), "{excerpt}");
    assert!(excerpt.contains("\"use client\""), "{excerpt}");
    assert!(!excerpt.contains('\u{1b}'), "{excerpt}");
    let reason = failure.excerpt.reason.clone().unwrap_or_default();
    assert!(reason.starts_with("./app/page.js"), "{reason}");
    assert!(
        failure
            .summary()
            .starts_with("build exited with code 1: ./app/page.js")
    );
}

#[tokio::test]
async fn react19_with_next14_fails_at_install_with_the_eresolve_block() {
    let sandbox = sandbox("eresolve").await;
    let image = image(&sandbox).await;
    let workspace = workspace("react19-next14");
    let spec = spec("eresolve", workspace.path(), &image);

    let failure = phase_failure(sandbox.install(&spec, &LogSink::discard()).await);
    eprintln!("{failure}");
    assert_eq!(failure.phase, Phase::Install);
    let excerpt = failure.excerpt.text();
    assert!(excerpt.contains("npm error code ERESOLVE"), "{excerpt}");
    assert!(excerpt.contains("npm error Found: react@19"), "{excerpt}");
    assert!(
        excerpt.contains("Could not resolve dependency"),
        "{excerpt}"
    );
    assert!(
        excerpt.contains(r#"peer react@"^18.2.0" from next@14.2.35"#),
        "{excerpt}"
    );
    let summary = failure.summary();
    assert!(
        summary.contains("(ERESOLVE)") && summary.contains("react@19"),
        "{summary}"
    );
}

#[tokio::test]
async fn memory_eaters_are_killed_by_the_limit_and_named_so() {
    let sandbox = sandbox("oom").await;
    let image = image(&sandbox).await;
    let workspace = tempfile::tempdir().unwrap();
    let eater = "const a = []; for (;;) a.push(Buffer.alloc(1 << 20, 1));";
    let mut spec = spec("oom", workspace.path(), &image);
    spec.limits.memory_mib = 128;
    spec.commands.install = Some(vec!["node".into(), "-e".into(), eater.into()]);
    spec.commands.start = spec.commands.install.clone();

    let failure = phase_failure(sandbox.install(&spec, &LogSink::discard()).await);
    assert_eq!(failure.kind, FailureKind::MemoryLimit { limit_mib: 128 });
    assert_eq!(
        failure.summary(),
        "install: memory limit of 128 MiB exceeded"
    );

    let site = sandbox
        .start(&spec, free_port(), &LogSink::discard())
        .await
        .unwrap();
    let started = Instant::now();
    let failure = phase_failure(sandbox.wait_healthy(&site, Duration::from_secs(30)).await);
    assert_eq!(failure.kind, FailureKind::MemoryLimit { limit_mib: 128 });
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the exit was not noticed at once"
    );
    sandbox.stop(&site).await.unwrap();
}

#[tokio::test]
async fn fork_bomb_is_held_by_the_pids_limit_and_named_so() {
    let sandbox = sandbox("forkbomb").await;
    let image = image(&sandbox).await;
    let workspace = tempfile::tempdir().unwrap();
    let mut spec = spec("forkbomb", workspace.path(), &image);
    spec.limits.pids = 64;
    spec.limits.cpus = 0.5;
    let bomb = "while :; do sleep 600 & done";
    spec.commands.start = Some(vec!["sh".into(), "-c".into(), bomb.into()]);

    let site = sandbox
        .start(&spec, free_port(), &LogSink::discard())
        .await
        .unwrap();
    let failure = phase_failure(sandbox.wait_healthy(&site, Duration::from_secs(5)).await);
    assert_eq!(
        failure.kind,
        FailureKind::PidsLimit { limit: 64 },
        "{failure}"
    );
    assert!(failure.summary().contains("process limit of 64 reached"));
    sandbox.stop(&site).await.unwrap();
}

#[tokio::test]
async fn dead_server_fails_health_with_no_listener_within_the_timeout() {
    let sandbox = sandbox("dead").await;
    let image = image(&sandbox).await;
    let workspace = tempfile::tempdir().unwrap();
    let mut spec = spec("dead", workspace.path(), &image);
    spec.commands.start = Some(vec!["sleep".into(), "600".into()]);
    let port = free_port();

    let site = sandbox
        .start(&spec, port, &LogSink::discard())
        .await
        .unwrap();
    let started = Instant::now();
    let failure = phase_failure(sandbox.wait_healthy(&site, Duration::from_secs(3)).await);
    assert!(started.elapsed() < Duration::from_secs(8));
    assert_eq!(
        failure.kind,
        FailureKind::NoListener {
            port,
            after: Duration::from_secs(3)
        }
    );
    assert_eq!(
        failure.summary(),
        format!("no listener on 127.0.0.1:{port} after 3s")
    );
    assert_eq!(failure.log, vec!["$ sleep 600".to_string()]);
    sandbox.stop(&site).await.unwrap();
}

#[tokio::test]
async fn containers_of_an_earlier_instance_are_removed_and_ours_kept() {
    let old = sandbox("old-instance").await;
    let current = sandbox("current-instance").await;
    let image = image(&current).await;
    let workspace = tempfile::tempdir().unwrap();
    let mut old_spec = spec("leftover-old", workspace.path(), &image);
    old_spec.commands.start = Some(vec!["sleep".into(), "600".into()]);
    let mut current_spec = spec("leftover-current", workspace.path(), &image);
    current_spec.commands.start = old_spec.commands.start.clone();

    let leftover = old
        .start(&old_spec, free_port(), &LogSink::discard())
        .await
        .unwrap();
    drop(old); // as if that server had died
    let ours = current
        .start(&current_spec, free_port(), &LogSink::discard())
        .await
        .unwrap();

    let removed = current
        .remove_instance_leftovers(&instance_id("old-instance"))
        .await
        .unwrap();
    assert_eq!(removed, 1);
    let docker = current.docker();
    assert!(
        docker
            .inspect_container(&leftover.container_id, None)
            .await
            .is_err()
    );
    let state = docker
        .inspect_container(&ours.container_id, None)
        .await
        .unwrap()
        .state
        .unwrap();
    assert_eq!(state.running, Some(true));

    assert_eq!(current.remove_run(&current_spec.run).await.unwrap(), 1);
}

#[tokio::test]
async fn a_missing_image_names_both_images_and_the_command_that_builds_one() {
    let sandbox = sandbox("image").await;
    let error = sandbox
        .resolve_image(
            "arena-test-missing:1",
            Some("arena-test-missing:2"),
            Duration::from_secs(20),
        )
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::ImageUnavailable { .. }), "{message}");
    assert!(message.contains("arena-test-missing:1"), "{message}");
    assert!(message.contains("arena-test-missing:2"), "{message}");
    assert!(message.contains("bash .ci/setup"), "{message}");
}
