//! `google`: a provider for the Gemini API (`POST {base-url}/models/{model}:
//! streamGenerateContent?alt=sse`).
//!
//! [`gemini`] is the wire format, plain Rust with native tests; the component glue
//! (`plugin`, wasm32 only) sends the request through the host's `outbound-http`, which
//! holds the API key and the allowed hosts.

pub mod gemini;

#[cfg(target_arch = "wasm32")]
mod plugin;
