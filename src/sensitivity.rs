//! Sampling designs and sensitivity estimators, usable on any model the way SALib's command
//! line is: Saltelli sampling with Saltelli (2010) first-order and Jansen (1999) total-order
//! Sobol indices, Morris elementary effects, Latin hypercube, full grids and plain Monte Carlo.
//! Every design is seeded from its own ChaCha8 stream.

use crate::statistics::Z95;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A parameter's name and range.
#[derive(Clone, Debug, PartialEq)]
pub struct Factor {
    /// Its name.
    pub name: String,
    /// Lower end of its range.
    pub lower: f64,
    /// Upper end of its range.
    pub upper: f64,
}

impl Factor {
    fn scale(&self, unit: f64) -> f64 {
        self.lower + unit * (self.upper - self.lower)
    }
}

/// Bootstrap resamples behind every confidence interval.
pub const RESAMPLES: usize = 100;

fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

fn unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// Most cells (rows × factors) a design may have: 400 MB of numbers. Checked with
/// [`design_cells`] before any design is built.
pub const MAX_DESIGN_CELLS: u128 = 50_000_000;

/// Rows of a design of `k` factors — `n` for LHS and Monte Carlo, n·(k + 2) for Saltelli,
/// n·(k + 1) for Morris, the product of `grid_levels` for a grid — times k, without overflow.
pub fn design_cells(kind: DesignKind, n: usize, k: usize, grid_levels: &[usize]) -> u128 {
    let (n, k1) = (n as u128, k as u128);
    let rows = match kind {
        DesignKind::Sample => n,
        DesignKind::Saltelli => n * (k1 + 2),
        DesignKind::Morris => n * (k1 + 1),
        DesignKind::Grid => grid_levels
            .iter()
            .try_fold(1u128, |acc, &l| acc.checked_mul(l as u128))
            .unwrap_or(u128::MAX),
    };
    rows.saturating_mul(k1.max(1))
}

/// How a design's rows grow with its size (see [`design_cells`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DesignKind {
    /// One row per point (LHS, Monte Carlo).
    Sample,
    /// Saltelli's n (k + 2) rows.
    Saltelli,
    /// Morris trajectories of k + 1 rows.
    Morris,
    /// The product of the levels of every factor.
    Grid,
}

/// Saltelli's design for first- and total-order indices: for each of `n` base rows, the rows
/// A, A_B^(1), …, A_B^(k), B (N(k + 2) rows), A and B drawn uniformly.
pub fn saltelli(factors: &[Factor], n: usize, seed: u64) -> Vec<Vec<f64>> {
    let k = factors.len();
    let mut r = rng(seed);
    let mut rows = Vec::with_capacity(n * (k + 2));
    for _ in 0..n {
        let a: Vec<f64> = (0..k).map(|_| unit(&mut r)).collect();
        let b: Vec<f64> = (0..k).map(|_| unit(&mut r)).collect();
        rows.push(a.clone());
        for i in 0..k {
            let mut ab = a.clone();
            ab[i] = b[i];
            rows.push(ab);
        }
        rows.push(b);
    }
    scale_rows(factors, rows)
}

/// Morris trajectories on a `levels`-level grid with Δ = levels / (2 (levels − 1)): each of
/// `trajectories` starts at a random grid point where every factor can move by Δ, then moves
/// one factor at a time, in random order, up by Δ where it can and down otherwise.
pub fn morris(factors: &[Factor], trajectories: usize, levels: usize, seed: u64) -> Vec<Vec<f64>> {
    let k = factors.len();
    let delta = levels as f64 / (2.0 * (levels as f64 - 1.0));
    let mut r = rng(seed);
    let mut rows = Vec::with_capacity(trajectories * (k + 1));
    for _ in 0..trajectories {
        let mut x: Vec<f64> = (0..k)
            .map(|_| (r.next_u64() % levels as u64) as f64 / (levels as f64 - 1.0))
            .collect();
        rows.push(x.clone());
        let mut order: Vec<usize> = (0..k).collect();
        for i in (1..k).rev() {
            order.swap(i, (r.next_u64() % (i as u64 + 1)) as usize);
        }
        for i in order {
            x[i] = if x[i] + delta <= 1.0 + 1e-12 {
                x[i] + delta
            } else {
                x[i] - delta
            };
            rows.push(x.clone());
        }
    }
    scale_rows(factors, rows)
}

/// Latin hypercube: each factor's range cut into `n` strata, one point in each, paired at random.
pub fn latin_hypercube(factors: &[Factor], n: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut r = rng(seed);
    let columns: Vec<Vec<f64>> = factors
        .iter()
        .map(|_| {
            let mut strata: Vec<usize> = (0..n).collect();
            for i in (1..n).rev() {
                strata.swap(i, (r.next_u64() % (i as u64 + 1)) as usize);
            }
            strata
                .iter()
                .map(|&s| (s as f64 + unit(&mut r)) / n as f64)
                .collect()
        })
        .collect();
    scale_rows(
        factors,
        (0..n)
            .map(|j| columns.iter().map(|c| c[j]).collect())
            .collect(),
    )
}

/// `n` points drawn uniformly.
pub fn monte_carlo(factors: &[Factor], n: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut r = rng(seed);
    scale_rows(
        factors,
        (0..n)
            .map(|_| factors.iter().map(|_| unit(&mut r)).collect())
            .collect(),
    )
}

/// Every combination of `values[i]` (the first factor varies slowest).
pub fn grid(values: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let mut rows = vec![Vec::new()];
    for column in values {
        rows = rows
            .into_iter()
            .flat_map(|row| {
                column.iter().map(move |&v| {
                    let mut next = row.clone();
                    next.push(v);
                    next
                })
            })
            .collect();
    }
    rows
}

/// `levels` evenly spaced values from lower to upper.
pub fn levels(f: &Factor, levels: usize) -> Vec<f64> {
    if levels <= 1 {
        return vec![f.scale(0.5)];
    }
    (0..levels)
        .map(|k| f.scale(k as f64 / (levels - 1) as f64))
        .collect()
}

fn scale_rows(factors: &[Factor], rows: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    rows.into_iter()
        .map(|row| row.iter().zip(factors).map(|(&u, f)| f.scale(u)).collect())
        .collect()
}

/// First- and total-order Sobol indices of one factor with their bootstrap 95 % half-widths.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SobolIndex {
    /// First-order index.
    pub s1: f64,
    /// Half-width of its 95 % interval.
    pub s1_conf: f64,
    /// Total-order index.
    pub st: f64,
    /// Half-width of its 95 % interval.
    pub st_conf: f64,
}

impl SobolIndex {
    /// S1 above ST by more than their intervals allow: the estimates have not converged (too
    /// few design points, or simulation noise in the outputs).
    pub fn first_exceeds_total(&self) -> bool {
        self.s1 - self.st > self.s1_conf + self.st_conf
    }
}

/// Sobol indices from outputs `y` of a [`saltelli`] design over `k` factors.
pub fn sobol_indices(y: &[f64], k: usize, seed: u64) -> Result<Vec<SobolIndex>, String> {
    let block = k + 2;
    if k == 0 || y.is_empty() || !y.len().is_multiple_of(block) {
        return Err(format!(
            "{} outputs do not make whole blocks of k + 2 = {block} rows",
            y.len()
        ));
    }
    let n = y.len() / block;
    let estimate = |rows: &[usize], i: usize| -> (f64, f64) {
        let (a, b, ab) = (
            |j: usize| y[j * block],
            |j: usize| y[j * block + k + 1],
            |j: usize| y[j * block + 1 + i],
        );
        let m = rows.len() as f64;
        let pooled: Vec<f64> = rows.iter().flat_map(|&j| [a(j), b(j)]).collect();
        let mean = pooled.iter().sum::<f64>() / pooled.len() as f64;
        let var =
            pooled.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (pooled.len() as f64 - 1.0);
        // Centred as SALib does: uncentred, f_B's mean multiplies the noise of f_ABi − f_A and
        // an output far from zero gets S1 far from its value (and above ST).
        let v1 = rows
            .iter()
            .map(|&j| (b(j) - mean) * (ab(j) - a(j)))
            .sum::<f64>()
            / m;
        let vt = rows.iter().map(|&j| (a(j) - ab(j)).powi(2)).sum::<f64>() / (2.0 * m);
        if var > 0.0 {
            (v1 / var, vt / var)
        } else {
            (0.0, 0.0)
        }
    };
    let all: Vec<usize> = (0..n).collect();
    let mut r = rng(seed);
    let resamples: Vec<Vec<usize>> = (0..RESAMPLES)
        .map(|_| (0..n).map(|_| (r.next_u64() % n as u64) as usize).collect())
        .collect();
    Ok((0..k)
        .map(|i| {
            let (s1, st) = estimate(&all, i);
            let boot: Vec<(f64, f64)> = resamples.iter().map(|rows| estimate(rows, i)).collect();
            SobolIndex {
                s1,
                s1_conf: Z95 * sd(boot.iter().map(|b| b.0)),
                st,
                st_conf: Z95 * sd(boot.iter().map(|b| b.1)),
            }
        })
        .collect())
}

/// Morris statistics of one factor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MorrisIndex {
    /// Mean elementary effect.
    pub mu: f64,
    /// Mean absolute elementary effect.
    pub mu_star: f64,
    /// Standard deviation of the elementary effects.
    pub sigma: f64,
    /// Half-width of the 95 % interval of μ*.
    pub mu_star_conf: f64,
}

/// Morris μ, μ*, σ (and a bootstrap 95 % half-width of μ*) from a [`morris`] design: rows come
/// in trajectories of k + 1; each step changes one factor, whose elementary effect is the
/// change in output over the change in the factor, as a share of its range.
pub fn morris_indices(
    x: &[Vec<f64>],
    y: &[f64],
    factors: &[Factor],
    seed: u64,
) -> Result<Vec<MorrisIndex>, String> {
    let k = factors.len();
    if k == 0 || x.len() != y.len() || x.is_empty() || !x.len().is_multiple_of(k + 1) {
        return Err(format!(
            "{} rows do not make whole trajectories of k + 1 = {} rows",
            x.len(),
            k + 1
        ));
    }
    let mut effects: Vec<Vec<f64>> = vec![Vec::new(); k];
    for t in 0..x.len() / (k + 1) {
        for s in 0..k {
            let (j0, j1) = (t * (k + 1) + s, t * (k + 1) + s + 1);
            let changed: Vec<usize> = (0..k).filter(|&i| x[j1][i] != x[j0][i]).collect();
            let [i] = changed[..] else {
                return Err(format!(
                    "rows {} and {} change {} factors; a Morris step changes one",
                    j0 + 2,
                    j1 + 2,
                    changed.len()
                ));
            };
            let step = (x[j1][i] - x[j0][i]) / (factors[i].upper - factors[i].lower);
            effects[i].push((y[j1] - y[j0]) / step);
        }
    }
    let mut r = rng(seed);
    Ok(effects
        .iter()
        .map(|ee| {
            let n = ee.len() as f64;
            let mu = ee.iter().sum::<f64>() / n;
            let mu_star = ee.iter().map(|e| e.abs()).sum::<f64>() / n;
            let boot = (0..RESAMPLES).map(|_| {
                (0..ee.len())
                    .map(|_| ee[(r.next_u64() % ee.len() as u64) as usize].abs())
                    .sum::<f64>()
                    / n
            });
            MorrisIndex {
                mu,
                mu_star,
                sigma: sd(ee.iter().copied()),
                mu_star_conf: Z95 * sd(boot),
            }
        })
        .collect())
}

/// Sample standard deviation (n − 1); 0 for fewer than two values.
fn sd(values: impl Iterator<Item = f64>) -> f64 {
    let v: Vec<f64> = values.collect();
    if v.len() < 2 {
        return 0.0;
    }
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (v.len() as f64 - 1.0)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    fn ishigami(x: &[f64]) -> f64 {
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    fn pi_factors() -> Vec<Factor> {
        (1..=3)
            .map(|i| Factor {
                name: format!("x{i}"),
                lower: -PI,
                upper: PI,
            })
            .collect()
    }

    #[test]
    fn sa_1_ishigami_sobol_indices() {
        // Saltelli 2010 first order and Jansen total order, N = 2^14 (Saltelli et al. 2010, CPC
        // 181:259-270): S = (0.313905, 0.442411, 0), ST = (0.557589, 0.442411, 0.243684), ±0.04.
        let factors = pi_factors();
        let x = saltelli(&factors, 1 << 14, 7);
        let y: Vec<f64> = x.iter().map(|r| ishigami(r)).collect();
        let s = sobol_indices(&y, 3, 1).unwrap();
        for (i, (s1, st)) in [(0.313905, 0.557589), (0.442411, 0.442411), (0.0, 0.243684)]
            .iter()
            .enumerate()
        {
            assert!((s[i].s1 - s1).abs() <= 0.04, "S1[{i}] = {}", s[i].s1);
            assert!((s[i].st - st).abs() <= 0.04, "ST[{i}] = {}", s[i].st);
            assert!(s[i].s1_conf > 0.0 && s[i].s1_conf < 0.1);
        }
    }

    #[test]
    fn sobol_indices_do_not_depend_on_the_outputs_offset() {
        // Ishigami + 100: the same indices as Ishigami (within the SA-1 tolerance); before the
        // outputs were centred, S1 came out far off (and above ST).
        let factors = pi_factors();
        let x = saltelli(&factors, 1 << 12, 7);
        let y: Vec<f64> = x.iter().map(|r| ishigami(r)).collect();
        let shifted: Vec<f64> = y.iter().map(|v| v + 100.0).collect();
        let (s, t) = (
            sobol_indices(&y, 3, 1).unwrap(),
            sobol_indices(&shifted, 3, 1).unwrap(),
        );
        for (i, (a, b)) in s.iter().zip(&t).enumerate() {
            assert!((a.s1 - b.s1).abs() < 1e-9, "S1[{i}]: {} vs {}", a.s1, b.s1);
            assert!((a.st - b.st).abs() < 1e-9, "ST[{i}]");
            assert!(!b.first_exceeds_total(), "S1[{i}] > ST[{i}]");
        }
        for (i, s1) in [0.313905, 0.442411, 0.0].iter().enumerate() {
            assert!((t[i].s1 - s1).abs() <= 0.06, "S1[{i}] = {}", t[i].s1);
        }
    }

    #[test]
    fn sa_2_morris_mu_star_of_ishigami_x2() {
        // p = 4 levels, delta = 2/3: every |EE_2| = 7.875 exactly (SALib's regression test).
        let factors = pi_factors();
        let x = morris(&factors, 50, 4, 3);
        let y: Vec<f64> = x.iter().map(|r| ishigami(r)).collect();
        let m = morris_indices(&x, &y, &factors, 1).unwrap();
        assert!(
            (m[1].mu_star - 7.875).abs() <= 1e-9,
            "mu*_2 = {}",
            m[1].mu_star
        );
    }

    #[test]
    fn sa_3_morris_of_a_linear_function() {
        // f = sum beta_i x_i, x_i in [0, R_i]: mu*_i = |beta_i| R_i and sigma_i = 0.
        let beta = [2.0, -3.0, 0.5];
        let factors: Vec<Factor> = [1.0, 10.0, 4.0]
            .iter()
            .enumerate()
            .map(|(i, &r)| Factor {
                name: format!("x{i}"),
                lower: 0.0,
                upper: r,
            })
            .collect();
        let x = morris(&factors, 20, 4, 5);
        let y: Vec<f64> = x
            .iter()
            .map(|r| r.iter().zip(beta).map(|(a, b)| a * b).sum())
            .collect();
        let m = morris_indices(&x, &y, &factors, 1).unwrap();
        for i in 0..3 {
            assert!(
                (m[i].mu_star - beta[i].abs() * factors[i].upper).abs() <= 1e-12,
                "mu*[{i}] = {}",
                m[i].mu_star
            );
            assert!(m[i].sigma.abs() <= 1e-12, "sigma[{i}] = {}", m[i].sigma);
        }
    }

    #[test]
    fn designs_have_their_shapes_and_stay_in_range() {
        let f = pi_factors();
        assert_eq!(saltelli(&f, 8, 1).len(), 8 * 5);
        assert_eq!(morris(&f, 6, 4, 1).len(), 6 * 4);
        let lhs = latin_hypercube(&f, 10, 1);
        assert_eq!(lhs.len(), 10);
        for i in 0..3 {
            let mut strata: Vec<usize> = lhs
                .iter()
                .map(|r| ((r[i] + PI) / (2.0 * PI) * 10.0) as usize)
                .collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..10).collect::<Vec<_>>(), "one point per stratum");
        }
        assert_eq!(grid(&[vec![1.0, 2.0], vec![3.0, 4.0, 5.0]]).len(), 6);
        assert!(
            monte_carlo(&f, 100, 1)
                .iter()
                .flatten()
                .all(|v| (-PI..=PI).contains(v))
        );
    }
}
