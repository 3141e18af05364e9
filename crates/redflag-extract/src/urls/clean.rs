//! Cleaning what was found: hosts de-obfuscated and cut to a plausible top-level domain,
//! obfuscated dots and slashes in paths, and spans moved onto char boundaries.

use super::obfuscated::DOT;
use super::plain::bare_host_ok;
use redflag_message::Span;
use regex::Regex;
use std::sync::LazyLock;
use url::Host;

/// A span clamped into `text` and moved onto char boundaries.
pub(super) fn safe_span(text: &str, span: Span) -> Span {
    let mut start = span.start.min(text.len());
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Span::new(start, end.max(start))
}

/// The separators between labels in a matched host.
static DOT_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("(?i){DOT}")).expect("valid regex"));

/// Top-level domains accepted after a dot with white space around it (` dot `, ` [.] `);
/// others are too likely to be English (`a dot in the box`, `brackets [.] like this`).
const WORD_DOT_TLDS: &[&str] = &[
    "com", "net", "org", "info", "biz", "co", "io", "xyz", "top", "shop", "online", "site",
    "store", "live", "app", "help", "support", "link", "click", "club", "vip", "icu", "ru", "cn",
    "tk", "ml", "ga", "cf", "gq", "cc", "ly", "uk", "ca", "de", "fr", "au", "buzz", "website",
    "services", "center", "tech", "space", "cloud", "pro", "page", "rest", "bond", "cfd", "sbs",
];

/// A host de-obfuscated from a match: its ASCII-dotted form, how many bytes of the match
/// it used, and whether an obfuscated dot was among them.
pub(super) struct CleanHost {
    pub(super) host: String,
    pub(super) end: usize,
    pub(super) obfuscated: bool,
}

/// Splits a matched host on its (obfuscated) dots and keeps the longest prefix of labels
/// whose last label is a plausible top-level domain. `None` when there is none.
pub(super) fn clean_host(host: &str, lenient: bool) -> Option<CleanHost> {
    // A host name has at most 253 characters; longer matches are garbage (and would make
    // the search below quadratic).
    if host.len() > 253 {
        return None;
    }
    // (label start, label end, separator before it is obfuscated, separator has spaces)
    let mut labels: Vec<(usize, usize, bool, bool)> = Vec::new();
    let mut pos = 0;
    let mut sep_obf = false;
    let mut sep_word = false;
    for m in DOT_RE.find_iter(host) {
        labels.push((pos, m.start(), sep_obf, sep_word));
        sep_obf = m.as_str() != ".";
        sep_word = m.as_str().contains(char::is_whitespace);
        pos = m.end();
    }
    labels.push((pos, host.len(), sep_obf, sep_word));
    for n in (2..=labels.len()).rev() {
        let (ts, te, _, word) = labels[n - 1];
        let tld = host[ts..te].to_lowercase();
        if tld.is_empty() || tld.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if word && !WORD_DOT_TLDS.contains(&tld.as_str()) {
            continue;
        }
        let joined: Vec<&str> = labels[..n]
            .iter()
            .map(|&(s, e, _, _)| &host[s..e])
            .collect();
        let joined = joined.join(".");
        if !lenient && !bare_host_ok(&joined) {
            continue;
        }
        if lenient && Host::parse(&joined.to_lowercase()).is_err() {
            continue;
        }
        let obfuscated = labels[1..n].iter().any(|l| l.2);
        return Some(CleanHost {
            host: joined,
            end: te,
            obfuscated,
        });
    }
    None
}

/// Replaces obfuscated dots and slashes in a path.
pub(super) fn clean_path(p: &str) -> String {
    p.replace("[.]", ".")
        .replace("(.)", ".")
        .replace("{.}", ".")
        .replace("[/]", "/")
}
