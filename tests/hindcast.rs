//! `spheres hindcast` on a fixture whose forecasts are certain, so every score is known.

use spheres::experiments::Ensemble;
use spheres::experiments::hindcast::{HindcastOptions, hindcast};
use spheres::scenario::{self, OutcomeTest};

#[test]
fn brier_scores_of_a_certain_fixture() {
    let opts = HindcastOptions {
        scenario: "tests/fixtures/hindcast-tiny.toml".into(),
        ensemble: Ensemble {
            threads: Some(2),
            quiet: true,
            ..Ensemble::default()
        },
        known_only: false,
    };
    let r = hindcast(&opts).unwrap();
    let got: Vec<(&str, f64, f64, f64)> = r
        .scores
        .iter()
        .map(|s| (s.id.as_str(), s.forecast, s.brier, s.base_brier))
        .collect();
    assert_eq!(
        got,
        [
            ("west-joins-nato", 1.0, 0.0, 0.25),
            ("east-joins-nato", 0.0, 0.0, 0.04000000000000001),
            ("east-hosts-no-asset", 1.0, 0.0, 0.009999999999999995),
            ("west-never-moscow", 1.0, 0.0, 0.09000000000000002),
            ("east-most-moscow", 1.0, 1.0, 0.25),
        ]
    );
    let cal = r.brier.calibration.unwrap();
    assert_eq!((cal.outcomes, cal.brier), (2, 0.0));
    assert!((cal.base_brier - 0.17).abs() < 1e-12);
    assert_eq!(cal.skill_vs_base_rate.unwrap().score, 1.0);
    // Persistence, by hand: no event happens (west-joins-nato 0, east-joins-nato 0,
    // east-hosts-no-asset 1), WST starts at -0.8 <= 0 (1) and EST at 0.6, the highest (1).
    let persistence: Vec<f64> = r.scores.iter().map(|s| s.persistence).collect();
    assert_eq!(persistence, [0.0, 0.0, 1.0, 1.0, 1.0]);
    assert!((r.brier.all.unwrap().persistence_brier - 2.0 / 5.0).abs() < 1e-12);
    // The model (Brier 0.2) halves persistence's score (0.4).
    assert!((r.brier.all.unwrap().skill_vs_persistence.unwrap().score - 0.5).abs() < 1e-12);
    let held = r.brier.held_out.unwrap();
    assert_eq!(held.outcomes, 3);
    assert!((held.brier - 1.0 / 3.0).abs() < 1e-12);
    assert!((r.brier.all.unwrap().brier - 0.2).abs() < 1e-12);
}

#[test]
fn a_scenario_without_outcomes_cannot_be_hindcast() {
    let opts = HindcastOptions {
        scenario: "tutorial".into(),
        ensemble: Ensemble {
            quiet: true,
            ..Ensemble::default()
        },
        known_only: false,
    };
    let err = hindcast(&opts).unwrap_err().to_string();
    assert!(err.contains("has no [[outcome]] to score"), "{err}");
}

/// The persistence scores of the bundled 2014 hindcast, reproduced by hand from its outcome
/// list: nothing happens after January 2014, so an `event_by` fails, a `no_event_by` holds,
/// `never_above` holds where the state starts at or below the value, and `highest_at` holds
/// where the state starts highest. Issue 12 measured 0.222 (calibration) and 0.250 (held out).
#[test]
fn persistence_scores_of_the_2014_hindcast_by_hand() {
    let s = scenario::load("hindcast-2014").unwrap();
    let start = |code: &str| s.state[s.state_index(code).unwrap()].alignment;
    let binary: Vec<_> = s
        .outcome
        .iter()
        .filter(|o| !matches!(o.test, OutcomeTest::ValueAt { .. }))
        .collect();
    let by_hand: Vec<f64> = binary
        .iter()
        .map(|o| {
            let holds = match &o.test {
                OutcomeTest::EventBy { .. } => false,
                OutcomeTest::NoEventBy { .. } => true,
                OutcomeTest::NeverAbove { value } | OutcomeTest::AtMost { value } => {
                    start(&o.state) <= *value
                }
                OutcomeTest::HighestAt { among } => {
                    among.iter().all(|c| start(c) <= start(&o.state))
                }
                OutcomeTest::Shift { value, .. } => *value <= 0.0,
                OutcomeTest::ValueAt { .. } => unreachable!("filtered out"),
            };
            let observed = if o.observed { 1.0 } else { 0.0 };
            (f64::from(u8::from(holds)) - observed).powi(2)
        })
        .collect();
    let mean = |held_out: bool| {
        let v: Vec<f64> = binary
            .iter()
            .zip(&by_hand)
            .filter(|(o, _)| o.held_out == held_out)
            .map(|(_, b)| *b)
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    assert!((mean(false) - 2.0 / 9.0).abs() < 1e-12, "{}", mean(false));
    assert!((mean(true) - 2.0 / 8.0).abs() < 1e-12, "{}", mean(true));
    let r = hindcast(&HindcastOptions {
        scenario: "hindcast-2014".into(),
        ensemble: Ensemble {
            runs: Some(20),
            threads: Some(2),
            quiet: true,
            ..Ensemble::default()
        },
        known_only: false,
    })
    .unwrap();
    let got: Vec<f64> = r.scores.iter().map(|x| x.persistence_brier).collect();
    assert_eq!(got, by_hand);
    assert!((r.brier.calibration.unwrap().persistence_brier - 2.0 / 9.0).abs() < 1e-12);
    assert!((r.brier.held_out.unwrap().persistence_brier - 0.25).abs() < 1e-12);
}
