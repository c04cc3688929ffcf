//! Reading the sources: the module and layer of each file, the crate's modules, and what a
//! file takes from the crate (its comments and literals blanked, its tokens, its `use` trees and
//! inline paths resolved from the crate root).

use std::collections::{BTreeMap, BTreeSet};

// ---------------------------------------------------------------------------------------------
// Files and modules

/// The module of a file under src/ ("src/model/mod.rs" → model, "src/model/arms.rs" →
/// model::arms, "src/lib.rs" → the root); in the binary, "src/main.rs" → main, "src/cli/args.rs"
/// → cli::args.
pub fn module_of(file: &str) -> Vec<String> {
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
pub fn is_binary(file: &str) -> bool {
    file == "src/main.rs" || file.starts_with("src/cli/")
}

/// The layer (a key of `LAYERS`) of a file.
pub fn layer_of(file: &str) -> String {
    match file {
        "src/lib.rs" => "lib".to_string(),
        _ if is_binary(file) => "main".to_string(),
        _ => module_of(file)[0].clone(),
    }
}

/// The library's modules, and the crate root's re-exports (name → path).
pub struct Crate {
    pub modules: BTreeSet<Vec<String>>,
    root_exports: BTreeMap<String, Vec<String>>,
}

impl Crate {
    pub fn new(files: &[String], lib_rs: &str) -> Crate {
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
    pub fn module_part(&self, path: &[String]) -> Vec<String> {
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
pub fn strip(source: &str) -> String {
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
pub struct Scanned {
    /// (line, path from the crate root), for `use` declarations and inline paths alike.
    pub uses: Vec<(usize, Vec<String>)>,
    /// The first line that mentions `clap`.
    pub clap: Option<usize>,
    /// The first line that writes to the terminal (`stdout`, `stderr`, `println`, `eprintln`,
    /// `indicatif`).
    pub terminal: Option<usize>,
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
pub fn scan(file: &str, source: &str, krate: &Crate) -> Scanned {
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
