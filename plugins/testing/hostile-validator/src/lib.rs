//! `hostile-validator`, for the host's tests only: misbehaves as its `behaviour` setting
//! says (`trap`, `loop`, `memory`, `flood`: ten thousand diagnostics), or passes every tree
//! (`fine`), so tests can check that the pipeline's limits hold for validators as they do
//! for providers.

wit_bindgen::generate!({
    path: "../../../wit",
    world: "vibe-arena:plugin/validator-plugin",
});

use exports::vibe_arena::plugin::validator::{Diagnostic, Guest, Severity, Validation};
use vibe_arena::plugin::types::{PluginInfo, Settings, SourceFile};

struct HostileValidator;

impl Guest for HostileValidator {
    fn describe() -> PluginInfo {
        PluginInfo {
            id: "hostile-validator".into(),
            display_name: "Hostile validator (tests only)".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Traps, loops or hoards memory on request.".into(),
        }
    }

    fn validate(_files: Vec<SourceFile>, settings: Settings) -> Validation {
        misbehave::misbehave(&settings);
        // `flood`: far more diagnostics than anyone reads, the one error that matters last.
        let mut diagnostics = Vec::new();
        if misbehave::behaviour(&settings) == "flood" {
            for n in 0..10_000 {
                diagnostics.push(Diagnostic {
                    severity: Severity::Warning,
                    path: None,
                    line: Some(n),
                    message: "noise ".repeat(1000),
                });
            }
            diagnostics.push(Diagnostic {
                severity: Severity::Error,
                path: None,
                line: None,
                message: "the one real error".into(),
            });
        }
        Validation {
            diagnostics,
            edits: Vec::new(),
        }
    }
}

export!(HostileValidator);
