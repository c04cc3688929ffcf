//! `--format ema`: ema.tar.gz, the archive EMA Workbench's `load_results` reads.

use crate::error::{Error, Result};
use crate::output::manifest::Sweep;
use crate::output::{self, AtomicFile, columns};
use std::path::Path;

/// Writes ema.tar.gz in EMA Workbench's `save_results` layout (version 0.1 of its metadata):
/// experiments.csv (the points' parameters), one `ScalarOutcome` file per output holding its
/// mean over each point's runs at the horizon, with series.csv (`--series`) one
/// `TimeSeriesOutcome` per output (`NAME_series`: its mean in every month, a row per point)
/// and `TIME` (months since the start), and metadata.json. Byte-identical for the same sweep.
pub(super) fn write_ema(dir: &Path, m: &Sweep) -> Result<()> {
    let files = ema_files(dir, &m.outputs, m.series.then_some(m.months as usize))?;
    let gz = tar_gz(&files).map_err(|e| Error::io(dir.join("ema.tar.gz"), e))?;
    AtomicFile::write(dir, "ema.tar.gz", &gz)?;
    Ok(())
}

/// The archive's files (name, bytes), in order, from points.csv and results.csv of `dir`, and
/// series.csv when it holds `Some(months)`.
fn ema_files(
    dir: &Path,
    outputs: &[String],
    months: Option<usize>,
) -> Result<Vec<(String, Vec<u8>)>> {
    let (points_csv, results_csv) = (dir.join("points.csv"), dir.join("results.csv"));
    let (p_head, points) = output::read_table(&points_csv)?;
    let (r_head, results) = output::read_table(&results_csv)?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let parameters = columns::parameters(&points_csv, &p_head)?;
    let mut experiments = parameters.join(",") + "\n";
    for row in &points {
        experiments += &(row[1..].join(",") + "\n");
    }
    files.push(("experiments.csv".into(), experiments.into_bytes()));
    let mut outcome_meta = Vec::new();
    for o in outputs {
        let col = columns::find(&results_csv, &r_head, &columns::result(o, "mean"))?;
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
    if let Some(months) = months {
        for (name, body) in series_files(dir, outputs, months)? {
            let file = format!("{name}.csv");
            outcome_meta.push(serde_json::json!(["TimeSeriesOutcome", name, file]));
            files.push((file, body.into_bytes()));
        }
    }
    let experiments_types: serde_json::Map<String, serde_json::Value> = parameters
        .iter()
        .map(|h| (h.clone(), "float64".into()))
        .collect();
    let metadata = serde_json::json!({"version": 0.1, "outcomes": outcome_meta, "experiments": experiments_types});
    files.push(("metadata.json".into(), metadata.to_string().into_bytes()));
    Ok(files)
}

/// The `TimeSeriesOutcome`s of series.csv (name, CSV text): `TIME`, then each output's
/// monthly means (a row per point, a column per month under the header `0,1,…`; `nan` for a
/// failed point).
fn series_files(dir: &Path, outputs: &[String], months: usize) -> Result<Vec<(String, String)>> {
    let path = dir.join("series.csv");
    let bad = |e| output::table_error(&path, e);
    let (mut reader, header) = output::open_table(&path)?;
    let columns: Vec<usize> = outputs
        .iter()
        .map(|o| columns::find(&path, &header, &columns::result(o, "mean")))
        .collect::<Result<_>>()?;
    let head: String = (0..=months)
        .map(|t| t.to_string())
        .collect::<Vec<_>>()
        .join(",")
        + "\n";
    let mut bodies: Vec<String> = vec![head.clone(); outputs.len() + 1];
    let mut month = 0;
    for record in reader.records() {
        let record = record.map_err(bad)?;
        let sep = if month == months { "\n" } else { "," };
        bodies[0] += &format!("{month}{sep}");
        for (k, &c) in columns.iter().enumerate() {
            let v = if record[c].is_empty() {
                "nan"
            } else {
                &record[c]
            };
            bodies[k + 1] += &format!("{v}{sep}");
        }
        month = if month == months { 0 } else { month + 1 };
    }
    if month != 0 {
        return Err(Error::Input(format!(
            "{}: a point has fewer than its {} months",
            path.display(),
            months + 1
        )));
    }
    let names = std::iter::once("TIME".to_string())
        .chain(outputs.iter().map(|o| format!("{}_series", ema_name(o))));
    Ok(names.zip(bodies).collect())
}

/// An output's name in EMA Workbench: `unit_indicator`.
fn ema_name(output: &str) -> String {
    output.replace('.', "_")
}

/// A gzipped tar of `files`, with fixed modes and times so that the same files give the same
/// bytes.
fn tar_gz(files: &[(String, Vec<u8>)]) -> std::io::Result<Vec<u8>> {
    let mut archive = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::default(),
    ));
    for (name, bytes) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_cksum();
        archive.append_data(&mut header, name, bytes.as_slice())?;
    }
    archive.into_inner().and_then(|g| g.finish())
}
