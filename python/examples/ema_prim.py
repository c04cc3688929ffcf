"""EMA Workbench drives spheres in-process: 200 Latin-hypercube experiments over two key paths
of nobody-steps-in (what the EU spends on accession from November 2025, and how much
accession credibility pulls), then PRIM on one outcome (where does the region end up leaning
furthest West?). Run it in the package's environment (bash python/build.sh makes one):

    target/python-venv/bin/python python/examples/ema_prim.py
"""

from ema_workbench import perform_experiments
from ema_workbench.analysis import prim
from ema_workbench.em_framework.samplers import LHSSampler  # noqa: F401 (LHS is the default)

import spheres.ema

model = spheres.ema.model(
    "nobody-steps-in",
    uncertainties={"policy.eu.budget.accession": (0, 3000), "lever.accession.pull": (0.05, 0.3)},
    outcomes=["region.mean_alignment", "SRB.alignment"],
    runs=20,
)
experiments, outcomes = perform_experiments(model, scenarios=200)
y = outcomes["region__mean_alignment"]
threshold = sorted(y)[len(y) // 5]  # the fifth of experiments furthest West
x = experiments[[u.name for u in model.uncertainties]]
box = prim.Prim(x, y <= threshold, threshold=0.6).find_box()
print(box.inspect(style="table"))
