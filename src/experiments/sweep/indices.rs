//! sensitivity.csv of a whole sweep (or of merged slices): Sobol or Morris indices of each
//! output's mean over a point's runs.

use crate::error::{Error, Result};
use crate::experiments::sensitivity::{Method, indices_table};
use crate::output::AtomicFile;
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
