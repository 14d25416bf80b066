//! A social profile: header image, bio, counts, tabs and a feed that can be posted to.

use super::{Ctx, Page, link, people};
use crate::js::{arr, obj};
use crate::words;

const PAGE: &str = include_str!("../assets/profile/page.tsx");
const TYPES: &str = include_str!("../assets/profile/types.ts");
const CSS: &str = include_str!("../assets/profile/style.css");
const APP: &str = include_str!("../assets/profile/ProfileApp.tsx");

/// Words that describe the profile page itself, not the person on it.
const PAGE_WORDS: &[&str] = &[
    "profile", "feed", "posts", "post", "bio", "header", "image", "timeline", "social",
];

const ROLES: &[&str] = &[
    "Product designer",
    "Illustrator and type nerd",
    "Software engineer",
    "Travel photographer",
    "Indie game developer",
];

const POSTS: &[(&str, &str)] = &[
    (
        "",
        "Shipped the redesign today. Two months of tiny decisions, one big button. Thank you to everyone who sent feedback.",
    ),
    (
        "waves",
        "Morning walk before the deadline. Best design tool I know is still a long walk without headphones.",
    ),
    (
        "",
        "Hot take: most interfaces need fewer options and better defaults.",
    ),
    (
        "grid",
        "New series: twelve small studies in colour and rhythm. Which one is your favourite?",
    ),
    (
        "",
        "Writing the talk for next month. Working title: boring tools, interesting work.",
    ),
    (
        "sun",
        "Golden hour from the studio roof. Some days the city is showing off.",
    ),
    (
        "",
        "If you are starting out: finish small things. Finished beats perfect every single time.",
    ),
    (
        "",
        "Reading list this week: a book on typography, a paper on latency, and a novel about lighthouses.",
    ),
    (
        "",
        "Coffee number three. Inbox zero. It is going to be one of those afternoons.",
    ),
];

const REPLIES: &[&str] = &[
    "Completely agree, and the best part is it gets easier with every project.",
    "This is brilliant. Saving it for the next team offsite.",
    "Ha, I said the same thing in a meeting yesterday and got blank stares.",
];

const TRENDS: &[(&str, &str)] = &[
    ("Design · Trending", "Variable fonts"),
    ("Technology · Trending", "Local-first apps"),
    ("Trending near you", "Farmers market"),
    ("Sports · Trending", "Marathon weekend"),
    ("Music · Trending", "Album of the year"),
    ("Science · Trending", "Solar eclipse"),
];

const CITIES: &[&str] = &[
    "Lisbon",
    "Brooklyn, NY",
    "Berlin",
    "Toronto",
    "Melbourne",
    "Oslo",
];
const MONTHS: &[&str] = &["March", "June", "September", "November", "January"];

pub fn build(ctx: &Ctx) -> Page {
    let mut rng = ctx.rng("profile");
    let names = people(&mut rng, 4);
    let name = names[0].clone();
    let handle = words::slug(&name).replace('-', "_");

    // "profile page for a pastry chef" makes the person a pastry chef.
    let own: Vec<&str> = ctx
        .subject
        .split(' ')
        .filter(|word| !word.is_empty() && !PAGE_WORDS.contains(word))
        .collect();
    let role = if own.is_empty() {
        rng.pick(ROLES).to_string()
    } else {
        words::sentence_case(&own.join(" "))
    };
    let city = *rng.pick(CITIES);
    let bio = format!(
        "{role} in {city}. Making things on the internet, slowly and carefully. Notes on craft, \
         tools and the occasional {}.",
        rng.pick(&["sourdough", "bike ride", "sunset", "houseplant"])
    );

    let profile = obj([
        ("name", name.as_str().into()),
        ("handle", handle.as_str().into()),
        ("bio", bio.into()),
        ("location", city.into()),
        ("website", format!("{}.example", words::slug(&name)).into()),
        (
            "joined",
            format!("Joined {} {}", rng.pick(MONTHS), rng.range(2011, 2019)).into(),
        ),
        ("following", rng.range(180, 900).into()),
        ("followers", rng.range(12_000, 98_000).into()),
        ("hue", ctx.palette.hue.into()),
    ]);

    let mut order: Vec<usize> = (0..POSTS.len()).collect();
    rng.shuffle(&mut order);
    let mut feed = Vec::new();
    for (rank, index) in order.iter().enumerate() {
        let (media, text) = POSTS[*index];
        let likes = rng.range(40, 4800);
        feed.push(obj([
            ("id", (rank as i64 + 1).into()),
            ("text", text.into()),
            ("age", format!("{}h", rank * 3 + 1 + rng.below(3)).into()),
            ("replies", (likes / rng.range(8, 30)).into()),
            ("reposts", (likes / rng.range(3, 9)).into()),
            ("likes", likes.into()),
            (
                "views",
                format!("{}K", likes / 10 + rng.range(5, 90)).into(),
            ),
            ("pinned", (rank == 0).into()),
            ("media", media.into()),
            ("replyTo", "".into()),
        ]));
        if rank % 3 == 1 {
            let other = &names[1 + rank % 3];
            feed.push(obj([
                ("id", (100 + rank as i64).into()),
                ("text", (*rng.pick(REPLIES)).into()),
                ("age", format!("{}h", rank * 3 + 2).into()),
                ("replies", rng.range(0, 12).into()),
                ("reposts", rng.range(0, 20).into()),
                ("likes", rng.range(5, 160).into()),
                ("views", format!("{}", rng.range(300, 4000)).into()),
                ("pinned", false.into()),
                ("media", "".into()),
                ("replyTo", words::slug(other).replace('-', "_").into()),
            ]));
        }
    }

    let trends = arr(rng.sample(TRENDS, 4).into_iter().map(|(category, topic)| {
        obj([
            ("category", category.into()),
            ("topic", topic.into()),
            (
                "posts",
                format!("{}.{}K", rng.range(2, 80), rng.range(1, 9)).into(),
            ),
        ])
    }));
    let suggestions = arr(names[1..].iter().map(|other| {
        obj([
            ("name", other.into()),
            ("handle", words::slug(other).replace('-', "_").into()),
            (
                "hue",
                ((ctx.palette.second + rng.range(0, 120) as u32) % 360).into(),
            ),
        ])
    }));

    let brand = ctx
        .rng("brand")
        .pick(&["Murmur", "Chirp", "Canopy", "Flock", "Relay"])
        .to_string();
    Page {
        title: format!("{name} (@{handle}) | {brand}"),
        description: format!(
            "Posts, replies and media from {name}, {} in {city}.",
            words::lower_first(&role)
        ),
        nav: vec![link("Posts", "#top")],
        cta: link("Follow", "#top"),
        footer: format!("Terms · Privacy · Cookies · Accessibility · {brand}"),
        types: TYPES,
        exports: vec![
            ("profile", "Person", profile),
            ("posts", "Post[]", arr(feed)),
            ("trends", "Trend[]", trends),
            ("suggestions", "Suggestion[]", suggestions),
        ],
        page: PAGE,
        components: vec![("components/ProfileApp.tsx", APP)],
        css: CSS,
        brand,
    }
}
