//! `spheres nowcast`: the panel's acceptance figures at the end of 2021, a nowcast that cannot
//! see past its origin (byte-identical when later observations are deleted), and every error
//! a data file can meet (located: file, line, column; exit 2).

mod common;

use common::{TempDir, assert_refused, read, spheres};
use spheres::measure::{self, PANEL, Panel, Series, Sources, month_of};
use spheres::statistics::spearman;
use std::path::Path;

/// A copy of the repository's data files under `dir`, each line kept if `keep` says so.
fn data_copy(dir: &Path, keep: impl Fn(&str, &str) -> bool) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    for name in measure::DATA_FILES {
        let text = String::from_utf8(read(&root.join(name))).unwrap();
        let kept: String = (text.lines().enumerate())
            .filter(|(k, line)| *k == 0 || keep(name, line))
            .map(|(_, line)| format!("{line}\n"))
            .collect();
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, kept).unwrap();
    }
}

/// The year of a data line: ideal points' fifth column, CFSP's, the votes' and the polls'
/// second.
fn year(name: &str, line: &str) -> i32 {
    let k = if name.contains("ideal_points") { 4 } else { 1 };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    let record = reader.records().next().unwrap().unwrap();
    // A year, or a date whose first four characters are its year (the votes).
    record[k][..4].parse().unwrap()
}

#[test]
fn at_the_end_of_2021_the_implied_ideal_points_hold_the_observed_ones_and_rank_the_states() {
    let states: Vec<String> = PANEL.iter().map(|s| s.to_string()).collect();
    let panel = Panel::read(&Sources::bundled(), &states).unwrap();
    let origin = month_of(2021, 12);
    let nowcast = measure::nowcast(&panel, &states, origin).unwrap();
    let (mut held, mut scored, mut medians, mut observed) = (0, 0, Vec::new(), Vec::new());
    for unit in &nowcast.units {
        let Some(o) = (panel.of(&unit.state).into_iter())
            .find(|o| o.series == Series::UngaIdealPoint && o.month == origin)
        else {
            continue;
        };
        let se = unit.typical_se.unwrap_or(nowcast.typical_se);
        let a = unit.track.at_origin.alignment();
        let (_, implied) = nowcast.model.ideal_point(2021, a, se).unwrap();
        scored += 1;
        held += usize::from(implied.holds(o.value, 0.9));
        medians.push(implied.mean);
        observed.push(o.value);
    }
    assert!(scored >= 44, "panel states with a 2021 session: {scored}");
    assert!(
        held as f64 >= 0.9 * scored as f64,
        "90 % intervals held {held} of {scored}"
    );
    let rho = spearman(&medians, &observed).unwrap();
    assert!(rho >= 0.9, "Spearman {rho}");
}

#[test]
fn a_nowcast_is_the_same_when_the_observations_after_its_origin_are_deleted() {
    let tmp = TempDir::new("nowcast-cut");
    data_copy(&tmp.join("all"), |_, _| true);
    data_copy(&tmp.join("cut"), |name, line| {
        // The nowcast reads no history (accession, elections): those files are kept whole.
        name.contains("families")
            || name.contains("europe/accession")
            || name.contains("europe/elections")
            || year(name, line) <= 2014
    });
    for (data, out) in [("all", "out-all"), ("cut", "out-cut")] {
        let (data, out) = (tmp.join(data), tmp.join(out));
        let args = [
            "nowcast",
            "balkans",
            "--origin",
            "2014",
            "--no-charts",
            "--data",
        ];
        let mut args: Vec<&str> = args.to_vec();
        args.extend([data.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        let done = spheres(&args);
        assert!(done.status.success(), "{}", common::stderr(&done));
    }
    common::assert_same_files(
        &tmp.join("out-all"),
        &tmp.join("out-cut"),
        &["nowcast.csv", "filtered.csv", "observations.csv"],
        "when the data after 2014 are deleted",
    );
    let text = String::from_utf8(read(&tmp.join("out-all").join("nowcast.csv"))).unwrap();
    assert!(
        text.lines().any(|l| l.starts_with("SRB,alignment,")),
        "{text}"
    );
    assert!(
        !text.contains("2015-"),
        "nothing after the origin is last observed"
    );
}

/// Runs a nowcast of balkans on data edited by `edit` (file name, text → text).
fn nowcast_with(tag: &str, edit: impl Fn(&str, String) -> String) -> std::process::Output {
    let tmp = TempDir::new(tag);
    data_copy(&tmp.0, |_, _| true);
    for name in measure::DATA_FILES {
        let path = tmp.join(name);
        let text = String::from_utf8(read(&path)).unwrap();
        std::fs::write(&path, edit(name, text)).unwrap();
    }
    let out = tmp.join("out");
    let data = tmp.0.to_str().unwrap().to_string();
    spheres(&[
        "nowcast",
        "balkans",
        "--no-charts",
        "--data",
        &data,
        "--out",
        out.to_str().unwrap(),
    ])
}

/// Serbia's sessions of 2005 and 2006 swapped.
fn swap_2005(t: String) -> String {
    let mut lines: Vec<&str> = t.lines().collect();
    let k = lines
        .iter()
        .position(|l| l.contains(",60,2005,SRB,"))
        .unwrap();
    lines.swap(k, k + 1);
    lines.join("\n") + "\n"
}

/// An edit of a data file's text.
type Edit = fn(String) -> String;

/// Each mistake a data file can hold: (file, tag, the edit that makes it, what the error says).
fn bad_data() -> Vec<(&'static str, &'static str, Edit, &'static str)> {
    let mut cases: Vec<(&str, &str, Edit, &str)> = vec![
        (
            "unga_votes",
            "vote",
            |t| t.replacen(",SRB,abstain,", ",SRB,maybe,", 1),
            "expected yes, abstain, absent, no or not_member, found 'maybe' (column vote)",
        ),
        (
            "unga_votes",
            "date",
            |t| t.replacen("2022-11-14,SRB,", "2022-1-14,SRB,", 1),
            "expected YYYY-MM-DD or YYYY-MM, found '2022-1-14' (column date)",
        ),
        (
            "ideal_points",
            "missing",
            |t| t.replacen("Q5_All", "Q5", 1),
            "ideal_points.csv:1: missing column 'Q5_All'",
        ),
        (
            "ideal_points",
            "malformed",
            |t| t.replacen(",2021,SRB,72,0.418158,", ",2021,SRB,72,x0.418158,", 1),
            "ideal_points.csv:3685:8: expected a number, found 'x0.418158' (column IdealPointAll)",
        ),
        (
            "ideal_points",
            "order",
            swap_2005,
            "SRB's sessions are out of order: 2005 comes after 2006",
        ),
        (
            "cfsp",
            "code",
            |t| t.replacen("\nSRB,2015,", "\nSRX,2015,", 1),
            "cfsp_alignment.csv:2:1: 'SRX' is neither a panel state nor one of the scenario's",
        ),
        (
            "cfsp",
            "period",
            |t| t.replacen("calendar year", "all year", 1),
            "expected 'calendar year' or 'H1 only', found 'all year'",
        ),
    ];
    cases.extend(bad_polls());
    cases
}

/// The mistakes of the polls and their question families.
fn bad_polls() -> Vec<(&'static str, &'static str, Edit, &'static str)> {
    vec![
        (
            "polls",
            "question",
            |t| t.replacen("Tend to trust the EU", "Tend to like the EU", 1),
            "the question 'Tend to like the EU' is not in balkans/validation/poll_families.csv",
        ),
        (
            "polls",
            "share",
            |t| t.replacen(",Tend to trust the EU,33,", ",Tend to trust the EU,133,", 1),
            "expected a percentage from 0 to 100, found 133 (column value_pct)",
        ),
        (
            "poll_families",
            "direction",
            |t| t.replacen("eu_trust,toward_west", "eu_trust,westward", 1),
            "poll_families.csv:13:3: expected toward_moscow, toward_west or skip, found 'westward'",
        ),
        (
            "poll_families",
            "mixed",
            |t| {
                t.replacen(
                    "- yes,eu_referendum,toward_west",
                    "- yes,eu_referendum,toward_moscow",
                    1,
                )
            },
            "poll_families.csv:4:3: the family 'eu_referendum' has questions of both directions",
        ),
    ]
}

#[test]
fn bad_data_is_refused_with_its_file_line_and_column() {
    for (file, tag, edit, needle) in bad_data() {
        let out = nowcast_with(tag, |name, text| {
            if name.contains(file) {
                edit(text)
            } else {
                text
            }
        });
        assert_refused(&out, needle);
    }
}

#[test]
fn a_bad_origin_or_data_folder_is_refused() {
    assert_refused(
        &spheres(&["nowcast", "balkans", "--origin", "2021-13", "--no-charts"]),
        "--origin: expected YYYY-MM or YYYY",
    );
    assert_refused(
        &spheres(&["nowcast", "balkans", "--origin", "1985", "--no-charts"]),
        "choose an origin of 2000-12 or later",
    );
    assert_refused(
        &spheres(&[
            "nowcast",
            "balkans",
            "--data",
            "no-such-folder",
            "--no-charts",
        ]),
        "--data expects a folder laid out like the repository's data/",
    );
}

/// `start_from = "nowcast"`: each observed state starts at its nowcast with a normal prior of
/// the nowcast's sd; an entity keeps its offset from its parent; Kosovo (no observation) keeps
/// its number; a scenario that starts from its file is untouched.
#[test]
fn a_scenario_starts_from_the_nowcast_of_its_start_month() {
    let balkans = spheres::scenario::load("balkans").unwrap();
    let states: Vec<String> = PANEL.iter().map(|s| s.to_string()).collect();
    let panel = Panel::read(&Sources::bundled(), &states).unwrap();
    let units = ["SRB".to_string(), "BIH".to_string()];
    let nowcast = measure::nowcast(&panel, &units, month_of(2025, 11)).unwrap();
    let at = |code: &str| balkans.state[balkans.state_index(code).unwrap()].alignment;
    let prior = |code: &str| {
        let path = format!("state.{code}.alignment");
        balkans.uncertain.iter().find(|u| u.path == path).cloned()
    };
    let srb = nowcast.units[0].track.at_origin.alignment();
    assert!(
        (at("SRB") - srb.mean).abs() < 1e-12,
        "{} against {srb:?}",
        at("SRB")
    );
    let p = prior("SRB").expect("Serbia's start has a prior");
    assert_eq!(
        p.numbers,
        vec![
            ("mean", srb.mean),
            ("sd", srb.sd),
            ("min", -0.95),
            ("max", 0.95)
        ]
    );
    assert!(
        srb.sd > 0.1,
        "four years after the last session the start is uncertain: {srb:?}"
    );
    // Public opinion where polls read it: Serbia's reading, kept inside ±0.9, with its prior.
    let public = nowcast.units[0].public.expect("Serbia's public is polled");
    let srb_public = balkans.state[balkans.state_index("SRB").unwrap()].public_opinion;
    assert!((srb_public - public.mean.clamp(-0.8, 0.8)).abs() < 1e-12);
    let path = "state.SRB.public_opinion";
    let p = balkans.uncertain.iter().find(|u| u.path == path).unwrap();
    assert_eq!(p.numbers[..2], [("mean", public.mean), ("sd", public.sd)]);
    // The entities' file values: +0.392 and −0.401; their gap is kept.
    assert!((at("BIH-SRP") - at("BIH-FED") - (0.392 + 0.401)).abs() < 1e-9);
    assert!(prior("XKX").is_none() && (at("XKX") - -0.52).abs() < 0.01);
    let tutorial = spheres::scenario::load("tutorial").unwrap();
    assert!(
        tutorial
            .uncertain
            .iter()
            .all(|u| !u.path.ends_with(".alignment"))
    );
}

/// A start set on the command line is that number: the nowcast's prior for it is not drawn.
#[test]
fn a_start_set_on_the_command_line_wins_over_the_nowcast() {
    let tmp = TempDir::new("nowcast-set");
    let out = tmp.join("out");
    let done = spheres(&[
        "run",
        "balkans-aggregate",
        "--runs",
        "20",
        "--no-charts",
        "--quiet",
        "--set",
        "state.SRB.alignment=0.6",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(done.status.success(), "{}", common::stderr(&done));
    let manifest = String::from_utf8(read(&out.join("manifest.json"))).unwrap();
    assert!(
        !manifest.contains("\"state.SRB.alignment\""),
        "not drawn: {manifest}"
    );
    assert!(
        manifest.contains("\"state.HRV.alignment\""),
        "the others are drawn"
    );
    let summary = String::from_utf8(read(&out.join("summary.csv"))).unwrap();
    let first = summary
        .lines()
        .find(|l| l.starts_with("2025-11,SRB,alignment,"))
        .unwrap();
    assert!(
        first.starts_with("2025-11,SRB,alignment,0.600000,"),
        "{first}"
    );
}

/// The model's drift spreads a state over ten years as the panel's states spread (docs/MODEL.md
/// 7.4): the drift's ten-year sd from the start, with two ideal points' session-to-session
/// error (κ times their posterior sd, 9.3), within 0.04 of the sd of the panel's ten-year changes
/// on the axis (every state, sessions 2000–2021).
#[test]
fn the_drift_spreads_states_over_ten_years_as_the_panel_did() {
    let states: Vec<String> = PANEL.iter().map(|s| s.to_string()).collect();
    let panel = Panel::read(&Sources::bundled(), &states).unwrap();
    let nowcast = measure::nowcast(&panel, &states[..1], month_of(2021, 12)).unwrap();
    let model = &nowcast.model;
    let mut changes = Vec::new();
    let mut errors = Vec::new();
    for state in &states {
        let readings: std::collections::BTreeMap<i32, (f64, f64)> = (panel.of(state).into_iter())
            .filter(|o| o.series == Series::UngaIdealPoint)
            .filter_map(|o| {
                let year = o.month.div_euclid(12);
                Some((year, model.scale.latent(year, o.value, o.se)?))
            })
            .filter(|(year, _)| (2000..=2021).contains(year))
            .collect();
        for (year, (a, se)) in &readings {
            if let Some((b, _)) = readings.get(&(year + 10)) {
                changes.push(b - a);
            }
            errors.push(model.dynamics.ideal_error_variance(*se, 1.0));
        }
    }
    let mean = changes.iter().sum::<f64>() / changes.len() as f64;
    let observed = (changes.iter().map(|c| (c - mean).powi(2)).sum::<f64>()
        / (changes.len() - 1) as f64)
        .sqrt();
    let default = |key: &str| {
        let spec = spheres::scenario::PARAM_SPECS.iter().find(|p| p.key == key);
        spec.unwrap().default
    };
    let (sigma, phi) = (
        default("noise_alignment"),
        default("noise_persistence_per_year"),
    );
    let rho = phi.powf(1.0 / 12.0);
    let drift = sigma * sigma * (1.0 - rho.powi(240)) / (1.0 - rho * rho);
    let error = 2.0 * errors.iter().sum::<f64>() / errors.len() as f64;
    let implied = (drift + error).sqrt();
    assert!(changes.len() > 300, "{} ten-year changes", changes.len());
    assert!(
        (implied - observed).abs() < 0.04,
        "the drift and the error give a ten-year sd of {implied:.3}; the panel's changes {observed:.3}"
    );
}
