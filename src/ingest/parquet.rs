//! Apache Parquet files as hwf writes them (the tidy layout), read with polars.
//!
//! The frame is turned into a grid of cells and read like a tidy CSV, so a round trip through
//! Parquet keeps every code, label, value and status exactly (values are stored as 64-bit floats).

use super::error::{IngestError, Location};
use super::grid::{self, Decimal, Grid, GridRow, Locator, RawCell};
use crate::table::Table;
use polars::prelude::*;
use std::io::Cursor;
use std::path::Path;

/// Reads a Parquet file's bytes into a tidy table.
///
/// # Errors
///
/// A file polars cannot read as Parquet, a column of a type other than text or number, and
/// everything [`grid::to_table`] reports (rows are numbered from 2, the header being row 1).
pub fn read(path: &Path, bytes: &[u8]) -> Result<Table, IngestError> {
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
                            .map_or(RawCell::Empty, |s| RawCell::Text(s.to_string()))
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
        cells: names.iter().map(|n| RawCell::Text(n.clone())).collect(),
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
    let grid = Grid {
        rows,
        locator: Locator::Lines,
        decimal: Decimal::Point,
        format: "parquet",
    };
    grid::to_table(path, &grid)
}
