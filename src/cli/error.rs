//! The one error type of the command line: the library's typed errors as they are (their messages
//! are written for people already), and the refusals worded here, at the edge, about the options.

use std::process::ExitCode;

/// Why a command stopped. Every variant prints as `error: MESSAGE` and ends hwf with exit code 2
/// (bad input or usage); validation errors are not failures of the command and end with 1 through
/// the handler's own exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A bad option value or combination, or a refusal worded at the command line.
    #[error("{0}")]
    Usage(String),
    /// An input that could not be read.
    #[error(transparent)]
    Ingest(#[from] hwf::ingest::error::IngestError),
    /// An output that could not be written, or a folder hwf must not replace.
    #[error(transparent)]
    Publish(#[from] hwf::publish::atomic::PublishError),
    /// A scenario or model input refused, or a projection that could not be made.
    #[error(transparent)]
    Model(#[from] hwf::model::ModelError),
    /// A forecast's options or series refused.
    #[error(transparent)]
    Forecast(#[from] hwf::model::forecast::ForecastError),
    /// An allocation spec, published distribution or funding file refused.
    #[error(transparent)]
    Allocation(#[from] hwf::allocate::spec::AllocationError),
    /// A county or region that is not one, or not in the run.
    #[error(transparent)]
    Principal(#[from] hwf::publish::principal::PrincipalError),
    /// A register spec or extract refused.
    #[error(transparent)]
    Register(#[from] hwf::ingest::register::RegisterError),
    /// A synthetic register that could not be made.
    #[error(transparent)]
    Synth(#[from] hwf::ingest::register::synth::SynthError),
    /// A fetch that failed.
    #[error(transparent)]
    Fetch(#[from] hwf::ingest::fetch::FetchError),
    /// A scenario that cannot be written as TOML.
    #[error(transparent)]
    Toml(#[from] toml::ser::Error),
}

impl From<String> for CliError {
    fn from(msg: String) -> CliError {
        CliError::Usage(msg)
    }
}

impl From<&str> for CliError {
    fn from(msg: &str) -> CliError {
        CliError::Usage(msg.to_string())
    }
}

impl CliError {
    /// The exit code: 2 for every error (1 is for validation errors found, which are results).
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(2)
    }
}
