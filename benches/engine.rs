//! Benchmarks: scenario parse + validate, and ensemble throughput of the Balkans scenario
//! (120 months, summary output only). Run with `cargo bench --bench engine`; figures and the
//! machine are in BENCHMARKS.md.

use spheres::experiments::Ensemble;
use spheres::experiments::run::{RunOptions, run};
use spheres::scenario;

fn main() {
    divan::main();
}

#[divan::bench]
fn parse_and_validate_balkans() -> scenario::Scenario {
    scenario::load(divan::black_box("scenarios/balkans.toml"))
        .expect("the bundled scenario is valid")
}

const RUNS: u64 = 4000;

fn ensemble(bencher: divan::Bencher, threads: usize) {
    let out = std::env::temp_dir().join(format!("spheres-bench-{}-{threads}", std::process::id()));
    let opts = RunOptions {
        scenario: "scenarios/balkans.toml".into(),
        ensemble: Ensemble {
            runs: Some(RUNS),
            seed: Some(1),
            threads: Some(threads),
            out: Some(out.clone()),
            force: true,
            quiet: true,
            no_charts: true,
            command_line: "bench".into(),
        },
        summary_only: true,
        trajectories: 0,
    };
    bencher
        .counter(divan::counter::ItemsCount::new(RUNS))
        .bench(|| run(&opts).expect("the run succeeds"));
    let _ = std::fs::remove_dir_all(out);
}

/// Runs of the Balkans scenario per second on one thread (items/s in divan's output).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn balkans_runs_1_thread(bencher: divan::Bencher) {
    ensemble(bencher, 1);
}

/// Runs of the Balkans scenario per second on two threads.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn balkans_runs_2_threads(bencher: divan::Bencher) {
    ensemble(bencher, 2);
}
