//! `prompt-adherence`: how much of what the prompt asked for shows in the page's text. The
//! prompt's content words (stop words and words under four letters left out) are looked
//! for in the visible text of every screenshot viewport, by their first five letters so
//! that "galleries" finds "gallery". A rough, explainable number: `prompt-coverage` is the
//! share found (1.0 is all), `prompt-words` how many were looked for; the run's log lists
//! the words not found.

const STOP_WORDS: &[&str] = &[
    "about", "above", "after", "also", "build", "create", "each", "from", "have", "into", "make",
    "more", "page", "please", "should", "site", "some", "than", "that", "their", "them", "then",
    "there", "these", "they", "this", "very", "want", "website", "what", "when", "where", "which",
    "with", "would", "your",
];

/// The prompt's content words, lowercased, each once, in order.
pub fn content_words(prompt: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in prompt
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 4 && !STOP_WORDS.contains(&w.as_str()))
    {
        if !words.contains(&word) {
            words.push(word);
        }
    }
    words
}

/// The words (of `words`) that `text` does not contain, matched by their first five letters.
pub fn missing<'a>(words: &'a [String], text: &str) -> Vec<&'a str> {
    let text = text.to_lowercase();
    words
        .iter()
        .filter(|word| {
            let stem: String = word.chars().take(5).collect();
            !text.contains(&stem)
        })
        .map(String::as_str)
        .collect()
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

    struct PromptAdherence;

    impl Guest for PromptAdherence {
        fn describe() -> PluginInfo {
            PluginInfo {
                id: "prompt-adherence".into(),
                display_name: "Prompt adherence".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                description: "Share of the prompt's content words found in the page text.".into(),
            }
        }

        fn score(report: PageReport, _settings: Settings) -> Result<Vec<PageMetric>, String> {
            if report.pages.is_empty() {
                return Ok(Vec::new());
            }
            let words = super::content_words(&report.prompt);
            if words.is_empty() {
                return Ok(Vec::new());
            }
            let text: String = report
                .pages
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            let missing = super::missing(&words, &text);
            if !missing.is_empty() {
                logging::log(
                    LogLevel::Info,
                    &format!("not on the page: {}", missing.join(", ")),
                );
            }
            let coverage = (words.len() - missing.len()) as f64 / words.len() as f64;
            Ok(vec![
                PageMetric {
                    name: "prompt-coverage".into(),
                    value: coverage,
                    unit: "ratio".into(),
                },
                PageMetric {
                    name: "prompt-words".into(),
                    value: words.len() as f64,
                    unit: "count".into(),
                },
            ])
        }
    }

    export!(PromptAdherence);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_words_skip_the_asking() {
        assert_eq!(
            content_words(
                "Build a portfolio site for a freelance photographer with a filterable gallery"
            ),
            [
                "portfolio",
                "freelance",
                "photographer",
                "filterable",
                "gallery"
            ]
        );
    }

    #[test]
    fn words_are_found_by_their_stem() {
        let words = content_words("A bakery with galleries and opening hours");
        assert_eq!(words, ["bakery", "galleries", "opening", "hours"]);
        let text = "Our Bakery\nGallery\nOpen daily";
        assert_eq!(missing(&words, text), ["opening", "hours"]);
    }
}
