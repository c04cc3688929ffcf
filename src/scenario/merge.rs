//! `extends`: a variant file names only what it changes. Tables merge key by key; the lists
//! `state`, `power` and `event` merge item by item on their `code` (or `id`); any other value
//! in the variant replaces the base's.

use super::node::{Kind, Node, Source, Sources, list_key, parse};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Where scenario files come from: the file system, or the scenarios bundled in the binary.
pub trait Library {
    /// Reads `name` (as written in `extends`, relative to `from`, the including file) and
    /// returns a canonical name (for cycle detection and messages) with the text.
    fn read(&self, name: &str, from: Option<&str>) -> Result<(String, String)>;
}

/// Files on disk; `extends` is relative to the including file's folder.
pub struct Disk;

impl Library for Disk {
    fn read(&self, name: &str, from: Option<&str>) -> Result<(String, String)> {
        let path = normalize(&match from {
            Some(parent) => Path::new(parent)
                .parent()
                .unwrap_or(Path::new(""))
                .join(name),
            None => PathBuf::from(name),
        });
        if path.is_dir() {
            return Err(Error::Input(format!(
                "{}: is a folder; expected a scenario file (.toml)",
                path.display()
            )));
        }
        let bytes = crate::output::read_input(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::Input(format!(
                "{}: no such scenario file{}",
                path.display(),
                from.map(|f| format!(" (named by `extends` in {f})"))
                    .unwrap_or_default()
            )),
            _ => match (crate::output::input_error(&path, e), from) {
                (Error::Input(msg), Some(f)) => {
                    Error::Input(format!("{msg} (named by `extends` in {f})"))
                }
                (other, _) => other,
            },
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            Error::Input(format!(
                "{}: not UTF-8 text (invalid byte at offset {}); expected a TOML scenario file",
                path.display(),
                e.utf8_error().valid_up_to()
            ))
        })?;
        Ok((path.display().to_string(), text))
    }
}

/// `path` with `.` and `dir/..` removed, so that one file has one name however `extends`
/// reaches it (a cycle through `../` is then seen as one).
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// Reads `name` and everything it extends, returning the merged tree and the files read.
pub fn resolve(lib: &dyn Library, name: &str) -> Result<(Node, Sources)> {
    let mut sources = Sources::default();
    let mut chain: Vec<String> = Vec::new();
    let node = resolve_into(lib, name, None, &mut sources, &mut chain)?;
    Ok((node, sources))
}

fn resolve_into(
    lib: &dyn Library,
    name: &str,
    from: Option<&str>,
    sources: &mut Sources,
    chain: &mut Vec<String>,
) -> Result<Node> {
    let (canonical, text) = lib.read(name, from)?;
    if chain.contains(&canonical) {
        chain.push(canonical);
        return Err(Error::Input(format!(
            "cyclic `extends`: {}; a variant may extend a base, but the chain must end",
            chain.join(" -> ")
        )));
    }
    let file = sources.files.len();
    sources.files.push(Source {
        name: canonical.clone(),
        text: text.clone(),
    });
    let mut node = parse(&text, file, &canonical)?;
    let Kind::Table(root) = &mut node.kind else {
        unreachable!("a TOML document is a table")
    };
    let Some(ext) = root.remove("extends") else {
        return Ok(node);
    };
    let Kind::Str(parent_name) = &ext.kind else {
        return Err(sources.error(
            ext.loc,
            format!(
                "`extends` is {}; expected a file name such as \"balkans.toml\"",
                ext.kind.type_name()
            ),
        ));
    };
    chain.push(canonical.clone());
    let mut base = resolve_into(lib, parent_name, Some(&canonical), sources, chain)?;
    chain.pop();
    merge(&mut base, node, sources)?;
    Ok(base)
}

/// Merges `over` into the whole file `base`: the top-level lists merge item by item.
fn merge(base: &mut Node, over: Node, sources: &Sources) -> Result<()> {
    merge_at(base, over, sources, Level::File)
}

/// Where a merge is: at the top of the file, whose lists merge item by item, or inside a value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    File,
    Inside,
}

fn merge_at(base: &mut Node, over: Node, sources: &Sources, level: Level) -> Result<()> {
    match (&mut base.kind, over.kind) {
        (Kind::Table(b), Kind::Table(o)) => {
            for (key, value) in o {
                let list = match level {
                    Level::File => list_key(&key),
                    Level::Inside => None,
                };
                match (b.get_mut(&key), list) {
                    (Some(existing), Some(id)) => merge_list(existing, value, id, &key, sources)?,
                    (Some(existing), None) if matches!(value.kind, Kind::Table(_)) => {
                        merge_at(existing, value, sources, Level::Inside)?
                    }
                    _ => {
                        b.insert(key, value);
                    }
                }
            }
            Ok(())
        }
        (_, kind) => {
            *base = Node {
                kind,
                loc: over.loc,
            };
            Ok(())
        }
    }
}

fn merge_list(base: &mut Node, over: Node, id: &str, list: &str, sources: &Sources) -> Result<()> {
    let (Kind::Array(b), Kind::Array(o)) = (&mut base.kind, over.kind) else {
        return Err(sources.error(
            over.loc,
            format!("`{list}` must be an array of tables ([[{list}]])"),
        ));
    };
    for item in o {
        let key = item_key(&item, id, list, sources)?;
        let mut target = None;
        for existing in b.iter_mut() {
            if item_key(existing, id, list, sources)? == key {
                target = Some(existing);
                break;
            }
        }
        match target {
            Some(existing) => merge_at(existing, item, sources, Level::Inside)?,
            None => b.push(item),
        }
    }
    Ok(())
}

fn item_key(item: &Node, id: &str, list: &str, sources: &Sources) -> Result<String> {
    if let Kind::Table(t) = &item.kind
        && let Some(Node {
            kind: Kind::Str(s), ..
        }) = t.get(id)
    {
        return Ok(s.clone());
    }
    Err(sources.error(
        item.loc,
        format!("every [[{list}]] needs a string `{id}`, by which variants refer to it"),
    ))
}
