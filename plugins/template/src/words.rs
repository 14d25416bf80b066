//! Reading a prompt: its words, and the subject the site is about.

/// Lower-case words of `text`; punctuation, hyphens and slashes separate words.
pub fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|word| word.trim_matches('\'').to_lowercase())
        .filter(|word| !word.is_empty())
        .collect()
}

/// Words that ask for something rather than name it.
const REQUEST: &[&str] = &[
    "build", "create", "make", "design", "develop", "write", "generate", "code", "please", "i",
    "we", "want", "need", "me", "us", "can", "you", "could",
];

/// Where the description of the subject ends and the list of features begins.
const CLAUSE_END: &[&str] = &[
    "with",
    "that",
    "where",
    "which",
    "featuring",
    "including",
    "using",
    "who",
    "whose",
    "showing",
    "containing",
    "having",
    "so",
];

/// Words about the artefact, not about what the site is for.
const GENERIC: &[&str] = &[
    "a",
    "an",
    "the",
    "my",
    "our",
    "your",
    "some",
    "simple",
    "modern",
    "beautiful",
    "nice",
    "playable",
    "responsive",
    "basic",
    "clean",
    "minimal",
    "small",
    "new",
    "one",
    "single",
    "page",
    "pages",
    "site",
    "website",
    "web",
    "app",
    "application",
    "landing",
    "clone",
    "layout",
    "screen",
    "front",
    "homepage",
    "home",
    "template",
    "ui",
    "style",
    "styled",
    "like",
    "version",
    "full",
    "complete",
    "fancy",
    "cool",
    "static",
    "interactive",
];

/// Names the prompt uses as a reference for the look ("WhatsApp-style"), not as the subject.
const LOOK_MARKERS: &[&str] = &["style", "styled", "like", "inspired", "esque"];

/// The phrase naming what the site is about, lower-case: "coffee shop" for "Build a landing
/// page for a coffee shop". Empty when the prompt names nothing beyond the artefact.
pub fn subject(prompt: &str) -> String {
    let mut words = tokens(prompt);
    while words
        .first()
        .is_some_and(|word| REQUEST.contains(&word.as_str()))
    {
        words.remove(0);
    }
    if let Some(end) = words
        .iter()
        .position(|word| CLAUSE_END.contains(&word.as_str()))
    {
        words.truncate(end);
    }

    // "landing page for a coffee shop": what follows the last "for" or "of" is the subject.
    if let Some(at) = words.iter().rposition(|word| word == "for" || word == "of") {
        if words[at + 1..]
            .iter()
            .any(|word| !GENERIC.contains(&word.as_str()))
        {
            words.drain(..=at);
        } else {
            words.truncate(at);
        }
    }

    let mut kept: Vec<String> = Vec::new();
    for word in words {
        if LOOK_MARKERS.contains(&word.as_str()) {
            // "VS Code style": drop the reference name before the marker too.
            let dropped = kept.pop();
            if dropped.as_deref() == Some("code") && kept.last().map(String::as_str) == Some("vs") {
                kept.pop();
            }
            continue;
        }
        if !GENERIC.contains(&word.as_str()) {
            kept.push(word);
        }
    }
    kept.join(" ")
}

/// Words a brand would not repeat: "coffee shop" is branded "... Coffee ...".
const BUSINESS: &[&str] = &[
    "shop", "store", "business", "company", "startup", "service", "services", "product",
    "products", "brand", "agency", "firm", "studio", "platform", "tool", "saas", "software",
];

/// The distinctive words of a subject, title-cased, at most `max` of them.
pub fn core(subject: &str, max: usize) -> Vec<String> {
    subject
        .split(' ')
        .filter(|word| !word.is_empty() && !BUSINESS.contains(word))
        .take(max)
        .map(capitalise)
        .collect()
}

/// Words whose capitals are not just the first letter.
const ACRONYMS: &[(&str, &str)] = &[
    ("ai", "AI"),
    ("api", "API"),
    ("crm", "CRM"),
    ("hr", "HR"),
    ("saas", "SaaS"),
    ("seo", "SEO"),
    ("ui", "UI"),
    ("ux", "UX"),
    ("3d", "3D"),
];

pub fn capitalise(word: &str) -> String {
    if let Some((_, spelled)) = ACRONYMS.iter().find(|(lower, _)| *lower == word) {
        return spelled.to_string();
    }
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "coffee shop" → "Coffee Shop"; short words stay lower-case inside a title.
pub fn title_case(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for (index, word) in text.split_whitespace().enumerate() {
        let small = matches!(
            word,
            "a" | "an" | "and" | "of" | "the" | "for" | "in" | "on" | "to"
        );
        out.push(if index > 0 && small {
            word.to_string()
        } else {
            capitalise(word)
        });
    }
    out.join(" ")
}

/// "coffee shop" → "Coffee shop", for the start of a sentence.
pub fn sentence_case(text: &str) -> String {
    capitalise(text.trim())
}

/// "Indie game developer" → "indie game developer", for the middle of a sentence.
pub fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Text safe to put in an HTML `<title>` without entities: letters, digits, spaces and a few
/// marks that HTML never escapes.
pub fn plain(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || " .,:|-·!?()@#+/_".contains(c) {
                c
            } else {
                ' '
            }
        })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The plain letter for common accented ones, so "Tomás" slugs as "tomas".
fn fold(ch: char) -> char {
    match ch {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        other => other,
    }
}

/// A lower-case slug for file and package names: "Harbor Coffee" → "harbor-coffee".
pub fn slug(text: &str) -> String {
    let words: Vec<String> = tokens(text)
        .into_iter()
        .map(|word| {
            word.chars()
                .map(fold)
                .filter(char::is_ascii_alphanumeric)
                .collect()
        })
        .filter(|word: &String| !word.is_empty())
        .collect();
    if words.is_empty() {
        "site".to_string()
    } else {
        words.join("-")
    }
}

/// Whether the prompt mentions any of `cues` as a whole word.
pub fn mentions(prompt_words: &[String], cues: &[&str]) -> bool {
    prompt_words
        .iter()
        .any(|word| cues.contains(&word.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_of_the_arena_prompts() {
        let cases = [
            ("Build a landing page for a coffee shop", "coffee shop"),
            (
                "Build a clone of the Hacker News front page with upvotes and comments",
                "hacker news",
            ),
            (
                "Build a Twitter-style profile page with a header image, bio",
                "profile",
            ),
            (
                "Build a playable chess board where two people can move pieces",
                "chess board",
            ),
            (
                "Build a VS Code style editor layout with a file tree",
                "editor",
            ),
            (
                "Build a portfolio site for a freelance photographer with a gallery",
                "freelance photographer",
            ),
            (
                "Build a pricing page for a SaaS product with three tiers",
                "saas product",
            ),
            ("Build a dashboard that shows sales by month", "dashboard"),
            (
                "Build a restaurant menu site with sections",
                "restaurant menu",
            ),
            (
                "Build a weather app landing page with a search box",
                "weather",
            ),
            ("Build a landing page", ""),
        ];
        for (prompt, expected) in cases {
            assert_eq!(subject(prompt), expected, "{prompt}");
        }
    }

    #[test]
    fn helpers_shape_names() {
        assert_eq!(core("coffee shop", 2), vec!["Coffee"]);
        assert_eq!(title_case("house of tea"), "House of Tea");
        assert_eq!(title_case("ai startup"), "AI Startup");
        assert_eq!(slug("Harbor Coffee Co."), "harbor-coffee-co");
        assert_eq!(slug("Tomás Moreau"), "tomas-moreau");
        assert_eq!(plain("Tom & Jerry's <b>"), "Tom Jerry s b");
    }
}
