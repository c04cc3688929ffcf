//! The engine: runs the model month by month ([`step`]), draws random numbers from per-run
//! streams ([`rng`]), and spreads runs over threads with results delivered in run order
//! ([`blocks`]).

pub mod blocks;
pub mod rng;
pub mod step;
