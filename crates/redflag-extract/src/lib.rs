//! Indicators found in a message, each with a byte span into `Message::text`, and the
//! normalised view of the text that rules match phrases against.
//!
//! **Invariant:** extraction decides nothing about what is suspicious; it only finds and
//! describes. It never fetches, resolves or opens anything it finds. It never panics on any
//! input, and every span it returns lies on char boundaries of `Message::text`.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod domain;
mod money;
mod norm;
mod orders;
mod phones;
mod urls;

pub use domain::{is_ip_host, registrable_domain, skeleton_eq, to_unicode_host};
pub use money::MoneyRef;
pub use norm::NormText;
pub use orders::OrderRef;
pub use phones::{PhoneKind, PhoneRef};
pub use urls::{EmailRef, UrlRef, UrlSource};

use redflag_message::Message;
use serde::Serialize;

/// Everything extracted from one message.
#[derive(Debug, Clone, Serialize)]
pub struct Indicators {
    /// The normalised text (for matching) with its map back to `Message::text`.
    #[serde(skip)]
    pub norm: NormText,
    /// Links: from HTML anchors, from the text, and de-obfuscated forms (`hxxp`, `[.]`).
    pub urls: Vec<UrlRef>,
    /// Phone numbers.
    pub phones: Vec<PhoneRef>,
    /// Email addresses in the text (not the sender headers, which `Message` has).
    pub emails: Vec<EmailRef>,
    /// Money amounts.
    pub money: Vec<MoneyRef>,
    /// Things quoted as order numbers.
    pub orders: Vec<OrderRef>,
}

/// Extracts every indicator from a message.
pub fn extract(msg: &Message) -> Indicators {
    let norm = NormText::new(&msg.text);
    let (urls, emails) = urls::find(msg);
    let phones = phones::find(msg, &norm);
    let money = money::find(&msg.text);
    let orders = orders::find(&msg.text);
    Indicators { norm, urls, phones, emails, money, orders }
}
