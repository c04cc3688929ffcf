//! The lever table's report: a heatmap of every lever's effect on every state's alignment, and
//! its page.

use super::charts::Heatmap;
use super::data::{Indicators, Table};
use super::html::{escape, figure_or_note, head, write_page};
use super::{Charts, Drawn, Written};
use crate::error::Result;
use crate::output::columns;
use crate::output::manifest::{self, Manifest};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Alignment units at which the lever heatmap's colours saturate (stated in its title).
const LEVER_SCALE: f64 = 0.1;

/// The lever table as a heatmap: one row per power, lever and multiplier, one column per state
/// (and the region's mean), coloured by the effect on alignment at the horizon.
pub fn report(dir: &Path, m: &Manifest, l: &manifest::Levers) -> Result<Written> {
    let Effects {
        states,
        probes,
        values,
    } = read_effects(dir)?;
    let words = Indicators::read(dir)?;
    let alignment = words.label("alignment")?;
    let mut charts = Charts::new(dir)?;
    let chart = Heatmap {
        title: format!(
            "Effect on {alignment} at the horizon (colours saturate at ±{LEVER_SCALE}; {} runs, seed {})",
            m.runs, m.seed
        ),
        x_name: "state".into(),
        y_name: String::new(),
        xs: states,
        ys: probes,
        values,
        diverging: Some(LEVER_SCALE),
    };
    let uniform = chart.is_uniform();
    charts.add_or_note("levers".to_string(), chart, uniform, || {
        format!("No lever changes any state's {alignment} at the horizon (every effect is the same): no heatmap.")
    });
    let drawn = charts.draw_all()?;
    let page = page(dir, m, l, &drawn, alignment)?;
    Ok(drawn.written(vec![page]))
}

/// levers.csv's effects on alignment at the horizon, as a heatmap's grid.
struct Effects {
    /// The columns: the states (and the region) in the file's order.
    states: Vec<String>,
    /// The rows, "POWER LEVER ×MULTIPLIER", the file's first last: rows are drawn from the
    /// bottom up, so that it is on top.
    probes: Vec<String>,
    /// `values[probe][state]`, NaN where a probe has no row for a state.
    values: Vec<Vec<f64>>,
}

fn read_effects(dir: &Path) -> Result<Effects> {
    let t = Table::checked(dir.join("levers.csv"), &columns::LEVERS)?;
    let [power, lever, multiplier, state, indicator, effect] = t.find_all([
        "power",
        "lever",
        "multiplier",
        "state",
        "indicator",
        "effect",
    ])?;
    let mut xs: Vec<String> = Vec::new();
    let mut ys: Vec<String> = Vec::new();
    let mut cells: Vec<(usize, usize, f64)> = Vec::new();
    for r in &t.rows {
        if !(r[indicator] == "alignment" || r[indicator] == "mean_alignment") {
            continue;
        }
        let times = t.number(r, multiplier)?;
        let y = format!("{} {} ×{times}", r[power], r[lever]);
        let xi = position_or_push(&mut xs, &r[state]);
        let yi = position_or_push(&mut ys, &y);
        cells.push((xi, yi, t.number(r, effect)?));
    }
    let rows_up = ys.len();
    let mut values = vec![vec![f64::NAN; xs.len()]; rows_up];
    for (xi, yi, v) in cells {
        values[rows_up - 1 - yi][xi] = v;
    }
    ys.reverse();
    Ok(Effects {
        states: xs,
        probes: ys,
        values,
    })
}

/// The index of `item` in `list`, appended if new.
fn position_or_push(list: &mut Vec<String>, item: &str) -> usize {
    list.iter().position(|v| v == item).unwrap_or_else(|| {
        list.push(item.to_string());
        list.len() - 1
    })
}

/// The page; `alignment` is the indicator's words (from indicators.csv).
fn page(
    dir: &Path,
    m: &Manifest,
    l: &manifest::Levers,
    drawn: &Drawn,
    alignment: &str,
) -> Result<PathBuf> {
    let name = &l.scenario;
    let mut out = head(&format!("{name} — spheres lever table"));
    let _ = writeln!(
        out,
        "<h1>What each lever does: {}</h1><p>Each row runs the scenario again with one power's budget on one lever multiplied by 0 or 2 from the start month — the start itself is unchanged — on the same random numbers as the scenario. A cell is the mean difference that makes to a state's {alignment} at the horizon: red toward Moscow, blue toward the West; the colours saturate at ±{LEVER_SCALE}. {} runs per scenario, seed {}. The intervals in levers.csv measure run-to-run noise only, not what we do not know about the coefficients.</p>",
        escape(name),
        m.runs,
        m.seed
    );
    let scenario = crate::report::data::read_scenario(dir)?;
    let model = crate::report::model_words(&scenario, "fixed", m.runs);
    crate::report::html::cite_box(&mut out, &model);
    figure_or_note(
        &mut out,
        drawn,
        "levers",
        &format!(
            "Effect on {alignment} at the horizon (probe − scenario), by state; the region's population-weighted mean on the right."
        ),
    );
    write_page(
        dir,
        out,
        &["levers.csv", "scenario.resolved.toml", "manifest.json"],
    )
}
