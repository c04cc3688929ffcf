#!/usr/bin/env python3
"""Elections and turnover from data/europe/elections/elections.csv (standard library only):
the coefficients of docs/MODEL.md 7.11 and each state's calendar at a scenario's start.

    python3 scripts/election_calendar.py                 # the fit, and the calendar at 2025-11
    python3 scripts/election_calendar.py 2014-01 SRB MDA  # the calendar of some states elsewhere
    python3 scripts/election_calendar.py --into scenarios/hindcast-2014.toml
        # writes each [[state]]'s `elections = {...}` line at the scenario's start

The fit (docs/CALIBRATION.md, "Elections and turnover"):
- turnover at an election: a logistic regression on the elections the incumbent party had
  already won in a row (0 to 3, capped), over every election with turnover 'yes' or 'no';
- early elections: their number per state-year of the panel's coverage;
- a geopolitical shift at a turnover: the documented shifts (column geopolitical_shift,
  'toward_west' or 'toward_moscow'; 'contested' left out) per turnover in the states outside the
  EU at the election, and their size on the model's axis (the UN readings of the sessions of the
  year before and the year after the election, scripts/panel_changes.py's axis).

The calendar of a state at a start month, from its elections that decide the head of
government where it codes them (else all): its last election up to the start, its term (the
median gap before each scheduled election, rounded to whole years; 48 months where that is not 3
to 5 years, as for Kosovo, whose elections were nearly all early), the next scheduled election
(the last plus a term; the start's next month if that is overdue), and the elections the
governing party had won in a row at the start.
"""

import csv
import math
import statistics
import sys
from pathlib import Path

import panel_changes

ROOT = Path(__file__).resolve().parent.parent
EU_JOINED = {}  # state -> year it joined the EU, from the accession milestones


def month(text):
    y, m = text[:7].split("-")
    return int(y) * 12 + int(m) - 1


def text(m):
    return f"{m // 12:04}-{m % 12 + 1:02}"


def elections():
    with open(ROOT / "data/europe/elections/elections.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f)]
    with open(ROOT / "data/europe/accession/milestones.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["organisation"] == "EU" and r["milestone"] == "joined":
                EU_JOINED[r["iso3"]] = int(r["date"][:4])
    by_state = {}
    for r in sorted(rows, key=lambda r: (r["iso3"], r["date"])):
        by_state.setdefault(r["iso3"], []).append(r)
    return by_state


def wins_before(rows):
    """Each election with the incumbent party's wins in a row before it."""
    out, wins = [], 0
    for r in rows:
        out.append((r, wins))
        if r["turnover"] == "yes":
            wins = 0
        elif r["turnover"] == "no":
            wins += 1
    return out


def logistic_fit(xs, ys):
    """Maximum likelihood of logit p = a + b x by Newton's method."""
    a = b = 0.0
    for _ in range(50):
        ga = gb = haa = hab = hbb = 0.0
        for x, y in zip(xs, ys):
            p = 1 / (1 + math.exp(-(a + b * x)))
            ga += y - p
            gb += (y - p) * x
            w = p * (1 - p)
            haa += w
            hab += w * x
            hbb += w * x * x
        det = haa * hbb - hab * hab
        a += (hbb * ga - hab * gb) / det
        b += (haa * gb - hab * ga) / det
    return a, b


def fit(by_state):
    xs, ys = [], []
    for rows in by_state.values():
        for r, wins in wins_before(rows):
            if r["turnover"] in ("yes", "no"):
                xs.append(min(wins, 3))
                ys.append(1 if r["turnover"] == "yes" else 0)
    a, b = logistic_fit(xs, ys)
    print(f"turnover: {len(ys)} elections, {sum(ys)} turnovers; logit p = {a:+.3f} {b:+.3f} x wins (0-3)")
    for w in range(4):
        n = sum(1 for x in xs if x == w)
        k = sum(y for x, y in zip(xs, ys) if x == w)
        p = 1 / (1 + math.exp(-(a + b * w)))
        print(f"  {w} wins: {k}/{n} = {k / n:.2f} observed, {p:.2f} fitted")
    years = sum(int(rows[-1]["date"][:4]) - int(rows[0]["date"][:4]) + 1 for rows in by_state.values())
    early = sum(r["scheduled_or_early"] == "early" for rows in by_state.values() for r in rows)
    print(f"early elections: {early} in {years} state-years = {early / years:.3f} a year, {early / years / 12:.4f} a month")
    reading = panel_changes.readings()
    outside, shifts, sizes = 0, 0, []
    for rows in by_state.values():
        for r in rows:
            year = int(r["date"][:4])
            if r["turnover"] != "yes" or EU_JOINED.get(r["iso3"], 9999) <= year:
                continue
            outside += 1
            if r["geopolitical_shift"] in ("toward_west", "toward_moscow"):
                shifts += 1
                before, after = (r["iso3"], year - 1), (r["iso3"], year + 1)
                if before in reading and after in reading:
                    sizes.append(abs(reading[after] - reading[before]))
    print(f"shifts: {shifts} documented in {outside} turnovers outside the EU = {shifts / outside:.3f}")
    print(f"  their size over two sessions: {', '.join(f'{s:.2f}' for s in sizes)}; mean {statistics.mean(sizes):.2f}")


def calendar_line(by_state, start, s):
    """The `elections = {...}` line of state s at month `start`, with a description; None
    without an election up to the start."""
    every = by_state.get(s, [])
    # The elections that decide the government where a state codes them (Serbia and Moldova
    # code presidential ones too).
    chosen = [r for r in every if r["office"] == "head_of_government"] or every
    rows = [r for r in chosen if month(r["date"]) <= start]
    if not rows:
        return None
    gaps = [
        month(b["date"]) - month(a["date"])
        for a, b in zip(chosen, chosen[1:])
        if b["scheduled_or_early"] == "scheduled"
    ] or [48]
    term = 12 * round(statistics.median(gaps) / 12)
    if not 36 <= term <= 60:
        term = 48
    last = month(rows[-1]["date"])
    # An election overdue at the start comes in its first month.
    nxt = max(last + term, start + 1)
    before, turnover = wins_before(rows)[-1][1], rows[-1]["turnover"]
    wins = 0 if turnover == "yes" else before + 1 if turnover == "no" else before
    line = f'elections = {{ next = "{text(nxt)}", term_months = {term}, incumbent_wins = {wins} }}'
    why = f"last {rows[-1]['date']} (turnover: {rows[-1]['turnover']})"
    return line, why


def calendar(by_state, start, states):
    for s in states:
        found = calendar_line(by_state, start, s)
        print(f"{s}: " + (f"{found[0]}   # {found[1]}" if found else f"no election up to {text(start)}"))


def into(by_state, path):
    """Writes the calendar line of each [[state]] of the scenario at `path` after its code."""
    lines = Path(path).read_text().split("\n")
    start = next(month(l.split('"')[1]) for l in lines if l.startswith("start = "))
    out, table = [], ""
    for l in lines:
        if l.startswith("elections = "):
            continue
        out.append(l)
        if l.startswith("["):
            table = l.strip()
        if table == "[[state]]" and l.startswith("code = "):
            found = calendar_line(by_state, start, l.split('"')[1])
            if found:
                out.append(f"{found[0]}   # data/europe/elections: {found[1]}")
    Path(path).write_text("\n".join(out))


def main():
    by_state = elections()
    if len(sys.argv) > 2 and sys.argv[1] == "--into":
        for path in sys.argv[2:]:
            into(by_state, path)
        return
    if len(sys.argv) > 1:
        calendar(by_state, month(sys.argv[1]), sys.argv[2:])
        return
    fit(by_state)
    balkans = "SRB MNE MKD ALB XKX HRV SVN BGR ROU GRC HUN MDA".split()
    calendar(by_state, month("2025-11"), balkans)


if __name__ == "__main__":
    main()
