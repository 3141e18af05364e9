//! The public JSON API: check a message, and get the reports ready to send.

use crate::AppState;
use crate::check::{self, CheckInput, Checked};
use crate::error::{ApiError, ErrorBody};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use redflag_engine::{Channel, DraftTo, Profile, email_draft};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How the message arrived.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ChannelName {
    Email,
    Sms,
    Chat,
    Call,
}

impl From<ChannelName> for Channel {
    fn from(c: ChannelName) -> Channel {
        match c {
            ChannelName::Email => Channel::Email,
            ChannelName::Sms => Channel::Sms,
            ChannelName::Chat => Channel::Chat,
            ChannelName::Call => Channel::Call,
        }
    }
}

/// A message to check. Give exactly one of `text`, `email` or `email_base64`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CheckRequest {
    /// The message as text: a text message, a chat, what a caller said, or a pasted email
    /// (a raw email with headers is recognised as one).
    #[schema(example = "Amazon: your account is locked. Call 1-888-555-0199 now.")]
    pub(crate) text: Option<String>,
    /// A raw email (.eml) as text.
    pub(crate) email: Option<String>,
    /// A raw email (.eml) in base64, for emails that are not UTF-8.
    pub(crate) email_base64: Option<String>,
    /// How it arrived. Left out: an email is recognised by its content, anything else is a
    /// text message (`sms`).
    pub(crate) channel: Option<ChannelName>,
    /// Who sent it: phone number, short code, email address or name (for a call: the
    /// number that called).
    #[schema(example = "+13055550147")]
    pub(crate) sender: Option<String>,
    /// The subject, for a pasted email body.
    pub(crate) subject: Option<String>,
    /// The person's order numbers, typed or pasted, to check the order the message names.
    #[schema(example = "112-1234567-1234567")]
    pub(crate) order_numbers: Option<String>,
    /// The person's Amazon "Your Orders" export (the Request-your-data CSV).
    pub(crate) orders_csv: Option<String>,
    /// The country whose reporting bodies the report names (ISO code, `JP`). Left out: the
    /// marketplace the message claims, its sender's number, or its language decide.
    #[schema(example = "JP")]
    pub(crate) country: Option<String>,
}

impl CheckRequest {
    pub(crate) fn into_input(self) -> Result<CheckInput, ApiError> {
        let given = [
            self.text.is_some(),
            self.email.is_some(),
            self.email_base64.is_some(),
        ]
        .into_iter()
        .filter(|g| *g)
        .count();
        if given != 1 {
            return Err(ApiError::bad_input(
                "invalid_request",
                "Give exactly one of `text`, `email` or `email_base64`.",
            ));
        }
        let is_email = self.text.is_none();
        if is_email && self.channel.is_some_and(|c| c != ChannelName::Email) {
            return Err(ApiError::bad_input(
                "invalid_request",
                "`email` and `email_base64` hold an email: leave `channel` out or set it to \"email\".",
            ));
        }
        let bytes = match (self.text, self.email, self.email_base64) {
            (Some(t), _, _) | (_, Some(t), _) => t.into_bytes(),
            (_, _, Some(b)) => decode_base64(&b)?,
            _ => Vec::new(),
        };
        Ok(CheckInput {
            bytes,
            channel: if is_email {
                Some(Channel::Email)
            } else {
                self.channel.map(Channel::from)
            },
            sender: self.sender,
            subject: self.subject,
            order_numbers: self.order_numbers,
            orders_csv: self.orders_csv,
            country: self.country,
        })
    }
}

fn decode_base64(b: &str) -> Result<Vec<u8>, ApiError> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let clean: String = b.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|e| e.decode(&clean).ok())
        .ok_or_else(|| {
            ApiError::bad_input("invalid_request", "`email_base64` is not valid base64.")
        })
}

/// The report of a check: verdict, score, every red flag with its evidence, indicators,
/// advice and ready-to-send reports. The full schema is `docs/report-schema.md`; it is what
/// `redflag check --json` prints.
#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)]
pub(crate) struct ReportDoc {
    /// `"1.4"`.
    schema_version: String,
    /// `scam`, `suspicious` or `clean` (shown as "No red flags found": never "safe").
    #[schema(example = "scam")]
    verdict: String,
    /// What to show a person.
    #[schema(example = "Scam")]
    verdict_label: String,
    /// 0 to 100; `scam` from 60, `suspicious` from 30.
    score: u8,
    /// How the message arrived.
    channel: ChannelName,
    /// Every red flag, strongest first: `{rule, name, family, severity, points, soft,
    /// outweighed, message, explanation, evidence: [{start, end, text, note?}]}`; spans are
    /// byte offsets into `text`. `outweighed` red flags add no points.
    findings: Vec<serde_json::Value>,
    /// What speaks for the message: `{rule, name, strong, message, explanation, evidence}`
    /// (an authenticated sender, links only to the brand's sites, order numbers in its
    /// format, a registered text sender, a one-time code with a warning not to share it).
    genuine_signs: Vec<serde_json::Value>,
    /// Links, domains, phone numbers, email addresses, amounts, order numbers, payment
    /// methods.
    indicators: serde_json::Value,
    /// `{summary, steps, if_you_already}`.
    advice: serde_json::Value,
    /// Ready-to-send reports (Amazon, FTC, 7726, hotline).
    reports: Vec<serde_json::Value>,
    /// What could not be read.
    notes: Vec<serde_json::Value>,
    /// The message as checked.
    text: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/check",
    tag = "check",
    summary = "Check a message",
    description = "Checks one message and returns the report. Nothing is stored. Public and rate-limited per client IP.",
    request_body = CheckRequest,
    responses(
        (status = 200, description = "The report", body = ReportDoc),
        (status = 400, description = "The body is not JSON (`invalid_request`)", body = ErrorBody),
        (status = 413, description = "Over 10 MiB (`too_large`)", body = ErrorBody),
        (status = 408, description = "The body did not arrive within the body timeout (`body_timeout`)", body = ErrorBody),
        (status = 415, description = "Not `application/json` (`unsupported_media_type`)", body = ErrorBody),
        (status = 422, description = "`invalid_request`, `empty_message`, `not_a_message`, `not_utf8`, `invalid_orders`", body = ErrorBody),
        (status = 429, description = "Too many requests (`rate_limited`); see `Retry-After`", body = ErrorBody),
        (status = 503, description = "Took over 15 s (`timeout`), or the connection cap was reached (`overloaded`)", body = ErrorBody),
    )
)]
pub(crate) async fn check(
    State(state): State<AppState>,
    Json(req): Json<CheckRequest>,
) -> Result<Response, ApiError> {
    let checked = check::run(&state, req.into_input()?).await?;
    Ok(no_store(Json(&checked.report).into_response()))
}

/// An assessment: the verdict, the score and every finding with its points and evidence
/// spans, without explanations, advice or ready-to-send reports. The same verdict, score
/// and findings as `/api/v1/check` gives for the same message.
#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)]
pub(crate) struct AssessmentDoc {
    /// `"1.4"`.
    schema_version: String,
    /// `scam`, `suspicious` or `clean`.
    #[schema(example = "scam")]
    verdict: String,
    /// 0 to 100; `scam` from 60, `suspicious` from 30.
    score: u8,
    /// How the message arrived.
    channel: ChannelName,
    /// The brand profile used (`amazon`).
    brand: String,
    /// The message claims to be the brand.
    claims_brand: bool,
    /// Every red flag, strongest first: `{rule, name, family, severity, points, soft,
    /// outweighed, message, evidence: [{start, end}]}`; spans are byte offsets into the
    /// message's text as checked (the report's `text`). `message` is in English.
    findings: Vec<serde_json::Value>,
    /// Signs that the message is genuine, in the same form (`points` 0).
    genuine_signs: Vec<serde_json::Value>,
    /// The text model's probability that the message is a scam, when a model was used.
    model_probability: Option<f32>,
    /// How many notes on what could not be read the report would carry.
    notes: usize,
}

#[utoipa::path(
    post,
    path = "/api/v1/assess",
    tag = "check",
    summary = "Assess a message (verdict and findings only)",
    description = "Checks one message like `/api/v1/check` and returns only the verdict, the score and the findings with their points and evidence spans: no explanations, advice, indicators or ready-to-send reports. For mail filters and queues that route many messages; it costs a fraction of a full report. Nothing is stored. Public and rate-limited per client IP.",
    request_body = CheckRequest,
    responses(
        (status = 200, description = "The assessment", body = AssessmentDoc),
        (status = 400, description = "The body is not JSON (`invalid_request`)", body = ErrorBody),
        (status = 413, description = "Over 10 MiB (`too_large`)", body = ErrorBody),
        (status = 415, description = "Not `application/json` (`unsupported_media_type`)", body = ErrorBody),
        (status = 422, description = "As for check", body = ErrorBody),
        (status = 429, description = "Too many requests (`rate_limited`); see `Retry-After`", body = ErrorBody),
        (status = 503, description = "Took over 15 s (`timeout`), or the connection cap was reached (`overloaded`)", body = ErrorBody),
    )
)]
pub(crate) async fn assess(
    State(state): State<AppState>,
    Json(req): Json<CheckRequest>,
) -> Result<Response, ApiError> {
    let assessment = check::assess(&state, req.into_input()?).await?;
    Ok(no_store(Json(&assessment).into_response()))
}

#[utoipa::path(
    post,
    path = "/api/v1/report/{to}",
    tag = "check",
    summary = "Get a report ready to send",
    description = "Checks the message like `/api/v1/check` and returns one report: `amazon` and `hotline` give an email draft (`.eml`, `message/rfc822`) with the original email attached when the message was an email; `ftc` gives the ReportFraud.ftc.gov fields; `sms7726` gives the steps to report a text or call to your carrier. Nothing is sent and nothing is stored.",
    params(("to" = String, Path, description = "`amazon`, `ftc`, `sms7726` or `hotline`")),
    request_body = CheckRequest,
    responses(
        (status = 200, description = "`amazon`, `hotline`: the .eml draft (`message/rfc822`, as an attachment). `ftc`: FtcReport. `sms7726`: Sms7726Steps.", body = FtcReport),
        (status = 404, description = "Unknown destination (`not_found`)", body = ErrorBody),
        (status = 422, description = "As for check; also `hotline_has_no_email`", body = ErrorBody),
        (status = 429, description = "`rate_limited`", body = ErrorBody),
    )
)]
pub(crate) async fn report(
    State(state): State<AppState>,
    Path(to): Path<String>,
    Json(req): Json<CheckRequest>,
) -> Result<Response, ApiError> {
    let to = ReportTo::parse(&to, state.engine().profile())?;
    let checked = check::run(&state, req.into_input()?).await?;
    report_response(&state, &checked, to)
}

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

/// Marks a response as not to be cached: it is about someone's message.
pub(crate) fn no_store(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
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
            }
        ),
        how_contacted: match report.channel {
            Channel::Email => "Email",
            Channel::Sms => "Text message",
            Channel::Chat => "Social media or online chat",
            Channel::Call => "Phone call",
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

/// Liveness: answers while the server runs.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Health {
    /// Always `ok`.
    status: &'static str,
    /// Whether the case endpoints are on (a token is set).
    cases: bool,
}

#[utoipa::path(
    get,
    path = "/api/v1/health",
    tag = "check",
    summary = "Is the server up?",
    responses((status = 200, description = "Up", body = Health))
)]
pub(crate) async fn health(State(state): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok",
        cases: state.cases().is_some(),
    })
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
