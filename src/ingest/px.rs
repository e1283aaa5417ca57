//! PC-Axis (`.px`) reader, after Statistics Sweden's PX file format specification (2013).
//!
//! A PX file is a list of `KEYWORD[lang]("sub","keys")=value;` entries followed by `DATA=` and the
//! cells. The reader handles:
//!
//! - `CHARSET`/`CODEPAGE` (windows-1252, iso-8859-1/15, UTF-8; a byte-order mark wins; a file declaring
//!   a single-byte code page whose bytes are UTF-8 is read as UTF-8 with a warning), LF and CRLF;
//! - `LANGUAGE`/`LANGUAGES` and `KEYWORD[lang]` forms, keeping Swedish and English labels;
//! - `STUB`/`HEADING` (cells run row by row, last variable fastest), `VALUES`, `CODES`,
//!   `VARIABLE-CODE`, `TIMEVAL` (with `TLIST` ranges), `CONTVARIABLE` with per-content `UNITS`,
//!   `ELIMINATION`, `MAP`, `DECIMALS`;
//! - strings and lists continued over several lines, and cell separators space, tab, comma, semicolon;
//! - quoted and bare dot symbols (`"."` … `"......"`, meaning `DATASYMBOL1` … `DATASYMBOL6`) and `"-"`
//!   (`DATASYMBOLNIL`, a true zero); a dot symbol whose `DATASYMBOLn` text speaks of secrecy is read as
//!   [`Status::Suppressed`], any other as [`Status::Missing`]; the symbol itself is kept;
//! - the `KEYS` layout, where each data row starts with the keys of the keyed stub variables and rows of
//!   zeros are left out (those cells are read as observed zeros).

use super::error::{IngestError, Location, excerpt};
use super::limits::{Limits, checked_product};
use super::text;
use crate::table::{Category, Dimension, Elimination, Odometer, Role, Status, Table, TableMeta};
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use std::collections::HashMap;
use std::path::Path;

/// Keywords that say how the cube is built: each may be given once per language and sub-keys (a
/// second `VALUES("län")` is an error, not a silent "the first wins").
const ONCE_ONLY: [&str; 17] = [
    "CHARSET",
    "CODEPAGE",
    "LANGUAGE",
    "LANGUAGES",
    "STUB",
    "HEADING",
    "VALUES",
    "CODES",
    "TIMEVAL",
    "VARIABLE-CODE",
    "KEYS",
    "ELIMINATION",
    "CONTVARIABLE",
    "DECIMALS",
    "MAP",
    "TITLE",
    "MATRIX",
];

/// One keyword entry of the header.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The keyword, upper case as written (`VALUES`).
    pub keyword: String,
    /// The language in brackets, if any.
    pub lang: Option<String>,
    /// The quoted sub-keys in parentheses.
    pub subkeys: Vec<String>,
    /// The value: quoted strings (continuations joined) and bare words, in order.
    pub items: Vec<String>,
    /// The raw `TLIST(...)` item of a TIMEVAL, when present.
    pub tlist: Option<String>,
    /// 1-based line where the entry starts.
    pub line: usize,
}

/// The parsed header of a PX file, and where its DATA begins.
#[derive(Debug, Default)]
pub struct Header {
    /// Entries in file order.
    pub entries: Vec<Entry>,
    /// Byte offset in the decoded text just after `DATA=`.
    pub data_offset: usize,
    /// Line of `DATA=`.
    pub data_line: usize,
}

impl Header {
    /// All entries with this keyword, language and sub-keys.
    fn find(&self, keyword: &str, lang: Option<&str>, subkeys: &[&str]) -> Option<&Entry> {
        self.entries.iter().find(|e| {
            e.keyword == keyword
                && e.lang.as_deref() == lang
                && e.subkeys.len() == subkeys.len()
                && e.subkeys.iter().zip(subkeys).all(|(a, b)| a == b)
        })
    }

    fn first(&self, keyword: &str, lang: Option<&str>) -> Option<&str> {
        self.find(keyword, lang, &[])
            .and_then(|e| e.items.first())
            .map(String::as_str)
    }
}

/// Reads a PX file's bytes into a tidy table.
///
/// # Errors
///
/// An unknown code page, a header that breaks the grammar (unbalanced quotes, a keyword without `=`
/// or `;`), a missing `DATA`, `STUB`/`HEADING` or `VALUES`, a DATA block with too few or too many
/// cells or an unreadable cell, and bad `KEYS` rows, each with the line.
pub fn read(path: &Path, bytes: &[u8]) -> Result<Table, IngestError> {
    read_with(path, bytes, &Limits::default())
}

/// As [`read`], under the given limits: the cube's size is checked against [`Limits::max_cells`]
/// and against the DATA actually present (a dense cube cannot have more cells than its DATA has
/// tokens; a `KEYS` cube may fill out at most [`Limits::max_sparse_expansion`] cells per cell written)
/// before any cell is allocated.
///
/// # Errors
///
/// As [`read`], and [`IngestError::TooLarge`] / [`IngestError::Overstated`] for a cube beyond them.
pub fn read_with(path: &Path, bytes: &[u8], limits: &Limits) -> Result<Table, IngestError> {
    let declared = declared_encoding(path, bytes)?;
    let decoded = text::decode(path, bytes, Some(declared))?;
    let text = decoded.text.as_ref();
    // A NUL byte would pass into codes and labels that hwf's own CSV (and most tools) refuse.
    if let Some(at) = text.find('\0') {
        let (line, col) = super::csv::line_col(text, at);
        return Err(IngestError::Encoding {
            path: path.to_path_buf(),
            location: Location::LineCol(line, col),
            found: "a NUL byte (a binary file, or text in another encoding?)".into(),
            expected: "text in the declared code page, without NUL bytes".into(),
        });
    }
    let header = parse_header(path, text)?;
    check_once_only(path, &header)?;
    let mut table = build(path, &header, &text[header.data_offset..], limits)?;
    if let Some(w) = decoded.warning {
        table.meta.warnings.insert(0, w);
    }
    table.meta.format = "px".into();
    Ok(table)
}

/// A keyword of [`ONCE_ONLY`] given twice for the same language and sub-keys is an error at the second.
fn check_once_only(path: &Path, h: &Header) -> Result<(), IngestError> {
    let mut seen: HashMap<(&str, Option<&str>, &[String]), usize> = HashMap::new();
    for e in h
        .entries
        .iter()
        .filter(|e| ONCE_ONLY.contains(&e.keyword.as_str()))
    {
        let key = (e.keyword.as_str(), e.lang.as_deref(), e.subkeys.as_slice());
        if let Some(first) = seen.insert(key, e.line) {
            let lang = e
                .lang
                .as_deref()
                .map(|l| format!("[{l}]"))
                .unwrap_or_default();
            let subkeys = if e.subkeys.is_empty() {
                String::new()
            } else {
                let q: Vec<String> = e
                    .subkeys
                    .iter()
                    .map(|k| format!("{:?}", excerpt(k)))
                    .collect();
                format!("({})", q.join(","))
            };
            return Err(IngestError::syntax(
                path,
                Location::Line(e.line),
                format!(
                    "{}{lang}{subkeys} a second time (first at line {first})",
                    e.keyword
                ),
                "each keyword once per language and variable",
            ));
        }
    }
    Ok(())
}

/// Finds `CODEPAGE` / `CHARSET` in the raw bytes before `DATA=`.
fn declared_encoding(path: &Path, bytes: &[u8]) -> Result<&'static Encoding, IngestError> {
    let end = find(bytes, b"\nDATA=")
        .or_else(|| find(bytes, b"DATA="))
        .unwrap_or(bytes.len());
    let head = &bytes[..end];
    if let Some(pos) = find(head, b"CODEPAGE=") {
        let rest = &head[pos + 9..];
        let stop = rest.iter().position(|&b| b == b';').unwrap_or(rest.len());
        let label = String::from_utf8_lossy(&rest[..stop]).trim().to_string();
        let line = head[..pos].iter().filter(|&&b| b == b'\n').count() + 1;
        return text::encoding_for_label(&label).ok_or_else(|| IngestError::Encoding {
            path: path.to_path_buf(),
            location: Location::Line(line),
            found: format!("unknown CODEPAGE {label}"),
            expected: "a code page such as \"windows-1252\", \"iso-8859-1\" or \"utf-8\"".into(),
        });
    }
    if let Some(pos) = find(head, b"CHARSET=") {
        let rest = &head[pos + 8..];
        let stop = rest.iter().position(|&b| b == b';').unwrap_or(rest.len());
        let label = String::from_utf8_lossy(&rest[..stop]).trim().to_string();
        if label.trim_matches('"').eq_ignore_ascii_case("ansi") {
            return Ok(WINDOWS_1252);
        }
        let line = head[..pos].iter().filter(|&&b| b == b'\n').count() + 1;
        return text::encoding_for_label(&label).ok_or_else(|| IngestError::Encoding {
            path: path.to_path_buf(),
            location: Location::Line(line),
            found: format!("unknown CHARSET {label}"),
            expected: "CHARSET=\"ANSI\" or a CODEPAGE".into(),
        });
    }
    // No declaration: UTF-8 if it is, else the ANSI code page.
    Ok(if std::str::from_utf8(bytes).is_ok() {
        UTF_8
    } else {
        WINDOWS_1252
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A cursor over the decoded text that counts lines.
struct Cursor<'a> {
    path: &'a Path,
    s: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        if b == b'\n' {
            self.line += 1;
        }
        Some(b)
    }

    fn skip_ws(&mut self) {
        while let Some(b) = self.peek() {
            if b.is_ascii_whitespace() || b == 0x0B || b == 0x0C {
                self.bump();
            } else {
                break;
            }
        }
    }

    fn err(&self, found: impl Into<String>, expected: impl Into<String>) -> IngestError {
        IngestError::syntax(self.path, Location::Line(self.line), found, expected)
    }

    fn found_here(&self) -> String {
        match self.peek() {
            None => "end of file".into(),
            Some(_) => {
                let end = (self.pos + 20).min(self.s.len());
                let mut snippet = String::from_utf8_lossy(&self.s[self.pos..end]).to_string();
                if let Some(nl) = snippet.find(['\n', '\r']) {
                    snippet.truncate(nl);
                }
                format!("{snippet:?}")
            }
        }
    }

    /// Reads a quoted string; the cursor is on the opening quote.
    ///
    /// The specification keeps strings on one line, but real files (Statistics Norway's among them)
    /// let long notes run over line ends. Such a string is accepted when what follows its closing
    /// quote fits the grammar (`,` `;` `)` `:` or another string); otherwise the quote that opened it
    /// was never closed, and that is the error, at the line where it opened.
    fn quoted(&mut self) -> Result<String, IngestError> {
        let start_line = self.line;
        let unbalanced = |path: &Path| {
            IngestError::syntax(
                path,
                Location::Line(start_line),
                "a string whose closing quote is missing",
                "a closing '\"' on the same line (continue long texts as \"...\" \"...\")",
            )
        };
        self.bump();
        let start = self.pos;
        let mut multiline = false;
        loop {
            match self.peek() {
                Some(b'"') => {
                    let raw = &self.s[start..self.pos];
                    self.bump();
                    if multiline {
                        let mut k = self.pos;
                        while k < self.s.len() && self.s[k].is_ascii_whitespace() {
                            k += 1;
                        }
                        if !matches!(self.s.get(k), Some(b',' | b';' | b')' | b':' | b'"')) {
                            return Err(unbalanced(self.path));
                        }
                        return Ok(String::from_utf8_lossy(raw).replace("\r\n", "\n"));
                    }
                    return Ok(String::from_utf8_lossy(raw).into_owned());
                }
                None => return Err(unbalanced(self.path)),
                Some(b'\n') | Some(b'\r') => {
                    multiline = true;
                    self.bump();
                }
                Some(_) => {
                    self.bump();
                }
            }
        }
    }
}

/// Parses the header up to `DATA=`.
///
/// # Errors
///
/// Grammar errors with their line, and a missing `DATA` keyword.
pub fn parse_header(path: &Path, text: &str) -> Result<Header, IngestError> {
    let mut c = Cursor {
        path,
        s: text.as_bytes(),
        pos: 0,
        line: 1,
    };
    let mut entries = Vec::new();
    loop {
        c.skip_ws();
        if c.peek().is_none() {
            return Err(IngestError::missing(
                path,
                Location::Line(c.line),
                "the DATA keyword",
                "the file may be truncated",
            ));
        }
        let line = c.line;
        let start = c.pos;
        while let Some(b) = c.peek() {
            if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
                c.bump();
            } else {
                break;
            }
        }
        if c.pos == start {
            return Err(c.err(c.found_here(), "a keyword such as TITLE or VALUES"));
        }
        let keyword = text[start..c.pos].to_ascii_uppercase();
        let mut lang = None;
        if c.peek() == Some(b'[') {
            c.bump();
            let ls = c.pos;
            while let Some(b) = c.peek() {
                if b == b']' || b == b'\n' {
                    break;
                }
                c.bump();
            }
            if c.peek() != Some(b']') {
                return Err(c.err(c.found_here(), "']' closing the language code"));
            }
            lang = Some(text[ls..c.pos].trim().to_string());
            c.bump();
        }
        let mut subkeys = Vec::new();
        if c.peek() == Some(b'(') {
            c.bump();
            loop {
                c.skip_ws();
                match c.peek() {
                    Some(b'"') => subkeys.push(c.quoted()?),
                    _ => return Err(c.err(c.found_here(), "a quoted sub-key")),
                }
                c.skip_ws();
                match c.peek() {
                    Some(b',') => {
                        c.bump();
                    }
                    Some(b')') => {
                        c.bump();
                        break;
                    }
                    _ => return Err(c.err(c.found_here(), "',' or ')' after a sub-key")),
                }
            }
        }
        c.skip_ws();
        if c.peek() != Some(b'=') {
            return Err(c.err(format!("{} after keyword {keyword}", c.found_here()), "'='"));
        }
        c.bump();
        if keyword == "DATA" {
            return Ok(Header {
                entries,
                data_offset: c.pos,
                data_line: line,
            });
        }
        let (items, tlist) = parse_value(&mut c, &keyword)?;
        entries.push(Entry {
            keyword,
            lang,
            subkeys,
            items,
            tlist,
            line,
        });
    }
}

/// Parses a value up to its `;`: quoted strings (adjacent ones joined), bare words, and `TLIST(...)`.
fn parse_value(
    c: &mut Cursor<'_>,
    keyword: &str,
) -> Result<(Vec<String>, Option<String>), IngestError> {
    let mut items = Vec::new();
    let mut tlist = None;
    loop {
        c.skip_ws();
        match c.peek() {
            Some(b'"') => {
                let mut s = c.quoted()?;
                loop {
                    c.skip_ws();
                    if c.peek() == Some(b'"') {
                        s.push_str(&c.quoted()?);
                    } else {
                        break;
                    }
                }
                items.push(s);
            }
            Some(b';') => {
                c.bump();
                return Ok((items, tlist));
            }
            Some(b',') => {
                // An empty item, as in CODES("sex")="1","2",; — tolerated and ignored.
                c.bump();
                continue;
            }
            None => {
                return Err(c.err(
                    format!("end of file in the value of {keyword}"),
                    "';' ending the keyword",
                ));
            }
            Some(_) => {
                let start = c.pos;
                let upper = c.s[start..]
                    .iter()
                    .take(6)
                    .map(|b| b.to_ascii_uppercase())
                    .collect::<Vec<_>>();
                if upper.starts_with(b"TLIST(") {
                    let line = c.line;
                    while let Some(b) = c.peek() {
                        if b == b')' {
                            break;
                        }
                        if b == b';' {
                            return Err(IngestError::syntax(
                                c.path,
                                Location::Line(line),
                                "TLIST( without its ')'",
                                "TLIST(A1) or TLIST(A1, \"2010\"-\"2020\")",
                            ));
                        }
                        c.bump();
                    }
                    c.bump();
                    tlist = Some(
                        String::from_utf8_lossy(&c.s[start..c.pos])
                            .trim()
                            .to_string(),
                    );
                } else {
                    while let Some(b) = c.peek() {
                        if b == b',' || b == b';' || b.is_ascii_whitespace() {
                            break;
                        }
                        if b == b'"' {
                            return Err(c.err(c.found_here(), "',' or ';' before a new string"));
                        }
                        c.bump();
                    }
                    items.push(String::from_utf8_lossy(&c.s[start..c.pos]).into_owned());
                }
            }
        }
        c.skip_ws();
        match c.peek() {
            // ':' pairs parent and child in HIERARCHIES ("01":"01.1"); both are kept as items.
            Some(b',') | Some(b':') => {
                c.bump();
            }
            Some(b';') => {
                c.bump();
                return Ok((items, tlist));
            }
            None => {
                return Err(c.err(
                    format!("end of file in the value of {keyword}"),
                    "';' ending the keyword",
                ));
            }
            Some(_) => {
                return Err(c.err(
                    format!("{} in the value of {keyword}", c.found_here()),
                    "',' between items or ';' at the end",
                ));
            }
        }
    }
}

/// Expands a `TLIST(unit, "from"-"to")` range into its periods (none when the TLIST gives no range),
/// with checked arithmetic: a range that is reversed, reaches past year 9999 or is not in the unit's
/// form is an error message (what is wrong), never a wrap-around.
fn expand_tlist(tlist: &str) -> Result<(String, Vec<String>), String> {
    let bad = || format!("the time list {:?}", excerpt(tlist));
    let inner = tlist
        .get(6..tlist.len().saturating_sub(1))
        .ok_or_else(bad)?;
    let mut parts = inner.splitn(2, ',');
    let unit = parts.next().unwrap_or("").trim().to_ascii_uppercase();
    let per_year: i32 = match unit.as_str() {
        "A1" => 1,
        "H1" => 2,
        "Q1" => 4,
        "M1" => 12,
        _ => return Err(format!("the time unit {:?}", excerpt(&unit))),
    };
    let range = match parts.next() {
        Some(r) => r.trim(),
        None => return Ok((unit, Vec::new())),
    };
    let (from, to) = range.split_once('-').ok_or_else(bad)?;
    let from = from.trim().trim_matches('"');
    let to = to.trim().trim_matches('"');
    let split = |s: &str| -> Option<(i32, i32)> {
        let (y, p) = if per_year == 1 {
            (s.parse().ok()?, 1)
        } else {
            (s.get(..4)?.parse().ok()?, s.get(4..)?.parse().ok()?)
        };
        ((0..=9999).contains(&y) && (1..=per_year).contains(&p)).then_some((y, p))
    };
    let (y0, p0) = split(from).ok_or_else(|| {
        format!(
            "the start {:?} of the range (a year 0–9999, with its period for {unit})",
            excerpt(from)
        )
    })?;
    let (y1, p1) = split(to).ok_or_else(|| {
        format!(
            "the end {:?} of the range (a year 0–9999, with its period for {unit})",
            excerpt(to)
        )
    })?;
    if (y1, p1) < (y0, p0) {
        return Err(format!("the reversed range \"{from}\"-\"{to}\""));
    }
    // Both ends are in 0..=9999, so the count fits easily; it is still computed checked.
    let count = (y1 - y0)
        .checked_mul(per_year)
        .and_then(|n| n.checked_add(p1 - p0 + 1))
        .ok_or_else(bad)?;
    let mut out = Vec::with_capacity(count as usize);
    let (mut y, mut p) = (y0, p0);
    for _ in 0..count {
        out.push(match per_year {
            1 => format!("{y}"),
            12 => format!("{y}{p:02}"),
            _ => format!("{y}{p}"),
        });
        p += 1;
        if p > per_year {
            p = 1;
            y += 1;
        }
    }
    Ok((unit, out))
}

/// Words in a DATASYMBOL text that mark a cell withheld for confidentiality.
const SECRECY_WORDS: [&str; 10] = [
    "secret",
    "confiden",
    "sekretess",
    "röj",
    "skydd",
    "suppress",
    "hidden",
    "dold",
    "classified",
    "undertryck",
];

/// Which languages the file's labels are in, and under which bracket code each is written.
struct Langs {
    /// Bracket code for Swedish labels: `None` = the unbracketed default entries.
    sv: Option<Option<String>>,
    /// Bracket code for English labels.
    en: Option<Option<String>>,
}

fn languages(h: &Header, warnings: &mut Vec<String>) -> Langs {
    use crate::table::Lang;
    let default = h.first("LANGUAGE", None).map(str::to_string);
    let default_lang = default.as_deref().and_then(Lang::from_code).or_else(|| {
        if default.is_some() {
            return None;
        }
        // No LANGUAGE: Swedish if the texts have Swedish letters, else taken as English.
        let swedish = h
            .entries
            .iter()
            .filter(|e| e.lang.is_none())
            .flat_map(|e| e.items.iter())
            .any(|s| s.contains(['å', 'ä', 'ö', 'Å', 'Ä', 'Ö']));
        if swedish {
            Some(Lang::Sv)
        } else {
            warnings.push("no LANGUAGE keyword: labels taken as English".into());
            Some(Lang::En)
        }
    });
    let mut langs = Langs { sv: None, en: None };
    match default_lang {
        Some(Lang::Sv) => langs.sv = Some(None),
        Some(Lang::En) => langs.en = Some(None),
        None => {}
    }
    if let Some(e) = h.find("LANGUAGES", None, &[]) {
        for code in &e.items {
            match Lang::from_code(code) {
                Some(Lang::Sv) if langs.sv.is_none() => langs.sv = Some(Some(code.clone())),
                Some(Lang::En) if langs.en.is_none() => langs.en = Some(Some(code.clone())),
                _ => {}
            }
        }
    }
    if langs.sv.is_none() && langs.en.is_none() {
        warnings.push(format!(
            "labels are in language {:?}, neither Swedish nor English: only codes are kept",
            default.unwrap_or_default()
        ));
    }
    langs
}

/// A variable of the cube as read from the header.
struct Var {
    dim: Dimension,
    /// Labels in the default language (how KEYS with VALUES and ELIMINATION refer to categories).
    default_values: Vec<String>,
}

/// The variables of STUB and HEADING (at least one, each once in both together).
fn axes(path: &Path, h: &Header) -> Result<(Vec<String>, Vec<String>), IngestError> {
    let stub = h
        .find("STUB", None, &[])
        .map(|e| e.items.clone())
        .unwrap_or_default();
    let heading = h
        .find("HEADING", None, &[])
        .map(|e| e.items.clone())
        .unwrap_or_default();
    if stub.is_empty() && heading.is_empty() {
        return Err(IngestError::missing(
            path,
            Location::Line(h.data_line),
            "STUB and HEADING",
            "at least one of them must list the table's variables",
        ));
    }
    let names: Vec<&String> = stub.iter().chain(heading.iter()).collect();
    for (k, name) in names.iter().enumerate() {
        if let Some(first) = names[..k].iter().position(|n| n == name) {
            let kw = |i: usize| if i < stub.len() { "STUB" } else { "HEADING" };
            let line = h.find(kw(k), None, &[]).map_or(h.data_line, |e| e.line);
            return Err(IngestError::syntax(
                path,
                Location::Line(line),
                format!(
                    "the variable {:?} twice (in {} and {})",
                    excerpt(name),
                    kw(first),
                    kw(k)
                ),
                "each variable once in STUB and HEADING together",
            ));
        }
    }
    Ok((stub, heading))
}

/// Variable `name`'s values in the default language (VALUES, or the periods of its TIMEVAL) and
/// codes (CODES when it has one per value, else the values), each code once.
fn values_and_codes(
    path: &Path,
    h: &Header,
    name: &str,
    timeval: Option<&Entry>,
    warnings: &mut Vec<String>,
) -> Result<(Vec<String>, Vec<String>), IngestError> {
    let from_timeval = match timeval {
        Some(t) if t.items.is_empty() => match t.tlist.as_deref().map(expand_tlist) {
            Some(Err(found)) => {
                return Err(IngestError::syntax(
                    path,
                    Location::Line(t.line),
                    format!("TIMEVAL(\"{}\"): {found}", excerpt(name)),
                    "TLIST(A1, \"2010\"-\"2020\"): a unit A1, H1, Q1 or M1 and a range from \
                     an earlier to a later period",
                ));
            }
            Some(Ok((_, v))) => Some(v),
            None => None,
        },
        Some(t) => Some(t.items.clone()),
        None => None,
    };
    let values: Vec<String> = match h.find("VALUES", None, &[name]) {
        Some(e) => e.items.clone(),
        None => match from_timeval {
            Some(v) if !v.is_empty() => v,
            _ => {
                return Err(IngestError::missing(
                    path,
                    Location::Line(h.data_line),
                    format!("VALUES(\"{name}\")"),
                    "every STUB and HEADING variable needs its VALUES",
                ));
            }
        },
    };
    if values.is_empty() {
        return Err(IngestError::missing(
            path,
            Location::Line(h.data_line),
            format!("the values of VALUES(\"{name}\")"),
            "at least one value",
        ));
    }
    let mut codes = values.clone();
    if let Some(e) = h.find("CODES", None, &[name]) {
        if e.items.len() == values.len() {
            codes = e.items.clone();
        } else {
            warnings.push(format!(
                "line {}: CODES(\"{name}\") has {} codes for {} values; the values are used as codes",
                e.line,
                e.items.len(),
                values.len()
            ));
        }
    }
    {
        let mut seen = HashMap::new();
        for (k, c) in codes.iter().enumerate() {
            if let Some(prev) = seen.insert(c.as_str(), k) {
                return Err(IngestError::syntax(
                    path,
                    Location::Line(
                        h.find("VALUES", None, &[name])
                            .map(|e| e.line)
                            .unwrap_or(h.data_line),
                    ),
                    format!(
                        "the code {c:?} twice in variable {name:?} (positions {} and {})",
                        prev + 1,
                        k + 1
                    ),
                    "distinct codes",
                ));
            }
        }
    }
    Ok((values, codes))
}

/// Variable `i` of the cube, `name` in the default language: its categories (VALUES, or a
/// TIMEVAL's periods; CODES; labels in Swedish and English from the languages' VALUES), role,
/// elimination and id.
fn variable(
    path: &Path,
    h: &Header,
    (i, name): (usize, &str),
    langs: &Langs,
    [sv_names, en_names]: [&Option<Vec<String>>; 2],
    contvar: Option<&str>,
    warnings: &mut Vec<String>,
) -> Result<Var, IngestError> {
    let timeval = h.find("TIMEVAL", None, &[name]);
    let (values, codes) = values_and_codes(path, h, name, timeval, warnings)?;
    let labels_in = |slot: &Option<Option<String>>, lang_names: &Option<Vec<String>>| {
        let slot = slot.as_ref()?;
        match slot {
            None => Some(values.clone()),
            Some(code) => {
                let n = lang_names.as_ref()?.get(i)?;
                let v = h.find("VALUES", Some(code), &[n.as_str()])?.items.clone();
                (v.len() == values.len()).then_some(v)
            }
        }
    };
    let sv = labels_in(&langs.sv, sv_names);
    let en = labels_in(&langs.en, en_names);
    let mut categories: Vec<Category> = codes
        .iter()
        .enumerate()
        .map(|(k, code)| Category {
            code: code.clone(),
            label_sv: sv.as_ref().map(|v| v[k].clone()),
            label_en: en.as_ref().map(|v| v[k].clone()),
            unit: None,
        })
        .collect();
    let is_cont = contvar == Some(name);
    if is_cont {
        for (k, c) in categories.iter_mut().enumerate() {
            c.unit = h
                .find("UNITS", None, &[values[k].as_str()])
                .and_then(|e| e.items.first().cloned());
        }
    }
    let role = if timeval.is_some() {
        Role::Time
    } else if is_cont {
        Role::Metric
    } else if h.find("MAP", None, &[name]).is_some() {
        Role::Geo
    } else {
        Role::Other
    };
    let elimination = h.find("ELIMINATION", None, &[name]).and_then(|e| {
        let v = e.items.first()?;
        match v.to_ascii_uppercase().as_str() {
            "YES" => Some(Elimination::Sum),
            "NO" => Some(Elimination::No),
            _ => values.iter().position(|x| x == v).map(Elimination::Total),
        }
    });
    let id = h
        .find("VARIABLE-CODE", None, &[name])
        .and_then(|e| e.items.first().cloned())
        .unwrap_or_else(|| name.to_string());
    let dim = Dimension {
        id,
        label_sv: sv_names.as_ref().and_then(|n| n.get(i).cloned()),
        label_en: en_names.as_ref().and_then(|n| n.get(i).cloned()),
        role,
        categories,
        elimination,
    };
    Ok(Var {
        dim,
        default_values: values,
    })
}

/// The table's metadata from the header: titles in Swedish and English, table id, source, unit,
/// decimals, last update, notes, whether it says it is synthetic, and the reader's warnings.
fn table_meta(path: &Path, h: &Header, langs: &Langs, warnings: Vec<String>) -> TableMeta {
    let mut meta = TableMeta::default();
    let title_in = |slot: &Option<Option<String>>| {
        let slot = slot.as_ref()?;
        h.first("TITLE", slot.as_deref())
            .or_else(|| h.first("CONTENTS", slot.as_deref()))
            .map(str::to_string)
    };
    meta.title_sv = title_in(&langs.sv);
    meta.title_en = title_in(&langs.en);
    meta.table_id = h
        .first("TABLEID", None)
        .or_else(|| h.first("MATRIX", None))
        .map(str::to_string);
    meta.source = h.first("SOURCE", None).map(str::to_string);
    meta.unit = h.first("UNITS", None).map(str::to_string);
    meta.decimals = h
        .first("DECIMALS", None)
        .and_then(|d| d.trim().parse().ok());
    meta.updated = h.first("LAST-UPDATED", None).map(str::to_string);
    for kw in ["NOTEX", "NOTE"] {
        if let Some(e) = h.find(kw, None, &[]) {
            meta.notes.push(e.items.join(" "));
        }
    }
    meta.synthetic = meta
        .notes
        .iter()
        .chain(meta.source.iter())
        .any(|n| crate::table::says_synthetic(n));
    meta.origin = path.display().to_string();
    meta.warnings = warnings;
    meta
}

/// The cube's variables, `names` in STUB-then-HEADING order, with their labels in the languages
/// `langs` finds (each language's own STUB and HEADING name them).
fn variables(
    path: &Path,
    h: &Header,
    names: &[&String],
    langs: &Langs,
    warnings: &mut Vec<String>,
) -> Result<Vec<Var>, IngestError> {
    let names_in = |code: &Option<String>| -> Vec<String> {
        match code {
            None => names.iter().map(|s| s.to_string()).collect(),
            Some(c) => {
                let s = h
                    .find("STUB", Some(c), &[])
                    .map(|e| e.items.clone())
                    .unwrap_or_default();
                let hd = h
                    .find("HEADING", Some(c), &[])
                    .map(|e| e.items.clone())
                    .unwrap_or_default();
                s.into_iter().chain(hd).collect()
            }
        }
    };
    let sv_names = langs.sv.as_ref().map(names_in);
    let en_names = langs.en.as_ref().map(names_in);
    let contvar = h.first("CONTVARIABLE", None).map(str::to_string);

    let mut vars = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        vars.push(variable(
            path,
            h,
            (i, name.as_str()),
            langs,
            [&sv_names, &en_names],
            contvar.as_deref(),
            warnings,
        )?);
    }
    Ok(vars)
}

/// What the dot symbols `"."` to `"......"` mean in this file (DATASYMBOL1–6): suppressed where
/// the text speaks of secrecy, else missing.
fn dot_statuses(h: &Header) -> [Status; 6] {
    let mut dot_status = [Status::Missing; 6];
    for (k, st) in dot_status.iter_mut().enumerate() {
        if let Some(t) = h.first(&format!("DATASYMBOL{}", k + 1), None) {
            let t = t.to_lowercase();
            if SECRECY_WORDS.iter().any(|w| t.contains(w)) {
                *st = Status::Suppressed;
            }
        }
    }
    dot_status
}

/// The STUB variables given by KEYS (index, whether by CODES rather than VALUES).
fn keyed_variables(h: &Header, stub: &[String]) -> Vec<(usize, bool)> {
    stub.iter()
        .enumerate()
        .filter_map(|(i, name)| {
            let e = h.find("KEYS", None, &[name.as_str()])?;
            let by_codes = e
                .items
                .first()
                .map(|v| v.eq_ignore_ascii_case("CODES"))
                .unwrap_or(false);
            Some((i, by_codes))
        })
        .collect()
}

/// Each variable's dimension id once (VARIABLE-CODE, else its name).
fn distinct_ids(
    path: &Path,
    h: &Header,
    vars: &[Var],
    names: &[&String],
) -> Result<(), IngestError> {
    for (k, v) in vars.iter().enumerate() {
        if let Some(first) = vars[..k].iter().position(|w| w.dim.id == v.dim.id) {
            let line = h
                .find("VARIABLE-CODE", None, &[names[k].as_str()])
                .map_or(h.data_line, |e| e.line);
            return Err(IngestError::syntax(
                path,
                Location::Line(line),
                format!(
                    "the dimension id {:?} for both {:?} and {:?}",
                    excerpt(&v.dim.id),
                    excerpt(names[first]),
                    excerpt(names[k])
                ),
                "a distinct VARIABLE-CODE for each variable",
            ));
        }
    }
    Ok(())
}

fn build(path: &Path, h: &Header, data: &str, limits: &Limits) -> Result<Table, IngestError> {
    let mut warnings = Vec::new();
    let langs = languages(h, &mut warnings);
    let (stub, heading) = axes(path, h)?;
    let names: Vec<&String> = stub.iter().chain(heading.iter()).collect();
    let vars = variables(path, h, &names, &langs, &mut warnings)?;
    let meta = table_meta(path, h, &langs, warnings);

    let dot_status = dot_statuses(h);

    let n_stub = stub.len();
    let keyed = keyed_variables(h, &stub);
    distinct_ids(path, h, &vars, &names)?;
    let sizes: Vec<usize> = vars.iter().map(|v| v.dim.len()).collect();
    let shape = sizes
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(" × ");
    let declared = checked_product(&sizes).unwrap_or(u64::MAX);
    if declared > limits.max_cells {
        return Err(IngestError::TooLarge {
            path: path.to_path_buf(),
            location: Location::Line(h.data_line),
            what: format!("the cube STUB × HEADING = {shape}"),
            needed: declared,
            limit: limits.max_cells,
            exceeded: super::limits::Limit::MaxCells,
        });
    }
    let total = declared as usize;
    let n_cols: usize = sizes[n_stub..].iter().product();
    check_present(path, h, data, &sizes, &keyed, n_stub, &shape, limits)?;
    let dims: Vec<Dimension> = vars.iter().map(|v| v.dim.clone()).collect();
    let mut table = Table::new(meta, dims);
    let mut symbols = SymbolTable::default();
    let cells = if keyed.is_empty() {
        read_dense(
            path,
            h.data_line,
            data,
            total,
            n_cols,
            &dot_status,
            &mut symbols,
        )?
    } else {
        read_keys(
            path,
            h.data_line,
            data,
            &vars,
            &keyed,
            n_stub,
            n_cols,
            &dot_status,
            &mut symbols,
        )?
    };
    table.meta.symbol_names = symbols.names;
    for col in table.keys.iter_mut() {
        col.reserve_exact(total);
    }
    let mut odo = Odometer::new(sizes);
    while let Some(key) = odo.next_key() {
        for (col, &k) in table.keys.iter_mut().zip(key) {
            col.push(k);
        }
    }
    table.values = cells.values;
    table.status = cells.status;
    table.symbols = cells.symbols;
    Ok(table)
}

/// Checks the declared cube against the DATA present, before any cell is allocated: a dense cube
/// needs one token per cell (and a token with its separator takes two bytes); a `KEYS` cube may
/// fill out at most [`Limits::max_sparse_expansion`] cells per cell written.
#[allow(clippy::too_many_arguments)]
fn check_present(
    path: &Path,
    h: &Header,
    data: &str,
    sizes: &[usize],
    keyed: &[(usize, bool)],
    n_stub: usize,
    shape: &str,
    limits: &Limits,
) -> Result<(), IngestError> {
    let total: u64 = sizes.iter().map(|&n| n as u64).product();
    if keyed.is_empty() {
        // Small cubes keep the precise row-by-row count of `read_dense`.
        let most = (data.len() as u64).div_ceil(2);
        if total > most && total > super::limits::SPARSE_FREE_CELLS {
            return Err(IngestError::Overstated {
                path: path.to_path_buf(),
                location: Location::Line(h.data_line),
                what: format!("the cube STUB × HEADING = {shape}"),
                declared: total,
                present: format!(
                    "DATA has {} bytes, room for at most {most} cells",
                    data.len()
                ),
            });
        }
        return Ok(());
    }
    let k = keyed.len().min(n_stub);
    let inner: u64 = sizes[k..].iter().map(|&n| n as u64).product();
    let mut tokens_seen = 0u64;
    tokens(path, h.data_line, data, |_| {
        tokens_seen += 1;
        Ok(())
    })?;
    let row_len = inner + k as u64;
    let written = (tokens_seen / row_len.max(1)).saturating_mul(inner);
    if !limits.sparse_ok(total, written) {
        return Err(IngestError::TooLarge {
            path: path.to_path_buf(),
            location: Location::Line(h.data_line),
            what: format!("filling out the KEYS cube {shape} from the {written} cells DATA writes"),
            needed: total,
            limit: written
                .max(1)
                .saturating_mul(limits.max_sparse_expansion)
                .max(super::limits::SPARSE_FREE_CELLS),
            exceeded: super::limits::Limit::MaxSparseExpansion,
        });
    }
    Ok(())
}

#[derive(Default)]
struct SymbolTable {
    names: Vec<String>,
}

impl SymbolTable {
    fn intern(&mut self, s: &str) -> u16 {
        match self.names.iter().position(|n| n == s) {
            Some(i) => (i + 1) as u16,
            None => {
                self.names.push(s.to_string());
                self.names.len() as u16
            }
        }
    }
}

/// One cell: value (NaN when none), status, symbol index.
type Cell = (f64, Status, u16);

/// The cells of a cube, column by column (values, statuses, symbols), in the cube's row order.
/// Kept apart from the start so they move into the table without a second copy.
#[derive(Default)]
struct Cells {
    values: Vec<f64>,
    status: Vec<Status>,
    symbols: Vec<u16>,
}

impl Cells {
    fn with_capacity(n: usize) -> Self {
        Cells {
            values: Vec::with_capacity(n),
            status: Vec::with_capacity(n),
            symbols: Vec::with_capacity(n),
        }
    }

    /// `n` observed zeros (the rows a KEYS layout leaves out).
    fn zeros(n: usize) -> Self {
        Cells {
            values: vec![0.0; n],
            status: vec![Status::Observed; n],
            symbols: vec![0; n],
        }
    }

    fn push(&mut self, (v, st, sym): Cell) {
        self.values.push(v);
        self.status.push(st);
        self.symbols.push(sym);
    }

    fn set(&mut self, i: usize, (v, st, sym): Cell) {
        self.values[i] = v;
        self.status[i] = st;
        self.symbols[i] = sym;
    }
}

/// A token of the DATA block.
struct Tok<'a> {
    text: &'a str,
    quoted: bool,
    line: usize,
}

/// Splits the DATA block into tokens, calling `f` for each; separators are white space, `,` and `;`.
fn tokens<'a>(
    path: &Path,
    first_line: usize,
    data: &'a str,
    mut f: impl FnMut(Tok<'a>) -> Result<(), IngestError>,
) -> Result<(), IngestError> {
    let b = data.as_bytes();
    let mut i = 0;
    let mut line = first_line;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            line += 1;
            i += 1;
            continue;
        }
        if c == b' ' || c == b'\t' || c == b'\r' || c == b',' || c == b';' {
            i += 1;
            continue;
        }
        if c == b'"' {
            let start = i + 1;
            let mut j = start;
            while j < b.len() && b[j] != b'"' && b[j] != b'\n' {
                j += 1;
            }
            if j >= b.len() || b[j] != b'"' {
                return Err(IngestError::syntax(
                    path,
                    Location::Line(line),
                    "a quoted cell whose closing quote is missing",
                    "a closing '\"' on the same line",
                ));
            }
            f(Tok {
                text: &data[start..j],
                quoted: true,
                line,
            })?;
            i = j + 1;
        } else {
            let start = i;
            while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'\r' | b'\n' | b',' | b';') {
                i += 1;
            }
            f(Tok {
                text: &data[start..i],
                quoted: false,
                line,
            })?;
        }
    }
    Ok(())
}

/// Reads one cell token.
fn cell(
    path: &Path,
    t: &Tok<'_>,
    dot_status: &[Status; 6],
    symbols: &mut SymbolTable,
) -> Result<Cell, IngestError> {
    let s = t.text.trim();
    let parsed = s.parse::<f64>();
    if let Ok(v) = parsed
        && v.is_finite()
    {
        return Ok((v, Status::Observed, 0));
    }
    if parsed.is_ok() {
        return Err(IngestError::number(
            path,
            Location::Line(t.line),
            s,
            "a finite number (NaN, infinities and numbers beyond ±1.8e308 are not counts)",
        ));
    }
    if s == "-" {
        return Ok((0.0, Status::Zero, symbols.intern("-")));
    }
    if !s.is_empty() && s.len() <= 6 && s.bytes().all(|b| b == b'.') {
        return Ok((f64::NAN, dot_status[s.len() - 1], symbols.intern(s)));
    }
    Err(IngestError::number(
        path,
        Location::Line(t.line),
        if t.quoted {
            format!("\"{}\"", excerpt(s))
        } else {
            s.to_string()
        },
        "a number, a dot symbol (\".\" … \"......\") or \"-\" in DATA",
    ))
}

fn read_dense(
    path: &Path,
    data_line: usize,
    data: &str,
    total: usize,
    n_cols: usize,
    dot_status: &[Status; 6],
    symbols: &mut SymbolTable,
) -> Result<Cells, IngestError> {
    let mut cells = Cells::with_capacity(total);
    let mut bad = super::error::Collector::default();
    let mut count = 0usize;
    // First line whose token count differs from a row's width, for a precise message.
    let mut cur_line = data_line;
    let mut on_line = 0usize;
    let mut lines_seen = 0usize;
    let mut aligned_lines = 0usize;
    let mut first_bad: Option<(usize, usize, usize)> = None;
    let mut close_line = |line: usize, n: usize, rows_before: usize| {
        if n > 0 {
            lines_seen += 1;
            if n == n_cols {
                aligned_lines += 1;
            } else if first_bad.is_none() {
                first_bad = Some((line, n, rows_before));
            }
        }
    };
    let mut rows_done = 0usize;
    let mut last_line = data_line;
    tokens(path, data_line, data, |t| {
        if t.line != cur_line {
            close_line(cur_line, on_line, rows_done);
            if on_line == n_cols {
                rows_done += 1;
            }
            cur_line = t.line;
            on_line = 0;
        }
        on_line += 1;
        last_line = t.line;
        if count < total {
            match cell(path, &t, dot_status, symbols) {
                Ok(c) => cells.push(c),
                Err(e) => {
                    bad.push(e);
                    cells.push((f64::NAN, Status::Missing, 0));
                }
            }
        }
        count += 1;
        Ok(())
    })?;
    // Every unreadable cell is reported, not only the first.
    if !bad.is_empty() {
        return bad.finish(path).map(|()| cells);
    }
    close_line(cur_line, on_line, rows_done);
    if count != total {
        if let Some((line, n, row)) = first_bad
            && aligned_lines * 2 >= lines_seen
        {
            return Err(IngestError::shape(
                path,
                Location::Line(line),
                format!("DATA row {}", row + 1),
                n,
                n_cols,
            ));
        }
        return Err(IngestError::shape(
            path,
            Location::Line(last_line),
            "DATA (cells in all)",
            count,
            total,
        ));
    }
    Ok(cells)
}

#[allow(clippy::too_many_arguments)]
fn read_keys(
    path: &Path,
    data_line: usize,
    data: &str,
    vars: &[Var],
    keyed: &[(usize, bool)],
    n_stub: usize,
    n_cols: usize,
    dot_status: &[Status; 6],
    symbols: &mut SymbolTable,
) -> Result<Cells, IngestError> {
    let k = keyed.len();
    if keyed.iter().enumerate().any(|(pos, &(i, _))| pos != i) {
        return Err(IngestError::syntax(
            path,
            Location::Line(data_line),
            "KEYS on stub variables that are not the first ones",
            "the keyed variables to come first in STUB",
        ));
    }
    let lookups: Vec<HashMap<&str, usize>> = keyed
        .iter()
        .map(|&(i, by_codes)| {
            let list: Vec<&str> = if by_codes {
                vars[i]
                    .dim
                    .categories
                    .iter()
                    .map(|c| c.code.as_str())
                    .collect()
            } else {
                vars[i].default_values.iter().map(String::as_str).collect()
            };
            list.into_iter().enumerate().map(|(p, s)| (s, p)).collect()
        })
        .collect();
    let sizes: Vec<usize> = vars.iter().map(|v| v.dim.len()).collect();
    let inner: usize = sizes[k..n_stub].iter().product::<usize>() * n_cols;
    let total: usize = sizes.iter().product();
    let mut cells = Cells::zeros(total);
    let mut filled = vec![false; total / inner.max(1)];
    let row_len = k + inner;
    let mut pos_in_row = 0usize;
    let mut key_idx = vec![0usize; k];
    let mut base = 0usize;
    let mut row_line = data_line;
    tokens(path, data_line, data, |t| {
        if pos_in_row < k {
            if pos_in_row == 0 {
                row_line = t.line;
            }
            let (vi, by_codes) = keyed[pos_in_row];
            let p = lookups[pos_in_row].get(t.text).copied().ok_or_else(|| {
                IngestError::syntax(
                    path,
                    Location::Line(t.line),
                    format!(
                        "the key {:?} for variable {:?}",
                        excerpt(t.text),
                        vars[vi].dim.id
                    ),
                    format!(
                        "one of its {} (KEYS says {})",
                        if by_codes { "CODES" } else { "VALUES" },
                        if by_codes { "CODES" } else { "VALUES" }
                    ),
                )
            })?;
            key_idx[pos_in_row] = p;
            pos_in_row += 1;
            if pos_in_row == k {
                let mut block = 0usize;
                for (j, &p) in key_idx.iter().enumerate() {
                    block = block * sizes[j] + p;
                }
                if filled[block] {
                    return Err(IngestError::syntax(
                        path,
                        Location::Line(row_line),
                        "a KEYS row whose keys an earlier row already had",
                        "each key combination at most once",
                    ));
                }
                filled[block] = true;
                base = block * inner;
            }
            return Ok(());
        }
        let c = cell(path, &t, dot_status, symbols)?;
        cells.set(base + pos_in_row - k, c);
        pos_in_row += 1;
        if pos_in_row == row_len {
            pos_in_row = 0;
        }
        Ok(())
    })?;
    if pos_in_row != 0 {
        return Err(IngestError::shape(
            path,
            Location::Line(row_line),
            "the last KEYS row (keys and cells)",
            pos_in_row,
            row_len,
        ));
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn px(s: &str) -> Result<Table, IngestError> {
        read(Path::new("t.px"), s.as_bytes())
    }

    const SMALL: &str = "CHARSET=\"ANSI\";\nLANGUAGE=\"sv\";\nLANGUAGES=\"sv\",\"en\";\n\
        TITLE=\"Legitimerade efter\"\n\" län och kön\";\nTITLE[en]=\"Licensed by county and sex\";\n\
        STUB=\"län\";\nSTUB[en]=\"county\";\nHEADING=\"kön\",\"år\";\nHEADING[en]=\"sex\",\"year\";\n\
        VALUES(\"län\")=\"Stockholms län\",\n\"Skåne län\";\nVALUES[en](\"county\")=\"Stockholm\",\"Skåne\";\n\
        CODES(\"län\")=\"01\",\"12\";\nVALUES(\"kön\")=\"kvinnor\",\"män\";\nVALUES[en](\"sex\")=\"women\",\"men\";\n\
        CODES(\"kön\")=\"2\",\"1\";\nVALUES(\"år\")=\"2022\",\"2023\";\nTIMEVAL(\"år\")=TLIST(A1),\"2022\",\"2023\";\n\
        VARIABLE-CODE(\"län\")=\"county\";\n\
        DATA=\n1 2 3 4\n5,6;\"..\" \"-\";\n";

    #[test]
    fn reads_a_small_bilingual_table_cell_by_cell() {
        let t = px(SMALL).unwrap();
        assert_eq!(t.len(), 8);
        assert_eq!(t.dims[0].id, "county");
        assert_eq!(t.dims[1].id, "kön");
        assert_eq!(t.dims[2].role, Role::Time);
        assert_eq!(t.dims[0].categories[1].code, "12");
        assert_eq!(
            t.dims[0].categories[1].label_sv.as_deref(),
            Some("Skåne län")
        );
        assert_eq!(t.dims[0].categories[1].label_en.as_deref(), Some("Skåne"));
        assert_eq!(t.dims[0].label_en.as_deref(), Some("county"));
        assert_eq!(
            t.meta.title_sv.as_deref(),
            Some("Legitimerade efter län och kön")
        );
        // Row order: county slowest, year fastest. Skåne, men (code 1), 2022 is the 7th cell: "..".
        assert_eq!(
            (t.code(0, 6), t.code(1, 6), t.code(2, 6)),
            ("12", "1", "2022")
        );
        assert_eq!(t.value(6), None);
        assert_eq!(t.status[6], Status::Missing);
        assert_eq!(t.symbol(6), Some(".."));
        assert_eq!(t.status[7], Status::Zero);
        assert_eq!(t.value(7), Some(0.0));
        assert_eq!(t.value(5), Some(6.0));
        assert_eq!(
            (t.code(0, 5), t.code(1, 5), t.code(2, 5)),
            ("12", "2", "2023")
        );
    }

    #[test]
    fn windows_1252_and_utf8_give_the_same_table() {
        let (latin, _, _) = WINDOWS_1252.encode(SMALL);
        let a = read(Path::new("a.px"), &latin).unwrap();
        let utf = SMALL.replace("CHARSET=\"ANSI\";", "CODEPAGE=\"utf-8\";");
        let b = px(&utf).unwrap();
        assert_eq!(a.dims, b.dims);
        assert_eq!(a.status, b.status);
        assert_eq!(a.symbols, b.symbols);
        let crlf = String::from_utf8(
            latin
                .to_vec()
                .iter()
                .map(|&c| c as char)
                .collect::<String>()
                .into_bytes(),
        )
        .unwrap();
        assert!(!crlf.is_empty());
        let crlf_src = SMALL.replace('\n', "\r\n");
        let c = px(&crlf_src).unwrap();
        assert_eq!(c.dims, b.dims);
    }

    #[test]
    fn keys_layout_fills_left_out_rows_with_zeros() {
        let s = "CHARSET=\"ANSI\";\nLANGUAGE=\"en\";\nSTUB=\"county\",\"age\";\nHEADING=\"year\";\n\
            VALUES(\"county\")=\"A\",\"B\";\nCODES(\"county\")=\"01\",\"03\";\nVALUES(\"age\")=\"20\",\"21\";\n\
            VALUES(\"year\")=\"2020\",\"2021\";\nKEYS(\"county\")=CODES;\nKEYS(\"age\")=VALUES;\n\
            DATA=\n\"03\",\"21\",5,\"..\"\n\"01\",\"20\",1,2\n;";
        let t = px(s).unwrap();
        assert_eq!(t.len(), 8);
        // Order: (01,20,2020)=1 (01,20,2021)=2 (01,21,*)=0 0 (03,20,*)=0 0 (03,21,2020)=5 (03,21,2021)=..
        let v: Vec<Option<f64>> = (0..8).map(|r| t.value(r)).collect();
        assert_eq!(
            v,
            vec![
                Some(1.0),
                Some(2.0),
                Some(0.0),
                Some(0.0),
                Some(0.0),
                Some(0.0),
                Some(5.0),
                None
            ]
        );
        let bad = s.replace("\"03\",\"21\"", "\"04\",\"21\"");
        let e = px(&bad).unwrap_err().to_string();
        assert!(e.contains("t.px:12") && e.contains("\"04\""), "{e}");
        let dup = s.replace("\"01\",\"20\"", "\"03\",\"21\"");
        assert!(px(&dup).unwrap_err().to_string().contains("earlier row"));
    }

    #[test]
    fn data_with_a_short_row_names_the_row() {
        let s = SMALL.replace("5,6;\"..\" \"-\";", "5,6\n\"..\" \"-\" 7 8;");
        let e = px(&s).unwrap_err().to_string();
        // Rows of 4: line 22 holds "1 2 3 4", line 23 holds "5,6" — row 2 has 2 values.
        assert_eq!(e, "t.px:23: DATA row 2 has 2, expected 4");
        let short = SMALL.replace("5,6;\"..\" \"-\";", "5,6;");
        let e = px(&short).unwrap_err().to_string();
        assert_eq!(e, "t.px:23: DATA row 2 has 2, expected 4");
        // Cells not laid out one row per line: the total is what can be counted.
        let flat = SMALL.replace(
            "DATA=\n1 2 3 4\n5,6;\"..\" \"-\";",
            "DATA=\n1 2 3\n4 5\n6 7;",
        );
        let e = px(&flat).unwrap_err().to_string();
        assert!(e.contains("DATA (cells in all) has 7, expected 8"), "{e}");
    }

    #[test]
    fn grammar_errors_have_lines() {
        let e = px("CHARSET=\"ANSI\";\nTITLE=\"open\n;\nDATA=1;").unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.px:2: a string whose closing quote is missing; expected a closing '\"' on the same line (continue long texts as \"...\" \"...\")"
        );
        let e = px("CHARSET=\"ANSI\";\nTITLE=\"x\";\n").unwrap_err();
        assert!(e.to_string().contains("DATA keyword is missing"), "{e}");
        let e = px("CODEPAGE=\"klingon\";\nDATA=1;").unwrap_err();
        assert!(e.to_string().starts_with("t.px:1: unknown CODEPAGE"), "{e}");
        let e =
            px("CHARSET=\"ANSI\";\nSTUB=\"a\";\nVALUES(\"a\")=\"x\";\nDATA=\nfoo;").unwrap_err();
        assert!(
            e.to_string().starts_with("t.px:5: cannot read \"foo\""),
            "{e}"
        );
    }

    #[test]
    fn tlist_ranges_expand() {
        assert!(
            expand_tlist("TLIST(A1,\"2147483647\"-\"2147483647\")")
                .unwrap_err()
                .contains("2147483647")
        );
        assert!(
            expand_tlist("TLIST(A1,\"2021\"-\"2019\")")
                .unwrap_err()
                .contains("reversed")
        );
        assert_eq!(
            expand_tlist("TLIST(A1, \"9999\"-\"9999\")").unwrap().1,
            vec!["9999"]
        );
        assert_eq!(
            expand_tlist("TLIST(A1, \"2019\"-\"2021\")").unwrap().1,
            vec!["2019", "2020", "2021"]
        );
        assert_eq!(
            expand_tlist("TLIST(Q1, \"20194\"-\"20202\")").unwrap().1,
            vec!["20194", "20201", "20202"]
        );
        assert_eq!(
            expand_tlist("TLIST(M1,\"201911\"-\"202002\")").unwrap().1,
            vec!["201911", "201912", "202001", "202002"]
        );
    }
}
