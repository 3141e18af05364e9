//! redflag's statistical second opinion: a small fastText text classifier.
//!
//! [`features`] turns a message into the text the model reads: what a real person's message
//! carries (subject, body, the sender's display name and domain, the domains of its links),
//! never header plumbing (recipients, `Received` lines, Message-IDs, dates), which in public
//! corpora identifies the *source* of a message rather than the scam. Email addresses and
//! their domains inside the text are replaced by a placeholder for the same reason: in
//! corpora they are mostly the recipient's.
//!
//! [`Model`] loads a trained model from bytes and gives the probability that a message is a
//! scam. [`train`] trains one, seeded and single-threaded so that the same rows give the same
//! bytes.
//!
//! **Invariant:** prediction is deterministic and does no IO. Training writes one temporary
//! file (fastText reads its training data from a file) and removes it.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod features;
mod linear;

pub use features::features;

use std::io::Cursor;
use std::sync::OnceLock;

/// The model shipped in the binary, trained only on rows whose licence allows it
/// (`train_ok`); see `crates/redflag-model/model/README.md`.
const EMBEDDED: &[u8] = include_bytes!("../model/redflag.ftz");

/// The label of scam rows in training data.
const SCAM: &str = "__label__scam";
/// The label of legitimate rows in training data.
const HAM: &str = "__label__ham";

/// Why a model could not be loaded or trained.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes are not a fastText model.
    #[error("not a usable fastText model: {0}")]
    Load(String),
    /// The model does not know the labels redflag trains (`scam`, `ham`).
    #[error("the model has no `scam` label; train it with `redflag train`")]
    Labels,
    /// Training failed.
    #[error("training failed: {0}")]
    Train(String),
    /// Too few rows of one class to train.
    #[error("training needs scam and legitimate rows; got {scam} scam and {ham} legitimate")]
    TooFewRows {
        /// Scam rows.
        scam: usize,
        /// Legitimate rows.
        ham: usize,
    },
    /// The temporary training file could not be written.
    #[error("cannot write the training file: {0}")]
    Io(#[from] std::io::Error),
}

/// A loaded classifier.
pub struct Model {
    ft: fasttext::FastText,
    /// The model collapsed to one number per input row, when its loss allows it (see
    /// [`RowScores`]); `None` falls back to fastText's own prediction.
    rows: Option<linear::RowScores>,
    /// A short description for reports ("embedded", or a file name).
    pub name: String,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Model {
    /// Loads a model from the bytes of a `.ftz` or `.bin` fastText file.
    pub fn from_bytes(bytes: &[u8], name: impl Into<String>) -> Result<Model, Error> {
        let ft = fasttext::FastText::load(&mut Cursor::new(bytes))
            .map_err(|e| Error::Load(e.to_string()))?;
        let (labels, _) = ft.get_labels();
        if !labels.iter().any(|l| l == SCAM) {
            return Err(Error::Labels);
        }
        Ok(Model {
            rows: linear::RowScores::new(&ft),
            ft,
            name: name.into(),
        })
    }

    /// The embedded model, loaded once.
    pub fn embedded() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| {
            Model::from_bytes(EMBEDDED, "embedded").expect("the embedded model is checked by tests")
        })
    }

    /// The probability (0 to 1) that the text of [`features`] is a scam.
    pub fn scam_probability(&self, features: &str) -> f32 {
        if let Some(rows) = &self.rows {
            return rows.scam_probability(features).clamp(0.0, 1.0);
        }
        self.fasttext_probability(features)
    }

    /// The probability as fastText's own `predict` computes it: the reference that
    /// [`linear::RowScores`] must agree with.
    fn fasttext_probability(&self, features: &str) -> f32 {
        let preds = self.ft.predict(features, 2, 0.0);
        let p = preds
            .iter()
            .find(|p| p.label == SCAM)
            .map(|p| p.prob)
            .unwrap_or_else(|| {
                // With two labels, the other one's probability is the complement.
                preds
                    .iter()
                    .find(|p| p.label == HAM)
                    .map(|p| 1.0 - p.prob)
                    .unwrap_or(0.0)
            });
        // fastText's probabilities can exceed 1 by rounding.
        p.clamp(0.0, 1.0)
    }
}

/// Training settings. The defaults are what the shipped model uses.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Random seed.
    pub seed: i32,
    /// Passes over the data.
    pub epochs: i32,
    /// Embedding size.
    pub dim: i32,
    /// Quantise (`.ftz`, about 2 MB) instead of keeping the full model.
    pub quantize: bool,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions {
            seed: 20261124,
            epochs: 25,
            dim: 32,
            quantize: true,
        }
    }
}

/// Trains a model on `(is_scam, features)` rows and returns the model file's bytes.
/// Deterministic: single-threaded and seeded, so the same rows in the same order give the
/// same bytes.
pub fn train(rows: &[(bool, String)], opts: &TrainOptions) -> Result<Vec<u8>, Error> {
    let scam = rows.iter().filter(|(s, _)| *s).count();
    let ham = rows.len() - scam;
    if scam < 2 || ham < 2 {
        return Err(Error::TooFewRows { scam, ham });
    }
    let mut data = String::new();
    for (is_scam, text) in rows {
        data.push_str(if *is_scam { SCAM } else { HAM });
        data.push(' ');
        data.push_str(&text.replace(['\n', '\r'], " "));
        data.push('\n');
    }
    let dir =
        std::env::temp_dir().join(format!("redflag-train-{}-{}", std::process::id(), unique()));
    std::fs::create_dir_all(&dir)?;
    let input = dir.join("train.txt");
    std::fs::write(&input, data)?;
    let result = (|| {
        let mut args = fasttext::args::Args::default();
        args.input = input.clone();
        args.model = fasttext::args::ModelName::Supervised;
        args.epoch = opts.epochs;
        args.dim = opts.dim;
        args.lr = 0.5;
        args.word_ngrams = 2;
        args.minn = 2;
        args.maxn = 5;
        args.bucket = 200_000;
        args.thread = 1;
        args.seed = opts.seed;
        args.verbose = 0;
        let mut ft =
            fasttext::FastText::train(args.clone()).map_err(|e| Error::Train(e.to_string()))?;
        if opts.quantize {
            let mut q = args;
            q.qnorm = true;
            // Four dimensions per code instead of two: a third smaller and ~6% fewer
            // instructions per checked email, with the same corpus figures.
            q.dsub = 4;
            q.cutoff = 100_000;
            q.retrain = false;
            ft.quantize(&q).map_err(|e| Error::Train(e.to_string()))?;
        }
        let mut out = Vec::new();
        ft.save(&mut out).map_err(|e| Error::Train(e.to_string()))?;
        Ok(out)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// A number that differs between calls in one process (for temporary file names).
fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use redflag_message::{Channel, TextInput, parse_text_message};

    fn feats(text: &str) -> String {
        let m = parse_text_message(TextInput {
            channel: Channel::Sms,
            text,
            sender: None,
            subject: None,
        })
        .unwrap();
        features(
            &m,
            &redflag_extract::extract(&m, &redflag_profile::Profile::embedded().brand),
        )
    }

    #[test]
    fn embedded_model_loads_and_separates_obvious_cases() {
        let m = Model::embedded();
        let scam = m.scam_probability(&feats(
            "Dear customer, your account has been suspended. Verify your account details now at http://secure-verify.example.top/login to avoid closure.",
        ));
        let ham = m.scam_probability(&feats(
            "Hey, are we still on for dinner tonight? I'll bring the salad.",
        ));
        assert!((0.0..=1.0).contains(&scam) && (0.0..=1.0).contains(&ham));
        assert!(scam > ham, "scam {scam} ham {ham}");
    }

    /// Texts that reach the model: real fixtures, words it has never seen, an empty text,
    /// a text of one token, a long one, and long tokens.
    fn probe_texts() -> Vec<String> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures");
        let mut texts = Vec::new();
        for dir in ["sms", "chat", "call"] {
            let mut paths: Vec<_> = std::fs::read_dir(format!("{root}/{dir}"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            paths.sort();
            for path in paths {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    texts.push(feats(&text));
                }
            }
        }
        texts.push(String::new());
        texts.push("   \n\t ".into());
        texts.push("zzqxv".into());
        texts.push("Ämazön ωρα 注文 🎁 gift-card".into());
        texts.push("verify your account now ".repeat(2_000));
        // Long tokens: the `<word>` buffer a text reuses for its n-grams grows to fit them.
        texts.push(format!(
            "{} {} https://{}.example.top/{}",
            "a".repeat(62),
            "ü".repeat(40),
            "login-secure".repeat(6),
            "x".repeat(200)
        ));
        // Labels, fastText's end-of-line token (which ends the line), the separators it
        // splits on (not \x0b), and words of multi-byte characters for the n-grams.
        texts.push("__label__scam verify __label__other now </s> ignored after".into());
        texts.push("a\tb\x0bc\x0cd\re\nf é ü€ 🎁x x🎁 ωρα".into());
        texts
    }

    /// The rows the linear model adds up are the ones fastText's tokeniser lists, in its
    /// order (so the sum is the same float).
    fn assert_rows_are_fasttexts(m: &Model, texts: &[String]) {
        let Some(rows) = &m.rows else { return };
        for text in texts {
            let (mut words, mut labels) = (Vec::new(), Vec::new());
            m.ft.dict().get_line_from_str(text, &mut words, &mut labels);
            assert_eq!(rows.rows_of(&m.ft, text), words, "{}: {text:.80?}", m.name);
        }
    }

    /// The per-row collapse gives fastText's own probability, up to float rounding, for the
    /// shipped quantised model and a freshly trained one; a full model trained with
    /// negative sampling (whose prediction uses fastText's sigmoid table) keeps fastText's
    /// own prediction.
    #[test]
    fn the_linear_prediction_is_fasttexts() {
        let check = |m: &Model, texts: &[String], collapsed: bool| {
            assert_eq!(m.rows.is_some(), collapsed, "{}", m.name);
            assert_rows_are_fasttexts(m, texts);
            for text in texts {
                let fast = m.scam_probability(text);
                let reference = m.fasttext_probability(text);
                assert!(
                    (fast - reference).abs() < 1e-4,
                    "{}: {fast} vs fastText {reference} for {text:.80?}",
                    m.name
                );
            }
        };
        let texts = probe_texts();
        check(Model::embedded(), &texts, true);
        let mut rows = Vec::new();
        for i in 0..40 {
            rows.push((true, format!("urgent verify your account password now {i}")));
            rows.push((
                false,
                format!("see you at lunch tomorrow with the kids {i}"),
            ));
        }
        for quantize in [true, false] {
            let opts = TrainOptions {
                epochs: 5,
                dim: 8,
                quantize,
                ..Default::default()
            };
            let m = Model::from_bytes(&train(&rows, &opts).unwrap(), "trained").unwrap();
            check(&m, &texts, quantize);
        }
    }

    #[test]
    fn garbage_is_not_a_model() {
        assert!(Model::from_bytes(b"not a model", "x").is_err());
        assert!(Model::from_bytes(&[], "x").is_err());
    }

    #[test]
    fn training_is_deterministic_and_the_result_loads() {
        let mut rows = Vec::new();
        for i in 0..20 {
            rows.push((
                true,
                format!("urgent verify your account password now or lose access {i}"),
            ));
            rows.push((
                false,
                format!("see you at lunch tomorrow with the kids {i}"),
            ));
        }
        let opts = TrainOptions {
            epochs: 5,
            dim: 8,
            quantize: false,
            ..Default::default()
        };
        let a = train(&rows, &opts).unwrap();
        let b = train(&rows, &opts).unwrap();
        assert_eq!(a, b, "same rows and seed must give the same bytes");
        let m = Model::from_bytes(&a, "test").unwrap();
        assert!(
            m.scam_probability("urgent verify your password")
                > m.scam_probability("lunch with the kids")
        );
    }

    #[test]
    fn training_needs_both_classes() {
        let rows = vec![(true, "a".to_string()), (true, "b".to_string())];
        assert!(matches!(
            train(&rows, &TrainOptions::default()),
            Err(Error::TooFewRows { .. })
        ));
    }
}
