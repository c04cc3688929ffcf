//! The observation model fitted to the panel (docs/MODEL.md, 9): the scale that makes the
//! West's reference −1 and Russia +1 in every session, the latent process's persistence and
//! noise and the ideal points' extra error by maximum likelihood over the panel's states, and
//! the links of the other series by least squares on the ideal points' reading.

use super::kalman::{Belief, Dynamics, Estimate, MAX_PERSISTENCE, Track};
use super::links::{Link, logit};
use super::polls::PollLink;
use super::sources::{Observation, Panel, Poll, Series};
use super::votes::VoteLink;
use super::{MOSCOW_REFERENCE, Month, PANEL, WEST_REFERENCE, month_of};
use crate::statistics::minimise;
use std::collections::BTreeMap;

/// The dynamics of an unconstrained vector (φ by a logistic below [`MAX_PERSISTENCE`], the
/// sds by exponentials), as the optimiser moves it.
fn dynamics_of(x: &[f64]) -> Dynamics {
    Dynamics {
        persistence_per_year: MAX_PERSISTENCE / (1.0 + (-x[0]).exp()),
        noise_sd_per_year: x[1].exp(),
        extra_error_sd: x[2].exp(),
        long_run_mean: x[3],
        long_run_sd_per_state: x[4].exp(),
        error_scale: MAX_ERROR_SCALE / (1.0 + (-x[5]).exp()),
    }
}

/// Largest κ a fit may reach: an ideal point's error twice its own posterior sd.
const MAX_ERROR_SCALE: f64 = 2.0;

/// The unconstrained vector of `d`.
fn vector_of(d: Dynamics) -> Vec<f64> {
    let p = d.persistence_per_year / MAX_PERSISTENCE;
    vec![
        (p / (1.0 - p)).ln(),
        d.noise_sd_per_year.ln(),
        d.extra_error_sd.ln(),
        d.long_run_mean,
        d.long_run_sd_per_state.ln(),
        {
            let k = d.error_scale / MAX_ERROR_SCALE;
            (k / (1.0 - k)).ln()
        },
    ]
}

/// Where the fit starts: persistent, a tenth a year, a little extra error, levels spread wide.
const START: Dynamics = Dynamics {
    persistence_per_year: 0.8,
    noise_sd_per_year: 0.1,
    extra_error_sd: 0.05,
    long_run_mean: -0.5,
    long_run_sd_per_state: 0.5,
    error_scale: 1.0,
};

/// The model's axis on each session's ideal points: the West's reference (the mean of
/// [`WEST_REFERENCE`]) reads −1 in every session, and a state `width` ideal-point units toward
/// Moscow of it reads +1, `width` being the mean distance from the West's reference to
/// [`MOSCOW_REFERENCE`] over the sessions from `WIDTH_FROM`: without one there is no axis.
/// Russia thus reads about +1 since 2000, and nearer the West in the early 1990s, when it
/// voted so.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scale {
    /// Session year → the West's reference, ideal-point units.
    pub sessions: BTreeMap<i32, f64>,
    /// Ideal-point units from −1 to +1.
    pub width: f64,
}

/// Fewest reference states a session's West needs.
const MIN_WEST: usize = 12;

/// The first session whose distance from the West to Russia sets the axis's width: before
/// then Russia voted close to the West (1992–1995: 0.1–0.4 units, against about 1 since).
pub const WIDTH_FROM: i32 = 2000;

impl Scale {
    fn of(panel: &Panel) -> Scale {
        let mut west: BTreeMap<i32, Vec<f64>> = BTreeMap::new();
        let mut moscow = BTreeMap::new();
        for o in panel
            .observations
            .iter()
            .filter(|o| o.series == Series::UngaIdealPoint)
        {
            let year = o.month.div_euclid(12);
            if WEST_REFERENCE.contains(&o.state.as_str()) {
                west.entry(year).or_default().push(o.value);
            } else if o.state == MOSCOW_REFERENCE {
                moscow.insert(year, o.value);
            }
        }
        let sessions: BTreeMap<i32, f64> = (west.into_iter())
            .filter(|(_, v)| v.len() >= MIN_WEST)
            .map(|(year, v)| (year, v.iter().sum::<f64>() / v.len() as f64))
            .collect();
        let distances = |from: i32| -> Vec<f64> {
            (sessions.range(from..))
                .filter_map(|(year, e)| Some(e - moscow.get(year)?))
                .collect()
        };
        let d = distances(WIDTH_FROM);
        let width = d.iter().sum::<f64>() / d.len().max(1) as f64;
        if width > 0.0 {
            Scale { sessions, width }
        } else {
            Scale::default()
        }
    }

    /// An ideal point `y` (sd `se`) of session `year` on the model's axis, with its sd.
    pub fn latent(&self, year: i32, y: f64, se: f64) -> Option<(f64, f64)> {
        let e = *self.sessions.get(&year)?;
        Some((-1.0 + 2.0 * (e - y) / self.width, 2.0 * se / self.width))
    }

    /// The last session up to `year`, with its West's reference.
    pub fn latest(&self, year: i32) -> Option<(i32, f64)> {
        self.sessions
            .range(..=year)
            .next_back()
            .map(|(y, v)| (*y, *v))
    }
}

/// The observation model fitted to a panel.
#[derive(Clone, Debug)]
pub struct ObservationModel {
    /// The axis: each session's reference points.
    pub scale: Scale,
    /// The latent process, fitted by maximum likelihood.
    pub dynamics: Dynamics,
    /// CFSP alignment's link, where the panel has enough pairs.
    pub cfsp: Option<Link>,
    /// The UN agreement rates' links, an intercept per session and the last session's kept
    /// (implied values only: they count the ideal points' votes).
    pub us_agreement: Option<Link>,
    /// The agreement rate with Russia's link.
    pub russia_agreement: Option<Link>,
    /// The Ukraine-related UN votes' link, where there are enough votes up to the origin.
    pub votes: Option<VoteLink>,
    /// The polls' link to public opinion, where there are enough polls up to the origin.
    pub polls: Option<PollLink>,
    /// States and ideal points the dynamics were fitted on, and the log-likelihood reached.
    pub states_fitted: usize,
    /// Ideal points the dynamics were fitted on.
    pub observations_fitted: usize,
    /// The log-likelihood at the fit.
    pub log_likelihood: f64,
}

/// What a state's filter used: observations of each series and the month of the last, in
/// [`Series::ALL`] order.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Used {
    /// Observations used.
    pub count: [usize; Series::ALL.len()],
    /// The month of the last one used.
    pub last: [Option<Month>; Series::ALL.len()],
}

/// One observation as the filter uses it: `z` = `h`·(*a*, *m*) + `c` + error of variance `r`.
struct Reading {
    month: Month,
    series: Series,
    z: f64,
    h: [f64; 2],
    c: f64,
    r: f64,
}

impl ObservationModel {
    /// Fits the model to `panel` (already cut at the origin); `None` without a session to fix
    /// the scale.
    pub fn fit(panel: &Panel) -> Option<ObservationModel> {
        let scale = Scale::of(panel);
        if scale.sessions.is_empty() {
            return None;
        }
        // Each panel state's ideal points on the axis, read once: the dynamics are fitted on
        // them and the links on the readings of their sessions.
        let latents: Vec<(&str, Readings)> = (PANEL.iter())
            .map(|s| (*s, ideal_latents(&scale, &panel.of(s))))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let series: Vec<Readings> = latents.iter().map(|(_, v)| v.clone()).collect();
        let (dynamics, log_likelihood) = fit_dynamics(&series);
        let reading = |state: &str, year: i32| {
            let month = month_of(year, 12);
            let (_, own) = latents.iter().find(|(s, _)| *s == state)?;
            own.iter().find(|r| r.0 == month).map(|r| r.1)
        };
        let cfsp: Vec<(f64, f64)> = (panel.observations.iter())
            .filter(|o| o.series == Series::CfspAlignment)
            .filter_map(|o| Some((reading(&o.state, o.month.div_euclid(12))?, logit(o.value))))
            .collect();
        let agreement = |rate: fn(&super::Agreement) -> Option<f64>| -> Vec<(i32, f64, f64)> {
            (panel.agreement.iter())
                // The US and Russia agree with themselves by definition.
                .filter(|g| {
                    PANEL.contains(&g.state.as_str())
                        && !["USA", MOSCOW_REFERENCE].contains(&g.state.as_str())
                })
                .filter_map(|g| Some((g.year, reading(&g.state, g.year)?, logit(rate(g)?))))
                .collect()
        };
        let mut model = ObservationModel {
            cfsp: Link::fit(&cfsp),
            us_agreement: Link::fit_by_session(&agreement(|g| g.us)),
            russia_agreement: Link::fit_by_session(&agreement(|g| g.russia)),
            states_fitted: series.len(),
            observations_fitted: series.iter().map(Vec::len).sum(),
            log_likelihood,
            scale,
            dynamics,
            votes: None,
            polls: None,
        };
        // Each vote with the filter's estimate of the state's alignment at the vote.
        let at_votes: Vec<(&super::Vote, Estimate)> = (panel.votes.iter())
            .map(|v| {
                (
                    v,
                    model
                        .filter(&panel.of(&v.state), v.month)
                        .0
                        .at_origin
                        .alignment(),
                )
            })
            .collect();
        model.votes = VoteLink::fit(&at_votes);
        model.polls = PollLink::fit(&model.at_polls(panel, &panel.polls));
        Some(model)
    }

    /// Each poll with the filter's estimate of its state's alignment at the poll.
    pub fn at_polls<'p>(&self, panel: &Panel, polls: &'p [Poll]) -> Vec<(&'p Poll, Estimate)> {
        (polls.iter())
            .map(|p| {
                let track = self.filter(&panel.of(&p.state), p.month).0;
                (p, track.at_origin.alignment())
            })
            .collect()
    }

    /// Filters one state's observations (in time order) up to `origin`: its track, and how
    /// many observations of each series it used.
    pub fn filter(&self, observed: &[&Observation], origin: Month) -> (Track, Used) {
        let mut used = Used::default();
        let readings: Vec<Reading> = observed
            .iter()
            .filter(|o| o.month <= origin)
            .filter_map(|o| self.reading(o))
            .collect();
        let mut belief = Belief::prior(&self.dynamics);
        let mut points: Vec<(Month, Estimate)> = Vec::new();
        let mut at = readings.first().map_or(origin, |r| r.month);
        for r in &readings {
            belief.predict(r.month - at, &self.dynamics);
            at = r.month;
            belief.update(r.h, r.c, r.z, r.r);
            used.count[r.series.index()] += 1;
            used.last[r.series.index()] = Some(r.month);
            match points.last_mut() {
                Some(last) if last.0 == r.month => last.1 = belief.alignment(),
                _ => points.push((r.month, belief.alignment())),
            }
        }
        let last_observed = readings.last().map(|r| r.month);
        belief.predict(origin - at, &self.dynamics);
        (
            Track {
                points,
                at_origin: belief,
                last_observed,
            },
            used,
        )
    }

    /// The alignment an observation reads on its own (its link inverted), with that reading's
    /// sd; `None` where the model cannot read it (no session scale, no link).
    pub fn read(&self, o: &Observation) -> Option<(f64, f64)> {
        let r = self.reading(o)?;
        Some(((r.z - r.c) / r.h[0], r.r.sqrt() / r.h[0].abs()))
    }

    /// An observation as the filter reads it, if the model can: its session has a scale, or
    /// its series a link.
    fn reading(&self, o: &Observation) -> Option<Reading> {
        let (z, h, c, r) = match o.series {
            Series::UngaIdealPoint => {
                let (a, se) = self.scale.latent(o.month.div_euclid(12), o.value, o.se)?;
                (
                    a,
                    [1.0, 0.0],
                    0.0,
                    self.dynamics.ideal_error_variance(se, 1.0),
                )
            }
            Series::CfspAlignment => {
                let link = self.cfsp?;
                (
                    logit(o.value),
                    [link.slope, 0.0],
                    link.intercept,
                    link.sd * link.sd,
                )
            }
        };
        Some(Reading {
            month: o.month,
            series: o.series,
            z,
            h,
            c,
            r,
        })
    }

    /// A session-`year` ideal point implied by an estimate of *a*, with the series' own error
    /// (`se`, ideal-point units) and the extra error; `None` before the first session.
    pub fn ideal_point(&self, year: i32, a: Estimate, se: f64) -> Option<(i32, Estimate)> {
        let (session, e) = self.scale.latest(year)?;
        let half = self.scale.width / 2.0;
        let var = half * half * a.sd.powi(2) + self.dynamics.ideal_error_variance(se, half);
        Some((
            session,
            Estimate {
                mean: e - half * (a.mean + 1.0),
                sd: var.sqrt(),
            },
        ))
    }
}

/// A state's ideal points read on the model's axis: (month, reading, its sd), in time order.
type Readings = Vec<(Month, f64, f64)>;

/// A state's ideal points on the model's axis.
fn ideal_latents(scale: &Scale, observed: &[&Observation]) -> Readings {
    observed
        .iter()
        .filter(|o| o.series == Series::UngaIdealPoint)
        .filter_map(|o| {
            let (a, se) = scale.latent(o.month.div_euclid(12), o.value, o.se)?;
            Some((o.month, a, se))
        })
        .collect()
}

/// The log-likelihood of the panel's readings under `d`: each state's Kalman filter.
fn log_likelihood(d: &Dynamics, series: &[Readings]) -> f64 {
    let mut total = 0.0;
    for s in series {
        let mut belief = Belief::prior(d);
        let mut at = s[0].0;
        for &(month, z, se) in s {
            belief.predict(month - at, d);
            at = month;
            total += belief.update([1.0, 0.0], 0.0, z, d.ideal_error_variance(se, 1.0));
        }
    }
    total
}

/// Most likelihood evaluations a fit may spend.
const MAX_EVALUATIONS: usize = 4000;

/// The maximum-likelihood dynamics, and the log-likelihood there.
fn fit_dynamics(series: &[Readings]) -> (Dynamics, f64) {
    let cost = |x: &[f64]| {
        let ll = log_likelihood(&dynamics_of(x), series);
        if ll.is_finite() { -ll } else { f64::MAX }
    };
    let best = minimise::nelder_mead(cost, &vector_of(START), 0.5, MAX_EVALUATIONS);
    let dynamics = dynamics_of(&best.x);
    (dynamics, -best.value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::normal;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    const TRUE: Dynamics = Dynamics {
        persistence_per_year: 0.85,
        noise_sd_per_year: 0.12,
        extra_error_sd: 0.06,
        long_run_mean: -0.4,
        long_run_sd_per_state: 0.5,
        error_scale: 1.0,
    };
    const SE: f64 = 0.05;
    const YEARS: i32 = 30;

    /// `states` synthetic states from [`TRUE`]: each one's yearly readings (month, reading,
    /// sd) and its true alignment in the last year.
    fn synthetic(states: usize, seed: u64) -> (Vec<Readings>, Vec<f64>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let d = TRUE;
        let (phi, var) = d.transition(12);
        let mut series = Vec::new();
        let mut truth = Vec::new();
        for _ in 0..states {
            let m = d.long_run_mean + d.long_run_sd_per_state * normal(&mut rng);
            let mut a = m + d.stationary_variance().sqrt() * normal(&mut rng);
            let mut s = Vec::new();
            for year in 0..YEARS {
                if year > 0 {
                    a = m + phi * (a - m) + var.sqrt() * normal(&mut rng);
                }
                let error = (SE * SE + d.extra_error_sd.powi(2)).sqrt() * normal(&mut rng);
                s.push((month_of(1992 + year, 12), a + error, SE));
            }
            series.push(s);
            truth.push(a);
        }
        (series, truth)
    }

    #[test]
    fn the_fit_recovers_the_dynamics_of_synthetic_data() {
        let (series, _) = synthetic(300, 1);
        let (d, _) = fit_dynamics(&series);
        assert!(
            (d.persistence_per_year - TRUE.persistence_per_year).abs() < 0.05,
            "{d:?}"
        );
        assert!(
            (d.noise_sd_per_year / TRUE.noise_sd_per_year - 1.0).abs() < 0.15,
            "{d:?}"
        );
        assert!(
            (d.extra_error_sd - TRUE.extra_error_sd).abs() < 0.03,
            "{d:?}"
        );
        assert!((d.long_run_mean - TRUE.long_run_mean).abs() < 0.1, "{d:?}");
        assert!(
            (d.long_run_sd_per_state / TRUE.long_run_sd_per_state - 1.0).abs() < 0.2,
            "{d:?}"
        );
    }

    #[test]
    fn nowcast_intervals_hold_the_true_state_at_their_level() {
        let (series, truth) = synthetic(600, 2);
        let (dynamics, log_likelihood) = fit_dynamics(&series);
        // The West's reference at 1 and a width of 2 read an ideal point y as −y.
        let sessions = (1992..1992 + YEARS).map(|y| (y, 1.0)).collect();
        let scale = Scale {
            sessions,
            width: 2.0,
        };
        let model = ObservationModel {
            scale,
            dynamics,
            cfsp: None,
            us_agreement: None,
            russia_agreement: None,
            votes: None,
            polls: None,
            states_fitted: series.len(),
            observations_fitted: 0,
            log_likelihood,
        };
        let origin = month_of(1992 + YEARS - 1, 12);
        let mut held = [0usize; 2];
        for (s, a) in series.iter().zip(&truth) {
            let observed: Vec<Observation> = s
                .iter()
                .map(|&(month, z, se)| Observation {
                    state: "X".into(),
                    month,
                    series: Series::UngaIdealPoint,
                    value: -z,
                    se,
                })
                .collect();
            let (track, used) = model.filter(&observed.iter().collect::<Vec<_>>(), origin);
            assert_eq!(used.count[0], YEARS as usize);
            let estimate = track.at_origin.alignment();
            held[0] += usize::from(estimate.holds(*a, 0.9));
            held[1] += usize::from(estimate.holds(*a, 0.5));
        }
        let share = |k: usize| held[k] as f64 / truth.len() as f64;
        assert!(
            (0.85..=0.95).contains(&share(0)),
            "90 % intervals held {}",
            share(0)
        );
        assert!(
            (0.43..=0.57).contains(&share(1)),
            "50 % intervals held {}",
            share(1)
        );
    }

    #[test]
    fn the_scale_puts_the_west_at_minus_one_and_russia_at_plus_one() {
        let mut panel = Panel::default();
        let mut add = |state: &str, year: i32, value: f64| {
            panel.observations.push(Observation {
                state: state.into(),
                month: month_of(year, 12),
                series: Series::UngaIdealPoint,
                value,
                se: 0.1,
            })
        };
        for (year, west, moscow) in [(1995, 1.4, 1.2), (2000, 1.2, -1.4), (2001, 1.0, -1.4)] {
            WEST_REFERENCE.iter().for_each(|s| add(s, year, west));
            add(MOSCOW_REFERENCE, year, moscow);
        }
        let scale = Scale::of(&panel);
        assert!(
            (scale.width - 2.5).abs() < 1e-12,
            "the mean distance from 2000: {scale:?}"
        );
        let close = |a: Option<(f64, f64)>, b: (f64, f64)| {
            a.is_some_and(|a| (a.0 - b.0).abs() < 1e-12 && (a.1 - b.1).abs() < 1e-12)
        };
        assert!(close(scale.latent(2000, 1.2, 0.0), (-1.0, 0.0)));
        assert!(close(scale.latent(2000, 1.2 - 2.5, 0.25), (1.0, 0.2)));
        assert!(
            scale.latent(1995, 1.2, 0.0).unwrap().0 < -0.8,
            "Russia near the West in 1995"
        );
        assert_eq!(scale.latent(2002, 0.0, 0.0), None);
        assert_eq!(scale.latest(2005).map(|v| v.0), Some(2001));
    }
}
