//! What users ask for, end to end: each experiment loads scenarios, drives the engine and
//! writes its outputs. The command line is a thin layer over these functions; what several
//! experiments share (options, progress, the summary and manifest files) lives here.

pub mod compare;
mod driver;
pub mod hindcast;
pub mod init;
pub mod levers;
pub mod list;
pub mod run;
pub mod sensitivity;
pub mod sweep;
pub mod validate;

use crate::error::{Error, Result};
use crate::model::indicators::Layout;
use crate::output::manifest::Manifest;
use crate::output::{self, AtomicFile};
use crate::scenario::{self, Scenario, YearMonth};
use crate::statistics::Summary;
use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

pub use crate::engine::ensemble::request_stop;
pub use crate::scenario::Setting;

/// `spheres report DIR`: the charts and index.html of a finished output folder.
pub fn report(dir: &Path) -> Result<crate::report::Written> {
    crate::report::write(dir)
}

/// A note for the user on standard error, as it arises (which file a name stood for, …).
pub(crate) fn note(text: &str) {
    let _ = writeln!(std::io::stderr(), "note: {text}");
}

/// A warning for the user on standard error, as it arises.
pub(crate) fn warn(text: &str) {
    let _ = writeln!(std::io::stderr(), "warning: {text}");
}

/// Loads a scenario (a file, or a bundled name when no file has it) with `settings` applied,
/// telling the user the notes of its loading.
pub(crate) fn load(name: &str, settings: &[Setting]) -> Result<Scenario> {
    let tree = scenario::load_tree(name)?;
    for n in tree.notes() {
        note(n);
    }
    tree.scenario_set(settings)
}

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
    /// Go ahead with a job estimated to be very long or large without asking.
    pub yes: bool,
    /// How to ask the user to confirm a very long or large job (the command line asks at the
    /// terminal); `None` refuses it unless `yes`.
    pub ask: Option<fn(&Estimate) -> bool>,
    /// The command line, recorded in the manifest.
    pub command_line: String,
    /// Values set on the command line (`--set path=value`), applied to every scenario.
    pub sets: Vec<Setting>,
}

/// Jobs estimated to take longer than this (seconds) are announced on stderr.
pub const NOTICE_SECONDS: f64 = 30.0;
/// Jobs estimated past this (seconds) or [`CONFIRM_BYTES`] need confirmation or `--yes`.
pub const CONFIRM_SECONDS: f64 = 3600.0;
pub const CONFIRM_BYTES: f64 = 8e9;

/// A rough forecast of a job's wall time and peak memory, from the costs measured in
/// BENCHMARKS.md (about 0.1 µs per state-month, 12 ns per citizen-month, per thread).
#[derive(Clone, Copy, Debug)]
pub struct Estimate {
    pub seconds: f64,
    pub bytes: f64,
}

impl Estimate {
    pub fn of(
        scenario: &Scenario,
        model: &crate::model::Model,
        arms: usize,
        r: &Resolved,
    ) -> Estimate {
        let months = scenario.scenario.months as f64;
        let citizens = model.citizen_layout.as_ref().map_or(0, |p| p.citizens()) as f64;
        let per_run = months
            * (scenario.state.len() as f64 * 1.0e-7 + citizens * citizen_month_seconds(citizens))
            + citizens * 2.0e-8
            + 2.0e-5;
        let threads = r.threads as f64;
        let cells = crate::model::indicators::Layout::new(model).cells.len() as f64;
        let summary = (months + 1.0) * cells * 600.0;
        let worker = citizens * 24.0 + summary;
        Estimate {
            seconds: arms as f64 * r.runs as f64 * per_run / threads,
            bytes: arms as f64 * ((threads + 1.0) * worker + citizens * 8.0) + 50e6,
        }
    }
}

/// Seconds per citizen-month, per thread (BENCHMARKS.md): 12 ns while a run's citizens fit in
/// cache (up to about 100,000; the Balkans have 17,900), rising with the logarithm of their
/// number as encounters miss it, to 80 ns at 20 million (measured: 43 ns at 1.8 M, 79 ns at
/// 17.6 M).
fn citizen_month_seconds(citizens: f64) -> f64 {
    let missing = ((citizens.max(1.0).log10() - 5.0) / 2.3).clamp(0.0, 1.0);
    12e-9 + 68e-9 * missing
}

impl std::fmt::Display for Estimate {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "estimate: about {} and {:.0} MB of memory",
            duration(self.seconds),
            self.bytes / 1e6
        )
    }
}

/// Seconds as people read them: `34 s`, `12 min`, `3.5 h`.
fn duration(seconds: f64) -> String {
    if seconds < 120.0 {
        format!("{:.0} s", seconds)
    } else if seconds < 7200.0 {
        format!("{:.0} min", seconds / 60.0)
    } else {
        format!("{:.1} h", seconds / 3600.0)
    }
}

/// What a job's progress bar says it is doing: a label (the scenario, `compare: A vs B`,
/// `sweep NAME`) and what it counts (`runs`, `points`).
#[derive(Clone, Debug)]
pub(crate) struct Label {
    pub text: String,
    pub unit: &'static str,
}

/// The rate and the time left a progress bar shows when `done` of `total` items took
/// `elapsed` seconds: the average rate so far (whole items a second from 10 up), and the time
/// left at that rate — only once a tenth of the items and two seconds have passed, since the
/// first blocks finish in a burst after a slow start and a rate from them misleads.
pub(crate) fn progress_text(done: u64, total: u64, elapsed: f64, unit: &str) -> (String, String) {
    if done == 0 || elapsed < 0.5 {
        return (String::new(), String::new());
    }
    let rate = done as f64 / elapsed;
    let rate_text = if rate >= 10.0 {
        format!("{rate:.0} {unit}/s")
    } else {
        format!("{rate:.1} {unit}/s")
    };
    let left = if done * 10 >= total && elapsed >= 2.0 && done < total {
        format!(", about {} left", duration((total - done) as f64 / rate))
    } else {
        String::new()
    };
    (rate_text, left)
}

/// Most worker threads `--threads` may ask for.
pub const MAX_THREADS: usize = 1024;

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
            Some(t) if t > MAX_THREADS => {
                return Err(Error::Input(format!(
                    "--threads {t}: at most {MAX_THREADS} worker threads (results do not depend on it)"
                )));
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

    /// Estimates a job of `arms` scenarios like `scenario` (wall time and memory), says it on
    /// stderr when it is long, and past [`CONFIRM_SECONDS`] or [`CONFIRM_BYTES`] needs `--yes`
    /// or the user's answer to [`Ensemble::ask`].
    pub fn check_cost(
        &self,
        scenario: &Scenario,
        model: &crate::model::Model,
        arms: usize,
        r: &Resolved,
    ) -> Result<()> {
        let estimate = Estimate::of(scenario, model, arms, r);
        let confirm = estimate.seconds >= CONFIRM_SECONDS || estimate.bytes >= CONFIRM_BYTES;
        if !confirm || self.yes {
            if !self.quiet && estimate.seconds >= NOTICE_SECONDS {
                let _ = writeln!(std::io::stderr(), "{estimate}");
            }
            return Ok(());
        }
        if self.ask.is_some_and(|ask| ask(&estimate)) {
            return Ok(());
        }
        Err(Error::Refused(format!(
            "{estimate}: that is past {} min or {} GB; pass --yes to run it anyway, or lower --runs",
            CONFIRM_SECONDS / 60.0,
            CONFIRM_BYTES / 1e9
        )))
    }

    /// The output folder, made, checked (see [`output::prepare_dir`]) and marked incomplete
    /// until [`finish`] writes its manifest.
    pub fn prepare_dir(&self, name: &str) -> Result<PathBuf> {
        let dir = output::prepare_dir(self.out.as_deref(), Path::new("output"), name, self.force)?;
        output::mark_incomplete(&dir)?;
        Ok(dir)
    }

    /// A progress bar on stderr, hidden with `--quiet` or when stderr is not a terminal: the
    /// label, the items done, the rate and, once it means something, the time left
    /// ([`progress_text`]).
    pub(crate) fn progress(&self, items: u64, label: &Label) -> ProgressBar {
        if self.quiet || !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(items);
        let unit = label.unit;
        let text = move |state: &indicatif::ProgressState| {
            progress_text(
                state.pos(),
                state.len().unwrap_or(0),
                state.elapsed().as_secs_f64(),
                unit,
            )
        };
        let style = ProgressStyle::with_template(&format!(
            "{{prefix}} {{bar:30}} {{pos}}/{{len}} {unit}  {{rate}}  {{elapsed}} elapsed{{left}}"
        ))
        .map(|style| {
            style
                .with_key(
                    "rate",
                    move |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = w.write_str(&text(state).0);
                    },
                )
                .with_key(
                    "left",
                    move |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = w.write_str(&text(state).1);
                    },
                )
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_prefix(label.text.clone());
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
    w.write_record(output::columns::SUMMARY)?;
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
    Ok(sha256(resolved.as_bytes()))
}

/// The SHA-256 of `bytes` in hexadecimal.
pub(crate) fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether a finished folder gets its charts and index.html.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Charts {
    Draw,
    Skip,
}

/// Draws the charts and index.html (with `Charts::Draw`), then writes manifest.json, last,
/// complete and listing the report's files too, and removes the INCOMPLETE marker.
pub(crate) fn finish(dir: &Path, charts: Charts, mut manifest: Manifest) -> Result<()> {
    if charts == Charts::Draw {
        crate::report::write_with(dir, &manifest)?;
        manifest
            .files
            .extend(["index.html".to_string(), "charts/".to_string()]);
    }
    manifest.complete = true;
    output::manifest::write(dir, &manifest)?;
    output::mark_complete(dir)
}

/// File names as the manifest lists them.
pub(crate) fn files(names: &[&str]) -> Vec<String> {
    names.iter().map(|f| f.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use crate::output::columns;
    use crate::statistics::QUANTILES;

    #[test]
    fn progress_shows_a_sane_rate_and_no_early_time_left() {
        use super::progress_text;
        assert_eq!(
            progress_text(0, 1000, 3.0, "runs"),
            (String::new(), String::new())
        );
        // The first blocks: a rate, but no time left yet.
        let (rate, left) = progress_text(64, 1000, 1.0, "runs");
        assert_eq!((rate.as_str(), left.as_str()), ("64 runs/s", ""));
        assert_eq!(
            progress_text(90, 1000, 5.0, "runs").1,
            "",
            "under a tenth done"
        );
        assert_eq!(
            progress_text(500, 1000, 15.0, "runs"),
            ("33 runs/s".to_string(), ", about 15 s left".to_string())
        );
        assert_eq!(progress_text(3, 24, 4.0, "points").0, "0.8 points/s");
        assert_eq!(
            progress_text(100, 1000, 60.0, "runs").1,
            ", about 9 min left"
        );
        assert_eq!(progress_text(1000, 1000, 9.0, "runs").1, "", "done");
    }

    #[test]
    fn the_quantile_columns_name_the_quantiles() {
        let names = QUANTILES.map(|q| format!("p{:02}", (q * 100.0).round() as u32));
        assert_eq!(names, columns::QUANTILES);
    }
}
