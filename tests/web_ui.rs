//! The web arena, used as a person would in a real headless Chromium, against a real arena
//! (bundled plugins, Docker, npm and `next build`, the gateway).
//!
//! The person opens the home page, types a prompt, picks two offline contestants (the
//! template and a replayed page that probes its sandbox), starts, and watches both cards go
//! to ready on the live stream while the connection is cut twice under the page. Then the
//! logs, reply and files shown must equal the run records exactly (nothing lost or
//! repeated), both previews must have painted inside their iframes, and the probe must
//! report that it could read none of the arena's document, cookies or storage.
//!
//! Screenshots of the arena at desktop and phone widths are saved under
//! `target/test-artifacts/web-ui/`.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use arena::arena::{Arena, ArenaConfig};
use arena::run::{RunRecord, Status};
use chromiumoxide::cdp::browser_protocol::page::CaptureScreenshotFormat;
use chromiumoxide::cdp::browser_protocol::page::Viewport;
use chromiumoxide::page::ScreenshotParams;
use common::browser::{Chrome, Tab};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

const PROMPT: &str = "Build a landing page for a bicycle repair shop with opening hours";
const SANDBOX: &str = "allow-scripts allow-forms allow-modals allow-popups";

fn contestants_file(dir: &std::path::Path) -> std::path::PathBuf {
    let reply = common::fixtures().join("replies/sandbox-probe.md");
    let broken =
        common::fixtures().join("cases/08-missing-build-script/reply-b-no-package-json.md");
    let text = format!(
        r#"
[[contestants]]
id = "studio"
name = "Template studio"
provider = "template"
model = "studio"
default = true

[[contestants]]
id = "probe"
name = "Sandbox probe"
provider = "replay"
model = "recorded"
replay = {reply:?}
params = {{ chunk-delay-ms = 2 }}

[[contestants]]
id = "no-package"
name = "Reply without package.json"
provider = "replay"
model = "recorded"
replay = {broken:?}
params = {{ chunk-delay-ms = 0 }}

[[contestants]]
id = "bold"
name = "Template bold"
provider = "template"
model = "bold"
default = true

[[contestants]]
id = "ghost"
name = "Ghost model"
provider = "not-installed"
model = "none"
"#
    );
    let path = dir.join("contestants.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// A TCP relay in front of the arena that can cut every open connection at once, the way
/// a flaky network or a proxy restart does, and that notes the first request line and
/// headers of each connection.
struct Relay {
    port: u16,
    cut: watch::Sender<u64>,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Relay {
    async fn start(backend: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (cut, cuts) = watch::channel(0u64);
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        tokio::spawn(async move {
            loop {
                let (mut client, _) = listener.accept().await.unwrap();
                let mut cuts = cuts.clone();
                // Only cuts from now on end this connection.
                cuts.borrow_and_update();
                let seen = seen.clone();
                tokio::spawn(async move {
                    let mut server = TcpStream::connect(("127.0.0.1", backend)).await.unwrap();
                    let mut first = vec![0; 4096];
                    let Ok(n) = client.read(&mut first).await else {
                        return;
                    };
                    seen.lock()
                        .unwrap()
                        .push(String::from_utf8_lossy(&first[..n]).into_owned());
                    if server.write_all(&first[..n]).await.is_err() {
                        return;
                    }
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cuts.changed() => {}
                    }
                });
            }
        });
        Self {
            port,
            cut,
            requests,
        }
    }

    /// Drops every connection open now.
    fn cut_all(&self) {
        self.cut.send_modify(|count| *count += 1);
    }

    /// Requests opened after the `since`-th one.
    fn requests_since(&self, since: usize) -> Vec<String> {
        self.requests.lock().unwrap()[since..].to_vec()
    }

    fn request_count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

fn artifacts() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-artifacts/web-ui");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A card's text content in one of its parts, by run id and CSS selector.
async fn card_text(tab: &Tab, run: &str, selector: &str) -> String {
    tab.eval(&format!(
        "document.querySelector('#run-{run} {selector}').textContent"
    ))
    .await
}

async fn status_of(tab: &Tab, run: &str) -> String {
    tab.eval(&format!(
        "document.querySelector('#run-{run}').dataset.status"
    ))
    .await
}

/// A PNG of the element `selector` as it is painted on the page.
async fn element_png(tab: &Tab, selector: &str) -> Vec<u8> {
    let rect: serde_json::Value = tab
        .eval(&format!(
            "(() => {{ const e = document.querySelector('{selector}');
                e.scrollIntoView({{ block: 'center' }});
                const r = e.getBoundingClientRect();
                return {{ x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height }}; }})()"
        ))
        .await;
    let clip = Viewport {
        x: rect["x"].as_f64().unwrap(),
        y: rect["y"].as_f64().unwrap(),
        width: rect["width"].as_f64().unwrap(),
        height: rect["height"].as_f64().unwrap(),
        scale: 1.0,
    };
    let params = ScreenshotParams::builder()
        .format(CaptureScreenshotFormat::Png)
        .clip(clip)
        .capture_beyond_viewport(true)
        .build();
    tab.page.bring_to_front().await.unwrap();
    tab.page.screenshot(params).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_starts_a_battle_and_watches_it_live_in_the_browser() {
    let dir = tempfile::tempdir().unwrap();
    let backend = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let relay = Relay::start(backend.local_addr().unwrap().port()).await;
    // The bundled pipelines plus a broken one, and a plugin folder holding a broken
    // component, for the plugins page to report.
    let pipelines = dir.path().join("pipelines");
    std::fs::create_dir_all(&pipelines).unwrap();
    let bundled = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("pipelines");
    for entry in std::fs::read_dir(bundled).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, pipelines.join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        pipelines.join("broken.toml"),
        "[pipeline]\nid = \"broken\"\nname = \"Broken\"\nbogus_key = 1\n",
    )
    .unwrap();
    let plugin_dir = dir.path().join("plugins");
    std::fs::create_dir_all(&plugin_dir).unwrap();
    std::fs::write(plugin_dir.join("garbage.wasm"), b"not a component").unwrap();
    let config = ArenaConfig {
        data_dir: dir.path().join("data"),
        contestants_file: Some(contestants_file(dir.path())),
        gateway_port: Some(relay.port),
        pipelines_dir: Some(pipelines),
        plugin_dirs: vec![plugin_dir],
        ..ArenaConfig::default()
    };
    let arena = Arena::start(config)
        .await
        .expect("arena starts (is Docker running?)");
    let router = arena::server::router(arena.clone(), "preview.localhost");
    tokio::spawn(async move { axum::serve(backend, router).await });
    let base = format!("http://localhost:{}", relay.port);
    let chrome = Chrome::launch().await;

    // Home: the picker groups contestants by provider and says why one is unavailable.
    let home = chrome.open(&format!("{base}/"), 1440, 1000).await;
    home.wait_for(
        "the contestant picker",
        "document.querySelectorAll('#contestants input[type=checkbox]').length === 5",
        Duration::from_secs(20),
    )
    .await;
    let groups: Vec<String> = home
        .eval("[...document.querySelectorAll('.provider-name')].map(h => h.textContent)")
        .await;
    assert_eq!(groups, ["Offline template", "Replay", "not-installed"]);
    let ghost: serde_json::Value = home
        .eval(
            "(() => { const box = document.getElementById('contestant-ghost');
               const why = document.getElementById(box.getAttribute('aria-describedby'));
               return { disabled: box.disabled, why: why.textContent }; })()",
        )
        .await;
    assert_eq!(ghost["disabled"], true);
    let why = ghost["why"].as_str().unwrap();
    assert!(
        why.starts_with("Unavailable: ") && why.contains("not-installed"),
        "{why}"
    );

    // Every control is reachable from the keyboard, up to the start button.
    home.eval::<bool>("(document.getElementById('prompt').focus(), true)")
        .await;
    let mut reached = Vec::new();
    for _ in 0..30 {
        home.page
            .find_element("body")
            .await
            .unwrap()
            .press_key("Tab")
            .await
            .unwrap();
        let id: String = home
            .eval("document.activeElement.id || document.activeElement.textContent")
            .await;
        reached.push(id.clone());
        if id == "start" {
            break;
        }
    }
    for expected in ["contestant-studio", "contestant-probe", "pipeline", "start"] {
        assert!(
            reached.contains(&expected.to_owned()),
            "Tab order {reached:?}"
        );
    }
    assert!(
        !reached.contains(&"contestant-ghost".to_owned()),
        "{reached:?}"
    );

    // Type a prompt, pick the template and the probe (not bold), start.
    home.type_into("#prompt", PROMPT).await;
    home.click("#contestant-bold").await;
    home.click("#contestant-probe").await;
    home.click("#contestant-no-package").await;
    let picked: Vec<String> = home
        .eval("[...document.querySelectorAll('#contestants input:checked')].map(b => b.value)")
        .await;
    assert_eq!(picked, ["studio", "probe", "no-package"]);
    home.click("#start").await;
    let session_url = home
        .wait_for(
            "the battle page",
            "location.pathname.startsWith('/sessions/') && location.href",
            Duration::from_secs(20),
        )
        .await;
    let session_url = session_url.as_str().unwrap().to_owned();
    let tab = home;
    let session_id = session_url.rsplit('/').next().unwrap().to_owned();
    let session = arena.session(&session_id).expect("the session exists");
    assert_eq!(session.prompt, PROMPT);

    // Mark the page (a reload would lose the mark), plant an arena cookie and storage item
    // for the probe to look for, collect its report, and measure layout shifts.
    tab.wait_for(
        "both cards",
        "document.querySelectorAll('.card').length === 3",
        Duration::from_secs(20),
    )
    .await;
    tab.eval::<bool>(
        "(() => {
            window.sameDocument = 'yes';
            document.cookie = 'arena-secret=s3cret; path=/';
            localStorage.setItem('arena-secret', 's3cret');
            window.probeReports = [];
            addEventListener('message', (event) => {
              if (event.data && event.data.sandboxProbe) {
                window.probeReports.push({ origin: event.origin, found: event.data.sandboxProbe });
              }
            });
            window.layoutShift = 0;
            new PerformanceObserver((list) => {
              for (const entry of list.getEntries()) {
                if (!entry.hadRecentInput) window.layoutShift += entry.value;
              }
            }).observe({ type: 'layout-shift' });
            return true;
          })()",
    )
    .await;

    let runs = arena.runs_of(&session);
    let run_of = |contestant: &str| -> String {
        runs.iter()
            .find(|run| run.contestant.id == contestant)
            .unwrap()
            .id
            .clone()
    };
    let (studio, probe, broken) = (run_of("studio"), run_of("probe"), run_of("no-package"));

    // Watch the states go by on the live stream; cut the connection twice on the way.
    let mut seen = std::collections::BTreeMap::<String, Vec<String>>::new();
    let mut cuts = Vec::new();
    let mut finished_at = None;
    let deadline = std::time::Instant::now() + Duration::from_secs(1200);
    loop {
        for run in [&studio, &probe, &broken] {
            let status = status_of(&tab, run).await;
            let states = seen.entry(run.clone()).or_default();
            if states.last() != Some(&status) {
                states.push(status);
            }
        }
        let studio_status = seen[&studio].last().unwrap().clone();
        if cuts.is_empty() && studio_status == "installing" {
            cuts.push((relay.request_count(), "installing"));
            relay.cut_all();
        }
        if cuts.len() == 1 && studio_status == "building" {
            cuts.push((relay.request_count(), "building"));
            relay.cut_all();
        }
        if seen.values().all(|states| {
            states
                .last()
                .is_some_and(|status| ["ready", "failed", "terminated"].contains(&status.as_str()))
        }) {
            break;
        }
        // The page may trail the arena by a moment, not more.
        let arena_done = arena
            .runs_of(&session)
            .iter()
            .all(|run| run.status.is_final());
        if arena_done && finished_at.is_none() {
            finished_at = Some(std::time::Instant::now());
        }
        let page_late = finished_at.is_some_and(|at| at.elapsed() > Duration::from_secs(30));
        assert!(
            std::time::Instant::now() < deadline && !page_late,
            "states seen on the page {seen:?}; arena: {:?}; console: {:#?}",
            arena
                .runs_of(&session)
                .iter()
                .map(|run| (&run.id, run.status))
                .collect::<Vec<_>>(),
            tab.console()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let records: Vec<RunRecord> = arena.runs_of(&session);
    let record = |id: &str| records.iter().find(|run| run.id == id).unwrap().clone();
    for id in [&studio, &probe] {
        let record = record(id);
        assert_eq!(record.status, Status::Ready, "{:?}", record.failure);
        // The page saw the run move through its stages in order, ending at ready.
        let states = &seen[id];
        assert_eq!(states.last().unwrap(), "ready", "{states:?}");
        let order = |status: &str| {
            [
                "queued",
                "generating",
                "validating",
                "installing",
                "building",
                "starting",
                "healthy",
                "capturing",
                "scoring",
                "ready",
            ]
            .iter()
            .position(|known| *known == status)
            .unwrap_or_else(|| panic!("unknown state {status}"))
        };
        // Waiting for a build slot shows as queued again after validating: a wait, not a
        // stage, so only the stages must come in order.
        let stages: Vec<&String> = states
            .iter()
            .enumerate()
            .filter(|(index, state)| *index == 0 || state.as_str() != "queued")
            .map(|(_, state)| state)
            .collect();
        assert!(
            stages
                .windows(2)
                .all(|pair| order(pair[0]) < order(pair[1])),
            "{states:?}"
        );
        assert!(states.len() >= 4, "too few states seen live: {states:?}");
    }
    assert_eq!(
        cuts.len(),
        2,
        "the connection was cut while installing and building"
    );

    // The broken reply's card says, in words, which stage failed and why, and lists the
    // validators' findings.
    let broken_record = record(&broken);
    assert_eq!(broken_record.failed_stage, Some(Status::Validating));
    let failure: serde_json::Value = tab
        .eval(&format!(
            "(() => {{ const card = document.querySelector('#run-{broken}');
                return {{ status: card.dataset.status,
                          visible: !card.querySelector('.view-failure').hidden,
                          title: card.querySelector('.failure-title').textContent,
                          reason: card.querySelector('.failure-reason').textContent,
                          checks: card.querySelector('.check-list').textContent }}; }})()"
        ))
        .await;
    assert_eq!(failure["status"], "failed");
    assert_eq!(failure["visible"], true);
    assert_eq!(
        failure["title"],
        "Failed while checking the generated files"
    );
    assert_eq!(
        failure["reason"],
        broken_record.failure.clone().unwrap().as_str()
    );
    assert!(
        failure["reason"]
            .as_str()
            .unwrap()
            .contains("no package.json"),
        "{failure:#}"
    );
    let first_error = broken_record
        .diagnostics
        .iter()
        .find(|diagnostic| diagnostic.severity == arena::plugin::Severity::Error)
        .expect("an error diagnostic");
    assert!(
        failure["checks"]
            .as_str()
            .unwrap()
            .contains(&first_error.message),
        "{failure:#}"
    );

    // After each cut, the page's event stream came back by itself, saying where it was.
    for (since, stage) in &cuts {
        let after = relay.requests_since(*since);
        let resumed = after
            .iter()
            .find(|request| request.starts_with(&format!("GET /api/sessions/{session_id}/events")));
        let resumed = resumed.unwrap_or_else(|| {
            panic!("no new event stream after the cut while {stage}: {after:#?}")
        });
        let lowered = resumed.to_ascii_lowercase();
        assert!(
            lowered.contains("last-event-id:") || resumed.contains("?after="),
            "the stream resumed without saying where: {resumed}"
        );
    }
    let same: String = tab.eval("window.sameDocument").await;
    assert_eq!(same, "yes", "the page was reloaded");

    // Nothing lost, nothing repeated: the page applied every event of the session exactly
    // once (a server that ignored Last-Event-ID would have sent some twice), and what it
    // shows equals the records.
    let marks: serde_json::Value = tab
        .eval("({ applied: document.body.dataset.eventsApplied, repeats: document.body.dataset.repeatsDropped })")
        .await;
    assert_eq!(marks["repeats"], "0", "events arrived twice: {marks}");
    let applied: usize = marks["applied"].as_str().unwrap().parse().unwrap();
    let total = session.subscribe(None).0.len();
    assert!(
        applied <= total && applied + 5 >= total,
        "the page applied {applied} of {total} events"
    );
    for id in [&studio, &probe] {
        let record = record(id);
        tab.wait_for(
            "the record to reach the page",
            &format!(
                "document.querySelector('#run-{id} .files .count').textContent === '{}'",
                record.files.len()
            ),
            Duration::from_secs(10),
        )
        .await;
        for phase in ["install", "build", "start"] {
            // The start log can still grow (the site prints while it serves): compare with
            // the record as it is now, and give the page a moment to draw the last lines.
            let mut shown = String::new();
            let mut kept = String::new();
            for _ in 0..20 {
                shown = card_text(&tab, id, &format!("details[data-phase={phase}] pre")).await;
                kept = arena
                    .run(id)
                    .unwrap()
                    .logs
                    .get(phase)
                    .cloned()
                    .unwrap_or_default();
                if shown == kept {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            assert!(!kept.is_empty(), "run {id} has no {phase} log");
            assert_eq!(shown, kept, "{phase} log of {id} differs from the record");
        }
        let reply = card_text(&tab, id, "details.reply pre").await;
        assert_eq!(reply, record.reply, "reply of {id}");
    }

    // Both previews are live in their iframes, sandboxed without allow-same-origin.
    for id in [&studio, &probe] {
        let url = record(id).public_url.unwrap();
        let frame: serde_json::Value = tab
            .eval(&format!(
                "(() => {{ const f = document.querySelector('#run-{id} iframe');
                    return {{ sandbox: f.getAttribute('sandbox'), src: f.src,
                              visible: !f.closest('.view').hidden }}; }})()"
            ))
            .await;
        assert_eq!(frame["sandbox"], SANDBOX);
        assert!(
            !frame["sandbox"]
                .as_str()
                .unwrap()
                .contains("allow-same-origin")
        );
        assert_eq!(frame["src"], url.as_str());
        assert_eq!(frame["visible"], true);
    }
    let probe_report = tab
        .wait_for(
            "the probe's report",
            "window.probeReports.length > 0 && window.probeReports[0]",
            Duration::from_secs(30),
        )
        .await;
    // A sandboxed frame without allow-same-origin has the opaque origin "null".
    assert_eq!(probe_report["origin"], "null", "{probe_report:#}");
    let found = &probe_report["found"];
    for attempt in [
        "parentDocument",
        "parentCookie",
        "parentStorage",
        "topLocation",
        "ownCookie",
        "ownStorage",
        "topNavigation",
    ] {
        assert_eq!(
            found[attempt]["read"], false,
            "{attempt} was readable: {found:#}"
        );
        assert_eq!(
            found[attempt]["error"], "SecurityError",
            "{attempt}: {found:#}"
        );
    }
    assert_eq!(found["ownOrigin"]["value"], "null", "{found:#}");
    // Its attempts to stop itself through the API and to take over the tab changed nothing.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(arena.run(&probe).unwrap().status, Status::Ready);
    let still: String = tab.eval("window.sameDocument + location.hash").await;
    assert_eq!(still, "yes", "the preview navigated the arena's tab");
    // And the studio's iframe did load its site through the gateway.
    let studio_host = format!("host: {studio}.preview.localhost");
    assert!(
        relay
            .requests_since(0)
            .iter()
            .any(|request| request.to_ascii_lowercase().contains(&studio_host)),
        "no request for the studio's preview reached the gateway"
    );

    // The previews painted: each iframe's area holds a rendered page, not a blank.
    tab.wait_for(
        "both previews loaded",
        "[...document.querySelectorAll('.card[data-status=ready] iframe')].every(f => f.dataset.loaded === 'yes')",
        Duration::from_secs(30),
    )
    .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    for id in [&studio, &probe] {
        let png = element_png(&tab, &format!("#run-{id} .view-preview")).await;
        let (_, _, colours) = common::png_colours(&png);
        assert!(
            colours > 20,
            "preview of {id} looks blank ({colours} colours)"
        );
    }

    // No layout shift while the cards changed state.
    let shift: f64 = tab.eval("window.layoutShift").await;
    assert!(
        shift < 0.02,
        "layout shifted by {shift} while cards changed state"
    );

    // Expand a log and read a file.
    tab.click(&format!("#run-{studio} details[data-phase=build] summary"))
        .await;
    let open: bool = tab
        .eval(&format!(
            "document.querySelector('#run-{studio} details[data-phase=build]').open"
        ))
        .await;
    assert!(open);
    let build_log = card_text(&tab, &studio, "details[data-phase=build] pre").await;
    assert!(
        build_log.contains("Compiled successfully")
            || build_log.contains("Generating static pages"),
        "{build_log}"
    );
    tab.click(&format!("#run-{studio} details.files summary"))
        .await;
    tab.click(&format!("#run-{studio} .file-list li:first-child button"))
        .await;
    let file_shown = tab
        .wait_for(
            "a file's text",
            &format!("document.querySelector('#run-{studio} .file-text').textContent"),
            Duration::from_secs(10),
        )
        .await;
    let first_file = &record(&studio).files[0].path;
    let on_disk = std::fs::read_to_string(
        arena
            .run_dir(&record(&studio))
            .join("project")
            .join(first_file),
    )
    .unwrap();
    assert_eq!(file_shown.as_str().unwrap(), on_disk, "{first_file}");

    let columns: usize = tab
        .eval("getComputedStyle(document.getElementById('cards')).gridTemplateColumns.split(' ').length")
        .await;
    assert_eq!(columns, 3, "three columns at 1440 px");

    // Below the cards, every run's scores in one table: a column per contestant, and the
    // ready ones scored by the page scorers from what their page showed.
    let table: serde_json::Value = tab
        .eval(
            "(() => { const t = document.getElementById('battle-scores');
               const heads = [...t.querySelectorAll('thead th')].map(h => h.textContent);
               const row = [...t.querySelectorAll('tbody tr')]
                 .find(r => r.querySelector('th').textContent === 'mobile-fits');
               return { heads, row: row ? [...row.children].map(c => c.textContent) : null }; })()",
        )
        .await;
    let heads = table["heads"].as_array().unwrap();
    assert_eq!(heads.len(), 2 + session.run_ids.len(), "{table}");
    let row = table["row"].as_array().expect("a mobile-fits row");
    assert_eq!(row[0], "mobile-layout", "{table}");
    assert!(
        row.iter().filter(|cell| *cell == "yes").count() >= 2,
        "{table}"
    );
    tab.save_screenshot(&artifacts().join("arena-desktop.png"))
        .await;

    // The same battle on a phone, opened from its shared URL after it ended: one column,
    // and the whole history caught up from the stream.
    let phone = chrome.open(&session_url, 390, 844).await;
    phone
        .wait_for(
            "both cards ready on the phone",
            "[...document.querySelectorAll('.card')].filter(c => c.dataset.status === 'ready').length === 2",
            Duration::from_secs(30),
        )
        .await;
    phone
        .wait_for(
            "both previews loaded on the phone",
            "[...document.querySelectorAll('.card[data-status=ready] iframe')].every(f => f.dataset.loaded === 'yes')",
            Duration::from_secs(30),
        )
        .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let lefts: Vec<f64> = phone
        .eval("[...document.querySelectorAll('.card')].map(c => c.getBoundingClientRect().left)")
        .await;
    assert!(
        lefts.windows(2).all(|pair| pair[0] == pair[1]),
        "one column: {lefts:?}"
    );
    let overflow: bool = phone
        .eval("document.documentElement.scrollWidth > document.documentElement.clientWidth")
        .await;
    assert!(!overflow, "the arena overflows a phone's width");
    for id in [&studio, &probe] {
        let png = element_png(&phone, &format!("#run-{id} .view-preview")).await;
        let (_, _, colours) = common::png_colours(&png);
        assert!(
            colours > 20,
            "phone: preview of {id} looks blank ({colours} colours)"
        );
    }
    let shown = card_text(&phone, &probe, "details[data-phase=build] pre").await;
    assert_eq!(shown, record(&probe).logs["build"]);
    phone
        .save_screenshot(&artifacts().join("arena-phone.png"))
        .await;

    // The plugins page lists what is loaded and from which file.
    let plugins = chrome.open(&format!("{base}/plugins"), 1280, 900).await;
    let text = plugins
        .wait_for(
            "the plugin list",
            "document.getElementById('plugins').children.length > 0 && document.body.innerText",
            Duration::from_secs(20),
        )
        .await;
    let text = text.as_str().unwrap();
    for expected in [
        "bundled template.wasm",
        "bundled replay.wasm",
        "nextjs.toml",
        "not-installed",
        "garbage.wasm",
        "broken.toml",
        "bogus_key",
    ] {
        assert!(
            text.contains(expected),
            "plugins page lacks {expected}:\n{text}"
        );
    }

    // Pages carry the arena's policy; only the arena's own pages may change anything.
    let client = reqwest::Client::new();
    let page = client.get(&session_url).send().await.unwrap();
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        policy.contains("frame-ancestors 'none'")
            && policy.contains("frame-src http://*.preview.localhost:*"),
        "{policy}"
    );
    let forged = client
        .post(format!("{base}/api/runs/{studio}/stop"))
        .header("origin", "null")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(arena.run(&studio).unwrap().status, Status::Ready);
    let outside = client
        .get(format!("{base}/api/runs/{studio}/files/..%2Freply.md"))
        .send()
        .await
        .unwrap();
    assert_eq!(outside.status(), 404);
    let bad_resume = client
        .get(format!("{base}/api/sessions/{session_id}/events?after=abc"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_resume.status(), 400);
    let body: serde_json::Value = serde_json::from_str(&bad_resume.text().await.unwrap()).unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("?after="),
        "{body}"
    );

    // Stop from the card: the badge turns to terminated and the screenshot replaces the
    // live preview.
    tab.click(&format!("#run-{studio} button.stop")).await;
    tab.wait_for(
        "the stopped card",
        &format!("document.querySelector('#run-{studio}').dataset.status === 'terminated' && !document.querySelector('#run-{studio} .view-shot').hidden"),
        Duration::from_secs(30),
    )
    .await;

    chrome.close().await;
    arena.stop_all("test over").await;
}
