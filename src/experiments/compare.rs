//! `spheres compare`: a baseline and its variants run on common random numbers — run i of
//! every scenario draws from stream i — so that the difference a policy makes is measured run
//! by run, free of most of the simulation's noise.

use super::draws::Draws;
use super::driver::{Compiled, Folder, Job, RunDone, Tally};
use super::{Ensemble, Tell, Terminal, moments, write_resolved, write_summary};
use crate::error::{Error, Result};
use crate::model::indicators::Cell;
use crate::output::manifest::{self, Experiment, Manifest};
use crate::output::{self, AtomicFile};
use crate::scenario::{Scenario, Tree};
use crate::statistics::{Differences, DrawSpread, Scale, Summary, t95, wilson};
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

/// What a comparison keeps of its runs: each arm's summary, each variant's paired differences
/// over its cells matched to the baseline's, the spread over draws when they vary, and the rows
/// of draws.csv.
struct CompareTally<'a> {
    arms: &'a [Arm],
    /// Per variant, the cells draws.csv reports ([`headlines`]).
    headlines: &'a [Vec<(usize, String)>],
    summaries: Vec<Summary>,
    /// One per variant (arm 1..), over the variant's cells matched to the baseline.
    differences: Vec<Differences>,
    spreads: Option<Spreads>,
    /// A variant's effects in this run, matched cell by cell (reused).
    effect: Vec<f64>,
    /// Rows of draws.csv, one per draw of this block.
    draw_rows: csv::Writer<Vec<u8>>,
}

impl<'a> CompareTally<'a> {
    fn new(arms: &'a [Arm], headlines: &'a [Vec<(usize, String)>], draws: &Draws) -> Self {
        let rows = arms[0].unit.model.months as usize + 1;
        CompareTally {
            arms,
            headlines,
            summaries: arms
                .iter()
                .map(|a| Summary::new(a.unit.layout.scales(), rows))
                .collect(),
            differences: arms[1..]
                .iter()
                .map(|a| Differences::new(matched(a).count()))
                .collect(),
            spreads: draws
                .varies()
                .then(|| Spreads::new(arms, rows, draws.runs_per_draw)),
            effect: Vec::new(),
            draw_rows: output::csv_buffer(),
        }
    }
}

impl Tally for CompareTally<'_> {
    fn observe(&mut self, arm: usize, _: u64, month: usize, row: &[f64]) -> Result<()> {
        self.summaries[arm].add_row(month, row);
        if let Some(spreads) = self.spreads.as_mut() {
            spreads.levels[arm].add_row(month, row);
        }
        Ok(())
    }

    fn end_run(&mut self, done: &RunDone) -> Result<()> {
        for summary in &mut self.summaries {
            summary.end_run();
        }
        if let Some(spreads) = self.spreads.as_mut() {
            spreads.levels.iter_mut().for_each(DrawSpread::end_run);
        }
        let Some((base, rest)) = done.spaces.split_first() else {
            return Ok(());
        };
        for (v, arm) in self.arms[1..].iter().enumerate() {
            let row = &rest[v].row;
            self.effect.clear();
            self.effect
                .extend(matched(arm).map(|(c, b)| row[c] - base.row[b]));
            self.differences[v].add(self.effect.iter().copied());
            if let Some(spreads) = self.spreads.as_mut() {
                spreads.effects[v].add_row(0, &self.effect);
                spreads.effects[v].end_run();
            }
        }
        Ok(())
    }

    fn end_draw(&mut self, draw: u64, values: &[(String, f64)]) -> Result<()> {
        let Some(spreads) = self.spreads.as_mut() else {
            return Ok(());
        };
        let mut record = vec![draw.to_string()];
        record.extend(values.iter().map(|(_, v)| output::exact(*v)));
        for (effects, cells) in spreads.effects.iter().zip(self.headlines) {
            record.extend(
                cells
                    .iter()
                    .map(|(m, _)| output::number(effects.current_mean(0, *m))),
            );
        }
        self.draw_rows.write_record(&record)?;
        spreads.levels.iter_mut().for_each(DrawSpread::end_draw);
        spreads.effects.iter_mut().for_each(DrawSpread::end_draw);
        Ok(())
    }

    fn take_block(&mut self) -> Result<Vec<Vec<u8>>> {
        Ok(vec![output::take_csv(&mut self.draw_rows)?])
    }

    fn merge(&mut self, other: &Self) {
        for (total, part) in self.summaries.iter_mut().zip(&other.summaries) {
            total.merge(part);
        }
        for (total, part) in self.differences.iter_mut().zip(&other.differences) {
            total.merge(part);
        }
        if let (Some(total), Some(part)) = (self.spreads.as_mut(), other.spreads.as_ref()) {
            total.merge(part);
        }
    }
}

/// The spread over parameter draws of a comparison: each arm's cells (every month), and each
/// variant's paired effects at the horizon (its matched cells).
#[derive(Clone)]
pub(super) struct Spreads {
    pub levels: Vec<DrawSpread>,
    pub effects: Vec<DrawSpread>,
}

impl Spreads {
    fn new(arms: &[Arm], rows: usize, runs_per_draw: u64) -> Spreads {
        Spreads {
            levels: arms
                .iter()
                .map(|a| DrawSpread::new(a.unit.layout.ranges(), rows, runs_per_draw))
                .collect(),
            effects: arms[1..]
                .iter()
                .map(|a| {
                    let levels = a.unit.layout.ranges();
                    let ranges = matched(a)
                        .map(|(c, _)| (levels[c].0 - levels[c].1, levels[c].1 - levels[c].0))
                        .collect();
                    DrawSpread::new(ranges, 1, runs_per_draw)
                })
                .collect(),
        }
    }

    fn merge(&mut self, other: &Spreads) {
        for (a, b) in self.levels.iter_mut().zip(&other.levels) {
            a.merge(b);
        }
        for (a, b) in self.effects.iter_mut().zip(&other.effects) {
            a.merge(b);
        }
    }
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
        let (tree, scenario) =
            super::load_tree(name, &opts.ensemble.sets, opts.ensemble.terminal())?;
        scenarios.push((name.clone(), Some(tree), scenario));
    }
    let Paired {
        arms,
        summaries,
        differences,
        spreads,
        draws,
        job,
        start_notes,
    } = run_arms(scenarios, &opts.ensemble, "compare")?;
    let (dir, runs, seed) = (job.dir()?.clone(), job.resolved.runs, job.resolved.seed);
    let (start, months) = (
        arms[0].unit.scenario.scenario.start,
        arms[0].unit.scenario.scenario.months,
    );
    let mut compared = Vec::new();
    for (k, (arm, summary)) in arms.iter().zip(&summaries).enumerate() {
        let sub = dir.join(&arm.folder);
        std::fs::create_dir_all(&sub).map_err(|e| Error::io(&sub, e))?;
        let spread = spreads.as_ref().map(|s| &s.levels[k]);
        write_summary(&sub, start, &arm.unit.layout, summary, spread)?;
        super::write_indicators(&sub, &arm.unit.layout)?;
        let sha = write_resolved(&sub, &arm.unit.scenario)?;
        compared.push(manifest::Compared {
            name: arm.unit.scenario.scenario.name.clone(),
            folder: arm.folder.clone(),
            scenario_sha256: sha,
        });
    }
    let narrowing = write_comparison(
        &dir,
        &arms,
        &summaries,
        &differences,
        spreads.as_ref(),
        runs,
    )?;
    let median_narrowing = median(narrowing.clone());
    if draws.varies() {
        super::robust::write(&dir, arms[0].unit.scenario.uncertain.len())?;
    }
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
                common_random_numbers: "run i of every scenario draws from stream i of the seed, and uses draw i / runs_per_draw of the parameters"
                    .into(),
                parameters: draws.manifest(&arms[0].unit.scenario),
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
            super::files(if draws.varies() {
                &[
                    "comparison.csv",
                    "draws.csv",
                    "robust.csv",
                    "<scenario>/summary.csv",
                    "<scenario>/indicators.csv",
                    "<scenario>/scenario.resolved.toml",
                ]
            } else {
                &[
                    "comparison.csv",
                    "<scenario>/summary.csv",
                    "<scenario>/indicators.csv",
                    "<scenario>/scenario.resolved.toml",
                ]
            }),
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
fn arms(scenarios: Vec<Input>, terminal: &dyn Terminal) -> Result<(Vec<Arm>, Vec<String>)> {
    let mut arms: Vec<Arm> = Vec::new();
    let mut labels = Vec::new();
    for (label, tree, scenario) in scenarios {
        labels.push(label);
        arms.push(Arm {
            unit: match tree {
                Some(tree) => Compiled::with_tree(tree, scenario)?,
                None => Compiled::new(scenario)?,
            },
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
            .map(|c| {
                baseline_cells
                    .iter()
                    .position(|b| b.unit == c.unit && b.indicator == c.indicator)
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

/// A scenario to compare: its label, its tree (when draws of its parameters may vary it) and
/// the scenario.
pub(super) type Input = (String, Option<Tree>, Scenario);

/// Scenarios run on common random numbers, with each one's summary and each variant's paired
/// differences from the first (the baseline), in a prepared output folder.
pub(super) struct Paired<'a> {
    pub arms: Vec<Arm>,
    pub summaries: Vec<Summary>,
    pub differences: Vec<Differences>,
    /// With parameter draws: the spread over draws of each arm, and of each variant's effect.
    pub spreads: Option<Spreads>,
    pub draws: Draws,
    /// The job, past its checks, with its folder.
    pub job: Job<'a>,
    /// Variants that do not start from the baseline's world, and how.
    pub start_notes: Vec<String>,
}

/// Compiles `scenarios` (label, scenario; the first is the baseline), checks them, prepares the
/// folder `<kind>-<baseline>` and runs them on common random numbers.
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
    let mut job = Job::start(
        ensemble,
        &arms.iter().map(|a| &a.unit).collect::<Vec<_>>(),
        &[],
        r,
        folder,
        label,
    )?;
    let headlines = headlines(&arms);
    let mut draws_file = match draws.varies() {
        true => Some(open_draws(job.dir()?, &arms, &headlines)?),
        false => None,
    };
    let units: Vec<&Compiled> = arms.iter().map(|a| &a.unit).collect();
    let tally = job.simulate(
        &units,
        &draws,
        || CompareTally::new(&arms, &headlines, &draws),
        |block| {
            if let Some(f) = draws_file.as_mut() {
                f.write_all(&block[0])?;
            }
            Ok(())
        },
    )?;
    if let Some(f) = draws_file {
        f.commit()?;
    }
    let CompareTally {
        summaries,
        differences,
        spreads,
        ..
    } = tally;
    Ok(Paired {
        arms,
        summaries,
        differences,
        spreads,
        draws,
        job,
        start_notes,
    })
}

/// draws.csv, with its header: one row per draw, its parameters and each variant's effect on
/// alignment.
fn open_draws(
    dir: &std::path::Path,
    arms: &[Arm],
    headlines: &[Vec<(usize, String)>],
) -> Result<AtomicFile> {
    let mut header = vec![output::columns::DRAW.to_string()];
    header.extend(
        arms[0]
            .unit
            .scenario
            .uncertain
            .iter()
            .map(|u| u.path.clone()),
    );
    for (arm, cells) in arms[1..].iter().zip(headlines) {
        header.extend(
            cells
                .iter()
                .map(|(_, unit)| effect_column(&arm.folder, unit)),
        );
    }
    let mut f = AtomicFile::create(dir, "draws.csv")?;
    f.write_all(output::columns::line(&header).as_bytes())?;
    Ok(f)
}

/// Per variant, the matched cells draws.csv reports: each state's alignment and the region's
/// mean alignment, as (matched index, unit).
pub(super) fn headlines(arms: &[Arm]) -> Vec<Vec<(usize, String)>> {
    arms[1..]
        .iter()
        .map(|arm| {
            matched(arm)
                .enumerate()
                .filter_map(|(m, (c, _))| {
                    let cell = &arm.unit.layout.cells[c];
                    matches!(cell.indicator.as_str(), "alignment" | "mean_alignment")
                        .then(|| (m, cell.unit.clone()))
                })
                .collect()
        })
        .collect()
}

/// draws.csv's column of a variant's effect on a unit's alignment.
pub(super) fn effect_column(variant: &str, unit: &str) -> String {
    format!("{variant}/{unit}")
}

/// Warns when the compared scenarios put priors on different key paths: their draws then
/// differ in more than the policies.
fn priors_differ(arms: &[Arm], terminal: &dyn Terminal) {
    for arm in &arms[1..] {
        if arm.unit.scenario.uncertain != arms[0].unit.scenario.uncertain {
            terminal.tell(
                Tell::Warning,
                &format!(
                    "{} and the baseline {} have different [[uncertain]] priors: their draws differ in more than what the scenarios do",
                    arm.unit.scenario.scenario.name, arms[0].unit.scenario.scenario.name
                ),
            );
        }
    }
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
    spreads: Option<&Spreads>,
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
        for (
            cell,
            Cell {
                unit,
                indicator,
                scale,
            },
        ) in arm.unit.layout.cells.iter().enumerate()
        {
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
            let mut effect_across = None;
            match (k, baseline_cell) {
                (0, _) | (_, None) => record.extend([blank(), blank(), blank(), blank()]),
                (_, Some(b)) => {
                    let (mean, sd) = differences[k - 1].mean_sd(matched_index);
                    effect_across = spreads.and_then(|s| s.effects[k - 1].across(matched_index));
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
            let level = spreads.map(|s| &s.levels[k]);
            record.push(level.map(|l| l.draws().to_string()).unwrap_or_default());
            match effect_across {
                Some(e) => {
                    record.extend(e.quantiles.iter().map(|&q| output::number(q)));
                    record.extend([output::number(e.below), output::number(e.above)]);
                }
                None => record.extend([blank(), blank(), blank(), blank(), blank()]),
            }
            match level.and_then(|l| l.across(cell)) {
                Some(p) if *scale == Scale::Binary => record.extend([
                    output::number(p.quantiles[0]),
                    output::number(p.quantiles[2]),
                ]),
                _ => record.extend([blank(), blank()]),
            }
            record.extend(super::split_cells(level, last, cell));
            w.write_record(&record)?;
        }
    }
    AtomicFile::write(dir, "comparison.csv", &w.into_inner()?)?;
    Ok(narrowing)
}
