//! `hostile`: a provider that misbehaves on request, for the host's tests. It is never
//! bundled or shipped. Each model is one way a plugin can go wrong, and the host must fail
//! that run with a clear error while every other run goes on:
//!
//! | model            | what it does                                                    |
//! |------------------|-----------------------------------------------------------------|
//! | `trap`           | panics, which aborts: a WebAssembly trap (`unreachable`)        |
//! | `loop`           | spins forever without calling the host (fuel or epoch deadline) |
//! | `memory`         | allocates 16 MiB blocks until the memory limit stops it         |
//! | `flood`          | emits 1 MiB chunks of text forever (reply size limit)           |
//! | `sleep`          | sleeps an hour in a WASI clock call (async time-out)            |
//! | `forbidden-host` | calls a host it did not declare; expects an error value back    |
//! | `fine`           | a tiny valid reply, finished with `stop`                        |

pub mod behaviour;

#[cfg(target_arch = "wasm32")]
mod plugin;
