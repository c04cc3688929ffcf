//! A TOML document as a tree whose every value remembers the file and byte offset it came from,
//! so that errors found after `extends` merging still point at a line and column.

use super::hints::did_you_mean;
use crate::error::{Error, Result};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use toml::Spanned;

/// Where a value was written: which source file, and the byte offset in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Loc {
    pub file: usize,
    pub offset: usize,
}

#[derive(Clone, Debug)]
pub enum Kind {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Array(Vec<Node>),
    Table(BTreeMap<String, Node>),
    /// A TOML date or time; no scenario key takes one (dates are strings such as "2019-10").
    Datetime,
}

#[derive(Clone, Debug)]
pub struct Node {
    pub kind: Kind,
    pub loc: Loc,
}

impl Kind {
    pub fn type_name(&self) -> &'static str {
        match self {
            Kind::Str(_) => "a string",
            Kind::Int(_) => "an integer",
            Kind::Float(_) => "a float",
            Kind::Bool(_) => "a boolean",
            Kind::Array(_) => "an array",
            Kind::Table(_) => "a table",
            Kind::Datetime => "a TOML date",
        }
    }
}

/// One scenario file's name (as the user should see it) and its text.
#[derive(Clone, Debug)]
pub struct Source {
    pub name: String,
    pub text: String,
    /// A value given on the command line (`--set path=value`) rather than a file: messages
    /// name it as written, without line and column.
    pub argument: bool,
}

/// All files read for one scenario, so that a `Loc` can be turned into `file:line:column`.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    /// The files, in the order read.
    pub files: Vec<Source>,
    /// What the user should know about how names were resolved (a file of the same name
    /// chosen over a bundled scenario), in the order found.
    pub notes: Vec<String>,
}

impl Sources {
    /// `file:line:column` of a location (1-based line and column, counted in characters).
    pub fn describe(&self, loc: Loc) -> String {
        let Some(src) = self.files.get(loc.file) else {
            return "<unknown>".to_string();
        };
        if src.argument {
            return src.name.clone();
        }
        let (line, col) = line_col(&src.text, loc.offset);
        format!("{}:{line}:{col}", src.name)
    }

    /// An input error located at `loc`.
    pub fn error(&self, loc: Loc, msg: impl std::fmt::Display) -> Error {
        Error::Input(format!("{}: {msg}", self.describe(loc)))
    }
}

pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Sets the number at a key path (`power.EU.budget.energy`); see [`set`].
pub fn set_number(root: &mut Node, path: &str, value: f64) -> std::result::Result<(), String> {
    let loc = root.loc;
    set(
        root,
        path,
        Node {
            kind: Kind::Float(value),
            loc,
        },
    )
    .map_err(|e| format!("{path}: {e}"))
}

/// Sets the value at a key path (`power.EU.budget.energy`): the second part of a path into
/// `state`, `power`, `policy`, `event` or `outcome` is the item's code or id, which must exist;
/// missing tables are made. The error says what is wrong with the path, not naming it.
pub fn set(root: &mut Node, path: &str, value: Node) -> std::result::Result<(), String> {
    let parts: Vec<&str> = path.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err("expected a key path such as `params.inertia` or `state.SRB.alignment`".into());
    }
    match set_parts(root, &parts, value) {
        Ok(()) => Ok(()),
        Err(Missing::Item { id, code }) => Err(no_item(root, parts[0], id, code)),
        Err(Missing::Said(text)) => Err(text),
    }
}

/// Why a path cannot be set: a message, or an item of a list that is not there (its message
/// reads the whole scenario, once the walk's borrow has ended).
enum Missing<'p> {
    Said(String),
    Item { id: &'static str, code: &'p str },
}

/// [`set`]'s walk down `parts`, making missing tables.
fn set_parts<'p>(root: &mut Node, parts: &[&'p str], value: Node) -> Result<(), Missing<'p>> {
    let loc = value.loc;
    let mut node = root;
    let mut k = 0;
    while k < parts.len() {
        let part = parts[k];
        let Kind::Table(map) = &mut node.kind else {
            return Err(Missing::Said(format!(
                "`{}` is not a table",
                parts[..k].join(".")
            )));
        };
        if k + 1 == parts.len() {
            map.insert(part.to_string(), value);
            return Ok(());
        }
        let child = map.entry(part.to_string()).or_insert_with(|| Node {
            kind: Kind::Table(Default::default()),
            loc,
        });
        node = match list_key(part).filter(|_| k == 0) {
            None => child,
            Some(id) => {
                let Kind::Array(items) = &mut child.kind else {
                    return Err(Missing::Said(format!("the scenario has no [[{part}]]")));
                };
                k += 1;
                let code = parts[k];
                let at = position(items, id, code).ok_or(Missing::Item { id, code })?;
                &mut items[at]
            }
        };
        k += 1;
    }
    Err(Missing::Said(format!(
        "names a whole item of a list; name the key to set in it (`{}.<key>`)",
        parts.join(".")
    )))
}

/// The node at a key path, read as [`set`] writes it (a list's item by its code or id), or
/// `None` where there is none.
pub fn get<'a>(root: &'a Node, path: &str) -> Option<&'a Node> {
    let parts: Vec<&str> = path.split('.').collect();
    let mut node = root;
    let mut k = 0;
    while k < parts.len() {
        let Kind::Table(map) = &node.kind else {
            return None;
        };
        node = map.get(parts[k])?;
        if let Some(id) = list_key(parts[k]).filter(|_| k == 0) {
            let Kind::Array(items) = &node.kind else {
                return None;
            };
            k += 1;
            node = &items[position(items, id, parts.get(k)?)?];
        }
        k += 1;
    }
    Some(node)
}

/// Where in a list the item whose `id` key is `code` stands.
fn position(items: &[Node], id: &str, code: &str) -> Option<usize> {
    items
        .iter()
        .position(|item| text(item, id).as_deref() == Some(code))
}

/// (id, power) of every policy that has both.
fn policy_powers(root: &Node) -> Vec<(String, String)> {
    items(root, "policy")
        .iter()
        .filter_map(|item| Some((text(item, "id")?, text(item, "power")?)))
        .collect()
}

/// The string at `key` of a table item.
fn text(item: &Node, key: &str) -> Option<String> {
    match &item.kind {
        Kind::Table(t) => match t.get(key).map(|n| &n.kind) {
            Some(Kind::Str(s)) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// The items of the top-level list `list`.
fn items<'a>(root: &'a Node, list: &str) -> &'a [Node] {
    let Kind::Table(t) = &root.kind else {
        return &[];
    };
    match t.get(list).map(|n| &n.kind) {
        Some(Kind::Array(items)) => items,
        _ => &[],
    }
}

/// The `key`s of the items of the top-level list `list`.
fn codes(root: &Node, list: &str, key: &str) -> Vec<String> {
    items(root, list)
        .iter()
        .filter_map(|item| text(item, key))
        .collect()
}

/// Why no item of `list` has `code`: a power's code is only ever matched to itself (up to
/// case), never to another power; a policy id that is a power's code says how to add one.
fn no_item(root: &Node, list: &str, id: &str, code: &str) -> String {
    let (known, powers, policies) = (
        codes(root, list, id),
        codes(root, "power", "code"),
        policy_powers(root),
    );
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    let power = powers.iter().find(|p| p.eq_ignore_ascii_case(code));
    let of_power: Vec<&str> = policies
        .iter()
        .filter(|(_, p)| Some(p) == power)
        .map(|(id, _)| id.as_str())
        .collect();
    match (list, power) {
        ("policy", Some(power)) if !of_power.is_empty() => format!(
            "there is no policy with id \"{code}\": policies are named by their id, and {power}'s here is {} (policy.{}.…)",
            of_power.join(", "),
            of_power[0]
        ),
        ("policy", Some(power)) => format!(
            "there is no policy with id \"{code}\": policies are named by their id ({}), not by their power's code, and {power} has none here. To change what {power} does from a month on, add a [[policy]] with power = \"{power}\" in a variant file (docs/SCENARIOS.md, `spheres init MINE --extends NAME` writes one); power.{power}.budget is the status quo the present is held under, not a policy",
            if known.is_empty() {
                "none in this scenario".to_string()
            } else {
                known.join(", ")
            }
        ),
        ("power", _) => {
            let same_case = known.iter().find(|k| k.eq_ignore_ascii_case(code));
            format!(
                "there is no power with code \"{code}\"{}; the powers are {}",
                same_case
                    .map(|k| format!(" (did you mean `{k}`?)"))
                    .unwrap_or_default(),
                known.join(", ")
            )
        }
        _ => format!(
            "there is no {list} with {id} \"{code}\"{}",
            did_you_mean(code, &known)
        ),
    }
}

/// Widest excerpt of a line an error shows, in characters.
const EXCERPT_CHARS: usize = 80;

/// The line of a syntax error with a caret under its column — only for a file named `.toml`, so
/// that an error never prints a line of a file that is not a scenario (`extends =
/// "/etc/shadow"`), and cut to [`EXCERPT_CHARS`] around the column.
fn excerpt(name: &str, text: &str, line: usize, col: usize) -> String {
    if !name.ends_with(".toml") {
        return String::new();
    }
    let Some(content) = text.lines().nth(line - 1) else {
        return String::new();
    };
    let chars: Vec<char> = content.chars().collect();
    let first = col.saturating_sub(EXCERPT_CHARS / 2 + 1).min(chars.len());
    let shown: String = chars[first..].iter().take(EXCERPT_CHARS).collect();
    let caret = " ".repeat(col.saturating_sub(first + 1));
    format!("\n  | {shown}\n  | {caret}^")
}

/// Parses `text` (file number `file`) into a located tree whose root is a table.
pub fn parse(text: &str, file: usize, name: &str) -> Result<Node> {
    let raw: Spanned<Raw> = toml::from_str(text).map_err(|e| {
        let msg = e.message().trim_end().to_string();
        match e.span() {
            Some(span) => {
                let (line, col) = line_col(text, span.start);
                Error::Input(format!(
                    "{name}:{line}:{col}: TOML syntax: {msg}{}",
                    excerpt(name, text, line, col)
                ))
            }
            None => Error::Input(format!("{name}: TOML syntax: {msg}")),
        }
    })?;
    Ok(locate(raw, file))
}

fn locate(raw: Spanned<Raw>, file: usize) -> Node {
    let loc = Loc {
        file,
        offset: raw.span().start,
    };
    let kind = match raw.into_inner() {
        Raw::Str(s) => Kind::Str(s),
        Raw::Int(i) => Kind::Int(i),
        Raw::Float(f) => Kind::Float(f),
        Raw::Bool(b) => Kind::Bool(b),
        Raw::Datetime => Kind::Datetime,
        Raw::Array(items) => Kind::Array(items.into_iter().map(|r| locate(r, file)).collect()),
        Raw::Table(map) => {
            Kind::Table(map.into_iter().map(|(k, v)| (k, locate(v, file))).collect())
        }
    };
    Node { kind, loc }
}

/// What toml's deserializer hands us, with a span on every value.
enum Raw {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Datetime,
    Array(Vec<Spanned<Raw>>),
    Table(Vec<(String, Spanned<Raw>)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Raw;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a TOML value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Raw, E> {
                Ok(Raw::Str(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<Raw, E> {
                Ok(Raw::Str(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Raw, E> {
                Ok(Raw::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Raw, E> {
                i64::try_from(v)
                    .map(Raw::Int)
                    .map_err(|_| E::custom("integer too large"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Raw, E> {
                Ok(Raw::Float(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<Raw, E> {
                Ok(Raw::Bool(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> std::result::Result<Raw, A::Error> {
                let mut items = Vec::new();
                while let Some(x) = s.next_element::<Spanned<Raw>>()? {
                    items.push(x);
                }
                Ok(Raw::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> std::result::Result<Raw, A::Error> {
                let mut entries = Vec::new();
                while let Some(k) = m.next_key::<String>()? {
                    // toml hands dates over as a one-key map; keep them as text.
                    if k == "$__toml_private_datetime" {
                        let _: String = m.next_value()?;
                        return Ok(Raw::Datetime);
                    }
                    let v = m.next_value::<Spanned<Raw>>()?;
                    entries.push((k, v));
                }
                Ok(Raw::Table(entries))
            }
        }
        d.deserialize_any(V)
    }
}

/// The key that identifies an item of a mergeable top-level list.
pub(super) fn list_key(list: &str) -> Option<&'static str> {
    match list {
        "state" | "power" => Some("code"),
        "event" | "shock" | "outcome" | "policy" => Some("id"),
        "uncertain" => Some("path"),
        _ => None,
    }
}

/// The keys a new item of a mergeable list must give besides its code or id (what its reader
/// requires): a variant's item that names no item of its base and lacks one of them is taken
/// for a mistyped code rather than a new item.
pub(super) fn required_keys(list: &str) -> &'static [&'static str] {
    match list {
        "state" => &["name", "population", "alignment"],
        "power" => &["name", "pole"],
        "policy" => &["power", "budget"],
        "event" => &["date", "state", "lever", "magnitude"],
        "shock" => &["date"],
        "outcome" => &["test", "state", "by", "base_rate"],
        "uncertain" => &["dist"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }

    #[test]
    fn every_value_carries_its_offset() {
        let text = "a = 1\n[t]\nb = \"x\"\n";
        let node = parse(text, 0, "f.toml").unwrap();
        let Kind::Table(root) = node.kind else {
            panic!()
        };
        let Kind::Table(t) = &root["t"].kind else {
            panic!()
        };
        assert_eq!(line_col(text, t["b"].loc.offset), (3, 5));
    }

    #[test]
    fn syntax_errors_name_file_line_and_column() {
        let err = parse("a = 1\nb = [1,\n", 0, "f.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("f.toml:2:8: TOML syntax"), "{err}");
    }
}
