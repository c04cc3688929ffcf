//! The polls' link to public opinion (docs/MODEL.md, 9.5). A state's public reads *p* = *a* +
//! *u* on the alignment axis: its government's alignment *a* and a gap *u* of its own, normal
//! across states with sd τ and constant in time. A poll of family *f* reads logit(share) =
//! α_f ± β·*p* + error of sd σ (+ for a share that rises toward Moscow). β, τ and σ are fitted by
//! penalised maximum likelihood over the states' polls, each state's gap and the error of its
//! government's estimate integrated out as one shared part; α_f is each family's mean given β.
//! Only families asked in two states or more inform the gaps.

use super::kalman::Estimate;
use super::links::logit;
use super::sources::Poll;
use crate::statistics::minimise;
use std::collections::BTreeMap;

/// A family of poll questions that shares one link.
#[derive(Clone, Debug, PartialEq)]
pub struct PollFamily {
    /// Its name in `poll_families.csv`.
    pub name: String,
    /// Whether its share rises toward Moscow.
    pub toward_moscow: bool,
    /// α_f: its logit at public opinion 0.
    pub intercept: f64,
    /// Polls of it the fit used.
    pub polls: usize,
}

impl PollFamily {
    /// +1 for a share that rises toward Moscow, −1 toward the West.
    fn sign(&self) -> f64 {
        if self.toward_moscow { 1.0 } else { -1.0 }
    }
}

/// The polls' link, fitted on the polls up to the origin.
#[derive(Clone, Debug, PartialEq)]
pub struct PollLink {
    /// The families fitted, by name.
    pub families: Vec<PollFamily>,
    /// β: the logit's change per unit of public opinion, in each family's direction.
    pub slope: f64,
    /// τ: the sd across states of the public's gap from its government, alignment units.
    pub gap_sd: f64,
    /// σ: a poll's residual sd, logit units.
    pub sd: f64,
    /// Polls the fit used.
    pub polls: usize,
    /// States they came from.
    pub states: usize,
}

/// Fewest states a family is asked in to inform the gaps.
const MIN_FAMILY_STATES: usize = 2;

/// Fewest polls and states a link is fitted on.
const MIN_POLLS: usize = 10;
const MIN_STATES: usize = 4;

/// Where the penalty centres β, τ and σ (weakly: sd [`PRIOR_LOG_SD`] on their logarithms).
const PRIOR_CENTRE: [f64; 3] = [1.0, 0.5, 0.3];
const PRIOR_LOG_SD: f64 = 2.0;

/// Evaluations the optimiser may spend.
const MAX_EVALUATIONS: usize = 3000;

/// A poll as the fit reads it: its state, family, logit, and the government's alignment then.
struct Row<'a> {
    state: &'a str,
    family: usize,
    z: f64,
    government: Estimate,
}

impl PollLink {
    /// Fits the link to polls each paired with the filter's estimate of the state's alignment
    /// at the poll; `None` with too few polls or states.
    pub(super) fn fit(at_polls: &[(&Poll, Estimate)]) -> Option<PollLink> {
        let mut asked: BTreeMap<&str, (bool, Vec<&str>)> = BTreeMap::new();
        for (p, _) in at_polls {
            let entry = asked
                .entry(&p.family)
                .or_insert((p.toward_moscow, Vec::new()));
            if !entry.1.contains(&p.state.as_str()) {
                entry.1.push(&p.state);
            }
        }
        asked.retain(|_, (_, states)| states.len() >= MIN_FAMILY_STATES);
        let names: Vec<&str> = asked.keys().copied().collect();
        let rows: Vec<Row> = (at_polls.iter())
            .filter_map(|(p, a)| {
                Some(Row {
                    state: &p.state,
                    family: names.iter().position(|n| *n == p.family)?,
                    z: logit(p.share),
                    government: *a,
                })
            })
            .collect();
        let mut states: Vec<&str> = rows.iter().map(|r| r.state).collect();
        states.sort_unstable();
        states.dedup();
        if rows.len() < MIN_POLLS || states.len() < MIN_STATES {
            return None;
        }
        let template: Vec<PollFamily> = (asked.iter())
            .map(|(name, (toward_moscow, _))| PollFamily {
                name: name.to_string(),
                toward_moscow: *toward_moscow,
                intercept: 0.0,
                polls: rows.iter().filter(|r| names[r.family] == *name).count(),
            })
            .collect();
        let link = |x: &[f64]| link_of(&template, &rows, x, rows.len(), states.len());
        let cost = |x: &[f64]| {
            let penalty: f64 = (x.iter().zip(PRIOR_CENTRE))
                .map(|(v, c)| ((v - c.ln()) / PRIOR_LOG_SD).powi(2) / 2.0)
                .sum();
            link(x).negative_log_likelihood(&rows, &states) + penalty
        };
        let start = PRIOR_CENTRE.map(f64::ln);
        let best = minimise::nelder_mead(cost, &start, 0.5, MAX_EVALUATIONS);
        Some(link(&best.x))
    }

    /// The residual of a poll of family `f` read at government alignment `a`: what the gap
    /// (and the error of `a`) must explain.
    fn residual(&self, f: usize, z: f64, a: f64) -> f64 {
        let family = &self.families[f];
        z - family.intercept - family.sign() * self.slope * a
    }

    /// The variance of the part all of a state's polls share: its gap and the error of its
    /// government's estimate, taken as one (the filter's errors at a state's polls are strongly
    /// correlated: the same observations inform them), `mean_variance` the mean of the latter.
    fn shared_variance(&self, mean_variance: f64) -> f64 {
        self.gap_sd.powi(2) + mean_variance
    }

    /// Minus the log-likelihood of `rows`, each state's shared part integrated out: its polls
    /// are jointly normal with covariance σ²·I + β²·V·ssᵀ (s the families' signs, V the shared
    /// variance), whose determinant and inverse follow from the Sherman–Morrison formula.
    fn negative_log_likelihood(&self, rows: &[Row], states: &[&str]) -> f64 {
        let noise = self.sd.powi(2);
        let mut total = 0.0;
        for state in states {
            let own: Vec<&Row> = rows.iter().filter(|r| r.state == *state).collect();
            let n = own.len() as f64;
            let v = own.iter().map(|r| r.government.sd.powi(2)).sum::<f64>() / n;
            let c = self.slope.powi(2) * self.shared_variance(v);
            let (mut quadratic, mut s_r) = (0.0, 0.0);
            for row in own {
                let r = self.residual(row.family, row.z, row.government.mean);
                quadratic += r * r / noise;
                s_r += self.families[row.family].sign() * r / noise;
            }
            let log_det = n * noise.ln() + (1.0 + c * n / noise).ln();
            quadratic -= c * s_r * s_r / (1.0 + c * n / noise);
            total += 0.5 * (log_det + quadratic);
        }
        total
    }

    /// The family named `name`, by position.
    pub fn family(&self, name: &str) -> Option<usize> {
        self.families.iter().position(|f| f.name == name)
    }

    /// The polls of `polls` whose family the link fitted (the others say nothing of a gap).
    pub fn fitted<'p, T>(&self, polls: &'p [(Poll, T)]) -> impl Iterator<Item = &'p Poll> + Clone {
        polls
            .iter()
            .map(|(p, _)| p)
            .filter(|p| self.family(&p.family).is_some())
    }

    /// The public of a state whose government's alignment is `now` at the origin, from its
    /// polls (each with the government's alignment at the poll): its alignment plus the shared
    /// part's posterior, with what the government's estimate lost since the polls added; `None`
    /// without a poll of a fitted family.
    pub fn public(&self, own: &[(&Poll, Estimate)], now: Estimate) -> Option<Estimate> {
        let fitted: Vec<(usize, &Poll, Estimate)> = (own.iter())
            .filter_map(|(p, a)| Some((self.family(&p.family)?, *p, *a)))
            .collect();
        if fitted.is_empty() {
            return None;
        }
        let n = fitted.len() as f64;
        let v = fitted.iter().map(|(_, _, a)| a.sd.powi(2)).sum::<f64>() / n;
        let noise = self.sd.powi(2);
        let mut precision = 1.0 / self.shared_variance(v);
        let mut weighted = 0.0;
        for (f, poll, a) in fitted {
            let b = self.families[f].sign() * self.slope;
            precision += b * b / noise;
            weighted += b * self.residual(f, logit(poll.share), a.mean) / noise;
        }
        Some(Estimate {
            mean: now.mean + weighted / precision,
            sd: (1.0 / precision + (now.sd.powi(2) - v).max(0.0)).sqrt(),
        })
    }

    /// The logit of family `f`'s share implied by a public of `p`, with the poll's own error.
    pub fn implied(&self, f: usize, p: Estimate) -> Estimate {
        let family = &self.families[f];
        Estimate {
            mean: family.intercept + family.sign() * self.slope * p.mean,
            sd: ((self.slope * p.sd).powi(2) + self.sd.powi(2)).sqrt(),
        }
    }
}

/// The link of an unconstrained vector (ln β, ln τ, ln σ), each family's intercept its mean
/// logit given β.
fn link_of(
    template: &[PollFamily],
    rows: &[Row],
    x: &[f64],
    polls: usize,
    states: usize,
) -> PollLink {
    let slope = x[0].exp();
    let mut families = template.to_vec();
    for (f, family) in families.iter_mut().enumerate() {
        let own: Vec<f64> = (rows.iter())
            .filter(|r| r.family == f)
            .map(|r| r.z - family.sign() * slope * r.government.mean)
            .collect();
        family.intercept = own.iter().sum::<f64>() / own.len().max(1) as f64;
    }
    PollLink {
        families,
        slope,
        gap_sd: x[1].exp(),
        sd: x[2].exp(),
        polls,
        states,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::normal;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn the_fit_recovers_a_known_link_and_reads_each_public() {
        const STATES: u32 = 60;
        let (slope, gap_sd, sd) = (1.5, 0.4, 0.25);
        let mut rng = ChaCha8Rng::seed_from_u64(21);
        let families = [
            ("trust", false, 0.3),
            ("ally", true, -1.0),
            ("vote", false, 0.8),
        ];
        let mut polls = Vec::new();
        let mut truth = Vec::new();
        for s in 0..STATES {
            let a = -1.0 + 2.0 * f64::from(s) / f64::from(STATES - 1);
            let u = gap_sd * normal(&mut rng);
            truth.push(a + u);
            for (k, (name, toward_moscow, intercept)) in families.iter().enumerate() {
                let sign = if *toward_moscow { 1.0 } else { -1.0 };
                let z = intercept + sign * slope * (a + u) + sd * normal(&mut rng);
                let poll = Poll {
                    state: format!("S{s:02}"),
                    month: k as i32,
                    family: name.to_string(),
                    toward_moscow: *toward_moscow,
                    share: 1.0 / (1.0 + (-z).exp()),
                };
                polls.push((poll, Estimate { mean: a, sd: 0.05 }));
            }
        }
        // A family asked in one state only: it says nothing of a gap, and is not fitted.
        let mut lonely = polls[0].clone();
        lonely.0.family = "lonely".into();
        polls.push(lonely);
        let refs: Vec<(&Poll, Estimate)> = polls.iter().map(|(p, e)| (p, *e)).collect();
        let link = PollLink::fit(&refs).unwrap();
        assert!((link.slope - slope).abs() < 0.3, "{link:?}");
        assert!((link.gap_sd - gap_sd).abs() < 0.12, "{link:?}");
        assert!((link.sd - sd).abs() < 0.1, "{link:?}");
        // Each public read from its own polls.
        let held = (0..STATES as usize)
            .filter(|s| {
                let own: Vec<(&Poll, Estimate)> = refs[3 * s..3 * s + 3].to_vec();
                let p = link.public(&own, own[0].1).unwrap();
                p.holds(truth[*s], 0.9)
            })
            .count();
        // 90 % intervals: with plug-in parameters somewhat fewer (six seeds: 48 to 57 of 60).
        assert!((47..=59).contains(&held), "{held} of {STATES}");
        assert_eq!(link.families.len(), 3);
        assert!(link.family("lonely").is_none() && link.polls == 3 * STATES as usize);
        // Too few states fit nothing, however many polls; nor do too few polls.
        let three_states: Vec<(&Poll, Estimate)> = refs[..9].repeat(2);
        assert_eq!(PollLink::fit(&three_states), None);
        let nine_polls: Vec<(&Poll, Estimate)> = (0..9).map(|s| refs[3 * s + s % 3]).collect();
        assert_eq!(PollLink::fit(&nine_polls), None);
    }
}
