//! `spheres run`: many seeded runs of one scenario, summarised as they finish, written to a
//! folder that holds everything needed to reproduce them.

use crate::engine::ensemble::{self, Plan};
use crate::engine::step::{Workspace, simulate};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::model::events::RunEvent;
use crate::model::indicators::Layout;
use crate::output::{self, AtomicFile};
use crate::scenario::{self, Scenario};
use crate::statistics::{QUANTILES, Summary};
use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What `spheres run` was asked to do.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// A scenario file, or the name of a bundled scenario.
    pub scenario: String,
    pub runs: Option<u64>,
    pub seed: Option<u64>,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Output folder; `None` makes a new one under `output/`.
    pub out: Option<PathBuf>,
    pub force: bool,
    /// No progress bar.
    pub quiet: bool,
    /// Write only summary.csv (with the manifest and resolved scenario), not the per-run files.
    pub summary_only: bool,
    /// The command line, recorded in the manifest.
    pub command_line: String,
}

/// What a finished run wrote.
#[derive(Clone, Debug)]
pub struct RunReport {
    pub dir: PathBuf,
    pub runs: u64,
    pub seed: u64,
    pub threads: usize,
    pub wall_seconds: f64,
}

/// Loads the scenario, runs it and writes summary.csv, outcomes.csv, events.csv,
/// scenario.resolved.toml and manifest.json (last, once everything else is complete).
pub fn run(opts: &RunOptions) -> Result<RunReport> {
    let scenario = scenario::load(&opts.scenario)?;
    let runs = opts.runs.unwrap_or(scenario.scenario.runs);
    if runs == 0 || runs > scenario::MAX_RUNS as u64 {
        return Err(Error::Input(format!(
            "--runs {runs}: expected a number of runs in [1, {}]",
            scenario::MAX_RUNS
        )));
    }
    let seed = opts.seed.unwrap_or(scenario.scenario.seed);
    let threads = match opts.threads {
        Some(0) => {
            return Err(Error::Input(
                "--threads 0: expected at least 1 thread".into(),
            ));
        }
        Some(t) => t,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let dir = output::prepare_dir(
        opts.out.as_deref(),
        Path::new("output"),
        &scenario.scenario.name,
        opts.force,
    )?;
    let started = Instant::now();
    let progress = progress_bar(runs, opts.quiet);
    let per_run = !opts.summary_only;
    let summary = simulate_to(&dir, &scenario, runs, seed, threads, per_run, &progress)?;
    progress.finish_and_clear();
    write_summary(&dir, &scenario, &summary)?;
    let resolved = scenario.to_toml();
    AtomicFile::write(&dir, "scenario.resolved.toml", resolved.as_bytes())?;
    let wall_seconds = started.elapsed().as_secs_f64();
    let mut files = vec!["summary.csv", "scenario.resolved.toml"];
    if per_run {
        files.extend(["outcomes.csv", "events.csv"]);
    }
    let manifest = serde_json::json!({
        "spheres_version": env!("CARGO_PKG_VERSION"),
        "scenario": scenario.scenario.name,
        "scenario_sha256": hex(&Sha256::digest(resolved.as_bytes())),
        "seed": seed,
        "runs": runs,
        "months": scenario.scenario.months,
        "start": scenario.scenario.start.to_string(),
        "threads": threads,
        "wall_seconds": wall_seconds,
        "command_line": opts.command_line,
        "files": files,
        "complete": true,
    });
    let text = serde_json::to_string_pretty(&manifest).expect("JSON of plain values") + "\n";
    AtomicFile::write(&dir, "manifest.json", text.as_bytes())?;
    Ok(RunReport {
        dir,
        runs,
        seed,
        threads,
        wall_seconds,
    })
}

fn progress_bar(runs: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(runs);
    bar.set_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} runs  {per_sec}  {elapsed} elapsed, {eta} left",
        )
        .expect("the template is valid"),
    );
    bar
}

struct Worker {
    ws: Workspace,
    summary: Summary,
    outcomes: csv::Writer<Vec<u8>>,
    events: csv::Writer<Vec<u8>>,
}

/// Per-run files being written: outcomes.csv and events.csv.
struct PerRunFiles {
    outcomes: AtomicFile,
    events: AtomicFile,
}

/// Runs the ensemble, streaming outcomes.csv and events.csv in run order when `per_run`;
/// returns the summary.
fn simulate_to(
    dir: &Path,
    scenario: &Scenario,
    runs: u64,
    seed: u64,
    threads: usize,
    per_run: bool,
    progress: &ProgressBar,
) -> Result<Summary> {
    let model = Model::compile(scenario);
    let layout = Layout::new(&model);
    let rows = model.months as usize + 1;
    let mut files = if per_run {
        let mut outcomes = AtomicFile::create(dir, "outcomes.csv")?;
        let mut events = AtomicFile::create(dir, "events.csv")?;
        let mut header = vec!["run".to_string(), "seed".to_string()];
        header.extend(
            layout
                .cells
                .iter()
                .map(|(unit, name, _)| format!("{unit}_{name}")),
        );
        outcomes.write_all((header.join(",") + "\n").as_bytes())?;
        events.write_all(b"run,date,state,event,detail\n")?;
        Some(PerRunFiles { outcomes, events })
    } else {
        None
    };
    let workers = ensemble::run_blocks(
        Plan { runs, threads },
        || Worker {
            ws: Workspace::new(&model, &layout),
            summary: Summary::new(layout.scales(), rows),
            outcomes: output::csv_buffer(),
            events: output::csv_buffer(),
        },
        |w, block| {
            for run in block {
                let summary = &mut w.summary;
                simulate(&model, seed, run, &mut w.ws, &mut |month, row| {
                    summary.add_row(month, row)
                });
                summary.end_run();
                if per_run {
                    write_outcome(&mut w.outcomes, run, seed, &w.ws.row);
                    write_events(&mut w.events, run, &model, &w.ws.events);
                }
            }
            (
                output::take_csv(&mut w.outcomes),
                output::take_csv(&mut w.events),
            )
        },
        |block, (outcome_bytes, event_bytes)| {
            if let Some(f) = files.as_mut() {
                f.outcomes.write_all(&outcome_bytes)?;
                f.events.write_all(&event_bytes)?;
            }
            progress.inc(block.end - block.start);
            Ok::<(), Error>(())
        },
    )?;
    if let Some(f) = files {
        f.outcomes.commit()?;
        f.events.commit()?;
    }
    let mut summary = Summary::new(layout.scales(), rows);
    for w in &workers {
        summary.merge(&w.summary);
    }
    assert_eq!(summary.runs(), runs, "every run is summarised once");
    Ok(summary)
}

fn write_outcome(w: &mut csv::Writer<Vec<u8>>, run: u64, seed: u64, row: &[f64]) {
    let mut record = Vec::with_capacity(row.len() + 2);
    record.push(run.to_string());
    record.push(seed.to_string());
    record.extend(row.iter().map(|&v| output::number(v)));
    w.write_record(&record)
        .expect("writing to memory cannot fail");
}

fn write_events(w: &mut csv::Writer<Vec<u8>>, run: u64, model: &Model, events: &[RunEvent]) {
    for e in events {
        let detail = format!(
            "alignment {} opinion {}",
            output::number(e.alignment),
            output::number(e.opinion)
        );
        w.write_record([
            run.to_string().as_str(),
            &model.start.plus(e.month as i64).to_string(),
            &model.codes[e.state],
            e.kind.name(),
            &detail,
        ])
        .expect("writing to memory cannot fail");
    }
}

fn write_summary(dir: &Path, scenario: &Scenario, summary: &Summary) -> Result<()> {
    let model_start = scenario.scenario.start;
    let layout = Layout::new(&Model::compile(scenario));
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["date", "state", "indicator", "mean", "sd"];
    let names = QUANTILES.map(|q| format!("p{:02}", (q * 100.0).round() as u32));
    header.extend(names.iter().map(String::as_str));
    w.write_record(&header).expect("memory");
    for row in 0..summary.rows() {
        let date = model_start.plus(row as i64).to_string();
        for (cell, (unit, name, _)) in layout.cells.iter().enumerate() {
            let m = summary.moments(row, cell).expect("at least one run");
            let mut record = vec![
                date.clone(),
                unit.clone(),
                name.to_string(),
                output::number(m.mean),
                output::number(m.sd),
            ];
            record.extend(m.quantiles.iter().map(|&q| output::number(q)));
            w.write_record(&record).expect("memory");
        }
    }
    let bytes = w.into_inner().expect("memory");
    AtomicFile::write(dir, "summary.csv", &bytes)?;
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
