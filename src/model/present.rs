//! The present as the model's fixed point (docs/MODEL.md, section 5). Under the status quo —
//! the powers' `budget`s, the spending that brought the region to its start month — every
//! stock starts at its steady state and its spending pipeline is full, so that a scenario's
//! `[[policy]]` changes act from their month on and every variant starts from the same world.
//! With `hold_present`, two kinds of intercept make the data's start month the noise-free
//! fixed point: the bases of the stocks whose start comes from data (arms, energy, religion)
//! and each government's and public's domestic pull.

use super::alignment::{self, Pulls};
use super::{Model, World, lever_rules, opinion, stocks, targeting};
use crate::error::{Error, Result};
use crate::scenario::{Lever, Scenario};

/// Stocks, lag pipelines and domestic pulls of the status quo, written into `model`.
pub(super) fn solve(model: &mut Model, s: &Scenario) -> Result<()> {
    // A state-level world: its citizens (millions of them, perhaps) are not needed here.
    let layer = model.citizen_layout.take();
    let mut world = World::new(model);
    model.citizen_layout = layer;
    status_quo_stocks(model, s, &mut world);
    hold_bases(model, s, &world)?;
    if s.scenario.hold_present {
        domestic_pulls(model, s, &mut world)?;
    }
    Ok(())
}

/// The status quo's spending and the stocks it holds, into `world`: the stocks taken from the
/// data at their start, every other at its steady state under that spending.
fn status_quo_stocks(model: &Model, s: &Scenario, world: &mut World) {
    for (i, st) in s.state.iter().enumerate() {
        for rules in &lever_rules::RULES {
            if let Some(initial) = rules.from_data {
                world.stock[rules.lever as usize][i] = initial(st);
            }
        }
    }
    // Adaptive powers spend by the room left on each stock, so the status quo's spending and
    // the stocks it holds are found together: spend, move every stock not taken from the data
    // to its steady state, and again, until nothing changes.
    for _ in 0..MAX_ITERATIONS {
        targeting::spend_under(model, &model.spending.status_quo, world, 0);
        let mut change = 0.0f64;
        for lever in Lever::ALL.into_iter().filter(|&l| !from_data(l)) {
            let k = lever as usize;
            let lp = model.levers[k];
            for i in 0..model.n {
                let pm = model.inhabitants_millions[i];
                let build =
                    stocks::saturation(world.spend_build[k][i], lp.cost_meur_per_million, pm);
                let erode =
                    stocks::saturation(world.spend_erode[k][i], lp.cost_meur_per_million, pm);
                let x = stocks::steady_state(
                    model.stock_base[k][i],
                    model.stock_decay[k][i],
                    lp.rate_per_month,
                    build,
                    erode,
                );
                change = change.max((x - world.stock[k][i]).abs());
                world.stock[k][i] = x;
            }
        }
        if change < 1e-12 {
            break;
        }
    }
}

/// Each stock's base and start under the status quo in `world` (with `hold_present`, the bases
/// of the stocks taken from the data are solved to hold their start), and the lag pipelines
/// full of the status quo's spending.
fn hold_bases(model: &mut Model, s: &Scenario, world: &World) -> Result<()> {
    let hold = s.scenario.hold_present;
    for lever in Lever::ALL {
        let k = lever as usize;
        let lp = model.levers[k];
        let from_data = from_data(lever);
        for i in 0..model.n {
            let pm = model.inhabitants_millions[i];
            let build = stocks::saturation(world.spend_build[k][i], lp.cost_meur_per_million, pm);
            let erode = stocks::saturation(world.spend_erode[k][i], lp.cost_meur_per_million, pm);
            let decay = model.stock_decay[k][i];
            let (base, start) = if from_data && hold {
                let x0 = world.stock[k][i];
                let base =
                    holding_base(x0, decay, lp.rate_per_month, build, erode).ok_or_else(|| {
                        let reach = [0.0, MAX_BASE].map(|b| {
                            stocks::steady_state(b, decay, lp.rate_per_month, build, erode)
                        });
                        unheld_stock(s, i, lever, x0, decay, reach)
                    })?;
                (base, x0)
            } else if from_data {
                (model.stock_base[k][i], world.stock[k][i])
            } else {
                let base = model.stock_base[k][i];
                let x = stocks::steady_state(base, decay, lp.rate_per_month, build, erode);
                (base, x)
            };
            model.stock_base[k][i] = base;
            model.initial.stock[k][i] = start;
        }
        let lag = lp.lag_months as usize;
        model.initial.lag_build[k] = world.spend_build[k].repeat(lag);
        model.initial.lag_erode[k] = world.spend_erode[k].repeat(lag);
    }
    Ok(())
}

/// The domestic pulls holding every public (without citizens) and every government at its
/// start, with every state at its start: alignment, opinion and stocks as the data say.
fn domestic_pulls(model: &mut Model, s: &Scenario, world: &mut World) -> Result<()> {
    let n = model.n;
    world.reset_to(&model.initial);
    opinion::public_pulls(model, world);
    let mut public_domestic = vec![0.0; n];
    // With citizens, each citizen holds itself (7.10); the aggregate public is not used.
    for i in (0..n).filter(|_| model.citizen_layout.is_none()) {
        let public = opinion::pulls(model, world, i);
        let start = model.initial.opinion[i];
        public_domestic[i] =
            holding(public, start).ok_or_else(|| unheld(s, i, "public_opinion", start))?;
    }
    // With citizens, each government hears its citizens' mean (they hold themselves: 7.10).
    if let Some(pop) = &model.citizen_layout {
        for i in 0..n {
            world.opinion[i] = pop.start_opinion(i);
        }
    }
    let mut domestic = vec![0.0; n];
    for i in 0..n {
        if model.explicit[i].is_none() && model.initial.lambda[i] > 0.0 {
            let government = alignment::pulls(model, world, i);
            let start = model.initial.alignment[i];
            domestic[i] =
                holding(government, start).ok_or_else(|| unheld(s, i, "alignment", start))?;
        }
    }
    model.domestic = domestic;
    model.public_domestic = public_domestic;
    Ok(())
}

/// Rounds of the status quo's spending and stocks; fixed targeting needs one, adaptive a few.
const MAX_ITERATIONS: usize = 200;

/// Whether a lever's stock starts from the data (its base is then solved) rather than at its
/// steady state.
fn from_data(lever: Lever) -> bool {
    lever_rules::RULES[lever as usize].from_data.is_some()
}

/// The domestic pull holding `target`, computed with no domestic pull of its own.
fn holding(p: Pulls, target: f64) -> Option<f64> {
    alignment::holding_pull(Pulls { domestic: 0.0, ..p }, target)
}

/// Highest base a held stock may have. A base above 1 is an intercept, not a level: the
/// structural pressure toward dependence that the status quo's erosion offsets (a state at
/// 100 % Russian gas that Western diversification erodes); the stock itself stays in [0, 1].
pub const MAX_BASE: f64 = 2.0;

/// The base X_b at which `x0` is the stock's steady state under constant spending:
/// X_b·d = x0·(d + r·(b + e)) − r·b; `None` if it falls outside [0, MAX_BASE] (spending that
/// builds more than the data show, or erosion no base can offset), or if d = 0 and x0 is not
/// already the steady state.
pub fn holding_base(x0: f64, decay: f64, rate: f64, build: f64, erode: f64) -> Option<f64> {
    const SLACK: f64 = 1e-9;
    let net = x0 * (decay + rate * (build + erode)) - rate * build;
    if decay == 0.0 {
        return (net.abs() < SLACK).then_some(x0);
    }
    let base = net / decay;
    (-SLACK..=MAX_BASE).contains(&base).then(|| base.max(0.0))
}

fn unheld_stock(
    s: &Scenario,
    i: usize,
    lever: Lever,
    x0: f64,
    decay: f64,
    reach: [f64; 2],
) -> Error {
    let st = &s.state[i];
    let why = if decay == 0.0 {
        format!(
            "[lever.{0}] decay_months = 0, so nothing holds it where the status-quo spending does not: give [lever.{0}] a decay_months > 0",
            lever.name()
        )
    } else {
        format!(
            "the powers' status-quo spending holds it between {:.3} and {:.3} whatever its base (0 to {MAX_BASE}): lower the budget that {} it, or the lever's rate_per_month, or check the data",
            reach[0],
            reach[1],
            if x0 < reach[0] { "builds" } else { "erodes" }
        )
    };
    Error::Input(format!(
        "state {} ({}): the present cannot be held: its {} stock starts at {x0}, but {why}; or set [scenario] hold_present = false",
        st.code,
        st.name,
        lever.name()
    ))
}

fn unheld(s: &Scenario, i: usize, what: &str, value: f64) -> Error {
    let st = &s.state[i];
    Error::Input(format!(
        "state {} ({}): the present cannot be held: {what} = {value} sits at a pole that its pulls move away from; move it inside (-1, 1) or set [scenario] hold_present = false",
        st.code, st.name
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_holding_base_makes_the_start_a_steady_state() {
        let (x0, d, r, b, e) = (0.48, 1.0 / 144.0, 0.02, 0.17, 0.04);
        let base = holding_base(x0, d, r, b, e).unwrap();
        assert!((stocks::steady_state(base, d, r, b, e) - x0).abs() < 1e-12);
        assert!((stocks::step(x0, base, d, r, b, e) - x0).abs() < 1e-12);
    }

    #[test]
    fn a_start_no_base_can_hold_is_refused() {
        // Strong building spending and slow decay: even a base of 0 leaves the stock above 0.1.
        assert_eq!(holding_base(0.1, 0.01, 0.1, 0.9, 0.0), None);
        // A stock at its cap that erosion wears: held by a base above 1, up to MAX_BASE.
        let base = holding_base(1.0, 0.01, 0.05, 0.0, 0.1).unwrap();
        assert!((base - 1.5).abs() < 1e-12);
        assert!((stocks::step(1.0, base, 0.01, 0.05, 0.0, 0.1) - 1.0).abs() < 1e-12);
        assert_eq!(holding_base(1.0, 0.01, 0.5, 0.0, 0.1), None);
        // No decay: held only if the spending already holds it.
        assert_eq!(holding_base(0.5, 0.0, 0.1, 0.3, 0.3), Some(0.5));
        assert_eq!(holding_base(0.5, 0.0, 0.1, 0.3, 0.1), None);
    }
}
