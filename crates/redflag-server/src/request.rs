//! What a client sends to be checked: the JSON body the API and the case store share, and
//! how it becomes a [`CheckInput`].

use crate::check::CheckInput;
use crate::error::ApiError;
use base64::Engine as _;
use redflag_engine::Channel;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How the message arrived.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ChannelName {
    Email,
    Sms,
    Chat,
    Call,
    /// A pop-up or web page, read from a screenshot.
    Screen,
}

impl From<ChannelName> for Channel {
    fn from(c: ChannelName) -> Channel {
        match c {
            ChannelName::Email => Channel::Email,
            ChannelName::Sms => Channel::Sms,
            ChannelName::Chat => Channel::Chat,
            ChannelName::Call => Channel::Call,
            ChannelName::Screen => Channel::Screen,
        }
    }
}

/// A message to check. Give exactly one of `text`, `email`, `email_base64` or
/// `image_base64`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CheckRequest {
    /// The message as text: a text message, a chat, what a caller said, or a pasted email
    /// (a raw email with headers is recognised as one).
    #[schema(example = "Amazon: your account is locked. Call 1-888-555-0199 now.")]
    pub(crate) text: Option<String>,
    /// A raw email (.eml) as text.
    pub(crate) email: Option<String>,
    /// A raw email (.eml) in base64, for emails that are not UTF-8.
    pub(crate) email_base64: Option<String>,
    /// A screenshot or photo of the message (PNG, JPEG or WebP) in base64. Its text is read
    /// by text recognition; the report's `image` says where each red flag is on it. The
    /// image is not kept.
    pub(crate) image_base64: Option<String>,
    /// How it arrived. Left out: an email is recognised by its content, anything else is a
    /// text message (`sms`).
    pub(crate) channel: Option<ChannelName>,
    /// Who sent it: phone number, short code, email address or name (for a call: the
    /// number that called).
    #[schema(example = "+13055550147")]
    pub(crate) sender: Option<String>,
    /// The subject, for a pasted email body.
    pub(crate) subject: Option<String>,
    /// The person's order numbers, typed or pasted, to check the order the message names.
    #[schema(example = "112-1234567-1234567")]
    pub(crate) order_numbers: Option<String>,
    /// The person's Amazon "Your Orders" export (the Request-your-data CSV).
    pub(crate) orders_csv: Option<String>,
    /// The country whose reporting bodies the report names (ISO code, `JP`). Left out: the
    /// marketplace the message claims, its sender's number, or its language decide.
    #[schema(example = "JP")]
    pub(crate) country: Option<String>,
}

impl CheckRequest {
    pub(crate) fn into_input(self) -> Result<CheckInput, ApiError> {
        let given = [
            self.text.is_some(),
            self.email.is_some(),
            self.email_base64.is_some(),
            self.image_base64.is_some(),
        ]
        .into_iter()
        .filter(|g| *g)
        .count();
        if given != 1 {
            return Err(ApiError::bad_input(
                "invalid_request",
                "Give exactly one of `text`, `email`, `email_base64` or `image_base64`.",
            ));
        }
        if let Some(b) = &self.image_base64 {
            let bytes = decode_base64(b, "image_base64")?;
            if redflag_engine::screenshot::sniff_image(&bytes).is_none() {
                return Err(ApiError::bad_input(
                    "invalid_request",
                    "`image_base64` is not a PNG, JPEG or WebP image.",
                ));
            }
            return Ok(CheckInput {
                bytes,
                channel: self.channel.map(Channel::from),
                sender: self.sender,
                subject: self.subject,
                order_numbers: self.order_numbers,
                orders_csv: self.orders_csv,
                country: self.country,
                image: true,
            });
        }
        let is_email = self.text.is_none();
        if is_email && self.channel.is_some_and(|c| c != ChannelName::Email) {
            return Err(ApiError::bad_input(
                "invalid_request",
                "`email` and `email_base64` hold an email: leave `channel` out or set it to \"email\".",
            ));
        }
        let bytes = match (self.text, self.email, self.email_base64) {
            (Some(t), _, _) | (_, Some(t), _) => t.into_bytes(),
            (_, _, Some(b)) => decode_base64(&b, "email_base64")?,
            _ => Vec::new(),
        };
        Ok(CheckInput {
            bytes,
            channel: if is_email {
                Some(Channel::Email)
            } else {
                self.channel.map(Channel::from)
            },
            sender: self.sender,
            subject: self.subject,
            order_numbers: self.order_numbers,
            orders_csv: self.orders_csv,
            country: self.country,
            image: false,
        })
    }
}

fn decode_base64(b: &str, field: &str) -> Result<Vec<u8>, ApiError> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let decode = |bytes: &[u8]| {
        [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
            .iter()
            .find_map(|e| e.decode(bytes).ok())
    };
    // Whitespace (line breaks every 76 characters, as many encoders write) is skipped. No
    // alphabet has any, so a decode fails on it: only then is a copy without it made. No
    // byte of a multi-byte character is ASCII, so dropping bytes keeps the same characters
    // as dropping characters. Copying every request's base64 character by character into a
    // new `String` was 23 % of the server's instructions per email (callgrind of
    // `redflag serve` over the peers bench's 300 emails, docs/performance.md).
    let bytes = b.as_bytes();
    decode(bytes)
        .or_else(|| {
            bytes.iter().any(u8::is_ascii_whitespace).then(|| {
                let clean: Vec<u8> = bytes
                    .iter()
                    .copied()
                    .filter(|c| !c.is_ascii_whitespace())
                    .collect();
                decode(&clean)
            })?
        })
        .ok_or_else(|| {
            ApiError::bad_input("invalid_request", format!("`{field}` is not valid base64."))
        })
}

#[cfg(test)]
mod tests {
    use super::decode_base64;
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    use proptest::prelude::*;

    /// What `decode_base64` did before it decoded in place: drop every whitespace character
    /// into a new string, then try the four alphabets in turn.
    fn by_characters(b: &str) -> Option<Vec<u8>> {
        let clean: String = b.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
            .iter()
            .find_map(|e| e.decode(&clean).ok())
    }

    #[test]
    fn wrapped_padded_unpadded_and_url_safe_base64_decode() {
        let raw: Vec<u8> = (0..=255u8).cycle().take(200).collect();
        let wrapped = STANDARD
            .encode(&raw)
            .as_bytes()
            .chunks(76)
            .map(|l| std::str::from_utf8(l).unwrap())
            .collect::<Vec<_>>()
            .join("\r\n");
        for given in [
            STANDARD.encode(&raw),
            wrapped,
            STANDARD_NO_PAD.encode(&raw),
            URL_SAFE.encode(&raw),
            format!(" \t{}\n", URL_SAFE_NO_PAD.encode(&raw)),
        ] {
            assert_eq!(
                decode_base64(&given, "f").ok(),
                Some(raw.clone()),
                "{given}"
            );
        }
    }

    #[test]
    fn what_no_alphabet_reads_is_refused() {
        for given in ["%%%", "QQ=", "QQ\u{a0}==", "a+b-", "QUJD\u{3000}"] {
            let e = decode_base64(given, "email_base64").unwrap_err();
            assert_eq!(e.code, "invalid_request", "{given}");
            assert!(e.message.contains("`email_base64`"), "{}", e.message);
        }
    }

    proptest! {
        /// The same answer as dropping whitespace character by character first, for the
        /// four alphabets with whitespace and other characters put anywhere.
        #[test]
        fn decodes_as_dropping_whitespace_characters_first(
            raw in proptest::collection::vec(any::<u8>(), 0..40),
            alphabet in 0usize..4,
            inserts in proptest::collection::vec(
                (any::<prop::sample::Index>(), prop::sample::select(
                    vec![" ", "\r\n", "\t", "\u{c}", "\u{a0}", "\u{2003}", "é", "=", "-", "+"])),
                0..4),
        ) {
            let engines = [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD];
            let mut given = engines[alphabet].encode(&raw);
            for (at, s) in inserts {
                let mut i = at.index(given.len() + 1);
                while !given.is_char_boundary(i) {
                    i -= 1;
                }
                given.insert_str(i, s);
            }
            prop_assert_eq!(decode_base64(&given, "f").ok(), by_characters(&given));
        }
    }
}
