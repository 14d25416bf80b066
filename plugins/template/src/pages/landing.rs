//! Landing page, and the fallback for prompts of no known kind. A few domains (coffee,
//! fitness, software) have copy of their own; anything else gets copy built around the
//! prompt's subject.

use super::{Ctx, Page, link, people};
use crate::js::{Js, arr, obj};
use crate::words;

const PAGE: &str = include_str!("../assets/landing/page.tsx");
const TYPES: &str = include_str!("../assets/landing/types.ts");
const CSS: &str = include_str!("../assets/landing/style.css");
const HERO_ART: &str = include_str!("../assets/landing/HeroArt.tsx");
const SIGNUP: &str = include_str!("../assets/landing/Signup.tsx");

/// Copy for one kind of business. Strings may hold `{brand}`, `{core}` ("Dog Grooming"),
/// `{thing}` ("dog grooming"), `{subject}` ("dog grooming business") and `{city}`, filled in
/// for the prompt.
struct Domain {
    cues: &'static [&'static str],
    /// Brand patterns; `{name}` is a seeded word such as "Harbor".
    brands: &'static [&'static str],
    motif: &'static str,
    eyebrows: &'static [&'static str],
    headlines: &'static [&'static str],
    lead: &'static str,
    primary: &'static str,
    secondary: &'static str,
    note: &'static str,
    card: (&'static str, &'static str),
    stats: [(&'static str, &'static str); 4],
    features_title: &'static str,
    features_lead: &'static str,
    features: &'static [(&'static str, &'static str, &'static str)],
    offers_nav: &'static str,
    offers_title: &'static str,
    offers_lead: &'static str,
    offers: &'static [(&'static str, &'static str, &'static str, &'static str)],
    quotes: &'static [(&'static str, &'static str)],
    visit_title: &'static str,
    visit_text: &'static str,
    hours: &'static [(&'static str, &'static str)],
    signup: (&'static str, &'static str, &'static str),
}

const COFFEE: Domain = Domain {
    cues: &[
        "coffee", "espresso", "cafe", "café", "roastery", "roaster", "latte", "barista",
    ],
    brands: &[
        "{name} Coffee House",
        "{name} Roasters",
        "{name} Espresso Bar",
        "{name} Coffee",
    ],
    motif: "cup",
    eyebrows: &[
        "Small-batch coffee in {city}",
        "Roasted on site, poured with care",
    ],
    headlines: &[
        "Slow mornings, strong coffee.",
        "Coffee worth getting up for.",
        "Your neighbourhood cup, done properly.",
    ],
    lead: "{brand} roasts single-origin beans in small batches and pours them in a bright room \
           made for lingering: espresso at the bar, pour-overs at the window, pastries from the \
           bakery next door.",
    primary: "Order ahead",
    secondary: "See the menu",
    note: "Open daily from 6:30. Oat, almond and whole milk at no extra cost.",
    card: (
        "This week: Ethiopia Guji",
        "Notes of peach, jasmine and honey.",
    ),
    stats: [
        ("12", "origins on rotation"),
        ("48h", "from roast to cup"),
        ("4.9", "average guest rating"),
        ("6:30", "doors open, every day"),
    ],
    features_title: "Everything a good coffee shop should be.",
    features_lead: "We keep it simple: great beans, careful hands and a room you will not want \
                    to leave.",
    features: &[
        (
            "leaf",
            "Single-origin beans",
            "Bought directly from growers in Ethiopia, Colombia and \
          Guatemala, roasted in-house every Tuesday and Friday.",
        ),
        (
            "cup",
            "Made by real baristas",
            "Every shot dialled in each morning, milk steamed to \
          order, and pour-overs timed by hand.",
        ),
        (
            "heart",
            "A room to stay in",
            "Long tables, good light, fast Wi-Fi and plenty of \
          outlets. Stay as long as you like.",
        ),
    ],
    offers_nav: "Menu",
    offers_title: "On the bar today",
    offers_lead: "A short menu that changes with the seasons. Ask us about the single-origin \
                  filter of the week.",
    offers: &[
        (
            "Flat white",
            "Double ristretto, silky whole or oat milk.",
            "$4.20",
            "Favourite",
        ),
        (
            "Pour-over of the week",
            "Hand-brewed, 12 oz. Ask for tasting notes.",
            "$5.00",
            "",
        ),
        (
            "Cardamom bun",
            "Baked next door every morning at five.",
            "$3.80",
            "",
        ),
        (
            "Cold brew tonic",
            "Eighteen-hour cold brew, tonic, orange peel.",
            "$5.20",
            "New",
        ),
        (
            "Beans to take home",
            "250 g bag of the current roast, ground to order.",
            "$16.00",
            "",
        ),
    ],
    quotes: &[
        (
            "The best flat white in {city}, and they remember my order after one visit.",
            "Regular since opening",
        ),
        (
            "I came for the espresso and stayed for the cardamom buns. Every single Saturday.",
            "Weekend regular",
        ),
        (
            "Quiet enough to work, friendly enough to come back. A proper neighbourhood spot.",
            "Remote worker",
        ),
    ],
    visit_title: "Visit us",
    visit_text: "Find us on the corner, next to the old bakery. Look for the green awning.",
    hours: &[
        ("Monday to Friday", "6:30 - 18:00"),
        ("Saturday", "7:30 - 18:00"),
        ("Sunday", "8:00 - 16:00"),
    ],
    signup: (
        "Join the bean club",
        "One email a month: new roasts, cupping nights and a free \
              drink on your birthday.",
        "Welcome to the club! Your first drink is on us,",
    ),
};

const FITNESS: Domain = Domain {
    cues: &[
        "gym", "fitness", "yoga", "pilates", "crossfit", "training", "trainer", "workout", "boxing",
    ],
    brands: &["{name} {core} Club", "{name} {core}", "{name} {core} House"],
    motif: "leaf",
    eyebrows: &["Classes every day in {city}", "Stronger, together"],
    headlines: &[
        "Move better. Feel stronger.",
        "Training that fits your life.",
        "Find your strong.",
    ],
    lead: "{brand} is a {subject} for people who want real progress without the ego: small \
           classes, coaches who know your name, and a schedule that works around you.",
    primary: "Book a free class",
    secondary: "View timetable",
    note: "First class free. No joining fee, cancel any time.",
    card: (
        "Coach-led classes",
        "Never more than 12 people per session.",
    ),
    stats: [
        ("40+", "classes each week"),
        ("12", "people per class, max"),
        ("9", "certified coaches"),
        ("4.9", "member rating"),
    ],
    features_title: "Built around you, not a contract.",
    features_lead: "Whether it is your first class or your thousandth, every session is coached.",
    features: &[
        (
            "users",
            "Small groups",
            "Every class is capped so coaches can correct your form and \
          adapt every move to your level.",
        ),
        (
            "clock",
            "Early and late",
            "Sessions from 6:00 to 21:00 on weekdays, with a full \
          weekend programme.",
        ),
        (
            "chart",
            "Track your progress",
            "Quarterly check-ins and a simple plan that shows how \
          far you have come.",
        ),
    ],
    offers_nav: "Memberships",
    offers_title: "Simple memberships",
    offers_lead: "No hidden fees and no long contracts. Pause or cancel whenever you need.",
    offers: &[
        ("Drop-in", "One class, any time, no commitment.", "$18", ""),
        ("Ten-class pass", "Use it within three months.", "$150", ""),
        (
            "Unlimited",
            "Every class, every day, plus open gym.",
            "$119/mo",
            "Most popular",
        ),
        (
            "Personal training",
            "One-to-one sessions with the coach of your choice.",
            "$65",
            "",
        ),
    ],
    quotes: &[
        (
            "The coaches here changed how I think about training. I am stronger at forty than at twenty.",
            "Member for three years",
        ),
        (
            "Small classes mean you actually get coached. I have never felt lost or ignored.",
            "Member since spring",
        ),
        (
            "Friendly, welcoming and no posing in the mirror. Exactly what I was looking for.",
            "Evening regular",
        ),
    ],
    visit_title: "Find the studio",
    visit_text: "Ground floor of the old print works, with showers, lockers and bike racks.",
    hours: &[
        ("Monday to Friday", "6:00 - 21:00"),
        ("Saturday", "8:00 - 16:00"),
        ("Sunday", "9:00 - 13:00"),
    ],
    signup: (
        "Get a free week",
        "Leave your email and we will send you a pass for seven days of \
              classes.",
        "Check your inbox! Your free week is on its way to",
    ),
};

const SOFTWARE: Domain = Domain {
    cues: &[
        "saas",
        "software",
        "startup",
        "ai",
        "platform",
        "api",
        "tool",
        "developer",
        "developers",
        "analytics",
    ],
    brands: &["{name}", "{name} {core}", "{name} Labs"],
    motif: "spark",
    eyebrows: &["New: the {core} workspace", "Trusted by 4,000 teams"],
    headlines: &[
        "{core} without the busywork.",
        "The faster way to do {subject}.",
        "Ship {subject} work in half the time.",
    ],
    lead: "{brand} brings your {subject} into one calm workspace: automated where it should be, \
           flexible where it matters, and fast everywhere.",
    primary: "Start free",
    secondary: "Book a demo",
    note: "Free for up to 3 people. No credit card required.",
    card: (
        "Set up in 4 minutes",
        "Import from the tools you already use.",
    ),
    stats: [
        ("4,000+", "teams on board"),
        ("99.98%", "uptime last year"),
        ("12 min", "saved per task"),
        ("4.8", "rating on review sites"),
    ],
    features_title: "Everything your team needs, nothing it does not.",
    features_lead: "Powerful enough for experts, simple enough for the whole company.",
    features: &[
        (
            "bolt",
            "Automations",
            "Turn repetitive steps into rules that run themselves, with a \
          full history of what changed and why.",
        ),
        (
            "chart",
            "Live insights",
            "Dashboards that update as work happens, so nobody waits for \
          the Monday report.",
        ),
        (
            "shield",
            "Secure by default",
            "Single sign-on, audit logs and data residency in the \
          region you choose.",
        ),
    ],
    offers_nav: "Plans",
    offers_title: "Plans that grow with you",
    offers_lead: "Start free, then pay only for the seats you use.",
    offers: &[
        ("Free", "For individuals and small side projects.", "$0", ""),
        (
            "Team",
            "Unlimited projects, automations and guests.",
            "$12/seat",
            "Popular",
        ),
        (
            "Business",
            "SSO, audit logs and priority support.",
            "$24/seat",
            "",
        ),
        (
            "Enterprise",
            "Custom contracts, dedicated success manager.",
            "Let us talk",
            "",
        ),
    ],
    quotes: &[
        (
            "We replaced three tools and a spreadsheet with {brand}. Planning meetings got shorter overnight.",
            "Head of Operations",
        ),
        (
            "The automations alone save each of us an hour a week. Setup took one afternoon.",
            "Engineering lead",
        ),
        (
            "Finally a tool the whole company actually opens every day.",
            "Founder and CEO",
        ),
    ],
    visit_title: "Talk to us",
    visit_text: "Our team is remote-first, with a small office for coffee and whiteboards.",
    hours: &[
        ("Support", "24/7, in under 2 hours"),
        ("Sales", "Mon - Fri, 9:00 - 18:00"),
        ("Status", "status page, always on"),
    ],
    signup: (
        "Get product updates",
        "A short note every month with new features and tips from \
              teams like yours.",
        "Thanks! We will write to",
    ),
};

const GENERAL: Domain = Domain {
    cues: &[],
    brands: &[
        "{name} {core}",
        "{name} {core} Co.",
        "{core} by {name}",
        "{name} {core} Studio",
    ],
    motif: "orbit",
    eyebrows: &[
        "Now welcoming new clients in {city}",
        "Independent and local since 2012",
    ],
    headlines: &[
        "{core}, done beautifully.",
        "The {subject} people recommend.",
        "Good {thing}, close to home.",
    ],
    lead: "{brand} is a {subject} built around one idea: do a few things exceptionally well, \
           and make every step easy for you, from the first hello to the last detail.",
    primary: "Get started",
    secondary: "Learn more",
    note: "Friendly replies within one working day.",
    card: ("Loved by locals", "Over 800 five-star reviews."),
    stats: [
        ("12 yrs", "of doing this well"),
        ("800+", "five-star reviews"),
        ("24h", "average response"),
        ("100%", "satisfaction promise"),
    ],
    features_title: "Why people choose {brand}.",
    features_lead: "We keep things personal, transparent and simple, so you always know what to \
                    expect.",
    features: &[
        (
            "star",
            "Quality first",
            "Every part of our {subject} is done with care and checked \
          twice, because the details are the work.",
        ),
        (
            "clock",
            "On your schedule",
            "Book online in a minute, get a reminder the day before, \
          and change plans without a phone call.",
        ),
        (
            "heart",
            "People who care",
            "A small team that knows your name and remembers what you \
          asked for last time.",
        ),
    ],
    offers_nav: "Services",
    offers_title: "What we offer",
    offers_lead: "Clear prices, no surprises. Not sure what you need? Ask us and we will help.",
    offers: &[
        (
            "First visit",
            "A relaxed introduction to {brand} and what we can do for you.",
            "From $29",
            "",
        ),
        (
            "Signature",
            "Our most-loved {subject} package, start to finish.",
            "From $89",
            "Popular",
        ),
        (
            "Membership",
            "Priority booking, member prices and a few surprises.",
            "$19/mo",
            "",
        ),
        (
            "Gift card",
            "Any amount, delivered by email in seconds.",
            "Any amount",
            "",
        ),
    ],
    quotes: &[
        (
            "Warm, professional and genuinely good at what they do. I recommend {brand} to everyone.",
            "Customer since 2019",
        ),
        (
            "They made the whole thing effortless. I did not have to chase anything, ever.",
            "First-time customer",
        ),
        (
            "The kind of {subject} you hope to find and rarely do. We will be back.",
            "Local family",
        ),
    ],
    visit_title: "Visit us",
    visit_text: "Drop by, call, or book online. We would love to meet you.",
    hours: &[
        ("Monday to Friday", "9:00 - 18:00"),
        ("Saturday", "10:00 - 16:00"),
        ("Sunday", "Closed"),
    ],
    signup: (
        "Stay in the loop",
        "Occasional news, seasonal offers and first dibs on new \
              things. No spam, ever.",
        "Thank you! We will keep in touch at",
    ),
};

const DOMAINS: [&Domain; 3] = [&COFFEE, &FITNESS, &SOFTWARE];

const NAMES: &[&str] = &[
    "Harbor",
    "Juniper",
    "Northside",
    "Copper",
    "Lantern",
    "Maple",
    "Saltwater",
    "Fernwood",
    "Bluebird",
    "Ember",
    "Kestrel",
    "Marigold",
    "Alder",
    "Cinder",
    "Larkspur",
    "Tidewater",
];
const CITIES: &[&str] = &[
    "Portland",
    "Brooklyn",
    "Austin",
    "Oakland",
    "Denver",
    "Leeds",
    "Melbourne",
    "Lisbon",
];
const STREETS: &[&str] = &[
    "Alder Street",
    "Market Lane",
    "Canal Road",
    "Orchard Row",
    "Mill Street",
    "Union Square",
];

pub fn build(ctx: &Ctx) -> Page {
    let domain = DOMAINS
        .into_iter()
        .find(|domain| ctx.mentions(domain.cues))
        .unwrap_or(&GENERAL);
    let mut rng = ctx.rng("landing");

    let subject = ctx.subject_or("studio").to_string();
    let core = ctx.core_or(&words::title_case(&subject), 2);
    let name = *rng.pick(NAMES);
    let city = *rng.pick(CITIES);
    let brand = rng
        .pick(domain.brands)
        .replace("{name}", name)
        .replace("{core}", &core);
    let thing = core.to_lowercase();
    let fill = |text: &str| {
        text.replace("{brand}", &brand)
            .replace("{core}", &core)
            .replace("{thing}", &thing)
            .replace("{subject}", &subject)
            .replace("{city}", city)
    };

    let headline = *rng.pick::<&str>(domain.headlines);
    let headline = words::sentence_case(&fill(headline));
    let eyebrow = *rng.pick::<&str>(domain.eyebrows);
    let hero = obj([
        ("eyebrow", fill(eyebrow).into()),
        ("headline", headline.into()),
        ("lead", fill(domain.lead).into()),
        (
            "primary",
            obj([("label", domain.primary.into()), ("href", "#visit".into())]),
        ),
        (
            "secondary",
            obj([
                ("label", domain.secondary.into()),
                ("href", "#offer".into()),
            ]),
        ),
        ("note", fill(domain.note).into()),
        ("motif", domain.motif.into()),
        (
            "card",
            obj([
                ("title", fill(domain.card.0).into()),
                ("text", fill(domain.card.1).into()),
            ]),
        ),
    ]);

    let stats = arr(domain
        .stats
        .iter()
        .map(|(value, label)| obj([("value", (*value).into()), ("label", fill(label).into())])));
    let features = arr(domain.features.iter().map(|(icon, title, text)| {
        obj([
            ("icon", (*icon).into()),
            ("title", fill(title).into()),
            ("text", fill(text).into()),
        ])
    }));
    let offers = arr(domain.offers.iter().map(|(name, text, price, tag)| {
        obj([
            ("name", fill(name).into()),
            ("text", fill(text).into()),
            ("price", (*price).into()),
            ("tag", (*tag).into()),
        ])
    }));

    let mut quote_rng = ctx.rng("quotes");
    let authors = people(&mut quote_rng, domain.quotes.len());
    let quotes = arr(domain
        .quotes
        .iter()
        .zip(&authors)
        .map(|((text, role), author)| {
            obj([
                ("text", fill(text).into()),
                ("name", author.into()),
                ("role", fill(role).into()),
            ])
        }));

    let street = format!("{} {}", rng.range(12, 480), rng.pick(STREETS));
    let visit = obj([
        ("title", fill(domain.visit_title).into()),
        ("text", fill(domain.visit_text).into()),
        ("address", arr([street, city.to_string()])),
        (
            "hours",
            arr(domain
                .hours
                .iter()
                .map(|(days, time)| obj([("days", (*days).into()), ("time", (*time).into())]))),
        ),
    ]);
    let signup = obj([
        ("title", fill(domain.signup.0).into()),
        ("text", fill(domain.signup.1).into()),
        ("placeholder", "you@example.com".into()),
        ("button", "Sign up".into()),
        ("thanks", fill(domain.signup.2).into()),
    ]);
    let head = |eyebrow: &str, title: &str, lead: &str| -> Js {
        obj([
            ("eyebrow", eyebrow.into()),
            ("title", fill(title).into()),
            ("lead", fill(lead).into()),
        ])
    };

    Page {
        title: format!("{brand} | {}", words::title_case(&subject)),
        description: fill(domain.lead),
        nav: vec![
            link("About", "#about"),
            link(domain.offers_nav, "#offer"),
            link("Reviews", "#reviews"),
            link("Visit", "#visit"),
        ],
        cta: link(domain.primary, "#visit"),
        footer: fill("{brand}: a {subject} in {city}. Made with care, every day."),
        types: TYPES,
        exports: vec![
            ("hero", "Hero", hero),
            ("stats", "Stat[]", stats),
            (
                "featuresHead",
                "SectionHead",
                head("Why us", domain.features_title, domain.features_lead),
            ),
            ("features", "Feature[]", features),
            (
                "offersHead",
                "SectionHead",
                head(domain.offers_nav, domain.offers_title, domain.offers_lead),
            ),
            ("offers", "Offer[]", offers),
            (
                "quotesHead",
                "SectionHead",
                head("Kind words", "What people say about {brand}", ""),
            ),
            ("quotes", "Quote[]", quotes),
            ("visit", "Visit", visit),
            ("signup", "Signup", signup),
        ],
        page: PAGE,
        components: vec![
            ("components/HeroArt.tsx", HERO_ART),
            ("components/Signup.tsx", SIGNUP),
        ],
        css: CSS,
        brand,
    }
}
