//! The component's exports: one streamed message per run, through the host's
//! `outbound-http`, with bounded retries for rate limits and server errors.
//!
//! | parameter             | meaning                                                   | default                        |
//! |-----------------------|-----------------------------------------------------------|--------------------------------|
//! | `base-url`            | the API root; `/messages` is appended                      | `https://api.anthropic.com/v1` |
//! | `max-output-tokens`, `temperature` | sent as `max_tokens` (required by the API), `temperature` | 16000, the pipeline's |
//! | `max-retries`         | tries after the first for 429, 5xx, 529 and network failures | 3                           |
//! | `idle-timeout-ms`     | give up when no byte arrives for this long                 | 120000                         |
//!
//! The key goes in `x-api-key` (the `api-key` secret, filled in by the host).

use crate::messages::{self, Event};

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

/// The API version the request and event shapes above are written against.
const API_VERSION: &str = "2023-06-01";

struct Anthropic;

impl Guest for Anthropic {
    fn describe() -> ProviderInfo {
        ProviderInfo {
            id: "anthropic".into(),
            display_name: "Anthropic Messages".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            // List prices in US dollars per million tokens (standard tier, no cache or batch
            // discount), as Anthropic's pages gave them on 2026-12-03; a run's cost is
            // computed from them. A contestant entry's `price` wins, for a model not listed
            // here or a route that costs something else.
            models: vec![
                model(
                    "claude-opus-5-5",
                    "Claude Opus 5.5",
                    1_000_000,
                    128_000,
                    4.0,
                    20.0,
                ),
                model(
                    "claude-sonnet-5-5",
                    "Claude Sonnet 5.5",
                    1_000_000,
                    128_000,
                    2.0,
                    10.0,
                ),
                // Haiku 5.5 costs 0.50 / 2.50 for prompts over 100K tokens; an arena prompt
                // is a few thousand.
                model(
                    "claude-haiku-5-5",
                    "Claude Haiku 5.5",
                    1_000_000,
                    128_000,
                    0.10,
                    0.50,
                ),
            ],
            secrets: vec!["api-key".into()],
            hosts: vec!["api.anthropic.com".into()],
        }
    }

    fn generate(request: GenerateRequest) -> Generation {
        let params = provider_kit::Params(&request.params);
        let param = |name: &str| params.get(name);
        let number = |name: &str| params.number(name);

        let base = param("base-url").unwrap_or("https://api.anthropic.com/v1");
        let url = format!("{}/messages", base.trim_end_matches('/'));
        let body = messages::request_body(&messages::Request {
            model: &request.model,
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
                ("anthropic-version".into(), API_VERSION.into()),
            ],
            secret_headers: vec![("x-api-key".into(), "api-key".into())],
            secret_prefix: String::new(),
            body: body.to_string().into_bytes(),
            timeout_ms: number("idle-timeout-ms").map_or(120_000, |ms| ms as u32),
        };
        let max_retries = number("max-retries").map_or(3, |n| n as u32);

        match send(&http_request, messages::classify, max_retries) {
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
        for event in messages::decode(&data)? {
            match event {
                Event::Text(text) => reply_stream::emit(&text),
                Event::Stop(reason) => finish = Some(reason),
                Event::InputTokens(tokens) => usage.input_tokens = tokens,
                Event::OutputTokens(tokens) => usage.output_tokens = tokens,
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
            Some("end_turn" | "stop_sequence") => FinishReason::Stop,
            Some("max_tokens") => FinishReason::Length,
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

export!(Anthropic);
