//! The `google` provider plugin against a local server that speaks the Gemini API's wire
//! format (`x-goog-api-key`, `:streamGenerateContent?alt=sse`, server-sent
//! `GenerateContentResponse` objects with no end marker, `usageMetadata` on the last one,
//! JSON errors whose rate limits carry a `RetryInfo` delay).

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use arena::plugin::{FinishReason, Generation};
use axum::extract::{Path as UrlPath, RawQuery};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

const KEY: &str = "AIza-test-0123456789";

#[derive(Default)]
struct Seen {
    calls: HashMap<String, usize>,
    keys: Vec<String>,
    queries: Vec<String>,
}

fn data(value: serde_json::Value) -> Result<String, std::io::Error> {
    Ok(format!("data: {value}\r\n\r\n"))
}

fn text(text: &str) -> serde_json::Value {
    serde_json::json!({
        "candidates": [{ "content": { "parts": [{ "text": text }], "role": "model" }, "index": 0 }],
    })
}

fn last(text: &str, reason: &str) -> serde_json::Value {
    serde_json::json!({
        "candidates": [{ "content": { "parts": [{ "text": text }], "role": "model" },
                         "finishReason": reason, "index": 0 }],
        "usageMetadata": { "promptTokenCount": 9, "candidatesTokenCount": 7, "totalTokenCount": 16 },
        "modelVersion": "gemini-test",
    })
}

fn reply(reason: &str) -> Response {
    common::event_stream(vec![
        (Duration::ZERO, data(text("Hel"))),
        (Duration::from_millis(20), data(last("lo", reason))),
    ])
}

fn error(status: u16, label: &str, message: &str, details: serde_json::Value) -> Response {
    let body = serde_json::json!({
        "error": { "code": status, "message": message, "status": label, "details": details },
    });
    (StatusCode::from_u16(status).unwrap(), axum::Json(body)).into_response()
}

async fn server() -> (u16, Arc<Mutex<Seen>>) {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let state = seen.clone();
    let app = axum::Router::new().route(
        "/v1beta/models/{call}",
        axum::routing::post(
            move |UrlPath(call): UrlPath<String>,
                  RawQuery(query): RawQuery,
                  headers: HeaderMap,
                  body: String| {
                let seen = state.clone();
                async move {
                    let request: serde_json::Value = serde_json::from_str(&body).unwrap();
                    assert_eq!(request["systemInstruction"]["parts"][0]["text"], "You write Next.js sites.");
                    let model = call
                        .strip_suffix(":streamGenerateContent")
                        .unwrap_or_else(|| panic!("unexpected call {call}"))
                        .to_owned();
                    let count = {
                        let mut seen = seen.lock().unwrap();
                        seen.keys.extend(
                            headers.get("x-goog-api-key").map(|v| v.to_str().unwrap().to_owned()),
                        );
                        seen.queries.push(query.unwrap_or_default());
                        let calls = seen.calls.entry(model.clone()).or_default();
                        *calls += 1;
                        *calls
                    };
                    match model.as_str() {
                        "normal" => reply("STOP"),
                        "cut" => reply("MAX_TOKENS"),
                        "bad-key" => error(
                            400,
                            "INVALID_ARGUMENT",
                            "API key not valid. Please pass a valid API key.",
                            serde_json::json!([{ "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                                 "reason": "API_KEY_INVALID" }]),
                        ),
                        "rate-limited" if count == 1 => error(
                            429,
                            "RESOURCE_EXHAUSTED",
                            "Quota exceeded",
                            serde_json::json!([{ "@type": "type.googleapis.com/google.rpc.RetryInfo",
                                                 "retryDelay": "1s" }]),
                        ),
                        "unavailable" if count == 1 => error(
                            503,
                            "UNAVAILABLE",
                            "The model is overloaded.",
                            serde_json::json!([]),
                        ),
                        "rate-limited" | "unavailable" => reply("STOP"),
                        "unfinished" => common::event_stream(vec![(Duration::ZERO, data(text("half")))]),
                        other => panic!("unexpected model {other}"),
                    }
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (port, seen)
}

async fn generate(port: u16, model: &str, allow: bool) -> Generation {
    let base_url = format!("http://127.0.0.1:{port}/v1beta");
    common::provider_generate("google", base_url, model, allow, KEY, &[]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_generation_arrives_whole_with_usage_and_the_key_in_a_header() {
    let (port, seen) = server().await;
    let generation = generate(port, "normal", true).await;
    assert_eq!(generation.finish, FinishReason::Stop);
    assert_eq!(generation.reply, "Hello");
    assert_eq!(
        (
            generation.usage.input_tokens,
            generation.usage.output_tokens
        ),
        (9, 7)
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.keys, [KEY]);
    // The key is sent in the header only, never in the URL (which ends up in logs).
    assert_eq!(seen.queries, ["alt=sse"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_tokens_is_length_and_a_stream_without_a_finish_is_an_error() {
    let (port, _) = server().await;
    assert_eq!(
        generate(port, "cut", true).await.finish,
        FinishReason::Length
    );
    let generation = generate(port, "unfinished", true).await;
    assert_eq!(generation.reply, "half");
    assert!(common::error_of(&generation).contains("without saying the reply was complete"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_key_fails_at_once_without_showing_it() {
    let (port, seen) = server().await;
    let generation = generate(port, "bad-key", true).await;
    let message = common::error_of(&generation);
    assert!(message.contains("API key was refused"), "{message}");
    assert!(!message.contains(KEY));
    assert_eq!(seen.lock().unwrap().calls["bad-key"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_retry_info_delay_is_honoured_and_unavailable_is_retried() {
    let (port, seen) = server().await;
    let started = Instant::now();
    assert_eq!(
        generate(port, "rate-limited", true).await.finish,
        FinishReason::Stop
    );
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "retryDelay 1s was not honoured"
    );
    assert_eq!(
        generate(port, "unavailable", true).await.finish,
        FinishReason::Stop
    );
    let seen = seen.lock().unwrap();
    assert_eq!(
        (seen.calls["rate-limited"], seen.calls["unavailable"]),
        (2, 2)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_never_leaves_for_a_host_nobody_declared() {
    let (port, seen) = server().await;
    let generation = generate(port, "normal", false).await;
    assert!(common::error_of(&generation).contains("is not among the hosts"));
    assert!(seen.lock().unwrap().keys.is_empty());
}
