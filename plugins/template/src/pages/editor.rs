//! A code editor layout in the manner of VS Code: activity bar, file tree, tabs, highlighted
//! code with a minimap, terminal panel and status bar.

use super::{Ctx, Page, link};
use crate::js::{Js, arr, obj};
use crate::words;

const PAGE: &str = include_str!("../assets/editor/page.tsx");
const TYPES: &str = include_str!("../assets/editor/types.ts");
const CSS: &str = include_str!("../assets/editor/style.css");
const SHELL: &str = include_str!("../assets/editor/EditorShell.tsx");

/// Words about the editor itself; whatever else the subject says names the project.
const EDITOR_WORDS: &[&str] = &[
    "editor", "code", "ide", "vs", "vscode", "layout", "tree", "tabs",
];
const PROJECTS: &[&str] = &[
    "harbor-notes",
    "orbit-dashboard",
    "lumen-shop",
    "fernwood-api",
];
const BRANCHES: &[&str] = &["main", "feature/search", "fix/header-spacing", "develop"];

/// Files of the project shown in the editor: `(path, language, text)`. `@project@` and
/// `@title@` in the texts name the project.
const SAMPLES: &[(&str, &str, &str)] = &[
    (
        "src/app/page.tsx",
        "typescript",
        include_str!("../assets/editor/samples/page.tsx.txt"),
    ),
    (
        "src/components/Header.tsx",
        "typescript",
        include_str!("../assets/editor/samples/Header.tsx.txt"),
    ),
    (
        "src/lib/format.ts",
        "ts",
        include_str!("../assets/editor/samples/format.ts.txt"),
    ),
    (
        "src/styles/globals.css",
        "css",
        include_str!("../assets/editor/samples/globals.css.txt"),
    ),
    (
        "package.json",
        "json",
        include_str!("../assets/editor/samples/package.json.txt"),
    ),
    (
        "README.md",
        "markdown",
        include_str!("../assets/editor/samples/README.md.txt"),
    ),
];

fn sources(project: &str, title: &str) -> Vec<(&'static str, &'static str, String)> {
    SAMPLES
        .iter()
        .map(|(path, language, text)| {
            let text = text
                .trim_end()
                .replace("@project@", project)
                .replace("@title@", title);
            (*path, *language, text)
        })
        .collect()
}

/// The tree for `paths`, folders first, each level sorted by name.
fn tree(paths: &[&str], prefix: &str) -> Js {
    let mut dirs: Vec<String> = Vec::new();
    let mut files: Vec<String> = Vec::new();
    for path in paths {
        let Some(rest) = path.strip_prefix(prefix) else {
            continue;
        };
        match rest.split_once('/') {
            Some((dir, _)) if !dirs.iter().any(|known| known == dir) => dirs.push(dir.to_string()),
            Some(_) => {}
            None => files.push(rest.to_string()),
        }
    }
    dirs.sort();
    files.sort();

    let mut nodes: Vec<Js> = dirs
        .iter()
        .map(|dir| {
            let path = format!("{prefix}{dir}");
            obj([
                ("name", dir.into()),
                ("path", path.as_str().into()),
                ("kind", "dir".into()),
                ("children", tree(paths, &format!("{path}/"))),
            ])
        })
        .collect();
    nodes.extend(files.iter().map(|file| {
        obj([
            ("name", file.into()),
            ("path", format!("{prefix}{file}").into()),
            ("kind", "file".into()),
            ("children", arr(Vec::<Js>::new())),
        ])
    }));
    Js::Arr(nodes)
}

pub fn build(ctx: &Ctx) -> Page {
    let mut rng = ctx.rng("editor");
    let own: Vec<&str> = ctx
        .subject
        .split(' ')
        .filter(|word| !word.is_empty() && !EDITOR_WORDS.contains(word))
        .collect();
    let project = if own.is_empty() {
        rng.pick(PROJECTS).to_string()
    } else {
        words::slug(&own.join(" "))
    };
    let title = words::title_case(&project.replace('-', " "));

    let files = sources(&project, &title);
    let paths: Vec<&str> = files.iter().map(|(path, _, _)| *path).collect();
    let workspace = obj([
        ("name", project.as_str().into()),
        ("branch", (*rng.pick(BRANCHES)).into()),
        (
            "open",
            arr(["src/app/page.tsx", "src/lib/format.ts", "README.md"]),
        ),
        ("tree", tree(&paths, "")),
        (
            "files",
            arr(files.iter().map(|(path, language, content)| {
                obj([
                    ("path", (*path).into()),
                    ("language", (*language).into()),
                    ("content", content.into()),
                ])
            })),
        ),
        (
            "terminal",
            arr([
                format!("{project} $ npm run dev"),
                String::new(),
                format!("> {project}@0.4.2 dev"),
                "> next dev".to_string(),
                String::new(),
                "   - Local:   localhost:3000".to_string(),
                format!(" \u{2713} Ready in {}ms", rng.range(700, 1900)),
                format!(
                    " \u{2713} Compiled / in {}ms (412 modules)",
                    rng.range(300, 900)
                ),
            ]),
        ),
    ]);

    let brand = "Code".to_string();
    Page {
        title: format!("{project} | Code Editor"),
        description: format!("Browse and edit {project} in a desktop-style code editor."),
        nav: vec![link("Explorer", "#top")],
        cta: link("Open folder", "#top"),
        footer: "Editor layout".to_string(),
        types: TYPES,
        exports: vec![("workspace", "Workspace", workspace)],
        page: PAGE,
        components: vec![("components/EditorShell.tsx", SHELL)],
        css: CSS,
        brand,
    }
}
