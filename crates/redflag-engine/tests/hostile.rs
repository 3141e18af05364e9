//! Bounded work on hostile input, counted in steps (`redflag_message::work`), never in
//! seconds: for each class of hostile input in `hostile/classes.rs`, reading and analysing a
//! message takes at most a constant number of steps per input byte, doubling the input at
//! most a little more than doubles the steps, and the lure every class carries is still
//! found. A message whose analysis was cut short says so and is never "no red flags found".
//!
//! The CPU time of the same classes at 1 MB is measured by `cargo bench -p redflag-engine
//! --bench hostile` (time is measured there, never asserted here).

#[path = "hostile/classes.rs"]
mod classes;

use redflag_engine::{AnalyzeOptions, Channel, Engine, InputOptions, Report, Verdict, read_input};
use std::sync::OnceLock;

/// Steps allowed per input byte. The phrase lists are matched one regex at a time (about
/// 130 passes over the normalised text, each counted as its length), which is most of it.
const STEPS_PER_BYTE: u64 = 200;

/// Steps allowed whatever the size (the fixed work of one analysis).
const FIXED_STEPS: u64 = 2_000_000;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let e = Engine::default();
        e.warm_up();
        e
    })
}

fn channel(name: Option<&str>) -> Option<Channel> {
    name.map(|n| match n {
        "sms" => Channel::Sms,
        "chat" => Channel::Chat,
        "call" => Channel::Call,
        _ => Channel::Email,
    })
}

/// Reads and analyses a class's input; the reports (or the input error) and the steps.
fn run(c: &classes::Class) -> (Result<Vec<Report>, String>, u64) {
    let opts = InputOptions {
        channel: channel(c.channel),
        sender: c.channel.map(|_| "+1 (888) 555-0199".to_string()),
        subject: None,
    };
    redflag_message::work::measure(|| match read_input(&c.bytes, &opts) {
        Ok(msgs) => Ok(msgs
            .into_iter()
            .flatten()
            .map(|m| engine().analyze(&m, &AnalyzeOptions::default()))
            .collect()),
        Err(e) => Err(e.to_string()),
    })
}

fn cut_short(r: &Report) -> bool {
    r.notes
        .iter()
        .any(|n| redflag_rules::CUT_SHORT_NOTES.contains(&n.code.as_str()) || n.code == "limit")
}

/// Every class, at two sizes: work bounded and linear, the lure found, a cut-short analysis
/// flagged as such.
#[test]
fn hostile_input_is_bounded_and_still_flagged() {
    engine();
    let size: usize = std::env::var("HOSTILE_SIZE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(96 * 1024);
    let only = std::env::var("HOSTILE_ONLY").ok();
    let mut failures = Vec::new();
    for (small, big) in classes::all(size).into_iter().zip(classes::all(size * 2)) {
        if only.as_deref().is_some_and(|o| o != small.name) {
            continue;
        }
        for c in [&small, &big] {
            let (reports, steps) = run(c);
            let bytes = c.bytes.len() as u64;
            let summary = match &reports {
                Ok(r) => format!(
                    "{:?}",
                    r.iter().map(|r| (r.verdict, r.score)).collect::<Vec<_>>()
                ),
                Err(e) => format!("error: {e}"),
            };
            eprintln!(
                "{:18} {:>9} B {:>12} steps ({:>5.1}/B) {summary}",
                c.name,
                bytes,
                steps,
                steps as f64 / bytes as f64
            );
            if steps > STEPS_PER_BYTE * bytes + FIXED_STEPS {
                failures.push(format!("{}: {steps} steps for {bytes} bytes", c.name));
            }
            match &reports {
                Ok(reports) if !reports.is_empty() => {
                    for r in reports {
                        // The lure's callback number is found, or the report says the
                        // message was not read in full (and is then not clean).
                        let lure = r.findings.iter().any(|f| f.rule == "PHN001");
                        if !lure && !cut_short(r) {
                            failures.push(format!(
                                "{}: the lure was missed and nothing says so ({:?}, {})",
                                c.name, r.verdict, r.score
                            ));
                        }
                        if r.verdict == Verdict::Clean {
                            failures.push(format!("{}: no red flags found", c.name));
                        }
                        if cut_short(r) && !r.findings.iter().any(|f| f.rule == "LIM001") {
                            failures.push(format!("{}: cut short without LIM001", c.name));
                        }
                    }
                }
                Ok(_) => failures.push(format!("{}: no message read", c.name)),
                // Only the JSON nested past serde_json's limit may be refused, with a
                // clear error.
                Err(e) if c.name == "nested-messenger" && e.contains("not valid JSON") => {}
                Err(e) => failures.push(format!("{}: refused: {e}", c.name)),
            }
        }
        let (_, s1) = run(&small);
        let (_, s2) = run(&big);
        let bytes_ratio = big.bytes.len() as f64 / small.bytes.len() as f64;
        let steps_ratio = s2 as f64 / s1.max(1) as f64;
        if steps_ratio > bytes_ratio * 1.25 {
            failures.push(format!(
                "{}: doubling the input multiplied the steps by {steps_ratio:.2} (bytes by {bytes_ratio:.2})",
                small.name
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A message cut short is never "no red flags found", even when the part read is harmless.
#[test]
fn a_cut_short_message_is_never_clean() {
    let body = "Thanks for your order. See you soon.\n".repeat(20_000);
    let raw = format!(
        "From: Jane <jane@example.org>\r\nSubject: hello\r\nContent-Type: text/plain\r\n\r\n{body}"
    );
    let opts = InputOptions::default();
    let msgs = read_input(raw.as_bytes(), &opts).expect("an email");
    let m = msgs.into_iter().next().unwrap().unwrap();
    let r = engine().analyze(&m, &AnalyzeOptions::default());
    assert!(cut_short(&r), "{:?}", r.notes);
    assert_ne!(r.verdict, Verdict::Clean);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "LIM001")
        .expect("LIM001");
    assert!(f.message.contains("only the first"), "{}", f.message);
    // The evidence is where reading stopped: the end of the text that was read.
    let e = &f.evidence[0];
    assert_eq!(e.end, r.text.trim_end().len());
    // The same short message is clean.
    let short = "From: Jane <jane@example.org>\r\nSubject: hello\r\n\r\nThanks for your order.";
    let m = read_input(short.as_bytes(), &opts)
        .unwrap()
        .messages
        .remove(0)
        .unwrap();
    let r = engine().analyze(&m, &AnalyzeOptions::default());
    assert_eq!(r.verdict, Verdict::Clean, "{:?}", r.findings);
}
