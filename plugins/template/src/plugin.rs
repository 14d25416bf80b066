//! The component's exports: WIT types in, [`crate::answer`] over plain data, the reply
//! streamed back through `reply-stream`.

use crate::style::Style;
use crate::{CONTEXT_TOKENS, MAX_OUTPUT_TOKENS, Request, reply};

wit_bindgen::generate!({
    path: "../../wit",
    world: "vibe-arena:plugin/provider-plugin",
});

use exports::vibe_arena::plugin::provider::{
    FinishReason, GenerateRequest, Generation, Guest, ModelInfo, ProviderInfo, TokenUsage,
};
use vibe_arena::plugin::logging;
use vibe_arena::plugin::reply_stream;
use vibe_arena::plugin::types::LogLevel;

/// Bytes per `reply-stream.emit` call: small enough that the arena shows the reply growing.
const CHUNK_BYTES: usize = 640;

struct Template;

impl Guest for Template {
    fn describe() -> ProviderInfo {
        let models = Style::ALL
            .iter()
            .map(|style| ModelInfo {
                id: style.id().into(),
                display_name: style.display_name().into(),
                context_tokens: CONTEXT_TOKENS,
                max_output_tokens: MAX_OUTPUT_TOKENS,
                input_price_per_mtok: 0.0,
                output_price_per_mtok: 0.0,
            })
            .collect();
        ProviderInfo {
            id: "template".into(),
            display_name: "Offline template".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            models,
            secrets: Vec::new(),
            hosts: Vec::new(),
        }
    }

    fn generate(request: GenerateRequest) -> Generation {
        let plain = Request {
            system_prompt: &request.system_prompt,
            user_prompt: &request.user_prompt,
            model: &request.model,
            params: &request.params,
        };
        let answer = match crate::answer(&plain) {
            Ok(answer) => answer,
            Err(message) => {
                logging::log(LogLevel::Warn, &format!("template: {message}"));
                let usage = TokenUsage {
                    input_tokens: 0,
                    output_tokens: 0,
                };
                return Generation {
                    usage,
                    finish: FinishReason::Error(message),
                };
            }
        };

        for piece in reply::chunks(&answer.reply, CHUNK_BYTES) {
            reply_stream::emit(piece);
        }
        logging::log(
            LogLevel::Info,
            &format!(
                "template: wrote {} files for topic {}",
                answer.files,
                answer.topic.id()
            ),
        );
        let usage = TokenUsage {
            input_tokens: answer.input_tokens,
            output_tokens: answer.output_tokens,
        };
        Generation {
            usage,
            finish: FinishReason::Stop,
        }
    }
}

export!(Template);
