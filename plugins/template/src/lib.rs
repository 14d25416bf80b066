//! `template`: the offline contestant. It answers any prompt with a complete Next.js 15 project
//! built from hand-written page kinds, so a battle can run with no API key. Its "models" are
//! visual styles; the prompt picks the page kind and supplies the names, copy and colours.
//!
//! Parameters: `seed` (a whole number, default 0) varies small choices such as the accent hue,
//! names and copy; the same prompt, model and seed always give a byte-identical reply. Other
//! parameters are ignored. Models: `studio`, `bold` and `paper`.
//!
//! The generator is pure ([`site::render`], [`reply::format`]) and tested natively; the
//! component glue below only streams its output to the host.

pub mod js;
pub mod pages;
pub mod reply;
pub mod rng;
pub mod site;
pub mod style;
pub mod topic;
pub mod words;

use exports::vibe_arena::plugin::provider::{
    FinishReason, GenerateRequest, Generation, Guest, ModelInfo, ProviderInfo, TokenUsage,
};
use vibe_arena::plugin::logging;
use vibe_arena::plugin::reply_stream;
use vibe_arena::plugin::types::LogLevel;

use style::Style;

wit_bindgen::generate!({
    path: "../../wit",
    world: "vibe-arena:plugin/provider-plugin",
});

/// Bytes per `reply-stream.emit` call: small enough that the arena shows the reply growing.
const CHUNK_BYTES: usize = 640;

/// What every style reports as its limits. The longest reply (the news page) is about 14,000
/// tokens, so the output cap leaves room to grow.
pub const CONTEXT_TOKENS: u32 = 128_000;
pub const MAX_OUTPUT_TOKENS: u32 = 32_768;

/// What `generate` does with a request, without the host: the reply text and its usage.
pub struct Answer {
    pub reply: String,
    pub usage: TokenUsage,
    pub topic: topic::Topic,
    pub files: usize,
}

/// Reads `seed` from the request parameters; other names are ignored.
pub fn seed_param(params: &[(String, String)]) -> Result<u64, String> {
    match params.iter().rev().find(|(name, _)| name == "seed") {
        None => Ok(0),
        Some((_, value)) => value
            .trim()
            .parse::<u64>()
            .map_err(|_| format!("parameter `seed` must be a whole number, got {value:?}")),
    }
}

/// The model's style; an empty model means the first style.
pub fn style_for(model: &str) -> Result<Style, String> {
    if model.is_empty() {
        return Ok(Style::Studio);
    }
    Style::from_id(model).ok_or_else(|| {
        let known: Vec<&str> = Style::ALL.iter().map(|style| style.id()).collect();
        format!("unknown model {model:?}; the template provider offers {}", known.join(", "))
    })
}

/// Roughly four characters per token, as the real providers' tokenizers average on code.
fn tokens(chars: usize) -> u64 {
    chars.div_ceil(4) as u64
}

/// The full answer to a request: site, reply text and token usage.
pub fn answer(request: &GenerateRequest) -> Result<Answer, String> {
    let seed = seed_param(&request.params)?;
    let style = style_for(&request.model)?;
    let site = site::render(&request.user_prompt, style, seed);
    let reply = reply::format(&site::intro(&site), &site.files);

    let prompt_chars = request.system_prompt.chars().count() + request.user_prompt.chars().count();
    let usage = TokenUsage {
        input_tokens: tokens(prompt_chars),
        output_tokens: tokens(reply.chars().count()),
    };
    Ok(Answer { reply, usage, topic: site.topic, files: site.files.len() })
}

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
        let answer = match answer(&request) {
            Ok(answer) => answer,
            Err(message) => {
                logging::log(LogLevel::Warn, &format!("template: {message}"));
                let usage = TokenUsage { input_tokens: 0, output_tokens: 0 };
                return Generation { usage, finish: FinishReason::Error(message) };
            }
        };

        for piece in reply::chunks(&answer.reply, CHUNK_BYTES) {
            reply_stream::emit(piece);
        }
        logging::log(
            LogLevel::Info,
            &format!("template: wrote {} files for topic {}", answer.files, answer.topic.id()),
        );
        Generation { usage: answer.usage, finish: FinishReason::Stop }
    }
}

export!(Template);

#[cfg(test)]
mod tests;
