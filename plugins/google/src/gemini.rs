//! The Gemini wire format: the request body, the streamed reply (server-sent events whose
//! data are `GenerateContentResponse` objects; no end marker: the last one carries the
//! finish reason and `usageMetadata`), and error bodies, whose rate-limit answers say how
//! long to wait in a `RetryInfo` detail.

use provider_kit::Failure;
use serde_json::{Value, json};

#[derive(Debug, Clone, PartialEq)]
pub struct Request<'a> {
    pub system_prompt: &'a str,
    pub user_prompt: &'a str,
    pub max_output_tokens: Option<u32>,
    pub temperature: Option<f64>,
}

pub fn request_body(request: &Request<'_>) -> Value {
    let mut config = json!({});
    if let Some(tokens) = request.max_output_tokens {
        config["maxOutputTokens"] = json!(tokens);
    }
    if let Some(temperature) = request.temperature {
        config["temperature"] = json!(temperature);
    }
    json!({
        "systemInstruction": { "parts": [{ "text": request.system_prompt }] },
        "contents": [{ "role": "user", "parts": [{ "text": request.user_prompt }] }],
        "generationConfig": config,
    })
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Text(String),
    /// `STOP`, `MAX_TOKENS`, `SAFETY`, ...
    Finish(String),
    Usage {
        input_tokens: u64,
        output_tokens: u64,
    },
    Error(String),
}

pub fn decode(data: &str) -> Result<Vec<Event>, String> {
    let value: Value = serde_json::from_str(data)
        .map_err(|error| format!("the stream sent something that is not JSON ({error})"))?;
    if let Some(error) = value.get("error") {
        return Ok(vec![Event::Error(provider_kit::describe_error(
            error,
            ERROR_LABELS,
        ))]);
    }
    let mut events = Vec::new();
    if let Some(candidate) = value["candidates"].get(0) {
        for part in candidate["content"]["parts"]
            .as_array()
            .into_iter()
            .flatten()
        {
            // Thought summaries are not part of the reply.
            if part["thought"] == true {
                continue;
            }
            if let Some(text) = part["text"].as_str().filter(|text| !text.is_empty()) {
                events.push(Event::Text(text.to_owned()));
            }
        }
        if let Some(reason) = candidate["finishReason"].as_str() {
            events.push(Event::Finish(reason.to_owned()));
        }
    }
    if let Some(usage) = value.get("usageMetadata") {
        events.push(Event::Usage {
            input_tokens: usage["promptTokenCount"].as_u64().unwrap_or(0),
            // Thinking is billed as output but counted apart from the reply's tokens.
            output_tokens: usage["candidatesTokenCount"].as_u64().unwrap_or(0)
                + usage["thoughtsTokenCount"].as_u64().unwrap_or(0),
        });
    }
    Ok(events)
}

/// The `RetryInfo` detail's `retryDelay` (`"5s"`, `"1.5s"`), in milliseconds.
fn retry_info_ms(error: &Value) -> Option<u64> {
    error["details"].as_array()?.iter().find_map(|detail| {
        let delay = detail["retryDelay"].as_str()?;
        let seconds: f64 = delay.strip_suffix('s')?.parse().ok()?;
        Some((seconds * 1000.0) as u64)
    })
}

/// The fields that label an error object of this API.
const ERROR_LABELS: &[&str] = &["status"];

/// What a failed answer means for the run, from its status, headers and body.
pub fn classify(status: u16, headers: &[(String, String)], body: &[u8]) -> Failure {
    let text = String::from_utf8_lossy(body);
    let message = provider_kit::error_text(body, ERROR_LABELS);
    // Needed again for the RetryInfo detail of a rate limit.
    let error = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|value| value.get("error").cloned());
    // A bad key is a 400 INVALID_ARGUMENT whose reason is API_KEY_INVALID.
    if matches!(status, 401 | 403) || text.contains("API_KEY_INVALID") {
        return Failure::Unauthorized(message);
    }
    match status {
        429 => Failure::RateLimited {
            retry_after_ms: error
                .as_ref()
                .and_then(retry_info_ms)
                .or_else(|| provider_kit::retry_after_ms(headers)),
            message,
        },
        400 if message.contains("exceeds the maximum number of tokens") => {
            Failure::ContextExceeded(message)
        }
        500..=599 => Failure::Server { status, message },
        _ => Failure::Refused { status, message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_carries_the_system_instruction_and_the_config() {
        let body = request_body(&Request {
            system_prompt: "sys",
            user_prompt: "Build a page",
            max_output_tokens: Some(8192),
            temperature: None,
        });
        assert_eq!(body["systemInstruction"]["parts"][0]["text"], "sys");
        assert_eq!(body["contents"][0]["parts"][0]["text"], "Build a page");
        assert_eq!(body["generationConfig"]["maxOutputTokens"], 8192);
    }

    #[test]
    fn responses_give_text_finish_and_usage() {
        let chunk =
            r#"{"candidates":[{"content":{"parts":[{"text":"Hel"}],"role":"model"},"index":0}]}"#;
        assert_eq!(decode(chunk).unwrap(), [Event::Text("Hel".into())]);
        let thought = r#"{"candidates":[{"content":{"parts":[{"text":"planning","thought":true}],"role":"model"}}]}"#;
        assert!(decode(thought).unwrap().is_empty());
        let last = r#"{"candidates":[{"content":{"parts":[{"text":"lo"}],"role":"model"},"finishReason":"MAX_TOKENS","index":0}],"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":7,"totalTokenCount":16}}"#;
        assert_eq!(
            decode(last).unwrap(),
            [
                Event::Text("lo".into()),
                Event::Finish("MAX_TOKENS".into()),
                Event::Usage {
                    input_tokens: 9,
                    output_tokens: 7
                }
            ]
        );
    }

    #[test]
    fn failures_are_classified_with_the_retry_info_delay() {
        let limited = br#"{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"5s"}]}}"#;
        let failure = classify(429, &[], limited);
        assert_eq!(failure.retry_delay_ms(1, 3), Some(5000));
        let bad_key = br#"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]}}"#;
        assert!(matches!(
            classify(400, &[], bad_key),
            Failure::Unauthorized(_)
        ));
        let unavailable = br#"{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}"#;
        assert_eq!(
            classify(503, &[], unavailable).retry_delay_ms(1, 3),
            Some(1000)
        );
    }
}
