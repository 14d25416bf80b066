//! The plugin half of a run on real replies: each shared case goes through the replay
//! provider, extraction, the path checks and the bundled validators, exactly as a run
//! does; and the offline template passes every validator for every arena prompt.

mod common;

use std::path::PathBuf;

use arena::generate::{self, Generated, Stage};
use arena::plugin::{Edit, PluginSet, Severity};

fn case(path: &str) -> PathBuf {
    common::fixtures().join("cases").join(path)
}

async fn replay(plugins: &PluginSet, reply: &str) -> Generated {
    let contestant = common::replay(&case(reply));
    generate::generate(
        plugins,
        &common::default_pipeline(),
        &contestant,
        "a prompt",
        common::sink(),
    )
    .await
}

fn failure(run: &Generated) -> (Stage, &str) {
    let failure = run
        .failure
        .as_ref()
        .unwrap_or_else(|| panic!("run did not fail: {run:#?}"));
    (failure.stage, failure.reason.as_str())
}

fn paths(run: &Generated) -> Vec<&str> {
    run.files.iter().map(|file| file.path.as_str()).collect()
}

#[tokio::test]
async fn a_reply_with_every_labelling_style_becomes_five_files() {
    let plugins = PluginSet::load(&common::engine(), &[]).await;
    let run = replay(&plugins, "01-fence-zoo/reply.md").await;
    assert!(run.failure.is_none(), "{:?}", run.failure);
    assert_eq!(
        paths(&run),
        [
            "README.md",
            "app/layout.js",
            "app/page.js",
            "components/Hero.js",
            "package.json"
        ]
    );
    let readme = &run.files[0].contents;
    assert!(
        readme.contains("```bash") && readme.ends_with("Then open http://localhost:3000."),
        "{readme}"
    );
}

#[tokio::test]
async fn a_truncated_reply_fails_at_validation_naming_the_cut_file() {
    let plugins = PluginSet::load(&common::engine(), &[]).await;
    let mut contestant = common::replay(&case("02-truncated-reply/reply.md"));
    contestant.params.insert(
        "finish".into(),
        arena::pipeline::SettingValue::Text("length".into()),
    );
    let pipeline = common::default_pipeline();
    let run = generate::generate(&plugins, &pipeline, &contestant, "p", common::sink()).await;

    let (stage, reason) = failure(&run);
    assert_eq!(stage, Stage::Validating);
    assert!(reason.starts_with("model output truncated"), "{reason}");
    assert!(
        reason.contains("components/Features.js") && reason.contains("length"),
        "{reason}"
    );
    assert!(
        run.files.is_empty(),
        "no project is kept for a truncated reply"
    );
}

#[tokio::test]
async fn hostile_paths_are_rejected_by_name_and_the_rest_is_kept() {
    let plugins = PluginSet::load(&common::engine(), &[]).await;
    let run = replay(&plugins, "04-path-traversal/reply.md").await;
    assert!(run.failure.is_none(), "{:?}", run.failure);
    assert_eq!(
        paths(&run),
        ["app/layout.js", "app/page.js", "package.json"]
    );

    let rejected: Vec<&str> = run
        .diagnostics
        .iter()
        .filter(|d| d.source == "paths")
        .filter_map(|d| d.path.as_deref())
        .collect();
    for hostile in [
        "../outside.txt",
        "/tmp/arena-abs-path-test.txt",
        "app/../../escape.js",
        "app\\..\\..\\win-escape.js",
        ".npmrc",
    ] {
        assert!(
            rejected.contains(&hostile),
            "{hostile} not reported in {rejected:?}"
        );
    }

    let out = tempfile::tempdir().unwrap();
    let project = out.path().join("run").join("project");
    generate::write_project(&project, &run.files, &common::default_pipeline().files).unwrap();
    for leaked in [
        out.path().join("run/outside.txt"),
        out.path().join("escape.js"),
    ] {
        assert!(!leaked.exists(), "{} was written", leaked.display());
    }
    assert!(!std::path::Path::new("/tmp/arena-abs-path-test.txt").exists());
}

#[tokio::test]
async fn a_dev_only_package_json_gets_its_scripts_from_a_recorded_edit() {
    let plugins = PluginSet::load(&common::engine(), &[]).await;
    let run = replay(&plugins, "08-missing-build-script/reply-a-dev-only.md").await;
    assert!(run.failure.is_none(), "{:?}", run.failure);

    let edit = run
        .edits
        .iter()
        .find(|edit| edit.validator == "package-json")
        .expect("an edit");
    let Edit::Write { path, contents } = &edit.edit else {
        panic!("{edit:?}")
    };
    assert_eq!(path, "package.json");
    let package: serde_json::Value = serde_json::from_str(contents).unwrap();
    assert_eq!(package["scripts"]["build"], "next build");
    assert_eq!(package["scripts"]["start"], "next start");
    assert_eq!(
        package["scripts"]["dev"], "next dev",
        "the model's own script is kept"
    );
    let final_package = run
        .files
        .iter()
        .find(|file| file.path == "package.json")
        .unwrap();
    assert_eq!(
        &final_package.contents, contents,
        "the edit is applied to the project"
    );
}

#[tokio::test]
async fn a_reply_without_package_json_or_layout_fails_validation() {
    let plugins = PluginSet::load(&common::engine(), &[]).await;
    let run = replay(
        &plugins,
        "08-missing-build-script/reply-b-no-package-json.md",
    )
    .await;
    let (stage, reason) = failure(&run);
    assert_eq!(stage, Stage::Validating);
    assert!(reason.contains("no package.json in reply"), "{reason}");
    let errors: Vec<_> = run
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(
        errors.iter().any(|d| d.source == "nextjs-structure"),
        "{errors:?}"
    );
}

#[tokio::test]
async fn a_reply_with_no_files_fails_quoting_its_start() {
    let dir = tempfile::tempdir().unwrap();
    let reply = dir.path().join("prose.md");
    std::fs::write(&reply, "I am sorry, but I cannot build websites today.").unwrap();
    let plugins = PluginSet::load(&common::engine(), &[]).await;
    let contestant = common::replay(&reply);
    let run = generate::generate(
        &plugins,
        &common::default_pipeline(),
        &contestant,
        "p",
        common::sink(),
    )
    .await;
    let (stage, reason) = failure(&run);
    assert_eq!(stage, Stage::Validating);
    assert!(
        reason.contains("I am sorry, but I cannot build websites today."),
        "{reason}"
    );
}

#[tokio::test]
async fn every_parsing_case_goes_through_the_chain_without_crashing() {
    let plugins = PluginSet::load(&common::engine(), &[]).await;
    // (reply, files expected after the path checks and validator edits)
    let cases = [
        ("07-hallucinated-package/reply.md", 3),
        ("10-eslint-apostrophe/reply.md", 4),
        ("12-tailwind-v4-with-v3-config/reply.md", 6),
        ("13-next-config-ts-on-next14/reply.md", 4),
        // + arena-fonts/google.js and its CSS Module, offline-build's stand-in for
        // next/font/google
        ("14-google-font-build-network/reply-a-next-font.md", 5),
        ("14-google-font-build-network/reply-b-link-tag.md", 3),
        ("17-healthcheck-localhost-ipv6/reply.md", 3),
        ("18-remote-images-offline/reply.md", 4),
    ];
    for (reply, files) in cases {
        let run = replay(&plugins, reply).await;
        assert!(run.failure.is_none(), "{reply}: {:?}", run.failure);
        assert_eq!(run.files.len(), files, "{reply}: {:?}", paths(&run));
    }
}

#[tokio::test]
async fn a_trapping_contestant_fails_alone_while_the_template_beside_it_passes() {
    let engine = common::engine();
    let plugins = common::plugins_with_test_ones(&engine).await;
    let pipeline = common::default_pipeline();
    let hostile = common::contestant("hostile", "hostile", "trap");
    let template = common::contestant("studio", "template", "studio");
    let prompt = "Build a landing page for a coffee shop";

    let (bad, good) = tokio::join!(
        generate::generate(&plugins, &pipeline, &hostile, prompt, common::sink()),
        generate::generate(&plugins, &pipeline, &template, prompt, common::sink()),
    );
    let (stage, reason) = failure(&bad);
    assert_eq!(stage, Stage::Generating);
    assert!(reason.starts_with("plugin `hostile` trapped"), "{reason}");
    assert!(good.failure.is_none(), "{:?}", good.failure);
}

#[tokio::test]
async fn the_template_passes_every_validator_for_every_arena_prompt() {
    let plugins = PluginSet::load(&common::engine(), &[]).await;
    let pipeline = common::default_pipeline();
    let prompts = std::fs::read_to_string(common::fixtures().join("arena-prompts.txt")).unwrap();
    let prompts: Vec<&str> = prompts
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    assert_eq!(prompts.len(), 12);
    let models: Vec<String> = plugins.providers["template"]
        .info
        .models
        .iter()
        .map(|m| m.id.clone())
        .collect();

    let mut titles = std::collections::HashSet::new();
    for prompt in &prompts {
        for model in &models {
            let contestant = common::contestant(model, "template", model);
            let run =
                generate::generate(&plugins, &pipeline, &contestant, prompt, common::sink()).await;
            assert!(
                run.failure.is_none(),
                "{prompt} / {model}: {:?}",
                run.failure
            );
            let blocking: Vec<_> = run
                .diagnostics
                .iter()
                .filter(|d| d.severity != Severity::Info)
                .collect();
            assert!(blocking.is_empty(), "{prompt} / {model}: {blocking:?}");
            assert!(
                run.edits.is_empty(),
                "{prompt} / {model} needed fixing: {:?}",
                run.edits
            );
            assert!(
                run.files.iter().any(|f| f.path == "app/layout.tsx"),
                "{prompt}: no layout"
            );
            let site: Vec<&str> = run.files.iter().map(|f| f.contents.as_str()).collect();
            titles.insert(site.concat());
        }
    }
    // Every prompt and style makes a different site.
    assert_eq!(
        titles.len(),
        prompts.len() * models.len(),
        "some sites are identical"
    );
}

#[tokio::test]
async fn code_that_reads_secrets_and_spawns_processes_is_refused_before_install() {
    let plugins = PluginSet::load(&common::engine(), &[]).await;
    // Not a shared case: written for this check, in tests/fixtures/replies.
    let contestant = common::replay(&common::fixtures().join("replies/reads-secrets.md"));
    let run = generate::generate(
        &plugins,
        &common::default_pipeline(),
        &contestant,
        "a status page",
        common::sink(),
    )
    .await;
    let (stage, reason) = failure(&run);
    assert_eq!(stage, Stage::Validating);
    assert!(
        reason.contains("spawns processes (child_process)"),
        "{reason}"
    );
    let refused: Vec<(Option<u32>, &str)> = run
        .diagnostics
        .iter()
        .filter(|d| d.source == "code-safety" && d.severity == Severity::Error)
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    let lines: Vec<Option<u32>> = refused.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [Some(1), Some(7), Some(7)], "{refused:#?}");
    assert!(refused[0].1.contains("spawns processes"));
    assert!(refused[1].1.contains("process.env.OPENAI_API_KEY"));
    assert!(refused[2].1.contains("reads the whole environment"));
    // The server-side fetch is offline-build's warning, beside the refusal.
    assert!(run.diagnostics.iter().any(|d| d.source == "offline-build"
        && d.severity == Severity::Warning
        && d.message.contains("https://collector.example/report")));
}
