//! A messaging screen: a searchable contact list and a live thread with delivery ticks,
//! typing indicator and replies.

use super::{Ctx, Page, link, people};
use crate::js::{Js, arr, obj};

const PAGE: &str = include_str!("../assets/chat/page.tsx");
const TYPES: &str = include_str!("../assets/chat/types.ts");
const CSS: &str = include_str!("../assets/chat/style.css");
const APP: &str = include_str!("../assets/chat/ChatApp.tsx");

/// Conversations: `true` marks my messages.
const SCRIPTS: &[&[(bool, &str)]] = &[
    &[
        (false, "Are we still on for dinner tonight?"),
        (true, "Yes! 7:30 at the usual place?"),
        (false, "Perfect. I booked a table by the window"),
        (true, "Amazing, see you there"),
        (
            false,
            "Running 10 minutes late, order me the dumplings please",
        ),
    ],
    &[
        (true, "Did you get a chance to look at the slides?"),
        (
            false,
            "Just finished. They look great, two small notes on page 4",
        ),
        (
            false,
            "The chart needs a title and the numbers should be rounded",
        ),
        (true, "Good catch, fixing now"),
    ],
    &[
        (false, "Happy birthday!! Hope you have the best day"),
        (true, "Thank you so much! Celebrating with cake later"),
        (false, "Save me a slice"),
    ],
    &[
        (
            false,
            "The package arrived, thank you for sending it so quickly",
        ),
        (true, "Glad it made it in one piece!"),
        (
            false,
            "Everything fits perfectly. Will leave a review tonight",
        ),
    ],
    &[
        (true, "Morning run tomorrow? 6:45 by the bridge"),
        (false, "I am in. Short route or the long one?"),
        (true, "Long one, we have time"),
        (false, "Ugh fine. Bringing coffee for after"),
    ],
    &[
        (false, "Can you send me the address for Saturday?"),
        (true, "14 Orchard Row, second floor. Ring the top bell"),
        (false, "Got it, thanks!"),
    ],
];

const GROUP_SCRIPT: &[(usize, &str)] = &[
    (1, "Who is bringing the tent this time?"),
    (2, "I can, but someone else has to carry the stove"),
    (0, "I will take the stove and the snacks"),
    (3, "Trail opens at 8. Meet at the car park at 7:30?"),
    (1, "Works for me. Forecast says sunny all weekend"),
];

const AUTO_REPLIES: &[&str] = &[
    "Sounds good to me!",
    "Ha, exactly what I was thinking",
    "Let me check and get back to you in a bit",
    "Perfect, thank you!",
    "Oh nice, tell me more",
    "Deal. See you then",
];

const LAST_SEEN: &[&str] = &[
    "last seen today at 09:12",
    "last seen yesterday at 22:40",
    "last seen today at 11:03",
];
const ABOUTS: &[&str] = &[
    "Available",
    "At work",
    "Busy, text me",
    "Hey there! I am using this app",
    "On holiday",
];
const BRANDS: &[&str] = &["Parley", "Relay", "Kite", "Murmur", "Hearth"];

fn clock(minutes: i64) -> String {
    format!("{:02}:{:02}", (minutes / 60) % 24, minutes % 60)
}

pub fn build(ctx: &Ctx) -> Page {
    let mut rng = ctx.rng("chat");
    let names = people(&mut rng, 9);
    let me = names[0].clone();
    let mut ids = 1;

    let mut contacts: Vec<Js> = Vec::new();
    let mut start = 21 * 60 + 50;
    for (index, name) in names[1..=SCRIPTS.len()].iter().enumerate() {
        let script = SCRIPTS[(index + rng.below(SCRIPTS.len())) % SCRIPTS.len()];
        start -= rng.range(20, 140);
        let messages = arr(script.iter().enumerate().map(|(step, (mine, text))| {
            ids += 1;
            obj([
                ("id", (ids as i64).into()),
                ("from", if *mine { "me" } else { "them" }.into()),
                (
                    "author",
                    if *mine { me.as_str() } else { name.as_str() }.into(),
                ),
                ("text", (*text).into()),
                ("time", clock(start + step as i64 * 3).into()),
                ("status", "read".into()),
            ])
        }));
        let last_mine = script.last().is_some_and(|(mine, _)| *mine);
        let unread = if index < 3 && !last_mine {
            rng.range(1, 4)
        } else {
            0
        };
        contacts.push(obj([
            ("id", (index as i64 + 1).into()),
            ("name", name.into()),
            ("hue", (rng.below(360) as i64).into()),
            ("about", (*rng.pick(ABOUTS)).into()),
            ("group", false.into()),
            ("online", rng.chance(40).into()),
            ("lastSeen", (*rng.pick(LAST_SEEN)).into()),
            ("unread", unread.into()),
            ("pinned", (index == 1).into()),
            ("messages", messages),
        ]));

        // The group sits third in the list.
        if index == 1 {
            let members = [
                me.as_str(),
                names[7].as_str(),
                names[8].as_str(),
                names[2].as_str(),
            ];
            let group_start = start - 30;
            let messages = arr(GROUP_SCRIPT.iter().enumerate().map(|(step, (who, text))| {
                ids += 1;
                obj([
                    ("id", (ids as i64).into()),
                    ("from", if *who == 0 { "me" } else { "them" }.into()),
                    ("author", members[*who].into()),
                    ("text", (*text).into()),
                    ("time", clock(group_start + step as i64 * 4).into()),
                    ("status", "read".into()),
                ])
            }));
            contacts.push(obj([
                ("id", 100.into()),
                ("name", "Weekend hike".into()),
                ("hue", (ctx.palette.second as i64).into()),
                ("about", members[1..].join(", ").into()),
                ("group", true.into()),
                ("online", false.into()),
                ("lastSeen", "".into()),
                ("unread", 2.into()),
                ("pinned", false.into()),
                ("messages", messages),
            ]));
        }
    }

    let brand = ctx.rng("brand").pick(BRANDS).to_string();
    let info = obj([
        ("me", me.as_str().into()),
        ("autoReplies", arr(AUTO_REPLIES.iter().copied())),
    ]);
    Page {
        title: format!("{brand} | Chats"),
        description: format!("{brand}: simple, private messaging with the people you care about."),
        nav: vec![link("Chats", "#top")],
        cta: link("New chat", "#top"),
        footer: format!("{brand} messages are end-to-end encrypted."),
        types: TYPES,
        exports: vec![
            ("chat", "ChatInfo", info),
            ("contacts", "Contact[]", Js::Arr(contacts)),
        ],
        page: PAGE,
        components: vec![("components/ChatApp.tsx", APP)],
        css: CSS,
        brand,
    }
}
