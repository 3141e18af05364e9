//! What a person is shown, per language: verdict words, headings, report letters, a title
//! and an explanation per rule, and the advice (`lang/<lang>-text.toml` and
//! `lang/<lang>-advice.toml`).
//!
//! Detection does not depend on these: the phrases of every language trip the same rules.
//! A locale only decides the words of the report. English is complete by construction (its
//! titles are the rules' summaries, its explanations the language pack's); another locale
//! must give every key of `[ui]`, and falls back to English for a rule it does not name.

use crate::{Advice, Error, parse_toml};
use serde::Deserialize;
use std::collections::BTreeMap;

const FILE: &str = "locale";

/// The words around the findings. Every key is required in every locale.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Ui {
    pub verdict_scam: String,
    pub verdict_suspicious: String,
    pub verdict_clean: String,
    pub summary_scam: String,
    pub summary_scam_brand_sent: String,
    pub summary_suspicious: String,
    pub summary_clean: String,
    pub score: String,
    pub red_flags: String,
    pub genuine_signs: String,
    pub outweighed: String,
    pub also_noticed: String,
    pub could_not_read: String,
    pub what_to_do: String,
    pub report_it: String,
    pub report_json_hint: String,
    /// Beside evidence that only the plain-text version of an HTML email has (the version
    /// the person may not see).
    pub evidence_plain_text_only: String,
    pub channel_email: String,
    pub channel_sms: String,
    pub channel_chat: String,
    pub channel_call: String,
    pub report_to_brand: String,
    pub report_subject_brand: String,
    pub report_body_brand_email: String,
    pub report_body_authority: String,
    pub report_subject_authority: String,
    pub report_text: String,
    /// How to check with the brand directly, in this language (fills `{verify}` in the
    /// advice); English takes the brand profile's `report.verify`.
    #[serde(default)]
    pub verify: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    lang: String,
    name: String,
    ui: Ui,
    #[serde(default)]
    summary: BTreeMap<String, String>,
    #[serde(default)]
    explain: BTreeMap<String, String>,
}

/// One language's words.
#[derive(Debug, Clone)]
pub struct Locale {
    /// BCP 47 primary subtag (`ja`).
    pub lang: String,
    /// The language's own name (`日本語`).
    pub name: String,
    /// Verdicts, headings, report letters.
    pub ui: Ui,
    /// A short title per rule ID (English: the rule's own summary, so empty here).
    pub summary: BTreeMap<String, String>,
    /// A plain-language explanation per rule ID (English: the language pack's).
    pub explain: BTreeMap<String, String>,
    /// What to do.
    pub advice: Advice,
}

impl Locale {
    /// Parses a locale's text file and advice file and checks them.
    pub fn from_tomls(text: &str, advice: &str) -> Result<Locale, Error> {
        let raw: RawText = parse_toml(FILE, text)?;
        if raw.lang.len() < 2
            || raw.lang.len() > 3
            || !raw.lang.chars().all(|c| c.is_ascii_lowercase())
        {
            return Err(Error::invalid(
                FILE,
                "lang",
                format!("`{}` is not a language code (`ja`)", raw.lang),
            ));
        }
        for (key, id) in raw
            .summary
            .keys()
            .map(|k| ("summary", k))
            .chain(raw.explain.keys().map(|k| ("explain", k)))
        {
            let ok = id.len() == 6
                && id[..3].chars().all(|c| c.is_ascii_uppercase())
                && id[3..].chars().all(|c| c.is_ascii_digit());
            if !ok {
                return Err(Error::invalid(
                    FILE,
                    format!("{}.{key}.{id}", raw.lang),
                    "is not a rule ID",
                ));
            }
        }
        let ui = &raw.ui;
        for (key, value) in [
            ("ui.report_to_brand", &ui.report_to_brand),
            ("ui.summary_scam", &ui.summary_scam),
        ] {
            if !value.contains("{brand}") {
                return Err(Error::invalid(
                    FILE,
                    format!("{}.{key}", raw.lang),
                    "must name the brand (`{brand}`)",
                ));
            }
        }
        Ok(Locale {
            advice: Advice::from_toml(advice)?,
            lang: raw.lang,
            name: raw.name,
            ui: raw.ui,
            summary: raw.summary,
            explain: raw.explain,
        })
    }

    /// How a person names a channel (`email`, `sms`, `chat`, `call`) in this language.
    pub fn channel_word(&self, channel: &str) -> &str {
        match channel {
            "email" => &self.ui.channel_email,
            "sms" => &self.ui.channel_sms,
            "chat" => &self.ui.channel_chat,
            _ => &self.ui.channel_call,
        }
    }
}
