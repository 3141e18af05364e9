//! Obfuscated links and addresses: `hxxp://`, `h**p://`, `http[:]//`, dots written `[.]`,
//! `(.)`, `{.}`, `[dot]`, `(dot)`, ` dot `, and `[at]` for `@`; found by a pattern and
//! de-obfuscated.

use super::clean::{clean_host, clean_path};
use super::plain::trim_url_end;
use super::{EmailRef, UrlRef, UrlSource, overlaps};
use crate::domain::registrable_domain;
use redflag_message::Span;
use regex::Regex;
use std::sync::LazyLock;
use url::Host;

/// One label of a domain name (Unicode letters and digits, then hyphens too). Lengths are
/// not checked here (a bounded repetition of Unicode classes makes a huge automaton); the
/// host parser rejects what is not a host.
const LABEL: &str = r"[\p{L}\p{N}][\p{L}\p{N}\-]*";

/// A dot between labels, plain or obfuscated.
pub(super) const DOT: &str = r"(?:\.|\s?\[\.\]\s?|\s?\(\.\)\s?|\s?\{\.\}\s?|\s?\[dot\]\s?|\s?\(dot\)\s?|\s?\{dot\}\s?|\s+dot\s+)";

/// Cheap test for texts that may hold an obfuscated link or address.
static OBF_HINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)hxxp|h\*\*p|h\*\*\*p|fxp|https?\x20//|\[\.\]|\(\.\)|\{\.\}|(?-u:\b)dot(?-u:\b)|\[:\]|\(:\)|\[at\]|\(at\)|\{at\}|\[@\]|\(@\)")
        .expect("valid regex")
});

/// A link, possibly obfuscated: optional (obfuscated) scheme, labels joined by (obfuscated)
/// dots, optional path.
static OBF_URL: LazyLock<Regex> = LazyLock::new(|| {
    let re = format!(
        r"(?i)(?:(?P<scheme>h(?:xx|tt|\*\*|\*\*\*)ps?|fxp|ftp)\s?(?P<colon>\[:\]|\(:\)|\{{:\}}|:|\x20)\s?(?P<slashes>//|\[/\]\[/\]|\[//\]))?(?P<host>{LABEL}(?:{DOT}{LABEL})+)(?P<path>[/?#][^\s<>\x22']*)?"
    );
    Regex::new(&re).expect("valid regex")
});

/// An email address, possibly obfuscated (`help [at] amazon [dot] com`).
static OBF_EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    let re = format!(
        r"(?i)(?P<local>[a-z0-9._%+\-]+)(?P<at>\s?\[at\]\s?|\s?\(at\)\s?|\s?\{{at\}}\s?|\s?\[@\]\s?|\s?\(@\)\s?|@)(?P<host>{LABEL}(?:{DOT}{LABEL})+)"
    );
    Regex::new(&re).expect("valid regex")
});

/// An obfuscated link or address found in the text.
pub(super) enum Obfuscated {
    Url(UrlRef),
    Email(EmailRef),
}

/// Finds obfuscated links and email addresses (only those that really hide something).
pub(super) fn find_obfuscated(text: &str) -> Vec<Obfuscated> {
    let mut out = Vec::new();
    if !OBF_HINT.is_match(text) {
        return out;
    }
    let mut taken: Vec<Span> = Vec::new();
    for c in OBF_EMAIL.captures_iter(text) {
        let (Some(all), Some(local), Some(at), Some(host)) =
            (c.get(0), c.name("local"), c.name("at"), c.name("host"))
        else {
            continue;
        };
        let Some(h) = clean_host(host.as_str(), false) else {
            continue;
        };
        let at_obf = at.as_str() != "@";
        if !at_obf && !h.obfuscated {
            continue;
        }
        let local = local.as_str().trim_matches('.');
        if local.is_empty() {
            continue;
        }
        let start = all.start() + (all.as_str().len() - all.as_str().trim_start_matches('.').len());
        let span = Span::new(start.min(host.start()), host.start() + h.end);
        let domain = match Host::parse(&h.host.to_lowercase()) {
            Ok(Host::Domain(d)) => d,
            _ => continue,
        };
        taken.push(span);
        out.push(Obfuscated::Email(EmailRef {
            span,
            address: format!("{}@{}", local.to_lowercase(), h.host.to_lowercase()),
            registrable: registrable_domain(&domain),
            domain,
        }));
    }
    for c in OBF_URL.captures_iter(text) {
        let (Some(all), Some(host)) = (c.get(0), c.name("host")) else {
            continue;
        };
        if taken
            .iter()
            .any(|&t| overlaps(t, Span::new(all.start(), all.end())))
        {
            continue;
        }
        // The match must not continue a word or an address (`x@host`, `word.host`).
        if let Some(prev) = text[..all.start()].chars().next_back()
            && (prev.is_alphanumeric() || matches!(prev, '@' | '.' | '-' | '_'))
        {
            continue;
        }
        let scheme = c.name("scheme").map(|m| m.as_str().to_ascii_lowercase());
        let scheme_obf = scheme
            .as_deref()
            .is_some_and(|s| !matches!(s, "http" | "https" | "ftp"))
            || c.name("colon").is_some_and(|m| m.as_str() != ":")
            || c.name("slashes").is_some_and(|m| m.as_str() != "//");
        let Some(h) = clean_host(host.as_str(), scheme.is_some()) else {
            continue;
        };
        if !scheme_obf && !h.obfuscated {
            continue;
        }
        let full_host = h.end == host.as_str().len();
        let path = c.name("path").filter(|_| full_host);
        let mut end = host.start() + h.end;
        let mut path_str = String::new();
        if let Some(p) = path {
            let keep = trim_url_end(p.as_str());
            end = p.start() + keep;
            path_str = clean_path(&p.as_str()[..keep]);
        }
        let scheme = match scheme.as_deref() {
            Some(s) if s.ends_with('s') => "https",
            Some("fxp" | "ftp") => "ftp",
            _ => "http",
        };
        let url = format!("{scheme}://{}{path_str}", h.host);
        let span = Span::new(all.start(), end);
        taken.push(span);
        out.push(Obfuscated::Url(UrlRef::describe(
            url,
            span,
            UrlSource::Text,
            None,
            true,
        )));
    }
    out
}
