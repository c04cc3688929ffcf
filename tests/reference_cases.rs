//! Reference results from the literature, reproduced through scenario files: Friedkin–Johnsen
#![allow(clippy::needless_range_loop)] // matrix code reads best with indices
//! (FJ-1..3 of the project's validation set) and the stubborn-pole equilibrium.

use spheres::engine::step::{Workspace, simulate};
use spheres::model::Model;
use spheres::model::indicators::Layout;
use spheres::scenario;

/// Final alignments of one noiseless run of a fixture.
fn equilibrium(file: &str) -> (Model, Vec<f64>) {
    let s = scenario::load(&format!("tests/fixtures/{file}")).unwrap();
    let model = Model::compile(&s).unwrap();
    let layout = Layout::new(&model);
    let mut ws = Workspace::new(&model, &layout);
    simulate(&model, 1, 0, &mut ws, &mut |_, _| {}).unwrap();
    (model, ws.world.alignment.clone())
}

/// Back to the published 0–100 scale (alignment = x / 50 − 1).
fn published(a: &[f64]) -> Vec<f64> {
    a.iter().map(|x| 50.0 * (x + 1.0)).collect()
}

/// Λ·W of a fixture, from the compiled model (so the file-to-model mapping is under test too).
fn lambda_w(model: &Model) -> Vec<Vec<f64>> {
    (0..model.n)
        .map(|i| {
            let row = model.explicit[i].as_ref().expect("fixture gives weights");
            let mut r = vec![0.0; model.n];
            for &(j, w) in &row.states {
                r[j] = model.initial.lambda[i] * w;
            }
            r
        })
        .collect()
}

/// Solves A x = b by Gaussian elimination with partial pivoting.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for c in 0..n {
        let p = (c..n)
            .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
            .unwrap();
        a.swap(c, p);
        b.swap(c, p);
        for r in c + 1..n {
            let f = a[r][c] / a[c][c];
            for k in c..n {
                a[r][k] -= f * a[c][k];
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|k| a[r][k] * x[k]).sum();
        x[r] = (b[r] - s) / a[r][r];
    }
    x
}

/// Closed form x* = (I − ΛW)^-1 (I − Λ) u.
fn closed_form(model: &Model) -> Vec<f64> {
    let lw = lambda_w(model);
    let n = model.n;
    let a: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| f64::from(i == j) - lw[i][j]).collect())
        .collect();
    let b: Vec<f64> = (0..n)
        .map(|i| (1.0 - model.initial.lambda[i]) * model.initial.alignment[i])
        .collect();
    solve(a, b)
}

#[test]
fn fj_1_parsegov_2017() {
    let (model, a) = equilibrium("fj-1.toml");
    let x = published(&a);
    let published_values = [60.0, 60.0, 75.0, 75.0];
    let closed = [60.020849, 59.983966, 75.0, 74.986205];
    for i in 0..4 {
        assert!(
            (x[i] - published_values[i]).abs() <= 0.5,
            "agent {i}: {} vs published {}",
            x[i],
            published_values[i]
        );
        assert!(
            (x[i] - closed[i]).abs() <= 1e-6,
            "agent {i}: {} vs closed form {}",
            x[i],
            closed[i]
        );
    }
    let ours = published(&closed_form(&model));
    for i in 0..4 {
        assert!(
            (ours[i] - closed[i]).abs() <= 1e-6,
            "our closed form differs at {i}"
        );
    }
}

#[test]
fn fj_2_degroot_reaches_the_stubborn_agents_opinion() {
    let (_, a) = equilibrium("fj-2.toml");
    for x in published(&a) {
        assert!((x - 75.0).abs() <= 1e-6, "{x} is not 75");
    }
}

#[test]
fn fj_3_spectral_radius_and_row_stochastic_v() {
    let (model, a) = equilibrium("fj-1.toml");
    let lw = lambda_w(&model);
    let n = model.n;
    // Power iteration on the non-negative matrix ΛW.
    let mut v = vec![1.0; n];
    let mut rho = 0.0;
    for _ in 0..10_000 {
        let w: Vec<f64> = (0..n)
            .map(|i| (0..n).map(|j| lw[i][j] * v[j]).sum())
            .collect();
        let norm = w.iter().cloned().fold(0.0, f64::max);
        rho = norm;
        v = w.iter().map(|x| x / norm).collect();
    }
    assert!((rho - 0.453818).abs() <= 1e-6, "rho(ΛW) = {rho}");
    // Each column of V = (I − ΛW)^-1 (I − Λ): V e_j solves (I − ΛW) x = (I − Λ) e_j.
    let mut row_sums = vec![0.0; n];
    for j in 0..n {
        let a_mat: Vec<Vec<f64>> = (0..n)
            .map(|i| (0..n).map(|k| f64::from(i == k) - lw[i][k]).collect())
            .collect();
        let b: Vec<f64> = (0..n)
            .map(|i| {
                if i == j {
                    1.0 - model.initial.lambda[i]
                } else {
                    0.0
                }
            })
            .collect();
        for (i, x) in solve(a_mat, b).into_iter().enumerate() {
            assert!(x >= -1e-12, "V has a negative entry");
            row_sums[i] += x;
        }
    }
    for s in row_sums {
        assert!((s - 1.0).abs() <= 1e-9, "a row of V sums to {s}");
    }
    let closed = closed_form(&model);
    for i in 0..n {
        assert!(
            (a[i] - closed[i]).abs() <= 1e-9,
            "iteration {} vs closed form {}",
            a[i],
            closed[i]
        );
    }
}

#[test]
fn stubborn_poles_give_the_harmonic_function() {
    let (_, a) = equilibrium("poles-chain.toml");
    assert!((a[0] + 1.0 / 3.0).abs() <= 1e-12, "A = {}", a[0]);
    assert!((a[1] - 1.0 / 3.0).abs() <= 1e-12, "B = {}", a[1]);
}

#[test]
fn constant_levers_make_the_model_exactly_friedkin_johnsen() {
    let (model, a) = equilibrium("levers-constant.toml");
    let p = &model.params;
    let m = model.levers[0].pull * 0.5;
    let w = p.nato_member_pull;
    let g = p.neighbour_pull;
    // a_X (m + g) − g a_Y = m ;  −g a_X + a_Y (w + g) = −w
    let expect = solve(vec![vec![m + g, -g], vec![-g, w + g]], vec![m, -w]);
    for i in 0..2 {
        assert!(
            (a[i] - expect[i]).abs() <= 1e-9,
            "state {i}: {} vs {}",
            a[i],
            expect[i]
        );
    }
}
