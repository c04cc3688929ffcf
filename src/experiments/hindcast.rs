//! `spheres hindcast`: runs a scenario that starts in the past and scores its `[[outcome]]`s
//! against what happened, with the Brier score of each outcome beside that of its base rate.

use super::driver::{Compiled, Folder, Job};
use super::{Ensemble, write_resolved};
use crate::engine::step::{Workspace, simulate};
use crate::error::{Error, Result};
use crate::output::manifest::{self, Experiment, Manifest};
use crate::output::{self, AtomicFile};
use crate::scenario::{Outcome, OutcomeTest, Scenario};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// What `spheres hindcast` was asked to do; with `ensemble.out` it also writes hindcast.csv.
#[derive(Clone, Debug)]
pub struct HindcastOptions {
    pub scenario: String,
    pub ensemble: Ensemble,
}

/// One outcome's score.
#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    pub id: String,
    pub observed: bool,
    /// Share of runs in which the outcome's test held.
    pub forecast: f64,
    pub brier: f64,
    pub base_rate: f64,
    pub base_brier: f64,
    pub held_out: bool,
}

/// Mean Brier scores of a set of outcomes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mean {
    pub outcomes: usize,
    pub brier: f64,
    pub base_brier: f64,
}

#[derive(Clone, Debug)]
pub struct HindcastReport {
    pub runs: u64,
    pub seed: u64,
    pub scores: Vec<Score>,
    pub calibration: Option<Mean>,
    pub held_out: Option<Mean>,
    pub all: Mean,
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
    /// Alignment cells of the states of `highest_at`.
    among: Vec<usize>,
}

struct Worker {
    ws: Workspace,
    /// Runs in which each outcome's test held.
    held: Vec<u64>,
    /// This run: whether `never_above` has been broken, whether `highest_at` held.
    broken: Vec<bool>,
    highest: Vec<bool>,
}

pub fn hindcast(opts: &HindcastOptions) -> Result<HindcastReport> {
    let scenario = super::load(&opts.scenario, &opts.ensemble.sets)?;
    if scenario.outcome.is_empty() {
        return Err(Error::Input(format!(
            "{}: has no [[outcome]] to score; a hindcast scenario lists what happened (docs/SCENARIOS.md)",
            opts.scenario
        )));
    }
    let r = opts.ensemble.resolve(&scenario)?;
    let unit = Compiled::new(scenario)?;
    let name = unit.scenario.scenario.name.clone();
    // The folder (with --out) is prepared before anything is simulated.
    let label = super::Label {
        text: format!("hindcast {name}"),
        unit: "runs",
    };
    let job = Job::start(&opts.ensemble, &unit, 1, r, Folder::IfAsked(name), label)?;
    let (scenario, model, layout) = (&unit.scenario, &unit.model, &unit.layout);
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
        let among = match &o.test {
            OutcomeTest::HighestAt { among } => among
                .iter()
                .map(|c| alignment_cell(index(c)?))
                .collect::<Result<_>>()?,
            _ => Vec::new(),
        };
        let state = index(&o.state)?;
        checks.push(Check {
            state,
            cell: alignment_cell(state)?,
            month: scenario.scenario.start.months_until(o.by) as usize,
            test: o.test.clone(),
            among,
        });
    }
    let workers = job.run(
        r.runs,
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
                simulate(model, r.seed, run, &mut w.ws, &mut |month, row| {
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
    let scores: Vec<Score> = scenario
        .outcome
        .iter()
        .zip(&held)
        .map(|(o, &h)| score(o, h, r.runs))
        .collect();
    let report = HindcastReport {
        runs: r.runs,
        seed: r.seed,
        calibration: mean(scores.iter().filter(|s| !s.held_out)),
        held_out: mean(scores.iter().filter(|s| s.held_out)),
        all: mean(scores.iter()).ok_or_else(|| Error::Internal("no outcomes to score".into()))?,
        scores,
        dir: None,
    };
    match &job.dir {
        Some(dir) => write(scenario, dir, &job, report),
        None => Ok(report),
    }
}

fn score(o: &Outcome, held: u64, runs: u64) -> Score {
    let observed = if o.observed { 1.0 } else { 0.0 };
    let forecast = held as f64 / runs as f64;
    Score {
        id: o.id.clone(),
        observed: o.observed,
        forecast,
        brier: (forecast - observed).powi(2),
        base_rate: o.base_rate,
        base_brier: (o.base_rate - observed).powi(2),
        held_out: o.held_out,
    }
}

fn mean<'a>(scores: impl Iterator<Item = &'a Score>) -> Option<Mean> {
    let (mut n, mut brier, mut base) = (0, 0.0, 0.0);
    for s in scores {
        n += 1;
        brier += s.brier;
        base += s.base_brier;
    }
    (n > 0).then(|| Mean {
        outcomes: n,
        brier: brier / n as f64,
        base_brier: base / n as f64,
    })
}

/// The report as a table for the terminal.
pub fn table(report: &HindcastReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} runs, seed {}", report.runs, report.seed);
    let _ = writeln!(
        out,
        "{:<34} {:>8} {:>8} {:>8} {:>9} {:>10}  set",
        "outcome", "observed", "forecast", "Brier", "base rate", "base Brier"
    );
    for s in &report.scores {
        let _ = writeln!(
            out,
            "{:<34} {:>8} {:>8.3} {:>8.4} {:>9.3} {:>10.4}  {}",
            s.id,
            if s.observed { "yes" } else { "no" },
            s.forecast,
            s.brier,
            s.base_rate,
            s.base_brier,
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
                "mean Brier, {name:<11} ({} outcomes): {:.4}  (base rate {:.4}, skill {:+.2})",
                m.outcomes,
                m.brier,
                m.base_brier,
                skill(m)
            );
        }
    }
    out
}

/// Brier skill score against the base rate: 1 is perfect, 0 no better than the base rate.
pub fn skill(m: Mean) -> f64 {
    if m.base_brier > 0.0 {
        1.0 - m.brier / m.base_brier
    } else {
        0.0
    }
}

/// Writes hindcast.csv, the resolved scenario and the manifest (a hindcast has no charts).
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
        ])?;
    }
    AtomicFile::write(dir, "hindcast.csv", &w.into_inner()?)?;
    let sha = write_resolved(dir, scenario)?;
    let brier = |m: Mean| manifest::Brier {
        outcomes: m.outcomes,
        brier: m.brier,
        base_brier: m.base_brier,
    };
    job.finish_without_charts(Manifest::new(
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
        super::files(&["hindcast.csv", "scenario.resolved.toml"]),
    ))?;
    report.dir = Some(dir.to_path_buf());
    Ok(report)
}
