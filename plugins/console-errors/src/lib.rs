//! `console-errors`: how many errors a run's page logged while loading (console errors,
//! uncaught exceptions, browser log errors), the most at any screenshot viewport. A site
//! that throws on load often renders half of itself. Lower is better; 0 is the aim.

/// The most errors any one load logged.
pub fn worst(per_viewport: &[usize]) -> f64 {
    per_viewport.iter().copied().max().unwrap_or(0) as f64
}

#[cfg(target_arch = "wasm32")]
mod plugin {
    wit_bindgen::generate!({
        path: "../../wit",
        world: "vibe-arena:plugin/page-scorer-plugin",
    });

    use exports::vibe_arena::plugin::page_scorer::{Guest, PageMetric, PageReport};
    use vibe_arena::plugin::types::{PluginInfo, Settings};

    struct ConsoleErrors;

    impl Guest for ConsoleErrors {
        fn describe() -> PluginInfo {
            PluginInfo {
                id: "console-errors".into(),
                display_name: "Console errors".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                description: "Errors the page logged while loading.".into(),
            }
        }

        fn score(report: PageReport, _settings: Settings) -> Result<Vec<PageMetric>, String> {
            if report.pages.is_empty() {
                return Ok(Vec::new());
            }
            let counts: Vec<usize> = report
                .pages
                .iter()
                .map(|p| p.console_errors.len())
                .collect();
            Ok(vec![PageMetric {
                name: "console-errors".into(),
                value: super::worst(&counts),
                unit: "count".into(),
            }])
        }
    }

    export!(ConsoleErrors);
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_worst_viewport_counts() {
        assert_eq!(super::worst(&[0, 3, 1]), 3.0);
        assert_eq!(super::worst(&[]), 0.0);
    }
}
