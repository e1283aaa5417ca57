//! `hwf forecast`: every yearly series of a table forecast, with intervals and scores.

use super::args::ForecastArgs;
use super::{CliError, read};
use hwf::model::forecast;
use std::process::ExitCode;

/// `hwf forecast`: the forecast's files, and its summary on the console.
pub fn forecast(a: ForecastArgs) -> Result<ExitCode, CliError> {
    let opts = forecast::Options {
        method: forecast::Method::try_from(a.method.as_str())
            .map_err(|e| format!("--method: {e}"))?,
        from: a.from,
        last: a.last,
        until: a.until,
        levels: a.levels,
        seed: a.seed,
        paths: a.paths,
    };
    opts.check()?;
    let out = a.keep.out(a.out)?;
    let table = read(&a.file, a.sheet.as_deref(), a.format)?;
    for w in &table.meta.warnings {
        eprintln!("warning: {}: {w}", a.file.display());
    }
    let run = forecast::run(&table, &opts)?;
    hwf::publish::forecast::write(&run, &out)?;
    print!("{}", hwf::publish::forecast::summary(&run));
    println!("wrote {}", out.path().display());
    Ok(ExitCode::SUCCESS)
}
