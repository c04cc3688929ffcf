//! `spheres validate`: check a scenario and say what it resolved to.

use crate::error::Result;
use crate::model::Model;
use crate::scenario::{Lever, Scenario};
use std::fmt::Write;

/// Loads and compiles `name` (file or bundled scenario, with `settings` applied) and describes
/// it, or returns the first error (a present that cannot be held included).
pub fn validate(
    name: &str,
    settings: &[super::Setting],
    terminal: &dyn super::Terminal,
) -> Result<String> {
    let s = super::load(name, settings, terminal)?;
    let model = Model::compile(&s)?;
    Ok(describe(&s, &model))
}

/// A short account of a resolved scenario: horizon, runs, seed, states (with the domestic pulls
/// that hold the present), powers, policies, events.
pub fn describe(s: &Scenario, model: &Model) -> String {
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
    states(&mut out, s, model);
    powers(&mut out, s);
    policies(&mut out, s);
    let _ = writeln!(out, "events    {}", s.event.len());
    out
}

/// The states, each with its domestic pull when the present is held.
fn states(out: &mut String, s: &Scenario, model: &Model) {
    let held = model.hold_present.then_some(model);
    let _ = writeln!(
        out,
        "states    {}{}",
        s.state.len(),
        if held.is_some() {
            "; the present is held: domestic pulls q (> 0 toward Moscow, < 0 toward the West)"
        } else {
            ""
        }
    );
    for (i, st) in s.state.iter().enumerate() {
        let part = st
            .part_of
            .as_ref()
            .map(|p| format!(" (part of {p})"))
            .unwrap_or_default();
        let q = held
            .map(|m| match m.citizen_layout {
                // Citizens hold themselves, one by one (MODEL.md 7.10).
                Some(_) => format!("  q {:+.3}", m.domestic[i]),
                None => format!(
                    "  q {:+.3} (public {:+.3})",
                    m.domestic[i], m.public_domestic[i]
                ),
            })
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {:<8} {:<32} population {:>11}  alignment {:+.2}{q}{part}",
            st.code, st.name, st.population, st.alignment
        );
    }
}

/// The powers, each with what it spends on each lever.
fn powers(out: &mut String, s: &Scenario) {
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
}

/// The policies, if any, each with the budgets it changes.
fn policies(out: &mut String, s: &Scenario) {
    if s.policy.is_empty() {
        return;
    }
    let _ = writeln!(out, "policies  {}", s.policy.len());
    for p in &s.policy {
        let changed: Vec<String> = Lever::ALL
            .iter()
            .filter_map(|l| p.budget[*l as usize].map(|b| format!("{} {b}", l.name())))
            .collect();
        let _ = writeln!(
            out,
            "  {:<12} {} from {}; M EUR/year: {}",
            p.id,
            p.power,
            p.from,
            changed.join(", ")
        );
    }
}
