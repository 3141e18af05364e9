//! The web page: the form, the result page contract, errors, escaping and headers.

use crate::*;
use axum::http::{StatusCode, header};

const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Checks the headers every HTML answer must carry, and that the page has no inline script,
/// style or event handler.
fn assert_safe_html(a: &Answer) {
    assert!(a.header(header::CONTENT_TYPE).starts_with("text/html"));
    assert_eq!(a.header(header::CONTENT_SECURITY_POLICY), CSP);
    assert_eq!(a.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(a.header(header::REFERRER_POLICY), "no-referrer");
    let html = a.text();
    assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">"));
    for bad in [" style=", "<style", "=\"javascript:", "='javascript:"] {
        assert!(
            !html.to_ascii_lowercase().contains(bad),
            "{bad} in the page"
        );
    }
    for (i, _) in html.match_indices("<script") {
        let tag = &html[i..i + html[i..].find('>').unwrap()];
        assert_eq!(
            tag, "<script src=\"/static/redflag.js\" defer",
            "inline script"
        );
    }
    assert!(
        !tags(&html).iter().any(|t| has_event_handler(t)),
        "event handler attribute"
    );
}

/// The start tags of a document.
fn tags(html: &str) -> Vec<&str> {
    html.match_indices('<')
        .filter_map(|(i, _)| {
            let rest = &html[i + 1..];
            rest.starts_with(|c: char| c.is_ascii_alphabetic())
                .then(|| &html[i..i + 1 + rest.find('>').unwrap_or(rest.len())])
        })
        .collect()
}

/// The attribute names of a start tag, reading quoted values as values.
fn attribute_names(tag: &str) -> Vec<String> {
    let b = tag.as_bytes();
    let mut i = 1;
    while i < b.len() && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    let mut names = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() || b[i] == b'>' {
            return names;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        names.push(tag[start..i].to_ascii_lowercase());
        if i < b.len() && b[i] == b'=' {
            i += 1;
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    i += 1;
                    while i < b.len() && b[i] != q {
                        i += 1;
                    }
                    i += 1;
                }
                _ => {
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                }
            }
        }
    }
}

fn has_event_handler(tag: &str) -> bool {
    attribute_names(tag).iter().any(|n| n.starts_with("on"))
}

#[tokio::test]
async fn the_form_keeps_the_contract() {
    let app = public_app();
    let a = send(&app, get("/")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_safe_html(&a);
    let html = a.text();
    for needle in [
        r#"<form id="check-form" method="post" action="/check" enctype="multipart/form-data">"#,
        r#"<textarea id="message" name="message""#,
        r#"<label for="message">Paste the message</label>"#,
        r#"<input type="file" id="file" name="file""#,
        r#"<input type="radio" id="channel-auto" name="channel" value="auto" checked>"#,
        r#"<input type="radio" id="channel-email" name="channel" value="email">"#,
        r#"<input type="radio" id="channel-sms" name="channel" value="sms">"#,
        r#"<input type="radio" id="channel-chat" name="channel" value="chat">"#,
        r#"<input type="radio" id="channel-call" name="channel" value="call">"#,
        r#"<input id="sender" name="sender""#,
        r#"<input type="file" id="orders-file" name="orders_file""#,
        r#"<textarea id="order-numbers" name="order_numbers""#,
        r#"<button id="check-button" type="submit">Check this message</button>"#,
    ] {
        assert!(html.contains(needle), "missing {needle}");
    }
    // Every field has a label.
    for id in [
        "message",
        "file",
        "channel-auto",
        "channel-email",
        "channel-sms",
        "channel-chat",
        "channel-call",
        "sender",
        "order-numbers",
        "orders-file",
    ] {
        assert!(
            html.contains(&format!("<label for=\"{id}\">")),
            "no label for {id}"
        );
    }
    assert!(html.contains(".eml"));
    assert!(html.contains("type what the caller said"));
}

#[tokio::test]
async fn a_pasted_scam_text_gives_the_result_page() {
    let app = public_app();
    let text = fixture("sms/scam-package-fee.txt");
    let a = send(
        &app,
        post_multipart(
            "/check",
            &[
                Part("message", None, &text),
                Part("file", Some(""), NO_FILE),
                Part("channel", None, b"auto"),
                Part("sender", None, b"+13055550147"),
                Part("order_numbers", None, b""),
                Part("orders_file", Some(""), NO_FILE),
            ],
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_safe_html(&a);
    assert_eq!(a.header(header::CACHE_CONTROL), "no-store");
    let html = a.text();
    assert!(html.contains(
        r#"<div id="verdict" class="verdict verdict-scam" data-verdict="scam" role="status""#
    ));
    let verdict = element(&html, "verdict").unwrap();
    assert!(verdict.contains("Scam"));
    assert!(verdict.contains("This is a scam."));
    let findings = element(&html, "findings").unwrap();
    assert!(findings.contains(r#"<li class="finding" data-rule="PAY005">"#));
    assert!(findings.contains("redelivery fee"));
    let message = element(&html, "message-text").unwrap();
    assert!(message.contains(r#"<mark data-rule="PAY005">redelivery fee</mark>"#));
    // The link is evidence of several rules: their marks nest around it.
    assert!(message.contains(r#"<mark data-rule="LNK009">"#));
    assert!(message.contains("https://amazon-redelivery.top/us/track?id=AMZ8823190</mark>"));
    // Every rule listed has its evidence marked.
    for (i, _) in findings.match_indices("data-rule=\"") {
        let rule = &findings[i + 11..i + 17];
        assert!(
            message.contains(&format!("<mark data-rule=\"{rule}\">")),
            "{rule} not marked"
        );
    }
    // Links in the message never become links.
    assert!(!message.contains("<a "));
    assert!(!html.contains("href=\"https://amazon-redelivery"));
    for id in [
        "advice",
        "already",
        "reports",
        "report-sms7726",
        "report-ftc-text",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "no #{id}");
    }
    assert!(html.contains(r#"<form id="report-amazon" method="post" action="/report/amazon">"#));
    assert!(html.contains(r#"<form id="report-hotline" method="post" action="/report/hotline">"#));
    assert!(html.contains(r#"id="copy-ftc""#));
    assert!(
        element(&html, "report-ftc-text")
            .unwrap()
            .contains("What happened")
    );
    assert!(element(&html, "report-sms7726").unwrap().contains("7726"));
    assert!(html.contains(r#"<a href="https://reportfraud.ftc.gov/">"#));
    assert!(!html.contains("id=\"orders-check\""), "no orders given");
    assert!(
        !html.contains("id=\"save-case\""),
        "not signed in to the hotline view"
    );
    // The report forms carry the message back.
    assert!(html.contains(r#"<input type="hidden" name="sender" value="+13055550147">"#));
}

#[tokio::test]
async fn an_uploaded_email_and_a_genuine_one() {
    let app = public_app();
    let eml = fixture("email/scam-account-locked.eml");
    let a = send(
        &app,
        post_multipart(
            "/check",
            &[
                Part("message", None, b""),
                Part("file", Some("scam.eml"), &eml),
                Part("channel", None, b"auto"),
            ],
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let html = a.text();
    assert!(html.contains("data-verdict=\"scam\""));
    assert!(html.contains("has the scam email attached"));
    assert!(
        element(&html, "report-sms7726")
            .unwrap()
            .contains("for text messages and phone calls")
    );

    let legit = fixture("email/legit-amazon-shipped.eml");
    let a = send(
        &app,
        post_multipart("/check", &[Part("file", Some("mail.eml"), &legit)]),
    )
    .await;
    let html = a.text();
    assert!(html.contains("data-verdict=\"clean\""), "{html}");
    assert!(
        element(&html, "verdict")
            .unwrap()
            .contains("No red flags found")
    );
    // A clean verdict never sits above a list headed "warning signs".
    assert!(!html.contains("The warning signs"), "{html}");
    // What speaks for it is said in words, with its evidence.
    let signs = element(&html, "genuine-signs").expect("the genuine signs are listed");
    assert!(signs.contains("data-rule=\"GEN001\""), "{signs}");
    assert!(signs.contains("data-rule=\"GEN002\""), "{signs}");
    assert!(signs.contains("links go only to amazon.com"), "{signs}");
    // A scam shows none.
    assert!(
        !element(&first_html(&app, &eml).await, "genuine-signs")
            .is_some_and(|s| s.contains("GEN001"))
    );
}

/// The result page for an uploaded email.
async fn first_html(app: &axum::Router, eml: &[u8]) -> String {
    send(
        app,
        post_multipart("/check", &[Part("file", Some("m.eml"), eml)]),
    )
    .await
    .text()
}

#[tokio::test]
async fn a_call_with_orders_shows_the_orders_check() {
    let app = public_app();
    let text = fixture("call/scam-voicemail-refund.txt");
    let a = send(
        &app,
        post_multipart(
            "/check",
            &[
                Part("message", None, &text),
                Part("channel", None, b"call"),
                Part("sender", None, b"+18445550142"),
                Part("order_numbers", None, b"112-0000000-0000001"),
                Part(
                    "orders_file",
                    Some("orders.csv"),
                    b"Order ID,Order Date,Product Name,Total Owed\n113-1111111-1111111,2026-01-02,Kettle,$19.99\n",
                ),
            ],
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let html = a.text();
    let orders = element(&html, "orders-check").expect("orders section");
    assert!(orders.contains("2 orders"), "{orders}");
    assert!(
        element(&html, "report-sms7726")
            .unwrap()
            .contains("call +18445550142")
    );
    // The forms carry the history back in a compact form that reads back the same.
    assert!(
        html.contains(r#"name="orders_csv" value="Order ID,Order Date,Product Name,Total Owed"#)
    );
}

#[tokio::test]
async fn form_errors_reshow_the_form() {
    let app = public_app();
    let cases: Vec<(Vec<Part<'_>>, StatusCode, &str)> = vec![
        (
            vec![
                Part("message", None, b"  "),
                Part("file", Some(""), NO_FILE),
                Part("channel", None, b"auto"),
            ],
            StatusCode::BAD_REQUEST,
            "The message is empty",
        ),
        (
            vec![
                Part("message", None, b"hello"),
                Part("file", Some("a.txt"), b"hi there"),
            ],
            StatusCode::BAD_REQUEST,
            "not both",
        ),
        (
            vec![Part(
                "file",
                Some("photo.png"),
                b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01",
            )],
            StatusCode::BAD_REQUEST,
            "damaged",
        ),
        (
            vec![
                Part("message", None, b"Amazon: call 1-888-555-0199"),
                Part("channel", None, b"fax"),
            ],
            StatusCode::BAD_REQUEST,
            "how the message reached you",
        ),
        (
            vec![
                Part("message", None, b"Amazon: call 1-888-555-0199"),
                Part("order_numbers", None, b"no order here"),
            ],
            StatusCode::BAD_REQUEST,
            "No order numbers",
        ),
    ];
    for (parts, status, words) in cases {
        let a = send(&app, post_multipart("/check", &parts)).await;
        assert_eq!(a.status, status, "{}", a.text());
        assert_safe_html(&a);
        let html = a.text();
        let err = element(&html, "form-error").expect("form-error");
        assert!(err.contains(words), "{err}");
        assert!(html.contains(r#"<p id="form-error" class="form-error" role="alert">"#));
        assert!(
            html.contains("id=\"check-form\""),
            "the form is shown again"
        );
    }
    // What was typed is kept.
    let a = send(
        &app,
        post_multipart(
            "/check",
            &[
                Part("message", None, b"Amazon: call 1-888-555-0199"),
                Part("sender", None, b"+1 555 <b>"),
                Part("channel", None, b"call"),
                Part("order_numbers", None, b"none"),
            ],
        ),
    )
    .await;
    let html = a.text();
    assert!(!html.contains("+1 555 <b>"));
    assert!(html.contains(r#"value="+1 555 &#60;b&#62;""#));
    assert!(html.contains(r#"value="call" checked"#));
    // Not a form at all.
    let a = send(&app, post_form("/check", &[("message", "hi")])).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(element(&a.text(), "form-error").is_some());
}

#[tokio::test]
async fn too_big_uploads_get_413_and_the_form() {
    let app = public_app();
    let big = vec![b'a'; redflag_server::MAX_BODY_BYTES + 10];
    let a = send(
        &app,
        post_multipart("/check", &[Part("file", Some("big.txt"), &big)]),
    )
    .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_safe_html(&a);
    assert!(
        element(&a.text(), "form-error")
            .unwrap()
            .contains("too big")
    );
}

#[tokio::test]
async fn markup_in_a_message_stays_text() {
    // The checker below finds handlers in tags, and only there.
    assert!(has_event_handler("<img src=x onerror=alert(1)>"));
    assert!(has_event_handler("<svg\tONLOAD=\"x\">"));
    assert!(!has_event_handler(
        r#"<input type="hidden" value="x onerror=alert(1) '">"#
    ));
    let app = public_app();
    let hostile = "Amazon security: your account is locked. <script>alert(1)</script>\n\
        <img src=x onerror=alert(1)> Verify at <a href=\"javascript:alert(1)\">amazon.com</a>\n\
        javascript:alert(1) \"><svg onload=alert(1)> '><iframe src=//evil.example></iframe>\n\
        Call 1-888-555-0199 now or click https://amaz0n-secure.top/login?x=\"><script>alert(2)</script>\n";
    for channel in [&b"sms"[..], b"email", b"auto"] {
        let a = send(
            &app,
            post_multipart(
                "/check",
                &[
                    Part("message", None, hostile.as_bytes()),
                    Part("channel", None, channel),
                    Part("sender", None, b"\"><script>alert(3)</script>"),
                ],
            ),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        assert_safe_html(&a);
        let html = a.text();
        let body = &html[html.find("<body>").unwrap()..];
        assert!(!body.contains("<script"), "raw <script in the page");
        assert!(!body.contains("<img"));
        assert!(!body.contains("<svg"));
        assert!(!body.contains("<iframe"));
        assert!(!body.to_ascii_lowercase().contains("href=\"javascript:"));
        for t in tags(body) {
            assert!(!has_event_handler(t), "handler in {t}");
        }
        assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }
}

#[tokio::test]
async fn report_forms_download_the_eml() {
    let app = public_app();
    let eml = fixture_text("email/scam-account-locked.eml");
    let a = send(
        &app,
        post_form("/report/amazon", &[("message", &eml), ("channel", "auto")]),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.header(header::CONTENT_TYPE), "message/rfc822");
    assert_eq!(
        a.header(header::CONTENT_DISPOSITION),
        "attachment; filename=\"report-to-amazon.eml\""
    );
    let msg = mail_parser::MessageParser::default()
        .parse(&a.body)
        .unwrap();
    assert_eq!(msg.attachments().count(), 1);

    let a = send(
        &app,
        post_form(
            "/report/hotline",
            &[
                (
                    "message",
                    "Amazon: your refund is ready, call 1-888-555-0199",
                ),
                ("channel", "sms"),
                ("sender", "+15005550100"),
            ],
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(
        a.header(header::CONTENT_DISPOSITION),
        "attachment; filename=\"report-to-hotline.eml\""
    );
    // A damaged form gets a page, not a crash.
    let a = send(
        &app,
        post_form("/report/amazon", &[("message_base64", "%%%")]),
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_safe_html(&a);
}

#[tokio::test]
async fn static_files_and_missing_pages() {
    let app = public_app();
    let css = send(&app, get("/static/redflag.css")).await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.header(header::CONTENT_TYPE), "text/css; charset=utf-8");
    assert!(css.text().contains("font-size: 125%"));
    let js = send(&app, get("/static/redflag.js")).await;
    assert_eq!(
        js.header(header::CONTENT_TYPE),
        "text/javascript; charset=utf-8"
    );
    assert!(js.text().contains("data-copy"));
    assert_eq!(
        send(&app, get("/favicon.ico")).await.status,
        StatusCode::NO_CONTENT
    );
    let a = send(&app, get("/nowhere")).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_safe_html(&a);
    let a = send(&app, get("/check")).await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_safe_html(&a);
}
