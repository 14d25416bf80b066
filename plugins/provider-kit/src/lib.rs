//! What the LLM provider plugins share: decoding server-sent events from a byte stream
//! whatever its chunking, and the pauses between tries.

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
}
