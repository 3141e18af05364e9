//! The pipe filter: a message in, the same message out with redflag's header fields.

use crate::stamp::{Stamp, StampOptions, write_stamped};
use redflag_engine::{AnalyzeOptions, Channel, Engine, InputOptions, MAX_INPUT_BYTES, read_input};
use std::io::{self, Read, Write};

/// How the filter stamps.
#[derive(Debug, Clone, Default)]
pub struct FilterOptions {
    /// The verdict that counts as flagged, and the subject tag.
    pub stamp: StampOptions,
}

/// What happened to one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The fields added.
    pub stamp: Stamp,
    /// Bytes of the message read (and written back, plus the fields).
    pub bytes: u64,
}

/// Why the filter could not pass a message through. Either way the caller must not say the
/// message was delivered: the MTA should keep it and try again (the CLI exits with 75,
/// `EX_TEMPFAIL`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FilterError {
    /// Reading the message failed.
    #[error("cannot read the message: {0}")]
    Read(#[source] io::Error),
    /// Writing the message failed.
    #[error("cannot write the message: {0}")]
    Write(#[source] io::Error),
}

/// Checks one raw message and says what to add to it. A message that cannot be read, or
/// whose check panics, gets [`Stamp::unchecked`]. Does no IO.
pub fn check_bytes(engine: &Engine, raw: &[u8], opts: &StampOptions) -> Stamp {
    let input = InputOptions {
        channel: Some(Channel::Email),
        ..InputOptions::default()
    };
    let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut messages = read_input(raw, &input).map_err(|e| e.to_string())?.messages;
        if messages.is_empty() {
            return Err("no message found".to_string());
        }
        let msg = messages.swap_remove(0).map_err(|e| e.to_string())?;
        Ok(engine.assess(&msg, &AnalyzeOptions::default()))
    }));
    match checked {
        Ok(Ok(a)) => Stamp::of(&a, opts),
        Ok(Err(reason)) => Stamp::unchecked(&reason),
        Err(_) => Stamp::unchecked("internal error while checking"),
    }
}

/// Reads one message from `input` and writes it to `output` with the fields added (see
/// [`write_stamped`]). A message over [`MAX_INPUT_BYTES`] is not checked: it is passed
/// through in full, streamed, with a note.
pub fn filter(
    engine: &Engine,
    input: impl Read,
    mut output: impl Write,
    opts: &FilterOptions,
) -> Result<Outcome, FilterError> {
    let mut input = input;
    let mut head = Vec::new();
    (&mut input)
        .take(MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut head)
        .map_err(FilterError::Read)?;
    if head.len() > MAX_INPUT_BYTES {
        let stamp = Stamp::unchecked(&format!(
            "the message is over the {} MiB limit",
            MAX_INPUT_BYTES / (1024 * 1024)
        ));
        write_stamped(&mut output, &head, &stamp).map_err(FilterError::Write)?;
        let rest = copy(&mut input, &mut output)?;
        output.flush().map_err(FilterError::Write)?;
        return Ok(Outcome {
            stamp,
            bytes: head.len() as u64 + rest,
        });
    }
    let stamp = check_bytes(engine, &head, &opts.stamp);
    write_stamped(&mut output, &head, &stamp).map_err(FilterError::Write)?;
    output.flush().map_err(FilterError::Write)?;
    Ok(Outcome {
        stamp,
        bytes: head.len() as u64,
    })
}

/// `io::copy`, telling a read error from a write error.
fn copy(input: &mut impl Read, output: &mut impl Write) -> Result<u64, FilterError> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(FilterError::Read(e)),
        };
        output.write_all(&buf[..n]).map_err(FilterError::Write)?;
        total += n as u64;
    }
}
