//! The one ensemble driver every experiment that runs models many times goes through. In
//! order, and all before any simulation: the scenarios compiled (`Compiled`, by the caller),
//! the cost of the job estimated (and confirmed when large), the output folder prepared and
//! marked incomplete. Then the work
//! runs in blocks on the worker threads with a progress bar, results handed back in order, and
//! the folder is finished with its manifest, last.

use super::{Charts, Ensemble, EnsembleSpec, Label, finish};
use crate::engine::blocks::{self, Plan};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::model::indicators::Layout;
use crate::output::{self, manifest::Manifest};
use crate::scenario::{Scenario, Tree};
use std::borrow::Cow;
use std::ops::Range;
use std::path::PathBuf;
use std::time::Instant;

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

/// Where a job writes.
pub(super) enum Folder {
    /// `--out`, or a new folder under output/ with this name and the time.
    New(String),
    /// `--out` if given; otherwise nothing is written (a hindcast prints its table).
    IfAsked(String),
    /// A folder made earlier, checked, and continued (`sweep --resume`): marked incomplete
    /// again once the job passes its checks.
    Continued(PathBuf),
}

/// A job past its checks: its runs, seed and threads, its folder (prepared and marked
/// incomplete), and when it started.
pub(super) struct Job<'a> {
    pub ensemble: &'a Ensemble,
    pub resolved: EnsembleSpec,
    pub dir: Option<PathBuf>,
    /// What the progress bar says.
    label: Label,
    started: Instant,
    /// Runs each item of [`Job::run`] stands for (a draw's runs), which bounds its blocks.
    pub runs_per_item: u64,
}

impl<'a> Job<'a> {
    /// Checks the cost of the scenarios `arms` over `resolved.runs` runs (asking, or refusing
    /// without `--yes`, when it is large), then prepares the folder, apart from the files the
    /// scenarios were read from and `inputs`. `label` is what its progress bar says.
    pub fn start(
        ensemble: &'a Ensemble,
        arms: &[&Compiled],
        inputs: &[PathBuf],
        resolved: EnsembleSpec,
        folder: Folder,
        label: Label,
    ) -> Result<Job<'a>> {
        let first = arms[0];
        ensemble.check_cost(&first.scenario, &first.model, arms.len(), &resolved)?;
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
            resolved,
            dir,
            label,
            started: Instant::now(),
            runs_per_item: 1,
        })
    }

    /// The job's folder; an internal error for a job that writes none.
    pub fn dir(&self) -> Result<&PathBuf> {
        self.dir
            .as_ref()
            .ok_or_else(|| Error::Internal("a job without a folder asked for one".into()))
    }

    /// Runs `items` (runs, or sweep points) in blocks on the resolved threads: each worker made
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
        let workers = blocks::run_blocks(
            Plan {
                runs: items,
                threads: self.resolved.threads,
                runs_per_item: self.runs_per_item,
            },
            make,
            work,
            |block, result| {
                deliver(result)?;
                progress.advance(block.end - block.start);
                Ok::<(), Error>(())
            },
        )?;
        progress.finish();
        Ok(workers)
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
