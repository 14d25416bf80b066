//! Votes, history, the leaderboard and exports through the HTTP API of a real arena (Docker
//! connected, bundled plugins), on battles that end without builds: replayed replies that
//! the validators refuse, a run stopped on request, a run still generating. Then a second
//! arena on the same data folder finds it all again, and `arena run --prompts` runs a batch.

mod common;

use std::io::Read as _;
use std::time::Duration;

use arena::arena::{Arena, ArenaConfig};
use serde_json::{Value, json};

fn contestants_file(dir: &std::path::Path) -> std::path::PathBuf {
    // A local model server that is not running: its runs fail through the provider.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let secrets = common::fixtures().join("replies/reads-secrets.md");
    let names_itself = common::fixtures().join("replies/names-itself.md");
    let extra = format!(
        r#"
[[contestants]]
id = "chatty"
name = "Chatty Model"
provider = "replay"
model = "chatty-model-9"
replay = {names_itself:?}
params = {{ chunk-delay-ms = 0, chunk-bytes = 3 }}
price = {{ input = 0, output = 0 }}
[[contestants]]
id = "slow"
name = "Slow model"
provider = "replay"
model = "recorded"
replay = {secrets:?}
params = {{ chunk-delay-ms = 400, chunk-bytes = 16 }}

[[contestants]]
id = "down"
name = "Down model"
provider = "openai-compatible"
model = "qwen2.5-coder:7b"
params = {{ base-url = "http://127.0.0.1:{closed}/v1", auth = "none", max-retries = 0 }}
allow_hosts = ["127.0.0.1:{closed}"]
price = {{ input = 0, output = 0 }}
"#
    );
    common::quick_contestants(dir, true, &extra)
}

type Api = common::api::JsonApi;

/// An arena on `dir` with the contestants of [`contestants_file`], served.
async fn start_with_test_contestants(dir: &std::path::Path) -> (Arena, Api) {
    let arena = Arena::start(ArenaConfig {
        data_dir: dir.join("data"),
        contestants_file: Some(contestants_file(dir)),
        watch: false,
        ..ArenaConfig::default()
    })
    .await
    .expect("arena starts (is Docker running?)");
    let api = serve(&arena).await;
    (arena, api)
}

/// A router for `arena` on a port of its own, and the API behind it.
async fn serve(arena: &Arena) -> Api {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let router = arena::server::router(arena.clone(), "preview.localhost");
    tokio::spawn(async move { axum::serve(listener, router).await });
    Api::new(format!("http://127.0.0.1:{port}"))
}

impl common::api::JsonApi {
    async fn battle(&self, body: Value) -> Value {
        let (status, battle) = self.post("/api/sessions", body).await;
        assert_eq!(status, 201, "{battle}");
        battle
    }

    /// Waits until every run of the battle has ended.
    async fn finished(&self, id: &str, voter: &str) -> Value {
        for _ in 0..600 {
            let battle = self.get(&format!("/api/sessions/{id}?voter={voter}")).await;
            let runs = battle["runs"].as_array().unwrap();
            let ended = runs.iter().all(|run| {
                ["ready", "failed", "terminated", "interrupted"]
                    .contains(&run["status"].as_str().unwrap())
            });
            if ended {
                return battle;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("battle {id} did not finish in 60 s");
    }
}

fn run_ids(battle: &Value) -> Vec<String> {
    battle["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|run| run["id"].as_str().unwrap().to_owned())
        .collect()
}

fn names(battle: &Value) -> Vec<String> {
    battle["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|run| run["contestant"]["name"].as_str().unwrap().to_owned())
        .collect()
}

fn entry<'a>(board: &'a Value, contestant: &str) -> &'a Value {
    board["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["contestant"] == contestant)
        .unwrap_or_else(|| panic!("{contestant} is not on the board: {board}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn votes_count_once_per_browser_and_survive_a_restart_with_history_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let config = ArenaConfig {
        data_dir: dir.path().join("data"),
        contestants_file: Some(contestants_file(dir.path())),
        watch: false,
        ..ArenaConfig::default()
    };
    let arena = Arena::start(config.clone())
        .await
        .expect("arena starts (is Docker running?)");
    let api = serve(&arena).await;

    // An anonymous battle: names hidden from whoever has not voted, in the API too.
    let created = api
        .battle(json!({ "prompt": "A landing page for a violin maker",
                        "contestants": ["alpha", "bravo"], "anonymous": true,
                        "category": "Landing page" }))
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let battle = api.finished(&id, "browser-1").await;
    assert_eq!(battle["names_hidden"], true);
    let mut hidden = names(&battle);
    hidden.sort();
    assert_eq!(hidden, ["Contestant A", "Contestant B"]);
    let runs = run_ids(&battle);
    for run in &runs {
        let record = api.get(&format!("/api/runs/{run}?voter=browser-1")).await;
        assert!(
            record["contestant"]["name"]
                .as_str()
                .unwrap()
                .starts_with("Contestant")
        );
        assert_eq!(record["status"], "failed");
        assert_eq!(record["failed_stage"], "validating");
    }
    assert_eq!(battle["voting"]["open"], true, "{battle}");
    assert_eq!(battle["voting"]["excluded"], Value::Null);

    // Ballots that do not describe this battle are refused, named.
    let (status, error) = api
        .post(
            &format!("/api/sessions/{id}/votes"),
            json!({ "voter": "browser-1", "kind": "ranking", "ranking": [[runs[0]]] }),
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .contains("places all 2 runs"),
        "{error}"
    );
    let (status, error) = api
        .post(
            &format!("/api/sessions/{id}/votes"),
            json!({ "voter": "browser-1", "kind": "best", "best": "nosuchrun" }),
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        error["error"].as_str().unwrap().contains("nosuchrun"),
        "{error}"
    );
    let (status, error) = api
        .post(
            &format!("/api/sessions/{id}/votes"),
            json!({ "voter": "browser-1", "kind": "favourite" }),
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .contains("best, ranking, all_bad")
    );

    // The ranking is stored, and the answer reveals the names to this voter only.
    let (status, voted) = api
        .post(
            &format!("/api/sessions/{id}/votes"),
            json!({ "voter": "browser-1", "kind": "ranking",
                      "ranking": [[runs[0]], [runs[1]]] }),
        )
        .await;
    assert_eq!(status, 201, "{voted}");
    let mut revealed = names(&voted["session"]);
    revealed.sort();
    assert_eq!(revealed, ["Alpha model", "Bravo model"]);
    let winner = voted["session"]["runs"][0]["contestant"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let loser = voted["session"]["runs"][1]["contestant"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = api
        .get(&format!("/api/sessions/{id}?voter=browser-2"))
        .await;
    assert_eq!(other["names_hidden"], true);
    assert_eq!(
        other["votes"],
        json!([]),
        "others' votes are not shown before one's own"
    );

    // One vote per battle per browser.
    let (status, again) = api
        .post(
            &format!("/api/sessions/{id}/votes"),
            json!({ "voter": "browser-1", "kind": "all_bad" }),
        )
        .await;
    assert_eq!(status, 409, "{again}");
    let (status, _) = api
        .post(
            &format!("/api/sessions/{id}/votes"),
            json!({ "voter": "browser-2", "kind": "all_bad" }),
        )
        .await;
    assert_eq!(status, 201);

    // A second battle: a run stopped on request is the arena's doing, not the model's, so
    // votes on it are kept but not counted, and the reason says so.
    let stopped = api
        .battle(
            json!({ "prompt": "A menu page for a noodle bar", "contestants": ["alpha", "slow"] }),
        )
        .await;
    let stopped_id = stopped["id"].as_str().unwrap().to_owned();
    let slow_run = stopped["runs"][1]["id"].as_str().unwrap().to_owned();
    let (status, early) = api
        .post(
            &format!("/api/sessions/{stopped_id}/votes"),
            json!({ "voter": "browser-1", "kind": "all_bad" }),
        )
        .await;
    assert_eq!(status, 409);
    assert!(
        early["error"].as_str().unwrap().contains("still going"),
        "{early}"
    );
    let (status, _) = api
        .post(&format!("/api/runs/{slow_run}/stop"), json!({}))
        .await;
    assert_eq!(status, 200);
    let battle = api.finished(&stopped_id, "browser-1").await;
    let excluded = battle["voting"]["excluded"].as_str().unwrap();
    assert!(
        excluded.contains("Slow model") && excluded.contains("stopped before it was ready"),
        "{excluded}"
    );
    let (status, vote) = api
        .post(
            &format!("/api/sessions/{stopped_id}/votes"),
            json!({ "voter": "browser-1", "kind": "best", "best": slow_run }),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(vote["vote"]["excluded"], excluded);

    // The board: a win and a tie between the two, the excluded vote not counted.
    let board = api.get("/api/leaderboard").await;
    assert_eq!(
        (
            board["votes_counted"].as_u64(),
            board["votes_excluded"].as_u64()
        ),
        (Some(2), Some(1))
    );
    assert_eq!(board["outcomes"], 2);
    let (top, bottom) = (entry(&board, &winner), entry(&board, &loser));
    assert_eq!(
        (
            top["wins"].as_u64(),
            top["ties"].as_u64(),
            top["losses"].as_u64()
        ),
        (Some(1), Some(1), Some(0))
    );
    assert_eq!(top["battles"], 1);
    assert!(top["rating"].as_f64().unwrap() > bottom["rating"].as_f64().unwrap());
    assert!(top["low"].as_f64().unwrap() <= top["rating"].as_f64().unwrap());
    assert!(
        board["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["contestant"] != "slow")
    );
    assert_eq!(board["categories"], json!(["Landing page"]));
    let none = api.get("/api/leaderboard?category=dashboard").await;
    assert_eq!(none["entries"], json!([]));
    let same = api.get("/api/leaderboard?category=landing%20page").await;
    assert_eq!(same["votes_counted"], 2);
    // The scorers' view: every run so far, build-health among the metrics.
    let alpha = board["scores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["contestant"] == "alpha")
        .unwrap();
    assert_eq!(
        (alpha["runs"].as_u64(), alpha["ready"].as_u64()),
        (Some(2), Some(0))
    );
    assert!(
        alpha["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["scorer"] == "build-health"),
        "{alpha}"
    );

    // History: search by prompt words, contestant, category; anonymous battles hide names
    // and are found by contestant only for someone who voted on them.
    let found = api.get("/api/history?q=violin").await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["battles"][0]["id"], id.as_str());
    assert_eq!(found["battles"][0]["names_hidden"], true);
    assert_eq!(found["battles"][0]["votes"], 2);
    assert_eq!(api.get("/api/history?q=noodle%20bar").await["total"], 1);
    // Words in any order, each anywhere in the prompt; all of them must be there.
    assert_eq!(api.get("/api/history?q=bar%20menu").await["total"], 1);
    assert_eq!(api.get("/api/history?q=bar%20violin").await["total"], 0);
    assert_eq!(api.get("/api/history?q=100%25").await["total"], 0);
    assert_eq!(api.get("/api/history").await["total"], 2);
    assert_eq!(api.get("/api/history?contestant=slow").await["total"], 1);
    assert_eq!(api.get("/api/history?contestant=bravo").await["total"], 0);
    assert_eq!(
        api.get("/api/history?contestant=bravo&voter=browser-1")
            .await["total"],
        1
    );
    assert_eq!(
        api.get("/api/history?category=%20LANDING%20PAGE%20").await["total"],
        1
    );
    let page = api.get("/api/history?limit=1&offset=1").await;
    assert_eq!(
        (
            page["total"].as_u64(),
            page["battles"].as_array().unwrap().len()
        ),
        (Some(2), 1)
    );
    assert_eq!(page["battles"][0]["id"], id.as_str(), "newest first");

    // A third battle: a model whose service cannot be reached did not lose on its merits
    // either.
    let outage = api
        .battle(json!({ "prompt": "A page for a kite festival", "contestants": ["bravo", "down"] }))
        .await;
    let outage_id = outage["id"].as_str().unwrap().to_owned();
    let battle = api.finished(&outage_id, "browser-1").await;
    assert_eq!(battle["runs"][1]["fault"], "provider", "{battle}");
    assert_eq!(battle["runs"][0]["fault"], "model");
    let excluded = battle["voting"]["excluded"].as_str().unwrap();
    assert!(
        excluded.contains("Down model") && excluded.contains("because of its provider"),
        "{excluded}"
    );
    let down_run = battle["runs"][1]["id"].as_str().unwrap().to_owned();
    let (status, _) = api
        .post(
            &format!("/api/sessions/{outage_id}/votes"),
            json!({ "voter": "browser-1", "kind": "best", "best": down_run }),
        )
        .await;
    assert_eq!(status, 201);
    let board = api.get("/api/leaderboard").await;
    assert_eq!(board["votes_counted"], 2);
    assert_eq!(board["votes_excluded"], 2);
    assert!(
        board["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["contestant"] != "down")
    );

    // Exports: the battle as JSON with its votes, a run as a ZIP of what the arena kept.
    let export = api
        .get(&format!("/api/sessions/{id}/export?voter=browser-1"))
        .await;
    assert_eq!(export["battle"]["votes"].as_array().unwrap().len(), 2);
    assert_eq!(export["battle"]["category"], "Landing page");
    let versions = &export["versions"];
    assert_eq!(versions["pipeline"]["id"], "nextjs");
    let plugins: Vec<&str> = versions["plugins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|plugin| plugin["id"].as_str().unwrap())
        .collect();
    assert!(
        plugins.contains(&"replay") && plugins.contains(&"code-safety"),
        "{plugins:?}"
    );
    assert!(versions["plugins"][0]["hash"].as_str().unwrap().len() == 64);
    let run = &runs[0];
    let record = api.get(&format!("/api/runs/{run}?voter=browser-1")).await;
    let (_, zip_bytes) = api
        .bytes(&format!("/api/runs/{run}/download?voter=browser-1"))
        .await;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let folder = format!("{}-{run}", record["contestant"]["id"].as_str().unwrap());
    let files = record["files"].as_array().unwrap();
    assert!(!files.is_empty());
    for file in files {
        let path = file["path"].as_str().unwrap();
        let (_, served) = api.bytes(&format!("/api/runs/{run}/files/{path}")).await;
        let served = String::from_utf8(served).unwrap();
        let mut zipped = String::new();
        zip.by_name(&format!("{folder}/project/{path}"))
            .unwrap_or_else(|_| panic!("{path} is not in the ZIP"))
            .read_to_string(&mut zipped)
            .unwrap();
        assert_eq!(zipped, served, "{path}");
    }
    let mut reply = String::new();
    zip.by_name(&format!("{folder}/reply.md"))
        .unwrap()
        .read_to_string(&mut reply)
        .unwrap();
    assert_eq!(reply, record["reply"].as_str().unwrap());
    assert_eq!(
        zip.len(),
        files.len() + 2,
        "project files, reply.md and EDITS.md"
    );

    // A second arena on the folder while this one runs is refused, naming the holder.
    let refused = Arena::start(config.clone()).await.err().expect("refused");
    let refused = format!("{refused:#}");
    assert!(
        refused.contains("another arena")
            && refused.contains(&format!("process {}", std::process::id())),
        "{refused}"
    );

    // A new arena on the same folder once this one has shut down: the same battles, votes
    // and board.
    let before = api.get("/api/leaderboard").await;
    arena.shut_down("restart").await;
    drop(api);
    let arena = Arena::start(config).await.unwrap();
    let api = serve(&arena).await;
    let back = api
        .get(&format!("/api/sessions/{id}?voter=browser-1"))
        .await;
    assert_eq!(back["votes"].as_array().unwrap().len(), 2);
    assert_eq!(back["voting"]["voted"], true);
    assert_eq!(names(&back), names(&voted["session"]), "the order is kept");
    assert_eq!(back["runs"][0]["reply"], record["reply"]);
    let after = api.get("/api/leaderboard").await;
    assert_eq!(after["entries"], before["entries"]);
    let (status, _) = api
        .post(
            &format!("/api/sessions/{id}/votes"),
            json!({ "voter": "browser-1", "kind": "all_bad" }),
        )
        .await;
    assert_eq!(status, 409, "still one vote per browser after a restart");
}

/// `arena run --prompts FILE`: one battle per prompt, then one table for the batch.
#[tokio::test]
async fn a_prompt_file_runs_one_battle_per_prompt_and_prints_a_summary_table() {
    let dir = tempfile::tempdir().unwrap();
    let prompts = dir.path().join("prompts.txt");
    std::fs::write(
        &prompts,
        "# two battles\nA page for a bike shop\n\n   \nA page for a tea room\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_arena"))
        .arg("run")
        .arg("--prompts")
        .arg(&prompts)
        .arg("--category")
        .arg("shops")
        .arg("--contestants")
        .arg(contestants_file(dir.path()))
        .arg("--out")
        .arg(&out)
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(2), "not all ready: {stdout}");
    assert!(stdout.contains("=== Prompt 2 of 2 ==="), "{stdout}");
    let table = &stdout[stdout
        .find("Batch: outcome per prompt")
        .expect("a summary table")..];
    let row = |label: &str| {
        table
            .lines()
            .find(|line| line.starts_with(label))
            .unwrap_or_else(|| panic!("no row {label}: {table}"))
            .to_owned()
    };
    assert!(row("prompt").contains("alpha") && row("prompt").contains("bravo"));
    for prompt in ["A page for a bike shop", "A page for a tea room"] {
        assert_eq!(
            row(prompt).matches("failed @validating").count(),
            2,
            "{table}"
        );
    }
    assert_eq!(row("ready").matches("0/2").count(), 2);

    let batch_file = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| {
            path.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("batch-")
        })
        .expect("a batch-*.json");
    let batch: Value = serde_json::from_slice(&std::fs::read(batch_file).unwrap()).unwrap();
    assert_eq!(batch["category"], "shops");
    assert_eq!(batch["battles"].as_array().unwrap().len(), 2);
    assert_eq!(batch["battles"][1]["prompt"], "A page for a tea room");
    // The table's totals, per contestant: both failed twice.
    assert_eq!(
        batch["totals"],
        json!([
            { "contestant": "alpha", "runs": 2, "ready": 0, "mean_ready_ms": null, "cost_usd": 0.0 },
            { "contestant": "bravo", "runs": 2, "ready": 0, "mean_ready_ms": null, "cost_usd": 0.0 },
        ])
    );
    // The battles are in the arena's history, with their category.
    let store = arena::store::Store::open(&out).unwrap();
    let (total, battles) = store
        .history(&arena::store::HistoryQuery {
            category: Some("shops".into()),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(total, 2);
    assert!(battles.iter().all(|battle| battle.runs.len() == 2));

    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "# nothing\n").unwrap();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_arena"))
        .args(["run", "--prompts"])
        .arg(&empty)
        .arg("--out")
        .arg(&out)
        .output()
        .await
        .unwrap();
    assert_ne!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("has no prompts"));
}

/// Reads an event stream for `for_ms` (a finished battle's stream stays open) and returns
/// what arrived.
async fn read_events(api: &Api, path: &str, for_ms: u64) -> String {
    let mut response = api
        .client
        .get(format!("{}{path}", api.base))
        .send()
        .await
        .unwrap();
    let mut text = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_millis(for_ms);
    while let Ok(Ok(Some(chunk))) = tokio::time::timeout_at(deadline, response.chunk()).await {
        text.extend_from_slice(&chunk);
    }
    String::from_utf8(text).unwrap()
}

/// The reply text of each run in an event stream, put back together from its pieces.
fn replies_in(events: &str) -> std::collections::BTreeMap<String, String> {
    let mut replies = std::collections::BTreeMap::<String, String>::new();
    let mut kind = "";
    for line in events.lines() {
        if let Some(name) = line.strip_prefix("event: ") {
            kind = name;
        } else if let Some(data) = line.strip_prefix("data: ")
            && kind == "reply"
        {
            let event: Value = serde_json::from_str(data).unwrap();
            let run = event["run"].as_str().unwrap().to_owned();
            replies
                .entry(run)
                .or_default()
                .push_str(event["text"].as_str().unwrap());
        }
    }
    replies
}

/// A model that names itself in its reply, streamed three bytes at a time so that every
/// name is cut into pieces: the pieces a watcher gets of an anonymous battle name nobody.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_reply_cut_into_pieces_still_names_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let (arena, api) = start_with_test_contestants(dir.path()).await;
    let created = api
        .battle(
            json!({ "prompt": "A page for a bell foundry", "anonymous": true,
                        "contestants": ["chatty"] }),
        )
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let battle = api.finished(&id, "watcher").await;
    assert_eq!(battle["runs"][0]["failed_stage"], "validating", "{battle}");
    let events = read_events(
        &api,
        &format!("/api/sessions/{id}/events?voter=watcher"),
        1500,
    )
    .await;
    let replies = replies_in(&events);
    assert_eq!(replies.len(), 1, "{events}");
    let reply = replies.values().next().unwrap();
    assert_eq!(
        reply,
        "Hello! I am Contestant A (Contestant A to my makers, Contestant A for short). I would \
         rather\ntalk than write a site, so this reply has no files in it: Contestant A to the \
         end.\n"
    );
    // The record keeps the reply as the model wrote it.
    let record = arena
        .run(battle["runs"][0]["id"].as_str().unwrap())
        .unwrap();
    assert!(
        record.reply.contains("I am Chatty Model (CHATTY-MODEL-9"),
        "{record:?}"
    );
}

/// An anonymous battle gives nobody away before they vote: not by name, id, model or
/// provider in any answer (failure reasons and logs included), not by price, not through
/// the event stream, the export or the scorers' view of the leaderboard. Then: a "best"
/// vote is only the best against each other run, and nobody sees others' votes before
/// casting their own, in any battle.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_battle_names_nobody_anywhere_until_the_vote() {
    let dir = tempfile::tempdir().unwrap();
    let (arena, api) = start_with_test_contestants(dir.path()).await;
    let created = api
        .battle(
            json!({ "prompt": "A page for a clock repairer", "anonymous": true,
                        "contestants": ["bravo", "down"] }),
        )
        .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let battle = api.finished(&id, "watcher").await;
    // The provider's failure names itself, its model and its address: in the record.
    let down = arena
        .runs_of(&arena.session(&id).unwrap())
        .into_iter()
        .find(|run| run.contestant.id == "down")
        .unwrap();
    assert!(
        down.failure
            .as_deref()
            .unwrap()
            .contains("openai-compatible"),
        "{down:?}"
    );

    let giveaways = [
        "Down model",
        "Bravo model",
        "openai-compatible",
        "qwen2.5-coder",
        "\"down\"",
        "\"bravo\"",
        "replay",
    ];
    let mut seen = vec![("session", battle.to_string())];
    let mut paths = vec![
        ("history", "/api/history?voter=watcher".to_owned()),
        ("export", format!("/api/sessions/{id}/export?voter=watcher")),
    ];
    for run in run_ids(&battle) {
        paths.push(("run", format!("/api/runs/{run}?voter=watcher")));
        paths.push(("summary", format!("/api/runs/{run}/summary?voter=watcher")));
    }
    for (what, path) in paths {
        seen.push((what, api.get(&path).await.to_string()));
    }
    for run in run_ids(&battle) {
        let (_, log) = api
            .bytes(&format!("/api/runs/{run}/logs/error?voter=watcher"))
            .await;
        seen.push(("error log", String::from_utf8(log).unwrap()));
    }
    seen.push((
        "events",
        read_events(
            &api,
            &format!("/api/sessions/{id}/events?voter=watcher"),
            1500,
        )
        .await,
    ));
    for (what, text) in &seen {
        for giveaway in giveaways {
            assert!(!text.contains(giveaway), "{what} shows {giveaway}: {text}");
        }
    }
    // Its provider's failure is withheld whole, live too: its address and wording tell it.
    let withheld = arena::conceal::PROVIDER_FAILURE_WITHHELD;
    let shown = api
        .get(&format!("/api/runs/{}?voter=watcher", down.id))
        .await;
    assert_eq!(shown["failure"], withheld);
    assert!(
        shown["logs"]["error"].as_str().unwrap().contains(withheld),
        "{shown}"
    );
    let events = &seen.last().unwrap().1;
    assert!(events.contains(withheld), "{events}");
    let record = api
        .get(&format!("/api/runs/{}?voter=watcher", run_ids(&battle)[0]))
        .await;
    assert_eq!(record["cost_usd"], 0.0);
    assert_eq!(record["usage"]["output_tokens"], 0);
    let board = api.get("/api/leaderboard").await;
    assert_eq!(
        board["scores"],
        json!([]),
        "scores of an anonymous battle before its vote"
    );

    // The vote reveals all of it to this voter, and the scores join the board.
    let bravo_run = battle["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|run| run["id"].as_str().unwrap().to_owned())
        .find(|run| arena.run(run).unwrap().contestant.id == "bravo")
        .unwrap();
    let (status, voted) = api
        .post(
            &format!("/api/sessions/{id}/votes"),
            json!({ "voter": " watcher ", "kind": "best", "best": bravo_run }),
        )
        .await;
    assert_eq!(status, 201, "{voted}");
    assert_eq!(
        voted["session"]["names_hidden"], false,
        "the voter id is trimmed once"
    );
    let after = api
        .get(&format!("/api/sessions/{id}?voter=watcher"))
        .await
        .to_string();
    assert!(after.contains("openai-compatible") && after.contains("Down model"));
    let events = read_events(
        &api,
        &format!("/api/sessions/{id}/events?voter=watcher"),
        1500,
    )
    .await;
    assert!(events.contains("openai-compatible"), "{events}");
    // The scores join the board, but not the run that failed through its provider.
    let board = api.get("/api/leaderboard").await;
    let scored: Vec<&str> = board["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["contestant"].as_str().unwrap())
        .collect();
    assert_eq!(scored, ["bravo"]);

    // "Best of three" is two outcomes, not a third tie between the others; and a plain
    // battle's votes are shown to a browser only once it has voted itself.
    let three = api
        .battle(json!({ "prompt": "A page for a rope maker", "contestants": ["alpha", "bravo", "down"] }))
        .await;
    let three_id = three["id"].as_str().unwrap().to_owned();
    let battle = api.finished(&three_id, "watcher").await;
    let best = battle["runs"][0]["id"].as_str().unwrap().to_owned();
    let (status, _) = api
        .post(
            &format!("/api/sessions/{three_id}/votes"),
            json!({ "voter": "first", "kind": "best", "best": best }),
        )
        .await;
    assert_eq!(status, 201);
    let outcomes = arena
        .store()
        .outcomes_after(&arena::store::BoardFilter::default(), 0)
        .unwrap();
    // Counted votes only: the outage battle's were excluded (a provider failed).
    assert!(outcomes.is_empty(), "{outcomes:?}");
    let votes = arena.store().votes_of(&three_id).unwrap();
    assert_eq!(votes[0].ranking.len(), 2);
    let pairs: u32 = {
        let db = rusqlite::Connection::open(dir.path().join("data/arena.db")).unwrap();
        db.query_row(
            "SELECT COUNT(*) FROM outcomes WHERE vote = ?1 AND score = 0.5",
            [votes[0].id],
            |row| row.get(0),
        )
        .unwrap()
    };
    assert_eq!(
        pairs, 0,
        "no invented ties between the two that were not picked"
    );
    let unseen = api
        .get(&format!("/api/sessions/{three_id}?voter=second"))
        .await;
    assert_eq!(unseen["votes"], json!([]));
    let seen = api
        .get(&format!("/api/sessions/{three_id}?voter=first"))
        .await;
    assert_eq!(seen["votes"].as_array().unwrap().len(), 1);
}
