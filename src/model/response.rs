//! The long-run response of a government's alignment to its own state's stock of a lever
//! (docs/CALIBRATION.md, "Levers: the panel's evidence"): with every other state, the drift and
//! the anchor held at the start, how far one unit more of the stock moves the fixed point of
//! the state's update (7.4; for a lever on the public, through the public's fixed point, 7.5).
//! It is what a cross-section of states differing only in that stock would show if the model
//! were true, so it turns the panel's associations into ranges for the levers' pulls.

use super::alignment::{self, Pulls};
use super::{Model, World, opinion};
use crate::scenario::{Acts, Lever};

/// a*(X = 1) − a*(X = 0) for state `i` and `lever` (alignment units; toward Moscow if
/// positive), with the state's pulls as at the start otherwise, or `None` where the
/// model has no such response: a state with explicit weights or fully anchored, or a lever on
/// the public when citizens stand for the public (their fixed point is not one number).
pub fn long_run_response(model: &Model, i: usize, lever: Lever) -> Option<f64> {
    let on_public = lever.acts_on() == Acts::Public;
    if model.explicit[i].is_some() || model.initial.lambda[i] == 0.0 {
        return None;
    }
    if on_public && model.citizen_layout.is_some() {
        return None;
    }
    let at = |stock: f64| {
        let mut world = model.initial.clone();
        world.stock[lever as usize][i] = stock;
        if on_public {
            opinion::public_pulls(model, &mut world);
            let lambda = 1.0 - model.params.opinion_anchoring;
            let anchor = model.initial.opinion[i];
            world.opinion[i] = fixed_point(opinion::pulls(model, &world, i), lambda, anchor);
        }
        government_fixed_point(model, &world, i)
    };
    Some(at(1.0) - at(0.0))
}

/// The government's fixed point with the pulls of `world` (its stocks and public) held.
fn government_fixed_point(model: &Model, world: &World, i: usize) -> f64 {
    let pulls = alignment::pulls(model, world, i);
    let anchor = model.initial.alignment[i];
    fixed_point(pulls, model.initial.lambda[i], anchor)
}

/// Where [`alignment::friedkin_johnsen`] steps with constant pulls settle (MODEL.md 7.4):
/// x* = (λ·N + (1 − λ)·(S + h)·u) / (S + (1 − λ)·h), N the signed pulls and S their weight; the
/// anchor where nothing pulls and nothing anchors (every point is then fixed).
fn fixed_point(p: Pulls, lambda: f64, anchor: f64) -> f64 {
    let signed = p.moscow - p.west
        + p.domestic
        + p.neighbours * p.neighbour_mean
        + p.public * p.public_opinion;
    let weight = p.moscow + p.west + p.domestic.abs() + p.neighbours + p.public;
    let denominator = weight + (1.0 - lambda) * p.inertia;
    if denominator <= 0.0 {
        return anchor;
    }
    (lambda * signed + (1.0 - lambda) * (weight + p.inertia) * anchor) / denominator
}
