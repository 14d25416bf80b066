//! `arena`: the Vibe Arena command line.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use arena::contestants::{self, Contestant};
use arena::generate::{self, Generated};
use arena::pipeline::{Pipeline, PipelineSet};
use arena::plugin::{self, PluginEngine, PluginSet};

mod battle;
mod bench;
mod bench_leaderboard;
mod bench_page;
mod bench_reload;

#[derive(Parser)]
#[command(name = "arena", version, about = "LLMs race to build the same website")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a whole battle headless: every contestant's site is generated, checked,
    /// installed, built and started in its own container, health-checked and
    /// screenshotted; ends with a table and a folder of files, logs and screenshots.
    Run(RunArgs),
    /// Serve the arena: its web pages, the HTTP API and the preview gateway.
    Serve(ServeArgs),
    /// Measure the arena against a bare install and build of the same project, cold and
    /// warm (or, with --page, the battle page against a bare event-stream client; with
    /// --reload, hot reload against a bare plugin load; --leaderboard, the board against reading
    /// its votes), and print the figures.
    Bench(BenchArgs),
    /// Run the plugin chain for each contestant and write a checked Next.js project per
    /// contestant: provider, reply extraction, path checks, validators.
    Generate(GenerateArgs),
    /// List the loaded plugins, pipelines and contestants, with load errors.
    Plugins(Sources),
}

#[derive(Args, Clone)]
struct Sources {
    /// Folder of pipeline files; the embedded pipelines when not given.
    #[arg(long, env = "ARENA_PIPELINES")]
    pipelines: Option<PathBuf>,
    /// Extra folder of plugin components (`*.wasm`), loaded after the bundled ones.
    #[arg(long = "plugins", env = "ARENA_PLUGINS")]
    plugin_dirs: Vec<PathBuf>,
    /// Contestants file; the built-in list when not given (offline contestants, which
    /// need no key, and the real models, each available once its key variable is set).
    #[arg(long, env = "ARENA_CONTESTANTS")]
    contestants: Option<PathBuf>,
}

#[derive(Args)]
struct GenerateArgs {
    /// What the contestants should build.
    prompt: String,
    /// Contestant ids; the default contestants when none are given.
    #[arg(long = "contestant", short = 'c')]
    contestant_ids: Vec<String>,
    /// Pipeline id.
    #[arg(long, default_value = "nextjs")]
    pipeline: String,
    /// Where each contestant's project, reply and report are written.
    #[arg(long, default_value = "arena-out")]
    out: PathBuf,
    #[command(flatten)]
    sources: Sources,
}

#[derive(Args)]
struct RunArgs {
    /// What the contestants should build.
    #[arg(required_unless_present = "prompts", conflicts_with = "prompts")]
    prompt: Option<String>,
    /// A file of prompts, one per line (`#` starts a comment): one battle per prompt, one
    /// after another, then a summary table.
    #[arg(long, value_name = "FILE")]
    prompts: Option<PathBuf>,
    /// What kind of site the prompts ask for; the leaderboard filters by it.
    #[arg(long)]
    category: Option<String>,
    /// Contestant ids; the default contestants when none are given.
    #[arg(long = "contestant", short = 'c')]
    contestant_ids: Vec<String>,
    /// Pipeline id.
    #[arg(long, default_value = "nextjs")]
    pipeline: String,
    /// Where each run's project, logs, screenshots and report are written, and the
    /// database the battles are kept in.
    #[arg(long, default_value = "arena-out")]
    out: PathBuf,
    /// Keep the previews up (served by the gateway) until interrupted.
    #[arg(long)]
    keep: bool,
    /// Port of the preview gateway, with --keep.
    #[arg(long, default_value_t = 3000)]
    port: u16,
    /// Host ports for the run containers, e.g. 3001-4000.
    #[arg(long, env = "ARENA_PORTS", value_parser = arena::ports::parse_port_range)]
    ports: Option<std::ops::RangeInclusive<u16>>,
    #[command(flatten)]
    sources: Sources,
}

#[derive(Args)]
struct BenchArgs {
    /// How many offline contestants battle.
    #[arg(long, default_value_t = 2)]
    contestants: usize,
    #[arg(long, default_value = "Build a landing page for a coffee shop")]
    prompt: String,
    /// Measure the battle page instead: how fast it replays a large battle's event stream
    /// in Chromium, against a bare client reading the same stream (no builds).
    #[arg(long)]
    page: bool,
    /// Measure hot reload instead: from a plugin file landing in a watched folder to its
    /// contestant being selectable, against loading the same file directly (no builds).
    #[arg(long, conflicts_with = "page")]
    reload: bool,
    /// Measure the leaderboard instead: a board over this many simulated voted battles,
    /// cold, on page loads and after one more vote, against reading the votes (no builds).
    #[arg(long, value_name = "BATTLES", num_args = 0..=1, default_missing_value = "5000",
          conflicts_with_all = ["page", "reload"])]
    leaderboard: Option<usize>,
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on; the API and every preview share it.
    #[arg(long, default_value = "127.0.0.1:3000")]
    listen: std::net::SocketAddr,
    /// Where the database (battles, runs, votes) and the runs' projects, logs and
    /// screenshots are kept.
    #[arg(long, default_value = "arena-data")]
    data: PathBuf,
    /// Host ports for the run containers, e.g. 3001-4000.
    #[arg(long, env = "ARENA_PORTS", value_parser = arena::ports::parse_port_range)]
    ports: Option<std::ops::RangeInclusive<u16>>,
    /// Let one browser vote more than once on a battle (by default, one vote per battle
    /// per browser).
    #[arg(long)]
    repeat_votes: bool,
    #[command(flatten)]
    sources: Sources,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("ARENA_LOG")
                .unwrap_or_else(|_| "warn,chromiumoxide=error".into()),
        )
        .with_writer(std::io::stderr)
        // Colour codes only for a terminal, not into a file or a pipe.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();

    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => battle::run_command(args).await,
        Command::Serve(args) => battle::serve_command(args).await,
        Command::Bench(args) => bench::bench_command(args).await,
        Command::Generate(args) => generate_command(args).await,
        Command::Plugins(sources) => plugins_command(sources).await,
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            for (index, cause) in error.chain().skip(1).enumerate() {
                eprintln!("  {}: {cause}", index + 1);
            }
            ExitCode::FAILURE
        }
    }
}

struct Loaded {
    plugins: PluginSet,
    pipelines: PipelineSet,
    contestants: Vec<Contestant>,
}

async fn load(sources: &Sources) -> anyhow::Result<Loaded> {
    let engine = PluginEngine::new(plugin::default_cache_dir())?;
    let plugins = PluginSet::load(&engine, &sources.plugin_dirs).await;
    let pipelines = PipelineSet::load(sources.pipelines.as_deref());
    let contestants = contestants::load(sources.contestants.as_deref())?;
    Ok(Loaded {
        plugins,
        pipelines,
        contestants,
    })
}

async fn generate_command(args: GenerateArgs) -> anyhow::Result<ExitCode> {
    let loaded = load(&args.sources).await?;
    for error in &loaded.plugins.errors {
        eprintln!("warning: plugin {error}");
    }
    for error in &loaded.pipelines.errors {
        eprintln!("warning: {error}");
    }
    let pipeline = loaded
        .pipelines
        .pipelines
        .get(&args.pipeline)
        .with_context(|| {
            let known: Vec<&str> = loaded
                .pipelines
                .pipelines
                .keys()
                .map(String::as_str)
                .collect();
            format!(
                "no usable pipeline `{}` (loaded: {})",
                args.pipeline,
                known.join(", ")
            )
        })?;
    let chosen = choose(&loaded.contestants, &args.contestant_ids)?;

    let plugins = Arc::new(loaded.plugins);
    let pipeline = Arc::new(pipeline.clone());
    let prompt = Arc::new(args.prompt.clone());
    println!("Prompt: {}", args.prompt);
    println!("Pipeline: {} ({})", pipeline.id, pipeline.source);
    let started = Instant::now();

    let mut tasks = tokio::task::JoinSet::new();
    for contestant in chosen {
        let (plugins, pipeline, prompt) = (plugins.clone(), pipeline.clone(), prompt.clone());
        tasks.spawn(async move {
            // The CLI shows progress per contestant; the text itself goes into the report.
            let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<String>();
            let drain = tokio::spawn(async move {
                let mut bytes = 0;
                while let Some(chunk) = receiver.recv().await {
                    bytes += chunk.len();
                }
                bytes
            });
            println!("  {:<24} generating", contestant.id);
            let run = generate::generate(&plugins, &pipeline, &contestant, &prompt, sender).await;
            let streamed = drain.await.unwrap_or(0);
            (contestant, run, streamed)
        });
    }

    let mut results = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let (contestant, run, streamed) = joined.context("a contestant's task panicked")?;
        let status = match &run.failure {
            Some(failure) => format!("failed at {}", failure.stage),
            None => "validated".to_owned(),
        };
        println!(
            "  {:<24} {status} ({streamed} bytes streamed)",
            contestant.id
        );
        results.push((contestant, run));
    }
    results.sort_by(|a, b| a.0.id.cmp(&b.0.id));

    let mut all_ok = true;
    for (contestant, run) in &results {
        let dir = args.out.join(&contestant.id);
        write_outputs(&dir, &pipeline, &args.prompt, run)?;
        print_run(contestant, run, &dir);
        all_ok &= run.failure.is_none();
    }
    println!(
        "\nDone in {:.1}s; outputs in {}",
        started.elapsed().as_secs_f64(),
        args.out.display()
    );
    Ok(if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn choose(all: &[Contestant], ids: &[String]) -> anyhow::Result<Vec<Contestant>> {
    if ids.is_empty() {
        let defaults: Vec<Contestant> = all.iter().filter(|c| c.default).cloned().collect();
        anyhow::ensure!(
            !defaults.is_empty(),
            "no contestant is marked `default = true`; name some with -c"
        );
        return Ok(defaults);
    }
    ids.iter()
        .map(|id| {
            all.iter().find(|c| &c.id == id).cloned().with_context(|| {
                let known: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
                format!("no contestant `{id}` (known: {})", known.join(", "))
            })
        })
        .collect()
}

fn write_outputs(
    dir: &std::path::Path,
    pipeline: &Pipeline,
    prompt: &str,
    run: &Generated,
) -> anyhow::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("clearing {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("reply.md"), &run.reply)?;
    if run.failure.is_none() {
        generate::write_project(&dir.join("project"), &run.files, &pipeline.files)
            .with_context(|| format!("writing the project into {}", dir.display()))?;
    }
    let report = serde_json::json!({ "prompt": prompt, "pipeline": pipeline.id, "run": run });
    std::fs::write(dir.join("report.json"), serde_json::to_vec_pretty(&report)?)?;
    Ok(())
}

fn print_run(contestant: &Contestant, run: &Generated, dir: &std::path::Path) {
    println!(
        "\n== {} ({} / {})",
        contestant.name, run.provider, run.model
    );
    match &run.failure {
        Some(failure) => println!("   FAILED at {}: {}", failure.stage, failure.reason),
        None => println!("   project: {}", dir.join("project").display()),
    }
    for file in &run.files {
        println!("   {:>8}  {}", file.contents.len(), file.path);
    }
    for diagnostic in &run.diagnostics {
        let place = diagnostic.path.as_deref().unwrap_or("-");
        println!(
            "   [{}] {} ({}): {}",
            diagnostic.severity, place, diagnostic.source, diagnostic.message
        );
    }
    for edit in &run.edits {
        let (op, path) = match &edit.edit {
            plugin::Edit::Write { path, .. } => ("wrote", path),
            plugin::Edit::Delete { path } => ("deleted", path),
        };
        println!("   [edit] {} {op} {path}", edit.validator);
    }
    let timings: Vec<String> = run
        .timings
        .iter()
        .map(|time| format!("{} {:.2}s", time.stage, time.elapsed.as_secs_f64()))
        .collect();
    let mut parts = timings;
    parts.push(format!(
        "tokens in/out {}/{}",
        run.usage.input_tokens, run.usage.output_tokens
    ));
    parts.push(format!("cost ${:.4}", run.cost_usd));
    println!("   {}", parts.join("; "));
}

async fn plugins_command(sources: Sources) -> anyhow::Result<ExitCode> {
    let loaded = load(&sources).await?;
    println!("Providers:");
    for provider in loaded.plugins.providers.values() {
        println!("  {:<18} {}", provider.meta.id, provider.meta.source);
        for model in &provider.info.models {
            println!(
                "      {:<22} ${} in / ${} out per million tokens",
                model.id, model.input_price_per_mtok, model.output_price_per_mtok
            );
        }
    }
    println!("Validators:");
    for validator in loaded.plugins.validators.values() {
        println!("  {:<18} {}", validator.meta.id, validator.meta.source);
    }
    println!("Scorers:");
    for scorer in loaded.plugins.scorers.values() {
        println!("  {:<18} {}", scorer.meta.id, scorer.meta.source);
    }
    println!("Pipelines:");
    for pipeline in loaded.pipelines.pipelines.values() {
        println!("  {:<18} {}", pipeline.id, pipeline.source);
        for missing in pipeline.missing_plugins(&loaded.plugins) {
            println!("    problem: {missing}");
        }
    }
    println!("Contestants:");
    for contestant in &loaded.contestants {
        let state = match contestant.unavailable_reason(&loaded.plugins) {
            Some(reason) => format!("unavailable: {reason}"),
            None => "available".to_owned(),
        };
        let default = if contestant.default { " (default)" } else { "" };
        println!(
            "  {:<24} {} / {}{default}: {state}",
            contestant.id, contestant.provider, contestant.model
        );
    }
    let broken = !loaded.plugins.errors.is_empty() || !loaded.pipelines.errors.is_empty();
    for error in &loaded.plugins.errors {
        println!("Load error: {error}");
    }
    for error in &loaded.pipelines.errors {
        println!("Load error: {error}");
    }
    Ok(if broken {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
