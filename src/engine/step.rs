//! One run, month by month, in the order docs/MODEL.md gives ("Process overview and scheduling").

use super::rng;
use crate::model::events::{self, HAZARDS, RunEvent};
use crate::model::indicators::{self, Layout};
use crate::model::{Model, World, alignment, opinion, stocks, targeting};

/// Everything one worker needs to simulate runs, allocated once and reused.
pub struct Workspace {
    pub world: World,
    noise_alignment: Vec<f64>,
    noise_opinion: Vec<f64>,
    hazards: Vec<[f64; HAZARDS]>,
    cells: usize,
    /// The last run's indicators: (months + 1) rows of `cells` values, row 0 the start.
    pub trajectory: Vec<f64>,
    /// The last run's threshold events, in the order they happened.
    pub events: Vec<RunEvent>,
}

impl Workspace {
    pub fn new(model: &Model, layout: &Layout) -> Workspace {
        let n = model.n;
        let cells = layout.cells.len();
        Workspace {
            world: World::new(model),
            noise_alignment: vec![0.0; n],
            noise_opinion: vec![0.0; n],
            hazards: vec![[0.0; HAZARDS]; n],
            cells,
            trajectory: vec![0.0; (model.months as usize + 1) * cells],
            events: Vec::new(),
        }
    }

    /// The indicators of the last month of the last run.
    pub fn final_row(&self) -> &[f64] {
        &self.trajectory[self.trajectory.len() - self.cells..]
    }
}

/// Simulates run `run` of `model` under `seed`, leaving its trajectory and events in `ws`.
pub fn simulate(model: &Model, seed: u64, run: u64, ws: &mut Workspace) {
    let mut rng = rng::stream(seed, run);
    let cells = ws.cells;
    ws.world.reset(model);
    ws.events.clear();
    indicators::record(model, &ws.world, &mut ws.trajectory[..cells]);
    for t in 0..model.months {
        let world = &mut ws.world;
        events::apply_scheduled(model, world, t);
        targeting::spend(model, world, t);
        targeting::apply_lags(model, world, t);
        stocks::update_all(model, world);
        opinion::update_grievance(model, world);
        opinion::public_pulls(model, world);
        rng::draw_month(
            &mut rng,
            &mut ws.noise_alignment,
            &mut ws.noise_opinion,
            &mut ws.hazards,
        );
        opinion::step(model, world, &ws.noise_opinion);
        alignment::step(model, world, &ws.noise_alignment);
        std::mem::swap(&mut world.alignment, &mut world.next_alignment);
        std::mem::swap(&mut world.opinion, &mut world.next_opinion);
        let month = t + 1;
        events::draw_thresholds(model, world, month, &ws.hazards, &mut ws.events);
        world.record_history(month);
        let row = month as usize * cells;
        indicators::record(model, world, &mut ws.trajectory[row..row + cells]);
    }
}
