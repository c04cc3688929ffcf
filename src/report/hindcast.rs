//! A hindcast's report (`spheres report` on a `spheres hindcast --out` folder): each outcome's
//! forecast beside its base rate and what happened, the Brier scores, and the page.

use super::charts::Reliability;
use super::html::{escape, figure_or_note, head, links, signed};
use super::{Written, charts_dir, job, run_all};
use crate::error::{Error, Result};
use crate::output::manifest::{self, Manifest};
use crate::output::{AtomicFile, columns};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// One row of hindcast.csv.
struct Score {
    outcome: String,
    observed: bool,
    forecast: f64,
    brier: f64,
    base_rate: f64,
    base_brier: f64,
    held_out: bool,
    persistence: f64,
    persistence_brier: f64,
}

fn read(dir: &Path) -> Result<Vec<Score>> {
    let path = dir.join("hindcast.csv");
    let (head, rows) = crate::output::read_table(&path)?;
    columns::expect(&path, &head, &columns::HINDCAST)?;
    let [
        outcome,
        observed,
        forecast,
        brier,
        base_rate,
        base_brier,
        held_out,
        persistence,
        persistence_brier,
    ] = columns::find_all(&path, &head, columns::HINDCAST)?;
    let bad = |r: &[String], c: usize, what: &str| {
        Error::Input(format!(
            "{}: `{}` = «{}»; expected {what}",
            path.display(),
            head[c],
            r[c]
        ))
    };
    let number = |r: &[String], c: usize| {
        r[c].parse::<f64>()
            .ok()
            .filter(|v| (0.0..=1.0).contains(v))
            .ok_or_else(|| bad(r, c, "a number from 0 to 1"))
    };
    let boolean =
        |r: &[String], c: usize| r[c].parse::<bool>().map_err(|_| bad(r, c, "true or false"));
    rows.iter()
        .map(|r| {
            Ok(Score {
                outcome: r[outcome].clone(),
                observed: boolean(r, observed)?,
                forecast: number(r, forecast)?,
                brier: number(r, brier)?,
                base_rate: number(r, base_rate)?,
                base_brier: number(r, base_brier)?,
                persistence: number(r, persistence)?,
                persistence_brier: number(r, persistence_brier)?,
                held_out: boolean(r, held_out)?,
            })
        })
        .collect()
}

pub fn report(dir: &Path, m: &Manifest, h: &manifest::Hindcast) -> Result<Written> {
    let scores = read(dir)?;
    let out = charts_dir(dir)?;
    let mut jobs = Vec::new();
    let mut notes = Vec::new();
    if scores.is_empty() {
        notes.push(("outcomes".to_string(), "No outcome to show.".to_string()));
    } else {
        jobs.push(job(
            &out,
            "outcomes".to_string(),
            Reliability {
                title: format!(
                    "{}: forecast, base rate and what happened ({} runs, seed {})",
                    h.scenario, m.runs, m.seed
                ),
                rows: scores
                    .iter()
                    .map(|s| (s.outcome.clone(), s.forecast, s.base_rate, s.observed))
                    .collect(),
            },
        ));
    }
    let charts = run_all(jobs)?;
    let page = page(dir, m, h, &scores, &charts, &notes)?;
    Ok(Written {
        charts,
        pages: vec![page],
    })
}

fn page(
    dir: &Path,
    m: &Manifest,
    h: &manifest::Hindcast,
    scores: &[Score],
    charts: &[String],
    notes: &[(String, String)],
) -> Result<PathBuf> {
    let mut out = head(&format!("{} — spheres hindcast", h.scenario));
    let _ = writeln!(
        out,
        "<h1>Hindcast: {}</h1><p>The scenario starts in the past and replays its dated events; each outcome is \
something that did or did not happen, and the forecast is the share of {} runs (seed {}) in which the model \
had it happen. The Brier score is the squared distance between forecast and what happened (0 is perfect); \
the base rate's score is what a forecaster who knew only the base rate would get. Skill above 0 means the \
model beat the base rate. Calibration outcomes were used to fit the coefficients (docs/CALIBRATION.md); \
held-out outcomes were not.</p>",
        escape(&h.scenario),
        m.runs,
        m.seed
    );
    out.push_str("<p>Skill is 1 − Brier / the reference's Brier: 1 perfect, 0 no better than the reference, negative worse; in brackets its bootstrap 95 % interval over the outcomes. Persistence forecasts that nothing changes after the start month.</p>\n");
    out.push_str("<div class=\"table\"><table><tr><th>outcomes</th><th>count</th><th>mean Brier</th><th>base rate's Brier</th><th>skill against the base rate</th><th>persistence's Brier</th><th>skill against persistence</th></tr>\n");
    for (name, b) in [
        ("calibration", h.calibration),
        ("held out", h.held_out),
        ("all", Some(h.all)),
    ] {
        if let Some(b) = b {
            let skill = |s: Option<manifest::Skill>| match s {
                Some(s) => format!(
                    "{} [{}, {}]",
                    signed(s.score, 2),
                    signed(s.low, 2),
                    signed(s.high, 2)
                ),
                None => "undefined (the reference is perfect)".into(),
            };
            let _ = writeln!(
                out,
                "<tr><td>{name}</td><td>{}</td><td>{:.3}</td><td>{:.3}</td><td>{}</td><td>{:.3}</td><td>{}</td></tr>",
                b.outcomes,
                b.brier,
                b.base_brier,
                skill(b.skill_vs_base_rate),
                b.persistence_brier,
                skill(b.skill_vs_persistence)
            );
        }
    }
    out.push_str("</table></div>\n");
    figure_or_note(
        &mut out,
        charts,
        notes,
        "outcomes",
        "Per outcome: the model's forecast (blue dot), the base rate (grey ring) and what happened (black bar at 0 % or 100 %). A good forecast sits close to the black bar.",
    );
    out.push_str("<h2>Each outcome</h2><div class=\"table\"><table><tr><th>outcome</th><th>happened</th><th>forecast</th><th>Brier</th><th>base rate</th><th>base rate's Brier</th><th>persistence</th><th>set</th></tr>\n");
    for s in scores {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{:.0} %</td><td>{:.3}</td><td>{:.0} %</td><td>{:.3}</td><td>{:.0} % ({:.3})</td><td>{}</td></tr>",
            escape(&s.outcome),
            if s.observed { "yes" } else { "no" },
            s.forecast * 100.0,
            s.brier,
            s.base_rate * 100.0,
            s.base_brier,
            s.persistence * 100.0,
            s.persistence_brier,
            if s.held_out {
                "held out"
            } else {
                "calibration"
            }
        );
    }
    out.push_str("</table></div>\n");
    links(
        &mut out,
        dir,
        &[
            "hindcast.csv",
            "reliability.csv",
            "scenario.resolved.toml",
            "manifest.json",
        ],
    );
    out.push_str("</body></html>\n");
    AtomicFile::write(dir, "index.html", out.as_bytes())
}
