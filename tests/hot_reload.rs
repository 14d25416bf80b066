//! Hot reload on the real arena: plugins dropped into a watched folder, pipelines and the
//! contestants file edited the way editors save them (a temporary file renamed over the
//! old one), broken saves, bursts of writes, removals, a replaced folder, and a run that
//! keeps the plugins it started with while they change under it.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use arena::arena::{Arena, ArenaConfig};
use arena::plugin::BUILT_PLUGIN_DIR;
use arena::run::Status;

fn built(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(BUILT_PLUGIN_DIR).join(format!("{name}.wasm"))).unwrap()
}

/// Writes `bytes` as an editor saves: into a temporary file beside it, then renamed over.
fn save(path: &Path, bytes: &[u8]) {
    let temporary = path.with_extension("swp");
    std::fs::write(&temporary, bytes).unwrap();
    std::fs::rename(&temporary, path).unwrap();
}

struct Folders {
    _root: tempfile::TempDir,
    data: PathBuf,
    plugins: PathBuf,
    pipelines: PathBuf,
    contestants: PathBuf,
}

const CONTESTANTS: &str = r#"
[[contestants]]
id = "studio"
name = "Template studio"
provider = "template"
model = "studio"
default = true

[[contestants]]
id = "hello"
name = "The example provider"
provider = "example-provider"
model = "hello"
"#;

/// The bundled pipeline, plus the example scorer in its scorer chain.
fn folders() -> Folders {
    let root = tempfile::tempdir().unwrap();
    let plugins = root.path().join("plugins");
    let pipelines = root.path().join("pipelines");
    std::fs::create_dir_all(&plugins).unwrap();
    std::fs::create_dir_all(&pipelines).unwrap();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("pipelines");
    for file in ["nextjs.toml", "nextjs.system.md"] {
        std::fs::copy(bundled.join(file), pipelines.join(file)).unwrap();
    }
    let mut pipeline = std::fs::read_to_string(pipelines.join("nextjs.toml")).unwrap();
    pipeline.push_str("\n[[scorers]]\nplugin = \"example-scorer\"\n");
    std::fs::write(pipelines.join("nextjs.toml"), pipeline).unwrap();
    let contestants = root.path().join("contestants.toml");
    std::fs::write(&contestants, CONTESTANTS).unwrap();
    Folders {
        data: root.path().join("data"),
        _root: root,
        plugins,
        pipelines,
        contestants,
    }
}

async fn start(folders: &Folders) -> Arena {
    let config = ArenaConfig {
        data_dir: folders.data.clone(),
        plugin_dirs: vec![folders.plugins.clone()],
        pipelines_dir: Some(folders.pipelines.clone()),
        contestants_file: Some(folders.contestants.clone()),
        ..ArenaConfig::default()
    };
    Arena::start(config)
        .await
        .expect("arena starts (is Docker running?)")
}

/// Waits until `check` holds of the arena's catalog, or fails naming `what`.
async fn until(arena: &Arena, what: &str, check: impl Fn(&arena::catalog::Catalog) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !check(&arena.catalog()) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn availability(arena: &Arena, id: &str) -> Option<String> {
    let catalog = arena.catalog();
    let contestant = catalog.contestants.iter().find(|c| c.id == id).unwrap();
    contestant.unavailable_reason(&catalog.plugins)
}

/// Waits a good while longer than the watcher's quiet period, for reloads that must not
/// come.
async fn settle() {
    tokio::time::sleep(arena::catalog::QUIET_PERIOD * 4).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saved_plugins_pipelines_and_contestants_go_live_and_broken_saves_keep_the_last_good() {
    let folders = folders();
    let arena = start(&folders).await;
    assert_eq!(arena.catalog().version, 0);
    assert_eq!(
        availability(&arena, "hello").as_deref(),
        Some("provider plugin `example-provider` is not loaded")
    );

    // A new plugin, saved by rename: one reload, and its contestant is selectable.
    let provider = folders.plugins.join("example-provider.wasm");
    save(&provider, &built("example-provider"));
    until(&arena, "the dropped provider", |c| {
        c.plugins.providers.contains_key("example-provider")
    })
    .await;
    settle().await;
    assert_eq!(arena.catalog().version, 1, "one save, one reload");
    assert_eq!(availability(&arena, "hello"), None);
    let good_hash = arena.catalog().plugins.providers["example-provider"]
        .meta
        .content_hash
        .clone();

    // A broken copy over it: reported, and the version loaded before keeps serving.
    std::fs::write(&provider, b"half a component").unwrap();
    until(&arena, "the broken copy's reload", |c| c.version == 2).await;
    let catalog = arena.catalog();
    let error = catalog
        .plugins
        .errors
        .iter()
        .find(|e| e.origin == arena::plugin::PluginSource::File(provider.clone()))
        .expect("the broken file is reported");
    assert!(
        error
            .message
            .contains("the version of `example-provider` loaded before keeps serving"),
        "{}",
        error.message
    );
    assert_eq!(
        catalog.plugins.providers["example-provider"]
            .meta
            .content_hash,
        good_hash
    );
    assert_eq!(availability(&arena, "hello"), None);

    // A burst of saves to a pipeline: one reload, of the last one.
    let pipeline = folders.pipelines.join("nextjs.toml");
    let original = std::fs::read_to_string(&pipeline).unwrap();
    for round in 0..10 {
        let edited = original.replace(
            "display_name = \"Next.js site\"",
            &format!("display_name = \"Burst {round}\""),
        );
        save(&pipeline, edited.as_bytes());
    }
    until(&arena, "the burst's reload", |c| {
        c.pipelines.pipelines["nextjs"].display_name == "Burst 9"
    })
    .await;
    settle().await;
    assert_eq!(
        arena.catalog().version,
        3,
        "ten saves in a burst, one reload"
    );

    // Saving the same bytes again changes nothing.
    save(&pipeline, std::fs::read(&pipeline).unwrap().as_slice());
    settle().await;
    assert_eq!(arena.catalog().version, 3, "no change, no reload");

    // A typo in the pipeline: reported, the last good version serves.
    save(&pipeline, original.replace("[build]", "[biuld]").as_bytes());
    until(&arena, "the broken pipeline's reload", |c| c.version == 4).await;
    let catalog = arena.catalog();
    assert_eq!(
        catalog.pipelines.pipelines["nextjs"].display_name,
        "Burst 9"
    );
    assert!(
        catalog
            .pipelines
            .errors
            .iter()
            .any(|e| e.to_string().contains("biuld")),
        "{:?}",
        catalog.pipelines.errors
    );

    // A broken contestants file: the list read before serves, and says why.
    save(&folders.contestants, b"[[contestants]]\nid = \"x\"\n");
    until(&arena, "the broken contestants reload", |c| c.version == 5).await;
    let catalog = arena.catalog();
    assert_eq!(catalog.contestants.len(), 2);
    let why = catalog.contestants_error.as_deref().unwrap();
    assert!(why.contains("missing field `name`"), "{why}");
    assert!(why.contains("the list read before keeps serving"), "{why}");

    // A new contestant, then the plugin removed: its contestants become unavailable.
    let more = format!(
        "{CONTESTANTS}\n[[contestants]]\nid = \"hello-again\"\nname = \"Again\"\n\
         provider = \"example-provider\"\nmodel = \"hello\"\n"
    );
    save(&folders.contestants, more.as_bytes());
    until(&arena, "the third contestant", |c| c.contestants.len() == 3).await;
    assert!(arena.catalog().contestants_error.is_none());
    std::fs::remove_file(&provider).unwrap();
    until(&arena, "the removal", |c| {
        !c.plugins.providers.contains_key("example-provider")
    })
    .await;
    for id in ["hello", "hello-again"] {
        assert_eq!(
            availability(&arena, id).as_deref(),
            Some("provider plugin `example-provider` is not loaded")
        );
    }

    // The whole folder replaced (its inode gone, so no event reaches the old watch): the
    // periodic rescan finds the new one.
    std::fs::remove_dir_all(&folders.plugins).unwrap();
    std::fs::create_dir_all(&folders.plugins).unwrap();
    save(&provider, &built("example-provider"));
    until(&arena, "the plugin in the replaced folder", |c| {
        c.plugins.providers.contains_key("example-provider")
    })
    .await;

    // A second file with the same id, sorting first: the file serving keeps the id, and
    // the newcomer is the one refused.
    let newcomer = folders.plugins.join("aaa-copy.wasm");
    let before = arena.catalog().version;
    save(&newcomer, &built("example-provider"));
    until(&arena, "the newcomer's reload", |c| c.version > before).await;
    let catalog = arena.catalog();
    assert_eq!(
        catalog.plugins.providers["example-provider"].meta.source,
        arena::plugin::PluginSource::File(provider.clone())
    );
    let refused = catalog
        .plugins
        .errors
        .iter()
        .find(|e| e.origin == arena::plugin::PluginSource::File(newcomer.clone()))
        .expect("the newcomer is refused");
    assert!(
        refused.message.contains("which was serving it"),
        "{}",
        refused.message
    );
    arena.stop_all("test over").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_keeps_the_plugins_it_started_with_while_they_change() {
    let folders = folders();
    save(
        &folders.plugins.join("example-scorer.wasm"),
        &built("example-scorer"),
    );
    let arena = start(&folders).await;
    assert!(
        arena
            .catalog()
            .plugins
            .scorers
            .contains_key("example-scorer")
    );

    let session = arena
        .start_session("A page for a bakery", &[], "nextjs")
        .unwrap();
    // The scorer goes while the run installs and builds; it scores at the very end.
    std::fs::remove_file(folders.plugins.join("example-scorer.wasm")).unwrap();
    until(&arena, "the scorer's removal", |c| {
        !c.plugins.scorers.contains_key("example-scorer")
    })
    .await;
    tokio::time::timeout(Duration::from_secs(900), arena.wait(&session))
        .await
        .expect("the battle finishes");

    let run = arena.runs_of(&session).remove(0);
    assert_eq!(run.status, Status::Ready, "{:?}", run.failure);
    let by_example: Vec<&str> = run
        .scores
        .iter()
        .filter(|metric| metric.scorer == "example-scorer")
        .map(|metric| metric.name.as_str())
        .collect();
    assert_eq!(by_example, ["files", "lines", "console-errors"]);
    arena.stop_all("test over").await;
}
