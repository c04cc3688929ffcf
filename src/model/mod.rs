//! The state-level influence model: what each mechanism does, one file per lever, and the
//! per-run state it acts on. The order of a month is the engine's (`engine::step`); every
//! equation is in docs/MODEL.md, whose names the code follows.
//!
//! [`Model`] is a scenario compiled for fast runs (immutable, shared by all runs); [`World`] is
//! one run's state, laid out as arrays over states and reused from run to run.

pub mod accession;
pub mod alignment;
pub mod arms;
pub mod channels;
pub mod citizens;
pub mod coercion;
pub mod elections;
pub mod energy;
pub mod events;
pub mod indicators;
pub mod information;
pub mod lever_rules;
pub mod opinion;
pub mod present;
pub mod religion;
pub mod response;
pub mod shocks;
pub mod stocks;
pub mod targeting;
pub mod western;
pub mod world;

use crate::error::{Error, Result};
use crate::scenario::{
    EventTarget, Lever, LeverParams, Params, Pole, Scenario, State, Status, YearMonth,
};
use alignment::ExplicitRow;
use targeting::Schedule;
pub use world::World;

const L: usize = Lever::COUNT;

/// Stocks by lever, then state.
pub type Stocks = [Vec<f64>; L];

/// A scenario compiled for simulation: per-state constants as arrays, neighbour lists as
/// flat index ranges, fixed spending precomputed.
#[derive(Clone, Debug)]
pub struct Model {
    /// Number of states (and entities).
    pub n: usize,
    /// The start month (month 0).
    pub start: YearMonth,
    /// Horizon in months.
    pub months: u32,
    /// State codes, in scenario order.
    pub codes: Vec<String>,
    /// `[params]`.
    pub params: Params,
    /// Whether the start month is held as the fixed point (`[scenario] hold_present`).
    pub hold_present: bool,
    /// Each lever's coefficients, in [`Lever::ALL`] order.
    pub levers: [LeverParams; L],
    /// Inhabitants of each state (a state's `population` in files).
    pub inhabitants: Vec<f64>,
    /// Inhabitants of each state, in millions.
    pub inhabitants_millions: Vec<f64>,
    /// Whether the state has an Adriatic coast.
    pub adriatic_coast: Vec<bool>,
    /// Russian ownership of energy infrastructure, by state.
    pub russian_energy_assets: Vec<f64>,
    /// Reach of Russian-state media, by state.
    pub media_reach: Vec<f64>,
    /// Orthodox share of the population, by state.
    pub orthodox_share: Vec<f64>,
    /// Ethnic fractionalisation of each state, from its groups' shares.
    pub fractionalisation: Vec<f64>,
    /// Weight of public opinion on the government (ψ), by state.
    pub responsiveness: Vec<f64>,
    /// Month 0 of every run: alignment, opinion and grievance from the data (also the anchors
    /// and grievance baseline the model pulls back to), statuses, the status quo's stocks and
    /// lag pipelines (solved by `present`).
    pub initial: World,
    /// Domestic pull on each government, solved to hold the present (signed: toward Moscow if
    /// positive); 0 without `hold_present`.
    pub domestic: Vec<f64>,
    /// Domestic pull on each public, solved like `domestic`; 0 without `hold_present`.
    pub public_domestic: Vec<f64>,
    /// Whether the data show Russian arms in the state's inventory (`model/arms.rs`): where
    /// Moscow's arms spending can land.
    pub arms_buyer: Vec<bool>,
    /// Whether Russian gas is in the state's supply (`model/energy.rs`).
    pub gas_buyer: Vec<bool>,
    /// Level each stock relaxes to, by lever then state.
    pub stock_base: [Vec<f64>; L],
    /// Monthly decay of each stock toward its base, by lever then state.
    pub stock_decay: [Vec<f64>; L],
    /// Neighbours and kin of state i: `neighbour_index[neighbour_start[i]..neighbour_start[i+1]]`,
    /// with row-normalised weights k_ij beside them.
    neighbour_start: Vec<usize>,
    neighbour_index: Vec<usize>,
    neighbour_weight: Vec<f64>,
    kin_start: Vec<usize>,
    kin_index: Vec<usize>,
    /// How much of a regional shock's common jump moves each state.
    pub shock_exposure: Vec<f64>,
    /// The scenario's dated shocks, by month; when there are none, shocks are drawn.
    pub shocks: Vec<shocks::Replayed>,
    /// Months between scheduled elections, by state (0 without elections).
    pub term_months: Vec<u32>,
    /// Influence rows given directly; `None` where the levers set the weights.
    pub explicit: Vec<Option<ExplicitRow>>,
    /// Entities grouped under a parent state (`part_of`).
    pub parents: Vec<Parent>,
    /// Index of the entity's parent in `parents`, if any.
    pub parent_of: Vec<Option<usize>>,
    /// Whether a Russian asset in state i counts as near Camp Bondsteel.
    pub bondsteel_reach: Vec<bool>,
    /// The powers' spending: the status quo, and the budgets `[[policy]]`s put in force.
    pub spending: Schedule,
    /// Scheduled events by month index (0 = the start month), in file order.
    pub events: Vec<Vec<ScheduledEvent>>,
    /// Mechanisms acting each month after the threshold events, each with its own stream
    /// (`model/events.rs`, [`events::Mechanism`]), in order; added by [`Model::add_mechanism`].
    mechanisms: Vec<events::Mechanism>,
    /// The layout of the citizen agents (states, groups, kin blocks), when `people_per_agent` > 0.
    pub citizen_layout: Option<citizens::CitizenLayout>,
}

/// Month 0 of a run as the data give it; `present` adds the status quo's stocks and pipelines.
fn initial_world(s: &Scenario) -> World {
    let n = s.state.len();
    let mut w = World::empty(n, s.lever.map(|l| l.lag_months as usize));
    for (i, st) in s.state.iter().enumerate() {
        w.alignment[i] = st.alignment;
        w.opinion[i] = st.public_opinion;
        w.grievance[i] = st.grievance;
        w.anchor[i] = st.alignment;
        w.lambda[i] = 1.0 - st.anchoring;
        w.eu[i] = st.eu.status;
        w.nato[i] = st.nato.status;
        w.eu_blocked[i] = st.eu.blocked;
        w.nato_blocked[i] = st.nato.blocked;
        w.hosts_asset[i] = st.hosts_russian_asset;
        w.naval_access[i] = st.russian_naval_access;
        w.in_sanctions[i] = st.in_sanctions;
        if let Some(e) = &st.elections {
            w.next_election[i] = s
                .scenario
                .start
                .months_until(e.next)
                .clamp(1, i64::from(u32::MAX - 1)) as u32;
            w.incumbent_wins[i] = e.incumbent_wins;
        }
    }
    for ring in w.history.chunks_exact_mut(n) {
        ring.copy_from_slice(&w.alignment);
    }
    w
}

/// A state made of entities (Bosnia and Herzegovina of Republika Srpska and the Federation).
#[derive(Clone, Debug)]
pub struct Parent {
    /// The parent's code (`part_of` of its members).
    pub code: String,
    /// Indices of the member entities.
    pub members: Vec<usize>,
    /// Population shares of the members, adding up to 1.
    pub weights: Vec<f64>,
}

impl Parent {
    /// The population-weighted mean over the members of `value` of each (by state index),
    /// summed in member order.
    #[inline]
    pub fn weighted_mean(&self, value: impl Fn(usize) -> f64) -> f64 {
        let mut mean = 0.0;
        for (&i, &weight) in self.members.iter().zip(&self.weights) {
            mean += weight * value(i);
        }
        mean
    }
}

/// A scheduled `[[event]]`, compiled.
#[derive(Clone, Copy, Debug)]
pub struct ScheduledEvent {
    /// Index of the state it strikes.
    pub state: usize,
    /// What it moves.
    pub target: EventTarget,
    /// Jump of that stock or of grievance.
    pub magnitude: f64,
}

impl Model {
    /// Compiles a validated scenario; fails only if the scenario was not validated.
    pub fn compile(s: &Scenario) -> Result<Model> {
        let n = s.state.len();
        let params = s.params.clone();
        let graph = Graph::compile(s, &params)?;
        let (parents, parent_of) = parents(s);
        let population: Vec<f64> = s.state.iter().map(|st| st.population as f64).collect();
        let inhabitants_millions: Vec<f64> = population.iter().map(|p| p / 1e6).collect();
        let spending = Schedule::compile(s, &population);
        let (stock_base, stock_decay) = stock_rules(s);
        let per_state = |f: fn(&State) -> f64| s.state.iter().map(f).collect::<Vec<f64>>();
        let mut model = Model {
            n,
            start: s.scenario.start,
            months: s.scenario.months,
            codes: s.state.iter().map(|st| st.code.clone()).collect(),
            hold_present: s.scenario.hold_present,
            levers: s.lever,
            inhabitants: population,
            inhabitants_millions,
            adriatic_coast: s.state.iter().map(|st| st.adriatic_coast).collect(),
            russian_energy_assets: per_state(|st| st.russian_energy_assets),
            media_reach: per_state(|st| st.russian_media_reach),
            orthodox_share: per_state(|st| st.orthodox_share),
            fractionalisation: per_state(|st| {
                information::fractionalisation(st.groups.iter().map(|g| g.share))
            }),
            responsiveness: per_state(|st| st.responsiveness),
            initial: initial_world(s),
            domestic: vec![0.0; n],
            public_domestic: vec![0.0; n],
            arms_buyer: s.state.iter().map(arms::buyer).collect(),
            gas_buyer: s.state.iter().map(energy::buyer).collect(),
            stock_base,
            stock_decay,
            neighbour_start: graph.neighbour_start,
            neighbour_index: graph.neighbour_index,
            neighbour_weight: graph.neighbour_weight,
            kin_start: graph.kin_start,
            kin_index: graph.kin_index,
            shock_exposure: per_state(|st| st.shock_exposure),
            shocks: replayed_shocks(s),
            term_months: (s.state.iter())
                .map(|st| st.elections.as_ref().map_or(0, |e| e.term_months))
                .collect(),
            explicit: explicit_rows(s)?,
            parents,
            parent_of,
            bondsteel_reach: s
                .state
                .iter()
                .map(|st| s.region.bondsteel_reach.contains(&st.code))
                .collect(),
            spending,
            events: scheduled_events(s)?,
            mechanisms: Vec::new(),
            citizen_layout: citizens::CitizenLayout::compile(s)?,
            params,
        };
        present::solve(&mut model, s)?;
        model.add_own_mechanisms()?;
        Ok(model)
    }

    /// The mechanisms of docs/MODEL.md 7.11–7.13, in their order: accession where a state is in
    /// a pipeline, elections where one has a calendar, regional shocks always.
    fn add_own_mechanisms(&mut self) -> Result<()> {
        let pipeline = |st: &Status| !matches!(st, Status::None | Status::Member);
        if (self.initial.eu.iter().chain(&self.initial.nato)).any(pipeline) {
            self.add_mechanism(accession::MECHANISM)?;
        }
        if self.term_months.iter().any(|&t| t > 0) {
            self.add_mechanism(elections::MECHANISM)?;
        }
        self.add_mechanism(shocks::MECHANISM)
    }

    /// Adds a mechanism after those already acting; refused when its name, which keys its
    /// random stream, is taken.
    pub fn add_mechanism(&mut self, mechanism: events::Mechanism) -> Result<()> {
        if self.mechanisms.iter().any(|m| m.name == mechanism.name) {
            return Err(Error::Internal(format!(
                "two mechanisms named {}: each name keys its own random stream",
                mechanism.name
            )));
        }
        self.mechanisms.push(mechanism);
        Ok(())
    }

    /// The mechanisms acting each month after the threshold events, in order.
    pub fn mechanisms(&self) -> &[events::Mechanism] {
        &self.mechanisms
    }

    /// Neighbours and kin of state i with their weights k_ij (adding up to 1, or empty).
    pub fn neighbours(&self, i: usize) -> (&[usize], &[f64]) {
        let range = self.neighbour_start[i]..self.neighbour_start[i + 1];
        (
            &self.neighbour_index[range.clone()],
            &self.neighbour_weight[range],
        )
    }

    /// How this model's start differs from `other`'s (states, stocks, pipelines, domestic
    /// pulls), or `None` if every run of both starts from the same world.
    pub fn start_differs(&self, other: &Model) -> Option<String> {
        if self.codes != other.codes {
            return Some("its states differ".into());
        }
        let differs = |a: &[f64], b: &[f64]| a.iter().zip(b).position(|(x, y)| x != y);
        let (a, b) = (&self.initial, &other.initial);
        if a.eu != b.eu
            || a.nato != b.nato
            || a.eu_blocked != b.eu_blocked
            || a.nato_blocked != b.nato_blocked
        {
            return Some("its EU or NATO stages or vetoes differ".into());
        }
        if self.citizen_layout.is_some() != other.citizen_layout.is_some() {
            return Some("one has citizens, the other an aggregate public".into());
        }
        let fields: [(&str, &[f64], &[f64]); 5] = [
            ("alignment", &a.alignment, &b.alignment),
            ("public opinion", &a.opinion, &b.opinion),
            ("grievance", &a.grievance, &b.grievance),
            ("domestic pull", &self.domestic, &other.domestic),
            (
                "public's domestic pull",
                &self.public_domestic,
                &other.public_domestic,
            ),
        ];
        for (what, a, b) in fields {
            if let Some(i) = differs(a, b) {
                return Some(format!("{what} of {} differs", self.codes[i]));
            }
        }
        for lever in Lever::ALL {
            let k = lever as usize;
            if let Some(i) = differs(&a.stock[k], &b.stock[k])
                .or_else(|| differs(&self.stock_base[k], &other.stock_base[k]))
            {
                return Some(format!(
                    "its {} stock in {} differs",
                    lever.name(),
                    self.codes[i]
                ));
            }
            if a.lag_build[k] != b.lag_build[k] || a.lag_erode[k] != b.lag_erode[k] {
                return Some(format!(
                    "its {} spending before the start differs",
                    lever.name()
                ));
            }
        }
        // Whatever else a run starts from (assets, sanctions, anchors, …).
        a.first_difference(b)
            .map(|field| format!("its {} at the start differs", field.replace('_', " ")))
    }

    /// Kin of state i (for public opinion).
    pub fn kin(&self, i: usize) -> &[usize] {
        &self.kin_index[self.kin_start[i]..self.kin_start[i + 1]]
    }
}

/// The index of state `code`; an internal error if the scenario was not validated.
fn state_index(s: &Scenario, code: &str) -> Result<usize> {
    s.state_index(code).ok_or_else(|| {
        Error::Internal(format!(
            "state code {code} is not in the scenario: was it validated?"
        ))
    })
}

/// Neighbours and kin as flat index ranges (see the fields of [`Model`] of the same names).
struct Graph {
    neighbour_start: Vec<usize>,
    neighbour_index: Vec<usize>,
    neighbour_weight: Vec<f64>,
    kin_start: Vec<usize>,
    kin_index: Vec<usize>,
}

impl Graph {
    /// Each state's row k_ij: weight 1 per border plus `kin_weight` per kin tie, normalised to
    /// add up to 1 (ties of no weight left out); and each state's kin, in file order.
    fn compile(s: &Scenario, params: &Params) -> Result<Graph> {
        let mut g = Graph {
            neighbour_start: vec![0],
            neighbour_index: Vec::new(),
            neighbour_weight: Vec::new(),
            kin_start: vec![0],
            kin_index: Vec::new(),
        };
        for st in &s.state {
            let mut row: Vec<(usize, f64)> = Vec::new();
            for code in &st.neighbours {
                row.push((state_index(s, code)?, 1.0));
            }
            for code in &st.kin {
                let j = state_index(s, code)?;
                g.kin_index.push(j);
                match row.iter_mut().find(|(k, _)| *k == j) {
                    Some(entry) => entry.1 += params.kin_weight,
                    None => row.push((j, params.kin_weight)),
                }
            }
            let total: f64 = row.iter().map(|(_, w)| w).sum();
            for (j, w) in row {
                if w > 0.0 {
                    g.neighbour_index.push(j);
                    g.neighbour_weight.push(w / total);
                }
            }
            g.neighbour_start.push(g.neighbour_index.len());
            g.kin_start.push(g.kin_index.len());
        }
        Ok(g)
    }
}

/// The influence rows given directly (`weights`), by state.
fn explicit_rows(s: &Scenario) -> Result<Vec<Option<ExplicitRow>>> {
    let mut explicit = Vec::with_capacity(s.state.len());
    for st in &s.state {
        explicit.push(match &st.weights {
            None => None,
            Some(w) => Some(ExplicitRow {
                moscow: w.get("moscow").copied().unwrap_or(0.0),
                west: w.get("west").copied().unwrap_or(0.0),
                states: w
                    .iter()
                    .filter(|(k, _)| *k != "moscow" && *k != "west")
                    .map(|(k, v)| Ok((state_index(s, k)?, *v)))
                    .collect::<Result<_>>()?,
            }),
        });
    }
    Ok(explicit)
}

/// The parent states (`part_of`), in order of their first member, with their members'
/// population shares; and each state's parent.
fn parents(s: &Scenario) -> (Vec<Parent>, Vec<Option<usize>>) {
    let mut parents: Vec<Parent> = Vec::new();
    let mut parent_of = vec![None; s.state.len()];
    for (i, st) in s.state.iter().enumerate() {
        if let Some(code) = &st.part_of {
            let k = match parents.iter().position(|p| &p.code == code) {
                Some(k) => k,
                None => {
                    parents.push(Parent {
                        code: code.clone(),
                        members: Vec::new(),
                        weights: Vec::new(),
                    });
                    parents.len() - 1
                }
            };
            parents[k].members.push(i);
            parent_of[i] = Some(k);
        }
    }
    for p in &mut parents {
        let total: f64 = p
            .members
            .iter()
            .map(|&i| s.state[i].population as f64)
            .sum();
        p.weights = p
            .members
            .iter()
            .map(|&i| s.state[i].population as f64 / total)
            .collect();
    }
    (parents, parent_of)
}

/// The `[[event]]`s by month index (0 = the start month), in file order.
fn scheduled_events(s: &Scenario) -> Result<Vec<Vec<ScheduledEvent>>> {
    let mut events = vec![Vec::new(); s.scenario.months as usize];
    for e in &s.event {
        let month = s.scenario.start.months_until(e.date) as usize;
        events[month].push(ScheduledEvent {
            state: state_index(s, &e.state)?,
            target: e.lever,
            magnitude: e.magnitude,
        });
    }
    Ok(events)
}

/// Each stock's base and monthly decay from the lever rules, by lever then state, before
/// `present` solves the held bases.
fn stock_rules(s: &Scenario) -> (Stocks, Stocks) {
    let per_lever = |f: &dyn Fn(Lever, &State) -> f64| {
        Lever::ALL.map(|l| s.state.iter().map(|st| f(l, st)).collect::<Vec<f64>>())
    };
    let stock_decay = per_lever(&|l, st| {
        (lever_rules::RULES[l as usize].decay_per_month)(st, s.lever[l as usize].decay_months)
    });
    let stock_base = per_lever(&|l, st| (lever_rules::RULES[l as usize].base)(st));
    (stock_base, stock_decay)
}

/// The pole a lever's spending serves, seen from a power of pole `pole`: does it build the stock?
pub fn builds(lever: Lever, pole: Pole) -> bool {
    lever.owner() == pole
}

/// The scenario's dated shocks by month, those of one month struck as one (their scopes joined).
fn replayed_shocks(s: &Scenario) -> Vec<shocks::Replayed> {
    let mut out: Vec<shocks::Replayed> = Vec::new();
    for shock in &s.shock {
        let month = s.scenario.start.months_until(shock.date) as u32;
        let scope = (s.state.iter().enumerate())
            .filter(|(_, st)| shock.states.contains(&st.code))
            .map(|(i, _)| i);
        match out.iter_mut().find(|r| r.month == month) {
            Some(r) => r.scope.extend(scope),
            None => out.push(shocks::Replayed {
                month,
                scope: scope.collect(),
            }),
        }
    }
    out
}
