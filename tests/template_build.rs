//! The baseline builds: a site from the offline template, written by the real plugin
//! chain, passes a plain `npm install` and `next build` on this machine (no Docker), and
//! the prerendered page carries the title the prompt asked for.

mod common;

use std::process::Command;

use arena::generate;
use arena::plugin::PluginSet;

#[tokio::test]
async fn a_template_site_installs_and_builds_with_next() {
    let plugins = PluginSet::load(&common::engine(), &[]).await;
    let pipeline = common::default_pipeline();
    let contestant = common::contestant("bold", "template", "bold");
    let prompt =
        "Build a pricing page for a SaaS product with three tiers and a monthly/yearly toggle";
    let run = generate::generate(&plugins, &pipeline, &contestant, prompt, common::sink()).await;
    assert!(run.failure.is_none(), "{:?}", run.failure);

    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    generate::write_project(&project, &run.files, &pipeline.files).unwrap();

    let npm = |args: &[&str]| {
        let output = Command::new("npm")
            .args(args)
            .current_dir(&project)
            .output()
            .expect("npm");
        assert!(
            output.status.success(),
            "npm {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    };
    npm(&["install", "--no-audit", "--no-fund"]);
    let build = Command::new("node_modules/.bin/next")
        .arg("build")
        .current_dir(&project)
        .env("NEXT_TELEMETRY_DISABLED", "1")
        .output()
        .expect("next build");
    let log = String::from_utf8_lossy(&build.stdout).into_owned()
        + &String::from_utf8_lossy(&build.stderr);
    assert!(build.status.success(), "next build failed:\n{log}");

    let html = std::fs::read_to_string(project.join(".next/server/app/index.html"))
        .expect("the home page is prerendered");
    let title = html
        .split("<title>")
        .nth(1)
        .and_then(|rest| rest.split("</title>").next());
    let title = title.expect("a <title>");
    assert!(!title.trim().is_empty());
    // The prompt asks for a pricing page, and the title says so.
    assert!(title.to_lowercase().contains("pricing"), "{title}");
}
