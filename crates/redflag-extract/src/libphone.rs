//! libphonenumber's answers on a parsed number (is it valid, what kind of line), computed
//! from the phonenumber crate's own metadata with each pattern compiled once per process.
//!
//! The crate keeps its metadata's patterns (about 1,300) as text and, at every match,
//! looks the compiled regex up in one LRU cache keyed by that text (hashing hundreds of
//! bytes under a mutex), compiling it again whenever it was evicted: a number of a country
//! not seen lately cost millions of instructions, about a fifth of checking an SMS on
//! average over corpus texts. Here a pattern is compiled the first time a number needs it
//! and kept, without Unicode classes (the numbers matched are ASCII digits, so the matches
//! are the same, and an ASCII regex is a fraction of the size: all of them together are a
//! few MB), and looked up by its address in the metadata. The logic is the crate's
//! (`validator::is_valid_with`, `source_for`, `number_type`); a test checks both agree on
//! every region's example numbers and variations of them. The E.164 form is written
//! directly.

use phonenumber::metadata::{DATABASE, Descriptor, Metadata};
use phonenumber::{PhoneNumber, Type, country};
use regex::Regex;
use regex_cache::CachedRegex;
use rustc_hash::FxHashMap;
use std::sync::{LazyLock, PoisonError, RwLock};

/// The compiled patterns, by the address of the phonenumber crate's pattern (its
/// metadata is one static database, so addresses are stable); `None` for a pattern that
/// does not compile without Unicode, which then goes through the crate.
static COMPILED: LazyLock<RwLock<FxHashMap<usize, Option<Regex>>>> = LazyLock::new(RwLock::default);

/// Where the leftmost match of one of the metadata's patterns starts in `value`, as the
/// crate's own `find` gives it.
fn find_start(pattern: &CachedRegex, value: &str) -> Option<usize> {
    let key = std::ptr::from_ref(pattern).addr();
    // The search runs under the lock: a cloned `Regex` would start a new pool of search
    // caches, which costs more than the search.
    let find = |re: &Option<Regex>| match re {
        Some(re) => re.find(value).map(|m| m.start()),
        None => pattern.find(value).map(|m| m.start()),
    };
    if let Some(re) = COMPILED
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
    {
        return find(re);
    }
    let re = regex::RegexBuilder::new(pattern.as_str())
        .ignore_whitespace(true)
        .unicode(false)
        .build()
        .ok();
    let start = find(&re);
    COMPILED
        .write()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(key, re);
    start
}

/// The crate's `Descriptor::is_match`: a possible length, and the pattern matching from
/// the start.
fn matches(desc: Option<&Descriptor>, value: &str) -> bool {
    let Some(desc) = desc else { return false };
    let lengths = desc.possible_length();
    if !lengths.is_empty() && !lengths.contains(&(value.len() as u16)) {
        return false;
    }
    find_start(desc.national_number(), value) == Some(0)
}

/// The crate's `validator::number_type`.
fn number_type_in(meta: &Metadata, value: &str) -> Type {
    let d = meta.descriptors();
    if !matches(Some(d.general()), value) {
        return Type::Unknown;
    }
    let kinds = [
        (d.premium_rate(), Type::PremiumRate),
        (d.toll_free(), Type::TollFree),
        (d.shared_cost(), Type::SharedCost),
        (d.voip(), Type::Voip),
        (d.personal_number(), Type::PersonalNumber),
        (d.pager(), Type::Pager),
        (d.uan(), Type::Uan),
        (d.voicemail(), Type::Voicemail),
    ];
    if let Some(&(_, kind)) = kinds.iter().find(|(desc, _)| matches(*desc, value)) {
        return kind;
    }
    if matches(d.fixed_line(), value) {
        let same = d.fixed_line().map(|f| f.national_number().as_str())
            == d.mobile().map(|m| m.national_number().as_str());
        if same || matches(d.mobile(), value) {
            return Type::FixedLineOrMobile;
        }
        return Type::FixedLine;
    }
    if matches(d.mobile(), value) {
        return Type::Mobile;
    }
    Type::Unknown
}

/// The crate's `validator::source_for` with the metadata it leads to: the region of a
/// country code that the national number belongs to.
fn metadata_for(code: u16, national: &str) -> Option<&'static Metadata> {
    let db = &*DATABASE;
    let by_region = |region: &str| {
        let id: country::Id = region.parse().ok()?;
        db.by_id(id.as_ref())
    };
    let regions = db.region(&code)?;
    if let [region] = regions.as_slice() {
        return match *region {
            "001" => db.by_code(&code).and_then(|m| m.into_iter().next()),
            region => by_region(region),
        };
    }
    for region in regions {
        let meta = db.by_id(region)?;
        let belongs = match meta.leading_digits() {
            Some(pattern) => find_start(pattern, national) == Some(0),
            None => number_type_in(meta, national) != Type::Unknown,
        };
        if belongs {
            return by_region(region);
        }
    }
    None
}

/// `phonenumber::is_valid(n)`.
pub(crate) fn is_valid(n: &PhoneNumber) -> bool {
    let national = n.national().to_string();
    metadata_for(n.code().value(), &national)
        .is_some_and(|meta| number_type_in(meta, &national) != Type::Unknown)
}

/// `n.number_type(&DATABASE)`.
pub(crate) fn number_type(n: &PhoneNumber) -> Type {
    let national = n.national().value().to_string();
    match metadata_for(n.code().value(), &national) {
        Some(meta) => number_type_in(meta, &national),
        None => Type::Unknown,
    }
}

/// `n.format().mode(Mode::E164).to_string()`, without first matching the country's
/// display formats (the crate's formatter does, for every mode), which E.164 does not use.
pub(crate) fn e164(n: &PhoneNumber) -> String {
    format!("+{}{}", n.code().value(), n.national())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same answers as the crate for every region's example numbers of every kind,
    /// and for each with its last digit dropped, one digit added, and its first digit
    /// changed (numbers of other kinds and regions, and invalid ones).
    #[test]
    fn agrees_with_the_phonenumber_crate() {
        let db = &*DATABASE;
        let mut numbers = vec!["+12025550143".to_string(), "+18005551234".to_string()];
        for code in 1..1000u16 {
            for meta in db.by_code(&code).unwrap_or_default() {
                let d = meta.descriptors();
                let descs = [
                    Some(d.general()),
                    d.fixed_line(),
                    d.mobile(),
                    d.toll_free(),
                    d.premium_rate(),
                    d.voip(),
                    d.uan(),
                ];
                for example in descs.into_iter().flatten().filter_map(Descriptor::example) {
                    numbers.push(format!("+{code}{example}"));
                    numbers.push(format!("+{code}{}", &example[..example.len() - 1]));
                    numbers.push(format!("+{code}{example}7"));
                    let first = if example.starts_with('9') { "1" } else { "9" };
                    numbers.push(format!("+{code}{first}{}", &example[1..]));
                }
            }
        }
        assert!(numbers.len() > 2_000, "{}", numbers.len());
        let mut valid = 0;
        for number in &numbers {
            let Ok(n) = phonenumber::parse(Some(country::Id::US), number) else {
                continue;
            };
            assert_eq!(is_valid(&n), phonenumber::is_valid(&n), "{number}");
            assert_eq!(number_type(&n), n.number_type(&DATABASE), "{number}");
            let e164 = n.format().mode(phonenumber::Mode::E164).to_string();
            assert_eq!(super::e164(&n), e164, "{number}");
            valid += usize::from(is_valid(&n));
        }
        assert!(valid > 1_000, "{valid}");
    }
}
