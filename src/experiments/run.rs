//! `spheres run`: many seeded runs of one scenario, summarised as they finish, written to a
//! folder that holds everything needed to reproduce them.

use super::driver::{Compiled, Folder, Job};
use super::{Ensemble, write_resolved, write_summary};
use crate::engine::step::{Workspace, simulate};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::model::events::RunEvent;
use crate::model::indicators::Layout;
use crate::output::manifest::{self, Experiment, Manifest};
use crate::output::{self, AtomicFile, columns};
use crate::statistics::Summary;
use std::path::PathBuf;

/// What `spheres run` was asked to do.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// A scenario file, or the name of a bundled scenario.
    pub scenario: String,
    /// Runs, seed, threads, `--out` and `--set` values.
    pub ensemble: Ensemble,
    /// Write only summary.csv (with the manifest and resolved scenario), not the per-run files.
    pub summary_only: bool,
    /// Write every month of the first this many runs to trajectories.csv.
    pub trajectories: u64,
}

/// What a finished run wrote.
#[derive(Clone, Debug)]
pub struct RunReport {
    /// The output folder.
    pub dir: PathBuf,
    /// Runs done.
    pub runs: u64,
    /// The master seed.
    pub seed: u64,
    /// Worker threads used.
    pub threads: usize,
    /// Wall time, seconds.
    pub wall_seconds: f64,
}

/// Loads the scenario, runs it and writes summary.csv, outcomes.csv, events.csv,
/// scenario.resolved.toml and manifest.json (last, once everything else is complete).
pub fn run(opts: &RunOptions) -> Result<RunReport> {
    let scenario = super::load(
        &opts.scenario,
        &opts.ensemble.sets,
        opts.ensemble.terminal(),
    )?;
    let r = opts.ensemble.resolve(&scenario)?;
    let compiled = Compiled::new(scenario)?;
    let name = compiled.scenario.scenario.name.clone();
    let label = super::Label {
        text: name.clone(),
        unit: "runs",
    };
    let job = Job::start(&opts.ensemble, &compiled, 1, r, Folder::New(name), label)?;
    let dir = job.dir()?.clone();
    let streams = Streams {
        per_run: !opts.summary_only,
        trajectories: opts.trajectories.min(r.runs),
    };
    let summary = simulate_to(&job, &compiled, &streams)?;
    let scenario = &compiled.scenario;
    write_summary(&dir, scenario.scenario.start, &compiled.layout, &summary)?;
    let sha = write_resolved(&dir, scenario)?;
    let wall_seconds = job.wall_seconds();
    let mut files = vec!["summary.csv", "scenario.resolved.toml"];
    if streams.per_run {
        files.extend(["outcomes.csv", "events.csv"]);
    }
    if streams.trajectories > 0 {
        files.push("trajectories.csv");
    }
    job.finish(Manifest::new(
        Experiment::Run(manifest::Run {
            scenario: scenario.scenario.name.clone(),
            scenario_sha256: sha,
            months: scenario.scenario.months,
            start: scenario.scenario.start.to_string(),
            threads: r.threads,
            wall_seconds,
        }),
        r.seed,
        r.runs,
        &opts.ensemble.command_line,
        super::files(&files),
    ))?;
    Ok(RunReport {
        dir,
        runs: r.runs,
        seed: r.seed,
        threads: r.threads,
        wall_seconds,
    })
}

/// The files written run by run, in run order.
const STREAMS: [&str; 3] = ["outcomes.csv", "events.csv", "trajectories.csv"];

/// One worker's state: its buffers, its share of the summary, and rows formatted for the
/// files of [`STREAMS`].
struct Worker {
    ws: Workspace,
    summary: Summary,
    rows: [csv::Writer<Vec<u8>>; 3],
}

/// Which per-run files a run writes.
struct Streams {
    /// Write outcomes.csv and events.csv.
    per_run: bool,
    /// Write every month of the first this many runs to trajectories.csv.
    trajectories: u64,
}

/// Runs the ensemble, streaming the per-run files in run order; returns the summary.
fn simulate_to(job: &Job, compiled: &Compiled, streams: &Streams) -> Result<Summary> {
    let (model, layout) = (&compiled.model, &compiled.layout);
    let (seed, dir) = (job.resolved.seed, job.dir()?);
    let rows = model.months as usize + 1;
    let enabled = [streams.per_run, streams.per_run, streams.trajectories > 0];
    let mut header: Vec<String> = columns::OUTCOMES.map(String::from).to_vec();
    header.extend(
        layout
            .cells
            .iter()
            .map(|(unit, name, _)| columns::outcome(unit, name)),
    );
    let headers = [
        columns::line(&header),
        columns::line(&columns::EVENTS),
        columns::line(&columns::TRAJECTORIES),
    ];
    let mut files: Vec<Option<AtomicFile>> = Vec::new();
    for k in 0..STREAMS.len() {
        files.push(if enabled[k] {
            let mut f = AtomicFile::create(dir, STREAMS[k])?;
            f.write_all(headers[k].as_bytes())?;
            Some(f)
        } else {
            None
        });
    }
    let workers = job.run(
        job.resolved.runs,
        || Worker {
            ws: Workspace::new(model, layout),
            summary: Summary::new(layout.scales(), rows),
            rows: std::array::from_fn(|_| output::csv_buffer()),
        },
        |w, block| -> Result<[Vec<u8>; 3]> {
            for run in block {
                let (summary, [outcomes, events, trajectories]) = (&mut w.summary, &mut w.rows);
                let keep = run < streams.trajectories;
                let mut failed = Ok(());
                simulate(model, seed, run, &mut w.ws, &mut |month, row| {
                    summary.add_row(month, row);
                    if keep && failed.is_ok() {
                        failed = write_trajectory(
                            trajectories,
                            run,
                            model.start.plus(month as i64),
                            layout,
                            row,
                        );
                    }
                })
                .map_err(|v| Error::Internal(v.describe(model, layout)))?;
                failed?;
                summary.end_run();
                if streams.per_run {
                    write_outcome(outcomes, run, seed, &w.ws.row)?;
                    write_events(events, run, model, &w.ws.events)?;
                }
            }
            let [a, b, c] = &mut w.rows;
            Ok([
                output::take_csv(a)?,
                output::take_csv(b)?,
                output::take_csv(c)?,
            ])
        },
        |bytes| {
            for (file, bytes) in files.iter_mut().zip(&bytes?) {
                if let Some(f) = file {
                    f.write_all(bytes)?;
                }
            }
            Ok(())
        },
    )?;
    for f in files.into_iter().flatten() {
        f.commit()?;
    }
    let mut summary = Summary::new(layout.scales(), rows);
    for w in &workers {
        summary.merge(&w.summary);
    }
    debug_assert_eq!(
        summary.runs(),
        job.resolved.runs,
        "every run is summarised once"
    );
    Ok(summary)
}

fn write_trajectory(
    w: &mut csv::Writer<Vec<u8>>,
    run: u64,
    date: crate::scenario::YearMonth,
    layout: &Layout,
    row: &[f64],
) -> Result<()> {
    let (run, date) = (run.to_string(), date.to_string());
    for ((unit, name, _), &v) in layout.cells.iter().zip(row) {
        w.write_record([
            run.as_str(),
            date.as_str(),
            unit.as_str(),
            name.as_str(),
            output::number(v).as_str(),
        ])?;
    }
    Ok(())
}

fn write_outcome(w: &mut csv::Writer<Vec<u8>>, run: u64, seed: u64, row: &[f64]) -> Result<()> {
    let mut record = Vec::with_capacity(row.len() + 2);
    record.push(run.to_string());
    record.push(seed.to_string());
    record.extend(row.iter().map(|&v| output::number(v)));
    Ok(w.write_record(&record)?)
}

fn write_events(
    w: &mut csv::Writer<Vec<u8>>,
    run: u64,
    model: &Model,
    events: &[RunEvent],
) -> Result<()> {
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
        ])?;
    }
    Ok(())
}
