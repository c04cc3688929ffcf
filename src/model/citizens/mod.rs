//! Citizens (docs/MODEL.md, 7.10; the `[population]` table): agents inside each state, one per
//! `people_per_agent` inhabitants, laid out as arrays contiguous per state and, within a
//! state, per group. Each month each citizen is exposed to messages, meets others in bounded
//! confidence (Deffuant–Weisbuch), updates its grievance and may protest; the state's public
//! opinion, polarisation, protest share and each group's lean are read from them.

use super::alignment::{Pulls, friedkin_johnsen_terms, holding_pull};
use super::opinion::grievance_step;
use super::{Model, Stocks, World, information};
use crate::scenario::Lever;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

mod layout;

pub use layout::{CitizenLayout, GroupBlock};

const UNIT_32: f32 = 1.0 / 4_294_967_296.0;

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
///
/// Not `lever_rules::pulls(Acts::Public, ..)`, the aggregate public's pulls, because the two
/// differ in form: a citizen's π_m,c has its own media diet where the state has its reach, its
/// group's receptivity, and an Orthodox flag (0 or 1) where the state has its Orthodox share
/// (which the lever rules read from the model, per state); and it is `f32`, with the state's
/// part computed once a month here so that a citizen costs a few multiplications. So a lever
/// that pulls the public reaches citizens only once it is read here. What keeps the two in
/// agreement: `tests::identical_citizens_follow_the_aggregate_public`, which sets every stock,
/// so that a public lever missing here, or a formula changed on one side only, fails it.
struct Messages {
    info_strength: f32,
    amplify: f32,
    church_pull: f32,
    west: f32,
}

impl Messages {
    fn of(model: &Model, stock: &Stocks, i: usize) -> Messages {
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
    let kernel = Kernel::new(model, pop);
    for i in 0..pop.states() {
        let state = StateMonth::of(model, pop, &world.stock, citizens.protest_share[i], i);
        for k in pop.group_start[i]..pop.groups.len() {
            let g = &pop.groups[k];
            if g.state != i {
                break;
            }
            for c in g.start..g.start + g.len {
                kernel.expose(citizens, &state.messages, g.receptivity, pop.orthodox[c], c);
                kernel.meet(&mut citizens.opinion, g, &state, rng, c);
                kernel.grieve(citizens, &state, c);
            }
        }
    }
    citizens.read_states(model, pop, &world.alignment);
    for i in 0..pop.states() {
        world.next_opinion[i] = citizens.mean[i];
        world.grievance[i] = citizens.grievance_mean[i];
    }
}

/// What the citizens of one state share this month: the messages they receive, what drives
/// their grievance, and where the state's citizens lie.
struct StateMonth {
    messages: Messages,
    tension: f32,
    contagion: f32,
    g0: f32,
    start: usize,
    len: usize,
}

impl StateMonth {
    fn of(model: &Model, pop: &CitizenLayout, stock: &Stocks, protest: f64, i: usize) -> Self {
        let p = &model.params;
        let pressure = stock[Lever::Information as usize][i];
        StateMonth {
            messages: Messages::of(model, stock, i),
            // Per unit of media diet: each citizen's own diet stands for the state's reach.
            tension: information::tension(
                p.tension_from_information,
                pressure,
                1.0,
                model.fractionalisation[i],
            ) as f32,
            contagion: (pop.params.protest_contagion * protest) as f32,
            g0: model.initial.grievance[i] as f32,
            start: pop.state_start[i],
            len: pop.state_start[i + 1] - pop.state_start[i],
        }
    }
}

/// The citizen kernel's coefficients for a month, in the citizens' `f32` (probabilities as
/// thresholds on 32 random bits).
struct Kernel {
    lambda: f32,
    inertia: f32,
    epsilon: f32,
    mu: f32,
    homophily: u64,
    kin_contact: u64,
    voter: u64,
    decay: f32,
    interactions: u32,
}

impl Kernel {
    fn new(model: &Model, pop: &CitizenLayout) -> Kernel {
        let p = &model.params;
        let q = &pop.params;
        Kernel {
            lambda: (1.0 - p.opinion_anchoring) as f32,
            inertia: p.opinion_inertia as f32,
            epsilon: q.epsilon as f32,
            mu: q.mu as f32,
            homophily: (q.homophily * 4_294_967_296.0) as u64,
            kin_contact: (q.kin_contact * 4_294_967_296.0) as u64,
            voter: (q.voter_share * 4_294_967_296.0) as u64,
            decay: (1.0 / p.grievance_decay_months) as f32,
            interactions: pop.interactions,
        }
    }

    /// Exposure: the Friedkin–Johnsen update of governments and the aggregate public
    /// (`alignment::friedkin_johnsen_terms`), in `f32`, toward the poles and anchored on the
    /// citizen's start, with the pull k_c and weight w_c holding it (w_c is not |k_c|, as a
    /// government's is: see `Citizens::hold_present`).
    #[inline(always)]
    fn expose(
        &self,
        citizens: &mut Citizens,
        messages: &Messages,
        receptivity: f32,
        orthodox: f32,
        c: usize,
    ) {
        let moscow = messages.moscow(citizens.media[c], receptivity, orthodox);
        let west = messages.west;
        let o = citizens.opinion[c];
        citizens.opinion[c] = friedkin_johnsen_terms(
            [
                (moscow, moscow),
                (west, -west),
                (citizens.held_weight[c], citizens.held_pull[c]),
                (self.inertia, self.inertia * o),
            ],
            o,
            self.lambda,
            citizens.opinion0[c],
        );
    }

    /// Encounters: bounded confidence with a partner from the group, the state or kin, or the
    /// voter rule.
    #[inline(always)]
    fn meet(
        &self,
        opinion: &mut [f32],
        g: &GroupBlock,
        state: &StateMonth,
        rng: &mut ChaCha8Rng,
        c: usize,
    ) {
        let (state_start, state_len) = (state.start, state.len);
        for _ in 0..self.interactions {
            let word = rng.next_u64();
            // The voter rule (a second word): a random citizen of the state copies a random
            // other; the updated citizen is drawn, not taken in order, so that the share of an
            // opinion is a martingale.
            if self.voter > 0 {
                let rule = rng.next_u64();
                if rule >> 32 < self.voter {
                    let i =
                        state_start + (((rule & 0xffff_ffff) * state_len as u64) >> 32) as usize;
                    let j =
                        state_start + (((word & 0xffff_ffff) * state_len as u64) >> 32) as usize;
                    opinion[i] = opinion[j];
                    continue;
                }
            }
            let pick = word & 0xffff_ffff;
            let kind = word >> 32;
            let (start, len) = if kind < self.kin_contact && !g.kin.is_empty() {
                g.kin[(pick as usize) % g.kin.len()]
            } else if kind < self.homophily + self.kin_contact {
                (g.start, g.len)
            } else {
                (state_start, state_len)
            };
            let j = start + ((pick * len as u64) >> 32) as usize;
            let (a, b) = (opinion[c], opinion[j]);
            let d = b - a;
            let step = if d.abs() < self.epsilon {
                self.mu * d
            } else {
                0.0
            };
            opinion[c] = a + step;
            opinion[j] = b - step;
        }
    }

    /// Grievance: the rule of the aggregate public (`opinion::grievance_step`), in `f32`, with
    /// the citizen's media diet in place of the state's reach and protest contagion added.
    #[inline(always)]
    fn grieve(&self, citizens: &mut Citizens, state: &StateMonth, c: usize) {
        citizens.grievance[c] = grievance_step(
            citizens.grievance[c],
            state.g0,
            self.decay,
            [state.tension * citizens.media[c], state.contagion],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::opinion;
    use crate::scenario;
    use rand::SeedableRng;

    /// A state of two identical citizens (no spread of opinion or media diet, both Orthodox,
    /// receptivity 1, no encounters, which would move one before the other is exposed, and no
    /// protest contagion) or, with `people_per_agent` = 0, its aggregate public.
    fn one_state(people_per_agent: f64) -> Model {
        let text = format!(
            "[scenario]\nname = \"one\"\nstart = \"2000-01\"\nmonths = 12\nseed = 1\n\
             [params]\nnoise_alignment = 0.0\nnoise_opinion = 0.0\ntension_from_information = 0.2\n\
             [population]\npeople_per_agent = {people_per_agent}\nopinion_spread = 0.0\nmedia_spread = 0.0\nprotest_contagion = 0.0\n\
             interactions_per_month = 0\n\
             [[state]]\ncode = \"ONE\"\nname = \"One\"\npopulation = 2\nalignment = 0.2\npublic_opinion = 0.3\n\
             grievance = 0.2\northodox_share = 1.0\nchurch_ties_moscow = 0.5\nrussian_media_reach = 0.4\n\
             groups = [ {{ name = \"a\", share = 0.5 }}, {{ name = \"b\", share = 0.5 }} ]\n"
        );
        Model::compile(&scenario::from_text("one.toml", &text).unwrap()).unwrap()
    }

    /// The citizen kernel against the aggregate public on a case where they must agree: each
    /// citizen's exposure and grievance are the aggregate's update of the state, in `f32`, with
    /// every lever's stock set (so that every pull on the public is exercised) and held present.
    #[test]
    fn identical_citizens_follow_the_aggregate_public() {
        let (with, without) = (one_state(1.0), one_state(0.0));
        let pop = with.citizen_layout.as_ref().unwrap();
        assert_eq!(pop.citizens(), 2);
        let (mut wc, mut wa) = (World::new(&with), World::new(&without));
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let citizens = wc.citizens.as_mut().unwrap();
        citizens.reset(&with, pop, &mut rng);
        wc.opinion.copy_from_slice(&citizens.mean);
        assert!((wc.opinion[0] - wa.opinion[0]).abs() < 1e-7);
        for t in 0..24 {
            for (k, lever) in Lever::ALL.into_iter().enumerate() {
                let x = 0.1 + 0.08 * k as f64 + 0.01 * t as f64;
                wc.stock[lever as usize][0] = x;
                wa.stock[lever as usize][0] = x;
            }
            step(&with, pop, &mut wc, &mut rng);
            opinion::update_grievance(&without, &mut wa);
            opinion::public_pulls(&without, &mut wa);
            opinion::step(&without, &mut wa, &[0.0]);
            let (oc, oa) = (wc.next_opinion[0], wa.next_opinion[0]);
            assert!((oc - oa).abs() < 1e-5, "month {t}: opinion {oc} ≠ {oa}");
            assert!(
                (oa - wa.opinion[0]).abs() > 1e-4,
                "month {t}: the levers move it"
            );
            let (gc, ga) = (wc.grievance[0], wa.grievance[0]);
            assert!((gc - ga).abs() < 1e-5, "month {t}: grievance {gc} ≠ {ga}");
            std::mem::swap(&mut wc.opinion, &mut wc.next_opinion);
            std::mem::swap(&mut wa.opinion, &mut wa.next_opinion);
        }
    }
}
