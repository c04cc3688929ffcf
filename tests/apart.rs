//! An output folder is kept apart from the command's inputs: one that is an input, holds one,
//! or lies inside an input folder is refused (exit 2, naming both) before anything is touched.

mod common;

use common::{TempDir, assert_refused, read, spheres_in};
use std::path::Path;

/// A small grid sweep of the tutorial, written beside its scenario in `dir`.
fn write_sweep(dir: &Path) {
    std::fs::write(
        dir.join("grid.toml"),
        "scenario = \"tutorial\"\n[sweep]\ndesign = \"grid\"\npoints = 2\nruns = 2\nseed = 1\n\
         outputs = [\"region.mean_alignment\"]\n[[parameter]]\npath = \"params.inertia\"\n\
         min = 1\nmax = 2\n",
    )
    .unwrap();
}

/// Two shards of the grid sweep in `dir/a1` and `dir/a2`.
fn two_shards(dir: &Path) {
    write_sweep(dir);
    for k in 1..=2 {
        let out = spheres_in(
            dir,
            &[
                "sweep",
                "grid.toml",
                "--shard",
                &format!("{k}/2"),
                "--out",
                &format!("a{k}"),
                "--quiet",
                "--no-charts",
            ],
        );
        assert!(out.status.success(), "{}", common::stderr(&out));
    }
}

#[test]
fn merge_never_writes_into_one_of_its_shards() {
    let tmp = TempDir::new("apart-merge");
    two_shards(&tmp.0);
    let before = read(&tmp.join("a1/results.csv"));
    for out in ["a1", "a1/merged", "."] {
        let refused = spheres_in(&tmp.0, &["merge", "a1", "a2", "--out", out, "--force"]);
        assert_refused(&refused, "choose an --out apart from the command's inputs");
        assert!(common::stderr(&refused).contains("a1"), "names the shard");
    }
    // The shard is untouched, and a folder beside the shards is fine.
    assert_eq!(read(&tmp.join("a1/results.csv")), before);
    assert!(tmp.join("a1/manifest.json").is_file());
    let ok = spheres_in(&tmp.0, &["merge", "a1", "a2", "--out", "merged"]);
    assert!(ok.status.success(), "{}", common::stderr(&ok));
}

#[test]
fn every_out_is_refused_where_it_holds_the_scenario_file() {
    let tmp = TempDir::new("apart-out");
    let dir = tmp.join("work");
    std::fs::create_dir_all(&dir).unwrap();
    let scenario = dir.join("mine.toml");
    std::fs::write(&scenario, "extends = \"tutorial.toml\"\n").unwrap();
    let file = scenario.to_str().unwrap();
    let commands: [&[&str]; 3] = [
        &["run", file, "--runs", "2"],
        &["compare", "tutorial", file, "--runs", "2"],
        &["levers", file, "--runs", "2"],
    ];
    for args in commands {
        let mut args = args.to_vec();
        args.extend(["--out", dir.to_str().unwrap(), "--force", "--quiet"]);
        let out = spheres_in(&tmp.0, &args);
        assert_refused(&out, "the output folder holds the input");
        assert!(
            common::stderr(&out).contains("mine.toml"),
            "names the input"
        );
    }
    assert!(scenario.is_file(), "the scenario file is still there");
    // Another spelling of the same folder, through a folder that does not exist.
    let out = spheres_in(&tmp.0, &["run", file, "--out", "gone/../work", "--force"]);
    assert_refused(&out, "the output folder holds the input");
    assert!(scenario.is_file(), "the scenario file is still there");
}

#[test]
fn a_hindcast_and_a_calibration_keep_apart_from_their_scenario() {
    let tmp = TempDir::new("apart-hindcast");
    for (command, base) in [
        ("hindcast", "hindcast-2020"),
        ("calibrate", "calibrate-2014"),
    ] {
        let scenario = tmp.join("mine.toml");
        std::fs::write(&scenario, format!("extends = \"{base}.toml\"\n")).unwrap();
        let out = spheres_in(&tmp.0, &[command, "mine.toml", "--out", ".", "--force"]);
        assert_refused(&out, "the output folder holds the input");
        assert!(scenario.is_file());
    }
}

#[test]
fn a_non_empty_folder_spelt_another_way_still_needs_force() {
    let tmp = TempDir::new("apart-spelling");
    std::fs::create_dir_all(tmp.join("results")).unwrap();
    std::fs::write(tmp.join("results/notes.txt"), "mine").unwrap();
    let out = spheres_in(
        &tmp.0,
        &["run", "tutorial", "--runs", "2", "--out", "gone/../results"],
    );
    assert_refused(&out, "folder is not empty");
}

#[test]
fn a_sweep_and_its_resume_keep_apart_from_the_sweep_file() {
    let tmp = TempDir::new("apart-sweep");
    write_sweep(&tmp.0);
    let out = spheres_in(&tmp.0, &["sweep", "grid.toml", "--out", ".", "--force"]);
    assert_refused(&out, "the output folder holds the input");
    let whole = spheres_in(&tmp.0, &["sweep", "grid.toml", "--out", "done", "--quiet"]);
    assert!(whole.status.success(), "{}", common::stderr(&whole));
    std::fs::copy(tmp.join("grid.toml"), tmp.join("done/grid.toml")).unwrap();
    let out = spheres_in(
        &tmp.0,
        &["sweep", "done/grid.toml", "--out", "done", "--resume"],
    );
    assert_refused(&out, "the output folder holds the input");
}

#[test]
fn a_posterior_file_inside_out_is_refused() {
    let tmp = TempDir::new("apart-posterior");
    std::fs::create_dir_all(tmp.join("out")).unwrap();
    std::fs::write(
        tmp.join("out/posterior.csv"),
        "particle,weight,params.inertia\n0,1,2\n",
    )
    .unwrap();
    let out = spheres_in(
        &tmp.0,
        &[
            "run",
            "balkans-aggregate",
            "--posterior",
            "out/posterior.csv",
            "--out",
            "out",
            "--force",
        ],
    );
    assert_refused(&out, "the output folder holds the input");
    assert!(tmp.join("out/posterior.csv").is_file());
}
