//! Container output turned into clean log lines: split at newlines per stream, ANSI escapes
//! removed, streamed to a [`LogSink`] as they arrive and kept whole for the run's record.

use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;

use super::spec::Phase;

/// Lines kept per phase; past this the oldest go (the end of a log is where errors are).
const MAX_KEPT_LINES: usize = 20_000;

/// One line of a phase's output, ANSI escapes stripped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub phase: Phase,
    pub line: String,
}

/// Where log lines go as they arrive: the orchestrator forwards them to the UI's event stream.
#[derive(Clone)]
pub struct LogSink {
    send: Arc<dyn Fn(LogLine) + Send + Sync>,
}

impl LogSink {
    pub fn new(send: impl Fn(LogLine) + Send + Sync + 'static) -> Self {
        LogSink {
            send: Arc::new(send),
        }
    }

    /// A sink that drops every line (the lines are still kept in the phase's log).
    pub fn discard() -> Self {
        LogSink::new(|_| {})
    }

    /// A sink feeding an unbounded channel, with its receiving end.
    pub fn channel() -> (Self, mpsc::UnboundedReceiver<LogLine>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (LogSink::new(move |line| drop(tx.send(line))), rx)
    }

    pub(crate) fn send(&self, line: LogLine) {
        (self.send)(line)
    }
}

impl std::fmt::Debug for LogSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LogSink")
    }
}

/// A phase's whole log, shared between the task that reads the container and its readers.
#[derive(Clone, Debug, Default)]
pub struct PhaseLog {
    inner: Arc<Mutex<Kept>>,
}

#[derive(Debug, Default)]
struct Kept {
    lines: std::collections::VecDeque<String>,
    dropped: usize,
}

impl PhaseLog {
    pub(crate) fn push(&self, line: String) {
        let mut kept = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if kept.lines.len() == MAX_KEPT_LINES {
            kept.lines.pop_front();
            kept.dropped += 1;
        }
        kept.lines.push_back(line);
    }

    /// The lines so far; a first line says how many were dropped if the log overflowed.
    pub fn lines(&self) -> Vec<String> {
        let kept = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut lines = Vec::with_capacity(kept.lines.len() + 1);
        if kept.dropped > 0 {
            lines.push(format!("[{} earlier lines dropped]", kept.dropped));
        }
        lines.extend(kept.lines.iter().cloned());
        lines
    }
}

/// Splits one container's multiplexed output into lines, one buffer per stream so that
/// stdout and stderr fragments never mix inside a line.
pub(crate) struct LineSplitter {
    phase: Phase,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    log: PhaseLog,
    sink: LogSink,
}

pub(crate) enum Stream {
    Stdout,
    Stderr,
}

impl LineSplitter {
    pub(crate) fn new(phase: Phase, log: PhaseLog, sink: LogSink) -> Self {
        LineSplitter {
            phase,
            stdout: Vec::new(),
            stderr: Vec::new(),
            log,
            sink,
        }
    }

    pub(crate) fn feed(&mut self, stream: Stream, bytes: &[u8]) {
        let buffer = match stream {
            Stream::Stdout => &mut self.stdout,
            Stream::Stderr => &mut self.stderr,
        };
        buffer.extend_from_slice(bytes);

        let mut complete = Vec::new();
        while let Some(end) = buffer.iter().position(|&b| b == b'\n') {
            let rest = buffer.split_off(end + 1);
            complete.push(std::mem::replace(buffer, rest));
        }
        for raw in complete {
            self.emit(&raw);
        }
    }

    /// Emits what is left without a final newline.
    pub(crate) fn finish(&mut self) {
        for raw in [
            std::mem::take(&mut self.stdout),
            std::mem::take(&mut self.stderr),
        ] {
            if !raw.is_empty() {
                self.emit(&raw);
            }
        }
    }

    fn emit(&self, raw: &[u8]) {
        let line = clean_line(raw);
        self.log.push(line.clone());
        self.sink.send(LogLine {
            phase: self.phase,
            line,
        });
    }
}

/// ANSI escapes out, trailing newline out, and of a line redrawn with carriage returns
/// (progress bars) only what was drawn last.
pub(crate) fn clean_line(raw: &[u8]) -> String {
    // Split at carriage returns before stripping: the stripper drops them with the escapes.
    raw.split(|&byte| byte == b'\r')
        .rev()
        .map(|segment| {
            let stripped = strip_ansi_escapes::strip(segment);
            String::from_utf8_lossy(&stripped).trim_end().to_string()
        })
        .find(|segment| !segment.trim().is_empty())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_colours_and_carriage_return_redraws() {
        assert_eq!(
            clean_line(b"\x1b[31mFailed to compile.\x1b[39m\n"),
            "Failed to compile."
        );
        assert_eq!(clean_line(b"10%\r50%\r100%  \r\n"), "100%");
    }

    #[test]
    fn splits_fragments_per_stream() {
        let (sink, mut rx) = LogSink::channel();
        let log = PhaseLog::default();
        let mut splitter = LineSplitter::new(Phase::Build, log.clone(), sink);

        splitter.feed(Stream::Stdout, b"hel");
        splitter.feed(Stream::Stderr, b"err one\nerr ");
        splitter.feed(Stream::Stdout, b"lo\nworld");
        splitter.finish();

        assert_eq!(log.lines(), ["err one", "hello", "world", "err"]);
        assert_eq!(
            rx.try_recv().unwrap(),
            LogLine {
                phase: Phase::Build,
                line: "err one".into()
            }
        );
    }
}
