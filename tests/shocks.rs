//! Regional shocks (docs/MODEL.md 7.13) on a fixture with a known answer: a dated shock moves
//! every exposed state at its date, by one common jump, a state in its scope by a jump of its
//! own besides, and no sheltered or fully anchored state; without dated shocks, shocks come at
//! the fitted hazard.

mod common;

use common::{TempDir, run_to};
use std::collections::HashMap;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/shocks.toml");
const RUNS: f64 = 2000.0;

/// Runs the fixture and returns its events: (run, date, state, alignment).
fn events(tmp: &TempDir) -> Vec<(u32, String, String, f64)> {
    let out = tmp.join("out");
    run_to(&out, &[FIXTURE, "--seed", "4", "--no-charts"]);
    let mut rows = Vec::new();
    for r in csv::Reader::from_path(out.join("events.csv"))
        .unwrap()
        .records()
    {
        let r = r.unwrap();
        assert_eq!(&r[3], "regional_shock", "no other event here: {r:?}");
        let alignment = r[4].parse().unwrap();
        rows.push((
            r[0].parse().unwrap(),
            r[1].to_string(),
            r[2].to_string(),
            alignment,
        ));
    }
    rows
}

fn sd(x: &[f64]) -> f64 {
    let mean = x.iter().sum::<f64>() / x.len() as f64;
    (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / x.len() as f64).sqrt()
}

#[test]
fn a_dated_shock_moves_every_exposed_state_at_its_date() {
    let tmp = TempDir::new("shocks");
    let rows = events(&tmp);
    let mut by_state: HashMap<&str, Vec<(u32, f64)>> = HashMap::new();
    for (run, date, state, a) in &rows {
        assert_eq!(date, "2010-04", "only at its date");
        by_state.entry(state).or_default().push((*run, *a));
    }
    for state in ["SHELTERED", "POLE"] {
        assert!(!by_state.contains_key(state), "{state} never moves");
    }
    for state in ["SAME1", "SAME2", "SCOPED"] {
        assert_eq!(
            by_state[state].len() as f64,
            RUNS,
            "{state} moves in every run"
        );
    }
    // One common jump: the two exposed states stand together in every run.
    assert_eq!(by_state["SAME1"], by_state["SAME2"]);
    let jumps =
        |state: &str| -> Vec<f64> { by_state[state].iter().map(|(_, a)| a - 0.1).collect() };
    let tolerance = |s: f64| 4.0 * s / (2.0 * RUNS).sqrt();
    let common = 0.046;
    assert!((sd(&jumps("SAME1")) - common).abs() < tolerance(common));
    let scoped = (common * common + 0.161f64 * 0.161).sqrt();
    assert!((sd(&jumps("SCOPED")) - scoped).abs() < tolerance(scoped));
}

#[test]
fn without_dated_shocks_they_come_at_the_hazard() {
    let tmp = TempDir::new("shocks-drawn");
    // The fixture without its [[shock]]: shocks are drawn.
    let variant = tmp.join("drawn.toml");
    let text = std::fs::read_to_string(FIXTURE).unwrap();
    let text = text.split("[[shock]]").next().unwrap().to_string();
    std::fs::write(&variant, text + "\n").unwrap();
    let out = tmp.join("out");
    run_to(
        &out,
        &[variant.to_str().unwrap(), "--seed", "5", "--no-charts"],
    );
    let shocks = csv::Reader::from_path(out.join("events.csv"))
        .unwrap()
        .records()
        .filter(|r| &r.as_ref().unwrap()[2] == "SAME1")
        .count() as f64;
    // 12 months at 0.0507 a month: 0.608 shocks a run.
    let expected = 12.0 * 0.0507 * RUNS;
    assert!(
        (shocks - expected).abs() < 4.0 * expected.sqrt(),
        "{shocks} shocks in {RUNS} runs, expected {expected:.0}"
    );
}
