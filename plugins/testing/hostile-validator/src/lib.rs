//! `hostile-validator`, for the host's tests only: misbehaves as its `behaviour` setting
//! says (`trap`, `loop`, `memory`), or passes every tree (`fine`), so tests can check that
//! the pipeline's limits hold for validators as they do for providers.

wit_bindgen::generate!({
    path: "../../../wit",
    world: "vibe-arena:plugin/validator-plugin",
});

use exports::vibe_arena::plugin::validator::{Guest, Validation};
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
        Validation {
            diagnostics: Vec::new(),
            edits: Vec::new(),
        }
    }
}

export!(HostileValidator);
