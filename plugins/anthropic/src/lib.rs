//! `anthropic`: a provider for Anthropic's Messages API (`POST {base-url}/messages` with
//! `stream: true`), and for gateways that speak it.
//!
//! [`messages`] is the wire format, plain Rust with native tests; the component glue
//! (`plugin`, wasm32 only) sends the request through the host's `outbound-http`, which
//! holds the API key and the allowed hosts.

pub mod messages;

#[cfg(target_arch = "wasm32")]
mod plugin;
