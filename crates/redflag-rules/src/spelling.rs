//! Spelling check against the embedded Hunspell dictionary.

use crate::Context;
use redflag_message::Span;
use spellbook::Dictionary;
use std::collections::BTreeSet;
use std::sync::OnceLock;
use unicode_segmentation::UnicodeSegmentation;

/// The dictionary, loaded once (about 10 ms in a release build).
fn dictionary() -> Option<&'static Dictionary> {
    static DICT: OnceLock<Option<Dictionary>> = OnceLock::new();
    DICT.get_or_init(|| {
        Dictionary::new(redflag_profile::EN_US_AFF, redflag_profile::EN_US_DIC).ok()
    })
    .as_ref()
}

/// Defines `is_function_word` and, for the tests, the list `FUNCTION_WORDS` from one list.
macro_rules! function_words {
    ($($word:literal)|+) => {
        /// Common English words: a text with few of them is not English. Each is a word
        /// the dictionary accepts (a test checks), so the check does not look them up.
        #[cfg(test)]
        const FUNCTION_WORDS: &[&str] = &[$($word),+];

        /// True for one of the function words (listed below). A `match`, which the compiler
        /// turns into a test of the length and then of a few bytes; the check asks for every
        /// word of a message.
        fn is_function_word(word: &str) -> bool {
            matches!(word, $($word)|+)
        }
    };
}

function_words!(
    "the"
        | "and"
        | "you"
        | "your"
        | "for"
        | "has"
        | "have"
        | "been"
        | "are"
        | "was"
        | "with"
        | "this"
        | "that"
        | "not"
        | "our"
        | "please"
        | "will"
        | "from"
        | "can"
        | "all"
        | "any"
        | "its"
        | "into"
        | "who"
        | "what"
        | "when"
        | "now"
        | "today"
        | "order"
        | "account"
);

/// Result of checking a body.
pub(crate) struct SpellCheck {
    /// Misspelled words (first occurrence of each).
    pub misspelled: Vec<Span>,
    /// How many words were checked.
    pub checked: usize,
}

/// Checks the lowercase words of the body. Skips capitalised words (names), words with
/// digits, very short or long words, words inside links and addresses, and the pack's extra
/// words. Returns `None` when the text does not look like English (too many unknown words).
/// Most words spell-checked in one message. Spelling is judged by the number and share of
/// misspelled words, which the first 5,000 words tell as well as the whole (a long real
/// message has a couple of thousand), so longer texts are sampled, not cut short.
pub const MAX_WORDS: usize = 5_000;

pub(crate) fn check(cx: &Context<'_>) -> Option<SpellCheck> {
    if cx.profile.lang.lang != "en" {
        return None;
    }
    let dict = dictionary()?;
    let body = cx.msg.body_span();
    let text = cx.text(body);
    let mut skip: Vec<Span> = cx
        .ind
        .urls
        .iter()
        .map(|u| u.span)
        .chain(cx.ind.emails.iter().map(|e| e.span))
        .collect();
    skip.sort_by_key(|s| (s.start, s.end));
    // Links and addresses still ahead of the word being read (words come in text order).
    let mut ahead = skip.as_slice();
    let mut seen = BTreeSet::new();
    let mut misspelled = Vec::new();
    let mut checked = 0usize;
    let mut function_words = 0usize;
    for (off, word) in word_indices(text) {
        redflag_message::work::steps(word.len());
        if checked >= MAX_WORDS {
            break;
        }
        let start = body.start + off;
        let span = Span::new(start, start + word.len());
        while ahead.first().is_some_and(|s| s.end <= span.start) {
            ahead = &ahead[1..];
        }
        let n = word.chars().count();
        if !(3..=18).contains(&n)
            || !word
                .chars()
                .all(|c| c.is_alphabetic() || c == '\'' || c == '’')
        {
            continue;
        }
        if word.chars().any(char::is_uppercase) {
            continue;
        }
        if ahead
            .iter()
            .take_while(|s| s.start <= span.start)
            .any(|s| s.contains(span))
        {
            continue;
        }
        checked += 1;
        // A function word is spelt right: the dictionary (about 800 instructions a word)
        // is asked about the other words only.
        if is_function_word(word) {
            function_words += 1;
            continue;
        }
        if cx.profile.lang.spelling.is_extra_word(word) || dict.check(word) {
            continue;
        }
        if seen.insert(word.to_string()) {
            misspelled.push(span);
        }
    }
    // Too few common English words: another language, not bad English.
    if checked >= 8 && function_words * 100 < checked * 8 {
        return None;
    }
    Some(SpellCheck {
        misspelled,
        checked,
    })
}

/// The words of `text` with their byte offsets, exactly as
/// [`UnicodeSegmentation::unicode_word_indices`] lists them (Unicode's word boundaries,
/// UAX #29, keeping the pieces with a letter or digit), read line by line.
///
/// unicode-segmentation reads an all-ASCII string with a fast path and anything else with
/// its general state machine, which looks up each character's class in a table: one `©`
/// sends a whole message through the slow path. Lines may be read apart because rules WB3a
/// and WB3b put a boundary on both sides of every line feed, before any other rule, and no
/// rule reads across one (the rules that look a character further, WB6, WB7, WB11 and
/// WB12, need a letter or digit there, and WB4 attaches nothing to a line feed). So each
/// line gets the fast path when it is ASCII, and the words are the same.
fn word_indices(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split('\n').flat_map(move |line| {
        let start = at;
        at += line.len() + 1;
        line.unicode_word_indices()
            .map(move |(off, word)| (start + off, word))
    })
}

/// Whether an ASCII word may hold a look-alike letter: an `I`, `l` or `0` first, or an `I`
/// or `0` later. Most words do not: they are ruled out before any allocation.
fn may_hide_letters(word: &[u8]) -> bool {
    word.split_first().is_some_and(|(&first, rest)| {
        matches!(first, b'I' | b'l' | b'0') || rest.iter().any(|&b| b == b'I' || b == b'0')
    })
}

/// The maximal runs of ASCII letters and digits in `text` that [`may_hide_letters`], with
/// their byte offsets, in text order.
///
/// Found from the places of `I`, `l` and `0` (one vectorised search), not by reading every
/// word: a run is read only around such a place, and only once (word by word, a corpus
/// text message, 132 bytes on average, took about 4,200 instructions). No byte of a
/// multi-byte UTF-8 character is an ASCII letter or digit, so the runs are those of the
/// characters, and every run starts and ends on a character boundary.
fn lookalike_candidates(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    // Where the last run read ends: the later places in it are that run's.
    let mut done = 0;
    memchr::memchr3_iter(b'I', b'l', b'0', bytes).filter_map(move |at| {
        if at < done {
            return None;
        }
        let start = bytes[..at]
            .iter()
            .rposition(|b| !b.is_ascii_alphanumeric())
            .map_or(0, |i| i + 1);
        let end = bytes[at..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(bytes.len(), |n| at + n);
        done = end;
        may_hide_letters(&bytes[start..end]).then(|| (start, &text[start..end]))
    })
}

/// Words disguised with look-alike letters: a capital `I` standing for `l` (`cIick`,
/// `Iocked`, `AppIe`), an `l` for `i` (`lnformation`) or a zero for `o` (`0ne`, `0f`), where the word only becomes an
/// English word once the letter is put back. Each distinct word once, in text order.
pub(crate) fn lookalike_letter_words(cx: &Context<'_>) -> Vec<Span> {
    if cx.profile.lang.lang != "en" {
        return Vec::new();
    }
    let Some(dict) = dictionary() else {
        return Vec::new();
    };
    let content = cx.content;
    let text = cx.text(content);
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    // ASCII letter-and-digit runs: `_0ne_Year_0f_` is three words, not one.
    for (off, word) in lookalike_candidates(text) {
        let n = word.chars().count();
        let letters = word.chars().filter(char::is_ascii_alphabetic).count();
        // Two-character words only as the short words scammers spell with a zero (`0f`).
        let short_word = matches!(word, "0f" | "0n" | "0r");
        if !(2..=18).contains(&n)
            || (letters < 2 && !short_word)
            || !word.chars().all(|c| c.is_ascii_alphabetic() || c == '0')
            // `C0N`, `W0K`: short capital codes, not words.
            || (n < 4 && !short_word && !word.chars().any(|c| c.is_ascii_lowercase()))
        {
            continue;
        }
        let Some(fixed) = restore_letters(word) else {
            continue;
        };
        // A short capitalised word changed only at its start is more likely a name
        // (`Iain`) than a disguise.
        if n < 6 && word.starts_with('I') && fixed[1..] == plain_tail(word) {
            continue;
        }
        let plain = word.to_lowercase();
        // The brand's own name in disguise is IMP002's finding.
        if fixed.eq_ignore_ascii_case(&cx.profile.brand.name) {
            continue;
        }
        if dict.check(&plain) || !dict.check(&fixed) {
            continue;
        }
        if seen.insert(plain) {
            let start = content.start + off;
            out.push(Span::new(start, start + word.len()));
        }
    }
    out
}

/// The word after its first letter, lowercased.
fn plain_tail(word: &str) -> String {
    word.chars().skip(1).collect::<String>().to_lowercase()
}

/// The word with its look-alike letters put back, lowercased, when it has any: a capital
/// `I` after a lowercase letter or before lowercase letters (`temporariIy`, `Iocked`), or a
/// leading `l` before a consonant (`lnformation`). `None` for a word without them.
fn restore_letters(word: &str) -> Option<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut changed = false;
    let mut out = String::with_capacity(word.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev_lower = i > 0 && chars[i - 1].is_ascii_lowercase();
        let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
        let next_alpha = chars.get(i + 1).is_some_and(char::is_ascii_alphabetic);
        if c == '0' && (prev_lower || next_alpha) {
            out.push('o');
            changed = true;
        } else if c == 'I' && (prev_lower || (i == 0 && next_lower)) {
            out.push('l');
            changed = true;
        } else if c == 'l'
            && i == 0
            && chars.len() >= 5
            && chars
                .get(1)
                .is_some_and(|n| matches!(n, 'n' | 'm' | 'd' | 't' | 's'))
        {
            out.push('i');
            changed = true;
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::{
        FUNCTION_WORDS, dictionary, is_function_word, lookalike_candidates, may_hide_letters,
        restore_letters, word_indices,
    };
    use proptest::prelude::*;
    use unicode_segmentation::UnicodeSegmentation;

    /// The check skips the dictionary for function words, so each must be one it accepts;
    /// and the matcher knows the list's words and no others (near misses: other case,
    /// plural, a piece).
    #[test]
    fn function_words_are_spelt_right() {
        let dict = dictionary().expect("dictionary");
        for w in FUNCTION_WORDS {
            assert!(dict.check(w), "{w:?}");
            assert!(is_function_word(w), "{w:?}");
            for near in [w.to_uppercase(), format!("{w}s"), w[1..].to_string()] {
                assert_eq!(
                    is_function_word(&near),
                    FUNCTION_WORDS.contains(&near.as_str())
                );
            }
        }
        assert!(!is_function_word("teh"));
    }

    /// Characters that decide word boundaries: each ASCII class of UAX #29 (letters,
    /// digits, `_`, the middle marks, spaces, line breaks, quotes), and outside ASCII a
    /// letter, a full-width letter, a curly apostrophe, combining marks (one of them a
    /// letter), joiners, an emoji, regional indicators, Hebrew, katakana, a wide space and
    /// the other line breaks.
    const PIECES: &[&str] = &[
        "a", "Z", "7", "_", ".", ":", "'", ",", ";", "\"", " ", "\t", "\n", "\r", "\r\n", "\u{b}",
        "\u{c}", "-", "©", "’", "é", "Ａ", "\u{301}", "\u{903}", "\u{200d}", "\u{200b}", "👍", "🇺",
        "🇸", "א", "カ", "\u{85}", "\u{2028}", "\u{2003}", "\u{a0}",
    ];

    /// The empty text and every text of up to `rounds` of the pieces joined.
    fn joined(pieces: &[&str], rounds: usize) -> Vec<String> {
        let mut texts = vec![String::new()];
        for _ in 0..rounds {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(longer);
            texts.dedup();
        }
        texts
    }

    fn assert_same_words(text: &str) {
        let got: Vec<(usize, &str)> = word_indices(text).collect();
        let want: Vec<(usize, &str)> = text.unicode_word_indices().collect();
        assert_eq!(got, want, "{text:?}");
    }

    #[test]
    fn words_read_line_by_line_are_the_words_of_the_whole_text() {
        for text in [
            "",
            "\n",
            "one\ntwo",
            "e.g.\nit's 3.14 and 1,000\n",
            "\n\u{301}a\n",
            "a.\nb",
            "a\n.b",
            "©2026 Amazon.com, Inc.\nYour order has shipped.",
            "\u{2003}\n\u{903}x",
        ] {
            assert_same_words(text);
        }
        for text in &joined(PIECES, 3) {
            assert_same_words(text);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn words_match_unicode_segmentation_on_mixed_pieces(
            picks in proptest::collection::vec(0..PIECES.len(), 0..40),
        ) {
            let text: String = picks.iter().map(|&i| PIECES[i]).collect();
            assert_same_words(&text);
        }

        #[test]
        fn words_match_unicode_segmentation_on_any_text(text in "\\PC*") {
            assert_same_words(&text);
        }

        #[test]
        fn words_match_unicode_segmentation_on_any_string(text in any::<String>()) {
            assert_same_words(&text);
        }
    }

    /// The runs as they were found before: per character, a start where the character
    /// before is not an ASCII letter or digit, then up to the next such character.
    fn runs_by_chars(text: &str) -> Vec<(usize, &str)> {
        text.char_indices()
            .filter(|&(i, c)| {
                c.is_ascii_alphanumeric()
                    && text[..i]
                        .chars()
                        .next_back()
                        .is_none_or(|p| !p.is_ascii_alphanumeric())
            })
            .map(|(i, _)| {
                let end = text[i..]
                    .find(|c: char| !c.is_ascii_alphanumeric())
                    .map_or(text.len(), |e| i + e);
                (i, &text[i..end])
            })
            .collect()
    }

    /// The candidate runs found from the places of `I`, `l` and `0` are the runs of
    /// characters that may hide a letter, in order, each once.
    #[test]
    fn lookalike_candidates_are_the_runs_of_characters_that_may_hide_a_letter() {
        let pieces = [
            "a", "Z", "0", "I", "l", " ", "_", "é", "Ａ", "🎁", "\u{200b}",
        ];
        for text in &joined(&pieces, 4) {
            let got: Vec<(usize, &str)> = lookalike_candidates(text).collect();
            let want: Vec<(usize, &str)> = runs_by_chars(text)
                .into_iter()
                .filter(|(_, w)| may_hide_letters(w.as_bytes()))
                .collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    proptest! {
        /// The same on longer texts, where runs hold several places.
        #[test]
        fn lookalike_candidates_match_the_runs_on_long_texts(
            parts in proptest::collection::vec(
                prop::sample::select(vec!["a", "l", "I", "0", "ll", "Il0", " ", ".", "é", "\n"]),
                0..60,
            )
        ) {
            let text = parts.concat();
            let got: Vec<(usize, &str)> = lookalike_candidates(&text).collect();
            let want: Vec<(usize, &str)> = runs_by_chars(&text)
                .into_iter()
                .filter(|(_, w)| may_hide_letters(w.as_bytes()))
                .collect();
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn look_alike_letters_are_put_back() {
        assert_eq!(
            restore_letters("temporariIy").as_deref(),
            Some("temporarily")
        );
        assert_eq!(restore_letters("Iocked").as_deref(), Some("locked"));
        assert_eq!(restore_letters("AppIe").as_deref(), Some("apple"));
        assert_eq!(
            restore_letters("lnformation").as_deref(),
            Some("information")
        );
        assert_eq!(restore_letters("Idea").as_deref(), Some("ldea"));
        assert_eq!(restore_letters("IBM"), None);
        assert_eq!(restore_letters("locked"), None);
        assert_eq!(restore_letters("0ne").as_deref(), Some("one"));
        assert_eq!(restore_letters("2000"), None);
    }
}
