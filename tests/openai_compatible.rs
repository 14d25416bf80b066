//! The `openai-compatible` provider plugin against a local server that speaks the chat
//! completions wire format (server-sent `chat.completion.chunk` events, `data: [DONE]`,
//! JSON error bodies): streaming, usage, the output limit, refused keys, rate limits with
//! the server's retry delay, server errors, a stream that breaks, a stream that stalls, a stream that trickles past
//! the pipeline's deadline.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use arena::plugin::{FinishReason, Generation};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

const KEY: &str = "sk-test-0123456789";

/// What the server saw: per model, the number of requests and their authorization headers.
#[derive(Default)]
struct Seen {
    calls: HashMap<String, usize>,
    authorization: Vec<String>,
}

fn chunk(json: serde_json::Value) -> String {
    format!("data: {json}\n\n")
}

fn text_chunk(text: &str) -> String {
    chunk(serde_json::json!({
        "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "m",
        "choices": [{ "index": 0, "delta": { "content": text }, "finish_reason": null }],
    }))
}

fn finish_chunk(reason: &str) -> String {
    chunk(serde_json::json!({
        "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "m",
        "choices": [{ "index": 0, "delta": {}, "finish_reason": reason }],
    }))
}

fn usage_chunk() -> String {
    chunk(serde_json::json!({
        "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "m",
        "choices": [],
        "usage": { "prompt_tokens": 12, "completion_tokens": 34, "total_tokens": 46 },
    }))
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    let body =
        serde_json::json!({ "error": { "message": message, "type": "error", "code": code } });
    (status, axum::Json(body)).into_response()
}

async fn server() -> (u16, Arc<Mutex<Seen>>) {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let state = seen.clone();
    let app = axum::Router::new().route(
        "/v1/chat/completions",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let seen = state.clone();
            async move {
                let request: serde_json::Value = serde_json::from_str(&body).unwrap();
                assert_eq!(request["stream"], true);
                assert_eq!(request["stream_options"]["include_usage"], true);
                let model = request["model"].as_str().unwrap().to_owned();
                let call = {
                    let mut seen = seen.lock().unwrap();
                    if let Some(value) = headers.get("authorization") {
                        seen.authorization.push(value.to_str().unwrap().to_owned());
                    }
                    let calls = seen.calls.entry(model.clone()).or_default();
                    *calls += 1;
                    *calls
                };
                let now = Duration::ZERO;
                let ok = |text: &str| Ok::<_, std::io::Error>(text.to_owned());
                let whole = || {
                    common::event_stream(vec![
                        (now, ok(&text_chunk("Hel"))),
                        (Duration::from_millis(20), ok(&text_chunk("lo"))),
                        (now, ok(&finish_chunk("stop"))),
                        (now, ok(&usage_chunk())),
                        (now, ok("data: [DONE]\n\n")),
                    ])
                };
                match model.as_str() {
                    "normal" => whole(),
                    "cut" => common::event_stream(vec![
                        (now, ok(&text_chunk("export default functi"))),
                        (now, ok(&finish_chunk("length"))),
                        (now, ok(&usage_chunk())),
                        (now, ok("data: [DONE]\n\n")),
                    ]),
                    // Some APIs quote the key they were sent in the error.
                    "unauthorized" => error(
                        StatusCode::UNAUTHORIZED,
                        "invalid_api_key",
                        &format!(
                            "Incorrect API key provided: {}",
                            headers["authorization"].to_str().unwrap()
                        ),
                    ),
                    "rate-limited" if call == 1 => {
                        let mut response = error(
                            StatusCode::TOO_MANY_REQUESTS,
                            "rate_limit_exceeded",
                            "Slow down",
                        );
                        response
                            .headers_mut()
                            .insert("retry-after", "1".parse().unwrap());
                        response
                    }
                    "flaky" if call == 1 => error(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "server_error",
                        "Try again",
                    ),
                    "rate-limited" | "flaky" => whole(),
                    "always-failing" => {
                        error(StatusCode::SERVICE_UNAVAILABLE, "overloaded", "Overloaded")
                    }
                    "broken" => common::event_stream(vec![
                        (now, ok(&text_chunk("partial"))),
                        (
                            Duration::from_millis(50),
                            Err(std::io::Error::other("connection reset")),
                        ),
                    ]),
                    // Never idle long enough for the idle timeout, but never done either.
                    "trickling" => common::event_stream(
                        (0..100)
                            .map(|_| (Duration::from_millis(200), ok(&text_chunk("word "))))
                            .collect(),
                    ),
                    "stalled" => common::event_stream(vec![
                        (now, ok(&text_chunk("first words"))),
                        (Duration::from_secs(30), ok("data: [DONE]\n\n")),
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

async fn generate(port: u16, model: &str, allow: bool, extra: &[(&str, &str)]) -> Generation {
    let base_url = format!("http://127.0.0.1:{port}/v1");
    common::provider_generate("openai-compatible", base_url, model, allow, KEY, extra).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_streamed_reply_arrives_whole_with_its_usage_and_the_key_as_bearer() {
    let (port, seen) = server().await;
    let generation = generate(port, "normal", true, &[]).await;
    assert_eq!(generation.finish, FinishReason::Stop);
    assert_eq!(generation.reply, "Hello");
    assert_eq!(
        (
            generation.usage.input_tokens,
            generation.usage.output_tokens
        ),
        (12, 34)
    );
    assert_eq!(
        seen.lock().unwrap().authorization,
        [format!("Bearer {KEY}")]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_cut_at_the_output_limit_is_reported_as_length() {
    let (port, _) = server().await;
    let generation = generate(port, "cut", true, &[]).await;
    assert_eq!(generation.finish, FinishReason::Length);
    assert_eq!(generation.reply, "export default functi");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_key_fails_at_once_and_never_shows_the_key() {
    let (port, seen) = server().await;
    let generation = generate(port, "unauthorized", true, &[]).await;
    let message = common::error_of(&generation);
    assert!(message.contains("API key was refused"), "{message}");
    assert!(message.contains("invalid_api_key"), "{message}");
    // The server quoted the key back; the host took it out.
    assert!(!message.contains(KEY), "{message}");
    assert!(
        message.contains("Incorrect API key provided: Bearer [secret]"),
        "{message}"
    );
    assert_eq!(
        seen.lock().unwrap().calls["unauthorized"],
        1,
        "no retry for a bad key"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_waits_the_servers_delay_then_succeeds() {
    let (port, seen) = server().await;
    let started = Instant::now();
    let generation = generate(port, "rate-limited", true, &[]).await;
    assert_eq!(
        generation.finish,
        FinishReason::Stop,
        "{:?}",
        generation.finish
    );
    assert_eq!(generation.reply, "Hello");
    assert_eq!(seen.lock().unwrap().calls["rate-limited"], 2);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "retry-after: 1 was not honoured"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_error_is_retried_and_a_lasting_one_gives_up_after_the_bound() {
    let (port, seen) = server().await;
    let generation = generate(port, "flaky", true, &[]).await;
    assert_eq!(
        generation.finish,
        FinishReason::Stop,
        "{:?}",
        generation.finish
    );
    assert_eq!(seen.lock().unwrap().calls["flaky"], 2);

    let generation = generate(port, "always-failing", true, &[]).await;
    let message = common::error_of(&generation);
    assert!(
        message.contains("server error 503") && message.contains("Overloaded"),
        "{message}"
    );
    // The first try and max-retries = 2 more.
    assert_eq!(seen.lock().unwrap().calls["always-failing"], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_that_breaks_or_stalls_fails_the_run_with_what_arrived() {
    let (port, _) = server().await;
    let generation = generate(port, "broken", true, &[]).await;
    assert_eq!(generation.reply, "partial");
    let message = common::error_of(&generation);
    assert!(message.contains("broke off"), "{message}");

    let started = Instant::now();
    let generation = generate(port, "stalled", true, &[("idle-timeout-ms", "800")]).await;
    assert_eq!(generation.reply, "first words");
    let message = common::error_of(&generation);
    assert!(message.contains("broke off"), "{message}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the idle timeout was not applied"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_stream_past_the_pipelines_deadline_fails_in_about_that_time() {
    let (port, _) = server().await;
    let started = Instant::now();
    let error = common::provider_generate_within(
        Duration::from_secs(2),
        "openai-compatible",
        format!("http://127.0.0.1:{port}/v1"),
        "trickling",
        true,
        KEY,
        &[("idle-timeout-ms", "1000")],
    )
    .await
    .unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(
        error.to_string(),
        "plugin `openai-compatible` ran past its deadline of 2.0s"
    );
    assert!(
        elapsed >= Duration::from_secs(2) && elapsed < Duration::from_secs(6),
        "{elapsed:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_never_leaves_for_a_host_nobody_declared() {
    let (port, seen) = server().await;
    let generation = generate(port, "normal", false, &[]).await;
    let message = common::error_of(&generation);
    assert!(message.contains("is not among the hosts"), "{message}");
    assert!(message.contains("allow_hosts"), "{message}");
    assert!(!message.contains(KEY));
    let seen = seen.lock().unwrap();
    assert!(seen.calls.is_empty() && seen.authorization.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_is_not_running_is_named_after_the_bounded_retries() {
    // A port nobody listens on, as when Ollama is not started.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let generation = generate(port, "normal", true, &[("max-retries", "1")]).await;
    let reason = common::error_of(&generation);
    assert!(reason.contains("could not reach the provider"), "{reason}");
    assert!(reason.contains(&format!("127.0.0.1:{port}")), "{reason}");
}
