//! Measurement: what the model's alignment means in observable terms. The panel's observations
//! (`sources`), the observation model fitted to them (`fit`: the scale from the reference states,
//! the latent process and the links of the other series), and the filter that reads a state's
//! present from every observation up to an origin and none after (`kalman`, [`nowcast`]).
//! docs/MODEL.md, section 9, is the model; this module is its code.

mod csv_table;
mod fit;
mod history;
mod kalman;
mod links;
mod polls;
mod sources;
mod votes;

pub use fit::{ObservationModel, Scale, Used, WIDTH_FROM};
pub use history::{Calendar, EU_STAGES, History, NATO_STAGES, Stage};
pub use kalman::{Dynamics, Estimate, Track};
pub use links::{Link, logit};
pub use polls::{PollFamily, PollLink};
pub use sources::{Agreement, DATA_FILES, Observation, Panel, Poll, Series, Sources, Vote};
pub use votes::VoteLink;

use crate::error::{Error, Result};

/// The panel: every state whose observations inform the observation model (docs/MODEL.md, 9).
pub const PANEL: [&str; 46] = [
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN",
    "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP",
    "SWE", "GBR", "NOR", "CHE", "ISL", "SRB", "MNE", "MKD", "ALB", "BIH", "XKX", "MDA", "UKR",
    "BLR", "GEO", "ARM", "AZE", "TUR", "RUS", "USA",
];

/// The West's reference: the EU's fifteen members of 1995, whose mean ideal point is −1 on the
/// model's axis in every session.
pub const WEST_REFERENCE: [&str; 15] = [
    "AUT", "BEL", "DNK", "FIN", "FRA", "DEU", "GRC", "IRL", "ITA", "LUX", "NLD", "PRT", "ESP",
    "SWE", "GBR",
];

/// Moscow's reference: Russia's ideal point is +1 on the model's axis in every session.
pub const MOSCOW_REFERENCE: &str = "RUS";

/// The first year the panel's observations are read: the first UN session after the Soviet
/// Union's end (1992).
pub const FIRST_YEAR: i32 = 1992;

/// A calendar month as a count, `year · 12 + month − 1`, so that months subtract.
pub type Month = i32;

/// The [`Month`] of `year` and `month` (1 to 12).
pub fn month_of(year: i32, month: u32) -> Month {
    year * 12 + month as i32 - 1
}

/// The [`Month`] of `YYYY-MM`; `None` unless the text is exactly that, with a month 1 to 12.
pub fn parse_month(text: &str) -> Option<Month> {
    let (y, m) = text.split_once('-')?;
    let (year, month) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
    (y.len() == 4 && m.len() == 2 && (1..=12).contains(&month)).then(|| month_of(year, month))
}

/// `YYYY-MM` of a [`Month`].
pub fn month_text(m: Month) -> String {
    format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
}

/// One unit's present: what the filter knows at the origin, and how it got there.
#[derive(Clone, Debug)]
pub struct UnitNowcast {
    /// The state's code.
    pub state: String,
    /// The filter's track: the estimate after each observation, and at the origin.
    pub track: Track,
    /// Observations used, by series.
    pub used: Used,
    /// The median standard error of its ideal points used (ideal-point units), if any.
    pub typical_se: Option<f64>,
    /// Its public opinion at the origin, read from its polls (docs/MODEL.md, 9.5), if any.
    pub public: Option<Estimate>,
    /// Its polls up to the origin, each with its government's alignment then.
    pub polls: Vec<(Poll, Estimate)>,
}

/// The nowcast of a set of states at an origin: the observation model fitted to the panel's
/// observations up to the origin, and each state's filtered present.
#[derive(Clone, Debug)]
pub struct Nowcast {
    /// The origin month.
    pub origin: Month,
    /// The observation model, fitted on observations up to the origin.
    pub model: ObservationModel,
    /// One per state asked for, in the order asked.
    pub units: Vec<UnitNowcast>,
    /// The median standard error of the panel's ideal points up to the origin.
    pub typical_se: f64,
    /// The Ukraine-related UN votes up to the origin.
    pub votes: Vec<Vote>,
}

/// The nowcast of `states` at `origin` from `panel`: every observation after the origin is
/// dropped first, so the result cannot depend on them. Refused when the panel has no UN
/// session up to the origin (nothing to fix the scale with).
pub fn nowcast(panel: &Panel, states: &[String], origin: Month) -> Result<Nowcast> {
    let known = panel.up_to(origin);
    let model = ObservationModel::fit(&known).ok_or_else(|| {
        Error::Input(format!(
            "nowcast at {}: the axis needs a UN General Assembly session from {WIDTH_FROM} up to \
             the origin (its width is Russia's distance from the West since then: in the 1990s \
             Russia voted close to the West); choose an origin of {WIDTH_FROM}-12 or later",
            month_text(origin)
        ))
    })?;
    let units = states
        .iter()
        .map(|state| {
            let observed = known.of(state);
            let (track, used) = model.filter(&observed, origin);
            let own: Vec<Poll> = (known.polls.iter())
                .filter(|p| &p.state == state)
                .cloned()
                .collect();
            let polls = model.at_polls(&known, &own);
            let public = (model.polls.as_ref())
                .and_then(|link| link.public(&polls, track.at_origin.alignment()));
            let se: Vec<f64> = (observed.iter())
                .filter(|o| o.series == Series::UngaIdealPoint && model.read(o).is_some())
                .map(|o| o.se)
                .collect();
            UnitNowcast {
                state: state.clone(),
                track,
                used,
                typical_se: median(se),
                public,
                polls: polls.into_iter().map(|(p, e)| (p.clone(), e)).collect(),
            }
        })
        .collect();
    let all = (known.observations.iter())
        .filter(|o| o.series == Series::UngaIdealPoint)
        .map(|o| o.se);
    Ok(Nowcast {
        origin,
        units,
        typical_se: median(all.collect()).unwrap_or(0.0),
        votes: known.votes.clone(),
        model,
    })
}

/// The median of `v`; `None` if empty.
fn median(mut v: Vec<f64>) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied()
}

/// A standard normal draw for the synthetic panels of the tests.
#[cfg(test)]
fn normal(rng: &mut rand_chacha::ChaCha8Rng) -> f64 {
    use rand::RngExt;
    crate::distributions::standard_normal(rng.random_range(1e-12..1.0))
}
