#!/usr/bin/env python3
"""Recomputes the initial alignment and public opinion of scenarios/europe.toml from the UN
General Assembly ideal points in data/europe/unga/ideal_points.csv (Bailey, Strezhnev and
Voeten; column IdealPointAll, key panel_iso3).

    python3 scripts/europe_initial.py          # the scenario's start, session 54 (1999)
    python3 scripts/europe_initial.py 2005     # the same reading for another session year

Each state's ideal point y in the base year is put on the model's axis, -1 the West and +1
Moscow, by the two reference points of the same year: E, the mean of the fifteen states that
were EU members in 2000, and R, Russia. Higher ideal points are closer to the US, so

    alignment = (E + R - 2 y) / (E - R),   clamped to [-0.95, 0.95]

sends E to -1 and R to +1. A state with no row in the base year takes its nearest later year
that has one, rescaled by that year's E and R (SRB: the FRY was barred from voting 1993-1999;
CHE: not a UN member before 2002; MNE: independent from 2006). Kosovo is not a UN member: it
takes Albania's value of the base year, a proxy flagged [C] in the scenario. The scenario sets
public_opinion equal to alignment. USA and RUS are printed for reference only: the scenario
anchors them at -1 and +1.

Prints one line per state: the year used, the votes behind it, the ideal point, E, R, the
unclamped value and the scenario's value. Standard library only.
"""
import csv
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = os.path.join(HERE, "..", "data", "europe", "unga", "ideal_points.csv")

# The panel, in the scenario's order.
PANEL = (
    "AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT "
    "ROU SVK SVN ESP SWE GBR NOR CHE ISL SRB MNE MKD ALB BIH XKX MDA UKR BLR GEO ARM AZE TUR "
    "RUS USA"
).split()
# The EU's members in 2000 (data/europe/accession/milestones.csv: joined on or before 2000-01).
EU15 = "AUT BEL DNK FIN FRA DEU GRC IRL ITA LUX NLD PRT ESP SWE GBR".split()
# States with no UN record: whose value stands in for theirs.
PROXY = {"XKX": "ALB"}
ANCHORS = {"USA": -1.0, "RUS": 1.0}
LIMIT = 0.95


def load():
    """(panel_iso3, year) -> (ideal point, votes), rows with an empty ideal point left out."""
    out = {}
    with open(PATH, newline="") as f:
        for row in csv.DictReader(f):
            if row["IdealPointAll"] == "":
                continue
            out[(row["panel_iso3"], int(row["year"]))] = (
                float(row["IdealPointAll"]),
                int(row["NVotesAll"]),
            )
    return out


def references(points, year):
    """E (the EU-15 mean) and R (Russia) in `year`."""
    eu = [points[(c, year)][0] for c in EU15]
    return sum(eu) / len(eu), points[("RUS", year)][0]


def reading(points, code, base):
    """The (year, ideal point, votes) a state is read from: the base year, else the nearest
    later year with a row."""
    source = PROXY.get(code, code)
    years = sorted(y for (c, y) in points if c == source and y >= base)
    if not years:
        raise SystemExit(f"{code}: no ideal point from {base} on")
    y = years[0]
    return y, *points[(source, y)]


def main():
    base = int(sys.argv[1]) if len(sys.argv) > 1 else 1999
    points = load()
    print(f"base year {base} (UN session {base - 1945}); alignment = (E + R - 2y)/(E - R)")
    print(f"{'code':5} {'year':>4} {'votes':>5} {'ideal':>7} {'E':>6} {'R':>6} {'raw':>7}  alignment")
    for code in PANEL:
        year, y, votes = reading(points, code, base)
        e, r = references(points, year)
        raw = (e + r - 2 * y) / (e - r)
        value = max(-LIMIT, min(LIMIT, raw))
        note = ""
        if code in ANCHORS:
            value, note = ANCHORS[code], "  anchor (fully anchored in the scenario)"
        elif code in PROXY:
            note = f"  [C] proxy: {PROXY[code]}'s value"
        elif year != base:
            note = f"  nearest later year ({year})"
        print(f"{code:5} {year:4} {votes:5} {y:7.3f} {e:6.3f} {r:6.3f} {raw:+7.3f}  {value:+.3f}{note}")


if __name__ == "__main__":
    main()
