//! A comparison's folder read back as the explorer's JSON: provenance from manifest.json, for
//! each state its fans over time in both scenarios (summary.csv), every indicator's row of
//! comparison.csv in both, today's values and the channels of its difference (channels.csv);
//! the region's rows. Numbers are the files' own, parsed, never recomputed.

use crate::error::{Error, Result};
use serde_json::{Map, Value, json};
use std::path::Path;

/// The quantiles of a fan.
const FAN: [&str; 5] = ["p05", "p25", "p50", "p75", "p95"];

/// A CSV file: its header and rows.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(path: &Path) -> Result<Table> {
        let bad = |e: csv::Error| Error::Write(format!("{}: {e}", path.display()));
        let mut reader = csv::Reader::from_path(path).map_err(bad)?;
        let header = reader
            .headers()
            .map_err(bad)?
            .iter()
            .map(String::from)
            .collect();
        let rows = reader
            .records()
            .map(|r| r.map(|r| r.iter().map(String::from).collect()))
            .collect::<std::result::Result<_, _>>()
            .map_err(bad)?;
        Ok(Table { header, rows })
    }

    fn column(&self, name: &str) -> Result<usize> {
        (self.header.iter().position(|h| h == name))
            .ok_or_else(|| Error::Internal(format!("the comparison wrote no column `{name}`")))
    }

    /// A row's cells from `from` on, as numbers (an empty cell as null), keyed by column.
    fn numbers(&self, row: &[String], from: usize) -> Value {
        let cells = (self.header.iter().zip(row).skip(from)).map(|(h, c)| (h.clone(), number(c)));
        Value::Object(cells.collect())
    }
}

fn number(cell: &str) -> Value {
    cell.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

/// The answer of the folder `dir` of a comparison of two scenarios; `names` gives the states'
/// names by code; the fans keep every `month_step`-th month (and the last).
pub fn read(dir: &Path, names: &[(String, String)], month_step: usize) -> Result<Value> {
    let manifest: Value =
        serde_json::from_str(&crate::output::read_input_text(&dir.join("manifest.json"))?)
            .map_err(|e| Error::Internal(format!("the comparison's manifest: {e}")))?;
    let folders: Vec<String> = (manifest["scenarios"].as_array().into_iter().flatten())
        .filter_map(|s| s["folder"].as_str().map(String::from))
        .collect();
    let [base, variant] = &folders[..] else {
        return Err(Error::Internal(
            "the explorer's comparison has two scenarios".into(),
        ));
    };
    let mut states = Map::new();
    for (code, name) in names {
        states.insert(
            code.clone(),
            json!({"code": code, "name": name, "rows": {}, "channels": [], "today": {}}),
        );
    }
    comparison_rows(
        &Table::read(&dir.join("comparison.csv"))?,
        [base, variant],
        &mut states,
    )?;
    channel_rows(&Table::read(&dir.join("channels.csv"))?, &mut states)?;
    let mut dates = Vec::new();
    for (side, folder) in [("baseline", base), ("variant", variant)] {
        dates = fans(
            &Table::read(&dir.join(folder).join("summary.csv"))?,
            side,
            month_step,
            &mut states,
        )?;
    }
    let region = (states.remove("region")).map_or(
        Value::Null,
        |r| json!({"rows": r["rows"], "today": r["today"]}),
    );
    Ok(json!({
        "provenance": {
            "spheres_version": manifest["spheres_version"],
            "seed": manifest["seed"],
            "runs": manifest["runs"],
            "model": manifest["model"],
            "parameters": manifest["parameters"],
            "scenarios": manifest["scenarios"],
            "wall_seconds": manifest["wall_seconds"],
            "command": manifest["command_line"],
        },
        "start": manifest["start"],
        "months": manifest["months"],
        "dates": dates,
        "region": region,
        "states": (names.iter())
            .filter_map(|(code, _)| states.remove(code))
            .filter(|v| !v["rows"].as_object().is_some_and(Map::is_empty))
            .collect::<Vec<_>>(),
    }))
}

/// Every row of comparison.csv into its state's `rows[indicator][baseline|variant]`.
fn comparison_rows(
    t: &Table,
    folders: [&String; 2],
    states: &mut Map<String, Value>,
) -> Result<()> {
    let [scenario, state, indicator] = [
        t.column("scenario")?,
        t.column("state")?,
        t.column("indicator")?,
    ];
    for row in &t.rows {
        let side = if &row[scenario] == folders[0] {
            "baseline"
        } else {
            "variant"
        };
        let entry = states.entry(row[state].clone()).or_insert_with(
            || json!({"code": row[state], "rows": {}, "channels": [], "today": {}}),
        );
        entry["rows"][row[indicator].as_str()][side] = t.numbers(row, indicator + 1);
    }
    Ok(())
}

/// channels.csv into each state's `channels`, in the file's order.
fn channel_rows(t: &Table, states: &mut Map<String, Value>) -> Result<()> {
    let [state, channel] = [t.column("state")?, t.column("channel")?];
    for row in &t.rows {
        if let Some(Value::Array(list)) = states.get_mut(&row[state]).map(|s| &mut s["channels"]) {
            let mut cells = t.numbers(row, channel + 1);
            cells["channel"] = Value::String(row[channel].clone());
            list.push(cells);
        }
    }
    Ok(())
}

/// One scenario's summary.csv: each state's alignment fan (every `step`-th month and the last)
/// into `fan[side]`, and, from the baseline, each indicator's mean in the first month into
/// `today`. Returns the fans' dates.
fn fans(
    t: &Table,
    side: &str,
    step: usize,
    states: &mut Map<String, Value>,
) -> Result<Vec<String>> {
    let [date, state, indicator, mean] =
        ["date", "state", "indicator", "mean"].map(|c| t.column(c));
    let (date, state, indicator, mean) = (date?, state?, indicator?, mean?);
    let quantiles: Vec<usize> = FAN.iter().map(|q| t.column(q)).collect::<Result<_>>()?;
    let mut dates: Vec<String> = Vec::new();
    for row in &t.rows {
        if dates.last() != Some(&row[date]) {
            dates.push(row[date].clone());
        }
        let Some(s) = states.get_mut(&row[state]) else {
            continue;
        };
        if dates.len() == 1 && side == "baseline" {
            s["today"][row[indicator].as_str()] = number(&row[mean]);
        }
        if row[indicator] != "alignment" {
            continue;
        }
        let fan = &mut s["fan"][side];
        for (q, at) in FAN.iter().zip(&quantiles) {
            if !fan[*q].is_array() {
                fan[*q] = json!([]);
            }
            fan[*q]
                .as_array_mut()
                .into_iter()
                .for_each(|a| a.push(number(&row[*at])));
        }
    }
    let keep: Vec<usize> = (0..dates.len())
        .filter(|i| i % step.max(1) == 0 || i + 1 == dates.len())
        .collect();
    for s in states.values_mut() {
        for q in FAN {
            if let Some(all) = s["fan"][side][q].as_array_mut() {
                *all = keep.iter().filter_map(|i| all.get(*i).cloned()).collect();
            }
        }
    }
    Ok(keep.iter().map(|i| dates[*i].clone()).collect())
}
