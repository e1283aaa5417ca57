//! The `hwf` command: a thin layer over the library that turns its typed errors into messages for
//! people and exit codes for scripts (0 fine, 1 validation errors, 2 bad input or usage). The
//! commands themselves are in [`cli`].

mod cli;

use clap::Parser;
use cli::args::{Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    // A reader that stops early (`hwf codes municipalities | head`) closes the pipe: end quietly,
    // as command-line tools do, instead of panicking in `println!`.
    #[cfg(unix)]
    // SAFETY: restoring the default action of one signal, before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let result = match Cli::parse().command {
        Command::Convert(a) => cli::tables::convert(a),
        Command::Inspect(a) => cli::tables::inspect(a),
        Command::Validate(a) => cli::validate::validate(a),
        Command::Allocate(a) => cli::allocate::allocate(a),
        Command::Project(a) => cli::project::project(a),
        Command::Report(a) => cli::report::run(a),
        Command::Backtest(a) => cli::backtest::run(a),
        Command::Forecast(a) => cli::forecast::forecast(a),
        Command::Fetch(a) => cli::fetch::fetch(a),
        Command::Aggregate(a) => cli::register::aggregate(a),
        Command::SynthRegister(a) => cli::register::synth_register(a),
        Command::Scenario { action } => cli::lists::scenario(action),
        Command::Codes { list } => cli::lists::codes(list),
    };
    result.unwrap_or_else(|e| {
        eprintln!("error: {e}");
        e.exit_code()
    })
}
