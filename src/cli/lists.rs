//! The commands that print what hwf holds: `hwf scenario show` and `hwf codes`.

use super::CliError;
use super::args::ScenarioAction;
use hwf::codes::{CodeLists, List};
use std::process::ExitCode;

/// `hwf scenario`.
pub fn scenario(action: ScenarioAction) -> Result<ExitCode, CliError> {
    match action {
        ScenarioAction::Show { file } => {
            let (sc, prov, _) = hwf::model::scenario::load(file.as_deref())?;
            print!("{}", hwf::model::scenario::show(&sc, &prov)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `hwf codes LIST`: one code list, a line per code, its fields separated by tabs.
pub fn codes(list: List) -> Result<ExitCode, CliError> {
    print!("{}", CodeLists::get().listing(list));
    Ok(ExitCode::SUCCESS)
}
