//! The preview gateway: every run's site at `http://{run-id}.{preview-domain}:{port}/`.
//!
//! The gateway picks the run from the Host header, asks [`PreviewTargets`] where that run's
//! container listens, and forwards the request to `http://127.0.0.1:<port>`, streaming both
//! bodies. It knows nothing else about runs, so the arena decides what "ready" means and the
//! gateway can be tested against any HTTP server.
//!
//! Generated sites are hostile, and a preview must never reach the arena's origin, cookies or
//! storage. Every response that leaves the gateway for a preview host, the site's own and the
//! gateway's error pages alike, therefore:
//!
//! - carries `Content-Security-Policy: sandbox allow-scripts allow-forms allow-modals
//!   allow-popups` as a policy of its own, next to any the site sends (browsers enforce every
//!   policy, so the site cannot loosen ours), which gives the page an opaque origin even when
//!   it is opened outside the arena's iframe;
//! - carries `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`;
//! - loses every `Set-Cookie` whose `Domain` is not the preview's own host name, since a
//!   cookie for a parent domain (`localhost`, `preview.localhost`) would reach the arena or
//!   the other previews, and loses `Clear-Site-Data`, which could wipe the arena's cookies.
//!
//! Mount it in front of the arena's own routes with [`route_previews`]; requests for any other
//! host go on to the API untouched.

use std::error::Error as StdError;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::{Extensions, StatusCode, Uri, Version};
use axum::middleware::Next;
use axum::response::Response;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use tracing::{debug, warn};

/// The preview domain when none is configured. Browsers resolve every `*.localhost` name to
/// loopback by themselves, so previews need no DNS set-up.
pub const DEFAULT_PREVIEW_DOMAIN: &str = "preview.localhost";

/// The policy added to every preview response: the same flags as the arena's iframe, and
/// never `allow-same-origin`.
pub const PREVIEW_SANDBOX: &str = "sandbox allow-scripts allow-forms allow-modals allow-popups";

/// How long to wait for a container to accept a connection. There is no overall timeout:
/// a response may stream for as long as the site likes.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Idle upstream connections are kept this long. Node's HTTP server (and so `next start`)
/// closes idle connections after 5 s; closing ours well before avoids sending a request on a
/// connection the site is closing at that very moment.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(2);

/// What a browser is told to wait before asking again for a preview that is not ready.
const RETRY_AFTER_SECONDS: u32 = 5;

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
const X_FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");
const X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");
const CLEAR_SITE_DATA: HeaderName = HeaderName::from_static("clear-site-data");

/// Headers that describe one connection, not the message (RFC 9110, section 7.6.1), so they
/// are never forwarded in either direction. Headers named by `Connection` join them.
const HOP_BY_HOP: [HeaderName; 9] = [
    header::CONNECTION,
    HeaderName::from_static("keep-alive"),
    HeaderName::from_static("proxy-connection"),
    header::PROXY_AUTHENTICATE,
    header::PROXY_AUTHORIZATION,
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
    header::UPGRADE,
];

/// Where the gateway learns which runs exist and where their containers listen.
pub trait PreviewTargets: Send + Sync + 'static {
    /// The state of the run whose preview host was requested.
    fn lookup(&self, run_id: &str) -> PreviewLookup;

    /// Called for every request forwarded to a ready run, so its idle timeout can restart.
    fn touch(&self, run_id: &str) {
        let _ = run_id;
    }
}

/// A run as the gateway sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreviewLookup {
    /// The site is served on this address (a loopback address published by its container).
    Ready(SocketAddr),
    /// The run exists but its site is not up yet; `status` is shown, as in "building".
    NotReady { status: String },
    /// The run has ended (failed, stopped, idle timeout); `reason` is shown.
    Ended { reason: String },
    /// No run has this id.
    Unknown,
}

/// The preview gateway. Clones share one upstream client and one set of targets.
#[derive(Clone)]
pub struct Gateway {
    inner: Arc<Inner>,
}

struct Inner {
    targets: Arc<dyn PreviewTargets>,
    /// Lower case, without leading or trailing dots.
    domain: String,
    client: Client<HttpConnector, Body>,
}

impl Gateway {
    /// A gateway serving `{run-id}.{preview_domain}` for the runs `targets` knows.
    ///
    /// # Panics
    ///
    /// If `preview_domain` is empty (or only dots).
    pub fn new(targets: Arc<dyn PreviewTargets>, preview_domain: impl Into<String>) -> Self {
        let domain = preview_domain
            .into()
            .trim()
            .trim_matches('.')
            .to_ascii_lowercase();
        assert!(!domain.is_empty(), "the preview domain must not be empty");

        let mut connector = HttpConnector::new();
        connector.set_connect_timeout(Some(CONNECT_TIMEOUT));
        connector.set_nodelay(true);
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .build(connector);

        let inner = Inner {
            targets,
            domain,
            client,
        };
        Self {
            inner: Arc::new(inner),
        }
    }

    /// The preview domain, normalised: lower case, no leading or trailing dot.
    pub fn preview_domain(&self) -> &str {
        &self.inner.domain
    }

    /// The host name of a run's preview, `{run_id}.{preview-domain}`.
    pub fn preview_host(&self, run_id: &str) -> String {
        format!("{run_id}.{}", self.inner.domain)
    }

    /// The address a person opens for a run's preview when the arena listens on `port`.
    pub fn preview_url(&self, run_id: &str, port: u16) -> String {
        format!("http://{}:{port}/", self.preview_host(run_id))
    }

    /// Whether a Host header value (with or without port) is addressed to the gateway: the
    /// preview domain itself or any name under it. Such requests never reach the API, even
    /// when the name is not a valid preview host (they get a 400 page instead).
    pub fn is_preview_host(&self, host: &str) -> bool {
        let name = host_name(host);
        let domain = self.inner.domain.as_str();
        name == domain
            || name
                .strip_suffix(domain)
                .is_some_and(|rest| rest.ends_with('.'))
    }

    /// The run id a Host header value names, if it is `{run-id}.{preview-domain}[:port]` and
    /// the id is a valid run id (see [`is_valid_run_id`]). Host names are case-insensitive,
    /// so the id comes back in lower case.
    pub fn run_id_for_host(&self, host: &str) -> Option<String> {
        let name = host_name(host);
        let run_id = name
            .strip_suffix(self.inner.domain.as_str())?
            .strip_suffix('.')?;
        is_valid_run_id(run_id).then(|| run_id.to_owned())
    }

    /// Answers one request addressed to a preview host.
    pub async fn handle(&self, request: Request) -> Response {
        let Some(host) = request_host(&request).map(str::to_owned) else {
            debug!("Refused a preview request without a Host header.");
            return bad_host_page(None, &self.inner.domain);
        };
        let Some(run_id) = self.run_id_for_host(&host) else {
            debug!(host, "Refused a request for a host that names no preview.");
            return bad_host_page(Some(&host), &self.inner.domain);
        };

        match self.inner.targets.lookup(&run_id) {
            PreviewLookup::Ready(upstream) => {
                self.inner.targets.touch(&run_id);
                self.forward(&run_id, &host, upstream, request).await
            }
            PreviewLookup::NotReady { status } => {
                debug!(run_id, status, "Preview requested before the run is ready.");
                let mut response = status_page(
                    StatusCode::SERVICE_UNAVAILABLE,
                    &format!("The preview of {run_id} is not ready yet"),
                    &format!(
                        "The run is <strong>{}</strong>. This page reloads itself every few \
                         seconds and shows the site as soon as it is up.",
                        escape(&status)
                    ),
                    Some(RETRY_AFTER_SECONDS),
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, RETRY_AFTER_SECONDS.into());
                response
            }
            PreviewLookup::Ended { reason } => {
                debug!(run_id, reason, "Preview requested after the run ended.");
                status_page(
                    StatusCode::GONE,
                    &format!("The preview of {run_id} has ended"),
                    &format!(
                        "The run ended: {}. Nothing is served for it now; its logs (and its \
                         screenshots, if it got that far) stay in the arena.",
                        escape(&reason)
                    ),
                    None,
                )
            }
            PreviewLookup::Unknown => {
                debug!(run_id, "Preview requested for an unknown run.");
                status_page(
                    StatusCode::NOT_FOUND,
                    &format!("No preview named {run_id}"),
                    &format!(
                        "This arena has no run called <strong>{run_id}</strong>. Check the \
                         address, or open the preview from the arena page."
                    ),
                    None,
                )
            }
        }
    }

    /// Sends the request to the run's container and streams its answer back.
    async fn forward(
        &self,
        run_id: &str,
        host: &str,
        upstream: SocketAddr,
        request: Request,
    ) -> Response {
        let (mut parts, body) = request.into_parts();
        let path = parts.uri.path_and_query().map_or("/", |path| path.as_str());
        let Ok(uri) = format!("http://{upstream}{path}").parse::<Uri>() else {
            return bad_host_page(Some(host), &self.inner.domain);
        };
        let client_ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());

        parts.uri = uri;
        // Upstream connections speak HTTP/1.1 whatever the browser spoke to the gateway, and
        // the server's extensions (connection info, upgrade handles) are not the client's.
        parts.version = Version::HTTP_11;
        parts.extensions = Extensions::new();
        let headers = &mut parts.headers;
        strip_hop_by_hop(headers);
        // TODO: forward WebSocket upgrades once a pipeline serves a dev server or a site
        // needs live sockets; until then `Upgrade` is dropped and the site answers plain HTTP.
        headers.insert(header::HOST, header_value(upstream.to_string()));
        headers.insert(X_FORWARDED_HOST, header_value(host.to_owned()));
        headers.insert(X_FORWARDED_PROTO, HeaderValue::from_static("http"));
        if let Some(ip) = client_ip {
            let forwarded_for = match headers.get(&X_FORWARDED_FOR).map(|v| v.to_str()) {
                Some(Ok(earlier)) => format!("{earlier}, {ip}"),
                _ => ip.to_string(),
            };
            headers.insert(X_FORWARDED_FOR, header_value(forwarded_for));
        }

        let upstream_request = Request::from_parts(parts, body);
        let response = match self.inner.client.request(upstream_request).await {
            Ok(response) => response,
            Err(error) => {
                warn!(
                    run_id,
                    %upstream,
                    error = error_chain(&error),
                    "The preview's server did not answer; is its container still running?"
                );
                return status_page(
                    StatusCode::BAD_GATEWAY,
                    &format!("The preview of {run_id} is not answering"),
                    "The site's server is not answering. It may have crashed or be restarting; \
                     try again in a moment.",
                    None,
                );
            }
        };

        let (mut parts, body) = response.into_parts();
        strip_hop_by_hop(&mut parts.headers);
        keep_own_cookies(&mut parts.headers, &host_name(host), run_id);
        protect(&mut parts.headers);
        Response::from_parts(parts, Body::new(body))
    }
}

/// Middleware that sends requests for preview hosts to the gateway and everything else on
/// to the rest of the router, so previews and the API share one port:
///
/// ```no_run
/// # use std::sync::Arc;
/// # use arena::gateway::{Gateway, PreviewLookup, PreviewTargets, route_previews};
/// # struct Runs;
/// # impl PreviewTargets for Runs {
/// #     fn lookup(&self, _: &str) -> PreviewLookup { PreviewLookup::Unknown }
/// # }
/// let gateway = Gateway::new(Arc::new(Runs), "preview.localhost");
/// let app: axum::Router = axum::Router::new()
///     .route("/api/sessions", axum::routing::get(|| async { "[]" }))
///     .layer(axum::middleware::from_fn_with_state(gateway, route_previews));
/// ```
pub async fn route_previews(
    State(gateway): State<Gateway>,
    request: Request,
    next: Next,
) -> Response {
    match request_host(&request) {
        Some(host) if gateway.is_preview_host(host) => gateway.handle(request).await,
        _ => next.run(request).await,
    }
}

/// Whether `run_id` can be the first label of a host name: 1 to 63 lower-case ASCII letters,
/// digits and hyphens, neither starting nor ending with a hyphen. Run ids must be made this
/// way to be reachable through the gateway.
pub fn is_valid_run_id(run_id: &str) -> bool {
    (1..=63).contains(&run_id.len())
        && !run_id.starts_with('-')
        && !run_id.ends_with('-')
        && run_id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The Host of a request: the header for HTTP/1.1, the URI's authority for HTTP/2.
fn request_host(request: &Request) -> Option<&str> {
    match request.headers().get(header::HOST) {
        Some(value) => value.to_str().ok(),
        None => request
            .uri()
            .authority()
            .map(|authority| authority.as_str()),
    }
}

/// A Host header value reduced to its name: no port, no trailing dot, lower case.
fn host_name(host: &str) -> String {
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    name.trim_end_matches('.').to_ascii_lowercase()
}

fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let named: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .collect();
    for name in named.iter().chain(&HOP_BY_HOP) {
        headers.remove(name);
    }
}

/// Drops every `Set-Cookie` that names a `Domain` other than the preview's own host name.
fn keep_own_cookies(headers: &mut HeaderMap, own_host: &str, run_id: &str) {
    if !headers.contains_key(header::SET_COOKIE) {
        return;
    }

    let cookies: Vec<HeaderValue> = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .cloned()
        .collect();
    headers.remove(header::SET_COOKIE);
    for cookie in cookies {
        let text = String::from_utf8_lossy(cookie.as_bytes());
        let foreign_domain = text.split(';').skip(1).find_map(|attribute| {
            let (name, value) = attribute.split_once('=')?;
            let domain = value.trim().trim_start_matches('.').to_ascii_lowercase();
            (name.trim().eq_ignore_ascii_case("domain") && domain != own_host).then_some(domain)
        });
        match foreign_domain {
            Some(domain) => debug!(
                run_id,
                domain, "Dropped a cookie the site set for a parent domain."
            ),
            None => {
                headers.append(header::SET_COOKIE, cookie);
            }
        }
    }
}

/// Adds the headers every preview response carries; see the module documentation.
fn protect(headers: &mut HeaderMap) {
    headers.append(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PREVIEW_SANDBOX),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.remove(CLEAR_SITE_DATA);
}

fn bad_host_page(host: Option<&str>, domain: &str) -> Response {
    let named = match host {
        Some(host) => format!("<strong>{}</strong> does not name a preview.", escape(host)),
        None => "The request did not say which preview it is for.".to_owned(),
    };
    status_page(
        StatusCode::BAD_REQUEST,
        "Not a preview address",
        &format!(
            "{named} Preview addresses look like http://<em>run-id</em>.{}/.",
            escape(domain)
        ),
        None,
    )
}

/// A small HTML page for the gateway's own answers, protected like any preview response.
/// `message` is HTML: callers escape what they put in it.
fn status_page(
    status: StatusCode,
    title: &str,
    message: &str,
    refresh_seconds: Option<u32>,
) -> Response {
    let title = escape(title);
    let mut html = String::from("<!doctype html>\n<html lang=\"en\">\n<head>\n");
    html.push_str("<meta charset=\"utf-8\">\n");
    if let Some(seconds) = refresh_seconds {
        let _ = writeln!(html, "<meta http-equiv=\"refresh\" content=\"{seconds}\">");
    }
    let _ = write!(
        html,
        "<title>{title}</title>\n<style>body{{font:16px/1.5 system-ui,sans-serif;\
         max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}}</style>\n</head>\n\
         <body>\n<h1>{title}</h1>\n<p>{message}</p>\n<p><small>{} {}</small></p>\n\
         </body>\n</html>\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or_default(),
    );

    let mut response = Response::new(Body::from(html));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    protect(headers);
    response
}

fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// A header value from text that came out of a header or a socket address, so it is valid.
fn header_value(text: String) -> HeaderValue {
    HeaderValue::try_from(text).expect("text from a header or an address is a valid header")
}

/// The error and its causes on one line, for the log (the client error alone says only
/// "client error (Connect)").
fn error_chain(error: &dyn StdError) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        let _ = write!(text, ": {error}");
        cause = error.source();
    }
    text
}
