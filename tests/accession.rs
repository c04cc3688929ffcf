//! Accession pipelines (docs/MODEL.md 7.12) on a fixture with a known answer: an invitation leads
//! to membership within the fitted lag, one step a month at most; a state leaning to Moscow moves
//! as much more slowly as the fitted slope says; a veto holds a state where it is.

mod common;

use common::{TempDir, run_to};
use std::collections::HashMap;

/// (state, event) -> the months (1 = the first simulated) in which it happened, over all runs.
fn run_fixture() -> HashMap<(String, String), Vec<u32>> {
    let tmp = TempDir::new("accession");
    let out = tmp.join("out");
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/accession.toml");
    run_to(&out, &[fixture, "--seed", "3", "--no-charts"]);
    let mut months: HashMap<_, Vec<u32>> = HashMap::new();
    let mut events = csv::Reader::from_path(out.join("events.csv")).unwrap();
    for r in events.records() {
        let r = r.unwrap();
        let (year, month) = r[1].split_once('-').unwrap();
        let index = (year.parse::<u32>().unwrap() - 2010) * 12 + month.parse::<u32>().unwrap() - 1;
        (months.entry((r[2].to_string(), r[3].to_string())))
            .or_default()
            .push(index);
    }
    months
}

/// P(joined by month m) for an invitee: sign at rate a, then join at rate b, one step a month.
fn joined_by(a: f64, b: f64, m: u32) -> f64 {
    (1..m)
        .map(|k| a * (1.0 - a).powi(k as i32 - 1) * (1.0 - (1.0 - b).powi((m - k) as i32)))
        .sum()
}

#[test]
fn an_invitation_leads_to_membership_within_the_fitted_lag() {
    let months = run_fixture();
    let joined = &months[&("INVITED".to_string(), "joins_nato".to_string())];
    let signed = &months[&("INVITED".to_string(), "nato_protocol_signed".to_string())];
    let runs = 2000.0;
    let slowed = (-0.05f64).exp();
    let (a, b) = (0.2417 * slowed, 0.0835 * slowed);
    for m in [6, 12, 24] {
        let expected = joined_by(a, b, m);
        let observed = joined.iter().filter(|&&k| k <= m).count() as f64 / runs;
        let sd = (expected * (1.0 - expected) / runs).sqrt();
        assert!(
            (observed - expected).abs() < 4.0 * sd,
            "joined by month {m}: {observed:.3}, specified {expected:.3}"
        );
    }
    // Month 1 is the first simulated; a state signs at the earliest then and joins a month later.
    assert!(signed.iter().all(|&k| k >= 1) && joined.iter().all(|&k| k >= 2));
    assert!(joined.len() <= signed.len());
}

#[test]
fn leaning_to_moscow_slows_every_step_by_the_fitted_slope_and_a_veto_holds() {
    let months = run_fixture();
    let count = |state: &str, event: &str| {
        months
            .get(&(state.to_string(), event.to_string()))
            .map_or(0, Vec::len) as f64
    };
    // The first step only: P(open negotiations within 24 months) at 0.0222 × e^(−0.5 (a + 1)).
    let within = |a: f64| 1.0 - (1.0 - 0.0222 * (-0.5 * (a + 1.0)).exp()).powi(24);
    let runs = 2000.0;
    for (state, a) in [("WEST", -0.9), ("EAST", 0.9)] {
        let p = within(a);
        let observed = count(state, "eu_negotiations") / runs;
        let sd = (p * (1.0 - p) / runs).sqrt();
        assert!(
            (observed - p).abs() < 4.0 * sd,
            "{state} opens negotiations in {observed:.3} of runs, specified {p:.3}"
        );
    }
    assert!(count("WEST", "eu_negotiations") > 1.8 * count("EAST", "eu_negotiations"));
    for event in ["eu_negotiations", "eu_unblocked", "eu_blocked"] {
        assert_eq!(
            count("HELD", event),
            0.0,
            "a veto that never lifts holds HELD"
        );
    }
}
