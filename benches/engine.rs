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

/// The Balkans with the aggregate public opinion (`people_per_agent = 0`): the state-level
/// model whose target is 10,000 runs per second on two threads.
fn aggregate_balkans() -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "spheres-bench-aggregate-{}.toml",
        std::process::id()
    ));
    let base = std::fs::canonicalize("scenarios/balkans.toml").expect("run from the crate folder");
    let text = format!(
        "extends = {:?}\n[population]\npeople_per_agent = 0\n",
        base.display().to_string()
    );
    std::fs::write(&path, text).expect("the temporary folder is writable");
    path
}

fn ensemble(bencher: divan::Bencher, threads: usize) {
    let out = std::env::temp_dir().join(format!("spheres-bench-{}-{threads}", std::process::id()));
    let scenario = aggregate_balkans();
    let opts = RunOptions {
        scenario: scenario.display().to_string(),
        ensemble: Ensemble {
            runs: Some(RUNS),
            seed: Some(1),
            threads: Some(threads),
            out: Some(out.clone()),
            force: true,
            quiet: true,
            no_charts: true,
            yes: true,
            terminal: None,
            command_line: "bench".into(),
            ..Ensemble::default()
        },
        summary_only: true,
        trajectories: 0,
    };
    bencher
        .counter(divan::counter::ItemsCount::new(RUNS))
        .bench(|| run(&opts).expect("the run succeeds"));
    let _ = std::fs::remove_dir_all(out);
    let _ = std::fs::remove_file(scenario);
}

/// Runs of the aggregate Balkans scenario per second on one thread (items/s in divan's output).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn balkans_runs_1_thread(bencher: divan::Bencher) {
    ensemble(bencher, 1);
}

/// Runs of the aggregate Balkans scenario per second on two threads.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn balkans_runs_2_threads(bencher: divan::Bencher) {
    ensemble(bencher, 2);
}

/// Months per sample of the citizen kernel.
const KERNEL_MONTHS: usize = 12;

/// The Balkans compiled, with citizens.
fn balkans_with_citizens() -> spheres::model::Model {
    let s = scenario::load("scenarios/balkans.toml").expect("valid");
    let model = spheres::model::Model::compile(&s).expect("valid");
    assert!(model.citizen_layout.is_some(), "the Balkans have citizens");
    model
}

/// Citizen-updates per second on one thread: one update is one citizen's month (exposure,
/// an encounter, grievance, protest, and the state's readings), over the Balkans' citizens.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn citizen_updates(bencher: divan::Bencher) {
    use spheres::engine::rng;
    use spheres::engine::step::Workspace;
    use spheres::model::citizens;
    use spheres::model::indicators::Layout;
    let model = balkans_with_citizens();
    let pop = model.citizen_layout.as_ref().expect("citizens");
    let mut ws = Workspace::new(&model, &Layout::new(&model));
    let mut rng = rng::stream(1, 0);
    let citizens = ws.world.citizens.as_mut().expect("citizens");
    citizens.reset(&model, pop, &mut rng);
    bencher
        .counter(divan::counter::ItemsCount::new(
            pop.citizens() * KERNEL_MONTHS,
        ))
        .bench_local(|| {
            for _ in 0..KERNEL_MONTHS {
                citizens::step(&model, pop, &mut ws.world, &mut rng);
            }
        });
}

/// The floor of the citizen kernel: the same random words and the same memory traffic
/// (the citizen's attributes read, its opinion and grievance written, a random partner's
/// opinion read and written) with none of the logic.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn citizen_floor(bencher: divan::Bencher) {
    use rand::Rng;
    use spheres::engine::rng;
    let model = balkans_with_citizens();
    let pop = model.citizen_layout.as_ref().expect("citizens");
    let n = pop.citizens();
    let (mut opinion, opinion0, media, mut grievance) = (
        vec![0.1f32; n],
        vec![0.2f32; n],
        vec![0.3f32; n],
        vec![0.4f32; n],
    );
    let mut rng = rng::stream(1, 0);
    bencher
        .counter(divan::counter::ItemsCount::new(n * KERNEL_MONTHS))
        .bench_local(|| {
            for _ in 0..KERNEL_MONTHS {
                for c in 0..n {
                    let word = rng.next_u64();
                    let j = (((word & 0xffff_ffff) * n as u64) >> 32) as usize;
                    let (a, b) = (opinion[c], opinion[j]);
                    opinion[c] = b + opinion0[c] * pop.orthodox[c];
                    opinion[j] = a + media[c];
                    grievance[c] += media[c];
                }
                // The readings pass over every citizen.
                divan::black_box(
                    opinion
                        .iter()
                        .zip(&grievance)
                        .map(|(o, g)| o + g)
                        .sum::<f32>(),
                );
            }
        });
    divan::black_box((opinion, grievance));
}

/// The aggregate Balkans compiled.
fn aggregate_model() -> spheres::model::Model {
    let path = aggregate_balkans();
    let s = scenario::load(path.to_str().expect("a UTF-8 path")).expect("valid");
    let _ = std::fs::remove_file(&path);
    spheres::model::Model::compile(&s).expect("valid")
}

/// Runs per sample of the state-level kernel.
const KERNEL_RUNS: u64 = 200;

/// State-months per second of the bare state-level kernel on one thread: runs of the aggregate
/// Balkans month by month (levers, public, governments, events, mechanisms, each month's row
/// recorded and checked) with nothing kept — no summary, no files.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn state_months(bencher: divan::Bencher) {
    use spheres::engine::step::{Workspace, simulate};
    use spheres::model::indicators::Layout;
    let model = aggregate_model();
    let mut ws = Workspace::new(&model, &Layout::new(&model));
    let items = KERNEL_RUNS as usize * model.months as usize * model.n;
    bencher
        .counter(divan::counter::ItemsCount::new(items))
        .bench_local(|| {
            for run in 0..KERNEL_RUNS {
                simulate(&model, 1, run, &mut ws, &mut |_, row| {
                    divan::black_box(row);
                })
                .expect("the run stays in range");
            }
        });
}

/// The floor of the state-level kernel in plain Rust, on the same states and months: each
/// state-month draws the same five ChaCha8 words (two normals by the inverse CDF), moves eight
/// lever stocks toward their spending, sums their pulls and three neighbours', and takes a
/// Friedkin–Johnsen step for the government and its public — the arithmetic of the update with
/// none of the model's bookkeeping (schedules, mechanisms, events, the row recorded).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn state_floor(bencher: divan::Bencher) {
    use rand::Rng;
    use spheres::distributions::standard_normal;
    let model = aggregate_model();
    let (n, levers, months) = (model.n, 8usize, model.months as usize);
    let mut stock = vec![0.3f64; n * levers];
    let spend: Vec<f64> = (0..n * levers).map(|k| (k % 7) as f64 / 7.0).collect();
    let pull: Vec<f64> = (0..levers).map(|l| 0.05 + 0.01 * l as f64).collect();
    let (mut x, mut next, mut public) = (vec![0.1f64; n], vec![0.0f64; n], vec![0.2f64; n]);
    let unit = |w: u64| ((w >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    let items = KERNEL_RUNS as usize * months * n;
    bencher
        .counter(divan::counter::ItemsCount::new(items))
        .bench_local(|| {
            for run in 0..KERNEL_RUNS {
                // Each run starts afresh, as the kernel's do.
                stock.fill(0.3);
                x.fill(0.1);
                public.fill(0.2);
                let mut rng = spheres::engine::rng::stream(1, run);
                for _ in 0..months {
                    for i in 0..n {
                        let (e, o) = (
                            standard_normal(unit(rng.next_u64())),
                            standard_normal(unit(rng.next_u64())),
                        );
                        divan::black_box([rng.next_u64(), rng.next_u64(), rng.next_u64()]);
                        let (mut moscow, mut west) = (0.0, 0.0);
                        for l in 0..levers {
                            let s = &mut stock[i * levers + l];
                            *s += 0.03 * (spend[i * levers + l] - *s);
                            let p = pull[l] * *s;
                            if l % 2 == 0 { moscow += p } else { west += p }
                        }
                        let near = (x[(i + 1) % n] + x[(i + 2) % n] + x[(i + n - 1) % n]) / 3.0;
                        let total = moscow + west + 0.1 + 0.15 + 0.2 + 1.0;
                        let pulled =
                            (moscow - west + 0.1 * 0.05 + 0.15 * near + 0.2 * public[i] + x[i])
                                / total;
                        next[i] = (0.9 * pulled + 0.1 * 0.05 + 0.01 * e).clamp(-1.0, 1.0);
                        public[i] = (0.95 * public[i] + 0.05 * x[i] + 0.01 * o).clamp(-1.0, 1.0);
                    }
                    std::mem::swap(&mut x, &mut next);
                }
            }
        });
    divan::black_box((x, public, stock));
}
