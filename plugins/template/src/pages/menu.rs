//! A restaurant menu: sections, dietary badges and filters, and an order summary with pickup
//! or delivery.

use super::{Ctx, Page, link};
use crate::js::{Js, arr, obj};

const PAGE: &str = include_str!("../assets/menu/page.tsx");
const TYPES: &str = include_str!("../assets/menu/types.ts");
const CSS: &str = include_str!("../assets/menu/style.css");
const BOARD: &str = include_str!("../assets/menu/MenuBoard.tsx");

/// `(name, description, price in cents, badges)`.
type Dish = (&'static str, &'static str, i64, &'static [&'static str]);

struct Cuisine {
    cues: &'static [&'static str],
    label: &'static str,
    names: &'static [&'static str],
    taglines: &'static [&'static str],
    intro: &'static str,
    sections: &'static [(&'static str, &'static str, &'static [Dish])],
}

const BISTRO: Cuisine = Cuisine {
    cues: &[],
    label: "Seasonal kitchen and wine bar",
    names: &[
        "Juniper Table",
        "The Copper Pot",
        "Fernwood Kitchen",
        "Marigold",
        "Saltbox",
    ],
    taglines: &[
        "Seasonal plates, made to share.",
        "Good food, honest prices, open late.",
    ],
    intro: "We cook with what the farms bring in each morning: bright small plates, a wood-fired \
            grill and desserts worth saving room for. Order for pickup or delivery below.",
    sections: &[
        (
            "Starters",
            "Small plates to share, or not.",
            &[
                (
                    "Charred sourdough",
                    "House butter, flaky salt, pickled shallot.",
                    700,
                    &["v"],
                ),
                (
                    "Burrata and peaches",
                    "Basil oil, toasted hazelnuts, aged balsamic.",
                    1450,
                    &["v", "gf", "n"],
                ),
                (
                    "Crispy cauliflower",
                    "Tahini, pomegranate, green chilli.",
                    1100,
                    &["vg", "gf", "df", "spicy"],
                ),
                (
                    "Beef tartare",
                    "Smoked egg yolk, capers, rye crisps.",
                    1600,
                    &["df"],
                ),
            ],
        ),
        (
            "Mains",
            "From the wood-fired grill and the stove.",
            &[
                (
                    "Roast half chicken",
                    "Salsa verde, lemon potatoes, charred greens.",
                    2600,
                    &["gf", "df"],
                ),
                (
                    "Wild mushroom risotto",
                    "Parmesan, thyme, brown butter.",
                    2200,
                    &["v", "gf"],
                ),
                (
                    "Grilled sea bream",
                    "Fennel, orange, olive and caper dressing.",
                    2900,
                    &["gf", "df"],
                ),
                (
                    "Braised short rib",
                    "Creamy polenta, gremolata, red wine jus.",
                    3200,
                    &["gf"],
                ),
                (
                    "Spring vegetable tagine",
                    "Apricots, chickpeas, herb couscous.",
                    2100,
                    &["vg", "df", "spicy"],
                ),
            ],
        ),
        (
            "Desserts",
            "Baked in-house every afternoon.",
            &[
                (
                    "Dark chocolate tart",
                    "Sea salt, creme fraiche.",
                    1000,
                    &["v"],
                ),
                (
                    "Olive oil cake",
                    "Citrus curd, pistachio crumb.",
                    900,
                    &["v", "n"],
                ),
                (
                    "Coconut panna cotta",
                    "Passion fruit, lime.",
                    900,
                    &["vg", "gf", "df"],
                ),
            ],
        ),
        (
            "Drinks",
            "Natural wines, local beer and house sodas.",
            &[
                (
                    "House lemonade",
                    "Lemon, mint, sparkling water.",
                    500,
                    &["vg", "gf", "df"],
                ),
                (
                    "Orange wine, glass",
                    "Skin-contact, Slovenia.",
                    1300,
                    &["vg", "gf", "df"],
                ),
                (
                    "Local pale ale",
                    "Brewed six streets away.",
                    800,
                    &["vg", "df"],
                ),
            ],
        ),
    ],
};

const ITALIAN: Cuisine = Cuisine {
    cues: &[
        "italian",
        "pizza",
        "pizzeria",
        "pasta",
        "trattoria",
        "osteria",
    ],
    label: "Trattoria and wood-fired pizza",
    names: &[
        "Trattoria Lucia",
        "Osteria del Ponte",
        "Nonna Rosa",
        "Forno Verde",
    ],
    taglines: &[
        "Pasta by hand, pizza from the fire.",
        "Like Sunday lunch in Naples.",
    ],
    intro: "Fresh pasta rolled every morning, dough proved for 48 hours and baked at 450 degrees \
            in our wood-fired oven. Order for pickup or delivery below.",
    sections: &[
        (
            "Antipasti",
            "To start the table.",
            &[
                (
                    "Arancini",
                    "Saffron risotto, mozzarella, tomato sugo.",
                    900,
                    &["v"],
                ),
                (
                    "Burrata",
                    "Heirloom tomatoes, basil, olive oil.",
                    1400,
                    &["v", "gf"],
                ),
                ("Calamari fritti", "Lemon aioli.", 1300, &["df"]),
            ],
        ),
        (
            "Pizza",
            "Wood-fired, 12 inch.",
            &[
                (
                    "Margherita",
                    "San Marzano, fior di latte, basil.",
                    1500,
                    &["v"],
                ),
                (
                    "Diavola",
                    "Spicy salami, chilli honey, mozzarella.",
                    1800,
                    &["spicy"],
                ),
                ("Funghi", "Wild mushrooms, taleggio, thyme.", 1700, &["v"]),
                (
                    "Marinara",
                    "Tomato, garlic, oregano, no cheese.",
                    1300,
                    &["vg", "df"],
                ),
            ],
        ),
        (
            "Pasta",
            "Made by hand every morning.",
            &[
                (
                    "Cacio e pepe",
                    "Tonnarelli, pecorino, black pepper.",
                    1900,
                    &["v"],
                ),
                (
                    "Ragu alla bolognese",
                    "Tagliatelle, slow-cooked beef and pork.",
                    2200,
                    &[],
                ),
                (
                    "Pesto Genovese",
                    "Trofie, basil, pine nuts, potato.",
                    1900,
                    &["v", "n"],
                ),
            ],
        ),
        (
            "Dolci",
            "To finish.",
            &[
                ("Tiramisu", "Mascarpone, espresso, cocoa.", 1000, &["v"]),
                (
                    "Affogato",
                    "Vanilla gelato, hot espresso.",
                    700,
                    &["v", "gf"],
                ),
                (
                    "Sorbetto al limone",
                    "Amalfi lemons.",
                    700,
                    &["vg", "gf", "df"],
                ),
            ],
        ),
    ],
};

const JAPANESE: Cuisine = Cuisine {
    cues: &["japanese", "sushi", "ramen", "izakaya"],
    label: "Sushi bar and izakaya",
    names: &["Kumo", "Hanabi", "Sakura House", "Tsuki"],
    taglines: &["Sushi, ramen and small plates.", "Fresh fish, slow broth."],
    intro: "Fish from the morning market, broths simmered for eighteen hours and a long list of \
            small plates. Order for pickup or delivery below.",
    sections: &[
        (
            "Small plates",
            "Izakaya favourites.",
            &[
                (
                    "Edamame",
                    "Sea salt or spicy garlic.",
                    600,
                    &["vg", "gf", "df"],
                ),
                ("Chicken karaage", "Yuzu mayo, lemon.", 1100, &["df"]),
                (
                    "Agedashi tofu",
                    "Dashi, grated daikon, scallion.",
                    900,
                    &["v"],
                ),
            ],
        ),
        (
            "Sushi",
            "Eight pieces, or two rolls.",
            &[
                (
                    "Salmon nigiri",
                    "Scottish salmon, wasabi.",
                    1400,
                    &["gf", "df"],
                ),
                (
                    "Spicy tuna roll",
                    "Chilli mayo, cucumber, sesame.",
                    1300,
                    &["df", "spicy"],
                ),
                (
                    "Avocado maki",
                    "Avocado, cucumber, shiso.",
                    1000,
                    &["vg", "df"],
                ),
            ],
        ),
        (
            "Ramen",
            "Eighteen-hour broths.",
            &[
                (
                    "Tonkotsu",
                    "Pork belly, soft egg, black garlic oil.",
                    1800,
                    &[],
                ),
                (
                    "Miso vegetable",
                    "Corn, bamboo, tofu, chilli oil.",
                    1600,
                    &["vg", "df", "spicy"],
                ),
                (
                    "Shoyu chicken",
                    "Chicken broth, nori, menma.",
                    1700,
                    &["df"],
                ),
            ],
        ),
        (
            "Dessert and drinks",
            "Something sweet.",
            &[
                ("Matcha cheesecake", "Black sesame crumb.", 900, &["v"]),
                ("Mochi ice cream", "Three flavours.", 800, &["v", "gf"]),
                ("Yuzu soda", "House-made.", 500, &["vg", "gf", "df"]),
            ],
        ),
    ],
};

const STREETS: &[&str] = &["Orchard Row", "Canal Street", "Market Square", "Mill Lane"];

pub fn build(ctx: &Ctx) -> Page {
    let cuisine = [&ITALIAN, &JAPANESE]
        .into_iter()
        .find(|cuisine| ctx.mentions(cuisine.cues))
        .unwrap_or(&BISTRO);
    let mut rng = ctx.rng("menu");
    let name = rng.pick(cuisine.names).to_string();

    let mut id = 0;
    let sections = arr(cuisine.sections.iter().map(|(section, blurb, dishes)| {
        let popular = rng.below(dishes.len());
        let items: Vec<Js> = dishes
            .iter()
            .enumerate()
            .map(|(index, (dish, desc, price, badges))| {
                id += 1;
                obj([
                    ("id", id.into()),
                    ("name", (*dish).into()),
                    ("desc", (*desc).into()),
                    ("price", (*price).into()),
                    ("badges", arr(badges.iter().copied())),
                    ("popular", (index == popular).into()),
                ])
            })
            .collect();
        obj([
            ("id", section.to_lowercase().replace(' ', "-").into()),
            ("name", (*section).into()),
            ("blurb", (*blurb).into()),
            ("dishes", Js::Arr(items)),
        ])
    }));

    let restaurant = obj([
        ("name", name.as_str().into()),
        ("cuisine", cuisine.label.into()),
        ("tagline", (*rng.pick(cuisine.taglines)).into()),
        ("intro", cuisine.intro.into()),
        (
            "address",
            format!("{} {}", rng.range(3, 90), rng.pick(STREETS)).into(),
        ),
        ("hours", "Tue - Sun, 12:00 - 22:30".into()),
        (
            "phone",
            format!("(555) 01{}-{:04}", rng.range(0, 9), rng.range(0, 9999)).into(),
        ),
        ("service", (*rng.pick(&[10i64, 12, 15])).into()),
        ("deliveryFee", 399.into()),
    ]);

    let nav = cuisine.sections.iter().take(3).map(|(section, _, _)| {
        link(
            section,
            &format!("#{}", section.to_lowercase().replace(' ', "-")),
        )
    });
    Page {
        title: format!("{name} | Menu"),
        description: format!(
            "{name}: {}. Order for pickup or delivery.",
            cuisine.label.to_lowercase()
        ),
        nav: nav.collect(),
        cta: link("Order now", "#menu"),
        footer: format!(
            "{name}. {}. Allergies? Ask us, we are happy to help.",
            cuisine.label
        ),
        types: TYPES,
        exports: vec![
            ("restaurant", "Restaurant", restaurant),
            ("sections", "MenuSection[]", sections),
        ],
        page: PAGE,
        components: vec![("components/MenuBoard.tsx", BOARD)],
        css: CSS,
        brand: name,
    }
}
