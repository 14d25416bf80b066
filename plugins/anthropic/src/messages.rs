//! The Messages wire format: the request body, the streamed reply (server-sent events
//! `message_start`, `content_block_delta` with `text_delta`, `message_delta` carrying the
//! stop reason and output tokens, `message_stop`, `ping`, `error`), and error bodies.

use provider_kit::Failure;
use serde_json::{Value, json};

/// Anthropic requires an output cap on every request; this one is used when neither the
/// pipeline nor the contestant sets `max-output-tokens`.
pub const DEFAULT_MAX_TOKENS: u32 = 16_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Request<'a> {
    pub model: &'a str,
    pub system_prompt: &'a str,
    pub user_prompt: &'a str,
    pub max_output_tokens: Option<u32>,
    pub temperature: Option<f64>,
}

pub fn request_body(request: &Request<'_>) -> Value {
    let mut body = json!({
        "model": request.model,
        "max_tokens": request.max_output_tokens.unwrap_or(DEFAULT_MAX_TOKENS),
        "system": request.system_prompt,
        "messages": [{ "role": "user", "content": request.user_prompt }],
        "stream": true,
    });
    if let Some(temperature) = request.temperature {
        body["temperature"] = json!(temperature);
    }
    body
}

/// One decoded event of the stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Text(String),
    /// `end_turn`, `max_tokens`, `stop_sequence`, ...
    Stop(String),
    /// Token counts: `message_start` gives the input, `message_delta` the output so far.
    InputTokens(u64),
    OutputTokens(u64),
    Error(String),
    /// `message_stop`: the reply is complete.
    Done,
}

/// Decodes one event's data (the `type` field names the event; `event:` lines repeat it).
pub fn decode(data: &str) -> Result<Vec<Event>, String> {
    let value: Value = serde_json::from_str(data)
        .map_err(|error| format!("the stream sent something that is not JSON ({error})"))?;
    let mut events = Vec::new();
    match value["type"].as_str().unwrap_or_default() {
        "message_start" => {
            let usage = &value["message"]["usage"];
            if let Some(tokens) = usage["input_tokens"].as_u64() {
                events.push(Event::InputTokens(tokens));
            }
            if let Some(tokens) = usage["output_tokens"].as_u64() {
                events.push(Event::OutputTokens(tokens));
            }
        }
        "content_block_delta" if value["delta"]["type"] == "text_delta" => {
            if let Some(text) = value["delta"]["text"].as_str() {
                events.push(Event::Text(text.to_owned()));
            }
        }
        "message_delta" => {
            if let Some(reason) = value["delta"]["stop_reason"].as_str() {
                events.push(Event::Stop(reason.to_owned()));
            }
            if let Some(tokens) = value["usage"]["output_tokens"].as_u64() {
                events.push(Event::OutputTokens(tokens));
            }
        }
        "message_stop" => events.push(Event::Done),
        "error" => events.push(Event::Error(provider_kit::describe_error(
            &value["error"],
            ERROR_LABELS,
        ))),
        // ping, content_block_start/stop, and event types added later carry nothing here.
        _ => {}
    }
    Ok(events)
}

/// The fields that label an error object of this API.
const ERROR_LABELS: &[&str] = &["type"];

/// What a failed answer means for the run, from its status, headers and body.
pub fn classify(status: u16, headers: &[(String, String)], body: &[u8]) -> Failure {
    let message = provider_kit::error_text(body, ERROR_LABELS);
    match status {
        401 | 403 => Failure::Unauthorized(message),
        429 => Failure::RateLimited {
            message,
            retry_after_ms: provider_kit::retry_after_ms(headers),
        },
        400 if message.contains("prompt is too long") => Failure::ContextExceeded(message),
        500..=599 => Failure::Server { status, message },
        _ => Failure::Refused { status, message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_has_the_system_prompt_apart_and_always_an_output_cap() {
        let body = request_body(&Request {
            model: "claude-sonnet-4-5",
            system_prompt: "sys",
            user_prompt: "Build a page",
            max_output_tokens: None,
            temperature: Some(0.5),
        });
        assert_eq!(body["system"], "sys");
        assert_eq!(body["messages"][0]["role"], "user");
        assert_eq!(body["max_tokens"], DEFAULT_MAX_TOKENS);
        assert_eq!(body["stream"], true);
        assert_eq!(body["temperature"], 0.5);
    }

    #[test]
    fn the_events_of_a_stream_are_decoded() {
        let start = r#"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"m","stop_reason":null,"usage":{"input_tokens":25,"output_tokens":1}}}"#;
        assert_eq!(
            decode(start).unwrap(),
            [Event::InputTokens(25), Event::OutputTokens(1)]
        );
        let delta = r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"#;
        assert_eq!(decode(delta).unwrap(), [Event::Text("Hello".into())]);
        let json_delta = r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{"}}"#;
        assert!(decode(json_delta).unwrap().is_empty());
        let end = r#"{"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":15}}"#;
        assert_eq!(
            decode(end).unwrap(),
            [Event::Stop("max_tokens".into()), Event::OutputTokens(15)]
        );
        assert_eq!(decode(r#"{"type":"message_stop"}"#).unwrap(), [Event::Done]);
        assert!(decode(r#"{"type":"ping"}"#).unwrap().is_empty());
        let error =
            r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#;
        assert_eq!(
            decode(error).unwrap(),
            [Event::Error("Overloaded (overloaded_error)".into())]
        );
    }

    #[test]
    fn failures_are_classified() {
        let body = br#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"#;
        let failure = classify(401, &[], body);
        assert!(matches!(failure, Failure::Unauthorized(ref m) if m.contains("invalid x-api-key")));
        assert_eq!(failure.retry_delay_ms(1, 3), None);
        let headers = [("retry-after".to_string(), "3".to_string())];
        assert_eq!(
            classify(429, &headers, b"{}").retry_delay_ms(1, 3),
            Some(3000)
        );
        let overloaded =
            br#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#;
        assert_eq!(
            classify(529, &[], overloaded).retry_delay_ms(1, 3),
            Some(1000)
        );
        let long = br#"{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}"#;
        assert!(matches!(
            classify(400, &[], long),
            Failure::ContextExceeded(_)
        ));
    }
}
