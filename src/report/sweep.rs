//! A sweep's report: heatmaps of a two-parameter grid, Sobol's S1 and ST, Morris's μ*–σ
//! plane, scatters of an LHS or Monte Carlo sample, envelopes over time (series.csv), and the
//! page that shows them. Its tables are checked before anything is drawn.

use super::charts::{Envelope, Heatmap, MorrisPlane, Scatter, ScatterPanel, Tornado};
use super::html::{escape, figure_or_note, head, links};
use super::{Drawing, Written, charts_dir, drawing, drawing_or_note, file_name, run_all};
use crate::error::{Error, Result};
use crate::output::manifest::{self, Manifest};
use crate::output::{AtomicFile, columns};
use crate::scenario::YearMonth;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// A parameter level as a heatmap label.
fn level_label(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() >= 10.0 {
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

/// A sweep's report: for a two-parameter grid, a heatmap of each output's mean; for Sobol
/// designs, each output's S1 and ST per parameter; for Morris, each output's μ*–σ plane. An
/// output that does not vary gets a note instead.
pub fn report(dir: &Path, m: &Manifest, s: &manifest::Sweep) -> Result<Written> {
    let tables = read_sweep_tables(dir, s)?;
    let tag = format!(
        "{} · {} points × {} runs · seed {}",
        s.sweep,
        tables.results.len(),
        m.runs,
        m.seed
    );
    let out = charts_dir(dir)?;
    let mut drawings: Vec<(String, Drawing)> = Vec::new();
    let mut notes: Vec<(String, String)> = Vec::new();
    if s.design == "grid" && s.parameters.len() == 2 {
        heatmaps(&out, s, &tables, &tag, &mut drawings, &mut notes)?;
    }
    let sensitivity = dir.join("sensitivity.csv");
    if sensitivity.exists() {
        sensitivity_charts(&out, &sensitivity, s, &tag, &mut drawings, &mut notes)?;
    }
    if s.design == "lhs" || s.design == "montecarlo" {
        scatters(&out, s, &tables, &tag, &mut drawings, &mut notes)?;
    }
    if s.series {
        envelopes(&out, dir, s, &tag, &mut drawings, &mut notes)?;
    }
    let charts = run_all(drawings)?;
    let page = page(dir, m, s, &charts, &notes)?;
    Ok(Written {
        charts,
        pages: vec![page],
    })
}

/// A heatmap of each output's mean over the two parameters of a grid, or a note for an output
/// whose mean is the same at every point.
fn heatmaps<'a>(
    out: &'a Path,
    s: &manifest::Sweep,
    t: &SweepTables,
    tag: &str,
    drawings: &mut Vec<(String, Drawing<'a>)>,
    notes: &mut Vec<(String, String)>,
) -> Result<()> {
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
        let name = format!("heatmap-{}", file_name(output));
        let chart = Heatmap {
            title: format!("{output}, mean over runs; colours span its range ({tag})"),
            x_name: s.parameters[0].path.clone(),
            y_name: s.parameters[1].path.clone(),
            xs: xs.iter().map(|&v| level_label(v)).collect(),
            ys: ys.iter().map(|&v| level_label(v)).collect(),
            values,
            // The grid's own range: on the full −1 to +1 scale a response of a few hundredths
            // would look uniform. The cells print the levels.
            diverging: None,
        };
        let (uniform, extent) = (chart.is_uniform(), chart.extent());
        drawing_or_note((drawings, notes), out, name, chart, uniform, || {
            let at = extent.map_or_else(|| "no value".to_string(), |(lo, _)| format!("{lo}"));
            format!("{output}: {at} at every point of the grid (no heatmap).")
        });
    }
    Ok(())
}

/// Each output against each parameter: a dot per point at its mean, with its runs' 5–95 %
/// range; a note for an output whose mean is the same at every point. Failed points are left
/// out.
fn scatters<'a>(
    out: &'a Path,
    s: &manifest::Sweep,
    t: &SweepTables,
    tag: &str,
    drawings: &mut Vec<(String, Drawing<'a>)>,
    notes: &mut Vec<(String, String)>,
) -> Result<()> {
    // Every cell is a number (read_sweep_tables checked), or empty in a failed point's row.
    let value = |row: &[String], k: usize| row[k].parse::<f64>().ok();
    let parameters: Vec<usize> = s
        .parameters
        .iter()
        .map(|p| columns::find(&t.points_path, &t.p_head, &p.path))
        .collect::<Result<_>>()?;
    for output in &s.outputs {
        let [mean, p05, p95] = ["mean", "p05", "p95"]
            .map(|stat| columns::find(&t.results_path, &t.r_head, &columns::result(output, stat)));
        let (mean, p05, p95) = (mean?, p05?, p95?);
        let panels = s
            .parameters
            .iter()
            .zip(&parameters)
            .map(|(q, &at)| ScatterPanel {
                parameter: q.path.clone(),
                range: (q.min, q.max),
                points: t
                    .points
                    .iter()
                    .zip(&t.results)
                    .filter_map(|(p, r)| {
                        Some((
                            value(p, at)?,
                            value(r, mean)?,
                            value(r, p05)?,
                            value(r, p95)?,
                        ))
                    })
                    .collect(),
            })
            .collect();
        let name = format!("scatter-{}", file_name(output));
        let chart = Scatter {
            title: format!("{output} against each parameter ({tag})"),
            output: output.clone(),
            panels,
        };
        let uniform = chart.is_uniform();
        drawing_or_note((drawings, notes), out, name, chart, uniform, || {
            format!("{output}: the same mean at every point (no scatter).")
        });
    }
    Ok(())
}

/// Each output's monthly means from series.csv, every point on one chart: the envelope, the
/// median over the points and each point's line; a note for an output that never moves. The file is
/// read row by row and checked (its header, the points in order, every cell a number, or
/// every value cell empty for a failed point, which is left out).
fn envelopes<'a>(
    out: &'a Path,
    dir: &Path,
    s: &manifest::Sweep,
    tag: &str,
    drawings: &mut Vec<(String, Drawing<'a>)>,
    notes: &mut Vec<(String, String)>,
) -> Result<()> {
    let path = dir.join("series.csv");
    let start = YearMonth::parse(&s.start).ok_or_else(|| {
        Error::Input(format!(
            "{}: `start` is «{}», not a month YYYY-MM",
            dir.join(manifest::FILE).display(),
            s.start
        ))
    })?;
    let (mut reader, head) = crate::output::open_table(&path)?;
    columns::expect(&path, &head, &columns::series(&s.outputs))?;
    let means: Vec<usize> = s
        .outputs
        .iter()
        .map(|o| columns::find(&path, &head, &columns::result(o, "mean")))
        .collect::<Result<_>>()?;
    let months = s.months as usize + 1;
    let mut lines: Vec<Vec<Vec<f64>>> = vec![Vec::new(); s.outputs.len()];
    let mut current: Option<Vec<Vec<f64>>> = None;
    for (k, record) in reader.records().enumerate() {
        let row = record.map_err(|e| crate::output::table_error(&path, e))?;
        let bad = |what: String| {
            Error::Input(format!(
                "{}: line {}: {what}; is this a spheres sweep folder?",
                path.display(),
                k + 2
            ))
        };
        let failed = row.iter().skip(2).all(str::is_empty);
        for (c, cell) in row.iter().enumerate().skip(2) {
            if !failed && !cell.parse::<f64>().is_ok_and(f64::is_finite) {
                return Err(bad(format!(
                    "`{}` = «{cell}» is not a finite number",
                    head[c]
                )));
            }
        }
        let expected_date = start.plus((k % months) as i64).to_string();
        if row[1] != *expected_date {
            return Err(bad(format!("date «{}»; expected {expected_date}", &row[1])));
        }
        if k % months == 0 {
            current = Some(vec![Vec::with_capacity(months); s.outputs.len()]);
        }
        if let Some(c) = current.as_mut() {
            for (o, &at) in means.iter().enumerate() {
                if let Ok(v) = row[at].parse::<f64>() {
                    c[o].push(v);
                }
            }
        }
        if k % months == months - 1
            && let Some(c) = current.take()
        {
            for (o, line) in c.into_iter().enumerate() {
                if line.len() == months {
                    lines[o].push(line);
                }
            }
        }
    }
    for (output, lines) in s.outputs.iter().zip(lines) {
        let name = format!("envelope-{}", file_name(output));
        let chart = Envelope {
            title: format!("{output} over time, mean over each point's runs ({tag})"),
            start,
            output: output.clone(),
            lines,
        };
        let uniform = chart.is_uniform();
        drawing_or_note((drawings, notes), out, name, chart, uniform, || {
            format!("{output}: the same in every month of every point (no envelope).")
        });
    }
    Ok(())
}

/// Each output's sensitivity.csv rows as a chart: Sobol's S1 beside ST per parameter, or
/// Morris's μ*–σ plane; a note for an output no parameter moves.
fn sensitivity_charts<'a>(
    out: &'a Path,
    sensitivity: &Path,
    s: &manifest::Sweep,
    tag: &str,
    drawings: &mut Vec<(String, Drawing<'a>)>,
    notes: &mut Vec<(String, String)>,
) -> Result<()> {
    let (head, rows) = crate::output::read_table(sensitivity)?;
    let sobol = head == columns::SOBOL;
    if !sobol {
        columns::expect(sensitivity, &head, &columns::MORRIS)?;
    }
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
    let [name_at, parameter_at] = columns::find_all(sensitivity, &head, ["output", "parameter"])?;
    for output in &s.outputs {
        let mine: Vec<&Vec<String>> = rows.iter().filter(|r| r[name_at] == *output).collect();
        let name = format!(
            "{}-{}",
            if sobol { "tornado" } else { "morris" },
            file_name(output)
        );
        if sobol {
            let [s1, s1_conf, st, st_conf] =
                columns::find_all(sensitivity, &head, ["S1", "S1_conf", "ST", "ST_conf"])?;
            let mut bars: Vec<(String, Vec<(f64, f64)>)> = mine
                .iter()
                .map(|r| {
                    Ok((
                        r[parameter_at].clone(),
                        vec![
                            (number(r, s1)?, number(r, s1_conf)?),
                            (number(r, st)?, number(r, st_conf)?),
                        ],
                    ))
                })
                .collect::<Result<_>>()?;
            bars.sort_by(|a, b| b.1[1].0.total_cmp(&a.1[1].0));
            let chart = Tornado {
                title: format!("Sensitivity of {output} ({tag})"),
                x_desc: "Sobol indices with bootstrap 95 % intervals: S1 (the parameter alone), ST (with its interactions)".into(),
                indices: vec!["S1: first order".into(), "ST: total order".into()],
                rows: bars,
            };
            if chart.is_empty() {
                notes.push((
                    name,
                    format!("{output}: no parameter moves it (every Sobol index is 0; no chart)."),
                ));
            } else {
                drawings.push(drawing(out, name, chart));
            }
        } else {
            let [mu_star, mu_star_conf, sigma] =
                columns::find_all(sensitivity, &head, ["mu_star", "mu_star_conf", "sigma"])?;
            let points: Vec<(String, f64, f64, f64)> = mine
                .iter()
                .map(|r| {
                    Ok((
                        r[parameter_at].clone(),
                        number(r, mu_star)?,
                        number(r, mu_star_conf)?,
                        number(r, sigma)?,
                    ))
                })
                .collect::<Result<_>>()?;
            let chart = MorrisPlane {
                title: format!("Morris screening of {output} ({tag})"),
                rows: points,
            };
            if chart.is_empty() {
                notes.push((
                    name,
                    format!("{output}: no parameter moves it (every μ* and σ is 0; no chart)."),
                ));
            } else {
                drawings.push(drawing(out, name, chart));
            }
        }
    }
    Ok(())
}

/// The page of a sweep.
fn page(
    dir: &Path,
    m: &Manifest,
    s: &manifest::Sweep,
    charts: &[String],
    notes: &[(String, String)],
) -> Result<PathBuf> {
    let name = &s.sweep;
    let parameters: Vec<String> = s
        .parameters
        .iter()
        .map(|p| format!("{} ({} to {})", p.path, p.min, p.max))
        .collect();
    let mut out = head(&format!("{name} — spheres sweep"));
    let _ = writeln!(
        out,
        "<h1>{}</h1><p class=\"muted\">{} design, {} points, {} runs per point, seed {}. Parameters: {}.</p>",
        escape(name),
        escape(&s.design),
        s.points,
        m.runs,
        m.seed,
        escape(&parameters.join(", "))
    );
    let morris = s.design == "morris";
    let mut any = false;
    for output in &s.outputs {
        for (prefix, caption) in [
            (
                "heatmap-",
                "Mean of the output over each point's runs, over the two parameters; the colour bar gives the scale.".to_string(),
            ),
            (
                "scatter-",
                "The output's mean over each point's runs against each parameter (grey: the 5–95 % range of the point's runs). A cloud that rises or falls along a parameter means that parameter moves the output; a shapeless one, that others do.".to_string(),
            ),
            (
                "envelope-",
                "Each point's monthly mean over its runs (thin lines), the range of the points (band) and their median (black): how far the parameters' ranges spread the outcome, month by month.".to_string(),
            ),
            (
                if morris { "morris-" } else { "tornado-" },
                if morris {
                    "Morris screening: a parameter far to the right matters; one high above the dashed line σ = μ* acts nonlinearly or through interactions. Whiskers: μ*'s bootstrap 95 % interval.".to_string()
                } else {
                    "Sobol indices per parameter, largest total effect first: S1 is the share of the output's variance the parameter explains alone, ST with its interactions; whiskers: bootstrap 95 % intervals.".to_string()
                },
            ),
        ] {
            let chart = format!("{prefix}{}", file_name(output));
            if charts.contains(&chart) || notes.iter().any(|n| n.0 == chart) {
                if !any {
                    out.push_str("<h2>Charts</h2>\n");
                    any = true;
                }
                figure_or_note(&mut out, charts, notes, &chart, &caption);
            }
        }
    }
    if !s.sensitivity_warnings.is_empty() {
        out.push_str("<h2>Warnings</h2><ul>");
        for w in &s.sensitivity_warnings {
            let _ = write!(out, "<li>{}</li>", escape(w));
        }
        out.push_str("</ul>\n");
    }
    links(
        &mut out,
        dir,
        &[
            "points.csv",
            "results.csv",
            "sensitivity.csv",
            "runs.csv",
            "series.csv",
            "sweep.toml",
            "manifest.json",
        ],
    );
    out.push_str("</body></html>\n");
    AtomicFile::write(dir, "index.html", out.as_bytes())
}
