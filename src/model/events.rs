//! Events: the dated shocks a scenario schedules, and the threshold events the model draws
//! each month from hazards (docs/MODEL.md, "Threshold events").

use super::{Model, World};
use crate::scenario::{EventKind, EventTarget};

/// Uniform draws each state consumes every month, whether or not an event is possible, so
/// that run i of two scenarios stays on the same random numbers (common random numbers).
pub const HAZARDS: usize = 5;

/// A threshold event that happened in a run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunEvent {
    /// Months after the start (1 = the first simulated month).
    pub month: u32,
    /// Index of the state.
    pub state: usize,
    /// What happened.
    pub kind: EventKind,
    /// The state's alignment when it happened.
    pub alignment: f64,
    /// The state's public opinion when it happened.
    pub opinion: f64,
}

impl RunEvent {
    /// The event `kind` of state `i` in `month`, with the state's alignment and opinion now.
    pub fn now(world: &World, month: u32, i: usize, kind: EventKind) -> RunEvent {
        RunEvent {
            month,
            state: i,
            kind,
            alignment: world.alignment[i],
            opinion: world.opinion[i],
        }
    }
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

/// This month's uniforms in [0, 1) of one state, one per threshold mechanism: drawn every
/// month whether or not the event is possible, so that run i of two scenarios stays on the
/// same random numbers (common random numbers). A new mechanism draws from its own stream
/// ([`Mechanism`]), never from these.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Uniforms {
    /// Hosting (or losing) a Russian military asset.
    pub asset: f64,
    /// Granting (or revoking) Russian naval access.
    pub naval: f64,
    /// Joining (or leaving) the sanctions on Russia.
    pub sanctions: f64,
    /// A protest crisis (aggregate public only).
    pub protest: f64,
    /// A secession crisis of an entity.
    pub secession: f64,
}

impl Uniforms {
    /// The uniforms from [`HAZARDS`] draws, in this order (the order of the monthly stream).
    #[inline]
    pub fn from_draws(u: [f64; HAZARDS]) -> Uniforms {
        let [asset, naval, sanctions, protest, secession] = u;
        Uniforms {
            asset,
            naval,
            sanctions,
            protest,
            secession,
        }
    }
}

/// Random numbers a mechanism draws from its own stream (the engine's, keyed by the seed, the
/// run and the mechanism's name), so that adding one changes no other draw.
pub trait Draw {
    /// A uniform in the open interval (0, 1).
    fn uniform(&mut self) -> f64;
    /// A standard normal, from one uniform (the inverse of the normal CDF).
    fn normal(&mut self) -> f64;
}

/// A mechanism that acts each month after the threshold events, with its own random stream.
#[derive(Clone, Copy)]
pub struct Mechanism {
    /// Its name, which keys its stream: unique within a model.
    pub name: &'static str,
    /// One month of it: `month` is the month just simulated (1-based).
    pub step: fn(&Model, &mut World, u32, &mut dyn Draw, &mut Vec<RunEvent>),
}

impl std::fmt::Debug for Mechanism {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// Draws this month's threshold events, state by state in scenario order, each mechanism in
/// turn; `u[i]` are state i's uniforms. `month` is the month just simulated (1-based).
pub fn draw_thresholds(
    model: &Model,
    world: &mut World,
    month: u32,
    u: &[Uniforms],
    out: &mut Vec<RunEvent>,
) {
    count_months(model, world);
    let mut events = Events { month, out };
    for i in 0..model.n {
        asset(model, world, i, u[i].asset, &mut events);
        naval(model, world, i, u[i].naval, &mut events);
        sanctions(model, world, i, u[i].sanctions, &mut events);
        protest(model, world, i, u[i].protest, &mut events);
        secession(model, world, i, u[i].secession, &mut events);
    }
}

/// This month's events, as they happen.
struct Events<'a> {
    month: u32,
    out: &'a mut Vec<RunEvent>,
}

impl Events<'_> {
    fn push(&mut self, world: &World, state: usize, kind: EventKind) {
        self.out.push(RunEvent::now(world, self.month, state, kind));
    }
}

/// Counts consecutive months leaning to Moscow, and months since accession.
fn count_months(model: &Model, world: &mut World) {
    let theta = model.params.leaning_threshold;
    for i in 0..model.n {
        world.months_moscow[i] = if world.alignment[i] > theta {
            world.months_moscow[i] + 1
        } else {
            0
        };
        world.months_since_accession[i] = world.months_since_accession[i].saturating_add(1);
    }
}

/// A Russian military asset hosted after months leaning to Moscow, lost when leaning West.
fn asset(model: &Model, world: &mut World, i: usize, u: f64, events: &mut Events) {
    let p = &model.params;
    let a = world.alignment[i];
    if !world.hosts_asset[i]
        && world.months_moscow[i] as f64 >= p.asset_months
        && u < p.asset_hazard
    {
        world.hosts_asset[i] = true;
        events.push(world, i, EventKind::HostsRussianAsset);
    } else if world.hosts_asset[i] && a < 0.0 && u < p.asset_hazard {
        world.hosts_asset[i] = false;
        events.push(world, i, EventKind::LosesRussianAsset);
    }
}

/// Naval access granted by an Adriatic host leaning far to Moscow; revoked when it turns.
fn naval(model: &Model, world: &mut World, i: usize, u: f64, events: &mut Events) {
    let p = &model.params;
    let a = world.alignment[i];
    let may_grant = model.adriatic_coast[i] && world.hosts_asset[i] && a > p.naval_threshold;
    if !world.naval_access[i] && may_grant && u < p.naval_hazard {
        world.naval_access[i] = true;
        events.push(world, i, EventKind::GrantsNavalAccess);
    } else if world.naval_access[i] && (a < 0.0 || !world.hosts_asset[i]) && u < p.naval_hazard {
        world.naval_access[i] = false;
        events.push(world, i, EventKind::RevokesNavalAccess);
    }
}

/// Joining the sanctions on Russia past one threshold, leaving them past another.
fn sanctions(model: &Model, world: &mut World, i: usize, u: f64, events: &mut Events) {
    let p = &model.params;
    let a = world.alignment[i];
    if !world.in_sanctions[i] && a < p.sanctions_join_threshold && u < p.sanctions_hazard {
        world.in_sanctions[i] = true;
        events.push(world, i, EventKind::JoinsSanctions);
    } else if world.in_sanctions[i] && a > p.sanctions_leave_threshold && u < p.sanctions_hazard {
        world.in_sanctions[i] = false;
        events.push(world, i, EventKind::LeavesSanctions);
    }
}

/// A protest crisis moves the government toward its public: with citizens, when enough of
/// them protest; without, by a hazard when the public is aggrieved and far from it.
fn protest(model: &Model, world: &mut World, i: usize, u: f64, events: &mut Events) {
    let p = &model.params;
    let a = world.alignment[i];
    let gap = world.opinion[i] - a;
    let crisis = match (&world.citizens, &model.citizen_layout) {
        (Some(c), Some(pop)) => c.protest_share[i] >= pop.params.protest_crisis_share,
        (Some(_), None) => false,
        (None, _) => {
            world.grievance[i] > p.protest_grievance
                && gap.abs() > p.protest_gap
                && u < p.protest_hazard
        }
    };
    if crisis {
        world.alignment[i] = a + p.protest_shift * gap;
        events.push(world, i, EventKind::ProtestCrisis);
    }
}

/// A secession crisis of an aggrieved entity far from its siblings.
fn secession(model: &Model, world: &mut World, i: usize, u: f64, events: &mut Events) {
    let p = &model.params;
    let Some(k) = model.parent_of[i] else {
        return;
    };
    let siblings = &model.parents[k].members;
    let aggrieved = world.grievance[i] > p.protest_grievance;
    if aggrieved && siblings.len() > 1 && u < p.secession_hazard {
        let others: f64 = siblings
            .iter()
            .filter(|&&j| j != i)
            .map(|&j| world.alignment[j])
            .sum();
        let mean = others / (siblings.len() - 1) as f64;
        if (world.alignment[i] - mean).abs() > p.secession_gap {
            events.push(world, i, EventKind::SecessionCrisis);
        }
    }
}
