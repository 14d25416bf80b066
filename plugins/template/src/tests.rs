//! Native tests of the whole generator: every arena prompt, every style.

use crate::site::{self, Site};
use crate::style::Style;
use crate::topic::Topic;

pub const ARENA_PROMPTS: [&str; 12] = [
    "Build a landing page for a coffee shop",
    "Build a clone of the Hacker News front page with upvotes and comments",
    "Build a Twitter-style profile page with a header image, bio, and a feed of posts",
    "Build a playable chess board where two people can move pieces in turn",
    "Build a WhatsApp-style chat screen with a contact list and a message thread",
    "Build a VS Code style editor layout with a file tree, tabs, and a status bar",
    "Build a portfolio site for a freelance photographer with a filterable gallery",
    "Build a pricing page for a SaaS product with three tiers and a monthly/yearly toggle",
    "Build a dashboard that shows sales by month as a bar chart and a table of top products",
    "Build a to-do app with categories, due dates, and a dark mode switch",
    "Build a restaurant menu site with sections, dietary badges, and an order summary",
    "Build a weather app landing page with a search box and a five-day forecast layout",
];

fn file<'a>(site: &'a Site, path: &str) -> &'a str {
    site.files
        .iter()
        .find(|(name, _)| name == path)
        .map(|(_, contents)| contents.as_str())
        .unwrap_or_else(|| panic!("no {path}"))
}

#[test]
fn every_prompt_and_style_gives_a_complete_project() {
    for prompt in ARENA_PROMPTS {
        for style in Style::ALL {
            let site = site::render(prompt, style, 0);
            for path in [
                "package.json",
                "tsconfig.json",
                "next.config.mjs",
                "app/layout.tsx",
                "app/page.tsx",
                "app/globals.css",
                "app/data.ts",
            ] {
                assert!(!file(&site, path).is_empty(), "{prompt}: {path} is empty");
            }
            assert!(file(&site, "app/data.ts").contains(&crate::js::quote(&site.title)));
            assert!(!file(&site, "package.json").contains('^'));
            for (path, contents) in &site.files {
                assert!(
                    !contents.contains("```"),
                    "{path} would need a longer fence"
                );
                assert!(
                    !contents.contains("next/font"),
                    "{path} loads fonts from the network"
                );
                assert!(
                    !contents.contains("http://") && !contents.contains("https://")
                        || path.ends_with(".d.ts"),
                    "{path} names a remote URL"
                );
            }
        }
    }
}

#[test]
fn answers_fit_the_declared_limits_and_count_tokens() {
    for prompt in ARENA_PROMPTS {
        for style in Style::ALL {
            let params = vec![("seed".to_string(), "3".to_string())];
            let request = crate::Request {
                system_prompt: "You write Next.js projects.",
                user_prompt: prompt,
                model: style.id(),
                params: &params,
            };
            let answer = crate::answer(&request).unwrap();
            let chars = answer.reply.chars().count() as u64;
            assert_eq!(answer.output_tokens, chars.div_ceil(4));
            assert!(
                answer.output_tokens < u64::from(crate::MAX_OUTPUT_TOKENS),
                "{prompt}"
            );
            assert!(answer.input_tokens > 0);
            assert!(answer.reply.starts_with("Here is \""));
        }
    }
}

#[test]
fn same_seed_same_reply_other_seed_other_details() {
    let prompt = ARENA_PROMPTS[0];
    let reply = |seed| {
        let site = site::render(prompt, Style::Studio, seed);
        crate::reply::format(&site::intro(&site), &site.files)
    };
    assert_eq!(reply(7), reply(7));
    assert_ne!(reply(7), reply(8));
}

#[test]
fn different_prompts_give_different_sites() {
    let coffee = site::render(ARENA_PROMPTS[0], Style::Bold, 1);
    let chess = site::render(ARENA_PROMPTS[3], Style::Bold, 1);
    assert_eq!(coffee.topic, Topic::Landing);
    assert_eq!(chess.topic, Topic::Chess);
    assert!(coffee.title.contains("Coffee"), "{}", coffee.title);
    assert!(file(&coffee, "app/page.tsx") != file(&chess, "app/page.tsx"));
}

#[test]
fn unknown_prompts_keep_their_words() {
    let site = site::render(
        "Make a website for my dog grooming business",
        Style::Paper,
        3,
    );
    assert_eq!(site.topic, Topic::Landing);
    assert!(site.title.contains("Dog Grooming"), "{}", site.title);
    assert!(file(&site, "app/data.ts").contains("dog grooming"));
}

#[test]
fn request_parameters() {
    let params = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    };
    assert_eq!(
        crate::seed_param(&params(&[("temperature", "0.2"), ("seed", " 42 ")])),
        Ok(42)
    );
    assert_eq!(crate::seed_param(&params(&[])), Ok(0));
    assert!(crate::seed_param(&params(&[("seed", "abc")])).is_err());
    assert_eq!(crate::style_for("bold"), Ok(Style::Bold));
    assert!(crate::style_for("gpt-4").is_err());
}

/// Prompts outside the arena list, written as `x<n>-...` sites to try the fallbacks.
const EXTRA_PROMPTS: [&str; 3] = [
    "Make a website for my dog grooming business",
    "Build a landing page for a yoga studio",
    "Build an Italian restaurant menu with prices",
];

/// Writes every arena prompt's site to `$TEMPLATE_SITES/<n>-<topic>-<style>/` (and the extra
/// prompts' to `x<n>-...`) for building with `next build`. Skipped unless the variable is set.
#[test]
fn write_sites_for_next_build() {
    let Ok(root) = std::env::var("TEMPLATE_SITES") else {
        return;
    };
    let arena = ARENA_PROMPTS
        .iter()
        .enumerate()
        .map(|(i, prompt)| (format!("{:02}", i + 1), prompt));
    let extra = EXTRA_PROMPTS
        .iter()
        .enumerate()
        .map(|(i, prompt)| (format!("x{}", i + 1), prompt));
    for (number, prompt) in arena.chain(extra) {
        for style in Style::ALL {
            let site = site::render(prompt, style, 0);
            let name = format!("{number}-{}-{}", site.topic.id(), style.id());
            let dir = std::path::Path::new(&root).join(name);
            for (path, contents) in &site.files {
                let target = dir.join(path);
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::write(&target, contents).unwrap();
            }
            let reply = crate::reply::format(&site::intro(&site), &site.files);
            std::fs::write(dir.join("REPLY.txt"), reply).unwrap();
        }
    }
}

/// Reads fenced blocks whose info string ends in `path=...`, the way the host's extractor
/// does: a fence closes only on a line of the same backticks.
fn extract(reply: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut lines = reply.lines();
    while let Some(line) = lines.next() {
        let fence_len = line.len() - line.trim_start_matches('`').len();
        let Some(path) = line.split(" path=").nth(1).filter(|_| fence_len >= 3) else {
            continue;
        };
        let fence = &line[..fence_len];
        let mut body = String::new();
        for inner in lines.by_ref() {
            if inner == fence {
                break;
            }
            body.push_str(inner);
            body.push('\n');
        }
        files.push((path.to_string(), body));
    }
    files
}

#[test]
fn reply_round_trips_through_an_extractor() {
    for prompt in ARENA_PROMPTS {
        let site = site::render(prompt, Style::Paper, 11);
        let reply = crate::reply::format(&site::intro(&site), &site.files);
        let extracted = extract(&reply);
        assert_eq!(extracted.len(), site.files.len(), "{prompt}");
        for ((path, contents), (got_path, got)) in site.files.iter().zip(&extracted) {
            assert_eq!(path, got_path);
            assert_eq!(contents.trim_end(), got.trim_end(), "{path}");
        }
        assert_eq!(crate::reply::chunks(&reply, 640).concat(), reply);
    }
}

#[test]
fn prompts_beyond_the_arena_list() {
    let cases = [
        (
            "Build a landing page for a yoga studio",
            Topic::Landing,
            "Yoga",
        ),
        ("Create a homepage for an AI startup", Topic::Landing, ""),
        (
            "Build an Italian restaurant menu with prices",
            Topic::Menu,
            "",
        ),
        (
            "Make a sushi restaurant website with a menu",
            Topic::Menu,
            "",
        ),
        (
            "Build a portfolio for a graphic designer",
            Topic::Gallery,
            "Graphic designer",
        ),
        (
            "Build a pricing page for an email marketing tool",
            Topic::Pricing,
            "Pricing",
        ),
        ("Build a kanban-style task board", Topic::Todo, ""),
        ("Build a Reddit clone", Topic::News, "Reddit"),
    ];
    for (prompt, topic, in_title) in cases {
        let site = site::render(prompt, Style::Studio, 0);
        assert_eq!(site.topic, topic, "{prompt}");
        assert!(site.title.contains(in_title), "{prompt}: {}", site.title);
    }
    let italian = site::render(cases[2].0, Style::Studio, 0);
    assert!(file(&italian, "app/data.ts").contains("Margherita"));
    let sushi = site::render(cases[3].0, Style::Studio, 0);
    assert!(file(&sushi, "app/data.ts").contains("Tonkotsu"));
}
