//! A forecast's page: what was forecast from where, each state's UN ideal point fan after the
//! origin beside the sessions observed up to it, and the table of the last year's forecast.

use super::charts::{Reading, TrackPanel, TrackPoint, Tracks};
use super::data::Table;
use super::html::{cite_box, escape, figure_or_note, head, signed, write_page};
use super::{Charts, Drawn, Written};
use crate::error::Result;
use crate::output::columns;
use crate::output::manifest::{self, Manifest};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Years of observations shown before the origin.
const HISTORY_YEARS: f64 = 12.0;

/// The series the fans show.
const SERIES: &str = "unga_ideal_point";

/// Each state's fan from forecast.csv, with its ideal points from observations.csv.
fn panels(dir: &Path) -> Result<Vec<TrackPanel>> {
    let t = Table::checked(dir.join("forecast.csv"), &columns::FORECAST)?;
    let [series, state, year, _mean, p05, _, _, p50, _, _, p95] = t.find_all(columns::FORECAST)?;
    let mut order: Vec<String> = Vec::new();
    let mut by_state: BTreeMap<String, TrackPanel> = BTreeMap::new();
    for r in t.rows.iter().filter(|r| r[series] == SERIES) {
        let panel = by_state.entry(r[state].clone()).or_insert_with(|| {
            order.push(r[state].clone());
            TrackPanel {
                state: r[state].clone(),
                path: Vec::new(),
                readings: Vec::new(),
            }
        });
        panel.path.push(TrackPoint {
            year: t.finite(r, year)? + 11.5 / 12.0,
            mean: t.finite(r, p50)?,
            p05: t.finite(r, p05)?,
            p95: t.finite(r, p95)?,
        });
    }
    let t = Table::checked(dir.join("observations.csv"), &columns::OBSERVATIONS)?;
    let [state, date, series, value, se, _, _] = t.find_all(columns::OBSERVATIONS)?;
    for r in t.rows.iter().filter(|r| r[series] == SERIES) {
        let Some(panel) = by_state.get_mut(&r[state]) else {
            continue;
        };
        let year = (r[date].get(..4).and_then(|y| y.parse::<i32>().ok()))
            .ok_or_else(|| t.bad(r, date, "a month YYYY-MM"))?;
        let year = f64::from(year);
        let (v, se) = (t.finite(r, value)?, t.finite(r, se).unwrap_or(0.0));
        panel.readings.push(Reading {
            year: year + 11.5 / 12.0,
            mean: v,
            p05: v - 1.645 * se,
            p95: v + 1.645 * se,
            ideal_point: true,
        });
    }
    Ok(order
        .into_iter()
        .filter_map(|s| by_state.remove(&s))
        .collect())
}

pub fn report(dir: &Path, m: &Manifest, f: &manifest::Forecast) -> Result<Written> {
    if m.files.iter().any(|f| f == "skill.csv") {
        return rolling_report(dir, m, f);
    }
    let mut panels = panels(dir)?;
    let first_year = (panels.iter().flat_map(|p| p.path.first()))
        .map(|t| t.year)
        .fold(f64::INFINITY, f64::min);
    let last_year = (panels.iter().flat_map(|p| p.path.last()))
        .map(|t| t.year)
        .fold(f64::NEG_INFINITY, f64::max);
    let from = first_year - HISTORY_YEARS;
    for p in &mut panels {
        p.readings.retain(|r| r.year >= from);
    }
    let mut charts = Charts::new(dir)?;
    if panels.is_empty() || first_year > last_year {
        charts.note(
            "fans",
            "No state with a forecast of its ideal point.".to_string(),
        );
    } else {
        charts.add(
            "fans".to_string(),
            Tracks {
                title: format!(
                    "{}: UN ideal points observed, and forecast from {} (higher = nearer the US)",
                    f.scenario,
                    f.origins.join(", ")
                ),
                panels,
                years: (from.floor(), last_year.ceil()),
                own_scale: Some(0.8),
                legend: [
                    "forecast: median and 90 % interval".to_string(),
                    "ideal point observed, 90 % of its error".to_string(),
                ],
            },
        );
    }
    let drawn = charts.draw_all()?;
    let page = page(dir, m, f, &drawn)?;
    Ok(drawn.written(vec![page]))
}

fn page(dir: &Path, m: &Manifest, f: &manifest::Forecast, drawn: &Drawn) -> Result<PathBuf> {
    let origin = f.origins.join(", ");
    let mut out = head(&format!("{} — spheres forecast", f.scenario));
    let _ = writeln!(
        out,
        "<h1>Forecast: {} from {origin}, {} years</h1><p>Each state starts from the nowcast at \
{origin} — every observation up to it and none after (docs/MODEL.md, section 9) — and the model \
runs on {} runs ({} parameters): its drift, elections and turnover, accession steps and regional \
shocks, each state's EU and NATO stage and election calendar set from the panel's history up \
to the origin. Each year's value is the state's alignment in December read as the UN session \
that opens that year: on the West's last reference, with the ideal point's own measurement \
error, the model's extra error, and the reference's own moves since its last session. The \
intervals are predictive: they say where the observed ideal point should fall.</p>",
        escape(&f.scenario),
        f.years,
        m.runs,
        escape(&f.parameters.source),
    );
    cite_box(
        &mut out,
        "This page is a forecast. How such forecasts have done from earlier origins (coverage of their intervals, CRPS against a random walk, climatology and a panel AR(1)) is in docs/VALIDATION.md and `spheres forecast europe --origins`.",
    );
    figure_or_note(
        &mut out,
        drawn,
        "fans",
        "Each state's UN ideal points observed up to the origin (dots, with 90 % of their measurement error) and the forecast's median and 90 % interval for each session after it.",
    );
    last_year_table(&mut out, dir)?;
    write_page(
        dir,
        out,
        &[
            "forecast.csv",
            "observations.csv",
            "scenario.resolved.toml",
            "manifest.json",
        ],
    )
}

/// The last year's ideal point forecast of every state: median and 50 % and 90 % intervals.
fn last_year_table(out: &mut String, dir: &Path) -> Result<()> {
    let t = Table::checked(dir.join("forecast.csv"), &columns::FORECAST)?;
    let [series, state, year, _mean, p05, _, p25, p50, p75, _, p95] =
        t.find_all(columns::FORECAST)?;
    let rows: Vec<&Vec<String>> = t.rows.iter().filter(|r| r[series] == SERIES).collect();
    let Some(last) = rows.iter().map(|r| r[year].clone()).max() else {
        return Ok(());
    };
    let _ = writeln!(
        out,
        "<h2>UN ideal points of the {last} session</h2><div class=\"table\"><table><tr><th>state</th><th>median</th><th>50 %</th><th>90 %</th></tr>"
    );
    for r in rows.into_iter().filter(|r| r[year] == last) {
        let v = |c| t.finite(r, c).map(|v| signed(v, 2));
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>[{}, {}]</td><td>[{}, {}]</td></tr>",
            escape(&r[state]),
            v(p50)?,
            v(p25)?,
            v(p75)?,
            v(p05)?,
            v(p95)?
        );
    }
    out.push_str("</table></div>\n");
    Ok(())
}

/// A rolling validation's page: coverage and skill by horizon, the PIT histogram, skill by
/// origin, from skill.csv and pit.csv.
fn rolling_report(dir: &Path, m: &Manifest, f: &manifest::Forecast) -> Result<Written> {
    let charts = Charts::new(dir)?;
    let drawn = charts.draw_all()?;
    let (first, last) = (
        f.origins.first().cloned().unwrap_or_default(),
        f.origins.last().cloned().unwrap_or_default(),
    );
    let mut out = head(&format!("{} — spheres forecasts scored", f.scenario));
    let _ = writeln!(
        out,
        "<h1>Forecasts of {} scored: origins {first} to {last}, 1 to {} years ahead</h1>\
<p>From each origin, the forecast reads only the data up to it (the nowcast, each state's \
stages and election calendar), but the model's own coefficients (the drift, the accession, \
election and shock hazards) are the scenario's at every origin, not refitted: the scores are \
out of sample for the states' data, not for those coefficients (docs/VALIDATION.md). Each \
forecast is scored on every UN session observed after its origin up to the horizon, against three references fitted on the same data: a <b>random walk</b> from the \
state's last session with the panel's own changes over as many years (honest persistence), \
<b>climatology</b> (the state's own sessions since 2000) and a <b>panel AR(1)</b>. Skill is \
1 − CRPS / the reference's (above 0: better), with 95 % intervals that resample target years. \
{} runs per origin ({} parameters).</p>",
        escape(&f.scenario),
        f.years,
        m.runs,
        escape(&f.parameters.source),
    );
    cite_box(
        &mut out,
        "This page is the validation of the forecasts: how often their intervals held what was observed, and whether they beat simple references.",
    );
    skill_table(&mut out, dir, "horizon")?;
    pit_table(&mut out, dir)?;
    skill_table(&mut out, dir, "origin")?;
    let page = write_page(
        dir,
        out,
        &[
            "scores.csv",
            "skill.csv",
            "pit.csv",
            "scenario.resolved.toml",
            "manifest.json",
        ],
    )?;
    Ok(drawn.written(vec![page]))
}

/// skill.csv's rows of one grouping (and all items), as a table.
fn skill_table(out: &mut String, dir: &Path, by: &str) -> Result<()> {
    let t = Table::checked(dir.join("skill.csv"), &columns::SKILL)?;
    let c = t.find_all(columns::SKILL)?;
    let _ = writeln!(
        out,
        "<h2>By {by}</h2><div class=\"table\"><table><tr><th>{by}</th><th>items</th><th>in 50 % [95 %]</th><th>in 90 % [95 %]</th><th>CRPS</th><th>skill vs random walk</th><th>vs climatology</th><th>vs AR(1)</th></tr>"
    );
    for r in t.rows.iter().filter(|r| r[c[0]] == by || r[c[0]] == "all") {
        let pct = |k: usize| -> Result<String> {
            Ok(format!(
                "{:.0} % [{:.0}, {:.0}]",
                100.0 * t.finite(r, c[k])?,
                100.0 * t.finite(r, c[k + 1])?,
                100.0 * t.finite(r, c[k + 2])?
            ))
        };
        let skill = |k: usize| -> String {
            match (
                t.finite(r, c[k]),
                t.finite(r, c[k + 1]),
                t.finite(r, c[k + 2]),
            ) {
                (Ok(s), Ok(lo), Ok(hi)) => {
                    format!("{} [{}, {}]", signed(s, 2), signed(lo, 2), signed(hi, 2))
                }
                _ => "–".into(),
            }
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.3}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            if r[c[0]] == "all" {
                "all".to_string()
            } else {
                escape(&r[c[1]])
            },
            escape(&r[c[2]]),
            pct(3)?,
            pct(6)?,
            t.finite(r, c[9])?,
            skill(13),
            skill(16),
            skill(19),
        );
    }
    out.push_str("</table></div>\n");
    Ok(())
}

/// pit.csv as a row of bars in text: each bin's share (0.10 each if calibrated).
fn pit_table(out: &mut String, dir: &Path) -> Result<()> {
    let t = Table::checked(dir.join("pit.csv"), &columns::PIT)?;
    let [low, high, count, share] = t.find_all(columns::PIT)?;
    out.push_str("<h2>PIT histogram</h2><p>Where each observation fell in its forecast's distribution: a calibrated forecast puts a tenth in each bin; too many at the ends mean intervals too narrow, too many in the middle too wide.</p><div class=\"table\"><table><tr><th>PIT</th><th>items</th><th>share</th></tr>\n");
    for r in &t.rows {
        let _ = writeln!(
            out,
            "<tr><td>{:.1}–{:.1}</td><td>{}</td><td>{:.3}</td></tr>",
            t.finite(r, low)?,
            t.finite(r, high)?,
            escape(&r[count]),
            t.finite(r, share)?
        );
    }
    out.push_str("</table></div>\n");
    Ok(())
}
