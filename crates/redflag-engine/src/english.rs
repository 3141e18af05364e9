//! A text that is plainly English, told from its small words in one pass: the report's
//! language is then English without ranking the text's trigrams (`langid.rs`).
//!
//! Most messages redflag reads are English, and for them the trigram ranking (a tenth of a
//! check) only confirms what "the", "your" and "please" already say. This module answers
//! "plainly English" when a text has at least three small words only English uses, one word
//! in six is an English small word, and for every ten of the first there is at most one
//! small word of the other seven languages or word with an accented Latin letter. Anything
//! else (a short text, a mixed one, a text in another language) still goes to the ranking.
//!
//! It can only ever answer English, which is also what the report falls back to when the
//! ranking is unsure; so it changes an answer only where the ranking calls a text another
//! language although its small words are English. Over the 16,564 messages of the corpus,
//! the reference sets and the fixtures it answers for three in five (four in five corpus
//! emails) and changes 27 answers, all of them English texts the ranking called French,
//! Dutch, German or Portuguese (a one-line question whether the neighbours had picked it up:
//! French). The measurement and the command are in docs/performance.md (twelfth round).

use rustc_hash::FxHashMap as HashMap;
use std::sync::LazyLock;

/// Fewest English-only small words a text needs to be plainly English.
const MIN_ENGLISH: usize = 3;

/// Of every this many words, at least one must be an English small word (of either kind).
const ENGLISH_ONE_IN: usize = 6;

/// For every this many English-only small words, at most one word may be another
/// language's small word or hold an accented Latin letter.
const FOREIGN_ONE_IN: usize = 10;

/// Small words only English of the eight uses.
const ENGLISH_ONLY: &[&str] = &[
    "the", "and", "you", "your", "for", "this", "that", "with", "have", "has", "our", "are", "be",
    "it", "please", "from", "not", "been", "can", "if", "at", "us", "here", "would", "should",
    "which", "what", "when", "they", "their", "there", "these", "about", "into", "than", "them",
    "his", "does", "did", "just", "now", "only", "any", "all", "more", "some", "were", "had",
    "how", "who", "may", "must", "need", "out", "get",
];

/// English small words that are also small words of another of the eight ("in", "is",
/// "to", "was"): they count as English words, but not as proof of English.
const ENGLISH_SHARED: &[&str] = &[
    "a", "i", "in", "is", "to", "on", "was", "will", "we", "by", "or", "do", "no", "an", "me",
    "of", "so", "as", "he", "am", "also", "my", "her",
];

/// Small words of the other seven languages that are not English words.
#[rustfmt::skip]
const OTHERS: &[&str] = &[
    // German
    "der", "die", "und", "das", "ist", "nicht", "sie", "mit", "ein", "eine", "ihr", "ihre",
    "ihren", "wir", "sich", "auf", "werden", "wurde", "bitte", "den", "dem", "zu", "von", "ich",
    // French
    "le", "les", "des", "est", "vous", "votre", "vos", "pour", "une", "et", "du", "pas", "qui",
    "dans", "sur", "avec", "nous", "ce", "cette", "au", "aux",
    // Spanish
    "el", "los", "las", "por", "para", "una", "usted", "su", "sus", "que", "del", "con", "en",
    "es", "se", "lo", "al",
    // Italian
    "il", "di", "che", "per", "non", "sono", "della", "un", "gli", "ti", "tuo", "tua", "si",
    // Portuguese
    "os", "uma", "seu", "sua", "da", "dos", "em", "pelo",
    // Dutch
    "het", "een", "van", "ik", "je", "uw", "niet", "voor", "zijn", "de", "dat", "op", "te",
    "met", "wordt", "aan",
    // Polish
    "nie", "jest", "na", "jak", "od", "po", "za", "dla",
];

/// Whose small word a word is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    EnglishOnly,
    EnglishShared,
    Other,
}

/// Most letters of a word that is looked up: they fit in one `u64`. The longest small
/// word has six.
const MAX_WORD: usize = 8;

/// The three lists by word, each word packed in a `u64` by [`pack`]. [`count`] packs a
/// text's words as it reads them, byte by byte, into the same number (`b | 0x20` lowers an
/// ASCII letter as `to_ascii_lowercase` does).
static WORDS: LazyLock<HashMap<u64, Kind>> = LazyLock::new(|| {
    let lists = [
        (ENGLISH_ONLY, Kind::EnglishOnly),
        (ENGLISH_SHARED, Kind::EnglishShared),
        (OTHERS, Kind::Other),
    ];
    let mut words = HashMap::default();
    for (list, kind) in lists {
        for w in list {
            debug_assert!(w.len() <= MAX_WORD && w.bytes().all(|b| b.is_ascii_lowercase()));
            words.insert(pack(w.as_bytes()), kind);
        }
    }
    words
});

/// Builds the word table now, not on the first text that needs it (`Engine::warm_up`).
pub(crate) fn load() {
    LazyLock::force(&WORDS);
}

/// A word of up to [`MAX_WORD`] ASCII letters, lower-cased, as one number.
fn pack(word: &[u8]) -> u64 {
    word.iter()
        .take(MAX_WORD)
        .enumerate()
        .fold(0, |key, (i, &b)| {
            key | u64::from(b.to_ascii_lowercase()) << (8 * i)
        })
}

/// What [`plainly_english`] counts.
#[derive(Debug, Default)]
struct Counts {
    words: usize,
    english_only: usize,
    english_shared: usize,
    other: usize,
}

impl Counts {
    /// Counts a word: `key` its letters packed (when all ASCII), `len` its length in bytes,
    /// `accented` whether it holds a Latin letter outside ASCII.
    fn word(&mut self, words: &HashMap<u64, Kind>, key: u64, len: usize, accented: bool) {
        self.words += 1;
        if accented {
            self.other += 1;
        } else if len <= MAX_WORD {
            match words.get(&key) {
                Some(Kind::EnglishOnly) => self.english_only += 1,
                Some(Kind::EnglishShared) => self.english_shared += 1,
                Some(Kind::Other) => self.other += 1,
                None => {}
            }
        }
    }

    fn add(&mut self, other: &Counts) {
        self.words += other.words;
        self.english_only += other.english_only;
        self.english_shared += other.english_shared;
        self.other += other.other;
    }

    fn plainly_english(&self) -> bool {
        self.english_only >= MIN_ENGLISH
            && (self.english_only + self.english_shared) * ENGLISH_ONE_IN >= self.words
            && self.other * FOREIGN_ONE_IN <= self.english_only
    }
}

/// Whether `text` is plainly English (see the module's documentation).
pub(crate) fn plainly_english(text: &str) -> bool {
    count(text).plainly_english()
}

/// The words of `text` and its small words of each kind. Reads every byte once, ASCII
/// without decoding it; no allocation.
///
/// Words are runs of letters. A white-space-separated token that is part of an address (it
/// holds `/`, `@`, `=`, `_`, or a full stop followed by a letter: `amazon.com`,
/// `example.es/en/track`) counts for nothing: its pieces are not words of the text's
/// language.
fn count(text: &str) -> Counts {
    let words = &*WORDS;
    let mut total = Counts::default();
    // The current token's words, added to `total` at its end unless it is an address.
    let mut token = Counts::default();
    let mut address = false;
    // The word being read: its ASCII letters packed, its length, and whether it holds a
    // Latin letter outside ASCII ("está", "się"), or a letter of another script (which no
    // small word has: `len` is then made too long to look up).
    let (mut key, mut len, mut accented) = (0u64, 0usize, false);
    let mut after_stop = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (letter, space) = if b.is_ascii_alphabetic() {
            address |= after_stop;
            if len < MAX_WORD {
                key |= u64::from(b | 0x20) << (8 * len);
            }
            len += 1;
            i += 1;
            (true, false)
        } else if b < 0x80 {
            address |= matches!(b, b'/' | b'@' | b'=' | b'_');
            i += 1;
            (false, b.is_ascii_whitespace())
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            i += c.len_utf8();
            if matches!(c, '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}') && c.is_alphabetic() {
                accented = true;
                (true, false)
            } else if c.is_alphabetic() {
                len += MAX_WORD + 1;
                (true, false)
            } else {
                (false, c.is_whitespace())
            }
        };
        after_stop = b == b'.';
        if !letter && len > 0 {
            token.word(words, key, len, accented);
            (key, len, accented) = (0, 0, false);
        }
        if space {
            if !address {
                total.add(&token);
            }
            (token, address) = (Counts::default(), false);
        }
    }
    if len > 0 {
        token.word(words, key, len, accented);
    }
    if !address {
        total.add(&token);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_english_message_is_plainly_english() {
        assert!(plainly_english(
            "Amazon: We attempted to deliver your package today but the shipping address \
             was incomplete. Your parcel is being held at our facility. Update your details \
             within 12 hours or the package will be returned: https://amazon-redelivery.top/"
        ));
    }

    #[test]
    fn too_few_small_words_are_not_enough() {
        // Three English-only small words ("your", "the", "has"): enough.
        assert!(plainly_english("Your order of the TV has shipped"));
        // Two ("your", "for"; "a" is shared): the ranking decides.
        assert!(!plainly_english("Your order for a TV shipped"));
        assert!(!plainly_english(""));
        assert!(!plainly_english("zzzz qqqq xxxx 12345 !!! ???"));
    }

    #[test]
    fn one_word_in_six_must_be_a_small_word() {
        let text = |n: usize| format!("the you your{}", " Amazon".repeat(n));
        // 3 small words in 18 words: one in six.
        assert!(plainly_english(&text(15)));
        assert!(!plainly_english(&text(16)));
    }

    #[test]
    fn one_foreign_word_per_ten_english_ones_at_most() {
        let english = "the you your with have this that from been what";
        assert!(plainly_english(&format!("{english} und")));
        assert!(!plainly_english(&format!("{english} und der")));
        // A word with an accented letter counts as foreign.
        assert!(!plainly_english(&format!("{english} café déjà")));
    }

    /// The pieces of an address are not words: `en` and `de` in a link's path do not make
    /// an English text foreign, nor does `the` in a host make a foreign one English.
    #[test]
    fn addresses_count_for_nothing() {
        let english = "Your parcel is at the depot. Please pay the fee from your card";
        assert!(plainly_english(english));
        let links = " https://example.com/en/de/es/le/la amazon.de/de/ me@de.es x=de_le";
        assert!(plainly_english(&format!("{english}{links}")));
        assert_eq!(count(links).words, 0);
        assert_eq!(count("the.you.your/with this_that").words, 0);
        // A full stop that ends a sentence is not an address.
        assert_eq!(count("the end. the").english_only, 2);
    }

    #[test]
    fn other_languages_are_left_to_the_ranking() {
        for text in [
            "Ihr Amazon-Konto wurde gesperrt. Bitte bestätigen Sie Ihre Daten, damit wir Ihr \
             Konto wieder freigeben können, und klicken Sie auf den Link.",
            "Votre compte Amazon a été suspendu. Veuillez confirmer vos informations pour \
             que nous puissions rétablir votre compte dans les 24 heures.",
            "Su cuenta de Amazon ha sido bloqueada. Confirme sus datos para que podamos \
             restablecer el acceso a su cuenta en las próximas 24 horas.",
            "Uw Amazon-account is geblokkeerd. Bevestig uw gegevens via de link om het \
             account voor 24 uur te herstellen, anders wordt het gesloten.",
            "Twoje konto Amazon zostało zablokowane. Potwierdź swoje dane w ciągu 24 godzin, \
             aby przywrócić dostęp do konta na stronie.",
        ] {
            assert!(!plainly_english(text), "{text}");
        }
    }

    /// Near misses: English in part, but with enough of another language that the
    /// ranking must weigh it.
    #[test]
    fn a_mixed_text_is_left_to_the_ranking() {
        // English small words, then a Dutch sentence with as many of its own.
        assert!(!plainly_english(
            "Please note: this is about your order and the delivery of it. Uw pakket is \
             niet bezorgd, het wordt voor u bewaard op het postkantoor van de stad."
        ));
        // Accented letters count against it.
        assert!(!plainly_english(
            "Thé càfe öf yöur ördér ís hére: please sée the détails and the ïnvoice for yoü"
        ));
    }

    #[test]
    fn letters_outside_ascii_and_other_characters_do_not_break_words() {
        // Curly quotes, an emoji and a non-breaking space between English words.
        assert!(plainly_english(
            "\u{201c}Your\u{201d} package 📦 is here\u{a0}and the driver will need you to \
             confirm that you are at home. Please reply with your code."
        ));
    }

    /// The counts of a text, as a tuple to compare.
    fn counts(text: &str) -> (usize, usize, usize, usize) {
        let c = count(text);
        (c.words, c.english_only, c.english_shared, c.other)
    }

    #[test]
    fn a_word_with_an_accented_letter_is_one_foreign_word() {
        // "está" is one foreign word, not "est" (French) and a letter; so is "się".
        let text = "You are at the shop, the one that has it all: está, się. Please come now.";
        assert!(!plainly_english(text));
        // Without the two words, the same text is plainly English.
        assert!(plainly_english(&text.replace("está, się", "")));
        assert_eq!(counts("está"), (1, 0, 0, 1));
    }

    #[test]
    fn small_words_are_matched_whatever_their_case() {
        assert_eq!(counts("The"), (1, 1, 0, 0));
        assert_eq!(counts("PLEASE"), (1, 1, 0, 0));
        assert_eq!(counts("in"), (1, 0, 1, 0));
        assert_eq!(counts("Bitte"), (1, 0, 0, 1));
        assert_eq!(counts("unsubscribe"), (1, 0, 0, 0));
        // Only the first eight letters are packed: a longer word is never a small word.
        assert_eq!(counts("thereupon"), (1, 0, 0, 0));
    }

    /// Every small word is in one list only, of ASCII lower-case letters, short enough to
    /// be packed.
    #[test]
    fn the_lists_do_not_overlap() {
        let mut seen = std::collections::HashSet::new();
        for w in ENGLISH_ONLY.iter().chain(ENGLISH_SHARED).chain(OTHERS) {
            assert!(seen.insert(w), "{w} is in two lists");
            assert!(
                w.len() <= MAX_WORD && w.bytes().all(|b| b.is_ascii_lowercase()),
                "{w}"
            );
        }
        assert_eq!(WORDS.len(), seen.len());
    }
}
