//! Standard output that its reader may close.
//!
//! `redflag check mail.mbox | head -1` closes the pipe after a line. Rust ignores SIGPIPE,
//! so the next write fails with `BrokenPipe`; ending the command there would lose its exit
//! code, which is the verdict (`1`: something was flagged). [`Stdout`] drops what is
//! written after the reader has gone, so the command finishes its work and exits with the
//! code of everything it found, as `grep -q` does. Any other write error still ends it.

use std::io::{self, Write};

/// A writer that swallows everything after the first `BrokenPipe`.
pub(crate) struct Stdout<W: Write = io::StdoutLock<'static>> {
    inner: W,
    closed: bool,
}

impl Stdout {
    /// The process's standard output, locked.
    pub(crate) fn lock() -> Stdout {
        Stdout::new(io::stdout().lock())
    }
}

impl<W: Write> Stdout<W> {
    pub(crate) fn new(inner: W) -> Stdout<W> {
        Stdout {
            inner,
            closed: false,
        }
    }

    /// Whether the reader has gone (and what was written since was dropped).
    #[cfg(test)]
    fn closed(&self) -> bool {
        self.closed
    }

    fn gone<T>(&mut self, r: io::Result<T>, dropped: T) -> io::Result<T> {
        match r {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(dropped)
            }
            r => r,
        }
    }
}

impl<W: Write> Write for Stdout<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let r = self.inner.write(buf);
        self.gone(r, buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let r = self.inner.flush();
        self.gone(r, ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Takes `room` bytes, then fails as a closed pipe (or with `other`).
    struct Pipe {
        taken: Vec<u8>,
        room: usize,
        other: Option<io::ErrorKind>,
    }

    impl Write for Pipe {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.taken.len() >= self.room {
                return Err(self.other.unwrap_or(io::ErrorKind::BrokenPipe).into());
            }
            let n = buf.len().min(self.room - self.taken.len());
            self.taken.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_drops_the_rest_and_other_errors_still_fail() {
        let mut out = Stdout::new(Pipe {
            taken: Vec::new(),
            room: 5,
            other: None,
        });
        writeln!(out, "first line").unwrap();
        assert!(out.closed());
        writeln!(out, "second line").unwrap();
        out.flush().unwrap();
        assert_eq!(out.inner.taken, b"first");

        let mut out = Stdout::new(Pipe {
            taken: Vec::new(),
            room: 5,
            other: Some(io::ErrorKind::StorageFull),
        });
        let e = writeln!(out, "first line").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::StorageFull);
        assert!(!out.closed());
    }
}
