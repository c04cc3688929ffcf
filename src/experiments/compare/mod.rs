//! `spheres compare`: a baseline and its variants run on common random numbers — run i of
//! every scenario draws from stream i — so that the difference a policy makes is measured run
//! by run, free of most of the simulation's noise. `arms.rs` compiles and checks the scenarios,
//! `tally.rs` keeps what their runs give (and streams draws.csv), `write.rs` writes
//! comparison.csv.

mod channel_tally;
mod differs;
mod scenarios;
mod tally;
mod write;

use crate::experiments::KeptMonths;
pub(super) use scenarios::{Arm, matched};
use scenarios::{Input, arms, priors_differ};

use super::draws::Draws;
use super::driver::{Folder, Job};
use super::{Ensemble, write_resolved, write_summary};
use crate::error::{Error, Result};
use crate::output::manifest::{self, Experiment, Manifest};
use crate::scenario::Setting;
use crate::statistics::{Differences, Summary};
use std::path::{Path, PathBuf};
use tally::{CompareTally, Spreads};

/// What `spheres compare` was asked to do.
#[derive(Clone, Debug)]
pub struct CompareOptions {
    /// The baseline scenario (file or bundled name).
    pub baseline: String,
    /// Variants, each compared with the baseline; none with `variant_sets`: the baseline
    /// with those settings.
    pub variants: Vec<String>,
    /// Settings of the variants only (`--set-variant`), after the ensemble's `sets`.
    pub variant_sets: Vec<Setting>,
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

/// Runs every scenario on common random numbers and writes comparison.csv, each scenario's
/// summary.csv and resolved scenario in a subfolder, and manifest.json.
pub fn compare(opts: &CompareOptions) -> Result<CompareReport> {
    let scenarios = load(opts)?;
    let changes = differs::tell(&scenarios, opts.ensemble.terminal())?;
    // Every run sums its channels: why each variant moves each state (channels.csv).
    let ensemble = Ensemble {
        channels: true,
        ..opts.ensemble.clone()
    };
    let paired = run_arms(scenarios, &ensemble, "compare")?;
    let job = &paired.job;
    let (dir, runs, seed) = (job.dir()?.clone(), job.spec.runs, job.spec.seed);
    let compared = write_arms(&dir, &paired, changes)?;
    let narrowing = write::write_comparison(
        &dir,
        &paired.arms,
        &paired.summaries,
        &paired.differences,
        paired.spreads.as_ref(),
        runs,
    )?;
    if paired.draws.varies() {
        super::robust::write(&dir, paired.arms[0].unit.scenario.uncertain.len())?;
    }
    if let Some(channels) = &paired.channels {
        channels.write(&dir, &paired.arms, runs)?;
    }
    let wall_seconds = job.wall_seconds();
    let experiment = experiment(&paired, compared, &narrowing, wall_seconds);
    job.finish(Manifest::new(
        experiment,
        seed,
        runs,
        &opts.ensemble.command_line,
        super::files(&written(paired.draws.varies())),
    ))?;
    Ok(CompareReport {
        dir,
        runs,
        seed,
        wall_seconds,
        median_narrowing: write::median(narrowing),
        start_notes: paired.start_notes,
    })
}

/// The baseline (with `--set`) and the variants (with `--set`, then `--set-variant` over it,
/// which wins where both set a key and is relative to it); without variants, the baseline as a
/// variant named `<baseline>-what-if`.
fn load(opts: &CompareOptions) -> Result<Vec<Input>> {
    if opts.variants.is_empty() && opts.variant_sets.is_empty() {
        return Err(Error::Input(
            "compare needs a baseline and at least one variant, or --set-variant PATH=VALUE to make one from the baseline".into(),
        ));
    }
    let terminal = opts.ensemble.terminal();
    let (tree, base) = super::load_tree(&opts.baseline, &opts.ensemble.sets, terminal)?;
    refuse_drawn(opts, &base)?;
    let mut variant_sets = opts.variant_sets.clone();
    let what_if = opts.variants.is_empty();
    if what_if && variant_sets.iter().all(|s| s.path != "scenario.name") {
        let name = format!("{}-what-if", base.scenario.name);
        variant_sets.push(Setting {
            flag: "--set-variant",
            path: "scenario.name".into(),
            value: format!("{:?}", name.chars().take(64).collect::<String>()),
        });
    }
    let mut scenarios = vec![(opts.baseline.clone(), Some(tree.clone()), base)];
    let trees = match what_if {
        true => vec![(opts.baseline.clone(), tree)],
        false => (opts.variants.iter())
            .map(|name| {
                Ok((
                    name.clone(),
                    super::load_tree(name, &opts.ensemble.sets, terminal)?.0,
                ))
            })
            .collect::<Result<_>>()?,
    };
    for (name, tree) in trees {
        let (tree, mut scenario) = super::set_on(tree, &variant_sets, terminal)?;
        // A number --set fixes in every scenario is drawn in none.
        (scenario.uncertain).retain(|u| opts.ensemble.sets.iter().all(|s| s.path != u.path));
        scenarios.push((name, Some(tree), scenario));
    }
    Ok(scenarios)
}

/// Refuses `--set-variant` on a number the baseline draws from a prior: fixed in the variant
/// alone, the prior's spread would enter the difference.
fn refuse_drawn(opts: &CompareOptions, base: &crate::scenario::Scenario) -> Result<()> {
    let drawn = |path: &str| !opts.ensemble.fixed && base.uncertain.iter().any(|u| u.path == path);
    match opts.variant_sets.iter().find(|s| drawn(&s.path)) {
        Some(s) => Err(Error::Input(format!(
            "{s}: {} is drawn from a prior in every plausible world of {}; set in the variant alone, the prior's spread would enter the difference. Set it in every scenario with --set, or run today's coefficients with --fixed",
            s.path, base.scenario.name
        ))),
        None => Ok(()),
    }
}

/// Writes each scenario's subfolder (summary.csv, indicators.csv, its resolved scenario) and
/// returns what the manifest says of them.
fn write_arms(
    dir: &Path,
    paired: &Paired,
    changes: Vec<Vec<String>>,
) -> Result<Vec<manifest::Compared>> {
    let start = paired.arms[0].unit.scenario.scenario.start;
    let mut compared = Vec::new();
    let arms = paired.arms.iter().zip(&paired.summaries).zip(changes);
    for (k, ((arm, summary), changes)) in arms.enumerate() {
        let sub = dir.join(&arm.folder);
        std::fs::create_dir_all(&sub).map_err(|e| Error::io(&sub, e))?;
        let spread = paired.spreads.as_ref().map(|s| &s.levels[k]);
        write_summary(&sub, start, &arm.unit.layout, summary, spread)?;
        super::write_indicators(&sub, &arm.unit.layout)?;
        let ran = super::as_ran(&arm.unit.scenario, &paired.job.spec, &paired.draws);
        let sha = write_resolved(&sub, &ran)?;
        compared.push(manifest::Compared {
            name: arm.unit.scenario.scenario.name.clone(),
            folder: arm.folder.clone(),
            scenario_sha256: sha,
            changes,
        });
    }
    Ok(compared)
}

/// The manifest's account of a comparison, with the pairing narrowing of each indicator
/// whose paired difference varies.
fn experiment(
    paired: &Paired,
    scenarios: Vec<manifest::Compared>,
    narrowing: &[f64],
    wall_seconds: f64,
) -> Experiment {
    let baseline = &paired.arms[0].unit.scenario;
    Experiment::Compare(manifest::Compare {
        baseline: baseline.scenario.name.clone(),
        scenarios,
        model: super::model_kind(&paired.arms[0].unit.model),
        months: baseline.scenario.months,
        start: baseline.scenario.start.to_string(),
        threads: paired.job.spec.threads,
        start_differs: paired.start_notes.clone(),
        wall_seconds,
        common_random_numbers: "run i of every scenario draws from stream i of the seed, and uses draw i / runs_per_draw of the parameters"
            .into(),
        parameters: paired.draws.manifest(baseline),
        pairing: manifest::Pairing {
            what: "independent-seed 95% half-width / paired 95% half-width of the difference at the horizon, over indicators whose difference varies".into(),
            indicators: narrowing.len(),
            median: write::median(narrowing.to_vec()),
            min: narrowing.iter().copied().reduce(f64::min),
            max: narrowing.iter().copied().reduce(f64::max),
        },
    })
}

/// The files a comparison writes, as its manifest lists them.
fn written(draws_vary: bool) -> Vec<&'static str> {
    let mut files = vec!["comparison.csv", "channels.csv"];
    if draws_vary {
        files.extend(["draws.csv", "robust.csv"]);
    }
    files.extend([
        "<scenario>/summary.csv",
        "<scenario>/indicators.csv",
        "<scenario>/scenario.resolved.toml",
    ]);
    files
}

/// Scenarios run on common random numbers, with each one's summary and each variant's paired
/// differences from the first (the baseline), in a prepared output folder.
pub(super) struct Paired<'a> {
    pub arms: Vec<Arm>,
    pub summaries: Vec<Summary>,
    pub differences: Vec<Differences>,
    /// With parameter draws: the spread over draws of each arm, and of each variant's effect.
    pub spreads: Option<Spreads>,
    /// Why each variant moves each state (with `Ensemble::channels`).
    pub channels: Option<channel_tally::ChannelTally>,
    pub draws: Draws,
    /// The job, past its checks, with its folder.
    pub job: Job<'a>,
    /// Variants that do not start from the baseline's world, and how.
    pub start_notes: Vec<String>,
}

/// Compiles `scenarios` (label, scenario; the first is the baseline), checks them, prepares the
/// folder `<kind>-<baseline>` and runs them on common random numbers (a lever table's arms keep
/// the horizon only: memory does not grow with its months).
pub(super) fn run_arms<'a>(
    scenarios: Vec<Input>,
    ensemble: &'a Ensemble,
    kind: &str,
) -> Result<Paired<'a>> {
    let (arms, start_notes) = arms(scenarios, ensemble.terminal())?;
    let mut r = ensemble.resolve(&arms[0].unit.scenario)?;
    let draws = Draws::resolve(ensemble, &arms[0].unit.scenario, &mut r)?;
    if draws.varies() {
        priors_differ(&arms, ensemble.terminal());
    }
    let folder = Folder::New(format!("{kind}-{}", arms[0].unit.scenario.scenario.name));
    let names: Vec<&str> = arms
        .iter()
        .map(|a| a.unit.scenario.scenario.name.as_str())
        .collect();
    let label = draws.label(match kind {
        "compare" => format!("compare: {} vs {}", names[0], names[1..].join(", ")),
        _ => format!("{kind} {}", names[0]),
    });
    let kept = match kind {
        "levers" => KeptMonths::Horizon,
        _ => KeptMonths::All,
    };
    let mut job = Job::start(
        ensemble,
        (&arms.iter().map(|a| &a.unit).collect::<Vec<_>>(), kept),
        &[],
        r,
        folder,
        label,
    )?;
    let headlines = tally::headlines(&arms);
    let CompareTally {
        summaries,
        differences,
        spreads,
        channels,
        ..
    } = tally::simulate(
        &mut job,
        &arms,
        &headlines,
        &draws,
        kept == KeptMonths::Horizon,
    )?;
    Ok(Paired {
        arms,
        summaries,
        differences,
        spreads,
        channels,
        draws,
        job,
        start_notes,
    })
}
