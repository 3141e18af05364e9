//! Phone numbers.

use crate::NormText;
use redflag_message::{Message, Span};
use serde::Serialize;

/// What a phone number is, by its number plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PhoneKind {
    /// Toll-free (800, 888, 877, 866, 855, 844, 833 in North America).
    TollFree,
    /// Mobile.
    Mobile,
    /// Landline.
    FixedLine,
    /// Landline or mobile (North America does not tell them apart).
    FixedLineOrMobile,
    /// Premium rate.
    PremiumRate,
    /// Voice over IP.
    Voip,
    /// Anything else, or unknown.
    Other,
}

/// A phone number in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhoneRef {
    /// Where it is.
    pub span: Span,
    /// As written.
    pub raw: String,
    /// E.164 form (`+18885550199`) when it parses.
    pub e164: Option<String>,
    /// True when libphonenumber says the number is valid.
    pub valid: bool,
    /// Type of number.
    pub kind: PhoneKind,
    /// Written with letters or look-alikes (`1-8OO-...`, `l-888-...`) or spaced digits.
    pub obfuscated: bool,
}

/// Finds phone numbers (default region US). Candidates come from a pattern over a
/// digit-folded view (letter O → 0, l/I → 1, full-width digits), then libphonenumber parses
/// and types them. Vanity numbers (`1-800-FLOWERS`) are kept with their letters mapped by the
/// phone keypad.
pub(crate) fn find(msg: &Message, norm: &NormText) -> Vec<PhoneRef> {
    let _ = (msg, norm);
    todo!()
}
