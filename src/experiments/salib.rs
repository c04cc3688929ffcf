//! `spheres sample` and `spheres analyze`: the sensitivity designs and estimators on any model,
//! with SALib's plain-text parameter files (`name lower upper` per line) and CSV tables.

use crate::error::{Error, Result};
use crate::output;
use crate::scenario::named;
use crate::sensitivity::{self, DesignKind, Factor};
use std::path::Path;

named! {
    /// The designs `sample` draws and the methods `analyze` estimates.
    pub enum Method {
        /// Saltelli sampling; Sobol indices.
        Sobol = "sobol",
        /// Morris trajectories; elementary effects.
        Morris = "morris",
        /// A Latin hypercube sample (no estimator).
        Lhs = "lhs",
    }
}

impl Method {
    /// The methods `analyze` estimates indices for (an LHS sample has no estimator).
    pub const ANALYZED: [Method; 2] = [Method::Sobol, Method::Morris];
}

/// Reads a SALib parameter file: one `name lower upper` per line; blank lines and `#`
/// comments are skipped.
pub fn read_params(path: &Path) -> Result<Vec<Factor>> {
    let text = output::read_input_text(path)?;
    let mut factors = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let at = |msg: String| Error::Input(format!("{}:{}: {msg}", path.display(), k + 1));
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [name, lower, upper, ..] = fields[..] else {
            return Err(at(format!("`{line}`: expected `name lower upper`")));
        };
        let number = |s: &str| {
            s.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| at(format!("`{s}` is not a finite number")))
        };
        let (lower, upper) = (number(lower)?, number(upper)?);
        if factors.iter().any(|f: &Factor| f.name == name) {
            return Err(at(format!(
                "{name} is named twice; name each parameter once"
            )));
        }
        if lower >= upper {
            return Err(at(format!(
                "{name}: lower {lower} is not below upper {upper}"
            )));
        }
        factors.push(Factor {
            name: name.to_string(),
            lower,
            upper,
        });
    }
    if factors.is_empty() {
        return Err(Error::Input(format!(
            "{}: no parameters; expected lines `name lower upper`",
            path.display()
        )));
    }
    Ok(factors)
}

/// A sample table as CSV: a header of parameter names, one row per evaluation.
pub fn sample(
    method: Method,
    factors: &[Factor],
    n: usize,
    levels: usize,
    seed: u64,
) -> Result<String> {
    if n == 0 {
        return Err(Error::Input("--n 0: expected at least one sample".into()));
    }
    if method == Method::Morris && levels < 2 {
        return Err(Error::Input(format!(
            "--levels {levels}: Morris needs at least 2 levels"
        )));
    }
    let kind = match method {
        Method::Sobol => DesignKind::Saltelli,
        Method::Morris => DesignKind::Morris,
        Method::Lhs => DesignKind::Sample,
    };
    let cells = sensitivity::design_cells(kind, n, factors.len(), &[]);
    if cells > sensitivity::MAX_DESIGN_CELLS {
        return Err(Error::Input(format!(
            "--n {n}: the sample would have {cells} values (rows × parameters); at most {} are supported",
            sensitivity::MAX_DESIGN_CELLS
        )));
    }
    let rows = match method {
        Method::Sobol => sensitivity::saltelli(factors, n, seed),
        Method::Morris => sensitivity::morris(factors, n, levels, seed),
        Method::Lhs => sensitivity::latin_hypercube(factors, n, seed),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(factors.iter().map(|f| f.name.as_str()))?;
    for row in rows {
        w.write_record(row.iter().map(|&v| output::exact(v)))?;
    }
    Ok(String::from_utf8_lossy(&w.into_inner()?).into_owned())
}

/// Reads a numeric CSV table: its header and its rows.
fn read_table(path: &Path) -> Result<(Vec<String>, Vec<Vec<f64>>)> {
    let bad = |msg: String| Error::Input(format!("{}: {msg}", path.display()));
    let mut reader = csv::Reader::from_path(path).map_err(|e| match e.kind() {
        csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::NotFound => {
            bad("no such file".into())
        }
        _ => bad(e.to_string()),
    })?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| bad(e.to_string()))?
        .iter()
        .map(String::from)
        .collect();
    let mut rows = Vec::new();
    for (k, record) in reader.records().enumerate() {
        let record = record.map_err(|e| bad(e.to_string()))?;
        let row = record
            .iter()
            .map(|f| f.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
            .collect::<Option<Vec<f64>>>()
            .ok_or_else(|| bad(format!("line {}: expected finite numbers", k + 2)))?;
        rows.push(row);
    }
    Ok((header, rows))
}

/// Sensitivity indices of every output column of `outputs` for the design in `samples`.
pub fn analyze(
    method: Method,
    factors: &[Factor],
    samples: &Path,
    outputs: &Path,
    seed: u64,
) -> Result<Analysis> {
    let (header, x) = read_table(samples)?;
    let names: Vec<&str> = factors.iter().map(|f| f.name.as_str()).collect();
    if header != names {
        return Err(Error::Input(format!(
            "{}: columns {header:?} are not the parameters {names:?} of the parameter file",
            samples.display()
        )));
    }
    let (outputs_header, y) = read_table(outputs)?;
    if y.len() != x.len() {
        return Err(Error::Input(format!(
            "{}: {} rows, but {} has {}; expected one output row per sample row",
            outputs.display(),
            y.len(),
            samples.display(),
            x.len()
        )));
    }
    if !Method::ANALYZED.contains(&method) {
        return Err(Error::Input(format!(
            "analyze takes sobol or morris; {method} has no estimator here"
        )));
    }
    let columns: Vec<(String, Vec<f64>)> = outputs_header
        .iter()
        .enumerate()
        .map(|(c, name)| (name.clone(), y.iter().map(|r| r[c]).collect()))
        .collect();
    let (table, warnings) = indices_table(method, factors, &x, &columns, seed)
        .map_err(|e| Error::Input(format!("{}: {e}", samples.display())))?;
    Ok(Analysis {
        csv: String::from_utf8_lossy(&table).into_owned(),
        warnings,
    })
}

/// What `spheres analyze` prints: the table, and warnings about estimates that did not converge.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// The sensitivity table, as CSV.
    pub csv: String,
    /// Estimates that did not converge.
    pub warnings: Vec<String>,
}

/// The sensitivity table of `outputs` (name, one value per design row) for a Sobol or Morris
/// design `x`: `output,parameter,S1,S1_conf,ST,ST_conf` or `output,parameter,mu,mu_star,sigma,
/// mu_star_conf`, with a warning per Sobol index whose S1 exceeds its ST beyond their intervals.
/// Shared by `spheres analyze` and sweeps.
pub(crate) fn indices_table(
    method: Method,
    factors: &[Factor],
    x: &[Vec<f64>],
    outputs: &[(String, Vec<f64>)],
    seed: u64,
) -> std::result::Result<(Vec<u8>, Vec<String>), String> {
    let mut warnings = Vec::new();
    let num = output::number;
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = match method {
        Method::Sobol => output::columns::SOBOL,
        Method::Morris | Method::Lhs => output::columns::MORRIS,
    };
    let csv_error = |e: csv::Error| e.to_string();
    w.write_record(header).map_err(csv_error)?;
    for (name, y) in outputs {
        let rows: Vec<[f64; 4]> = match method {
            Method::Sobol => {
                let indices = sensitivity::sobol_indices(y, factors.len(), seed)?;
                for (f, s) in factors.iter().zip(&indices) {
                    if s.first_exceeds_total() {
                        warnings.push(format!(
                            "{name}: S1 of {} ({:.3} ± {:.3}) exceeds its ST ({:.3} ± {:.3}): the estimate has not converged; use more points (or more runs per point)",
                            f.name, s.s1, s.s1_conf, s.st, s.st_conf
                        ));
                    }
                }
                indices
                    .iter()
                    .map(|s| [s.s1, s.s1_conf, s.st, s.st_conf])
                    .collect()
            }
            Method::Morris | Method::Lhs => sensitivity::morris_indices(x, y, factors, seed)?
                .iter()
                .map(|m| [m.mu, m.mu_star, m.sigma, m.mu_star_conf])
                .collect(),
        };
        for (f, v) in factors.iter().zip(rows) {
            w.write_record([
                name.as_str(),
                &f.name,
                &num(v[0]),
                &num(v[1]),
                &num(v[2]),
                &num(v[3]),
            ])
            .map_err(csv_error)?;
        }
    }
    let table = w.into_inner().map_err(|e| e.to_string())?;
    Ok((table, warnings))
}
