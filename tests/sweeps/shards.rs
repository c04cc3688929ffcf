//! Shards that merge into the bytes of one sweep, and merge refusing a missing or damaged slice.

use crate::common::{
    DATA, EXTRA_FLAGS, EXTRAS, TempDir, assert_refused, read, small_sobol, spheres, stderr,
    sweep_to,
};
use std::path::Path;
use std::process::Command;

#[test]
fn three_shards_merge_into_the_bytes_of_one_sweep() {
    let tmp = TempDir::new("shards");
    let file = small_sobol(&tmp, 3);
    sweep_to(&file, &tmp.join("whole"), &EXTRA_FLAGS);
    let mut children = Vec::new();
    for k in 1..=3 {
        let dir = tmp.join(&format!("s{k}"));
        children.push(
            Command::new(env!("CARGO_BIN_EXE_spheres"))
                .args([
                    "sweep",
                    &file,
                    "--shard",
                    &format!("{k}/3"),
                    "--out",
                    dir.to_str().unwrap(),
                    "--quiet",
                ])
                .args(EXTRA_FLAGS)
                .spawn()
                .unwrap(),
        );
    }
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let out = spheres(&[
        "merge",
        tmp.join("s3").to_str().unwrap(),
        tmp.join("s1").to_str().unwrap(),
        tmp.join("s2").to_str().unwrap(),
        "--out",
        tmp.join("merged").to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    for f in DATA.iter().chain(&EXTRAS) {
        assert!(
            read(&tmp.join("whole").join(f)) == read(&tmp.join("merged").join(f)),
            "{f} differs after merging"
        );
    }
    every_run_and_month_of_every_point_once(&tmp.join("merged"));
    let missing = spheres(&[
        "merge",
        tmp.join("s1").to_str().unwrap(),
        tmp.join("s3").to_str().unwrap(),
        "--out",
        tmp.join("m2").to_str().unwrap(),
    ]);
    assert_refused(&missing, "is missing or covered twice");
    // Issue 13: merge verifies every row of every slice.
    for (k, damage) in DAMAGES.iter().enumerate() {
        a_damaged_slice_is_refused(&tmp, k, damage);
    }
}

/// Every run of every point of the merged `small_sobol(_, 3)` sweep in `merged` once, in order;
/// a month of every point from the start.
fn every_run_and_month_of_every_point_once(merged: &Path) {
    let runs = String::from_utf8(read(&merged.join("runs.csv"))).unwrap();
    let points = 24 * 4;
    assert_eq!(runs.lines().count(), 1 + points * 3);
    assert_eq!(
        runs.lines()
            .nth(1 + 3 * 50)
            .unwrap()
            .split(',')
            .take(2)
            .collect::<Vec<_>>(),
        ["50", "0"]
    );
    let series = String::from_utf8(read(&merged.join("series.csv"))).unwrap();
    assert_eq!(series.lines().count(), 1 + points * 121);
    assert!(
        series
            .lines()
            .nth(1 + 121)
            .unwrap()
            .starts_with("1,2025-11,")
    );
}

/// A damaged copy of a slice: the file damaged, how, and what merge says of it.
type Damage = (&'static str, fn(&str) -> String, &'static str);

/// The damages merge must notice in slice 2 of three.
const DAMAGES: [Damage; 9] = [
    (
        "manifest.json",
        |t| t.replacen("\"scenario_sha256\": \"", "\"scenario_sha256\": \"0", 1),
        "the `scenario_sha256` of its manifest.json differs",
    ),
    (
        "results.csv",
        |t| t.lines().take(2).map(|l| format!("{l}\n")).collect(),
        "rows; the slice's points",
    ),
    (
        "results.csv",
        |t| t[..t.len() - 7].to_string(),
        "found record with",
    ),
    (
        "results.csv",
        |t| {
            t.replacen(",0.", ",NaN,0.", 1)
                .replacen(",NaN,0.", ",NaN", 1)
        },
        "is not a finite number",
    ),
    (
        "points.csv",
        |t| t.replacen("\n32,", "\n92,", 1),
        "point «92»; expected 32",
    ),
    (
        "results.csv",
        |t| t.replacen("\n33,", "\n33,x", 1),
        "is not a finite number",
    ),
    (
        "runs.csv",
        |t| t.replacen("\n33,1,", "\n33,2,", 1),
        "«33,2»; expected 33,1",
    ),
    (
        "runs.csv",
        |t| t.replacen("\n33,1,", "\n33,1,NaN", 1),
        "is not a finite number",
    ),
    (
        "series.csv",
        |t| t.lines().take(100).map(|l| format!("{l}\n")).collect(),
        "rows; the slice's points",
    ),
];

/// Issue 13: a copy of slice 2 in `tmp` spoilt by `damage` is refused, naming the file and the
/// row, and no folder claims to be complete; `k` numbers the copy.
fn a_damaged_slice_is_refused(tmp: &TempDir, k: usize, (file, spoil, message): &Damage) {
    let copy = tmp.join(&format!("damaged{k}"));
    std::fs::create_dir(&copy).unwrap();
    for entry in std::fs::read_dir(tmp.join("s2")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), copy.join(entry.file_name())).unwrap();
        }
    }
    let text = std::fs::read_to_string(copy.join(file)).unwrap();
    std::fs::write(copy.join(file), spoil(&text)).unwrap();
    let dest = tmp.join(&format!("m-damaged{k}"));
    let out = spheres(&[
        "merge",
        tmp.join("s1").to_str().unwrap(),
        copy.to_str().unwrap(),
        tmp.join("s3").to_str().unwrap(),
        "--out",
        dest.to_str().unwrap(),
    ]);
    assert_refused(&out, message);
    assert!(stderr(&out).contains(file), "{}", stderr(&out));
    assert!(
        !dest.join("manifest.json").exists(),
        "a damaged merge claims completeness"
    );
}
