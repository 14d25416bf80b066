//! Which kind of page a prompt asks for.

use crate::words;

/// The page kinds this contestant knows how to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topic {
    Landing,
    News,
    Profile,
    Chess,
    Chat,
    Editor,
    Gallery,
    Pricing,
    Dashboard,
    Todo,
    Menu,
    Weather,
}

impl Topic {
    pub const ALL: [Topic; 12] = [
        Topic::Landing,
        Topic::News,
        Topic::Profile,
        Topic::Chess,
        Topic::Chat,
        Topic::Editor,
        Topic::Gallery,
        Topic::Pricing,
        Topic::Dashboard,
        Topic::Todo,
        Topic::Menu,
        Topic::Weather,
    ];

    /// Short identifier used in logs and tests.
    pub fn id(self) -> &'static str {
        match self {
            Topic::Landing => "landing",
            Topic::News => "news",
            Topic::Profile => "profile",
            Topic::Chess => "chess",
            Topic::Chat => "chat",
            Topic::Editor => "editor",
            Topic::Gallery => "gallery",
            Topic::Pricing => "pricing",
            Topic::Dashboard => "dashboard",
            Topic::Todo => "todo",
            Topic::Menu => "menu",
            Topic::Weather => "weather",
        }
    }

    /// What the reply's introduction calls the page.
    pub fn noun(self) -> &'static str {
        match self {
            Topic::Landing => "landing page",
            Topic::News => "link-aggregator front page with upvotes and threaded comments",
            Topic::Profile => "social profile page with a header image, bio and a live feed",
            Topic::Chess => "playable two-player chess board",
            Topic::Chat => "messaging screen with a contact list and a live thread",
            Topic::Editor => "code editor layout with a file tree, tabs and a status bar",
            Topic::Gallery => "portfolio with a filterable gallery and a lightbox",
            Topic::Pricing => "pricing page with three tiers and a monthly/yearly toggle",
            Topic::Dashboard => "sales dashboard with a bar chart and a sortable table",
            Topic::Todo => "to-do app with categories, due dates and a dark mode switch",
            Topic::Menu => "restaurant menu with dietary filters and an order summary",
            Topic::Weather => "weather app landing page with city search and a 5-day forecast",
        }
    }

    /// Words that point at this kind, with how strongly. Multi-word entries match as phrases.
    fn cues(self) -> &'static [(&'static str, u32)] {
        match self {
            Topic::Landing => &[("landing page", 3), ("landing", 2), ("homepage", 1)],
            Topic::News => &[
                ("hacker news", 6),
                ("hn", 4),
                ("upvote", 3),
                ("upvotes", 3),
                ("reddit", 4),
                ("lobsters", 4),
                ("news aggregator", 4),
                ("link aggregator", 4),
                ("front page", 1),
                ("comments", 1),
            ],
            Topic::Profile => &[
                ("twitter", 4),
                ("tweet", 3),
                ("tweets", 3),
                ("profile", 3),
                ("feed", 2),
                ("followers", 2),
                ("bio", 2),
                ("instagram", 3),
                ("mastodon", 3),
                ("social", 2),
                ("header image", 1),
                ("posts", 1),
            ],
            Topic::Chess => &[("chess", 6), ("checkmate", 3), ("chessboard", 6)],
            Topic::Chat => &[
                ("chat", 4),
                ("whatsapp", 5),
                ("messenger", 4),
                ("messaging", 3),
                ("telegram", 4),
                ("slack", 3),
                ("message thread", 3),
                ("contact list", 2),
                ("conversation", 2),
                ("conversations", 2),
            ],
            Topic::Editor => &[
                ("vs code", 6),
                ("vscode", 6),
                ("editor", 3),
                ("ide", 4),
                ("file tree", 3),
                ("file explorer", 3),
                ("status bar", 2),
                ("tabs", 1),
            ],
            Topic::Gallery => &[
                ("portfolio", 4),
                ("gallery", 4),
                ("photographer", 4),
                ("photography", 4),
                ("photos", 2),
                ("artist", 2),
                ("illustrator", 2),
                ("filterable", 1),
            ],
            Topic::Pricing => &[
                ("pricing", 5),
                ("tiers", 3),
                ("plans", 2),
                ("monthly", 2),
                ("yearly", 2),
                ("annual", 2),
                ("subscription", 2),
                ("saas", 1),
            ],
            Topic::Dashboard => &[
                ("dashboard", 5),
                ("bar chart", 3),
                ("chart", 2),
                ("analytics", 3),
                ("kpi", 3),
                ("kpis", 3),
                ("metrics", 2),
                ("admin", 2),
                ("sales", 2),
                ("revenue", 2),
                ("table", 1),
            ],
            Topic::Todo => &[
                ("to do", 5),
                ("todo", 5),
                ("todos", 5),
                ("task", 3),
                ("tasks", 3),
                ("checklist", 3),
                ("due dates", 2),
                ("reminders", 2),
                ("dark mode", 1),
            ],
            Topic::Menu => &[
                ("restaurant", 4),
                ("menu", 3),
                ("dietary", 3),
                ("dishes", 3),
                ("bistro", 3),
                ("pizzeria", 3),
                ("trattoria", 3),
                ("order summary", 2),
            ],
            Topic::Weather => &[
                ("weather", 6),
                ("forecast", 4),
                ("temperature", 2),
                ("five day", 2),
                ("5 day", 2),
                ("climate", 2),
            ],
        }
    }
}

/// The best-matching kind; a landing page when nothing matches.
pub fn detect(prompt: &str) -> Topic {
    let text = format!(" {} ", words::tokens(prompt).join(" "));

    let mut best = (Topic::Landing, 0);
    for topic in Topic::ALL {
        let score: u32 = topic
            .cues()
            .iter()
            .filter(|(cue, _)| text.contains(&format!(" {cue} ")))
            .map(|(_, weight)| weight)
            .sum();
        if score > best.1 {
            best = (topic, score);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_arena_prompt_gets_its_own_kind() {
        let cases = [
            ("Build a landing page for a coffee shop", Topic::Landing),
            (
                "Build a clone of the Hacker News front page with upvotes and comments",
                Topic::News,
            ),
            (
                "Build a Twitter-style profile page with a header image, bio, and a feed of posts",
                Topic::Profile,
            ),
            (
                "Build a playable chess board where two people can move pieces in turn",
                Topic::Chess,
            ),
            (
                "Build a WhatsApp-style chat screen with a contact list and a message thread",
                Topic::Chat,
            ),
            (
                "Build a VS Code style editor layout with a file tree, tabs, and a status bar",
                Topic::Editor,
            ),
            (
                "Build a portfolio site for a freelance photographer with a filterable gallery",
                Topic::Gallery,
            ),
            (
                "Build a pricing page for a SaaS product with three tiers and a monthly/yearly toggle",
                Topic::Pricing,
            ),
            (
                "Build a dashboard that shows sales by month as a bar chart and a table of top products",
                Topic::Dashboard,
            ),
            (
                "Build a to-do app with categories, due dates, and a dark mode switch",
                Topic::Todo,
            ),
            (
                "Build a restaurant menu site with sections, dietary badges, and an order summary",
                Topic::Menu,
            ),
            (
                "Build a weather app landing page with a search box and a five-day forecast layout",
                Topic::Weather,
            ),
            (
                "Make me a website for a dog grooming business",
                Topic::Landing,
            ),
        ];
        for (prompt, expected) in cases {
            assert_eq!(detect(prompt), expected, "{prompt}");
        }
    }
}
