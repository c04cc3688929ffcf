//! The panel's observations, read from the bundled data or from a `--data` folder laid out like
//! the repository's data/: each file's columns found by name, every row that is used checked
//! (a located error names file, line and column), and every row that is not used counted.

use super::csv_table::Table;
use super::{FIRST_YEAR, Month, PANEL, month_of};
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// The series an observation belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Series {
    /// The Bailey–Strezhnev–Voeten UN General Assembly ideal point of a session, in its own
    /// units (higher = closer to the US).
    UngaIdealPoint,
    /// The ISAC Fund's share of EU foreign-policy declarations a candidate joined (0 to 1).
    CfspAlignment,
}

impl Series {
    /// Every series, in the order counts are kept.
    pub const ALL: [Series; 2] = [Series::UngaIdealPoint, Series::CfspAlignment];

    /// Its name in files.
    pub fn name(self) -> &'static str {
        match self {
            Series::UngaIdealPoint => "unga_ideal_point",
            Series::CfspAlignment => "cfsp_alignment",
        }
    }

    /// Its position in [`Series::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// One observation of one state.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    /// The state's code.
    pub state: String,
    /// When it was observed: a session's December, a calendar year's December, a half-year's June.
    pub month: Month,
    /// Which series.
    pub series: Series,
    /// The value in the series' own units.
    pub value: f64,
    /// Its standard error in those units where the source gives one (ideal points: from the
    /// posterior's 5 % and 95 % quantiles), else 0.
    pub se: f64,
}

/// A session's agreement rates of one state with the US and with Russia (0 to 1).
#[derive(Clone, Debug, PartialEq)]
pub struct Agreement {
    /// The state's code.
    pub state: String,
    /// The session's year.
    pub year: i32,
    /// Share of votes agreeing with the US.
    pub us: Option<f64>,
    /// Share of votes agreeing with Russia.
    pub russia: Option<f64>,
}

/// A state's vote on a UN General Assembly resolution about Ukraine or Crimea.
#[derive(Clone, Debug, PartialEq)]
pub struct Vote {
    /// The state's code.
    pub state: String,
    /// The month of the vote.
    pub month: Month,
    /// The resolution, as the file names it up to its tally (`A/RES/ES-11/1 Aggression against
    /// Ukraine`).
    pub resolution: String,
    /// 0 yes (with Ukraine and the West), 1 abstained or absent, 2 no.
    pub outcome: u8,
}

/// A poll: the share of a state's public giving one answer, with the family of questions it
/// belongs to (`validation/poll_families.csv`).
#[derive(Clone, Debug, PartialEq)]
pub struct Poll {
    /// The state's code.
    pub state: String,
    /// The fieldwork month (June where the source gives only the year).
    pub month: Month,
    /// The family of questions, which shares one link to public opinion.
    pub family: String,
    /// Whether the share rises as the public leans toward Moscow.
    pub toward_moscow: bool,
    /// The share giving the answer (0 to 1).
    pub share: f64,
}

/// The panel's observations, sorted by state, month and series.
#[derive(Clone, Debug, Default)]
pub struct Panel {
    /// Every observation used.
    pub observations: Vec<Observation>,
    /// The UN sessions' agreement rates.
    pub agreement: Vec<Agreement>,
    /// Votes on the Ukraine-related resolutions, by month.
    pub votes: Vec<Vote>,
    /// Polls of the public, by state and month.
    pub polls: Vec<Poll>,
    /// Rows read but not used, with why, and how many.
    pub skipped: BTreeMap<String, usize>,
}

/// The files the panel is read from, relative to the data folder.
pub const DATA_FILES: [&str; 8] = [
    "europe/unga/ideal_points.csv",
    "balkans/validation/cfsp_alignment.csv",
    "balkans/validation/unga_votes.csv",
    "balkans/validation/polls.csv",
    "balkans/validation/poll_families.csv",
    "europe/accession/milestones.csv",
    "europe/accession/blocks.csv",
    "europe/elections/elections.csv",
];

/// The texts of [`DATA_FILES`], each with the name its errors give.
#[derive(Debug)]
pub struct Sources {
    /// (name for errors, text) of each of [`DATA_FILES`].
    pub files: Vec<(String, String)>,
}

impl Sources {
    /// The data compiled into the binary (the repository's data/).
    pub fn bundled() -> Sources {
        let texts = [
            include_str!("../../data/europe/unga/ideal_points.csv"),
            include_str!("../../data/balkans/validation/cfsp_alignment.csv"),
            include_str!("../../data/balkans/validation/unga_votes.csv"),
            include_str!("../../data/balkans/validation/polls.csv"),
            include_str!("../../data/balkans/validation/poll_families.csv"),
            include_str!("../../data/europe/accession/milestones.csv"),
            include_str!("../../data/europe/accession/blocks.csv"),
            include_str!("../../data/europe/elections/elections.csv"),
        ];
        Sources {
            files: DATA_FILES
                .iter()
                .zip(texts)
                .map(|(name, text)| (format!("data/{name}"), text.to_string()))
                .collect(),
        }
    }

    /// The data under `dir`, laid out like the repository's data/.
    pub fn folder(dir: &Path) -> Result<Sources> {
        let mut files = Vec::new();
        for name in DATA_FILES {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path).map_err(|e| {
                Error::Input(format!(
                    "{}: {e}; --data expects a folder laid out like the repository's data/ ({})",
                    path.display(),
                    DATA_FILES.join(", ")
                ))
            })?;
            files.push((path.display().to_string(), text));
        }
        Ok(Sources { files })
    }
}

impl Panel {
    /// Reads the panel; rows of states neither in the panel nor in `states` are skipped
    /// (ideal points: the file covers the world) or refused (CFSP: a code there is a typo).
    pub fn read(sources: &Sources, states: &[String]) -> Result<Panel> {
        let known = |code: &str| PANEL.contains(&code) || states.iter().any(|s| s == code);
        let mut panel = Panel::default();
        let [ideal, cfsp, votes, polls, families, ..] = &sources.files[..] else {
            return Err(Error::Internal(
                "the panel has five files of observations".into(),
            ));
        };
        read_ideal_points(&mut panel, &ideal.0, &ideal.1, &known)?;
        read_cfsp(&mut panel, &cfsp.0, &cfsp.1, &known)?;
        read_votes(&mut panel, &votes.0, &votes.1, &known)?;
        let families = read_families(&families.0, &families.1)?;
        read_polls(&mut panel, &polls.0, &polls.1, &families, &known)?;
        panel
            .polls
            .sort_by(|a, b| (&a.state, a.month).cmp(&(&b.state, b.month)));
        panel.votes.sort_by(|a, b| {
            (a.month, &a.resolution, &a.state).cmp(&(b.month, &b.resolution, &b.state))
        });
        panel
            .observations
            .sort_by(|a, b| (&a.state, a.month, a.series).cmp(&(&b.state, b.month, b.series)));
        Ok(panel)
    }

    /// The observations up to and including `origin`, and none after.
    pub fn up_to(&self, origin: Month) -> Panel {
        Panel {
            observations: (self.observations.iter())
                .filter(|o| o.month <= origin)
                .cloned()
                .collect(),
            agreement: (self.agreement.iter())
                .filter(|a| month_of(a.year, 12) <= origin)
                .cloned()
                .collect(),
            votes: self
                .votes
                .iter()
                .filter(|v| v.month <= origin)
                .cloned()
                .collect(),
            polls: (self.polls.iter())
                .filter(|p| p.month <= origin)
                .cloned()
                .collect(),
            skipped: self.skipped.clone(),
        }
    }

    /// The observations of one state, in time order.
    pub fn of(&self, state: &str) -> Vec<&Observation> {
        // Sorted by state first (`read` sorts, `up_to` keeps the order): a state's run is found
        // by bisection.
        let start = self
            .observations
            .partition_point(|o| o.state.as_str() < state);
        (self.observations[start..].iter())
            .take_while(|o| o.state == state)
            .collect()
    }

    fn skip(&mut self, why: &str) {
        *self.skipped.entry(why.to_string()).or_default() += 1;
    }
}

/// `unga/ideal_points.csv`: sessions from [`FIRST_YEAR`], states in the panel or scenario.
fn read_ideal_points(
    panel: &mut Panel,
    name: &str,
    text: &str,
    known: &dyn Fn(&str) -> bool,
) -> Result<()> {
    const NEED: [&str; 7] = [
        "panel_iso3",
        "year",
        "IdealPointAll",
        "Q5_All",
        "Q95_All",
        "USAgree",
        "RUSSAgree",
    ];
    let table = Table::read(name, text, &NEED)?;
    let mut last: BTreeMap<String, i32> = BTreeMap::new();
    for (line, row) in &table.rows {
        let state = table.text(row, 0).to_string();
        if !known(&state) {
            panel.skip("ideal points of states outside the panel and the scenario");
            continue;
        }
        let year = table.year(*line, row, 1, 1946)?;
        if year < FIRST_YEAR {
            panel.skip("ideal points of sessions before 1992");
            continue;
        }
        if let Some(&before) = last.get(&state)
            && year <= before
        {
            return Err(table.error(
                *line,
                1,
                &format!("{state}'s sessions are out of order: {year} comes after {before}"),
            ));
        }
        last.insert(state.clone(), year);
        let (value, se, us, russia) = ideal_row(&table, *line, row)?;
        panel.agreement.push(Agreement {
            state: state.clone(),
            year,
            us,
            russia,
        });
        panel.observations.push(Observation {
            state,
            month: month_of(year, 12),
            series: super::Series::UngaIdealPoint,
            value,
            se,
        });
    }
    Ok(())
}

/// An ideal-point row's value, its standard error (from its 90 % interval) and its agreement
/// rates with the US and Russia.
fn ideal_row(
    table: &Table,
    line: u64,
    row: &csv::StringRecord,
) -> Result<(f64, f64, Option<f64>, Option<f64>)> {
    let value = table.number(line, row, 2, false)?.unwrap_or(0.0);
    let q05 = table.number(line, row, 3, false)?.unwrap_or(value);
    let q95 = table.number(line, row, 4, false)?.unwrap_or(value);
    if !(q05 <= value && value <= q95) {
        return Err(table.error(
            line,
            2,
            &format!("the ideal point {value} lies outside its 90 % interval [{q05}, {q95}]"),
        ));
    }
    let rate = |k| -> Result<Option<f64>> {
        let v = table.number(line, row, k, true)?;
        match v {
            Some(r) if !(0.0..=1.0).contains(&r) => {
                Err(table.error(line, k, &format!("expected a share from 0 to 1, found {r}")))
            }
            _ => Ok(v),
        }
    };
    let se = (q95 - q05) / (2.0 * 1.644_853_626_951_472_2);
    Ok((value, se, rate(5)?, rate(6)?))
}

/// `validation/cfsp_alignment.csv`: the ISAC series only (the README: never mix it with the
/// Commission's figures), calendar years at December and first halves at June.
fn read_cfsp(
    panel: &mut Panel,
    name: &str,
    text: &str,
    known: &dyn Fn(&str) -> bool,
) -> Result<()> {
    const NEED: [&str; 5] = ["country", "year", "alignment_pct", "series", "period"];
    let table = Table::read(name, text, &NEED)?;
    // Calendar years and first halves are two sequences, each in time order.
    let mut last: BTreeMap<(String, u32), Month> = BTreeMap::new();
    for (line, row) in &table.rows {
        let state = table.text(row, 0).to_string();
        if !known(&state) {
            return Err(table.error(
                *line,
                0,
                &format!("'{state}' is neither a panel state nor one of the scenario's"),
            ));
        }
        if table.text(row, 3) != "ISAC" {
            panel.skip("CFSP rows of series other than ISAC");
            continue;
        }
        let year = table.year(*line, row, 1, 1992)?;
        let period = table.text(row, 4);
        let month = match period {
            "calendar year" => 12,
            "H1 only" => 6,
            other => {
                return Err(table.error(
                    *line,
                    4,
                    &format!("expected 'calendar year' or 'H1 only', found '{other}'"),
                ));
            }
        };
        let key = (state.clone(), month);
        let month = month_of(year, month);
        let pct = table.number(*line, row, 2, false)?.unwrap_or(0.0);
        if !(0.0..=100.0).contains(&pct) {
            return Err(table.error(
                *line,
                2,
                &format!("expected a percentage from 0 to 100, found {pct}"),
            ));
        }
        if let Some(&before) = last.get(&key)
            && month <= before
        {
            return Err(table.error(
                *line,
                1,
                &format!(
                    "{state}'s rows ({period}) are out of order: {} comes after {}",
                    super::month_text(month),
                    super::month_text(before)
                ),
            ));
        }
        last.insert(key, month);
        panel.observations.push(Observation {
            state,
            month,
            series: super::Series::CfspAlignment,
            value: pct / 100.0,
            se: 0.0,
        });
    }
    Ok(())
}

/// `validation/unga_votes.csv`: each state's vote; `not_member` rows are counted, not used; a
/// state's second vote on one resolution is refused.
fn read_votes(
    panel: &mut Panel,
    name: &str,
    text: &str,
    known: &dyn Fn(&str) -> bool,
) -> Result<()> {
    const NEED: [&str; 4] = ["resolution", "date", "country", "vote"];
    let table = Table::read(name, text, &NEED)?;
    for (line, row) in &table.rows {
        let state = table.text(row, 2).to_string();
        if !known(&state) {
            let what = format!("'{state}' is neither a panel state nor one of the scenario's");
            return Err(table.error(*line, 2, &what));
        }
        let outcome = match table.text(row, 3) {
            "yes" => 0,
            "abstain" | "absent" => 1,
            "no" => 2,
            "not_member" => {
                panel.skip("UN votes of non-members");
                continue;
            }
            other => {
                let what =
                    format!("expected yes, abstain, absent, no or not_member, found '{other}'");
                return Err(table.error(*line, 3, &what));
            }
        };
        let date = table.text(row, 1);
        let month = date
            .get(..7)
            .and_then(crate::measure::parse_month)
            .filter(|_| date.len() == 7 || date.len() == 10)
            .ok_or_else(|| {
                table.error(
                    *line,
                    1,
                    &format!("expected YYYY-MM-DD or YYYY-MM, found '{date}'"),
                )
            })?;
        let full = table.text(row, 0);
        let resolution = full.split(" (").next().unwrap_or(full).trim().to_string();
        if panel
            .votes
            .iter()
            .any(|v| v.state == state && v.resolution == resolution)
        {
            return Err(table.error(*line, 0, &format!("{state} votes twice on '{resolution}'")));
        }
        panel.votes.push(Vote {
            state,
            month,
            resolution,
            outcome,
        });
    }
    Ok(())
}

/// A question's family and direction in `validation/poll_families.csv`: `None` for a question
/// the panel does not use, with why.
type Families = BTreeMap<String, std::result::Result<(String, bool), String>>;

/// `validation/poll_families.csv`: each poll question's family and direction (`toward_moscow`,
/// `toward_west`, or `skip` with why).
fn read_families(name: &str, text: &str) -> Result<Families> {
    const NEED: [&str; 4] = ["question", "family", "direction", "why"];
    let table = Table::read(name, text, &NEED)?;
    let mut families = Families::new();
    let mut directions: BTreeMap<String, bool> = BTreeMap::new();
    for (line, row) in &table.rows {
        let question = table.text(row, 0).to_string();
        let family = table.text(row, 1).trim().to_string();
        let entry = match table.text(row, 2) {
            "skip" => Err(table.text(row, 3).to_string()),
            "toward_moscow" | "toward_west" if family.is_empty() => {
                return Err(table.error(*line, 1, "expected a family name"));
            }
            "toward_moscow" => Ok((family, true)),
            "toward_west" => Ok((family, false)),
            other => {
                let what = format!("expected toward_moscow, toward_west or skip, found '{other}'");
                return Err(table.error(*line, 2, &what));
            }
        };
        if let Ok((family, toward_moscow)) = &entry
            && *directions.entry(family.clone()).or_insert(*toward_moscow) != *toward_moscow
        {
            let what = format!("the family '{family}' has questions of both directions");
            return Err(table.error(*line, 2, &what));
        }
        if families.insert(question.clone(), entry).is_some() {
            return Err(table.error(*line, 0, &format!("'{question}' is listed twice")));
        }
    }
    Ok(families)
}

/// `validation/polls.csv`: each row's question must be in the families file; skipped questions
/// are counted by why.
fn read_polls(
    panel: &mut Panel,
    name: &str,
    text: &str,
    families: &Families,
    known: &dyn Fn(&str) -> bool,
) -> Result<()> {
    const NEED: [&str; 5] = ["country", "year", "month", "question", "value_pct"];
    let table = Table::read(name, text, &NEED)?;
    for (line, row) in &table.rows {
        let question = table.text(row, 3);
        let (family, toward_moscow) = match families.get(question) {
            Some(Ok(f)) => f.clone(),
            Some(Err(why)) => {
                panel.skip(&format!("polls not used: {why}"));
                continue;
            }
            None => {
                let what = format!(
                    "the question '{question}' is not in {}: add it there with its family and \
                     direction (toward_moscow, toward_west or skip)",
                    DATA_FILES[4]
                );
                return Err(table.error(*line, 3, &what));
            }
        };
        let state = table.text(row, 0).to_string();
        if !known(&state) {
            let what = format!("'{state}' is neither a panel state nor one of the scenario's");
            return Err(table.error(*line, 0, &what));
        }
        let year = table.year(*line, row, 1, FIRST_YEAR)?;
        let month = match table.number(*line, row, 2, true)? {
            None => 6,
            Some(m) if m.fract() == 0.0 && (1.0..=12.0).contains(&m) => m as u32,
            Some(m) => {
                let what = format!("expected a month from 1 to 12 or nothing, found {m}");
                return Err(table.error(*line, 2, &what));
            }
        };
        let pct = table.number(*line, row, 4, false)?.unwrap_or(0.0);
        if !(0.0..=100.0).contains(&pct) {
            let what = format!("expected a percentage from 0 to 100, found {pct}");
            return Err(table.error(*line, 4, &what));
        }
        panel.polls.push(Poll {
            state,
            month: month_of(year, month),
            family,
            toward_moscow,
            share: pct / 100.0,
        });
    }
    Ok(())
}
