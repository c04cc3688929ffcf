//! The typed rows of the CSV files of fixed columns: one serde struct per file, one field per
//! column, whose header is its fields' names (`columns::header`) and whose rows writers
//! `serialize`, so that no value is paired with its column by position. Each is re-exported by
//! `columns`, whose `pub const` lists of the same names (for readers) a test there keeps equal
//! to the structs' headers.

use super::Number;
use serde::Serialize;

/// A row of indicators.csv, beside every summary.csv: what each indicator of summary.csv,
/// outcomes.csv and trajectories.csv is, in the words the pages use. One column per field.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct IndicatorRow {
    /// Its name in the other files.
    pub indicator: String,
    /// Whose it is: `state` (each state and parent), `group` (a group's citizens), `region`.
    pub scope: String,
    /// `signed`, `share`, `binary` or `count`.
    pub scale: String,
    /// Lowest value.
    pub min: String,
    /// Highest value.
    pub max: String,
    /// Unit, in words.
    pub unit: String,
    /// What it is, in a few words.
    pub label: String,
    /// For 0/1 indicators, its probability in words; else empty.
    pub chance: String,
    /// How a parent state's value is made from its entities' values; empty for a group's
    /// and the region's.
    pub parent: String,
    /// For an event's indicator, the parameter whose chance per month decides it; else empty.
    #[serde(default)]
    pub hazard: String,
}

/// A row of summary.csv (`columns::SUMMARY`): one unit's indicator at one month, over runs.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SummaryRow<'a> {
    /// The month, `YYYY-MM`.
    pub date: &'a str,
    /// The unit: a state, a parent state, a group or `region`.
    pub state: &'a str,
    /// The indicator.
    pub indicator: &'a str,
    /// Mean over runs.
    pub mean: Number,
    /// Standard deviation over runs.
    pub sd: Number,
    /// 5th percentile over runs.
    pub p05: Number,
    /// 25th percentile.
    pub p25: Number,
    /// Median.
    pub p50: Number,
    /// 75th percentile.
    pub p75: Number,
    /// 95th percentile.
    pub p95: Number,
    /// With parameter draws: the sd within draws (the runs' noise); else empty.
    pub sd_noise: Option<Number>,
    /// With parameter draws: the sd between draws (the parameters); else empty.
    pub sd_parameters: Option<Number>,
}

/// A row of events.csv (`columns::EVENTS`).
#[derive(Clone, Debug, Default, Serialize)]
pub struct EventRow<'a> {
    /// The run.
    pub run: u64,
    /// The month of the event, `YYYY-MM`.
    pub date: &'a str,
    /// The state's code.
    pub state: &'a str,
    /// The kind of event.
    pub event: &'a str,
    /// The state's alignment in the month of the event (after it).
    pub alignment: Number,
    /// Its public's opinion then.
    pub opinion: Number,
}

/// A row of trajectories.csv (`columns::TRAJECTORIES`).
#[derive(Clone, Debug, Default, Serialize)]
pub struct TrajectoryRow<'a> {
    /// The run.
    pub run: u64,
    /// The month, `YYYY-MM`.
    pub date: &'a str,
    /// The unit.
    pub state: &'a str,
    /// The indicator.
    pub indicator: &'a str,
    /// Its value in that run and month.
    pub value: Number,
}

/// A row of comparison.csv (`columns::COMPARISON`): one scenario's unit and indicator at the
/// horizon.
/// The difference columns are empty for the baseline and for cells the baseline lacks; the
/// probability columns for indicators that are not 0/1; the columns across draws without
/// parameter draws.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ComparisonRow<'a> {
    /// The scenario's subfolder.
    pub scenario: &'a str,
    /// The unit.
    pub state: &'a str,
    /// The indicator.
    pub indicator: &'a str,
    /// Mean over runs.
    pub mean: Number,
    /// Standard deviation over runs.
    pub sd: Number,
    /// 5th percentile over runs.
    pub p05: Number,
    /// 25th percentile.
    pub p25: Number,
    /// Median.
    pub p50: Number,
    /// 75th percentile.
    pub p75: Number,
    /// 95th percentile.
    pub p95: Number,
    /// Mean paired difference, variant − baseline.
    pub diff: Option<Number>,
    /// Its 95 % t interval's low end.
    pub diff_low: Option<Number>,
    /// Its high end.
    pub diff_high: Option<Number>,
    /// Independent-seed half-width / paired half-width (empty where the difference is constant).
    pub pairing_narrowing: Option<Number>,
    /// For 0/1 indicators: the share of runs with 1.
    pub probability: Option<Number>,
    /// Its Wilson 95 % interval's low end.
    pub probability_low: Option<Number>,
    /// Its high end.
    pub probability_high: Option<Number>,
    /// Parameter draws.
    pub draws: Option<u64>,
    /// 5th percentile over draws of the draw's mean effect.
    pub effect_p05: Option<Number>,
    /// Its median.
    pub effect_p50: Option<Number>,
    /// Its 95th percentile.
    pub effect_p95: Option<Number>,
    /// Share of draws whose mean effect is below 0.
    pub p_effect_negative: Option<Number>,
    /// Share of draws whose mean effect is above 0.
    pub p_effect_positive: Option<Number>,
    /// For 0/1 indicators: 5th percentile over draws of the draw's probability.
    pub probability_p05: Option<Number>,
    /// Its 95th percentile.
    pub probability_p95: Option<Number>,
    /// The sd within draws (the runs' noise).
    pub sd_noise: Option<Number>,
    /// The sd between draws (the parameters).
    pub sd_parameters: Option<Number>,
}

/// A row of levers.csv (`columns::LEVERS`): a probe's paired effect on one unit's indicator at the
/// horizon.
#[derive(Clone, Debug, Default, Serialize)]
pub struct LeverRow<'a> {
    /// The power's code.
    pub power: &'a str,
    /// The lever.
    pub lever: &'a str,
    /// The budget in force in the start month, M EUR per year.
    pub budget_meur_per_year: Number,
    /// What the probe multiplies it by.
    pub multiplier: Number,
    /// The unit.
    pub state: &'a str,
    /// The indicator.
    pub indicator: &'a str,
    /// The scenario's mean.
    pub baseline: Number,
    /// The probe's mean.
    pub variant: Number,
    /// Mean paired difference, probe − scenario.
    pub effect: Number,
    /// Its 95 % t interval's low end.
    pub effect_low: Number,
    /// Its high end.
    pub effect_high: Number,
}

/// A row of responses.csv (`columns::RESPONSES`): the model's long-run response of one state's
/// alignment to its own stock of a lever, at the lever's pull times a multiplier.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ResponseRow<'a> {
    /// The lever.
    pub lever: &'a str,
    /// What the scenario's pull is multiplied by.
    pub pull_multiplier: Number,
    /// The pull used (weight).
    pub pull: Number,
    /// The state.
    pub state: &'a str,
    /// The state's stock at the start.
    pub stock: Number,
    /// Alignment with a full stock less alignment with none (toward Moscow if positive).
    pub response_per_unit: Number,
}

/// A row of robust.csv (`columns::ROBUST`): a variant's shares of draws moving a unit each way,
/// and one parameter among those most correlated with its effect. The rank, parameter and
/// correlation are empty (one row) when the effect is the same in every draw.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RobustRow<'a> {
    /// The variant's subfolder.
    pub scenario: &'a str,
    /// The unit (a state, or `region`).
    pub state: &'a str,
    /// Parameter draws.
    pub draws: usize,
    /// Share of draws in which the variant moves the unit toward the West (effect below 0).
    pub share_toward_west: Number,
    /// Share of draws in which it moves it toward Moscow (effect above 0).
    pub share_toward_moscow: Number,
    /// The parameter's rank by absolute Spearman correlation, from 1.
    pub rank: Option<usize>,
    /// The parameter's key path.
    pub parameter: Option<&'a str>,
    /// Its Spearman correlation with the effect over draws.
    pub spearman: Option<Number>,
}

/// A row of nowcast.csv (`columns::NOWCAST`).
#[derive(Clone, Debug, Default, Serialize)]
pub struct NowcastRow<'a> {
    /// The state's code.
    pub state: &'a str,
    /// `alignment`, `long_run_alignment`, or a series on its own scale.
    pub variable: &'a str,
    /// Its mean at the origin.
    pub mean: Number,
    /// Its standard deviation.
    pub sd: Number,
    /// Its 5 % quantile.
    pub p05: Number,
    /// Its median.
    pub p50: Number,
    /// Its 95 % quantile.
    pub p95: Number,
    /// Observations the estimate used (of this series; for the latent variables, of all).
    pub observations: usize,
    /// The month of the last of them, `YYYY-MM`; empty if none.
    pub last_observed: &'a str,
}

/// A row of channels.csv (`columns::CHANNELS`): why a variant moves a state, one channel.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ChannelRow<'a> {
    /// The variant's folder name.
    pub scenario: &'a str,
    /// The state's code.
    pub state: &'a str,
    /// The channel (docs/MODEL.md 7.4, "Channels").
    pub channel: &'a str,
    /// The mean paired difference of its part of the move by the horizon.
    pub effect: Number,
    /// Lower end of its 95 % interval.
    pub effect_low: Number,
    /// Upper end.
    pub effect_high: Number,
}

/// A row of forecast.csv (`columns::FORECAST`): a series' predictive distribution in a year.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ForecastRow<'a> {
    /// `unga_ideal_point` or `alignment`.
    pub series: &'a str,
    /// The state's code.
    pub state: &'a str,
    /// The year (an ideal point's: the session that opens in it).
    pub year: i32,
    /// The predictive mean.
    pub mean: Number,
    /// Its 5 % quantile.
    pub p05: Number,
    /// Its 10 % quantile.
    pub p10: Number,
    /// Its 25 % quantile.
    pub p25: Number,
    /// Its median.
    pub p50: Number,
    /// Its 75 % quantile.
    pub p75: Number,
    /// Its 90 % quantile.
    pub p90: Number,
    /// Its 95 % quantile.
    pub p95: Number,
}

/// A row of filtered.csv (`columns::FILTERED`): a state's alignment as the filter saw it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FilteredRow<'a> {
    /// The state's code.
    pub state: &'a str,
    /// The month, `YYYY-MM`.
    pub date: &'a str,
    /// The filtered mean.
    pub mean: Number,
    /// Its sd.
    pub sd: Number,
    /// Its 5 % quantile.
    pub p05: Number,
    /// Its 95 % quantile.
    pub p95: Number,
}

/// A row of observations.csv (`columns::OBSERVATIONS`): an observation the nowcast used.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ObservationRow<'a> {
    /// The state's code.
    pub state: &'a str,
    /// The month it stands for, `YYYY-MM`.
    pub date: &'a str,
    /// The series.
    pub series: &'a str,
    /// Its value on the series' own scale.
    pub value: Number,
    /// Its standard error there, where the source gives one.
    pub se: Option<Number>,
    /// The alignment it reads, where its link is a fixed map (ideal points: the scale).
    pub alignment: Option<Number>,
    /// That reading's sd, with the model's extra error.
    pub alignment_sd: Option<Number>,
}
