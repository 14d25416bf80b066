//! `arena bench`: what the arena costs on top of installing and building a project.
//!
//! One run measures, cold (npm cache emptied) and then warm: a bare baseline (the same
//! template project through a plain container running `npm install` and `next build`),
//! and a battle of N offline contestants through the whole arena. It prints the time per
//! stage and the ratios against the baseline.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context as _;

use arena::arena::{Arena, ArenaConfig};
use arena::docker::{NPM_CACHE_VOLUME, Sandbox};
use arena::generate;
use arena::plugin::{self, PluginEngine, PluginSet};
use arena::run::{RunRecord, Status};

use crate::BenchArgs;

const BASELINE_CACHE_VOLUME: &str = "arena-bench-npm-cache";
const STAGES: [Status; 8] = [
    Status::Generating,
    Status::Validating,
    Status::Queued,
    Status::Installing,
    Status::Building,
    Status::Starting,
    Status::Capturing,
    Status::Scoring,
];

pub async fn bench_command(args: BenchArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        (1..=6).contains(&args.contestants),
        "--contestants must be 1 to 6"
    );
    if args.page {
        return crate::bench_page::page_bench_command().await;
    }
    if args.reload {
        return crate::bench_reload::reload_bench_command().await;
    }
    if let Some(battles) = args.leaderboard {
        return crate::bench_leaderboard::leaderboard_bench_command(battles.max(1)).await;
    }
    let work = tempfile_dir("arena-bench")?;
    let pipelines = arena::pipeline::PipelineSet::load(None);
    let pipeline = pipelines
        .pipelines
        .get("nextjs")
        .context("the embedded pipeline")?
        .clone();

    // The baseline's project: what the first offline contestant writes for the prompt.
    let engine = PluginEngine::new(plugin::default_cache_dir())?;
    let plugins = PluginSet::load(&engine, &[]).await;
    let contestants = arena::contestants::load(None)?;
    let first = contestants.first().context("built-in contestants")?;
    let (sender, _receiver) = tokio::sync::mpsc::unbounded_channel();
    let generated = generate::generate(&plugins, &pipeline, first, &args.prompt, sender).await;
    anyhow::ensure!(
        generated.failure.is_none(),
        "the template failed: {:?}",
        generated.failure
    );

    let sandbox = Sandbox::connect(format!("bench-{}", std::process::id())).await?;
    let image = sandbox
        .resolve_image(
            &pipeline.build.image,
            pipeline.build.fallback_image.as_deref(),
            Duration::from_secs(60),
        )
        .await?;
    let ca_bundle = std::env::var_os("ARENA_CA_BUNDLE")
        .map(Into::into)
        .or_else(arena::docker::host_ca_bundle);

    println!(
        "Benchmark: {} offline contestants, prompt {:?}, image {image}, {} cores",
        args.contestants,
        args.prompt,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let mut rows = Vec::new();
    for warmth in ["cold", "warm"] {
        if warmth == "cold" {
            sandbox.remove_volume(BASELINE_CACHE_VOLUME).await?;
            sandbox.remove_volume(NPM_CACHE_VOLUME).await?;
        }
        let project = work.join(format!("baseline-{warmth}"));
        generate::write_project(&project, &generated.files, &pipeline.files)?;
        let baseline = sandbox
            .bare_install_and_build(
                &image,
                &project,
                &pipeline.build.registry,
                ca_bundle.as_deref(),
                BASELINE_CACHE_VOLUME,
            )
            .await?;
        println!(
            "  {warmth}: bare install {:.1}s, build {:.1}s",
            baseline.install.as_secs_f64(),
            baseline.build.as_secs_f64()
        );

        let battle = battle(&args, &work.join(format!("battle-{warmth}"))).await?;
        rows.push((warmth, baseline, battle));
    }
    print_report(&rows);
    let _ = std::fs::remove_dir_all(&work);
    Ok(ExitCode::SUCCESS)
}

struct Battle {
    wall: Duration,
    runs: Vec<RunRecord>,
}

async fn battle(args: &BenchArgs, dir: &std::path::Path) -> anyhow::Result<Battle> {
    std::fs::create_dir_all(dir)?;
    let models = ["studio", "bold", "paper"];
    let mut file = String::new();
    for index in 0..args.contestants {
        let model = models[index % models.len()];
        file.push_str(&format!(
            "[[contestants]]\nid = \"bench-{index}\"\nname = \"Bench {index}\"\nprovider = \"template\"\n\
             model = \"{model}\"\nparams = {{ seed = {index} }}\ndefault = true\n\n"
        ));
    }
    let contestants = dir.join("contestants.toml");
    std::fs::write(&contestants, file)?;
    let config = ArenaConfig {
        data_dir: dir.join("data"),
        contestants_file: Some(contestants),
        ..ArenaConfig::default()
    };
    let arena = Arena::start(config).await?;
    let started = Instant::now();
    let session = arena.start_session(&args.prompt, &[], "nextjs")?;
    arena.wait(&session).await;
    let wall = started.elapsed();
    let runs = arena.runs_of(&session);
    arena.stop_all("benchmark over").await;
    for run in &runs {
        anyhow::ensure!(
            run.status == Status::Ready,
            "{} ended {} at {:?}: {:?}",
            run.contestant.id,
            run.status,
            run.failed_stage,
            run.failure
        );
    }
    Ok(Battle { wall, runs })
}

fn mean(runs: &[RunRecord], stage: Status) -> f64 {
    let total: f64 = runs
        .iter()
        .filter_map(|run| run.stage_time(stage))
        .map(|t| t.as_secs_f64())
        .sum();
    total / runs.len() as f64
}

fn print_report(rows: &[(&str, arena::docker::BaselineTimes, Battle)]) {
    println!("\nMean seconds per run, by stage:");
    print!("{:<6}", "");
    for stage in STAGES {
        print!(" {:>10}", stage.as_str());
    }
    println!(" {:>10}", "battle");
    for (warmth, _, battle) in rows {
        print!("{warmth:<6}");
        for stage in STAGES {
            print!(" {:>10.2}", mean(&battle.runs, stage));
        }
        println!(" {:>10.1}", battle.wall.as_secs_f64());
    }

    println!("\nAgainst the bare baseline measured in the same run:");
    for (warmth, baseline, battle) in rows {
        let bare = (baseline.install + baseline.build).as_secs_f64();
        let arena = mean(&battle.runs, Status::Installing) + mean(&battle.runs, Status::Building);
        let overhead: f64 = battle
            .runs
            .iter()
            .map(|run| {
                let total: u64 = run.stage_ms.iter().map(|(_, ms)| ms).sum();
                let phases = [Status::Installing, Status::Building, Status::Queued]
                    .iter()
                    .filter_map(|stage| run.stage_time(*stage))
                    .map(|t| t.as_secs_f64())
                    .sum::<f64>();
                total as f64 / 1000.0 - phases
            })
            .sum::<f64>()
            / battle.runs.len() as f64;
        let serial = bare * battle.runs.len() as f64;
        println!(
            "  {warmth}: install+build {arena:.1}s per run vs {bare:.1}s bare ({:.2}x); \
             orchestration outside install/build/queue {overhead:.1}s per run; \
             battle {:.1}s vs {serial:.1}s for {} bare builds in a row ({:.2}x)",
            arena / bare,
            battle.wall.as_secs_f64(),
            battle.runs.len(),
            battle.wall.as_secs_f64() / serial
        );
    }
}

/// A scratch folder `<temp>/<prefix>-<pid>`.
pub fn tempfile_dir(prefix: &str) -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("{prefix}-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
