//! Sweeps: bad sweep files, slices that merge into the same bytes, resuming after SIGKILL,
//! failed points recorded while the sweep goes on, and the SALib-like sample/analyze commands.

mod common;

use common::{TempDir, assert_refused, read, spheres, stderr};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DATA: [&str; 3] = ["points.csv", "results.csv", "sensitivity.csv"];

/// The files `--per-run` and `--series` add, and the flags.
const EXTRAS: [&str; 2] = ["runs.csv", "series.csv"];
const EXTRA_FLAGS: [&str; 2] = ["--per-run", "--series"];

fn sweep_to(file: &str, dir: &Path, extra: &[&str]) {
    let mut args = vec![
        "sweep",
        file,
        "--out",
        dir.to_str().unwrap(),
        "--quiet",
        "--force",
    ];
    args.extend_from_slice(extra);
    let out = spheres(&args);
    assert!(out.status.success(), "spheres {args:?}: {}", stderr(&out));
}

/// A small Sobol sweep written next to the tests' temporary files.
fn small_sobol(tmp: &TempDir, runs: u32) -> String {
    let base = std::fs::canonicalize("scenarios/balkans-aggregate.toml").unwrap();
    let text = format!(
        "scenario = {:?}\n[sweep]\ndesign = \"sobol\"\npoints = 24\nruns = {runs}\nseed = 3\n\
         outputs = [\"region.mean_alignment\", \"SRB.alignment\"]\n\
         [[parameter]]\npath = \"power.EU.budget.accession\"\nmin = 0\nmax = 3000\n\
         [[parameter]]\npath = \"params.inertia\"\nmin = 0.5\nmax = 5\n",
        base.display().to_string()
    );
    let path = tmp.join("sobol.toml");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

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

#[test]
fn a_killed_sweep_resumes_to_the_same_bytes() {
    let tmp = TempDir::new("resume");
    let file = small_sobol(&tmp, 60);
    sweep_to(&file, &tmp.join("whole"), &EXTRA_FLAGS);
    let dir = tmp.join("killed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_spheres"))
        .args(["sweep", &file, "--out", dir.to_str().unwrap(), "--quiet"])
        .args(EXTRA_FLAGS)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let journal = dir.join(".results.partial.csv");
    let started = Instant::now();
    loop {
        let lines = std::fs::read_to_string(&journal)
            .map(|t| t.lines().count())
            .unwrap_or(0);
        if lines > 20 || started.elapsed() > Duration::from_secs(60) {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        dir.join("INCOMPLETE").exists() && !dir.join("results.csv").exists(),
        "the sweep was killed before it finished"
    );
    let resume = [
        "sweep",
        &file,
        "--out",
        dir.to_str().unwrap(),
        "--quiet",
        "--resume",
    ];
    // The journals of runs.csv and series.csv hold points done: resuming without the flags
    // that wrote them, or with one more, is refused.
    let fewer = spheres(&[&resume[..], &["--per-run"]].concat());
    assert_refused(&fewer, "ran with --series");
    let out = spheres(&[&resume[..], &EXTRA_FLAGS].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    for f in DATA.iter().chain(&EXTRAS) {
        assert!(
            read(&tmp.join("whole").join(f)) == read(&dir.join(f)),
            "{f} differs after resuming"
        );
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&read(&dir.join("manifest.json"))).unwrap();
    assert!(
        manifest["resumed_from_point"].as_u64().unwrap() > 0,
        "it resumed rather than restarted"
    );
}

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
fn sample_and_analyze_recover_the_ishigami_indices() {
    let tmp = TempDir::new("salib");
    let params = tmp.join("params.txt");
    std::fs::write(&params, "# Ishigami\nx1 -3.141592653589793 3.141592653589793\nx2 -3.141592653589793 3.141592653589793\nx3 -3.141592653589793 3.141592653589793\n").unwrap();
    let out = spheres(&[
        "sample",
        "sobol",
        "--params",
        params.to_str().unwrap(),
        "--n",
        "4096",
        "--seed",
        "5",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let samples = tmp.join("x.csv");
    std::fs::write(&samples, &out.stdout).unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut y = String::from("f\n");
    for line in text.lines().skip(1) {
        let x: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
        y += &format!(
            "{}\n",
            x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
        );
    }
    let outputs = tmp.join("y.csv");
    std::fs::write(&outputs, y).unwrap();
    let out = spheres(&[
        "analyze",
        "sobol",
        "--params",
        params.to_str().unwrap(),
        "--samples",
        samples.to_str().unwrap(),
        "--outputs",
        outputs.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.starts_with("output,parameter,S1,S1_conf,ST,ST_conf\n"));
    let st: Vec<f64> = table
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(4).unwrap().parse().unwrap())
        .collect();
    for (got, want) in st.iter().zip([0.557589, 0.442411, 0.243684]) {
        assert!((got - want).abs() <= 0.06, "ST {got} vs {want}");
    }
    let bad = spheres(&[
        "analyze",
        "sobol",
        "--params",
        params.to_str().unwrap(),
        "--samples",
        samples.to_str().unwrap(),
        "--outputs",
        params.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn a_grid_sweep_draws_heatmaps_and_a_sobol_sweep_tornadoes() {
    let tmp = TempDir::new("sweep-charts");
    sweep_to("scenarios/sweeps/grid.toml", &tmp.join("g"), &[]);
    let file = small_sobol(&tmp, 2);
    sweep_to(&file, &tmp.join("s"), &[]);
    for (dir, prefix, count) in [
        // Five outputs, of which region.moscow_leaning_states and SRB.moscow_leaning are the
        // same at every point: a note each instead of a uniform heatmap (issue 15).
        (tmp.join("g"), "heatmap-", 3),
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

/// Issue 13: `sample --n` past what memory holds aborted or panicked (capacity overflow).
#[test]
fn a_sample_too_big_is_refused_before_it_is_built() {
    let tmp = TempDir::new("sample-size");
    let params = tmp.join("p.txt");
    std::fs::write(&params, "x1 0 1\nx2 0 1\n").unwrap();
    for n in ["1000000000", "18446744073709551615"] {
        let out = spheres(&[
            "sample",
            "lhs",
            "--n",
            n,
            "--params",
            params.to_str().unwrap(),
        ]);
        assert_refused(&out, "at most 50000000 are supported");
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

/// A resumed sweep refused for its cost leaves the folder as it was: the checks come before
/// the folder is marked incomplete.
#[test]
fn a_resume_refused_for_its_cost_leaves_the_folder_alone() {
    let tmp = TempDir::new("resume-cost");
    let base = std::fs::canonicalize("scenarios/tutorial.toml").unwrap();
    let text = format!(
        "scenario = {:?}\n[sweep]\ndesign = \"lhs\"\npoints = 10000\nruns = 100000\nseed = 1\n\
         [[parameter]]\npath = \"params.inertia\"\nmin = 1\nmax = 3\n",
        base.display().to_string()
    );
    let file = tmp.join("huge.toml");
    std::fs::write(&file, &text).unwrap();
    let dir = tmp.join("done");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("sweep.toml"), &text).unwrap();
    std::fs::write(dir.join("manifest.json"), "{\"complete\": true}\n").unwrap();
    let out = spheres(&[
        "sweep",
        file.to_str().unwrap(),
        "--resume",
        "--out",
        dir.to_str().unwrap(),
        "--quiet",
    ]);
    assert_refused(&out, "pass --yes to run it anyway");
    assert!(
        dir.join("manifest.json").exists(),
        "the manifest was removed"
    );
    assert!(
        !dir.join("INCOMPLETE").exists(),
        "the folder was marked incomplete"
    );
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

/// Issue 15: `analyze` offered `lhs`, which has no estimator.
#[test]
fn analyze_offers_only_the_methods_it_estimates() {
    let out = spheres(&[
        "analyze",
        "lhs",
        "--params",
        "p",
        "--samples",
        "x",
        "--outputs",
        "y",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("invalid value 'lhs'")
            && stderr(&out).contains("expected one of sobol, morris")
            && !stderr(&out).contains("morris, lhs"),
        "{}",
        stderr(&out)
    );
    let help = spheres(&["analyze", "--help"]);
    assert!(!String::from_utf8_lossy(&help.stdout).contains("lhs"));
    let out = spheres(&["sample", "lhs", "--params", "p", "--n", "2"]);
    assert!(
        !stderr(&out).contains("invalid value"),
        "sample still takes lhs"
    );
}

/// Issue 15: `--set` on a sweep applies to every point; it may not set a swept path, and a
/// folder made with other settings is not resumed.
#[test]
fn set_applies_to_every_point_of_a_sweep() {
    let tmp = TempDir::new("sweep-set");
    let file = tmp.join("grid.toml");
    std::fs::write(
        &file,
        "scenario = \"tutorial\"\n[sweep]\ndesign = \"grid\"\npoints = 2\nruns = 3\n\
         [[parameter]]\npath = \"power.EU.budget.accession\"\nmin = 0\nmax = 300\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    sweep_to(file, &tmp.join("plain"), &["--no-charts"]);
    sweep_to(
        file,
        &tmp.join("set"),
        &["--no-charts", "--set", "params.noise_alignment=0"],
    );
    let results = |d: &str| read(&tmp.join(d).join("results.csv"));
    assert!(
        results("plain") != results("set"),
        "the setting changes every point"
    );
    let text = String::from_utf8(read(&tmp.join("set").join("sweep.toml"))).unwrap();
    assert!(
        text.starts_with("# run with --set params.noise_alignment=0\nscenario = \"tutorial\""),
        "{text}"
    );
    let out = spheres(&[
        "sweep",
        file,
        "--set",
        "power.EU.budget.accession=10",
        "--out",
        tmp.join("x").to_str().unwrap(),
    ]);
    assert_refused(
        &out,
        "parameter[power.EU.budget.accession].path: = \"power.EU.budget.accession\" is also given as --set power.EU.budget.accession=10; a swept key path cannot be set",
    );
    let out = spheres(&[
        "sweep",
        file,
        "--set",
        "state.SWGG.alignment=0",
        "--out",
        tmp.join("x").to_str().unwrap(),
    ]);
    assert_refused(
        &out,
        "there is no state with code \"SWGG\" (did you mean `SWG`?)",
    );
    let out = spheres(&[
        "sweep",
        file,
        "--resume",
        "--quiet",
        "--out",
        tmp.join("set").to_str().unwrap(),
    ]);
    assert_refused(
        &out,
        "was made by a different sweep file or other --set values",
    );
}
