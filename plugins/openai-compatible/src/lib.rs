//! `openai-compatible`: a provider for every API that speaks OpenAI's chat completions
//! (`POST {base-url}/chat/completions` with `stream: true`): OpenAI, xAI, DeepSeek, Meta's
//! Model API, OpenRouter, gateways such as Helicone, and local servers (Ollama, vLLM,
//! llama.cpp's server, LM Studio).
//!
//! [`chat`] is the wire format and the retry policy, plain Rust with native tests; the
//! component glue (`plugin`, wasm32 only) sends the requests through the host's
//! `outbound-http`, which holds the API key and the allowed hosts.

pub mod chat;

#[cfg(target_arch = "wasm32")]
mod plugin;
