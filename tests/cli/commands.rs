//! Scenarios by name and by file (bundled ones anywhere, `extends`), `init`, `list`, compare's
//! warning, and every subcommand's help.

use crate::common::{
    TempDir, assert_refused, read, run_to, scenario_text, spheres, spheres_in, stderr,
};
use std::path::Path;

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

#[test]
fn bundled_scenarios_work_outside_the_repository() {
    let tmp = TempDir::new("bundled");
    for name in ["balkans", "tutorial"] {
        let out = spheres_in(&tmp.0, &["validate", name]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        run_to(&tmp.join(name), &[name, "--runs", "20"]);
    }
}

/// Issue 25: the bundled sweep files are found by name from any folder, their scenario
/// (`from-today`, beside them) with them.
#[test]
fn a_bundled_sweep_runs_from_any_folder() {
    let tmp = TempDir::new("bundled-sweep");
    let out = spheres_in(
        &tmp.0,
        &["sweep", "grid", "--out", "grid", "--no-charts", "--quiet"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let points = std::fs::read_to_string(tmp.join("grid").join("points.csv")).unwrap();
    assert_eq!(points.lines().count(), 26, "{points}");
    let out = spheres_in(&tmp.0, &["sweep", "gird"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("bundled sweep (grid, lhs, sobol)"),
        "{}",
        stderr(&out)
    );
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
        "europe",
    ] {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no line for {name}:\n{text}"));
        assert!(line.ends_with('.') || line.ends_with('…'), "{line}");
        assert!(line.chars().count() < 180, "{line}");
    }
    assert!(text.contains(
        "tutorial           -                 2026-01 +60m   3 states  aggregate public"
    ));
    assert!(text.contains(
        "europe             -                 2001-01 +252m 46 states  aggregate public"
    ));
    // Each variant names the scenario it extends: its differences are against that one.
    for (variant, base) in [
        ("eu-steps-in", "nobody-steps-in"),
        ("us-returns", "nobody-steps-in"),
        ("nobody-steps-in", "balkans"),
    ] {
        assert!(
            text.contains(&format!("{variant:<18} {base:<17} ")),
            "{variant}:\n{text}"
        );
    }
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
            "nowcast",
            "forecast",
            "explore",
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
        [
            "run",
            "compare",
            "levers",
            "hindcast",
            "nowcast",
            "forecast",
            "calibrate",
            "sweep"
        ]
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
