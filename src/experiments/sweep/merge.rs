//! `spheres merge`: the slices of one sweep (`--shard K/N` folders, in any order), verified
//! row by row and combined into the same files as the sweep run whole.

use super::{Charts, Extent, conclude, finish};
use crate::error::{Error, Result};
use crate::output::manifest::{self, Experiment, Manifest};
use crate::output::{self, AtomicFile, columns};
use crate::scenario::{Design, YearMonth};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// A slice's folder: its points `first..end`, its manifest and its sweep file.
#[derive(Clone)]
struct Slice {
    first: usize,
    end: usize,
    dir: PathBuf,
    manifest: Manifest,
    /// The manifest's sweep fields.
    sweep: manifest::Sweep,
    sweep_text: String,
}

/// Combines the slices of one sweep (`--shard K/N` folders, in any order) into `out`: the same
/// points.csv, results.csv, sensitivity.csv, runs.csv and series.csv as the sweep run whole.
pub fn merge(dirs: &[PathBuf], out: &Path, force: bool, command_line: &str) -> Result<PathBuf> {
    let slices = read_slices(dirs)?;
    check_cover(&slices)?;
    let (m, sweep) = (&slices[0].manifest, &slices[0].sweep);
    let parameters: Vec<String> = sweep.parameters.iter().map(|p| p.path.clone()).collect();
    let mut points = Vec::new();
    for slice in &slices {
        points.extend(verify_slice(slice, &parameters)?);
        verify_extras(slice, m.runs)?;
    }
    let design = Design::from_name(&sweep.design).ok_or_else(|| {
        Error::Input(format!(
            "{}: `design` is «{}», not a design of spheres",
            slices[0].dir.join(manifest::FILE).display(),
            sweep.design
        ))
    })?;
    // Every slice is checked before the output folder is touched.
    let out = output::prepare_dir(Some(out), Path::new("output"), "merge", force, dirs)?;
    output::mark_incomplete(&out)?;
    AtomicFile::write(&out, "sweep.toml", slices[0].sweep_text.as_bytes())?;
    let mut files = vec!["points.csv", "results.csv"];
    if sweep.per_run {
        files.push("runs.csv");
    }
    if sweep.series {
        files.push("series.csv");
    }
    concatenate(&out, &slices, &files)?;
    let mut merged = manifest::Sweep {
        slice: manifest::Slice {
            shard: None,
            first_point: 0,
            end_point: sweep.points,
            merged_from: Some(slices.len()),
        },
        ..sweep.clone()
    };
    merged.sensitivity_warnings.clear();
    let files = conclude(&out, &mut merged, design, m.seed, &points, Extent::Whole)?;
    let manifest = Manifest::new(
        Experiment::Sweep(merged),
        m.seed,
        m.runs,
        command_line,
        files,
    );
    finish(&out, Charts::Draw, manifest)?;
    Ok(out)
}

/// Each folder's slice, sorted by first point; refused unless it is a complete sweep folder
/// whose slice lies within its points.
fn read_slices(dirs: &[PathBuf]) -> Result<Vec<Slice>> {
    let mut slices = Vec::new();
    for dir in dirs {
        let manifest = manifest::read(dir)?;
        let Experiment::Sweep(sweep) = &manifest.experiment else {
            return Err(Error::Input(format!(
                "{}: not the folder of a sweep (its manifest.json is of a {})",
                dir.display(),
                manifest.experiment.name()
            )));
        };
        let (first, end, points) = (sweep.slice.first_point, sweep.slice.end_point, sweep.points);
        if first > end || end > points {
            return Err(Error::Input(format!(
                "{}: the slice {first}..{end} does not lie within the sweep's {points} points",
                dir.join(manifest::FILE).display()
            )));
        }
        let sweep_text = output::read_input_text(&dir.join("sweep.toml"))?;
        slices.push(Slice {
            first,
            end,
            dir: dir.clone(),
            sweep: sweep.clone(),
            manifest,
            sweep_text,
        });
    }
    slices.sort_by_key(|s| s.first);
    if slices.is_empty() {
        return Err(Error::Input("merge needs at least one sweep folder".into()));
    }
    Ok(slices)
}

/// Refuses slices of different sweeps, and slices that do not cover the sweep's points once
/// each.
fn check_cover(slices: &[Slice]) -> Result<()> {
    let (first, text) = (&slices[0], &slices[0].sweep_text);
    let (m, a) = (&first.manifest, &first.sweep);
    let total = a.points;
    let mut expected = 0;
    for slice in slices {
        let (o, b) = (&slice.manifest, &slice.sweep);
        let differs = [
            ("points", a.points == b.points),
            ("design", a.design == b.design),
            ("seed", m.seed == o.seed),
            ("runs", m.runs == o.runs),
            ("parameters", a.parameters == b.parameters),
            ("outputs", a.outputs == b.outputs),
            ("ema", a.ema == b.ema),
            ("per_run", a.per_run == b.per_run),
            ("series", a.series == b.series),
            ("start", a.start == b.start),
            ("months", a.months == b.months),
            ("scenario_sha256", a.scenario_sha256 == b.scenario_sha256),
        ]
        .into_iter()
        .find(|(_, same)| !same)
        .map(|(k, _)| k);
        if &slice.sweep_text != text || differs.is_some() {
            return Err(Error::Input(format!(
                "{}: a slice of a different sweep ({})",
                slice.dir.display(),
                differs.map_or("its sweep.toml differs".to_string(), |k| format!(
                    "the `{k}` of its manifest.json differs"
                ))
            )));
        }
        if slice.first != expected {
            return Err(Error::Input(format!(
                "{}: starts at point {}, but point {expected} is missing or covered twice; merge needs every slice once",
                slice.dir.display(),
                slice.first
            )));
        }
        expected = slice.end;
    }
    if expected != total {
        return Err(Error::Input(format!(
            "the slices end at point {expected} of {total}: a slice is missing"
        )));
    }
    Ok(())
}

/// Writes `files` in `out` as the slices' rows in order, under the first slice's header,
/// streamed (runs.csv may be larger than memory).
fn concatenate(out: &Path, slices: &[Slice], files: &[&str]) -> Result<()> {
    for file in files {
        let mut merged = AtomicFile::create(out, file)?;
        for (k, slice) in slices.iter().enumerate() {
            let path = slice.dir.join(file);
            let io = |e| Error::io(&path, e);
            let mut reader = BufReader::new(File::open(&path).map_err(io)?);
            if k > 0 {
                reader.read_until(b'\n', &mut Vec::new()).map_err(io)?;
            }
            loop {
                let chunk = reader.fill_buf().map_err(io)?;
                if chunk.is_empty() {
                    break;
                }
                merged.write_all(chunk)?;
                let n = chunk.len();
                reader.consume(n);
            }
        }
        merged.commit()?;
    }
    Ok(())
}

/// Checks a slice's runs.csv and series.csv (those its manifest lists), streamed row by row
/// ([`verify_extra`]).
fn verify_extras(slice: &Slice, runs: u64) -> Result<()> {
    let sweep = &slice.sweep;
    let start = YearMonth::parse(&sweep.start).ok_or_else(|| {
        Error::Input(format!(
            "{}: `start` is «{}», not a month YYYY-MM",
            slice.dir.join(manifest::FILE).display(),
            sweep.start
        ))
    })?;
    let extras = [
        (
            sweep.per_run,
            Extra {
                file: "runs.csv",
                columns: columns::runs(&sweep.outputs),
                rows: runs,
                start: None,
            },
        ),
        (
            sweep.series,
            Extra {
                file: "series.csv",
                columns: columns::series(&sweep.outputs),
                rows: sweep.months as u64 + 1,
                start: Some(start),
            },
        ),
    ];
    for (present, extra) in &extras {
        if *present {
            verify_extra(slice, extra)?;
        }
    }
    Ok(())
}

/// A file of a slice with rows for each point: runs.csv or series.csv.
struct Extra {
    file: &'static str,
    /// Its header.
    columns: Vec<String>,
    /// Rows per point: its runs, or its months and the start.
    rows: u64,
    /// The start month, when the second column is a month (series.csv) rather than a run.
    start: Option<YearMonth>,
}

/// Checks a slice's `extra.file`, streamed row by row: the header of its outputs; row k of
/// point `first + k / rows`, its run (0..runs) or month in order; every cell a finite number,
/// or every value cell of the row empty (a failed point, or a run that broke an invariant).
fn verify_extra(slice: &Slice, extra: &Extra) -> Result<()> {
    let rows = extra.rows;
    let path = slice.dir.join(extra.file);
    let (mut reader, header) = output::open_table(&path)?;
    columns::expect(&path, &header, &extra.columns)?;
    let bad = |row: u64, what: String| {
        Error::Input(format!(
            "{}: row {row} (line {}): {what}; the slice is damaged, run it again",
            path.display(),
            row + 2
        ))
    };
    let mut k = 0u64;
    for record in reader.records() {
        let record = record.map_err(|e| output::table_error(&path, e))?;
        let point = slice.first as u64 + k / rows;
        let second = match extra.start {
            None => (k % rows).to_string(),
            Some(start) => start.plus((k % rows) as i64).to_string(),
        };
        if record[0] != *point.to_string() || record[1] != *second {
            return Err(bad(
                k,
                format!("«{},{}»; expected {point},{second}", &record[0], &record[1]),
            ));
        }
        let values = record.iter().skip(2);
        let empty = record.iter().skip(2).all(str::is_empty);
        for (c, cell) in values.enumerate() {
            if !empty && !cell.parse::<f64>().is_ok_and(f64::is_finite) {
                return Err(bad(
                    k,
                    format!("`{}` = «{cell}» is not a finite number", header[c + 2]),
                ));
            }
        }
        k += 1;
    }
    let expected_rows = (slice.end - slice.first) as u64 * rows;
    if k != expected_rows {
        return Err(Error::Input(format!(
            "{}: {k} rows; the slice's points {}..{} need {expected_rows}",
            path.display(),
            slice.first,
            slice.end
        )));
    }
    Ok(())
}

/// Checks a slice's points.csv and results.csv row by row: the columns of its sweep's
/// `parameters` and outputs, one row per point of its slice, in order, every cell a finite
/// number, a results row empty only where its `error` says why. Returns the points' parameter
/// values.
fn verify_slice(slice: &Slice, parameters: &[String]) -> Result<Vec<Vec<f64>>> {
    let (first, end) = (slice.first, slice.end);
    let mut values = Vec::new();
    for file in ["points.csv", "results.csv"] {
        let path = slice.dir.join(file);
        let (header, rows) = output::read_table(&path)?;
        let expected = match file {
            "points.csv" => columns::points(parameters),
            _ => columns::results(&slice.sweep.outputs),
        };
        columns::expect(&path, &header, &expected)?;
        if rows.len() != end - first {
            return Err(Error::Input(format!(
                "{}: {} rows; the slice's points {first}..{end} need {}",
                path.display(),
                rows.len(),
                end - first
            )));
        }
        let error_column = match file {
            "results.csv" => Some(columns::find(&path, &header, columns::ERROR)?),
            _ => None,
        };
        verify_rows(&path, &header, &rows, first, error_column)?;
        if file == "points.csv" {
            values = rows
                .iter()
                .map(|row| row[1..].iter().map(|v| v.parse::<f64>()).collect())
                .collect::<Result<_, _>>()
                .map_err(|e| Error::Internal(format!("{}: {e} (verified)", path.display())))?;
        }
    }
    Ok(values)
}

/// Checks that row k is point `first + k`, with as many cells as the header, each a finite
/// number but the `error` column and the empty cells of a row whose error says why it failed.
fn verify_rows(
    path: &Path,
    header: &[String],
    rows: &[Vec<String>],
    first: usize,
    error_column: Option<usize>,
) -> Result<()> {
    let bad = |row: usize, what: String| {
        Error::Input(format!(
            "{}: row {} (line {}): {what}; the slice is damaged, run it again",
            path.display(),
            row,
            row + 2
        ))
    };
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
    Ok(())
}
