//! The component's exports: dispatches on the request's model.

use crate::behaviour::{self, Behaviour};

wit_bindgen::generate!({
    path: "../../../wit",
    world: "vibe-arena:plugin/provider-plugin",
});

use exports::vibe_arena::plugin::provider::{
    FinishReason, GenerateRequest, Generation, Guest, ModelInfo, ProviderInfo, TokenUsage,
};
use vibe_arena::plugin::{outbound_http, reply_stream};

struct Hostile;

impl Guest for Hostile {
    fn describe() -> ProviderInfo {
        let models = behaviour::MODELS
            .iter()
            .map(|model| ModelInfo {
                id: (*model).into(),
                display_name: format!("Hostile: {model}"),
                context_tokens: 8_192,
                max_output_tokens: 8_192,
                input_price_per_mtok: 0.0,
                output_price_per_mtok: 0.0,
            })
            .collect();
        ProviderInfo {
            id: "hostile".into(),
            display_name: "Hostile (tests only)".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            models,
            secrets: Vec::new(),
            hosts: Vec::new(),
        }
    }

    fn generate(request: GenerateRequest) -> Generation {
        let behaviour = match Behaviour::for_model(&request.model) {
            Ok(behaviour) => behaviour,
            Err(message) => return finished(FinishReason::Error(message)),
        };

        match behaviour {
            Behaviour::Trap => behaviour::trap(),
            Behaviour::Loop => behaviour::spin(),
            Behaviour::Memory => behaviour::hoard(),
            Behaviour::Flood => behaviour::flood(reply_stream::emit),
            Behaviour::Sleep => {
                std::thread::sleep(behaviour::SLEEP);
                finished(FinishReason::Error(
                    "hostile slept for an hour; the host should have timed this call out".into(),
                ))
            }
            Behaviour::ForbiddenHost => finished(call_forbidden_host()),
            Behaviour::Fetch => finished(fetch(&request)),
            Behaviour::Fine => {
                reply_stream::emit(behaviour::FINE_REPLY);
                let output_tokens = (behaviour::FINE_REPLY.len() as u64).div_ceil(4);
                Generation {
                    usage: TokenUsage {
                        input_tokens: 0,
                        output_tokens,
                    },
                    finish: FinishReason::Stop,
                }
            }
        }
    }
}

/// GETs the URL in the `url` parameter and emits the body it reads; with `with-secret=true`
/// it also asks for a secret it never declared. For tests of the host's allow-list.
fn fetch(request: &GenerateRequest) -> FinishReason {
    let param = |name: &str| {
        request
            .params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, v)| v)
    };
    let Some(url) = param("url") else {
        return FinishReason::Error("fetch needs the `url` parameter".into());
    };
    let secret_headers = match param("with-secret").map(String::as_str) {
        Some("true") => vec![("authorization".into(), behaviour::UNDECLARED_SECRET.into())],
        _ => Vec::new(),
    };
    let request = outbound_http::Request {
        method: "GET".into(),
        url: url.clone(),
        headers: vec![("accept".into(), "text/plain".into())],
        secret_headers,
        secret_prefix: "Bearer ".into(),
        body: Vec::new(),
        timeout_ms: 5_000,
    };
    let response = match outbound_http::send(&request) {
        Ok(response) => response,
        Err(error) => return FinishReason::Error(format!("fetch refused: {error:?}")),
    };
    loop {
        match response.body.read() {
            Ok(Some(chunk)) => reply_stream::emit(&String::from_utf8_lossy(&chunk)),
            Ok(None) => return FinishReason::Stop,
            Err(error) => return FinishReason::Error(format!("fetch broke off: {error:?}")),
        }
    }
}

/// Asks for a host this plugin never declared. The host must answer with an error value,
/// which becomes the run's failure reason; a response means the allow-list leaked.
fn call_forbidden_host() -> FinishReason {
    let request = outbound_http::Request {
        method: "GET".into(),
        url: behaviour::FORBIDDEN_URL.into(),
        headers: Vec::new(),
        secret_headers: Vec::new(),
        secret_prefix: String::new(),
        body: Vec::new(),
        timeout_ms: 5_000,
    };
    match outbound_http::send(&request) {
        Err(error) => FinishReason::Error(format!("refused as expected: {error:?}")),
        Ok(response) => FinishReason::Error(format!(
            "the host let a request to an undeclared host through (status {})",
            response.status
        )),
    }
}

fn finished(finish: FinishReason) -> Generation {
    Generation {
        usage: TokenUsage {
            input_tokens: 0,
            output_tokens: 0,
        },
        finish,
    }
}

export!(Hostile);
