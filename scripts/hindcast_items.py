#!/usr/bin/env python3
"""The validation items of a hindcast origin, as [[outcome]] tables, from the tables in
data/balkans/validation/ (README.md there: sources, quality flags, mapping notes).

    python3 scripts/hindcast_items.py 2017 > items.toml

Prints UN votes per state (at_most), change events (shift) and continuous targets (value_at:
ISAC CFSP alignment, EU-membership polls) whose month falls inside ORIGIN..2024-12. The
observation model is docs/VALIDATION.md's; every constant here is a modelling choice said there.
Rows flagged [C] are left out. The scenarios carry the result; spheres never runs this."""

import csv
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "balkans" / "validation"
END = "2024-12"
# Outcomes whose `by` falls in 2020 or later are held out of calibration.
HELD_OUT_FROM = "2020-01"
# The model's UN members (BiH votes as one state, the model has its entities; Kosovo is none).
UN_MEMBERS = ["SRB", "MNE", "MKD", "ALB", "HRV", "SVN", "BGR", "ROU", "GRC", "HUN", "MDA"]
# Resolutions scored, by the start of their `resolution` cell: one per pattern of voting
# (ES-11/3 lists only seven states, ES-11/4's per-state rows are [C], ES-11/6 repeats ES-11/1,
# ES-11/7 is after the horizon).
RESOLUTIONS = [
    ("A/RES/68/262", "unga-68-262"),
    ("UNGA resolution on human rights in Crimea", "unga-crimea-2017"),
    ("UNGA resolution on militarization of Crimea", "unga-crimea-2020"),
    ("A/RES/ES-11/1 ", "unga-es-11-1"),
    ("A/RES/ES-11/5 ", "unga-es-11-5"),
]
UNGA_BASE_RATE = 0.9
SHIFT = 0.05
SHIFT_BASE_RATE = 0.4
# A neutral event is scored as no move of this size either way.
NEUTRAL_SHIFT = 0.1
NEUTRAL_BASE_RATE = 0.2
# Change events scored, by date and country; the others are either a state the model does not
# have (BIH), contested in their direction (BGR 2022-06-22), the same move as another row (SRB
# 2022-11-14, scored as a UN vote), or after the horizon.
CHANGES = [
    ("2016-11-13", "MDA"), ("2017-12", "SRB"), ("2019-11-17", "SRB"), ("2020-08-30", "MNE"),
    ("2020-11-15", "MDA"), ("2020-12-07", "SRB"), ("2021-07-11", "MDA"),
    ("2021-12-10", "BIH-SRP"), ("2022-06-28", "BGR"), ("2022-10", "SRB"), ("2023-08", "MDA"),
    ("2024-11-03", "MDA"),
]
ERROR_CFSP = 0.1
ERROR_POLL = 0.1
# Polls scored: (id, country, year, month, question with the West's share, question with the
# other share or None when it is in the note, sign): value = sign x (other - west) / 100.
POLLS = [
    ("srb-mei", "SRB", y, m, "Referendum 'Do you support", "Same referendum question - share no")
    for y, m in [(2013, 12), (2016, 12), (2017, 6), (2017, 12), (2018, 7), (2018, 12)]
] + [
    ("srb-iri", "SRB", 2024, 3, "Would vote for EU membership", "Would vote against EU membership"),
    ("srb-eb", "SRB", 2018, 11, "EU membership would be a good thing", None),
    ("srb-eb", "SRB", 2023, 6, "EU membership would be a good thing", None),
    ("mda-ipp-choice", "MDA", 2016, 10, "would vote EU", "would vote EAEU"),
    ("mda-ipp-choice", "MDA", 2017, 11, "would vote EU", "would vote EAEU"),
    ("mda-ipp-referendum", "MDA", 2017, 11, "Referendum on EU accession: for", None),
    ("mda-imas-referendum", "MDA", 2023, 12, "Referendum on EU accession: for", None),
]
GAPS = [("mda-ipp-choice", "MDA", 2015, 11), ("mda-ipp-choice", "MDA", 2016, 4)]


def month(y, m):
    return f"{int(y):04d}-{int(m):02d}"


def plus(ym, k):
    t = int(ym[:4]) * 12 + int(ym[5:7]) - 1 + k
    return month(t // 12, t % 12 + 1)


def rows(name):
    with open(DATA / name, newline="") as f:
        return list(csv.DictReader(f))


def toml(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"' + v.replace('"', '\\"') + '"'
    return repr(round(v, 6))


KEYS = ["id", "description", "test", "state", "from", "toward", "reading", "value", "error",
        "by", "observed", "base_rate"]


def main(origin):
    start = month(origin, 1)
    items = []

    def item(**kw):
        if not start <= kw["by"] <= END:
            return
        lines = ["[[outcome]]"] + [f"{k} = {toml(kw[k])}" for k in KEYS if k in kw]
        if kw["by"] >= HELD_OUT_FROM:
            lines.append("held_out = true")
        items.append("\n".join(lines))

    votes = rows("unga_votes.csv")
    for prefix, code in RESOLUTIONS:
        for state in UN_MEMBERS:
            row = [r for r in votes if r["resolution"].startswith(prefix) and r["country"] == state]
            if not row or row[0]["quality"] == "C":
                continue
            r = row[0]
            item(id=f"{code}-{state.lower()}",
                 description=f"{state} votes {r['vote']} on {r['resolution']} ({r['date']}); "
                             "a yes (with the West) is read as alignment at most 0 that month.",
                 test="at_most", state=state, value=0.0, by=r["date"][:7],
                 observed=r["vote"] == "yes", base_rate=UNGA_BASE_RATE)

    for r in rows("change_events.csv"):
        if (r["date"], r["country"]) not in CHANGES:
            continue
        date = r["date"][:7]
        frm, by = max(plus(date, -12), start), min(plus(date, 12), END)
        if date < start:
            continue
        what = r["event"].split(";")[0]
        if r["direction"] == "neutral":
            for pole in ["west", "moscow"]:
                item(id=f"shift-{r['country'].lower()}-{date}-not-{pole}",
                     description=f"{what} ({r['date']}, neutral): no move of {NEUTRAL_SHIFT} "
                                 f"toward {pole} from {frm} to {by}.",
                     test="shift", state=r["country"], **{"from": frm}, toward=pole,
                     value=NEUTRAL_SHIFT, by=by, observed=False, base_rate=NEUTRAL_BASE_RATE)
        else:
            item(id=f"shift-{r['country'].lower()}-{date}-{r['direction']}",
                 description=f"{what} ({r['date']}): alignment moves toward {r['direction']} by "
                             f"at least {SHIFT} from {frm} to {by}.",
                 test="shift", state=r["country"], **{"from": frm}, toward=r["direction"],
                 value=SHIFT, by=by, observed=True, base_rate=SHIFT_BASE_RATE)

    # CFSP alignment, the ISAC series only: g = 1 - 2 pct / 100, read in July of a calendar
    # year and in April of a first half. The reference is the state's last value published
    # before the origin (a year's figure appears early the next year), else 0.
    # BiH is one row here; the model has its entities, so it is left out.
    isac = [r for r in rows("cfsp_alignment.csv") if r["series"] == "ISAC" and r["country"] != "BIH"]
    years = {(r["country"], r["year"]) for r in isac if r["period"] == "calendar year"}
    for r in isac:
        whole = r["period"] == "calendar year"
        if not whole and (r["country"], r["year"]) in years:
            continue  # the calendar year is scored; its first half would count it twice
        by = month(r["year"], 7 if whole else 4)
        known = [(k["year"], k["alignment_pct"]) for k in isac
                 if k["country"] == r["country"] and k["period"] == "calendar year"
                 and int(k["year"]) + 1 < origin]
        base = 1 - 2 * float(sorted(known)[-1][1]) / 100 if known else 0.0
        pct = float(r["alignment_pct"])
        item(id=f"cfsp-isac-{r['country'].lower()}-{r['year']}{'' if whole else '-h1'}",
             description=f"ISAC: {r['country']} aligned with {r['alignment_pct']} % of the EU's "
                         f"CFSP declarations ({r['period']} {r['year']}); 1 - 2 x {r['alignment_pct']}/100.",
             test="value_at", state=r["country"], reading="alignment", value=1 - 2 * pct / 100,
             error=ERROR_CFSP, by=by, base_rate=base)

    # Polls of EU membership: (other - West) / 100, the other share from its own row or from
    # the note ("22% bad thing", "28.5% against"). The reference is the last value of the same
    # series from fieldwork at least a month before the origin, else 0.
    polls = rows("polls.csv")
    observed = []
    for sid, state, y, m, west_q, other_q in POLLS:
        same = [r for r in polls if r["country"] == state and r["year"] == str(y)
                and r["month"] == str(m)]
        west = next(r for r in same if west_q in r["question"])
        if other_q:
            other = float(next(r for r in same if other_q in r["question"])["value_pct"])
        else:
            other = float(re.search(r"([\d.]+)% (?:against|bad thing|no)", west["note"]).group(1))
        observed.append((sid, state, month(y, m), float(west["value_pct"]), other,
                         west["survey"].split("(")[0].strip()))
    for sid, state, y, m in GAPS:
        r = next(r for r in polls if r["country"] == state and r["year"] == str(y)
                 and r["month"] == str(m) and "minus" in r["question"])
        observed.append((sid, state, month(y, m), 0.0, float(r["value_pct"]), r["survey"]))
    observed.sort(key=lambda p: (p[1], p[0], p[2]))
    for sid, state, d, west, other, survey in observed:
        known = [(k[2], (k[4] - k[3]) / 100) for k in observed
                 if k[0] == sid and plus(k[2], 1) <= start]
        shares = (f"{west:g} % for the EU, {other:g} % against" if west
                  else f"the Eurasian Union ahead by {other:g} points")
        item(id=f"poll-{sid}-{d}", description=f"{survey} ({d}): {shares}; ({other:g} - {west:g})/100.",
             test="value_at", state=state, reading="public_opinion", value=(other - west) / 100,
             error=ERROR_POLL, by=d, base_rate=sorted(known)[-1][1] if known else 0.0)
    print("\n\n".join(items))


if __name__ == "__main__":
    main(int(sys.argv[1]))
