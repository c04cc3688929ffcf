//! `spheres hindcast`: runs a scenario that starts in the past and scores its `[[outcome]]`s
//! against what happened, with the Brier score of each outcome beside that of its base rate.

use super::driver::{Compiled, Folder, Job};
use super::{Ensemble, write_resolved};
use crate::engine::step::{Workspace, simulate};
use crate::error::{Error, Result};
use crate::output::manifest::{self, Experiment, Manifest};
use crate::output::{self, AtomicFile};
use crate::scenario::{Outcome, OutcomeTest, Scenario};
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
}

/// One outcome's score.
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

/// What a finished hindcast found (and wrote, with `--out`).
#[derive(Clone, Debug)]
pub struct HindcastReport {
    /// Runs of the scenario.
    pub runs: u64,
    /// The master seed.
    pub seed: u64,
    /// Each outcome's score, in file order.
    pub scores: Vec<Score>,
    /// Mean scores of the calibration outcomes, if any.
    pub calibration: Option<Mean>,
    /// Mean scores of the held-out outcomes, if any.
    pub held_out: Option<Mean>,
    /// Mean scores of all outcomes.
    pub all: Mean,
    /// The output folder, with `--out`.
    pub dir: Option<PathBuf>,
}

/// An outcome compiled against the model: state indices and the month it is read at.
struct Check {
    state: usize,
    /// Index of the state's alignment in the layout's cells.
    cell: usize,
    /// Months after the start of `by`.
    month: usize,
    test: OutcomeTest,
    /// Alignment cells of the states of `highest_at`, and the states.
    among: Vec<usize>,
    among_states: Vec<usize>,
}

struct Worker {
    ws: Workspace,
    /// Runs in which each outcome's test held.
    held: Vec<u64>,
    /// This run: whether `never_above` has been broken, whether `highest_at` held.
    broken: Vec<bool>,
    highest: Vec<bool>,
}

/// Runs the scenario's ensemble and scores its `[[outcome]]`s with Brier scores.
pub fn hindcast(opts: &HindcastOptions) -> Result<HindcastReport> {
    let scenario = super::load(
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
    let r = opts.ensemble.resolve(&scenario)?;
    let compiled = Compiled::new(scenario)?;
    let name = compiled.scenario.scenario.name.clone();
    // The folder (with --out) is prepared before anything is simulated.
    let label = super::Label {
        text: format!("hindcast {name}"),
        unit: "runs",
    };
    let job = Job::start(
        &opts.ensemble,
        &compiled,
        1,
        r,
        Folder::IfAsked(name),
        label,
    )?;
    let scenario = &compiled.scenario;
    let checks = checks(&compiled)?;
    let held = held(&job, &compiled, &checks)?;
    let scores: Vec<Score> = scenario
        .outcome
        .iter()
        .zip(&held)
        .zip(&checks)
        .map(|((o, &h), c)| score(o, h, r.runs, persistence(&compiled, c)))
        .collect();
    let report = HindcastReport {
        runs: r.runs,
        seed: r.seed,
        calibration: mean(scores.iter().filter(|s| !s.held_out), r.seed),
        held_out: mean(scores.iter().filter(|s| s.held_out), r.seed),
        all: mean(scores.iter(), r.seed)
            .ok_or_else(|| Error::Internal("no outcomes to score".into()))?,
        scores,
        dir: None,
    };
    match &job.dir {
        Some(dir) => write(scenario, dir, &job, report),
        None => Ok(report),
    }
}

/// What each outcome checks, in the layout's cells and the scenario's months.
fn checks(compiled: &Compiled) -> Result<Vec<Check>> {
    let (scenario, model, layout) = (&compiled.scenario, &compiled.model, &compiled.layout);
    let internal = |what: String| Error::Internal(what);
    let alignment_cell = |state: usize| {
        layout
            .cells
            .iter()
            .position(|(u, i, _)| u == &model.codes[state] && *i == "alignment")
            .ok_or_else(|| internal(format!("no alignment cell for {}", model.codes[state])))
    };
    let index = |code: &str| {
        scenario
            .state_index(code)
            .ok_or_else(|| internal(format!("state {code} vanished")))
    };
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
            .map(|&j| alignment_cell(j))
            .collect::<Result<_>>()?;
        let state = index(&o.state)?;
        checks.push(Check {
            state,
            cell: alignment_cell(state)?,
            month: scenario.scenario.start.months_until(o.by) as usize,
            test: o.test.clone(),
            among,
            among_states,
        });
    }
    Ok(checks)
}

/// In how many runs each outcome's test held.
fn held(job: &Job, compiled: &Compiled, checks: &[Check]) -> Result<Vec<u64>> {
    let (model, layout, seed) = (&compiled.model, &compiled.layout, job.resolved.seed);
    let workers = job.run(
        job.resolved.runs,
        || Worker {
            ws: Workspace::new(model, layout),
            held: vec![0; checks.len()],
            broken: vec![false; checks.len()],
            highest: vec![false; checks.len()],
        },
        |w, block| {
            for run in block {
                w.broken.fill(false);
                w.highest.fill(false);
                let (broken, highest) = (&mut w.broken, &mut w.highest);
                simulate(model, seed, run, &mut w.ws, &mut |month, row| {
                    for (k, c) in checks.iter().enumerate() {
                        match &c.test {
                            OutcomeTest::NeverAbove { value } if month <= c.month => {
                                broken[k] |= row[c.cell] > *value;
                            }
                            OutcomeTest::HighestAt { .. } if month == c.month => {
                                let own = row[c.cell];
                                highest[k] = c.among.iter().all(|&cell| row[cell] <= own);
                            }
                            _ => {}
                        }
                    }
                })
                .map_err(|v| Error::Internal(v.describe(model, layout)))?;
                for (k, c) in checks.iter().enumerate() {
                    let happened = |kind| {
                        w.ws.events.iter().any(|e| {
                            e.state == c.state && e.kind == kind && e.month as usize <= c.month
                        })
                    };
                    let holds = match c.test {
                        OutcomeTest::EventBy { event } => happened(event),
                        OutcomeTest::NoEventBy { event } => !happened(event),
                        OutcomeTest::NeverAbove { .. } => !w.broken[k],
                        OutcomeTest::HighestAt { .. } => w.highest[k],
                    };
                    w.held[k] += u64::from(holds);
                }
            }
            Ok(())
        },
        |done: Result<()>| done,
    )?;
    let mut held = vec![0u64; checks.len()];
    for w in &workers {
        for (total, part) in held.iter_mut().zip(&w.held) {
            *total += part;
        }
    }
    Ok(held)
}

/// The persistence forecast of a check: its test read on the start month, held to `by`.
fn persistence(compiled: &Compiled, c: &Check) -> f64 {
    let start = &compiled.model.alignment0;
    let holds = match &c.test {
        OutcomeTest::EventBy { .. } => false,
        OutcomeTest::NoEventBy { .. } => true,
        OutcomeTest::NeverAbove { value } => start[c.state] <= *value,
        OutcomeTest::HighestAt { .. } => c.among_states.iter().all(|&j| start[j] <= start[c.state]),
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

/// Mean scores of a set of outcomes and the model's skill against both references; the
/// bootstrap draws from a stream of the hindcast's seed.
fn mean<'a>(scores: impl Iterator<Item = &'a Score>, seed: u64) -> Option<Mean> {
    let scores: Vec<&Score> = scores.collect();
    let n = scores.len();
    let column = |f: fn(&Score) -> f64| scores.iter().map(|s| f(s)).collect::<Vec<f64>>();
    let (brier, base, persistence) = (
        column(|s| s.brier),
        column(|s| s.base_brier),
        column(|s| s.persistence_brier),
    );
    let average = |v: &[f64]| v.iter().sum::<f64>() / n as f64;
    (n > 0).then(|| Mean {
        outcomes: n,
        brier: average(&brier),
        base_brier: average(&base),
        persistence_brier: average(&persistence),
        skill_vs_base_rate: statistics::skill(&brier, &base, seed),
        skill_vs_persistence: statistics::skill(&brier, &persistence, seed),
    })
}

/// The report as a table for the terminal.
pub fn table(report: &HindcastReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} runs, seed {}", report.runs, report.seed);
    let _ = writeln!(
        out,
        "{:<34} {:>8} {:>8} {:>8} {:>9} {:>10} {:>11}  set",
        "outcome", "observed", "forecast", "Brier", "base rate", "base Brier", "persistence"
    );
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
            if s.held_out {
                "held out"
            } else {
                "calibration"
            }
        );
    }
    for (name, m) in [
        ("calibration", report.calibration),
        ("held out", report.held_out),
        ("all", Some(report.all)),
    ] {
        if let Some(m) = m {
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
    }
    let _ = writeln!(
        out,
        "reliability: forecasts in bins, and how often they happened"
    );
    for b in reliability(&report.scores) {
        let _ = writeln!(
            out,
            "  {:.1}-{:.1}: {:>3} outcomes, mean forecast {:.3}, happened {:.3}",
            b.low, b.high, b.forecasts, b.mean_forecast, b.observed_share
        );
    }
    let _ = writeln!(
        out,
        "skill = 1 - Brier / reference Brier (1 perfect, 0 no better than the reference); \
         in brackets its bootstrap 95 % interval over the outcomes"
    );
    out
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

/// Writes hindcast.csv, reliability.csv, the resolved scenario, the page (unless
/// `--no-charts`) and the manifest.
fn write(
    scenario: &Scenario,
    dir: &Path,
    job: &Job,
    mut report: HindcastReport,
) -> Result<HindcastReport> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(output::columns::HINDCAST)?;
    for s in &report.scores {
        w.write_record([
            s.id.clone(),
            s.observed.to_string(),
            output::number(s.forecast),
            output::number(s.brier),
            output::number(s.base_rate),
            output::number(s.base_brier),
            s.held_out.to_string(),
            output::number(s.persistence),
            output::number(s.persistence_brier),
        ])?;
    }
    AtomicFile::write(dir, "hindcast.csv", &w.into_inner()?)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(output::columns::RELIABILITY)?;
    for b in reliability(&report.scores) {
        w.write_record([
            output::number(b.low),
            output::number(b.high),
            b.forecasts.to_string(),
            output::number(b.mean_forecast),
            output::number(b.observed_share),
        ])?;
    }
    AtomicFile::write(dir, "reliability.csv", &w.into_inner()?)?;
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
    job.finish(Manifest::new(
        Experiment::Hindcast(manifest::Hindcast {
            scenario: scenario.scenario.name.clone(),
            scenario_sha256: sha,
            calibration: report.calibration.map(brier),
            held_out: report.held_out.map(brier),
            all: brier(report.all),
        }),
        report.seed,
        report.runs,
        &job.ensemble.command_line,
        super::files(&["hindcast.csv", "reliability.csv", "scenario.resolved.toml"]),
    ))?;
    report.dir = Some(dir.to_path_buf());
    Ok(report)
}
