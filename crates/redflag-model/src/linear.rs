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
        Some(RowScores {
            margin,
            eos: dict.get_id(fasttext::dictionary::EOS),
        })
    }

    /// The probability of the scam label, as fastText's `predict` reports it.
    pub(crate) fn scam_probability(&self, ft: &fasttext::FastText, text: &str) -> f32 {
        let mut words = Vec::new();
        let mut labels = Vec::new();
        ft.dict().get_line_from_str(text, &mut words, &mut labels);
        if words.is_empty() {
            // fastText predicts nothing for a text without words.
            return 0.0;
        }
        words.extend(self.eos);
        let sum: f32 = words
            .iter()
            .map(|&w| {
                usize::try_from(w)
                    .ok()
                    .and_then(|w| self.margin.get(w))
                    .copied()
                    .unwrap_or(0.0)
            })
            .sum();
        let margin = sum / words.len() as f32;
        let p = 1.0 / (1.0 + (-margin).exp());
        // fastText reports exp(ln(p + 1e-5)).
        p + 1e-5
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
