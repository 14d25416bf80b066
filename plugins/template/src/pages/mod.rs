//! One module per page kind. Each reads the prompt through [`Ctx`] and returns a [`Page`]:
//! hand-written TSX and CSS (in `src/assets/<kind>/`) plus the data that makes it this
//! prompt's site.

mod chat;
mod chess;
mod dashboard;
mod editor;
mod gallery;
mod landing;
mod menu;
mod news;
mod pricing;
mod profile;
mod todo;
mod weather;

use crate::js::Js;
use crate::rng::Rng;
use crate::style::Palette;
use crate::topic::Topic;
use crate::words;

/// What a page kind knows about the prompt it is answering. The style is not here: it lives
/// entirely in the theme variables, so every page kind works in every style.
pub struct Ctx {
    pub prompt_words: Vec<String>,
    /// What the site is about, lower-case; may be empty.
    pub subject: String,
    pub palette: Palette,
    /// Fork it per purpose (`ctx.rng("brand")`) so choices stay independent.
    pub rng: Rng,
}

impl Ctx {
    pub fn rng(&self, purpose: &str) -> Rng {
        self.rng.fork(purpose)
    }

    pub fn mentions(&self, cues: &[&str]) -> bool {
        words::mentions(&self.prompt_words, cues)
    }

    /// The subject's distinctive words, title-cased ("Coffee" for "coffee shop"), or
    /// `fallback` when the prompt names nothing specific.
    pub fn core_or(&self, fallback: &str, max: usize) -> String {
        let core = words::core(&self.subject, max);
        if core.is_empty() {
            fallback.to_string()
        } else {
            core.join(" ")
        }
    }

    /// The subject for a sentence ("coffee shop"), or `fallback`.
    pub fn subject_or<'a>(&'a self, fallback: &'a str) -> &'a str {
        if self.subject.is_empty() {
            fallback
        } else {
            &self.subject
        }
    }
}

/// A page kind's part of the project.
pub struct Page {
    pub brand: String,
    /// The `<title>`; cleaned of characters HTML would escape before use.
    pub title: String,
    pub description: String,
    /// Header links, `(label, href)`.
    pub nav: Vec<(String, String)>,
    pub cta: (String, String),
    pub footer: String,
    /// Type declarations appended to `app/data.ts` before the exports.
    pub types: &'static str,
    /// `export const name: type = value;` entries of `app/data.ts`.
    pub exports: Vec<(&'static str, &'static str, Js)>,
    /// `app/page.tsx`.
    pub page: &'static str,
    /// Further files, e.g. client components.
    pub components: Vec<(&'static str, &'static str)>,
    /// Appended to `app/globals.css` after the theme and base rules.
    pub css: &'static str,
}

pub fn link(label: &str, href: &str) -> (String, String) {
    (label.to_string(), href.to_string())
}

pub fn build(topic: Topic, ctx: &Ctx) -> Page {
    match topic {
        Topic::Landing => landing::build(ctx),
        Topic::News => news::build(ctx),
        Topic::Profile => profile::build(ctx),
        Topic::Chess => chess::build(ctx),
        Topic::Chat => chat::build(ctx),
        Topic::Editor => editor::build(ctx),
        Topic::Gallery => gallery::build(ctx),
        Topic::Pricing => pricing::build(ctx),
        Topic::Dashboard => dashboard::build(ctx),
        Topic::Todo => todo::build(ctx),
        Topic::Menu => menu::build(ctx),
        Topic::Weather => weather::build(ctx),
    }
}

/// First names and surnames for people in feeds, threads and testimonials.
pub const FIRST_NAMES: &[&str] = &[
    "Maya", "Jonas", "Priya", "Leo", "Amara", "Tomás", "Hana", "Felix", "Nora", "Kofi", "Iris",
    "Mateo", "Elena", "Sami", "Ada", "Ravi", "Lucia", "Omar", "June", "Theo", "Zara", "Ines",
];
pub const LAST_NAMES: &[&str] = &[
    "Okafor",
    "Lindqvist",
    "Patel",
    "Moreau",
    "Tanaka",
    "Alvarez",
    "Novak",
    "Haddad",
    "Byrne",
    "Mensah",
    "Kowalski",
    "Rossi",
    "Nakamura",
    "Silva",
    "Fischer",
    "Khan",
    "Dubois",
    "Reyes",
];

/// "Maya Okafor"-style names, all different.
pub fn people(rng: &mut Rng, count: usize) -> Vec<String> {
    let firsts = rng.sample(FIRST_NAMES, count.min(FIRST_NAMES.len()));
    firsts
        .iter()
        .map(|first| format!("{first} {}", rng.pick(LAST_NAMES)))
        .collect()
}
