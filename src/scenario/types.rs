//! The resolved scenario: what a file says once `extends` is followed and defaults are filled.
//! Serialising it gives `scenario.resolved.toml`, which loads back to the same scenario.

use super::levers::{Lever, LeverParams};
use super::params::{Params, PopulationParams};
use super::vocabulary::{EventKind, Known, Pole, Reading, Status, Targeting, YearMonth};
use crate::error::Result;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

/// Upper bounds that keep a scenario's memory and time finite; docs/SCENARIOS.md lists them.
pub const MAX_MONTHS: i64 = 1200;
pub const MAX_RUNS: i64 = 100_000_000;
pub const MAX_STATES: usize = 500;
pub const MAX_POPULATION: i64 = 2_000_000_000;
/// Citizens of the population layer in a scenario (memory: about 20 bytes each per worker).
pub const MAX_CITIZENS: f64 = 20_000_000.0;

/// What an `[[outcome]]` checks in each run.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "test", rename_all = "snake_case")]
pub enum OutcomeTest {
    /// `event` happens to `state` by `by`.
    EventBy { event: EventKind },
    /// `event` does not happen to `state` by `by`.
    NoEventBy { event: EventKind },
    /// The state's alignment stays at or below `value` every month up to `by`.
    NeverAbove { value: f64 },
    /// At `by`, the state's alignment is the highest among `among`.
    HighestAt { among: Vec<String> },
    /// At `by`, the state's alignment is at or below `value`.
    AtMost { value: f64 },
    /// From `from` to `by`, the state's alignment moves toward `toward` by at least `value`.
    Shift {
        from: YearMonth,
        toward: Pole,
        value: f64,
    },
    /// A continuous target: at `by`, `reading` was observed at `value` (on the model's scale)
    /// with a measurement error of standard deviation `error`.
    ValueAt {
        reading: Reading,
        value: f64,
        error: f64,
    },
}

/// `[[outcome]]`: something that did or did not happen, scored by `spheres hindcast`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    pub id: String,
    pub description: String,
    pub state: String,
    /// The last month the test looks at.
    pub by: YearMonth,
    #[serde(flatten)]
    pub test: OutcomeTest,
    /// Whether it happened (always true for `value_at`, whose observation is its `value`).
    pub observed: bool,
    /// The reference forecast: the probability a base rate gives it; for `value_at`, the
    /// value a forecaster without the model would give.
    pub base_rate: f64,
    /// Held out of calibration (it happened after the calibration period).
    pub held_out: bool,
}

/// `[scenario]`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Meta {
    pub name: String,
    pub description: String,
    pub start: YearMonth,
    pub months: u32,
    pub runs: u64,
    pub seed: u64,
    /// Solve each state's domestic pulls and the stocks' bases so that, with the powers' budgets
    /// (the status quo) and no noise, the start month is the model's fixed point (MODEL.md 5).
    pub hold_present: bool,
}

/// `[region]`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Region {
    /// States where a Russian military asset counts as within reach of Camp Bondsteel.
    pub bondsteel_reach: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Membership {
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    pub name: String,
    pub share: f64,
    /// Initial mean opinion of the group's citizens (defaults to the state's public opinion).
    pub opinion: f64,
    /// Multiplier on Moscow's messages for the group's citizens.
    pub receptivity: f64,
}

/// Indicator name of a group's mean opinion: `opinion_` and the name in lower case, with
/// anything but letters and digits as `_`.
pub fn group_indicator(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("opinion_{clean}")
}

/// `[[state]]`: one state or entity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct State {
    pub code: String,
    pub name: String,
    pub population: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    pub adriatic_coast: bool,
    pub neighbours: Vec<String>,
    pub kin: Vec<String>,
    pub gas_share_russia: f64,
    pub russian_energy_assets: f64,
    pub arms_share_russia: f64,
    pub defence_gdp_pct: f64,
    pub orthodox_share: f64,
    pub church_ties_moscow: f64,
    pub russian_media_reach: f64,
    pub anchoring: f64,
    pub responsiveness: f64,
    pub alignment: f64,
    pub public_opinion: f64,
    pub grievance: f64,
    pub hosts_russian_asset: bool,
    pub russian_naval_access: bool,
    pub in_sanctions: bool,
    pub eu: Membership,
    pub nato: Membership,
    pub groups: Vec<Group>,
    /// Influence weights given directly (FJ row: state codes, `moscow`, `west`); replaces the levers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weights: Option<BTreeMap<String, f64>>,
}

/// `[[power]]`: an outside power and what it spends.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Power {
    pub code: String,
    pub name: String,
    pub pole: Pole,
    pub targeting: Targeting,
    /// M EUR per year, by lever.
    #[serde(serialize_with = "lever_map")]
    pub budget: [f64; Lever::COUNT],
    /// States this power spends in; empty means all.
    pub targets: Vec<String>,
    /// Fixed targeting: share of each budget by state; empty means by population.
    pub allocation: BTreeMap<String, f64>,
}

/// `[[policy]]`: a change of one power's budgets from a month on. The powers' `budget`s are
/// the status quo the present was reached under; policies are what a scenario changes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Policy {
    pub id: String,
    pub power: String,
    /// First month of the new budgets.
    pub from: YearMonth,
    /// M EUR per year by lever; `None` keeps the budget in force.
    #[serde(serialize_with = "lever_options")]
    pub budget: [Option<f64>; Lever::COUNT],
    pub description: String,
}

/// What an event moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventTarget {
    Stock(Lever),
    Grievance,
}

impl EventTarget {
    pub fn name(self) -> &'static str {
        match self {
            EventTarget::Stock(l) => l.name(),
            EventTarget::Grievance => "grievance",
        }
    }
}

impl Serialize for EventTarget {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// `[[event]]`: a dated shock to one state.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    pub id: String,
    pub date: YearMonth,
    pub state: String,
    pub lever: EventTarget,
    pub magnitude: f64,
    pub description: String,
    /// Known at the start month, or only with hindsight (left out by `hindcast --known-only`).
    #[serde(skip_serializing_if = "Known::is_origin")]
    pub known: Known,
}

/// A whole scenario, resolved.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    pub scenario: Meta,
    pub region: Region,
    pub params: Params,
    pub population: PopulationParams,
    #[serde(serialize_with = "lever_map")]
    pub lever: [LeverParams; Lever::COUNT],
    pub state: Vec<State>,
    pub power: Vec<Power>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policy: Vec<Policy>,
    pub event: Vec<Event>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outcome: Vec<Outcome>,
    /// Priors over numbers of this scenario (`[[uncertain]]`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub uncertain: Vec<super::uncertain::Uncertain>,
}

fn lever_map<T: Serialize, S: Serializer>(
    values: &[T; Lever::COUNT],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.collect_map(Lever::ALL.iter().map(|l| l.name()).zip(values.iter()))
}

fn lever_options<S: Serializer>(
    values: &[Option<f64>; Lever::COUNT],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.collect_map(
        Lever::ALL
            .iter()
            .zip(values.iter())
            .filter_map(|(l, v)| v.map(|v| (l.name(), v))),
    )
}

impl Scenario {
    /// The resolved scenario as TOML; loading it gives back this scenario.
    pub fn to_toml(&self) -> Result<String> {
        let body = toml::to_string(self)
            .map_err(|e| crate::Error::Internal(format!("writing the resolved scenario: {e}")))?;
        Ok(format!(
            "# Resolved by spheres {}: every key explicit, `extends` already applied.\n{body}",
            env!("CARGO_PKG_VERSION")
        ))
    }

    pub fn state_index(&self, code: &str) -> Option<usize> {
        self.state.iter().position(|s| s.code == code)
    }

    /// The citizen agents of the `[population]` layer: one per `people_per_agent` inhabitants
    /// of each state, rounded up; 0 with the aggregate public opinion.
    pub fn citizens(&self) -> f64 {
        let k = self.population.people_per_agent;
        if k <= 0.0 {
            return 0.0;
        }
        self.state.iter().map(|st| st.citizens(k)).sum()
    }
}

impl State {
    /// The state's citizen agents: one per `people_per_agent` (> 0) inhabitants, rounded up (at
    /// least one, as a state has at least one inhabitant).
    pub fn citizens(&self, people_per_agent: f64) -> f64 {
        (self.population as f64 / people_per_agent).ceil()
    }
}
