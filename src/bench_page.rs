//! `arena bench --page`: how fast the battle page catches up with a battle's event stream.
//!
//! A page opened on a battle, or reopened after its stream dropped for long, replays the
//! session's events and renders every reply chunk and log line. This measures that replay
//! in the real page in Chromium against a bare client reading the same stream over HTTP,
//! in the same run. Six replay contestants stream a large reply each (no Docker build:
//! the replies have no package.json, so each run ends at validating).

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use futures::StreamExt as _;

use arena::arena::{Arena, ArenaConfig};
use arena::screenshot::{Browser, BrowserSettings};

/// Contestants in the measured battle, and the size of each one's reply.
const CONTESTANTS: usize = 6;
const REPLY_BYTES: usize = 400 * 1024;
/// Bytes per reply event (the replay plugin's `chunk-bytes`): a streaming model's chunks
/// are smaller still, so this is a conservative event count.
const CHUNK_BYTES: usize = 256;
const ROUNDS: usize = 3;

pub async fn page_bench_command() -> anyhow::Result<ExitCode> {
    let dir = crate::bench::tempfile_dir("arena-page-bench")?;
    let reply = dir.join("reply.md");
    std::fs::write(&reply, large_reply())?;
    let mut file = String::new();
    for index in 0..CONTESTANTS {
        file.push_str(&format!(
            "[[contestants]]\nid = \"page-{index}\"\nname = \"Replay {index}\"\n\
             provider = \"replay\"\nmodel = \"recorded\"\nreplay = {:?}\n\
             params = {{ chunk-delay-ms = 0, chunk-bytes = {CHUNK_BYTES} }}\ndefault = true\n\n",
            reply.display().to_string()
        ));
    }
    let contestants = dir.join("contestants.toml");
    std::fs::write(&contestants, file)?;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let config = ArenaConfig {
        data_dir: dir.join("data"),
        contestants_file: Some(contestants),
        gateway_port: Some(port),
        ..ArenaConfig::default()
    };
    let arena = Arena::start(config).await?;
    let router = arena::server::router(arena.clone(), "preview.localhost");
    tokio::spawn(async move { axum::serve(listener, router).await });

    let session = arena.start_session("Build a very long page", &[], "nextjs")?;
    arena.wait(&session).await;
    let (events, _) = session.subscribe(None);
    let last_seq = events.last().context("the battle produced events")?.seq;
    let stream_bytes: usize = events
        .iter()
        .map(|event| serde_json::to_string(event).map_or(0, |json| json.len()))
        .sum();
    println!(
        "Page benchmark: {CONTESTANTS} runs, {} events ({:.1} MiB of JSON), {} cores",
        events.len(),
        stream_bytes as f64 / 1024.0 / 1024.0,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );

    let events_url = format!("http://localhost:{port}/api/sessions/{}/events", session.id);
    let page_url = format!("http://localhost:{port}/sessions/{}", session.id);
    let browser = Browser::launch(BrowserSettings::default()).await?;
    let mut bare = Vec::new();
    let mut page = Vec::new();
    for round in 1..=ROUNDS {
        let bare_time = read_stream(&events_url, last_seq).await?;
        let page_time = replay_in_page(&browser, &page_url, last_seq).await?;
        println!(
            "  round {round}: bare client {:.0} ms, battle page {:.0} ms",
            bare_time.as_secs_f64() * 1000.0,
            page_time.as_secs_f64() * 1000.0
        );
        bare.push(bare_time);
        page.push(page_time);
    }
    browser.close().await;
    arena.stop_all("benchmark over").await;
    let _ = std::fs::remove_dir_all(&dir);

    let (bare, page) = (median(bare), median(page));
    println!(
        "Median: bare client {:.0} ms, battle page {:.0} ms ({:.2}x the bare client); the page \
         renders {:.0} events/s",
        bare.as_secs_f64() * 1000.0,
        page.as_secs_f64() * 1000.0,
        page.as_secs_f64() / bare.as_secs_f64(),
        events.len() as f64 / page.as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// A reply of about [`REPLY_BYTES`] of code in many files, and no package.json.
fn large_reply() -> String {
    let mut reply = String::from("Here is the page, in many parts.\n\n");
    let mut index = 0;
    while reply.len() < REPLY_BYTES {
        reply.push_str(&format!("**components/Part{index}.js**\n```jsx\n"));
        for line in 0..40 {
            reply.push_str(&format!(
                "export const part{index}_{line} = \"section {index}, line {line} of the page\";\n"
            ));
        }
        reply.push_str("```\n\n");
        index += 1;
    }
    reply
}

/// Time for a plain HTTP client to receive every event up to `last_seq`.
async fn read_stream(url: &str, last_seq: u64) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let response = reqwest::get(url).await?.error_for_status()?;
    let mut body = response.bytes_stream();
    let wanted = format!("id: {last_seq}\n");
    let mut tail = String::new();
    while let Some(chunk) = body.next().await {
        tail.push_str(&String::from_utf8_lossy(&chunk?));
        if tail.contains(&wanted) {
            return Ok(started.elapsed());
        }
        // Keep only enough of the end to find an id line split across chunks.
        if tail.len() > 4096 {
            tail.drain(..tail.len() - 64);
        }
    }
    anyhow::bail!("the stream ended before event {last_seq}")
}

/// Time from navigation to the page having applied every event up to `last_seq`.
async fn replay_in_page(browser: &Browser, url: &str, last_seq: u64) -> anyhow::Result<Duration> {
    let page = browser.blank_page(1440, 900).await?;
    let started = Instant::now();
    page.goto(url).await?;
    let deadline = started + Duration::from_secs(300);
    let check = format!("document.body.dataset.lastEvent === '{last_seq}'");
    loop {
        let done: bool = page.evaluate(check.as_str()).await?.into_value()?;
        if done {
            break;
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "the page did not catch up in 300 s"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let elapsed = started.elapsed();
    let _ = page.close().await;
    Ok(elapsed)
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}
