//! `spheres run`: many seeded runs of one scenario, summarised as they finish, written to a
//! folder that holds everything needed to reproduce them.

use super::{Ensemble, finish, write_resolved, write_summary};
use crate::engine::ensemble::{self, Plan};
use crate::engine::step::{Workspace, simulate};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::model::events::RunEvent;
use crate::model::indicators::Layout;
use crate::output::{self, AtomicFile};
use crate::scenario;
use crate::statistics::Summary;
use indicatif::ProgressBar;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What `spheres run` was asked to do.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// A scenario file, or the name of a bundled scenario.
    pub scenario: String,
    pub ensemble: Ensemble,
    /// Write only summary.csv (with the manifest and resolved scenario), not the per-run files.
    pub summary_only: bool,
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
    let r = opts.ensemble.resolve(&scenario)?;
    let dir = opts.ensemble.prepare_dir(&scenario.scenario.name)?;
    let started = Instant::now();
    let progress = opts.ensemble.progress(r.runs);
    let per_run = !opts.summary_only;
    let model = Model::compile(&scenario);
    let layout = Layout::new(&model);
    let summary = simulate_to(
        &dir, &model, &layout, r.runs, r.seed, r.threads, per_run, &progress,
    )?;
    progress.finish_and_clear();
    write_summary(&dir, scenario.scenario.start, &layout, &summary)?;
    let sha = write_resolved(&dir, &scenario)?;
    let wall_seconds = started.elapsed().as_secs_f64();
    let mut files = vec!["summary.csv", "scenario.resolved.toml"];
    if per_run {
        files.extend(["outcomes.csv", "events.csv"]);
    }
    finish(
        &dir,
        opts.ensemble.no_charts,
        serde_json::json!({
            "scenario": scenario.scenario.name,
            "scenario_sha256": sha,
            "seed": r.seed,
            "runs": r.runs,
            "months": scenario.scenario.months,
            "start": scenario.scenario.start.to_string(),
            "threads": r.threads,
            "wall_seconds": wall_seconds,
            "command_line": opts.ensemble.command_line,
            "files": files,
        }),
    )?;
    Ok(RunReport {
        dir,
        runs: r.runs,
        seed: r.seed,
        threads: r.threads,
        wall_seconds,
    })
}

/// One worker's state: its buffers, its share of the summary, and rows formatted for the files.
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
#[allow(clippy::too_many_arguments)]
fn simulate_to(
    dir: &Path,
    model: &Model,
    layout: &Layout,
    runs: u64,
    seed: u64,
    threads: usize,
    per_run: bool,
    progress: &ProgressBar,
) -> Result<Summary> {
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
            ws: Workspace::new(model, layout),
            summary: Summary::new(layout.scales(), rows),
            outcomes: output::csv_buffer(),
            events: output::csv_buffer(),
        },
        |w, block| {
            for run in block {
                let summary = &mut w.summary;
                simulate(model, seed, run, &mut w.ws, &mut |month, row| {
                    summary.add_row(month, row)
                });
                summary.end_run();
                if per_run {
                    write_outcome(&mut w.outcomes, run, seed, &w.ws.row);
                    write_events(&mut w.events, run, model, &w.ws.events);
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
