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

use crate::gemini::{self, Event, Failure};
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

struct Google;

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

impl Guest for Google {
    fn describe() -> ProviderInfo {
        ProviderInfo {
            id: "google".into(),
            display_name: "Google Gemini".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            // TODO: check these list prices against Google's price page before the
            // provider is bundled; they are what a run's cost is computed from.
            models: vec![
                model(
                    "gemini-2.5-pro",
                    "Gemini 2.5 Pro",
                    1_048_576,
                    65_536,
                    1.25,
                    10.0,
                ),
                model(
                    "gemini-2.5-flash",
                    "Gemini 2.5 Flash",
                    1_048_576,
                    65_536,
                    0.3,
                    2.5,
                ),
            ],
            secrets: vec!["api-key".into()],
            hosts: vec!["generativelanguage.googleapis.com".into()],
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

    let apply = |data: String, usage: &mut TokenUsage, finish: &mut Option<String>| {
        for event in gemini::decode(&data)? {
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

    // Gemini sends no end marker: the stream is complete when it ends after a finish reason.
    let finish = match finish.as_deref() {
        Some("STOP") => FinishReason::Stop,
        Some("MAX_TOKENS") => FinishReason::Length,
        Some(other) => FinishReason::Error(format!("the model stopped: {other}")),
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

export!(Google);
