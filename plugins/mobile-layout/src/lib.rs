//! `mobile-layout`: whether a run's page fits the narrowest screenshot viewport (the
//! pipeline's phone-sized one) without scrolling sideways. Reports the overflow in pixels
//! and whether it fits (within `tolerance-px`, default 1, for rounding).

/// `(overflow-px, fits)` at the narrowest of `(width, overflow)` loads.
pub fn narrowest(pages: &[(u32, u32)], tolerance: u32) -> Option<(f64, f64)> {
    let (_, overflow) = pages.iter().min_by_key(|(width, _)| *width)?;
    Some((
        f64::from(*overflow),
        if *overflow <= tolerance { 1.0 } else { 0.0 },
    ))
}

#[cfg(target_arch = "wasm32")]
mod plugin {
    wit_bindgen::generate!({
        path: "../../wit",
        world: "vibe-arena:plugin/page-scorer-plugin",
    });

    use exports::vibe_arena::plugin::page_scorer::{Guest, PageMetric, PageReport};
    use vibe_arena::plugin::types::{PluginInfo, Settings};

    struct MobileLayout;

    impl Guest for MobileLayout {
        fn describe() -> PluginInfo {
            PluginInfo {
                id: "mobile-layout".into(),
                display_name: "Mobile layout".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                description: "Horizontal overflow at the narrowest viewport.".into(),
            }
        }

        fn score(report: PageReport, settings: Settings) -> Result<Vec<PageMetric>, String> {
            let tolerance = match settings.iter().find(|(key, _)| key == "tolerance-px") {
                None => 1,
                Some((_, value)) => value.parse().map_err(|_| {
                    format!("setting tolerance-px = {value:?} is not a whole number")
                })?,
            };
            let pages: Vec<(u32, u32)> = report
                .pages
                .iter()
                .map(|p| (p.width, p.overflow_px))
                .collect();
            let Some((overflow, fits)) = super::narrowest(&pages, tolerance) else {
                return Ok(Vec::new());
            };
            let metric = |name: &str, value, unit: &str| PageMetric {
                name: name.into(),
                value,
                unit: unit.into(),
            };
            Ok(vec![
                metric("mobile-overflow-px", overflow, "px"),
                metric("mobile-fits", fits, "bool"),
            ])
        }
    }

    export!(MobileLayout);
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_narrowest_load_decides() {
        assert_eq!(
            super::narrowest(&[(1440, 0), (390, 610)], 1),
            Some((610.0, 0.0))
        );
        assert_eq!(
            super::narrowest(&[(1440, 900), (390, 1)], 1),
            Some((1.0, 1.0))
        );
        assert_eq!(super::narrowest(&[], 1), None);
    }
}
