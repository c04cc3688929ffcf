//! The indicators recorded every month, as one table: per state (and per parent, made from its
//! entities), with citizens, and for the region. Each row names the indicator, its scale, unit
//! and words, and how its value is read from a run; the layout of every output file, the
//! recording and the range checks follow from the table, in its order.

use super::{Model, World};
use crate::scenario::Status;
use crate::statistics::Scale;

/// How a parent state's value (Bosnia and Herzegovina) is made from its entities' values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OverEntities {
    /// The population-weighted mean.
    Mean,
    /// 1 if any entity's value is 1.
    Any,
    /// 1 if the population-weighted mean alignment is above the leaning threshold.
    Leaning,
}

impl OverEntities {
    /// How it reads in indicators.csv.
    pub fn describe(self) -> &'static str {
        match self {
            OverEntities::Mean => "population-weighted mean of its entities",
            OverEntities::Any => "1 if any of its entities",
            OverEntities::Leaning => "its population-weighted alignment above the threshold",
        }
    }
}

/// One indicator of each state and parent.
pub struct StateIndicator {
    /// Name in every file.
    pub name: &'static str,
    /// Range and kind of its values.
    pub scale: Scale,
    /// Unit, in words.
    pub unit: &'static str,
    /// What it is, in a few words ("leans to Moscow").
    pub label: &'static str,
    /// For 0/1 indicators, the probability in words ("chance of leaning to Moscow").
    pub chance: &'static str,
    /// How a parent's value is made from its entities'.
    pub over_entities: OverEntities,
    /// For an event's indicator, the parameter whose chance per month decides it (MODEL.md
    /// 7.7), else empty.
    pub hazard: &'static str,
    /// Recorded only when citizens are simulated.
    pub needs_citizens: bool,
    /// Its value for state `i` this month.
    value: fn(&Model, &World, usize) -> f64,
}

/// One indicator of the region.
pub struct RegionIndicator {
    /// Name in every file.
    pub name: &'static str,
    /// Unit, in words.
    pub unit: &'static str,
    /// What it is, in a few words.
    pub label: &'static str,
    /// For an event's indicator, the parameter whose chance per month decides it, else empty.
    pub hazard: &'static str,
    /// Its scale in `model` (a count's maximum depends on the scenario).
    scale: fn(&Model) -> Scale,
    /// Its value this month.
    value: fn(&Model, &World) -> f64,
}

fn flag(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

/// The citizens' reading `read`; 0 without citizens (never recorded then).
fn citizen(world: &World, read: impl Fn(&super::citizens::Citizens) -> f64) -> f64 {
    world.citizens.as_ref().map_or(0.0, read)
}

/// Indicators of each state and each parent, in file order.
pub const STATE: [StateIndicator; 9] = [
    StateIndicator {
        name: "alignment",
        scale: Scale::Signed,
        unit: "−1 West … +1 Moscow",
        label: "alignment",
        chance: "",
        over_entities: OverEntities::Mean,
        hazard: "",
        needs_citizens: false,
        value: |_, w, i| w.alignment[i],
    },
    StateIndicator {
        name: "public_opinion",
        scale: Scale::Signed,
        unit: "−1 West … +1 Moscow",
        label: "public opinion",
        chance: "",
        over_entities: OverEntities::Mean,
        hazard: "",
        needs_citizens: false,
        value: |_, w, i| w.opinion[i],
    },
    StateIndicator {
        name: "grievance",
        scale: Scale::Share,
        unit: "share, 0 … 1",
        label: "grievance",
        chance: "",
        over_entities: OverEntities::Mean,
        hazard: "",
        needs_citizens: false,
        value: |_, w, i| w.grievance[i],
    },
    StateIndicator {
        name: "moscow_leaning",
        scale: Scale::Binary,
        unit: "1 = yes",
        label: "leans to Moscow",
        chance: "chance of leaning to Moscow",
        over_entities: OverEntities::Leaning,
        hazard: "",
        needs_citizens: false,
        value: |m, w, i| flag(w.alignment[i] > m.params.leaning_threshold),
    },
    StateIndicator {
        name: "nato_member",
        scale: Scale::Binary,
        unit: "1 = yes",
        label: "NATO member",
        chance: "chance of NATO membership",
        over_entities: OverEntities::Any,
        hazard: "",
        needs_citizens: false,
        value: |_, w, i| flag(w.nato[i] == Status::Member),
    },
    StateIndicator {
        name: "eu_member",
        scale: Scale::Binary,
        unit: "1 = yes",
        label: "EU member",
        chance: "chance of EU membership",
        over_entities: OverEntities::Any,
        hazard: "",
        needs_citizens: false,
        value: |_, w, i| flag(w.eu[i] == Status::Member),
    },
    StateIndicator {
        name: "hosts_russian_asset",
        scale: Scale::Binary,
        unit: "1 = yes",
        label: "hosts a Russian military asset",
        chance: "chance of hosting a Russian military asset",
        over_entities: OverEntities::Any,
        hazard: "asset_hazard",
        needs_citizens: false,
        value: |_, w, i| flag(w.hosts_asset[i]),
    },
    StateIndicator {
        name: "polarisation",
        scale: Scale::Share,
        unit: "sd of citizens' opinions, 0 … 1",
        label: "polarisation",
        chance: "",
        over_entities: OverEntities::Mean,
        hazard: "",
        needs_citizens: true,
        value: |_, w, i| citizen(w, |c| c.polarisation[i]),
    },
    StateIndicator {
        name: "protest_share",
        scale: Scale::Share,
        unit: "share of citizens, 0 … 1",
        label: "share of citizens protesting",
        chance: "",
        over_entities: OverEntities::Mean,
        hazard: "",
        needs_citizens: true,
        value: |_, w, i| citizen(w, |c| c.protest_share[i]),
    },
];

/// Index of alignment in [`STATE`]: the first value every state records (checked when
/// compiled), which a parent's leaning reads.
const ALIGNMENT: usize = 0;
const _: () = assert!(
    same(STATE[ALIGNMENT].name, "alignment") && !STATE[ALIGNMENT].needs_citizens,
    "alignment is the first value every state records"
);

/// Whether two names are the same (in a constant).
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Unit of a group's mean opinion (`opinion_<group>`), recorded for each listed group.
pub const GROUP_UNIT: &str = "−1 West … +1 Moscow";

/// Name of the region's row in the outputs.
pub const REGION: &str = "region";

/// Indicators of the region, in file order.
pub const REGIONAL: [RegionIndicator; 4] = [
    RegionIndicator {
        name: "mean_alignment",
        unit: "−1 West … +1 Moscow",
        label: "population-weighted mean alignment",
        hazard: "",
        scale: |_| Scale::Signed,
        value: mean_alignment,
    },
    RegionIndicator {
        name: "moscow_leaning_states",
        unit: "states",
        label: "Moscow-leaning states",
        hazard: "",
        scale: |m| Scale::Count(top_level_units(m)),
        value: |m, w| leaning_units(m, w) as f64,
    },
    RegionIndicator {
        name: "adriatic_access",
        unit: "1 = yes",
        label: "Russian naval access on the Adriatic",
        hazard: "naval_hazard",
        scale: |_| Scale::Binary,
        value: |m, w| flag((0..m.n).any(|i| w.naval_access[i])),
    },
    RegionIndicator {
        name: "asset_near_bondsteel",
        unit: "1 = yes",
        label: "a Russian asset within reach of Camp Bondsteel",
        hazard: "asset_hazard",
        scale: |_| Scale::Binary,
        value: |m, w| flag((0..m.n).any(|i| m.bondsteel_reach[i] && w.hosts_asset[i])),
    },
];

/// The population-weighted mean alignment over every state and entity.
fn mean_alignment(m: &Model, w: &World) -> f64 {
    let total: f64 = m.inhabitants.iter().sum();
    (0..m.n)
        .map(|i| m.inhabitants[i] * w.alignment[i])
        .sum::<f64>()
        / total
}

/// States that are not entities, and parents: the units the count of Moscow-leaning states
/// counts.
fn top_level_units(m: &Model) -> u32 {
    (m.parent_of.iter().filter(|p| p.is_none()).count() + m.parents.len()) as u32
}

/// Top-level units leaning to Moscow: states that are not entities, and parents by their
/// population-weighted alignment.
fn leaning_units(m: &Model, w: &World) -> u32 {
    let theta = m.params.leaning_threshold;
    let mut count = 0;
    for (parent, &a) in m.parent_of.iter().zip(&w.alignment) {
        count += u32::from(parent.is_none() && a > theta);
    }
    for parent in &m.parents {
        count += u32::from(parent.weighted_mean(|i| w.alignment[i]) > theta);
    }
    count
}

impl StateIndicator {
    /// Whether `model` records it.
    fn recorded(&self, model: &Model) -> bool {
        self.recorded_with(model.citizen_layout.is_some())
    }

    /// Whether a model with (or without) citizens records it.
    #[inline]
    fn recorded_with(&self, citizens: bool) -> bool {
        citizens || !self.needs_citizens
    }

    /// Its value for parent `k`, made from its entities' values of this month in `row`
    /// (the indicator is the `j`-th each state records, from `first_cells`).
    fn parent_value(
        &self,
        m: &Model,
        k: usize,
        j: usize,
        first_cells: &[usize],
        row: &[f64],
    ) -> f64 {
        let parent = &m.parents[k];
        let weighted_mean = |j: usize| parent.weighted_mean(|i| row[first_cells[i] + j]);
        match self.over_entities {
            OverEntities::Mean => weighted_mean(j),
            OverEntities::Any => flag(
                parent
                    .members
                    .iter()
                    .any(|&i| row[first_cells[i] + j] == 1.0),
            ),
            OverEntities::Leaning => flag(weighted_mean(ALIGNMENT) > m.params.leaning_threshold),
        }
    }
}

/// One recorded value: whose it is, which indicator, and its scale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// A state's or parent's code, or [`REGION`].
    pub unit: String,
    /// The indicator's name.
    pub indicator: String,
    /// Range and kind of its values.
    pub scale: Scale,
}

/// What an indicator is, for indicators.csv.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Described {
    /// Name in every file.
    pub name: String,
    /// Whose it is: `state` (each state and parent), `group` (a group's citizens), `region`.
    pub scope: &'static str,
    /// Range and kind of its values.
    pub scale: Scale,
    /// Unit, in words.
    pub unit: &'static str,
    /// What it is, in a few words.
    pub label: String,
    /// For 0/1 indicators, the probability in words.
    pub chance: String,
    /// The parameter whose chance per month decides it, or empty.
    pub hazard: &'static str,
    /// How a parent's value is made from its entities' (empty for the region).
    pub over_entities: &'static str,
}

/// Every recorded value of one month, in order: states, then parents, then the region.
#[derive(Clone, Debug)]
pub struct Layout {
    /// One per value.
    pub cells: Vec<Cell>,
    /// Each indicator recorded, once, in order of first appearance.
    pub described: Vec<Described>,
    /// The first cell of each state (its alignment), by state.
    pub first_cells: Vec<usize>,
}

impl Layout {
    /// The layout of `model`'s indicators.
    pub fn new(model: &Model) -> Layout {
        let mut layout = Layout {
            cells: Vec::new(),
            described: Vec::new(),
            first_cells: Vec::with_capacity(model.n),
        };
        let state_rows = || STATE.iter().filter(|s| s.recorded(model));
        for (i, unit) in model.codes.iter().enumerate() {
            layout.first_cells.push(layout.cells.len());
            for s in state_rows() {
                layout.push(unit, s.name, s.scale);
            }
            for name in group_indicators(model, i) {
                layout.push(unit, name, Scale::Signed);
            }
        }
        for parent in &model.parents {
            for s in state_rows() {
                layout.push(&parent.code, s.name, s.scale);
            }
        }
        for r in &REGIONAL {
            layout.push(REGION, r.name, (r.scale)(model));
        }
        layout.describe(model);
        layout
    }

    fn push(&mut self, unit: &str, indicator: &str, scale: Scale) {
        self.cells.push(Cell {
            unit: unit.to_string(),
            indicator: indicator.to_string(),
            scale,
        });
    }

    /// Fills [`Layout::described`] from the table, for the indicators recorded.
    fn describe(&mut self, model: &Model) {
        for s in STATE.iter().filter(|s| s.recorded(model)) {
            self.described.push(Described {
                name: s.name.into(),
                scope: "state",
                scale: s.scale,
                unit: s.unit,
                label: s.label.into(),
                chance: s.chance.into(),
                hazard: s.hazard,
                over_entities: s.over_entities.describe(),
            });
        }
        for i in 0..model.n {
            for name in group_indicators(model, i) {
                if self.described.iter().all(|d| d.name != name) {
                    self.described.push(Described {
                        name: name.into(),
                        scope: "group",
                        scale: Scale::Signed,
                        unit: GROUP_UNIT,
                        label: format!("mean opinion of {}", name.trim_start_matches("opinion_")),
                        chance: String::new(),
                        hazard: "",
                        over_entities: "",
                    });
                }
            }
        }
        for r in &REGIONAL {
            let scale = (r.scale)(model);
            self.described.push(Described {
                name: r.name.into(),
                scope: "region",
                scale,
                unit: r.unit,
                label: r.label.into(),
                chance: match scale {
                    Scale::Binary => format!("chance of {}", r.label),
                    _ => String::new(),
                },
                hazard: r.hazard,
                over_entities: "",
            });
        }
    }

    /// The index of `unit`'s `indicator`, if recorded.
    pub fn find(&self, unit: &str, indicator: &str) -> Option<usize> {
        self.cells
            .iter()
            .position(|c| c.unit == unit && c.indicator == indicator)
    }

    /// Each value's scale, in layout order.
    pub fn scales(&self) -> Vec<Scale> {
        self.cells.iter().map(|c| c.scale).collect()
    }

    /// Each cell's range of values, in cell order.
    pub fn ranges(&self) -> Vec<(f64, f64)> {
        self.cells.iter().map(|c| c.scale.range()).collect()
    }
}

/// The group-opinion indicators state `i` records (with citizens), in group order.
fn group_indicators(model: &Model, i: usize) -> impl Iterator<Item = &str> {
    model
        .citizen_layout
        .iter()
        .flat_map(|pop| pop.groups.iter())
        .filter(move |g| g.state == i)
        .filter_map(|g| g.indicator.as_deref())
}

/// Writes this month's values into `row`, in [`Layout`] order (`first_cells` is the layout's):
/// the states' from the table, the parents' from their entities' values in the row, then the
/// region's. The loops over the tables are over constants, which the compiler unrolls into
/// direct, inlined reads.
pub fn record(model: &Model, world: &World, first_cells: &[usize], row: &mut [f64]) {
    let citizens = model.citizen_layout.is_some();
    let mut k = 0;
    for i in 0..model.n {
        for s in &STATE {
            if s.recorded_with(citizens) {
                row[k] = (s.value)(model, world, i);
                k += 1;
            }
        }
        if let (Some(c), Some(pop)) = (&world.citizens, &model.citizen_layout) {
            for (g, block) in pop.groups.iter().enumerate() {
                if block.state == i && block.indicator.is_some() {
                    row[k] = c.group_mean[g];
                    k += 1;
                }
            }
        }
    }
    for p in 0..model.parents.len() {
        let mut j = 0;
        for s in &STATE {
            if s.recorded_with(citizens) {
                row[k] = s.parent_value(model, p, j, first_cells, row);
                k += 1;
                j += 1;
            }
        }
    }
    for r in &REGIONAL {
        row[k] = (r.value)(model, world);
        k += 1;
    }
    debug_assert_eq!(k, row.len(), "record writes every cell of the layout");
}
