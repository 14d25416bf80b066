//! `replay`: an offline provider that streams a recorded reply, so that battles, the
//! validators and the UI can be exercised without an API key, and a truncated reply (a
//! recorded `length` finish) can be replayed as the provider reported it.
//!
//! Plugins get no files, so the recording comes in through the request's parameters, which
//! the host fills from the contestant's replay folder:
//!
//! | parameter        | meaning                                                      | default |
//! |------------------|--------------------------------------------------------------|---------|
//! | `reply`          | the full text of the chosen recorded reply (required)        |         |
//! | `chunk-bytes`    | largest chunk passed to `reply-stream.emit`, at least 1      | 512     |
//! | `chunk-delay-ms` | pause between chunks, through WASI clocks                    | 20      |
//! | `finish`         | `stop`, or `length` to report the reply as cut at the limit  | `stop`  |
//!
//! Other parameters (`temperature`, `seed`, ...) are the pipeline's for every provider and
//! are ignored. Chunks end on UTF-8 character boundaries. Token usage is estimated as a
//! quarter of the characters, input and output alike; the only model, `recorded`, is free.

pub mod replay;

#[cfg(target_arch = "wasm32")]
mod plugin;
