//! Regional shocks (docs/MODEL.md 7.13): wars, energy cut-offs, crises and alliance decisions
//! that move the region together. A shock comes by a monthly hazard or, where the scenario lists
//! dated shocks (`[[shock]]`, a hindcast's hindsight), at their dates only. Each moves every
//! exposed state's drift by one common jump, times the state's `shock_exposure`, and each state
//! in its scope by a jump of its own besides; a drawn shock's scope is drawn state by state. The
//! sizes and the hazard are fitted on the panel (`scripts/regional_shocks.py`).

use super::events::{Draw, Mechanism, RunEvent};
use super::{Model, World, alignment};
use crate::scenario::EventKind;

/// The mechanism, under the name that keys its random stream.
pub const MECHANISM: Mechanism = Mechanism {
    name: "shocks",
    step,
};

/// One month: two uniforms for the region (whether a shock comes, its common jump) and two for
/// each state (whether it is in a drawn shock's scope, its own jump), drawn whether or not they
/// are used (common random numbers); then the month's shock, if any, moves the states.
fn step(
    model: &Model,
    world: &mut World,
    month: u32,
    draw: &mut dyn Draw,
    out: &mut Vec<RunEvent>,
) {
    let p = &model.params;
    let (comes, common) = (draw.uniform(), draw.normal());
    let replayed = model.shocks.iter().find(|s| s.month == month);
    let strikes = match (&model.shocks[..], replayed) {
        ([], _) => comes < p.shock_hazard,
        (_, found) => found.is_some(),
    };
    for i in 0..model.n {
        let (scoped_u, own) = (draw.uniform(), draw.normal());
        if !strikes || world.lambda[i] == 0.0 {
            continue;
        }
        let in_scope = replayed.map_or(scoped_u < p.shock_scope_chance, |s| s.scope.contains(&i));
        let jump = model.shock_exposure[i] * p.shock_common_size * common
            + if in_scope {
                p.shock_scope_size * own
            } else {
                0.0
            };
        if jump != 0.0 {
            alignment::shift(world, i, jump);
            out.push(RunEvent::now(world, month, i, EventKind::RegionalShock));
        }
    }
}

/// A dated shock of the scenario, compiled: the month it strikes (months after the start) and
/// the indices of the states in its scope.
#[derive(Clone, Debug, PartialEq)]
pub struct Replayed {
    /// Months after the start (1 = the first simulated month).
    pub month: u32,
    /// The states in its scope.
    pub scope: Vec<usize>,
}
