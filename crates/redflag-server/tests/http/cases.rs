//! The hotline's cases: token checks, the API round trip and indicator counts (SQLite, and
//! PostgreSQL when configured), and the hotline's web view.

use crate::*;
use axum::http::{StatusCode, header};
use redflag_store::testing::{TestSchema, postgres_url};
use serde_json::json;
use std::future::Future;

/// Runs `body` on an app whose store is a temporary SQLite file, then PostgreSQL.
async fn on_both<F, Fut>(test: &str, body: F)
where
    F: Fn(Router) -> Fut,
    Fut: Future<Output = ()>,
{
    let (store, _dir) = sqlite_store().await;
    body(app_with_store(store.clone(), 0)).await;
    store.close().await;
    if let Some(url) = postgres_url(test) {
        let schema = TestSchema::create(&url).await.expect("schema");
        let store = Store::open(&schema.url).await.expect("open postgres");
        body(app_with_store(store.clone(), 0)).await;
        store.close().await;
        schema.drop_schema().await.expect("drop schema");
    }
}

fn case_body(text: &str, sender: &str) -> serde_json::Value {
    json!({"text": text, "sender": sender, "consent": true})
}

#[tokio::test]
async fn cases_need_the_token() {
    let (store, _dir) = sqlite_store().await;
    let app = app_with_store(store, 0);
    for req in [
        get("/api/v1/cases"),
        get("/api/v1/cases/1"),
        get("/api/v1/indicators"),
        get("/api/v1/cases.csv"),
        post_json("/api/v1/cases", &case_body("hi", "x")),
        // A bad body is still refused for the token first.
        post_json("/api/v1/cases", &json!("not an object")),
    ] {
        let what = format!("{} {}", req.method(), req.uri());
        let a = send(&app, req).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{what}");
        assert_eq!(a.error_code(), "unauthorized");
        assert!(a.header(header::WWW_AUTHENTICATE).starts_with("Bearer"));
    }
    for token in ["wrong", "", &TOKEN[..TOKEN.len() - 1], &format!("{TOKEN}x")] {
        let a = send(&app, with_token(get("/api/v1/cases"), token)).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "token {token:?}");
    }
    let mut req = get("/api/v1/cases");
    req.headers_mut().insert(
        header::AUTHORIZATION,
        format!("Basic {TOKEN}").parse().unwrap(),
    );
    assert_eq!(send(&app, req).await.status, StatusCode::UNAUTHORIZED);
    let a = send(&app, with_token(get("/api/v1/cases"), TOKEN)).await;
    assert_eq!(a.status, StatusCode::OK);
}

#[tokio::test]
async fn wrong_tokens_count_against_the_rate_limit() {
    let (store, _dir) = sqlite_store().await;
    let app = app_with_store(store, 3);
    for _ in 0..3 {
        let a = send(&app, with_token(get("/api/v1/cases"), "guess")).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    let a = send(&app, with_token(get("/api/v1/cases"), "guess")).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(a.error_code(), "rate_limited");
    // The right token is not rate-limited.
    for _ in 0..5 {
        let a = send(&app, with_token(get("/api/v1/cases"), TOKEN)).await;
        assert_eq!(a.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn cases_are_off_without_a_token() {
    let (store, _dir) = sqlite_store().await;
    // A store without a token: still off.
    let app = app(AppState::new(
        redflag_engine::Engine::default(),
        Some(store),
        None,
        0,
    ));
    let a = send(&app, with_token(get("/api/v1/cases"), TOKEN)).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(a.error_code(), "cases_disabled");
    let a = send(&app, get("/hotline")).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        element(&a.text(), "form-error")
            .unwrap()
            .contains("without a token")
    );
    let a = send(&app, get("/api/v1/health")).await;
    assert_eq!(a.json(), json!({"status": "ok", "cases": false}));
}

#[tokio::test]
async fn api_round_trip_and_indicator_counts() {
    on_both("api_round_trip_and_indicator_counts", |app| async move {
        let scam = fixture_text("sms/scam-account-suspended-call.txt");
        // Consent is required.
        for body in [
            json!({"text": scam}),
            json!({"text": scam, "consent": false}),
        ] {
            let a = send(&app, with_token(post_json("/api/v1/cases", &body), TOKEN)).await;
            assert_eq!(a.status, StatusCode::BAD_REQUEST);
            assert_eq!(a.error_code(), "consent_required");
        }
        let a = send(
            &app,
            with_token(
                post_json(
                    "/api/v1/cases",
                    &json!({"text": scam, "consent": true, "note": "x".repeat(2001)}),
                ),
                TOKEN,
            ),
        )
        .await;
        assert_eq!(a.error_code(), "invalid_request");

        let mut ids = Vec::new();
        for sender in [
            "amz.security.notice@icloud.com",
            "amz.security.notice@icloud.com",
            "Other@Example.net",
        ] {
            let a = send(
                &app,
                with_token(post_json("/api/v1/cases", &case_body(&scam, sender)), TOKEN),
            )
            .await;
            assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
            let j = a.json();
            assert_eq!(j["verdict"], "scam");
            let id = j["id"].as_i64().unwrap();
            assert_eq!(a.header(header::LOCATION), format!("/api/v1/cases/{id}"));
            ids.push(id);
        }
        let email = fixture_text("email/scam-account-locked.eml");
        let a = send(
            &app,
            with_token(
                post_json(
                    "/api/v1/cases",
                    &json!({"email": email, "consent": true, "note": "walk-in, Tuesday"}),
                ),
                TOKEN,
            ),
        )
        .await;
        assert_eq!(a.status, StatusCode::CREATED);
        let email_id = a.json()["id"].as_i64().unwrap();

        let list = send(&app, with_token(get("/api/v1/cases?limit=2"), TOKEN))
            .await
            .json();
        assert_eq!(list["limit"], 2);
        let listed: Vec<i64> = list["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        assert_eq!(listed, vec![email_id, ids[2]]);
        let page2 = send(
            &app,
            with_token(get("/api/v1/cases?limit=2&offset=2"), TOKEN),
        )
        .await
        .json();
        assert_eq!(page2["cases"].as_array().unwrap().len(), 2);
        let a = send(&app, with_token(get("/api/v1/cases?limit=lots"), TOKEN)).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        assert_eq!(a.error_code(), "invalid_request");

        let case = send(
            &app,
            with_token(get(&format!("/api/v1/cases/{email_id}")), TOKEN),
        )
        .await;
        assert_eq!(case.status, StatusCode::OK);
        let c = case.json();
        assert_eq!(c["channel"], "email");
        assert_eq!(c["note"], "walk-in, Tuesday");
        assert_eq!(c["consent"], true);
        assert_eq!(c["sender"], "account-update@amazon-accounts-secure.com");
        assert_eq!(
            c["subject"],
            "Your Amazon Account Is Locked - Order Is On Hold"
        );
        assert_eq!(c["report"]["verdict"], "scam");
        assert_eq!(c["message_text"], c["report"]["text"]);
        assert!(
            c["indicators"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["kind"] == "domain")
        );
        let a = send(&app, with_token(get("/api/v1/cases/999999"), TOKEN)).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
        assert_eq!(a.error_code(), "not_found");
        let a = send(&app, with_token(get("/api/v1/cases/abc"), TOKEN)).await;
        assert_eq!(a.error_code(), "not_found");

        let inds = send(&app, with_token(get("/api/v1/indicators"), TOKEN))
            .await
            .json();
        let inds = inds["indicators"].as_array().unwrap().clone();
        let count = |kind: &str, value: &str| {
            inds.iter()
                .find(|i| i["kind"] == kind && i["value"] == value)
                .map(|i| i["count"].as_u64().unwrap())
        };
        assert_eq!(count("sender", "amz.security.notice@icloud.com"), Some(2));
        assert_eq!(count("sender", "other@example.net"), Some(1));
        let phone = inds
            .iter()
            .find(|i| i["kind"] == "phone")
            .expect("the callback number");
        assert_eq!(phone["count"], 3, "one number across three cases");
        assert_eq!(inds[0]["count"], 3, "most frequent first");

        let csv = send(&app, with_token(get("/api/v1/cases.csv"), TOKEN)).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert_eq!(csv.header(header::CONTENT_TYPE), "text/csv; charset=utf-8");
        assert!(
            csv.header(header::CONTENT_DISPOSITION)
                .contains("redflag-cases.csv")
        );
        let mut rd = csv::Reader::from_reader(csv.body.as_slice());
        assert_eq!(rd.records().count(), 4);
    })
    .await;
}

#[tokio::test]
async fn a_closed_store_answers_500_internal() {
    let (store, _dir) = sqlite_store().await;
    let app = app_with_store(store.clone(), 0);
    store.close().await;
    let a = send(&app, with_token(get("/api/v1/cases"), TOKEN)).await;
    assert_eq!(a.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(a.error_code(), "internal");
    assert!(
        !a.text().to_lowercase().contains("pool"),
        "no internals leak"
    );
}

pub(crate) fn session_cookie(a: &Answer) -> String {
    let set = a.header(header::SET_COOKIE);
    assert!(set.contains("HttpOnly"), "{set}");
    assert!(set.contains("SameSite=Strict"), "{set}");
    set.split(';').next().unwrap().to_string()
}

pub(crate) fn with_cookie(
    mut req: axum::http::Request<axum::body::Body>,
    cookie: &str,
) -> axum::http::Request<axum::body::Body> {
    req.headers_mut()
        .insert(header::COOKIE, cookie.parse().unwrap());
    req
}

#[tokio::test]
async fn the_hotline_view() {
    on_both("the_hotline_view", |app| async move {
        // Signed out: the login form.
        let a = send(&app, get("/hotline")).await;
        assert_eq!(a.status, StatusCode::OK);
        let html = a.text();
        assert!(html.contains(r#"<input type="password" id="token" name="token""#));
        assert!(html.contains(r#"<form id="login-form" method="post" action="/hotline/login">"#));
        assert!(!html.contains("id=\"cases\""));
        let a = send(&app, post_form("/hotline/login", &[("token", "nope")])).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert!(element(&a.text(), "form-error").is_some());
        assert!(a.header(header::SET_COOKIE).is_empty());

        let a = send(&app, post_form("/hotline/login", &[("token", TOKEN)])).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        let cookie = session_cookie(&a);
        assert!(
            !cookie.contains(TOKEN),
            "the cookie does not hold the token"
        );
        assert!(
            !a.header(header::SET_COOKIE).contains("Secure"),
            "plain http"
        );
        let mut behind_tls = post_form("/hotline/login", &[("token", TOKEN)]);
        behind_tls
            .headers_mut()
            .insert("x-forwarded-proto", "https".parse().unwrap());
        assert!(
            send(&app, behind_tls)
                .await
                .header(header::SET_COOKIE)
                .contains("; Secure")
        );

        // Signed in, the result page offers to save the case.
        let text = fixture("sms/scam-account-suspended-call.txt");
        let form = [
            Part("message", None, &text[..]),
            Part("channel", None, b"sms"),
            Part("sender", None, b"amz.security.notice@icloud.com"),
        ];
        let a = send(&app, with_cookie(post_multipart("/check", &form), &cookie)).await;
        let html = a.text();
        assert!(html.contains(r#"<form id="save-case" method="post" action="/hotline/cases">"#));
        assert!(html.contains(
            r#"<input type="checkbox" id="consent" name="consent" value="yes" required>"#
        ));
        // Signed out (or a forged cookie): no save form.
        let a = send(
            &app,
            with_cookie(
                post_multipart("/check", &form),
                "redflag_hotline=v1.99999999999.00.00",
            ),
        )
        .await;
        assert!(!a.text().contains("id=\"save-case\""));

        let carried = [
            ("message", std::str::from_utf8(&text).unwrap()),
            ("channel", "sms"),
            ("sender", "amz.security.notice@icloud.com"),
        ];
        // Without consent, nothing is saved.
        let a = send(
            &app,
            with_cookie(post_form("/hotline/cases", &carried), &cookie),
        )
        .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        // Without the session, nothing is saved.
        let mut with_consent = carried.to_vec();
        with_consent.push(("consent", "yes"));
        with_consent.push(("note", "Caller was 82, did not pay"));
        let a = send(&app, post_form("/hotline/cases", &with_consent)).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        // From another site, nothing is saved.
        let mut cross = with_cookie(post_form("/hotline/cases", &with_consent), &cookie);
        cross
            .headers_mut()
            .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        cross
            .headers_mut()
            .insert(header::HOST, "hotline.example".parse().unwrap());
        assert_eq!(send(&app, cross).await.status, StatusCode::UNAUTHORIZED);

        for _ in 0..2 {
            let a = send(
                &app,
                with_cookie(post_form("/hotline/cases", &with_consent), &cookie),
            )
            .await;
            assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
            assert!(a.header(header::LOCATION).starts_with("/hotline/cases/"));
        }
        let case_url = send(
            &app,
            with_cookie(post_form("/hotline/cases", &with_consent), &cookie),
        )
        .await
        .header(header::LOCATION)
        .to_string();
        let a = send(&app, with_cookie(get(&case_url), &cookie)).await;
        assert_eq!(a.status, StatusCode::OK);
        let html = a.text();
        assert!(html.contains("Caller was 82, did not pay"));
        assert!(
            element(&html, "message-text")
                .unwrap()
                .contains("<mark data-rule=")
        );
        assert!(html.contains("data-verdict=\"scam\""));

        let a = send(&app, with_cookie(get("/hotline"), &cookie)).await;
        assert_eq!(a.status, StatusCode::OK);
        let html = a.text();
        let cases = element(&html, "cases").expect("cases table");
        assert_eq!(cases.matches("<tr data-case=").count(), 3);
        let inds = element(&html, "indicators").expect("indicators table");
        assert!(inds.contains("amz.security.notice@icloud.com"));
        assert!(inds.contains(r#"<td class="count">3</td>"#), "{inds}");
        assert!(html.contains(r#"href="/hotline/cases.csv""#));
        let csv = send(&app, with_cookie(get("/hotline/cases.csv"), &cookie)).await;
        assert_eq!(csv.header(header::CONTENT_TYPE), "text/csv; charset=utf-8");
        assert!(csv.text().contains("Caller was 82"));

        // Signing out clears the cookie.
        let a = send(
            &app,
            with_cookie(post_form("/hotline/logout", &[]), &cookie),
        )
        .await;
        assert!(a.header(header::SET_COOKIE).contains("Max-Age=0"));
        // Signed out, the CSV and cases pages send to the login.
        let a = send(&app, get("/hotline/cases.csv")).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER);
    })
    .await;
}
