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
    /// Writing an output failed where no `std::io::Error` says why (a chart backend).
    #[error("{0}")]
    Write(String),
    /// Formatting CSV failed.
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    /// Something the code guarantees did not hold: a bug to report.
    #[error("internal error (please report it): {0}")]
    Internal(String),
    /// The user stopped the program (Ctrl-C) before it finished.
    #[error(
        "interrupted: the results are incomplete; the output folder holds a file INCOMPLETE saying so"
    )]
    Interrupted,
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Exit code for the command line: 2 for bad input or a refused overwrite, 1 for I/O
    /// failures, 130 when interrupted (as a shell reports Ctrl-C).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) | Error::Refused(_) => 2,
            Error::Io { .. } | Error::Write(_) | Error::Csv(_) | Error::Internal(_) => 1,
            Error::Interrupted => 130,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

impl<W> From<csv::IntoInnerError<W>> for Error {
    fn from(e: csv::IntoInnerError<W>) -> Self {
        Error::Internal(format!("flushing CSV into memory: {}", e.error()))
    }
}

/// A result whose error is spheres' [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
