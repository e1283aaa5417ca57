//! Office Open XML workbooks (`.xlsx`): one sheet with a header row, read with calamine.
//!
//! The sheet is read as a grid and turned into a table by [`super::grid`], so the same layouts work
//! as in CSV (title rows, long, wide, hwf tidy). Numbers stored as numbers are taken as they are;
//! numbers stored as text follow the file's decimal convention. A merged cell in or above the header
//! is an error: which column such a header belongs to is a guess hwf does not make.

use super::error::{IngestError, Location};
use super::grid::{self, Decimal, Grid, GridRow, Locator, RawCell};
use crate::table::Table;
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;
use std::path::Path;

/// Reads one sheet of a workbook's bytes (the first, or the one named) into a tidy table.
///
/// # Errors
///
/// A file that is not an xlsx workbook, a sheet that does not exist, a cell holding an Excel error
/// (`#N/A`, `#DIV/0!`), merged header cells, and everything [`grid::to_table`] reports, each with
/// the sheet and cell (`data.xlsx:Blad1!C7`).
pub fn read(path: &Path, bytes: &[u8], sheet: Option<&str>) -> Result<Table, IngestError> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
        IngestError::syntax(
            path,
            Location::File,
            format!("not a readable xlsx workbook ({e})"),
            "an Office Open XML workbook (.xlsx)",
        )
    })?;
    let names = wb.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| {
                IngestError::missing(
                    path,
                    Location::File,
                    format!("the sheet {s:?}"),
                    format!("one of {names:?}"),
                )
            })?,
        None => names.first().cloned().ok_or_else(|| {
            IngestError::missing(path, Location::File, "a worksheet", "at least one sheet")
        })?,
    };
    let range = wb.worksheet_range(&name).map_err(|e| {
        IngestError::syntax(
            path,
            Location::File,
            format!("sheet {name:?} cannot be read ({e})"),
            "a worksheet with cells",
        )
    })?;
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let at = r0 + i as u32;
        let mut cells = Vec::with_capacity(c0 as usize + row.len());
        cells.extend((0..c0).map(|_| RawCell::Empty));
        for (j, d) in row.iter().enumerate() {
            cells.push(match d {
                Data::Empty => RawCell::Empty,
                Data::Int(v) => RawCell::Number(*v as f64),
                Data::Float(v) => RawCell::Number(*v),
                Data::String(s) => RawCell::Text(s.clone()),
                Data::Bool(b) => RawCell::Text(b.to_string()),
                Data::DateTime(dt) => RawCell::Text(dt.to_string()),
                Data::DateTimeIso(s) | Data::DurationIso(s) => RawCell::Text(s.clone()),
                Data::Error(e) => {
                    return Err(IngestError::syntax(
                        path,
                        Location::Cell {
                            sheet: name.clone(),
                            row: at,
                            col: c0 + j as u32,
                        },
                        format!("the spreadsheet error {e}"),
                        "a number, a symbol or text",
                    ));
                }
            });
        }
        rows.push(GridRow { at, cells });
    }
    // Merged cells at or above the header row (the first row with two filled cells).
    let header_at = rows
        .iter()
        .find(|r| {
            r.cells
                .iter()
                .filter(|c| !matches!(c, RawCell::Empty))
                .count()
                >= 2
        })
        .map(|r| r.at);
    if let (Some(h), Ok(merged)) = (header_at, wb.merge_cells_by_sheet_name(&name))
        && let Some(m) = merged
            .iter()
            .find(|m| m.start.0 <= h && m.start.1 != m.end.1)
    {
        {
            return Err(IngestError::syntax(
                path,
                Location::Cell {
                    sheet: name.clone(),
                    row: m.start.0,
                    col: m.start.1,
                },
                format!(
                    "a header cell merged over columns {}–{}",
                    super::error::column_letters(m.start.1),
                    super::error::column_letters(m.end.1)
                ),
                "one header cell per column (unmerge the header and name every column)",
            ));
        }
    }
    let grid = Grid {
        rows,
        locator: Locator::Sheet(name),
        decimal: Decimal::Detect,
        format: "xlsx",
    };
    grid::to_table(path, &grid)
}
