//! Email header fields (RFC 5322, with RFC 2047 encoded words as mail-parser decodes them):
//! the address grammar (mailboxes, bare names, quoted local parts, several `From` entries)
//! and the `From`, `Reply-To`, `Return-Path`, `Authentication-Results` and `Subject` values
//! the display text shows.

use super::{Draft, MimeMessage};
use mail_parser::{HeaderName, HeaderValue};

/// Most `Reply-To` mailboxes kept.
const MAX_REPLY_TO: usize = 16;

/// Most `Authentication-Results` headers kept.
const MAX_AUTH_HEADERS: usize = 32;

/// An address as found in a header.
#[derive(Debug, Default, Clone)]
pub(super) struct Addr {
    pub(super) name: Option<String>,
    /// Only set when it looks like an address (`x@y`).
    pub(super) address: Option<String>,
}

impl Addr {
    /// `Name <addr>`, `addr` or `Name`.
    pub(super) fn display(&self) -> String {
        match (&self.name, &self.address) {
            (Some(n), Some(a)) => format!("{n} <{a}>"),
            (None, Some(a)) => a.clone(),
            (Some(n), None) => n.clone(),
            (None, None) => String::new(),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.name.is_none() && self.address.is_none()
    }
}

/// White space runs (folding included) to one space, trimmed.
pub(super) fn unfold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn addr_of(a: &mail_parser::Addr<'_>) -> Addr {
    let name = a.name().map(unfold).filter(|n| !n.is_empty());
    let raw = a.address().map(str::trim).unwrap_or_default();
    let looks_like_address = raw
        .find('@')
        .is_some_and(|at| at > 0 && at + 1 < raw.len() && !raw.contains(char::is_whitespace));
    if looks_like_address {
        Addr {
            name,
            address: Some(raw.to_string()),
        }
    } else {
        // `From: Amazon` (no address) comes back as an address without an `@`.
        let fallback = Some(unfold(raw)).filter(|s| !s.is_empty());
        Addr {
            name: name.or(fallback),
            address: None,
        }
    }
}

/// The address in a raw header value whose local part is quoted (`"jo smith"@example.org`),
/// which mail-parser reads as a bare name.
fn quoted_local_address(raw: &str) -> Option<String> {
    let at = raw.rfind("\"@")?;
    let open = raw[..at].rfind('"')?;
    let domain: String = raw[at + 2..]
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '>' | ',' | ';'))
        .collect();
    (!domain.is_empty() && domain.contains('.')).then(|| format!("{}@{domain}", &raw[open..=at]))
}

/// The sender among a `From` header's entries: the first one with an address, named by the
/// first entry when that is a bare name (`From: Gift Team, <a@b.example>` is read as the name
/// `Gift Team`, the address `a@b.example`), else the first entry.
fn pick_from(mut entries: Vec<Addr>) -> Option<Addr> {
    let i = entries
        .iter()
        .position(|a| a.address.is_some())
        .unwrap_or(0);
    if i >= entries.len() {
        return None;
    }
    let name = entries[..i].iter().find_map(|a| a.name.clone());
    let mut chosen = entries.swap_remove(i);
    if chosen.name.is_none() {
        chosen.name = name;
    }
    Some(chosen)
}

pub(super) fn read_headers(m: &MimeMessage<'_>, d: &mut Draft) {
    let from: Vec<Addr> = m
        .from()
        .map(|a| a.iter().map(addr_of).filter(|a| !a.is_empty()).collect())
        .unwrap_or_default();
    d.from_entries = from.len();
    d.from = pick_from(from);
    if let Some(f) = d.from.as_mut().filter(|f| f.address.is_none())
        && let Some(raw) = m.header_raw(HeaderName::From)
    {
        // mail-parser drops a quoted local part (`"jo smith"@example.org`); keep it.
        f.address = quoted_local_address(raw);
    }
    d.relayed = m.header(HeaderName::Received).is_some();
    d.reply_to = m
        .reply_to()
        .map(|list| {
            list.iter()
                .map(addr_of)
                .filter(|a| a.address.is_some())
                .take(MAX_REPLY_TO)
                .collect()
        })
        .unwrap_or_default();
    let return_path = match m.return_path() {
        HeaderValue::Text(t) => Some(t.as_ref()),
        HeaderValue::TextList(list) => list
            .iter()
            .map(|t| t.as_ref())
            .find(|t: &&str| !t.trim().is_empty()),
        _ => None,
    };
    d.return_path = return_path
        .map(|r| r.trim().trim_matches(['<', '>']).trim().to_string())
        .filter(|r| !r.is_empty());
    d.auth = m
        .header_values(HeaderName::AuthenticationResults)
        .filter_map(HeaderValue::as_text)
        .map(unfold)
        .filter(|v| !v.is_empty())
        .take(MAX_AUTH_HEADERS)
        .collect();
    d.subject = m.subject().map(unfold).filter(|s| !s.is_empty());
}
