//! Parameter ensembles: a job's runs come in draws of the uncertain parameters, K draws of R
//! runs each; run i uses draw ⌊i / R⌋. A draw's numbers come from the scenario's priors
//! (`[[uncertain]]`) or from a posterior (`--posterior posterior.csv`, written by `spheres
//! calibrate`), each number from its own stream of (seed, draw, key path) — so run i uses the
//! same parameters, as well as the same noise, in every scenario of a comparison (common random
//! numbers). `--fixed`, or a scenario without priors, keeps one set of numbers for every run.

use super::Ensemble;
use crate::engine::rng;
use crate::error::{Error, Result};
use crate::output::manifest;
use crate::scenario::Scenario;
use std::path::Path;

/// Runs per draw when `--runs-per-draw` is not given: enough to tell noise from parameters.
pub const DEFAULT_RUNS_PER_DRAW: u64 = 10;

/// Where a job's parameters come from, and how its runs are grouped into draws.
#[derive(Clone, Debug)]
pub struct Draws {
    pub source: Source,
    /// Draws of the parameters (with [`Source::Fixed`], one per run).
    pub draws: u64,
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

impl Draws {
    /// The draws of a job over `runs` runs of `scenario`, from the options: `--fixed`,
    /// `--posterior`, `--draws`, `--runs-per-draw`. Returns them with the job's runs (K × R).
    pub fn resolve(ensemble: &Ensemble, scenario: &Scenario, runs: u64) -> Result<(Draws, u64)> {
        let source = match (&ensemble.posterior, ensemble.fixed) {
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
        };
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
            return Ok((
                Draws {
                    source,
                    draws: runs,
                    runs_per_draw: 1,
                },
                runs,
            ));
        }
        // By default 10 runs a draw, or one when the runs are not a multiple of 10 (a short job).
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
        let draws = match ensemble.draws {
            Some(0) => return Err(Error::Input("--draws 0: expected at least 1 draw".into())),
            Some(k) => {
                if ensemble.runs.is_some_and(|n| n != k * per_draw) {
                    return Err(Error::Input(format!(
                        "--runs {} with --draws {k} and --runs-per-draw {per_draw}: the runs are draws × runs per draw ({}); give two of the three",
                        runs,
                        k * per_draw
                    )));
                }
                k
            }
            None if !runs.is_multiple_of(per_draw) => {
                return Err(Error::Input(format!(
                    "--runs {runs} is not a multiple of --runs-per-draw {per_draw}; every draw of the parameters gets the same number of runs"
                )));
            }
            None => runs / per_draw,
        };
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

    /// What the manifest records of the parameters.
    pub fn manifest(&self, scenario: &Scenario) -> manifest::Parameters {
        let (source, posterior, sha) = match &self.source {
            Source::Fixed => ("fixed", None, None),
            Source::Prior => ("prior", None, None),
            Source::Posterior(p) => ("posterior", Some(p.file.clone()), Some(p.sha256.clone())),
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

/// The key path a posterior's particle is drawn under (no scenario key has this name).
const POSTERIOR_KEY: &str = "(posterior particle)";

/// Most particles a posterior file may hold.
pub const MAX_PARTICLES: usize = 1_000_000;

/// A posterior: weighted parameter vectors over key paths, as `spheres calibrate` writes them
/// (posterior.csv: `particle`, `weight`, then one column per key path).
#[derive(Clone, Debug)]
pub struct Posterior {
    pub file: String,
    pub sha256: String,
    pub paths: Vec<String>,
    pub particles: Vec<Vec<f64>>,
    /// Running sums of the weights, the last 1.
    cumulative: Vec<f64>,
}

impl Posterior {
    /// Reads posterior.csv and checks it against `scenario`: every path a number of the
    /// scenario, every value inside its prior's support where the scenario has one.
    pub fn read(path: &Path, scenario: &Scenario) -> Result<Posterior> {
        let file = path.display().to_string();
        let sha256 = super::sha256(crate::output::read_input_text(path)?.as_bytes());
        let (header, rows) = crate::output::read_table(path)?;
        let bad = |line: usize, msg: String| Error::Input(format!("{file}:{line}: {msg}"));
        if header.len() < 3 || header[0] != "particle" || header[1] != "weight" {
            return Err(bad(
                1,
                "expected the header `particle,weight,<key path>,…` that spheres calibrate writes"
                    .into(),
            ));
        }
        let paths: Vec<String> = header[2..].to_vec();
        for p in &paths {
            if !scenario.uncertain.iter().any(|u| &u.path == p) {
                return Err(bad(
                    1,
                    format!(
                        "column `{p}` has no [[uncertain]] prior in {}; a posterior updates the scenario's priors (calibrate the scenario it is used with)",
                        scenario.scenario.name
                    ),
                ));
            }
        }
        let mut particles = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0.0;
        for (k, row) in rows.iter().enumerate() {
            let line = k + 2;
            if particles.len() == MAX_PARTICLES {
                return Err(bad(line, format!("more than {MAX_PARTICLES} particles")));
            }
            if row.len() != header.len() {
                return Err(bad(
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
                        bad(
                            line,
                            format!("{} = `{}`: expected a finite number", header[i], row[i]),
                        )
                    })
            };
            let weight = number(1)?;
            if weight < 0.0 {
                return Err(bad(line, format!("weight = {weight}: expected >= 0")));
            }
            let mut values = Vec::with_capacity(paths.len());
            for (i, p) in paths.iter().enumerate() {
                let v = number(i + 2)?;
                let u = scenario.uncertain.iter().find(|u| &u.path == p);
                if let Some(u) = u
                    && !(u.support.0..=u.support.1).contains(&v)
                {
                    return Err(bad(
                        line,
                        format!(
                            "{p} = {v} is outside its prior's support [{}, {}]",
                            u.support.0, u.support.1
                        ),
                    ));
                }
                values.push(v);
            }
            total += weight;
            cumulative.push(total);
            particles.push(values);
        }
        if total.is_nan() || total <= 0.0 {
            return Err(bad(1, "no particle has a positive weight".into()));
        }
        cumulative.iter_mut().for_each(|c| *c /= total);
        Ok(Posterior {
            file,
            sha256,
            paths,
            particles,
            cumulative,
        })
    }

    /// The particle a uniform in (0, 1) picks, each with its weight's share.
    fn pick(&self, u: f64) -> usize {
        self.cumulative
            .partition_point(|&c| c <= u)
            .min(self.particles.len() - 1)
    }
}
