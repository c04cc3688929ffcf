//! The hindcast as a table for the terminal.

use super::HindcastReport;
use super::scores::{Sets, reliability};
use crate::statistics::Skill;
use std::fmt::Write;

/// The report as a table for the terminal.
pub fn table(report: &HindcastReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} runs, seed {}; {}",
        report.runs,
        report.seed,
        inputs(report.known_only, &report.left_out)
    );
    binary(&mut out, report);
    continuous(&mut out, report);
    let _ = writeln!(
        out,
        "skill = 1 - score / reference score (1 perfect, 0 no better than the reference); \
         in brackets its bootstrap 95 % interval over the items"
    );
    out
}

/// The yes/no outcomes: one line each, the mean Brier scores of each set and the reliability
/// of the forecasts.
fn binary(out: &mut String, report: &HindcastReport) {
    if !report.scores.is_empty() {
        let _ = writeln!(
            out,
            "{:<34} {:>8} {:>8} {:>8} {:>9} {:>10} {:>11}  set",
            "outcome", "observed", "forecast", "Brier", "base rate", "base Brier", "persistence"
        );
    }
    for s in &report.scores {
        let _ = writeln!(
            out,
            "{:<34} {:>8} {:>8.3} {:>8.4} {:>9.3} {:>10.4} {:>11.0}  {}",
            s.id,
            if s.observed { "yes" } else { "no" },
            s.forecast,
            s.brier,
            s.base_rate,
            s.base_brier,
            s.persistence,
            set(s.held_out)
        );
    }
    for (name, m) in rows(&report.brier) {
        let _ = writeln!(
            out,
            "mean Brier, {name:<11} ({} outcomes): {:.4}; base rate {:.4}, skill {}; persistence {:.4}, skill {}",
            m.outcomes,
            m.brier,
            m.base_brier,
            said(m.skill_vs_base_rate),
            m.persistence_brier,
            said(m.skill_vs_persistence),
        );
    }
    if !report.scores.is_empty() {
        let _ = writeln!(
            out,
            "reliability: forecasts in bins, and how often they happened"
        );
    }
    for b in reliability(&report.scores) {
        let _ = writeln!(
            out,
            "  {:.1}-{:.1}: {:>3} outcomes, mean forecast {:.3}, happened {:.3}",
            b.low, b.high, b.forecasts, b.mean_forecast, b.observed_share
        );
    }
}

/// The continuous targets: one line each, then the mean CRPS and coverage of each set.
fn continuous(out: &mut String, report: &HindcastReport) {
    if !report.continuous.is_empty() {
        let _ = writeln!(
            out,
            "{:<34} {:>8} {:>6} {:>8} {:>17} {:>7} {:>9} {:>8} {:>11} {:>8}  set",
            "continuous target",
            "observed",
            "error",
            "median",
            "90 % interval",
            "CRPS",
            "base rate",
            "its CRPS",
            "persistence",
            "its CRPS"
        );
    }
    for s in &report.continuous {
        let q = s.quantiles;
        let _ = writeln!(
            out,
            "{:<34} {:>+8.3} {:>6.3} {:>+8.3} [{:>+6.3}, {:>+6.3}] {:>7.4} {:>+9.3} {:>8.4} {:>+11.3} {:>8.4}  {}",
            s.id,
            s.observed,
            s.error,
            q[2],
            q[0],
            q[4],
            s.crps,
            s.base_rate,
            s.base_crps,
            s.persistence,
            s.persistence_crps,
            set(s.held_out)
        );
    }
    for (name, m) in rows(&report.crps) {
        let _ = writeln!(
            out,
            "mean CRPS, {name:<11} ({} targets): {:.4}; base rate {:.4}, skill {}; persistence {:.4}, skill {}; in the 50 % interval {:.0} %, in the 90 % interval {:.0} %",
            m.items,
            m.crps,
            m.base_crps,
            said(m.skill_vs_base_rate),
            m.persistence_crps,
            said(m.skill_vs_persistence),
            m.coverage_50 * 100.0,
            m.coverage_90 * 100.0,
        );
    }
}

/// The set an item belongs to, in words.
fn set(held_out: bool) -> &'static str {
    if held_out { "held out" } else { "calibration" }
}

/// The three sets' rows of a table: name and mean, where the set has items.
fn rows<T: Copy>(sets: &Sets<T>) -> Vec<(&'static str, T)> {
    [
        ("calibration", sets.calibration),
        ("held out", sets.held_out),
        ("all", sets.all),
    ]
    .into_iter()
    .filter_map(|(name, m)| m.map(|m| (name, m)))
    .collect()
}

/// Which events were replayed, in words.
fn inputs(known_only: bool, left_out: &[String]) -> String {
    match (known_only, left_out.len()) {
        (false, _) => "every event replayed (including those known only with hindsight)".into(),
        (true, 0) => "only events known at the origin (none was marked hindsight)".into(),
        (true, n) => {
            format!("only events known at the origin ({n} known only with hindsight left out)")
        }
    }
}

/// A skill score and its interval, or why there is none.
fn said(skill: Option<Skill>) -> String {
    match skill {
        Some(s) => format!("{:+.2} [{:+.2}, {:+.2}]", s.score, s.low, s.high),
        None => "undefined (the reference is perfect)".into(),
    }
}
