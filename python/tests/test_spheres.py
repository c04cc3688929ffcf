"""The Python package against the library: results, determinism, key-path editing, errors."""

import threading
from pathlib import Path

import pandas as pd
import pytest

import spheres

ROOT = Path(__file__).resolve().parents[2]


def test_run_gives_dataframes_of_the_folder(tmp_path):
    r = spheres.run("tutorial", runs=40, seed=1, out=tmp_path / "r")
    assert r.dir == tmp_path / "r"
    assert list(r.summary.columns[:5]) == ["date", "state", "indicator", "mean", "sd"]
    assert len(r.outcomes) == 40
    assert list(r.outcomes["run"]) == list(range(40))
    assert {"run", "date", "state", "event"} <= set(r.events.columns)
    # The horizon row of Swingland's alignment is the mean of the runs' outcomes.
    last = r.summary[(r.summary["state"] == "SWG") & (r.summary["indicator"] == "alignment")].iloc[-1]
    assert last["mean"] == pytest.approx(r.outcomes["SWG_alignment"].mean(), abs=1e-5)


def test_the_same_seed_gives_the_same_results_on_any_threads(tmp_path):
    a = spheres.run("tutorial", runs=30, seed=7, threads=1, out=tmp_path / "a")
    b = spheres.run("tutorial", runs=30, seed=7, threads=2, out=tmp_path / "b")
    c = spheres.run("tutorial", runs=30, seed=8, threads=2, out=tmp_path / "c")
    pd.testing.assert_frame_equal(a.outcomes, b.outcomes)
    assert not a.outcomes.equals(c.outcomes)


def test_set_edits_a_scenario_by_key_path(tmp_path):
    base = spheres.load("tutorial")
    stiff = base.set("params.inertia", 50.0)
    assert stiff.settings == (("params.inertia", 50.0),)
    assert "inertia = 50.0" in stiff.to_toml()
    a = base.run(runs=20, seed=1, out=tmp_path / "a").outcomes
    b = stiff.run(runs=20, seed=1, out=tmp_path / "b").outcomes
    assert not a["SWG_alignment"].equals(b["SWG_alignment"])


def test_errors_are_exceptions_with_located_messages(tmp_path):
    with pytest.raises(spheres.InputError, match="inertiaa") as e:
        spheres.load("tutorial").set("params.inertiaa", 2.0)
    assert "inertia" in str(e.value)
    assert isinstance(e.value, ValueError)
    with pytest.raises(spheres.InputError, match="params.inertia"):
        spheres.load("tutorial").set("params.inertia", -1.0)
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "bad"\nstart = "2026-01"\nmonths = "x"\n')
    with pytest.raises(spheres.InputError, match=r"bad.toml:4:\d+"):
        spheres.load(str(bad))
    with pytest.raises(spheres.InputError, match="no-such-scenario"):
        spheres.run("no-such-scenario", runs=1, out=tmp_path / "x")


def test_compare_pairs_the_scenarios(tmp_path):
    c = spheres.compare("nobody-steps-in", "eu-steps-in", runs=20, seed=1, out=tmp_path / "c")
    table = c.comparison
    assert set(table["scenario"]) == {"nobody-steps-in", "eu-steps-in"}
    assert {"diff", "diff_low", "diff_high"} <= set(table.columns)


def test_a_what_if_changes_the_variant_only(tmp_path):
    base = spheres.load("nobody-steps-in").set("population.people_per_agent", 0)
    c = spheres.compare(
        base, runs=10, seed=1, out=tmp_path / "w",
        set_variant=[("policy.eu.budget.accession", "x2")],
    )
    assert set(c.comparison["scenario"]) == {"nobody-steps-in", "nobody-steps-in-what-if"}
    with pytest.raises(spheres.InputError, match="drawn from a prior"):
        spheres.compare("balkans-aggregate", runs=10, out=tmp_path / "x",
                        set_variant=[("params.neighbour_pull", "x2")])


def test_sweep_with_runs_and_series(tmp_path):
    file = tmp_path / "lhs.toml"
    file.write_text(
        f'scenario = "{ROOT / "scenarios" / "balkans-aggregate.toml"}"\n'
        '[sweep]\ndesign = "lhs"\npoints = 4\nruns = 3\nseed = 2\n'
        'outputs = ["region.mean_alignment"]\n'
        '[[parameter]]\npath = "params.inertia"\nmin = 1\nmax = 4\n'
    )
    s = spheres.sweep(str(file), out=tmp_path / "s", per_run=True, series=True)
    assert len(s.points) == len(s.results) == 4
    assert len(s.runs) == 4 * 3
    assert len(s.series) == 4 * (len(s.series) // 4)
    means = s.runs.groupby("point")["region.mean_alignment"].mean()
    assert means.to_numpy() == pytest.approx(s.results["region.mean_alignment_mean"].to_numpy(), abs=1e-5)


def test_validate_describes_and_bundled_lists():
    assert "horizon" in spheres.validate("tutorial")
    assert "balkans" in spheres.bundled()


def test_other_threads_run_while_it_simulates(tmp_path):
    # The GIL is released while simulating: a Python loop started with the run (bytecode that
    # yields the GIL only when asked) finishes while the run goes on. Were the GIL held, the
    # loop would stop as the run entered the library and finish only after it.
    go, done = threading.Event(), threading.Event()

    def loop():
        go.wait()
        n = 0
        for _ in range(2_000_000):
            n += 1
        done.set()

    t = threading.Thread(target=loop)
    t.start()
    go.set()
    spheres.run("balkans", runs=100, seed=1, out=tmp_path / "b", per_run=False)
    finished_during_run = done.is_set()
    t.join()
    assert finished_during_run


def test_the_ema_adapter_runs_experiments():
    ema = pytest.importorskip("ema_workbench")
    import spheres.ema

    model = spheres.ema.model(
        "balkans-aggregate",
        uncertainties={"params.inertia": (1.0, 5.0)},
        outcomes=["region.mean_alignment", "SRB.alignment"],
        runs=5,
    )
    experiments, outcomes = ema.perform_experiments(model, scenarios=3)
    assert len(experiments) == 3
    assert set(outcomes) == {"region__mean_alignment", "SRB__alignment"}
    assert all(-1 <= v <= 1 for v in outcomes["SRB__alignment"])


def test_the_parameters_source_is_chosen_as_on_the_command_line(tmp_path):
    import json

    def source(folder):
        manifest = json.loads((Path(folder) / "manifest.json").read_text())
        return manifest["parameters"]["source"], manifest["parameters"]["draws"]

    fixed = spheres.run("balkans-aggregate", runs=20, seed=3, out=tmp_path / "f", fixed=True)
    assert source(fixed.dir) == ("fixed", 20)
    drawn = spheres.run("balkans-aggregate", runs=20, seed=3, out=tmp_path / "d", draws=4,
                        runs_per_draw=5)
    assert source(drawn.dir) == ("prior", 4)
    c = spheres.compare("nobody-steps-in", "eu-steps-in", runs=20, seed=3, out=tmp_path / "c",
                        draws=2, runs_per_draw=10)
    assert source(c.dir) == ("prior", 2)
    with pytest.raises((spheres.InputError, OSError), match="missing.csv"):
        spheres.run("balkans-aggregate", runs=20, posterior=tmp_path / "missing.csv")


def test_a_temporary_folder_goes_with_its_result():
    import gc

    r = spheres.run("tutorial", runs=5, seed=1)
    folder = r.dir
    assert (folder / "summary.csv").exists()
    del r
    gc.collect()
    assert not folder.exists()
