//! The ready-to-send reports of a checked message as the surfaces hand them out: the brand's
//! and the hotline's email drafts (`.eml`), the FTC's form, the 7726 steps. One
//! implementation for the API (`POST /api/v1/report/{to}`), the page's downloads and
//! `redflag check --report`, so that each gives the same bytes for the same message.
//!
//! Nothing here sends anything or touches a file: the bytes go wherever the surface puts them.

use crate::eml::{DraftTo, EmailDraft, email_draft};
use crate::report::Report;
use redflag_message::{Channel, Message};
use redflag_profile::Profile;
use serde::Serialize;

/// Where a ready report goes: `amazon` (the brand's id), `ftc`, `sms7726` or `hotline`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportTarget {
    /// The brand's report address, as an email draft (`amazon` for the embedded profile).
    Brand,
    /// The FTC's report form, its fields filled in.
    Ftc,
    /// How to report a text or call to the carrier through 7726.
    Sms7726,
    /// The local fraud hotline, as an email draft (when it has an email address).
    Hotline,
}

impl ReportTarget {
    /// The target a name stands for: the profile's brand id, `ftc`, `sms7726` or `hotline`.
    pub fn parse(s: &str, profile: &Profile) -> Option<ReportTarget> {
        match s {
            "ftc" => Some(ReportTarget::Ftc),
            "sms7726" => Some(ReportTarget::Sms7726),
            "hotline" => Some(ReportTarget::Hotline),
            s if s == profile.brand.id => Some(ReportTarget::Brand),
            _ => None,
        }
    }

    /// The names [`ReportTarget::parse`] takes, in words: `amazon, ftc, sms7726 or hotline`.
    pub fn choices(profile: &Profile) -> String {
        format!("{}, ftc, sms7726 or hotline", profile.brand.id)
    }

    /// The name of this target, as [`ReportTarget::parse`] takes it.
    pub fn name(self, profile: &Profile) -> &str {
        match self {
            ReportTarget::Brand => &profile.brand.id,
            ReportTarget::Ftc => "ftc",
            ReportTarget::Sms7726 => "sms7726",
            ReportTarget::Hotline => "hotline",
        }
    }

    /// True when the report is an email draft (`.eml`), false when it is JSON.
    pub fn is_email(self) -> bool {
        matches!(self, ReportTarget::Brand | ReportTarget::Hotline)
    }

    /// Whether this target takes a report under this profile, before any message is
    /// checked: the hotline takes an emailed report only when it has an email address.
    pub fn usable(self, profile: &Profile) -> Result<(), ReadyError> {
        if self == ReportTarget::Hotline && profile.reports.hotline.email.is_none() {
            return Err(no_email(profile));
        }
        Ok(())
    }

    /// A file name for the report (`report-to-amazon.eml`, `report-to-ftc.json`): letters,
    /// digits and `-` only, whatever the brand's id holds.
    pub fn file_name(self, profile: &Profile) -> String {
        match self {
            ReportTarget::Brand => format!("report-to-{}.eml", ascii_name(&profile.brand.id)),
            ReportTarget::Hotline => "report-to-hotline.eml".into(),
            ReportTarget::Ftc => "report-to-ftc.json".into(),
            ReportTarget::Sms7726 => "report-to-sms7726.json".into(),
        }
    }
}

/// Letters, digits and `-` only, for a file name.
fn ascii_name(s: &str) -> String {
    let n: String = s
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if n.is_empty() { "brand".into() } else { n }
}

/// Why a report could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadyError {
    /// The hotline has no email address: it takes reports by phone.
    #[error("{name} takes reports by phone, not email: {}.", phone.as_deref().unwrap_or("see its web site"))]
    HotlineHasNoEmail {
        /// The hotline's name.
        name: String,
        /// Its phone number, when the profile has one.
        phone: Option<String>,
    },
}

/// The hotline of the profile takes no email.
fn no_email(profile: &Profile) -> ReadyError {
    let h = &profile.reports.hotline;
    ReadyError::HotlineHasNoEmail {
        name: h.name.clone(),
        phone: h.phone.clone(),
    }
}

/// One ready report, as [`ready_report`] makes it.
#[derive(Debug, Clone)]
pub enum ReadyReport {
    /// An email draft (to the brand or the hotline): [`EmailDraft::to_eml`].
    Email(EmailDraft),
    /// The FTC's form (boxed: it is most of the size).
    Ftc(Box<FtcReport>),
    /// The 7726 steps.
    Sms7726(Sms7726Steps),
}

impl ReadyReport {
    /// The media type of [`ReadyReport::to_bytes`]: `message/rfc822` or `application/json`.
    pub fn content_type(&self) -> &'static str {
        match self {
            ReadyReport::Email(_) => "message/rfc822",
            ReadyReport::Ftc(_) | ReadyReport::Sms7726(_) => "application/json",
        }
    }

    /// The report as the API returns it: the `.eml` draft, or one line of JSON (no line
    /// end).
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            ReadyReport::Email(d) => d.to_eml(),
            ReadyReport::Ftc(f) => json(f),
            ReadyReport::Sms7726(s) => json(s),
        }
    }
}

fn json(v: &impl Serialize) -> Vec<u8> {
    // Plain structs of strings, lists and booleans: serialising them cannot fail.
    serde_json::to_vec(v).unwrap_or_default()
}

/// The report of a checked message to `to`. `original` is the raw input when it was one
/// email: the email drafts attach it (see [`email_draft`]).
pub fn ready_report(
    profile: &Profile,
    msg: &Message,
    report: &Report,
    to: ReportTarget,
    original: Option<&[u8]>,
) -> Result<ReadyReport, ReadyError> {
    to.usable(profile)?;
    let draft = |to: DraftTo| {
        email_draft(profile, msg, report, to, original).ok_or_else(|| no_email(profile))
    };
    Ok(match to {
        ReportTarget::Brand => ReadyReport::Email(draft(DraftTo::Brand)?),
        ReportTarget::Hotline => ReadyReport::Email(draft(DraftTo::Hotline)?),
        ReportTarget::Ftc => ReadyReport::Ftc(Box::new(ftc_report(profile, msg, report))),
        ReportTarget::Sms7726 => ReadyReport::Sms7726(sms7726_steps(profile, report)),
    })
}

/// The fields of the FTC's report form (ReportFraud.ftc.gov), filled from the check. What
/// only the person knows (amount paid, how, when) is left empty for them.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FtcReport {
    /// Where to file it.
    #[cfg_attr(feature = "openapi", schema(example = "https://reportfraud.ftc.gov/"))]
    pub site: String,
    /// What to do, in plain words.
    pub how: String,
    /// The FTC's category.
    #[cfg_attr(feature = "openapi", schema(example = "An impersonator"))]
    pub category: String,
    /// What happened, in one sentence.
    pub what_happened: String,
    /// How they contacted the person.
    #[cfg_attr(feature = "openapi", schema(example = "Text message"))]
    pub how_contacted: String,
    /// The company the scammer pretended to be.
    #[cfg_attr(feature = "openapi", schema(example = "Amazon"))]
    pub company_impersonated: String,
    /// Who contacted: the sender's address or number, when known.
    pub contacted_by: Option<String>,
    /// Phone numbers in the message (not the company's own).
    pub phone_numbers: Vec<String>,
    /// Websites in the message (not the company's own).
    pub websites: Vec<String>,
    /// Email addresses in the message.
    pub email_addresses: Vec<String>,
    /// Payment the message asked for (gift cards, cryptocurrency, ...).
    pub payment_asked_for: Vec<String>,
    /// For the person to fill in: how much they paid, if anything.
    pub amount_paid: String,
    /// For the person to fill in: how they paid.
    pub payment_method: String,
    /// For the person to fill in: when it happened.
    pub date_contacted: String,
    /// The description to paste: the facts, the red flags and the message.
    pub description: String,
}

/// The FTC's form filled from a checked message and its report.
pub fn ftc_report(profile: &Profile, msg: &Message, report: &Report) -> FtcReport {
    let outbound = report.reports.iter().find(|r| r.to == "ftc");
    let ind = &report.indicators;
    let brand = &profile.brand;
    FtcReport {
        site: profile.reports.ftc.web.clone().unwrap_or_default(),
        how: profile.reports.ftc.how.clone().unwrap_or_default(),
        category: "An impersonator".into(),
        what_happened: format!(
            "Someone pretending to be {} contacted me by {}.",
            brand.name,
            match report.channel {
                Channel::Email => "email",
                Channel::Sms => "text message",
                Channel::Chat => "online chat",
                Channel::Call => "phone",
                Channel::Screen => "a pop-up or web page on my screen",
            }
        ),
        how_contacted: match report.channel {
            Channel::Email => "Email",
            Channel::Sms => "Text message",
            Channel::Chat => "Social media or online chat",
            Channel::Call => "Phone call",
            Channel::Screen => "Website or app",
        }
        .into(),
        company_impersonated: brand.name.clone(),
        contacted_by: msg.sender.as_ref().map(|s| s.value.clone()),
        phone_numbers: ind
            .phone_numbers
            .iter()
            .filter(|p| !brand.is_brand_phone(p))
            .cloned()
            .collect(),
        websites: ind
            .domains
            .iter()
            .filter(|d| !d.brand)
            .map(|d| d.domain.clone())
            .collect(),
        email_addresses: ind.emails.clone(),
        payment_asked_for: ind.payment_methods.clone(),
        amount_paid: String::new(),
        payment_method: String::new(),
        date_contacted: String::new(),
        description: outbound.map(|o| o.body.clone()).unwrap_or_default(),
    }
}

/// How to report a text or call to the carrier through 7726.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sms7726Steps {
    /// 7726 takes texts and calls; for emails and chats this is false and `steps` empty.
    pub applies: bool,
    /// The short code.
    #[cfg_attr(feature = "openapi", schema(example = "7726"))]
    pub number: String,
    /// What to do, step by step.
    pub steps: Vec<String>,
    /// What to send after forwarding (the number it came from), when known.
    pub send: Option<String>,
    /// Why it does not apply, when it does not.
    pub why_not: Option<String>,
}

/// The 7726 steps for a report: the steps when the message was a text or a call, else why
/// 7726 does not apply.
pub fn sms7726_steps(profile: &Profile, report: &Report) -> Sms7726Steps {
    let s = &profile.reports.sms7726;
    match report.reports.iter().find(|r| r.to == "sms7726") {
        Some(r) => Sms7726Steps {
            applies: true,
            number: s.number.clone(),
            steps: sentences(&r.how),
            send: Some(r.body.clone()),
            why_not: None,
        },
        None => Sms7726Steps {
            applies: false,
            number: s.number.clone(),
            steps: Vec::new(),
            send: None,
            why_not: Some(format!(
                "{} is for text messages and phone calls. Report this {} to {} and the FTC instead.",
                s.number,
                if report.channel == Channel::Email {
                    "email"
                } else {
                    "message"
                },
                profile.brand.name
            )),
        },
    }
}

/// A paragraph split into sentences (at `. ` followed by a capital letter).
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices(". ") {
        if bytes.get(i + 2).is_some_and(u8::is_ascii_uppercase) {
            out.push(text[start..=i].trim().to_string());
            start = i + 2;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AnalyzeOptions, Engine, InputOptions, read_input};

    #[test]
    fn splits_sentences() {
        assert_eq!(
            sentences(
                "Forward the text to 7726 (it spells SPAM). Your carrier will reply: send that too. Then delete it."
            ),
            vec![
                "Forward the text to 7726 (it spells SPAM).",
                "Your carrier will reply: send that too.",
                "Then delete it."
            ]
        );
        assert_eq!(sentences("One. two"), vec!["One. two"]);
        assert!(sentences("").is_empty());
    }

    fn checked(text: &str, channel: Channel, sender: &str) -> (Engine, Message, Report) {
        let engine = Engine::new(Profile::embedded());
        let opts = InputOptions {
            channel: Some(channel),
            sender: Some(sender.into()),
            subject: None,
        };
        let msg = read_input(text.as_bytes(), &opts)
            .unwrap()
            .into_iter()
            .next()
            .unwrap()
            .unwrap();
        let report = engine.analyze(&msg, &AnalyzeOptions::default());
        (engine, msg, report)
    }

    #[test]
    fn targets_parse_by_name_and_the_brand_by_its_id() {
        let p = Profile::embedded();
        for name in ["amazon", "ftc", "sms7726", "hotline"] {
            let t = ReportTarget::parse(name, &p).expect(name);
            assert_eq!(t.name(&p), name);
        }
        assert_eq!(ReportTarget::parse("Amazon", &p), None);
        assert_eq!(ReportTarget::parse("brand", &p), None);
        assert_eq!(ReportTarget::choices(&p), "amazon, ftc, sms7726 or hotline");
        assert_eq!(ReportTarget::Brand.file_name(&p), "report-to-amazon.eml");
        assert!(ReportTarget::Hotline.is_email() && !ReportTarget::Ftc.is_email());
    }

    #[test]
    fn ftc_form_of_a_text() {
        let (engine, msg, report) = checked(
            "Amazon: your package is on hold. Pay the $2.99 redelivery fee with a gift card at https://amzn-redelivery.example/pay or call 1-888-555-0199.",
            Channel::Sms,
            "+13055550147",
        );
        let f = ftc_report(engine.profile(), &msg, &report);
        assert_eq!(f.how_contacted, "Text message");
        assert_eq!(f.company_impersonated, "Amazon");
        assert_eq!(f.contacted_by.as_deref(), Some("+13055550147"));
        assert!(f.websites.iter().any(|w| w.contains("amzn-redelivery")));
        assert!(f.amount_paid.is_empty() && f.date_contacted.is_empty());
        let bytes = ready_report(engine.profile(), &msg, &report, ReportTarget::Ftc, None)
            .unwrap()
            .to_bytes();
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(v["how_contacted"], "Text message");
        assert!(!bytes.ends_with(b"\n"), "what the API sends: no line end");
    }

    #[test]
    fn sms7726_applies_to_texts_and_calls_only() {
        let (engine, _, report) = checked(
            "Amazon: your account is locked. Reply with the code we sent.",
            Channel::Sms,
            "+17185550163",
        );
        let s = sms7726_steps(engine.profile(), &report);
        assert!(s.applies);
        assert_eq!(s.send.as_deref(), Some("+17185550163"));
        assert!(s.steps.len() >= 2, "{:?}", s.steps);
        let (engine, _, report) = checked(
            "Amazon: your account is locked. Reply with the code we sent.",
            Channel::Chat,
            "Amazon Support",
        );
        let s = sms7726_steps(engine.profile(), &report);
        assert!(!s.applies && s.steps.is_empty() && s.send.is_none());
        assert!(s.why_not.unwrap().contains("text messages and phone calls"));
    }

    #[test]
    fn a_hotline_with_no_email_says_to_phone_it() {
        let mut profile = (*Profile::embedded()).clone();
        profile.reports = profile
            .reports
            .clone()
            .with_hotline_toml(
                "[hotline]\nname = \"Springfield Fraud Line\"\nphone = \"(555) 010-0199\"\n",
            )
            .unwrap();
        let (_, msg, report) = checked("Amazon: call 1-888-555-0199", Channel::Sms, "+1555");
        let e = ready_report(&profile, &msg, &report, ReportTarget::Hotline, None).unwrap_err();
        assert_eq!(Err(e.clone()), ReportTarget::Hotline.usable(&profile));
        assert_eq!(ReportTarget::Brand.usable(&profile), Ok(()));
        assert_eq!(
            e.to_string(),
            "Springfield Fraud Line takes reports by phone, not email: (555) 010-0199."
        );
        // The brand still takes email.
        let r = ready_report(&profile, &msg, &report, ReportTarget::Brand, None).unwrap();
        assert_eq!(r.content_type(), "message/rfc822");
    }
}
