//! A forecast's predictive distributions: each state's alignment in the December of each year
//! (a UN session's month, docs/MODEL.md 9.1), counted over the runs in fine bins (order-free,
//! so the same for any thread count), then read as the session's ideal point through the
//! observation model fitted at the origin — the state's alignment on the axis of the West's
//! last reference, dressed with the ideal point's own error, the model's extra error, and the
//! reference's own year-to-year moves after its last session.

use super::At;
use crate::error::{Error, Result};
use crate::experiments::driver::{RunDone, Tally};
use crate::measure::{Nowcast, Series, WIDTH_FROM};
use crate::scenario::start_mean;
use crate::statistics::Mixture;

/// The quantiles forecast.csv gives, as its columns name them.
pub const QUANTILES: [(f64, &str); 7] = [
    (0.05, "p05"),
    (0.10, "p10"),
    (0.25, "p25"),
    (0.50, "p50"),
    (0.75, "p75"),
    (0.90, "p90"),
    (0.95, "p95"),
];

/// Bins of an alignment in [−1, 1]: 0.001 wide, finer than any observation's error.
const BINS: usize = 2000;

/// One row of forecast.csv: a series of a state in a year.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// `unga_ideal_point` (the ideal points' own units) or `alignment` (the model's axis).
    pub series: &'static str,
    /// The state's code.
    pub state: String,
    /// The year (for ideal points, the session that opens in it).
    pub year: i32,
    /// The predictive mean.
    pub mean: f64,
    /// The predictive quantiles at [`QUANTILES`].
    pub quantiles: [f64; 7],
}

/// Where the runs are read: each unit's alignment cell and each year's month.
pub(super) struct Reads {
    /// The units read (the panel's states of the scenario), in the scenario's order.
    pub units: Vec<String>,
    /// Each unit's cell in a recorded row.
    cells: Vec<usize>,
    /// The years, the origin's first.
    pub years: Vec<i32>,
    /// Each year's December, in months after the start.
    months: Vec<usize>,
}

impl Reads {
    pub fn new(at: &At) -> Result<Reads> {
        let units: Vec<String> = at.nowcast.units.iter().map(|u| u.state.clone()).collect();
        let cells = (units.iter())
            .map(|u| {
                at.compiled
                    .layout
                    .find(u, "alignment")
                    .ok_or_else(|| Error::Internal(format!("{u}: no alignment cell in the layout")))
            })
            .collect::<Result<_>>()?;
        let first = at.origin.div_euclid(12);
        let years: Vec<i32> = (first..=first + at.years as i32).collect();
        let months = (years.iter())
            .map(|y| (y * 12 + 11 - at.origin) as usize)
            .collect();
        Ok(Reads {
            units,
            cells,
            years,
            months,
        })
    }

    fn slot(&self, unit: usize, year: usize) -> usize {
        (unit * self.years.len() + year) * BINS
    }
}

/// The runs' alignments, binned per (unit, year).
pub(super) struct YearTally<'a> {
    reads: &'a Reads,
    counts: Vec<u32>,
}

impl<'a> YearTally<'a> {
    pub fn new(reads: &'a Reads) -> Self {
        YearTally {
            reads,
            counts: vec![0; reads.units.len() * reads.years.len() * BINS],
        }
    }
}

impl Tally for YearTally<'_> {
    fn observe(&mut self, _: usize, _: u64, month: usize, row: &[f64]) -> Result<()> {
        let Some(year) = self.reads.months.iter().position(|&m| m == month) else {
            return Ok(());
        };
        for (unit, &cell) in self.reads.cells.iter().enumerate() {
            let bin = (((row[cell] + 1.0) / 2.0 * BINS as f64) as usize).min(BINS - 1);
            self.counts[self.reads.slot(unit, year) + bin] += 1;
        }
        Ok(())
    }

    fn end_run(&mut self, _: &RunDone) -> Result<()> {
        Ok(())
    }

    fn merge(&mut self, other: &Self) {
        for (total, part) in self.counts.iter_mut().zip(&other.counts) {
            *total += part;
        }
    }
}

/// A bin's centre on the model's axis.
fn centre(bin: usize) -> f64 {
    -1.0 + (bin as f64 + 0.5) * 2.0 / BINS as f64
}

/// Each state-year's predictive distribution of its alignment and of its ideal point.
pub(super) struct Predictive {
    /// (unit, year, alignment, ideal point), in the units' order, then the years'.
    pub cells: Vec<(String, i32, Mixture, Option<Mixture>)>,
}

impl Predictive {
    pub fn new(at: &At, reads: &Reads, tally: YearTally) -> Predictive {
        let nowcast = &at.nowcast;
        let var_reference = reference_variance_per_year(nowcast);
        let mut cells = Vec::new();
        for (u, unit) in nowcast.units.iter().enumerate() {
            // A state without ideal points (Kosovo) gets no ideal point forecast.
            let se = unit.typical_se;
            let offset = offset(at, u);
            for (k, &year) in reads.years.iter().enumerate() {
                let counts = &tally.counts[reads.slot(u, k)..reads.slot(u, k) + BINS];
                let points = || {
                    (counts.iter().enumerate())
                        .filter(|(_, c)| **c > 0)
                        .map(|(b, c)| (centre(b) + offset, f64::from(*c)))
                };
                let Some(alignment) = Mixture::new(points(), 0.0) else {
                    continue;
                };
                let ideal =
                    se.and_then(|se| ideal_point(nowcast, year, se, var_reference, points()));
                cells.push((unit.state.clone(), year, alignment, ideal));
            }
        }
        Predictive { cells }
    }

    /// forecast.csv's rows: each state's ideal points, then its alignments.
    pub fn rows(&self) -> Vec<Row> {
        let row = |series, state: &str, year, m: &Mixture| Row {
            series,
            state: state.to_string(),
            year,
            mean: m.mean(),
            quantiles: QUANTILES.map(|(p, _)| m.quantile(p)),
        };
        let ideal = (self.cells.iter()).filter_map(|(s, y, _, i)| {
            Some(row(Series::UngaIdealPoint.name(), s, *y, i.as_ref()?))
        });
        let alignment = (self.cells.iter()).map(|(s, y, a, _)| row("alignment", s, *y, a));
        ideal.chain(alignment).collect()
    }
}

/// What a state's reading carries beyond the model's alignment: the nowcast's reading less the
/// mean start it gives the runs (docs/MODEL.md, 9.4), which differ only where the reading lies
/// beyond the poles (France, the Czech Republic, …, vote West of the EU-15's mean); for a
/// fully anchored state (a pole's stand-in, the file's number), the reading less that number.
/// A state with no observation has none.
fn offset(at: &At, unit: usize) -> f64 {
    let u = &at.nowcast.units[unit];
    let state = (at.compiled.scenario.state.iter()).find(|s| s.code == u.state);
    let (Some(state), Some(_)) = (state, u.track.last_observed) else {
        return 0.0;
    };
    let a = u.track.at_origin.alignment();
    match state.anchoring >= 1.0 {
        true => a.mean - state.alignment,
        false => a.mean - start_mean(a.mean, a.sd, at.draws.varies()),
    }
}

/// The session-`year` ideal point of alignments at `points`: each read on the axis of the
/// West's last reference up to `year`, dressed with the ideal point's error `se`, the model's
/// extra error, and the reference's moves in the years since its last session.
fn ideal_point(
    nowcast: &Nowcast,
    year: i32,
    se: f64,
    var_reference_per_year: f64,
    points: impl Iterator<Item = (f64, f64)>,
) -> Option<Mixture> {
    let model = &nowcast.model;
    let (session, west) = model.scale.latest(year)?;
    let half = model.scale.width / 2.0;
    let ahead = f64::from(year - session);
    let error = model.dynamics.ideal_error_variance(se, half);
    let sd = (error + ahead * var_reference_per_year).sqrt();
    Mixture::new(points.map(|(a, w)| (west - half * (a + 1.0), w)), sd)
}

/// The mean square of the West's reference's change from one session to the next, over the sessions from
/// [`WIDTH_FROM`] up to the origin (ideal-point units²): how far the axis itself moves a year.
fn reference_variance_per_year(nowcast: &Nowcast) -> f64 {
    let sessions = &nowcast.model.scale.sessions;
    let changes: Vec<f64> = (sessions
        .range(WIDTH_FROM..)
        .zip(sessions.range(WIDTH_FROM + 1..)))
    .filter(|((a, _), (b, _))| *b - *a == 1)
    .map(|((_, x), (_, y))| y - x)
    .collect();
    if changes.len() < 2 {
        return 0.0;
    }
    // About 0 as a random walk's step: the reference's drift is not forecast either.
    changes.iter().map(|c| c * c).sum::<f64>() / changes.len() as f64
}
