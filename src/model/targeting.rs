//! How powers spread their budgets over states each month (docs/MODEL.md, "Targeting").
//! `fixed`: by the power's allocation (or by population); `adaptive`: where a euro moves the
//! most — susceptible, small states with room left on the lever — and more so near a threshold.
//! Coercion is spent only on triggered states, whatever the targeting.

use super::{L, Model, World, builds, coercion, lever_rules};
use crate::scenario::{Lever, Pole, Scenario, Targeting};

/// A power whose spending depends on the run's state (adaptive, or with a coercion budget).
#[derive(Clone, Debug)]
pub struct Spender {
    /// The pole it pulls toward.
    pub pole: Pole,
    /// Fixed or adaptive.
    pub targeting: Targeting,
    /// M EUR per month, by lever; for fixed powers only coercion is non-zero here.
    pub budget_per_month: [f64; L],
    /// Whether it spends in each state.
    pub in_targets: Vec<bool>,
    /// Fixed targeting: share of each budget by state.
    pub shares: Vec<f64>,
}

type PerLever = [Vec<f64>; L];

/// What the powers spend under one set of budgets: fixed spending that builds and erodes each
/// stock (M EUR per month), and the spenders whose spending depends on the run.
#[derive(Clone, Debug)]
pub struct Budgets {
    /// Fixed spending that builds each stock, by lever then state (M EUR per month).
    pub fixed_build: PerLever,
    /// Fixed spending that erodes each stock, by lever then state (M EUR per month).
    pub fixed_erode: PerLever,
    /// Powers whose spending depends on the run.
    pub spenders: Vec<Spender>,
}

/// The status quo (the powers' `budget`s, under which the present was reached) and the
/// budgets in force from each month a `[[policy]]` changes them.
#[derive(Clone, Debug)]
pub struct Schedule {
    /// The powers' `budget`s.
    pub status_quo: Budgets,
    /// (first month index, budgets from then on), by month.
    pub changes: Vec<(u32, Budgets)>,
}

impl Schedule {
    pub(super) fn compile(s: &Scenario, population: &[f64]) -> Schedule {
        let mut budgets: Vec<[f64; L]> = s.power.iter().map(|p| p.budget).collect();
        let status_quo = Budgets::compile(s, population, &budgets);
        let mut months: Vec<u32> = s
            .policy
            .iter()
            .map(|p| s.scenario.start.months_until(p.from).max(0) as u32)
            .collect();
        months.sort_unstable();
        months.dedup();
        let mut changes = Vec::with_capacity(months.len());
        for month in months {
            for policy in &s.policy {
                if s.scenario.start.months_until(policy.from).max(0) as u32 != month {
                    continue;
                }
                let Some(k) = s.power.iter().position(|p| p.code == policy.power) else {
                    continue; // validated: every policy names a power
                };
                for (b, new) in budgets[k].iter_mut().zip(policy.budget) {
                    if let Some(v) = new {
                        *b = v;
                    }
                }
            }
            changes.push((month, Budgets::compile(s, population, &budgets)));
        }
        Schedule {
            status_quo,
            changes,
        }
    }

    /// The budgets in force in month index `month` (0 = the start month).
    pub fn at(&self, month: u32) -> &Budgets {
        self.changes
            .iter()
            .rev()
            .find(|(from, _)| *from <= month)
            .map_or(&self.status_quo, |(_, b)| b)
    }
}

impl Budgets {
    /// Spending of the scenario's powers with `budgets[k]` (M EUR per year by lever) for power k.
    fn compile(s: &Scenario, population: &[f64], budgets: &[[f64; L]]) -> Budgets {
        let n = s.state.len();
        let mut build: PerLever = std::array::from_fn(|_| vec![0.0; n]);
        let mut erode: PerLever = std::array::from_fn(|_| vec![0.0; n]);
        let mut spenders = Vec::new();
        for (p, budget) in s.power.iter().zip(budgets) {
            let in_targets: Vec<bool> = s
                .state
                .iter()
                .map(|st| p.targets.is_empty() || p.targets.contains(&st.code))
                .collect();
            let shares: Vec<f64> = if p.allocation.is_empty() {
                let total: f64 = (0..n)
                    .filter(|&i| in_targets[i])
                    .map(|i| population[i])
                    .sum();
                (0..n)
                    .map(|i| {
                        if in_targets[i] {
                            population[i] / total
                        } else {
                            0.0
                        }
                    })
                    .collect()
            } else {
                s.state
                    .iter()
                    .map(|st| p.allocation.get(&st.code).copied().unwrap_or(0.0))
                    .collect()
            };
            let mut dynamic = [0.0; L];
            for lever in Lever::ALL {
                let per_month = budget[lever as usize] / 12.0;
                if per_month == 0.0 {
                    continue;
                }
                if p.targeting == Targeting::Adaptive || lever == Lever::Coercion {
                    dynamic[lever as usize] = per_month;
                    continue;
                }
                let into = if builds(lever, p.pole) {
                    &mut build
                } else {
                    &mut erode
                };
                for i in 0..n {
                    into[lever as usize][i] += per_month * shares[i];
                }
            }
            if dynamic.iter().any(|&b| b > 0.0) {
                spenders.push(Spender {
                    pole: p.pole,
                    targeting: p.targeting,
                    budget_per_month: dynamic,
                    in_targets,
                    shares,
                });
            }
        }
        Budgets {
            fixed_build: build,
            fixed_erode: erode,
            spenders,
        }
    }
}

/// Fills `world.spend_build` and `world.spend_erode` with this month's spending (before lags)
/// under the budgets in force.
pub fn spend(model: &Model, world: &mut World, month: u32) {
    spend_under(model, model.spending.at(month), world, month);
}

/// This month's spending under `budgets`; Moscow's arms, energy and church spending reach only
/// the states it can land in (`lever_rules::Rules::lands`).
pub fn spend_under(model: &Model, budgets: &Budgets, world: &mut World, month: u32) {
    for k in 0..L {
        world.spend_build[k].copy_from_slice(&budgets.fixed_build[k]);
        world.spend_erode[k].copy_from_slice(&budgets.fixed_erode[k]);
    }
    let p = &model.params;
    for sp in &budgets.spenders {
        for lever in Lever::ALL {
            let k = lever as usize;
            let budget = sp.budget_per_month[k];
            if budget == 0.0 {
                continue;
            }
            let builder = builds(lever, sp.pole);
            let mut total = 0.0;
            for i in 0..model.n {
                let eligible = sp.in_targets[i]
                    && (!builder || lever_rules::RULES[lever as usize].lands(model, world, i))
                    && (lever != Lever::Coercion
                        || coercion::triggered(
                            world.alignment[i],
                            world.alignment_window_ago(month, i),
                            p.coercion_trigger,
                            world.months_since_accession[i],
                        ));
                let score = match (eligible, sp.targeting) {
                    (false, _) => 0.0,
                    (true, Targeting::Fixed) => sp.shares[i],
                    (true, Targeting::Adaptive) => {
                        let x = world.stock[k][i];
                        let room = if builder { 1.0 - x } else { x };
                        let a = world.alignment[i];
                        let theta = p.leaning_threshold;
                        let distance = (a - theta).abs().min((a + theta).abs());
                        world.lambda[i] * room / model.inhabitants_millions[i]
                            * (1.0 + p.tip_boost * (-distance / p.tip_width).exp())
                    }
                };
                world.scores[i] = score;
                total += score;
            }
            if total <= 0.0 {
                continue;
            }
            let into = if builder {
                &mut world.spend_build[k]
            } else {
                &mut world.spend_erode[k]
            };
            for i in 0..model.n {
                into[i] += budget * world.scores[i] / total;
            }
        }
    }
    // Fixed spending was shared out before the run: what cannot land is lost.
    for lever in lever_rules::RESTRICTED {
        for i in 0..model.n {
            if !lever_rules::RULES[lever as usize].lands(model, world, i) {
                world.spend_build[lever as usize][i] = 0.0;
            }
        }
    }
}

/// Delays each lever's spending by its `lag_months`: what was spent `lag` months ago takes
/// effect now, and this month's spending waits (spending before the start counts as none).
pub fn apply_lags(model: &Model, world: &mut World, month: u32) {
    let n = model.n;
    for k in 0..L {
        let lag = model.levers[k].lag_months as usize;
        if lag == 0 {
            continue;
        }
        let slot = (month as usize % lag) * n;
        for i in 0..n {
            std::mem::swap(
                &mut world.lag_build[k][slot + i],
                &mut world.spend_build[k][i],
            );
            std::mem::swap(
                &mut world.lag_erode[k][slot + i],
                &mut world.spend_erode[k][i],
            );
        }
    }
}
