//! The component's exports: one streamed chat completion per run, through the host's
//! `outbound-http`, with bounded retries for rate limits and server errors.
//!
//! | parameter             | meaning                                                   | default                      |
//! |-----------------------|-----------------------------------------------------------|------------------------------|
//! | `base-url`            | the API root; `/chat/completions` is appended              | `https://api.openai.com/v1`  |
//! | `auth`                | `bearer` (the `api-key` secret), or `none` (local servers) | `bearer`                     |
//! | `gateway-auth-header` | a header that carries the `gateway-key` secret (Helicone: `helicone-auth`) | none          |
//! | `max-output-tokens`, `temperature`, `seed` | sent as `max_tokens` (OpenAI: `max_completion_tokens`), `temperature`, `seed` | the pipeline's |
//! | `output-limit-field`  | the JSON field `max-output-tokens` goes in                 | see above                    |
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
            // List prices in US dollars per million tokens (standard tier, short prompts, no
            // cache or batch discount), as the vendors' price pages gave them on 2026-12-03;
            // a run's cost is computed from them. A contestant entry's `price` wins, for a
            // model not listed here or a route that costs something else. 0 output tokens
            // means the vendor publishes no cap.
            models: vec![
                // OpenAI. Above 272K input tokens OpenAI charges 2x input, 1.5x output.
                model(
                    "gpt-6.2-astra",
                    "GPT-6.2 Astra",
                    1_050_000,
                    128_000,
                    8.0,
                    40.0,
                ),
                model("gpt-6-luna", "GPT-6 Luna", 1_050_000, 128_000, 0.10, 0.50),
                // xAI. Grok 4.7 doubles its price for prompts of 200K tokens or more.
                model("grok-4.7", "Grok 4.7", 500_000, 0, 2.0, 6.0),
                model("grok-4.3", "Grok 4.3", 1_000_000, 0, 1.25, 2.50),
                // Meta's Model API (api.meta.ai), which replaced the Llama API in 2026.
                model(
                    "muse-wonder-1.0",
                    "Muse Wonder 1.0",
                    1_048_576,
                    131_072,
                    4.0,
                    20.0,
                ),
                model(
                    "muse-spark-1.3",
                    "Muse Spark 1.3",
                    1_048_576,
                    131_072,
                    1.25,
                    4.25,
                ),
                // DeepSeek, at its peak-hour price (off-peak hours, Beijing time, are half).
                model(
                    "deepseek-v4-pro",
                    "DeepSeek V4 Pro",
                    1_000_000,
                    384_000,
                    1.32,
                    3.96,
                ),
                model(
                    "deepseek-flash",
                    "DeepSeek V4.1 Flash",
                    1_000_000,
                    384_000,
                    0.30,
                    1.20,
                ),
            ],
            secrets: vec!["api-key".into(), "gateway-key".into()],
            hosts: vec![
                "api.openai.com".into(),
                "api.x.ai".into(),
                "api.deepseek.com".into(),
                "api.meta.ai".into(),
                "openrouter.ai".into(),
                "oai.helicone.ai".into(),
                "ai-gateway.helicone.ai".into(),
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
            output_limit_field: param("output-limit-field")
                .unwrap_or_else(|| chat::default_output_limit_field(base)),
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
