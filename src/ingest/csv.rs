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
use std::borrow::Cow;
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
    // UTF-8 is validated once: valid text is read as it is; only the other cases go through
    // `text::decode` (a file with a UTF-8 mark that is not UTF-8 throughout gets its error there).
    if let Ok(s) = simdutf8::basic::from_utf8(body) {
        return read_text(path, s, Vec::new());
    }
    if bom {
        text::decode(path, bytes, None)?;
    }
    let decoded = text::decode(path, bytes, Some(WINDOWS_1252))?;
    let warnings = vec!["the file is not UTF-8; read as windows-1252".to_string()];
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
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    let mut start = 0;
    for (i, end) in ends.enumerate() {
        let len = (end - start) as u64;
        if len > limits.max_line_bytes {
            return Err(IngestError::TooLarge {
                path: path.to_path_buf(),
                location: Location::Line(i + 1),
                what: "a line of this length".into(),
                needed: len,
                limit: limits.max_line_bytes,
                exceeded: super::limits::Limit::MaxLineBytes,
            });
        }
        start = end + 1;
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
    let decimal = decimal_for(delimiter);
    // hwf's tidy layout is read in chunks of plain lines, or else built while going through the
    // lines; anything else (or any error) from the whole grid of cells.
    let rows = Rows::new(path, text, delimiter);
    let streamed = super::tidy_csv::read(path, text, delimiter, decimal, "csv")
        .or_else(|| grid::tidy_streamed(path, rows.clone(), &Locator::Lines, decimal, "csv"));
    let mut table = match streamed {
        Some(table) => table,
        None => from_grid(path, rows, decimal)?,
    };
    table.meta.warnings.splice(0..0, warnings);
    Ok(table)
}

/// The decimal separator of a file split at `delimiter`: a comma-separated file writes points;
/// any other is told from its cells.
fn decimal_for(delimiter: u8) -> Decimal {
    if delimiter == b',' {
        Decimal::Point
    } else {
        Decimal::Detect
    }
}

/// The table from the whole grid of cells.
fn from_grid(path: &Path, rows: Rows, decimal: Decimal) -> Result<Table, IngestError> {
    let grid = Grid {
        rows: rows.collect::<Result<_, _>>()?,
        locator: Locator::Lines,
        decimal,
        format: "csv",
    };
    grid::to_table(path, &grid)
}

/// All records at once (the tests compare them with the `csv` crate's reading of the whole text).
#[cfg(test)]
fn records<'t>(path: &Path, text: &'t str, delimiter: u8) -> Result<Vec<GridRow<'t>>, IngestError> {
    Rows::new(path, text, delimiter).collect()
}

/// The records of a text, one at a time, each with its line; every cell is a slice of `text`
/// unless quoting changed it.
///
/// A record never spans lines (a quoted field that runs over a line end is refused, below), so the
/// text is taken a line at a time: a line with neither a quote nor a carriage return inside it is
/// split at the delimiter where it stands; any other line goes through the `csv` crate (which also
/// ends a record at a lone carriage return). Both give the records the crate gives for the whole
/// text, which skips empty lines (`split_matches_the_csv_crate` checks this).
///
/// Cheap to clone, so that the text can be gone through more than once without holding its cells.
#[derive(Clone)]
pub(super) struct Rows<'p, 't> {
    path: &'p Path,
    delimiter: u8,
    text: &'t str,
    /// The byte offset of the next line in `text`, and its 0-based number.
    pos: usize,
    line: usize,
    /// Further records of a line the `csv` crate split at a lone carriage return.
    pending: std::vec::IntoIter<GridRow<'t>>,
    failed: bool,
    /// The number of cells of the last plain line.
    width: usize,
}

impl<'p, 't> Rows<'p, 't> {
    /// The records of `text` from its start.
    pub(super) fn new(path: &'p Path, text: &'t str, delimiter: u8) -> Self {
        Self::at(path, text, delimiter, 0, 0)
    }

    /// The records of `text` from byte offset `pos` (the start of a line), which is line `line`
    /// (0-based).
    pub(super) fn at(
        path: &'p Path,
        text: &'t str,
        delimiter: u8,
        pos: usize,
        line: usize,
    ) -> Self {
        Rows {
            path,
            delimiter,
            text,
            pos,
            line,
            pending: Vec::new().into_iter(),
            failed: false,
            width: 0,
        }
    }

    /// Where the next record starts: the byte offset of its line and the line's 0-based number;
    /// `None` after an error or inside a line that held several records.
    pub(super) fn position(&self) -> Option<(usize, usize)> {
        (!self.failed && self.pending.len() == 0).then_some((self.pos, self.line))
    }

    /// The next line (with its end) and its 0-based number, as `str::split_inclusive` gives them.
    fn next_line(&mut self) -> Option<(usize, &'t str)> {
        let rest = self.text.get(self.pos..).filter(|r| !r.is_empty())?;
        let end = memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        self.pos += end;
        self.line += 1;
        Some((self.line - 1, &rest[..end]))
    }

    /// The cells of a line with neither a quote nor a carriage return in it, split at the
    /// delimiter in one pass over its bytes; `None` for any other line.
    fn plain(&mut self, line: &'t str) -> Option<Vec<RawCell<'t>>> {
        // Sized as the previous row (exactly, in a rectangular file): grown by doubling, the
        // cells of a 19-column file would take 32 places.
        let mut cells = Vec::with_capacity(self.width);
        let mut start = 0;
        for (i, &b) in line.as_bytes().iter().enumerate() {
            if b == self.delimiter {
                cells.push(cell(Cow::Borrowed(&line[start..i])));
                start = i + 1;
            } else if b == b'"' || b == b'\r' {
                return None;
            }
        }
        cells.push(cell(Cow::Borrowed(&line[start..])));
        self.width = cells.len();
        Some(cells)
    }

    /// The records of a line that needs the `csv` crate (a quote or a carriage return in it).
    fn quoted(&self, at: u32, raw: &str) -> Result<Vec<GridRow<'t>>, IngestError> {
        // The line with its end, so that a quote left open shows as a field holding a line end
        // (a quote left open on a last line with no line end closes at the end of the file, as
        // the crate reads it).
        let mut rdr = ::csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(raw.as_bytes());
        let mut record = ::csv::StringRecord::new();
        let mut out = Vec::new();
        loop {
            match rdr.read_record(&mut record) {
                Ok(true) => {
                    if record.iter().any(|f| f.contains('\n')) {
                        // A quote left open swallows the rest of the file into one field: report
                        // where it opened.
                        return Err(IngestError::syntax(
                            self.path,
                            super::Location::Line(at as usize),
                            "a quoted field that runs over a line end (an unbalanced '\"'?)",
                            "each quote closed on its own line",
                        ));
                    }
                    out.push(GridRow {
                        at,
                        cells: record
                            .iter()
                            .map(|f| cell(Cow::Owned(f.to_string())))
                            .collect(),
                    });
                }
                Ok(false) => return Ok(out),
                Err(e) => {
                    return Err(IngestError::syntax(
                        self.path,
                        super::Location::Line(at as usize),
                        e.to_string(),
                        "well-formed delimited text",
                    ));
                }
            }
        }
    }
}

impl<'t> Iterator for Rows<'_, 't> {
    type Item = Result<GridRow<'t>, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            if let Some(r) = self.pending.next() {
                return Some(Ok(r));
            }
            let (i, raw) = self.next_line()?;
            let at = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let line = raw.strip_suffix('\n').unwrap_or(raw);
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.is_empty() {
                continue;
            }
            if let Some(cells) = self.plain(line) {
                return Some(Ok(GridRow { at, cells }));
            }
            match self.quoted(at, raw) {
                Ok(rows) => self.pending = rows.into_iter(),
                Err(e) => {
                    self.failed = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

/// A field as a cell: blank text is an empty cell.
fn cell(f: Cow<'_, str>) -> RawCell<'_> {
    if grid::trim(&f).is_empty() {
        RawCell::Empty
    } else {
        RawCell::Text(f)
    }
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

    /// The records as the `csv` crate reads the whole text, each at the line where it starts, and
    /// the first record holding a line end refused (the reading before the line-at-a-time split).
    fn crate_records(text: &str, delimiter: u8) -> Result<Vec<(u32, Vec<String>)>, usize> {
        let mut rdr = ::csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let line_of = |byte: u64| {
            let mut b = byte as usize;
            while matches!(text.as_bytes().get(b), Some(b'\r' | b'\n')) {
                b += 1;
            }
            line_starts.partition_point(|&s| s <= b) as u32
        };
        let mut out = Vec::new();
        let mut record = ::csv::StringRecord::new();
        while rdr.read_record(&mut record).unwrap() {
            let at = line_of(record.position().unwrap().byte());
            out.push((at, record.iter().map(str::to_string).collect::<Vec<_>>()));
        }
        match out.iter().find(|(_, f)| f.iter().any(|f| f.contains('\n'))) {
            Some((at, _)) => Err(*at as usize),
            None => Ok(out),
        }
    }

    #[test]
    fn split_matches_the_csv_crate() {
        let mut g = Gen::new(2);
        let alphabet: &[&str] = &[
            "a", "1", ";", ",", "\"", "\n", "\r\n", "\r", " ", "\"\"", "å",
        ];
        let mut fixed: Vec<String> = vec![
            "a;b\n1;2\n".into(),
            "a;b\r\n\r\n1;\"2;3\"\r\n".into(),
            "a;b\r1;2\n\n\n x ;\n".into(),
            "a;\"b\nc\";d\n".into(),
            "ab\"c;1\n\"q\"\"r\";2".into(),
        ];
        for _ in 0..30_000 {
            let len = g.below(24);
            fixed.push((0..len).map(|_| g.pick(alphabet)).collect());
        }
        let mut errors = 0;
        for text in &fixed {
            for d in [b';', b','] {
                let ours = records(Path::new("t.csv"), text, d).map(|rows| {
                    rows.into_iter()
                        .map(|r| {
                            let cells = r.cells.iter().map(|c| match c {
                                RawCell::Text(s) => s.to_string(),
                                _ => String::new(),
                            });
                            (r.at, cells.collect::<Vec<_>>())
                        })
                        .collect::<Vec<_>>()
                });
                let theirs = crate_records(text, d).map(|rows| {
                    rows.into_iter()
                        .map(|(at, f)| {
                            let f = f.into_iter().map(|f| {
                                if f.trim().is_empty() {
                                    String::new()
                                } else {
                                    f
                                }
                            });
                            (at, f.collect::<Vec<_>>())
                        })
                        .collect::<Vec<_>>()
                });
                match (ours, theirs) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b, "{text:?}"),
                    (
                        Err(IngestError::Syntax {
                            location: Location::Line(l),
                            ..
                        }),
                        Err(m),
                    ) => {
                        errors += 1;
                        assert_eq!(l, m, "{text:?}");
                    }
                    (a, b) => panic!("{text:?}: {a:?} against {b:?}"),
                }
            }
        }
        assert!(errors > 1_000, "{errors}");
    }

    /// Seeded cases, the same on every run.
    struct Gen(rand_pcg::Pcg64);

    impl Gen {
        fn new(seed: u64) -> Gen {
            use rand_core::SeedableRng;
            Gen(rand_pcg::Pcg64::seed_from_u64(seed))
        }
        fn below(&mut self, n: usize) -> usize {
            use rand_core::Rng;
            (self.0.next_u64() % n as u64) as usize
        }
        fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[self.below(xs.len())]
        }
    }

    /// A tidy file as hwf writes it or a person edits it: titles, labels, symbols, decimal commas,
    /// quoted cells, CRLF, footnotes.
    fn tidy_text(g: &mut Gen) -> String {
        let sep = g.pick(&[",", ";", "\t"]);
        let nl = g.pick(&["\n", "\r\n"]);
        let comma = sep != "," && g.below(2) == 0;
        let labels = g.below(2) == 0;
        let symbol = g.below(3) == 0;
        let dims = 1 + g.below(3);
        let mut head: Vec<String> = Vec::new();
        for d in 0..dims {
            head.push(format!("d{d}"));
            if labels {
                head.push(format!("d{d}_sv"));
                head.push(format!("d{d}_en"));
            }
        }
        head.extend(["value".into(), "status".into()]);
        if symbol {
            head.push("symbol".into());
        }
        let mut out = String::new();
        if g.below(3) == 0 {
            out.push_str(&format!("Syntetisk tabell{nl}"));
        }
        out.push_str(&head.join(sep));
        out.push_str(nl);
        for _ in 0..1 + g.below(12) {
            let mut cells: Vec<String> = Vec::new();
            for _ in 0..dims {
                let code = g.pick(&["01", "1", "A", "B", " C ", "Skåne"]);
                cells.push(code.to_string());
                if labels {
                    cells.push(g.pick(&["län", "\"Län, norra\"", ""]).to_string());
                    cells.push(g.pick(&["county", ""]).to_string());
                }
            }
            let (value, status, sym) = match g.below(6) {
                0 => ("", "missing", ".."),
                1 => ("", "suppressed", "x"),
                2 => ("0", "zero", "-"),
                3 if comma => ("78,4", "observed", ""),
                3 => ("78.4", "observed", ""),
                4 if comma => ("1500", "estimated", ""),
                4 => ("1.500", "estimated", ""),
                _ => ("45543", "observed", ""),
            };
            cells.extend([value.to_string(), status.to_string()]);
            if symbol {
                cells.push(sym.to_string());
            }
            out.push_str(&cells.join(sep));
            out.push_str(nl);
        }
        if g.below(3) == 0 {
            out.push_str(&format!("{nl}Källa: hwf{nl}"));
        }
        out
    }

    fn both_ways(text: &str) -> (Option<Table>, Result<Table, IngestError>) {
        let path = Path::new("t.csv");
        let d = sniff_delimiter(text);
        let rows = Rows::new(path, text, d);
        let streamed =
            grid::tidy_streamed(path, rows.clone(), &Locator::Lines, decimal_for(d), "csv");
        (streamed, from_grid(path, rows, decimal_for(d)))
    }

    /// The chunked reading of `text` (`super::tidy_csv`) in 1 to 3 chunks: the same table each
    /// time, or `None` each time.
    fn chunked(text: &str) -> Option<Table> {
        let path = Path::new("t.csv");
        let d = sniff_delimiter(text);
        let read = |n| super::super::tidy_csv::read_in(path, text, d, decimal_for(d), "csv", n);
        let one = read(1);
        for n in 2..=3 {
            assert_eq!(
                format!("{:?}", read(n)),
                format!("{one:?}"),
                "{n} chunks: {text:?}"
            );
        }
        one
    }

    #[test]
    fn streamed_tidy_tables_equal_the_grid_ones() {
        let mut g = Gen::new(1);
        let (mut streamed, mut fell_back, mut refused, mut fast) = (0, 0, 0, 0);
        for case in 0..6_000 {
            let mut text = tidy_text(&mut g);
            // Two cases in three are edited at random: cells, separators, quotes, line ends.
            if case % 3 != 0 {
                for _ in 0..1 + g.below(3) {
                    let mut at = g.below(text.len() + 1);
                    while !text.is_char_boundary(at) {
                        at -= 1;
                    }
                    let bit = g.pick(&[",", ";", "\"", "\n", ".", "x", "\r", " ", "7", "\u{1}"]);
                    if g.below(2) == 0 {
                        text.insert_str(at, bit);
                    } else if let Some(c) = text[at..].chars().next() {
                        text.replace_range(at..at + c.len_utf8(), "");
                    }
                }
            }
            if let Some(a) = chunked(&text) {
                fast += 1;
                let b = both_ways(&text).1.expect("read in chunks, refused whole");
                assert_eq!(format!("{a:?}"), format!("{b:?}"), "{text:?}");
            }
            match both_ways(&text) {
                (Some(a), Ok(b)) => {
                    streamed += 1;
                    assert_eq!(format!("{a:?}"), format!("{b:?}"), "{text:?}");
                }
                (Some(a), Err(e)) => panic!("{text:?}: streamed {a:?}, whole {e}"),
                (None, Ok(_)) => fell_back += 1,
                (None, Err(_)) => refused += 1,
            }
            // An unedited file that reads is always read line by line.
            if case % 3 == 0
                && let (None, Ok(_)) = both_ways(&text)
            {
                panic!("{text:?} was read whole");
            }
        }
        assert!(
            streamed > 2_500 && refused > 500 && fast > 1_200,
            "{streamed} {fell_back} {refused} {fast}"
        );
    }

    #[test]
    fn sniffing_prefers_consistent_splits() {
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3\n"), b';');
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
    }
}
