//! Ensemble statistics that need no memory per run and give the same bits whatever order runs
//! arrive in: every value is added as integers (fixed-point sums, histogram counts), so merging
//! the accumulators of several threads is exact and order-free.
//!
//! Means and standard deviations are exact to 2^-24; quantiles of continuous indicators are
//! read from a histogram and are exact to within one bin (2/500 for alignments, 1/500 for
//! shares), and never outside the observed minimum and maximum.

/// The range and kind of values an indicator takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Continuous in [−1, 1].
    Signed,
    /// Continuous in [0, 1].
    Share,
    /// 0 or 1.
    Binary,
    /// Whole numbers 0..=max.
    Count(u32),
}

const BINS_CONTINUOUS: usize = 500;
const FIXED_POINT: f64 = (1u64 << 24) as f64;

impl Scale {
    fn bins(self) -> usize {
        match self {
            Scale::Signed | Scale::Share => BINS_CONTINUOUS,
            Scale::Binary => 2,
            Scale::Count(max) => max as usize + 1,
        }
    }

    fn range(self) -> (f64, f64) {
        match self {
            Scale::Signed => (-1.0, 1.0),
            Scale::Share => (0.0, 1.0),
            Scale::Binary => (0.0, 1.0),
            Scale::Count(max) => (0.0, max as f64),
        }
    }

    fn continuous(self) -> bool {
        matches!(self, Scale::Signed | Scale::Share)
    }
}

/// Streaming summary of many runs, each a table of `rows` × `cells` values.
#[derive(Clone, Debug)]
pub struct Summary {
    scales: Vec<Scale>,
    rows: usize,
    runs: u64,
    /// Histogram of each (row, cell), at `offset[cell] + row * width[cell]`... flattened.
    offsets: Vec<usize>,
    counts: Vec<u32>,
    /// Fixed-point sums, squares, minimum and maximum of continuous cells (zero elsewhere).
    sum: Vec<i64>,
    sum_sq: Vec<i128>,
    min: Vec<i64>,
    max: Vec<i64>,
}

/// What is reported of one (row, cell) over runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moments {
    pub mean: f64,
    pub sd: f64,
    /// p05, p25, p50, p75, p95.
    pub quantiles: [f64; 5],
}

pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

impl Summary {
    pub fn new(scales: Vec<Scale>, rows: usize) -> Summary {
        let mut offsets = Vec::with_capacity(scales.len() * rows);
        let mut at = 0;
        for _ in 0..rows {
            for s in &scales {
                offsets.push(at);
                at += s.bins();
            }
        }
        let cells = scales.len() * rows;
        Summary {
            scales,
            rows,
            runs: 0,
            offsets,
            counts: vec![0; at],
            sum: vec![0; cells],
            sum_sq: vec![0; cells],
            min: vec![i64::MAX; cells],
            max: vec![i64::MIN; cells],
        }
    }

    pub fn runs(&self) -> u64 {
        self.runs
    }

    /// Adds one run: `values[row * cells + cell]`.
    pub fn add(&mut self, values: &[f64]) {
        assert_eq!(
            values.len(),
            self.offsets.len(),
            "a run must give every (row, cell)"
        );
        let cells = self.scales.len();
        for (k, &v) in values.iter().enumerate() {
            let scale = self.scales[k % cells];
            let (lo, hi) = scale.range();
            debug_assert!(
                v.is_finite() && v >= lo - 1e-12 && v <= hi + 1e-12,
                "{v} outside {scale:?}"
            );
            let bins = scale.bins();
            let bin = if scale.continuous() {
                let q = (v * FIXED_POINT).round() as i64;
                self.sum[k] += q;
                self.sum_sq[k] += (q as i128) * (q as i128);
                self.min[k] = self.min[k].min(q);
                self.max[k] = self.max[k].max(q);
                (((v - lo) / (hi - lo) * bins as f64) as usize).min(bins - 1)
            } else {
                (v.round().max(0.0) as usize).min(bins - 1)
            };
            self.counts[self.offsets[k] + bin] += 1;
        }
        self.runs += 1;
    }

    /// Adds another summary of the same shape (exact; order does not matter).
    pub fn merge(&mut self, other: &Summary) {
        assert_eq!(
            (&self.scales, self.rows),
            (&other.scales, other.rows),
            "summaries differ in shape"
        );
        self.runs += other.runs;
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        for k in 0..self.sum.len() {
            self.sum[k] += other.sum[k];
            self.sum_sq[k] += other.sum_sq[k];
            self.min[k] = self.min[k].min(other.min[k]);
            self.max[k] = self.max[k].max(other.max[k]);
        }
    }

    /// Mean, sd and quantiles of `cell` in `row`; `None` before any run.
    pub fn moments(&self, row: usize, cell: usize) -> Option<Moments> {
        if self.runs == 0 {
            return None;
        }
        let k = row * self.scales.len() + cell;
        let scale = self.scales[cell];
        let counts = &self.counts[self.offsets[k]..self.offsets[k] + scale.bins()];
        let n = self.runs as i128;
        let (mean, var) = if scale.continuous() {
            let (s, ss) = (self.sum[k] as i128, self.sum_sq[k]);
            let var = if n > 1 {
                (n * ss - s * s) as f64 / (n * (n - 1)) as f64 / (FIXED_POINT * FIXED_POINT)
            } else {
                0.0
            };
            (s as f64 / n as f64 / FIXED_POINT, var)
        } else {
            let (s, ss) = counts
                .iter()
                .enumerate()
                .fold((0i128, 0i128), |(s, ss), (v, &c)| {
                    (s + v as i128 * c as i128, ss + (v * v) as i128 * c as i128)
                });
            let var = if n > 1 {
                (n * ss - s * s) as f64 / (n * (n - 1)) as f64
            } else {
                0.0
            };
            (s as f64 / n as f64, var)
        };
        let quantiles = QUANTILES.map(|q| {
            if scale.continuous() {
                let (lo, hi) = scale.range();
                let est = continuous_quantile(counts, q, self.runs, lo, hi);
                est.clamp(
                    self.min[k] as f64 / FIXED_POINT,
                    self.max[k] as f64 / FIXED_POINT,
                )
            } else {
                discrete_quantile(counts, q, self.runs)
            }
        });
        Some(Moments {
            mean,
            sd: var.max(0.0).sqrt(),
            quantiles,
        })
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn cells(&self) -> usize {
        self.scales.len()
    }
}

/// The q-quantile of a histogram over [lo, hi], interpolating linearly inside the bin.
fn continuous_quantile(counts: &[u32], q: f64, n: u64, lo: f64, hi: f64) -> f64 {
    let target = q * n as f64;
    let width = (hi - lo) / counts.len() as f64;
    let mut below = 0.0;
    for (b, &c) in counts.iter().enumerate() {
        let c = c as f64;
        if c > 0.0 && below + c >= target {
            return lo + width * (b as f64 + ((target - below) / c).clamp(0.0, 1.0));
        }
        below += c;
    }
    hi
}

/// The smallest value whose cumulative share reaches q (the inverse of the empirical CDF).
fn discrete_quantile(counts: &[u32], q: f64, n: u64) -> f64 {
    let target = (q * n as f64).ceil().max(1.0) as u64;
    let mut below = 0u64;
    for (v, &c) in counts.iter().enumerate() {
        below += c as u64;
        if below >= target {
            return v as f64;
        }
    }
    (counts.len() - 1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_sd_are_exact_for_representable_values() {
        let mut s = Summary::new(vec![Scale::Signed], 1);
        for v in [0.5, -0.25, 0.75, 0.0] {
            s.add(&[v]);
        }
        let m = s.moments(0, 0).unwrap();
        assert_eq!(m.mean, 0.25);
        let expect_sd = ((0.0625 + 0.25 + 0.25 + 0.0625) / 3.0f64).sqrt();
        assert!((m.sd - expect_sd).abs() < 1e-12);
        assert_eq!(m.quantiles[0], -0.25, "p05 clamps to the minimum");
        assert_eq!(m.quantiles[4], 0.75, "p95 clamps to the maximum");
    }

    #[test]
    fn quantiles_of_a_uniform_sample_are_within_a_bin() {
        let mut s = Summary::new(vec![Scale::Share], 1);
        for i in 0..10_000 {
            s.add(&[(i as f64 + 0.5) / 10_000.0]);
        }
        let m = s.moments(0, 0).unwrap();
        for (got, q) in m.quantiles.iter().zip(QUANTILES) {
            assert!((got - q).abs() <= 1.0 / 500.0, "{got} vs {q}");
        }
    }

    #[test]
    fn merging_in_any_order_gives_the_same_bits() {
        let values: Vec<f64> = (0..100)
            .map(|i| ((i * 37) % 100) as f64 / 50.0 - 1.0)
            .collect();
        let mut whole = Summary::new(vec![Scale::Signed, Scale::Count(3)], 1);
        let mut a = whole.clone();
        let mut b = whole.clone();
        for (i, v) in values.iter().enumerate() {
            let row = [*v, (i % 4) as f64];
            whole.add(&row);
            if i % 3 == 0 { a.add(&row) } else { b.add(&row) }
        }
        b.merge(&a);
        for cell in 0..2 {
            assert_eq!(whole.moments(0, cell), b.moments(0, cell));
        }
    }

    #[test]
    fn discrete_quantiles_are_values_taken() {
        let mut s = Summary::new(vec![Scale::Binary], 1);
        for v in [0.0, 0.0, 0.0, 1.0] {
            s.add(&[v]);
        }
        let m = s.moments(0, 0).unwrap();
        assert_eq!(m.mean, 0.25);
        assert_eq!(m.quantiles, [0.0, 0.0, 0.0, 0.0, 1.0]);
    }
}
