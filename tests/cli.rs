//! The command line end to end: bad input, determinism across threads, output safety,
//! reproducibility from the output folder, bundled scenarios.

mod common;

use common::{TempDir, assert_refused, read, spheres, spheres_in, stderr};
use std::path::Path;

const OUTPUTS: [&str; 4] = [
    "summary.csv",
    "outcomes.csv",
    "events.csv",
    "scenario.resolved.toml",
];

#[test]
fn every_bad_scenario_is_refused_with_its_message_and_writes_nothing() {
    let mut files: Vec<_> = std::fs::read_dir("tests/bad-scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 40, "the corpus has {} files", files.len());
    for file in files {
        let bytes = read(&file);
        let first =
            String::from_utf8_lossy(&bytes[..bytes.iter().position(|&b| b == b'\n').unwrap()])
                .into_owned();
        let expect = first
            .strip_prefix("# expect: ")
            .unwrap_or_else(|| panic!("{}: no `# expect:` line", file.display()));
        let path = file.to_str().unwrap();
        let out = spheres(&["validate", path]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{path}: exit code; stderr: {}",
            stderr(&out)
        );
        let msg = stderr(&out);
        assert!(
            msg.contains(expect),
            "{path}: expected «{expect}» in:\n{msg}"
        );
        assert!(
            msg.contains(".toml"),
            "{path}: the message names no file:\n{msg}"
        );
        assert!(!msg.contains("panicked"), "{path}: panicked:\n{msg}");

        let tmp = TempDir::new("bad");
        let dest = tmp.join("out");
        let out = spheres(&["run", path, "--out", dest.to_str().unwrap(), "--quiet"]);
        assert_eq!(out.status.code(), Some(2), "{path}: run exit code");
        assert!(stderr(&out).contains(expect), "{path}: run message");
        assert!(!dest.exists(), "{path}: an output folder was created");
    }
}

#[test]
fn errors_point_at_line_and_column() {
    let out = spheres(&["validate", "tests/bad-scenarios/share-above-one.toml"]);
    // The value sits on line 14 (after the `# expect` line), column 20.
    assert!(
        stderr(&out).contains(
            "tests/bad-scenarios/share-above-one.toml:14:20: state[AAA].gas_share_russia"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_folder_given_as_scenario_is_refused() {
    let tmp = TempDir::new("dir");
    std::fs::create_dir(tmp.join("x.toml")).unwrap();
    let out = spheres(&["validate", tmp.join("x.toml").to_str().unwrap()]);
    assert_refused(&out, "is a folder; expected a scenario file");
}

#[test]
fn an_unknown_scenario_name_lists_the_bundled_ones() {
    let out = spheres(&["run", "balkan", "--quiet"]);
    assert_refused(
        &out,
        "no bundled scenario of that name (bundled: balkans, nobody-steps-in, eu-steps-in, us-returns, energy-shock, balkans-aggregate, hindcast-2014, hindcast-2017, hindcast-2020, calibrate-2014, tutorial)",
    );
}

fn run_to(dir: &Path, args: &[&str]) {
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", dir.to_str().unwrap(), "--quiet"]);
    let out = spheres(&all);
    assert!(
        out.status.success(),
        "spheres {all:?} failed: {}",
        stderr(&out)
    );
}

#[test]
fn outputs_are_byte_identical_for_any_thread_count() {
    let tmp = TempDir::new("threads");
    for threads in ["1", "2", "3"] {
        run_to(
            &tmp.join(threads),
            &["balkans", "--runs", "300", "--threads", threads],
        );
    }
    for file in OUTPUTS {
        let one = read(&tmp.join("1").join(file));
        assert!(!one.is_empty());
        for threads in ["2", "3"] {
            assert!(
                one == read(&tmp.join(threads).join(file)),
                "{file} differs between 1 and {threads} threads"
            );
        }
    }
}

#[test]
fn the_output_folder_holds_everything_to_reproduce_it() {
    let tmp = TempDir::new("repro");
    run_to(
        &tmp.join("a"),
        &["tutorial", "--runs", "100", "--seed", "99"],
    );
    let resolved = tmp.join("a").join("scenario.resolved.toml");
    run_to(
        &tmp.join("b"),
        &[resolved.to_str().unwrap(), "--runs", "100", "--seed", "99"],
    );
    for file in OUTPUTS {
        assert!(
            read(&tmp.join("a").join(file)) == read(&tmp.join("b").join(file)),
            "{file} differs"
        );
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&read(&tmp.join("a").join("manifest.json"))).unwrap();
    assert_eq!(manifest["runs"], 100);
    assert_eq!(manifest["seed"], 99);
    assert_eq!(manifest["complete"], true);
    assert_eq!(manifest["scenario_sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn a_non_empty_output_folder_needs_force() {
    let tmp = TempDir::new("force");
    let dest = tmp.join("out");
    run_to(&dest, &["tutorial", "--runs", "10"]);
    let before = read(&dest.join("summary.csv"));
    let out = spheres(&[
        "run",
        "tutorial",
        "--runs",
        "20",
        "--out",
        dest.to_str().unwrap(),
        "--quiet",
    ]);
    assert_refused(&out, "folder is not empty; pass --force");
    assert!(
        read(&dest.join("summary.csv")) == before,
        "refused run changed the folder"
    );
    let out = spheres(&[
        "run",
        "tutorial",
        "--runs",
        "20",
        "--out",
        dest.to_str().unwrap(),
        "--quiet",
        "--force",
    ]);
    assert!(out.status.success());
    assert!(read(&dest.join("summary.csv")) != before);
    let leftovers: Vec<_> = std::fs::read_dir(&dest)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

/// Issue 13: `--force` with fewer outputs left the earlier run's files in a complete folder.
#[test]
fn force_leaves_only_the_new_results() {
    let tmp = TempDir::new("force-stale");
    let dest = tmp.join("out");
    run_to(&dest, &["tutorial", "--runs", "20", "--seed", "1"]);
    std::fs::write(dest.join("notes.txt"), "mine").unwrap();
    let compare = spheres(&[
        "compare",
        "tutorial",
        "tests/fixtures/variant.toml",
        "--runs",
        "4",
        "--no-charts",
        "--quiet",
        "--force",
        "--out",
        dest.to_str().unwrap(),
    ]);
    assert!(compare.status.success(), "{}", stderr(&compare));
    let out = spheres(&[
        "run",
        "tutorial",
        "--runs",
        "5",
        "--seed",
        "2",
        "--summary-only",
        "--no-charts",
        "--quiet",
        "--force",
        "--out",
        dest.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut names: Vec<String> = std::fs::read_dir(&dest)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "indicators.csv",
            "manifest.json",
            "notes.txt",
            "scenario.resolved.toml",
            "summary.csv"
        ],
        "a user's own file stays; every earlier result goes"
    );
}

/// Issue 13: a syntax error showed the offending line of any file, `/etc/shadow` included. Only
/// files named `.toml` get an excerpt, cut to 80 characters.
#[test]
fn errors_show_no_line_of_a_file_that_is_not_a_scenario() {
    let out = spheres(&["validate", "tests/fixtures/extends-passwd.toml"]);
    assert_refused(&out, "/etc/passwd:1:");
    assert!(!stderr(&out).contains("root"), "{}", stderr(&out));
    let tmp = TempDir::new("excerpt");
    let long = tmp.join("long.toml");
    std::fs::write(
        &long,
        format!("[scenario]\nname = \"{}\" x\n", "y".repeat(500)),
    )
    .unwrap();
    let out = spheres(&["validate", long.to_str().unwrap()]);
    assert_refused(&out, "long.toml:2:");
    let widest = stderr(&out)
        .lines()
        .map(|l| l.chars().count())
        .max()
        .unwrap();
    assert!(widest < 200, "a line of {widest} characters");
}

/// Issue 13: a file named like a bundled scenario silently replaced it; issue 15: it was then
/// refused. The file wins, with a note that says so and how to name the bundled one.
#[test]
fn a_file_named_like_a_bundled_scenario_wins_with_a_note() {
    let tmp = TempDir::new("shadow");
    let mine = String::from_utf8(read(Path::new("scenarios/tutorial.toml")))
        .unwrap()
        .replace("months = 60 ", "months = 48 ");
    std::fs::write(tmp.join("tutorial.toml"), mine).unwrap();
    let out = spheres_in(&tmp.0, &["validate", "tutorial.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("(48 months)"));
    assert!(
        stderr(&out).contains(&format!(
            "note: `tutorial.toml` is the file {}, not the bundled scenario `tutorial`: spheres reads the file (`tutorial` names the bundled one)",
            tmp.join("tutorial.toml").display()
        )),
        "{}",
        stderr(&out)
    );
    let out = spheres_in(&tmp.0, &["validate", "tutorial"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("(60 months)"));
    assert_eq!(stderr(&out), "", "the bundled one, without a note");
    // The repository's scenarios/ holds the bundled files themselves: nothing to note.
    let out = spheres_in(Path::new("scenarios"), &["validate", "tutorial.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
}

/// Issue 15: `extends = "balkans.toml"` from a user's own folder failed with "no such scenario
/// file". A name that is no file there is a bundled scenario's.
#[test]
fn extends_names_a_bundled_scenario_from_any_folder() {
    let tmp = TempDir::new("extends-bundled");
    std::fs::write(
        tmp.join("mine.toml"),
        "extends = \"tutorial.toml\"\n[scenario]\nname = \"mine\"\n[[policy]]\nid = \"more\"\npower = \"EU\"\nbudget = { aid = 900 }\n",
    )
    .unwrap();
    std::fs::write(
        tmp.join("theirs.toml"),
        "extends = \"eu-steps-in\"\n[scenario]\nname = \"theirs\"\nmonths = 12\n",
    )
    .unwrap();
    let out = spheres_in(&tmp.0, &["validate", "mine.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("scenario  mine"));
    assert_eq!(stderr(&out), "");
    // A bundled scenario's own `extends` (eu-steps-in → nobody-steps-in → balkans) stays bundled.
    let out = spheres_in(&tmp.0, &["validate", "theirs.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = spheres_in(
        &tmp.0,
        &[
            "run",
            "mine.toml",
            "--runs",
            "5",
            "--no-charts",
            "--quiet",
            "--out",
            "o",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(tmp.join("o").join("summary.csv").is_file());
}

/// Issue 15: a missing file's error did not say where spheres looked.
#[test]
fn a_missing_file_says_where_spheres_looked() {
    let tmp = TempDir::new("looked");
    std::fs::write(tmp.join("v.toml"), "extends = \"balkan.toml\"\n").unwrap();
    let out = spheres_in(&tmp.0, &["validate", "v.toml"]);
    assert_refused(
        &out,
        &format!(
            "balkan.toml: no such scenario file (named by `extends` in v.toml): looked for {}, and for a bundled scenario of that name (bundled: balkans,",
            tmp.join("balkan.toml").display()
        ),
    );
    assert!(
        stderr(&out).contains("; did you mean `balkans.toml`?"),
        "{}",
        stderr(&out)
    );
    let out = spheres_in(&tmp.0, &["run", "balkan", "--runs", "2"]);
    assert_refused(
        &out,
        &format!(
            "balkan: no such scenario file (looked for {})",
            tmp.join("balkan").display()
        ),
    );
    assert!(
        stderr(&out).contains("; did you mean `balkans`?"),
        "{}",
        stderr(&out)
    );
    assert!(!tmp.join("output").exists());
}

/// Issue 13: a 1 MB code was echoed whole in its error.
#[test]
fn an_error_echoes_at_most_80_characters_of_a_value() {
    let tmp = TempDir::new("echo");
    let file = tmp.join("big.toml");
    let code = "A".repeat(100_000);
    std::fs::write(
        &file,
        format!("[scenario]\nname = \"big\"\nstart = \"2020-01\"\nmonths = 12\n[[state]]\ncode = \"{code}\"\nname = \"a\"\npopulation = 1\nalignment = 0\n"),
    )
    .unwrap();
    let out = spheres(&["validate", file.to_str().unwrap()]);
    assert_refused(&out, "(100000 characters)");
    assert!(
        stderr(&out).len() < 600,
        "{} bytes of error",
        stderr(&out).len()
    );
}

#[test]
fn without_out_each_run_gets_a_new_folder() {
    let tmp = TempDir::new("default-out");
    for _ in 0..2 {
        let out = spheres_in(&tmp.0, &["run", "tutorial", "--runs", "5", "--quiet"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let folders: Vec<_> = std::fs::read_dir(tmp.join("output")).unwrap().collect();
    assert_eq!(folders.len(), 2, "two runs, two folders");
}

#[test]
fn bundled_scenarios_work_outside_the_repository() {
    let tmp = TempDir::new("bundled");
    for name in ["balkans", "tutorial"] {
        let out = spheres_in(&tmp.0, &["validate", name]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        run_to(&tmp.join(name), &[name, "--runs", "20"]);
    }
}

#[test]
fn every_scenario_file_validates_and_runs() {
    for entry in std::fs::read_dir("scenarios").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "toml") {
            let tmp = TempDir::new("scenarios");
            run_to(&tmp.join("out"), &[path.to_str().unwrap(), "--runs", "20"]);
        }
    }
}

#[test]
fn summary_has_the_documented_columns_and_no_nan() {
    let tmp = TempDir::new("columns");
    run_to(&tmp.join("o"), &["balkans", "--runs", "50"]);
    let summary = String::from_utf8(read(&tmp.join("o").join("summary.csv"))).unwrap();
    assert!(
        summary.starts_with(
            "date,state,indicator,mean,sd,p05,p25,p50,p75,p95,sd_noise,sd_parameters\n"
        )
    );
    assert!(!summary.contains("NaN") && !summary.contains("inf"));
    // Per month: 14 states and BIH with 7 indicators, 2 more with citizens (polarisation,
    // protest share), 11 group means (SRB 1, RS 2, FBiH 2, MNE 4, MKD 2), 4 regional; 121 months.
    assert_eq!(summary.lines().count(), 1 + 121 * (15 * 9 + 11 + 4));
    assert!(
        summary.contains("\n2025-11,MNE,opinion_serbs,"),
        "group means are reported"
    );
    assert!(
        summary.contains("\n2025-11,BIH,alignment,"),
        "the parent is reported"
    );
    let outcomes = String::from_utf8(read(&tmp.join("o").join("outcomes.csv"))).unwrap();
    assert!(outcomes.starts_with("run,seed,SRB_alignment,"));
    assert_eq!(outcomes.lines().count(), 51);
    let events = String::from_utf8(read(&tmp.join("o").join("events.csv"))).unwrap();
    assert!(events.starts_with("run,date,state,event,detail\n"));
}

/// A golden hash of a small tutorial ensemble: any change to the model, the random streams or
/// the formats shows here. After an intended change, regenerate with SPHERES_BLESS=1.
#[test]
fn tutorial_matches_its_golden_output() {
    use sha2::{Digest, Sha256};
    let tmp = TempDir::new("golden");
    run_to(
        &tmp.join("g"),
        &["tutorial", "--runs", "200", "--seed", "7", "--threads", "2"],
    );
    let mut lines = String::new();
    for file in ["summary.csv", "outcomes.csv", "events.csv"] {
        let digest = Sha256::digest(read(&tmp.join("g").join(file)));
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        lines.push_str(&format!("{hex}  {file}\n"));
    }
    let golden = Path::new("tests/golden/tutorial-200-seed7.sha256");
    if std::env::var_os("SPHERES_BLESS").is_some() {
        std::fs::write(golden, &lines).unwrap();
    }
    assert_eq!(
        String::from_utf8(read(golden)).unwrap(),
        lines,
        "outputs changed; if intended, run with SPHERES_BLESS=1"
    );
}

#[test]
fn a_scenario_compared_with_itself_differs_by_exactly_zero() {
    let tmp = TempDir::new("self");
    let dest = tmp.join("c");
    let out = spheres(&[
        "compare",
        "balkans",
        "balkans",
        "--runs",
        "200",
        "--out",
        dest.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(read(&dest.join("comparison.csv"))).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (scenario, diff, low, high) = (
        col("scenario"),
        col("diff"),
        col("diff_low"),
        col("diff_high"),
    );
    let mut variant_rows = 0;
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        if f[scenario] == "balkans-2" {
            variant_rows += 1;
            for c in [diff, low, high] {
                assert_eq!(f[c], "0.000000", "{line}");
            }
        }
    }
    assert_eq!(
        variant_rows,
        15 * 9 + 11 + 4,
        "every unit and indicator is compared"
    );
    assert!(dest.join("balkans").join("summary.csv").exists());
    assert!(
        read(&dest.join("balkans").join("summary.csv"))
            == read(&dest.join("balkans-2").join("summary.csv"))
    );
}

#[test]
fn comparisons_are_identical_across_thread_counts_and_match_single_runs() {
    let tmp = TempDir::new("compare-threads");
    for threads in ["1", "2"] {
        let dest = tmp.join(threads);
        let args = [
            "compare",
            "nobody-steps-in",
            "eu-steps-in",
            "energy-shock",
            "--runs",
            "150",
            "--threads",
            threads,
        ];
        let out = spheres(&[&args[..], &["--out", dest.to_str().unwrap(), "--quiet"]].concat());
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert!(
        read(&tmp.join("1").join("comparison.csv")) == read(&tmp.join("2").join("comparison.csv"))
    );
    // Each arm of a comparison is the same ensemble `spheres run` gives.
    run_to(
        &tmp.join("single"),
        &["eu-steps-in", "--runs", "150", "--seed", "20251125"],
    );
    assert!(
        read(&tmp.join("1").join("eu-steps-in").join("summary.csv"))
            == read(&tmp.join("single").join("summary.csv")),
        "compare's eu-steps-in summary differs from run's"
    );
}

#[test]
fn compare_refuses_scenarios_with_different_horizons() {
    let out = spheres(&["compare", "balkans", "tutorial", "--runs", "5", "--quiet"]);
    assert_refused(&out, "compared scenarios need the same horizon");
}

#[test]
fn trajectories_hold_every_month_of_the_first_runs() {
    let tmp = TempDir::new("trajectories");
    run_to(
        &tmp.join("t"),
        &["tutorial", "--runs", "20", "--trajectories", "3"],
    );
    let text = String::from_utf8(read(&tmp.join("t").join("trajectories.csv"))).unwrap();
    assert!(text.starts_with("run,date,state,indicator,value\n"));
    // 3 runs x 61 months x (3 states x 7 indicators + 4 regional).
    assert_eq!(text.lines().count(), 1 + 3 * 61 * (3 * 7 + 4));
    assert!(
        text.lines()
            .skip(1)
            .all(|l| ["0,", "1,", "2,"].iter().any(|p| l.starts_with(p)))
    );
    // The last month of run 0 is run 0's row in outcomes.csv.
    let outcomes = String::from_utf8(read(&tmp.join("t").join("outcomes.csv"))).unwrap();
    let first = outcomes.lines().nth(1).unwrap();
    let swg = text
        .lines()
        .find(|l| l.starts_with("0,2031-01,SWG,alignment,"))
        .unwrap();
    assert!(first.starts_with(&format!("0,7,{}", swg.rsplit(',').next().unwrap())));
}

#[test]
fn a_huge_job_needs_yes_when_nobody_can_be_asked() {
    let tmp = TempDir::new("huge");
    let dest = tmp.join("h");
    let out = spheres(&[
        "run",
        "balkans",
        "--runs",
        "100000000",
        "--out",
        dest.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("estimate: about") && stderr(&out).contains("pass --yes"),
        "{}",
        stderr(&out)
    );
    assert!(!dest.exists(), "nothing is created before the answer");
}

/// Issue 15: `--set path=value` on run and compare, with a sweep's key paths; the resolved
/// scenario holds the values, so that it alone reproduces the folder.
#[test]
fn set_changes_keys_and_the_resolved_scenario_reproduces_the_run() {
    let tmp = TempDir::new("set");
    let a = tmp.join("a");
    let sets = [
        "--set",
        "params.inertia=2.5",
        "--set",
        "state.SWG.gas_share_russia=0.5",
        "--set",
        "state.SWG.eu.status=none",
    ];
    run_to(&a, &[&["tutorial", "--runs", "30"][..], &sets[..]].concat());
    let resolved = scenario_text(&a.join("scenario.resolved.toml"));
    let plain = TempDir::new("set-plain");
    run_to(&plain.join("p"), &["tutorial", "--runs", "30"]);
    assert!(
        read(&a.join("summary.csv")) != read(&plain.join("p").join("summary.csv")),
        "the settings change the results"
    );
    let s = spheres::scenario::from_text("resolved.toml", &resolved).unwrap();
    assert_eq!(s.params.inertia, 2.5);
    let swg = &s.state[s.state_index("SWG").unwrap()];
    assert_eq!(swg.gas_share_russia, 0.5);
    assert_eq!(swg.eu.status, spheres::scenario::Status::None);
    let manifest: serde_json::Value =
        serde_json::from_slice(&read(&a.join("manifest.json"))).unwrap();
    assert!(
        manifest["command_line"]
            .as_str()
            .unwrap()
            .contains("--set params.inertia=2.5 --set state.SWG.gas_share_russia=0.5"),
        "{}",
        manifest["command_line"]
    );
    let b = tmp.join("b");
    run_to(
        &b,
        &[
            a.join("scenario.resolved.toml").to_str().unwrap(),
            "--runs",
            "30",
        ],
    );
    for file in OUTPUTS {
        assert!(read(&a.join(file)) == read(&b.join(file)), "{file} differs");
    }
    // compare applies them to every scenario.
    let c = tmp.join("c");
    let out = spheres(
        &[
            &[
                "compare",
                "tutorial",
                "tests/fixtures/variant.toml",
                "--runs",
                "4",
                "--no-charts",
                "--quiet",
                "--out",
                c.to_str().unwrap(),
            ][..],
            &sets[..2],
        ]
        .concat(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    for sub in ["tutorial", "tutorial-variant"] {
        let text = scenario_text(&c.join(sub).join("scenario.resolved.toml"));
        let s = spheres::scenario::from_text("r.toml", &text).unwrap();
        assert_eq!(s.params.inertia, 2.5, "{sub}");
    }
}

fn scenario_text(path: &Path) -> String {
    String::from_utf8(read(path)).unwrap()
}

/// Issue 15: a `--set` the scenario refuses is located like a sweep parameter: the setting,
/// the key path and what was expected, exit 2, nothing written.
#[test]
fn a_refused_set_names_itself_and_what_was_expected() {
    let tmp = TempDir::new("set-bad");
    let cases = [
        (
            "state.SWGG.gas_share_russia=0.5",
            "--set state.SWGG.gas_share_russia=0.5: there is no state with code \"SWGG\" (did you mean `SWG`?) (in <bundled>/tutorial.toml)",
        ),
        (
            "state.SWG.gas_share_russia=1.5",
            "--set state.SWG.gas_share_russia=1.5: state[SWG].gas_share_russia: = 1.5 is out of range; expected a share in [0, 1]",
        ),
        (
            "params.inertai=2",
            "--set params.inertai=2: unknown key `inertai` in params (did you mean `inertia`?)",
        ),
        (
            "scenario.months=24.5",
            "--set scenario.months=24.5: scenario.months: is a float; expected a whole number of months",
        ),
        (
            "policy.eu.budget.aid=3",
            "--set policy.eu.budget.aid=3: the scenario has no [[policy]]",
        ),
        (
            "scenario.months=12",
            "event[gas-cutoff].date: = \"2027-01\" is outside the horizon; expected a month from 2026-01 to 2026-12 (start plus months - 1) (with --set scenario.months=12)",
        ),
        (
            "params.inertia",
            "expected PATH=VALUE, such as params.inertia=2",
        ),
        ("=3", "is not a key path"),
    ];
    for (set, message) in cases {
        let dest = tmp.join("out");
        let out = spheres(&[
            "run",
            "tutorial",
            "--runs",
            "2",
            "--set",
            set,
            "--out",
            dest.to_str().unwrap(),
        ]);
        assert_refused(&out, message);
        assert!(!dest.exists(), "{set}: an output folder was created");
    }
    let out = spheres(&[
        "validate",
        "tutorial",
        "--set",
        "params.inertia=2",
        "--set",
        "params.inertia=3",
    ]);
    assert_refused(
        &out,
        "`params.inertia` is set twice; set each key path once",
    );
}

/// Issue 15: `spheres init NAME` writes a commented starter that validates and runs, and never
/// overwrites a file.
#[test]
fn init_writes_a_starter_that_validates_and_runs() {
    let tmp = TempDir::new("init");
    let out = spheres_in(&tmp.0, &["init", "mine"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = scenario_text(&tmp.join("mine.toml"));
    assert!(
        text.contains("name = \"mine\"") && text.contains("\n# "),
        "{text}"
    );
    let out = spheres_in(&tmp.0, &["validate", "mine.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = spheres_in(
        &tmp.0,
        &[
            "run",
            "mine.toml",
            "--runs",
            "20",
            "--no-charts",
            "--quiet",
            "--out",
            "o",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(tmp.join("o").join("summary.csv").is_file());
    std::fs::write(tmp.join("mine.toml"), "my own edits").unwrap();
    let out = spheres_in(&tmp.0, &["init", "mine.toml"]);
    assert_refused(
        &out,
        "mine.toml: exists; spheres init does not overwrite a file",
    );
    assert_eq!(scenario_text(&tmp.join("mine.toml")), "my own edits");
}

/// Issue 15: `spheres init NAME --extends` writes a variant whose commented policy works once
/// uncommented.
#[test]
fn init_extends_writes_a_variant_whose_commented_policy_works() {
    let tmp = TempDir::new("init-extends");
    let out = spheres_in(&tmp.0, &["init", "more-aid", "--extends", "tutorial"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let variant = scenario_text(&tmp.join("more-aid.toml"));
    assert!(variant.contains("extends = \"tutorial.toml\""), "{variant}");
    let uncommented: String = variant
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest)
                if ["[[policy]]", "id =", "power =", "from =", "budget ="]
                    .iter()
                    .any(|k| rest.starts_with(k)) =>
            {
                rest.to_string()
            }
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(tmp.join("more-aid.toml"), uncommented).unwrap();
    let out = spheres_in(&tmp.0, &["validate", "more-aid.toml"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("my-policy    EU from 2026-07"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = spheres_in(
        &tmp.0,
        &[
            "compare",
            "tutorial",
            "more-aid.toml",
            "--runs",
            "5",
            "--no-charts",
            "--quiet",
            "--out",
            "c",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Issue 15: `spheres init` refuses a name that cannot name a scenario, a missing folder and an
/// unknown scenario to extend, and writes nothing.
#[test]
fn init_refuses_bad_names_folders_and_bases() {
    let tmp = TempDir::new("init-refused");
    for (args, message) in [
        (
            &["init", "bad name"][..],
            "`bad name` cannot name a scenario",
        ),
        (&["init", "nowhere/x"][..], "nowhere: no such folder"),
        (
            &["init", "x", "--extends", "balkan"][..],
            "did you mean `balkans`?",
        ),
    ] {
        let out = spheres_in(&tmp.0, args);
        assert_refused(&out, message);
    }
    assert!(!tmp.join("x.toml").exists());
}

/// Issue 15: `spheres list` names every bundled scenario with a line on it.
#[test]
fn list_shows_every_bundled_scenario_on_one_line() {
    let out = spheres(&["list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    for name in [
        "balkans",
        "nobody-steps-in",
        "eu-steps-in",
        "us-returns",
        "energy-shock",
        "balkans-aggregate",
        "hindcast-2014",
        "hindcast-2017",
        "hindcast-2020",
        "tutorial",
    ] {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no line for {name}:\n{text}"));
        assert!(line.ends_with('.') || line.ends_with('…'), "{line}");
        assert!(line.chars().count() < 160, "{line}");
    }
    assert!(text.contains("tutorial           2026-01 +60m   3 states  aggregate public"));
}

/// Issue 15: compare mixed citizen and aggregate scenarios without a word. It warns before the
/// runs, and the manifest keeps the warning; --set can put both on one kind.
#[test]
fn compare_warns_when_citizens_meet_an_aggregate_public() {
    let tmp = TempDir::new("mixed");
    let dest = tmp.join("m");
    let args = [
        "compare",
        "nobody-steps-in",
        "balkans-aggregate",
        "--runs",
        "2",
        "--no-charts",
        "--quiet",
        "--out",
        dest.to_str().unwrap(),
    ];
    let out = spheres(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let warning = "warning: balkans-aggregate has an aggregate public opinion ([population] people_per_agent = 0), but the baseline nobody-steps-in has ";
    assert!(stderr(&out).contains(warning), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("citizen agents ([population] people_per_agent = 3000)"),
        "{}",
        stderr(&out)
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&read(&dest.join("manifest.json"))).unwrap();
    assert!(
        manifest["start_differs"][0]
            .as_str()
            .unwrap()
            .starts_with("balkans-aggregate has an aggregate public opinion"),
        "{manifest}"
    );
    let out = spheres(
        &[
            &args[..],
            &["--force", "--set", "population.people_per_agent=0"],
        ]
        .concat(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
}

/// The help `spheres args` prints.
fn help(args: &[&str]) -> String {
    let out = spheres(args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// The subcommands `spheres --help` lists, but `help`.
fn subcommands() -> Vec<String> {
    help(&["--help"])
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

/// Issue 15: every subcommand's help is its own, with an example.
#[test]
fn every_subcommand_has_its_own_help_with_an_example() {
    let commands = subcommands();
    assert_eq!(
        commands,
        [
            "run",
            "compare",
            "levers",
            "hindcast",
            "calibrate",
            "sweep",
            "merge",
            "sample",
            "analyze",
            "report",
            "list",
            "init",
            "validate"
        ]
    );
    for command in &commands {
        let text = help(&[command, "--help"]);
        assert!(
            text.contains("\nExample:\n") || text.contains("\nExamples:\n"),
            "{command}: no example:\n{text}"
        );
        assert!(
            text.lines()
                .any(|l| l.starts_with(&format!("  spheres {command} "))
                    || l == format!("  spheres {command}")),
            "{command}: the example is not of {command}:\n{text}"
        );
    }
}

/// Issue 15: the commands that draw charts offer `--no-charts`, each saying in its own words what
/// it would draw; a hindcast accepts the flag scripts pass.
#[test]
fn no_charts_says_what_each_command_would_draw() {
    let no_charts: Vec<(String, String)> = subcommands()
        .into_iter()
        .filter_map(|command| {
            let text = help(&[&command, "--help"]);
            let line = text
                .lines()
                .find(|l| l.trim_start().starts_with("--no-charts"))?
                .to_string();
            Some((command, line))
        })
        .collect();
    let with: Vec<&str> = no_charts.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        with,
        ["run", "compare", "levers", "hindcast", "calibrate", "sweep"]
    );
    for (k, (c, line)) in no_charts.iter().enumerate() {
        for (d, other) in &no_charts[k + 1..] {
            assert_ne!(line, other, "{c} and {d} share their --no-charts help");
        }
    }
    let out = spheres(&[
        "hindcast",
        "tests/fixtures/hindcast-tiny.toml",
        "--runs",
        "5",
        "--no-charts",
        "--quiet",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Issue 15: a sweep's help does not offer the --runs and --seed it refuses; each command's help
/// gives its own defaults and options.
#[test]
fn each_help_offers_only_what_its_command_takes() {
    let sweep = help(&["sweep", "--help"]);
    assert!(
        !sweep.contains("--runs") && !sweep.contains("--seed"),
        "{sweep}"
    );
    assert!(help(&["levers", "--help"]).contains("[default: 200]"));
    assert!(!help(&["run", "--help"]).contains("levers"));
}

/// Issue 15 listed TOML syntax errors printed twice (fixed with issue 13): once, for a scenario,
/// a file it extends, and a sweep file.
#[test]
fn a_syntax_error_is_printed_once() {
    let tmp = TempDir::new("syntax-once");
    std::fs::write(tmp.join("bad.toml"), "[scenario\nname = \"x\"\n").unwrap();
    std::fs::write(tmp.join("v.toml"), "extends = \"bad.toml\"\n").unwrap();
    std::fs::write(tmp.join("s.toml"), "scenario = \"tutorial\"\n[sweep\n").unwrap();
    for args in [
        &["validate", "bad.toml"][..],
        &["run", "v.toml", "--runs", "2"][..],
        &["sweep", "s.toml"][..],
    ] {
        let out = spheres_in(&tmp.0, args);
        assert_refused(&out, "TOML syntax: unclosed table, expected `]`");
        assert_eq!(
            stderr(&out).matches("TOML syntax").count(),
            1,
            "{}",
            stderr(&out)
        );
        assert_eq!(stderr(&out).matches('^').count(), 1, "{}", stderr(&out));
    }
}
