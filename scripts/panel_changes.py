#!/usr/bin/env python3
"""How far the panel's states moved on the model's axis over 1, 2, 5 and 10 years: the figure
the model's drift is checked against (docs/CALIBRATION.md, "How wide the bands are").

    python3 scripts/panel_changes.py

Then, year by year, the panel's mean change and its spread, beside the regional shocks of
data/europe/shocks/regional_shocks.csv that began that year: the co-movements a common shock
process would be fitted to (docs/CALIBRATION.md, "Not yet done").

Reads data/europe/unga/ideal_points.csv (standard library only). Each session's ideal points are
put on the axis of docs/MODEL.md 9.1: the mean of the EU's fifteen members of 1995 reads -1 and
a state as far toward Moscow as Russia's mean distance over the sessions 2000-2021 reads +1. A
change is a state's reading k sessions later minus its reading now, for every panel state but
the two anchors (the US and Russia) and every start session from 2000; the changes include the
ideal points' own measurement error.
"""

import csv
import statistics
from pathlib import Path

PANEL = (
    "AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT "
    "ROU SVK SVN ESP SWE GBR NOR CHE ISL SRB MNE MKD ALB BIH XKX MDA UKR BLR GEO ARM AZE TUR"
).split()
WEST = "AUT BEL DNK FIN FRA DEU GRC IRL ITA LUX NLD PRT ESP SWE GBR".split()


def readings():
    path = Path(__file__).resolve().parent.parent / "data/europe/unga/ideal_points.csv"
    points = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["panel_iso3"] in PANEL + ["RUS"] and int(row["year"]) >= 1992:
                points[(row["panel_iso3"], int(row["year"]))] = float(row["IdealPointAll"])
    west = {}
    for year in {y for (_, y) in points}:
        v = [points[(s, year)] for s in WEST if (s, year) in points]
        if len(v) >= 12:
            west[year] = statistics.mean(v)
    width = statistics.mean(
        west[y] - points[("RUS", y)] for y in west if y >= 2000 and ("RUS", y) in points
    )
    return {
        (s, y): -1 + 2 * (west[y] - v) / width
        for (s, y), v in points.items()
        if s != "RUS" and y in west
    }


def main():
    a = readings()
    print("years  changes    sd     5 %     95 %   mean |change|")
    for lag in (1, 2, 5, 10):
        d = sorted(
            a[(s, y + lag)] - a[(s, y)] for (s, y) in a if y >= 2000 and (s, y + lag) in a
        )
        n = len(d)
        print(
            f"{lag:5} {n:8}  {statistics.pstdev(d):.3f}  {d[int(0.05 * n)]:+.3f}  "
            f"{d[int(0.95 * n)]:+.3f}  {statistics.mean(map(abs, d)):.3f}"
        )


def comovements(a):
    shocks = {}
    path = Path(__file__).resolve().parent.parent / "data/europe/shocks/regional_shocks.csv"
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            shocks.setdefault(int(row["date"][:4]), []).append(f"{row['type']} ({row['scope']})")
    print("\nyear  states  mean change   sd    shocks begun that year")
    for year in range(2001, 2022):
        d = [a[(s, year)] - a[(s, year - 1)] for (s, y) in a if y == year and (s, year - 1) in a]
        print(
            f"{year}  {len(d):6}  {statistics.mean(d):+.3f}      {statistics.pstdev(d):.3f}  "
            + "; ".join(shocks.get(year, []))
        )


if __name__ == "__main__":
    main()
    comovements(readings())
