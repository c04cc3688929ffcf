//! Citizens (docs/MODEL.md, 7.10; the `[population]` table): agents inside each state, one per
//! `people_per_agent` inhabitants, laid out as arrays contiguous per state and, within a
//! state, per group. Each month each citizen is exposed to messages, meets others in bounded
//! confidence (Deffuant–Weisbuch), updates its grievance and may protest; the state's public
//! opinion, polarisation, protest share and each group's lean are read from them.

use super::alignment::{Pulls, holding_pull};
use super::{Model, World, information};
use crate::error::{Error, Result};
use crate::scenario::{Lever, PopulationParams, Scenario, group_indicator};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

const UNIT_32: f32 = 1.0 / 4_294_967_296.0;

/// The citizens' fixed attributes, shared by all runs.
#[derive(Clone, Debug)]
pub struct CitizenLayout {
    /// `[population]`.
    pub params: PopulationParams,
    /// Citizens of state i: `state_start[i]..state_start[i + 1]`.
    pub state_start: Vec<usize>,
    /// Groups, in state order: (state, citizens, receptivity, initial opinion, reported name).
    pub groups: Vec<GroupBlock>,
    /// First group of state i in `groups` (groups of a state are consecutive).
    pub group_start: Vec<usize>,
    /// 1 for an Orthodox citizen, else 0.
    pub orthodox: Vec<f32>,
    /// Group of each citizen, as an index into `groups`.
    pub group_of: Vec<u32>,
    /// Encounters each citizen starts a month.
    pub interactions: u32,
}

/// A block of citizens of one group in one state.
#[derive(Clone, Debug)]
pub struct GroupBlock {
    /// Index of the state.
    pub state: usize,
    /// First citizen of the block.
    pub start: usize,
    /// Citizens in the block.
    pub len: usize,
    /// Multiplier on Moscow's messages.
    pub receptivity: f32,
    /// Initial mean opinion.
    pub opinion: f32,
    /// Indicator name (`opinion_serbs`), or `None` for a state's unlisted remainder.
    pub indicator: Option<String>,
    /// Blocks of the same group in kin states, where cross-border encounters land.
    pub kin: Vec<(usize, usize)>,
}

impl CitizenLayout {
    /// `None` when `people_per_agent` is 0 (the aggregate public opinion is used).
    pub fn compile(s: &Scenario) -> Result<Option<CitizenLayout>> {
        let p = s.population.clone();
        if p.people_per_agent <= 0.0 {
            return Ok(None);
        }
        let mut state_start = vec![0];
        let mut groups: Vec<GroupBlock> = Vec::new();
        let mut group_start = Vec::new();
        let mut orthodox = Vec::new();
        let mut group_of = Vec::new();
        for (i, st) in s.state.iter().enumerate() {
            let n = st.citizens(p.people_per_agent) as usize;
            let start = state_start[state_start.len() - 1];
            group_start.push(groups.len());
            let mut placed = 0;
            for g in &st.groups {
                let len = ((g.share * n as f64).round() as usize).min(n - placed);
                groups.push(GroupBlock {
                    state: i,
                    start: start + placed,
                    len,
                    receptivity: g.receptivity as f32,
                    opinion: g.opinion as f32,
                    indicator: Some(group_indicator(&g.name)),
                    kin: Vec::new(),
                });
                placed += len;
            }
            if placed < n {
                groups.push(GroupBlock {
                    state: i,
                    start: start + placed,
                    len: n - placed,
                    receptivity: 1.0,
                    opinion: st.public_opinion as f32,
                    indicator: None,
                    kin: Vec::new(),
                });
            }
            let orthodox_count = (st.orthodox_share * n as f64).round() as usize;
            orthodox.extend((0..n).map(|k| if k < orthodox_count { 1.0 } else { 0.0 }));
            for (k, g) in groups.iter().enumerate().skip(group_start[i]) {
                group_of.extend(std::iter::repeat_n(k as u32, g.len));
            }
            state_start.push(start + n);
        }
        // Kin blocks: the same group name in each kin state (or the whole kin state when
        // the group is the unlisted remainder).
        let names: Vec<Option<&str>> = s
            .state
            .iter()
            .enumerate()
            .flat_map(|(i, st)| {
                let listed = st.groups.iter().map(|g| Some(g.name.as_str()));
                let rest = (groups.iter().filter(|g| g.state == i).count() > st.groups.len())
                    .then_some(None);
                listed.chain(rest)
            })
            .collect();
        for k in 0..groups.len() {
            let i = groups[k].state;
            let mut kin = Vec::new();
            for code in &s.state[i].kin {
                let j = s.state_index(code).ok_or_else(|| {
                    Error::Internal(format!(
                        "kin {code} is not in the scenario: was it validated?"
                    ))
                })?;
                let same = (group_start[j]..groups.len())
                    .take_while(|&m| groups[m].state == j)
                    .find(|&m| names[m].is_some() && names[m] == names[k]);
                match same {
                    Some(m) if groups[m].len > 0 => kin.push((groups[m].start, groups[m].len)),
                    _ => kin.push((state_start[j], state_start[j + 1] - state_start[j])),
                }
            }
            groups[k].kin = kin;
        }
        Ok(Some(CitizenLayout {
            interactions: p.interactions_per_month.round() as u32,
            params: p,
            state_start,
            groups,
            group_start,
            orthodox,
            group_of,
        }))
    }

    /// Expected mean opinion of state i's citizens at the start: their groups' opinions,
    /// weighted by size (initial draws are symmetric around them).
    pub fn start_opinion(&self, i: usize) -> f64 {
        let (sum, count) = self.groups[self.group_start[i]..]
            .iter()
            .take_while(|g| g.state == i)
            .fold((0.0, 0usize), |(s, n), g| {
                (s + g.opinion as f64 * g.len as f64, n + g.len)
            });
        if count == 0 { 0.0 } else { sum / count as f64 }
    }

    /// Citizens in all states.
    pub fn citizens(&self) -> usize {
        self.state_start[self.state_start.len() - 1]
    }

    /// States laid out.
    pub fn states(&self) -> usize {
        self.state_start.len() - 1
    }
}

/// One run's citizens and what is read from them each month.
#[derive(Clone, Debug)]
pub struct Citizens {
    /// Each citizen's opinion, this month.
    pub opinion: Vec<f32>,
    /// Each citizen's opinion at the start of the run.
    pub opinion0: Vec<f32>,
    /// Weights holding each citizen's start under the status quo (MODEL.md 7.10): `held_pull`
    /// enters the exposure's numerator and `held_weight` its denominator; 0 without `hold_present`.
    pub held_pull: Vec<f32>,
    /// Denominator weight holding each citizen's start (see `held_pull`).
    pub held_weight: Vec<f32>,
    /// Each citizen's grievance, this month.
    pub grievance: Vec<f32>,
    /// Share of Russian-state outlets in each citizen's media diet.
    pub media: Vec<f32>,
    /// Per state, this month: mean opinion, its standard deviation, protest share, mean grievance.
    pub mean: Vec<f64>,
    /// Per state: standard deviation of opinion.
    pub polarisation: Vec<f64>,
    /// Per state: share of citizens protesting.
    pub protest_share: Vec<f64>,
    /// Per state: mean grievance.
    pub grievance_mean: Vec<f64>,
    /// Per group: mean opinion this month.
    pub group_mean: Vec<f64>,
}

impl Citizens {
    /// Arrays sized for `pop`'s citizens, to be reset at the start of each run.
    pub fn new(pop: &CitizenLayout) -> Citizens {
        let n = pop.citizens();
        let states = pop.states();
        Citizens {
            opinion: vec![0.0; n],
            opinion0: vec![0.0; n],
            held_pull: vec![0.0; n],
            held_weight: vec![0.0; n],
            grievance: vec![0.0; n],
            media: vec![0.0; n],
            mean: vec![0.0; states],
            polarisation: vec![0.0; states],
            protest_share: vec![0.0; states],
            grievance_mean: vec![0.0; states],
            group_mean: vec![0.0; pop.groups.len()],
        }
    }

    /// Draws the citizens of a new run: one word each, its upper half for the opinion
    /// (uniform within `opinion_spread` of the group's opinion, or nearer where a pole is nearer) and its lower half for the
    /// media diet (uniform within `media_spread` of the state's reach, relatively).
    pub fn reset(&mut self, model: &Model, pop: &CitizenLayout, rng: &mut ChaCha8Rng) {
        let p = &pop.params;
        for g in &pop.groups {
            let i = g.state;
            let reach = model.media_reach[i] as f32;
            // Narrowed near a pole so that no draw is clamped and the mean is the group's.
            let spread = (p.opinion_spread as f32).min(1.0 - g.opinion.abs());
            for c in g.start..g.start + g.len {
                let word = rng.next_u64();
                let u = (word >> 32) as f32 * UNIT_32;
                let v = (word & 0xffff_ffff) as f32 * UNIT_32;
                let o = (g.opinion + spread * (2.0 * u - 1.0)).clamp(-1.0, 1.0);
                self.opinion[c] = o;
                self.opinion0[c] = o;
                self.media[c] =
                    (reach * (1.0 + p.media_spread as f32 * (2.0 * v - 1.0))).clamp(0.0, 1.0);
                self.grievance[c] = model.initial.grievance[i] as f32;
            }
        }
        self.protest_share.fill(0.0);
        self.hold_present(model, pop);
        self.read_states(model, pop, &model.initial.alignment);
    }

    /// Solves each citizen's domestic pull q_c so that its start (within `HELD_EDGE` of a pole)
    /// is the fixed point of its exposure under the status-quo stocks, then tops every citizen
    /// of a state up to one total weight B_i with a pull toward that start: with the same
    /// restoring rate for all, the encounters (which keep a state's sum) move no state's mean.
    fn hold_present(&mut self, model: &Model, pop: &CitizenLayout) {
        if !model.hold_present {
            self.held_pull.fill(0.0);
            self.held_weight.fill(0.0);
            return;
        }
        for i in 0..pop.states() {
            let messages = Messages::of(model, &model.initial.stock, i);
            let mut total = 0.0f64;
            let groups = pop.groups[pop.group_start[i]..]
                .iter()
                .take_while(|g| g.state == i);
            for g in groups.clone() {
                for c in g.start..g.start + g.len {
                    let pulls = Pulls {
                        moscow: messages.moscow(self.media[c], g.receptivity, pop.orthodox[c])
                            as f64,
                        west: messages.west as f64,
                        ..Pulls::default()
                    };
                    let target = (self.opinion0[c] as f64).clamp(-HELD_EDGE, HELD_EDGE);
                    let q = holding_pull(pulls, target).unwrap_or(0.0);
                    self.held_pull[c] = q as f32;
                    self.held_weight[c] = q.abs() as f32;
                    total = total.max(pulls.moscow + pulls.west + q.abs());
                }
            }
            for g in groups {
                for c in g.start..g.start + g.len {
                    let own = messages.moscow(self.media[c], g.receptivity, pop.orthodox[c])
                        + messages.west
                        + self.held_weight[c];
                    let top_up = (total as f32 - own).max(0.0);
                    let target = self.opinion0[c].clamp(-HELD_EDGE as f32, HELD_EDGE as f32);
                    self.held_pull[c] += top_up * target;
                    self.held_weight[c] += top_up;
                }
            }
        }
    }

    /// Reads each state's mean opinion, polarisation, grievance and protest share, and each
    /// group's mean, from the citizens (in citizen order: deterministic).
    fn read_states(&mut self, model: &Model, pop: &CitizenLayout, alignment: &[f64]) {
        let p = &model.params;
        for i in 0..pop.states() {
            let range = pop.state_start[i]..pop.state_start[i + 1];
            let n = range.len() as f64;
            let (mut sum, mut sum_sq, mut g_sum, mut protest) = (0.0f64, 0.0f64, 0.0f64, 0u32);
            for c in range {
                let o = self.opinion[c] as f64;
                let g = self.grievance[c] as f64;
                sum += o;
                sum_sq += o * o;
                g_sum += g;
                protest +=
                    u32::from((o - alignment[i]).abs() > p.protest_gap && g > p.protest_grievance);
            }
            let mean = sum / n;
            self.mean[i] = mean;
            self.polarisation[i] = (sum_sq / n - mean * mean).max(0.0).sqrt().min(1.0);
            self.grievance_mean[i] = g_sum / n;
            self.protest_share[i] = protest as f64 / n;
        }
        for (k, g) in pop.groups.iter().enumerate() {
            let s: f64 = self.opinion[g.start..g.start + g.len]
                .iter()
                .map(|&o| o as f64)
                .sum();
            self.group_mean[k] = if g.len > 0 { s / g.len as f64 } else { 0.0 };
        }
    }

    /// Adds a grievance shock to every citizen of state i.
    pub fn shock(&mut self, pop: &CitizenLayout, i: usize, magnitude: f64) {
        for g in &mut self.grievance[pop.state_start[i]..pop.state_start[i + 1]] {
            *g = (*g + magnitude as f32).clamp(0.0, 1.0);
        }
    }
}

/// Nearest a citizen's held start may come to a pole: nearer, the pull holding it (and so every
/// citizen's total weight B_i) would grow without bound (q ∝ 1/(1 − |o|)).
const HELD_EDGE: f64 = 0.95;

/// The messages a state's citizens receive this month, per unit of media diet and receptivity.
struct Messages {
    info_strength: f32,
    amplify: f32,
    church_pull: f32,
    west: f32,
}

impl Messages {
    fn of(model: &Model, stock: &[Vec<f64>; Lever::COUNT], i: usize) -> Messages {
        let p = &model.params;
        let info = &model.levers[Lever::Information as usize];
        let church = &model.levers[Lever::Religion as usize];
        let aid = &model.levers[Lever::Aid as usize];
        let ties = stock[Lever::Religion as usize][i];
        Messages {
            info_strength: (info.pull * stock[Lever::Information as usize][i]) as f32,
            amplify: (p.church_amplification * ties) as f32,
            // The religion lever's pull for an Orthodox citizen (weight × ties); others feel none.
            church_pull: (church.pull * ties) as f32,
            west: (aid.pull * stock[Lever::Aid as usize][i]) as f32,
        }
    }

    /// π_m,c of a citizen with this media diet, group receptivity and Orthodox flag (0 or 1).
    #[inline]
    fn moscow(&self, media: f32, receptivity: f32, orthodox: f32) -> f32 {
        self.info_strength * media * receptivity * (1.0 + self.amplify * orthodox)
            + self.church_pull * orthodox
    }
}

/// One month of every citizen (docs/MODEL.md, 7.10), then the states' readings: public
/// opinion into `world.next_opinion`, grievance into `world.grievance`.
pub fn step(model: &Model, pop: &CitizenLayout, world: &mut World, rng: &mut ChaCha8Rng) {
    let Some(citizens) = world.citizens.as_mut() else {
        debug_assert!(false, "a world of a model with citizens has citizens");
        return;
    };
    let p = &model.params;
    let q = &pop.params;
    let lambda = (1.0 - p.opinion_anchoring) as f32;
    let inertia = p.opinion_inertia as f32;
    let (epsilon, mu) = (q.epsilon as f32, q.mu as f32);
    let homophily = (q.homophily * 4_294_967_296.0) as u64;
    let kin_contact = (q.kin_contact * 4_294_967_296.0) as u64;
    let voter = (q.voter_share * 4_294_967_296.0) as u64;
    let decay = (1.0 / p.grievance_decay_months) as f32;
    for i in 0..pop.states() {
        let pressure = world.stock[Lever::Information as usize][i];
        // Per state this month: message strengths and grievance drivers.
        let messages = Messages::of(model, &world.stock, i);
        let west = messages.west;
        let tension = information::tension(
            p.tension_from_information,
            pressure,
            1.0,
            model.fractionalisation[i],
        ) as f32;
        let contagion = (q.protest_contagion * citizens.protest_share[i]) as f32;
        let g0 = model.initial.grievance[i] as f32;
        let (state_start, state_len) = (
            pop.state_start[i],
            pop.state_start[i + 1] - pop.state_start[i],
        );
        for k in pop.group_start[i]..pop.groups.len() {
            let g = &pop.groups[k];
            if g.state != i {
                break;
            }
            for c in g.start..g.start + g.len {
                // Exposure: Friedkin–Johnsen toward the poles, anchored on the citizen's start.
                let moscow = messages.moscow(citizens.media[c], g.receptivity, pop.orthodox[c]);
                let o = citizens.opinion[c];
                // As `alignment::friedkin_johnsen`: with no weight at all, the citizen stays.
                let total = moscow + west + citizens.held_weight[c] + inertia;
                let pulled = if total > 0.0 {
                    (moscow - west + citizens.held_pull[c] + inertia * o) / total
                } else {
                    o
                };
                citizens.opinion[c] = lambda * pulled + (1.0 - lambda) * citizens.opinion0[c];
                // Encounters: bounded confidence with a partner from the group, the state or kin.
                for _ in 0..pop.interactions {
                    let word = rng.next_u64();
                    // The voter rule (a second word): a random citizen of the state copies a
                    // random other; the updated citizen is drawn, not taken in order, so that
                    // the share of an opinion is a martingale.
                    if voter > 0 {
                        let rule = rng.next_u64();
                        if rule >> 32 < voter {
                            let i = state_start
                                + (((rule & 0xffff_ffff) * state_len as u64) >> 32) as usize;
                            let j = state_start
                                + (((word & 0xffff_ffff) * state_len as u64) >> 32) as usize;
                            citizens.opinion[i] = citizens.opinion[j];
                            continue;
                        }
                    }
                    let pick = word & 0xffff_ffff;
                    let kind = word >> 32;
                    let (start, len) = if kind < kin_contact && !g.kin.is_empty() {
                        g.kin[(pick as usize) % g.kin.len()]
                    } else if kind < homophily + kin_contact {
                        (g.start, g.len)
                    } else {
                        (state_start, state_len)
                    };
                    let j = start + ((pick * len as u64) >> 32) as usize;
                    let (a, b) = (citizens.opinion[c], citizens.opinion[j]);
                    let d = b - a;
                    let step = if d.abs() < epsilon { mu * d } else { 0.0 };
                    citizens.opinion[c] = a + step;
                    citizens.opinion[j] = b - step;
                }
                // Grievance: back toward the state's baseline, up with tension and protest.
                let gr = citizens.grievance[c];
                let media = citizens.media[c];
                citizens.grievance[c] =
                    (gr + (g0 - gr) * decay + tension * media + contagion).clamp(0.0, 1.0);
            }
        }
    }
    citizens.read_states(model, pop, &world.alignment);
    for i in 0..pop.states() {
        world.next_opinion[i] = citizens.mean[i];
        world.grievance[i] = citizens.grievance_mean[i];
    }
}
