//! The pipeline's per-call limits hold for validators and scorers as they do for
//! providers: a validator or scorer that loops, traps or hoards memory costs only the run
//! it was called for, with the plugin's name and the reason, in about its deadline; one
//! that floods the run with diagnostics or metrics is capped.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use arena::arena::{Arena, ArenaConfig};
use arena::generate::{self, Stage};
use arena::pipeline::{Pipeline, PluginStep, SettingValue};
use arena::plugin::{BUILT_PLUGIN_DIR, PluginEngine, PluginSet};
use arena::run::Status;

const DEADLINE: Duration = Duration::from_secs(2);

fn hostile_step(plugin: &str, behaviour: &str) -> PluginStep {
    PluginStep {
        plugin: plugin.into(),
        settings: [("behaviour".to_owned(), SettingValue::Text(behaviour.into()))].into(),
    }
}

/// The default pipeline with a 2 s, 64 MiB limit per call.
fn tight_pipeline() -> Pipeline {
    let mut pipeline = common::default_pipeline();
    pipeline.plugin_limits.deadline = DEADLINE;
    pipeline.plugin_limits.memory_bytes = 64 << 20;
    pipeline
}

async fn plugins_with_hostile_checkers(engine: &PluginEngine) -> PluginSet {
    let mut plugins = PluginSet::load(engine, &[]).await;
    for name in ["hostile-validator", "hostile-scorer"] {
        plugins
            .add_file(
                engine,
                &Path::new(BUILT_PLUGIN_DIR).join(format!("{name}.wasm")),
            )
            .await;
    }
    assert!(plugins.errors.is_empty(), "{:?}", plugins.errors);
    plugins
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_validator_fails_only_the_run_it_checks() {
    let engine = common::engine();
    let plugins = plugins_with_hostile_checkers(&engine).await;
    let template = common::contestant("studio", "template", "studio");

    let expected = [
        (
            "loop",
            "plugin `hostile-validator` ran past its deadline of 2.0s",
        ),
        ("trap", "plugin `hostile-validator` trapped"),
        (
            "memory",
            "plugin `hostile-validator` tried to grow its memory",
        ),
    ];
    let runs = expected.iter().map(|(behaviour, _)| {
        let mut pipeline = tight_pipeline();
        pipeline
            .validators
            .insert(0, hostile_step("hostile-validator", behaviour));
        let (plugins, template) = (&plugins, &template);
        async move {
            let started = Instant::now();
            let run =
                generate::generate(plugins, &pipeline, template, "a bakery", common::sink()).await;
            (run, started.elapsed())
        }
    });
    // The same contestant under the plain pipeline, at the same time, is untouched.
    let plain = tight_pipeline();
    let (hostile, fine) = tokio::join!(
        futures::future::join_all(runs),
        generate::generate(&plugins, &plain, &template, "a bakery", common::sink())
    );
    assert!(fine.failure.is_none(), "{:?}", fine.failure);

    for ((run, elapsed), (behaviour, reason)) in hostile.iter().zip(expected) {
        let failure = run
            .failure
            .as_ref()
            .unwrap_or_else(|| panic!("{behaviour} passed"));
        assert_eq!(failure.stage, Stage::Validating, "{behaviour}");
        assert!(
            failure.reason.contains(reason),
            "{behaviour}: {}",
            failure.reason
        );
        // "About its deadline": a generous bound, so a loaded machine does not fail it.
        assert!(*elapsed < DEADLINE * 5, "{behaviour} took {elapsed:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn floods_of_diagnostics_and_metrics_are_capped_keeping_what_matters() {
    let engine = common::engine();
    let plugins = plugins_with_hostile_checkers(&engine).await;
    let template = common::contestant("studio", "template", "studio");
    let mut pipeline = common::default_pipeline();
    pipeline
        .validators
        .insert(0, hostile_step("hostile-validator", "flood"));
    let run = generate::generate(&plugins, &pipeline, &template, "a bakery", common::sink()).await;
    // The one error came last of ten thousand; it is kept, and fails the run.
    let failure = run
        .failure
        .as_ref()
        .expect("the flood's error fails the run");
    assert!(
        failure.reason.contains("the one real error"),
        "{}",
        failure.reason
    );
    let from_flood: Vec<_> = run
        .diagnostics
        .iter()
        .filter(|d| d.source == "hostile-validator")
        .collect();
    assert_eq!(
        from_flood.len(),
        arena::generate::MAX_DIAGNOSTICS_PER_VALIDATOR + 1
    );
    assert!(from_flood.iter().all(|d| d.message.chars().count() <= 2001));
    assert_eq!(
        from_flood.last().unwrap().message,
        "9801 more diagnostics not kept (at most 200 per validator)"
    );

    let report = arena::plugin::RunReport {
        prompt: "a bakery".into(),
        status: "ready".into(),
        failed_stage: String::new(),
        files: Vec::new(),
        timings: Vec::new(),
        logs: Vec::new(),
        screenshots: Vec::new(),
    };
    let pages = arena::plugin::PageReport {
        prompt: "a bakery".into(),
        pages: Vec::new(),
    };
    let settings = [("behaviour".to_owned(), "flood".to_owned())];
    let error = match plugins.scorers["hostile-scorer"]
        .score(&report, &pages, &settings, &tight_pipeline().plugin_limits)
        .await
    {
        Ok(_) => panic!("a thousand metrics were accepted"),
        Err(error) => error.to_string(),
    };
    assert_eq!(
        error,
        "scorer `hostile-scorer` could not score the run: returned 1000 metrics, over the cap \
         of 100 per run"
    );

    for (behaviour, refused) in [
        ("not-a-number", "metric `undefined` is NaN"),
        ("huge", "metric `overflowing` is 1e308,"),
    ] {
        let settings = [("behaviour".to_owned(), behaviour.to_owned())];
        let error = match plugins.scorers["hostile-scorer"]
            .score(&report, &pages, &settings, &tight_pipeline().plugin_limits)
            .await
        {
            Ok(scored) => panic!("{behaviour} was accepted: {:?}", scored.metrics),
            Err(error) => error.to_string(),
        };
        assert!(
            error.starts_with(&format!(
                "scorer `hostile-scorer` could not score the run: {refused}"
            )) && error.ends_with("not a number between -1e15 and 1e15"),
            "{error}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_scorer_costs_its_own_scores_and_nothing_else() {
    // The run fails at validation (no package.json), so no container is needed; it is
    // scored all the same.
    let dir = tempfile::tempdir().unwrap();
    let plugin_dir = dir.path().join("plugins");
    std::fs::create_dir_all(&plugin_dir).unwrap();
    std::fs::copy(
        Path::new(BUILT_PLUGIN_DIR).join("hostile-scorer.wasm"),
        plugin_dir.join("hostile-scorer.wasm"),
    )
    .unwrap();
    let pipelines = dir.path().join("pipelines");
    std::fs::create_dir_all(&pipelines).unwrap();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("pipelines");
    std::fs::copy(
        bundled.join("nextjs.system.md"),
        pipelines.join("nextjs.system.md"),
    )
    .unwrap();
    let mut pipeline = std::fs::read_to_string(bundled.join("nextjs.toml")).unwrap();
    pipeline = pipeline.replace("call_timeout_secs = 30", "call_timeout_secs = 2");
    pipeline = pipeline.replace(
        "[[scorers]]\nplugin = \"build-health\"",
        "[[scorers]]\nplugin = \"hostile-scorer\"\nsettings = { behaviour = \"loop\" }\n\n\
         [[scorers]]\nplugin = \"build-health\"",
    );
    assert!(
        pipeline.contains("hostile-scorer"),
        "the pipeline text changed"
    );
    std::fs::write(pipelines.join("nextjs.toml"), pipeline).unwrap();
    let reply = common::fixtures().join("cases/08-missing-build-script/reply-b-no-package-json.md");
    let contestants = dir.path().join("contestants.toml");
    std::fs::write(
        &contestants,
        format!(
            "[[contestants]]\nid = \"broken\"\nname = \"broken\"\nprovider = \"replay\"\n\
             model = \"recorded\"\nreplay = {:?}\nparams = {{ chunk-delay-ms = 0 }}\n\
             default = true\n",
            reply.display().to_string()
        ),
    )
    .unwrap();
    let arena = Arena::start(ArenaConfig {
        data_dir: dir.path().join("data"),
        plugin_dirs: vec![plugin_dir],
        pipelines_dir: Some(pipelines),
        contestants_file: Some(contestants),
        ..ArenaConfig::default()
    })
    .await
    .expect("arena starts (is Docker running?)");

    let session = arena.start_session("a bakery", &[], "nextjs").unwrap();
    tokio::time::timeout(Duration::from_secs(120), arena.wait(&session))
        .await
        .expect("the run ends");
    let run = arena.runs_of(&session).remove(0);
    assert_eq!(run.status, Status::Failed);
    assert_eq!(
        run.failed_stage,
        Some(Status::Validating),
        "{:?}",
        run.failure
    );
    // The looping scorer's failure is logged; the next scorer still scored.
    let errors = run.logs.get("error").cloned().unwrap_or_default();
    assert!(
        errors.contains("plugin `hostile-scorer` ran past its deadline of 2.0s"),
        "{errors}"
    );
    assert!(
        run.scores.iter().any(|m| m.scorer == "build-health"),
        "{:?}",
        run.scores
    );
    assert!(!run.scores.iter().any(|m| m.scorer == "hostile-scorer"));
    arena.stop_all("test over").await;
}
