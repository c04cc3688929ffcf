//! The bad-scenario corpus in tests/bad-scenarios/ and the error messages: where they point,
//! what they show of a file and of a value, refused settings, syntax errors printed once.

use crate::common::{TempDir, assert_refused, read, spheres, spheres_in, stderr};

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
        "no bundled scenario of that name (bundled: balkans, nobody-steps-in, eu-steps-in, us-returns, energy-shock, balkans-aggregate, hindcast-2014, hindcast-2017, hindcast-2020, calibrate-2014, tutorial, europe, from-today)",
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
fn compare_refuses_scenarios_with_different_horizons() {
    let out = spheres(&["compare", "balkans", "tutorial", "--runs", "5", "--quiet"]);
    assert_refused(&out, "compared scenarios need the same horizon");
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
