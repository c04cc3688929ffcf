//! The one ensemble driver every experiment that runs models many times goes through. In
//! order, and all before any simulation: the scenarios compiled (`Compiled`, by the caller),
//! the cost of the job estimated (and confirmed when large), the output folder prepared and
//! marked incomplete. Then the work runs in blocks on the worker threads with a progress bar,
//! results handed back in order, and the folder is finished with its manifest, last.
//!
//! An experiment that runs scenarios on common random numbers says only what it keeps of the
//! runs (a [`Tally`]) and what it writes; [`Job::simulate`] owns the loop over draws, runs and
//! arms, the workers, the order of streamed rows and the merge.

use super::draws::Draws;
use super::{Charts, Ensemble, EnsembleSpec, Estimate, KeptMonths, Label, NOTICE_SECONDS, finish};
use super::{Tell, duration};
use crate::engine::blocks::{self, Plan};
use crate::engine::step::{Workspace, simulate};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::model::indicators::Layout;
use crate::output::{self, manifest::Manifest};
use crate::scenario::{Scenario, Tree};
use std::borrow::Cow;
use std::ops::Range;
use std::path::PathBuf;
use std::time::Instant;

/// Seconds of work after which a job's time is measured against its estimate.
const REVISE_AFTER_SECONDS: f64 = 2.0;

/// The whole job's time at the pace of its first `seconds`, which did `done` of `items`, when
/// it is long ([`NOTICE_SECONDS`]) and the estimate `said` before it was not (or was more than
/// 30 % off); `None` when the estimate stands. A job judges once a tenth is done, so that the
/// blocks still being worked on weigh little.
fn revised_seconds(said: f64, seconds: f64, done: u64, items: u64) -> Option<f64> {
    let projected = seconds * items as f64 / done as f64;
    let far = (projected / said - 1.0).abs() > 0.3 || said < NOTICE_SECONDS;
    (projected >= NOTICE_SECONDS && far).then_some(projected)
}

/// A scenario compiled for runs, with the layout of what each run records, and the tree it was
/// read from when draws of its parameters may vary it.
pub(super) struct Compiled {
    pub scenario: Scenario,
    pub model: Model,
    pub layout: Layout,
    pub tree: Option<Tree>,
}

impl Compiled {
    pub fn new(scenario: Scenario) -> Result<Compiled> {
        let model = Model::compile(&scenario)?;
        let layout = Layout::new(&model);
        Ok(Compiled {
            scenario,
            model,
            layout,
            tree: None,
        })
    }

    /// [`Compiled::new`], keeping `tree` (the scenario's source) for [`Compiled::with_values`].
    pub fn with_tree(tree: Tree, scenario: Scenario) -> Result<Compiled> {
        Ok(Compiled {
            tree: Some(tree),
            ..Compiled::new(scenario)?
        })
    }

    /// The files on disk its scenario was read from (none for a scenario built in code).
    pub fn files(&self) -> Vec<PathBuf> {
        self.tree.as_ref().map_or_else(Vec::new, Tree::files)
    }

    /// The model with `values` (key path, number) set in the scenario: a draw of its
    /// parameters. Refused, naming the values, when the scenario then fails its checks or
    /// records other cells.
    pub fn with_values(&self, values: &[(String, f64)]) -> Result<Cow<'_, Model>> {
        if values.is_empty() {
            return Ok(Cow::Borrowed(&self.model));
        }
        let tree = self.tree.as_ref().ok_or_else(|| {
            Error::Internal("a scenario without its tree was given parameter values".into())
        })?;
        let named = || {
            values
                .iter()
                .map(|(p, v)| format!("{p} = {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let model = tree
            .scenario_with(values)
            .and_then(|s| Model::compile(&s))
            .map_err(|e| Error::Input(format!("a draw of the parameters ({}): {e}", named())))?;
        if Layout::new(&model).cells != self.layout.cells {
            return Err(Error::Input(format!(
                "a draw of the parameters ({}) changes what runs record; priors may not change the states or the population layer",
                named()
            )));
        }
        Ok(Cow::Owned(model))
    }
}

/// What an experiment keeps of its runs (SciML's `output_func` and `reduction`, ripgrep's
/// `Sink`): one per worker, fed every month of every run of every arm of the worker's blocks,
/// merged at the end. Merging must not depend on order (integer sums), and rows for files come
/// out block by block, which the driver hands on in run order.
pub(super) trait Tally: Send {
    /// Month `month` of run `run` of arm `arm`: its recorded row.
    fn observe(&mut self, arm: usize, run: u64, month: usize, row: &[f64]) -> Result<()>;
    /// Run `done.run` is over in every arm.
    fn end_run(&mut self, done: &RunDone) -> Result<()>;
    /// Draw `draw` is over; `values` are the numbers it set in the baseline (none when fixed).
    fn end_draw(&mut self, _draw: u64, _values: &[(String, f64)]) -> Result<()> {
        Ok(())
    }
    /// The rows of each streamed file this block made, in run order (emptied).
    fn take_block(&mut self) -> Result<Vec<Vec<u8>>> {
        Ok(Vec::new())
    }
    /// Adds another worker's tally.
    fn merge(&mut self, other: &Self);
}

/// A run over in every arm: which, and each arm's workspace and model after it.
pub(super) struct RunDone<'a> {
    /// The run: its stream, and its draw of the parameters (run / runs per draw).
    pub run: u64,
    /// Each arm's workspace: its last row and its events.
    pub spaces: &'a [Workspace],
    /// Each arm's model in this draw.
    pub models: &'a [Cow<'a, Model>],
}

/// One worker of [`Job::simulate`]: a workspace per arm, and its tally.
struct Worker<T> {
    spaces: Vec<Workspace>,
    tally: T,
}

/// Where a job writes.
pub(super) enum Folder {
    /// `--out`, or a new folder under output/ with this name and the time.
    New(String),
    /// `--out` if given; otherwise nothing is written (a hindcast prints its table, a
    /// calibration without a folder its marginals).
    IfAsked(String),
    /// A folder made earlier, checked, and continued (`sweep --resume`): marked incomplete
    /// again once the job passes its checks.
    Continued(PathBuf),
}

/// A job past its checks: its runs, seed and threads, its folder (prepared and marked
/// incomplete), and when it started.
pub(super) struct Job<'a> {
    pub ensemble: &'a Ensemble,
    pub spec: EnsembleSpec,
    pub dir: Option<PathBuf>,
    /// What the progress bar says.
    label: Label,
    started: Instant,
    /// The estimate said before the job, revised from the first blocks when it was far off.
    estimate: Estimate,
    /// Simulations each item of [`Job::run`] stands for (a draw's runs times the arms), which
    /// bounds its blocks.
    pub runs_per_item: u64,
}

impl<'a> Job<'a> {
    /// Checks the cost of the scenarios `arms` over `spec.runs` runs, each keeping `keep` of its
    /// months (asking, or refusing without `--yes`, when it is large), then prepares the
    /// folder, apart from the files the scenarios were read from and `inputs`. `label` is what
    /// its progress bar says.
    pub fn start(
        ensemble: &'a Ensemble,
        (arms, keep): (&[&Compiled], KeptMonths),
        inputs: &[PathBuf],
        spec: EnsembleSpec,
        folder: Folder,
        label: Label,
    ) -> Result<Job<'a>> {
        let first = arms[0];
        let estimate =
            ensemble.check_cost(&first.scenario, &first.model, (arms.len(), keep), &spec)?;
        let mut inputs = inputs.to_vec();
        inputs.extend(arms.iter().flat_map(|a| a.files()));
        let dir = match folder {
            Folder::New(name) => Some(ensemble.prepare_dir(&name, &inputs)?),
            Folder::IfAsked(name) => match ensemble.out {
                Some(_) => Some(ensemble.prepare_dir(&name, &inputs)?),
                None => None,
            },
            Folder::Continued(dir) => {
                output::check_apart(&dir, &inputs)?;
                output::mark_incomplete(&dir)?;
                Some(dir)
            }
        };
        Ok(Job {
            ensemble,
            spec,
            dir,
            label,
            started: Instant::now(),
            estimate,
            runs_per_item: 1,
        })
    }

    /// The job's folder; an internal error for a job that writes none.
    pub fn dir(&self) -> Result<&PathBuf> {
        self.dir
            .as_ref()
            .ok_or_else(|| Error::Internal("a job without a folder asked for one".into()))
    }

    /// Runs `items` (runs, or sweep points) in blocks on the job's threads: each worker made
    /// by `make` does `work` on a block, and `deliver` takes the blocks' results in order. Shows
    /// progress; returns the workers, in no particular order, for an order-free merge.
    pub fn run<W: Send, T: Send>(
        &self,
        items: u64,
        make: impl Fn() -> W + Sync,
        work: impl Fn(&mut W, Range<u64>) -> T + Sync,
        mut deliver: impl FnMut(T) -> Result<()>,
    ) -> Result<Vec<W>> {
        let mut progress = self.ensemble.terminal().progress(&self.label, items);
        let (started, mut done, mut revised) = (Instant::now(), 0, false);
        let workers = blocks::run_blocks(
            Plan {
                runs: items,
                threads: self.spec.threads,
                runs_per_item: self.runs_per_item,
            },
            make,
            work,
            |block, result| {
                let cancelled = self.ensemble.cancel.as_ref();
                if cancelled.is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed)) {
                    return Err(Error::Interrupted);
                }
                deliver(result)?;
                progress.advance(block.end - block.start);
                done += block.end - block.start;
                if !revised && done < items {
                    revised = self.revise(started.elapsed().as_secs_f64(), done, items);
                }
                Ok::<(), Error>(())
            },
        )?;
        progress.finish();
        Ok(workers)
    }

    /// Runs every arm of `arms` for every run of `draws` on common random numbers (run i of
    /// every arm draws from stream i, and its parameters from draw i / runs per draw), into
    /// tallies made by `make`; `deliver` takes each block's streamed rows in run order. Returns
    /// the workers' tallies merged into a fresh one.
    pub fn simulate<T: Tally>(
        &mut self,
        arms: &[&Compiled],
        draws: &Draws,
        make: impl Fn() -> T + Sync,
        mut deliver: impl FnMut(Vec<Vec<u8>>) -> Result<()>,
    ) -> Result<T> {
        self.runs_per_item = draws.runs_per_draw * arms.len() as u64;
        let (trace, channels) = (self.ensemble.trace, self.ensemble.channels);
        let new_spaces = || {
            arms.iter()
                .map(|a| {
                    Workspace::new(&a.model, &a.layout)
                        .traced(trace)
                        .summing(channels)
                })
                .collect()
        };
        let workers = self.run(
            draws.draws,
            || Worker {
                spaces: new_spaces(),
                tally: make(),
            },
            |w, block| {
                for draw in block {
                    self.simulate_draw(arms, draws, draw, w)?;
                }
                w.tally.take_block()
            },
            |rows: Result<Vec<Vec<u8>>>| deliver(rows?),
        )?;
        let mut total = make();
        for w in &workers {
            total.merge(&w.tally);
        }
        Ok(total)
    }

    /// Every run of draw `draw` in every arm, into `w`.
    fn simulate_draw<T: Tally>(
        &self,
        arms: &[&Compiled],
        draws: &Draws,
        draw: u64,
        w: &mut Worker<T>,
    ) -> Result<()> {
        let seed = self.spec.seed;
        let values: Vec<Vec<(String, f64)>> = arms
            .iter()
            .map(|a| draws.values(&a.scenario, seed, draw))
            .collect();
        let models = arms
            .iter()
            .zip(&values)
            .map(|(a, v)| a.with_values(v))
            .collect::<Result<Vec<_>>>()?;
        if draws.varies() {
            for (k, arm) in arms.iter().enumerate() {
                w.spaces[k] = Workspace::new(&models[k], &arm.layout)
                    .traced(self.ensemble.trace)
                    .summing(self.ensemble.channels);
            }
        }
        let per_draw = draws.runs_per_draw;
        for run in draw * per_draw..(draw + 1) * per_draw {
            for (k, arm) in arms.iter().enumerate() {
                let tally = &mut w.tally;
                let mut observed = Ok(());
                simulate(
                    &models[k],
                    seed,
                    run,
                    &mut w.spaces[k],
                    &mut |month, row| {
                        if observed.is_ok() {
                            observed = tally.observe(k, run, month, row);
                        }
                    },
                )
                .map_err(|v| Error::Internal(v.describe(&models[k], &arm.layout)))?;
                observed?;
            }
            w.tally.end_run(&RunDone {
                run,
                spaces: &w.spaces,
                models: &models,
            })?;
        }
        w.tally.end_draw(draw, &values[0])
    }

    /// Says the revised time of the job (see [`revised_seconds`]) once; returns whether it has
    /// judged.
    fn revise(&self, seconds: f64, done: u64, items: u64) -> bool {
        if seconds < REVISE_AFTER_SECONDS || done * 10 < items {
            return false;
        }
        if let Some(projected) = revised_seconds(self.estimate.seconds, seconds, done, items) {
            let text = format!(
                "revised estimate, measured on the first {done} of {items} {}: about {} in all",
                self.label.unit,
                duration(projected)
            );
            self.ensemble.terminal().tell(Tell::Estimate, &text);
        }
        true
    }

    /// Seconds since the job started (after its checks).
    pub fn wall_seconds(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// Draws the report (unless `--no-charts`) and writes the manifest, last.
    pub fn finish(&self, manifest: Manifest) -> Result<()> {
        let charts = match self.ensemble.no_charts {
            true => Charts::Skip,
            false => Charts::Draw,
        };
        finish(self.dir()?, charts, manifest)
    }
}

#[cfg(test)]
mod tests {
    use super::revised_seconds;

    #[test]
    fn an_estimate_is_revised_only_when_far_off_and_the_job_long() {
        // 10 % done in 5 s: 50 s in all.
        assert_eq!(revised_seconds(34.0, 5.0, 10, 100), Some(50.0));
        assert_eq!(revised_seconds(45.0, 5.0, 10, 100), None);
        assert_eq!(revised_seconds(10.0, 5.0, 10, 100), Some(50.0));
        assert_eq!(revised_seconds(10.0, 2.0, 10, 100), None);
    }
}
