//! Resuming: after SIGKILL to the same bytes, refused with other flags, for its cost or with other
//! `--set` values; `--set` on every point of a sweep.

use crate::common::{
    DATA, EXTRA_FLAGS, EXTRAS, TempDir, assert_refused, read, small_sobol, spheres, stderr,
    sweep_to,
};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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
