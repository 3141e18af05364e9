//! The message model and the parsers for every channel redflag reads.
//!
//! Every channel becomes one [`Message`]: a single display text (`text`) that the person would
//! see, split into [`Section`]s (sender lines, subject, body, attachment lines), plus the
//! structured data rules need (sender identity, email headers, HTML links, attachments).
//! Every span in redflag points into `Message::text`, so the evidence of any finding can be
//! highlighted in what the person sees.
//!
//! **Invariant:** parsing never fails on content. It returns a message with [`ParseNote`]s
//! saying what could not be read. Only input that is not a message at all (empty, binary,
//! over the size limit) is an [`Error`]. Nothing here does IO: callers pass bytes.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod detect;
mod email;
mod html;
mod mailbox;
mod messenger;
mod model;
mod text;

pub use detect::{Input, InputKind, detect_kind};
pub use email::parse_email;
pub use html::{HtmlText, html_to_text};
pub use mailbox::parse_mbox;
pub use messenger::parse_messenger_json;
pub use model::*;
pub use text::{TextInput, classify_sender, parse_text_message};

/// Largest input accepted, in bytes (25 MiB, the usual attachment limit of mail providers).
pub const MAX_INPUT_BYTES: usize = 25 * 1024 * 1024;

/// Largest display text kept for analysis, in bytes. Longer bodies are cut with a note.
pub const MAX_TEXT_BYTES: usize = 512 * 1024;

/// Most MIME parts looked at in one email; later parts are skipped with a note.
pub const MAX_PARTS: usize = 256;

/// Deepest nesting of forwarded messages followed.
pub const MAX_FORWARD_DEPTH: usize = 3;

/// Why an input could not be read as a message at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The input has no bytes, or only white space.
    #[error("the input is empty")]
    Empty,
    /// The input is larger than [`MAX_INPUT_BYTES`].
    #[error("the input is {size} bytes, over the {limit}-byte limit")]
    TooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// The input looks like a binary file (an image, an archive, a program), not a message.
    #[error("the input looks like a binary file, not a message or text")]
    Binary,
    /// A Messenger export that is not the expected JSON shape.
    #[error("not a Messenger export: {0}")]
    Messenger(String),
}
