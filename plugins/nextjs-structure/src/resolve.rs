//! Resolves local module specifiers (`./x`, `../components/Footer`, `@/lib/data`) to files
//! of the reply, the way Next.js's bundler would.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::source::Source;

/// What a bare `./x` may stand for, in the order webpack tries them in a Next.js project.
const EXTENSIONS: [&str; 7] = [".tsx", ".ts", ".jsx", ".js", ".mjs", ".cjs", ".json"];

/// Suffixes a TypeScript-style import (`./x.js` meaning `./x.ts`) may be written with.
const SCRIPT_EXTENSIONS: [&str; 4] = [".js", ".jsx", ".mjs", ".cjs"];

#[derive(Debug, PartialEq, Eq)]
pub enum Resolution<'a> {
    /// A file of the reply.
    File(&'a str),
    /// A local specifier that matches no file; `base` is the first path tried, without an
    /// extension, for the message.
    Missing { base: String },
    /// A package (`react`, `next/link`) or something this resolver does not model.
    NotLocal,
}

/// A `compilerOptions.paths` entry: `@/*` → `src/*` has prefix `@/` and target `src/`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Alias {
    prefix: String,
    wildcard: bool,
    targets: Vec<String>,
}

pub struct Resolver<'a> {
    files: BTreeSet<&'a str>,
    aliases: Vec<Alias>,
}

impl<'a> Resolver<'a> {
    /// A resolver over the reply's paths, with the aliases of its `tsconfig.json` (or
    /// `jsconfig.json`). Without one that maps `@/*`, `@/` means the project root or `src/`,
    /// so that the common alias is not reported as missing on a guess.
    pub fn new(files: &[(&'a str, &'a str)]) -> Self {
        let config = ["tsconfig.json", "jsconfig.json"]
            .iter()
            .find_map(|name| files.iter().find(|(path, _)| path == name))
            .map(|(_, contents)| *contents);
        let mut aliases = config.map(read_aliases).unwrap_or_default();
        if !aliases.iter().any(|alias| alias.prefix == "@/") {
            let targets = vec![String::new(), "src/".to_owned()];
            aliases.push(Alias {
                prefix: "@/".to_owned(),
                wildcard: true,
                targets,
            });
        }

        Resolver {
            files: files.iter().map(|(path, _)| *path).collect(),
            aliases,
        }
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files.contains(path)
    }

    /// Resolves `specifier` as imported by the file at `importer`.
    pub fn resolve(&self, importer: &str, specifier: &str) -> Resolution<'a> {
        // `./icon.svg?url`, `./page#section`: the query is for the bundler's loaders. A
        // leading `#` is a subpath import (`#config`), not a fragment.
        let specifier = specifier.split('?').next().unwrap_or_default();
        let specifier = match specifier.char_indices().skip(1).find(|(_, c)| *c == '#') {
            Some((fragment, _)) => &specifier[..fragment],
            None => specifier,
        };

        let bases: Vec<Option<String>> = if is_relative(specifier) {
            let directory = importer
                .rsplit_once('/')
                .map_or("", |(directory, _)| directory);
            vec![normalise(&format!("{directory}/{specifier}"))]
        } else if let Some(targets) = self.alias_targets(specifier) {
            targets.iter().map(|target| normalise(target)).collect()
        } else {
            return Resolution::NotLocal;
        };

        for base in bases.iter().flatten() {
            if let Some(file) = self.find(base) {
                return Resolution::File(file);
            }
        }
        // A path above the project root is missing too: nothing outside the workspace exists
        // for the build.
        let base = bases
            .into_iter()
            .flatten()
            .next()
            .unwrap_or_else(|| specifier.to_owned());
        Resolution::Missing { base }
    }

    /// The candidate paths for an aliased specifier, or `None` when no alias matches.
    fn alias_targets(&self, specifier: &str) -> Option<Vec<String>> {
        let alias = self.aliases.iter().find(|alias| {
            if alias.wildcard {
                specifier.starts_with(&alias.prefix)
            } else {
                specifier == alias.prefix
            }
        })?;
        let rest = if alias.wildcard {
            &specifier[alias.prefix.len()..]
        } else {
            ""
        };
        Some(
            alias
                .targets
                .iter()
                .map(|target| format!("{target}{rest}"))
                .collect(),
        )
    }

    fn find(&self, base: &str) -> Option<&'a str> {
        let mut candidates = vec![base.to_owned()];
        for extension in EXTENSIONS {
            candidates.push(format!("{base}{extension}"));
        }
        for extension in EXTENSIONS {
            candidates.push(format!("{base}/index{extension}"));
        }
        if let Some(stem) = SCRIPT_EXTENSIONS
            .iter()
            .find_map(|ext| base.strip_suffix(ext))
        {
            candidates.extend([".ts", ".tsx", ".mts"].map(|ext| format!("{stem}{ext}")));
        }

        candidates
            .iter()
            .find_map(|candidate| self.files.get(candidate.as_str()).copied())
    }
}

fn is_relative(specifier: &str) -> bool {
    specifier == "."
        || specifier == ".."
        || specifier.starts_with("./")
        || specifier.starts_with("../")
}

/// Folds `.` and `..` out of a `/`-separated path relative to the root. `None` when it climbs
/// above the root.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// The `compilerOptions.paths` of a tsconfig, relative to the project root. The file may have
/// comments and trailing commas, as TypeScript allows; one that still does not parse gives
/// no aliases.
fn read_aliases(config: &str) -> Vec<Alias> {
    let json = without_trailing_commas(&Source::new(config).uncommented);
    let Ok(config) = serde_json::from_str::<Value>(&json) else {
        return Vec::new();
    };
    let options = &config["compilerOptions"];
    let base_url = options["baseUrl"].as_str().unwrap_or(".");
    let Some(paths) = options["paths"].as_object() else {
        return Vec::new();
    };

    let mut aliases = Vec::new();
    for (pattern, targets) in paths {
        let wildcard = pattern.ends_with('*');
        let prefix = pattern.trim_end_matches('*').to_owned();
        let targets = targets
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter_map(|target| normalise(&format!("{base_url}/{}", target.trim_end_matches('*'))))
            .map(|target| {
                if wildcard && !target.is_empty() {
                    format!("{target}/")
                } else {
                    target
                }
            })
            .collect();
        aliases.push(Alias {
            prefix,
            wildcard,
            targets,
        });
    }
    aliases
}

/// Drops the commas JSON forbids before `}` and `]`, outside strings.
fn without_trailing_commas(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for (index, c) in json.char_indices() {
        if in_string {
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
        } else if c == '"' {
            in_string = true;
        } else if c == ',' && json[index + 1..].trim_start().starts_with(['}', ']']) {
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolver<'a>(files: &'a [(&'a str, &'a str)]) -> Resolver<'a> {
        Resolver::new(files)
    }

    #[test]
    fn relative_imports_try_extensions_and_index_files() {
        let files = [
            ("app/page.js", ""),
            ("components/Hero.tsx", ""),
            ("components/ui/index.ts", ""),
            ("app/globals.css", ""),
            ("lib/data.json", ""),
            ("lib/util.mjs", ""),
        ];
        let resolver = resolver(&files);
        let resolve = |specifier| resolver.resolve("app/page.js", specifier);
        assert_eq!(
            resolve("../components/Hero"),
            Resolution::File("components/Hero.tsx")
        );
        assert_eq!(
            resolve("../components/ui"),
            Resolution::File("components/ui/index.ts")
        );
        assert_eq!(
            resolve("./globals.css"),
            Resolution::File("app/globals.css")
        );
        assert_eq!(
            resolve("../lib/data.json"),
            Resolution::File("lib/data.json")
        );
        assert_eq!(resolve("../lib/util"), Resolution::File("lib/util.mjs"));
        assert_eq!(
            resolve("./globals.css?inline"),
            Resolution::File("app/globals.css")
        );
        assert_eq!(
            resolve("./globals.css#top"),
            Resolution::File("app/globals.css")
        );
        assert_eq!(resolve("react"), Resolution::NotLocal);
        assert_eq!(resolve("next/link"), Resolution::NotLocal);
    }

    #[test]
    fn a_missing_relative_import_names_the_path_tried() {
        let files = [("app/page.js", "")];
        let resolution = resolver(&files).resolve("app/page.js", "../components/Footer");
        assert_eq!(
            resolution,
            Resolution::Missing {
                base: "components/Footer".into()
            }
        );
    }

    #[test]
    fn an_import_above_the_root_is_missing() {
        let files = [("app/page.js", ""), ("secret.js", "")];
        let resolution = resolver(&files).resolve("app/page.js", "../../secret");
        assert!(
            matches!(resolution, Resolution::Missing { .. }),
            "{resolution:?}"
        );
    }

    #[test]
    fn a_js_suffix_may_name_a_typescript_file() {
        let files = [("app/page.tsx", ""), ("lib/data.ts", "")];
        let resolution = resolver(&files).resolve("app/page.tsx", "../lib/data.js");
        assert_eq!(resolution, Resolution::File("lib/data.ts"));
    }

    #[test]
    fn the_at_alias_defaults_to_the_root_or_src() {
        let files = [
            ("app/page.tsx", ""),
            ("components/Nav.tsx", ""),
            ("src/lib/api.ts", ""),
        ];
        let resolver = resolver(&files);
        let resolve = |specifier| resolver.resolve("app/page.tsx", specifier);
        assert_eq!(
            resolve("@/components/Nav"),
            Resolution::File("components/Nav.tsx")
        );
        assert_eq!(resolve("@/lib/api"), Resolution::File("src/lib/api.ts"));
        assert_eq!(
            resolve("@/lib/gone"),
            Resolution::Missing {
                base: "lib/gone".into()
            }
        );
        // A scoped package is not the alias.
        assert_eq!(resolve("@vercel/analytics"), Resolution::NotLocal);
    }

    #[test]
    fn tsconfig_paths_with_comments_and_trailing_commas_are_read() {
        let tsconfig = r##"{
  // Written by create-next-app.
  "compilerOptions": {
    "strict": true,
    "paths": { "@/*": ["./src/*"], "~lib/*": ["./lib/*",], "#config": ["./config.ts"] },
  },
}"##;
        let files = [
            ("tsconfig.json", tsconfig),
            ("src/app/page.tsx", ""),
            ("src/components/Nav.tsx", ""),
            ("components/Nav.tsx", ""),
            ("lib/format.ts", ""),
            ("config.ts", ""),
        ];
        let resolver = resolver(&files);
        let resolve = |specifier| resolver.resolve("src/app/page.tsx", specifier);
        assert_eq!(
            resolve("@/components/Nav"),
            Resolution::File("src/components/Nav.tsx")
        );
        assert_eq!(resolve("~lib/format"), Resolution::File("lib/format.ts"));
        assert_eq!(resolve("#config"), Resolution::File("config.ts"));
        assert_eq!(
            resolve("@/lib/format"),
            Resolution::Missing {
                base: "src/lib/format".into()
            }
        );
    }

    #[test]
    fn base_url_applies_to_paths() {
        let tsconfig = r#"{ "compilerOptions": { "baseUrl": "src", "paths": { "@/*": ["*"] } } }"#;
        let files = [
            ("tsconfig.json", tsconfig),
            ("src/app/page.tsx", ""),
            ("src/ui/Button.jsx", ""),
        ];
        let resolution = resolver(&files).resolve("src/app/page.tsx", "@/ui/Button");
        assert_eq!(resolution, Resolution::File("src/ui/Button.jsx"));
    }

    #[test]
    fn trailing_commas_inside_strings_are_kept() {
        assert_eq!(
            without_trailing_commas(r#"{"a": ",}", "b": [1,],}"#),
            r#"{"a": ",}", "b": [1]}"#
        );
    }
}
