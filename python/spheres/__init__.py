"""spheres from Python: run, compare, sweep and validate scenarios; results as pandas DataFrames.

    import spheres
    r = spheres.run("balkans", runs=1000, seed=1)
    r.summary          # date, state, indicator, mean, sd, p05 … p95 (summary.csv)
    r.outcomes         # one row per run: every unit's indicators at the horizon
    r.events           # one row per threshold event of a run
    s = spheres.load("balkans").set("params.inertia", 2.0)
    s.run(runs=200, seed=1).summary

Every experiment runs in the compiled library with the GIL released, into an output folder
whose files are those of the command line (docs/SCENARIOS.md): `out`, or a new temporary
folder (`Result.dir`) that is removed when the result is garbage-collected or Python exits —
pass `out` to keep the files. `run` and `compare` draw the scenario's uncertain coefficients
as the command line does: `fixed=True` runs its own numbers, `draws` and `runs_per_draw` size
the draws, `posterior` draws from a calibration's posterior.csv. Bad input raises `spheres.InputError` (a ValueError) with
the library's message, which names the file, line and column or the key path.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

import pandas as pd

from . import _native
from ._native import InputError

__all__ = [
    "InputError",
    "Result",
    "Comparison",
    "SweepResult",
    "Scenario",
    "bundled",
    "compare",
    "load",
    "run",
    "sweep",
    "validate",
]
__version__ = _native.__version__


def _folder(
    out: Optional[os.PathLike | str], prefix: str
) -> "tuple[str, Optional[tempfile.TemporaryDirectory]]":
    """`out`, or a new temporary folder with the object that removes it when collected."""
    if out is not None:
        return os.fspath(out), None
    temporary = tempfile.TemporaryDirectory(prefix=f"spheres-{prefix}-")
    return temporary.name, temporary


def _draws(
    fixed: bool,
    draws: Optional[int],
    runs_per_draw: Optional[int],
    posterior: Optional[os.PathLike | str],
) -> tuple:
    """The parameters' source as the library takes it."""
    return (fixed, draws, runs_per_draw, None if posterior is None else os.fspath(posterior))


def _toml(value: Any) -> str:
    """A Python value as the TOML value `--set` takes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(f'"{v}"' if isinstance(v, str) else _toml(v) for v in value) + "]"
    raise TypeError(f"{value!r}: expected a number, a boolean, a string or a list of them")


def _sets(settings: Iterable[tuple[str, Any]]) -> list[str]:
    return [f"{path}={_toml(value)}" for path, value in settings]


def _table(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name)


@dataclass(frozen=True)
class Result:
    """The output folder of a run; its tables are read when first asked for."""

    dir: Path
    _temporary: Any = field(default=None, repr=False, compare=False)

    @property
    def summary(self) -> pd.DataFrame:
        """summary.csv: every month, unit and indicator over the runs (mean, sd, quantiles)."""
        return _table(self.dir, "summary.csv")

    @property
    def outcomes(self) -> pd.DataFrame:
        """outcomes.csv: one row per run, every unit's indicators at the horizon."""
        return _table(self.dir, "outcomes.csv")

    @property
    def events(self) -> pd.DataFrame:
        """events.csv: one row per threshold or scheduled event of a run."""
        return _table(self.dir, "events.csv")


@dataclass(frozen=True)
class Comparison:
    """The output folder of a comparison."""

    dir: Path
    _temporary: Any = field(default=None, repr=False, compare=False)

    @property
    def comparison(self) -> pd.DataFrame:
        """comparison.csv: each scenario's horizon, the paired differences and their intervals."""
        return _table(self.dir, "comparison.csv")


@dataclass(frozen=True)
class SweepResult:
    """The output folder of a sweep."""

    dir: Path
    _temporary: Any = field(default=None, repr=False, compare=False)

    @property
    def points(self) -> pd.DataFrame:
        """points.csv: each point's parameter values."""
        return _table(self.dir, "points.csv")

    @property
    def results(self) -> pd.DataFrame:
        """results.csv: each point's outputs over its runs (mean, sd, p05, p50, p95, error)."""
        return _table(self.dir, "results.csv")

    @property
    def runs(self) -> pd.DataFrame:
        """runs.csv (per_run=True): every run of every point, its outputs at the horizon."""
        return _table(self.dir, "runs.csv")

    @property
    def series(self) -> pd.DataFrame:
        """series.csv (series=True): every month of every point, the outputs' mean and quantiles."""
        return _table(self.dir, "series.csv")


def run(
    scenario: "str | Scenario",
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    out: Optional[os.PathLike | str] = None,
    per_run: bool = True,
    trajectories: int = 0,
    yes: bool = False,
    fixed: bool = False,
    draws: Optional[int] = None,
    runs_per_draw: Optional[int] = None,
    posterior: Optional[os.PathLike | str] = None,
) -> Result:
    """Runs a scenario (a file, a bundled name, or a `Scenario`) as `spheres run` does.

    Runs and seed default to the scenario's; the results do not depend on `threads`.
    `per_run=False` writes only the summary; `trajectories=N` every month of the first N runs.
    `yes=True` runs a job estimated past an hour or 8 GB (refused otherwise). `fixed`,
    `draws`, `runs_per_draw` and `posterior` are the command line's `--fixed`, `--draws`,
    `--runs-per-draw` and `--posterior`.
    """
    name, settings = _scenario(scenario)
    folder, temporary = _folder(out, "run")
    folder = _native.run_scenario(
        name, folder, _sets(settings), runs, seed, threads, per_run, trajectories, yes,
        _draws(fixed, draws, runs_per_draw, posterior),
    )
    return Result(Path(folder), temporary)


def compare(
    baseline: "str | Scenario",
    *variants: str,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    out: Optional[os.PathLike | str] = None,
    yes: bool = False,
    set_variant: Iterable[tuple[str, Any]] = (),
    fixed: bool = False,
    draws: Optional[int] = None,
    runs_per_draw: Optional[int] = None,
    posterior: Optional[os.PathLike | str] = None,
) -> Comparison:
    """Compares variants with a baseline on common random numbers, as `spheres compare` does.

    A `Scenario` baseline's settings apply to every scenario of the comparison; `set_variant`
    pairs (path, value) to the variants only (`--set-variant`; a value "x2" is relative), and
    with no variant they make one from the baseline (a what-if). `fixed`, `draws`,
    `runs_per_draw` and `posterior` choose the parameters as for `run`.
    """
    name, settings = _scenario(baseline)
    folder, temporary = _folder(out, "compare")
    folder = _native.compare_scenarios(
        name, list(variants), folder, _sets(settings), runs, seed, threads, yes,
        _sets(set_variant), _draws(fixed, draws, runs_per_draw, posterior),
    )
    return Comparison(Path(folder), temporary)


def sweep(
    file: str,
    threads: Optional[int] = None,
    out: Optional[os.PathLike | str] = None,
    per_run: bool = False,
    series: bool = False,
    ema: bool = False,
    shard: Optional[tuple[int, int]] = None,
    resume: bool = False,
    sets: Iterable[tuple[str, Any]] = (),
    yes: bool = False,
) -> SweepResult:
    """Runs a sweep file as `spheres sweep` does (runs and seed come from the file).

    `per_run` adds runs.csv, `series` series.csv, `ema` ema.tar.gz; `shard=(k, n)` runs slice
    k of n; `resume=True` continues the sweep in `out`; `sets` are (key path, value) pairs set
    for every point.
    """
    if resume and out is None:
        raise InputError("resume=True needs out: the folder of the sweep to continue")
    folder, temporary = _folder(out, "sweep")
    folder = _native.sweep_file(
        file, folder, _sets(sets), threads, per_run, series, ema, shard, resume, yes
    )
    return SweepResult(Path(folder), temporary)


def validate(scenario: "str | Scenario") -> str:
    """Checks and compiles a scenario; returns what `spheres validate` prints."""
    name, settings = _scenario(scenario)
    return _native.validate_scenario(name, _sets(settings))


def bundled() -> list[str]:
    """The names of the scenarios compiled into spheres."""
    return list(_native.bundled())


@dataclass(frozen=True)
class Scenario:
    """A scenario (a file or bundled name) with values set by key path, as `--set` does.

    `set` checks the value at once: a key path the scenario lacks, or a value out of range,
    raises InputError naming the path.
    """

    name: str
    settings: tuple[tuple[str, Any], ...] = field(default=())

    def set(self, path: str, value: Any) -> "Scenario":
        """This scenario with `value` at the key path `path` (`params.inertia`,
        `state.SRB.gas_share_russia`, `policy.eu.budget.aid`); checked now."""
        changed = Scenario(self.name, self.settings + ((path, value),))
        _native.validate_scenario(changed.name, _sets(changed.settings))
        return changed

    def to_toml(self) -> str:
        """The resolved scenario (`extends` applied, every key explicit) as TOML."""
        return _native.resolved_toml(self.name, _sets(self.settings))

    def run(self, **options: Any) -> Result:
        """`spheres.run` of this scenario."""
        return run(self, **options)

    def validate(self) -> str:
        """`spheres.validate` of this scenario."""
        return validate(self)


def load(name: str) -> Scenario:
    """A scenario file or bundled scenario, checked (InputError if it does not load)."""
    _native.validate_scenario(name, [])
    return Scenario(name)


def _scenario(scenario: "str | Scenario") -> tuple[str, tuple[tuple[str, Any], ...]]:
    if isinstance(scenario, Scenario):
        return scenario.name, scenario.settings
    return os.fspath(scenario), ()
