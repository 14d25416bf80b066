//! The component's exports: WIT types in, `check::validate` over plain data, WIT types out.

use crate::check::{self, Severity};

wit_bindgen::generate!({
    path: "../../wit",
    world: "vibe-arena:plugin/validator-plugin",
});

use exports::vibe_arena::plugin::validator::{self as api, Guest};
use vibe_arena::plugin::types::{PluginInfo, Settings, SourceFile};

struct NextjsStructure;

impl Guest for NextjsStructure {
    fn describe() -> PluginInfo {
        PluginInfo {
            id: "nextjs-structure".into(),
            display_name: "Next.js structure".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Checks that the project has a buildable entry (app/page with \
                          app/layout, or pages/index), that local imports resolve, and that \
                          components using client-only APIs say \"use client\"."
                .into(),
        }
    }

    fn validate(files: Vec<SourceFile>, settings: Settings) -> api::Validation {
        let tree: Vec<(&str, &str)> = files
            .iter()
            .map(|file| (file.path.as_str(), file.contents.as_str()))
            .collect();
        let diagnostics = check::validate(&tree, &settings)
            .into_iter()
            .map(to_wit)
            .collect();
        api::Validation {
            diagnostics,
            edits: Vec::new(),
        }
    }
}

fn to_wit(diagnostic: check::Diagnostic) -> api::Diagnostic {
    let severity = match diagnostic.severity {
        Severity::Error => api::Severity::Error,
        Severity::Warning => api::Severity::Warning,
    };
    api::Diagnostic {
        severity,
        path: diagnostic.path,
        line: diagnostic.line,
        message: diagnostic.message,
    }
}

export!(NextjsStructure);
