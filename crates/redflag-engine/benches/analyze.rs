//! Criterion benchmarks: analysing a typical email and a typical SMS, with a baseline
//! (parsing alone) measured in the same run, so that ratios, not absolute times, are
//! compared across noisy machines.

use criterion::{Criterion, criterion_group, criterion_main};
use redflag_engine::{AnalyzeOptions, Engine, InputOptions, read_input};
use std::hint::black_box;

/// The allocator of the `redflag` binary (redflag-cli/src/serve.rs), so that allocation
/// costs as much here as in production.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A typical scam email: multipart/alternative, text and HTML, 4.8 KB.
const EMAIL: &[u8] = include_bytes!("../../../tests/fixtures/email/scam-account-locked.eml");
/// A typical genuine email: an order confirmation, multipart/alternative, 6.2 KB.
const GENUINE: &[u8] = include_bytes!("../../../tests/fixtures/email/legit-amazon-order.eml");
const SMS: &str = include_str!("../../../tests/fixtures/sms/scam-package-fee.txt");

fn bench(c: &mut Criterion) {
    let engine = Engine::default();
    let email_opts = InputOptions::default();
    let sms_opts = InputOptions {
        channel: Some(redflag_engine::Channel::Sms),
        sender: Some("+14155550182".into()),
        subject: None,
    };
    // Warm the lazily built tables (dictionary, patterns) outside the measurement.
    let warm = read_input(EMAIL, &email_opts)
        .unwrap()
        .messages
        .remove(0)
        .unwrap();
    engine.analyze(&warm, &AnalyzeOptions::default());

    group(c, &engine, "email", EMAIL, &email_opts);
    group(c, &engine, "genuine-email", GENUINE, &email_opts);
    group(c, &engine, "sms", SMS.as_bytes(), &sms_opts);
}

/// One message's group: parsing alone (the baseline), then parsing and analysing (the full
/// report), then parsing and assessing (verdict, score and findings only).
fn group(c: &mut Criterion, engine: &Engine, name: &str, input: &[u8], opts: &InputOptions) {
    let mut g = c.benchmark_group(name);
    let parse = || {
        read_input(black_box(input), opts)
            .unwrap()
            .messages
            .remove(0)
            .unwrap()
    };
    g.bench_function("parse (baseline)", |b| {
        b.iter(|| read_input(black_box(input), opts).unwrap())
    });
    g.bench_function("parse + analyze", |b| {
        b.iter(|| engine.analyze(&parse(), &AnalyzeOptions::default()))
    });
    g.bench_function("parse + assess", |b| {
        b.iter(|| engine.assess(&parse(), &AnalyzeOptions::default()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
