//! `hwf validate`: tables checked against the code lists and the rules of their kind.

use super::CliError;
use super::args::ValidateArgs;
use hwf::ingest::{self, read_table};
use hwf::table::Table;
use hwf::validate::{self, Finding, Options, Severity, TableKind};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

/// `hwf validate`: the findings, and exit code 1 when any is an error.
pub fn validate(a: ValidateArgs) -> Result<ExitCode, CliError> {
    let kind = a
        .kind
        .map(|k| TableKind::try_from(k.as_str()))
        .transpose()?;
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
    let mut findings: Vec<Finding> = Vec::new();
    let mut checked = 0usize;
    let tables = collect_tables(&a.paths, a.format)?;
    for (name, result) in tables {
        checked += 1;
        match result {
            Ok(t) => {
                let opts = Options {
                    kind: kind.unwrap_or_else(|| TableKind::from_file_name(&name)),
                    ..base.clone()
                };
                findings.extend(validate::check(&t, &opts));
            }
            // A file with several read errors lists them all, one finding each.
            Err(e) => findings.extend(e.lines().map(|line| Finding {
                severity: Severity::Error,
                check: "read",
                file: name.clone(),
                place: String::new(),
                found: line.to_string(),
                expected: "a readable table".into(),
            })),
        }
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    if a.json {
        let list: Vec<_> = findings
            .iter()
            .map(|f| {
                json!({"severity": f.severity.as_str(), "check": f.check, "file": f.file,
                       "place": f.place, "found": f.found, "expected": f.expected})
            })
            .collect();
        let doc =
            json!({"files": checked, "errors": errors, "warnings": warnings, "findings": list});
        println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
    } else {
        if errors > 0 {
            println!("Errors:");
            for f in findings.iter().filter(|f| f.severity == Severity::Error) {
                println!("  {f}");
            }
        }
        if warnings > 0 {
            println!("Warnings:");
            for f in findings.iter().filter(|f| f.severity == Severity::Warning) {
                println!("  {f}");
            }
        }
        println!("{checked} file(s) checked: {errors} error(s), {warnings} warning(s)");
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

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

/// The tables named on the command line (folders expanded), or the embedded default data.
/// A table to check, by name, or why it could not be read.
type Named = (String, Result<Table, String>);

fn collect_tables(paths: &[PathBuf], format: Option<ingest::Format>) -> Result<Vec<Named>, String> {
    if paths.is_empty() {
        return Ok(hwf::defaults::tables()
            .into_iter()
            .map(|(name, r)| (name, r.map_err(|e| e.to_string())))
            .collect());
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| format!("{}: {e}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                // hwf's own records describe tables or folders; they are not tables: a fetch's
                // `FILE.source.json`, an output folder's marker, aggregate's report.
                .filter(|f| {
                    !f.file_name().is_some_and(|n| {
                        let n = n.to_string_lossy();
                        n.ends_with(".source.json")
                            || n == hwf::publish::atomic::MARKER
                            || n == "aggregate_report.json"
                    })
                })
                .filter(|f| {
                    f.extension()
                        .and_then(|e| e.to_str())
                        .map(str::to_ascii_lowercase)
                        .is_some_and(|e| {
                            matches!(e.as_str(), "px" | "json" | "csv" | "xlsx" | "parquet")
                        })
                })
                .collect();
            files.sort();
            for f in files {
                out.push((
                    f.display().to_string(),
                    read_table(&f).map_err(|e| e.to_string()),
                ));
            }
        } else {
            out.push((
                p.display().to_string(),
                ingest::read_table_as(p, format, &ingest::Limits::from_env())
                    .map_err(|e| e.to_string()),
            ));
        }
    }
    Ok(out)
}
