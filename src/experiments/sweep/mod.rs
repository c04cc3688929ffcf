//! `spheres sweep` and `spheres merge`: a design of parameter points over a scenario, each run
//! `runs` times, summarised per point; sensitivity indices for Sobol and Morris designs; slices
//! (`--shard K/N`) that merge into the same bytes as one sweep; `--resume` after any stop.
//!
//! This file holds the sweep itself; `work` the runs of its points, `journal` the journals of
//! finished points and `--resume`, [`merge`] `spheres merge`, `indices` sensitivity.csv and
//! `ema` the `--format ema` archive.

mod ema;
mod indices;
mod journal;
mod merge;
mod work;

pub use merge::merge;
pub use work::Extras;

use super::driver::{Compiled, Folder, Job};
use super::{Charts, Ensemble, Tell, finish};
use crate::error::{Error, Result};
use crate::experiments::KeptMonths;
use crate::model::indicators::Layout;
use crate::output::manifest::{self, Experiment, Manifest};
use crate::output::{self, AtomicFile, columns};
use crate::scenario::{Design, Sweep, YearMonth, did_you_mean, load_sweep};
use crate::sensitivity::{self, DesignKind, Factor};
use crate::statistics::Scale;
use journal::Journals;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// What `spheres sweep` was asked to do.
#[derive(Clone, Debug)]
pub struct SweepOptions {
    /// The sweep file.
    pub file: String,
    /// Threads, `--out` and `--set` values (runs and seed come from the sweep file).
    pub ensemble: Ensemble,
    /// Run only slice K of N (1-based).
    pub shard: Option<(usize, usize)>,
    /// Continue an interrupted sweep in the same folder.
    pub resume: bool,
    /// Also write ema.tar.gz, which EMA Workbench's `load_results` reads.
    pub ema: bool,
    /// Also write runs.csv and series.csv.
    pub extras: Extras,
}

/// What a finished sweep wrote.
#[derive(Clone, Debug)]
pub struct SweepReport {
    /// The output folder.
    pub dir: PathBuf,
    /// Points of the design.
    pub points: usize,
    /// Points whose runs failed.
    pub failed: usize,
    /// Points found done by `--resume` (0 without it).
    pub resumed_from: usize,
    /// Sensitivity indices that did not converge (also in the manifest).
    pub warnings: Vec<String>,
}

/// The design's points (rows of parameter values), in order; refused before anything is built
/// if it would pass [`sensitivity::MAX_DESIGN_CELLS`].
pub fn design_points(s: &Sweep) -> Result<Vec<Vec<f64>>> {
    let factors = factors(s);
    let levels: Vec<usize> = s
        .parameters
        .iter()
        .map(|p| p.values.as_ref().map_or(s.points, Vec::len))
        .collect();
    let kind = match s.design {
        Design::Grid => DesignKind::Grid,
        Design::Sobol => DesignKind::Saltelli,
        Design::Morris => DesignKind::Morris,
        Design::Lhs | Design::MonteCarlo => DesignKind::Sample,
    };
    let cells = sensitivity::design_cells(kind, s.points, factors.len(), &levels);
    if cells > sensitivity::MAX_DESIGN_CELLS {
        return Err(Error::Input(format!(
            "sweep {}: the {} design would have {cells} values (points × parameters); at most {} are supported: lower `points` (or the levels of a grid)",
            s.name,
            s.design.name(),
            sensitivity::MAX_DESIGN_CELLS
        )));
    }
    Ok(match s.design {
        Design::Grid => {
            let values: Vec<Vec<f64>> = s
                .parameters
                .iter()
                .zip(&factors)
                .map(|(p, f)| {
                    p.values
                        .clone()
                        .unwrap_or_else(|| sensitivity::levels(f, s.points))
                })
                .collect();
            sensitivity::grid(&values)
        }
        Design::Lhs => sensitivity::latin_hypercube(&factors, s.points, s.seed),
        Design::Sobol => sensitivity::saltelli(&factors, s.points, s.seed),
        Design::Morris => sensitivity::morris(&factors, s.points, s.levels, s.seed),
        Design::MonteCarlo => sensitivity::monte_carlo(&factors, s.points, s.seed),
    })
}

fn factors(s: &Sweep) -> Vec<Factor> {
    s.parameters
        .iter()
        .map(|p| Factor {
            name: p.path.clone(),
            lower: p.min,
            upper: p.max,
        })
        .collect()
}

/// `unit.indicator` outputs and their cells in the layout; by default the region's indicators
/// and every state's and parent's alignment.
fn outputs(s: &Sweep, layout: &Layout) -> Result<Vec<(String, usize, Scale)>> {
    let names: Vec<String> = if s.outputs.is_empty() {
        layout
            .cells
            .iter()
            .filter(|c| c.unit == crate::model::indicators::REGION || c.indicator == "alignment")
            .map(|c| format!("{}.{}", c.unit, c.indicator))
            .collect()
    } else {
        s.outputs.clone()
    };
    names
        .into_iter()
        .map(|name| {
            let (unit, indicator) = name.split_once('.').unwrap_or((name.as_str(), ""));
            layout
                .find(unit, indicator)
                .map(|c| (name.clone(), c, layout.cells[c].scale))
                .ok_or_else(|| {
                    let mut units: Vec<&str> = layout.cells.iter().map(|c| c.unit.as_str()).collect();
                    units.dedup();
                    let hint = if units.contains(&unit) {
                        let indicators: Vec<&str> = layout
                            .cells
                            .iter()
                            .filter(|c| c.unit == unit)
                            .map(|c| c.indicator.as_ref())
                            .collect();
                        format!(
                            "{unit} has no indicator `{indicator}`{}",
                            did_you_mean(indicator, &indicators)
                        )
                    } else {
                        format!(
                            "`{unit}` is not a state, parent or `region`{}",
                            did_you_mean(unit, &units)
                        )
                    };
                    Error::Input(format!(
                        "sweep {}: outputs: `{name}`: {hint}; expected `unit.indicator` such as `region.mean_alignment` or `SRB.alignment`",
                        s.name
                    ))
                })
        })
        .collect()
}

/// A sweep (or its slice) ready to run: the sweep file, its design, what is recorded of each
/// point, and the folder, prepared.
struct Prepared<'a> {
    s: Sweep,
    points: Vec<Vec<f64>>,
    /// The slice's points.
    slice: Range<usize>,
    outputs: Vec<(String, usize, Scale)>,
    /// The scenario's months: each point is summarised at this horizon.
    months: usize,
    /// The scenario's start month (month 0).
    start: YearMonth,
    /// runs.csv and series.csv, when asked.
    extras: Extras,
    scenario_sha256: String,
    /// The job (its threads, checks and folder) and its folder.
    job: Job<'a>,
    dir: PathBuf,
}

/// Runs the sweep (or its slice) and writes points.csv, results.csv, runs.csv and series.csv
/// (when asked), sensitivity.csv (Sobol and Morris, whole sweeps only), sweep.toml and
/// manifest.json.
pub fn sweep(opts: &SweepOptions) -> Result<SweepReport> {
    let p = prepare(opts)?;
    AtomicFile::write(&p.dir, "sweep.toml", p.s.text.as_bytes())?;
    write_points(&p.dir, &p.s, &p.points[p.slice.clone()], p.slice.start)?;
    let mut m = sweep_manifest(opts, &p);
    let mut journals = Journals::open(
        &p.dir,
        p.slice.start,
        opts.resume,
        &columns::line(&columns::results(&m.outputs)),
        p.extras
            .per_run
            .then(|| (columns::line(&columns::runs(&m.outputs)), p.s.runs)),
        p.extras.series.then(|| {
            (
                columns::line(&columns::series(&m.outputs)),
                p.months as u64 + 1,
            )
        }),
    )?;
    let done = journals.done();
    let first = p.slice.start + done;
    run_points(&p, first..p.slice.end, &mut journals)?;
    journals.finish()?;
    m.resumed_from_point = (done > 0).then_some(first);
    let extent = match opts.shard {
        None => Extent::Whole,
        Some(_) => Extent::Slice,
    };
    let files = conclude(&p.dir, &mut m, p.s.design, p.s.seed, &p.points, extent)?;
    let report = SweepReport {
        dir: p.dir.clone(),
        points: p.slice.len(),
        failed: m.failed_points,
        resumed_from: done,
        warnings: m.sensitivity_warnings.clone(),
    };
    let manifest = Manifest::new(
        Experiment::Sweep(m),
        p.s.seed,
        p.s.runs,
        &opts.ensemble.command_line,
        files,
    );
    p.job.finish(manifest)?;
    Ok(report)
}

/// The manifest's account of a sweep (or slice) about to run: no point failed or resumed yet.
fn sweep_manifest(opts: &SweepOptions, p: &Prepared) -> manifest::Sweep {
    manifest::Sweep {
        sweep: p.s.name.clone(),
        design: p.s.design.name().to_string(),
        points: p.points.len(),
        slice: manifest::Slice {
            shard: opts.shard.map(|(k, n)| format!("{k}/{n}")),
            first_point: p.slice.start,
            end_point: p.slice.end,
            merged_from: None,
        },
        parameters: p
            .s
            .parameters
            .iter()
            .map(|q| manifest::Parameter {
                path: q.path.clone(),
                min: q.min,
                max: q.max,
            })
            .collect(),
        outputs: p.outputs.iter().map(|o| o.0.clone()).collect(),
        failed_points: 0,
        ema: opts.ema,
        per_run: p.extras.per_run,
        series: p.extras.series,
        start: p.start.to_string(),
        months: p.months as u32,
        scenario_sha256: p.scenario_sha256.clone(),
        sensitivity_warnings: Vec::new(),
        resumed_from_point: None,
    }
}

/// Whether a folder holds every point of its sweep (run whole, or merged) or a slice.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Extent {
    Whole,
    Slice,
}

/// Completes a sweep's folder (run whole, a slice, or merged) once results.csv is written:
/// counts the failed points, writes sensitivity.csv (a whole sweep of a Sobol or Morris design
/// in which no point failed) and ema.tar.gz (if `m.ema`), and records them in `m`. Returns
/// the data files the folder holds.
fn conclude(
    dir: &Path,
    m: &mut manifest::Sweep,
    design: Design,
    seed: u64,
    points: &[Vec<f64>],
    extent: Extent,
) -> Result<Vec<String>> {
    m.failed_points = count_failed(&dir.join("results.csv"))?;
    let mut files = vec!["sweep.toml", "points.csv", "results.csv"];
    if m.per_run {
        files.push("runs.csv");
    }
    if m.series {
        files.push("series.csv");
    }
    let factors: Vec<Factor> = m
        .parameters
        .iter()
        .map(|q| Factor {
            name: q.path.clone(),
            lower: q.min,
            upper: q.max,
        })
        .collect();
    if extent == Extent::Whole
        && m.failed_points == 0
        && let Some(w) =
            indices::write_sensitivity(dir, design, seed, &factors, &m.outputs, points)?
    {
        files.push("sensitivity.csv");
        m.sensitivity_warnings = w;
    }
    if m.ema {
        ema::write_ema(dir, m)?;
        files.push("ema.tar.gz");
    }
    Ok(super::files(&files))
}

/// Loads the sweep file, draws its design, picks the slice, checks the outputs and the cost,
/// and prepares the folder (a new one, or the one `--resume` continues).
fn prepare(opts: &SweepOptions) -> Result<Prepared<'_>> {
    if opts.ensemble.runs.is_some() || opts.ensemble.seed.is_some() {
        return Err(Error::Input(format!(
            "{}: --runs and --seed do not apply to a sweep; set `runs` and `seed` in its [sweep] table, so that every slice and resume of it agrees",
            opts.file
        )));
    }
    let s = load_sweep(&opts.file, &opts.ensemble.sets)?;
    for n in s.tree.notes() {
        opts.ensemble.terminal().tell(Tell::Note, n);
    }
    let points = design_points(&s)?;
    let slice = match opts.shard {
        None => 0..points.len(),
        Some((k, n)) if k >= 1 && k <= n => (k - 1) * points.len() / n..k * points.len() / n,
        Some((k, n)) => {
            return Err(Error::Input(format!(
                "--shard {k}/{n}: expected K/N with 1 <= K <= N"
            )));
        }
    };
    let base = Compiled::new(s.tree.scenario_with(&[])?)?;
    let outputs = outputs(&s, &base.layout)?;
    let r = super::EnsembleSpec {
        runs: s.runs * slice.len() as u64,
        seed: s.seed,
        threads: opts.ensemble.resolve(&base.scenario)?.threads,
    };
    let folder = match opts.shard {
        _ if opts.resume => Folder::Continued(journal::resume_dir(opts, &s)?),
        Some((k, n)) => Folder::New(format!("{}-shard-{k}-of-{n}", s.name)),
        None => Folder::New(s.name.clone()),
    };
    let label = super::Label {
        text: match opts.shard {
            Some((k, n)) => format!("sweep {} {k}/{n}", s.name),
            None => format!("sweep {}", s.name),
        },
        unit: "runs",
    };
    let mut inputs = s.tree.files();
    // A bundled sweep (`spheres sweep grid`) is no file the output could overwrite.
    if std::path::Path::new(&opts.file).exists() {
        inputs.push(PathBuf::from(&opts.file));
    }
    let job = Job::start(
        &opts.ensemble,
        (&[&base], KeptMonths::All),
        &inputs,
        r,
        folder,
        label,
    )?;
    Ok(Prepared {
        scenario_sha256: super::sha256(base.scenario.to_toml()?.as_bytes()),
        months: base.model.months as usize,
        start: base.model.start,
        extras: opts.extras,
        s,
        points,
        slice,
        outputs,
        dir: job.dir()?.clone(),
        job,
    })
}

/// Runs the points `todo` on the worker threads, run by run, appending their rows to the
/// journals in run order.
fn run_points(p: &Prepared, todo: Range<usize>, journals: &mut Journals) -> Result<()> {
    let runs = p.s.runs;
    let first = todo.start as u64 * runs;
    let mut assembly = work::Assembly::new(p);
    p.job.run(
        todo.len() as u64 * runs,
        work::Worker::default,
        |w, block| work::work(p, w, first + block.start..first + block.end),
        |pieces| journals.append(&assembly.add(pieces?)?),
    )?;
    Ok(())
}

fn write_points(dir: &Path, s: &Sweep, points: &[Vec<f64>], first: usize) -> Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let parameters: Vec<String> = s.parameters.iter().map(|p| p.path.clone()).collect();
    w.write_record(columns::points(&parameters))?;
    for (k, row) in points.iter().enumerate() {
        let mut record = vec![(first + k).to_string()];
        record.extend(row.iter().map(|&v| output::exact(v)));
        w.write_record(&record)?;
    }
    AtomicFile::write(dir, "points.csv", &w.into_inner()?)?;
    Ok(())
}

/// Points of results.csv whose `error` says they failed.
fn count_failed(results: &Path) -> Result<usize> {
    let bad = |e| output::table_error(results, e);
    let (mut reader, header) = output::open_table(results)?;
    let error = columns::find(results, &header, columns::ERROR)?;
    let mut failed = 0;
    for record in reader.records() {
        failed += usize::from(!record.map_err(bad)?[error].is_empty());
    }
    Ok(failed)
}
