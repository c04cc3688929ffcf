//! The arms of a comparison: the scenarios compiled, checked to share a horizon, each cell
//! matched to the baseline's and a subfolder named; and what is told about them before the
//! runs (a public of another kind, a start other than the baseline's, other priors).

use crate::error::{Error, Result};
use crate::experiments::driver::Compiled;
use crate::experiments::{Tell, Terminal};
use crate::scenario::{Scenario, Tree};

/// A scenario to compare: its label, its tree (when draws of its parameters may vary it) and
/// the scenario.
pub(crate) type Input = (String, Option<Tree>, Scenario);

/// One scenario of a comparison, compiled.
pub(crate) struct Arm {
    pub unit: Compiled,
    /// For each cell of this arm, the baseline's cell with the same unit and indicator.
    pub to_baseline: Vec<Option<usize>>,
    /// Its subfolder: the scenario's name (with `-2`, `-3`, … when names repeat).
    pub folder: String,
}

/// The scenarios compiled as arms (the first the baseline): same horizon, each cell matched to
/// the baseline's, a subfolder name each; and a note for each variant that does not start from
/// the baseline's world.
pub(super) fn arms(
    scenarios: Vec<Input>,
    terminal: &dyn Terminal,
) -> Result<(Vec<Arm>, Vec<String>)> {
    let mut arms: Vec<Arm> = Vec::new();
    let mut labels = Vec::new();
    for (label, tree, scenario) in scenarios {
        labels.push(label);
        arms.push(Arm {
            unit: match tree {
                Some(tree) => Compiled::with_tree(tree, scenario)?,
                None => Compiled::new(scenario)?,
            },
            to_baseline: Vec::new(),
            folder: String::new(),
        });
    }
    let start_notes = check_starts(&arms, &labels, terminal)?;
    match_and_name(&mut arms);
    Ok((arms, start_notes))
}

/// Refuses a variant whose horizon is not the baseline's; tells (and returns) a warning for each
/// variant whose public is of another kind than the baseline's, and a note for each that does
/// not start from the baseline's world.
fn check_starts(arms: &[Arm], labels: &[String], terminal: &dyn Terminal) -> Result<Vec<String>> {
    let base = &arms[0].unit;
    let (start, months) = (base.scenario.scenario.start, base.scenario.scenario.months);
    let mut start_notes = Vec::new();
    for (k, arm) in arms.iter().enumerate().skip(1) {
        let m = &arm.unit.scenario.scenario;
        if (m.start, m.months) != (start, months) {
            return Err(Error::Input(format!(
                "{}: runs {} months from {}, but the baseline runs {months} months from {start}; \
                 compared scenarios need the same horizon",
                labels[k], m.months, m.start
            )));
        }
        if let Some(warning) =
            public_differs(&labels[0], &base.scenario, &labels[k], &arm.unit.scenario)
        {
            terminal.tell(Tell::Warning, &warning);
            start_notes.push(warning);
        } else if let Some(how) = base.model.start_differs(&arm.unit.model) {
            let text = format!(
                "{} does not start from the baseline's world ({how}); if it should differ only in what powers do from the start, change their budgets with [[policy]] rather than [[power]] budget (docs/SCENARIOS.md)",
                labels[k]
            );
            terminal.tell(Tell::Note, &text);
            start_notes.push(text);
        }
    }
    Ok(start_notes)
}

/// Matches each arm's cells to the baseline's (same unit and indicator) and gives each arm a
/// subfolder of its own.
fn match_and_name(arms: &mut [Arm]) {
    let baseline_cells = arms[0].unit.layout.cells.clone();
    let mut used = std::collections::HashSet::new();
    for arm in arms {
        arm.to_baseline = arm
            .unit
            .layout
            .cells
            .iter()
            .map(|c| {
                baseline_cells
                    .iter()
                    .position(|b| b.unit == c.unit && b.indicator == c.indicator)
            })
            .collect();
        let mut folder = arm.unit.scenario.scenario.name.clone();
        let mut k = 2;
        while !used.insert(folder.clone()) {
            folder = format!("{}-{k}", arm.unit.scenario.scenario.name);
            k += 1;
        }
        arm.folder = folder;
    }
}

/// Warns when the compared scenarios put priors on different key paths: their draws then
/// differ in more than the policies.
pub(super) fn priors_differ(arms: &[Arm], terminal: &dyn Terminal) {
    for arm in &arms[1..] {
        if arm.unit.scenario.uncertain != arms[0].unit.scenario.uncertain {
            terminal.tell(
                Tell::Warning,
                &format!(
                    "{} and the baseline {} have different [[uncertain]] priors: their draws differ in more than what the scenarios do",
                    arm.unit.scenario.scenario.name, arms[0].unit.scenario.scenario.name
                ),
            );
        }
    }
}

/// A warning when one scenario has citizen agents and the other an aggregate public opinion:
/// their differences then mix what the policies do with what the two models of the public do.
fn public_differs(
    base_label: &str,
    base: &Scenario,
    label: &str,
    other: &Scenario,
) -> Option<String> {
    let public = |s: &Scenario| {
        let k = s.population.people_per_agent;
        if k > 0.0 {
            format!(
                "{:.0} citizen agents ([population] people_per_agent = {k})",
                s.citizens()
            )
        } else {
            "an aggregate public opinion ([population] people_per_agent = 0)".to_string()
        }
    };
    let (a, b) = (
        base.population.people_per_agent,
        other.population.people_per_agent,
    );
    ((a > 0.0) != (b > 0.0)).then(|| {
        format!(
            "{label} has {}, but the baseline {base_label} has {}: their differences mix what the scenarios do with two models of the public. Compare scenarios of one kind (for instance with --set population.people_per_agent=0 for both)",
            public(other),
            public(base)
        )
    })
}

/// (variant cell, baseline cell) pairs, in variant cell order.
pub(crate) fn matched(arm: &Arm) -> impl Iterator<Item = (usize, usize)> + '_ {
    arm.to_baseline
        .iter()
        .enumerate()
        .filter_map(|(c, b)| b.map(|b| (c, b)))
}
