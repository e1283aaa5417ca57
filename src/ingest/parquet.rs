//! Apache Parquet files as hwf writes them (the tidy layout), read with polars.
//!
//! The frame is turned into a grid of cells and read like a tidy CSV, so a round trip through
//! Parquet keeps every code, label, value and status exactly (values are stored as 64-bit floats).

mod guard;
mod thrift;

use super::error::{IngestError, Location};
use super::grid::{self, Decimal, Grid, GridRow, Locator, RawCell};
use super::limits::Limits;
use crate::table::Table;
use polars::prelude::*;
use std::io::Cursor;
use std::path::Path;

/// Reads a Parquet file's bytes into a tidy table, under the limits of [`Limits::from_env`].
///
/// # Errors
///
/// As [`read_with`].
pub fn read(path: &Path, bytes: &[u8]) -> Result<Table, IngestError> {
    read_with(path, bytes, &Limits::from_env())
}

/// Checks every size and count a Parquet file declares (footer, column chunks, page headers)
/// against its bytes and the limits, without decoding anything: what [`read_with`] runs before the
/// Parquet library sees the file.
///
/// # Errors
///
/// [`IngestError::ParquetDeclared`], [`IngestError::TooLarge`], [`IngestError::Missing`] and
/// [`IngestError::Syntax`], each at the footer or at the row group, column and page.
pub fn check_declarations(path: &Path, bytes: &[u8], limits: &Limits) -> Result<(), IngestError> {
    guard::check(path, bytes, limits)
}

/// Reads a Parquet file's bytes into a tidy table, under the given limits.
///
/// The Parquet library is not hardened against damaged files, so its boundary is guarded twice.
/// First hwf reads the footer and every page header itself and checks each declared size and count
/// against the bytes present and the limits (the library sizes allocations from them, and a failed
/// allocation aborts the process); then the call into the library runs under
/// [`std::panic::catch_unwind`], so a panic there becomes an error that says so (its own report kept
/// off stderr on this thread).
///
/// # Errors
///
/// What the check of declarations finds ([`IngestError::ParquetDeclared`] at the footer or at the
/// row group, column and page; [`IngestError::TooLarge`]; [`IngestError::Syntax`] for a damaged
/// footer or page header, or a nested column), a file polars cannot read as Parquet (or panics on),
/// a column of a type other than text or number, and everything [`grid::to_table`] reports (rows
/// are numbered from 2, the header being row 1).
pub fn read_with(path: &Path, bytes: &[u8], limits: &Limits) -> Result<Table, IngestError> {
    guard::check(path, bytes, limits)?;
    let grid = guarded(path, || frame_to_grid(path, bytes))??;
    let mut t = grid::to_table(path, &grid)?;
    let kv = guarded(path, || key_values(bytes))?;
    apply_meta(&mut t, &kv);
    Ok(t)
}

/// The file's key-value metadata (empty when it has none or it cannot be read: the data were).
fn key_values(bytes: &[u8]) -> Vec<(String, String)> {
    let mut r = ParquetReader::new(Cursor::new(bytes));
    match r.get_metadata() {
        Ok(m) => m
            .key_value_metadata()
            .iter()
            .flatten()
            .filter_map(|kv| Some((kv.key.clone(), kv.value.clone()?)))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// Takes what hwf wrote of a table's metadata (`hwf.title_sv`, …, `hwf.synthetic`, `hwf.note.N`;
/// see `publish::tables::parquet_meta`) back into the table read.
fn apply_meta(t: &mut Table, kv: &[(String, String)]) {
    let m = &mut t.meta;
    let mut notes = Vec::new();
    for (k, v) in kv {
        let Some(k) = k.strip_prefix("hwf.") else {
            continue;
        };
        match k {
            "title_sv" => m.title_sv = Some(v.clone()),
            "title_en" => m.title_en = Some(v.clone()),
            "table_id" => m.table_id = Some(v.clone()),
            "source" => m.source = Some(v.clone()),
            "unit" => m.unit = Some(v.clone()),
            "synthetic" => m.synthetic |= v == "yes",
            _ if k.starts_with("note.") => notes.push((k.to_string(), v.clone())),
            _ => {}
        }
    }
    notes.sort();
    m.notes.extend(notes.into_iter().map(|(_, v)| v));
    m.synthetic |= m
        .title_sv
        .iter()
        .chain(m.title_en.iter())
        .chain(m.notes.iter())
        .any(|n| crate::table::says_synthetic(n));
}

thread_local! {
    /// Set while this thread runs guarded library code: its panics are reported as errors, so the
    /// default hook's message is not printed.
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Guarded calls running now, in any thread: while there is one, panics in polars' own worker
/// threads (named `polars-…`), which polars hands back to the caller, are not printed either.
static ACTIVE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Runs `f`, turning a panic into an [`IngestError::Syntax`] that names the library.
fn guarded<T>(path: &Path, f: impl FnOnce() -> T) -> Result<T, IngestError> {
    use std::sync::atomic::Ordering;
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let polars_worker = ACTIVE.load(Ordering::SeqCst) > 0
                && std::thread::current()
                    .name()
                    .is_some_and(|n| n.starts_with("polars"));
            if !GUARDED.with(std::cell::Cell::get) && !polars_worker {
                previous(info);
            }
        }));
    });
    GUARDED.with(|g| g.set(true));
    ACTIVE.fetch_add(1, Ordering::SeqCst);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    ACTIVE.fetch_sub(1, Ordering::SeqCst);
    GUARDED.with(|g| g.set(false));
    result.map_err(|payload| {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        IngestError::syntax(
            path,
            Location::File,
            format!(
                "a damaged Parquet file: the Parquet library aborted reading it with a panic ({}), \
                 which hwf caught at the library boundary",
                super::error::excerpt(&msg)
            ),
            "an intact Apache Parquet file as hwf writes it",
        )
    })
}

/// The frame polars reads, as a grid of cells (header row first).
fn frame_to_grid(path: &Path, bytes: &[u8]) -> Result<Grid<'static>, IngestError> {
    let df = ParquetReader::new(Cursor::new(bytes))
        .finish()
        .map_err(|e| {
            IngestError::syntax(
                path,
                Location::File,
                format!("not a readable Parquet file ({e})"),
                "an Apache Parquet file",
            )
        })?;
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let height = df.height();
    let mut cols: Vec<Vec<RawCell>> = Vec::with_capacity(names.len());
    for name in &names {
        let col = df.column(name).map_err(|e| {
            IngestError::syntax(path, Location::File, e.to_string(), "a readable column")
        })?;
        let cells: Vec<RawCell> = match col.dtype() {
            DataType::String => {
                let ca = col.str().map_err(|e| {
                    IngestError::syntax(path, Location::File, e.to_string(), "text")
                })?;
                (0..height)
                    .map(|r| {
                        ca.get(r)
                            .map_or(RawCell::Empty, |s| RawCell::Text(s.to_string().into()))
                    })
                    .collect()
            }
            dt if dt.is_primitive_numeric() => {
                let ca = col
                    .cast(&DataType::Float64)
                    .and_then(|c| c.f64().cloned())
                    .map_err(|e| {
                        IngestError::syntax(path, Location::File, e.to_string(), "numbers")
                    })?;
                (0..height)
                    .map(|r| ca.get(r).map_or(RawCell::Empty, RawCell::Number))
                    .collect()
            }
            other => {
                return Err(IngestError::syntax(
                    path,
                    Location::Path(format!("column {name:?}")),
                    format!("a column of type {other}"),
                    "text or numbers",
                ));
            }
        };
        cols.push(cells);
    }
    let mut rows = Vec::with_capacity(height + 1);
    rows.push(GridRow {
        at: 1,
        cells: names
            .iter()
            .map(|n| RawCell::Text(n.clone().into()))
            .collect(),
    });
    for r in 0..height {
        rows.push(GridRow {
            at: r as u32 + 2,
            cells: cols
                .iter_mut()
                .map(|c| std::mem::replace(&mut c[r], RawCell::Empty))
                .collect(),
        });
    }
    Ok(Grid {
        rows,
        locator: Locator::Lines,
        decimal: Decimal::Point,
        format: "parquet",
    })
}
