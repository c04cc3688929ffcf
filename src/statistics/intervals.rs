//! 95 % intervals: Wilson's for a proportion, Student's t quantile for a mean.

/// The standard normal 97.5 % quantile.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Wilson's 95 % score interval for `successes` out of `n` (Wilson 1927).
/// Total on any input: with no trials the interval is [0, 1], and successes past n count as n
/// (a report may read a tampered file).
pub fn wilson(successes: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let successes = successes.min(n);
    let (k, n) = (successes as f64, n as f64);
    let p = k / n;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At 0 and n the bounds are exactly 0 and 1; computed, they would round near them.
    let lo = if successes == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if successes as f64 == n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (lo, hi)
}

/// Student's t 97.5 % quantile for `df` degrees of freedom: the Cornish–Fisher expansion of
/// Abramowitz & Stegun 26.7.5 around the normal quantile (within 0.2 % for df ≥ 3).
pub fn t95(df: u64) -> f64 {
    if df == 0 {
        return f64::INFINITY;
    }
    let (z, v) = (Z95, df as f64);
    let g1 = (z.powi(3) + z) / 4.0;
    let g2 = (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / 96.0;
    let g3 = (3.0 * z.powi(7) + 19.0 * z.powi(5) + 17.0 * z.powi(3) - 15.0 * z) / 384.0;
    let g4 = (79.0 * z.powi(9) + 776.0 * z.powi(7) + 1482.0 * z.powi(5)
        - 1920.0 * z.powi(3)
        - 945.0 * z)
        / 92160.0;
    z + g1 / v + g2 / v.powi(2) + g3 / v.powi(3) + g4 / v.powi(4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_interval_of_en_1() {
        // EN-1: 100 threshold crossings in 1000 runs -> [0.0829, 0.1202] (Wilson 1927).
        let (lo, hi) = wilson(100, 1000);
        assert!(
            (lo - 0.0829).abs() < 1e-4 && (hi - 0.1202).abs() < 1e-4,
            "[{lo}, {hi}]"
        );
        assert_eq!(wilson(0, 10).0, 0.0);
        assert_eq!(wilson(10, 10).1, 1.0);
    }

    #[test]
    fn t_quantiles_match_tables() {
        for (df, t) in [
            (3, 3.182446),
            (10, 2.228139),
            (30, 2.042272),
            (1000, 1.962339),
        ] {
            assert!(
                (t95(df) - t).abs() / t < 2e-3,
                "df {df}: {} vs {t}",
                t95(df)
            );
        }
    }
}
