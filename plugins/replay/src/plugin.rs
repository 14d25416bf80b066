//! The component's exports: the provider interface over `replay`, streaming through the
//! host's `reply-stream`.

use crate::replay::{self, Finish, Options};

wit_bindgen::generate!({
    path: "../../wit",
    world: "vibe-arena:plugin/provider-plugin",
});

use exports::vibe_arena::plugin::provider::{
    FinishReason, GenerateRequest, Generation, Guest, ModelInfo, ProviderInfo, TokenUsage,
};
use vibe_arena::plugin::reply_stream;

struct Replay;

impl Guest for Replay {
    fn describe() -> ProviderInfo {
        ProviderInfo {
            id: "replay".into(),
            display_name: "Replay".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            models: vec![ModelInfo {
                id: "recorded".into(),
                display_name: "Recorded reply".into(),
                // A recording has no real limits; these only have to be large enough.
                context_tokens: 1_000_000,
                max_output_tokens: 1_000_000,
                input_price_per_mtok: 0.0,
                output_price_per_mtok: 0.0,
            }],
            secrets: Vec::new(),
            hosts: Vec::new(),
        }
    }

    fn generate(request: GenerateRequest) -> Generation {
        let input_tokens = replay::estimate_tokens(&request.system_prompt)
            + replay::estimate_tokens(&request.user_prompt);
        let options = match Options::from_params(&request.params) {
            Ok(options) => options,
            Err(message) => {
                return Generation {
                    usage: TokenUsage {
                        input_tokens,
                        output_tokens: 0,
                    },
                    finish: FinishReason::Error(message),
                };
            }
        };

        replay::replay(&options, reply_stream::emit, std::thread::sleep);
        let finish = match options.finish {
            Finish::Stop => FinishReason::Stop,
            Finish::Length => FinishReason::Length,
        };
        let output_tokens = replay::estimate_tokens(options.reply);
        Generation {
            usage: TokenUsage {
                input_tokens,
                output_tokens,
            },
            finish,
        }
    }
}

export!(Replay);
