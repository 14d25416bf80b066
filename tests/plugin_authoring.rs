//! "Add a model in five minutes", done the way plugins/README.md tells a plugin author: a
//! clean copy of the plugin sources, the example provider copied under a new name, built
//! with `plugins/build`, dropped into the plugin folder of an arena that is already
//! serving, and raced in a battle through the HTTP API until its site is live behind the
//! gateway.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use arena::arena::{Arena, ArenaConfig};

const PROMPT: &str = "A page for the Ferry Street book club";

/// Copies `from` into `to`, leaving out build output.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let name = entry.file_name();
        if name == "target" || name == "dist" {
            continue;
        }
        let (source, target) = (entry.path(), to.join(&name));
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&source, &target);
        } else {
            std::fs::copy(&source, &target).unwrap();
        }
    }
}

/// Replaces `from` with `to` in `file`, failing when the text is not there: the steps
/// below are the README's, and must break when the example drifts from them.
fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", file.display());
    std::fs::write(file, text.replacen(from, to, 1)).unwrap();
}

async fn get_json(url: &str) -> serde_json::Value {
    let text = reqwest::get(url).await.unwrap().text().await.unwrap();
    serde_json::from_str(&text).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_copied_from_the_example_joins_a_running_arena_and_builds_a_site() {
    let root = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let clean = root.path().join("clean");
    copy_tree(&repo.join("plugins"), &clean.join("plugins"));
    copy_tree(&repo.join("wit"), &clean.join("wit"));

    // The author's steps.
    let plugins = clean.join("plugins");
    copy_tree(&plugins.join("example-provider"), &plugins.join("my-model"));
    edit(
        &plugins.join("my-model/Cargo.toml"),
        "name = \"example-provider\"",
        "name = \"my-model\"",
    );
    edit(
        &plugins.join("my-model/src/lib.rs"),
        "id: \"example-provider\".into()",
        "id: \"my-model\".into()",
    );
    edit(
        &plugins.join("Cargo.toml"),
        "    \"example-provider\",\n",
        "    \"example-provider\",\n    \"my-model\",\n",
    );
    let built = root.path().join("built");
    let build = std::process::Command::new("bash")
        .arg(plugins.join("build"))
        .arg(&built)
        .env("PLUGIN_PACKAGES", "-p my-model")
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "plugins/build failed ({}):\n{}",
        build.status,
        String::from_utf8_lossy(&build.stderr)
    );
    let wasm = built.join("my-model.wasm");
    assert!(wasm.exists(), "plugins/build made no my-model.wasm");

    // An arena already serving, with the contestant entry written and its plugin missing.
    let drop_folder = root.path().join("arena-plugins");
    std::fs::create_dir_all(&drop_folder).unwrap();
    let contestants = root.path().join("contestants.toml");
    std::fs::write(
        &contestants,
        "[[contestants]]\nid = \"mine\"\nname = \"My model\"\nprovider = \"my-model\"\n\
         model = \"hello\"\n",
    )
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let arena = Arena::start(ArenaConfig {
        data_dir: root.path().join("data"),
        plugin_dirs: vec![drop_folder.clone()],
        contestants_file: Some(contestants),
        gateway_port: Some(port),
        ..ArenaConfig::default()
    })
    .await
    .expect("arena starts (is Docker running?)");
    let router = arena::server::router(arena.clone(), "preview.localhost");
    tokio::spawn(async move { axum::serve(listener, router).await });
    let api = format!("http://127.0.0.1:{port}/api");
    let listed = get_json(&format!("{api}/contestants")).await;
    assert_eq!(listed[0]["available"], false, "{listed}");

    // Dropped in: the running arena offers it.
    std::fs::copy(&wasm, drop_folder.join("my-model.wasm")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while get_json(&format!("{api}/contestants")).await[0]["available"] != true {
        assert!(
            Instant::now() < deadline,
            "the dropped plugin never became selectable"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // A battle with it, started and followed through the API.
    let body = serde_json::json!({ "prompt": PROMPT, "contestants": ["mine"] });
    let created = reqwest::Client::new()
        .post(format!("{api}/sessions"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let created: serde_json::Value = serde_json::from_str(&created).unwrap();
    let session = created["id"].as_str().unwrap().to_owned();
    let deadline = Instant::now() + Duration::from_secs(900);
    let run = loop {
        let view = get_json(&format!("{api}/sessions/{session}")).await;
        let run = view["runs"][0].clone();
        if matches!(run["status"].as_str(), Some("ready" | "failed")) {
            break run;
        }
        assert!(
            Instant::now() < deadline,
            "the battle never finished: {run}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert_eq!(run["status"], "ready", "{run}");
    assert_eq!(run["contestant"]["provider"], "my-model");

    let host = format!("{}.preview.localhost:{port}", run["id"].as_str().unwrap());
    let page = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/"))
        .header("host", host)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("<h1>{PROMPT}</h1>")), "{page}");
    arena.stop_all("test over").await;
}
