//! `spheres compare`: a baseline and its variants run on common random numbers — run i of
//! every scenario draws from stream i — so that the difference a policy makes is measured run
//! by run, free of most of the simulation's noise.

use super::driver::{Compiled, Folder, Job};
use super::{Ensemble, Tell, Terminal, moments, write_resolved, write_summary};
use crate::engine::step::{Workspace, simulate};
use crate::error::{Error, Result};
use crate::output::manifest::{self, Experiment, Manifest};
use crate::output::{self, AtomicFile};
use crate::scenario::Scenario;
use crate::statistics::{Differences, Scale, Summary, t95, wilson};
use std::path::PathBuf;

/// What `spheres compare` was asked to do.
#[derive(Clone, Debug)]
pub struct CompareOptions {
    /// The baseline scenario (file or bundled name).
    pub baseline: String,
    /// One or more variants, each compared with the baseline.
    pub variants: Vec<String>,
    /// Runs and seed default to the baseline's.
    pub ensemble: Ensemble,
}

/// What a finished comparison wrote.
#[derive(Clone, Debug)]
pub struct CompareReport {
    /// The output folder.
    pub dir: PathBuf,
    /// Runs of each scenario.
    pub runs: u64,
    /// The master seed.
    pub seed: u64,
    /// Wall time, seconds.
    pub wall_seconds: f64,
    /// Median over indicators of (independent-seed half-width) / (paired half-width).
    pub median_narrowing: Option<f64>,
    /// Variants that do not start from the baseline's world, and how (told on stderr before
    /// the runs, and kept in the manifest).
    pub start_notes: Vec<String>,
}

pub(super) struct Arm {
    pub unit: Compiled,
    /// For each cell of this arm, the baseline's cell with the same unit and indicator.
    pub to_baseline: Vec<Option<usize>>,
    pub folder: String,
}

struct Worker {
    spaces: Vec<Workspace>,
    summaries: Vec<Summary>,
    /// One per variant (arm 1..), over the variant's cells matched to the baseline.
    differences: Vec<Differences>,
}

/// Runs every scenario on common random numbers and writes comparison.csv, each scenario's
/// summary.csv and resolved scenario in a subfolder, and manifest.json.
pub fn compare(opts: &CompareOptions) -> Result<CompareReport> {
    if opts.variants.is_empty() {
        return Err(Error::Input(
            "compare needs a baseline and at least one variant".into(),
        ));
    }
    let mut scenarios = Vec::new();
    for name in std::iter::once(&opts.baseline).chain(&opts.variants) {
        scenarios.push((
            name.clone(),
            super::load(name, &opts.ensemble.sets, opts.ensemble.terminal())?,
        ));
    }
    let Paired {
        arms,
        summaries,
        differences,
        job,
        start_notes,
    } = run_arms(scenarios, &opts.ensemble, "compare")?;
    let (dir, runs, seed) = (job.dir()?.clone(), job.resolved.runs, job.resolved.seed);
    let (start, months) = (
        arms[0].unit.scenario.scenario.start,
        arms[0].unit.scenario.scenario.months,
    );
    let mut compared = Vec::new();
    for (arm, summary) in arms.iter().zip(&summaries) {
        let sub = dir.join(&arm.folder);
        std::fs::create_dir_all(&sub).map_err(|e| Error::io(&sub, e))?;
        write_summary(&sub, start, &arm.unit.layout, summary)?;
        let sha = write_resolved(&sub, &arm.unit.scenario)?;
        compared.push(manifest::Compared {
            name: arm.unit.scenario.scenario.name.clone(),
            folder: arm.folder.clone(),
            scenario_sha256: sha,
        });
    }
    let narrowing = write_comparison(&dir, &arms, &summaries, &differences, runs)?;
    let median_narrowing = median(narrowing.clone());
    let wall_seconds = job.wall_seconds();
    job.finish(Manifest::new(
            Experiment::Compare(manifest::Compare {
                baseline: arms[0].unit.scenario.scenario.name.clone(),
                scenarios: compared,
                months,
                start: start.to_string(),
                threads: job.resolved.threads,
                start_differs: start_notes.clone(),
                wall_seconds,
                common_random_numbers: "run i of every scenario draws from stream i of the seed"
                    .into(),
                pairing: manifest::Pairing {
                    what: "independent-seed 95% half-width / paired 95% half-width of the difference at the horizon, over indicators whose difference varies".into(),
                    indicators: narrowing.len(),
                    median: median_narrowing,
                    min: narrowing.iter().cloned().reduce(f64::min),
                    max: narrowing.iter().cloned().reduce(f64::max),
                },
            }),
            seed,
            runs,
            &opts.ensemble.command_line,
            super::files(&[
                "comparison.csv",
                "<scenario>/summary.csv",
                "<scenario>/scenario.resolved.toml",
            ]),
        ))?;
    Ok(CompareReport {
        dir,
        runs,
        seed,
        wall_seconds,
        median_narrowing,
        start_notes,
    })
}

/// The scenarios compiled as arms (the first the baseline): same horizon, each cell matched to
/// the baseline's, a subfolder name each; and a note for each variant that does not start from
/// the baseline's world.
fn arms(
    scenarios: Vec<(String, Scenario)>,
    terminal: &dyn Terminal,
) -> Result<(Vec<Arm>, Vec<String>)> {
    let mut arms: Vec<Arm> = Vec::new();
    let mut labels = Vec::new();
    for (label, scenario) in scenarios {
        labels.push(label);
        arms.push(Arm {
            unit: Compiled::new(scenario)?,
            to_baseline: Vec::new(),
            folder: String::new(),
        });
    }
    let (start, months) = (
        arms[0].unit.scenario.scenario.start,
        arms[0].unit.scenario.scenario.months,
    );
    let mut start_notes = Vec::new();
    for (k, arm) in arms.iter().enumerate().skip(1) {
        let m = &arm.unit.scenario.scenario;
        if (m.start, m.months) != (start, months) {
            return Err(Error::Input(format!(
                "{}: runs {} months from {}, but the baseline runs {months} months from {start}; \
                 compared scenarios need the same horizon",
                labels[k], m.months, m.start
            )));
        }
        let base = &arms[0].unit.scenario;
        if let Some(warning) = public_differs(&labels[0], base, &labels[k], &arm.unit.scenario) {
            terminal.tell(Tell::Warning, &warning);
            start_notes.push(warning);
        } else if let Some(how) = arms[0].unit.model.start_differs(&arm.unit.model) {
            let text = format!(
                "{} does not start from the baseline's world ({how}); if it should differ only in what powers do from the start, change their budgets with [[policy]] rather than [[power]] budget (docs/SCENARIOS.md)",
                labels[k]
            );
            terminal.tell(Tell::Note, &text);
            start_notes.push(text);
        }
    }
    let baseline_cells = arms[0].unit.layout.cells.clone();
    let mut used = std::collections::HashSet::new();
    for arm in &mut arms {
        arm.to_baseline = arm
            .unit
            .layout
            .cells
            .iter()
            .map(|(u, i, _)| {
                baseline_cells
                    .iter()
                    .position(|(bu, bi, _)| bu == u && bi == i)
            })
            .collect();
        let mut folder = arm.unit.scenario.scenario.name.clone();
        let mut k = 2;
        while !used.insert(folder.clone()) {
            folder = format!("{}-{k}", arm.unit.scenario.scenario.name);
            k += 1;
        }
        arm.folder = folder;
    }
    Ok((arms, start_notes))
}

/// Scenarios run on common random numbers, with each one's summary and each variant's paired
/// differences from the first (the baseline), in a prepared output folder.
pub(super) struct Paired<'a> {
    pub arms: Vec<Arm>,
    pub summaries: Vec<Summary>,
    pub differences: Vec<Differences>,
    /// The job, past its checks, with its folder.
    pub job: Job<'a>,
    /// Variants that do not start from the baseline's world, and how.
    pub start_notes: Vec<String>,
}

/// Compiles `scenarios` (label, scenario; the first is the baseline), checks them, prepares the
/// folder `<kind>-<baseline>` and runs them on common random numbers.
pub(super) fn run_arms<'a>(
    scenarios: Vec<(String, Scenario)>,
    ensemble: &'a Ensemble,
    kind: &str,
) -> Result<Paired<'a>> {
    let (arms, start_notes) = arms(scenarios, ensemble.terminal())?;
    let r = ensemble.resolve(&arms[0].unit.scenario)?;
    let folder = Folder::New(format!("{kind}-{}", arms[0].unit.scenario.scenario.name));
    let names: Vec<&str> = arms
        .iter()
        .map(|a| a.unit.scenario.scenario.name.as_str())
        .collect();
    let label = super::Label {
        text: match kind {
            "compare" => format!("compare: {} vs {}", names[0], names[1..].join(", ")),
            _ => format!("{kind} {}", names[0]),
        },
        unit: "runs",
    };
    let job = Job::start(ensemble, &arms[0].unit, arms.len(), r, folder, label)?;
    let rows = arms[0].unit.model.months as usize + 1;
    let workers = job.run(
        r.runs,
        || Worker {
            spaces: arms
                .iter()
                .map(|a| Workspace::new(&a.unit.model, &a.unit.layout))
                .collect(),
            summaries: arms
                .iter()
                .map(|a| Summary::new(a.unit.layout.scales(), rows))
                .collect(),
            differences: arms[1..]
                .iter()
                .map(|a| Differences::new(matched(a).count()))
                .collect(),
        },
        |w, block| {
            for run in block {
                for (k, arm) in arms.iter().enumerate() {
                    let summary = &mut w.summaries[k];
                    simulate(
                        &arm.unit.model,
                        r.seed,
                        run,
                        &mut w.spaces[k],
                        &mut |m, row| summary.add_row(m, row),
                    )
                    .map_err(|v| Error::Internal(v.describe(&arm.unit.model, &arm.unit.layout)))?;
                    summary.end_run();
                }
                if let Some((base, rest)) = w.spaces.split_first() {
                    for (v, arm) in arms[1..].iter().enumerate() {
                        let row = &rest[v].row;
                        w.differences[v].add(matched(arm).map(|(c, b)| row[c] - base.row[b]));
                    }
                }
            }
            Ok(())
        },
        |done: Result<()>| done,
    )?;

    let mut summaries: Vec<Summary> = arms
        .iter()
        .map(|a| Summary::new(a.unit.layout.scales(), rows))
        .collect();
    let mut differences: Vec<Differences> = arms[1..]
        .iter()
        .map(|a| Differences::new(matched(a).count()))
        .collect();
    for w in &workers {
        for (total, part) in summaries.iter_mut().zip(&w.summaries) {
            total.merge(part);
        }
        for (total, part) in differences.iter_mut().zip(&w.differences) {
            total.merge(part);
        }
    }
    Ok(Paired {
        arms,
        summaries,
        differences,
        job,
        start_notes,
    })
}

/// A warning when one scenario has citizen agents and the other an aggregate public opinion:
/// their differences then mix what the policies do with what the two models of the public do.
fn public_differs(
    base_label: &str,
    base: &Scenario,
    label: &str,
    other: &Scenario,
) -> Option<String> {
    let public = |s: &Scenario| {
        let k = s.population.people_per_agent;
        if k > 0.0 {
            format!(
                "{:.0} citizen agents ([population] people_per_agent = {k})",
                s.citizens()
            )
        } else {
            "an aggregate public opinion ([population] people_per_agent = 0)".to_string()
        }
    };
    let (a, b) = (
        base.population.people_per_agent,
        other.population.people_per_agent,
    );
    ((a > 0.0) != (b > 0.0)).then(|| {
        format!(
            "{label} has {}, but the baseline {base_label} has {}: their differences mix what the scenarios do with two models of the public. Compare scenarios of one kind (for instance with --set population.people_per_agent=0 for both)",
            public(other),
            public(base)
        )
    })
}

/// (variant cell, baseline cell) pairs, in variant cell order.
pub(super) fn matched(arm: &Arm) -> impl Iterator<Item = (usize, usize)> + '_ {
    arm.to_baseline
        .iter()
        .enumerate()
        .filter_map(|(c, b)| b.map(|b| (c, b)))
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    })
}

/// Writes comparison.csv (the horizon, one row per scenario, unit and indicator) and returns
/// the pairing narrowing of every variant indicator whose paired difference varies.
fn write_comparison(
    dir: &std::path::Path,
    arms: &[Arm],
    summaries: &[Summary],
    differences: &[Differences],
    runs: u64,
) -> Result<Vec<f64>> {
    let last = summaries[0].rows() - 1;
    let n = runs as f64;
    let t = t95(runs.saturating_sub(1));
    let mut narrowing = Vec::new();
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(output::columns::line(&output::columns::COMPARISON).into_bytes());
    let blank = String::new;
    for (k, (arm, summary)) in arms.iter().zip(summaries).enumerate() {
        let mut matched_index = 0;
        for (cell, (unit, indicator, scale)) in arm.unit.layout.cells.iter().enumerate() {
            let m = moments(summary, last, cell)?;
            let mut record = vec![
                arm.folder.clone(),
                unit.clone(),
                indicator.to_string(),
                output::number(m.mean),
                output::number(m.sd),
            ];
            record.extend(m.quantiles.iter().map(|&q| output::number(q)));
            let baseline_cell = arm.to_baseline[cell];
            match (k, baseline_cell) {
                (0, _) | (_, None) => record.extend([blank(), blank(), blank(), blank()]),
                (_, Some(b)) => {
                    let (mean, sd) = differences[k - 1].mean_sd(matched_index);
                    matched_index += 1;
                    let half = t * sd / n.sqrt();
                    let base_sd = moments(&summaries[0], last, b)?.sd;
                    let independent = t * ((base_sd * base_sd + m.sd * m.sd) / n).sqrt();
                    let ratio = if half > 0.0 {
                        Some(independent / half)
                    } else {
                        None
                    };
                    if let Some(x) = ratio {
                        narrowing.push(x);
                    }
                    record.extend([
                        output::number(mean),
                        output::number(mean - half),
                        output::number(mean + half),
                        ratio.map(output::number).unwrap_or_default(),
                    ]);
                }
            }
            if *scale == Scale::Binary {
                let successes = (m.mean * n).round() as u64;
                let (lo, hi) = wilson(successes, runs);
                record.extend([
                    output::number(m.mean),
                    output::number(lo),
                    output::number(hi),
                ]);
            } else {
                record.extend([blank(), blank(), blank()]);
            }
            w.write_record(&record)?;
        }
    }
    AtomicFile::write(dir, "comparison.csv", &w.into_inner()?)?;
    Ok(narrowing)
}
