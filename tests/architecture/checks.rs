//! The checks: each file's imports against its row, cycles between the files of a folder,
//! and the table itself against the files and `LAYERS`.

use std::collections::{BTreeMap, BTreeSet};

use crate::LAYERS;
use crate::scan::{Crate, Scanned, is_binary, layer_of, module_of, scan};
use crate::table::{Row, path_of};

/// A violation of the code map: `file` (at `line`) takes `what` (a path from the crate root, or
/// `clap`).
#[derive(Clone, Debug)]
pub struct Violation {
    pub file: String,
    pub line: usize,
    pub what: Vec<String>,
    pub message: String,
}

impl Violation {
    pub fn is(&self, file: &str, what: &str) -> bool {
        self.file == file && self.what.starts_with(&path_of(what))
    }
}

/// The imports of `file` that its row does not allow, and its mention of clap.
fn check_file(file: &str, scanned: &Scanned, row: &Row, krate: &Crate) -> Vec<Violation> {
    let module = module_of(file);
    let own = if file == "src/lib.rs" || is_binary(file) {
        None
    } else {
        module.first().cloned()
    };
    let mut out = Vec::new();
    for (line, path) in &scanned.uses {
        let inside = path.starts_with(&module) && !is_binary(file) && !module.is_empty();
        let allowed = inside
            || (own.is_some() && path.first() == own.as_ref())
            || path.first().is_some_and(|p| p == "error")
            || row.allows(path);
        if !allowed {
            let besides = match &own {
                Some(m) if m != "error" => format!("`{m}` and `error`"),
                _ => "`error`".to_string(),
            };
            let target = krate.module_part(path);
            let whose = if target.is_empty() {
                "the crate root".to_string()
            } else {
                format!("`{}`", target.join("::"))
            };
            out.push(Violation {
                file: file.to_string(),
                line: *line,
                what: path.clone(),
                message: format!(
                    "{file}:{line} imports `{}` (from {whose}), which its {} does not allow (besides {besides})",
                    path.join("::"),
                    row.describe()
                ),
            });
        }
    }
    if let (Some(line), false) = (scanned.terminal, is_binary(file)) {
        out.push(Violation {
            file: file.to_string(),
            line,
            what: vec!["terminal".to_string()],
            message: format!(
                "{file}:{line} writes to the terminal: only the binary (src/main.rs, src/cli/) may (tell it through `experiments::Terminal`)"
            ),
        });
    }
    if let (Some(line), false) = (scanned.clap, is_binary(file)) {
        out.push(Violation {
            file: file.to_string(),
            line,
            what: vec!["clap".to_string()],
            message: format!(
                "{file}:{line} mentions `clap`: only the binary (src/main.rs, src/cli/) may (the command line stays there; map its options to the library's types there)"
            ),
        });
    }
    out
}

/// Imports between files (or sub-folders) of one folder that are part of a cycle.
fn check_cycles(files: &[(String, Scanned)], krate: &Crate) -> Vec<Violation> {
    // edges[(a, b)]: the imports (file, line, path) by which sibling a uses sibling b.
    type Imports = Vec<(String, usize, Vec<String>)>;
    let mut edges: BTreeMap<(Vec<String>, Vec<String>), Imports> = BTreeMap::new();
    for (file, scanned) in files.iter().filter(|(f, _)| !is_binary(f)) {
        let module = module_of(file);
        for (line, path) in &scanned.uses {
            let target = krate.module_part(path);
            let k = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            // Siblings under a folder below src/ (the layers order the top-level modules).
            if k >= 1 && k < module.len() && k < target.len() {
                edges
                    .entry((module[..=k].to_vec(), target[..=k].to_vec()))
                    .or_default()
                    .push((file.clone(), *line, path.clone()));
            }
        }
    }
    let reaches = |from: &Vec<String>, to: &Vec<String>| {
        let mut seen = BTreeSet::from([from.clone()]);
        let mut todo = vec![from.clone()];
        while let Some(m) = todo.pop() {
            if &m == to {
                return true;
            }
            for (a, b) in edges.keys() {
                if a == &m && seen.insert(b.clone()) {
                    todo.push(b.clone());
                }
            }
        }
        false
    };
    let mut out = Vec::new();
    for ((a, b), imports) in &edges {
        if reaches(b, a) {
            for (file, line, path) in imports {
                out.push(Violation {
                    file: file.clone(),
                    line: *line,
                    what: b.clone(),
                    message: format!(
                        "{file}:{line} imports `{}`, and `{}` imports `{}` back (directly or around a cycle): files of one folder must not import each other",
                        path.join("::"),
                        b.join("::"),
                        a.join("::")
                    ),
                });
            }
        }
    }
    out
}

/// Problems of the table itself: files without exactly one row, rows without files, rows that
/// allow more than their layer may use. Returns each file's row too.
fn check_rows<'r>(
    files: &[String],
    rows: &'r [Row],
    krate: &Crate,
) -> (BTreeMap<String, &'r Row>, Vec<String>) {
    let mut problems = Vec::new();
    let mut of = BTreeMap::new();
    for file in files {
        let matching: Vec<&Row> = rows.iter().filter(|r| r.matches(file)).collect();
        match matching.as_slice() {
            [row] => {
                of.insert(file.clone(), *row);
            }
            [] => problems.push(format!(
                "{file} has no row in the code map of ARCHITECTURE.md: add one (path | job | may use)"
            )),
            _ => problems.push(format!(
                "{file} matches several rows of the code map: {}",
                matching
                    .iter()
                    .map(|r| format!("`{}`", r.pattern))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
    for row in rows {
        let mine: Vec<&String> = files.iter().filter(|f| row.matches(f)).collect();
        if mine.is_empty() {
            problems.push(format!(
                "the code map row `{}` names no file under src/",
                row.pattern
            ));
        }
        for file in mine {
            let layer = layer_of(file);
            let Some((_, below)) = LAYERS.iter().find(|(l, _)| *l == layer) else {
                problems.push(format!(
                    "{file}: `{layer}` has no place in LAYERS (tests/architecture.rs)"
                ));
                continue;
            };
            for entry in &row.may_use {
                if !krate.modules.contains(&entry[..1]) {
                    problems.push(format!(
                        "the code map row `{}` allows `{}`, which is not a module of the crate",
                        row.pattern,
                        entry.join("::")
                    ));
                } else if entry[0] != layer && !below.contains(&entry[0].as_str()) {
                    problems.push(format!(
                        "the code map row `{}` allows `{}`, but `{layer}` may only use {:?} (LAYERS in tests/architecture.rs)",
                        row.pattern,
                        entry.join("::"),
                        below
                    ));
                }
            }
        }
    }
    (of, problems)
}

/// Every violation in the files (src/… path and text), and the problems of the table.
pub fn check(sources: &[(String, String)], rows: &[Row]) -> (Vec<Violation>, Vec<String>) {
    let files: Vec<String> = sources.iter().map(|(f, _)| f.clone()).collect();
    let lib_rs = sources
        .iter()
        .find(|(f, _)| f == "src/lib.rs")
        .map_or("", |(_, s)| s.as_str());
    let krate = Crate::new(&files, lib_rs);
    let (row_of, problems) = check_rows(&files, rows, &krate);
    let scanned: Vec<(String, Scanned)> = sources
        .iter()
        .map(|(f, s)| (f.clone(), scan(f, s, &krate)))
        .collect();
    let mut violations = Vec::new();
    for (file, s) in &scanned {
        if let Some(row) = row_of.get(file) {
            violations.extend(check_file(file, s, row, &krate));
        }
    }
    violations.extend(check_cycles(&scanned, &krate));
    (violations, problems)
}
