//! Ensemble statistics. The accumulators ([`Summary`], [`Differences`], [`DrawSpread`]) need no
//! memory per run and give the same bits whatever order runs arrive in: every value is added as
//! integers (fixed-point sums, histogram counts), so merging the accumulators of several
//! threads is exact and order-free. Besides them: intervals, forecast scores, normal mixtures, rank correlation.

mod draw_spread;
mod forecast_scores;
mod intervals;
pub mod minimise;
mod mixture;
mod paired_differences;
mod rank_correlation;
mod summary;

pub use draw_spread::{AcrossDraws, BINS_DRAWS, DrawSpread, EXACT_DRAWS, Split};
pub use forecast_scores::{ReliabilityBin, SKILL_RESAMPLES, Skill, crps, reliability, skill};
pub use intervals::{Z95, t95, wilson};
pub use mixture::Mixture;
pub use paired_differences::Differences;
pub use rank_correlation::spearman;
pub use summary::{Moments, QUANTILES, Scale, Summary};

/// Fixed-point units per 1: values are summed in units of 2^-24.
const FIXED_POINT: f64 = (1u64 << 24) as f64;

/// `v` in units of 2^-24, rounded to nearest (without a libm call in the hot loop).
#[inline]
fn to_fixed(v: f64) -> i64 {
    let scaled = v * FIXED_POINT;
    (scaled + if scaled >= 0.0 { 0.5 } else { -0.5 }) as i64
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
