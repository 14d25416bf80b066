//! Dependencies checked against a registry before install, against a local server that
//! answers as the npm registry does (`HEAD /{name}`, `GET /{name}/{version}`, 404 for what
//! it lacks, scoped names with an encoded slash); and no conclusion at all when the
//! registry is down.

use arena::dependencies::{Unpublished, unpublished};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::IntoResponse;

/// Answers `HEAD /{name}` and `GET /{name}/{version}` as the npm registry does, for two
/// packages with two versions each.
async fn registry() -> String {
    let known = |name: &str| matches!(name, "react" | "@types/react");
    let app = axum::Router::new()
        .route(
            "/{name}",
            axum::routing::head(move |Path(name): Path<String>| async move {
                if known(&name) {
                    StatusCode::OK
                } else {
                    StatusCode::NOT_FOUND
                }
            }),
        )
        .route(
            "/{name}/{version}",
            axum::routing::get(
                move |Path((name, version)): Path<(String, String)>| async move {
                    if known(&name) && matches!(version.as_str(), "19.2.8" | "19.2.9") {
                        axum::Json(serde_json::json!({ "name": name, "version": version }))
                            .into_response()
                    } else {
                        StatusCode::NOT_FOUND.into_response()
                    }
                },
            ),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

#[tokio::test]
async fn invented_packages_and_unpublished_versions_are_named() {
    let base = registry().await;
    let manifest = r#"{
      "dependencies": {
        "react": "19.2.9",
        "react-glow-cards": "^1.0.0",
        "@acme/invented": "1.0.0",
        "local-lib": "file:../lib"
      },
      "devDependencies": { "@types/react": "99.0.0", "react": "^19" }
    }"#;
    let mut found = unpublished(&base, manifest).await;
    found.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(
        found,
        [
            Unpublished {
                name: "@acme/invented".into(),
                version: None
            },
            Unpublished {
                name: "@types/react".into(),
                version: Some("99.0.0".into())
            },
            Unpublished {
                name: "react-glow-cards".into(),
                version: None
            },
        ]
    );
    assert_eq!(found[1].to_string(), "`@types/react` has no version 99.0.0");
    assert_eq!(
        found[2].to_string(),
        "package `react-glow-cards` does not exist"
    );
}

#[tokio::test]
async fn a_registry_that_cannot_be_reached_concludes_nothing() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let manifest = r#"{ "dependencies": { "react-glow-cards": "1.0.0" } }"#;
    assert!(
        unpublished(&format!("http://127.0.0.1:{port}/"), manifest)
            .await
            .is_empty()
    );
}
