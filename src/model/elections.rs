//! Elections and turnover (docs/MODEL.md 7.11). A state with a calendar holds its scheduled
//! elections every `term_months`, and early ones by a monthly hazard, which restart the
//! calendar. At an election the governing party loses with a probability logistic in the
//! elections it has won in a row and in the gap between public and government; outside the EU
//! a turnover may bring a geopolitical shift, a persistent move of the government toward its
//! public. The coefficients are fitted on the panel's elections (`scripts/election_calendar.py`).

use super::events::{Draw, Mechanism, RunEvent};
use super::{Model, World, alignment};
use crate::scenario::{EventKind, Params, Status};

/// The mechanism, under the name that keys its random stream.
pub const MECHANISM: Mechanism = Mechanism {
    name: "elections",
    step,
};

/// Elections won in a row beyond which incumbency adds nothing (the fit's last class).
const MAX_WINS: u32 = 3;

/// The chance that the governing party loses an election, after `wins` elections won in a
/// row, with its public `gap` alignment units from its government: the panel's rate at the
/// typical gap, more beyond it, less within.
pub fn turnover_probability(p: &Params, wins: u32, gap: f64) -> f64 {
    let logit = p.turnover_logit
        + p.turnover_logit_per_win * f64::from(wins.min(MAX_WINS))
        + p.turnover_logit_per_gap * (gap.abs() - p.turnover_typical_gap);
    1.0 / (1.0 + (-logit).exp())
}

/// The jump of a geopolitical shift: toward the public, `shift_size` at most, the gap at most.
pub fn shift_jump(p: &Params, government: f64, public: f64) -> f64 {
    let size = p.shift_size;
    (public - government).clamp(-size, size)
}

/// One month: every state draws three uniforms (early election, turnover, shift; drawn whether
/// or not they are used, so that two scenarios, even one that gives a state no calendar, stay
/// on common random numbers), and a state with a calendar holds an election when one is due.
fn step(
    model: &Model,
    world: &mut World,
    month: u32,
    draw: &mut dyn Draw,
    out: &mut Vec<RunEvent>,
) {
    for i in 0..model.n {
        let [early, turnover, shift] = [draw.uniform(), draw.uniform(), draw.uniform()];
        if model.term_months[i] == 0 {
            continue;
        }
        let scheduled = world.next_election[i] == month;
        if !scheduled && early >= model.params.early_election_hazard {
            continue;
        }
        world.next_election[i] = month + model.term_months[i];
        let mut event = |world: &World, kind| out.push(RunEvent::now(world, month, i, kind));
        event(world, EventKind::Election);
        let (government, public) = (world.alignment[i], world.opinion[i]);
        if turnover
            >= turnover_probability(&model.params, world.incumbent_wins[i], public - government)
        {
            world.incumbent_wins[i] += 1;
            continue;
        }
        world.incumbent_wins[i] = 0;
        event(world, EventKind::Turnover);
        if world.eu[i] != Status::Member && shift < model.params.shift_chance {
            alignment::shift(world, i, shift_jump(&model.params, government, public));
            event(world, EventKind::GeopoliticalShift);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incumbency_lowers_and_a_gap_raises_the_chance_of_turnover() {
        let p = Params::default();
        let at = |wins, gap| turnover_probability(&p, wins, gap);
        // The fit at the typical gap: 0.56 for a party that took office at the last election,
        // 0.31 after three wins.
        let typical = p.turnover_typical_gap;
        assert!((at(0, typical) - 0.560).abs() < 0.001 && (at(3, typical) - 0.311).abs() < 0.001);
        assert_eq!(
            at(3, 0.0),
            at(7, 0.0),
            "incumbency adds nothing beyond three wins"
        );
        assert!(at(0, 0.5) > at(0, 0.0) && at(0, -0.5) == at(0, 0.5));
        assert!(at(1, 0.0) < at(0, 0.0));
    }

    #[test]
    fn a_shift_moves_toward_the_public_by_at_most_its_size_and_the_gap() {
        let p = Params::default();
        assert_eq!(shift_jump(&p, -0.5, 0.5), p.shift_size);
        assert_eq!(shift_jump(&p, 0.5, -0.5), -p.shift_size);
        assert!((shift_jump(&p, 0.2, 0.3) - 0.1).abs() < 1e-12);
    }
}
