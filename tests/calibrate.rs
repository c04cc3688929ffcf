//! `spheres calibrate` provably works: simulation-based calibration (Talts et al. 2018) on a
//! small fixture. Each repetition draws a "true" parameter vector from the prior, simulates
//! the outcomes once with it, calibrates against them, and records where the truth falls in
//! the posterior. A calibrated posterior puts the truth at a uniform rank, and inside its 90 %
//! interval in about 90 % of the repetitions.

use spheres::experiments::Ensemble;
use spheres::experiments::Setting;
use spheres::experiments::calibrate::{CalibrateOptions, calibrate};
use spheres::experiments::hindcast::{HindcastOptions, hindcast};

const FIXTURE: &str = "tests/fixtures/sbc.toml";
const REPETITIONS: u64 = 50;

fn quiet(runs: Option<u64>, seed: u64, sets: Vec<Setting>) -> Ensemble {
    Ensemble {
        runs,
        seed: Some(seed),
        threads: Some(2),
        quiet: true,
        no_charts: true,
        sets,
        ..Ensemble::default()
    }
}

/// The true hazard of repetition `rep`, drawn from the fixture's prior Beta(2, 2).
fn truth(rep: u64) -> f64 {
    let u = spheres::engine::rng::parameter_uniform(99, rep, "truth");
    spheres::distributions::Distribution::Beta {
        alpha: 2.0,
        beta: 2.0,
        min: 0.0,
        max: 1.0,
    }
    .quantile(u)
}

#[test]
fn simulation_based_calibration_gives_uniform_ranks_and_honest_intervals() {
    let mut ranks = Vec::new();
    let mut covered = 0;
    let mut kin_ranks = Vec::new();
    for rep in 0..REPETITIONS {
        let hazard = truth(rep);
        // One run at the truth gives the synthetic outcomes.
        let synthetic = hindcast(&HindcastOptions {
            scenario: FIXTURE.into(),
            known_only: false,
            ensemble: quiet(
                Some(1),
                1000 + rep,
                vec![Setting::parse(&format!("params.nato_entry_hazard={hazard}")).unwrap()],
            ),
        })
        .unwrap();
        let observed: Vec<Setting> = synthetic
            .scores
            .iter()
            .map(|s| {
                Setting::parse(&format!("outcome.{}.observed={}", s.id, s.forecast == 1.0)).unwrap()
            })
            .collect();
        let r = calibrate(&CalibrateOptions {
            scenario: FIXTURE.into(),
            ensemble: quiet(None, rep, observed),
            particles: 200,
            budget: 6000,
            min_acceptance: 0.02,
            write: false,
        })
        .unwrap();
        assert!(
            r.generations.last().unwrap().epsilon == 0.0,
            "repetition {rep} did not reach tolerance 0: {}",
            r.stopped
        );
        let p = &r.posterior;
        ranks.push(p.share_below(0, hazard));
        covered += usize::from((p.quantile(0, 0.05)..=p.quantile(0, 0.95)).contains(&hazard));
        kin_ranks.push(p.share_below(1, 2.0));
    }
    // Ranks uniform: Kolmogorov–Smirnov against U(0, 1) at 1 % (critical value 1.63 / √n).
    let ks = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        let n = v.len() as f64;
        v.iter()
            .enumerate()
            .map(|(i, &x)| (x - i as f64 / n).abs().max(((i + 1) as f64 / n - x).abs()))
            .fold(0.0, f64::max)
    };
    let critical = 1.63 / (REPETITIONS as f64).sqrt();
    let d = ks(ranks.clone());
    assert!(
        d < critical,
        "ranks not uniform: KS {d:.3} >= {critical:.3}; {ranks:?}"
    );
    // The truth inside the 90 % interval in 80–98 % of repetitions.
    let share = covered as f64 / REPETITIONS as f64;
    assert!((0.80..=0.98).contains(&share), "coverage {share}");
    // The uninformed parameter: its posterior CDF at the prior's median stays near 1/2.
    let mean_kin = kin_ranks.iter().sum::<f64>() / kin_ranks.len() as f64;
    assert!((mean_kin - 0.5).abs() < 0.1, "kin_weight moved: {mean_kin}");
    println!(
        "SBC: KS {d:.3} (critical {critical:.3}), coverage {share:.2}, kin_weight mean CDF at the prior median {mean_kin:.3}"
    );
}

#[test]
fn a_scenario_without_priors_cannot_be_calibrated() {
    let e = calibrate(&CalibrateOptions {
        scenario: "tests/fixtures/hindcast-tiny.toml".into(),
        ensemble: quiet(None, 1, Vec::new()),
        particles: 100,
        budget: 1000,
        min_acceptance: 0.02,
        write: false,
    })
    .unwrap_err();
    assert!(e.to_string().contains("no [[uncertain]] priors"), "{e}");
    assert_eq!(e.exit_code(), 2);
}
