//! What the LLM provider plugins share: sending a request with bounded retries, reading
//! a server-sent-event stream whatever its chunking, and what a failed answer means.
//!
//! The kit knows nothing of the component bindings: each plugin implements [`Body`] for its
//! `outbound-http` body and passes closures that send and pause, so that this code is
//! tested natively, once, for all of them.

/// Splits a byte stream into server-sent-event `data` payloads, whatever the chunking.
#[derive(Debug, Default)]
pub struct EventDecoder {
    buffer: Vec<u8>,
    data: Vec<String>,
}

impl EventDecoder {
    /// Feeds bytes; returns the data of every event they complete, in order.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<String> {
        self.buffer.extend_from_slice(bytes);
        let mut events = Vec::new();
        while let Some(end) = self.buffer.iter().position(|&byte| byte == b'\n') {
            let line: Vec<u8> = self.buffer.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line);
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                if !self.data.is_empty() {
                    events.push(self.data.join("\n"));
                    self.data.clear();
                }
            } else if let Some(value) = line.strip_prefix("data:") {
                self.data
                    .push(value.strip_prefix(' ').unwrap_or(value).to_owned());
            }
            // `event:`, `id:`, `retry:` and `:` comments (keep-alives) carry nothing here.
        }
        events
    }

    /// The data of an event the stream ended without a blank line after.
    pub fn finish(&mut self) -> Option<String> {
        let rest = String::from_utf8_lossy(&std::mem::take(&mut self.buffer)).into_owned();
        if let Some(value) = rest.trim_end().strip_prefix("data:") {
            self.data.push(value.trim_start().to_owned());
        }
        (!self.data.is_empty()).then(|| std::mem::take(&mut self.data).join("\n"))
    }
}

/// The longest pause between tries, whatever the server asks for.
pub const MAX_WAIT_MS: u64 = 60_000;

/// 1 s, 2 s, 4 s, ... capped at [`MAX_WAIT_MS`].
pub fn backoff_ms(attempt: u32) -> u64 {
    1000u64
        .saturating_mul(1 << attempt.saturating_sub(1).min(16))
        .min(MAX_WAIT_MS)
}

/// The delay a rate-limited answer asks for: `retry-after-ms` (milliseconds), else
/// `retry-after` (seconds; an HTTP date is not honoured and falls back to backing off).
pub fn retry_after_ms(headers: &[(String, String)]) -> Option<u64> {
    let header = |name: &str| {
        headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.trim())
    };
    header("retry-after-ms")
        .and_then(|value| value.parse::<f64>().ok())
        .map(|ms| ms as u64)
        .or_else(|| {
            header("retry-after")
                .and_then(|value| value.parse::<f64>().ok())
                .map(|seconds| (seconds * 1000.0) as u64)
        })
}

/// A provider call's parameters (the pipeline's `[provider]` table overlaid with the
/// contestant's `params`), looked up by name.
pub struct Params<'a>(pub &'a [(String, String)]);

impl Params<'_> {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// A numeric parameter; one that does not parse counts as unset.
    pub fn number(&self, name: &str) -> Option<f64> {
        self.get(name).and_then(|value| value.parse().ok())
    }
}

/// An API's error object as one line: its `message`, then the first of `labels` it has
/// (`code`, `type`, `status`, ...) in parentheses.
pub fn describe_error(error: &serde_json::Value, labels: &[&str]) -> String {
    let message = error["message"].as_str().unwrap_or("no message");
    match labels.iter().find_map(|label| error[*label].as_str()) {
        Some(label) => format!("{message} ({label})"),
        None => message.to_owned(),
    }
}

/// What an error answer says: its JSON `error` object described, or else the start of its
/// text (a proxy's HTML page, say).
pub fn error_text(body: &[u8], labels: &[&str]) -> String {
    let text = String::from_utf8_lossy(body);
    serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|value| {
            value
                .get("error")
                .map(|error| describe_error(error, labels))
        })
        .unwrap_or_else(|| text.chars().take(300).collect::<String>().trim().to_owned())
}

/// A response body read piece by piece (the host's `outbound-http` body).
pub trait Body {
    /// The next bytes, `None` at the end, or why the stream broke.
    fn read(&self) -> Result<Option<Vec<u8>>, String>;
}

/// An answer with its status, headers and body still to read.
pub struct Answer<B> {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: B,
}

/// Why a request got no answer.
pub enum SendError {
    /// Connection refused, DNS, TLS, time-out: worth another try.
    Network(String),
    /// Refused by the host (undeclared host, missing key, bad request): final.
    Refused(String),
}

/// What a failed answer means for the run; each wire format classifies its own errors.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The key was refused: no retry helps.
    Unauthorized(String),
    /// Rate limited; `retry_after_ms` when the server said how long to wait.
    RateLimited {
        message: String,
        retry_after_ms: Option<u64>,
    },
    /// The prompt plus the requested output do not fit the model's context.
    ContextExceeded(String),
    /// The server failed (5xx, overloaded): worth another try after a pause.
    Server { status: u16, message: String },
    /// Anything else the server refused (a bad model name, say).
    Refused { status: u16, message: String },
}

impl Failure {
    /// How long to wait before try number `attempt` (1 for the first retry), or `None`
    /// when retrying cannot help or `max_retries` are used up. Rate limits wait what the
    /// server asked (capped); server errors back off exponentially.
    pub fn retry_delay_ms(&self, attempt: u32, max_retries: u32) -> Option<u64> {
        if attempt > max_retries {
            return None;
        }
        match self {
            Self::RateLimited { retry_after_ms, .. } => Some(
                retry_after_ms
                    .unwrap_or(backoff_ms(attempt))
                    .min(MAX_WAIT_MS),
            ),
            Self::Server { .. } => Some(backoff_ms(attempt)),
            _ => None,
        }
    }

    /// The run's failure reason, in words.
    pub fn reason(&self) -> String {
        match self {
            Self::Unauthorized(message) => {
                format!("the API key was refused (check the key's variable): {message}")
            }
            Self::RateLimited { message, .. } => format!("rate limited by the provider: {message}"),
            Self::ContextExceeded(message) => {
                format!("the prompt and output do not fit the model's context: {message}")
            }
            Self::Server { status, message } => format!("server error {status}: {message}"),
            Self::Refused { status, message } => {
                format!("the provider refused ({status}): {message}")
            }
        }
    }
}

/// The largest error body read, so a server that answers an error with megabytes does not
/// cost the run its memory.
pub const MAX_ERROR_BODY: usize = 64 * 1024;

/// Sends until a 2xx answer comes, retrying network failures, rate limits and server
/// errors at most `max_retries` times with `pause` in between; returns that answer's body,
/// or the run's failure reason.
pub fn send_with_retries<B: Body>(
    mut send: impl FnMut() -> Result<Answer<B>, SendError>,
    classify: impl Fn(u16, &[(String, String)], &[u8]) -> Failure,
    max_retries: u32,
    mut pause: impl FnMut(u64, &str),
) -> Result<B, String> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match send() {
            Err(SendError::Refused(reason)) => return Err(reason),
            Err(SendError::Network(message)) => {
                if attempt > max_retries {
                    return Err(format!("could not reach the provider: {message}"));
                }
                pause(backoff_ms(attempt), &format!("network: {message}"));
            }
            Ok(answer) if (200..300).contains(&answer.status) => return Ok(answer.body),
            Ok(answer) => {
                let body = read_capped(&answer.body, MAX_ERROR_BODY);
                let failure = classify(answer.status, &answer.headers, &body);
                match failure.retry_delay_ms(attempt, max_retries) {
                    Some(wait) => pause(wait, &failure.reason()),
                    None => return Err(failure.reason()),
                }
            }
        }
    }
}

fn read_capped(body: &impl Body, cap: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    while bytes.len() < cap {
        match body.read() {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            _ => break,
        }
    }
    bytes.truncate(cap);
    bytes
}

/// Reads an event stream to its end, giving each event's data to `on_event` as it is
/// complete. Returns the bytes received, or why the stream failed: `on_event`'s own
/// error, or the break in the stream with how much had arrived.
pub fn read_events(
    body: &impl Body,
    mut on_event: impl FnMut(String) -> Result<(), String>,
) -> Result<usize, String> {
    let mut decoder = EventDecoder::default();
    let mut received = 0;
    loop {
        match body.read() {
            Ok(Some(bytes)) => {
                received += bytes.len();
                for data in decoder.feed(&bytes) {
                    on_event(data)?;
                }
            }
            Ok(None) => break,
            Err(error) => {
                return Err(format!(
                    "the reply stream broke off after {received} bytes: {error}"
                ));
            }
        }
    }
    if let Some(data) = decoder.finish() {
        on_event(data)?;
    }
    Ok(received)
}

/// The few items every provider's component glue needs that name its own bindings, so
/// they cannot be plain functions here: `send(request, classify, max_retries)` (through
/// [`send_with_retries`], returning the body of the first 2xx answer or the failure
/// reason), reading the `outbound-http` body as a [`Body`], `pause(ms, why)` (a warning in
/// the run's log, then a sleep through WASI clocks), `describe_refusal(HttpError)`,
/// `failed(reason) -> Generation` and `model(id, name, context, output, input price,
/// output price) -> ModelInfo`.
///
/// Expand it in the module that imports `outbound_http`, `HttpError`, `logging`,
/// `LogLevel`, `Generation`, `TokenUsage`, `FinishReason` and `ModelInfo` from the
/// bindings.
#[macro_export]
macro_rules! component_glue {
    () => {
        fn model(
            id: &str,
            name: &str,
            context: u32,
            output: u32,
            input: f64,
            out: f64,
        ) -> ModelInfo {
            ModelInfo {
                id: id.into(),
                display_name: name.into(),
                context_tokens: context,
                max_output_tokens: output,
                input_price_per_mtok: input,
                output_price_per_mtok: out,
            }
        }

        fn send(
            request: &outbound_http::Request,
            classify: fn(u16, &[(String, String)], &[u8]) -> $crate::Failure,
            max_retries: u32,
        ) -> Result<outbound_http::Body, String> {
            let send_once = || {
                outbound_http::send(request)
                    .map(|response| $crate::Answer {
                        status: response.status,
                        headers: response.headers,
                        body: response.body,
                    })
                    .map_err(|error| match error {
                        HttpError::Network(message) => $crate::SendError::Network(message),
                        other => $crate::SendError::Refused(describe_refusal(other)),
                    })
            };
            $crate::send_with_retries(send_once, classify, max_retries, pause)
        }

        impl $crate::Body for outbound_http::Body {
            fn read(&self) -> Result<Option<Vec<u8>>, String> {
                outbound_http::Body::read(self).map_err(describe_refusal)
            }
        }

        fn pause(ms: u64, why: &str) {
            logging::log(LogLevel::Warn, &format!("Retrying in {ms} ms: {why}"));
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }

        fn describe_refusal(error: HttpError) -> String {
            match error {
                HttpError::HostNotAllowed(message) => message,
                HttpError::SecretUnavailable(message) => format!("no API key: {message}"),
                HttpError::InvalidRequest(message) => format!("invalid request: {message}"),
                HttpError::Network(message) => format!("network: {message}"),
            }
        }

        fn failed(reason: String) -> Generation {
            Generation {
                usage: TokenUsage {
                    input_tokens: 0,
                    output_tokens: 0,
                },
                finish: FinishReason::Error(reason),
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_found_whatever_the_chunking() {
        let stream =
            b"event: x\ndata: {\"a\":1}\n\n: keep-alive\n\ndata: {\"b\":2}\r\n\r\ndata: [DONE]\n\n";
        for size in [1, 2, 3, 7, stream.len()] {
            let mut decoder = EventDecoder::default();
            let mut events = Vec::new();
            for piece in stream.chunks(size) {
                events.extend(decoder.feed(piece));
            }
            assert_eq!(
                events,
                ["{\"a\":1}", "{\"b\":2}", "[DONE]"],
                "chunks of {size}"
            );
            assert_eq!(decoder.finish(), None);
        }
    }

    #[test]
    fn an_event_without_its_blank_line_is_kept_at_the_end() {
        let mut decoder = EventDecoder::default();
        assert!(decoder.feed(b"data: [DONE]").is_empty());
        assert_eq!(decoder.finish().as_deref(), Some("[DONE]"));
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_retry_after_is_read() {
        assert_eq!(backoff_ms(1), 1000);
        assert_eq!(backoff_ms(3), 4000);
        assert_eq!(backoff_ms(40), MAX_WAIT_MS);
        let headers = [("Retry-After".to_string(), "2".to_string())];
        assert_eq!(retry_after_ms(&headers), Some(2000));
        let headers = [("retry-after-ms".to_string(), "350".to_string())];
        assert_eq!(retry_after_ms(&headers), Some(350));
        assert_eq!(retry_after_ms(&[]), None);
    }

    /// A scripted body: its pieces in order, then the end (or an error).
    struct Script(std::cell::RefCell<Vec<Result<Option<Vec<u8>>, String>>>);

    impl Script {
        fn new(mut pieces: Vec<Result<Option<Vec<u8>>, String>>) -> Self {
            pieces.reverse();
            Self(std::cell::RefCell::new(pieces))
        }
    }

    impl Body for Script {
        fn read(&self) -> Result<Option<Vec<u8>>, String> {
            self.0.borrow_mut().pop().unwrap_or(Ok(None))
        }
    }

    fn answer(status: u16, body: &str) -> Answer<Script> {
        Answer {
            status,
            headers: Vec::new(),
            body: Script::new(vec![Ok(Some(body.as_bytes().to_vec()))]),
        }
    }

    fn classify(status: u16, _: &[(String, String)], body: &[u8]) -> Failure {
        let message = String::from_utf8_lossy(body).into_owned();
        match status {
            401 => Failure::Unauthorized(message),
            429 => Failure::RateLimited {
                message,
                retry_after_ms: Some(250),
            },
            _ => Failure::Server { status, message },
        }
    }

    #[test]
    fn retries_are_bounded_and_wait_what_the_failure_says() {
        let mut answers = vec![answer(200, "ok"), answer(429, "slow"), answer(500, "boom")];
        let mut waits = Vec::new();
        let body = send_with_retries(
            || Ok(answers.pop().unwrap()),
            classify,
            3,
            |ms, _| waits.push(ms),
        );
        assert!(body.is_ok());
        assert_eq!(waits, [1000, 250]);

        let mut tries = 0;
        let reason = send_with_retries(
            || {
                tries += 1;
                Ok(answer(503, "down"))
            },
            classify,
            2,
            |_, _| {},
        )
        .err()
        .unwrap();
        assert_eq!(tries, 3, "the first try and two retries");
        assert!(
            reason.contains("503") && reason.contains("down"),
            "{reason}"
        );

        let mut tries = 0;
        let reason = send_with_retries(
            || {
                tries += 1;
                Ok(answer(401, "bad key"))
            },
            classify,
            3,
            |_, _| {},
        )
        .err()
        .unwrap();
        assert_eq!(tries, 1);
        assert!(reason.contains("API key was refused"), "{reason}");

        let reason = send_with_retries(
            || Err::<Answer<Script>, _>(SendError::Network("refused".into())),
            classify,
            1,
            |_, _| {},
        )
        .err()
        .unwrap();
        assert!(
            reason.contains("could not reach the provider: refused"),
            "{reason}"
        );
    }

    #[test]
    fn a_stream_gives_its_events_and_says_where_it_broke() {
        let body = Script::new(vec![
            Ok(Some(b"data: one\n\nda".to_vec())),
            Ok(Some(b"ta: two\n\n".to_vec())),
            Err("reset".into()),
        ]);
        let mut seen = Vec::new();
        let outcome = read_events(&body, |data| {
            seen.push(data);
            Ok(())
        });
        assert_eq!(seen, ["one", "two"]);
        assert_eq!(
            outcome.unwrap_err(),
            "the reply stream broke off after 22 bytes: reset"
        );

        let body = Script::new(vec![Ok(Some(b"data: x\n\n".to_vec()))]);
        let outcome = read_events(&body, |_| Err("the provider failed mid-reply".into()));
        assert_eq!(outcome.unwrap_err(), "the provider failed mid-reply");
    }
}
