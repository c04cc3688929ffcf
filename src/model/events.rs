//! Events: the dated shocks a scenario schedules, and the threshold events the model draws
//! each month from hazards (docs/MODEL.md, "Threshold events").

use super::{Model, World};
use crate::scenario::{EventKind, EventTarget, Lever, Status};

/// Uniform draws each state consumes every month, whether or not an event is possible, so
/// that run i of two scenarios stays on the same random numbers (common random numbers).
pub const HAZARDS: usize = 7;

/// A threshold event that happened in a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunEvent {
    /// Months after the start (1 = the first simulated month).
    pub month: u32,
    /// Index of the state.
    pub state: usize,
    /// What happened.
    pub kind: EventKind,
    /// The state's alignment and public opinion when it happened.
    pub alignment: f64,
    /// The state's public opinion when it happened.
    pub opinion: f64,
}

/// Applies the scheduled events of month index `month` (0 = the start month).
pub fn apply_scheduled(model: &Model, world: &mut World, month: u32) {
    for e in &model.events[month as usize] {
        let value = match e.target {
            EventTarget::Stock(lever) => &mut world.stock[lever as usize][e.state],
            EventTarget::Grievance => {
                if let (Some(pop), Some(citizens)) = (&model.citizen_layout, &mut world.citizens) {
                    citizens.shock(pop, e.state, e.magnitude);
                }
                &mut world.grievance[e.state]
            }
        };
        *value = (*value + e.magnitude).clamp(0.0, 1.0);
    }
}

/// Monthly hazard of EU accession for a ready candidate: `hazard` at `reference` credibility,
/// in proportion to it (a smooth rise, not a gate), at most 1.
pub fn accession_hazard(hazard: f64, credibility: f64, reference: f64) -> f64 {
    if reference <= 0.0 {
        return hazard;
    }
    (hazard * credibility / reference).min(1.0)
}

/// Draws this month's threshold events; `u[i]` are state i's uniforms in [0, 1).
/// `month` is the month just simulated (1-based). States are visited in scenario order.
pub fn draw_thresholds(
    model: &Model,
    world: &mut World,
    month: u32,
    u: &[[f64; HAZARDS]],
    out: &mut Vec<RunEvent>,
) {
    let p = &model.params;
    let theta = p.leaning_threshold;
    for i in 0..model.n {
        let a = world.alignment[i];
        world.months_west[i] = if a < -theta {
            world.months_west[i] + 1
        } else {
            0
        };
        world.months_moscow[i] = if a > theta {
            world.months_moscow[i] + 1
        } else {
            0
        };
        world.months_since_accession[i] = world.months_since_accession[i].saturating_add(1);
    }
    let accession = Lever::Accession as usize;
    let event = |world: &World, j: usize, kind| RunEvent {
        month,
        state: j,
        kind,
        alignment: world.alignment[j],
        opinion: world.opinion[j],
    };
    let nato_ready = |w: &World, j: usize| {
        w.nato[j] == Status::Candidate && w.months_west[j] as f64 >= p.nato_join_months
    };
    let eu_ready = |w: &World, j: usize| {
        w.eu[j] == Status::Candidate && w.months_west[j] as f64 >= p.eu_join_months
    };
    // The hazard of joining the EU rises in proportion to accession credibility (the lowest of
    // the entities that accede together): eu_join_hazard at eu_join_credibility.
    let eu_hazard = |w: &World, joint: &[usize]| {
        let credibility = joint
            .iter()
            .map(|&j| w.stock[accession][j])
            .fold(1.0, f64::min);
        accession_hazard(p.eu_join_hazard, credibility, p.eu_join_credibility)
    };
    for i in 0..model.n {
        let [
            u_nato,
            u_eu,
            u_asset,
            u_naval,
            u_sanctions,
            u_protest,
            u_secession,
        ] = u[i];
        // The entities of a parent state accede together, once all of them are eligible.
        let joint =
            model.parent_of[i].map_or(std::slice::from_ref(&i), |k| &model.parents[k].members[..]);
        if u_nato < p.nato_join_hazard && joint.iter().all(|&j| nato_ready(world, j)) {
            for &j in joint {
                world.nato[j] = Status::Member;
                accede(world, j);
                out.push(event(world, j, EventKind::JoinsNato));
            }
        }
        if joint.iter().all(|&j| eu_ready(world, j)) && u_eu < eu_hazard(world, joint) {
            for &j in joint {
                world.eu[j] = Status::Member;
                accede(world, j);
                out.push(event(world, j, EventKind::JoinsEu));
            }
        }
        let a = world.alignment[i];
        if !world.hosts_asset[i]
            && world.months_moscow[i] as f64 >= p.asset_months
            && u_asset < p.asset_hazard
        {
            world.hosts_asset[i] = true;
            out.push(event(world, i, EventKind::HostsRussianAsset));
        } else if world.hosts_asset[i] && a < 0.0 && u_asset < p.asset_hazard {
            world.hosts_asset[i] = false;
            out.push(event(world, i, EventKind::LosesRussianAsset));
        }
        let may_grant = model.adriatic_coast[i] && world.hosts_asset[i] && a > p.naval_threshold;
        if !world.naval_access[i] && may_grant && u_naval < p.naval_hazard {
            world.naval_access[i] = true;
            out.push(event(world, i, EventKind::GrantsNavalAccess));
        } else if world.naval_access[i]
            && (a < 0.0 || !world.hosts_asset[i])
            && u_naval < p.naval_hazard
        {
            world.naval_access[i] = false;
            out.push(event(world, i, EventKind::RevokesNavalAccess));
        }
        if !world.in_sanctions[i]
            && a < p.sanctions_join_threshold
            && u_sanctions < p.sanctions_hazard
        {
            world.in_sanctions[i] = true;
            out.push(event(world, i, EventKind::JoinsSanctions));
        } else if world.in_sanctions[i]
            && a > p.sanctions_leave_threshold
            && u_sanctions < p.sanctions_hazard
        {
            world.in_sanctions[i] = false;
            out.push(event(world, i, EventKind::LeavesSanctions));
        }
        let gap = world.opinion[i] - a;
        let aggrieved = world.grievance[i] > p.protest_grievance;
        // With citizens, a crisis is enough of them protesting; without, a hazard.
        let crisis = match &world.citizens {
            Some(c) => {
                c.protest_share[i]
                    >= model
                        .citizen_layout
                        .as_ref()
                        .map_or(1.0, |q| q.params.protest_crisis_share)
            }
            None => aggrieved && gap.abs() > p.protest_gap && u_protest < p.protest_hazard,
        };
        if crisis {
            world.alignment[i] = a + p.protest_shift * gap;
            out.push(event(world, i, EventKind::ProtestCrisis));
        }
        if let Some(k) = model.parent_of[i] {
            let siblings = &model.parents[k].members;
            if aggrieved && siblings.len() > 1 && u_secession < p.secession_hazard {
                let others: f64 = siblings
                    .iter()
                    .filter(|&&j| j != i)
                    .map(|&j| world.alignment[j])
                    .sum();
                let mean = others / (siblings.len() - 1) as f64;
                if (world.alignment[i] - mean).abs() > p.secession_gap {
                    out.push(event(world, i, EventKind::SecessionCrisis));
                }
            }
        }
    }
}

/// Joining NATO or the EU anchors a state where it stands and starts Moscow's coercion window.
fn accede(world: &mut World, i: usize) {
    world.anchor[i] = world.alignment[i];
    world.months_since_accession[i] = 0;
}
