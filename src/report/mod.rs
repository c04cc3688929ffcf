//! Charts and a self-contained `index.html` for an output folder: `spheres report DIR`, and
//! after `run` and `compare` unless `--no-charts`. It reads the folder's files (summary.csv,
//! the resolved scenario, events.csv, comparison.csv) and knows nothing of the engine.

mod charts;
mod data;
mod html;

use crate::error::{Error, Result};
use crate::output::columns;
use crate::output::manifest::{self, Experiment, Manifest};
use charts::{
    Bars, Chart, Fan, FanSize, Forest, Grid, Heatmap, Map, Panel, Regional, Tornado,
    register_fonts, render,
};
use data::{EventStat, Series};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Folder (inside an output folder) that holds the charts.
pub const CHARTS: &str = "charts";

/// Share of runs an event needs to be marked on a fan chart.
const MARK_EVENTS_FROM: f64 = 0.05;

/// What a report wrote.
#[derive(Clone, Debug, Default)]
pub struct Written {
    /// Chart names (each as `charts/NAME.png` and `charts/NAME.svg`), in page order.
    pub charts: Vec<String>,
    pub pages: Vec<PathBuf>,
}

/// Draws the report of an existing, complete output folder.
pub fn write(dir: &Path) -> Result<Written> {
    let manifest = manifest::read(dir)?;
    write_with(dir, &manifest)
}

/// Draws the report of `dir` given its manifest (which may not be written yet).
pub fn write_with(dir: &Path, m: &Manifest) -> Result<Written> {
    register_fonts();
    match &m.experiment {
        Experiment::Run(_) => run_report(dir, m, None),
        Experiment::Compare(c) => compare_report(dir, m, c),
        Experiment::Sweep(s) => sweep_report(dir, m, s),
        Experiment::Levers(l) => levers_report(dir, m, l),
        Experiment::Hindcast(_) => Err(Error::Input(format!(
            "{}: a hindcast has no charts; its scores are in hindcast.csv",
            dir.display()
        ))),
    }
}

type Job<'a> = Box<dyn Fn() -> Result<()> + Sync + 'a>;

fn job<'a>(dir: &'a Path, name: String, chart: impl Chart + 'a) -> (String, Job<'a>) {
    let n = name.clone();
    (name, Box::new(move || render(dir, &n, &chart)))
}

fn run_all(jobs: Vec<(String, Job<'_>)>) -> Result<Vec<String>> {
    jobs.par_iter()
        .map(|(_, f)| f())
        .collect::<Result<Vec<()>>>()?;
    Ok(jobs.into_iter().map(|(name, _)| name).collect())
}

fn charts_dir(dir: &Path) -> Result<PathBuf> {
    let charts = dir.join(CHARTS);
    std::fs::create_dir_all(&charts).map_err(|e| Error::io(&charts, e))?;
    Ok(charts)
}

/// A run's report: fan charts, their grid, the map, Moscow-leaning probabilities, regional
/// indicators. `parent` links back to a comparison's page.
fn run_report(dir: &Path, m: &Manifest, parent: Option<&str>) -> Result<Written> {
    let scenario = data::read_scenario(dir)?;
    let series = data::read_summary(&dir.join("summary.csv"))?;
    let events = data::read_events(dir, series.start)?;
    let name = &scenario.scenario.name;
    let tag = format!("{name} · {} runs · seed {}", m.runs, m.seed);
    let theta = scenario.params.leaning_threshold;
    let units: Vec<&String> = series
        .units
        .iter()
        .filter(|u| series.get(u, "alignment").is_some())
        .collect();
    let fan = |unit: &str, size: FanSize| -> Option<Fan> {
        let title = match size {
            FanSize::Panel => unit.to_string(),
            FanSize::Page => format!("{} — alignment ({tag})", unit_name(&scenario, unit)),
        };
        Some(Fan {
            title,
            series: series.get(unit, "alignment")?,
            start: series.start,
            theta,
            events: marked(&events, unit, m.runs),
            runs: m.runs,
            size,
        })
    };
    let out = charts_dir(dir)?;
    let mut jobs: Vec<(String, Job)> = Vec::new();
    if let (Some(mean), Some(count), Some(adriatic)) = (
        series.get("region", "mean_alignment"),
        series.get("region", "moscow_leaning_states"),
        series.get("region", "adriatic_access"),
    ) {
        let top = count.iter().map(|s| s.q[4]).fold(1.0, f64::max);
        jobs.push(job(
            &out,
            "regional".into(),
            Regional {
                title: format!("Regional indicators ({tag})"),
                start: series.start,
                panels: regional_panels(vec![(name.as_str(), mean, count, adriatic)], top),
            },
        ));
    }
    jobs.push(job(
        &out,
        "map".into(),
        Map {
            title: format!("Median alignment at {} ({tag})", horizon(&series)),
            scenario: &scenario,
            series: &series,
        },
    ));
    let bars: Vec<(String, f64, f64, f64)> = units
        .iter()
        .filter_map(|u| {
            let p = series.last(u, "moscow_leaning")?.mean;
            let (lo, hi) = crate::statistics::wilson((p * m.runs as f64).round() as u64, m.runs);
            Some((unit_name(&scenario, u), p, lo, hi))
        })
        .collect();
    jobs.push(job(
        &out,
        "leaning".into(),
        Bars {
            title: format!(
                "Probability of leaning to Moscow at {} ({tag})",
                horizon(&series)
            ),
            x_desc: format!(
                "share of runs with alignment above {theta:.2}, with its Wilson 95 % interval"
            ),
            rows: bars,
        },
    ));
    jobs.push(job(
        &out,
        "fans".into(),
        Grid {
            title: format!("Alignment of every state, median with 50 % and 90 % bands ({tag})"),
            fans: units
                .iter()
                .filter_map(|u| fan(u, FanSize::Panel))
                .collect(),
        },
    ));
    for u in &units {
        if let Some(f) = fan(u, FanSize::Page) {
            jobs.push(job(&out, format!("fan-{u}"), f));
        }
    }
    let charts = run_all(jobs)?;
    let page = html::run_page(dir, &scenario, &series, m, &charts, parent)?;
    Ok(Written {
        charts,
        pages: vec![page],
    })
}

/// A comparison's report: each scenario's own report in its subfolder, then the forest plots
/// of paired differences and the regional indicators of all scenarios overlaid.
fn compare_report(dir: &Path, m: &Manifest, c: &manifest::Compare) -> Result<Written> {
    let folders: Vec<String> = c.scenarios.iter().map(|s| s.folder.clone()).collect();
    let mut written = Written::default();
    let mut all: Vec<(String, Series)> = Vec::new();
    for folder in &folders {
        let sub = dir.join(folder);
        let w = run_report(&sub, m, Some("../index.html"))?;
        written.pages.extend(w.pages);
        all.push((
            folder.clone(),
            data::read_summary(&sub.join("summary.csv"))?,
        ));
    }
    let differences = data::read_differences(dir)?;
    let baseline = folders
        .first()
        .cloned()
        .ok_or_else(|| Error::Internal("a comparison without scenarios".into()))?;
    let out = charts_dir(dir)?;
    let mut jobs: Vec<(String, Job)> = Vec::new();
    for variant in folders.iter().skip(1) {
        let rows: Vec<&data::Difference> = differences
            .iter()
            .filter(|d| &d.scenario == variant && d.indicator == "alignment")
            .collect();
        jobs.push(job(
            &out,
            format!("forest-{variant}"),
            Forest {
                title: format!(
                    "{variant} − {baseline}: alignment at the horizon ({} runs, seed {})",
                    m.runs, m.seed
                ),
                rows,
            },
        ));
    }
    let lines: Vec<RegionalLine> = all
        .iter()
        .filter_map(|(name, s)| {
            Some((
                name.as_str(),
                s.get("region", "mean_alignment")?,
                s.get("region", "moscow_leaning_states")?,
                s.get("region", "adriatic_access")?,
            ))
        })
        .collect();
    let top = lines
        .iter()
        .flat_map(|l| l.2.iter().map(|s| s.q[4]))
        .fold(1.0, f64::max);
    if let Some((_, first)) = all.first() {
        jobs.push(job(
            &out,
            "regional".into(),
            Regional {
                title: format!(
                    "Regional indicators, scenarios overlaid ({} runs each, seed {})",
                    m.runs, m.seed
                ),
                start: first.start,
                panels: regional_panels(lines, top),
            },
        ));
    }
    let charts = run_all(jobs)?;
    let page = html::compare_page(dir, m, c, &folders, &differences, &charts)?;
    written.pages.insert(0, page);
    written.charts = charts;
    Ok(written)
}

type RegionalLine<'a> = (
    &'a str,
    &'a [data::Stat],
    &'a [data::Stat],
    &'a [data::Stat],
);

fn regional_panels(lines: Vec<RegionalLine<'_>>, top_count: f64) -> Vec<Panel<'_>> {
    vec![
        Panel {
            name: "population-weighted mean alignment (median, 5–95 % band)",
            y_desc: "alignment (−1 West, +1 Moscow)",
            range: (-1.0, 1.0),
            median: true,
            lines: lines.iter().map(|l| (l.0, l.1)).collect(),
        },
        Panel {
            name: "Moscow-leaning states (expected number)",
            y_desc: "states",
            range: (0.0, top_count.ceil()),
            median: false,
            lines: lines.iter().map(|l| (l.0, l.2)).collect(),
        },
        Panel {
            name: "probability that Russia has naval access on the Adriatic",
            y_desc: "probability",
            range: (0.0, 1.0),
            median: false,
            lines: lines.iter().map(|l| (l.0, l.3)).collect(),
        },
    ]
}

fn marked<'a>(events: &'a [EventStat], unit: &str, runs: u64) -> Vec<&'a EventStat> {
    events
        .iter()
        .filter(|e| e.state == unit && e.runs as f64 >= MARK_EVENTS_FROM * runs as f64)
        .collect()
}

fn horizon(series: &Series) -> String {
    series.start.plus(series.months as i64).to_string()
}

/// "Serbia (SRB)", or the code alone for parents and the region.
fn unit_name(scenario: &crate::scenario::Scenario, unit: &str) -> String {
    scenario
        .state
        .iter()
        .find(|s| s.code == unit)
        .map_or_else(|| unit.to_string(), |s| format!("{} ({})", s.name, s.code))
}

/// Chart names must be file names: keep letters, digits, '-' and '_'.
fn file_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Alignment units at which the lever heatmap's colours saturate (stated in its title).
const LEVER_SCALE: f64 = 0.1;

/// The lever table as a heatmap: one row per power, lever and multiplier, one column per state
/// (and the region's mean), coloured by the effect on alignment at the horizon.
fn levers_report(dir: &Path, m: &Manifest, l: &manifest::Levers) -> Result<Written> {
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
    let title = format!(
        "Effect on alignment at the horizon (colours saturate at ±{LEVER_SCALE}; {} runs, seed {})",
        m.runs, m.seed
    );
    let jobs = vec![job(
        &out,
        "levers".to_string(),
        Heatmap {
            title,
            x_name: "state".into(),
            y_name: String::new(),
            xs,
            ys,
            values,
            diverging: Some(LEVER_SCALE),
        },
    )];
    let charts = run_all(jobs)?;
    let page = html::levers_page(dir, m, l, &charts)?;
    Ok(Written {
        charts,
        pages: vec![page],
    })
}

/// A parameter level as a heatmap label.
fn level_label(v: f64) -> String {
    if v.abs() >= 10.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
    }
}

/// Refuses a table of a sweep folder unless every cell is a finite number (but the `error`
/// column, and the empty cells of a row whose error says why it failed).
fn numbers_only(
    path: &Path,
    head: &[String],
    rows: &[Vec<String>],
    error_column: Option<usize>,
) -> Result<()> {
    for (k, row) in rows.iter().enumerate() {
        let failed = error_column.is_some_and(|c| row.get(c).is_some_and(|e| !e.is_empty()));
        for (c, cell) in row.iter().enumerate() {
            if Some(c) == error_column || (failed && cell.is_empty()) {
                continue;
            }
            if !cell.parse::<f64>().is_ok_and(f64::is_finite) {
                return Err(Error::Input(format!(
                    "{}: line {}: `{}` = «{cell}» is not a finite number; is this a spheres sweep folder?",
                    path.display(),
                    k + 2,
                    head.get(c).map_or("?", String::as_str)
                )));
            }
        }
    }
    Ok(())
}

/// A sweep folder's points.csv and results.csv, checked.
struct SweepTables {
    points_path: PathBuf,
    p_head: Vec<String>,
    points: Vec<Vec<String>>,
    results_path: PathBuf,
    r_head: Vec<String>,
    results: Vec<Vec<String>>,
}

/// Reads points.csv and results.csv of a sweep folder: refused unless their columns are the
/// manifest's parameters and outputs, every cell is a number (see [`numbers_only`]), and
/// every point has its result.
fn read_sweep_tables(dir: &Path, s: &manifest::Sweep) -> Result<SweepTables> {
    let (points_path, results_path) = (dir.join("points.csv"), dir.join("results.csv"));
    let (p_head, points) = crate::output::read_table(&points_path)?;
    let (r_head, results) = crate::output::read_table(&results_path)?;
    let parameters: Vec<String> = s.parameters.iter().map(|p| p.path.clone()).collect();
    columns::expect(&points_path, &p_head, &columns::points(&parameters))?;
    columns::expect(&results_path, &r_head, &columns::results(&s.outputs))?;
    numbers_only(&points_path, &p_head, &points, None)?;
    let error_column = columns::find(&results_path, &r_head, columns::ERROR)?;
    numbers_only(&results_path, &r_head, &results, Some(error_column))?;
    if points.len() != results.len() {
        return Err(Error::Input(format!(
            "{}: {} points but {} results; is the folder complete?",
            dir.display(),
            points.len(),
            results.len()
        )));
    }
    Ok(SweepTables {
        points_path,
        p_head,
        points,
        results_path,
        r_head,
        results,
    })
}

/// A sweep's report: for a two-parameter grid, a heatmap of each output's mean; for Sobol and
/// Morris designs, a tornado chart of each output's sensitivity.
fn sweep_report(dir: &Path, m: &Manifest, s: &manifest::Sweep) -> Result<Written> {
    let tables = read_sweep_tables(dir, s)?;
    let tag = format!(
        "{} · {} points × {} runs · seed {}",
        s.sweep,
        tables.results.len(),
        m.runs,
        m.seed
    );
    let out = charts_dir(dir)?;
    let mut jobs: Vec<(String, Job)> = Vec::new();
    if s.design == "grid" && s.parameters.len() == 2 {
        jobs.extend(heatmaps(&out, s, &tables, &tag)?);
    }
    let sensitivity = dir.join("sensitivity.csv");
    if sensitivity.exists() {
        jobs.extend(tornadoes(&out, &sensitivity, s, &tag)?);
    }
    let charts = run_all(jobs)?;
    let parameters: Vec<String> = s.parameters.iter().map(|p| p.path.clone()).collect();
    let page = html::sweep_page(dir, m, s, &parameters, &charts)?;
    Ok(Written {
        charts,
        pages: vec![page],
    })
}

/// A heatmap of each output's mean over the two parameters of a grid.
fn heatmaps<'a>(
    out: &'a Path,
    s: &manifest::Sweep,
    t: &SweepTables,
    tag: &str,
) -> Result<Vec<(String, Job<'a>)>> {
    // Every cell is a number (read_sweep_tables checked), or empty in a failed point's row:
    // drawn blank.
    let value = |row: &[String], k: usize| row[k].parse::<f64>().unwrap_or(f64::NAN);
    let x_at = columns::find(&t.points_path, &t.p_head, &s.parameters[0].path)?;
    let y_at = columns::find(&t.points_path, &t.p_head, &s.parameters[1].path)?;
    let mut xs: Vec<f64> = t.points.iter().map(|r| value(r, x_at)).collect();
    let mut ys: Vec<f64> = t.points.iter().map(|r| value(r, y_at)).collect();
    for v in [&mut xs, &mut ys] {
        v.sort_by(f64::total_cmp);
        v.dedup();
    }
    let mut jobs = Vec::new();
    for output in &s.outputs {
        let col = columns::find(&t.results_path, &t.r_head, &columns::result(output, "mean"))?;
        let mut values = vec![vec![f64::NAN; xs.len()]; ys.len()];
        for (p, r) in t.points.iter().zip(&t.results) {
            let (x, y) = (value(p, x_at), value(p, y_at));
            if let (Some(xi), Some(yi)) = (
                xs.iter().position(|v| *v == x),
                ys.iter().position(|v| *v == y),
            ) {
                values[yi][xi] = value(r, col);
            }
        }
        jobs.push(job(
            out,
            format!("heatmap-{}", file_name(output)),
            Heatmap {
                title: format!("{output}, mean over runs ({tag})"),
                x_name: s.parameters[0].path.clone(),
                y_name: s.parameters[1].path.clone(),
                xs: xs.iter().map(|&v| level_label(v)).collect(),
                ys: ys.iter().map(|&v| level_label(v)).collect(),
                values,
                diverging: output.ends_with("alignment").then_some(1.0),
            },
        ));
    }
    Ok(jobs)
}

/// A tornado chart of each output's sensitivity.csv rows: Sobol ST or Morris μ*.
fn tornadoes<'a>(
    out: &'a Path,
    sensitivity: &Path,
    s: &manifest::Sweep,
    tag: &str,
) -> Result<Vec<(String, Job<'a>)>> {
    let (head, rows) = crate::output::read_table(sensitivity)?;
    let sobol = head == columns::SOBOL;
    if !sobol {
        columns::expect(sensitivity, &head, &columns::MORRIS)?;
    }
    let (value, half) = if sobol {
        ("ST", "ST_conf")
    } else {
        ("mu_star", "mu_star_conf")
    };
    let [name_at, parameter_at, value_at, half_at] =
        columns::find_all(sensitivity, &head, ["output", "parameter", value, half])?;
    let number = |r: &[String], c: usize| {
        r[c].parse::<f64>().map_err(|_| {
            Error::Input(format!(
                "{}: `{}` = «{}»; expected a number",
                sensitivity.display(),
                head[c],
                r[c]
            ))
        })
    };
    let x_desc = if sobol {
        "total-order Sobol index ST, with its bootstrap 95 % interval"
    } else {
        "Morris μ* (mean absolute elementary effect), with its bootstrap 95 % interval"
    };
    let mut jobs = Vec::new();
    for output in &s.outputs {
        let mut bars: Vec<(String, f64, f64)> = rows
            .iter()
            .filter(|r| r[name_at] == *output)
            .map(|r| {
                Ok((
                    r[parameter_at].clone(),
                    number(r, value_at)?,
                    number(r, half_at)?,
                ))
            })
            .collect::<Result<_>>()?;
        bars.sort_by(|a, b| b.1.total_cmp(&a.1));
        jobs.push(job(
            out,
            format!("tornado-{}", file_name(output)),
            Tornado {
                title: format!("Sensitivity of {output} ({tag})"),
                x_desc: x_desc.into(),
                rows: bars,
            },
        ));
    }
    Ok(jobs)
}
