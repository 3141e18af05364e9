//! Email attachments: the MIME parts that are files (name, declared type, sniffed type,
//! size), the inline images that are not, and attached emails (`message/rfc822`), which
//! make the email a forward.

use super::headers::unfold;
use super::{Draft, MimeMessage, has_known_headers, part};
use crate::sniff::{decode_base64_lenient, sniff};
use mail_parser::{MessagePart, MimeHeaders, PartType};
use std::borrow::Cow;

/// Longest attachment name kept, in chars.
const MAX_NAME_CHARS: usize = 255;

/// An attachment before it gets its line in the text.
#[derive(Debug)]
pub(super) struct AttachmentInfo {
    pub(super) name: String,
    pub(super) declared_type: String,
    pub(super) sniffed_type: &'static str,
    pub(super) size: usize,
}

/// The first attached email (`message/rfc822`) that has real headers.
pub(super) fn attached_message<'a, 'x>(m: &'a MimeMessage<'x>) -> Option<&'a MimeMessage<'x>> {
    attached_messages(m).next()
}

/// The attached emails (`message/rfc822`) that have real headers.
pub(super) fn attached_messages<'a, 'x>(
    m: &'a MimeMessage<'x>,
) -> impl Iterator<Item = &'a MimeMessage<'x>> {
    m.attachments
        .iter()
        .filter_map(|&id| part(m, id))
        .filter_map(MessagePart::message)
        .filter(|inner| has_known_headers(inner))
}

/// The declared content type, lowercase `type/subtype`.
pub(super) fn declared_type(p: &MessagePart<'_>) -> String {
    match p.content_type() {
        Some(ct) => match ct.subtype() {
            Some(sub) => format!("{}/{}", ct.ctype(), sub).to_ascii_lowercase(),
            None => ct.ctype().to_ascii_lowercase(),
        },
        None => match p.body {
            PartType::Message(_) => "message/rfc822".to_string(),
            PartType::Text(_) | PartType::Html(_) => "text/plain".to_string(),
            _ => "application/octet-stream".to_string(),
        },
    }
}

pub(super) fn read_attachments(
    m: &MimeMessage<'_>,
    html_sources: &[Cow<'_, str>],
    skip: Option<u32>,
    d: &mut Draft,
) {
    let ids = m.attachments.iter().filter(|&&id| Some(id) != skip);
    for p in ids.filter_map(|&id| part(m, id)) {
        if p.is_multipart() {
            continue;
        }
        let declared_type = declared_type(p);
        let name: String = unfold(p.attachment_name().unwrap_or_default())
            .chars()
            .take(MAX_NAME_CHARS)
            .collect();
        if declared_type.starts_with("image/")
            && let Some(cid) = p.content_id()
        {
            // An image shown inside the HTML is not an attachment to the person.
            let cid = cid.trim().trim_matches(['<', '>']);
            let reference = format!("cid:{cid}");
            let referenced = !cid.is_empty()
                && html_sources
                    .iter()
                    .any(|h| contains_ignore_case(h, &reference));
            if name.is_empty() || referenced {
                continue;
            }
        }
        let base64 = p
            .content_transfer_encoding()
            .is_some_and(|e| e.trim().eq_ignore_ascii_case("base64"));
        let (sniffed_type, size) = if p.is_encoding_problem && base64 {
            // mail-parser could not decode it and kept the base64 text; look through it.
            let decoded = decode_base64_lenient(p.contents());
            (sniff(&decoded), decoded.len())
        } else {
            (sniff(p.contents()), p.contents().len())
        };
        d.attachments.push(AttachmentInfo {
            name,
            declared_type,
            sniffed_type,
            size,
        });
    }
}

/// True when `hay` holds `needle`, compared without ASCII case.
///
/// Only the places that start with the needle's first letter, in either case, are compared
/// (found by `memchr2`): comparing at every byte of the HTML, for every image it might
/// show, was 1.4 % of an email's check.
fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let Some(first) = needle.first() else {
        return false;
    };
    let Some(last_start) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    memchr::memchr2_iter(lower, upper, &hay[..=last_start])
        .any(|i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// `3 KB`, `512 bytes`, `1.4 MB`.
pub(super) fn format_size(n: usize) -> String {
    const KB: usize = 1024;
    const MB: usize = 1024 * 1024;
    if n < KB {
        format!("{n} bytes")
    } else if n < MB {
        format!("{} KB", (n + KB / 2) / KB)
    } else {
        format!("{}.{} MB", n / MB, (n % MB) * 10 / MB)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The same answer as comparing the needle at every byte: needles and texts of
        /// `cid:` pieces in both cases, other letters, multi-byte characters, and texts
        /// shorter than the needle.
        #[test]
        fn contains_ignore_case_compares_at_every_place_it_could_match(
            hay in proptest::collection::vec(0usize..9, 0..30),
            needle in proptest::collection::vec(0usize..9, 0..5),
        ) {
            const PIECES: [&str; 9] = ["cid:", "CID:", "Cid", "c", "C", "img1", "@x", "é", "\"cid:"];
            let join = |v: &[usize]| v.iter().map(|&i| PIECES[i]).collect::<String>();
            let (hay, needle) = (join(&hay), join(&needle));
            let every_place = !needle.is_empty()
                && hay
                    .as_bytes()
                    .windows(needle.len())
                    .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()));
            proptest::prop_assert_eq!(contains_ignore_case(&hay, &needle), every_place);
        }
    }

    #[test]
    fn contains_ignore_case_finds_the_needle_anywhere() {
        assert!(contains_ignore_case("cid:img1", "CID:IMG1"));
        assert!(contains_ignore_case("<img src=\"CID:img1", "cid:img1"));
        assert!(contains_ignore_case("<img src=\"Cid:Img1\">", "cid:img1"));
        assert!(!contains_ignore_case("<img src=\"cid:img", "cid:img1"));
        assert!(!contains_ignore_case("cid:img1", ""));
    }

    #[test]
    fn sizes() {
        assert_eq!(format_size(0), "0 bytes");
        assert_eq!(format_size(3 * 1024 + 100), "3 KB");
        assert_eq!(format_size(1536 * 1024), "1.5 MB");
    }
}
