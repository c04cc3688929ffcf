//! Comparisons that say what differs, and what-ifs in one flag: compare lists each variant's
//! changes and warns when a variant named for one power changes another's; `--set-variant`
//! changes the variants only, or makes one from the baseline; `xK` values are relative; a
//! policy named by a power's code, or a power's status quo, is explained.

use crate::common::{TempDir, assert_refused, spheres, stderr};
use std::path::{Path, PathBuf};

/// `spheres compare ARGS --runs 10 --out DIR --no-charts` on the aggregate public; its stderr.
fn compare(out: &Path, args: &[&str]) -> String {
    let mut all = vec!["compare"];
    all.extend_from_slice(args);
    all.extend([
        "--set",
        "population.people_per_agent=0",
        "--runs",
        "10",
        "--out",
        out.to_str().unwrap(),
        "--no-charts",
    ]);
    let o = spheres(&all);
    assert!(o.status.success(), "{all:?}: {}", stderr(&o));
    stderr(&o)
}

/// A variant file in `tmp` extending the bundled `base` with `body`.
fn variant(tmp: &TempDir, name: &str, base: &str, body: &str) -> PathBuf {
    let path = tmp.join(&format!("{name}.toml"));
    let text = format!("extends = \"{base}.toml\"\n[scenario]\nname = \"{name}\"\n{body}");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn compare_lists_what_differs_and_warns_when_a_powers_variant_changes_another() {
    let tmp = TempDir::new("what-differs");
    // The US's return on top of balkans, where the EU is at its baseline, not passive.
    let old = variant(
        &tmp,
        "us-back",
        "balkans",
        "[[policy]]\nid = \"us\"\npower = \"US\"\nfrom = \"2025-11\"\nbudget = { security = 600 }\n",
    );
    let told = compare(
        &tmp.join("old"),
        &["nobody-steps-in", old.to_str().unwrap()],
    );
    assert!(
        told.contains("us-back against nobody-steps-in changes"),
        "{told}"
    );
    assert!(
        told.contains("policy.us.budget.security: 0 → 600"),
        "{told}"
    );
    assert!(
        told.contains("policy.eu: "),
        "the EU's passive policy is gone: {told}"
    );
    assert!(
        told.contains("us-back names US but also changes what EU and RUS do"),
        "{told}"
    );
    // The bundled variants answer their own questions against nobody-steps-in.
    let told = compare(
        &tmp.join("new"),
        &["nobody-steps-in", "eu-steps-in", "us-returns"],
    );
    assert!(!told.contains("names US but"), "{told}");
    assert!(
        told.contains("us-returns against nobody-steps-in changes 4 keys"),
        "{told}"
    );
    let manifest = std::fs::read_to_string(tmp.join("new/manifest.json")).unwrap();
    assert!(
        manifest.contains("\"policy.eu.budget.accession: 0 → 1500\""),
        "{manifest}"
    );
}

#[test]
fn set_variant_changes_the_variant_only_and_makes_a_what_if_from_the_baseline() {
    let tmp = TempDir::new("what-if");
    let out = tmp.join("o");
    let args = [
        "balkans-aggregate",
        "--set-variant",
        "params.neighbour_pull=x2",
    ];
    // A number the baseline draws cannot be fixed in the variant alone.
    let o = spheres(&[&["compare"], &args[..]].concat());
    assert_refused(&o, "is drawn from a prior in every plausible world");
    assert!(stderr(&o).contains("--set-variant params.neighbour_pull=x2"));
    let told = compare(&out, &[&args[..], &["--fixed"]].concat());
    assert!(told.contains("params.neighbour_pull: 0.15 → 0.3"), "{told}");
    let resolved =
        |arm: &str| std::fs::read_to_string(out.join(arm).join("scenario.resolved.toml")).unwrap();
    assert!(resolved("balkans-aggregate").contains("neighbour_pull = 0.15\n"));
    assert!(resolved("balkans-aggregate-what-if").contains("neighbour_pull = 0.3\n"));
    // With named variants, --set-variant wins over --set in them and leaves the baseline be.
    let out = tmp.join("p");
    compare(
        &out,
        &[
            "nobody-steps-in",
            "eu-steps-in",
            "--set",
            "params.kin_weight=3",
            "--set-variant",
            "params.kin_weight=x2",
        ],
    );
    let kin = |arm: &str| {
        std::fs::read_to_string(out.join(arm).join("scenario.resolved.toml"))
            .unwrap()
            .contains("kin_weight = 6.0\n")
    };
    assert!(!kin("nobody-steps-in") && kin("eu-steps-in"));
    // A number --set fixes is drawn in no scenario of the comparison.
    let told = compare(
        &tmp.join("q"),
        &[
            "nobody-steps-in",
            "eu-steps-in",
            "--set",
            "params.inertia=2.5",
        ],
    );
    assert!(!told.contains("different [[uncertain]] priors"), "{told}");
}

#[test]
fn what_if_keys_that_cannot_work_are_explained() {
    let tmp = TempDir::new("what-if-errors");
    let run_on = |scenario: &str, set: &str| {
        spheres(&[
            "run",
            scenario,
            "--runs",
            "10",
            "--set",
            set,
            "--out",
            tmp.join("x").to_str().unwrap(),
            "--no-charts",
        ])
    };
    let run = |set: &str| run_on("nobody-steps-in", set);
    // A scenario with policies but none for Russia (nobody-steps-in writes its status quo as one).
    let eu_only = variant(
        &tmp,
        "eu-only",
        "balkans",
        "[[policy]]\nid = \"eu\"\npower = \"EU\"\nfrom = \"2025-11\"\nbudget = { aid = 900 }\n",
    );
    let o = run_on(
        eu_only.to_str().unwrap(),
        "policy.rus.budget.information=60",
    );
    assert_refused(&o, "add a [[policy]] with power = \"RUS\"");
    assert!(!stderr(&o).contains("did you mean"), "{}", stderr(&o));
    assert_refused(
        &run("policy.EU.budget.aid=60"),
        "EU's here is eu (policy.eu.…)",
    );
    let o = run("power.rus.budget.aid=1");
    assert_refused(&o, "did you mean `RUS`?");
    assert!(!stderr(&o).contains("`US`"), "{}", stderr(&o));
    assert_refused(&run("power.UK.budget.aid=1"), "the powers are RUS, EU, US");
    assert_refused(&run("params.bogus=x2"), "a relative value needs a number");
    assert_refused(&spheres(&["compare", "balkans"]), "<VARIANTS>");
    // A status-quo budget is run, and told for what it is.
    let o = spheres(&[
        "run",
        "balkans-aggregate",
        "--runs",
        "10",
        "--set",
        "power.RUS.budget.information=60",
        "--out",
        tmp.join("sq").to_str().unwrap(),
        "--no-charts",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("changes RUS's status quo"),
        "{}",
        stderr(&o)
    );
}
