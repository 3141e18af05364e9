//! The whole analysis: bytes -> `read_input` -> `Engine::analyze` for every message, then
//! the report as JSON (what the CLI and the server print). The engine is built once.
//!
//! The input is read with no options (the bytes decide: email, mbox, Messenger export,
//! HTML or text), as `redflag check FILE` does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redflag_engine::{AnalyzeOptions, Engine, InputOptions, read_input};
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let e = Engine::default();
        e.warm_up();
        e
    })
}

// Built before libFuzzer starts its clock: the first input would otherwise take over the
// 1 s timeout.
fuzz_target!(init: { engine(); }, |data: &[u8]| {
    redflag_fuzz::allow_caught_parser_panics();
    let engine = engine();
    let Ok(messages) = read_input(data, &InputOptions::default()) else {
        return;
    };
    for msg in messages.into_iter().flatten() {
        redflag_fuzz::check_message(&msg);
        let report = engine.analyze(&msg, &AnalyzeOptions::default());
        for f in &report.findings {
            for e in &f.evidence {
                assert!(
                    msg.text.get(e.start..e.end).is_some(),
                    "{} evidence {}..{} not in the text",
                    f.rule,
                    e.start,
                    e.end
                );
            }
        }
        serde_json::to_string(&report).expect("report as JSON");
    }
});
