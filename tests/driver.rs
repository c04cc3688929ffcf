//! The ensemble driver checks everything before it simulates: with a stop already requested,
//! an experiment whose output folder is refused fails on the folder (bad input), not with an
//! interruption, which it could only meet once simulating. Its own test binary: the stop is
//! process-wide.

mod common;

use common::TempDir;
use spheres::Error;
use spheres::experiments::compare::{CompareOptions, compare};
use spheres::experiments::hindcast::{HindcastOptions, hindcast};
use spheres::experiments::run::{RunOptions, run};
use spheres::experiments::{Ensemble, request_stop};

#[test]
fn the_output_folder_is_checked_before_any_simulation() {
    let tmp = TempDir::new("driver");
    let taken = tmp.join("taken");
    std::fs::create_dir_all(&taken).unwrap();
    std::fs::write(taken.join("mine.txt"), "a user's file").unwrap();
    let ensemble = Ensemble {
        runs: Some(10),
        threads: Some(1),
        out: Some(taken.clone()),
        quiet: true,
        no_charts: true,
        ..Ensemble::default()
    };
    request_stop();
    let refused = |e: Error| {
        assert!(
            matches!(e, Error::Refused(_)),
            "expected a refusal, got: {e}"
        );
    };
    refused(
        hindcast(&HindcastOptions {
            scenario: "tests/fixtures/hindcast-tiny.toml".into(),
            ensemble: ensemble.clone(),
            known_only: false,
        })
        .unwrap_err(),
    );
    refused(
        run(&RunOptions {
            scenario: "tutorial".into(),
            ensemble: ensemble.clone(),
            summary_only: true,
            trajectories: 0,
        })
        .unwrap_err(),
    );
    refused(
        compare(&CompareOptions {
            baseline: "tutorial".into(),
            variants: vec!["tutorial".into()],
            variant_sets: Vec::new(),
            ensemble: Ensemble {
                out: Some(taken.clone()),
                ..ensemble.clone()
            },
        })
        .unwrap_err(),
    );
    // With a free folder, the same stop interrupts the simulation: the check above could fail.
    let free = Ensemble {
        out: Some(tmp.join("free")),
        ..ensemble
    };
    let e = run(&RunOptions {
        scenario: "tutorial".into(),
        ensemble: free,
        summary_only: true,
        trajectories: 0,
    })
    .unwrap_err();
    assert!(matches!(e, Error::Interrupted), "{e}");
    assert_eq!(
        std::fs::read_to_string(taken.join("mine.txt")).unwrap(),
        "a user's file"
    );
}
