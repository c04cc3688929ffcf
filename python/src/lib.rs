//! `spheres._native`: the library's experiments for Python. Each function runs one experiment
//! into an output folder with the GIL released and returns the folder; the `spheres` package
//! (python/spheres/) reads its tables into pandas. Errors become Python exceptions with the
//! library's located messages: bad input `InputError` (a `ValueError`), I/O `OSError`, an
//! interruption `KeyboardInterrupt`, anything else `RuntimeError`.

use pyo3::create_exception;
use pyo3::exceptions::{PyKeyboardInterrupt, PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use spheres::Error;
use spheres::experiments::{Ensemble, Setting, compare, run, sweep, validate};
use std::path::PathBuf;

create_exception!(
    _native,
    InputError,
    PyValueError,
    "Bad input: a scenario, sweep file, key path or option spheres refuses (the command line's exit code 2)."
);

/// The Python exception of a library error, with its message.
fn to_py(e: Error) -> PyErr {
    let text = e.to_string();
    match e {
        Error::Input(_) | Error::Refused(_) => InputError::new_err(text),
        Error::Io { .. } => PyOSError::new_err(text),
        Error::Interrupted => PyKeyboardInterrupt::new_err(text),
        _ => PyRuntimeError::new_err(text),
    }
}

/// `path=value` settings, as `--set` takes them.
fn settings(sets: Vec<String>) -> PyResult<Vec<Setting>> {
    sets.iter()
        .map(|s| Setting::parse(s).map_err(|e| InputError::new_err(format!("{s}: {e}"))))
        .collect()
}

/// The options every ensemble experiment takes, for a folder `out` (written over).
fn ensemble(
    sets: Vec<String>,
    runs: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
    out: PathBuf,
    yes: bool,
    command: &str,
) -> PyResult<Ensemble> {
    Ok(Ensemble {
        runs,
        seed,
        threads,
        out: Some(out),
        force: true,
        quiet: true,
        no_charts: true,
        yes,
        terminal: None,
        command_line: format!("python: spheres.{command}"),
        sets: settings(sets)?,
        ..Ensemble::default()
    })
}

/// Where the runs' parameters come from (`--fixed`, `--draws`, `--runs-per-draw`,
/// `--posterior`), as `(fixed, draws, runs_per_draw, posterior)`.
type Draws = (bool, Option<u64>, Option<u64>, Option<PathBuf>);

/// `ensemble` with the parameters' source `draws`.
fn with_draws(ensemble: Ensemble, (fixed, draws, runs_per_draw, posterior): Draws) -> Ensemble {
    Ensemble {
        fixed,
        draws,
        runs_per_draw,
        posterior,
        ..ensemble
    }
}

/// Runs `scenario` (a file or bundled name) into `out`; returns the folder.
#[pyfunction]
#[pyo3(signature = (scenario, out, sets=Vec::new(), runs=None, seed=None, threads=None, per_run=true, trajectories=0, yes=false, draws=(false, None, None, None)))]
#[allow(clippy::too_many_arguments)]
fn run_scenario(
    py: Python<'_>,
    scenario: String,
    out: PathBuf,
    sets: Vec<String>,
    runs: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
    per_run: bool,
    trajectories: u64,
    yes: bool,
    draws: Draws,
) -> PyResult<PathBuf> {
    let opts = run::RunOptions {
        scenario,
        ensemble: with_draws(ensemble(sets, runs, seed, threads, out, yes, "run")?, draws),
        summary_only: !per_run,
        trajectories,
    };
    py.allow_threads(|| run::run(&opts))
        .map(|r| r.dir)
        .map_err(to_py)
}

/// Compares `variants` with `baseline` on common random numbers into `out`; returns the folder.
#[pyfunction]
#[pyo3(signature = (baseline, variants, out, sets=Vec::new(), runs=None, seed=None, threads=None, yes=false, variant_sets=Vec::new(), draws=(false, None, None, None)))]
#[allow(clippy::too_many_arguments)]
fn compare_scenarios(
    py: Python<'_>,
    baseline: String,
    variants: Vec<String>,
    out: PathBuf,
    sets: Vec<String>,
    runs: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
    yes: bool,
    variant_sets: Vec<String>,
    draws: Draws,
) -> PyResult<PathBuf> {
    let opts = compare::CompareOptions {
        baseline,
        variants,
        variant_sets: settings(variant_sets)?
            .into_iter()
            .map(|s| Setting {
                flag: "--set-variant",
                ..s
            })
            .collect(),
        ensemble: with_draws(ensemble(sets, runs, seed, threads, out, yes, "compare")?, draws),
    };
    py.allow_threads(|| compare::compare(&opts))
        .map(|r| r.dir)
        .map_err(to_py)
}

/// Runs the sweep file `file` into `out`; returns the folder.
#[pyfunction]
#[pyo3(signature = (file, out, sets=Vec::new(), threads=None, per_run=false, series=false, ema=false, shard=None, resume=false, yes=false))]
#[allow(clippy::too_many_arguments)]
fn sweep_file(
    py: Python<'_>,
    file: String,
    out: PathBuf,
    sets: Vec<String>,
    threads: Option<usize>,
    per_run: bool,
    series: bool,
    ema: bool,
    shard: Option<(usize, usize)>,
    resume: bool,
    yes: bool,
) -> PyResult<PathBuf> {
    let mut ensemble = ensemble(sets, None, None, threads, out, yes, "sweep")?;
    // A resumed sweep continues its folder rather than clearing it.
    ensemble.force = !resume;
    let opts = sweep::SweepOptions {
        file,
        ensemble,
        shard,
        resume,
        ema,
        extras: sweep::Extras { per_run, series },
    };
    py.allow_threads(|| sweep::sweep(&opts))
        .map(|r| r.dir)
        .map_err(to_py)
}

/// Loads, checks and compiles `scenario` with `sets` applied; returns its description.
#[pyfunction]
#[pyo3(signature = (scenario, sets=Vec::new()))]
fn validate_scenario(py: Python<'_>, scenario: String, sets: Vec<String>) -> PyResult<String> {
    let sets = settings(sets)?;
    py.allow_threads(|| validate::validate(&scenario, &sets, &spheres::experiments::Silent))
        .map_err(to_py)
}

/// The scenario's resolved TOML (`extends` applied, every key explicit), with `sets` applied.
#[pyfunction]
#[pyo3(signature = (scenario, sets=Vec::new()))]
fn resolved_toml(scenario: String, sets: Vec<String>) -> PyResult<String> {
    let sets = settings(sets)?;
    spheres::scenario::load_tree(&scenario)
        .and_then(|tree| tree.scenario_set(&sets))
        .and_then(|s| s.to_toml())
        .map_err(to_py)
}

/// The bundled scenarios' names.
#[pyfunction]
fn bundled() -> Vec<&'static str> {
    spheres::scenario::BUNDLED.iter().map(|b| b.name).collect()
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("InputError", m.py().get_type::<InputError>())?;
    m.add_function(wrap_pyfunction!(run_scenario, m)?)?;
    m.add_function(wrap_pyfunction!(compare_scenarios, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_file, m)?)?;
    m.add_function(wrap_pyfunction!(validate_scenario, m)?)?;
    m.add_function(wrap_pyfunction!(resolved_toml, m)?)?;
    m.add_function(wrap_pyfunction!(bundled, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
