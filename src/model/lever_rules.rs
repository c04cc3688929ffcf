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
    /// The lever this row is for.
    pub lever: Lever,
    /// The stock at the start, from the data (its base is then solved to hold the present);
    /// `None`: the stock starts at the status quo's steady state.
    pub from_data: Option<fn(&State) -> f64>,
    /// The level the stock relaxes to without spending, before the present is held.
    pub base: fn(&State) -> f64,
    /// Monthly decay toward the base, from the lever's `decay_months`.
    pub decay_per_month: fn(&State, f64) -> f64,
    /// Whether spending that builds the stock can land in state i this month; `None`: it
    /// lands everywhere.
    pub lands: Option<fn(&Model, &World, usize) -> bool>,
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
        lands: Some(arms::lands),
        pull: stocks::proportional,
    },
    Rules {
        lever: Lever::Energy,
        from_data: Some(energy::initial),
        base: none,
        decay_per_month: stocks::decay,
        lands: Some(energy::lands),
        pull: energy::pull,
    },
    plain(Lever::Information, information::pull),
    Rules {
        lever: Lever::Religion,
        from_data: Some(religion::initial),
        base: religion::initial,
        decay_per_month: stocks::decay,
        lands: Some(religion::lands),
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
        lands: None,
        pull,
    }
}

/// A stock that relaxes to nothing.
fn none(_: &State) -> f64 {
    0.0
}

impl Rules {
    /// Whether spending that builds the stock can land in state i this month.
    #[inline]
    pub fn lands(&self, model: &Model, world: &World, i: usize) -> bool {
        self.lands.is_none_or(|lands| lands(model, world, i))
    }
}

/// The levers that pull governments, and publics, in lever order (from the scenario's table).
const GOVERNMENT: [Lever; acting(Acts::Government).1] = first(acting(Acts::Government).0);
const PUBLIC: [Lever; acting(Acts::Public).1] = first(acting(Acts::Public).0);

/// The first N levers of `levers`.
const fn first<const N: usize>(levers: [Lever; L]) -> [Lever; N] {
    let mut out = [Lever::Arms; N];
    let mut k = 0;
    while k < N {
        out[k] = levers[k];
        k += 1;
    }
    out
}

/// The levers whose spending lands only where their rule says, in lever order.
pub const RESTRICTED: [Lever; restricted().1] = first(restricted().0);

/// The levers that act on `acts` (first in the array, in lever order) and how many they are.
const fn acting(acts: Acts) -> ([Lever; L], usize) {
    let mut keep = [false; L];
    let mut k = 0;
    while k < L {
        keep[k] = Lever::ALL[k].acts_on() as u8 == acts as u8;
        k += 1;
    }
    select(keep)
}

/// The levers with a `lands` rule, and how many they are.
const fn restricted() -> ([Lever; L], usize) {
    let mut keep = [false; L];
    let mut k = 0;
    while k < L {
        keep[k] = RULES[k].lands.is_some();
        k += 1;
    }
    select(keep)
}

/// The levers marked in `keep` (first in the array, in lever order) and how many they are.
const fn select(keep: [bool; L]) -> ([Lever; L], usize) {
    let mut out = [Lever::Arms; L];
    let (mut n, mut k) = (0, 0);
    while k < L {
        if keep[k] {
            out[n] = Lever::ALL[k];
            n += 1;
        }
        k += 1;
    }
    (out, n)
}

/// The levers' pulls on `acts` in state i, toward Moscow and toward the West, summed in lever
/// order. The lists and the table are constants, so the loop unrolls into direct calls.
#[inline(always)]
pub fn pulls(acts: Acts, model: &Model, stock: &Stocks, i: usize) -> (f64, f64) {
    let (mut moscow, mut west) = (0.0, 0.0);
    each_pull(acts, model, stock, i, |lever, pull| match lever.owner() {
        Pole::Moscow => moscow += pull,
        Pole::West => west += pull,
    });
    (moscow, west)
}

/// Each lever's pull on `acts` in state i, in lever order, handed to `f` (the terms
/// [`pulls`] sums, and what the channel accounting splits; docs/MODEL.md 7.3).
#[inline(always)]
pub fn each_pull(
    acts: Acts,
    model: &Model,
    stock: &Stocks,
    i: usize,
    mut f: impl FnMut(Lever, f64),
) {
    let levers: &[Lever] = match acts {
        Acts::Government => &GOVERNMENT,
        Acts::Public => &PUBLIC,
    };
    for &lever in levers {
        let k = lever as usize;
        f(
            lever,
            (RULES[k].pull)(model.levers[k].pull, stock[k][i], model, stock, i),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_lever_in_order() {
        for (k, rules) in RULES.iter().enumerate() {
            assert_eq!(rules.lever as usize, k, "{}", rules.lever.name());
        }
        let names = |l: &[Lever]| l.iter().map(|l| l.name()).collect::<Vec<_>>().join(" ");
        assert_eq!(
            names(&GOVERNMENT),
            "arms energy accession security coercion"
        );
        assert_eq!(names(&PUBLIC), "information religion aid");
        assert_eq!(names(&RESTRICTED), "arms energy religion");
    }
}
