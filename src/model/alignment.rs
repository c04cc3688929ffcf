//! The Friedkin–Johnsen update with the two blocs as stubborn poles (docs/MODEL.md, "Alignment"):
//!
//! x' = λ · (m·(+1) + w·(−1) + γ·n̄ + ψ·p + h·x) / (m + w + γ + ψ + h) + (1 − λ) · u
//!
//! m and w are the pulls toward Moscow and the West, n̄ the weighted mean of the neighbours
//! (weight γ), p the public's opinion (weight ψ), h the inertia, u the anchor and λ the
//! susceptibility. With constant weights and no noise this is exactly x(k+1) = ΛWx(k) + (I − Λ)u
//! on the graph of states plus the poles +1 and −1.

use super::{Model, World, lever_rules, western};
use crate::scenario::Acts;
use std::ops::{Add, Div, Mul, Neg, Sub};

/// The weights on one agent in one month; each ≥ 0 but `domestic`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Pulls {
    /// Weight toward Moscow (m).
    pub moscow: f64,
    /// Weight toward the West (w).
    pub west: f64,
    /// The agent's domestic pull, solved to hold the present (MODEL.md 5): toward Moscow if
    /// positive, toward the West if negative, with weight |domestic|.
    pub domestic: f64,
    /// Weight of the neighbours (γ).
    pub neighbours: f64,
    /// The neighbours' weighted mean (n̄).
    pub neighbour_mean: f64,
    /// Weight of the public (ψ).
    pub public: f64,
    /// The public's opinion (p).
    pub public_opinion: f64,
    /// Weight of the agent's own value (h, inertia).
    pub inertia: f64,
}

/// The float types the model's shared rules run in: `f64` for states, `f32` for citizens
/// (`model/citizens/`). Only the operations the rules use, so that one body serves both.
pub trait Real:
    Copy
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// 0.
    const ZERO: Self;
    /// 1.
    const ONE: Self;
    /// The value restricted to [lo, hi] (the type's own `clamp`).
    fn clamp_to(self, lo: Self, hi: Self) -> Self;
}

impl Real for f32 {
    const ZERO: f32 = 0.0;
    const ONE: f32 = 1.0;
    #[inline(always)]
    fn clamp_to(self, lo: f32, hi: f32) -> f32 {
        self.clamp(lo, hi)
    }
}

impl Real for f64 {
    const ZERO: f64 = 0.0;
    const ONE: f64 = 1.0;
    #[inline(always)]
    fn clamp_to(self, lo: f64, hi: f64) -> f64 {
        self.clamp(lo, hi)
    }
}

/// The Friedkin–Johnsen update itself, for governments, publics and citizens alike:
/// x' = λ · Σ_k t_k / Σ_k w_k + (1 − λ) · u over the terms (w_k, t_k), where t_k is the weight
/// times the position it pulls toward (w for the West's −w); `own` when there is no weight at
/// all. Both sums run in the order of `terms`, so a caller's order of operations is its own.
#[inline(always)]
pub fn friedkin_johnsen_terms<T: Real, const N: usize>(
    terms: [(T, T); N],
    own: T,
    lambda: T,
    anchor: T,
) -> T {
    const { assert!(N > 0) };
    let mut total = terms[0].0;
    for &(weight, _) in &terms[1..] {
        total = total + weight;
    }
    let pulled = if total > T::ZERO {
        let mut sum = terms[0].1;
        for &(_, pull) in &terms[1..] {
            sum = sum + pull;
        }
        sum / total
    } else {
        own
    };
    lambda * pulled + (T::ONE - lambda) * anchor
}

/// One Friedkin–Johnsen step for an agent at `own` with susceptibility `lambda` and anchor `anchor`.
#[inline]
pub fn friedkin_johnsen(p: Pulls, own: f64, lambda: f64, anchor: f64) -> f64 {
    debug_assert!(
        p.moscow >= 0.0
            && p.west >= 0.0
            && p.neighbours >= 0.0
            && p.public >= 0.0
            && p.inertia >= 0.0
    );
    debug_assert!((0.0..=1.0).contains(&lambda));
    friedkin_johnsen_terms(
        [
            (p.moscow, p.moscow),
            (p.west, -p.west),
            (p.domestic.abs(), p.domestic),
            (p.neighbours, p.neighbours * p.neighbour_mean),
            (p.public, p.public * p.public_opinion),
            (p.inertia, p.inertia * own),
        ],
        own,
        lambda,
        anchor,
    )
}

/// The signed domestic pull that makes `target` a fixed point of [`friedkin_johnsen`] with the
/// other pulls of `p` (and the anchor at `target`): q with q − target·|q| = D, where D is what
/// the other pulls lack. `None` when no finite pull can (a target at a pole, pulled away).
pub fn holding_pull(p: Pulls, target: f64) -> Option<f64> {
    let lack = target * (p.moscow + p.west + p.neighbours + p.public)
        - (p.moscow - p.west + p.neighbours * p.neighbour_mean + p.public * p.public_opinion);
    if lack.abs() < 1e-12 {
        Some(0.0)
    } else if lack > 0.0 {
        (target < 1.0).then(|| lack / (1.0 - target))
    } else {
        (target > -1.0).then(|| lack / (1.0 + target))
    }
}

/// A row of influence weights given directly in the scenario (`weights`), replacing the levers.
#[derive(Clone, Debug, PartialEq)]
pub struct ExplicitRow {
    /// Weight toward Moscow.
    pub moscow: f64,
    /// Weight toward the West.
    pub west: f64,
    /// (state index, weight), the state's own weight included.
    pub states: Vec<(usize, f64)>,
}

impl ExplicitRow {
    /// λ · (Σ_j W_ij x_j + W_i,moscow − W_i,west) + (1 − λ) · u, where the state's own x_i is
    /// `own` (its held part) and the others' their alignment `x`.
    #[inline]
    pub fn update(&self, x: &[f64], (i, own): (usize, f64), lambda: f64, anchor: f64) -> f64 {
        let mut sum = self.moscow - self.west;
        for &(j, w) in &self.states {
            sum += w * if j == i { own } else { x[j] };
        }
        lambda * sum + (1.0 - lambda) * anchor
    }
}

/// The pulls on the government of state i this month (a state without explicit weights).
#[inline]
pub fn pulls(model: &Model, world: &World, i: usize) -> Pulls {
    let levers = lever_rules::pulls(Acts::Government, model, &world.stock, i);
    pulls_with(model, world, i, levers)
}

/// [`pulls`] given the levers' pulls toward Moscow and the West (summed by the caller, who may
/// also want them one by one).
#[inline]
pub fn pulls_with(model: &Model, world: &World, i: usize, (moscow, west): (f64, f64)) -> Pulls {
    let p = &model.params;
    let (neighbours, weights) = model.neighbours(i);
    let neighbour_mean: f64 = neighbours
        .iter()
        .zip(weights)
        .map(|(&j, &w)| w * world.alignment[j])
        .sum();
    Pulls {
        moscow,
        west: west + western::membership_pull(p, world.eu[i], world.nato[i]),
        domestic: model.domestic[i],
        neighbours: if neighbours.is_empty() {
            0.0
        } else {
            p.neighbour_pull
        },
        neighbour_mean,
        public: model.responsiveness[i],
        public_opinion: world.opinion[i],
        inertia: p.inertia,
    }
}

/// Computes next month's alignment of every government into `world.next_alignment`: where the
/// pulls move its held part, plus its drift, an AR(1) whose innovation is `noise[i]` (a standard
/// normal draw) times σ_a, clamped to [−1, 1] (MODEL.md 7.4). The held part is the alignment
/// less the drift plus what the clamp took, so that an event that moves the alignment moves it.
pub fn step(model: &Model, world: &mut World, noise: &[f64]) {
    let sigma = model.params.noise_alignment;
    let phi = model.params.noise_persistence_per_year.powf(1.0 / 12.0);
    for i in 0..model.n {
        let held = world.held(i);
        let next = match &model.explicit[i] {
            Some(row) => row.update(
                &world.alignment,
                (i, held),
                world.lambda[i],
                world.anchor[i],
            ),
            None => friedkin_johnsen(
                pulls(model, world, i),
                held,
                world.lambda[i],
                world.anchor[i],
            ),
        };
        // A fully anchored state (λ = 0) stands for a pole: it does not drift.
        let innovation = if world.lambda[i] > 0.0 {
            sigma * noise[i]
        } else {
            0.0
        };
        world.drift[i] = phi * world.drift[i] + innovation;
        let (alignment, clamped) = compose(next, world.drift[i]);
        world.clamped[i] = clamped;
        world.next_alignment[i] = alignment;
    }
}

/// Moves government `i`'s alignment by `jump` for good: into its drift, so that the pulls do
/// not take it back (a geopolitical shift, 7.11).
pub fn shift(world: &mut World, i: usize, jump: f64) {
    let held = world.held(i);
    world.drift[i] += jump;
    (world.alignment[i], world.clamped[i]) = compose(held, world.drift[i]);
}

/// The alignment of a held part plus a drift, clamped to [−1, 1], and what the clamp took.
#[inline]
fn compose(held: f64, drift: f64) -> (f64, f64) {
    let alignment = (held + drift).clamp(-1.0, 1.0);
    (alignment, held + drift - alignment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_between_equal_poles_and_no_anchor_goes_to_zero() {
        let p = Pulls {
            moscow: 1.0,
            west: 1.0,
            ..Pulls::default()
        };
        assert_eq!(friedkin_johnsen(p, 0.7, 1.0, 0.7), 0.0);
    }

    #[test]
    fn the_holding_pull_makes_the_target_a_fixed_point() {
        for (target, moscow, west) in [(0.5, 0.1, 0.3), (-0.6, 0.4, 0.05), (0.2, 0.0, 0.0)] {
            let mut p = Pulls {
                moscow,
                west,
                neighbours: 0.15,
                neighbour_mean: -0.3,
                public: 0.1,
                public_opinion: 0.4,
                inertia: 2.0,
                ..Pulls::default()
            };
            p.domestic = holding_pull(p, target).unwrap();
            assert!((friedkin_johnsen(p, target, 0.99, target) - target).abs() < 1e-12);
        }
        let at_pole = Pulls {
            west: 0.1,
            ..Pulls::default()
        };
        assert_eq!(holding_pull(at_pole, 1.0), None);
    }

    #[test]
    fn a_fully_anchored_state_stays_at_its_anchor() {
        let p = Pulls {
            moscow: 5.0,
            ..Pulls::default()
        };
        assert_eq!(friedkin_johnsen(p, -0.4, 0.0, -0.4), -0.4);
    }
}
