//! The hotline's view on the page: signing in with the token, the recent cases and the
//! indicators that come back, one case with its message marked, saving a case from a
//! result, and the CSV export. Every route but the sign-in needs a valid session.

use super::*;

#[derive(Template)]
#[template(path = "hotline.html")]
pub(super) struct HotlinePage {
    pub(super) disabled: bool,
    pub(super) logged_in: bool,
    pub(super) error: Option<String>,
    pub(super) saved: Option<i64>,
    pub(super) cases: Vec<CaseRow>,
    pub(super) indicators: Vec<IndicatorRow>,
}

pub(super) struct CaseRow {
    id: i64,
    created_at: String,
    channel: &'static str,
    verdict: &'static str,
    verdict_label: &'static str,
    score: u8,
    sender: String,
    subject: String,
    note: String,
}

pub(super) struct IndicatorRow {
    kind: &'static str,
    value: String,
    count: u64,
    first_seen: String,
    last_seen: String,
}

#[derive(Template)]
#[template(path = "case.html")]
pub(super) struct CasePage {
    id: i64,
    verdict: &'static str,
    verdict_label: &'static str,
    score: u8,
    created_at: String,
    channel: &'static str,
    sender: String,
    subject: String,
    consent: bool,
    note: String,
    indicators: Vec<(&'static str, String)>,
    findings: Vec<FindingView>,
    message_html: String,
    /// The screenshot kept with the case, with its marks.
    screenshot: Option<ScreenshotView>,
    /// True: the screenshot template words it for the hotline.
    hotline: bool,
}

// ---------------------------------------------------------------- the hotline's view

impl HotlinePage {
    pub(super) fn login() -> HotlinePage {
        HotlinePage {
            disabled: false,
            logged_in: false,
            error: None,
            saved: None,
            cases: Vec::new(),
            indicators: Vec::new(),
        }
    }
}

/// Whether the request carries a valid hotline session.
pub(super) fn logged_in(state: &AppState, headers: &HeaderMap) -> bool {
    let Some((_, token)) = state.cases() else {
        return false;
    };
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| auth::cookie(c, auth::COOKIE))
        .any(|v| token.check_session(v, auth::now()))
}

/// A state-changing request from a browser must come from this site. Browsers say where a
/// request comes from in `Sec-Fetch-Site`; older ones only in `Origin`, which is `null` on
/// this site's own forms because its pages send no referrer (`Referrer-Policy:
/// no-referrer`), so `null` proves nothing either way. Requests that say nothing (not
/// from a browser) pass: the session cookie is `SameSite=Strict` besides.
pub(super) fn same_origin(headers: &HeaderMap) -> bool {
    let get = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if let Some(site) = get("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    match get(header::ORIGIN.as_str()) {
        None | Some("null") => true,
        Some(origin) => {
            let origin_host = origin
                .split_once("://")
                .map(|(_, rest)| rest.trim_end_matches('/'));
            matches!((origin_host, get(header::HOST.as_str())), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
        }
    }
}

/// Whether the page was reached over HTTPS (directly or through a proxy that says so).
pub(super) fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"))
}

pub(super) fn session_cookie(value: &str, max_age: u64, https: bool) -> HeaderValue {
    let secure = if https { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}",
        auth::COOKIE
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[derive(Deserialize)]
pub(super) struct HotlineQuery {
    saved: Option<i64>,
}

pub(super) async fn hotline(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HotlineQuery>,
) -> Response {
    let Some((store, _)) = state.cases() else {
        return render(
            StatusCode::SERVICE_UNAVAILABLE,
            &HotlinePage {
                disabled: true,
                ..HotlinePage::login()
            },
        );
    };
    if !logged_in(&state, &headers) {
        return render(StatusCode::OK, &HotlinePage::login());
    }
    let cases = match store.list_cases(HOTLINE_ROWS as u32, 0).await {
        Ok(c) => c,
        Err(e) => return page_error(&ApiError::internal("listing cases failed", &e)),
    };
    let indicators = match store.indicators().await {
        Ok(i) => i,
        Err(e) => return page_error(&ApiError::internal("counting indicators failed", &e)),
    };
    let page = HotlinePage {
        disabled: false,
        logged_in: true,
        error: None,
        saved: q.saved,
        cases: cases
            .into_iter()
            .map(|c| CaseRow {
                id: c.id.0,
                created_at: time(c.created_at),
                channel: c.channel.as_str(),
                verdict: c.verdict.as_str(),
                verdict_label: c.verdict.label(),
                score: c.score,
                sender: visible(&c.sender.unwrap_or_default()),
                subject: visible(&c.subject.unwrap_or_default()),
                note: visible(&c.note.unwrap_or_default()),
            })
            .collect(),
        indicators: indicators
            .into_iter()
            .take(HOTLINE_ROWS)
            .map(|i| IndicatorRow {
                kind: i.kind.as_str(),
                value: visible(&i.value),
                count: i.count,
                first_seen: time(i.first_seen),
                last_seen: time(i.last_seen),
            })
            .collect(),
    };
    no_store(render(StatusCode::OK, &page))
}

pub(super) fn time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    token: String,
}

pub(super) async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let Some((_, token)) = state.cases() else {
        return render(
            StatusCode::SERVICE_UNAVAILABLE,
            &HotlinePage {
                disabled: true,
                ..HotlinePage::login()
            },
        );
    };
    if !token.matches(&form.token) {
        tracing::warn!("hotline sign-in with a wrong token");
        return render(
            StatusCode::UNAUTHORIZED,
            &HotlinePage {
                error: Some("That token is not right. Please check it and try again.".into()),
                ..HotlinePage::login()
            },
        );
    }
    let Some(session) = token.new_session(auth::now()) else {
        return page_error(&ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Could not start a session. Please try again.",
        ));
    };
    let mut res = Redirect::to("/hotline").into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(&session, auth::SESSION_SECS, is_https(&headers)),
    );
    res
}

pub(super) async fn logout(headers: HeaderMap) -> Response {
    let mut res = Redirect::to("/hotline").into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie("", 0, is_https(&headers)),
    );
    res
}

pub(super) async fn save_case(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<CarriedForm>,
) -> Response {
    let Some((store, _)) = state.cases() else {
        return page_error(&ApiError::cases_disabled());
    };
    if !logged_in(&state, &headers) || !same_origin(&headers) {
        return error_page(
            StatusCode::UNAUTHORIZED,
            "Please sign in",
            "Saving a case needs the hotline sign-in. Sign in at /hotline, then check the message again.",
        );
    }
    if !matches!(form.consent.as_deref(), Some("yes" | "on" | "true")) {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Consent needed",
            "A case is only saved when the person agreed: tick the box and try again.",
        );
    }
    let note = form.note.as_deref().and_then(some_text);
    if note
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS)
    {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Note too long",
            "The note is too long: keep it under 2,000 characters.",
        );
    }
    let result = async {
        let checked = check::run(&state, form.input()?).await?;
        crate::cases::save(store, &checked, note).await
    }
    .await;
    match result {
        Ok(saved) => Redirect::to(&format!("/hotline/cases/{}", saved.id)).into_response(),
        Err(e) => page_error(&e),
    }
}

pub(super) async fn case_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let Some((store, _)) = state.cases() else {
        return page_error(&ApiError::cases_disabled());
    };
    if !logged_in(&state, &headers) {
        return Redirect::to("/hotline").into_response();
    }
    let Ok(id) = id.parse::<i64>() else {
        return error_page(StatusCode::NOT_FOUND, "Not found", "There is no such case.");
    };
    let case = match store.get_case(redflag_store::CaseId(id)).await {
        Ok(Some(c)) => c,
        Ok(None) => {
            return error_page(StatusCode::NOT_FOUND, "Not found", "There is no such case.");
        }
        Err(e) => return page_error(&ApiError::internal("reading a case failed", &e)),
    };
    // The case's findings are in the report's language; so is what marks a plain-text-only
    // quote.
    let lang = case
        .report
        .get("lang")
        .and_then(|l| l.as_str())
        .unwrap_or("en");
    let words = state.engine().profile().locale(lang);
    let findings = findings_of(&case.report, &words.ui.evidence_plain_text_only);
    let marks: Vec<Mark<'_>> = findings
        .iter()
        .flat_map(|(f, spans)| {
            spans.iter().map(|&(start, end)| Mark {
                rule: f.rule.as_str(),
                start,
                end,
            })
        })
        .collect();
    let message_html = highlight(&case.message_text, &marks);
    // A missing or unreadable image leaves the page without it, never without the case.
    let screenshot = match case.has_image {
        true => match store.case_image(redflag_store::CaseId(id)).await {
            Ok(Some(img)) => case
                .report
                .get("image")
                .and_then(|info| screenshot_view_of(info, &img.media_type, &img.bytes)),
            Ok(None) => None,
            Err(e) => return page_error(&ApiError::internal("reading a case image failed", &e)),
        },
        false => None,
    };
    let s = &case.summary;
    let page = CasePage {
        id: s.id.0,
        verdict: s.verdict.as_str(),
        verdict_label: s.verdict.label(),
        score: s.score,
        created_at: time(s.created_at),
        channel: s.channel.as_str(),
        sender: visible(s.sender.as_deref().unwrap_or_default()),
        subject: visible(s.subject.as_deref().unwrap_or_default()),
        consent: s.consent,
        note: visible(s.note.as_deref().unwrap_or_default()),
        indicators: case
            .indicators
            .iter()
            .map(|i| (i.kind.as_str(), visible(&i.value)))
            .collect(),
        message_html,
        findings: findings.into_iter().map(|(f, _)| f).collect(),
        screenshot,
        hotline: true,
    };
    let res = no_store(render(StatusCode::OK, &page));
    if page.screenshot.is_some() {
        crate::security::showing_screenshot(res)
    } else {
        res
    }
}

pub(super) async fn export_csv(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some((store, _)) = state.cases() else {
        return page_error(&ApiError::cases_disabled());
    };
    if !logged_in(&state, &headers) {
        return Redirect::to("/hotline").into_response();
    }
    match store.export_csv().await {
        Ok(csv) => crate::cases::csv_response(csv),
        Err(e) => page_error(&ApiError::internal("CSV export failed", &e)),
    }
}

impl FindingView {
    /// A saved finding; `plain_text_only` is the words shown beside evidence that only the
    /// plain-text version of an HTML email has.
    pub(crate) fn from_json(f: &serde_json::Value, plain_text_only: &str) -> FindingView {
        let s = |k: &str| f.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
        FindingView {
            rule: s("rule"),
            explanation: s("explanation"),
            message: plain_quotes(&s("message")),
            points: f
                .get("points")
                .and_then(serde_json::Value::as_u64)
                .and_then(|p| u8::try_from(p).ok())
                .unwrap_or(0),
            // Cases saved before schema 1.3 have no such field.
            outweighed: f
                .get("outweighed")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false),
            evidence: f
                .get("evidence")
                .and_then(|e| e.as_array())
                .map(|es| {
                    es.iter()
                        .filter_map(|e| {
                            let text = e.get("text")?.as_str()?;
                            let part = e
                                .get("part")
                                .and_then(|p| serde_json::from_value(p.clone()).ok());
                            Some(EvidenceView::new(text, part, plain_text_only))
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

/// The findings of a saved report, for the page, with their evidence spans.
pub(crate) fn findings_of(
    report: &serde_json::Value,
    plain_text_only: &str,
) -> Vec<(FindingView, Vec<(usize, usize)>)> {
    report
        .get("findings")
        .and_then(|f| f.as_array())
        .map(|fs| {
            fs.iter()
                .map(|f| {
                    let spans = f
                        .get("evidence")
                        .and_then(|e| e.as_array())
                        .map(|es| {
                            es.iter()
                                .filter_map(|e| {
                                    let n = |k: &str| {
                                        e.get(k)
                                            .and_then(serde_json::Value::as_u64)
                                            .and_then(|v| usize::try_from(v).ok())
                                    };
                                    Some((n("start")?, n("end")?))
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    (FindingView::from_json(f, plain_text_only), spans)
                })
                .collect()
        })
        .unwrap_or_default()
}
