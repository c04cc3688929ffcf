//! A calibration's folder (posterior.csv, generations.csv, marginals.csv, the resolved
//! scenario and the manifest) and its table for the terminal.

use super::super::driver::{Compiled, Job};
use super::super::write_resolved;
use super::{CalibrateOptions, CalibrateReport};
use crate::error::Result;
use crate::output::manifest::{self, Experiment, Manifest};
use crate::output::{self, AtomicFile, columns};
use std::fmt::Write;
use std::path::Path;

/// posterior.csv, generations.csv, marginals.csv, the resolved scenario and the manifest.
pub(super) fn write_folder(
    dir: &Path,
    job: &Job,
    compiled: &Compiled,
    report: &mut CalibrateReport,
    opts: &CalibrateOptions,
) -> Result<()> {
    report.posterior.write(dir)?;
    AtomicFile::write(dir, "generations.csv", &generations_csv(report)?)?;
    AtomicFile::write(dir, "marginals.csv", &marginals_csv(report)?)?;
    let sha = write_resolved(dir, &compiled.scenario)?;
    report.wall_seconds = job.wall_seconds();
    let scenario = &compiled.scenario;
    job.finish(Manifest::new(
        Experiment::Calibrate(manifest::Calibrate {
            scenario: scenario.scenario.name.clone(),
            scenario_sha256: sha,
            method: "ABC-SMC with an adaptive tolerance (the median distance) and Metropolis-Hastings moves (Del Moral, Doucet & Jasra 2012), in probit space; distance: the share of calibration items a run gets wrong (a yes/no item that differs, a continuous target more than two measurement errors away)".into(),
            particles: opts.particles,
            budget: opts.budget,
            simulations: report.simulations,
            generations: report.generations.len(),
            stopped: report.stopped.clone(),
            targets: scenario
                .outcome
                .iter()
                .filter(|o| !o.held_out)
                .map(|o| o.id.clone())
                .collect(),
            threads: job.spec.threads,
            wall_seconds: report.wall_seconds,
        }),
        job.spec.seed,
        report.simulations,
        &opts.ensemble.command_line,
        super::super::files(&[
            "posterior.csv",
            "generations.csv",
            "marginals.csv",
            "scenario.resolved.toml",
        ]),
    ))
}

/// generations.csv: one row per generation.
fn generations_csv(report: &CalibrateReport) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(columns::GENERATIONS)?;
    for (t, g) in report.generations.iter().enumerate() {
        w.write_record([
            t.to_string(),
            if g.epsilon.is_finite() {
                output::number(g.epsilon)
            } else {
                "inf".into()
            },
            g.simulations.to_string(),
            g.accepted.to_string(),
            g.passes.to_string(),
            g.alive.to_string(),
        ])?;
    }
    Ok(w.into_inner()?)
}

/// marginals.csv: each key path's prior and posterior quantiles.
fn marginals_csv(report: &CalibrateReport) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(columns::MARGINALS)?;
    for (path, m) in report.posterior.paths.iter().zip(&report.marginals) {
        let mut record = vec![path.clone()];
        record.extend(m.iter().map(|&v| output::number(v)));
        w.write_record(&record)?;
    }
    Ok(w.into_inner()?)
}

/// The calibration as a table for the terminal: the generations, then each parameter's prior
/// and posterior.
pub fn table(report: &CalibrateReport) -> String {
    let mut out = String::from("generation  epsilon  simulations     moved  passes    alive\n");
    for (t, g) in report.generations.iter().enumerate() {
        let _ = writeln!(
            out,
            "{t:>10}  {:>7}  {:>11}  {:>8}  {:>6}  {:>7}",
            if g.epsilon.is_finite() {
                format!("{:.3}", g.epsilon)
            } else {
                "inf".into()
            },
            g.simulations,
            g.accepted,
            g.passes,
            g.alive
        );
    }
    let _ = writeln!(out, "stopped: {}\n", report.stopped);
    let width = report
        .posterior
        .paths
        .iter()
        .map(|p| p.len())
        .max()
        .unwrap_or(0);
    let _ = writeln!(
        out,
        "{:width$}  prior 5%..95% (median)          posterior 5%..95% (median)",
        "parameter"
    );
    for (path, m) in report.posterior.paths.iter().zip(&report.marginals) {
        let _ = writeln!(
            out,
            "{path:width$}  {:>9.4}..{:<9.4} ({:.4})   {:>9.4}..{:<9.4} ({:.4})",
            m[0], m[2], m[1], m[3], m[5], m[4]
        );
    }
    out
}
