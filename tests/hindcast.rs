//! `spheres hindcast` on a fixture whose forecasts are certain, so every score is known.

use spheres::experiments::Ensemble;
use spheres::experiments::hindcast::{DRESSING, HindcastOptions, HindcastReport, hindcast};
use spheres::scenario::{self, OutcomeTest};
use spheres::statistics::crps;

fn tiny(known_only: bool) -> HindcastReport {
    hindcast(&HindcastOptions {
        scenario: "tests/fixtures/hindcast-tiny.toml".into(),
        ensemble: Ensemble {
            threads: Some(2),
            quiet: true,
            ..Ensemble::default()
        },
        known_only,
    })
    .unwrap()
}

#[test]
fn brier_scores_of_a_certain_fixture() {
    let r = tiny(false);
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
            ("west-moves-west", 1.0, 0.0, 0.25),
            ("east-at-most-half", 1.0, 0.0, 0.25),
        ]
    );
    let cal = r.brier.calibration.unwrap();
    assert_eq!((cal.outcomes, cal.brier), (3, 0.0));
    assert!((cal.base_brier - 0.59 / 3.0).abs() < 1e-12);
    assert_eq!(cal.skill_vs_base_rate.unwrap().score, 1.0);
    // Persistence, by hand: no event happens (west-joins-nato 0, east-joins-nato 0,
    // east-hosts-no-asset 1), WST starts at -0.8 <= 0 (1) and EST at 0.6, the highest (1);
    // nothing shifts (0), and EST's 0.6 is above 0.5 (0).
    let persistence: Vec<f64> = r.scores.iter().map(|s| s.persistence).collect();
    assert_eq!(persistence, [0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0]);
    let all = r.brier.all.unwrap();
    assert!((all.persistence_brier - 4.0 / 7.0).abs() < 1e-12);
    // The model (Brier 1/7) scores a quarter of persistence's 4/7.
    assert!((all.skill_vs_persistence.unwrap().score - 0.75).abs() < 1e-12);
    let held = r.brier.held_out.unwrap();
    assert_eq!(held.outcomes, 4);
    assert!((held.brier - 0.25).abs() < 1e-12);
    assert!((all.brier - 1.0 / 7.0).abs() < 1e-12);
}

/// The continuous targets of the fixture: every run gives the same value, so the forecast is
/// that value's histogram bin centre, dressed with the measurement error.
#[test]
fn crps_and_coverage_of_a_certain_fixture() {
    let r = tiny(false);
    let [opinion, alignment] = &r.continuous[..] else {
        panic!("two continuous targets: {:?}", r.continuous)
    };
    // No measurement error: the CRPS is the absolute error, |0.6005 - 0.4|, and the interval
    // is the one value, which misses 0.4.
    assert_eq!(opinion.id, "east-opinion");
    assert!((opinion.crps - 0.2005).abs() < 1e-12, "{opinion:?}");
    assert!((opinion.base_crps - 0.4).abs() < 1e-12);
    assert!((opinion.persistence_crps - 0.2005).abs() < 1e-12);
    assert!(
        (opinion.quantiles[0] - 0.6005).abs() < 1e-12
            && opinion.quantiles[0] == opinion.quantiles[4]
    );
    assert_eq!(opinion.covered(), (false, false));
    // EST's alignment ends at 0.418 (bin centre 0.4185) with the push, observed 0.4 with an
    // error of 0.1: the ten dressed members 0.4185 + 0.1 z are scored, and 0.4 lies within
    // both intervals (the 50 % one is 0.4185 -/+ 0.0674).
    let members = |x: f64| DRESSING.map(|z| x + 0.1 * z);
    assert!((alignment.crps - crps(&members(0.4185), 0.4)).abs() < 1e-12);
    assert!((alignment.base_crps - crps(&members(0.6), 0.4)).abs() < 1e-12);
    assert!((alignment.persistence_crps - crps(&members(0.6005), 0.4)).abs() < 1e-12);
    assert!((alignment.quantiles[2] - 0.4185).abs() < 1e-12);
    // 50 runs of ten members each: the 25 % quantile (member 124.75 of 0 to 499) falls among
    // the fifty at the third dressing point, 0.4185 - 0.1 x 0.6745.
    assert!((alignment.quantiles[1] - (0.4185 - 0.067_448_975_019_608_2)).abs() < 1e-12);
    assert_eq!(alignment.covered(), (true, true));
    let cal = r.crps.calibration.unwrap();
    let held = r.crps.held_out.unwrap();
    assert_eq!((cal.items, cal.coverage_50, cal.coverage_90), (1, 0.0, 0.0));
    assert_eq!(
        (held.items, held.coverage_50, held.coverage_90),
        (1, 1.0, 1.0)
    );
    let all = r.crps.all.unwrap();
    assert!((all.crps - (0.2005 + alignment.crps) / 2.0).abs() < 1e-12);
    assert!((all.coverage_50 - 0.5).abs() < 1e-12);
    // Skill against the base rate, by hand: 1 - (0.2005 + a) / (0.4 + b).
    let by_hand = 1.0 - (0.2005 + alignment.crps) / (0.4 + alignment.base_crps);
    assert!((all.skill_vs_base_rate.unwrap().score - by_hand).abs() < 1e-12);
}

/// `--known-only` leaves out the push known only with hindsight: EST then stays at 0.6, so the
/// model misses `east-at-most-half` as persistence does, and its alignment forecast is 0.6005.
#[test]
fn known_only_leaves_out_what_was_known_only_with_hindsight() {
    let all = tiny(false);
    assert!(!all.known_only && all.left_out.is_empty());
    let known = tiny(true);
    assert!(known.known_only);
    assert_eq!(known.left_out, ["east-accession-push"]);
    let forecast =
        |r: &HindcastReport, id: &str| r.scores.iter().find(|s| s.id == id).unwrap().forecast;
    assert_eq!(forecast(&all, "east-at-most-half"), 1.0);
    assert_eq!(forecast(&known, "east-at-most-half"), 0.0);
    assert!((known.continuous[1].quantiles[2] - 0.6005).abs() < 1e-12);
    assert!((known.brier.calibration.unwrap().brier - 1.0 / 3.0).abs() < 1e-12);
}

/// The dated shocks of the 2014 hindcast are hindsight: `--known-only` leaves every one out (and
/// the run draws its shocks instead), the events known at the origin stay.
#[test]
fn known_only_leaves_out_the_dated_shocks() {
    let report = |known_only| {
        hindcast(&HindcastOptions {
            scenario: "hindcast-2014".into(),
            ensemble: Ensemble {
                runs: Some(20),
                quiet: true,
                ..Ensemble::default()
            },
            known_only,
        })
        .unwrap()
    };
    let known = report(true);
    for id in ["war-2014-02", "war-2022-02", "war-2023-09"] {
        assert!(known.left_out.iter().any(|l| l == id), "{id} left out");
    }
    assert!(
        !known.left_out.iter().any(|l| l == "paks-ii"),
        "known at the origin"
    );
    assert!(report(false).left_out.is_empty());
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
/// where the state starts highest, `at_most` where it starts at or below the value, and a
/// `shift` fails (nothing moves). The starts are the nowcast of January 2014 (`start_from`):
/// wrong by hand, 6 of 23 calibration outcomes and 13 of 48 held out.
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
    assert!((mean(false) - 6.0 / 23.0).abs() < 1e-12, "{}", mean(false));
    assert!((mean(true) - 13.0 / 48.0).abs() < 1e-12, "{}", mean(true));
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
    assert!((r.brier.calibration.unwrap().persistence_brier - 6.0 / 23.0).abs() < 1e-12);
    assert!((r.brier.held_out.unwrap().persistence_brier - 13.0 / 48.0).abs() < 1e-12);
}

/// The scores of a noisy hindcast are the same bits for any thread count: the continuous
/// targets' histograms add integers, and the yes/no counts are integers.
#[test]
fn scores_do_not_depend_on_threads() {
    let scored = |threads| {
        let r = hindcast(&HindcastOptions {
            scenario: "hindcast-2020".into(),
            ensemble: Ensemble {
                runs: Some(60),
                threads: Some(threads),
                quiet: true,
                ..Ensemble::default()
            },
            known_only: false,
        })
        .unwrap();
        (r.scores, r.continuous, r.brier, r.crps)
    };
    let one = scored(1);
    assert!(
        one.1.iter().any(|c| c.quantiles[0] < c.quantiles[4]),
        "a spread to compare"
    );
    assert_eq!(one, scored(3));
}

/// `--known-only` with drawn parameters: the hindsight events are left out of the tree, so
/// every draw's scenario (read from the tree with the draw's values) leaves them out too.
#[test]
fn a_tree_without_the_hindsight_events_leaves_them_out_of_every_draw() {
    let tree = scenario::load_tree("hindcast-2014").unwrap();
    let all = tree.scenario_with(&[]).unwrap();
    let hindsight: Vec<String> = (all.event.iter())
        .filter(|e| e.known != scenario::Known::Origin)
        .map(|e| e.id.clone())
        .collect();
    assert!(!hindsight.is_empty());
    let known = tree.without_events(&hindsight);
    let draw = [("state.SRB.alignment".to_string(), 0.1)];
    let drawn = known.scenario_with(&draw).unwrap();
    assert!(drawn.event.iter().all(|e| !hindsight.contains(&e.id)));
    assert_eq!(drawn.event.len(), all.event.len() - hindsight.len());
    let srb = drawn.state[drawn.state_index("SRB").unwrap()].alignment;
    assert!((srb - 0.1).abs() < 1e-12);
}
