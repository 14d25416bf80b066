//! The component's exports: one streamed chat completion per run, through the host's
//! `outbound-http`, with bounded retries for rate limits and server errors.
//!
//! | parameter             | meaning                                                   | default                      |
//! |-----------------------|-----------------------------------------------------------|------------------------------|
//! | `base-url`            | the API root; `/chat/completions` is appended              | `https://api.openai.com/v1`  |
//! | `auth`                | `bearer` (the `api-key` secret), or `none` (local servers) | `bearer`                     |
//! | `gateway-auth-header` | a header that carries the `gateway-key` secret (Helicone: `helicone-auth`) | none          |
//! | `max-output-tokens`, `temperature`, `seed` | sent as `max_tokens`, `temperature`, `seed` | the pipeline's       |
//! | `max-retries`         | tries after the first for 429, 5xx and network failures   | 3                            |
//! | `idle-timeout-ms`     | give up when no byte arrives for this long                 | 120000                       |

use crate::chat::{self, Event};

wit_bindgen::generate!({
    path: "../../wit",
    world: "vibe-arena:plugin/provider-plugin",
});

use exports::vibe_arena::plugin::provider::{
    FinishReason, GenerateRequest, Generation, Guest, ModelInfo, ProviderInfo, TokenUsage,
};
use vibe_arena::plugin::logging::{self, LogLevel};
use vibe_arena::plugin::outbound_http::{self, HttpError};
use vibe_arena::plugin::reply_stream;

struct OpenAiCompatible;

impl Guest for OpenAiCompatible {
    fn describe() -> ProviderInfo {
        ProviderInfo {
            id: "openai-compatible".into(),
            display_name: "OpenAI-compatible chat completions".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            // TODO: check these list prices against each vendor's price page before the
            // provider is bundled; they are what a run's cost is computed from.
            models: vec![
                model("gpt-4.1", "GPT-4.1", 1_047_576, 32_768, 2.0, 8.0),
                model("gpt-4.1-mini", "GPT-4.1 mini", 1_047_576, 32_768, 0.4, 1.6),
                model("grok-4", "Grok 4", 256_000, 64_000, 3.0, 15.0),
                model("grok-3-mini", "Grok 3 mini", 131_072, 32_000, 0.3, 0.5),
                model("deepseek-chat", "DeepSeek V3", 64_000, 8_192, 0.27, 1.1),
            ],
            secrets: vec!["api-key".into(), "gateway-key".into()],
            hosts: vec![
                "api.openai.com".into(),
                "api.x.ai".into(),
                "api.deepseek.com".into(),
                "api.llama.com".into(),
                "openrouter.ai".into(),
                "oai.helicone.ai".into(),
            ],
        }
    }

    fn generate(request: GenerateRequest) -> Generation {
        let params = provider_kit::Params(&request.params);
        let param = |name: &str| params.get(name);
        let number = |name: &str| params.number(name);

        let base = param("base-url").unwrap_or("https://api.openai.com/v1");
        let url = format!("{}/chat/completions", base.trim_end_matches('/'));
        let body = chat::request_body(&chat::Request {
            model: &request.model,
            system_prompt: &request.system_prompt,
            user_prompt: &request.user_prompt,
            max_output_tokens: number("max-output-tokens").map(|tokens| tokens as u32),
            temperature: number("temperature"),
            seed: number("seed").map(|seed| seed as i64),
        });
        let mut secret_headers = Vec::new();
        if param("auth") != Some("none") {
            secret_headers.push(("authorization".to_string(), "api-key".to_string()));
        }
        if let Some(header) = param("gateway-auth-header") {
            secret_headers.push((header.to_string(), "gateway-key".to_string()));
        }
        let http_request = outbound_http::Request {
            method: "POST".into(),
            url,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("accept".into(), "text/event-stream".into()),
            ],
            secret_headers,
            secret_prefix: "Bearer ".into(),
            body: body.to_string().into_bytes(),
            timeout_ms: number("idle-timeout-ms").map_or(120_000, |ms| ms as u32),
        };
        let max_retries = number("max-retries").map_or(3, |n| n as u32);

        match send(&http_request, chat::classify, max_retries) {
            Ok(body) => stream(&body),
            Err(reason) => failed(reason),
        }
    }
}

/// Reads the streamed reply to its end, emitting text as it comes.
fn stream(body: &outbound_http::Body) -> Generation {
    let mut usage = TokenUsage {
        input_tokens: 0,
        output_tokens: 0,
    };
    let mut finish: Option<String> = None;
    let mut done = false;
    let outcome = provider_kit::read_events(body, |data| {
        for event in chat::decode(&data)? {
            match event {
                Event::Text(text) => reply_stream::emit(&text),
                Event::Finish(reason) => finish = Some(reason),
                Event::Usage {
                    input_tokens,
                    output_tokens,
                } => {
                    usage = TokenUsage {
                        input_tokens,
                        output_tokens,
                    };
                }
                Event::Error(message) => {
                    return Err(format!("the provider failed mid-reply: {message}"));
                }
                Event::Done => done = true,
            }
        }
        Ok(())
    });

    let finish = match outcome {
        Err(reason) => FinishReason::Error(reason),
        Ok(received) => match finish.as_deref() {
            Some("stop") => FinishReason::Stop,
            Some("length") => FinishReason::Length,
            Some(other) => FinishReason::Error(format!("the model stopped: {other}")),
            None if done => FinishReason::Stop,
            None => FinishReason::Error(format!(
                "the reply stream ended after {received} bytes without saying the reply was \
                 complete"
            )),
        },
    };
    Generation { usage, finish }
}

// send (with retries), the outbound-http body as the kit reads it, pause, describe_refusal,
// failed and model.
provider_kit::component_glue!();

export!(OpenAiCompatible);
