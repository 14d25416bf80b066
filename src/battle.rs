//! `arena run` and `arena serve`: a whole battle from the command line, and the server.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context as _;

use arena::arena::{Arena, ArenaConfig, BattleRequest};
use arena::run::{EventKind, RunRecord, Status};

use crate::{RunArgs, ServeArgs, Sources};

fn config(sources: Sources, data_dir: std::path::PathBuf) -> ArenaConfig {
    ArenaConfig {
        data_dir,
        pipelines_dir: sources.pipelines,
        plugin_dirs: sources.plugin_dirs,
        contestants_file: sources.contestants,
        ..ArenaConfig::default()
    }
}

pub async fn run_command(args: RunArgs) -> anyhow::Result<ExitCode> {
    let prompts = match (&args.prompt, &args.prompts) {
        (Some(prompt), None) => vec![prompt.clone()],
        (None, Some(file)) => read_prompt_file(file)?,
        _ => anyhow::bail!("give a prompt, or a prompt file with --prompts"),
    };
    let mut config = config(args.sources.clone(), args.out.clone());
    if let Some(ports) = args.ports.clone() {
        config.ports = ports;
    }
    let listener = if args.keep {
        let address = std::net::SocketAddr::from(([127, 0, 0, 1], args.port));
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .with_context(|| format!("listening on {address} for the previews (try --port)"))?;
        config.gateway_port = Some(args.port);
        Some(listener)
    } else {
        None
    };
    let preview_domain = config.preview_domain.clone();
    let arena = Arena::start(config).await?;
    if let Some(listener) = listener {
        let router = arena::server::router(arena.clone(), &preview_domain);
        tokio::spawn(async move { axum::serve(listener, router).await });
    }

    // One battle at a time: they share the machine's cores, and a batch is for comparing
    // contestants under the same conditions.
    let mut battles = Vec::new();
    for (number, prompt) in prompts.iter().enumerate() {
        if prompts.len() > 1 {
            println!("\n=== Prompt {} of {} ===", number + 1, prompts.len());
        }
        match one_battle(&arena, prompt, &args).await {
            Ok(battle) => {
                let interrupted = battle.interrupted;
                // Nobody can open a preview that is not kept, and the next battle of a batch
                // must not build beside the last one's running sites.
                if !args.keep {
                    for run in &battle.runs {
                        arena.stop(&run.id, "battle over").await;
                    }
                }
                battles.push(battle);
                if interrupted {
                    break;
                }
            }
            // A prompt the arena refuses (too long, say) is that prompt's failure only.
            Err(error) if prompts.len() > 1 => println!("Battle not started: {error:#}"),
            Err(error) => return Err(error),
        }
    }
    if prompts.len() > 1 {
        print_batch_summary(&battles);
        let summary: Vec<serde_json::Value> = battles
            .iter()
            .map(|battle| {
                serde_json::json!({
                    "session": battle.session,
                    "prompt": battle.prompt,
                    "runs": battle.runs.iter().map(|run| serde_json::json!({
                        "run": run.id,
                        "contestant": run.contestant.id,
                        "status": run.status,
                        "failed_stage": run.failed_stage,
                        "failure": run.failure,
                        "ready_ms": ready_ms(run),
                        "cost_usd": run.cost_usd,
                        "scores": run.scores,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        // One file per batch: a second batch into the same folder keeps the first's.
        let path = args
            .out
            .join(format!("batch-{}.json", arena::run::now_ms()));
        let summary = serde_json::json!({
            "prompts": prompts.len(),
            "category": args.category,
            "pipeline": args.pipeline,
            "battles": summary,
            "totals": contestant_totals(&battles),
        });
        std::fs::write(&path, serde_json::to_vec_pretty(&summary)?)?;
        println!("\nBatch summary: {}", path.display());
    }

    let runs: Vec<&RunRecord> = battles.iter().flat_map(|battle| &battle.runs).collect();
    let all_ready = !runs.is_empty()
        && battles.len() == prompts.len()
        && runs.iter().all(|run| run.status == Status::Ready);
    let interrupted = battles.iter().any(|battle| battle.interrupted);
    if args.keep && !interrupted && runs.iter().any(|run| run.status == Status::Ready) {
        println!("Previews stay up until you press Ctrl-C.");
        shutdown_signal().await;
    }
    arena.shut_down("battle over").await;
    Ok(if all_ready {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// Prompts of a batch: one per line; blank lines and lines starting with `#` are skipped.
fn read_prompt_file(path: &std::path::Path) -> anyhow::Result<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the prompt file {}", path.display()))?;
    let prompts: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect();
    if prompts.is_empty() {
        anyhow::bail!(
            "the prompt file {} has no prompts (one per line; # starts a comment)",
            path.display()
        );
    }
    Ok(prompts)
}

struct BattleResult {
    session: String,
    prompt: String,
    runs: Vec<RunRecord>,
    /// Ctrl-C stopped it: the rest of a batch is not started.
    interrupted: bool,
}

/// The time a run that got to ready spent getting there, waits for a build slot left out:
/// with one build at a time, the contestant queued second would otherwise look slower by
/// the first one's build.
fn ready_ms(run: &RunRecord) -> Option<u64> {
    let ready = run
        .transitions
        .iter()
        .position(|t| t.status == Status::Ready)?;
    // One stage time per transition before ready: the time of each stage it closed.
    let working = run
        .stage_ms
        .iter()
        .take(ready)
        .filter(|(stage, _)| *stage != Status::Queued)
        .map(|(_, ms)| ms)
        .sum();
    Some(working)
}

async fn one_battle(arena: &Arena, prompt: &str, args: &RunArgs) -> anyhow::Result<BattleResult> {
    let session = arena.start_battle(BattleRequest {
        prompt: prompt.to_owned(),
        contestants: args.contestant_ids.clone(),
        pipeline: args.pipeline.clone(),
        category: args.category.clone(),
        anonymous: false,
    })?;
    println!("Battle {} — {}", session.id, session.prompt);
    let names: HashMap<String, String> = arena
        .runs_of(&session)
        .into_iter()
        .map(|run| (run.id.clone(), run.contestant.id.clone()))
        .collect();
    let width = names.values().map(String::len).max().unwrap_or(10);

    // Live progress: one line per status change, as it happens.
    let started = Instant::now();
    let progress = {
        let session = session.clone();
        tokio::spawn(async move {
            let mut printer = Progress {
                names,
                width,
                started,
                last_seq: None,
                ended: std::collections::HashSet::new(),
            };
            let (history, mut events) = session.subscribe(None);
            history.iter().for_each(|event| printer.show(event));
            while printer.ended.len() < session.run_ids.len() {
                match events.recv().await {
                    Ok(event) => printer.show(&event),
                    // Reply chunks can outrun this reader: catch up from the session's log,
                    // so no status line is lost.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        let (missed, fresh) = session.subscribe(printer.last_seq);
                        missed.iter().for_each(|event| printer.show(event));
                        events = fresh;
                    }
                    Err(_) => return,
                }
            }
        })
    };
    let mut interrupted = false;
    tokio::select! {
        _ = arena.wait(&session) => {}
        _ = shutdown_signal() => {
            println!("Interrupted: stopping every run.");
            arena.stop_all("interrupted").await;
            interrupted = true;
        }
    }
    // The last run's final lines are printed by the progress task as it sees them.
    if tokio::time::timeout(std::time::Duration::from_secs(2), progress)
        .await
        .is_err()
    {
        tracing::debug!("Progress output did not finish in time.");
    }

    let runs = arena.runs_of(&session);
    print_table(arena, &runs, args.keep);
    let battle_dir = args.out.join(&session.id);
    let summary = serde_json::json!({
        "session": session.id,
        "prompt": session.prompt,
        "pipeline": session.pipeline,
        "runs": runs,
    });
    std::fs::create_dir_all(&battle_dir)?;
    std::fs::write(
        battle_dir.join("battle.json"),
        serde_json::to_vec_pretty(&summary)?,
    )?;
    println!(
        "\nFiles, logs, screenshots and reports: {}",
        battle_dir.display()
    );
    Ok(BattleResult {
        session: session.id.clone(),
        prompt: session.prompt.clone(),
        runs,
        interrupted,
    })
}

/// One contestant's figures over a batch.
#[derive(serde::Serialize)]
struct ContestantTotals {
    contestant: String,
    runs: usize,
    ready: usize,
    /// Over its runs that got to ready; see [`ready_ms`].
    mean_ready_ms: Option<f64>,
    cost_usd: f64,
}

/// Each contestant's totals, in the order contestants first appear in the batch.
fn contestant_totals(battles: &[BattleResult]) -> Vec<ContestantTotals> {
    let mut totals: Vec<ContestantTotals> = Vec::new();
    let mut ready_times: Vec<Vec<u64>> = Vec::new();
    for run in battles.iter().flat_map(|battle| &battle.runs) {
        let at = match totals
            .iter()
            .position(|t| t.contestant == run.contestant.id)
        {
            Some(at) => at,
            None => {
                totals.push(ContestantTotals {
                    contestant: run.contestant.id.clone(),
                    runs: 0,
                    ready: 0,
                    mean_ready_ms: None,
                    cost_usd: 0.0,
                });
                ready_times.push(Vec::new());
                totals.len() - 1
            }
        };
        let total = &mut totals[at];
        total.runs += 1;
        total.cost_usd += run.cost_usd;
        if run.status == Status::Ready {
            total.ready += 1;
        }
        ready_times[at].extend(ready_ms(run));
    }
    for (total, times) in totals.iter_mut().zip(ready_times) {
        total.mean_ready_ms =
            (!times.is_empty()).then(|| times.iter().sum::<u64>() as f64 / times.len() as f64);
    }
    totals
}

/// A batch as one table: a row per prompt, a column per contestant, each cell the run's
/// outcome (seconds to ready, or the stage it failed in), then each contestant's totals.
fn print_batch_summary(battles: &[BattleResult]) {
    let totals = contestant_totals(battles);
    let contestants: Vec<&String> = totals.iter().map(|total| &total.contestant).collect();
    let outcome = |run: &RunRecord| match (run.status, ready_ms(run)) {
        (Status::Ready, Some(ms)) => format!("ready {:.0}s", ms as f64 / 1000.0),
        (status, _) => match run.failed_stage {
            Some(stage) => format!("{status} @{stage}"),
            None => status.to_string(),
        },
    };
    let prompt_width = 40;
    let cut = |text: &str| -> String {
        let mut shown: String = text.chars().take(prompt_width).collect();
        if text.chars().count() > prompt_width {
            shown.pop();
            shown.push('…');
        }
        shown
    };
    // Every row as cells first, so each column is as wide as its widest cell.
    let mut rows: Vec<(String, Vec<String>)> = battles
        .iter()
        .map(|battle| {
            let cells = contestants
                .iter()
                .map(|contestant| {
                    battle
                        .runs
                        .iter()
                        .find(|run| &run.contestant.id == *contestant)
                        .map_or_else(|| "-".to_owned(), outcome)
                })
                .collect();
            (cut(&battle.prompt), cells)
        })
        .collect();
    let row = |label: &str, cell: &dyn Fn(&ContestantTotals) -> String| {
        (label.to_owned(), totals.iter().map(cell).collect())
    };
    rows.push(row("ready", &|total| {
        format!("{}/{}", total.ready, total.runs)
    }));
    rows.push(row("mean time to ready", &|total| {
        total
            .mean_ready_ms
            .map_or_else(|| "-".to_owned(), |ms| format!("{:.0}s", ms / 1000.0))
    }));
    rows.push(row("cost", &|total| format!("${:.4}", total.cost_usd)));
    let widths: Vec<usize> = contestants
        .iter()
        .enumerate()
        .map(|(i, contestant)| {
            rows.iter()
                .map(|(_, cells)| cells[i].chars().count())
                .chain([contestant.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    println!("\nBatch: outcome per prompt");
    print!("{:<prompt_width$}", "prompt");
    for (contestant, width) in contestants.iter().zip(&widths) {
        print!("  {contestant:>width$}");
    }
    println!();
    for (label, cells) in &rows {
        print!("{label:<prompt_width$}");
        for (cell, width) in cells.iter().zip(&widths) {
            print!("  {cell:>width$}");
        }
        println!();
    }
}

/// The battle as a table; `live` when the previews stay up after it (`--keep`), else
/// their addresses would lead nowhere and only the screenshots are listed.
fn print_table(arena: &Arena, runs: &[RunRecord], live: bool) {
    let stages = [
        (Status::Generating, "gen"),
        (Status::Validating, "check"),
        (Status::Installing, "install"),
        (Status::Building, "build"),
        (Status::Starting, "start"),
        (Status::Capturing, "shots"),
    ];
    let name_width = runs
        .iter()
        .map(|run| run.contestant.id.len())
        .max()
        .unwrap_or(10)
        .max(10);
    print!("\n{:<name_width$}  {:<10}", "contestant", "status");
    for (_, label) in stages {
        print!(" {label:>7}");
    }
    println!(
        "  {}",
        if live {
            "preview / screenshots"
        } else {
            "screenshots"
        }
    );
    for run in runs {
        print!(
            "{:<name_width$}  {:<10}",
            run.contestant.id,
            run.status.as_str()
        );
        for (stage, _) in stages {
            match run.stage_time(stage) {
                Some(time) => print!(" {:>6.1}s", time.as_secs_f64()),
                None => print!(" {:>7}", "-"),
            }
        }
        let preview = match live {
            true => run
                .public_url
                .clone()
                .or(run.internal_url.clone())
                .map(|url| format!("{url} "))
                .unwrap_or_default(),
            false => String::new(),
        };
        let dir = arena.run_dir(run);
        let shots: Vec<String> = run
            .screenshots
            .iter()
            .map(|shot| dir.join(&shot.file).display().to_string())
            .collect();
        println!("  {preview}{}", shots.join(" "));
        if let (Some(stage), Some(reason)) = (run.failed_stage, &run.failure) {
            println!("{:<name_width$}  failed at {stage}: {reason}", "");
        }
    }
}

pub async fn serve_command(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let mut config = config(args.sources, args.data);
    if let Some(ports) = args.ports {
        config.ports = ports;
    }
    config.gateway_port = Some(args.listen.port());
    config.repeat_votes = args.repeat_votes;
    let preview_domain = config.preview_domain.clone();
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    let arena = Arena::start(config).await?;
    let router = arena::server::router(arena.clone(), &preview_domain);
    println!(
        "Vibe Arena listening on http://{}/ (previews at http://<run>.{preview_domain}:{}/)",
        args.listen,
        args.listen.port()
    );
    let shutting_down = Arc::new(tokio::sync::Notify::new());
    let signalled = shutting_down.clone();
    let server = axum::serve(listener, router).with_graceful_shutdown(async move {
        shutdown_signal().await;
        println!("Shutting down: stopping every run and removing its container.");
        signalled.notify_one();
    });
    // Open event streams (every arena page keeps one) never end by themselves: give
    // requests in flight a moment, then close whatever is left.
    tokio::select! {
        served = server => served?,
        () = async {
            shutting_down.notified().await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => tracing::info!("Closed the connections still open at shutdown."),
    }
    arena.shut_down("server shutting down").await;
    Ok(ExitCode::SUCCESS)
}

/// How long `arena serve` waits for open requests when told to stop.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .expect("installing the SIGTERM handler");
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}

/// Prints one line per status change of a battle's runs, each event once.
struct Progress {
    names: std::collections::HashMap<String, String>,
    width: usize,
    started: Instant,
    last_seq: Option<u64>,
    /// Runs whose final status has been printed.
    ended: std::collections::HashSet<String>,
}

impl Progress {
    fn show(&mut self, event: &arena::run::Event) {
        if self.last_seq.is_some_and(|seq| event.seq <= seq) {
            return;
        }
        self.last_seq = Some(event.seq);
        if let EventKind::Status { status, reason, .. } = &event.kind {
            let name = self.names.get(&event.run).map_or("?", String::as_str);
            let secs = self.started.elapsed().as_secs_f64();
            let reason = reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            let width = self.width;
            println!("[{secs:6.1}s] {name:<width$}  {status}{reason}");
            if status.is_final() {
                self.ended.insert(event.run.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arena::run::{ContestantView, Transition};

    /// A run that went through `stages` (status, milliseconds spent), ending in the last.
    fn run_through(stages: &[(Status, u64)]) -> RunRecord {
        let mut run = RunRecord::new("r".into(), "s".into(), ContestantView::hidden(0));
        let mut at_ms = 1_000;
        run.transitions.clear();
        for &(status, ms) in stages {
            run.transitions.push(Transition { status, at_ms });
            run.stage_ms.push((status, ms));
            at_ms += ms;
        }
        run.stage_ms.pop();
        run.status = stages.last().unwrap().0;
        run
    }

    #[test]
    fn time_to_ready_leaves_out_the_waits_for_a_build_slot() {
        let second_in_line = run_through(&[
            (Status::Queued, 50),
            (Status::Generating, 4_000),
            (Status::Validating, 100),
            (Status::Queued, 30_000),
            (Status::Installing, 9_000),
            (Status::Building, 20_000),
            (Status::Starting, 1_000),
            (Status::Healthy, 10),
            (Status::Capturing, 3_000),
            (Status::Ready, 60_000),
            (Status::Terminated, 0),
        ]);
        assert_eq!(ready_ms(&second_in_line), Some(37_110));
        let failed = run_through(&[
            (Status::Queued, 10),
            (Status::Generating, 5),
            (Status::Failed, 0),
        ]);
        assert_eq!(ready_ms(&failed), None);
    }
}
