//! The `spheres` command: parses the arguments (`cli::args`), runs one function per subcommand
//! over `spheres::experiments`, prints its results and talks to the terminal (`cli::console`);
//! errors become exit codes (2 bad input, 1 I/O, 130 interrupted).

mod cli;

use clap::Parser;
use cli::args::{
    AnalyzeArgs, CalibrateArgs, Cli, Command, CompareArgs, ExploreArgs, ForecastArgs, HindcastArgs,
    InitArgs, LeversArgs, MergeArgs, NowcastArgs, ReportArgs, RunArgs, SampleArgs, SweepArgs,
    ValidateArgs,
};
use cli::console::{Console, say, stdout};
use spheres::experiments::{
    self, calibrate, compare, explore, forecast, hindcast, init, levers, list, nowcast, run, salib,
    sweep, validate,
};
use std::process::ExitCode;

fn main() -> ExitCode {
    match try_main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// Parses the command line and runs its subcommand.
fn try_main() -> spheres::Result<()> {
    let cli = Cli::parse();
    stop_on_ctrl_c();
    match cli.command {
        Command::Run(args) => run_command(args),
        Command::Compare(args) => compare_command(args),
        Command::Levers(args) => levers_command(args),
        Command::Hindcast(args) => hindcast_command(args),
        Command::Nowcast(args) => nowcast_command(&args),
        Command::Forecast(args) => forecast_command(args),
        Command::Explore(args) => explore_command(args),
        Command::Calibrate(args) => calibrate_command(args),
        Command::Sweep(args) => sweep_command(args),
        Command::Merge(args) => merge_command(args),
        Command::Sample(args) => sample_command(args),
        Command::Analyze(args) => analyze_command(args),
        Command::Report(args) => report_command(&args),
        Command::List => list_command(),
        Command::Init(args) => init_command(args),
        Command::Validate(args) => validate_command(&args),
    }
}

/// First Ctrl-C: finish the blocks under way, leave the folder marked INCOMPLETE, exit 130.
/// A second one stops at once.
fn stop_on_ctrl_c() {
    let _ = ctrlc::set_handler(|| {
        static ASKED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        if ASKED.swap(true, std::sync::atomic::Ordering::SeqCst) {
            std::process::exit(130);
        }
        say!("\nstopping: finishing the runs under way (Ctrl-C again to quit at once)");
        experiments::request_stop();
    });
}

/// `spheres run`: an ensemble of one scenario, then a closing line.
fn run_command(args: RunArgs) -> spheres::Result<()> {
    let quiet = args.ensemble.quiet;
    let ensemble = args
        .parameters
        .apply(args.ensemble.into_options(args.no_charts));
    let opts = run::RunOptions {
        scenario: args.scenario,
        ensemble: experiments::Ensemble {
            trace: args.trace,
            ..ensemble
        },
        summary_only: args.summary_only,
        trajectories: args.trajectories,
    };
    let r = run::run(&opts)?;
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
    Ok(())
}

/// `spheres compare`: a baseline and its variants on common random numbers, then a closing line.
fn compare_command(args: CompareArgs) -> spheres::Result<()> {
    let quiet = args.ensemble.quiet;
    let opts = compare::CompareOptions {
        baseline: args.baseline,
        variants: args.variants,
        variant_sets: args.set_variant,
        ensemble: args
            .parameters
            .apply(args.ensemble.into_options(args.no_charts)),
    };
    let r = compare::compare(&opts)?;
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
    Ok(())
}

/// `spheres levers`: the lever table's probes, then a closing line.
fn levers_command(args: LeversArgs) -> spheres::Result<()> {
    let quiet = args.ensemble.quiet;
    let opts = levers::LeversOptions {
        scenario: args.scenario,
        ensemble: args.ensemble.into_options(args.no_charts),
    };
    let r = levers::levers(&opts)?;
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
    Ok(())
}

/// `spheres hindcast`: the scores' table on stdout, and the folder if there is one.
fn hindcast_command(args: HindcastArgs) -> spheres::Result<()> {
    let opts = hindcast::HindcastOptions {
        scenario: args.scenario,
        ensemble: args.ensemble.into_options(args.no_charts),
        known_only: args.known_only,
    };
    let r = hindcast::hindcast(&opts)?;
    stdout(&hindcast::table(&r))?;
    if let Some(dir) = &r.dir {
        say!("-> {}", dir.display());
    }
    Ok(())
}

/// `spheres nowcast`: the states' table on stdout, then the folder.
fn nowcast_command(args: &NowcastArgs) -> spheres::Result<()> {
    let opts = nowcast::NowcastOptions {
        scenario: args.scenario.clone(),
        origin: args.origin.clone(),
        data: args.data.clone(),
        ensemble: args.ensemble(),
    };
    let r = nowcast::nowcast(&opts)?;
    stdout(&nowcast::table(&r))?;
    say!("-> {}", r.dir.display());
    Ok(())
}

/// `spheres explore`: the server until Ctrl-C, or with --export the static page.
fn explore_command(args: ExploreArgs) -> spheres::Result<()> {
    let explorer = explore::Explorer::new(explore::ExploreOptions {
        baseline: args.baseline,
        variant: args.variant,
        citizens: args.citizens,
        threads: args.threads,
        out: args.out,
    })?;
    if let Some(file) = args.export {
        let opts = explore::ExportOptions {
            file,
            levers: args.levers,
            runs: args.runs,
            worlds: !args.fixed,
        };
        let points = explore::export(&explorer, &opts)?;
        say!("{points} lattice points -> {}", opts.file.display());
        return Ok(());
    }
    let ip = args.listen.unwrap_or(std::net::Ipv4Addr::LOCALHOST.into());
    if !ip.is_loopback() {
        say!(
            "warning: listening on {ip}: anyone who reaches it can run comparisons on this machine"
        );
    }
    let server = explore::Server::bind(explorer, (ip, args.port).into())?;
    let url = format!("http://{}/", server.addr()?);
    stdout(&format!("{url}\n"))?;
    say!("spheres explore: serving {url} (Ctrl-C stops it)");
    if args.open {
        open_browser(&url);
    }
    server.run()
}

/// Opens `url` in the desktop's browser, or says how to.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        say!("note: could not start {opener}; open {url} in a browser");
    }
}

/// `spheres forecast`: the folder's forecast (or, with --origins, the scores' table).
fn forecast_command(args: ForecastArgs) -> spheres::Result<()> {
    let quiet = args.ensemble.quiet;
    let ensemble = args
        .parameters
        .apply(args.ensemble.into_options(args.no_charts));
    if let Some(origins) = args.origins {
        let opts = forecast::RollingOptions {
            scenario: args.scenario,
            origins,
            years: args.years,
            data: args.data,
            ensemble,
        };
        let r = forecast::rolling(&opts)?;
        stdout(&forecast::table(&r))?;
        if !quiet {
            say!("{} forecasts scored -> {}", r.items.len(), r.dir.display());
        }
        return Ok(());
    }
    let opts = forecast::ForecastOptions {
        scenario: args.scenario,
        origin: args.origin.unwrap_or_default(),
        years: args.years,
        data: args.data,
        ensemble,
    };
    let r = forecast::forecast(&opts)?;
    if !quiet {
        say!(
            "{} runs from {} -> {}",
            r.runs,
            r.origin_text(),
            r.dir.display()
        );
    }
    Ok(())
}

/// `spheres calibrate`: the posterior's table on stdout, then a closing line.
fn calibrate_command(args: CalibrateArgs) -> spheres::Result<()> {
    let quiet = args.ensemble.quiet;
    let opts = calibrate::CalibrateOptions {
        scenario: args.scenario,
        ensemble: args.ensemble.into_options(args.no_charts),
        particles: args.particles,
        budget: args.budget,
        min_acceptance: args.min_acceptance,
        write: true,
    };
    let r = calibrate::calibrate(&opts)?;
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
}

/// `spheres sweep`: the sweep's points, its warnings, then a closing line.
fn sweep_command(args: SweepArgs) -> spheres::Result<()> {
    let quiet = args.ensemble.quiet;
    let opts = sweep::SweepOptions {
        file: args.file,
        ensemble: args.ensemble.into_options(args.no_charts),
        shard: args.shard,
        resume: args.resume,
        ema: args.format.is_some(),
        extras: sweep::Extras {
            per_run: args.per_run,
            series: args.series,
        },
    };
    let r = sweep::sweep(&opts)?;
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
    Ok(())
}

/// `spheres merge`: the slices of a sharded sweep in one folder.
fn merge_command(args: MergeArgs) -> spheres::Result<()> {
    let line = std::env::args().collect::<Vec<_>>().join(" ");
    let dir = sweep::merge(&args.dirs, &args.out, args.force, &line)?;
    say!("-> {}", dir.display());
    Ok(())
}

/// `spheres sample`: a design's sample table on stdout.
fn sample_command(args: SampleArgs) -> spheres::Result<()> {
    let factors = salib::read_params(&args.params)?;
    let csv = salib::sample(args.method, &factors, args.n, args.levels, args.seed)?;
    stdout(&csv)
}

/// `spheres analyze`: sensitivity indices on stdout, after the warnings.
fn analyze_command(args: AnalyzeArgs) -> spheres::Result<()> {
    let factors = salib::read_params(&args.params)?;
    let a = salib::analyze(
        args.method,
        &factors,
        &args.samples,
        &args.outputs,
        args.seed,
    )?;
    for w in &a.warnings {
        say!("warning: {w}");
    }
    stdout(&a.csv)
}

/// `spheres report`: the charts and pages of a folder, one line per page.
fn report_command(args: &ReportArgs) -> spheres::Result<()> {
    let written = experiments::report(&args.dir)?;
    for page in &written.pages {
        say!("-> {}", page.display());
    }
    Ok(())
}

/// `spheres list`: the bundled scenarios on stdout.
fn list_command() -> spheres::Result<()> {
    stdout(&list::list()?)
}

/// `spheres init`: a starter scenario, and what to do next.
fn init_command(args: InitArgs) -> spheres::Result<()> {
    let path = init::init(&init::InitOptions {
        name: args.name,
        extends: args.extends,
    })?;
    let p = path.display();
    say!("-> {p}\nnext: spheres validate {p}, then spheres run {p}");
    Ok(())
}

/// `spheres validate`: the resolved scenario on stdout.
fn validate_command(args: &ValidateArgs) -> spheres::Result<()> {
    let text = validate::validate(&args.scenario, &args.set, &Console { quiet: false })?;
    stdout(&text)
}
