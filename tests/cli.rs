//! The command line end to end: bad input, determinism across threads, output safety,
//! reproducibility from the output folder, bundled scenarios.
//!
//! One test target, its tests in tests/cli/ by what they test: `errors.rs` (the bad-scenario
//! corpus and error messages), `outputs.rs` (determinism and output safety), `golden.rs` (what
//! the outputs hold, golden hashes), `commands.rs` (bundled scenarios, init, list, validate,
//! help), `what_if.rs` (what a comparison's variants change, `--set-variant`, relative values).

mod common;

#[path = "cli/commands.rs"]
mod commands;
#[path = "cli/errors.rs"]
mod errors;
#[path = "cli/golden.rs"]
mod golden;
#[path = "cli/outputs.rs"]
mod outputs;
#[path = "cli/what_if.rs"]
mod what_if;
