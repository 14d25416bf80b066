//! The shared real cases (tests/fixtures/cases, from public bug reports) through the whole
//! arena: each recorded reply is replayed, checked, installed, built, started, health-
//! checked and captured, and ends the way its expect.md says.
//!
//! Policies these cases pin down, the same for every contestant:
//! - lint errors fail `next build` (case 10): the arena builds with next's defaults;
//! - the build network reaches the npm registry and nothing the machine cannot reach, so a
//!   `next/font/google` download fails the build (case 14a);
//! - the arena never runs the reply's scripts: a dev-only package.json gets its scripts by
//!   a recorded edit and `next start` gets the arena's port (cases 08a, 17).

mod common;

use std::time::Duration;

use arena::arena::{Arena, ArenaConfig};
use arena::run::{RunRecord, Status};

/// (contestant id, reply under tests/fixtures/cases)
const FIRST: &[(&str, &str)] = &[
    ("fence-zoo", "01-fence-zoo/reply.md"),
    ("path-traversal", "04-path-traversal/reply.md"),
    ("hallucinated-package", "07-hallucinated-package/reply.md"),
    (
        "dev-script-only",
        "08-missing-build-script/reply-a-dev-only.md",
    ),
    ("eslint-apostrophe", "10-eslint-apostrophe/reply.md"),
    ("tailwind-v4", "12-tailwind-v4-with-v3-config/reply.md"),
];
const SECOND: &[(&str, &str)] = &[
    ("next-config-ts", "13-next-config-ts-on-next14/reply.md"),
    (
        "next-font-google",
        "14-google-font-build-network/reply-a-next-font.md",
    ),
    (
        "font-link-tag",
        "14-google-font-build-network/reply-b-link-tag.md",
    ),
    ("start-port-3000", "17-healthcheck-localhost-ipv6/reply.md"),
    ("remote-images", "18-remote-images-offline/reply.md"),
];

fn contestants_file(dir: &std::path::Path) -> std::path::PathBuf {
    let mut text = String::new();
    for (id, reply) in FIRST.iter().chain(SECOND) {
        let path = common::fixtures().join("cases").join(reply);
        text.push_str(&format!(
            "[[contestants]]\nid = {id:?}\nname = {id:?}\nprovider = \"replay\"\n\
             model = \"recorded\"\nreplay = {path:?}\nparams = {{ chunk-delay-ms = 0 }}\n\n"
        ));
    }
    let file = dir.join("contestants.toml");
    std::fs::write(&file, text).unwrap();
    file
}

async fn battle(arena: &Arena, ids: &[(&str, &str)]) -> Vec<RunRecord> {
    let ids: Vec<String> = ids.iter().map(|(id, _)| id.to_string()).collect();
    let session = arena
        .start_session("Replay of a real case", &ids, "nextjs")
        .unwrap();
    tokio::time::timeout(Duration::from_secs(2400), arena.wait(&session))
        .await
        .expect("the battle finishes");
    arena.runs_of(&session)
}

fn find<'a>(runs: &'a [RunRecord], id: &str) -> &'a RunRecord {
    runs.iter().find(|run| run.contestant.id == id).unwrap()
}

fn assert_ready(run: &RunRecord) {
    assert_eq!(
        run.status,
        Status::Ready,
        "{}: {:?} at {:?}",
        run.contestant.id,
        run.failure,
        run.failed_stage
    );
    assert_eq!(run.screenshots.len(), 2, "{}", run.contestant.id);
}

fn assert_failed(run: &RunRecord, stage: Status, log: &str, needle: &str) {
    let id = &run.contestant.id;
    assert_eq!(run.status, Status::Failed, "{id} did not fail");
    assert_eq!(run.failed_stage, Some(stage), "{id}: {:?}", run.failure);
    let text = run.logs.get(log).map(String::as_str).unwrap_or_default();
    let reason = run.failure.as_deref().unwrap_or_default();
    assert!(
        text.contains(needle) || reason.contains(needle),
        "{id}: {needle:?} not in\n{reason}\n{text}"
    );
}

async fn page(run: &RunRecord) -> String {
    let url = run.internal_url.as_deref().unwrap();
    reqwest::get(url).await.unwrap().text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_build_and_run_case_ends_as_its_report_expects() {
    let dir = tempfile::tempdir().unwrap();
    let config = ArenaConfig {
        data_dir: dir.path().join("data"),
        contestants_file: Some(contestants_file(dir.path())),
        ..ArenaConfig::default()
    };
    let arena = Arena::start(config)
        .await
        .expect("arena starts (is Docker running?)");

    let runs = battle(&arena, FIRST).await;
    let zoo = find(&runs, "fence-zoo");
    assert_ready(zoo);
    assert!(page(zoo).await.contains("Acme Notes: write things down."));

    let paths = find(&runs, "path-traversal");
    assert_ready(paths);
    assert!(page(paths).await.contains("Paths case"));
    let rejected = paths
        .diagnostics
        .iter()
        .filter(|d| d.source == "paths")
        .count();
    assert_eq!(
        rejected, 5,
        "four hostile paths and the .npmrc: {:?}",
        paths.diagnostics
    );
    let install_log = &paths.logs["install"];
    assert!(
        install_log.contains("--registry=https://registry.npmjs.org/"),
        "{install_log}"
    );
    assert!(!install_log.contains("registry.example.invalid"));

    // The invented package is found out before the install, by asking the registry the
    // install would use: the run fails at validating, naming it, and nothing is installed.
    let missing = find(&runs, "hallucinated-package");
    assert_failed(
        missing,
        Status::Validating,
        "error",
        "package `@acme-arena-fixture/react-glow-cards` does not exist",
    );
    assert!(
        !missing.logs.contains_key("install"),
        "{:?}",
        missing.logs.keys()
    );
    assert!(missing.screenshots.is_empty());

    let dev_only = find(&runs, "dev-script-only");
    assert_ready(dev_only);
    assert!(
        dev_only
            .edits
            .iter()
            .any(|edit| edit.validator == "package-json")
    );
    assert!(page(dev_only).await.contains("Dev script only"));

    assert_failed(
        find(&runs, "eslint-apostrophe"),
        Status::Building,
        "build",
        "no-unescaped-entities",
    );
    assert_failed(
        find(&runs, "tailwind-v4"),
        Status::Building,
        "build",
        "@tailwindcss/postcss",
    );
    arena.stop_all("next battle").await;

    let runs = battle(&arena, SECOND).await;
    assert_failed(
        find(&runs, "next-config-ts"),
        Status::Building,
        "build",
        "next.config.ts",
    );
    // next/font/google would download Inter while building, which the registry-only build
    // network refuses: the offline-build validator points it at local font stacks instead,
    // says so, and the site builds and serves.
    let font = find(&runs, "next-font-google");
    assert_ready(font);
    let rewrites: Vec<&str> = font
        .edits
        .iter()
        .filter(|edit| edit.validator == "offline-build")
        .map(|edit| match &edit.edit {
            arena::plugin::Edit::Write { path, .. } => path.as_str(),
            arena::plugin::Edit::Delete { path } => panic!("deleted {path}"),
        })
        .collect();
    assert_eq!(
        rewrites,
        [
            "app/layout.js",
            "arena-fonts/google.js",
            "arena-fonts/google.module.css"
        ]
    );
    assert!(
        font.diagnostics
            .iter()
            .any(|d| d.message.contains("next/font/google would download Inter")),
        "{:?}",
        font.diagnostics
    );
    // Its download holds the project as built, the reply as the model wrote it, and marks
    // the three files the validator wrote.
    let zip = arena::export::project_zip(font, "font").unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut text).unwrap();
        text
    };
    let layout = read("font/project/app/layout.js");
    assert!(layout.contains("arena-fonts/google") && !layout.contains("next/font/google"));
    assert!(read("font/reply.md").contains("next/font/google"));
    let edits = read("font/EDITS.md");
    for path in rewrites {
        assert!(
            edits.contains(&format!("- `{path}`: written by `offline-build`")),
            "{edits}"
        );
    }
    assert!(page(font).await.contains("The quick brown fox"));

    let link = find(&runs, "font-link-tag");
    assert_ready(link);
    let failed: Vec<&String> = link
        .screenshots
        .iter()
        .flat_map(|s| &s.failed_requests)
        .collect();
    assert!(
        failed.iter().any(|r| r.contains("fonts.googleapis.com")),
        "{failed:?}"
    );

    let port = find(&runs, "start-port-3000");
    assert_ready(port);
    assert!(page(port).await.contains("Health check case"));
    assert_ne!(
        port.port,
        Some(3000),
        "the arena's port, not the reply's -p 3000"
    );

    let images = find(&runs, "remote-images");
    assert_ready(images);
    arena.stop_all("test over").await;
}
