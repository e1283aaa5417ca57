//! Office Open XML workbooks (`.xlsx`): one sheet with a header row, read with calamine.
//!
//! The sheet is read as a grid and turned into a table by [`super::grid`], so the same layouts work
//! as in CSV (title rows, long, wide, hwf tidy). Numbers stored as numbers are taken as they are;
//! numbers stored as text follow the file's decimal convention. A merged cell in or above the header
//! is an error: which column such a header belongs to is a guess hwf does not make.

use super::error::{IngestError, Location};
use super::grid::{self, Decimal, Grid, GridRow, Locator, RawCell};
use super::limits::Limits;
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
    read_with(path, bytes, sheet, &Limits::default())
}

/// As [`read`], under the given limits: the package is checked by [`super::package::check`] (part
/// sizes, compression ratios, sheet ranges, shared strings) before calamine reads anything.
///
/// # Errors
///
/// As [`read`], and [`IngestError::TooLarge`] / [`IngestError::Overstated`] for a package beyond
/// the limits.
pub fn read_with(
    path: &Path,
    bytes: &[u8],
    sheet: Option<&str>,
    limits: &Limits,
) -> Result<Table, IngestError> {
    super::package::check(path, bytes, limits)?;
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
                Data::String(s) => RawCell::Text(s.as_str().into()),
                Data::Bool(b) => RawCell::Text(b.to_string().into()),
                Data::DateTime(dt) if dt.is_duration() => {
                    RawCell::Date(format!("a duration of {} days", dt.as_f64()))
                }
                Data::DateTime(dt) => RawCell::Date(excel_date(dt.as_f64())),
                Data::DateTimeIso(s) | Data::DurationIso(s) => RawCell::Date(s.clone()),
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

/// An Excel serial date (1900 date system, with Excel's fictitious 29 February 1900) as ISO 8601:
/// `2020-01-01`, with the time of day when there is one (`2020-01-01T12:00:00`).
pub fn excel_date(serial: f64) -> String {
    if !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
        return format!("the serial date {serial}");
    }
    let whole = serial.floor() as i64;
    // Serial 1 is 1900-01-01; from serial 61 on, Excel counts a 29 February 1900 that never was.
    let days_from_1899_12_31 = if whole >= 61 { whole - 1 } else { whole };
    // Days from 1970-01-01 to 1899-12-31 are -25568.
    let (y, m, d) = civil_from_days(days_from_1899_12_31 - 25_568);
    let secs = ((serial - serial.floor()) * 86_400.0).round() as i64;
    if secs == 0 || secs >= 86_400 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

/// Year, month, day of a day count from 1970-01-01 (H. Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_are_the_dates_excel_shows() {
        // 43831 is 2020-01-01 in Excel; 1 is 1900-01-01; 61 is 1900-03-01 (after the fictitious 29 Feb).
        assert_eq!(excel_date(43_831.0), "2020-01-01");
        assert_eq!(excel_date(1.0), "1900-01-01");
        assert_eq!(excel_date(61.0), "1900-03-01");
        assert_eq!(excel_date(43_831.5), "2020-01-01T12:00:00");
    }
}
