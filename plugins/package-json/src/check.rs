//! The checks, over plain data so that they run in native unit tests; `plugin` only converts
//! the WIT types.

use serde_json::{Map, Value};

use crate::versions;

/// Where npm and Next.js look for the manifest.
const MANIFEST: &str = "package.json";

/// The scripts the arena's build and start stages stand for, and what a missing one becomes.
const REQUIRED_SCRIPTS: [(&str, &str); 2] = [("build", "next build"), ("start", "next start")];

const DEPENDENCY_SECTIONS: [&str; 2] = ["dependencies", "devDependencies"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: Option<String>,
    pub line: Option<u32>,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// The new `package.json`, when a fix changed it.
    pub rewritten: Option<String>,
}

impl Report {
    fn add(&mut self, severity: Severity, path: &str, line: Option<u32>, message: String) {
        let path = Some(path.to_owned());
        self.diagnostics.push(Diagnostic {
            severity,
            path,
            line,
            message,
        });
    }

    /// An error about the reply or the settings as a whole rather than one place in a file.
    fn add_error(&mut self, message: String) {
        let severity = Severity::Error;
        self.diagnostics.push(Diagnostic {
            severity,
            path: None,
            line: None,
            message,
        });
    }
}

/// The validator's settings from the pipeline file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Adds a missing `build` or `start` script instead of failing the run.
    pub add_missing_scripts: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            add_missing_scripts: true,
        }
    }
}

impl Settings {
    /// Reads the pipeline's settings, rejecting unknown names so that a typo is not ignored.
    pub fn parse(pairs: &[(String, String)]) -> Result<Self, String> {
        let mut settings = Settings::default();
        for (name, value) in pairs {
            match (name.as_str(), value.trim()) {
                ("add-missing-scripts", "true") => settings.add_missing_scripts = true,
                ("add-missing-scripts", "false") => settings.add_missing_scripts = false,
                ("add-missing-scripts", other) => {
                    return Err(format!(
                        "setting `add-missing-scripts` must be `true` or `false`, not `{other}`"
                    ));
                }
                (other, _) => {
                    return Err(format!(
                        "unknown setting `{other}`; package-json reads only `add-missing-scripts`"
                    ));
                }
            }
        }
        Ok(settings)
    }
}

/// One entry of `dependencies` or `devDependencies` whose version is a string.
struct Dependency<'a> {
    section: &'static str,
    name: &'a str,
    spec: &'a str,
    line: Option<u32>,
}

/// Checks the `package.json` of `files` (path, contents) with the pipeline's `settings`.
pub fn validate(files: &[(&str, &str)], settings: &[(String, String)]) -> Report {
    let mut report = Report::default();
    let settings = match Settings::parse(settings) {
        Ok(settings) => settings,
        Err(message) => {
            report.add_error(message);
            return report;
        }
    };

    let Some(text) = find_file(files, MANIFEST) else {
        report.add_error(missing_manifest_message(files));
        return report;
    };
    // npm accepts a byte-order mark; serde_json does not.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut manifest = match parse_manifest(text) {
        Ok(manifest) => manifest,
        Err((line, message)) => {
            report.add(Severity::Error, MANIFEST, line, message);
            return report;
        }
    };

    let dependencies = read_dependencies(&manifest, text, &mut report);
    check_required_dependencies(&dependencies, &mut report);
    check_moving_versions(&dependencies, &mut report);
    check_react_peers(&dependencies, &mut report);
    check_next_config(files, &dependencies, &mut report);
    check_typescript(files, &dependencies, &mut report);

    if check_scripts(&mut manifest, text, &settings, &mut report) {
        let mut pretty = serde_json::to_string_pretty(&Value::Object(manifest))
            .expect("a JSON value always serialises");
        pretty.push('\n');
        report.rewritten = Some(pretty);
    }
    report
}

fn find_file<'a>(files: &[(&str, &'a str)], path: &str) -> Option<&'a str> {
    files
        .iter()
        .find(|(candidate, _)| *candidate == path)
        .map(|(_, contents)| *contents)
}

/// "no package.json in reply", naming a nested one when the model put the project in a
/// folder.
fn missing_manifest_message(files: &[(&str, &str)]) -> String {
    let nested = files
        .iter()
        .map(|(path, _)| *path)
        .find(|path| path.ends_with("/package.json"));
    match nested {
        Some(path) => format!("no package.json in reply (found {path}; it must be at the root)"),
        None => "no package.json in reply".to_owned(),
    }
}

fn parse_manifest(text: &str) -> Result<Map<String, Value>, (Option<u32>, String)> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(manifest)) => Ok(manifest),
        Ok(_) => Err((Some(1), "package.json must be a JSON object".to_owned())),
        Err(error) => {
            let line = u32::try_from(error.line()).ok().filter(|line| *line > 0);
            Err((line, format!("package.json is not valid JSON: {error}")))
        }
    }
}

fn read_dependencies<'a>(
    manifest: &'a Map<String, Value>,
    text: &str,
    report: &mut Report,
) -> Vec<Dependency<'a>> {
    let mut dependencies = Vec::new();
    for section in DEPENDENCY_SECTIONS {
        let entries = match manifest.get(section) {
            None => continue,
            Some(Value::Object(entries)) => entries,
            Some(_) => {
                let line = line_of_key(text, None, section);
                let message = format!("\"{section}\" in package.json must be an object");
                report.add(Severity::Error, MANIFEST, line, message);
                continue;
            }
        };

        for (name, spec) in entries {
            let line = line_of_key(text, Some(section), name);
            match spec {
                Value::String(spec) => dependencies.push(Dependency {
                    section,
                    name,
                    spec,
                    line,
                }),
                other => {
                    let message =
                        format!("\"{name}\" in {section} has version {other}, not a string");
                    report.add(Severity::Error, MANIFEST, line, message);
                }
            }
        }
    }
    dependencies
}

/// The entry for `name`, preferring `dependencies` to `devDependencies`.
fn find_dependency<'d, 'a>(
    dependencies: &'d [Dependency<'a>],
    name: &str,
) -> Option<&'d Dependency<'a>> {
    let mut entries = dependencies
        .iter()
        .filter(|dependency| dependency.name == name);
    let first = entries.next()?;
    Some(
        entries
            .find(|dependency| dependency.section == "dependencies")
            .unwrap_or(first),
    )
}

fn check_required_dependencies(dependencies: &[Dependency], report: &mut Report) {
    match find_dependency(dependencies, "next") {
        None => {
            let message = "package.json does not depend on \"next\"; add it to \"dependencies\"";
            report.add(Severity::Error, MANIFEST, None, message.to_owned());
        }
        Some(next) if next.section == "devDependencies" => {
            let message = "\"next\" is only in devDependencies; it belongs in \"dependencies\", \
                           and installs that skip dev dependencies will not have it";
            report.add(Severity::Warning, MANIFEST, next.line, message.to_owned());
        }
        Some(_) => {}
    }

    for name in ["react", "react-dom"] {
        if find_dependency(dependencies, name).is_none() {
            let message = format!(
                "package.json does not list \"{name}\"; npm will pick its version from next's \
                 peer range rather than the model"
            );
            report.add(Severity::Warning, MANIFEST, None, message);
        }
    }
}

fn check_moving_versions(dependencies: &[Dependency], report: &mut Report) {
    for dependency in dependencies
        .iter()
        .filter(|dependency| versions::is_moving(dependency.spec))
    {
        let message = format!(
            "\"{}\": \"{}\" installs whatever is newest on the day of the run, so the result \
             changes over time; pin a version",
            dependency.name, dependency.spec
        );
        report.add(Severity::Warning, MANIFEST, dependency.line, message);
    }
}

/// Peer conflicts that `npm install` reports as ERESOLVE, when the specs pin the majors.
/// A warning, not an error: the install stage fails the run with npm's own words.
fn check_react_peers(dependencies: &[Dependency], report: &mut Report) {
    let pinned = |name| {
        let dependency = find_dependency(dependencies, name)?;
        Some((dependency, versions::major(dependency.spec)?))
    };

    if let Some((next, next_major)) = pinned("next")
        && let Some(accepted) = versions::react_majors_for_next(next_major)
    {
        for name in ["react", "react-dom"] {
            let Some((dependency, major)) = pinned(name) else {
                continue;
            };
            if accepted.contains(&major) {
                continue;
            }
            let message = format!(
                "next \"{}\" accepts {name} {} as a peer, but package.json asks for {name} \
                 \"{}\"; npm install will fail with a peer conflict (ERESOLVE)",
                next.spec,
                versions::list_majors(accepted),
                dependency.spec
            );
            report.add(Severity::Warning, MANIFEST, dependency.line, message);
        }
    }

    if let (Some((react, react_major)), Some((react_dom, react_dom_major))) =
        (pinned("react"), pinned("react-dom"))
        && react_major != react_dom_major
    {
        let message = format!(
            "react \"{}\" and react-dom \"{}\" have different majors; react-dom needs the react \
             of its own version (ERESOLVE)",
            react.spec, react_dom.spec
        );
        report.add(Severity::Warning, MANIFEST, react_dom.line, message);
    }
}

/// `next build` before 15 stops with "Configuring Next.js via 'next.config.ts' is not
/// supported".
fn check_next_config(files: &[(&str, &str)], dependencies: &[Dependency], report: &mut Report) {
    const CONFIG: &str = "next.config.ts";
    if find_file(files, CONFIG).is_none() {
        return;
    }

    let Some(next) = find_dependency(dependencies, "next") else {
        return;
    };
    if versions::major(next.spec).is_some_and(|major| major < 15) {
        let message = format!(
            "next.config.ts requires next >= 15 (reply pins {}); next build will refuse it",
            next.spec
        );
        report.add(Severity::Warning, CONFIG, None, message);
    }
}

/// TypeScript sources without `typescript` in the manifest: `next build` stops to install
/// it (with the React and Node type packages) into a project it did not write, which fails
/// in odd ways in a locked-down build. Declaration files alone (`next-env.d.ts`) and
/// `next.config.ts` need none.
fn check_typescript(files: &[(&str, &str)], dependencies: &[Dependency], report: &mut Report) {
    let Some((first, _)) = files.iter().find(|(path, _)| {
        (path.ends_with(".ts") || path.ends_with(".tsx"))
            && !path.ends_with(".d.ts")
            // Next.js compiles its own config without the typescript package.
            && !path.starts_with("next.config.")
    }) else {
        return;
    };
    if find_dependency(dependencies, "typescript").is_some() {
        return;
    }
    let message = format!(
        "the project has TypeScript files ({first}) but package.json lists no typescript; \
         next build would stop to install it: add typescript, @types/react and @types/node \
         to devDependencies, or write JavaScript"
    );
    report.add(Severity::Error, MANIFEST, None, message);
}

/// Checks the `build` and `start` scripts and adds the missing ones when the settings allow.
/// Returns whether `manifest` changed.
fn check_scripts(
    manifest: &mut Map<String, Value>,
    text: &str,
    settings: &Settings,
    report: &mut Report,
) -> bool {
    let mut scripts = match manifest.get("scripts") {
        None => Map::new(),
        Some(Value::Object(scripts)) => scripts.clone(),
        Some(_) => {
            let line = line_of_key(text, None, "scripts");
            let message = "\"scripts\" in package.json must be an object".to_owned();
            report.add(Severity::Error, MANIFEST, line, message);
            return false;
        }
    };

    let mut changed = false;
    for (name, default) in REQUIRED_SCRIPTS {
        let line = line_of_key(text, Some("scripts"), name);
        match scripts.get(name) {
            Some(Value::String(command)) => check_script_command(name, command, line, report),
            Some(_) => {
                let message = format!("the \"{name}\" script must be a string");
                report.add(Severity::Error, MANIFEST, line, message);
            }
            None if settings.add_missing_scripts => {
                scripts.insert(name.to_owned(), Value::String(default.to_owned()));
                changed = true;
                let message = format!(
                    "package.json had no \"{name}\" script; added \"{name}\": \"{default}\""
                );
                report.add(Severity::Info, MANIFEST, None, message);
            }
            None => {
                let message = format!("package.json has no \"{name}\" script");
                report.add(Severity::Error, MANIFEST, None, message);
            }
        }
    }

    if changed {
        insert_scripts(manifest, scripts);
    }
    changed
}

/// Puts `scripts` back in its place, or before the dependencies when it is new, where people
/// expect it.
fn insert_scripts(manifest: &mut Map<String, Value>, scripts: Map<String, Value>) {
    let scripts = Value::Object(scripts);
    if manifest.contains_key("scripts") {
        manifest.insert("scripts".to_owned(), scripts);
        return;
    }

    let position = manifest
        .keys()
        .position(|key| DEPENDENCY_SECTIONS.contains(&key.as_str()))
        .unwrap_or(manifest.len());
    manifest.shift_insert(position, "scripts".to_owned(), scripts);
}

/// The arena does not run the reply's scripts: it runs `next build`, then `next start` on a
/// port and host of its own. Scripts that do something else are worth a note.
fn check_script_command(name: &str, command: &str, line: Option<u32>, report: &mut Report) {
    let words: Vec<&str> = command.split_whitespace().collect();
    let expected = ["next", name];
    if !words.windows(2).any(|pair| pair == expected) {
        let message = format!(
            "the \"{name}\" script runs `{command}`, not `next {name}`; the arena runs \
             `next {name}` itself and ignores the script"
        );
        report.add(Severity::Warning, MANIFEST, line, message);
    }

    if name != "start" {
        return;
    }
    if let Some(port) =
        option_value(&words, &["-p", "--port"]).or_else(|| env_value(&words, "PORT"))
    {
        let message = format!(
            "the \"start\" script pins port {port} (`{command}`); the arena runs `next start` \
             on the port it allocates for the run, so two runs never share a port"
        );
        report.add(Severity::Warning, MANIFEST, line, message);
    }
    if let Some(host) = option_value(&words, &["-H", "--hostname"]) {
        let message = format!(
            "the \"start\" script binds to {host} (`{command}`); the arena runs `next start` \
             bound to 0.0.0.0 inside the run's container"
        );
        report.add(Severity::Warning, MANIFEST, line, message);
    }
}

/// The value of a command-line option in any of its spellings: `-p 3000`, `-p=3000`,
/// `-p3000`, `--port 3000`, `--port=3000`.
fn option_value<'a>(words: &[&'a str], names: &[&str]) -> Option<&'a str> {
    for (index, word) in words.iter().enumerate() {
        for name in names {
            if word == name {
                return words.get(index + 1).copied();
            }
            let Some(rest) = word.strip_prefix(name) else {
                continue;
            };
            if let Some(value) = rest.strip_prefix('=') {
                return Some(value);
            }
            // `-p3000`, but not `--port` read as `-p` followed by "ort".
            if !name.starts_with("--") && !rest.is_empty() && !rest.starts_with('-') {
                return Some(rest);
            }
        }
    }
    None
}

/// The value of an environment assignment before the command, as in `PORT=3000 next start`.
fn env_value<'a>(words: &[&'a str], name: &str) -> Option<&'a str> {
    words
        .iter()
        .take_while(|word| word.contains('='))
        .find_map(|word| word.strip_prefix(name)?.strip_prefix('='))
}

/// The 1-based line of the first `"key":` after `"section":` (anywhere when `section` is
/// `None`). It guides a reader to the spot; it is not a JSON parser, and is right for the
/// manifests models write.
fn line_of_key(text: &str, section: Option<&str>, key: &str) -> Option<u32> {
    let start = match section {
        Some(section) => key_offset(text, 0, section)?,
        None => 0,
    };
    let offset = key_offset(text, start, key)?;
    u32::try_from(text[..offset].matches('\n').count() + 1).ok()
}

fn key_offset(text: &str, from: usize, key: &str) -> Option<usize> {
    let quoted = format!("\"{key}\"");
    let mut from = from;
    while let Some(found) = text[from..].find(&quoted) {
        let end = from + found + quoted.len();
        if text[end..].trim_start().starts_with(':') {
            return Some(from + found);
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAYOUT: (&str, &str) = ("app/layout.js", "export default function L() {}");

    fn check(manifest: &str) -> Report {
        validate(&[(MANIFEST, manifest), LAYOUT], &[])
    }

    fn check_with(manifest: &str, settings: &[(&str, &str)]) -> Report {
        let settings: Vec<(String, String)> = settings
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect();
        validate(&[(MANIFEST, manifest), LAYOUT], &settings)
    }

    fn messages(report: &Report, severity: Severity) -> Vec<&str> {
        report
            .diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.severity == severity)
            .map(|diagnostic| diagnostic.message.as_str())
            .collect()
    }

    fn find<'r>(report: &'r Report, needle: &str) -> &'r Diagnostic {
        report
            .diagnostics
            .iter()
            .find(|diagnostic| diagnostic.message.contains(needle))
            .unwrap_or_else(|| panic!("no diagnostic with {needle:?} in {:#?}", report.diagnostics))
    }

    const GOOD: &str = r#"{
  "name": "good",
  "private": true,
  "scripts": { "build": "next build", "start": "next start" },
  "dependencies": { "next": "14.2.35", "react": "18.3.1", "react-dom": "18.3.1" }
}"#;

    #[test]
    fn a_sound_manifest_has_no_diagnostics_and_no_edit() {
        let report = check(GOOD);
        assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
        assert!(report.rewritten.is_none());
    }

    #[test]
    fn a_reply_without_package_json_is_an_error() {
        // Case 08b: one file, no manifest.
        let report = validate(&[("app/page.tsx", "export default function P() {}")], &[]);
        assert_eq!(
            messages(&report, Severity::Error),
            ["no package.json in reply"]
        );
    }

    #[test]
    fn a_nested_package_json_is_named() {
        let report = validate(&[("web/package.json", GOOD)], &[]);
        let errors = messages(&report, Severity::Error);
        assert_eq!(
            errors,
            ["no package.json in reply (found web/package.json; it must be at the root)"]
        );
    }

    #[test]
    fn invalid_json_is_an_error_with_its_line() {
        let report = check("{\n  \"name\": \"x\",\n  \"scripts\": {,\n}");
        let error = find(&report, "not valid JSON");
        assert_eq!(error.severity, Severity::Error);
        assert_eq!(error.line, Some(3));
        assert_eq!(error.path.as_deref(), Some("package.json"));
        assert_eq!(report.diagnostics.len(), 1);
    }

    #[test]
    fn a_manifest_that_is_not_an_object_is_an_error() {
        let report = check("[1, 2]");
        assert_eq!(
            messages(&report, Severity::Error),
            ["package.json must be a JSON object"]
        );
    }

    #[test]
    fn a_byte_order_mark_is_accepted() {
        let report = check(&format!("\u{feff}{GOOD}"));
        assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    }

    #[test]
    fn missing_next_is_an_error() {
        let report = check(
            r#"{ "scripts": { "build": "next build", "start": "next start" },
                 "dependencies": { "react": "18.3.1", "react-dom": "18.3.1" } }"#,
        );
        let errors = messages(&report, Severity::Error);
        assert_eq!(
            errors,
            ["package.json does not depend on \"next\"; add it to \"dependencies\""]
        );
    }

    #[test]
    fn next_only_in_dev_dependencies_is_a_warning() {
        let report = check(
            r#"{ "scripts": { "build": "next build", "start": "next start" },
                 "dependencies": { "react": "18.3.1", "react-dom": "18.3.1" },
                 "devDependencies": { "next": "14.2.35" } }"#,
        );
        assert!(messages(&report, Severity::Error).is_empty());
        assert_eq!(
            find(&report, "only in devDependencies").severity,
            Severity::Warning
        );
    }

    #[test]
    fn missing_react_dom_is_a_warning_and_is_not_added() {
        let report = check(
            r#"{ "scripts": { "build": "next build", "start": "next start" },
                 "dependencies": { "next": "14.2.35", "react": "18.3.1" } }"#,
        );
        let warning = find(&report, "does not list \"react-dom\"");
        assert_eq!(warning.severity, Severity::Warning);
        assert_eq!(report.diagnostics.len(), 1);
        assert!(report.rewritten.is_none());
    }

    #[test]
    fn a_dependency_version_must_be_a_string() {
        let report = check(
            r#"{ "scripts": { "build": "next build", "start": "next start" },
                 "dependencies": { "next": 14, "react": "18.3.1", "react-dom": "18.3.1" } }"#,
        );
        assert_eq!(
            find(&report, "has version 14, not a string").severity,
            Severity::Error
        );
    }

    #[test]
    fn dev_only_scripts_get_build_and_start_added_in_key_order() {
        // Case 08a.
        let manifest = r#"{
  "name": "dev-only",
  "private": true,
  "scripts": { "dev": "next dev" },
  "dependencies": { "next": "14.2.35", "react": "18.3.1", "react-dom": "18.3.1" }
}"#;
        let report = check(manifest);

        assert_eq!(
            messages(&report, Severity::Info),
            [
                "package.json had no \"build\" script; added \"build\": \"next build\"",
                "package.json had no \"start\" script; added \"start\": \"next start\"",
            ]
        );
        assert!(messages(&report, Severity::Error).is_empty());
        let expected = r#"{
  "name": "dev-only",
  "private": true,
  "scripts": {
    "dev": "next dev",
    "build": "next build",
    "start": "next start"
  },
  "dependencies": {
    "next": "14.2.35",
    "react": "18.3.1",
    "react-dom": "18.3.1"
  }
}
"#;
        assert_eq!(report.rewritten.as_deref(), Some(expected));
    }

    #[test]
    fn a_missing_scripts_object_is_created_before_the_dependencies() {
        let report = check(concat!(
            r#"{"name":"x","#,
            r#""dependencies":{"next":"15.1.0","react":"19.0.0","react-dom":"19.0.0"}}"#
        ));
        let rewritten = report.rewritten.expect("scripts were added");
        let value: Value = serde_json::from_str(&rewritten).unwrap();
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["name", "scripts", "dependencies"]);
        assert_eq!(value["scripts"]["build"], "next build");
        assert_eq!(value["scripts"]["start"], "next start");
    }

    #[test]
    fn without_fixes_a_missing_script_is_an_error() {
        let manifest = r#"{ "scripts": { "dev": "next dev", "start": "next start" },
             "dependencies": { "next": "14.2.35", "react": "18.3.1", "react-dom": "18.3.1" } }"#;
        let report = check_with(manifest, &[("add-missing-scripts", "false")]);
        assert_eq!(
            messages(&report, Severity::Error),
            ["package.json has no \"build\" script"]
        );
        assert!(report.rewritten.is_none());
    }

    #[test]
    fn settings_are_checked() {
        let report = check_with(GOOD, &[("add-missing-scripts", "yes")]);
        let errors = messages(&report, Severity::Error);
        assert_eq!(
            errors,
            ["setting `add-missing-scripts` must be `true` or `false`, not `yes`"]
        );

        let report = check_with(GOOD, &[("add-missing-script", "false")]);
        assert!(
            messages(&report, Severity::Error)[0]
                .starts_with("unknown setting `add-missing-script`")
        );

        assert!(
            check_with(GOOD, &[("add-missing-scripts", "true")])
                .diagnostics
                .is_empty()
        );
    }

    #[test]
    fn a_start_script_that_pins_a_port_is_a_warning_on_its_line() {
        // Case 17.
        let manifest = r#"{
  "name": "health-case",
  "private": true,
  "scripts": { "build": "next build", "start": "next start -p 3000" },
  "dependencies": { "next": "14.2.35", "react": "18.3.1", "react-dom": "18.3.1" }
}"#;
        let report = check(manifest);
        let warning = find(&report, "pins port 3000");
        assert_eq!(warning.severity, Severity::Warning);
        assert_eq!(warning.line, Some(4));
        assert!(warning.message.contains("the arena runs `next start`"));
        assert_eq!(report.diagnostics.len(), 1);
    }

    #[test]
    fn every_spelling_of_a_port_is_found() {
        let words = |command: &'static str| command.split_whitespace().collect::<Vec<_>>();
        for command in [
            "next start -p 3000",
            "next start -p=3000",
            "next start -p3000",
            "next start --port 3000",
            "next start --port=3000",
        ] {
            assert_eq!(
                option_value(&words(command), &["-p", "--port"]),
                Some("3000"),
                "{command}"
            );
        }
        assert_eq!(
            env_value(&words("PORT=3000 next start"), "PORT"),
            Some("3000")
        );
        assert_eq!(option_value(&words("next start"), &["-p", "--port"]), None);
        assert_eq!(env_value(&words("next start PORT=1"), "PORT"), None);
    }

    #[test]
    fn a_start_script_that_binds_localhost_is_a_warning() {
        let manifest = GOOD.replace("\"next start\"", "\"next start -H localhost\"");
        assert_eq!(
            find(&check(&manifest), "binds to localhost").severity,
            Severity::Warning
        );
    }

    #[test]
    fn a_script_that_is_not_next_is_a_warning() {
        let manifest = GOOD.replace("\"next start\"", "\"node server.js\"");
        let report = check(&manifest);
        let warning = find(&report, "runs `node server.js`, not `next start`");
        assert_eq!(warning.severity, Severity::Warning);

        let manifest = GOOD.replace("\"next build\"", "\"next lint && next build\"");
        assert!(check(&manifest).diagnostics.is_empty());
    }

    #[test]
    fn moving_versions_are_warnings() {
        let manifest = GOOD
            .replace("\"14.2.35\"", "\"latest\"")
            .replace("\"18.3.1\" }", "\"*\" }");
        let report = check(&manifest);
        let warnings = messages(&report, Severity::Warning);
        assert_eq!(warnings.len(), 2, "{warnings:#?}");
        assert!(warnings[0].starts_with("\"next\": \"latest\" installs whatever is newest"));
        assert!(warnings[1].starts_with("\"react-dom\": \"*\""));
        assert_eq!(find(&report, "\"latest\"").line, Some(5));
    }

    #[test]
    fn next_14_with_react_19_is_a_peer_warning() {
        // Case 06.
        let manifest = r#"{
  "name": "react19-next14",
  "private": true,
  "scripts": { "build": "next build", "start": "next start" },
  "dependencies": {
    "next": "14.2.35",
    "react": "^19.0.0",
    "react-dom": "^19.0.0"
  }
}"#;
        let report = check(manifest);
        let warnings = messages(&report, Severity::Warning);
        assert_eq!(
            warnings,
            [
                "next \"14.2.35\" accepts react 18 as a peer, but package.json asks for react \
                 \"^19.0.0\"; npm install will fail with a peer conflict (ERESOLVE)",
                "next \"14.2.35\" accepts react-dom 18 as a peer, but package.json asks for \
                 react-dom \"^19.0.0\"; npm install will fail with a peer conflict (ERESOLVE)",
            ]
        );
        assert_eq!(find(&report, "asks for react \"^19").line, Some(7));
        assert!(messages(&report, Severity::Error).is_empty());
    }

    #[test]
    fn next_15_with_react_19_is_fine() {
        let manifest = GOOD
            .replace("14.2.35", "15.5.29")
            .replace("18.3.1", "19.1.0");
        assert!(check(&manifest).diagnostics.is_empty());
    }

    #[test]
    fn react_and_react_dom_of_different_majors_is_a_warning() {
        let manifest = GOOD
            .replace("\"14.2.35\"", "\"15.5.29\"")
            .replace("\"18.3.1\" }", "\"19.1.0\" }");
        let report = check(&manifest);
        assert_eq!(
            find(&report, "have different majors").severity,
            Severity::Warning
        );
        assert_eq!(report.diagnostics.len(), 1);
    }

    #[test]
    fn typescript_files_need_typescript_in_the_manifest() {
        let files = [
            (MANIFEST, GOOD),
            ("app/page.tsx", "export default function P() {}"),
        ];
        let report = validate(&files, &[]);
        let error = report
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
            .expect("an error");
        assert!(
            error
                .message
                .starts_with("the project has TypeScript files (app/page.tsx)")
        );
        let only_types = [(MANIFEST, GOOD), ("next-env.d.ts", "/// <reference />")];
        assert!(validate(&only_types, &[]).diagnostics.is_empty());
    }

    #[test]
    fn next_config_ts_on_next_14_is_a_warning() {
        // Case 13.
        let files = [(MANIFEST, GOOD), ("next.config.ts", "export default {};")];
        let report = validate(&files, &[]);
        let warning = find(
            &report,
            "next.config.ts requires next >= 15 (reply pins 14.2.35)",
        );
        assert_eq!(warning.severity, Severity::Warning);
        assert_eq!(warning.path.as_deref(), Some("next.config.ts"));

        let next15 = GOOD.replace("14.2.35", "15.5.29");
        let files = [
            (MANIFEST, next15.as_str()),
            ("next.config.ts", "export default {};"),
        ];
        assert!(validate(&files, &[]).diagnostics.is_empty());
    }

    #[test]
    fn a_scripts_value_that_is_not_an_object_is_an_error() {
        let manifest = r#"{ "scripts": "next build",
             "dependencies": { "next": "14.2.35", "react": "18.3.1", "react-dom": "18.3.1" } }"#;
        let report = check(manifest);
        assert_eq!(
            messages(&report, Severity::Error),
            ["\"scripts\" in package.json must be an object"]
        );
        assert!(report.rewritten.is_none());
    }

    #[test]
    fn line_of_key_looks_inside_the_section() {
        let text = "{\n \"name\": \"start\",\n \"scripts\": {\n  \"start\": \"x\"\n }\n}";
        assert_eq!(line_of_key(text, Some("scripts"), "start"), Some(4));
        assert_eq!(line_of_key(text, None, "name"), Some(2));
        assert_eq!(line_of_key(text, Some("scripts"), "build"), None);
    }
}
