//! Errors: the API's `{"error": {"code", "message"}}` answers, the page's plain error pages,
//! and the middleware that gives every error (axum's rejections, the body limit, the
//! timeout) one of those two shapes.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::net::SocketAddr;
use utoipa::ToSchema;

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServerError {
    /// The address could not be bound (in use, or not allowed).
    #[error("cannot listen on {addr}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The case store could not be opened.
    #[error("cannot open the case store")]
    Store(#[from] redflag_store::StoreError),
    /// Serving failed.
    #[error("the server failed")]
    Serve(#[source] std::io::Error),
    /// The hotline token is too short to guard the cases.
    #[error(
        "the hotline token has {chars} characters; use at least {min} random ones (`openssl rand -hex 24`), or --insecure-short-token on a test bench",
        min = crate::MIN_TOKEN_CHARS
    )]
    ShortToken {
        /// How many characters it has.
        chars: usize,
    },
}

/// `Retry-After` of a `store_unavailable` answer, in seconds.
const STORE_RETRY_AFTER_SECS: u64 = 5;

/// An API error: a status, a stable code and a sentence in plain words.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) message: String,
    pub(crate) retry_after: Option<u64>,
}

/// The error body.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ErrorBody {
    pub(crate) error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ErrorDetail {
    /// Stable, snake_case: `invalid_request`, `empty_message`, `not_a_message`,
    /// `not_utf8`, `invalid_orders`, `consent_required`, `unauthorized`, `not_found`,
    /// `method_not_allowed`, `too_large`, `unsupported_media_type`, `rate_limited`,
    /// `hotline_has_no_email`, `cases_disabled`, `timeout`, `body_timeout`,
    /// `store_unavailable`, `overloaded`, `internal`.
    #[schema(example = "empty_message")]
    pub(crate) code: String,
    /// What went wrong, in plain words.
    #[schema(example = "The message is empty.")]
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    pub(crate) fn bad_input(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// A server-side failure: logged here (without personal data), answered generically.
    /// A case store that is out of reach or out of room (the database is down, its disk is
    /// full) is 503 `store_unavailable` with `Retry-After`: it passes without a restart.
    pub(crate) fn internal(what: &str, err: &(dyn std::error::Error + 'static)) -> Self {
        let mut chain = err.to_string();
        let mut source = err.source();
        while let Some(s) = source {
            chain.push_str(": ");
            chain.push_str(&s.to_string());
            source = s.source();
        }
        tracing::error!(error = %chain, "{what}");
        if err
            .downcast_ref::<redflag_store::StoreError>()
            .is_some_and(redflag_store::StoreError::is_unavailable)
        {
            return ApiError::store_unavailable();
        }
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong on the server. Please try again later.",
        )
    }

    pub(crate) fn rate_limited(retry_after: u64) -> Self {
        ApiError {
            retry_after: Some(retry_after),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("Too many requests. Please wait {retry_after} seconds and try again."),
            )
        }
    }

    /// The case store cannot be reached or is full, for now.
    pub(crate) fn store_unavailable() -> Self {
        ApiError {
            retry_after: Some(STORE_RETRY_AFTER_SECS),
            ..ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "store_unavailable",
                "The case store is unavailable for now (the database cannot be reached or its disk is full). Nothing was saved; please try again in a moment.",
            )
        }
    }

    /// The request body did not arrive in time.
    pub(crate) fn body_timeout(limit: std::time::Duration) -> Self {
        ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "body_timeout",
            format!(
                "The request body did not arrive within {} seconds.",
                limit.as_secs_f64()
            ),
        )
    }

    pub(crate) fn cases_disabled() -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "cases_disabled",
            "The case store is off: the server was started without a token.",
        )
    }

    pub(crate) fn unauthorized() -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "This needs the hotline's token: send it as `Authorization: Bearer <token>`.",
        )
    }

    /// The error for a status that a layer or axum produced without a body we control.
    pub(crate) fn for_status(status: StatusCode, detail: Option<String>) -> Self {
        let (code, message) = match status {
            StatusCode::PAYLOAD_TOO_LARGE => (
                "too_large",
                format!(
                    "The request is over the {} MiB limit.",
                    crate::MAX_BODY_BYTES / (1024 * 1024)
                ),
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => (
                "unsupported_media_type",
                "Send JSON with `Content-Type: application/json`.".to_string(),
            ),
            StatusCode::NOT_FOUND => ("not_found", "There is nothing at this address.".into()),
            StatusCode::METHOD_NOT_ALLOWED => (
                "method_not_allowed",
                "This address does not take that method.".into(),
            ),
            StatusCode::REQUEST_TIMEOUT => (
                "body_timeout",
                "The request did not arrive in time.".to_string(),
            ),
            StatusCode::SERVICE_UNAVAILABLE => (
                "timeout",
                format!(
                    "The request took longer than {} seconds.",
                    crate::REQUEST_TIMEOUT.as_secs()
                ),
            ),
            s if s.is_client_error() => (
                "invalid_request",
                detail
                    .filter(|d| !d.is_empty())
                    .unwrap_or_else(|| "The request could not be read.".into()),
            ),
            _ => (
                "internal",
                "Something went wrong on the server. Please try again later.".into(),
            ),
        };
        ApiError::new(status, code, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message,
            },
        };
        let mut res = (self.status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"redflag hotline\""),
            );
        }
        res
    }
}
