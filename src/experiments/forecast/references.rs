//! The references a forecast of UN ideal points is scored against, each fitted on the panel's
//! sessions up to the origin only (docs/VALIDATION.md):
//!
//! - **random walk**: the state's last observed ideal point plus the panel's own changes over
//!   as many years (every state's, from every session pair up to the origin) — the honest
//!   persistence, with the spread persistence has had;
//! - **climatology**: the state's own sessions since the axis's width is fixed (2000) up to the
//!   origin, as an ensemble;
//! - **panel AR(1)**: each state's ideal point reverting to its own mean at one pooled rate,
//!   y − μᵢ = φ (y₋₁ − μᵢ) + ε, fitted by least squares; h years ahead a normal of mean
//!   μᵢ + φʰ (y_last − μᵢ) and variance σ² (1 − φ²ʰ) / (1 − φ²).

use crate::measure::{Panel, Series, WIDTH_FROM};
use crate::statistics::{Mixture, crps};
use std::collections::BTreeMap;

/// Fewest sessions a state needs for its climatology and its mean.
const MIN_SESSIONS: usize = 3;

/// Each state's sessions up to the origin: year → ideal point.
type Sessions = BTreeMap<String, BTreeMap<i32, f64>>;

/// The references fitted at one origin.
pub(super) struct References {
    sessions: Sessions,
    /// Years apart → every state's change over them.
    changes: BTreeMap<i32, Vec<f64>>,
    /// The AR(1)'s pooled rate and innovation variance.
    phi: f64,
    innovation_var: f64,
}

/// Each reference's CRPS for one observation.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct ReferenceScores {
    pub random_walk: f64,
    pub climatology: f64,
    pub ar1: f64,
}

impl References {
    /// Fitted on `panel`'s ideal points of sessions up to `last_year`.
    pub fn fit(panel: &Panel, last_year: i32) -> References {
        let mut sessions: Sessions = BTreeMap::new();
        for o in &panel.observations {
            let year = o.month.div_euclid(12);
            if o.series == Series::UngaIdealPoint && (WIDTH_FROM..=last_year).contains(&year) {
                sessions
                    .entry(o.state.clone())
                    .or_default()
                    .insert(year, o.value);
            }
        }
        let mut changes: BTreeMap<i32, Vec<f64>> = BTreeMap::new();
        let (mut xy, mut xx, mut pairs) = (0.0, 0.0, Vec::new());
        for years in sessions.values() {
            for (a, ya) in years {
                for (b, yb) in years.range(a + 1..) {
                    changes.entry(b - a).or_default().push(yb - ya);
                }
            }
            if years.len() < MIN_SESSIONS {
                continue;
            }
            let mu = years.values().sum::<f64>() / years.len() as f64;
            for (a, ya) in years {
                if let Some(yb) = years.get(&(a + 1)) {
                    xy += (ya - mu) * (yb - mu);
                    xx += (ya - mu) * (ya - mu);
                    pairs.push((ya - mu, yb - mu));
                }
            }
        }
        let phi = if xx > 0.0 {
            (xy / xx).clamp(0.0, 0.999)
        } else {
            0.0
        };
        let innovation_var = (pairs.iter())
            .map(|(x, y)| (y - phi * x).powi(2))
            .sum::<f64>()
            / pairs.len().max(1) as f64;
        References {
            sessions,
            changes,
            phi,
            innovation_var,
        }
    }

    /// Each reference's CRPS for `state`'s session of `year`, observed at `y`; `None` where a
    /// reference has nothing to go on (no session of the state, or too few).
    pub fn score(&self, state: &str, year: i32, y: f64) -> Option<ReferenceScores> {
        let own = self
            .sessions
            .get(state)
            .filter(|s| s.len() >= MIN_SESSIONS)?;
        let (&last_year, &last) = own.iter().next_back()?;
        let ahead = year - last_year;
        let steps = self.changes.get(&ahead).filter(|c| !c.is_empty())?;
        let walk: Vec<f64> = steps.iter().map(|c| last + c).collect();
        let climate: Vec<f64> = own.values().copied().collect();
        let mu = climate.iter().sum::<f64>() / climate.len() as f64;
        let decay = self.phi.powi(ahead);
        let var = match self.phi < 1.0 {
            true => self.innovation_var * (1.0 - decay * decay) / (1.0 - self.phi * self.phi),
            false => self.innovation_var * f64::from(ahead),
        };
        let ar1 = Mixture::new([(mu + decay * (last - mu), 1.0)], var.sqrt())?;
        Some(ReferenceScores {
            random_walk: crps(&walk, y),
            climatology: crps(&climate, y),
            ar1: ar1.crps(y),
        })
    }
}
