//! `page-weight`: what the first load of a run's page costs a visitor: the bytes it
//! transferred (as sent over the wire, headers included) and the requests it made, at the
//! first screenshot viewport (the pipeline's desktop one). Lower is better.

/// `(name, value, unit)` for a page's transfer.
pub fn metrics(transfer_bytes: u64, requests: u32) -> Vec<(&'static str, f64, &'static str)> {
    vec![
        ("first-load-kib", transfer_bytes as f64 / 1024.0, "KiB"),
        ("first-load-requests", f64::from(requests), "count"),
    ]
}

#[cfg(target_arch = "wasm32")]
mod plugin {
    wit_bindgen::generate!({
        path: "../../wit",
        world: "vibe-arena:plugin/page-scorer-plugin",
    });

    use exports::vibe_arena::plugin::page_scorer::{Guest, PageMetric, PageReport};
    use vibe_arena::plugin::types::{PluginInfo, Settings};

    struct PageWeight;

    impl Guest for PageWeight {
        fn describe() -> PluginInfo {
            PluginInfo {
                id: "page-weight".into(),
                display_name: "Page weight".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                description: "KiB and requests of the first load.".into(),
            }
        }

        fn score(report: PageReport, _settings: Settings) -> Result<Vec<PageMetric>, String> {
            let Some(page) = report.pages.first() else {
                return Ok(Vec::new());
            };
            Ok(super::metrics(page.transfer_bytes, page.requests)
                .into_iter()
                .map(|(name, value, unit)| PageMetric {
                    name: name.into(),
                    value,
                    unit: unit.into(),
                })
                .collect())
        }
    }

    export!(PageWeight);
}

#[cfg(test)]
mod tests {
    #[test]
    fn bytes_become_kib() {
        assert_eq!(super::metrics(2048, 3)[0].1, 2.0);
        assert_eq!(super::metrics(2048, 3)[1].1, 3.0);
    }
}
