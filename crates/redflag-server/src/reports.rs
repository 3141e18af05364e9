//! The ready-to-send reports of a checked message (the brand's and the hotline's email
//! drafts, the FTC's form, the 7726 steps), for the API and the page alike.

use crate::AppState;
use crate::check::Checked;
use crate::error::ApiError;
use crate::security::no_store;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use redflag_engine::{Channel, DraftTo, Profile, email_draft};
use serde::Serialize;
use utoipa::ToSchema;

/// Where a report goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReportTo {
    Brand,
    Ftc,
    Sms7726,
    Hotline,
}

impl ReportTo {
    pub(crate) fn parse(s: &str, profile: &Profile) -> Result<ReportTo, ApiError> {
        match s {
            "ftc" => Ok(ReportTo::Ftc),
            "sms7726" => Ok(ReportTo::Sms7726),
            "hotline" => Ok(ReportTo::Hotline),
            s if s == profile.brand.id => Ok(ReportTo::Brand),
            _ => Err(ApiError::not_found(format!(
                "No such report: use {}, ftc, sms7726 or hotline.",
                profile.brand.id
            ))),
        }
    }
}

pub(crate) fn report_response(
    state: &AppState,
    checked: &Checked,
    to: ReportTo,
) -> Result<Response, ApiError> {
    let profile = state.engine().profile();
    let res = match to {
        ReportTo::Brand => eml_download(profile, checked, DraftTo::Brand)?,
        ReportTo::Hotline => eml_download(profile, checked, DraftTo::Hotline)?,
        ReportTo::Ftc => Json(ftc_report(profile, checked)).into_response(),
        ReportTo::Sms7726 => Json(sms7726_steps(profile, checked)).into_response(),
    };
    Ok(no_store(res))
}

/// An email draft as a download.
pub(crate) fn eml_download(
    profile: &Profile,
    checked: &Checked,
    to: DraftTo,
) -> Result<Response, ApiError> {
    let draft = email_draft(
        profile,
        &checked.msg,
        &checked.report,
        to,
        checked.original_email(),
    )
    .ok_or_else(|| {
        ApiError::bad_input(
            "hotline_has_no_email",
            format!(
                "{} takes reports by phone, not email: {}.",
                profile.reports.hotline.name,
                profile
                    .reports
                    .hotline
                    .phone
                    .as_deref()
                    .unwrap_or("see its web site")
            ),
        )
    })?;
    let name = match to {
        DraftTo::Brand => format!("report-to-{}.eml", ascii_name(&profile.brand.id)),
        DraftTo::Hotline => "report-to-hotline.eml".to_string(),
    };
    let mut res = (StatusCode::OK, draft.to_eml()).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("message/rfc822"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// Letters, digits and `-` only, for a file name.
fn ascii_name(s: &str) -> String {
    let n: String = s
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if n.is_empty() { "brand".into() } else { n }
}

/// The fields of the FTC's report form (ReportFraud.ftc.gov), filled from the check. What
/// only the person knows (amount paid, how, when) is left empty for them.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FtcReport {
    /// Where to file it.
    #[schema(example = "https://reportfraud.ftc.gov/")]
    pub(crate) site: String,
    /// What to do, in plain words.
    pub(crate) how: String,
    /// The FTC's category.
    #[schema(example = "An impersonator")]
    pub(crate) category: String,
    /// What happened, in one sentence.
    pub(crate) what_happened: String,
    /// How they contacted the person.
    #[schema(example = "Text message")]
    pub(crate) how_contacted: String,
    /// The company the scammer pretended to be.
    #[schema(example = "Amazon")]
    pub(crate) company_impersonated: String,
    /// Who contacted: the sender's address or number, when known.
    pub(crate) contacted_by: Option<String>,
    /// Phone numbers in the message (not the company's own).
    pub(crate) phone_numbers: Vec<String>,
    /// Websites in the message (not the company's own).
    pub(crate) websites: Vec<String>,
    /// Email addresses in the message.
    pub(crate) email_addresses: Vec<String>,
    /// Payment the message asked for (gift cards, cryptocurrency, ...).
    pub(crate) payment_asked_for: Vec<String>,
    /// For the person to fill in: how much they paid, if anything.
    pub(crate) amount_paid: String,
    /// For the person to fill in: how they paid.
    pub(crate) payment_method: String,
    /// For the person to fill in: when it happened.
    pub(crate) date_contacted: String,
    /// The description to paste: the facts, the red flags and the message.
    pub(crate) description: String,
}

pub(crate) fn ftc_report(profile: &Profile, checked: &Checked) -> FtcReport {
    let report = &checked.report;
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
        contacted_by: checked.sender(),
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
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Sms7726Steps {
    /// 7726 takes texts and calls; for emails and chats this is false and `steps` empty.
    pub(crate) applies: bool,
    /// The short code.
    #[schema(example = "7726")]
    pub(crate) number: String,
    /// What to do, step by step.
    pub(crate) steps: Vec<String>,
    /// What to send after forwarding (the number it came from), when known.
    pub(crate) send: Option<String>,
    /// Why it does not apply, when it does not.
    pub(crate) why_not: Option<String>,
}

pub(crate) fn sms7726_steps(profile: &Profile, checked: &Checked) -> Sms7726Steps {
    let s = &profile.reports.sms7726;
    match checked.report.reports.iter().find(|r| r.to == "sms7726") {
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
                if checked.report.channel == Channel::Email {
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
pub(crate) fn sentences(text: &str) -> Vec<String> {
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
    use super::sentences;

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
}
