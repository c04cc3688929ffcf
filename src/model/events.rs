//! Events: the dated shocks a scenario schedules, and the threshold events the model draws
//! each month from hazards (docs/MODEL.md, "Threshold events").

use super::{Model, World};
use crate::scenario::{EventTarget, Status};

/// Uniform draws each state consumes every month, whether or not an event is possible, so
/// that run i of two scenarios stays on the same random numbers (common random numbers).
pub const HAZARDS: usize = 7;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    JoinsNato,
    JoinsEu,
    HostsRussianAsset,
    LosesRussianAsset,
    GrantsNavalAccess,
    RevokesNavalAccess,
    JoinsSanctions,
    LeavesSanctions,
    ProtestCrisis,
    SecessionCrisis,
}

impl EventKind {
    pub fn name(self) -> &'static str {
        match self {
            EventKind::JoinsNato => "joins_nato",
            EventKind::JoinsEu => "joins_eu",
            EventKind::HostsRussianAsset => "hosts_russian_asset",
            EventKind::LosesRussianAsset => "loses_russian_asset",
            EventKind::GrantsNavalAccess => "grants_naval_access",
            EventKind::RevokesNavalAccess => "revokes_naval_access",
            EventKind::JoinsSanctions => "joins_sanctions",
            EventKind::LeavesSanctions => "leaves_sanctions",
            EventKind::ProtestCrisis => "protest_crisis",
            EventKind::SecessionCrisis => "secession_crisis",
        }
    }
}

/// A threshold event that happened in a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunEvent {
    /// Months after the start (1 = the first simulated month).
    pub month: u32,
    pub state: usize,
    pub kind: EventKind,
    /// The state's alignment and public opinion when it happened.
    pub alignment: f64,
    pub opinion: f64,
}

/// Applies the scheduled events of month index `month` (0 = the start month).
pub fn apply_scheduled(model: &Model, world: &mut World, month: u32) {
    for e in &model.events[month as usize] {
        let value = match e.target {
            EventTarget::Stock(lever) => &mut world.stock[lever as usize][e.state],
            EventTarget::Grievance => &mut world.grievance[e.state],
        };
        *value = (*value + e.magnitude).clamp(0.0, 1.0);
    }
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
        let [
            u_nato,
            u_eu,
            u_asset,
            u_naval,
            u_sanctions,
            u_protest,
            u_secession,
        ] = u[i];
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
        let mut happen = |world: &mut World, kind| {
            out.push(RunEvent {
                month,
                state: i,
                kind,
                alignment: world.alignment[i],
                opinion: world.opinion[i],
            })
        };
        let west_months = world.months_west[i] as f64;

        if world.nato[i] == Status::Candidate
            && west_months >= p.nato_join_months
            && u_nato < p.nato_join_hazard
        {
            world.nato[i] = Status::Member;
            accede(world, i);
            happen(world, EventKind::JoinsNato);
        }
        if world.eu[i] == Status::Candidate
            && west_months >= p.eu_join_months
            && world.stock[crate::scenario::Lever::Accession as usize][i] >= p.eu_join_credibility
            && u_eu < p.eu_join_hazard
        {
            world.eu[i] = Status::Member;
            accede(world, i);
            happen(world, EventKind::JoinsEu);
        }
        if !world.hosts_asset[i]
            && world.months_moscow[i] as f64 >= p.asset_months
            && u_asset < p.asset_hazard
        {
            world.hosts_asset[i] = true;
            happen(world, EventKind::HostsRussianAsset);
        } else if world.hosts_asset[i] && a < 0.0 && u_asset < p.asset_hazard {
            world.hosts_asset[i] = false;
            happen(world, EventKind::LosesRussianAsset);
        }
        if !world.naval_access[i]
            && model.adriatic_coast[i]
            && world.hosts_asset[i]
            && a > p.naval_threshold
            && u_naval < p.naval_hazard
        {
            world.naval_access[i] = true;
            happen(world, EventKind::GrantsNavalAccess);
        } else if world.naval_access[i]
            && (a < 0.0 || !world.hosts_asset[i])
            && u_naval < p.naval_hazard
        {
            world.naval_access[i] = false;
            happen(world, EventKind::RevokesNavalAccess);
        }
        if !world.in_sanctions[i]
            && a < p.sanctions_join_threshold
            && u_sanctions < p.sanctions_hazard
        {
            world.in_sanctions[i] = true;
            happen(world, EventKind::JoinsSanctions);
        } else if world.in_sanctions[i]
            && a > p.sanctions_leave_threshold
            && u_sanctions < p.sanctions_hazard
        {
            world.in_sanctions[i] = false;
            happen(world, EventKind::LeavesSanctions);
        }
        let gap = world.opinion[i] - a;
        let aggrieved = world.grievance[i] > p.protest_grievance;
        if aggrieved && gap.abs() > p.protest_gap && u_protest < p.protest_hazard {
            world.alignment[i] = a + p.protest_shift * gap;
            happen(world, EventKind::ProtestCrisis);
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
                    happen(world, EventKind::SecessionCrisis);
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
