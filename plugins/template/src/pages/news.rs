//! A link-aggregator front page in the manner of Hacker News: ranked stories, upvotes and
//! threaded comments.

use super::{Ctx, Page, link};
use crate::js::{Js, arr, obj};
use crate::rng::Rng;

const PAGE: &str = include_str!("../assets/news/page.tsx");
const TYPES: &str = include_str!("../assets/news/types.ts");
const CSS: &str = include_str!("../assets/news/style.css");
const BOARD: &str = include_str!("../assets/news/NewsBoard.tsx");

/// `(kind, title, domain)`; `{core}` is the subject ("Hacker News").
const STORIES: &[(&str, &str, &str)] = &[
    (
        "story",
        "A from-scratch database in 4,000 lines of Rust",
        "github.com",
    ),
    (
        "show",
        "Show HN: I built a tiny static site generator that fits in one file",
        "github.com",
    ),
    (
        "story",
        "Why we moved our queue from Kafka back to Postgres",
        "engineering.example.org",
    ),
    (
        "ask",
        "Ask HN: What is your favourite underrated debugging technique?",
        "",
    ),
    (
        "story",
        "The hidden cost of microservices, ten years later",
        "blog.example.com",
    ),
    (
        "story",
        "SQLite is faster than the filesystem for small blobs",
        "sqlite.org",
    ),
    (
        "show",
        "Show HN: A browser-based synthesizer written in WebAssembly",
        "synth.example.dev",
    ),
    (
        "story",
        "How the Apollo guidance computer handled overloads",
        "spectrum.example.org",
    ),
    (
        "story",
        "Writing a TCP stack in user space for fun and learning",
        "lwn.net",
    ),
    (
        "job",
        "Acme Robotics (YC W21) is hiring embedded engineers in Berlin",
        "acme.example.com",
    ),
    (
        "story",
        "The design of the Unix pipe, revisited",
        "cs.example.edu",
    ),
    (
        "ask",
        "Ask HN: How do you keep a side project alive for years?",
        "",
    ),
    (
        "story",
        "Linear types make resource bugs a compile error",
        "arxiv.org",
    ),
    (
        "story",
        "A visual guide to how CPUs predict branches",
        "chipsandcheese.example",
    ),
    (
        "show",
        "Show HN: Terminal spreadsheet with Vim keys",
        "github.com",
    ),
    (
        "story",
        "What I learned running a one-person SaaS for five years",
        "notes.example.net",
    ),
    (
        "story",
        "Reverse-engineering a 1990s handheld game console",
        "hackaday.com",
    ),
    (
        "story",
        "Zero-downtime schema migrations at scale",
        "engineering.example.com",
    ),
    (
        "story",
        "The surprising economics of undersea cables",
        "economist.example",
    ),
    (
        "ask",
        "Ask HN: Which technical books changed how you write code?",
        "",
    ),
    (
        "story",
        "Memory safety without garbage collection, explained simply",
        "blog.example.dev",
    ),
    (
        "show",
        "Show HN: A self-hosted bookmark manager with full-text search",
        "github.com",
    ),
    (
        "story",
        "Bitmap fonts are back, and they look great on modern screens",
        "typography.example",
    ),
    (
        "story",
        "An oral history of the first web browser",
        "wired.example",
    ),
    (
        "job",
        "Northwind Data is hiring a founding infrastructure engineer (remote)",
        "northwind.example",
    ),
    (
        "story",
        "Property-based testing found 14 bugs in our parser",
        "blog.example.io",
    ),
    (
        "story",
        "How a single misplaced index took down our checkout",
        "postmortems.example",
    ),
    (
        "story",
        "Why your laptop fan spins when the screen is off",
        "arstechnica.com",
    ),
    (
        "show",
        "Show HN: I made a weather station from an old router",
        "github.com",
    ),
    (
        "story",
        "The quiet revival of server-rendered HTML",
        "htmx.org",
    ),
];

const COMMENTS: &[&str] = &[
    "I have been doing this for a decade and the biggest lesson was the same: measure before you optimise.",
    "Great write-up. The section on failure modes alone is worth bookmarking.",
    "We tried something similar at work. It went fine until the data outgrew a single machine.",
    "Counterpoint: the simple version is usually good enough, and much easier to debug at 3am.",
    "Does anyone have benchmarks for this on ARM? Curious how it holds up.",
    "This is the kind of post that makes this site worth reading.",
    "The author glosses over backups. That is where most of these setups fall apart.",
    "I built a toy version of this in university and still think about it.",
    "Genuinely impressive for a side project. How long did it take you?",
    "Reminds me of an old paper from the eighties that made the same argument.",
    "The real trick is keeping the scope small. Most projects die from feature creep.",
    "Honest question: what does this give me over the boring solution?",
    "Thanks for sharing the source, reading it now. Very clean code.",
    "We switched last year and our on-call pages dropped by half.",
    "Love the attention to detail in the diagrams.",
    "Every few years this idea comes back, and every time the tooling is a bit better.",
];

const HANDLES: &[&str] = &[
    "quietfox",
    "lambdaknight",
    "nullpointer",
    "ferrous",
    "kqueue",
    "mossbrook",
    "tarnfield",
    "bytebard",
    "oldtimer",
    "segfaulty",
    "zettel",
    "pgdump",
    "cachemiss",
    "tinkerer",
    "hexwright",
    "sysadmin42",
    "latticework",
    "unixgrey",
    "cosmicray",
    "driftwood",
];

fn age(minutes: i64) -> String {
    match minutes {
        m if m < 60 => format!("{m} minutes ago"),
        m if m < 120 => "1 hour ago".to_string(),
        m if m < 1440 => format!("{} hours ago", m / 60),
        m => format!("{} days ago", m / 1440),
    }
}

fn comments(rng: &mut Rng, next_id: &mut i64, depth: u32) -> Js {
    let count = if depth == 0 {
        rng.range(0, 4)
    } else {
        rng.range(0, 2 - depth.min(2) as i64)
    };
    arr((0..count).map(|_| {
        *next_id += 1;
        let id = *next_id;
        let replies = if depth < 2 {
            comments(rng, next_id, depth + 1)
        } else {
            arr(Vec::<Js>::new())
        };
        obj([
            ("id", id.into()),
            ("by", (*rng.pick(HANDLES)).into()),
            ("age", age(rng.range(3, 600)).into()),
            ("text", (*rng.pick(COMMENTS)).into()),
            ("replies", replies),
        ])
    }))
}

pub fn build(ctx: &Ctx) -> Page {
    let mut rng = ctx.rng("stories");
    let brand = ctx.core_or("Hacker News", 3);

    let mut order: Vec<usize> = (0..STORIES.len()).collect();
    rng.shuffle(&mut order);
    let mut points: Vec<i64> = order.iter().map(|_| rng.range(18, 960)).collect();
    points.sort_unstable_by(|a, b| b.cmp(a));

    let mut next_id = 1000;
    let stories = arr(order
        .iter()
        .zip(points)
        .enumerate()
        .map(|(rank, (&index, points))| {
            let (kind, title, domain) = STORIES[index];
            let minutes = rng.range(8, 60 * 20) + rank as i64 * 9;
            obj([
                ("id", (index as i64 + 1).into()),
                ("title", title.into()),
                ("domain", domain.into()),
                ("points", points.into()),
                ("by", (*rng.pick(HANDLES)).into()),
                ("age", age(minutes).into()),
                ("minutes", minutes.into()),
                ("kind", kind.into()),
                ("comments", comments(&mut rng, &mut next_id, 0)),
            ])
        }));

    Page {
        title: format!("{brand} | Front Page"),
        description: format!("{brand}: the day's best links, ranked by readers, with discussion."),
        nav: vec![
            link("new", "#new"),
            link("ask", "#ask"),
            link("show", "#show"),
        ],
        cta: link("submit", "#submit"),
        footer: format!("{brand}: links and discussion, ranked by readers. Be kind, be curious."),
        types: TYPES,
        exports: vec![("stories", "Story[]", stories)],
        page: PAGE,
        components: vec![("components/NewsBoard.tsx", BOARD)],
        css: CSS,
        brand,
    }
}
