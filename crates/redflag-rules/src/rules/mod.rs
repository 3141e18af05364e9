//! The rule registry. Every other file here is one family: a [`family!`](crate::family)
//! and its [`rule!`](crate::rule)s. The build script (`build.rs`) declares a module for each
//! file and writes `RULES` (sorted by ID), so that adding a rule or a family
//! edits no list.

include!(concat!(env!("OUT_DIR"), "/registry.rs"));

pub use limits::CUT_SHORT_NOTES;
pub use model::{MODEL_CHANNELS, MODEL_STANDALONE_POINTS};
