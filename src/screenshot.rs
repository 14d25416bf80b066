//! The screenshot stage: one shared headless Chromium (the system's own binary; no browser is
//! ever downloaded) photographs each run's site at every viewport of its pipeline and notes
//! what went wrong while the page loaded.
//!
//! # Use
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use arena::screenshot::{Browser, BrowserSettings, ScreenshotError};
//!
//! # async fn shoot(url: &str, out: &std::path::Path) -> Result<(), ScreenshotError> {
//! let browser = Browser::launch(BrowserSettings::default()).await?; // once per process
//! let viewports = [("desktop".to_string(), 1440, 900), ("mobile".to_string(), 390, 844)];
//! let shots = browser.capture(url, &viewports, out, Duration::from_secs(10)).await?;
//! for shot in &shots {
//!     // out/desktop.png, out/mobile.png
//!     println!("{}: {} ms, {:?}", shot.viewport, shot.load_millis, shot.failed_requests);
//! }
//! browser.close().await;
//! # Ok(())
//! # }
//! ```
//!
//! # One viewport, step by step
//!
//! 1. A fresh browser context (incognito: no cookies, storage or cache shared with any other
//!    capture) and a blank page in it.
//! 2. Device metrics: the viewport's CSS size at device scale factor 1, so the PNG has
//!    exactly that many pixels; viewports narrower than [`MOBILE_BELOW`] also get mobile
//!    emulation (the page's `<meta name="viewport">` is honoured).
//! 3. Navigation, then a wait for the load event bounded by the caller's timeout. A page whose
//!    stylesheet, font or image hangs (no network at run time) does not hold the stage up:
//!    when the wait runs out, loading is stopped, so a render-blocking request is cancelled
//!    and the page paints with what it has, and the shot is taken anyway with
//!    [`Shot::timed_out_waiting`] set.
//! 4. While that happens: console errors (`console.error`/`console.assert`, uncaught
//!    exceptions, browser log errors) and failed requests (network failures, and responses
//!    with an HTTP error status) are collected for the scorers and the run page. The
//!    browser's own `/favicon.ico` request is left out: it comes on some pages and not
//!    others, and a missing icon costs the page nothing.
//! 5. The PNG is written to `<out_dir>/<viewport>.png` (through a temporary file, so readers
//!    never see half an image), and the context is disposed of, closing the page.
//!
//! Every other protocol step is bounded as well ([`STEP_TIMEOUT`]), so a page stuck in a
//! script fails its capture with an error instead of wedging the stage.
//!
//! # Sharing and failure
//!
//! [`Browser`] is meant to be shared (`Arc<Browser>`): captures from several runs proceed at
//! once, each in its own context. If Chromium exits or stops answering, the capture under way
//! fails with [`ScreenshotError::BrowserDied`] and the next capture starts a new Chromium, with
//! a new profile directory. Chromium runs with its background networking off (no updates,
//! sync, metrics, safe browsing or translation), so the only requests it makes are the
//! page's own.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chromiumoxide::cdp::browser_protocol::browser::BrowserContextId;
use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use chromiumoxide::cdp::browser_protocol::log::{EventEntryAdded, LogEntryLevel};
use chromiumoxide::cdp::browser_protocol::network::{
    EventLoadingFailed, EventLoadingFinished, EventRequestWillBeSent, EventResponseReceived,
    RequestId,
};
use chromiumoxide::cdp::browser_protocol::page::{CaptureScreenshotFormat, StopLoadingParams};
use chromiumoxide::cdp::browser_protocol::target::{
    CreateBrowserContextParams, CreateTargetParams,
};
use chromiumoxide::cdp::js_protocol::runtime::{
    ConsoleApiCalledType, EventConsoleApiCalled, EventExceptionThrown, RemoteObject,
};
use chromiumoxide::error::CdpError;
use chromiumoxide::listeners::EventStream;
use chromiumoxide::page::ScreenshotParams;
use chromiumoxide::{BrowserConfig, Page};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::{Mutex, oneshot};
use tokio::task::JoinHandle;
use tracing::{debug, info, warn};

/// Names looked up on `PATH`, in this order, when no executable is configured.
pub const EXECUTABLE_NAMES: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// The bound on every protocol step other than the wait for the load event (opening a page,
/// setting the viewport, taking the screenshot, closing the page).
pub const STEP_TIMEOUT: Duration = Duration::from_secs(15);

/// Viewports narrower than this many CSS pixels are emulated as mobile devices.
pub const MOBILE_BELOW: u32 = 768;

/// The largest viewport side accepted, in CSS pixels.
pub const MAX_VIEWPORT_SIDE: u32 = 8192;

/// How long Chromium may take to start and print its DevTools address.
const LAUNCH_TIMEOUT: Duration = Duration::from_secs(30);

/// chromiumoxide's own deadline for commands and navigations. Our bounds are shorter, so
/// this only sweeps up what we stopped waiting for.
const PROTOCOL_TIMEOUT: Duration = Duration::from_secs(120);

/// After loading is stopped, time for the page to paint what it has before the shot.
const SETTLE_AFTER_STOP: Duration = Duration::from_millis(300);

/// A hostile page can log without end: at most this many entries per list are kept...
const MAX_ENTRIES: usize = 100;
/// ...of at most this many characters each...
const MAX_ENTRY_CHARS: usize = 500;
/// ...and at most this many request URLs are remembered to name failed requests.
const MAX_TRACKED_REQUESTS: usize = 10_000;

/// Profile directories are `<temp>/arena-chromium-<arena pid>-<random>`.
const PROFILE_PREFIX: &str = "arena-chromium-";

/// Flags on top of chromiumoxide's defaults (which already turn off background networking,
/// sync, crash reporting, the first-run UI and default apps).
const QUIET_FLAGS: [&str; 7] = [
    "disable-gpu",
    "disable-component-update",
    "disable-domain-reliability",
    "no-pings",
    "no-default-browser-check",
    "safebrowsing-disable-auto-update",
    "disable-background-networking",
];

/// Browser features that phone home; merged into chromiumoxide's own `--disable-features`.
const QUIET_FEATURES: [&str; 5] = [
    "MediaRouter",
    "OptimizationHints",
    "AutofillServerCommunication",
    "Translate",
    "InterestFeedContentSuggestions",
];

/// How to start Chromium.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BrowserSettings {
    /// The Chromium or Chrome binary. Default: the first of [`EXECUTABLE_NAMES`] on `PATH`.
    pub executable: Option<PathBuf>,
    /// More command-line flags, such as `--proxy-server=...` (the leading `--` is optional).
    pub extra_args: Vec<String>,
}

/// One viewport's screenshot and what happened while the page loaded.
#[derive(Debug, Clone, Serialize)]
pub struct Shot {
    /// The viewport's name from the pipeline, also the PNG's file stem.
    pub viewport: String,
    pub width: u32,
    pub height: u32,
    /// The PNG, `<out_dir>/<viewport>.png`.
    pub path: PathBuf,
    /// From the start of navigation to the load event (or to the end of the bounded wait).
    pub load_millis: u64,
    /// Console errors, uncaught exceptions and browser log errors, in order.
    pub console_errors: Vec<String>,
    /// Requests that failed, as `URL: reason` (a network error or an HTTP error status).
    pub failed_requests: Vec<String>,
    /// The load event had not fired when the wait ran out; the shot was taken anyway.
    pub timed_out_waiting: bool,
    /// What the page showed, for page scorers.
    pub page: PageFacts,
}

/// What one load of a page showed, beyond its picture: gathered by `page_probe.js` in the
/// page, plus what the network events said. Facts, not judgements.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PageFacts {
    /// Bytes transferred (encoded, headers included) by requests that finished.
    pub transfer_bytes: u64,
    pub requests: u32,
    /// How far the document is wider than the viewport, in CSS pixels.
    pub overflow_px: u32,
    /// The visible text, at most 64 KiB.
    pub text: String,
    pub images_without_alt: Vec<String>,
    /// In document order, as `h2: text`.
    pub headings: Vec<String>,
    pub unlabelled_fields: Vec<String>,
    /// Text under WCAG AA contrast (4.5:1, 3:1 when large) with its background, as
    /// `text (2.1:1)`.
    pub low_contrast: Vec<String>,
}

/// The script that gathers [`PageFacts`] in the page.
const PAGE_PROBE: &str = include_str!("page_probe.js");

/// Why a screenshot could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum ScreenshotError {
    #[error(
        "no Chromium found on PATH (looked for {}); install it (Debian: `apt-get install \
         chromium`) or set the browser executable",
        EXECUTABLE_NAMES.join(", ")
    )]
    NotInstalled,

    #[error(
        "the browser executable {} does not exist; install Chromium (Debian: `apt-get install \
         chromium`) or fix the setting",
        .0.display()
    )]
    ExecutableMissing(PathBuf),

    #[error("could not start Chromium ({}): {reason}", executable.display())]
    Launch { executable: PathBuf, reason: String },

    #[error("invalid viewport {name:?}: {reason}")]
    InvalidViewport { name: String, reason: String },

    #[error("Chromium could not open {url}: {reason}")]
    Navigation { url: String, reason: String },

    #[error(
        "Chromium exited or stopped answering while capturing {url}; the next capture starts a \
         new browser"
    )]
    BrowserDied { url: String },

    #[error("Chromium did not {step} for {url} within {} s", after.as_secs())]
    StepTimeout {
        step: &'static str,
        url: String,
        after: Duration,
    },

    #[error("Chromium failed to {step} for {url}")]
    Protocol {
        step: &'static str,
        url: String,
        #[source]
        source: CdpError,
    },

    #[error("could not write {}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// The process's one headless Chromium, shared by all captures.
#[derive(Debug)]
pub struct Browser {
    executable: PathBuf,
    extra_args: Vec<String>,
    /// The running Chromium; replaced by a new one when it dies. Locked only to look it up
    /// or to start one, never during a capture.
    current: Mutex<Option<Arc<Instance>>>,
}

impl Browser {
    /// Finds and starts Chromium with a fresh profile directory.
    pub async fn launch(settings: BrowserSettings) -> Result<Self, ScreenshotError> {
        let executable = match settings.executable {
            Some(path) if !path.exists() => return Err(ScreenshotError::ExecutableMissing(path)),
            Some(path) => path,
            None => find_on_path().ok_or(ScreenshotError::NotInstalled)?,
        };

        let instance = Instance::launch(&executable, &settings.extra_args).await?;
        Ok(Self {
            executable,
            extra_args: settings.extra_args,
            current: Mutex::new(Some(Arc::new(instance))),
        })
    }

    /// Photographs `url` at each viewport `(name, width, height)` in turn, writing
    /// `<out_dir>/<name>.png`. `timeout` bounds the wait for each viewport's load event.
    ///
    /// Fails as a whole when any viewport fails; the files already written stay.
    pub async fn capture(
        &self,
        url: &str,
        viewports: &[(String, u32, u32)],
        out_dir: &Path,
        timeout: Duration,
    ) -> Result<Vec<Shot>, ScreenshotError> {
        for (name, width, height) in viewports {
            check_viewport(name, *width, *height)?;
        }

        tokio::fs::create_dir_all(out_dir)
            .await
            .map_err(|source| ScreenshotError::Write {
                path: out_dir.to_path_buf(),
                source,
            })?;

        let instance = self.instance().await?;
        let mut shots = Vec::with_capacity(viewports.len());
        for (name, width, height) in viewports {
            let viewport = Viewport {
                name,
                width: *width,
                height: *height,
            };
            match capture_viewport(&instance, url, &viewport, out_dir, timeout).await {
                Ok(shot) => shots.push(shot),
                Err(error) => return Err(diagnose(&instance, url, error).await),
            }
        }
        Ok(shots)
    }

    /// A blank tab of the shared Chromium at `width` x `height` CSS pixels, in front, for
    /// tools that drive pages themselves (the page benchmark, the UI tests). It shares the
    /// browser's default profile, unlike captures; the caller navigates it and closes it.
    pub async fn blank_page(&self, width: u32, height: u32) -> Result<Page, ScreenshotError> {
        check_viewport("page", width, height)?;
        let instance = self.instance().await?;
        let url = "about:blank";
        let page = step("open a page", url, instance.browser.new_page(url)).await?;
        let metrics = SetDeviceMetricsOverrideParams::new(
            i64::from(width),
            i64::from(height),
            1.0,
            width < MOBILE_BELOW,
        );
        step("set the viewport", url, page.execute(metrics)).await?;
        step("bring the page to the front", url, page.bring_to_front()).await?;
        Ok(page)
    }

    /// The running Chromium's process id, if one is running.
    pub async fn process_id(&self) -> Option<u32> {
        let current = self.current.lock().await;
        current
            .as_ref()
            .filter(|instance| instance.is_alive())
            .and_then(|instance| instance.pid)
    }

    /// Closes the running Chromium, if any, and removes its profile directory; a capture
    /// after this starts a new one. It takes the browser by reference for an owner that
    /// cannot give it up, as an arena shutting down with its tasks still holding it.
    pub async fn close(&self) {
        let Some(instance) = self.current.lock().await.take() else {
            return;
        };
        // A capture still holding the instance drops it when it ends, which kills Chromium.
        if let Ok(mut instance) = Arc::try_unwrap(instance) {
            instance.shut_down().await;
        }
    }

    /// The running Chromium, or a new one when the last one died.
    async fn instance(&self) -> Result<Arc<Instance>, ScreenshotError> {
        let mut current = self.current.lock().await;
        if let Some(instance) = current.as_ref() {
            if instance.is_alive() {
                return Ok(instance.clone());
            }
            warn!(pid = ?instance.pid, "Chromium is gone; starting a new one.");
        }

        *current = None;
        let instance = Arc::new(Instance::launch(&self.executable, &self.extra_args).await?);
        *current = Some(instance.clone());
        Ok(instance)
    }
}

/// One Chromium process, its protocol connection and its profile directory.
#[derive(Debug)]
struct Instance {
    browser: chromiumoxide::Browser,
    /// Drives the DevTools connection; ends when the connection does.
    handler: JoinHandle<()>,
    connected: Arc<AtomicBool>,
    pid: Option<u32>,
    user_data_dir: PathBuf,
}

impl Instance {
    async fn launch(executable: &Path, extra_args: &[String]) -> Result<Self, ScreenshotError> {
        let started = Instant::now();
        let launch_error = |reason: String| ScreenshotError::Launch {
            executable: executable.to_path_buf(),
            reason,
        };

        tokio::task::spawn_blocking(remove_abandoned_profiles);
        let user_data_dir = std::env::temp_dir().join(format!(
            "{PROFILE_PREFIX}{}-{}",
            std::process::id(),
            nanoid::nanoid!(12, &nanoid::alphabet::SAFE[2..])
        ));
        tokio::fs::create_dir_all(&user_data_dir)
            .await
            .map_err(|source| ScreenshotError::Write {
                path: user_data_dir.clone(),
                source,
            })?;

        let mut config = BrowserConfig::builder()
            .chrome_executable(executable)
            .user_data_dir(&user_data_dir)
            .viewport(None) // set per page, from the pipeline's viewports
            .launch_timeout(LAUNCH_TIMEOUT)
            .request_timeout(PROTOCOL_TIMEOUT)
            .args(QUIET_FLAGS)
            .arg(("disable-features", &QUIET_FEATURES[..]));
        if running_as_root() {
            // Chromium refuses to start its sandbox as root.
            warn!(
                "Chromium runs without its sandbox, as the arena runs as root; run the arena as \
                 an ordinary user to keep it."
            );
            config = config.no_sandbox();
        }
        for arg in extra_args {
            let arg = arg.trim_start_matches("--");
            config = match arg.split_once('=') {
                Some((key, value)) => config.arg((key, value)),
                None => config.arg(arg),
            };
        }
        let config = config.build().map_err(launch_error)?;

        let (mut browser, mut handler) = chromiumoxide::Browser::launch(config)
            .await
            .map_err(|error| launch_error(error.to_string()))?;
        let pid = browser.get_mut_child().and_then(|child| child.inner.id());

        let connected = Arc::new(AtomicBool::new(true));
        let flag = connected.clone();
        let handler = tokio::spawn(async move {
            while let Some(event) = handler.next().await {
                if let Err(error) = event {
                    debug!(%error, "Chromium's DevTools connection failed.");
                    break;
                }
            }
            flag.store(false, Ordering::Release);
        });

        let instance = Self {
            browser,
            handler,
            connected,
            pid,
            user_data_dir,
        };
        let version = match tokio::time::timeout(STEP_TIMEOUT, instance.browser.version()).await {
            Ok(Ok(version)) => version.product,
            Ok(Err(error)) => return Err(launch_error(error.to_string())),
            Err(_) => return Err(launch_error("it did not answer its first command".into())),
        };

        info!(
            executable = %executable.display(),
            %version,
            pid = ?instance.pid,
            millis = started.elapsed().as_millis() as u64,
            "Chromium started."
        );
        Ok(instance)
    }

    fn is_alive(&self) -> bool {
        self.connected.load(Ordering::Acquire) && !self.handler.is_finished()
    }

    /// Makes the next capture start a new Chromium; this one goes when its last user does.
    fn mark_dead(&self) {
        self.connected.store(false, Ordering::Release);
    }

    async fn shut_down(&mut self) {
        if self.is_alive() {
            let _ = tokio::time::timeout(Duration::from_secs(5), self.browser.close()).await;
        }
        if tokio::time::timeout(Duration::from_secs(5), self.browser.wait())
            .await
            .is_err()
        {
            let _ = self.browser.kill().await;
        }
        info!(pid = ?self.pid, "Chromium closed.");
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.handler.abort();
        let exited = match self.browser.get_mut_child() {
            Some(child) => {
                // Now, rather than whenever the runtime gets round to it.
                let _ = child.inner.start_kill();
                matches!(child.inner.try_wait(), Ok(Some(_)))
            }
            None => true,
        };

        let profile = std::mem::take(&mut self.user_data_dir);
        if exited {
            let _ = std::fs::remove_dir_all(&profile);
            return;
        }

        // A dying Chromium still writes to its profile for a moment: remove the directory
        // once the process is gone (or after a few seconds), off the runtime's threads.
        let pid = self.pid;
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(5);
            while pid.is_some_and(process_running) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(100));
            }
            std::thread::sleep(Duration::from_millis(200));
            let _ = std::fs::remove_dir_all(&profile);
        });
    }
}

/// Removes the profile directories of arena processes that are gone (killed before they
/// could clean up).
fn remove_abandoned_profiles() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let owner = name
            .to_str()
            .and_then(|name| name.strip_prefix(PROFILE_PREFIX))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok());
        if let Some(pid) = owner.filter(|pid| !process_running(*pid)) {
            debug!(path = %entry.path().display(), pid, "Removing an abandoned Chromium profile.");
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether `pid` is a process that has not exited (a zombie has: state `Z`).
fn process_running(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // "pid (comm) state ...": comm may contain spaces and parentheses, the state follows the
    // last ')'.
    let state = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().next());
    state.is_some_and(|state| state != "Z" && state != "X")
}

/// A validated viewport.
struct Viewport<'a> {
    name: &'a str,
    width: u32,
    height: u32,
}

fn check_viewport(name: &str, width: u32, height: u32) -> Result<(), ScreenshotError> {
    let invalid = |reason: &str| ScreenshotError::InvalidViewport {
        name: name.to_string(),
        reason: reason.to_string(),
    };

    // The name becomes a file name.
    let name_ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !name_ok {
        return Err(invalid("a name is 1 to 64 letters, digits, '-' or '_'"));
    }
    if !(1..=MAX_VIEWPORT_SIDE).contains(&width) || !(1..=MAX_VIEWPORT_SIDE).contains(&height) {
        return Err(invalid(&format!(
            "width and height are 1 to {MAX_VIEWPORT_SIDE} pixels"
        )));
    }
    Ok(())
}

async fn capture_viewport(
    instance: &Instance,
    url: &str,
    viewport: &Viewport<'_>,
    out_dir: &Path,
    timeout: Duration,
) -> Result<Shot, ScreenshotError> {
    let browser = &instance.browser;
    let context = step(
        "create a browser context",
        url,
        browser.create_browser_context(CreateBrowserContextParams::default()),
    )
    .await?;

    let shot = capture_in_context(instance, &context, url, viewport, out_dir, timeout).await;

    // Disposing of the context closes its page as well.
    if let Err(error) = step(
        "close the page",
        url,
        browser.dispose_browser_context(context),
    )
    .await
    {
        debug!(%error, url, "Could not dispose of the browser context.");
    }
    shot
}

async fn capture_in_context(
    instance: &Instance,
    context: &BrowserContextId,
    url: &str,
    viewport: &Viewport<'_>,
    out_dir: &Path,
    timeout: Duration,
) -> Result<Shot, ScreenshotError> {
    let started = Instant::now();
    let mut target = CreateTargetParams::new("about:blank");
    target.browser_context_id = Some(context.clone());
    let page = step("open a page", url, instance.browser.new_page(target)).await?;

    let metrics = SetDeviceMetricsOverrideParams::new(
        i64::from(viewport.width),
        i64::from(viewport.height),
        1.0,
        viewport.width < MOBILE_BELOW,
    );
    step("set the viewport", url, page.execute(metrics)).await?;

    let events = step("listen to the page", url, PageEvents::subscribe(&page)).await?;
    let setup_millis = started.elapsed().as_millis() as u64;

    let (stop, stopped) = oneshot::channel::<()>();
    let load_and_shoot = async move {
        // Dropped when this block ends, however it ends: the collector then stops.
        let _stop = stop;
        let loaded = load(&page, url, timeout).await?;

        // A page that breaks the probe (it can redefine anything) costs its facts, not its
        // screenshot.
        let probed = tokio::time::timeout(Duration::from_secs(5), page.evaluate(PAGE_PROBE)).await;
        let facts = match probed {
            Ok(Ok(result)) => result
                .into_value::<String>()
                .ok()
                .and_then(|json| serde_json::from_str::<PageFacts>(&json).ok())
                .unwrap_or_default(),
            Ok(Err(error)) => {
                debug!(%error, url, "The page probe failed.");
                PageFacts::default()
            }
            Err(_) => {
                debug!(url, "The page probe did not answer within 5 s.");
                PageFacts::default()
            }
        };

        let shooting = Instant::now();
        let png = step(
            "take the screenshot",
            url,
            page.screenshot(
                ScreenshotParams::builder()
                    .format(CaptureScreenshotFormat::Png)
                    .build(),
            ),
        )
        .await?;
        let shot_millis = shooting.elapsed().as_millis() as u64;

        // One more round trip: events sent before its answer have reached the collector.
        let _ = tokio::time::timeout(Duration::from_secs(2), instance.browser.version()).await;
        Ok::<_, ScreenshotError>((loaded, png, shot_millis, facts))
    };
    let (outcome, findings) = tokio::join!(load_and_shoot, events.collect(stopped));
    let (loaded, png, shot_millis, mut facts) = outcome?;
    facts.transfer_bytes = findings.transfer_bytes;
    facts.requests = findings.finished_requests;

    let path = out_dir.join(format!("{}.png", viewport.name));
    write_atomically(&path, &png).await?;

    let shot = Shot {
        viewport: viewport.name.to_string(),
        width: viewport.width,
        height: viewport.height,
        path,
        load_millis: loaded.millis,
        console_errors: findings.console_errors.finish(),
        failed_requests: findings.failed_requests.finish(),
        timed_out_waiting: loaded.timed_out,
        page: facts,
    };
    debug!(
        url,
        viewport = %shot.viewport,
        setup_millis,
        load_millis = shot.load_millis,
        shot_millis,
        millis = started.elapsed().as_millis() as u64,
        timed_out_waiting = shot.timed_out_waiting,
        console_errors = shot.console_errors.len(),
        failed_requests = shot.failed_requests.len(),
        "Captured a viewport."
    );
    Ok(shot)
}

struct Loaded {
    millis: u64,
    timed_out: bool,
}

/// Navigates and waits for the load event, at most `timeout`; then stops loading, so that
/// requests still hanging are cancelled and the page paints without them.
async fn load(page: &Page, url: &str, timeout: Duration) -> Result<Loaded, ScreenshotError> {
    let started = Instant::now();
    let navigation = tokio::time::timeout(timeout, page.goto(url)).await;
    let millis = started.elapsed().as_millis() as u64;

    let timed_out = match navigation {
        Ok(Ok(_)) => false,
        Err(_) | Ok(Err(CdpError::Timeout)) => true,
        // The document itself could not be fetched (`net::ERR_CONNECTION_REFUSED`, ...).
        Ok(Err(CdpError::ChromeMessage(reason))) => {
            return Err(ScreenshotError::Navigation {
                url: url.to_string(),
                reason,
            });
        }
        Ok(Err(source)) => {
            return Err(ScreenshotError::Protocol {
                step: "open the site",
                url: url.into(),
                source,
            });
        }
    };

    if timed_out {
        debug!(
            url,
            millis, "The load event did not come in time; stopping the page's loading."
        );
        if let Err(error) = step(
            "stop loading",
            url,
            page.execute(StopLoadingParams::default()),
        )
        .await
        {
            debug!(%error, url, "Could not stop loading.");
        }
        tokio::time::sleep(SETTLE_AFTER_STOP).await;
    }
    Ok(Loaded { millis, timed_out })
}

/// Runs one protocol step with the [`STEP_TIMEOUT`] bound.
async fn step<T>(
    step: &'static str,
    url: &str,
    future: impl Future<Output = Result<T, CdpError>>,
) -> Result<T, ScreenshotError> {
    match tokio::time::timeout(STEP_TIMEOUT, future).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(source)) => Err(ScreenshotError::Protocol {
            step,
            url: url.to_string(),
            source,
        }),
        Err(_) => Err(ScreenshotError::StepTimeout {
            step,
            url: url.to_string(),
            after: STEP_TIMEOUT,
        }),
    }
}

/// Turns a failed capture into [`ScreenshotError::BrowserDied`] when Chromium is the cause,
/// marking it dead so that the next capture starts a new one.
async fn diagnose(instance: &Instance, url: &str, error: ScreenshotError) -> ScreenshotError {
    let died = ScreenshotError::BrowserDied {
        url: url.to_string(),
    };
    if !instance.is_alive() {
        warn!(pid = ?instance.pid, url, %error, "Chromium exited during a capture.");
        return died;
    }

    // A step that timed out may be the page's fault (a script that never yields) or the
    // browser's: ask the browser something that involves no page.
    if matches!(
        error,
        ScreenshotError::StepTimeout { .. } | ScreenshotError::Protocol { .. }
    ) {
        let probe = tokio::time::timeout(Duration::from_secs(3), instance.browser.version());
        if !matches!(probe.await, Ok(Ok(_))) {
            warn!(pid = ?instance.pid, url, %error, "Chromium stopped answering; replacing it.");
            instance.mark_dead();
            return died;
        }
    }
    error
}

async fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ScreenshotError> {
    let write_error = |source| ScreenshotError::Write {
        path: path.to_path_buf(),
        source,
    };
    let partial = path.with_extension("png.partial");
    tokio::fs::write(&partial, bytes)
        .await
        .map_err(write_error)?;
    tokio::fs::rename(&partial, path).await.map_err(write_error)
}

/// The page events a capture listens to, subscribed before navigation starts.
struct PageEvents {
    console: EventStream<EventConsoleApiCalled>,
    exceptions: EventStream<EventExceptionThrown>,
    log: EventStream<EventEntryAdded>,
    requests: EventStream<EventRequestWillBeSent>,
    responses: EventStream<EventResponseReceived>,
    failures: EventStream<EventLoadingFailed>,
    finished: EventStream<EventLoadingFinished>,
}

impl PageEvents {
    async fn subscribe(page: &Page) -> Result<Self, CdpError> {
        Ok(Self {
            console: page.event_listener().await?,
            exceptions: page.event_listener().await?,
            log: page.event_listener().await?,
            requests: page.event_listener().await?,
            responses: page.event_listener().await?,
            failures: page.event_listener().await?,
            finished: page.event_listener().await?,
        })
    }

    /// Collects until `stop` resolves (or its sender is dropped), then takes what is already
    /// queued: `biased` polls the events before `stop`.
    async fn collect(mut self, mut stop: oneshot::Receiver<()>) -> Findings {
        let mut findings = Findings::default();
        loop {
            tokio::select! {
                biased;
                Some(event) = self.requests.next() => findings.request_sent(&event),
                Some(event) = self.responses.next() => findings.response_received(&event),
                Some(event) = self.failures.next() => findings.loading_failed(&event),
                Some(event) = self.finished.next() => findings.loading_finished(&event),
                Some(event) = self.console.next() => findings.console_called(&event),
                Some(event) = self.exceptions.next() => findings.exception_thrown(&event),
                Some(event) = self.log.next() => findings.log_entry(&event),
                _ = &mut stop => break,
            }
        }
        findings
    }
}

#[derive(Default)]
struct Findings {
    console_errors: Capped,
    failed_requests: Capped,
    /// Request id to URL: a failure event names only the id.
    urls: HashMap<RequestId, String>,
    /// Favicon requests: the browser asks for `/favicon.ico` for its tab strip, on some
    /// pages and not others. A missing one costs the page nothing, so it is not reported.
    favicons: HashSet<RequestId>,
    transfer_bytes: u64,
    finished_requests: u32,
}

impl Findings {
    fn request_sent(&mut self, event: &EventRequestWillBeSent) {
        let id = &event.request_id;
        if is_favicon(&event.request.url) {
            if self.favicons.len() < MAX_TRACKED_REQUESTS {
                self.favicons.insert(id.clone());
            }
        } else if self.urls.len() < MAX_TRACKED_REQUESTS || self.urls.contains_key(id) {
            self.urls.insert(id.clone(), event.request.url.clone());
        }
    }

    fn response_received(&mut self, event: &EventResponseReceived) {
        let response = &event.response;
        if response.status >= 400 && !self.favicons.contains(&event.request_id) {
            let status = format!("HTTP {} {}", response.status, response.status_text);
            self.failed_requests
                .push(format!("{}: {}", response.url, status.trim_end()));
        }
    }

    fn loading_finished(&mut self, event: &EventLoadingFinished) {
        self.transfer_bytes += event.encoded_data_length.max(0.0) as u64;
        self.finished_requests += 1;
    }

    fn loading_failed(&mut self, event: &EventLoadingFailed) {
        if self.favicons.contains(&event.request_id) {
            return;
        }
        let url = match self.urls.get(&event.request_id) {
            Some(url) => url.clone(),
            None => format!("request {}", event.request_id.inner()),
        };
        let mut reason = event.error_text.clone();
        if let Some(blocked) = &event.blocked_reason {
            reason = format!("{reason} (blocked: {})", blocked.as_ref());
        }
        self.failed_requests.push(format!("{url}: {reason}"));
    }

    fn console_called(&mut self, event: &EventConsoleApiCalled) {
        let call = match event.r#type {
            ConsoleApiCalledType::Error => "console.error",
            ConsoleApiCalledType::Assert => "console.assert",
            _ => return,
        };
        let args: Vec<String> = event.args.iter().map(describe).collect();
        self.console_errors
            .push(format!("{call}: {}", args.join(" ")));
    }

    fn exception_thrown(&mut self, event: &EventExceptionThrown) {
        let details = &event.exception_details;
        // `text` is "Uncaught"; the first line of the description is "Error: message".
        let description = details
            .exception
            .as_ref()
            .and_then(|e| e.description.as_deref());
        let mut message = match description.and_then(|d| d.lines().next()) {
            Some(first_line) => format!("{} {first_line}", details.text),
            None => details.text.clone(),
        };
        if let Some(url) = details.url.as_deref().filter(|url| !url.is_empty()) {
            message = format!("{message} ({url}:{})", details.line_number + 1);
        }
        self.console_errors.push(message);
    }

    fn log_entry(&mut self, event: &EventEntryAdded) {
        let entry = &event.entry;
        let favicon = entry
            .network_request_id
            .as_ref()
            .is_some_and(|id| self.favicons.contains(id))
            || entry.url.as_deref().is_some_and(is_favicon);
        if entry.level != LogEntryLevel::Error || favicon {
            return;
        }
        let mut message = format!("{}: {}", entry.source.as_ref(), entry.text);
        if let Some(url) = entry.url.as_deref().filter(|url| !url.is_empty()) {
            message = format!("{message} ({url})");
        }
        self.console_errors.push(message);
    }
}

/// A list that keeps its first [`MAX_ENTRIES`] entries, each clipped, and counts the rest.
#[derive(Default)]
struct Capped {
    entries: Vec<String>,
    dropped: usize,
}

impl Capped {
    fn push(&mut self, entry: String) {
        if self.entries.len() < MAX_ENTRIES {
            self.entries.push(clip(entry));
        } else {
            self.dropped += 1;
        }
    }

    fn finish(mut self) -> Vec<String> {
        if self.dropped > 0 {
            self.entries.push(format!("... and {} more", self.dropped));
        }
        self.entries
    }
}

fn clip(mut text: String) -> String {
    if let Some((index, _)) = text.char_indices().nth(MAX_ENTRY_CHARS) {
        text.truncate(index);
        text.push('…');
    }
    text
}

/// A console argument as the console would print it.
fn describe(arg: &RemoteObject) -> String {
    match &arg.value {
        Some(serde_json::Value::String(text)) => text.clone(),
        Some(value) => value.to_string(),
        None => arg
            .description
            .clone()
            .or_else(|| arg.unserializable_value.as_ref().map(|v| v.inner().clone()))
            .unwrap_or_else(|| arg.r#type.as_ref().to_string()),
    }
}

fn is_favicon(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|url| url.path() == "/favicon.ico")
}

/// The first of [`EXECUTABLE_NAMES`] found on `PATH`.
pub fn find_on_path() -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;

    let path = std::env::var_os("PATH")?;
    let dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    EXECUTABLE_NAMES.iter().find_map(|name| {
        dirs.iter().map(|dir| dir.join(name)).find(|candidate| {
            candidate
                .metadata()
                .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
        })
    })
}

/// Whether the effective user is root (`Uid:` in `/proc/self/status`: real, effective, ...).
pub fn running_as_root() -> bool {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return false;
    };
    status
        .lines()
        .find_map(|line| line.strip_prefix("Uid:"))
        .and_then(|uids| uids.split_whitespace().nth(1))
        .is_some_and(|effective| effective == "0")
}
