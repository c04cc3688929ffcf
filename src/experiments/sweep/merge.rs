//! `spheres merge`: the slices of one sweep (`--shard K/N` folders, in any order), verified
//! row by row and combined into the same files as the sweep run whole.

use super::ema::write_ema;
use super::indices::write_sensitivity;
use super::{count_failed, finish};
use crate::error::{Error, Result};
use crate::output::{self, AtomicFile, columns};
use crate::scenario::Design;
use crate::sensitivity::Factor;
use std::fs;
use std::path::{Path, PathBuf};

/// A slice's folder: its points `first..end`, its manifest and its sweep file.
#[derive(Clone)]
struct Slice {
    first: usize,
    end: usize,
    dir: PathBuf,
    manifest: serde_json::Value,
    sweep_text: String,
}

/// Combines the slices of one sweep (`--shard K/N` folders, in any order) into `out`: the same
/// points.csv, results.csv and sensitivity.csv as the sweep run whole.
pub fn merge(dirs: &[PathBuf], out: &Path, force: bool, command_line: &str) -> Result<PathBuf> {
    let slices = read_slices(dirs)?;
    check_cover(&slices)?;
    let m = &slices[0].manifest;
    let total = m["points"].as_u64().unwrap_or(0) as usize;
    let parameters = m["parameters"].as_array().map_or(0, |p| p.len());
    let mut results_header: Option<Vec<String>> = None;
    for slice in &slices {
        let header = verify_slice(&slice.dir, slice.first, slice.end, parameters)?;
        match &results_header {
            Some(h) if *h != header => {
                return Err(Error::Input(format!(
                    "{}: results.csv has other columns than the first slice's",
                    slice.dir.display()
                )));
            }
            _ => results_header = Some(header),
        }
    }
    let out = output::prepare_dir(Some(out), Path::new("output"), "merge", force)?;
    output::mark_incomplete(&out)?;
    AtomicFile::write(&out, "sweep.toml", slices[0].sweep_text.as_bytes())?;
    let points = concatenate(&out, &slices)?;
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

/// Each folder's slice, sorted by first point; refused unless it is a complete sweep folder
/// whose slice lies within its points.
fn read_slices(dirs: &[PathBuf]) -> Result<Vec<Slice>> {
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
        let sweep_text = output::read_input_text(&dir.join("sweep.toml"))?;
        slices.push(Slice {
            first,
            end,
            dir: dir.clone(),
            manifest: m,
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
    let (m, text) = (&slices[0].manifest, &slices[0].sweep_text);
    let total = m["points"].as_u64().unwrap_or(0) as usize;
    let mut expected = 0;
    for slice in slices {
        let other = &slice.manifest;
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
/// slice's header; returns the points' parameter values.
fn concatenate(out: &Path, slices: &[Slice]) -> Result<Vec<Vec<f64>>> {
    let mut points = Vec::new();
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
    Ok(points)
}

/// Checks a slice's points.csv and results.csv row by row: one row per point of its slice, in
/// order, every cell a finite number, a results row empty only where its `error` says why.
/// Returns results.csv's header.
fn verify_slice(dir: &Path, first: usize, end: usize, parameters: usize) -> Result<Vec<String>> {
    let mut results_header = Vec::new();
    for file in ["points.csv", "results.csv"] {
        let path = dir.join(file);
        let (header, rows) = output::read_table(&path)?;
        let after_point = columns::parameters(&path, &header)?.len();
        if file == "points.csv" && after_point != parameters {
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
        let error_column = match file {
            "results.csv" => Some(columns::find(&path, &header, columns::ERROR)?),
            _ => None,
        };
        verify_rows(&path, &header, &rows, first, error_column)?;
        if file == "results.csv" {
            results_header = header;
        }
    }
    Ok(results_header)
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
