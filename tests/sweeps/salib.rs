//! The SALib-like `sample` and `analyze` commands.

use crate::common::{TempDir, assert_refused, spheres, stderr};

#[test]
fn sample_and_analyze_recover_the_ishigami_indices() {
    let tmp = TempDir::new("salib");
    let params = tmp.join("params.txt");
    std::fs::write(&params, "# Ishigami\nx1 -3.141592653589793 3.141592653589793\nx2 -3.141592653589793 3.141592653589793\nx3 -3.141592653589793 3.141592653589793\n").unwrap();
    let out = spheres(&[
        "sample",
        "sobol",
        "--params",
        params.to_str().unwrap(),
        "--n",
        "4096",
        "--seed",
        "5",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let samples = tmp.join("x.csv");
    std::fs::write(&samples, &out.stdout).unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut y = String::from("f\n");
    for line in text.lines().skip(1) {
        let x: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
        y += &format!(
            "{}\n",
            x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
        );
    }
    let outputs = tmp.join("y.csv");
    std::fs::write(&outputs, y).unwrap();
    let out = spheres(&[
        "analyze",
        "sobol",
        "--params",
        params.to_str().unwrap(),
        "--samples",
        samples.to_str().unwrap(),
        "--outputs",
        outputs.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.starts_with("output,parameter,S1,S1_conf,ST,ST_conf\n"));
    let st: Vec<f64> = table
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(4).unwrap().parse().unwrap())
        .collect();
    for (got, want) in st.iter().zip([0.557589, 0.442411, 0.243684]) {
        assert!((got - want).abs() <= 0.06, "ST {got} vs {want}");
    }
    let bad = spheres(&[
        "analyze",
        "sobol",
        "--params",
        params.to_str().unwrap(),
        "--samples",
        samples.to_str().unwrap(),
        "--outputs",
        params.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

/// Issue 13: `sample --n` past what memory holds aborted or panicked (capacity overflow).
#[test]
fn a_sample_too_big_is_refused_before_it_is_built() {
    let tmp = TempDir::new("sample-size");
    let params = tmp.join("p.txt");
    std::fs::write(&params, "x1 0 1\nx2 0 1\n").unwrap();
    for n in ["1000000000", "18446744073709551615"] {
        let out = spheres(&[
            "sample",
            "lhs",
            "--n",
            n,
            "--params",
            params.to_str().unwrap(),
        ]);
        assert_refused(&out, "at most 50000000 are supported");
    }
}

/// Issue 15: `analyze` offered `lhs`, which has no estimator.
#[test]
fn analyze_offers_only_the_methods_it_estimates() {
    let out = spheres(&[
        "analyze",
        "lhs",
        "--params",
        "p",
        "--samples",
        "x",
        "--outputs",
        "y",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("invalid value 'lhs'")
            && stderr(&out).contains("expected one of sobol, morris")
            && !stderr(&out).contains("morris, lhs"),
        "{}",
        stderr(&out)
    );
    let help = spheres(&["analyze", "--help"]);
    assert!(!String::from_utf8_lossy(&help.stdout).contains("lhs"));
    let out = spheres(&["sample", "lhs", "--params", "p", "--n", "2"]);
    assert!(
        !stderr(&out).contains("invalid value"),
        "sample still takes lhs"
    );
}
