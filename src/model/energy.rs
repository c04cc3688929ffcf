//! Energy dependence: the Russian share of gas supply, made heavier by Russian ownership of
//! refineries, pipelines and storage. Moscow's energy spending (price discounts) builds it;
//! Western diversification (interconnectors, LNG terminals) erodes it after a lag of years.

use crate::scenario::State;

pub fn initial(state: &State) -> f64 {
    state.gas_share_russia
}

/// Pull toward Moscow on the government.
#[inline]
pub fn pull(weight: f64, dependence: f64, russian_energy_assets: f64) -> f64 {
    weight * dependence * (1.0 + russian_energy_assets)
}
