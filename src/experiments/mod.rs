//! What users ask for, end to end: each experiment loads scenarios, drives the engine and
//! writes its outputs. The command line is a thin layer over these functions; what several
//! experiments share (options, progress, the summary and manifest files) lives here.

pub mod compare;
pub mod hindcast;
pub mod run;
pub mod validate;

use crate::error::{Error, Result};
use crate::model::indicators::Layout;
use crate::output::{self, AtomicFile};
use crate::scenario::{self, Scenario, YearMonth};
use crate::statistics::{QUANTILES, Summary};
use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Options every ensemble experiment takes.
#[derive(Clone, Debug, Default)]
pub struct Ensemble {
    /// Runs [default: the (first) scenario's `runs`].
    pub runs: Option<u64>,
    /// Master seed [default: the (first) scenario's `seed`].
    pub seed: Option<u64>,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Output folder; `None` makes a new one under `output/`.
    pub out: Option<PathBuf>,
    /// Write into a non-empty output folder.
    pub force: bool,
    /// No progress bar.
    pub quiet: bool,
    /// Skip the charts and index.html.
    pub no_charts: bool,
    /// The command line, recorded in the manifest.
    pub command_line: String,
}

/// Runs, seed and threads once defaults are applied and checked.
#[derive(Clone, Copy, Debug)]
pub struct Resolved {
    pub runs: u64,
    pub seed: u64,
    pub threads: usize,
}

impl Ensemble {
    pub fn resolve(&self, scenario: &Scenario) -> Result<Resolved> {
        let runs = self.runs.unwrap_or(scenario.scenario.runs);
        if runs == 0 || runs > scenario::MAX_RUNS as u64 {
            return Err(Error::Input(format!(
                "--runs {runs}: expected a number of runs in [1, {}]",
                scenario::MAX_RUNS
            )));
        }
        let threads = match self.threads {
            Some(0) => {
                return Err(Error::Input(
                    "--threads 0: expected at least 1 thread".into(),
                ));
            }
            Some(t) => t,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        Ok(Resolved {
            runs,
            seed: self.seed.unwrap_or(scenario.scenario.seed),
            threads,
        })
    }

    /// The output folder, made, checked (see [`output::prepare_dir`]) and marked incomplete
    /// until [`finish`] writes its manifest.
    pub fn prepare_dir(&self, name: &str) -> Result<PathBuf> {
        let dir = output::prepare_dir(self.out.as_deref(), Path::new("output"), name, self.force)?;
        output::mark_incomplete(&dir)?;
        Ok(dir)
    }

    /// A progress bar on stderr, hidden with `--quiet` or when stderr is not a terminal.
    pub fn progress(&self, runs: u64) -> ProgressBar {
        if self.quiet || !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(runs);
        bar.set_style(
            ProgressStyle::with_template(
                "{bar:40} {pos}/{len} runs  {per_sec}  {elapsed} elapsed, {eta} left",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    }
}

/// Writes summary.csv: one row per (month, unit, indicator) with mean, sd and quantiles.
pub(crate) fn write_summary(
    dir: &Path,
    start: YearMonth,
    layout: &Layout,
    summary: &Summary,
) -> Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["date", "state", "indicator", "mean", "sd"];
    let names = QUANTILES.map(|q| format!("p{:02}", (q * 100.0).round() as u32));
    header.extend(names.iter().map(String::as_str));
    w.write_record(&header)?;
    for row in 0..summary.rows() {
        let date = start.plus(row as i64).to_string();
        for (cell, (unit, name, _)) in layout.cells.iter().enumerate() {
            let m = moments(summary, row, cell)?;
            let mut record = vec![
                date.clone(),
                unit.clone(),
                name.to_string(),
                output::number(m.mean),
                output::number(m.sd),
            ];
            record.extend(m.quantiles.iter().map(|&q| output::number(q)));
            w.write_record(&record)?;
        }
    }
    AtomicFile::write(dir, "summary.csv", &w.into_inner()?)?;
    Ok(())
}

/// The moments of a cell, which every summary of at least one run has.
pub(crate) fn moments(
    summary: &Summary,
    row: usize,
    cell: usize,
) -> Result<crate::statistics::Moments> {
    summary
        .moments(row, cell)
        .ok_or_else(|| Error::Internal("a summary of no runs".into()))
}

/// Writes scenario.resolved.toml and returns its SHA-256 in hex.
pub(crate) fn write_resolved(dir: &Path, scenario: &Scenario) -> Result<String> {
    let resolved = scenario.to_toml()?;
    AtomicFile::write(dir, "scenario.resolved.toml", resolved.as_bytes())?;
    Ok(Sha256::digest(resolved.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Draws the charts and index.html (unless `no_charts`), then writes manifest.json, last, with
/// `complete: true`, the version, and the report's files added.
pub(crate) fn finish(dir: &Path, no_charts: bool, mut manifest: serde_json::Value) -> Result<()> {
    manifest["spheres_version"] = env!("CARGO_PKG_VERSION").into();
    if !no_charts {
        crate::report::write_with(dir, &manifest)?;
        if let Some(files) = manifest["files"].as_array_mut() {
            files.extend(["index.html".into(), "charts/".into()]);
        }
    }
    manifest["complete"] = true.into();
    let text = serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n";
    AtomicFile::write(dir, "manifest.json", text.as_bytes())?;
    output::mark_complete(dir)
}
