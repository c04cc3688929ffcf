//! The resolved scenario: what a file says once `extends` is followed and defaults are filled.
//! Serialising it gives `scenario.resolved.toml`, which loads back to the same scenario.

use super::lever_table::{Lever, LeverParams};
use super::params::{Params, PopulationParams};
use super::vocabulary::{EventKind, Known, Pole, Reading, StartFrom, Status, Targeting, YearMonth};
use crate::error::Result;
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

/// Upper bounds that keep a scenario's memory and time finite; docs/SCENARIOS.md lists them.
pub const MAX_MONTHS: i64 = 1200;
/// Most runs a scenario or `--runs` may ask for.
pub const MAX_RUNS: i64 = 100_000_000;
/// Most states (and entities) in a scenario.
pub const MAX_STATES: usize = 500;
/// Most inhabitants of one state.
pub const MAX_POPULATION: i64 = 2_000_000_000;
/// Citizens of the population layer in a scenario (memory: about 20 bytes each per worker).
pub const MAX_CITIZENS: f64 = 20_000_000.0;

/// What an `[[outcome]]` checks in each run.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "test", rename_all = "snake_case")]
pub enum OutcomeTest {
    /// `event` happens to `state` by `by`.
    EventBy {
        /// The event that must happen.
        event: EventKind,
    },
    /// `event` does not happen to `state` by `by`.
    NoEventBy {
        /// The event that must not happen.
        event: EventKind,
    },
    /// The state's alignment stays at or below `value` every month up to `by`.
    NeverAbove {
        /// The highest alignment allowed.
        value: f64,
    },
    /// At `by`, the state's alignment is the highest among `among`.
    HighestAt {
        /// The states compared, the outcome's own included.
        among: Vec<String>,
    },
    /// At `by`, the state's alignment is at or below `value`.
    AtMost {
        /// The highest alignment allowed at `by`.
        value: f64,
    },
    /// From `from` to `by`, the state's alignment moves toward `toward` by at least `value`.
    Shift {
        /// The month the move is measured from.
        from: YearMonth,
        /// The pole it moves toward.
        toward: Pole,
        /// The least move, in alignment units.
        value: f64,
    },
    /// A continuous target: at `by`, `reading` was observed at `value` (on the model's scale)
    /// with a measurement error of standard deviation `error`.
    ValueAt {
        /// What is observed.
        reading: Reading,
        /// The observation on the model's scale.
        value: f64,
        /// The measurement error (standard deviation).
        error: f64,
    },
}

/// `[[outcome]]`: something that did or did not happen, scored by `spheres hindcast`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    /// Identifier, unique in the scenario.
    pub id: String,
    /// What happened, with its date.
    pub description: String,
    /// Code of the state it concerns.
    pub state: String,
    /// The last month the test looks at.
    pub by: YearMonth,
    /// The test and its arguments.
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
    /// Short name; names output folders.
    pub name: String,
    /// Sentences shown by `validate`.
    pub description: String,
    /// First month; month 0 of every output.
    pub start: YearMonth,
    /// Horizon in months.
    pub months: u32,
    /// Runs when `--runs` is not given.
    pub runs: u64,
    /// Master seed when `--seed` is not given.
    pub seed: u64,
    /// Solve each state's domestic pulls and the stocks' bases so that, with the powers' budgets
    /// (the status quo) and no noise, the start month is the model's fixed point (MODEL.md 5).
    pub hold_present: bool,
    /// Where the initial alignments come from: the file, or the nowcast at `start`, drawn
    /// per draw of the parameters (MODEL.md 9.4).
    pub start_from: StartFrom,
}

/// `[region]`
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Region {
    /// States where a Russian military asset counts as within reach of Camp Bondsteel.
    pub bondsteel_reach: Vec<String>,
}

/// A state's status in the EU or in NATO.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Membership {
    /// The stage in the organisation's pipeline (docs/MODEL.md 7.12).
    pub status: Status,
    /// Year the stage was reached, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<i64>,
    /// Whether a veto blocks the next step at the start.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub blocked: bool,
}

/// A state's calendar of government-deciding elections (docs/MODEL.md 7.11).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Elections {
    /// The first scheduled election after the start.
    pub next: YearMonth,
    /// Months between scheduled elections.
    pub term_months: u32,
    /// Elections the governing party had won in a row at the start (0: it took office at the
    /// last one).
    pub incumbent_wins: u32,
}

/// An ethnic group of a state.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Group {
    /// Display name; names the group's opinion indicator ([`group_indicator`]).
    pub name: String,
    /// Share of the state's population, in [0, 1].
    pub share: f64,
    /// Initial mean opinion of the group's citizens; `None`: the state's public opinion (so
    /// that a draw or a nowcast of that moves the group too).
    pub opinion: Option<f64>,
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
    /// Identifier used everywhere else.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Inhabitants.
    pub population: u64,
    /// The parent state of an entity (e.g. `BIH`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_of: Option<String>,
    /// Latitude of the capital, degrees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// Longitude of the capital, degrees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// Has an Adriatic coast (may grant Russia naval access).
    pub adriatic_coast: bool,
    /// Codes of the states it borders (mutual).
    pub neighbours: Vec<String>,
    /// Codes of the states whose people are its kin (mutual).
    pub kin: Vec<String>,
    /// Russian share of gas supply; the initial energy stock.
    pub gas_share_russia: f64,
    /// Russian ownership of energy infrastructure, an index in [0, 1].
    pub russian_energy_assets: f64,
    /// Russian share of major arms imports; the initial arms stock.
    pub arms_share_russia: f64,
    /// Defence spending, % of GDP; sets how fast the inventory turns over.
    pub defence_gdp_pct: f64,
    /// Orthodox share of the population.
    pub orthodox_share: f64,
    /// Ties of its Orthodox church to the Moscow Patriarchate; the initial religion stock.
    pub church_ties_moscow: f64,
    /// Reach of Russian-state media, a share.
    pub russian_media_reach: f64,
    /// Share per month by which the government is pulled back to its anchor (1 − λ).
    pub anchoring: f64,
    /// Weight of public opinion on the government (ψ).
    pub responsiveness: f64,
    /// Initial alignment of the government: −1 the West, +1 Moscow.
    pub alignment: f64,
    /// Initial public opinion, on the alignment scale.
    pub public_opinion: f64,
    /// Initial (and baseline) grievance, a share.
    pub grievance: f64,
    /// Hosts a Russian military asset at the start.
    pub hosts_russian_asset: bool,
    /// Grants Russia naval access at the start.
    pub russian_naval_access: bool,
    /// Applies Western sanctions on Russia at the start.
    pub in_sanctions: bool,
    /// How much of a regional shock's common jump moves the state (MODEL.md 7.13).
    pub shock_exposure: f64,
    /// EU status.
    pub eu: Membership,
    /// NATO status.
    pub nato: Membership,
    /// Ethnic groups; their shares add up to at most 1.
    pub groups: Vec<Group>,
    /// Its elections, if the model holds them (docs/MODEL.md 7.11).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elections: Option<Elections>,
    /// Influence weights given directly (FJ row: state codes, `moscow`, `west`); replaces the levers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weights: Option<BTreeMap<String, f64>>,
}

/// `[[power]]`: an outside power and what it spends.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Power {
    /// Identifier.
    pub code: String,
    /// Display name.
    pub name: String,
    /// The pole it pulls toward.
    pub pole: Pole,
    /// How it spreads its budgets over states.
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
    /// Identifier; variants refer to it.
    pub id: String,
    /// Code of the power whose budgets change.
    pub power: String,
    /// First month of the new budgets.
    pub from: YearMonth,
    /// M EUR per year by lever; `None` keeps the budget in force.
    #[serde(serialize_with = "lever_options")]
    pub budget: [Option<f64>; Lever::COUNT],
    /// What it stands for.
    pub description: String,
}

/// What an event moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventTarget {
    /// A lever's stock.
    Stock(Lever),
    /// The state's grievance (a price shock, a crisis).
    Grievance,
}

impl EventTarget {
    /// The name in files: the lever's name or `grievance`.
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
    /// Identifier; variants refer to it.
    pub id: String,
    /// The month it strikes.
    pub date: YearMonth,
    /// Code of the state it strikes.
    pub state: String,
    /// What it moves.
    pub lever: EventTarget,
    /// Jump of that stock or of grievance, in [−1, 1].
    pub magnitude: f64,
    /// What happened, with its source.
    pub description: String,
    /// Known at the start month, or only with hindsight (left out by `hindcast --known-only`).
    #[serde(skip_serializing_if = "Known::is_origin")]
    pub known: Known,
}

/// A dated regional shock, replayed at its month (docs/MODEL.md 7.13).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Shock {
    /// Identifier.
    pub id: String,
    /// The month it strikes (after the start).
    pub date: YearMonth,
    /// The states in its scope, which take a jump of their own besides the common one.
    pub states: Vec<String>,
    /// What happened, with its source.
    pub description: String,
    /// Known at the start month, or only with hindsight (left out by `hindcast --known-only`).
    #[serde(skip_serializing_if = "Known::is_origin")]
    pub known: Known,
}

/// A whole scenario, resolved.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    /// `[scenario]`.
    pub scenario: Meta,
    /// `[region]`.
    pub region: Region,
    /// `[params]`: the model's coefficients.
    pub params: Params,
    /// `[population]`: the citizen layer's coefficients.
    pub population: PopulationParams,
    /// `[lever.*]`: each lever's coefficients, in [`Lever::ALL`] order.
    #[serde(serialize_with = "lever_map")]
    pub lever: [LeverParams; Lever::COUNT],
    /// `[[state]]`s, in file order.
    pub state: Vec<State>,
    /// `[[power]]`s.
    pub power: Vec<Power>,
    /// `[[policy]]`s.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policy: Vec<Policy>,
    /// `[[event]]`s.
    pub event: Vec<Event>,
    /// `[[shock]]`: dated regional shocks; when there are any, they replace the drawn ones.
    pub shock: Vec<Shock>,
    /// `[[outcome]]`s, scored by `spheres hindcast`.
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
    /// The number at a key path (`lever.energy.pull`, `policy.eu.budget.aid`) as the resolved
    /// scenario gives it (defaults included), or `None` where there is no number.
    pub fn number_at(&self, path: &str) -> Option<f64> {
        let root = super::node::parse(&self.to_toml().ok()?, 0, "the resolved scenario").ok()?;
        match super::node::get(&root, path)?.kind {
            super::node::Kind::Float(f) => Some(f),
            super::node::Kind::Int(i) => Some(i as f64),
            _ => None,
        }
    }

    /// The resolved scenario as TOML; loading it gives back this scenario.
    pub fn to_toml(&self) -> Result<String> {
        // The starts a nowcast gave are in the file, with their priors: read back, it starts
        // from them, not from a second nowcast.
        let mut resolved = self.clone();
        resolved.scenario.start_from = super::vocabulary::StartFrom::File;
        let body = toml::to_string(&resolved)
            .map_err(|e| crate::Error::Internal(format!("writing the resolved scenario: {e}")))?;
        Ok(format!(
            "# Resolved by spheres {}: every key explicit, `extends` already applied, the starts\n# a nowcast gave written in (start_from = \"file\").\n{body}",
            env!("CARGO_PKG_VERSION")
        ))
    }

    /// Index of the state with this code.
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
