//! Religious ties: the bond between a state's Orthodox church and the Moscow Patriarchate.
//! Moscow's religion spending (funding churches, visits) builds it; it relaxes back to the
//! state's baseline ties over decades. It pulls public opinion toward Moscow and amplifies
//! information operations.

use super::{Model, Stocks, World};
use crate::scenario::State;

/// Moscow's religion spending (funding churches, visits) reaches only states with Orthodox
/// believers; elsewhere it buys nothing.
#[inline]
pub fn lands(model: &Model, _: &World, i: usize) -> bool {
    model.orthodox_share[i] > 0.0
}

/// The religion stock at the start: church ties to the Moscow Patriarchate.
pub fn initial(state: &State) -> f64 {
    state.church_ties_moscow
}

/// R = 1 + ρ · orthodox_share · ties.
#[inline]
pub fn amplification(rho: f64, orthodox_share: f64, ties: f64) -> f64 {
    1.0 + rho * orthodox_share * ties
}

/// Pull toward Moscow on public opinion: the Orthodox share times the ties.
#[inline]
pub fn pull(weight: f64, ties: f64, model: &Model, _: &Stocks, i: usize) -> f64 {
    weight * model.orthodox_share[i] * ties
}
