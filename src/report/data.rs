//! What a report reads from an output folder: summary.csv, indicators.csv (the words of each
//! indicator), the resolved scenario, events.csv and comparison.csv, and any other table with
//! typed cells (`Table`); manifest.json is read by `output::manifest`. The report knows the
//! files, not the model.

use crate::error::{Error, Result};
use crate::output::columns::{self, IndicatorRow};
use crate::scenario::{self, Scenario, YearMonth};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One indicator of one unit at one month over runs.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stat {
    pub mean: f64,
    pub p05: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

impl Stat {
    /// The quantiles in the order of `columns::QUANTILES`: p05, p25, p50, p75, p95.
    pub fn quantiles(&self) -> [f64; 5] {
        [self.p05, self.p25, self.p50, self.p75, self.p95]
    }
}

/// summary.csv, indexed by (unit, indicator), one `Stat` per month.
#[derive(Clone, Debug)]
pub struct Series {
    pub start: YearMonth,
    pub months: usize,
    /// Units in file order (states, parents, region).
    pub units: Vec<String>,
    map: HashMap<(String, String), Vec<Stat>>,
}

impl Series {
    pub fn get(&self, unit: &str, indicator: &str) -> Option<&[Stat]> {
        self.map
            .get(&(unit.to_string(), indicator.to_string()))
            .map(Vec::as_slice)
    }

    /// The units that have `indicator`, in file order.
    pub fn units_with<'a>(&'a self, indicator: &'a str) -> impl Iterator<Item = &'a String> {
        self.units
            .iter()
            .filter(move |u| self.get(u, indicator).is_some())
    }

    /// The value at the horizon.
    pub fn last(&self, unit: &str, indicator: &str) -> Option<Stat> {
        self.get(unit, indicator).and_then(|s| s.last().copied())
    }
}

fn bad(path: &Path, what: impl std::fmt::Display) -> Error {
    Error::Input(format!(
        "{}: {what}; is this a spheres output folder?",
        path.display()
    ))
}

fn number(path: &Path, line: usize, field: &str) -> Result<f64> {
    field
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            bad(
                path,
                format!("line {line}: `{field}` is not a finite number"),
            )
        })
}

/// The mean and quantiles (`columns::QUANTILES`) in row `r`, line `line` of `path`.
fn stat(
    path: &Path,
    line: usize,
    r: &csv::StringRecord,
    mean_at: usize,
    quantiles_at: [usize; 5],
) -> Result<Stat> {
    let [p05, p25, p50, p75, p95] = quantiles_at;
    let at = |column: usize| number(path, line, &r[column]);
    Ok(Stat {
        mean: at(mean_at)?,
        p05: at(p05)?,
        p25: at(p25)?,
        p50: at(p50)?,
        p75: at(p75)?,
        p95: at(p95)?,
    })
}

/// The names of a CSV file's columns, or the error of a file that is no table.
fn header<R: std::io::Read>(path: &Path, reader: &mut csv::Reader<R>) -> Result<Vec<String>> {
    Ok(reader
        .headers()
        .map_err(|e| bad(path, e))?
        .iter()
        .map(String::from)
        .collect())
}

pub fn read_summary(path: &Path) -> Result<Series> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| bad(path, e))?;
    let header = header(path, &mut reader)?;
    let [date_at, unit_at, indicator_at, mean_at] =
        columns::find_all(path, &header, ["date", "state", "indicator", "mean"])?;
    let quantiles_at = columns::find_all(path, &header, columns::QUANTILES)?;
    let mut map: HashMap<(String, String), Vec<Stat>> = HashMap::new();
    let mut units: Vec<String> = Vec::new();
    let mut dates: Vec<String> = Vec::new();
    for (k, record) in reader.records().enumerate() {
        let r = record.map_err(|e| bad(path, e))?;
        let (date, unit, indicator) = (&r[date_at], &r[unit_at], &r[indicator_at]);
        if dates.last().map(String::as_str) != Some(date) {
            dates.push(date.to_string());
        }
        if !units.iter().any(|u| u == unit) {
            units.push(unit.to_string());
        }
        let stat = stat(path, k + 2, &r, mean_at, quantiles_at)?;
        map.entry((unit.to_string(), indicator.to_string()))
            .or_default()
            .push(stat);
    }
    let start = dates
        .first()
        .and_then(|d| YearMonth::parse(d))
        .ok_or_else(|| bad(path, "no rows, or a first date that is not YYYY-MM"))?;
    Ok(Series {
        start,
        months: dates.len() - 1,
        units,
        map,
    })
}

/// indicators.csv: what each indicator of a folder's files is, in the words the pages and
/// charts use (its label, its chance, its unit). The report names no indicator of its own: it
/// looks indicators up here by name.
#[derive(Clone, Debug)]
pub struct Indicators {
    path: PathBuf,
    rows: Vec<IndicatorRow>,
}

impl Indicators {
    /// The indicators.csv of folder `dir`; a folder without one was written by an older
    /// spheres, and is refused with the advice to re-run it.
    pub fn read(dir: &Path) -> Result<Indicators> {
        let path = dir.join("indicators.csv");
        let bytes = match crate::output::read_input(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::Input(format!(
                    "{}: missing: written by an older spheres, which did not describe its \
indicators; re-run the command that wrote the folder",
                    path.display()
                )));
            }
            other => other.map_err(|e| crate::output::input_error(&path, e))?,
        };
        let rows = csv::Reader::from_reader(bytes.as_slice())
            .deserialize()
            .collect::<std::result::Result<Vec<IndicatorRow>, _>>()
            .map_err(|e| crate::output::table_error(&path, e))?;
        Ok(Indicators { path, rows })
    }

    /// The row of indicator `name`; an error naming the file if it has none.
    pub fn row(&self, name: &str) -> Result<&IndicatorRow> {
        self.rows
            .iter()
            .find(|r| r.indicator == name)
            .ok_or_else(|| {
                Error::Input(format!(
                    "{}: has no row for the indicator `{name}`; is the folder damaged? re-run it",
                    self.path.display()
                ))
            })
    }

    /// What indicator `name` is, in a few words ("leans to Moscow").
    pub fn label(&self, name: &str) -> Result<&str> {
        Ok(&self.row(name)?.label)
    }

    /// The `[params]` key whose chance per month decides indicator `name` (an event's), or
    /// empty.
    pub fn hazard(&self, name: &str) -> Result<&str> {
        Ok(&self.row(name)?.hazard)
    }

    /// The unit of indicator `name`, in words ("−1 West … +1 Moscow").
    pub fn unit(&self, name: &str) -> Result<&str> {
        Ok(&self.row(name)?.unit)
    }

    /// The probability of 0/1 indicator `name` in words ("chance of leaning to Moscow"); an
    /// error naming the file if its `chance` is empty.
    pub fn chance(&self, name: &str) -> Result<&str> {
        let chance = &self.row(name)?.chance;
        if chance.is_empty() {
            return Err(Error::Input(format!(
                "{}: the indicator `{name}` has a probability but no `chance` in words; is the \
folder damaged? re-run it",
                self.path.display()
            )));
        }
        Ok(chance)
    }
}

pub fn read_scenario(dir: &Path) -> Result<Scenario> {
    let path = dir.join("scenario.resolved.toml");
    let text = crate::output::read_input_text(&path)?;
    scenario::from_text(&path.display().to_string(), &text)
}

/// Threshold events of one state and kind over runs: in how many runs it happened (first
/// occurrence), and the median month index of the first occurrence.
#[derive(Clone, Debug, PartialEq)]
pub struct EventStat {
    pub state: String,
    pub event: String,
    pub runs: u64,
    pub median_month: f64,
}

/// Reads events.csv (if present) into per (state, event) statistics. The file is in run order
/// (the driver writes runs in order), so a run's first occurrence is complete when the next
/// run starts: memory holds each event's months, not its runs.
pub fn read_events(dir: &Path, start: YearMonth) -> Result<Vec<EventStat>> {
    let path = dir.join("events.csv");
    if !path.exists() {
        return Ok(Vec::new());
    }
    let mut reader = csv::Reader::from_path(&path).map_err(|e| bad(&path, e))?;
    let header = header(&path, &mut reader)?;
    let [run_at, date_at, state_at, event_at] =
        columns::find_all(&path, &header, ["run", "date", "state", "event"])?;
    let mut firsts: HashMap<(String, String), FirstMonths> = HashMap::new();
    for record in reader.records() {
        let r = record.map_err(|e| bad(&path, e))?;
        let run: u64 = r[run_at]
            .parse()
            .map_err(|_| bad(&path, "a run that is not a number"))?;
        let month = YearMonth::parse(&r[date_at])
            .map(|d| start.months_until(d))
            .ok_or_else(|| bad(&path, "a bad date"))?;
        let key = (r[state_at].to_string(), r[event_at].to_string());
        if !firsts.entry(key).or_default().add(run, month) {
            return Err(bad(
                &path,
                format!("run {run} after a later run: rows must be in run order"),
            ));
        }
    }
    let mut out: Vec<EventStat> = firsts
        .into_iter()
        .map(|((state, event), firsts)| firsts.stat(state, event))
        .collect();
    out.sort_by(|a, b| (&a.state, &a.event).cmp(&(&b.state, &b.event)));
    Ok(out)
}

/// One event's first months over runs read in order: the run being read and its earliest
/// month so far, and a histogram of the finished runs' first months.
#[derive(Default)]
struct FirstMonths {
    current: Option<(u64, i64)>,
    months: std::collections::BTreeMap<i64, u64>,
}

impl FirstMonths {
    /// Adds an occurrence; false when `run` comes before the run being read.
    fn add(&mut self, run: u64, month: i64) -> bool {
        match self.current {
            Some((r, m)) if r == run => self.current = Some((r, m.min(month))),
            Some((r, _)) if r > run => return false,
            _ => {
                self.finish_run();
                self.current = Some((run, month));
            }
        }
        true
    }

    fn finish_run(&mut self) {
        if let Some((_, m)) = self.current.take() {
            *self.months.entry(m).or_default() += 1;
        }
    }

    /// The runs it happened in and the median first month (the upper median).
    fn stat(mut self, state: String, event: String) -> EventStat {
        self.finish_run();
        let runs: u64 = self.months.values().sum();
        let mut seen = 0;
        let median = self.months.iter().find(|(_, n)| {
            seen += **n;
            seen > runs / 2
        });
        EventStat {
            state,
            event,
            runs,
            median_month: median.map_or(0.0, |(m, _)| *m as f64),
        }
    }
}

/// An estimate and the low and high ends of a range around it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// With parameter draws: the shares of draws whose effect is below and above 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EffectSign {
    pub negative: f64,
    pub positive: f64,
}

/// With parameter draws: a threshold event's probability, p05 and p95 across draws.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    pub p05: f64,
    pub p95: f64,
}

/// One row of comparison.csv: a scenario's statistics of one indicator at the horizon and, for
/// a variant, its paired difference from the baseline; for threshold events, the probability.
#[derive(Clone, Debug, PartialEq)]
pub struct Compared {
    pub scenario: String,
    pub state: String,
    pub indicator: String,
    pub stat: Stat,
    /// The paired difference from the baseline and its 95 % interval (variants only).
    pub diff: Option<Estimate>,
    /// The probability of a threshold event and its Wilson 95 % interval.
    pub probability: Option<Estimate>,
    /// With parameter draws: the effect's p50 (`value`) between its p05 and p95 across draws
    /// (variants only).
    pub effect: Option<Estimate>,
    pub effect_sign: Option<EffectSign>,
    pub probability_spread: Option<Spread>,
}

/// The numbers in columns `at` of row `r`, line `line` of `path`; none where the first cell is
/// empty (the baseline has no difference, a level no probability).
fn cells<const N: usize>(
    path: &Path,
    line: usize,
    r: &csv::StringRecord,
    at: [usize; N],
) -> Result<Option<[f64; N]>> {
    if at.first().is_some_and(|&k| r[k].is_empty()) {
        return Ok(None);
    }
    let mut out = [0.0; N];
    for (slot, k) in out.iter_mut().zip(at) {
        *slot = number(path, line, &r[k])?;
    }
    Ok(Some(out))
}

/// comparison.csv, every row.
pub fn read_comparison(dir: &Path) -> Result<Vec<Compared>> {
    let path = dir.join("comparison.csv");
    let mut reader = csv::Reader::from_path(&path).map_err(|e| bad(&path, e))?;
    let header = header(&path, &mut reader)?;
    let [scenario, state, indicator, mean] =
        columns::find_all(&path, &header, ["scenario", "state", "indicator", "mean"])?;
    let quantiles_at = columns::find_all(&path, &header, columns::QUANTILES)?;
    let diff_at = columns::find_all(&path, &header, ["diff", "diff_low", "diff_high"])?;
    let probability_at = columns::find_all(
        &path,
        &header,
        ["probability", "probability_low", "probability_high"],
    )?;
    let effect_at = columns::find_all(&path, &header, ["effect_p50", "effect_p05", "effect_p95"])?;
    let sign_at = columns::find_all(&path, &header, ["p_effect_negative", "p_effect_positive"])?;
    let spread_at = columns::find_all(&path, &header, ["probability_p05", "probability_p95"])?;
    let estimate = |[value, low, high]: [f64; 3]| Estimate { value, low, high };
    let mut out = Vec::new();
    for (k, record) in reader.records().enumerate() {
        let r = record.map_err(|e| bad(&path, e))?;
        let line = k + 2;
        out.push(Compared {
            scenario: r[scenario].to_string(),
            state: r[state].to_string(),
            indicator: r[indicator].to_string(),
            stat: stat(&path, line, &r, mean, quantiles_at)?,
            diff: cells(&path, line, &r, diff_at)?.map(estimate),
            probability: cells(&path, line, &r, probability_at)?.map(estimate),
            effect: cells(&path, line, &r, effect_at)?.map(estimate),
            effect_sign: cells(&path, line, &r, sign_at)?
                .map(|[negative, positive]| EffectSign { negative, positive }),
            probability_spread: cells(&path, line, &r, spread_at)?
                .map(|[p05, p95]| Spread { p05, p95 }),
        });
    }
    Ok(out)
}

/// A CSV table of an output folder, read whole, whose typed cells name the file and column of
/// a bad one.
pub struct Table {
    pub path: PathBuf,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn read(path: PathBuf) -> Result<Table> {
        let (head, rows) = crate::output::read_table(&path)?;
        Ok(Table { path, head, rows })
    }

    /// [`Table::read`], refused unless its columns are exactly `expected`.
    pub fn checked<E: AsRef<str>>(path: PathBuf, expected: &[E]) -> Result<Table> {
        let t = Table::read(path)?;
        t.expect(expected)?;
        Ok(t)
    }

    /// Refuses the table unless its columns are exactly `expected`.
    pub fn expect<E: AsRef<str>>(&self, expected: &[E]) -> Result<()> {
        columns::expect(&self.path, &self.head, expected)
    }

    /// The positions of columns `names`, in the order asked.
    pub fn find_all<const N: usize>(&self, names: [&str; N]) -> Result<[usize; N]> {
        columns::find_all(&self.path, &self.head, names)
    }

    pub fn find(&self, name: &str) -> Result<usize> {
        columns::find(&self.path, &self.head, name)
    }

    /// The error of cell `c` of row `r`, which is not `what`.
    pub fn bad(&self, r: &[String], c: usize, what: &str) -> Error {
        Error::Input(format!(
            "{}: `{}` = «{}»; expected {what}",
            self.path.display(),
            self.head[c],
            r[c]
        ))
    }

    /// Cell `c` of row `r` as a number (infinite or NaN as written).
    pub fn number(&self, r: &[String], c: usize) -> Result<f64> {
        r[c].parse::<f64>().map_err(|_| self.bad(r, c, "a number"))
    }

    /// Cell `c` of row `r` as a finite number.
    pub fn finite(&self, r: &[String], c: usize) -> Result<f64> {
        r[c].parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| self.bad(r, c, "a number"))
    }

    /// Cell `c` of row `r` as a number within `range`.
    pub fn within(
        &self,
        r: &[String],
        c: usize,
        range: std::ops::RangeInclusive<f64>,
    ) -> Result<f64> {
        r[c].parse::<f64>()
            .ok()
            .filter(|v| range.contains(v))
            .ok_or_else(|| {
                self.bad(
                    r,
                    c,
                    &format!("a number from {} to {}", range.start(), range.end()),
                )
            })
    }

    pub fn boolean(&self, r: &[String], c: usize) -> Result<bool> {
        r[c].parse::<bool>()
            .map_err(|_| self.bad(r, c, "true or false"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// read_events of a folder holding these events.csv rows (a folder of its own per `name`).
    fn write_events(name: &str, rows: &str) -> Result<Vec<EventStat>> {
        let dir =
            std::env::temp_dir().join(format!("spheres-events-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = format!("run,date,state,event,detail\n{rows}");
        std::fs::write(dir.join("events.csv"), text).unwrap();
        let stats = read_events(&dir, YearMonth::parse("2025-11").unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
        stats
    }

    #[test]
    fn events_count_each_run_once_at_its_first_month() {
        let stats = write_events(
            "first",
            "0,2026-03,SRB,lean_moscow,\n0,2026-01,SRB,lean_moscow,\n1,2027-01,SRB,lean_moscow,\n\
             1,2027-02,SRB,lean_moscow,\n2,2026-02,SRB,lean_moscow,\n2,2026-02,MNE,eu_member,\n",
        );
        let stats = stats.unwrap();
        assert_eq!(stats.len(), 2);
        let srb = &stats[1];
        assert_eq!((srb.state.as_str(), srb.runs), ("SRB", 3));
        // First months 2, 3 and 14: the median is 3.
        assert_eq!(srb.median_month, 3.0);
        assert_eq!((stats[0].runs, stats[0].median_month), (1, 3.0));
    }

    #[test]
    fn events_out_of_run_order_are_refused() {
        let stats = write_events(
            "order",
            "1,2026-03,SRB,lean_moscow,\n0,2026-01,SRB,lean_moscow,\n",
        );
        let err = stats.unwrap_err().to_string();
        assert!(err.contains("run order"), "{err}");
    }
}
