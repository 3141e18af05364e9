//! The API's routes, collected with their OpenAPI 3.1 description (utoipa), and the
//! document served at `/api/openapi.json`.

use crate::error::{ErrorBody, ErrorDetail};
use crate::{AppState, api, cases};
use axum::Json;
use axum::response::IntoResponse;
use std::sync::LazyLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "redflag",
        description = "Tells whether a message claiming to come from Amazon customer support is a scam, shows why, and prepares the reports. Errors are `{\"error\": {\"code\", \"message\"}}`. Request bodies are limited to 10 MiB and requests to 15 seconds; the public endpoints are rate-limited per client IP (429 `rate_limited` with `Retry-After`). The case endpoints need the hotline's token as `Authorization: Bearer <token>`.",
        license(name = "MIT OR Apache-2.0")
    ),
    tags(
        (name = "check", description = "Public: check a message and get reports ready to send. Nothing is stored."),
        (name = "cases", description = "The hotline's case store (token required).")
    ),
    components(schemas(
        ErrorBody,
        ErrorDetail,
        redflag_engine::Sms7726Steps,
        redflag_engine::FtcReport
    )),
    modifiers(&BearerToken)
)]
struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The public endpoints (rate-limited).
pub(crate) fn public_api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::check))
        .routes(routes!(api::assess))
        .routes(routes!(api::check_raw))
        .routes(routes!(api::report))
}

/// The case endpoints (token required).
pub(crate) fn case_api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(cases::create, cases::list))
        .routes(routes!(cases::get))
        .routes(routes!(cases::image))
        .routes(routes!(cases::indicators))
        .routes(routes!(cases::export))
}

/// Everything else under `/api/v1`.
pub(crate) fn other_api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api::health))
}

/// The API's OpenAPI 3.1 document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    OpenApiRouter::<AppState>::with_openapi(ApiDoc::openapi())
        .merge(public_api())
        .merge(case_api())
        .merge(other_api())
        .split_for_parts()
        .1
}

static DOCUMENT: LazyLock<serde_json::Value> =
    LazyLock::new(|| serde_json::to_value(openapi()).unwrap_or(serde_json::Value::Null));

/// `GET /api/openapi.json`.
pub(crate) async fn serve() -> impl IntoResponse {
    Json(&*DOCUMENT)
}
