//! Accession pipelines (docs/MODEL.md 7.12). Each state's stage in the EU and in NATO moves
//! one step at a time by a monthly hazard fitted per step on the panel's milestones of
//! 1992–2021 (`scripts/accession_pipeline.py`): faster the further the state leans West and,
//! in the EU, the more accession credibility exceeds the status quo's. A veto may block a
//! state's next step and lifts by a hazard of its own. The entities of one parent state move
//! together, on the first entity's draws, at the pace set by the most Moscow-leaning entity's
//! alignment and the least credibility gain among them. Applying is a state's own choice, which
//! the model does not draw.

use super::events::{Draw, Mechanism, RunEvent};
use super::{Model, World};
use crate::scenario::{EventKind, Lever, Params, Status};

/// The mechanism, under the name that keys its random stream.
pub const MECHANISM: Mechanism = Mechanism {
    name: "accession",
    step,
};

/// The pipeline of an organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Organisation {
    /// The European Union.
    Eu,
    /// NATO.
    Nato,
}

/// One step of a pipeline: from a stage to the next, its hazard at alignment −1 and the event
/// it makes.
struct Step {
    from: Status,
    to: Status,
    hazard: fn(&Params) -> f64,
    event: EventKind,
}

const EU_STEPS: [Step; 4] = [
    Step {
        from: Status::Applied,
        to: Status::Candidate,
        hazard: |p| p.eu_candidate_hazard,
        event: EventKind::EuCandidate,
    },
    Step {
        from: Status::Candidate,
        to: Status::Negotiating,
        hazard: |p| p.eu_negotiations_hazard,
        event: EventKind::EuNegotiations,
    },
    Step {
        from: Status::Negotiating,
        to: Status::Signed,
        hazard: |p| p.eu_signing_hazard,
        event: EventKind::EuTreatySigned,
    },
    Step {
        from: Status::Signed,
        to: Status::Member,
        hazard: |p| p.eu_entry_hazard,
        event: EventKind::JoinsEu,
    },
];

const NATO_STEPS: [Step; 3] = [
    Step {
        from: Status::Candidate,
        to: Status::Invited,
        hazard: |p| p.nato_invitation_hazard,
        event: EventKind::NatoInvited,
    },
    Step {
        from: Status::Invited,
        to: Status::Signed,
        hazard: |p| p.nato_signing_hazard,
        event: EventKind::NatoProtocolSigned,
    },
    Step {
        from: Status::Signed,
        to: Status::Member,
        hazard: |p| p.nato_entry_hazard,
        event: EventKind::JoinsNato,
    },
];

impl Organisation {
    const BOTH: [Organisation; 2] = [Organisation::Eu, Organisation::Nato];

    fn steps(self) -> &'static [Step] {
        match self {
            Organisation::Eu => &EU_STEPS,
            Organisation::Nato => &NATO_STEPS,
        }
    }

    /// The events of a veto imposed and lifted.
    fn block_events(self) -> [EventKind; 2] {
        match self {
            Organisation::Eu => [EventKind::EuBlocked, EventKind::EuUnblocked],
            Organisation::Nato => [EventKind::NatoBlocked, EventKind::NatoUnblocked],
        }
    }

    /// Every state's stage and whether its next step is blocked.
    fn pipeline(self, world: &mut World) -> (&mut [Status], &mut [bool]) {
        match self {
            Organisation::Eu => (&mut world.eu, &mut world.eu_blocked),
            Organisation::Nato => (&mut world.nato, &mut world.nato_blocked),
        }
    }
}

/// The monthly hazard of a step whose fitted hazard at alignment −1 is `base`, for a state at
/// `alignment` whose accession credibility is `gain` above the status quo's: times
/// e^(−κ(a + 1)), in the EU times 1 + gain / `accession_credibility_scale` (at least 0); at
/// most 1.
pub fn step_hazard(
    p: &Params,
    organisation: Organisation,
    base: f64,
    alignment: f64,
    gain: f64,
) -> f64 {
    let mut hazard = base * (-p.accession_alignment_slope * (alignment + 1.0)).exp();
    if organisation == Organisation::Eu && p.accession_credibility_scale > 0.0 {
        hazard *= (1.0 + gain / p.accession_credibility_scale).max(0.0);
    }
    hazard.min(1.0)
}

/// One month: every state draws four uniforms (a step and a veto, in the EU then NATO; drawn
/// whether or not they are used, for common random numbers), and each state, or each parent's
/// entities together, may take a step, be blocked or be unblocked.
fn step(
    model: &Model,
    world: &mut World,
    month: u32,
    draw: &mut dyn Draw,
    out: &mut Vec<RunEvent>,
) {
    for i in 0..model.n {
        let u = [
            draw.uniform(),
            draw.uniform(),
            draw.uniform(),
            draw.uniform(),
        ];
        let unit =
            model.parent_of[i].map_or(std::slice::from_ref(&i), |k| &model.parents[k].members[..]);
        if unit[0] != i {
            continue;
        }
        for (k, organisation) in Organisation::BOTH.into_iter().enumerate() {
            let [step_u, veto_u] = [u[2 * k], u[2 * k + 1]];
            let mut now = Now {
                month,
                unit,
                out: &mut *out,
            };
            now.advance(model, world, organisation, step_u, veto_u);
        }
    }
}

/// A unit of states that move together, this month.
struct Now<'a> {
    month: u32,
    unit: &'a [usize],
    out: &'a mut Vec<RunEvent>,
}

impl Now<'_> {
    /// Lifts a veto, imposes one, or takes the next step by its hazard, in one organisation's
    /// pipeline.
    fn advance(
        &mut self,
        model: &Model,
        world: &mut World,
        organisation: Organisation,
        step_u: f64,
        veto_u: f64,
    ) {
        let p = &model.params;
        let lead = self.unit[0];
        let (stages, blocked) = organisation.pipeline(world);
        let (stage, was_blocked) = (stages[lead], blocked[lead]);
        let [blocks, lifts] = organisation.block_events();
        if was_blocked {
            if veto_u < p.block_lift_hazard {
                self.each(world, lifts, |w, j| organisation.pipeline(w).1[j] = false);
            }
            return;
        }
        if stage.past_application() && veto_u < p.block_hazard {
            self.each(world, blocks, |w, j| organisation.pipeline(w).1[j] = true);
            return;
        }
        let Some(step) = organisation.steps().iter().find(|s| s.from == stage) else {
            return;
        };
        let alignment =
            (self.unit.iter().map(|&j| world.alignment[j])).fold(f64::NEG_INFINITY, f64::max);
        let k = Lever::Accession as usize;
        let gain = (self.unit.iter())
            .map(|&j| world.stock[k][j] - model.initial.stock[k][j])
            .fold(f64::INFINITY, f64::min);
        if step_u < step_hazard(p, organisation, (step.hazard)(p), alignment, gain) {
            self.each(world, step.event, |w, j| {
                organisation.pipeline(w).0[j] = step.to;
                if step.to == Status::Member {
                    accede(w, j);
                }
            });
        }
    }

    /// Applies `change` to every state of the unit and records `event` for each.
    fn each(&mut self, world: &mut World, event: EventKind, change: impl Fn(&mut World, usize)) {
        for &j in self.unit {
            change(world, j);
            self.out.push(RunEvent::now(world, self.month, j, event));
        }
    }
}

/// Joining NATO or the EU anchors a state's held part where it stands (its drift stays on
/// top, MODEL.md 7.4) and starts Moscow's coercion window.
fn accede(world: &mut World, i: usize) {
    world.anchor[i] = world.held(i);
    world.months_since_accession[i] = 0;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_run_through_each_pipeline_in_order() {
        for organisation in Organisation::BOTH {
            let stages: &[Status] = match organisation {
                Organisation::Eu => &Status::EU,
                Organisation::Nato => &Status::NATO,
            };
            let steps = organisation.steps();
            assert_eq!(
                steps.len(),
                stages.len() - 2,
                "none is left by applying only"
            );
            for (k, s) in steps.iter().enumerate() {
                assert_eq!((s.from, s.to), (stages[k + 1], stages[k + 2]));
            }
        }
    }

    #[test]
    fn the_west_and_credibility_speed_a_step() {
        let p = Params::default();
        let h = |org, a, c| step_hazard(&p, org, 0.02, a, c);
        let scale = p.accession_credibility_scale;
        assert!(
            (h(Organisation::Eu, -1.0, 0.0) - 0.02).abs() < 1e-15,
            "as fitted"
        );
        assert!(
            (h(Organisation::Eu, -1.0, scale) - 0.04).abs() < 1e-15,
            "doubled"
        );
        assert_eq!(
            h(Organisation::Eu, -1.0, -2.0 * scale),
            0.0,
            "never below 0"
        );
        assert!(h(Organisation::Eu, -1.0, 0.0) > h(Organisation::Eu, 0.0, 0.0));
        assert_eq!(
            h(Organisation::Nato, 0.0, 0.3),
            h(Organisation::Nato, 0.0, -0.3)
        );
        assert_eq!(step_hazard(&p, Organisation::Nato, 5.0, -1.0, 0.0), 1.0);
    }
}
