//! `hostile-scorer`, for the host's tests only: misbehaves as its `behaviour` setting says
//! (`trap`, `loop`, `memory`, `flood`: a thousand metrics, `not-a-number`: a NaN,
//! `huge`: 1e308), or scores every run with one
//! metric (`fine`), so tests can check that the pipeline's limits hold for scorers as they
//! do for providers.

wit_bindgen::generate!({
    path: "../../../wit",
    world: "vibe-arena:plugin/scorer-plugin",
});

use exports::vibe_arena::plugin::scorer::{Guest, Metric, RunReport};
use vibe_arena::plugin::types::{PluginInfo, Settings};

struct HostileScorer;

impl Guest for HostileScorer {
    fn describe() -> PluginInfo {
        PluginInfo {
            id: "hostile-scorer".into(),
            display_name: "Hostile scorer (tests only)".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Traps, loops or hoards memory on request.".into(),
        }
    }

    fn score(_report: RunReport, settings: Settings) -> Result<Vec<Metric>, String> {
        misbehave::misbehave(&settings);
        let metric = |name: &str, value: f64| Metric {
            name: name.into(),
            value,
            unit: "points".into(),
        };
        match misbehave::behaviour(&settings) {
            "not-a-number" => return Ok(vec![metric("fine", 1.0), metric("undefined", f64::NAN)]),
            "huge" => return Ok(vec![metric("fine", 1.0), metric("overflowing", 1e308)]),
            _ => {}
        }
        // `flood`: more metrics than any table can show.
        let count = if misbehave::behaviour(&settings) == "flood" {
            1000
        } else {
            1
        };
        Ok((0..count)
            .map(|n| Metric {
                name: format!("fine-{n}"),
                value: 1.0,
                unit: "bool".into(),
            })
            .collect())
    }
}
export!(HostileScorer);
