//! Screenshots on the API and the page: refused clearly when they cannot be read, and in a
//! build with the `ocr` feature read as the message, with the marks and a case that keeps
//! the image without its metadata.

use crate::*;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use redflag_ocr::testing::png_header;
use serde_json::json;

#[tokio::test]
async fn an_image_that_cannot_be_read_gets_a_clear_error() {
    let app = public_app();
    let bomb = STANDARD.encode(png_header(10_000, 5_000));
    let a = send(
        &app,
        post_json("/api/v1/check", &json!({ "image_base64": bomb })),
    )
    .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(a.error_code(), "image_too_large");
    assert!(
        a.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("megapixels")
    );

    let not_image = STANDARD.encode(b"hello, not a picture");
    let a = send(
        &app,
        post_json("/api/v1/check", &json!({ "image_base64": not_image })),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.error_code(), "invalid_request");

    let both = json!({ "image_base64": STANDARD.encode(png_header(10, 10)), "text": "hi" });
    let a = send(&app, post_json("/api/v1/check", &both)).await;
    assert_eq!(a.error_code(), "invalid_request");

    // The page says it in words, with the form kept.
    let form = post_multipart(
        "/check",
        &[
            Part("message", None, b""),
            Part("file", Some("huge.png"), &png_header(10_000, 5_000)),
            Part("channel", None, b"auto"),
        ],
    );
    let a = send(&app, form).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(a.text().contains("megapixels"));
}

#[tokio::test]
async fn a_server_without_a_reader_says_it_cannot_read_pictures() {
    let png = fixture("screen/sms-scam-package-fee.png");
    let a = send(
        &public_app(),
        post_json(
            "/api/v1/check",
            &json!({ "image_base64": STANDARD.encode(&png) }),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::NOT_IMPLEMENTED);
    assert_eq!(a.error_code(), "images_unsupported");
}

#[cfg(feature = "ocr")]
mod with_ocr {
    use super::*;
    use redflag_engine::screenshot::ImageReader;
    use redflag_ocr::testing::with_text_chunk;
    use std::sync::Arc;

    fn reader() -> Option<Arc<ImageReader>> {
        Some(Arc::new(
            ImageReader::new("eng").expect("Tesseract with English"),
        ))
    }

    fn app_reading_images() -> Router {
        app(AppState::new(Engine::default(), None, None, 0).with_images(reader()))
    }

    #[tokio::test]
    async fn the_api_reads_a_screenshot_and_marks_the_red_flags() {
        let png = fixture("screen/sms-scam-package-fee.png");
        let body = json!({ "image_base64": STANDARD.encode(&png) });
        let a = send(&app_reading_images(), post_json("/api/v1/check", &body)).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        let v = a.json();
        assert_ne!(v["verdict"], "clean", "{v:#}");
        assert_eq!(v["image"]["screen"], "sms");
        assert!(!v["image"]["regions"].as_array().unwrap().is_empty());
    }

    #[tokio::test]
    async fn the_page_shows_the_screenshot_with_its_marks() {
        let png = fixture("screen/popup-scam-defender-blocked.jpg");
        let form = post_multipart(
            "/check",
            &[
                Part("message", None, b""),
                Part("file", Some("screenshot.png"), &png),
                Part("channel", None, b"auto"),
            ],
        );
        let a = send(&app_reading_images(), form).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        let html = a.text();
        let shot = element(&html, "screenshot").expect("the screenshot figure");
        assert!(shot.contains("src=\"data:image/"));
        assert!(shot.contains("<rect"), "marks on the screenshot");
        assert!(shot.contains("data-rule=\"SCN017\""), "{shot}");
        assert!(html.contains("data-verdict=\"scam\""));
        // Only a page that shows a screenshot allows `data:` images.
        assert!(
            a.header(header::CONTENT_SECURITY_POLICY)
                .contains("img-src 'self' data:;")
        );
    }

    #[tokio::test]
    async fn a_saved_case_keeps_the_image_without_its_metadata() {
        // The fixture with a text chunk (as a photo's EXIF would be) added after its header.
        let png = with_text_chunk(
            fixture("screen/sms-scam-package-fee.png"),
            b"taken at 51.5007 N, 0.1246 W",
        );

        let (store, _dir) = sqlite_store().await;
        let app = app(
            AppState::new(Engine::default(), Some(store), Some(TOKEN), 0).with_images(reader()),
        );
        let body = json!({ "image_base64": STANDARD.encode(&png), "consent": true });
        let a = send(&app, with_token(post_json("/api/v1/cases", &body), TOKEN)).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
        let id = a.json()["id"].as_i64().unwrap();
        let case = send(&app, with_token(get(&format!("/api/v1/cases/{id}")), TOKEN)).await;
        let case = case.json();
        assert_eq!(case["image"], format!("/api/v1/cases/{id}/image"));
        assert!(case["report"]["image"]["regions"].is_array());
        let img = send(
            &app,
            with_token(get(&format!("/api/v1/cases/{id}/image")), TOKEN),
        )
        .await;
        assert_eq!(img.status, StatusCode::OK);
        assert_eq!(img.header(header::CONTENT_TYPE), "image/png");
        assert!(img.body.starts_with(b"\x89PNG"));
        assert!(
            !img.body.windows(7).any(|w| w == b"51.5007"),
            "metadata kept"
        );
        // Without the token, no image.
        let a = send(&app, get(&format!("/api/v1/cases/{id}/image"))).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);

        // The hotline's case page shows the kept picture with its marks.
        let login = send(&app, post_form("/hotline/login", &[("token", TOKEN)])).await;
        let cookie = crate::cases::session_cookie(&login);
        let page = send(
            &app,
            crate::cases::with_cookie(get(&format!("/hotline/cases/{id}")), &cookie),
        )
        .await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        let shot = element(&html, "screenshot").expect("the screenshot on the case page");
        assert!(shot.contains("src=\"data:image/png;base64,"));
        assert!(shot.contains("<rect"));
    }
}
