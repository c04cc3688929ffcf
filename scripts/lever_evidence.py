#!/usr/bin/env python3
"""What the panel says about the Russian levers (docs/CALIBRATION.md, "Levers: the panel's
evidence"), standard library only:

    python3 scripts/lever_evidence.py [--responses DIR/responses.csv]

Across the panel's states (the anchors and the EU-15, whose mean defines the axis, left out),
each state's mean UN reading of the sessions 2015-2021 on the model's axis (scripts/
panel_changes.py) against its dependence on Russian gas and arms and its Orthodox share
(data/europe/covariates/covariates.csv, flags there): ordinary least squares, one covariate at a
time and all together, with heteroskedasticity-robust (HC1) standard errors and 90 % intervals.
These are associations across states, not effects: a state's history, its neighbours and its
government explain both its dependence and its votes.

With --responses (the file `spheres levers SCENARIO` writes: each state's long-run response to
a full stock of each lever, at the lever's pull times 1/4 to 64), each association becomes a
range of pulls: the association's sampling distribution, truncated at 0 (a Russian lever's
pull can only pull toward Moscow), is read as the distribution of the model's mean response
over the regression's states that the scenario has (an entity's parent as their mean), and its
median and 95th percentile are mapped to pulls through that mean response (linear between the
multipliers). Where the model cannot reach the association's median at any pull, it bounds
nothing within reach and the script says so.
"""

import argparse
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


def normal_quantile(p):
    """The standard normal's p-quantile (bisection on erf)."""
    lo, hi = -10.0, 10.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if 0.5 * (1 + math.erf(mid / math.sqrt(2))) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def truncated_quantile(mean, sd, p):
    """The p-quantile of N(mean, sd) truncated to [0, inf)."""
    if sd <= 0:
        return max(mean, 0.0)
    below = 0.5 * (1 + math.erf(-mean / (sd * math.sqrt(2))))
    return mean + sd * normal_quantile(below + p * (1 - below))


def mean_responses(path, lever, states):
    """(pull, mean response over `states`) per multiplier, in increasing pull, and the states."""
    by_pull = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            parent = r["state"].split("-")[0]
            if r["lever"] == lever and parent in states:
                by_pull.setdefault(float(r["pull"]), {}).setdefault(parent, []).append(
                    float(r["response_per_unit"]))
    curve = [(pull, statistics.mean(statistics.mean(v) for v in per.values()))
             for pull, per in sorted(by_pull.items())]
    return curve, sorted({s for per in by_pull.values() for s in per})


def pull_for(curve, response):
    """The pull at which the mean response (rising with the pull) is `response`: the least pull
    of the curve below its first point, None beyond its last."""
    if response <= curve[0][1]:
        return curve[0][0]
    for (p0, r0), (p1, r1) in zip(curve, curve[1:]):
        if r0 <= response <= r1:
            return p0 if r1 == r0 else p0 + (p1 - p0) * (response - r0) / (r1 - r0)
    return None


def priors(path, states, together, se):
    """Prints, per lever with a covariate, the pulls the association implies."""
    print(f"\nthe model's mean long-run response to a full stock ({path}):")
    for k, c in enumerate(COVARIATES):
        lever = {"gas_share_russia": "energy", "arms_share_russia": "arms",
                 "orthodox_share": "religion"}[c]
        curve, used = mean_responses(path, lever, set(states))
        if not curve:
            continue
        print(f"{lever:8} over {' '.join(used)}")
        b, s = together[k + 1], se[k + 1]
        median, high = (truncated_quantile(b, s, p) for p in (0.5, 0.95))
        at, top = pull_for(curve, median), pull_for(curve, high)
        reach = ", ".join(f"{p:.3g}: {r:.3f}" for p, r in curve)
        print(f"         by pull {reach}")
        if at is None:
            print(f"         the association's median response {median:.2f} is beyond the model's "
                  "reach: it bounds nothing within reach")
            continue
        if top is None:
            print(f"         response median {median:.3f} -> pull median {at:.3f}; its 95th "
                  f"percentile {high:.3f} is beyond the model's reach: no upper bound")
            continue
        print(f"         response median {median:.3f}, 95th {high:.3f} -> pull median {at:.3f}, "
              f"95th {top:.3f}: lognormal median {at:.3f}, sd_log {math.log(top / at) / 1.645:.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--responses", help="responses.csv of `spheres levers`")
    args = parser.parse_args()
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
    if args.responses:
        priors(args.responses, states, together, se_t)


if __name__ == "__main__":
    main()
