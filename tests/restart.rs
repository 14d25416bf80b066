//! Kill the arena mid-battle (SIGKILL: no cleanup runs) and start it again on the same data
//! folder: the new instance removes every container the old one left, marks the runs that
//! were under way as interrupted in their stage, and still has every finished run, its
//! screenshots and the votes cast on it.

use std::time::{Duration, Instant};

use arena::arena::{Arena, ArenaConfig};
use serde_json::{Value, json};

mod common;

/// Instance labels of the arena containers that exist now, for one deployment, of those
/// carrying `label`.
async fn arena_containers(docker: &bollard::Docker, deployment: &str, label: &str) -> Vec<String> {
    let containers = common::containers_labelled(docker, label).await;
    containers
        .into_iter()
        .filter_map(|(_, labels)| labels.get("vibe-arena.instance").cloned())
        .filter(|instance| instance.starts_with(&format!("{deployment}-")))
        .collect()
}

#[tokio::test]
async fn a_restarted_arena_removes_what_a_killed_one_left_running() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let canonical = std::fs::canonicalize(&data).unwrap();
    let deployment =
        arena::plugin::content_hash(canonical.to_string_lossy().as_bytes())[..8].to_owned();
    let docker = bollard::Docker::connect_with_defaults()
        .unwrap()
        .negotiate_version()
        .await
        .unwrap();

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_arena"))
        .args([
            "run",
            "Build a landing page for a coffee shop",
            "-c",
            "template-studio",
            "--out",
        ])
        .arg(&data)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();

    // Wait until the battle has a stage's container (its install: not a short-lived helper
    // container, which may be gone by itself a moment later), then kill the arena outright.
    let started = Instant::now();
    let old_instance = loop {
        if let Some(instance) = arena_containers(&docker, &deployment, "vibe-arena.phase")
            .await
            .into_iter()
            .next()
        {
            break instance;
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "no container appeared"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the arena exited before any container ran"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    child.kill().unwrap();
    child.wait().unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        arena_containers(&docker, &deployment, "vibe-arena.instance")
            .await
            .contains(&old_instance),
        "the killed arena's container outlives it (otherwise this test proves nothing)"
    );

    let config = ArenaConfig {
        data_dir: data.clone(),
        ..ArenaConfig::default()
    };
    let restarted = Arena::start(config).await.unwrap();
    let left: Vec<String> = arena_containers(&docker, &deployment, "vibe-arena.instance")
        .await
        .into_iter()
        .filter(|instance| instance != restarted.instance())
        .collect();
    assert!(
        left.is_empty(),
        "containers of the old instance remain: {left:?}"
    );
    let (_, battles) = restarted
        .store()
        .history(&arena::store::HistoryQuery {
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    let run = &battles[0].runs[0];
    assert_eq!(run.status, arena::run::Status::Interrupted);
    assert!(
        matches!(
            run.failed_stage,
            Some(arena::run::Status::Installing | arena::run::Status::Building)
        ),
        "{run:?}"
    );
}

/// An `arena serve` on a data folder, as a child process.
struct Server {
    child: std::process::Child,
    api: common::api::JsonApi,
}

impl Server {
    async fn start(data: &std::path::Path, contestants: &std::path::Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_arena"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--data"])
            .arg(data)
            .arg("--contestants")
            .arg(contestants)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let server = Self {
            child,
            api: common::api::JsonApi::new(format!("http://127.0.0.1:{port}")),
        };
        for _ in 0..300 {
            if reqwest::get(format!("{}/api/health", server.api.base))
                .await
                .is_ok()
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("arena serve did not answer within 30 s");
    }

    async fn get(&self, path: &str) -> Value {
        self.api.get(path).await
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.api.post(path, body).await
    }

    /// Polls the battle until `done` holds for it.
    async fn until(&self, id: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let started = Instant::now();
        loop {
            let battle = self.get(&format!("/api/sessions/{id}?voter=tester")).await;
            if done(&battle) {
                return battle;
            }
            assert!(
                started.elapsed() < Duration::from_secs(600),
                "{what}: {battle}"
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}

fn statuses(battle: &Value) -> Vec<String> {
    battle["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|run| run["status"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_battle_comes_back_with_its_finished_runs_votes_and_interrupted_ones() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let contestants = dir.path().join("contestants.toml");
    let broken = common::fixtures().join("replies/reads-secrets.md");
    std::fs::write(
        &contestants,
        format!(
            "[[contestants]]\nid = \"studio\"\nname = \"Template studio\"\nprovider = \"template\"\nmodel = \"studio\"\n\n\
             [[contestants]]\nid = \"bold\"\nname = \"Template bold\"\nprovider = \"template\"\nmodel = \"bold\"\n\n\
             [[contestants]]\nid = \"secrets\"\nname = \"Reads secrets\"\nprovider = \"replay\"\nmodel = \"recorded\"\n\
             replay = {broken:?}\nparams = {{ chunk-delay-ms = 0 }}\n"
        ),
    )
    .unwrap();
    let docker = bollard::Docker::connect_with_defaults()
        .unwrap()
        .negotiate_version()
        .await
        .unwrap();

    // A battle that finishes (one run ready, one refused), and a vote on it.
    let server = Server::start(&data, &contestants).await;
    let (status, first) = server
        .post(
            "/api/sessions",
            json!({ "prompt": "A page for a harbour ferry timetable",
                                       "contestants": ["studio", "secrets"] }),
        )
        .await;
    assert_eq!(status, 201, "{first}");
    let first_id = first["id"].as_str().unwrap().to_owned();
    let finished = server
        .until(&first_id, "the first battle finishes", |battle| {
            battle["voting"]["open"] == true
        })
        .await;
    assert_eq!(statuses(&finished), ["ready", "failed"]);
    let ready_run = finished["runs"][0]["id"].as_str().unwrap().to_owned();
    let screenshot = finished["runs"][0]["screenshots"][0]["viewport"]
        .as_str()
        .unwrap()
        .to_owned();
    let shot_before = server
        .api
        .bytes(&format!("/api/runs/{ready_run}/screenshots/{screenshot}"))
        .await
        .1;
    assert!(shot_before.starts_with(b"\x89PNG"));
    let (status, vote) = server
        .post(
            &format!("/api/sessions/{first_id}/votes"),
            json!({ "voter": "tester", "kind": "best", "best": ready_run }),
        )
        .await;
    assert_eq!(status, 201, "{vote}");

    // A second battle, killed (SIGKILL: nothing is cleaned up) while its build runs, once
    // the build has printed and the arena has had time to save what it printed.
    let (_, second) = server
        .post(
            "/api/sessions",
            json!({ "prompt": "A page for a lighthouse museum",
                                       "contestants": ["bold", "secrets"] }),
        )
        .await;
    let second_id = second["id"].as_str().unwrap().to_owned();
    let caught = server
        .until(
            &second_id,
            "the second battle reaches a container stage",
            |battle| {
                ["installing", "building"].contains(&battle["runs"][0]["status"].as_str().unwrap())
            },
        )
        .await;
    let stage = caught["runs"][0]["status"].as_str().unwrap().to_owned();
    let building_run = caught["runs"][0]["id"].as_str().unwrap().to_owned();
    let printed = loop {
        let run = server.get(&format!("/api/runs/{building_run}")).await;
        let build_log = run["logs"]["build"].as_str().unwrap_or_default();
        if let Some(line) = build_log.lines().next() {
            break (line.to_owned(), run["reply"].as_str().unwrap().to_owned());
        }
        assert!(
            ["installing", "building"].contains(&run["status"].as_str().unwrap()),
            "the build ended before it printed: {run}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // Twice the arena's save interval.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let still = server.get(&format!("/api/runs/{building_run}")).await;
    assert_eq!(
        still["status"], "building",
        "the build finished too soon to be interrupted"
    );
    drop(server);

    let server = Server::start(&data, &contestants).await;
    let back = server
        .get(&format!("/api/sessions/{second_id}?voter=tester"))
        .await;
    let interrupted = &back["runs"][0];
    assert_eq!(interrupted["status"], "interrupted", "{back}");
    // Stage and reason as the run stood when the arena went down (it may have moved from
    // installing to building between the last poll and the kill).
    let failed_stage = interrupted["failed_stage"].as_str().unwrap();
    assert!(
        ["installing", "building"].contains(&failed_stage)
            && !(stage == "building" && failed_stage == "installing"),
        "interrupted at {failed_stage}, last seen {stage}"
    );
    assert_eq!(
        interrupted["failure"],
        format!("the arena stopped while this run was {failed_stage}")
    );
    // What the run had printed between its last status change and the kill is kept.
    let (build_line, reply) = printed;
    let kept = server.get(&format!("/api/runs/{building_run}")).await;
    let kept_log = kept["logs"]["build"].as_str().unwrap_or_default();
    assert!(
        kept_log.lines().any(|line| line == build_line),
        "the build log lost {build_line:?}: {kept_log:?}"
    );
    assert_eq!(kept["reply"], reply);
    assert_eq!(back["runs"][1]["status"], "failed");
    let excluded = back["voting"]["excluded"].as_str().unwrap();
    assert!(
        excluded.contains("Template bold") && excluded.contains("interrupted"),
        "{excluded}"
    );
    let label = format!("vibe-arena.session={second_id}");
    assert!(
        common::containers_labelled(&docker, &label)
            .await
            .is_empty(),
        "the interrupted run's container is still there"
    );

    // The finished battle, its screenshot and its vote are all there.
    let first_back = server
        .get(&format!("/api/sessions/{first_id}?voter=tester"))
        .await;
    assert_eq!(statuses(&first_back), ["ready", "failed"]);
    assert_eq!(first_back["votes"].as_array().unwrap().len(), 1);
    assert_eq!(first_back["voting"]["voted"], true);
    let shot_after = server
        .api
        .bytes(&format!("/api/runs/{ready_run}/screenshots/{screenshot}"))
        .await
        .1;
    assert_eq!(shot_after, shot_before);
    let board = server.get("/api/leaderboard").await;
    assert_eq!(board["votes_counted"], 1);
    assert_eq!(board["entries"][0]["contestant"], "studio");
    let history = server.get("/api/history").await;
    assert_eq!(history["total"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_while_a_reply_streams_keeps_what_had_arrived() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let contestants = dir.path().join("contestants.toml");
    let recorded = common::fixtures().join("replies/sandbox-probe.md");
    // 2.4 KB in 32-byte pieces 200 ms apart: some 15 s of streaming.
    std::fs::write(
        &contestants,
        format!(
            "[[contestants]]\nid = \"slow\"\nname = \"Slow writer\"\nprovider = \"replay\"\n\
             model = \"recorded\"\nreplay = {recorded:?}\n\
             params = {{ chunk-bytes = 32, chunk-delay-ms = 200 }}\n"
        ),
    )
    .unwrap();
    let whole = std::fs::read_to_string(&recorded).unwrap();

    let server = Server::start(&data, &contestants).await;
    let (status, battle) = server
        .post(
            "/api/sessions",
            json!({ "prompt": "A page for a night market", "contestants": ["slow"] }),
        )
        .await;
    assert_eq!(status, 201, "{battle}");
    let run_id = battle["runs"][0]["id"].as_str().unwrap().to_owned();
    let started = Instant::now();
    let seen = loop {
        let run = server.get(&format!("/api/runs/{run_id}")).await;
        let reply = run["reply"].as_str().unwrap().to_owned();
        if !reply.is_empty() {
            break reply;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "{run}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    // Twice the arena's save interval, well inside the stream.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let live = server.get(&format!("/api/runs/{run_id}")).await;
    assert_eq!(live["status"], "generating", "the stream ended too soon");
    drop(server);

    let server = Server::start(&data, &contestants).await;
    let kept = server.get(&format!("/api/runs/{run_id}")).await;
    assert_eq!(kept["status"], "interrupted", "{kept}");
    assert_eq!(kept["failed_stage"], "generating");
    let reply = kept["reply"].as_str().unwrap();
    assert!(
        reply.len() > seen.len() && whole.starts_with(reply),
        "kept {} bytes of the reply, had seen {} before the last save: {reply:?}",
        reply.len(),
        seen.len()
    );
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
