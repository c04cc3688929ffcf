//! The explorer's sliders, generated from the two scenarios: every budget of every policy by
//! power and lever (in M EUR a year), and the first month of each of the variant's policies.
//! Each slider names its key path, unit, range and each scenario's default.

use crate::scenario::{Lever, Policy, Power, Scenario, YearMonth};
use serde::Serialize;

/// Which scenario a slider sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The baseline.
    Baseline,
    /// The variant.
    Variant,
}

/// One slider: a key path of one scenario and the numbers it may take.
#[derive(Clone, Debug, Serialize)]
pub struct Slider {
    /// Which scenario it sets.
    pub side: Side,
    /// The key path (`policy.eu.budget.aid`, `policy.eu.from`).
    pub path: String,
    /// What it is, for people ("EU: aid").
    pub label: String,
    /// The power whose policy it is (`EU`).
    pub power: String,
    /// The lever, or `from` for a policy's first month.
    pub lever: String,
    /// `M EUR a year`, or `month`.
    pub unit: &'static str,
    /// The range; for `month`, months after the scenario's start.
    pub min: f64,
    /// The range's end.
    pub max: f64,
    /// A slider's step.
    pub step: f64,
    /// The scenario's own value (for `month`, months after the start).
    pub default: f64,
    /// What the lever does (the lever table's words).
    pub meaning: String,
}

impl Slider {
    /// The value as a setting writes it: a number, or a month (`2027-11`) for `from`.
    pub fn setting_value(&self, value: f64, start: YearMonth) -> String {
        match self.unit {
            MONTH => start.plus(value as i64).to_string(),
            _ => crate::scenario::output_number(value),
        }
    }
}

const MEUR: &str = "M EUR a year";
const MONTH: &str = "month";

/// The sliders of a baseline and its variant: the baseline's policies, then the variant's.
pub fn sliders(baseline: &Scenario, variant: &Scenario) -> Vec<Slider> {
    let mut out = Vec::new();
    for (side, scenario) in [(Side::Baseline, baseline), (Side::Variant, variant)] {
        for policy in &scenario.policy {
            let Some(power) = scenario.power.iter().find(|p| p.code == policy.power) else {
                continue;
            };
            out.extend(budgets(side, policy, power, [baseline, variant]));
            if side == Side::Variant {
                out.push(first_month(policy, scenario));
            }
        }
    }
    out
}

/// A policy's budget sliders: each lever the policy or its power's status quo spends on.
fn budgets<'a>(
    side: Side,
    policy: &'a Policy,
    power: &'a Power,
    both: [&'a Scenario; 2],
) -> impl Iterator<Item = Slider> + 'a {
    Lever::ALL.into_iter().filter_map(move |lever| {
        let i = lever as usize;
        let status_quo = power.budget[i];
        let own = policy.budget[i]?;
        // The largest value either scenario gives, so that both sides share a range.
        let largest = both
            .iter()
            .filter_map(|s| s.policy.iter().find(|p| p.id == policy.id))
            .filter_map(|p| p.budget[i])
            .fold(own.max(status_quo), f64::max);
        let max = nice_ceiling((4.0 * largest).max(100.0));
        Some(Slider {
            side,
            path: format!("policy.{}.budget.{}", policy.id, lever.name()),
            label: format!("{}: {}", power.code, lever.name()),
            power: power.code.clone(),
            lever: lever.name().into(),
            unit: MEUR,
            min: 0.0,
            max,
            step: max / 200.0,
            default: own,
            meaning: lever.meaning().into(),
        })
    })
}

/// The variant's slider of a policy's first month.
fn first_month(policy: &Policy, scenario: &Scenario) -> Slider {
    let start = scenario.scenario.start;
    Slider {
        side: Side::Variant,
        path: format!("policy.{}.from", policy.id),
        label: format!("{}: policy starts", policy.power),
        power: policy.power.clone(),
        lever: "from".into(),
        unit: MONTH,
        min: 0.0,
        max: (scenario.scenario.months.saturating_sub(1)) as f64,
        step: 1.0,
        default: start.months_until(policy.from) as f64,
        meaning: format!(
            "the first month of the {} policy ({})",
            policy.power, policy.description
        ),
    }
}

/// The smallest of 1, 2 or 5 times a power of ten at or above `x`.
fn nice_ceiling(x: f64) -> f64 {
    let ten = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|k| k * ten)
        .find(|v| *v >= x)
        .unwrap_or(10.0 * ten)
}

#[cfg(test)]
mod tests {
    use super::nice_ceiling;

    #[test]
    fn ranges_end_on_round_numbers() {
        assert_eq!(nice_ceiling(100.0), 100.0);
        assert_eq!(nice_ceiling(120.0), 200.0);
        assert_eq!(nice_ceiling(6000.0), 10000.0);
        assert_eq!(nice_ceiling(4000.0), 5000.0);
    }
}
