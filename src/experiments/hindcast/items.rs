//! Each outcome compiled against the model ([`Check`]), read month by month from a run
//! ([`RunItems`]) and counted over a hindcast's runs ([`HindcastTally`]).

use super::super::draws::Draws;
use super::super::driver::{Compiled, Job, RunDone, Tally};
use crate::engine::step::{Workspace, simulate};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::model::events::RunEvent;
use crate::model::indicators::Layout;
use crate::scenario::{OutcomeTest, Reading};

/// Bins of the histogram of a continuous target's values over [−1, 1] (width 0.001): counts
/// add without floating point, so the scores are the same for any thread count.
const BINS: usize = 2000;

/// An outcome compiled against the model: state indices and the months it is read at.
pub(in crate::experiments) struct Check {
    /// The outcome's state.
    state: usize,
    /// Index of the cell it reads (the state's alignment, or its public opinion for
    /// `value_at` on `public_opinion`).
    cell: usize,
    /// Months from the start to `by`.
    month: usize,
    /// Months from the start to a `shift`'s `from` (0 for the other tests).
    from: usize,
    /// The outcome's test.
    test: OutcomeTest,
    /// Alignment cells of the states of `highest_at`.
    among: Vec<usize>,
    /// The states of `highest_at`.
    among_states: Vec<usize>,
}

impl Check {
    /// The persistence forecast of a yes/no check: its test read on the start month's
    /// alignments `start`, held to `by`.
    pub(super) fn persistence(&self, start: &[f64]) -> f64 {
        let holds = match &self.test {
            OutcomeTest::EventBy { .. } => false,
            OutcomeTest::NoEventBy { .. } => true,
            OutcomeTest::NeverAbove { value } | OutcomeTest::AtMost { value } => {
                start[self.state] <= *value
            }
            OutcomeTest::HighestAt { .. } => self
                .among_states
                .iter()
                .all(|&j| start[j] <= start[self.state]),
            // Nothing moves: a shift holds only if it asks for none.
            OutcomeTest::Shift { value, .. } => *value <= 0.0,
            OutcomeTest::ValueAt { .. } => false,
        };
        if holds { 1.0 } else { 0.0 }
    }
}

/// What one run says of each item: whether a yes/no test held; a continuous target's value at
/// `by` and at the start.
pub(in crate::experiments) struct RunItems {
    /// Whether each yes/no test held.
    pub holds: Vec<bool>,
    /// Each continuous target's value at `by`.
    pub at_by: Vec<f64>,
    /// Each continuous target's value in the start month.
    pub at_start: Vec<f64>,
    /// Each shift's value at its `from`.
    from_value: Vec<f64>,
}

impl RunItems {
    /// Buffers for the items of `checks`.
    pub fn new(checks: &[Check]) -> RunItems {
        RunItems {
            holds: vec![false; checks.len()],
            at_by: vec![0.0; checks.len()],
            at_start: vec![0.0; checks.len()],
            from_value: vec![0.0; checks.len()],
        }
    }

    /// Before a run: a `never_above` holds until broken; the other month-read tests are set
    /// when read.
    fn begin(&mut self, checks: &[Check]) {
        for (h, c) in self.holds.iter_mut().zip(checks) {
            *h = matches!(c.test, OutcomeTest::NeverAbove { .. });
        }
    }

    /// Reads every item of `checks` from month `month`'s `row`.
    fn observe(&mut self, checks: &[Check], month: usize, row: &[f64]) {
        for (k, c) in checks.iter().enumerate() {
            let own = row[c.cell];
            if month == c.from {
                self.from_value[k] = own;
            }
            let holds = &mut self.holds[k];
            match &c.test {
                OutcomeTest::NeverAbove { value } if month <= c.month => {
                    *holds &= own <= *value;
                }
                OutcomeTest::HighestAt { .. } if month == c.month => {
                    *holds = c.among.iter().all(|&cell| row[cell] <= own);
                }
                OutcomeTest::AtMost { value } if month == c.month => {
                    *holds = own <= *value;
                }
                OutcomeTest::Shift { toward, value, .. } if month == c.month => {
                    *holds = toward.sign() * (own - self.from_value[k]) >= *value;
                }
                OutcomeTest::ValueAt { .. } => {
                    if month == 0 {
                        self.at_start[k] = own;
                    }
                    if month == c.month {
                        self.at_by[k] = own;
                    }
                }
                _ => {}
            }
        }
    }

    /// After a run: the tests read from its events.
    fn end(&mut self, checks: &[Check], events: &[RunEvent]) {
        for (k, c) in checks.iter().enumerate() {
            let happened = |kind| {
                events
                    .iter()
                    .any(|e| e.state == c.state && e.kind == kind && e.month as usize <= c.month)
            };
            match c.test {
                OutcomeTest::EventBy { event } => self.holds[k] = happened(event),
                OutcomeTest::NoEventBy { event } => self.holds[k] = !happened(event),
                _ => {}
            }
        }
    }
}

/// Runs run `run` of `model` and reads every item of `checks` from it into `out`.
pub(in crate::experiments) fn run_items(
    model: &Model,
    layout: &Layout,
    checks: &[Check],
    seed: u64,
    run: u64,
    ws: &mut Workspace,
    out: &mut RunItems,
) -> Result<()> {
    out.begin(checks);
    simulate(model, seed, run, ws, &mut |month, row| {
        out.observe(checks, month, row)
    })
    .map_err(|v| Error::Internal(v.describe(model, layout)))?;
    out.end(checks, &ws.events);
    Ok(())
}

/// What each outcome checks, in the layout's cells and the scenario's months.
pub(in crate::experiments) fn checks(compiled: &Compiled) -> Result<Vec<Check>> {
    let (scenario, model, layout) = (&compiled.scenario, &compiled.model, &compiled.layout);
    let internal = |what: String| Error::Internal(what);
    let cell = |state: usize, name: &str| {
        layout
            .find(&model.codes[state], name)
            .ok_or_else(|| internal(format!("no {name} cell for {}", model.codes[state])))
    };
    let index = |code: &str| {
        scenario
            .state_index(code)
            .ok_or_else(|| internal(format!("state {code} vanished")))
    };
    let months = |m| scenario.scenario.start.months_until(m) as usize;
    let mut checks: Vec<Check> = Vec::new();
    for o in &scenario.outcome {
        let among_states: Vec<usize> = match &o.test {
            OutcomeTest::HighestAt { among } => {
                among.iter().map(|c| index(c)).collect::<Result<_>>()?
            }
            _ => Vec::new(),
        };
        let among = among_states
            .iter()
            .map(|&j| cell(j, "alignment"))
            .collect::<Result<_>>()?;
        let state = index(&o.state)?;
        let reads = match &o.test {
            OutcomeTest::ValueAt { reading, .. } => reading.name(),
            _ => Reading::Alignment.name(),
        };
        checks.push(Check {
            state,
            cell: cell(state, reads)?,
            month: months(o.by),
            from: match &o.test {
                OutcomeTest::Shift { from, .. } => months(*from),
                _ => 0,
            },
            test: o.test.clone(),
            among,
            among_states,
        });
    }
    Ok(checks)
}

/// The bin of a value in [−1, 1].
fn bin(v: f64) -> usize {
    (((v + 1.0) / 2.0 * BINS as f64) as usize).min(BINS - 1)
}

/// A bin's centre.
pub(super) fn centre(b: usize) -> f64 {
    -1.0 + (b as f64 + 0.5) * 2.0 / BINS as f64
}

/// Per check, a histogram of a continuous target's values (empty for the other outcomes).
pub(super) type Histograms = Vec<Vec<u32>>;

/// In how many runs each yes/no outcome's test held, and the histograms of the continuous
/// targets (empty for the other outcomes).
pub(super) fn tally(
    job: &mut Job,
    compiled: &Compiled,
    checks: &[Check],
    draws: &Draws,
) -> Result<(Vec<u64>, Histograms, Histograms)> {
    let tally = job.simulate(
        &[compiled],
        draws,
        || HindcastTally::new(checks),
        |_| Ok(()),
    )?;
    Ok((tally.held, tally.at_by, tally.at_start))
}

/// What a hindcast keeps of its runs: per yes/no item the runs in which it held, per
/// continuous target histograms of its value at `by` and at the start.
struct HindcastTally<'a> {
    checks: &'a [Check],
    /// The run being read.
    run: RunItems,
    /// Per yes/no item, the runs in which it held.
    held: Vec<u64>,
    /// The continuous targets' values at `by`.
    at_by: Histograms,
    /// The continuous targets' values in the start month.
    at_start: Histograms,
}

impl<'a> HindcastTally<'a> {
    fn new(checks: &'a [Check]) -> Self {
        let histograms = || {
            checks
                .iter()
                .map(|c| match c.test {
                    OutcomeTest::ValueAt { .. } => vec![0u32; BINS],
                    _ => Vec::new(),
                })
                .collect::<Histograms>()
        };
        HindcastTally {
            checks,
            run: RunItems::new(checks),
            held: vec![0; checks.len()],
            at_by: histograms(),
            at_start: histograms(),
        }
    }
}

impl Tally for HindcastTally<'_> {
    fn observe(&mut self, _: usize, _: u64, month: usize, row: &[f64]) -> Result<()> {
        if month == 0 {
            self.run.begin(self.checks);
        }
        self.run.observe(self.checks, month, row);
        Ok(())
    }

    fn end_run(&mut self, done: &RunDone) -> Result<()> {
        self.run.end(self.checks, &done.spaces[0].events);
        for (k, c) in self.checks.iter().enumerate() {
            match c.test {
                OutcomeTest::ValueAt { .. } => {
                    self.at_by[k][bin(self.run.at_by[k])] += 1;
                    self.at_start[k][bin(self.run.at_start[k])] += 1;
                }
                _ => self.held[k] += u64::from(self.run.holds[k]),
            }
        }
        Ok(())
    }

    fn merge(&mut self, other: &Self) {
        for (total, part) in self.held.iter_mut().zip(&other.held) {
            *total += part;
        }
        for (totals, parts) in [
            (&mut self.at_by, &other.at_by),
            (&mut self.at_start, &other.at_start),
        ] {
            for (total, part) in totals.iter_mut().zip(parts) {
                for (t, p) in total.iter_mut().zip(part) {
                    *t += p;
                }
            }
        }
    }
}
