//! Host names: registrable domains, IP hosts, Unicode forms, look-alike comparison.

/// The registrable domain (eTLD+1, by the Public Suffix List) of a host, lowercase ASCII
/// (punycode for IDNs). `None` for IP addresses and hosts with no registrable part.
pub fn registrable_domain(host: &str) -> Option<String> {
    let _ = host;
    todo!()
}

/// True for an IPv4 or IPv6 literal host (also dotless/hex/octal IPv4 forms a browser accepts).
pub fn is_ip_host(host: &str) -> bool {
    let _ = host;
    todo!()
}

/// The Unicode form of a punycode host (`xn--mazon-3ve.com` → `аmazon.com`).
pub fn to_unicode_host(host: &str) -> String {
    let _ = host;
    todo!()
}

/// True when two strings are confusable (same UTS #39 skeleton) but not equal.
pub fn skeleton_eq(a: &str, b: &str) -> bool {
    let _ = (a, b);
    todo!()
}
