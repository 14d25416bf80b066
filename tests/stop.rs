//! Stopping a run halfway through a container stage removes that stage's container, also
//! one the run has not been handed yet (a site whose health is still awaited): a stopped
//! run holds no memory, no CPU and no port.

use std::time::{Duration, Instant};

use arena::arena::{Arena, ArenaConfig, BattleRequest};
use arena::run::Status;

mod common;

/// The containers that exist now for one run, in any state.
async fn containers_of(docker: &bollard::Docker, run: &str) -> Vec<String> {
    let label = format!("{}={run}", arena::docker::LABEL_RUN);
    let containers = common::containers_labelled(docker, &label).await;
    containers.into_iter().map(|(id, _)| id).collect()
}

/// A pipeline like the bundled one whose site never answers: no build, and a start that
/// only sleeps, so a run waits in *starting* for its health.
fn never_healthy_pipelines(dir: &std::path::Path) -> std::path::PathBuf {
    let bundled = concat!(env!("CARGO_MANIFEST_DIR"), "/pipelines");
    let folder = dir.join("pipelines");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::copy(
        format!("{bundled}/nextjs.system.md"),
        folder.join("nextjs.system.md"),
    )
    .unwrap();
    let toml = std::fs::read_to_string(format!("{bundled}/nextjs.toml")).unwrap();
    let toml = toml.replacen(
        "[build]\n",
        "[build]\nbuild = [\"true\"]\nstart = [\"sleep\", \"600\"]\n",
        1,
    );
    assert!(
        toml.contains("start = [\"sleep\""),
        "the pipeline has a [build] table"
    );
    std::fs::write(folder.join("nextjs.toml"), toml).unwrap();
    folder
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_stopped_while_its_site_starts_leaves_no_container() {
    let dir = tempfile::tempdir().unwrap();
    let arena = Arena::start(ArenaConfig {
        data_dir: dir.path().join("data"),
        pipelines_dir: Some(never_healthy_pipelines(dir.path())),
        watch: false,
        ..ArenaConfig::default()
    })
    .await
    .expect("arena starts (is Docker running?)");
    let docker = bollard::Docker::connect_with_defaults()
        .unwrap()
        .negotiate_version()
        .await
        .unwrap();
    let session = arena
        .start_battle(BattleRequest {
            prompt: "A page for a paper mill".into(),
            contestants: vec!["template-studio".into()],
            pipeline: "nextjs".into(),
            category: None,
            anonymous: false,
        })
        .unwrap();
    let run = session.run_ids[0].clone();

    // Wait for the site's container to have started (the record names it), then stop the
    // run while its health is awaited.
    let started = Instant::now();
    loop {
        let record = arena.run(&run).unwrap();
        let status = record.status;
        if status == Status::Starting && record.container_id.is_some() {
            break;
        }
        assert!(
            !status.is_final() && started.elapsed() < Duration::from_secs(300),
            "the run never had a site container: {:?}",
            arena.run(&run).unwrap()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(arena.stop(&run, "stopped by the test").await);

    let record = arena.run(&run).unwrap();
    assert_eq!(record.status, Status::Terminated);
    assert_eq!(record.failed_stage, Some(Status::Starting));
    let left = containers_of(&docker, &run).await;
    assert!(
        left.is_empty(),
        "the stopped run's containers remain: {left:?}"
    );
    arena.shut_down("test over").await;
}
