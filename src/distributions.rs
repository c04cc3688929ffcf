//! The distributions priors are written in, as quantile functions (inverse CDFs) of a uniform,
//! truncated to an interval: one uniform per parameter and draw, whatever the distribution, so
//! draws stay reproducible and comparable across scenarios. A leaf: std only.

use std::f64::consts::SQRT_2;

/// A distribution over the real line (or part of it), as priors name them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Distribution {
    /// Uniform on [min, max].
    Uniform {
        /// The least value.
        min: f64,
        /// The greatest value.
        max: f64,
    },
    /// Uniform in log on [min, max], 0 < min.
    LogUniform {
        /// The least value (above 0).
        min: f64,
        /// The greatest value.
        max: f64,
    },
    /// Normal with mean and standard deviation.
    Normal {
        /// The mean.
        mean: f64,
        /// The standard deviation.
        sd: f64,
    },
    /// Log-normal: exp of a normal with mean ln(median) and standard deviation `sd_log`.
    LogNormal {
        /// The median.
        median: f64,
        /// The standard deviation of the logarithm.
        sd_log: f64,
    },
    /// Beta(alpha, beta) stretched onto [min, max].
    Beta {
        /// The first shape.
        alpha: f64,
        /// The second shape.
        beta: f64,
        /// Where 0 of the standard beta lands.
        min: f64,
        /// Where 1 of the standard beta lands.
        max: f64,
    },
    /// Triangular on [min, max] with its peak at `mode`.
    Triangular {
        /// The least value.
        min: f64,
        /// The peak.
        mode: f64,
        /// The greatest value.
        max: f64,
    },
}

impl Distribution {
    /// The cumulative probability at `x`.
    pub fn cdf(&self, x: f64) -> f64 {
        match *self {
            Distribution::Uniform { min, max } => ((x - min) / (max - min)).clamp(0.0, 1.0),
            Distribution::LogUniform { min, max } => {
                if x <= min {
                    0.0
                } else {
                    ((x / min).ln() / (max / min).ln()).clamp(0.0, 1.0)
                }
            }
            Distribution::Normal { mean, sd } => normal_cdf((x - mean) / sd),
            Distribution::LogNormal { median, sd_log } => {
                if x <= 0.0 {
                    0.0
                } else {
                    normal_cdf((x / median).ln() / sd_log)
                }
            }
            Distribution::Beta {
                alpha,
                beta,
                min,
                max,
            } => incomplete_beta(alpha, beta, ((x - min) / (max - min)).clamp(0.0, 1.0)),
            Distribution::Triangular { min, mode, max } => {
                if x <= min {
                    0.0
                } else if x >= max {
                    1.0
                } else if x <= mode {
                    (x - min) * (x - min) / ((max - min) * (mode - min))
                } else {
                    1.0 - (max - x) * (max - x) / ((max - min) * (max - mode))
                }
            }
        }
    }

    /// The value below which a share `p` (in (0, 1)) of the distribution lies.
    pub fn quantile(&self, p: f64) -> f64 {
        match *self {
            Distribution::Uniform { min, max } => min + p * (max - min),
            Distribution::LogUniform { min, max } => min * (max / min).powf(p),
            Distribution::Normal { mean, sd } => mean + sd * standard_normal(p),
            Distribution::LogNormal { median, sd_log } => {
                median * (sd_log * standard_normal(p)).exp()
            }
            Distribution::Beta {
                alpha,
                beta,
                min,
                max,
            } => min + (max - min) * beta_quantile(alpha, beta, p),
            Distribution::Triangular { min, mode, max } => {
                let split = (mode - min) / (max - min);
                if p <= split {
                    min + (p * (max - min) * (mode - min)).sqrt()
                } else {
                    max - ((1.0 - p) * (max - min) * (max - mode)).sqrt()
                }
            }
        }
    }

    /// The value of the uniform `u` in (0, 1) under this distribution truncated to [lo, hi]:
    /// `quantile(F(lo) + u (F(hi) − F(lo)))`, kept inside [lo, hi]. `None` when the
    /// distribution puts less than [`MIN_MASS`] inside the interval.
    pub fn truncated(&self, u: f64, lo: f64, hi: f64) -> Option<f64> {
        let (a, b) = (self.cdf(lo), self.cdf(hi));
        if (b - a).is_nan() || b - a < MIN_MASS {
            return None;
        }
        let p = (a + u * (b - a)).clamp(f64::MIN_POSITIVE, 1.0 - f64::EPSILON);
        Some(self.quantile(p).clamp(lo, hi))
    }

    /// The share of the distribution inside [lo, hi].
    pub fn mass(&self, lo: f64, hi: f64) -> f64 {
        self.cdf(hi) - self.cdf(lo)
    }
}

/// The least probability a prior must put inside its key's range (a prior almost wholly
/// outside it is a mistake, not a truncation).
pub const MIN_MASS: f64 = 1e-3;

/// The standard normal density, φ(z).
pub fn normal_density(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// The standard normal CDF, Φ(z) = erfc(−z/√2)/2.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * erfc(-z / SQRT_2)
}

/// The complementary error function, with fractional error below 1.2e-7 everywhere
/// (Numerical Recipes, 2nd ed., `erfcc`: a Chebyshev fit).
#[allow(clippy::excessive_precision)] // the coefficients as published
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.26551223
            + t * (1.00002368
                + t * (0.37409196
                    + t * (0.09678418
                        + t * (-0.18628806
                            + t * (0.27886807
                                + t * (-1.13520398
                                    + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
            .exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; relative error below 1e-13).
#[allow(clippy::excessive_precision)] // the coefficients as published
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_93,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_13,
        -176.615_029_162_140_59,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_571_6e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = G[0];
    let t = x + 7.5;
    for (k, g) in G.iter().enumerate().skip(1) {
        a += g / (x + k as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// The regularised incomplete beta function I_x(a, b) (Numerical Recipes' continued fraction).
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_fraction(b, a, 1.0 - x) / b
    }
}

/// The continued fraction of the incomplete beta function (modified Lentz).
fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..300 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// The p-quantile of Beta(a, b) by bisection on the incomplete beta function (to 1e-12).
fn beta_quantile(a: f64, b: f64, p: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if incomplete_beta(a, b, mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The standard normal quantile of `p` in (0, 1): Acklam's rational approximation (relative
/// error below 1.15e-9), one uniform per normal and no trigonometry.
#[inline]
#[allow(clippy::excessive_precision)] // the coefficients as Acklam published them
pub fn standard_normal(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e+01,
        2.209460984245205e+02,
        -2.759285104469687e+02,
        1.383577518672690e+02,
        -3.066479806614716e+01,
        2.506628277459239e+00,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e+01,
        1.615858368580409e+02,
        -1.556989798598866e+02,
        6.680131188771972e+01,
        -1.328068155288572e+01,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-03,
        -3.223964580411365e-01,
        -2.400758277161838e+00,
        -2.549732539343734e+00,
        4.374664141464968e+00,
        2.938163982698783e+00,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-03,
        3.224671290700398e-01,
        2.445134137142996e+00,
        3.754408661907416e+00,
    ];
    const LOW: f64 = 0.02425;
    debug_assert!(p > 0.0 && p < 1.0);
    let tail = |q: f64| {
        let q = (-2.0 * q.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < LOW {
        tail(p)
    } else if p > 1.0 - LOW {
        -tail(1.0 - p)
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_quantiles_match_tables() {
        for (p, z) in [
            (0.5, 0.0),
            (0.975, 1.959963984540054),
            (0.025, -1.959963984540054),
            (0.8413447460685429, 1.0),
            (0.001, -3.090232306167813),
            (1e-10, -6.361340902404056),
        ] {
            let got = standard_normal(p);
            assert!(
                (got - z).abs() <= 2e-9 * z.abs().max(1.0),
                "p = {p}: {got} vs {z}"
            );
        }
    }

    #[test]
    fn cdfs_match_tables() {
        // Φ(1.96) = 0.9750021, Φ(−1) = 0.1586553 (A&S table 26.1).
        assert!((normal_cdf(1.96) - 0.975_002_1).abs() < 2e-7);
        assert!((normal_cdf(-1.0) - 0.158_655_3).abs() < 2e-7);
        // Beta(2, 3) at 0.4: I = Σ_{j=2..4} C(4, j) 0.4^j 0.6^(4−j) = 0.3456 + 0.1536 + 0.0256.
        let b = Distribution::Beta {
            alpha: 2.0,
            beta: 3.0,
            min: 0.0,
            max: 1.0,
        };
        assert!((b.cdf(0.4) - 0.5248).abs() < 1e-10, "{}", b.cdf(0.4));
        // Γ(5) = 24, Γ(0.5) = √π.
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-12);
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-12);
    }

    #[test]
    fn quantiles_invert_cdfs() {
        let all = [
            Distribution::Uniform {
                min: -1.0,
                max: 3.0,
            },
            Distribution::LogUniform {
                min: 0.1,
                max: 10.0,
            },
            Distribution::Normal { mean: 2.0, sd: 0.5 },
            Distribution::LogNormal {
                median: 3.0,
                sd_log: 0.4,
            },
            Distribution::Beta {
                alpha: 2.0,
                beta: 5.0,
                min: 0.0,
                max: 2.0,
            },
            Distribution::Triangular {
                min: 0.0,
                mode: 1.0,
                max: 4.0,
            },
        ];
        for d in all {
            for p in [0.01, 0.1, 0.3, 0.5, 0.77, 0.99] {
                let x = d.quantile(p);
                assert!(
                    (d.cdf(x) - p).abs() < 1e-6,
                    "{d:?} at {p}: F({x}) = {}",
                    d.cdf(x)
                );
            }
        }
        // Medians people know.
        let ln = Distribution::LogNormal {
            median: 3.0,
            sd_log: 0.4,
        };
        assert!((ln.quantile(0.5) - 3.0).abs() < 1e-9);
        let lu = Distribution::LogUniform { min: 0.5, max: 2.0 };
        assert!((lu.quantile(0.5) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn truncation_keeps_draws_inside_and_refuses_an_empty_range() {
        let d = Distribution::Normal { mean: 0.0, sd: 1.0 };
        for u in [1e-9, 0.25, 0.5, 0.999_999] {
            let x = d.truncated(u, 0.0, 1.0).unwrap();
            assert!((0.0..=1.0).contains(&x));
        }
        // Half a normal on [0, ∞): its median is Φ⁻¹(0.75) = 0.6745.
        let median = d.truncated(0.5, 0.0, f64::INFINITY).unwrap();
        assert!((median - 0.674_489_75).abs() < 1e-6, "{median}");
        assert_eq!(d.truncated(0.5, 8.0, 9.0), None, "no mass there");
    }
}
