//! `spheres validate`: check a scenario and say what it resolved to.

use crate::error::Result;
use crate::scenario::{self, Lever, Scenario};
use std::fmt::Write;

/// Loads `name` (file or bundled scenario) and describes it, or returns the first error.
pub fn validate(name: &str) -> Result<String> {
    Ok(describe(&scenario::load(name)?))
}

/// A short account of a resolved scenario: horizon, runs, seed, states, powers, events.
pub fn describe(s: &Scenario) -> String {
    let m = &s.scenario;
    let mut out = String::new();
    let end = m.start.plus(m.months as i64);
    let _ = writeln!(
        out,
        "scenario  {} — {}",
        m.name,
        m.description.lines().next().unwrap_or("")
    );
    let _ = writeln!(
        out,
        "horizon   {} to {} ({} months)",
        m.start, end, m.months
    );
    let _ = writeln!(out, "runs      {} (seed {})", m.runs, m.seed);
    let _ = writeln!(out, "states    {}", s.state.len());
    for st in &s.state {
        let part = st
            .part_of
            .as_ref()
            .map(|p| format!(" (part of {p})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {:<8} {:<32} population {:>11}  alignment {:+.2}{part}",
            st.code, st.name, st.population, st.alignment
        );
    }
    let _ = writeln!(out, "powers    {}", s.power.len());
    for p in &s.power {
        let spent: Vec<String> = Lever::ALL
            .iter()
            .filter(|l| p.budget[**l as usize] > 0.0)
            .map(|l| format!("{} {}", l.name(), p.budget[*l as usize]))
            .collect();
        let _ = writeln!(
            out,
            "  {:<8} {:<24} pole {:?}, {:?}; M EUR/year: {}",
            p.code,
            p.name,
            p.pole,
            p.targeting,
            if spent.is_empty() {
                "none".to_string()
            } else {
                spent.join(", ")
            }
        );
    }
    let _ = writeln!(out, "events    {}", s.event.len());
    out
}
