//! A calibration's report: each prior beside its posterior (a forest of their 90 % intervals,
//! placed relative to the prior), the sampler's generations, and the page.

use super::charts::{Forest, ForestRow};
use super::data::Table;
use super::html::{escape, figure_or_note, head, write_page};
use super::{Charts, Drawn, Written};
use crate::error::Result;
use crate::output::columns;
use crate::output::manifest::{self, Manifest};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// marginals.csv: (path, [prior p05, p50, p95, posterior p05, p50, p95]).
fn read_marginals(dir: &Path) -> Result<Vec<(String, [f64; 6])>> {
    let t = Table::checked(dir.join("marginals.csv"), &columns::MARGINALS)?;
    let at = t.find_all(columns::MARGINALS)?;
    t.rows
        .iter()
        .map(|r| {
            let mut v = [0.0; 6];
            for (k, slot) in v.iter_mut().enumerate() {
                *slot = t.finite(r, at[k + 1])?;
            }
            Ok((r[at[0]].clone(), v))
        })
        .collect()
}

/// Where `x` lies relative to a prior: 0 at its median, ±0.5 at the ends of its 90 % interval.
fn relative(x: f64, m: &[f64; 6]) -> f64 {
    let width = m[2] - m[0];
    if width > 0.0 { (x - m[1]) / width } else { 0.0 }
}

pub fn report(dir: &Path, m: &Manifest, c: &manifest::Calibrate) -> Result<Written> {
    let marginals = read_marginals(dir)?;
    let mut charts = Charts::new(dir)?;
    if marginals.is_empty() {
        charts.note("marginals", "No parameter to show.".to_string());
    } else {
        let mut rows = Vec::new();
        for (path, v) in &marginals {
            for (which, lo, mid, hi) in
                [("prior", v[0], v[1], v[2]), ("posterior", v[3], v[4], v[5])]
            {
                rows.push(ForestRow {
                    name: format!("{path} {which}"),
                    diff: relative(mid, v),
                    low: relative(lo, v),
                    high: relative(hi, v),
                });
            }
        }
        charts.add(
            "marginals".to_string(),
            Forest {
                title: format!("{}: prior and posterior, 90 % intervals", c.scenario),
                rows,
                x_desc: "relative to the prior: 0 its median, ±0.5 the ends of its 90 % interval"
                    .into(),
                diverging: false,
            },
        );
    }
    let drawn = charts.draw_all()?;
    let page = page(dir, m, c, &marginals, &drawn)?;
    Ok(drawn.written(vec![page]))
}

fn page(
    dir: &Path,
    m: &Manifest,
    c: &manifest::Calibrate,
    marginals: &[(String, [f64; 6])],
    drawn: &Drawn,
) -> Result<PathBuf> {
    let mut out = head(&format!("{} — spheres calibrate", c.scenario));
    let _ = writeln!(
        out,
        "<h1>Calibration: {}</h1><p>{}. Targets: {} calibration outcomes ({}). {} simulations in {} generations \
of {} particles (seed {}); the sampler stopped because {}.</p><p>A posterior that equals its prior says \
the targets do not inform that parameter: with the present held, levels are absorbed by the data, and only \
changes (events, trajectories) can move a coefficient.</p>",
        escape(&c.scenario),
        escape(&c.method),
        c.targets.len(),
        escape(&c.targets.join(", ")),
        c.simulations,
        c.generations,
        c.particles,
        m.seed,
        escape(&c.stopped)
    );
    crate::report::html::cite_box(
        &mut out,
        "Calibration by ABC on the hindcast's outcomes: a posterior narrower than its prior has not yet been shown to forecast better (docs/CALIBRATION.md).",
    );
    figure_or_note(
        &mut out,
        drawn,
        "marginals",
        "Each parameter's prior (first row) and posterior (second row): the dot is the median, the bar the 90 % interval, placed relative to the prior so that every parameter reads on one scale.",
    );
    out.push_str("<h2>Each parameter</h2><div class=\"table\"><table><tr><th>key path</th><th>prior 5 %</th><th>prior median</th><th>prior 95 %</th><th>posterior 5 %</th><th>posterior median</th><th>posterior 95 %</th></tr>\n");
    for (path, v) in marginals {
        let _ = write!(out, "<tr><td>{}</td>", escape(path));
        for x in v {
            let _ = write!(out, "<td>{x:.4}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table></div>\n");
    write_page(
        dir,
        out,
        &[
            "posterior.csv",
            "generations.csv",
            "marginals.csv",
            "scenario.resolved.toml",
            "manifest.json",
        ],
    )
}
