//! A headless Chromium driven over the DevTools protocol, for tests that use the arena's
//! pages as a person would: real clicks and key presses, real layout, real iframes.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::page::CaptureScreenshotFormat;
use chromiumoxide::cdp::js_protocol::runtime::{EventConsoleApiCalled, EventExceptionThrown};
use chromiumoxide::page::ScreenshotParams;
use futures::StreamExt;
use serde::de::DeserializeOwned;

/// The arena's own shared-Chromium wrapper, with tabs a test can drive.
pub struct Chrome {
    browser: arena::screenshot::Browser,
}

impl Chrome {
    pub async fn launch() -> Self {
        let browser = arena::screenshot::Browser::launch(Default::default())
            .await
            .expect("Chromium starts");
        Self { browser }
    }

    /// A new tab at `width` x `height` CSS pixels (mobile emulation below 768) showing `url`,
    /// with its console recorded from the start.
    pub async fn open(&self, url: &str, width: u32, height: u32) -> Tab {
        let page = self.browser.blank_page(width, height).await.unwrap();

        let console = Arc::new(Mutex::new(Vec::new()));
        let mut calls = page
            .event_listener::<EventConsoleApiCalled>()
            .await
            .unwrap();
        let mut exceptions = page.event_listener::<EventExceptionThrown>().await.unwrap();
        let sink = console.clone();
        tokio::spawn(async move {
            loop {
                let line = tokio::select! {
                    Some(call) = calls.next() => format!(
                        "console.{:?}: {}",
                        call.r#type,
                        call.args.iter().map(|arg| arg.value.as_ref().map(ToString::to_string)
                            .or(arg.description.clone()).unwrap_or_default())
                            .collect::<Vec<_>>().join(" ")
                    ),
                    Some(thrown) = exceptions.next() => format!(
                        "exception: {}",
                        thrown.exception_details.exception.as_ref()
                            .and_then(|exception| exception.description.clone())
                            .unwrap_or_else(|| thrown.exception_details.text.clone())
                    ),
                    else => break,
                };
                sink.lock().unwrap().push(line);
            }
        });

        page.goto(url).await.unwrap();
        Tab { page, console }
    }

    pub async fn close(self) {
        self.browser.close().await;
    }
}

pub struct Tab {
    pub page: Page,
    console: Arc<Mutex<Vec<String>>>,
}

impl Tab {
    /// What the page has logged to its console and thrown, so far.
    pub fn console(&self) -> Vec<String> {
        self.console.lock().unwrap().clone()
    }

    /// Evaluates `expression` in the page (promises are awaited).
    pub async fn eval<T: DeserializeOwned>(&self, expression: &str) -> T {
        let result = self
            .page
            .evaluate(expression)
            .await
            .unwrap_or_else(|error| {
                panic!("evaluating {expression}: {error}\n{:#?}", self.console())
            });
        result
            .into_value()
            .unwrap_or_else(|error| panic!("the value of {expression}: {error}"))
    }

    /// Polls `expression` until it is truthy and returns its value; fails with `what`, the
    /// last value seen and the page's console when `timeout` runs out.
    pub async fn wait_for(
        &self,
        what: &str,
        expression: &str,
        timeout: Duration,
    ) -> serde_json::Value {
        let started = Instant::now();
        loop {
            // A navigation can destroy the page's context mid-evaluation: not yet, not wrong.
            let value = match self.page.evaluate(expression).await {
                Ok(result) => result.into_value().unwrap_or(serde_json::Value::Null),
                Err(error) if error.to_string().contains("context") => serde_json::Value::Null,
                Err(error) => panic!("evaluating {expression}: {error}\n{:#?}", self.console()),
            };
            let truthy = match &value {
                serde_json::Value::Null => false,
                serde_json::Value::Bool(b) => *b,
                serde_json::Value::Number(n) => n.as_f64() != Some(0.0),
                serde_json::Value::String(s) => !s.is_empty(),
                _ => true,
            };
            if truthy {
                return value;
            }
            assert!(
                started.elapsed() < timeout,
                "waited {} s for {what}; last value {value}; console: {:#?}",
                timeout.as_secs(),
                self.console()
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    /// Clicks the element `selector` names, the way a mouse does. The tab comes to the
    /// front first: a background tab does not paint, and a click needs its layout.
    pub async fn click(&self, selector: &str) {
        self.page.bring_to_front().await.unwrap();
        self.page
            .find_element(selector)
            .await
            .unwrap_or_else(|error| panic!("no element {selector}: {error}"))
            .click()
            .await
            .unwrap();
    }

    /// Focuses `selector` by clicking it and types `text` key by key.
    pub async fn type_into(&self, selector: &str, text: &str) {
        let element = self.page.find_element(selector).await.unwrap();
        element.click().await.unwrap();
        element.type_str(text).await.unwrap();
    }

    /// Saves a PNG of the whole page (beyond the viewport) to `path`.
    pub async fn save_screenshot(&self, path: &std::path::Path) {
        let params = ScreenshotParams::builder()
            .format(CaptureScreenshotFormat::Png)
            .full_page(true)
            .build();
        self.page.bring_to_front().await.unwrap();
        let png = self.page.screenshot(params).await.unwrap();
        std::fs::write(path, png).unwrap();
    }
}
