//! `example-scorer`: the smallest scorer worth copying. It counts the project's files and
//! lines of code and, for a run that reached its screenshots, the console errors the page
//! logged while loading. A scorer runs once per finished run (ready or failed) and returns
//! named metrics; the arena shows them with the scorer's name.
//!
//! To use it, list it in a pipeline:
//!
//! ```toml
//! [[scorers]]
//! plugin = "example-scorer"
//! ```

wit_bindgen::generate!({
    path: "../../wit",
    world: "vibe-arena:plugin/scorer-plugin",
});

use exports::vibe_arena::plugin::scorer::{Guest, Metric, RunReport};
use vibe_arena::plugin::types::{PluginInfo, Settings};

struct ExampleScorer;

impl Guest for ExampleScorer {
    fn describe() -> PluginInfo {
        PluginInfo {
            id: "example-scorer".into(),
            display_name: "Example scorer".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Files, lines of code and console errors on load.".into(),
        }
    }

    fn score(report: RunReport, _settings: Settings) -> Result<Vec<Metric>, String> {
        let lines: usize = report
            .files
            .iter()
            .map(|file| file.contents.lines().count())
            .sum();
        let mut metrics = vec![
            metric("files", report.files.len() as f64, "count"),
            metric("lines", lines as f64, "count"),
        ];
        if !report.screenshots.is_empty() {
            let errors: usize = report
                .screenshots
                .iter()
                .map(|shot| shot.console_errors.len())
                .sum();
            metrics.push(metric("console-errors", errors as f64, "count"));
        }
        Ok(metrics)
    }
}

fn metric(name: &str, value: f64, unit: &str) -> Metric {
    Metric {
        name: name.into(),
        value,
        unit: unit.into(),
    }
}

export!(ExampleScorer);
