//! The streaming summary of an ensemble ([`Summary`]): per (row, cell) integer sums and a
//! histogram, so that merging the summaries of several threads is exact and order-free.
//!
//! Means and standard deviations are exact to 2^-24; quantiles of continuous indicators are
//! read from a histogram and are exact to within one bin (2/500 for alignments, 1/500 for
//! shares), and exact when every run gave the same value.

use super::{FIXED_POINT, continuous_quantile, sample_variance, to_fixed};

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

/// Bins of the histogram of a continuous cell.
const BINS_CONTINUOUS: usize = 500;

impl Scale {
    fn bins(self) -> usize {
        match self {
            Scale::Signed | Scale::Share => BINS_CONTINUOUS,
            Scale::Binary => 2,
            Scale::Count(max) => max as usize + 1,
        }
    }

    /// Its name in files.
    pub fn name(self) -> &'static str {
        match self {
            Scale::Signed => "signed",
            Scale::Share => "share",
            Scale::Binary => "binary",
            Scale::Count(_) => "count",
        }
    }

    /// Whether `v` is a value of this scale (NaN never is): within its range, and 0 or 1 for a
    /// binary indicator.
    #[inline]
    pub fn contains(self, v: f64) -> bool {
        match self {
            Scale::Signed => (-1.0..=1.0).contains(&v),
            Scale::Share => (0.0..=1.0).contains(&v),
            Scale::Binary => v == 0.0 || v == 1.0,
            Scale::Count(max) => v >= 0.0 && v <= max as f64,
        }
    }

    /// The lowest and highest value the indicator takes.
    pub fn range(self) -> (f64, f64) {
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

/// Where one cell of a row keeps its statistics.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Slot {
    /// Index among the row's continuous cells (sums and a histogram of
    /// [`BINS_CONTINUOUS`] bins).
    Continuous(usize),
    /// Offset of the cell's histogram (one bin per value) among the row's discrete bins.
    Discrete(usize),
}

/// Streaming summary of many runs, each a table of `rows` × `cells` values. Laid out row by
/// row, so that adding a run walks memory in order except for one histogram bin per value.
#[derive(Clone, Debug)]
pub struct Summary {
    scales: Vec<Scale>,
    slots: Vec<Slot>,
    rows: usize,
    runs: u64,
    /// Continuous cells: (cell, lower end, bins per unit of value).
    continuous_cells: Vec<(usize, f64, f64)>,
    /// Discrete cells: (cell, offset of its bins in the row, top bin).
    discrete_cells: Vec<(usize, usize, usize)>,
    /// Continuous cells per row.
    continuous: usize,
    /// Discrete bins per row.
    discrete_bins: usize,
    /// By row, then continuous cell: the fixed-point sum.
    sum: Vec<i64>,
    /// By row, then continuous cell: the fixed-point sum of squares.
    sum_sq: Vec<i128>,
    /// By row, then continuous cell, then bin: the count modulo 256, kept small so that the
    /// bins a run touches stay in cache.
    histogram: Vec<u8>,
    /// By row, then continuous cell, then bin: the count's multiples of 256.
    carries: Vec<u32>,
    /// By row, then discrete bin.
    discrete: Vec<u32>,
}

/// What is reported of one (row, cell) over runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moments {
    /// Mean over runs.
    pub mean: f64,
    /// Standard deviation over runs.
    pub sd: f64,
    /// p05, p25, p50, p75, p95.
    pub quantiles: [f64; 5],
}

/// The quantiles of [`Moments::quantiles`].
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

impl Summary {
    /// An empty summary of `rows` rows of cells of these scales.
    pub fn new(scales: Vec<Scale>, rows: usize) -> Summary {
        let (mut continuous, mut discrete_bins) = (0, 0);
        let slots: Vec<Slot> = scales
            .iter()
            .map(|s| {
                if s.continuous() {
                    continuous += 1;
                    Slot::Continuous(continuous - 1)
                } else {
                    discrete_bins += s.bins();
                    Slot::Discrete(discrete_bins - s.bins())
                }
            })
            .collect();
        let stats = continuous * rows;
        let mut continuous_cells = Vec::new();
        let mut discrete_cells = Vec::new();
        for (cell, (scale, slot)) in scales.iter().zip(&slots).enumerate() {
            let (lo, hi) = scale.range();
            match *slot {
                Slot::Continuous(_) => {
                    continuous_cells.push((cell, lo, BINS_CONTINUOUS as f64 / (hi - lo)))
                }
                Slot::Discrete(offset) => discrete_cells.push((cell, offset, scale.bins() - 1)),
            }
        }
        Summary {
            continuous_cells,
            discrete_cells,
            scales,
            slots,
            rows,
            runs: 0,
            continuous,
            discrete_bins,
            sum: vec![0; stats],
            sum_sq: vec![0; stats],
            histogram: vec![0; stats * BINS_CONTINUOUS],
            carries: vec![0; stats * BINS_CONTINUOUS],
            discrete: vec![0; discrete_bins * rows],
        }
    }

    /// Runs added.
    pub fn runs(&self) -> u64 {
        self.runs
    }

    /// Adds one row of the current run; call [`Summary::end_run`] once every row is in.
    pub fn add_row(&mut self, row: usize, row_values: &[f64]) {
        debug_assert_eq!(
            row_values.len(),
            self.scales.len(),
            "a row gives every cell"
        );
        let stats = row * self.continuous..(row + 1) * self.continuous;
        let sum = &mut self.sum[stats.clone()];
        let sum_sq = &mut self.sum_sq[stats.clone()];
        let bins = stats.start * BINS_CONTINUOUS..stats.end * BINS_CONTINUOUS;
        let histogram = &mut self.histogram[bins.clone()];
        let carries = &mut self.carries[bins];
        for (c, &(cell, lo, bins_per_unit)) in self.continuous_cells.iter().enumerate() {
            let v = row_values[cell];
            debug_assert!(
                v.is_finite() && v >= lo && v <= lo + BINS_CONTINUOUS as f64 / bins_per_unit
            );
            let q = to_fixed(v);
            sum[c] += q;
            sum_sq[c] += (q as i128) * (q as i128);
            let bin = (((v - lo) * bins_per_unit) as usize).min(BINS_CONTINUOUS - 1);
            let b = c * BINS_CONTINUOUS + bin;
            histogram[b] = histogram[b].wrapping_add(1);
            if histogram[b] == 0 {
                carries[b] += 1;
            }
        }
        let discrete = &mut self.discrete[row * self.discrete_bins..(row + 1) * self.discrete_bins];
        for &(cell, offset, top) in &self.discrete_cells {
            let v = row_values[cell];
            debug_assert!(v >= 0.0 && v.fract() == 0.0, "{v} is not a count");
            discrete[offset + (v as usize).min(top)] += 1;
        }
    }

    /// Counts the run whose rows were added.
    pub fn end_run(&mut self) {
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
        for k in 0..self.histogram.len() {
            let total = self.histogram[k] as u32 + other.histogram[k] as u32;
            self.histogram[k] = total as u8;
            self.carries[k] += other.carries[k] + (total >> 8);
        }
        self.discrete
            .iter_mut()
            .zip(&other.discrete)
            .for_each(|(x, y)| *x += y);
        for k in 0..self.sum.len() {
            self.sum[k] += other.sum[k];
            self.sum_sq[k] += other.sum_sq[k];
        }
    }

    /// Mean, sd and quantiles of `cell` in `row`; `None` before any run.
    pub fn moments(&self, row: usize, cell: usize) -> Option<Moments> {
        if self.runs == 0 {
            return None;
        }
        let scale = self.scales[cell];
        let n = self.runs as i128;
        let variance = |s: i128, ss: i128, unit: f64| sample_variance(n, s, ss, unit);
        let (mean, var, quantiles) = match self.slots[cell] {
            Slot::Continuous(c) => {
                let k = row * self.continuous + c;
                let bins = k * BINS_CONTINUOUS..(k + 1) * BINS_CONTINUOUS;
                let counts: Vec<u32> = self.histogram[bins.clone()]
                    .iter()
                    .zip(&self.carries[bins])
                    .map(|(&low, &carry)| carry * 256 + low as u32)
                    .collect();
                let (lo, hi) = scale.range();
                let s = self.sum[k] as i128;
                let (mean, var) = (
                    s as f64 / n as f64 / FIXED_POINT,
                    variance(s, self.sum_sq[k], FIXED_POINT),
                );
                // All runs alike: every quantile is the (exact) mean, not a point inside its bin.
                let quantiles = if var == 0.0 {
                    [mean; 5]
                } else {
                    QUANTILES.map(|q| continuous_quantile(&counts, q, self.runs, lo, hi))
                };
                (mean, var, quantiles)
            }
            Slot::Discrete(offset) => {
                let start = row * self.discrete_bins + offset;
                let counts = &self.discrete[start..start + scale.bins()];
                let (s, ss) = counts
                    .iter()
                    .enumerate()
                    .fold((0i128, 0i128), |(s, ss), (v, &c)| {
                        (s + v as i128 * c as i128, ss + (v * v) as i128 * c as i128)
                    });
                let quantiles = QUANTILES.map(|q| discrete_quantile(counts, q, self.runs));
                (s as f64 / n as f64, variance(s, ss, 1.0), quantiles)
            }
        };
        Some(Moments {
            mean,
            sd: var.max(0.0).sqrt(),
            quantiles,
        })
    }

    /// Rows (months) summarised.
    pub fn rows(&self) -> usize {
        self.rows
    }
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

    fn add(s: &mut Summary, row: &[f64]) {
        s.add_row(0, row);
        s.end_run();
    }

    #[test]
    fn mean_and_sd_are_exact_for_representable_values() {
        let mut s = Summary::new(vec![Scale::Signed], 1);
        for v in [0.5, -0.25, 0.75, 0.0] {
            add(&mut s, &[v]);
        }
        let m = s.moments(0, 0).unwrap();
        assert_eq!(m.mean, 0.25);
        let expect_sd = ((0.0625 + 0.25 + 0.25 + 0.0625) / 3.0f64).sqrt();
        assert!((m.sd - expect_sd).abs() < 1e-12);
        assert!(
            (m.quantiles[0] + 0.25).abs() <= 2.0 / 500.0,
            "p05 {}",
            m.quantiles[0]
        );
        assert!(
            (m.quantiles[4] - 0.75).abs() <= 2.0 / 500.0,
            "p95 {}",
            m.quantiles[4]
        );
    }

    #[test]
    fn bins_count_past_256() {
        let mut a = Summary::new(vec![Scale::Share], 1);
        for _ in 0..300 {
            add(&mut a, &[0.1]);
        }
        add(&mut a, &[0.9]);
        let mut b = a.clone();
        b.merge(&a);
        assert_eq!(b.runs(), 602);
        // 600 of 602 runs sit at 0.1: the median is in 0.1's bin.
        let m = b.moments(0, 0).unwrap();
        assert!(
            (m.quantiles[2] - 0.1).abs() <= 1.0 / 500.0,
            "{:?}",
            m.quantiles
        );
        assert!(
            (m.quantiles[4] - 0.1).abs() <= 1.0 / 500.0,
            "{:?}",
            m.quantiles
        );
    }

    #[test]
    fn identical_runs_give_exact_quantiles() {
        let mut s = Summary::new(vec![Scale::Signed], 1);
        for _ in 0..3 {
            add(&mut s, &[0.123456]);
        }
        let m = s.moments(0, 0).unwrap();
        assert!(
            m.quantiles.iter().all(|&q| (q - 0.123456).abs() < 1e-7),
            "{:?}",
            m.quantiles
        );
    }

    #[test]
    fn quantiles_of_a_uniform_sample_are_within_a_bin() {
        let mut s = Summary::new(vec![Scale::Share], 1);
        for i in 0..10_000 {
            add(&mut s, &[(i as f64 + 0.5) / 10_000.0]);
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
            add(&mut whole, &row);
            if i % 3 == 0 {
                add(&mut a, &row)
            } else {
                add(&mut b, &row)
            }
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
            add(&mut s, &[v]);
        }
        let m = s.moments(0, 0).unwrap();
        assert_eq!(m.mean, 0.25);
        assert_eq!(m.quantiles, [0.0, 0.0, 0.0, 0.0, 1.0]);
    }
}
