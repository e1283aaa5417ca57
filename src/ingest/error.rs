//! Errors of the readers, each with the file and the place in it.

use std::fmt;
use std::path::PathBuf;

/// Where in an input file something was found.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Location {
    /// The file as a whole.
    #[default]
    File,
    /// A 1-based line.
    Line(usize),
    /// A 1-based line and column.
    LineCol(usize, usize),
    /// A spreadsheet cell, 0-based row and column (shown as `Sheet1!B3`).
    Cell {
        /// Sheet name.
        sheet: String,
        /// 0-based row.
        row: u32,
        /// 0-based column.
        col: u32,
    },
    /// A path inside a structured document (`dimension.sex.category.index`).
    Path(String),
    /// A column chunk of a Parquet file, or one of its pages (shown as
    /// `row group 0, column "value", page 2`). Row groups and pages are numbered from 0, as
    /// Parquet's own tools number them.
    Parquet {
        /// 0-based row group.
        row_group: u32,
        /// The column's name in the schema.
        column: Box<str>,
        /// 0-based page of the column chunk (the dictionary page, when there is one, is page 0);
        /// `None` for the chunk's own metadata.
        page: Option<u32>,
    },
}

/// Spreadsheet column letters for a 0-based column (0 → `A`, 27 → `AB`).
pub fn column_letters(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        s.push(b'A' + r);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File => Ok(()),
            Location::Line(l) => write!(f, "{l}"),
            Location::LineCol(l, c) => write!(f, "{l}:{c}"),
            Location::Cell { sheet, row, col } => {
                write!(f, "{sheet}!{}{}", column_letters(*col), row + 1)
            }
            Location::Path(p) => write!(f, "{p}"),
            Location::Parquet {
                row_group,
                column,
                page,
            } => {
                write!(f, "row group {row_group}, column {column:?}")?;
                match page {
                    Some(p) => write!(f, ", page {p}"),
                    None => Ok(()),
                }
            }
        }
    }
}

/// An input that could not be read into a table.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The file's kind could not be told from its extension or content.
    #[error(
        "{path}: cannot tell the format ({found}); expected .px, .json, .csv, .xlsx or .parquet, or the format named with --format"
    )]
    UnknownFormat {
        /// The file.
        path: PathBuf,
        /// What was found instead.
        found: String,
    },
    /// The character encoding is unknown or the bytes do not fit it.
    #[error("{}: {found}; expected {expected}", at(path, location))]
    Encoding {
        /// The file.
        path: PathBuf,
        /// Where.
        location: Location,
        /// What was found.
        found: String,
        /// What was expected.
        expected: String,
    },
    /// The text does not follow the format's grammar.
    #[error("{}: {found}; expected {expected}", at(path, location))]
    Syntax {
        /// The file.
        path: PathBuf,
        /// Where.
        location: Location,
        /// What was found.
        found: String,
        /// What was expected.
        expected: String,
    },
    /// A count disagrees with the table's shape (cells vs dimension sizes, codes vs values …).
    #[error("{}: {what} has {found}, expected {expected}", at(path, location))]
    Shape {
        /// The file.
        path: PathBuf,
        /// Where.
        location: Location,
        /// What was counted.
        what: String,
        /// How many were found.
        found: usize,
        /// How many the shape requires.
        expected: usize,
    },
    /// Something the format requires is absent.
    #[error("{}: {what} is missing{}", at(path, location), hint(expected))]
    Missing {
        /// The file.
        path: PathBuf,
        /// Where it was looked for.
        location: Location,
        /// What is missing.
        what: String,
        /// Why it is needed, or what would do instead.
        expected: String,
    },
    /// A declared size that would need more than a documented [`Limits`](super::Limits) allows;
    /// nothing was allocated for it.
    #[error(
        "{}: {what} would need {needed} {}, over the limit of {limit} (set {} to raise it)",
        at(path, location),
        exceeded.unit(),
        exceeded.env_var()
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Where the size is declared (or the file as a whole).
        location: Location,
        /// What would have been allocated.
        what: String,
        /// How much it would need.
        needed: u64,
        /// The limit.
        limit: u64,
        /// Which limit (its unit, and the environment variable that raises it).
        exceeded: super::limits::Limit,
    },
    /// A declared size that the file's own contents cannot fill (a header promising more cells than
    /// the data holds, a zip entry larger than it says).
    #[error(
        "{}: {what} declares {declared}, but {present}; expected a size the file's contents fill",
        at(path, location)
    )]
    Overstated {
        /// The file.
        path: PathBuf,
        /// Where the size is declared.
        location: Location,
        /// What declares it.
        what: String,
        /// The declared size.
        declared: u64,
        /// What the file actually holds.
        present: String,
    },
    /// A size or count a Parquet file declares (in its footer or a page header) that its own bytes,
    /// its other declarations or a documented limit rule out. hwf checks every one before the
    /// Parquet library reads the file, because that library sizes its buffers from them (a negative
    /// value count once made it ask for 2^61 bytes and abort the process).
    #[error(
        "{}: {what} declares {declared}, but {possible}; refused before the Parquet library read the file",
        at(path, location)
    )]
    ParquetDeclared {
        /// The file.
        path: PathBuf,
        /// Where: the footer ([`Location::Path`]), or a row group's column chunk or page
        /// ([`Location::Parquet`]).
        location: Location,
        /// What declares it (`the data page's value count`).
        what: Box<str>,
        /// The declared number, as the file holds it (negative ones included).
        declared: i64,
        /// What is possible there, and why.
        possible: String,
    },
    /// Several errors in one file (bad cells found in one pass), in file order, one per line; at
    /// most [`MAX_REPORTED`] are kept.
    #[error("{}", several(errors, *more))]
    Several {
        /// The file.
        path: PathBuf,
        /// The errors.
        errors: Vec<IngestError>,
        /// How many more were found and not kept.
        more: usize,
    },
    /// A number that cannot be read as one.
    #[error(
        "{}: cannot read {found:?} as a number; expected {expected}",
        at(path, location)
    )]
    Number {
        /// The file.
        path: PathBuf,
        /// Where.
        location: Location,
        /// The text found.
        found: String,
        /// What a number should look like here.
        expected: String,
    },
}

/// Most errors of one file kept in [`IngestError::Several`].
pub const MAX_REPORTED: usize = 100;

fn several(errors: &[IngestError], more: usize) -> String {
    let mut s = errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    if more > 0 {
        s.push_str(&format!("\n… and {more} more errors of the same kinds"));
    }
    s
}

/// Collects errors of one pass over a file, keeping the first [`MAX_REPORTED`].
#[derive(Debug, Default)]
pub struct Collector {
    errors: Vec<IngestError>,
    more: usize,
}

impl Collector {
    /// Notes an error.
    pub fn push(&mut self, e: IngestError) {
        if self.errors.len() < MAX_REPORTED {
            self.errors.push(e);
        } else {
            self.more += 1;
        }
    }

    /// Whether nothing was noted.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(())` when nothing was noted, the error when one was, [`IngestError::Several`] otherwise.
    ///
    /// # Errors
    ///
    /// The errors noted.
    pub fn finish(mut self, path: &std::path::Path) -> Result<(), IngestError> {
        match self.errors.len() {
            0 => Ok(()),
            1 if self.more == 0 => Err(self.errors.remove(0)),
            _ => Err(IngestError::Several {
                path: path.to_path_buf(),
                errors: self.errors,
                more: self.more,
            }),
        }
    }
}

/// Most characters of offending text quoted in a message.
pub const EXCERPT_CHARS: usize = 60;

/// `s` if it is short, else its first [`EXCERPT_CHARS`] characters and how long it was, so that a
/// 50 MB bad token never lands whole in a message.
pub fn excerpt(s: &str) -> String {
    match s.char_indices().nth(EXCERPT_CHARS) {
        None => s.to_string(),
        Some((cut, _)) => format!("{}… ({} bytes in all)", &s[..cut], s.len()),
    }
}

fn at(path: &std::path::Path, loc: &Location) -> String {
    match loc {
        Location::File => path.display().to_string(),
        l => format!("{}:{l}", path.display()),
    }
}

fn hint(expected: &str) -> String {
    if expected.is_empty() {
        String::new()
    } else {
        format!("; {expected}")
    }
}

impl IngestError {
    /// A syntax error at a location.
    pub fn syntax(
        path: impl Into<PathBuf>,
        location: Location,
        found: impl Into<String>,
        expected: impl Into<String>,
    ) -> Self {
        IngestError::Syntax {
            path: path.into(),
            location,
            found: found.into(),
            expected: expected.into(),
        }
    }

    /// A missing piece.
    pub fn missing(
        path: impl Into<PathBuf>,
        location: Location,
        what: impl Into<String>,
        expected: impl Into<String>,
    ) -> Self {
        IngestError::Missing {
            path: path.into(),
            location,
            what: what.into(),
            expected: expected.into(),
        }
    }

    /// A number that does not parse; the text is quoted as an [`excerpt`].
    pub fn number(
        path: impl Into<PathBuf>,
        location: Location,
        found: impl AsRef<str>,
        expected: impl Into<String>,
    ) -> Self {
        IngestError::Number {
            path: path.into(),
            location,
            found: excerpt(found.as_ref()),
            expected: expected.into(),
        }
    }

    /// A count that disagrees with the shape.
    pub fn shape(
        path: impl Into<PathBuf>,
        location: Location,
        what: impl Into<String>,
        found: usize,
        expected: usize,
    ) -> Self {
        IngestError::Shape {
            path: path.into(),
            location,
            what: what.into(),
            found,
            expected,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_spreadsheets() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn long_tokens_are_cut_to_an_excerpt() {
        let long = "9".repeat(5000);
        let e = IngestError::number("a.px", Location::Line(3), &long, "a number");
        let m = e.to_string();
        assert!(m.len() < 200, "{m}");
        assert!(
            m.contains(&"9".repeat(60)) && !m.contains(&"9".repeat(61)),
            "{m}"
        );
        assert!(m.contains("5000 bytes in all"), "{m}");
        assert_eq!(excerpt("åäö"), "åäö");
    }

    #[test]
    fn messages_read_like_a_compiler() {
        let e = IngestError::shape("employed.px", Location::Line(123), "DATA", 23, 24);
        assert_eq!(e.to_string(), "employed.px:123: DATA has 23, expected 24");
        let e = IngestError::syntax(
            "a.xlsx",
            Location::Cell {
                sheet: "Blad1".into(),
                row: 2,
                col: 1,
            },
            "a merged header cell",
            "one header per column",
        );
        assert_eq!(
            e.to_string(),
            "a.xlsx:Blad1!B3: a merged header cell; expected one header per column"
        );
    }
}
