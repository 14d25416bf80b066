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

        if response.status().is_redirection() {
            let location = response
                .headers()
                .get("location")
                .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
                .unwrap_or_default();
            return Ok(Err(HttpError::HostNotAllowed(format!(
                "{} answered {} redirecting to {location:?}; the arena follows no redirects (a \
                 key must reach nothing but the hosts allowed), so point the contestant's \
                 base-url at the final address",
                response.url(),
                response.status()
            ))));
        }

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
    if !request.secret_headers.is_empty() && url.scheme() == "http" && !is_loopback(&url) {
        return Err(HttpError::InvalidRequest(format!(
            "refusing to send a secret over plain http to {}: anyone on the way could read \
             it; use an https:// base-url (plain http is allowed only to this machine)",
            url.host_str().unwrap_or_default()
        )));
    }
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
                 \"MY_API_KEY\" }}, and the plugin must declare it (for a server that needs \
                 no key, openai-compatible takes params auth = \"none\")",
                policy.plugin_id
            )));
        };
        let Ok(value) =
            reqwest::header::HeaderValue::from_str(&format!("{}{value}", request.secret_prefix))
        else {
            // Typically a key pasted with its line ending (a CRLF .env file). Never echo it.
            return Err(HttpError::SecretUnavailable(format!(
                "secret `{secret}` holds a character a header cannot carry (a line break or \
                 other control character?): check the variable that holds it"
            )));
        };
        builder = builder.header(header, value);
    }
    let idle_timeout = Duration::from_millis(u64::from(request.timeout_ms.max(1)));
    Ok((builder.body(request.body), idle_timeout))
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name == "localhost" || name.ends_with(".localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
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
