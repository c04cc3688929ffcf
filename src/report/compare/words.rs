//! A comparison's words: threshold events, policies, shares of plausible worlds.

use crate::scenario::{Lever, Scenario};
use std::fmt::Write;

/// "chance of …" for a state's threshold event.
pub fn chance_of(indicator: &str) -> String {
    match indicator {
        "moscow_leaning" => "chance of leaning to Moscow".into(),
        "eu_member" => "chance of EU membership".into(),
        "nato_member" => "chance of NATO membership".into(),
        "hosts_russian_asset" => "chance of hosting a Russian military asset".into(),
        other => format!("chance of {}", event_words(other)),
    }
}

/// Threshold events in words, by indicator; others are written with spaces for underscores.
pub fn event_words(indicator: &str) -> String {
    match indicator {
        "moscow_leaning" => "leans to Moscow".into(),
        "eu_member" => "EU member".into(),
        "nato_member" => "NATO member".into(),
        "hosts_russian_asset" => "hosts a Russian military asset".into(),
        "adriatic_access" => "Russian naval access on the Adriatic".into(),
        "asset_near_bondsteel" => "a Russian asset within reach of Camp Bondsteel".into(),
        other => other.replace('_', " "),
    }
}

/// Whether a regional event concerns this scenario: Adriatic access only with a coast, Camp
/// Bondsteel only with `[region] bondsteel_reach`.
pub fn relevant(scenario: &Scenario, indicator: &str) -> bool {
    match indicator {
        "adriatic_access" => scenario.state.iter().any(|s| s.adriatic_coast),
        "asset_near_bondsteel" => !scenario.region.bondsteel_reach.is_empty(),
        _ => true,
    }
}

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

/// The text with its first letter in upper case.
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
