//! Ways a key could escape a provider plugin, each closed by the host: a redirect from an
//! allowed host to another one, a server that echoes the key into the reply (split across
//! pieces, so that no single piece holds it), plain http to a remote host, and a key value
//! that cannot be a header. The `anthropic` plugin is used because its `x-api-key` header is
//! one that HTTP clients keep on a redirect.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

const KEY: &str = "sk-ant-escape-0123456789abcdef";

async fn serve(app: axum::Router) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    port
}

/// A server that records every `x-api-key` it is sent, answering with `answer`.
async fn recording(
    answer: impl Fn() -> Response + Clone + Send + Sync + 'static,
) -> (u16, Arc<Mutex<Vec<String>>>) {
    let keys = Arc::new(Mutex::new(Vec::new()));
    let seen = keys.clone();
    let app = axum::Router::new().fallback(move |headers: HeaderMap| {
        let seen = seen.clone();
        let answer = answer.clone();
        async move {
            if let Some(key) = headers.get("x-api-key") {
                seen.lock().unwrap().push(key.to_str().unwrap().to_owned());
            }
            answer()
        }
    });
    (serve(app).await, keys)
}

fn text_delta(text: &str) -> (Duration, Result<String, std::io::Error>) {
    let data = serde_json::json!({ "type": "content_block_delta", "index": 0,
                                   "delta": { "type": "text_delta", "text": text } });
    (
        Duration::from_millis(5),
        Ok(format!("event: content_block_delta\ndata: {data}\n\n")),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_to_another_host_is_not_followed_and_the_key_stays_home() {
    let (elsewhere, elsewhere_keys) = recording(|| "thanks".into_response()).await;
    let (allowed, allowed_keys) = recording(move || {
        axum::response::Redirect::temporary(&format!("http://127.0.0.1:{elsewhere}/v1/messages"))
            .into_response()
    })
    .await;

    let generation = common::provider_generate(
        "anthropic",
        format!("http://127.0.0.1:{allowed}/v1"),
        "claude-haiku-5-5",
        true,
        KEY,
        &[("max-retries", "0")],
    )
    .await;
    let reason = common::error_of(&generation);
    assert!(reason.contains("redirecting to"), "{reason}");
    assert!(reason.contains("follows no redirects"), "{reason}");
    assert_eq!(
        *allowed_keys.lock().unwrap(),
        [KEY],
        "the allowed host got it"
    );
    assert!(
        elsewhere_keys.lock().unwrap().is_empty(),
        "the other host was never called"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_echoed_into_the_reply_is_redacted_even_split_across_pieces() {
    let (port, _) = recording(|| {
        let (head, tail) = KEY.split_at(11);
        common::event_stream(vec![
            text_delta("Here is what you sent me: "),
            text_delta(head),
            text_delta(tail),
            text_delta(" and the page follows."),
            (
                Duration::ZERO,
                Ok(format!(
                    "event: message_delta\ndata: {}\n\n",
                    serde_json::json!({ "type": "message_delta",
                        "delta": { "stop_reason": "end_turn" }, "usage": { "output_tokens": 9 } })
                )),
            ),
            (
                Duration::ZERO,
                Ok("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n".to_owned()),
            ),
        ])
    })
    .await;
    let generation = common::provider_generate(
        "anthropic",
        format!("http://127.0.0.1:{port}/v1"),
        "claude-haiku-5-5",
        true,
        KEY,
        &[],
    )
    .await;
    assert_eq!(
        generation.reply,
        "Here is what you sent me: [secret] and the page follows."
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_goes_over_plain_http_only_to_this_machine() {
    // Refused before any connection: the name does not even need to resolve. The host
    // is allowed, as an operator would allow a model server on the network.
    let engine = common::engine();
    let plugins = arena::plugin::PluginSet::load(&engine, &[]).await;
    let request = arena::plugin::GenerateRequest {
        model: "claude-haiku-5-5".into(),
        user_prompt: "x".into(),
        params: vec![
            ("base-url".into(), "http://models.example.invalid/v1".into()),
            ("max-retries".into(), "0".into()),
        ],
        ..Default::default()
    };
    let network = arena::plugin::NetworkGrant {
        extra_hosts: vec!["models.example.invalid".into()],
        secrets: [("api-key".to_owned(), KEY.to_owned())].into(),
    };
    let generation = plugins.providers["anthropic"]
        .generate(
            request,
            &arena::plugin::PluginLimits::default(),
            network,
            common::sink(),
        )
        .await
        .unwrap();
    let reason = common::error_of(&generation);
    assert!(
        reason.contains("refusing to send a secret over plain http to models.example.invalid"),
        "{reason}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_with_a_line_break_is_named_and_never_sent() {
    let (port, keys) = recording(|| "never".into_response()).await;
    let generation = common::provider_generate(
        "anthropic",
        format!("http://127.0.0.1:{port}/v1"),
        "claude-haiku-5-5",
        true,
        "sk-ant-pasted-with-crlf\r\n",
        &[],
    )
    .await;
    let reason = common::error_of(&generation);
    assert!(
        reason.contains("secret `api-key` holds a character a header cannot carry"),
        "{reason}"
    );
    assert!(!reason.contains("sk-ant-pasted"), "{reason}");
    assert!(keys.lock().unwrap().is_empty());
}
