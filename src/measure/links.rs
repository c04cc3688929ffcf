//! The links of the series other than the ideal points: logit(share) linear in the latent
//! alignment with a normal error, fitted by least squares (docs/MODEL.md, 9.2).

use super::kalman::Estimate;
use std::collections::BTreeMap;

/// A series' link to the latent alignment: logit(value) = `intercept` + `slope`·*a* + error of
/// sd `sd`, fitted by least squares on the ideal points' reading of *a*.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Link {
    /// The logit at *a* = 0.
    pub intercept: f64,
    /// The logit's change per alignment unit.
    pub slope: f64,
    /// The residual sd, logit units.
    pub sd: f64,
    /// Pairs the fit used.
    pub pairs: usize,
}

/// Fewest pairs a link is fitted on.
const MIN_PAIRS: usize = 5;

/// Shares are kept this far from 0 and 1 before their logit.
const SHARE_FLOOR: f64 = 0.01;

/// The logit of a share, kept `SHARE_FLOOR` (0.01) from 0 and 1.
pub fn logit(share: f64) -> f64 {
    let p = share.clamp(SHARE_FLOOR, 1.0 - SHARE_FLOOR);
    (p / (1.0 - p)).ln()
}

impl Link {
    pub(super) fn fit(pairs: &[(f64, f64)]) -> Option<Link> {
        let n = pairs.len() as f64;
        if pairs.len() < MIN_PAIRS {
            return None;
        }
        let (mx, my) = pairs
            .iter()
            .fold((0.0, 0.0), |(x, y), p| (x + p.0 / n, y + p.1 / n));
        let sxx: f64 = pairs.iter().map(|p| (p.0 - mx).powi(2)).sum();
        let sxy: f64 = pairs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
        if sxx <= 0.0 {
            return None;
        }
        let slope = sxy / sxx;
        let intercept = my - slope * mx;
        let sse: f64 = pairs
            .iter()
            .map(|p| (p.1 - intercept - slope * p.0).powi(2))
            .sum();
        Some(Link {
            intercept,
            slope,
            sd: (sse / (n - 2.0)).sqrt(),
            pairs: pairs.len(),
        })
    }

    /// The link with an intercept per session (the agreement rates move with each session's
    /// agenda) and one slope, fitted within sessions; its intercept is the last session's.
    pub(super) fn fit_by_session(rows: &[(i32, f64, f64)]) -> Option<Link> {
        let mut sessions: BTreeMap<i32, Vec<(f64, f64)>> = BTreeMap::new();
        for &(year, x, y) in rows {
            sessions.entry(year).or_default().push((x, y));
        }
        let means: BTreeMap<i32, (f64, f64)> = (sessions.iter())
            .map(|(year, v)| {
                let n = v.len() as f64;
                (
                    *year,
                    v.iter()
                        .fold((0.0, 0.0), |(x, y), p| (x + p.0 / n, y + p.1 / n)),
                )
            })
            .collect();
        let within: Vec<(f64, f64)> = (rows.iter())
            .map(|&(year, x, y)| (x - means[&year].0, y - means[&year].1))
            .collect();
        let centred = Link::fit(&within)?;
        let (_, (mx, my)) = means.last_key_value()?;
        let sessions_fitted = (rows.len() - sessions.len()) as f64;
        let sse = centred.sd.powi(2) * (rows.len() as f64 - 2.0);
        Some(Link {
            intercept: my - centred.slope * mx,
            slope: centred.slope,
            sd: (sse / (sessions_fitted - 1.0).max(1.0)).sqrt(),
            pairs: rows.len(),
        })
    }

    /// The logit of the series' value implied by an estimate of *a*, with the link's error.
    pub fn implied(&self, a: Estimate) -> Estimate {
        Estimate {
            mean: self.intercept + self.slope * a.mean,
            sd: (self.slope.powi(2) * a.sd.powi(2) + self.sd.powi(2)).sqrt(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_fitted_by_least_squares() {
        let pairs: Vec<(f64, f64)> = (0..10)
            .map(|i| (i as f64 / 10.0, 1.0 - 2.0 * i as f64 / 10.0))
            .collect();
        let link = Link::fit(&pairs).unwrap();
        assert!((link.intercept - 1.0).abs() < 1e-12 && (link.slope + 2.0).abs() < 1e-12);
        assert!(link.sd < 1e-9);
        assert_eq!(Link::fit(&pairs[..4]), None, "too few pairs");
        // Two sessions whose intercepts differ by 1: one slope, the last session's intercept.
        let rows: Vec<(i32, f64, f64)> = (0..20)
            .map(|i| {
                (
                    2000 + i % 2,
                    i as f64 / 10.0,
                    (i % 2) as f64 - 2.0 * i as f64 / 10.0,
                )
            })
            .collect();
        let link = Link::fit_by_session(&rows).unwrap();
        assert!(
            (link.slope + 2.0).abs() < 1e-9 && (link.intercept - 1.0).abs() < 1e-9,
            "{link:?}"
        );
    }
}
