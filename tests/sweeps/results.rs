//! What a sweep writes: failing points recorded while the sweep goes on, heatmaps and tornadoes,
//! the EMA archive, plain decimals.

use crate::common::{EXTRA_FLAGS, TempDir, read, small_sobol, spheres, stderr, sweep_to};

#[test]
fn a_failing_point_is_recorded_and_the_sweep_goes_on() {
    let tmp = TempDir::new("failing");
    let base = std::fs::canonicalize("scenarios/balkans.toml").unwrap();
    // people_per_agent must be a whole number: the ends are, the points between are not.
    let text = format!(
        "scenario = {:?}\n[sweep]\ndesign = \"lhs\"\npoints = 3\nruns = 1\n\
         [[parameter]]\npath = \"population.people_per_agent\"\nmin = 30000\nmax = 60000\n",
        base.display().to_string()
    );
    std::fs::write(tmp.join("f.toml"), text).unwrap();
    sweep_to(
        tmp.join("f.toml").to_str().unwrap(),
        &tmp.join("o"),
        &EXTRA_FLAGS,
    );
    // A failed point keeps its rows in runs.csv and series.csv, with empty values.
    for (file, rows) in [("runs.csv", 3), ("series.csv", 3 * 121)] {
        let text = String::from_utf8(read(&tmp.join("o").join(file))).unwrap();
        assert_eq!(text.lines().count(), 1 + rows, "{file}");
        assert!(
            text.lines()
                .skip(1)
                .all(|l| l.split(',').skip(2).all(str::is_empty)),
            "{file}: {text}"
        );
    }
    let results = String::from_utf8(read(&tmp.join("o").join("results.csv"))).unwrap();
    assert_eq!(results.lines().count(), 4);
    assert!(
        results
            .lines()
            .skip(1)
            .all(|l| l.contains("expected a whole number")),
        "{results}"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&read(&tmp.join("o").join("manifest.json"))).unwrap();
    assert_eq!(manifest["failed_points"], 3);
}

#[test]
fn a_grid_sweep_draws_heatmaps_and_a_sobol_sweep_tornadoes() {
    let tmp = TempDir::new("sweep-charts");
    sweep_to("scenarios/sweeps/grid.toml", &tmp.join("g"), &[]);
    let file = small_sobol(&tmp, 2);
    sweep_to(&file, &tmp.join("s"), &[]);
    for (dir, prefix, count) in [
        // Five outputs, of which HRV.nato_member (a member since 2009) is the same at every
        // point: a note instead of a uniform heatmap (issue 15).
        (tmp.join("g"), "heatmap-", 4),
        (tmp.join("s"), "tornado-", 2),
    ] {
        let charts: Vec<String> = std::fs::read_dir(dir.join("charts"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        let pngs: Vec<&String> = charts
            .iter()
            .filter(|c| c.starts_with(prefix) && c.ends_with(".png"))
            .collect();
        assert_eq!(pngs.len(), count, "{charts:?}");
        let html = String::from_utf8(read(&dir.join("index.html"))).unwrap();
        for c in &charts {
            assert!(
                html.contains(&format!("charts/{c}")),
                "index.html misses {c}"
            );
        }
        for png in pngs {
            let image = image::load_from_memory(&read(&dir.join("charts").join(png))).unwrap();
            assert!(image.width() >= 900);
        }
    }
}

#[test]
fn the_ema_archive_has_workbench_layout_and_is_reproducible() {
    let tmp = TempDir::new("ema");
    for k in ["a", "b"] {
        sweep_to(
            "scenarios/sweeps/grid.toml",
            &tmp.join(k),
            &["--format", "ema", "--no-charts", "--series"],
        );
    }
    let bytes = read(&tmp.join("a").join("ema.tar.gz"));
    assert!(
        bytes == read(&tmp.join("b").join("ema.tar.gz")),
        "the same sweep gives the same archive"
    );
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()));
    let mut names = Vec::new();
    let mut metadata = String::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().to_string_lossy().into_owned();
        if name == "metadata.json" {
            std::io::Read::read_to_string(&mut entry, &mut metadata).unwrap();
        }
        names.push(name);
    }
    assert!(
        names.contains(&"experiments.csv".to_string())
            && names.contains(&"SRB_alignment.cls".to_string()),
        "{names:?}"
    );
    let meta: serde_json::Value = serde_json::from_str(&metadata).unwrap();
    assert_eq!(meta["version"], 0.1);
    assert_eq!(meta["outcomes"][0][0], "ScalarOutcome");
    // With --series: TIME and each output's monthly means, as EMA's TimeSeriesOutcome reads
    // them (a header of the months, a row per point).
    let outcomes = meta["outcomes"].as_array().unwrap();
    let series: Vec<&serde_json::Value> = outcomes
        .iter()
        .filter(|o| o[0] == "TimeSeriesOutcome")
        .collect();
    assert_eq!(series.len(), outcomes.len() / 2 + 1, "{outcomes:?}");
    assert_eq!(series[0][1], "TIME");
    assert!(
        names.contains(&"SRB_alignment_series.csv".to_string()),
        "{names:?}"
    );
    assert_eq!(meta["experiments"]["policy.eu.budget.accession"], "float64");
}

/// Issue 15: points.csv wrote `1.50000000000000000e2` for 150, and `sample` too. Parameter
/// values are plain decimals that read back to the exact values the design drew.
#[test]
fn points_and_samples_are_plain_decimals() {
    let tmp = TempDir::new("plain");
    let file = tmp.join("grid.toml");
    std::fs::write(
        &file,
        "scenario = \"tutorial\"\n[sweep]\ndesign = \"grid\"\npoints = 3\nruns = 2\n\
         [[parameter]]\npath = \"power.EU.budget.accession\"\nmin = 0\nmax = 300\n\
         [[parameter]]\npath = \"params.inertia\"\nvalues = [0.1, 2.5]\n",
    )
    .unwrap();
    sweep_to(file.to_str().unwrap(), &tmp.join("out"), &["--no-charts"]);
    let points = String::from_utf8(read(&tmp.join("out").join("points.csv"))).unwrap();
    assert_eq!(
        points,
        "point,power.EU.budget.accession,params.inertia\n\
         0,0,0.1\n1,0,2.5\n2,150,0.1\n3,150,2.5\n4,300,0.1\n5,300,2.5\n"
    );
    let results = String::from_utf8(read(&tmp.join("out").join("results.csv"))).unwrap();
    for line in results.lines().skip(1) {
        assert!(!line.contains(['e', 'E']), "{line}");
    }
    let params = tmp.join("p.txt");
    std::fs::write(&params, "x1 -1000 1000\nx2 0 0.000001\n").unwrap();
    let out = spheres(&[
        "sample",
        "lhs",
        "--n",
        "50",
        "--params",
        params.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text.lines().skip(1) {
        assert!(!line.contains(['e', 'E']), "{line}");
        let x: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
        assert!(
            (-1000.0..=1000.0).contains(&x[0]) && (0.0..=1e-6).contains(&x[1]),
            "{line}"
        );
    }
}
