//! Criterion benchmark: reading and analysing a 1 MB message of each hostile class
//! (`tests/hostile/classes.rs`), with the typical scam email from `analyze.rs` measured in
//! the same run as the baseline, so the figures are read as ratios on a noisy machine.
//! The target (issue 12): under 50 ms of CPU per 1 MB hostile message.
//!
//! `cargo bench -p redflag-engine --bench hostile` (all classes), or add a class name as a
//! filter: `cargo bench -p redflag-engine --bench hostile -- nested-div`.

#[path = "../tests/hostile/classes.rs"]
mod classes;

use criterion::{Criterion, criterion_group, criterion_main};
use redflag_engine::{AnalyzeOptions, Channel, Engine, InputOptions, read_input};
use std::hint::black_box;
use std::time::Duration;

const EMAIL: &[u8] = include_bytes!("../../../tests/fixtures/email/scam-account-locked.eml");

fn options(class: &classes::Class) -> InputOptions {
    InputOptions {
        channel: class.channel.map(|c| match c {
            "sms" => Channel::Sms,
            _ => Channel::Email,
        }),
        sender: class.channel.map(|_| "+1 (888) 555-0199".to_string()),
        subject: None,
    }
}

fn check(engine: &Engine, bytes: &[u8], opts: &InputOptions) -> usize {
    match read_input(bytes, opts) {
        Ok(msgs) => msgs
            .into_iter()
            .flatten()
            .map(|m| engine.analyze(&m, &AnalyzeOptions::default()).score as usize)
            .sum(),
        Err(_) => 0,
    }
}

fn bench(c: &mut Criterion) {
    let engine = Engine::default();
    engine.warm_up();
    let mut g = c.benchmark_group("hostile-1MB");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(4));
    g.bench_function("typical scam email (baseline)", |b| {
        let opts = InputOptions::default();
        b.iter(|| check(&engine, black_box(EMAIL), &opts))
    });
    for class in classes::all(1024 * 1024) {
        let opts = options(&class);
        g.bench_function(class.name, |b| {
            b.iter(|| check(&engine, black_box(&class.bytes), &opts))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
