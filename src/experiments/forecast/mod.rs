//! `spheres forecast`: the scenario started at an origin from the nowcast of the data up to it
//! (and none after), run forward some years, and each state's UN ideal point read from the runs
//! through the observation model (docs/MODEL.md 9; docs/VALIDATION.md says what it is worth).
//!
//! `origin.rs` sets the scenario at the origin (start, horizon, each state's stages and election
//! calendar from the panel's history), `predictive.rs` collects the runs into each state-year's
//! predictive distribution in the series' own units, `write.rs` writes the folder, and
//! `rolling.rs` scores forecasts from rolling origins against what was observed.

mod origin;
mod predictive;
mod references;
mod rolling;
mod write;

use super::draws::Draws;
use super::driver::{Compiled, Folder, Job};
use super::{Ensemble, Label, set_on};
use crate::error::{Error, Result};
use crate::experiments::KeptMonths;
use crate::measure::{self, Month, Nowcast, Panel, Sources, month_text};
use crate::scenario::{self, StartFrom};
use std::path::PathBuf;
use std::sync::Arc;

pub use predictive::{QUANTILES, Row};
pub use rolling::{Item, PIT_BINS, RollingOptions, RollingReport, Scores, rolling, table};

/// The most years a forecast looks ahead.
pub const MAX_YEARS: u32 = 30;

/// What `spheres forecast` was asked to do.
#[derive(Clone, Debug)]
pub struct ForecastOptions {
    /// A scenario file, or the name of a bundled scenario, that starts from the nowcast.
    pub scenario: String,
    /// `YYYY-MM`, or `YYYY` for its December.
    pub origin: String,
    /// Years after the origin's.
    pub years: u32,
    /// A folder laid out like the repository's data/ [default: the data in the binary].
    pub data: Option<PathBuf>,
    /// Runs, seed, draws, `--posterior`, `--out` and the rest.
    pub ensemble: Ensemble,
}

/// What a forecast found, and where it was written.
#[derive(Clone, Debug)]
pub struct ForecastReport {
    /// The scenario's name.
    pub scenario: String,
    /// The origin month.
    pub origin: Month,
    /// forecast.csv's rows, in file order.
    pub rows: Vec<Row>,
    /// Runs simulated.
    pub runs: u64,
    /// The master seed.
    pub seed: u64,
    /// The output folder.
    pub dir: PathBuf,
}

impl ForecastReport {
    /// The origin, `YYYY-MM`.
    pub fn origin_text(&self) -> String {
        month_text(self.origin)
    }
}

/// The panel's data the forecast reads: the bundled data, or a `--data` folder's.
fn sources(data: &Option<PathBuf>) -> Result<Arc<Sources>> {
    Ok(Arc::new(match data {
        Some(dir) => Sources::folder(dir)?,
        None => Sources::bundled(),
    }))
}

/// Runs the forecast and writes its folder.
pub fn forecast(opts: &ForecastOptions) -> Result<ForecastReport> {
    let origin = super::nowcast::parse_origin(&opts.origin)?;
    check_years(opts.years)?;
    let sources = sources(&opts.data)?;
    let at = At::new(&opts.scenario, &opts.ensemble, &sources, origin, opts.years)?;
    let name = at.compiled.scenario.scenario.name.clone();
    let mut inputs = at.compiled.files();
    inputs.extend(opts.data.iter().cloned());
    let ensemble = per_run_draws(&opts.ensemble);
    let label = Label {
        text: format!("forecast {name} from {}", month_text(origin)),
        unit: "runs",
    };
    let folder = Folder::New(format!("forecast-{name}"));
    let mut job = at.job(&ensemble, &inputs, folder, label)?;
    let predictive = at.simulate(&mut job)?;
    let rows = predictive.rows();
    let report = ForecastReport {
        scenario: name,
        origin,
        rows,
        runs: at.spec.runs,
        seed: at.spec.seed,
        dir: job.dir()?.clone(),
    };
    write::write(opts, &at, &sources, &at.panel, &job, &report)?;
    Ok(report)
}

/// Refuses a horizon of no years or past [`MAX_YEARS`].
fn check_years(years: u32) -> Result<()> {
    if !(1..=MAX_YEARS).contains(&years) {
        return Err(Error::Input(format!(
            "--years {years}: expected 1 to {MAX_YEARS} years after the origin's"
        )));
    }
    Ok(())
}

/// The options with one run per draw unless asked otherwise: every run starts from its own
/// draw of the nowcast, so that the start's uncertainty is sampled as finely as the runs.
fn per_run_draws(ensemble: &Ensemble) -> Ensemble {
    let mut ensemble = ensemble.clone();
    if ensemble.draws.is_none() && !ensemble.fixed {
        ensemble.runs_per_draw = ensemble.runs_per_draw.or(Some(1));
    }
    ensemble
}

/// A scenario set at an origin, compiled, with the nowcast its observation model reads.
struct At {
    /// The scenario at the origin (`origin.rs`), compiled with its tree for the draws.
    pub compiled: Compiled,
    /// Runs, seed and threads.
    pub spec: super::EnsembleSpec,
    /// Where each run's numbers come from.
    pub draws: Draws,
    /// The nowcast at the origin: the observation model that reads the runs.
    pub nowcast: Nowcast,
    /// The panel's observations (all of them: the nowcast cuts them at the origin).
    pub panel: Panel,
    /// The origin month.
    pub origin: Month,
    /// Years after the origin's.
    pub years: u32,
}

impl At {
    /// Loads `name`, sets it at `origin` from `sources`, and fits the nowcast there.
    fn new(
        name: &str,
        ensemble: &Ensemble,
        sources: &Arc<Sources>,
        origin: Month,
        years: u32,
    ) -> Result<At> {
        let terminal = ensemble.terminal();
        let tree = scenario::load_tree(name)?.with_data(Arc::clone(sources))?;
        let plain = tree.scenario_set(&ensemble.sets)?;
        if plain.scenario.start_from != StartFrom::Nowcast {
            return Err(Error::Input(format!(
                "{name}: a forecast starts from the nowcast at its origin, and this scenario starts from its file's numbers; use one with [scenario] start_from = \"nowcast\", such as europe"
            )));
        }
        let scheduled = plain.event.len() + plain.policy.len() + plain.shock.len();
        if scheduled > 0 {
            return Err(Error::Input(format!(
                "{name}: schedules {scheduled} events, policies or shocks for its own start ({}); a forecast runs from its origin with only the panel's mechanisms (drift, elections, accession, drawn shocks); use a scenario without them, such as europe",
                plain.scenario.start
            )));
        }
        let history = measure::History::read(sources)?;
        let mut settings = origin::settings(&plain, &history, origin, years)?;
        settings.extend(ensemble.sets.iter().cloned());
        let (tree, scenario) = set_on(tree, &settings, terminal)?;
        let units = scenario::observed_units(&scenario);
        let panel = Panel::read(sources, &units)?;
        let nowcast = measure::nowcast(&panel, &units, origin)?;
        let ensemble = per_run_draws(ensemble);
        let mut spec = ensemble.resolve(&scenario)?;
        let draws = Draws::resolve(&ensemble, &scenario, &mut spec)?;
        Ok(At {
            compiled: Compiled::with_tree(tree, scenario)?,
            spec,
            draws,
            nowcast,
            panel,
            origin,
            years,
        })
    }

    /// The driver's job of this origin's runs (`inputs` the files it read, apart from the
    /// folder).
    fn job<'a>(
        &self,
        ensemble: &'a Ensemble,
        inputs: &[std::path::PathBuf],
        folder: Folder,
        label: Label,
    ) -> Result<Job<'a>> {
        let arms = (&[&self.compiled][..], KeptMonths::All);
        Job::start(ensemble, arms, inputs, self.spec, folder, label)
    }

    /// Runs the ensemble into each state-year's predictive distribution.
    fn simulate(&self, job: &mut Job) -> Result<predictive::Predictive> {
        let reads = predictive::Reads::new(self)?;
        let tally = job.simulate(
            &[&self.compiled],
            &self.draws,
            || predictive::YearTally::new(&reads),
            |_| Ok(()),
        )?;
        Ok(predictive::Predictive::new(self, &reads, tally))
    }
}
