//! Bad sweep files (the corpus in tests/bad-sweeps/) and options that cannot apply.

use crate::common::{TempDir, assert_refused, read, spheres, stderr};

#[test]
fn every_bad_sweep_file_is_refused_with_its_message() {
    for entry in std::fs::read_dir("tests/bad-sweeps").unwrap() {
        let file = entry.unwrap().path();
        let text = String::from_utf8(read(&file)).unwrap();
        let expect = text
            .lines()
            .next()
            .unwrap()
            .strip_prefix("# expect: ")
            .unwrap();
        let tmp = TempDir::new("bad-sweep");
        let dest = tmp.join("out");
        let out = spheres(&[
            "sweep",
            file.to_str().unwrap(),
            "--out",
            dest.to_str().unwrap(),
            "--quiet",
        ]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}: {}",
            file.display(),
            stderr(&out)
        );
        assert!(
            stderr(&out).contains(expect),
            "{}: expected «{expect}» in {}",
            file.display(),
            stderr(&out)
        );
        assert!(
            !dest.exists(),
            "{}: an output folder was created",
            file.display()
        );
    }
}

/// Issue 13: options that do not apply, or ask for too much, are refused rather than ignored.
#[test]
fn options_that_cannot_apply_are_refused() {
    let out = spheres(&["sweep", "scenarios/sweeps/grid.toml", "--runs", "3"]);
    assert_refused(&out, "--runs and --seed do not apply to a sweep");
    let out = spheres(&["run", "tutorial", "--threads", "100000", "--runs", "2"]);
    assert_refused(&out, "--threads 100000: at most 1024 worker threads");
    let tmp = TempDir::new("params");
    let twice = tmp.join("twice.txt");
    std::fs::write(&twice, "x1 0 1\nx1 0 2\n").unwrap();
    let out = spheres(&[
        "sample",
        "lhs",
        "--n",
        "4",
        "--params",
        twice.to_str().unwrap(),
    ]);
    assert_refused(&out, "twice.txt:2: x1 is named twice");
    let out = spheres(&[
        "sample",
        "lhs",
        "--n",
        "4",
        "--params",
        tmp.0.to_str().unwrap(),
    ]);
    assert_refused(&out, "is a folder; expected a file");
    let out = spheres(&["sample", "lhs", "--n", "4", "--params", "/dev/zero"]);
    assert_refused(&out, "is not a regular file");
}
