//! The Kalman filter of one state: its latent alignment *a* and its long-run level *m*, jointly
//! normal, moved by the process of [`Dynamics`] between observations and updated by each
//! observation's linear link (docs/MODEL.md, 9.3). Exact for the linear-Gaussian model.

use super::Month;
use crate::distributions::standard_normal;

/// The latent process: each state's alignment relaxes toward its own long-run level with
/// persistence φ per year and normal noise of sd *q* per year (an Ornstein–Uhlenbeck process
/// observed monthly), the long-run levels spread normally across states.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dynamics {
    /// φ: the share of a departure from the long-run level left after a year.
    pub persistence_per_year: f64,
    /// *q*: the sd of a year's innovation, alignment units.
    pub noise_sd_per_year: f64,
    /// σ_x: the ideal points' error beyond their own posterior sd, alignment units.
    pub extra_error_sd: f64,
    /// κ: the share of an ideal point's own posterior sd that is error from one session to the
    /// next (the rest is shared by a state's sessions: the scaling's uncertainty, not noise).
    pub error_scale: f64,
    /// The mean of the states' long-run levels, alignment units.
    pub long_run_mean: f64,
    /// Their sd across states, alignment units.
    pub long_run_sd_per_state: f64,
}

/// Largest persistence a fit may reach: a unit root would leave the long-run level unidentified.
pub const MAX_PERSISTENCE: f64 = 0.995;

impl Dynamics {
    /// φ and the innovation variance over `months`.
    pub fn transition(&self, months: i32) -> (f64, f64) {
        let years = f64::from(months) / 12.0;
        let phi = self.persistence_per_year.powf(years);
        (phi, self.stationary_variance() * (1.0 - phi * phi))
    }

    /// The variance of an ideal point's error about the latent alignment, given its own
    /// posterior sd `se` (both on the same scale): (κ·se)² + σ_x², σ_x scaled by `unit`
    /// (1 on the model's axis; ideal-point units per alignment unit otherwise).
    pub fn ideal_error_variance(&self, se: f64, unit: f64) -> f64 {
        (self.error_scale * se).powi(2) + (unit * self.extra_error_sd).powi(2)
    }

    /// The variance of a departure from the long-run level in the long run.
    pub fn stationary_variance(&self) -> f64 {
        self.noise_sd_per_year.powi(2) / (1.0 - self.persistence_per_year.powi(2))
    }
}

/// A normal estimate of one number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// Its mean.
    pub mean: f64,
    /// Its standard deviation.
    pub sd: f64,
}

impl Estimate {
    /// Its `p` quantile.
    pub fn quantile(&self, p: f64) -> f64 {
        self.mean + self.sd * standard_normal(p)
    }

    /// Whether `x` lies in its central interval of probability `level`.
    pub fn holds(&self, x: f64, level: f64) -> bool {
        let tail = (1.0 - level) / 2.0;
        self.quantile(tail) <= x && x <= self.quantile(1.0 - tail)
    }
}

/// What the filter believes of (*a*, *m*): means and covariance.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Belief {
    /// Means of (*a*, *m*).
    pub mean: [f64; 2],
    /// Their covariance.
    pub cov: [[f64; 2]; 2],
}

impl Belief {
    /// Before any observation: *m* from the panel's spread of long-run levels, *a* around it
    /// with the process's stationary spread.
    pub fn prior(d: &Dynamics) -> Belief {
        let level = d.long_run_sd_per_state.powi(2);
        let spread = d.stationary_variance();
        Belief {
            mean: [d.long_run_mean; 2],
            cov: [[level + spread, level], [level, level]],
        }
    }

    /// Moves the belief `months` ahead: *a* ← φ·*a* + (1 − φ)·*m* + noise, *m* unchanged.
    pub fn predict(&mut self, months: i32, d: &Dynamics) {
        if months <= 0 {
            return;
        }
        let (phi, variance) = d.transition(months);
        let [[p00, p01], [_, p11]] = self.cov;
        let f = [phi, 1.0 - phi];
        self.mean[0] = f[0] * self.mean[0] + f[1] * self.mean[1];
        let a_m = f[0] * p01 + f[1] * p11;
        let a_a = f[0] * (f[0] * p00 + f[1] * p01) + f[1] * a_m + variance;
        self.cov = [[a_a, a_m], [a_m, p11]];
    }

    /// Updates on `z` = `h`·(*a*, *m*) + `c` + error of variance `r`; returns the
    /// log-likelihood of `z` under the prediction.
    pub fn update(&mut self, h: [f64; 2], c: f64, z: f64, r: f64) -> f64 {
        let p = self.cov;
        let ph = [
            p[0][0] * h[0] + p[0][1] * h[1],
            p[1][0] * h[0] + p[1][1] * h[1],
        ];
        let s = h[0] * ph[0] + h[1] * ph[1] + r;
        let e = z - (h[0] * self.mean[0] + h[1] * self.mean[1] + c);
        let k = [ph[0] / s, ph[1] / s];
        self.mean = [self.mean[0] + k[0] * e, self.mean[1] + k[1] * e];
        self.cov = [
            [p[0][0] - k[0] * ph[0], p[0][1] - k[0] * ph[1]],
            [p[1][0] - k[1] * ph[0], p[1][1] - k[1] * ph[1]],
        ];
        -0.5 * ((2.0 * std::f64::consts::PI * s).ln() + e * e / s)
    }

    /// The estimate of the latent alignment *a*.
    pub fn alignment(&self) -> Estimate {
        Estimate {
            mean: self.mean[0],
            sd: self.cov[0][0].max(0.0).sqrt(),
        }
    }
}

/// A state's filtered path: the alignment after the observations of each month that had any,
/// and the belief at the origin.
#[derive(Clone, Debug)]
pub struct Track {
    /// (month, alignment) after each month with observations.
    pub points: Vec<(Month, Estimate)>,
    /// The belief moved on to the origin.
    pub at_origin: Belief,
    /// The month of the last observation used, if any.
    pub last_observed: Option<Month>,
}
