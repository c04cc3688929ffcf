//! spheres: an agent-based simulator of regional influence. States are agents whose alignment
//! between Moscow (+1) and the West (−1) moves month by month under the levers outside powers
//! pull. See ARCHITECTURE.md for the code map and docs/MODEL.md for the model.

// State-of-arrays code indexes several arrays by one state index; iterator chains over five
// arrays would read worse than the loop they replace.
#![allow(clippy::needless_range_loop)]
// Input and I/O paths return typed errors; nothing in the library may panic on them.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod distributions;
pub mod engine;
pub mod error;
pub mod experiments;
pub mod model;
pub mod output;
pub mod report;
pub mod scenario;
pub mod sensitivity;
pub mod statistics;

pub use error::{Error, Result};
