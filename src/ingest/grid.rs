//! Rectangular grids of cells (CSV records, spreadsheet rows) into tidy tables.
//!
//! CSV and xlsx share everything after the cells are read: finding the header below any title lines,
//! the end of the data above any footnotes, which columns are dimensions and which hold values, the
//! number locale, the dot symbols, and SCB's `code label` cells (`0114 Upplands Väsby`).
//!
//! Three layouts are recognised:
//!
//! - **hwf tidy**: a `value` and a `status` column (and optionally `symbol`), one column per dimension,
//!   with `<dim>_sv` / `<dim>_en` label columns. This is what [`crate::publish::tables`] writes, so a
//!   round trip keeps every value, status and label.
//! - **long**: dimension columns followed by one value column (`Region;Antal`).
//! - **wide**: dimension columns followed by several value columns whose headers are the categories of
//!   one more dimension — `year` when the headers are years (`2019`, `ar_2019`, `år 2019`), else
//!   `variable`.
//!
//! The value columns are the trailing run of columns whose every cell is a number or a symbol and
//! whose header is not a known dimension name (`år`, `ålder`, `kön`, `län`, `region`, …); a column of
//! codes with leading zeros (`0114`) is a dimension too.

use super::error::{IngestError, Location};
use crate::table::{Category, Dimension, Role, Status, Table, TableMeta};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

/// One cell as the source gave it; text is borrowed from the source where it can be (a CSV cell
/// is a slice of the file's text, not a copy of it).
#[derive(Clone, Debug, PartialEq)]
pub enum RawCell<'a> {
    /// Nothing in the cell.
    Empty,
    /// Text (CSV cells are always text).
    Text(Cow<'a, str>),
    /// A number stored as a number (spreadsheets).
    Number(f64),
    /// A spreadsheet cell formatted as a date, as an ISO date (`2020-01-01`): a key in a dimension
    /// column, an error in a value column (a count is never a date).
    Date(String),
}

/// `s.trim()`, without the search for Unicode white space when both ends are visible ASCII (as
/// nearly every cell's are).
#[inline]
pub fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

impl RawCell<'_> {
    fn is_empty(&self) -> bool {
        match self {
            RawCell::Empty => true,
            RawCell::Text(s) => trim(s).is_empty(),
            RawCell::Number(_) | RawCell::Date(_) => false,
        }
    }

    /// The cell as text, trimmed: borrowed from the cell unless it is a number.
    fn text(&self) -> Cow<'_, str> {
        match self {
            RawCell::Empty => Cow::Borrowed(""),
            RawCell::Text(s) => Cow::Borrowed(trim(s)),
            RawCell::Number(v) => Cow::Owned(format_number(*v)),
            RawCell::Date(d) => Cow::Borrowed(d),
        }
    }
}

/// Writes a number the shortest way that reads back to the same `f64` (`45543`, `0.1`).
pub fn format_number(v: f64) -> String {
    if v == v.trunc() && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// One row of the grid, with where it came from.
#[derive(Clone, Debug)]
pub struct GridRow<'a> {
    /// 1-based line (CSV) or 0-based sheet row (xlsx).
    pub at: u32,
    /// The cells.
    pub cells: Vec<RawCell<'a>>,
}

/// How to name a place in the grid in messages.
#[derive(Clone, Debug)]
pub enum Locator {
    /// Text lines: `file:line:column`.
    Lines,
    /// A worksheet: `file:Sheet!B3`.
    Sheet(String),
}

impl Locator {
    /// The location of column `col` (0-based) in row `at`.
    pub fn cell(&self, at: u32, col: usize) -> Location {
        match self {
            Locator::Lines => Location::LineCol(at as usize, col + 1),
            Locator::Sheet(s) => Location::Cell {
                sheet: s.clone(),
                row: at,
                col: col as u32,
            },
        }
    }

    /// The location of row `at` as a whole.
    pub fn row(&self, at: u32) -> Location {
        match self {
            Locator::Lines => Location::Line(at as usize),
            Locator::Sheet(s) => Location::Cell {
                sheet: s.clone(),
                row: at,
                col: 0,
            },
        }
    }

    /// 1-based line or row number, as stored in [`Table::lines`].
    fn line_number(&self, at: u32) -> u32 {
        match self {
            Locator::Lines => at,
            Locator::Sheet(_) => at + 1,
        }
    }
}

/// Which character separates the decimals in numbers written as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decimal {
    /// `78.4`
    Point,
    /// `78,4` (Swedish)
    Comma,
    /// Decide from the cells: comma when any number has a decimal comma, else point.
    Detect,
}

/// A grid read from a file, ready to become a table.
#[derive(Debug)]
pub struct Grid<'a> {
    /// Rows in source order, empty rows included.
    pub rows: Vec<GridRow<'a>>,
    /// How to name places.
    pub locator: Locator,
    /// The decimal separator of numbers written as text.
    pub decimal: Decimal,
    /// The format name recorded in the table's metadata.
    pub format: &'static str,
}

/// Dimension names (lower case) that are never value columns even when their cells are numbers.
const DIM_NAMES: &[&str] = &[
    "år",
    "ar",
    "year",
    "tid",
    "time",
    "period",
    "ålder",
    "alder",
    "age",
    "kön",
    "kon",
    "sex",
    "län",
    "lan",
    "county",
    "region",
    "kommun",
    "municipality",
    "kod",
    "code",
    "id",
    "yrke",
    "profession",
    "huvudman",
    "sector",
    "sektor",
    "regi",
    "utbildning",
    "programme",
    "program",
    "uppgift",
    "sjukvårdsregion",
    "healthcare_region",
    "bedömning",
    "assessment",
    "månad",
    "month",
    "kvartal",
    "quarter",
    "recipient",
    "mottagare",
];

fn is_dim_name(header: &str) -> bool {
    let h = header.trim().to_lowercase();
    DIM_NAMES.contains(&h.as_str())
        || h.ends_with("kod")
        || h.ends_with("_code")
        || h.ends_with("_id")
        || h.starts_with("ålder")
        || h.starts_with("age")
}

/// What a non-numeric cell stands for.
pub(super) fn symbol_status(s: &str) -> Option<Status> {
    match s {
        "" => Some(Status::Missing),
        "-" | "–" | "—" => Some(Status::Zero),
        "x" | "X" => Some(Status::Suppressed),
        _ if s.len() <= 6 && s.bytes().all(|b| b == b'.') => Some(Status::Missing),
        _ => None,
    }
}

/// A cell's number under a decimal convention; `Err(kind)` explains a number written another way.
fn parse_number(s: &str, decimal: Decimal) -> Result<f64, NumberTrouble> {
    let t = trim(s);
    match plain_number(t, decimal) {
        Some(v) => Ok(v),
        None => parse_written(t, decimal),
    }
}

/// [`parse_number`] for every way of writing a number, on trimmed text.
fn parse_written(t: &str, decimal: Decimal) -> Result<f64, NumberTrouble> {
    if let Ok(v) = t.parse::<f64>()
        && !v.is_finite()
    {
        return Err(NumberTrouble::NotFinite);
    }
    let mut cleaned = String::with_capacity(t.len());
    // Thousands groups separated by a space or a (narrow) no-break space: "45 543", "1 234,5".
    let grouped = t.contains([' ', '\u{a0}', '\u{202f}']);
    if grouped {
        let int_part = t.split([',', '.']).next().unwrap_or("");
        let groups: Vec<&str> = int_part
            .trim_start_matches('-')
            .split([' ', '\u{a0}', '\u{202f}'])
            .collect();
        let ok = !groups.is_empty()
            && (1..=3).contains(&groups[0].len())
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            return Err(NumberTrouble::NotANumber);
        }
    }
    for ch in t.chars() {
        if !matches!(ch, ' ' | '\u{a0}' | '\u{202f}') {
            cleaned.push(ch);
        }
    }
    let has_comma = cleaned.contains(',');
    let has_point = cleaned.contains('.');
    let bytes_ok = cleaned
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b',' | b'e' | b'E'));
    if !bytes_ok || !cleaned.bytes().any(|b| b.is_ascii_digit()) {
        return Err(NumberTrouble::NotANumber);
    }
    if has_comma && has_point {
        return Err(NumberTrouble::MixedSeparators);
    }
    let norm = match decimal {
        Decimal::Comma | Decimal::Detect if has_comma => {
            if cleaned.matches(',').count() > 1 {
                return Err(NumberTrouble::NotANumber);
            }
            cleaned.replace(',', ".")
        }
        Decimal::Point if has_comma => return Err(NumberTrouble::CommaInPointFile),
        Decimal::Comma if has_point => return Err(NumberTrouble::PointInCommaFile),
        _ => cleaned,
    };
    match norm.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(NumberTrouble::NotFinite),
        _ => Err(NumberTrouble::NotANumber),
    }
}

/// The common case without allocating: digits with an optional leading minus and at most one
/// decimal point (where a point may be one), finite. Anything else (`None`) takes the full reading,
/// which gives the same value for every string this accepts.
pub(super) fn plain_number(t: &str, decimal: Decimal) -> Option<f64> {
    let digits = t.strip_prefix('-').unwrap_or(t).as_bytes();
    let mut points = 0;
    for &b in digits {
        match b {
            b'0'..=b'9' => {}
            b'.' => points += 1,
            _ => return None,
        }
    }
    if points > 1
        || (points == 1 && decimal == Decimal::Comma)
        || !digits.iter().any(u8::is_ascii_digit)
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Whether `s` is written like a whole number grouped by thousands with points (`1.500`,
/// `12.345.678`): in a file that may be Swedish, that is fifteen hundred to one reader and one and a
/// half to another.
pub(super) fn thousands_with_points(s: &str) -> bool {
    let t = s.trim().trim_start_matches(['-', '+']);
    let mut groups = t.split('.');
    let first = groups.next().unwrap_or("");
    let rest: Vec<&str> = groups.collect();
    !rest.is_empty()
        && (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && rest
            .iter()
            .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

#[derive(Debug, PartialEq)]
enum NumberTrouble {
    NotANumber,
    /// NaN, an infinity, or a number beyond the range of `f64` (`1e400`).
    NotFinite,
    /// `1.500` where the decimal separator is not settled.
    AmbiguousThousands,
    MixedSeparators,
    CommaInPointFile,
    PointInCommaFile,
}

/// A cell that can stand in a value column: a number (also one that is not finite, or a date-formatted
/// one, so that the error names that cell), a symbol, or nothing.
fn is_numberish(cell: &RawCell) -> bool {
    match cell {
        RawCell::Empty | RawCell::Number(_) | RawCell::Date(_) => true,
        RawCell::Text(s) => {
            let s = s.trim();
            symbol_status(s).is_some()
                || matches!(
                    parse_number(s, Decimal::Detect),
                    Ok(_) | Err(NumberTrouble::NotFinite)
                )
        }
    }
}

fn has_number(cell: &RawCell) -> bool {
    match cell {
        RawCell::Number(_) => true,
        RawCell::Text(s) => parse_number(s.trim(), Decimal::Detect).is_ok(),
        RawCell::Empty | RawCell::Date(_) => false,
    }
}

fn looks_like_code(cell: &RawCell) -> bool {
    match cell {
        RawCell::Text(s) => {
            let s = s.trim();
            s.len() > 1 && s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    }
}

/// The year in a wide column header (`2019`, `ar_2019`, `år 2019`, `2019*`), if it is one.
fn header_year(h: &str) -> Option<String> {
    let digits: Vec<&str> = h
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    match digits.as_slice() {
        [y] if y.len() == 4 => {
            let rest: String = h.chars().filter(|c| !c.is_ascii_digit()).collect();
            let rest = rest.trim().trim_matches(['_', '*', ' ']).to_lowercase();
            matches!(rest.as_str(), "" | "ar" | "år" | "year" | "y").then(|| y.to_string())
        }
        // Quarters and months: 2019K1, 2019Q1, 2019M01.
        [y, p] if y.len() == 4 && p.len() <= 2 => {
            let mid: String = h
                .trim()
                .chars()
                .skip(4)
                .take_while(|c| !c.is_ascii_digit())
                .collect();
            matches!(mid.as_str(), "K" | "Q" | "M").then(|| h.trim().to_string())
        }
        _ => None,
    }
}

/// Splits SCB's `code label` cells (`0114 Upplands Väsby`, `01 Stockholms län`) when every cell of a
/// column has that form.
fn split_code_labels<'s>(values: &'s [Cow<'_, str>]) -> Option<Vec<(&'s str, &'s str)>> {
    let mut out = Vec::with_capacity(values.len());
    for v in values {
        let (code, label) = v.split_once(' ')?;
        if code.is_empty() || code.len() > 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let label = label.trim();
        if label.is_empty() {
            return None;
        }
        out.push((code, label));
    }
    (!out.is_empty()).then_some(out)
}

/// The number of cells of a data row that does not fit a header `width` wide (filled cells beyond
/// it, or fewer cells), or `None` when it fits.
fn misfit(r: &GridRow, width: usize) -> Option<usize> {
    let last = r
        .cells
        .iter()
        .rposition(|c| !c.is_empty())
        .map_or(0, |p| p + 1);
    if last > width {
        Some(last)
    } else {
        (r.cells.len() < width).then_some(r.cells.len())
    }
}

/// A row's filled cells joined by spaces (a title or a footnote).
fn joined(r: &GridRow) -> String {
    r.cells
        .iter()
        .map(RawCell::text)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The metadata a grid gives: its origin, format, titles above the header and footnotes below
/// the data (a table whose titles or notes call it synthetic is marked so).
pub(super) fn grid_meta(
    path: &Path,
    format: &str,
    titles: &[String],
    notes: Vec<String>,
) -> TableMeta {
    let mut meta = TableMeta {
        origin: path.display().to_string(),
        format: format.to_string(),
        notes,
        ..Default::default()
    };
    if !titles.is_empty() {
        meta.title_sv = Some(titles.join(" "));
    }
    meta.synthetic = meta
        .notes
        .iter()
        .chain(meta.title_sv.iter())
        .any(|n| crate::table::says_synthetic(n));
    meta
}

/// Builds a table from a grid.
///
/// # Errors
///
/// No header row, a data row with more or fewer cells than the header, no value column, a number
/// written in another locale than the rest of the file, and (tidy layout) an unknown status or a
/// value that disagrees with its status, each with its row and column.
pub fn to_table(path: &Path, grid: &Grid) -> Result<Table, IngestError> {
    let rows = &grid.rows;
    let loc = &grid.locator;
    // Header: the first row with two or more filled cells (title lines above it have one).
    let mut titles = Vec::new();
    let mut h = None;
    for (i, r) in rows.iter().enumerate() {
        match non_empty(r) {
            0 => {}
            1 if rows[i + 1..].iter().any(|r| non_empty(r) >= 2) => {
                titles.push(joined(r));
            }
            _ => {
                h = Some(i);
                break;
            }
        }
    }
    let Some(h) = h else {
        return Err(IngestError::missing(
            path,
            Location::File,
            "a header row",
            "a row of column names followed by data rows",
        ));
    };
    let header_row = &rows[h];
    let width = header_row
        .cells
        .iter()
        .rposition(|c| !c.is_empty())
        .map_or(0, |p| p + 1);
    let headers: Vec<String> = header_row.cells[..width]
        .iter()
        .map(|c| c.text().into_owned())
        .collect();
    for (c, name) in headers.iter().enumerate() {
        if let Some(found) = super::text::control_char(name) {
            return Err(IngestError::syntax(
                path,
                loc.cell(header_row.at, c),
                super::text::control_message("the column name", name, found),
                super::text::NO_CONTROL,
            ));
        }
        if name.is_empty() {
            return Err(IngestError::syntax(
                path,
                loc.cell(header_row.at, c),
                "an empty column name in the header row",
                "a name for every column (merged or blank header cells cannot be read)",
            ));
        }
        if let Some(prev) = headers[..c].iter().position(|x| x == name) {
            return Err(IngestError::syntax(
                path,
                loc.cell(header_row.at, c),
                format!(
                    "the column name {name:?} twice (columns {} and {})",
                    prev + 1,
                    c + 1
                ),
                "distinct column names",
            ));
        }
    }
    // Data rows: up to an empty row, or up to footnote lines (one cell) that run to the end.
    let mut data: Vec<&GridRow> = Vec::new();
    let mut footer = Vec::new();
    let mut i = h + 1;
    while i < rows.len() {
        let r = &rows[i];
        let n = non_empty(r);
        let only_first = n == 1 && !r.cells[0].is_empty() && width > 1;
        if n == 0 || (only_first && rows[i..].iter().all(|r| non_empty(r) <= 1)) {
            footer.extend(rows[i..].iter().filter(|r| non_empty(r) > 0).map(joined));
            break;
        }
        if let Some(found) = misfit(r, width) {
            return Err(IngestError::shape(
                path,
                loc.row(r.at),
                "the row (cells)",
                found,
                width,
            ));
        }
        data.push(r);
        i += 1;
    }
    if data.is_empty() {
        return Err(IngestError::missing(
            path,
            loc.row(header_row.at),
            "data rows below the header",
            "at least one row of data",
        ));
    }
    // Codes, labels and symbols become text hwf writes again (its CSV cannot carry a NUL, a line
    // break or a tab; XML none of the C0 controls): refused at the cell. Leading and trailing ones
    // are white space that the cell's text drops anyway.
    for r in &data {
        for (c, cell) in r.cells[..width].iter().enumerate() {
            if let RawCell::Text(s) = cell {
                let t = s.trim();
                if let Some(found) = super::text::control_char(t) {
                    return Err(IngestError::syntax(
                        path,
                        loc.cell(r.at, c),
                        super::text::control_message("the cell", t, found),
                        super::text::NO_CONTROL,
                    ));
                }
            }
        }
    }
    let mut meta = grid_meta(path, grid.format, &titles, footer);

    if is_tidy(&headers) {
        return tidy(path, grid, &headers, &data, meta);
    }

    // Which trailing columns hold values.
    let is_value_col = |c: usize| {
        !is_dim_name(&headers[c])
            && data.iter().all(|r| is_numberish(&r.cells[c]))
            // A column of dates only is a dimension (dates as keys).
            && !data.iter().all(|r| matches!(r.cells[c], RawCell::Date(_)))
            && (data.iter().any(|r| has_number(&r.cells[c]))
                || header_year(&headers[c]).is_some()
                || data.iter().all(|r| !r.cells[c].is_empty()))
            && !data.iter().any(|r| looks_like_code(&r.cells[c]))
    };
    let mut first_value = width;
    while first_value > 0 && is_value_col(first_value - 1) {
        first_value -= 1;
    }
    // A column just left of the values that is mostly numbers but has a cell that is not one is a
    // value column with a bad cell, not a dimension: say which cell, rather than guess.
    if first_value > 0 {
        let c = first_value - 1;
        let numbers = data.iter().filter(|r| has_number(&r.cells[c])).count();
        let numberish = data.iter().filter(|r| is_numberish(&r.cells[c])).count();
        let plausible = !is_dim_name(&headers[c])
            && !data.iter().any(|r| looks_like_code(&r.cells[c]))
            && numbers > 0
            && numberish * 2 >= data.len();
        if plausible && let Some(r) = data.iter().find(|r| !is_numberish(&r.cells[c])) {
            if let RawCell::Date(d) = &r.cells[c] {
                return Err(date_error(path, loc.cell(r.at, c), d));
            }
            let s = r.cells[c].text();
            let trouble = parse_number(&s, grid.decimal)
                .err()
                .unwrap_or(NumberTrouble::NotANumber);
            return Err(number_error(
                path,
                loc.cell(r.at, c),
                &s,
                trouble,
                grid.decimal,
            ));
        }
    }
    if first_value == width {
        return Err(IngestError::missing(
            path,
            loc.cell(header_row.at, width.saturating_sub(1)),
            format!(
                "a value column (the last column, {:?}, is not numeric)",
                headers[width - 1]
            ),
            "numbers, dot symbols (\"..\") or \"-\" in the last column(s)",
        ));
    }
    if first_value == 0 {
        return Err(IngestError::missing(
            path,
            loc.row(header_row.at),
            "a dimension column (every column holds numbers)",
            "at least one column of codes or labels before the values",
        ));
    }
    let decimal = resolve_decimal(path, grid, &data, first_value..width)?;

    // Dimension columns.
    let mut dims = Vec::new();
    let mut col_keys: Vec<Vec<u32>> = Vec::new();
    #[allow(clippy::needless_range_loop)]
    for c in 0..first_value {
        let texts: Vec<Cow<str>> = data.iter().map(|r| r.cells[c].text()).collect();
        let split = split_code_labels(&texts);
        let mut dim = Dimension {
            id: headers[c].clone(),
            role: role_for(&headers[c]),
            ..Default::default()
        };
        let mut index: HashMap<&str, u32> = HashMap::new();
        let mut keys = Vec::with_capacity(data.len());
        for (k, t) in texts.iter().enumerate() {
            let (code, label) = match &split {
                Some(s) => (s[k].0, Some(s[k].1)),
                None => (t.as_ref(), None),
            };
            if code.is_empty() {
                return Err(IngestError::missing(
                    path,
                    loc.cell(data[k].at, c),
                    format!("a code in column {:?}", headers[c]),
                    "every dimension cell filled",
                ));
            }
            let idx = *index.entry(code).or_insert_with(|| {
                dim.categories.push(Category {
                    code: code.to_string(),
                    label_sv: label.map(str::to_string),
                    ..Default::default()
                });
                dim.categories.len() as u32 - 1
            });
            keys.push(idx);
        }
        dims.push(dim);
        col_keys.push(keys);
    }
    let wide = width - first_value > 1;
    if wide {
        let hs = &headers[first_value..];
        let years: Option<Vec<String>> = hs.iter().map(|h| header_year(h)).collect();
        let (id, role, codes) = match years {
            Some(y) => ("year".to_string(), Role::Time, y),
            None => ("variable".to_string(), Role::Other, hs.to_vec()),
        };
        dims.push(Dimension {
            label_sv: Some(if role == Role::Time {
                "år".into()
            } else {
                "variabel".into()
            }),
            label_en: Some(id.clone()),
            categories: codes
                .iter()
                .zip(hs)
                .map(|(code, h)| Category {
                    code: code.clone(),
                    label_sv: (code != h).then(|| h.clone()),
                    ..Default::default()
                })
                .collect(),
            id,
            role,
            elimination: None,
        });
    } else {
        meta.measure = Some(headers[first_value].clone());
    }
    let mut table = Table::new(meta, dims);
    let n_vals = width - first_value;
    table.reserve(data.len() * n_vals);
    let mut key = vec![0u32; table.dims.len()];
    // Every bad value cell is reported, not only the first.
    let mut bad = super::error::Collector::default();
    for (k, r) in data.iter().enumerate() {
        for (d, keys) in col_keys.iter().enumerate() {
            key[d] = keys[k];
        }
        for v in 0..n_vals {
            let c = first_value + v;
            if wide {
                key[first_value] = v as u32;
            }
            let (value, status, sym) = match value_cell(path, loc, r.at, c, &r.cells[c], decimal) {
                Ok(x) => x,
                Err(e) => {
                    bad.push(e);
                    continue;
                }
            };
            let sym = match sym {
                Some(s) => match table.intern_symbol(&s) {
                    Some(i) => i,
                    None => {
                        bad.push(too_many_symbols(path, loc.cell(r.at, c), &s));
                        continue;
                    }
                },
                None => 0,
            };
            table.push(&key, value, status, sym);
            table.lines.push(loc.line_number(r.at));
        }
    }
    bad.finish(path)?;
    Ok(table)
}

fn role_for(header: &str) -> Role {
    match header.trim().to_lowercase().as_str() {
        "år" | "ar" | "year" | "tid" | "time" | "period" | "månad" | "kvartal" => Role::Time,
        "län" | "lan" | "county" | "region" | "kommun" | "municipality" => Role::Geo,
        _ => Role::Other,
    }
}

/// Reads one value cell: a number, or a symbol with its status.
fn value_cell(
    path: &Path,
    loc: &Locator,
    at: u32,
    col: usize,
    cell: &RawCell,
    decimal: Decimal,
) -> Result<(f64, Status, Option<String>), IngestError> {
    match cell {
        RawCell::Empty => Ok((f64::NAN, Status::Missing, None)),
        RawCell::Number(v) if v.is_finite() => Ok((*v, Status::Observed, None)),
        RawCell::Number(v) => Err(number_error(
            path,
            loc.cell(at, col),
            &v.to_string(),
            NumberTrouble::NotFinite,
            decimal,
        )),
        RawCell::Date(d) => Err(date_error(path, loc.cell(at, col), d)),
        RawCell::Text(s) => {
            let s = trim(s);
            if let Some(st) = symbol_status(s) {
                let v = if st == Status::Zero { 0.0 } else { f64::NAN };
                return Ok((v, st, (!s.is_empty()).then(|| s.to_string())));
            }
            parse_number(s, decimal)
                .map(|v| (v, Status::Observed, None))
                .map_err(|t| number_error(path, loc.cell(at, col), s, t, decimal))
        }
    }
}

/// A symbol beyond [`crate::table::MAX_SYMBOLS`] distinct ones, at its cell.
pub(super) fn too_many_symbols(path: &Path, location: Location, symbol: &str) -> IngestError {
    IngestError::syntax(
        path,
        location,
        format!(
            "the status symbol {:?}, one more than the {} distinct symbols a table may hold",
            super::error::excerpt(symbol),
            crate::table::MAX_SYMBOLS
        ),
        "a handful of status symbols (\"..\", \"x\", \"-\"); free text belongs in a column of \
         its own",
    )
}

fn date_error(path: &Path, location: Location, date: &str) -> IngestError {
    IngestError::syntax(
        path,
        location,
        format!("a date-formatted cell ({date}) in a value column"),
        "a number (format the cell as a number: a count is never a date)",
    )
}

fn number_error(
    path: &Path,
    location: Location,
    s: &str,
    trouble: NumberTrouble,
    decimal: Decimal,
) -> IngestError {
    let expected = match (trouble, decimal) {
        (NumberTrouble::PointInCommaFile, _) => {
            "a decimal comma, as the rest of this file writes numbers (\"78,4\"); a point here would \
             be read as a thousands separator in one locale and a decimal point in another"
        }
        (NumberTrouble::CommaInPointFile, _) => {
            "a decimal point, as a comma-separated file writes numbers (\"78.4\")"
        }
        (NumberTrouble::MixedSeparators, _) => {
            "a number without thousands separators (\"1234,5\" or \"1234.5\")"
        }
        (NumberTrouble::NotFinite, _) => {
            "a finite number (NaN, infinities and numbers beyond ±1.8e308 are not counts)"
        }
        (NumberTrouble::AmbiguousThousands, _) => {
            "a number whose separator cannot be misread: in a file that may be Swedish, \"1.500\" is \
             fifteen hundred to one reader and one and a half to another; write \"1500\" (or \
             \"1,5\")"
        }
        _ => {
            "a number, a dot symbol (\"..\"), \"-\" for a true zero, or \"x\" for a suppressed cell"
        }
    };
    IngestError::number(path, location, s, expected)
}

/// Settles the decimal separator of the value columns, or reports the first cell that breaks it.
fn resolve_decimal(
    path: &Path,
    grid: &Grid,
    data: &[&GridRow],
    cols: std::ops::Range<usize>,
) -> Result<Decimal, IngestError> {
    if grid.decimal != Decimal::Detect {
        return Ok(grid.decimal);
    }
    let mut comma_at = None;
    let mut point_at = None;
    for r in data {
        for c in cols.clone() {
            if let RawCell::Text(s) = &r.cells[c] {
                let s = s.trim();
                if symbol_status(s).is_some() {
                    continue;
                }
                if comma_at.is_none() && s.contains(',') && !s.contains('.') {
                    comma_at = Some((r.at, c));
                }
                if point_at.is_none() && s.contains('.') && !s.contains(',') {
                    point_at = Some((r.at, c));
                }
            }
        }
    }
    match (comma_at, point_at) {
        (Some(_), Some((at, c))) => {
            let s = data
                .iter()
                .find(|r| r.at == at)
                .map(|r| r.cells[c].text())
                .unwrap_or_default();
            Err(number_error(
                path,
                grid.locator.cell(at, c),
                &s,
                NumberTrouble::PointInCommaFile,
                Decimal::Comma,
            ))
        }
        (Some(_), None) => Ok(Decimal::Comma),
        (None, Some(_)) => {
            // Points only, and every one grouping thousands: the locale cannot be told.
            let mut first = None;
            for r in data {
                for c in cols.clone() {
                    if let RawCell::Text(s) = &r.cells[c]
                        && s.contains('.')
                        && symbol_status(s.trim()).is_none()
                    {
                        if !thousands_with_points(s) {
                            return Ok(Decimal::Point);
                        }
                        first.get_or_insert((r.at, c, s.trim().to_string()));
                    }
                }
            }
            match first {
                Some((at, c, s)) => Err(number_error(
                    path,
                    grid.locator.cell(at, c),
                    &s,
                    NumberTrouble::AmbiguousThousands,
                    Decimal::Detect,
                )),
                None => Ok(Decimal::Point),
            }
        }
        (None, None) => Ok(Decimal::Point),
    }
}

/// The hwf tidy layout: dimension columns, optional `<dim>_sv`/`<dim>_en` labels, `value`, `status`,
/// optional `symbol`.
fn tidy(
    path: &Path,
    grid: &Grid,
    headers: &[String],
    data: &[&GridRow],
    meta: TableMeta,
) -> Result<Table, IngestError> {
    let mut tidy = Tidy::new(headers, meta);
    let decimal = resolve_decimal(path, grid, data, tidy.value..tidy.value + 1)?;
    for r in data {
        tidy.row(path, &grid.locator, r, decimal)?;
    }
    Ok(tidy.finish(grid.format))
}

/// Whether the header names hwf's tidy layout (a `value` and a `status` column).
fn is_tidy(headers: &[String]) -> bool {
    let has = |name: &str| headers.iter().any(|h| h.eq_ignore_ascii_case(name));
    has("value") && has("status")
}

/// A table in the tidy layout, built one data row at a time.
pub(super) struct Tidy {
    /// The `value` column.
    pub(super) value: usize,
    /// The `status` column.
    pub(super) status: usize,
    /// The `symbol` column, if any.
    pub(super) symbol: Option<usize>,
    /// Each dimension's column and its `_sv` and `_en` label columns.
    pub(super) columns: Vec<(usize, Option<usize>, Option<usize>)>,
    /// Each dimension's category index by code, and the last category seen (consecutive rows
    /// mostly repeat it).
    index: Vec<HashMap<String, u32>>,
    last: Vec<u32>,
    key: Vec<u32>,
    /// The table built so far (its dimensions without categories until rows come).
    pub(super) table: Table,
}

impl Tidy {
    /// The builder for a header that [`is_tidy`].
    pub(super) fn new(headers: &[String], meta: TableMeta) -> Tidy {
        let find = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
        let value = find("value").unwrap_or(0);
        let status = find("status").unwrap_or(0);
        let symbol = find("symbol");
        let is_label = |h: &str| {
            ["_sv", "_en"].iter().any(|suf| {
                h.strip_suffix(suf)
                    .is_some_and(|b| headers.iter().any(|x| x == b))
            })
        };
        let columns: Vec<(usize, Option<usize>, Option<usize>)> = (0..headers.len())
            .filter(|&c| c != value && c != status && Some(c) != symbol)
            .filter(|&c| !is_label(&headers[c]))
            .map(|c| {
                (
                    c,
                    find(&format!("{}_sv", headers[c])),
                    find(&format!("{}_en", headers[c])),
                )
            })
            .collect();
        let dims = columns
            .iter()
            .map(|&(c, _, _)| Dimension {
                id: headers[c].clone(),
                role: role_for(&headers[c]),
                ..Default::default()
            })
            .collect();
        let n = columns.len();
        Tidy {
            value,
            status,
            symbol,
            columns,
            index: vec![HashMap::new(); n],
            last: vec![u32::MAX; n],
            key: vec![0; n],
            table: Table::new(meta, dims),
        }
    }

    /// Adds one data row; the first bad status or value is an error at its cell.
    fn row(
        &mut self,
        path: &Path,
        loc: &Locator,
        r: &GridRow,
        decimal: Decimal,
    ) -> Result<(), IngestError> {
        for (d, &(c, sv, en)) in self.columns.iter().enumerate() {
            let code = r.cells[c].text();
            let cats = &mut self.table.dims[d].categories;
            let last = self.last[d] as usize;
            if last < cats.len() && cats[last].code == code {
                self.key[d] = last as u32;
                continue;
            }
            let idx = match self.index[d].get(code.as_ref()) {
                Some(&i) => i,
                None => {
                    let label = |col: Option<usize>| {
                        col.map(|x| r.cells[x].text().into_owned())
                            .filter(|s| !s.is_empty())
                    };
                    cats.push(Category {
                        code: code.to_string(),
                        label_sv: label(sv),
                        label_en: label(en),
                        unit: None,
                    });
                    let i = cats.len() as u32 - 1;
                    self.index[d].insert(code.into_owned(), i);
                    i
                }
            };
            self.last[d] = idx;
            self.key[d] = idx;
        }
        let st_text = r.cells[self.status].text();
        let status = Status::parse(&st_text).ok_or_else(|| {
            IngestError::syntax(
                path,
                loc.cell(r.at, self.status),
                format!("the status {st_text:?}"),
                "one of observed, missing, zero, suppressed, estimated",
            )
        })?;
        let (value, _, _) = value_cell(path, loc, r.at, self.value, &r.cells[self.value], decimal)?;
        if status.has_value() == value.is_nan() {
            return Err(IngestError::syntax(
                path,
                loc.cell(r.at, self.value),
                format!(
                    "{} with status {status}",
                    if value.is_nan() {
                        "no value".to_string()
                    } else {
                        format!("the value {}", r.cells[self.value].text())
                    }
                ),
                if status.has_value() {
                    "a number for an observed, zero or estimated cell"
                } else {
                    "an empty value for a missing or suppressed cell"
                },
            ));
        }
        let sym = match self.symbol.map(|c| (c, r.cells[c].text())) {
            Some((c, s)) if !s.is_empty() => self
                .table
                .intern_symbol(&s)
                .ok_or_else(|| too_many_symbols(path, loc.cell(r.at, c), &s))?,
            _ => 0,
        };
        self.table.push(&self.key, value, status, sym);
        self.table.lines.push(loc.line_number(r.at));
        Ok(())
    }

    /// The table, its format recorded.
    pub(super) fn finish(mut self, format: &str) -> Table {
        self.table.meta.format = format.to_string();
        self.table
    }
}

/// Builds a table in hwf's tidy layout while going through the rows, without holding them: twice
/// over `rows` (a source that can be gone through again), once to find the header, the data and
/// the footnotes and to settle the decimal separator, once to build the table.
///
/// It gives exactly the table [`to_table`] gives for the same rows, or `None` whenever that
/// function would do anything else: another layout, or any error (the caller then reads the rows
/// whole, and [`to_table`] reports the error as ever). Tested against it in
/// `csv::tests::streamed_tidy_tables_equal_the_grid_ones`.
pub fn tidy_streamed<'t, I>(
    path: &Path,
    rows: I,
    loc: &Locator,
    decimal: Decimal,
    format: &'static str,
) -> Option<Table>
where
    I: Iterator<Item = Result<GridRow<'t>, IngestError>> + Clone,
{
    let mut it = rows;
    let head = tidy_head(&mut it)?;
    let width = head.headers.len();
    // The builder is made here for its columns; the metadata comes with the footnotes below.
    let mut tidy = Tidy::new(&head.headers, TableMeta::default());
    let value_col = tidy.value;
    // First pass: the data rows (up to an empty row or footnotes to the end), their shape and
    // text, and the decimal separator as `resolve_decimal` settles it.
    let data_start = it.clone();
    let mut n_data = 0usize;
    let mut footer = Vec::new();
    let mut seps = Separators::default();
    while let Some(r) = it.next() {
        let r = r.ok()?;
        if let Some(notes) = data_end(&r, &mut it, width)? {
            footer = notes;
            break;
        }
        if misfit(&r, width).is_some() {
            return None;
        }
        for cell in &r.cells[..width] {
            if let RawCell::Text(s) = cell
                && super::text::control_char(trim(s)).is_some()
            {
                return None;
            }
        }
        if decimal == Decimal::Detect
            && let RawCell::Text(s) = &r.cells[value_col]
        {
            seps.see(trim(s));
        }
        n_data += 1;
    }
    if n_data == 0 {
        return None;
    }
    let decimal = seps.decimal(decimal)?;
    tidy.table.meta = grid_meta(path, format, &head.titles, footer);
    // Second pass: the table.
    tidy.table.reserve(n_data);
    tidy.table.lines.reserve(n_data);
    for r in data_start.take(n_data) {
        tidy.row(path, loc, &r.ok()?, decimal).ok()?;
    }
    Some(tidy.finish(format))
}

/// The title lines and column names of a file in hwf's tidy layout, as [`to_table`] finds them.
pub(super) struct TidyHead {
    /// Single cells above the header.
    pub(super) titles: Vec<String>,
    /// The column names, up to the last filled header cell.
    pub(super) headers: Vec<String>,
}

/// Reads the titles and the header from `it`, leaving it at the first row below the header:
/// `None` unless the header names the tidy layout and [`to_table`] would take it without an
/// error (names present, distinct, without control characters).
pub(super) fn tidy_head<'t, I>(it: &mut I) -> Option<TidyHead>
where
    I: Iterator<Item = Result<GridRow<'t>, IngestError>>,
{
    // The header: the first row with two or more filled cells; single cells above it are titles.
    let mut titles = Vec::new();
    let header = loop {
        let r = it.next()?.ok()?;
        match non_empty(&r) {
            0 => {}
            1 => titles.push(joined(&r)),
            _ => break r,
        }
    };
    let width = header.cells.iter().rposition(|c| !c.is_empty())? + 1;
    let headers: Vec<String> = header.cells[..width]
        .iter()
        .map(|c| c.text().into_owned())
        .collect();
    for (c, name) in headers.iter().enumerate() {
        if name.is_empty()
            || super::text::control_char(name).is_some()
            || headers[..c].contains(name)
        {
            return None;
        }
    }
    is_tidy(&headers).then_some(TidyHead { titles, headers })
}

/// The number of filled cells of a row.
fn non_empty(r: &GridRow) -> usize {
    r.cells.iter().filter(|c| !c.is_empty()).count()
}

/// Whether the data of a table `width` wide ends at row `r`, which `it` follows: at an empty row,
/// or at a row whose first cell alone is filled when every row after it has one cell or none
/// (footnotes). `Some(Some(notes))` with the footnotes (the rows' filled cells joined, `it` gone
/// through) when it ends there, `Some(None)` when `r` is a data row, `None` when a row cannot be
/// read.
pub(super) fn data_end<'t, I>(r: &GridRow, it: &mut I, width: usize) -> Option<Option<Vec<String>>>
where
    I: Iterator<Item = Result<GridRow<'t>, IngestError>> + Clone,
{
    let n = non_empty(r);
    let only_first = n == 1 && !r.cells[0].is_empty() && width > 1;
    let rest_is_notes = || {
        let mut rest = it.clone();
        rest.try_fold(true, |all, x| x.ok().map(|x| all && non_empty(&x) <= 1))
    };
    if !(n == 0 || (only_first && rest_is_notes()?)) {
        return Some(None);
    }
    let mut footer = Vec::new();
    if n > 0 {
        footer.push(joined(r));
    }
    for x in it.by_ref() {
        let x = x.ok()?;
        if non_empty(&x) > 0 {
            footer.push(joined(&x));
        }
    }
    Some(Some(footer))
}

/// What the value cells of a tidy file say of its decimal separator, as [`resolve_decimal`]
/// settles it from the value column: a decimal comma somewhere, a decimal point somewhere, and a
/// point that does not group thousands (`1.500` could).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Separators {
    comma: bool,
    point: bool,
    plain_point: bool,
}

impl Separators {
    /// Takes in one value cell's trimmed text (symbols say nothing; each test is made only until
    /// it has an answer, as `thousands_with_points` splits the cell).
    pub(super) fn see(&mut self, s: &str) {
        if symbol_status(s).is_none() {
            let (comma, point) = (s.contains(','), s.contains('.'));
            self.comma = self.comma || (comma && !point);
            self.point = self.point || (point && !comma);
            self.plain_point = self.plain_point || (point && !thousands_with_points(s));
        }
    }

    /// Both sets of cells seen together.
    pub(super) fn and(self, other: Separators) -> Separators {
        Separators {
            comma: self.comma || other.comma,
            point: self.point || other.point,
            plain_point: self.plain_point || other.plain_point,
        }
    }

    /// The separator: `decimal` when it is told, else the one the cells show; `None` where
    /// [`resolve_decimal`] reports an error (both, or points that may all group thousands).
    pub(super) fn decimal(self, decimal: Decimal) -> Option<Decimal> {
        Some(match (decimal, self.comma, self.point) {
            (Decimal::Detect, true, true) => return None,
            (Decimal::Detect, true, false) => Decimal::Comma,
            (Decimal::Detect, false, true) if !self.plain_point => return None,
            (Decimal::Detect, _, _) => Decimal::Point,
            (d, _, _) => d,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_reading_agrees_with_the_full_one() {
        // Every string the shortcut accepts reads the same the full way, under every convention;
        // the strings it leaves alone include every way a number can be written otherwise.
        let mut cases: Vec<String> = [
            "0",
            "7",
            "-7",
            "007",
            "45543",
            "78.4",
            "-78.4",
            ".5",
            "5.",
            "-.5",
            "1.500",
            "1.5.0",
            ".",
            "-",
            "",
            "--5",
            "+5",
            "1e5",
            "78,4",
            "1 234",
            "9007199254740993",
            "0.1",
            "123456789012345678901234567890",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        cases.push("9".repeat(400));
        use rand_core::{Rng, SeedableRng};
        let mut rng = rand_pcg::Pcg64::seed_from_u64(3);
        let alphabet = b"0123456789.-,e+ ";
        for _ in 0..20_000 {
            let len = rng.next_u64() % 9;
            let pick = |r: &mut rand_pcg::Pcg64| {
                alphabet[(r.next_u64() % alphabet.len() as u64) as usize] as char
            };
            cases.push((0..len).map(|_| pick(&mut rng)).collect());
        }
        let mut taken = 0;
        for s in &cases {
            let t = s.trim();
            for d in [Decimal::Point, Decimal::Comma, Decimal::Detect] {
                if let Some(v) = plain_number(t, d) {
                    taken += 1;
                    assert_eq!(
                        parse_written(t, d).map(f64::to_bits),
                        Ok(v.to_bits()),
                        "{s:?}"
                    );
                }
            }
        }
        assert!(taken > 5_000, "{taken}");
        assert_eq!(plain_number(&"9".repeat(400), Decimal::Point), None);
        assert_eq!(plain_number("1.5", Decimal::Comma), None);
    }

    #[test]
    fn numbers_in_both_locales_and_their_traps() {
        assert_eq!(parse_number("78,4", Decimal::Detect), Ok(78.4));
        assert_eq!(parse_number("78.4", Decimal::Point), Ok(78.4));
        assert_eq!(parse_number("45 543", Decimal::Detect), Ok(45543.0));
        assert_eq!(parse_number("1\u{a0}234,5", Decimal::Comma), Ok(1234.5));
        assert_eq!(parse_number("-3", Decimal::Comma), Ok(-3.0));
        assert_eq!(
            parse_number("78,4", Decimal::Point),
            Err(NumberTrouble::CommaInPointFile)
        );
        assert_eq!(
            parse_number("1.234,5", Decimal::Detect),
            Err(NumberTrouble::MixedSeparators)
        );
        assert_eq!(
            parse_number("78.4", Decimal::Comma),
            Err(NumberTrouble::PointInCommaFile)
        );
        assert_eq!(
            parse_number("4 55 43", Decimal::Detect),
            Err(NumberTrouble::NotANumber)
        );
        assert_eq!(
            parse_number("inf", Decimal::Detect),
            Err(NumberTrouble::NotFinite)
        );
        assert_eq!(
            parse_number("NaN", Decimal::Detect),
            Err(NumberTrouble::NotFinite)
        );
    }

    #[test]
    fn every_bad_value_cell_is_reported() {
        let grid = Grid {
            rows: vec![
                GridRow {
                    at: 1,
                    cells: vec![RawCell::Text("kod".into()), RawCell::Text("antal".into())],
                },
                GridRow {
                    at: 2,
                    cells: vec![RawCell::Text("A".into()), RawCell::Text("nan".into())],
                },
                GridRow {
                    at: 3,
                    cells: vec![RawCell::Text("B".into()), RawCell::Number(4.0)],
                },
                GridRow {
                    at: 4,
                    cells: vec![RawCell::Text("C".into()), RawCell::Text("1e400".into())],
                },
            ],
            locator: Locator::Lines,
            decimal: Decimal::Point,
            format: "csv",
        };
        let e = to_table(Path::new("t.csv"), &grid).unwrap_err();
        match &e {
            IngestError::Several {
                errors, more: 0, ..
            } => {
                let places: Vec<Location> = errors
                    .iter()
                    .map(|e| match e {
                        IngestError::Number { location, .. } => location.clone(),
                        other => panic!("{other}"),
                    })
                    .collect();
                assert_eq!(
                    places,
                    vec![Location::LineCol(2, 2), Location::LineCol(4, 2)]
                );
            }
            other => panic!("{other}"),
        }
        assert!(
            e.to_string().contains("t.csv:4:2: cannot read \"1e400\""),
            "{e}"
        );
        assert!(e.to_string().contains("a finite number"), "{e}");
    }

    #[test]
    fn non_finite_numbers_and_thousand_points_are_named() {
        assert_eq!(
            parse_number("1e400", Decimal::Detect),
            Err(NumberTrouble::NotFinite)
        );
        assert_eq!(
            parse_number("nan", Decimal::Detect),
            Err(NumberTrouble::NotFinite)
        );
        assert_eq!(
            parse_number("-inf", Decimal::Point),
            Err(NumberTrouble::NotFinite)
        );
        assert!(thousands_with_points("1.500"));
        assert!(thousands_with_points("-12.345.678"));
        assert!(!thousands_with_points("1.5"));
        assert!(!thousands_with_points("1234.500"));
        assert!(!thousands_with_points("1.5000"));
    }

    #[test]
    fn wide_headers_that_are_years() {
        assert_eq!(header_year("2019").as_deref(), Some("2019"));
        assert_eq!(header_year("ar_2019").as_deref(), Some("2019"));
        assert_eq!(header_year("år 2019").as_deref(), Some("2019"));
        assert_eq!(header_year("2019K1").as_deref(), Some("2019K1"));
        assert_eq!(header_year("Antal"), None);
        assert_eq!(header_year("kvinnor 2019"), None);
    }

    #[test]
    fn scb_code_label_cells_split_only_when_all_do() {
        let v: Vec<Cow<str>> = vec!["0114 Upplands Väsby".into(), "2584 Kiruna".into()];
        let s = split_code_labels(&v).unwrap();
        assert_eq!(s[0], ("0114", "Upplands Väsby"));
        let v: Vec<Cow<str>> = vec!["0114 Upplands Väsby".into(), "Kiruna".into()];
        assert!(split_code_labels(&v).is_none());
    }
}
