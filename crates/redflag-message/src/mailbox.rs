//! mbox files: several emails in one file.

use crate::{Error, Message};

/// Splits an mbox file and parses each email in it, in file order.
pub fn parse_mbox(raw: &[u8]) -> Vec<Result<Message, Error>> {
    let _ = raw;
    todo!("implemented by the parsing work")
}
