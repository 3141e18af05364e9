//! HTML bodies rendered to the text a person sees, with the links kept.
//!
//! A linear-time tokenizer (`tokenizer.rs`) feeds a renderer that keeps its own stack of open
//! elements, with the parts of the standard's tree construction that change what is seen:
//! a block element closes an open `<p>`, a `<li>` closes the open `<li>`, an `<a>` closes the
//! open `<a>`, an end tag closes everything opened after its element (and is ignored when no
//! such element is open), `<body>` or any element that does not belong in `<head>` closes the
//! `<head>`. It keeps only what is visible: `script`, `style`, `head`, `title`, `template`,
//! `noscript`, `iframe` and `object` are skipped, and so is any element hidden by its inline
//! `style` (`display:none`, `visibility:hidden`, `font-size:0`, `opacity:0`, `max-height:0`
//! with `overflow:hidden`) or by the `hidden` attribute. Scam mails often hide filler text this
//! way to fool filters; the person never sees it, so the rules should not either.
//!
//! Bounded work: every byte is tokenized once, every element is pushed and popped at most
//! once, whether an element is open is a counter lookup (html5ever scans the stack, which made
//! a megabyte of nested `<div>`s take minutes), and the stack holds at most [`MAX_DEPTH`]
//! elements: deeper elements still break lines and show their text, but are not tracked
//! (their links and hidden styles are not read), and [`HtmlText::depth_capped`] says so.

mod tokenizer;

use crate::{MAX_HTML_BYTES, work};
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use tokenizer::{Attrs, Token, tokenize};

/// HTML rendered to text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HtmlText {
    /// The visible text.
    pub text: String,
    /// Each `<a href>`: the href and the byte range of its visible text in `text`.
    pub links: Vec<(String, Range<usize>)>,
    /// True when elements were nested deeper than [`MAX_DEPTH`]: their text is kept, but the
    /// links and hidden styles of elements below that depth were not read.
    pub depth_capped: bool,
}

/// Most bytes of one `alt` text or `href` kept (hostile mails carry megabyte attributes).
const MAX_ATTR_BYTES: usize = 8 * 1024;

/// Deepest element nesting tracked. Real mail nests tables a few dozen levels deep at most.
pub const MAX_DEPTH: usize = 256;

/// Renders HTML to visible text, keeping links.
///
/// Block elements start new lines, table cells are separated by a space, runs of white space
/// collapse to one space as in a browser, there are never more than two newlines in a row,
/// and the result is trimmed. Each `<a href>` gives the trimmed href and the byte range of
/// its visible text (an `<img alt>` inside a link counts as its text; a link with no visible
/// text gets an empty range where it was).
pub fn html_to_text(html: &str) -> HtmlText {
    let html = cut(html, MAX_HTML_BYTES);
    let mut r = Renderer::default();
    tokenize(html, |t| r.token(t));
    r.finish()
}

/// Cuts `s` to at most `max` bytes on a char boundary.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Elements whose content is never rendered.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "head"
            | "title"
            | "template"
            | "noscript"
            | "iframe"
            | "object"
            | "noembed"
            | "noframes"
    )
}

/// Elements that never have content or an end tag.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "basefont"
            | "bgsound"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Elements that may stay inside `<head>`; any other start tag closes it.
fn belongs_in_head(name: &str) -> bool {
    matches!(
        name,
        "base"
            | "basefont"
            | "bgsound"
            | "link"
            | "meta"
            | "title"
            | "style"
            | "script"
            | "noscript"
            | "template"
            | "head"
            | "html"
    )
}

/// Start tags that close an open `<p>` (in the standard: "close a p element" steps).
fn closes_p(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "ul"
            | "li"
            | "dd"
            | "dt"
            | "plaintext"
            | "xmp"
    )
}

/// Elements that end the scope in which an open `<p>`, `<li>` or `<a>` is closed by a later
/// start tag (the standard's "button scope", roughly): a `<div>` in a table cell does not
/// close a `<p>` outside the table.
fn is_scope_boundary(name: &str) -> bool {
    matches!(
        name,
        "html"
            | "table"
            | "td"
            | "th"
            | "caption"
            | "marquee"
            | "object"
            | "applet"
            | "template"
            | "button"
            | "svg"
            | "math"
    )
}

/// How many line breaks a block element puts around itself (paragraph-like blocks get a
/// blank line, others a plain line break); `None` for inline elements.
fn block_breaks(name: &str) -> Option<usize> {
    match name {
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "table" | "ul" | "ol"
        | "hr" | "dl" => Some(2),
        "div" | "tr" | "li" | "section" | "article" | "header" | "footer" | "center"
        | "address" | "dt" | "dd" | "form" | "fieldset" | "figure" | "figcaption" | "main"
        | "nav" | "aside" | "caption" | "tbody" | "thead" | "tfoot" | "body" | "html"
        | "textarea" | "xmp" | "plaintext" | "details" | "summary" | "dialog" | "menu" | "dir"
        | "hgroup" => Some(1),
        _ => None,
    }
}

/// True when the element is hidden by the `hidden` attribute or its inline style.
fn is_hidden(name: &str, attrs: &Attrs<'_>) -> bool {
    if attrs.hidden {
        return true;
    }
    if name == "input"
        && attrs
            .kind
            .as_deref()
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("hidden"))
    {
        return true;
    }
    attrs.style.as_deref().is_some_and(style_hides)
}

/// True when an inline `style` attribute hides the element.
fn style_hides(style: &str) -> bool {
    let style = cut(style, MAX_ATTR_BYTES);
    work::steps(style.len());
    let mut max_height_zero = false;
    let mut overflow_hidden = false;
    for decl in style.split(';') {
        let Some((prop, value)) = decl.split_once(':') else {
            continue;
        };
        // Compared without case rather than lowercased: no copy per declaration (inline
        // styles of marketing mail run to dozens of them per element).
        let prop = prop.trim();
        let mut value = value.trim().as_bytes();
        while let Some(rest) = strip_suffix_ignore_case(value, b"!important") {
            value = rest;
        }
        // The suffix is ASCII, so what is left ends on a character.
        let value = std::str::from_utf8(value).unwrap_or_default().trim();
        let is = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        let hides = (is(prop, "display") && is(value, "none"))
            || (is(prop, "visibility") && (is(value, "hidden") || is(value, "collapse")))
            || ((is(prop, "font-size") || is(prop, "opacity")) && is_zero(value));
        if hides {
            return true;
        } else if (is(prop, "max-height") || is(prop, "height")) && is_zero(value) {
            max_height_zero = true;
        } else if is(prop, "overflow") && is(value, "hidden") {
            overflow_hidden = true;
        }
    }
    max_height_zero && overflow_hidden
}

/// `bytes` without `suffix` at its end, compared without ASCII case.
fn strip_suffix_ignore_case<'b>(bytes: &'b [u8], suffix: &[u8]) -> Option<&'b [u8]> {
    let at = bytes.len().checked_sub(suffix.len())?;
    bytes[at..]
        .eq_ignore_ascii_case(suffix)
        .then_some(&bytes[..at])
}

/// True when a CSS length or number is zero (`0`, `0px`, `0.0em`, `0%`).
fn is_zero(value: &str) -> bool {
    let number: String = value
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-' || *c == '+')
        .collect();
    if number.is_empty() {
        return false;
    }
    let unit = &value[number.len()..];
    let unit_ok = unit.is_empty() || unit.chars().all(|c| c.is_ascii_alphabetic() || c == '%');
    unit_ok && number.parse::<f64>().is_ok_and(|n| n == 0.0)
}

/// One open element.
struct Open<'a> {
    name: Cow<'a, str>,
    /// Its content is not rendered (skipped or hidden), and it was not entered.
    hidden: bool,
    /// Index of the nearest open `<p>` at or below this element that a start tag here would
    /// close (none past a scope boundary); the same for `<li>`, `<dd>`/`<dt>` and `<a>`.
    p: Option<usize>,
    li: Option<usize>,
    dd: Option<usize>,
    a: Option<usize>,
}

/// How many elements of each name are open. The names mail is made of are counted in an
/// array, found by a `match` on the name; any other name in a map whose hash is keyed per
/// process, as a crafted message chooses the names. (Hashing every start and end tag's
/// name with that keyed hash was a tenth of rendering a typical HTML email.)
#[derive(Default)]
struct OpenCounts<'a> {
    common: [u32; COMMON_NAMES],
    other: HashMap<Cow<'a, str>, u32>,
}

/// How many names [`common_name`] knows.
const COMMON_NAMES: usize = 32;

/// The slot of an element name that mail is made of (tables, text and its styles,
/// lists, headings, the document's parts).
fn common_name(name: &str) -> Option<usize> {
    Some(match name {
        "a" => 0,
        "b" => 1,
        "body" => 2,
        "center" => 3,
        "div" => 4,
        "em" => 5,
        "font" => 6,
        "h1" => 7,
        "h2" => 8,
        "h3" => 9,
        "h4" => 10,
        "h5" => 11,
        "h6" => 12,
        "head" => 13,
        "html" => 14,
        "i" => 15,
        "li" => 16,
        "ol" => 17,
        "p" => 18,
        "span" => 19,
        "strong" => 20,
        "table" => 21,
        "tbody" => 22,
        "td" => 23,
        "th" => 24,
        "thead" => 25,
        "tr" => 26,
        "u" => 27,
        "ul" => 28,
        "small" => 29,
        "style" => 30,
        "title" => 31,
        _ => return None,
    })
}

impl<'a> OpenCounts<'a> {
    fn get(&self, name: &str) -> u32 {
        match common_name(name) {
            Some(i) => self.common[i],
            None => self.other.get(name).copied().unwrap_or(0),
        }
    }

    fn add(&mut self, name: Cow<'a, str>) {
        match common_name(&name) {
            Some(i) => self.common[i] += 1,
            None => *self.other.entry(name).or_insert(0) += 1,
        }
    }

    /// One fewer open element called `name` (which [`OpenCounts::add`] counted).
    fn remove(&mut self, name: &str) {
        match common_name(name) {
            Some(i) => self.common[i] -= 1,
            None => {
                if let Some(c) = self.other.get_mut(name) {
                    *c -= 1;
                }
            }
        }
    }
}

/// Walks the tokens, keeping the stack of open elements, and writes what is visible.
#[derive(Default)]
struct Renderer<'a> {
    out: Writer,
    stack: Vec<Open<'a>>,
    /// How many elements of each name are open (so an end tag with no open element is
    /// ignored without a scan of the stack).
    open_count: OpenCounts<'a>,
    /// Open `head` elements, and open `svg` and `math` elements: asked about at every
    /// token, so counted here too (a lookup in `open_count`, whose hash is keyed against
    /// crafted tag names, cost more than the rest of a token's work).
    open_heads: u32,
    open_foreign: u32,
    /// Open elements that hide their content.
    hidden: usize,
    /// Elements started past [`MAX_DEPTH`] and not yet ended (untracked).
    overflow: usize,
    depth_capped: bool,
    /// A `<pre>` just started: its first newline is not shown.
    after_pre: bool,
}

impl<'a> Renderer<'a> {
    fn token(&mut self, t: Token<'a>) {
        work::step();
        match t {
            Token::Text(text) => {
                if self.in_head() && !text.trim().is_empty() {
                    self.close_named("head");
                }
                self.text(&text);
            }
            Token::Raw { name, text } => {
                if !is_skipped(&name) && self.hidden == 0 {
                    self.out
                        .text(&text, name == "plaintext" || name == "textarea");
                }
            }
            Token::Start {
                name,
                attrs,
                self_closing,
            } => self.start(name, attrs, self_closing),
            Token::End(name) => self.end(&name),
        }
    }

    fn in_head(&self) -> bool {
        self.open_heads > 0
    }

    fn count(&self, name: &str) -> u32 {
        self.open_count.get(name)
    }

    fn text(&mut self, text: &str) {
        let text = if std::mem::take(&mut self.after_pre) {
            text.strip_prefix('\n').unwrap_or(text)
        } else {
            text
        };
        if self.hidden == 0 {
            let pre = self.out.pre_depth > 0;
            self.out.text(text, pre);
        }
    }

    fn start(&mut self, name: Cow<'a, str>, attrs: Attrs<'a>, self_closing: bool) {
        self.after_pre = false;
        if self.in_head() && !belongs_in_head(&name) {
            self.close_named("head");
        }
        // Implied end tags.
        let top = self.stack.last();
        if closes_p(&name)
            && let Some(at) = top.and_then(|o| o.p)
        {
            self.pop_to(at);
        }
        let top = self.stack.last();
        match name.as_ref() {
            "li" => {
                if let Some(at) = top.and_then(|o| o.li) {
                    self.pop_to(at);
                }
            }
            "dd" | "dt" => {
                if let Some(at) = top.and_then(|o| o.dd) {
                    self.pop_to(at);
                }
            }
            "a" => {
                if let Some(at) = top.and_then(|o| o.a) {
                    self.pop_to(at);
                }
            }
            "body" => {
                // Attributes of a second `<body>` change nothing that is seen.
                return;
            }
            "html" => return,
            _ => {}
        }
        let foreign = self.open_foreign > 0;
        let void = is_void(&name) || (foreign && self_closing);
        if self.hidden > 0 {
            if !void {
                self.push(name, true);
            }
            return;
        }
        if void {
            match name.as_ref() {
                "br" => self.out.line_break(),
                "hr" => self.out.block(2),
                "img" => {
                    if self.out.in_link()
                        && let Some(alt) = attrs.alt.as_deref()
                    {
                        self.out.space();
                        self.out.text(cut(alt, MAX_ATTR_BYTES), false);
                        self.out.space();
                    }
                }
                _ => {}
            }
            return;
        }
        if self.stack.len() >= MAX_DEPTH {
            // Untracked: the text still shows (even when its style hides it), and the element
            // only breaks lines.
            self.depth_capped = true;
            self.overflow += 1;
            if let Some(n) = block_breaks(&name) {
                self.out.block(n);
            }
            return;
        }
        if is_skipped(&name) || is_hidden(&name, &attrs) {
            self.push(name, true);
            return;
        }
        match name.as_ref() {
            "td" | "th" => self.out.space(),
            "pre" => {
                self.out.pre_depth += 1;
                self.out.block(1);
                self.after_pre = true;
            }
            "a" => self.out.open_link(attrs.href.as_deref()),
            n => {
                if let Some(k) = block_breaks(n) {
                    self.out.block(k);
                }
            }
        }
        self.push(name, false);
    }

    fn push(&mut self, name: Cow<'a, str>, hidden: bool) {
        if self.stack.len() >= MAX_DEPTH {
            // Only inside a hidden element: its content stays hidden, and the end tag of
            // this one just balances the count.
            self.depth_capped = true;
            self.overflow += 1;
            return;
        }
        let index = self.stack.len();
        let below = self.stack.last();
        let boundary = is_scope_boundary(&name);
        let inherit = |f: fn(&Open<'a>) -> Option<usize>| {
            if boundary { None } else { below.and_then(f) }
        };
        let open = Open {
            p: if name == "p" {
                Some(index)
            } else {
                inherit(|o| o.p)
            },
            li: if name == "li" {
                Some(index)
            } else if matches!(name.as_ref(), "ul" | "ol") {
                None
            } else {
                inherit(|o| o.li)
            },
            dd: if name == "dd" || name == "dt" {
                Some(index)
            } else if name == "dl" {
                None
            } else {
                inherit(|o| o.dd)
            },
            a: if name == "a" {
                Some(index)
            } else {
                inherit(|o| o.a)
            },
            hidden,
            name: name.clone(),
        };
        if hidden {
            self.hidden += 1;
        }
        match name.as_ref() {
            "head" => self.open_heads += 1,
            "svg" | "math" => self.open_foreign += 1,
            _ => {}
        }
        self.open_count.add(name);
        self.stack.push(open);
    }

    fn end(&mut self, name: &str) {
        self.after_pre = false;
        if self.overflow > 0 {
            // Past the depth cap, end tags only balance the untracked start tags.
            self.overflow -= 1;
            if self.hidden == 0
                && let Some(n) = block_breaks(name)
            {
                self.out.block(n);
            }
            return;
        }
        match name {
            // Content after `</body>` and `</html>` is still shown by browsers.
            "body" | "html" => return,
            "br" => {
                if self.hidden == 0 {
                    self.out.line_break();
                }
                return;
            }
            "p" if self.count("p") == 0 => {
                // A stray `</p>` makes an empty paragraph.
                if self.hidden == 0 {
                    self.out.block(2);
                }
                return;
            }
            _ => {}
        }
        if self.count(name) > 0 {
            self.close_named(name);
        }
    }

    /// Closes the innermost open element called `name` and everything opened after it.
    fn close_named(&mut self, name: &str) {
        if self.count(name) == 0 {
            return;
        }
        while let Some(open) = self.pop() {
            if open == name {
                break;
            }
        }
    }

    /// Pops elements until the one at `index` is popped.
    fn pop_to(&mut self, index: usize) {
        while self.stack.len() > index {
            self.pop();
        }
    }

    /// Pops the innermost element, leaving it; returns its name.
    fn pop(&mut self) -> Option<Cow<'a, str>> {
        work::step();
        let open = self.stack.pop()?;
        self.open_count.remove(&open.name);
        match open.name.as_ref() {
            "head" => self.open_heads -= 1,
            "svg" | "math" => self.open_foreign -= 1,
            _ => {}
        }
        if open.hidden {
            self.hidden -= 1;
        } else if self.hidden == 0 {
            match open.name.as_ref() {
                "a" => self.out.close_link(),
                "td" | "th" => self.out.space(),
                "pre" => {
                    self.out.pre_depth = self.out.pre_depth.saturating_sub(1);
                    self.out.block(1);
                }
                n => {
                    if let Some(k) = block_breaks(n) {
                        self.out.block(k);
                    }
                }
            }
        }
        Some(open.name)
    }

    fn finish(mut self) -> HtmlText {
        while self.pop().is_some() {}
        let mut h = self.out.finish();
        h.depth_capped = self.depth_capped;
        h
    }
}

/// An `<a>` element being rendered.
struct OpenLink {
    href: Option<String>,
    /// Where its first visible character went, once one did.
    start: Option<usize>,
}

/// Collects visible text with browser-like white space handling.
#[derive(Default)]
struct Writer {
    /// Open `<pre>` elements: inside them, line breaks in text are kept.
    pre_depth: usize,
    text: String,
    /// White space seen since the last character written.
    pending_space: bool,
    /// Line breaks owed before the next character.
    pending_breaks: usize,
    links: Vec<(String, Range<usize>)>,
    open: Vec<OpenLink>,
}

impl Writer {
    fn in_link(&self) -> bool {
        self.open.iter().any(|l| l.href.is_some())
    }

    /// Adds text; white space collapses (in `<pre>`, line breaks are kept).
    fn text(&mut self, s: &str, pre: bool) {
        let mut rest = s;
        while let Some(c) = rest.chars().next() {
            if c.is_whitespace() {
                if pre && c == '\n' {
                    self.line_break();
                } else {
                    self.pending_space = true;
                }
                rest = &rest[c.len_utf8()..];
            } else {
                // A run of other characters is written in one go: what is owed before
                // it (breaks, a space, the start of open links) is the same as before its
                // first character, and nothing is owed between its characters.
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                self.push(&rest[..end]);
                rest = &rest[end..];
            }
        }
    }

    /// Writes `run`, which has no white space, after what is owed before it.
    fn push(&mut self, run: &str) {
        if !self.text.is_empty() {
            if self.pending_breaks > 0 {
                // Never more than one blank line. The text never ends in a newline here:
                // breaks are only written just before a character.
                for _ in 0..self.pending_breaks.min(2) {
                    self.text.push('\n');
                }
            } else if self.pending_space && !self.text.ends_with('\n') {
                self.text.push(' ');
            }
        }
        self.pending_breaks = 0;
        self.pending_space = false;
        let at = self.text.len();
        for link in &mut self.open {
            if link.start.is_none() {
                link.start = Some(at);
            }
        }
        self.text.push_str(run);
    }

    fn space(&mut self) {
        self.pending_space = true;
    }

    fn block(&mut self, n: usize) {
        self.pending_breaks = self.pending_breaks.max(n);
    }

    fn line_break(&mut self) {
        self.pending_breaks = (self.pending_breaks + 1).min(2);
    }

    fn open_link(&mut self, href: Option<&str>) {
        let href = href.map(|h| cut(h.trim(), MAX_ATTR_BYTES).to_string());
        self.open.push(OpenLink { href, start: None });
    }

    /// Closes the innermost open link (the walk is properly nested, so it is the one whose
    /// element is being left).
    fn close_link(&mut self) {
        if let Some(link) = self.open.pop() {
            self.record(link);
        }
    }

    fn record(&mut self, link: OpenLink) {
        let Some(href) = link.href else { return };
        let end = self.text.len();
        let start = link.start.unwrap_or(end);
        self.links.push((href, start..end));
    }

    fn finish(mut self) -> HtmlText {
        while let Some(link) = self.open.pop() {
            self.record(link);
        }
        // Nothing is written before the first visible character and white space is only
        // written before a character, so the text has no leading or trailing white space
        // of its own making; text nodes may still start with characters like U+FEFF.
        let mut links = self.links;
        links.sort_by_key(|(_, r)| (r.start, r.end));
        HtmlText {
            text: self.text,
            links,
            depth_capped: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{COMMON_NAMES, OpenCounts, common_name};
    use std::borrow::Cow;

    /// Each name the array counts has a slot of its own; other names (and names not in
    /// lower case, which the tokenizer does not make) go to the map; both count alike.
    #[test]
    fn open_counts_give_each_common_name_its_own_slot() {
        let names = [
            "a", "b", "body", "center", "div", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6",
            "head", "html", "i", "li", "ol", "p", "span", "strong", "table", "tbody", "td", "th",
            "thead", "tr", "u", "ul", "small", "style", "title",
        ];
        assert_eq!(names.len(), COMMON_NAMES);
        for (slot, name) in names.iter().enumerate() {
            assert_eq!(common_name(name), Some(slot), "{name}");
        }
        for name in ["x-custom", "TD", "tdx", "", "h7", "svg"] {
            assert_eq!(common_name(name), None, "{name}");
        }
        let mut open = OpenCounts::default();
        for name in ["td", "td", "x-custom", "p", "x-custom"] {
            open.add(Cow::Borrowed(name));
        }
        let counts = |o: &OpenCounts<'_>| ["td", "x-custom", "p", "div"].map(|n| o.get(n));
        assert_eq!(counts(&open), [2, 2, 1, 0]);
        open.remove("td");
        open.remove("x-custom");
        open.remove("p");
        assert_eq!(counts(&open), [1, 1, 0, 0]);
    }

    impl Writer {
        /// The definition `Writer::text` replaced: one character at a time.
        fn text_by_char(&mut self, s: &str, pre: bool) {
            for c in s.chars() {
                if pre && c == '\n' {
                    self.line_break();
                } else if c.is_whitespace() {
                    self.pending_space = true;
                } else {
                    self.push(c.encode_utf8(&mut [0; 4]));
                }
            }
        }
    }

    proptest::proptest! {
        /// Texts of words, white space of every kind and multi-byte characters, in and out
        /// of `<pre>`, between links, breaks and blocks: the same text and links as
        /// writing one character at a time.
        #[test]
        fn text_runs_write_what_characters_did(
            ops in proptest::collection::vec((0usize..8, 0usize..10, proptest::prelude::any::<bool>()), 0..30),
        ) {
            const PIECES: [&str; 10] = [
                "Amazon", " ", "\n", "\u{a0}", "é", "\t", "a b", "\u{3000}x", "  \n\n ", "\u{feff}",
            ];
            let (mut runs, mut chars) = (Writer::default(), Writer::default());
            for (op, piece, pre) in ops {
                match op {
                    0..=3 => {
                        runs.text(PIECES[piece], pre);
                        chars.text_by_char(PIECES[piece], pre);
                    }
                    4 => {
                        runs.open_link(Some("https://a.example"));
                        chars.open_link(Some("https://a.example"));
                    }
                    5 => {
                        runs.close_link();
                        chars.close_link();
                    }
                    6 => {
                        runs.line_break();
                        chars.line_break();
                    }
                    _ => {
                        runs.block(piece % 3);
                        chars.block(piece % 3);
                    }
                }
            }
            proptest::prop_assert_eq!(runs.finish(), chars.finish());
        }
    }

    /// The definition over lowercased copies that `style_hides` replaced.
    fn style_hides_lowercased(style: &str) -> bool {
        let style = cut(style, MAX_ATTR_BYTES);
        let (mut max_height_zero, mut overflow_hidden) = (false, false);
        for decl in style.split(';') {
            let Some((prop, value)) = decl.split_once(':') else {
                continue;
            };
            let prop = prop.trim().to_ascii_lowercase();
            let value = value.trim().to_ascii_lowercase();
            let value = value.trim_end_matches("!important").trim();
            match prop.as_str() {
                "display" if value == "none" => return true,
                "visibility" if value == "hidden" || value == "collapse" => return true,
                "font-size" | "opacity" if is_zero(value) => return true,
                "max-height" | "height" if is_zero(value) => max_height_zero = true,
                "overflow" if value == "hidden" => overflow_hidden = true,
                _ => {}
            }
        }
        max_height_zero && overflow_hidden
    }

    proptest::proptest! {
        /// Declarations of the properties that hide, in any case, with `!important`
        /// (repeated, spaced) and other values: the same answer as the lowercased copies.
        #[test]
        fn style_hides_ignores_case_as_lowercasing_did(
            pieces in proptest::collection::vec(0usize..18, 0..12),
        ) {
            const PIECES: [&str; 18] = [
                "display", "DISPLAY", "Visibility", "font-size", "opacity", "max-HEIGHT",
                "height", "overflow", ":", ";", " none", "Hidden", "collapse", "0px", "0.0EM",
                "!important", " !IMPORTANT ", "é1",
            ];
            let style: String = pieces.iter().map(|&p| PIECES[p]).collect();
            proptest::prop_assert_eq!(style_hides(&style), style_hides_lowercased(&style));
        }
    }
    use super::*;
    use proptest::prelude::*;

    fn link_texts(h: &HtmlText) -> Vec<(&str, &str)> {
        h.links
            .iter()
            .map(|(href, r)| (href.as_str(), &h.text[r.clone()]))
            .collect()
    }

    #[test]
    fn blocks_and_whitespace() {
        let h = html_to_text(
            "<html><head><title>Order</title><style>p{color:red}</style></head><body>\
             <h1>Your   order\n  has shipped</h1><p>Hello&nbsp;Jane,</p>\
             <div>Line one<br>Line two<br><br><br>After</div>\
             <ul><li>Item A</li><li>Item B</li></ul>\
             <table><tr><td>Order #</td><td>112-3344</td></tr><tr><th>Total</th><td>$9.99</td></tr></table>\
             <script>alert('x')</script></body></html>",
        );
        assert_eq!(
            h.text,
            "Your order has shipped\n\nHello Jane,\n\nLine one\nLine two\n\nAfter\n\n\
             Item A\nItem B\n\nOrder # 112-3344\nTotal $9.99"
        );
    }

    #[test]
    fn links_and_hidden_text() {
        let h = html_to_text(
            r#"<p>Dear customer, <a href=" https://amaz0n-verify.example/login ">https://www.amazon.com/your-account</a>
            to confirm.</p>
            <div style="display: none">amazon legit newsletter unsubscribe</div>
            <span style="font-size:0px">zzqv filler</span>
            <span style="FONT-SIZE: 0pt !important">more filler</span>
            <span style="opacity:0">ghost</span>
            <span style="visibility:hidden">invisible</span>
            <div style="max-height:0;overflow:hidden">preheader</div>
            <span style="font-size:0.9em">small but visible</span>
            <a href="https://x.example/img"><img src="cid:logo" alt="Amazon"></a>
            <a href="https://x.example/empty"><img src="cid:logo"></a>
            <a name="anchor">not a link</a>"#,
        );
        assert!(!h.text.contains("legit"));
        assert!(!h.text.contains("filler"));
        assert!(!h.text.contains("ghost"));
        assert!(!h.text.contains("invisible"));
        assert!(!h.text.contains("preheader"));
        assert!(h.text.contains("small but visible"));
        assert!(h.text.contains("not a link"));
        let links = link_texts(&h);
        assert_eq!(links.len(), 3);
        assert_eq!(
            links[0],
            (
                "https://amaz0n-verify.example/login",
                "https://www.amazon.com/your-account"
            )
        );
        assert_eq!(links[1], ("https://x.example/img", "Amazon"));
        assert_eq!(links[2], ("https://x.example/empty", ""));
        assert!(h.links[2].1.start <= h.text.len());
        assert!(
            h.text
                .starts_with("Dear customer, https://www.amazon.com/your-account to confirm.")
        );
    }

    #[test]
    fn entities_and_broken_markup() {
        let h = html_to_text(
            "<p>Caf&eacute; &amp; &#x2019;quotes&#8217; <b>bold<i>both</b> <div>unclosed",
        );
        // The `<div>` closes the `<p>` (as in a browser), hence the blank line.
        assert_eq!(h.text, "Café & ’quotes’ boldboth\n\nunclosed");
        let h = html_to_text("<a href='https://a.example'>one <a href='https://b.example'>two</a>");
        assert_eq!(
            link_texts(&h),
            vec![("https://a.example", "one"), ("https://b.example", "two")]
        );
        assert_eq!(html_to_text("").text, "");
        assert_eq!(html_to_text("   \n ").text, "");
        assert_eq!(
            html_to_text("plain text, no tags").text,
            "plain text, no tags"
        );
    }

    #[test]
    fn deep_nesting_and_huge_attributes() {
        let deep = "<div><span>".repeat(20_000) + "bottom" + &"</span></div>".repeat(20_000);
        assert_eq!(html_to_text(&deep).text, "bottom");
        let huge = format!("<a href=\"{}\">x</a>", "h".repeat(1_000_000));
        let h = html_to_text(&huge);
        assert_eq!(h.links.len(), 1);
        assert!(h.links[0].0.len() <= MAX_ATTR_BYTES);
    }

    #[test]
    fn pre_keeps_lines() {
        let h = html_to_text("<pre>Order:  1\nTotal:   2</pre>after");
        assert_eq!(h.text, "Order: 1\nTotal: 2\nafter");
    }

    #[test]
    fn cut_respects_char_boundaries() {
        assert_eq!(cut("héllo", 2), "h");
        assert_eq!(cut("héllo", 3), "hé");
        assert_eq!(cut("abc", 10), "abc");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn never_panics_and_ranges_are_valid(s in any::<String>()) {
            let h = html_to_text(&s);
            for (_, r) in &h.links {
                prop_assert!(r.start <= r.end && r.end <= h.text.len());
                prop_assert!(h.text.is_char_boundary(r.start) && h.text.is_char_boundary(r.end));
            }
        }

        #[test]
        fn tag_soup_never_panics(parts in proptest::collection::vec(
            prop_oneof![
                Just("<a href='x'>".to_string()), Just("</a>".to_string()),
                Just("<div style='display:none'>".to_string()), Just("</div>".to_string()),
                Just("<table><tr><td>".to_string()), Just("<img alt='é'>".to_string()),
                Just("<br>".to_string()), Just("<pre>".to_string()), Just("<script>".to_string()),
                Just("<p>".to_string()), Just("&amp;".to_string()), "[a-zé ]{0,8}",
            ],
            0..64,
        )) {
            let s = parts.concat();
            let h = html_to_text(&s);
            for (_, r) in &h.links {
                prop_assert!(r.start <= r.end && r.end <= h.text.len());
                prop_assert!(h.text.is_char_boundary(r.start) && h.text.is_char_boundary(r.end));
            }
            prop_assert_eq!(h.text.trim(), h.text.as_str());
        }
    }
}
