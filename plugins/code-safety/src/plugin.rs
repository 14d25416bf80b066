//! The component's exports: WIT types in, `check::check` over plain data, WIT types out.

use crate::check::{self, Severity};

wit_bindgen::generate!({
    path: "../../wit",
    world: "vibe-arena:plugin/validator-plugin",
});

use exports::vibe_arena::plugin::validator::{self as api, Guest};
use vibe_arena::plugin::types::{PluginInfo, Settings, SourceFile};

struct CodeSafety;

impl Guest for CodeSafety {
    fn describe() -> PluginInfo {
        PluginInfo {
            id: "code-safety".into(),
            display_name: "Code safety".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Refuses code that reads the environment for secrets, spawns \
                          processes, mines, or fetches code and runs it."
                .into(),
        }
    }

    fn validate(files: Vec<SourceFile>, settings: Settings) -> api::Validation {
        let refuse = match settings.iter().find(|(key, _)| key == "refuse") {
            None => true,
            Some((_, value)) if value == "true" => true,
            Some((_, value)) if value == "false" => false,
            Some((_, value)) => {
                return api::Validation {
                    diagnostics: vec![api::Diagnostic {
                        severity: api::Severity::Error,
                        path: None,
                        line: None,
                        message: format!("setting refuse = {value:?} must be true or false"),
                    }],
                    edits: Vec::new(),
                };
            }
        };
        let tree: Vec<(&str, &str)> = files
            .iter()
            .map(|file| (file.path.as_str(), file.contents.as_str()))
            .collect();
        let diagnostics = check::check(&tree)
            .into_iter()
            .map(|finding| api::Diagnostic {
                severity: match finding.severity {
                    Severity::Error if refuse => api::Severity::Error,
                    _ => api::Severity::Warning,
                },
                path: Some(finding.path),
                line: Some(finding.line),
                message: finding.message,
            })
            .collect();
        api::Validation {
            diagnostics,
            edits: Vec::new(),
        }
    }
}

export!(CodeSafety);
