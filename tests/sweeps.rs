//! Sweeps: bad sweep files, slices that merge into the same bytes, resuming after SIGKILL,
//! failed points recorded while the sweep goes on, and the SALib-like sample/analyze commands.
//!
//! One test target, its tests in tests/sweeps/ by what they test: `refused.rs` (bad sweep files
//! and options), `shards.rs` (shards and merge), `resume.rs` (resume, `--set`), `results.rs`
//! (failing points, charts, the EMA archive, plain decimals), `salib.rs` (sample and analyze).

mod common;

#[path = "sweeps/refused.rs"]
mod refused;
#[path = "sweeps/results.rs"]
mod results;
#[path = "sweeps/resume.rs"]
mod resume;
#[path = "sweeps/salib.rs"]
mod salib;
#[path = "sweeps/shards.rs"]
mod shards;
