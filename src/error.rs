//! The one error type of the library, and the exit code each kind maps to.

use std::path::PathBuf;

/// Everything that can go wrong, in words a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A scenario, sweep or argument is malformed; the message names where and what was expected.
    #[error("{0}")]
    Input(String),
    /// The output folder would be overwritten or is otherwise unusable.
    #[error("{0}")]
    Refused(String),
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Exit code for the command line: 2 for bad input or a refused overwrite, 1 for I/O failures.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) | Error::Refused(_) => 2,
            Error::Io { .. } => 1,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
