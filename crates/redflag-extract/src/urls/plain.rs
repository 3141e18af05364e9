//! Links in plain text: the link finder (`linkify`), schemes, bare hosts and the checks that
//! keep file names, company names, capitals glued by a full stop and payment codes out, link
//! ends, and links in scripts written without spaces.

use linkify::{LinkFinder, LinkKind};
use redflag_message::Span;
use regex::Regex;
use std::sync::LazyLock;
use url::Host;

/// Schemes that are written without `//`.
const OPAQUE_SCHEMES: &[&str] = &[
    "mailto",
    "tel",
    "sms",
    "smsto",
    "callto",
    "javascript",
    "vbscript",
    "data",
    "about",
    "blob",
    "file",
    "skype",
    "whatsapp",
    "intent",
    "market",
    "geo",
    "facetime",
    "news",
    "urn",
];

/// The scheme of a URL string (`https` in `https://x`, `mailto` in `mailto:x@y`), or `None`
/// when the string has none (`amazon.com`, `localhost:8080/x`, `/path`).
pub(super) fn scheme_of(s: &str) -> Option<&str> {
    let colon = s.find(':')?;
    let scheme = &s[..colon];
    let rest = &s[colon + 1..];
    let mut chars = scheme.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let valid =
        first_ok && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !valid {
        return None;
    }
    let known = OPAQUE_SCHEMES
        .iter()
        .any(|k| scheme.eq_ignore_ascii_case(k));
    (rest.starts_with("//") || known).then_some(scheme)
}

/// Length of a word glued in front of a web link by punctuation (`me...http://x`,
/// `here:https://x`), which the link finder reads as part of a made-up scheme; 0 when there
/// is none.
pub(super) fn glued_word_len(s: &str) -> usize {
    let Some(scheme) = scheme_of(s) else {
        return 0;
    };
    let lower = scheme.to_ascii_lowercase();
    for web in ["https", "http"] {
        if let Some(head) = lower.strip_suffix(web)
            && head.ends_with(|c: char| !c.is_ascii_alphanumeric())
        {
            return head.len();
        }
    }
    0
}

/// The URL string to parse for an `href` or a text link: as written when it has a scheme,
/// `http:` added to `//host` links, `http://` added to host-like links; relative links are
/// returned as written.
pub(super) fn with_scheme(s: &str) -> String {
    if scheme_of(s).is_some() {
        s.to_string()
    } else if s.starts_with("//") {
        format!("http:{s}")
    } else if s.starts_with('/') || s.starts_with('?') || s.starts_with('.') {
        s.to_string()
    } else {
        format!("http://{s}")
    }
}

/// Opening quotes and brackets, never the first letter of a host.
pub(super) const OPENING_PUNCTUATION: &[char] = &[
    '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}', '\u{201C}', '\u{201D}', '\u{201E}', '\u{201F}',
    '\u{00AB}', '\u{00BB}', '\u{2039}', '\u{203A}', '\u{300C}', '\u{300E}', '\u{FF08}', '\'', '"',
    '(', '[', '{',
];

/// The host part of a scheme-less URL (`amazon.com` in `amazon.com:443/x?y`).
pub(super) fn bare_host(s: &str) -> &str {
    let end = s.find(['/', '?', '#', ':']).unwrap_or(s.len());
    let host = &s[..end];
    host.rsplit_once('@').map_or(host, |(_, h)| h)
}

/// Common file extensions that are not accepted as top-level domains of bare domains
/// (`invoice.pdf`), unless the text has a scheme or `www.`.
const FILE_EXTENSIONS: &[&str] = &[
    "exe", "pdf", "png", "jpg", "jpeg", "gif", "doc", "docx", "xls", "xlsx", "txt", "html", "htm",
    "php", "js", "css", "csv", "bmp", "svg", "webp", "ppt", "pptx", "rtf", "xml", "json", "aspx",
    "asp", "jsp", "msi", "bat", "cmd", "scr", "vbs", "ps1", "eml", "ics", "heic",
];

/// True when a scheme-less host can be a real domain: its top-level domain is a known
/// public suffix, not a file extension (unless `www.` starts it), and not a capitalised
/// word glued to a sentence (`account.Click`).
pub(super) fn bare_host_ok(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    let Some((rest, tld)) = host.rsplit_once('.') else {
        return false;
    };
    if rest.is_empty() || tld.is_empty() {
        return false;
    }
    let www = host.len() > 4
        && host
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("www."));
    let tld_lower = tld.to_lowercase();
    if !www && FILE_EXTENSIONS.contains(&tld_lower.as_str()) {
        return false;
    }
    // `account.Click here`: a capitalised word after a full stop, not a domain.
    let mut tc = tld.chars();
    let title_case = tc.next().is_some_and(char::is_uppercase)
        && tld.chars().count() >= 4
        && tc.all(char::is_lowercase);
    if title_case && !www {
        return false;
    }
    let ascii = match Host::parse(&host.to_lowercase()) {
        Ok(Host::Domain(d)) => d,
        _ => return false,
    };
    psl::suffix(ascii.as_bytes()).is_some_and(|s| s.is_known())
}

/// True when `span` lies in a word that is an EMVCo merchant QR payload written out (Brazil's
/// Pix "copia e cola", India's and others' QR codes as text): it starts with the payload
/// format indicator `000201` and runs without spaces.
pub(super) fn in_payment_code(text: &str, span: Span) -> bool {
    let start = text[..span.start]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    text[start..].starts_with("000201")
}

/// `OTPs are SECRET.DO NOT share`: two capitalised words glued by a full stop, the second a
/// short English word that is also a country ending. A scheme-less link written so, with no
/// path, is a missing space. (`AMAZON.IN/help` has a path and stays a link.)
pub(super) fn glued_capitals(raw: &str) -> bool {
    const WORD_ENDINGS: &[&str] = &[
        "do", "in", "it", "me", "at", "to", "is", "no", "so", "us", "be", "by", "go", "my", "on",
        "as", "am", "an", "of", "or", "up", "we", "he", "hi",
    ];
    let Some((word, ending)) = raw.split_once('.') else {
        return false;
    };
    !word.is_empty()
        && word.chars().all(|c| c.is_ascii_uppercase())
        && ending.chars().all(|c| c.is_ascii_uppercase())
        && WORD_ENDINGS.contains(&ending.to_ascii_lowercase().as_str())
}

/// Length of `s` without trailing punctuation that is not part of a URL: `. , ! ? : ;`,
/// quotes, and closing brackets that have no opening partner in the URL.
pub(super) fn trim_url_end(s: &str) -> usize {
    let count = |b: u8| s.bytes().filter(|&x| x == b).count() as isize;
    // Openers minus closers of `()`, `[]` and `{}` in `s[..end]`, counted when a closer
    // first ends the link: most links end in a letter, a digit or `/`, and need no count.
    let mut balance: Option<[isize; 3]> = None;
    let mut end = s.len();
    while let Some(c) = s[..end].chars().next_back() {
        let closer = match c {
            ')' => Some(0),
            ']' => Some(1),
            '}' => Some(2),
            _ => None,
        };
        let strip = match closer {
            Some(k) => {
                let b = balance.get_or_insert_with(|| {
                    [
                        count(b'(') - count(b')'),
                        count(b'[') - count(b']'),
                        count(b'{') - count(b'}'),
                    ]
                });
                let open = b[k] < 0;
                if open {
                    b[k] += 1;
                }
                open
            }
            None => matches!(
                c,
                '.' | ',' | '!' | '?' | ':' | ';' | '\'' | '"' | '’' | '”' | '>' | '*'
            ),
        };
        if !strip {
            break;
        }
        end -= c.len_utf8();
    }
    end
}

/// A legal form right after a scheme-less domain (`Amazon.com.ca, ULC`, `Amazon.com, Inc.`,
/// `Booking.com B.V.`): the domain is part of a company's name, not a link.
pub(super) static COMPANY_FORM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^,? ?(?:Inc\b|LLC\b|L\.?L\.?C\.|Ltd\b|Limited\b|ULC\b|GmbH\b|S\.?à ?r\.?l|SARL\b|S\.A\.|S\.L\.|S\.r\.l\.|B\.V\.|N\.V\.|Pvt\b|Private Limited\b|K\.K\.|Corp\b|Corporation\b|Services,? (?:Inc|LLC|Ltd|Private)\b|Co\., Ltd)",
    )
    .expect("valid pattern")
});

/// True for characters of scripts written without spaces between words (Chinese, Japanese,
/// Korean, Thai) and for their punctuation and full-width forms. A link written in such text
/// has no space to end it: `Amazon.co.jpのロゴ` is the domain `Amazon.co.jp` and then
/// Japanese words.
fn unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{0E00}'..='\u{0E7F}'     // Thai
        | '\u{1100}'..='\u{11FF}'   // Hangul Jamo
        | '\u{2E80}'..='\u{2FDF}'   // CJK radicals
        | '\u{3000}'..='\u{30FF}'   // CJK punctuation, Hiragana, Katakana
        | '\u{3100}'..='\u{31FF}'   // Bopomofo, Katakana extensions
        | '\u{3400}'..='\u{4DBF}'   // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}'   // Hangul syllables
        | '\u{F900}'..='\u{FAFF}'   // CJK compatibility ideographs
        | '\u{FE30}'..='\u{FE4F}'   // CJK compatibility forms
        | '\u{FF00}'..='\u{FFEF}'   // full-width and half-width forms
    )
}

/// The parts of a link the finder read that are links: a link with a scheme ends at the first
/// character of an unspaced script; a scheme-less one is split around such characters into
/// the runs between them (`Amazon、Amazon.co.jpおよび…` holds `Amazon.co.jp`).
/// The flag is true for an email address.
pub(super) fn unspaced_pieces(raw: &str, start: usize, email: bool) -> Vec<(usize, &str, bool)> {
    // No ASCII character is of an unspaced script, and most links are ASCII: a check of the
    // bytes is cheaper than a range match per character.
    if raw.is_ascii() || !raw.chars().any(unspaced_script) {
        return vec![(start, raw, email)];
    }
    if !email && scheme_of(raw).is_some() {
        let end = raw.find(unspaced_script).unwrap_or(raw.len());
        return vec![(start, &raw[..end], false)];
    }
    let mut out = Vec::new();
    let mut from = 0;
    for (i, c) in raw.char_indices().chain(std::iter::once((raw.len(), ' '))) {
        if i == raw.len() || unspaced_script(c) {
            let piece = &raw[from..i];
            let is_email = piece.contains('@');
            if !piece.is_empty() && (!email || is_email) {
                out.push((start + from, piece, is_email));
            }
            from = i + c.len_utf8();
        }
    }
    out
}

pub(super) static FINDER: LazyLock<LinkFinder> = LazyLock::new(|| {
    let mut f = LinkFinder::new();
    f.url_must_have_scheme(false)
        .kinds(&[LinkKind::Url, LinkKind::Email]);
    f
});

/// An email address's domain as lowercase ASCII, if it is a plausible domain.
pub(super) fn email_domain(addr: &str) -> Option<(String, String)> {
    let (local, domain) = addr.rsplit_once('@')?;
    if local.is_empty() || !bare_host_ok(domain) {
        return None;
    }
    match Host::parse(&domain.to_lowercase()) {
        Ok(Host::Domain(d)) => Some((format!("{}@{d}", local.to_lowercase()), d)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `trim_url_end` as it was, counting every bracket before looking at the end.
    fn trim_url_end_counting_first(s: &str) -> usize {
        let count = |c: char| s.bytes().filter(|&b| b == c as u8).count();
        let (mut paren, mut bracket, mut brace) = (
            count('(') as isize - count(')') as isize,
            count('[') as isize - count(']') as isize,
            count('{') as isize - count('}') as isize,
        );
        let mut end = s.len();
        while let Some(c) = s[..end].chars().next_back() {
            let strip = match c {
                '.' | ',' | '!' | '?' | ':' | ';' | '\'' | '"' | '’' | '”' | '>' | '*' => true,
                ')' => paren < 0,
                ']' => bracket < 0,
                '}' => brace < 0,
                _ => false,
            };
            if !strip {
                break;
            }
            match c {
                ')' => paren += 1,
                ']' => bracket += 1,
                '}' => brace += 1,
                _ => {}
            }
            end -= c.len_utf8();
        }
        end
    }

    proptest::proptest! {
        #[test]
        fn trim_url_end_is_the_count_first_trim(
            s in "[a/()\\[\\]{}.,!?:;'\"’”>*é]{0,12}"
        ) {
            proptest::prop_assert_eq!(trim_url_end(&s), trim_url_end_counting_first(&s));
        }
    }

    #[test]
    fn trim_url_end_keeps_a_closer_with_its_opener() {
        // The full stop and the unmatched `)` go, the `)` of `(b)` stays.
        assert_eq!(trim_url_end("https://e.com/a_(b))."), 19);
        assert_eq!(trim_url_end("https://e.com/a]}"), 15);
        // Written inside brackets: the `)` has its opener, so it stays.
        assert_eq!(trim_url_end("(https://e.com/[x])"), 19);
    }

    #[test]
    fn no_ascii_character_is_of_an_unspaced_script() {
        // What `unspaced_pieces`'s shortcut for an ASCII link rests on.
        for c in (0u8..128).map(char::from) {
            assert!(!unspaced_script(c), "{c:?}");
        }
        let raw = "https://example.com/a?b=c";
        assert_eq!(unspaced_pieces(raw, 7, false), vec![(7, raw, false)]);
    }

    #[test]
    fn payment_code_word_after_a_wide_space() {
        // A space of more than one byte before the word.
        let t = "see\u{a0}pix.example.com now";
        assert!(!in_payment_code(t, Span::new(5, 20)));
        let t = "\u{a0}000201x.example.com";
        assert!(in_payment_code(t, Span::new(9, t.len())));
    }
}
