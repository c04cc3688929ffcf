//! Issue 24: `spheres explore`'s server on 127.0.0.1:0 — its JSON is the comparison the
//! command it prints writes, the channels of each state sum to its difference, and what a
//! client gets wrong is a 400 that says what was expected.

mod common;

use common::{TempDir, spheres, stderr};
use serde_json::Value;
use spheres::experiments::explore::{ExploreOptions, Explorer, Server};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

/// One HTTP request; the status and the body.
fn http(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut text = String::new();
    stream.read_to_string(&mut text).unwrap();
    let status = text[9..12].parse().unwrap();
    let (_, body) = text.split_once("\r\n\r\n").unwrap();
    (status, body.to_string())
}

fn post(addr: SocketAddr, body: &str) -> (u16, Value) {
    let (status, text) = http(addr, "POST", "/api/compare", body);
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// A comparison.csv cell of (scenario, state, indicator, column) as a number.
fn cell(csv: &str, key: [&str; 3], column: &str) -> f64 {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = header.iter().position(|h| *h == column).unwrap();
    let row = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|r| r[..3] == key)
        .unwrap_or_else(|| panic!("no row {key:?}"));
    row[at].parse().unwrap()
}

#[test]
fn the_server_answers_what_the_command_writes_and_refuses_bad_requests() {
    let explorer = Explorer::new(ExploreOptions {
        baseline: "nobody-steps-in".into(),
        variant: "eu-steps-in".into(),
        citizens: false,
        threads: Some(2),
        out: std::env::temp_dir(),
    })
    .unwrap();
    let server = Server::bind(explorer, "127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = server.addr().unwrap();
    assert!(addr.ip().is_loopback() && addr.port() != 0);
    let serving = std::thread::spawn(move || server.run());
    sliders_come_from_both_scenarios(addr);
    answers_are_the_commands(addr);
    bad_requests_say_what_was_expected(addr);
    a_newer_request_stops_the_running_one(addr);
    spheres::experiments::request_stop();
    serving.join().unwrap().unwrap();
}

fn sliders_come_from_both_scenarios(addr: SocketAddr) {
    let (status, levers) = http(addr, "GET", "/api/levers", "");
    assert_eq!(status, 200);
    let levers: Value = serde_json::from_str(&levers).unwrap();
    let paths: Vec<String> = (levers["sliders"].as_array().unwrap().iter())
        .map(|s| {
            format!(
                "{}:{}",
                s["side"].as_str().unwrap(),
                s["path"].as_str().unwrap()
            )
        })
        .collect();
    for want in [
        "variant:policy.eu.budget.aid",
        "baseline:policy.eu.budget.aid",
        "variant:policy.rus.budget.information",
        "variant:policy.eu.from",
    ] {
        assert!(
            paths.iter().any(|p| p == want),
            "no slider {want}: {paths:?}"
        );
    }
    let (status, page) = http(addr, "GET", "/", "");
    assert!(status == 200 && page.contains("/api/compare"));
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "the page names no other host"
    );
}

/// The answer's numbers are those of comparison.csv written by the command it prints, and each
/// state's channels sum to its difference.
fn answers_are_the_commands(addr: SocketAddr) {
    let body = r#"{"runs": 100, "seed": 7, "baseline": {"policy.eu.budget.aid": 800}, "variant": {"policy.rus.budget.information": 60, "policy.eu.from": 24}}"#;
    let (status, answer) = post(addr, body);
    assert_eq!(status, 200, "{answer}");
    let command = answer["provenance"]["command"].as_str().unwrap();
    assert!(
        command.contains("--set policy.eu.budget.aid=800")
            && command.contains("--set-variant policy.eu.from=2027-11"),
        "{command}"
    );
    let out = TempDir::new("explore");
    let dir = out.join("cmp").display().to_string();
    let mut args: Vec<&str> = command.split(' ').skip(1).collect();
    args.extend(["--out", &dir, "--no-charts", "--quiet"]);
    let run = spheres(&args);
    assert!(run.status.success(), "{}", stderr(&run));
    let csv = std::fs::read_to_string(out.join("cmp").join("comparison.csv")).unwrap();
    let states = answer["states"].as_array().unwrap();
    assert_eq!(states[0]["code"], "SRB");
    for s in states {
        let code = s["code"].as_str().unwrap();
        let row = &s["rows"]["alignment"]["variant"];
        for column in ["diff", "effect_p05", "effect_p50", "effect_p95", "p50"] {
            let file = cell(&csv, ["eu-steps-in", code, "alignment"], column);
            assert_eq!(row[column].as_f64().unwrap(), file, "{code} {column}");
        }
        let channels: f64 = (s["channels"].as_array().unwrap().iter())
            .map(|c| c["effect"].as_f64().unwrap())
            .sum();
        let diff = row["diff"].as_f64().unwrap();
        assert!(
            (channels - diff).abs() < 1e-5,
            "{code}: channels {channels} vs {diff}"
        );
        let months = s["fan"]["variant"]["p50"].as_array().unwrap().len();
        assert_eq!(months, answer["dates"].as_array().unwrap().len());
    }
}

/// A long comparison overtaken by a newer request stops at its next block: 409, and the newer
/// one is answered.
fn a_newer_request_stops_the_running_one(addr: SocketAddr) {
    let long = std::thread::spawn(move || post(addr, r#"{"runs": 5000}"#));
    std::thread::sleep(std::time::Duration::from_millis(300));
    let (status, answer) = post(addr, r#"{"runs": 20}"#);
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = long.join().unwrap();
    assert_eq!(status, 409, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("superseded"));
}

fn bad_requests_say_what_was_expected(addr: SocketAddr) {
    for (body, says) in [
        (
            r#"{"variant": {"policy.eu.budget.aide": 1}}"#,
            "did you mean `policy.eu.budget.aid`",
        ),
        (r#"{"runs": 100000}"#, "5000"),
        (
            r#"{"variant": {"policy.eu.budget.aid": -5}}"#,
            "must be a number from 0",
        ),
        (r#"{"variant": {"policy.eu.from": 2.5}}"#, "policy.eu.from"),
        (r#"{"sead": 1}"#, "did you mean `seed`"),
        ("{", "not JSON"),
        ("[1, 2]", "JSON object"),
    ] {
        let (status, error) = post(addr, body);
        assert_eq!(status, 400, "{body}: {error}");
        let text = error["error"].as_str().unwrap();
        assert!(text.contains(says), "{body}: {text}");
    }
    assert_eq!(http(addr, "GET", "/nowhere", "").0, 404);
    assert_eq!(http(addr, "GET", "/api/compare", "").0, 405);
}

/// `--export`: one page with every lattice point inside, which names no other host; a lever
/// the variant lacks is refused with the one it could mean.
#[test]
fn export_writes_one_page_with_the_lattice() {
    let out = TempDir::new("export");
    let file = out.join("class.html").display().to_string();
    let args = ["explore", "--export", &file, "--runs", "20"];
    let run = spheres(&[&args[..], &["--lever", "policy.eu.budget.aid=0:4000:3"]].concat());
    assert!(run.status.success(), "{}", stderr(&run));
    let page = std::fs::read_to_string(&file).unwrap();
    let data = page.split("window.SPHERES_LATTICE = ").nth(1).unwrap();
    let data = data.split(";</script>").next().unwrap();
    let lattice: Value = serde_json::from_str(data).unwrap();
    assert_eq!(lattice["answers"].as_array().unwrap().len(), 3);
    let commands: Vec<&str> = (lattice["answers"].as_array().unwrap().iter())
        .map(|a| a["provenance"]["command"].as_str().unwrap())
        .collect();
    assert!(
        commands[0].contains("--set-variant policy.eu.budget.aid=0"),
        "{commands:?}"
    );
    assert!(
        !commands[1].contains("policy.eu.budget.aid"),
        "2000 is the variant's own"
    );
    assert!(!page.contains("http://") && !page.contains("https://"));

    let bad = spheres(&[&args[..], &["--lever", "policy.eu.budget.aidd=0:4000:3"]].concat());
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("did you mean `policy.eu.budget.aid`"),
        "{}",
        stderr(&bad)
    );
}

/// What the fuzz target `explore_request` checks for longer: any body, bytes or JSON-like text
/// built from the request's own words, gives a request or a 400's reason, never a panic.
#[test]
fn any_body_gives_a_request_or_a_reason() {
    use proptest::prelude::*;
    let explorer = Explorer::new(ExploreOptions {
        baseline: "nobody-steps-in".into(),
        variant: "eu-steps-in".into(),
        citizens: false,
        threads: Some(1),
        out: std::env::temp_dir(),
    })
    .unwrap();
    let words = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "\"runs\"",
        "\"seed\"",
        "\"worlds\"",
        "\"variant\"",
        "\"baseline\"",
        "\"policy.eu.budget.aid\"",
        "\"policy.eu.from\"",
        "0",
        "-1",
        "1e308",
        "24",
        "5000",
        "18446744073709551616",
        "true",
        "null",
        "\"x\"",
        "2.5",
    ]);
    let json_like = prop::collection::vec(words, 0..24).prop_map(|w| w.concat().into_bytes());
    let body = prop_oneof![prop::collection::vec(any::<u8>(), 0..256), json_like];
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(2000));
    runner
        .run(&body, |bytes| {
            if let Ok(r) = explorer.request(&bytes) {
                prop_assert!((10..=5000).contains(&r.runs));
                prop_assert!(explorer.command(&r).starts_with("spheres compare "));
            }
            Ok(())
        })
        .unwrap();
}
