//! Public opinion per state, as an aggregate (docs/MODEL.md, "Public opinion"), used when a
//! scenario has no citizens (`people_per_agent` = 0): it takes each public's pulls toward
//! Moscow and the West and returns each state's mean opinion.
//!
//! p' = λ_p · (π_m − π_w + κ·k̄ + h_p·p) / (π_m + π_w + κ + h_p) + (1 − λ_p) · p0 + σ_p·ξ

use super::alignment::{Pulls, Real, friedkin_johnsen};
use super::{Model, World, information, lever_rules};
use crate::scenario::Acts;

/// The pulls on the public of state i this month (after [`public_pulls`]).
#[inline]
pub fn pulls(model: &Model, world: &World, i: usize) -> Pulls {
    let (kin_weight, kin_mean) = kin_mean(model, &world.opinion, i);
    Pulls {
        moscow: world.public_moscow[i],
        west: world.public_west[i],
        domestic: model.public_domestic[i],
        neighbours: kin_weight,
        neighbour_mean: kin_mean,
        public: 0.0,
        public_opinion: 0.0,
        inertia: model.params.opinion_inertia,
    }
}

/// Computes next month's opinion of every public into `world.next_opinion`.
/// `noise[i]` is a standard normal draw for state i.
pub fn step(model: &Model, world: &mut World, noise: &[f64]) {
    let p = &model.params;
    let lambda = 1.0 - p.opinion_anchoring;
    for i in 0..model.n {
        let next = friedkin_johnsen(
            pulls(model, world, i),
            world.opinion[i],
            lambda,
            model.initial.opinion[i],
        ) + p.noise_opinion * noise[i];
        world.next_opinion[i] = next.clamp(-1.0, 1.0);
    }
}

fn kin_mean(model: &Model, opinion: &[f64], i: usize) -> (f64, f64) {
    let kin = model.kin(i);
    if kin.is_empty() {
        return (0.0, 0.0);
    }
    let sum: f64 = kin.iter().map(|&j| opinion[j]).sum();
    (model.params.kin_opinion_pull, sum / kin.len() as f64)
}

/// Pulls on each public this month: information operations (amplified by church ties) and
/// religious ties toward Moscow; aid and investment toward the West.
pub fn public_pulls(model: &Model, world: &mut World) {
    for i in 0..model.n {
        let (moscow, west) = lever_rules::pulls(Acts::Public, model, &world.stock, i);
        world.public_moscow[i] = moscow;
        world.public_west[i] = west;
    }
}

/// Grievance relaxes to its baseline over `grievance_decay_months` and rises with the tension
/// information operations sow: g' = g + (g0 − g)/τ_g + η·I·reach·fractionalisation.
pub fn update_grievance(model: &Model, world: &mut World) {
    use crate::scenario::Lever;
    let p = &model.params;
    let decay = 1.0 / p.grievance_decay_months;
    for i in 0..model.n {
        let tension = information::tension(
            p.tension_from_information,
            world.stock[Lever::Information as usize][i],
            model.media_reach[i],
            model.fractionalisation[i],
        );
        world.grievance[i] = grievance_step(
            world.grievance[i],
            model.initial.grievance[i],
            decay,
            [tension],
        );
    }
}

/// The grievance rule, for a state's public and for citizens alike: g' = clamp(g + (g0 − g)·d
/// plus the rises, 0, 1), with d the monthly decay (1/τ_g) and the rises added in order (a
/// state's tension; a citizen's tension and protest contagion, `model/citizens/`).
#[inline(always)]
pub fn grievance_step<T: Real, const N: usize>(g: T, baseline: T, decay: T, rises: [T; N]) -> T {
    let mut next = g + (baseline - g) * decay;
    for rise in rises {
        next = next + rise;
    }
    next.clamp_to(T::ZERO, T::ONE)
}
