//! Host-side bindings for the plugin worlds in `wit/arena.wit`.
//!
//! The provider world's imports are a superset of the others', so its bindings define the
//! shared interfaces and the validator and scorer bindings reuse them through `with`.

pub mod provider {
    wasmtime::component::bindgen!({
        path: "wit",
        world: "vibe-arena:plugin/provider-plugin",
        imports: { default: async | trappable },
        exports: { default: async },
        with: {
            "vibe-arena:plugin/outbound-http/body": crate::plugin::outbound::ResponseBody,
        },
    });
}

pub mod validator {
    wasmtime::component::bindgen!({
        path: "wit",
        world: "vibe-arena:plugin/validator-plugin",
        imports: { default: async | trappable },
        exports: { default: async },
        with: {
            "vibe-arena:plugin/types": super::provider::vibe_arena::plugin::types,
            "vibe-arena:plugin/logging": super::provider::vibe_arena::plugin::logging,
        },
    });
}

pub mod scorer {
    wasmtime::component::bindgen!({
        path: "wit",
        world: "vibe-arena:plugin/scorer-plugin",
        imports: { default: async | trappable },
        exports: { default: async },
        with: {
            "vibe-arena:plugin/types": super::provider::vibe_arena::plugin::types,
            "vibe-arena:plugin/logging": super::provider::vibe_arena::plugin::logging,
        },
    });
}

pub mod page_scorer {
    wasmtime::component::bindgen!({
        path: "wit",
        world: "vibe-arena:plugin/page-scorer-plugin",
        imports: { default: async | trappable },
        exports: { default: async },
        with: {
            "vibe-arena:plugin/types": super::provider::vibe_arena::plugin::types,
            "vibe-arena:plugin/logging": super::provider::vibe_arena::plugin::logging,
        },
    });
}

pub use page_scorer::exports::vibe_arena::plugin::page_scorer as page_scorer_api;
pub use provider::exports::vibe_arena::plugin::provider as provider_api;
pub use provider::vibe_arena::plugin::types;
pub use scorer::exports::vibe_arena::plugin::scorer as scorer_api;
pub use validator::exports::vibe_arena::plugin::validator as validator_api;
