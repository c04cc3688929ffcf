//! What each experiment records in its manifest.json beside the fields every manifest has
//! ([`super::Manifest`]).

use serde::{Deserialize, Serialize};

/// `spheres run`: one scenario's ensemble.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// The scenario's name.
    pub scenario: String,
    /// SHA-256 of scenario.resolved.toml.
    pub scenario_sha256: String,
    /// The model that ran: `citizens` (agents) or `aggregate` (the aggregate public), from the
    /// (baseline) scenario's `[population]`.
    #[serde(default)]
    pub model: String,
    /// Horizon in months.
    pub months: u32,
    /// The start month, `YYYY-MM`.
    pub start: String,
    /// Worker threads used.
    pub threads: usize,
    /// Wall time of the experiment, seconds.
    pub wall_seconds: f64,
    /// Where the runs' parameters came from.
    #[serde(default)]
    pub parameters: Parameters,
}

/// Where an ensemble's parameters came from: the scenario's own numbers (`fixed`), its priors,
/// or a posterior; and how runs were grouped into draws of them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Parameters {
    /// `fixed`, `prior` or `posterior`.
    pub source: String,
    /// Draws of the parameters.
    pub draws: u64,
    /// Runs per draw.
    pub runs_per_draw: u64,
    /// The key paths drawn (none when fixed).
    pub uncertain: Vec<String>,
    /// The posterior file, when one was used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posterior: Option<String>,
    /// The posterior file's SHA-256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub posterior_sha256: Option<String>,
}

impl Default for Parameters {
    /// A folder written before parameter ensembles: the scenario's numbers in every run.
    fn default() -> Parameters {
        Parameters {
            source: "fixed".into(),
            draws: 0,
            runs_per_draw: 1,
            uncertain: Vec::new(),
            posterior: None,
            posterior_sha256: None,
        }
    }
}

/// `spheres calibrate`: ABC of a scenario's priors against its calibration outcomes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Calibrate {
    /// The scenario's name.
    pub scenario: String,
    /// SHA-256 of scenario.resolved.toml.
    pub scenario_sha256: String,
    /// The sampler and its distance, in words.
    pub method: String,
    /// Particles a generation.
    pub particles: usize,
    /// Most simulations allowed.
    pub budget: u64,
    /// Simulations used.
    pub simulations: u64,
    /// Generations run.
    pub generations: usize,
    /// Why the sampler stopped.
    pub stopped: String,
    /// The outcomes calibrated against (their ids).
    pub targets: Vec<String>,
    /// Worker threads used.
    pub threads: usize,
    /// Wall time of the calibration, seconds.
    pub wall_seconds: f64,
}

/// `spheres compare`: a baseline and its variants on common random numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Compare {
    /// The baseline scenario's name.
    pub baseline: String,
    /// Every scenario, the baseline first, with its subfolder.
    pub scenarios: Vec<Compared>,
    /// The model that ran: `citizens` (agents) or `aggregate` (the aggregate public), from the
    /// (baseline) scenario's `[population]`.
    #[serde(default)]
    pub model: String,
    /// Horizon in months.
    pub months: u32,
    /// The start month, `YYYY-MM`.
    pub start: String,
    /// Worker threads used.
    pub threads: usize,
    /// Variants that do not start from the baseline's world, and how.
    pub start_differs: Vec<String>,
    /// Wall time of the experiment, seconds.
    pub wall_seconds: f64,
    /// What common random numbers means here, in words.
    pub common_random_numbers: String,
    /// How much pairing narrowed the intervals.
    pub pairing: Pairing,
    /// Where the runs' parameters came from (the same draws in every scenario).
    #[serde(default)]
    pub parameters: Parameters,
}

/// One scenario of a comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Compared {
    /// The scenario's name.
    pub name: String,
    /// Its subfolder (the name, made unique).
    pub folder: String,
    /// SHA-256 of its scenario.resolved.toml.
    pub scenario_sha256: String,
    /// What it changes against the baseline, `path: before → after` (none for the baseline).
    #[serde(default)]
    pub changes: Vec<String>,
}

/// How much pairing narrowed the intervals of the differences at the horizon.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pairing {
    /// What the narrowing is, in words.
    pub what: String,
    /// Indicators whose paired difference varies (those measured).
    pub indicators: usize,
    /// Median narrowing; null when no difference varies.
    #[serde(deserialize_with = "Option::deserialize")]
    pub median: Option<f64>,
    /// Least narrowing; null when no difference varies.
    #[serde(deserialize_with = "Option::deserialize")]
    pub min: Option<f64>,
    /// Greatest narrowing; null when no difference varies.
    #[serde(deserialize_with = "Option::deserialize")]
    pub max: Option<f64>,
}

/// `spheres levers`: each power's budget on each lever, multiplied, against the scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Levers {
    /// The scenario's name.
    pub scenario: String,
    /// SHA-256 of scenario.resolved.toml.
    pub scenario_sha256: String,
    /// The model that ran: `citizens` (agents) or `aggregate` (the aggregate public), from the
    /// (baseline) scenario's `[population]`.
    #[serde(default)]
    pub model: String,
    /// Horizon in months.
    pub months: u32,
    /// The start month, `YYYY-MM`.
    pub start: String,
    /// Worker threads used.
    pub threads: usize,
    /// Wall time of the experiment, seconds.
    pub wall_seconds: f64,
    /// The multipliers each budget was probed with.
    pub multipliers: Vec<f64>,
    /// Probes run beside the scenario (powers × levers × multipliers).
    pub probes: usize,
    /// What levers.csv's effect is, in words.
    pub what: String,
}

/// `spheres hindcast --out`: Brier scores of a scenario's yes/no outcomes and CRPS of its
/// continuous targets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hindcast {
    /// The scenario's name.
    pub scenario: String,
    /// SHA-256 of scenario.resolved.toml.
    pub scenario_sha256: String,
    /// Whether only the events known at the origin were replayed (`--known-only`).
    pub known_only: bool,
    /// The ids of the events known only with hindsight that were left out (with
    /// `--known-only`).
    pub events_left_out: Vec<String>,
    /// Mean Brier scores of the calibration outcomes; null when there are none.
    #[serde(deserialize_with = "Option::deserialize")]
    pub calibration: Option<Brier>,
    /// Mean Brier scores of the held-out outcomes; null when there are none.
    #[serde(deserialize_with = "Option::deserialize")]
    pub held_out: Option<Brier>,
    /// Mean Brier scores of all yes/no outcomes; null when there are none.
    #[serde(deserialize_with = "Option::deserialize")]
    pub all: Option<Brier>,
    /// Mean CRPS of the calibration targets; null when there are none.
    #[serde(deserialize_with = "Option::deserialize")]
    pub crps_calibration: Option<Crps>,
    /// Mean CRPS of the held-out targets; null when there are none.
    #[serde(deserialize_with = "Option::deserialize")]
    pub crps_held_out: Option<Crps>,
    /// Mean CRPS of all continuous targets; null when there are none.
    #[serde(deserialize_with = "Option::deserialize")]
    pub crps_all: Option<Crps>,
}

/// Mean CRPS of a set of continuous targets, of their base rates and of persistence, the
/// model's skill against both, and the shares of observations in its central 50 % and 90 %
/// predictive intervals.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Crps {
    /// Targets in the set.
    pub items: usize,
    /// Mean CRPS of the model.
    pub crps: f64,
    /// Mean CRPS of the base rates.
    pub base_crps: f64,
    /// Mean CRPS of persistence.
    pub persistence_crps: f64,
    /// Skill against the base rates.
    #[serde(deserialize_with = "Option::deserialize")]
    pub skill_vs_base_rate: Option<Skill>,
    /// Skill against persistence.
    #[serde(deserialize_with = "Option::deserialize")]
    pub skill_vs_persistence: Option<Skill>,
    /// Share of observations inside the central 50 % predictive interval.
    pub coverage_50: f64,
    /// Share of observations inside the central 90 % predictive interval.
    pub coverage_90: f64,
}

/// Mean Brier scores of a set of outcomes, of their base rates and of persistence (the start
/// month carried forward), and the model's skill against both with bootstrap 95 % intervals
/// (null where the reference scores 0, so that skill is undefined).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Brier {
    /// Outcomes scored.
    pub outcomes: usize,
    /// Mean Brier score of the model's forecasts.
    pub brier: f64,
    /// Mean Brier score of the base rates.
    pub base_brier: f64,
    /// Mean Brier score of persistence.
    pub persistence_brier: f64,
    /// Skill against the base rates.
    #[serde(deserialize_with = "Option::deserialize")]
    pub skill_vs_base_rate: Option<Skill>,
    /// Skill against persistence.
    #[serde(deserialize_with = "Option::deserialize")]
    pub skill_vs_persistence: Option<Skill>,
}

/// A skill score with its bootstrap 95 % interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Skill {
    /// 1 − S / S_ref: 1 perfect, 0 no better than the reference.
    pub score: f64,
    /// Lower end of the 95 % interval.
    pub low: f64,
    /// Upper end of the 95 % interval.
    pub high: f64,
}

/// `spheres sweep` (a whole sweep, a slice of one, or merged slices).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    /// The sweep's name.
    pub sweep: String,
    /// The design's name (grid, lhs, sobol, morris, montecarlo).
    pub design: String,
    /// Points of the whole design.
    pub points: usize,
    /// The points this folder holds.
    pub slice: Slice,
    /// The varied parameters, in design order.
    pub parameters: Vec<Parameter>,
    /// `unit.indicator` outputs, in results.csv's order.
    pub outputs: Vec<String>,
    /// Points whose runs failed (a non-empty `error` in results.csv).
    pub failed_points: usize,
    /// Whether ema.tar.gz is written.
    pub ema: bool,
    /// Whether runs.csv is written (`--per-run`).
    pub per_run: bool,
    /// Whether series.csv is written (`--series`).
    pub series: bool,
    /// The scenario's start month, `YYYY-MM`.
    pub start: String,
    /// The scenario's horizon in months: results are at its end.
    pub months: u32,
    /// SHA-256 of the sweep's base scenario, resolved.
    pub scenario_sha256: String,
    /// Sensitivity indices that did not converge.
    pub sensitivity_warnings: Vec<String>,
    /// The first point `--resume` ran, if it found points done.
    #[serde(deserialize_with = "Option::deserialize")]
    pub resumed_from_point: Option<usize>,
}

/// The points `first_point..end_point` of a sweep that a folder holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Slice {
    /// `K/N` of `--shard K/N`; null for a whole or merged sweep.
    #[serde(deserialize_with = "Option::deserialize")]
    pub shard: Option<String>,
    /// First point held.
    pub first_point: usize,
    /// One past the last point held.
    pub end_point: usize,
    /// Slices merged into this folder (`spheres merge` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_from: Option<usize>,
}

/// A varied parameter: its key path and range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    /// Key path into the scenario (`params.inertia`).
    pub path: String,
    /// Lower end of its range.
    pub min: f64,
    /// Upper end of its range.
    pub max: f64,
}

/// `spheres nowcast`: each state's present read from the panel's observations up to an origin.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Nowcast {
    /// The scenario's name.
    pub scenario: String,
    /// SHA-256 of scenario.resolved.toml.
    pub scenario_sha256: String,
    /// The origin, `YYYY-MM`: observations after it were not read.
    pub origin: String,
    /// Where the observations came from: `bundled`, or the `--data` folder.
    pub data: String,
    /// SHA-256 of each data file, in the order read.
    pub data_sha256: Vec<String>,
    /// The fitted latent process and links (docs/MODEL.md, 9).
    pub fitted: Vec<Fitted>,
    /// Panel states and ideal points the dynamics were fitted on.
    pub states_fitted: usize,
    /// Ideal points the dynamics were fitted on.
    pub observations_fitted: usize,
    /// The log-likelihood at the fit.
    pub log_likelihood: f64,
    /// Rows read but not used, with why.
    pub skipped: Vec<Skipped>,
}

/// `spheres forecast`: a scenario run forward from the nowcast at an origin (or at each of
/// several, scored against what was observed after them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// The scenario's name.
    pub scenario: String,
    /// SHA-256 of scenario.resolved.toml (of the last origin's).
    pub scenario_sha256: String,
    /// The origins, `YYYY-MM`: observations after each were not read for its forecast.
    pub origins: Vec<String>,
    /// Years forecast after each origin's.
    pub years: u32,
    /// Where the data came from: `bundled`, or the `--data` folder.
    pub data: String,
    /// SHA-256 of each data file, in the order read.
    pub data_sha256: Vec<String>,
    /// Where each run's numbers came from (the starts drawn from the nowcast among them).
    pub parameters: Parameters,
    /// Worker threads used.
    pub threads: usize,
    /// Wall time, seconds.
    pub wall_seconds: f64,
}

/// A fitted coefficient of the observation model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fitted {
    /// Its name, as docs/MODEL.md, section 9, writes it.
    pub name: String,
    /// Its value.
    pub value: f64,
    /// Its unit and meaning.
    pub meaning: String,
}

/// Rows of the data not used, with why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Skipped {
    /// Why.
    pub why: String,
    /// How many.
    pub rows: usize,
}
