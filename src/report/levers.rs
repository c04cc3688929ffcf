//! The lever table's report: a heatmap of every lever's effect on every state's alignment, and
//! its page.

use super::charts::Heatmap;
use super::html::{escape, figure_or_note, head, links};
use super::{Written, charts_dir, drawing_or_note, run_all};
use crate::error::{Error, Result};
use crate::output::manifest::{self, Manifest};
use crate::output::{AtomicFile, columns};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Alignment units at which the lever heatmap's colours saturate (stated in its title).
const LEVER_SCALE: f64 = 0.1;

/// The lever table as a heatmap: one row per power, lever and multiplier, one column per state
/// (and the region's mean), coloured by the effect on alignment at the horizon.
pub fn report(dir: &Path, m: &Manifest, l: &manifest::Levers) -> Result<Written> {
    let path = dir.join("levers.csv");
    let (head, rows) = crate::output::read_table(&path)?;
    columns::expect(&path, &head, &columns::LEVERS)?;
    let [power, lever, multiplier, state, indicator, effect] = columns::find_all(
        &path,
        &head,
        [
            "power",
            "lever",
            "multiplier",
            "state",
            "indicator",
            "effect",
        ],
    )?;
    let number = |r: &[String], c: usize| {
        r[c].parse::<f64>().map_err(|_| {
            Error::Input(format!(
                "{}: `{}` = «{}»; expected a number",
                path.display(),
                head[c],
                r[c]
            ))
        })
    };
    let mut xs: Vec<String> = Vec::new();
    let mut ys: Vec<String> = Vec::new();
    let mut cells: Vec<(usize, usize, f64)> = Vec::new();
    for r in &rows {
        if !(r[indicator] == "alignment" || r[indicator] == "mean_alignment") {
            continue;
        }
        let x = r[state].clone();
        let times = number(r, multiplier)?;
        let y = format!("{} {} ×{times}", r[power], r[lever]);
        let xi = xs.iter().position(|v| *v == x).unwrap_or_else(|| {
            xs.push(x);
            xs.len() - 1
        });
        let yi = ys.iter().position(|v| *v == y).unwrap_or_else(|| {
            ys.push(y);
            ys.len() - 1
        });
        let value = number(r, effect)?;
        cells.push((xi, yi, value));
    }
    // The first probe on top: rows are drawn from the bottom up.
    let rows_up = ys.len();
    let mut values = vec![vec![f64::NAN; xs.len()]; rows_up];
    for (xi, yi, v) in cells {
        values[rows_up - 1 - yi][xi] = v;
    }
    ys.reverse();
    let out = charts_dir(dir)?;
    let heatmap = |title: String| Heatmap {
        title,
        x_name: "state".into(),
        y_name: String::new(),
        xs: xs.clone(),
        ys: ys.clone(),
        values: values.clone(),
        diverging: Some(LEVER_SCALE),
    };
    let title = format!(
        "Effect on alignment at the horizon (colours saturate at ±{LEVER_SCALE}; {} runs, seed {})",
        m.runs, m.seed
    );
    let chart = heatmap(title);
    let mut notes = Vec::new();
    let mut drawings = Vec::new();
    let uniform = chart.is_uniform();
    drawing_or_note(
        (&mut drawings, &mut notes),
        &out,
        "levers".to_string(),
        chart,
        uniform,
        || {
            "No lever changes any state's alignment at the horizon (every effect is the same): no heatmap.".to_string()
        },
    );
    let charts = run_all(drawings)?;
    let page = page(dir, m, l, &charts, &notes)?;
    Ok(Written {
        charts,
        pages: vec![page],
    })
}

fn page(
    dir: &Path,
    m: &Manifest,
    l: &manifest::Levers,
    charts: &[String],
    notes: &[(String, String)],
) -> Result<PathBuf> {
    let name = &l.scenario;
    let mut out = head(&format!("{name} — spheres lever table"));
    let _ = writeln!(
        out,
        "<h1>What each lever does: {}</h1><p>Each row runs the scenario again with one power's budget on one lever multiplied by 0 or 2 from the start month — the start itself is unchanged — on the same random numbers as the scenario. A cell is the mean difference that makes to a state's alignment at the horizon: red toward Moscow, blue toward the West; the colours saturate at ±{LEVER_SCALE}. {} runs per scenario, seed {}. The intervals in levers.csv measure run-to-run noise only, not what we do not know about the coefficients.</p>",
        escape(name),
        m.runs,
        m.seed
    );
    figure_or_note(
        &mut out,
        charts,
        notes,
        "levers",
        "Effect on alignment at the horizon (probe − scenario), by state; the region's population-weighted mean on the right.",
    );
    links(
        &mut out,
        dir,
        &["levers.csv", "scenario.resolved.toml", "manifest.json"],
    );
    out.push_str("</body></html>\n");
    AtomicFile::write(dir, "index.html", out.as_bytes())
}
