//! spheres: an agent-based simulator of regional influence. States are agents whose alignment
//! between Moscow (+1) and the West (−1) moves month by month under the levers outside powers
//! pull. See ARCHITECTURE.md for the code map and docs/MODEL.md for the model.
//!
//! The command line (`spheres run`, `compare`, `sweep`, …) is a thin layer over
//! [`experiments`]; each experiment writes an output folder whose files docs/SCENARIOS.md
//! describes. Running the bundled tutorial scenario and reading its summary:
//!
//! ```
//! use spheres::experiments::{Ensemble, run::{RunOptions, run}};
//!
//! let scenario = spheres::scenario::load("tutorial")?;
//! assert_eq!(scenario.scenario.months, 60);
//!
//! let out = std::env::temp_dir().join(format!("spheres-doc-{}", std::process::id()));
//! let report = run(&RunOptions {
//!     scenario: "tutorial".into(),
//!     ensemble: Ensemble {
//!         runs: Some(20),
//!         seed: Some(1),
//!         threads: Some(1),
//!         out: Some(out.clone()),
//!         force: true,
//!         no_charts: true,
//!         ..Ensemble::default()
//!     },
//!     summary_only: true,
//!     trajectories: 0,
//! })?;
//! assert_eq!(report.runs, 20);
//!
//! // summary.csv: date,state,indicator,mean,sd,p05,p25,p50,p75,p95, one row per month.
//! let summary = std::fs::read_to_string(report.dir.join("summary.csv"))?;
//! let horizon = summary
//!     .lines()
//!     .filter(|line| line.contains(",SWG,alignment,"))
//!     .last()
//!     .expect("Swingland's alignment is summarised");
//! let mean: f64 = horizon.split(',').nth(3).unwrap().parse()?;
//! assert!((-1.0..=1.0).contains(&mean));
//! std::fs::remove_dir_all(&out)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

// State-of-arrays code indexes several arrays by one state index; iterator chains over five
// arrays would read worse than the loop they replace.
#![allow(clippy::needless_range_loop)]
#![warn(missing_docs)]
// Input and I/O paths return typed errors; nothing in the library may panic on them.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod distributions;
pub mod engine;
pub mod error;
pub mod experiments;
pub mod measure;
pub mod model;
pub mod output;
pub mod report;
pub mod scenario;
pub mod sensitivity;
pub mod statistics;

pub use error::{Error, Result};
