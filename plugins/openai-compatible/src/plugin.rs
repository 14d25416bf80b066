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

use crate::chat::{self, Event, Failure};
use provider_kit::EventDecoder;

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

/// The largest error body read, so a server that answers an error with megabytes does not
/// cost the run its memory.
const MAX_ERROR_BODY: usize = 64 * 1024;

struct OpenAiCompatible;

fn model(id: &str, name: &str, context: u32, output: u32, input: f64, out: f64) -> ModelInfo {
    ModelInfo {
        id: id.into(),
        display_name: name.into(),
        context_tokens: context,
        max_output_tokens: output,
        input_price_per_mtok: input,
        output_price_per_mtok: out,
    }
}

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
        let param = |name: &str| {
            request
                .params
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
        };
        let number = |name: &str| param(name).and_then(|value| value.parse::<f64>().ok());

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

        let mut attempt = 0;
        loop {
            let retry =
                |failure: &Failure, attempt: u32| failure.retry_delay_ms(attempt, max_retries);
            match outbound_http::send(&http_request) {
                Err(HttpError::Network(message)) => {
                    attempt += 1;
                    if attempt > max_retries {
                        return failed(format!("could not reach the provider: {message}"));
                    }
                    pause(
                        provider_kit::backoff_ms(attempt),
                        &format!("network: {message}"),
                    );
                }
                Err(error) => return failed(describe_refusal(error)),
                Ok(response) if !(200..300).contains(&response.status) => {
                    let body = read_capped(&response.body, MAX_ERROR_BODY);
                    let failure = Failure::from_response(response.status, &response.headers, &body);
                    attempt += 1;
                    match retry(&failure, attempt) {
                        Some(wait) => pause(wait, &failure.reason()),
                        None => return failed(failure.reason()),
                    }
                }
                Ok(response) => return stream(&response.body),
            }
        }
    }
}

/// Reads the streamed reply to its end, emitting text as it comes.
fn stream(body: &outbound_http::Body) -> Generation {
    let mut decoder = EventDecoder::default();
    let mut usage = TokenUsage {
        input_tokens: 0,
        output_tokens: 0,
    };
    let mut finish: Option<String> = None;
    let mut received = 0usize;
    let mut done = false;

    let mut apply = |data: String, usage: &mut TokenUsage, finish: &mut Option<String>| {
        for event in chat::decode(&data)? {
            match event {
                Event::Text(text) => reply_stream::emit(&text),
                Event::Finish(reason) => *finish = Some(reason),
                Event::Usage {
                    input_tokens,
                    output_tokens,
                } => {
                    *usage = TokenUsage {
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
        Ok::<(), String>(())
    };

    loop {
        match body.read() {
            Ok(Some(bytes)) => {
                received += bytes.len();
                for data in decoder.feed(&bytes) {
                    if let Err(reason) = apply(data, &mut usage, &mut finish) {
                        return Generation {
                            usage,
                            finish: FinishReason::Error(reason),
                        };
                    }
                }
            }
            Ok(None) => break,
            Err(error) => {
                let reason = format!(
                    "the reply stream broke off after {received} bytes: {}",
                    describe_refusal(error)
                );
                return Generation {
                    usage,
                    finish: FinishReason::Error(reason),
                };
            }
        }
    }
    if let Some(data) = decoder.finish()
        && let Err(reason) = apply(data, &mut usage, &mut finish)
    {
        return Generation {
            usage,
            finish: FinishReason::Error(reason),
        };
    }

    let finish = match finish.as_deref() {
        Some("stop") => FinishReason::Stop,
        Some("length") => FinishReason::Length,
        Some(other) => FinishReason::Error(format!("the model stopped: {other}")),
        None if done => FinishReason::Stop,
        None => FinishReason::Error(format!(
            "the reply stream ended after {received} bytes without saying the reply was complete"
        )),
    };
    Generation { usage, finish }
}

fn read_capped(body: &outbound_http::Body, cap: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    while bytes.len() < cap {
        match body.read() {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            _ => break,
        }
    }
    bytes.truncate(cap);
    bytes
}

fn pause(ms: u64, why: &str) {
    logging::log(LogLevel::Warn, &format!("Retrying in {ms} ms: {why}"));
    std::thread::sleep(std::time::Duration::from_millis(ms));
}

fn describe_refusal(error: HttpError) -> String {
    match error {
        HttpError::HostNotAllowed(message) => message,
        HttpError::SecretUnavailable(message) => format!("no API key: {message}"),
        HttpError::InvalidRequest(message) => format!("invalid request: {message}"),
        HttpError::Network(message) => format!("network: {message}"),
    }
}

fn failed(reason: String) -> Generation {
    Generation {
        usage: TokenUsage {
            input_tokens: 0,
            output_tokens: 0,
        },
        finish: FinishReason::Error(reason),
    }
}

export!(OpenAiCompatible);
