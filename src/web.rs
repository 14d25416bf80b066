//! The arena's own pages (`web/`): home, one page per session, history, leaderboard and
//! the plugins page.
//!
//! The files are plain HTML, CSS and JavaScript modules with no build step. Release builds
//! embed them in the binary; debug builds read them from `web/` on each request, so an edit
//! shows on the next reload.

use axum::body::Body;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "web/"]
struct WebFiles;

/// Pages by route; the session page reads its id from the address.
pub const HOME: &str = "index.html";
pub const SESSION: &str = "session.html";
pub const PLUGINS: &str = "plugins.html";
pub const HISTORY: &str = "history.html";
pub const LEADERBOARD: &str = "leaderboard.html";

/// The policy every arena page is served with, for a preview domain such as
/// `preview.localhost`.
///
/// Previews are the only frames allowed, scripts and styles come only from the arena, and
/// no other page may frame the arena (a preview must not wrap it to trick a click).
pub fn content_security_policy(preview_domain: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; frame-src http://*.{preview_domain}:* https://*.{preview_domain}:*; \
         frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
    )
}

/// Serves one page with the arena's policy; never without it.
pub fn page(name: &str, policy: &str, request_headers: &HeaderMap) -> Response {
    let Ok(policy) = HeaderValue::from_str(policy) else {
        tracing::error!(
            policy,
            "The page policy is not a valid header; check the preview domain."
        );
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let mut response = file(name, request_headers);
    response
        .headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, policy);
    response
}

/// `GET /assets/{*file}`: the pages' scripts and styles.
pub async fn asset(Path(name): Path<String>, headers: HeaderMap) -> Response {
    // Pages are served by their routes only, so that each gets its policy.
    if name.ends_with(".html") {
        return StatusCode::NOT_FOUND.into_response();
    }
    file(&name, &headers)
}

/// A file of `web/`, revalidated by its content hash so that an updated arena never runs
/// a stale script from the browser's cache.
fn file(name: &str, request_headers: &HeaderMap) -> Response {
    let Some(file) = WebFiles::get(name) else {
        return (StatusCode::NOT_FOUND, format!("no file {name}")).into_response();
    };

    let hash: String = file.metadata.sha256_hash()[..12]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let etag = format!("\"{hash}\"");
    let cached = request_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.split(',').any(|tag| tag.trim() == etag));

    let headers = [
        (header::CONTENT_TYPE, file.metadata.mimetype().to_owned()),
        (header::ETAG, etag),
        (header::CACHE_CONTROL, "no-cache".to_owned()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        (header::REFERRER_POLICY, "same-origin".to_owned()),
    ];
    if cached {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    (headers, Body::from(file.data.into_owned())).into_response()
}
