//! `spheres run --trace K` (docs/MODEL.md 7.4, "Channels"): every month's move of every
//! government is split into channels that sum to it, the same for any thread count.

mod common;

use common::{TempDir, read, spheres};
use std::collections::BTreeMap;

/// trace.csv of a run of balkans-aggregate on `threads` threads.
fn trace(tmp: &TempDir, threads: &str) -> String {
    let out = tmp.join(&format!("t{threads}"));
    let done = spheres(&[
        "run",
        "balkans-aggregate",
        "--runs",
        "6",
        "--seed",
        "3",
        "--trace",
        "2",
        "--threads",
        threads,
        "--no-charts",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(done.status.success(), "{}", common::stderr(&done));
    String::from_utf8(read(&out.join("trace.csv"))).unwrap()
}

#[test]
fn the_channels_sum_to_each_months_move() {
    let tmp = TempDir::new("trace");
    let text = trace(&tmp, "2");
    assert_eq!(
        text,
        trace(&tmp, "1"),
        "trace.csv depends on the thread count"
    );
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let first = header.iter().position(|h| *h == "arms").unwrap();
    let events = header.iter().position(|h| *h == "events").unwrap();
    assert_eq!(header[3], "alignment");
    let mut last: BTreeMap<(String, String), f64> = BTreeMap::new();
    let (mut checked, mut levers, mut moved_by_events) = (0, 0.0_f64, 0.0_f64);
    let mut runs = std::collections::BTreeSet::new();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let v = |k: usize| cells[k].parse::<f64>().unwrap();
        runs.insert(cells[0].to_string());
        let key = (cells[0].to_string(), cells[2].to_string());
        let parts: f64 = (first..=events).map(v).sum();
        if let Some(before) = last.insert(key, v(3)) {
            // Six-decimal rounding of thirteen printed numbers.
            assert!(
                (v(3) - before - parts).abs() < 2e-5,
                "{line}: moved {} but the parts sum to {parts}",
                v(3) - before
            );
            checked += 1;
        }
        levers = levers.max((first..first + 5).map(|k| v(k).abs()).fold(0.0, f64::max));
        moved_by_events = moved_by_events.max(v(events).abs());
    }
    assert_eq!(runs.len(), 2, "the first two runs only");
    assert!(checked > 2000, "{checked} months checked");
    assert!(levers > 0.001, "the levers pull somewhere: {levers}");
    assert!(
        moved_by_events > 0.001,
        "an event or shock moves someone: {moved_by_events}"
    );
}

/// A comparison's channels.csv splits each state's paired difference exactly: its channels
/// sum to comparison.csv's difference in alignment (docs/MODEL.md 7.4, "Channels").
#[test]
fn a_comparisons_channels_sum_to_its_differences() {
    let tmp = TempDir::new("channels");
    let out = tmp.join("cmp");
    let done = spheres(&[
        "compare",
        "nobody-steps-in",
        "eu-steps-in",
        "--fixed",
        "--runs",
        "20",
        "--seed",
        "5",
        "--no-charts",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(done.status.success(), "{}", common::stderr(&done));
    let channels = String::from_utf8(read(&out.join("channels.csv"))).unwrap();
    let mut sums: BTreeMap<String, f64> = BTreeMap::new();
    for line in channels.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        *sums.entry(c[1].to_string()).or_default() += c[3].parse::<f64>().unwrap();
    }
    let comparison = String::from_utf8(read(&out.join("comparison.csv"))).unwrap();
    let mut checked = 0;
    for line in comparison.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        if c[0] == "eu-steps-in" && c[2] == "alignment" && !c[10].is_empty() {
            let diff: f64 = c[10].parse().unwrap();
            // A parent (Bosnia) and the region are not governments: no channels of their own.
            let Some(&sum) = sums.get(c[1]) else {
                continue;
            };
            assert!(
                (sum - diff).abs() < 2e-5,
                "{}: channels sum to {sum}, the difference is {diff}",
                c[1]
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "{checked} states checked");
    assert!(
        sums.values().any(|s| s.abs() > 0.005),
        "the EU moves someone: {sums:?}"
    );
}
