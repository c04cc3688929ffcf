//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test binary uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh, empty folder under the system's temporary folder, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let k = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("spheres-test-{tag}-{}-{k}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the spheres binary with `args` in the crate's folder.
pub fn spheres(args: &[&str]) -> Output {
    spheres_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// Runs the spheres binary with `args` in `dir`.
pub fn spheres_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spheres"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the spheres binary runs")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Asserts that each of `files` has the same bytes in folders `a` and `b`; `why` says what
/// differs between them.
pub fn assert_same_files(a: &Path, b: &Path, files: &[&str], why: &str) {
    for file in files {
        assert!(
            read(&a.join(file)) == read(&b.join(file)),
            "{file} differs {why}"
        );
    }
}

/// Asserts that a command was refused as bad input (exit 2) with `needle` in its message.
pub fn assert_refused(out: &Output, needle: &str) {
    assert_eq!(out.status.code(), Some(2), "{}", stderr(out));
    assert!(
        stderr(out).contains(needle),
        "expected «{needle}» in:\n{}",
        stderr(out)
    );
}

/// The page of a folder.
pub fn page(dir: &Path) -> String {
    String::from_utf8(read(&dir.join("index.html"))).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Runs and scenarios (tests/cli/)

pub fn run_to(dir: &Path, args: &[&str]) {
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", dir.to_str().unwrap(), "--quiet"]);
    let out = spheres(&all);
    assert!(
        out.status.success(),
        "spheres {all:?} failed: {}",
        stderr(&out)
    );
}

pub fn scenario_text(path: &Path) -> String {
    String::from_utf8(read(path)).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Sweeps (tests/sweeps/)

pub const DATA: [&str; 3] = ["points.csv", "results.csv", "sensitivity.csv"];

/// The files `--per-run` and `--series` add, and the flags.
pub const EXTRAS: [&str; 2] = ["runs.csv", "series.csv"];
pub const EXTRA_FLAGS: [&str; 2] = ["--per-run", "--series"];

pub fn sweep_to(file: &str, dir: &Path, extra: &[&str]) {
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
pub fn small_sobol(tmp: &TempDir, runs: u32) -> String {
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
