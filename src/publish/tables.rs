//! Tidy tables out: CSV (plain UTF-8, or Swedish Excel style), Parquet and xlsx.
//!
//! One row per cell; for every dimension a column of codes (named by the dimension's id) followed by
//! `<id>_sv` and `<id>_en` label columns where the table has such labels; then `value` (empty where
//! the status has no value), `status` (`observed`, `missing`, `zero`, `suppressed`, `estimated`) and,
//! when any cell carried one, `symbol` (the source's own symbol: `..`, `-`, …). The readers in
//! [`crate::ingest`] read all of these back to the same table.
//!
//! Every file is written whole to a temporary file beside the target and then renamed into place, so
//! an interrupted run never leaves half a file under the final name.

use super::atomic::{self, PublishError};
use crate::ingest::grid::format_number;
use crate::table::{Lang, Status, Table};
use polars::prelude::*;
use std::path::Path;

/// The output formats for tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableFormat {
    /// UTF-8, `,`, decimal point, no byte-order mark.
    Csv,
    /// What Swedish Excel opens directly: UTF-8 with a byte-order mark, `;`, decimal comma.
    CsvSwedish,
    /// Apache Parquet.
    Parquet,
    /// An xlsx workbook with the table on sheet `data` and its metadata on sheet `meta`.
    Xlsx,
}

impl TableFormat {
    /// The format for a file name's extension (`.csv`, `.parquet`, `.xlsx`).
    pub fn from_path(path: &Path) -> Option<TableFormat> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => Some(TableFormat::Csv),
            Some("parquet") => Some(TableFormat::Parquet),
            Some("xlsx") => Some(TableFormat::Xlsx),
            _ => None,
        }
    }
}

/// A column of the tidy layout.
enum Col {
    Code(usize),
    Label(usize, Lang),
    Value,
    Status,
    Symbol,
}

fn columns(t: &Table) -> Vec<(String, Col)> {
    let mut cols = Vec::new();
    for (d, dim) in t.dims.iter().enumerate() {
        cols.push((dim.id.clone(), Col::Code(d)));
        for lang in [Lang::Sv, Lang::En] {
            // A label column that only repeats the codes (PX values without CODES) is left out.
            let informative = dim.categories.iter().any(|c| {
                let l = match lang {
                    Lang::Sv => &c.label_sv,
                    Lang::En => &c.label_en,
                };
                l.as_ref().is_some_and(|l| *l != c.code)
            });
            if informative {
                cols.push((format!("{}_{}", dim.id, lang.code()), Col::Label(d, lang)));
            }
        }
    }
    cols.push(("value".into(), Col::Value));
    cols.push(("status".into(), Col::Status));
    if t.symbols.iter().any(|&s| s != 0) {
        cols.push(("symbol".into(), Col::Symbol));
    }
    cols
}

fn text(t: &Table, row: usize, col: &Col, decimal_comma: bool) -> String {
    match col {
        Col::Code(d) => t.code(*d, row).to_string(),
        Col::Label(d, lang) => {
            let c = &t.dims[*d].categories[t.keys[*d][row] as usize];
            match lang {
                Lang::Sv => c.label_sv.clone().unwrap_or_default(),
                Lang::En => c.label_en.clone().unwrap_or_default(),
            }
        }
        Col::Value => match t.value(row) {
            Some(v) => {
                let s = format_number(v);
                if decimal_comma {
                    s.replace('.', ",")
                } else {
                    s
                }
            }
            None => String::new(),
        },
        Col::Status => t.status[row].as_str().to_string(),
        Col::Symbol => t.symbol(row).unwrap_or("").to_string(),
    }
}

/// Writes `table` to `path` in `format`.
///
/// # Errors
///
/// [`PublishError::Io`] when the file cannot be written (nothing is left under `path` then), and
/// [`PublishError::Encode`] when the Parquet or xlsx encoder fails.
pub fn write(table: &Table, path: &Path, format: TableFormat) -> Result<(), PublishError> {
    atomic::write(path, &encode(table, path, format)?)
}

/// The bytes [`write()`] writes (`path` names the file in messages).
///
/// # Errors
///
/// [`PublishError::Encode`] when the Parquet or xlsx encoder fails.
pub fn encode(table: &Table, path: &Path, format: TableFormat) -> Result<Vec<u8>, PublishError> {
    Ok(match format {
        TableFormat::Csv => csv_bytes(table, b',', false, false),
        TableFormat::CsvSwedish => csv_bytes(table, b';', true, true),
        TableFormat::Parquet => parquet_bytes(table).map_err(|e| PublishError::Encode {
            path: path.to_path_buf(),
            what: "Parquet".into(),
            message: e.to_string(),
        })?,
        TableFormat::Xlsx => xlsx_bytes(table).map_err(|e| PublishError::Encode {
            path: path.to_path_buf(),
            what: "xlsx".into(),
            message: e.to_string(),
        })?,
    })
}

/// The table as CSV bytes.
pub fn csv_bytes(t: &Table, delimiter: u8, decimal_comma: bool, bom: bool) -> Vec<u8> {
    let cols = columns(t);
    let mut out = Vec::with_capacity(t.len() * 32);
    if bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut w = ::csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(out);
    // Writing to a Vec cannot fail.
    let _ = w.write_record(cols.iter().map(|(n, _)| n.as_str()));
    let mut rec = Vec::with_capacity(cols.len());
    for row in 0..t.len() {
        rec.clear();
        rec.extend(cols.iter().map(|(_, c)| text(t, row, c, decimal_comma)));
        let _ = w.write_record(&rec);
    }
    w.into_inner().unwrap_or_default()
}

/// The table as a polars frame in the tidy layout (codes and labels as text, value as f64 with nulls).
///
/// # Errors
///
/// A polars error if the columns cannot form a frame (they always have the same height).
pub fn to_frame(t: &Table) -> PolarsResult<DataFrame> {
    // Text columns are the few strings of a dimension's categories (or the five statuses) gathered
    // by each row's index: no string is made per row, so a table of millions of cells costs its
    // indices, not millions of small allocations.
    let gather = |name: &str, texts: Vec<String>, idx: Vec<IdxSize>| -> PolarsResult<Column> {
        let idx = IdxCa::from_vec(PlSmallStr::EMPTY, idx);
        Ok(Series::new(name.into(), texts).take(&idx)?.into_column())
    };
    let mut columns = Vec::new();
    for (name, col) in columns_of(t) {
        let c = match col {
            Col::Value => Column::new(
                name.as_str().into(),
                (0..t.len()).map(|r| t.value(r)).collect::<Vec<_>>(),
            ),
            Col::Symbol => Column::new(
                name.as_str().into(),
                (0..t.len()).map(|r| t.symbol(r)).collect::<Vec<_>>(),
            ),
            Col::Code(d) | Col::Label(d, _) => {
                let texts = t.dims[d]
                    .categories
                    .iter()
                    .map(|c| match col {
                        Col::Label(_, Lang::Sv) => c.label_sv.clone().unwrap_or_default(),
                        Col::Label(_, Lang::En) => c.label_en.clone().unwrap_or_default(),
                        _ => c.code.clone(),
                    })
                    .collect();
                let idx = t.keys[d].iter().map(|&k| k as IdxSize).collect();
                gather(&name, texts, idx)?
            }
            Col::Status => {
                let texts = Status::ALL.iter().map(|s| s.as_str().to_string()).collect();
                let idx = t
                    .status
                    .iter()
                    .map(|s| Status::ALL.iter().position(|x| x == s).unwrap_or(0) as IdxSize)
                    .collect();
                gather(&name, texts, idx)?
            }
        };
        columns.push(c);
    }
    DataFrame::new(t.len(), columns)
}

fn columns_of(t: &Table) -> Vec<(String, Col)> {
    columns(t)
}

/// The table as Parquet bytes (zstd-compressed).
///
/// # Errors
///
/// A polars error from building the frame or encoding it.
pub fn parquet_bytes(t: &Table) -> PolarsResult<Vec<u8>> {
    let mut df = to_frame(t)?;
    let mut buf = Vec::new();
    ParquetWriter::new(&mut buf)
        .with_key_value_metadata(Some(KeyValueMetadata::from_static(parquet_meta(t))))
        .finish(&mut df)?;
    Ok(buf)
}

/// The table's metadata as the Parquet file's key-value pairs (keys `hwf.…`, read back by
/// `ingest::parquet`): titles, source, unit, the synthetic mark and the notes, which a Parquet
/// file would otherwise lose.
pub fn parquet_meta(t: &Table) -> Vec<(String, String)> {
    let m = &t.meta;
    let mut kv = Vec::new();
    for (k, v) in [
        ("title_sv", &m.title_sv),
        ("title_en", &m.title_en),
        ("table_id", &m.table_id),
        ("source", &m.source),
        ("unit", &m.unit),
    ] {
        if let Some(v) = v {
            kv.push((format!("hwf.{k}"), v.clone()));
        }
    }
    if m.synthetic {
        kv.push(("hwf.synthetic".into(), "yes".into()));
    }
    for (i, n) in m.notes.iter().enumerate() {
        kv.push((format!("hwf.note.{i:04}"), n.clone()));
    }
    kv
}

/// The table as an xlsx workbook: sheet `data` (the tidy table, numbers as numbers) and sheet `meta`.
///
/// # Errors
///
/// An encoder error from rust_xlsxwriter (e.g. more than 1,048,575 rows).
pub fn xlsx_bytes(t: &Table) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    // A fixed creation date keeps the bytes the same from run to run.
    let props = DocProperties::new().set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?);
    wb.set_properties(&props);
    let bold = Format::new().set_bold();
    let cols = columns(t);
    let ws = wb.add_worksheet();
    ws.set_name("data")?;
    for (c, (name, _)) in cols.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, name, &bold)?;
    }
    for row in 0..t.len() {
        let r = row as u32 + 1;
        for (c, (_, col)) in cols.iter().enumerate() {
            match col {
                Col::Value => {
                    if let Some(v) = t.value(row) {
                        ws.write_number(r, c as u16, v)?;
                    }
                }
                other => {
                    let s = text(t, row, other, false);
                    if !s.is_empty() {
                        ws.write_string(r, c as u16, &s)?;
                    }
                }
            }
        }
    }
    let meta = wb.add_worksheet();
    meta.set_name("meta")?;
    let m = &t.meta;
    let pairs: Vec<(&str, String)> = vec![
        ("origin", m.origin.clone()),
        ("format", m.format.clone()),
        ("title_sv", m.title_sv.clone().unwrap_or_default()),
        ("title_en", m.title_en.clone().unwrap_or_default()),
        ("table_id", m.table_id.clone().unwrap_or_default()),
        ("source", m.source.clone().unwrap_or_default()),
        ("unit", m.unit.clone().unwrap_or_default()),
        (
            "synthetic",
            if m.synthetic {
                "yes".into()
            } else {
                "no".into()
            },
        ),
        ("notes", m.notes.join("\n")),
    ];
    for (i, (k, v)) in pairs.iter().enumerate() {
        meta.write_string(i as u32, 0, *k)?;
        meta.write_string(i as u32, 1, v)?;
    }
    wb.save_to_buffer()
}

/// Counts rows by status, for summaries.
pub fn status_counts(t: &Table) -> Vec<(Status, usize)> {
    t.status_counts()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect()
}
