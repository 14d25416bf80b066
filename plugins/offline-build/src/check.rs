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

/// One name a `next/font/google` import brings in: the font (`Inter`) and what the file
/// calls it (`FontSans` in `Inter as FontSans`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct FontName {
    imported: String,
    local: String,
}

/// `import { A, B as C } from "next/font/google"` statements: the specifier's byte range
/// and the names. Only real named-import statements count, so the module's name in prose
/// or an `export ... from` is left alone.
fn google_font_imports(text: &str) -> Vec<(std::ops::Range<usize>, Vec<FontName>)> {
    let mut found = Vec::new();
    for quote in ['"', '\''] {
        let specifier = format!("{quote}{GOOGLE_FONTS}{quote}");
        for (at, _) in text.match_indices(&specifier) {
            let Some(start) = text[..at].rfind("import") else {
                continue;
            };
            let clause = text[start + "import".len()..at].trim();
            let Some(names) = clause
                .strip_suffix("from")
                .map(str::trim)
                .and_then(|braced| braced.strip_prefix('{'))
                .and_then(|braced| braced.strip_suffix('}'))
            else {
                continue;
            };
            if names.contains(['{', '}', ';']) {
                continue;
            }
            let names = names
                .split(',')
                .filter_map(|part| {
                    let mut words = part.split_whitespace();
                    let imported = words.next()?.to_owned();
                    let local = match (words.next(), words.next()) {
                        (Some("as"), Some(local)) => local.to_owned(),
                        _ => imported.clone(),
                    };
                    Some(FontName { imported, local })
                })
                .collect();
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
    // Font (imported name) to the CSS variable its call asked for, if any.
    let mut fonts: Vec<(String, Option<String>)> = Vec::new();
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
        for (range, _) in imports.iter().rev() {
            rewritten.replace_range(range.clone(), &format!("{to_root}{FALLBACK_DIR}/google"));
        }
        let mut families = Vec::new();
        for name in imports.iter().flat_map(|(_, names)| names) {
            families.push(family(&name.imported));
            let variable = call_options(text, &name.local)
                .and_then(|options| quoted_after(options, "variable"));
            match fonts.iter_mut().find(|(font, _)| *font == name.imported) {
                Some((_, known)) => {
                    if known.is_none() {
                        *known = variable;
                    }
                }
                None => fonts.push((name.imported.clone(), variable)),
            }
        }
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

    // A CSS Module (allowed by both routers, unlike global CSS) gives each font a class
    // that sets its stack and one that defines the variable its call asked for, as
    // next/font's own classes do.
    let mut css = String::from(
        "/* Written by the arena in place of next/font/google: local font stacks. */\n",
    );
    for (font, variable) in &fonts {
        css.push_str(&format!(".{font} {{ font-family: {}; }}\n", stack(font)));
        if let Some(variable) = variable {
            css.push_str(&format!(
                ".{font}_variable {{ {variable}: {}; }}\n",
                stack(font)
            ));
        }
    }
    let mut module = String::from(
        "// Written by the arena in place of next/font/google, which downloads fonts from\n\
         // Google while `next build` runs; this arena's builds reach only the npm registry.\n\
         // Each font becomes a local font stack: the family if the visitor has it, then the\n\
         // system's.\n\
         import styles from \"./google.module.css\";\n",
    );
    if typescript {
        module.push_str(
            "\ntype LocalFont = { className: string; variable: string; style: { fontFamily: string } };\n\n\
             function font(name: string, fontFamily: string): (options?: unknown) => LocalFont {\n\
             \x20 return () => ({\n\
             \x20   className: styles[name] ?? \"\",\n\
             \x20   variable: styles[`${name}_variable`] ?? \"\",\n\
             \x20   style: { fontFamily },\n\
             \x20 });\n}\n\n",
        );
    } else {
        module.push_str(
            "\nfunction font(name, fontFamily) {\n\
             \x20 return () => ({\n\
             \x20   className: styles[name] ?? \"\",\n\
             \x20   variable: styles[`${name}_variable`] ?? \"\",\n\
             \x20   style: { fontFamily },\n\
             \x20 });\n}\n\n",
        );
    }
    for (font, _) in &fonts {
        module.push_str(&format!(
            "export const {font} = font({font:?}, {:?});\n",
            stack(font)
        ));
    }
    let extension = if typescript { "ts" } else { "js" };
    outcome.writes.push(Write {
        path: format!("{FALLBACK_DIR}/google.{extension}"),
        contents: module,
    });
    outcome.writes.push(Write {
        path: format!("{FALLBACK_DIR}/google.module.css"),
        contents: css,
    });
}

/// The argument text of the first call `local(...)` in `text`, with `local` standing alone
/// (so `Inter(` does not match `xInter(`).
fn call_options<'a>(text: &'a str, local: &str) -> Option<&'a str> {
    let call = format!("{local}(");
    let (at, _) = text.match_indices(&call).find(|(at, _)| {
        text[..*at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '$' || c == '.'))
    })?;
    let rest = &text[at + call.len()..];
    Some(&rest[..rest.find(')').unwrap_or(rest.len())])
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
                "arena-fonts/google.module.css"
            ]
        );
        assert!(
            outcome.writes[0].contents.starts_with(
                "import { Inter, Roboto_Mono as Mono } from \"../arena-fonts/google\";"
            )
        );
        let module = &outcome.writes[1].contents;
        assert!(module.contains("import styles from \"./google.module.css\";"));
        assert!(module.contains("export const Inter = font(\"Inter\", \"\\\"Inter\\\", system-ui"));
        assert!(module.contains(
            "export const Roboto_Mono = font(\"Roboto_Mono\", \"\\\"Roboto Mono\\\", ui-monospace"
        ));
        let css = &outcome.writes[2].contents;
        assert!(
            css.contains(".Inter { font-family: \"Inter\", system-ui"),
            "{css}"
        );
        assert!(
            css.contains(".Inter_variable { --font-inter: \"Inter\""),
            "{css}"
        );
        assert!(
            css.contains(".Roboto_Mono { font-family: \"Roboto Mono\", ui-monospace"),
            "{css}"
        );
        assert!(!css.contains("Roboto_Mono_variable"), "{css}");
    }

    #[test]
    fn an_aliased_font_keeps_its_variable_and_prose_is_left_alone() {
        let text = "import { Inter as FontSans } from \"next/font/google\";\n\
                    const fontSans = FontSans({ subsets: [\"latin\"], variable: \"--font-sans\" });\n\
                    const note = \"we used to import from 'next/font/google'\";\n";
        let outcome = check(&[("app/layout.tsx", text)], Fonts::Rewrite);
        let css = &outcome.writes.last().unwrap().contents;
        assert!(css.contains(".Inter_variable { --font-sans: "), "{css}");
        assert!(
            outcome.writes[0]
                .contents
                .contains("we used to import from 'next/font/google'")
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
        assert_eq!(outcome.writes.len(), 3);
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
