//! The web page: a form anyone can use without JavaScript, the result with every warning
//! sign explained and marked in the message, the reports, and the hotline's view.
//!
//! Everything from a message reaches HTML through askama's escaping or
//! [`highlight`](crate::highlight), which escapes too: message HTML is never rendered and
//! links are never made clickable.

use crate::cases::MAX_NOTE_CHARS;
use crate::check::{self, CheckInput, Checked};
use crate::error::ApiError;
use crate::highlight::{Mark, highlight, visible};
use crate::reports;
use crate::security::no_store;
use crate::{AppState, auth};
use askama::Template;
use axum::Router;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use redflag_engine::screenshot::{ImageReader, sniff_image};
use redflag_engine::{BodyPartKind, Channel, OrderHistory, Report, Sms7726Steps};
use serde::Deserialize;

mod hotline;
use hotline::{HotlinePage, case_page, export_csv, hotline, logged_in, login, logout, save_case};

/// Largest original message the result page carries back in its report and save forms;
/// past it, the forms carry the text as checked.
const CARRY_LIMIT: usize = 2 * 1024 * 1024;

/// Most recent cases and indicators shown on the hotline view.
const HOTLINE_ROWS: usize = 100;

/// The page's routes that cost a check or a sign-in attempt: the server puts them behind
/// the rate limit.
pub(crate) fn limited_routes() -> Router<AppState> {
    Router::new()
        .route("/check", post(check_form))
        .route("/report/{to}", post(report_form))
        .route("/hotline/login", post(login))
}

/// The page's other routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/hotline", get(hotline))
        .route("/hotline/logout", post(logout))
        .route("/hotline/cases", post(save_case))
        .route("/hotline/cases.csv", get(export_csv))
        .route("/hotline/cases/{id}", get(case_page))
        .route("/static/redflag.css", get(css))
        .route("/static/redflag.js", get(js))
        .route("/favicon.ico", get(favicon))
        .route("/manifest.webmanifest", get(manifest))
}

// ---------------------------------------------------------------- templates

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    error: Option<String>,
    form: FormValues,
    /// This build reads screenshots: the file field takes images and the camera.
    images: bool,
}

/// What the form held, to show it again with an error.
#[derive(Debug, Clone)]
struct FormValues {
    message: String,
    channel: String,
    sender: String,
    order_numbers: String,
}

impl Default for FormValues {
    fn default() -> Self {
        FormValues {
            message: String::new(),
            channel: "auto".into(),
            sender: String::new(),
            order_numbers: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
}

#[derive(Template)]
#[template(path = "result.html")]
struct ResultPage {
    verdict: &'static str,
    verdict_label: String,
    /// The language of the report's words (`ja`), for `<html lang>`.
    lang: String,
    /// The country whose reporting bodies are listed.
    country: String,
    heading_advice: String,
    heading_findings: String,
    heading_reports: String,
    /// Reports outside the US, each with its text to send; empty for the US page.
    local_reports: Vec<LocalReportView>,
    explanation: &'static str,
    score: u8,
    notes: Vec<String>,
    steps: Vec<&'static str>,
    findings: Vec<FindingView>,
    genuine: Vec<GenuineView>,
    model: Option<String>,
    message_html: String,
    already: Vec<AlreadyView>,
    orders: Option<OrdersView>,
    carry: Carry,
    brand_name: String,
    brand_id: String,
    brand_email: String,
    brand_web: String,
    is_email: bool,
    ftc_text: String,
    ftc_how: String,
    ftc_web: String,
    sms7726: Sms7726Steps,
    hotline_name: String,
    hotline_how: Option<String>,
    hotline_has_email: bool,
    logged_in: bool,
    /// The screenshot the message was read from, with the warning signs marked.
    screenshot: Option<ScreenshotView>,
    /// False: the person's own page (the screenshot template words it for them).
    hotline: bool,
}

/// A screenshot on the result page or a hotline case: the image (pixels only, as a `data:`
/// URL) and a box for each piece of evidence, in the image's pixels.
pub(crate) struct ScreenshotView {
    pub(crate) data_url: String,
    pub(crate) width: u32,
    pub(crate) height: u32,
    /// "a text message on a phone", "a pop-up or web page"...
    pub(crate) screen: &'static str,
    pub(crate) guessed: bool,
    pub(crate) confidence: u8,
    pub(crate) boxes: Vec<BoxView>,
    /// The marks' numbers' size, in the image's pixels (about a fortieth of its width).
    pub(crate) font_size: u32,
}

/// One marked box: the finding's number on the page (from 1), its rule, where.
pub(crate) struct BoxView {
    pub(crate) n: usize,
    pub(crate) rule: String,
    pub(crate) x: u32,
    pub(crate) y: u32,
    pub(crate) w: u32,
    pub(crate) h: u32,
    /// Where the number goes: above the box, or below it at the top of the image.
    pub(crate) label_y: u32,
}

/// The screenshot part of a result page: the image re-encoded (pixels only, no metadata)
/// and the regions of the report's findings.
fn screenshot_view(report: &Report, image: &[u8]) -> Option<ScreenshotView> {
    let info = serde_json::to_value(report.image.as_ref()?).ok()?;
    let clean = redflag_engine::screenshot::clean_copy(image).ok()?;
    screenshot_view_of(&info, clean.format.media_type(), &clean.bytes)
}

/// The screenshot view from a report's `image` (as JSON, as the case store keeps reports)
/// and an image already re-encoded. `None` when `image` is not what a report writes.
pub(crate) fn screenshot_view_of(
    info: &serde_json::Value,
    media_type: &str,
    bytes: &[u8],
) -> Option<ScreenshotView> {
    use base64::engine::general_purpose::STANDARD;
    let num = |v: &serde_json::Value, k: &str| {
        v.get(k)
            .and_then(serde_json::Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    let (width, height) = (num(info, "width")?, num(info, "height")?);
    let pad = (width / 300).max(2);
    let mut boxes = Vec::new();
    for r in info.get("regions")?.as_array()? {
        let n = r.get("finding")?.as_u64()? as usize + 1;
        let rule = r.get("rule")?.as_str()?;
        for b in r.get("boxes")?.as_array()? {
            let (x, y, w, h) = (num(b, "x")?, num(b, "y")?, num(b, "w")?, num(b, "h")?);
            boxes.push(BoxView {
                n,
                rule: rule.to_string(),
                x: x.saturating_sub(pad),
                y: y.saturating_sub(pad),
                w: w + 2 * pad,
                h: h + 2 * pad,
                label_y: if y > h { y - pad * 2 } else { y + h },
            });
        }
    }
    let media_type = if media_type == "image/jpeg" {
        "image/jpeg"
    } else {
        "image/png"
    };
    Some(ScreenshotView {
        data_url: format!("data:{media_type};base64,{}", STANDARD.encode(bytes)),
        width,
        height,
        screen: match info.get("screen").and_then(|s| s.as_str()) {
            Some("sms") => "a text message on a phone",
            Some("email") => "an email",
            Some("chat") => "a chat message",
            _ => "a pop-up or web page",
        },
        guessed: !info
            .get("screen_given")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false),
        confidence: info
            .get("confidence")
            .and_then(serde_json::Value::as_u64)
            .map_or(0, |c| c.min(100) as u8),
        boxes,
        font_size: (width / 40).max(14),
    })
}

pub(crate) struct FindingView {
    rule: String,
    explanation: String,
    message: String,
    points: u8,
    outweighed: bool,
    evidence: Vec<EvidenceView>,
}

/// A quote from the message, and where it is when the person may not have seen it (only
/// the plain-text version of an HTML email has it).
pub(crate) struct EvidenceView {
    quote: String,
    part: Option<String>,
}

impl EvidenceView {
    /// `plain_text_only` is what is said beside a quote from a plain-text version only.
    pub(crate) fn new(
        text: &str,
        part: Option<BodyPartKind>,
        plain_text_only: &str,
    ) -> EvidenceView {
        EvidenceView {
            quote: quote(text),
            part: (part == Some(BodyPartKind::PlainTextAlternative))
                .then(|| visible(plain_text_only)),
        }
    }
}

/// A sign that the message is genuine, for the page.
struct GenuineView {
    rule: String,
    message: String,
    explanation: String,
    evidence: Vec<String>,
}

struct AlreadyView {
    key: &'static str,
    title: &'static str,
    steps: &'static [&'static str],
    relevant: bool,
}

struct OrdersView {
    orders_in_history: usize,
    no_match: bool,
    matched: Vec<OrderMatchView>,
    unmatched: Vec<String>,
}

struct OrderMatchView {
    claimed: String,
    order_id: String,
    by: &'static str,
}

/// The message and options, carried back in hidden fields by the report and save forms.
#[derive(Debug, Default)]
struct Carry {
    message: Option<String>,
    message_base64: Option<String>,
    channel: String,
    sender: Option<String>,
    order_numbers: Option<String>,
    orders_csv: Option<String>,
    /// The original was too big to carry: the forms carry the text as checked.
    reduced: bool,
}

fn render(status: StatusCode, t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html("<!doctype html><title>Error</title><p>Something went wrong.</p>"),
            )
                .into_response()
        }
    }
}

/// A plain page with a title and a sentence.
pub(crate) fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    render(status, &ErrorPage { title, message })
}

/// The page for an error a layer produced (body limit, timeout, wrong method): the form
/// again for the form's own routes, else a plain page.
pub(crate) fn error_for(
    method: &Method,
    path: &str,
    status: StatusCode,
    message: &str,
) -> Response {
    match (method, path) {
        (&Method::POST, "/check") => form_error(status, message, FormValues::default()),
        (&Method::POST, "/hotline/login") => render(
            status,
            &HotlinePage {
                error: Some(message.to_string()),
                ..HotlinePage::login()
            },
        ),
        _ => error_page(status, "Something went wrong", message),
    }
}

/// 429 for the page's routes, with `Retry-After`.
pub(crate) fn rate_limited_page(path: &str, wait: u64) -> Response {
    let message =
        format!("Too many tries from your connection. Please wait {wait} seconds and try again.");
    let mut res = error_for(&Method::POST, path, StatusCode::TOO_MANY_REQUESTS, &message);
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(wait));
    res
}

/// The form again, with what was typed and an error in plain words. The page contract
/// allows 400 and 413 for the person's mistakes; server trouble keeps its own status.
fn form_error(status: StatusCode, message: &str, form: FormValues) -> Response {
    let status = match status {
        StatusCode::UNPROCESSABLE_ENTITY => StatusCode::BAD_REQUEST,
        s => s,
    };
    render(
        status,
        &IndexPage {
            error: Some(message.to_string()),
            form,
            images: ImageReader::available(),
        },
    )
}

// ---------------------------------------------------------------- the form and the result

async fn index() -> Response {
    render(
        StatusCode::OK,
        &IndexPage {
            error: None,
            form: FormValues::default(),
            images: ImageReader::available(),
        },
    )
}

/// What the check form sent.
#[derive(Default)]
struct CheckForm {
    values: FormValues,
    file: Option<Vec<u8>>,
    orders_file: Option<Vec<u8>>,
}

async fn read_check_form(
    mut mp: Multipart,
    form: &mut CheckForm,
) -> Result<(), (StatusCode, String)> {
    let too_big = || {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "That is too big: the limit is {} MiB in all.",
                crate::MAX_BODY_BYTES / (1024 * 1024)
            ),
        )
    };
    loop {
        let field = match mp.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return Ok(()),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_big()),
            Err(_) => {
                return Err((
                    StatusCode::BAD_REQUEST,
                    "The form could not be read. Please try again.".into(),
                ));
            }
        };
        let name = field.name().unwrap_or("").to_string();
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_big()),
            Err(_) => {
                return Err((
                    StatusCode::BAD_REQUEST,
                    "The form could not be read. Please try again.".into(),
                ));
            }
        };
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "message" => form.values.message = text(),
            "channel" => form.values.channel = text(),
            "sender" => form.values.sender = text(),
            "order_numbers" => form.values.order_numbers = text(),
            "file" if !bytes.is_empty() => form.file = Some(bytes.to_vec()),
            "orders_file" if !bytes.is_empty() => form.orders_file = Some(bytes.to_vec()),
            _ => {}
        }
    }
}

fn parse_channel(s: &str) -> Result<Option<Channel>, ()> {
    match s.trim() {
        "" | "auto" => Ok(None),
        "email" => Ok(Some(Channel::Email)),
        "sms" => Ok(Some(Channel::Sms)),
        "chat" => Ok(Some(Channel::Chat)),
        "call" => Ok(Some(Channel::Call)),
        "screen" => Ok(Some(Channel::Screen)),
        _ => Err(()),
    }
}

fn some_text(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

async fn check_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    mp: Result<Multipart, MultipartRejection>,
) -> Response {
    let mut form = CheckForm::default();
    let mp = match mp {
        Ok(mp) => mp,
        Err(_) => {
            return form_error(
                StatusCode::BAD_REQUEST,
                "The form could not be read. Please try again.",
                form.values,
            );
        }
    };
    if let Err((status, message)) = read_check_form(mp, &mut form).await {
        return form_error(status, &message, form.values);
    }
    let v = &form.values;
    let pasted = !v.message.trim().is_empty();
    let bytes = match (form.file.take(), pasted) {
        (Some(_), true) => {
            return form_error(
                StatusCode::BAD_REQUEST,
                "Please either paste the message or choose a file, not both.",
                form.values,
            );
        }
        (Some(file), false) => file,
        (None, true) => v.message.clone().into_bytes(),
        (None, false) => {
            return form_error(
                StatusCode::BAD_REQUEST,
                "The message is empty. Paste the message, or choose a saved email or text file.",
                form.values,
            );
        }
    };
    let Ok(channel) = parse_channel(&v.channel) else {
        return form_error(
            StatusCode::BAD_REQUEST,
            "Please choose how the message reached you.",
            form.values,
        );
    };
    let input = CheckInput {
        // A picture chosen as the file is a screenshot; pasted text never is.
        image: !pasted && sniff_image(&bytes).is_some(),
        bytes,
        channel,
        sender: some_text(&v.sender),
        subject: None,
        order_numbers: some_text(&v.order_numbers),
        orders_csv: form
            .orders_file
            .as_deref()
            .map(|b| String::from_utf8_lossy(b).into_owned()),
        country: None,
    };
    match check::run(&state, input).await {
        Ok(checked) => {
            let logged_in = logged_in(&state, &headers);
            let page = result_page(&state, &checked, logged_in);
            let res = no_store(render(StatusCode::OK, &page));
            if page.screenshot.is_some() {
                crate::security::showing_screenshot(res)
            } else {
                res
            }
        }
        Err(e) => form_error(e.status, &e.message, form.values),
    }
}

/// A report outside the US: where it goes, how, and the text to send.
struct LocalReportView {
    to: String,
    name: String,
    address: String,
    /// A link for web, email and phone addresses (from redflag's own data, never from the
    /// message).
    href: Option<String>,
    how: String,
    text_label: String,
    body: String,
}

fn local_reports(report: &redflag_engine::Report, text_label: &str) -> Vec<LocalReportView> {
    if report.country == "US" {
        return Vec::new();
    }
    report
        .reports
        .iter()
        .map(|r| LocalReportView {
            to: r.to.clone(),
            name: r.name.clone(),
            address: r.address.clone(),
            href: match r.method {
                "web" if r.address.starts_with("https://") || r.address.starts_with("http://") => {
                    Some(r.address.clone())
                }
                "email" => Some(format!("mailto:{}", r.address)),
                "phone" => Some(format!(
                    "tel:{}",
                    r.address
                        .chars()
                        .filter(|c| c.is_ascii_digit() || *c == '+' || *c == '#')
                        .collect::<String>()
                )),
                _ => None,
            },
            how: r.how.clone(),
            text_label: text_label.to_string(),
            body: r.body.clone(),
        })
        .collect()
}

fn result_page(state: &AppState, checked: &Checked, logged_in: bool) -> ResultPage {
    let profile = state.engine().profile();
    let report = &checked.report;
    let marks: Vec<Mark<'_>> = report
        .findings
        .iter()
        .flat_map(|f| {
            f.evidence.iter().map(|e| Mark {
                rule: f.rule,
                start: e.start,
                end: e.end,
            })
        })
        .collect();
    let outbound = |to: &str| report.reports.iter().find(|r| r.to == to);
    let hotline = &profile.reports.hotline;
    let ui = &profile.locale(&report.lang).ui;
    ResultPage {
        verdict: report.verdict.as_str(),
        verdict_label: report.verdict_label.clone(),
        lang: report.lang.clone(),
        country: report.country.clone(),
        // The English page keeps its own, warmer headings.
        heading_advice: if report.lang == "en" {
            "What to do now".to_string()
        } else {
            ui.what_to_do.clone()
        },
        heading_findings: if report.lang == "en" {
            "The warning signs".to_string()
        } else {
            ui.red_flags.clone()
        },
        heading_reports: ui.report_it.clone(),
        local_reports: local_reports(report, &ui.report_text),
        explanation: report.advice.summary,
        score: report.score,
        notes: report.notes.iter().map(|n| visible(&n.message)).collect(),
        steps: report.advice.steps.clone(),
        findings: findings_view(report, &ui.evidence_plain_text_only),
        genuine: report
            .genuine_signs
            .iter()
            .map(|g| GenuineView {
                rule: g.rule.to_string(),
                message: plain_quotes(&g.message),
                explanation: g.explanation.clone(),
                evidence: g.evidence.iter().take(3).map(|e| quote(&e.text)).collect(),
            })
            .collect(),
        model: report.model.as_ref().map(|m| m.summary.clone()),
        message_html: highlight(&report.text, &marks),
        already: report
            .advice
            .if_you_already
            .iter()
            .map(|a| AlreadyView {
                key: a.key,
                title: a.title,
                steps: a.steps,
                relevant: a.relevant,
            })
            .collect(),
        orders: report.orders.as_ref().map(|o| OrdersView {
            orders_in_history: o.orders_in_history,
            no_match: o.no_match(),
            matched: o
                .matched
                .iter()
                .map(|m| OrderMatchView {
                    claimed: visible(&m.claimed),
                    order_id: m.order_id.clone(),
                    by: m.by,
                })
                .collect(),
            unmatched: o
                .unmatched
                .iter()
                .map(String::as_str)
                .map(visible)
                .collect(),
        }),
        carry: carry(checked),
        brand_name: profile.brand.name.clone(),
        brand_id: profile.brand.id.clone(),
        brand_email: profile.brand.report.email.clone(),
        brand_web: profile.brand.report.web.clone(),
        is_email: checked.original_email().is_some(),
        ftc_text: outbound("ftc").map(|o| o.body.clone()).unwrap_or_default(),
        ftc_how: profile.reports.ftc.how.clone().unwrap_or_default(),
        ftc_web: profile.reports.ftc.web.clone().unwrap_or_default(),
        sms7726: {
            let mut s = redflag_engine::sms7726_steps(profile, &checked.report);
            s.send = s.send.as_deref().map(visible);
            s
        },
        hotline_name: hotline.name.clone(),
        hotline_how: outbound("hotline")
            .map(|o| o.how.clone())
            .filter(|h| !h.is_empty()),
        hotline_has_email: hotline.email.is_some(),
        logged_in,
        screenshot: if checked.input.is_image() {
            screenshot_view(report, &checked.input.bytes)
        } else {
            None
        },
        hotline: false,
    }
}

fn findings_view(report: &Report, plain_text_only: &str) -> Vec<FindingView> {
    report
        .findings
        .iter()
        .map(|f| FindingView {
            rule: f.rule.to_string(),
            explanation: f.explanation.clone(),
            message: plain_quotes(&f.message),
            points: f.points,
            outweighed: f.outweighed,
            evidence: f
                .evidence
                .iter()
                .map(|e| EvidenceView::new(&e.text, e.part, plain_text_only))
                .collect(),
        })
        .collect()
}

/// A finding's short message for people: the `code` quotes of the report become “quotes”,
/// and what it quotes from the message cannot reorder the text ([`visible`]).
fn plain_quotes(s: &str) -> String {
    let mut open = false;
    let plain: String = s
        .chars()
        .map(|c| {
            if c == '`' {
                open = !open;
                if open { '\u{201c}' } else { '\u{201d}' }
            } else {
                c
            }
        })
        .collect();
    visible(&plain)
}

/// Evidence as a one-line quote of at most 300 characters, shown so that it cannot reorder
/// the text around it ([`visible`]).
fn quote(s: &str) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.is_empty() {
        return format!("({})", redflag_engine::EVIDENCE_WITHOUT_WORDS);
    }
    if one_line.chars().count() > 300 {
        let cut: String = one_line.chars().take(300).collect();
        visible(&format!("{cut}…"))
    } else {
        visible(&one_line)
    }
}

fn carry(checked: &Checked) -> Carry {
    let input = &checked.input;
    let mut c = Carry {
        channel: input.channel.map_or("auto", Channel::as_str).to_string(),
        sender: input.sender.clone(),
        order_numbers: input.order_numbers.clone(),
        orders_csv: input
            .orders_csv
            .as_ref()
            .and(checked.orders.as_ref())
            .map(OrderHistory::to_csv),
        ..Carry::default()
    };
    if input.bytes.len() <= CARRY_LIMIT {
        match std::str::from_utf8(&input.bytes) {
            Ok(s) => c.message = Some(s.to_string()),
            Err(_) => {
                c.message_base64 =
                    Some(base64::engine::general_purpose::STANDARD.encode(&input.bytes));
            }
        }
    } else {
        c.message = Some(checked.report.text.clone());
        c.channel = checked.report.channel.as_str().to_string();
        c.reduced = true;
    }
    c
}

/// The fields the result page's forms send back.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct CarriedForm {
    message: Option<String>,
    message_base64: Option<String>,
    channel: Option<String>,
    sender: Option<String>,
    order_numbers: Option<String>,
    orders_csv: Option<String>,
    consent: Option<String>,
    note: Option<String>,
}

impl CarriedForm {
    fn input(&self) -> Result<CheckInput, ApiError> {
        let (bytes, encoded) = match (&self.message, &self.message_base64) {
            (_, Some(b)) => (
                base64::engine::general_purpose::STANDARD
                    .decode(b.trim())
                    .map_err(|_| ApiError::bad_input("invalid_request", "The form was damaged."))?,
                true,
            ),
            (Some(m), None) => (m.clone().into_bytes(), false),
            (None, None) => (Vec::new(), false),
        };
        let channel = parse_channel(self.channel.as_deref().unwrap_or("auto"))
            .map_err(|()| ApiError::bad_input("invalid_request", "The form was damaged."))?;
        Ok(CheckInput {
            // A screenshot comes back as it went: base64, since it is not text.
            image: encoded && sniff_image(&bytes).is_some(),
            bytes,
            channel,
            sender: self.sender.as_deref().and_then(some_text),
            subject: None,
            order_numbers: self.order_numbers.as_deref().and_then(some_text),
            orders_csv: self.orders_csv.clone().filter(|s| !s.trim().is_empty()),
            country: None,
        })
    }
}

async fn report_form(
    State(state): State<AppState>,
    Path(to): Path<String>,
    Form(form): Form<CarriedForm>,
) -> Response {
    let result = async {
        let to = reports::parse_target(&to, state.engine().profile())?;
        let checked = check::run(&state, form.input()?).await?;
        reports::report_response(state.engine().profile(), &checked, to)
    }
    .await;
    result.unwrap_or_else(|e| page_error(&e))
}

fn page_error(e: &ApiError) -> Response {
    let status = match e.status {
        StatusCode::UNPROCESSABLE_ENTITY => StatusCode::BAD_REQUEST,
        s => s,
    };
    let title = match status {
        StatusCode::NOT_FOUND => "Not found",
        s if s.is_server_error() => "Something went wrong",
        _ => "That did not work",
    };
    error_page(status, title, &e.message)
}

// ---------------------------------------------------------------- static files

const CSS: &str = include_str!("../../static/redflag.css");
const JS: &str = include_str!("../../static/redflag.js");

fn static_file(body: &'static str, content_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

async fn css() -> Response {
    static_file(CSS, "text/css; charset=utf-8")
}

async fn js() -> Response {
    static_file(JS, "text/javascript; charset=utf-8")
}

/// The web app manifest: installed on a phone, the page is a target of the share sheet, so
/// that a screenshot (or a text) can be shared straight to the check form.
const MANIFEST: &str = r##"{
  "name": "redflag: is this message a scam?",
  "short_name": "redflag",
  "start_url": "/",
  "display": "standalone",
  "background_color": "#ffffff",
  "theme_color": "#b00020",
  "share_target": {
    "action": "/check",
    "method": "POST",
    "enctype": "multipart/form-data",
    "params": {
      "text": "message",
      "files": [{ "name": "file", "accept": ["image/*", ".png", ".jpg", ".jpeg", ".webp", ".eml", ".txt", "text/plain", "message/rfc822"] }]
    }
  }
}
"##;

async fn manifest() -> Response {
    static_file(MANIFEST, "application/manifest+json")
}

/// No icon: browsers ask for one on every page, and "nothing" is a fine answer.
async fn favicon() -> Response {
    (
        StatusCode::NO_CONTENT,
        [(header::CACHE_CONTROL, "public, max-age=86400")],
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::hotline::same_origin;
    use super::*;

    #[test]
    fn evidence_quotes_are_one_line_and_never_empty() {
        assert_eq!(quote("call\n  now"), "call now");
        assert_eq!(quote(""), "(a picture or button without words)");
        assert!(quote(&"x ".repeat(400)).ends_with('…'));
    }

    #[test]
    fn quotes_of_the_message_cannot_reorder_the_page() {
        // U+202E in a quote would show "account is locked" as "account is lodekc" and the
        // rest of the line backwards: the quotes show it as a tag, as the message text does.
        assert_eq!(
            quote("account is lo\u{202e}cked"),
            "account is lo[U+202E]cked"
        );
        assert_eq!(
            plain_quotes("says `account is lo\u{202e}cked` and `\u{061c}x\u{2066}`"),
            "says \u{201c}account is lo[U+202E]cked\u{201d} and \u{201c}[U+061C]x[U+2066]\u{201d}"
        );
        assert_eq!(
            quote("<img src=x onerror=alert(1)>"),
            "<img src=x onerror=alert(1)>"
        );
    }

    #[test]
    fn code_quotes_become_plain_quotes() {
        assert_eq!(
            plain_quotes("gives `1-888` and `x`"),
            "gives \u{201c}1-888\u{201d} and \u{201c}x\u{201d}"
        );
    }

    #[test]
    fn same_origin_checks_the_host() {
        let mut h = HeaderMap::new();
        assert!(same_origin(&h), "no Origin: not a browser form");
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(!same_origin(&h));
        // Our own forms send `Origin: null` (no-referrer pages).
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(same_origin(&h));
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(same_origin(&h));
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h));
        h.insert("sec-fetch-site", HeaderValue::from_static("same-site"));
        assert!(!same_origin(&h));
    }
}
