//! Charts and index.html: every expected chart exists, decodes, has its size and is not blank;
//! SVGs parse; the page references every chart that exists and nothing that does not; a series
//! that is constant or absent gets a one-line note in the page instead of a chart (issue 15).

mod common;

use common::{TempDir, assert_refused, page, read, spheres, stderr};
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

/// The regional chart's size: 300 pixels per panel drawn, a panel being left out (with a
/// "Not drawn: …" note) when its series is the same in every month and run.
fn regional_size(html: &str) -> Option<(u32, u32)> {
    let flat = html.matches("Not drawn: ").count() as u32;
    (flat < 3).then(|| (1000, 60 + 300 * (3 - flat)))
}

/// What every page promises: what its ranges measure (run-to-run noise only, or the uncertain
/// coefficients with it), probabilities never as "0 % (0–0)".
fn check_words(html: &str) {
    assert!(
        html.contains("run-to-run noise only")
            || html.contains("uncertain coefficients and run-to-run noise")
            || html.contains("coefficients plus run-to-run noise"),
        "the page says what its ranges measure"
    );
    assert!(
        !html.contains("(0–0)") && !html.contains("0 % (0"),
        "a probability printed as 0 % (0–0)"
    );
    assert!(!html.contains("<script"), "no JavaScript");
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
    let html = page(&dir);
    let mut expected = vec![("leaning", (1000, 180)), ("fans", (1600, 310))];
    if let Some(size) = regional_size(&html) {
        expected.push(("regional", size));
    }
    for unit in ["SWG", "KIN", "EUM"] {
        expected.push((
            Box::leak(format!("fan-{unit}").into_boxed_str()),
            (900, 520),
        ));
    }
    check_chart_files(&dir, &expected);
    for needle in [
        "Three imaginary states",
        "60 runs, seed 7",
        "summary.csv",
        "scenario.resolved.toml",
        "Swingland",
        "there is no start-up period",
    ] {
        assert!(html.contains(needle), "index.html lacks {needle}");
    }
    check_words(&html);
    // The tutorial has no coordinates: a note, not an empty map; no Camp Bondsteel either.
    assert!(!dir.join("charts").join("map.png").exists());
    assert!(html.contains("No map: the scenario gives no coordinates"));
    assert!(
        !html.contains("Bondsteel"),
        "Camp Bondsteel on a page whose scenario has no [region] bondsteel_reach"
    );
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
    let html = page(&dir);
    let mut expected = vec![
        ("forest-eu-steps-in", (900, 550)),
        ("fan-eu-steps-in-SRB", (680, 440)),
        ("fan-eu-steps-in-BIH-SRP", (680, 440)),
    ];
    if let Some(size) = regional_size(&html) {
        expected.push(("regional", size));
    }
    check_chart_files(&dir, &expected);
    for sub in ["nobody-steps-in", "eu-steps-in"] {
        check_chart_files(
            &dir.join(sub),
            &[
                ("map", (1000, 780)),
                ("fan-SRB", (900, 520)),
                ("fan-BIH", (900, 520)),
            ],
        );
        let sub_page = page(&dir.join(sub));
        check_words(&sub_page);
        assert!(sub_page.contains("Camp Bondsteel"), "the Balkans name it");
    }
    assert!(
        html.contains("href=\"eu-steps-in/index.html\"")
            && html.contains("href=\"nobody-steps-in/index.html\"")
    );
    check_words(&html);
    // The headline per state in words and numbers, levels beside differences, every event's
    // probability, the scenarios' descriptions, names rather than codes.
    for needle in [
        "What changes with eu-steps-in instead of nobody-steps-in",
        "<b>Serbia (SRB)</b>: today",
        "with nobody-steps-in,",
        "nobody-steps-in: median",
        "eu-steps-in: 90 % of runs",
        "Threshold events at",
        "The EU funds accession credibility",
        "How sure is the model?",
        "Republika Srpska (BIH-SRP)",
    ] {
        assert!(
            html.contains(needle),
            "the comparison page lacks «{needle}»"
        );
    }
    // The forest plot states its fixed scale.
    let svg = String::from_utf8(read(&dir.join("charts").join("forest-eu-steps-in.svg"))).unwrap();
    assert!(
        svg.contains("fixed scale ±0.5"),
        "the forest plot's scale is stated"
    );
}

/// Issue 15: no empty or constant chart. A unit whose alignment is the same in every month and
/// run gets no fan chart and a note; an all-zero leaning chart is a note; so is a map without
/// coordinates.
#[test]
fn a_constant_or_empty_series_gets_a_note_not_a_chart() {
    let tmp = TempDir::new("constant");
    let dir = tmp.join("t");
    let out = spheres(&[
        "run",
        "tutorial",
        "--runs",
        "30",
        "--quiet",
        "--no-charts",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = std::fs::read_to_string(dir.join("summary.csv")).unwrap();
    let flat: String = summary
        .lines()
        .map(|l| {
            let mut cells: Vec<String> = l.split(',').map(String::from).collect();
            if cells.len() > 3 && cells[1] == "KIN" && cells[2] == "alignment" {
                // mean, sd, p05..p95
                for (k, cell) in cells.iter_mut().enumerate().skip(3) {
                    *cell = if k == 4 { "0".into() } else { "0.5".into() };
                }
            }
            if cells.len() > 3 && cells[2] == "moscow_leaning" {
                for cell in cells.iter_mut().skip(3) {
                    *cell = "0".into();
                }
            }
            cells.join(",")
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    std::fs::write(dir.join("summary.csv"), flat).unwrap();
    let out = spheres(&["report", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = page(&dir);
    let charts = charts_in(&dir);
    assert!(
        !charts.contains("fan-KIN.png"),
        "a constant fan chart was drawn"
    );
    assert!(charts.contains("fan-SWG.png") && charts.contains("fans.png"));
    assert!(
        html.contains("Not drawn, because their alignment is the same in every month and run: Kinland (KIN) at +0.50"),
        "no note for the constant state"
    );
    assert!(
        !charts.contains("leaning.png"),
        "an all-zero chart was drawn"
    );
    assert!(html.contains("No state leans to Moscow"));
    assert!(!charts.contains("map.png"));
    assert!(html.contains("No map"));
    // Every regional panel either is drawn or has its note.
    if let Some(size) = regional_size(&html) {
        check_chart_files(&dir, &[("regional", size)]);
    } else {
        assert!(!charts.contains("regional.png"));
    }
}

/// A sweep's outputs that do not vary over the grid get a note instead of a uniform heatmap,
/// and the others a heatmap with its colour bar.
#[test]
fn a_sweep_output_that_does_not_vary_gets_a_note() {
    let tmp = TempDir::new("sweep-notes");
    let dir = tmp.join("grid");
    let out = spheres(&[
        "sweep",
        "scenarios/sweeps/grid.toml",
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = page(&dir);
    let charts = charts_in(&dir);
    let results = std::fs::read_to_string(dir.join("results.csv")).unwrap();
    let mut lines = results.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let manifest: serde_json::Value =
        serde_json::from_slice(&read(&dir.join("manifest.json"))).unwrap();
    let outputs = manifest["outputs"].as_array().unwrap().clone();
    let mut notes = 0;
    for output in outputs {
        let output = output.as_str().unwrap();
        let at = head
            .iter()
            .position(|h| *h == format!("{output}_mean"))
            .unwrap();
        let first = rows[0][at];
        let uniform = rows.iter().all(|r| r[at] == first);
        let name = format!("heatmap-{}.png", output.replace('.', "_"));
        assert_eq!(
            charts.contains(&name),
            !uniform,
            "{output}: uniform {uniform}, chart drawn {}",
            charts.contains(&name)
        );
        if uniform {
            notes += 1;
            assert!(
                html.contains(&format!("{output}: "))
                    && html.contains("at every point of the grid"),
                "{output}: no note"
            );
        }
    }
    assert!(
        notes > 0 && notes < 5,
        "the grid sweep has outputs of both kinds"
    );
    let drawn: Vec<String> = charts
        .iter()
        .filter(|c| c.ends_with(".png"))
        .map(|c| c.trim_end_matches(".png").to_string())
        .collect();
    for name in &drawn {
        let image = image::load_from_memory(&read(&dir.join("charts").join(format!("{name}.png"))))
            .unwrap()
            .to_rgb8();
        let size = image.dimensions();
        check_chart_files(&dir, &[(name.as_str(), size)]);
        let svg = String::from_utf8(read(&dir.join("charts").join(format!("{name}.svg")))).unwrap();
        assert!(svg.contains("colour scale"), "{name}: no colour bar");
    }
}

/// `spheres report` on a hindcast folder draws its outcomes, its reliability diagram and its
/// continuous targets, and writes its page; with `--known-only` the page, the manifest and
/// hindcast.csv say which events were left out.
#[test]
fn a_hindcast_folder_gets_a_page() {
    let tmp = TempDir::new("hindcast-page");
    let dir = tmp.join("h");
    let out = spheres(&[
        "hindcast",
        "hindcast-2014",
        "--runs",
        "20",
        "--quiet",
        "--known-only",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = spheres(&["report", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = page(&dir);
    let rows = |file: &str| {
        std::fs::read_to_string(dir.join(file))
            .unwrap()
            .lines()
            .count() as u32
            - 1
    };
    check_chart_files(
        &dir,
        &[
            ("outcomes", (1000, 110 + 24 + 30 * rows("hindcast.csv"))),
            ("reliability", (720, 640)),
            ("targets", (1000, 110 + 24 + 30 * rows("continuous.csv"))),
        ],
    );
    assert!(html.contains("mean Brier") && html.contains("mne-joins-nato-2017"));
    assert!(html.contains("mean CRPS") && html.contains("cfsp-isac-srb-2022"));
    assert!(html.contains("The worst misses"));
    assert!(
        html.contains("left out, known only with hindsight: sputnik-serbia"),
        "the page names the events left out"
    );
    let manifest = String::from_utf8(read(&dir.join("manifest.json"))).unwrap();
    assert!(manifest.contains("\"known_only\": true") && manifest.contains("\"prespa-agreement\""));
    let csv = std::fs::read_to_string(dir.join("hindcast.csv")).unwrap();
    assert!(csv.lines().skip(1).all(|l| l.ends_with(",origin")), "{csv}");
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
    assert!(dir.join("charts").join("fans.png").exists() && dir.join("index.html").exists());
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
