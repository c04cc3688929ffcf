"""An EMA Workbench adapter: a spheres scenario as an `ema_workbench.Model`.

    from ema_workbench import perform_experiments
    import spheres.ema
    model = spheres.ema.model(
        "balkans-aggregate",
        uncertainties={"params.inertia": (1.0, 5.0), "power.EU.budget.accession": (0, 3000)},
        outcomes=["region.mean_alignment", "SRB.alignment"],
        runs=50,
    )
    experiments, outcomes = perform_experiments(model, scenarios=20)

Each experiment runs the scenario with the uncertainties' values set at their key paths
(`runs` runs from `seed`, the same random numbers for every experiment) and returns each
output's mean over the runs at the horizon. EMA names carry `__` for the key paths' dots
(`params__inertia`, `region__mean_alignment`).
"""

from __future__ import annotations

import tempfile
from typing import Iterable, Mapping, Optional

import spheres


def ema_name(path: str) -> str:
    """A key path or output as an EMA name: dots as `__`."""
    return path.replace(".", "__")


def horizon_means(result: "spheres.Result", outputs: Iterable[str]) -> dict[str, float]:
    """Each `unit.indicator`'s mean over the runs at the horizon, from summary.csv."""
    summary = result.summary
    last = summary[summary["date"] == summary["date"].iloc[-1]]
    means = {}
    for output in outputs:
        unit, indicator = output.split(".", 1)
        row = last[(last["state"] == unit) & (last["indicator"] == indicator)]
        if row.empty:
            raise spheres.InputError(f"{output}: not an output of the scenario (unit.indicator)")
        means[ema_name(output)] = float(row["mean"].iloc[0])
    return means


def model(
    scenario: str,
    uncertainties: Mapping[str, tuple[float, float]],
    outcomes: Iterable[str],
    runs: int = 100,
    seed: int = 1,
    threads: Optional[int] = None,
    name: str = "spheres",
):
    """An `ema_workbench.Model` running `scenario` with `uncertainties` (key path: (low,
    high)) and reporting `outcomes` (`unit.indicator`: the mean over `runs` runs at the
    horizon) as ScalarOutcomes."""
    from ema_workbench import Model, RealParameter, ScalarOutcome

    outcomes = list(outcomes)
    paths = {ema_name(p): p for p in uncertainties}
    base = spheres.load(scenario)

    def simulate(**values: float) -> dict[str, float]:
        s = base
        for key, value in values.items():
            s = s.set(paths[key], float(value))
        with tempfile.TemporaryDirectory(prefix="spheres-ema-") as out:
            result = s.run(runs=runs, seed=seed, threads=threads, per_run=False, out=out)
            return horizon_means(result, outcomes)

    m = Model(name, function=simulate)
    m.uncertainties = [RealParameter(ema_name(p), lo, hi) for p, (lo, hi) in uncertainties.items()]
    m.outcomes = [ScalarOutcome(ema_name(o)) for o in outcomes]
    return m
