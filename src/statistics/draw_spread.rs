//! The spread of an ensemble over draws of its uncertain parameters ([`DrawSpread`]): the law
//! of total variance, and the distribution of the draws' means.

use super::{FIXED_POINT, continuous_quantile, to_fixed};

/// Statistics over draws of uncertain parameters, each draw `runs_per_draw` runs of `rows` ×
/// `cells` values: per (row, cell) the law of total variance — the mean variance within draws
/// (the runs' noise) and the variance of the draws' means beyond what that noise explains (the
/// parameters) — and at the last row the distribution of the draws' means (`LastRow`: every
/// draw's while they are at most [`EXACT_DRAWS`], a histogram past that) with the draws whose
/// mean is below and above 0. Integer sums, so merging is exact and order-free, provided one
/// accumulator adds every run of a draw.
#[derive(Clone, Debug)]
pub struct DrawSpread {
    ranges: Vec<(f64, f64)>,
    rows: usize,
    runs_per_draw: u64,
    draws: u64,
    runs_in_draw: u64,
    /// By row, then cell: the fixed-point sum of the current draw's runs.
    current: Vec<i64>,
    /// By row, then cell: the fixed-point sum over every run.
    sum: Vec<i128>,
    /// By row, then cell: the fixed-point sum of squares over every run.
    sum_sq: Vec<i128>,
    /// By row, then cell: the sum over draws of the square of the draw's sum.
    draw_sq: Vec<i128>,
    /// The draws' means at the last row.
    last: LastRow,
    /// By cell: the draws whose mean at the last row is below 0.
    below: Vec<u64>,
    /// By cell: the draws whose mean at the last row is above 0.
    above: Vec<u64>,
}

/// Bins of the histogram of draws' means in [`DrawSpread`] once they pass [`EXACT_DRAWS`].
pub const BINS_DRAWS: usize = 2000;

/// Draws up to which [`DrawSpread`] keeps every draw's mean, so that its quantiles are exact
/// (20,000 runs at 10 a draw); past it, a histogram bounds the memory (8 bytes a draw and cell
/// below it, 4 a bin and cell above).
pub const EXACT_DRAWS: usize = 2000;

/// Each cell's draws' means at the last row, as the fixed-point sums of a draw's runs.
#[derive(Clone, Debug)]
enum LastRow {
    /// By cell: every draw's sum, in the order added (sorted when read).
    Exact(Vec<Vec<i64>>),
    /// By cell, then bin: a histogram of the means over the cell's range.
    Binned(Vec<u32>),
}

/// The two parts of an ensemble's spread ([`DrawSpread::split`]), as standard deviations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Split {
    /// Within draws: the runs' noise (needs two runs per draw).
    pub sd_noise: Option<f64>,
    /// Between draws, less the noise in their means: the parameters (needs two draws).
    pub sd_parameters: Option<f64>,
}

/// The distribution of the draws' means of one cell at the last row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AcrossDraws {
    /// Draws added.
    pub draws: u64,
    /// p05, p50, p95 of the draws' means: exact (linear between order statistics) up to
    /// [`EXACT_DRAWS`] draws, to within a bin past them.
    pub quantiles: [f64; 3],
    /// Share of draws whose mean is below 0 (exact).
    pub below: f64,
    /// Share of draws whose mean is above 0 (exact).
    pub above: f64,
}

impl DrawSpread {
    /// An accumulator of `rows` rows of cells with these ranges.
    pub fn new(ranges: Vec<(f64, f64)>, rows: usize, runs_per_draw: u64) -> DrawSpread {
        assert!(runs_per_draw >= 1, "a draw has runs");
        let cells = ranges.len();
        DrawSpread {
            rows,
            runs_per_draw,
            draws: 0,
            runs_in_draw: 0,
            current: vec![0; rows * cells],
            sum: vec![0; rows * cells],
            sum_sq: vec![0; rows * cells],
            draw_sq: vec![0; rows * cells],
            last: LastRow::Exact(vec![Vec::new(); cells]),
            below: vec![0; cells],
            above: vec![0; cells],
            ranges,
        }
    }

    /// Adds one row of the current run.
    pub fn add_row(&mut self, row: usize, values: &[f64]) {
        let cells = self.ranges.len();
        debug_assert_eq!(values.len(), cells, "a row gives every cell");
        let at = row * cells;
        for (c, &v) in values.iter().enumerate() {
            let q = to_fixed(v);
            self.current[at + c] += q;
            self.sum_sq[at + c] += q as i128 * q as i128;
        }
    }

    /// Counts the run whose rows were added.
    pub fn end_run(&mut self) {
        self.runs_in_draw += 1;
    }

    /// The mean of `cell` at `row` over the current draw's runs added so far (before
    /// [`DrawSpread::end_draw`]); 0 before any.
    pub fn current_mean(&self, row: usize, cell: usize) -> f64 {
        let sum = self.current[row * self.ranges.len() + cell];
        sum as f64 / self.runs_in_draw.max(1) as f64 / FIXED_POINT
    }

    /// Closes the current draw, whose `runs_per_draw` runs were added.
    pub fn end_draw(&mut self) {
        assert_eq!(
            self.runs_in_draw, self.runs_per_draw,
            "a draw ends after its runs"
        );
        let cells = self.ranges.len();
        let last = (self.rows - 1) * cells;
        for (k, s) in self.current.iter_mut().enumerate() {
            let s128 = *s as i128;
            self.sum[k] += s128;
            self.draw_sq[k] += s128 * s128;
            if k >= last {
                let c = k - last;
                match &mut self.last {
                    LastRow::Exact(by_cell) => by_cell[c].push(*s),
                    LastRow::Binned(counts) => {
                        counts[c * BINS_DRAWS + bin(self.ranges[c], self.runs_per_draw, *s)] += 1;
                    }
                }
                self.below[c] += (*s < 0) as u64;
                self.above[c] += (*s > 0) as u64;
            }
            *s = 0;
        }
        self.runs_in_draw = 0;
        self.draws += 1;
        self.bin_past_exact();
    }

    /// Turns the exact record into a histogram once it holds more than [`EXACT_DRAWS`] draws.
    fn bin_past_exact(&mut self) {
        if matches!(self.last, LastRow::Exact(_)) && self.draws as usize > EXACT_DRAWS {
            self.last = LastRow::Binned(self.histogram(&self.last));
        }
    }

    /// The histogram of a last row's record ([`BINS_DRAWS`] bins per cell over its range).
    fn histogram(&self, last: &LastRow) -> Vec<u32> {
        match last {
            LastRow::Binned(counts) => counts.clone(),
            LastRow::Exact(by_cell) => {
                let mut counts = vec![0; by_cell.len() * BINS_DRAWS];
                for (c, sums) in by_cell.iter().enumerate() {
                    for &s in sums {
                        counts[c * BINS_DRAWS + bin(self.ranges[c], self.runs_per_draw, s)] += 1;
                    }
                }
                counts
            }
        }
    }

    /// Adds another accumulator of the same shape whose draws are closed.
    pub fn merge(&mut self, other: &DrawSpread) {
        assert_eq!(
            (&self.ranges, self.rows, self.runs_per_draw),
            (&other.ranges, other.rows, other.runs_per_draw),
            "draw spreads differ in shape"
        );
        assert_eq!(other.runs_in_draw, 0, "every draw is closed");
        self.draws += other.draws;
        let add = |a: &mut [i128], b: &[i128]| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        add(&mut self.sum, &other.sum);
        add(&mut self.sum_sq, &other.sum_sq);
        add(&mut self.draw_sq, &other.draw_sq);
        self.last = match (&self.last, &other.last) {
            (LastRow::Exact(a), LastRow::Exact(b)) => LastRow::Exact(
                a.iter()
                    .zip(b)
                    .map(|(x, y)| x.iter().chain(y).copied().collect())
                    .collect(),
            ),
            (a, b) => {
                let mut counts = self.histogram(a);
                counts
                    .iter_mut()
                    .zip(self.histogram(b))
                    .for_each(|(x, y)| *x += y);
                LastRow::Binned(counts)
            }
        };
        self.bin_past_exact();
        self.below
            .iter_mut()
            .zip(&other.below)
            .for_each(|(x, y)| *x += y);
        self.above
            .iter_mut()
            .zip(&other.above)
            .for_each(|(x, y)| *x += y);
    }

    /// Draws added so far.
    pub fn draws(&self) -> u64 {
        self.draws
    }

    /// The noise and parameter parts of the spread of `cell` at `row`. With K draws of R runs,
    /// S_d a draw's sum: noise variance W = (R Σx² − Σ S_d²) / (R K (R − 1)); the variance of
    /// draws' means B = (K Σ S_d² − (Σ S_d)²) / (K (K − 1) R²); the parameters' variance
    /// max(0, B − W / R) (the random-effects estimator: a draw's mean carries W / R of noise).
    pub fn split(&self, row: usize, cell: usize) -> Split {
        let k = row * self.ranges.len() + cell;
        let (n_draws, r) = (self.draws as i128, self.runs_per_draw as i128);
        let unit2 = FIXED_POINT * FIXED_POINT;
        let noise = (r >= 2 && n_draws >= 1).then(|| {
            (r * self.sum_sq[k] - self.draw_sq[k]) as f64 / (r * n_draws * (r - 1)) as f64 / unit2
        });
        let parameters = (n_draws >= 2).then(|| {
            let between = (n_draws * self.draw_sq[k] - self.sum[k] * self.sum[k]) as f64
                / (n_draws * (n_draws - 1) * r * r) as f64
                / unit2;
            (between - noise.unwrap_or(0.0) / r as f64).max(0.0).sqrt()
        });
        Split {
            sd_noise: noise.map(|w| w.max(0.0).sqrt()),
            sd_parameters: parameters,
        }
    }

    /// The draws' means of `cell` at the last row; `None` before any draw.
    pub fn across(&self, cell: usize) -> Option<AcrossDraws> {
        if self.draws == 0 {
            return None;
        }
        let n = self.draws as f64;
        let k = (self.rows - 1) * self.ranges.len() + cell;
        let (s, draws) = (self.sum[k], self.draws as i128);
        // Every draw alike: each quantile is the (exact) mean, not a point inside its bin.
        let alike = draws * self.draw_sq[k] == s * s;
        let mean = s as f64 / (draws * self.runs_per_draw as i128) as f64 / FIXED_POINT;
        Some(AcrossDraws {
            draws: self.draws,
            quantiles: match &self.last {
                LastRow::Exact(by_cell) => {
                    let mut means: Vec<f64> = by_cell[cell]
                        .iter()
                        .map(|&s| s as f64 / self.runs_per_draw as f64 / FIXED_POINT)
                        .collect();
                    means.sort_by(f64::total_cmp);
                    [0.05, 0.5, 0.95].map(|q| sorted_quantile(&means, q))
                }
                LastRow::Binned(counts) => {
                    let counts = &counts[cell * BINS_DRAWS..(cell + 1) * BINS_DRAWS];
                    [0.05, 0.5, 0.95].map(|q| self.binned_quantile(cell, counts, q, alike, mean))
                }
            },
            below: self.below[cell] as f64 / n,
            above: self.above[cell] as f64 / n,
        })
    }
}

impl DrawSpread {
    /// The q-quantile of the draws' means of `cell` from its histogram `counts`: the mean when
    /// every draw is alike; 0 among the draws whose mean is exactly 0 (counted exactly, not a
    /// point inside the bin that holds 0); else linear inside its bin.
    fn binned_quantile(&self, cell: usize, counts: &[u32], q: f64, alike: bool, mean: f64) -> f64 {
        let n = self.draws as f64;
        let below = self.below[cell] as f64 / n;
        let zero = (self.draws - self.below[cell] - self.above[cell]) as f64 / n;
        let (lo, hi) = self.ranges[cell];
        match alike {
            true => mean,
            false if zero > 0.0 && q > below && q <= below + zero => 0.0,
            false => continuous_quantile(counts, q, self.draws, lo, hi),
        }
    }
}

/// The histogram bin of a draw whose runs sum to `s` (fixed point) over a cell's range.
fn bin((lo, hi): (f64, f64), runs_per_draw: u64, s: i64) -> usize {
    let mean = s as f64 / runs_per_draw as f64 / FIXED_POINT;
    (((mean - lo) / (hi - lo) * BINS_DRAWS as f64).max(0.0) as usize).min(BINS_DRAWS - 1)
}

/// The q-quantile of sorted values, linear between order statistics (type 7, numpy's default).
fn sorted_quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let (i, frac) = (h.floor() as usize, h - h.floor());
    match sorted.get(i + 1) {
        Some(next) => sorted[i] + frac * (next - sorted[i]),
        None => sorted[i],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draw_spread_splits_noise_from_parameters_by_hand() {
        // Two draws of two runs: 0.1, 0.3 and 0.5, 0.7. Within draws the variance is 0.02; the
        // draws' means 0.2 and 0.6 vary by 0.08, of which 0.02 / 2 is noise: 0.07 is the
        // parameters'.
        let mut a = DrawSpread::new(vec![(-1.0, 1.0)], 1, 2);
        let mut b = a.clone();
        for (acc, values) in [(&mut a, [0.1, 0.3]), (&mut b, [0.5, 0.7])] {
            for v in values {
                acc.add_row(0, &[v]);
                acc.end_run();
            }
            acc.end_draw();
        }
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        let split = ab.split(0, 0);
        assert!(
            (split.sd_noise.unwrap() - 0.02f64.sqrt()).abs() < 1e-6,
            "{split:?}"
        );
        assert!(
            (split.sd_parameters.unwrap() - 0.07f64.sqrt()).abs() < 1e-6,
            "{split:?}"
        );
        assert_eq!(ab.across(0), ba.across(0), "order-free");
        let across = ab.across(0).unwrap();
        assert_eq!((across.draws, across.below, across.above), (2, 0.0, 1.0));
        // Exact: linear between the two draws' means, 0.2 and 0.6.
        for (got, want) in across.quantiles.iter().zip([0.22, 0.4, 0.58]) {
            assert!((got - want).abs() < 1e-6, "{:?}", across.quantiles);
        }
        // One draw: no parameter part; one run a draw: no noise part.
        assert_eq!(a.split(0, 0).sd_parameters, None);
        let mut single = DrawSpread::new(vec![(-1.0, 1.0)], 1, 1);
        single.add_row(0, &[-0.5]);
        single.end_run();
        single.end_draw();
        assert_eq!(single.split(0, 0).sd_noise, None);
        assert_eq!(single.across(0).unwrap().below, 1.0);
    }

    /// An accumulator of one cell with one run a draw, holding `values` as its draws.
    fn draws_of(values: impl Iterator<Item = f64>) -> DrawSpread {
        let mut a = DrawSpread::new(vec![(-1.0, 1.0)], 1, 1);
        for v in values {
            a.add_row(0, &[v]);
            a.end_run();
            a.end_draw();
        }
        a
    }

    #[test]
    fn quantiles_are_exact_up_to_the_cap_and_binned_past_it_in_any_merge_order() {
        // A small effect: exact, where a bin of 0.001 would have hidden it.
        let small = draws_of((1..=5).map(|k| k as f64 * 1e-5))
            .across(0)
            .unwrap();
        assert!((small.quantiles[1] - 3e-5).abs() < 1e-7, "{small:?}");
        // Past EXACT_DRAWS, the same draws give the same histogram whatever the merge order.
        let value = |k: usize| ((k * 7919) % 1000) as f64 / 1000.0 - 0.5;
        let half = EXACT_DRAWS / 2 + 10;
        let a = draws_of((0..half).map(value));
        let b = draws_of((half..2 * half).map(value));
        let c = draws_of((2 * half..2 * half + 5).map(value));
        let (mut abc, mut cba) = (a.clone(), c.clone());
        abc.merge(&b);
        abc.merge(&c);
        cba.merge(&b);
        cba.merge(&a);
        assert!(matches!(abc.last, LastRow::Binned(_)), "past the cap");
        assert_eq!(abc.across(0), cba.across(0));
        let one = draws_of((0..2 * half + 5).map(value));
        assert_eq!(one.across(0), abc.across(0), "merged as if added by one");
        let median = abc.across(0).unwrap().quantiles[1];
        assert!(median.abs() <= 2.0 / BINS_DRAWS as f64 + 1e-3, "{median}");
    }
}
