//! The code map of ARCHITECTURE.md, executed. Each row of its table names files (`src/x.rs`,
//! `src/model/{arms,energy}.rs`, or `*` for any name) and, in the "may use" column, the crate
//! modules or items (in backticks; other words there are external crates, for people) those
//! files may import besides their own top-level module and `error`, which every file may use.
//!
//! For every `.rs` file under src/ this test collects what it takes from the crate: `use`
//! declarations (`crate::…`, `super::…`, `self::…`, a child module's name, and `spheres::…` in
//! the binary) and paths written inline (`crate::x::y(`), each resolved to a path from the crate
//! root. It fails when
//!
//! 1. a file has no row, or several, or a row names no file;
//! 2. a row allows more than its layer may use (`LAYERS`: the table may narrow the layers,
//!    never widen them);
//! 3. a file imports what its row does not allow;
//! 4. a file of the library mentions `clap` or writes to the terminal (the command line stays
//!    in the binary: src/main.rs and its modules under src/cli/);
//! 5. two files or sub-folders of one folder import each other, directly or around a cycle
//!    (a folder's mod.rs is their parent, not one of them; between top-level modules the layers
//!    already rule cycles out);
//!
//! unless the violation is one of `KNOWN_VIOLATIONS`, and it also fails when one of those no
//! longer occurs, so that the list only shrinks. Comments and string literals are not read;
//! re-exports are not followed (`crate::scenario::Lever` is an import of `scenario`), except
//! the crate root's (`crate::Error` is `error::Error`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What each top-level module may use, besides itself and `error`: the binary (the command line) →
/// experiments → engine → model → scenario; report reads output folders (scenario, statistics,
/// output); statistics, distributions, output and error are leaves, and sensitivity uses only statistics.
/// `main` is the binary (src/main.rs and src/cli/) and `lib` src/lib.rs, which only declares the
/// modules.
const LAYERS: &[(&str, &[&str])] = &[
    ("main", &["experiments"]),
    ("lib", &[]),
    (
        "experiments",
        &[
            "engine",
            "model",
            "scenario",
            "statistics",
            "output",
            "sensitivity",
            "report",
            "distributions",
        ],
    ),
    (
        "engine",
        &["model", "scenario", "statistics", "distributions"],
    ),
    ("model", &["scenario", "statistics"]),
    ("scenario", &["output", "distributions"]),
    ("report", &["scenario", "statistics", "output"]),
    ("sensitivity", &["statistics"]),
    ("statistics", &[]),
    ("distributions", &[]),
    ("output", &[]),
    ("error", &[]),
];

/// The violations of today (issue 14), tolerated so that the build stays green while they are
/// fixed: (file, import), where the import is a path from the crate root that covers everything
/// below it. Remove an entry when its violation is fixed; the test fails until you do.
const KNOWN_VIOLATIONS: &[(&str, &str)] = &[];

// ---------------------------------------------------------------------------------------------
// The code map

/// A row of the code map.
#[derive(Clone, Debug)]
struct Row {
    /// The path column as written, e.g. `src/model/{arms,energy}.rs`.
    pattern: String,
    /// The entries of the "may use" column, as paths.
    may_use: Vec<Vec<String>>,
}

impl Row {
    fn matches(&self, file: &str) -> bool {
        expand_braces(&self.pattern)
            .iter()
            .any(|p| glob(p.as_bytes(), file.as_bytes()))
    }

    fn allows(&self, path: &[String]) -> bool {
        self.may_use.iter().any(|e| path.starts_with(e))
    }

    fn describe(&self) -> String {
        let list: Vec<String> = self
            .may_use
            .iter()
            .map(|e| format!("`{}`", e.join("::")))
            .collect();
        format!(
            "row `{}` (may use: {})",
            self.pattern,
            if list.is_empty() {
                "nothing else".to_string()
            } else {
                list.join(", ")
            }
        )
    }
}

/// `a{b,c}d` → `abd`, `acd` (any number of groups, not nested).
fn expand_braces(pattern: &str) -> Vec<String> {
    let (Some(open), Some(close)) = (pattern.find('{'), pattern.find('}')) else {
        return vec![pattern.to_string()];
    };
    let (head, alternatives, tail) = (
        &pattern[..open],
        &pattern[open + 1..close],
        &pattern[close + 1..],
    );
    alternatives
        .split(',')
        .flat_map(|a| expand_braces(&format!("{head}{}{tail}", a.trim())))
        .collect()
}

/// `*` matches any run of characters but `/`.
fn glob(pattern: &[u8], name: &[u8]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some((b'*', rest)) => (0..=name.len())
            .take_while(|&k| k == 0 || name[k - 1] != b'/')
            .any(|k| glob(rest, &name[k..])),
        Some((c, rest)) => name.first() == Some(c) && glob(rest, &name[1..]),
    }
}

fn path_of(s: &str) -> Vec<String> {
    s.split("::").map(str::to_string).collect()
}

/// The rows of the table under "## Code map" in ARCHITECTURE.md.
fn parse_code_map(markdown: &str) -> Result<Vec<Row>, String> {
    let section = markdown
        .split("\n## ")
        .find(|s| s.starts_with("Code map"))
        .ok_or("ARCHITECTURE.md has no section `## Code map`")?;
    let mut rows = Vec::new();
    for line in section.lines().filter(|l| l.starts_with('|')).skip(2) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() != 5 {
            return Err(format!(
                "ARCHITECTURE.md: a code map row needs three cells (path | job | may use), without `|` inside: {line}"
            ));
        }
        let pattern = cells[1]
            .strip_prefix('`')
            .and_then(|p| p.strip_suffix('`'))
            .filter(|p| p.starts_with("src/") && !p.contains('`'))
            .ok_or_else(|| {
                format!("ARCHITECTURE.md: the path `src/…` of a code map row, in backticks: {line}")
            })?;
        let mut may_use = Vec::new();
        for (k, entry) in cells[3].split('`').enumerate() {
            if k % 2 == 0 {
                continue;
            }
            let ok = entry
                .split("::")
                .all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
            if !ok {
                return Err(format!(
                    "ARCHITECTURE.md: `{entry}` in the may-use column of `{pattern}` is not a path such as `model` or `statistics::Scale`"
                ));
            }
            may_use.push(path_of(entry));
        }
        rows.push(Row {
            pattern: pattern.to_string(),
            may_use,
        });
    }
    Ok(rows)
}

// ---------------------------------------------------------------------------------------------
// Files and modules

/// The module of a file under src/ ("src/model/mod.rs" → model, "src/model/arms.rs" →
/// model::arms, "src/lib.rs" → the root); in the binary, "src/main.rs" → main, "src/cli/args.rs"
/// → cli::args.
fn module_of(file: &str) -> Vec<String> {
    let inner = file
        .strip_prefix("src/")
        .and_then(|f| f.strip_suffix(".rs"))
        .unwrap_or(file);
    let inner = inner.strip_suffix("/mod").unwrap_or(inner);
    if inner == "lib" {
        Vec::new()
    } else {
        inner.split('/').map(str::to_string).collect()
    }
}

/// Whether `file` is the binary's: src/main.rs or one of its modules under src/cli/.
fn is_binary(file: &str) -> bool {
    file == "src/main.rs" || file.starts_with("src/cli/")
}

/// The layer (a key of `LAYERS`) of a file.
fn layer_of(file: &str) -> String {
    match file {
        "src/lib.rs" => "lib".to_string(),
        _ if is_binary(file) => "main".to_string(),
        _ => module_of(file)[0].clone(),
    }
}

/// The library's modules, and the crate root's re-exports (name → path).
struct Crate {
    modules: BTreeSet<Vec<String>>,
    root_exports: BTreeMap<String, Vec<String>>,
}

impl Crate {
    fn new(files: &[String], lib_rs: &str) -> Crate {
        let modules: BTreeSet<Vec<String>> = files
            .iter()
            .filter(|f| !is_binary(f))
            .map(|f| module_of(f))
            .collect();
        let mut krate = Crate {
            modules,
            root_exports: BTreeMap::new(),
        };
        let exports: BTreeMap<String, Vec<String>> = scan("src/lib.rs", lib_rs, &krate)
            .uses
            .into_iter()
            .filter_map(|(_, path)| Some((path.last()?.clone(), path)))
            .collect();
        krate.root_exports = exports;
        krate
    }

    /// The longest prefix of `path` that is a module.
    fn module_part(&self, path: &[String]) -> Vec<String> {
        (0..=path.len())
            .rev()
            .map(|k| path[..k].to_vec())
            .find(|p| self.modules.contains(p))
            .unwrap_or_default()
    }

    /// `path` with a root re-export followed (`Error` → `error::Error`).
    fn through_root(&self, path: Vec<String>) -> Vec<String> {
        match path.first().and_then(|name| self.root_exports.get(name)) {
            Some(target) if !self.modules.contains(&path[..1]) => {
                let mut full = target.clone();
                full.extend(path[1..].iter().cloned());
                full
            }
            _ => path,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading a source file

/// `source` with comments, string and character literals blanked (line breaks kept).
fn strip(source: &str) -> String {
    let c: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < c.len() {
        match skip(&c, i) {
            Some(end) => {
                let end = end.min(c.len());
                out.extend(
                    c[i..end]
                        .iter()
                        .map(|&ch| if ch == '\n' { '\n' } else { ' ' }),
                );
                i = end;
            }
            None => {
                out.push(c[i]);
                i += 1;
            }
        }
    }
    out
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// If a comment, or a string or character literal, starts at `c[i]`: the index just past it.
fn skip(c: &[char], i: usize) -> Option<usize> {
    let at = |k: usize| c.get(k).copied().unwrap_or('\0');
    let find = |from: usize, what: char| (from..c.len()).find(|&k| c[k] == what).unwrap_or(c.len());
    match (at(i), at(i + 1)) {
        ('/', '/') => Some(find(i, '\n')),
        ('/', '*') => {
            // Block comments nest.
            let (mut depth, mut k) = (0, i);
            while k < c.len() {
                match (at(k), at(k + 1)) {
                    ('/', '*') => depth += 1,
                    ('*', '/') => depth -= 1,
                    _ => {
                        k += 1;
                        continue;
                    }
                }
                k += 2;
                if depth == 0 {
                    break;
                }
            }
            Some(k)
        }
        ('"', _) => {
            let mut k = i + 1;
            while k < c.len() && c[k] != '"' {
                k += if c[k] == '\\' { 2 } else { 1 };
            }
            Some(k + 1)
        }
        // Characters: '\n', '\'', '\u{…}', 'x'; not lifetimes ('a).
        ('\'', '\\') => Some(find(i + 3, '\'') + 1),
        ('\'', _) if at(i + 2) == '\'' => Some(i + 3),
        // Raw strings: r"…", r#"…"#, br"…".
        ('r' | 'b', _) if i == 0 || !is_ident_char(c[i - 1]) => {
            let r = if at(i) == 'b' { i + 1 } else { i };
            let hashes = c[(r + 1).min(c.len())..]
                .iter()
                .take_while(|&&h| h == '#')
                .count();
            if at(r) != 'r' || at(r + 1 + hashes) != '"' {
                return None;
            }
            let closing: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let body = r + 2 + hashes;
            Some(
                (body..c.len())
                    .find(|&k| c[k..].starts_with(&closing))
                    .map_or(c.len(), |k| k + closing.len()),
            )
        }
        _ => None,
    }
}

/// Identifiers, `::`, and single punctuation characters, each with its line.
fn tokens(code: &str) -> Vec<(String, usize)> {
    let c: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < c.len() {
        if c[i] == '\n' {
            line += 1;
            i += 1;
        } else if c[i].is_whitespace() {
            i += 1;
        } else if is_ident_char(c[i]) {
            let j = (i..c.len())
                .find(|&j| !is_ident_char(c[j]))
                .unwrap_or(c.len());
            out.push((c[i..j].iter().collect(), line));
            i = j;
        } else if c[i] == ':' && c.get(i + 1) == Some(&':') {
            out.push(("::".to_string(), line));
            i += 2;
        } else {
            out.push((c[i].to_string(), line));
            i += 1;
        }
    }
    out
}

fn is_ident(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// The paths of a use tree starting at `t[*i]`, each prefixed with `prefix`.
fn use_tree(t: &[&str], i: &mut usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut path = prefix;
    loop {
        match t.get(*i).copied() {
            Some("{") => {
                *i += 1;
                while *i < t.len() && t[*i] != "}" {
                    use_tree(t, i, path.clone(), out);
                    if t.get(*i) == Some(&",") {
                        *i += 1;
                    } else if t.get(*i) != Some(&"}") {
                        return;
                    }
                }
                *i += 1;
                return;
            }
            Some("*") => {
                *i += 1;
                out.push(path);
                return;
            }
            Some(segment) if is_ident(segment) => {
                *i += 1;
                // `{self, …}` names the prefix itself; a leading `self::` stays to be resolved.
                if segment != "self" || path.is_empty() {
                    path.push(segment.to_string());
                }
                match t.get(*i).copied() {
                    Some("::") => *i += 1,
                    Some("as") => {
                        *i += 2;
                        out.push(path);
                        return;
                    }
                    _ => {
                        out.push(path);
                        return;
                    }
                }
            }
            _ => return,
        }
    }
}

/// What a file takes from the crate.
#[derive(Debug, Default)]
struct Scanned {
    /// (line, path from the crate root), for `use` declarations and inline paths alike.
    uses: Vec<(usize, Vec<String>)>,
    /// The first line that mentions `clap`.
    clap: Option<usize>,
    /// The first line that writes to the terminal (`stdout`, `stderr`, `println`, `eprintln`,
    /// `indicatif`).
    terminal: Option<usize>,
}

/// Names by which code writes to the terminal; only the binary may.
const TERMINAL: [&str; 7] = [
    "stdout",
    "stderr",
    "print",
    "println",
    "eprint",
    "eprintln",
    "indicatif",
];

/// Resolves `path` as written in `module` (the file's module and the inline modules around the
/// path) of `file` to a path from the crate root; `None` for another crate (or, in the binary,
/// the binary itself).
fn resolve(path: &[String], file: &str, module: &[String], krate: &Crate) -> Option<Vec<String>> {
    let (first, rest) = path.split_first()?;
    let binary = is_binary(file);
    let mut base: Vec<String> = match first.as_str() {
        "crate" | "self" | "super" if binary => return None,
        "crate" => Vec::new(),
        "spheres" if binary => Vec::new(),
        "self" => module.to_vec(),
        "super" => {
            let mut m = module.to_vec();
            m.pop()?;
            m
        }
        _ => {
            // A child module of the file's module, named without `self::`; else another crate.
            let mut child = module_of(file);
            child.push(first.clone());
            if binary || !krate.modules.contains(&child) {
                return None;
            }
            child.extend(rest.iter().cloned());
            return Some(child);
        }
    };
    let mut rest = rest;
    while let Some(("super", more)) = rest.split_first().map(|(s, m)| (s.as_str(), m)) {
        base.pop()?;
        rest = more;
    }
    base.extend(rest.iter().cloned());
    Some(krate.through_root(base))
}

/// Reads one source file.
fn scan(file: &str, source: &str, krate: &Crate) -> Scanned {
    let code = strip(source);
    let toks = tokens(&code);
    let t: Vec<&str> = toks.iter().map(|(s, _)| s.as_str()).collect();
    let mut scanned = Scanned {
        clap: toks.iter().find(|(s, _)| s == "clap").map(|&(_, l)| l),
        terminal: toks
            .iter()
            .find(|(s, _)| TERMINAL.contains(&s.as_str()))
            .map(|&(_, l)| l),
        ..Scanned::default()
    };
    let file_module = module_of(file);
    // Inline modules (`mod tests { … }`) open around the current token: (name, brace depth).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth: usize = 0;
    let mut i = 0;
    while i < t.len() {
        let line = toks[i].1;
        let mut module = file_module.clone();
        module.extend(inline.iter().map(|(name, _)| name.clone()));
        match t[i] {
            "{" => depth += 1,
            "}" => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|&(_, d)| d == depth) {
                    inline.pop();
                }
            }
            "mod" if t.get(i + 2) == Some(&"{") => {
                inline.push((t[i + 1].to_string(), depth));
                depth += 1;
                i += 3;
                continue;
            }
            // `use<'a>` is precise capturing in `impl Trait`, not an import.
            "use" if t.get(i + 1) != Some(&"<") => {
                let mut j = i + 1;
                let mut paths = Vec::new();
                use_tree(&t, &mut j, Vec::new(), &mut paths);
                for path in paths {
                    if let Some(p) = resolve(&path, file, &module, krate) {
                        scanned.uses.push((line, p));
                    }
                }
                i = (j..t.len()).find(|&k| t[k] == ";").unwrap_or(t.len()) + 1;
                continue;
            }
            "crate" | "super" | "self" | "spheres" if t.get(i + 1) == Some(&"::") => {
                let mut path = vec![t[i].to_string()];
                let mut j = i + 1;
                while t.get(j) == Some(&"::") && t.get(j + 1).is_some_and(|s| is_ident(s)) {
                    path.push(t[j + 1].to_string());
                    j += 2;
                }
                if let Some(p) = resolve(&path, file, &module, krate) {
                    scanned.uses.push((line, p));
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    scanned
}

// ---------------------------------------------------------------------------------------------
// The checks

/// A violation of the code map: `file` (at `line`) takes `what` (a path from the crate root, or
/// `clap`).
#[derive(Clone, Debug)]
struct Violation {
    file: String,
    line: usize,
    what: Vec<String>,
    message: String,
}

impl Violation {
    fn is(&self, file: &str, what: &str) -> bool {
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
fn check(sources: &[(String, String)], rows: &[Row]) -> (Vec<Violation>, Vec<String>) {
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

fn rust_files(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let root = Path::new(env!("CARGO_MANIFEST_DIR"));
            let name = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
}

fn code_map() -> Vec<Row> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let markdown = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    parse_code_map(&markdown).unwrap_or_else(|e| panic!("{e}"))
}

fn the_sources() -> Vec<(String, String)> {
    let mut sources = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut sources,
    );
    sources.sort();
    sources
}

// ---------------------------------------------------------------------------------------------
// The tests

#[test]
fn the_code_map_holds() {
    let (violations, mut problems) = check(&the_sources(), &code_map());
    for v in &violations {
        if !KNOWN_VIOLATIONS.iter().any(|(f, w)| v.is(f, w)) {
            problems.push(v.message.clone());
        }
    }
    for (file, what) in KNOWN_VIOLATIONS {
        if !violations.iter().any(|v| v.is(file, what)) {
            problems.push(format!(
                "{file} → `{what}` is in KNOWN_VIOLATIONS but no longer happens: remove it from the list in tests/architecture.rs"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "the code map of ARCHITECTURE.md does not hold:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_layers_have_no_cycle() {
    let below = |l: &str| {
        LAYERS
            .iter()
            .find(|(k, _)| *k == l)
            .map_or(&[][..], |(_, b)| *b)
    };
    for (layer, _) in LAYERS {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&str> = below(layer).to_vec();
        while let Some(l) = todo.pop() {
            assert_ne!(l, *layer, "LAYERS: `{layer}` can reach itself");
            if seen.insert(l) {
                todo.extend(below(l));
            }
        }
    }
}

/// The crate's sources with the files of `planted` replaced or added.
fn planted(planted: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut sources = the_sources();
    for &(file, text) in planted {
        match sources.iter_mut().find(|(f, _)| f == file) {
            Some(s) => s.1 = text.to_string(),
            None => sources.push((file.to_string(), text.to_string())),
        }
    }
    sources
}

/// The checker on sources held in memory: it must catch what is wrong and only that.
#[test]
fn the_checker_catches_violations() {
    let rows = code_map();
    let sources = planted(&[
        // The model imports the engine, in a `use` and inline; comments and strings do not count.
        (
            "src/model/stocks.rs",
            "use super::{Model, World};\n\
             use crate::engine::{step::simulate, rng as r};\n\
             // crate::experiments::run in a comment\n\
             /* use crate::report; */\n\
             fn f() -> &'static str { let _ = crate::experiments::run::run(); \"crate::report::write\" }\n\
             #[derive(clap::ValueEnum)] enum E { A }\n\
             #[cfg(test)] mod tests { use super::*; use crate::error::Result; }\n",
        ),
        // arms.rs and energy.rs import each other.
        ("src/model/arms.rs", "use super::energy::f;\n"),
        ("src/model/energy.rs", "fn g() { super::arms::h() }\n"),
        // A module of the binary may use clap and its siblings, but of the library only
        // `experiments`.
        (
            "src/cli/console.rs",
            "use clap::Parser;\nuse super::args::Cli;\nuse spheres::engine::rng;\n",
        ),
        // A file without a row.
        ("src/nowhere.rs", ""),
    ]);
    let (violations, problems) = check(&sources, &rows);
    let found: Vec<(String, usize, String)> = violations
        .iter()
        .filter(|v| !KNOWN_VIOLATIONS.iter().any(|(f, w)| v.is(f, w)))
        .map(|v| (v.file.clone(), v.line, v.what.join("::")))
        .collect();
    let expected = [
        ("src/model/stocks.rs", 2, "engine::step::simulate"),
        ("src/model/stocks.rs", 2, "engine::rng"),
        ("src/model/stocks.rs", 5, "experiments::run::run"),
        ("src/model/stocks.rs", 6, "clap"),
        ("src/model/arms.rs", 1, "model::energy"),
        ("src/model/energy.rs", 1, "model::arms"),
        ("src/cli/console.rs", 3, "engine::rng"),
    ];
    let expected: Vec<(String, usize, String)> = expected
        .iter()
        .map(|&(f, l, w)| (f.to_string(), l, w.to_string()))
        .collect();
    let mut sorted = found.clone();
    sorted.sort();
    let mut want = expected.clone();
    want.sort();
    assert_eq!(sorted, want, "{violations:#?}");
    let message = &violations
        .iter()
        .find(|v| v.what == path_of("engine::step::simulate"))
        .unwrap()
        .message;
    for part in [
        "src/model/stocks.rs:2",
        "`engine::step::simulate`",
        "row `src/model/stocks.rs`",
    ] {
        assert!(message.contains(part), "{message}");
    }
    assert!(
        problems
            .iter()
            .any(|p| p.contains("src/nowhere.rs has no row")),
        "{problems:?}"
    );
}

/// A row that allows more than its layer may use is caught.
#[test]
fn the_checker_catches_a_row_wider_than_its_layer() {
    let rows = code_map();
    let mut wide = rows.clone();
    let stocks = wide
        .iter_mut()
        .find(|r| r.pattern == "src/model/stocks.rs")
        .unwrap();
    stocks.may_use.push(path_of("engine"));
    let (_, problems) = check(&the_sources(), &wide);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("`src/model/stocks.rs` allows `engine`")),
        "{problems:?}"
    );
}

#[test]
fn rows_expand_and_match() {
    assert_eq!(
        expand_braces("src/model/{arms, energy}.rs"),
        ["src/model/arms.rs", "src/model/energy.rs"]
    );
    assert!(glob(b"src/report/charts/*.rs", b"src/report/charts/fan.rs"));
    assert!(!glob(b"src/*.rs", b"src/model/mod.rs"));
    let source = "let s = r#\"crate::x\"#; let c = '\"'; // crate::y\n\
                  let l: &'a str = \"\\\" crate::z\"; /* crate:: /* nested */ */ let e = '\\'';";
    let code = strip(source);
    assert!(!code.contains("crate"), "{code}");
    assert!(
        code.contains("let l: &'a str =") && code.contains("let e ="),
        "{code}"
    );
    assert_eq!(code.chars().count(), source.chars().count());
    assert_eq!(code.lines().count(), 2);
}
