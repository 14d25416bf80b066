//! A portfolio with a filterable masonry gallery and a lightbox. Photographs are drawn as SVG
//! scenes, so the site needs no image files and no network.

use super::{Ctx, Page, link, people};
use crate::js::{Js, arr, num1, obj};
use crate::words;

const PAGE: &str = include_str!("../assets/gallery/page.tsx");
const TYPES: &str = include_str!("../assets/gallery/types.ts");
const CSS: &str = include_str!("../assets/gallery/style.css");
const GALLERY: &str = include_str!("../assets/gallery/Gallery.tsx");

/// A kind of artist: who they are and what their work is grouped by, each group with the
/// scene that stands in for its pictures and a few titles.
struct Practice {
    cues: &'static [&'static str],
    role: &'static str,
    intros: &'static [&'static str],
    categories: &'static [(&'static str, &'static str, &'static [&'static str])],
    services: [(&'static str, &'static str, &'static str); 3],
}

const PHOTOGRAPHY: Practice = Practice {
    cues: &["photographer", "photography", "photo", "photos"],
    role: "Photographer",
    intros: &[
        "Honest pictures of people, places and the light between them.",
        "Quiet, natural photographs for the moments that matter.",
        "I photograph people as they are, in the light they are in.",
    ],
    categories: &[
        (
            "Portraits",
            "portrait",
            &[
                "Studio light",
                "Morning coffee",
                "The painter",
                "Window seat",
                "Brothers",
            ],
        ),
        (
            "Weddings",
            "wedding",
            &["First look", "Garden vows", "Last dance", "Confetti"],
        ),
        (
            "Landscapes",
            "landscape",
            &[
                "Ridge at dawn",
                "Low tide",
                "Fjord",
                "High desert",
                "After the storm",
            ],
        ),
        (
            "Street",
            "street",
            &["Night market", "Crosswalk", "Corner shop", "Rush hour"],
        ),
    ],
    services: [
        (
            "Portrait session",
            "Ninety minutes in the studio or on location, twenty edited images.",
            "From $450",
        ),
        (
            "Wedding day",
            "Full-day coverage, a second shooter and a printed album.",
            "From $3,200",
        ),
        (
            "Commercial",
            "Editorial and brand photography with usage rights included.",
            "Quote on request",
        ),
    ],
};

const DESIGN: Practice = Practice {
    cues: &[
        "designer",
        "illustrator",
        "artist",
        "painter",
        "architect",
        "studio",
        "agency",
    ],
    role: "Designer",
    intros: &[
        "Identity, editorial and illustration for people who care about detail.",
        "Clear, bold work for brands with something to say.",
    ],
    categories: &[
        (
            "Branding",
            "abstract",
            &[
                "Northwind rebrand",
                "Field notes",
                "Harvest identity",
                "Tidewater",
            ],
        ),
        (
            "Editorial",
            "portrait",
            &[
                "Weekend magazine",
                "Annual report",
                "Cover story",
                "Long read",
            ],
        ),
        (
            "Illustration",
            "nature",
            &["Wild garden", "Botanica", "Seasons series", "Meadow"],
        ),
        (
            "Spaces",
            "street",
            &[
                "Gallery signage",
                "Cafe interior",
                "Market hall",
                "Library wayfinding",
            ],
        ),
    ],
    services: [
        (
            "Brand identity",
            "Strategy, logo, type and colour, with a guide your team can use.",
            "From $6,000",
        ),
        (
            "Editorial design",
            "Magazines, reports and books, from grid to print.",
            "From $2,500",
        ),
        (
            "Illustration",
            "Commissioned pieces for campaigns, packaging and web.",
            "From $800",
        ),
    ],
};

const PLACES: &[&str] = &[
    "Lisbon",
    "Kyoto",
    "Oaxaca",
    "Reykjavik",
    "Marrakesh",
    "Brooklyn",
    "Cape Town",
    "Tromso",
    "Seville",
];
const CLIENTS: &[&str] = &[
    "Kinfolk",
    "Monocle",
    "Patagonia",
    "Aesop",
    "The Gentlewoman",
    "Airbnb",
    "Penguin Books",
    "Le Labo",
];
const CITIES: &[&str] = &[
    "Lisbon",
    "Brooklyn",
    "London",
    "Copenhagen",
    "Melbourne",
    "Montreal",
];

pub fn build(ctx: &Ctx) -> Page {
    let practice = if ctx.mentions(DESIGN.cues) && !ctx.mentions(PHOTOGRAPHY.cues) {
        &DESIGN
    } else {
        &PHOTOGRAPHY
    };
    let mut rng = ctx.rng("gallery");
    let name = people(&mut rng, 1).remove(0);
    let city = *rng.pick(CITIES);

    // "freelance photographer" stays as written; an unknown subject keeps the practice's name.
    let role = if ctx.subject.is_empty() || ctx.subject == "portfolio" {
        practice.role.to_string()
    } else {
        words::sentence_case(&ctx.subject)
    };

    let mut photos: Vec<Js> = Vec::new();
    let mut id = 0;
    for (category, scene, titles) in practice.categories {
        for title in *titles {
            id += 1;
            let hue = (ctx.palette.hue as i64 + rng.range(-60, 120) + 360) % 360;
            let ratio = *rng.pick(&[0.75, 1.0, 1.25, 1.4, 0.8]);
            photos.push(obj([
                ("id", id.into()),
                ("title", (*title).into()),
                ("category", (*category).into()),
                ("place", (*rng.pick(PLACES)).into()),
                ("year", rng.range(2019, 2025).into()),
                ("scene", (*scene).into()),
                ("hue", hue.into()),
                ("ratio", num1(ratio)),
            ]));
        }
    }
    rng.shuffle(&mut photos);

    let about = format!(
        "{name} is a {} based in {city}, working worldwide. Commissions for editorial, \
         brands and private clients, with a calm way of working and a fast turnaround.",
        role.to_lowercase()
    );
    let artist = obj([
        ("name", name.as_str().into()),
        ("role", role.as_str().into()),
        ("city", city.into()),
        ("intro", (*rng.pick(practice.intros)).into()),
        ("about", about.into()),
        (
            "email",
            format!("hello@{}.studio", words::slug(&name)).into(),
        ),
        ("clients", arr(rng.sample(CLIENTS, 5))),
    ]);
    let categories = arr(practice.categories.iter().map(|(category, _, _)| *category));
    let services = arr(practice.services.iter().map(|(service, text, price)| {
        obj([
            ("name", (*service).into()),
            ("text", (*text).into()),
            ("price", (*price).into()),
        ])
    }));

    Page {
        title: format!("{name} | {role}"),
        description: format!("Portfolio of {name}, {} in {city}.", role.to_lowercase()),
        nav: vec![
            link("Work", "#work"),
            link("Services", "#services"),
            link("Contact", "#contact"),
        ],
        cta: link("Book a session", "#contact"),
        footer: format!("{role} based in {city}. Available for commissions worldwide."),
        types: TYPES,
        exports: vec![
            ("artist", "Artist", artist),
            ("categories", "string[]", categories),
            ("photos", "Photo[]", Js::Arr(photos)),
            ("services", "Service[]", services),
        ],
        page: PAGE,
        components: vec![("components/Gallery.tsx", GALLERY)],
        css: CSS,
        brand: name,
    }
}
