//! The binary's own modules: the command line's grammar and the terminal.

pub mod args;
pub mod console;
