//! hwf's tidy CSV layout read in one pass, its data lines split into chunks that the rayon pool
//! reads side by side.
//!
//! Each chunk of whole lines is read into a [`Part`]: the rows' keys into the chunk's own
//! categories (in the order they first appear, with the labels of that row), values, statuses,
//! symbols and lines. The parts are then joined in file order, each chunk's categories and symbols
//! placed after those of the chunks before it, which is the order one reader going through the
//! lines would have given them: the table is the same for any number of chunks and threads.
//!
//! Only the plain case is read here: a data line with no quote and no control character (other
//! than the delimiter and the line end), as many cells as the header (or more, blank), two or
//! more of them filled, a status hwf writes, a value that is a symbol or a number written plainly
//! (`-12`, `78.4`, `78,4`), and a value that agrees with its status. A chunk stops at the first
//! line that is not: the data must end there (an empty row, or footnotes to the end of the file),
//! or [`read`] gives `None` and the caller reads the file as before (which reports any error).

use super::csv::Rows;
use super::grid::{self, Decimal, Separators, Tidy};
use crate::table::{Category, MAX_SYMBOLS, Status, Table, TableMeta};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

/// Data shorter than this is read as one chunk.
const CHUNKED_BYTES: usize = 1 << 20;

/// The table of a CSV file in hwf's tidy layout, or `None` when this reading cannot give the one
/// [`grid::tidy_streamed`] gives (another layout, a line it does not read, or any error).
pub(super) fn read(
    path: &Path,
    text: &str,
    delimiter: u8,
    decimal: Decimal,
    format: &'static str,
) -> Option<Table> {
    let n = if text.len() < CHUNKED_BYTES {
        1
    } else {
        rayon::current_num_threads()
    };
    read_in(path, text, delimiter, decimal, format, n)
}

/// As [`read`], the data lines cut into `n` chunks (the table is the same for any `n`).
pub(super) fn read_in(
    path: &Path,
    text: &str,
    delimiter: u8,
    decimal: Decimal,
    format: &'static str,
    n: usize,
) -> Option<Table> {
    let mut rows = Rows::new(path, text, delimiter);
    let head = grid::tidy_head(&mut rows)?;
    let (start, line) = rows.position()?;
    let tidy = Tidy::new(&head.headers, TableMeta::default());
    let spec = Spec {
        delimiter,
        width: head.headers.len(),
        value: tidy.value,
        status: tidy.status,
        symbol: tidy.symbol,
        columns: tidy.columns.clone(),
        detect: decimal == Decimal::Detect,
        comma: decimal != Decimal::Point,
    };
    let chunks = chunks(&text[start..], n);
    let parts: Vec<Part> = chunks.par_iter().map(|c| spec.part(c)).collect();
    // The rows up to the first line a chunk stopped at; from there on, the end of the data.
    let (mut at, mut next_line) = (start, line);
    let mut kept = Vec::with_capacity(parts.len());
    let mut stopped = false;
    for (chunk, part) in chunks.iter().zip(parts) {
        let first = next_line;
        match part.stop {
            Some((offset, lines)) => {
                at += offset;
                next_line += lines;
                stopped = true;
            }
            None => {
                at += chunk.len();
                next_line += part.lines_total as usize;
            }
        }
        kept.push((first, part));
        if stopped {
            break;
        }
    }
    let footer = if stopped {
        let mut rest = Rows::at(path, text, delimiter, at, next_line);
        let r = rest.next()?.ok()?;
        grid::data_end(&r, &mut rest, spec.width)??
    } else {
        Vec::new()
    };
    let seps = kept
        .iter()
        .fold(Separators::default(), |s, (_, p)| s.and(p.seps));
    let decimal = seps.decimal(decimal)?;
    if kept.iter().all(|(_, p)| p.values.is_empty())
        || (decimal == Decimal::Comma && kept.iter().any(|(_, p)| p.points))
    {
        return None;
    }
    let mut table = tidy.table;
    table.meta = grid::grid_meta(path, format, &head.titles, footer);
    join(&mut table, kept)?;
    table.meta.format = format.to_string();
    Some(table)
}

/// `text` cut into at most `n` chunks of whole lines of about the same size.
fn chunks(text: &str, n: usize) -> Vec<&str> {
    let n = n.max(1);
    let mut out = Vec::with_capacity(n);
    let mut start = 0;
    for i in 1..=n {
        let end = if i == n {
            text.len()
        } else {
            let target = (text.len() / n * i).max(start);
            memchr::memchr(b'\n', &text.as_bytes()[target..]).map_or(text.len(), |p| target + p + 1)
        };
        if end > start {
            out.push(&text[start..end]);
        }
        start = end;
    }
    out
}

/// Where the columns are, and how numbers are written.
struct Spec {
    delimiter: u8,
    /// The header's cells up to its last filled one.
    width: usize,
    value: usize,
    status: usize,
    symbol: Option<usize>,
    /// Each dimension's column and its `_sv` and `_en` label columns.
    columns: Vec<(usize, Option<usize>, Option<usize>)>,
    /// Whether the decimal separator is told from the cells.
    detect: bool,
    /// Whether a decimal comma may be one.
    comma: bool,
}

/// One category of a chunk, as the row that first held it gives it.
struct LocalCategory<'t> {
    code: &'t str,
    label_sv: Option<&'t str>,
    label_en: Option<&'t str>,
}

/// The rows of one chunk of lines.
#[derive(Default)]
struct Part<'t> {
    /// Each dimension's categories in the order the chunk first holds them, and their index.
    categories: Vec<Vec<LocalCategory<'t>>>,
    index: Vec<HashMap<&'t str, u32>>,
    /// Each dimension's last category (consecutive rows mostly repeat it).
    last: Vec<u32>,
    /// `keys[d][row]`, into `categories[d]`.
    keys: Vec<Vec<u32>>,
    values: Vec<f64>,
    status: Vec<Status>,
    /// 0 for none, else `symbol_names[s - 1]`.
    symbols: Vec<u16>,
    symbol_names: Vec<&'t str>,
    /// Each row's line, counted from the chunk's first (0-based).
    lines: Vec<u32>,
    /// The lines of the chunk.
    lines_total: u32,
    /// The line the chunk stopped at: its byte offset in the chunk and its line.
    stop: Option<(usize, usize)>,
    seps: Separators,
    /// Whether a value has a decimal point.
    points: bool,
    /// The cells of the line being read, as byte ranges.
    cells: Vec<(usize, usize)>,
}

impl Spec {
    /// Reads the rows of `chunk` (whole lines) up to the first line this reading does not take.
    fn part<'t>(&self, chunk: &'t str) -> Part<'t> {
        let n = self.columns.len();
        let mut part = Part {
            categories: (0..n).map(|_| Vec::new()).collect(),
            index: vec![HashMap::new(); n],
            last: vec![u32::MAX; n],
            keys: vec![Vec::new(); n],
            ..Part::default()
        };
        let bytes = chunk.as_bytes();
        let (mut pos, mut line) = (0, 0usize);
        while pos < bytes.len() {
            let end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |p| pos + p + 1);
            let raw = &chunk[pos..end];
            let text = raw.strip_suffix('\n').unwrap_or(raw);
            let text = text.strip_suffix('\r').unwrap_or(text);
            if !text.is_empty() && !self.row(&mut part, text, line) {
                part.stop = Some((pos, line));
                return part;
            }
            pos = end;
            line += 1;
        }
        part.lines_total = u32::try_from(line).unwrap_or(u32::MAX);
        part
    }

    /// Adds the row of one line (without its end) to `part`; `false` for a line this reading
    /// does not take.
    fn row<'t>(&self, part: &mut Part<'t>, text: &'t str, line: usize) -> bool {
        if !self.split(&mut part.cells, text) {
            return false;
        }
        let cell = |c: usize| {
            let (a, b) = part.cells[c];
            grid::trim(&text[a..b])
        };
        if (0..self.width)
            .filter(|&c| !cell(c).is_empty())
            .take(2)
            .count()
            < 2
        {
            return false;
        }
        let Some(status) = status_of(cell(self.status)) else {
            return false;
        };
        let Some(value) = self.value(&mut part.seps, &mut part.points, cell(self.value)) else {
            return false;
        };
        if status.has_value() == value.is_nan() {
            return false;
        }
        let symbol = match self.symbol.map(cell) {
            Some(s) if !s.is_empty() => match part.symbol_names.iter().position(|&x| x == s) {
                Some(i) => i + 1,
                None if part.symbol_names.len() < MAX_SYMBOLS => {
                    part.symbol_names.push(s);
                    part.symbol_names.len()
                }
                None => return false,
            },
            _ => 0,
        };
        for (d, &(c, sv, en)) in self.columns.iter().enumerate() {
            let code = cell(c);
            let cats = &mut part.categories[d];
            let last = part.last[d] as usize;
            let k = if last < cats.len() && cats[last].code == code {
                last as u32
            } else {
                let label = |col: Option<usize>| col.map(cell).filter(|s| !s.is_empty());
                *part.index[d].entry(code).or_insert_with(|| {
                    cats.push(LocalCategory {
                        code,
                        label_sv: label(sv),
                        label_en: label(en),
                    });
                    cats.len() as u32 - 1
                })
            };
            part.last[d] = k;
            part.keys[d].push(k);
        }
        part.values
            .push(if status.has_value() { value } else { f64::NAN });
        part.status.push(status);
        part.symbols.push(symbol as u16);
        part.lines.push(u32::try_from(line).unwrap_or(u32::MAX));
        true
    }

    /// Splits a line at the delimiter into `cells`: `false` for a quote or a control character
    /// in it, fewer cells than the header, or a filled cell beyond it.
    ///
    /// Eight bytes at a time: each word gives the places of the delimiter and whether any byte
    /// is a quote or a control character other than the delimiter (a tab).
    fn split(&self, cells: &mut Vec<(usize, usize)>, text: &str) -> bool {
        cells.clear();
        let bytes = text.as_bytes();
        let delim = LO * u64::from(self.delimiter);
        let mut start = 0;
        let mut at = 0;
        while at < bytes.len() {
            let mut word = [b'a'; 8];
            let n = (bytes.len() - at).min(8);
            word[..n].copy_from_slice(&bytes[at..at + n]);
            let w = u64::from_le_bytes(word);
            let mut delims = zero_bytes(w ^ delim);
            let control = zero_bytes(w & (LO * 0xE0));
            if zero_bytes(w ^ (LO * u64::from(b'"'))) | (control & !delims) != 0 {
                return false;
            }
            while delims != 0 {
                let i = at + (delims.trailing_zeros() / 8) as usize;
                cells.push((start, i));
                start = i + 1;
                delims &= delims - 1;
            }
            at += 8;
        }
        cells.push((start, bytes.len()));
        cells.len() >= self.width
            && cells[self.width..]
                .iter()
                .all(|&(a, b)| grid::trim(&text[a..b]).is_empty())
    }

    /// The value of a value cell's trimmed text: a symbol's (NaN, or 0 for a true zero), or a
    /// number written as digits with a leading minus and one decimal point or comma at most;
    /// `None` for anything else (and for a comma where the file's separator is a point).
    fn value(&self, seps: &mut Separators, points_seen: &mut bool, s: &str) -> Option<f64> {
        if let Some(st) = grid::symbol_status(s) {
            return Some(if st == Status::Zero { 0.0 } else { f64::NAN });
        }
        if self.detect {
            seps.see(s);
        }
        let digits = s.strip_prefix('-').unwrap_or(s).as_bytes();
        let (mut points, mut commas) = (0, 0);
        for &b in digits {
            match b {
                b'0'..=b'9' => {}
                b'.' => points += 1,
                b',' => commas += 1,
                _ => return None,
            }
        }
        if points + commas > 1 {
            return None;
        }
        if commas == 0 {
            *points_seen |= points == 1;
            return grid::plain_number(s, Decimal::Point);
        }
        // A decimal comma, read as `grid::parse_number` reads it in a file that writes them.
        if !self.comma || !digits.iter().any(u8::is_ascii_digit) {
            return None;
        }
        s.replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
    }
}

/// One in each byte of a word.
const LO: u64 = 0x0101_0101_0101_0101;

/// `0x80` in each byte of `x` that is zero, and `0` in every other byte (exactly: no carry runs
/// from one byte into the next).
fn zero_bytes(x: u64) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// A status as hwf writes it.
fn status_of(s: &str) -> Option<Status> {
    Some(match s {
        "observed" => Status::Observed,
        "missing" => Status::Missing,
        "zero" => Status::Zero,
        "suppressed" => Status::Suppressed,
        "estimated" => Status::Estimated,
        _ => return None,
    })
}

/// Appends the parts' rows to `table` in order, each part's categories and symbols after those of
/// the parts before it; `parts` holds each part with the line of its chunk's first line (0-based).
/// `None` for more symbols than a table holds (the reading as before reports it).
fn join<'t>(table: &mut Table, parts: Vec<(usize, Part<'t>)>) -> Option<()> {
    let rows = parts.iter().map(|(_, p)| p.values.len()).sum();
    table.reserve(rows);
    table.lines.reserve_exact(rows);
    let mut index: Vec<HashMap<&'t str, u32>> = vec![HashMap::new(); table.dims.len()];
    for (first, part) in parts {
        for (d, cats) in part.categories.iter().enumerate() {
            let dim = &mut table.dims[d];
            let map: Vec<u32> = cats
                .iter()
                .map(|c| {
                    *index[d].entry(c.code).or_insert_with(|| {
                        dim.categories.push(Category {
                            code: c.code.to_string(),
                            label_sv: c.label_sv.map(str::to_string),
                            label_en: c.label_en.map(str::to_string),
                            unit: None,
                        });
                        dim.categories.len() as u32 - 1
                    })
                })
                .collect();
            let keys = &part.keys[d];
            table.keys[d].extend(keys.iter().map(|&k| map[k as usize]));
        }
        let mut symbols = vec![0u16];
        for name in &part.symbol_names {
            symbols.push(table.intern_symbol(name)?);
        }
        table
            .symbols
            .extend(part.symbols.iter().map(|&s| symbols[s as usize]));
        table.values.extend_from_slice(&part.values);
        table.status.extend_from_slice(&part.status);
        let base = first + 1;
        table.lines.extend(
            part.lines
                .iter()
                .map(|&l| u32::try_from(base + l as usize).unwrap_or(u32::MAX)),
        );
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cells of a line split a byte at a time, or `None` where [`Spec::split`] refuses it.
    fn split_bytewise(line: &[u8], delimiter: u8, width: usize) -> Option<Vec<(usize, usize)>> {
        let mut cells = Vec::new();
        let mut start = 0;
        for (i, &b) in line.iter().enumerate() {
            if b == delimiter {
                cells.push((start, i));
                start = i + 1;
            } else if b < 0x20 || b == b'"' {
                return None;
            }
        }
        cells.push((start, line.len()));
        let blank = |&(a, b): &(usize, usize)| line[a..b].iter().all(|&c| c == b' ');
        (cells.len() >= width && cells[width..].iter().all(blank)).then_some(cells)
    }

    #[test]
    fn split_a_word_at_a_time_agrees_with_a_byte_at_a_time() {
        let alphabet = [
            b'a', b' ', b';', b',', b'\t', b'"', 0, 0x1F, 0x20, 0x7F, 0x80, 0xE0, 0xFF,
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for case in 0..200_000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let len = (state >> 59) as usize + (case % 3) * 8;
            let line: Vec<u8> = (0..len)
                .map(|i| alphabet[((state >> (i % 50)) as usize + i * 7) % alphabet.len()])
                .collect();
            for delimiter in [b';', b',', b'\t'] {
                let spec = Spec {
                    delimiter,
                    width: 2,
                    value: 0,
                    status: 1,
                    symbol: None,
                    columns: Vec::new(),
                    detect: true,
                    comma: true,
                };
                // Bytes as text: the split looks at bytes only (the reader's text is UTF-8).
                let text: String = line.iter().map(|&b| char::from(b & 0x7F)).collect();
                let mut cells = Vec::new();
                let ours = spec.split(&mut cells, &text).then_some(cells);
                let theirs = split_bytewise(text.as_bytes(), delimiter, 2);
                assert_eq!(ours, theirs, "{text:?}");
            }
        }
    }
}
