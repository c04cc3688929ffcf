//! Charts and index.html: every expected chart exists, decodes, has its size and is not blank;
//! SVGs parse; the page references every chart that exists and nothing that does not.

mod common;

use common::{TempDir, assert_refused, read, spheres, stderr};
use std::collections::BTreeSet;
use std::path::Path;

fn charts_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// Chart files the page links to (`charts/NAME.png` and `.svg`).
fn referenced(dir: &Path) -> BTreeSet<String> {
    let html = String::from_utf8(read(&dir.join("index.html"))).unwrap();
    html.split("\"charts/")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect()
}

fn check_chart_files(dir: &Path, expected: &[(&str, (u32, u32))]) {
    let present = charts_in(dir);
    for (name, (w, h)) in expected {
        let png = format!("{name}.png");
        let svg = format!("{name}.svg");
        assert!(
            present.contains(&png) && present.contains(&svg),
            "{}: {name} missing",
            dir.display()
        );
        let image = image::load_from_memory(&read(&dir.join("charts").join(&png)))
            .expect("the PNG decodes")
            .to_rgb8();
        assert_eq!(image.dimensions(), (*w, *h), "{png} size");
        let colours: BTreeSet<[u8; 3]> = image.pixels().map(|p| p.0).collect();
        assert!(
            colours.len() > 20,
            "{png} looks blank ({} colours)",
            colours.len()
        );
        let text = String::from_utf8(read(&dir.join("charts").join(&svg))).unwrap();
        let doc = roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{svg} does not parse: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        assert!(text.contains("<text"), "{svg} has no text");
    }
    assert_eq!(
        referenced(dir),
        present,
        "{}: the page and the charts folder disagree",
        dir.display()
    );
    assert!(
        present.iter().all(|f| !f.starts_with(".partial")),
        "temporary files left"
    );
}

#[test]
fn a_run_draws_every_chart_and_a_page_that_shows_them() {
    let tmp = TempDir::new("report-run");
    let dir = tmp.join("r");
    let out = spheres(&[
        "run",
        "tutorial",
        "--runs",
        "60",
        "--out",
        dir.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut expected = vec![
        ("regional", (1000, 960)),
        ("map", (1000, 760)),
        ("leaning", (1000, 180)),
        ("fans", (1600, 310)),
    ];
    for unit in ["SWG", "KIN", "EUM"] {
        expected.push((
            Box::leak(format!("fan-{unit}").into_boxed_str()),
            (900, 520),
        ));
    }
    check_chart_files(&dir, &expected);
    let html = String::from_utf8(read(&dir.join("index.html"))).unwrap();
    for needle in [
        "Three imaginary states",
        "60 runs, seed 7",
        "summary.csv",
        "scenario.resolved.toml",
        "Swingland",
    ] {
        assert!(html.contains(needle), "index.html lacks {needle}");
    }
    assert!(!html.contains("<script"), "no JavaScript");
    let manifest: serde_json::Value =
        serde_json::from_slice(&read(&dir.join("manifest.json"))).unwrap();
    assert!(
        manifest["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "index.html")
    );
}

#[test]
fn a_comparison_draws_forest_plots_and_each_scenarios_report() {
    let tmp = TempDir::new("report-compare");
    let dir = tmp.join("c");
    let out = spheres(&[
        "compare",
        "nobody-steps-in",
        "eu-steps-in",
        "--runs",
        "40",
        "--out",
        dir.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    check_chart_files(
        &dir,
        &[
            ("forest-eu-steps-in", (900, 550)),
            ("regional", (1000, 960)),
        ],
    );
    for sub in ["nobody-steps-in", "eu-steps-in"] {
        check_chart_files(
            &dir.join(sub),
            &[
                ("map", (1000, 760)),
                ("fan-SRB", (900, 520)),
                ("fan-BIH", (900, 520)),
            ],
        );
    }
    let html = String::from_utf8(read(&dir.join("index.html"))).unwrap();
    assert!(
        html.contains("href=\"eu-steps-in/index.html\"")
            && html.contains("href=\"nobody-steps-in/index.html\"")
    );
}

#[test]
fn no_charts_means_no_charts() {
    let tmp = TempDir::new("no-charts");
    let dir = tmp.join("n");
    let out = spheres(&[
        "run",
        "tutorial",
        "--runs",
        "10",
        "--no-charts",
        "--out",
        dir.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(out.status.success());
    assert!(!dir.join("charts").exists() && !dir.join("index.html").exists());
    // ...and `spheres report` draws them afterwards, the same as a run would have.
    let out = spheres(&["report", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("charts").join("map.png").exists() && dir.join("index.html").exists());
}

#[test]
fn report_on_a_folder_that_is_not_an_output_says_so() {
    let tmp = TempDir::new("not-output");
    let out = spheres(&["report", tmp.0.to_str().unwrap()]);
    assert_refused(&out, "manifest.json: missing");
}

/// Issue 13: a tampered folder made `report` panic (an assertion in the Wilson interval, or
/// `inf`); now it is refused as bad input, or drawn without panicking.
#[test]
fn report_on_a_tampered_folder_never_panics() {
    let tmp = TempDir::new("tampered");
    let dir = tmp.join("run");
    let out = spheres(&[
        "run",
        "tutorial",
        "--runs",
        "20",
        "--quiet",
        "--no-charts",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let summary = std::fs::read_to_string(dir.join("summary.csv")).unwrap();
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    let cases: [(&str, String, Option<&str>); 3] = [
        (
            "summary.csv",
            summary
                .replacen(",0.", ",inf,0.", 1)
                .replacen(",inf,0.", ",inf", 1),
            Some("is not a finite number"),
        ),
        (
            "manifest.json",
            manifest.replace("\"runs\": 20", "\"runs\": 0"),
            Some("`runs` is 0"),
        ),
        (
            "summary.csv",
            summary
                .lines()
                .map(|l| {
                    if l.contains(",moscow_leaning,") {
                        let mut cells: Vec<&str> = l.split(',').collect();
                        cells[3] = "7.5";
                        cells.join(",")
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
                + "\n",
            None,
        ),
    ];
    for (file, text, refused) in cases {
        std::fs::write(dir.join(file), &text).unwrap();
        let out = spheres(&["report", dir.to_str().unwrap()]);
        match refused {
            Some(message) => assert_refused(&out, message),
            None => assert!(out.status.success(), "{}", stderr(&out)),
        }
        std::fs::write(dir.join("summary.csv"), &summary).unwrap();
        std::fs::write(dir.join("manifest.json"), &manifest).unwrap();
    }
}

/// Issue 13: `report` drew charts for a sweep folder whose results.csv was garbage.
#[test]
fn report_refuses_a_sweep_folder_with_garbage_results() {
    let tmp = TempDir::new("garbage-sweep");
    let dir = tmp.join("grid");
    let out = spheres(&[
        "sweep",
        "scenarios/sweeps/grid.toml",
        "--quiet",
        "--no-charts",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let results = std::fs::read_to_string(dir.join("results.csv")).unwrap();
    std::fs::write(dir.join("results.csv"), results.replacen(",0.", ",x0.", 1)).unwrap();
    let out = spheres(&["report", dir.to_str().unwrap()]);
    assert_refused(
        &out,
        "is not a finite number; is this a spheres sweep folder?",
    );
}
