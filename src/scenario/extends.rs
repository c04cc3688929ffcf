//! `extends`: a variant file names only what it changes. Tables merge key by key; the lists
//! `state`, `power` and `event` merge item by item on their `code` (or `id`); any other value
//! in the variant replaces the base's.

use super::hints::suggestion;
use super::node::{Kind, Node, Source, Sources, list_key, parse, required_keys};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Where scenario files come from: the file system, or the scenarios bundled in the binary.
pub trait Library {
    /// Reads `name` (as written in `extends`, relative to `from`, the including file) and
    /// returns a canonical name (for cycle detection and messages) with the text.
    fn read(&self, name: &str, from: Option<&str>) -> Result<(String, String)>;

    /// What the user should be told about the file `read` gave for `name` (its canonical
    /// name and text), if anything.
    fn note(&self, name: &str, from: Option<&str>, canonical: &str, text: &str) -> Option<String> {
        let _ = (name, from, canonical, text);
        None
    }
}

/// Files on disk; `extends` is relative to the including file's folder.
pub struct Disk;

impl Disk {
    /// The path `name` stands for: relative to the folder of `from`, the including file.
    pub fn path(name: &str, from: Option<&str>) -> PathBuf {
        normalize(&match from {
            Some(parent) => Path::new(parent)
                .parent()
                .unwrap_or(Path::new(""))
                .join(name),
            None => PathBuf::from(name),
        })
    }
}

/// `path` as an absolute path, to say where spheres looked.
pub fn absolute(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

impl Library for Disk {
    fn read(&self, name: &str, from: Option<&str>) -> Result<(String, String)> {
        let path = Disk::path(name, from);
        if path.is_dir() {
            return Err(Error::Input(format!(
                "{}: is a folder; expected a scenario file (.toml)",
                path.display()
            )));
        }
        let bytes = crate::output::read_input(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::Input(format!(
                "{}: no such scenario file{} (looked for {})",
                path.display(),
                from.map(|f| format!(" (named by `extends` in {f})"))
                    .unwrap_or_default(),
                absolute(&path)
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
    resolve_from(lib, name, None)
}

/// [`resolve`] for a name written in the file `from` (as a sweep file names its scenario).
pub fn resolve_from(lib: &dyn Library, name: &str, from: Option<&str>) -> Result<(Node, Sources)> {
    let mut sources = Sources::default();
    let mut chain: Vec<String> = Vec::new();
    let node = resolve_into(lib, name, from, &mut sources, &mut chain)?;
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
    if let Some(note) = lib.note(name, from, &canonical, &text) {
        sources.notes.push(note);
    }
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
        argument: false,
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
    merge(&mut base, node, sources, parent_name)?;
    Ok(base)
}

/// Merges `over` into the whole file `base` (which `over`'s file names `parent` in its
/// `extends`): the top-level lists merge item by item.
fn merge(base: &mut Node, over: Node, sources: &Sources, parent: &str) -> Result<()> {
    merge_at(base, over, sources, Level::File, parent)
}

/// Where a merge is: at the top of the file, whose lists merge item by item, or inside a value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    File,
    Inside,
}

fn merge_at(
    base: &mut Node,
    over: Node,
    sources: &Sources,
    level: Level,
    parent: &str,
) -> Result<()> {
    match (&mut base.kind, over.kind) {
        (Kind::Table(b), Kind::Table(o)) => {
            for (key, value) in o {
                let list = match level {
                    Level::File => list_key(&key),
                    Level::Inside => None,
                };
                match (b.get_mut(&key), list) {
                    (Some(existing), Some(id)) => {
                        merge_list(existing, value, id, &key, sources, parent)?
                    }
                    (Some(existing), None) if matches!(value.kind, Kind::Table(_)) => {
                        merge_at(existing, value, sources, Level::Inside, parent)?
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

fn merge_list(
    base: &mut Node,
    over: Node,
    id: &str,
    list: &str,
    sources: &Sources,
    parent: &str,
) -> Result<()> {
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
            Some(existing) => merge_at(existing, item, sources, Level::Inside, parent)?,
            None => {
                new_item(&item, &key, b, id, list, sources, parent)?;
                b.push(item);
            }
        }
    }
    Ok(())
}

/// Checks an item of a variant whose code or id names no item of its base: a new item must
/// give every key its reader requires; one that does not is most likely a mistyped code
/// (`SRBB` for `SRB`), and is refused saying so, with the nearest code of the base.
fn new_item(
    item: &Node,
    key: &str,
    base: &[Node],
    id: &str,
    list: &str,
    sources: &Sources,
    parent: &str,
) -> Result<()> {
    let Kind::Table(t) = &item.kind else {
        return Ok(());
    };
    let lacks: Vec<String> = required_keys(list)
        .iter()
        .filter(|k| !t.contains_key(**k))
        .map(|k| format!("`{k}`"))
        .collect();
    if lacks.is_empty() {
        return Ok(());
    }
    let known: Vec<String> = base
        .iter()
        .filter_map(|i| item_key(i, id, list, sources).ok())
        .collect();
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    let what = match suggestion(key, &known) {
        Some(k) => format!("; did you mean `{k}`?"),
        None if known.len() <= 30 => format!(" (its {list} {id}s: {}).", known.join(", ")),
        None => ".".to_string(),
    };
    let needs: Vec<String> = required_keys(list)
        .iter()
        .map(|k| format!("`{k}`"))
        .collect();
    Err(sources.error(
        item.loc,
        format!(
            "{list}[{key}]: no {list} `{key}` in the base scenario{what} A new [[{list}]] \
             needs {}; this one lacks {} (base: {parent})",
            and(&needs),
            and(&lacks)
        ),
    ))
}

/// `a`, `a and b`, `a, b and c`.
fn and(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Two files in memory: `base.toml` and `variant.toml`, which extends it.
    struct Two(String, String);

    impl Library for Two {
        fn read(&self, name: &str, _: Option<&str>) -> Result<(String, String)> {
            match name {
                "base.toml" => Ok((name.into(), self.0.clone())),
                _ => Ok((name.into(), self.1.clone())),
            }
        }
    }

    const BASE: &str = "[scenario]\nname = \"b\"\nstart = \"2030-01\"\nmonths = 12\n\
        [[state]]\ncode = \"SRB\"\nname = \"S\"\npopulation = 5\nalignment = 0.2\n\
        [[power]]\ncode = \"RUS\"\nname = \"R\"\npole = \"moscow\"\n\
        [[policy]]\nid = \"p\"\npower = \"RUS\"\nbudget = { arms = 1 }\n\
        [[event]]\nid = \"e\"\ndate = \"2030-02\"\nstate = \"SRB\"\nlever = \"arms\"\nmagnitude = 0.1\n\
        [[outcome]]\nid = \"o\"\ntest = \"never_above\"\nvalue = 0.9\nstate = \"SRB\"\nby = \"2030-06\"\nbase_rate = 0.5\n";

    /// A new item of each list with exactly its required keys (and `value` for the outcome's
    /// test), as TOML lines after `[[list]]`.
    fn new_item(list: &str) -> Vec<(&'static str, &'static str)> {
        match list {
            "state" => vec![("name", "\"N\""), ("population", "7"), ("alignment", "0.1")],
            "power" => vec![("name", "\"W\""), ("pole", "\"west\"")],
            "policy" => vec![("power", "\"RUS\""), ("budget", "{ energy = 2 }")],
            "event" => vec![
                ("date", "\"2030-03\""),
                ("state", "\"SRB\""),
                ("lever", "\"energy\""),
                ("magnitude", "0.2"),
            ],
            _ => vec![
                ("test", "\"never_above\""),
                ("state", "\"SRB\""),
                ("by", "\"2030-05\""),
                ("base_rate", "0.3"),
                ("value", "0.5"),
            ],
        }
    }

    fn load(variant: String) -> Result<crate::scenario::Scenario> {
        crate::scenario::load_from(&Two(BASE.into(), variant), "variant.toml")
    }

    #[test]
    fn a_new_item_with_the_required_keys_is_appended_and_one_without_is_a_typo() {
        for list in ["state", "power", "policy", "event", "outcome"] {
            let id = list_key(list).unwrap();
            let keys = new_item(list);
            let item = |skip: Option<&str>, code: &str| {
                let mut text = format!("extends = \"base.toml\"\n[[{list}]]\n{id} = \"{code}\"\n");
                for (k, v) in keys.iter().filter(|(k, _)| Some(*k) != skip) {
                    text += &format!("{k} = {v}\n");
                }
                text
            };
            let s = load(item(None, "NEW"))
                .unwrap_or_else(|e| panic!("{list}: a full new item is refused: {e}"));
            let count = match list {
                "state" => s.state.len(),
                "power" => s.power.len(),
                "policy" => s.policy.len(),
                "event" => s.event.len(),
                _ => s.outcome.len(),
            };
            assert_eq!(count, 2, "{list}: the new item is appended");
            for required in required_keys(list) {
                let err = load(item(Some(required), "NEW")).unwrap_err().to_string();
                assert!(
                    err.contains(&format!("no {list} `NEW` in the base scenario"))
                        && err.contains(&format!("lacks `{required}`")),
                    "{list} without {required}: {err}"
                );
                // Each required key is one the reader requires: a file of its own without it
                // is refused naming it.
                let alone = item(Some(required), "NEW").replace("extends = \"base.toml\"\n", "");
                let err = crate::scenario::from_text("v.toml", &format!("{BASE}{alone}"))
                    .unwrap_err()
                    .to_string();
                assert!(
                    err.contains(required),
                    "{list} alone without {required}: {err}"
                );
            }
        }
        let err =
            load("extends = \"base.toml\"\n[[state]]\ncode = \"SRBB\"\nalignment = 0\n".into())
                .unwrap_err()
                .to_string();
        assert!(
            err.contains("state[SRBB]: no state `SRBB` in the base scenario; did you mean `SRB`?"),
            "{err}"
        );
    }
}
