//! Arms deals: dependence on Russian systems (share of the inventory of Russian origin).
//! Built by Moscow's arms spending (deliveries, drills); it fades as equipment ages, faster in
//! states that spend more on defence; the West's arms spending (sanctions threats against
//! buyers, Western offers) erodes it. Deliveries reach only states that buy Russian arms.

use super::{Model, World};
use crate::scenario::{State, Status};

/// Defence spending, as a ratio to the NATO guideline of 2 % of GDP, sets how fast the
/// inventory turns over; never below this floor.
const MIN_PROCUREMENT: f64 = 0.05;

/// Moscow's arms deliveries reach a state only if it buys Russian arms (a Russian share of its
/// inventory in SIPRI's data) and is not a NATO member; elsewhere the budget buys nothing.
#[inline]
pub fn lands(model: &Model, world: &World, i: usize) -> bool {
    model.arms_buyer[i] && world.nato[i] != Status::Member
}

/// Whether the data show Russian arms in the state's inventory.
pub fn buyer(state: &State) -> bool {
    state.arms_share_russia > 0.0
}

/// The arms stock at the start: the Russian share of arms imports.
pub fn initial(state: &State) -> f64 {
    state.arms_share_russia
}

/// Monthly decay of arms dependence: equipment life `decay_months`, shortened by procurement.
pub fn decay_per_month(state: &State, decay_months: f64) -> f64 {
    let procurement = (state.defence_gdp_pct / 2.0).max(MIN_PROCUREMENT);
    (super::stocks::decay_per_month(decay_months) * procurement).min(1.0)
}
