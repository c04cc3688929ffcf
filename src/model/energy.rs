//! Energy dependence: the Russian share of gas supply, made heavier by Russian ownership of
//! refineries, pipelines and storage. Moscow's energy spending (price discounts) builds it;
//! Western diversification (interconnectors, LNG terminals) erodes it after a lag of years.
//! Without either, it relaxes over the life of supply contracts to its base (MODEL.md 7.1).

use crate::scenario::State;

/// Moscow's energy spending (price discounts, stakes in pipelines and storage) reaches only
/// states that still buy Russian gas; elsewhere it buys nothing.
pub fn buyer(state: &State) -> bool {
    state.gas_share_russia > 0.0
}

pub fn initial(state: &State) -> f64 {
    state.gas_share_russia
}

/// Pull toward Moscow on the government.
#[inline]
pub fn pull(weight: f64, dependence: f64, russian_energy_assets: f64) -> f64 {
    weight * dependence * (1.0 + russian_energy_assets)
}
