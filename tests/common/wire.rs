//! Whole streamed replies in two providers' wire formats, for local servers that stand in
//! for the real APIs in battle tests: OpenAI's chat completions (`chat.completion.chunk`
//! events, a usage chunk, `data: [DONE]`) and Anthropic's Messages (`message_start` ...
//! `message_stop`). The text goes out in pieces of `piece` bytes, a few milliseconds apart,
//! as a model's reply does.

use std::time::Duration;

use axum::response::Response;

type Part = (Duration, Result<String, std::io::Error>);

/// `text` split at character boundaries into pieces of about `piece` bytes.
fn pieces(text: &str, piece: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let mut end = piece.min(rest.len());
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let (head, tail) = rest.split_at(end);
        out.push(head);
        rest = tail;
    }
    out
}

fn data(json: serde_json::Value) -> Result<String, std::io::Error> {
    Ok(format!("data: {json}\n\n"))
}

pub fn chat_completion_stream(text: &str, piece: usize, usage: (u64, u64)) -> Response {
    let gap = Duration::from_millis(2);
    let chunk = |delta: serde_json::Value, finish: Option<&str>| {
        data(serde_json::json!({
            "id": "chatcmpl-battle", "object": "chat.completion.chunk", "created": 1,
            "model": "local",
            "choices": [{ "index": 0, "delta": delta, "finish_reason": finish }],
        }))
    };
    let mut parts: Vec<Part> = vec![(
        Duration::ZERO,
        chunk(
            serde_json::json!({ "role": "assistant", "content": "" }),
            None,
        ),
    )];
    for piece in pieces(text, piece) {
        parts.push((gap, chunk(serde_json::json!({ "content": piece }), None)));
    }
    parts.push((gap, chunk(serde_json::json!({}), Some("stop"))));
    parts.push((
        Duration::ZERO,
        data(serde_json::json!({
            "id": "chatcmpl-battle", "object": "chat.completion.chunk", "created": 1,
            "model": "local", "choices": [],
            "usage": { "prompt_tokens": usage.0, "completion_tokens": usage.1,
                       "total_tokens": usage.0 + usage.1 },
        })),
    ));
    parts.push((Duration::ZERO, Ok("data: [DONE]\n\n".to_owned())));
    super::event_stream(parts)
}

pub fn anthropic_message_stream(text: &str, piece: usize, usage: (u64, u64)) -> Response {
    let gap = Duration::from_millis(2);
    let event = |kind: &str, data: serde_json::Value| -> Result<String, std::io::Error> {
        Ok(format!("event: {kind}\ndata: {data}\n\n"))
    };
    let mut parts: Vec<Part> = vec![
        (
            Duration::ZERO,
            event(
                "message_start",
                serde_json::json!({
                    "type": "message_start",
                    "message": { "id": "msg_battle", "type": "message", "role": "assistant",
                                 "content": [], "model": "local", "stop_reason": null,
                                 "usage": { "input_tokens": usage.0, "output_tokens": 1 } },
                }),
            ),
        ),
        (
            Duration::ZERO,
            event(
                "content_block_start",
                serde_json::json!({ "type": "content_block_start", "index": 0,
                                    "content_block": { "type": "text", "text": "" } }),
            ),
        ),
    ];
    for piece in pieces(text, piece) {
        parts.push((
            gap,
            event(
                "content_block_delta",
                serde_json::json!({ "type": "content_block_delta", "index": 0,
                                    "delta": { "type": "text_delta", "text": piece } }),
            ),
        ));
    }
    parts.push((
        Duration::ZERO,
        event(
            "content_block_stop",
            serde_json::json!({ "type": "content_block_stop", "index": 0 }),
        ),
    ));
    parts.push((
        Duration::ZERO,
        event(
            "message_delta",
            serde_json::json!({ "type": "message_delta",
                                "delta": { "stop_reason": "end_turn", "stop_sequence": null },
                                "usage": { "output_tokens": usage.1 } }),
        ),
    ));
    parts.push((
        Duration::ZERO,
        event(
            "message_stop",
            serde_json::json!({ "type": "message_stop" }),
        ),
    ));
    super::event_stream(parts)
}
