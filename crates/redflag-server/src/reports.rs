//! The ready-to-send reports of a checked message (the brand's and the hotline's email
//! drafts, the FTC's form, the 7726 steps) as HTTP answers, for the API and the page alike.
//! The reports themselves are the engine's (`redflag_engine::ready_report`), which
//! `redflag check --report` writes too: here are only the status, the headers and the
//! errors.

use crate::check::Checked;
use crate::error::ApiError;
use crate::security::no_store;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use redflag_engine::{Profile, ReadyError, ReadyReport, ReportTarget, ready_report};

/// Where a report goes, from the path (`amazon`, `ftc`, `sms7726`, `hotline`).
pub(crate) fn parse_target(s: &str, profile: &Profile) -> Result<ReportTarget, ApiError> {
    ReportTarget::parse(s, profile).ok_or_else(|| {
        ApiError::not_found(format!(
            "No such report: use {}.",
            ReportTarget::choices(profile)
        ))
    })
}

pub(crate) fn report_response(
    profile: &Profile,
    checked: &Checked,
    to: ReportTarget,
) -> Result<Response, ApiError> {
    let ready = ready_report(
        profile,
        &checked.msg,
        &checked.report,
        to,
        checked.original_email(),
    )
    .map_err(|e| match e {
        ReadyError::HotlineHasNoEmail { .. } => {
            ApiError::bad_input("hotline_has_no_email", e.to_string())
        }
    })?;
    let res = match ready {
        ReadyReport::Email(draft) => {
            let mut res = (StatusCode::OK, draft.to_eml()).into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("message/rfc822"),
            );
            let name = to.file_name(profile);
            if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            res
        }
        ReadyReport::Ftc(f) => Json(f).into_response(),
        ReadyReport::Sms7726(s) => Json(s).into_response(),
    };
    Ok(no_store(res))
}
