//! The Ukraine-related UN votes' link (docs/MODEL.md, 9.2): an ordered probit in the latent
//! alignment — yes below a resolution's threshold, abstain or absent in a band above it, no
//! beyond — with the filter's uncertainty about the state's alignment at the vote added to the
//! probit's own. Penalised maximum likelihood: the votes are few and mostly yes, so each
//! resolution's threshold is shrunk toward their mean, and the band and scale have weak priors.

use super::kalman::Estimate;
use super::sources::Vote;
use crate::distributions::normal_cdf;
use crate::statistics::minimise;

/// The link: each resolution's threshold, the abstention band and the probit's scale.
#[derive(Clone, Debug, PartialEq)]
pub struct VoteLink {
    /// (resolution, threshold in alignment units): below it a state votes yes more often than not.
    pub thresholds: Vec<(String, f64)>,
    /// Width of the band of abstention above a threshold, alignment units.
    pub band: f64,
    /// The probit's scale, alignment units.
    pub scale: f64,
    /// Votes fitted.
    pub votes: usize,
    /// Of them, abstentions, absences and noes.
    pub not_yes: usize,
}

/// sd of a resolution's threshold about their mean: a modelling choice (resolutions ask more
/// or less of a state; half an alignment unit either way).
const THRESHOLD_SD: f64 = 0.5;
/// Weak priors: the thresholds' mean ~ N(0, 1); the band and the scale log-normal about 0.3.
const MEAN_SD: f64 = 1.0;
const BAND_AND_SCALE: f64 = 0.3;
/// Fewest votes a link is fitted on.
const MIN_VOTES: usize = 10;
/// Most evaluations of the fit.
const MAX_EVALUATIONS: usize = 20_000;

/// The probabilities of yes, abstain-or-absent and no at threshold `t`, for a state whose
/// alignment is estimated `a`.
fn probabilities(t: f64, band: f64, scale: f64, a: Estimate) -> [f64; 3] {
    let sd = (scale * scale + a.sd * a.sd).sqrt();
    let yes = normal_cdf((t - a.mean) / sd);
    let not_no = normal_cdf((t + band - a.mean) / sd);
    [yes, not_no - yes, 1.0 - not_no]
}

impl VoteLink {
    /// Fits the link to `votes`, each with the filter's estimate of the state's alignment at
    /// the vote; `None` with fewer than [`MIN_VOTES`].
    pub(super) fn fit(votes: &[(&Vote, Estimate)]) -> Option<VoteLink> {
        if votes.len() < MIN_VOTES {
            return None;
        }
        let mut names: Vec<String> = Vec::new();
        for (v, _) in votes {
            if !names.contains(&v.resolution) {
                names.push(v.resolution.clone());
            }
        }
        let index: Vec<usize> = (votes.iter())
            .map(|(v, _)| names.iter().position(|n| *n == v.resolution).unwrap_or(0))
            .collect();
        let cost = |x: &[f64]| {
            let (mean, band, scale) = (x[0], x[1].exp(), x[2].exp());
            let mut penalty = (mean / MEAN_SD).powi(2) / 2.0;
            for log in [x[1], x[2]] {
                penalty += (log - BAND_AND_SCALE.ln()).powi(2) / 2.0;
            }
            penalty += x[3..]
                .iter()
                .map(|d| (d / THRESHOLD_SD).powi(2) / 2.0)
                .sum::<f64>();
            let fit: f64 = (votes.iter().zip(&index))
                .map(|((v, a), &r)| {
                    let p = probabilities(mean + x[3 + r], band, scale, *a);
                    -p[usize::from(v.outcome)].max(1e-300).ln()
                })
                .sum();
            fit + penalty
        };
        let mut start = vec![0.0, BAND_AND_SCALE.ln(), BAND_AND_SCALE.ln()];
        start.extend(std::iter::repeat_n(0.0, names.len()));
        let best = minimise::nelder_mead(cost, &start, 0.5, MAX_EVALUATIONS);
        let x = best.x;
        Some(VoteLink {
            thresholds: names
                .into_iter()
                .enumerate()
                .map(|(r, n)| (n, x[0] + x[3 + r]))
                .collect(),
            band: x[1].exp(),
            scale: x[2].exp(),
            votes: votes.len(),
            not_yes: votes.iter().filter(|(v, _)| v.outcome > 0).count(),
        })
    }

    /// The probability that a state of estimated alignment `a` votes yes on resolution `r`.
    pub fn yes(&self, r: usize, a: Estimate) -> f64 {
        probabilities(self.thresholds[r].1, self.band, self.scale, a)[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vote(resolution: &str, outcome: u8) -> Vote {
        Vote {
            state: "X".into(),
            month: 0,
            resolution: resolution.into(),
            outcome,
        }
    }

    #[test]
    fn a_vote_is_probabilistic_in_the_alignment_and_the_fit_orders_the_resolutions() {
        // "easy": everyone at or below +0.3 votes yes; "hard": only those below −0.3 do.
        let mut votes = Vec::new();
        for k in 0..40 {
            let a = -1.0 + 2.0 * k as f64 / 39.0;
            let estimate = Estimate { mean: a, sd: 0.05 };
            votes.push((
                vote(
                    "easy",
                    if a <= 0.3 {
                        0
                    } else if a <= 0.6 {
                        1
                    } else {
                        2
                    },
                ),
                estimate,
            ));
            votes.push((
                vote(
                    "hard",
                    if a <= -0.3 {
                        0
                    } else if a <= 0.0 {
                        1
                    } else {
                        2
                    },
                ),
                estimate,
            ));
        }
        let refs: Vec<(&Vote, Estimate)> = votes.iter().map(|(v, e)| (v, *e)).collect();
        let link = VoteLink::fit(&refs).unwrap();
        let t = |name: &str| link.thresholds.iter().find(|(n, _)| n == name).unwrap().1;
        assert!(t("easy") > t("hard") + 0.3, "{link:?}");
        let at = |mean: f64| Estimate { mean, sd: 0.0 };
        let easy = link
            .thresholds
            .iter()
            .position(|(n, _)| n == "easy")
            .unwrap();
        // Monotone in the alignment, and never a knife-edge: near the threshold, a coin.
        assert!(link.yes(easy, at(-0.5)) > link.yes(easy, at(0.3)));
        assert!(link.yes(easy, at(0.3)) > link.yes(easy, at(0.8)));
        let near = link.yes(easy, at(t("easy")));
        assert!((near - 0.5).abs() < 1e-6, "{near}");
        // Uncertainty about the alignment pulls the probability toward a half.
        let sure = link.yes(easy, at(-0.2));
        let unsure = link.yes(
            easy,
            Estimate {
                mean: -0.2,
                sd: 0.5,
            },
        );
        assert!(unsure < sure && unsure > 0.5);
        assert_eq!(VoteLink::fit(&refs[..5]), None);
    }
}
