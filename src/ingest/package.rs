//! Checks on an xlsx package (a zip file) before calamine reads it: every part's declared and actual
//! uncompressed size, its compression ratio, each worksheet's used range and the number of shared
//! strings, all against [`Limits`], streaming, so a zip bomb or a cell at `XFD1048576` is refused
//! before anything is allocated for it.

use super::error::{IngestError, Location};
use super::limits::{Limit, Limits, RATIO_FREE_BYTES};
use std::io::{Cursor, Read};
use std::path::Path;

/// Checks the package's parts against the limits.
///
/// # Errors
///
/// [`IngestError::Syntax`] for bytes that are not a zip archive, [`IngestError::TooLarge`] for a part,
/// the whole package, a compression ratio, a worksheet's range or the shared strings beyond the
/// limits, and [`IngestError::Overstated`] for a part that inflates to more than it declares.
pub fn check(path: &Path, bytes: &[u8], limits: &Limits) -> Result<(), IngestError> {
    let not_zip = |e: zip::result::ZipError| {
        IngestError::syntax(
            path,
            Location::File,
            format!("not a readable xlsx workbook (zip: {e})"),
            "an Office Open XML workbook (.xlsx)",
        )
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(not_zip)?;
    let too_large =
        |part: &str, what: String, needed: u64, limit: u64, exceeded| IngestError::TooLarge {
            path: path.to_path_buf(),
            location: Location::Path(part.to_string()),
            what,
            needed,
            limit,
            exceeded,
        };
    let mut total = 0u64;
    let mut parts = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(not_zip)?;
        let name = String::from_utf8_lossy(f.name_raw()).into_owned();
        let (size, packed) = (f.size(), f.compressed_size());
        if size > limits.max_xlsx_part_bytes {
            return Err(too_large(
                &name,
                "inflating this part".into(),
                size,
                limits.max_xlsx_part_bytes,
                Limit::MaxXlsxPartBytes,
            ));
        }
        total = total.saturating_add(size);
        if total > limits.max_xlsx_bytes {
            return Err(too_large(
                &name,
                "inflating the parts up to this one".into(),
                total,
                limits.max_xlsx_bytes,
                Limit::MaxXlsxBytes,
            ));
        }
        if size > RATIO_FREE_BYTES && size > packed.saturating_mul(limits.max_zip_ratio) {
            return Err(too_large(
                &name,
                format!(
                    "a part of {packed} compressed bytes inflating {}-fold (a zip bomb?)",
                    size / packed.max(1)
                ),
                size,
                packed.saturating_mul(limits.max_zip_ratio),
                Limit::MaxZipRatio,
            ));
        }
        parts.push((name, size));
    }
    for (i, (name, declared)) in parts.iter().enumerate() {
        let kind = if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            Scan::Sheet
        } else if name == "xl/sharedStrings.xml" {
            Scan::Strings
        } else {
            Scan::Size
        };
        let f = zip.by_index(i).map_err(not_zip)?;
        let mut scanner = Scanner::new(kind);
        let mut reader = f.take(declared.saturating_add(1));
        let mut buf = vec![0u8; 64 * 1024];
        let mut seen = 0u64;
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                // The zip library stops a part at its declared size with an error of its own.
                Err(e)
                    if e.kind() == std::io::ErrorKind::InvalidData
                        && e.to_string().contains("declared uncompressed size") =>
                {
                    return Err(IngestError::Overstated {
                        path: path.to_path_buf(),
                        location: Location::Path(name.clone()),
                        what: "the zip directory".into(),
                        declared: *declared,
                        present: "the part inflates to more (a zip bomb?)".into(),
                    });
                }
                Err(e) => {
                    return Err(IngestError::syntax(
                        path,
                        Location::Path(name.clone()),
                        format!("a part that cannot be inflated ({e})"),
                        "an intact xlsx package",
                    ));
                }
            };
            seen += n as u64;
            if seen > *declared {
                return Err(IngestError::Overstated {
                    path: path.to_path_buf(),
                    location: Location::Path(name.clone()),
                    what: "the zip directory".into(),
                    declared: *declared,
                    present: "the part inflates to more (a zip bomb?)".into(),
                });
            }
            if kind != Scan::Size {
                scanner.feed(&buf[..n]);
            }
        }
        match kind {
            Scan::Sheet => {
                if let Some((rows, cols)) = scanner.range()
                    && rows.saturating_mul(cols) > limits.max_sheet_cells
                {
                    return Err(too_large(
                        name,
                        format!(
                            "the worksheet's used range (rows {}–{}, columns A–{})",
                            scanner.min_row,
                            scanner.max_row,
                            super::error::column_letters(scanner.max_col.saturating_sub(1) as u32)
                        ),
                        rows.saturating_mul(cols),
                        limits.max_sheet_cells,
                        Limit::MaxSheetCells,
                    ));
                }
            }
            Scan::Strings if scanner.strings > limits.max_shared_strings => {
                return Err(too_large(
                    name,
                    "the shared-string table".into(),
                    scanner.strings,
                    limits.max_shared_strings,
                    Limit::MaxSharedStrings,
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scan {
    Sheet,
    Strings,
    Size,
}

/// Longest tag kept for parsing; the `r` attribute comes early, the rest of a longer tag is skipped.
const MAX_TAG: usize = 1024;

/// A streaming scan of XML tags: cells (`<c r="B3">` with content) and rows of a worksheet, `<si>`
/// entries of the shared strings.
struct Scanner {
    kind: Scan,
    in_tag: bool,
    tag: Vec<u8>,
    row: u64,
    col: u64,
    min_row: u64,
    max_row: u64,
    max_col: u64,
    cells: u64,
    strings: u64,
}

impl Scanner {
    fn new(kind: Scan) -> Self {
        Scanner {
            kind,
            in_tag: false,
            tag: Vec::with_capacity(MAX_TAG),
            row: 0,
            col: 0,
            min_row: u64::MAX,
            max_row: 0,
            max_col: 0,
            cells: 0,
            strings: 0,
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if self.in_tag {
                if b == b'>' {
                    self.in_tag = false;
                    self.tag_done();
                } else if self.tag.len() < MAX_TAG {
                    self.tag.push(b);
                }
            } else if b == b'<' {
                self.in_tag = true;
                self.tag.clear();
            }
        }
    }

    fn tag_done(&mut self) {
        let t = &self.tag;
        if matches!(t.first(), Some(b'/' | b'?' | b'!') | None) {
            return;
        }
        let name_end = t
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/')
            .unwrap_or(t.len());
        let name = &t[..name_end];
        let local = match name.iter().rposition(|&b| b == b':') {
            Some(p) => &name[p + 1..],
            None => name,
        };
        match (self.kind, local) {
            (Scan::Strings, b"si") => self.strings += 1,
            (Scan::Sheet, b"row") => {
                self.row = attr_r(&t[name_end..])
                    .and_then(|v| std::str::from_utf8(v).ok()?.parse().ok())
                    .unwrap_or(self.row + 1);
                self.col = 0;
            }
            (Scan::Sheet, b"c") => {
                let (row, col) = attr_r(&t[name_end..])
                    .and_then(cell_ref)
                    .unwrap_or((self.row.max(1), self.col + 1));
                self.row = row;
                self.col = col;
                if t.last() != Some(&b'/') {
                    self.cells += 1;
                    self.min_row = self.min_row.min(row);
                    self.max_row = self.max_row.max(row);
                    self.max_col = self.max_col.max(col);
                }
            }
            _ => {}
        }
    }

    /// Rows and columns (from column A, as the reader pads rows) of the filled cells' range.
    fn range(&self) -> Option<(u64, u64)> {
        (self.cells > 0).then(|| (self.max_row - self.min_row + 1, self.max_col))
    }
}

/// The value of the attribute `r` among a tag's attributes.
fn attr_r(attrs: &[u8]) -> Option<&[u8]> {
    let mut i = 0;
    while i + 3 < attrs.len() {
        if attrs[i].is_ascii_whitespace() && attrs[i + 1] == b'r' {
            let mut j = i + 2;
            while j < attrs.len() && attrs[j].is_ascii_whitespace() {
                j += 1;
            }
            if attrs.get(j) == Some(&b'=') {
                j += 1;
                while j < attrs.len() && attrs[j].is_ascii_whitespace() {
                    j += 1;
                }
                let q = *attrs.get(j)?;
                if q == b'"' || q == b'\'' {
                    let rest = &attrs[j + 1..];
                    let end = rest.iter().position(|&b| b == q)?;
                    return Some(&rest[..end]);
                }
            }
        }
        i += 1;
    }
    None
}

/// `B3` → (row 3, column 2), 1-based.
fn cell_ref(r: &[u8]) -> Option<(u64, u64)> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = r[..letters].iter().fold(0u64, |acc, b| {
        acc * 26 + u64::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let row: u64 = std::str::from_utf8(&r[letters..]).ok()?.parse().ok()?;
    Some((row, col))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workbook() -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (r, s) in ["kommun", "0114", "0115"].iter().enumerate() {
            ws.write_string(r as u32, 0, *s).unwrap();
        }
        ws.write_string(0, 1, "antal").unwrap();
        ws.write_number(1, 1, 5.0).unwrap();
        ws.write_number(2, 1, 6.0).unwrap();
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn shared_strings_and_total_size_are_bounded() {
        let bytes = workbook();
        let p = Path::new("w.xlsx");
        assert!(check(p, &bytes, &Limits::default()).is_ok());
        let few = Limits {
            max_shared_strings: 3,
            ..Limits::default()
        };
        match check(p, &bytes, &few).unwrap_err() {
            IngestError::TooLarge {
                needed: 4,
                limit: 3,
                exceeded: Limit::MaxSharedStrings,
                location: Location::Path(part),
                ..
            } => assert_eq!(part, "xl/sharedStrings.xml"),
            e => panic!("{e}"),
        }
        let small = Limits {
            max_xlsx_bytes: 100,
            ..Limits::default()
        };
        assert!(matches!(
            check(p, &bytes, &small).unwrap_err(),
            IngestError::TooLarge {
                exceeded: Limit::MaxXlsxBytes,
                ..
            }
        ));
        let narrow = Limits {
            max_sheet_cells: 5,
            ..Limits::default()
        };
        // Three rows from column A to B: 6 cells.
        assert!(matches!(
            check(p, &bytes, &narrow).unwrap_err(),
            IngestError::TooLarge {
                needed: 6,
                exceeded: Limit::MaxSheetCells,
                ..
            }
        ));
    }

    #[test]
    fn a_sheets_range_is_read_from_its_cells_in_pieces() {
        let xml = br#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="2"/></row>
            <row r="3"><x:c r="C3"><v>1</v></x:c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>
            </sheetData></worksheet>"#;
        let mut s = Scanner::new(Scan::Sheet);
        for chunk in xml.chunks(7) {
            s.feed(chunk);
        }
        assert_eq!(s.cells, 3);
        assert_eq!(s.range(), Some((1_048_576, 16_384)));
        assert_eq!(cell_ref(b"AB12"), Some((12, 28)));
        let mut s = Scanner::new(Scan::Strings);
        s.feed(b"<sst count=\"2\"><si><t>a</t></si><si><t>b</t></si></sst>");
        assert_eq!(s.strings, 2);
    }
}
