#!/usr/bin/env python3
"""The accession pipelines of docs/MODEL.md 7.12, fitted on data/europe/accession/ (standard
library only).

    python3 scripts/accession_pipeline.py              # the fit over 1992-2021
    python3 scripts/accession_pipeline.py 2014-01 MKD SRB
        # each state's stage in the EU and NATO at a month, and whether its next step is blocked
    python3 scripts/accession_pipeline.py --into scenarios/hindcast-2014.toml
        # writes each [[state]]'s `eu = {...}` and `nato = {...}` lines at the scenario's start
        # (an entity such as BIH-SRP takes its parent's, BIH); a scenario scored against
        # [[outcome]]s (a hindcast) also gets, in [params], the coefficients fitted only on the
        # milestones before the year it starts, so that its scores are out of sample

Stages: EU none, applied, candidate, negotiating, signed, member; NATO none, candidate (the
Membership Action Plan, an application, or a declared membership perspective), invited,
signed, member. Entering a pipeline (applying) is a state's own choice, which the model does
not draw; the fit covers the steps after it.

The fit (docs/CALIBRATION.md, "Accession pipelines"), month by month over 1992-01 to 2021-12:
- each step's monthly hazard at alignment -1 (the EU-15's mean) and one slope, shared by both
  organisations, on the state's alignment (the UN reading of its year on the axis of scripts/panel_changes.py):
  h = h_step * exp(-slope * (a + 1)), by maximum likelihood (discrete months: a state takes at
  most one step a month, and not in the month it reached its stage), the slope profiled and its
  90 % interval from the profile; a pipeline frozen, withdrawn, rejected or left is censored
  there (Iceland 2013, Switzerland 1992, Norway 1994);
- the same hazards in the two eras 1992-2007 and 2008-2021, at the pooled slope: the EU's
  negotiations differ most (16 treaties signed in 761 months, against 1 in some 280: one-sided
  exact binomial p about 0.03), and the model's default for that step is the later era's;
- months whose next step was blocked (accession/blocks.csv) are left out of that step's
  exposure; blocks appear at one hazard per month in a stage past application and lift at
  another, both from blocks.csv (a block still in force at the window's end is censored);
- a missing EU `candidate` milestone is the date negotiations opened (the applicants of the
  1990s became candidates when talks opened); a missing NATO candidate date is the Membership
  Action Plan's launch, 1999-04, for its nine first members, else the stage is left out.
"""

import csv
import math
import sys
from pathlib import Path

import panel_changes
import scenario_text

ROOT = Path(__file__).resolve().parent.parent
WINDOW = (1992, 2021)
EU = ["applied", "candidate", "negotiating", "signed", "member"]
NATO = ["candidate", "invited", "signed", "member"]
MILESTONE = {
    "EU": {
        "applied": "applied",
        "candidate": "candidate",
        "negotiations_opened": "negotiating",
        "accession_treaty_signed": "signed",
        "joined": "member",
    },
    "NATO": {
        "MAP_joined": "candidate",
        "applied": "candidate",
        "membership_perspective_declared": "candidate",
        "invited": "invited",
        "protocol_signed": "signed",
        "joined": "member",
    },
}
MAP_1999 = "ALB BGR EST LVA LTU MKD ROU SVK SVN".split()
ENDS = {"application_withdrawn", "application_frozen", "rejected_in_referendum", "left",
        "negotiations_frozen"}


def month(text):
    y, m = text[:7].split("-")
    return int(y) * 12 + int(m) - 1


def pipelines():
    """(state, organisation) -> {stage: first month}, and the months a pipeline ended."""
    stages, ends = {}, {}
    with open(ROOT / "data/europe/accession/milestones.csv", newline="") as f:
        for r in csv.DictReader(f):
            key = (r["iso3"], r["organisation"])
            if r["milestone"] in ENDS:
                ends[key] = min(ends.get(key, 10**6), month(r["date"]))
            stage = MILESTONE[r["organisation"]].get(r["milestone"])
            if stage:
                s = stages.setdefault(key, {})
                s[stage] = min(s.get(stage, 10**6), month(r["date"]))
    for (state, org), s in stages.items():
        if org == "EU" and "candidate" not in s and "negotiating" in s:
            s["candidate"] = s["negotiating"]
            s["imputed"] = True
        if org == "NATO" and "candidate" not in s and state in MAP_1999:
            s["candidate"] = month("1999-04")
    return stages, ends


def blocks():
    """(state, organisation) -> [(start, end or None)]."""
    out = {}
    with open(ROOT / "data/europe/accession/blocks.csv", newline="") as f:
        for r in csv.DictReader(f):
            end = month(r["end"]) if r["end"] else None
            for state in r["target_iso3"].split(";"):
                out.setdefault((state, r["organisation"]), []).append((month(r["start"]), end))
    return out


def blocked(spans, m):
    return any(a <= m and (b is None or m < b) for a, b in spans)


def exposure(stages, ends, spans, alignment, years=WINDOW):
    """Per organisation: (step index, alignment, moved) for every month of `years` (first and
    last) a state stood one step short of the next stage, unblocked; and the block counts
    (arrivals, exposure, lifts, blocked months)."""
    window = (years[0] * 12, years[1] * 12 + 11)
    months = {"EU": [], "NATO": []}
    block = {"arrive": 0, "open": 0, "lift": 0, "held": 0}
    for (state, org), s in stages.items():
        order = EU if org == "EU" else NATO
        for k, stage in enumerate(order[:-1]):
            nxt = order[k + 1]
            if stage not in s or (stage == "candidate" and s.get("imputed")):
                continue
            # The month a stage is reached is not at risk of the next step (one step a month).
            start = max(s[stage] + 1, window[0])
            if s.get(nxt, 10**6) < start or ends.get((state, org), 10**6) <= start:
                continue
            moved_at = s.get(nxt, 10**6)
            moved_at = max(moved_at, start) if moved_at <= window[1] else None
            last = moved_at if moved_at is not None else min(ends.get((state, org), 10**6), window[1] + 1) - 1
            for m in range(start, last + 1):
                a = alignment.get((state, m // 12))
                if a is None:
                    continue
                if blocked(spans.get((state, org), []), m):
                    block["held"] += 1
                    continue
                months[org].append((k, a, m == moved_at))
                if stage != "applied":
                    block["open"] += 1
        for a, b in spans.get((state, org), []):
            if window[0] <= a <= window[1]:
                block["arrive"] += 1
            if b is not None and b <= window[1]:
                block["lift"] += 1
    return months, block


def fit(rows, steps, slope):
    """Each step's hazard at alignment -1 given the slope, and the log-likelihood."""
    hazards, loglik = [], 0.0
    for k in range(steps):
        mine = [(a, moved) for (j, a, moved) in rows if j == k]
        events = sum(moved for _, moved in mine)
        weight = sum(math.exp(-slope * (a + 1)) for a, _ in mine)
        h = events / weight if weight else 0.0
        hazards.append(h)
        for a, moved in mine:
            p = min(h * math.exp(-slope * (a + 1)), 1 - 1e-12)
            if p > 0:
                loglik += math.log(p) if moved else math.log1p(-p)
    return hazards, loglik


def profile(months):
    """The slope shared by both organisations, and its 90 % profile interval."""
    grid = [i / 20 for i in range(-40, 81)]
    ll = {s: fit(months["EU"], len(EU) - 1, s)[1] + fit(months["NATO"], len(NATO) - 1, s)[1]
          for s in grid}
    best = max(ll, key=ll.get)
    inside = [s for s in grid if ll[best] - ll[s] <= 1.353]  # chi-square(1) 90 % / 2
    return best, min(inside), max(inside)


def report(months, slope):
    for org, order in (("EU", EU), ("NATO", NATO)):
        rows = months[org]
        hazards, _ = fit(rows, len(order) - 1, slope)
        print(org)
        for k, h in enumerate(hazards):
            n = sum(1 for j, _, _ in rows if j == k)
            e = sum(1 for j, _, m in rows if j == k and m)
            print(f"  {order[k]:>11} -> {order[k + 1]:<11} {e:3} steps in {n:5} months: "
                  f"hazard {h:.4f}/month at a = -1 (median {math.log(2) / max(h, 1e-9) / 12:.1f} y)")


def main():
    stages, ends = pipelines()
    alignment = panel_changes.readings()
    months, block = exposure(stages, ends, blocks(), alignment)
    slope, lo, hi = profile(months)
    print(f"1992-2021: slope {slope:.2f} per alignment unit (90 % profile {lo:.2f} to {hi:.2f})")
    report(months, slope)
    print(f"blocks: {block['arrive']} began in {block['open']} unblocked months past application "
          f"({block['arrive'] / block['open']:.4f}/month); {block['lift']} lifted in "
          f"{block['held']} blocked months ({block['lift'] / block['held']:.4f}/month)")
    for era in ((1992, 2007), (2008, 2021)):
        print(f"\n{era[0]}-{era[1]}, at the same slope:")
        report(exposure(stages, ends, blocks(), alignment, era)[0], slope)


PARAMS = ("eu_candidate_hazard", "eu_negotiations_hazard", "eu_signing_hazard", "eu_entry_hazard",
          "nato_invitation_hazard", "nato_signing_hazard", "nato_entry_hazard",
          "accession_alignment_slope", "block_hazard", "block_lift_hazard")


def fitted(until):
    """The model's accession coefficients fitted on the milestones of 1992 to `until` (the EU's
    signing hazard on 2008 to `until`, as the default is), by name."""
    stages, ends = pipelines()
    alignment, spans = panel_changes.readings(), blocks()
    months, block = exposure(stages, ends, spans, alignment, (1992, until))
    slope, _, _ = profile(months)
    eu, _ = fit(months["EU"], len(EU) - 1, slope)
    nato, _ = fit(months["NATO"], len(NATO) - 1, slope)
    later_months = exposure(stages, ends, spans, alignment, (2008, until))[0]
    later, _ = fit(later_months["EU"], len(EU) - 1, slope)
    assert later[2] > 0, f"no EU treaty signed in 2008-{until}: nothing to fit"
    values = eu[:2] + [later[2], eu[3]] + nato + [slope, block["arrive"] / block["open"],
                                                 block["lift"] / block["held"]]
    return dict(zip(PARAMS, values))


def stage_at(stages, ends, spans, state, org, m):
    """(stage, year reached or None, blocked) of a state in an organisation at month m."""
    order = EU if org == "EU" else NATO
    s = stages.get((state, org), {})
    done = [st for st in order if s.get(st, 10**6) <= m]
    if not done or ends.get((state, org), 10**6) <= m:
        return "none", None, False
    stage = done[-1]
    held = stage not in ("applied", "member") and blocked(spans.get((state, org), []), m)
    return stage, s[stage] // 12, held


def at(when, states):
    stages, ends = pipelines()
    spans = blocks()
    for state in states:
        line = [state]
        for org in ("EU", "NATO"):
            stage, since, held = stage_at(stages, ends, spans, state, org, month(when))
            line.append(f"{org} {stage}" + (f" since {since}" if since else "")
                        + (" (blocked)" if held else ""))
        print("  ".join(line))


def into(path):
    """Writes the `eu` and `nato` lines of each [[state]] of the scenario at `path` after its
    code, as at the scenario's start month."""
    stages, ends = pipelines()
    spans = blocks()
    lines = Path(path).read_text().split("\n")
    start = next(month(l.split('"')[1]) for l in lines if l.startswith("start = "))
    out, table = [], ""
    for l in lines:
        if l.startswith(("eu = ", "nato = ")) and table == "[[state]]":
            continue
        out.append(l)
        if l.startswith("["):
            table = l.strip()
        if table == "[[state]]" and l.startswith("code = "):
            state = l.split('"')[1].split("-")[0]
            for org in ("EU", "NATO"):
                stage, since, held = stage_at(stages, ends, spans, state, org, start)
                fields = [f'status = "{stage}"'] + ([f"since = {since}"] if since else [])
                fields += ["blocked = true"] if held else []
                out.append(f"{org.lower()} = {{ {', '.join(fields)} }}"
                           f"   # data/europe/accession (scripts/accession_pipeline.py)")
    if "[[outcome]]" in out:
        until = start // 12 - 1
        comment = f"# accession fitted on the milestones up to {until} only (scripts/accession_pipeline.py --into)"
        out = scenario_text.set_params(out, fitted(until), comment)
    Path(path).write_text("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--into":
        for path in sys.argv[2:]:
            into(path)
    elif len(sys.argv) > 1:
        at(sys.argv[1], sys.argv[2:])
    else:
        main()
