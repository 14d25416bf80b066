//! `arena bench --leaderboard`: what the leaderboard costs a page load, against the bare
//! read of the votes it is made from, measured in the same run.
//!
//! A store is filled with simulated battles (12 contestants of known strengths, four per
//! battle, each ranked by drawing from the Bradley-Terry odds), and then the arena's
//! board is timed cold (read, fit, bootstrap), as the page loads that follow with no new
//! vote, and after one more vote (read the new outcomes, refit from the last fit,
//! bootstrap again). The baseline is reading every counted outcome from SQLite: the
//! least any board built from the store must do.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use rand::seq::SliceRandom as _;
use rand::{Rng as _, SeedableRng as _};

use arena::arena::{Arena, ArenaConfig};
use arena::run::{ContestantView, RunRecord, Status};
use arena::store::{BattleInfo, BoardFilter, NewVote};

const CONTESTANTS: usize = 12;
const PER_BATTLE: usize = 4;

pub async fn leaderboard_bench_command(battles: usize) -> anyhow::Result<ExitCode> {
    let dir = crate::bench::tempfile_dir("arena-leaderboard-bench")?;
    let data = dir.join("data");
    if data.exists() {
        std::fs::remove_dir_all(&data)?;
    }
    let arena = Arena::start(ArenaConfig {
        data_dir: data,
        watch: false,
        ..ArenaConfig::default()
    })
    .await?;
    let store = arena.store();

    let strengths: Vec<f64> = (0..CONTESTANTS)
        .map(|i| -1.5 + 3.0 * i as f64 / (CONTESTANTS - 1) as f64)
        .collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let started = Instant::now();
    let mut add_battle = |number: usize| -> anyhow::Result<()> {
        let id = format!("bench{number:06}");
        let mut chosen: Vec<usize> = (0..CONTESTANTS).collect();
        chosen.shuffle(&mut rng);
        chosen.truncate(PER_BATTLE);
        let runs: Vec<RunRecord> = chosen
            .iter()
            .enumerate()
            .map(|(k, &c)| {
                let view = ContestantView {
                    id: format!("model-{c:02}"),
                    name: format!("Model {c:02}"),
                    provider: "bench".into(),
                    model: "simulated".into(),
                };
                let mut run = RunRecord::new(format!("{id}r{k}"), id.clone(), view);
                run.enter(Status::Failed);
                run
            })
            .collect();
        let info = BattleInfo {
            id: id.clone(),
            prompt: format!("Simulated prompt {number}"),
            category: Some(["landing page", "dashboard", "game"][number % 3].into()),
            pipeline: "nextjs".into(),
            anonymous: false,
            created_ms: arena::run::now_ms(),
            versions: serde_json::Value::Null,
        };
        store.insert_battle(&info, &runs)?;
        // A ranking drawn place by place, each remaining contestant taking the place with
        // a chance proportional to its strength (Plackett-Luce).
        let mut left: Vec<usize> = (0..PER_BATTLE).collect();
        let mut tiers = Vec::new();
        while !left.is_empty() {
            let weights: Vec<f64> = left.iter().map(|&k| strengths[chosen[k]].exp()).collect();
            let mut pick = rng.random::<f64>() * weights.iter().sum::<f64>();
            let mut index = 0;
            while index + 1 < left.len() && pick >= weights[index] {
                pick -= weights[index];
                index += 1;
            }
            let k = left.remove(index);
            tiers.push(vec![runs[k].id.clone()]);
        }
        let by_contestant: Vec<Vec<String>> = tiers
            .iter()
            .map(|tier| {
                let k = runs.iter().position(|run| run.id == tier[0]).unwrap();
                vec![runs[k].contestant.id.clone()]
            })
            .collect();
        store.add_vote(&NewVote {
            battle: &id,
            voter: "bench",
            kind: "ranking",
            ranking: &tiers,
            excluded: None,
            outcomes: &arena::leaderboard::pairwise(&by_contestant),
            once_per_voter: true,
        })?;
        Ok(())
    };
    for number in 0..battles {
        add_battle(number)?;
    }
    let filled = started.elapsed();
    let all = BoardFilter::default();
    println!(
        "{battles} simulated battles of {PER_BATTLE} among {CONTESTANTS} contestants, one \
         ranking vote each ({} outcomes), stored in {:.1} s ({:.0} battles/s); {} bootstrap \
         resamples per board.",
        battles * PER_BATTLE * (PER_BATTLE - 1) / 2,
        filled.as_secs_f64(),
        battles as f64 / filled.as_secs_f64(),
        arena::leaderboard::BOOTSTRAP_ROUNDS
    );

    let bare = median(5, || {
        let outcomes = store.outcomes_after(&all, 0).expect("outcomes read");
        std::hint::black_box(outcomes);
    });
    let (cold, _) = timed(|| arena.leaderboard(&all).expect("board"));
    let cached = median(20, || {
        std::hint::black_box(arena.leaderboard(&all).expect("board"));
    });
    add_battle(battles)?;
    let (after_vote, board) = timed(|| arena.leaderboard(&all).expect("board"));
    let filtered = {
        let games = BoardFilter {
            category: Some("game".into()),
            ..BoardFilter::default()
        };
        timed(|| arena.leaderboard(&games).expect("board")).0
    };

    let ratio = |d: Duration| d.as_secs_f64() / bare.as_secs_f64();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("  bare read of every outcome:        {:8.1} ms", ms(bare));
    println!(
        "  cold board (read, fit, bootstrap): {:8.1} ms  {:6.2}x bare",
        ms(cold),
        ratio(cold)
    );
    println!(
        "  page load, no new vote:            {:8.1} ms  {:6.2}x bare",
        ms(cached),
        ratio(cached)
    );
    println!(
        "  page load after one more vote:     {:8.1} ms  {:6.2}x bare",
        ms(after_vote),
        ratio(after_vote)
    );
    println!(
        "  first load of a category filter:   {:8.1} ms  {:6.2}x bare",
        ms(filtered),
        ratio(filtered)
    );
    let top = &board.entries[0];
    println!(
        "  top: {} at {:.0} ({:.0}-{:.0}); the simulated strengths put model-{:02} first.",
        top.entry.contestant,
        top.entry.rating,
        top.entry.low,
        top.entry.high,
        CONTESTANTS - 1
    );
    std::fs::remove_dir_all(&dir).ok();
    Ok(ExitCode::SUCCESS)
}

fn timed<T>(work: impl FnOnce() -> T) -> (Duration, T) {
    let started = Instant::now();
    let value = work();
    (started.elapsed(), value)
}

fn median(rounds: usize, mut work: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .collect();
    times.sort();
    times[rounds / 2]
}
