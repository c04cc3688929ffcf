//! `spheres forecast`: a forecast that cannot see past its origin (byte-identical when the
//! data after it are deleted, history included), the origin's standing read from the panel's
//! history as the scripts wrote it into scenarios/europe.toml, rolling origins scored, and the
//! errors a user can meet.

mod common;

use common::{TempDir, assert_refused, read, spheres};
use spheres::measure::{self, History, Sources, month_of};
use std::path::Path;

/// The year of a data line (its first date or year column), for every file of the data folder.
fn year_of(name: &str, line: &str) -> i32 {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    let record = reader.records().next().unwrap().unwrap();
    let k = match name {
        n if n.contains("ideal_points") => 4,
        n if n.contains("milestones") => 3,
        n if n.contains("blocks") => 4,
        _ => 1,
    };
    record[k][..4].parse().unwrap()
}

/// A copy of the data under `dir` with every row dated after `last` deleted (a veto's end
/// after it blanked: then it was still in force).
fn data_up_to(dir: &Path, last: Option<i32>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    for name in measure::DATA_FILES {
        let text = String::from_utf8(read(&root.join(name))).unwrap();
        let mut kept = String::new();
        for (k, line) in text.lines().enumerate() {
            let keep = k == 0
                || name.contains("families")
                || last.is_none_or(|y| year_of(name, line) <= y);
            if !keep {
                continue;
            }
            let line = match (name.contains("blocks"), last) {
                (true, Some(y)) if k > 0 => blank_late_end(line, y),
                _ => line.to_string(),
            };
            kept.push_str(&line);
            kept.push('\n');
        }
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, kept).unwrap();
    }
}

/// A veto row with its end blanked if it ends after `last`.
fn blank_late_end(line: &str, last: i32) -> String {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    let mut record: Vec<String> = reader
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(String::from)
        .collect();
    if record[5]
        .get(..4)
        .and_then(|y| y.parse::<i32>().ok())
        .is_some_and(|y| y > last)
    {
        record[5].clear();
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&record).unwrap();
    String::from_utf8(w.into_inner().unwrap())
        .unwrap()
        .trim_end()
        .to_string()
}

#[test]
fn a_forecast_is_the_same_when_the_data_after_its_origin_are_deleted() {
    let tmp = TempDir::new("forecast-cut");
    data_up_to(&tmp.join("all"), None);
    data_up_to(&tmp.join("cut"), Some(2014));
    for (data, out) in [("all", "out-all"), ("cut", "out-cut")] {
        let (data, out) = (tmp.join(data), tmp.join(out));
        let done = spheres(&[
            "forecast",
            "europe",
            "--origin",
            "2014",
            "--years",
            "2",
            "--runs",
            "40",
            "--no-charts",
            "--data",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(done.status.success(), "{}", common::stderr(&done));
    }
    common::assert_same_files(
        &tmp.join("out-all"),
        &tmp.join("out-cut"),
        &["forecast.csv", "observations.csv", "scenario.resolved.toml"],
        "when the data after 2014 are deleted",
    );
    let text = String::from_utf8(read(&tmp.join("out-all").join("forecast.csv"))).unwrap();
    assert!(text.starts_with("series,state,year,mean,p05,p10,p25,p50,p75,p90,p95\n"));
    for year in [2014, 2015, 2016] {
        assert!(
            text.contains(&format!("unga_ideal_point,SRB,{year},")),
            "{year}"
        );
    }
    // Quantiles in order on every row.
    for line in text.lines().skip(1) {
        let v: Vec<f64> = line
            .split(',')
            .skip(4)
            .map(|x| x.parse().unwrap())
            .collect();
        assert!(v.windows(2).all(|w| w[0] <= w[1]), "{line}");
    }
}

#[test]
fn the_standing_in_2001_is_what_the_scripts_wrote_into_europe() {
    let history = History::read(&Sources::bundled()).unwrap();
    let scenario = spheres::scenario::load("europe").unwrap();
    let start = month_of(2001, 1);
    for s in &scenario.state {
        for (org, m) in [("EU", &s.eu), ("NATO", &s.nato)] {
            let got = history.stage_at(&s.code, org, start);
            assert_eq!(got.stage, m.status.name(), "{} {org}", s.code);
            assert_eq!(got.blocked, m.blocked, "{} {org}", s.code);
            if got.stage != "none" {
                assert_eq!(got.since.map(i64::from), m.since, "{} {org}", s.code);
            }
        }
        if let Some(e) = &s.elections {
            let c = history.calendar_at(&s.code, start).unwrap();
            assert_eq!(c.incumbent_wins, e.incumbent_wins, "{}", s.code);
        }
    }
}

#[test]
fn rolling_origins_score_every_later_session_against_three_references() {
    let tmp = TempDir::new("forecast-rolling");
    let out = tmp.join("out");
    let done = spheres(&[
        "forecast",
        "europe",
        "--origins",
        "2012:2013",
        "--years",
        "2",
        "--runs",
        "20",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(done.status.success(), "{}", common::stderr(&done));
    let skill = String::from_utf8(read(&out.join("skill.csv"))).unwrap();
    assert!(
        skill.lines().any(|l| l.starts_with("horizon,1,")),
        "{skill}"
    );
    assert!(
        skill.lines().any(|l| l.starts_with("origin,2013,")),
        "{skill}"
    );
    let scores = String::from_utf8(read(&out.join("scores.csv"))).unwrap();
    // Two origins, two horizons, about 45 states each: every item after its origin.
    let items: Vec<&str> = scores.lines().skip(1).collect();
    assert!(items.len() > 150, "{}", items.len());
    for line in items {
        let cells: Vec<&str> = line.split(',').collect();
        let (origin, year): (i32, i32) = (cells[0].parse().unwrap(), cells[2].parse().unwrap());
        assert!(year > origin && year <= origin + 2, "{line}");
    }
    let pit = String::from_utf8(read(&out.join("pit.csv"))).unwrap();
    assert_eq!(pit.lines().count(), 11);
    assert!(common::page(&out).contains("PIT histogram"));
}

#[test]
fn bad_forecasts_are_refused_with_what_to_do() {
    let refused = |args: &[&str], needle: &str| assert_refused(&spheres(args), needle);
    refused(
        &["forecast", "europe", "--origin", "2021", "--years", "0"],
        "--years 0",
    );
    refused(
        &[
            "forecast",
            "europe",
            "--origins",
            "2019:2005",
            "--years",
            "2",
        ],
        "FROM:TO",
    );
    refused(
        &["forecast", "tutorial", "--origin", "2021", "--years", "2"],
        "start_from",
    );
    refused(
        &["forecast", "balkans", "--origin", "2021", "--years", "2"],
        "such as europe",
    );
    refused(
        &["forecast", "europe", "--origin", "1995", "--years", "2"],
        "later origin",
    );
    refused(
        &["forecast", "europe", "--origin", "21-12", "--years", "2"],
        "--origin",
    );
}
