//! The checker itself, on planted sources and on its parts: it catches what is wrong and only
//! that.

use crate::checks::check;
use crate::scan::strip;
use crate::table::{expand_braces, glob, path_of};
use crate::{KNOWN_VIOLATIONS, code_map, the_sources};

/// The crate's sources with the files of `planted` replaced or added.
fn planted(planted: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut sources = the_sources();
    for &(file, text) in planted {
        match sources.iter_mut().find(|(f, _)| f == file) {
            Some(s) => s.1 = text.to_string(),
            None => sources.push((file.to_string(), text.to_string())),
        }
    }
    sources
}

/// The checker on sources held in memory: it must catch what is wrong and only that.
#[test]
fn the_checker_catches_violations() {
    let rows = code_map();
    let sources = planted(&[
        // The model imports the engine, in a `use` and inline; comments and strings do not count.
        (
            "src/model/stocks.rs",
            "use super::{Model, World};\n\
             use crate::engine::{step::simulate, rng as r};\n\
             // crate::experiments::run in a comment\n\
             /* use crate::report; */\n\
             fn f() -> &'static str { let _ = crate::experiments::run::run(); \"crate::report::write\" }\n\
             #[derive(clap::ValueEnum)] enum E { A }\n\
             #[cfg(test)] mod tests { use super::*; use crate::error::Result; }\n",
        ),
        // arms.rs and energy.rs import each other.
        ("src/model/arms.rs", "use super::energy::f;\n"),
        ("src/model/energy.rs", "fn g() { super::arms::h() }\n"),
        // A module of the binary may use clap and its siblings, but of the library only
        // `experiments`.
        (
            "src/cli/console.rs",
            "use clap::Parser;\nuse super::args::Cli;\nuse spheres::engine::rng;\n",
        ),
        // A file without a row.
        ("src/nowhere.rs", ""),
    ]);
    let (violations, problems) = check(&sources, &rows);
    let found: Vec<(String, usize, String)> = violations
        .iter()
        .filter(|v| !KNOWN_VIOLATIONS.iter().any(|(f, w)| v.is(f, w)))
        .map(|v| (v.file.clone(), v.line, v.what.join("::")))
        .collect();
    let expected = [
        ("src/model/stocks.rs", 2, "engine::step::simulate"),
        ("src/model/stocks.rs", 2, "engine::rng"),
        ("src/model/stocks.rs", 5, "experiments::run::run"),
        ("src/model/stocks.rs", 6, "clap"),
        ("src/model/arms.rs", 1, "model::energy"),
        ("src/model/energy.rs", 1, "model::arms"),
        ("src/cli/console.rs", 3, "engine::rng"),
    ];
    let expected: Vec<(String, usize, String)> = expected
        .iter()
        .map(|&(f, l, w)| (f.to_string(), l, w.to_string()))
        .collect();
    let mut sorted = found.clone();
    sorted.sort();
    let mut want = expected.clone();
    want.sort();
    assert_eq!(sorted, want, "{violations:#?}");
    let message = &violations
        .iter()
        .find(|v| v.what == path_of("engine::step::simulate"))
        .unwrap()
        .message;
    for part in [
        "src/model/stocks.rs:2",
        "`engine::step::simulate`",
        "row `src/model/stocks.rs`",
    ] {
        assert!(message.contains(part), "{message}");
    }
    assert!(
        problems
            .iter()
            .any(|p| p.contains("src/nowhere.rs has no row")),
        "{problems:?}"
    );
}

/// A row that allows more than its layer may use is caught.
#[test]
fn the_checker_catches_a_row_wider_than_its_layer() {
    let rows = code_map();
    let mut wide = rows.clone();
    let stocks = wide
        .iter_mut()
        .find(|r| r.pattern == "src/model/stocks.rs")
        .unwrap();
    stocks.may_use.push(path_of("engine"));
    let (_, problems) = check(&the_sources(), &wide);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("`src/model/stocks.rs` allows `engine`")),
        "{problems:?}"
    );
}

#[test]
fn rows_expand_and_match() {
    assert_eq!(
        expand_braces("src/model/{arms, energy}.rs"),
        ["src/model/arms.rs", "src/model/energy.rs"]
    );
    assert!(glob(b"src/report/charts/*.rs", b"src/report/charts/fan.rs"));
    assert!(!glob(b"src/*.rs", b"src/model/mod.rs"));
    let source = "let s = r#\"crate::x\"#; let c = '\"'; // crate::y\n\
                  let l: &'a str = \"\\\" crate::z\"; /* crate:: /* nested */ */ let e = '\\'';";
    let code = strip(source);
    assert!(!code.contains("crate"), "{code}");
    assert!(
        code.contains("let l: &'a str =") && code.contains("let e ="),
        "{code}"
    );
    assert_eq!(code.chars().count(), source.chars().count());
    assert_eq!(code.lines().count(), 2);
}
