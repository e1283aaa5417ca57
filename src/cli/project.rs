//! `hwf project`: supply, demand, gaps and the required intake, written out.

use super::args::ProjectArgs;
use super::{CliError, print_notes};
use std::process::ExitCode;

/// `hwf project`: the projection's files, and its balance at the horizon on the console.
pub fn project(a: ProjectArgs) -> Result<ExitCode, CliError> {
    // The draws' options before any work.
    a.mc.check()?;
    let out = a.keep.out(a.out)?;
    let (sc, _, _) = hwf::model::scenario::load(a.scenario.as_deref())?;
    eprintln!(
        "projecting scenario {:?}: base year {}, horizon {}",
        sc.name, sc.base_year, sc.horizon
    );
    let mut pr = hwf::model::run(&sc)?;
    print_notes(&pr);
    a.mc.apply(&mut pr)?;
    hwf::publish::results::write(&pr, &out)?;
    print!("{}", hwf::publish::results::balance_text(&pr));
    println!("wrote {}", out.path().display());
    Ok(ExitCode::SUCCESS)
}
