//! Ensemble statistics that need no memory per run and give the same bits whatever order runs
//! arrive in: every value is added as integers (fixed-point sums, histogram counts), so merging
//! the accumulators of several threads is exact and order-free.
//!
//! Means and standard deviations are exact to 2^-24; quantiles of continuous indicators are
//! read from a histogram and are exact to within one bin (2/500 for alignments, 1/500 for
//! shares), and exact when every run gave the same value.

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

    /// Its name in files.
    pub fn name(self) -> &'static str {
        match self {
            Scale::Signed => "signed",
            Scale::Share => "share",
            Scale::Binary => "binary",
            Scale::Count(_) => "count",
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
    /// Index among the row's continuous cells (sums, extremes, and a histogram of
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
    /// Continuous cells per row, and discrete bins per row.
    continuous: usize,
    discrete_bins: usize,
    /// By row, then continuous cell: fixed-point sum and sum of squares.
    sum: Vec<i64>,
    sum_sq: Vec<i128>,
    /// By row, then continuous cell, then bin: the count modulo 256, kept small so that the
    /// bins a run touches stay in cache; `carries` holds the multiples of 256.
    histogram: Vec<u8>,
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

/// Streaming paired differences (variant − baseline, run by run) of every cell of one row:
/// fixed-point sums, so that merging is exact and order-free like [`Summary`].
#[derive(Clone, Debug)]
pub struct Differences {
    runs: u64,
    sum: Vec<i128>,
    sum_sq: Vec<i128>,
}

impl Differences {
    /// No differences yet, for `cells` cells.
    pub fn new(cells: usize) -> Differences {
        Differences {
            runs: 0,
            sum: vec![0; cells],
            sum_sq: vec![0; cells],
        }
    }

    /// Adds one run's differences, one per cell.
    pub fn add(&mut self, differences: impl Iterator<Item = f64>) {
        for (k, d) in differences.enumerate() {
            let q = to_fixed(d) as i128;
            self.sum[k] += q;
            self.sum_sq[k] += q * q;
        }
        self.runs += 1;
    }

    /// Adds another worker's differences (exact, in any order).
    pub fn merge(&mut self, other: &Differences) {
        self.runs += other.runs;
        for k in 0..self.sum.len() {
            self.sum[k] += other.sum[k];
            self.sum_sq[k] += other.sum_sq[k];
        }
    }

    /// Mean and standard deviation of the differences of `cell`.
    pub fn mean_sd(&self, cell: usize) -> (f64, f64) {
        let n = self.runs as i128;
        let (s, ss) = (self.sum[cell], self.sum_sq[cell]);
        let mean = s as f64 / n as f64 / FIXED_POINT;
        (mean, sample_variance(n, s, ss, FIXED_POINT).max(0.0).sqrt())
    }
}

/// Statistics over draws of uncertain parameters, each draw `runs_per_draw` runs of `rows` ×
/// `cells` values: per (row, cell) the law of total variance — the mean variance within draws
/// (the runs' noise) and the variance of the draws' means beyond what that noise explains (the
/// parameters) — and at the last row the distribution of the draws' means (a histogram of
/// [`BINS_DRAWS`] bins over each cell's range) with the draws whose mean is below and above 0.
/// Integer sums, so merging is exact and order-free, provided one accumulator adds every run
/// of a draw.
#[derive(Clone, Debug)]
pub struct DrawSpread {
    ranges: Vec<(f64, f64)>,
    rows: usize,
    runs_per_draw: u64,
    draws: u64,
    runs_in_draw: u64,
    /// By row, then cell: the fixed-point sum of the current draw's runs.
    current: Vec<i64>,
    /// By row, then cell: sums over every run, of values and their squares, and over draws of
    /// the square of the draw's sum.
    sum: Vec<i128>,
    sum_sq: Vec<i128>,
    draw_sq: Vec<i128>,
    /// By cell, then bin: the draws' means at the last row.
    last: Vec<u32>,
    below: Vec<u64>,
    above: Vec<u64>,
}

/// Bins of the histogram of draws' means in [`DrawSpread`].
pub const BINS_DRAWS: usize = 2000;

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
    /// p05, p50, p95 of the draws' means (to within a bin).
    pub quantiles: [f64; 3],
    /// Shares of draws whose mean is below 0 and above 0 (exact).
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
            last: vec![0; cells * BINS_DRAWS],
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
                let (lo, hi) = self.ranges[c];
                let mean = *s as f64 / self.runs_per_draw as f64 / FIXED_POINT;
                let bin = (((mean - lo) / (hi - lo) * BINS_DRAWS as f64).max(0.0) as usize)
                    .min(BINS_DRAWS - 1);
                self.last[c * BINS_DRAWS + bin] += 1;
                self.below[c] += (*s < 0) as u64;
                self.above[c] += (*s > 0) as u64;
            }
            *s = 0;
        }
        self.runs_in_draw = 0;
        self.draws += 1;
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
        self.last
            .iter_mut()
            .zip(&other.last)
            .for_each(|(x, y)| *x += y);
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
        let (lo, hi) = self.ranges[cell];
        let counts = &self.last[cell * BINS_DRAWS..(cell + 1) * BINS_DRAWS];
        let n = self.draws as f64;
        let k = (self.rows - 1) * self.ranges.len() + cell;
        let (s, draws) = (self.sum[k], self.draws as i128);
        // Every draw alike: each quantile is the (exact) mean, not a point inside its bin.
        let alike = draws * self.draw_sq[k] == s * s;
        let mean = s as f64 / (draws * self.runs_per_draw as i128) as f64 / FIXED_POINT;
        Some(AcrossDraws {
            draws: self.draws,
            quantiles: [0.05, 0.5, 0.95].map(|q| {
                // The draws whose mean is exactly 0 are counted exactly: a quantile among them
                // is 0, not a point inside the bin that holds 0.
                let (below, zero) = (
                    self.below[cell] as f64 / n,
                    (self.draws - self.below[cell] - self.above[cell]) as f64 / n,
                );
                match alike {
                    true => mean,
                    false if zero > 0.0 && q > below && q <= below + zero => 0.0,
                    false => continuous_quantile(counts, q, self.draws, lo, hi),
                }
            }),
            below: self.below[cell] as f64 / n,
            above: self.above[cell] as f64 / n,
        })
    }
}

/// Spearman's rank correlation of two samples of equal length: Pearson's correlation of their
/// ranks, ties given their mean rank. `None` with fewer than three pairs or a constant sample.
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    assert_eq!(x.len(), y.len(), "paired samples");
    if x.len() < 3 {
        return None;
    }
    let (rx, ry) = (ranks(x), ranks(y));
    let n = x.len() as f64;
    let mean = (n + 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        sxy += (a - mean) * (b - mean);
        sxx += (a - mean) * (a - mean);
        syy += (b - mean) * (b - mean);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// Ranks from 1, ties given their mean rank.
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut ranks = vec![0.0; v.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && v[order[j + 1]] == v[order[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            ranks[k] = rank;
        }
        i = j + 1;
    }
    ranks
}

/// Sample variance (n − 1) of n values in units of 1/`unit`, from their exact integer sum `s`
/// and sum of squares `ss`; 0 for fewer than two values.
fn sample_variance(n: i128, s: i128, ss: i128, unit: f64) -> f64 {
    if n > 1 {
        (n * ss - s * s) as f64 / (n * (n - 1)) as f64 / (unit * unit)
    } else {
        0.0
    }
}

/// The standard normal 97.5 % quantile.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Wilson's 95 % score interval for `successes` out of `n` (Wilson 1927).
/// Total on any input: with no trials the interval is [0, 1], and successes past n count as n
/// (a report may read a tampered file).
pub fn wilson(successes: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let successes = successes.min(n);
    let (k, n) = (successes as f64, n as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At 0 and n the bounds are exactly 0 and 1; computed, they would round near them.
    let lo = if successes == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if successes as f64 == n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (lo, hi)
}

/// Student's t 97.5 % quantile for `df` degrees of freedom: the Cornish–Fisher expansion of
/// Abramowitz & Stegun 26.7.5 around the normal quantile (within 0.2 % for df ≥ 3).
pub fn t95(df: u64) -> f64 {
    if df == 0 {
        return f64::INFINITY;
    }
    let (z, v) = (Z95, df as f64);
    let g1 = (z.powi(3) + z) / 4.0;
    let g2 = (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / 96.0;
    let g3 = (3.0 * z.powi(7) + 19.0 * z.powi(5) + 17.0 * z.powi(3) - 15.0 * z) / 384.0;
    let g4 = (79.0 * z.powi(9) + 776.0 * z.powi(7) + 1482.0 * z.powi(5)
        - 1920.0 * z.powi(3)
        - 945.0 * z)
        / 92160.0;
    z + g1 / v + g2 / v.powi(2) + g3 / v.powi(3) + g4 / v.powi(4)
}

/// A skill score, 1 − S / S_ref of two mean scores (1 perfect, 0 no better than the
/// reference, negative worse), with a bootstrap 95 % interval over the scored items.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Skill {
    /// 1 − S / S_ref.
    pub score: f64,
    /// Lower end of the 95 % interval.
    pub low: f64,
    /// Upper end of the 95 % interval.
    pub high: f64,
}

/// Bootstrap resamples behind a [`Skill`] interval.
pub const SKILL_RESAMPLES: usize = 2000;

/// The skill of `scores` against `reference` (one score each per item, lower better), with a
/// percentile bootstrap 95 % interval: items resampled with replacement, [`SKILL_RESAMPLES`]
/// times, from a ChaCha8 stream of `seed`. Resamples whose reference scores 0 (where skill is
/// undefined) are left out. `None` without items or when the reference scores 0 on them all.
pub fn skill(scores: &[f64], reference: &[f64], seed: u64) -> Option<Skill> {
    use rand::{Rng, SeedableRng};
    assert_eq!(
        scores.len(),
        reference.len(),
        "one reference score per item"
    );
    let n = scores.len();
    let of = |s: f64, r: f64| (r > 0.0).then(|| 1.0 - s / r);
    let score = of(scores.iter().sum(), reference.iter().sum())?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut draws = Vec::with_capacity(SKILL_RESAMPLES);
    for _ in 0..SKILL_RESAMPLES {
        let (mut s, mut r) = (0.0, 0.0);
        for _ in 0..n {
            let k = ((rng.next_u64() as u128 * n as u128) >> 64) as usize;
            s += scores[k];
            r += reference[k];
        }
        draws.extend(of(s, r));
    }
    draws.sort_by(f64::total_cmp);
    let at = |q: f64| draws[((q * (draws.len() - 1) as f64).round() as usize).min(draws.len() - 1)];
    Some(Skill {
        score,
        low: at(0.025),
        high: at(0.975),
    })
}

/// One bin of a reliability table: the forecasts in [low, high) (the last bin includes 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReliabilityBin {
    /// Lower end of the bin.
    pub low: f64,
    /// Upper end of the bin.
    pub high: f64,
    /// Forecasts in the bin.
    pub forecasts: usize,
    /// Their mean.
    pub mean_forecast: f64,
    /// Share of these forecasts whose event was observed.
    pub observed_share: f64,
}

/// The reliability table of probability forecasts: `bins` equal bins over [0, 1], empty bins
/// left out. A reliable forecaster's observed share matches its mean forecast in every bin.
pub fn reliability(forecasts: &[f64], observed: &[bool], bins: usize) -> Vec<ReliabilityBin> {
    assert_eq!(
        forecasts.len(),
        observed.len(),
        "one observation per forecast"
    );
    let mut sums = vec![(0usize, 0.0f64, 0usize); bins];
    for (&f, &o) in forecasts.iter().zip(observed) {
        let k = ((f * bins as f64) as usize).min(bins - 1);
        sums[k].0 += 1;
        sums[k].1 += f;
        sums[k].2 += usize::from(o);
    }
    sums.iter()
        .enumerate()
        .filter(|(_, s)| s.0 > 0)
        .map(|(k, &(n, f, o))| ReliabilityBin {
            low: k as f64 / bins as f64,
            high: (k + 1) as f64 / bins as f64,
            forecasts: n,
            mean_forecast: f / n as f64,
            observed_share: o as f64 / n as f64,
        })
        .collect()
}

/// The continuous ranked probability score of an ensemble of equally weighted members for an
/// observation: mean |x − y| − ½ mean |x − x′| over all pairs (Gneiting and Raftery 2007,
/// eq. 21). In the observation's units, lower better; a point forecast scores its absolute
/// error. Computed on the sorted members in O(n log n).
pub fn crps(ensemble: &[f64], observed: f64) -> f64 {
    assert!(!ensemble.is_empty(), "an ensemble has members");
    let mut x = ensemble.to_vec();
    x.sort_by(f64::total_cmp);
    let n = x.len() as f64;
    let error: f64 = x.iter().map(|v| (v - observed).abs()).sum::<f64>() / n;
    // ½ mean |x − x′| = Σ_i x_(i) (2i − n + 1) / n² over the sorted members, i from 0.
    let spread: f64 = x
        .iter()
        .enumerate()
        .map(|(i, v)| v * (2.0 * i as f64 - n + 1.0))
        .sum::<f64>()
        / (n * n);
    error - spread
}

/// `v` in units of 2^-24, rounded to nearest (without a libm call in the hot loop).
#[inline]
fn to_fixed(v: f64) -> i64 {
    let scaled = v * FIXED_POINT;
    (scaled + if scaled >= 0.0 { 0.5 } else { -0.5 }) as i64
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

    #[test]
    fn reliability_bins_forecasts_and_counts_what_happened() {
        let table = reliability(
            &[0.0, 0.05, 0.95, 1.0, 1.0, 0.5],
            &[false, true, true, true, false, true],
            10,
        );
        let rows: Vec<(f64, usize, f64)> = table
            .iter()
            .map(|b| (b.low, b.forecasts, b.observed_share))
            .collect();
        assert_eq!(rows, [(0.0, 2, 0.5), (0.5, 1, 1.0), (0.9, 3, 2.0 / 3.0)]);
        assert!((table[0].mean_forecast - 0.025).abs() < 1e-12);
    }

    #[test]
    fn crps_by_hand() {
        // Two members 0 and 1, observed 0.5: mean error 0.5, half the mean pair distance
        // (0 + 1 + 1 + 0) / 4 / 2 = 0.25, so 0.25.
        assert!((crps(&[0.0, 1.0], 0.5) - 0.25).abs() < 1e-15);
        // One member: the absolute error.
        assert!((crps(&[0.2], 0.5) - 0.3).abs() < 1e-15);
        // -1, 0, 1 observed at 1: mean error 1, pairs (1 + 2 + 1) * 2 / 9 / 2 = 4/9; in any order.
        assert!((crps(&[1.0, -1.0, 0.0], 1.0) - 5.0 / 9.0).abs() < 1e-15);
        // A wider ensemble around the truth scores worse than a narrow one.
        assert!(crps(&[-0.5, 0.5], 0.0) > crps(&[-0.1, 0.1], 0.0));
    }

    #[test]
    fn skill_is_one_minus_the_ratio_with_an_interval_around_it() {
        // Half the reference's score: skill 0.5; a reference that scores 0 leaves it undefined.
        let s = skill(&[0.1, 0.2, 0.3, 0.0], &[0.2, 0.4, 0.6, 0.0], 1).unwrap();
        assert!((s.score - 0.5).abs() < 1e-12);
        assert!(s.low <= s.score && s.score <= s.high, "{s:?}");
        assert!((s.low - 0.5).abs() < 1e-12 && (s.high - 0.5).abs() < 1e-12);
        assert_eq!(skill(&[0.1], &[0.0], 1), None);
        // One item carries the whole difference: the interval spans no skill and all of it.
        let lumpy = skill(&[0.0, 0.0, 0.0, 0.0, 1.0], &[0.2; 5], 7).unwrap();
        assert!((lumpy.score - 0.0).abs() < 1e-12);
        assert!(lumpy.low < -0.5 && lumpy.high == 1.0, "{lumpy:?}");
        assert_eq!(
            skill(&[0.0, 1.0], &[0.5, 0.5], 3),
            skill(&[0.0, 1.0], &[0.5, 0.5], 3)
        );
    }

    use super::*;

    #[test]
    fn spearman_by_hand() {
        // Monotone: 1; reversed: −1; ties take mean ranks.
        assert_eq!(
            spearman(&[1.0, 2.0, 3.0, 4.0], &[10.0, 20.0, 25.0, 100.0]),
            Some(1.0)
        );
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), Some(-1.0));
        // x ranks 1 2 3 4 5, y ranks 2 1 4 3 5: d² = 1+1+1+1+0 = 4, ρ = 1 − 6·4/(5·24) = 0.8.
        let rho = spearman(&[1.0, 2.0, 3.0, 4.0, 5.0], &[2.0, 1.0, 4.0, 3.0, 5.0]).unwrap();
        assert!((rho - 0.8).abs() < 1e-12, "{rho}");
        assert_eq!(ranks(&[5.0, 1.0, 5.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
        assert_eq!(spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None);
    }

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
        assert!((across.quantiles[1] - 0.2).abs() <= 2.0 / BINS_DRAWS as f64 + 1e-9);
        // One draw: no parameter part; one run a draw: no noise part.
        assert_eq!(a.split(0, 0).sd_parameters, None);
        let mut single = DrawSpread::new(vec![(-1.0, 1.0)], 1, 1);
        single.add_row(0, &[-0.5]);
        single.end_run();
        single.end_draw();
        assert_eq!(single.split(0, 0).sd_noise, None);
        assert_eq!(single.across(0).unwrap().below, 1.0);
    }

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
    fn wilson_interval_of_en_1() {
        // EN-1: 100 threshold crossings in 1000 runs -> [0.0829, 0.1202] (Wilson 1927).
        let (lo, hi) = wilson(100, 1000);
        assert!(
            (lo - 0.0829).abs() < 1e-4 && (hi - 0.1202).abs() < 1e-4,
            "[{lo}, {hi}]"
        );
        assert_eq!(wilson(0, 10).0, 0.0);
        assert_eq!(wilson(10, 10).1, 1.0);
    }

    #[test]
    fn t_quantiles_match_tables() {
        for (df, t) in [
            (3, 3.182446),
            (10, 2.228139),
            (30, 2.042272),
            (1000, 1.962339),
        ] {
            assert!(
                (t95(df) - t).abs() / t < 2e-3,
                "df {df}: {} vs {t}",
                t95(df)
            );
        }
    }

    #[test]
    fn differences_of_identical_runs_are_zero() {
        let mut d = Differences::new(2);
        for _ in 0..5 {
            d.add([0.0, 0.0].into_iter());
        }
        assert_eq!(d.mean_sd(0), (0.0, 0.0));
        let mut e = Differences::new(1);
        for v in [1.0, 2.0, 3.0] {
            e.add(std::iter::once(v));
        }
        assert_eq!(e.mean_sd(0), (2.0, 1.0));
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
