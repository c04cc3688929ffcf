#!/usr/bin/env python3
"""Regional shocks (docs/MODEL.md 7.13), fitted on data/europe/shocks/regional_shocks.csv and the
panel's co-movements on the UN axis (standard library only).

    python3 scripts/regional_shocks.py                 # the fit over 1999-2021
    python3 scripts/regional_shocks.py --into scenarios/hindcast-2014.toml
        # writes the scenario's [[shock]] list: every dated shock from its start to its end,
        # known only with hindsight, scoped to the listed states that are in the scenario; a
        # scenario scored against [[outcome]]s also gets, in [params], the process fitted only
        # on the data before the year it starts

The fit (docs/CALIBRATION.md, "Regional shocks"):
- hazard: the dated shocks that began in 1999-2021 per month of that window (the sessions of
  2022-2023 are held back, so the window ends with 2021);
- the common jump: the variance of the year-on-year mean change of the states outside the EU-15
  (whose mean defines the axis, so that their common move is 0 by construction), less its
  sampling part (each year's variance over its states / their number), per shock of the same
  years: sd = sqrt(common variance a year / shocks a year). The years 2010 and 2011 are left
  out: the panel's mean moved -0.14 and then +0.15 on one session's agenda and came back, a
  reading, not a move. This attributes all common variance to the dated shocks; the years with
  a shock show no larger common move than those without, so it is an upper bound;
- the scoped jump: a state named in a shock's scope (ISO codes of panel states outside the
  EU-15 only; "EU" or "Balkans" count as region-wide) changed between the session of the
  shock's year and the next with sd s_in, against s_all for every state-year outside the EU-15
  (2010-2011 left out as above): the extra sd is sqrt(s_in^2 - s_all^2);
- the chance that a state is in a drawn shock's scope: scoped state entries per shock and per
  panel state outside the EU-15.
"""

import csv
import math
import statistics
import sys
from pathlib import Path

import panel_changes
import scenario_text

ROOT = Path(__file__).resolve().parent.parent
WINDOW = (1999, 2021)
ARTEFACT_YEARS = (2010, 2011)


def shocks():
    with open(ROOT / "data/europe/shocks/regional_shocks.csv", newline="") as f:
        return list(csv.DictReader(f))


def scope(row):
    return [s for s in row["scope"].split(";") if len(s) == 3 and s.isupper()]


def fit(until=WINDOW[1], show=True):
    """The shock process fitted on 1999 to `until` (the UN sessions to `until`), by name; and
    printed with how it was found when `show`."""
    a = {k: v for k, v in panel_changes.readings().items() if k[1] <= until}
    west = set(panel_changes.WEST)
    rows = [r for r in shocks() if WINDOW[0] <= int(r["date"][:4]) <= until]
    months = (until - WINDOW[0] + 1) * 12
    per_year = len(rows) / (months / 12)
    means, sampling = [], []
    years = [y for y in range(2001, until + 1) if y not in ARTEFACT_YEARS]
    for y in years:
        d = [a[(s, y)] - a[(s, y - 1)] for (s, yy) in a if yy == y and (s, y - 1) in a and s not in west]
        means.append(statistics.mean(d))
        sampling.append(statistics.pvariance(d) / len(d))
    common = statistics.variance(means) - statistics.mean(sampling)
    # The shocks of the same years: a change from session y-1 to y takes the shocks of year y-1.
    in_years = sum(1 for r in rows if int(r["date"][:4]) + 1 in years)
    common_sd = math.sqrt(max(common, 0.0) / (in_years / len(years)))
    every = [a[(s, y + 1)] - a[(s, y)] for (s, y) in a
             if (s, y + 1) in a and y >= 2000 and s not in west and y + 1 not in ARTEFACT_YEARS]
    panel = {s for (s, _) in a if s not in west}
    scoped = [a[(s, int(r["date"][:4]) + 1)] - a[(s, int(r["date"][:4]))]
              for r in rows for s in scope(r)
              if s in panel and (s, int(r["date"][:4]) + 1) in a and (s, int(r["date"][:4])) in a]
    s_in, s_all = statistics.pstdev(scoped), statistics.pstdev(every)
    states = len(panel)
    entries = sum(1 for r in rows for s in scope(r) if s in panel)
    values = {
        "shock_hazard": len(rows) / months,
        "shock_common_size": common_sd,
        "shock_scope_size": math.sqrt(max(s_in**2 - s_all**2, 0)),
        "shock_scope_chance": entries / len(rows) / states,
    }
    if not show:
        return values
    print(f"{len(rows)} shocks began in {months} months ({WINDOW[0]}-{until}): "
          f"hazard {len(rows) / months:.4f} a month ({per_year:.2f} a year)")
    print(f"common: year means of {states} states outside the EU-15 vary by {statistics.variance(means):.5f}, "
          f"{statistics.mean(sampling):.5f} of it sampling; common {common:.5f} a year, "
          f"{in_years} shocks in those {len(years)} years -> sd {common_sd:.3f} a shock")
    print(f"scoped: {len(scoped)} state-shocks moved with sd {s_in:.3f} against {s_all:.3f} "
          f"for all ({len(every)} state-years) -> extra sd {math.sqrt(max(s_in**2 - s_all**2, 0)):.3f}")
    print(f"scope: {entries} state entries in {len(rows)} shocks over {states} states -> "
          f"chance {entries / len(rows) / states:.3f} a state a shock")
    return values


def into(path):
    """Writes the [[shock]] list of the scenario at `path` (replacing any), from its start month
    to its end."""
    text = Path(path).read_text()
    lines = text.split("\n")
    start = next(l.split('"')[1] for l in lines if l.startswith("start = "))
    months = int(next(l.split("=")[1].split("#")[0] for l in lines if l.startswith("months = ")))
    codes = {l.split('"')[1] for l in lines if l.startswith("code = ")}
    y, m = map(int, start.split("-"))
    first, last = y * 12 + m - 1, y * 12 + m - 1 + months
    body = text.split("\n[[shock]]\n")[0].rstrip("\n")
    block = text.split("\n[[shock]]\n")[1:]
    tail = ""
    if block:
        rest = block[-1].split("\n\n", 1)
        tail = "\n\n" + rest[1] if len(rest) > 1 else ""
    out = []
    for r in shocks():
        yy, mm = map(int, r["date"][:7].split("-"))
        if first < yy * 12 + mm - 1 <= last:
            states = [s for s in scope(r) if s in codes or any(c.startswith(s + "-") for c in codes)]
            listed = ", ".join(f'"{c}"' for s in states for c in sorted(codes)
                               if c == s or c.startswith(s + "-"))
            desc = r["description"].replace('"', "'")
            out.append(f'[[shock]]\nid = "{r["type"].replace("_", "-")}-{r["date"][:7]}"\n'
                       f'date = "{r["date"][:7]}"\nstates = [{listed}]\n'
                       f'description = "{desc} (data/europe/shocks)"\nknown = "hindsight"')
    text = body + ("\n\n" + "\n\n".join(out) if out else "") + tail + "\n"
    if "[[outcome]]" in text:
        until = y - 1
        comment = f"# regional shocks fitted on the data up to {until} only (scripts/regional_shocks.py --into)"
        text = "\n".join(scenario_text.set_params(text.split("\n"), fit(until, False), comment))
    Path(path).write_text(text)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--into":
        for p in sys.argv[2:]:
            into(p)
    else:
        fit()
