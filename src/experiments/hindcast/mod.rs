//! `spheres hindcast`: runs a scenario that starts in the past and scores its `[[outcome]]`s
//! against what happened: yes/no outcomes with Brier scores, continuous targets (`value_at`)
//! with the CRPS and the coverage of predictive intervals, each beside its base rate and
//! persistence (docs/VALIDATION.md).
//!
//! `items.rs` reads each outcome from the runs, `scores.rs` scores them, `table.rs` prints the
//! result and `write.rs` writes the folder.

mod items;
mod scores;
mod table;
mod write;

use super::draws::Draws;
use super::driver::{Compiled, Folder, Job};
use super::{Ensemble, Label};
use crate::error::{Error, Result};
use crate::experiments::KeptMonths;
use crate::scenario::{Known, Scenario};
use scores::{crps_mean, mean, score_items, sets};
use std::path::PathBuf;

pub(super) use items::{Check, RunItems, checks, run_items};
pub use scores::{ContinuousScore, CrpsMean, DRESSING, Items, Mean, Score, Sets};
pub use table::table;

/// What `spheres hindcast` was asked to do; with `ensemble.out` it also writes a folder.
#[derive(Clone, Debug)]
pub struct HindcastOptions {
    /// A scenario file, or the name of a bundled scenario.
    pub scenario: String,
    /// Runs, seed, threads and `--out`.
    pub ensemble: Ensemble,
    /// Replay only the events known at the origin (`known = "origin"`), not those marked
    /// `known = "hindsight"`.
    pub known_only: bool,
}

/// What a finished hindcast found.
#[derive(Clone, Debug)]
pub struct HindcastReport {
    /// Runs of the scenario.
    pub runs: u64,
    /// The master seed.
    pub seed: u64,
    /// Each yes/no outcome's score, in file order.
    pub scores: Vec<Score>,
    /// Each continuous target's score, in file order.
    pub continuous: Vec<ContinuousScore>,
    /// Mean Brier scores per set.
    pub brier: Sets<Mean>,
    /// Mean CRPS per set.
    pub crps: Sets<CrpsMean>,
    /// Whether only the events known at the origin were replayed (`--known-only`).
    pub known_only: bool,
    /// Events left out as hindsight (with `--known-only`).
    pub left_out: Vec<String>,
    /// The output folder, when one was written.
    pub dir: Option<PathBuf>,
}

/// Runs the scenario's ensemble and scores its `[[outcome]]`s: yes/no outcomes by the Brier
/// score, continuous targets by the CRPS.
pub fn hindcast(opts: &HindcastOptions) -> Result<HindcastReport> {
    let (tree, mut scenario) = super::load_tree(
        &opts.scenario,
        &opts.ensemble.sets,
        opts.ensemble.terminal(),
    )?;
    if scenario.outcome.is_empty() {
        return Err(Error::Input(format!(
            "{}: has no [[outcome]] to score; a hindcast scenario lists what happened (docs/SCENARIOS.md)",
            opts.scenario
        )));
    }
    let left_out = if opts.known_only {
        known_only(&mut scenario)
    } else {
        Vec::new()
    };
    // The starts drawn from the nowcast (`start_from`), and any other prior, vary by draw.
    let mut r = opts.ensemble.resolve(&scenario)?;
    let draws = Draws::resolve(&opts.ensemble, &scenario, &mut r)?;
    let files = tree.files();
    let compiled = Compiled::with_tree(tree.without_events(&left_out), scenario)?;
    let name = compiled.scenario.scenario.name.clone();
    // The folder (with --out) is prepared before anything is simulated.
    let label = Label {
        text: format!("hindcast {name}"),
        unit: "runs",
    };
    let mut job = Job::start(
        &opts.ensemble,
        (&[&compiled], KeptMonths::All),
        &files,
        r,
        Folder::IfAsked(name),
        label,
    )?;
    let items = score_items(&mut job, &compiled, &draws)?;
    let report = HindcastReport {
        runs: r.runs,
        seed: r.seed,
        brier: sets(&items.binary, |s| s.held_out, |v| mean(v, r.seed)),
        crps: sets(&items.continuous, |s| s.held_out, |v| crps_mean(v, r.seed)),
        scores: items.binary,
        continuous: items.continuous,
        known_only: opts.known_only,
        left_out,
        dir: None,
    };
    match &job.dir {
        Some(dir) => write::write(&compiled.scenario, dir, &job, report),
        None => Ok(report),
    }
}

/// Removes the events and dated shocks known only with hindsight (with no dated shock left,
/// shocks are drawn); returns their ids.
fn known_only(scenario: &mut Scenario) -> Vec<String> {
    let (known, hindsight): (Vec<_>, Vec<_>) = std::mem::take(&mut scenario.event)
        .into_iter()
        .partition(|e| e.known == Known::Origin);
    scenario.event = known;
    let (known_shocks, hindsight_shocks): (Vec<_>, Vec<_>) = std::mem::take(&mut scenario.shock)
        .into_iter()
        .partition(|e| e.known == Known::Origin);
    scenario.shock = known_shocks;
    (hindsight.into_iter().map(|e| e.id))
        .chain(hindsight_shocks.into_iter().map(|e| e.id))
        .collect()
}
