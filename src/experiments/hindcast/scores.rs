//! Scoring: each item's forecast beside its base rate and persistence (Brier scores for
//! yes/no outcomes; the CRPS and interval coverage for continuous targets), and the means of
//! each set of items with their skill.

use super::super::draws::Draws;
use super::super::driver::{Compiled, Job};
use super::items::{centre, checks, tally};
use crate::error::Result;
use crate::scenario::{Outcome, OutcomeTest, Reading};
use crate::statistics::{self, Skill};

/// One yes/no outcome's score.
#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    /// The outcome's `id`.
    pub id: String,
    /// Whether it happened.
    pub observed: bool,
    /// Share of runs in which the outcome's test held.
    pub forecast: f64,
    /// Brier score of the forecast.
    pub brier: f64,
    /// The outcome's base rate (the reference forecast).
    pub base_rate: f64,
    /// Brier score of the base rate.
    pub base_brier: f64,
    /// Held out of calibration.
    pub held_out: bool,
    /// The persistence forecast: 1 if the outcome's test holds in a world that stays as it is
    /// in the start month (no event happens, alignments stay), else 0.
    pub persistence: f64,
    /// Brier score of the persistence forecast.
    pub persistence_brier: f64,
}

/// One continuous target's score (`value_at`). Every forecast is dressed with the
/// observation's measurement error ([`DRESSING`]) before it is scored.
#[derive(Clone, Debug, PartialEq)]
pub struct ContinuousScore {
    /// The outcome's id.
    pub id: String,
    /// What it reads: alignment or public opinion.
    pub reading: Reading,
    /// The observation, on the model's scale.
    pub observed: f64,
    /// Standard deviation of the measurement error, on the model's scale.
    pub error: f64,
    /// The dressed ensemble's 5, 25, 50, 75 and 95 % quantiles.
    pub quantiles: [f64; 5],
    /// The CRPS of the ensemble, dressed with the measurement error.
    pub crps: f64,
    /// The reference value: the outcome's `base_rate`.
    pub base_rate: f64,
    /// The CRPS of the base rate (a point forecast, dressed alike).
    pub base_crps: f64,
    /// Persistence: the start month's median (undressed), carried forward.
    pub persistence: f64,
    /// The CRPS of persistence (the start month's values, dressed alike).
    pub persistence_crps: f64,
    /// Whether it is held out of calibration.
    pub held_out: bool,
}

impl ContinuousScore {
    /// Whether the observation lies in the central 50 % and 90 % predictive intervals.
    pub fn covered(&self) -> (bool, bool) {
        let [q05, q25, _, q75, q95] = self.quantiles;
        let y = self.observed;
        ((q25..=q75).contains(&y), (q05..=q95).contains(&y))
    }
}

/// Every outcome of a scenario scored: yes/no outcomes and continuous targets, each in the
/// scenario's order.
#[derive(Clone, Debug, PartialEq)]
pub struct Items {
    /// Yes/no outcomes, in scenario order.
    pub binary: Vec<Score>,
    /// Continuous targets, in scenario order.
    pub continuous: Vec<ContinuousScore>,
}

/// Mean Brier scores of a set of outcomes, against both references.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mean {
    /// Outcomes averaged.
    pub outcomes: usize,
    /// Mean Brier score of the forecasts.
    pub brier: f64,
    /// Mean Brier score of the base rates.
    pub base_brier: f64,
    /// Mean Brier score of persistence.
    pub persistence_brier: f64,
    /// Skill against the base rates, with its bootstrap 95 % interval over the outcomes;
    /// `None` where the reference is perfect on every outcome.
    pub skill_vs_base_rate: Option<Skill>,
    /// Skill against persistence, likewise.
    pub skill_vs_persistence: Option<Skill>,
}

/// Mean CRPS of a set of continuous targets, against both references, and how often the
/// observations fell in the predictive intervals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CrpsMean {
    /// Targets in the set.
    pub items: usize,
    /// Mean CRPS of the model.
    pub crps: f64,
    /// Mean CRPS of the base rates.
    pub base_crps: f64,
    /// Mean CRPS of persistence.
    pub persistence_crps: f64,
    /// Skill against the base rates, with its bootstrap interval.
    pub skill_vs_base_rate: Option<Skill>,
    /// Skill against persistence, with its bootstrap interval.
    pub skill_vs_persistence: Option<Skill>,
    /// Share of observations inside the central 50 % predictive interval.
    pub coverage_50: f64,
    /// Share of observations inside the central 90 % predictive interval.
    pub coverage_90: f64,
}

/// The means of the calibration set, the held-out set and all items.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sets<T> {
    /// Of the items used for calibration; `None` when there are none.
    pub calibration: Option<T>,
    /// Of the items held out; `None` when there are none.
    pub held_out: Option<T>,
    /// Of every item; `None` when there are none.
    pub all: Option<T>,
}

/// Standard normal quantiles at 0.05, 0.15, …, 0.95: each ensemble member (and each point
/// forecast) becomes ten members, member + error × each, so that forecasts are scored against
/// a measurement with that error. A quadrature of the error, not a draw: no randomness.
pub const DRESSING: [f64; 10] = [
    -1.644_853_626_951_472,
    -1.036_433_389_493_789,
    -0.674_489_750_196_082,
    -0.385_320_466_407_568,
    -0.125_661_346_855_074,
    0.125_661_346_855_074,
    0.385_320_466_407_568,
    0.674_489_750_196_082,
    1.036_433_389_493_789,
    1.644_853_626_951_472,
];

/// Every outcome of `compiled` forecast over `job.spec.runs` runs of `job.spec.seed`
/// (on the job's threads) and scored: yes/no outcomes by the Brier score, continuous targets
/// by the CRPS, each beside its base rate and persistence.
pub(super) fn score_items(job: &mut Job, compiled: &Compiled, draws: &Draws) -> Result<Items> {
    let checks = checks(compiled)?;
    let (held, at_by, at_start) = tally(job, compiled, &checks, draws)?;
    let runs = job.spec.runs;
    let start = &compiled.model.initial.alignment;
    let mut items = Items {
        binary: Vec::new(),
        continuous: Vec::new(),
    };
    for (k, (o, c)) in compiled.scenario.outcome.iter().zip(&checks).enumerate() {
        match &o.test {
            OutcomeTest::ValueAt {
                reading,
                value,
                error,
            } => items.continuous.push(continuous_score(
                o,
                *reading,
                *value,
                *error,
                &at_by[k],
                &at_start[k],
            )),
            _ => items
                .binary
                .push(score(o, held[k], runs, c.persistence(start))),
        }
    }
    Ok(items)
}

/// A yes/no outcome's score: the share of `runs` in which it `held`, and `persistence`.
fn score(o: &Outcome, held: u64, runs: u64, persistence: f64) -> Score {
    let observed = if o.observed { 1.0 } else { 0.0 };
    let forecast = held as f64 / runs as f64;
    Score {
        persistence,
        persistence_brier: (persistence - observed).powi(2),
        id: o.id.clone(),
        observed: o.observed,
        forecast,
        brier: (forecast - observed).powi(2),
        base_rate: o.base_rate,
        base_brier: (o.base_rate - observed).powi(2),
        held_out: o.held_out,
    }
}

/// The members of a histogram, each dressed with the measurement error, sorted.
fn dressed(histogram: &[u32], error: f64) -> Vec<f64> {
    let mut members: Vec<f64> = histogram
        .iter()
        .enumerate()
        .flat_map(|(b, &n)| std::iter::repeat_n(centre(b), n as usize))
        .flat_map(|x| DRESSING.iter().map(move |z| x + error * z))
        .collect();
    members.sort_by(f64::total_cmp);
    members
}

/// The q-quantile of sorted members, interpolated linearly between the two nearest (so that
/// the median of a symmetric dressing of one value is that value).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = q * (sorted.len() - 1) as f64;
    let (below, share) = (h.floor() as usize, h.fract());
    match sorted.get(below + 1) {
        Some(next) => sorted[below] + share * (next - sorted[below]),
        None => sorted[below],
    }
}

/// A continuous target's score from the histograms of its values at `by` and at the start.
fn continuous_score(
    o: &Outcome,
    reading: Reading,
    observed: f64,
    error: f64,
    at_by: &[u32],
    at_start: &[u32],
) -> ContinuousScore {
    let model = dressed(at_by, error);
    let start = dressed(at_start, error);
    let point = |x: f64| DRESSING.map(|z| x + error * z);
    let persistence = quantile(&dressed(at_start, 0.0), 0.5);
    ContinuousScore {
        id: o.id.clone(),
        reading,
        observed,
        error,
        quantiles: statistics::QUANTILES.map(|q| quantile(&model, q)),
        crps: statistics::crps(&model, observed),
        base_rate: o.base_rate,
        base_crps: statistics::crps(&point(o.base_rate), observed),
        persistence,
        persistence_crps: statistics::crps(&start, observed),
        held_out: o.held_out,
    }
}

/// `f` of the calibration items, the held-out items and all of them.
pub(super) fn sets<S, T>(
    scores: &[S],
    held_out: fn(&S) -> bool,
    f: impl Fn(&[&S]) -> Option<T>,
) -> Sets<T> {
    let pick = |keep: &dyn Fn(&S) -> bool| scores.iter().filter(|s| keep(s)).collect::<Vec<_>>();
    Sets {
        calibration: f(&pick(&|s| !held_out(s))),
        held_out: f(&pick(&held_out)),
        all: f(&pick(&|_| true)),
    }
}

/// The mean of a column of scores.
fn average<S>(scores: &[&S], f: impl Fn(&S) -> f64) -> f64 {
    scores.iter().map(|s| f(s)).sum::<f64>() / scores.len() as f64
}

/// Mean scores of a set of outcomes and the model's skill against both references; the
/// bootstrap draws from a stream of the hindcast's seed.
pub(super) fn mean(scores: &[&Score], seed: u64) -> Option<Mean> {
    let column = |f: fn(&Score) -> f64| scores.iter().map(|s| f(s)).collect::<Vec<f64>>();
    let (brier, base, persistence) = (
        column(|s| s.brier),
        column(|s| s.base_brier),
        column(|s| s.persistence_brier),
    );
    (!scores.is_empty()).then(|| Mean {
        outcomes: scores.len(),
        brier: average(scores, |s| s.brier),
        base_brier: average(scores, |s| s.base_brier),
        persistence_brier: average(scores, |s| s.persistence_brier),
        skill_vs_base_rate: statistics::skill(&brier, &base, seed),
        skill_vs_persistence: statistics::skill(&brier, &persistence, seed),
    })
}

/// Mean CRPS of a set of continuous targets, the model's skill against both references and the
/// coverage of its intervals.
pub(super) fn crps_mean(scores: &[&ContinuousScore], seed: u64) -> Option<CrpsMean> {
    let column = |f: fn(&ContinuousScore) -> f64| scores.iter().map(|s| f(s)).collect::<Vec<f64>>();
    let (crps, base, persistence) = (
        column(|s| s.crps),
        column(|s| s.base_crps),
        column(|s| s.persistence_crps),
    );
    (!scores.is_empty()).then(|| CrpsMean {
        items: scores.len(),
        crps: average(scores, |s| s.crps),
        base_crps: average(scores, |s| s.base_crps),
        persistence_crps: average(scores, |s| s.persistence_crps),
        skill_vs_base_rate: statistics::skill(&crps, &base, seed),
        skill_vs_persistence: statistics::skill(&crps, &persistence, seed),
        coverage_50: average(scores, |s| f64::from(u8::from(s.covered().0))),
        coverage_90: average(scores, |s| f64::from(u8::from(s.covered().1))),
    })
}

/// The model's forecasts in ten bins of probability, with how often what they forecast happened.
pub(super) fn reliability(scores: &[Score]) -> Vec<statistics::ReliabilityBin> {
    let forecasts: Vec<f64> = scores.iter().map(|s| s.forecast).collect();
    let observed: Vec<bool> = scores.iter().map(|s| s.observed).collect();
    statistics::reliability(&forecasts, &observed, 10)
}
