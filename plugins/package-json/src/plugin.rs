//! The component's exports: WIT types in, `check::validate` over plain data, WIT types out.

use crate::check::{self, Severity};

wit_bindgen::generate!({
    path: "../../wit",
    world: "vibe-arena:plugin/validator-plugin",
});

use exports::vibe_arena::plugin::validator::{self as api, Guest};
use vibe_arena::plugin::types::{PluginInfo, Settings, SourceFile};

struct PackageJson;

impl Guest for PackageJson {
    fn describe() -> PluginInfo {
        PluginInfo {
            id: "package-json".into(),
            display_name: "package.json".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Checks package.json: valid JSON, next/react dependencies, build and \
                          start scripts (added when missing), versions npm would reject."
                .into(),
        }
    }

    fn validate(files: Vec<SourceFile>, settings: Settings) -> api::Validation {
        let tree: Vec<(&str, &str)> = files
            .iter()
            .map(|file| (file.path.as_str(), file.contents.as_str()))
            .collect();
        let report = check::validate(&tree, &settings);

        let diagnostics = report.diagnostics.into_iter().map(to_wit).collect();
        let edits = report
            .rewritten
            .map(|contents| {
                api::Edit::Write(SourceFile {
                    path: "package.json".into(),
                    contents,
                })
            })
            .into_iter()
            .collect();
        api::Validation { diagnostics, edits }
    }
}

fn to_wit(diagnostic: check::Diagnostic) -> api::Diagnostic {
    let severity = match diagnostic.severity {
        Severity::Error => api::Severity::Error,
        Severity::Warning => api::Severity::Warning,
        Severity::Info => api::Severity::Info,
    };
    api::Diagnostic {
        severity,
        path: diagnostic.path,
        line: diagnostic.line,
        message: diagnostic.message,
    }
}

export!(PackageJson);
