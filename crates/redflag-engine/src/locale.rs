//! Which language the report speaks and which country's reporting bodies it names.
//!
//! The language is the message's own (people answer in the language they were written to),
//! when redflag has words for it; otherwise English. The country is the one the caller
//! chose (`--country`), else the marketplace the message claims (a link to `amazon.co.jp`,
//! a sender at `amazon.de`), else the sender's dialling prefix, else the usual country of
//! the message's language. Both are pure functions of the message: no IO, no clock.

use redflag_extract::Indicators;
use redflag_message::Message;
use redflag_profile::Profile;

/// Shortest text whatlang is asked about: below it, its guesses are noise.
const MIN_LETTERS: usize = 20;

/// Most bytes of the text whatlang reads: the language is settled long before, and its
/// trigram scoring is one of the costlier passes over a long text.
const MAX_SAMPLE_BYTES: usize = 16 * 1024;

/// The report's language: a code the profile has words for (`ja`), else `en`.
pub(crate) fn language(profile: &Profile, msg: &Message) -> String {
    let end = msg.text.floor_char_boundary(MAX_SAMPLE_BYTES);
    let guess = guess(&msg.text[..end]);
    match guess {
        Some(code) if profile.locales.contains_key(code) => code.to_string(),
        _ => "en".to_string(),
    }
}

fn guess(text: &str) -> Option<&'static str> {
    if redflag_extract::writes_japanese(text) {
        return Some("ja");
    }
    if text
        .chars()
        .filter(|c| c.is_alphabetic())
        .take(MIN_LETTERS)
        .count()
        < MIN_LETTERS
    {
        return None;
    }
    // Most messages are English, and plainly so from their small words: no need to rank
    // their trigrams.
    if crate::english::plainly_english(text) {
        return Some("en");
    }
    // Only the languages redflag has words for: whatlang's answer among them.
    let (code, confidence) = crate::langid::detect(text)?;
    (confidence >= 0.5).then_some(code)
}

/// The usual country of a language's speakers among Amazon's marketplaces.
fn country_of_language(lang: &str) -> &'static str {
    match lang {
        "ja" => "JP",
        "de" => "DE",
        "fr" => "FR",
        "es" => "ES",
        "it" => "IT",
        "pt" => "BR",
        "nl" => "NL",
        "pl" => "PL",
        _ => "US",
    }
}

/// The report's country (ISO code the profile has reporting bodies for), `US` when none
/// fits.
pub(crate) fn country(
    profile: &Profile,
    msg: &Message,
    ind: &Indicators,
    lang: &str,
    chosen: Option<&str>,
) -> String {
    let known = |code: &str| profile.countries.get(code).is_some();
    if let Some(c) = chosen.map(str::to_ascii_uppercase).filter(|c| known(c)) {
        return c;
    }
    let brand = &profile.brand;
    // The marketplace the message claims: its sender's domain, then its links.
    let sender_host = msg
        .email
        .as_ref()
        .and_then(|e| e.from.as_ref())
        .and_then(|f| {
            f.address
                .rsplit_once('@')
                .map(|(_, d)| d.to_ascii_lowercase())
        });
    let hosts = sender_host
        .into_iter()
        .chain(ind.urls.iter().filter_map(|u| u.host.clone()));
    for host in hosts {
        if let Some(code) = brand.site_of_host(&host).and_then(|s| s.code.as_deref())
            && known(code)
            && code != "US"
        {
            return code.to_string();
        }
    }
    // The sender's international number (`+81 80-1234-5678`): its dialling prefix.
    let sender_number = msg.sender.as_ref().and_then(|s| {
        let v = s.value.trim();
        v.starts_with('+').then(|| {
            let digits: String = v.chars().filter(char::is_ascii_digit).collect();
            format!("+{digits}")
        })
    });
    if let Some(code) = sender_number
        .as_deref()
        .and_then(|e| profile.countries.by_phone(e))
    {
        return code.to_string();
    }
    let by_lang = country_of_language(lang);
    if known(by_lang) {
        by_lang.to_string()
    } else {
        "US".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_the_languages_it_speaks() {
        assert_eq!(
            guess("Amazonプライム会員の更新ができませんでした"),
            Some("ja")
        );
        assert_eq!(
            guess(
                "Ihr Amazon-Konto wurde gesperrt. Bitte bestätigen Sie Ihre Daten innerhalb von 24 Stunden."
            ),
            Some("de")
        );
        assert_eq!(
            guess(
                "Your Amazon account has been locked. Please confirm your details within 24 hours."
            ),
            Some("en")
        );
        // Too short to tell.
        assert_eq!(guess("Amazon: OK"), None);
    }

    /// Short English texts whose trigrams whatlang ranks as French or Dutch, as it does
    /// some of the corpus's texts: their small words settle it before the trigrams are
    /// ranked.
    #[test]
    fn a_plainly_english_text_is_english_whatever_its_trigrams() {
        for (text, trigrams) in [
            ("Are you sure your neighbours did not pick it up", "fr"),
            ("Ok you can pick me up when you get off work", "nl"),
        ] {
            let ranked = crate::langid::detect(text);
            assert!(
                ranked.is_some_and(|(l, c)| l == trigrams && c >= 0.5),
                "{ranked:?}: {text}"
            );
            assert_eq!(guess(text), Some("en"), "{text}");
        }
        // A French text with a few English words is still French.
        assert_eq!(
            guess(
                "Votre colis est bloqué: please pay the fee. Payez les frais de livraison \
                 pour que nous puissions livrer votre colis dans les 24 heures."
            ),
            Some("fr")
        );
    }
}
