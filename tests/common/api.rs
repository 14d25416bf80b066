//! The arena's HTTP API as the tests call it: JSON in and out, against one base address.

use serde_json::Value;

pub struct JsonApi {
    pub base: String,
    pub client: reqwest::Client,
}

impl JsonApi {
    pub fn new(base: String) -> Self {
        Self {
            base,
            client: reqwest::Client::new(),
        }
    }

    /// `GET path`, which must succeed, as JSON.
    pub async fn get(&self, path: &str) -> Value {
        let (status, body) = self.bytes(path).await;
        assert!(
            (200..300).contains(&status),
            "GET {path}: {status} {}",
            String::from_utf8_lossy(&body)
        );
        serde_json::from_slice(&body).unwrap_or_else(|_| panic!("{path}: {body:?}"))
    }

    /// `GET path`: the status and the body as it came.
    pub async fn bytes(&self, path: &str) -> (u16, Vec<u8>) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.bytes().await.unwrap().to_vec())
    }

    /// `POST path` with a JSON body: the status and the JSON answer.
    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body = response.bytes().await.unwrap();
        (status, serde_json::from_slice(&body).unwrap())
    }
}
