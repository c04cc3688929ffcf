//! A hindcast's folder: hindcast.csv, continuous.csv, reliability.csv, the resolved scenario,
//! the page and the manifest.

use super::super::driver::Job;
use super::super::write_resolved;
use super::HindcastReport;
use super::scores::{ContinuousScore, CrpsMean, Mean, Score, reliability};
use crate::error::Result;
use crate::output::manifest::{self, Experiment, Manifest};
use crate::output::{self, AtomicFile, number};
use crate::scenario::Scenario;
use crate::statistics::Skill;
use std::path::Path;

/// Writes hindcast.csv, continuous.csv, reliability.csv, the resolved scenario, the page
/// (unless `--no-charts`) and the manifest.
pub(super) fn write(
    scenario: &Scenario,
    dir: &Path,
    job: &Job,
    mut report: HindcastReport,
) -> Result<HindcastReport> {
    AtomicFile::write(dir, "hindcast.csv", &hindcast_csv(&report)?)?;
    AtomicFile::write(dir, "continuous.csv", &continuous_csv(&report.continuous)?)?;
    AtomicFile::write(dir, "reliability.csv", &reliability_csv(&report.scores)?)?;
    let sha = write_resolved(dir, scenario)?;
    job.finish(Manifest::new(
        Experiment::Hindcast(Box::new(fields(scenario, sha, &report))),
        report.seed,
        report.runs,
        &job.ensemble.command_line,
        super::super::files(&[
            "hindcast.csv",
            "continuous.csv",
            "reliability.csv",
            "scenario.resolved.toml",
        ]),
    ))?;
    report.dir = Some(dir.to_path_buf());
    Ok(report)
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

/// hindcast.csv: one row per yes/no outcome.
fn hindcast_csv(report: &HindcastReport) -> Result<Vec<u8>> {
    let inputs = if report.known_only { "origin" } else { "all" };
    csv_bytes(
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
    )
}

/// continuous.csv: one row per continuous target.
fn continuous_csv(continuous: &[ContinuousScore]) -> Result<Vec<u8>> {
    csv_bytes(
        &output::columns::CONTINUOUS,
        continuous.iter().map(|s| {
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
    )
}

/// reliability.csv: the yes/no forecasts in bins of probability.
fn reliability_csv(scores: &[Score]) -> Result<Vec<u8>> {
    csv_bytes(
        &output::columns::RELIABILITY,
        reliability(scores).into_iter().map(|b| {
            vec![
                number(b.low),
                number(b.high),
                b.forecasts.to_string(),
                number(b.mean_forecast),
                number(b.observed_share),
            ]
        }),
    )
}

/// The manifest's hindcast fields.
fn fields(scenario: &Scenario, sha: String, report: &HindcastReport) -> manifest::Hindcast {
    manifest::Hindcast {
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
    }
}

/// A set's mean Brier scores, as the manifest records them.
fn brier(m: Mean) -> manifest::Brier {
    manifest::Brier {
        outcomes: m.outcomes,
        brier: m.brier,
        base_brier: m.base_brier,
        persistence_brier: m.persistence_brier,
        skill_vs_base_rate: m.skill_vs_base_rate.map(skill),
        skill_vs_persistence: m.skill_vs_persistence.map(skill),
    }
}

/// A set's mean CRPS and coverage, as the manifest records them.
fn crps(m: CrpsMean) -> manifest::Crps {
    manifest::Crps {
        items: m.items,
        crps: m.crps,
        base_crps: m.base_crps,
        persistence_crps: m.persistence_crps,
        skill_vs_base_rate: m.skill_vs_base_rate.map(skill),
        skill_vs_persistence: m.skill_vs_persistence.map(skill),
        coverage_50: m.coverage_50,
        coverage_90: m.coverage_90,
    }
}

/// A skill score, as the manifest records it.
fn skill(s: Skill) -> manifest::Skill {
    manifest::Skill {
        score: s.score,
        low: s.low,
        high: s.high,
    }
}
