//! fastText's prediction as a linear model: one number per input row.

use crate::{HAM, SCAM};
use rustc_hash::FxHashMap as HashMap;

/// A product-quantised fastText matrix, borrowed field by field (the crate does not export
/// the type's name).
struct QuantView<'a> {
    codes: &'a [u8],
    nsubq: usize,
    dsub: usize,
    lastdsub: usize,
    centroids: &'a [f32],
    /// Per-row norm codes and the norm quantiser's centroids, when norms are quantised.
    norms: Option<(&'a [u8], &'a [f32])>,
}

/// Borrows a fastText `QuantMatrix` as a [`QuantView`].
macro_rules! quant_view {
    ($q:expr) => {{
        let q = $q;
        QuantView {
            codes: &q.codes,
            nsubq: usize::try_from(q.pq.nsubq).unwrap_or(0),
            dsub: usize::try_from(q.pq.dsub).unwrap_or(0),
            lastdsub: usize::try_from(q.pq.lastdsub).unwrap_or(0),
            centroids: &q.pq.centroids,
            norms: match (q.qnorm, q.norm_codes.as_deref(), q.npq.as_ref()) {
                (true, Some(codes), Some(npq)) => Some((codes, &npq.centroids[..])),
                _ => None,
            },
        }
    }};
}

impl QuantView<'_> {
    /// Centroids per sub-quantiser.
    const KSUB: usize = 256;

    /// Adds row `r` to `out` as fastText reconstructs it (the centroid of each sub-vector,
    /// times the row's quantised norm). `None` when `r` or a code is out of range.
    fn add_row(&self, r: usize, out: &mut [f32]) -> Option<()> {
        let norm = match self.norms {
            Some((codes, centroids)) => *centroids.get(usize::from(*codes.get(r)?))?,
            None => 1.0,
        };
        let code = self.codes.get(self.nsubq * r..self.nsubq * (r + 1))?;
        for (m, &c) in code.iter().enumerate() {
            let d = if m + 1 == self.nsubq {
                self.lastdsub
            } else {
                self.dsub
            };
            let start = m * Self::KSUB * self.dsub + usize::from(c) * d;
            let centroid = self.centroids.get(start..start + d)?;
            let target = out.get_mut(m * self.dsub..m * self.dsub + d)?;
            for (x, c) in target.iter_mut().zip(centroid) {
                *x += norm * c;
            }
        }
        Some(())
    }
}

/// fastText's prediction, computed in one addition per token instead of one vector per
/// token.
///
/// A fastText classifier averages the input rows of a text's tokens into a hidden vector
/// `h`, multiplies it by the output matrix and takes the softmax. With two labels the
/// softmax depends only on the difference of the two outputs, `(o_scam - o_ham) · h`, and
/// since `h` is a mean of rows, that difference is the mean of `(o_scam - o_ham) · row`
/// over the tokens' rows. That number is computed here once per row when the model loads
/// (100,000 rows × 32 dimensions for the shipped model: a few milliseconds, 400 KB), and a
/// prediction becomes a sum of looked-up numbers: the same probability up to float
/// rounding, at a fraction of the cost (no product-quantiser decoding per token).
pub(crate) struct RowScores {
    /// `(o_scam - o_ham) · row` for every row of the input matrix.
    margin: Vec<f32>,
    /// The end-of-sentence token fastText adds to every prediction.
    eos: Option<i32>,
    /// Per vocabulary word, the sum of its rows' numbers (its own row and its character
    /// n-grams) and how many rows that is: a known word costs one lookup, not one per row.
    word_rows: Vec<(f64, u32)>,
    /// For a pruned model, the number of each hashed id that kept a row, by id: one lookup
    /// instead of fastText's two (id to row, row to number).
    pruned_margin: Option<Pruned>,
    /// How fastText turns a text into rows.
    tokens: Tokens,
}

/// The numbers of the hashed ids a pruned model kept a row for, by id: an array of
/// `bucket` numbers and a bit per id (800 KB and 25 KB for the shipped model's 200,000,
/// less than a map of its kept ids), one load each instead of a hash lookup per n-gram.
struct Pruned {
    margin: Vec<f32>,
    kept: Vec<u64>,
}

impl Pruned {
    /// `None` when an id is not below `bucket` (fastText hashes every id below it).
    fn new(bucket: usize, kept: impl Iterator<Item = (i32, f32)>) -> Option<Pruned> {
        let mut p = Pruned {
            margin: vec![0.0; bucket],
            kept: vec![0; bucket.div_ceil(64)],
        };
        for (id, m) in kept {
            let id = usize::try_from(id).ok().filter(|&id| id < bucket)?;
            p.margin[id] = m;
            p.kept[id / 64] |= 1 << (id % 64);
        }
        Some(p)
    }

    /// The number of hashed id `id`, if the model kept a row for it.
    fn get(&self, id: i32) -> Option<f32> {
        let id = usize::try_from(id).ok()?;
        let word = self.kept.get(id / 64)?;
        (word & (1 << (id % 64)) != 0).then(|| self.margin[id])
    }
}

/// The settings of fastText's tokenisation (`Dictionary::get_line_from_str`), copied out
/// of the model so that [`Tokens::for_each_row`] can walk a text's rows without building
/// fastText's vectors: no allocation per word or per character n-gram, one hash per
/// n-gram computed by extending the previous one.
struct Tokens {
    /// The vocabulary's words (not its labels) and their ids.
    vocab: HashMap<Box<str>, i32>,
    minn: usize,
    maxn: usize,
    bucket: u32,
    /// `% bucket` for the character n-grams' 32-bit hashes.
    rem_bucket: Rem32,
    word_ngrams: usize,
    nwords: i32,
    label_prefix: String,
}

impl RowScores {
    /// Collapses `ft` when it is a two-label softmax model (the quantised models
    /// `redflag train` writes, and full models trained with softmax loss); `None` for other
    /// losses, whose prediction is not a mean of per-row numbers.
    pub(crate) fn new(ft: &fasttext::FastText) -> Option<RowScores> {
        use fasttext::args::LossName;
        use fasttext::matrix::Matrix;
        let dict = ft.dict();
        if dict.nlabels() != 2 {
            return None;
        }
        let label = |i| dict.get_label(i).ok();
        let (scam, ham) = match (label(0)?, label(1)?) {
            (SCAM, HAM) => (0usize, 1usize),
            (HAM, SCAM) => (1, 0),
            _ => return None,
        };
        let loss = ft.args().loss;
        let softmax = match ft.is_quant() {
            // The quantised path applies a softmax for every loss but one-vs-all.
            true => loss != LossName::OneVsAll,
            false => loss == LossName::Softmax,
        };
        if !softmax {
            return None;
        }
        let dim = usize::try_from(ft.args().dim).ok()?;
        // The output rows, decoded when the output matrix is quantised too.
        let out_row = |label: usize| -> Option<Vec<f32>> {
            match ft.quant_output() {
                Some(q) => {
                    let mut row = vec![0.0f32; dim];
                    quant_view!(q).add_row(label, &mut row)?;
                    Some(row)
                }
                None => ft
                    .output_matrix()
                    .data()
                    .get(label * dim..(label + 1) * dim)
                    .map(<[f32]>::to_vec),
            }
        };
        let (o_scam, o_ham) = (out_row(scam)?, out_row(ham)?);
        let diff: Vec<f32> = o_scam.iter().zip(&o_ham).map(|(s, h)| s - h).collect();
        let margin = match ft.quant_input() {
            Some(q) => {
                let rows = usize::try_from(q.m).ok()?;
                let view = quant_view!(q);
                let mut row = vec![0.0f32; dim];
                let mut margin = Vec::with_capacity(rows);
                for r in 0..rows {
                    row.iter_mut().for_each(|x| *x = 0.0);
                    view.add_row(r, &mut row)?;
                    margin.push(dot(&row, &diff));
                }
                margin
            }
            None => {
                let input = ft.input_matrix();
                let rows = usize::try_from(input.rows()).ok()?;
                let data = input.data();
                (0..rows)
                    .map(|r| data.get(r * dim..(r + 1) * dim).map(|row| dot(row, &diff)))
                    .collect::<Option<Vec<f32>>>()?
            }
        };
        let args = ft.args();
        let mut vocab = HashMap::default();
        let mut word_rows = Vec::new();
        for (id, entry) in dict.words().iter().enumerate() {
            let id = i32::try_from(id).ok()?;
            if entry.entry_type != fasttext::dictionary::EntryType::Word {
                continue;
            }
            vocab.insert(entry.word.as_str().into(), id);
            let rows = match args.maxn > 0 {
                true => dict.get_subwords(id),
                false => std::slice::from_ref(&id),
            };
            let sum = rows
                .iter()
                .map(|&r| f64::from(row_margin(&margin, r)))
                .sum();
            let n = u32::try_from(rows.len()).ok()?;
            let at = usize::try_from(id).ok()?;
            word_rows.resize(word_rows.len().max(at + 1), (0.0, 0));
            word_rows[at] = (sum, n);
        }
        // fastText's `pruneidx_size`: negative when nothing was pruned, 0 when every
        // hashed id was, else the number of ids kept.
        let pruned_margin = match dict.pruneidx_size() >= 0 {
            true => Some(Pruned::new(
                usize::try_from(args.bucket).ok()?,
                dict.pruneidx()
                    .iter()
                    .map(|(&id, &r)| (id, row_margin(&margin, dict.nwords() + r))),
            )?),
            false => None,
        };
        Some(RowScores {
            margin,
            eos: dict.get_id(fasttext::dictionary::EOS),
            word_rows,
            pruned_margin,
            tokens: Tokens {
                vocab,
                minn: usize::try_from(args.minn).unwrap_or(0),
                maxn: usize::try_from(args.maxn).unwrap_or(0),
                bucket: u32::try_from(args.bucket).unwrap_or(0),
                rem_bucket: Rem32::new(u32::try_from(args.bucket).unwrap_or(0)),
                word_ngrams: usize::try_from(args.word_ngrams).unwrap_or(1),
                nwords: dict.nwords(),
                label_prefix: args.label.clone(),
            },
        })
    }

    /// The probability of the scam label, as fastText's `predict` reports it (up to float
    /// rounding: the rows' numbers are added in f64, a known word's as one sum).
    pub(crate) fn scam_probability(&self, text: &str) -> f32 {
        let mut sum = 0.0f64;
        let mut count = 0u64;
        self.tokens.for_each_row(text, |item| match item {
            Rows::Word(word) => {
                let known = usize::try_from(word)
                    .ok()
                    .and_then(|w| self.word_rows.get(w));
                if let Some(&(s, n)) = known {
                    sum += s;
                    count += u64::from(n);
                }
            }
            Rows::Hashed(id) => {
                let m = match &self.pruned_margin {
                    None => Some(row_margin(&self.margin, self.tokens.nwords + id)),
                    Some(kept) => kept.get(id),
                };
                if let Some(m) = m {
                    sum += f64::from(m);
                    count += 1;
                }
            }
        });
        if count == 0 {
            // fastText predicts nothing for a text without words.
            return 0.0;
        }
        if let Some(eos) = self.eos {
            sum += f64::from(row_margin(&self.margin, eos));
            count += 1;
        }
        let margin = sum / count as f64;
        let p = 1.0 / (1.0 + (-margin).exp());
        // fastText reports exp(ln(p + 1e-5)).
        (p + 1e-5) as f32
    }

    /// The rows [`Tokens::for_each_row`] lists for `text`, a known word expanded to its
    /// rows as fastText lists them, to compare with fastText's own line.
    #[cfg(test)]
    pub(crate) fn rows_of(&self, ft: &fasttext::FastText, text: &str) -> Vec<i32> {
        let mut rows = Vec::new();
        self.tokens.for_each_row(text, |item| match item {
            Rows::Word(word) if self.tokens.maxn == 0 => rows.push(word),
            Rows::Word(word) => rows.extend_from_slice(ft.dict().get_subwords(word)),
            // fastText's `push_hash`: a pruned model keeps the rows of some ids only.
            Rows::Hashed(id) => match ft.dict().pruneidx_size() {
                n if n < 0 => rows.push(self.tokens.nwords + id),
                _ => rows.extend(
                    ft.dict()
                        .pruneidx()
                        .get(&id)
                        .map(|&r| self.tokens.nwords + r),
                ),
            },
        });
        rows
    }
}

/// What [`Tokens::for_each_row`] finds: a vocabulary word (whose rows fastText lists as
/// its own row and its character n-grams), or a hashed id (a character or word n-gram,
/// below `bucket`, whose row is `nwords + id`, or in a pruned model the row kept for it).
enum Rows {
    Word(i32),
    Hashed(i32),
}

/// The number of row `row` (0 for an id out of range, which fastText would not list).
fn row_margin(margin: &[f32], row: i32) -> f32 {
    usize::try_from(row)
        .ok()
        .and_then(|r| margin.get(r))
        .copied()
        .unwrap_or(0.0)
}

/// fastText's string hash (FNV-1a over the bytes, each byte sign-extended as C++'s
/// `int8_t` is), one byte at a time.
fn fnv_step(h: u32, byte: u8) -> u32 {
    (h ^ byte as i8 as i32 as u32).wrapping_mul(16_777_619)
}

const FNV_OFFSET: u32 = 2_166_136_261;

impl Tokens {
    /// Walks the input rows fastText's `get_line_from_str` lists for `text`, in its order:
    /// a vocabulary word as [`Rows::Word`], the others as [`Rows::Hashed`] (the n-grams of
    /// a word outside the vocabulary, then the word n-grams). Labels (`__label__…`) count
    /// for nothing; fastText's end-of-line token ends the text.
    fn for_each_row(&self, text: &str, mut visit: impl FnMut(Rows)) {
        use fasttext::dictionary::EOS;
        let mut word_hashes: Vec<i32> = Vec::new();
        // `<token>` of the word being cut into n-grams: one buffer for the whole text.
        let mut word: Vec<u8> = Vec::new();
        // fastText's tokens: what its separators (ASCII white space) separate, empty ones
        // left out; split on bytes, as they are ASCII.
        for token in text.split_ascii_whitespace() {
            let h = token.bytes().fold(FNV_OFFSET, fnv_step);
            match self.vocab.get(token) {
                Some(&id) => visit(Rows::Word(id)),
                // A label, in the vocabulary or not: fastText types words by this prefix.
                None if token.starts_with(self.label_prefix.as_str()) => continue,
                None if token != EOS => self.char_ngrams(token, &mut word, &mut visit),
                None => {}
            }
            word_hashes.push(h as i32);
            if token == EOS {
                break;
            }
        }
        if self.bucket == 0 || self.word_ngrams <= 1 {
            return;
        }
        let bucket = u64::from(self.bucket);
        for (i, &first) in word_hashes.iter().enumerate() {
            let mut h = first as i64 as u64;
            let end = word_hashes.len().min(i + self.word_ngrams);
            for &next in &word_hashes[i + 1..end] {
                h = h.wrapping_mul(116_049_371).wrapping_add(next as i64 as u64);
                self.hashed(h % bucket, &mut visit);
            }
        }
    }

    /// The character n-grams of `<token>` (`minn` to `maxn` characters, a lone `<` or `>`
    /// left out), as fastText's `compute_subwords` lists them.
    fn char_ngrams(&self, token: &str, word: &mut Vec<u8>, visit: &mut impl FnMut(Rows)) {
        if self.maxn == 0 || self.bucket == 0 {
            return;
        }
        word.clear();
        word.push(b'<');
        word.extend_from_slice(token.as_bytes());
        word.push(b'>');
        let (w, len) = (word.as_slice(), word.len());
        // The n-gram of `n` characters from byte `i` to byte `end` of `<token>`, hashed to
        // `h`: fastText keeps it unless it is too short or a lone `<` or `>`.
        let mut keep = |n: usize, i: usize, end: usize, h: u32| {
            if n >= self.minn && !(n == 1 && (i == 0 || end == len)) {
                self.hashed(u64::from(self.rem_bucket.of(h)), visit);
            }
        };
        if token.is_ascii() {
            // Every byte is a character: the loop below without its checks for the bytes
            // that continue one (most words: the prediction takes 17–18 % fewer instructions).
            for i in 0..len {
                let mut h = FNV_OFFSET;
                for (j, &b) in w.iter().enumerate().take(len.min(i + self.maxn)).skip(i) {
                    h = fnv_step(h, b);
                    keep(j + 1 - i, i, j + 1, h);
                }
            }
            return;
        }
        let continues = |b: u8| b & 0xC0 == 0x80;
        for i in (0..len).filter(|&i| !continues(w[i])) {
            let mut h = FNV_OFFSET;
            let mut j = i;
            for n in 1..=self.maxn {
                if j >= len {
                    break;
                }
                h = fnv_step(h, w[j]);
                j += 1;
                while j < len && continues(w[j]) {
                    h = fnv_step(h, w[j]);
                    j += 1;
                }
                keep(n, i, j, h);
            }
        }
    }

    /// Passes on a hashed id (`id < bucket`).
    fn hashed(&self, id: u64, visit: &mut impl FnMut(Rows)) {
        if let Ok(id) = i32::try_from(id) {
            visit(Rows::Hashed(id));
        }
    }
}

/// The remainder of a division by a fixed 32-bit divisor, as two multiplications instead
/// of a division (Lemire, Kaser and Kurz, "Faster remainder by direct computation", 2019):
/// exact for every 32-bit dividend. A hardware division takes tens of cycles, and every
/// character n-gram of a word outside the vocabulary needs one.
#[derive(Debug, Clone, Copy)]
struct Rem32 {
    d: u32,
    /// `⌈2⁶⁴ / d⌉`, the inverse of `d` as a 64-bit fraction (0 when `d` is 0 or 1).
    m: u64,
}

impl Rem32 {
    fn new(d: u32) -> Rem32 {
        let m = match d {
            0 => 0,
            d => (u64::MAX / u64::from(d)).wrapping_add(1),
        };
        Rem32 { d, m }
    }

    /// `a % d`; 0 when `d` is 0 (which callers rule out first).
    fn of(self, a: u32) -> u32 {
        let frac = self.m.wrapping_mul(u64::from(a));
        ((u128::from(frac) * u128::from(self.d)) >> 64) as u32
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::Rem32;
    use proptest::prelude::*;

    #[test]
    fn rem32_at_the_edges() {
        for d in [1, 2, 3, 7, 200_000, 2_000_000, u32::MAX - 1, u32::MAX] {
            let r = Rem32::new(d);
            for a in [0, 1, d - 1, d, d.wrapping_add(1), u32::MAX - 1, u32::MAX] {
                assert_eq!(r.of(a), a % d, "{a} % {d}");
            }
        }
    }

    proptest! {
        #[test]
        fn rem32_is_the_remainder(a in any::<u32>(), d in 1u32..) {
            prop_assert_eq!(Rem32::new(d).of(a), a % d);
        }
    }
}
