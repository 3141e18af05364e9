//! Phone numbers.
//!
//! The text is cut into *chunks*: maximal runs of digits, digit look-alikes (`O o` → 0,
//! `I l |` → 1, full-width digits) and separators (`- . ( ) +`), not glued to a letter or
//! digit on either side. Chunks joined by a little horizontal white space are then tried
//! as phone numbers, longest first:
//!
//! - North American numbers (10 digits, or 11 with a leading `1`): grouped `3-3-4` (with or
//!   without `1`/`+1`, parentheses, dots, dashes, spaces: always kept), or written `3 7`, as
//!   one run of 10/11 digits, or as single digits separated by single spaces (kept only when
//!   libphonenumber says the number is valid and no other digits are glued on).
//! - International numbers written with `+` and a country code (7–15 digits; kept only when
//!   valid).
//! - Vanity numbers (`1-800-FLOWERS`, `1-888-AMAZON1`), found by a separate pattern and
//!   mapped with the phone keypad.
//!
//! Never phone numbers: parts of longer digit runs (order numbers `112-1234567-1234567`),
//! dates, times, prices, ZIP+4 codes, IP addresses, card and tracking numbers, numbers
//! inside URLs or email addresses.

use crate::NormText;
use phonenumber::{Type, country};
use redflag_message::{Message, SenderKind, Span};
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;

/// What a phone number is, by its number plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PhoneKind {
    /// Toll-free (800, 888, 877, 866, 855, 844, 833 in North America).
    TollFree,
    /// Mobile.
    Mobile,
    /// Landline.
    FixedLine,
    /// Landline or mobile (North America does not tell them apart).
    FixedLineOrMobile,
    /// Premium rate.
    PremiumRate,
    /// Voice over IP.
    Voip,
    /// Anything else, or unknown.
    Other,
}

/// A phone number in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhoneRef {
    /// Where it is.
    pub span: Span,
    /// As written.
    pub raw: String,
    /// E.164 form (`+18885550199`) when it parses.
    pub e164: Option<String>,
    /// True when libphonenumber says the number is valid.
    pub valid: bool,
    /// Type of number.
    pub kind: PhoneKind,
    /// Written with letters or look-alikes (`1-8OO-...`, `l-888-...`) or spaced digits.
    pub obfuscated: bool,
}

/// What libphonenumber makes of a number: E.164 form, validity, kind.
struct Parsed {
    e164: Option<String>,
    valid: bool,
    kind: PhoneKind,
}

/// How many of libphonenumber's compiled patterns stay cached. The phonenumber crate keeps
/// its metadata's patterns (about 1,300) as source text and compiles them on use into one
/// process-wide LRU cache of 100. Its validation needs more than that for one North
/// American number (113: `+1` has 25 regions, each with its number-type patterns), so
/// every `+1` number recompiled patterns; validation now has its own compiled patterns
/// (`libphone.rs`), and parsing still uses the crate's cache. 256 keeps what parsing
/// needs for many countries; the whole metadata compiled with Unicode classes, as the
/// crate compiles it, would take about 150 MB, 256 patterns at most about 30 MB.
const PHONE_PATTERN_CACHE: usize = 256;

/// Sizes libphonenumber's pattern cache (once per process).
fn phone_patterns_cached() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let cache = phonenumber::metadata::DATABASE.cache();
        // A poisoned lock means a parse panicked mid-compile; the cache is still usable.
        let mut cache = cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cache.set_capacity(PHONE_PATTERN_CACHE);
    });
}

/// Parses `+<digits>` (digits only, at most 15) with libphonenumber, region US.
fn parse_e164(digits: &str) -> Parsed {
    phone_patterns_cached();
    let none = Parsed {
        e164: None,
        valid: false,
        kind: PhoneKind::Other,
    };
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return none;
    }
    let Ok(n) = phonenumber::parse(Some(country::Id::US), format!("+{digits}")) else {
        return none;
    };
    let valid = crate::libphone::is_valid(&n);
    let kind = if valid {
        match crate::libphone::number_type(&n) {
            Type::TollFree => PhoneKind::TollFree,
            Type::Mobile => PhoneKind::Mobile,
            Type::FixedLine => PhoneKind::FixedLine,
            Type::FixedLineOrMobile => PhoneKind::FixedLineOrMobile,
            Type::PremiumRate => PhoneKind::PremiumRate,
            Type::Voip => PhoneKind::Voip,
            _ => PhoneKind::Other,
        }
    } else {
        PhoneKind::Other
    };
    Parsed {
        e164: Some(crate::libphone::e164(&n)),
        valid,
        kind,
    }
}

/// False only for an 11-digit `1...` number whose area code or exchange starts with 0 or
/// 1, which no valid North American number has.
fn nanp_plausible(digits: &str) -> bool {
    let b = digits.as_bytes();
    !(b.len() == 11 && b[0] == b'1' && (b[1] < b'2' || b[4] < b'2'))
}

/// A digit, with whether it was written as a look-alike (`O`, `l`, full-width `８`).
const fn digit_of(c: char) -> Option<(char, bool)> {
    match c {
        '0'..='9' => Some((c, false)),
        '\u{FF10}'..='\u{FF19}' => match char::from_digit(c as u32 - 0xFF10, 10) {
            Some(d) => Some((d, true)),
            None => None,
        },
        'O' | 'o' => Some(('0', true)),
        'I' | 'l' | '|' => Some(('1', true)),
        _ => None,
    }
}

/// Separators inside a written phone number.
const fn is_sep(c: char) -> bool {
    matches!(c, '-' | '.' | '(' | ')' | '+' | '\u{2010}'..='\u{2013}')
}

/// A run of digits and separators that may be (part of) a phone number.
#[derive(Debug)]
struct Chunk {
    start: usize,
    end: usize,
    /// The digits, look-alikes folded.
    digits: String,
    /// Lengths of the digit groups, in order.
    groups: Vec<usize>,
    /// Starts with `+`.
    plus: bool,
    /// Uses look-alike letters or full-width digits.
    lookalike: bool,
    /// Can be part of a phone number (not a price, not inside a URL or address).
    usable: bool,
    /// Joined to the previous chunk by 1–3 spaces or tabs.
    joined: bool,
    /// Joined to the previous chunk by exactly one space.
    one_space: bool,
    /// Written `(0)`: the national trunk prefix that international numbers leave out
    /// (`+44 (0) 20 7946 0958`).
    trunk_zero: bool,
}

/// Trims separators that cannot start or end a number (`.`, `-`, unbalanced brackets).
fn trim_token(text: &str, mut s: usize, mut e: usize) -> (usize, usize) {
    let t = &text[s..e];
    let mut opens = t.matches('(').count();
    let mut closes = t.matches(')').count();
    loop {
        let t = &text[s..e];
        if let Some(c) = t.chars().next()
            && (matches!(c, '.' | ')' | '-' | '\u{2010}'..='\u{2013}')
                || (c == '(' && opens > closes))
        {
            opens -= usize::from(c == '(');
            closes -= usize::from(c == ')');
            s += c.len_utf8();
            continue;
        }
        if let Some(c) = t.chars().next_back()
            && (matches!(c, '.' | '(' | '+' | '-' | '\u{2010}'..='\u{2013}')
                || (c == ')' && closes > opens))
        {
            opens -= usize::from(c == '(');
            closes -= usize::from(c == ')');
            e -= c.len_utf8();
            continue;
        }
        return (s, e);
    }
}

/// Builds a chunk from a trimmed token, or `None` when it is no part of a number (no real
/// digit, look-alike letters not next to digits, a `+` inside).
fn chunk(text: &str, start: usize, end: usize) -> Option<Chunk> {
    let t = &text[start..end];
    let mut digits = String::new();
    let mut groups = Vec::new();
    let mut plus = false;
    let mut lookalike = false;
    let mut real = 0;
    let mut group_len = 0;
    let mut group_real = 0;
    let mut group_fake = 0;
    /// Ends a digit group; look-alike letters need a real digit in their group (a lone `l`
    /// or `I` may stand for the country code 1 at the start).
    fn close(groups: &mut Vec<usize>, len: &mut usize, real: &mut usize, fake: &mut usize) {
        if *len > 0 {
            let ok = *fake == 0 || *real > 0 || (groups.is_empty() && *len == 1);
            groups.push(if ok { *len } else { usize::MAX });
        }
        *len = 0;
        *real = 0;
        *fake = 0;
    }
    for (i, c) in t.char_indices() {
        if let Some((d, fake)) = digit_of(c) {
            digits.push(d);
            group_len += 1;
            if fake {
                lookalike = true;
                if c.is_ascii() {
                    group_fake += 1;
                } else {
                    group_real += 1;
                    real += 1;
                }
            } else {
                group_real += 1;
                real += 1;
            }
        } else if c == '+' {
            if i != 0 {
                return None;
            }
            plus = true;
        } else {
            close(
                &mut groups,
                &mut group_len,
                &mut group_real,
                &mut group_fake,
            );
        }
    }
    close(
        &mut groups,
        &mut group_len,
        &mut group_real,
        &mut group_fake,
    );
    let fakes = digits.len() - real;
    // Look-alikes may stand for fewer than half of the digits (`l-8OO-555-Ol99` is 5 of 11).
    if real == 0
        || groups.contains(&usize::MAX)
        || (fakes > 0 && (real < 4 || fakes * 2 > digits.len()))
    {
        return None;
    }
    Some(Chunk {
        start,
        end,
        digits,
        groups,
        plus,
        lookalike,
        usable: true,
        joined: false,
        one_space: false,
        trunk_zero: t == "(0)",
    })
}

/// True when the chunk at `[s, e)` is a price or percentage, or sits in a URL, an email
/// address or a domain name.
fn in_bad_context(text: &str, s: usize, e: usize) -> bool {
    let before = text[..s].trim_end_matches([' ', '\u{a0}']);
    if before.ends_with(['$', '€', '£', '¥', '₹', '#']) || text[e..].starts_with('%') {
        return true;
    }
    // `18882804331.com`: a domain name.
    if let Some(after) = text[e..].strip_prefix('.') {
        let label = after
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        if !label.is_empty()
            && psl::suffix(label.to_lowercase().as_bytes()).is_some_and(|s| s.is_known())
        {
            return true;
        }
    }
    // The white-space-delimited word holding the chunk (looked at up to 256 bytes each
    // side, so that long runs without white space stay linear).
    let mut lo = s.saturating_sub(256);
    while !text.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = (e + 256).min(text.len());
    while !text.is_char_boundary(hi) {
        hi += 1;
    }
    let w_start = text[lo..s]
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace())
        .map_or(lo, |(i, c)| lo + i + c.len_utf8());
    let w_end = text[e..hi].find(char::is_whitespace).map_or(hi, |i| e + i);
    let word = &text[w_start..w_end];
    word.contains("://") || word.contains("www.") || word.contains(['/', '@', '=', '&', '_', '\\'])
}

/// Cuts the text into chunks.
fn chunks(text: &str) -> Vec<Chunk> {
    let mut out: Vec<Chunk> = Vec::new();
    for (start, end) in chunk_runs(text) {
        // The characters around the run (it is maximal, so neither belongs to a chunk).
        let before = text[..start].chars().next_back();
        let next_char = text[end..].chars().next();
        // Glued to a word on the left (`ID-8882804331`, `x18882804331`) or on the right,
        // except after a full stop (`...4331.Thanks`).
        if before.is_some_and(char::is_alphanumeric) {
            continue;
        }
        let (s, e) = trim_token(text, start, end);
        if s >= e {
            continue;
        }
        if next_char.is_some_and(char::is_alphanumeric) && &text[e..end] != "." {
            continue;
        }
        let Some(mut ch) = chunk(text, s, e) else {
            continue;
        };
        ch.usable = !in_bad_context(text, s, e);
        if let Some(p) = out.last() {
            let gap = &text[p.end..s];
            ch.joined = !gap.is_empty()
                && gap.len() <= 3
                && gap.chars().all(|g| matches!(g, ' ' | '\t' | '\u{a0}'));
            ch.one_space = gap == " ";
        }
        out.push(ch);
    }
    out
}

/// The maximal runs of characters a chunk is made of (digits, their look-alikes and
/// separators: [`digit_of`] or [`is_sep`]), as byte ranges. Read as bytes: an ASCII byte
/// is looked up in a table, and of the other characters only the full-width digits
/// (`EF BC 90`–`99`) and the Unicode hyphens (`E2 80 90`–`93`) count, so every other byte
/// (a continuation byte included) ends a run. Decoding every character of the text and
/// asking both functions cost about 15 instructions a character.
fn chunk_runs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    const ASCII: [bool; 128] = {
        let mut t = [false; 128];
        let mut c = 0;
        while c < 128 {
            let ch = c as u8 as char;
            t[c] = digit_of(ch).is_some() || is_sep(ch);
            c += 1;
        }
        t
    };
    let b = text.as_bytes();
    // The byte length of the chunk character at `i`, or 0.
    let len_at = move |i: usize| -> usize {
        match b[i] {
            c if c < 0x80 => usize::from(ASCII[usize::from(c)]),
            0xEF if b.get(i + 1) == Some(&0xBC)
                && b.get(i + 2).is_some_and(|c| (0x90..=0x99).contains(c)) =>
            {
                3
            }
            0xE2 if b.get(i + 1) == Some(&0x80)
                && b.get(i + 2).is_some_and(|c| (0x90..=0x93).contains(c)) =>
            {
                3
            }
            _ => 0,
        }
    };
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            let n = len_at(i);
            if n == 0 {
                i += 1;
                continue;
            }
            let start = i;
            i += n;
            while i < b.len() {
                match len_at(i) {
                    0 => break,
                    n => i += n,
                }
            }
            return Some((start, i));
        }
        None
    })
}

/// How a candidate is written, for deciding whether to keep it.
#[derive(Debug, PartialEq, Eq)]
enum Shape {
    /// `888-280-4331`, `1 (888) 280-4331`, `+1 888 280 4331`: kept even when not valid.
    Strong,
    /// `8882804331`, `888 2804331`, spaced digits, `+44 20 7946 0958`: kept only when valid
    /// and no other digits are glued on.
    Weak,
}

/// The shape of the digit groups of a window of chunks, and the digits to parse (with
/// country code), or `None` when it is not a phone number shape.
fn shape(window: &[Chunk]) -> Option<(Shape, String)> {
    let first = window.first()?;
    let digits: String = window
        .iter()
        .filter(|c| !(first.plus && c.trunk_zero))
        .map(|c| c.digits.as_str())
        .collect();
    let groups: Vec<usize> = window
        .iter()
        .flat_map(|c| c.groups.iter().copied())
        .collect();
    let n = digits.len();
    if window.iter().skip(1).any(|c| c.plus) || n > 15 {
        return None;
    }
    let spaced = window.len() >= 10
        && window.iter().all(|c| c.groups == [1])
        && window.iter().skip(1).all(|c| c.one_space);
    let nanp = n == 10 || (n == 11 && digits.starts_with('1'));
    if first.plus && !(n == 11 && digits.starts_with('1')) {
        return (7..=15).contains(&n).then_some((Shape::Weak, digits));
    }
    if !nanp {
        return None;
    }
    let full = if n == 10 {
        format!("1{digits}")
    } else {
        digits
    };
    if first.plus || spaced {
        let s = if first.plus {
            Shape::Strong
        } else {
            Shape::Weak
        };
        return Some((s, full));
    }
    // The groups after the country code.
    let rest: &[usize] = match (n, groups.as_slice()) {
        (11, [1, rest @ ..]) => rest,
        (11, [4, rest @ ..]) if rest.len() == 2 => &[3, 3, 4][..],
        (11, [11]) => &[10][..],
        (10, g) => g,
        _ => return None,
    };
    match rest {
        [3, 3, 4] => Some((Shape::Strong, full)),
        [3, 7] | [10] => Some((Shape::Weak, full)),
        _ => None,
    }
}

/// Phone numbers among the chunks.
/// Parses a number written in a country's national format (`03-6869-2471` in Japan, with
/// its trunk `0`), keeping it only when libphonenumber finds it valid there.
fn parse_national(digits: &str, region: country::Id) -> Option<Parsed> {
    phone_patterns_cached();
    let n = phonenumber::parse(Some(region), digits).ok()?;
    if !crate::libphone::is_valid(&n) {
        return None;
    }
    let parsed = parse_e164(&format!("{}{}", n.code().value(), n.national().value()));
    parsed.valid.then_some(parsed)
}

/// The country whose national phone format the message uses, when the message says which:
/// Japanese kana, or a country-code domain in its sender or its text (`amazon.co.jp`,
/// `kundenservice@amazon.de`). Without one, only international and North American numbers
/// are read: a bare `0...` run is too often an order or account number.
fn national_region(msg: &Message) -> Option<country::Id> {
    static CCTLD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)(?-u:\b)[a-z0-9-]+(?:\.co|\.com)?\.(jp|de|fr|it|es|nl|pl|in|uk|br|mx|at|ch|be|au)(?-u:\b)",
        )
        .expect("valid pattern")
    });
    let text = msg.text.as_str();
    if crate::writes_japanese(text) {
        return Some(country::Id::JP);
    }
    let tld = CCTLD.captures(text)?.get(1)?.as_str().to_ascii_lowercase();
    Some(match tld.as_str() {
        "jp" => country::Id::JP,
        "de" => country::Id::DE,
        "fr" => country::Id::FR,
        "it" => country::Id::IT,
        "es" => country::Id::ES,
        "nl" => country::Id::NL,
        "pl" => country::Id::PL,
        "in" => country::Id::IN,
        "uk" => country::Id::GB,
        "br" => country::Id::BR,
        "mx" => country::Id::MX,
        "at" => country::Id::AT,
        "ch" => country::Id::CH,
        "be" => country::Id::BE,
        "au" => country::Id::AU,
        _ => return None,
    })
}

fn from_chunks(text: &str, chunks: &[Chunk], region: Option<country::Id>, out: &mut Vec<PhoneRef>) {
    let mut i = 0;
    while i < chunks.len() && out.len() < crate::MAX_PHONES {
        redflag_message::work::step();
        if !chunks[i].usable {
            i += 1;
            continue;
        }
        // The longest run of joined, usable chunks from i (at most 11 chunks, 16 digits).
        let mut max = i + 1;
        let mut total = chunks[i].digits.len();
        while max < chunks.len() && max - i < 11 && chunks[max].joined && chunks[max].usable {
            total += chunks[max].digits.len();
            if total > 16 {
                break;
            }
            max += 1;
        }
        let mut found = None;
        for j in (i + 1..=max).rev() {
            let w = &chunks[i..j];
            // Cheap length test before building the digits.
            let n: usize = w.iter().map(|c| c.digits.len()).sum();
            let national = region.filter(|_| {
                !chunks[i].plus && chunks[i].digits.starts_with('0') && (9..=12).contains(&n)
            });
            if let Some(region) = national {
                let glued = chunks[i].joined || chunks.get(j).is_some_and(|c| c.joined);
                let digits: String = w.iter().map(|c| c.digits.as_str()).collect();
                if !glued && let Some(parsed) = parse_national(&digits, region) {
                    found = Some((j, Shape::Strong, parsed));
                    break;
                }
            }
            if !(n == 10 || n == 11 || (chunks[i].plus && (7..=16).contains(&n))) {
                continue;
            }
            // Weak shapes with other digits glued on are parts of something longer (spaced
            // single digits are always weak).
            let glued = chunks[i].joined || chunks.get(j).is_some_and(|c| c.joined);
            if glued && !chunks[i].plus && w.iter().all(|c| c.digits.len() == 1) {
                continue;
            }
            let Some((sh, digits)) = shape(w) else {
                continue;
            };
            if sh == Shape::Weak && glued {
                continue;
            }
            // A weak shape must be a valid number: skip libphonenumber (the costliest step
            // of extraction) when the NANP structure already rules that out.
            if sh == Shape::Weak && !nanp_plausible(&digits) {
                continue;
            }
            let parsed = parse_e164(&digits);
            let keep = match sh {
                Shape::Strong => parsed.e164.is_some(),
                Shape::Weak => parsed.valid,
            };
            if keep {
                found = Some((j, sh, parsed));
                break;
            }
        }
        match found {
            Some((j, _, parsed)) => {
                let w = &chunks[i..j];
                let span = Span::new(w[0].start, w[w.len() - 1].end);
                let spaced = w.len() >= 10 && w.iter().all(|c| c.groups == [1]);
                out.push(phone_ref(
                    text,
                    span,
                    parsed,
                    spaced || w.iter().any(|c| c.lookalike),
                ));
                i = j;
            }
            None => i += 1,
        }
    }
}

/// A phone number found at `span`, from its parse.
fn phone_ref(text: &str, span: Span, parsed: Parsed, obfuscated: bool) -> PhoneRef {
    PhoneRef {
        span,
        raw: text[span.range()].to_string(),
        e164: parsed.e164,
        valid: parsed.valid,
        kind: parsed.kind,
        obfuscated,
    }
}

/// Vanity numbers: `1-800-FLOWERS`, `(888) AMAZON-1`, `+1 877 GO AMAZON`. `\d` and `\s`
/// are Unicode's: Arabic-Indic digits in the area code, a no-break space as a separator.
const VANITY_PATTERN: &str = r"(?P<one>\+?1[\s.\-]?)?(?P<area>\([2-9]\d{2}\)|[2-9]\d{2})(?P<sep>[\s.\-])(?P<tail>[A-Za-z0-9]{1,10}(?:[\s.\-][A-Za-z0-9]{1,10}){0,2})";

/// [`VANITY_PATTERN`], for any text.
static VANITY: LazyLock<Regex> = LazyLock::new(|| Regex::new(VANITY_PATTERN).expect("valid regex"));

/// [`VANITY_PATTERN`] with ASCII `\d` and `\s`, for a text that is all ASCII: there the
/// only digits and white space are ASCII ones, so both patterns find the same numbers,
/// this one with a smaller automaton. (Telling apart a text whose characters outside ASCII
/// are neither digits nor white space cost an email more than the smaller automaton saved.)
static VANITY_ASCII: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("(?-u){VANITY_PATTERN}")).expect("valid regex"));

/// The phone keypad digit of a letter.
fn keypad(c: char) -> Option<char> {
    Some(match c.to_ascii_uppercase() {
        'A'..='C' => '2',
        'D'..='F' => '3',
        'G'..='I' => '4',
        'J'..='L' => '5',
        'M'..='O' => '6',
        'P'..='S' => '7',
        'T'..='V' => '8',
        'W'..='Z' => '9',
        d @ '0'..='9' => d,
        _ => return None,
    })
}

/// Toll-free area codes in North America.
const TOLL_FREE: &[&str] = &["800", "888", "877", "866", "855", "844", "833"];

/// Currency names that follow an amount, never a vanity number's letters.
const CURRENCY_WORDS: &[&str] = &[
    "euro", "euros", "eur", "usd", "dollar", "dollars", "gbp", "pound", "pounds", "reais", "real",
];

/// Vanity numbers in the text.
fn vanity(text: &str, out: &mut Vec<PhoneRef>) {
    let re = if text.is_ascii() {
        &*VANITY_ASCII
    } else {
        &*VANITY
    };
    vanity_by(re, text, out);
}

/// Vanity numbers in the text, found by `re` ([`VANITY`] or [`VANITY_ASCII`]).
///
/// The pattern matches any area code and word (`123 Main`, `2024 at 10`), and finding a
/// match's groups takes a slower engine than finding the match, so the groups are found
/// only for a match that [`may_spell_a_number`].
fn vanity_by(re: &Regex, text: &str, out: &mut Vec<PhoneRef>) {
    for m in re.find_iter(text) {
        if out.len() >= crate::MAX_PHONES {
            break;
        }
        if !may_spell_a_number(m.as_str()) {
            continue;
        }
        // The match that starts where `m` starts is `m`: the same groups as `captures_iter`.
        if let Some(phone) = re
            .captures_at(text, m.start())
            .and_then(|c| vanity_number(text, &c))
        {
            out.push(phone);
        }
    }
}

/// What a match of [`VANITY_PATTERN`] needs for [`vanity_number`] to take it, read from the
/// match's text alone: three ASCII letters (only the tail has letters), and a `1` or `+1`
/// prefix, an area code in brackets, or a toll-free area code first.
fn may_spell_a_number(m: &str) -> bool {
    let b = m.as_bytes();
    b.iter().filter(|c| c.is_ascii_alphabetic()).count() >= 3
        && (matches!(b.first(), Some(b'+' | b'1' | b'('))
            || b.get(..3)
                .is_some_and(|area| TOLL_FREE.iter().any(|t| t.as_bytes() == area)))
}

/// The vanity number that a match of [`VANITY_PATTERN`] (its groups `c`) spells, if it is
/// one.
fn vanity_number(text: &str, c: &regex::Captures<'_>) -> Option<PhoneRef> {
    let (Some(all), Some(area), Some(tail)) = (c.get(0), c.name("area"), c.name("tail")) else {
        return None;
    };
    if text[..all.start()]
        .chars()
        .next_back()
        .is_some_and(|p| p.is_alphanumeric() || matches!(p, '$' | '€' | '£' | '#' | '.' | ','))
    {
        return None;
    }
    // `L-1855 Luxembourg`, `D-80331 München`: a postal code after a country letter.
    let before: Vec<char> = text[..all.start()].chars().rev().take(2).collect();
    if before.len() == 2 && before[0] == '-' && before[1].is_ascii_alphabetic() {
        return None;
    }
    let area_digits = area.as_str().trim_matches(['(', ')']);
    let one = c.name("one").is_some();
    // Lower-case letters are only read as a number after a written `1-`/`1 ` prefix.
    let one_sep = c
        .name("one")
        .is_some_and(|m| m.as_str().ends_with([' ', '.', '-']));
    // `1.330 Euro`, `1 500 dollars`: an amount, not a number spelled in letters.
    let first_word = tail
        .as_str()
        .split(|ch: char| !ch.is_alphabetic())
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_lowercase();
    if CURRENCY_WORDS.contains(&first_word.as_str()) {
        return None;
    }
    let parens = area.as_str().starts_with('(');
    let dashed = c
        .name("sep")
        .is_some_and(|m| m.as_str() != " " && !m.as_str().contains('\n'));
    // `1-800-...`, `(888) ...`, or a toll-free code with a dash or dot (`888-AMAZON1`).
    if !(one || parens || (dashed && TOLL_FREE.contains(&area_digits))) {
        return None;
    }
    // `1920 FARRIOR AVE` is a house number and a street: a `1` glued to the area code is
    // a prefix only before a toll-free code (`1800 FLOWERS`).
    if one && !one_sep && !parens && !TOLL_FREE.contains(&area_digits) {
        return None;
    }
    // Keep the tail's words up to the 7th keypad digit; a vanity number spells at least
    // 7 characters, 3 of them letters, all capitals unless a `1-` prefix says "phone".
    let mut keys = String::new();
    let mut letters = 0;
    let mut upper = true;
    let mut end = tail.start();
    for (k, ch) in tail.as_str().char_indices() {
        if keys.len() == 7 {
            break;
        }
        if let Some(d) = keypad(ch) {
            keys.push(d);
            if ch.is_ascii_alphabetic() {
                letters += 1;
                upper &= ch.is_ascii_uppercase();
            }
            end = tail.start() + k + 1;
        }
    }
    // The spelled word must end at a word boundary (extra letters such as the 8th of
    // `1-800-MATTRESS` are allowed; digits glued on are not).
    let rest = &text[end..];
    let word_rest = rest
        .split(|ch: char| !ch.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    if keys.len() < 7
        || letters < 3
        || !(upper || one_sep)
        || word_rest.chars().any(|ch| ch.is_ascii_digit())
    {
        return None;
    }
    let end = end + word_rest.len();
    let span = Span::new(all.start(), end);
    let parsed = parse_e164(&format!("1{area_digits}{keys}"));
    Some(phone_ref(text, span, parsed, true))
}

/// Finds phone numbers (default region US). Candidates come from a pattern over a
/// digit-folded view (letter O → 0, l/I → 1, full-width digits), then libphonenumber parses
/// and types them. Vanity numbers (`1-800-FLOWERS`) are kept with their letters mapped by the
/// phone keypad.
///
/// The sender's number (`From:`/`Caller:` line) is always returned when the sender is a
/// phone number, even when its written form is not one the scanner takes.
pub(crate) fn find(msg: &Message, norm: &NormText) -> Vec<PhoneRef> {
    let _ = norm; // The scan works on the original text, which keeps digits and spans exact.
    let text = msg.text.as_str();
    let mut out = Vec::new();
    from_chunks(text, &chunks(text), national_region(msg), &mut out);
    let mut vanities = Vec::new();
    if out.len() < crate::MAX_PHONES {
        vanity(text, &mut vanities);
    }
    for v in vanities.into_iter().take(crate::MAX_PHONES) {
        redflag_message::work::steps(out.len());
        if !out
            .iter()
            .any(|p| p.span.start < v.span.end && v.span.start < p.span.end)
        {
            out.push(v);
        }
    }
    if let Some(sender) = msg.sender.as_ref().filter(|s| s.kind == SenderKind::Phone)
        && let Some(raw) = text.get(sender.span.range())
        && !out
            .iter()
            .any(|p| p.span.start < sender.span.end && sender.span.start < p.span.end)
    {
        let digits: String = sender.value.chars().filter(char::is_ascii_digit).collect();
        let digits = if sender.value.starts_with('+') || digits.len() != 10 {
            digits
        } else {
            format!("1{digits}")
        };
        let parsed = parse_e164(&digits);
        out.push(PhoneRef {
            span: sender.span,
            raw: raw.to_string(),
            e164: parsed.e164,
            valid: parsed.valid,
            kind: parsed.kind,
            obfuscated: false,
        });
    }
    out.sort_by_key(|p| (p.span.start, p.span.end));
    out.truncate(crate::MAX_PHONES);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runs `chunks` used to find by decoding every character and asking about it,
    /// each with the character before it (the loop's `prev_char`) and after it.
    fn runs_by_char(text: &str) -> Vec<(usize, usize, Option<char>, Option<char>)> {
        let mut out = Vec::new();
        let mut it = text.char_indices().peekable();
        let mut prev_char: Option<char> = None;
        while let Some((i, c)) = it.next() {
            if digit_of(c).is_none() && !is_sep(c) {
                prev_char = Some(c);
                continue;
            }
            let mut end = i + c.len_utf8();
            let mut last = c;
            while let Some(&(j, d)) = it.peek() {
                if digit_of(d).is_none() && !is_sep(d) {
                    break;
                }
                end = j + d.len_utf8();
                last = d;
                it.next();
            }
            out.push((i, end, prev_char, it.peek().map(|&(_, d)| d)));
            prev_char = Some(last);
        }
        out
    }

    proptest::proptest! {
        /// Digits, look-alike letters, separators, full-width digits, Unicode hyphens and
        /// other multi-byte characters next to them: the same runs, with the same
        /// characters around them, as decoding every character.
        #[test]
        fn runs_read_as_bytes_are_the_runs(
            pieces in proptest::collection::vec(0usize..20, 0..40),
        ) {
            const PIECES: [&str; 20] = [
                "888", "-", " ", "(", ")", "+1", "o", "l", "I", "|", "x", "\u{FF15}", "\u{2010}",
                "\u{2014}", "é", ".", "\n", "a", "0", "\u{FF21}",
            ];
            let text: String = pieces.iter().map(|&p| PIECES[p]).collect();
            let runs: Vec<_> = chunk_runs(&text)
                .map(|(s, e)| (s, e, text[..s].chars().next_back(), text[e..].chars().next()))
                .collect();
            proptest::prop_assert_eq!(runs, runs_by_char(&text));
        }

        /// The ASCII pattern, taken for a text that is all ASCII, finds what the Unicode
        /// one finds; other texts take the Unicode one. The pieces have digits and white
        /// space of both kinds, and other characters outside ASCII; each text is also
        /// read with those left out, so that long texts take the ASCII pattern too.
        #[test]
        fn vanity_numbers_are_found_alike_by_either_pattern(
            pieces in proptest::collection::vec(0usize..24, 0..40),
        ) {
            const PIECES: [&str; 24] = [
                "1-800-", "(888) ", "888-", "+1 877 ", "1.855.", "8\u{663}\u{663}-",
                "(888)\u{a0}", "888\u{2003}", "1", "-", " ", "\n", "\u{b}", "FLOWERS",
                "AMAZON", "go", "7", "$", "é", "’", "\u{a0}", "\u{FF15}", "½", "x",
            ];
            let text: String = pieces.iter().map(|&p| PIECES[p]).collect();
            let ascii_only: String = text.chars().filter(char::is_ascii).collect();
            for text in [text, ascii_only] {
                let (mut got, mut want) = (Vec::new(), Vec::new());
                vanity(&text, &mut got);
                vanity_by(&VANITY, &text, &mut want);
                proptest::prop_assert_eq!(got, want);
                if text.is_ascii() {
                    let captures = |re: &Regex| -> Vec<String> {
                        re.captures_iter(&text).map(|c| format!("{c:?}")).collect()
                    };
                    proptest::prop_assert_eq!(captures(&VANITY_ASCII), captures(&VANITY));
                }
            }
        }
    }

    proptest::proptest! {
        /// Finding the groups only for the matches that `may_spell_a_number` finds the
        /// numbers that finding the groups of every match finds: no match the test turns
        /// away spells a number. The pieces are area codes with every prefix, separators,
        /// words of each case and length around three letters, digits and currency words.
        #[test]
        fn matches_turned_away_spell_no_number(
            pieces in proptest::collection::vec(0usize..26, 0..30),
        ) {
            const PIECES: [&str; 26] = [
                "1-800-", "(888) ", "888-", "+1 877 ", "1.855.", "1 212 ", "212-", "(212)",
                "1800 ", "833.", "8\u{663}\u{663}-", "1", "-", " ", "\n", "\t", "FLOWERS",
                "AMAZON", "go", "Ab", "ABC", "x", "7", "euro", "L-", "$",
            ];
            let text: String = pieces.iter().map(|&p| PIECES[p]).collect();
            for re in [&*VANITY, &*VANITY_ASCII] {
                let mut got = Vec::new();
                vanity_by(re, &text, &mut got);
                let mut want: Vec<PhoneRef> = Vec::new();
                for c in re.captures_iter(&text) {
                    if let Some(phone) = vanity_number(&text, &c) {
                        proptest::prop_assert!(may_spell_a_number(&c[0]), "{:?}", &c[0]);
                        want.push(phone);
                    }
                }
                want.truncate(crate::MAX_PHONES);
                proptest::prop_assert_eq!(got, want);
            }
        }
    }

    #[test]
    fn a_no_break_space_in_a_vanity_number_is_read_as_white_space() {
        // `(888)\u{a0}AMAZON-1`: a no-break space as the separator is found by the
        // Unicode pattern only, so a text outside ASCII must not take the ASCII one.
        let text = "Call (888)\u{a0}AMAZON-1 now";
        assert!(VANITY.is_match(text));
        assert!(!VANITY_ASCII.is_match(text));
        let mut found = Vec::new();
        vanity(text, &mut found);
        assert_eq!(found.len(), 1, "{found:?}");
    }
    use redflag_message::{Channel, TextInput, parse_text_message};

    fn msg(text: &str, sender: Option<&str>) -> Message {
        parse_text_message(TextInput {
            channel: Channel::Sms,
            text,
            sender,
            subject: None,
        })
        .expect("message")
    }

    fn phones(text: &str) -> Vec<PhoneRef> {
        let m = msg(text, None);
        find(&m, &NormText::default())
    }

    fn raws(text: &str) -> Vec<String> {
        phones(text).into_iter().map(|p| p.raw).collect()
    }

    fn one(text: &str) -> PhoneRef {
        let mut p = phones(text);
        assert_eq!(p.len(), 1, "{text}: {p:#?}");
        p.remove(0)
    }

    #[test]
    fn national_formats_when_the_message_says_its_country() {
        // Japanese text: a Tokyo number and an IP phone number in national format.
        let p = one("至急ご連絡ください。アマゾンカスタマーセンター 03-6869-2471");
        assert_eq!(p.e164.as_deref(), Some("+81368692471"));
        let p = one("本日ご連絡なき場合、法的手続きへ移行致します。アマゾン相談係 05068815063");
        assert_eq!(p.e164.as_deref(), Some("+815068815063"));
        // A German domain in the text: a Berlin number.
        let p = one("Rufen Sie uns an: 030 12345678 (kundenservice@amazon-hilfe.de)");
        assert_eq!(p.e164.as_deref(), Some("+493012345678"));
        // No country in sight: a run starting with 0 is not read as a number.
        assert!(phones("Your reference is 0362609575.").is_empty());
        // Digits glued on make it part of something longer.
        assert!(phones("注文番号 0362609575123 のご確認").is_empty());
    }

    #[test]
    fn north_american_formats() {
        for (t, raw) in [
            ("Call 1-888-280-4331 now", "1-888-280-4331"),
            ("Call (888) 280-4331.", "(888) 280-4331"),
            ("Call +1 (888) 280-4331!", "+1 (888) 280-4331"),
            ("call 888.280.4331 today", "888.280.4331"),
            ("call 1 888 280 4331 today", "1 888 280 4331"),
            ("call 888 2804331", "888 2804331"),
            ("call 8882804331", "8882804331"),
            ("call +18882804331", "+18882804331"),
            ("(call 888-280-4331)", "888-280-4331"),
            ("Call 1-888-280-4331.Thanks", "1-888-280-4331"),
            ("tel:+1-888-280-4331", "+1-888-280-4331"),
        ] {
            let p = one(t);
            assert_eq!(p.raw, raw, "{t}");
            assert_eq!(p.e164.as_deref(), Some("+18882804331"), "{t}");
            assert!(p.valid, "{t}");
            assert_eq!(p.kind, PhoneKind::TollFree, "{t}");
            assert!(!p.obfuscated, "{t}");
        }
        let p = one("Questions? 206-266-1000");
        assert_eq!(p.e164.as_deref(), Some("+12062661000"));
        assert_eq!(p.kind, PhoneKind::FixedLineOrMobile);
    }

    #[test]
    fn obfuscated_numbers() {
        let p = one("Call 1-8OO-280-4331 now");
        assert_eq!(p.e164.as_deref(), Some("+18002804331"));
        assert!(p.obfuscated && p.valid);
        let p = one("Call l-888-280-4331");
        assert_eq!(p.e164.as_deref(), Some("+18882804331"));
        assert!(p.obfuscated);
        let p = one("Call 1 8 8 8 2 8 0 4 3 3 1 now");
        assert_eq!(p.raw, "1 8 8 8 2 8 0 4 3 3 1");
        assert_eq!(p.e164.as_deref(), Some("+18882804331"));
        assert!(p.obfuscated);
        let p = one("Call １-８８８-２８０-４３３１");
        assert_eq!(p.e164.as_deref(), Some("+18882804331"));
        assert!(p.obfuscated);
    }

    #[test]
    fn amounts_are_not_vanity_numbers() {
        assert!(phones("a bundle for 1.330 Euro inc. VAT").is_empty());
        assert!(phones("only 1 500 dollars").is_empty());
    }

    #[test]
    fn postal_codes_are_not_vanity_numbers() {
        assert!(raws("Registered office: L-1855 Luxembourg. Share capital").is_empty());
        assert!(raws("Call 1855 Luxembourg office").is_empty());
        assert!(raws("Deliver to 1920 FARRIOR AVE SE").is_empty());
    }

    #[test]
    fn vanity_numbers() {
        let p = one("Order at 1-800-FLOWERS today");
        assert_eq!(p.raw, "1-800-FLOWERS");
        assert_eq!(p.e164.as_deref(), Some("+18003569377"));
        assert!(p.obfuscated);
        assert_eq!(
            one("Call 1-888-AMAZON1 now").e164.as_deref(),
            Some("+18882629661")
        );
        assert_eq!(one("Call 1-800-MATTRESS").raw, "1-800-MATTRESS");
        assert!(phones("We charged $888 AMAZON PRIME fees").is_empty());
        assert!(phones("Call 888 to PAY NOW").is_empty());
    }

    #[test]
    fn international() {
        let p = one("Ring +44 20 7946 0958 today");
        assert_eq!(p.e164.as_deref(), Some("+442079460958"));
        assert!(p.valid);
        let p = one("Ring +44 (0) 20 7946 0958.");
        assert_eq!(p.raw, "+44 (0) 20 7946 0958");
        assert_eq!(p.e164.as_deref(), Some("+442079460958"));
        let p = one("Call +91 98765 43210 now");
        assert_eq!(p.kind, PhoneKind::Mobile);
        assert!(phones("Code +12 34").is_empty());
    }

    #[test]
    fn not_phone_numbers() {
        for t in [
            "Your order 112-1234567-1234567 has shipped",
            "Order #112-1234567-1234567",
            "Order 112 1234567 1234567",
            "D01-1234567-1234567",
            "Delivered 2024-01-15 at 10:30",
            "Total $1,499.00 charged",
            "Total $ 8882804331",
            "ZIP 98109-5210",
            "Server 192.168.0.1 or 10.0.0.1",
            "Card 4111 1111 1111 1111",
            "Card 4111-1111-1111-1111",
            "Tracking 9400 1000 0000 0000 0000 00",
            "Tracking 1Z999AA10123456784",
            "Visit https://evil.example/call/18882804331 now",
            "Visit https://evil.example/?tel=18882804331",
            "Visit 18882804331.com",
            "Mail 8882804331@evil.example",
            "ID12345678901 and ID-8882804331",
            "1 2 3 4 5 6 7 8 9 0 1 2 3 4",
            "Version 1.888.280.43",
            "Hello lol, I love it",
            "Short code 262966",
        ] {
            assert!(phones(t).is_empty(), "{t}: {:#?}", phones(t));
        }
    }

    #[test]
    fn several_and_near_text() {
        assert_eq!(
            raws("Call 888-280-4331, or 888-280-4332 2 times"),
            ["888-280-4331", "888-280-4332"]
        );
        assert_eq!(
            raws("Order 112-1234567-1234567 call 888-280-4331"),
            ["888-280-4331"]
        );
    }

    #[test]
    fn long_runs_stay_fast() {
        for pat in ["1 ", "1.", "(", "1-8OO-", "+1 ", "$1,", "lO "] {
            let text = pat.repeat(40_000 / pat.len());
            let t = std::time::Instant::now();
            let _ = phones(&text);
            assert!(t.elapsed().as_secs() < 20, "{pat}");
        }
    }

    #[test]
    fn sender_number_is_returned() {
        let m = msg("Your package is held", Some("+1 (888) 280-4331"));
        let p = find(&m, &NormText::default());
        assert_eq!(p.len(), 1);
        assert_eq!(&m.text[p[0].span.range()], "+1 (888) 280-4331");
        assert_eq!(p[0].e164.as_deref(), Some("+18882804331"));

        // A sender in a form the scanner does not take is still returned.
        let m = msg("Your package is held", Some("88828 04331"));
        let p = find(&m, &NormText::default());
        assert_eq!(p.len(), 1, "{p:#?}");
        assert_eq!(p[0].raw, "88828 04331");
        assert_eq!(p[0].e164.as_deref(), Some("+18882804331"));
    }
}
