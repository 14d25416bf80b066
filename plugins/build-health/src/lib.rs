//! `build-health`: the simplest scorer. It reports whether the run reached `ready` and how
//! long each lifecycle stage took, so every battle has at least one comparable number.

use exports::vibe_arena::plugin::scorer::{Guest, Metric, RunReport};
use vibe_arena::plugin::types::{PluginInfo, Settings};

wit_bindgen::generate!({
    path: "../../wit",
    world: "vibe-arena:plugin/scorer-plugin",
});

struct BuildHealth;

impl Guest for BuildHealth {
    fn describe() -> PluginInfo {
        PluginInfo {
            id: "build-health".into(),
            display_name: "Build health".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Whether the run became ready, and the seconds spent in each stage."
                .into(),
        }
    }

    fn score(report: RunReport, _settings: Settings) -> Result<Vec<Metric>, String> {
        let ready = if report.status == "ready" { 1.0 } else { 0.0 };
        let mut metrics = vec![Metric {
            name: "ready".into(),
            value: ready,
            unit: "bool".into(),
        }];

        let mut total_millis = 0;
        for timing in &report.timings {
            total_millis += timing.millis;
            metrics.push(Metric {
                name: format!("{}-seconds", timing.stage),
                value: timing.millis as f64 / 1000.0,
                unit: "s".into(),
            });
        }
        metrics.push(Metric {
            name: "total-seconds".into(),
            value: total_millis as f64 / 1000.0,
            unit: "s".into(),
        });
        Ok(metrics)
    }
}

export!(BuildHealth);
