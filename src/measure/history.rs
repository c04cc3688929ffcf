//! The panel's dated history (data/europe/accession/, data/europe/elections/): each state's
//! stage in the EU's and NATO's pipelines, with a veto on its next step, and its calendar of
//! government-deciding elections at any month, read from the rows dated up to that month and
//! none after. The rules are `scripts/accession_pipeline.py`'s and
//! `scripts/election_calendar.py`'s (docs/MODEL.md 7.11–7.12), with one difference: an
//! election calendar is read from the elections up to the month only (the script chooses the
//! office and the term over the whole file), so that nothing after it is known.

use super::csv_table::Table;
use super::{Month, Sources, month_of, parse_month};
use crate::error::Result;
use std::collections::BTreeMap;

/// The pipelines' stages in order, after `none` (docs/MODEL.md 7.12).
pub const EU_STAGES: [&str; 5] = ["applied", "candidate", "negotiating", "signed", "member"];
/// NATO's stages in order, after `none`.
pub const NATO_STAGES: [&str; 4] = ["candidate", "invited", "signed", "member"];

/// A milestone's stage, by organisation and milestone name.
const MILESTONES: [(&str, &str, &str); 10] = [
    ("EU", "applied", "applied"),
    ("EU", "candidate", "candidate"),
    ("EU", "negotiations_opened", "negotiating"),
    ("EU", "accession_treaty_signed", "signed"),
    ("EU", "joined", "member"),
    ("NATO", "MAP_joined", "candidate"),
    ("NATO", "applied", "candidate"),
    ("NATO", "membership_perspective_declared", "candidate"),
    ("NATO", "invited", "invited"),
    ("NATO", "protocol_signed", "signed"),
];

/// NATO's `joined` milestone; listed apart because `joined` is the EU's too.
const NATO_JOINED: (&str, &str, &str) = ("NATO", "joined", "member");

/// Milestones that end a pipeline (the state is out of it from then on).
const ENDS: [&str; 5] = [
    "application_withdrawn",
    "application_frozen",
    "rejected_in_referendum",
    "left",
    "negotiations_frozen",
];

/// The first members of the Membership Action Plan (April 1999), NATO aspirants from then
/// where the file has no aspirant row [C].
const MAP_1999: [&str; 9] = [
    "ALB", "BGR", "EST", "LVA", "LTU", "MKD", "ROU", "SVK", "SVN",
];

/// A state's place in one organisation's pipeline at a month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    /// `none`, or one of [`EU_STAGES`] / [`NATO_STAGES`].
    pub stage: &'static str,
    /// The year the stage was reached (none for `none`).
    pub since: Option<i32>,
    /// Whether a veto then held the next step.
    pub blocked: bool,
}

/// A state's calendar of government-deciding elections at a month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    /// The next scheduled election: the last plus a term, or the next month if that is overdue.
    pub next: Month,
    /// The term: the median gap before each scheduled election, in whole years; 48 months
    /// where that is not 3 to 5 years.
    pub term_months: u32,
    /// The elections the governing party had won in a row.
    pub incumbent_wins: u32,
}

/// One election row: its month, whether it was scheduled, its turnover (`yes`, `no`, or
/// another code that leaves the count of wins as it was), and when that was known: the new
/// government's month where the file gives it, else the election's.
#[derive(Clone, Debug)]
struct Election {
    month: Month,
    scheduled: bool,
    turnover: String,
    known: Month,
}

/// A state's place in an organisation's pipeline: (state, `EU` or `NATO`).
type Pipeline = (String, &'static str);

/// The dated history of the panel's states.
#[derive(Clone, Debug, Default)]
pub struct History {
    /// (state, organisation) → stage → the first month it was reached.
    stages: BTreeMap<Pipeline, BTreeMap<&'static str, Month>>,
    /// (state, organisation) → the first month its pipeline ended.
    ends: BTreeMap<Pipeline, Month>,
    /// (state, organisation) → vetoes on its next step: (start, end if known).
    vetoes: BTreeMap<Pipeline, Vec<(Month, Option<Month>)>>,
    /// state → its elections in order, each with whether it decides the government.
    elections: BTreeMap<String, Vec<(Election, bool)>>,
}

impl History {
    /// Reads the history files of `sources` (milestones, vetoes, elections).
    pub fn read(sources: &Sources) -> Result<History> {
        let mut history = History::default();
        let file = |name: &str| {
            (sources.files.iter())
                .find(|(n, _)| n.ends_with(name))
                .map_or(("", ""), |(n, t)| (n.as_str(), t.as_str()))
        };
        let (name, text) = file("accession/milestones.csv");
        history.read_milestones(name, text)?;
        let (name, text) = file("accession/blocks.csv");
        history.read_vetoes(name, text)?;
        let (name, text) = file("elections/elections.csv");
        history.read_elections(name, text)?;
        Ok(history)
    }

    fn read_milestones(&mut self, name: &str, text: &str) -> Result<()> {
        let table = Table::read(name, text, &["iso3", "organisation", "milestone", "date"])?;
        for (line, row) in &table.rows {
            let key = |org| (table.text(row, 0).to_string(), org);
            let Some(org) = organisation(table.text(row, 1)) else {
                return Err(table.error(*line, 1, "expected EU or NATO"));
            };
            let month = date(&table, *line, row, 3)?;
            let milestone = table.text(row, 2);
            if ENDS.contains(&milestone) {
                let end = self.ends.entry(key(org)).or_insert(month);
                *end = (*end).min(month);
            }
            let stage = (MILESTONES.iter().chain([&NATO_JOINED]))
                .find(|(o, m, _)| *o == org && *m == milestone)
                .map(|(_, _, s)| *s);
            if let Some(stage) = stage {
                let first = self.stages.entry(key(org)).or_default();
                let at = first.entry(stage).or_insert(month);
                *at = (*at).min(month);
            }
        }
        for ((state, org), s) in &mut self.stages {
            if *org == "EU" && !s.contains_key("candidate") {
                // The applicants of the 1990s became candidates when negotiations opened.
                if let Some(&m) = s.get("negotiating") {
                    s.insert("candidate", m);
                }
            }
            if *org == "NATO" && !s.contains_key("candidate") && MAP_1999.contains(&state.as_str())
            {
                s.insert("candidate", month_of(1999, 4));
            }
        }
        Ok(())
    }

    fn read_vetoes(&mut self, name: &str, text: &str) -> Result<()> {
        let table = Table::read(name, text, &["target_iso3", "organisation", "start", "end"])?;
        for (line, row) in &table.rows {
            let Some(org) = organisation(table.text(row, 1)) else {
                return Err(table.error(*line, 1, "expected EU or NATO"));
            };
            let start = date(&table, *line, row, 2)?;
            let end = match table.text(row, 3).trim() {
                "" => None,
                _ => Some(date(&table, *line, row, 3)?),
            };
            for state in table.text(row, 0).split(';') {
                let key = (state.trim().to_string(), org);
                self.vetoes.entry(key).or_default().push((start, end));
            }
        }
        Ok(())
    }

    fn read_elections(&mut self, name: &str, text: &str) -> Result<()> {
        let need = [
            "iso3",
            "date",
            "office",
            "scheduled_or_early",
            "turnover",
            "leader_after_took_office",
        ];
        let table = Table::read(name, text, &need)?;
        let mut all: BTreeMap<String, Vec<(Election, bool)>> = BTreeMap::new();
        for (line, row) in &table.rows {
            let month = date(&table, *line, row, 1)?;
            let known = match table.text(row, 5).trim() {
                "" => month,
                _ => date(&table, *line, row, 5)?.max(month),
            };
            let election = Election {
                month,
                scheduled: table.text(row, 3) == "scheduled",
                turnover: table.text(row, 4).to_string(),
                known,
            };
            let government = table.text(row, 2) == "head_of_government";
            all.entry(table.text(row, 0).to_string())
                .or_default()
                .push((election, government));
        }
        for rows in all.values_mut() {
            rows.sort_by_key(|(e, _)| e.month);
        }
        self.elections = all;
        Ok(())
    }

    /// `state`'s stage in `organisation` (`EU` or `NATO`) at month `m`.
    pub fn stage_at(&self, state: &str, organisation: &'static str, m: Month) -> Stage {
        let key = (state.to_string(), organisation);
        let none = Stage {
            stage: "none",
            since: None,
            blocked: false,
        };
        let order: &[&'static str] = match organisation {
            "EU" => &EU_STAGES,
            _ => &NATO_STAGES,
        };
        let Some(reached) = self.stages.get(&key) else {
            return none;
        };
        let done = (order.iter()).rfind(|s| reached.get(*s).is_some_and(|&at| at <= m));
        let ended = self.ends.get(&key).is_some_and(|&end| end <= m);
        let Some(&stage) = done.filter(|_| !ended) else {
            return none;
        };
        let vetoed = (self.vetoes.get(&key).into_iter().flatten())
            .any(|&(start, end)| start <= m && end.is_none_or(|end| m < end));
        Stage {
            stage,
            since: Some(reached[stage].div_euclid(12)),
            blocked: vetoed && !matches!(stage, "applied" | "member"),
        }
    }

    /// `state`'s election calendar at month `m`, from its elections up to `m`; `None` without
    /// one.
    pub fn calendar_at(&self, state: &str, m: Month) -> Option<Calendar> {
        let known: Vec<&(Election, bool)> = (self.elections.get(state)?.iter())
            .filter(|(e, _)| e.month <= m)
            .collect();
        // The elections that decide the government where the state codes them by then.
        let any = known.iter().any(|(_, government)| *government);
        let rows: Vec<&Election> = (known.into_iter())
            .filter(|(_, government)| *government || !any)
            .map(|(e, _)| e)
            .collect();
        let last = rows.last()?;
        let mut gaps: Vec<i32> = (rows.windows(2))
            .filter(|w| w[1].scheduled)
            .map(|w| w[1].month - w[0].month)
            .collect();
        let term = match median(&mut gaps) {
            Some(gap) => 12 * (gap / 12.0).round_ties_even() as i32,
            None => 48,
        };
        let term = if (36..=60).contains(&term) { term } else { 48 };
        let mut wins = 0;
        // A turnover counts once the new government took office: until then it is not known.
        for e in rows.iter().filter(|e| e.known <= m) {
            match e.turnover.as_str() {
                "yes" => wins = 0,
                "no" => wins += 1,
                _ => {}
            }
        }
        Some(Calendar {
            next: (last.month + term).max(m + 1),
            term_months: term as u32,
            incumbent_wins: wins,
        })
    }
}

/// `EU` or `NATO`, as the history's keys hold them.
fn organisation(text: &str) -> Option<&'static str> {
    match text {
        "EU" => Some("EU"),
        "NATO" => Some("NATO"),
        _ => None,
    }
}

/// The month of a date `YYYY-MM-DD` or `YYYY-MM` in needed column `k`.
fn date(table: &Table, line: u64, row: &csv::StringRecord, k: usize) -> Result<Month> {
    let text = table.text(row, k).trim();
    parse_month(text.get(..7).unwrap_or(text))
        .filter(|_| text.len() == 7 || text.len() == 10)
        .ok_or_else(|| {
            table.error(
                line,
                k,
                &format!("expected a date YYYY-MM-DD or YYYY-MM, found '{text}'"),
            )
        })
}

/// The median of `v` (the mean of the middle two for an even count); `None` when empty.
fn median(v: &mut [i32]) -> Option<f64> {
    v.sort_unstable();
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(f64::from(v[n / 2])),
        _ => Some(f64::from(v[n / 2 - 1] + v[n / 2]) / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> History {
        History::read(&Sources::bundled()).unwrap()
    }

    /// The stages `scripts/accession_pipeline.py --into` wrote into scenarios/europe.toml at
    /// 2001-01, as read back here.
    #[test]
    fn stages_at_2001_are_those_the_script_wrote_into_europe() {
        let h = bundled();
        let m = month_of(2001, 1);
        let stage = |s, o| h.stage_at(s, o, m);
        assert_eq!(stage("AUT", "EU").stage, "member");
        assert_eq!(stage("AUT", "NATO").stage, "none");
        assert_eq!(stage("POL", "EU").stage, "negotiating");
        assert_eq!(stage("POL", "NATO").stage, "member");
        assert_eq!(stage("SVN", "NATO").stage, "candidate");
        assert_eq!(stage("SRB", "EU").stage, "none");
        let mkd = h.stage_at("MKD", "NATO", month_of(2010, 1));
        assert!(mkd.blocked, "Greece's veto held MKD's invitation in 2010");
        assert!(!h.stage_at("MKD", "NATO", month_of(2019, 1)).blocked);
        assert_eq!(h.stage_at("GBR", "EU", month_of(2021, 12)).stage, "none");
    }

    #[test]
    fn a_calendar_counts_wins_and_comes_after_its_month() {
        let h = bundled();
        for state in ["SRB", "DEU", "MDA", "XKX"] {
            let m = month_of(2021, 12);
            let c = h.calendar_at(state, m).unwrap();
            assert!(c.next > m, "{state}: {c:?}");
            assert!((36..=60).contains(&c.term_months), "{state}: {c:?}");
        }
        assert!(h.calendar_at("SRB", month_of(1980, 1)).is_none());
        assert_eq!(median(&mut [3, 1, 2, 10]), Some(2.5));
    }
}
