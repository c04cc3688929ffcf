//! A CSV table of the panel's data: columns found by name, rows kept with their line numbers,
//! and errors located at file:line:column.

use crate::error::{Error, Result};

/// A table: its rows with their line numbers, and the position of each needed column.
pub(super) struct Table<'a> {
    name: &'a str,
    columns: Vec<usize>,
    header: Vec<String>,
    pub(super) rows: Vec<(u64, csv::StringRecord)>,
}

impl<'a> Table<'a> {
    pub(super) fn read(name: &'a str, text: &str, need: &[&str]) -> Result<Table<'a>> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let bad = |e: csv::Error| {
            let line = e.position().map_or(0, |p| p.line());
            Error::Input(format!("{name}:{line}: not a CSV row ({e})"))
        };
        let header: Vec<String> = reader
            .headers()
            .map_err(bad)?
            .iter()
            .map(String::from)
            .collect();
        let mut columns = Vec::new();
        for column in need {
            let at = header.iter().position(|h| h == column).ok_or_else(|| {
                Error::Input(format!(
                    "{name}:1: missing column '{column}' (the header has: {})",
                    header.join(", ")
                ))
            })?;
            columns.push(at);
        }
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(bad)?;
            let line = record.position().map_or(0, |p| p.line());
            rows.push((line, record));
        }
        Ok(Table {
            name,
            columns,
            header,
            rows,
        })
    }

    /// The text of needed column `k` in `row`.
    pub(super) fn text<'r>(&self, row: &'r csv::StringRecord, k: usize) -> &'r str {
        row.get(self.columns[k]).unwrap_or("")
    }

    /// The number in needed column `k` of the row at `line`; `None` if empty and `optional`.
    pub(super) fn number(
        &self,
        line: u64,
        row: &csv::StringRecord,
        k: usize,
        optional: bool,
    ) -> Result<Option<f64>> {
        let text = self.text(row, k).trim();
        if text.is_empty() && optional {
            return Ok(None);
        }
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Some(v)),
            _ => Err(self.error(line, k, &format!("expected a number, found '{text}'"))),
        }
    }

    /// The year in needed column `k`, from `first` to 2100.
    pub(super) fn year(
        &self,
        line: u64,
        row: &csv::StringRecord,
        k: usize,
        first: i32,
    ) -> Result<i32> {
        let year = self.number(line, row, k, false)?.unwrap_or(0.0);
        if year.fract() != 0.0 || !(f64::from(first)..=2100.0).contains(&year) {
            let what = format!("expected a year from {first} to 2100, found '{year}'");
            return Err(self.error(line, k, &what));
        }
        Ok(year as i32)
    }

    pub(super) fn error(&self, line: u64, k: usize, what: &str) -> Error {
        let column = self.columns[k];
        Error::Input(format!(
            "{}:{line}:{}: {what} (column {})",
            self.name,
            column + 1,
            self.header[column]
        ))
    }
}
