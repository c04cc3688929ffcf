//! The `spheres` command: parses arguments and calls the library; nothing else.

use clap::{Args, Parser, Subcommand};
use spheres::experiments::{
    Ensemble, Estimate, Label, Progress, Setting, Tell, Terminal, calibrate, compare, hindcast,
    init, levers, list, progress_text, run, salib, sweep, validate,
};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// A line on standard error; if that fails too (`2>/dev/full`), there is no one to tell.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// Writes `text` to standard output. A closed pipe (`spheres sample … | head`) ends the
/// program quietly with exit 0, as Unix tools do; any other failure is an I/O error (exit 1).
fn stdout(text: &str) -> spheres::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(source) => Err(spheres::Error::Io {
            path: PathBuf::from("<standard output>"),
            source,
        }),
    }
}

#[derive(Parser)]
#[command(
    name = "spheres",
    version,
    about = "Agent-based simulator of regional influence between Moscow and the West"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Options shared by the commands that run ensembles.
#[derive(Args)]
struct EnsembleArgs {
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
    quiet: bool,
    /// Run a job estimated past an hour or 8 GB without asking.
    #[arg(long)]
    yes: bool,
    /// Set a key of the scenario, as a sweep's key path: params.inertia=2,
    /// state.SRB.gas_share_russia=0.5, policy.eu.budget.aid=900 (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = Setting::parse)]
    set: Vec<Setting>,
}

impl EnsembleArgs {
    /// The library's options; `no_charts` is each command's own flag.
    fn into_options(self, no_charts: bool) -> Ensemble {
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
struct ParameterArgs {
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
    fn apply(self, ensemble: Ensemble) -> Ensemble {
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
enum Command {
    /// Run many seeded runs of a scenario and write summary, outcomes and events as CSV.
    #[command(after_help = "Examples:
  spheres run balkans                        # 1000 runs; results in output/balkans-<time>/
  spheres run my.toml --runs 200 --out out/my --set params.inertia=2")]
    Run {
        /// Scenario file, or the name of a bundled scenario (balkans, tutorial, …; spheres list).
        scenario: String,
        #[command(flatten)]
        ensemble: EnsembleArgs,
        #[command(flatten)]
        parameters: ParameterArgs,
        /// Write summary.csv only, not outcomes.csv and events.csv (one row per run).
        #[arg(long)]
        summary_only: bool,
        /// Write every state's monthly values of the first K runs to trajectories.csv.
        #[arg(long, value_name = "K", default_value_t = 0)]
        trajectories: u64,
        /// Skip the charts (fan charts, grid, map, leaning probabilities, regional indicators)
        /// and index.html; `spheres report DIR` draws them later.
        #[arg(long)]
        no_charts: bool,
    },
    /// Compare a baseline with variants on common random numbers (run i of each uses stream i).
    #[command(
        mut_arg("runs", |a| a.help("Runs of each scenario [default: the baseline's `runs`]")),
        mut_arg("seed", |a| a.help("Master seed; run i of every scenario uses stream i of it [default: the baseline's `seed`]")),
        mut_arg("out", |a| a.help("Output folder [default: a new folder output/compare-<baseline>-<time>/]")),
        mut_arg("set", |a| a.help("Set a key of every compared scenario, as a sweep's key path: params.inertia=2, policy.eu.budget.aid=900 (repeatable)"))
    )]
    #[command(after_help = "Example:
  spheres compare nobody-steps-in eu-steps-in --runs 500   # comparison.csv in output/compare-…/")]
    Compare {
        /// Baseline scenario (file or bundled name).
        baseline: String,
        /// One or more variants.
        #[arg(required = true)]
        variants: Vec<String>,
        #[command(flatten)]
        ensemble: EnsembleArgs,
        #[command(flatten)]
        parameters: ParameterArgs,
        /// Skip the charts (forest plots of the paired differences, each scenario's fan charts,
        /// the regional indicators overlaid) and index.html; `spheres report DIR` draws them later.
        #[arg(long)]
        no_charts: bool,
    },
    /// The lever table: each power's budget on each lever ×0 and ×2 from the start, and its
    /// paired effect at the horizon on every state (levers.csv, a heatmap); --runs defaults to 200.
    #[command(
        mut_arg("runs", |a| a.help("Runs of the scenario and of each probe [default: 200]")),
        mut_arg("out", |a| a.help("Output folder [default: a new folder output/levers-<scenario>-<time>/]"))
    )]
    #[command(after_help = "Example:
  spheres levers balkans-aggregate --runs 200   # levers.csv in output/levers-…/")]
    Levers {
        /// Scenario file, or the name of a bundled scenario.
        scenario: String,
        #[command(flatten)]
        ensemble: EnsembleArgs,
        /// Skip the heatmap of effects and index.html; `spheres report DIR` draws them later.
        #[arg(long)]
        no_charts: bool,
    },
    /// Score a scenario that starts in the past against its [[outcome]]s (Brier scores; CRPS
    /// for continuous targets).
    #[command(
        mut_arg("out", |a| a.help("Also write hindcast.csv, continuous.csv, reliability.csv, the resolved scenario and a page in this folder [default: only print the table]"))
    )]
    #[command(after_help = "Example:
  spheres hindcast hindcast-2014                      # the table on stdout
  spheres hindcast hindcast-2014 --out out/hindcast   # and hindcast.csv, its page
  spheres hindcast hindcast-2017 --known-only         # only what was known in January 2017")]
    Hindcast {
        /// Scenario file with [[outcome]] tables, or a bundled name (hindcast-2014,
        /// hindcast-2017, hindcast-2020).
        scenario: String,
        #[command(flatten)]
        ensemble: EnsembleArgs,
        /// With --out: skip the chart and index.html.
        #[arg(long)]
        no_charts: bool,
        /// Replay only the events known at the origin (known = "origin"), leaving out those
        /// known only with hindsight.
        #[arg(long)]
        known_only: bool,
    },
    /// Calibrate a scenario's [[uncertain]] priors against its calibration [[outcome]]s
    /// (ABC-SMC): posterior.csv for run and compare --posterior, with diagnostics and a page.
    #[command(
        mut_arg("runs", |a| a.hide(true)),
        mut_arg("out", |a| a.help("Output folder [default: a new folder output/calibrate-<scenario>-<time>/]"))
    )]
    #[command(after_help = "Example:
  spheres calibrate calibrate-2014 --out out/cal          # posterior.csv, generations.csv, marginals.csv
  spheres compare nobody-steps-in eu-steps-in --posterior out/cal/posterior.csv")]
    Calibrate {
        /// Scenario file with [[uncertain]] priors and [[outcome]]s, or a bundled name.
        scenario: String,
        #[command(flatten)]
        ensemble: EnsembleArgs,
        /// Particles a generation.
        #[arg(long, default_value_t = calibrate::DEFAULT_PARTICLES)]
        particles: usize,
        /// Most simulations (runs) in all.
        #[arg(long, default_value_t = calibrate::DEFAULT_BUDGET)]
        budget: u64,
        /// Stop once a generation accepts less than this share of its proposals.
        #[arg(long, default_value_t = calibrate::DEFAULT_MIN_ACCEPTANCE)]
        min_acceptance: f64,
        /// Skip the chart of priors and posteriors and index.html; `spheres report DIR` draws
        /// them later.
        #[arg(long)]
        no_charts: bool,
    },
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
    Sweep {
        /// The sweep file (TOML; docs/SCENARIOS.md, "Sweep files").
        file: String,
        #[command(flatten)]
        ensemble: EnsembleArgs,
        /// Run only the K-th of N disjoint slices of the points (for clusters): K/N.
        #[arg(long, value_parser = parse_shard)]
        shard: Option<(usize, usize)>,
        /// Continue an interrupted sweep in --out DIR, skipping the points already done.
        #[arg(long)]
        resume: bool,
        /// Also write ema.tar.gz for EMA Workbench's load_results (`--format ema`; with
        /// --series it holds each output's monthly means as time series).
        #[arg(long, value_parser = ["ema"])]
        format: Option<String>,
        /// Also write runs.csv: every run of every point (columns point, run, then each output
        /// at the horizon).
        #[arg(long)]
        per_run: bool,
        /// Also write series.csv: every month of every point (each output's mean and p05, p25,
        /// p50, p75, p95 over the point's runs); the report draws each output's envelope.
        #[arg(long)]
        series: bool,
        /// Skip the charts (a heatmap per output for a grid of two parameters, a tornado per
        /// output for Sobol and Morris designs, a scatter per output for LHS and Monte Carlo,
        /// an envelope over time per output with --series) and index.html.
        #[arg(long)]
        no_charts: bool,
    },
    /// Combine the slices of a sharded sweep into one folder.
    #[command(after_help = "Example:
  spheres merge results/sobol/shard-* --out results/sobol/merged")]
    Merge {
        /// The slices' folders.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// The merged sweep's folder.
        #[arg(long)]
        out: PathBuf,
        /// Write into a non-empty folder, replacing its results.
        #[arg(long)]
        force: bool,
    },
    /// Draw a sample table for a sensitivity design (SALib's plain-text parameter file).
    #[command(after_help = "Example:
  spheres sample sobol --params params.txt --n 1024 > x.csv   # params.txt: `x1 0 1` per line")]
    Sample {
        /// sobol (Saltelli, N(k+2) rows), morris (N trajectories of k+1 rows) or lhs (N rows).
        #[arg(value_parser = method)]
        method: salib::Method,
        /// Parameter file: one `name lower upper` per line.
        #[arg(long)]
        params: PathBuf,
        /// Base samples (sobol), trajectories (morris) or points (lhs).
        #[arg(long)]
        n: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Grid levels of a Morris design.
        #[arg(long, default_value_t = 4)]
        levels: usize,
    },
    /// Sensitivity indices from a sample table and its outputs, as CSV on stdout.
    #[command(after_help = "Example:
  spheres analyze sobol --params params.txt --samples x.csv --outputs y.csv > indices.csv")]
    Analyze {
        /// sobol or morris.
        #[arg(value_parser = analyzed)]
        method: salib::Method,
        /// The parameter file the sample was drawn with: one `name lower upper` per line.
        #[arg(long)]
        params: PathBuf,
        /// The sample table `spheres sample` wrote.
        #[arg(long)]
        samples: PathBuf,
        /// One row per sample row; a header naming the outputs.
        #[arg(long)]
        outputs: PathBuf,
        /// Seed of the bootstrap behind the intervals.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Draw the charts and index.html of an output folder (of run, compare, levers or sweep).
    #[command(after_help = "Example:
  spheres report output/compare-nobody-steps-in-20251125-101500")]
    Report {
        /// The output folder.
        dir: PathBuf,
    },
    /// List the bundled scenarios, which run from any folder, with a line on each.
    #[command(after_help = "Example:
  spheres list")]
    List,
    /// Write NAME.toml, a commented starter scenario that validates and runs as written (never
    /// overwriting a file).
    #[command(after_help = "Examples:
  spheres init mine                      # mine.toml, a scenario of its own
  spheres init my-eu --extends balkans   # my-eu.toml, a variant of the Balkans")]
    Init {
        /// The new scenario's name (letters, digits, '-', '_'), possibly in a folder: dir/NAME.
        name: String,
        /// Write a variant of this scenario (a bundled name such as balkans, or a file) instead
        /// of a scenario of its own.
        #[arg(long, value_name = "SCENARIO")]
        extends: Option<String>,
    },
    /// Check a scenario file and print what it resolves to.
    #[command(after_help = "Example:
  spheres validate my.toml --set state.SRB.alignment=0.4")]
    Validate {
        /// Scenario file, or the name of a bundled scenario.
        scenario: String,
        /// Set a key of the scenario, as a sweep's key path (repeatable): see `run --help`.
        #[arg(long = "set", value_name = "PATH=VALUE", value_parser = Setting::parse)]
        set: Vec<Setting>,
    },
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

/// The command line's terminal: notes and warnings on stderr, the estimate of a long job
/// (unless `--quiet`), a question before a very large one, a progress bar while stderr is a
/// terminal (unless `--quiet`).
#[derive(Debug)]
struct Console {
    quiet: bool,
}

impl Terminal for Console {
    fn tell(&self, kind: Tell, text: &str) {
        match kind {
            Tell::Note => say!("note: {text}"),
            Tell::Warning => say!("warning: {text}"),
            Tell::Estimate if !self.quiet => say!("{text}"),
            Tell::Estimate => {}
        }
    }

    /// Asks at the terminal; without a terminal to ask at, the answer is no (pass --yes).
    fn confirm(&self, estimate: &Estimate) -> bool {
        use std::io::{BufRead, IsTerminal};
        if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
            return false;
        }
        say!("{estimate}");
        let _ = write!(std::io::stderr(), "continue? [y/N] ");
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer).is_ok()
            && answer.trim().eq_ignore_ascii_case("y")
    }

    /// A bar on stderr: the label, the items done, the rate and, once it means something, the
    /// time left (`progress_text`); hidden with `--quiet` or when stderr is not a terminal.
    fn progress(&self, label: &Label, total: u64) -> Box<dyn Progress> {
        use indicatif::{ProgressBar, ProgressState, ProgressStyle};
        use std::io::IsTerminal;
        if self.quiet || !std::io::stderr().is_terminal() {
            return Box::new(Bar(ProgressBar::hidden()));
        }
        let bar = ProgressBar::new(total);
        let unit = label.unit;
        let text = move |state: &ProgressState| {
            progress_text(
                state.pos(),
                state.len().unwrap_or(0),
                state.elapsed().as_secs_f64(),
                unit,
            )
        };
        let style = ProgressStyle::with_template(&format!(
            "{{prefix}} {{bar:30}} {{pos}}/{{len}} {unit}  {{rate}}  {{elapsed}} elapsed{{left}}"
        ))
        .map(|style| {
            style
                .with_key(
                    "rate",
                    move |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = w.write_str(&text(s).0);
                    },
                )
                .with_key(
                    "left",
                    move |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = w.write_str(&text(s).1);
                    },
                )
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_prefix(label.text.clone());
        Box::new(Bar(bar))
    }
}

/// An indicatif progress bar as the library's `Progress`.
struct Bar(indicatif::ProgressBar);

impl Progress for Bar {
    fn advance(&mut self, items: u64) {
        self.0.inc(items);
    }
    fn finish(&mut self) {
        self.0.finish_and_clear();
    }
}

/// A sensitivity design by its name (the library's table of names).
fn method(name: &str) -> Result<salib::Method, String> {
    one_of(name, &salib::Method::ALL)
}

/// A method `analyze` has an estimator for.
fn analyzed(name: &str) -> Result<salib::Method, String> {
    one_of(name, &salib::Method::ANALYZED)
}

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

fn main() -> ExitCode {
    let cli = Cli::parse();
    // First Ctrl-C: finish the blocks under way, leave the folder marked INCOMPLETE, exit 130.
    // A second one stops at once.
    let _ = ctrlc::set_handler(|| {
        static ASKED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        if ASKED.swap(true, std::sync::atomic::Ordering::SeqCst) {
            std::process::exit(130);
        }
        say!("\nstopping: finishing the runs under way (Ctrl-C again to quit at once)");
        spheres::experiments::request_stop();
    });
    let result = match cli.command {
        Command::Run {
            scenario,
            ensemble,
            parameters,
            summary_only,
            trajectories,
            no_charts,
        } => {
            let quiet = ensemble.quiet;
            let opts = run::RunOptions {
                scenario,
                ensemble: parameters.apply(ensemble.into_options(no_charts)),
                summary_only,
                trajectories,
            };
            run::run(&opts).map(|r| {
                if !quiet {
                    say!(
                        "{} runs (seed {}, {} threads) in {:.2} s -> {}",
                        r.runs,
                        r.seed,
                        r.threads,
                        r.wall_seconds,
                        r.dir.display()
                    );
                }
            })
        }
        Command::Compare {
            baseline,
            variants,
            ensemble,
            parameters,
            no_charts,
        } => {
            let quiet = ensemble.quiet;
            let opts = compare::CompareOptions {
                baseline,
                variants,
                ensemble: parameters.apply(ensemble.into_options(no_charts)),
            };
            compare::compare(&opts).map(|r| {
                if !quiet {
                    let narrowing = r
                        .median_narrowing
                        .map(|x| format!("; pairing narrowed the intervals {x:.1}x (median)"))
                        .unwrap_or_default();
                    say!(
                        "{} runs per scenario (seed {}) in {:.2} s{narrowing} -> {}",
                        r.runs,
                        r.seed,
                        r.wall_seconds,
                        r.dir.display()
                    );
                }
            })
        }
        Command::Levers {
            scenario,
            ensemble,
            no_charts,
        } => {
            let quiet = ensemble.quiet;
            let opts = levers::LeversOptions {
                scenario,
                ensemble: ensemble.into_options(no_charts),
            };
            levers::levers(&opts).map(|r| {
                if !quiet {
                    say!(
                        "{} probes + the scenario, {} runs each (seed {}) in {:.2} s -> {}",
                        r.probes,
                        r.runs,
                        r.seed,
                        r.wall_seconds,
                        r.dir.display()
                    );
                }
            })
        }
        Command::Hindcast {
            scenario,
            ensemble,
            no_charts,
            known_only,
        } => {
            let opts = hindcast::HindcastOptions {
                scenario,
                ensemble: ensemble.into_options(no_charts),
                known_only,
            };
            hindcast::hindcast(&opts).and_then(|r| {
                stdout(&hindcast::table(&r))?;
                if let Some(dir) = &r.dir {
                    say!("-> {}", dir.display());
                }
                Ok(())
            })
        }
        Command::Calibrate {
            scenario,
            ensemble,
            particles,
            budget,
            min_acceptance,
            no_charts,
        } => {
            let quiet = ensemble.quiet;
            let opts = calibrate::CalibrateOptions {
                scenario,
                ensemble: ensemble.into_options(no_charts),
                particles,
                budget,
                min_acceptance,
                write: true,
            };
            calibrate::calibrate(&opts).and_then(|r| {
                stdout(&calibrate::table(&r))?;
                if !quiet && let Some(dir) = &r.dir {
                    say!(
                        "{} simulations in {:.1} s -> {}",
                        r.simulations,
                        r.wall_seconds,
                        dir.display()
                    );
                }
                Ok(())
            })
        }
        Command::Sweep {
            file,
            ensemble,
            shard,
            resume,
            format,
            per_run,
            series,
            no_charts,
        } => {
            let quiet = ensemble.quiet;
            let opts = sweep::SweepOptions {
                file,
                ensemble: ensemble.into_options(no_charts),
                shard,
                resume,
                ema: format.is_some(),
                extras: sweep::Extras { per_run, series },
            };
            sweep::sweep(&opts).map(|r| {
                for w in &r.warnings {
                    say!("warning: {w}");
                }
                if !quiet {
                    say!(
                        "{} points ({} failed) -> {}",
                        r.points,
                        r.failed,
                        r.dir.display()
                    );
                }
            })
        }
        Command::Merge { dirs, out, force } => {
            let line = std::env::args().collect::<Vec<_>>().join(" ");
            sweep::merge(&dirs, &out, force, &line).map(|dir| say!("-> {}", dir.display()))
        }
        Command::Sample {
            method,
            params,
            n,
            seed,
            levels,
        } => salib::read_params(&params)
            .and_then(|factors| salib::sample(method, &factors, n, levels, seed))
            .and_then(|csv| stdout(&csv)),
        Command::Analyze {
            method,
            params,
            samples,
            outputs,
            seed,
        } => salib::read_params(&params)
            .and_then(|factors| salib::analyze(method, &factors, &samples, &outputs, seed))
            .and_then(|a| {
                for w in &a.warnings {
                    say!("warning: {w}");
                }
                stdout(&a.csv)
            }),
        Command::Report { dir } => spheres::experiments::report(&dir).map(|w| {
            for page in &w.pages {
                say!("-> {}", page.display());
            }
        }),
        Command::List => list::list().and_then(|text| stdout(&text)),
        Command::Init { name, extends } => {
            init::init(&init::InitOptions { name, extends }).map(|path| {
                let p = path.display();
                say!("-> {p}\nnext: spheres validate {p}, then spheres run {p}");
            })
        }
        Command::Validate { scenario, set } => {
            validate::validate(&scenario, &set, &Console { quiet: false })
                .and_then(|text| stdout(&text))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
