//! A to-do app: categories, due dates, priorities, filters and a dark mode switch that is
//! remembered between visits.

use super::{Ctx, Page, link, people};
use crate::js::{Js, arr, obj};

const PAGE: &str = include_str!("../assets/todo/page.tsx");
const TYPES: &str = include_str!("../assets/todo/types.ts");
const CSS: &str = include_str!("../assets/todo/style.css");
const APP: &str = include_str!("../assets/todo/TodoApp.tsx");

/// `(category id, name, hue offset, tasks)`.
const CATEGORIES: &[(&str, &str, u32, &[&str])] = &[
    (
        "work",
        "Work",
        0,
        &[
            "Prepare slides for Monday review",
            "Reply to the design feedback thread",
            "Send the Q3 invoice",
            "Update the project roadmap",
        ],
    ),
    (
        "personal",
        "Personal",
        120,
        &[
            "Book dentist appointment",
            "Call grandma",
            "Renew passport",
            "Plan weekend hike",
        ],
    ),
    (
        "shopping",
        "Shopping",
        200,
        &[
            "Buy oat milk and coffee beans",
            "Pick up birthday present for Sam",
            "Order new running shoes",
        ],
    ),
    (
        "health",
        "Health",
        300,
        &[
            "Yoga class at 7pm",
            "Refill prescription",
            "Drink 2 litres of water",
        ],
    ),
];

const BRANDS: &[&str] = &[
    "Tickwise",
    "Donely",
    "Checkmate Tasks",
    "Listful",
    "Clearday",
];

pub fn build(ctx: &Ctx) -> Page {
    let mut rng = ctx.rng("todo");
    let user = people(&mut rng, 1).remove(0);

    let categories = arr(CATEGORIES.iter().map(|(id, name, offset, _)| {
        obj([
            ("id", (*id).into()),
            ("name", (*name).into()),
            ("hue", ((ctx.palette.hue + offset) % 360).into()),
        ])
    }));

    let mut tasks: Vec<Js> = Vec::new();
    let mut id = 0;
    for (category, _, _, titles) in CATEGORIES {
        for title in *titles {
            id += 1;
            let due: Js = match rng.range(0, 9) {
                0 => Js::Int(-rng.range(1, 3)),
                1 | 2 => Js::Int(0),
                3 => Js::Int(1),
                4..=7 => Js::Int(rng.range(2, 20)),
                _ => Js::Num("null".to_string()),
            };
            tasks.push(obj([
                ("id", id.into()),
                ("title", (*title).into()),
                ("category", (*category).into()),
                ("due", due),
                ("done", rng.chance(25).into()),
                (
                    "priority",
                    (*rng.pick(&["high", "normal", "normal", "low"])).into(),
                ),
            ]));
        }
    }
    rng.shuffle(&mut tasks);

    let info = obj([
        ("user", user.into()),
        (
            "tips",
            arr([
                "Tip: pick a due date to see the task under Today or Upcoming.",
                "Your dark mode choice is remembered on this device.",
            ]),
        ),
    ]);

    let brand = ctx.rng("brand").pick(BRANDS).to_string();
    Page {
        title: format!("{brand} | To-do list"),
        description: format!("{brand}: tasks by category and due date, in light or dark mode."),
        nav: vec![link("Tasks", "#top")],
        cta: link("Add task", "#top"),
        footer: format!("{brand} keeps your tasks on this device."),
        types: TYPES,
        exports: vec![
            ("todo", "TodoInfo", info),
            ("categories", "Category[]", categories),
            ("tasks", "Task[]", Js::Arr(tasks)),
        ],
        page: PAGE,
        components: vec![("components/TodoApp.tsx", APP)],
        css: CSS,
        brand,
    }
}
