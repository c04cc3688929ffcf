//! Where a government's monthly move comes from (docs/MODEL.md 7.4, "Channels"): the
//! Friedkin–Johnsen update is a weighted mean of named pulls, so its change of the held part,
//! x' − x = λ·Σ_k (s_k − w_k·x) / W + (1 − λ)·(u − x), splits exactly into one term per pull
//! (w_k its weight, s_k its weight times the position it pulls toward, W every weight with the
//! inertia h, whose own term is 0); the drift's change is its own channel, and what the month
//! adds after the update — threshold events, elections, accession, shocks, the clamp at the
//! poles — is the rest. The parts of a month sum to its change of alignment by construction;
//! summed over months, to the change from the start.

use super::alignment::pulls_with;
use super::lever_rules::each_pull;
use super::{Model, World, western};
use crate::scenario::{Acts, Lever, Pole};

/// The government's levers in the order `each_pull` hands them over: the first five channels.
const LEVERS: [Lever; 5] = [
    Lever::Arms,
    Lever::Energy,
    Lever::Accession,
    Lever::Security,
    Lever::Coercion,
];

/// The channels, as trace.csv's columns name them: each government lever, membership, the
/// domestic pull that holds the present, neighbours and kin, the public, the anchor, the drift,
/// and the rest (events).
pub const CHANNELS: [&str; 12] = [
    "arms",
    "energy",
    "accession",
    "security",
    "coercion",
    "membership",
    "domestic",
    "neighbours",
    "public",
    "anchor",
    "drift",
    "events",
];

/// The index of the rest, filled once the month is over.
pub const EVENTS: usize = 11;

/// One month's parts of a government's move, in [`CHANNELS`] order.
pub type Parts = [f64; 12];

/// Government i's parts of this month's update, before it runs (everything but `events`):
/// the same pulls, in the same state, as `alignment::step` is about to use; `noise` the month's
/// standard normal draw of its drift. A state with explicit weights is not split: its move is
/// all `events`.
pub fn before_update(model: &Model, world: &World, i: usize, noise: f64) -> Parts {
    let mut parts = [0.0; 12];
    let lambda = world.lambda[i];
    let phi = model.params.noise_persistence_per_year.powf(1.0 / 12.0);
    let innovation = if lambda > 0.0 {
        model.params.noise_alignment * noise
    } else {
        0.0
    };
    parts[10] = (phi - 1.0) * world.drift[i] + innovation;
    if model.explicit[i].is_some() {
        return parts;
    }
    let x = world.held(i);
    // (channel, weight, weight times where it pulls).
    let mut terms: [(usize, f64, f64); 10] = [(0, 0.0, 0.0); 10];
    let (mut levers, mut k) = ((0.0, 0.0), 0);
    each_pull(Acts::Government, model, &world.stock, i, |lever, pull| {
        debug_assert_eq!(lever, LEVERS[k], "the government's levers in channel order");
        let toward = match lever.owner() {
            Pole::Moscow => {
                levers.0 += pull;
                1.0
            }
            Pole::West => {
                levers.1 += pull;
                -1.0
            }
        };
        terms[k] = (k, pull, pull * toward);
        k += 1;
    });
    // The other pulls, with the levers' sums as `alignment::step` sums them.
    let p = pulls_with(model, world, i, levers);
    let member = western::membership_pull(&model.params, world.eu[i], world.nato[i]);
    terms[5] = (5, member, -member);
    terms[6] = (6, p.domestic.abs(), p.domestic);
    terms[7] = (7, p.neighbours, p.neighbours * p.neighbour_mean);
    terms[8] = (8, p.public, p.public * p.public_opinion);
    let total: f64 = terms.iter().map(|t| t.1).sum::<f64>() + p.inertia;
    if total > 0.0 {
        for &(k, w, s) in &terms[..9] {
            parts[k] = lambda * (s - w * x) / total;
        }
    }
    parts[9] = (1.0 - lambda) * (world.anchor[i] - x);
    parts
}

/// The month's parts once it is over: `events` is its change of alignment, `after − before`,
/// less every other part.
pub fn close(parts: &mut Parts, before: f64, after: f64) {
    let explained: f64 = parts[..EVENTS].iter().sum();
    parts[EVENTS] = (after - before) - explained;
}
