//! Information operations: pressure of Russian-state media and influence campaigns. Moscow's
//! spending builds it, Western counter-disinformation erodes it, and it fades within months.
//! It moves public opinion (amplified by church ties, see `religion`) and inflames tension in
//! ethnically divided societies.

use super::{Model, Stocks, religion};
use crate::scenario::Lever;

/// Pull toward Moscow on public opinion: pressure times the reach of Russian media, amplified
/// by church ties.
#[inline]
pub fn pull(weight: f64, pressure: f64, model: &Model, stock: &Stocks, i: usize) -> f64 {
    let amplification = religion::amplification(
        model.params.church_amplification,
        model.orthodox_share[i],
        stock[Lever::Religion as usize][i],
    );
    weight * pressure * model.media_reach[i] * amplification
}

/// Grievance added per month: operations that "inflame ethnic tensions" work where groups are mixed.
#[inline]
pub fn tension(per_month: f64, pressure: f64, media_reach: f64, fractionalisation: f64) -> f64 {
    per_month * pressure * media_reach * fractionalisation
}

/// Ethnic fractionalisation 1 − Σ share², 0 for a state with one group or none listed.
pub fn fractionalisation(shares: impl Iterator<Item = f64>) -> f64 {
    let (sum, sum_sq) = shares.fold((0.0, 0.0), |(s, q), x| (s + x, q + x * x));
    if sum <= 0.0 {
        0.0
    } else {
        (1.0 - sum_sq).max(0.0)
    }
}
