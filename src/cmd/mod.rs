//! The commands: each turns parsed arguments into work and an exit code.

pub mod docs;
pub mod errors;
pub mod explain;
pub mod listen;
mod live;
pub mod parallel;
pub mod parse;
pub mod relay;
pub mod send;
mod serving;
pub mod usage;

use std::io;
use std::process::ExitCode;

/// How a command ended, as the exit code a user sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything read was valid.
    Ok,
    /// Some input had errors (shown in the output).
    InputErrors,
    /// A file could not be read, or the command line was wrong.
    Failed,
}

impl Outcome {
    /// The worse of two outcomes.
    pub(crate) fn and(self, other: Outcome) -> Outcome {
        match (self, other) {
            (Outcome::Failed, _) | (_, Outcome::Failed) => Outcome::Failed,
            (Outcome::InputErrors, _) | (_, Outcome::InputErrors) => Outcome::InputErrors,
            _ => Outcome::Ok,
        }
    }
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        match o {
            Outcome::Ok => ExitCode::SUCCESS,
            Outcome::InputErrors => ExitCode::from(1),
            Outcome::Failed => ExitCode::from(2),
        }
    }
}

/// True when the reader of our output went away (`| head`): not an error to report.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
