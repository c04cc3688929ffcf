//! The resolved scenario: what a file says once `extends` is followed and defaults are filled.
//! Serialising it gives `scenario.resolved.toml`, which loads back to the same scenario.

use super::node::Node;
use super::params::{LeverParams, Params, PopulationParams};
use super::read::{Ctx, Obj};
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

/// The eight levers. Each has a stock per state in [0, 1], owned by one pole.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lever {
    Arms,
    Energy,
    Information,
    Religion,
    Accession,
    Aid,
    Security,
    Coercion,
}

impl Lever {
    pub const ALL: [Lever; 8] = [
        Lever::Arms,
        Lever::Energy,
        Lever::Information,
        Lever::Religion,
        Lever::Accession,
        Lever::Aid,
        Lever::Security,
        Lever::Coercion,
    ];
    pub const COUNT: usize = 8;

    pub fn name(self) -> &'static str {
        match self {
            Lever::Arms => "arms",
            Lever::Energy => "energy",
            Lever::Information => "information",
            Lever::Religion => "religion",
            Lever::Accession => "accession",
            Lever::Aid => "aid",
            Lever::Security => "security",
            Lever::Coercion => "coercion",
        }
    }

    /// The pole whose spending builds this lever's stock; the other pole's spending erodes it.
    pub fn owner(self) -> Pole {
        match self {
            Lever::Arms
            | Lever::Energy
            | Lever::Information
            | Lever::Religion
            | Lever::Coercion => Pole::Moscow,
            Lever::Accession | Lever::Aid | Lever::Security => Pole::West,
        }
    }

    fn choices() -> Vec<(&'static str, Lever)> {
        Lever::ALL.iter().map(|l| (l.name(), *l)).collect()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Pole {
    /// +1 on the alignment scale.
    Moscow,
    /// −1 on the alignment scale.
    West,
}

impl Pole {
    pub fn sign(self) -> f64 {
        match self {
            Pole::Moscow => 1.0,
            Pole::West => -1.0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Member,
    Candidate,
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Targeting {
    Fixed,
    Adaptive,
}

/// A calendar month; scenario dates are written "YYYY-MM".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    /// 1..=12
    pub month: u32,
}

impl YearMonth {
    pub fn parse(s: &str) -> Option<YearMonth> {
        let (y, m) = s.split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        (1..=12)
            .contains(&month)
            .then_some(YearMonth { year, month })
    }

    /// The month `months` after this one.
    pub fn plus(self, months: i64) -> YearMonth {
        let index = self.year as i64 * 12 + (self.month as i64 - 1) + months;
        YearMonth {
            year: index.div_euclid(12) as i32,
            month: index.rem_euclid(12) as u32 + 1,
        }
    }

    /// Months from `self` to `later` (negative if `later` is earlier).
    pub fn months_until(self, later: YearMonth) -> i64 {
        (later.year as i64 - self.year as i64) * 12 + later.month as i64 - self.month as i64
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The threshold events the model draws (docs/MODEL.md, 7.7), by their names in events.csv.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    JoinsNato,
    JoinsEu,
    HostsRussianAsset,
    LosesRussianAsset,
    GrantsNavalAccess,
    RevokesNavalAccess,
    JoinsSanctions,
    LeavesSanctions,
    ProtestCrisis,
    SecessionCrisis,
}

impl EventKind {
    pub const ALL: [EventKind; 10] = [
        EventKind::JoinsNato,
        EventKind::JoinsEu,
        EventKind::HostsRussianAsset,
        EventKind::LosesRussianAsset,
        EventKind::GrantsNavalAccess,
        EventKind::RevokesNavalAccess,
        EventKind::JoinsSanctions,
        EventKind::LeavesSanctions,
        EventKind::ProtestCrisis,
        EventKind::SecessionCrisis,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EventKind::JoinsNato => "joins_nato",
            EventKind::JoinsEu => "joins_eu",
            EventKind::HostsRussianAsset => "hosts_russian_asset",
            EventKind::LosesRussianAsset => "loses_russian_asset",
            EventKind::GrantsNavalAccess => "grants_naval_access",
            EventKind::RevokesNavalAccess => "revokes_naval_access",
            EventKind::JoinsSanctions => "joins_sanctions",
            EventKind::LeavesSanctions => "leaves_sanctions",
            EventKind::ProtestCrisis => "protest_crisis",
            EventKind::SecessionCrisis => "secession_crisis",
        }
    }
}

impl Serialize for EventKind {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

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
    /// Whether it happened.
    pub observed: bool,
    /// The reference forecast: the probability a base rate gives it.
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
}

// ---- reading -------------------------------------------------------------------------------

const SHARE: &str = "a share in [0, 1]";
const ALIGN: &str = "an alignment in [-1, 1] (-1 the West, +1 Moscow)";

pub(super) fn read_scenario(root: &Node, ctx: &mut Ctx) -> Result<Scenario> {
    let mut top = Obj::new(root, "", ctx)?;
    let meta = match top.table("scenario", ctx)? {
        Some(mut o) => {
            let m = read_meta(&mut o, ctx)?;
            o.finish(ctx)?;
            m
        }
        None => {
            return Err(ctx.error_at(
                root.loc,
                "scenario",
                "missing table [scenario]; expected name, start, months (and optionally description, runs, seed)",
            ));
        }
    };
    let region = match top.table("region", ctx)? {
        Some(mut o) => {
            let r = Region {
                bondsteel_reach: o.strings("bondsteel_reach", ctx)?,
            };
            o.finish(ctx)?;
            r
        }
        None => Region {
            bondsteel_reach: Vec::new(),
        },
    };
    let params = match top.table("params", ctx)? {
        Some(mut o) => {
            let p = Params::read(&mut o, ctx)?;
            o.finish(ctx)?;
            p
        }
        None => Params::default(),
    };
    let population = match top.table("population", ctx)? {
        Some(mut o) => {
            let p = PopulationParams::read(&mut o, ctx)?;
            o.finish(ctx)?;
            p
        }
        None => PopulationParams::default(),
    };
    let mut lever = Lever::ALL.map(Lever::default_params);
    if let Some(mut levers) = top.table("lever", ctx)? {
        for l in Lever::ALL {
            if let Some(mut o) = levers.table(l.name(), ctx)? {
                lever[l as usize] = LeverParams::read(l.default_params(), &mut o, ctx)?;
                o.finish(ctx)?;
            }
        }
        levers.finish(ctx)?;
    }
    let mut state = Vec::new();
    for node in top.tables("state", ctx)? {
        state.push(read_state(node, ctx)?);
    }
    let mut power = Vec::new();
    for node in top.tables("power", ctx)? {
        power.push(read_power(node, ctx)?);
    }
    let mut policy = Vec::new();
    for node in top.tables("policy", ctx)? {
        policy.push(read_policy(node, meta.start, ctx)?);
    }
    let mut event = Vec::new();
    for node in top.tables("event", ctx)? {
        event.push(read_event(node, ctx)?);
    }
    let mut outcome = Vec::new();
    for node in top.tables("outcome", ctx)? {
        outcome.push(read_outcome(node, ctx)?);
    }
    top.finish(ctx)?;
    Ok(Scenario {
        scenario: meta,
        region,
        params,
        population,
        lever,
        state,
        power,
        policy,
        event,
        outcome,
    })
}

/// At most 80 characters of a value echoed in an error (a 1 MB code is not printed whole).
pub(super) fn clip(value: &str) -> String {
    const MAX: usize = 80;
    if value.chars().count() <= MAX {
        return value.to_string();
    }
    let head: String = value.chars().take(MAX).collect();
    format!("{head}… ({} characters)", value.chars().count())
}

/// Whether `name` may name an output folder: 1–64 letters, digits, '-' or '_' (no path).
pub(super) fn folder_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn read_meta(o: &mut Obj, ctx: &mut Ctx) -> Result<Meta> {
    let name = o.str_req("name", "a short name such as \"balkans\"", ctx)?;
    if !folder_name_ok(&name) {
        return Err(ctx.error_path(
            "scenario.name",
            o.loc,
            format!(
                "= \"{}\"; expected 1-64 letters, digits, '-' or '_' (it names output folders)",
                clip(&name)
            ),
        ));
    }
    let start_text = o.str_req("start", "a month \"YYYY-MM\"", ctx)?;
    let start = YearMonth::parse(&start_text).ok_or_else(|| {
        ctx.error_path(
            "scenario.start",
            o.loc,
            format!("= \"{start_text}\"; expected a month \"YYYY-MM\" such as \"2025-11\""),
        )
    })?;
    Ok(Meta {
        name,
        description: o
            .str_opt("description", "a string", ctx)?
            .unwrap_or_default(),
        start,
        months: o.int_req(
            "months",
            1..=MAX_MONTHS,
            &format!("a whole number of months in [1, {MAX_MONTHS}]"),
            ctx,
        )? as u32,
        runs: o
            .int_opt(
                "runs",
                1..=MAX_RUNS,
                &format!("a whole number of runs in [1, {MAX_RUNS}]"),
                ctx,
            )?
            .unwrap_or(1000) as u64,
        seed: o
            .int_opt("seed", 0..=i64::MAX, "a whole number >= 0", ctx)?
            .unwrap_or(1) as u64,
        hold_present: o.bool_or("hold_present", true, ctx)?,
    })
}

fn code_ok(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 16
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn read_code(o: &mut Obj, list: &str, ctx: &mut Ctx) -> Result<String> {
    let code = o.str_req("code", "a code such as \"SRB\"", ctx)?;
    if !code_ok(&code) {
        return Err(ctx.error_path(
            &format!("{}.code", o.path),
            o.loc,
            format!("= \"{}\"; expected 1-16 capital letters, digits, '-' or '_' (a {list} code such as \"SRB\")", clip(&code)),
        ));
    }
    o.path = format!("{list}[{code}]");
    o.node("code", ctx); // records where `<list>[<code>].code` is, for a duplicate's error
    Ok(code)
}

fn read_membership(o: &mut Obj, key: &'static str, ctx: &mut Ctx) -> Result<Membership> {
    let Some(mut t) = o.table(key, ctx)? else {
        return Ok(Membership {
            status: Status::None,
            since: None,
        });
    };
    let m = Membership {
        status: t.choice(
            "status",
            &[
                ("member", Status::Member),
                ("candidate", Status::Candidate),
                ("none", Status::None),
            ],
            None,
            ctx,
        )?,
        since: t.int_opt("since", 1900..=2200, "a year in [1900, 2200]", ctx)?,
    };
    t.finish(ctx)?;
    Ok(m)
}

fn read_state(node: &Node, ctx: &mut Ctx) -> Result<State> {
    let mut o = Obj::new(node, "state[?]", ctx)?;
    let code = read_code(&mut o, "state", ctx)?;
    let alignment = o.f64_req("alignment", -1.0..=1.0, ALIGN, ctx)?;
    let mut groups = Vec::new();
    for g in o.tables("groups", ctx)? {
        let mut t = Obj::new(g, &format!("{}.groups[?]", o.path), ctx)?;
        let name = t.str_req("name", "a group name such as \"Serb\"", ctx)?;
        t.path = format!("{}.groups[{name}]", o.path);
        let share = t.f64_req("share", 0.0..=1.0, SHARE, ctx)?;
        let opinion = t.f64_opt("opinion", -1.0..=1.0, ALIGN, ctx)?;
        let receptivity = t.f64_or(
            "receptivity",
            1.0,
            0.0..=10.0,
            "a multiplier in [0, 10]",
            ctx,
        )?;
        t.finish(ctx)?;
        groups.push((name, share, opinion, receptivity));
    }
    let public_opinion = o
        .f64_opt("public_opinion", -1.0..=1.0, ALIGN, ctx)?
        .unwrap_or(alignment);
    let state = State {
        name: o.str_req("name", "the state's name", ctx)?,
        population: o.int_req(
            "population",
            1..=MAX_POPULATION,
            &format!("inhabitants, a whole number in [1, {MAX_POPULATION}]"),
            ctx,
        )? as u64,
        part_of: o.str_opt(
            "part_of",
            "the code of the state this entity belongs to",
            ctx,
        )?,
        lat: o.f64_opt("lat", -90.0..=90.0, "degrees of latitude in [-90, 90]", ctx)?,
        lon: o.f64_opt(
            "lon",
            -180.0..=180.0,
            "degrees of longitude in [-180, 180]",
            ctx,
        )?,
        adriatic_coast: o.bool_or("adriatic_coast", false, ctx)?,
        neighbours: o.strings("neighbours", ctx)?,
        kin: o.strings("kin", ctx)?,
        gas_share_russia: o.f64_or("gas_share_russia", 0.0, 0.0..=1.0, SHARE, ctx)?,
        russian_energy_assets: o.f64_or("russian_energy_assets", 0.0, 0.0..=1.0, SHARE, ctx)?,
        arms_share_russia: o.f64_or("arms_share_russia", 0.0, 0.0..=1.0, SHARE, ctx)?,
        defence_gdp_pct: o.f64_or(
            "defence_gdp_pct",
            2.0,
            0.0..=20.0,
            "per cent of GDP in [0, 20]",
            ctx,
        )?,
        orthodox_share: o.f64_or("orthodox_share", 0.0, 0.0..=1.0, SHARE, ctx)?,
        church_ties_moscow: o.f64_or("church_ties_moscow", 0.0, 0.0..=1.0, SHARE, ctx)?,
        russian_media_reach: o.f64_or("russian_media_reach", 0.0, 0.0..=1.0, SHARE, ctx)?,
        anchoring: o.f64_or(
            "anchoring",
            0.02,
            0.0..=1.0,
            "a share per month in [0, 1]",
            ctx,
        )?,
        responsiveness: o.f64_or(
            "responsiveness",
            0.1,
            0.0..=100.0,
            "a weight in [0, 100]",
            ctx,
        )?,
        public_opinion,
        alignment,
        grievance: o.f64_or("grievance", 0.2, 0.0..=1.0, SHARE, ctx)?,
        hosts_russian_asset: o.bool_or("hosts_russian_asset", false, ctx)?,
        russian_naval_access: o.bool_or("russian_naval_access", false, ctx)?,
        in_sanctions: o.bool_or("in_sanctions", false, ctx)?,
        eu: read_membership(&mut o, "eu", ctx)?,
        nato: read_membership(&mut o, "nato", ctx)?,
        groups: groups
            .into_iter()
            .map(|(name, share, opinion, receptivity)| Group {
                name,
                share,
                opinion: opinion.unwrap_or(public_opinion),
                receptivity,
            })
            .collect(),
        weights: o.number_map("weights", 0.0..=1.0, "a weight in [0, 1]", ctx)?,
        code,
    };
    o.finish(ctx)?;
    Ok(state)
}

fn read_power(node: &Node, ctx: &mut Ctx) -> Result<Power> {
    let mut o = Obj::new(node, "power[?]", ctx)?;
    let code = read_code(&mut o, "power", ctx)?;
    let mut budget = [0.0; Lever::COUNT];
    if let Some(mut b) = o.table("budget", ctx)? {
        for l in Lever::ALL {
            budget[l as usize] =
                b.f64_or(l.name(), 0.0, 0.0..=1e6, "M EUR per year in [0, 1e6]", ctx)?;
        }
        b.finish(ctx)?;
    }
    let power = Power {
        name: o.str_req("name", "the power's name", ctx)?,
        pole: o.choice(
            "pole",
            &[("moscow", Pole::Moscow), ("west", Pole::West)],
            None,
            ctx,
        )?,
        targeting: o.choice(
            "targeting",
            &[
                ("fixed", Targeting::Fixed),
                ("adaptive", Targeting::Adaptive),
            ],
            Some(Targeting::Fixed),
            ctx,
        )?,
        budget,
        targets: o.strings("targets", ctx)?,
        allocation: o
            .number_map("allocation", 0.0..=1.0, SHARE, ctx)?
            .unwrap_or_default(),
        code,
    };
    o.finish(ctx)?;
    Ok(power)
}

fn read_policy(node: &Node, start: YearMonth, ctx: &mut Ctx) -> Result<Policy> {
    let mut o = Obj::new(node, "policy[?]", ctx)?;
    let id = o.str_req("id", "an identifier such as \"eu-steps-in\"", ctx)?;
    o.path = format!("policy[{id}]");
    o.node("id", ctx);
    let from = match o.str_opt("from", "a month \"YYYY-MM\"", ctx)? {
        None => start,
        Some(text) => YearMonth::parse(&text).ok_or_else(|| {
            ctx.error_path(
                &format!("{}.from", o.path),
                o.loc,
                format!("= \"{text}\"; expected a month \"YYYY-MM\" such as \"2026-06\""),
            )
        })?,
    };
    let mut budget = [None; Lever::COUNT];
    match o.table("budget", ctx)? {
        Some(mut b) => {
            for l in Lever::ALL {
                budget[l as usize] =
                    b.f64_opt(l.name(), 0.0..=1e6, "M EUR per year in [0, 1e6]", ctx)?;
            }
            b.finish(ctx)?;
        }
        None => {
            return Err(ctx.error_path(
                &format!("{}.budget", o.path),
                o.loc,
                "is missing; expected a table of M EUR per year by lever, such as { accession = 1500 }"
                    .to_string(),
            ));
        }
    }
    let policy = Policy {
        power: o.str_req("power", "the code of the power whose budgets change", ctx)?,
        from,
        budget,
        description: o
            .str_opt("description", "a string", ctx)?
            .unwrap_or_default(),
        id,
    };
    o.finish(ctx)?;
    Ok(policy)
}

fn read_event(node: &Node, ctx: &mut Ctx) -> Result<Event> {
    let mut o = Obj::new(node, "event[?]", ctx)?;
    let id = o.str_req("id", "an identifier such as \"s400-drill-2019\"", ctx)?;
    o.path = format!("event[{id}]");
    o.node("id", ctx);
    let date_text = o.str_req("date", "a month \"YYYY-MM\"", ctx)?;
    let date = YearMonth::parse(&date_text).ok_or_else(|| {
        ctx.error_path(
            &format!("{}.date", o.path),
            o.loc,
            format!("= \"{date_text}\"; expected a month \"YYYY-MM\" such as \"2019-10\""),
        )
    })?;
    let mut targets: Vec<(&str, EventTarget)> = Lever::choices()
        .into_iter()
        .map(|(n, l)| (n, EventTarget::Stock(l)))
        .collect();
    targets.push(("grievance", EventTarget::Grievance));
    let event = Event {
        date,
        state: o.str_req("state", "the code of the state it strikes", ctx)?,
        lever: o.choice("lever", &targets, None, ctx)?,
        magnitude: o.f64_req(
            "magnitude",
            -1.0..=1.0,
            "a jump of the lever's stock (or grievance) in [-1, 1]",
            ctx,
        )?,
        description: o
            .str_opt("description", "a string", ctx)?
            .unwrap_or_default(),
        id,
    };
    o.finish(ctx)?;
    Ok(event)
}

fn read_outcome(node: &Node, ctx: &mut Ctx) -> Result<Outcome> {
    let mut o = Obj::new(node, "outcome[?]", ctx)?;
    let id = o.str_req("id", "an identifier such as \"mne-joins-nato\"", ctx)?;
    o.path = format!("outcome[{id}]");
    o.node("id", ctx);
    let by_text = o.str_req("by", "a month \"YYYY-MM\"", ctx)?;
    let by = YearMonth::parse(&by_text).ok_or_else(|| {
        ctx.error_path(
            &format!("{}.by", o.path),
            o.loc,
            format!("= \"{by_text}\"; expected a month \"YYYY-MM\""),
        )
    })?;
    #[derive(Clone, Copy)]
    enum Test {
        EventBy,
        NoEventBy,
        NeverAbove,
        HighestAt,
    }
    let test = o.choice(
        "test",
        &[
            ("event_by", Test::EventBy),
            ("no_event_by", Test::NoEventBy),
            ("never_above", Test::NeverAbove),
            ("highest_at", Test::HighestAt),
        ],
        None,
        ctx,
    )?;
    let events: Vec<(&str, EventKind)> = EventKind::ALL.iter().map(|k| (k.name(), *k)).collect();
    let test = match test {
        Test::EventBy => OutcomeTest::EventBy {
            event: o.choice("event", &events, None, ctx)?,
        },
        Test::NoEventBy => OutcomeTest::NoEventBy {
            event: o.choice("event", &events, None, ctx)?,
        },
        Test::NeverAbove => OutcomeTest::NeverAbove {
            value: o.f64_req("value", -1.0..=1.0, ALIGN, ctx)?,
        },
        Test::HighestAt => OutcomeTest::HighestAt {
            among: o.strings("among", ctx)?,
        },
    };
    let outcome = Outcome {
        description: o
            .str_opt("description", "a string", ctx)?
            .unwrap_or_default(),
        state: o.str_req("state", "the code of the state it concerns", ctx)?,
        by,
        test,
        observed: o.bool_or("observed", true, ctx)?,
        base_rate: o.f64_req(
            "base_rate",
            0.0..=1.0,
            "the reference forecast's probability, in [0, 1]",
            ctx,
        )?,
        held_out: o.bool_or("held_out", false, ctx)?,
        id,
    };
    o.finish(ctx)?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_count_across_years() {
        let a = YearMonth::parse("2019-11").unwrap();
        assert_eq!(a.plus(3).to_string(), "2020-02");
        assert_eq!(a.months_until(YearMonth::parse("2020-02").unwrap()), 3);
        assert!(YearMonth::parse("2019-13").is_none());
        assert!(YearMonth::parse("2019-1").is_none());
    }
}
