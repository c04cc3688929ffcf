//! A predictive distribution that is an ensemble dressed with normal error: a mixture of
//! normals of one sd at weighted centres (an ensemble's values, or a histogram's bins, each
//! read through an observation with its error). Its CDF, quantiles, mean and CRPS, exactly.

use crate::distributions::{normal_cdf, normal_density as density};

/// Weighted centres dressed with one normal sd.
#[derive(Clone, Debug, PartialEq)]
pub struct Mixture {
    /// (centre, weight), weights positive; sorted by centre.
    points: Vec<(f64, f64)>,
    /// Total weight.
    total: f64,
    /// The dressing's sd (0: the ensemble itself).
    sd: f64,
}

/// Bisection steps of a quantile: the interval shrinks 2⁶⁰-fold, below any unit's resolution.
const BISECTIONS: usize = 60;

/// E|X| for X ~ N(μ, s²).
fn abs_mean(mu: f64, s: f64) -> f64 {
    if s <= 0.0 {
        return mu.abs();
    }
    let z = mu / s;
    mu * (2.0 * normal_cdf(z) - 1.0) + 2.0 * s * density(z)
}

impl Mixture {
    /// The mixture of `points` (centre, weight; weights ≤ 0 left out) dressed with `sd`;
    /// `None` without positive weight.
    pub fn new(points: impl IntoIterator<Item = (f64, f64)>, sd: f64) -> Option<Mixture> {
        let mut points: Vec<(f64, f64)> = points.into_iter().filter(|p| p.1 > 0.0).collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        let total: f64 = points.iter().map(|p| p.1).sum();
        (total > 0.0).then_some(Mixture {
            points,
            total,
            sd: sd.max(0.0),
        })
    }

    /// The mean.
    pub fn mean(&self) -> f64 {
        self.points.iter().map(|(c, w)| c * w).sum::<f64>() / self.total
    }

    /// P(X ≤ x).
    pub fn cdf(&self, x: f64) -> f64 {
        let of = |c: f64| match self.sd > 0.0 {
            true => normal_cdf((x - c) / self.sd),
            false => f64::from(u8::from(c <= x)),
        };
        self.points.iter().map(|(c, w)| w * of(*c)).sum::<f64>() / self.total
    }

    /// The `p` quantile (0 < p < 1), by bisection of the CDF.
    pub fn quantile(&self, p: f64) -> f64 {
        let first = self.points[0].0;
        let last = self.points[self.points.len() - 1].0;
        let (mut lo, mut hi) = (first - 10.0 * self.sd - 1e-9, last + 10.0 * self.sd + 1e-9);
        for _ in 0..BISECTIONS {
            let mid = 0.5 * (lo + hi);
            if self.cdf(mid) < p {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }

    /// The continuous ranked probability score for the observation `y` (lower better, in the
    /// centres' units): E|X − y| − ½ E|X − X′| (Gneiting and Raftery 2007), in closed form for
    /// normal components (Grimit et al. 2006).
    pub fn crps(&self, y: f64) -> f64 {
        let w = |wt: f64| wt / self.total;
        let error: f64 = (self.points.iter())
            .map(|(c, wt)| w(*wt) * abs_mean(c - y, self.sd))
            .sum();
        let pair_sd = self.sd * std::f64::consts::SQRT_2;
        let mut spread = 0.0;
        for (k, (a, wa)) in self.points.iter().enumerate() {
            // Each unordered pair once, doubled; a point with itself once.
            spread += w(*wa) * w(*wa) * abs_mean(0.0, pair_sd);
            for (b, wb) in &self.points[k + 1..] {
                spread += 2.0 * w(*wa) * w(*wb) * abs_mean(a - b, pair_sd);
            }
        }
        error - 0.5 * spread
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_normal_has_its_quantiles_and_its_crps_in_closed_form() {
        let m = Mixture::new([(1.0, 3.0)], 2.0).unwrap();
        // Φ is exact to 1.2e-7 (distributions::normal_cdf), so are the quantiles, in sds.
        assert!((m.quantile(0.5) - 1.0).abs() < 1e-5);
        assert!((m.quantile(0.95) - (1.0 + 2.0 * 1.644_853_6)).abs() < 1e-5);
        // CRPS of N(μ, σ²) at y: σ [z(2Φ(z) − 1) + 2φ(z) − 1/√π], z = (y − μ)/σ.
        let (y, z) = (2.0, 0.5);
        let closed = 2.0
            * (z * (2.0 * normal_cdf(z) - 1.0) + 2.0 * density(z)
                - 1.0 / std::f64::consts::PI.sqrt());
        assert!((m.crps(y) - closed).abs() < 1e-6, "{}", m.crps(y));
    }

    #[test]
    fn without_dressing_it_is_the_ensemble() {
        let values = [0.3, -1.0, 2.0, 0.5];
        let m = Mixture::new(values.iter().map(|v| (*v, 1.0)), 0.0).unwrap();
        let direct = crate::statistics::crps(&values, 0.7);
        assert!((m.crps(0.7) - direct).abs() < 1e-12);
        assert_eq!(m.cdf(0.4), 0.5);
        assert!((m.mean() - 0.45).abs() < 1e-12);
        assert!(Mixture::new([(1.0, 0.0)], 1.0).is_none());
    }
}
