//! Outbound HTTP from plugins goes through the host: an undeclared host is refused with a
//! message that says how to allow it, an operator-allowed host is reached and its body
//! streamed back, and a secret the plugin never declared is never sent.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use arena::plugin::{FinishReason, GenerateRequest, NetworkGrant, PluginLimits};

/// A loopback server that records the requests it receives and answers with a text.
async fn recording_server() -> (u16, Arc<Mutex<Vec<axum::http::HeaderMap>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let recorder = seen.clone();
    let app = axum::Router::new().route(
        "/reply",
        axum::routing::get(move |headers: axum::http::HeaderMap| {
            let recorder = recorder.clone();
            async move {
                recorder.lock().unwrap().push(headers);
                "streamed through the host"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (port, seen)
}

async fn fetch(url: String, extra_hosts: Vec<String>, with_secret: bool) -> (String, FinishReason) {
    let engine = common::engine();
    let plugins = common::plugins_with_test_ones(&engine).await;
    let request = GenerateRequest {
        model: "fetch".into(),
        params: vec![
            ("url".into(), url),
            ("with-secret".into(), with_secret.to_string()),
        ],
        ..Default::default()
    };
    let network = NetworkGrant {
        extra_hosts,
        secrets: [("HOSTILE_TEST_KEY".to_owned(), "sk-never-sent".to_owned())].into(),
    };
    let limits = PluginLimits {
        deadline: Duration::from_secs(10),
        ..PluginLimits::default()
    };
    let generation = plugins.providers["hostile"]
        .generate(request, &limits, network, common::sink())
        .await
        .unwrap();
    (generation.reply, generation.finish)
}

#[tokio::test]
async fn an_undeclared_host_is_refused_with_how_to_allow_it() {
    let (port, seen) = recording_server().await;
    let (_, finish) = fetch(format!("http://127.0.0.1:{port}/reply"), Vec::new(), false).await;
    let FinishReason::Error(message) = finish else {
        panic!("{finish:?}")
    };
    assert!(message.contains("HostNotAllowed"), "{message}");
    assert!(message.contains(&format!(
        "127.0.0.1:{port} is not among the hosts plugin `hostile` declared"
    )));
    assert!(
        message.contains(&format!("allow_hosts = [\\\"127.0.0.1:{port}\\\"]")),
        "{message}"
    );
    assert!(
        seen.lock().unwrap().is_empty(),
        "the request must not leave"
    );
}

#[tokio::test]
async fn an_allowed_host_is_reached_and_its_body_streamed_back() {
    let (port, seen) = recording_server().await;
    let host = format!("127.0.0.1:{port}");
    let (reply, finish) = fetch(format!("http://{host}/reply"), vec![host], false).await;
    assert_eq!(finish, FinishReason::Stop);
    assert_eq!(reply, "streamed through the host");
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].get("authorization").is_none());
}

#[tokio::test]
async fn a_secret_the_plugin_did_not_declare_is_never_sent() {
    let (port, seen) = recording_server().await;
    let host = format!("127.0.0.1:{port}");
    let (_, finish) = fetch(format!("http://{host}/reply"), vec![host], true).await;
    let FinishReason::Error(message) = finish else {
        panic!("{finish:?}")
    };
    assert!(message.contains("SecretUnavailable"), "{message}");
    assert!(message.contains("HOSTILE_TEST_KEY"), "{message}");
    assert!(
        !message.contains("sk-never-sent"),
        "the value never appears: {message}"
    );
    assert!(seen.lock().unwrap().is_empty(), "nothing was sent");
}
