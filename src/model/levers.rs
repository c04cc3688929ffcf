//! The model's side of the lever table (`scenario::Lever`): for each lever, where its stock
//! starts, the level it relaxes to and how fast, where the spending that builds it can land,
//! and the pull it exerts. One row per lever in `Lever::ALL` order; each row's functions live
//! in the lever's own file, and whom a pull acts on and toward which pole come from the
//! scenario's table (`Lever::acts_on`, `Lever::owner`).

use super::{
    L, Model, Stocks, World, arms, coercion, energy, information, religion, stocks, western,
};
use crate::scenario::{Acts, Lever, Pole, State};

/// The mechanics of one lever (docs/MODEL.md, 7.1).
#[derive(Clone, Copy)]
pub struct Rules {
    pub lever: Lever,
    /// The stock at the start, from the data (its base is then solved to hold the present);
    /// `None`: the stock starts at the status quo's steady state.
    pub from_data: Option<fn(&State) -> f64>,
    /// The level the stock relaxes to without spending, before the present is held.
    pub base: fn(&State) -> f64,
    /// Monthly decay toward the base, from the lever's `decay_months`.
    pub decay_per_month: fn(&State, f64) -> f64,
    /// Whether spending that builds the stock can land in state i this month.
    pub lands: fn(&Model, &World, usize) -> bool,
    /// The pull of the stock, given the lever's `pull` weight and the state's own stock.
    pub pull: Pull,
}

/// A lever's pull: (weight, the state's own stock, model, every stock, state) → pull.
pub type Pull = fn(f64, f64, &Model, &Stocks, usize) -> f64;

/// One row per lever, in `Lever::ALL` order.
pub const RULES: [Rules; L] = [
    Rules {
        lever: Lever::Arms,
        from_data: Some(arms::initial),
        base: none,
        decay_per_month: arms::decay_per_month,
        lands: arms::lands,
        pull: stocks::proportional,
    },
    Rules {
        lever: Lever::Energy,
        from_data: Some(energy::initial),
        base: none,
        decay_per_month: stocks::decay,
        lands: energy::lands,
        pull: energy::pull,
    },
    plain(Lever::Information, information::pull),
    Rules {
        lever: Lever::Religion,
        from_data: Some(religion::initial),
        base: religion::initial,
        decay_per_month: stocks::decay,
        lands: religion::lands,
        pull: religion::pull,
    },
    plain(Lever::Accession, western::pull),
    plain(Lever::Aid, western::pull),
    plain(Lever::Security, western::pull),
    plain(Lever::Coercion, coercion::pull),
];

/// A lever whose stock starts at the status quo's steady state, relaxes to nothing at the same
/// pace everywhere and can be built anywhere: only its pull is its own.
const fn plain(lever: Lever, pull: Pull) -> Rules {
    Rules {
        lever,
        from_data: None,
        base: none,
        decay_per_month: stocks::decay,
        lands: anywhere,
        pull,
    }
}

/// A stock that relaxes to nothing.
fn none(_: &State) -> f64 {
    0.0
}

/// Spending that lands in every state.
fn anywhere(_: &Model, _: &World, _: usize) -> bool {
    true
}

/// The levers' pulls on `acts` in state i, toward Moscow and toward the West, summed in lever
/// order.
#[inline]
pub fn pulls(acts: Acts, model: &Model, stock: &Stocks, i: usize) -> (f64, f64) {
    let (mut moscow, mut west) = (0.0, 0.0);
    for rules in &RULES {
        let lever = rules.lever;
        if lever.acts_on() != acts {
            continue;
        }
        let k = lever as usize;
        let pull = (rules.pull)(model.levers[k].pull, stock[k][i], model, stock, i);
        match lever.owner() {
            Pole::Moscow => moscow += pull,
            Pole::West => west += pull,
        }
    }
    (moscow, west)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_lever_in_order() {
        for (k, rules) in RULES.iter().enumerate() {
            assert_eq!(rules.lever as usize, k, "{}", rules.lever.name());
        }
    }
}
