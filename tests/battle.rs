//! A whole battle on real parts: the bundled plugins, the Docker engine, npm and
//! `next build` in containers, the system Chromium and the preview gateway.
//!
//! Four contestants build a real prompt: an offline one, a local model behind an
//! OpenAI-compatible server (as Ollama serves one: no key, no cost), Anthropic's Messages
//! API served locally (a key from an environment variable, a listed price), and a replay of
//! a reply whose page misses "use client". The first three reach ready with real
//! screenshots and are served through the gateway with their own titles; the fourth fails
//! at building with next's own error line, without disturbing the others. The key reaches
//! the API and nothing else: no record, log line, event, API answer or file under the data
//! folder holds it.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use arena::plugin::{GenerateRequest, NetworkGrant, PluginLimits, PluginSet};
use axum::http::HeaderMap;
use axum::response::IntoResponse;

use arena::arena::{Arena, ArenaConfig};
use arena::run::{EventKind, RunRecord, Status};

const PROMPT: &str =
    "Build a portfolio site for a freelance photographer with a filterable gallery";

/// The environment variable the Anthropic contestant reads its key from.
const KEY_VARIABLE: &str = "ARENA_BATTLE_TEST_ANTHROPIC_KEY";

fn contestants_file(dir: &std::path::Path, models_port: u16) -> std::path::PathBuf {
    let reply = common::fixtures().join("replies/missing-use-client.md");
    let base = format!("http://127.0.0.1:{models_port}/v1");
    let host = format!("127.0.0.1:{models_port}");
    let text = format!(
        r#"
[[contestants]]
id = "studio"
name = "Template studio"
provider = "template"
model = "studio"
default = true

[[contestants]]
id = "local-coder"
name = "A local model"
group = "Local models"
provider = "openai-compatible"
model = "qwen2.5-coder:7b"
params = {{ base-url = "{base}", auth = "none" }}
allow_hosts = ["{host}"]
price = {{ input = 0, output = 0 }}
default = true

[[contestants]]
id = "claude"
name = "Claude Haiku 5.5 (served locally)"
provider = "anthropic"
model = "claude-haiku-5-5"
params = {{ base-url = "{base}" }}
secrets = {{ api-key = "{KEY_VARIABLE}" }}
allow_hosts = ["{host}"]
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

/// A complete project as a model writes one: the offline template's reply in `style`, which
/// the local model servers stream back in their own wire formats.
async fn project_reply(style: &str) -> String {
    let engine = common::engine();
    let plugins = PluginSet::load(&engine, &[]).await;
    let request = GenerateRequest {
        model: style.into(),
        user_prompt: PROMPT.into(),
        ..Default::default()
    };
    let generation = plugins.providers["template"]
        .generate(
            request,
            &PluginLimits::default(),
            NetworkGrant::default(),
            common::sink(),
        )
        .await
        .unwrap();
    generation.reply
}

/// What the local model servers were sent.
#[derive(Default)]
struct Seen {
    chat_authorization: Vec<Option<String>>,
    anthropic_keys: Vec<String>,
}

const CHAT_USAGE: (u64, u64) = (1_500, 4_200);
const ANTHROPIC_USAGE: (u64, u64) = (2_000, 5_000);

/// One local server for both APIs, as `ollama serve` and a stand-in for api.anthropic.com.
async fn local_models(key: String) -> (u16, Arc<Mutex<Seen>>) {
    let chat_reply = project_reply("bold").await;
    let anthropic_reply = project_reply("paper").await;
    let seen = Arc::new(Mutex::new(Seen::default()));
    let (chat_seen, anthropic_seen) = (seen.clone(), seen.clone());
    let app = axum::Router::new()
        .route(
            "/v1/chat/completions",
            axum::routing::post(move |headers: HeaderMap| {
                let seen = chat_seen.clone();
                let reply = chat_reply.clone();
                async move {
                    let authorization = headers
                        .get("authorization")
                        .map(|v| v.to_str().unwrap().to_owned());
                    seen.lock().unwrap().chat_authorization.push(authorization);
                    common::wire::chat_completion_stream(&reply, 300, CHAT_USAGE)
                }
            }),
        )
        .route(
            "/v1/messages",
            axum::routing::post(move |headers: HeaderMap| {
                let seen = anthropic_seen.clone();
                let reply = anthropic_reply.clone();
                let key = key.clone();
                async move {
                    let sent = headers["x-api-key"].to_str().unwrap().to_owned();
                    seen.lock().unwrap().anthropic_keys.push(sent.clone());
                    if sent != key {
                        let body = serde_json::json!({ "type": "error",
                            "error": { "type": "authentication_error", "message": "invalid x-api-key" } });
                        return (axum::http::StatusCode::UNAUTHORIZED, axum::Json(body))
                            .into_response();
                    }
                    common::wire::anthropic_message_stream(&reply, 300, ANTHROPIC_USAGE)
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (port, seen)
}

/// Everything the arena logs through `tracing`, at debug level and above, kept to be
/// searched for the key.
#[derive(Clone, Default)]
struct LogCapture(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogCapture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogCapture {
    type Writer = LogCapture;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Every file under `dir` whose bytes contain `needle`.
fn files_containing(dir: &std::path::Path, needle: &[u8]) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() {
                let bytes = std::fs::read(&path).unwrap_or_default();
                if bytes.windows(needle.len()).any(|window| window == needle) {
                    found.push(path);
                }
            }
        }
    }
    found
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
async fn offline_local_and_api_contestants_reach_ready_while_a_broken_build_fails_alone() {
    let key = format!("sk-ant-battle-{}", nanoid::nanoid!(24));
    // SAFETY: set before the arena and its threads start; this binary holds one test.
    unsafe { std::env::set_var(KEY_VARIABLE, &key) };
    let (models_port, seen) = local_models(key.clone()).await;
    let log = LogCapture::default();
    tracing_subscriber::fmt()
        .with_env_filter("debug")
        .with_writer(log.clone())
        .with_ansi(false)
        .init();

    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let gateway_port = listener.local_addr().unwrap().port();
    let config = ArenaConfig {
        data_dir: dir.path().join("data"),
        contestants_file: Some(contestants_file(dir.path(), models_port)),
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
    for id in ["studio", "local-coder", "claude"] {
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
        // The page scorers read the page the screenshots loaded: a real first load, a
        // layout that fits a phone, no errors, words of the prompt on the page.
        let score = |scorer: &str, name: &str| {
            ready
                .scores
                .iter()
                .find(|m| m.scorer == scorer && m.name == name)
                .unwrap_or_else(|| panic!("{id}: no {scorer} {name} in {:?}", ready.scores))
                .value
        };
        assert!(score("page-weight", "first-load-kib") > 5.0);
        assert!(score("page-weight", "first-load-requests") >= 2.0);
        assert_eq!(score("mobile-layout", "mobile-fits"), 1.0);
        assert_eq!(score("console-errors", "console-errors"), 0.0);
        assert!(score("accessibility", "accessibility-issues") >= 0.0);
        assert_eq!(score("prompt-adherence", "prompt-words"), 5.0);
        assert!(score("prompt-adherence", "prompt-coverage") > 0.0);
        // What a page scorer left out, it says in the run's scoring log.
        if score("prompt-adherence", "prompt-coverage") < 1.0 {
            let log = ready.logs.get("score").map_or("", String::as_str);
            assert!(log.contains("prompt-adherence: not on the page: "), "{log}");
        }

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
    titles.sort();
    titles.dedup();
    assert_eq!(titles.len(), 3, "each preview is its own site: {titles:?}");

    // The providers' usage and prices reached the records: the local model is free, the
    // API one costs its listed price (Haiku 5.5: $0.10 in, $0.50 out per million).
    let local = run("local-coder");
    assert_eq!(
        (local.usage.input_tokens, local.usage.output_tokens),
        CHAT_USAGE
    );
    assert_eq!(local.cost_usd, 0.0);
    let claude = run("claude");
    assert_eq!(
        (claude.usage.input_tokens, claude.usage.output_tokens),
        ANTHROPIC_USAGE
    );
    let expected = (2_000.0 * 0.10 + 5_000.0 * 0.50) / 1e6;
    assert!(
        (claude.cost_usd - expected).abs() < 1e-12,
        "{}",
        claude.cost_usd
    );
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.chat_authorization, [None], "no key for a local server");
        assert_eq!(
            seen.anthropic_keys,
            std::slice::from_ref(&key),
            "the key went to its API"
        );
    }

    // The API tells the same story as the records.
    let api = format!(
        "http://127.0.0.1:{gateway_port}/api/sessions/{}",
        session.id
    );
    let view: serde_json::Value =
        serde_json::from_str(&get(&api, None).await.text().await.unwrap()).unwrap();
    assert_eq!(view["runs"].as_array().unwrap().len(), 4);
    let shot = format!(
        "http://127.0.0.1:{gateway_port}/api/runs/{}/screenshots/mobile",
        run("local-coder").id
    );
    let png = get(&shot, None).await;
    assert_eq!(png.headers()["content-type"], "image/png");

    // Events were streamed as they happened: the reply text, log lines, every status.
    let mut seen = (false, false, 0);
    while let Ok(event) = events.try_recv() {
        let text = match &event.kind {
            EventKind::Reply { text } => {
                seen.0 = true;
                text.clone()
            }
            EventKind::Log { line, .. } => {
                seen.1 = true;
                line.clone()
            }
            EventKind::Status { reason, .. } => {
                seen.2 += 1;
                reason.clone().unwrap_or_default()
            }
        };
        assert!(!text.contains(&key), "an event carries the key: {text}");
    }
    assert!(seen.0 && seen.1 && seen.2 >= 20, "{seen:?}");

    // The battle downloads as JSON for analysis: every run with its scores and usage, no
    // reply text.
    let response = get(
        &format!(
            "http://127.0.0.1:{gateway_port}/api/sessions/{}/export",
            session.id
        ),
        None,
    )
    .await;
    assert_eq!(
        response.headers()["content-disposition"],
        format!("attachment; filename=\"battle-{}.json\"", session.id).as_str()
    );
    let export: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(export["format"], "vibe-arena battle export 1");
    assert_eq!(export["battle"]["prompt"], PROMPT);
    let exported = export["battle"]["runs"].as_array().unwrap();
    assert_eq!(exported.len(), 4);
    for record in arena.runs_of(&session) {
        let row = exported
            .iter()
            .find(|r| r["id"] == record.id.as_str())
            .unwrap();
        assert_eq!(row["contestant"]["id"], record.contestant.id.as_str());
        assert_eq!(row["scores"].as_array().unwrap().len(), record.scores.len());
        assert_eq!(row["usage"]["output_tokens"], record.usage.output_tokens);
        assert!(row.get("reply").is_none(), "no reply text in the export");
    }

    // The key is in no record, no API answer and no file the arena wrote.
    let records = serde_json::to_string(&arena.runs_of(&session)).unwrap();
    assert!(!records.contains(&key), "a run record holds the key");
    for path in [
        format!("/api/sessions/{}", session.id),
        format!("/api/sessions/{}/export", session.id),
        "/api/sessions".to_owned(),
        "/api/contestants".to_owned(),
        "/api/plugins".to_owned(),
        format!("/api/runs/{}/summary", claude.id),
    ] {
        let answer = get(&format!("http://127.0.0.1:{gateway_port}{path}"), None)
            .await
            .text()
            .await
            .unwrap();
        assert!(!answer.contains(&key), "{path} holds the key");
    }
    let leaks = files_containing(&dir.path().join("data"), key.as_bytes());
    assert!(leaks.is_empty(), "files holding the key: {leaks:?}");
    let logged = String::from_utf8_lossy(&log.0.lock().unwrap()).into_owned();
    assert!(
        logged.contains("claude"),
        "the capture saw the arena's log lines"
    );
    assert!(!logged.contains(&key), "a log line holds the key");

    // Stopping ends a ready run and its preview.
    let studio = run("studio");
    arena.stop(&studio.id, "test over").await;
    assert_eq!(arena.run(&studio.id).unwrap().status, Status::Terminated);
    let host = format!("{}.preview.localhost:{gateway_port}", studio.id);
    let gone = get(&format!("http://127.0.0.1:{gateway_port}/"), Some(&host)).await;
    assert_eq!(gone.status(), 410);
    arena.stop_all("test over").await;
}
