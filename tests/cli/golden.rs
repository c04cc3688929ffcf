//! What the outputs hold: summary.csv's columns, the golden hashes in tests/golden/, a scenario
//! compared with itself, trajectories.

use crate::common::{TempDir, read, run_to, spheres, stderr};
use std::path::Path;

#[test]
fn summary_has_the_documented_columns_and_no_nan() {
    let tmp = TempDir::new("columns");
    run_to(&tmp.join("o"), &["balkans", "--runs", "50"]);
    let summary = String::from_utf8(read(&tmp.join("o").join("summary.csv"))).unwrap();
    assert!(
        summary.starts_with(
            "date,state,indicator,mean,sd,p05,p25,p50,p75,p95,sd_noise,sd_parameters\n"
        )
    );
    assert!(!summary.contains("NaN") && !summary.contains("inf"));
    // Per month: 14 states and BIH with 7 indicators, 2 more with citizens (polarisation,
    // protest share), 11 group means (SRB 1, RS 2, FBiH 2, MNE 4, MKD 2), 4 regional; 121 months.
    assert_eq!(summary.lines().count(), 1 + 121 * (15 * 9 + 11 + 4));
    assert!(
        summary.contains("\n2025-11,MNE,opinion_serbs,"),
        "group means are reported"
    );
    assert!(
        summary.contains("\n2025-11,BIH,alignment,"),
        "the parent is reported"
    );
    let outcomes = String::from_utf8(read(&tmp.join("o").join("outcomes.csv"))).unwrap();
    assert!(outcomes.starts_with("run,draw,seed,SRB_alignment,"));
    assert_eq!(outcomes.lines().count(), 51);
    let events = String::from_utf8(read(&tmp.join("o").join("events.csv"))).unwrap();
    assert!(events.starts_with("run,date,state,event,alignment,opinion\n"));
}

/// A golden hash of a small tutorial ensemble: any change to the model, the random streams or
/// the formats shows here. After an intended change, regenerate with SPHERES_BLESS=1.
#[test]
fn tutorial_matches_its_golden_output() {
    use sha2::{Digest, Sha256};
    let tmp = TempDir::new("golden");
    run_to(
        &tmp.join("g"),
        &["tutorial", "--runs", "200", "--seed", "7", "--threads", "2"],
    );
    let mut lines = String::new();
    for file in ["summary.csv", "outcomes.csv", "events.csv"] {
        let digest = Sha256::digest(read(&tmp.join("g").join(file)));
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        lines.push_str(&format!("{hex}  {file}\n"));
    }
    let golden = Path::new("tests/golden/tutorial-200-seed7.sha256");
    if std::env::var_os("SPHERES_BLESS").is_some() {
        std::fs::write(golden, &lines).unwrap();
    }
    assert_eq!(
        String::from_utf8(read(golden)).unwrap(),
        lines,
        "outputs changed; if intended, run with SPHERES_BLESS=1"
    );
}

#[test]
fn a_scenario_compared_with_itself_differs_by_exactly_zero() {
    let tmp = TempDir::new("self");
    let dest = tmp.join("c");
    let out = spheres(&[
        "compare",
        "balkans",
        "balkans",
        "--runs",
        "200",
        "--out",
        dest.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(read(&dest.join("comparison.csv"))).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (scenario, diff, low, high) = (
        col("scenario"),
        col("diff"),
        col("diff_low"),
        col("diff_high"),
    );
    let mut variant_rows = 0;
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        if f[scenario] == "balkans-2" {
            variant_rows += 1;
            for c in [diff, low, high] {
                assert_eq!(f[c], "0.000000", "{line}");
            }
        }
    }
    assert_eq!(
        variant_rows,
        15 * 9 + 11 + 4,
        "every unit and indicator is compared"
    );
    assert!(dest.join("balkans").join("summary.csv").exists());
    assert!(
        read(&dest.join("balkans").join("summary.csv"))
            == read(&dest.join("balkans-2").join("summary.csv"))
    );
}

#[test]
fn trajectories_hold_every_month_of_the_first_runs() {
    let tmp = TempDir::new("trajectories");
    run_to(
        &tmp.join("t"),
        &["tutorial", "--runs", "20", "--trajectories", "3"],
    );
    let text = String::from_utf8(read(&tmp.join("t").join("trajectories.csv"))).unwrap();
    assert!(text.starts_with("run,date,state,indicator,value\n"));
    // 3 runs x 61 months x (3 states x 7 indicators + 4 regional).
    assert_eq!(text.lines().count(), 1 + 3 * 61 * (3 * 7 + 4));
    assert!(
        text.lines()
            .skip(1)
            .all(|l| ["0,", "1,", "2,"].iter().any(|p| l.starts_with(p)))
    );
    // The last month of run 0 is run 0's row in outcomes.csv.
    let outcomes = String::from_utf8(read(&tmp.join("t").join("outcomes.csv"))).unwrap();
    let first = outcomes.lines().nth(1).unwrap();
    let swg = text
        .lines()
        .find(|l| l.starts_with("0,2031-01,SWG,alignment,"))
        .unwrap();
    assert!(first.starts_with(&format!("0,0,7,{}", swg.rsplit(',').next().unwrap())));
}

/// Every column of every CSV file of a run, a comparison and a lever table has its row in the
/// folder's columns.csv (a pattern row, `<...>`, stands for the columns a scenario names).
#[test]
fn the_column_dictionary_covers_every_column_written() {
    let tmp = TempDir::new("dictionary");
    let runs = ["--runs", "20", "--no-charts", "--quiet", "--out"];
    let jobs: [(&str, Vec<&str>); 3] = [
        (
            "run",
            vec!["run", "balkans-aggregate", "--trajectories", "2"],
        ),
        ("compare", vec!["compare", "tutorial", "tutorial"]),
        ("levers", vec!["levers", "tutorial"]),
    ];
    for (name, args) in jobs {
        let out = tmp.join(name);
        let all = [&args[..], &runs[..], &[out.to_str().unwrap()]].concat();
        let o = spheres(&all);
        assert!(o.status.success(), "{all:?}: {}", stderr(&o));
        let dictionary = std::fs::read_to_string(out.join("columns.csv")).unwrap();
        let rows: Vec<Vec<&str>> = dictionary
            .lines()
            .map(|l| l.splitn(3, ',').collect())
            .collect();
        let mut checked = 0;
        for file in csv_files(&out) {
            let base = file.file_name().unwrap().to_str().unwrap().to_string();
            if base == "columns.csv" {
                continue;
            }
            let head = std::fs::read_to_string(&file).unwrap();
            for column in head.lines().next().unwrap().split(',') {
                let listed = rows
                    .iter()
                    .any(|r| r[0] == base && (r[1] == column || r[1].starts_with('<')));
                assert!(
                    listed,
                    "{name}: {base} column `{column}` is not in columns.csv"
                );
                checked += 1;
            }
        }
        assert!(checked > 20, "{name}: {checked} columns");
    }
}

/// The CSV files under `dir`, its subfolders' included.
fn csv_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(csv_files(&path));
        } else if path.extension().is_some_and(|e| e == "csv") {
            out.push(path);
        }
    }
    out
}
