//! `spheres merge`: the slices of one sweep (`--shard K/N` folders, in any order), verified
//! row by row and combined into the same files as the sweep run whole.

use super::{Charts, Extent, conclude, finish};
use crate::error::{Error, Result};
use crate::output::manifest::{self, Experiment, Manifest};
use crate::output::{self, AtomicFile, columns};
use crate::scenario::Design;
use std::fs;
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
/// points.csv, results.csv and sensitivity.csv as the sweep run whole.
pub fn merge(dirs: &[PathBuf], out: &Path, force: bool, command_line: &str) -> Result<PathBuf> {
    let slices = read_slices(dirs)?;
    check_cover(&slices)?;
    let (m, sweep) = (&slices[0].manifest, &slices[0].sweep);
    let parameters: Vec<String> = sweep.parameters.iter().map(|p| p.path.clone()).collect();
    let mut points = Vec::new();
    for slice in &slices {
        points.extend(verify_slice(slice, &parameters)?);
    }
    let design = Design::from_name(&sweep.design).ok_or_else(|| {
        Error::Input(format!(
            "{}: `design` is «{}», not a design of spheres",
            slices[0].dir.join(manifest::FILE).display(),
            sweep.design
        ))
    })?;
    // Every slice is checked before the output folder is touched.
    let out = output::prepare_dir(Some(out), Path::new("output"), "merge", force)?;
    output::mark_incomplete(&out)?;
    AtomicFile::write(&out, "sweep.toml", slices[0].sweep_text.as_bytes())?;
    concatenate(&out, &slices)?;
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

/// Writes `out`'s points.csv and results.csv as the slices' rows in order, under the first
/// slice's header.
fn concatenate(out: &Path, slices: &[Slice]) -> Result<()> {
    for file in ["points.csv", "results.csv"] {
        let mut merged = AtomicFile::create(out, file)?;
        for (k, slice) in slices.iter().enumerate() {
            let path = slice.dir.join(file);
            let body = fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            let skip = if k == 0 {
                0
            } else {
                body.find('\n').map_or(body.len(), |i| i + 1)
            };
            merged.write_all(&body.as_bytes()[skip..])?;
        }
        merged.commit()?;
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
