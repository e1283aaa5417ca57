//! `hwf convert` and `hwf inspect`: one table read, written out again or described.

use super::args::{ConvertArgs, InspectArgs};
use super::{CliError, read};
use hwf::publish::tables::{self, TableFormat};
use hwf::table::{Lang, Role, Status, Table};
use serde_json::json;
use std::process::ExitCode;

/// `hwf convert`: the table in the format the output's extension names.
pub fn convert(a: ConvertArgs) -> Result<ExitCode, CliError> {
    let table = read(&a.input, a.sheet.as_deref(), a.format)?;
    let format = match TableFormat::from_path(&a.output) {
        Some(TableFormat::Csv) if a.swedish => TableFormat::CsvSwedish,
        Some(f) => f,
        None => {
            return Err(format!(
                "{}: cannot tell the output format from the extension; expected .csv, .parquet or .xlsx",
                a.output.display()
            )
            .into());
        }
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
        let mut j = inspect_json(&t);
        if let Some((rec, same, when)) = &fetched {
            j["fetched"] = json!({"table": rec.table, "api": rec.api, "retrieved": when,
                                  "unchanged": same});
        }
        println!("{}", serde_json::to_string_pretty(&j).unwrap_or_default());
    } else {
        print!("{}", inspect_text(&t, a.codes));
        if let Some((rec, same, when)) = &fetched {
            println!(
                "fetched:    table {} from {} ({when}){}",
                rec.table,
                rec.api,
                if *same {
                    ""
                } else {
                    "; the file has changed since (its record describes another)"
                }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn role_name(r: Role) -> &'static str {
    r.as_str()
}

fn inspect_text(t: &Table, max_codes: usize) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let m = &t.meta;
    let _ = writeln!(
        s,
        "{} ({}){}",
        m.origin,
        m.format,
        if m.synthetic {
            " — SYNTHETIC DATA"
        } else {
            ""
        }
    );
    if let Some(x) = &m.title_sv {
        let _ = writeln!(s, "title (sv): {x}");
    }
    if let Some(x) = &m.title_en {
        let _ = writeln!(s, "title (en): {x}");
    }
    if let Some(x) = &m.table_id {
        let _ = writeln!(s, "table id:   {x}");
    }
    if let Some(x) = &m.source {
        let _ = writeln!(s, "source:     {x}");
    }
    if let Some(x) = m.unit.as_ref().or(m.measure.as_ref()) {
        let _ = writeln!(s, "unit:       {x}");
    }
    let _ = writeln!(s, "cells:      {}", t.len());
    let _ = writeln!(s, "dimensions: {}", t.dims.len());
    for d in &t.dims {
        let label = d
            .label_sv
            .as_ref()
            .or(d.label_en.as_ref())
            .filter(|l| **l != d.id);
        let _ = write!(s, "  {}", d.id);
        if let Some(l) = label {
            let _ = write!(s, " ({l})");
        }
        if d.role != Role::Other {
            let _ = write!(s, " [{}]", role_name(d.role));
        }
        let _ = writeln!(s, ": {} categories", d.len());
        let shown: Vec<String> = d
            .categories
            .iter()
            .take(max_codes)
            .map(|c| {
                let l = c.label(Lang::Sv);
                if l == c.code {
                    c.code.clone()
                } else {
                    format!("{} {l}", c.code)
                }
            })
            .collect();
        let more = if d.len() > max_codes {
            format!(", … ({} more)", d.len() - max_codes)
        } else {
            String::new()
        };
        let _ = writeln!(s, "    {}{more}", shown.join(", "));
    }
    match t.value_range() {
        Some((lo, hi)) => {
            let _ = writeln!(s, "values:     {lo} … {hi}");
        }
        None => {
            let _ = writeln!(s, "values:     none");
        }
    }
    let counts: Vec<String> = t
        .status_counts()
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(st, n)| format!("{st} {n}"))
        .collect();
    let _ = writeln!(s, "status:     {}", counts.join(", "));
    if !m.symbol_names.is_empty() {
        let _ = writeln!(
            s,
            "symbols:    {}",
            m.symbol_names
                .iter()
                .map(|x| format!("{x:?}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    for n in &m.notes {
        let _ = writeln!(s, "note:       {n}");
    }
    for w in &m.warnings {
        let _ = writeln!(s, "warning:    {w}");
    }
    s
}

fn inspect_json(t: &Table) -> serde_json::Value {
    let m = &t.meta;
    let dims: Vec<_> = t
        .dims
        .iter()
        .map(|d| {
            json!({
                "id": d.id, "label_sv": d.label_sv, "label_en": d.label_en, "role": d.role.as_str(),
                "size": d.len(),
                "codes": d.categories.iter().map(|c| json!({"code": c.code, "label_sv": c.label_sv,
                    "label_en": c.label_en, "unit": c.unit})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let status: serde_json::Map<String, serde_json::Value> = Status::ALL
        .iter()
        .zip(t.status_counts())
        .map(|(s, (_, n))| (s.as_str().to_string(), json!(n)))
        .collect();
    let range = t.value_range();
    json!({
        "file": m.origin, "format": m.format, "synthetic": m.synthetic,
        "title_sv": m.title_sv, "title_en": m.title_en, "table_id": m.table_id, "source": m.source,
        "unit": m.unit, "measure": m.measure, "decimals": m.decimals, "updated": m.updated,
        "cells": t.len(), "dimensions": dims,
        "value_min": range.map(|r| r.0), "value_max": range.map(|r| r.1),
        "status": status, "symbols": m.symbol_names, "notes": m.notes, "warnings": m.warnings,
    })
}
