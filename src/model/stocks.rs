//! The stock equation every lever shares (docs/MODEL.md, "Lever stocks"):
//!
//! X(t+1) = clamp(X + (X_base − X)·d + r·[(1 − X)·φ(b) − X·φ(e)], 0, 1),
//! φ(s) = 1 − exp(−s / (c · inhabitants_millions)),
//!
//! with d = 1/τ the monthly decay, r the rate, b the spending that builds the stock and e the
//! spending that erodes it (M EUR per month).

use super::{Model, Stocks, World};
use crate::scenario::State;

/// Share of the rate that `spend_meur_per_month` buys in a state of `inhabitants_millions`.
#[inline]
pub fn saturation(
    spend_meur_per_month: f64,
    cost_meur_per_million: f64,
    inhabitants_millions: f64,
) -> f64 {
    debug_assert!(spend_meur_per_month >= 0.0);
    if spend_meur_per_month == 0.0 {
        return 0.0;
    }
    1.0 - (-spend_meur_per_month / (cost_meur_per_million * inhabitants_millions)).exp()
}

/// One month of a stock.
#[inline]
pub fn step(x: f64, base: f64, decay_per_month: f64, rate: f64, build: f64, erode: f64) -> f64 {
    let next = x + (base - x) * decay_per_month + rate * ((1.0 - x) * build - x * erode);
    next.clamp(0.0, 1.0)
}

/// The level at which [`step`] leaves a stock unchanged under constant spending.
pub fn steady_state(base: f64, decay_per_month: f64, rate: f64, build: f64, erode: f64) -> f64 {
    let denominator = decay_per_month + rate * (build + erode);
    if denominator <= 0.0 {
        return base;
    }
    ((base * decay_per_month + rate * build) / denominator).clamp(0.0, 1.0)
}

/// Monthly decay for a time constant in months (0 means the stock never decays).
pub fn decay_per_month(decay_months: f64) -> f64 {
    if decay_months > 0.0 {
        (1.0 / decay_months).min(1.0)
    } else {
        0.0
    }
}

/// Monthly decay of a lever whose stock decays alike everywhere (`levers::Rules`).
pub fn decay(_: &State, decay_months: f64) -> f64 {
    decay_per_month(decay_months)
}

/// The pull of a stock: weight × stock (`levers::Rules`).
#[inline]
pub fn proportional(weight: f64, stock: f64, _: &Model, _: &Stocks, _: usize) -> f64 {
    weight * stock
}

/// One month of every lever's stock in every state, from this month's (lagged) spending.
pub fn update_all(model: &Model, world: &mut World) {
    for (k, lever) in model.levers.iter().enumerate() {
        let cost = lever.cost_meur_per_million;
        let states = world.stock[k]
            .iter_mut()
            .zip(&model.stock_base[k])
            .zip(&model.stock_decay[k])
            .zip(&model.inhabitants_millions)
            .zip(world.spend_build[k].iter().zip(&mut world.build_memo[k]))
            .zip(world.spend_erode[k].iter().zip(&mut world.erode_memo[k]));
        for (((((x, &base), &decay), &pm), (&b, b_memo)), (&e, e_memo)) in states {
            let build = remembered(b_memo, b, cost, pm);
            let erode = remembered(e_memo, e, cost, pm);
            *x = step(*x, base, decay, lever.rate_per_month, build, erode);
        }
    }
}

/// [`saturation`] of `spend`, recomputed only when the spending differs from last month's
/// (most spending is the same every month). `memo` holds (spend, saturation).
#[inline]
fn remembered(memo: &mut (f64, f64), spend: f64, cost: f64, inhabitants_millions: f64) -> f64 {
    if memo.0 != spend {
        *memo = (spend, saturation(spend, cost, inhabitants_millions));
    }
    memo.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steady_state_is_a_fixed_point() {
        let (base, d, r, b, e) = (0.2, 1.0 / 12.0, 0.05, 0.7, 0.3);
        let x = steady_state(base, d, r, b, e);
        assert!((step(x, base, d, r, b, e) - x).abs() < 1e-15);
    }

    #[test]
    fn stock_stays_a_share() {
        assert_eq!(step(0.99, 1.0, 1.0, 1.0, 1.0, 0.0), 1.0);
        assert_eq!(step(0.01, 0.0, 1.0, 1.0, 0.0, 1.0), 0.0);
    }

    #[test]
    fn spending_saturates() {
        assert_eq!(saturation(0.0, 1.0, 1.0), 0.0);
        assert!((saturation(1.0, 1.0, 1.0) - (1.0 - (-1.0f64).exp())).abs() < 1e-15);
        assert!(saturation(1e9, 1.0, 1.0) <= 1.0);
    }
}
