//! The visual styles (this contestant's "models") and the palette a prompt gets.

use crate::rng::{self, Rng};
use crate::topic::Topic;

/// One look for every page kind. Each is offered to the arena as a model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Light and airy, serif headings, soft shadows.
    Studio,
    /// Dark, high contrast, heavy sans-serif type set large.
    Bold,
    /// Warm paper, ink rules, hard offset shadows and typewriter labels.
    Paper,
}

impl Style {
    pub const ALL: [Style; 3] = [Style::Studio, Style::Bold, Style::Paper];

    pub fn id(self) -> &'static str {
        match self {
            Style::Studio => "studio",
            Style::Bold => "bold",
            Style::Paper => "paper",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Style::Studio => "Studio (light, airy, serif headings)",
            Style::Bold => "Bold (dark, high contrast, big type)",
            Style::Paper => "Paper (warm print, ink rules)",
        }
    }

    pub fn from_id(id: &str) -> Option<Style> {
        Style::ALL.into_iter().find(|style| style.id() == id)
    }

    /// Whether the site starts out dark (the to-do app's switch flips it).
    pub fn starts_dark(self) -> bool {
        self == Style::Bold
    }
}

/// Hues tied to words of a prompt, so a coffee shop is brown and a weather app sky blue.
const WORD_HUES: &[(&str, u32)] = &[
    ("coffee", 26),
    ("espresso", 24),
    ("cafe", 28),
    ("chocolate", 18),
    ("bakery", 34),
    ("bread", 36),
    ("tea", 96),
    ("matcha", 100),
    ("wine", 345),
    ("ocean", 198),
    ("surf", 192),
    ("sea", 200),
    ("sky", 205),
    ("weather", 208),
    ("garden", 135),
    ("plant", 130),
    ("plants", 130),
    ("eco", 140),
    ("forest", 145),
    ("green", 140),
    ("fitness", 6),
    ("gym", 4),
    ("yoga", 285),
    ("music", 300),
    ("finance", 215),
    ("bank", 218),
    ("crypto", 265),
    ("ai", 262),
    ("kids", 45),
    ("dog", 32),
    ("cat", 32),
    ("pet", 32),
    ("travel", 186),
    ("hotel", 40),
    ("pizza", 8),
    ("sushi", 352),
    ("restaurant", 14),
    ("hacker", 22),
    ("whatsapp", 150),
    ("twitter", 204),
    ("photographer", 30),
    ("flowers", 330),
    ("florist", 330),
];

/// Where each page kind's accent hue starts when no word says otherwise.
fn topic_hue(topic: Topic) -> u32 {
    match topic {
        Topic::Landing => 250,
        Topic::News => 22,
        Topic::Profile => 204,
        Topic::Chess => 150,
        Topic::Chat => 152,
        Topic::Editor => 210,
        Topic::Gallery => 28,
        Topic::Pricing => 252,
        Topic::Dashboard => 228,
        Topic::Todo => 262,
        Topic::Menu => 14,
        Topic::Weather => 206,
    }
}

/// Accent hues for the site: `hue` for actions and highlights, `second` for charts and tags.
#[derive(Clone, Copy, Debug)]
pub struct Palette {
    pub hue: u32,
    pub second: u32,
}

impl Palette {
    pub fn for_prompt(prompt_words: &[String], topic: Topic, subject: &str, rng: &mut Rng) -> Self {
        let named = prompt_words.iter().find_map(|word| {
            WORD_HUES
                .iter()
                .find(|(cue, _)| cue == word)
                .map(|(_, hue)| *hue)
        });
        let base = match (named, topic) {
            (Some(hue), _) => hue,
            // An unknown landing subject still gets a colour of its own.
            (None, Topic::Landing) if !subject.is_empty() => (rng::hash(subject) % 360) as u32,
            (None, _) => topic_hue(topic),
        };

        let nudge = rng.range(-14, 14);
        let hue = (base as i64 + 360 + nudge) as u32 % 360;
        let second = (hue + *rng.pick(&[150u32, 180, 200, 40])) % 360;
        Palette { hue, second }
    }
}

/// Colour and type variables for one mode of one style.
struct Theme {
    vars: Vec<(&'static str, String)>,
}

fn hsl(hue: u32, saturation: u32, lightness: u32) -> String {
    format!("hsl({hue} {saturation}% {lightness}%)")
}

fn colours(style: Style, dark: bool, palette: Palette) -> Theme {
    let (h, h2) = (palette.hue, palette.second);
    let vars = match (style, dark) {
        (Style::Studio, false) => vec![
            ("--bg", hsl(h, 30, 98)),
            ("--surface", "#ffffff".to_string()),
            ("--surface-2", hsl(h, 28, 95)),
            ("--text", hsl(h, 18, 12)),
            ("--muted", hsl(h, 8, 40)),
            ("--border", hsl(h, 16, 88)),
            ("--accent", hsl(h, 55, 40)),
            ("--accent-ink", "#ffffff".to_string()),
            ("--accent-soft", hsl(h, 60, 93)),
            ("--accent-2", hsl(h2, 50, 46)),
            (
                "--shadow",
                format!("0 18px 40px -22px hsl({h} 30% 20% / 0.35)"),
            ),
        ],
        (Style::Studio, true) => vec![
            ("--bg", hsl(h, 14, 9)),
            ("--surface", hsl(h, 12, 13)),
            ("--surface-2", hsl(h, 12, 17)),
            ("--text", hsl(h, 20, 93)),
            ("--muted", hsl(h, 8, 64)),
            ("--border", hsl(h, 10, 24)),
            ("--accent", hsl(h, 60, 68)),
            ("--accent-ink", hsl(h, 40, 10)),
            ("--accent-soft", hsl(h, 30, 20)),
            ("--accent-2", hsl(h2, 55, 64)),
            ("--shadow", "0 18px 40px -22px rgb(0 0 0 / 0.7)".to_string()),
        ],
        (Style::Bold, true) => vec![
            ("--bg", hsl(h, 22, 5)),
            ("--surface", hsl(h, 16, 9)),
            ("--surface-2", hsl(h, 14, 14)),
            ("--text", "#f7f7f8".to_string()),
            ("--muted", hsl(h, 8, 66)),
            ("--border", hsl(h, 12, 21)),
            ("--accent", hsl(h, 95, 60)),
            ("--accent-ink", hsl(h, 60, 7)),
            ("--accent-soft", hsl(h, 60, 16)),
            ("--accent-2", hsl(h2, 90, 64)),
            (
                "--shadow",
                format!("0 0 0 1px hsl({h} 12% 21%), 0 30px 60px -30px rgb(0 0 0 / 0.9)"),
            ),
        ],
        (Style::Bold, false) => vec![
            ("--bg", "#ffffff".to_string()),
            ("--surface", hsl(h, 20, 97)),
            ("--surface-2", hsl(h, 20, 93)),
            ("--text", "#0a0a0b".to_string()),
            ("--muted", hsl(h, 6, 36)),
            ("--border", hsl(h, 10, 84)),
            ("--accent", hsl(h, 90, 46)),
            ("--accent-ink", "#ffffff".to_string()),
            ("--accent-soft", hsl(h, 90, 92)),
            ("--accent-2", hsl(h2, 85, 42)),
            ("--shadow", "0 0 0 2px #0a0a0b".to_string()),
        ],
        (Style::Paper, false) => vec![
            ("--bg", hsl(40, 38, 92)),
            ("--surface", hsl(42, 45, 97)),
            ("--surface-2", hsl(38, 30, 87)),
            ("--text", hsl(28, 18, 13)),
            ("--muted", hsl(28, 10, 36)),
            ("--border", hsl(28, 18, 13)),
            ("--accent", hsl(h, 62, 38)),
            ("--accent-ink", hsl(42, 45, 97)),
            ("--accent-soft", hsl(h, 45, 85)),
            ("--accent-2", hsl(h2, 50, 36)),
            ("--shadow", format!("4px 4px 0 {}", hsl(28, 18, 13))),
        ],
        (Style::Paper, true) => vec![
            ("--bg", hsl(30, 10, 11)),
            ("--surface", hsl(30, 10, 15)),
            ("--surface-2", hsl(30, 9, 20)),
            ("--text", hsl(40, 32, 88)),
            ("--muted", hsl(36, 12, 64)),
            ("--border", hsl(40, 20, 70)),
            ("--accent", hsl(h, 65, 64)),
            ("--accent-ink", hsl(30, 10, 11)),
            ("--accent-soft", hsl(h, 25, 22)),
            ("--accent-2", hsl(h2, 50, 62)),
            ("--shadow", format!("4px 4px 0 {}", hsl(40, 20, 70))),
        ],
    };
    Theme { vars }
}

/// Type, shape and spacing variables, the same in light and dark mode.
fn shape(style: Style) -> Vec<(&'static str, &'static str)> {
    const SANS: &str = "ui-sans-serif, system-ui, -apple-system, \"Segoe UI\", Roboto, \
                        \"Helvetica Neue\", Arial, sans-serif";
    const SERIF: &str = "\"Iowan Old Style\", \"Palatino Linotype\", Palatino, Georgia, \
                         \"Times New Roman\", serif";
    const MONO: &str = "ui-monospace, \"SFMono-Regular\", Menlo, Consolas, \"Liberation Mono\", \
                        monospace";
    match style {
        Style::Studio => vec![
            ("--font-head", SERIF),
            ("--font-body", SANS),
            ("--font-mono", MONO),
            ("--font-label", SANS),
            ("--head-weight", "500"),
            ("--head-track", "-0.015em"),
            ("--head-case", "none"),
            ("--hero-size", "clamp(2.6rem, 5.2vw, 4.6rem)"),
            ("--h2-size", "clamp(1.9rem, 3.2vw, 2.7rem)"),
            ("--radius", "18px"),
            ("--radius-sm", "10px"),
            ("--line", "1px"),
            ("--section-pad", "clamp(4.5rem, 9vw, 8rem)"),
            ("--label-track", "0.14em"),
        ],
        Style::Bold => vec![
            ("--font-head", SANS),
            ("--font-body", SANS),
            ("--font-mono", MONO),
            ("--font-label", SANS),
            ("--head-weight", "850"),
            ("--head-track", "-0.045em"),
            ("--head-case", "none"),
            ("--hero-size", "clamp(2.4rem, 8vw, 7rem)"),
            ("--h2-size", "clamp(2.2rem, 4.6vw, 3.8rem)"),
            ("--radius", "10px"),
            ("--radius-sm", "6px"),
            ("--line", "1px"),
            ("--section-pad", "clamp(4rem, 8vw, 7rem)"),
            ("--label-track", "0.2em"),
        ],
        Style::Paper => vec![
            ("--font-head", SERIF),
            ("--font-body", SERIF),
            ("--font-mono", MONO),
            ("--font-label", MONO),
            ("--head-weight", "700"),
            ("--head-track", "-0.01em"),
            ("--head-case", "none"),
            ("--hero-size", "clamp(2.6rem, 5.6vw, 4.8rem)"),
            ("--h2-size", "clamp(1.9rem, 3.4vw, 2.8rem)"),
            ("--radius", "4px"),
            ("--radius-sm", "3px"),
            ("--line", "1.5px"),
            ("--section-pad", "clamp(3.5rem, 7vw, 6rem)"),
            ("--label-track", "0.08em"),
        ],
    }
}

fn block(selector: &str, vars: &[(&str, String)]) -> String {
    let mut css = format!("{selector} {{\n");
    for (name, value) in vars {
        css.push_str(&format!("  {name}: {value};\n"));
    }
    css.push_str("}\n");
    css
}

/// The variables every stylesheet of the site reads: `:root` holds the style's own mode, and
/// `data-theme` on `<html>` switches between light and dark.
pub fn theme_css(style: Style, palette: Palette) -> String {
    let dark = style.starts_dark();
    let mut root: Vec<(&str, String)> = shape(style)
        .into_iter()
        .map(|(name, value)| (name, value.to_string()))
        .collect();
    root.push((
        "color-scheme",
        if dark { "dark" } else { "light" }.to_string(),
    ));
    root.extend(colours(style, dark, palette).vars);

    let mut other = colours(style, !dark, palette).vars;
    other.push((
        "color-scheme",
        if dark { "light" } else { "dark" }.to_string(),
    ));
    let mut same = colours(style, dark, palette).vars;
    same.push((
        "color-scheme",
        if dark { "dark" } else { "light" }.to_string(),
    ));

    let (other_mode, same_mode) = if dark {
        ("light", "dark")
    } else {
        ("dark", "light")
    };
    format!(
        "/* Theme: {} style, accent hue {}. */\n{}\n{}\n{}",
        style.id(),
        palette.hue,
        block(":root", &root),
        block(&format!(":root[data-theme=\"{other_mode}\"]"), &other),
        block(&format!(":root[data-theme=\"{same_mode}\"]"), &same),
    )
}
