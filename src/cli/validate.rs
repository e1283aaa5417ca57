//! `hwf validate`: tables checked against the code lists and the rules of their kind.

use super::CliError;
use super::args::ValidateArgs;
use hwf::validate::{self, Options, TableKind};
use std::process::ExitCode;

/// `hwf validate`: the findings, and exit code 1 when any is an error.
pub fn validate(a: ValidateArgs) -> Result<ExitCode, CliError> {
    let kind = a.kind;
    let years = parse_years(&a.years)?;
    let total_tolerance = a.total_tolerance;
    if !(0.0..1.0).contains(&total_tolerance) {
        return Err(format!(
            "--total-tolerance {total_tolerance}: expected a relative tolerance from 0 up to 1"
        )
        .into());
    }
    let base = Options {
        kind: TableKind::Other,
        years,
        total_tolerance,
        ..Options::default()
    };
    let tables = hwf::ingest::read_named(&a.paths, a.format)?;
    let report = validate::check_all(tables, kind, &base);
    if a.json {
        let doc = report.json();
        println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    } else {
        print!("{}", report.text());
    }
    Ok(if report.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `--years FROM-TO`.
fn parse_years(s: &str) -> Result<(i32, i32), String> {
    let (a, b) = s
        .split_once('-')
        .ok_or_else(|| format!("--years {s:?}: expected FROM-TO, e.g. 1990-2060"))?;
    let a: i32 = a
        .trim()
        .parse()
        .map_err(|_| format!("--years {s:?}: {a:?} is not a year"))?;
    let b: i32 = b
        .trim()
        .parse()
        .map_err(|_| format!("--years {s:?}: {b:?} is not a year"))?;
    if a > b {
        return Err(format!("--years {s:?}: FROM is after TO"));
    }
    Ok((a, b))
}
