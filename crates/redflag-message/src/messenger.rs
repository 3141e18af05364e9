//! Facebook Messenger JSON exports.

use crate::{Error, Message};

/// Parses a Messenger conversation export into one chat [`Message`].
pub fn parse_messenger_json(raw: &[u8]) -> Result<Message, Error> {
    let _ = raw;
    todo!("implemented by the parsing work")
}
