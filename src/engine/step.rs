//! One run, month by month, in the order docs/MODEL.md gives ("Process overview and scheduling").

use super::rng;
use crate::model::events::{self, HAZARDS, RunEvent};
use crate::model::indicators::{self, Layout};
use crate::model::{Model, World, alignment, opinion, population, stocks, targeting};

/// Everything one worker needs to simulate runs, allocated once and reused.
pub struct Workspace {
    pub world: World,
    noise_alignment: Vec<f64>,
    noise_opinion: Vec<f64>,
    hazards: Vec<[f64; HAZARDS]>,
    /// This month's indicators, in [`Layout`] order; after a run, the last month's.
    pub row: Vec<f64>,
    /// The last run's threshold events, in the order they happened.
    pub events: Vec<RunEvent>,
}

impl Workspace {
    pub fn new(model: &Model, layout: &Layout) -> Workspace {
        let n = model.n;
        Workspace {
            world: World::new(model),
            noise_alignment: vec![0.0; n],
            noise_opinion: vec![0.0; n],
            hazards: vec![[0.0; HAZARDS]; n],
            row: vec![0.0; layout.cells.len()],
            events: Vec::new(),
        }
    }
}

/// Simulates run `run` of `model` under `seed`, handing each month's indicators to `observe`
/// (month 0 is the start) and leaving the run's events and last row in `ws`.
pub fn simulate(
    model: &Model,
    seed: u64,
    run: u64,
    ws: &mut Workspace,
    observe: &mut dyn FnMut(usize, &[f64]),
) {
    let mut rng = rng::stream(seed, run);
    ws.world.reset(model);
    if let (Some(pop), Some(citizens)) = (&model.population_layer, &mut ws.world.citizens) {
        citizens.reset(model, pop, &mut rng);
        // The public's start is its citizens' mean.
        ws.world.opinion.copy_from_slice(&citizens.mean);
    }
    ws.events.clear();
    indicators::record(model, &ws.world, &mut ws.row);
    observe(0, &ws.row);
    for t in 0..model.months {
        let world = &mut ws.world;
        events::apply_scheduled(model, world, t);
        targeting::spend(model, world, t);
        targeting::apply_lags(model, world, t);
        stocks::update_all(model, world);
        rng::draw_month(
            &mut rng,
            &mut ws.noise_alignment,
            &mut ws.noise_opinion,
            &mut ws.hazards,
        );
        match &model.population_layer {
            Some(pop) => population::step(model, pop, world, &mut rng),
            None => {
                opinion::update_grievance(model, world);
                opinion::public_pulls(model, world);
                opinion::step(model, world, &ws.noise_opinion);
            }
        }
        alignment::step(model, world, &ws.noise_alignment);
        std::mem::swap(&mut world.alignment, &mut world.next_alignment);
        std::mem::swap(&mut world.opinion, &mut world.next_opinion);
        let month = t + 1;
        events::draw_thresholds(model, world, month, &ws.hazards, &mut ws.events);
        world.record_history(month);
        indicators::record(model, world, &mut ws.row);
        observe(month as usize, &ws.row);
    }
}
