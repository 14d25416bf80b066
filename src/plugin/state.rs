//! What one plugin call can see: its store data, limits and the host imports behind it.

use std::time::Instant;

use wasmtime::component::ResourceTable;
use wasmtime::{ResourceLimiter, UpdateDeadline};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use super::bindings::provider::vibe_arena::plugin::{logging, reply_stream, types};
use super::outbound::OutboundPolicy;
use super::{PluginLimits, PluginLogLine, ReplySink};

/// Store data for one call into one plugin. A fresh one is made for every call, so nothing a
/// plugin does survives into the next call.
pub struct HostState {
    pub(super) plugin_id: String,
    wasi: WasiCtx,
    table: ResourceTable,
    pub(super) memory: MemoryCap,
    pub(super) reply: Option<ReplyBuffer>,
    pub(super) outbound: Option<OutboundPolicy>,
    pub(super) logs: Vec<PluginLogLine>,
    log_cap: usize,
}

impl HostState {
    pub(super) fn new(plugin_id: &str, limits: &PluginLimits) -> Self {
        // No preopened folders, no environment, no arguments, no sockets: Rust's standard
        // library needs clocks and random numbers, and that is all a plugin gets from WASI.
        let wasi = WasiCtx::builder().allow_tcp(false).allow_udp(false).build();
        Self {
            plugin_id: plugin_id.to_owned(),
            wasi,
            table: ResourceTable::new(),
            memory: MemoryCap {
                limit_bytes: limits.memory_bytes,
                refused_bytes: None,
            },
            reply: None,
            outbound: None,
            logs: Vec::new(),
            log_cap: 1000,
        }
    }

    /// Turns on `reply-stream`: text goes to `sender` as it arrives, up to `cap_bytes`.
    pub(super) fn with_reply(mut self, sender: ReplySink, cap: usize) -> Self {
        self.reply = Some(ReplyBuffer {
            text: String::new(),
            held: String::new(),
            sender,
            cap_bytes: cap,
        });
        self
    }

    pub(super) fn with_outbound(mut self, policy: OutboundPolicy) -> Self {
        self.outbound = Some(policy);
        self
    }

    /// `text` with every secret value this call was given replaced by `[secret]`. A
    /// provider's error can quote the key it was sent (some APIs echo it, partly masked
    /// or not); nothing a plugin says may carry a key into a log, a report or the page.
    pub(super) fn redact(&self, text: &str) -> String {
        redact_with(self.secret_values(), text)
    }

    fn secret_values(&self) -> impl Iterator<Item = &String> {
        self.outbound
            .iter()
            .flat_map(|policy| policy.secrets.values())
            .filter(|secret| secret.len() >= 4)
    }

    /// Sends the reply text held back by [`reply_stream::Host::emit`]; called once the
    /// plugin has returned (or failed), when no more text can complete a secret.
    pub(super) fn flush_reply(&mut self) {
        if let Some(reply) = &mut self.reply {
            let held = std::mem::take(&mut reply.held);
            if !held.is_empty() {
                reply.text.push_str(&held);
                reply.sender.send(held);
            }
        }
    }

    pub(super) fn table(&mut self) -> &mut ResourceTable {
        &mut self.table
    }
}

fn redact_with<'a>(secrets: impl Iterator<Item = &'a String>, text: &str) -> String {
    let mut text = text.to_owned();
    for secret in secrets {
        if text.contains(secret.as_str()) {
            text = text.replace(secret.as_str(), "[secret]");
        }
    }
    text
}

/// Installs the wall-clock deadline on a store: the ticker advances the epoch every
/// [`super::engine::EPOCH_TICK`]; at each tick a running plugin yields to the async runtime
/// (so one plugin cannot starve the others on a worker thread) and is stopped once the
/// deadline has passed.
pub(super) fn set_deadline(store: &mut wasmtime::Store<HostState>, deadline: Instant) {
    store.set_epoch_deadline(1);
    store.epoch_deadline_callback(move |_| {
        if Instant::now() >= deadline {
            Err(DeadlineReached.into())
        } else {
            Ok(UpdateDeadline::Yield(1))
        }
    });
}

/// The error an expired epoch deadline raises inside the plugin.
#[derive(Debug, thiserror::Error)]
#[error("deadline reached")]
pub(super) struct DeadlineReached;

/// The error `reply-stream.emit` raises when a reply grows past the output cap.
#[derive(Debug, thiserror::Error)]
#[error("reply exceeded the output cap of {cap_bytes} bytes")]
pub(super) struct OutputCapExceeded {
    pub cap_bytes: usize,
}

/// Refuses linear-memory growth past the plugin's limit and remembers that it did, so the
/// trap that usually follows can be reported as what it is.
pub(super) struct MemoryCap {
    limit_bytes: usize,
    pub refused_bytes: Option<usize>,
}

impl ResourceLimiter for MemoryCap {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> anyhow::Result<bool> {
        if desired > self.limit_bytes {
            self.refused_bytes = Some(desired);
            return Ok(false);
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> anyhow::Result<bool> {
        // Tables hold function references; no honest plugin needs a million of them.
        Ok(desired <= 1_000_000)
    }
}

pub(super) struct ReplyBuffer {
    pub text: String,
    /// The end of the text emitted so far, not yet sent on: it could be the start of a
    /// secret that the next piece completes.
    held: String,
    sender: ReplySink,
    cap_bytes: usize,
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl types::Host for HostState {}

impl logging::Host for HostState {
    async fn log(&mut self, level: types::LogLevel, message: String) -> wasmtime::Result<()> {
        let message = self.redact(&message);
        let plugin = self.plugin_id.as_str();
        match level {
            types::LogLevel::Debug => tracing::debug!(plugin, "{message}"),
            types::LogLevel::Info => tracing::info!(plugin, "{message}"),
            types::LogLevel::Warn => tracing::warn!(plugin, "{message}"),
            types::LogLevel::Error => tracing::error!(plugin, "{message}"),
        }
        // A plugin that logs in a loop must not grow the run's record without bound.
        if self.logs.len() < self.log_cap {
            self.logs.push(PluginLogLine {
                level: level.into(),
                message,
            });
        }
        Ok(())
    }
}

impl reply_stream::Host for HostState {
    async fn emit(&mut self, text: String) -> wasmtime::Result<()> {
        let Some(reply) = &mut self.reply else {
            return Ok(());
        };
        if reply.text.len() + reply.held.len() + text.len() > reply.cap_bytes {
            return Err(OutputCapExceeded {
                cap_bytes: reply.cap_bytes,
            }
            .into());
        }
        // A server that echoes the key into the reply (hostile, or through a redirect) must
        // not get it into the page, the files or the logs: redact across piece boundaries by
        // holding back as many bytes as the longest secret could still need.
        let secrets: Vec<String> = self.secret_values().cloned().collect();
        let reply = self.reply.as_mut().expect("checked above");
        let pending = std::mem::take(&mut reply.held) + &text;
        let pending = redact_with(secrets.iter(), &pending);
        let longest = secrets.iter().map(String::len).max().unwrap_or(0);
        let mut split = pending.len() - longest.saturating_sub(1).min(pending.len());
        while !pending.is_char_boundary(split) {
            split -= 1;
        }
        let (ready, held) = pending.split_at(split);
        reply.held = held.to_owned();
        if !ready.is_empty() {
            reply.text.push_str(ready);
            reply.sender.send(ready.to_owned());
        }
        Ok(())
    }
}
