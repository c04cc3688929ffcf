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

use super::draws::Posterior;
use super::driver::{Compiled, Folder, Job};
use super::hindcast::{Check, RunItems, checks, run_items};
use super::{Ensemble, Label, write_resolved};
use crate::distributions::{normal_cdf, standard_normal};
use crate::engine::rng;
use crate::engine::step::Workspace;
use crate::error::{Error, Result};
use crate::output::manifest::{self, Experiment, Manifest};
use crate::output::{self, AtomicFile, columns};
use crate::scenario::OutcomeTest;
use rand::Rng;
use std::path::PathBuf;

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
    /// Write the output folder (the command line always does; tests may not).
    pub write: bool,
}

/// Defaults of the command line.
pub const DEFAULT_PARTICLES: usize = 1000;
/// Simulations a calibration may use, by default.
pub const DEFAULT_BUDGET: u64 = 100_000;
/// The share of particles a generation must move, by default.
pub const DEFAULT_MIN_ACCEPTANCE: f64 = 0.02;
/// A generation needs at least one particle in this many within its tolerance; a tolerance
/// that fewer particles meet would resample a handful of them into an overconfident posterior.
const MIN_ALIVE_SHARE_INVERSE: usize = 20;
/// Most particles a generation may have: 2^24, so that (generation, pass, particle) numbers a
/// run's stream uniquely.
const MAX_PARTICLES: usize = 100_000;
/// The next tolerance is this quantile of the last generation's distances.
const TOLERANCE_QUANTILE: f64 = 0.5;

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
    z: Vec<f64>,
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
    let scenario = &compiled.scenario;
    let compiled = &compiled;
    let name = &scenario.scenario.name;
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
    let checks = checks(compiled)?;
    let observed: Vec<bool> = targets
        .iter()
        .map(|&k| scenario.outcome[k].observed)
        .collect();
    let mut r = opts.ensemble.resolve(scenario)?;
    r.runs = opts.budget;
    let folder = match opts.write {
        true => Folder::New(format!("calibrate-{name}")),
        false => Folder::IfAsked(format!("calibrate-{name}")),
    };
    let label = Label {
        text: format!("calibrate {name}"),
        unit: "runs",
    };
    let job = Job::start(&opts.ensemble, &[compiled], &[], r, folder, label)?;
    let sampler = Sampler {
        compiled,
        checks: &checks,
        targets: &targets,
        observed: &observed,
        seed: r.seed,
        dims: scenario.uncertain.len(),
    };
    let n = opts.particles;
    let (mut particles, mut simulations) = sampler.prior_draws(&job, n)?;
    if particles.iter().all(|p| p.distance.is_infinite()) {
        let values: Vec<(String, f64)> = scenario
            .uncertain
            .iter()
            .map(|u| u.path.clone())
            .zip(sampler.values(&particles[0].z))
            .collect();
        return Err(compiled.with_values(&values).err().unwrap_or_else(|| {
            Error::Input("no draw of the priors makes a scenario that can run".into())
        }));
    }
    let mut generations = vec![Generation {
        epsilon: f64::INFINITY,
        simulations,
        accepted: n,
        alive: n,
        passes: 0,
    }];
    let mut epsilon = f64::INFINITY;
    let stopped = loop {
        let t = generations.len() as u64;
        if epsilon == 0.0 {
            break "the tolerance reached 0: the population is a sample of the exact posterior given the targets".into();
        }
        if simulations + n as u64 > opts.budget {
            break format!("the budget of {} simulations is used", opts.budget);
        }
        let next = next_tolerance(&particles, epsilon);
        let alive: Vec<Particle> = particles
            .iter()
            .filter(|p| p.distance <= next)
            .cloned()
            .collect();
        if alive.len() * MIN_ALIVE_SHARE_INVERSE < n {
            break format!(
                "only {} of {n} particles are within the next tolerance {next:.3}: the targets are not matched more closely; the posterior is at tolerance {epsilon:.3}",
                alive.len()
            );
        }
        let kernel = Kernel::new(&alive)?;
        let mut population = sampler.resample(&alive, t, n);
        // Moves until each particle has moved at least once with probability 1 − 1 % at the
        // first pass's acceptance rate (Drovandi & Pettitt 2011).
        let (mut used, mut accepted, mut passes) = (0u64, 0usize, 0u64);
        let mut wanted = 1;
        let mut short = false;
        while passes < wanted {
            if simulations + used + n as u64 > opts.budget {
                short = true;
                break;
            }
            let (moved, u, a) = sampler.moves(&job, t, passes, next, &population, &kernel)?;
            (population, used, accepted, passes) = (moved, used + u, accepted + a, passes + 1);
            if passes == 1 {
                let rate = a as f64 / n as f64;
                if rate < opts.min_acceptance {
                    break;
                }
                wanted = if rate >= 1.0 {
                    1
                } else {
                    ((0.01f64.ln() / (1.0 - rate).ln()).ceil() as u64).max(1)
                };
            }
        }
        simulations += used;
        let rate = accepted as f64 / (passes.max(1) * n as u64) as f64;
        generations.push(Generation {
            epsilon: next,
            simulations: used,
            accepted,
            alive: alive.len(),
            passes,
        });
        if short {
            break format!(
                "the budget of {} simulations ran out while generation {t} moved its particles; the posterior is the last complete generation's, at tolerance {epsilon:.3}",
                opts.budget
            );
        }
        if passes == 1 && rate < opts.min_acceptance {
            break format!(
                "generation {t} moved {:.1} % of its particles, under --min-acceptance {}; the posterior is the last complete generation's, at tolerance {epsilon:.3}",
                rate * 100.0,
                opts.min_acceptance
            );
        }
        (particles, epsilon) = (population, next);
    };
    let posterior = Posterior::new(
        scenario.uncertain.iter().map(|u| u.path.clone()).collect(),
        particles.iter().map(|p| sampler.values(&p.z)).collect(),
        vec![1.0; n],
    );
    let marginals = scenario
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
        .collect();
    let mut report = CalibrateReport {
        dir: job.dir.clone(),
        generations,
        posterior,
        marginals,
        simulations,
        wall_seconds: job.wall_seconds(),
        stopped,
    };
    if let Some(dir) = &job.dir {
        write_folder(dir, &job, compiled, &mut report, opts)?;
    }
    Ok(report)
}

/// What every proposal of a calibration shares.
struct Sampler<'a> {
    compiled: &'a Compiled,
    checks: &'a [Check],
    targets: &'a [usize],
    observed: &'a [bool],
    seed: u64,
    dims: usize,
}

/// A worker's buffers.
struct Worker {
    items: RunItems,
}

impl Sampler<'_> {
    /// The parameter values of a point in probit space.
    fn values(&self, z: &[f64]) -> Vec<f64> {
        self.compiled
            .scenario
            .uncertain
            .iter()
            .zip(z)
            .map(|(u, &z)| u.value(normal_cdf(z)))
            .collect()
    }

    /// The distance of the run at `z`: the share of target items it gets wrong (a yes/no item
    /// that differs, a continuous target more than two measurement errors away); infinite for a
    /// draw the scenario refuses.
    fn distance(&self, z: &[f64], run: u64, w: &mut Worker) -> Result<f64> {
        let values: Vec<(String, f64)> = self
            .compiled
            .scenario
            .uncertain
            .iter()
            .map(|u| u.path.clone())
            .zip(self.values(z))
            .collect();
        // A draw the scenario refuses (a present that cannot be held) has no prior mass:
        // it is never within a tolerance.
        let model = match self.compiled.with_values(&values) {
            Ok(model) => model,
            Err(Error::Input(_)) => return Ok(f64::INFINITY),
            Err(e) => return Err(e),
        };
        let mut ws = Workspace::new(&model, &self.compiled.layout);
        run_items(
            &model,
            &self.compiled.layout,
            self.checks,
            self.seed,
            run,
            &mut ws,
            &mut w.items,
        )?;
        let outcomes = &self.compiled.scenario.outcome;
        let wrong = self
            .targets
            .iter()
            .zip(self.observed)
            .filter(|&(&k, &o)| match outcomes[k].test {
                OutcomeTest::ValueAt { value, error, .. } => {
                    (w.items.at_by[k] - value).abs() > 2.0 * error
                }
                _ => w.items.holds[k] != o,
            })
            .count();
        Ok(wrong as f64 / self.targets.len() as f64)
    }

    /// Generation 0: `n` draws from the prior, each simulated once.
    fn prior_draws(&self, job: &Job, n: usize) -> Result<(Vec<Particle>, u64)> {
        let mut particles = Vec::with_capacity(n);
        job.run(
            n as u64,
            || Worker {
                items: RunItems::new(self.checks),
            },
            |w, block| -> Result<Vec<Particle>> {
                let mut out = Vec::new();
                for k in block {
                    let z = self.normals(&mut rng::proposal_stream(self.seed, 0, k));
                    let distance = self.distance(&z, k, w)?;
                    out.push(Particle { z, distance });
                }
                Ok(out)
            },
            |block| {
                particles.extend(block?);
                Ok(())
            },
        )?;
        Ok((particles, n as u64))
    }

    /// `n` particles drawn with replacement from `alive`, from generation `t`'s stream.
    fn resample(&self, alive: &[Particle], t: u64, n: usize) -> Vec<Particle> {
        let mut stream = rng::proposal_stream(self.seed, t, u64::MAX);
        (0..n)
            .map(|_| alive[(stream.next_u64() % alive.len() as u64) as usize].clone())
            .collect()
    }

    /// Pass `pass` of generation `t`: one Metropolis–Hastings move of every particle, leaving prior × [distance ≤ epsilon]
    /// invariant: a Gaussian step (symmetric), accepted with probability prior(z')/prior(z)
    /// (decided before simulating) and only if its run is within `epsilon`. Returns the
    /// particles, the simulations used and the moves accepted.
    fn moves(
        &self,
        job: &Job,
        t: u64,
        pass: u64,
        epsilon: f64,
        particles: &[Particle],
        kernel: &Kernel,
    ) -> Result<(Vec<Particle>, u64, usize)> {
        let mut moved = Vec::with_capacity(particles.len());
        let (mut used, mut accepted) = (0u64, 0usize);
        job.run(
            particles.len() as u64,
            || Worker {
                items: RunItems::new(self.checks),
            },
            |w, block| -> Result<Vec<(Particle, bool, bool)>> {
                let mut out = Vec::new();
                for k in block {
                    let p = &particles[k as usize];
                    let mut stream = rng::proposal_stream(self.seed, t << 20 | pass, k);
                    let z = kernel.perturb(&p.z, &self.normals(&mut stream));
                    let u = rng::open_unit(stream.next_u64());
                    let log_ratio = (norm2(&p.z) - norm2(&z)) / 2.0;
                    if u.ln() >= log_ratio {
                        out.push((p.clone(), false, false));
                        continue;
                    }
                    let distance = self.distance(&z, t << 44 | pass << 24 | k, w)?;
                    if distance <= epsilon {
                        out.push((Particle { z, distance }, true, true));
                    } else {
                        out.push((p.clone(), true, false));
                    }
                }
                Ok(out)
            },
            |block| {
                for (p, simulated, took) in block? {
                    used += u64::from(simulated);
                    accepted += usize::from(took);
                    moved.push(p);
                }
                Ok(())
            },
        )?;
        Ok((moved, used, accepted))
    }

    /// A standard normal for every dimension, from `stream`.
    fn normals(&self, stream: &mut rand_chacha::ChaCha8Rng) -> Vec<f64> {
        (0..self.dims)
            .map(|_| standard_normal(rng::open_unit(stream.next_u64())))
            .collect()
    }
}

/// |z|².
fn norm2(z: &[f64]) -> f64 {
    z.iter().map(|x| x * x).sum()
}

/// The Gaussian perturbation kernel: the weighted covariance of the last population times
/// min(2, 2.38²/d) — Beaumont et al.'s (2009) factor 2 in few dimensions, the optimal random-walk
/// scale 2.38²/d (Roberts & Rosenthal 2001) in many, where a wider kernel makes importance
/// weights degenerate — as its Cholesky factor.
struct Kernel {
    /// Lower-triangular factor L of the covariance, row by row.
    factor: Vec<Vec<f64>>,
}

impl Kernel {
    fn new(particles: &[Particle]) -> Result<Kernel> {
        let d = particles[0].z.len();
        let w = 1.0 / particles.len() as f64;
        let mut mean = vec![0.0; d];
        for p in particles {
            for j in 0..d {
                mean[j] += w * p.z[j];
            }
        }
        let scale = (2.38f64 * 2.38 / d as f64).min(2.0);
        let mut cov = vec![vec![0.0; d]; d];
        for p in particles {
            for a in 0..d {
                for b in 0..=a {
                    cov[a][b] += scale * w * (p.z[a] - mean[a]) * (p.z[b] - mean[b]);
                }
            }
        }
        // Cholesky, with a small ridge so that a collapsed dimension still moves.
        let mut factor = vec![vec![0.0; d]; d];
        for a in 0..d {
            for b in 0..=a {
                let mut sum = cov[a][b] + if a == b { 1e-6 } else { 0.0 };
                for k in 0..b {
                    sum -= factor[a][k] * factor[b][k];
                }
                if a == b {
                    if sum.is_nan() || sum <= 0.0 {
                        return Err(Error::Internal(
                            "the particles' covariance is not positive definite".into(),
                        ));
                    }
                    factor[a][a] = sum.sqrt();
                } else {
                    factor[a][b] = sum / factor[b][b];
                }
            }
        }
        Ok(Kernel { factor })
    }

    /// `z` moved by L·ξ.
    fn perturb(&self, z: &[f64], xi: &[f64]) -> Vec<f64> {
        (0..z.len())
            .map(|a| z[a] + (0..=a).map(|b| self.factor[a][b] * xi[b]).sum::<f64>())
            .collect()
    }
}

/// The next tolerance: the [`TOLERANCE_QUANTILE`] of the accepted distances, or, when that
/// does not lower it (distances are shares of outcomes, so they tie), the largest distance
/// below the current tolerance.
fn next_tolerance(accepted: &[Particle], epsilon: f64) -> f64 {
    let mut d: Vec<f64> = accepted.iter().map(|p| p.distance).collect();
    d.sort_by(f64::total_cmp);
    let q = d[((d.len() - 1) as f64 * TOLERANCE_QUANTILE) as usize];
    if q < epsilon {
        return q;
    }
    d.iter()
        .rev()
        .find(|&&x| x < epsilon)
        .copied()
        .unwrap_or(0.0)
}

/// posterior.csv, generations.csv, marginals.csv, the resolved scenario and the manifest.
fn write_folder(
    dir: &std::path::Path,
    job: &Job,
    compiled: &Compiled,
    report: &mut CalibrateReport,
    opts: &CalibrateOptions,
) -> Result<()> {
    let p = &report.posterior;
    p.write(dir)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(columns::GENERATIONS)?;
    for (t, g) in report.generations.iter().enumerate() {
        w.write_record([
            t.to_string(),
            if g.epsilon.is_finite() {
                output::number(g.epsilon)
            } else {
                "inf".into()
            },
            g.simulations.to_string(),
            g.accepted.to_string(),
            g.passes.to_string(),
            g.alive.to_string(),
        ])?;
    }
    AtomicFile::write(dir, "generations.csv", &w.into_inner()?)?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(columns::MARGINALS)?;
    for (path, m) in p.paths.iter().zip(&report.marginals) {
        let mut record = vec![path.clone()];
        record.extend(m.iter().map(|&v| output::number(v)));
        w.write_record(&record)?;
    }
    AtomicFile::write(dir, "marginals.csv", &w.into_inner()?)?;
    let sha = write_resolved(dir, &compiled.scenario)?;
    report.wall_seconds = job.wall_seconds();
    let scenario = &compiled.scenario;
    job.finish(Manifest::new(
        Experiment::Calibrate(manifest::Calibrate {
            scenario: scenario.scenario.name.clone(),
            scenario_sha256: sha,
            method: "ABC-SMC with an adaptive tolerance (the median distance) and Metropolis-Hastings moves (Del Moral, Doucet & Jasra 2012), in probit space; distance: the share of calibration items a run gets wrong (a yes/no item that differs, a continuous target more than two measurement errors away)".into(),
            particles: opts.particles,
            budget: opts.budget,
            simulations: report.simulations,
            generations: report.generations.len(),
            stopped: report.stopped.clone(),
            targets: scenario
                .outcome
                .iter()
                .filter(|o| !o.held_out)
                .map(|o| o.id.clone())
                .collect(),
            threads: job.resolved.threads,
            wall_seconds: report.wall_seconds,
        }),
        job.resolved.seed,
        report.simulations,
        &opts.ensemble.command_line,
        super::files(&[
            "posterior.csv",
            "generations.csv",
            "marginals.csv",
            "scenario.resolved.toml",
        ]),
    ))
}

/// The calibration as a table for the terminal: the generations, then each parameter's prior
/// and posterior.
pub fn table(report: &CalibrateReport) -> String {
    use std::fmt::Write;
    let mut out = String::from("generation  epsilon  simulations     moved  passes    alive\n");
    for (t, g) in report.generations.iter().enumerate() {
        let _ = writeln!(
            out,
            "{t:>10}  {:>7}  {:>11}  {:>8}  {:>6}  {:>7}",
            if g.epsilon.is_finite() {
                format!("{:.3}", g.epsilon)
            } else {
                "inf".into()
            },
            g.simulations,
            g.accepted,
            g.passes,
            g.alive
        );
    }
    let _ = writeln!(out, "stopped: {}\n", report.stopped);
    let width = report
        .posterior
        .paths
        .iter()
        .map(|p| p.len())
        .max()
        .unwrap_or(0);
    let _ = writeln!(
        out,
        "{:width$}  prior 5%..95% (median)          posterior 5%..95% (median)",
        "parameter"
    );
    for (path, m) in report.posterior.paths.iter().zip(&report.marginals) {
        let _ = writeln!(
            out,
            "{path:width$}  {:>9.4}..{:<9.4} ({:.4})   {:>9.4}..{:<9.4} ({:.4})",
            m[0], m[2], m[1], m[3], m[5], m[4]
        );
    }
    out
}
