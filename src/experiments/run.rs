//! `spheres run`: many seeded runs of one scenario, summarised as they finish, written to a
//! folder that holds everything needed to reproduce them.

use super::KeptMonths;
use super::draws::Draws;
use super::driver::{Compiled, Folder, Job, RunDone, Tally};
use super::{Ensemble, write_resolved, write_summary};
use crate::error::Result;
use crate::model::Model;
use crate::model::events::RunEvent;
use crate::model::indicators::Layout;
use crate::output::manifest::{self, Experiment, Manifest};
use crate::output::{self, AtomicFile, Number, columns};
use crate::statistics::{DrawSpread, Summary};
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
    let (tree, scenario) = super::load_tree(
        &opts.scenario,
        &opts.ensemble.sets,
        opts.ensemble.terminal(),
    )?;
    let mut r = opts.ensemble.resolve(&scenario)?;
    let draws = Draws::resolve(&opts.ensemble, &scenario, &mut r)?;
    let compiled = Compiled::with_tree(tree, scenario)?;
    let name = compiled.scenario.scenario.name.clone();
    let label = draws.label(name.clone());
    let mut job = Job::start(
        &opts.ensemble,
        (&[&compiled], KeptMonths::All),
        &[],
        r,
        Folder::New(name),
        label,
    )?;
    let dir = job.dir()?.clone();
    let streams = Streams {
        per_run: !opts.summary_only,
        trajectories: opts.trajectories.min(r.runs),
        trace: opts.ensemble.trace.min(r.runs),
    };
    let (summary, spread) = simulate_to(&mut job, &compiled, &draws, &streams)?;
    let scenario = &compiled.scenario;
    write_summary(
        &dir,
        scenario.scenario.start,
        &compiled.layout,
        &summary,
        spread.as_ref(),
    )?;
    super::write_indicators(&dir, &compiled.layout)?;
    let sha = write_resolved(&dir, &super::as_ran(scenario, &r, &draws))?;
    let wall_seconds = job.wall_seconds();
    let files = written(&streams, &draws);
    job.finish(Manifest::new(
        Experiment::Run(manifest::Run {
            scenario: scenario.scenario.name.clone(),
            scenario_sha256: sha,
            model: super::model_kind(&compiled.model),
            months: scenario.scenario.months,
            start: scenario.scenario.start.to_string(),
            threads: r.threads,
            wall_seconds,
            parameters: draws.manifest(scenario),
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

/// The files a run writes, as its manifest lists them.
fn written(streams: &Streams, draws: &Draws) -> Vec<&'static str> {
    let mut files = vec!["summary.csv", "indicators.csv", "scenario.resolved.toml"];
    if streams.per_run {
        files.extend(["outcomes.csv", "events.csv"]);
    }
    if streams.trajectories > 0 {
        files.push("trajectories.csv");
    }
    if streams.trace > 0 {
        files.push("trace.csv");
    }
    if draws.varies() {
        files.push("draws.csv");
    }
    files
}

/// Something of each file a run writes run by run (draws.csv: draw by draw), in run order.
struct ByFile<T> {
    outcomes: T,
    events: T,
    trajectories: T,
    draws: T,
    trace: T,
}

impl<T> ByFile<T> {
    /// The same of every file.
    fn each(mut make: impl FnMut() -> T) -> ByFile<T> {
        ByFile {
            outcomes: make(),
            events: make(),
            trajectories: make(),
            draws: make(),
            trace: make(),
        }
    }

    /// Each file's name and thing, in one fixed order (the order of a block's rows).
    fn named(self) -> [(&'static str, T); 5] {
        [
            ("outcomes.csv", self.outcomes),
            ("events.csv", self.events),
            ("trajectories.csv", self.trajectories),
            ("draws.csv", self.draws),
            ("trace.csv", self.trace),
        ]
    }

    /// A reference to each file's thing.
    fn as_mut(&mut self) -> ByFile<&mut T> {
        ByFile {
            outcomes: &mut self.outcomes,
            events: &mut self.events,
            trajectories: &mut self.trajectories,
            draws: &mut self.draws,
            trace: &mut self.trace,
        }
    }

    /// `f` of each file's name and thing, stopping at the first error.
    fn try_map<U>(self, mut f: impl FnMut(&str, T) -> Result<U>) -> Result<ByFile<U>> {
        let [
            (o, outcomes),
            (e, events),
            (t, trajectories),
            (d, draws),
            (r, trace),
        ] = self.named();
        Ok(ByFile {
            outcomes: f(o, outcomes)?,
            events: f(e, events)?,
            trajectories: f(t, trajectories)?,
            draws: f(d, draws)?,
            trace: f(r, trace)?,
        })
    }
}

/// Which per-run files a run writes.
struct Streams {
    /// Write outcomes.csv and events.csv.
    per_run: bool,
    /// Write every month of the first this many runs to trajectories.csv.
    trajectories: u64,
    /// Write the channels of the first this many runs to trace.csv.
    trace: u64,
}

/// What a run keeps of its runs: the summary (and the spread over draws, when they vary), and
/// the rows of its per-run files.
struct RunTally<'a> {
    compiled: &'a Compiled,
    seed: u64,
    runs_per_draw: u64,
    streams: &'a Streams,
    summary: Summary,
    spread: Option<DrawSpread>,
    rows: ByFile<csv::Writer<Vec<u8>>>,
}

impl<'a> RunTally<'a> {
    fn new(compiled: &'a Compiled, draws: &Draws, seed: u64, streams: &'a Streams) -> Self {
        let (layout, rows) = (&compiled.layout, compiled.model.months as usize + 1);
        RunTally {
            compiled,
            seed,
            runs_per_draw: draws.runs_per_draw,
            streams,
            summary: Summary::new(layout.scales(), rows),
            spread: draws
                .varies()
                .then(|| DrawSpread::new(layout.ranges(), rows, draws.runs_per_draw)),
            rows: ByFile::each(output::csv_buffer),
        }
    }
}

impl Tally for RunTally<'_> {
    fn observe(&mut self, _: usize, run: u64, month: usize, row: &[f64]) -> Result<()> {
        self.summary.add_row(month, row);
        if let Some(spread) = self.spread.as_mut() {
            spread.add_row(month, row);
        }
        if run < self.streams.trajectories {
            let date = self.compiled.model.start.plus(month as i64);
            write_trajectory(
                &mut self.rows.trajectories,
                run,
                date,
                &self.compiled.layout,
                row,
            )?;
        }
        Ok(())
    }

    fn end_run(&mut self, done: &RunDone) -> Result<()> {
        self.summary.end_run();
        if let Some(spread) = self.spread.as_mut() {
            spread.end_run();
        }
        if self.streams.per_run {
            let ws = &done.spaces[0];
            let draw = done.run / self.runs_per_draw;
            write_outcome(
                &mut self.rows.outcomes,
                (done.run, draw),
                self.seed,
                &ws.row,
            )?;
            write_events(&mut self.rows.events, done.run, &done.models[0], &ws.events)?;
        }
        if done.run < self.streams.trace {
            let rows = &done.spaces[0].trace;
            super::trace::write(&mut self.rows.trace, done.run, &done.models[0], rows)?;
        }
        Ok(())
    }

    fn end_draw(&mut self, draw: u64, values: &[(String, f64)]) -> Result<()> {
        if let Some(spread) = self.spread.as_mut() {
            write_draw(&mut self.rows.draws, draw, values)?;
            spread.end_draw();
        }
        Ok(())
    }

    fn take_block(&mut self) -> Result<Vec<Vec<u8>>> {
        self.rows
            .as_mut()
            .named()
            .into_iter()
            .map(|(_, rows)| output::take_csv(rows))
            .collect()
    }

    fn merge(&mut self, other: &Self) {
        self.summary.merge(&other.summary);
        if let (Some(total), Some(part)) = (self.spread.as_mut(), other.spread.as_ref()) {
            total.merge(part);
        }
    }
}

/// Runs the ensemble draw by draw, streaming the per-run files in run order; returns the
/// summary, and the spread over draws when they vary.
fn simulate_to(
    job: &mut Job,
    compiled: &Compiled,
    draws: &Draws,
    streams: &Streams,
) -> Result<(Summary, Option<DrawSpread>)> {
    let mut files = open_streams(job.dir()?, compiled, draws, streams)?;
    let seed = job.spec.seed;
    let tally = job.simulate(
        &[compiled],
        draws,
        || RunTally::new(compiled, draws, seed, streams),
        |block| {
            for ((_, file), bytes) in files.as_mut().named().into_iter().zip(&block) {
                if let Some(f) = file {
                    f.write_all(bytes)?;
                }
            }
            Ok(())
        },
    )?;
    for (_, file) in files.named() {
        if let Some(f) = file {
            f.commit()?;
        }
    }
    debug_assert_eq!(
        tally.summary.runs(),
        job.spec.runs,
        "every run is summarised once"
    );
    Ok((tally.summary, tally.spread))
}

/// The per-run files this run writes, each with its header (`None` for the others).
fn open_streams(
    dir: &std::path::Path,
    compiled: &Compiled,
    draws: &Draws,
    streams: &Streams,
) -> Result<ByFile<Option<AtomicFile>>> {
    let headers = ByFile {
        outcomes: (streams.per_run, outcomes_header(&compiled.layout)),
        events: (streams.per_run, columns::header::<columns::EventRow>()?),
        trajectories: (
            streams.trajectories > 0,
            columns::header::<columns::TrajectoryRow>()?,
        ),
        draws: (draws.varies(), Draws::leading_columns(&compiled.scenario)),
        trace: (streams.trace > 0, super::trace::header()),
    };
    headers.try_map(|name, (enabled, header)| {
        if !enabled {
            return Ok(None);
        }
        let mut f = AtomicFile::create(dir, name)?;
        f.write_all(columns::line(&header).as_bytes())?;
        Ok(Some(f))
    })
}

/// One row of draws.csv: the draw and the value of each uncertain key path.
fn write_draw(w: &mut csv::Writer<Vec<u8>>, draw: u64, values: &[(String, f64)]) -> Result<()> {
    Ok(w.write_record(Draws::leading_cells(draw, values))?)
}

/// The rows of trajectories.csv of one run's month: every cell of the layout.
fn write_trajectory(
    w: &mut csv::Writer<Vec<u8>>,
    run: u64,
    date: crate::scenario::YearMonth,
    layout: &Layout,
    row: &[f64],
) -> Result<()> {
    let date = date.to_string();
    for (cell, &v) in layout.cells.iter().zip(row) {
        w.serialize(columns::TrajectoryRow {
            run,
            date: &date,
            state: &cell.unit,
            indicator: &cell.indicator,
            value: Number(v),
        })?;
    }
    Ok(())
}

/// outcomes.csv's header: [`columns::OUTCOMES`], then one column per cell of the layout, in its
/// order (the order of the values [`write_outcome`] writes).
fn outcomes_header(layout: &Layout) -> Vec<String> {
    let cells = layout
        .cells
        .iter()
        .map(|c| columns::outcome(&c.unit, &c.indicator));
    columns::OUTCOMES
        .map(String::from)
        .into_iter()
        .chain(cells)
        .collect()
}

/// A row of outcomes.csv ([`outcomes_header`]): the run, its draw of the parameters (draws.csv's
/// row; the run itself with fixed parameters), the master seed (the run's stream is that of
/// (seed, run)), and the value of every cell of the layout at the horizon.
fn write_outcome(
    w: &mut csv::Writer<Vec<u8>>,
    (run, draw): (u64, u64),
    seed: u64,
    row: &[f64],
) -> Result<()> {
    let mut record = Vec::with_capacity(row.len() + columns::OUTCOMES.len());
    record.extend([run.to_string(), draw.to_string(), seed.to_string()]);
    record.extend(row.iter().map(|&v| output::number(v)));
    Ok(w.write_record(&record)?)
}

/// The rows of events.csv of one run.
fn write_events(
    w: &mut csv::Writer<Vec<u8>>,
    run: u64,
    model: &Model,
    events: &[RunEvent],
) -> Result<()> {
    for e in events {
        w.serialize(columns::EventRow {
            run,
            date: &model.start.plus(e.month as i64).to_string(),
            state: &model.codes[e.state],
            event: e.kind.name(),
            alignment: Number(e.alignment),
            opinion: Number(e.opinion),
        })?;
    }
    Ok(())
}
