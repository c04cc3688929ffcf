//! The `spheres` command: parses arguments and calls the library; nothing else.

use clap::{Parser, Subcommand};
use spheres::experiments::{Ensemble, run, validate};
use std::path::PathBuf;
use std::process::ExitCode;

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

#[derive(Subcommand)]
enum Command {
    /// Run many seeded runs of a scenario and write summary, outcomes and events as CSV.
    Run {
        /// Scenario file, or the name of a bundled scenario (balkans, tutorial).
        scenario: String,
        /// Number of runs [default: the scenario's `runs`].
        #[arg(long)]
        runs: Option<u64>,
        /// Master seed; run i uses stream i of it [default: the scenario's `seed`].
        #[arg(long)]
        seed: Option<u64>,
        /// Worker threads [default: all cores]. Results do not depend on it.
        #[arg(long)]
        threads: Option<usize>,
        /// Output folder [default: output/<scenario>-<YYYYMMDD-HHMMSS>/].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write into a non-empty output folder, replacing its results.
        #[arg(long)]
        force: bool,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
        /// Write summary.csv only, not outcomes.csv and events.csv (one row per run).
        #[arg(long)]
        summary_only: bool,
    },
    /// Check a scenario file and print what it resolves to.
    Validate {
        /// Scenario file, or the name of a bundled scenario.
        scenario: String,
    },
}

fn command_line() -> String {
    std::env::args().collect::<Vec<_>>().join(" ")
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run {
            scenario,
            runs,
            seed,
            threads,
            out,
            force,
            quiet,
            summary_only,
        } => {
            let opts = run::RunOptions {
                scenario,
                ensemble: Ensemble {
                    runs,
                    seed,
                    threads,
                    out,
                    force,
                    quiet,
                    command_line: command_line(),
                },
                summary_only,
            };
            run::run(&opts).map(|r| {
                if !quiet {
                    eprintln!(
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
        Command::Validate { scenario } => {
            validate::validate(&scenario).map(|text| print!("{text}"))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
