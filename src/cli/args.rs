//! The command line's grammar (clap): the subcommands, their options and help texts, and the
//! mapping of the options every ensemble shares to the library's `Ensemble`.

use super::console::Console;
use clap::{Args, Parser, Subcommand};
use spheres::experiments::explore::LatticeLever;
use spheres::experiments::{Ensemble, Setting, calibrate, salib};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "spheres",
    version,
    about = "Agent-based simulator of regional influence between Moscow and the West"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by the commands that run ensembles.
#[derive(Args)]
pub struct EnsembleArgs {
    /// Number of runs [default: the scenario's `runs`].
    #[arg(long)]
    runs: Option<u64>,
    /// Master seed; run i uses stream i of it [default: the scenario's `seed`].
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Output folder [default: a new folder output/<scenario>-<time>/].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write into a non-empty output folder, replacing its results.
    #[arg(long)]
    force: bool,
    /// No progress bar, no closing line.
    #[arg(long)]
    pub quiet: bool,
    /// Run a job estimated past an hour or 8 GB without asking.
    #[arg(long)]
    yes: bool,
    /// Set a key of the scenario, as a sweep's key path: params.inertia=2,
    /// state.SRB.gas_share_russia=0.5, policy.eu.budget.aid=900, or relative to its value,
    /// policy.eu.budget.aid=x2 (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = Setting::parse)]
    set: Vec<Setting>,
}

impl EnsembleArgs {
    /// The library's options; `no_charts` is each command's own flag.
    pub fn into_options(self, no_charts: bool) -> Ensemble {
        Ensemble {
            runs: self.runs,
            seed: self.seed,
            threads: self.threads,
            out: self.out,
            force: self.force,
            quiet: self.quiet,
            no_charts,
            yes: self.yes,
            terminal: Some(std::sync::Arc::new(Console { quiet: self.quiet })),
            command_line: std::env::args().collect::<Vec<_>>().join(" "),
            sets: self.set,
            ..Ensemble::default()
        }
    }
}

/// How runs draw the scenario's uncertain parameters (`[[uncertain]]`), for run and compare.
#[derive(Args)]
pub struct ParameterArgs {
    /// Draws of the uncertain parameters; runs = draws × runs per draw [default: runs / runs
    /// per draw].
    #[arg(long, value_name = "K")]
    draws: Option<u64>,
    /// Runs per draw of the parameters: the noise within a draw is told apart from the spread
    /// between draws [default: 10].
    #[arg(long, value_name = "R")]
    runs_per_draw: Option<u64>,
    /// Run the scenario's own numbers in every run, ignoring its [[uncertain]] priors (the
    /// spread is then run-to-run noise only).
    #[arg(long)]
    fixed: bool,
    /// Draw the parameters from a posterior.csv written by `spheres calibrate`.
    #[arg(long, value_name = "FILE")]
    posterior: Option<PathBuf>,
}

impl ParameterArgs {
    /// `ensemble` with these draws of the parameters.
    pub fn apply(self, ensemble: Ensemble) -> Ensemble {
        Ensemble {
            draws: self.draws,
            runs_per_draw: self.runs_per_draw,
            fixed: self.fixed,
            posterior: self.posterior,
            ..ensemble
        }
    }
}

#[derive(Subcommand)]
pub enum Command {
    /// Run many seeded runs of a scenario and write summary, outcomes and events as CSV.
    #[command(after_help = "Examples:
  spheres run balkans                        # 1000 runs; results in output/balkans-<time>/
  spheres run my.toml --runs 200 --out out/my --set params.inertia=2")]
    Run(RunArgs),
    /// Compare a baseline with variants on common random numbers (run i of each uses stream i).
    #[command(
        mut_arg("runs", |a| a.help("Runs of each scenario [default: the baseline's `runs`]")),
        mut_arg("seed", |a| a.help("Master seed; run i of every scenario uses stream i of it [default: the baseline's `seed`]")),
        mut_arg("out", |a| a.help("Output folder [default: a new folder output/compare-<baseline>-<time>/]")),
        mut_arg("set", |a| a.help("Set a key of every compared scenario, as a sweep's key path: params.inertia=2, policy.eu.budget.aid=900 (repeatable)"))
    )]
    #[command(after_help = "Example:
  spheres compare nobody-steps-in eu-steps-in --runs 500   # comparison.csv in output/compare-…/")]
    Compare(CompareArgs),
    /// The lever table: each power's budget on each lever ×0 and ×2 from the start, and its
    /// paired effect at the horizon on every state (levers.csv, a heatmap); --runs defaults to 200.
    #[command(
        mut_arg("runs", |a| a.help("Runs of the scenario and of each probe [default: 200]")),
        mut_arg("out", |a| a.help("Output folder [default: a new folder output/levers-<scenario>-<time>/]"))
    )]
    #[command(after_help = "Example:
  spheres levers balkans-aggregate --runs 200   # levers.csv in output/levers-…/")]
    Levers(LeversArgs),
    /// Score a scenario that starts in the past against its [[outcome]]s (Brier scores; CRPS
    /// for continuous targets).
    #[command(
        mut_arg("out", |a| a.help("Also write hindcast.csv, continuous.csv, reliability.csv, the resolved scenario and a page in this folder [default: only print the table]"))
    )]
    #[command(after_help = "Example:
  spheres hindcast hindcast-2014                      # the table on stdout
  spheres hindcast hindcast-2014 --out out/hindcast   # and hindcast.csv, its page
  spheres hindcast hindcast-2017 --known-only         # only what was known in January 2017")]
    Hindcast(HindcastArgs),
    /// Each state's present at an origin, read from every observation up to it and none after
    /// (UN ideal points, CFSP alignment): nowcast.csv, filtered.csv, observations.csv, a page.
    #[command(after_help = "Examples:
  spheres nowcast europe --origin 2021-12          # nowcast.csv in output/nowcast-europe-<time>/
  spheres nowcast balkans --data ./data --out nc   # the data of a folder laid out like data/")]
    Nowcast(NowcastArgs),
    /// Each state's UN ideal point forecast from the nowcast at an origin (data up to it only):
    /// forecast.csv with quantiles per state and year, and a page of fans; with --origins, the
    /// forecasts from each of several origins scored against what was observed after them.
    #[command(after_help = "Examples:
  spheres forecast europe --origin 2021 --years 2         # from December 2021: 2021, 2022, 2023
  spheres forecast europe --origin 2014-06 --years 5 --runs 400 --out fc
  spheres forecast europe --origins 2005:2016 --years 5   # rolling origins, scored (scores.csv)")]
    Forecast(ForecastArgs),
    /// Move a variant's levers and see, within a second, what changes, how sure the model is,
    /// and why: a page served on 127.0.0.1 (the aggregate public, for speed).
    #[command(after_help = "Examples:
  spheres explore --open                               # the main job's pair, in the browser
  spheres explore balkans us-returns --port 8080
  spheres explore --export class.html --lever policy.eu.budget.aid=0:4000:5   # one static page")]
    Explore(ExploreArgs),
    /// Calibrate a scenario's [[uncertain]] priors against its calibration [[outcome]]s
    /// (ABC-SMC): posterior.csv for run and compare --posterior, with diagnostics and a page.
    #[command(
        mut_arg("runs", |a| a.hide(true)),
        mut_arg("out", |a| a.help("Output folder [default: a new folder output/calibrate-<scenario>-<time>/]"))
    )]
    #[command(after_help = "Example:
  spheres calibrate calibrate-2014 --out out/cal          # posterior.csv, generations.csv, marginals.csv
  spheres compare nobody-steps-in eu-steps-in --posterior out/cal/posterior.csv")]
    Calibrate(CalibrateArgs),
    /// Run a sweep file: a design of parameter points, each run `runs` times.
    #[command(
        mut_arg("runs", |a| a.hide(true)),
        mut_arg("seed", |a| a.hide(true)),
        mut_arg("out", |a| a.help("Output folder [default: a new folder output/<sweep name>-<time>/]; with --resume, the folder to continue")),
        mut_arg("set", |a| a.help("Set a key of the sweep's scenario for every point, as a key path: params.inertia=2 (repeatable; not a swept path)"))
    )]
    #[command(after_help = "Examples:
  spheres sweep scenarios/sweeps/grid.toml --out output/grid
  spheres sweep scenarios/sweeps/sobol.toml --shard 2/8 --out results/shard-2   # one slice of 8
  spheres sweep scenarios/sweeps/lhs.toml --per-run --series --format ema --out output/lhs")]
    Sweep(SweepArgs),
    /// Combine the slices of a sharded sweep into one folder.
    #[command(after_help = "Example:
  spheres merge results/sobol/shard-* --out results/sobol/merged")]
    Merge(MergeArgs),
    /// Draw a sample table for a sensitivity design (SALib's plain-text parameter file).
    #[command(after_help = "Example:
  spheres sample sobol --params params.txt --n 1024 > x.csv   # params.txt: `x1 0 1` per line")]
    Sample(SampleArgs),
    /// Sensitivity indices from a sample table and its outputs, as CSV on stdout.
    #[command(after_help = "Example:
  spheres analyze sobol --params params.txt --samples x.csv --outputs y.csv > indices.csv")]
    Analyze(AnalyzeArgs),
    /// Draw the charts and index.html of an output folder (of run, compare, levers or sweep).
    #[command(after_help = "Example:
  spheres report output/compare-nobody-steps-in-20251125-101500")]
    Report(ReportArgs),
    /// List the bundled scenarios, which run from any folder, with a line on each.
    #[command(after_help = "Example:
  spheres list")]
    List,
    /// Write NAME.toml, a commented starter scenario that validates and runs as written (never
    /// overwriting a file).
    #[command(after_help = "Examples:
  spheres init mine                      # mine.toml, a scenario of its own
  spheres init my-eu --extends balkans   # my-eu.toml, a variant of the Balkans")]
    Init(InitArgs),
    /// Check a scenario file and print what it resolves to.
    #[command(after_help = "Example:
  spheres validate my.toml --set state.SRB.alignment=0.4")]
    Validate(ValidateArgs),
}

/// `spheres run`'s arguments.
#[derive(Args)]
pub struct RunArgs {
    /// Scenario file, or the name of a bundled scenario (balkans, tutorial, …; spheres list).
    pub scenario: String,
    #[command(flatten)]
    pub ensemble: EnsembleArgs,
    #[command(flatten)]
    pub parameters: ParameterArgs,
    /// Write summary.csv only, not outcomes.csv and events.csv (one row per run).
    #[arg(long)]
    pub summary_only: bool,
    /// Write every state's monthly values of the first K runs to trajectories.csv.
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub trajectories: u64,
    /// Write trace.csv for the first K runs: each government's monthly move split into the
    /// channels that made it (each lever, membership, neighbours, the public, …; they sum to
    /// the move) and its lever stocks (docs/MODEL.md 7.4).
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub trace: u64,
    /// Skip the charts (fan charts, grid, map, leaning probabilities, regional indicators)
    /// and index.html; `spheres report DIR` draws them later.
    #[arg(long)]
    pub no_charts: bool,
}

/// `spheres compare`'s arguments.
#[derive(Args)]
pub struct CompareArgs {
    /// Baseline scenario (file or bundled name).
    pub baseline: String,
    /// One or more variants; none with --set-variant: the baseline with those settings.
    #[arg(required_unless_present = "set_variant")]
    pub variants: Vec<String>,
    /// Set a key in the variants only, not the baseline (repeatable; after --set, which sets
    /// it in every scenario): policy.eu.budget.aid=900, policy.eu.from=2027-11, or relative,
    /// policy.eu.budget.accession=x2 (a number the baseline draws needs --fixed).
    /// Without a variant, the variant is the baseline with these settings (a what-if).
    #[arg(long = "set-variant", value_name = "PATH=VALUE", value_parser = Setting::parse_variant)]
    pub set_variant: Vec<Setting>,
    #[command(flatten)]
    pub ensemble: EnsembleArgs,
    #[command(flatten)]
    pub parameters: ParameterArgs,
    /// Skip the charts (forest plots of the paired differences, each scenario's fan charts,
    /// the regional indicators overlaid) and index.html; `spheres report DIR` draws them later.
    #[arg(long)]
    pub no_charts: bool,
}

/// `spheres levers`'s arguments.
#[derive(Args)]
pub struct LeversArgs {
    /// Scenario file, or the name of a bundled scenario.
    pub scenario: String,
    #[command(flatten)]
    pub ensemble: EnsembleArgs,
    /// Skip the heatmap of effects and index.html; `spheres report DIR` draws them later.
    #[arg(long)]
    pub no_charts: bool,
}

/// `spheres hindcast`'s arguments.
#[derive(Args)]
pub struct HindcastArgs {
    /// Scenario file with [[outcome]] tables, or a bundled name (hindcast-2014,
    /// hindcast-2017, hindcast-2020).
    pub scenario: String,
    #[command(flatten)]
    pub ensemble: EnsembleArgs,
    /// With --out: skip the chart and index.html.
    #[arg(long)]
    pub no_charts: bool,
    /// Replay only the events known at the origin (known = "origin"), leaving out those
    /// known only with hindsight.
    #[arg(long)]
    pub known_only: bool,
}

/// `spheres calibrate`'s arguments.
#[derive(Args)]
pub struct CalibrateArgs {
    /// Scenario file with [[uncertain]] priors and [[outcome]]s, or a bundled name.
    pub scenario: String,
    #[command(flatten)]
    pub ensemble: EnsembleArgs,
    /// Particles a generation.
    #[arg(long, default_value_t = calibrate::DEFAULT_PARTICLES)]
    pub particles: usize,
    /// Most simulations (runs) in all.
    #[arg(long, default_value_t = calibrate::DEFAULT_BUDGET)]
    pub budget: u64,
    /// Stop once a generation accepts less than this share of its proposals.
    #[arg(long, default_value_t = calibrate::DEFAULT_MIN_ACCEPTANCE)]
    pub min_acceptance: f64,
    /// Skip the chart of priors and posteriors and index.html; `spheres report DIR` draws
    /// them later.
    #[arg(long)]
    pub no_charts: bool,
}

/// `spheres sweep`'s arguments.
#[derive(Args)]
pub struct SweepArgs {
    /// The sweep file (TOML; docs/SCENARIOS.md, "Sweep files").
    pub file: String,
    #[command(flatten)]
    pub ensemble: EnsembleArgs,
    /// Run only the K-th of N disjoint slices of the points (for clusters): K/N.
    #[arg(long, value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
    /// Continue an interrupted sweep in --out DIR, skipping the points already done.
    #[arg(long)]
    pub resume: bool,
    /// Also write ema.tar.gz for EMA Workbench's load_results (`--format ema`; with
    /// --series it holds each output's monthly means as time series).
    #[arg(long, value_parser = ["ema"])]
    pub format: Option<String>,
    /// Also write runs.csv: every run of every point (columns point, run, then each output
    /// at the horizon).
    #[arg(long)]
    pub per_run: bool,
    /// Also write series.csv: every month of every point (each output's mean and p05, p25,
    /// p50, p75, p95 over the point's runs); the report draws each output's envelope.
    #[arg(long)]
    pub series: bool,
    /// Skip the charts (a heatmap per output for a grid of two parameters, a tornado per
    /// output for Sobol and Morris designs, a scatter per output for LHS and Monte Carlo,
    /// an envelope over time per output with --series) and index.html.
    #[arg(long)]
    pub no_charts: bool,
}

/// `spheres merge`'s arguments.
#[derive(Args)]
pub struct MergeArgs {
    /// The slices' folders.
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// The merged sweep's folder.
    #[arg(long)]
    pub out: PathBuf,
    /// Write into a non-empty folder, replacing its results.
    #[arg(long)]
    pub force: bool,
}

/// `spheres sample`'s arguments.
#[derive(Args)]
pub struct SampleArgs {
    /// sobol (Saltelli, N(k+2) rows), morris (N trajectories of k+1 rows) or lhs (N rows).
    #[arg(value_parser = method)]
    pub method: salib::Method,
    /// Parameter file: one `name lower upper` per line.
    #[arg(long)]
    pub params: PathBuf,
    /// Base samples (sobol), trajectories (morris) or points (lhs).
    #[arg(long)]
    pub n: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Grid levels of a Morris design.
    #[arg(long, default_value_t = 4)]
    pub levels: usize,
}

/// `spheres analyze`'s arguments.
#[derive(Args)]
pub struct AnalyzeArgs {
    /// sobol or morris.
    #[arg(value_parser = analyzed)]
    pub method: salib::Method,
    /// The parameter file the sample was drawn with: one `name lower upper` per line.
    #[arg(long)]
    pub params: PathBuf,
    /// The sample table `spheres sample` wrote.
    #[arg(long)]
    pub samples: PathBuf,
    /// One row per sample row; a header naming the outputs.
    #[arg(long)]
    pub outputs: PathBuf,
    /// Seed of the bootstrap behind the intervals.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// `spheres report`'s arguments.
#[derive(Args)]
pub struct ReportArgs {
    /// The output folder.
    pub dir: PathBuf,
}

/// `spheres init`'s arguments.
#[derive(Args)]
pub struct InitArgs {
    /// The new scenario's name (letters, digits, '-', '_'), possibly in a folder: dir/NAME.
    pub name: String,
    /// Write a variant of this scenario (a bundled name such as balkans, or a file) instead
    /// of a scenario of its own.
    #[arg(long, value_name = "SCENARIO")]
    pub extends: Option<String>,
}

/// `spheres validate`'s arguments.
#[derive(Args)]
pub struct ValidateArgs {
    /// Scenario file, or the name of a bundled scenario.
    pub scenario: String,
    /// Set a key of the scenario, as a sweep's key path (repeatable): see `run --help`.
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = Setting::parse)]
    pub set: Vec<Setting>,
}

/// `K/N` with 1 <= K <= N.
fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let (k, n) = text.split_once('/').ok_or("expected K/N, such as 2/8")?;
    let (k, n): (usize, usize) = (
        k.parse().map_err(|_| "K is not a number")?,
        n.parse().map_err(|_| "N is not a number")?,
    );
    if k == 0 || k > n {
        return Err(format!("{k}/{n}: expected 1 <= K <= N"));
    }
    Ok((k, n))
}

/// A sensitivity design by its name (the library's table of names).
fn method(name: &str) -> Result<salib::Method, String> {
    one_of(name, &salib::Method::ALL)
}

/// A method `analyze` has an estimator for.
fn analyzed(name: &str) -> Result<salib::Method, String> {
    one_of(name, &salib::Method::ANALYZED)
}

/// The method of `methods` named `name`.
fn one_of(name: &str, methods: &[salib::Method]) -> Result<salib::Method, String> {
    methods
        .iter()
        .copied()
        .find(|m| m.name() == name)
        .ok_or_else(|| {
            let names: Vec<&str> = methods.iter().map(|m| m.name()).collect();
            format!("expected one of {}", names.join(", "))
        })
}

/// `spheres forecast`'s arguments.
#[derive(Args)]
pub struct ForecastArgs {
    /// Scenario file, or a bundled name, that starts from the nowcast (europe).
    pub scenario: String,
    /// The origin, YYYY-MM, or YYYY for its December (everything observed in that year known).
    #[arg(
        long,
        value_name = "YYYY-MM",
        required_unless_present = "origins",
        conflicts_with = "origins"
    )]
    pub origin: Option<String>,
    /// Rolling origins: every December from FROM to TO, each forecast from its own data, and
    /// scored against the sessions after it.
    #[arg(long, value_name = "FROM:TO")]
    pub origins: Option<String>,
    /// Years forecast after the origin's.
    #[arg(long, value_name = "N")]
    pub years: u32,
    /// A folder laid out like the repository's data/ [default: the data built into spheres].
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    #[command(flatten)]
    pub ensemble: EnsembleArgs,
    #[command(flatten)]
    pub parameters: ParameterArgs,
    /// Skip the states' fans (or, with --origins, the scores' page) and index.html.
    #[arg(long)]
    pub no_charts: bool,
}

/// `spheres nowcast`'s arguments.
#[derive(Args)]
pub struct NowcastArgs {
    /// Scenario file, or a bundled name: the states to read.
    pub scenario: String,
    /// The origin, YYYY-MM, or YYYY for its December [default: the scenario's start].
    #[arg(long, value_name = "YYYY-MM")]
    pub origin: Option<String>,
    /// A folder laid out like the repository's data/ (europe/unga/ideal_points.csv,
    /// balkans/validation/cfsp_alignment.csv, balkans/validation/unga_votes.csv) [default: the
    /// data built into spheres; a scenario's own start_from = "nowcast" always uses those].
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Output folder [default: a new folder output/nowcast-<scenario>-<time>/].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write into a non-empty output folder, replacing its results.
    #[arg(long)]
    pub force: bool,
    /// Skip the states' chart of observations and filtered paths, and index.html.
    #[arg(long)]
    pub no_charts: bool,
    /// Set a key of the scenario (repeatable), as for run.
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = Setting::parse)]
    pub set: Vec<Setting>,
}

impl NowcastArgs {
    /// The library's ensemble options for a nowcast (it has no runs, seed or threads).
    pub fn ensemble(&self) -> Ensemble {
        Ensemble {
            out: self.out.clone(),
            force: self.force,
            no_charts: self.no_charts,
            terminal: Some(Arc::new(Console { quiet: false })),
            command_line: std::env::args().collect::<Vec<_>>().join(" "),
            sets: self.set.clone(),
            ..Ensemble::default()
        }
    }
}

/// `spheres explore`'s arguments.
#[derive(Args)]
pub struct ExploreArgs {
    /// The baseline scenario (file or bundled name).
    #[arg(default_value = "nobody-steps-in")]
    pub baseline: String,
    /// The variant compared with it.
    #[arg(default_value = "eu-steps-in")]
    pub variant: String,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Listen on this address instead of 127.0.0.1 (anyone who reaches it can run comparisons).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<std::net::IpAddr>,
    /// Open the page in the browser.
    #[arg(long)]
    pub open: bool,
    /// Run the scenarios' citizens instead of the aggregate public (about 10x slower).
    #[arg(long)]
    pub citizens: bool,
    /// Worker threads [default: every core].
    #[arg(long)]
    pub threads: Option<usize>,
    /// Where "save" writes its folders.
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,
    /// Write one static page with the answers of a lattice of levers inside (no server).
    #[arg(long, value_name = "FILE.html")]
    pub export: Option<PathBuf>,
    /// A lever of the lattice: a variant's key path, its first and last value and the number
    /// of values (repeatable; at most 64 points in all).
    #[arg(long = "lever", value_name = "PATH=MIN:MAX:STEPS", value_parser = LatticeLever::parse, requires = "export")]
    pub levers: Vec<LatticeLever>,
    /// Runs of each lattice point (with --export).
    #[arg(long, default_value_t = 1000, requires = "export")]
    pub runs: u64,
    /// Today's coefficients instead of plausible worlds (with --export).
    #[arg(long, requires = "export")]
    pub fixed: bool,
}
