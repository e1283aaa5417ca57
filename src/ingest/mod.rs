//! Readers for the formats the agencies publish, each into one tidy [`Table`].
//!
//! | format | module | typical source |
//! |---|---|---|
//! | PC-Axis `.px` | [`px`] | SCB Statistikdatabasen, Socialstyrelsen's statistical database |
//! | JSON-stat 2.0 | [`jsonstat`] | PxWebApi 2 |
//! | CSV | [`csv`] | SCB and Socialstyrelsen exports, and hwf's own tidy CSV |
//! | xlsx | [`xlsx`] | spreadsheets with a header row |
//! | Parquet | [`parquet`] | hwf's own tidy Parquet |
//!
//! Every reader takes the file's bytes and its path (for messages) so that tests and fuzz targets can
//! feed it from memory; [`read_table`] reads a file and picks the reader.

pub mod csv;
pub mod error;
pub mod grid;
pub mod jsonstat;
pub mod parquet;
pub mod px;
pub mod text;
pub mod xlsx;

pub use error::{IngestError, Location};

use crate::table::Table;
use std::path::Path;

/// The input formats hwf reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// PC-Axis.
    Px,
    /// JSON-stat 2.0.
    JsonStat,
    /// Delimited text.
    Csv,
    /// Office Open XML workbook.
    Xlsx,
    /// Apache Parquet as written by hwf.
    Parquet,
}

impl Format {
    /// Tells the format from the file's extension, then from its first bytes.
    pub fn detect(path: &Path, head: &[u8]) -> Option<Format> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase());
        match ext.as_deref() {
            Some("px") => return Some(Format::Px),
            Some("json") => return Some(Format::JsonStat),
            Some("csv") | Some("tsv") | Some("txt") => return Some(Format::Csv),
            Some("xlsx") | Some("xlsm") => return Some(Format::Xlsx),
            Some("parquet") => return Some(Format::Parquet),
            _ => {}
        }
        let (head, _) = text::strip_bom(head);
        if head.starts_with(b"PAR1") {
            Some(Format::Parquet)
        } else if head.starts_with(b"PK\x03\x04") {
            Some(Format::Xlsx)
        } else if head.trim_ascii_start().starts_with(b"{") {
            Some(Format::JsonStat)
        } else if head.windows(8).take(4096).any(|w| w == b"CHARSET=")
            || head.windows(13).take(4096).any(|w| w == b"AXIS-VERSION=")
        {
            Some(Format::Px)
        } else {
            None
        }
    }
}

/// Reads a table from a file, choosing the reader by extension (or content).
///
/// # Errors
///
/// [`IngestError::Io`] when the file cannot be read, [`IngestError::UnknownFormat`] when no reader fits,
/// and whatever the chosen reader reports, always with the file and place.
pub fn read_table(path: &Path) -> Result<Table, IngestError> {
    let bytes = std::fs::read(path).map_err(|source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_bytes(path, &bytes)
}

/// Reads a table from bytes already in memory; `path` names it in messages and picks the reader.
///
/// # Errors
///
/// As [`read_table`].
pub fn read_bytes(path: &Path, bytes: &[u8]) -> Result<Table, IngestError> {
    let head = &bytes[..bytes.len().min(8192)];
    let format = Format::detect(path, head).ok_or_else(|| IngestError::UnknownFormat {
        path: path.to_path_buf(),
        found: match path.extension() {
            Some(e) => format!("extension .{}", e.to_string_lossy()),
            None => "no extension and no recognisable header".into(),
        },
    })?;
    let mut table = match format {
        Format::Px => px::read(path, bytes)?,
        Format::JsonStat => jsonstat::read(path, bytes)?,
        Format::Csv => csv::read(path, bytes)?,
        Format::Xlsx => xlsx::read(path, bytes, None)?,
        Format::Parquet => parquet::read(path, bytes)?,
    };
    if table.meta.origin.is_empty() {
        table.meta.origin = path.display().to_string();
    }
    Ok(table)
}
