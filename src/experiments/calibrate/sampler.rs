//! The particles simulated: each proposal's parameters from its own stream, its run, and its
//! distance to the calibration outcomes, on the job's workers in index order.

use super::super::draws::Posterior;
use super::super::driver::{Compiled, Job};
use super::super::hindcast::{Check, RunItems, run_items};
use super::Particle;
use super::kernel::Kernel;
use crate::distributions::{normal_cdf, standard_normal};
use crate::engine::rng;
use crate::engine::step::Workspace;
use crate::error::{Error, Result};
use crate::scenario::OutcomeTest;
use rand::Rng;

/// What every proposal of a calibration shares.
pub(super) struct Sampler<'a> {
    compiled: &'a Compiled,
    /// Every outcome, compiled against the model.
    checks: Vec<Check>,
    /// The calibration outcomes, by index.
    targets: Vec<usize>,
    /// Whether each target happened.
    observed: Vec<bool>,
    seed: u64,
    /// Dimensions of probit space: the priors.
    dims: usize,
}

/// A worker's buffers.
struct Worker {
    items: RunItems,
}

impl<'a> Sampler<'a> {
    /// The sampler of `compiled` against its outcomes `targets`, drawing from `seed`.
    pub fn new(
        compiled: &'a Compiled,
        checks: Vec<Check>,
        targets: Vec<usize>,
        seed: u64,
    ) -> Sampler<'a> {
        let scenario = &compiled.scenario;
        let observed = targets
            .iter()
            .map(|&k| scenario.outcome[k].observed)
            .collect();
        Sampler {
            compiled,
            checks,
            targets,
            observed,
            seed,
            dims: scenario.uncertain.len(),
        }
    }

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

    /// The parameter values of a point in probit space, with their key paths.
    fn named(&self, z: &[f64]) -> Vec<(String, f64)> {
        self.compiled
            .scenario
            .uncertain
            .iter()
            .map(|u| u.path.clone())
            .zip(self.values(z))
            .collect()
    }

    /// Why the scenario refuses the draw at `z`.
    pub fn refusal(&self, z: &[f64]) -> Error {
        self.compiled
            .with_values(&self.named(z))
            .err()
            .unwrap_or_else(|| {
                Error::Input("no draw of the priors makes a scenario that can run".into())
            })
    }

    /// The posterior of equally weighted `particles`.
    pub fn posterior(&self, particles: &[Particle]) -> Posterior {
        Posterior::new(
            self.compiled
                .scenario
                .uncertain
                .iter()
                .map(|u| u.path.clone())
                .collect(),
            particles.iter().map(|p| self.values(&p.z)).collect(),
            vec![1.0; particles.len()],
        )
    }

    /// The distance of the run at `z`: the share of target items it gets wrong (a yes/no item
    /// that differs, a continuous target more than two measurement errors away); infinite for a
    /// draw the scenario refuses.
    fn distance(&self, z: &[f64], run: u64, w: &mut Worker) -> Result<f64> {
        let values = self.named(z);
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
            &self.checks,
            self.seed,
            run,
            &mut ws,
            &mut w.items,
        )?;
        let outcomes = &self.compiled.scenario.outcome;
        let wrong = self
            .targets
            .iter()
            .zip(&self.observed)
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
    pub fn prior_draws(&self, job: &Job, n: usize) -> Result<(Vec<Particle>, u64)> {
        let mut particles = Vec::with_capacity(n);
        job.run(
            n as u64,
            || Worker {
                items: RunItems::new(&self.checks),
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
    pub fn resample(&self, alive: &[Particle], t: u64, n: usize) -> Vec<Particle> {
        let mut stream = rng::proposal_stream(self.seed, t, u64::MAX);
        (0..n)
            .map(|_| alive[(stream.next_u64() % alive.len() as u64) as usize].clone())
            .collect()
    }

    /// Pass `pass` of generation `t`: one Metropolis–Hastings move of every particle, leaving
    /// prior × [distance ≤ epsilon] invariant: a Gaussian step (symmetric), accepted with
    /// probability prior(z')/prior(z) (decided before simulating) and only if its run is within
    /// `epsilon`. Returns the particles, the simulations used and the moves accepted.
    pub fn moves(
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
                items: RunItems::new(&self.checks),
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
