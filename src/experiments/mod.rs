//! What users ask for, end to end: each experiment loads scenarios, drives the engine and
//! writes its outputs. The command line is a thin layer over these functions; what several
//! experiments share (options, progress, the summary and manifest files) lives here.

pub mod calibrate;
pub mod compare;
mod draws;
mod driver;
pub mod explore;
pub mod forecast;
pub mod hindcast;
pub mod init;
pub mod levers;
pub mod list;
pub mod nowcast;
mod robust;
pub mod run;
pub mod salib;
pub mod sweep;
mod trace;
pub mod validate;

use crate::error::{Error, Result};
use crate::model::indicators::Layout;
use crate::output::manifest::Manifest;
use crate::output::{self, AtomicFile, Number, columns, dictionary};
use crate::scenario::{self, Scenario, YearMonth};
use crate::statistics::{DrawSpread, Summary};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

pub use crate::engine::blocks::request_stop;
pub use crate::scenario::Setting;

/// `spheres report DIR`: the charts and index.html of a finished output folder.
pub fn report(dir: &Path) -> Result<crate::report::Written> {
    crate::report::write(dir)
}

/// How an experiment talks to the person running it, as things happen: notes (which file a
/// name stood for), warnings, the estimate of a long job, the question whether to run a very
/// large one, and progress. The command line shows them on its terminal (src/cli/console.rs);
/// the library never writes to the terminal itself, and without a terminal says nothing.
pub trait Terminal: std::fmt::Debug + Send + Sync {
    /// Tells `text`, a note, a warning or an estimate.
    fn tell(&self, kind: Tell, text: &str);
    /// Whether to go ahead with a job past [`CONFIRM_SECONDS`] or [`CONFIRM_BYTES`].
    fn confirm(&self, estimate: &Estimate) -> bool;
    /// A display of the progress of `total` items.
    fn progress(&self, label: &Label, total: u64) -> Box<dyn Progress>;
}

/// What an experiment tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tell {
    /// Which file a name stood for, and the like.
    Note,
    /// Something that may make results other than intended.
    Warning,
    /// How long and large a job is estimated to be (when long).
    Estimate,
}

/// A progress display: items done so far, then finished.
pub trait Progress {
    /// Counts `items` more as done.
    fn advance(&mut self, items: u64);
    /// All done: the display is closed.
    fn finish(&mut self);
}

/// No terminal: tells nothing, confirms nothing, shows no progress.
#[derive(Debug)]
pub struct Silent;

impl Terminal for Silent {
    fn tell(&self, _: Tell, _: &str) {}
    fn confirm(&self, _: &Estimate) -> bool {
        false
    }
    fn progress(&self, _: &Label, _: u64) -> Box<dyn Progress> {
        Box::new(Silent)
    }
}

impl Progress for Silent {
    fn advance(&mut self, _: u64) {}
    fn finish(&mut self) {}
}

/// Loads a scenario (a file, or a bundled name when no file has it) with `settings` applied,
/// telling the notes of its loading.
pub(crate) fn load(name: &str, settings: &[Setting], terminal: &dyn Terminal) -> Result<Scenario> {
    Ok(load_tree(name, settings, terminal)?.1)
}

/// [`load`], with the scenario's tree (settings applied), which draws of its parameters vary.
pub(crate) fn load_tree(
    name: &str,
    settings: &[Setting],
    terminal: &dyn Terminal,
) -> Result<(scenario::Tree, Scenario)> {
    let tree = scenario::load_tree(name)?;
    for n in tree.notes() {
        terminal.tell(Tell::Note, n);
    }
    set_on(tree, settings, terminal)
}

/// `tree` with `settings` applied over what it already holds (a comparison's `--set-variant`
/// after `--set`), and its scenario; says what a setting does that a user may not expect.
pub(crate) fn set_on(
    tree: scenario::Tree,
    settings: &[Setting],
    terminal: &dyn Terminal,
) -> Result<(scenario::Tree, Scenario)> {
    let mut scenario = tree.scenario_set(settings)?;
    // A number set on the command line is that number: its prior, if any, is not drawn.
    scenario.uncertain.retain(|u| {
        let set = settings.iter().find(|s| s.path == u.path);
        if let Some(s) = set {
            terminal.tell(
                Tell::Note,
                &format!("{s} fixes a number with an [[uncertain]] prior: it is not drawn"),
            );
        }
        set.is_none()
    });
    for s in settings.iter().filter(|_| scenario.scenario.hold_present) {
        if let ["power", code, "budget", lever] = s.path.split('.').collect::<Vec<_>>()[..] {
            terminal.tell(
                Tell::Note,
                &format!(
                    "{s} changes {code}'s status quo, the spending the present is held under (docs/MODEL.md, section 5): the start is solved anew to hold under it, so it moves almost nothing; to change what {code} does from the start month, set a policy's budget (policy.<id>.budget.{lever}, with --set-variant in a comparison) or add a [[policy]] for {code} (docs/SCENARIOS.md)"
                ),
            );
        }
    }
    Ok((tree.with_settings(settings)?, scenario))
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
    /// Where notes, warnings, questions and progress go (the command line's terminal);
    /// `None` says nothing, and refuses a very long or large job unless `yes`.
    pub terminal: Option<std::sync::Arc<dyn Terminal>>,
    /// The command line, recorded in the manifest.
    pub command_line: String,
    /// Values set on the command line (`--set path=value`), applied to every scenario.
    pub sets: Vec<Setting>,
    /// Draws of the uncertain parameters (`--draws`); default: runs / runs per draw.
    pub draws: Option<u64>,
    /// Runs per draw (`--runs-per-draw`); default 10, or 1 when the runs are not a multiple of 10.
    pub runs_per_draw: Option<u64>,
    /// Run the scenario's own numbers, ignoring its priors (`--fixed`).
    pub fixed: bool,
    /// Draw parameters from this posterior.csv (`--posterior`).
    pub posterior: Option<PathBuf>,
    /// Trace the first this many runs (`spheres run --trace`): each government's move split
    /// by channel, month by month.
    pub trace: u64,
    /// Sum every run's channels (a comparison's "why it moves", channels.csv).
    pub channels: bool,
    /// Stops the job at its next block once set (a newer request overtook this one in
    /// `spheres explore`); the job then fails as interrupted.
    pub cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

/// Jobs estimated to take longer than this (seconds) are announced on stderr.
pub const NOTICE_SECONDS: f64 = 30.0;
/// Jobs estimated past this (seconds) or [`CONFIRM_BYTES`] need confirmation or `--yes`.
pub const CONFIRM_SECONDS: f64 = 3600.0;
/// Jobs estimated past this peak memory (bytes) or [`CONFIRM_SECONDS`] need confirmation or `--yes`.
pub const CONFIRM_BYTES: f64 = 8e9;

/// A rough forecast of a job's wall time and peak memory, from the costs measured in
/// BENCHMARKS.md (about 0.1 µs per state-month, 12 ns per citizen-month, per thread).
#[derive(Clone, Copy, Debug)]
pub struct Estimate {
    /// Wall time, seconds.
    pub seconds: f64,
    /// Peak memory, bytes.
    pub bytes: f64,
}

impl Estimate {
    /// The estimate for `arms` scenarios of `scenario` (compiled as `model`) at `r`'s runs and
    /// threads, each keeping `keep` of its months.
    pub fn of(
        scenario: &Scenario,
        model: &crate::model::Model,
        (arms, keep): (usize, KeptMonths),
        r: &EnsembleSpec,
    ) -> Estimate {
        let months = scenario.scenario.months as f64;
        let citizens = model.citizen_layout.as_ref().map_or(0, |p| p.citizens()) as f64;
        let per_run = months
            * (scenario.state.len() as f64 * 1.0e-7 + citizens * citizen_month_seconds(citizens))
            + citizens * 2.0e-8
            + 2.0e-5;
        let threads = r.threads as f64;
        let cells = crate::model::indicators::Layout::new(model).cells.len() as f64;
        let months_kept = match keep {
            KeptMonths::All => months + 1.0,
            KeptMonths::Horizon => 1.0,
        };
        let summary = months_kept * cells * 600.0;
        let worker = citizens * 24.0 + summary;
        Estimate {
            seconds: arms as f64 * r.runs as f64 * per_run / threads,
            bytes: arms as f64 * ((threads + 1.0) * worker + citizens * 8.0) + 50e6,
        }
    }
}

/// What each arm of a job keeps of its runs' months, which sizes its memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeptMonths {
    /// Every month's summaries (fan charts over time).
    All,
    /// The horizon only (a lever table's probes).
    Horizon,
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

/// What a job's progress display says it is doing: a label (the scenario, `compare: A vs B`,
/// `sweep NAME`) and what it counts (`runs`, `points`).
#[derive(Clone, Debug)]
pub struct Label {
    /// What the job is.
    pub text: String,
    /// What it counts (`runs`, `points`).
    pub unit: &'static str,
}

/// The rate and the time left a progress bar shows when `done` of `total` items took
/// `elapsed` seconds: the average rate so far (whole items a second from 10 up), and the time
/// left at that rate — only once a tenth of the items and two seconds have passed, since the
/// first blocks finish in a burst after a slow start and a rate from them misleads.
pub fn progress_text(done: u64, total: u64, elapsed: f64, unit: &str) -> (String, String) {
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
pub struct EnsembleSpec {
    /// Runs of each scenario.
    pub runs: u64,
    /// The master seed.
    pub seed: u64,
    /// Worker threads.
    pub threads: usize,
}

impl Ensemble {
    /// Where to tell things: the terminal given, or [`Silent`].
    pub fn terminal(&self) -> &dyn Terminal {
        match &self.terminal {
            Some(t) => t.as_ref(),
            None => &Silent,
        }
    }

    /// Runs and seed (the scenario's unless given) and threads, checked.
    pub fn resolve(&self, scenario: &Scenario) -> Result<EnsembleSpec> {
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
        Ok(EnsembleSpec {
            runs,
            seed: self.seed.unwrap_or(scenario.scenario.seed),
            threads,
        })
    }

    /// Estimates a job of `arms` scenarios like `scenario` (wall time and memory), says it on
    /// stderr when it is long, and past [`CONFIRM_SECONDS`] or [`CONFIRM_BYTES`] needs `--yes`
    /// or the user's answer to [`Terminal::confirm`].
    pub fn check_cost(
        &self,
        scenario: &Scenario,
        model: &crate::model::Model,
        arms: (usize, KeptMonths),
        r: &EnsembleSpec,
    ) -> Result<Estimate> {
        let estimate = Estimate::of(scenario, model, arms, r);
        let confirm = estimate.seconds >= CONFIRM_SECONDS || estimate.bytes >= CONFIRM_BYTES;
        if !confirm || self.yes {
            if estimate.seconds >= NOTICE_SECONDS {
                self.terminal().tell(Tell::Estimate, &estimate.to_string());
            }
            return Ok(estimate);
        }
        if self.terminal().confirm(&estimate) {
            return Ok(estimate);
        }
        Err(Error::Refused(format!(
            "{estimate}: that is past {} min or {} GB; pass --yes to run it anyway, or lower --runs",
            CONFIRM_SECONDS / 60.0,
            CONFIRM_BYTES / 1e9
        )))
    }

    /// The output folder, made, checked (see [`output::prepare_dir`]: apart from `inputs`
    /// and `--posterior`) and marked incomplete until `finish` writes its manifest.
    pub fn prepare_dir(&self, name: &str, inputs: &[PathBuf]) -> Result<PathBuf> {
        let mut inputs = inputs.to_vec();
        inputs.extend(self.posterior.iter().cloned());
        let dir = output::prepare_dir(
            self.out.as_deref(),
            Path::new("output"),
            name,
            self.force,
            &inputs,
        )?;
        output::mark_incomplete(&dir)?;
        Ok(dir)
    }
}

/// Writes summary.csv: one row per (month, unit, indicator) with mean, sd and quantiles, and
/// with parameter draws, the sd's parts: noise (within draws) and parameters (between them).
pub(crate) fn write_summary(
    dir: &Path,
    start: YearMonth,
    layout: &Layout,
    summary: &Summary,
    spread: Option<&DrawSpread>,
) -> Result<()> {
    let mut w = columns::table::<columns::SummaryRow>()?;
    for row in 0..summary.rows() {
        let date = start.plus(row as i64).to_string();
        for (cell, c) in layout.cells.iter().enumerate() {
            let m = moments(summary, row, cell)?;
            let [p05, p25, p50, p75, p95] = m.quantiles.map(Number);
            let [sd_noise, sd_parameters] = split_cells(spread, row, cell);
            w.serialize(columns::SummaryRow {
                date: &date,
                state: &c.unit,
                indicator: &c.indicator,
                mean: Number(m.mean),
                sd: Number(m.sd),
                p05,
                p25,
                p50,
                p75,
                p95,
                sd_noise,
                sd_parameters,
            })?;
        }
    }
    AtomicFile::write(dir, "summary.csv", &w.into_inner()?)?;
    Ok(())
}

/// The model that ran, as manifests name it: `citizens` (agents) or `aggregate` (the aggregate
/// public opinion).
pub(crate) fn model_kind(model: &crate::model::Model) -> String {
    match model.citizen_layout {
        Some(_) => "citizens",
        None => "aggregate",
    }
    .to_string()
}

/// Writes indicators.csv: what each indicator of the folder's files is (from the model's table).
pub(crate) fn write_indicators(dir: &Path, layout: &Layout) -> Result<()> {
    let mut w = columns::table::<columns::IndicatorRow>()?;
    for d in &layout.described {
        let (min, max) = d.scale.range();
        w.serialize(columns::IndicatorRow {
            indicator: d.name.clone(),
            scope: d.scope.into(),
            scale: d.scale.name().into(),
            min: output::exact(min),
            max: output::exact(max),
            unit: d.unit.into(),
            label: d.label.clone(),
            chance: d.chance.clone(),
            parent: d.over_entities.into(),
            hazard: d.hazard.into(),
        })?;
    }
    AtomicFile::write(dir, "indicators.csv", &w.into_inner()?)?;
    Ok(())
}

/// The `sd_noise` and `sd_parameters` cells of `cell` at `row`: empty without parameter draws
/// (or where a part cannot be told: one run a draw, one draw).
pub(crate) fn split_cells(
    spread: Option<&DrawSpread>,
    row: usize,
    cell: usize,
) -> [Option<Number>; 2] {
    let split = spread.map(|s| s.split(row, cell));
    [
        split.and_then(|s| s.sd_noise),
        split.and_then(|s| s.sd_parameters),
    ]
    .map(|part| part.map(Number))
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

/// `scenario` as a folder's scenario.resolved.toml records it: with the runs and seed the job
/// ran, and without priors when its runs drew none (`--fixed`), so that `spheres run` of the
/// file reproduces the folder's numbers (after `--runs-per-draw` or `--posterior`, which the
/// file cannot hold, the manifest's command does).
pub(crate) fn as_ran(scenario: &Scenario, spec: &EnsembleSpec, draws: &draws::Draws) -> Scenario {
    let mut out = scenario.clone();
    out.scenario.runs = spec.runs;
    out.scenario.seed = spec.seed;
    if !draws.varies() {
        out.uncertain.clear();
    }
    out
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
    AtomicFile::write(
        dir,
        "columns.csv",
        &dictionary::columns_csv(&manifest.files)?,
    )?;
    manifest.files.push("columns.csv".to_string());
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
