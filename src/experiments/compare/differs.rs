//! What a variant changes against the baseline, told before a comparison runs: every key whose
//! value differs in the two resolved scenarios (policies, budgets, parameters, states, events),
//! and a warning when a variant whose name names a power changes what other powers do too (its
//! differences then mix them: the US's return measured against a world where the EU also
//! switches back on).

use crate::error::{Error, Result};
use crate::scenario::Scenario;
use toml::{Table, Value};

/// Most changes a note lists per variant; the rest are counted.
pub const MAX_LISTED: usize = 12;

/// One key whose value differs: its path, and its value in the baseline and in the variant
/// (`None` where the scenario has no such key or item).
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub path: String,
    pub base: Option<String>,
    pub variant: Option<String>,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        let side = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
        write!(
            f,
            "{}: {} → {}",
            self.path,
            side(&self.base),
            side(&self.variant)
        )
    }
}

/// Every key whose value differs between the two scenarios (their names and descriptions
/// aside), in key-path order; list items are matched by their id, code or path.
pub fn changes(base: &Scenario, variant: &Scenario) -> Result<Vec<Change>> {
    let table = |s: &Scenario| -> Result<Table> {
        s.to_toml()?
            .parse::<Table>()
            .map_err(|e| Error::Internal(format!("reading a resolved scenario back: {e}")))
    };
    let mut out = Vec::new();
    let (a, b) = (Value::Table(table(base)?), Value::Table(table(variant)?));
    walk("", Some(&a), Some(&b), &mut out);
    // Names and prose (descriptions, a prior's reasoning) change nothing the model does.
    // The comparison runs on the baseline's runs and seed.
    let ignored = ["scenario.name", "scenario.runs", "scenario.seed"];
    out.retain(|c| {
        !ignored.contains(&c.path.as_str())
            && !c.path.ends_with(".description")
            && !c.path.ends_with(".why")
    });
    Ok(out)
}

/// Adds the differences under `path` to `out`.
fn walk(path: &str, a: Option<&Value>, b: Option<&Value>, out: &mut Vec<Change>) {
    let join = |key: &str| match path {
        "" => key.to_string(),
        _ => format!("{path}.{key}"),
    };
    match (a, b) {
        (Some(Value::Table(x)), Some(Value::Table(y))) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                walk(&join(key), x.get(key), y.get(key), out);
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y)))
            if keyed(x).is_some() && keyed(y).is_some() =>
        {
            let (x, y) = (keyed(x).unwrap_or_default(), keyed(y).unwrap_or_default());
            let mut ids: Vec<&String> = x.iter().chain(&y).map(|(id, _)| id).collect();
            ids.sort();
            ids.dedup();
            for id in ids {
                walk(&join(id), find(&x, id), find(&y, id), out);
            }
        }
        (x, y) if x != y => out.push(Change {
            path: path.to_string(),
            base: x.map(render),
            variant: y.map(render),
        }),
        _ => {}
    }
}

/// The item of `items` with this id.
fn find<'a>(items: &[(String, &'a Value)], id: &str) -> Option<&'a Value> {
    items.iter().find(|(i, _)| i == id).map(|(_, v)| *v)
}

/// The items of an array of tables by their id (`id`, `code` or `path`), or `None` when they
/// have none.
fn keyed(items: &[Value]) -> Option<Vec<(String, &Value)>> {
    items
        .iter()
        .map(|item| {
            let t = item.as_table()?;
            let id = ["id", "code", "path"]
                .iter()
                .find_map(|k| t.get(*k).and_then(Value::as_str))?;
            Some((id.to_string(), item))
        })
        .collect()
}

/// A value as a note shows it: numbers and strings plain, tables and arrays as TOML.
fn render(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Float(f) => format!("{f}"),
        Value::Integer(i) => i.to_string(),
        Value::Boolean(b) => b.to_string(),
        other => {
            let text = other.to_string().replace('\n', " ");
            match text.chars().count() > MAX_VALUE_CHARS {
                true => format!(
                    "{}…",
                    text.chars().take(MAX_VALUE_CHARS).collect::<String>()
                ),
                false => text,
            }
        }
    }
}

/// Widest value a note shows, in characters (a whole item added or removed is cut).
const MAX_VALUE_CHARS: usize = 72;

/// The codes of the powers whose policies or status-quo budgets the changes touch.
pub fn powers_changed(changes: &[Change], base: &Scenario, variant: &Scenario) -> Vec<String> {
    let mut powers: Vec<String> = changes
        .iter()
        .filter_map(|c| {
            let mut parts = c.path.split('.');
            match (parts.next(), parts.next()) {
                (Some("power"), Some(code)) => Some(code.to_string()),
                (Some("policy"), Some(id)) => base
                    .policy
                    .iter()
                    .chain(&variant.policy)
                    .find(|p| p.id == id)
                    .map(|p| p.power.clone()),
                _ => None,
            }
        })
        .collect();
    powers.sort();
    powers.dedup();
    powers
}

/// A warning when the variant's name names a power (a word of it is the power's code) and the
/// variant also changes what another power does.
pub fn mixes_powers(variant: &Scenario, base_label: &str, powers: &[String]) -> Option<String> {
    let name = &variant.scenario.name;
    let words: Vec<String> = name
        .split(['-', '_'])
        .map(str::to_ascii_uppercase)
        .collect();
    let named: Vec<&String> = powers.iter().filter(|p| words.contains(p)).collect();
    let others: Vec<&String> = powers.iter().filter(|p| !words.contains(p)).collect();
    if named.is_empty() || others.is_empty() {
        return None;
    }
    let list = |v: &[&String]| {
        v.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let (named, others) = (list(&named), list(&others));
    let verb = if others.contains(" and ") {
        "do"
    } else {
        "does"
    };
    Some(format!(
        "{name} names {named} but also changes what {others} {verb} against {base_label}: its differences mix them. To see {named}'s own effect, compare it with a baseline that differs from it only in what {named} does (the changes are listed above)"
    ))
}

/// The note listing a variant's changes (at most [`MAX_LISTED`]).
pub fn note(label: &str, base_label: &str, changes: &[Change]) -> String {
    if changes.is_empty() {
        return format!("{label} changes nothing against {base_label}: its differences are 0");
    }
    let mut text = format!(
        "{label} against {base_label} changes {} key{}:",
        changes.len(),
        if changes.len() == 1 { "" } else { "s" }
    );
    for c in changes.iter().take(MAX_LISTED) {
        text.push_str(&format!("\n  {c}"));
    }
    if changes.len() > MAX_LISTED {
        text.push_str(&format!("\n  … and {} more", changes.len() - MAX_LISTED));
    }
    text
}

/// Tells, for each variant of `scenarios` (the first the baseline), what it changes and any
/// mixing of powers; returns each scenario's changes as the manifest keeps them (none for the
/// baseline).
pub(super) fn tell(
    scenarios: &[super::Input],
    terminal: &dyn crate::experiments::Terminal,
) -> Result<Vec<Vec<String>>> {
    use crate::experiments::Tell;
    let base = &scenarios[0].2;
    let mut all = vec![Vec::new()];
    let base_label = &base.scenario.name;
    for (_, _, variant) in &scenarios[1..] {
        let found = changes(base, variant)?;
        let label = &variant.scenario.name;
        terminal.tell(Tell::Note, &note(label, base_label, &found));
        let powers = powers_changed(&found, base, variant);
        if let Some(warning) = mixes_powers(variant, base_label, &powers) {
            terminal.tell(Tell::Warning, &warning);
        }
        all.push(found.iter().map(Change::to_string).collect());
    }
    Ok(all)
}
