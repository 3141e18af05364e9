//! Work counting: how many steps the parsers and the analysis took on one message.
//!
//! Wall-clock time is useless for telling linear work from quadratic work on a noisy
//! machine, so the loops whose cost depends on the input (the HTML tokenizer and renderer,
//! link and phone candidates, normalisation, phrase scans, the spelling check) count their
//! steps here: one per byte or item they look at. A thread-local counter, so concurrent
//! analyses on other threads never mix, and reading it does no IO. The property tests in
//! `redflag-engine` check, for each class of hostile input, that the steps stay within a
//! constant times the input's size.

use std::cell::Cell;

thread_local! {
    static STEPS: Cell<u64> = const { Cell::new(0) };
}

/// Counts one step.
#[inline]
pub fn step() {
    steps(1);
}

/// Counts `n` steps.
#[inline]
pub fn steps(n: usize) {
    STEPS.with(|s| s.set(s.get().wrapping_add(n as u64)));
}

/// The steps counted on this thread so far.
pub fn total() -> u64 {
    STEPS.with(Cell::get)
}

/// Runs `f` and returns what it returned with the steps it took on this thread.
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let before = total();
    let r = f();
    (r, total().wrapping_sub(before))
}
