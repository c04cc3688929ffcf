//! Robustness across plausible worlds: from a comparison's draws.csv (one row per draw of the
//! uncertain parameters, with each variant's mean effect on each state's alignment), the share
//! of draws in which a variant moves each state toward the West or toward Moscow, and which
//! parameters decide it — ranked by the absolute Spearman correlation between the parameter's
//! draws and the effect (a ranked correlation list rather than a PRIM box: with tens of
//! parameters and a hundred draws, a box over two or three of them overfits). robust.csv.

use crate::error::{Error, Result};
use crate::output::columns::{self, RobustRow};
use crate::output::{self, AtomicFile, Number};
use crate::statistics::spearman;
use std::path::Path;

/// Parameters listed per variant and state.
pub const TOP: usize = 3;

/// Reads `dir/draws.csv` (the first `parameters` columns after `draw` are parameters, the rest
/// `<variant>/<unit>` effects) and writes `dir/robust.csv`.
pub(super) fn write(dir: &Path, parameters: usize) -> Result<()> {
    let path = dir.join("draws.csv");
    let (head, rows) = output::read_table(&path)?;
    let number = |r: &[String], c: usize| -> Result<f64> {
        r[c].parse::<f64>().map_err(|_| {
            Error::Internal(format!(
                "{}: `{}` = «{}» is not a number",
                path.display(),
                head[c],
                r[c]
            ))
        })
    };
    let column = |c: usize| -> Result<Vec<f64>> { rows.iter().map(|r| number(r, c)).collect() };
    let params: Vec<Vec<f64>> = (1..=parameters).map(column).collect::<Result<_>>()?;
    let mut w = columns::table::<RobustRow>()?;
    for c in parameters + 1..head.len() {
        let (variant, unit) = head[c].split_once('/').ok_or_else(|| {
            Error::Internal(format!(
                "{}: column `{}` is not VARIANT/UNIT",
                path.display(),
                head[c]
            ))
        })?;
        let effect = column(c)?;
        let n = effect.len() as f64;
        let west = effect.iter().filter(|e| **e < 0.0).count() as f64 / n;
        let moscow = effect.iter().filter(|e| **e > 0.0).count() as f64 / n;
        let mut ranked: Vec<(usize, f64)> = params
            .iter()
            .enumerate()
            .filter_map(|(k, p)| spearman(p, &effect).map(|rho| (k, rho)))
            .collect();
        ranked.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        let shares = RobustRow {
            scenario: variant,
            state: unit,
            draws: effect.len(),
            share_toward_west: Number(west),
            share_toward_moscow: Number(moscow),
            ..RobustRow::default()
        };
        if ranked.is_empty() {
            // The same effect in every draw: nothing decides it.
            w.serialize(&shares)?;
        }
        for (rank, (k, rho)) in ranked.iter().take(TOP).enumerate() {
            w.serialize(RobustRow {
                rank: Some(rank + 1),
                parameter: Some(&head[k + 1]),
                spearman: Some(Number(*rho)),
                ..shares.clone()
            })?;
        }
    }
    AtomicFile::write(dir, "robust.csv", &w.into_inner()?)?;
    Ok(())
}
