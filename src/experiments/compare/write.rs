//! comparison.csv: each scenario's units and indicators at the horizon, with each variant's
//! paired difference from the baseline, probabilities of 0/1 indicators and, with parameter
//! draws, the spread across plausible worlds; one typed row (`columns::ComparisonRow`) each.

use super::scenarios::Arm;
use super::tally::Spreads;
use crate::error::Result;
use crate::experiments::{moments, split_cells};
use crate::model::indicators::Cell;
use crate::output::columns::{self, ComparisonRow};
use crate::output::{AtomicFile, Number};
use crate::statistics::{AcrossDraws, Differences, DrawSpread, Moments, Scale, Summary};
use crate::statistics::{t95, wilson};
use std::path::Path;

/// The runs every row of comparison.csv is over, at the horizon.
struct Horizon {
    /// The summaries' last row.
    last: usize,
    /// Runs of each scenario.
    runs: u64,
    /// The 95 % t quantile of `runs − 1` degrees of freedom.
    t: f64,
}

impl Horizon {
    /// The runs as a number.
    fn n(&self) -> f64 {
        self.runs as f64
    }
}

/// Writes comparison.csv (the horizon, one row per scenario, unit and indicator) and returns
/// the pairing narrowing of every variant indicator whose paired difference varies.
pub(super) fn write_comparison(
    dir: &Path,
    arms: &[Arm],
    summaries: &[Summary],
    differences: &[Differences],
    spreads: Option<&Spreads>,
    runs: u64,
) -> Result<Vec<f64>> {
    let h = Horizon {
        last: summaries[0].rows() - 1,
        runs,
        t: t95(runs.saturating_sub(1)),
    };
    let mut narrowing = Vec::new();
    let mut w = columns::table::<ComparisonRow>()?;
    for (k, (arm, summary)) in arms.iter().zip(summaries).enumerate() {
        let level = spreads.map(|s| &s.levels[k]);
        let mut matched_index = 0;
        for (cell, c) in arm.unit.layout.cells.iter().enumerate() {
            let m = moments(summary, h.last, cell)?;
            let mut row = levels(&arm.folder, c, &m, &h, level, cell);
            if let (Some(v), Some(b)) = (k.checked_sub(1), arm.to_baseline[cell]) {
                let base_sd = moments(&summaries[0], h.last, b)?.sd;
                let (mean, sd) = differences[v].mean_sd(matched_index);
                narrowing.extend(paired(&mut row, &h, mean, sd, [base_sd, m.sd]));
                let across = spreads.and_then(|s| s.effects[v].across(matched_index));
                effect_across(&mut row, across);
                matched_index += 1;
            }
            w.serialize(row)?;
        }
    }
    AtomicFile::write(dir, "comparison.csv", &w.into_inner()?)?;
    Ok(narrowing)
}

/// The row of a scenario's cell `c` (number `cell` of its layout) with its moments `m` at the
/// horizon, its probability if it is 0/1, and with parameter draws (`level`: the scenario's
/// spread over them) the draws, the probability's spread across them and the sd's parts; the
/// difference columns are left empty.
fn levels<'a>(
    scenario: &'a str,
    c: &'a Cell,
    m: &Moments,
    h: &Horizon,
    level: Option<&DrawSpread>,
    cell: usize,
) -> ComparisonRow<'a> {
    let [p05, p25, p50, p75, p95] = m.quantiles.map(Number);
    let [sd_noise, sd_parameters] = split_cells(level, h.last, cell);
    let binary = c.scale == Scale::Binary;
    let mut row = ComparisonRow {
        scenario,
        state: &c.unit,
        indicator: &c.indicator,
        mean: Number(m.mean),
        sd: Number(m.sd),
        p05,
        p25,
        p50,
        p75,
        p95,
        draws: level.map(DrawSpread::draws),
        sd_noise,
        sd_parameters,
        ..ComparisonRow::default()
    };
    if binary {
        let successes = (m.mean * h.n()).round() as u64;
        let (low, high) = wilson(successes, h.runs);
        row.probability = Some(Number(m.mean));
        row.probability_low = Some(Number(low));
        row.probability_high = Some(Number(high));
    }
    if let Some(p) = level.and_then(|l| l.across(cell)).filter(|_| binary) {
        row.probability_p05 = Some(Number(p.quantiles[0]));
        row.probability_p95 = Some(Number(p.quantiles[2]));
    }
    row
}

/// Fills the difference columns of a variant's cell matched to the baseline's: the paired
/// difference's `mean` and its interval from the `sd` of the paired differences. Returns the
/// pairing narrowing — the half-width independent seeds would give (from the two scenarios'
/// `level_sds`) over the paired one — where the difference varies.
fn paired(
    row: &mut ComparisonRow,
    h: &Horizon,
    mean: f64,
    sd: f64,
    level_sds: [f64; 2],
) -> Option<f64> {
    let half = h.t * sd / h.n().sqrt();
    let [a, b] = level_sds;
    let independent = h.t * ((a * a + b * b) / h.n()).sqrt();
    let ratio = (half > 0.0).then(|| independent / half);
    row.diff = Some(Number(mean));
    row.diff_low = Some(Number(mean - half));
    row.diff_high = Some(Number(mean + half));
    row.pairing_narrowing = ratio.map(Number);
    ratio
}

/// Fills the effect's columns across parameter draws: the quantiles of the draws' mean effects
/// and the shares of draws below and above zero (empty without draws).
fn effect_across(row: &mut ComparisonRow, across: Option<AcrossDraws>) {
    let Some(e) = across else {
        return;
    };
    row.effect_p05 = Some(Number(e.quantiles[0]));
    row.effect_p50 = Some(Number(e.quantiles[1]));
    row.effect_p95 = Some(Number(e.quantiles[2]));
    row.p_effect_negative = Some(Number(e.below));
    row.p_effect_positive = Some(Number(e.above));
}

/// The median of `v` (the mean of the middle two of an even count); `None` when empty.
pub(super) fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    })
}
