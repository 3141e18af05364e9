//! Email: RFC 5322 messages with MIME parts, HTML, attachments and forwards.

use crate::{Error, Message};

/// Parses one raw email into a [`Message`]. Best effort: whatever cannot be read becomes a
/// [`crate::ParseNote`]. Errors only on empty or over-size input.
pub fn parse_email(raw: &[u8]) -> Result<Message, Error> {
    let _ = raw;
    todo!("implemented by the parsing work")
}
