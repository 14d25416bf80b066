//! The guest plugins' own unit tests (their checks are plain functions, tested natively),
//! so that the one test command covers them too. They live in the separate `plugins/`
//! workspace, which is built for wasm32-wasip2 otherwise.

use std::path::Path;
use std::process::Command;

#[test]
fn the_plugins_own_unit_tests_pass() {
    let plugins = Path::new(env!("CARGO_MANIFEST_DIR")).join("plugins");
    let mut command = Command::new(env!("CARGO"));
    command
        .args(["test", "--workspace", "--quiet"])
        .current_dir(&plugins)
        // A separate target folder from the wasm build, so neither invalidates the other.
        .env("CARGO_TARGET_DIR", plugins.join("target/native"));
    // The outer cargo's settings describe this crate's build, not the plugins'.
    for (name, _) in std::env::vars() {
        if name.starts_with("CARGO_") && name != "CARGO_HOME" || name.starts_with("RUSTC") {
            command.env_remove(name);
        }
    }
    command.env("CARGO_TARGET_DIR", plugins.join("target/native"));
    let output = command.output().expect("running cargo test in plugins/");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "plugin unit tests failed:\n{stdout}\n{stderr}"
    );

    let passed: usize = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("test result: ok. "))
        .filter_map(|rest| rest.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert!(
        passed >= 50,
        "only {passed} plugin unit tests ran:\n{stdout}"
    );
    eprintln!("{passed} plugin unit tests passed");
}
