//! Analyses the files given, `REPEAT` times each (default 1), and prints how many reports it
//! made: a fixed workload for profilers (`valgrind --tool=callgrind`, `perf record`).
//!
//! ```text
//! cargo build --release -p redflag-engine --example analyze_many
//! valgrind --tool=callgrind target/release/examples/analyze_many tests/fixtures/sms/*.txt
//! ```
//!
//! Files ending in `.txt` are read as text messages (SMS), `.call` as call transcripts,
//! anything else as an email or whatever the content says. `ASSESS=1` assesses instead of
//! analysing (`Engine::assess`: verdict, score and findings without the report's words). The
//! engine is warmed up before the loop, so that one-time work (pattern compilation, model
//! load) stays out of the profile's hot paths; `WARM=1` also runs one pass over the inputs
//! first, for what is built on first use by the messages themselves.

use redflag_engine::{AnalyzeOptions, Channel, Engine, InputOptions, read_input};

/// The allocator of the `redflag` binary (redflag-cli/src/serve.rs), so that allocation
/// costs as much here as in production.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let repeat: usize = std::env::var("REPEAT")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    let engine = Engine::default();
    engine.warm_up();
    let mut inputs = Vec::new();
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                continue;
            }
        };
        let opts = InputOptions {
            channel: if path.ends_with(".txt") {
                Some(Channel::Sms)
            } else if path.ends_with(".call") {
                Some(Channel::Call)
            } else {
                None
            },
            ..InputOptions::default()
        };
        inputs.push((bytes, opts));
    }
    let assess = std::env::var_os("ASSESS").is_some_and(|v| v == "1");
    // `WARM=1`: one pass over the inputs before the measured loop, so that what is built on
    // first use (the lazy DFAs' states, a region's phone patterns) stays out of the profile.
    if std::env::var_os("WARM").is_some_and(|v| v == "1") {
        warm(&engine, &inputs, assess);
    }
    let (reports, findings) = run_all(&engine, &inputs, repeat, assess);
    println!("{reports} reports, {findings} findings");
}

/// One unmeasured pass over the inputs (`WARM=1`).
#[inline(never)]
fn warm(engine: &Engine, inputs: &[(Vec<u8>, InputOptions)], assess: bool) {
    std::hint::black_box(passes(engine, inputs, 1, assess));
}

/// The measured loop, apart so that a profiler can collect this function alone
/// (`valgrind --tool=callgrind --toggle-collect='analyze_many::run_all'`).
#[inline(never)]
fn run_all(
    engine: &Engine,
    inputs: &[(Vec<u8>, InputOptions)],
    repeat: usize,
    assess: bool,
) -> (usize, usize) {
    passes(engine, inputs, repeat, assess)
}

/// `repeat` passes over the inputs: the reports made and their findings.
#[inline(never)]
fn passes(
    engine: &Engine,
    inputs: &[(Vec<u8>, InputOptions)],
    repeat: usize,
    assess: bool,
) -> (usize, usize) {
    let mut reports = 0usize;
    let mut findings = 0usize;
    for _ in 0..repeat {
        for (bytes, opts) in inputs {
            let Ok(msgs) = read_input(bytes, opts) else {
                continue;
            };
            for msg in msgs.into_iter().flatten() {
                let opts = AnalyzeOptions::default();
                findings += if assess {
                    engine.assess(&msg, &opts).findings.len()
                } else {
                    engine.analyze(&msg, &opts).findings.len()
                };
                reports += 1;
            }
        }
    }
    (reports, findings)
}
