#!/usr/bin/env python3
"""What the panel says about the Russian levers (docs/CALIBRATION.md, "Levers: the panel's
evidence"), standard library only:

    python3 scripts/lever_evidence.py

Across the panel's states (the anchors and the EU-15, whose mean defines the axis, left out),
each state's mean UN reading of the sessions 2015-2021 on the model's axis (scripts/
panel_changes.py) against its dependence on Russian gas and arms and its Orthodox share
(data/europe/covariates/covariates.csv, flags there): ordinary least squares, one covariate at a
time and all together, with heteroskedasticity-robust (HC1) standard errors and 90 % intervals.
These are associations across states, not effects: a state's history, its neighbours and its
government explain both its dependence and its votes.
"""

import csv
import math
import statistics
from pathlib import Path

import panel_changes

ROOT = Path(__file__).resolve().parent.parent
COVARIATES = ("gas_share_russia", "arms_share_russia", "orthodox_share")


def solve(a, b):
    """x with a x = b (Gauss-Jordan, a small and well-conditioned system)."""
    n = len(a)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    return [m[i][n] / m[i][i] for i in range(n)]


def inverse(a):
    n = len(a)
    cols = [solve(a, [1.0 if i == j else 0.0 for i in range(n)]) for j in range(n)]
    return [[cols[j][i] for j in range(n)] for i in range(n)]


def ols(x, y):
    """Coefficients and HC1 standard errors of y on [1, x]."""
    rows = [[1.0] + r for r in x]
    k, n = len(rows[0]), len(rows)
    xtx = [[sum(r[i] * r[j] for r in rows) for j in range(k)] for i in range(k)]
    beta = solve(xtx, [sum(r[i] * v for r, v in zip(rows, y)) for i in range(k)])
    resid = [v - sum(b * c for b, c in zip(beta, r)) for r, v in zip(rows, y)]
    bread = inverse(xtx)
    meat = [[sum(r[i] * r[j] * e * e for r, e in zip(rows, resid)) for j in range(k)] for i in range(k)]
    cov = [[sum(bread[i][a] * meat[a][b] * bread[b][j] for a in range(k) for b in range(k))
            * n / (n - k) for j in range(k)] for i in range(k)]
    r2 = 1 - sum(e * e for e in resid) / sum((v - statistics.mean(y)) ** 2 for v in y)
    return beta, [math.sqrt(cov[i][i]) for i in range(k)], r2


def main():
    readings = panel_changes.readings()
    west = set(panel_changes.WEST)
    with open(ROOT / "data/europe/covariates/covariates.csv", newline="") as f:
        covariates = {r["iso3"]: r for r in csv.DictReader(f)}
    states, x, y = [], [], []
    for s, r in sorted(covariates.items()):
        values = [readings[(s, yr)] for yr in range(2015, 2022) if (s, yr) in readings]
        if s in west or not values:
            continue
        states.append(s)
        x.append([float(r[c]) for c in COVARIATES])
        y.append(statistics.mean(values))
    print(f"{len(states)} states outside the EU-15 with UN readings 2015-2021; "
          f"alignment {min(y):+.2f} to {max(y):+.2f}")
    print("covariate              alone: slope [90 %]       together: slope [90 %]")
    together, se_t, r2 = ols(x, y)
    for k, c in enumerate(COVARIATES):
        b, se, _ = ols([[v[k]] for v in x], y)
        print(f"{c:20} {b[1]:+.2f} [{b[1] - 1.645 * se[1]:+.2f}, {b[1] + 1.645 * se[1]:+.2f}]"
              f"        {together[k + 1]:+.2f} [{together[k + 1] - 1.645 * se_t[k + 1]:+.2f}, "
              f"{together[k + 1] + 1.645 * se_t[k + 1]:+.2f}]")
    print(f"together: R^2 {r2:.2f}; alignment units per unit of each share")


if __name__ == "__main__":
    main()
