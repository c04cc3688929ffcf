//! Scoring forecasts: skill scores against a reference with bootstrap intervals, reliability
//! tables of probability forecasts, the CRPS of an ensemble.

/// A skill score, 1 − S / S_ref of two mean scores (1 perfect, 0 no better than the
/// reference, negative worse), with a bootstrap 95 % interval over the scored items.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Skill {
    /// 1 − S / S_ref.
    pub score: f64,
    /// Lower end of the 95 % interval.
    pub low: f64,
    /// Upper end of the 95 % interval.
    pub high: f64,
}

/// Bootstrap resamples behind a [`Skill`] interval.
pub const SKILL_RESAMPLES: usize = 2000;

/// The skill of `scores` against `reference` (one score each per item, lower better), with a
/// percentile bootstrap 95 % interval: items resampled with replacement, [`SKILL_RESAMPLES`]
/// times, from a ChaCha8 stream of `seed`. Resamples whose reference scores 0 (where skill is
/// undefined) are left out. `None` without items or when the reference scores 0 on them all.
pub fn skill(scores: &[f64], reference: &[f64], seed: u64) -> Option<Skill> {
    use rand::{Rng, SeedableRng};
    assert_eq!(
        scores.len(),
        reference.len(),
        "one reference score per item"
    );
    let n = scores.len();
    let of = |s: f64, r: f64| (r > 0.0).then(|| 1.0 - s / r);
    let score = of(scores.iter().sum(), reference.iter().sum())?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut draws = Vec::with_capacity(SKILL_RESAMPLES);
    for _ in 0..SKILL_RESAMPLES {
        let (mut s, mut r) = (0.0, 0.0);
        for _ in 0..n {
            let k = ((rng.next_u64() as u128 * n as u128) >> 64) as usize;
            s += scores[k];
            r += reference[k];
        }
        draws.extend(of(s, r));
    }
    draws.sort_by(f64::total_cmp);
    let at = |q: f64| draws[((q * (draws.len() - 1) as f64).round() as usize).min(draws.len() - 1)];
    Some(Skill {
        score,
        low: at(0.025),
        high: at(0.975),
    })
}

/// One bin of a reliability table: the forecasts in [low, high) (the last bin includes 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReliabilityBin {
    /// Lower end of the bin.
    pub low: f64,
    /// Upper end of the bin.
    pub high: f64,
    /// Forecasts in the bin.
    pub forecasts: usize,
    /// Their mean.
    pub mean_forecast: f64,
    /// Share of these forecasts whose event was observed.
    pub observed_share: f64,
}

/// The reliability table of probability forecasts: `bins` equal bins over [0, 1], empty bins
/// left out. A reliable forecaster's observed share matches its mean forecast in every bin.
pub fn reliability(forecasts: &[f64], observed: &[bool], bins: usize) -> Vec<ReliabilityBin> {
    assert_eq!(
        forecasts.len(),
        observed.len(),
        "one observation per forecast"
    );
    let mut sums = vec![(0usize, 0.0f64, 0usize); bins];
    for (&f, &o) in forecasts.iter().zip(observed) {
        let k = ((f * bins as f64) as usize).min(bins - 1);
        sums[k].0 += 1;
        sums[k].1 += f;
        sums[k].2 += usize::from(o);
    }
    sums.iter()
        .enumerate()
        .filter(|(_, s)| s.0 > 0)
        .map(|(k, &(n, f, o))| ReliabilityBin {
            low: k as f64 / bins as f64,
            high: (k + 1) as f64 / bins as f64,
            forecasts: n,
            mean_forecast: f / n as f64,
            observed_share: o as f64 / n as f64,
        })
        .collect()
}

/// The continuous ranked probability score of an ensemble of equally weighted members for an
/// observation: mean |x − y| − ½ mean |x − x′| over all pairs (Gneiting and Raftery 2007,
/// eq. 21). In the observation's units, lower better; a point forecast scores its absolute
/// error. Computed on the sorted members in O(n log n).
pub fn crps(ensemble: &[f64], observed: f64) -> f64 {
    assert!(!ensemble.is_empty(), "an ensemble has members");
    let mut x = ensemble.to_vec();
    x.sort_by(f64::total_cmp);
    let n = x.len() as f64;
    let error: f64 = x.iter().map(|v| (v - observed).abs()).sum::<f64>() / n;
    // ½ mean |x − x′| = Σ_i x_(i) (2i − n + 1) / n² over the sorted members, i from 0.
    let spread: f64 = x
        .iter()
        .enumerate()
        .map(|(i, v)| v * (2.0 * i as f64 - n + 1.0))
        .sum::<f64>()
        / (n * n);
    error - spread
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reliability_bins_forecasts_and_counts_what_happened() {
        let table = reliability(
            &[0.0, 0.05, 0.95, 1.0, 1.0, 0.5],
            &[false, true, true, true, false, true],
            10,
        );
        let rows: Vec<(f64, usize, f64)> = table
            .iter()
            .map(|b| (b.low, b.forecasts, b.observed_share))
            .collect();
        assert_eq!(rows, [(0.0, 2, 0.5), (0.5, 1, 1.0), (0.9, 3, 2.0 / 3.0)]);
        assert!((table[0].mean_forecast - 0.025).abs() < 1e-12);
    }

    #[test]
    fn crps_by_hand() {
        // Two members 0 and 1, observed 0.5: mean error 0.5, half the mean pair distance
        // (0 + 1 + 1 + 0) / 4 / 2 = 0.25, so 0.25.
        assert!((crps(&[0.0, 1.0], 0.5) - 0.25).abs() < 1e-15);
        // One member: the absolute error.
        assert!((crps(&[0.2], 0.5) - 0.3).abs() < 1e-15);
        // -1, 0, 1 observed at 1: mean error 1, pairs (1 + 2 + 1) * 2 / 9 / 2 = 4/9; in any order.
        assert!((crps(&[1.0, -1.0, 0.0], 1.0) - 5.0 / 9.0).abs() < 1e-15);
        // A wider ensemble around the truth scores worse than a narrow one.
        assert!(crps(&[-0.5, 0.5], 0.0) > crps(&[-0.1, 0.1], 0.0));
    }

    #[test]
    fn skill_is_one_minus_the_ratio_with_an_interval_around_it() {
        // Half the reference's score: skill 0.5; a reference that scores 0 leaves it undefined.
        let s = skill(&[0.1, 0.2, 0.3, 0.0], &[0.2, 0.4, 0.6, 0.0], 1).unwrap();
        assert!((s.score - 0.5).abs() < 1e-12);
        assert!(s.low <= s.score && s.score <= s.high, "{s:?}");
        assert!((s.low - 0.5).abs() < 1e-12 && (s.high - 0.5).abs() < 1e-12);
        assert_eq!(skill(&[0.1], &[0.0], 1), None);
        // One item carries the whole difference: the interval spans no skill and all of it.
        let lumpy = skill(&[0.0, 0.0, 0.0, 0.0, 1.0], &[0.2; 5], 7).unwrap();
        assert!((lumpy.score - 0.0).abs() < 1e-12);
        assert!(lumpy.low < -0.5 && lumpy.high == 1.0, "{lumpy:?}");
        assert_eq!(
            skill(&[0.0, 1.0], &[0.5, 0.5], 3),
            skill(&[0.0, 1.0], &[0.5, 0.5], 3)
        );
    }
}
