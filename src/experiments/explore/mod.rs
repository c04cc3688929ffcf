//! `spheres explore`: a baseline and a variant compared live. `sliders.rs` makes the sliders
//! from the scenarios, `request.rs` reads and checks a request, `answer.rs` turns a
//! comparison's folder into the JSON the page and `POST /api/compare` give, `server.rs` serves
//! the page and the API on loopback, `export.rs` writes a static page over a lattice of levers.
//!
//! A request is answered by `spheres compare` itself — the same function, with the `--set`
//! and `--set-variant` lines [`Explorer::command`] prints — into a scratch folder read back and
//! removed, so that every number the explorer shows is the command's.

mod answer;
mod export;
mod request;
mod server;
mod sliders;

pub use export::{ExportOptions, LatticeLever, export};
pub use request::{BadRequest, MAX_RUNS, Request};
pub use server::Server;
pub use sliders::{Side, Slider};

use super::compare::{CompareOptions, compare};
use super::{Ensemble, Setting};
use crate::error::{Error, Result};
use crate::scenario::YearMonth;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

/// What `spheres explore` compares, and how.
#[derive(Clone, Debug)]
pub struct ExploreOptions {
    /// The baseline scenario (file or bundled name).
    pub baseline: String,
    /// The variant compared with it.
    pub variant: String,
    /// Run the citizens the scenarios describe instead of the aggregate public (slower).
    pub citizens: bool,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Where "save" writes its folders (default `output/`).
    pub out: PathBuf,
}

/// The pair being explored: its sliders and where scratch folders go.
#[derive(Debug)]
pub struct Explorer {
    opts: ExploreOptions,
    sliders: Vec<Slider>,
    /// The baseline's states: code and name.
    names: Vec<(String, String)>,
    start: YearMonth,
    /// The baseline's seed: a request's default.
    pub seed: u64,
    scratch: PathBuf,
    requests: AtomicU64,
}

/// A flag that stops a comparison at its next block.
pub type Cancel = Option<std::sync::Arc<std::sync::atomic::AtomicBool>>;

/// The setting that runs the aggregate public (docs/MODEL.md 7.9).
const AGGREGATE: &str = "population.people_per_agent";

impl Explorer {
    /// Loads both scenarios (refusing what `spheres compare` refuses) and makes the sliders.
    pub fn new(opts: ExploreOptions) -> Result<Explorer> {
        let silent = super::Silent;
        let sets = aggregate(opts.citizens);
        let baseline = super::load(&opts.baseline, &sets, &silent)?;
        let variant = super::load(&opts.variant, &sets, &silent)?;
        let sliders = sliders::sliders(&baseline, &variant);
        if sliders.is_empty() {
            return Err(Error::Input(format!(
                "{} and {} have no [[policy]] to move; the explorer's sliders are the budgets of each scenario's policies (docs/SCENARIOS.md)",
                opts.baseline, opts.variant
            )));
        }
        let scratch = std::env::temp_dir().join(format!("spheres-explore-{}", std::process::id()));
        Ok(Explorer {
            names: (baseline.state.iter())
                .map(|s| (s.code.clone(), s.name.clone()))
                .collect(),
            start: baseline.scenario.start,
            seed: baseline.scenario.seed,
            opts,
            sliders,
            scratch,
            requests: AtomicU64::new(0),
        })
    }

    /// The sliders, baseline's first.
    pub fn sliders(&self) -> &[Slider] {
        &self.sliders
    }

    /// `GET /api/levers`: the pair, the model, the sliders and the request limits.
    pub fn levers_json(&self) -> Value {
        serde_json::json!({
            "baseline": self.opts.baseline,
            "variant": self.opts.variant,
            "model": if self.opts.citizens { "citizens" } else { "aggregate" },
            "start": self.start.to_string(),
            "seed": self.seed,
            "max_runs": MAX_RUNS,
            "sliders": self.sliders,
        })
    }

    /// Reads a request body (see [`Request::parse`]).
    pub fn request(&self, body: &[u8]) -> std::result::Result<Request, BadRequest> {
        Request::parse(body, &self.sliders, self.seed)
    }

    /// The `--set` (every scenario) and `--set-variant` lines of a request: a baseline slider
    /// moved is set in both, and the variant's value set over it wherever the variant's slider
    /// moved or its baseline's did.
    fn settings(&self, r: &Request) -> (Vec<Setting>, Vec<Setting>) {
        let mut sets = aggregate(self.opts.citizens);
        let mut variant_sets = Vec::new();
        for (i, s) in self.sliders.iter().enumerate() {
            let value = r.value(i, &self.sliders);
            let set = Setting {
                path: s.path.clone(),
                value: s.setting_value(value, self.start),
                flag: "--set",
            };
            match s.side {
                Side::Baseline if value != s.default => sets.push(set),
                Side::Variant if value != s.default || sets.iter().any(|b| b.path == s.path) => {
                    variant_sets.push(Setting {
                        flag: "--set-variant",
                        ..set
                    });
                }
                _ => {}
            }
        }
        (sets, variant_sets)
    }

    /// The `spheres compare` line that gives the request's numbers.
    pub fn command(&self, r: &Request) -> String {
        let (sets, variant_sets) = self.settings(r);
        self.command_of(r, &sets, &variant_sets)
    }

    /// The command line of a request whose settings are `sets` and `variant_sets`.
    fn command_of(&self, r: &Request, sets: &[Setting], variant_sets: &[Setting]) -> String {
        let mut words = vec![
            "spheres compare".to_string(),
            self.opts.baseline.clone(),
            self.opts.variant.clone(),
        ];
        words.extend(sets.iter().chain(variant_sets).map(Setting::to_string));
        words.push(format!("--runs {} --seed {}", r.runs, r.seed));
        if !r.worlds {
            words.push("--fixed".into());
        }
        words.join(" ")
    }

    /// The comparison's options, writing into `out`, stopped when `cancel` is set.
    fn options(
        &self,
        r: &Request,
        out: PathBuf,
        no_charts: bool,
        cancel: Cancel,
    ) -> CompareOptions {
        let (sets, variant_sets) = self.settings(r);
        let command_line = self.command_of(r, &sets, &variant_sets);
        CompareOptions {
            baseline: self.opts.baseline.clone(),
            variants: vec![self.opts.variant.clone()],
            variant_sets,
            ensemble: Ensemble {
                runs: Some(r.runs),
                seed: Some(r.seed),
                threads: self.opts.threads,
                out: Some(out),
                force: true,
                quiet: true,
                no_charts,
                yes: true,
                command_line,
                sets,
                fixed: !r.worlds,
                cancel,
                ..Ensemble::default()
            },
        }
    }

    /// `POST /api/compare`: the comparison run into a scratch folder, read back as JSON
    /// (every `month_step`-th month of the fans) and the folder removed; interrupted at the
    /// next block once `cancel` is set.
    pub fn answer(&self, r: &Request, month_step: usize, cancel: Cancel) -> Result<Value> {
        let k = self.requests.fetch_add(1, Ordering::Relaxed);
        let dir = self.scratch.join(k.to_string());
        let result = compare(&self.options(r, dir.clone(), true, cancel))
            .and_then(|report| answer::read(&report.dir, &self.names, month_step));
        let _ = std::fs::remove_dir_all(&dir);
        result
    }

    /// `POST /api/save`: the comparison written as `spheres compare` writes it (charts and
    /// page included) into a new folder under the output folder; returns the folder.
    pub fn save(&self, r: &Request) -> Result<PathBuf> {
        let name = format!("compare-{}-explore-{}", self.opts.baseline, unix_seconds());
        let dir = self.opts.out.join(name);
        Ok(compare(&self.options(r, dir, false, None))?.dir)
    }
}

impl Drop for Explorer {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}

/// The settings every scenario gets: the aggregate public unless citizens are asked for.
fn aggregate(citizens: bool) -> Vec<Setting> {
    match citizens {
        true => Vec::new(),
        false => vec![Setting {
            path: AGGREGATE.into(),
            value: "0".into(),
            flag: "--set",
        }],
    }
}

fn unix_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
