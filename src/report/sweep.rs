//! A sweep's report: heatmaps of a two-parameter grid, Sobol's S1 and ST, Morris's μ*–σ
//! plane, scatters of an LHS or Monte Carlo sample, envelopes over time (series.csv), and the
//! page that shows them. Its tables are checked before anything is drawn.

use super::charts::{
    Envelope, Heatmap, MorrisPlane, MorrisRow, Scatter, ScatterPanel, ScatterPoint, Tornado,
};
use super::data::Table;
use super::html::{escape, figure_or_note, head, write_page};
use super::{Charts, Drawn, Written, file_name};
use crate::error::{Error, Result};
use crate::output::columns;
use crate::output::manifest::{self, Manifest};
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
fn numbers_only(t: &Table, error_column: Option<usize>) -> Result<()> {
    for (k, row) in t.rows.iter().enumerate() {
        let failed = error_column.is_some_and(|c| row.get(c).is_some_and(|e| !e.is_empty()));
        for (c, cell) in row.iter().enumerate() {
            if Some(c) == error_column || (failed && cell.is_empty()) {
                continue;
            }
            if !cell.parse::<f64>().is_ok_and(f64::is_finite) {
                return Err(Error::Input(format!(
                    "{}: line {}: `{}` = «{cell}» is not a finite number; is this a spheres sweep folder?",
                    t.path.display(),
                    k + 2,
                    t.head.get(c).map_or("?", String::as_str)
                )));
            }
        }
    }
    Ok(())
}

/// A sweep's report: for a two-parameter grid, a heatmap of each output's mean; for Sobol
/// designs, each output's S1 and ST per parameter; for Morris, each output's μ*–σ plane; for
/// LHS and Monte Carlo, each output against each parameter; with series.csv, each output over
/// time. An output that does not vary gets a note instead.
pub fn report(dir: &Path, m: &Manifest, s: &manifest::Sweep) -> Result<Written> {
    let sweep = Sweep::read(dir, m, s)?;
    let mut charts = Charts::new(dir)?;
    if s.design == "grid" && s.parameters.len() == 2 {
        sweep.heatmaps(&mut charts)?;
    }
    let sensitivity = dir.join("sensitivity.csv");
    if sensitivity.exists() {
        sweep.sensitivity(&mut charts, sensitivity)?;
    }
    if s.design == "lhs" || s.design == "montecarlo" {
        sweep.scatters(&mut charts)?;
    }
    if s.series {
        sweep.envelopes(&mut charts, dir)?;
    }
    let drawn = charts.draw_all()?;
    let page = page(dir, m, s, &drawn)?;
    Ok(drawn.written(vec![page]))
}

/// A sweep folder as its charts read it: its manifest's sweep, points.csv and results.csv
/// (checked), and the tag that ends every chart's title.
struct Sweep<'a> {
    s: &'a manifest::Sweep,
    points: Table,
    results: Table,
    tag: String,
}

impl<'a> Sweep<'a> {
    /// Reads points.csv and results.csv of a sweep folder: refused unless their columns are
    /// the manifest's parameters and outputs, every cell is a number (see [`numbers_only`]),
    /// and every point has its result.
    fn read(dir: &Path, m: &Manifest, s: &'a manifest::Sweep) -> Result<Sweep<'a>> {
        let points = Table::read(dir.join("points.csv"))?;
        let results = Table::read(dir.join("results.csv"))?;
        let parameters: Vec<String> = s.parameters.iter().map(|p| p.path.clone()).collect();
        points.expect(&columns::points(&parameters))?;
        results.expect(&columns::results(&s.outputs))?;
        numbers_only(&points, None)?;
        numbers_only(&results, Some(results.find(columns::ERROR)?))?;
        if points.rows.len() != results.rows.len() {
            return Err(Error::Input(format!(
                "{}: {} points but {} results; is the folder complete?",
                dir.display(),
                points.rows.len(),
                results.rows.len()
            )));
        }
        let tag = format!(
            "{} · {} points × {} runs · seed {}",
            s.sweep,
            results.rows.len(),
            m.runs,
            m.seed
        );
        Ok(Sweep {
            s,
            points,
            results,
            tag,
        })
    }

    /// A heatmap of each output's mean over the two parameters of a grid, or a note for an
    /// output whose mean is the same at every point.
    fn heatmaps(&self, charts: &mut Charts<'_>) -> Result<()> {
        let (s, tag) = (self.s, &self.tag);
        // Every cell is a number (Sweep::read checked), or empty in a failed point's row:
        // drawn blank.
        let value = |row: &[String], k: usize| row[k].parse::<f64>().unwrap_or(f64::NAN);
        let x_at = self.points.find(&s.parameters[0].path)?;
        let y_at = self.points.find(&s.parameters[1].path)?;
        let mut xs: Vec<f64> = self.points.rows.iter().map(|r| value(r, x_at)).collect();
        let mut ys: Vec<f64> = self.points.rows.iter().map(|r| value(r, y_at)).collect();
        for v in [&mut xs, &mut ys] {
            v.sort_by(f64::total_cmp);
            v.dedup();
        }
        for output in &s.outputs {
            let col = self.results.find(&columns::result(output, "mean"))?;
            let mut values = vec![vec![f64::NAN; xs.len()]; ys.len()];
            for (p, r) in self.points.rows.iter().zip(&self.results.rows) {
                let (x, y) = (value(p, x_at), value(p, y_at));
                if let (Some(xi), Some(yi)) = (
                    xs.iter().position(|v| *v == x),
                    ys.iter().position(|v| *v == y),
                ) {
                    values[yi][xi] = value(r, col);
                }
            }
            // An alignment on the West–Moscow scale, saturating at the grid's largest |value|
            // (on the full −1 to +1 a response of a few hundredths would look uniform); other
            // outputs from light to dark over their range. The cells print the levels.
            let largest = (values.iter().flatten())
                .filter(|v| v.is_finite())
                .fold(0.0_f64, |m, v| m.max(v.abs()));
            let alignment = output.ends_with("alignment") && largest > 0.0;
            let colours = match alignment {
                true => format!("West (blue) to Moscow (red), full at ±{largest:.2}"),
                false => "colours span its range".to_string(),
            };
            let chart = Heatmap {
                title: format!("{output}, mean over runs; {colours} ({tag})"),
                x_name: s.parameters[0].path.clone(),
                y_name: s.parameters[1].path.clone(),
                xs: xs.iter().map(|&v| level_label(v)).collect(),
                ys: ys.iter().map(|&v| level_label(v)).collect(),
                values,
                diverging: alignment.then_some(largest),
            };
            let (uniform, extent) = (chart.is_uniform(), chart.extent());
            let name = format!("heatmap-{}", file_name(output));
            charts.add_or_note(name, chart, uniform, || {
                let at = extent.map_or_else(|| "no value".to_string(), |(lo, _)| format!("{lo}"));
                format!("{output}: {at} at every point of the grid (no heatmap).")
            });
        }
        Ok(())
    }

    /// Each output against each parameter: a dot per point at its mean, with its runs' 5–95 %
    /// range; a note for an output whose mean is the same at every point. Failed points are
    /// left out.
    fn scatters(&self, charts: &mut Charts<'_>) -> Result<()> {
        // Every cell is a number (Sweep::read checked), or empty in a failed point's row.
        let value = |row: &[String], k: usize| row[k].parse::<f64>().ok();
        let (s, points, results) = (self.s, &self.points.rows, &self.results.rows);
        let parameters: Vec<usize> = s
            .parameters
            .iter()
            .map(|p| self.points.find(&p.path))
            .collect::<Result<_>>()?;
        for output in &s.outputs {
            let [mean, p05, p95] = ["mean", "p05", "p95"]
                .map(|stat| self.results.find(&columns::result(output, stat)));
            let (mean, p05, p95) = (mean?, p05?, p95?);
            let panels = s
                .parameters
                .iter()
                .zip(&parameters)
                .map(|(q, &at)| ScatterPanel {
                    parameter: q.path.clone(),
                    range: (q.min, q.max),
                    points: points
                        .iter()
                        .zip(results)
                        .filter_map(|(p, r)| {
                            Some(ScatterPoint {
                                at: value(p, at)?,
                                mean: value(r, mean)?,
                                p05: value(r, p05)?,
                                p95: value(r, p95)?,
                            })
                        })
                        .collect(),
                })
                .collect();
            let chart = Scatter {
                title: format!("{output} against each parameter ({})", self.tag),
                output: output.clone(),
                panels,
            };
            let uniform = chart.is_uniform();
            charts.add_or_note(
                format!("scatter-{}", file_name(output)),
                chart,
                uniform,
                || format!("{output}: the same mean at every point (no scatter)."),
            );
        }
        Ok(())
    }

    /// Each output's monthly means from series.csv, every point on one chart: the envelope,
    /// the median over the points and each point's line; a note for an output that never
    /// moves.
    fn envelopes(&self, charts: &mut Charts<'_>, dir: &Path) -> Result<()> {
        let s = self.s;
        let start = YearMonth::parse(&s.start).ok_or_else(|| {
            Error::Input(format!(
                "{}: `start` is «{}», not a month YYYY-MM",
                dir.join(manifest::FILE).display(),
                s.start
            ))
        })?;
        let lines = read_series(&dir.join("series.csv"), s, start)?;
        for (output, lines) in s.outputs.iter().zip(lines) {
            let chart = Envelope {
                title: format!(
                    "{output} over time, mean over each point's runs ({})",
                    self.tag
                ),
                start,
                output: output.clone(),
                lines,
            };
            let uniform = chart.is_uniform();
            let name = format!("envelope-{}", file_name(output));
            charts.add_or_note(name, chart, uniform, || {
                format!("{output}: the same in every month of every point (no envelope).")
            });
        }
        Ok(())
    }

    /// Each output's sensitivity.csv rows as a chart: Sobol's S1 beside ST per parameter, or
    /// Morris's μ*–σ plane; a note for an output no parameter moves.
    fn sensitivity(&self, charts: &mut Charts<'_>, path: PathBuf) -> Result<()> {
        let t = Table::read(path)?;
        let sobol = t.head == columns::SOBOL;
        if !sobol {
            t.expect(&columns::MORRIS)?;
        }
        let name_at = t.find("output")?;
        for output in &self.s.outputs {
            let mine: Vec<&Vec<String>> = t.rows.iter().filter(|r| r[name_at] == *output).collect();
            if sobol {
                let chart = tornado(&t, &mine, output, &self.tag)?;
                let empty = chart.is_empty();
                charts.add_or_note(
                    format!("tornado-{}", file_name(output)),
                    chart,
                    empty,
                    || {
                        format!(
                            "{output}: no parameter moves it (every Sobol index is 0; no chart)."
                        )
                    },
                );
            } else {
                let chart = morris_plane(&t, &mine, output, &self.tag)?;
                let empty = chart.is_empty();
                charts.add_or_note(
                    format!("morris-{}", file_name(output)),
                    chart,
                    empty,
                    || format!("{output}: no parameter moves it (every μ* and σ is 0; no chart)."),
                );
            }
        }
        Ok(())
    }
}

/// series.csv's monthly means: for each output, each point's line. The file is read row by
/// row and checked (its header, the points' months in order, every cell a number, or every
/// value cell empty for a failed point, which is left out).
fn read_series(path: &Path, s: &manifest::Sweep, start: YearMonth) -> Result<Vec<Vec<Vec<f64>>>> {
    let (mut reader, head) = crate::output::open_table(path)?;
    columns::expect(path, &head, &columns::series(&s.outputs))?;
    let means: Vec<usize> = s
        .outputs
        .iter()
        .map(|o| columns::find(path, &head, &columns::result(o, "mean")))
        .collect::<Result<_>>()?;
    let months = s.months as usize + 1;
    let mut lines: Vec<Vec<Vec<f64>>> = vec![Vec::new(); s.outputs.len()];
    let mut current: Option<Vec<Vec<f64>>> = None;
    for (k, record) in reader.records().enumerate() {
        let row = record.map_err(|e| crate::output::table_error(path, e))?;
        check_series_row(path, &head, k, &row, start.plus((k % months) as i64))?;
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
    Ok(lines)
}

/// Refuses row `k` of series.csv unless it is of `month` and its value cells are finite
/// numbers, or all empty (a failed point).
fn check_series_row(
    path: &Path,
    head: &[String],
    k: usize,
    row: &csv::StringRecord,
    month: YearMonth,
) -> Result<()> {
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
    let expected_date = month.to_string();
    if row[1] != *expected_date {
        return Err(bad(format!("date «{}»; expected {expected_date}", &row[1])));
    }
    Ok(())
}

/// Sobol's S1 beside ST for each parameter of one output (`rows`), the largest ST first.
fn tornado(t: &Table, rows: &[&Vec<String>], output: &str, tag: &str) -> Result<Tornado> {
    let [parameter, s1, s1_conf, st, st_conf] =
        t.find_all(["parameter", "S1", "S1_conf", "ST", "ST_conf"])?;
    let mut bars: Vec<(String, Vec<(f64, f64)>)> = rows
        .iter()
        .map(|r| {
            Ok((
                r[parameter].clone(),
                vec![
                    (t.number(r, s1)?, t.number(r, s1_conf)?),
                    (t.number(r, st)?, t.number(r, st_conf)?),
                ],
            ))
        })
        .collect::<Result<_>>()?;
    bars.sort_by(|a, b| b.1[1].0.total_cmp(&a.1[1].0));
    Ok(Tornado {
        title: format!("Sensitivity of {output} ({tag})"),
        x_desc: "Sobol indices with bootstrap 95 % intervals: S1 (the parameter alone), ST (with its interactions)".into(),
        indices: vec!["S1: first order".into(), "ST: total order".into()],
        rows: bars,
    })
}

/// Morris's μ*–σ plane of one output (`rows`).
fn morris_plane(t: &Table, rows: &[&Vec<String>], output: &str, tag: &str) -> Result<MorrisPlane> {
    let [parameter, mu_star, mu_star_conf, sigma] =
        t.find_all(["parameter", "mu_star", "mu_star_conf", "sigma"])?;
    let points: Vec<MorrisRow> = rows
        .iter()
        .map(|r| {
            Ok(MorrisRow {
                parameter: r[parameter].clone(),
                mu_star: t.number(r, mu_star)?,
                mu_star_conf: t.number(r, mu_star_conf)?,
                sigma: t.number(r, sigma)?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(MorrisPlane {
        title: format!("Morris screening of {output} ({tag})"),
        rows: points,
    })
}

/// The page of a sweep.
fn page(dir: &Path, m: &Manifest, s: &manifest::Sweep, drawn: &Drawn) -> Result<PathBuf> {
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
    crate::report::html::cite_box(
        &mut out,
        "Model: each point runs the sweep's scenario with the point's values; sensitivity indices rank the parameters within the ranges swept, not in the world.",
    );
    charts_section(&mut out, s, drawn);
    if !s.sensitivity_warnings.is_empty() {
        out.push_str("<h2>Warnings</h2><ul>");
        for w in &s.sensitivity_warnings {
            let _ = write!(out, "<li>{}</li>", escape(w));
        }
        out.push_str("</ul>\n");
    }
    write_page(
        dir,
        out,
        &[
            "points.csv",
            "results.csv",
            "sensitivity.csv",
            "runs.csv",
            "series.csv",
            "sweep.toml",
            "manifest.json",
        ],
    )
}

/// Each output's charts (or their notes), output by output; nothing without any.
fn charts_section(out: &mut String, s: &manifest::Sweep, drawn: &Drawn) {
    let mut any = false;
    for output in &s.outputs {
        for (prefix, caption) in captions(s.design == "morris") {
            let chart = format!("{prefix}{}", file_name(output));
            if drawn.has(&chart) || drawn.note(&chart).is_some() {
                if !any {
                    out.push_str("<h2>Charts</h2>\n");
                    any = true;
                }
                figure_or_note(out, drawn, &chart, caption);
            }
        }
    }
}

/// The kinds of a sweep's charts, by the prefix of their names, with their captions.
fn captions(morris: bool) -> [(&'static str, &'static str); 4] {
    [
        (
            "heatmap-",
            "Mean of the output over each point's runs, over the two parameters; the colour bar gives the scale.",
        ),
        (
            "scatter-",
            "The output's mean over each point's runs against each parameter (grey: the 5–95 % range of the point's runs). A cloud that rises or falls along a parameter means that parameter moves the output; a shapeless one, that others do.",
        ),
        (
            "envelope-",
            "Each point's monthly mean over its runs (thin lines), the range of the points (band) and their median (black): how far the parameters' ranges spread the outcome, month by month.",
        ),
        if morris {
            (
                "morris-",
                "Morris screening: a parameter far to the right matters; one high above the dashed line σ = μ* acts nonlinearly or through interactions. Whiskers: μ*'s bootstrap 95 % interval.",
            )
        } else {
            (
                "tornado-",
                "Sobol indices per parameter, largest total effect first: S1 is the share of the output's variance the parameter explains alone, ST with its interactions; whiskers: bootstrap 95 % intervals.",
            )
        },
    ]
}
