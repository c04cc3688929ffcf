//! The perturbation kernel of the moves.

use super::Particle;
use crate::error::{Error, Result};

/// The Gaussian perturbation kernel: the weighted covariance of the last population times
/// min(2, 2.38²/d) — Beaumont et al.'s (2009) factor 2 in few dimensions, the optimal random-walk
/// scale 2.38²/d (Roberts & Rosenthal 2001) in many, where a wider kernel makes importance
/// weights degenerate — as its Cholesky factor.
pub(super) struct Kernel {
    /// Lower-triangular factor L of the covariance, row by row.
    factor: Vec<Vec<f64>>,
}

impl Kernel {
    /// The kernel of the population `particles`.
    pub fn new(particles: &[Particle]) -> Result<Kernel> {
        Ok(Kernel {
            factor: cholesky(&covariance(particles))?,
        })
    }

    /// `z` moved by L·ξ.
    pub fn perturb(&self, z: &[f64], xi: &[f64]) -> Vec<f64> {
        (0..z.len())
            .map(|a| z[a] + (0..=a).map(|b| self.factor[a][b] * xi[b]).sum::<f64>())
            .collect()
    }
}

/// The covariance of the particles (equally weighted) times min(2, 2.38²/d), lower triangle.
fn covariance(particles: &[Particle]) -> Vec<Vec<f64>> {
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
    cov
}

/// The Cholesky factor of a covariance (its lower triangle), with a small ridge so that a
/// collapsed dimension still moves.
fn cholesky(cov: &[Vec<f64>]) -> Result<Vec<Vec<f64>>> {
    let d = cov.len();
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
    Ok(factor)
}
