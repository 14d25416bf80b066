//! The `anthropic` provider plugin against a local server that speaks the Messages API's
//! wire format (`x-api-key`, `anthropic-version`, server-sent `message_start`,
//! `content_block_delta`, `message_delta`, `message_stop`, `ping` and `error` events, JSON
//! error bodies): streaming with usage, the output limit, a refused key, a rate limit with
//! the server's delay, an overloaded server, an error in the stream, an undeclared host.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use arena::plugin::{FinishReason, Generation};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

const KEY: &str = "sk-ant-test-0123456789";

#[derive(Default)]
struct Seen {
    calls: HashMap<String, usize>,
    keys: Vec<String>,
    versions: Vec<String>,
}

fn event(kind: &str, data: serde_json::Value) -> Result<String, std::io::Error> {
    Ok(format!("event: {kind}\ndata: {data}\n\n"))
}

fn reply(text: &str, stop_reason: &str) -> Response {
    let now = Duration::ZERO;
    common::event_stream(vec![
        (
            now,
            event(
                "message_start",
                serde_json::json!({
                    "type": "message_start",
                    "message": { "id": "msg_1", "type": "message", "role": "assistant", "content": [],
                                 "model": "m", "stop_reason": null,
                                 "usage": { "input_tokens": 25, "output_tokens": 1 } },
                }),
            ),
        ),
        (
            now,
            event(
                "content_block_start",
                serde_json::json!({
                    "type": "content_block_start", "index": 0,
                    "content_block": { "type": "text", "text": "" },
                }),
            ),
        ),
        (now, event("ping", serde_json::json!({ "type": "ping" }))),
        (
            now,
            event(
                "content_block_delta",
                serde_json::json!({
                    "type": "content_block_delta", "index": 0,
                    "delta": { "type": "text_delta", "text": text },
                }),
            ),
        ),
        (
            Duration::from_millis(20),
            event(
                "content_block_delta",
                serde_json::json!({
                    "type": "content_block_delta", "index": 0,
                    "delta": { "type": "text_delta", "text": "!" },
                }),
            ),
        ),
        (
            now,
            event(
                "content_block_stop",
                serde_json::json!({
                    "type": "content_block_stop", "index": 0,
                }),
            ),
        ),
        (
            now,
            event(
                "message_delta",
                serde_json::json!({
                    "type": "message_delta",
                    "delta": { "stop_reason": stop_reason, "stop_sequence": null },
                    "usage": { "output_tokens": 15 },
                }),
            ),
        ),
        (
            now,
            event(
                "message_stop",
                serde_json::json!({ "type": "message_stop" }),
            ),
        ),
    ])
}

fn error(status: u16, kind: &str, message: &str) -> Response {
    let body =
        serde_json::json!({ "type": "error", "error": { "type": kind, "message": message } });
    (StatusCode::from_u16(status).unwrap(), axum::Json(body)).into_response()
}

async fn server() -> (u16, Arc<Mutex<Seen>>) {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let state = seen.clone();
    let app = axum::Router::new().route(
        "/v1/messages",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let seen = state.clone();
            async move {
                let request: serde_json::Value = serde_json::from_str(&body).unwrap();
                assert_eq!(request["stream"], true);
                assert!(request["max_tokens"].as_u64().is_some(), "max_tokens is required");
                assert_eq!(request["system"], "You write Next.js sites.");
                let model = request["model"].as_str().unwrap().to_owned();
                let call = {
                    let mut seen = seen.lock().unwrap();
                    let header = |name: &str| {
                        headers.get(name).map(|v| v.to_str().unwrap().to_owned())
                    };
                    seen.keys.extend(header("x-api-key"));
                    seen.versions.extend(header("anthropic-version"));
                    let calls = seen.calls.entry(model.clone()).or_default();
                    *calls += 1;
                    *calls
                };
                match model.as_str() {
                    "normal" => reply("Hello", "end_turn"),
                    "cut" => reply("export default functi", "max_tokens"),
                    "unauthorized" => error(401, "authentication_error", "invalid x-api-key"),
                    "rate-limited" if call == 1 => {
                        let mut response = error(429, "rate_limit_error", "Slow down");
                        response.headers_mut().insert("retry-after", "1".parse().unwrap());
                        response
                    }
                    "overloaded" if call == 1 => error(529, "overloaded_error", "Overloaded"),
                    "rate-limited" | "overloaded" => reply("Hello", "end_turn"),
                    "error-in-stream" => common::event_stream(vec![
                        (Duration::ZERO, event("content_block_delta", serde_json::json!({
                            "type": "content_block_delta", "index": 0,
                            "delta": { "type": "text_delta", "text": "partial" },
                        }))),
                        (Duration::ZERO, event("error", serde_json::json!({
                            "type": "error",
                            "error": { "type": "overloaded_error", "message": "Overloaded" },
                        }))),
                    ]),
                    other => panic!("unexpected model {other}"),
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (port, seen)
}

async fn generate(port: u16, model: &str, allow: bool) -> Generation {
    let base_url = format!("http://127.0.0.1:{port}/v1");
    common::provider_generate("anthropic", base_url, model, allow, KEY, &[]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_message_arrives_whole_with_usage_key_and_version() {
    let (port, seen) = server().await;
    let generation = generate(port, "normal", true).await;
    assert_eq!(generation.finish, FinishReason::Stop);
    assert_eq!(generation.reply, "Hello!");
    assert_eq!(
        (
            generation.usage.input_tokens,
            generation.usage.output_tokens
        ),
        (25, 15)
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.keys, [KEY]);
    assert_eq!(seen.versions, ["2023-06-01"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_tokens_is_reported_as_length() {
    let (port, _) = server().await;
    let generation = generate(port, "cut", true).await;
    assert_eq!(generation.finish, FinishReason::Length);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_key_fails_at_once_without_showing_it() {
    let (port, seen) = server().await;
    let generation = generate(port, "unauthorized", true).await;
    let message = common::error_of(&generation);
    assert!(message.contains("API key was refused") && message.contains("authentication_error"));
    assert!(!message.contains(KEY));
    assert_eq!(seen.lock().unwrap().calls["unauthorized"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_and_overload_are_retried() {
    let (port, seen) = server().await;
    let started = Instant::now();
    let generation = generate(port, "rate-limited", true).await;
    assert_eq!(
        generation.finish,
        FinishReason::Stop,
        "{:?}",
        generation.finish
    );
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "retry-after: 1 was not honoured"
    );
    let generation = generate(port, "overloaded", true).await;
    assert_eq!(
        generation.finish,
        FinishReason::Stop,
        "{:?}",
        generation.finish
    );
    let seen = seen.lock().unwrap();
    assert_eq!(
        (seen.calls["rate-limited"], seen.calls["overloaded"]),
        (2, 2)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_event_in_the_stream_fails_the_run_with_its_message() {
    let (port, _) = server().await;
    let generation = generate(port, "error-in-stream", true).await;
    assert_eq!(generation.reply, "partial");
    let message = common::error_of(&generation);
    assert!(
        message.contains("Overloaded (overloaded_error)"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_never_leaves_for_a_host_nobody_declared() {
    let (port, seen) = server().await;
    let generation = generate(port, "normal", false).await;
    assert!(common::error_of(&generation).contains("is not among the hosts"));
    let seen = seen.lock().unwrap();
    assert!(seen.calls.is_empty() && seen.keys.is_empty());
}
