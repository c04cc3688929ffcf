//! `spheres sweep` and `spheres merge`: a design of parameter points over a scenario, each run
//! `runs` times, summarised per point; sensitivity indices for Sobol and Morris designs; slices
//! (`--shard K/N`) that merge into the same bytes as one sweep; `--resume` after any stop.

use super::sensitivity::{Method, indices_table};
use super::{Ensemble, finish};
use crate::engine::ensemble::{self, Plan};
use crate::engine::step::{Workspace, simulate};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::model::indicators::Layout;
use crate::output::{self, AtomicFile};
use crate::scenario::{Design, Sweep, load_sweep};
use crate::sensitivity::{self, DesignKind, Factor};
use crate::statistics::{Scale, Summary};
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

/// What `spheres sweep` was asked to do.
#[derive(Clone, Debug)]
pub struct SweepOptions {
    pub file: String,
    pub ensemble: Ensemble,
    /// Run only slice K of N (1-based).
    pub shard: Option<(usize, usize)>,
    /// Continue an interrupted sweep in the same folder.
    pub resume: bool,
    /// Also write ema.tar.gz, which EMA Workbench's `load_results` reads.
    pub ema: bool,
}

/// What a finished sweep wrote.
#[derive(Clone, Debug)]
pub struct SweepReport {
    pub dir: PathBuf,
    pub points: usize,
    pub failed: usize,
    pub resumed_from: usize,
    /// Sensitivity indices that did not converge (also in the manifest).
    pub warnings: Vec<String>,
}

/// The journal of finished points: results.csv being written, kept across interruptions.
const JOURNAL: &str = ".results.partial.csv";

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
            .filter(|(u, i, _)| u == crate::model::indicators::REGION || i == "alignment")
            .map(|(u, i, _)| format!("{u}.{i}"))
            .collect()
    } else {
        s.outputs.clone()
    };
    names
        .into_iter()
        .map(|name| {
            let (unit, indicator) = name.split_once('.').unwrap_or((name.as_str(), ""));
            layout
                .cells
                .iter()
                .position(|(u, i, _)| u == unit && i == indicator)
                .map(|c| (name.clone(), c, layout.cells[c].2))
                .ok_or_else(|| {
                    let units: Vec<&str> = layout.cells.iter().map(|c| c.0.as_str()).collect();
                    let hint = if units.contains(&unit) {
                        format!("{unit} has no indicator `{indicator}`")
                    } else {
                        format!("`{unit}` is not a state, parent or `region`")
                    };
                    Error::Input(format!(
                        "sweep {}: outputs: `{name}`: {hint}; expected `unit.indicator` such as `region.mean_alignment` or `SRB.alignment`",
                        s.name
                    ))
                })
        })
        .collect()
}

fn header(outputs: &[(String, usize, Scale)]) -> String {
    let mut h = vec!["point".to_string()];
    for (name, _, _) in outputs {
        for stat in ["mean", "sd", "p05", "p50", "p95"] {
            h.push(format!("{name}_{stat}"));
        }
    }
    h.push("error".into());
    h.join(",") + "\n"
}

/// Runs the sweep (or its slice) and writes points.csv, results.csv, sensitivity.csv (Sobol
/// and Morris, whole sweeps only), sweep.toml and manifest.json.
pub fn sweep(opts: &SweepOptions) -> Result<SweepReport> {
    if opts.ensemble.runs.is_some() || opts.ensemble.seed.is_some() {
        return Err(Error::Input(format!(
            "{}: --runs and --seed do not apply to a sweep; set `runs` and `seed` in its [sweep] table, so that every slice and resume of it agrees",
            opts.file
        )));
    }
    let s = load_sweep(&opts.file)?;
    let points = design_points(&s)?;
    let (start, end) = match opts.shard {
        None => (0, points.len()),
        Some((k, n)) if k >= 1 && k <= n => ((k - 1) * points.len() / n, k * points.len() / n),
        Some((k, n)) => {
            return Err(Error::Input(format!(
                "--shard {k}/{n}: expected K/N with 1 <= K <= N"
            )));
        }
    };
    let base = s.tree.scenario_with(&[])?;
    let base_model = Model::compile(&base)?;
    let layout = Layout::new(&base_model);
    let outputs = outputs(&s, &layout)?;
    let threads = opts.ensemble.resolve(&base)?.threads;
    let r = super::Resolved {
        runs: s.runs * (end - start) as u64,
        seed: s.seed,
        threads,
    };
    opts.ensemble.check_cost(&base, &base_model, 1, &r)?;
    let name = match opts.shard {
        Some((k, n)) => format!("{}-shard-{k}-of-{n}", s.name),
        None => s.name.clone(),
    };
    let dir = if opts.resume {
        resume_dir(opts, &s)?
    } else {
        opts.ensemble.prepare_dir(&name)?
    };
    AtomicFile::write(&dir, "sweep.toml", s.text.as_bytes())?;
    write_points(&dir, &s, &points[start..end], start)?;
    let header = header(&outputs);
    let done = open_journal(&dir, &header, start, opts.resume)?;
    let mut journal = OpenOptions::new()
        .append(true)
        .open(dir.join(JOURNAL))
        .map_err(|e| Error::io(dir.join(JOURNAL), e))?;
    let first = start + done;
    let progress = opts.ensemble.progress((end - first) as u64);
    let rows = base_model.months as usize;
    ensemble::run_blocks(
        Plan {
            runs: (end - first) as u64,
            threads,
        },
        || (),
        |(), block| -> Result<Vec<u8>> {
            let mut w = output::csv_buffer();
            for offset in block {
                let point = first + offset as usize;
                let overrides: Vec<(String, f64)> = s
                    .parameters
                    .iter()
                    .map(|p| p.path.clone())
                    .zip(points[point].iter().copied())
                    .collect();
                let mut record = vec![point.to_string()];
                match run_point(&s, &overrides, point, rows) {
                    Ok(summary) => {
                        for (_, cell, _) in &outputs {
                            let m = super::moments(&summary, 0, *cell)?;
                            record.extend(
                                [m.mean, m.sd, m.quantiles[0], m.quantiles[2], m.quantiles[4]]
                                    .map(output::number),
                            );
                        }
                        record.push(String::new());
                    }
                    Err(e) => {
                        record.extend(std::iter::repeat_n(String::new(), outputs.len() * 5));
                        record.push(e.to_string().replace('\n', " "));
                    }
                }
                w.write_record(&record)?;
            }
            output::take_csv(&mut w)
        },
        |block, bytes| {
            let bytes = bytes?;
            journal
                .write_all(&bytes)
                .and_then(|_| journal.sync_data())
                .map_err(|e| Error::io(dir.join(JOURNAL), e))?;
            progress.inc(block.end - block.start);
            Ok::<(), Error>(())
        },
    )?;
    progress.finish_and_clear();
    drop(journal);
    fs::rename(dir.join(JOURNAL), dir.join("results.csv"))
        .map_err(|e| Error::io(dir.join("results.csv"), e))?;
    let failed = count_failed(&dir.join("results.csv"))?;
    let mut files = vec!["sweep.toml", "points.csv", "results.csv"];
    let names: Vec<String> = outputs.iter().map(|o| o.0.clone()).collect();
    let mut warnings = Vec::new();
    if opts.shard.is_none()
        && failed == 0
        && let Some(w) = write_sensitivity(&dir, s.design, s.seed, &factors(&s), &names, &points)?
    {
        files.push("sensitivity.csv");
        warnings = w;
    }
    if opts.ema {
        write_ema(&dir, &names)?;
        files.push("ema.tar.gz");
    }
    finish(
        &dir,
        opts.ensemble.no_charts,
        serde_json::json!({
            "experiment": "sweep",
            "sweep": s.name,
            "design": s.design.name(),
            "seed": s.seed,
            "runs": s.runs,
            "points": points.len(),
            "slice": { "shard": opts.shard.map(|(k, n)| format!("{k}/{n}")), "first_point": start, "end_point": end },
            "parameters": s.parameters.iter().map(|p| serde_json::json!({"path": p.path, "min": p.min, "max": p.max})).collect::<Vec<_>>(),
            "outputs": outputs.iter().map(|o| o.0.clone()).collect::<Vec<_>>(),
            "failed_points": failed,
            "ema": opts.ema,
            "scenario_sha256": super::sha256(base.to_toml()?.as_bytes()),
            "sensitivity_warnings": warnings,
            "resumed_from_point": if done > 0 { Some(first) } else { None },
            "command_line": opts.ensemble.command_line,
            "files": files,
        }),
    )?;
    Ok(SweepReport {
        dir,
        points: end - start,
        failed,
        resumed_from: done,
        warnings,
    })
}

/// One point: `runs` runs, each from stream point × runs + r of the sweep's seed, summarised
/// at the horizon.
fn run_point(
    s: &Sweep,
    overrides: &[(String, f64)],
    point: usize,
    months: usize,
) -> Result<Summary> {
    let scenario = s.tree.scenario_with(overrides)?;
    let model = Model::compile(&scenario)?;
    let layout = Layout::new(&model);
    let mut ws = Workspace::new(&model, &layout);
    let mut summary = Summary::new(layout.scales(), 1);
    for r in 0..s.runs {
        simulate(
            &model,
            s.seed,
            point as u64 * s.runs + r,
            &mut ws,
            &mut |month, row| {
                if month == months {
                    summary.add_row(0, row);
                }
            },
        )
        .map_err(|v| Error::Internal(v.describe(&model, &layout)))?;
        summary.end_run();
    }
    Ok(summary)
}

fn write_points(dir: &Path, s: &Sweep, points: &[Vec<f64>], first: usize) -> Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec!["point".to_string()];
    head.extend(s.parameters.iter().map(|p| p.path.clone()));
    w.write_record(&head)?;
    for (k, row) in points.iter().enumerate() {
        let mut record = vec![(first + k).to_string()];
        record.extend(row.iter().map(|v| format!("{v:.17e}")));
        w.write_record(&record)?;
    }
    AtomicFile::write(dir, "points.csv", &w.into_inner()?)?;
    Ok(())
}

/// Opens (or, resuming, checks and trims) the journal; returns how many points it holds.
fn open_journal(dir: &Path, header: &str, start: usize, resume: bool) -> Result<usize> {
    let path = dir.join(JOURNAL);
    if !resume || !path.exists() {
        fs::write(&path, header).map_err(|e| Error::io(&path, e))?;
        return Ok(0);
    }
    let file = File::open(&path).map_err(|e| Error::io(&path, e))?;
    let mut reader = BufReader::new(file);
    let mut line = String::new();
    let mut keep = 0u64;
    let mut done = 0usize;
    reader
        .read_line(&mut line)
        .map_err(|e| Error::io(&path, e))?;
    if line != header {
        return Err(Error::Refused(format!(
            "{}: written by a different sweep; start afresh without --resume",
            path.display()
        )));
    }
    keep += line.len() as u64;
    loop {
        line.clear();
        let n = reader
            .read_line(&mut line)
            .map_err(|e| Error::io(&path, e))?;
        if n == 0
            || !line.ends_with('\n')
            || line.split(',').next() != Some((start + done).to_string().as_str())
        {
            break;
        }
        keep += n as u64;
        done += 1;
    }
    let f = OpenOptions::new()
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    f.set_len(keep).map_err(|e| Error::io(&path, e))?;
    Ok(done)
}

fn resume_dir(opts: &SweepOptions, s: &Sweep) -> Result<PathBuf> {
    let Some(dir) = opts.ensemble.out.clone() else {
        return Err(Error::Input(
            "--resume needs --out DIR: the folder of the sweep to continue".into(),
        ));
    };
    let previous = fs::read_to_string(dir.join("sweep.toml")).map_err(|_| {
        Error::Input(format!(
            "{}: holds no sweep to resume (no sweep.toml); run without --resume",
            dir.display()
        ))
    })?;
    if previous != s.text {
        return Err(Error::Refused(format!(
            "{}: was made by a different sweep file; resume needs the same one",
            dir.display()
        )));
    }
    output::mark_incomplete(&dir)?;
    Ok(dir)
}

fn count_failed(results: &Path) -> Result<usize> {
    let mut reader = csv::Reader::from_path(results)?;
    let mut failed = 0;
    for record in reader.records() {
        let r = record?;
        failed += usize::from(!r.get(r.len() - 1).unwrap_or("").is_empty());
    }
    Ok(failed)
}

/// Writes sensitivity.csv for Sobol and Morris designs from results.csv's means; returns
/// its warnings if it wrote one.
fn write_sensitivity(
    dir: &Path,
    design: Design,
    seed: u64,
    factors: &[Factor],
    outputs: &[String],
    points: &[Vec<f64>],
) -> Result<Option<Vec<String>>> {
    if !matches!(design, Design::Sobol | Design::Morris) {
        return Ok(None);
    }
    let mut reader = csv::Reader::from_path(dir.join("results.csv"))?;
    let means: Vec<Vec<f64>> = reader
        .records()
        .map(|r| {
            let r = r?;
            Ok((0..outputs.len())
                .map(|k| {
                    r.get(1 + 5 * k)
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(f64::NAN)
                })
                .collect())
        })
        .collect::<Result<_>>()?;
    let columns: Vec<(String, Vec<f64>)> = outputs
        .iter()
        .enumerate()
        .map(|(k, name)| (name.clone(), means.iter().map(|m| m[k]).collect()))
        .collect();
    let method = if design == Design::Sobol {
        Method::Sobol
    } else {
        Method::Morris
    };
    let (table, warnings) = indices_table(method, factors, points, &columns, seed)
        .map_err(|e| Error::Internal(format!("sensitivity: {e}")))?;
    AtomicFile::write(dir, "sensitivity.csv", &table)?;
    Ok(Some(warnings))
}

/// Checks a slice's points.csv and results.csv row by row: one row per point of its slice, in
/// order, every cell a finite number, a results row empty only where its `error` says why.
/// Returns results.csv's header.
fn verify_slice(dir: &Path, first: usize, end: usize, parameters: usize) -> Result<Vec<String>> {
    let mut results_header = Vec::new();
    for file in ["points.csv", "results.csv"] {
        let path = dir.join(file);
        let (header, rows) = output::read_table(&path)?;
        let bad = |row: usize, what: String| {
            Error::Input(format!(
                "{}: row {} (line {}): {what}; the slice is damaged, run it again",
                path.display(),
                row,
                row + 2
            ))
        };
        if header.first().map(String::as_str) != Some("point") {
            return Err(Error::Input(format!(
                "{}: the first column is not `point`",
                path.display()
            )));
        }
        if file == "points.csv" && header.len() != parameters + 1 {
            return Err(Error::Input(format!(
                "{}: {} columns; expected the point and {parameters} parameters",
                path.display(),
                header.len()
            )));
        }
        if rows.len() != end - first {
            return Err(Error::Input(format!(
                "{}: {} rows; the slice's points {first}..{end} need {}",
                path.display(),
                rows.len(),
                end - first
            )));
        }
        let error_column = (file == "results.csv")
            .then(|| header.iter().position(|h| h == "error"))
            .flatten();
        for (k, row) in rows.iter().enumerate() {
            if row.len() != header.len() {
                return Err(bad(
                    k,
                    format!("{} cells, the header has {}", row.len(), header.len()),
                ));
            }
            if row[0] != (first + k).to_string() {
                return Err(bad(
                    k,
                    format!("point «{}»; expected {}", row[0], first + k),
                ));
            }
            let failed = error_column.is_some_and(|c| !row[c].is_empty());
            for (c, cell) in row.iter().enumerate().skip(1) {
                if Some(c) == error_column || (failed && cell.is_empty()) {
                    continue;
                }
                if !cell.parse::<f64>().is_ok_and(f64::is_finite) {
                    return Err(bad(
                        k,
                        format!("`{}` = «{cell}» is not a finite number", header[c]),
                    ));
                }
            }
        }
        if file == "results.csv" {
            results_header = header;
        }
    }
    Ok(results_header)
}

/// Combines the slices of one sweep (`--shard K/N` folders, in any order) into `out`: the same
/// points.csv, results.csv and sensitivity.csv as the sweep run whole.
pub fn merge(dirs: &[PathBuf], out: &Path, force: bool, command_line: &str) -> Result<PathBuf> {
    let mut slices = Vec::new();
    for dir in dirs {
        let m = crate::report::read_manifest_json(dir)?;
        if m["experiment"] != "sweep" {
            return Err(Error::Input(format!(
                "{}: not the folder of a sweep",
                dir.display()
            )));
        }
        let manifest = dir.join("manifest.json");
        let number = |v: &serde_json::Value, key: &str| {
            v.as_u64().map(|x| x as usize).ok_or_else(|| {
                Error::Input(format!(
                    "{}: `{key}` is missing or not a whole number; is this a spheres sweep folder?",
                    manifest.display()
                ))
            })
        };
        let first = number(&m["slice"]["first_point"], "slice.first_point")?;
        let end = number(&m["slice"]["end_point"], "slice.end_point")?;
        let points = number(&m["points"], "points")?;
        if first > end || end > points {
            return Err(Error::Input(format!(
                "{}: the slice {first}..{end} does not lie within the sweep's {points} points",
                manifest.display()
            )));
        }
        let text = output::read_input_text(&dir.join("sweep.toml"))?;
        slices.push((first, end, dir.clone(), m, text));
    }
    slices.sort_by_key(|s| s.0);
    let Some((_, _, _, m, text)) = slices.first().cloned() else {
        return Err(Error::Input("merge needs at least one sweep folder".into()));
    };
    let total = m["points"].as_u64().unwrap_or(0) as usize;
    let mut expected = 0;
    for (first, end, dir, other, other_text) in &slices {
        let differs = [
            "points",
            "design",
            "seed",
            "runs",
            "parameters",
            "outputs",
            "ema",
            "scenario_sha256",
        ]
        .into_iter()
        .find(|k| other[*k] != m[*k]);
        if other_text != &text || differs.is_some() {
            return Err(Error::Input(format!(
                "{}: a slice of a different sweep ({})",
                dir.display(),
                differs.map_or("its sweep.toml differs".to_string(), |k| format!(
                    "the `{k}` of its manifest.json differs"
                ))
            )));
        }
        if *first != expected {
            return Err(Error::Input(format!(
                "{}: starts at point {first}, but point {expected} is missing or covered twice; merge needs every slice once",
                dir.display()
            )));
        }
        expected = *end;
    }
    if expected != total {
        return Err(Error::Input(format!(
            "the slices end at point {expected} of {total}: a slice is missing"
        )));
    }
    let parameters = m["parameters"].as_array().map_or(0, |p| p.len());
    let mut results_header: Option<Vec<String>> = None;
    for (first, end, dir, _, _) in &slices {
        let header = verify_slice(dir, *first, *end, parameters)?;
        match &results_header {
            Some(h) if *h != header => {
                return Err(Error::Input(format!(
                    "{}: results.csv has other columns than the first slice's",
                    dir.display()
                )));
            }
            _ => results_header = Some(header),
        }
    }
    let out = output::prepare_dir(Some(out), Path::new("output"), "merge", force)?;
    output::mark_incomplete(&out)?;
    AtomicFile::write(&out, "sweep.toml", text.as_bytes())?;
    let mut points = Vec::new();
    for file in ["points.csv", "results.csv"] {
        let mut merged = AtomicFile::create(&out, file)?;
        for (k, (_, _, dir, _, _)) in slices.iter().enumerate() {
            let body =
                fs::read_to_string(dir.join(file)).map_err(|e| Error::io(dir.join(file), e))?;
            let skip = if k == 0 {
                0
            } else {
                body.find('\n').map_or(body.len(), |i| i + 1)
            };
            merged.write_all(&body.as_bytes()[skip..])?;
            if file == "points.csv" {
                for line in body.lines().skip(1) {
                    points.push(
                        line.split(',')
                            .skip(1)
                            .map(|v| v.parse().unwrap_or(f64::NAN))
                            .collect::<Vec<f64>>(),
                    );
                }
            }
        }
        merged.commit()?;
    }
    let design = match m["design"].as_str() {
        Some("sobol") => Design::Sobol,
        Some("morris") => Design::Morris,
        _ => Design::Grid,
    };
    let factors: Vec<Factor> = m["parameters"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .map(|p| Factor {
                    name: p["path"].as_str().unwrap_or("").to_string(),
                    lower: p["min"].as_f64().unwrap_or(0.0),
                    upper: p["max"].as_f64().unwrap_or(1.0),
                })
                .collect()
        })
        .unwrap_or_default();
    let names: Vec<String> = crate::output::json_strings(&m["outputs"]);
    let failed = count_failed(&out.join("results.csv"))?;
    let mut files = vec!["sweep.toml", "points.csv", "results.csv"];
    let mut warnings = Vec::new();
    if failed == 0
        && let Some(w) = write_sensitivity(
            &out,
            design,
            m["seed"].as_u64().unwrap_or(1),
            &factors,
            &names,
            &points,
        )?
    {
        files.push("sensitivity.csv");
        warnings = w;
    }
    if m["ema"].as_bool() == Some(true) {
        write_ema(&out, &names)?;
        files.push("ema.tar.gz");
    }
    let mut manifest = m.clone();
    manifest["slice"] = serde_json::json!({ "shard": null, "first_point": 0, "end_point": total, "merged_from": slices.len() });
    manifest["failed_points"] = failed.into();
    manifest["sensitivity_warnings"] = warnings.into();
    manifest["command_line"] = command_line.into();
    manifest["files"] = serde_json::json!(files);
    finish(&out, false, manifest)?;
    Ok(out)
}

/// Writes ema.tar.gz in EMA Workbench's `save_results` layout (version 0.1 of its metadata):
/// experiments.csv (the points' parameters), one `ScalarOutcome` file per output holding its
/// mean over each point's runs, and metadata.json. Byte-identical for the same sweep.
fn write_ema(dir: &Path, outputs: &[String]) -> Result<()> {
    let (p_head, points) = output::read_table(&dir.join("points.csv"))?;
    let (r_head, results) = output::read_table(&dir.join("results.csv"))?;
    let ema_name = |o: &str| o.replace('.', "_");
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut experiments = p_head[1..].join(",") + "\n";
    for row in &points {
        experiments += &(row[1..].join(",") + "\n");
    }
    files.push(("experiments.csv".into(), experiments.into_bytes()));
    let mut outcome_meta = Vec::new();
    for o in outputs {
        let col = r_head
            .iter()
            .position(|h| *h == format!("{o}_mean"))
            .ok_or_else(|| Error::Internal(format!("results.csv has no {o}_mean")))?;
        let body: String = results
            .iter()
            .map(|r| {
                if r[col].is_empty() {
                    "nan\n".to_string()
                } else {
                    format!("{}\n", r[col])
                }
            })
            .collect();
        let file = format!("{}.cls", ema_name(o));
        outcome_meta.push(serde_json::json!(["ScalarOutcome", ema_name(o), file]));
        files.push((file, body.into_bytes()));
    }
    let experiments_types: serde_json::Map<String, serde_json::Value> = p_head[1..]
        .iter()
        .map(|h| (h.clone(), "float64".into()))
        .collect();
    let metadata = serde_json::json!({"version": 0.1, "outcomes": outcome_meta, "experiments": experiments_types});
    files.push(("metadata.json".into(), metadata.to_string().into_bytes()));
    let mut archive = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::default(),
    ));
    for (name, bytes) in &files {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_cksum();
        archive
            .append_data(&mut header, name, bytes.as_slice())
            .map_err(|e| Error::io(dir.join("ema.tar.gz"), e))?;
    }
    let gz = archive
        .into_inner()
        .and_then(|g| g.finish())
        .map_err(|e| Error::io(dir.join("ema.tar.gz"), e))?;
    AtomicFile::write(dir, "ema.tar.gz", &gz)?;
    Ok(())
}
