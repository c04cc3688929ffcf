//! sensitivity.csv of a whole sweep (or of merged slices): Sobol or Morris indices of each
//! output's mean over a point's runs.

use crate::error::{Error, Result};
use crate::experiments::salib::{Method, indices_table};
use crate::output::{self, AtomicFile, columns};
use crate::scenario::Design;
use crate::sensitivity::Factor;
use std::path::Path;

/// Writes sensitivity.csv for Sobol and Morris designs from results.csv's means; returns
/// its warnings if it wrote one.
pub(super) fn write_sensitivity(
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
    let columns = means(&dir.join("results.csv"), outputs)?;
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

/// Each output's column of means in results.csv (of a sweep in which no point failed).
fn means(results: &Path, outputs: &[String]) -> Result<Vec<(String, Vec<f64>)>> {
    let bad = |e| output::table_error(results, e);
    let (mut reader, header) = output::open_table(results)?;
    let at = outputs
        .iter()
        .map(|o| columns::find(results, &header, &columns::result(o, "mean")))
        .collect::<Result<Vec<usize>>>()?;
    let mut means = vec![Vec::new(); outputs.len()];
    for (k, record) in reader.records().enumerate() {
        let record = record.map_err(bad)?;
        for (column, &c) in means.iter_mut().zip(&at) {
            let cell = &record[c];
            column.push(cell.parse().map_err(|_| {
                Error::Input(format!(
                    "{}: line {}: `{}` = «{cell}» is not a number",
                    results.display(),
                    k + 2,
                    header[c]
                ))
            })?);
        }
    }
    Ok(outputs.iter().cloned().zip(means).collect())
}
