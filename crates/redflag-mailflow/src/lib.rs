//! redflag where mail flows: the `X-Redflag-*` header fields it adds to a message
//! ([`Stamp`], [`write_stamped`]), the spamc-style pipe filter ([`filter()`]) that a
//! procmail, maildrop, Sieve, Exim or Postfix pipe runs, and the milter that Postfix or
//! Sendmail talks to.
//!
//! **Invariants:** a message goes out byte for byte as it came in, but for the header fields
//! added (and any `X-Redflag-*` fields it already carried, which are removed so that a
//! sender cannot forge them); a message that cannot be checked still goes out, with a field
//! that says so. Every check goes through [`redflag_engine::Engine::assess`]: this crate
//! renders the answer, it decides nothing of its own.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod filter;
#[cfg(feature = "milter")]
mod milter;
mod stamp;

pub use filter::{FilterError, FilterOptions, Outcome, check_bytes, filter};
#[cfg(feature = "milter")]
pub use milter::{ListenAddr, MilterError, MilterListener, MilterOptions, MilterStats, run_milter};
pub use stamp::{FIELD_PREFIX, Stamp, StampOptions, write_stamped};
