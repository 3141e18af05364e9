//! The public JSON API, its errors and limits, the reports and the OpenAPI document.

use crate::*;
use axum::http::{StatusCode, header};
use base64::Engine as _;
use mail_parser::{MessageParser, MimeHeaders, PartType};
use redflag_engine::{AnalyzeOptions, Channel, Engine, InputOptions, read_input};
use serde_json::json;

fn cli_report(bytes: &[u8], channel: Option<Channel>, sender: Option<&str>) -> serde_json::Value {
    // What `redflag check --json` prints for the same input.
    let opts = InputOptions {
        channel,
        sender: sender.map(str::to_string),
        subject: None,
    };
    let msg = read_input(bytes, &opts)
        .unwrap()
        .messages
        .remove(0)
        .unwrap();
    // As text and back, like a client reads it (an f32 reads back as the f64 of its
    // shortest decimal, not of its exact value).
    let report = Engine::default().analyze(&msg, &AnalyzeOptions::default());
    serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap()
}

#[tokio::test]
async fn check_text_gives_the_cli_report() {
    let app = public_app();
    let text = fixture_text("sms/scam-package-fee.txt");
    let a = send(
        &app,
        post_json(
            "/api/v1/check",
            &json!({"text": text, "sender": "+13055550147"}),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.header(header::CONTENT_TYPE), "application/json");
    assert_eq!(a.header(header::CACHE_CONTROL), "no-store");
    let j = a.json();
    assert_eq!(j["verdict"], "scam");
    assert_eq!(j["channel"], "sms");
    assert_eq!(
        j,
        cli_report(text.as_bytes(), None, Some("+13055550147")),
        "the API returns exactly the CLI's JSON report"
    );
}

fn post_raw(body: &[u8], content_type: &str) -> Request<Body> {
    Request::post("/api/v1/check/raw")
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body.to_vec()))
        .unwrap()
}

#[tokio::test]
async fn check_raw_answers_a_mail_server_with_the_filters_fields() {
    let app = public_app();
    for name in [
        "email/scam-account-locked.eml",
        "email/legit-amazon-shipped.eml",
        "email/malformed-no-headers.eml",
    ] {
        let raw = fixture(name);
        let a = send(&app, post_raw(&raw, "message/rfc822")).await;
        assert_eq!(a.status, StatusCode::OK, "{name}: {}", a.text());
        assert_eq!(a.header(header::CACHE_CONTROL), "no-store");
        let j = a.json();
        let report = cli_report(&raw, Some(Channel::Email), None);
        assert_eq!(j["verdict"], report["verdict"], "{name}");
        assert_eq!(j["score"], report["score"], "{name}");
        let rules: Vec<&str> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap())
            .collect();
        let flags: Vec<&str> = j["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        assert_eq!(flags, rules, "{name}");
        // The same fields `redflag filter` adds, in its order.
        let fields: Vec<(&str, &str)> = j["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["name"].as_str().unwrap(), h["value"].as_str().unwrap()))
            .collect();
        assert_eq!(
            fields[0],
            ("X-Redflag-Verdict", report["verdict"].as_str().unwrap())
        );
        assert_eq!(fields[1].0, "X-Redflag-Score");
        assert_eq!(fields[2].0, "X-Redflag-Flags");
        let listed = if rules.is_empty() {
            "none".to_string()
        } else {
            rules.join(", ")
        };
        assert_eq!(fields[2].1, listed);
    }
    // With parameters on the media type, and in other cases.
    let raw = fixture("email/scam-account-locked.eml");
    let a = send(&app, post_raw(&raw, "Message/RFC822; charset=utf-8")).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    // Anything but message/rfc822 is refused: the body is not JSON.
    for ct in ["application/json", "text/plain", ""] {
        let a = send(&app, post_raw(&raw, ct)).await;
        assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{ct:?}");
        assert_eq!(a.error_code(), "unsupported_media_type");
    }
    let a = send(&app, post_raw(b"", "message/rfc822")).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.error_code(), "empty_message");
    let a = send(
        &app,
        post_raw(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "message/rfc822"),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.error_code(), "not_a_message");
}

/// A finding in brief: rule, points, evidence spans.
type Brief = (String, u64, Vec<(u64, u64)>);

#[tokio::test]
async fn assess_gives_the_reports_verdict_score_and_findings_without_the_words() {
    let app = public_app();
    for (body, bytes, sender) in [
        (
            json!({"text": fixture_text("sms/scam-package-fee.txt"), "sender": "+13055550147"}),
            fixture("sms/scam-package-fee.txt"),
            Some("+13055550147"),
        ),
        (
            json!({"email": fixture_text("email/scam-account-locked.eml")}),
            fixture("email/scam-account-locked.eml"),
            None,
        ),
        (
            json!({"email": fixture_text("email/legit-amazon-shipped.eml")}),
            fixture("email/legit-amazon-shipped.eml"),
            None,
        ),
    ] {
        let a = send(&app, post_json("/api/v1/assess", &body)).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        assert_eq!(a.header(header::CONTENT_TYPE), "application/json");
        assert_eq!(a.header(header::CACHE_CONTROL), "no-store");
        let j = a.json();
        let report = cli_report(&bytes, None, sender);
        for key in [
            "schema_version",
            "verdict",
            "score",
            "channel",
            "brand",
            "claims_brand",
        ] {
            assert_eq!(j[key], report[key], "{key}");
        }
        let brief = |findings: &serde_json::Value| -> Vec<Brief> {
            findings
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    let spans = f["evidence"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|e| (e["start"].as_u64().unwrap(), e["end"].as_u64().unwrap()))
                        .collect();
                    (
                        f["rule"].as_str().unwrap().to_string(),
                        f["points"].as_u64().unwrap_or(0),
                        spans,
                    )
                })
                .collect()
        };
        assert_eq!(brief(&j["findings"]), brief(&report["findings"]));
        let rules = |v: &serde_json::Value| -> Vec<String> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|g| g["rule"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(rules(&j["genuine_signs"]), rules(&report["genuine_signs"]));
        assert_eq!(
            j["model_probability"].as_f64(),
            report["model"]["probability"].as_f64()
        );
        // None of the report's words, and not the message's text.
        for key in [
            "advice",
            "reports",
            "indicators",
            "text",
            "explanation",
            "lang",
        ] {
            assert!(j.get(key).is_none(), "{key} in {j}");
        }
        assert!(j["findings"][0].get("explanation").is_none());
    }
    // The same input errors as a check.
    let a = send(&app, post_json("/api/v1/assess", &json!({"text": "  "}))).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    assert_eq!(a.json()["error"]["code"], "empty_message");
}

#[tokio::test]
async fn small_and_large_inputs_get_the_same_answers_as_the_cli() {
    // Up to 16 KiB a message is analysed on the request's thread, above on an analysis
    // thread: both paths give the CLI's report, and the assessment agrees with it.
    let app = public_app();
    let text = fixture_text("sms/scam-package-fee.txt");
    let padding = "Please read the whole message before you do anything with it. ".repeat(300);
    for text in [text.clone(), format!("{text}\n\n{padding}")] {
        let body = json!({"text": text, "sender": "+13055550147"});
        let report = cli_report(text.as_bytes(), None, Some("+13055550147"));
        let a = send(&app, post_json("/api/v1/check", &body)).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        assert_eq!(a.json(), report, "{} bytes", text.len());
        let a = send(&app, post_json("/api/v1/assess", &body)).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        assert_eq!(a.json()["score"], report["score"], "{} bytes", text.len());
    }
}

#[tokio::test]
async fn check_email_raw_and_base64_agree() {
    let app = public_app();
    let raw = fixture("email/scam-account-locked.eml");
    let as_text = send(
        &app,
        post_json(
            "/api/v1/check",
            &json!({"email": String::from_utf8(raw.clone()).unwrap()}),
        ),
    )
    .await;
    let as_b64 = send(
        &app,
        post_json(
            "/api/v1/check",
            &json!({"email_base64": base64::engine::general_purpose::STANDARD.encode(&raw), "channel": "email"}),
        ),
    )
    .await;
    assert_eq!(as_text.status, StatusCode::OK, "{}", as_text.text());
    assert_eq!(as_b64.status, StatusCode::OK, "{}", as_b64.text());
    assert_eq!(as_text.json()["verdict"], "scam");
    assert_eq!(as_text.json()["channel"], "email");
    assert_eq!(as_text.json(), as_b64.json());
    // A raw email pasted as `text` is recognised as an email too.
    let pasted = send(
        &app,
        post_json(
            "/api/v1/check",
            &json!({"text": String::from_utf8(raw).unwrap()}),
        ),
    )
    .await;
    assert_eq!(pasted.json()["channel"], "email");
}

#[tokio::test]
async fn check_a_call_and_a_genuine_email() {
    let app = public_app();
    let a = send(
        &app,
        post_json(
            "/api/v1/check",
            &json!({"text": fixture_text("call/scam-tech-support.txt"), "channel": "call", "sender": "+18445550142"}),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["channel"], "call");
    assert_ne!(a.json()["verdict"], "clean");

    let a = send(
        &app,
        post_json(
            "/api/v1/check",
            &json!({"email": fixture_text("email/legit-amazon-shipped.eml")}),
        ),
    )
    .await;
    assert_eq!(a.json()["verdict"], "clean");
    assert_eq!(a.json()["verdict_label"], "No red flags found");
}

#[tokio::test]
async fn orders_are_checked_when_given() {
    let app = public_app();
    let text = fixture_text("email/scam-fraudulent-charge-callback.eml");
    let a = send(
        &app,
        post_json(
            "/api/v1/check",
            &json!({"email": text, "order_numbers": "111-0000000-0000001\n113-9999999-9999999"}),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let orders = &a.json()["orders"];
    assert_eq!(orders["orders_in_history"], 2);
    let csv = "Order ID,Order Date,Product Name,Total Owed\n111-0000000-0000001,2026-01-02,Kettle,$19.99\n";
    let a = send(
        &app,
        post_json(
            "/api/v1/check",
            &json!({"email": text, "orders_csv": csv, "order_numbers": "113-9999999-9999999"}),
        ),
    )
    .await;
    assert_eq!(
        a.json()["orders"]["orders_in_history"],
        2,
        "CSV and typed numbers merge"
    );
    let a = send(&app, post_json("/api/v1/check", &json!({"text": "hi"}))).await;
    assert!(a.json().get("orders").is_none());
}

#[tokio::test]
async fn every_error_has_a_code() {
    let app = public_app();
    let check = |body: serde_json::Value| post_json("/api/v1/check", &body);
    let cases: Vec<(axum::http::Request<axum::body::Body>, StatusCode, &str)> = vec![
        (
            axum::http::Request::post("/api/v1/check")
                .header(header::CONTENT_TYPE, "application/json")
                .body("{not json".into())
                .unwrap(),
            StatusCode::BAD_REQUEST,
            "invalid_request",
        ),
        (
            axum::http::Request::post("/api/v1/check")
                .body(r#"{"text":"hi"}"#.into())
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            check(json!({"txt": "typo"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            check(json!({"text": 5})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            check(json!({"text": "a", "channel": "fax"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            check(json!({})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            check(json!({"text": "a", "email": "b"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            check(json!({"email": "From: a@example.org\n\nhi", "channel": "sms"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            check(json!({"email_base64": "%%%not base64%%%"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
        ),
        (
            check(json!({"text": "   \n  "})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "empty_message",
        ),
        (
            check(
                json!({"email_base64": base64::engine::general_purpose::STANDARD.encode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01")}),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_a_message",
        ),
        (
            check(
                json!({"email_base64": base64::engine::general_purpose::STANDARD.encode(b"Pay the fee caf\xe9 now, your account is locked")}),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_utf8",
        ),
        (
            check(json!({"text": "Amazon: call us", "order_numbers": "no numbers here"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_orders",
        ),
        (
            get("/api/v1/nothing-here"),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            post_json("/api/v1/report/nobody", &json!({"text": "hi"})),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            get("/api/v1/check"),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            get("/api/v1/cases"),
            StatusCode::SERVICE_UNAVAILABLE,
            "cases_disabled",
        ),
    ];
    for (req, status, code) in cases {
        let what = format!("{} {}", req.method(), req.uri());
        let a = send(&app, req).await;
        assert_eq!(a.status, status, "{what}: {}", a.text());
        assert_eq!(a.error_code(), code, "{what}");
    }
}

#[tokio::test]
async fn bodies_over_10_mib_are_refused() {
    let app = public_app();
    let big = "a".repeat(redflag_server::MAX_BODY_BYTES + 1);
    let a = send(&app, post_json("/api/v1/check", &json!({ "text": big }))).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(a.error_code(), "too_large");
    // Refused before any handler ran, it still carries the headers every answer carries.
    assert_eq!(a.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(a.header(header::CACHE_CONTROL), "no-store");
    // Without a Content-Length (chunked), the limit holds while reading.
    let stream = futures_like_stream(redflag_server::MAX_BODY_BYTES + 1024);
    let req = axum::http::Request::post("/api/v1/check")
        .header(header::CONTENT_TYPE, "application/json")
        .body(stream)
        .unwrap();
    let a = send(&app, req).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", a.text());
    assert_eq!(a.error_code(), "too_large");
}

/// A body of `n` bytes with no known length.
fn futures_like_stream(n: usize) -> axum::body::Body {
    let chunk = axum::body::Bytes::from(vec![b'a'; 64 * 1024]);
    let count = n / chunk.len() + 1;
    let parts = std::iter::once(axum::body::Bytes::from_static(b"{\"text\":\""))
        .chain(std::iter::repeat_n(chunk, count))
        .map(Ok::<_, std::io::Error>);
    axum::body::Body::from_stream(futures_util::stream::iter(parts))
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after() {
    let app = redflag_server::app(redflag_server::AppState::new(
        Engine::default(),
        None,
        None,
        2,
    ));
    let req = || post_json("/api/v1/check", &json!({"text": "hello"}));
    assert_eq!(send(&app, req()).await.status, StatusCode::OK);
    assert_eq!(send(&app, req()).await.status, StatusCode::OK);
    let a = send(&app, req()).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(a.error_code(), "rate_limited");
    let wait: u64 = a.header(header::RETRY_AFTER).parse().expect("Retry-After");
    assert!((1..=30).contains(&wait), "{wait}");
    // Reports and the page's form share the limit; the OpenAPI document does not.
    let r = send(
        &app,
        post_json("/api/v1/report/ftc", &json!({"text": "hi"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        send(&app, get("/api/openapi.json")).await.status,
        StatusCode::OK
    );
    assert_eq!(send(&app, get("/")).await.status, StatusCode::OK);
    let page = send(
        &app,
        post_multipart("/check", &[Part("message", None, b"hello")]),
    )
    .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.text().contains("id=\"form-error\""));
    assert!(!page.header(header::RETRY_AFTER).is_empty());
}

#[tokio::test]
async fn openapi_is_3_1_and_lists_every_path() {
    let app = public_app();
    let a = send(&app, get("/api/openapi.json")).await;
    assert_eq!(a.status, StatusCode::OK);
    let doc = a.json();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    let paths = doc["paths"].as_object().expect("paths");
    let mut listed: Vec<&str> = paths.keys().map(String::as_str).collect();
    listed.sort_unstable();
    assert_eq!(
        listed,
        vec![
            "/api/v1/assess",
            "/api/v1/cases",
            "/api/v1/cases.csv",
            "/api/v1/cases/{id}",
            "/api/v1/cases/{id}/image",
            "/api/v1/check",
            "/api/v1/check/raw",
            "/api/v1/health",
            "/api/v1/indicators",
            "/api/v1/report/{to}",
        ]
    );
    assert!(paths["/api/v1/cases"]["post"].is_object());
    assert!(paths["/api/v1/cases"]["get"].is_object());
    assert!(doc["components"]["securitySchemes"]["token"].is_object());
    // The ready reports' JSON, whose types live in the engine (its `openapi` feature).
    for schema in ["FtcReport", "Sms7726Steps"] {
        assert!(
            doc["components"]["schemas"][schema]["properties"].is_object(),
            "{schema}"
        );
    }
    assert_eq!(
        doc["components"]["schemas"]["FtcReport"]["properties"]["site"]["example"],
        "https://reportfraud.ftc.gov/"
    );
    assert_eq!(
        doc,
        serde_json::to_value(redflag_server::openapi()).unwrap()
    );
    // Every documented path answers (not 404 / 405) with its documented method.
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            let uri = path.replace("{id}", "1").replace("{to}", "ftc");
            let req = axum::http::Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(&uri)
                .header(header::CONTENT_TYPE, "application/json")
                .body(axum::body::Body::from("{\"text\":\"hi\"}"))
                .unwrap();
            let a = send(&app, req).await;
            assert!(
                a.status != StatusCode::NOT_FOUND && a.status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {uri}: {}",
                a.status
            );
        }
    }
}

#[tokio::test]
async fn amazon_report_is_an_eml_with_the_original_attached() {
    let app = public_app();
    let raw = fixture("email/scam-account-locked.eml");
    let a = send(
        &app,
        post_json(
            "/api/v1/report/amazon",
            &json!({"email": String::from_utf8(raw.clone()).unwrap()}),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.header(header::CONTENT_TYPE), "message/rfc822");
    assert_eq!(
        a.header(header::CONTENT_DISPOSITION),
        "attachment; filename=\"report-to-amazon.eml\""
    );
    let msg = MessageParser::default().parse(&a.body).expect("parses");
    assert_eq!(
        msg.to().and_then(|t| t.first()).and_then(|t| t.address()),
        Some("stop-spoofing@amazon.com")
    );
    assert!(msg.body_text(0).unwrap().contains("attached"));
    let att = msg.attachments().next().expect("the original");
    assert_eq!(
        att.content_type().map(|c| (c.ctype(), c.subtype())),
        Some(("message", Some("rfc822")))
    );
    assert!(matches!(att.body, PartType::Message(_)));
    let original = MessageParser::default().parse(&raw).unwrap();
    let attached = att.message().expect("parsed original");
    assert_eq!(attached.subject(), original.subject());
    assert_eq!(attached.from(), original.from());

    // A text has nothing to attach: it is quoted, with Amazon's web form named.
    let text = fixture_text("sms/scam-package-fee.txt");
    let a = send(
        &app,
        post_json(
            "/api/v1/report/amazon",
            &json!({"text": text, "sender": "+13055550147"}),
        ),
    )
    .await;
    let msg = MessageParser::default().parse(&a.body).expect("parses");
    assert_eq!(msg.attachments().count(), 0);
    let body = msg.body_text(0).unwrap();
    assert!(body.contains("amazon.com/reportascam"));
    assert!(body.contains("redelivery fee"));
}

#[tokio::test]
async fn hotline_ftc_and_7726_reports() {
    let app = public_app();
    let profile = Engine::default().profile().clone();
    let raw = fixture_text("email/scam-gift-card-refund.eml");
    let a = send(
        &app,
        post_json("/api/v1/report/hotline", &json!({"email": raw})),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(
        a.header(header::CONTENT_DISPOSITION),
        "attachment; filename=\"report-to-hotline.eml\""
    );
    let msg = MessageParser::default().parse(&a.body).expect("parses");
    assert_eq!(
        msg.to().and_then(|t| t.first()).and_then(|t| t.address()),
        profile.reports.hotline.email.as_deref()
    );
    assert_eq!(msg.attachments().count(), 1);

    let a = send(
        &app,
        post_json("/api/v1/report/ftc", &json!({"email": raw})),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    let ftc = a.json();
    assert_eq!(ftc["company_impersonated"], "Amazon");
    assert_eq!(ftc["how_contacted"], "Email");
    assert_eq!(ftc["amount_paid"], "");
    assert_eq!(ftc["site"], "https://reportfraud.ftc.gov/");
    assert!(ftc["description"].as_str().unwrap().contains("Red flags"));
    assert!(
        ftc["payment_asked_for"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "gift cards")
    );
    assert!(!ftc["phone_numbers"].as_array().unwrap().is_empty());

    let a = send(
        &app,
        post_json("/api/v1/report/sms7726", &json!({"email": raw})),
    )
    .await;
    assert_eq!(a.json()["applies"], false);
    let a = send(
        &app,
        post_json(
            "/api/v1/report/sms7726",
            &json!({"text": fixture_text("sms/scam-otp-request.txt"), "sender": "+17185550163"}),
        ),
    )
    .await;
    let s = a.json();
    assert_eq!(s["applies"], true);
    assert_eq!(s["number"], "7726");
    assert_eq!(s["send"], "+17185550163");
    assert!(s["steps"].as_array().unwrap().len() >= 2);
}

#[tokio::test]
async fn a_hotline_without_email_takes_no_eml() {
    let mut profile = (*redflag_engine::Profile::embedded()).clone();
    profile.reports = profile
        .reports
        .clone()
        .with_hotline_toml(
            "[hotline]\nname = \"Springfield Fraud Line\"\nphone = \"(555) 010-0199\"\nhow = \"Call us.\"\n",
        )
        .unwrap();
    let engine = Engine::new(std::sync::Arc::new(profile));
    let app = redflag_server::app(redflag_server::AppState::new(engine, None, None, 0));
    let a = send(
        &app,
        post_json(
            "/api/v1/report/hotline",
            &json!({"text": "Amazon: call 1-888-555-0199"}),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.error_code(), "hotline_has_no_email");
    assert!(
        a.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("(555) 010-0199")
    );
    let page = send(
        &app,
        post_multipart(
            "/check",
            &[Part("message", None, b"Amazon: call 1-888-555-0199")],
        ),
    )
    .await;
    let html = page.text();
    assert!(html.contains("To Springfield Fraud Line"));
    assert!(
        !html.contains("id=\"report-hotline\""),
        "no email, no download"
    );
}
