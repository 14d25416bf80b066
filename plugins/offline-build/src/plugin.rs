//! The component's exports: WIT types in, `check::check` over plain data, WIT types out.

use crate::check::{self, Fonts, Severity};

wit_bindgen::generate!({
    path: "../../wit",
    world: "vibe-arena:plugin/validator-plugin",
});

use exports::vibe_arena::plugin::validator::{self as api, Guest};
use vibe_arena::plugin::types::{PluginInfo, Settings, SourceFile};

struct OfflineBuild;

impl Guest for OfflineBuild {
    fn describe() -> PluginInfo {
        PluginInfo {
            id: "offline-build".into(),
            display_name: "Offline build".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Rewrites next/font/google to local font stacks, refuses scripts \
                          that download while building, warns about server-side fetches."
                .into(),
        }
    }

    fn validate(files: Vec<SourceFile>, settings: Settings) -> api::Validation {
        let setting = |name: &str| {
            settings
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
        };
        match setting("network") {
            None | Some("registry-only") => {}
            Some("open") => return validation(Vec::new(), Vec::new()),
            Some(other) => {
                return refuse(format!(
                    "setting network = {other:?} must be \"registry-only\" or \"open\""
                ));
            }
        }
        let fonts = match setting("fonts") {
            None | Some("rewrite") => Fonts::Rewrite,
            Some("refuse") => Fonts::Refuse,
            Some(other) => {
                return refuse(format!(
                    "setting fonts = {other:?} must be \"rewrite\" or \"refuse\""
                ));
            }
        };
        let tree: Vec<(&str, &str)> = files
            .iter()
            .map(|file| (file.path.as_str(), file.contents.as_str()))
            .collect();
        let outcome = check::check(&tree, fonts);
        let diagnostics = outcome
            .findings
            .into_iter()
            .map(|finding| api::Diagnostic {
                severity: match finding.severity {
                    Severity::Error => api::Severity::Error,
                    Severity::Warning => api::Severity::Warning,
                },
                path: finding.path,
                line: finding.line,
                message: finding.message,
            })
            .collect();
        let edits = outcome
            .writes
            .into_iter()
            .map(|write| {
                api::Edit::Write(SourceFile {
                    path: write.path,
                    contents: write.contents,
                })
            })
            .collect();
        validation(diagnostics, edits)
    }
}

fn validation(diagnostics: Vec<api::Diagnostic>, edits: Vec<api::Edit>) -> api::Validation {
    api::Validation { diagnostics, edits }
}

fn refuse(message: String) -> api::Validation {
    validation(
        vec![api::Diagnostic {
            severity: api::Severity::Error,
            path: None,
            line: None,
            message,
        }],
        Vec::new(),
    )
}

export!(OfflineBuild);
