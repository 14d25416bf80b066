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
        misbehave(&settings);
        Validation {
            diagnostics: Vec::new(),
            edits: Vec::new(),
        }
    }
}

fn misbehave(settings: &Settings) {
    let behaviour = settings
        .iter()
        .find(|(key, _)| key == "behaviour")
        .map_or("fine", |(_, value)| value.as_str());
    match behaviour {
        "trap" => panic!("hostile-validator traps on purpose"),
        "loop" => {
            let mut n: u64 = 0;
            loop {
                n = std::hint::black_box(n.wrapping_add(1));
            }
        }
        "memory" => {
            let mut hoard: Vec<Vec<u8>> = Vec::new();
            loop {
                hoard.push(vec![1; 16 << 20]);
                std::hint::black_box(&hoard);
            }
        }
        _ => {}
    }
}

export!(HostileValidator);
