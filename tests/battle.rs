//! A whole battle on real parts: the bundled plugins, the Docker engine, npm and
//! `next build` in containers, the system Chromium and the preview gateway.
//!
//! Two offline contestants build a real prompt while a third replays a reply whose page
//! misses "use client": the two reach ready with real screenshots and are served through
//! the gateway with their own titles, and the third fails at building with next's own
//! error line, without disturbing the others.

mod common;

use std::time::Duration;

use arena::arena::{Arena, ArenaConfig};
use arena::run::{EventKind, RunRecord, Status};

const PROMPT: &str =
    "Build a portfolio site for a freelance photographer with a filterable gallery";

fn contestants_file(dir: &std::path::Path) -> std::path::PathBuf {
    let reply = common::fixtures().join("replies/missing-use-client.md");
    let text = format!(
        r#"
[[contestants]]
id = "studio"
name = "Template studio"
provider = "template"
model = "studio"
default = true

[[contestants]]
id = "bold"
name = "Template bold"
provider = "template"
model = "bold"
default = true

[[contestants]]
id = "no-use-client"
name = "Replay of case 09"
provider = "replay"
model = "recorded"
replay = {reply:?}
params = {{ chunk-delay-ms = 0 }}
default = true
"#
    );
    let path = dir.join("contestants.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn title_of(html: &str) -> String {
    let start = html.find("<title>").expect("a <title>") + "<title>".len();
    let end = html[start..].find("</title>").unwrap() + start;
    html[start..end].to_owned()
}

async fn get(url: &str, host: Option<&str>) -> reqwest::Response {
    let client = reqwest::Client::new();
    let mut request = client.get(url).timeout(Duration::from_secs(20));
    if let Some(host) = host {
        request = request.header("host", host);
    }
    request.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_offline_contestants_reach_ready_while_a_broken_build_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let gateway_port = listener.local_addr().unwrap().port();
    let config = ArenaConfig {
        data_dir: dir.path().join("data"),
        contestants_file: Some(contestants_file(dir.path())),
        gateway_port: Some(gateway_port),
        ..ArenaConfig::default()
    };
    let arena = Arena::start(config)
        .await
        .expect("arena starts (is Docker running?)");
    let router = arena::server::router(arena.clone(), "preview.localhost");
    tokio::spawn(async move { axum::serve(listener, router).await });

    let session = arena.start_session(PROMPT, &[], "nextjs").unwrap();
    let (_, mut events) = session.subscribe(None);
    tokio::time::timeout(Duration::from_secs(1500), arena.wait(&session))
        .await
        .expect("the battle finishes");

    let runs = arena.runs_of(&session);
    let run = |id: &str| -> RunRecord {
        runs.iter()
            .find(|run| run.contestant.id == id)
            .cloned()
            .unwrap()
    };

    // The broken site fails at building, with next's own words in its build log.
    let broken = run("no-use-client");
    assert_eq!(broken.status, Status::Failed, "{broken:#?}");
    assert_eq!(
        broken.failed_stage,
        Some(Status::Building),
        "{:?}",
        broken.failure
    );
    let build_log = &broken.logs["build"];
    assert!(build_log.contains("useState"), "{build_log}");
    assert!(build_log.contains("app/page.js"), "{build_log}");
    assert!(!build_log.contains("\u{1b}["), "ANSI escapes are stripped");
    assert!(broken.screenshots.is_empty() && broken.port.is_none());

    let mut titles = Vec::new();
    for id in ["studio", "bold"] {
        let ready = run(id);
        assert_eq!(
            ready.status,
            Status::Ready,
            "{id}: {:?} at {:?}",
            ready.failure,
            ready.failed_stage
        );

        // Every lifecycle stage was passed through, in order, each with its time.
        let statuses: Vec<Status> = ready.transitions.iter().map(|t| t.status).collect();
        let expected = [
            Status::Generating,
            Status::Validating,
            Status::Installing,
            Status::Building,
            Status::Starting,
            Status::Healthy,
            Status::Capturing,
            Status::Scoring,
            Status::Ready,
        ];
        let mut position = 0;
        for status in expected {
            let found = statuses[position..].iter().position(|s| *s == status);
            position +=
                found.unwrap_or_else(|| panic!("{id}: {status} missing in {statuses:?}")) + 1;
        }
        assert!(ready.stage_time(Status::Building).unwrap() > Duration::from_secs(1));

        // Screenshots are real pictures of the page at each viewport.
        let shots: Vec<(&str, u32, u32)> = ready
            .screenshots
            .iter()
            .map(|s| (s.viewport.as_str(), s.width, s.height))
            .collect();
        assert_eq!(shots, [("desktop", 1440, 900), ("mobile", 390, 844)]);
        for shot in &ready.screenshots {
            let (width, height, colours) = common::png_colours(&std::fs::read(&shot.path).unwrap());
            assert_eq!((width, height), (shot.width, shot.height));
            assert!(
                colours > 50,
                "{id} {} looks blank: {colours} colours",
                shot.viewport
            );
        }
        assert!(
            ready
                .scores
                .iter()
                .any(|m| m.name == "ready" && m.value == 1.0),
            "{:?}",
            ready.scores
        );

        // The gateway serves the site by its preview host name, sandboxed.
        let public_url = ready.public_url.clone().unwrap();
        assert_eq!(
            public_url,
            format!("http://{}.preview.localhost:{gateway_port}/", ready.id)
        );
        let direct = get(ready.internal_url.as_deref().unwrap(), None)
            .await
            .text()
            .await
            .unwrap();
        let host = format!("{}.preview.localhost:{gateway_port}", ready.id);
        let response = get(&format!("http://127.0.0.1:{gateway_port}/"), Some(&host)).await;
        assert_eq!(response.status(), 200);
        let csp = response.headers().get_all("content-security-policy");
        assert!(
            csp.iter()
                .any(|v| v.to_str().unwrap().starts_with("sandbox allow-scripts"))
        );
        let served = response.text().await.unwrap();
        assert_eq!(title_of(&served), title_of(&direct));
        titles.push(title_of(&served));
    }
    assert_ne!(titles[0], titles[1], "each preview is its own site");

    // The API tells the same story as the records.
    let api = format!(
        "http://127.0.0.1:{gateway_port}/api/sessions/{}",
        session.id
    );
    let view: serde_json::Value =
        serde_json::from_str(&get(&api, None).await.text().await.unwrap()).unwrap();
    assert_eq!(view["runs"].as_array().unwrap().len(), 3);
    let shot = format!(
        "http://127.0.0.1:{gateway_port}/api/runs/{}/screenshots/mobile",
        run("bold").id
    );
    let png = get(&shot, None).await;
    assert_eq!(png.headers()["content-type"], "image/png");

    // Events were streamed as they happened: the reply text, log lines, every status.
    let mut seen = (false, false, 0);
    while let Ok(event) = events.try_recv() {
        match event.kind {
            EventKind::Reply { .. } => seen.0 = true,
            EventKind::Log { .. } => seen.1 = true,
            EventKind::Status { .. } => seen.2 += 1,
        }
    }
    assert!(seen.0 && seen.1 && seen.2 >= 20, "{seen:?}");

    // Stopping ends a ready run and its preview.
    let studio = run("studio");
    arena.stop(&studio.id, "test over").await;
    assert_eq!(arena.run(&studio.id).unwrap().status, Status::Terminated);
    let host = format!("{}.preview.localhost:{gateway_port}", studio.id);
    let gone = get(&format!("http://127.0.0.1:{gateway_port}/"), Some(&host)).await;
    assert_eq!(gone.status(), 410);
    arena.stop_all("test over").await;
}
