//! `spheres hindcast` on a fixture whose forecasts are certain, so every score is known.

use spheres::experiments::Ensemble;
use spheres::experiments::hindcast::{HindcastOptions, hindcast, skill};

#[test]
fn brier_scores_of_a_certain_fixture() {
    let opts = HindcastOptions {
        scenario: "tests/fixtures/hindcast-tiny.toml".into(),
        ensemble: Ensemble {
            threads: Some(2),
            quiet: true,
            ..Ensemble::default()
        },
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
    let cal = r.calibration.unwrap();
    assert_eq!((cal.outcomes, cal.brier), (2, 0.0));
    assert!((cal.base_brier - 0.17).abs() < 1e-12);
    assert_eq!(skill(cal), 1.0);
    let held = r.held_out.unwrap();
    assert_eq!(held.outcomes, 3);
    assert!((held.brier - 1.0 / 3.0).abs() < 1e-12);
    assert!((r.all.brier - 0.2).abs() < 1e-12);
}

#[test]
fn a_scenario_without_outcomes_cannot_be_hindcast() {
    let opts = HindcastOptions {
        scenario: "tutorial".into(),
        ensemble: Ensemble {
            quiet: true,
            ..Ensemble::default()
        },
    };
    let err = hindcast(&opts).unwrap_err().to_string();
    assert!(err.contains("has no [[outcome]] to score"), "{err}");
}
