//! Determinism and output safety: the same bytes for any thread count, an output folder that
//! reproduces itself (`--set` included), `--force` and what it leaves, nothing written before a
//! very large job is agreed to.

use crate::common::{
    TempDir, assert_refused, read, run_to, scenario_text, spheres, spheres_in, stderr,
};

const OUTPUTS: [&str; 4] = [
    "summary.csv",
    "outcomes.csv",
    "events.csv",
    "scenario.resolved.toml",
];

#[test]
fn outputs_are_byte_identical_for_any_thread_count() {
    let tmp = TempDir::new("threads");
    for threads in ["1", "2", "3"] {
        run_to(
            &tmp.join(threads),
            &["balkans", "--runs", "300", "--threads", threads],
        );
    }
    for file in OUTPUTS {
        let one = read(&tmp.join("1").join(file));
        assert!(!one.is_empty());
        for threads in ["2", "3"] {
            assert!(
                one == read(&tmp.join(threads).join(file)),
                "{file} differs between 1 and {threads} threads"
            );
        }
    }
}

#[test]
fn the_output_folder_holds_everything_to_reproduce_it() {
    let tmp = TempDir::new("repro");
    run_to(
        &tmp.join("a"),
        &["tutorial", "--runs", "100", "--seed", "99"],
    );
    let resolved = tmp.join("a").join("scenario.resolved.toml");
    run_to(
        &tmp.join("b"),
        &[resolved.to_str().unwrap(), "--runs", "100", "--seed", "99"],
    );
    for file in OUTPUTS {
        assert!(
            read(&tmp.join("a").join(file)) == read(&tmp.join("b").join(file)),
            "{file} differs"
        );
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&read(&tmp.join("a").join("manifest.json"))).unwrap();
    assert_eq!(manifest["runs"], 100);
    assert_eq!(manifest["seed"], 99);
    assert_eq!(manifest["complete"], true);
    assert_eq!(manifest["scenario_sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn a_non_empty_output_folder_needs_force() {
    let tmp = TempDir::new("force");
    let dest = tmp.join("out");
    run_to(&dest, &["tutorial", "--runs", "10"]);
    let before = read(&dest.join("summary.csv"));
    let out = spheres(&[
        "run",
        "tutorial",
        "--runs",
        "20",
        "--out",
        dest.to_str().unwrap(),
        "--quiet",
    ]);
    assert_refused(&out, "folder is not empty; pass --force");
    assert!(
        read(&dest.join("summary.csv")) == before,
        "refused run changed the folder"
    );
    let out = spheres(&[
        "run",
        "tutorial",
        "--runs",
        "20",
        "--out",
        dest.to_str().unwrap(),
        "--quiet",
        "--force",
    ]);
    assert!(out.status.success());
    assert!(read(&dest.join("summary.csv")) != before);
    let leftovers: Vec<_> = std::fs::read_dir(&dest)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

/// Issue 13: `--force` with fewer outputs left the earlier run's files in a complete folder.
#[test]
fn force_leaves_only_the_new_results() {
    let tmp = TempDir::new("force-stale");
    let dest = tmp.join("out");
    run_to(&dest, &["tutorial", "--runs", "20", "--seed", "1"]);
    std::fs::write(dest.join("notes.txt"), "mine").unwrap();
    let compare = spheres(&[
        "compare",
        "tutorial",
        "tests/fixtures/variant.toml",
        "--runs",
        "4",
        "--no-charts",
        "--quiet",
        "--force",
        "--out",
        dest.to_str().unwrap(),
    ]);
    assert!(compare.status.success(), "{}", stderr(&compare));
    let out = spheres(&[
        "run",
        "tutorial",
        "--runs",
        "5",
        "--seed",
        "2",
        "--summary-only",
        "--no-charts",
        "--quiet",
        "--force",
        "--out",
        dest.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut names: Vec<String> = std::fs::read_dir(&dest)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "columns.csv",
            "indicators.csv",
            "manifest.json",
            "notes.txt",
            "scenario.resolved.toml",
            "summary.csv"
        ],
        "a user's own file stays; every earlier result goes"
    );
}

#[test]
fn without_out_each_run_gets_a_new_folder() {
    let tmp = TempDir::new("default-out");
    for _ in 0..2 {
        let out = spheres_in(&tmp.0, &["run", "tutorial", "--runs", "5", "--quiet"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let folders: Vec<_> = std::fs::read_dir(tmp.join("output")).unwrap().collect();
    assert_eq!(folders.len(), 2, "two runs, two folders");
}

#[test]
fn comparisons_are_identical_across_thread_counts_and_match_single_runs() {
    let tmp = TempDir::new("compare-threads");
    for threads in ["1", "2"] {
        let dest = tmp.join(threads);
        let args = [
            "compare",
            "nobody-steps-in",
            "eu-steps-in",
            "energy-shock",
            "--runs",
            "150",
            "--threads",
            threads,
        ];
        let out = spheres(&[&args[..], &["--out", dest.to_str().unwrap(), "--quiet"]].concat());
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert!(
        read(&tmp.join("1").join("comparison.csv")) == read(&tmp.join("2").join("comparison.csv"))
    );
    // Each arm of a comparison is the same ensemble `spheres run` gives.
    run_to(
        &tmp.join("single"),
        &["eu-steps-in", "--runs", "150", "--seed", "20251125"],
    );
    assert!(
        read(&tmp.join("1").join("eu-steps-in").join("summary.csv"))
            == read(&tmp.join("single").join("summary.csv")),
        "compare's eu-steps-in summary differs from run's"
    );
}

#[test]
fn a_huge_job_needs_yes_when_nobody_can_be_asked() {
    let tmp = TempDir::new("huge");
    let dest = tmp.join("h");
    let out = spheres(&[
        "run",
        "balkans",
        "--runs",
        "100000000",
        "--out",
        dest.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("estimate: about") && stderr(&out).contains("pass --yes"),
        "{}",
        stderr(&out)
    );
    assert!(!dest.exists(), "nothing is created before the answer");
}

/// Issue 15: `--set path=value` on run and compare, with a sweep's key paths; the resolved
/// scenario holds the values, so that it alone reproduces the folder.
#[test]
fn set_changes_keys_and_the_resolved_scenario_reproduces_the_run() {
    let tmp = TempDir::new("set");
    let a = tmp.join("a");
    let sets = [
        "--set",
        "params.inertia=2.5",
        "--set",
        "state.SWG.gas_share_russia=0.5",
        "--set",
        "state.SWG.eu.status=none",
    ];
    run_to(&a, &[&["tutorial", "--runs", "30"][..], &sets[..]].concat());
    let resolved = scenario_text(&a.join("scenario.resolved.toml"));
    let plain = TempDir::new("set-plain");
    run_to(&plain.join("p"), &["tutorial", "--runs", "30"]);
    assert!(
        read(&a.join("summary.csv")) != read(&plain.join("p").join("summary.csv")),
        "the settings change the results"
    );
    let s = spheres::scenario::from_text("resolved.toml", &resolved).unwrap();
    assert_eq!(s.params.inertia, 2.5);
    let swg = &s.state[s.state_index("SWG").unwrap()];
    assert_eq!(swg.gas_share_russia, 0.5);
    assert_eq!(swg.eu.status, spheres::scenario::Status::None);
    let manifest: serde_json::Value =
        serde_json::from_slice(&read(&a.join("manifest.json"))).unwrap();
    assert!(
        manifest["command_line"]
            .as_str()
            .unwrap()
            .contains("--set params.inertia=2.5 --set state.SWG.gas_share_russia=0.5"),
        "{}",
        manifest["command_line"]
    );
    let b = tmp.join("b");
    run_to(
        &b,
        &[
            a.join("scenario.resolved.toml").to_str().unwrap(),
            "--runs",
            "30",
        ],
    );
    for file in OUTPUTS {
        assert!(read(&a.join(file)) == read(&b.join(file)), "{file} differs");
    }
    // compare applies them to every scenario.
    let c = tmp.join("c");
    let out = spheres(
        &[
            &[
                "compare",
                "tutorial",
                "tests/fixtures/variant.toml",
                "--runs",
                "4",
                "--no-charts",
                "--quiet",
                "--out",
                c.to_str().unwrap(),
            ][..],
            &sets[..2],
        ]
        .concat(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    for sub in ["tutorial", "tutorial-variant"] {
        let text = scenario_text(&c.join(sub).join("scenario.resolved.toml"));
        let s = spheres::scenario::from_text("r.toml", &text).unwrap();
        assert_eq!(s.params.inertia, 2.5, "{sub}");
    }
}
