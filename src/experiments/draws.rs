//! Parameter ensembles: a job's runs come in draws of the uncertain parameters, K draws of R
//! runs each; run i uses draw ⌊i / R⌋. A draw's numbers come from the scenario's priors
//! (`[[uncertain]]`) or from a posterior (`--posterior posterior.csv`, written by `spheres
//! calibrate`), each number from its own stream of (seed, draw, key path) — so run i uses the
//! same parameters, as well as the same noise, in every scenario of a comparison (common random
//! numbers). `--fixed`, or a scenario without priors, keeps one set of numbers for every run.

use super::{Ensemble, EnsembleSpec};
use crate::engine::rng;
use crate::error::{Error, Result};
use crate::output::{self, columns, manifest};
use crate::scenario::{Scenario, Uncertain};
use std::path::Path;

/// Runs per draw when `--runs-per-draw` is not given: enough to tell noise from parameters.
pub const DEFAULT_RUNS_PER_DRAW: u64 = 10;

/// Where a job's parameters come from, and how its runs are grouped into draws.
#[derive(Clone, Debug)]
pub struct Draws {
    /// Where the numbers come from.
    pub source: Source,
    /// Draws of the parameters (with [`Source::Fixed`], one per run).
    pub draws: u64,
    /// Runs of each draw.
    pub runs_per_draw: u64,
}

/// What a draw's numbers are drawn from.
#[derive(Clone, Debug)]
pub enum Source {
    /// The scenario's numbers in every run.
    Fixed,
    /// The scenario's priors.
    Prior,
    /// Weighted parameter vectors (each drawn with its weight), over the priors' other paths.
    Posterior(Posterior),
}

impl Source {
    /// The source the options ask for (`--fixed`, `--posterior`), else the scenario's priors
    /// if it has any.
    fn asked(ensemble: &Ensemble, scenario: &Scenario) -> Result<Source> {
        Ok(match (&ensemble.posterior, ensemble.fixed) {
            (Some(_), true) => {
                return Err(Error::Input(
                    "--fixed and --posterior: choose one (--fixed runs the scenario's own numbers)"
                        .into(),
                ));
            }
            (Some(path), false) => Source::Posterior(Posterior::read(path, scenario)?),
            (None, true) => Source::Fixed,
            (None, false) if scenario.uncertain.is_empty() => Source::Fixed,
            (None, false) => Source::Prior,
        })
    }
}

impl Draws {
    /// The draws of a job of `scenario`, from the options (`--fixed`, `--posterior`,
    /// `--draws`, `--runs-per-draw`); the job's runs become K × R.
    pub fn resolve(
        ensemble: &Ensemble,
        scenario: &Scenario,
        r: &mut EnsembleSpec,
    ) -> Result<Draws> {
        let (draws, runs) = Draws::plan(ensemble, scenario, r.runs)?;
        r.runs = runs;
        Ok(draws)
    }

    /// `runs` runs of the scenario's own numbers (one draw each, nothing drawn).
    pub fn fixed(runs: u64) -> Draws {
        Draws {
            source: Source::Fixed,
            draws: runs,
            runs_per_draw: 1,
        }
    }

    /// The draws over `runs` runs asked for, with the runs they make.
    fn plan(ensemble: &Ensemble, scenario: &Scenario, runs: u64) -> Result<(Draws, u64)> {
        let source = Source::asked(ensemble, scenario)?;
        if matches!(source, Source::Fixed) {
            if ensemble.draws.is_some() || ensemble.runs_per_draw.is_some() {
                return Err(Error::Input(format!(
                    "--draws and --runs-per-draw need uncertain parameters, but {} {}; add [[uncertain]] priors (docs/SCENARIOS.md) or pass --posterior",
                    scenario.scenario.name,
                    if ensemble.fixed {
                        "runs with --fixed"
                    } else {
                        "has no [[uncertain]] items"
                    }
                )));
            }
            return Ok((Draws::fixed(runs), runs));
        }
        let per_draw = runs_per_draw(ensemble, runs)?;
        let draws = draw_count(ensemble, runs, per_draw)?;
        let total = draws
            .checked_mul(per_draw)
            .filter(|&n| n <= crate::scenario::MAX_RUNS as u64)
            .ok_or_else(|| {
                Error::Input(format!(
                    "--draws {draws} × --runs-per-draw {per_draw}: expected at most {} runs",
                    crate::scenario::MAX_RUNS
                ))
            })?;
        Ok((
            Draws {
                source,
                draws,
                runs_per_draw: per_draw,
            },
            total,
        ))
    }

    /// What a job's progress counts: runs, or draws when parameters vary.
    pub fn label(&self, text: String) -> super::Label {
        super::Label {
            text,
            unit: if self.varies() { "draws" } else { "runs" },
        }
    }

    /// Whether runs differ in their parameters.
    pub fn varies(&self) -> bool {
        !matches!(self.source, Source::Fixed)
    }

    /// The numbers draw `draw` sets in `scenario` (key path, value), in the order of its
    /// priors; a posterior's particle replaces the paths it has.
    pub fn values(&self, scenario: &Scenario, seed: u64, draw: u64) -> Vec<(String, f64)> {
        let mut values: Vec<(String, f64)> = match self.source {
            Source::Fixed => return Vec::new(),
            _ => scenario
                .uncertain
                .iter()
                .map(|u| {
                    let uniform = rng::parameter_uniform(seed, draw, &u.path);
                    (u.path.clone(), u.value(uniform))
                })
                .collect(),
        };
        if let Source::Posterior(p) = &self.source {
            let particle = p.pick(rng::parameter_uniform(seed, draw, POSTERIOR_KEY));
            for (path, &v) in p.paths.iter().zip(&p.particles[particle]) {
                match values.iter_mut().find(|(q, _)| q == path) {
                    Some(slot) => slot.1 = v,
                    None => values.push((path.clone(), v)),
                }
            }
        }
        values
    }

    /// draws.csv's leading columns: [`columns::DRAW`], then each uncertain key path of
    /// `scenario` (a comparison's baseline), in the order of its priors. A run's draws.csv has
    /// these alone; a comparison's appends each variant's effects.
    pub fn leading_columns(scenario: &Scenario) -> Vec<String> {
        std::iter::once(columns::DRAW.to_string())
            .chain(scenario.uncertain.iter().map(|u| u.path.clone()))
            .collect()
    }

    /// A draw's leading cells of draws.csv ([`Draws::leading_columns`]): the draw, then each
    /// key path's value ([`Draws::values`]), exactly.
    pub fn leading_cells(draw: u64, values: &[(String, f64)]) -> Vec<String> {
        std::iter::once(draw.to_string())
            .chain(values.iter().map(|(_, v)| output::exact(*v)))
            .collect()
    }

    /// What the manifest records of the parameters.
    pub fn manifest(&self, scenario: &Scenario) -> manifest::Parameters {
        let (source, posterior, sha) = match &self.source {
            Source::Fixed => ("fixed", None, None),
            Source::Prior => ("prior", None, None),
            Source::Posterior(p) => match &p.read_from {
                Some((file, sha)) => ("posterior", Some(file.clone()), Some(sha.clone())),
                None => ("posterior", None, None),
            },
        };
        manifest::Parameters {
            source: source.into(),
            draws: self.draws,
            runs_per_draw: self.runs_per_draw,
            uncertain: match self.source {
                Source::Fixed => Vec::new(),
                _ => scenario.uncertain.iter().map(|u| u.path.clone()).collect(),
            },
            posterior,
            posterior_sha256: sha,
        }
    }
}

/// Runs per draw: `--runs-per-draw`, else 10, or one when the runs are not a multiple of 10
/// (a short job).
fn runs_per_draw(ensemble: &Ensemble, runs: u64) -> Result<u64> {
    let per_draw = ensemble.runs_per_draw.unwrap_or(
        if ensemble.draws.is_some() || runs.is_multiple_of(DEFAULT_RUNS_PER_DRAW) {
            DEFAULT_RUNS_PER_DRAW
        } else {
            1
        },
    );
    if per_draw == 0 || per_draw > runs.max(1) && ensemble.draws.is_none() {
        return Err(Error::Input(format!(
            "--runs-per-draw {per_draw}: expected a number of runs per draw in [1, {runs}] (the runs)"
        )));
    }
    Ok(per_draw)
}

/// Draws of the parameters: `--draws`, else the runs over `per_draw`; refused when `--runs`
/// disagrees or is not a multiple of `per_draw`.
fn draw_count(ensemble: &Ensemble, runs: u64, per_draw: u64) -> Result<u64> {
    match ensemble.draws {
        Some(0) => Err(Error::Input("--draws 0: expected at least 1 draw".into())),
        Some(k) => {
            if ensemble.runs.is_some_and(|n| n != k * per_draw) {
                return Err(Error::Input(format!(
                    "--runs {} with --draws {k} and --runs-per-draw {per_draw}: the runs are draws × runs per draw ({}); give two of the three",
                    runs,
                    k * per_draw
                )));
            }
            Ok(k)
        }
        None if !runs.is_multiple_of(per_draw) => Err(Error::Input(format!(
            "--runs {runs} is not a multiple of --runs-per-draw {per_draw}; every draw of the parameters gets the same number of runs"
        ))),
        None => Ok(runs / per_draw),
    }
}

/// The key path a posterior's particle is drawn under (no scenario key has this name).
const POSTERIOR_KEY: &str = "(posterior particle)";

/// Most particles a posterior file may hold.
pub const MAX_PARTICLES: usize = 1_000_000;

/// A posterior: weighted parameter vectors over key paths, as `spheres calibrate` makes and
/// writes it (posterior.csv: `particle`, `weight`, then one column per key path) and `run` and
/// `compare` read it back.
#[derive(Clone, Debug)]
pub struct Posterior {
    /// The key paths, in the order of the particles' values.
    pub paths: Vec<String>,
    /// Each particle's values, in the order of `paths`.
    pub particles: Vec<Vec<f64>>,
    /// Each particle's weight, normalised.
    pub weights: Vec<f64>,
    /// Running sums of the weights, the last 1.
    cumulative: Vec<f64>,
    /// The file it was read from and that file's SHA-256.
    read_from: Option<(String, String)>,
}

/// posterior.csv's columns before the key paths.
const POSTERIOR_COLUMNS: [&str; 2] = ["particle", "weight"];

impl Posterior {
    /// Particles with their weights (any positive scale).
    pub fn new(paths: Vec<String>, particles: Vec<Vec<f64>>, weights: Vec<f64>) -> Posterior {
        let total: f64 = weights.iter().sum();
        let weights: Vec<f64> = weights.iter().map(|w| w / total).collect();
        let cumulative = weights
            .iter()
            .scan(0.0, |sum, w| {
                *sum += w;
                Some(*sum)
            })
            .collect();
        Posterior {
            paths,
            particles,
            weights,
            cumulative,
            read_from: None,
        }
    }

    /// Reads posterior.csv and checks it against `scenario`: every path has a prior of the
    /// scenario, every value lies inside that prior's support.
    pub fn read(path: &Path, scenario: &Scenario) -> Result<Posterior> {
        let file = path.display().to_string();
        let bytes =
            crate::output::read_input(path).map_err(|e| crate::output::input_error(path, e))?;
        let sha256 = super::sha256(&bytes);
        let (header, rows) = crate::output::parse_table(path, &bytes)?;
        let columns = Columns::new(&file, &header, scenario)?;
        let (mut particles, mut weights) = (Vec::new(), Vec::new());
        for (k, row) in rows.iter().enumerate() {
            let line = k + 2;
            if particles.len() == MAX_PARTICLES {
                return Err(columns.bad(line, format!("more than {MAX_PARTICLES} particles")));
            }
            let (weight, values) = columns.particle(line, row)?;
            weights.push(weight);
            particles.push(values);
        }
        let total: f64 = weights.iter().sum();
        if total.is_nan() || total <= 0.0 {
            return Err(columns.bad(1, "no particle has a positive weight".into()));
        }
        Ok(Posterior {
            read_from: Some((file, sha256)),
            ..Posterior::new(header[2..].to_vec(), particles, weights)
        })
    }

    /// Writes posterior.csv into `dir`.
    pub fn write(&self, dir: &Path) -> Result<()> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header: Vec<String> = POSTERIOR_COLUMNS.map(String::from).to_vec();
        header.extend(self.paths.iter().cloned());
        w.write_record(&header)?;
        for (k, (values, weight)) in self.particles.iter().zip(&self.weights).enumerate() {
            let mut record = vec![k.to_string(), crate::output::exact(*weight)];
            record.extend(values.iter().map(|&v| crate::output::exact(v)));
            w.write_record(&record)?;
        }
        crate::output::AtomicFile::write(dir, "posterior.csv", &w.into_inner()?)?;
        Ok(())
    }

    /// The weighted `q`-quantile of parameter `k`.
    pub fn quantile(&self, k: usize, q: f64) -> f64 {
        let mut order: Vec<usize> = (0..self.particles.len()).collect();
        order.sort_by(|&a, &b| self.particles[a][k].total_cmp(&self.particles[b][k]));
        let mut below = 0.0;
        for &i in &order {
            below += self.weights[i];
            if below >= q {
                return self.particles[i][k];
            }
        }
        self.particles[order[order.len() - 1]][k]
    }

    /// The weighted share of particles whose parameter `k` is below `x` (the posterior CDF).
    pub fn share_below(&self, k: usize, x: f64) -> f64 {
        self.particles
            .iter()
            .zip(&self.weights)
            .filter(|(v, _)| v[k] < x)
            .map(|(_, w)| w)
            .sum()
    }

    /// The particle a uniform in (0, 1) picks, each with its weight's share.
    fn pick(&self, u: f64) -> usize {
        self.cumulative
            .partition_point(|&c| c <= u)
            .min(self.particles.len() - 1)
    }
}

/// The columns of a posterior file being read: its header, and the prior of each key path.
struct Columns<'a> {
    /// The file, as errors name it.
    file: &'a str,
    header: &'a [String],
    /// The prior of each key path, in the order of the header.
    priors: Vec<&'a Uncertain>,
}

impl<'a> Columns<'a> {
    /// The header of `file`, checked: `particle`, `weight`, then key paths of priors of
    /// `scenario`.
    fn new(file: &'a str, header: &'a [String], scenario: &'a Scenario) -> Result<Columns<'a>> {
        let mut columns = Columns {
            file,
            header,
            priors: Vec::new(),
        };
        if header.len() < 3 || header[..2] != POSTERIOR_COLUMNS {
            return Err(columns.bad(
                1,
                "expected the header `particle,weight,<key path>,…` that spheres calibrate writes"
                    .into(),
            ));
        }
        columns.priors = header[2..]
            .iter()
            .map(|p| {
                scenario.uncertain.iter().find(|u| &u.path == p).ok_or_else(|| {
                    columns.bad(
                        1,
                        format!(
                            "column `{p}` has no [[uncertain]] prior in {}; a posterior updates the scenario's priors (calibrate the scenario it is used with)",
                            scenario.scenario.name
                        ),
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(columns)
    }

    /// An error at line `line` of the file.
    fn bad(&self, line: usize, msg: String) -> Error {
        Error::Input(format!("{}:{line}: {msg}", self.file))
    }

    /// The weight and values of the particle on line `line`, checked: as many fields as the
    /// header, finite numbers, a weight of at least 0, each value inside its prior's support.
    fn particle(&self, line: usize, row: &[String]) -> Result<(f64, Vec<f64>)> {
        let header = self.header;
        if row.len() != header.len() {
            return Err(self.bad(
                line,
                format!("{} fields; expected {}", row.len(), header.len()),
            ));
        }
        let number = |i: usize| -> Result<f64> {
            row[i]
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    self.bad(
                        line,
                        format!("{} = `{}`: expected a finite number", header[i], row[i]),
                    )
                })
        };
        let weight = number(1)?;
        if weight < 0.0 {
            return Err(self.bad(line, format!("weight = {weight}: expected >= 0")));
        }
        let mut values = Vec::with_capacity(self.priors.len());
        for (i, (p, u)) in header[2..].iter().zip(&self.priors).enumerate() {
            let v = number(i + 2)?;
            if !(u.support.0..=u.support.1).contains(&v) {
                return Err(self.bad(
                    line,
                    format!(
                        "{p} = {v} is outside its prior's support [{}, {}]",
                        u.support.0, u.support.1
                    ),
                ));
            }
            values.push(v);
        }
        Ok((weight, values))
    }
}
