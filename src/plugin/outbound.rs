//! The host side of `outbound-http`: the only way a plugin reaches the network.

use std::collections::HashMap;
use std::time::Duration;

use wasmtime::component::Resource;

use super::bindings::provider::vibe_arena::plugin::outbound_http::{
    self, HttpError, Request, Response,
};
use super::state::HostState;

/// What one provider call may reach: the hosts its plugin declared (plus any the operator
/// added for the contestant, such as a local model server) and the secrets it declared that
/// are configured.
pub struct OutboundPolicy {
    pub plugin_id: String,
    /// `host` or `host:port`, lowercase.
    pub allowed_hosts: Vec<String>,
    pub secrets: HashMap<String, String>,
    pub client: reqwest::Client,
}

impl OutboundPolicy {
    fn check_host(&self, url: &url::Url) -> Result<(), HttpError> {
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let with_port = match url.port_or_known_default() {
            Some(port) => format!("{host}:{port}"),
            None => host.clone(),
        };
        let allowed = self
            .allowed_hosts
            .iter()
            .any(|entry| *entry == host || *entry == with_port);
        if allowed {
            return Ok(());
        }
        tracing::warn!(
            plugin = %self.plugin_id,
            host = %with_port,
            "Refused a plugin request to an undeclared host; to allow it, add it to the \
             plugin's declared hosts or to the contestant's `allow_hosts`."
        );
        Err(HttpError::HostNotAllowed(format!(
            "{with_port} is not among the hosts plugin `{}` declared ({}); an operator can \
             allow it with `allow_hosts = [\"{with_port}\"]` in the contestant's entry",
            self.plugin_id,
            self.allowed_hosts.join(", ")
        )))
    }
}

/// A response body being read by a plugin.
pub struct ResponseBody {
    response: reqwest::Response,
    idle_timeout: Duration,
}

impl outbound_http::Host for HostState {
    async fn send(&mut self, request: Request) -> wasmtime::Result<Result<Response, HttpError>> {
        let Some(policy) = &self.outbound else {
            return Ok(Err(HttpError::InvalidRequest(
                "this plugin has no network access".into(),
            )));
        };
        let prepared = match prepare(policy, request) {
            Ok(prepared) => prepared,
            Err(error) => return Ok(Err(error)),
        };

        let (builder, idle_timeout) = prepared;
        let response = match tokio::time::timeout(idle_timeout, builder.send()).await {
            Ok(Ok(response)) => response,
            Ok(Err(error)) => return Ok(Err(HttpError::Network(describe_reqwest(&error)))),
            Err(_) => {
                let secs = idle_timeout.as_secs_f32();
                return Ok(Err(HttpError::Network(format!(
                    "no response within {secs:.1}s"
                ))));
            }
        };

        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = self.table().push(ResponseBody {
            response,
            idle_timeout,
        })?;
        Ok(Ok(Response {
            status,
            headers,
            body,
        }))
    }
}

fn prepare(
    policy: &OutboundPolicy,
    request: Request,
) -> Result<(reqwest::RequestBuilder, Duration), HttpError> {
    let url = url::Url::parse(&request.url).map_err(|error| {
        HttpError::InvalidRequest(format!("bad URL {:?}: {error}", request.url))
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(HttpError::InvalidRequest(format!(
            "unsupported scheme in {}",
            request.url
        )));
    }
    policy.check_host(&url)?;

    let method = reqwest::Method::from_bytes(request.method.as_bytes())
        .map_err(|_| HttpError::InvalidRequest(format!("bad method {:?}", request.method)))?;
    let mut builder = policy.client.request(method, url);
    for (name, value) in request.headers {
        builder = builder.header(name, value);
    }
    for (header, secret) in request.secret_headers {
        let Some(value) = policy.secrets.get(&secret) else {
            // Never echo a value here, only the name.
            return Err(HttpError::SecretUnavailable(format!(
                "plugin `{}` was given no secret `{secret}`: the contestant's entry must name \
                 the environment variable that holds it, e.g. secrets = {{ {secret} = \
                 \"MY_API_KEY\" }}, and the plugin must declare it",
                policy.plugin_id
            )));
        };
        builder = builder.header(header, format!("{}{value}", request.secret_prefix));
    }
    let idle_timeout = Duration::from_millis(u64::from(request.timeout_ms.max(1)));
    Ok((builder.body(request.body), idle_timeout))
}

/// reqwest's messages can include the full URL; that is fine (keys travel in headers), but
/// its error chain is what explains a refused connection, so include the causes.
fn describe_reqwest(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl outbound_http::HostBody for HostState {
    async fn read(
        &mut self,
        body: Resource<ResponseBody>,
    ) -> wasmtime::Result<Result<Option<Vec<u8>>, HttpError>> {
        let body = self.table().get_mut(&body)?;
        let idle_timeout = body.idle_timeout;
        Ok(
            match tokio::time::timeout(idle_timeout, body.response.chunk()).await {
                Ok(Ok(chunk)) => Ok(chunk.map(|bytes| bytes.to_vec())),
                Ok(Err(error)) => Err(HttpError::Network(describe_reqwest(&error))),
                Err(_) => Err(HttpError::Network(format!(
                    "the stream stalled for {:.1}s",
                    idle_timeout.as_secs_f32()
                ))),
            },
        )
    }

    async fn drop(&mut self, body: Resource<ResponseBody>) -> wasmtime::Result<()> {
        self.table().delete(body)?;
        Ok(())
    }
}
