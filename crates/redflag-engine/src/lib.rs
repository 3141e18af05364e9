//! redflag's facade: turn input bytes into messages ([`read_input`]), and a message into a
//! [`Report`] ([`Engine::analyze`]): extraction, rules, score, verdict, explanations, advice
//! and ready-to-send reports; or into an [`Assessment`] ([`Engine::assess`]): the same
//! verdict, score and findings without the words, for filters.
//!
//! **Invariants:** analysis is deterministic and does no IO: the same message and profile
//! always give the same report, byte for byte. Nothing found in a message is fetched,
//! resolved or opened.
//!
//! **API boundary:** [`Report`] is the public, versioned output ([`SCHEMA_VERSION`]); the
//! CLI, the HTTP API and the case store all serialise it as is.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod advice;
mod assess;
mod compose;
mod eml;
mod english;
mod input;
mod langid;
mod locale;
mod outbound;
mod ready;
mod report;
mod score;
pub mod screenshot;
pub mod shown;

pub use assess::{AssessedFinding, Assessment};
pub use eml::{ATTACHMENT_NAME, DraftTo, EmailDraft, email_draft};
pub use input::{InputError, InputOptions, ReadInput, read_input};
pub use ready::{
    FtcReport, ReadyError, ReadyReport, ReportTarget, Sms7726Steps, ftc_report, ready_report,
    sms7726_steps,
};
pub use redflag_extract::Indicators;
pub use redflag_extract::registrable_domain;
pub use redflag_message::{BodyPartKind, Channel, Message};
pub use redflag_message::{Error as MessageError, InputKind, ParseNote};
pub use redflag_message::{MAX_INPUT_BYTES, prefix_chars, split_mbox};
pub use redflag_profile::{Locale, Profile};

/// The rule registry, for listing and documenting the rules (`redflag rules`, `redflag
/// explain`): every rule's metadata, never its check.
pub mod rules {
    pub use redflag_rules::{
        Family, RULES, Rule, RuleMeta, Severity, Status, find_rule, rules_markdown,
    };
}
pub use redflag_extract::{MAX_ORDERS, Order, OrderHistory, OrdersError};
pub use redflag_rules::{OrderCheck, OrderMatch};
pub use report::*;
pub use score::{SCAM_THRESHOLD, SUSPICIOUS_THRESHOLD, Verdict};

use std::sync::Arc;

/// The report schema version. Bumped on any change a consumer could notice.
pub const SCHEMA_VERSION: &str = "1.7";

pub use redflag_model::Model;

/// Training the text model (`redflag train`, and `redflag eval --cross-validate`): its
/// options and the trainer, over rows of [`Engine::model_features`].
pub mod training {
    pub use redflag_model::{Error, TrainOptions, train};
    pub use redflag_rules::MODEL_CHANNELS;
}

/// Runs the analysis with one profile and, optionally, a text model.
#[derive(Debug, Clone)]
pub struct Engine {
    profile: Arc<Profile>,
    model: Option<&'static Model>,
    /// The profile's advice, filled in once for its brand.
    advice: Arc<advice::AdviceTexts>,
}

impl Default for Engine {
    /// The embedded profile and the embedded model: what `redflag check` uses.
    fn default() -> Engine {
        Engine::new(Profile::embedded()).with_model(Some(Model::embedded()))
    }
}

/// Per-message extras.
#[derive(Debug, Clone, Default)]
pub struct AnalyzeOptions<'a> {
    /// The person's real orders, for the order-history check.
    pub orders: Option<&'a OrderHistory>,
    /// The country whose reporting bodies the report names (`JP`); chosen from the message
    /// when absent or unknown.
    pub country: Option<&'a str>,
}

impl Engine {
    /// An engine with the given profile.
    pub fn new(profile: Arc<Profile>) -> Engine {
        Engine {
            advice: Arc::new(advice::AdviceTexts::new(&profile)),
            profile,
            model: None,
        }
    }

    /// The same engine with another text model (or none). Models are loaded once and live
    /// as long as the program (`Box::leak` a model loaded from a file).
    pub fn with_model(mut self, model: Option<&'static Model>) -> Engine {
        self.model = model;
        self
    }

    /// The profile in use.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// Builds now what is otherwise built on first use: the phone-number metadata, the
    /// spelling dictionary, the extractors' patterns and the model's first prediction. One
    /// check of a built-in sample message takes them all through. A server calls it at
    /// start so that its first request is not the slow one; `redflag eval` calls it before
    /// its clock starts, so that messages per second measure the checks.
    pub fn warm_up(&self) {
        // Each part takes a lazily built table through: a misspelling (the dictionary), an
        // order number, money, phone numbers, a link, an obfuscated link and address
        // (`hxxp`, `[.]`, `[at]`), and a domain in a company's name (`Amazon.com, Inc.`).
        const SAMPLE: &str = "Amazon: your accuont is locked and order 112-3456789-0123456 \
            for $1,299.00 is on hold. Call 1-888-555-0199 or visit https://amazon-help.example/verify now, \
            or hxxp://amazon-help[.]example, or write to help[at]amazon-help[.]example. Amazon.com, Inc.";
        if let Ok(msg) = redflag_message::parse_text_message(redflag_message::TextInput {
            channel: Channel::Sms,
            text: SAMPLE,
            sender: Some("+14155550100"),
            subject: None,
        }) {
            self.analyze(&msg, &AnalyzeOptions::default());
        }
        // The report's language: the sample is plainly English, so the trigram ranking's
        // tables would otherwise wait for the first text that is not.
        english::load();
        langid::load();
    }

    /// What the text model reads of a message: the row [`training::train`] learns from.
    pub fn model_features(&self, msg: &Message) -> String {
        redflag_model::features(msg, &self.extract(msg))
    }

    /// A person's order history, from the texts they gave: each an order export ("Request
    /// your data" CSV, any variant) or a list of order numbers in the brand's format; empty
    /// texts are skipped, and the orders of later texts are added to the first's. `None`
    /// when every text is empty.
    pub fn order_history(&self, texts: &[&str]) -> Result<Option<OrderHistory>, OrdersError> {
        let mut history: Option<OrderHistory> = None;
        for text in texts.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            let more = OrderHistory::parse(text, &self.profile.brand)?;
            match &mut history {
                None => history = Some(more),
                Some(h) => {
                    for o in more.orders {
                        if h.find(&o.id).is_none() {
                            h.orders.push(o);
                        }
                    }
                }
            }
        }
        Ok(history)
    }

    /// What a message holds (links, phone numbers, email addresses, money, order numbers in
    /// the profile's brand's format), without judging it.
    pub fn extract(&self, msg: &Message) -> Indicators {
        redflag_extract::extract(msg, &self.profile.brand)
    }

    /// Analyses one message. Never fails, never does IO.
    pub fn analyze(&self, msg: &Message, opts: &AnalyzeOptions<'_>) -> Report {
        self.run(msg, opts, |ind, cx, findings, model| {
            compose::build(self, msg, ind, cx, findings, model, opts.country)
        })
    }

    /// Assesses one message: the verdict, score and findings (with points and evidence
    /// spans) that [`Engine::analyze`] would report, without the explanations, advice,
    /// ready-to-send reports, indicators or report language, which are most of a report's
    /// cost. For filters and queues that only route messages. Never fails, never does IO.
    pub fn assess(&self, msg: &Message, opts: &AnalyzeOptions<'_>) -> Assessment {
        self.run(msg, opts, |ind, cx, findings, _| {
            assess::build(&self.profile, msg, ind.limits.len(), cx, findings)
        })
    }

    /// Extraction, the model and the rules: what a report and an assessment share.
    fn run<R>(
        &self,
        msg: &Message,
        opts: &AnalyzeOptions<'_>,
        finish: impl FnOnce(
            &Indicators,
            &redflag_rules::Context<'_>,
            Vec<redflag_rules::Finding>,
            Option<(&str, f32)>,
        ) -> R,
    ) -> R {
        let ind = self.extract(msg);
        let mut cx = redflag_rules::Context::new(msg, &ind, &self.profile, opts.orders);
        let model = self
            .model
            .filter(|_| redflag_rules::MODEL_CHANNELS.contains(&msg.channel));
        cx.model_probability =
            model.map(|m| m.scam_probability(&redflag_model::features(msg, &ind)));
        let findings = redflag_rules::run_rules(&cx);
        let model = model.map(|m| (m.name.as_str(), cx.model_probability.unwrap_or(0.0)));
        finish(&ind, &cx, findings, model)
    }
}
