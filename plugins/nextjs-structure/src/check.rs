//! The checks, over plain data so that they run in native unit tests; `plugin` only converts
//! the WIT types.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::resolve::{Resolution, Resolver};
use crate::source::{self, Source};

/// What Next.js reads as pages and layouts by default (`pageExtensions`).
const PAGE_EXTENSIONS: [&str; 4] = ["tsx", "ts", "jsx", "js"];

/// Files the lexer reads for imports and directives.
const CODE_EXTENSIONS: [&str; 8] = ["tsx", "ts", "jsx", "js", "mjs", "cjs", "mts", "cts"];

/// App-router files that Next.js renders as components, the roots of the Server Component
/// graph.
const ROUTE_COMPONENTS: [&str; 10] = [
    "page",
    "layout",
    "template",
    "loading",
    "not-found",
    "default",
    "error",
    "global-error",
    "forbidden",
    "unauthorized",
];

/// App-router files that Next.js requires to be Client Components.
const CLIENT_ROUTE_COMPONENTS: [&str; 2] = ["error", "global-error"];

/// React and Next.js APIs that only work in Client Components; next build stops at the
/// first Server Component that imports one of them.
const CLIENT_ONLY_APIS: [&str; 22] = [
    "useState",
    "useEffect",
    "useLayoutEffect",
    "useInsertionEffect",
    "useReducer",
    "useRef",
    "useImperativeHandle",
    "useSyncExternalStore",
    "useTransition",
    "useDeferredValue",
    "useOptimistic",
    "useActionState",
    "useFormStatus",
    "useFormState",
    "createContext",
    "flushSync",
    "useRouter",
    "usePathname",
    "useSearchParams",
    "useParams",
    "useSelectedLayoutSegment",
    "useSelectedLayoutSegments",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: Option<String>,
    pub line: Option<u32>,
    pub message: String,
}

impl Diagnostic {
    fn new(severity: Severity, path: Option<&str>, line: Option<u32>, message: String) -> Self {
        Diagnostic {
            severity,
            path: path.map(str::to_owned),
            line,
            message,
        }
    }
}

/// Checks the structure of `files` (path, contents). This validator takes no settings.
pub fn validate(files: &[(&str, &str)], settings: &[(String, String)]) -> Vec<Diagnostic> {
    if let Some((name, _)) = settings.first() {
        let message = format!("unknown setting `{name}`; nextjs-structure takes no settings");
        return vec![Diagnostic::new(Severity::Error, None, None, message)];
    }

    let mut diagnostics = Vec::new();
    let sources: BTreeMap<&str, Source> = files
        .iter()
        .filter(|(path, _)| has_extension(path, &CODE_EXTENSIONS))
        .map(|(path, contents)| (*path, Source::new(contents)))
        .collect();
    let resolver = Resolver::new(files);
    let app_dir = router_dir(files, "app", &mut diagnostics);
    let pages_dir = router_dir(files, "pages", &mut diagnostics);

    check_entry(
        files,
        app_dir.as_deref(),
        pages_dir.as_deref(),
        &mut diagnostics,
    );
    check_imports(&sources, &resolver, &mut diagnostics);
    if let Some(app_dir) = &app_dir {
        check_client_components(app_dir, &sources, &resolver, &mut diagnostics);
    }
    diagnostics
}

/// Where Next.js looks for a router: `app/` at the root, or else `src/app/`. When both have
/// files, `src/` is ignored, which surprises whoever wrote it.
fn router_dir(
    files: &[(&str, &str)],
    name: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let has_files = |dir: &str| {
        files
            .iter()
            .any(|(path, _)| path.starts_with(&format!("{dir}/")))
    };
    let nested = format!("src/{name}");
    match (has_files(name), has_files(&nested)) {
        (true, true) => {
            let message = format!("{nested}/ is ignored because {name}/ exists at the root");
            diagnostics.push(Diagnostic::new(Severity::Warning, None, None, message));
            Some(name.to_owned())
        }
        (true, false) => Some(name.to_owned()),
        (false, true) => Some(nested),
        (false, false) => None,
    }
}

/// A file of a router folder: the route segments above it and its name without extension.
struct RouteFile<'a> {
    path: &'a str,
    segments: Vec<&'a str>,
    stem: &'a str,
}

fn route_files<'a>(files: &[(&'a str, &str)], dir: &str) -> Vec<RouteFile<'a>> {
    let prefix = format!("{dir}/");
    files
        .iter()
        .filter(|(path, _)| has_extension(path, &PAGE_EXTENSIONS))
        .filter_map(|(path, _)| {
            let inside = path.strip_prefix(&prefix)?;
            let (segments, name) = match inside.rsplit_once('/') {
                Some((directory, name)) => (directory.split('/').collect(), name),
                None => (Vec::new(), inside),
            };
            let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
            Some(RouteFile {
                path,
                segments,
                stem,
            })
        })
        .collect()
}

/// There must be something `next build` can build and serve at `/`: an app-router page with
/// a root layout, or a pages-router `index`.
fn check_entry(
    files: &[(&str, &str)],
    app_dir: Option<&str>,
    pages_dir: Option<&str>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let app_files = app_dir
        .map(|dir| route_files(files, dir))
        .unwrap_or_default();
    // `_folder` is private in the app router: nothing under it is a route.
    let is_route = |file: &RouteFile| !file.segments.iter().any(|segment| segment.starts_with('_'));
    let pages: Vec<&RouteFile> = app_files
        .iter()
        .filter(|file| file.stem == "page" && is_route(file))
        .collect();
    let layouts: BTreeSet<&[&str]> = app_files
        .iter()
        .filter(|file| file.stem == "layout")
        .map(|file| file.segments.as_slice())
        .collect();

    let app_dir_name = app_dir.unwrap_or("app");
    for page in &pages {
        // The root layout may sit in a route group, `app/(shop)/layout.tsx`.
        let has_layout =
            (0..=page.segments.len()).any(|depth| layouts.contains(&page.segments[..depth]));
        if !has_layout {
            let message = format!(
                "no {app_dir_name}/layout: {} needs a root layout \
                 ({app_dir_name}/layout.tsx, .jsx, .ts or .js)",
                page.path
            );
            diagnostics.push(Diagnostic::new(
                Severity::Error,
                Some(page.path),
                None,
                message,
            ));
        }
    }

    let is_group = |segment: &&str| segment.starts_with('(') && segment.ends_with(')');
    let app_home = pages.iter().find(|page| page.segments.iter().all(is_group));
    let pages_home = pages_dir.and_then(|dir| {
        route_files(files, dir)
            .into_iter()
            .find(|file| file.segments.is_empty() && file.stem == "index")
    });

    match (app_home, pages_home) {
        (Some(app_home), Some(pages_home)) => {
            let message = format!(
                "{} and {} both serve /; next build stops on the conflict",
                app_home.path, pages_home.path
            );
            diagnostics.push(Diagnostic::new(
                Severity::Error,
                Some(pages_home.path),
                None,
                message,
            ));
        }
        (None, None) if app_dir.is_none() && pages_dir.is_none() => {
            let message = "no app/layout or pages/ entry: the reply has neither an app/ folder \
                           (app/page.tsx with app/layout.tsx) nor a pages/ folder \
                           (pages/index.tsx)";
            diagnostics.push(Diagnostic::new(
                Severity::Error,
                None,
                None,
                message.to_owned(),
            ));
        }
        (None, None) => {
            let message = format!(
                "no home page: neither {app_dir_name}/page nor pages/index \
                 (.tsx, .ts, .jsx or .js) is in the reply, so nothing serves /"
            );
            diagnostics.push(Diagnostic::new(Severity::Error, None, None, message));
        }
        _ => {}
    }
}

/// Local imports must name files of the reply; otherwise next build stops with "Module not
/// found". Misplaced `"use client"` directives stop it as well.
fn check_imports(
    sources: &BTreeMap<&str, Source>,
    resolver: &Resolver,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (path, source) in sources {
        if source.has_misplaced_use_client() {
            let message = format!(
                "{path} has \"use client\" after other statements; Next.js only accepts it as \
                 the first statement"
            );
            diagnostics.push(Diagnostic::new(
                Severity::Warning,
                Some(path),
                None,
                message,
            ));
        }

        for import in source.imports() {
            let Resolution::Missing { base } = resolver.resolve(path, import.specifier) else {
                continue;
            };
            let looked_for = if base
                .rsplit('/')
                .next()
                .is_some_and(|name| name.contains('.'))
            {
                base
            } else {
                format!("{base} (.tsx, .ts, .jsx, .js or /index)")
            };
            let message = format!(
                "{path} imports \"{}\", but the reply has no {looked_for}",
                import.specifier
            );
            diagnostics.push(Diagnostic::new(
                Severity::Error,
                Some(path),
                Some(import.line),
                message,
            ));
        }
    }
}

/// Walks the Server Component graph from the app router's route files, stopping at Client
/// Components, and warns about every Server Component that uses a client-only API: next build
/// fails on them ("You're importing a component that needs useState").
///
/// A warning and not a fix: adding the directive would be writing the contestant's code.
fn check_client_components(
    app_dir: &str,
    sources: &BTreeMap<&str, Source>,
    resolver: &Resolver,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut queue: VecDeque<(&str, Option<&str>)> = VecDeque::new();
    for (path, source) in sources {
        let Some(stem) = route_component(path, app_dir) else {
            continue;
        };
        if CLIENT_ROUTE_COMPONENTS.contains(&stem) && !source.is_client() {
            let message = format!(
                "{path} must be a Client Component, as Next.js requires of {stem} files: add \
                 \"use client\"; as its first line"
            );
            diagnostics.push(Diagnostic::new(
                Severity::Warning,
                Some(path),
                None,
                message,
            ));
            continue;
        }
        queue.push_back((path, None));
    }

    let mut seen: BTreeSet<&str> = queue.iter().map(|(path, _)| *path).collect();
    while let Some((path, importer)) = queue.pop_front() {
        let source = &sources[path];
        if source.is_client() {
            continue;
        }

        if let Some(usage) = client_only_usage(source) {
            let line = Some(source.line_at(usage.offset));
            let message = server_component_message(path, source, &usage, importer);
            diagnostics.push(Diagnostic::new(
                Severity::Warning,
                Some(path),
                line,
                message,
            ));
        }

        for import in source.imports() {
            if let Resolution::File(file) = resolver.resolve(path, import.specifier)
                && sources.contains_key(file)
                && seen.insert(file)
            {
                queue.push_back((file, Some(path)));
            }
        }
    }
}

fn server_component_message(
    path: &str,
    source: &Source,
    usage: &ClientUsage,
    importer: Option<&str>,
) -> String {
    let what = match &usage.kind {
        UsageKind::Api(name) => format!("uses {name}"),
        UsageKind::EventHandler(name) => format!("passes an {name} handler"),
        UsageKind::ClassComponent => "defines a class component".to_owned(),
    };
    let why = if source.has_misplaced_use_client() {
        "its \"use client\" is not the first statement"
    } else {
        "it has no \"use client\" directive"
    };
    let through = match importer {
        Some(importer) => format!(" (imported by the Server Component {importer})"),
        None => String::new(),
    };
    format!(
        "{path} {what}, but {why}, so Next.js renders it as a Server Component{through}, \
         where that fails; add \"use client\"; as its first line"
    )
}

/// The route-component kind (`page`, `error`, ...) of a file of the app router, if it is
/// one.
fn route_component<'a>(path: &'a str, app_dir: &str) -> Option<&'a str> {
    let inside = path.strip_prefix(app_dir)?.strip_prefix('/')?;
    let name = inside.rsplit('/').next()?;
    let (stem, extension) = name.rsplit_once('.')?;
    let is_route = ROUTE_COMPONENTS.contains(&stem) && PAGE_EXTENSIONS.contains(&extension);
    is_route.then_some(stem)
}

#[derive(Debug, PartialEq, Eq)]
enum UsageKind {
    Api(&'static str),
    EventHandler(String),
    ClassComponent,
}

#[derive(Debug, PartialEq, Eq)]
struct ClientUsage {
    kind: UsageKind,
    offset: usize,
}

/// The first thing in the file's code that only works in a Client Component.
fn client_only_usage(source: &Source) -> Option<ClientUsage> {
    let code = source.code.as_str();
    let apis = CLIENT_ONLY_APIS.iter().filter_map(|name| {
        let offset = find_word(code, name)?;
        Some(ClientUsage {
            kind: UsageKind::Api(name),
            offset,
        })
    });
    let handler = find_event_handler(code).map(|(name, offset)| ClientUsage {
        kind: UsageKind::EventHandler(name),
        offset,
    });
    let class = ["Component", "PureComponent"].iter().find_map(|name| {
        let offset = find_extends(code, name)?;
        Some(ClientUsage {
            kind: UsageKind::ClassComponent,
            offset,
        })
    });

    apis.chain(handler)
        .chain(class)
        .min_by_key(|usage| usage.offset)
}

/// The offset of `word` as a whole identifier (`React.useState` counts).
fn find_word(code: &str, word: &str) -> Option<usize> {
    code.match_indices(word)
        .map(|(offset, _)| offset)
        .find(|&offset| {
            let before = code[..offset].chars().next_back();
            let after = code[offset + word.len()..].chars().next();
            !before.is_some_and(source::is_identifier_char)
                && !after.is_some_and(source::is_identifier_char)
        })
}

/// The first JSX event-handler attribute, such as `onClick={...}`: its name and offset.
fn find_event_handler(code: &str) -> Option<(String, usize)> {
    code.match_indices("on")
        .map(|(offset, _)| offset)
        .find_map(|offset| {
            let before = code[..offset].chars().next_back();
            if !before.is_some_and(char::is_whitespace) {
                return None;
            }

            let rest = &code[offset..];
            let name_length = rest
                .find(|c: char| !source::is_identifier_char(c))
                .unwrap_or(rest.len());
            let name = &rest[..name_length];
            let is_handler_name =
                name.len() > 2 && name[2..].starts_with(|c: char| c.is_ascii_uppercase());
            let value = rest[name_length..].trim_start().strip_prefix('=')?;
            (is_handler_name && value.trim_start().starts_with('{'))
                .then(|| (name.to_owned(), offset))
        })
}

/// The offset of `extends Component` or `extends React.Component`.
fn find_extends(code: &str, class: &str) -> Option<usize> {
    code.match_indices("extends")
        .map(|(offset, _)| offset)
        .find(|&offset| {
            let parent = code[offset + "extends".len()..].trim_start();
            let parent = parent.strip_prefix("React.").unwrap_or(parent);
            parent
                .strip_prefix(class)
                .is_some_and(|rest| !rest.starts_with(source::is_identifier_char))
        })
}

fn has_extension(path: &str, extensions: &[&str]) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, extension)| extensions.contains(&extension))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAYOUT: &str = r#"export default function RootLayout({ children }) {
  return (<html lang="en"><body>{children}</body></html>);
}
"#;
    const PAGE: &str = "export default function Page() { return <h1>Hi</h1>; }\n";

    fn check(files: &[(&str, &str)]) -> Vec<Diagnostic> {
        validate(files, &[])
    }

    fn messages(diagnostics: &[Diagnostic], severity: Severity) -> Vec<&str> {
        diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.severity == severity)
            .map(|diagnostic| diagnostic.message.as_str())
            .collect()
    }

    #[test]
    fn an_app_router_project_passes() {
        let diagnostics = check(&[
            ("package.json", "{}"),
            ("app/layout.js", LAYOUT),
            ("app/page.js", PAGE),
        ]);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    }

    #[test]
    fn src_app_and_route_groups_pass() {
        assert!(check(&[("src/app/layout.tsx", LAYOUT), ("src/app/page.tsx", PAGE)]).is_empty());
        let grouped = [
            ("app/(site)/layout.tsx", LAYOUT),
            ("app/(site)/page.tsx", PAGE),
        ];
        assert!(check(&grouped).is_empty(), "{:#?}", check(&grouped));
    }

    #[test]
    fn a_pages_router_project_passes() {
        assert!(check(&[("pages/index.jsx", PAGE), ("pages/_app.jsx", PAGE)]).is_empty());
        assert!(check(&[("src/pages/index.tsx", PAGE)]).is_empty());
    }

    #[test]
    fn a_page_without_a_layout_is_an_error() {
        // Case 08b: one app/page.tsx and nothing else.
        let diagnostics = check(&[("app/page.tsx", PAGE)]);
        assert_eq!(
            messages(&diagnostics, Severity::Error),
            ["no app/layout: app/page.tsx needs a root layout (app/layout.tsx, .jsx, .ts or .js)"]
        );
        assert_eq!(diagnostics[0].path.as_deref(), Some("app/page.tsx"));
    }

    #[test]
    fn a_nested_page_needs_a_layout_too() {
        let diagnostics = check(&[
            ("app/(site)/layout.js", LAYOUT),
            ("app/(site)/page.js", PAGE),
            ("app/about/page.js", PAGE),
        ]);
        let errors = messages(&diagnostics, Severity::Error);
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(errors[0].contains("app/about/page.js needs a root layout"));
    }

    #[test]
    fn a_reply_without_any_router_is_an_error() {
        let diagnostics = check(&[("package.json", "{}"), ("index.js", PAGE)]);
        let errors = messages(&diagnostics, Severity::Error);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("no app/layout or pages/ entry"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn a_layout_without_a_home_page_is_an_error() {
        let diagnostics = check(&[("app/layout.js", LAYOUT), ("app/about/page.js", PAGE)]);
        let errors = messages(&diagnostics, Severity::Error);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("no home page"), "{}", errors[0]);
    }

    #[test]
    fn a_private_folder_page_is_not_a_route() {
        let diagnostics = check(&[
            ("app/layout.js", LAYOUT),
            ("app/page.js", PAGE),
            ("app/_drafts/page.js", PAGE),
        ]);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    }

    #[test]
    fn app_and_pages_homes_conflict() {
        let diagnostics = check(&[
            ("app/layout.js", LAYOUT),
            ("app/page.js", PAGE),
            ("pages/index.js", PAGE),
        ]);
        assert_eq!(
            messages(&diagnostics, Severity::Error),
            ["app/page.js and pages/index.js both serve /; next build stops on the conflict"]
        );
    }

    #[test]
    fn src_app_next_to_app_is_a_warning() {
        let diagnostics = check(&[
            ("app/layout.js", LAYOUT),
            ("app/page.js", PAGE),
            ("src/app/page.js", PAGE),
        ]);
        assert_eq!(
            messages(&diagnostics, Severity::Warning),
            ["src/app/ is ignored because app/ exists at the root"]
        );
        assert!(messages(&diagnostics, Severity::Error).is_empty());
    }

    const COUNTER: &str = r#"import { useState } from "react";

export default function Page() {
  const [count, setCount] = useState(0);
  return <button onClick={() => setCount(count + 1)}>Clicked {count} times</button>;
}
"#;

    #[test]
    fn a_server_page_using_state_is_a_warning_naming_the_file() {
        // Case 09.
        let diagnostics = check(&[("app/layout.js", LAYOUT), ("app/page.js", COUNTER)]);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        let warning = &diagnostics[0];
        assert_eq!(warning.severity, Severity::Warning);
        assert_eq!(warning.path.as_deref(), Some("app/page.js"));
        assert_eq!(warning.line, Some(1));
        assert_eq!(
            warning.message,
            "app/page.js uses useState, but it has no \"use client\" directive, so Next.js \
             renders it as a Server Component, where that fails; add \"use client\"; as its \
             first line"
        );
    }

    #[test]
    fn use_client_as_the_first_statement_silences_the_warning() {
        let client = format!("\"use client\";\n{COUNTER}");
        assert!(check(&[("app/layout.js", LAYOUT), ("app/page.js", &client)]).is_empty());
        let commented = format!("// A counter.\n'use client'\n{COUNTER}");
        assert!(check(&[("app/layout.js", LAYOUT), ("app/page.js", &commented)]).is_empty());
    }

    #[test]
    fn a_misplaced_use_client_is_named() {
        let late = COUNTER.replace("\nexport default", "\n\"use client\";\nexport default");
        let diagnostics = check(&[("app/layout.js", LAYOUT), ("app/page.js", &late)]);
        let warnings = messages(&diagnostics, Severity::Warning);
        assert_eq!(warnings.len(), 2, "{warnings:#?}");
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("has \"use client\" after other statements"))
        );
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("its \"use client\" is not the first statement"))
        );
    }

    #[test]
    fn an_event_handler_alone_is_a_warning() {
        let page = r#"export default function Page() {
  return <button onClick={() => alert(1)}>Hi</button>;
}
"#;
        let diagnostics = check(&[("app/layout.js", LAYOUT), ("app/page.js", page)]);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        assert!(
            diagnostics[0]
                .message
                .starts_with("app/page.js passes an onClick handler")
        );
        assert_eq!(diagnostics[0].line, Some(2));
    }

    #[test]
    fn a_class_component_is_a_warning() {
        let page = r#"import React from 'react';
export default class Page extends React.Component {
  render() { return <p/>; }
}
"#;
        let diagnostics = check(&[("app/layout.js", LAYOUT), ("app/page.js", page)]);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        assert!(diagnostics[0].message.contains("defines a class component"));
    }

    #[test]
    fn hooks_in_comments_strings_and_other_names_are_not_usage() {
        let page = r#"// useState would be nice here
const note = "useEffect is for clients";
const useStateLike = 1;
export default function Page({ onClick }) { return <p title="onClick={x}">{note}</p>; }
"#;
        assert!(check(&[("app/layout.js", LAYOUT), ("app/page.js", page)]).is_empty());
    }

    #[test]
    fn an_imported_component_without_use_client_is_named_with_its_importer() {
        let page = r#"import Counter from "../components/Counter";
export default function Page() { return <Counter />; }
"#;
        let counter = COUNTER.replace("Page", "Counter");
        let files = [
            ("app/layout.js", LAYOUT),
            ("app/page.js", page),
            ("components/Counter.js", counter.as_str()),
        ];
        let diagnostics = check(&files);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        assert_eq!(
            diagnostics[0].path.as_deref(),
            Some("components/Counter.js")
        );
        assert!(
            diagnostics[0]
                .message
                .contains("(imported by the Server Component app/page.js)")
        );
    }

    #[test]
    fn components_below_a_client_boundary_are_not_server_components() {
        let page = r#"import Shell from "@/components/Shell";
export default function Page() { return <Shell />; }
"#;
        let shell = r#""use client";
import Counter from "./Counter";
export default function Shell() { return <Counter />; }
"#;
        let counter = COUNTER.replace("Page", "Counter");
        let files = [
            ("app/layout.js", LAYOUT),
            ("app/page.js", page),
            ("components/Shell.js", shell),
            ("components/Counter.js", counter.as_str()),
        ];
        let diagnostics = check(&files);
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    }

    #[test]
    fn an_error_file_must_be_a_client_component() {
        let error = "export default function Error() { return <p>Oops</p>; }\n";
        let diagnostics = check(&[
            ("app/layout.js", LAYOUT),
            ("app/page.js", PAGE),
            ("app/error.js", error),
        ]);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        assert!(
            diagnostics[0]
                .message
                .starts_with("app/error.js must be a Client Component")
        );
    }

    #[test]
    fn hooks_in_the_pages_router_are_fine() {
        assert!(check(&[("pages/index.js", COUNTER)]).is_empty());
    }

    #[test]
    fn an_unresolved_local_import_is_an_error_naming_importer_and_specifier() {
        // Case 02: components/Footer was never written.
        let page = r#"import Features from "../components/Features";
import Footer from "../components/Footer";

export default function Page() {
  return (<main><Features /><Footer /></main>);
}
"#;
        let files = [
            ("package.json", "{}"),
            ("app/layout.js", LAYOUT),
            ("app/page.js", page),
            (
                "components/Features.js",
                "const items = [\n  { title: \"Cheap\", body: \"Pay for what you",
            ),
        ];
        let diagnostics = check(&files);
        assert_eq!(
            messages(&diagnostics, Severity::Error),
            [
                "app/page.js imports \"../components/Footer\", but the reply has no \
              components/Footer (.tsx, .ts, .jsx, .js or /index)"
            ]
        );
        let error = diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
            .unwrap();
        assert_eq!(error.path.as_deref(), Some("app/page.js"));
        assert_eq!(error.line, Some(2));
    }

    #[test]
    fn a_missing_stylesheet_is_named_as_written() {
        let layout = format!("import \"./globals.css\";\n{LAYOUT}");
        let diagnostics = check(&[("app/layout.js", &layout), ("app/page.js", PAGE)]);
        assert_eq!(
            messages(&diagnostics, Severity::Error),
            ["app/layout.js imports \"./globals.css\", but the reply has no app/globals.css"]
        );
    }

    #[test]
    fn alias_imports_follow_tsconfig_paths() {
        let tsconfig = r#"{ "compilerOptions": { "paths": { "@/*": ["./src/*"] } } }"#;
        let page = r#"import Nav from "@/components/Nav";
export default function Page() { return <Nav />; }
"#;
        let files = [
            ("tsconfig.json", tsconfig),
            ("src/app/layout.tsx", LAYOUT),
            ("src/app/page.tsx", page),
            ("components/Nav.tsx", PAGE),
        ];
        let errors: Vec<String> = messages(&check(&files), Severity::Error)
            .iter()
            .map(|m| m.to_string())
            .collect();
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert!(errors[0].contains("src/components/Nav"), "{}", errors[0]);

        let files = [
            files[0],
            files[1],
            files[2],
            ("src/components/Nav.tsx", PAGE),
        ];
        assert!(check(&files).is_empty());
    }

    #[test]
    fn settings_are_rejected() {
        let settings = [("strict".to_owned(), "true".to_owned())];
        let diagnostics = validate(
            &[("app/layout.js", LAYOUT), ("app/page.js", PAGE)],
            &settings,
        );
        assert_eq!(
            messages(&diagnostics, Severity::Error),
            ["unknown setting `strict`; nextjs-structure takes no settings"]
        );
    }

    #[test]
    fn event_handler_search_needs_an_attribute() {
        assert_eq!(
            find_event_handler(" onClick={go}"),
            Some(("onClick".to_owned(), 1))
        );
        assert_eq!(
            find_event_handler(" onSubmit = {go}"),
            Some(("onSubmit".to_owned(), 1))
        );
        assert_eq!(find_event_handler(" once={go}"), None);
        assert_eq!(find_event_handler(" onClick: () => void"), None);
        assert_eq!(find_event_handler("button.onclick={go}"), None);
    }
}
