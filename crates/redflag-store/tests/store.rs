//! The case store, end to end: the same test bodies run on SQLite (a temporary file) and, when
//! `REDFLAG_TEST_POSTGRES_URL` is set, on PostgreSQL (a fresh schema per test).

use redflag_engine::{
    AnalyzeOptions, Channel, Engine, InputOptions, Profile, Report, Verdict, read_input,
};
use redflag_store::testing::{TestSchema, postgres_url};
use redflag_store::{IndicatorKind, NewCase, Store};
use std::future::Future;
use std::path::Path;

fn fixture(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn report(rel: &str, channel: Option<Channel>, sender: Option<&str>) -> Report {
    let opts = InputOptions {
        channel,
        sender: sender.map(str::to_string),
        subject: None,
    };
    let msg = read_input(&fixture(rel), &opts)
        .expect("readable")
        .messages
        .remove(0)
        .expect("a message");
    Engine::new(Profile::embedded()).analyze(&msg, &AnalyzeOptions::default())
}

fn case(report: &Report, sender: &str, note: Option<&str>) -> NewCase {
    let mut c = NewCase::from_report(report);
    c.sender = Some(sender.to_string());
    c.consent = true;
    c.note = note.map(str::to_string);
    c
}

/// Runs `body` on a store in a temporary SQLite file, then on PostgreSQL when configured.
async fn on_both<F, Fut>(test: &str, body: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cases.db");
    let store = Store::open(path.to_str().expect("utf-8 path"))
        .await
        .expect("open sqlite");
    assert_eq!(store.backend(), "sqlite");
    body(store.clone()).await;
    store.close().await;
    assert!(path.exists(), "the SQLite file was created");

    if let Some(url) = postgres_url(test) {
        let schema = TestSchema::create(&url).await.expect("create schema");
        let store = Store::open(&schema.url).await.expect("open postgres");
        assert_eq!(store.backend(), "postgres");
        body(store.clone()).await;
        store.close().await;
        schema.drop_schema().await.expect("drop schema");
    }
}

#[tokio::test]
async fn cases_round_trip() {
    on_both("cases_round_trip", |store| async move {
        assert!(store.list_cases(10, 0).await.unwrap().is_empty());
        assert_eq!(
            store.get_case(redflag_store::CaseId(1)).await.unwrap(),
            None
        );

        let r = report(
            "sms/scam-package-fee.txt",
            Some(Channel::Sms),
            Some("+13055550147"),
        );
        let mut new = case(
            &r,
            "+13055550147",
            Some("Called the hotline on Monday, ünïcode"),
        );
        new.subject = Some("no subject for texts, but kept".into());
        let id = store.save_case(&new).await.unwrap();

        let got = store.get_case(id).await.unwrap().expect("saved case");
        assert_eq!(got.summary.id, id);
        assert_eq!(got.summary.channel, Channel::Sms);
        assert_eq!(got.summary.verdict, r.verdict);
        assert_eq!(got.summary.score, r.score);
        assert_eq!(got.summary.sender.as_deref(), Some("+13055550147"));
        assert_eq!(
            got.summary.note.as_deref(),
            Some("Called the hotline on Monday, ünïcode")
        );
        assert!(got.summary.consent);
        assert_eq!(got.message_text, r.text);
        assert_eq!(got.report, serde_json::to_value(&r).unwrap());
        assert!(
            got.indicators
                .iter()
                .any(|i| i.kind == IndicatorKind::Sender && i.value == "+13055550147")
        );
        for d in r.indicators.domains.iter().filter(|d| !d.brand) {
            assert!(
                got.indicators
                    .iter()
                    .any(|i| i.kind == IndicatorKind::Domain && i.value == d.domain),
                "domain {} kept",
                d.domain
            );
        }
        let age = chrono::Utc::now() - got.summary.created_at;
        assert!(age.num_seconds().abs() < 60, "created_at is now, in UTC");

        // A second case; lists are newest first and page with limit and offset.
        let r2 = report("email/scam-account-locked.eml", None, None);
        let id2 = store
            .save_case(&case(&r2, "account-update@amazon-secure-verify.com", None))
            .await
            .unwrap();
        assert!(id2 > id);
        let list = store.list_cases(10, 0).await.unwrap();
        assert_eq!(list.iter().map(|c| c.id).collect::<Vec<_>>(), vec![id2, id]);
        assert_eq!(list[0].channel, Channel::Email);
        assert_eq!(list[0].verdict, Verdict::Scam);
        assert_eq!(store.list_cases(1, 1).await.unwrap()[0].id, id);
        assert!(store.list_cases(10, 2).await.unwrap().is_empty());
        assert_eq!(store.list_cases(0, 0).await.unwrap().len(), 0);
    })
    .await;
}

#[tokio::test]
async fn indicators_count_distinct_cases() {
    on_both("indicators_count_distinct_cases", |store| async move {
        let r = report(
            "sms/scam-account-suspended-call.txt",
            Some(Channel::Sms),
            Some("amz.security.notice@icloud.com"),
        );
        let phone = r
            .indicators
            .phone_numbers
            .first()
            .cloned()
            .expect("the fixture names a callback number");
        // The same scam three times from the same sender, once from another.
        for _ in 0..3 {
            store
                .save_case(&case(&r, "amz.security.notice@icloud.com", None))
                .await
                .unwrap();
        }
        store
            .save_case(&case(&r, "Other.Sender@Example.NET", None))
            .await
            .unwrap();
        let counts = store.indicators().await.unwrap();
        let count_of = |kind: IndicatorKind, value: &str| {
            counts
                .iter()
                .find(|c| c.kind == kind && c.value == value)
                .map(|c| c.count)
        };
        assert_eq!(count_of(IndicatorKind::Phone, &phone), Some(4));
        assert_eq!(
            count_of(IndicatorKind::Sender, "amz.security.notice@icloud.com"),
            Some(3)
        );
        assert_eq!(
            count_of(IndicatorKind::Sender, "other.sender@example.net"),
            Some(1),
            "senders are compared in lower case"
        );
        // Most frequent first.
        assert!(counts.windows(2).all(|w| w[0].count >= w[1].count));
        for c in &counts {
            assert!(c.first_seen <= c.last_seen);
        }
    })
    .await;
}

#[tokio::test]
async fn brand_phone_numbers_and_domains_are_not_indicators() {
    let r = report("email/legit-amazon-shipped.eml", None, None);
    let c = NewCase::from_report(&r);
    assert!(
        c.indicators.iter().all(|i| !i.value.contains("amazon.")),
        "{:?}",
        c.indicators
    );
}

#[tokio::test]
async fn csv_export_quotes_and_neutralises() {
    on_both("csv_export_quotes_and_neutralises", |store| async move {
        assert_eq!(
            store.export_csv().await.unwrap().lines().count(),
            1,
            "an empty store exports the header only"
        );
        let r = report(
            "sms/scam-package-fee.txt",
            Some(Channel::Sms),
            Some("+13055550147"),
        );
        let note = "=HYPERLINK(\"http://evil.example\",\"click\"), said \"hi\"\nsecond line";
        let id = store
            .save_case(&case(&r, "+13055550147", Some(note)))
            .await
            .unwrap();
        let csv_text = store.export_csv().await.unwrap();
        let mut rd = csv::Reader::from_reader(csv_text.as_bytes());
        let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_string).collect();
        assert_eq!(header[0], "id");
        let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        let col = |name: &str| {
            let i = header.iter().position(|h| h == name).expect(name);
            row.get(i).unwrap().to_string()
        };
        assert_eq!(col("id"), id.to_string());
        assert_eq!(
            col("note"),
            format!("'{note}"),
            "formula neutralised, quotes kept"
        );
        assert_eq!(col("sender"), "'+13055550147");
        assert_eq!(col("verdict"), r.verdict.as_str());
        assert_eq!(col("message"), r.text);
        assert!(col("rules").split(' ').any(|x| x == "PAY005"));
        assert!(col("created_at").ends_with('Z'));
    })
    .await;
}

#[tokio::test]
async fn bad_addresses_are_refused_without_echoing_them() {
    let err = Store::open("").await.unwrap_err();
    assert!(matches!(err, redflag_store::StoreError::InvalidAddress(_)));
    let err = Store::open("postgres://user:secret@[not-a-host")
        .await
        .unwrap_err();
    assert!(!err.to_string().contains("secret"), "{err}");
}

#[tokio::test]
async fn reopening_keeps_cases_and_migrations_are_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cases.db");
    let path = path.to_str().unwrap();
    let store = Store::open(path).await.unwrap();
    let r = report("sms/scam-otp-request.txt", Some(Channel::Sms), None);
    let id = store
        .save_case(&case(&r, "+17185550163", None))
        .await
        .unwrap();
    store.close().await;
    let store = Store::open(&format!("sqlite://{path}")).await.unwrap();
    assert!(store.get_case(id).await.unwrap().is_some());
    store.close().await;
}

#[tokio::test]
async fn screenshot_cases_keep_their_image_and_channel() {
    on_both(
        "screenshot_cases_keep_their_image_and_channel",
        |store| async move {
            let r = report(
                "sms/scam-account-suspended-call.txt",
                Some(Channel::Screen),
                None,
            );
            assert_eq!(r.channel, Channel::Screen);
            let mut new = case(&r, "pop-up", None);
            let png = b"\x89PNG\r\n\x1a\n not a real image, the store keeps bytes".to_vec();
            new.image = Some(redflag_store::CaseImage {
                media_type: "image/png".into(),
                width: 1170,
                height: 2532,
                bytes: png.clone(),
            });
            let id = store.save_case(&new).await.unwrap();
            let got = store.get_case(id).await.unwrap().unwrap();
            assert_eq!(got.summary.channel, Channel::Screen);
            assert!(got.has_image);
            let img = store.case_image(id).await.unwrap().expect("the image");
            assert_eq!((img.width, img.height, img.bytes), (1170, 2532, png));
            // A case without a screenshot has none.
            let plain = report("sms/scam-otp-request.txt", Some(Channel::Sms), None);
            let id2 = store
                .save_case(&case(&plain, "+17185550163", None))
                .await
                .unwrap();
            assert!(!store.get_case(id2).await.unwrap().unwrap().has_image);
            assert_eq!(store.case_image(id2).await.unwrap(), None);
            assert!(store.export_csv().await.unwrap().contains("screen"));
        },
    )
    .await;
}

#[tokio::test]
async fn a_store_from_before_screenshots_keeps_its_cases_and_indicators() {
    // The first schema alone, as a store saved before screenshots were added.
    let dir = tempfile::tempdir().unwrap();
    let migrations = dir.path().join("migrations");
    std::fs::create_dir(&migrations).unwrap();
    let first = "20261124000000_cases.sql";
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations/sqlite")
            .join(first),
        migrations.join(first),
    )
    .unwrap();
    let path = dir.path().join("cases.db");
    let url = format!("sqlite://{}?mode=rwc", path.display());
    {
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        sqlx::migrate::Migrator::new(migrations.as_path())
            .await
            .unwrap()
            .run(&pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO cases (created_at, channel, verdict, score, consent, report, message_text) \
             VALUES ('2026-11-30T10:00:00.000Z', 'sms', 'scam', 80, 1, '{}', 'old text')",
        )
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query("INSERT INTO case_indicators (case_id, kind, value) VALUES (1, 'phone', '+18885550199')")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    }
    let store = Store::open(path.to_str().unwrap()).await.unwrap();
    let old = store
        .get_case(redflag_store::CaseId(1))
        .await
        .unwrap()
        .expect("kept");
    assert_eq!(old.message_text, "old text");
    assert_eq!(
        old.indicators.len(),
        1,
        "rebuilding the table did not cascade"
    );
    // New cases follow the old ones, and may be screens.
    let r = report("sms/scam-package-fee.txt", Some(Channel::Screen), None);
    let id = store.save_case(&case(&r, "pop-up", None)).await.unwrap();
    assert_eq!(id, redflag_store::CaseId(2));
    store.close().await;
}
