//! The public JSON API's handlers: check or assess a message, and get the reports ready to
//! send. Each reads its request, calls [`check`](crate::check), and renders the answer.

use crate::AppState;
use crate::check::{self, CheckInput};
use crate::error::{ApiError, ErrorBody};
use crate::json;
use crate::reports::{parse_target, report_response};
use crate::request::{ChannelName, CheckRequest};
use crate::security::no_store;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use redflag_engine::Channel;
use redflag_mailflow::{Stamp, StampOptions};
use serde::Serialize;
use utoipa::ToSchema;

/// The report of a check: verdict, score, every red flag with its evidence, indicators,
/// advice and ready-to-send reports. The full schema is `docs/report-schema.md`; it is what
/// `redflag check --json` prints.
#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)]
pub(crate) struct ReportDoc {
    /// `"1.7"`.
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
    /// outweighed, message, explanation, evidence: [{start, end, text, note?, part?}]}`; spans are
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
    Ok(no_store(json::Json(&checked.report).into_response()))
}

/// An assessment: the verdict, the score and every finding with its points and evidence
/// spans, without explanations, advice or ready-to-send reports. The same verdict, score
/// and findings as `/api/v1/check` gives for the same message.
#[derive(Debug, Serialize, ToSchema)]
#[allow(dead_code)]
pub(crate) struct AssessmentDoc {
    /// `"1.7"`.
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
    Ok(no_store(json::Json(&assessment).into_response()))
}

/// The answer for a mail server: the verdict, the score, the red flags and the header fields
/// that `redflag filter` and `redflag milter` add, so that every way into a mail flow stamps
/// a message alike.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RawCheckDoc {
    /// `"1.7"`.
    schema_version: &'static str,
    /// `scam`, `suspicious` or `clean`.
    #[schema(example = "scam")]
    verdict: &'static str,
    /// 0 to 100; `scam` from 60, `suspicious` from 30.
    score: u8,
    /// The red flags' rule IDs, strongest first (`docs/rules.md`).
    #[schema(example = json!(["PHN001", "URG001"]))]
    flags: Vec<&'static str>,
    /// The message claims to be the brand.
    claims_brand: bool,
    /// The header fields to add, in order: `X-Redflag-Verdict`, `X-Redflag-Score`,
    /// `X-Redflag-Flags`, `X-Redflag-Version`. A mail server should first remove any
    /// `X-Redflag-*` fields the message already carries: a sender can forge them.
    headers: Vec<HeaderField>,
}

/// One header field.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct HeaderField {
    /// `X-Redflag-Verdict`.
    name: &'static str,
    /// `scam`.
    value: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/check/raw",
    tag = "check",
    summary = "Check a raw email, for mail servers",
    description = "The body is one raw email as it arrived (`Content-Type: message/rfc822`), headers and all. Answers with one small JSON: the verdict, the score, the red flags' rule IDs and the header fields `redflag filter` would add. The same check as `/api/v1/assess`. Nothing is stored. Rate-limited per client IP like the other public endpoints: a mail server's own instance should run with `--rate-limit 0` on loopback (docs/mail-servers.md).",
    request_body(content = String, content_type = "message/rfc822", description = "The raw email"),
    responses(
        (status = 200, description = "The verdict and the header fields", body = RawCheckDoc),
        (status = 413, description = "Over 10 MiB (`too_large`)", body = ErrorBody),
        (status = 415, description = "Not `message/rfc822` (`unsupported_media_type`)", body = ErrorBody),
        (status = 422, description = "`empty_message`, `not_a_message`", body = ErrorBody),
        (status = 429, description = "Too many requests (`rate_limited`); see `Retry-After`", body = ErrorBody),
        (status = 503, description = "Took over 15 s (`timeout`), or the connection cap was reached (`overloaded`)", body = ErrorBody),
    )
)]
pub(crate) async fn check_raw(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let is_rfc822 = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("message/rfc822"));
    if !is_rfc822 {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Send the raw email with `Content-Type: message/rfc822`.",
        ));
    }
    let input = CheckInput {
        bytes: body.to_vec(),
        channel: Some(Channel::Email),
        ..CheckInput::default()
    };
    let assessment = check::assess(&state, input).await?;
    let stamp = Stamp::of(&assessment, &StampOptions::default());
    let doc = RawCheckDoc {
        schema_version: assessment.schema_version,
        verdict: assessment.verdict.as_str(),
        score: assessment.score,
        flags: assessment.findings.iter().map(|f| f.rule).collect(),
        claims_brand: assessment.claims_brand,
        headers: stamp
            .fields
            .into_iter()
            .map(|(name, value)| HeaderField { name, value })
            .collect(),
    };
    Ok(no_store(json::Json(doc).into_response()))
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
        (status = 200, description = "`amazon`, `hotline`: the .eml draft (`message/rfc822`, as an attachment). `ftc`: FtcReport. `sms7726`: Sms7726Steps.", body = redflag_engine::FtcReport),
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
    let to = parse_target(&to, state.engine().profile())?;
    let checked = check::run(&state, req.into_input()?).await?;
    report_response(state.engine().profile(), &checked, to)
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
