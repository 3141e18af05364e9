//! Links and email addresses.
//!
//! Three sources, merged and sorted by position:
//!
//! 1. HTML anchors (`Message::links`), with the anchor's visible text as span.
//! 2. URLs, bare domains and email addresses written in the text, found by `linkify`. Bare
//!    domains (no scheme) count only when their top-level domain is in the Public Suffix
//!    List and is not a common file extension (`invoice.pdf`), unless they start with `www.`.
//! 3. Obfuscated links and addresses (`hxxps://`, `h**p://`, `amazon[.]com`,
//!    `amazon(dot)com`, `amazon-verify dot com`, `http[:]//`, `help [at] amazon [dot] com`),
//!    found by a pattern and de-obfuscated.
//!
//! Nothing is fetched or resolved.
//!
//! The grammars are in submodules: `plain` (links in plain text), `obfuscated` (hidden
//! links and addresses) and `clean` (hosts, paths and spans cleaned up).

mod clean;
mod obfuscated;
mod plain;

use crate::domain::{registrable_domain, to_unicode_host};
use clean::safe_span;
use linkify::LinkKind;
use obfuscated::{Obfuscated, find_obfuscated};
use plain::{
    COMPANY_FORM, FINDER, OPENING_PUNCTUATION, bare_host, bare_host_ok, email_domain,
    glued_capitals, glued_word_len, in_payment_code, scheme_of, trim_url_end, unspaced_pieces,
    with_scheme,
};
use redflag_message::{Message, SectionKind, Span};
use serde::Serialize;
use url::{Host, Url};

/// Where a link was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UrlSource {
    /// An HTML `<a href>`; the span is the link's visible text.
    Anchor,
    /// A URL or bare domain written in the text.
    Text,
}

/// A link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UrlRef {
    /// Where it is in `Message::text` (the anchor text for anchors, the URL itself otherwise).
    pub span: Span,
    /// The URL, de-obfuscated (`hxxp` → `http`, `[.]` → `.`) and with a scheme added when the
    /// text had none.
    pub url: String,
    /// Where it was found.
    pub source: UrlSource,
    /// The visible text of an anchor (trimmed), `None` for text links.
    pub link_text: Option<String>,
    /// Host, lowercase ASCII (punycode for IDNs); `None` when the URL has no host
    /// (`mailto:`, `tel:`, unparsable).
    pub host: Option<String>,
    /// The host's Unicode form, when it differs from `host`.
    pub host_unicode: Option<String>,
    /// Registrable domain of the host (eTLD+1), lowercase ASCII.
    pub registrable: Option<String>,
    /// Scheme, lowercase (`http`, `https`, `mailto`, `tel`, ...).
    pub scheme: String,
    /// The path and query (`/x?y=1`), for brand-in-path checks.
    pub path: String,
    /// The host is an IP address.
    pub is_ip: bool,
    /// The text hid the link (`hxxp://`, `amazon[.]com`, `amazon(dot)com`).
    pub obfuscated: bool,
    /// The URL carries user info (`https://amazon.com@evil.example/`).
    pub has_userinfo: bool,
}

/// An email address written in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmailRef {
    /// Where it is.
    pub span: Span,
    /// The address, lowercase.
    pub address: String,
    /// Domain part, lowercase ASCII.
    pub domain: String,
    /// Registrable domain of the domain part.
    pub registrable: Option<String>,
}

impl UrlRef {
    /// Describes a URL string: parses it with the WHATWG parser and fills in host, Unicode
    /// host, registrable domain, scheme, path and query, IP and user-info flags. A URL that
    /// does not parse (a relative link, garbage) keeps `host: None`, and its scheme when it
    /// has one.
    pub fn describe(
        url: String,
        span: Span,
        source: UrlSource,
        link_text: Option<String>,
        obfuscated: bool,
    ) -> UrlRef {
        let mut r = UrlRef {
            span,
            url,
            source,
            link_text,
            host: None,
            host_unicode: None,
            registrable: None,
            scheme: String::new(),
            path: String::new(),
            is_ip: false,
            obfuscated,
            has_userinfo: false,
        };
        match Url::parse(&r.url) {
            Ok(u) => {
                r.scheme = u.scheme().to_string();
                r.path = u.path().to_string();
                if let Some(q) = u.query() {
                    r.path.push('?');
                    r.path.push_str(q);
                }
                r.has_userinfo = !u.username().is_empty() || u.password().is_some();
                match u.host() {
                    Some(Host::Domain(d)) if !d.is_empty() => {
                        let d = d.to_ascii_lowercase();
                        if plain_web_host(&r.scheme, &d) {
                            r.registrable = crate::domain::registrable_of_plain(&d);
                        } else {
                            let uni = to_unicode_host(&d);
                            r.host_unicode = (uni != d).then_some(uni);
                            r.registrable = registrable_domain(&d);
                        }
                        r.host = Some(d);
                    }
                    Some(Host::Ipv4(ip)) => {
                        r.host = Some(ip.to_string());
                        r.is_ip = true;
                    }
                    Some(Host::Ipv6(ip)) => {
                        r.host = Some(format!("[{ip}]"));
                        r.is_ip = true;
                    }
                    _ => {}
                }
            }
            Err(_) => {
                if let Some(scheme) = scheme_of(&r.url) {
                    r.scheme = scheme.to_ascii_lowercase();
                }
            }
        }
        r
    }
}

/// True for the host of a web address (`http`, `https`) that the WHATWG parser left as
/// plain ASCII letters, digits, dots and hyphens with no punycode label (`xn--`): almost
/// every link. Its Unicode form is itself, and parsing it again as a host gives it back,
/// so neither is worked out again (about 1,500 instructions a link). Other hosts (an
/// opaque host of another scheme may hold `%41` or be `1.2.3.4`) take the full path.
fn plain_web_host(scheme: &str, host: &str) -> bool {
    matches!(scheme, "http" | "https")
        && host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && !host.split('.').any(|label| label.starts_with("xn--"))
}

/// True when two spans share at least one byte.
fn overlaps(a: Span, b: Span) -> bool {
    a.start < b.end && b.start < a.end
}

/// True when two URL strings name the same URL (parsed and compared; by text when they do
/// not parse).
fn same_url(a: &str, b: &str) -> bool {
    match (Url::parse(&with_scheme(a)), Url::parse(&with_scheme(b))) {
        (Ok(x), Ok(y)) => x == y,
        _ => a
            .trim_end_matches('/')
            .eq_ignore_ascii_case(b.trim_end_matches('/')),
    }
}

/// Sender and server header lines (`From`, `Reply-To`, `Return-Path`,
/// `Authentication-Results`): their addresses and domains are in `Message` already
/// (`sender`, `email`), and `Amazon.com <...>` display names or `header.from=amazon.com`
/// results are not links the message shows. Nothing is taken from them.
fn is_sender_header(kind: Option<SectionKind>) -> bool {
    matches!(
        kind,
        Some(
            SectionKind::From
                | SectionKind::ReplyTo
                | SectionKind::ReturnPath
                | SectionKind::AuthResults
        )
    )
}

/// Finds links (HTML anchors from `msg.links`, URLs and bare domains in the text, obfuscated
/// forms) and email addresses. Deduplicates links with the same span and URL.
///
/// Nothing is taken from the sender and server header lines (`From`, `Reply-To`,
/// `Return-Path`, `Authentication-Results`): `Message` has those addresses already. In
/// attachment lines only links with a scheme count (`setup.zip` there is a file name).
pub(crate) fn find(msg: &Message) -> (Vec<UrlRef>, Vec<EmailRef>) {
    let text = msg.text.as_str();
    let mut urls = Vec::new();
    let mut emails = Vec::new();

    // 1. Anchors.
    let mut anchors: Vec<(Span, &str)> = Vec::new();
    for link in msg.links.iter().take(crate::MAX_LINKS) {
        let href = link.href.trim();
        if href.is_empty() || href.starts_with('#') {
            continue;
        }
        let span = safe_span(text, link.span);
        let link_text = text[span.range()].trim().to_string();
        anchors.push((span, href));
        urls.push(UrlRef::describe(
            with_scheme(href),
            span,
            UrlSource::Anchor,
            Some(link_text),
            false,
        ));
    }

    // 2. Obfuscated forms.
    let mut taken: Vec<Span> = Vec::new();
    for o in find_obfuscated(text).into_iter().take(crate::MAX_LINKS) {
        match o {
            Obfuscated::Url(u) => {
                if !is_sender_header(msg.section_at(u.span.start)) {
                    taken.push(u.span);
                    urls.push(u);
                }
            }
            Obfuscated::Email(e) => {
                taken.push(e.span);
                if !is_sender_header(msg.section_at(e.span.start)) {
                    emails.push(e);
                }
            }
        }
    }

    // 3. Plain links and addresses.
    let pieces = FINDER.links(text).flat_map(|link| {
        let raw = link.as_str();
        let glued = glued_word_len(raw);
        unspaced_pieces(
            &raw[glued..],
            link.start() + glued,
            *link.kind() == LinkKind::Email,
        )
    });
    for (start, raw, email) in pieces {
        // An opening quote or bracket glued to a link (`‘Amazon.com`, `«www.x.fr`) is
        // punctuation, not part of its host: linkify takes some as letters of a name.
        let lead = raw.len() - raw.trim_start_matches(OPENING_PUNCTUATION).len();
        let (start, raw) = (start + lead, &raw[lead..]);
        if urls.len() >= crate::MAX_LINKS || emails.len() >= crate::MAX_EMAILS {
            // Past the cap: the rest is not scanned (the checks below compare each link
            // with every anchor and obfuscated form, which must stay bounded).
            break;
        }
        let span = Span::new(start, start + trim_url_end(raw));
        if span.is_empty() || taken.iter().any(|&t| overlaps(t, span)) {
            continue;
        }
        let raw = &text[span.range()];
        let section = msg.section_at(span.start);
        if is_sender_header(section) {
            continue;
        }
        if email {
            if let Some((address, domain)) = email_domain(raw) {
                emails.push(EmailRef {
                    span,
                    address,
                    registrable: registrable_domain(&domain),
                    domain,
                });
            }
        } else {
            if scheme_of(raw).is_none() {
                if section == Some(SectionKind::Attachment)
                    || !bare_host_ok(bare_host(raw))
                    || glued_capitals(raw)
                {
                    continue;
                }
                // A payment code to paste into a banking app (Pix "copia e cola", EMV QR):
                // the host inside it is the payment provider's, not a link to open.
                if in_payment_code(text, span) {
                    continue;
                }
                // `Amazon.com.ca, ULC`, `Booking.com B.V.`: a company's legal name.
                if COMPANY_FORM.is_match(&text[span.end..]) {
                    continue;
                }
                // `user@host/x` without a scheme is an address followed by a path.
                let host_end = raw.find(['/', '?', '#']).unwrap_or(raw.len());
                if raw[..host_end].contains('@') {
                    continue;
                }
            }
            if anchors
                .iter()
                .any(|&(a, href)| a.contains(span) && same_url(href, raw))
            {
                continue;
            }
            urls.push(UrlRef::describe(
                with_scheme(raw),
                span,
                UrlSource::Text,
                None,
                false,
            ));
        }
    }

    urls.sort_by_key(|u| (u.span.start, u.span.end));
    urls.dedup_by(|a, b| a.span == b.span && a.url == b.url);
    urls.truncate(crate::MAX_LINKS);
    emails.sort_by_key(|e| (e.span.start, e.span.end));
    emails.dedup_by(|a, b| a.span == b.span);
    emails.truncate(crate::MAX_EMAILS);
    redflag_message::work::steps(text.len() + urls.len() + emails.len());
    (urls, emails)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use redflag_message::{Channel, HtmlLink, TextInput, parse_text_message};

    proptest! {
        /// A host that takes the short path gets the answers of the full one: the Unicode
        /// form is the host itself and the registrable domain is the same. Hosts of web and
        /// other schemes, with trailing and doubled dots, hyphens, digits, IP-like and
        /// punycode labels, capitals, `%` and letters outside ASCII.
        #[test]
        fn plain_web_hosts_need_no_second_parse(
            pieces in proptest::collection::vec(
                prop::sample::select(vec![
                    "a", "amazon", "co", "uk", "com", "0", "9", "123", ".", "-", "xn--", "xn--mazon-3ve",
                    "é", "A", "_", "%41", "1.2.3.4", "0x1", "www.", "github.io", "s3.amazonaws.com",
                ]),
                1..8,
            ),
            scheme in prop::sample::select(vec!["http", "https", "ftp", "foo"]),
        ) {
            let host: String = pieces.concat();
            let Ok(u) = Url::parse(&format!("{scheme}://{host}/p")) else { return Ok(()) };
            let Some(Host::Domain(d)) = u.host() else { return Ok(()) };
            let d = d.to_ascii_lowercase();
            if plain_web_host(u.scheme(), &d) {
                prop_assert_eq!(to_unicode_host(&d), d.clone());
                prop_assert_eq!(crate::domain::registrable_of_plain(&d), registrable_domain(&d));
            }
        }
    }

    #[test]
    fn plain_web_hosts() {
        assert!(plain_web_host("https", "www.amazon.com"));
        assert!(plain_web_host("http", "amazon-support-center.com."));
        // Punycode, another scheme, other characters: the full path.
        assert!(!plain_web_host("https", "xn--mazon-3ve.com"));
        assert!(!plain_web_host("foo", "www.amazon.com"));
        assert!(!plain_web_host("https", "a_b.example"));
        let r = UrlRef::describe(
            "https://WWW.Amazon.COM./gp".into(),
            Span::new(0, 0),
            UrlSource::Text,
            None,
            false,
        );
        assert_eq!(r.registrable.as_deref(), Some("amazon.com"));
        assert_eq!(r.host_unicode, None);
        let r = UrlRef::describe(
            "https://аmazon.com/".into(),
            Span::new(0, 0),
            UrlSource::Text,
            None,
            false,
        );
        assert_eq!(r.registrable.as_deref(), Some("xn--mazon-3ve.com"));
        assert_eq!(r.host_unicode.as_deref(), Some("аmazon.com"));
    }

    fn sms(text: &str) -> Message {
        parse_text_message(TextInput {
            channel: Channel::Sms,
            text,
            sender: None,
            subject: None,
        })
        .expect("message")
    }

    #[test]
    fn sender_addresses_are_not_repeated() {
        let m = parse_text_message(TextInput {
            channel: Channel::Sms,
            text: "Reply to refunds@amaz0n.co",
            sender: Some("alerts@amaz0n.co"),
            subject: None,
        })
        .expect("message");
        let (u, e) = find(&m);
        assert!(u.is_empty(), "{u:?}");
        assert_eq!(e.len(), 1);
        assert_eq!(&m.text[e[0].span.range()], "refunds@amaz0n.co");

        let m = parse_text_message(TextInput {
            channel: Channel::Chat,
            text: "Your refund: amazon-refunds.help",
            sender: Some("Amazon.com Support"),
            subject: None,
        })
        .expect("message");
        let (u, _) = find(&m);
        assert_eq!(u.len(), 1, "{u:?}");
        assert_eq!(u[0].host.as_deref(), Some("amazon-refunds.help"));
    }

    #[test]
    fn long_runs_stay_fast() {
        for pat in [
            "ab[.]",
            "x dot ",
            "hxxp://",
            "a.b",
            "http://x.com/(((",
            "a@b.",
            "[at]x",
        ] {
            let text = pat.repeat(40_000 / pat.len());
            let t = std::time::Instant::now();
            let _ = find(&sms(&text));
            assert!(t.elapsed().as_secs() < 20, "{pat}");
        }
    }

    fn html_message(text: &str, links: Vec<HtmlLink>) -> Message {
        let mut m = sms(text);
        m.links = links;
        m
    }

    #[test]
    fn anchors() {
        let text = "Click Amazon.com to confirm, or https://amazon.com/ here. Call us. Mail us.";
        let at = |s: &str| {
            let i = text.find(s).expect("in text");
            Span::new(i, i + s.len())
        };
        let m = html_message(
            text,
            vec![
                HtmlLink {
                    href: "https://evil.example/amazon".into(),
                    span: at("Amazon.com"),
                },
                HtmlLink {
                    href: "https://amazon.com/".into(),
                    span: at("https://amazon.com/"),
                },
                HtmlLink {
                    href: "tel:+18885550199".into(),
                    span: at("Call us"),
                },
                HtmlLink {
                    href: "mailto:help@evil.example".into(),
                    span: at("Mail us"),
                },
                HtmlLink {
                    href: "#top".into(),
                    span: at("here"),
                },
                HtmlLink {
                    href: "".into(),
                    span: at("here"),
                },
                HtmlLink {
                    href: "https://x.example".into(),
                    span: Span::new(9999, 99999),
                },
            ],
        );
        let (u, _) = find(&m);
        let anchors: Vec<_> = u.iter().filter(|u| u.source == UrlSource::Anchor).collect();
        assert_eq!(anchors.len(), 5, "{u:#?}");
        let a = anchors
            .iter()
            .find(|u| u.link_text.as_deref() == Some("Amazon.com"))
            .expect("a");
        assert_eq!(a.host.as_deref(), Some("evil.example"));
        assert_eq!(a.path, "/amazon");
        let tel = anchors.iter().find(|u| u.scheme == "tel").expect("tel");
        assert_eq!(tel.host, None);
        let mail = anchors
            .iter()
            .find(|u| u.scheme == "mailto")
            .expect("mailto");
        assert_eq!(mail.host, None);
        assert_eq!(mail.path, "help@evil.example");
        // The text link "Amazon.com" differs from its href, so it is kept; the text link
        // equal to its anchor's href is not repeated.
        let texts: Vec<_> = u.iter().filter(|u| u.source == UrlSource::Text).collect();
        assert_eq!(texts.len(), 1, "{texts:#?}");
        assert_eq!(texts[0].host.as_deref(), Some("amazon.com"));
        assert_eq!(texts[0].span, at("Amazon.com"));
        // Sorted by position; every span slices the text.
        assert!(u.windows(2).all(|w| w[0].span.start <= w[1].span.start));
        for x in &u {
            assert!(m.text.get(x.span.range()).is_some());
        }
    }

    #[test]
    fn relative_and_odd_hrefs() {
        let m = html_message(
            "click",
            vec![HtmlLink {
                href: "/account/login".into(),
                span: Span::new(0, 5),
            }],
        );
        let (u, _) = find(&m);
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].host, None);
        assert_eq!(u[0].url, "/account/login");
        let m = html_message(
            "click",
            vec![HtmlLink {
                href: "//cdn.example/x".into(),
                span: Span::new(0, 5),
            }],
        );
        assert_eq!(find(&m).0[0].host.as_deref(), Some("cdn.example"));
        let m = html_message(
            "click",
            vec![HtmlLink {
                href: "www.amazon.com".into(),
                span: Span::new(0, 5),
            }],
        );
        assert_eq!(find(&m).0[0].url, "http://www.amazon.com");
    }
}
