//! The component's exports: one streamed generation per run, through the host's
//! `outbound-http`, with bounded retries for rate limits and server errors.
//!
//! | parameter             | meaning                                                   | default                                            |
//! |-----------------------|-----------------------------------------------------------|----------------------------------------------------|
//! | `base-url`            | the API root; `/models/{model}:streamGenerateContent?alt=sse` is appended | `https://generativelanguage.googleapis.com/v1beta` |
//! | `max-output-tokens`, `temperature` | sent in `generationConfig`                     | the pipeline's                                     |
//! | `max-retries`         | tries after the first for 429, 5xx and network failures   | 3                                                  |
//! | `idle-timeout-ms`     | give up when no byte arrives for this long                 | 120000                                             |
//!
//! The key goes in `x-goog-api-key` (the `api-key` secret, filled in by the host), never in
//! the URL, where it would end up in logs.

use crate::gemini::{self, Event};

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

struct Google;

impl Guest for Google {
    fn describe() -> ProviderInfo {
        ProviderInfo {
            id: "google".into(),
            display_name: "Google Gemini".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            // List prices in US dollars per million tokens (paid tier, short prompts, no
            // cache or batch discount), as published on 2026-12-03; a run's cost is computed
            // from them. A contestant entry's `price` wins, for a model not listed here or
            // a route that costs something else.
            models: vec![
                model(
                    "gemini-4-carbon",
                    "Gemini 4 Carbon",
                    1_048_576,
                    65_536,
                    4.0,
                    20.0,
                ),
                model(
                    "gemini-4-neon",
                    "Gemini 4 Neon",
                    1_048_576,
                    65_536,
                    3.0,
                    15.0,
                ),
                model(
                    "gemini-4-hydrogen",
                    "Gemini 4 Hydrogen",
                    1_048_576,
                    65_536,
                    1.50,
                    7.50,
                ),
            ],
            secrets: vec!["api-key".into()],
            hosts: vec!["generativelanguage.googleapis.com".into()],
        }
    }

    fn generate(request: GenerateRequest) -> Generation {
        let params = provider_kit::Params(&request.params);
        let param = |name: &str| params.get(name);
        let number = |name: &str| params.number(name);

        let base = param("base-url").unwrap_or("https://generativelanguage.googleapis.com/v1beta");
        let url = format!(
            "{}/models/{}:streamGenerateContent?alt=sse",
            base.trim_end_matches('/'),
            request.model
        );
        let body = gemini::request_body(&gemini::Request {
            system_prompt: &request.system_prompt,
            user_prompt: &request.user_prompt,
            max_output_tokens: number("max-output-tokens").map(|tokens| tokens as u32),
            temperature: number("temperature"),
        });
        let http_request = outbound_http::Request {
            method: "POST".into(),
            url,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("accept".into(), "text/event-stream".into()),
            ],
            secret_headers: vec![("x-goog-api-key".into(), "api-key".into())],
            secret_prefix: String::new(),
            body: body.to_string().into_bytes(),
            timeout_ms: number("idle-timeout-ms").map_or(120_000, |ms| ms as u32),
        };
        let max_retries = number("max-retries").map_or(3, |n| n as u32);

        match send(&http_request, gemini::classify, max_retries) {
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
    let outcome = provider_kit::read_events(body, |data| {
        for event in gemini::decode(&data)? {
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
            }
        }
        Ok(())
    });

    let finish = match outcome {
        Err(reason) => FinishReason::Error(reason),
        Ok(received) => match finish.as_deref() {
            // Gemini sends no end marker: the stream is complete when it ends after a
            // finish reason.
            Some("STOP") => FinishReason::Stop,
            Some("MAX_TOKENS") => FinishReason::Length,
            Some(other) => FinishReason::Error(format!("the model stopped: {other}")),
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

export!(Google);
