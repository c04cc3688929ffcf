//! `spheres levers`: what each power's spending on each lever does. For every power and lever
//! with a budget, the scenario runs again with that budget ×0 and ×2 from its start month (a
//! policy: the status quo, and so the start, stay the same), on common random numbers with the
//! scenario itself; levers.csv gives the paired effect at the horizon on every state's
//! alignment and on the regional indicators.

use super::compare::{self, Paired, matched};
use super::{Ensemble, moments};
use crate::error::{Error, Result};
use crate::model::indicators::Cell;
use crate::model::{Model, response};
use crate::output::manifest::{self, Experiment, Manifest};
use crate::output::{AtomicFile, Number, columns};
use crate::scenario::{Lever, Policy, Scenario};
use crate::statistics::t95;
use std::path::PathBuf;

/// The budget multipliers each lever is probed with.
pub const MULTIPLIERS: [f64; 2] = [0.0, 2.0];

/// What each lever's pull is multiplied by in responses.csv.
pub const PULL_MULTIPLIERS: [f64; 9] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0];

/// Runs per scenario when `--runs` is not given: 2 × (levers with a budget) + 1 scenarios run.
pub const DEFAULT_RUNS: u64 = 200;

/// What `spheres levers` was asked to do.
#[derive(Clone, Debug)]
pub struct LeversOptions {
    /// A scenario file, or the name of a bundled scenario.
    pub scenario: String,
    /// Runs default to [`DEFAULT_RUNS`], the seed to the scenario's.
    pub ensemble: Ensemble,
}

/// One probe: a power's budget on a lever, times a multiplier, from the start.
#[derive(Clone, Debug, PartialEq)]
pub struct Probe {
    /// Code of the power.
    pub power: String,
    /// The lever.
    pub lever: Lever,
    /// The budget in force in the start month (the status quo, or a policy from the start),
    /// M EUR per year.
    pub budget_meur_per_year: f64,
    /// What the budget is multiplied by.
    pub multiplier: f64,
}

/// What a finished lever table wrote.
#[derive(Clone, Debug)]
pub struct LeversReport {
    /// The output folder.
    pub dir: PathBuf,
    /// Runs of the scenario and of each probe.
    pub runs: u64,
    /// The master seed.
    pub seed: u64,
    /// Wall time, seconds.
    pub wall_seconds: f64,
    /// Probes run (powers × levers × multipliers).
    pub probes: usize,
}

/// The probes of a scenario: every power and lever with a budget in force at the start or set
/// by a later policy, each with every multiplier.
pub fn probes(s: &Scenario) -> Vec<Probe> {
    let mut out = Vec::new();
    for power in &s.power {
        for lever in Lever::ALL {
            let k = lever as usize;
            let mine = || s.policy.iter().filter(|p| p.power == power.code);
            let at_start = mine()
                .filter(|p| p.from <= s.scenario.start)
                .filter_map(|p| p.budget[k])
                .next_back()
                .unwrap_or(power.budget[k]);
            let later = mine()
                .filter(|p| p.from > s.scenario.start)
                .any(|p| p.budget[k].is_some_and(|b| b > 0.0));
            if at_start > 0.0 || later {
                for multiplier in MULTIPLIERS {
                    out.push(Probe {
                        power: power.code.clone(),
                        lever,
                        budget_meur_per_year: at_start,
                        multiplier,
                    });
                }
            }
        }
    }
    out
}

/// `s` with the probe's budget multiplied from the start month: a policy from the start scales
/// the status-quo budget, and every policy of the power on the lever is scaled alike.
pub fn probed(s: &Scenario, probe: &Probe) -> Scenario {
    let k = probe.lever as usize;
    let mut out = s.clone();
    for p in out.policy.iter_mut().filter(|p| p.power == probe.power) {
        if let Some(b) = &mut p.budget[k] {
            *b *= probe.multiplier;
        }
    }
    let mut budget = [None; Lever::COUNT];
    budget[k] = Some(probe.budget_meur_per_year * probe.multiplier);
    // First in the list, so that the scenario's own (scaled) policies of the start month win.
    out.policy.insert(
        0,
        Policy {
            id: "levers-probe".into(),
            power: probe.power.clone(),
            from: s.scenario.start,
            budget,
            description: String::new(),
        },
    );
    out
}

/// Runs the scenario and every probe on common random numbers and writes levers.csv, the
/// resolved scenario, the heatmap and manifest.json.
pub fn levers(opts: &LeversOptions) -> Result<LeversReport> {
    let (tree, base) = super::load_tree(
        &opts.scenario,
        &opts.ensemble.sets,
        opts.ensemble.terminal(),
    )?;
    let probes = probes(&base);
    if probes.is_empty() {
        return Err(Error::Input(format!(
            "{}: no power has a budget, so there is no lever to probe",
            opts.scenario
        )));
    }
    // The scenario's tree keeps its files apart from --out (its numbers are not drawn here).
    let mut scenarios = vec![(opts.scenario.clone(), Some(tree), base.clone())];
    for p in &probes {
        let label = format!(
            "{} with {}'s {} budget × {}",
            opts.scenario,
            p.power,
            p.lever.name(),
            p.multiplier
        );
        scenarios.push((label, None, probed(&base, p)));
    }
    // Probes change budgets in the typed scenario, so they run at the scenario's own numbers.
    let ensemble = Ensemble {
        runs: opts.ensemble.runs.or(Some(DEFAULT_RUNS)),
        fixed: true,
        ..opts.ensemble.clone()
    };
    let paired = compare::run_arms(scenarios, &ensemble, "levers")?;
    write_levers(&paired, &probes)?;
    let job = &paired.job;
    AtomicFile::write(job.dir()?, "responses.csv", &responses(&base)?)?;
    let (dir, runs, seed) = (job.dir()?.clone(), job.spec.runs, job.spec.seed);
    super::write_indicators(&dir, &paired.arms[0].unit.layout)?;
    let sha = super::write_resolved(&dir, &base)?;
    let wall_seconds = job.wall_seconds();
    job.finish(Manifest::new(
            Experiment::Levers(manifest::Levers {
                scenario: base.scenario.name.clone(),
                scenario_sha256: sha,
                model: super::model_kind(&paired.arms[0].unit.model),
                months: base.scenario.months,
                start: base.scenario.start.to_string(),
                threads: job.spec.threads,
                wall_seconds,
                multipliers: MULTIPLIERS.to_vec(),
                probes: probes.len(),
                what: "effect = paired mean difference (probe - scenario) at the horizon, with a 95 % t interval over runs; each probe multiplies one power's budget on one lever from the start month".into(),
            }),
            seed,
            runs,
            &ensemble.command_line,
            super::files(&[
                "levers.csv",
                "responses.csv",
                "indicators.csv",
                "scenario.resolved.toml",
            ]),
        ))?;
    Ok(LeversReport {
        dir,
        runs,
        seed,
        wall_seconds,
        probes: probes.len(),
    })
}

/// responses.csv: every state's long-run response to its own stock of each lever
/// (`model::response`), at the lever's pull times each of [`PULL_MULTIPLIERS`] (the present held
/// anew at each), so that a response the panel shows can be turned into a range of pulls.
fn responses(s: &Scenario) -> Result<Vec<u8>> {
    let mut w = columns::table::<columns::ResponseRow>()?;
    for lever in Lever::ALL {
        for multiplier in PULL_MULTIPLIERS {
            let mut probed = s.clone();
            probed.lever[lever as usize].pull *= multiplier;
            let model = Model::compile(&probed)?;
            for (i, code) in model.codes.iter().enumerate() {
                let Some(response) = response::long_run_response(&model, i, lever) else {
                    continue;
                };
                w.serialize(columns::ResponseRow {
                    lever: lever.name(),
                    pull_multiplier: Number(multiplier),
                    pull: Number(probed.lever[lever as usize].pull),
                    state: code,
                    stock: Number(model.initial.stock[lever as usize][i]),
                    response_per_unit: Number(response),
                })?;
            }
        }
    }
    Ok(w.into_inner()?)
}

/// Whether levers.csv reports a cell: every alignment (states, parents, the region's mean)
/// and every regional indicator.
fn reported(unit: &str, indicator: &str) -> bool {
    unit == "region" || indicator == "alignment"
}

/// Writes levers.csv: for each probe, its paired effect at the horizon on every reported cell.
fn write_levers(paired: &Paired, probes: &[Probe]) -> Result<()> {
    let base = &paired.summaries[0];
    let last = base.rows() - 1;
    let runs = paired.job.spec.runs;
    let (n, t) = (runs as f64, t95(runs.saturating_sub(1)));
    let mut w = columns::table::<columns::LeverRow>()?;
    for (v, probe) in probes.iter().enumerate() {
        let arm = &paired.arms[v + 1];
        for (matched_index, (cell, b)) in matched(arm).enumerate() {
            let Cell {
                unit, indicator, ..
            } = &arm.unit.layout.cells[cell];
            if !reported(unit, indicator) {
                continue;
            }
            let (effect, sd) = paired.differences[v].mean_sd(matched_index);
            let half = t * sd / n.sqrt();
            w.serialize(columns::LeverRow {
                power: &probe.power,
                lever: probe.lever.name(),
                budget_meur_per_year: Number(probe.budget_meur_per_year),
                multiplier: Number(probe.multiplier),
                state: unit,
                indicator,
                baseline: Number(moments(base, last, b)?.mean),
                variant: Number(moments(&paired.summaries[v + 1], last, cell)?.mean),
                effect: Number(effect),
                effect_low: Number(effect - half),
                effect_high: Number(effect + half),
            })?;
        }
    }
    AtomicFile::write(paired.job.dir()?, "levers.csv", &w.into_inner()?)?;
    Ok(())
}
