//! The tidy table: one row per cell, one column per dimension, a value and a status.
//!
//! Every reader in [`crate::ingest`] produces a [`Table`]; validation, the model and the writers in
//! [`crate::publish`] consume one. Dimensions hold their categories once (code plus Swedish and English
//! labels); rows hold an index into each dimension's category list, so a 10-million-cell PX cube costs
//! a few bytes per cell per dimension rather than a string per cell.
//!
//! A value is meaningful only when its [`Status`] says so ([`Status::has_value`]): a missing or
//! suppressed cell keeps `NaN` in [`Table::values`] and is never silently read as zero.

use std::collections::HashMap;
use std::fmt;

/// What is known about one cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// A published, observed figure.
    Observed,
    /// No figure: not available, not applicable or too uncertain (the PX dot symbols `.` … `......`).
    Missing,
    /// A true zero, published as `-` ("magnitude nil").
    Zero,
    /// Withheld for confidentiality (primary or secondary suppression).
    Suppressed,
    /// A modelled or nowcast figure, not an observation.
    Estimated,
}

impl Status {
    /// All statuses, in the order used for counts and reports.
    pub const ALL: [Status; 5] = [
        Status::Observed,
        Status::Missing,
        Status::Zero,
        Status::Suppressed,
        Status::Estimated,
    ];

    /// Whether the cell's value is a number one may compute with (observed, true zero, estimated).
    pub fn has_value(self) -> bool {
        matches!(self, Status::Observed | Status::Zero | Status::Estimated)
    }

    /// The lower-case name written to tidy files (`observed`, `missing`, `zero`, `suppressed`, `estimated`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Observed => "observed",
            Status::Missing => "missing",
            Status::Zero => "zero",
            Status::Suppressed => "suppressed",
            Status::Estimated => "estimated",
        }
    }

    /// Parses the name written by [`Status::as_str`]; `None` for anything else.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a dimension stands for, where the source says so (JSON-stat roles, PX TIMEVAL/CONTVARIABLE).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Role {
    /// An ordinary classification (sex, age, profession …).
    #[default]
    Other,
    /// Time (years, quarters, months).
    Time,
    /// Geography (country, county, municipality).
    Geo,
    /// The measure itself: several contents in one table (PX CONTVARIABLE, JSON-stat `metric`).
    Metric,
}

impl Role {
    /// Lower-case name, as JSON-stat spells the role.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Other => "other",
            Role::Time => "time",
            Role::Geo => "geo",
            Role::Metric => "metric",
        }
    }
}

/// One category of a dimension.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Category {
    /// The code (the label, where the source gives no codes).
    pub code: String,
    /// Swedish label, when the source gives one.
    pub label_sv: Option<String>,
    /// English label, when the source gives one.
    pub label_en: Option<String>,
    /// Unit of measure, for a category of a [`Role::Metric`] dimension.
    pub unit: Option<String>,
}

impl Category {
    /// A category with a code and no labels.
    pub fn code(code: impl Into<String>) -> Self {
        Category {
            code: code.into(),
            ..Default::default()
        }
    }

    /// The label in the given language, falling back to the other language and then the code.
    pub fn label(&self, lang: Lang) -> &str {
        let (first, second) = match lang {
            Lang::Sv => (&self.label_sv, &self.label_en),
            Lang::En => (&self.label_en, &self.label_sv),
        };
        first.as_deref().or(second.as_deref()).unwrap_or(&self.code)
    }

    /// The code, then the Swedish and the English label where there are labels: the texts a
    /// category can be recognised by.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        [
            Some(&self.code),
            self.label_sv.as_ref(),
            self.label_en.as_ref(),
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
    }
}

/// The two publication languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Swedish (the default for published reports).
    #[default]
    Sv,
    /// English.
    En,
}

impl Lang {
    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// Parses `sv`/`en` (and the common variants `sv-SE`, `en-GB`, `swe`, `eng`).
    pub fn from_code(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s == "sv" || s.starts_with("sv-") || s.starts_with("sv_") || s == "swe" {
            Some(Lang::Sv)
        } else if s == "en" || s.starts_with("en-") || s.starts_with("en_") || s == "eng" {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// How a dimension's total may be formed (PX ELIMINATION).
#[derive(Clone, Debug, PartialEq)]
pub enum Elimination {
    /// The category at this index is the total of the others (`ELIMINATION("region")="00 Riket"`).
    Total(usize),
    /// The dimension may be dropped by summing over it (`ELIMINATION=YES`).
    Sum,
    /// The dimension must not be summed (`ELIMINATION=NO`).
    No,
}

/// One dimension (variable) of a table.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Dimension {
    /// Identifier used as the tidy column name (PX VARIABLE-CODE or the variable's name, JSON-stat id).
    pub id: String,
    /// Swedish name of the dimension, when given.
    pub label_sv: Option<String>,
    /// English name of the dimension, when given.
    pub label_en: Option<String>,
    /// What the dimension stands for.
    pub role: Role,
    /// The categories, in the source's order.
    pub categories: Vec<Category>,
    /// Whether and how a total over this dimension may be formed.
    pub elimination: Option<Elimination>,
}

impl Dimension {
    /// A dimension with an id and categories given by their codes.
    pub fn from_codes<S: Into<String>>(id: &str, codes: impl IntoIterator<Item = S>) -> Self {
        Dimension {
            id: id.to_string(),
            categories: codes.into_iter().map(Category::code).collect(),
            ..Default::default()
        }
    }

    /// Number of categories.
    pub fn len(&self) -> usize {
        self.categories.len()
    }

    /// Whether the dimension has no categories.
    pub fn is_empty(&self) -> bool {
        self.categories.is_empty()
    }

    /// Index of the category with this code.
    pub fn position(&self, code: &str) -> Option<usize> {
        self.categories.iter().position(|c| c.code == code)
    }

    /// A map from code to index, for repeated look-ups.
    pub fn index(&self) -> HashMap<&str, u32> {
        self.categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.as_str(), i as u32))
            .collect()
    }

    /// Whether any category carries a label in this language.
    pub fn has_labels(&self, lang: Lang) -> bool {
        self.categories.iter().any(|c| match lang {
            Lang::Sv => c.label_sv.is_some(),
            Lang::En => c.label_en.is_some(),
        })
    }
}

/// Whether a title, note or source statement calls the data synthetic (`synthetic`, `syntetisk…`, in
/// any case): the readers mark such a table [`TableMeta::synthetic`].
pub fn says_synthetic(text: &str) -> bool {
    let t = text.to_lowercase();
    t.contains("synthetic") || t.contains("syntetisk")
}

/// Facts about a table as a whole.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct TableMeta {
    /// Where the table was read from (a file name), for messages.
    pub origin: String,
    /// Source format (`px`, `json-stat`, `csv`, `xlsx`, `parquet`).
    pub format: String,
    /// Title in Swedish, when given.
    pub title_sv: Option<String>,
    /// Title in English, when given.
    pub title_en: Option<String>,
    /// The table's identifier at its publisher (PX MATRIX / TABLEID, JSON-stat extension id).
    pub table_id: Option<String>,
    /// Publisher / source statement.
    pub source: Option<String>,
    /// Unit of measure for the whole table (per-content units sit on the metric categories).
    pub unit: Option<String>,
    /// Number of decimals the publisher shows.
    pub decimals: Option<u8>,
    /// Last update as given by the source.
    pub updated: Option<String>,
    /// The measured quantity, where the source names it apart from the title (the header of a single
    /// value column, e.g. `Antal`).
    pub measure: Option<String>,
    /// Notes and footnotes, in the order given.
    pub notes: Vec<String>,
    /// Things the reader noticed and repaired or assumed (e.g. a mislabelled codepage).
    pub warnings: Vec<String>,
    /// The symbols that stood in the source for cells without a plain number (`..`, `-`, …), indexed by
    /// [`Table::symbols`] minus one.
    pub symbol_names: Vec<String>,
    /// Whether the data are synthetic (the embedded default data are).
    pub synthetic: bool,
    /// The age bands, `(first, last)` single years, that the table's ages were ungrouped from
    /// (`model::ungroup`); empty when its ages came as single years. Bands one year wide (single
    /// years published beside bands) are listed too.
    pub age_bands: Vec<(u32, u32)>,
}

/// The most distinct status symbols one table may hold. Statistics agencies use a handful (`..`,
/// `.`, `-`, `x`, `:`, `e`); a file with more is not marking statuses.
pub const MAX_SYMBOLS: usize = 255;

/// A tidy table: dimensions, and per row a category index for each dimension, a value and a status.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Table {
    /// Table-level metadata.
    pub meta: TableMeta,
    /// The dimensions, in column order.
    pub dims: Vec<Dimension>,
    /// `keys[d][row]` is the category index of row `row` in dimension `d`.
    pub keys: Vec<Vec<u32>>,
    /// The values; `NaN` where the status has no value.
    pub values: Vec<f64>,
    /// The status of each row.
    pub status: Vec<Status>,
    /// The source symbol of each row: 0 for none, else `meta.symbol_names[s - 1]`.
    pub symbols: Vec<u16>,
    /// The 1-based source line (text files) or sheet row (spreadsheets) of each row, for messages;
    /// empty when the reader does not track it (PX cells are named by their key instead).
    pub lines: Vec<u32>,
}

impl Table {
    /// An empty table with these dimensions.
    pub fn new(meta: TableMeta, dims: Vec<Dimension>) -> Self {
        let n = dims.len();
        Table {
            meta,
            dims,
            keys: vec![Vec::new(); n],
            values: Vec::new(),
            status: Vec::new(),
            symbols: Vec::new(),
            lines: Vec::new(),
        }
    }

    /// Number of rows (cells).
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Reserves room for `n` more rows.
    pub fn reserve(&mut self, n: usize) {
        for k in &mut self.keys {
            k.reserve(n);
        }
        self.values.reserve(n);
        self.status.reserve(n);
        self.symbols.reserve(n);
    }

    /// Appends one row. `value` is ignored (stored as `NaN`) unless `status` has a value.
    ///
    /// # Panics
    ///
    /// If `keys` does not have one index per dimension (a programming error in a reader).
    pub fn push(&mut self, keys: &[u32], value: f64, status: Status, symbol: u16) {
        assert_eq!(keys.len(), self.dims.len(), "one key per dimension");
        for (col, &k) in self.keys.iter_mut().zip(keys) {
            col.push(k);
        }
        self.values
            .push(if status.has_value() { value } else { f64::NAN });
        self.status.push(status);
        self.symbols.push(symbol);
    }

    /// The value of row `row`, or `None` where its status has no value.
    pub fn value(&self, row: usize) -> Option<f64> {
        self.status[row].has_value().then(|| self.values[row])
    }

    /// The code of row `row` in dimension `dim`.
    pub fn code(&self, dim: usize, row: usize) -> &str {
        &self.dims[dim].categories[self.keys[dim][row] as usize].code
    }

    /// Index of the dimension with this id.
    pub fn dim_index(&self, id: &str) -> Option<usize> {
        self.dims.iter().position(|d| d.id == id)
    }

    /// Where row `row` stood in the source: its line or sheet row when tracked, else its key
    /// (`profession=SSK, county=01, year=2020`).
    pub fn row_place(&self, row: usize) -> String {
        match self.lines.get(row) {
            Some(&l) if self.lines.len() == self.len() => format!("{l}"),
            _ => self.key_text(row),
        }
    }

    /// The key of row `row` as `dim=code` pairs.
    pub fn key_text(&self, row: usize) -> String {
        self.dims
            .iter()
            .enumerate()
            .map(|(d, dim)| format!("{}={}", dim.id, self.code(d, row)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The symbol of row `row` as it stood in the source, if any.
    pub fn symbol(&self, row: usize) -> Option<&str> {
        match self.symbols[row] {
            0 => None,
            s => self
                .meta
                .symbol_names
                .get(s as usize - 1)
                .map(String::as_str),
        }
    }

    /// The symbol index for `name`, adding it to [`TableMeta::symbol_names`] when new; `None` for
    /// a new symbol once the table holds [`MAX_SYMBOLS`] (the readers make that an error at the
    /// cell, so that an index never wraps and a search never grows with the file).
    pub fn intern_symbol(&mut self, name: &str) -> Option<u16> {
        if let Some(i) = self.meta.symbol_names.iter().position(|s| s == name) {
            return Some((i + 1) as u16);
        }
        if self.meta.symbol_names.len() >= MAX_SYMBOLS {
            return None;
        }
        self.meta.symbol_names.push(name.to_string());
        Some(self.meta.symbol_names.len() as u16)
    }

    /// Counts of rows by status, in [`Status::ALL`] order.
    pub fn status_counts(&self) -> [(Status, usize); 5] {
        let mut counts = [0usize; 5];
        for s in &self.status {
            counts[Status::ALL.iter().position(|x| x == s).unwrap_or(0)] += 1;
        }
        let mut out = [(Status::Observed, 0); 5];
        for (i, st) in Status::ALL.into_iter().enumerate() {
            out[i] = (st, counts[i]);
        }
        out
    }

    /// Smallest and largest value among rows that have one.
    pub fn value_range(&self) -> Option<(f64, f64)> {
        let mut it = (0..self.len()).filter_map(|r| self.value(r));
        let first = it.next()?;
        Some(it.fold((first, first), |(lo, hi), v| (lo.min(v), hi.max(v))))
    }

    /// The row of a full key (one code per dimension), by linear search over an index built on demand.
    pub fn lookup(&self) -> KeyIndex {
        KeyIndex::new(self)
    }
}

/// A hash index from the full key of a row to the row number.
///
/// Keys are packed into one `u64` (mixed radix over the dimension sizes) when the cube is small
/// enough, which is every table hwf meets in practice; otherwise the key vector itself is hashed.
pub struct KeyIndex {
    packed: Option<(Vec<u64>, HashMap<u64, usize>)>,
    wide: HashMap<Vec<u32>, usize>,
    /// Rows whose key was already taken by an earlier row: `(earlier, later)`.
    pub duplicates: Vec<(usize, usize)>,
}

impl KeyIndex {
    /// Builds the index; duplicated keys are recorded in [`KeyIndex::duplicates`].
    pub fn new(t: &Table) -> Self {
        let mut duplicates = Vec::new();
        let sizes: Vec<u64> = t.dims.iter().map(|d| d.len().max(1) as u64).collect();
        let fits = sizes
            .iter()
            .try_fold(1u64, |a, &n| a.checked_mul(n))
            .is_some();
        if fits {
            let mut radix = vec![1u64; sizes.len()];
            for d in (0..sizes.len().saturating_sub(1)).rev() {
                radix[d] = radix[d + 1] * sizes[d + 1];
            }
            let mut map = HashMap::with_capacity(t.len());
            for row in 0..t.len() {
                let k: u64 = (0..radix.len())
                    .map(|d| t.keys[d][row] as u64 * radix[d])
                    .sum();
                if let Some(&first) = map.get(&k) {
                    duplicates.push((first, row));
                } else {
                    map.insert(k, row);
                }
            }
            return KeyIndex {
                packed: Some((radix, map)),
                wide: HashMap::new(),
                duplicates,
            };
        }
        let mut map = HashMap::with_capacity(t.len());
        let mut key = vec![0u32; t.dims.len()];
        for row in 0..t.len() {
            for (d, k) in key.iter_mut().enumerate() {
                *k = t.keys[d][row];
            }
            if let Some(&first) = map.get(&key) {
                duplicates.push((first, row));
            } else {
                map.insert(key.clone(), row);
            }
        }
        KeyIndex {
            packed: None,
            wide: map,
            duplicates,
        }
    }

    /// The row with this key (category indices, one per dimension).
    pub fn get(&self, key: &[u32]) -> Option<usize> {
        match &self.packed {
            Some((radix, map)) => {
                let k: u64 = key.iter().zip(radix).map(|(&x, &r)| x as u64 * r).sum();
                map.get(&k).copied()
            }
            None => self.wide.get(key).copied(),
        }
    }
}

/// Iterates over all keys of a dense cube in row-major order (last dimension fastest), as PX DATA and
/// JSON-stat `value` arrays are laid out.
pub struct Odometer {
    sizes: Vec<usize>,
    current: Vec<u32>,
    started: bool,
    done: bool,
}

impl Odometer {
    /// An odometer over dimensions of these sizes.
    pub fn new(sizes: Vec<usize>) -> Self {
        let done = sizes.contains(&0);
        Odometer {
            current: vec![0; sizes.len()],
            sizes,
            started: false,
            done,
        }
    }

    /// The next key, or `None` after the last.
    pub fn next_key(&mut self) -> Option<&[u32]> {
        if self.done {
            return None;
        }
        if !self.started {
            self.started = true;
            return Some(&self.current);
        }
        for d in (0..self.sizes.len()).rev() {
            self.current[d] += 1;
            if (self.current[d] as usize) < self.sizes[d] {
                return Some(&self.current);
            }
            self.current[d] = 0;
        }
        self.done = true;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odometer_runs_last_dimension_fastest() {
        let mut o = Odometer::new(vec![2, 3]);
        let mut seen = Vec::new();
        while let Some(k) = o.next_key() {
            seen.push(k.to_vec());
        }
        assert_eq!(
            seen,
            vec![
                vec![0, 0],
                vec![0, 1],
                vec![0, 2],
                vec![1, 0],
                vec![1, 1],
                vec![1, 2]
            ]
        );
        assert!(Odometer::new(vec![2, 0]).next_key().is_none());
    }

    #[test]
    fn missing_values_are_never_numbers() {
        let mut t = Table::new(
            TableMeta::default(),
            vec![Dimension::from_codes("x", ["a", "b"])],
        );
        t.push(&[0], 5.0, Status::Observed, 0);
        t.push(&[1], 0.0, Status::Missing, 0);
        assert_eq!(t.value(0), Some(5.0));
        assert_eq!(t.value(1), None);
        assert!(t.values[1].is_nan());
        assert_eq!(t.value_range(), Some((5.0, 5.0)));
    }

    #[test]
    fn status_names_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("0"), None);
    }
}
