//! Minimising a function of a few numbers without derivatives: Nelder–Mead's simplex, with the
//! standard coefficients (reflection 1, expansion 2, contraction ½, shrink ½). Deterministic:
//! the same function and start give the same steps.

/// The best point found and the function's value there.
#[derive(Clone, Debug, PartialEq)]
pub struct Minimum {
    /// The point.
    pub x: Vec<f64>,
    /// The function's value there.
    pub value: f64,
    /// Function evaluations spent.
    pub evaluations: usize,
}

/// The simplex stops when its values differ by less than this (absolute).
const TOLERANCE: f64 = 1e-9;

/// Minimises `f` from `start`, the first simplex stepping `step` along each axis, spending at
/// most `max_evaluations` evaluations.
pub fn nelder_mead(
    f: impl Fn(&[f64]) -> f64,
    start: &[f64],
    step: f64,
    max_evaluations: usize,
) -> Minimum {
    let n = start.len();
    let mut simplex: Vec<(Vec<f64>, f64)> = (0..=n)
        .map(|k| {
            let mut x = start.to_vec();
            if k > 0 {
                x[k - 1] += step;
            }
            let v = f(&x);
            (x, v)
        })
        .collect();
    let mut evaluations = n + 1;
    while evaluations < max_evaluations {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        if simplex[n].1 - simplex[0].1 < TOLERANCE {
            break;
        }
        let centroid: Vec<f64> = (0..n)
            .map(|i| simplex[..n].iter().map(|p| p.0[i]).sum::<f64>() / n as f64)
            .collect();
        let toward = |t: f64| -> Vec<f64> {
            (0..n)
                .map(|i| centroid[i] + t * (simplex[n].0[i] - centroid[i]))
                .collect()
        };
        let reflected = toward(-1.0);
        let r = f(&reflected);
        evaluations += 1;
        if r < simplex[0].1 {
            let expanded = toward(-2.0);
            let e = f(&expanded);
            evaluations += 1;
            simplex[n] = if e < r { (expanded, e) } else { (reflected, r) };
        } else if r < simplex[n - 1].1 {
            simplex[n] = (reflected, r);
        } else {
            let contracted = if r < simplex[n].1 {
                toward(-0.5)
            } else {
                toward(0.5)
            };
            let c = f(&contracted);
            evaluations += 1;
            if c < simplex[n].1.min(r) {
                simplex[n] = (contracted, c);
            } else {
                let best = simplex[0].0.clone();
                for p in simplex.iter_mut().skip(1) {
                    p.0 = (0..n).map(|i| best[i] + 0.5 * (p.0[i] - best[i])).collect();
                    p.1 = f(&p.0);
                }
                evaluations += n;
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    let (x, value) = simplex.swap_remove(0);
    Minimum {
        x,
        value,
        evaluations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_minimum_of_rosenbrock_and_of_a_shifted_bowl() {
        let rosenbrock = |x: &[f64]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
        let m = nelder_mead(rosenbrock, &[-1.2, 1.0], 0.5, 5000);
        assert!(
            (m.x[0] - 1.0).abs() < 1e-3 && (m.x[1] - 1.0).abs() < 1e-3,
            "{m:?}"
        );
        let bowl = |x: &[f64]| {
            x.iter()
                .enumerate()
                .map(|(i, v)| (v - i as f64).powi(2))
                .sum()
        };
        let m = nelder_mead(bowl, &[0.0; 5], 1.0, 5000);
        for (i, v) in m.x.iter().enumerate() {
            assert!((v - i as f64).abs() < 1e-3, "{m:?}");
        }
    }

    #[test]
    fn stops_at_its_budget() {
        let m = nelder_mead(|x: &[f64]| x[0].abs().sqrt(), &[10.0], 1.0, 20);
        assert!(m.evaluations <= 22);
    }
}
