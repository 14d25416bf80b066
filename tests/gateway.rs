//! The preview gateway over real HTTP on loopback: two small sites stand in for two runs'
//! containers, and the gateway is mounted in front of an API route as the arena mounts it.
//!
//! glibc does not resolve `*.localhost`, so every request goes to 127.0.0.1 with the preview
//! name in the Host header, as a browser would send it.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{any, get};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::time::timeout;

use arena::gateway::{
    DEFAULT_PREVIEW_DOMAIN, Gateway, PREVIEW_SANDBOX, PreviewLookup, PreviewTargets, route_previews,
};

const PATIENCE: Duration = Duration::from_secs(5);

/// The arena's side: which runs exist and which of them were touched.
#[derive(Default)]
struct Runs {
    table: Mutex<HashMap<String, PreviewLookup>>,
    touched: Mutex<Vec<String>>,
}

impl Runs {
    fn set(&self, run_id: &str, lookup: PreviewLookup) {
        self.table.lock().unwrap().insert(run_id.to_owned(), lookup);
    }
}

impl PreviewTargets for Runs {
    fn lookup(&self, run_id: &str) -> PreviewLookup {
        self.table
            .lock()
            .unwrap()
            .get(run_id)
            .cloned()
            .unwrap_or(PreviewLookup::Unknown)
    }

    fn touch(&self, run_id: &str) {
        self.touched.lock().unwrap().push(run_id.to_owned());
    }
}

/// One run's site, standing in for its container.
struct Site {
    addr: SocketAddr,
    /// Lets `/stream` send its last chunk.
    release: Arc<Notify>,
}

async fn start_site(title: &'static str) -> Site {
    let release = Arc::new(Notify::new());
    let stream_release = Arc::clone(&release);

    let app = Router::new()
        .route(
            "/",
            get(move || async move {
                Html(format!(
                    "<!doctype html><html><head><title>{title}</title></head></html>"
                ))
            }),
        )
        .route("/stream", get(move || stream(Arc::clone(&stream_release))))
        .route("/echo", any(echo))
        .route("/cookies", get(cookies))
        .route(
            "/old",
            get(|| async { (StatusCode::TEMPORARY_REDIRECT, [("location", "/new")]) }),
        )
        .fallback(move |uri: Uri| async move { format!("{title} fallback for {uri}") });

    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Site { addr, release }
}

/// A first chunk at once, the last only once the test has seen the first (or after 10 s, so
/// a buffering gateway fails the test on its timeout instead of hanging it).
async fn stream(release: Arc<Notify>) -> Response {
    let chunks = futures::stream::unfold(0, move |step| {
        let release = Arc::clone(&release);
        async move {
            let chunk = match step {
                0 => "first chunk\n",
                1 => {
                    let _ = timeout(Duration::from_secs(10), release.notified()).await;
                    "last chunk\n"
                }
                _ => return None,
            };
            Some((Ok::<_, Infallible>(Bytes::from(chunk)), step + 1))
        }
    });
    Body::from_stream(chunks).into_response()
}

async fn echo(method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> axum::Json<Value> {
    let header = |name: &str| {
        headers
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    };
    axum::Json(json!({
        "method": method.as_str(),
        "uri": uri.to_string(),
        "body": String::from_utf8_lossy(&body),
        "host": header("host"),
        "x-forwarded-host": header("x-forwarded-host"),
        "x-forwarded-proto": header("x-forwarded-proto"),
        "x-forwarded-for": header("x-forwarded-for"),
        "x-drop-me": header("x-drop-me"),
        "x-kept": header("x-kept"),
    }))
}

async fn cookies() -> (HeaderMap, &'static str) {
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("set-cookie", "plain=1; Path=/"),
        (
            "set-cookie",
            "own=2; Domain=run-a.preview.localhost; Path=/",
        ),
        ("set-cookie", "parent=3; Domain=localhost"),
        ("set-cookie", "preview=4; Domain=.preview.localhost"),
        ("set-cookie", "sneaky=5; Path=/; domain=PREVIEW.localhost"),
        ("content-security-policy", "default-src 'self'"),
        ("referrer-policy", "unsafe-url"),
        ("clear-site-data", "\"cookies\""),
        ("connection", "x-site-private"),
        ("x-site-private", "1"),
        ("keep-alive", "timeout=5"),
    ] {
        headers.append(name, value.parse().unwrap());
    }
    (headers, "cookies")
}

/// The arena: an API route with the gateway in front, two ready runs and one of each other
/// state.
struct Arena {
    port: u16,
    runs: Arc<Runs>,
    site_a: Site,
    site_b: Site,
    client: reqwest::Client,
}

async fn start_arena() -> Arena {
    let (site_a, site_b) = (start_site("Site A").await, start_site("Site B").await);
    let dead = {
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        listener.local_addr().unwrap()
    };

    let runs = Arc::new(Runs::default());
    runs.set("run-a", PreviewLookup::Ready(site_a.addr));
    runs.set("run-b", PreviewLookup::Ready(site_b.addr));
    runs.set(
        "building",
        PreviewLookup::NotReady {
            status: "building".into(),
        },
    );
    runs.set(
        "gone",
        PreviewLookup::Ended {
            reason: "idle timeout <30 min>".into(),
        },
    );
    runs.set("dead", PreviewLookup::Ready(dead));

    let gateway = Gateway::new(runs.clone(), DEFAULT_PREVIEW_DOMAIN);
    let app = Router::new()
        .route("/api/ping", get(|| async { "arena api" }))
        .layer(axum::middleware::from_fn_with_state(
            gateway,
            route_previews,
        ));
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let app = app.into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, app).await.unwrap()
    });

    let client = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Arena {
        port,
        runs,
        site_a,
        site_b,
        client,
    }
}

impl Arena {
    /// A request to the arena's port for `host` (without port; the arena's is added).
    fn request(&self, method: Method, host: &str, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("http://127.0.0.1:{}{path}", self.port))
            .header("host", format!("{host}:{}", self.port))
    }

    async fn get(&self, host: &str, path: &str) -> reqwest::Response {
        let request = self.request(Method::GET, host, path).send();
        timeout(PATIENCE, request)
            .await
            .expect("the gateway answers in time")
            .unwrap()
    }
}

fn all(response: &reqwest::Response, name: &str) -> Vec<String> {
    let values = response.headers().get_all(name).iter();
    values
        .map(|value| value.to_str().unwrap().to_owned())
        .collect()
}

fn one(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|value| value.to_str().unwrap().to_owned())
}

fn assert_protected(response: &reqwest::Response) {
    let policies = all(response, "content-security-policy");
    assert!(
        policies.iter().any(|p| p == PREVIEW_SANDBOX),
        "{}: {policies:?}",
        response.url()
    );
    assert_eq!(
        one(response, "x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert_eq!(
        one(response, "referrer-policy").as_deref(),
        Some("no-referrer")
    );
}

#[tokio::test]
async fn each_run_gets_its_own_site() {
    let arena = start_arena().await;

    for (host, title) in [
        ("run-a.preview.localhost", "<title>Site A</title>"),
        ("run-b.preview.localhost", "<title>Site B</title>"),
        ("RUN-B.Preview.Localhost.", "<title>Site B</title>"),
    ] {
        let response = arena.get(host, "/").await;
        assert_eq!(response.status(), StatusCode::OK, "{host}");
        assert_protected(&response);
        assert!(response.text().await.unwrap().contains(title), "{host}");
    }

    let touched = arena.runs.touched.lock().unwrap().clone();
    assert_eq!(touched, ["run-a", "run-b", "run-b"]);
}

#[tokio::test]
async fn other_hosts_reach_the_api_and_preview_hosts_never_do() {
    let arena = start_arena().await;

    let api = arena.get("127.0.0.1", "/api/ping").await;
    assert_eq!(api.status(), StatusCode::OK);
    assert_eq!(one(&api, "content-security-policy"), None);
    assert_eq!(api.text().await.unwrap(), "arena api");

    let not_a_route = arena.get("localhost", "/nothing-here").await;
    assert_eq!(not_a_route.status(), StatusCode::NOT_FOUND);

    let preview = arena.get("run-a.preview.localhost", "/api/ping").await;
    assert_eq!(preview.status(), StatusCode::OK);
    assert_eq!(
        preview.text().await.unwrap(),
        "Site A fallback for /api/ping"
    );
}

#[tokio::test]
async fn method_query_body_and_headers_are_forwarded() {
    let arena = start_arena().await;
    let body_chunks = futures::stream::iter(["hello ", "gateway"].map(Ok::<_, Infallible>));

    let request = arena
        .request(
            Method::PUT,
            "run-a.preview.localhost",
            "/echo?a=1&b=two%20words",
        )
        .header("connection", "x-drop-me")
        .header("x-drop-me", "1")
        .header("x-kept", "yes")
        .body(reqwest::Body::wrap_stream(body_chunks))
        .send();
    let response = timeout(PATIENCE, request).await.unwrap().unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    assert_protected(&response);
    let echo: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(
        echo,
        json!({
            "method": "PUT",
            "uri": "/echo?a=1&b=two%20words",
            "body": "hello gateway",
            "host": arena.site_a.addr.to_string(),
            "x-forwarded-host": format!("run-a.preview.localhost:{}", arena.port),
            "x-forwarded-proto": "http",
            "x-forwarded-for": "127.0.0.1",
            "x-drop-me": null,
            "x-kept": "yes",
        })
    );
}

#[tokio::test]
async fn responses_stream_chunk_by_chunk() {
    let arena = start_arena().await;
    let mut response = arena.get("run-b.preview.localhost", "/stream").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_protected(&response);

    let first = timeout(PATIENCE, response.chunk())
        .await
        .expect("the first chunk reaches the client before the site sends the last")
        .unwrap();
    assert_eq!(first.as_deref(), Some(&b"first chunk\n"[..]));

    arena.site_b.release.notify_one();
    let mut rest = Vec::new();
    while let Some(chunk) = timeout(PATIENCE, response.chunk()).await.unwrap().unwrap() {
        rest.extend_from_slice(&chunk);
    }
    assert_eq!(rest, b"last chunk\n");
}

#[tokio::test]
async fn statuses_and_headers_are_kept_but_parent_domain_cookies_are_not() {
    let arena = start_arena().await;

    let redirect = arena.get("run-a.preview.localhost", "/old").await;
    assert_eq!(redirect.status(), StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(one(&redirect, "location").as_deref(), Some("/new"));
    assert_protected(&redirect);

    let response = arena.get("run-a.preview.localhost", "/cookies").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_protected(&response);
    assert_eq!(
        all(&response, "set-cookie"),
        [
            "plain=1; Path=/",
            "own=2; Domain=run-a.preview.localhost; Path=/"
        ]
    );
    assert_eq!(
        all(&response, "content-security-policy"),
        ["default-src 'self'", PREVIEW_SANDBOX],
        "the site's own policy is kept and the sandbox added next to it"
    );
    for dropped in ["clear-site-data", "x-site-private", "keep-alive"] {
        assert_eq!(one(&response, dropped), None, "{dropped}");
    }
}

#[tokio::test]
async fn runs_that_cannot_be_served_get_clear_pages() {
    let arena = start_arena().await;

    for (host, status, says) in [
        (
            "nobody.preview.localhost",
            StatusCode::NOT_FOUND,
            "No preview named nobody",
        ),
        (
            "building.preview.localhost",
            StatusCode::SERVICE_UNAVAILABLE,
            "<strong>building</strong>",
        ),
        (
            "gone.preview.localhost",
            StatusCode::GONE,
            "The run ended: idle timeout &lt;30 min&gt;.",
        ),
        (
            "dead.preview.localhost",
            StatusCode::BAD_GATEWAY,
            "site's server is not answering",
        ),
        (
            "a.b.preview.localhost",
            StatusCode::BAD_REQUEST,
            "Not a preview address",
        ),
        (
            "preview.localhost",
            StatusCode::BAD_REQUEST,
            "Not a preview address",
        ),
        (
            "run_a.preview.localhost",
            StatusCode::BAD_REQUEST,
            "Not a preview address",
        ),
        (
            "-a.preview.localhost",
            StatusCode::BAD_REQUEST,
            "Not a preview address",
        ),
    ] {
        let response = arena.get(host, "/some/page?x=1").await;
        assert_eq!(response.status(), status, "{host}");
        assert_protected(&response);
        assert_eq!(
            one(&response, "content-type").as_deref(),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(one(&response, "cache-control").as_deref(), Some("no-store"));
        let retry_after = one(&response, "retry-after");
        assert_eq!(
            retry_after.is_some(),
            status == StatusCode::SERVICE_UNAVAILABLE,
            "{host}"
        );

        let page = response.text().await.unwrap();
        assert!(page.contains(says), "{host}: {page}");
        for internal in ["refused", "os error", "client error", "127.0.0.1"] {
            assert!(
                !page.contains(internal),
                "{host} leaks {internal:?}: {page}"
            );
        }
    }

    assert!(
        arena
            .runs
            .touched
            .lock()
            .unwrap()
            .iter()
            .all(|run| run == "dead")
    );
}

#[tokio::test]
async fn the_gateway_alone_refuses_hosts_that_are_not_previews() {
    let runs = Arc::new(Runs::default());
    let gateway = Gateway::new(runs, DEFAULT_PREVIEW_DOMAIN);
    let app = Router::new().fallback(move |request: Request| {
        let gateway = gateway.clone();
        async move { gateway.handle(request).await }
    });
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let request = client
        .get(format!("http://127.0.0.1:{port}/"))
        .header(header::HOST, "<b>x");
    let response = timeout(PATIENCE, request.send()).await.unwrap().unwrap();

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_protected(&response);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("<strong>&lt;b&gt;x</strong> does not name a preview"),
        "{page}"
    );
}

#[test]
fn preview_names_follow_the_configured_domain() {
    let gateway = Gateway::new(Arc::new(Runs::default()), ".Previews.Example.TEST.");

    assert_eq!(gateway.preview_domain(), "previews.example.test");
    assert_eq!(gateway.preview_host("r1"), "r1.previews.example.test");
    assert_eq!(
        gateway.preview_url("r1", 3000),
        "http://r1.previews.example.test:3000/"
    );

    assert!(gateway.is_preview_host("r1.previews.example.test:3000"));
    assert!(gateway.is_preview_host("previews.example.test"));
    assert!(gateway.is_preview_host("a.b.previews.example.test"));
    assert!(!gateway.is_preview_host("xpreviews.example.test"));
    assert!(!gateway.is_preview_host("localhost:3000"));

    assert_eq!(
        gateway
            .run_id_for_host("R1.previews.example.test:80")
            .as_deref(),
        Some("r1")
    );
    assert_eq!(gateway.run_id_for_host("a.b.previews.example.test"), None);
    assert_eq!(gateway.run_id_for_host("previews.example.test"), None);
    assert_eq!(gateway.run_id_for_host("r1.preview.localhost"), None);
}
