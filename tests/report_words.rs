//! The report's words: every indicator's words on the pages come from the folder's
//! indicators.csv, and a folder without it is refused.

mod common;

use common::{TempDir, assert_refused, page, spheres, stderr};
use std::path::Path;

/// A copy of folder `from` (and its subfolders) at `to`.
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `file` with `old` replaced by `new`, which must occur in it.
fn replace_in(file: &Path, old: &str, new: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(old), "{} lacks «{old}»", file.display());
    std::fs::write(file, text.replace(old, new)).unwrap();
}

/// Writes the folder of `args` (without charts) at `dir`.
fn written(dir: &Path, args: &[&str]) {
    let mut args = args.to_vec();
    args.extend(["--no-charts", "--quiet", "--out", dir.to_str().unwrap()]);
    let out = spheres(&args);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// The report names no indicator of its own: the words of a run's page come from the folder's
/// indicators.csv, so new words there are the words of the page.
#[test]
fn a_run_page_takes_the_indicators_words_from_indicators_csv() {
    let tmp = TempDir::new("labels");
    let run = tmp.join("run");
    written(&run, &["run", "tutorial", "--runs", "20"]);
    let renamed = [
        (
            "\nalignment,state,signed,-1,1,−1 West … +1 Moscow,alignment,",
            "\nalignment,state,signed,-1,1,−1 West … +1 Moscow,orientation,",
        ),
        (
            ",leans to Moscow,chance of leaning to Moscow,",
            ",tilts toward Moscow,chance of tilting toward Moscow,",
        ),
        (
            ",EU member,chance of EU membership,",
            ",in the Union,chance of joining the Union,",
        ),
        (",Moscow-leaning states,", ",states tilting toward Moscow,"),
    ];
    let relabelled = tmp.join("relabelled");
    copy_folder(&run, &relabelled);
    for (old, new) in renamed {
        replace_in(&relabelled.join("indicators.csv"), old, new);
    }
    for dir in [&run, &relabelled] {
        let out = spheres(&["report", dir.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let (before, after) = (page(&run), page(&relabelled));
    assert!(before.contains("<th>leans to Moscow</th><th>EU member</th>"));
    for needle in [
        "Orientation runs from −1",
        "a state tilts toward Moscow above",
        "<th>orientation at start</th>",
        "<th>tilts toward Moscow</th><th>in the Union</th>",
        "Probability of tilting toward Moscow at the horizon",
        "states tilting toward Moscow expected",
    ] {
        assert!(
            after.contains(needle),
            "the relabelled page lacks «{needle}»"
        );
    }
    // (The tutorial's description says "an EU member" and "Moscow-leaning" in its own words.)
    for gone in [
        "leans to Moscow",
        "<th>EU member</th>",
        "Moscow-leaning states expected",
        "Alignment",
    ] {
        assert!(
            !after.contains(gone),
            "the relabelled page still says «{gone}»"
        );
    }
}

/// A comparison's page takes the chances in its headlines and the events' columns from its
/// baseline's indicators.csv.
#[test]
fn a_comparison_page_takes_the_indicators_words_from_indicators_csv() {
    let tmp = TempDir::new("labels-compare");
    let compare = tmp.join("compare");
    written(
        &compare,
        &[
            "compare",
            "nobody-steps-in",
            "eu-steps-in",
            "--set",
            "population.people_per_agent=0",
            "--runs",
            "20",
        ],
    );
    let base = compare.join("nobody-steps-in").join("indicators.csv");
    replace_in(
        &base,
        ",EU member,chance of EU membership,",
        ",in the Union,chance of joining the Union,",
    );
    let out = spheres(&["report", compare.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = page(&compare);
    assert!(
        html.contains("<th>in the Union</th>") && html.contains("chance of joining the Union: ")
    );
    assert!(
        !html.contains("<th>EU member</th>") && !html.contains("chance of EU membership"),
        "the comparison still says «EU member»"
    );
}

/// A folder written before indicators.csv existed is refused, naming the file and saying to
/// re-run the command, rather than drawn with words of the report's own.
#[test]
fn a_folder_without_indicators_csv_is_refused() {
    let tmp = TempDir::new("no-indicators");
    let dir = tmp.join("run");
    let out = spheres(&[
        "run",
        "tutorial",
        "--runs",
        "10",
        "--no-charts",
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::remove_file(dir.join("indicators.csv")).unwrap();
    let out = spheres(&["report", dir.to_str().unwrap()]);
    assert_refused(&out, "indicators.csv: missing: written by an older spheres");
    assert!(stderr(&out).contains("re-run"), "{}", stderr(&out));
    assert!(
        !dir.join("index.html").exists(),
        "no page without the words"
    );
}

/// A comparison's headlines lead with the range across plausible worlds and call the ± the
/// mean's precision; states the variant does not visibly move share one line; every page says
/// which model ran and what it has shown it can forecast.
#[test]
fn headlines_lead_with_the_worlds_and_say_no_visible_effect_once() {
    let tmp = TempDir::new("headlines");
    let variant = tmp.join("rus-more-religion.toml");
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/nobody-steps-in.toml");
    std::fs::write(
        &variant,
        format!(
            "extends = {:?}\n[scenario]\nname = \"rus-more-religion\"\n[[policy]]\nid = \"rus\"\n\
             power = \"RUS\"\nfrom = \"2025-11\"\nbudget = {{ religion = 4 }}\n",
            base.display().to_string()
        ),
    )
    .unwrap();
    let compare = tmp.join("compare");
    let args = ["nobody-steps-in", variant.to_str().unwrap(), "--runs", "20"];
    let set = ["--set", "population.people_per_agent=0"];
    written(&compare, &[&["compare"], &args[..], &set[..]].concat());
    let out = spheres(&["report", compare.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = page(&compare);
    assert_eq!(
        html.matches("<b>No visible effect</b> on ").count(),
        1,
        "{html}"
    );
    assert!(html.contains("in 90 % of plausible worlds.</li>"));
    assert!(!html.contains("in the median plausible world, 0.00 to 0.00"));
    assert!(html.contains("Can I cite this?</b>"));
    assert!(html.contains("Model: the aggregate public (one opinion per state); coefficients drawn from their priors (2 plausible worlds)."));
    // A variant that moves the states leads with the worlds' range, the ± labelled.
    let moved = tmp.join("moved");
    let args = ["nobody-steps-in", "eu-steps-in", "--runs", "20"];
    written(&moved, &[&["compare"], &args[..], &set[..]].concat());
    let out = spheres(&["report", moved.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = page(&moved);
    assert!(html.contains("in the median plausible world, "), "{html}");
    assert!(html.contains("is that mean's precision, not what we do not know"));
}
