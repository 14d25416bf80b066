//! Host ports for run containers, leased from a configured range.
//!
//! Each ready run is published on `127.0.0.1:<port>`. [`PortPool::allocate`] hands out a port
//! only after binding it on 127.0.0.1 and letting it go again, so a port held by any other
//! program (another arena, a dev server, a container left over) is skipped, not fought over.
//! A [`PortLease`] gives its port back when dropped, so a run that ends in any way, even by a
//! panic, frees its port.
//!
//! The pool walks the range round-robin instead of always starting at the bottom: a port that
//! was just released is the last one handed out again, which gives a stopping container time
//! to let go of it and keeps an old browser tab from landing on the next run's site.

use std::collections::HashSet;
use std::fmt;
use std::net::{Ipv4Addr, TcpListener};
use std::ops::RangeInclusive;
use std::sync::{Arc, Mutex, MutexGuard};

use tracing::debug;

/// The range used when none is configured.
pub const DEFAULT_PORT_RANGE: RangeInclusive<u16> = 3001..=4000;

/// The setting that widens the range, named in the exhaustion error.
pub const PORT_RANGE_SETTING: &str = "--ports (environment: ARENA_PORTS), e.g. 3001-5000";

/// A thread-safe pool of host ports. Clones share the same leases.
#[derive(Clone)]
pub struct PortPool {
    inner: Arc<Inner>,
}

struct Inner {
    range: RangeInclusive<u16>,
    state: Mutex<State>,
}

struct State {
    leased: HashSet<u16>,
    /// Offset into the range where the next search starts.
    cursor: u32,
}

impl PortPool {
    /// A pool over `range`.
    ///
    /// # Panics
    ///
    /// If the range is empty or contains port 0 (which would mean "any port" to the OS).
    /// Ranges from configuration go through [`parse_port_range`] first, which rejects both.
    pub fn new(range: RangeInclusive<u16>) -> Self {
        assert!(!range.is_empty(), "port range {range:?} is empty");
        assert!(*range.start() > 0, "port range {range:?} contains port 0");
        let state = State {
            leased: HashSet::new(),
            cursor: 0,
        };
        Self {
            inner: Arc::new(Inner {
                range,
                state: Mutex::new(state),
            }),
        }
    }

    /// The configured range.
    pub fn range(&self) -> RangeInclusive<u16> {
        self.inner.range.clone()
    }

    /// How many ports are leased right now.
    pub fn leased(&self) -> usize {
        self.inner.lock().leased.len()
    }

    /// Leases a port that is neither leased to another run nor in use by anything on
    /// 127.0.0.1 at this moment.
    ///
    /// The check binds the port and closes it again just before returning, so the window
    /// in which another program could take it is the time until the container starts.
    pub fn allocate(&self) -> Result<PortLease, PortsExhausted> {
        let (start, end) = (*self.inner.range.start(), *self.inner.range.end());
        let size = u32::from(end - start) + 1;
        let mut state = self.inner.lock();
        let mut busy = 0;

        for step in 0..size {
            let offset = (state.cursor + step) % size;
            let port = start + offset as u16;
            if state.leased.contains(&port) {
                continue;
            }
            if !is_free(port) {
                busy += 1;
                continue;
            }

            state.leased.insert(port);
            state.cursor = (offset + 1) % size;
            debug!(port, leased = state.leased.len(), "Leased a port.");
            return Ok(PortLease {
                port,
                pool: Arc::clone(&self.inner),
            });
        }

        Err(PortsExhausted {
            start,
            end,
            leased: state.leased.len(),
            busy,
        })
    }
}

impl fmt::Debug for PortPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PortPool")
            .field("range", &self.inner.range)
            .field("leased", &self.leased())
            .finish()
    }
}

impl Default for PortPool {
    fn default() -> Self {
        Self::new(DEFAULT_PORT_RANGE)
    }
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is a set and a counter, consistent after every statement, so a panic
        // elsewhere while holding the lock leaves nothing half-done.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Whether nothing listens on 127.0.0.1:`port`, which is where containers are published.
/// A listener on 0.0.0.0 or on `[::]` (dual stack) also makes this bind fail.
fn is_free(port: u16) -> bool {
    TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok()
}

/// One leased port. Dropping the lease returns the port to the pool.
pub struct PortLease {
    port: u16,
    pool: Arc<Inner>,
}

impl PortLease {
    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for PortLease {
    fn drop(&mut self) {
        let mut state = self.pool.lock();
        state.leased.remove(&self.port);
        debug!(
            port = self.port,
            leased = state.leased.len(),
            "Released a port."
        );
    }
}

impl fmt::Debug for PortLease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PortLease").field(&self.port).finish()
    }
}

/// Every port of the range is leased or in use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "no free port in {start}-{end}: {leased} leased to runs, {busy} in use by other programs; \
     end some runs or widen the range with {setting}",
    setting = PORT_RANGE_SETTING
)]
pub struct PortsExhausted {
    pub start: u16,
    pub end: u16,
    /// Ports held by runs of this arena.
    pub leased: usize,
    /// Ports that were free in the pool but bound by something else when checked.
    pub busy: usize,
}

/// Parses a port range setting such as `3001-4000` (or a single port, `3001`).
pub fn parse_port_range(text: &str) -> Result<RangeInclusive<u16>, String> {
    let port = |part: &str| -> Result<u16, String> {
        match part.trim().parse::<u16>() {
            Ok(0) | Err(_) => Err(format!(
                "invalid port {:?} in port range {text:?}: expected 1-65535, as in 3001-4000",
                part.trim()
            )),
            Ok(port) => Ok(port),
        }
    };

    let (start, end) = match text.split_once('-') {
        Some((start, end)) => (port(start)?, port(end)?),
        None => (port(text)?, port(text)?),
    };
    if start > end {
        return Err(format!(
            "port range {text:?} is empty: write the lower port first"
        ));
    }
    Ok(start..=end)
}
