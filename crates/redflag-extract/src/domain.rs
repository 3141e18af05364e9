//! Host names: registrable domains, IP hosts, Unicode forms, look-alike comparison.
//!
//! Hosts are parsed the way a browser parses them (WHATWG URL host parser from the `url`
//! crate): lowercased, IDNs turned into punycode, and numeric IPv4 spellings such as
//! `3232235777`, `0xC0A80001` or `0300.0250.0.1` recognised as IP addresses.

use url::Host;

/// Parses a host the way a browser would, after trimming white space, one pair of IPv6
/// brackets is kept (the parser needs them) and one trailing dot is removed.
fn parse_host(host: &str) -> Option<Host<String>> {
    let host = host.trim();
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.is_empty() {
        return None;
    }
    Host::parse(host).ok()
}

/// The registrable domain (eTLD+1, by the Public Suffix List) of a host, lowercase ASCII
/// (punycode for IDNs). `None` for IP addresses and hosts with no registrable part.
///
/// A trailing dot is ignored (`amazon.com.` → `amazon.com`). Unicode hosts are converted
/// to punycode first (`аmazon.com` with a Cyrillic `а` → `xn--mazon-3ve.com`). Hosts whose
/// top-level label is not in the list still get the answer of the list's default rule
/// (`evil.internal` → `evil.internal`), as browsers do.
pub fn registrable_domain(host: &str) -> Option<String> {
    match parse_host(host)? {
        Host::Domain(d) => psl::domain_str(&d).map(str::to_string),
        Host::Ipv4(_) | Host::Ipv6(_) => None,
    }
}

/// [`registrable_domain`] of a host the WHATWG parser gave for a web address, made of
/// lowercase ASCII letters, digits, dots and hyphens without a punycode label: parsing it
/// again would give it back, so only the trailing dot is dropped before the list is asked.
pub(crate) fn registrable_of_plain(host: &str) -> Option<String> {
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.is_empty() {
        return None;
    }
    psl::domain_str(host).map(str::to_string)
}

/// True for an IPv4 or IPv6 literal host (also dotless/hex/octal IPv4 forms a browser accepts).
///
/// `192.168.0.1`, `[::1]`, `3232235777`, `0xC0A80001` and `0300.0250.0.1` are IP hosts;
/// `amazon.com` and `999.1.1.1` (not a valid address) are not.
pub fn is_ip_host(host: &str) -> bool {
    let h = host.trim();
    if h.contains(':') && !h.starts_with('[') {
        // A bare IPv6 literal, as found in some texts.
        return h.parse::<std::net::Ipv6Addr>().is_ok();
    }
    matches!(parse_host(h), Some(Host::Ipv4(_) | Host::Ipv6(_)))
}

/// The Unicode form of a punycode host (`xn--mazon-3ve.com` → `аmazon.com`).
///
/// Hosts that cannot be parsed are returned unchanged; the result is lowercase.
pub fn to_unicode_host(host: &str) -> String {
    let unicode = url::quirks::domain_to_unicode(host.trim());
    if unicode.is_empty() {
        host.trim().to_lowercase()
    } else {
        unicode
    }
}

/// True when two strings are confusable (same UTS #39 skeleton) but not equal.
///
/// `skeleton_eq("аmazon.com", "amazon.com")` (Cyrillic `а`) and
/// `skeleton_eq("arnazon", "amazon")` are true; equal strings are not "confusable".
pub fn skeleton_eq(a: &str, b: &str) -> bool {
    a != b && unicode_security::skeleton(a).eq(unicode_security::skeleton(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrable_domains() {
        assert_eq!(
            registrable_domain("www.amazon.com").as_deref(),
            Some("amazon.com")
        );
        assert_eq!(
            registrable_domain("WWW.Amazon.COM.").as_deref(),
            Some("amazon.com")
        );
        assert_eq!(
            registrable_domain("amazon.co.uk").as_deref(),
            Some("amazon.co.uk")
        );
        assert_eq!(
            registrable_domain("smile.amazon.co.uk").as_deref(),
            Some("amazon.co.uk")
        );
        assert_eq!(
            registrable_domain("www.amazon.com.account-verify.xyz").as_deref(),
            Some("account-verify.xyz")
        );
        assert_eq!(
            registrable_domain("аmazon.com").as_deref(),
            Some("xn--mazon-3ve.com")
        );
        assert_eq!(
            registrable_domain("evil.github.io").as_deref(),
            Some("evil.github.io")
        );
        assert_eq!(registrable_domain("com"), None);
        assert_eq!(registrable_domain(""), None);
        assert_eq!(registrable_domain("192.168.0.1"), None);
        assert_eq!(registrable_domain("[::1]"), None);
        assert_eq!(registrable_domain("a b.com"), None);
    }

    #[test]
    fn ip_hosts() {
        for h in [
            "192.168.0.1",
            "[::1]",
            "[2001:db8::1]",
            "2001:db8::1",
            "3232235777",
            "0xC0A80001",
            "0300.0250.0.1",
            "192.168.0.1.",
        ] {
            assert!(is_ip_host(h), "{h}");
        }
        for h in [
            "amazon.com",
            "999.1.1.1",
            "",
            "1.2.3.amazon",
            "xn--mazon-3ve.com",
        ] {
            assert!(!is_ip_host(h), "{h}");
        }
    }

    #[test]
    fn unicode_hosts() {
        assert_eq!(to_unicode_host("xn--mazon-3ve.com"), "аmazon.com");
        assert_eq!(to_unicode_host("amazon.com"), "amazon.com");
        assert_eq!(to_unicode_host("Amazon.COM"), "amazon.com");
    }

    #[test]
    fn skeletons() {
        assert!(skeleton_eq("аmazon.com", "amazon.com"));
        assert!(skeleton_eq("arnazon", "amazon"));
        assert!(skeleton_eq("paypa1", "paypal"));
        assert!(!skeleton_eq("amazon", "amazon"));
        assert!(!skeleton_eq("amazon", "anazon"));
    }
}
