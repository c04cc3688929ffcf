//! A nowcast's page: what alignment means in observable terms, each state's present with its
//! 90 % interval and the ideal point it implies, the fitted observation model, and each state's
//! observations over time with the filtered path and its band.

use super::charts::{Reading, TrackPanel, TrackPoint, Tracks};
use super::data::Table;
use super::html::{escape, figure_or_note, head, signed, write_page};
use super::{Charts, Drawn, Written};
use crate::error::Result;
use crate::output::columns;
use crate::output::manifest::{self, Manifest};
use crate::scenario::YearMonth;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// `YYYY-MM` as a fractional year (the middle of the month).
fn year_of(r: &[String], t: &Table, c: usize) -> Result<f64> {
    let ym = YearMonth::parse(&r[c]).ok_or_else(|| t.bad(r, c, "a month YYYY-MM"))?;
    Ok(f64::from(ym.year) + (f64::from(ym.month) - 0.5) / 12.0)
}

/// Each state's panel, in nowcast.csv's order.
fn panels(dir: &Path) -> Result<Vec<TrackPanel>> {
    let mut by_state: BTreeMap<String, TrackPanel> = BTreeMap::new();
    let t = Table::checked(dir.join("filtered.csv"), &columns::FILTERED)?;
    let [state, date, mean, _sd, p05, p95] = t.find_all(columns::FILTERED)?;
    let mut order = Vec::new();
    for r in &t.rows {
        let panel = by_state.entry(r[state].clone()).or_insert_with(|| {
            order.push(r[state].clone());
            TrackPanel {
                state: r[state].clone(),
                path: Vec::new(),
                readings: Vec::new(),
            }
        });
        panel.path.push(TrackPoint {
            year: year_of(r, &t, date)?,
            mean: t.finite(r, mean)?,
            p05: t.finite(r, p05)?,
            p95: t.finite(r, p95)?,
        });
    }
    let t = Table::checked(dir.join("observations.csv"), &columns::OBSERVATIONS)?;
    let [state, date, series, _value, _se, alignment, alignment_sd] =
        t.find_all(columns::OBSERVATIONS)?;
    for r in &t.rows {
        let (Some(panel), Ok(a), Ok(sd)) = (
            by_state.get_mut(&r[state]),
            t.finite(r, alignment),
            t.finite(r, alignment_sd),
        ) else {
            continue;
        };
        panel.readings.push(Reading {
            year: year_of(r, &t, date)?,
            mean: a,
            p05: a - 1.645 * sd,
            p95: a + 1.645 * sd,
            ideal_point: r[series] == "unga_ideal_point",
        });
    }
    Ok(order
        .into_iter()
        .filter_map(|s| by_state.remove(&s))
        .collect())
}

pub fn report(dir: &Path, m: &Manifest, n: &manifest::Nowcast) -> Result<Written> {
    let panels = panels(dir)?;
    let first = (panels.iter())
        .flat_map(|p| {
            p.path
                .iter()
                .map(|t| t.year)
                .chain(p.readings.iter().map(|r| r.year))
        })
        .fold(f64::INFINITY, f64::min);
    let last = panels
        .iter()
        .flat_map(|p| p.path.last())
        .map(|t| t.year)
        .fold(f64::NEG_INFINITY, f64::max);
    let mut charts = Charts::new(dir)?;
    if panels.is_empty() || first > last {
        charts.note("tracks", "No state to show.".to_string());
    } else {
        charts.add(
            "tracks".to_string(),
            Tracks {
                title: format!(
                    "{}: observations and the filtered alignment up to {}",
                    n.scenario, n.origin
                ),
                panels,
                years: (first.floor(), last.ceil()),
                own_scale: None,
                legend: [
                    "filtered alignment, 90 % band".to_string(),
                    "UN ideal point read on the axis, 90 %".to_string(),
                ],
            },
        );
    }
    let drawn = charts.draw_all()?;
    let page = page(dir, m, n, &drawn)?;
    Ok(drawn.written(vec![page]))
}

fn page(dir: &Path, _m: &Manifest, n: &manifest::Nowcast, drawn: &Drawn) -> Result<PathBuf> {
    let mut out = head(&format!("{} — spheres nowcast", n.scenario));
    let _ = writeln!(
        out,
        "<h1>Nowcast: {} at {}</h1><p><b>What alignment means.</b> A state's alignment is where \
its votes in the UN General Assembly sit between the West and Moscow: on each session's \
Bailey–Strezhnev–Voeten ideal points, the mean of the EU's fifteen members of 1995 reads −1 in \
every session and a state as far toward Moscow as Russia has stood on average since 2000 reads \
+1, so 0 is halfway and a state \"leans to Moscow\" above +1/3. The ideal points count all \
recorded votes, not only East–West ones, so some states read beyond ±1. The filter reads every observation up to {} (and none \
after) through the observation model of docs/MODEL.md, section 9, fitted to the panel's {} \
states and {} ideal points up to then.</p><p><b>Public opinion</b> is read on the same axis from polls (docs/MODEL.md, 9.5): a public at p answers as a public whose government sits at p typically does. The polls' link is weak (a few states, mostly candidates), so its intervals are wide, and publics can read far beyond ±1; \"polls\" counts the polls of the question families the link was fitted on.</p>",
        escape(&n.scenario),
        escape(&n.origin),
        escape(&n.origin),
        n.states_fitted,
        n.observations_fitted,
    );
    crate::report::html::cite_box(
        &mut out,
        "This page is the nowcast: the present measured from the data by the observation model (docs/MODEL.md, section 9), not a forecast; its intervals are the measurement's.",
    );
    states_table(&mut out, dir)?;
    figure_or_note(
        &mut out,
        drawn,
        "tracks",
        "Each state's observations read on the model's axis (dots, 90 % ranges with the model's \
extra error) and the filtered alignment with its 90 % band. States with no observation show \
the prior only.",
    );
    fitted_table(&mut out, n);
    write_page(
        dir,
        out,
        &[
            "nowcast.csv",
            "filtered.csv",
            "observations.csv",
            "scenario.resolved.toml",
            "manifest.json",
        ],
    )
}

/// The states' table from nowcast.csv: alignment, the ideal point it implies, and the public
/// where polls read it.
fn states_table(out: &mut String, dir: &Path) -> Result<()> {
    let t = Table::checked(dir.join("nowcast.csv"), &columns::NOWCAST)?;
    let [
        state,
        variable,
        _mean,
        _sd,
        p05,
        p50,
        p95,
        observations,
        last,
    ] = t.find_all(columns::NOWCAST)?;
    out.push_str("<h2>Each state at the origin</h2><div class=\"table\"><table><tr><th>state</th><th>alignment [90 %]</th>\
<th>UN ideal point implied [90 %]</th><th>observations</th><th>last observed</th>\
<th>public opinion [90 %]</th><th>polls</th></tr>\n");
    let mut states: Vec<&str> = Vec::new();
    for r in &t.rows {
        if !states.contains(&r[state].as_str()) {
            states.push(&r[state]);
        }
    }
    for s in states {
        let of = |v: &str| t.rows.iter().find(|r| r[state] == s && r[variable] == v);
        let show = |r: Option<&Vec<String>>| -> Result<String> {
            match r {
                Some(r) => Ok(format!(
                    "{} [{}, {}]",
                    signed(t.finite(r, p50)?, 2),
                    signed(t.finite(r, p05)?, 2),
                    signed(t.finite(r, p95)?, 2)
                )),
                None => Ok("–".into()),
            }
        };
        let (a, public) = (of("alignment"), of("public_opinion"));
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(s),
            show(a)?,
            show(of("unga_ideal_point"))?,
            a.map_or("0", |r| r[observations].as_str()),
            a.map_or("", |r| r[last].as_str()),
            show(public)?,
            public.map_or("", |r| r[observations].as_str()),
        );
    }
    out.push_str("</table></div>\n");
    Ok(())
}

/// The fitted observation model, from the manifest.
fn fitted_table(out: &mut String, n: &manifest::Nowcast) {
    out.push_str("<h2>The observation model, fitted up to the origin</h2><div class=\"table\"><table><tr><th>coefficient</th><th>value</th><th>meaning</th></tr>\n");
    for f in &n.fitted {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{:.4}</td><td>{}</td></tr>",
            escape(&f.name),
            f.value,
            escape(&f.meaning)
        );
    }
    let _ = writeln!(
        out,
        "</table></div><p>Log-likelihood {:.1}.</p>",
        n.log_likelihood
    );
    if !n.skipped.is_empty() {
        out.push_str("<p>Rows of the data not used: ");
        let parts: Vec<String> = n
            .skipped
            .iter()
            .map(|s| format!("{} ({})", s.rows, escape(&s.why)))
            .collect();
        out.push_str(&parts.join("; "));
        out.push_str(".</p>\n");
    }
}
