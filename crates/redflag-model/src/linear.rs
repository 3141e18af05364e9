//! fastText's prediction as a linear model: one number per input row.

use crate::{HAM, SCAM};

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
    /// How fastText turns a text into rows.
    tokens: Tokens,
}

/// The settings of fastText's tokenisation (`Dictionary::get_line_from_str`), copied out
/// of the model so that [`Tokens::for_each_row`] can walk a text's rows without building
/// fastText's vectors: no allocation per word or per character n-gram, one hash per
/// n-gram computed by extending the previous one.
struct Tokens {
    minn: usize,
    maxn: usize,
    bucket: u32,
    word_ngrams: usize,
    nwords: i32,
    /// `None`: every hashed id is a row (`nwords + id`); `Some(map)`: the model was
    /// pruned and only the ids in `map` have rows (`nwords + map[id]`).
    pruned: Option<std::collections::HashMap<i32, i32>>,
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
        // fastText's `pruneidx_size`: negative when nothing was pruned, 0 when every
        // hashed id was, else the number of ids kept.
        let pruned = match dict.pruneidx_size() {
            n if n < 0 => None,
            _ => Some(dict.pruneidx().clone()),
        };
        Some(RowScores {
            margin,
            eos: dict.get_id(fasttext::dictionary::EOS),
            tokens: Tokens {
                minn: usize::try_from(args.minn).unwrap_or(0),
                maxn: usize::try_from(args.maxn).unwrap_or(0),
                bucket: u32::try_from(args.bucket).unwrap_or(0),
                word_ngrams: usize::try_from(args.word_ngrams).unwrap_or(1),
                nwords: dict.nwords(),
                pruned,
                label_prefix: args.label.clone(),
            },
        })
    }

    /// The probability of the scam label, as fastText's `predict` reports it.
    pub(crate) fn scam_probability(&self, ft: &fasttext::FastText, text: &str) -> f32 {
        // The rows' numbers are added in the order fastText lists the rows, so the sum is
        // the same float as the mean of fastText's own line.
        let mut sum = 0.0f32;
        let mut count = 0usize;
        self.tokens.for_each_row(ft.dict(), text, |row| {
            sum += self.row_margin(row);
            count += 1;
        });
        if count == 0 {
            // fastText predicts nothing for a text without words.
            return 0.0;
        }
        if let Some(eos) = self.eos {
            sum += self.row_margin(eos);
            count += 1;
        }
        let margin = sum / count as f32;
        let p = 1.0 / (1.0 + (-margin).exp());
        // fastText reports exp(ln(p + 1e-5)).
        p + 1e-5
    }

    /// The rows [`Tokens::for_each_row`] lists for `text`, to compare with fastText's own.
    #[cfg(test)]
    pub(crate) fn rows_of(&self, ft: &fasttext::FastText, text: &str) -> Vec<i32> {
        let mut rows = Vec::new();
        self.tokens.for_each_row(ft.dict(), text, |r| rows.push(r));
        rows
    }

    fn row_margin(&self, row: i32) -> f32 {
        usize::try_from(row)
            .ok()
            .and_then(|r| self.margin.get(r))
            .copied()
            .unwrap_or(0.0)
    }
}

/// fastText's string hash (FNV-1a over the bytes, each byte sign-extended as C++'s
/// `int8_t` is), one byte at a time.
fn fnv_step(h: u32, byte: u8) -> u32 {
    (h ^ byte as i8 as i32 as u32).wrapping_mul(16_777_619)
}

const FNV_OFFSET: u32 = 2_166_136_261;

impl Tokens {
    /// Calls `row` for every input row fastText's `get_line_from_str` lists for `text`,
    /// in its order: each word's rows (its own row and its character n-grams, or for a
    /// word outside the vocabulary its n-grams only), then the word n-grams.
    fn for_each_row(
        &self,
        dict: &fasttext::dictionary::Dictionary,
        text: &str,
        mut row: impl FnMut(i32),
    ) {
        use fasttext::dictionary::{EOS, EntryType};
        let mut word_hashes: Vec<i32> = Vec::new();
        for token in text.split(|c: char| c.is_ascii_whitespace()) {
            if token.is_empty() {
                continue;
            }
            let h = token.bytes().fold(FNV_OFFSET, fnv_step);
            let wid = dict.get_id_with_hash(token, h).unwrap_or(-1);
            let kind = if wid < 0 {
                match token.starts_with(self.label_prefix.as_str()) {
                    true => EntryType::Label,
                    false => EntryType::Word,
                }
            } else {
                dict.get_type_by_id(wid)
            };
            if kind == EntryType::Word {
                if wid >= 0 && self.maxn == 0 {
                    row(wid);
                } else if wid >= 0 {
                    dict.get_subwords(wid).iter().for_each(|&r| row(r));
                } else if token != EOS {
                    self.char_ngrams(token, &mut row);
                }
                word_hashes.push(h as i32);
            }
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
                self.hashed(h % bucket, &mut row);
            }
        }
    }

    /// The character n-grams of `<token>` (`minn` to `maxn` characters, a lone `<` or `>`
    /// left out), as fastText's `compute_subwords` lists them.
    fn char_ngrams(&self, token: &str, row: &mut impl FnMut(i32)) {
        if self.maxn == 0 || self.bucket == 0 {
            return;
        }
        let t = token.as_bytes();
        let len = t.len() + 2;
        let byte = |k: usize| match k {
            0 => b'<',
            k if k == len - 1 => b'>',
            k => t[k - 1],
        };
        let continues = |k: usize| byte(k) & 0xC0 == 0x80;
        for i in (0..len).filter(|&i| !continues(i)) {
            let mut h = FNV_OFFSET;
            let mut j = i;
            for n in 1..=self.maxn {
                if j >= len {
                    break;
                }
                h = fnv_step(h, byte(j));
                j += 1;
                while j < len && continues(j) {
                    h = fnv_step(h, byte(j));
                    j += 1;
                }
                if n >= self.minn && !(n == 1 && (i == 0 || j == len)) {
                    self.hashed(u64::from(h % self.bucket), row);
                }
            }
        }
    }

    /// The row of a hashed id (`id < bucket`), as fastText's `push_hash` finds it.
    fn hashed(&self, id: u64, row: &mut impl FnMut(i32)) {
        let Ok(id) = i32::try_from(id) else {
            return;
        };
        match &self.pruned {
            None => row(self.nwords + id),
            Some(kept) => {
                if let Some(&r) = kept.get(&id) {
                    row(self.nwords + r);
                }
            }
        }
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
