//! A pricing page: three tiers with a working monthly/yearly toggle, a comparison table and
//! questions people ask before they buy.

use super::{Ctx, Page, link};
use crate::js::{arr, obj};
use crate::words;

const PAGE: &str = include_str!("../assets/pricing/page.tsx");
const TYPES: &str = include_str!("../assets/pricing/types.ts");
const CSS: &str = include_str!("../assets/pricing/style.css");
const TABLE: &str = include_str!("../assets/pricing/PricingTable.tsx");

const STEMS: &[&str] = &[
    "Cloud", "Stack", "Flow", "Pulse", "Beacon", "Relay", "Orbit", "North",
];
const ENDINGS: &[&str] = &["ly", "wise", "base", "desk", "kit", "hub", "loop"];
const LOGOS: &[&str] = &[
    "Northwind",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Stark",
    "Wayne",
];
const HEADLINES: &[&str] = &[
    "Simple pricing for {thing}.",
    "Pick a plan. Change it any time.",
    "Pricing that grows with your team.",
];

pub fn build(ctx: &Ctx) -> Page {
    let mut rng = ctx.rng("pricing");
    let brand = format!("{}{}", rng.pick(STEMS), rng.pick(ENDINGS));
    let core = words::core(&ctx.subject, 3).join(" ");
    let thing = if core.is_empty() {
        "teams of every size".to_string()
    } else {
        core.to_lowercase()
    };

    let discount = *rng.pick(&[15i64, 20, 25]);
    let yearly = |monthly: i64| (monthly * (100 - discount) + 50) / 100;
    let base = *rng.pick(&[9i64, 12, 15]);
    let pro = base * 3 - 1 + rng.range(0, 1) * 10;
    let team_seats = rng.range(5, 10);

    let tiers = arr([
        obj([
            ("name", "Starter".into()),
            (
                "blurb",
                format!("For individuals getting started with {brand}.").into(),
            ),
            ("monthly", base.into()),
            ("yearly", yearly(base).into()),
            ("cta", "Start free trial".into()),
            ("highlight", false.into()),
            (
                "features",
                arr([
                    "1 workspace, up to 3 projects".to_string(),
                    "10 GB storage".to_string(),
                    "Core integrations".to_string(),
                    "Email support".to_string(),
                ]),
            ),
        ]),
        obj([
            ("name", "Pro".into()),
            (
                "blurb",
                "For growing teams that need more power and automation.".into(),
            ),
            ("monthly", pro.into()),
            ("yearly", yearly(pro).into()),
            ("cta", "Start free trial".into()),
            ("highlight", true.into()),
            (
                "features",
                arr([
                    format!("Up to {team_seats} seats included"),
                    "Unlimited projects".to_string(),
                    "100 GB storage".to_string(),
                    "Automations and API access".to_string(),
                    "Priority support".to_string(),
                ]),
            ),
        ]),
        obj([
            ("name", "Enterprise".into()),
            (
                "blurb",
                "For organisations with advanced security and scale needs.".into(),
            ),
            ("monthly", (pro * 3).into()),
            ("yearly", yearly(pro * 3).into()),
            ("cta", "Contact sales".into()),
            ("highlight", false.into()),
            (
                "features",
                arr([
                    "Unlimited seats and workspaces".to_string(),
                    "SSO, SCIM and audit logs".to_string(),
                    "1 TB storage".to_string(),
                    "99.99% uptime SLA".to_string(),
                    "Dedicated success manager".to_string(),
                ]),
            ),
        ]),
    ]);

    let row = |feature: &str, values: [crate::js::Js; 3]| {
        obj([("feature", feature.into()), ("values", arr(values))])
    };
    let compare = arr([
        row(
            "Seats",
            [
                "1".into(),
                format!("Up to {team_seats}").into(),
                "Unlimited".into(),
            ],
        ),
        row(
            "Projects",
            ["3".into(), "Unlimited".into(), "Unlimited".into()],
        ),
        row("Storage", ["10 GB".into(), "100 GB".into(), "1 TB".into()]),
        row("Integrations", [true.into(), true.into(), true.into()]),
        row("Automations", [false.into(), true.into(), true.into()]),
        row("API access", [false.into(), true.into(), true.into()]),
        row(
            "Single sign-on (SSO)",
            [false.into(), false.into(), true.into()],
        ),
        row("Audit logs", [false.into(), false.into(), true.into()]),
        row(
            "Support",
            ["Email".into(), "Priority".into(), "Dedicated".into()],
        ),
    ]);

    let faqs = arr([
        ("Can I change plans later?", "Yes. Upgrade or downgrade at any time; we prorate the difference to the day."),
        ("How does the free trial work?", "Every paid plan starts with 14 days free. No credit card needed until you decide to stay."),
        ("What happens when I switch to yearly billing?", "You pay for twelve months up front at the discounted rate and keep every feature of your plan."),
        ("Do you offer discounts for non-profits and education?", "Yes, 50% off any plan. Write to us from your organisation's address."),
        ("Can I cancel at any time?", "Of course. Cancel from your settings in two clicks and keep access until the end of the period."),
    ]
    .map(|(q, a)| obj([("q", q.into()), ("a", a.into())])));

    let headline = rng.pick(HEADLINES).replace("{thing}", &thing);
    let info = obj([
        ("eyebrow", format!("{brand} pricing").into()),
        ("headline", headline.into()),
        ("lead", format!(
            "Start free for 14 days, then choose the plan that fits. Switch to yearly billing and \
             save {discount}%. Every plan includes unlimited guests and world-class support."
        ).into()),
        ("discount", discount.into()),
        ("logos", arr(rng.sample(LOGOS, 6))),
        ("guarantee", "30-day money-back guarantee on every plan. No questions asked.".into()),
    ]);

    Page {
        title: format!("Pricing | {brand}"),
        description: format!("{brand} pricing: three plans for {thing}, billed monthly or yearly."),
        nav: vec![
            link("Plans", "#plans"),
            link("Compare", "#compare"),
            link("FAQ", "#faq"),
        ],
        cta: link("Start free trial", "#plans"),
        footer: format!(
            "{brand}: calm, reliable software for {thing}. Built by a small, independent team."
        ),
        types: TYPES,
        exports: vec![
            ("pricing", "PricingInfo", info),
            ("tiers", "Tier[]", tiers),
            ("compare", "CompareRow[]", compare),
            ("faqs", "Faq[]", faqs),
        ],
        page: PAGE,
        components: vec![("components/PricingTable.tsx", TABLE)],
        css: CSS,
        brand,
    }
}
