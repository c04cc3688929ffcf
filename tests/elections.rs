//! Elections and turnover (docs/MODEL.md 7.11) on a fixture with a known answer: a scheduled
//! election is held in every run; the governing party loses with the specified probability, more
//! often where the public is far from its government; a turnover outside the EU shifts the
//! government toward its public for good, one inside never does.

mod common;

use common::{TempDir, run_to};
use std::collections::HashMap;

/// Counts of (state, event) in the fixture's events.csv, and its summary's median alignment of
/// each state in its last month (2013-01, 30 months after the election).
fn run_fixture() -> (HashMap<(String, String), u32>, HashMap<String, f64>) {
    let tmp = TempDir::new("elections");
    let out = tmp.join("out");
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/elections.toml");
    run_to(&out, &[fixture, "--seed", "2", "--no-charts"]);
    let mut counts = HashMap::new();
    let mut events = csv::Reader::from_path(out.join("events.csv")).unwrap();
    for r in events.records() {
        let r = r.unwrap();
        assert!(
            r[3] != *"election" || &r[1] == "2010-07",
            "an election only when scheduled (no early ones here): {r:?}"
        );
        *counts
            .entry((r[2].to_string(), r[3].to_string()))
            .or_default() += 1;
    }
    let mut last = HashMap::new();
    let mut summary = csv::Reader::from_path(out.join("summary.csv")).unwrap();
    let p50 = summary
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "p50")
        .unwrap();
    for r in summary.records() {
        let r = r.unwrap();
        if &r[0] == "2013-01" && &r[2] == "alignment" {
            last.insert(r[1].to_string(), r[p50].parse::<f64>().unwrap());
        }
    }
    (counts, last)
}

#[test]
fn a_scheduled_election_turns_over_as_specified_and_shifts_only_outside_the_eu() {
    let (counts, last) = run_fixture();
    let n = 2000.0;
    let count = |state: &str, event: &str| {
        f64::from(
            *counts
                .get(&(state.to_string(), event.to_string()))
                .unwrap_or(&0),
        )
    };
    let logistic = |x: f64| 1.0 / (1.0 + (-x).exp());
    for state in ["CLOSE", "FAR", "MEMBER"] {
        assert_eq!(
            count(state, "election"),
            n,
            "{state} holds its election in every run"
        );
    }
    // Specified: logistic(0.242) with no gap, logistic(0.242 + 1.0 · 1.0) with a gap of 1.
    for (state, p) in [
        ("CLOSE", logistic(0.242)),
        ("FAR", logistic(1.242)),
        ("MEMBER", logistic(1.242)),
    ] {
        let share = count(state, "turnover") / n;
        let sd = (p * (1.0 - p) / n).sqrt();
        assert!(
            (share - p).abs() < 4.0 * sd,
            "{state}: {share} turnovers, {p} specified"
        );
    }
    assert!(count("FAR", "turnover") > count("CLOSE", "turnover") + 200.0);
    // Every turnover of FAR shifts it (shift_chance = 1); MEMBER, in the EU, never shifts.
    assert_eq!(count("FAR", "geopolitical_shift"), count("FAR", "turnover"));
    assert_eq!(count("MEMBER", "geopolitical_shift"), 0.0);
    // The shift lasts: 0.33 toward the public, kept at the drift's persistence (0.994 a year)
    // 30 months on, in the median run (a turnover); MEMBER and CLOSE stay where they were.
    let kept = -0.5 + 0.33 * 0.994_f64.powf(30.0 / 12.0);
    assert!(
        (last["FAR"] - kept).abs() < 0.002,
        "{} against {kept}",
        last["FAR"]
    );
    assert!((last["MEMBER"] + 0.5).abs() < 1e-9 && (last["CLOSE"] + 0.2).abs() < 1e-9);
}
