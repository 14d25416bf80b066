//! `example-validator`: the smallest validator worth copying. It warns about files larger
//! than a limit (setting `max-kib`, default 64) and refuses a project without
//! `package.json`. A validator sees the whole file tree after earlier validators' edits and
//! may also fix it by returning edits; this one only reports.
//!
//! To use it, list it in a pipeline:
//!
//! ```toml
//! [[validators]]
//! plugin = "example-validator"
//! settings = { max-kib = 32 }
//! ```

wit_bindgen::generate!({
    path: "../../wit",
    world: "vibe-arena:plugin/validator-plugin",
});

use exports::vibe_arena::plugin::validator::{Diagnostic, Guest, Severity, Validation};
use vibe_arena::plugin::types::{PluginInfo, Settings, SourceFile};

struct ExampleValidator;

impl Guest for ExampleValidator {
    fn describe() -> PluginInfo {
        PluginInfo {
            id: "example-validator".into(),
            display_name: "Example validator".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "Warns about large files; refuses a project without package.json.".into(),
        }
    }

    fn validate(files: Vec<SourceFile>, settings: Settings) -> Validation {
        let max_kib = match setting(&settings, "max-kib") {
            None => 64,
            Some(value) => match value.parse::<usize>() {
                Ok(kib) => kib,
                // A bad setting is the pipeline author's mistake: say so on every run.
                Err(_) => {
                    return refuse(format!("setting max-kib = {value:?} is not a whole number"));
                }
            },
        };

        let mut diagnostics = Vec::new();
        if !files.iter().any(|file| file.path == "package.json") {
            diagnostics.push(Diagnostic {
                severity: Severity::Error,
                path: None,
                line: None,
                message: "the project has no package.json, so it cannot install".into(),
            });
        }
        for file in files
            .iter()
            .filter(|file| file.contents.len() > max_kib * 1024)
        {
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                path: Some(file.path.clone()),
                line: None,
                message: format!(
                    "{} KiB, over the {max_kib} KiB this pipeline expects of one file",
                    file.contents.len().div_ceil(1024)
                ),
            });
        }
        Validation {
            diagnostics,
            edits: Vec::new(),
        }
    }
}

fn setting<'a>(settings: &'a Settings, name: &str) -> Option<&'a str> {
    settings
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

fn refuse(message: String) -> Validation {
    Validation {
        diagnostics: vec![Diagnostic {
            severity: Severity::Error,
            path: None,
            line: None,
            message,
        }],
        edits: Vec::new(),
    }
}

export!(ExampleValidator);
