//! The generations of ABC-SMC: each lowers the tolerance, resamples the particles within it and
//! moves them, until a stopping rule says why the sampler stops.

use super::super::driver::Job;
use super::kernel::Kernel;
use super::sampler::Sampler;
use super::{CalibrateOptions, Generation, Particle};
use crate::error::Result;

/// A generation needs at least one particle in this many within its tolerance; a tolerance
/// that fewer particles meet would resample a handful of them into an overconfident posterior.
const MIN_ALIVE_SHARE_INVERSE: usize = 20;
/// The next tolerance is this quantile of the last generation's distances.
const TOLERANCE_QUANTILE: f64 = 0.5;

/// The sampler between generations: the last complete generation's particles and tolerance,
/// the simulations used and the generations so far.
pub(super) struct Smc<'a> {
    sampler: &'a Sampler<'a>,
    job: &'a Job<'a>,
    opts: &'a CalibrateOptions,
    /// The last complete generation's particles.
    pub particles: Vec<Particle>,
    /// Their tolerance.
    epsilon: f64,
    /// Runs simulated in all.
    pub simulations: u64,
    /// Every generation, the prior draws first.
    pub generations: Vec<Generation>,
}

/// The passes of moves of one generation.
struct Moved {
    /// The particles after the last pass.
    population: Vec<Particle>,
    /// Simulations used.
    used: u64,
    /// Moves accepted.
    accepted: usize,
    /// Passes made.
    passes: u64,
    /// Whether the budget ran out before the passes wanted were made.
    short: bool,
}

impl<'a> Smc<'a> {
    /// Generation 0: draws from the prior; refused when the scenario refuses every draw.
    pub fn start(
        sampler: &'a Sampler<'a>,
        job: &'a Job<'a>,
        opts: &'a CalibrateOptions,
    ) -> Result<Smc<'a>> {
        let n = opts.particles;
        let (particles, simulations) = sampler.prior_draws(job, n)?;
        if particles.iter().all(|p| p.distance.is_infinite()) {
            return Err(sampler.refusal(&particles[0].z));
        }
        Ok(Smc {
            sampler,
            job,
            opts,
            particles,
            epsilon: f64::INFINITY,
            simulations,
            generations: vec![Generation {
                epsilon: f64::INFINITY,
                simulations,
                accepted: n,
                alive: n,
                passes: 0,
            }],
        })
    }

    /// Runs generations until one says why the sampler stops.
    pub fn run(&mut self) -> Result<String> {
        loop {
            if let Some(stopped) = self.generation()? {
                return Ok(stopped);
            }
        }
    }

    /// The next generation: the tolerance lowered, the particles within it resampled and
    /// moved. Returns why the sampler stops, if it does; the particles and tolerance change
    /// only when the generation completes.
    fn generation(&mut self) -> Result<Option<String>> {
        let (n, budget) = (self.opts.particles, self.opts.budget);
        let (t, epsilon) = (self.generations.len() as u64, self.epsilon);
        if epsilon == 0.0 {
            return Ok(Some("the tolerance reached 0: the population is a sample of the exact posterior given the targets".into()));
        }
        if self.simulations + n as u64 > budget {
            return Ok(Some(format!("the budget of {budget} simulations is used")));
        }
        let next = next_tolerance(&self.particles, epsilon);
        let alive: Vec<Particle> = self
            .particles
            .iter()
            .filter(|p| p.distance <= next)
            .cloned()
            .collect();
        if alive.len() * MIN_ALIVE_SHARE_INVERSE < n {
            return Ok(Some(format!(
                "only {} of {n} particles are within the next tolerance {next:.3}: the targets are not matched more closely; the posterior is at tolerance {epsilon:.3}",
                alive.len()
            )));
        }
        let kernel = Kernel::new(&alive)?;
        let population = self.sampler.resample(&alive, t, n);
        let moved = self.move_passes(t, next, population, &kernel)?;
        self.simulations += moved.used;
        let rate = moved.accepted as f64 / (moved.passes.max(1) * n as u64) as f64;
        self.generations.push(Generation {
            epsilon: next,
            simulations: moved.used,
            accepted: moved.accepted,
            alive: alive.len(),
            passes: moved.passes,
        });
        if moved.short {
            return Ok(Some(format!(
                "the budget of {budget} simulations ran out while generation {t} moved its particles; the posterior is the last complete generation's, at tolerance {epsilon:.3}"
            )));
        }
        if moved.passes == 1 && rate < self.opts.min_acceptance {
            return Ok(Some(format!(
                "generation {t} moved {:.1} % of its particles, under --min-acceptance {}; the posterior is the last complete generation's, at tolerance {epsilon:.3}",
                rate * 100.0,
                self.opts.min_acceptance
            )));
        }
        (self.particles, self.epsilon) = (moved.population, next);
        Ok(None)
    }

    /// Passes of moves of generation `t` within `epsilon`, until each particle has moved at
    /// least once with probability 1 − 1 % at the first pass's acceptance rate (Drovandi &
    /// Pettitt 2011); one pass when that rate is under `--min-acceptance`; fewer when the
    /// budget runs out.
    fn move_passes(
        &self,
        t: u64,
        epsilon: f64,
        mut population: Vec<Particle>,
        kernel: &Kernel,
    ) -> Result<Moved> {
        let n = self.opts.particles as u64;
        let (mut used, mut accepted, mut passes) = (0u64, 0usize, 0u64);
        let mut wanted = 1;
        while passes < wanted {
            if self.simulations + used + n > self.opts.budget {
                return Ok(Moved {
                    population,
                    used,
                    accepted,
                    passes,
                    short: true,
                });
            }
            let (moved, u, a) =
                self.sampler
                    .moves(self.job, t, passes, epsilon, &population, kernel)?;
            (population, used, accepted, passes) = (moved, used + u, accepted + a, passes + 1);
            if passes == 1 {
                let rate = a as f64 / n as f64;
                if rate < self.opts.min_acceptance {
                    break;
                }
                wanted = passes_wanted(rate);
            }
        }
        Ok(Moved {
            population,
            used,
            accepted,
            passes,
            short: false,
        })
    }
}

/// Passes that move each particle at least once with probability 1 − 1 % when each pass
/// accepts a share `rate` of the moves.
fn passes_wanted(rate: f64) -> u64 {
    if rate >= 1.0 {
        1
    } else {
        ((0.01f64.ln() / (1.0 - rate).ln()).ceil() as u64).max(1)
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
