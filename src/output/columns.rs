//! The columns of every CSV file spheres writes, named in one place. A file of fixed columns
//! has a typed row (`SummaryRow`, …, in `output::typed_rows`, re-exported here): a serde struct with
//! one field per column, whose header is its fields' names ([`header`]) and whose rows writers
//! `serialize`, so that no value is paired with its column by position; a `pub const` list of
//! the same names, for readers, is checked against the struct by a test. Readers find the
//! columns they need by name ([`find`]), never by position.

pub use super::typed_rows::{
    ChannelRow, ComparisonRow, EventRow, FilteredRow, ForecastRow, IndicatorRow, LeverRow,
    NowcastRow, ObservationRow, ResponseRow, RobustRow, SummaryRow, TrajectoryRow,
};
use crate::error::{Error, Result};
use serde::Serialize;
use std::path::Path;

/// The header of a file of typed rows `R`: its fields' names in order, as
/// `csv::Writer::serialize` writes them (from a default row).
pub fn header<R: Serialize + Default>() -> Result<Vec<String>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.serialize(R::default())?;
    let bytes = w.into_inner()?;
    let mut r = csv::Reader::from_reader(bytes.as_slice());
    Ok(r.headers()?.iter().map(String::from).collect())
}

/// A CSV writer into memory holding the header of rows `R` ([`header`]), for rows written
/// with `serialize` (the header is there even when no row follows).
pub fn table<R: Serialize + Default>() -> Result<csv::Writer<Vec<u8>>> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    w.write_record(header::<R>()?)?;
    Ok(w)
}

/// The quantile columns of summary.csv and comparison.csv, one per
/// `statistics::QUANTILES` (a test in `experiments` keeps them in step).
pub const QUANTILES: [&str; 5] = ["p05", "p25", "p50", "p75", "p95"];

/// summary.csv (run; each scenario of a comparison): one row per month, unit and indicator.
pub const SUMMARY: [&str; 12] = [
    "date",
    "state",
    "indicator",
    "mean",
    "sd",
    QUANTILES[0],
    QUANTILES[1],
    QUANTILES[2],
    QUANTILES[3],
    QUANTILES[4],
    "sd_noise",
    "sd_parameters",
];

/// nowcast.csv: one row per state and variable at the origin.
pub const NOWCAST: [&str; 9] = [
    "state",
    "variable",
    "mean",
    "sd",
    "p05",
    "p50",
    "p95",
    "observations",
    "last_observed",
];

/// channels.csv (compare): per variant, state and channel, the paired difference of the
/// channel's part of the move by the horizon.
pub const CHANNELS: [&str; 6] = [
    "scenario",
    "state",
    "channel",
    "effect",
    "effect_low",
    "effect_high",
];

/// forecast.csv: one row per series, state and year, the origin's first.
pub const FORECAST: [&str; 11] = [
    "series", "state", "year", "mean", "p05", "p10", "p25", "p50", "p75", "p90", "p95",
];

/// scores.csv (forecast --origins): one row per state-session forecast from an origin.
pub const SCORES: [&str; 15] = [
    "origin",
    "state",
    "year",
    "horizon",
    "observed",
    "p05",
    "p25",
    "p50",
    "p75",
    "p95",
    "pit",
    "crps",
    "crps_random_walk",
    "crps_climatology",
    "crps_ar1",
];

/// skill.csv (forecast --origins): the scores by horizon, by origin, and of all items.
pub const SKILL: [&str; 22] = [
    "by",
    "value",
    "items",
    "coverage_50",
    "coverage_50_low",
    "coverage_50_high",
    "coverage_90",
    "coverage_90_low",
    "coverage_90_high",
    "crps",
    "crps_random_walk",
    "crps_climatology",
    "crps_ar1",
    "skill_random_walk",
    "skill_random_walk_low",
    "skill_random_walk_high",
    "skill_climatology",
    "skill_climatology_low",
    "skill_climatology_high",
    "skill_ar1",
    "skill_ar1_low",
    "skill_ar1_high",
];

/// pit.csv (forecast --origins): the histogram of the probability integral transform.
pub const PIT: [&str; 4] = ["low", "high", "count", "share"];

/// filtered.csv (nowcast): one row per state and month with observations, and the origin.
pub const FILTERED: [&str; 6] = ["state", "date", "mean", "sd", "p05", "p95"];

/// observations.csv (nowcast): one row per observation used.
pub const OBSERVATIONS: [&str; 7] = [
    "state",
    "date",
    "series",
    "value",
    "se",
    "alignment",
    "alignment_sd",
];

/// generations.csv (calibrate): one row per generation of the sampler.
pub const GENERATIONS: [&str; 6] = [
    "generation",
    "epsilon",
    "simulations",
    "accepted",
    "passes",
    "alive",
];

/// marginals.csv (calibrate): each prior's and posterior's quantiles.
pub const MARGINALS: [&str; 7] = [
    "path",
    "prior_p05",
    "prior_p50",
    "prior_p95",
    "posterior_p05",
    "posterior_p50",
    "posterior_p95",
];

/// robust.csv (compare with parameter draws): for each variant and unit of draws.csv (each
/// state's alignment, the region's mean alignment), the shares of draws in which the variant
/// moves it toward the West and toward Moscow, and one row per parameter among those most
/// correlated with its effect, by rank (one row with empty rank, parameter and spearman when
/// the effect is the same in every draw).
pub const ROBUST: [&str; 8] = [
    "scenario",
    "state",
    "draws",
    "share_toward_west",
    "share_toward_moscow",
    "rank",
    "parameter",
    "spearman",
];

/// draws.csv's first column; one column per uncertain key path follows.
pub const DRAW: &str = "draw";

/// The first columns of outcomes.csv (run): then one column per unit and indicator, named by
/// [`outcome`], in the layout's order.
pub const OUTCOMES: [&str; 3] = ["run", "draw", "seed"];

/// The outcomes.csv column of a unit's indicator at the horizon.
pub fn outcome(unit: &str, indicator: &str) -> String {
    format!("{unit}_{indicator}")
}

/// events.csv (run): one row per threshold or scheduled event of a run.
pub const EVENTS: [&str; 6] = ["run", "date", "state", "event", "alignment", "opinion"];

/// trajectories.csv (run --trajectories): every month of the first runs, one row per run,
/// month, unit and indicator.
pub const TRAJECTORIES: [&str; 5] = ["run", "date", "state", "indicator", "value"];

/// comparison.csv (compare): the horizon, one row per scenario, unit and indicator.
pub const COMPARISON: [&str; 27] = [
    "scenario",
    "state",
    "indicator",
    "mean",
    "sd",
    QUANTILES[0],
    QUANTILES[1],
    QUANTILES[2],
    QUANTILES[3],
    QUANTILES[4],
    "diff",
    "diff_low",
    "diff_high",
    "pairing_narrowing",
    "probability",
    "probability_low",
    "probability_high",
    "draws",
    "effect_p05",
    "effect_p50",
    "effect_p95",
    "p_effect_negative",
    "p_effect_positive",
    "probability_p05",
    "probability_p95",
    "sd_noise",
    "sd_parameters",
];

/// responses.csv (levers): one row per lever, pull multiplier and state.
pub const RESPONSES: [&str; 6] = [
    "lever",
    "pull_multiplier",
    "pull",
    "state",
    "stock",
    "response_per_unit",
];

/// levers.csv (levers): one row per probe and reported cell.
pub const LEVERS: [&str; 11] = [
    "power",
    "lever",
    "budget_meur_per_year",
    "multiplier",
    "state",
    "indicator",
    "baseline",
    "variant",
    "effect",
    "effect_low",
    "effect_high",
];

/// hindcast.csv (hindcast): one row per yes/no outcome; `inputs` is `all` (every event replayed)
/// or `origin` (`--known-only`: only the events known at the origin).
pub const HINDCAST: [&str; 10] = [
    "outcome",
    "observed",
    "forecast",
    "brier",
    "base_rate",
    "base_brier",
    "held_out",
    "persistence",
    "persistence_brier",
    "inputs",
];

/// continuous.csv (hindcast): each continuous target (`value_at`): what was observed, the
/// measurement error, the quantiles of the forecast dressed with it, the CRPS of the model, the
/// base rate and persistence, whether the observation fell in the 50 % and 90 % intervals.
pub const CONTINUOUS: [&str; 17] = [
    "outcome",
    "reading",
    "observed",
    "error",
    "q05",
    "q25",
    "median",
    "q75",
    "q95",
    "crps",
    "base_rate",
    "base_crps",
    "persistence",
    "persistence_crps",
    "in_50",
    "in_90",
    "held_out",
];

/// reliability.csv (hindcast): the outcomes' forecasts in ten bins of probability.
pub const RELIABILITY: [&str; 5] = [
    "bin_low",
    "bin_high",
    "forecasts",
    "mean_forecast",
    "observed_share",
];

/// The first column of points.csv and results.csv (sweep): the point's index in the design.
pub const POINT: &str = "point";

/// points.csv: the point, then one column per parameter, named by its key path.
pub fn points(parameters: &[String]) -> Vec<String> {
    std::iter::once(POINT.to_string())
        .chain(parameters.iter().cloned())
        .collect()
}

/// The parameters of points.csv's header (every column after [`POINT`]); an error naming the
/// file unless its first column is [`POINT`].
pub fn parameters<'h, S: AsRef<str>>(file: &Path, header: &'h [S]) -> Result<&'h [S]> {
    match header.split_first() {
        Some((first, rest)) if first.as_ref() == POINT => Ok(rest),
        _ => Err(Error::Input(format!(
            "{}: the first column is not `{POINT}`; is this a spheres sweep folder?",
            file.display()
        ))),
    }
}

/// The statistics results.csv gives of each output over a point's runs.
pub const RESULT_STATS: [&str; 5] = ["mean", "sd", "p05", "p50", "p95"];

/// The last column of results.csv: empty, or why the point failed (its other cells empty).
pub const ERROR: &str = "error";

/// The results.csv column of an output's statistic (one of [`RESULT_STATS`]).
pub fn result(output: &str, stat: &str) -> String {
    format!("{output}_{stat}")
}

/// results.csv: the point, each output's [`RESULT_STATS`], and [`ERROR`].
pub fn results(outputs: &[String]) -> Vec<String> {
    let mut h = vec![POINT.to_string()];
    for output in outputs {
        h.extend(RESULT_STATS.iter().map(|stat| result(output, stat)));
    }
    h.push(ERROR.to_string());
    h
}

/// The first columns of runs.csv (sweep --per-run): then each output at the horizon.
pub const RUNS: [&str; 2] = [POINT, "run"];

/// runs.csv: the point, the run (0..runs of the point), each output's value at the horizon
/// (empty where the run has none: its point failed, or it broke an invariant).
pub fn runs(outputs: &[String]) -> Vec<String> {
    RUNS.iter()
        .map(|c| c.to_string())
        .chain(outputs.iter().cloned())
        .collect()
}

/// The statistics of each output in series.csv: the mean and `statistics::QUANTILES`.
pub const SERIES_STATS: [&str; 6] = [
    "mean",
    QUANTILES[0],
    QUANTILES[1],
    QUANTILES[2],
    QUANTILES[3],
    QUANTILES[4],
];

/// The first columns of series.csv (sweep --series): then each output's [`SERIES_STATS`].
pub const SERIES: [&str; 2] = [POINT, "date"];

/// series.csv: one row per point and month, each output's [`SERIES_STATS`] over the point's
/// runs, named by [`result`] (empty cells for a failed point).
pub fn series(outputs: &[String]) -> Vec<String> {
    let mut h: Vec<String> = SERIES.iter().map(|c| c.to_string()).collect();
    for output in outputs {
        h.extend(SERIES_STATS.iter().map(|stat| result(output, stat)));
    }
    h
}

/// sensitivity.csv of a Sobol design (and `spheres analyze sobol`).
pub const SOBOL: [&str; 6] = ["output", "parameter", "S1", "S1_conf", "ST", "ST_conf"];

/// sensitivity.csv of a Morris design (and `spheres analyze morris`).
pub const MORRIS: [&str; 6] = [
    "output",
    "parameter",
    "mu",
    "mu_star",
    "sigma",
    "mu_star_conf",
];

/// A header as a line of CSV, for names that need no quoting (every name above, and the
/// outputs and parameters a sweep checks).
pub fn line<S: AsRef<str>>(names: &[S]) -> String {
    let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    names.join(",") + "\n"
}

/// The position of column `name` in `header`, the header of `file`; a bad-input error naming
/// the file and the column if it has none.
pub fn find<S: AsRef<str>>(file: &Path, header: &[S], name: &str) -> Result<usize> {
    header
        .iter()
        .position(|h| h.as_ref() == name)
        .ok_or_else(|| {
            Error::Input(format!(
                "{}: has no column `{name}`; is this a spheres output folder?",
                file.display()
            ))
        })
}

/// The positions of several columns of `file` (see [`find`]), in the order asked.
pub fn find_all<S: AsRef<str>, const N: usize>(
    file: &Path,
    header: &[S],
    names: [&str; N],
) -> Result<[usize; N]> {
    let mut at = [0; N];
    for (slot, name) in at.iter_mut().zip(names) {
        *slot = find(file, header, name)?;
    }
    Ok(at)
}

/// Refuses `file` unless its header is exactly `expected`.
pub fn expect<S: AsRef<str>, E: AsRef<str>>(
    file: &Path,
    header: &[S],
    expected: &[E],
) -> Result<()> {
    let same = header.len() == expected.len()
        && header
            .iter()
            .zip(expected)
            .all(|(h, e)| h.as_ref() == e.as_ref());
    if same {
        return Ok(());
    }
    let join = |names: Vec<&str>| names.join(",");
    Err(Error::Input(format!(
        "{}: has columns {}; expected {}",
        file.display(),
        join(header.iter().map(AsRef::as_ref).collect()),
        join(expected.iter().map(AsRef::as_ref).collect())
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Number;

    #[test]
    fn a_missing_column_names_the_file_and_the_column() {
        let header = ["point".to_string(), "error".to_string()];
        let file = Path::new("out/results.csv");
        assert_eq!(find(file, &header, "error").unwrap(), 1);
        let e = find(file, &header, "SRB.alignment_mean").unwrap_err();
        assert_eq!(e.exit_code(), 2);
        let message = e.to_string();
        assert!(message.contains("out/results.csv") && message.contains("`SRB.alignment_mean`"));
    }

    #[test]
    fn results_name_every_statistic_of_every_output() {
        let outputs = ["region.mean_alignment".to_string(), "SRB.alignment".into()];
        let header = results(&outputs);
        assert_eq!(header.len(), 2 + 2 * RESULT_STATS.len());
        assert_eq!(header[1], "region.mean_alignment_mean");
        assert_eq!(header.last().map(String::as_str), Some(ERROR));
        assert_eq!(line(&EVENTS), "run,date,state,event,alignment,opinion\n");
        assert!(expect(Path::new("x.csv"), &EVENTS, &TRAJECTORIES).is_err());
    }

    #[test]
    fn the_column_lists_are_the_typed_rows_headers() {
        assert_eq!(header::<SummaryRow>().unwrap(), SUMMARY);
        assert_eq!(header::<ComparisonRow>().unwrap(), COMPARISON);
        assert_eq!(header::<LeverRow>().unwrap(), LEVERS);
        assert_eq!(header::<ResponseRow>().unwrap(), RESPONSES);
        assert_eq!(header::<EventRow>().unwrap(), EVENTS);
        assert_eq!(header::<TrajectoryRow>().unwrap(), TRAJECTORIES);
        assert_eq!(header::<RobustRow>().unwrap(), ROBUST);
        assert_eq!(header::<NowcastRow>().unwrap(), NOWCAST);
        assert_eq!(header::<FilteredRow>().unwrap(), FILTERED);
        assert_eq!(header::<ForecastRow>().unwrap(), FORECAST);
        assert_eq!(header::<ChannelRow>().unwrap(), CHANNELS);
        assert_eq!(header::<ObservationRow>().unwrap(), OBSERVATIONS);
        let indicators = header::<IndicatorRow>().unwrap();
        assert_eq!(indicators.first().map(String::as_str), Some("indicator"));
        assert_eq!(indicators.len(), 10);
    }

    #[test]
    fn typed_rows_write_numbers_as_every_csv_does_and_none_as_an_empty_cell() {
        let mut w = table::<TrajectoryRow>().unwrap();
        w.serialize(TrajectoryRow {
            run: 3,
            date: "2025-01",
            state: "SRB",
            indicator: "alignment",
            value: Number(-1e-9),
        })
        .unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(
            text,
            "run,date,state,indicator,value\n3,2025-01,SRB,alignment,0.000000\n"
        );
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        w.serialize(SummaryRow {
            mean: Number(0.5),
            sd_parameters: Some(Number(-0.25)),
            ..SummaryRow::default()
        })
        .unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(
            text,
            ",,,0.500000,0.000000,0.000000,0.000000,0.000000,0.000000,0.000000,,-0.250000\n"
        );
    }
}
