//! `arena bench --reload`: how long a plugin dropped into a watched folder takes to become
//! a selectable contestant, against loading the same component directly (compile and
//! `describe`, nothing else) in the same run.
//!
//! Each round drops a component the arena has never seen (the example provider with a
//! round-specific custom section appended, so no compile cache can answer), saved the way
//! an editor or `cp` then `mv` does, and polls the arena's catalog until the contestant is
//! available. The difference to the bare load is the watcher's quiet period, the change
//! check and the reload of everything else.

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context as _;

use arena::arena::{Arena, ArenaConfig};
use arena::plugin::{BUILT_PLUGIN_DIR, PluginEngine, PluginSet};

const ROUNDS: usize = 5;

pub async fn reload_bench_command() -> anyhow::Result<ExitCode> {
    let example = Path::new(BUILT_PLUGIN_DIR).join("example-provider.wasm");
    let component = std::fs::read(&example).with_context(|| {
        format!(
            "the reload benchmark drops the example provider, built by plugins/build at {}",
            example.display()
        )
    })?;

    let dir = crate::bench::tempfile_dir("arena-reload-bench")?;
    let plugins = dir.join("plugins");
    std::fs::create_dir_all(&plugins)?;
    let contestants = dir.join("contestants.toml");
    std::fs::write(
        &contestants,
        "[[contestants]]\nid = \"hello\"\nname = \"Example\"\nprovider = \"example-provider\"\n\
         model = \"hello\"\ndefault = true\n",
    )?;
    let arena = Arena::start(ArenaConfig {
        data_dir: dir.join("data"),
        plugin_dirs: vec![plugins.clone()],
        contestants_file: Some(contestants),
        ..ArenaConfig::default()
    })
    .await?;
    let available = |arena: &Arena| {
        let catalog = arena.catalog();
        catalog.contestants[0]
            .unavailable_reason(&catalog.plugins)
            .is_none()
    };

    println!(
        "Dropping a new {} KiB provider component into a watched folder, {ROUNDS} rounds \
         (quiet period {} ms):",
        component.len() / 1024,
        arena::catalog::QUIET_PERIOD.as_millis()
    );
    let (mut bare, mut live) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let bytes = with_custom_section(
            &component,
            &format!("bench-round-{round}-{}", std::process::id()),
        );

        // Bare: compile and describe the same bytes on a fresh engine.
        let scratch = dir.join(format!("bare-{round}.wasm"));
        std::fs::write(&scratch, &bytes)?;
        let engine = PluginEngine::new(None)?;
        let started = Instant::now();
        let mut set = PluginSet::default();
        set.add_file(&engine, &scratch).await;
        let bare_time = started.elapsed();
        anyhow::ensure!(set.errors.is_empty(), "bare load failed: {:?}", set.errors);

        // Live: save into the watched folder and wait for the contestant.
        let target = plugins.join("example-provider.wasm");
        let temporary = plugins.join("example-provider.wasm.part");
        std::fs::write(&temporary, &bytes)?;
        let started = Instant::now();
        std::fs::rename(&temporary, &target)?;
        wait_for(|| available(&arena), "the contestant to become available").await?;
        let live_time = started.elapsed();

        std::fs::remove_file(&target)?;
        wait_for(|| !available(&arena), "the contestant to go").await?;
        println!(
            "  round {}: bare load {:>6.0} ms, dropped file to selectable {:>6.0} ms ({:.2}x)",
            round + 1,
            ms(bare_time),
            ms(live_time),
            ms(live_time) / ms(bare_time)
        );
        bare.push(bare_time);
        live.push(live_time);
    }
    let (bare, live) = (median(&mut bare), median(&mut live));
    println!(
        "Median: bare load {:.0} ms, dropped file to selectable {:.0} ms: {:.2}x the bare load \
         ({:.0} ms more).",
        ms(bare),
        ms(live),
        ms(live) / ms(bare),
        ms(live) - ms(bare)
    );
    arena.stop_all("benchmark over").await;
    // The watcher goes with the arena, before the folder it watches.
    drop(arena);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(ExitCode::SUCCESS)
}

/// `component` with a custom section named `name` appended: the same component to the
/// runtime, a different file to every cache.
fn with_custom_section(component: &[u8], name: &str) -> Vec<u8> {
    let mut payload = Vec::new();
    leb128(&mut payload, name.len() as u64);
    payload.extend_from_slice(name.as_bytes());
    let mut bytes = component.to_vec();
    bytes.push(0); // custom section id
    leb128(&mut bytes, payload.len() as u64);
    bytes.extend_from_slice(&payload);
    bytes
}

fn leb128(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

async fn wait_for(check: impl Fn() -> bool, what: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(120);
    while !check() {
        anyhow::ensure!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    Ok(())
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}
