//! Faults lose nothing: a full disk, a folder that cannot be written, Ctrl-C and SIGKILL leave
//! either the previous complete results or a folder marked INCOMPLETE, never a partial file
//! posing as whole.

mod common;

use common::{TempDir, assert_refused, read, spheres, stderr};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_full_disk_is_an_error_and_leaves_the_folder_marked_incomplete() {
    let tmp = TempDir::new("full");
    let dir = tmp.join("out");
    std::fs::create_dir(&dir).unwrap();
    // Everything written to outcomes.csv goes to /dev/full, which refuses it: "no space left".
    std::os::unix::fs::symlink("/dev/full", dir.join(".outcomes.csv.partial")).unwrap();
    let out = spheres(&[
        "run",
        "tutorial",
        "--runs",
        "50",
        "--out",
        dir.to_str().unwrap(),
        "--quiet",
        "--force",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("No space left on device"),
        "{}",
        stderr(&out)
    );
    let left = names(&dir);
    assert!(left.contains(&"INCOMPLETE".to_string()), "{left:?}");
    assert!(
        !left.contains(&"manifest.json".to_string()) && !left.contains(&"outcomes.csv".to_string()),
        "{left:?}"
    );
}

#[test]
fn an_unwritable_place_is_an_error_and_creates_nothing() {
    // /sys refuses new entries even to root.
    let out = spheres(&[
        "run",
        "tutorial",
        "--runs",
        "5",
        "--out",
        "/sys/spheres-test-out",
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("/sys/spheres-test-out"),
        "{}",
        stderr(&out)
    );
    assert!(!Path::new("/sys/spheres-test-out").exists());
}

/// Starts a long run, waits until it is writing, and sends it `signal`.
fn interrupt(signal: &str, dir: &Path) -> std::process::Output {
    let child = Command::new(env!("CARGO_BIN_EXE_spheres"))
        .args([
            "run",
            "balkans",
            "--runs",
            "100000",
            "--out",
            dir.to_str().unwrap(),
            "--quiet",
            "--force",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !dir.join(".outcomes.csv.partial").exists() && started.elapsed() < Duration::from_secs(30)
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    child.wait_with_output().unwrap()
}

#[test]
fn ctrl_c_keeps_nothing_that_looks_complete() {
    let tmp = TempDir::new("sigint");
    let dir = tmp.join("out");
    // A complete earlier result in the same folder...
    let out = spheres(&[
        "run",
        "tutorial",
        "--runs",
        "10",
        "--out",
        dir.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(out.status.success());
    // ...then an interrupted run over it with --force.
    let out = interrupt("-INT", &dir);
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert!(stderr(&out).contains("interrupted"), "{}", stderr(&out));
    let left = names(&dir);
    assert!(left.contains(&"INCOMPLETE".to_string()), "{left:?}");
    assert!(
        !left.contains(&"manifest.json".to_string()),
        "the old manifest must not vouch for new files: {left:?}"
    );
    assert!(
        left.iter().all(|f| !f.ends_with(".partial")),
        "temporary files left: {left:?}"
    );
    let report = spheres(&["report", dir.to_str().unwrap()]);
    assert_refused(&report, "incomplete");
    assert!(
        String::from_utf8(read(&dir.join("INCOMPLETE")))
            .unwrap()
            .contains("not complete")
    );
}

#[test]
fn sigkill_leaves_the_folder_marked_incomplete() {
    let tmp = TempDir::new("sigkill");
    let dir = tmp.join("out");
    let out = interrupt("-KILL", &dir);
    assert_eq!(out.status.code(), None, "killed by a signal");
    let left = names(&dir);
    assert!(left.contains(&"INCOMPLETE".to_string()), "{left:?}");
    assert!(
        !left
            .iter()
            .any(|f| f == "manifest.json" || f == "summary.csv" || f == "outcomes.csv"),
        "{left:?}"
    );
}

/// Issue 13: output errors panicked (exit 101). A full standard output is an I/O error (exit 1),
/// a closed pipe ends quietly (exit 0), and a full standard error loses only the message.
#[test]
fn output_errors_exit_cleanly() {
    let bin = env!("CARGO_BIN_EXE_spheres");
    let full = || std::fs::File::create("/dev/full").unwrap();
    let out = Command::new(bin)
        .args(["validate", "tutorial"])
        .stdout(full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("<standard output>: No space left on device"));
    let out = Command::new(bin)
        .args(["validate", "nope.toml"])
        .stderr(full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let tmp = TempDir::new("pipe");
    let params = tmp.join("p.txt");
    std::fs::write(&params, "x1 0 1\nx2 0 1\n").unwrap();
    let mut child = Command::new(bin)
        .args(["sample", "sobol", "--n", "200000", "--params"])
        .arg(&params)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 100];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take()); // the reader goes away, as `| head -c 100` does
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

/// Issue 13: a full disk while drawing charts exited 2 (bad input); it is an I/O failure.
#[test]
fn a_full_disk_while_drawing_charts_exits_1() {
    let tmp = TempDir::new("charts-full");
    let dir = tmp.join("out");
    let out = spheres(&[
        "run",
        "tutorial",
        "--runs",
        "5",
        "--quiet",
        "--no-charts",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    std::fs::create_dir(dir.join("charts")).unwrap();
    std::os::unix::fs::symlink("/dev/full", dir.join("charts/.partial-fans.png")).unwrap();
    let out = spheres(&["report", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("drawing fans failed"),
        "{}",
        stderr(&out)
    );
    let out = spheres(&["report", "README.md"]);
    assert_refused(&out, "README.md: is a file; expected an output folder");
}
