//! What `hwf inspect` shows of a table: its metadata, dimensions and codes, value range and
//! counts by status, as text for people or JSON for scripts.

use crate::ingest::fetch::Source;
use crate::table::{Lang, Role, Status, Table};
use serde_json::json;
use std::fmt::Write as _;

/// The record of a file `hwf fetch` wrote ([`crate::ingest::fetch::record_of`]): the request,
/// whether the file is still as fetched, and when the answer behind it was retrieved.
pub type Fetched = (Source, bool, String);

/// The description `hwf inspect` prints: where the table came from, its dimensions with up to
/// `max_codes` codes each, its value range, counts by status, symbols, notes and warnings; and,
/// for a file `hwf fetch` wrote, where it was fetched from and whether it is still as fetched.
pub fn text(t: &Table, max_codes: usize, fetched: Option<&Fetched>) -> String {
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
            let _ = write!(s, " [{}]", d.role.as_str());
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
    if let Some((rec, same, when)) = fetched {
        let _ = writeln!(
            s,
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
    s
}

/// The description as JSON (`hwf inspect --json`): the same as [`text`] with every code listed.
pub fn json(t: &Table, fetched: Option<&Fetched>) -> serde_json::Value {
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
    let mut j = json!({
        "file": m.origin, "format": m.format, "synthetic": m.synthetic,
        "title_sv": m.title_sv, "title_en": m.title_en, "table_id": m.table_id, "source": m.source,
        "unit": m.unit, "measure": m.measure, "decimals": m.decimals, "updated": m.updated,
        "cells": t.len(), "dimensions": dims,
        "value_min": range.map(|r| r.0), "value_max": range.map(|r| r.1),
        "status": status, "symbols": m.symbol_names, "notes": m.notes, "warnings": m.warnings,
    });
    if let Some((rec, same, when)) = fetched {
        j["fetched"] = json!({"table": rec.table, "api": rec.api, "retrieved": when,
                              "unchanged": same});
    }
    j
}
