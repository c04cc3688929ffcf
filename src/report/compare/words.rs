//! A comparison's words: policies and shares of plausible worlds. (Indicators' words are read
//! from indicators.csv: `data::Indicators`.)

use crate::scenario::{Lever, Scenario};
use std::fmt::Write;

/// A policy in words: "EU from 2025-11 (M EUR a year): accession 1500, aid 2000 — description".
pub fn policy_words(scenario: &Scenario) -> Vec<String> {
    scenario
        .policy
        .iter()
        .map(|p| {
            let budgets: Vec<String> = Lever::ALL
                .iter()
                .zip(&p.budget)
                .filter_map(|(lever, b)| b.map(|b| format!("{} {b}", lever.name())))
                .collect();
            let mut words = format!(
                "{} from {} (M EUR a year): {}",
                p.power,
                p.from,
                budgets.join(", ")
            );
            if !p.description.is_empty() {
                let _ = write!(words, " — {}", p.description);
            }
            words
        })
        .collect()
}

/// A share of plausible worlds (parameter draws) in words: "all", "none", or a percentage.
pub fn share_of_worlds(x: f64) -> String {
    if x >= 1.0 {
        "all".into()
    } else if x <= 0.0 {
        "none".into()
    } else {
        format!("{:.0} %", x * 100.0)
    }
}
