//! Spelling check against the embedded Hunspell dictionary.

use crate::Context;
use redflag_message::Span;
use spellbook::Dictionary;
use std::collections::{BTreeSet, HashSet};
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

/// Common English words: a text with few of them is not English.
const FUNCTION_WORDS: &[&str] = &[
    "the", "and", "you", "your", "for", "has", "have", "been", "are", "was", "with", "this",
    "that", "not", "our", "please", "will", "from", "can", "all", "any", "its", "into", "who",
    "what", "when", "now", "today", "order", "account",
];

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
pub(crate) fn check(cx: &Context<'_>) -> Option<SpellCheck> {
    if cx.profile.lang.lang != "en" {
        return None;
    }
    let dict = dictionary()?;
    let extra: HashSet<&str> = cx
        .profile
        .lang
        .spelling
        .extra_words
        .iter()
        .map(String::as_str)
        .collect();
    let body = cx.msg.body_span();
    let text = cx.text(body);
    let skip: Vec<Span> = cx
        .ind
        .urls
        .iter()
        .map(|u| u.span)
        .chain(cx.ind.emails.iter().map(|e| e.span))
        .collect();
    let mut seen = BTreeSet::new();
    let mut misspelled = Vec::new();
    let mut checked = 0usize;
    let mut function_words = 0usize;
    for (off, word) in text.unicode_word_indices() {
        let start = body.start + off;
        let span = Span::new(start, start + word.len());
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
        if skip.iter().any(|s| s.contains(span)) {
            continue;
        }
        checked += 1;
        if FUNCTION_WORDS.contains(&word) {
            function_words += 1;
        }
        if extra.contains(word) || dict.check(word) {
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
