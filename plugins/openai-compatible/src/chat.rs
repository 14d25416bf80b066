//! The chat-completions wire format: the request body, the streamed reply (server-sent
//! events of `chat.completion.chunk` objects, ended by `data: [DONE]`), error bodies, and
//! which failures are worth another try.

use provider_kit::Failure;
use serde_json::{Value, json};

/// What to send, from the pipeline's and the contestant's parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Request<'a> {
    pub model: &'a str,
    pub system_prompt: &'a str,
    pub user_prompt: &'a str,
    pub max_output_tokens: Option<u32>,
    /// `max_completion_tokens` for OpenAI itself, whose reasoning models refuse the older
    /// `max_tokens` that most other servers still read.
    pub output_limit_field: &'a str,
    pub temperature: Option<f64>,
    pub seed: Option<i64>,
}

/// The output-limit field a server at `base_url` reads, unless a parameter says otherwise.
pub fn default_output_limit_field(base_url: &str) -> &'static str {
    let host = base_url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', ':']).next())
        .unwrap_or_default();
    match host {
        "api.openai.com" | "oai.helicone.ai" => "max_completion_tokens",
        _ => "max_tokens",
    }
}

/// The JSON body. `stream_options.include_usage` asks for a last chunk carrying the token
/// counts of the whole request (its `choices` is empty).
pub fn request_body(request: &Request<'_>) -> Value {
    let mut body = json!({
        "model": request.model,
        "messages": [
            { "role": "system", "content": request.system_prompt },
            { "role": "user", "content": request.user_prompt },
        ],
        "stream": true,
        "stream_options": { "include_usage": true },
    });
    if let Some(tokens) = request.max_output_tokens {
        body[request.output_limit_field] = json!(tokens);
    }
    if let Some(temperature) = request.temperature {
        body["temperature"] = json!(temperature);
    }
    if let Some(seed) = request.seed {
        body["seed"] = json!(seed);
    }
    body
}

/// One decoded event of the stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Reply text.
    Text(String),
    /// Why the model stopped: `stop`, `length`, `content_filter`, ...
    Finish(String),
    Usage {
        input_tokens: u64,
        output_tokens: u64,
    },
    /// An error sent inside the stream (some servers do this after a 200).
    Error(String),
    /// `[DONE]`: the stream is complete.
    Done,
}

/// Decodes one event's data into what it carries (a chunk can carry text, a finish reason
/// and usage at once).
pub fn decode(data: &str) -> Result<Vec<Event>, String> {
    if data.trim() == "[DONE]" {
        return Ok(vec![Event::Done]);
    }
    let value: Value = serde_json::from_str(data)
        .map_err(|error| format!("the stream sent something that is not JSON ({error})"))?;
    if let Some(error) = value.get("error") {
        return Ok(vec![Event::Error(provider_kit::describe_error(
            error,
            ERROR_LABELS,
        ))]);
    }

    let mut events = Vec::new();
    for choice in value["choices"].as_array().into_iter().flatten() {
        if let Some(text) = choice["delta"]["content"].as_str()
            && !text.is_empty()
        {
            events.push(Event::Text(text.to_owned()));
        }
        if let Some(reason) = choice["finish_reason"].as_str() {
            events.push(Event::Finish(reason.to_owned()));
        }
    }
    if let Some(usage) = value.get("usage").filter(|usage| usage.is_object()) {
        events.push(Event::Usage {
            input_tokens: usage["prompt_tokens"].as_u64().unwrap_or(0),
            output_tokens: usage["completion_tokens"].as_u64().unwrap_or(0),
        });
    }
    Ok(events)
}

/// The fields that label an error object of this API.
const ERROR_LABELS: &[&str] = &["code", "type"];

/// What a failed answer means for the run, from its status, headers and body.
pub fn classify(status: u16, headers: &[(String, String)], body: &[u8]) -> Failure {
    let message = provider_kit::error_text(body, ERROR_LABELS);
    match status {
        401 | 403 => Failure::Unauthorized(message),
        429 => Failure::RateLimited {
            message,
            retry_after_ms: provider_kit::retry_after_ms(headers),
        },
        _ if message.contains("context_length_exceeded")
            || message.contains("maximum context length") =>
        {
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
    fn the_body_streams_with_usage_and_carries_the_parameters() {
        let body = request_body(&Request {
            model: "gpt-4.1-mini",
            system_prompt: "sys",
            user_prompt: "Build a page",
            max_output_tokens: Some(32000),
            output_limit_field: "max_tokens",
            temperature: Some(0.2),
            seed: None,
        });
        assert_eq!(body["stream"], true);
        assert_eq!(body["stream_options"]["include_usage"], true);
        assert_eq!(body["messages"][0]["role"], "system");
        assert_eq!(body["messages"][1]["content"], "Build a page");
        assert_eq!(body["max_tokens"], 32000);
        assert_eq!(body["temperature"], 0.2);
        assert!(body.get("seed").is_none());
    }

    #[test]
    fn openai_itself_gets_max_completion_tokens_and_other_servers_max_tokens() {
        for (base, field) in [
            ("https://api.openai.com/v1", "max_completion_tokens"),
            ("https://oai.helicone.ai/v1", "max_completion_tokens"),
            ("https://api.x.ai/v1", "max_tokens"),
            ("http://localhost:11434/v1", "max_tokens"),
        ] {
            assert_eq!(default_output_limit_field(base), field, "{base}");
        }
    }

    #[test]
    fn chunks_give_text_finish_and_usage() {
        let text = r#"{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}],"usage":null}"#;
        assert_eq!(decode(text).unwrap(), [Event::Text("Hel".into())]);
        let last = r#"{"choices":[{"index":0,"delta":{},"finish_reason":"length"}]}"#;
        assert_eq!(decode(last).unwrap(), [Event::Finish("length".into())]);
        let usage = r#"{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":34,"total_tokens":46}}"#;
        assert_eq!(
            decode(usage).unwrap(),
            [Event::Usage {
                input_tokens: 12,
                output_tokens: 34
            }]
        );
        assert_eq!(decode("[DONE]").unwrap(), [Event::Done]);
        let error = r#"{"error":{"message":"overloaded","type":"server_error"}}"#;
        assert_eq!(
            decode(error).unwrap(),
            [Event::Error("overloaded (server_error)".into())]
        );
        assert!(decode("not json").is_err());
    }

    #[test]
    fn failures_are_classified_with_the_retry_delay_the_server_gives() {
        let body = br#"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}"#;
        let failure = classify(401, &[], body);
        assert!(matches!(failure, Failure::Unauthorized(ref m) if m.contains("invalid_api_key")));
        assert_eq!(failure.retry_delay_ms(1, 3), None);

        let headers = [("Retry-After".to_string(), "2".to_string())];
        let limited = classify(429, &headers, b"{}");
        assert_eq!(limited.retry_delay_ms(1, 3), Some(2000));
        assert_eq!(limited.retry_delay_ms(4, 3), None);
        let headers = [("retry-after-ms".to_string(), "350".to_string())];
        assert_eq!(classify(429, &headers, b"").retry_delay_ms(1, 3), Some(350));

        let server = classify(503, &[], b"upstream down");
        assert_eq!(server.retry_delay_ms(1, 3), Some(1000));
        assert_eq!(server.retry_delay_ms(3, 3), Some(4000));
        assert!(server.reason().contains("503") && server.reason().contains("upstream down"));

        let context = br#"{"error":{"message":"This model's maximum context length is 8192 tokens","code":"context_length_exceeded"}}"#;
        assert!(matches!(
            classify(400, &[], context),
            Failure::ContextExceeded(_)
        ));
        assert!(matches!(
            classify(404, &[], b"no such model"),
            Failure::Refused { status: 404, .. }
        ));
    }
}
