//! Arms deals: dependence on Russian systems (share of the inventory of Russian origin).
//! Built by Moscow's arms spending (deliveries, drills); it fades as equipment ages, faster in
//! states that spend more on defence; the West's arms spending (sanctions threats against
//! buyers, Western offers) erodes it.

use crate::scenario::State;

/// Defence spending, as a ratio to the NATO guideline of 2 % of GDP, sets how fast the
/// inventory turns over; never below this floor.
const MIN_PROCUREMENT: f64 = 0.05;

pub fn initial(state: &State) -> f64 {
    state.arms_share_russia
}

/// Monthly decay of arms dependence: equipment life `decay_months`, shortened by procurement.
pub fn decay_per_month(state: &State, decay_months: f64) -> f64 {
    let procurement = (state.defence_gdp_pct / 2.0).max(MIN_PROCUREMENT);
    (super::stocks::decay_per_month(decay_months) * procurement).min(1.0)
}

/// Pull toward Moscow on the government.
#[inline]
pub fn pull(weight: f64, dependence: f64) -> f64 {
    weight * dependence
}
