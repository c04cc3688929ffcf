//! A hindcast's report (`spheres report` on a `spheres hindcast --out` folder): the skill of
//! the model against the base rates and persistence, the reliability diagram, each outcome's
//! forecast beside what happened, the continuous targets' intervals beside what was observed,
//! the worst misses, and the page.

use super::charts::{Reliability, ReliabilityDiagram, Target, Targets};
use super::data::Table;
use super::html::{escape, figure_or_note, head, signed, write_page};
use super::{Charts, Drawn, Written};
use crate::error::Result;
use crate::output::columns;
use crate::output::manifest::{self, Manifest};
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

/// One row of continuous.csv.
struct Continuous {
    outcome: String,
    reading: String,
    observed: f64,
    error: f64,
    quantiles: [f64; 5],
    crps: f64,
    base_rate: f64,
    base_crps: f64,
    persistence: f64,
    persistence_crps: f64,
    in_50: bool,
    in_90: bool,
    held_out: bool,
}

/// How many of the worst-scored items the page lists.
const WORST: usize = 8;

fn read(dir: &Path) -> Result<Vec<Score>> {
    let t = Table::checked(dir.join("hindcast.csv"), &columns::HINDCAST)?;
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
        _inputs,
    ] = t.find_all(columns::HINDCAST)?;
    let share = |r: &[String], c| t.within(r, c, 0.0..=1.0);
    t.rows
        .iter()
        .map(|r| {
            Ok(Score {
                outcome: r[outcome].clone(),
                observed: t.boolean(r, observed)?,
                forecast: share(r, forecast)?,
                brier: share(r, brier)?,
                base_rate: share(r, base_rate)?,
                base_brier: share(r, base_brier)?,
                persistence: share(r, persistence)?,
                persistence_brier: share(r, persistence_brier)?,
                held_out: t.boolean(r, held_out)?,
            })
        })
        .collect()
}

fn read_continuous(dir: &Path) -> Result<Vec<Continuous>> {
    let t = Table::checked(dir.join("continuous.csv"), &columns::CONTINUOUS)?;
    let [
        outcome,
        reading,
        observed,
        error,
        q05,
        q25,
        median,
        q75,
        q95,
        crps,
        base_rate,
        base_crps,
        persistence,
        persistence_crps,
        in_50,
        in_90,
        held_out,
    ] = t.find_all(columns::CONTINUOUS)?;
    // Dressed forecasts reach past the scale by a few measurement errors.
    let value = |r: &[String], c| t.within(r, c, -5.0..=5.0);
    let score = |r: &[String], c| t.within(r, c, 0.0..=10.0);
    t.rows
        .iter()
        .map(|r| {
            Ok(Continuous {
                outcome: r[outcome].clone(),
                reading: r[reading].clone(),
                observed: value(r, observed)?,
                error: score(r, error)?,
                quantiles: [
                    value(r, q05)?,
                    value(r, q25)?,
                    value(r, median)?,
                    value(r, q75)?,
                    value(r, q95)?,
                ],
                crps: score(r, crps)?,
                base_rate: value(r, base_rate)?,
                base_crps: score(r, base_crps)?,
                persistence: value(r, persistence)?,
                persistence_crps: score(r, persistence_crps)?,
                in_50: t.boolean(r, in_50)?,
                in_90: t.boolean(r, in_90)?,
                held_out: t.boolean(r, held_out)?,
            })
        })
        .collect()
}

/// The reliability table's bins: (mean forecast, share observed, forecasts).
fn read_reliability(dir: &Path) -> Result<Vec<(f64, f64, usize)>> {
    let t = Table::checked(dir.join("reliability.csv"), &columns::RELIABILITY)?;
    let [_, _, forecasts, mean_forecast, observed_share] = t.find_all(columns::RELIABILITY)?;
    t.rows
        .iter()
        .map(|r| {
            let n = r[forecasts]
                .parse::<usize>()
                .map_err(|_| t.bad(r, forecasts, "a count"))?;
            Ok((
                t.within(r, mean_forecast, 0.0..=1.0)?,
                t.within(r, observed_share, 0.0..=1.0)?,
                n,
            ))
        })
        .collect()
}

pub fn report(dir: &Path, m: &Manifest, h: &manifest::Hindcast) -> Result<Written> {
    let scores = read(dir)?;
    let continuous = read_continuous(dir)?;
    let bins = read_reliability(dir)?;
    let mut charts = Charts::new(dir)?;
    let runs = format!("{} runs, seed {}", m.runs, m.seed);
    if scores.is_empty() {
        for chart in ["outcomes", "reliability"] {
            charts.note(chart, "No yes/no outcome to show.".to_string());
        }
    } else {
        charts.add(
            "outcomes".to_string(),
            Reliability {
                title: format!(
                    "{}: forecast, base rate and what happened ({runs})",
                    h.scenario
                ),
                rows: scores
                    .iter()
                    .map(|s| (s.outcome.clone(), s.forecast, s.base_rate, s.observed))
                    .collect(),
            },
        );
        charts.add(
            "reliability".to_string(),
            ReliabilityDiagram {
                title: format!("{}: reliability of {} outcomes", h.scenario, scores.len()),
                bins,
            },
        );
    }
    if continuous.is_empty() {
        charts.note("targets", "No continuous target to show.".to_string());
    } else {
        charts.add(
            "targets".to_string(),
            Targets {
                title: format!(
                    "{}: continuous targets, forecast and observed ({runs})",
                    h.scenario
                ),
                rows: continuous
                    .iter()
                    .map(|c| Target {
                        name: c.outcome.clone(),
                        quantiles: c.quantiles,
                        persistence: c.persistence,
                        observed: c.observed,
                    })
                    .collect(),
            },
        );
    }
    let drawn = charts.draw_all()?;
    let page = page(dir, m, h, &scores, &continuous, &drawn)?;
    Ok(drawn.written(vec![page]))
}

/// A skill score with its interval, or why there is none.
fn skill(s: Option<manifest::Skill>) -> String {
    match s {
        Some(s) => format!(
            "{} [{}, {}]",
            signed(s.score, 2),
            signed(s.low, 2),
            signed(s.high, 2)
        ),
        None => "undefined (the reference is perfect)".into(),
    }
}

fn set(held_out: bool) -> &'static str {
    if held_out { "held out" } else { "calibration" }
}

fn page(
    dir: &Path,
    m: &Manifest,
    h: &manifest::Hindcast,
    scores: &[Score],
    continuous: &[Continuous],
    drawn: &Drawn,
) -> Result<PathBuf> {
    let mut out = head(&format!("{} — spheres hindcast", h.scenario));
    intro(&mut out, m, h);
    crate::report::html::cite_box(
        &mut out,
        "This page is a hindcast: it scores the model on what happened after its origin, and the figures below are where the box's come from.",
    );
    brier_table(&mut out, h);
    crps_table(&mut out, h);
    for (chart, caption) in CAPTIONS {
        figure_or_note(&mut out, drawn, chart, caption);
    }
    worst(&mut out, scores, continuous);
    each_outcome(&mut out, scores);
    each_target(&mut out, continuous);
    write_page(
        dir,
        out,
        &[
            "hindcast.csv",
            "continuous.csv",
            "reliability.csv",
            "scenario.resolved.toml",
            "manifest.json",
        ],
    )
}

/// What a hindcast is, which events it replayed, and how skill reads.
fn intro(out: &mut String, m: &Manifest, h: &manifest::Hindcast) {
    let _ = writeln!(
        out,
        "<h1>Hindcast: {}</h1><p>The scenario starts in the past and replays its dated events; each outcome is \
something that did or did not happen, and the forecast is the share of {} runs (seed {}) in which the model \
had it happen. Continuous targets (poll shares, foreign-policy alignment) are values observed on the model's \
scale, with a measurement error. Calibration outcomes were used to fit the coefficients (docs/CALIBRATION.md); \
held-out outcomes were not.</p>",
        escape(&h.scenario),
        m.runs,
        m.seed
    );
    let inputs = match (h.known_only, h.events_left_out.len()) {
        (false, _) => "<p><b>Inputs:</b> every dated event of the scenario was replayed, including those known only with hindsight.</p>".to_string(),
        (true, 0) => "<p><b>Inputs:</b> only events known at the origin (<code>--known-only</code>); none was marked hindsight.</p>".to_string(),
        (true, _) => format!(
            "<p><b>Inputs:</b> only events known at the origin (<code>--known-only</code>); left out, known only with hindsight: {}.</p>",
            escape(&h.events_left_out.join(", "))
        ),
    };
    out.push_str(&inputs);
    out.push_str("<p>Skill is 1 − score / the reference's score: 1 perfect, 0 no better than the reference, negative worse; in brackets its bootstrap 95 % interval over the items. Persistence forecasts that nothing changes after the start month; the base rate is the forecast of someone who knows only how often such things happen.</p>\n");
}

/// The yes/no outcomes' Brier scores and skill, per set; nothing without outcomes.
fn brier_table(out: &mut String, h: &manifest::Hindcast) {
    let brier = [
        ("calibration", h.calibration),
        ("held out", h.held_out),
        ("all", h.all),
    ];
    if brier.iter().all(|b| b.1.is_none()) {
        return;
    }
    out.push_str("<h2>Yes/no outcomes: Brier score</h2><p>The Brier score is the squared distance between forecast and what happened (0 is perfect).</p><div class=\"table\"><table><tr><th>outcomes</th><th>count</th><th>mean Brier</th><th>base rate's Brier</th><th>skill against the base rate</th><th>persistence's Brier</th><th>skill against persistence</th></tr>\n");
    for (name, b) in brier {
        if let Some(b) = b {
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
}

/// The continuous targets' CRPS, skill and interval coverage, per set; nothing without
/// targets.
fn crps_table(out: &mut String, h: &manifest::Hindcast) {
    let crps = [
        ("calibration", h.crps_calibration),
        ("held out", h.crps_held_out),
        ("all", h.crps_all),
    ];
    if crps.iter().all(|c| c.1.is_none()) {
        return;
    }
    out.push_str("<h2>Continuous targets: CRPS</h2><p>The CRPS (continuous ranked probability score) is the distance between the forecast's distribution, widened by the measurement error, and what was observed, in units of the model's scale (0 is perfect; a point forecast scores its absolute error). A calibrated forecast has about 50 % of the observations in its 50 % intervals and 90 % in its 90 % intervals.</p><div class=\"table\"><table><tr><th>targets</th><th>count</th><th>mean CRPS</th><th>base rate's CRPS</th><th>skill against the base rate</th><th>persistence's CRPS</th><th>skill against persistence</th><th>in the 50 % interval</th><th>in the 90 % interval</th></tr>\n");
    for (name, c) in crps {
        if let Some(c) = c {
            let _ = writeln!(
                out,
                "<tr><td>{name}</td><td>{}</td><td>{:.3}</td><td>{:.3}</td><td>{}</td><td>{:.3}</td><td>{}</td><td>{:.0} %</td><td>{:.0} %</td></tr>",
                c.items,
                c.crps,
                c.base_crps,
                skill(c.skill_vs_base_rate),
                c.persistence_crps,
                skill(c.skill_vs_persistence),
                c.coverage_50 * 100.0,
                c.coverage_90 * 100.0
            );
        }
    }
    out.push_str("</table></div>\n");
}

/// The hindcast's charts in page order, with their captions.
const CAPTIONS: [(&str, &str); 3] = [
    (
        "reliability",
        "Reliability: the yes/no forecasts in bins of a tenth, each at its mean forecast and the share of its outcomes that happened (a point's area grows with its count). A reliable model's points lie on the diagonal; points at 0 % forecast and 100 % happened are changes the model did not see coming.",
    ),
    (
        "outcomes",
        "Per outcome: the model's forecast (blue dot), the base rate (grey ring) and what happened (black bar at 0 % or 100 %). A good forecast sits close to the black bar.",
    ),
    (
        "targets",
        "Per continuous target, on the model's scale (−1 the West, +1 Moscow): the forecast's median (blue dot), 50 % interval (box) and 90 % interval (line), widened by the measurement error; persistence (grey ring); what was observed (black bar).",
    ),
];

/// Every yes/no outcome: what happened, the forecasts and their Brier scores.
fn each_outcome(out: &mut String, scores: &[Score]) {
    if scores.is_empty() {
        return;
    }
    out.push_str("<h2>Each outcome</h2><div class=\"table\"><table><tr><th>outcome</th><th>happened</th><th>forecast</th><th>Brier</th><th>base rate</th><th>base rate's Brier</th><th>persistence</th><th>set</th></tr>\n");
    for s in scores {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{:.0} %</td><td>{:.3}</td><td>{:.0} %</td><td>{:.3}</td><td>{:.0} % ({:.3})</td><td>{}</td></tr>",
            escape(&s.outcome),
            yes(s.observed),
            s.forecast * 100.0,
            s.brier,
            s.base_rate * 100.0,
            s.base_brier,
            s.persistence * 100.0,
            s.persistence_brier,
            set(s.held_out)
        );
    }
    out.push_str("</table></div>\n");
}

/// Every continuous target: what was observed, the forecast's intervals, the CRPS of the
/// forecast and of the references.
fn each_target(out: &mut String, continuous: &[Continuous]) {
    if continuous.is_empty() {
        return;
    }
    out.push_str("<h2>Each continuous target</h2><div class=\"table\"><table><tr><th>target</th><th>reads</th><th>observed ± error</th><th>median [90 % interval]</th><th>CRPS</th><th>base rate (CRPS)</th><th>persistence (CRPS)</th><th>in 50 % / 90 %</th><th>set</th></tr>\n");
    for c in continuous {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{} ± {:.2}</td><td>{} [{}, {}]</td><td>{:.3}</td><td>{} ({:.3})</td><td>{} ({:.3})</td><td>{} / {}</td><td>{}</td></tr>",
            escape(&c.outcome),
            escape(&c.reading),
            signed(c.observed, 2),
            c.error,
            signed(c.quantiles[2], 2),
            signed(c.quantiles[0], 2),
            signed(c.quantiles[4], 2),
            c.crps,
            signed(c.base_rate, 2),
            c.base_crps,
            signed(c.persistence, 2),
            c.persistence_crps,
            yes(c.in_50),
            yes(c.in_90),
            set(c.held_out)
        );
    }
    out.push_str("</table></div>\n");
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// The worst-scored outcomes and targets, with their forecasts.
fn worst(out: &mut String, scores: &[Score], continuous: &[Continuous]) {
    let mut binary: Vec<&Score> = scores.iter().filter(|s| s.brier > 0.0).collect();
    binary.sort_by(|a, b| b.brier.total_cmp(&a.brier));
    let mut targets: Vec<&Continuous> = continuous.iter().collect();
    targets.sort_by(|a, b| b.crps.total_cmp(&a.crps));
    if binary.is_empty() && targets.is_empty() {
        return;
    }
    out.push_str("<h2>The worst misses</h2>");
    if !binary.is_empty() {
        out.push_str("<div class=\"table\"><table><tr><th>outcome</th><th>happened</th><th>forecast</th><th>Brier</th><th>persistence</th><th>base rate</th><th>set</th></tr>\n");
        for s in binary.iter().take(WORST) {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{:.0} %</td><td>{:.3}</td><td>{:.0} %</td><td>{:.0} %</td><td>{}</td></tr>",
                escape(&s.outcome),
                yes(s.observed),
                s.forecast * 100.0,
                s.brier,
                s.persistence * 100.0,
                s.base_rate * 100.0,
                set(s.held_out)
            );
        }
        out.push_str("</table></div>\n");
    }
    if !targets.is_empty() {
        out.push_str("<div class=\"table\"><table><tr><th>target</th><th>observed</th><th>median [50 % interval]</th><th>CRPS</th><th>persistence</th><th>set</th></tr>\n");
        for c in targets.iter().take(WORST) {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{} [{}, {}]</td><td>{:.3}</td><td>{}</td><td>{}</td></tr>",
                escape(&c.outcome),
                signed(c.observed, 2),
                signed(c.quantiles[2], 2),
                signed(c.quantiles[1], 2),
                signed(c.quantiles[3], 2),
                c.crps,
                signed(c.persistence, 2),
                set(c.held_out)
            );
        }
        out.push_str("</table></div>\n");
    }
}
