//! The few lines of a failed phase's log that a reader needs: npm's resolution block or
//! missing package, Next's "Failed to compile" block with its file and message, and never a
//! native backtrace in their place. Also a one-line reason for the run's status.

use super::spec::Phase;

/// Longest excerpt, in lines, and longest line kept in it.
const MAX_LINES: usize = 40;
const MAX_LINE_CHARS: usize = 300;

/// What a failed phase's log boils down to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excerpt {
    /// One sentence naming the cause, e.g. the missing package or the failing file.
    pub reason: Option<String>,
    /// The meaningful lines, in log order.
    pub lines: Vec<String>,
}

impl Excerpt {
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }
}

/// Picks the meaningful lines of a failed phase's log.
pub fn excerpt(phase: Phase, log: &[String]) -> Excerpt {
    let lines = without_backtraces(log);

    let npm = npm_error_lines(&lines);
    if !npm.is_empty() {
        return Excerpt {
            reason: npm_reason(&npm),
            lines: cap(npm),
        };
    }

    if phase != Phase::Install
        && let Some(start) = lines.iter().position(|line| is_build_error_anchor(line))
    {
        let mut block: Vec<String> = lines[start..].iter().take(MAX_LINES).cloned().collect();
        // The closing verdict ("> Build failed because of webpack errors") may lie further.
        if let Some(verdict) = lines[start..]
            .iter()
            .skip(MAX_LINES)
            .rfind(|line| is_verdict(line))
        {
            block.push(verdict.clone());
        }
        let reason = build_reason(&lines[start..]).or_else(|| fallback_reason(&lines));
        return Excerpt {
            reason,
            lines: cap(trim_blank_runs(block)),
        };
    }

    let tail: Vec<String> = {
        let meaningful: Vec<&String> = lines
            .iter()
            .filter(|line| !line.trim().is_empty())
            .collect();
        let from = meaningful.len().saturating_sub(25);
        meaningful[from..]
            .iter()
            .map(|line| (*line).clone())
            .collect()
    };
    Excerpt {
        reason: fallback_reason(&lines),
        lines: cap(tail),
    }
}

/// When no known shape of failure matched: the last line that says it is an error (a
/// thrown `TypeError [ERR_INVALID_ARG_TYPE]: ...`, `Error: ...`), so the headline names a
/// cause instead of only an exit code.
fn fallback_reason(lines: &[String]) -> Option<String> {
    let line = lines.iter().rev().find(|line| {
        let lower = line.to_ascii_lowercase();
        (lower.contains("error") || lower.contains("failed")) && !lower.contains("npm notice")
    })?;
    let line = line.trim();
    let short: String = line.chars().take(240).collect();
    Some(if short.len() < line.len() {
        format!("{short}…")
    } else {
        short
    })
}

/// Drops native ("Stack backtrace:" and its numbered frames) and JavaScript (`at f (file)`)
/// stack frames: they push the message out of any excerpt.
fn without_backtraces(log: &[String]) -> Vec<String> {
    let mut kept = Vec::with_capacity(log.len());
    let mut in_backtrace = false;
    for line in log {
        let trimmed = line.trim_start();
        if trimmed.starts_with("Stack backtrace") {
            in_backtrace = true;
            continue;
        }
        if in_backtrace {
            let is_frame = trimmed.is_empty()
                || trimmed.starts_with("at ")
                || trimmed
                    .split_once(':')
                    .is_some_and(|(n, _)| n.trim().parse::<u32>().is_ok());
            if is_frame {
                continue;
            }
            in_backtrace = false;
        }
        if trimmed.starts_with("at ") && line.starts_with(char::is_whitespace) {
            continue;
        }
        kept.push(line.clone());
    }
    kept
}

const NPM_BOILERPLATE: &[&str] = &[
    "A complete log of this run can be found in",
    "For a full report see",
    "/_logs/",
    "Note that you can also install from a",
    "tarball, folder, http url, or git url",
];

/// npm's error lines (`npm error ...`, or `npm ERR! ...` before npm 10) without the
/// pointers to log files that exist only inside the container.
fn npm_error_lines(lines: &[String]) -> Vec<String> {
    let errors = lines
        .iter()
        .filter(|line| line.starts_with("npm error") || line.starts_with("npm ERR!"))
        .filter(|line| !NPM_BOILERPLATE.iter().any(|noise| line.contains(noise)))
        .cloned()
        .collect();
    trim_blank_runs(errors)
        .into_iter()
        .filter(|line| !matches!(npm_text(line).trim(), "404"))
        .collect()
}

fn npm_text(line: &str) -> &str {
    line.strip_prefix("npm error")
        .or_else(|| line.strip_prefix("npm ERR!"))
        .unwrap_or(line)
        .trim_start()
}

fn npm_reason(errors: &[String]) -> Option<String> {
    let texts: Vec<&str> = errors.iter().map(|line| npm_text(line)).collect();
    let code = texts
        .iter()
        .find_map(|text| text.strip_prefix("code "))
        .map(str::trim);

    match code {
        Some("ERESOLVE") => {
            let conflict = texts
                .iter()
                .position(|text| text.starts_with("Could not resolve dependency"))
                .and_then(|at| texts.get(at + 1))
                .map(|text| text.trim());
            let found = texts.iter().find_map(|text| text.strip_prefix("Found: "));
            Some(match (conflict, found) {
                (Some(conflict), Some(found)) => format!(
                    "npm could not resolve the dependency tree (ERESOLVE): {conflict}, \
                     but the project has {found}"
                ),
                (Some(conflict), None) => {
                    format!("npm could not resolve the dependency tree (ERESOLVE): {conflict}")
                }
                _ => "npm could not resolve the dependency tree (ERESOLVE)".to_string(),
            })
        }
        Some("E404") => {
            let package = texts
                .iter()
                .find_map(|text| quoted_package(text))
                .or_else(|| {
                    texts.iter().find_map(|text| {
                        let url = text.split("GET ").nth(1)?.split_whitespace().next()?;
                        Some(
                            url.rsplit('/')
                                .next()?
                                .replace("%2f", "/")
                                .replace("%2F", "/"),
                        )
                    })
                });
            Some(match package {
                Some(package) => {
                    format!("package {package} was not found in the npm registry (E404)")
                }
                None => "a package was not found in the npm registry (E404)".to_string(),
            })
        }
        Some(code) => {
            let message = texts
                .iter()
                .find(|text| !text.is_empty() && !text.starts_with("code "))
                .map(|text| text.trim());
            Some(match message {
                Some(message) => format!("npm failed ({code}): {message}"),
                None => format!("npm failed ({code})"),
            })
        }
        None => texts
            .iter()
            .find(|text| !text.is_empty())
            .map(|text| format!("npm failed: {text}")),
    }
}

/// `'@scope/name@^2.1.0'` out of npm's "could not be found" / "is not in this registry" line.
fn quoted_package(text: &str) -> Option<String> {
    if !(text.contains("could not be found") || text.contains("is not in this registry")) {
        return None;
    }
    let start = text.find('\'')? + 1;
    let len = text[start..].find('\'')?;
    Some(text[start..start + len].to_string())
}

fn is_build_error_anchor(line: &str) -> bool {
    let trimmed = line.trim_start();
    [
        "Failed to compile",
        "Type error:",
        "Build error occurred",
        "Error occurred prerendering",
    ]
    .iter()
    .any(|anchor| trimmed.starts_with(anchor))
        || trimmed.starts_with("Module not found")
        || trimmed.starts_with("Syntax error:")
}

fn is_verdict(line: &str) -> bool {
    line.contains("Build failed") || line.contains("Build error occurred")
}

/// The failing file and the first message line under it, from Next's error block.
fn build_reason(block: &[String]) -> Option<String> {
    let file_at = block.iter().position(|line| {
        let trimmed = line.trim();
        trimmed.starts_with("./") || trimmed.starts_with("../")
    });
    let message_from = file_at.map_or(1, |at| at + 1);
    let message = block
        .iter()
        .skip(message_from)
        .find_map(|line| message_text(line));

    let file = file_at.map(|at| block[at].trim().to_string());
    match (file, message) {
        (Some(file), Some(message)) => Some(format!("{file}: {message}")),
        (Some(file), None) => Some(format!("failed to compile {file}")),
        (None, Some(message)) => Some(message),
        (None, None) => block.first().map(|line| line.trim().to_string()),
    }
}

/// A line of an error message, not of the code frame drawn around it.
fn message_text(line: &str) -> Option<String> {
    let mut text = line.trim();
    for marker in ["Error:", "x ", "×", "Type error:"] {
        text = text.strip_prefix(marker).unwrap_or(text).trim_start();
    }
    let frame_like = text.is_empty()
        || text.starts_with('|')
        || text.starts_with(",-")
        || text.starts_with('`') && text.chars().skip(1).all(|c| c == '-')
        || text.starts_with(':')
        || text.starts_with("Import trace")
        || text
            .split_once('|')
            .is_some_and(|(n, _)| n.trim().parse::<u32>().is_ok());
    (!frame_like).then(|| truncate(text))
}

fn trim_blank_runs(lines: Vec<String>) -> Vec<String> {
    let mut kept: Vec<String> = Vec::with_capacity(lines.len());
    for line in lines {
        let blank = npm_text(&line).trim().is_empty();
        let previous_blank = kept
            .last()
            .is_none_or(|last| npm_text(last).trim().is_empty());
        if blank && previous_blank {
            continue;
        }
        kept.push(line);
    }
    while kept
        .last()
        .is_some_and(|last| npm_text(last).trim().is_empty())
    {
        kept.pop();
    }
    kept
}

fn cap(lines: Vec<String>) -> Vec<String> {
    lines
        .into_iter()
        .take(MAX_LINES + 1)
        .map(|line| truncate(&line))
        .collect()
}

fn truncate(line: &str) -> String {
    match line.char_indices().nth(MAX_LINE_CHARS) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn keeps_the_eresolve_block() {
        let log = log(r#"npm error code ERESOLVE
npm error ERESOLVE unable to resolve dependency tree
npm error
npm error While resolving: react19-next14@undefined
npm error Found: react@19.3.1
npm error node_modules/react
npm error   react@"^19.0.0" from the root project
npm error
npm error Could not resolve dependency:
npm error peer react@"^18.2.0" from next@14.2.35
npm error node_modules/next
npm error   next@"14.2.35" from the root project
npm error
npm error Fix the upstream dependency conflict, or retry this command with --force
npm error
npm error
npm error For a full report see:
npm error /home/arena/.npm/_logs/2026-12-03T09_05_12_152Z-eresolve-report.txt
npm error A complete log of this run can be found in: /home/arena/.npm/_logs/x-debug-0.log"#);
        let excerpt = excerpt(Phase::Install, &log);
        let text = excerpt.text();
        assert!(text.contains("npm error Found: react@19.3.1"), "{text}");
        assert!(
            text.contains(r#"npm error peer react@"^18.2.0" from next@14.2.35"#),
            "{text}"
        );
        assert!(!text.contains("_logs"), "{text}");
        assert_eq!(
            excerpt.reason.as_deref(),
            Some(
                r#"npm could not resolve the dependency tree (ERESOLVE): peer react@"^18.2.0" from next@14.2.35, but the project has react@19.3.1"#
            )
        );
    }

    #[test]
    fn names_the_missing_package() {
        let log = log("added 3 packages\n\
npm error code E404\n\
npm error 404 Not Found - GET https://registry.npmjs.org/@acme-arena-fixture%2freact-glow-cards\n\
npm error 404\n\
npm error 404  The requested resource '@acme-arena-fixture/react-glow-cards@^2.1.0' could not be found or you do not have permission to access it.\n\
npm error 404\n\
npm error 404 Note that you can also install from a\n\
npm error 404 tarball, folder, http url, or git url.");
        let excerpt = excerpt(Phase::Install, &log);
        assert_eq!(
            excerpt.reason.as_deref(),
            Some(
                "package @acme-arena-fixture/react-glow-cards@^2.1.0 was not found in the npm \
                 registry (E404)"
            )
        );
        assert_eq!(excerpt.lines.len(), 3, "{:?}", excerpt.lines);
    }

    #[test]
    fn keeps_the_compile_error_above_a_backtrace() {
        let log = log(r#"   ▲ Next.js 14.2.35

   Creating an optimized production build ...
Failed to compile.

./app/page.js
Error:
  x You're importing a component that needs useState. It only works in a Client Component but none of its parents are marked with "use client", so they're Server Components by default.
   ,-[/workspace/app/page.js:1:1]
 1 | import { useState } from "react";
   :          ^^^^^^^^
   `----

Stack backtrace:
   0: _napi_register_module_v1
   1: _napi_register_module_v1
   2: <unknown>

Import trace for requested module:
./app/page.js


> Build failed because of webpack errors"#);
        let excerpt = excerpt(Phase::Build, &log);
        let text = excerpt.text();
        assert!(text.starts_with("Failed to compile."), "{text}");
        assert!(
            text.contains("none of its parents are marked with \"use client\""),
            "{text}"
        );
        assert!(
            text.contains("> Build failed because of webpack errors"),
            "{text}"
        );
        assert!(!text.contains("_napi_register_module_v1"), "{text}");
        let reason = excerpt.reason.unwrap();
        assert!(
            reason.starts_with("./app/page.js: You're importing a component"),
            "{reason}"
        );
    }

    #[test]
    fn keeps_lint_file_line_col() {
        let log = log("Failed to compile.\n\n./app/page.js\n\
5:10  Error: `'` can be escaped with `&apos;`.  react/no-unescaped-entities\n\n\
info  - Need to disable some ESLint rules?");
        let excerpt = excerpt(Phase::Build, &log);
        assert!(excerpt.text().contains("5:10  Error: `'` can be escaped"));
        assert!(
            excerpt
                .reason
                .unwrap()
                .starts_with("./app/page.js: 5:10  Error: `'`")
        );
    }

    #[test]
    fn falls_back_to_the_tail() {
        let lines: Vec<String> = (0..100).map(|n| format!("line {n}")).collect();
        let excerpt = excerpt(Phase::Build, &lines);
        assert_eq!(excerpt.reason, None);
        assert_eq!(excerpt.lines.first().map(String::as_str), Some("line 75"));
    }

    #[test]
    fn an_unknown_failure_is_named_by_its_last_error_line() {
        // `next build` installing TypeScript by itself and then failing, as a user saw it.
        let lines = log("   Installing devDependencies (npm):\n\
             - typescript\n\
             TypeError [ERR_INVALID_ARG_TYPE]: The \"id\" argument must be of type string. Received undefined\n\
             \u{20}   at Module.require (node:internal/modules/cjs/loader:1231:19)\n\
             Node.js v20.20.2\n");
        let excerpt = excerpt(Phase::Build, &lines);
        assert_eq!(
            excerpt.reason.as_deref(),
            Some(
                "TypeError [ERR_INVALID_ARG_TYPE]: The \"id\" argument must be of type string. Received undefined"
            )
        );
    }
}
