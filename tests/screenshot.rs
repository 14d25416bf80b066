//! The screenshot stage against the real system Chromium and pages served from loopback.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use arena::screenshot::{Browser, BrowserSettings, ScreenshotError, Shot};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const GREEN: [u8; 3] = [0x1e, 0x6b, 0x3a];
const BLUE: [u8; 3] = [0x2a, 0x3f, 0x9d];
const LOAD_TIMEOUT: Duration = Duration::from_secs(5);

fn viewports() -> Vec<(String, u32, u32)> {
    vec![
        ("desktop".to_string(), 1440, 900),
        ("mobile".to_string(), 390, 844),
    ]
}

fn init_tracing() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter("arena::screenshot=debug")
        .with_test_writer()
        .try_init();
}

async fn launch() -> Browser {
    init_tracing();
    let started = Instant::now();
    let browser = Browser::launch(BrowserSettings::default())
        .await
        .expect("launch Chromium");
    eprintln!(
        "timing: browser launch {} ms",
        started.elapsed().as_millis()
    );
    browser
}

/// Serves the fixture pages on `127.0.0.1:<port>`; `{{NAME}}` placeholders are filled in.
async fn serve_pages(values: &[(&str, String)]) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages");
    let mut pages = HashMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let mut html = std::fs::read_to_string(&path).unwrap();
        for (name, value) in values {
            html = html.replace(&format!("{{{{{name}}}}}"), value);
        }
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        pages.insert(format!("/{stem}.html"), html);
    }
    let pages = Arc::new(pages);

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(respond(stream, pages.clone()));
        }
    });
    base
}

async fn respond(mut stream: TcpStream, pages: Arc<HashMap<String, String>>) {
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 65536 {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let request = String::from_utf8_lossy(&request);
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let (status, body) = match pages.get(path) {
        Some(html) => ("200 OK", html.as_str()),
        None => ("404 Not Found", "not found"),
    };
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// A port that accepts connections and never answers on them.
async fn silent_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    port
}

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

struct Image {
    width: u32,
    height: u32,
    pixels: Vec<[u8; 3]>,
}

impl Image {
    fn open(path: &Path) -> Image {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().expect("a PNG");
        let mut data = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut data).unwrap();
        let channels = info.color_type.samples();
        assert!(channels >= 3, "expected colour, got {:?}", info.color_type);
        let pixels = data[..info.buffer_size()]
            .chunks_exact(channels)
            .map(|p| [p[0], p[1], p[2]])
            .collect();
        Image {
            width: info.width,
            height: info.height,
            pixels,
        }
    }

    fn share_of(&self, colour: [u8; 3]) -> f64 {
        let near = |p: &[u8; 3]| p.iter().zip(colour).all(|(a, b)| a.abs_diff(b) <= 2);
        self.pixels.iter().filter(|p| near(p)).count() as f64 / self.pixels.len() as f64
    }

    fn distinct_colours(&self) -> usize {
        self.pixels.iter().collect::<HashSet<_>>().len()
    }
}

/// The shot is the background colour with a heading on it: mostly `background`, some
/// other pixels, several colours (text is anti-aliased).
fn assert_painted(shot: &Shot, background: [u8; 3]) {
    let image = Image::open(&shot.path);
    assert_eq!(
        (image.width, image.height),
        (shot.width, shot.height),
        "{}",
        shot.viewport
    );
    let share = image.share_of(background);
    assert!(
        share > 0.5,
        "{}: background covers only {share:.3}",
        shot.viewport
    );
    assert!(
        share < 0.995,
        "{}: nothing but background ({share:.4})",
        shot.viewport
    );
    let colours = image.distinct_colours();
    assert!(colours >= 3, "{}: only {colours} colours", shot.viewport);
}

/// With `ARENA_KEEP_SHOTS=<dir>`, copies the shots there for a person to look at.
fn keep(shots: &[Shot], page: &str) {
    let Ok(dir) = std::env::var("ARENA_KEEP_SHOTS") else {
        return;
    };
    for shot in shots {
        let copy = Path::new(&dir).join(format!("{page}-{}.png", shot.viewport));
        std::fs::copy(&shot.path, copy).unwrap();
    }
}

fn out_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[tokio::test]
async fn desktop_and_mobile_shots_have_their_size_and_show_the_page() {
    let base = serve_pages(&[]).await;
    let browser = launch().await;
    let out = out_dir();

    let started = Instant::now();
    let url = format!("{base}/colours.html");
    let shots = browser
        .capture(&url, &viewports(), out.path(), LOAD_TIMEOUT)
        .await
        .unwrap();
    eprintln!("timing: two viewports {} ms", started.elapsed().as_millis());

    assert_eq!(shots.len(), 2);
    for (shot, (name, width, height)) in shots.iter().zip(viewports()) {
        eprintln!("timing: {name} loaded in {} ms", shot.load_millis);
        assert_eq!(shot.viewport, name);
        assert_eq!((shot.width, shot.height), (width, height));
        assert_eq!(shot.path, out.path().join(format!("{name}.png")));
        assert!(!shot.timed_out_waiting, "{name}");
        assert!(
            shot.console_errors.is_empty(),
            "{name}: {:?}",
            shot.console_errors
        );
        assert!(
            shot.failed_requests.is_empty(),
            "{name}: {:?}",
            shot.failed_requests
        );
        assert_painted(shot, GREEN);
    }
    let leftovers: Vec<PathBuf> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none_or(|ext| ext != "png"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    keep(&shots, "colours");
    browser.close().await;
}

#[tokio::test]
async fn console_errors_and_uncaught_exceptions_are_recorded() {
    let base = serve_pages(&[]).await;
    let browser = launch().await;
    let out = out_dir();

    let url = format!("{base}/errors.html");
    let desktop = [viewports()[0].clone()];
    let shots = browser
        .capture(&url, &desktop, out.path(), LOAD_TIMEOUT)
        .await
        .unwrap();

    let errors = &shots[0].console_errors;
    assert!(
        errors
            .iter()
            .any(|e| e == "console.error: arena-console-error 42"),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("Uncaught Error: arena-uncaught-exception")),
        "{errors:?}"
    );
    assert!(
        !errors.iter().any(|e| e.contains("not an error")),
        "{errors:?}"
    );
    let failed = &shots[0].failed_requests;
    assert_eq!(failed, &[format!("{base}/missing.png: HTTP 404 Not Found")]);
    assert!(!shots[0].timed_out_waiting);
    browser.close().await;
}

#[tokio::test]
async fn hanging_and_refused_subresources_bound_the_wait_and_are_listed() {
    let hang_port = silent_port().await;
    let closed = closed_port();
    let base = serve_pages(&[
        ("HANG_PORT", hang_port.to_string()),
        ("CLOSED_PORT", closed.to_string()),
    ])
    .await;
    let browser = launch().await;
    let out = out_dir();

    let url = format!("{base}/offline.html");
    let started = Instant::now();
    let shots = browser
        .capture(&url, &viewports(), out.path(), LOAD_TIMEOUT)
        .await
        .unwrap();
    let elapsed = started.elapsed();
    eprintln!(
        "timing: two viewports of a hanging page {} ms",
        elapsed.as_millis()
    );

    // Two waits of 5 s, plus the shots: well under what an unbounded wait would take.
    assert!(
        elapsed < 2 * LOAD_TIMEOUT + Duration::from_secs(10),
        "{elapsed:?}"
    );
    let image_url = format!("http://127.0.0.1:{closed}/hero.jpg");
    let stylesheet_url = format!("http://127.0.0.1:{hang_port}/x.css");
    for shot in &shots {
        assert!(shot.timed_out_waiting, "{}", shot.viewport);
        assert!(
            shot.load_millis >= LOAD_TIMEOUT.as_millis() as u64 - 50,
            "{}: {}",
            shot.viewport,
            shot.load_millis
        );
        let failed = &shot.failed_requests;
        assert!(
            failed
                .iter()
                .any(|f| f == &format!("{image_url}: net::ERR_CONNECTION_REFUSED")),
            "{}: {failed:?}",
            shot.viewport
        );
        // Stopping the load cancels the stylesheet, which is listed too.
        assert!(
            failed
                .iter()
                .any(|f| f.starts_with(&format!("{stylesheet_url}: "))),
            "{}: {failed:?}",
            shot.viewport
        );
        // The render-blocking stylesheet was cancelled, so the page painted.
        assert_painted(shot, GREEN);
    }
    keep(&shots, "offline");
    browser.close().await;
}

#[tokio::test]
async fn two_runs_capture_at_once_on_one_browser() {
    let base = serve_pages(&[]).await;
    let browser = launch().await;
    let (first_dir, second_dir) = (out_dir(), out_dir());

    let first_url = format!("{base}/colours.html");
    let second_url = format!("{base}/second.html");
    let viewports = viewports();
    let started = Instant::now();
    let (first, second) = tokio::join!(
        browser.capture(&first_url, &viewports, first_dir.path(), LOAD_TIMEOUT),
        browser.capture(&second_url, &viewports, second_dir.path(), LOAD_TIMEOUT),
    );
    eprintln!(
        "timing: two runs at once {} ms",
        started.elapsed().as_millis()
    );

    for shot in first.unwrap() {
        assert_painted(&shot, GREEN);
    }
    for shot in second.unwrap() {
        assert_painted(&shot, BLUE);
    }
    browser.close().await;
}

#[tokio::test]
async fn a_dead_browser_is_replaced_by_the_next_capture() {
    let base = serve_pages(&[]).await;
    let browser = launch().await;
    let out = out_dir();
    let url = format!("{base}/colours.html");
    let desktop = [viewports()[0].clone()];

    let pid = browser.process_id().await.expect("a running Chromium");
    let status = std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status();
    assert!(status.unwrap().success());
    // Let the closed DevTools connection be noticed.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let started = Instant::now();
    let shots = browser
        .capture(&url, &desktop, out.path(), LOAD_TIMEOUT)
        .await
        .unwrap();
    eprintln!(
        "timing: relaunch and capture {} ms",
        started.elapsed().as_millis()
    );
    assert_painted(&shots[0], GREEN);

    let new_pid = browser.process_id().await.expect("a new Chromium");
    assert_ne!(new_pid, pid);
    browser.close().await;
}

#[tokio::test]
async fn an_unreachable_site_is_a_navigation_error() {
    let browser = launch().await;
    let out = out_dir();
    let url = format!("http://127.0.0.1:{}/", closed_port());
    let desktop = [viewports()[0].clone()];

    let started = Instant::now();
    let error = browser
        .capture(&url, &desktop, out.path(), LOAD_TIMEOUT)
        .await
        .unwrap_err();
    assert!(started.elapsed() < LOAD_TIMEOUT, "{:?}", started.elapsed());
    match &error {
        ScreenshotError::Navigation { reason, .. } => {
            assert!(reason.contains("ERR_CONNECTION_REFUSED"), "{reason}")
        }
        other => panic!("expected a navigation error, got {other:?}"),
    }
    browser.close().await;
}

#[tokio::test]
async fn bad_settings_and_viewports_are_explained() {
    let settings = BrowserSettings {
        executable: Some("/nonexistent/chromium".into()),
        ..Default::default()
    };
    let error = Browser::launch(settings).await.unwrap_err();
    assert!(
        matches!(error, ScreenshotError::ExecutableMissing(_)),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("apt-get install chromium"),
        "{error}"
    );

    let browser = launch().await;
    let out = out_dir();
    for viewport in [
        ("../escape".to_string(), 100, 100),
        ("wide".to_string(), 0, 100),
    ] {
        let error = browser
            .capture("http://127.0.0.1:1/", &[viewport], out.path(), LOAD_TIMEOUT)
            .await
            .unwrap_err();
        assert!(
            matches!(error, ScreenshotError::InvalidViewport { .. }),
            "{error:?}"
        );
    }
    browser.close().await;
}

#[tokio::test]
async fn a_page_that_never_yields_fails_in_bounded_time_and_harms_no_other_capture() {
    let base = serve_pages(&[]).await;
    let browser = launch().await;
    let out = out_dir();
    let desktop = [viewports()[0].clone()];
    let timeout = Duration::from_secs(2);

    let started = Instant::now();
    let busy = browser
        .capture(&format!("{base}/busy.html"), &desktop, out.path(), timeout)
        .await;
    let elapsed = started.elapsed();
    eprintln!(
        "timing: a page that never yields gave up after {} ms",
        elapsed.as_millis()
    );
    let error = busy.expect_err("a page stuck in a script has no screenshot");
    assert!(
        matches!(error, ScreenshotError::StepTimeout { .. }),
        "{error:?}"
    );
    assert!(
        elapsed < timeout + 2 * arena::screenshot::STEP_TIMEOUT,
        "{elapsed:?}"
    );

    let url = format!("{base}/colours.html");
    let shots = browser
        .capture(&url, &desktop, out.path(), timeout)
        .await
        .unwrap();
    assert_painted(&shots[0], GREEN);
    browser.close().await;
}

#[tokio::test]
async fn profiles_left_by_a_killed_arena_are_removed_at_launch() {
    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let gone_pid = gone.id();
    gone.wait().unwrap();
    let abandoned = std::env::temp_dir().join(format!("arena-chromium-{gone_pid}-abandoned"));
    let ours = std::env::temp_dir().join(format!("arena-chromium-{}-in-use", std::process::id()));
    for dir in [&abandoned, &ours] {
        std::fs::create_dir_all(dir.join("Default")).unwrap();
    }

    let browser = launch().await;
    // The sweep runs beside the launch; give it a moment to finish.
    for _ in 0..50 {
        if !abandoned.exists() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        !abandoned.exists(),
        "{} is still there",
        abandoned.display()
    );
    assert!(ours.exists(), "the profile of a running arena was removed");
    std::fs::remove_dir_all(&ours).unwrap();
    browser.close().await;
}

#[tokio::test]
async fn the_page_probe_reports_what_page_scorers_read() {
    let base = serve_pages(&[]).await;
    let browser = launch().await;
    let out = out_dir();
    let shots = browser
        .capture(
            &format!("{base}/facts.html"),
            &viewports(),
            out.path(),
            LOAD_TIMEOUT,
        )
        .await
        .unwrap();
    let (desktop, mobile) = (&shots[0].page, &shots[1].page);

    assert_eq!(desktop.images_without_alt, ["/missing-cat.png"]);
    assert_eq!(
        desktop.headings,
        ["h2: Bakery hours", "h4: Sourdough every morning"]
    );
    assert_eq!(desktop.unlabelled_fields, ["input type=email"]);
    // Colours in any syntax are compared as the browser paints them: the pale color-mix
    // ink is low contrast, the dark oklch one is not.
    assert_eq!(desktop.low_contrast.len(), 2, "{:?}", desktop.low_contrast);
    assert!(
        desktop.low_contrast[0].starts_with("Barely readable footnote (1.6:1)"),
        "{:?}",
        desktop.low_contrast
    );
    assert!(
        desktop.low_contrast[1].starts_with("Pale ink by color-mix"),
        "{:?}",
        desktop.low_contrast
    );
    assert!(
        desktop.text.contains("Readable on black"),
        "{}",
        desktop.text
    );
    // The 2000 px element overflows both viewports, by the viewport's shortfall.
    assert_eq!(desktop.overflow_px, 2000 - 1440);
    assert_eq!(mobile.overflow_px, 2000 - 390);
    // The page and its two (missing) images: three finished requests, and the page's own
    // bytes at least.
    let html = std::fs::metadata(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages/facts.html"),
    )
    .unwrap()
    .len();
    assert!(
        desktop.transfer_bytes > html,
        "{} <= {html}",
        desktop.transfer_bytes
    );
    assert!(desktop.requests >= 3, "{}", desktop.requests);
    browser.close().await;
}
