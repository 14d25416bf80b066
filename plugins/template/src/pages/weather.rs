//! A weather app landing page: city search, current conditions, hourly strip, five-day
//! forecast and the app's features.

use super::{Ctx, Page, link};
use crate::js::{Js, arr, obj};
use crate::rng::Rng;

const PAGE: &str = include_str!("../assets/weather/page.tsx");
const TYPES: &str = include_str!("../assets/weather/types.ts");
const CSS: &str = include_str!("../assets/weather/style.css");
const WIDGET: &str = include_str!("../assets/weather/WeatherWidget.tsx");

/// `(city, country, typical temperature in Celsius, likely conditions)`.
const CITIES: &[(&str, &str, i64, &[&str])] = &[
    ("Lisbon", "Portugal", 22, &["sun", "sun", "partly"]),
    ("London", "United Kingdom", 13, &["cloud", "rain", "partly"]),
    (
        "New York",
        "United States",
        17,
        &["partly", "sun", "rain", "storm"],
    ),
    ("Tokyo", "Japan", 19, &["partly", "rain", "cloud", "sun"]),
    ("Oslo", "Norway", 2, &["snow", "cloud", "partly"]),
    ("Sydney", "Australia", 24, &["sun", "partly", "storm"]),
    ("Cape Town", "South Africa", 20, &["sun", "partly", "cloud"]),
    ("Mexico City", "Mexico", 21, &["partly", "storm", "sun"]),
];

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const NAMES: &[&str] = &["Skyline", "Nimbus", "Breeze", "Cirrus", "Fairweather"];

/// Chance of rain in percent, in keeping with the day's sky.
fn rain_chance(rng: &mut Rng, condition: &str) -> i64 {
    match condition {
        "sun" => rng.range(0, 10),
        "partly" => rng.range(5, 30),
        "cloud" => rng.range(15, 45),
        "snow" => rng.range(50, 85),
        _ => rng.range(60, 95),
    }
}

fn city(
    rng: &mut Rng,
    (name, country, typical, likely): (&str, &str, i64, &[&str]),
    start: usize,
) -> Js {
    let temp = typical + rng.range(-3, 3);
    let now = *rng.pick(likely);
    let days = arr((0..5).map(|offset| {
        let high = temp + rng.range(-2, 4);
        let condition = if offset == 0 { now } else { *rng.pick(likely) };
        obj([
            (
                "day",
                if offset == 0 {
                    "Today"
                } else {
                    DAYS[(start + offset) % 7]
                }
                .into(),
            ),
            ("condition", condition.into()),
            ("high", high.into()),
            ("low", (high - rng.range(5, 10)).into()),
            ("rain", rain_chance(rng, condition).into()),
        ])
    }));
    let hours = arr((0..8).map(|step| {
        let hour = (9 + step * 2) % 24;
        obj([
            (
                "hour",
                if step == 0 {
                    "Now".to_string()
                } else {
                    format!("{hour:02}:00")
                }
                .into(),
            ),
            (
                "condition",
                if step == 0 { now } else { *rng.pick(likely) }.into(),
            ),
            ("temp", (temp + [0, 1, 2, 3, 2, 1, -1, -2][step]).into()),
        ])
    }));
    obj([
        ("name", name.into()),
        ("country", country.into()),
        ("temp", temp.into()),
        ("condition", now.into()),
        ("feels", (temp - rng.range(0, 3)).into()),
        ("humidity", rng.range(35, 88).into()),
        ("wind", rng.range(4, 32).into()),
        ("uv", rng.range(1, 8).into()),
        ("days", days),
        ("hours", hours),
    ])
}

pub fn build(ctx: &Ctx) -> Page {
    let mut rng = ctx.rng("weather");
    let brand = format!("{} Weather", rng.pick(NAMES));

    let mut order: Vec<usize> = (0..CITIES.len()).collect();
    rng.shuffle(&mut order);
    let start = rng.below(7);
    let cities = arr(order
        .iter()
        .map(|&index| city(&mut rng, CITIES[index], start)));

    let feature = |icon: &str, title: &str, text: &str| {
        obj([
            ("icon", icon.into()),
            ("title", title.into()),
            ("text", text.into()),
        ])
    };
    let info = obj([
        ("eyebrow", format!("{brand} · Hyperlocal forecasts").into()),
        (
            "headline",
            (*rng.pick(&[
                "Know the sky before you step outside.",
                "The forecast, minute by minute.",
                "Weather you can actually plan around.",
            ]))
            .into(),
        ),
        (
            "lead",
            "Search any city for current conditions, an hour-by-hour outlook and a clear \
                  five-day forecast. Rain alerts arrive before the first drop does."
                .into(),
        ),
        (
            "features",
            arr([
                feature(
                    "bell",
                    "Rain alerts",
                    "A gentle heads-up fifteen minutes before rain starts where you are.",
                ),
                feature(
                    "map",
                    "Radar maps",
                    "Live precipitation and cloud cover, updated every five minutes.",
                ),
                feature(
                    "sun",
                    "UV and air quality",
                    "Know when to reach for sunscreen or skip the evening run.",
                ),
                feature(
                    "globe",
                    "Saved places",
                    "Keep home, work and the places you love one swipe apart.",
                ),
                feature(
                    "chart",
                    "Trends",
                    "See how today compares with the last ten years.",
                ),
                feature(
                    "shield",
                    "Private by design",
                    "No account needed. Your location never leaves your phone.",
                ),
            ]),
        ),
        (
            "rating",
            format!(
                "Rated 4.{} by {},000 people",
                rng.range(6, 9),
                rng.range(12, 90)
            )
            .into(),
        ),
        ("downloads", "Free on iPhone and Android".into()),
    ]);

    Page {
        title: format!("{brand} | Five-day forecast"),
        description: format!(
            "{brand}: search a city for current conditions and a five-day forecast."
        ),
        nav: vec![
            link("Forecast", "#top"),
            link("Features", "#features"),
            link("Download", "#download"),
        ],
        cta: link("Get the app", "#download"),
        footer: format!("{brand}. Forecast data is illustrative."),
        types: TYPES,
        exports: vec![
            ("weather", "WeatherInfo", info),
            ("cities", "City[]", cities),
        ],
        page: PAGE,
        components: vec![("components/WeatherWidget.tsx", WIDGET)],
        css: CSS,
        brand,
    }
}
