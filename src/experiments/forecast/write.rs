//! A forecast's folder: forecast.csv, the observations up to the origin (observations.csv, as
//! a nowcast writes them), the scenario as run at the origin, the manifest and the report; a
//! rolling validation's scores.csv, skill.csv and pit.csv.

use super::predictive::Row;
use super::{At, ForecastOptions, ForecastReport, RollingOptions, RollingReport};
use crate::error::Result;
use crate::experiments::driver::Job;
use crate::experiments::{files, nowcast::observations_csv, sha256, write_resolved};
use crate::measure::{Panel, Sources, month_of, month_text};
use crate::output::columns::{self, ForecastRow};
use crate::output::manifest::{self, Experiment, Manifest};
use crate::output::{AtomicFile, Number, number};
use crate::statistics::Skill;

/// forecast.csv of `rows`.
pub(super) fn forecast_csv(rows: &[Row]) -> Result<Vec<u8>> {
    let mut w = columns::table::<ForecastRow>()?;
    for r in rows {
        let q = |k: usize| Number(r.quantiles[k]);
        w.serialize(ForecastRow {
            series: r.series,
            state: &r.state,
            year: r.year,
            mean: Number(r.mean),
            p05: q(0),
            p10: q(1),
            p25: q(2),
            p50: q(3),
            p75: q(4),
            p90: q(5),
            p95: q(6),
        })?;
    }
    Ok(w.into_inner()?)
}

/// The manifest's own fields of a forecast from `origins`.
pub(super) fn fields(
    at: &At,
    origins: &[i32],
    data: &Option<std::path::PathBuf>,
    sources: &Sources,
    scenario_sha256: String,
    job: &Job,
) -> manifest::Forecast {
    manifest::Forecast {
        scenario: at.compiled.scenario.scenario.name.clone(),
        scenario_sha256,
        origins: origins.iter().map(|o| month_text(*o)).collect(),
        years: at.years,
        data: match data {
            Some(d) => d.display().to_string(),
            None => "bundled".into(),
        },
        data_sha256: (sources.files.iter())
            .map(|(_, text)| sha256(text.as_bytes()))
            .collect(),
        parameters: at.draws.manifest(&at.compiled.scenario),
        threads: at.spec.threads,
        wall_seconds: job.wall_seconds(),
    }
}

/// Writes the folder of a forecast from one origin.
pub(super) fn write(
    opts: &ForecastOptions,
    at: &At,
    sources: &Sources,
    panel: &Panel,
    job: &Job,
    report: &ForecastReport,
) -> Result<()> {
    let dir = &report.dir;
    AtomicFile::write(dir, "forecast.csv", &forecast_csv(&report.rows)?)?;
    AtomicFile::write(
        dir,
        "observations.csv",
        &observations_csv(&at.nowcast, panel)?,
    )?;
    let sha = write_resolved(dir, &at.compiled.scenario)?;
    let fields = fields(at, &[report.origin], &opts.data, sources, sha, job);
    let manifest = Manifest::new(
        Experiment::Forecast(Box::new(fields)),
        report.seed,
        report.runs,
        &opts.ensemble.command_line,
        files(&["forecast.csv", "observations.csv", "scenario.resolved.toml"]),
    );
    job.finish(manifest)
}

/// A CSV table with `header`, its rows given as cells.
fn csv_of(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    for row in rows {
        w.write_record(&row)?;
    }
    Ok(w.into_inner()?)
}

/// A skill's three cells; empty where the reference scored 0.
fn skill_cells(s: Option<Skill>) -> [String; 3] {
    match s {
        Some(s) => [number(s.score), number(s.low), number(s.high)],
        None => [String::new(), String::new(), String::new()],
    }
}

/// scores.csv, skill.csv and pit.csv of a rolling validation.
fn rolling_csvs(report: &RollingReport) -> Result<[Vec<u8>; 3]> {
    let scores = csv_of(
        &columns::SCORES,
        report.items.iter().map(|i| {
            let mut row = vec![
                i.origin.to_string(),
                i.state.clone(),
                i.year.to_string(),
                i.horizon().to_string(),
                number(i.observed),
            ];
            row.extend(i.quantiles.iter().map(|q| number(*q)));
            row.push(number(i.pit));
            row.extend(i.crps.iter().map(|c| number(*c)));
            row
        }),
    )?;
    let skill = csv_of(
        &columns::SKILL,
        report.scores.iter().map(|s| {
            let mut row = vec![s.by.to_string(), s.value.to_string(), s.items.to_string()];
            for (share, low, high) in s.coverage {
                row.extend([number(share), number(low), number(high)]);
            }
            row.extend(s.crps.iter().map(|c| number(*c)));
            for k in s.skill {
                row.extend(skill_cells(k));
            }
            row
        }),
    )?;
    let total = report.pit.iter().sum::<usize>().max(1) as f64;
    let bins = report.pit.len() as f64;
    let pit = csv_of(
        &columns::PIT,
        report.pit.iter().enumerate().map(|(k, c)| {
            vec![
                number(k as f64 / bins),
                number((k + 1) as f64 / bins),
                c.to_string(),
                number(*c as f64 / total),
            ]
        }),
    )?;
    Ok([scores, skill, pit])
}

/// Writes the folder of a rolling validation.
pub(super) fn write_rolling(
    opts: &RollingOptions,
    at: &At,
    sources: &Sources,
    job: &Job,
    report: &RollingReport,
    origins: std::ops::RangeInclusive<i32>,
) -> Result<()> {
    let dir = &report.dir;
    let [scores, skill, pit] = rolling_csvs(report)?;
    AtomicFile::write(dir, "scores.csv", &scores)?;
    AtomicFile::write(dir, "skill.csv", &skill)?;
    AtomicFile::write(dir, "pit.csv", &pit)?;
    let sha = write_resolved(dir, &at.compiled.scenario)?;
    let origins: Vec<i32> = origins.map(|y| month_of(y, 12)).collect();
    let fields = fields(at, &origins, &opts.data, sources, sha, job);
    let manifest = Manifest::new(
        Experiment::Forecast(Box::new(fields)),
        report.seed,
        report.runs,
        &opts.ensemble.command_line,
        files(&[
            "scores.csv",
            "skill.csv",
            "pit.csv",
            "scenario.resolved.toml",
        ]),
    );
    job.finish(manifest)
}
