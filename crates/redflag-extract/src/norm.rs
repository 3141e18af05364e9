//! Text normalised for matching, with a map back to the original bytes.
//!
//! The normalisation runs in three passes over the output, each output byte remembering
//! the original byte range it came from:
//!
//! 1. **Per character**: drop invisible format characters, NFKC, lowercase, strip
//!    diacritics, fold confusable letters to ASCII, fold typographic quotes and dashes,
//!    collapse white space.
//! 2. **Leetspeak** inside words (`amaz0n` → `amazon`).
//! 3. **Spaced-out letters** joined (`A m a z o n` → `amazon`).
//!
//! The passes are described on [`NormText::new`].

use redflag_message::Span;
use unicode_normalization::UnicodeNormalization;

/// A normalised copy of a text: NFKC, lowercase, zero-width and format characters removed,
/// confusable non-ASCII letters folded to their ASCII look-alike (Cyrillic `а` → `a`), leetspeak
/// inside words folded (`amaz0n` → `amazon`, `g1ft` → `gift`), spaced-out letters joined
/// (`A m a z o n` → `amazon`), and runs of white space folded to one space.
///
/// Every byte of `text` maps back to the original byte range it came from, so a match in the
/// normalised text becomes a span in the original.
#[derive(Debug, Clone, Default)]
pub struct NormText {
    /// The normalised text.
    pub text: String,
    /// For each byte of `text`, the original byte range `(start, end)` it came from.
    map: Vec<(u32, u32)>,
}

impl NormText {
    /// Normalises `original`.
    ///
    /// **Pass 1, per character** (ASCII characters take a fast path):
    /// - Invisible characters are dropped: zero-width spaces and joiners, directional marks
    ///   and embeddings, word joiner and invisible operators, BOM, soft hyphen, combining
    ///   grapheme joiner, variation selectors, tag characters, Hangul fillers (the Unicode
    ///   `Default_Ignorable_Code_Point` set).
    /// - NFKC is applied to the character (full-width and mathematical letters become ASCII,
    ///   `ﬁ` becomes `fi`), then it is lowercased.
    /// - Combining diacritical marks are dropped and letters lose their diacritics
    ///   (canonical decomposition, `ámazön` → `amazon`).
    /// - A remaining non-ASCII letter whose UTS #39 skeleton is a single ASCII letter is
    ///   folded to it (Cyrillic `а` → `a`, Greek `ο` → `o`, `ı` → `i`). Letters are only folded
    ///   to letters, never to digits (Cyrillic `з` stays `з`, not `3`).
    /// - Typographic quotes become `'` / `"`, and the Unicode dashes and minus sign become `-`.
    /// - Runs of white space (including line breaks) become one space; its map covers the
    ///   whole run.
    ///
    /// **Pass 2, leetspeak.** A *word* is a maximal run of ASCII letters, digits and `@ $ |`
    /// inside a white-space-separated token; tokens that look like email addresses
    /// (`x1@y.com`) are left alone. In a word with at least two ASCII letters:
    /// - a run of up to three digits, all of `0 1 3 4 5 7`, with letters (or `@ $ |`) on both
    ///   sides becomes `o l e a s t` (`acc0unt`, `l33t`), except that `1` (and `|`) becomes
    ///   `i` between consonants (`g1ft` → `gift`, `pr1me` → `prime`, but `c|ick` → `click`);
    /// - a single such digit starting the word becomes a letter when at least four letters
    ///   follow and they are not a unit (`0rder` → `order`; `7days`, `5pm`, `1st`, `4th` are
    ///   kept);
    /// - a run of `@ $ |` next to a letter and not next to a digit becomes `a s l` (`@mazon`,
    ///   `pa$$word`, `c|ick`; `US$25` is kept). A word-initial `@` followed by `a` is kept (a
    ///   mention like `@amazon`).
    ///
    /// Pure numbers, phone numbers, prices and trailing digits (`amazon1`) are never changed.
    ///
    /// **Pass 3, spaced letters.** A run of at least four *single* letters (an ASCII letter
    /// with no letter, digit or `@ $ |` next to it) separated by single spaces, dots, dashes
    /// or underscores is joined (`A m a z o n`, `A.M.A.Z.O.N` → `amazon`). A single leet
    /// character between two single letters of the run is folded and joined too
    /// (`a m a z 0 n` → `amazon`).
    pub fn new(original: &str) -> NormText {
        // Three passes over the characters and one over the output.
        redflag_message::work::steps(4 * original.len());
        let mut out = Out {
            text: Vec::with_capacity(original.len()),
            map: Vec::with_capacity(original.len()),
        };
        fold_chars(original, &mut out);
        fold_leet(&mut out.text);
        join_spaced(&mut out);
        // Pass 1 writes whole characters; passes 2 and 3 replace and remove ASCII bytes
        // only, so the bytes stay UTF-8 (checked, not assumed: a lossy copy if ever not).
        let text = String::from_utf8(out.text)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        NormText { text, map: out.map }
    }

    /// Maps a byte range of the normalised text back to a span of the original text.
    /// The result always lies on char boundaries of the original.
    ///
    /// The span runs from the original start of byte `start` to the original end of byte
    /// `end - 1`, so it includes anything dropped in between (zero-width characters, the
    /// separators of spaced letters). Out-of-range values are clamped; an empty range gives
    /// an empty span at the original position of `start` (or at the end of the last mapped
    /// character when `start` is at or past the end).
    pub fn to_original(&self, start: usize, end: usize) -> Span {
        let n = self.map.len();
        let start = start.min(n);
        let end = end.clamp(start, n);
        if start == end {
            let pos = match self.map.get(start) {
                Some(&(s, _)) => s as usize,
                None => self.map.last().map_or(0, |&(_, e)| e as usize),
            };
            return Span::new(pos, pos);
        }
        let (s, _) = self.map[start];
        let (_, e) = self.map[end - 1];
        Span::new(s as usize, (e as usize).max(s as usize))
    }
}

/// Offsets are stored as `u32`; texts are far below 4 GiB (saturates rather than panics).
fn off(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Characters that render as nothing (Unicode `Default_Ignorable_Code_Point`), and
/// combining marks of any script (`Aܿmܿaܿzܿoܿnܿ` hides the name behind Syriac marks): for
/// matching, a mark never changes which word is meant.
fn is_ignorable(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'..='\u{1160}'
                | '\u{17B4}'..='\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFF8}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// Combining diacritical marks (the blocks used to put accents on Latin, Greek and Cyrillic
/// letters; marks of other scripts, such as Devanagari vowel signs, are kept).
fn is_diacritic(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
    )
}

/// Typographic quotes and dashes folded to ASCII.
fn fold_punct(c: char) -> Option<char> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        _ => return None,
    })
}

/// Folds one non-ASCII character (not white space, not a diacritic) as written, before
/// lowercasing: typographic punctuation to ASCII, a letter with diacritics to its base
/// letter, and a letter confusable with a single ASCII letter to that letter (lowercase).
/// `None` when there is no ASCII fold.
fn fold_to_ascii(c: char) -> Option<char> {
    // Memoised for the Basic Multilingual Plane: the fold is a pure function of the char,
    // and computing it (decomposition, confusable skeleton) costs far more than a lookup,
    // which matters for texts made of look-alike letters. 0 means "not computed yet",
    // u32::MAX "no fold", anything else the folded char + 1.
    static MEMO: [std::sync::atomic::AtomicU32; 0x1_0000] =
        [const { std::sync::atomic::AtomicU32::new(0) }; 0x1_0000];
    let Some(slot) = MEMO.get(c as usize) else {
        return compute_fold_to_ascii(c);
    };
    match slot.load(std::sync::atomic::Ordering::Relaxed) {
        0 => {
            let f = compute_fold_to_ascii(c);
            slot.store(
                f.map_or(u32::MAX, |f| f as u32 + 1),
                std::sync::atomic::Ordering::Relaxed,
            );
            f
        }
        u32::MAX => None,
        v => char::from_u32(v - 1),
    }
}

fn compute_fold_to_ascii(c: char) -> Option<char> {
    if let Some(p) = fold_punct(c) {
        return Some(p);
    }
    if !c.is_alphabetic() {
        return None;
    }
    let base = strip_diacritics(c);
    if base.is_ascii() {
        return Some(base.to_ascii_lowercase());
    }
    // Confusable with a single ASCII letter? (Cyrillic `а` and `М`, Greek `ο`.)
    let mut buf = [0u8; 4];
    let mut sk =
        unicode_security::skeleton(base.encode_utf8(&mut buf)).filter(|&d| !is_diacritic(d));
    match (sk.next(), sk.next()) {
        (Some(a), None) if a.is_ascii_alphabetic() => Some(a.to_ascii_lowercase()),
        _ => None,
    }
}

/// A letter without its diacritics (the canonical decomposition without its combining
/// marks), or the letter itself when it does not decompose to one base letter.
fn strip_diacritics(c: char) -> char {
    let mut base = None;
    let mut bases = 0;
    unicode_normalization::char::decompose_canonical(c, |d| {
        if !is_diacritic(d) {
            bases += 1;
            base.get_or_insert(d);
        }
    });
    match base {
        Some(b) if bases == 1 => b,
        _ => c,
    }
}

/// The normalised text being written: its bytes and, per byte, the original range.
///
/// Passes 2 and 3 work on the bytes: they only look at, replace or remove ASCII
/// characters, and no byte of a multi-byte character is ASCII, so a byte index stands for
/// a character wherever they decide anything.
struct Out {
    text: Vec<u8>,
    map: Vec<(u32, u32)>,
}

impl Out {
    /// Appends a character; white space joins a preceding space (extending its range).
    /// Inlined: it runs once per character of every text, and a call cost as much as its
    /// work.
    #[inline(always)]
    fn push(&mut self, c: char, start: u32, end: u32) {
        if c.is_whitespace() {
            if self.text.last() == Some(&b' ') {
                if let Some(last) = self.map.last_mut() {
                    last.1 = end;
                }
                return;
            }
            self.text.push(b' ');
            self.map.push((start, end));
        } else if c.is_ascii() {
            self.text.push(c as u8);
            self.map.push((start, end));
        } else {
            let mut buf = [0u8; 4];
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            self.text.extend_from_slice(bytes);
            self.map
                .extend(std::iter::repeat_n((start, end), bytes.len()));
        }
    }
}

/// Pushes one NFKC character: white space, ASCII (lowercased), or a non-ASCII character
/// folded as written, else lowercased and folded, else lowercased without diacritics.
fn push_folded(out: &mut Out, n: char, start: u32, end: u32) {
    if n.is_ascii() || n.is_whitespace() {
        out.push(n.to_ascii_lowercase(), start, end);
        return;
    }
    if is_diacritic(n) || is_ignorable(n) {
        return;
    }
    if let Some(a) = fold_to_ascii(n) {
        out.push(a, start, end);
        return;
    }
    for l in n.to_lowercase() {
        if l.is_ascii() || l.is_whitespace() {
            out.push(l, start, end);
        } else if !is_diacritic(l) && !is_ignorable(l) {
            let f = fold_to_ascii(l).unwrap_or_else(|| strip_diacritics(l));
            out.push(f, start, end);
        }
    }
}

/// Pass 1: per-character folding and white-space collapsing. ASCII is read byte by byte
/// (one table lookup); only the other characters are decoded.
fn fold_chars(original: &str, out: &mut Out) {
    let bytes = original.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            out.push(char::from(b.to_ascii_lowercase()), off(i), off(i + 1));
            // The ASCII after it is copied lowercased, one range per byte, up to white
            // space other than a single space after a character that is not white space
            // (which `Out::push` would not join to anything either).
            let run_end = ascii_run_end(bytes, i + 1);
            let from = out.text.len();
            out.text.extend_from_slice(&bytes[i + 1..run_end]);
            out.text[from..].make_ascii_lowercase();
            match (u32::try_from(i + 1), u32::try_from(run_end)) {
                (Ok(s), Ok(e)) => out.map.extend((s..e).map(|j| (j, j + 1))),
                _ => out
                    .map
                    .extend((i + 1..run_end).map(|j| (off(j), off(j + 1)))),
            }
            i = run_end;
            continue;
        }
        let Some(c) = original.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        let (start, end) = (off(i), off(i + c.len_utf8()));
        if !is_ignorable(c) && !is_diacritic(c) {
            for n in std::iter::once(c).nfkc() {
                push_folded(out, n, start, end);
            }
        }
        i += c.len_utf8();
    }
}

/// Where the run of ASCII that pass 1 can copy as it is, starting at `from` (after an ASCII
/// byte already pushed), ends: at a byte outside ASCII, at white space other than a space,
/// or at a space that follows white space (it joins it).
fn ascii_run_end(bytes: &[u8], from: usize) -> usize {
    let mut e = from;
    while let Some(&b) = bytes.get(e) {
        let after_white = || {
            e.checked_sub(1)
                .and_then(|p| bytes.get(p))
                .is_some_and(|&p| CLASS[usize::from(p)] & WHITE != 0)
        };
        if CLASS[usize::from(b)] & NOT_PLAIN != 0 && (b != b' ' || after_white()) {
            break;
        }
        e += 1;
    }
    e
}

/// [`CLASS`] bit: a byte that makes up a word for leetspeak (ASCII letters, digits,
/// `@ $ |`).
const WORD: u8 = 1;
/// [`CLASS`] bit: a leet character, one [`leet_byte`] reads as a letter.
const LEET: u8 = 2;

/// [`CLASS`] bit: an ASCII white-space character (`char::is_whitespace`), or a byte of a
/// character outside ASCII; pass 1 copies every other byte lowercased.
const NOT_PLAIN: u8 = 4;
/// [`CLASS`] bit: an ASCII white-space character.
const WHITE: u8 = 8;

/// What each byte is for the passes, one lookup instead of a chain of compares: they run
/// over every byte of every text.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() || matches!(c, b'@' | b'$' | b'|') {
            t[b] |= WORD;
        }
        if matches!(
            c,
            b'0' | b'1' | b'3' | b'4' | b'5' | b'7' | b'|' | b'@' | b'$'
        ) {
            t[b] |= LEET;
        }
        if !c.is_ascii() || (c as char).is_whitespace() {
            t[b] |= NOT_PLAIN;
        }
        if c.is_ascii() && (c as char).is_whitespace() {
            t[b] |= WHITE;
        }
        b += 1;
    }
    t
};

/// Bytes that make up a word for leetspeak: ASCII letters, digits, `@ $ |`.
fn is_word_char(b: u8) -> bool {
    CLASS[usize::from(b)] & WORD != 0
}

/// Whether [`leet_byte`] reads `b` as a letter.
fn is_leet(b: u8) -> bool {
    CLASS[usize::from(b)] & LEET != 0
}

/// The letter a leet digit or symbol stands for (`0` → `o`, `4`/`@` → `a`).
pub fn leet(c: char) -> Option<char> {
    leet_byte(u8::try_from(c).ok()?).map(char::from)
}

/// [`leet`] of one byte.
fn leet_byte(b: u8) -> Option<u8> {
    Some(match b {
        b'0' => b'o',
        b'1' | b'|' => b'l',
        b'3' => b'e',
        b'4' | b'@' => b'a',
        b'5' | b'$' => b's',
        b'7' => b't',
        _ => return None,
    })
}

/// The letter a leet character stands for, given its neighbours: `1` and `|` are `i` between
/// consonants (`g1ft`, `pr1me`, `1nvoice`) and `l` otherwise (`c|ick`, `1ogin`, `he1p`).
fn leet_between(c: u8, prev: Option<u8>, next: Option<u8>) -> Option<u8> {
    let l = leet_byte(c)?;
    if l != b'l' {
        return Some(l);
    }
    let consonant = |x: Option<u8>| {
        x.map(|x| leet_byte(x).unwrap_or(x)).is_none_or(|x| {
            x.is_ascii_alphabetic() && !matches!(x, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
        })
    };
    let vowel_needed = (prev.is_some() || next.is_some()) && consonant(prev) && consonant(next);
    Some(if vowel_needed { b'i' } else { b'l' })
}

/// What a word character is, for leetspeak decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Letter,
    Digit,
    Symbol,
}

fn kind(b: u8) -> Kind {
    if b.is_ascii_digit() {
        Kind::Digit
    } else if b.is_ascii_alphabetic() {
        Kind::Letter
    } else {
        Kind::Symbol
    }
}

/// Words that commonly follow a number directly (`7days`); a leading digit before them is
/// a number, not leetspeak.
const UNITS: &[&str] = &[
    "days", "hours", "hrs", "mins", "minutes", "seconds", "secs", "weeks", "months", "years",
    "times", "items", "dollars", "bucks", "euros", "pounds", "units", "pack", "packs", "pieces",
    "stars", "digits", "people", "orders", "gifts", "cards",
];

/// Pass 2: leetspeak inside words.
fn fold_leet(text: &mut [u8]) {
    // Only a leet character ever changes: most texts have none, or few.
    let Some(first) = text.iter().position(|&b| is_leet(b)) else {
        return;
    };
    // Start at the token of the first one.
    let mut i = text[..first]
        .iter()
        .rposition(|&b| b == b' ')
        .map_or(0, |p| p + 1);
    while i < text.len() {
        if text[i] == b' ' {
            i += 1;
            continue;
        }
        let tok_end = memchr::memchr(b' ', &text[i..]).map_or(text.len(), |p| i + p);
        let tok = &mut text[i..tok_end];
        if tok.iter().any(|&b| is_leet(b)) && !looks_like_email(tok) {
            let mut j = 0;
            while j < tok.len() {
                if !is_word_char(tok[j]) {
                    j += 1;
                    continue;
                }
                let w_end = tok[j..]
                    .iter()
                    .position(|&b| !is_word_char(b))
                    .map_or(tok.len(), |p| j + p);
                fold_word(&mut tok[j..w_end]);
                j = w_end;
            }
        }
        i = tok_end;
    }
}

/// A token with an `@` between an address character and a letter or digit.
fn looks_like_email(tok: &[u8]) -> bool {
    tok.windows(3).any(|w| {
        w[1] == b'@'
            && (w[0].is_ascii_alphanumeric() || matches!(w[0], b'.' | b'_' | b'-' | b'+'))
            && w[2].is_ascii_alphanumeric()
    })
}

/// Folds leetspeak in one word (see [`NormText::new`]).
fn fold_word(w: &mut [u8]) {
    // Most words are plain letters: nothing to do, no allocation.
    if w.iter().all(u8::is_ascii_alphabetic)
        || w.iter().filter(|b| b.is_ascii_alphabetic()).count() < 2
    {
        return;
    }
    let n = w.len();
    // Decide on the unchanged word, then apply.
    let mut fold = vec![false; n];
    let mut x = 0;
    while x < n {
        let k = kind(w[x]);
        if k == Kind::Letter {
            x += 1;
            continue;
        }
        let y = w[x..]
            .iter()
            .position(|&b| kind(b) != k)
            .map_or(n, |p| x + p);
        let prev = (x > 0).then(|| kind(w[x - 1]));
        let next = (y < n).then(|| kind(w[y]));
        let lettery = |k: Option<Kind>| matches!(k, Some(Kind::Letter | Kind::Symbol));
        let ok = match k {
            Kind::Digit => {
                let mappable = y - x <= 3 && w[x..y].iter().all(|&b| leet_byte(b).is_some());
                let middle = lettery(prev) && lettery(next);
                let leading = x == 0
                    && y == 1
                    && n - y >= 4
                    && w[y..]
                        .iter()
                        .all(|&b| kind(b) != Kind::Digit || leet_byte(b).is_some())
                    && !UNITS.iter().any(|unit| w[y..] == *unit.as_bytes());
                mappable && (middle || leading)
            }
            Kind::Symbol => {
                let near_letter = prev == Some(Kind::Letter) || next == Some(Kind::Letter);
                let near_digit = prev == Some(Kind::Digit) || next == Some(Kind::Digit);
                let mention = x == 0 && w[0] == b'@' && y < n && w[y] == b'a';
                near_letter && !near_digit && !mention
            }
            Kind::Letter => false,
        };
        if ok {
            fold[x..y].iter_mut().for_each(|f| *f = true);
        }
        x = y;
    }
    let orig = w.to_vec();
    for (i, b) in w.iter_mut().enumerate() {
        let prev = i.checked_sub(1).map(|p| orig[p]);
        if fold[i]
            && let Some(l) = leet_between(*b, prev, orig.get(i + 1).copied())
        {
            *b = l;
        }
    }
}

/// Pass 3: joins runs of spaced-out single letters.
fn join_spaced(out: &mut Out) {
    let units = &out.text;
    let n = units.len();
    let is_sep = |i: usize| matches!(units[i], b' ' | b'.' | b'-' | b'_');
    // A character with no word character on either side.
    let isolated = |i: usize| {
        (i == 0 || !is_word_char(units[i - 1])) && (i + 1 >= n || !is_word_char(units[i + 1]))
    };
    let single_letter = |i: usize| units[i].is_ascii_alphabetic() && isolated(i);
    let single_leet = |i: usize| is_leet(units[i]) && isolated(i);
    let mut text: Vec<u8> = Vec::new();
    let mut map: Vec<(u32, u32)> = Vec::new();
    let mut members: Vec<usize> = Vec::new();
    let mut copied = 0;
    let mut i = 0;
    while i < n {
        if !single_letter(i) {
            // After a word character, the next single letter can only follow the next
            // byte that is not one.
            i = match is_word_char(units[i]) {
                false => i + 1,
                true => units[i + 1..]
                    .iter()
                    .position(|&b| !is_word_char(b))
                    .map_or(n, |p| i + p + 2),
            };
            continue;
        }
        // Extend the run: members at i, i+2, i+4, ... separated by one separator each.
        members.clear();
        members.push(i);
        let mut k = i;
        loop {
            if k + 2 >= n || !is_sep(k + 1) {
                break;
            }
            let m = k + 2;
            if single_letter(m) {
                members.push(m);
                k = m;
            } else if single_leet(m) && m + 2 < n && is_sep(m + 1) && single_letter(m + 2) {
                members.push(m);
                members.push(m + 2);
                k = m + 2;
            } else {
                break;
            }
        }
        let letters = members
            .iter()
            .filter(|&&m| units[m].is_ascii_alphabetic())
            .count();
        if letters >= 4 {
            text.extend_from_slice(&units[copied..i]);
            map.extend_from_slice(&out.map[copied..i]);
            for (j, &m) in members.iter().enumerate() {
                let mut b = units[m];
                if !b.is_ascii_alphabetic() {
                    let prev = j.checked_sub(1).map(|p| units[members[p]]);
                    let next = members.get(j + 1).map(|&q| units[q]);
                    b = leet_between(b, prev, next).unwrap_or(b);
                }
                text.push(b);
                map.push(out.map[m]);
            }
            copied = k + 1;
        }
        i = k + 1;
    }
    if copied == 0 {
        return;
    }
    text.extend_from_slice(&units[copied..]);
    map.extend_from_slice(&out.map[copied..]);
    out.text = text;
    out.map = map;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn norm(s: &str) -> String {
        NormText::new(s).text
    }

    #[test]
    fn basics() {
        assert_eq!(
            norm("Your Amazon  Account\n\nwas SUSPENDED"),
            "your amazon account was suspended"
        );
        assert_eq!(norm(""), "");
        assert_eq!(norm("   "), " ");
    }

    #[test]
    fn invisible_characters_are_dropped() {
        assert_eq!(norm("Ama\u{200B}zon"), "amazon");
        assert_eq!(
            norm("A\u{73f}m\u{73f}a\u{73f}z\u{73f}o\u{73f}n\u{73f}"),
            "amazon"
        );
        assert_eq!(
            norm("A\u{200C}m\u{200D}a\u{2060}z\u{FEFF}o\u{00AD}n"),
            "amazon"
        );
        assert_eq!(norm("gift\u{FE0F} card"), "gift card");
    }

    #[test]
    fn nfkc_confusables_and_diacritics() {
        assert_eq!(norm("ＡＭＡＺＯＮ"), "amazon");
        assert_eq!(norm("𝐀𝐦𝐚𝐳𝐨𝐧"), "amazon");
        assert_eq!(norm("\u{0430}mazon"), "amazon"); // Cyrillic а
        assert_eq!(norm("АМАZОN"), "amazon"); // Cyrillic capitals
        assert_eq!(norm("ámazön"), "amazon");
        assert_eq!(norm("a\u{0301}mazon"), "amazon");
        assert_eq!(norm("Amazοn"), "amazon"); // Greek omicron
        assert_eq!(norm("ﬁnal"), "final");
        assert_eq!(norm("don’t — “now”"), "don't - \"now\"");
        // Non-confusable scripts stay.
        assert_eq!(norm("注文"), "注文");
        assert!(!norm("заказ").chars().any(|c| c.is_ascii_digit()));
    }

    #[test]
    fn leetspeak() {
        assert_eq!(norm("amaz0n"), "amazon");
        assert_eq!(norm("g1ft card"), "gift card");
        assert_eq!(norm("@mazon"), "amazon");
        assert_eq!(norm("acc0unt"), "account");
        assert_eq!(norm("AMAZ0N PR1ME"), "amazon prime");
        assert_eq!(norm("l33t pa$$word c|ick"), "leet password click");
        assert_eq!(norm("0rder"), "order");
        assert_eq!(norm("4m4z0n"), "amazon");
        assert_eq!(
            norm("1nvoice he1p ver1fy c|ick |ogin"),
            "invoice help verify click login"
        );
        // Numbers are not words.
        assert_eq!(norm("Call 1-888-280-4331"), "call 1-888-280-4331");
        assert_eq!(norm("$1,499.00 US$25"), "$1,499.00 us$25");
        assert_eq!(
            norm("order 112-1234567-1234567"),
            "order 112-1234567-1234567"
        );
        assert_eq!(norm("john123@gmail.com"), "john123@gmail.com");
        assert_eq!(
            norm("7days 5pm 1st 4th 24hours amazon1"),
            "7days 5pm 1st 4th 24hours amazon1"
        );
        assert_eq!(norm("@amazon"), "@amazon");
    }

    #[test]
    fn spaced_letters() {
        assert_eq!(norm("A m a z o n"), "amazon");
        assert_eq!(norm("A.M.A.Z.O.N"), "amazon");
        assert_eq!(norm("your A-M-A-Z-O-N account"), "your amazon account");
        assert_eq!(norm("a m a z 0 n"), "amazon");
        assert_eq!(norm("U.S.A."), "u.s.a.");
        assert_eq!(norm("I am a b"), "i am a b");
        assert_eq!(norm("1 8 8 8 2 8 0"), "1 8 8 8 2 8 0");
    }

    #[test]
    fn maps_back_to_original() {
        let orig = "Your ＡＭＡＺＯＮ a\u{200B}cc0unt: A m a z o n!";
        let n = NormText::new(orig);
        let at = n.text.find("amazon").unwrap();
        assert_eq!(&orig[n.to_original(at, at + 6).range()], "ＡＭＡＺＯＮ");
        let at = n.text.find("account").unwrap();
        assert_eq!(&orig[n.to_original(at, at + 7).range()], "a\u{200B}cc0unt");
        let at = n.text.rfind("amazon").unwrap();
        assert_eq!(&orig[n.to_original(at, at + 6).range()], "A m a z o n");
        assert_eq!(n.to_original(3, 3), Span::new(3, 3));
        assert_eq!(n.to_original(500, 900), Span::new(orig.len(), orig.len()));
        assert_eq!(n.to_original(5, 2), n.to_original(5, 5));
        let e = NormText::new("\u{200B}");
        assert_eq!(e.text, "");
        assert_eq!(e.to_original(0, 1), Span::new(0, 0));
    }

    #[test]
    fn byte_classes_are_their_definitions() {
        for b in 0..=u8::MAX {
            assert_eq!(is_leet(b), leet_byte(b).is_some(), "{b}");
            let word = b.is_ascii_alphanumeric() || matches!(b, b'@' | b'$' | b'|');
            assert_eq!(is_word_char(b), word, "{b}");
            let white = b.is_ascii() && char::from(b).is_whitespace();
            assert_eq!(CLASS[usize::from(b)] & WHITE != 0, white, "{b}");
            let plain = b.is_ascii() && !white;
            assert_eq!(CLASS[usize::from(b)] & NOT_PLAIN == 0, plain, "{b}");
        }
    }

    #[test]
    fn whitespace_run_maps_to_whole_run() {
        let orig = "a \t\n b";
        let n = NormText::new(orig);
        assert_eq!(n.text, "a b");
        assert_eq!(n.to_original(1, 2), Span::new(1, 5));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn to_original_is_on_char_boundaries(s in "\\PC*", a in 0usize..200, b in 0usize..200) {
            let n = NormText::new(&s);
            let sp = n.to_original(a, b);
            prop_assert!(sp.start <= sp.end && sp.end <= s.len());
            prop_assert!(s.is_char_boundary(sp.start) && s.is_char_boundary(sp.end));
        }

        #[test]
        fn to_original_on_any_text(s in any::<String>(), a in 0usize..100, len in 0usize..50) {
            let n = NormText::new(&s);
            let sp = n.to_original(a, a + len);
            prop_assert!(sp.end <= s.len());
            prop_assert!(s.get(sp.range()).is_some());
        }

        #[test]
        fn idempotent_on_ascii_lowercase(s in "[a-z @$|._\\-,!?'\"\t\n/:]{0,60}") {
            let once = norm(&s);
            prop_assert_eq!(norm(&once), once);
        }
    }
}
