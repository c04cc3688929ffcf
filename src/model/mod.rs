//! The state-level influence model: what each mechanism does, one file per lever, and the
//! per-run state it acts on. The order of a month is the engine's (`engine::step`); every
//! equation is in docs/MODEL.md, whose names the code follows.
//!
//! [`Model`] is a scenario compiled for fast runs (immutable, shared by all runs); [`World`] is
//! one run's state, laid out as arrays over states and reused from run to run.

pub mod alignment;
pub mod arms;
pub mod citizens;
pub mod coercion;
pub mod energy;
pub mod events;
pub mod indicators;
pub mod information;
pub mod lever_rules;
pub mod opinion;
pub mod present;
pub mod religion;
pub mod stocks;
pub mod targeting;
pub mod western;

use crate::error::{Error, Result};
use crate::scenario::{EventTarget, Lever, LeverParams, Params, Pole, Scenario, Status, YearMonth};
use alignment::ExplicitRow;
use targeting::Schedule;

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
    /// Inhabitants of each state (a state's `population` in files), and in millions.
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
    /// λ = 1 − anchoring, at the start (accession lowers nothing; it re-anchors).
    pub lambda: Vec<f64>,
    /// Alignment of each government at the start.
    pub alignment0: Vec<f64>,
    /// Public opinion of each state at the start.
    pub opinion0: Vec<f64>,
    /// Grievance of each state at the start (and its baseline).
    pub grievance0: Vec<f64>,
    /// EU status at the start.
    pub eu0: Vec<Status>,
    /// NATO status at the start.
    pub nato0: Vec<Status>,
    /// Whether the state hosts a Russian military asset at the start.
    pub hosts_asset0: Vec<bool>,
    /// Whether the state grants Russia naval access at the start.
    pub naval_access0: Vec<bool>,
    /// Whether the state applies sanctions on Russia at the start.
    pub in_sanctions0: Vec<bool>,
    /// Stock of each lever at month 0 (the status quo's steady state), by lever then state.
    pub stock0: [Vec<f64>; L],
    /// Spending in the lag pipeline at month 0 (the status quo's), by lever, as `World::lag_build`.
    pub lag_build0: [Vec<f64>; L],
    /// Spending eroding each stock in the lag pipeline at month 0, as `World::lag_erode`.
    pub lag_erode0: [Vec<f64>; L],
    /// Domestic pull on each government and each public, solved to hold the present (signed:
    /// toward Moscow if positive); 0 without `hold_present`.
    pub domestic: Vec<f64>,
    /// Domestic pull on each public, solved like `domestic`; 0 without `hold_present`.
    pub public_domestic: Vec<f64>,
    /// Whether the data show Russian arms in the state's inventory (`model/arms.rs`) and
    /// Russian gas in its supply (`model/energy.rs`): where Moscow's spending can land.
    pub arms_buyer: Vec<bool>,
    /// Whether Russian gas is in the state's supply.
    pub gas_buyer: Vec<bool>,
    /// Level each stock relaxes to, and its monthly decay, by lever then state.
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
    /// The layout of the citizen agents (states, groups, kin blocks), when `people_per_agent` > 0.
    pub citizen_layout: Option<citizens::CitizenLayout>,
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
        let index = |code: &str| {
            s.state_index(code).ok_or_else(|| {
                Error::Internal(format!(
                    "state code {code} is not in the scenario: was it validated?"
                ))
            })
        };
        let params = s.params.clone();

        let mut neighbour_start = vec![0];
        let mut neighbour_index = Vec::new();
        let mut neighbour_weight = Vec::new();
        let mut kin_start = vec![0];
        let mut kin_index = Vec::new();
        for st in &s.state {
            let mut row: Vec<(usize, f64)> = Vec::new();
            for code in &st.neighbours {
                row.push((index(code)?, 1.0));
            }
            for code in &st.kin {
                let j = index(code)?;
                kin_index.push(j);
                match row.iter_mut().find(|(k, _)| *k == j) {
                    Some(entry) => entry.1 += params.kin_weight,
                    None => row.push((j, params.kin_weight)),
                }
            }
            let total: f64 = row.iter().map(|(_, w)| w).sum();
            for (j, w) in row {
                if w > 0.0 {
                    neighbour_index.push(j);
                    neighbour_weight.push(w / total);
                }
            }
            neighbour_start.push(neighbour_index.len());
            kin_start.push(kin_index.len());
        }

        let mut explicit = Vec::with_capacity(n);
        for st in &s.state {
            explicit.push(match &st.weights {
                None => None,
                Some(w) => Some(ExplicitRow {
                    moscow: w.get("moscow").copied().unwrap_or(0.0),
                    west: w.get("west").copied().unwrap_or(0.0),
                    states: w
                        .iter()
                        .filter(|(k, _)| *k != "moscow" && *k != "west")
                        .map(|(k, v)| Ok((index(k)?, *v)))
                        .collect::<Result<_>>()?,
                }),
            });
        }

        let mut parents: Vec<Parent> = Vec::new();
        let mut parent_of = vec![None; n];
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

        let population: Vec<f64> = s.state.iter().map(|st| st.population as f64).collect();
        let inhabitants_millions: Vec<f64> = population.iter().map(|p| p / 1e6).collect();
        let spending = Schedule::compile(s, &population);

        let mut events = vec![Vec::new(); s.scenario.months as usize];
        for e in &s.event {
            let month = s.scenario.start.months_until(e.date) as usize;
            events[month].push(ScheduledEvent {
                state: index(&e.state)?,
                target: e.lever,
                magnitude: e.magnitude,
            });
        }

        let per_lever = |f: &dyn Fn(Lever, &crate::scenario::State) -> f64| {
            Lever::ALL.map(|l| s.state.iter().map(|st| f(l, st)).collect::<Vec<f64>>())
        };
        let stock_decay = per_lever(&|l, st| {
            (lever_rules::RULES[l as usize].decay_per_month)(st, s.lever[l as usize].decay_months)
        });
        let stock_base = per_lever(&|l, st| (lever_rules::RULES[l as usize].base)(st));

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
            russian_energy_assets: s.state.iter().map(|st| st.russian_energy_assets).collect(),
            media_reach: s.state.iter().map(|st| st.russian_media_reach).collect(),
            orthodox_share: s.state.iter().map(|st| st.orthodox_share).collect(),
            fractionalisation: s
                .state
                .iter()
                .map(|st| information::fractionalisation(st.groups.iter().map(|g| g.share)))
                .collect(),
            responsiveness: s.state.iter().map(|st| st.responsiveness).collect(),
            lambda: s.state.iter().map(|st| 1.0 - st.anchoring).collect(),
            alignment0: s.state.iter().map(|st| st.alignment).collect(),
            opinion0: s.state.iter().map(|st| st.public_opinion).collect(),
            grievance0: s.state.iter().map(|st| st.grievance).collect(),
            eu0: s.state.iter().map(|st| st.eu.status).collect(),
            nato0: s.state.iter().map(|st| st.nato.status).collect(),
            hosts_asset0: s.state.iter().map(|st| st.hosts_russian_asset).collect(),
            naval_access0: s.state.iter().map(|st| st.russian_naval_access).collect(),
            in_sanctions0: s.state.iter().map(|st| st.in_sanctions).collect(),
            stock0: std::array::from_fn(|_| vec![0.0; n]),
            lag_build0: std::array::from_fn(|_| Vec::new()),
            lag_erode0: std::array::from_fn(|_| Vec::new()),
            domestic: vec![0.0; n],
            public_domestic: vec![0.0; n],
            arms_buyer: s.state.iter().map(arms::buyer).collect(),
            gas_buyer: s.state.iter().map(energy::buyer).collect(),
            stock_base,
            stock_decay,
            neighbour_start,
            neighbour_index,
            neighbour_weight,
            kin_start,
            kin_index,
            explicit,
            parents,
            parent_of,
            bondsteel_reach: s
                .state
                .iter()
                .map(|st| s.region.bondsteel_reach.contains(&st.code))
                .collect(),
            spending,
            events,
            citizen_layout: citizens::CitizenLayout::compile(s)?,
            params,
        };
        present::solve(&mut model, s)?;
        Ok(model)
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
        if self.eu0 != other.eu0 || self.nato0 != other.nato0 {
            return Some("its EU or NATO statuses differ".into());
        }
        if self.citizen_layout.is_some() != other.citizen_layout.is_some() {
            return Some("one has citizens, the other an aggregate public".into());
        }
        let fields: [(&str, &[f64], &[f64]); 5] = [
            ("alignment", &self.alignment0, &other.alignment0),
            ("public opinion", &self.opinion0, &other.opinion0),
            ("grievance", &self.grievance0, &other.grievance0),
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
            if let Some(i) = differs(&self.stock0[k], &other.stock0[k])
                .or_else(|| differs(&self.stock_base[k], &other.stock_base[k]))
            {
                return Some(format!(
                    "its {} stock in {} differs",
                    lever.name(),
                    self.codes[i]
                ));
            }
            if self.lag_build0[k] != other.lag_build0[k]
                || self.lag_erode0[k] != other.lag_erode0[k]
            {
                return Some(format!(
                    "its {} spending before the start differs",
                    lever.name()
                ));
            }
        }
        None
    }

    /// Kin of state i (for public opinion).
    pub fn kin(&self, i: usize) -> &[usize] {
        &self.kin_index[self.kin_start[i]..self.kin_start[i + 1]]
    }
}

/// One run's state: arrays over states, reset at the start of every run and reused.
#[derive(Clone, Debug)]
pub struct World {
    /// Alignment of each government, this month.
    pub alignment: Vec<f64>,
    /// Public opinion of each state, this month.
    pub opinion: Vec<f64>,
    /// Grievance of each state, this month.
    pub grievance: Vec<f64>,
    /// Next month's alignment, being computed.
    pub next_alignment: Vec<f64>,
    /// Next month's public opinion, being computed.
    pub next_opinion: Vec<f64>,
    /// Lever stocks, by lever then state.
    pub stock: [Vec<f64>; L],
    /// Anchor u and susceptibility λ; accession re-anchors a state.
    pub anchor: Vec<f64>,
    /// Susceptibility λ of each government.
    pub lambda: Vec<f64>,
    /// EU status, this month.
    pub eu: Vec<Status>,
    /// NATO status, this month.
    pub nato: Vec<Status>,
    /// Whether the state hosts a Russian military asset, this month.
    pub hosts_asset: Vec<bool>,
    /// Whether the state grants Russia naval access, this month.
    pub naval_access: Vec<bool>,
    /// Whether the state applies sanctions on Russia, this month.
    pub in_sanctions: Vec<bool>,
    /// Consecutive months leaning West (a < −θ) and leaning to Moscow (a > θ).
    pub months_west: Vec<u32>,
    /// Consecutive months leaning to Moscow (a > θ).
    pub months_moscow: Vec<u32>,
    /// Months since the state last joined NATO or the EU (large if never).
    pub months_since_accession: Vec<u32>,
    /// Alignment of the last 13 months, a ring indexed by month % 13, then state.
    pub history: Vec<f64>,
    /// This month's spending (M EUR) that builds and erodes each stock, by lever then state.
    pub spend_build: [Vec<f64>; L],
    /// This month's spending (M EUR) that erodes each stock, by lever then state.
    pub spend_erode: [Vec<f64>; L],
    /// Spending waiting out its lag: a ring of the lever's `lag_months`, by month slot, then state.
    pub lag_build: [Vec<f64>; L],
    /// Eroding spending waiting out its lag, laid out like `lag_build`.
    pub lag_erode: [Vec<f64>; L],
    /// Last (spend, saturation) per lever and state: a cache, valid across runs.
    pub build_memo: [Vec<(f64, f64)>; L],
    /// Last (spend, saturation) of eroding spending per lever and state: a cache.
    pub erode_memo: [Vec<(f64, f64)>; L],
    /// Pulls on each public this month (from information, religion and aid).
    pub public_moscow: Vec<f64>,
    /// Pulls toward the West on each public this month.
    pub public_west: Vec<f64>,
    /// Scratch for adaptive targeting.
    pub scores: Vec<f64>,
    /// The run's citizens, with a population layer.
    pub citizens: Option<citizens::Citizens>,
}

impl World {
    /// A world sized for `model`, to be reset at the start of each run.
    pub fn new(model: &Model) -> World {
        let n = model.n;
        let lag = |k: usize| vec![0.0; n * model.levers[k].lag_months as usize];
        debug_assert!((0..L).all(|k| model.lag_build0[k].is_empty()
            || model.lag_build0[k].len() == n * model.levers[k].lag_months as usize));
        let mut w = World {
            alignment: vec![0.0; n],
            opinion: vec![0.0; n],
            grievance: vec![0.0; n],
            next_alignment: vec![0.0; n],
            next_opinion: vec![0.0; n],
            stock: Default::default(),
            anchor: vec![0.0; n],
            lambda: vec![0.0; n],
            eu: vec![Status::None; n],
            nato: vec![Status::None; n],
            hosts_asset: vec![false; n],
            naval_access: vec![false; n],
            in_sanctions: vec![false; n],
            months_west: vec![0; n],
            months_moscow: vec![0; n],
            months_since_accession: vec![u32::MAX; n],
            history: vec![0.0; n * coercion::HISTORY_SLOTS],
            spend_build: std::array::from_fn(|_| vec![0.0; n]),
            spend_erode: std::array::from_fn(|_| vec![0.0; n]),
            lag_build: std::array::from_fn(lag),
            lag_erode: std::array::from_fn(lag),
            build_memo: std::array::from_fn(|_| vec![(0.0, 0.0); n]),
            erode_memo: std::array::from_fn(|_| vec![(0.0, 0.0); n]),
            public_moscow: vec![0.0; n],
            public_west: vec![0.0; n],
            scores: vec![0.0; n],
            citizens: model.citizen_layout.as_ref().map(citizens::Citizens::new),
        };
        w.reset(model);
        w
    }

    /// Puts the world back at month 0 of the scenario.
    pub fn reset(&mut self, m: &Model) {
        self.alignment.copy_from_slice(&m.alignment0);
        self.opinion.copy_from_slice(&m.opinion0);
        self.grievance.copy_from_slice(&m.grievance0);
        for k in 0..L {
            self.stock[k].clone_from(&m.stock0[k]);
            if m.lag_build0[k].is_empty() {
                // Only while `present::solve` computes them.
                self.lag_build[k].fill(0.0);
                self.lag_erode[k].fill(0.0);
            } else {
                self.lag_build[k].copy_from_slice(&m.lag_build0[k]);
                self.lag_erode[k].copy_from_slice(&m.lag_erode0[k]);
            }
        }
        self.anchor.copy_from_slice(&m.alignment0);
        self.lambda.copy_from_slice(&m.lambda);
        self.eu.copy_from_slice(&m.eu0);
        self.nato.copy_from_slice(&m.nato0);
        self.hosts_asset.copy_from_slice(&m.hosts_asset0);
        self.naval_access.copy_from_slice(&m.naval_access0);
        self.in_sanctions.copy_from_slice(&m.in_sanctions0);
        self.months_west.fill(0);
        self.months_moscow.fill(0);
        self.months_since_accession.fill(u32::MAX);
        for ring in self.history.chunks_exact_mut(m.n) {
            ring.copy_from_slice(&m.alignment0);
        }
    }

    /// Alignment `coercion::WINDOW_MONTHS` months before `month`, for state i (the start's
    /// alignment before then). Month m is kept in slot m % 13, so month − 12 is in (month + 1) % 13.
    pub fn alignment_window_ago(&self, month: u32, i: usize) -> f64 {
        let n = self.alignment.len();
        self.history[((month as usize + 1) % coercion::HISTORY_SLOTS) * n + i]
    }

    /// Keeps this month's alignment (`month` ≥ 1; month 0 fills every slot at reset).
    pub fn record_history(&mut self, month: u32) {
        let n = self.alignment.len();
        let slot = (month as usize % coercion::HISTORY_SLOTS) * n;
        self.history[slot..slot + n].copy_from_slice(&self.alignment);
    }
}

/// The pole a lever's spending serves, seen from a power of pole `pole`: does it build the stock?
pub fn builds(lever: Lever, pole: Pole) -> bool {
    lever.owner() == pole
}
