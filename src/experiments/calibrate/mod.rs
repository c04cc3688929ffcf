//! `spheres calibrate`: approximate Bayesian computation of a scenario's priors
//! (`[[uncertain]]`) against what happened (its calibration `[[outcome]]`s), by ABC-SMC with an
//! adaptive tolerance and Metropolis–Hastings moves (Del Moral, Doucet & Jasra 2012): each
//! generation lowers the tolerance to the median distance, resamples the particles within it,
//! and moves each once. Equal weights throughout, so the population does not degenerate in
//! many dimensions as importance weights do. Parameters move in probit space, z = Φ⁻¹(F(θ)) for each prior F, where every
//! prior is a standard normal: the perturbation kernel never leaves the support and the prior
//! density needs no distribution's pdf. A particle is one run at its parameters; its distance
//! is the share of calibration outcomes the run gets wrong (0 = the run reproduces them all),
//! so at tolerance 0 the sampler is exact rejection ABC of the posterior given the outcomes.
//! Every proposal draws from its own stream of (seed, generation, index) and is accepted in
//! index order: the posterior is byte-identical for any thread count.
//!
//! `smc.rs` runs the generations, `sampler.rs` simulates the particles, `kernel.rs` is the
//! perturbation kernel and `write.rs` writes the folder and the table.

mod kernel;
mod sampler;
mod smc;
mod write;

use super::draws::Posterior;
use super::driver::{Compiled, Folder, Job};
use super::hindcast::checks;
use super::{Ensemble, Label};
use crate::error::{Error, Result};
use crate::experiments::KeptMonths;
use crate::scenario::Scenario;
use sampler::Sampler;
use smc::Smc;
use std::path::PathBuf;

pub use write::table;

/// What `spheres calibrate` was asked to do.
#[derive(Clone, Debug)]
pub struct CalibrateOptions {
    /// A scenario with `[[uncertain]]` priors and `[[outcome]]`s.
    pub scenario: String,
    /// Seed, threads, output folder (runs are not used: the budget is).
    pub ensemble: Ensemble,
    /// Particles per generation.
    pub particles: usize,
    /// Most simulations (runs) in all.
    pub budget: u64,
    /// Stop once a generation moves less than this share of its particles.
    pub min_acceptance: f64,
    /// Write a folder even without `--out` (the command line always does; tests may not).
    pub write: bool,
}

/// Particles a generation, by default.
pub const DEFAULT_PARTICLES: usize = 1000;
/// Simulations a calibration may use, by default.
pub const DEFAULT_BUDGET: u64 = 100_000;
/// The share of particles a generation must move, by default.
pub const DEFAULT_MIN_ACCEPTANCE: f64 = 0.02;
/// Most particles a generation may have (fewer than 2^24, so that (generation, pass,
/// particle) numbers a run's stream uniquely).
const MAX_PARTICLES: usize = 100_000;

/// One generation of the sampler.
#[derive(Clone, Debug, PartialEq)]
pub struct Generation {
    /// The tolerance: a particle's distance must be at most this.
    pub epsilon: f64,
    /// Runs simulated in this generation.
    pub simulations: u64,
    /// Particles moved (generation 0: drawn).
    pub accepted: usize,
    /// Particles within the tolerance before resampling (the population's effective size).
    pub alive: usize,
    /// Passes of moves over the population.
    pub passes: u64,
}

/// What a finished calibration found and wrote.
#[derive(Clone, Debug)]
pub struct CalibrateReport {
    /// The output folder, when one was written.
    pub dir: Option<PathBuf>,
    /// Every generation, the prior draws first.
    pub generations: Vec<Generation>,
    /// The last complete generation's particles.
    pub posterior: Posterior,
    /// Per key path: prior p05, p50, p95, then posterior p05, p50, p95.
    pub marginals: Vec<[f64; 6]>,
    /// Runs simulated in all.
    pub simulations: u64,
    /// Wall time of the calibration, seconds.
    pub wall_seconds: f64,
    /// Why the sampler stopped.
    pub stopped: String,
}

/// A particle: its place in probit space and its distance.
#[derive(Clone, Debug)]
struct Particle {
    /// Its parameters in probit space, one standard normal per prior.
    z: Vec<f64>,
    /// The share of calibration items its run gets wrong; infinite for a draw the scenario
    /// refuses.
    distance: f64,
}

/// Runs ABC-SMC on a scenario loaded by name, writing its folder.
pub fn calibrate(opts: &CalibrateOptions) -> Result<CalibrateReport> {
    let (tree, scenario) = super::load_tree(
        &opts.scenario,
        &opts.ensemble.sets,
        opts.ensemble.terminal(),
    )?;
    let compiled = Compiled::with_tree(tree, scenario)?;
    let targets = targets(opts, &compiled.scenario)?;
    let checks = checks(&compiled)?;
    let job = start(opts, &compiled)?;
    let sampler = Sampler::new(&compiled, checks, targets, job.spec.seed);
    let mut smc = Smc::start(&sampler, &job, opts)?;
    let stopped = smc.run()?;
    let posterior = sampler.posterior(&smc.particles);
    let marginals = marginals(&compiled.scenario, &posterior);
    let mut report = CalibrateReport {
        dir: job.dir.clone(),
        generations: smc.generations,
        posterior,
        marginals,
        simulations: smc.simulations,
        wall_seconds: job.wall_seconds(),
        stopped,
    };
    if let Some(dir) = &job.dir {
        write::write_folder(dir, &job, &compiled, &mut report, opts)?;
    }
    Ok(report)
}

/// The calibration outcomes (those not held out), by index; refused, before anything is
/// simulated, without priors or calibration outcomes, or with options out of range.
fn targets(opts: &CalibrateOptions, scenario: &Scenario) -> Result<Vec<usize>> {
    if scenario.uncertain.is_empty() {
        return Err(Error::Input(format!(
            "{}: has no [[uncertain]] priors to calibrate (docs/SCENARIOS.md, \"[[uncertain]]\")",
            opts.scenario
        )));
    }
    let targets: Vec<usize> = (0..scenario.outcome.len())
        .filter(|&k| !scenario.outcome[k].held_out)
        .collect();
    if targets.is_empty() {
        return Err(Error::Input(format!(
            "{}: has no calibration [[outcome]] (one not held_out) to calibrate against",
            opts.scenario
        )));
    }
    if opts.particles < 10 || opts.particles > MAX_PARTICLES {
        return Err(Error::Input(format!(
            "--particles {}: expected 10 to {MAX_PARTICLES} particles a generation",
            opts.particles
        )));
    }
    if opts.budget < opts.particles as u64 || opts.budget > 100_000_000 {
        return Err(Error::Input(format!(
            "--budget {}: expected at least one generation ({} simulations) and at most 100000000",
            opts.budget, opts.particles
        )));
    }
    if !(0.0..1.0).contains(&opts.min_acceptance) {
        return Err(Error::Input(format!(
            "--min-acceptance {}: expected a share in [0, 1)",
            opts.min_acceptance
        )));
    }
    Ok(targets)
}

/// The job: its runs are the budget; its folder (with `--out`, or always when `opts.write`)
/// is prepared before anything is simulated.
fn start<'a>(opts: &'a CalibrateOptions, compiled: &Compiled) -> Result<Job<'a>> {
    let name = &compiled.scenario.scenario.name;
    let mut r = opts.ensemble.resolve(&compiled.scenario)?;
    r.runs = opts.budget;
    let folder = match opts.write {
        true => Folder::New(format!("calibrate-{name}")),
        false => Folder::IfAsked(format!("calibrate-{name}")),
    };
    let label = Label {
        text: format!("calibrate {name}"),
        unit: "runs",
    };
    Job::start(
        &opts.ensemble,
        (&[compiled], KeptMonths::All),
        &[],
        r,
        folder,
        label,
    )
}

/// Per prior: its p05, p50 and p95, then the posterior's.
fn marginals(scenario: &Scenario, posterior: &Posterior) -> Vec<[f64; 6]> {
    scenario
        .uncertain
        .iter()
        .enumerate()
        .map(|(k, u)| {
            [
                u.value(0.05),
                u.value(0.5),
                u.value(0.95),
                posterior.quantile(k, 0.05),
                posterior.quantile(k, 0.5),
                posterior.quantile(k, 0.95),
            ]
        })
        .collect()
}
