#!/usr/bin/env python3
"""Recomputes the initial public opinion and alignment of scenarios/balkans.toml from
data/balkans/ and the documented choices of docs/CALIBRATION.md (section "Initial state").

    python3 scripts/balkans_initial.py

Prints one line per state: the inputs and the two values the scenario carries.
"""
import csv, os

HERE = os.path.dirname(os.path.abspath(__file__))
rows = {r["code"]: r for r in csv.DictReader(open(os.path.join(HERE, "..", "data", "balkans", "states.csv")))}
arms = {r["code"]: r for r in csv.DictReader(open(os.path.join(HERE, "..", "data", "balkans", "sipri_arms_imports.csv")))}

# [C] imputations where states.csv has no figure (docs/CALIBRATION.md explains each).
FAVOURABLE_IMPUTED = {"ALB": 0.10, "XKX": 0.05, "HRV": 0.15, "SVN": 0.20, "MDA": 0.30, "BIH-SRP": 0.75}
EU_SUPPORT_IMPUTED = {"GRC": 0.74, "ROU": 0.74, "SVN": 0.74}
GAS_IMPUTED = {"MKD": 1.0}
# Russian-owned energy assets, an index in [0, 1] from sources.md section 1 [C].
ASSETS = {"SRB": 0.5, "BIH-SRP": 0.3, "HUN": 0.5, "BGR": 0.1, "GRC": 0.1}
SANCTIONS_REFUSED = {"SRB", "BIH-SRP"}
UN_DISSENT = {"HUN", "SRB"}  # voted against or abstained on the 2025/2026 Ukraine texts
ENTITY_PARENT = {"BIH-SRP": "BIH", "BIH-FED": "BIH"}

def share(x):
    return float(x) / 100.0

def favourable(code):
    if code in FAVOURABLE_IMPUTED:
        return FAVOURABLE_IMPUTED[code]
    if code == "BIH-FED":  # what is left of BiH's 37 % once RS is at its imputed level
        rs, fed = float(rows["BIH-SRP"]["population"]), float(rows["BIH-FED"]["population"])
        return (0.37 * (rs + fed) - FAVOURABLE_IMPUTED["BIH-SRP"] * rs) / fed
    return share(rows[code]["russia_favourable"])

def eu_support(code):
    if code in EU_SUPPORT_IMPUTED:
        return EU_SUPPORT_IMPUTED[code]
    if code == "BIH-FED":  # what is left of BiH's 66 % once RS is at its sourced 29.6 %
        rs, fed = float(rows["BIH-SRP"]["population"]), float(rows["BIH-FED"]["population"])
        return (0.66 * (rs + fed) - 0.296 * rs) / fed
    return share(rows[code]["eu_support"])

def gas(code):
    v = rows[code]["gas_share_russia_latest"]
    return GAS_IMPUTED[code] if v == "" else share(v)

def arms_share(code):
    v = arms.get(ENTITY_PARENT.get(code, code), {}).get("share_russia_2014_2023", "")
    return 0.0 if v == "" else share(v)

for code in ["SRB", "BIH-SRP", "BIH-FED", "MNE", "MKD", "ALB", "XKX", "HRV", "SVN", "BGR", "ROU", "GRC", "HUN", "MDA"]:
    r = rows[code]
    nato_member = r["nato_status"].startswith("member")
    eu_member = r["eu_status"].startswith("member")
    eu_candidate = r["eu_status"].startswith("candidate")
    p0 = favourable(code) - eu_support(code)
    inst = (-0.4 * nato_member - 0.3 * eu_member - 0.1 * eu_candidate
            + (0.2 if code in SANCTIONS_REFUSED else -0.2)
            + 0.2 * (code in UN_DISSENT) + 0.2 * gas(code) + 0.2 * arms_share(code) + 0.1 * ASSETS.get(code, 0.0))
    a0 = max(-1.0, min(1.0, (p0 + inst) / 2))
    print(f"{code:8} favourable {favourable(code):.3f} eu {eu_support(code):.3f} gas {gas(code):.3f} "
          f"arms {arms_share(code):.3f} inst {inst:+.3f} -> public_opinion {p0:+.3f} alignment {a0:+.3f}")
