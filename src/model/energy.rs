//! Energy dependence: the Russian share of gas supply, made heavier by Russian ownership of
//! refineries, pipelines and storage. Moscow's energy spending (price discounts) builds it;
//! Western diversification (interconnectors, LNG terminals) erodes it after a lag of years.
//! Without either, it relaxes over the life of supply contracts to its base (MODEL.md 7.1).

use super::{Model, Stocks, World};
use crate::scenario::State;

/// Whether the state still buys Russian gas.
pub fn buyer(state: &State) -> bool {
    state.gas_share_russia > 0.0
}

/// Moscow's energy spending (price discounts, stakes in pipelines and storage) reaches only
/// states that still buy Russian gas; elsewhere it buys nothing.
#[inline]
pub fn lands(model: &Model, _: &World, i: usize) -> bool {
    model.gas_buyer[i]
}

/// The energy stock at the start: the Russian share of gas supply.
pub fn initial(state: &State) -> f64 {
    state.gas_share_russia
}

/// Pull toward Moscow on the government: dependence, heavier with Russian energy assets.
#[inline]
pub fn pull(weight: f64, dependence: f64, model: &Model, _: &Stocks, i: usize) -> f64 {
    weight * dependence * (1.0 + model.russian_energy_assets[i])
}
