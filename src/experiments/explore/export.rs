//! `spheres explore --export FILE.html --lever PATH=MIN:MAX:STEPS`: the page with the answers
//! of every point of a lattice over the levers a teacher picks, inside it, so that it works
//! from `file://` with no server. The page shows lattice points only; it interpolates nothing.

use super::{Explorer, Request, Side};
use crate::error::{Error, Result};
use serde_json::{Value, json};
use std::path::PathBuf;

/// Points a lattice may have, at most: each is a comparison, and the page holds them all.
pub const MAX_POINTS: usize = 64;

/// One lever of the lattice: a variant's slider (key path) from `min` to `max` in `steps`
/// values.
#[derive(Clone, Debug, PartialEq)]
pub struct LatticeLever {
    /// The slider's key path.
    pub path: String,
    /// The first value.
    pub min: f64,
    /// The last value.
    pub max: f64,
    /// Values from `min` to `max`, evenly spaced.
    pub steps: usize,
}

impl LatticeLever {
    /// `PATH=MIN:MAX:STEPS`.
    pub fn parse(arg: &str) -> std::result::Result<LatticeLever, String> {
        let expected = "expected PATH=MIN:MAX:STEPS, such as policy.eu.budget.aid=0:4000:5";
        let (path, range) = arg.split_once('=').ok_or(expected)?;
        let parts: Vec<&str> = range.split(':').collect();
        let [min, max, steps] = parts[..] else {
            return Err(format!("`{range}`: {expected}"));
        };
        let number = |s: &str| s.trim().parse::<f64>().ok().filter(|x| x.is_finite());
        match (number(min), number(max), steps.trim().parse::<usize>()) {
            (Some(min), Some(max), Ok(steps)) if min < max && (2..=MAX_POINTS).contains(&steps) => {
                Ok(LatticeLever {
                    path: path.trim().to_string(),
                    min,
                    max,
                    steps,
                })
            }
            _ => Err(format!(
                "`{range}`: {expected}, with MIN < MAX and 2 to {MAX_POINTS} steps"
            )),
        }
    }

    fn values(&self) -> Vec<f64> {
        let n = (self.steps - 1) as f64;
        (0..self.steps)
            .map(|k| self.min + (self.max - self.min) * k as f64 / n)
            .collect()
    }
}

/// What `--export` writes.
#[derive(Clone, Debug)]
pub struct ExportOptions {
    /// The page written.
    pub file: PathBuf,
    /// The lattice's levers.
    pub levers: Vec<LatticeLever>,
    /// Runs of each point.
    pub runs: u64,
    /// Plausible worlds (true) or today's coefficients.
    pub worlds: bool,
}

/// Computes every point of the lattice and writes the page with them; returns the points.
pub fn export(explorer: &Explorer, opts: &ExportOptions) -> Result<usize> {
    let indices = lattice_sliders(explorer, &opts.levers)?;
    let axes: Vec<Vec<f64>> = opts.levers.iter().map(LatticeLever::values).collect();
    let points: usize = axes.iter().map(Vec::len).product();
    if points > MAX_POINTS {
        return Err(Error::Input(format!(
            "--lever: {points} lattice points; at most {MAX_POINTS} (fewer steps or levers)"
        )));
    }
    let mut answers = Vec::with_capacity(points);
    for k in 0..points {
        let mut rest = k;
        let mut values = Vec::new();
        for (axis, i) in axes.iter().zip(&indices) {
            values.push((*i, axis[rest % axis.len()]));
            rest /= axis.len();
        }
        let request = Request {
            seed: explorer.seed,
            runs: opts.runs,
            worlds: opts.worlds,
            values,
        };
        answers.push(explorer.answer(&request, 3, None)?);
    }
    let lattice = json!({
        "levers": explorer.levers_json(),
        "axes": opts.levers.iter().zip(&axes).map(|(l, a)| json!({"path": l.path, "values": a})).collect::<Vec<_>>(),
        "answers": answers,
    });
    write_page(&opts.file, &lattice)?;
    Ok(points)
}

/// Each lattice lever's slider among the variant's, refused with the sliders it could mean.
fn lattice_sliders(explorer: &Explorer, levers: &[LatticeLever]) -> Result<Vec<usize>> {
    if levers.is_empty() {
        return Err(Error::Input(
            "--export needs at least one --lever PATH=MIN:MAX:STEPS".into(),
        ));
    }
    let sliders = explorer.sliders();
    let paths: Vec<&str> = (sliders.iter().filter(|s| s.side == Side::Variant))
        .map(|s| s.path.as_str())
        .collect();
    levers
        .iter()
        .map(|l| {
            let i = sliders
                .iter()
                .position(|s| s.side == Side::Variant && s.path == l.path);
            let i = i.ok_or_else(|| {
                Error::Input(format!(
                    "--lever {}: not a lever of the variant{}; its levers: {}",
                    l.path,
                    crate::scenario::did_you_mean(&l.path, &paths),
                    paths.join(", ")
                ))
            })?;
            let s = &sliders[i];
            match l.min >= s.min && l.max <= s.max {
                true => Ok(i),
                false => Err(Error::Input(format!(
                    "--lever {}: the range must lie within {} to {} ({})",
                    l.path, s.min, s.max, s.unit
                ))),
            }
        })
        .collect()
}

/// The page with the lattice inside it.
fn write_page(file: &std::path::Path, lattice: &Value) -> Result<()> {
    // `</` inside the script would end it early: escape every `<`.
    let data = lattice.to_string().replace('<', "\\u003c");
    let script = format!("<script>window.SPHERES_LATTICE = {data};</script>\n");
    let page = super::server::PAGE.replacen("<!--LATTICE-->", &script, 1);
    std::fs::write(file, page).map_err(|e| Error::io(file, e))
}
