//! spheres: an agent-based simulator of regional influence. States are agents whose alignment
//! between Moscow (+1) and the West (−1) moves month by month under the levers outside powers
//! pull. See ARCHITECTURE.md for the code map and docs/MODEL.md for the model.

pub mod engine;
pub mod error;
pub mod experiments;
pub mod model;
pub mod output;
pub mod scenario;
pub mod statistics;

pub use error::{Error, Result};
