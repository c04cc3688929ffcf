"""Loads a sweep's ema.tar.gz with EMA Workbench and checks it against results.csv.

    bash scripts/check_ema.sh OUTPUT_DIR      # makes a virtual environment with ema_workbench
"""
import csv
import math
import sys

from ema_workbench import load_results

folder = sys.argv[1]
experiments, outcomes = load_results(f"{folder}/ema.tar.gz")
with open(f"{folder}/points.csv") as f:
    points = list(csv.DictReader(f))
with open(f"{folder}/results.csv") as f:
    results = list(csv.DictReader(f))
assert len(experiments) == len(points) == len(results), (len(experiments), len(points))
for name in experiments.columns:
    for row, value in zip(points, experiments[name]):
        assert math.isclose(float(row[name]), value, rel_tol=1e-12), (name, row[name], value)
series = None
try:
    with open(f"{folder}/series.csv") as f:
        series = list(csv.DictReader(f))
except FileNotFoundError:
    pass
for name, values in outcomes.items():
    if name == "TIME" or name.endswith("_series"):
        # --series: a row per experiment, a column per month (TIME: months since the start).
        months = len(series) // len(results)
        assert values.shape == (len(results), months), (name, values.shape)
        for p in range(len(results)):
            for t in range(months):
                row = series[p * months + t]
                if name == "TIME":
                    expected = t
                else:
                    column = [k for k in row if k.replace(".", "_") == f"{name[:-7]}_mean"][0]
                    expected = float(row[column]) if row[column] else math.nan
                value = values[p][t]
                assert (math.isnan(expected) and math.isnan(value)) or math.isclose(expected, value), (name, p, t, expected, value)
        continue
    column = [k for k in results[0] if k.replace(".", "_") == f"{name}_mean"][0]
    for row, value in zip(results, values):
        expected = float(row[column]) if row[column] else math.nan
        assert (math.isnan(expected) and math.isnan(value)) or math.isclose(expected, value), (name, expected, value)
print(f"ema_workbench {__import__('ema_workbench').__version__}: {len(experiments)} experiments, "
      f"{len(experiments.columns)} parameters, outcomes {sorted(outcomes)}: all match")
