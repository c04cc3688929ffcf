//! The indicators recorded every month: per state, per parent (population-weighted over its
//! entities) and for the region. Their order here is their order in every output file.

use super::{Model, World};
use crate::scenario::Status;
use crate::statistics::Scale;

/// Indicators of each state and each parent.
pub const STATE: [(&str, Scale); 7] = [
    ("alignment", Scale::Signed),
    ("public_opinion", Scale::Signed),
    ("grievance", Scale::Share),
    ("moscow_leaning", Scale::Binary),
    ("nato_member", Scale::Binary),
    ("eu_member", Scale::Binary),
    ("hosts_russian_asset", Scale::Binary),
];

/// Name of the region's row in the outputs.
pub const REGION: &str = "region";

/// Indicators of the region (the count's maximum is set per scenario).
pub const REGIONAL: [&str; 4] = [
    "mean_alignment",
    "moscow_leaning_states",
    "adriatic_access",
    "asset_near_bondsteel",
];

// `record` finds the region's values in the remainder of the per-unit chunks.
const _: () = assert!(REGIONAL.len() < STATE.len());

/// Every recorded value of one month, in order: states, then parents, then the region.
#[derive(Clone, Debug)]
pub struct Layout {
    /// (unit, indicator, scale) per value.
    pub cells: Vec<(String, &'static str, Scale)>,
}

impl Layout {
    pub fn new(model: &Model) -> Layout {
        let mut cells = Vec::new();
        let units = model
            .codes
            .iter()
            .chain(model.parents.iter().map(|p| &p.code));
        for unit in units {
            for (name, scale) in STATE {
                cells.push((unit.clone(), name, scale));
            }
        }
        let top_level =
            model.parent_of.iter().filter(|p| p.is_none()).count() + model.parents.len();
        let scales = [
            Scale::Signed,
            Scale::Count(top_level as u32),
            Scale::Binary,
            Scale::Binary,
        ];
        for (name, scale) in REGIONAL.iter().zip(scales) {
            cells.push((REGION.to_string(), name, scale));
        }
        Layout { cells }
    }

    pub fn scales(&self) -> Vec<Scale> {
        self.cells.iter().map(|c| c.2).collect()
    }
}

fn flag(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

/// Writes this month's values into `row`, in [`Layout`] order.
pub fn record(model: &Model, world: &World, row: &mut [f64]) {
    let theta = model.params.leaning_threshold;
    let mut cells = row.chunks_exact_mut(STATE.len());
    let mut leaning_units = 0u32;
    for i in 0..model.n {
        let a = world.alignment[i];
        let cell = cells.next().expect("layout has a chunk per state");
        cell.copy_from_slice(&[
            a,
            world.opinion[i],
            world.grievance[i],
            flag(a > theta),
            flag(world.nato[i] == Status::Member),
            flag(world.eu[i] == Status::Member),
            flag(world.hosts_asset[i]),
        ]);
        if model.parent_of[i].is_none() && a > theta {
            leaning_units += 1;
        }
    }
    for parent in &model.parents {
        let mut mean = [0.0; 3];
        let mut any = [false; 3];
        for (&i, &w) in parent.members.iter().zip(&parent.weights) {
            mean[0] += w * world.alignment[i];
            mean[1] += w * world.opinion[i];
            mean[2] += w * world.grievance[i];
            any[0] |= world.nato[i] == Status::Member;
            any[1] |= world.eu[i] == Status::Member;
            any[2] |= world.hosts_asset[i];
        }
        if mean[0] > theta {
            leaning_units += 1;
        }
        let cell = cells.next().expect("layout has a chunk per parent");
        cell.copy_from_slice(&[
            mean[0],
            mean[1],
            mean[2],
            flag(mean[0] > theta),
            flag(any[0]),
            flag(any[1]),
            flag(any[2]),
        ]);
    }
    let region = cells.into_remainder();
    let total: f64 = model.population.iter().sum();
    let mean_alignment: f64 = (0..model.n)
        .map(|i| model.population[i] * world.alignment[i])
        .sum::<f64>()
        / total;
    let adriatic = (0..model.n).any(|i| world.naval_access[i]);
    let bondsteel = (0..model.n).any(|i| model.bondsteel_reach[i] && world.hosts_asset[i]);
    region.copy_from_slice(&[
        mean_alignment,
        leaning_units as f64,
        flag(adriatic),
        flag(bondsteel),
    ]);
}
