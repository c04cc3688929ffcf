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

/// Further indicators of each state and parent when citizens are simulated; each state with
/// listed groups also reports each group's mean opinion (`opinion_<group>`).
pub const CITIZENS: [(&str, Scale); 2] = [
    ("polarisation", Scale::Share),
    ("protest_share", Scale::Share),
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

/// Every recorded value of one month, in order: states, then parents, then the region.
#[derive(Clone, Debug)]
pub struct Layout {
    /// (unit, indicator, scale) per value.
    pub cells: Vec<(String, String, Scale)>,
}

impl Layout {
    /// The layout of `model`'s indicators.
    pub fn new(model: &Model) -> Layout {
        let mut cells = Vec::new();
        let mut push =
            |unit: &str, name: &str, scale| cells.push((unit.to_string(), name.to_string(), scale));
        let pop = model.citizen_layout.as_ref();
        for (i, unit) in model.codes.iter().enumerate() {
            for (name, scale) in STATE {
                push(unit, name, scale);
            }
            if let Some(pop) = pop {
                for (name, scale) in CITIZENS {
                    push(unit, name, scale);
                }
                for g in pop.groups.iter().filter(|g| g.state == i) {
                    if let Some(name) = &g.indicator {
                        push(unit, name, Scale::Signed);
                    }
                }
            }
        }
        for parent in &model.parents {
            for (name, scale) in STATE {
                push(&parent.code, name, scale);
            }
            if pop.is_some() {
                for (name, scale) in CITIZENS {
                    push(&parent.code, name, scale);
                }
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
            push(REGION, name, scale);
        }
        Layout { cells }
    }

    /// Each value's scale, in layout order.
    pub fn scales(&self) -> Vec<Scale> {
        self.cells.iter().map(|c| c.2).collect()
    }

    /// Each cell's range of values, in cell order.
    pub fn ranges(&self) -> Vec<(f64, f64)> {
        self.cells.iter().map(|c| c.2.range()).collect()
    }
}

fn flag(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

/// Writes this month's values into `row`, in [`Layout`] order.
pub fn record(model: &Model, world: &World, row: &mut [f64]) {
    let theta = model.params.leaning_threshold;
    let mut out = Cursor { row, k: 0 };
    let citizens = world.citizens.as_ref().zip(model.citizen_layout.as_ref());
    let mut leaning_units = 0u32;
    for i in 0..model.n {
        let a = world.alignment[i];
        out.put(&[
            a,
            world.opinion[i],
            world.grievance[i],
            flag(a > theta),
            flag(world.nato[i] == Status::Member),
            flag(world.eu[i] == Status::Member),
            flag(world.hosts_asset[i]),
        ]);
        if let Some((c, pop)) = citizens {
            out.put(&[c.polarisation[i], c.protest_share[i]]);
            for (g, block) in pop.groups.iter().enumerate() {
                if block.state == i && block.indicator.is_some() {
                    out.put(&[c.group_mean[g]]);
                }
            }
        }
        if model.parent_of[i].is_none() && a > theta {
            leaning_units += 1;
        }
    }
    for parent in &model.parents {
        let mut mean = [0.0; 5];
        let mut any = [false; 3];
        for (&i, &w) in parent.members.iter().zip(&parent.weights) {
            mean[0] += w * world.alignment[i];
            mean[1] += w * world.opinion[i];
            mean[2] += w * world.grievance[i];
            if let Some((c, _)) = citizens {
                mean[3] += w * c.polarisation[i];
                mean[4] += w * c.protest_share[i];
            }
            any[0] |= world.nato[i] == Status::Member;
            any[1] |= world.eu[i] == Status::Member;
            any[2] |= world.hosts_asset[i];
        }
        if mean[0] > theta {
            leaning_units += 1;
        }
        out.put(&[
            mean[0],
            mean[1],
            mean[2],
            flag(mean[0] > theta),
            flag(any[0]),
            flag(any[1]),
            flag(any[2]),
        ]);
        if citizens.is_some() {
            out.put(&[mean[3], mean[4]]);
        }
    }
    let total: f64 = model.inhabitants.iter().sum();
    let mean_alignment: f64 = (0..model.n)
        .map(|i| model.inhabitants[i] * world.alignment[i])
        .sum::<f64>()
        / total;
    let adriatic = (0..model.n).any(|i| world.naval_access[i]);
    let bondsteel = (0..model.n).any(|i| model.bondsteel_reach[i] && world.hosts_asset[i]);
    out.put(&[
        mean_alignment,
        leaning_units as f64,
        flag(adriatic),
        flag(bondsteel),
    ]);
    debug_assert_eq!(
        out.k,
        out.row.len(),
        "record writes every cell of the layout"
    );
}

/// Writes values one after another into a row.
struct Cursor<'a> {
    row: &'a mut [f64],
    k: usize,
}

impl Cursor<'_> {
    #[inline]
    fn put(&mut self, values: &[f64]) {
        self.row[self.k..self.k + values.len()].copy_from_slice(values);
        self.k += values.len();
    }
}
