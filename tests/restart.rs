//! Kill the arena mid-battle (SIGKILL: no cleanup runs) and start it again on the same data
//! folder: the new instance removes every container the old one left.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use arena::arena::{Arena, ArenaConfig};
use bollard::query_parameters::ListContainersOptionsBuilder;

/// Instance labels of the arena containers that exist now, for one deployment.
async fn arena_containers(docker: &bollard::Docker, deployment: &str) -> Vec<String> {
    let filters = HashMap::from([("label", vec!["vibe-arena.instance"])]);
    let options = ListContainersOptionsBuilder::new()
        .all(true)
        .filters(&filters)
        .build();
    docker
        .list_containers(Some(options))
        .await
        .unwrap()
        .into_iter()
        .filter_map(|container| container.labels?.get("vibe-arena.instance").cloned())
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

    // Wait until the battle has a container (its install), then kill the arena outright.
    let started = Instant::now();
    let old_instance = loop {
        if let Some(instance) = arena_containers(&docker, &deployment)
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
        arena_containers(&docker, &deployment)
            .await
            .contains(&old_instance),
        "the killed arena's container outlives it (otherwise this test proves nothing)"
    );

    let config = ArenaConfig {
        data_dir: data.clone(),
        ..ArenaConfig::default()
    };
    let restarted = Arena::start(config).await.unwrap();
    let left: Vec<String> = arena_containers(&docker, &deployment)
        .await
        .into_iter()
        .filter(|instance| instance != restarted.instance())
        .collect();
    assert!(
        left.is_empty(),
        "containers of the old instance remain: {left:?}"
    );
}
