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
//! [`fetch`] takes tables from a PxWebApi 2 server (SCB's statistical database) and reads them with
//! these readers.
//!
//! Every reader takes the file's bytes and its path (for messages) so that tests and fuzz targets can
//! feed it from memory; [`read_table`] reads a file and picks the reader.

pub mod csv;
pub mod error;
pub mod fetch;
pub mod grid;
pub mod jsonstat;
pub mod limits;
pub mod package;
pub mod parquet;
pub mod px;
pub mod register;
pub mod text;
mod tidy_csv;
pub mod xlsx;

pub use error::{IngestError, Location};
pub use limits::Limits;

use crate::table::Table;
use std::path::{Path, PathBuf};

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
    /// Every format, in the order they are listed to users.
    pub const ALL: [Format; 5] = [
        Format::Px,
        Format::JsonStat,
        Format::Csv,
        Format::Xlsx,
        Format::Parquet,
    ];

    /// The name users give the format (`px`, `json`, `csv`, `xlsx`, `parquet`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Px => "px",
            Format::JsonStat => "json",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Parquet => "parquet",
        }
    }

    /// The format of a name (`px`, `json` or `json-stat`, `csv`, `xlsx`, `parquet`; any case).
    pub fn parse(s: &str) -> Option<Format> {
        let s = s.trim().to_ascii_lowercase();
        if s == "json-stat" || s == "jsonstat" {
            return Some(Format::JsonStat);
        }
        Format::ALL.into_iter().find(|f| f.name() == s)
    }

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

/// Reads a table from a file, choosing the reader by extension (or content), under the limits of
/// [`Limits::from_env`].
///
/// # Errors
///
/// [`IngestError::Io`] when the file cannot be read, [`IngestError::UnknownFormat`] when no reader fits,
/// [`IngestError::TooLarge`] for an input beyond the limits, and whatever the chosen reader reports,
/// always with the file and place.
pub fn read_table(path: &Path) -> Result<Table, IngestError> {
    read_table_with(path, &Limits::from_env())
}

/// As [`read_table`], under the given limits.
///
/// # Errors
///
/// As [`read_table`].
pub fn read_table_with(path: &Path, limits: &Limits) -> Result<Table, IngestError> {
    read_table_as(path, None, limits)
}

/// As [`read_table_with`], in the given format when there is one (for a file whose name and start
/// do not tell it: a pipe such as `<(…)`, a name without extension); `None` tells it as
/// [`read_table`] does.
///
/// # Errors
///
/// As [`read_table`].
pub fn read_table_as(
    path: &Path,
    format: Option<Format>,
    limits: &Limits,
) -> Result<Table, IngestError> {
    // One open for both passes: a FIFO opened twice would wait for a second writer that never comes.
    let file = std::fs::File::open(path).map_err(|source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if format.or_else(|| Format::detect(path, b"")) == Some(Format::Csv) {
        check_line_lengths(path, &file, limits)?;
    }
    let bytes = read_capped_from(path, file, limits, format.is_none())?;
    read_bytes_as(path, &bytes, format, limits)
}

/// Streams a regular file's lines before it is loaded, refusing one longer than
/// [`Limits::max_line_bytes`] with its line and length, in a few kilobytes of memory, and rewinds
/// the file for the read that follows. Anything that is not a regular file is left untouched (it
/// cannot be read twice) to the reader's own check.
fn check_line_lengths(
    path: &Path,
    file: &std::fs::File,
    limits: &Limits,
) -> Result<(), IngestError> {
    use std::io::{BufRead, Seek};
    let io = |source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    };
    if !file.metadata().map_err(io)?.is_file() {
        return Ok(());
    }
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    // A line that runs past the buffered chunk is refused there, measured "at least".
    let too_long = |line: usize, needed: u64, exact: bool| IngestError::TooLarge {
        path: path.to_path_buf(),
        location: Location::Line(line),
        what: if exact {
            "a line of this length".into()
        } else {
            "a line of at least this length (reading stopped there)".into()
        },
        needed,
        limit: limits.max_line_bytes,
        exceeded: limits::Limit::MaxLineBytes,
    };
    let (mut line, mut len) = (1usize, 0u64);
    loop {
        let buf = reader.fill_buf().map_err(io)?;
        if buf.is_empty() {
            break;
        }
        let n = buf.len();
        let mut rest = buf;
        while let Some(p) = memchr::memchr(b'\n', rest) {
            len += p as u64;
            if len > limits.max_line_bytes {
                return Err(too_long(line, len, true));
            }
            line += 1;
            len = 0;
            rest = &rest[p + 1..];
        }
        len += rest.len() as u64;
        if len > limits.max_line_bytes {
            return Err(too_long(line, len, false));
        }
        reader.consume(n);
    }
    let mut file = reader.into_inner();
    file.rewind().map_err(io)?;
    Ok(())
}

/// Reads a whole input, never more than [`Limits::max_input_bytes`].
///
/// A regular file larger than the limit is refused from its size, before anything is read. Anything
/// else (a FIFO, `/dev/zero`, a character device) is read up to the limit and refused beyond it; its
/// first 8 KiB may not be all NUL bytes (so `/dev/zero` is refused after 8 KiB, not after a
/// gigabyte), and when `tell_format` is set they must already show a format hwf reads.
///
/// # Errors
///
/// [`IngestError::Io`], [`IngestError::TooLarge`], and [`IngestError::UnknownFormat`] for an input
/// that is not a regular file and whose first bytes are no known format.
pub fn read_capped(
    path: &Path,
    limits: &Limits,
    tell_format: bool,
) -> Result<Vec<u8>, IngestError> {
    let file = std::fs::File::open(path).map_err(|source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_capped_from(path, file, limits, tell_format)
}

/// As [`read_capped`], from a file already open (`path` names it in messages).
fn read_capped_from(
    path: &Path,
    file: std::fs::File,
    limits: &Limits,
    tell_format: bool,
) -> Result<Vec<u8>, IngestError> {
    use std::io::Read;
    let io = |source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = file.metadata().map_err(io)?;
    let too_large = |needed: u64| IngestError::TooLarge {
        path: path.to_path_buf(),
        location: Location::File,
        what: if meta.is_file() {
            "reading the file".into()
        } else {
            "reading the input (not a regular file)".into()
        },
        needed,
        limit: limits.max_input_bytes,
        exceeded: limits::Limit::MaxInputBytes,
    };
    if meta.is_file() {
        if meta.len() > limits.max_input_bytes {
            return Err(too_large(meta.len()));
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.take(limits.max_input_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > limits.max_input_bytes {
            return Err(too_large(bytes.len() as u64));
        }
        return Ok(bytes);
    }
    let mut reader = file.take(limits.max_input_bytes + 1);
    let mut bytes = Vec::new();
    (&mut reader)
        .take(8192)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    // No format hwf reads starts with 8 KiB of NUL bytes (`/dev/zero`), whether told or named.
    let nul = !bytes.is_empty() && bytes.iter().all(|&b| b == 0);
    if nul || (tell_format && Format::detect(path, &bytes).is_none()) {
        return Err(IngestError::UnknownFormat {
            path: path.to_path_buf(),
            found: format!(
                "an input that is not a regular file, whose first {} bytes are no known format{}",
                bytes.len(),
                if !bytes.is_empty() && bytes.iter().all(|&b| b == 0) {
                    " (all NUL bytes)"
                } else {
                    ""
                }
            ),
        });
    }
    reader.read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limits.max_input_bytes {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads a table from bytes already in memory; `path` names it in messages and picks the reader.
///
/// # Errors
///
/// As [`read_table`].
pub fn read_bytes(path: &Path, bytes: &[u8]) -> Result<Table, IngestError> {
    read_bytes_with(path, bytes, &Limits::from_env())
}

/// As [`read_bytes`], under the given limits.
///
/// # Errors
///
/// As [`read_table`].
pub fn read_bytes_with(path: &Path, bytes: &[u8], limits: &Limits) -> Result<Table, IngestError> {
    read_bytes_as(path, bytes, None, limits)
}

/// As [`read_bytes_with`], in the given format when there is one.
///
/// # Errors
///
/// As [`read_table`].
pub fn read_bytes_as(
    path: &Path,
    bytes: &[u8],
    format: Option<Format>,
    limits: &Limits,
) -> Result<Table, IngestError> {
    let head = &bytes[..bytes.len().min(8192)];
    let format = match format {
        Some(f) => f,
        None => Format::detect(path, head).ok_or_else(|| IngestError::UnknownFormat {
            path: path.to_path_buf(),
            found: match path.extension() {
                Some(e) => format!("extension .{}", e.to_string_lossy()),
                None => "no extension and no recognisable header".into(),
            },
        })?,
    };
    let mut table = match format {
        Format::Px => px::read_with(path, bytes, limits)?,
        Format::JsonStat => jsonstat::read_with(path, bytes, limits)?,
        Format::Csv => csv::read_with(path, bytes, limits)?,
        Format::Xlsx => xlsx::read_with(path, bytes, None, limits)?,
        Format::Parquet => parquet::read_with(path, bytes, limits)?,
    };
    if table.meta.origin.is_empty() {
        table.meta.origin = path.display().to_string();
    }
    Ok(table)
}

/// A table named on a command line: its name (the path as given, or the embedded table's name),
/// and the table or why it could not be read.
pub type Named = (String, Result<Table, IngestError>);

/// The tables at `paths`, a folder meaning every table in it (by extension, in name order), each
/// file read on its own so that one unreadable table does not hide the others; with no path, the
/// embedded default data. `format` is for the files named, where their names and first bytes do
/// not tell it; a folder's files are told by their extensions.
///
/// # Errors
///
/// [`IngestError::Io`] when a folder cannot be listed.
pub fn read_named(paths: &[PathBuf], format: Option<Format>) -> Result<Vec<Named>, IngestError> {
    if paths.is_empty() {
        return Ok(crate::defaults::tables());
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let io = |source| IngestError::Io {
                path: p.clone(),
                source,
            };
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(io)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                // hwf's own records describe tables or folders; they are not tables: a fetch's
                // `FILE.source.json`, an output folder's marker, aggregate's report.
                .filter(|f| {
                    !f.file_name().is_some_and(|n| {
                        let n = n.to_string_lossy();
                        n.ends_with(".source.json")
                            || n == crate::publish::atomic::MARKER
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
                out.push((f.display().to_string(), read_table(&f)));
            }
        } else {
            out.push((
                p.display().to_string(),
                read_table_as(p, format, &Limits::from_env()),
            ));
        }
    }
    Ok(out)
}
