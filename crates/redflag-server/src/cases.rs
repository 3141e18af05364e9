//! The hotline's case API: save a check (with the person's consent), list and read cases,
//! the indicators that come back, and a CSV export. Every route needs the token.

use crate::AppState;
use crate::check::{self, Checked};
use crate::error::{ApiError, ErrorBody};
use crate::request::{ChannelName, CheckRequest};
use axum::Json;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::SecondsFormat;
use redflag_store::{CaseId, NewCase, Store};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Longest note a hotline may keep with a case (the API's and the page's rule alike).
pub(crate) const MAX_NOTE_CHARS: usize = 2000;

/// Refuses case requests without the token: 503 `cases_disabled` when the server has none,
/// 401 `unauthorized` otherwise. Failed attempts count against the client's rate limit.
pub(crate) async fn require_token(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let Some((_, token)) = state.cases() else {
        return ApiError::cases_disabled().into_response();
    };
    let auth = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    if !token.matches_bearer(auth) {
        if let Some(limiter) = state.limiter()
            && let Err(wait) = limiter.check(crate::ratelimit::client_ip(&req))
        {
            return ApiError::rate_limited(wait).into_response();
        }
        return ApiError::unauthorized().into_response();
    }
    next.run(req).await
}

fn store(state: &AppState) -> Result<&Store, ApiError> {
    state
        .cases()
        .map(|(s, _)| s)
        .ok_or_else(ApiError::cases_disabled)
}

/// A case to save: a message to check, as for `/api/v1/check`, plus the person's consent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CaseRequest {
    /// The message as text (see `CheckRequest`).
    text: Option<String>,
    /// A raw email (.eml) as text.
    email: Option<String>,
    /// A raw email (.eml) in base64.
    email_base64: Option<String>,
    /// A screenshot or photo of the message (PNG, JPEG or WebP) in base64; kept with the
    /// case, without its metadata (see `CheckRequest`).
    image_base64: Option<String>,
    /// How it arrived.
    channel: Option<ChannelName>,
    /// Who sent it.
    sender: Option<String>,
    /// The subject, for a pasted email body.
    subject: Option<String>,
    /// Order numbers, typed or pasted.
    order_numbers: Option<String>,
    /// The Your Orders export (CSV).
    orders_csv: Option<String>,
    /// Must be `true`: the person agreed that the hotline keeps the message.
    consent: Option<bool>,
    /// The hotline's note, at most 2,000 characters.
    note: Option<String>,
}

/// The saved case.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SavedCase {
    /// Its number.
    pub(crate) id: i64,
    /// `scam`, `suspicious` or `clean`.
    pub(crate) verdict: &'static str,
    /// 0 to 100.
    pub(crate) score: u8,
}

#[utoipa::path(
    post,
    path = "/api/v1/cases",
    tag = "cases",
    summary = "Save a case",
    description = "Checks the message and saves the case with its report and indicators (phone numbers, link domains and the sender). Needs the person's consent.",
    request_body = CaseRequest,
    security(("token" = [])),
    responses(
        (status = 201, description = "Saved; `Location` is the case", body = SavedCase),
        (status = 400, description = "`consent_required`, or the body is not JSON (`invalid_request`)", body = ErrorBody),
        (status = 401, description = "No or wrong token (`unauthorized`)", body = ErrorBody),
        (status = 422, description = "As for check", body = ErrorBody),
        (status = 503, description = "No token configured (`cases_disabled`), or the case store cannot be reached or is full (`store_unavailable`, with `Retry-After`)", body = ErrorBody),
    )
)]
pub(crate) async fn create(
    State(state): State<AppState>,
    Json(req): Json<CaseRequest>,
) -> Result<Response, ApiError> {
    let store = store(&state)?;
    if req.consent != Some(true) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "consent_required",
            "A case is only saved when the person agreed: send \"consent\": true.",
        ));
    }
    let note = req
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    if note
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS)
    {
        return Err(ApiError::bad_input(
            "invalid_request",
            format!("`note` is over {MAX_NOTE_CHARS} characters."),
        ));
    }
    let check = CheckRequest {
        text: req.text,
        email: req.email,
        email_base64: req.email_base64,
        image_base64: req.image_base64,
        channel: req.channel,
        sender: req.sender,
        subject: req.subject,
        order_numbers: req.order_numbers,
        orders_csv: req.orders_csv,
        country: None,
    };
    let checked = check::run(&state, check.into_input()?).await?;
    let saved = save(store, &checked, note).await?;
    let mut res = (StatusCode::CREATED, Json(&saved)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/cases/{}", saved.id)) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// Saves a checked message as a case (the caller has checked consent).
pub(crate) async fn save(
    store: &Store,
    checked: &Checked,
    note: Option<String>,
) -> Result<SavedCase, ApiError> {
    let mut case = NewCase::from_report(&checked.report);
    case.sender = checked.sender();
    case.subject = checked.msg.subject().map(|s| s.trim().to_string());
    case.consent = true;
    case.note = note;
    if checked.input.is_image() {
        // Kept as pixels only: a photo's EXIF can hold where and when it was taken.
        let clean = redflag_engine::screenshot::clean_copy(&checked.input.bytes)
            .map_err(|e| ApiError::internal("re-encoding a screenshot failed", &e))?;
        case.image = Some(redflag_store::CaseImage {
            media_type: clean.format.media_type().to_string(),
            width: clean.width,
            height: clean.height,
            bytes: clean.bytes,
        });
    }
    let id = store
        .save_case(&case)
        .await
        .map_err(|e| ApiError::internal("saving a case failed", &e))?;
    tracing::info!(case = id.0, "case saved");
    Ok(SavedCase {
        id: id.0,
        verdict: checked.report.verdict.as_str(),
        score: checked.report.score,
    })
}

/// Paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListQuery {
    /// How many cases (default 50, at most 500).
    limit: Option<u32>,
    /// How many of the newest to skip (default 0).
    offset: Option<u64>,
}

/// A case without its report and text.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CaseSummaryOut {
    id: i64,
    /// When it was saved, UTC (RFC 3339).
    #[schema(example = "2026-11-24T09:30:00.000Z")]
    created_at: String,
    channel: ChannelName,
    /// `scam`, `suspicious` or `clean`.
    verdict: &'static str,
    score: u8,
    sender: Option<String>,
    subject: Option<String>,
    consent: bool,
    note: Option<String>,
}

impl From<redflag_store::CaseSummary> for CaseSummaryOut {
    fn from(c: redflag_store::CaseSummary) -> Self {
        CaseSummaryOut {
            id: c.id.0,
            created_at: c.created_at.to_rfc3339_opts(SecondsFormat::Millis, true),
            channel: match c.channel {
                redflag_engine::Channel::Email => ChannelName::Email,
                redflag_engine::Channel::Sms => ChannelName::Sms,
                redflag_engine::Channel::Chat => ChannelName::Chat,
                redflag_engine::Channel::Call => ChannelName::Call,
                redflag_engine::Channel::Screen => ChannelName::Screen,
            },
            verdict: c.verdict.as_str(),
            score: c.score,
            sender: c.sender,
            subject: c.subject,
            consent: c.consent,
            note: c.note,
        }
    }
}

/// A page of cases, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CaseList {
    cases: Vec<CaseSummaryOut>,
    limit: u32,
    offset: u64,
}

#[utoipa::path(
    get,
    path = "/api/v1/cases",
    tag = "cases",
    summary = "List cases, newest first",
    params(ListQuery),
    security(("token" = [])),
    responses(
        (status = 200, description = "A page of cases", body = CaseList),
        (status = 400, description = "Bad `limit` or `offset` (`invalid_request`)", body = ErrorBody),
        (status = 401, description = "`unauthorized`", body = ErrorBody),
        (status = 503, description = "`cases_disabled`, or `store_unavailable` (with `Retry-After`)", body = ErrorBody),
    )
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Json<CaseList>, ApiError> {
    let limit = q.limit.unwrap_or(50).min(redflag_store::MAX_LIST_LIMIT);
    let offset = q.offset.unwrap_or(0);
    let cases = store(&state)?
        .list_cases(limit, offset)
        .await
        .map_err(|e| ApiError::internal("listing cases failed", &e))?;
    Ok(Json(CaseList {
        cases: cases.into_iter().map(CaseSummaryOut::from).collect(),
        limit,
        offset,
    }))
}

/// An indicator of a case.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct IndicatorOut {
    /// `phone`, `domain` or `sender`.
    #[schema(example = "phone")]
    kind: &'static str,
    #[schema(example = "+18885550199")]
    value: String,
}

/// A case in full.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CaseOut {
    #[serde(flatten)]
    summary: CaseSummaryOut,
    /// The report as saved (see `/api/v1/check`).
    report: serde_json::Value,
    /// The message as checked.
    message_text: String,
    /// Where the screenshot the message was read from is, when one is kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "/api/v1/cases/7/image")]
    image: Option<String>,
    indicators: Vec<IndicatorOut>,
}

#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}",
    tag = "cases",
    summary = "One case, with its report, text and indicators",
    params(("id" = i64, Path, description = "The case number")),
    security(("token" = [])),
    responses(
        (status = 200, description = "The case", body = CaseOut),
        (status = 401, description = "`unauthorized`", body = ErrorBody),
        (status = 404, description = "No such case (`not_found`)", body = ErrorBody),
        (status = 503, description = "`cases_disabled`, or `store_unavailable` (with `Retry-After`)", body = ErrorBody),
    )
)]
pub(crate) async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CaseOut>, ApiError> {
    let no_case = || ApiError::not_found("There is no such case.");
    let id: i64 = id.parse().map_err(|_| no_case())?;
    let case = store(&state)?
        .get_case(CaseId(id))
        .await
        .map_err(|e| ApiError::internal("reading a case failed", &e))?
        .ok_or_else(no_case)?;
    Ok(Json(CaseOut {
        summary: case.summary.into(),
        report: case.report,
        message_text: case.message_text,
        image: case.has_image.then(|| format!("/api/v1/cases/{id}/image")),
        indicators: case
            .indicators
            .into_iter()
            .map(|i| IndicatorOut {
                kind: i.kind.as_str(),
                value: i.value,
            })
            .collect(),
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/image",
    tag = "cases",
    summary = "The screenshot kept with a case",
    description = "The image the case's message was read from, re-encoded without its metadata (PNG or JPEG). The report's `image.regions` give the boxes of each red flag on it, in its pixels.",
    params(("id" = i64, Path, description = "The case number")),
    security(("token" = [])),
    responses(
        (status = 200, description = "The image", content_type = "image/png", body = Vec<u8>),
        (status = 401, description = "`unauthorized`", body = ErrorBody),
        (status = 404, description = "No such case, or no image with it (`not_found`)", body = ErrorBody),
        (status = 503, description = "`cases_disabled`, or `store_unavailable` (with `Retry-After`)", body = ErrorBody),
    )
)]
pub(crate) async fn image(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let none = || ApiError::not_found("There is no image with this case.");
    let id: i64 = id.parse().map_err(|_| none())?;
    let img = store(&state)?
        .case_image(CaseId(id))
        .await
        .map_err(|e| ApiError::internal("reading a case image failed", &e))?
        .ok_or_else(none)?;
    let media_type = if img.media_type == "image/jpeg" {
        "image/jpeg"
    } else {
        "image/png"
    };
    Ok(crate::security::no_store(
        ([(header::CONTENT_TYPE, media_type)], img.bytes).into_response(),
    ))
}

/// How often an indicator came back.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct IndicatorCountOut {
    /// `phone`, `domain` or `sender`.
    kind: &'static str,
    value: String,
    /// In how many cases.
    count: u64,
    /// When the first case with it was saved, UTC.
    first_seen: String,
    /// When the last case with it was saved, UTC.
    last_seen: String,
}

/// Indicators, most frequent first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct IndicatorList {
    indicators: Vec<IndicatorCountOut>,
}

#[utoipa::path(
    get,
    path = "/api/v1/indicators",
    tag = "cases",
    summary = "Phone numbers, domains and senders across cases, most frequent first",
    security(("token" = [])),
    responses(
        (status = 200, description = "Every indicator with its case count", body = IndicatorList),
        (status = 401, description = "`unauthorized`", body = ErrorBody),
        (status = 503, description = "`cases_disabled`, or `store_unavailable` (with `Retry-After`)", body = ErrorBody),
    )
)]
pub(crate) async fn indicators(
    State(state): State<AppState>,
) -> Result<Json<IndicatorList>, ApiError> {
    let list = store(&state)?
        .indicators()
        .await
        .map_err(|e| ApiError::internal("counting indicators failed", &e))?;
    Ok(Json(IndicatorList {
        indicators: list
            .into_iter()
            .map(|i| IndicatorCountOut {
                kind: i.kind.as_str(),
                value: i.value,
                count: i.count,
                first_seen: i.first_seen.to_rfc3339_opts(SecondsFormat::Millis, true),
                last_seen: i.last_seen.to_rfc3339_opts(SecondsFormat::Millis, true),
            })
            .collect(),
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/cases.csv",
    tag = "cases",
    summary = "Every case as CSV",
    description = "One row per case, oldest first: id, created_at, channel, verdict, score, sender, subject, consent, note, phones, domains, senders, rules, message. Cells a spreadsheet would run as a formula start with `'`.",
    security(("token" = [])),
    responses(
        (status = 200, description = "The CSV", content_type = "text/csv", body = String),
        (status = 401, description = "`unauthorized`", body = ErrorBody),
        (status = 503, description = "`cases_disabled`, or `store_unavailable` (with `Retry-After`)", body = ErrorBody),
    )
)]
pub(crate) async fn export(State(state): State<AppState>) -> Result<Response, ApiError> {
    let csv = store(&state)?
        .export_csv()
        .await
        .map_err(|e| ApiError::internal("CSV export failed", &e))?;
    Ok(csv_response(csv))
}

pub(crate) fn csv_response(csv: String) -> Response {
    crate::security::no_store(
        (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"redflag-cases.csv\"",
                ),
            ],
            csv,
        )
            .into_response(),
    )
}
