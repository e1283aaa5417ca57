//! `hwf convert` and `hwf inspect`: one table read, written out again or described.

use super::args::{ConvertArgs, InspectArgs};
use super::{CliError, read};
use hwf::publish::atomic::PublishError;
use hwf::publish::{inspect, tables};
use std::process::ExitCode;

/// `hwf convert`: the table in the format the output's extension names.
pub fn convert(a: ConvertArgs) -> Result<ExitCode, CliError> {
    let table = read(&a.input, a.sheet.as_deref(), a.format)?;
    let format = match tables::TableFormat::from_path(&a.output) {
        Some(tables::TableFormat::Csv) if a.swedish => tables::TableFormat::CsvSwedish,
        Some(f) => f,
        None => return Err(PublishError::UnknownFormat { path: a.output }.into()),
    };
    tables::write(&table, &a.output, format)?;
    for w in &table.meta.warnings {
        eprintln!("warning: {}: {w}", a.input.display());
    }
    eprintln!("wrote {} ({} rows)", a.output.display(), table.len());
    Ok(ExitCode::SUCCESS)
}

/// `hwf inspect`: the table's description, as text or JSON.
pub fn inspect(a: InspectArgs) -> Result<ExitCode, CliError> {
    let t = read(&a.file, a.sheet.as_deref(), a.format)?;
    // A file `hwf fetch` wrote: where from, and whether it is still as fetched.
    let fetched = hwf::ingest::fetch::record_of(&a.file);
    if a.json {
        let j = inspect::json(&t, fetched.as_ref());
        println!("{}", serde_json::to_string_pretty(&j).unwrap_or_default());
    } else {
        print!("{}", inspect::text(&t, a.codes, fetched.as_ref()));
    }
    Ok(ExitCode::SUCCESS)
}
