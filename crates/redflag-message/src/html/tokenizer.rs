//! A linear-time HTML tokenizer that keeps only what rendering needs.
//!
//! It follows the tokenization rules of the HTML standard closely enough for text extraction
//! (tags, attributes in any quoting, comments, bogus comments, raw-text elements such as
//! `script` and `style`, `plaintext`, named and numeric character references with the
//! standard's table and its legacy forms), and nothing more. It exists because html5ever's
//! tokenizer checks every new attribute against all earlier ones of the same tag, which is
//! quadratic: one tag with 100,000 attributes took 15 s. Here every byte is looked at a
//! bounded number of times, and only the five attributes rendering reads are kept (`href`,
//! `style`, `hidden`, `type`, `alt`; the first of each wins, as in a browser).
//!
//! Each loop step is counted in [`crate::work`], so tests can check the work is linear.

use crate::work;
use markup5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};
use std::borrow::Cow;

/// Longest tag name kept; longer names are cut (no element redflag knows is that long).
const MAX_NAME_BYTES: usize = 32;

/// Longest named character reference in the standard's table (`&CounterClockwiseContourIntegral;`).
const MAX_ENTITY_NAME: usize = 33;

/// The attributes a start tag has that rendering reads.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Attrs<'a> {
    pub href: Option<Cow<'a, str>>,
    pub style: Option<Cow<'a, str>>,
    pub alt: Option<Cow<'a, str>>,
    pub kind: Option<Cow<'a, str>>,
    pub hidden: bool,
}

/// What the tokenizer hands to its sink.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    /// Text with character references decoded.
    Text(Cow<'a, str>),
    /// A start tag: its lower-case name, the attributes kept, and whether it ended in `/>`.
    Start {
        name: Cow<'a, str>,
        attrs: Attrs<'a>,
        self_closing: bool,
    },
    /// An end tag's lower-case name.
    End(Cow<'a, str>),
    /// The whole content of a raw-text or RCDATA element (`script`, `style`, `title`,
    /// `textarea`, ...), right after its start tag; its end tag follows as [`Token::End`].
    Raw {
        name: Cow<'a, str>,
        text: Cow<'a, str>,
    },
}

/// How an element's content is tokenized.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Content {
    Normal,
    /// Text up to the matching end tag, no character references.
    RawText,
    /// Text up to the matching end tag, character references decoded.
    RcData,
    /// Everything to the end of the input is text.
    PlainText,
}

fn content_of(name: &str) -> Content {
    match name {
        "script" | "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            Content::RawText
        }
        "title" | "textarea" => Content::RcData,
        "plaintext" => Content::PlainText,
        _ => Content::Normal,
    }
}

/// Tokenizes `html`, calling `sink` for each token in order.
pub(crate) fn tokenize<'a>(html: &'a str, mut sink: impl FnMut(Token<'a>)) {
    let b = html.as_bytes();
    let mut i = 0;
    // Start of the pending run of text.
    let mut text_start = 0;
    while i < b.len() {
        work::step();
        // Find the next `<` or `&` (memchr: many bytes a step; each byte is visited once).
        let Some(off) = memchr::memchr2(b'<', b'&', &b[i..]) else {
            break;
        };
        work::steps(off);
        i += off;
        if b[i] == b'&' {
            let (decoded, used) = char_ref(html, i, false);
            if let Some(decoded) = decoded {
                flush_text(html, text_start, i, &mut sink);
                sink(Token::Text(Cow::Owned(decoded)));
                i += used;
                text_start = i;
            } else {
                i += 1;
            }
            continue;
        }
        // A `<`: what follows decides what it starts.
        let next = b.get(i + 1).copied();
        match next {
            Some(c) if c.is_ascii_alphabetic() => {
                let Some(tag) = start_tag(html, i + 1) else {
                    // End of input inside a tag: the tag is dropped (as in the standard).
                    flush_text(html, text_start, i, &mut sink);
                    return;
                };
                flush_text(html, text_start, i, &mut sink);
                i = tag.end;
                text_start = i;
                let content = content_of(&tag.name);
                let name = tag.name;
                sink(Token::Start {
                    name: name.clone(),
                    attrs: tag.attrs,
                    self_closing: tag.self_closing,
                });
                match content {
                    Content::Normal => {}
                    Content::PlainText => {
                        if i < b.len() {
                            sink(Token::Raw {
                                name,
                                text: Cow::Borrowed(&html[i..]),
                            });
                        }
                        return;
                    }
                    Content::RawText | Content::RcData => {
                        let (end, close) = raw_end(html, i, &name);
                        let raw = &html[i..end];
                        let text = if content == Content::RcData {
                            decode_text(raw)
                        } else {
                            Cow::Borrowed(raw)
                        };
                        sink(Token::Raw {
                            name: name.clone(),
                            text,
                        });
                        sink(Token::End(name));
                        i = close;
                        text_start = i;
                    }
                }
            }
            Some(b'/') => {
                flush_text(html, text_start, i, &mut sink);
                match b.get(i + 2).copied() {
                    Some(c) if c.is_ascii_alphabetic() => {
                        let Some(tag) = start_tag(html, i + 2) else {
                            return;
                        };
                        sink(Token::End(tag.name));
                        i = tag.end;
                    }
                    Some(b'>') => i += 3,
                    None => {
                        // `</` at the very end is text.
                        sink(Token::Text(Cow::Borrowed("</")));
                        return;
                    }
                    Some(_) => i = bogus_comment(b, i + 2),
                }
                text_start = i;
            }
            Some(b'!') => {
                flush_text(html, text_start, i, &mut sink);
                i = if b[i + 2..].starts_with(b"--") {
                    comment(b, i + 4)
                } else {
                    bogus_comment(b, i + 2)
                };
                text_start = i;
            }
            Some(b'?') => {
                flush_text(html, text_start, i, &mut sink);
                i = bogus_comment(b, i + 1);
                text_start = i;
            }
            _ => i += 1,
        }
    }
    flush_text(html, text_start, b.len(), &mut sink);
}

fn flush_text<'a>(html: &'a str, start: usize, end: usize, sink: &mut impl FnMut(Token<'a>)) {
    if start < end {
        sink(Token::Text(Cow::Borrowed(&html[start..end])));
    }
}

/// A start or end tag that was read.
struct Tag<'a> {
    /// The lower-case name (borrowed when the input wrote it in lower case).
    name: Cow<'a, str>,
    attrs: Attrs<'a>,
    self_closing: bool,
    /// Just past the closing `>`.
    end: usize,
}

/// Reads a tag whose name starts at `at`. `None` when the input ends inside the tag.
fn start_tag(html: &str, at: usize) -> Option<Tag<'_>> {
    let b = html.as_bytes();
    let mut i = at;
    while i < b.len() && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
        i += 1;
    }
    // One step per byte, counted once per run rather than in the loop.
    work::steps(i - at);
    // The name is ASCII up to the cap; a name with other bytes is cut at a char boundary.
    let mut end = (at + MAX_NAME_BYTES).min(i);
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    let raw = &html[at..end];
    let name = if raw.bytes().any(|c| c.is_ascii_uppercase()) {
        Cow::Owned(raw.to_ascii_lowercase())
    } else {
        Cow::Borrowed(raw)
    };
    let mut attrs = Attrs::default();
    let mut self_closing = false;
    loop {
        work::step();
        // Between attributes.
        while i < b.len() && (is_space(b[i]) || b[i] == b'/') {
            work::step();
            self_closing = b[i] == b'/';
            i += 1;
        }
        match b.get(i) {
            None => return None,
            Some(b'>') => {
                return Some(Tag {
                    name,
                    attrs,
                    self_closing,
                    end: i + 1,
                });
            }
            Some(_) => self_closing = false,
        }
        // An attribute name (a leading `=` belongs to it, as in the standard).
        let name_start = i;
        i += 1;
        while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        work::steps(i - name_start - 1);
        let attr_name = &html[name_start..i];
        let spaces = i;
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        work::steps(i - spaces);
        let mut value: Option<&str> = None;
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && is_space(b[i]) {
                work::step();
                i += 1;
            }
            match b.get(i) {
                None => return None,
                Some(&q @ (b'"' | b'\'')) => {
                    let start = i + 1;
                    let len = memchr::memchr(q, &b[start..])?;
                    work::steps(len);
                    value = Some(&html[start..start + len]);
                    i = start + len + 1;
                }
                Some(b'>') => value = Some(""),
                Some(_) => {
                    let start = i;
                    while i < b.len() && !is_space(b[i]) && b[i] != b'>' {
                        i += 1;
                    }
                    work::steps(i - start);
                    value = Some(&html[start..i]);
                }
            }
        }
        keep_attr(&mut attrs, attr_name, value.unwrap_or(""));
    }
}

/// Keeps an attribute rendering reads, unless the tag already had one of that name.
fn keep_attr<'a>(attrs: &mut Attrs<'a>, name: &str, value: &'a str) {
    let slot = if name.eq_ignore_ascii_case("href") {
        &mut attrs.href
    } else if name.eq_ignore_ascii_case("style") {
        &mut attrs.style
    } else if name.eq_ignore_ascii_case("alt") {
        &mut attrs.alt
    } else if name.eq_ignore_ascii_case("type") {
        &mut attrs.kind
    } else {
        if name.eq_ignore_ascii_case("hidden") {
            attrs.hidden = true;
        }
        return;
    };
    if slot.is_none() {
        *slot = Some(decode_attr(value));
    }
}

/// Skips a comment whose text starts at `at` (after `<!--`); returns the index past its end.
/// `<!-->` and `<!--->` end at once, as in the standard; an unclosed comment runs to the end.
fn comment(b: &[u8], at: usize) -> usize {
    if b.get(at) == Some(&b'>') {
        return at + 1;
    }
    if b[at.min(b.len())..].starts_with(b"->") {
        return at + 2;
    }
    let mut i = at;
    while i < b.len() {
        work::step();
        let Some(off) = memchr::memchr(b'>', &b[i..]) else {
            work::steps(b.len() - i);
            return b.len();
        };
        work::steps(off);
        let gt = i + off;
        if (b[..gt].ends_with(b"--") || b[..gt].ends_with(b"--!")) && gt >= at + 2 {
            return gt + 1;
        }
        i = gt + 1;
    }
    b.len()
}

/// Skips a bogus comment (`<!...>`, `<?...>`, `</ ...>`) from `at`; returns the index past
/// its `>` (or the end).
fn bogus_comment(b: &[u8], at: usize) -> usize {
    let at = at.min(b.len());
    match memchr::memchr(b'>', &b[at..]) {
        Some(off) => {
            work::steps(off);
            at + off + 1
        }
        None => {
            work::steps(b.len() - at);
            b.len()
        }
    }
}

/// Where the content of raw-text element `name` that starts at `at` ends, and the index past
/// its end tag (`</name` followed by white space, `/` or `>`, any case). Without one, the
/// content runs to the end.
fn raw_end(html: &str, at: usize, name: &str) -> (usize, usize) {
    let b = html.as_bytes();
    let mut i = at;
    while i < b.len() {
        work::step();
        let Some(off) = memchr::memchr(b'<', &b[i..]) else {
            work::steps(b.len() - i);
            break;
        };
        work::steps(off);
        let lt = i + off;
        let after = lt + 2 + name.len();
        if b.get(lt + 1) == Some(&b'/')
            && after <= b.len()
            && b[lt + 2..after].eq_ignore_ascii_case(name.as_bytes())
            && b.get(after)
                .is_none_or(|&c| is_space(c) || c == b'/' || c == b'>')
        {
            // Skip the rest of the end tag.
            let close = match memchr::memchr(b'>', &b[after..]) {
                Some(off) => {
                    work::steps(off);
                    after + off + 1
                }
                None => b.len(),
            };
            return (lt, close);
        }
        i = lt + 1;
    }
    (b.len(), b.len())
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Decodes the character references in text.
fn decode_text(s: &str) -> Cow<'_, str> {
    decode(s, false)
}

/// Decodes the character references in an attribute value.
fn decode_attr(s: &str) -> Cow<'_, str> {
    decode(s, true)
}

fn decode(s: &str, in_attr: bool) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    let mut i = 0;
    let b = s.as_bytes();
    while let Some(off) = memchr::memchr(b'&', &b[i..]) {
        work::steps(off + 1);
        let at = i + off;
        let (decoded, used) = char_ref(s, at, in_attr);
        match decoded {
            Some(d) => {
                out.push_str(&s[last..at]);
                out.push_str(&d);
                i = at + used;
                last = i;
            }
            None => i = at + 1,
        }
    }
    out.push_str(&s[last..]);
    Cow::Owned(out)
}

/// Reads the character reference at `at` (an `&`): what it stands for and how many bytes it
/// took, or `None` when it is not one (the `&` is then literal text).
fn char_ref(s: &str, at: usize, in_attr: bool) -> (Option<String>, usize) {
    let b = s.as_bytes();
    match b.get(at + 1) {
        Some(b'#') => numeric_ref(b, at),
        Some(c) if c.is_ascii_alphanumeric() => named_ref(s, at, in_attr),
        _ => (None, 0),
    }
}

fn numeric_ref(b: &[u8], at: usize) -> (Option<String>, usize) {
    let mut i = at + 2;
    let hex = matches!(b.get(i), Some(b'x' | b'X'));
    if hex {
        i += 1;
    }
    let digits_start = i;
    let mut value: u32 = 0;
    while let Some(&c) = b.get(i) {
        let d = if hex {
            (c as char).to_digit(16)
        } else {
            (c as char).to_digit(10)
        };
        let Some(d) = d else { break };
        work::step();
        value = value
            .saturating_mul(if hex { 16 } else { 10 })
            .saturating_add(d);
        i += 1;
    }
    if i == digits_start {
        return (None, 0);
    }
    if b.get(i) == Some(&b';') {
        i += 1;
    }
    let c = match value {
        0 => '\u{FFFD}',
        0x80..=0x9F => C1_REPLACEMENTS[(value - 0x80) as usize].unwrap_or('\u{FFFD}'),
        v => char::from_u32(v).unwrap_or('\u{FFFD}'),
    };
    (Some(c.to_string()), i - at)
}

fn named_ref(s: &str, at: usize, in_attr: bool) -> (Option<String>, usize) {
    let b = s.as_bytes();
    let start = at + 1;
    // The longest run that could be a name, plus a `;`.
    let mut end = start;
    while end < b.len() && end - start < MAX_ENTITY_NAME && b[end].is_ascii_alphanumeric() {
        end += 1;
    }
    if b.get(end) == Some(&b';') {
        end += 1;
    }
    // The longest prefix that is a whole reference in the table.
    let mut best: Option<(usize, (u32, u32))> = None;
    for len in 1..=end - start {
        work::step();
        match NAMED_ENTITIES.get(&s[start..start + len]) {
            Some(&m) if m.0 != 0 => best = Some((len, m)),
            Some(_) => {}
            None => break,
        }
    }
    let Some((len, (c1, c2))) = best else {
        return (None, 0);
    };
    let terminated = s.as_bytes()[start + len - 1] == b';';
    if in_attr
        && !terminated
        && b.get(start + len)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'=')
    {
        // `&amp=` and `&notit` in an attribute stay as written (a URL's query string).
        return (None, 0);
    }
    let mut out = String::new();
    out.extend(char::from_u32(c1));
    if c2 != 0 {
        out.extend(char::from_u32(c2));
    }
    (Some(out), len + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(html: &str) -> Vec<String> {
        let mut out = Vec::new();
        tokenize(html, |t| {
            out.push(match t {
                Token::Text(t) => format!("T({t})"),
                Token::Start {
                    name,
                    attrs,
                    self_closing,
                } => format!(
                    "S({name}{}{}{}{}{}{})",
                    attrs.href.map(|h| format!(" href={h}")).unwrap_or_default(),
                    attrs
                        .style
                        .map(|h| format!(" style={h}"))
                        .unwrap_or_default(),
                    attrs.alt.map(|h| format!(" alt={h}")).unwrap_or_default(),
                    attrs.kind.map(|h| format!(" type={h}")).unwrap_or_default(),
                    if attrs.hidden { " hidden" } else { "" },
                    if self_closing { " /" } else { "" },
                ),
                Token::End(name) => format!("E({name})"),
                Token::Raw { name, text } => format!("R({name}:{text})"),
            })
        });
        out
    }

    #[test]
    fn tags_attributes_and_text() {
        assert_eq!(
            tokens("a<B Href='x&amp;y' HREF=z class=q hidden Alt=\"a>b\">c</b >d<br/>"),
            [
                "T(a)",
                "S(b href=x&y alt=a>b hidden)",
                "T(c)",
                "E(b)",
                "T(d)",
                "S(br /)",
            ]
        );
        assert_eq!(
            tokens("<a href=x?a=1&amp=2&notit=3>"),
            ["S(a href=x?a=1&amp=2&notit=3)"]
        );
        assert_eq!(tokens("x < y & z <3"), ["T(x < y & z <3)"]);
        assert_eq!(tokens("<div"), Vec::<String>::new());
        assert_eq!(tokens("a<div class="), ["T(a)"]);
    }

    #[test]
    fn character_references() {
        assert_eq!(
            tokens("&eacute;&amp&notit;&#x2019;&#8217;&#0;&#x80;&#99999999999;&#;&nosuch;"),
            [
                "T(é)",
                "T(&)",
                "T(¬)",
                "T(it;)",
                "T(’)",
                "T(’)",
                "T(\u{FFFD})",
                "T(€)",
                "T(\u{FFFD})",
                "T(&#;&nosuch;)"
            ]
        );
    }

    #[test]
    fn comments_and_raw_text() {
        assert_eq!(
            tokens("a<!-- <b>x</b> -->b<!-->c<!--->d<!x>e<?php ?>f</ g>h</>i"),
            [
                "T(a)", "T(b)", "T(c)", "T(d)", "T(e)", "T(f)", "T(h)", "T(i)"
            ]
        );
        assert_eq!(
            tokens("<script>if (a<b) x='</scrip'</SCRIPT >after"),
            [
                "S(script)",
                "R(script:if (a<b) x='</scrip')",
                "E(script)",
                "T(after)"
            ]
        );
        assert_eq!(
            tokens("<title>A &amp; B</title><style>p{}"),
            [
                "S(title)",
                "R(title:A & B)",
                "E(title)",
                "S(style)",
                "R(style:p{})",
                "E(style)"
            ]
        );
        assert_eq!(
            tokens("<plaintext><b>x"),
            ["S(plaintext)", "R(plaintext:<b>x)"]
        );
        assert_eq!(tokens("a<!-- unclosed <b>"), ["T(a)"]);
    }

    #[test]
    fn many_attributes_are_linear() {
        let attrs: String = (0..100_000).map(|i| format!(" a{i}=\"v\"")).collect();
        let html = format!("<div{attrs} style='display:none'>x</div>");
        let ((), steps) = work::measure(|| {
            tokenize(&html, |_| {});
        });
        assert!(
            steps <= 4 * html.len() as u64,
            "{steps} steps for {} bytes",
            html.len()
        );
    }
}
