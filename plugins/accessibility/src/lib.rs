//! `accessibility`: basic checks of a run's page as the browser rendered it, at the first
//! screenshot viewport: images without a text alternative, form fields without a label,
//! text under WCAG AA contrast with its background (4.5:1, or 3:1 for large text), a missing `h1`,
//! and heading levels that skip (an `h4` straight after an `h2`). Each is a count; the
//! total is `accessibility-issues`, lower is better.

/// How many times the heading level jumps by more than one going down (`h2` then `h4`).
pub fn skipped_levels(headings: &[String]) -> usize {
    let levels: Vec<u32> = headings
        .iter()
        .filter_map(|h| h.strip_prefix('h')?.chars().next()?.to_digit(10))
        .collect();
    levels
        .windows(2)
        .filter(|pair| pair[1] > pair[0] + 1)
        .count()
}

pub fn has_h1(headings: &[String]) -> bool {
    headings.iter().any(|h| h.starts_with("h1:"))
}

#[cfg(target_arch = "wasm32")]
mod plugin {
    wit_bindgen::generate!({
        path: "../../wit",
        world: "vibe-arena:plugin/page-scorer-plugin",
    });

    use exports::vibe_arena::plugin::page_scorer::{Guest, PageMetric, PageReport};
    use vibe_arena::plugin::logging::{self, LogLevel};
    use vibe_arena::plugin::types::{PluginInfo, Settings};

    struct Accessibility;

    impl Guest for Accessibility {
        fn describe() -> PluginInfo {
            PluginInfo {
                id: "accessibility".into(),
                display_name: "Accessibility".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                description: "Images without alt, unlabelled fields, low contrast, headings."
                    .into(),
            }
        }

        fn score(report: PageReport, _settings: Settings) -> Result<Vec<PageMetric>, String> {
            let Some(page) = report.pages.first() else {
                return Ok(Vec::new());
            };
            // The run's log says which elements, so a reader can check the counts.
            for (what, list) in [
                ("image without alt", &page.images_without_alt),
                ("unlabelled field", &page.unlabelled_fields),
                ("low contrast", &page.low_contrast),
            ] {
                for item in list.iter().take(5) {
                    logging::log(LogLevel::Info, &format!("{what}: {item}"));
                }
            }
            let no_h1 = usize::from(!super::has_h1(&page.headings));
            let skips = super::skipped_levels(&page.headings);
            let counts = [
                ("images-without-alt", page.images_without_alt.len()),
                ("unlabelled-fields", page.unlabelled_fields.len()),
                ("low-contrast-texts", page.low_contrast.len()),
                ("missing-h1", no_h1),
                ("skipped-heading-levels", skips),
            ];
            let total: usize = counts.iter().map(|(_, n)| n).sum();
            let mut metrics: Vec<PageMetric> = counts
                .iter()
                .map(|(name, n)| PageMetric {
                    name: (*name).into(),
                    value: *n as f64,
                    unit: "count".into(),
                })
                .collect();
            metrics.push(PageMetric {
                name: "accessibility-issues".into(),
                value: total as f64,
                unit: "count".into(),
            });
            Ok(metrics)
        }
    }

    export!(Accessibility);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headings(levels: &[&str]) -> Vec<String> {
        levels.iter().map(|l| format!("{l}: x")).collect()
    }

    #[test]
    fn skipped_levels_count_only_jumps_down() {
        assert_eq!(
            skipped_levels(&headings(&["h1", "h2", "h4", "h2", "h3"])),
            1
        );
        assert_eq!(skipped_levels(&headings(&["h1", "h3", "h5"])), 2);
        assert!(has_h1(&headings(&["h2", "h1"])));
        assert!(!has_h1(&headings(&["h2"])));
    }
}
