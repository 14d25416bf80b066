//! The checks and the font rewrite over plain strings, so they run natively in tests.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub path: Option<String>,
    pub line: Option<u32>,
    pub message: String,
}

/// A file the validator writes (or rewrites) in the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    pub path: String,
    pub contents: String,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub writes: Vec<Write>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fonts {
    Rewrite,
    Refuse,
}

const SOURCE_EXTENSIONS: &[&str] = &[".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs"];
const GOOGLE_FONTS: &str = "next/font/google";
const FALLBACK_DIR: &str = "arena-fonts";

pub fn check(files: &[(&str, &str)], fonts: Fonts) -> Outcome {
    let mut outcome = Outcome::default();
    check_scripts(files, &mut outcome);
    check_server_fetches(files, &mut outcome);
    match fonts {
        Fonts::Rewrite => rewrite_google_fonts(files, &mut outcome),
        Fonts::Refuse => refuse_google_fonts(files, &mut outcome),
    }
    outcome
}

fn is_source(path: &str) -> bool {
    SOURCE_EXTENSIONS.iter().any(|ext| path.ends_with(ext))
}

/// The line (1-based) of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> u32 {
    text[..offset].matches('\n').count() as u32 + 1
}

/// `import { A, B as C } from "next/font/google"` statements: their byte range and the
/// imported (not local) names.
fn google_font_imports(text: &str) -> Vec<(std::ops::Range<usize>, Vec<String>)> {
    let mut found = Vec::new();
    for quote in ['"', '\''] {
        let specifier = format!("{quote}{GOOGLE_FONTS}{quote}");
        for (at, _) in text.match_indices(&specifier) {
            let Some(start) = text[..at].rfind("import") else {
                continue;
            };
            let clause = &text[start + "import".len()..at];
            let names = match (clause.find('{'), clause.find('}')) {
                (Some(open), Some(close)) if open < close => clause[open + 1..close]
                    .split(',')
                    .filter_map(|part| part.split_whitespace().next())
                    .map(str::to_owned)
                    .collect(),
                _ => Vec::new(),
            };
            found.push((at + 1..at + 1 + GOOGLE_FONTS.len(), names));
        }
    }
    found.sort_by_key(|(range, _)| range.start);
    found
}

fn refuse_google_fonts(files: &[(&str, &str)], outcome: &mut Outcome) {
    for (path, text) in files.iter().filter(|(path, _)| is_source(path)) {
        for (range, _) in google_font_imports(text) {
            outcome.findings.push(Finding {
                severity: Severity::Error,
                path: Some((*path).to_owned()),
                line: Some(line_of(text, range.start)),
                message: "next/font/google downloads the fonts from fonts.googleapis.com while \
                          `next build` runs, and this pipeline's builds reach only the npm \
                          registry, so the build would fail; use next/font/local or a CSS font \
                          stack"
                    .into(),
            });
        }
    }
}

fn rewrite_google_fonts(files: &[(&str, &str)], outcome: &mut Outcome) {
    let mut fonts: Vec<String> = Vec::new();
    let mut typescript = false;
    for (path, text) in files.iter().filter(|(path, _)| is_source(path)) {
        let imports = google_font_imports(text);
        if imports.is_empty() {
            continue;
        }
        typescript |= path.ends_with(".ts") || path.ends_with(".tsx");
        let depth = path.matches('/').count();
        let to_root = if depth == 0 {
            "./".to_owned()
        } else {
            "../".repeat(depth)
        };
        let mut rewritten = (*text).to_owned();
        // From the end, so earlier ranges stay valid.
        for (range, names) in imports.iter().rev() {
            rewritten.replace_range(range.clone(), &format!("{to_root}{FALLBACK_DIR}/google"));
            for name in names {
                if !fonts.contains(name) {
                    fonts.push(name.clone());
                }
            }
        }
        let families: Vec<String> = imports
            .iter()
            .flat_map(|(_, names)| names.iter().map(|name| family(name)))
            .collect();
        outcome.findings.push(Finding {
            severity: Severity::Warning,
            path: Some((*path).to_owned()),
            line: Some(line_of(text, imports[0].0.start)),
            message: format!(
                "next/font/google would download {} from fonts.googleapis.com while `next \
                 build` runs, which this pipeline's builds cannot reach; the import now points \
                 at {FALLBACK_DIR}/google, written by the arena, which uses local font stacks",
                if families.is_empty() {
                    "its fonts".to_owned()
                } else {
                    families.join(", ")
                }
            ),
        });
        outcome.writes.push(Write {
            path: (*path).to_owned(),
            contents: rewritten,
        });
    }
    if outcome.writes.is_empty() {
        return;
    }

    // CSS variables asked for (`variable: "--font-inter"`); defined globally where the app
    // router allows a module to import global CSS (the pages router does not).
    let app_router = !files
        .iter()
        .any(|(path, _)| path.starts_with("pages/") || path.starts_with("src/pages/"));
    let mut variables: Vec<(String, String)> = Vec::new();
    for (_, text) in files.iter().filter(|(path, _)| is_source(path)) {
        for font in &fonts {
            for call in text.match_indices(&format!("{font}(")) {
                let options = &text[call.0
                    ..text[call.0..]
                        .find(')')
                        .map_or(text.len(), |end| call.0 + end)];
                if let Some(variable) = quoted_after(options, "variable") {
                    if !variables.iter().any(|(name, _)| *name == variable) {
                        variables.push((variable, stack(font)));
                    }
                }
            }
        }
    }
    let use_css = app_router && !variables.is_empty();

    let mut module = String::from(
        "// Written by the arena in place of next/font/google, which downloads fonts from\n\
         // Google while `next build` runs; this arena's builds reach only the npm registry.\n\
         // Each font becomes a local font stack: the family if the visitor has it, then the\n\
         // system's.\n",
    );
    if use_css {
        module.push_str("import \"./google.css\";\n");
    }
    if typescript {
        module.push_str(
            "\ntype LocalFont = { className: string; variable: string; style: { fontFamily: string } };\n\n\
             function font(fontFamily: string): (options?: unknown) => LocalFont {\n\
             \x20 return () => ({ className: \"\", variable: \"\", style: { fontFamily } });\n}\n\n",
        );
    } else {
        module.push_str(
            "\nfunction font(fontFamily) {\n\
             \x20 return () => ({ className: \"\", variable: \"\", style: { fontFamily } });\n}\n\n",
        );
    }
    for name in &fonts {
        module.push_str(&format!("export const {name} = font({:?});\n", stack(name)));
    }
    let extension = if typescript { "ts" } else { "js" };
    outcome.writes.push(Write {
        path: format!("{FALLBACK_DIR}/google.{extension}"),
        contents: module,
    });
    if use_css {
        let mut css =
            String::from("/* The CSS variables next/font/google would have defined. */\n:root {\n");
        for (variable, stack) in &variables {
            css.push_str(&format!("  {variable}: {stack};\n"));
        }
        css.push_str("}\n");
        outcome.writes.push(Write {
            path: format!("{FALLBACK_DIR}/google.css"),
            contents: css,
        });
    }
}

/// The value of `key: "..."` in `text`, if written with a literal.
fn quoted_after(text: &str, key: &str) -> Option<String> {
    let at = text.find(key)?;
    let rest = text[at + key.len()..]
        .trim_start()
        .strip_prefix(':')?
        .trim_start();
    let quote = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let value = &rest[1..];
    let end = value.find(quote)?;
    Some(value[..end].to_owned())
}

/// A font export's family name: `Roboto_Mono` is "Roboto Mono".
fn family(name: &str) -> String {
    name.replace('_', " ")
}

/// A CSS font stack for a Google font, by the kind its name suggests.
fn stack(name: &str) -> String {
    let family = family(name);
    let monospace = ["Mono", "Code", "Courier"].iter().any(|w| name.contains(w));
    let serif = !name.contains("Sans")
        && [
            "Serif",
            "Playfair",
            "Merriweather",
            "Lora",
            "Garamond",
            "Baskerville",
            "Crimson",
            "Caslon",
            "Bodoni",
            "Fraunces",
        ]
        .iter()
        .any(|w| name.contains(w));
    let fallback = if monospace {
        "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"
    } else if serif {
        "Georgia, \"Times New Roman\", serif"
    } else {
        "system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif"
    };
    format!("\"{family}\", {fallback}")
}

const INSTALL_AND_BUILD_SCRIPTS: &[&str] = &[
    "preinstall",
    "install",
    "postinstall",
    "prepare",
    "prebuild",
    "build",
    "postbuild",
];

fn check_scripts(files: &[(&str, &str)], outcome: &mut Outcome) {
    let Some((_, text)) = files.iter().find(|(path, _)| *path == "package.json") else {
        return;
    };
    // A package.json that is not JSON is the package-json validator's to report.
    let Ok(manifest) = serde_json::from_str::<serde_json::Value>(text) else {
        return;
    };
    let Some(scripts) = manifest["scripts"].as_object() else {
        return;
    };
    for name in INSTALL_AND_BUILD_SCRIPTS {
        let Some(script) = scripts.get(*name).and_then(|s| s.as_str()) else {
            continue;
        };
        let downloads = script.split_whitespace().any(|word| {
            matches!(word, "curl" | "wget") || word.contains("http://") || word.contains("https://")
        });
        if downloads {
            outcome.findings.push(Finding {
                severity: Severity::Error,
                path: Some("package.json".into()),
                line: None,
                message: format!(
                    "the {name:?} script downloads while installing or building ({script}); \
                     this pipeline's builds reach only the npm registry, so it would fail"
                ),
            });
        }
    }
}

fn check_server_fetches(files: &[(&str, &str)], outcome: &mut Outcome) {
    for (path, text) in files.iter().filter(|(path, _)| is_source(path)) {
        let client = text.trim_start().starts_with("\"use client\"")
            || text.trim_start().starts_with("'use client'");
        if client {
            continue;
        }
        for quote in ['"', '\'', '`'] {
            for scheme in ["https://", "http://"] {
                let call = format!("fetch({quote}{scheme}");
                if let Some(at) = text.find(&call) {
                    let url: String = text[at + 7..].chars().take_while(|c| *c != quote).collect();
                    outcome.findings.push(Finding {
                        severity: Severity::Warning,
                        path: Some((*path).to_owned()),
                        line: Some(line_of(text, at)),
                        message: format!(
                            "fetches {url} on the server; the build (prerendering) and the \
                             running site have no network, so this request fails"
                        ),
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAYOUT: &str = "import { Inter, Roboto_Mono as Mono } from \"next/font/google\";\n\
        import \"./globals.css\";\n\
        const inter = Inter({ subsets: [\"latin\"], variable: \"--font-inter\" });\n\
        const mono = Mono({ subsets: [\"latin\"] });\n\
        export default function RootLayout({ children }) {\n\
        \x20 return <html className={inter.variable}><body className={inter.className}>{children}</body></html>;\n}\n";

    #[test]
    fn google_fonts_are_rewritten_to_local_stacks_with_their_variables() {
        let outcome = check(
            &[
                ("app/layout.js", LAYOUT),
                ("app/page.js", "export default function P() {}"),
            ],
            Fonts::Rewrite,
        );
        assert_eq!(outcome.findings.len(), 1);
        assert_eq!(outcome.findings[0].severity, Severity::Warning);
        assert!(outcome.findings[0].message.contains("Inter, Roboto Mono"));
        let paths: Vec<&str> = outcome.writes.iter().map(|w| w.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "app/layout.js",
                "arena-fonts/google.js",
                "arena-fonts/google.css"
            ]
        );
        assert!(
            outcome.writes[0].contents.starts_with(
                "import { Inter, Roboto_Mono as Mono } from \"../arena-fonts/google\";"
            )
        );
        let module = &outcome.writes[1].contents;
        assert!(module.contains("import \"./google.css\";"));
        assert!(module.contains("export const Inter = font(\"\\\"Inter\\\", system-ui"));
        assert!(
            module.contains("export const Roboto_Mono = font(\"\\\"Roboto Mono\\\", ui-monospace")
        );
        assert_eq!(
            outcome.writes[2].contents,
            "/* The CSS variables next/font/google would have defined. */\n:root {\n  \
             --font-inter: \"Inter\", system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif;\n}\n"
        );
    }

    #[test]
    fn typescript_gets_a_typed_module_and_deeper_files_a_longer_path() {
        let text = "import { Lora } from 'next/font/google';\nconst lora = Lora({});\n";
        let outcome = check(&[("src/app/blog/layout.tsx", text)], Fonts::Rewrite);
        assert!(
            outcome.writes[0]
                .contents
                .starts_with("import { Lora } from '../../../arena-fonts/google';")
        );
        assert_eq!(outcome.writes[1].path, "arena-fonts/google.ts");
        assert!(outcome.writes[1].contents.contains("type LocalFont"));
        assert!(outcome.writes[1].contents.contains("Georgia"));
        assert_eq!(outcome.writes.len(), 2, "no variables, no CSS");
    }

    #[test]
    fn refusing_fonts_fails_with_the_reason_and_writes_nothing() {
        let outcome = check(&[("app/layout.js", LAYOUT)], Fonts::Refuse);
        assert!(outcome.writes.is_empty());
        assert_eq!(outcome.findings[0].severity, Severity::Error);
        assert_eq!(outcome.findings[0].line, Some(1));
        assert!(
            outcome.findings[0]
                .message
                .contains("reach only the npm registry")
        );
    }

    #[test]
    fn downloading_scripts_are_refused_and_server_fetches_warned() {
        let manifest = r#"{ "scripts": { "postinstall": "curl -fsSL https://x.example/setup.sh | sh", "build": "next build", "dev": "wget http://x" } }"#;
        let page = "export default async function Page() {\n  const r = await fetch(\"https://api.example.com/items\");\n}\n";
        let client = "\"use client\";\nfetch(\"https://api.example.com/items\");\n";
        let outcome = check(
            &[
                ("package.json", manifest),
                ("app/page.js", page),
                ("app/widget.js", client),
            ],
            Fonts::Rewrite,
        );
        let summary: Vec<(Severity, Option<&str>)> = outcome
            .findings
            .iter()
            .map(|f| (f.severity, f.path.as_deref()))
            .collect();
        assert_eq!(
            summary,
            [
                (Severity::Error, Some("package.json")),
                (Severity::Warning, Some("app/page.js"))
            ]
        );
        assert!(outcome.findings[0].message.contains("\"postinstall\""));
        assert!(
            outcome.findings[1]
                .message
                .contains("https://api.example.com/items")
        );
    }
}
