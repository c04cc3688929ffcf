//! What users ask for, end to end: each experiment loads scenarios, drives the engine and
//! writes its outputs. The command line is a thin layer over these functions.

pub mod run;
pub mod validate;
