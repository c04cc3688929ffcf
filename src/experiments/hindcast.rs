//! `spheres hindcast`: runs a scenario that starts in the past and scores its `[[outcome]]`s
//! against what happened: yes/no outcomes with Brier scores, continuous targets (`value_at`)
//! with the CRPS and the coverage of predictive intervals, each beside its base rate and
//! persistence (docs/VALIDATION.md).

use super::draws::Draws;
use super::driver::{Compiled, Folder, Job, RunDone, Tally};
use super::{Ensemble, write_resolved};
use crate::engine::step::{Workspace, simulate};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::model::events::RunEvent;
use crate::model::indicators::Layout;
use crate::output::manifest::{self, Experiment, Manifest};
use crate::output::{self, AtomicFile};
use crate::scenario::{Known, Outcome, OutcomeTest, Reading, Scenario};
use crate::statistics::{self, Skill};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// What `spheres hindcast` was asked to do; with `ensemble.out` it also writes hindcast.csv.
#[derive(Clone, Debug)]
pub struct HindcastOptions {
    /// A scenario file, or the name of a bundled scenario.
    pub scenario: String,
    /// Runs, seed, threads and `--out`.
    pub ensemble: Ensemble,
    /// Replay only the events known at the origin (`known = "origin"`), not those marked
    /// `known = "hindsight"`.
    pub known_only: bool,
}

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
    /// The reference value (the outcome's `base_rate`) and its CRPS.
    pub base_rate: f64,
    /// The CRPS of the base rate (a point forecast, dressed alike).
    pub base_crps: f64,
    /// The start month's median (undressed), carried forward, and the CRPS of the start
    /// month's dressed ensemble.
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
    /// Skill against the base rates and against persistence, with bootstrap 95 % intervals
    /// over the outcomes; `None` where the reference is perfect on every outcome.
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
    /// Shares of observations inside the central 50 % and 90 % intervals.
    pub coverage_50: f64,
    /// Share of observations inside the central 90 % predictive interval.
    pub coverage_90: f64,
}

/// The means of the calibration set, the held-out set and all items.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sets<T> {
    /// Items used for calibration.
    pub calibration: Option<T>,
    /// Items held out.
    pub held_out: Option<T>,
    /// Every item.
    pub all: Option<T>,
}

/// What a finished hindcast found.
#[derive(Clone, Debug)]
pub struct HindcastReport {
    /// Runs of the scenario.
    pub runs: u64,
    /// The master seed.
    pub seed: u64,
    /// Each outcome's score, in file order.
    pub scores: Vec<Score>,
    /// Every continuous target's scores.
    pub continuous: Vec<ContinuousScore>,
    /// Mean Brier scores per set.
    pub brier: Sets<Mean>,
    /// Mean CRPS per set.
    pub crps: Sets<CrpsMean>,
    /// Whether only the events known at the origin were replayed, and the events left out.
    pub known_only: bool,
    /// Events left out as hindsight (with `--known-only`).
    pub left_out: Vec<String>,
    /// The output folder, when one was written.
    pub dir: Option<PathBuf>,
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

/// Bins of the histogram of a continuous target's values over [−1, 1] (width 0.001): counts
/// add without floating point, so the scores are the same for any thread count.
const BINS: usize = 2000;

/// An outcome compiled against the model: state indices and the months it is read at.
pub(super) struct Check {
    state: usize,
    /// Index of the cell it reads (the state's alignment, or its public opinion for
    /// `value_at` on `public_opinion`).
    cell: usize,
    /// Months after the start of `by` and, for `shift`, of `from`.
    month: usize,
    from: usize,
    test: OutcomeTest,
    /// Alignment cells of the states of `highest_at`, and the states.
    among: Vec<usize>,
    among_states: Vec<usize>,
}

/// What one run says of each item: whether a yes/no test held; a continuous target's value at
/// `by` and at the start.
pub(super) struct RunItems {
    pub holds: Vec<bool>,
    pub at_by: Vec<f64>,
    pub at_start: Vec<f64>,
    /// The value at a shift's `from`.
    from_value: Vec<f64>,
}

impl RunItems {
    pub fn new(checks: &[Check]) -> RunItems {
        RunItems {
            holds: vec![false; checks.len()],
            at_by: vec![0.0; checks.len()],
            at_start: vec![0.0; checks.len()],
            from_value: vec![0.0; checks.len()],
        }
    }
}

impl RunItems {
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
pub(super) fn run_items(
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

/// Runs the scenario's ensemble and scores its `[[outcome]]`s with Brier scores.
pub fn hindcast(opts: &HindcastOptions) -> Result<HindcastReport> {
    let (tree, mut scenario) = super::load_tree(
        &opts.scenario,
        &opts.ensemble.sets,
        opts.ensemble.terminal(),
    )?;
    if scenario.outcome.is_empty() {
        return Err(Error::Input(format!(
            "{}: has no [[outcome]] to score; a hindcast scenario lists what happened (docs/SCENARIOS.md)",
            opts.scenario
        )));
    }
    let left_out = if opts.known_only {
        known_only(&mut scenario)
    } else {
        Vec::new()
    };
    let r = opts.ensemble.resolve(&scenario)?;
    let compiled = Compiled::new(scenario)?;
    let name = compiled.scenario.scenario.name.clone();
    // The folder (with --out) is prepared before anything is simulated.
    let label = super::Label {
        text: format!("hindcast {name}"),
        unit: "runs",
    };
    let mut job = Job::start(
        &opts.ensemble,
        &[&compiled],
        &tree.files(),
        r,
        Folder::IfAsked(name),
        label,
    )?;
    let items = score_items(&mut job, &compiled)?;
    let report = HindcastReport {
        runs: r.runs,
        seed: r.seed,
        brier: sets(&items.binary, |s| s.held_out, |v| mean(v, r.seed)),
        crps: sets(&items.continuous, |s| s.held_out, |v| crps_mean(v, r.seed)),
        scores: items.binary,
        continuous: items.continuous,
        known_only: opts.known_only,
        left_out,
        dir: None,
    };
    match &job.dir {
        Some(dir) => write(&compiled.scenario, dir, &job, report),
        None => Ok(report),
    }
}

/// Removes the events known only with hindsight; returns their ids.
fn known_only(scenario: &mut Scenario) -> Vec<String> {
    let (known, hindsight) = std::mem::take(&mut scenario.event)
        .into_iter()
        .partition(|e| e.known == Known::Origin);
    scenario.event = known;
    hindsight.into_iter().map(|e| e.id).collect::<Vec<_>>()
}

/// Every outcome of `compiled` forecast over `job.resolved.runs` runs of `job.resolved.seed`
/// (on the job's threads) and scored: yes/no outcomes by the Brier score, continuous targets
/// by the CRPS, each beside its base rate and persistence.
pub(super) fn score_items(job: &mut Job, compiled: &Compiled) -> Result<Items> {
    let checks = checks(compiled)?;
    let (held, at_by, at_start) = tally(job, compiled, &checks)?;
    let runs = job.resolved.runs;
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
                .push(score(o, held[k], runs, persistence(compiled, c))),
        }
    }
    Ok(items)
}

/// What each outcome checks, in the layout's cells and the scenario's months.
pub(super) fn checks(compiled: &Compiled) -> Result<Vec<Check>> {
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

/// The bin of a value in [−1, 1], and a bin's centre.
fn bin(v: f64) -> usize {
    (((v + 1.0) / 2.0 * BINS as f64) as usize).min(BINS - 1)
}

fn centre(b: usize) -> f64 {
    -1.0 + (b as f64 + 0.5) * 2.0 / BINS as f64
}

/// Histograms of a continuous target: per check, its values at `by` and at the start.
type Histograms = Vec<Vec<u32>>;

/// In how many runs each yes/no outcome's test held, and the histograms of the continuous
/// targets (empty for the other outcomes).
fn tally(
    job: &mut Job,
    compiled: &Compiled,
    checks: &[Check],
) -> Result<(Vec<u64>, Histograms, Histograms)> {
    let draws = Draws::fixed(job.resolved.runs);
    let tally = job.simulate(
        &[compiled],
        &draws,
        || HindcastTally::new(checks),
        |_| Ok(()),
    )?;
    Ok((tally.held, tally.at_by, tally.at_start))
}

/// What a hindcast keeps of its runs: per yes/no item the runs in which it held, per
/// continuous target histograms of its value at `by` and at the start.
struct HindcastTally<'a> {
    checks: &'a [Check],
    run: RunItems,
    held: Vec<u64>,
    at_by: Histograms,
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

/// The persistence forecast of a yes/no check: its test read on the start month, held to `by`.
fn persistence(compiled: &Compiled, c: &Check) -> f64 {
    let start = &compiled.model.initial.alignment;
    let holds = match &c.test {
        OutcomeTest::EventBy { .. } => false,
        OutcomeTest::NoEventBy { .. } => true,
        OutcomeTest::NeverAbove { value } | OutcomeTest::AtMost { value } => {
            start[c.state] <= *value
        }
        OutcomeTest::HighestAt { .. } => c.among_states.iter().all(|&j| start[j] <= start[c.state]),
        // Nothing moves: a shift holds only if it asks for none.
        OutcomeTest::Shift { value, .. } => *value <= 0.0,
        OutcomeTest::ValueAt { .. } => false,
    };
    if holds { 1.0 } else { 0.0 }
}

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
fn sets<S, T>(scores: &[S], held_out: fn(&S) -> bool, f: impl Fn(&[&S]) -> Option<T>) -> Sets<T> {
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
fn mean(scores: &[&Score], seed: u64) -> Option<Mean> {
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
fn crps_mean(scores: &[&ContinuousScore], seed: u64) -> Option<CrpsMean> {
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

/// The three sets' rows of a table: name and mean, where the set has items.
fn rows<T: Copy>(sets: &Sets<T>) -> Vec<(&'static str, T)> {
    [
        ("calibration", sets.calibration),
        ("held out", sets.held_out),
        ("all", sets.all),
    ]
    .into_iter()
    .filter_map(|(name, m)| m.map(|m| (name, m)))
    .collect()
}

/// The report as a table for the terminal.
pub fn table(report: &HindcastReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} runs, seed {}; {}",
        report.runs,
        report.seed,
        inputs(report.known_only, &report.left_out)
    );
    let set = |held_out: bool| if held_out { "held out" } else { "calibration" };
    if !report.scores.is_empty() {
        let _ = writeln!(
            out,
            "{:<34} {:>8} {:>8} {:>8} {:>9} {:>10} {:>11}  set",
            "outcome", "observed", "forecast", "Brier", "base rate", "base Brier", "persistence"
        );
    }
    for s in &report.scores {
        let _ = writeln!(
            out,
            "{:<34} {:>8} {:>8.3} {:>8.4} {:>9.3} {:>10.4} {:>11.0}  {}",
            s.id,
            if s.observed { "yes" } else { "no" },
            s.forecast,
            s.brier,
            s.base_rate,
            s.base_brier,
            s.persistence,
            set(s.held_out)
        );
    }
    for (name, m) in rows(&report.brier) {
        let _ = writeln!(
            out,
            "mean Brier, {name:<11} ({} outcomes): {:.4}; base rate {:.4}, skill {}; persistence {:.4}, skill {}",
            m.outcomes,
            m.brier,
            m.base_brier,
            said(m.skill_vs_base_rate),
            m.persistence_brier,
            said(m.skill_vs_persistence),
        );
    }
    if !report.scores.is_empty() {
        let _ = writeln!(
            out,
            "reliability: forecasts in bins, and how often they happened"
        );
    }
    for b in reliability(&report.scores) {
        let _ = writeln!(
            out,
            "  {:.1}-{:.1}: {:>3} outcomes, mean forecast {:.3}, happened {:.3}",
            b.low, b.high, b.forecasts, b.mean_forecast, b.observed_share
        );
    }
    if !report.continuous.is_empty() {
        let _ = writeln!(
            out,
            "{:<34} {:>8} {:>6} {:>8} {:>17} {:>7} {:>9} {:>8} {:>11} {:>8}  set",
            "continuous target",
            "observed",
            "error",
            "median",
            "90 % interval",
            "CRPS",
            "base rate",
            "its CRPS",
            "persistence",
            "its CRPS"
        );
    }
    for s in &report.continuous {
        let q = s.quantiles;
        let _ = writeln!(
            out,
            "{:<34} {:>+8.3} {:>6.3} {:>+8.3} [{:>+6.3}, {:>+6.3}] {:>7.4} {:>+9.3} {:>8.4} {:>+11.3} {:>8.4}  {}",
            s.id,
            s.observed,
            s.error,
            q[2],
            q[0],
            q[4],
            s.crps,
            s.base_rate,
            s.base_crps,
            s.persistence,
            s.persistence_crps,
            set(s.held_out)
        );
    }
    for (name, m) in rows(&report.crps) {
        let _ = writeln!(
            out,
            "mean CRPS, {name:<11} ({} targets): {:.4}; base rate {:.4}, skill {}; persistence {:.4}, skill {}; in the 50 % interval {:.0} %, in the 90 % interval {:.0} %",
            m.items,
            m.crps,
            m.base_crps,
            said(m.skill_vs_base_rate),
            m.persistence_crps,
            said(m.skill_vs_persistence),
            m.coverage_50 * 100.0,
            m.coverage_90 * 100.0,
        );
    }
    let _ = writeln!(
        out,
        "skill = 1 - score / reference score (1 perfect, 0 no better than the reference); \
         in brackets its bootstrap 95 % interval over the items"
    );
    out
}

/// Which events were replayed, in words.
fn inputs(known_only: bool, left_out: &[String]) -> String {
    match (known_only, left_out.len()) {
        (false, _) => "every event replayed (including those known only with hindsight)".into(),
        (true, 0) => "only events known at the origin (none was marked hindsight)".into(),
        (true, n) => {
            format!("only events known at the origin ({n} known only with hindsight left out)")
        }
    }
}

/// The model's forecasts in ten bins of probability, with how often what they forecast happened.
fn reliability(scores: &[Score]) -> Vec<statistics::ReliabilityBin> {
    let forecasts: Vec<f64> = scores.iter().map(|s| s.forecast).collect();
    let observed: Vec<bool> = scores.iter().map(|s| s.observed).collect();
    statistics::reliability(&forecasts, &observed, 10)
}

/// A skill score and its interval, or why there is none.
fn said(skill: Option<Skill>) -> String {
    match skill {
        Some(s) => format!("{:+.2} [{:+.2}, {:+.2}]", s.score, s.low, s.high),
        None => "undefined (the reference is perfect)".into(),
    }
}

/// A table's bytes: its header, then its rows.
fn csv_bytes(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    for row in rows {
        w.write_record(row)?;
    }
    Ok(w.into_inner()?)
}

/// Writes hindcast.csv, continuous.csv, reliability.csv, the resolved scenario, the page
/// (unless `--no-charts`) and the manifest.
fn write(
    scenario: &Scenario,
    dir: &Path,
    job: &Job,
    mut report: HindcastReport,
) -> Result<HindcastReport> {
    let inputs = if report.known_only { "origin" } else { "all" };
    let number = |v: f64| output::number(v);
    let hindcast = csv_bytes(
        &output::columns::HINDCAST,
        report.scores.iter().map(|s| {
            vec![
                s.id.clone(),
                s.observed.to_string(),
                number(s.forecast),
                number(s.brier),
                number(s.base_rate),
                number(s.base_brier),
                s.held_out.to_string(),
                number(s.persistence),
                number(s.persistence_brier),
                inputs.to_string(),
            ]
        }),
    )?;
    AtomicFile::write(dir, "hindcast.csv", &hindcast)?;
    let continuous = csv_bytes(
        &output::columns::CONTINUOUS,
        report.continuous.iter().map(|s| {
            let (in50, in90) = s.covered();
            let mut row = vec![
                s.id.clone(),
                s.reading.name().to_string(),
                number(s.observed),
                number(s.error),
            ];
            row.extend(s.quantiles.map(number));
            row.extend([
                number(s.crps),
                number(s.base_rate),
                number(s.base_crps),
                number(s.persistence),
                number(s.persistence_crps),
                in50.to_string(),
                in90.to_string(),
                s.held_out.to_string(),
            ]);
            row
        }),
    )?;
    AtomicFile::write(dir, "continuous.csv", &continuous)?;
    let reliability = csv_bytes(
        &output::columns::RELIABILITY,
        reliability(&report.scores).into_iter().map(|b| {
            vec![
                number(b.low),
                number(b.high),
                b.forecasts.to_string(),
                number(b.mean_forecast),
                number(b.observed_share),
            ]
        }),
    )?;
    AtomicFile::write(dir, "reliability.csv", &reliability)?;
    let sha = write_resolved(dir, scenario)?;
    let typed = |s: Skill| manifest::Skill {
        score: s.score,
        low: s.low,
        high: s.high,
    };
    let brier = |m: Mean| manifest::Brier {
        outcomes: m.outcomes,
        brier: m.brier,
        base_brier: m.base_brier,
        persistence_brier: m.persistence_brier,
        skill_vs_base_rate: m.skill_vs_base_rate.map(typed),
        skill_vs_persistence: m.skill_vs_persistence.map(typed),
    };
    let crps = |m: CrpsMean| manifest::Crps {
        items: m.items,
        crps: m.crps,
        base_crps: m.base_crps,
        persistence_crps: m.persistence_crps,
        skill_vs_base_rate: m.skill_vs_base_rate.map(typed),
        skill_vs_persistence: m.skill_vs_persistence.map(typed),
        coverage_50: m.coverage_50,
        coverage_90: m.coverage_90,
    };
    job.finish(Manifest::new(
        Experiment::Hindcast(Box::new(manifest::Hindcast {
            scenario: scenario.scenario.name.clone(),
            scenario_sha256: sha,
            known_only: report.known_only,
            events_left_out: report.left_out.clone(),
            calibration: report.brier.calibration.map(brier),
            held_out: report.brier.held_out.map(brier),
            all: report.brier.all.map(brier),
            crps_calibration: report.crps.calibration.map(crps),
            crps_held_out: report.crps.held_out.map(crps),
            crps_all: report.crps.all.map(crps),
        })),
        report.seed,
        report.runs,
        &job.ensemble.command_line,
        super::files(&[
            "hindcast.csv",
            "continuous.csv",
            "reliability.csv",
            "scenario.resolved.toml",
        ]),
    ))?;
    report.dir = Some(dir.to_path_buf());
    Ok(report)
}
