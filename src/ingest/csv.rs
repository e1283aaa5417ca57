//! Delimited text as SCB and Socialstyrelsen export it, and hwf's own tidy CSV.
//!
//! - separator `;`, `,` or tab, told from the first lines (the one that splits them into the same
//!   number of fields most often; `;` wins ties, as Swedish exports use it);
//! - a UTF-8 byte-order mark; UTF-8, or windows-1252 when the bytes are not UTF-8 (noted in the
//!   table's warnings);
//! - decimal comma or point, settled per file: a file that writes `78,4` in one cell and `78.4` in
//!   another is an error naming the cell, not a guess;
//! - title lines above the header and footnotes below the data (SCB's exports have both);
//! - long and wide layouts and SCB's `code label` cells, as described in [`super::grid`].

use super::error::{IngestError, Location};
use super::grid::{self, Decimal, Grid, GridRow, Locator, RawCell};
use super::limits::Limits;
use super::text;
use crate::table::Table;
use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};
use std::path::Path;

/// Reads a delimited text file's bytes into a tidy table.
///
/// # Errors
///
/// Bytes that are neither UTF-8 nor windows-1252 text, a quote that never closes, and everything
/// [`grid::to_table`] reports, each with the line and column.
pub fn read(path: &Path, bytes: &[u8]) -> Result<Table, IngestError> {
    read_with(path, bytes, &Limits::default())
}

/// As [`read`], under the given limits: a line longer than [`Limits::max_line_bytes`] is refused
/// before the file is decoded or split.
///
/// UTF-16 with a byte-order mark (Excel's "Unicode text") is read, and the table's warnings say so;
/// UTF-16 without one is an error that says it is UTF-16.
///
/// # Errors
///
/// As [`read`], [`IngestError::TooLarge`] for a line beyond the limit, and
/// [`IngestError::Encoding`] for a NUL byte (with its line and column) or UTF-16 without a mark.
pub fn read_with(path: &Path, bytes: &[u8], limits: &Limits) -> Result<Table, IngestError> {
    let utf16 = match bytes {
        [0xFF, 0xFE, ..] => Some(UTF_16LE),
        [0xFE, 0xFF, ..] => Some(UTF_16BE),
        _ => None,
    };
    if let Some(enc) = utf16 {
        // Each UTF-16 code unit is two bytes: the line limit counts the decoded text's bytes below.
        let (text, _) = enc.decode_with_bom_removal(bytes);
        check_line_lengths(path, text.as_bytes(), limits)?;
        let warning = format!("the file is {} (byte-order mark); read as such", enc.name());
        return read_text(path, &text, vec![warning]);
    }
    if let Some(e) = utf16_without_mark(path, bytes) {
        return Err(e);
    }
    check_line_lengths(path, bytes, limits)?;
    let (body, bom) = text::strip_bom(bytes);
    let mut warnings = Vec::new();
    let decoded = if bom || std::str::from_utf8(body).is_ok() {
        text::decode(path, bytes, None)?
    } else {
        warnings.push("the file is not UTF-8; read as windows-1252".to_string());
        text::decode(path, bytes, Some(WINDOWS_1252))?
    };
    read_text(path, decoded.text.as_ref(), warnings)
}

/// Text whose first bytes have NUL in every other place is UTF-16 that lost its byte-order mark.
fn utf16_without_mark(path: &Path, bytes: &[u8]) -> Option<IngestError> {
    let head = &bytes[..bytes.len().min(512) & !1];
    if head.len() < 4 {
        return None;
    }
    let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let half = head.len() / 2;
    let order = if odd * 10 >= half * 9 && even == 0 {
        "little-endian"
    } else if even * 10 >= half * 9 && odd == 0 {
        "big-endian"
    } else {
        return None;
    };
    Some(IngestError::Encoding {
        path: path.to_path_buf(),
        location: Location::File,
        found: format!("UTF-16 text ({order}) without a byte-order mark"),
        expected: "UTF-8 or windows-1252 text, or UTF-16 that starts with its byte-order mark \
                   (re-save the file as CSV UTF-8)"
            .into(),
    })
}

/// Refuses a line longer than the limit, naming it, before anything is allocated for it.
fn check_line_lengths(path: &Path, bytes: &[u8], limits: &Limits) -> Result<(), IngestError> {
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.len() as u64 > limits.max_line_bytes {
            return Err(IngestError::TooLarge {
                path: path.to_path_buf(),
                location: Location::Line(i + 1),
                what: "a line of this length".into(),
                needed: line.len() as u64,
                limit: limits.max_line_bytes,
                exceeded: super::limits::Limit::MaxLineBytes,
            });
        }
    }
    Ok(())
}

/// The line and column (1-based, in characters) of byte offset `at` in `text`.
pub(super) fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |p| p + 1);
    (line, text[start..at].chars().count() + 1)
}

fn read_text(path: &Path, text: &str, warnings: Vec<String>) -> Result<Table, IngestError> {
    if let Some(at) = text.find('\0') {
        let (line, col) = line_col(text, at);
        return Err(IngestError::Encoding {
            path: path.to_path_buf(),
            location: Location::LineCol(line, col),
            found: "a NUL byte (a binary file, or text in another encoding?)".into(),
            expected: "text in UTF-8 or windows-1252".into(),
        });
    }
    let delimiter = sniff_delimiter(text);
    let rows = records(path, text, delimiter)?;
    let grid = Grid {
        rows,
        locator: Locator::Lines,
        decimal: if delimiter == b',' {
            Decimal::Point
        } else {
            Decimal::Detect
        },
        format: "csv",
    };
    let mut table = grid::to_table(path, &grid)?;
    table.meta.warnings.splice(0..0, warnings);
    Ok(table)
}

/// Splits the text into records with the `csv` crate, keeping each record's line.
fn records(path: &Path, text: &str, delimiter: u8) -> Result<Vec<GridRow>, IngestError> {
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = ::csv::StringRecord::new();
    // Line of each byte offset: the csv crate's own line count is not always the record's first line.
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect();
    // The crate may place a record after CRLF at the LF: step over line ends first.
    let line_of = |byte: u64| {
        let mut b = byte as usize;
        while matches!(text.as_bytes().get(b), Some(b'\r' | b'\n')) {
            b += 1;
        }
        line_starts.partition_point(|&s| s <= b) as u32
    };
    loop {
        match rdr.read_record(&mut record) {
            Ok(true) => {
                let line = record.position().map_or(0, |p| line_of(p.byte()));
                rows.push(GridRow {
                    at: line,
                    cells: record
                        .iter()
                        .map(|f| {
                            if f.trim().is_empty() {
                                RawCell::Empty
                            } else {
                                RawCell::Text(f.to_string())
                            }
                        })
                        .collect(),
                });
            }
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line()) as usize;
                return Err(IngestError::syntax(
                    path,
                    super::Location::Line(line),
                    e.to_string(),
                    "well-formed delimited text",
                ));
            }
        }
    }
    // A quote left open swallows the rest of the file into one field: report where it opened.
    if let Some(r) = rows.iter().find(|r| {
        r.cells
            .iter()
            .any(|c| matches!(c, RawCell::Text(s) if s.contains('\n')))
    }) {
        return Err(IngestError::syntax(
            path,
            super::Location::Line(r.at as usize),
            "a quoted field that runs over a line end (an unbalanced '\"'?)",
            "each quote closed on its own line",
        ));
    }
    Ok(rows)
}

/// Picks the separator that splits the first lines into the same number of fields most often.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(50)
        .collect();
    let mut best = (b';', 0usize, 0usize);
    for d in [b';', b'\t', b','] {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, d)).collect();
        let mut freq: std::collections::BTreeMap<usize, usize> = Default::default();
        for &c in counts.iter().filter(|&&c| c > 0) {
            *freq.entry(c).or_default() += 1;
        }
        // Score: lines sharing the commonest non-zero count; then that count (more fields wins).
        let (mode, lines_with) = freq
            .iter()
            .max_by_key(|(c, n)| (**n, **c))
            .map_or((0, 0), |(c, n)| (*c, *n));
        if (lines_with, mode) > (best.1, best.2) {
            best = (d, lines_with, mode);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, d: u8) -> usize {
    let mut inside = false;
    let mut n = 0;
    for b in line.bytes() {
        if b == b'"' {
            inside = !inside;
        } else if b == d && !inside {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Role, Status};

    fn csv(s: &str) -> Result<Table, IngestError> {
        read(Path::new("t.csv"), s.as_bytes())
    }

    #[test]
    fn scb_export_with_bom_codes_in_labels_and_footnotes() {
        let s = "\u{feff}Region;Antal\r\n0114 Upplands Väsby;45543\r\n2584 Kiruna;22992\r\n;\r\n\
                 Referenstid:;\r\n31 december respektive år;\r\n";
        let t = csv(s).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t.dims.len(), 1);
        assert_eq!(t.dims[0].categories[0].code, "0114");
        assert_eq!(
            t.dims[0].categories[0].label_sv.as_deref(),
            Some("Upplands Väsby")
        );
        assert_eq!(t.value(1), Some(22992.0));
        assert_eq!(t.meta.measure.as_deref(), Some("Antal"));
        assert_eq!(
            t.meta.notes,
            vec!["Referenstid:", "31 december respektive år"]
        );
        assert_eq!(t.lines, vec![2, 3]);
    }

    #[test]
    fn wide_years_decimal_comma_and_symbols() {
        let s = "Utbildning;Region;2019;2020;2021\nSSK;N;78,4;..;-\nLAK;N;90;91,5;x\n";
        let t = csv(s).unwrap();
        assert_eq!(t.dims.len(), 3);
        assert_eq!(t.dims[2].id, "year");
        assert_eq!(t.dims[2].role, Role::Time);
        assert_eq!(t.len(), 6);
        assert_eq!(t.value(0), Some(78.4));
        assert_eq!(t.status[1], Status::Missing);
        assert_eq!(t.symbol(1), Some(".."));
        assert_eq!(t.status[2], Status::Zero);
        assert_eq!(t.value(4), Some(91.5));
        assert_eq!(t.status[5], Status::Suppressed);
    }

    #[test]
    fn numeric_dimension_columns_stay_dimensions() {
        let s = "år,län,kön,ålder,antal\n2020,01,1,34,5\n2020,01,2,34,7\n";
        let t = csv(s).unwrap();
        assert_eq!(t.dims.len(), 4);
        assert_eq!(t.dims[0].role, Role::Time);
        assert_eq!(t.value(1), Some(7.0));
    }

    #[test]
    fn windows_1252_is_read_and_noted() {
        let (bytes, _, _) = WINDOWS_1252.encode("län;antal\nSkåne;5\n");
        let t = read(Path::new("w.csv"), &bytes).unwrap();
        assert_eq!(t.dims[0].id, "län");
        assert_eq!(t.dims[0].categories[0].code, "Skåne");
        assert!(t.meta.warnings[0].contains("windows-1252"));
    }

    #[test]
    fn another_locale_is_an_error_at_the_cell() {
        let e = csv("kod;v\nA;78,4\nB;1.5\n").unwrap_err().to_string();
        assert!(e.starts_with("t.csv:3:2: cannot read \"1.5\""), "{e}");
        let e = csv("kod,v\nA,\"78,4\"\n").unwrap_err().to_string();
        assert!(e.starts_with("t.csv:2:2: cannot read \"78,4\""), "{e}");
        assert!(e.contains("decimal point"), "{e}");
    }

    #[test]
    fn ragged_rows_and_open_quotes_are_errors() {
        let e = csv("a;b;v\nx;y;1\nx;y;2;3\n").unwrap_err().to_string();
        assert_eq!(e, "t.csv:3: the row (cells) has 4, expected 3");
        let e = csv("a;v\n\"x;1\ny;2\n").unwrap_err().to_string();
        assert!(e.starts_with("t.csv:2:"), "{e}");
    }

    #[test]
    fn utf16_nul_bytes_and_long_lines_are_named() {
        let units: Vec<u8> = "län;antal\nSkåne;5\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let with_bom: Vec<u8> = [0xFF, 0xFE].iter().copied().chain(units.clone()).collect();
        let t = read(Path::new("u.csv"), &with_bom).unwrap();
        assert_eq!(t.dims[0].categories[0].code, "Skåne");
        assert!(
            t.meta.warnings[0].contains("UTF-16LE"),
            "{:?}",
            t.meta.warnings
        );
        let e = read(Path::new("u.csv"), &units).unwrap_err();
        assert!(e.to_string().contains("UTF-16 text (little-endian)"), "{e}");
        let e = csv("a;v\nx;1\ny;\u{0}2\n").unwrap_err();
        assert!(
            matches!(
                e,
                IngestError::Encoding {
                    location: Location::LineCol(3, 3),
                    ..
                }
            ),
            "{e}"
        );
        let limits = Limits {
            max_line_bytes: 10,
            ..Limits::default()
        };
        let e = read_with(Path::new("t.csv"), b"a;v\nx;1\nxxxxxxxxxxxx;2\n", &limits).unwrap_err();
        assert!(
            matches!(
                e,
                IngestError::TooLarge {
                    location: Location::Line(3),
                    needed: 14,
                    ..
                }
            ),
            "{e}"
        );
    }

    #[test]
    fn sniffing_prefers_consistent_splits() {
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3\n"), b';');
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
    }
}
