//! Typed reading of a merged scenario tree: every key is checked for type and range, unknown
//! keys are refused, and every error names `file:line:column`, the key path and what was expected.

use super::hints::{did_you_mean, nearest};
use super::node::{Kind, Loc, Node, Sources};
use super::vocabulary::YearMonth;
use crate::error::{Error, Result};
use std::collections::{BTreeMap, HashMap};
use std::ops::RangeInclusive;

/// Locations of every value read, by key path (`state[SRB].neighbours`), for later checks.
#[derive(Default, Debug)]
pub struct Spots {
    map: HashMap<String, Loc>,
    /// The range of every number the reader asked for, given or not, by key path.
    ranges: HashMap<String, (f64, f64)>,
}

impl Spots {
    pub fn get(&self, path: &str) -> Option<Loc> {
        self.map.get(path).copied()
    }

    /// The range of the number at `path` (`state[SRB].alignment`), if the reader reads one there.
    pub fn range(&self, path: &str) -> Option<(f64, f64)> {
        self.ranges.get(path).copied()
    }
}

/// Reading context shared by every table: the files (for messages) and the spots recorded.
pub struct Ctx<'s> {
    pub sources: &'s Sources,
    pub spots: Spots,
}

impl Ctx<'_> {
    pub fn error_at(&self, loc: Loc, path: &str, msg: impl std::fmt::Display) -> Error {
        self.sources.error(loc, format!("{path}: {msg}"))
    }

    /// An error at the recorded location of `path` (or at `fallback` when none was recorded).
    pub fn error_path(&self, path: &str, fallback: Loc, msg: impl std::fmt::Display) -> Error {
        self.error_at(self.spots.get(path).unwrap_or(fallback), path, msg)
    }
}

/// One TOML table being read; `finish` refuses the keys nobody asked for.
pub struct Obj<'n> {
    pub path: String,
    pub loc: Loc,
    map: &'n BTreeMap<String, Node>,
    known: Vec<&'static str>,
}

impl<'n> Obj<'n> {
    pub fn new(node: &'n Node, path: &str, ctx: &Ctx) -> Result<Self> {
        match &node.kind {
            Kind::Table(map) => Ok(Obj {
                path: path.to_string(),
                loc: node.loc,
                map,
                known: Vec::new(),
            }),
            other => Err(ctx.error_at(
                node.loc,
                path,
                format!("is {}; expected a table", other.type_name()),
            )),
        }
    }

    fn key_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The node at `key`, if present, recording its location.
    pub fn node(&mut self, key: &'static str, ctx: &mut Ctx) -> Option<&'n Node> {
        self.known.push(key);
        let node = self.map.get(key)?;
        ctx.spots.map.insert(self.key_path(key), node.loc);
        Some(node)
    }

    fn missing(&self, key: &str, what: &str, ctx: &Ctx) -> Error {
        ctx.error_at(
            self.loc,
            &self.path,
            format!("missing key `{key}`; expected {what}"),
        )
    }

    fn wrong(&self, key: &str, node: &Node, what: &str, ctx: &Ctx) -> Error {
        ctx.error_at(
            node.loc,
            &self.key_path(key),
            format!("is {}; expected {what}", node.kind.type_name()),
        )
    }

    pub fn f64_opt(
        &mut self,
        key: &'static str,
        range: RangeInclusive<f64>,
        what: &str,
        ctx: &mut Ctx,
    ) -> Result<Option<f64>> {
        ctx.spots
            .ranges
            .insert(self.key_path(key), (*range.start(), *range.end()));
        let Some(node) = self.node(key, ctx) else {
            return Ok(None);
        };
        let v = match node.kind {
            Kind::Float(f) => f,
            Kind::Int(i) => i as f64,
            _ => return Err(self.wrong(key, node, what, ctx)),
        };
        if !v.is_finite() {
            return Err(ctx.error_at(
                node.loc,
                &self.key_path(key),
                format!("= {v}; expected a finite number: {what}"),
            ));
        }
        if !range.contains(&v) {
            return Err(ctx.error_at(
                node.loc,
                &self.key_path(key),
                format!("= {v} is out of range; expected {what}"),
            ));
        }
        Ok(Some(v))
    }

    pub fn f64_or(
        &mut self,
        key: &'static str,
        default: f64,
        range: RangeInclusive<f64>,
        what: &str,
        ctx: &mut Ctx,
    ) -> Result<f64> {
        Ok(self.f64_opt(key, range, what, ctx)?.unwrap_or(default))
    }

    pub fn f64_req(
        &mut self,
        key: &'static str,
        range: RangeInclusive<f64>,
        what: &str,
        ctx: &mut Ctx,
    ) -> Result<f64> {
        self.f64_opt(key, range, what, ctx)?
            .ok_or_else(|| self.missing(key, what, ctx))
    }

    pub fn int_opt(
        &mut self,
        key: &'static str,
        range: RangeInclusive<i64>,
        what: &str,
        ctx: &mut Ctx,
    ) -> Result<Option<i64>> {
        let Some(node) = self.node(key, ctx) else {
            return Ok(None);
        };
        let Kind::Int(v) = node.kind else {
            return Err(self.wrong(key, node, what, ctx));
        };
        if !range.contains(&v) {
            return Err(ctx.error_at(
                node.loc,
                &self.key_path(key),
                format!("= {v} is out of range; expected {what}"),
            ));
        }
        Ok(Some(v))
    }

    pub fn int_req(
        &mut self,
        key: &'static str,
        range: RangeInclusive<i64>,
        what: &str,
        ctx: &mut Ctx,
    ) -> Result<i64> {
        self.int_opt(key, range, what, ctx)?
            .ok_or_else(|| self.missing(key, what, ctx))
    }

    pub fn bool_or(&mut self, key: &'static str, default: bool, ctx: &mut Ctx) -> Result<bool> {
        match self.node(key, ctx) {
            None => Ok(default),
            Some(Node {
                kind: Kind::Bool(b),
                ..
            }) => Ok(*b),
            Some(node) => Err(self.wrong(key, node, "true or false", ctx)),
        }
    }

    pub fn str_opt(
        &mut self,
        key: &'static str,
        what: &str,
        ctx: &mut Ctx,
    ) -> Result<Option<String>> {
        match self.node(key, ctx) {
            None => Ok(None),
            Some(Node {
                kind: Kind::Str(s), ..
            }) => Ok(Some(s.clone())),
            Some(node) => Err(self.wrong(key, node, what, ctx)),
        }
    }

    pub fn str_req(&mut self, key: &'static str, what: &str, ctx: &mut Ctx) -> Result<String> {
        self.str_opt(key, what, ctx)?
            .ok_or_else(|| self.missing(key, what, ctx))
    }

    /// A string that must be one of `choices`.
    pub fn choice<T: Copy>(
        &mut self,
        key: &'static str,
        choices: &[(&str, T)],
        default: Option<T>,
        ctx: &mut Ctx,
    ) -> Result<T> {
        let names: Vec<String> = choices.iter().map(|(n, _)| format!("\"{n}\"")).collect();
        let what = format!("one of {}", names.join(", "));
        let Some(node) = self.node(key, ctx) else {
            return default.ok_or_else(|| self.missing(key, &what, ctx));
        };
        let Kind::Str(s) = &node.kind else {
            return Err(self.wrong(key, node, &what, ctx));
        };
        choices
            .iter()
            .find(|(n, _)| n == s)
            .map(|(_, v)| *v)
            .ok_or_else(|| {
                let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
                ctx.error_at(
                    node.loc,
                    &self.key_path(key),
                    format!(
                        "= \"{s}\" is not known{}; expected {what}",
                        did_you_mean(s, &names)
                    ),
                )
            })
    }

    /// A list of strings (state codes, usually); missing means empty.
    pub fn strings(&mut self, key: &'static str, ctx: &mut Ctx) -> Result<Vec<String>> {
        let Some(node) = self.node(key, ctx) else {
            return Ok(Vec::new());
        };
        let Kind::Array(items) = &node.kind else {
            return Err(self.wrong(
                key,
                node,
                "a list of strings such as [\"SRB\", \"MNE\"]",
                ctx,
            ));
        };
        items
            .iter()
            .map(|item| match &item.kind {
                Kind::Str(s) => Ok(s.clone()),
                other => Err(ctx.error_at(
                    item.loc,
                    &self.key_path(key),
                    format!("holds {}; expected a list of strings", other.type_name()),
                )),
            })
            .collect()
    }

    /// A sub-table, if present.
    pub fn table(&mut self, key: &'static str, ctx: &mut Ctx) -> Result<Option<Obj<'n>>> {
        let path = self.key_path(key);
        match self.node(key, ctx) {
            None => Ok(None),
            Some(node) => Obj::new(node, &path, ctx).map(Some),
        }
    }

    /// A list of tables (`[[state]]`); missing means empty.
    pub fn tables(&mut self, key: &'static str, ctx: &mut Ctx) -> Result<Vec<&'n Node>> {
        let Some(node) = self.node(key, ctx) else {
            return Ok(Vec::new());
        };
        match &node.kind {
            Kind::Array(items) => Ok(items.iter().collect()),
            _ => Err(self.wrong(key, node, &format!("a list of tables ([[{key}]])"), ctx)),
        }
    }

    /// A table whose keys are free (state codes, lever names) and values are numbers.
    pub fn number_map(
        &mut self,
        key: &'static str,
        range: RangeInclusive<f64>,
        what: &str,
        ctx: &mut Ctx,
    ) -> Result<Option<BTreeMap<String, f64>>> {
        let Some(obj) = self.table(key, ctx)? else {
            return Ok(None);
        };
        let mut out = BTreeMap::new();
        for (k, node) in obj.map {
            let path = obj.key_path(k);
            ctx.spots.map.insert(path.clone(), node.loc);
            let v = match node.kind {
                Kind::Float(f) => f,
                Kind::Int(i) => i as f64,
                _ => {
                    return Err(ctx.error_at(
                        node.loc,
                        &path,
                        format!("is {}; expected {what}", node.kind.type_name()),
                    ));
                }
            };
            if !v.is_finite() || !range.contains(&v) {
                return Err(ctx.error_at(node.loc, &path, format!("= {v}; expected {what}")));
            }
            out.insert(k.clone(), v);
        }
        Ok(Some(out))
    }

    /// Refuses any key that was not asked for, suggesting the nearest known one.
    pub fn finish(self, ctx: &Ctx) -> Result<()> {
        for (key, node) in self.map {
            if self.known.iter().any(|k| k == key) {
                continue;
            }
            let mut known: Vec<&str> = self.known.clone();
            known.sort_unstable();
            known.dedup();
            let hint = nearest(key, &known)
                .map(|k| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
            let where_ = if self.path.is_empty() {
                "at the top level".to_string()
            } else {
                format!("in {}", self.path)
            };
            return Err(ctx.sources.error(
                node.loc,
                format!(
                    "unknown key `{key}` {where_}{hint}; expected one of: {}",
                    known.join(", ")
                ),
            ));
        }
        Ok(())
    }
}

/// At most 80 characters of a value echoed in an error (a 1 MB code is not printed whole).
pub fn clip(value: &str) -> String {
    const MAX: usize = 80;
    if value.chars().count() <= MAX {
        return value.to_string();
    }
    let head: String = value.chars().take(MAX).collect();
    format!("{head}… ({} characters)", value.chars().count())
}

/// The month `text` read from `key`, or an error at it ending in `such_as`.
pub(super) fn month(o: &Obj, key: &str, text: &str, such_as: &str, ctx: &Ctx) -> Result<YearMonth> {
    YearMonth::parse(text).ok_or_else(|| {
        ctx.error_path(
            &format!("{}.{key}", o.path),
            o.loc,
            format!("= \"{text}\"; expected a month \"YYYY-MM\"{such_as}"),
        )
    })
}
