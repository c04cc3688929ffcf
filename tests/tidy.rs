//! Tidy: limits that only tighten (rust-analyzer's tidy tests, TigerBeetle's limits).
//!
//! - No file of src/, tests/ or benches/ has more than [`MAX_FILE_LINES`] lines, except the
//!   files of [`LONG_FILES`]; a listed file that fits fails the test, so the list shrinks.
//! - No function has more than 70 lines: clippy's `too_many_lines` (threshold in clippy.toml,
//!   warned in Cargo.toml's `[lints]`, denied in CI) enforces it. An exception is marked
//!   `#[expect(clippy::too_many_lines)]`, which fails once the function fits, and is listed in
//!   [`LONG_FUNCTIONS`], so that every exception is visible here.

use std::collections::BTreeSet;
use std::path::Path;

/// Most lines a source file may have.
const MAX_FILE_LINES: usize = 600;

/// Files allowed past [`MAX_FILE_LINES`] (tests that are one long table each).
const LONG_FILES: &[&str] = &[];

/// Functions allowed past 70 lines, as `path::name`.
const LONG_FUNCTIONS: &[&str] = &[];

/// Every `.rs` file under `dir`, as (path from the crate's root, text).
fn rust_files(root: &Path, dir: &str, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(root.join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if path.is_dir() {
            rust_files(root, &rel, out);
        } else if rel.ends_with(".rs") {
            out.push((rel, std::fs::read_to_string(&path).unwrap()));
        }
    }
}

fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["src", "tests", "benches"] {
        rust_files(root, dir, &mut out);
    }
    out
}

/// The functions of `text` marked as exceptions: the name of the `fn` after each
/// `#[expect(clippy::too_many_lines)]` (or `allow`).
fn marked_long(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut marked = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with("#[expect(clippy::too_many_lines")
            || line.starts_with("#[allow(clippy::too_many_lines")
        {
            marked = true;
        } else if marked && let Some(at) = line.find("fn ") {
            let name: String = line[at + 3..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push(name);
            marked = false;
        }
    }
    out
}

#[test]
fn no_file_is_longer_than_the_limit() {
    let mut problems = Vec::new();
    let files = sources();
    for (path, text) in &files {
        let lines = text.lines().count();
        let listed = LONG_FILES.contains(&path.as_str());
        if lines > MAX_FILE_LINES && !listed {
            problems.push(format!(
                "{path}: {lines} lines, over {MAX_FILE_LINES}: split it by concern"
            ));
        }
        if lines <= MAX_FILE_LINES && listed {
            problems.push(format!(
                "{path}: {lines} lines now fits: take it out of LONG_FILES"
            ));
        }
    }
    for listed in LONG_FILES {
        if !files.iter().any(|(p, _)| p == listed) {
            problems.push(format!("{listed}: listed in LONG_FILES but not found"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn long_functions_are_the_listed_exceptions() {
    let marked: BTreeSet<String> = sources()
        .iter()
        .flat_map(|(path, text)| {
            marked_long(text)
                .into_iter()
                .map(move |f| format!("{path}::{f}"))
        })
        .collect();
    let listed: BTreeSet<String> = LONG_FUNCTIONS.iter().map(|s| s.to_string()).collect();
    let unlisted: Vec<_> = marked.difference(&listed).collect();
    let unmarked: Vec<_> = listed.difference(&marked).collect();
    assert!(
        unlisted.is_empty() && unmarked.is_empty(),
        "functions marked too long but not in LONG_FUNCTIONS (shorten them instead): {unlisted:?}; \
         listed but no longer marked (take them out): {unmarked:?}"
    );
}

#[test]
fn the_function_limit_is_enforced() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let clippy = std::fs::read_to_string(root.join("clippy.toml")).unwrap();
    let threshold = clippy
        .lines()
        .find_map(|l| l.trim().strip_prefix("too-many-lines-threshold"))
        .and_then(|rest| rest.trim().strip_prefix('='))
        .map(|n| n.trim().parse::<u32>());
    assert_eq!(threshold, Some(Ok(70)), "clippy.toml sets the limit at 70");
    let cargo = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    assert!(
        cargo.contains("too_many_lines = \"warn\""),
        "Cargo.toml's [lints.clippy] turns the lint on (CI denies warnings)"
    );
}

/// Names several files under src/ may share: each is one experiment (or part of one) in the
/// layers it passes through — its file (`scenario/sweep.rs`), its runs (`experiments/`), its
/// page and chart (`report/`) — or a role within an experiment's folder: its `mod.rs`, and
/// `write.rs`, the files it writes.
const SHARED_NAMES: &[&str] = &[
    "mod.rs",
    "write.rs",
    "run.rs",
    "levers.rs",
    "hindcast.rs",
    "sweep.rs",
    "robust.rs",
    "nowcast.rs",
];

#[test]
fn no_two_files_share_a_name_with_different_meanings() {
    let mut seen: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (path, _) in sources().iter().filter(|(p, _)| p.starts_with("src/")) {
        let name = path.rsplit('/').next().unwrap_or(path).to_string();
        seen.entry(name).or_default().push(path.clone());
    }
    let clashes: Vec<_> = seen
        .iter()
        .filter(|(name, paths)| paths.len() > 1 && !SHARED_NAMES.contains(&name.as_str()))
        .collect();
    assert!(
        clashes.is_empty(),
        "files that share a name: {clashes:?}; rename one so each name says what it holds"
    );
    let stale: Vec<_> = SHARED_NAMES
        .iter()
        .filter(|name| seen.get(**name).is_none_or(|paths| paths.len() < 2))
        .collect();
    assert!(
        stale.is_empty(),
        "SHARED_NAMES lists names no two files share any more: {stale:?}; take them out"
    );
}

#[test]
fn no_blanket_allow_hides_the_limit() {
    let blanket: Vec<String> = sources()
        .iter()
        .filter(|(_, text)| {
            let inner = concat!("#!", "[allow(clippy::too_many_lines");
            let inner_expect = concat!("#!", "[expect(clippy::too_many_lines");
            let pedantic = concat!("clippy::", "pedantic");
            text.contains(inner) || text.contains(inner_expect) || text.contains(pedantic)
        })
        .map(|(path, _)| path.clone())
        .collect();
    assert!(
        blanket.is_empty(),
        "files that turn the function limit off as a whole: {blanket:?}"
    );
}

#[test]
fn marks_are_found() {
    let text =
        "#[expect(clippy::too_many_lines)]\npub(crate) fn long_one(x: u8) {}\nfn short() {}\n";
    assert_eq!(marked_long(text), ["long_one"]);
}
