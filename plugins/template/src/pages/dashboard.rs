//! A sales dashboard: figures, a bar chart of sales by month (this year, last year or both),
//! sales by channel and a sortable, searchable table of top products.

use super::{Ctx, Page, link, people};
use crate::js::{arr, num1, obj};

const PAGE: &str = include_str!("../assets/dashboard/page.tsx");
const TYPES: &str = include_str!("../assets/dashboard/types.ts");
const CSS: &str = include_str!("../assets/dashboard/style.css");
const DASHBOARD: &str = include_str!("../assets/dashboard/Dashboard.tsx");

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `(name, category, price in dollars)`.
const PRODUCTS: &[(&str, &str, i64)] = &[
    ("Aurora Desk Lamp", "Lighting", 89),
    ("Trail Runner 2", "Footwear", 129),
    ("Nimbus Wireless Earbuds", "Audio", 149),
    ("Everyday Backpack 24L", "Bags", 98),
    ("Ceramic Pour-Over Set", "Kitchen", 54),
    ("Merino Crew Sweater", "Apparel", 110),
    ("Smart Water Bottle", "Outdoor", 45),
    ("Linen Bedding Set", "Home", 189),
    ("Bamboo Cutting Board", "Kitchen", 38),
    ("Studio Headphones", "Audio", 229),
];

const COMPANIES: &[&str] = &["Northwind", "Lumen", "Juniper", "Harbor", "Fieldstone"];

pub fn build(ctx: &Ctx) -> Page {
    let mut rng = ctx.rng("dashboard");
    let company = format!(
        "{} {}",
        rng.pick(COMPANIES),
        if ctx.mentions(&["sales"]) {
            "Sales"
        } else {
            "Insights"
        }
    );
    let user = people(&mut rng, 1).remove(0);
    let year = 2025;

    // A rising year with a summer dip and a strong holiday season.
    let season = [
        0.78, 0.74, 0.86, 0.9, 0.97, 0.92, 0.88, 0.95, 1.02, 1.08, 1.22, 1.4,
    ];
    let base = rng.range(38, 62) as f64 * 1000.0;
    let mut total_current = 0;
    let mut total_previous = 0;
    let mut total_orders = 0;
    let months = arr(MONTHS
        .iter()
        .zip(season)
        .enumerate()
        .map(|(index, (month, factor))| {
            let growth = 1.0 + index as f64 * 0.012;
            let current =
                (base * factor * growth * (0.93 + rng.range(0, 14) as f64 / 100.0)) as i64;
            let previous = (current as f64 * (0.78 + rng.range(0, 16) as f64 / 100.0)) as i64;
            let orders = current / rng.range(58, 74);
            total_current += current;
            total_previous += previous;
            total_orders += orders;
            obj([
                ("month", (*month).into()),
                ("current", current.into()),
                ("previous", previous.into()),
                ("orders", orders.into()),
            ])
        }));

    let mut products: Vec<(&str, &str, i64, i64, f64, i64)> = PRODUCTS
        .iter()
        .map(|(name, category, price)| {
            let units = rng.range(300, 4200);
            let change = rng.range(-180, 420) as f64 / 10.0;
            (
                *name,
                *category,
                units,
                units * price,
                change,
                rng.range(8, 600),
            )
        })
        .collect();
    products.sort_by_key(|product| std::cmp::Reverse(product.3));
    let products =
        arr(products
            .into_iter()
            .map(|(name, category, units, revenue, change, stock)| {
                obj([
                    ("name", name.into()),
                    ("category", category.into()),
                    ("units", units.into()),
                    ("revenue", revenue.into()),
                    ("change", num1(change)),
                    ("stock", stock.into()),
                ])
            }));

    let growth = (total_current - total_previous) as f64 * 100.0 / total_previous as f64;
    let average = total_current / total_orders.max(1);
    let money = |value: i64| {
        // Thousands separators, as the table shows them.
        let mut rest = value;
        let mut groups = Vec::new();
        while rest >= 1000 {
            groups.push(format!("{:03}", rest % 1000));
            rest /= 1000;
        }
        groups.push(rest.to_string());
        groups.reverse();
        format!("${}", groups.join(","))
    };
    let kpi = |label: &str, value: String, change: f64, hint: &str| {
        obj([
            ("label", label.into()),
            ("value", value.into()),
            ("change", num1(change)),
            ("hint", hint.into()),
        ])
    };
    let kpis = arr([
        kpi("Revenue", money(total_current), growth, "vs last year"),
        kpi(
            "Orders",
            money(total_orders).trim_start_matches('$').to_string(),
            growth - 3.1,
            "vs last year",
        ),
        kpi("Average order", money(average), 3.4, "vs last year"),
        kpi(
            "Conversion rate",
            format!("{}.{}%", rng.range(2, 4), rng.range(0, 9)),
            -0.6,
            "vs last month",
        ),
    ]);

    let mut shares = [rng.range(34, 44), rng.range(20, 28), rng.range(12, 18), 0];
    shares[3] = 100 - shares[0] - shares[1] - shares[2];
    let channels = arr([
        "Online store",
        "Marketplaces",
        "Retail partners",
        "Wholesale",
    ]
    .iter()
    .zip(shares)
    .map(|(name, share)| obj([("name", (*name).into()), ("share", share.into())])));

    let info = obj([
        ("company", company.as_str().into()),
        ("user", user.into()),
        (
            "period",
            format!("January - December {year} · updated 5 minutes ago").into(),
        ),
        ("year", year.into()),
    ]);

    Page {
        title: format!("Sales Dashboard | {company}"),
        description: format!("{company}: monthly sales, channels and top products for {year}."),
        nav: vec![link("Overview", "#top"), link("Products", "#products")],
        cta: link("Export", "#products"),
        footer: format!("{company} analytics"),
        types: TYPES,
        exports: vec![
            ("dashboard", "DashboardInfo", info),
            ("kpis", "Kpi[]", kpis),
            ("months", "MonthSales[]", months),
            ("products", "Product[]", products),
            ("channels", "Channel[]", channels),
        ],
        page: PAGE,
        components: vec![("components/Dashboard.tsx", DASHBOARD)],
        css: CSS,
        brand: company,
    }
}
