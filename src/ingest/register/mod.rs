//! Person-level register extracts aggregated to the input tables the model reads (`hwf aggregate`).
//!
//! The agencies that produce the national forecasts hold extracts of the registers: the licence
//! register (one row per licence), a person-year file linking the licence register with the
//! population and occupational registers (one row per person, year and profession held: where the
//! person lives, and in which sector and how much they work in health care), and the education
//! register (one row per student and event: beginning a programme, taking the degree). This module
//! turns them into [`licensed`](TABLES), `employed`, `licences_issued` and `admissions`, with the
//! codes, dimensions and statuses of the published tables, and an [`ExtractReport`] of every row that was
//! not counted and why: nothing is dropped silently.
//!
//! The work is done by polars' lazy engine with streaming ([`Engine::Streaming`]): each extract is
//! scanned once, rows are checked and de-duplicated by their key (person and year and profession;
//! person and profession; person, programme and event) and counted by cell, so memory follows the
//! number of keys and cells, not the file. Codes are translated after counting, once per distinct
//! spelling (hwf's code lists accept codes and published names: `SSK`, `Sjuksköterskor`, `23`,
//! `Jämtlands län`, a municipality code `2380` for its county, an ISO country code `DE` for the
//! country of education).
//!
//! The column layout of each extract, and the spec file, are documented in `docs/register.md`.

pub mod synth;

use crate::codes::{CodeLists, List, Lookup};
use crate::publish::atomic::{OutDir, PublishError};
use crate::publish::tables::TableFormat;
use crate::table::{Category, Dimension, Odometer, Role, Status, Table, TableMeta};
use polars::prelude::*;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The tables `hwf aggregate` can write, by extract: name (file stem) and the extract it comes from.
pub const TABLES: [(&str, &str); 4] = [
    ("licensed", "persons"),
    ("employed", "persons"),
    ("licences_issued", "licences"),
    ("admissions", "education"),
];

/// The youngest and oldest age the input tables hold (the model's working ages).
pub const AGES: (i32, i32) = (
    crate::model::inputs::AGE_MIN as i32,
    crate::model::inputs::AGE_MAX as i32,
);

/// The oldest age a living person in a register can have; a larger age (or a birth after the year)
/// is an impossible record.
pub const MAX_AGE: i32 = 120;

/// The largest FTE one person can hold in one year; more is an impossible record.
pub const MAX_FTE: f64 = 3.0;

/// Errors of `hwf aggregate`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegisterError {
    /// The spec file cannot be read or does not parse.
    #[error("{path}: {message}")]
    Spec {
        /// The spec file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An extract lacks a column the tables need.
    #[error("{0}")]
    Column(Box<MissingColumn>),
    /// The extract cannot be read, or polars failed while counting it.
    #[error("{path}: {message}")]
    Read {
        /// The extract file.
        path: PathBuf,
        /// What polars said.
        message: String,
    },
    /// Nothing could be counted: every row of the extract was dropped.
    #[error("{path}: none of its {rows} rows could be counted ({why})")]
    Empty {
        /// The extract file.
        path: PathBuf,
        /// Rows read.
        rows: u64,
        /// The reasons, largest first.
        why: String,
    },
}

/// A column an extract lacks: which, and what the file has instead.
#[derive(Debug, thiserror::Error)]
#[error(
    "{path}: no column {column:?} (the {extract} extract's {role}); the file has {found}. Name the column under [{extract}.columns], e.g. {role} = \"{example}\""
)]
pub struct MissingColumn {
    /// The extract file.
    pub path: PathBuf,
    /// Which extract (`persons`, `licences`, `education`).
    pub extract: String,
    /// hwf's name of the column.
    pub role: String,
    /// The column looked for.
    pub column: String,
    /// The columns the file has.
    pub found: String,
    /// An example column name from a real extract.
    pub example: String,
}

/// One extract named in the spec.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtractSpec {
    /// The file, Parquet or CSV (UTF-8) by its extension; relative to the spec's folder.
    pub file: PathBuf,
    /// hwf's column name → the extract's column name, for columns named otherwise.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// CSV only: the field separator (default `,`; `;` for Swedish exports).
    #[serde(default)]
    pub separator: Option<char>,
    /// CSV only: decimal comma (`0,75`), as Swedish exports write it. Default: with `;` separators.
    #[serde(default)]
    pub decimal_comma: Option<bool>,
    /// persons only: the weekly hours of a full-time post, when the extract gives `hours` instead
    /// of `fte` (default 40).
    #[serde(default)]
    pub full_time_hours: Option<f64>,
}

/// A spec file (`hwf aggregate --spec FILE.toml`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The format of the tables written: `parquet` (default), `csv` or `xlsx`.
    #[serde(default)]
    pub format: Option<String>,
    /// The person-year extract: `licensed` and `employed`.
    #[serde(default)]
    pub persons: Option<ExtractSpec>,
    /// The licence register: `licences_issued`.
    #[serde(default)]
    pub licences: Option<ExtractSpec>,
    /// The education register: `admissions`.
    #[serde(default)]
    pub education: Option<ExtractSpec>,
    /// The extracts are synthetic (`hwf synth-register` writes this): the tables' titles say so,
    /// and a run on them carries the synthetic-data warning.
    #[serde(default)]
    pub synthetic: bool,
    /// The folder of the spec file, where relative file names start.
    #[serde(skip)]
    pub dir: PathBuf,
}

impl Spec {
    /// Reads and checks a spec file.
    ///
    /// # Errors
    ///
    /// [`RegisterError::Spec`] when it cannot be read, does not parse, names no extract or an unknown
    /// format or column role.
    pub fn read(path: &Path) -> Result<Spec, RegisterError> {
        let err = |message: String| RegisterError::Spec {
            path: path.to_path_buf(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        let mut spec: Spec = toml::from_str(&text).map_err(|e| err(e.to_string()))?;
        spec.dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        spec.check().map_err(err)?;
        Ok(spec)
    }

    /// Checks what the types cannot: an extract at all, a known format, known column roles.
    fn check(&self) -> Result<(), String> {
        if self.persons.is_none() && self.licences.is_none() && self.education.is_none() {
            return Err(
                "names no extract: expected at least one of [persons], [licences], [education]"
                    .into(),
            );
        }
        self.table_format()?;
        for (name, e) in self.extracts() {
            let roles = Kind::of(name).roles();
            for k in e.columns.keys() {
                if !roles.iter().any(|r| r.0 == k) {
                    return Err(format!(
                        "[{name}.columns] {k:?}: expected one of {}",
                        roles.iter().map(|r| r.0).collect::<Vec<_>>().join(", ")
                    ));
                }
            }
            if let Some(h) = e.full_time_hours
                && !(h > 0.0 && h <= 80.0)
            {
                return Err(format!(
                    "[{name}] full_time_hours = {h}: expected hours a week, more than 0 and at most 80"
                ));
            }
        }
        Ok(())
    }

    /// The format tables are written in.
    ///
    /// # Errors
    ///
    /// A message for an unknown format.
    pub fn table_format(&self) -> Result<TableFormat, String> {
        match self.format.as_deref().unwrap_or("parquet") {
            "parquet" => Ok(TableFormat::Parquet),
            "csv" => Ok(TableFormat::Csv),
            "xlsx" => Ok(TableFormat::Xlsx),
            f => Err(format!("format = {f:?}: expected parquet, csv or xlsx")),
        }
    }

    /// The extracts named, with their names, in the order persons, licences, education.
    pub fn extracts(&self) -> Vec<(&'static str, &ExtractSpec)> {
        [
            ("persons", &self.persons),
            ("licences", &self.licences),
            ("education", &self.education),
        ]
        .into_iter()
        .filter_map(|(n, e)| e.as_ref().map(|e| (n, e)))
        .collect()
    }
}

/// The three kinds of extract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Persons,
    Licences,
    Education,
}

impl Kind {
    fn of(name: &str) -> Kind {
        match name {
            "persons" => Kind::Persons,
            "licences" => Kind::Licences,
            _ => Kind::Education,
        }
    }

    /// hwf's column names, whether each is required, and an example of a register's own name.
    fn roles(self) -> &'static [(&'static str, bool, &'static str)] {
        match self {
            Kind::Persons => &[
                ("person_id", true, "LopNr"),
                ("year", true, "Ar"),
                ("birth_year", true, "FodelseAr"),
                ("sex", true, "Kon"),
                ("county", true, "Lan"),
                ("profession", true, "Yrke"),
                ("sector", false, "Huvudman"),
                ("fte", false, "Hte"),
                ("hours", false, "Timmar"),
            ],
            Kind::Licences => &[
                ("person_id", true, "LopNr"),
                ("profession", true, "Yrke"),
                ("licence_date", true, "LegDatum"),
                ("birth_year", true, "FodelseAr"),
                ("sex", true, "Kon"),
                ("county", true, "Lan"),
                ("education_country", true, "UtbLand"),
            ],
            Kind::Education => &[
                ("person_id", true, "LopNr"),
                ("programme", true, "Program"),
                ("region", true, "Sjukvardsregion"),
                ("year", true, "Ar"),
                ("event", true, "Handelse"),
            ],
        }
    }
}

/// Why rows were not counted in the tables.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// No person id.
    MissingId,
    /// A required value is empty or not readable as its type (e.g. a year that is not a number).
    Missing,
    /// The age is negative or above [`MAX_AGE`] (birth after the year, or a mistyped birth year).
    ImpossibleAge,
    /// An FTE below 0 or above [`MAX_FTE`], or a sector without FTE, or FTE without a sector.
    ImpossibleFte,
    /// A licence date whose year cannot be read.
    UnreadableDate,
    /// A value that is no code or name of its list (column, value).
    UnknownCode(String, String),
    /// Several rows for one key that disagree (e.g. one person in two counties in one year): all
    /// of them are left out, as no one of them can be preferred.
    Conflicting,
    /// Further rows for one key that repeat the first exactly: counted once.
    Duplicate,
    /// A valid record at an age outside the tables' ages (kept out, not wrong).
    OutsideAges,
    /// An education event other than beginning a programme or taking the degree.
    OtherEvent(String),
}

impl Reason {
    /// The reason in words.
    pub fn text(&self) -> String {
        match self {
            Reason::MissingId => "no person id".into(),
            Reason::Missing => "a required value empty or unreadable".into(),
            Reason::ImpossibleAge => format!("impossible age (below 0 or above {MAX_AGE})"),
            Reason::ImpossibleFte => format!(
                "impossible FTE (below 0 or above {MAX_FTE}, or a sector without FTE, or FTE without a sector)"
            ),
            Reason::UnreadableDate => "licence date with no readable year".into(),
            Reason::UnknownCode(c, v) => format!("unknown {c} {v:?}"),
            Reason::Conflicting => "conflicting records for one key (all left out)".into(),
            Reason::Duplicate => "repeated record (counted once)".into(),
            Reason::OutsideAges => {
                format!("valid, but aged outside the tables' {}–{}", AGES.0, AGES.1)
            }
            Reason::OtherEvent(v) => format!("event {v:?} is neither a beginning nor a degree"),
        }
    }

    /// Whether the rows are errors in the extract (as against valid rows kept out of the tables).
    pub fn is_error(&self) -> bool {
        !matches!(self, Reason::OutsideAges | Reason::Duplicate)
    }
}

/// What happened to one extract's rows.
#[derive(Clone, Debug, Default)]
pub struct ExtractReport {
    /// `persons`, `licences` or `education`.
    pub name: String,
    /// The file.
    pub file: PathBuf,
    /// Rows read.
    pub rows: u64,
    /// Rows counted in the tables.
    pub counted: u64,
    /// Rows not counted, by reason: `rows = counted + Σ dropped`.
    pub dropped: BTreeMap<Reason, u64>,
    /// The years counted, first and last.
    pub years: Option<(i32, i32)>,
    /// Counties (or health-care regions) with no row counted.
    pub empty_areas: Vec<String>,
    /// The codes of the counties (or health-care regions) with rows counted.
    pub areas: Vec<String>,
}

impl ExtractReport {
    fn drop(&mut self, r: Reason, n: u64) {
        if n > 0 {
            *self.dropped.entry(r).or_default() += n;
        }
    }
}

/// The result of aggregating: the tables, by name, and the report.
#[derive(Debug)]
pub struct Aggregated {
    /// `(name, table)`, in the order of [`TABLES`], for the extracts given.
    pub tables: Vec<(String, Table)>,
    /// One report per extract.
    pub report: Vec<ExtractReport>,
}

impl Aggregated {
    /// A scenario naming the tables written (files `NAME.EXT` beside it) as inputs, the rest from
    /// the default data; scoped to the counties the person-year extract covers when it does not
    /// cover all.
    pub fn scenario(&self, ext: &str) -> String {
        let mut s = String::from(
            "# Written by `hwf aggregate`: the tables aggregated from the register extracts, beside this\n\
             # file, as inputs; the inputs not named come from the default data. Run with\n\
             # `hwf project --scenario THIS_FILE`, or name the tables in your own scenario's [inputs].\n\
             inherits = \"default\"\nname = \"register\"\n",
        );
        let all = CodeLists::get().counties.len();
        if let Some(r) = self.report.iter().find(|r| r.name == "persons")
            && !r.areas.is_empty()
            && r.areas.len() < all
        {
            let _ = writeln!(
                s,
                "\n# The person-year extract covers these counties only.\n[scope]\ncounties = [{}]",
                r.areas
                    .iter()
                    .map(|c| format!("{c:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        s.push_str("\n[inputs]\n");
        for (name, _) in &self.tables {
            let _ = writeln!(s, "{name} = {{ file = \"{name}.{ext}\" }}");
        }
        s
    }

    /// The report as text (English; the tables are the product, this is the analyst's check).
    pub fn report_text(&self) -> String {
        let mut s = String::from("# hwf aggregate: what was counted, and what was not\n");
        for r in &self.report {
            let _ = writeln!(s, "\n## {} ({})", r.name, r.file.display());
            let _ = writeln!(s, "rows read:    {:>12}", r.rows);
            let _ = writeln!(s, "rows counted: {:>12}", r.counted);
            if let Some((a, b)) = r.years {
                let _ = writeln!(s, "years:        {a}–{b}");
            }
            let mut by: Vec<(&Reason, &u64)> = r.dropped.iter().collect();
            by.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            for (reason, n) in by {
                let _ = writeln!(
                    s,
                    "not counted:  {n:>12}  {}{}",
                    reason.text(),
                    if reason.is_error() {
                        ""
                    } else {
                        " [not an error]"
                    }
                );
            }
            if !r.empty_areas.is_empty() {
                let _ = writeln!(s, "no rows for:  {}", r.empty_areas.join(", "));
            }
        }
        for (name, t) in &self.tables {
            let _ = writeln!(s, "\ntable {name}: {} cells", t.len());
        }
        s
    }

    /// The report as JSON.
    pub fn report_json(&self) -> serde_json::Value {
        serde_json::Value::Array(
            self.report
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "extract": r.name,
                        "file": r.file.display().to_string(),
                        "rows": r.rows,
                        "counted": r.counted,
                        "years": r.years.map(|(a, b)| [a, b]),
                        "not_counted": r.dropped.iter().map(|(k, v)| serde_json::json!({
                            "reason": k.text(), "error": k.is_error(), "rows": v
                        })).collect::<Vec<_>>(),
                        "no_rows_for": r.empty_areas,
                    })
                })
                .collect(),
        )
    }

    /// Writes the aggregation into `out` whole (`hwf aggregate`): each table in `format`
    /// (`NAME.parquet`, `.xlsx` or `.csv`), the report as `aggregate_report.txt` and `.json`, and
    /// `scenario.toml` naming the tables as inputs.
    ///
    /// # Errors
    ///
    /// [`PublishError`] when a table cannot be encoded or the folder cannot be written.
    pub fn write(&self, format: TableFormat, out: &OutDir) -> Result<(), PublishError> {
        let ext = match format {
            TableFormat::Parquet => "parquet",
            TableFormat::Xlsx => "xlsx",
            _ => "csv",
        };
        let mut files = Vec::new();
        for (name, t) in &self.tables {
            let file = format!("{name}.{ext}");
            let bytes = crate::publish::tables::encode(t, &out.path().join(&file), format)?;
            files.push((file, bytes));
        }
        let text = self.report_text();
        let json = serde_json::to_string_pretty(&self.report_json()).map_err(|e| {
            PublishError::Encode {
                path: out.path().join("aggregate_report.json"),
                what: "JSON".into(),
                message: e.to_string(),
            }
        })?;
        let scenario = self.scenario(ext);
        crate::publish::atomic::write_dir(out, |tmp| {
            for (f, b) in &files {
                std::fs::write(tmp.join(f), b)?;
            }
            std::fs::write(tmp.join("aggregate_report.txt"), &text)?;
            std::fs::write(tmp.join("aggregate_report.json"), format!("{json}\n"))?;
            std::fs::write(tmp.join("scenario.toml"), &scenario)?;
            Ok(())
        })
    }
}

/// Aggregates every extract the spec names.
///
/// # Errors
///
/// [`RegisterError`] for a missing column, an unreadable file, or an extract of which nothing could
/// be counted.
pub fn aggregate(spec: &Spec) -> Result<Aggregated, RegisterError> {
    let mut tables = Vec::new();
    let mut report = Vec::new();
    for (name, e) in spec.extracts() {
        let path = spec.dir.join(&e.file);
        let (t, r) = match Kind::of(name) {
            Kind::Persons => persons(&path, e)?,
            Kind::Licences => licences(&path, e)?,
            Kind::Education => education(&path, e)?,
        };
        if r.counted == 0 {
            let mut by: Vec<_> = r.dropped.iter().collect();
            by.sort_by(|a, b| b.1.cmp(a.1));
            return Err(RegisterError::Empty {
                path,
                rows: r.rows,
                why: if by.is_empty() {
                    "the file has no rows".into()
                } else {
                    by.iter()
                        .take(3)
                        .map(|(k, v)| format!("{v} {}", k.text()))
                        .collect::<Vec<_>>()
                        .join("; ")
                },
            });
        }
        tables.extend(t);
        report.push(r);
    }
    if spec.synthetic {
        for (_, t) in &mut tables {
            let m = &mut t.meta;
            m.synthetic = true;
            for (title, word) in [
                (&mut m.title_sv, "SYNTETISKA DATA"),
                (&mut m.title_en, "SYNTHETIC DATA"),
            ] {
                *title = title.take().map(|t| format!("{word}: {t}"));
            }
            m.notes.push(
                "SYNTHETIC: aggregated from a synthetic register made by hwf synth-register."
                    .into(),
            );
        }
    }
    Ok(Aggregated { tables, report })
}

// ---------------------------------------------------------------------------------------------
// Reading

fn read_err(path: &Path) -> impl Fn(PolarsError) -> RegisterError + '_ {
    move |e| RegisterError::Read {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// A lazy scan of the extract, Parquet or CSV by extension.
fn scan(path: &Path, e: &ExtractSpec) -> Result<LazyFrame, RegisterError> {
    if !path.is_file() {
        return Err(RegisterError::Read {
            path: path.to_path_buf(),
            message: "no such file".into(),
        });
    }
    let ext = path
        .extension()
        .and_then(|x| x.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let p = PlRefPath::try_from_path(path).map_err(read_err(path))?;
    match ext.as_str() {
        "parquet" => LazyFrame::scan_parquet(p, ScanArgsParquet::default()).map_err(read_err(path)),
        "csv" | "txt" => {
            let sep = e.separator.unwrap_or(',');
            if !sep.is_ascii() {
                return Err(RegisterError::Read {
                    path: path.to_path_buf(),
                    message: format!("separator {sep:?}: expected one ASCII character"),
                });
            }
            LazyCsvReader::new(p)
                .with_has_header(true)
                .with_separator(sep as u8)
                .with_decimal_comma(e.decimal_comma.unwrap_or(sep == ';'))
                .with_infer_schema_length(Some(10_000))
                .finish()
                .map_err(read_err(path))
        }
        _ => Err(RegisterError::Read {
            path: path.to_path_buf(),
            message: format!("extension {ext:?}: expected .parquet or .csv"),
        }),
    }
}

/// The extract's columns for hwf's roles: `Some(column)` for each role present; an error for a
/// required role that is missing.
fn columns(
    lf: &mut LazyFrame,
    path: &Path,
    name: &str,
    e: &ExtractSpec,
) -> Result<HashMap<&'static str, String>, RegisterError> {
    let schema = lf.collect_schema().map_err(read_err(path))?;
    let have: Vec<String> = schema.iter_names().map(|n| n.to_string()).collect();
    let mut out = HashMap::new();
    for &(role, required, example) in Kind::of(name).roles() {
        let wanted = e
            .columns
            .get(role)
            .cloned()
            .unwrap_or_else(|| role.to_string());
        // The named column, else one spelled the same in another case.
        let found = have
            .iter()
            .find(|h| **h == wanted)
            .or_else(|| have.iter().find(|h| h.eq_ignore_ascii_case(&wanted)));
        match found {
            Some(c) => {
                out.insert(role, c.clone());
            }
            None if required || e.columns.contains_key(role) => {
                return Err(RegisterError::Column(Box::new(MissingColumn {
                    path: path.to_path_buf(),
                    extract: name.into(),
                    role: role.into(),
                    column: wanted,
                    found: if have.is_empty() {
                        "no columns".into()
                    } else {
                        have.join(", ")
                    },
                    example: example.into(),
                })));
            }
            None => {}
        }
    }
    Ok(out)
}

fn text(c: &HashMap<&str, String>, role: &str) -> Expr {
    match c.get(role) {
        Some(n) => col(n.as_str()).cast(DataType::String).alias(role),
        None => lit(NULL).cast(DataType::String).alias(role),
    }
}

/// A column of codes (a few distinct spellings) as categories: grouping and comparing them then
/// works on small integers instead of text. Which of two conflicting codes a key's minimum takes
/// may vary with the categories' order; a conflicting key is left out, and an agreeing one has
/// one code.
fn code(c: &HashMap<&str, String>, role: &str) -> Expr {
    text(c, role).cast(DataType::from_categories(Categories::global()))
}

fn int(c: &HashMap<&str, String>, role: &str) -> Expr {
    col(c[role].as_str()).cast(DataType::Int32).alias(role)
}

fn collect(lf: LazyFrame, path: &Path) -> Result<DataFrame, RegisterError> {
    lf.collect_with_engine(Engine::Streaming)
        .map(|r| r.unwrap_single())
        .map_err(read_err(path))
}

/// Columns of a collected frame, read as Rust vectors.
struct Cols<'a> {
    df: &'a DataFrame,
    path: &'a Path,
}

impl Cols<'_> {
    fn err(&self, e: PolarsError) -> RegisterError {
        read_err(self.path)(e)
    }

    fn text(&self, name: &str) -> Result<Vec<Option<String>>, RegisterError> {
        let s = self.df.column(name).map_err(|e| self.err(e))?;
        let s = s
            .as_materialized_series()
            .cast(&DataType::String)
            .map_err(|e| self.err(e))?;
        let s = s.str().map_err(|e| self.err(e))?;
        Ok(s.iter().map(|v| v.map(str::to_string)).collect())
    }

    fn int(&self, name: &str) -> Result<Vec<Option<i64>>, RegisterError> {
        let s = self.df.column(name).map_err(|e| self.err(e))?;
        let s = s
            .as_materialized_series()
            .cast(&DataType::Int64)
            .map_err(|e| self.err(e))?;
        Ok(s.i64().map_err(|e| self.err(e))?.iter().collect())
    }

    fn float(&self, name: &str) -> Result<Vec<Option<f64>>, RegisterError> {
        let s = self.df.column(name).map_err(|e| self.err(e))?;
        let s = s
            .as_materialized_series()
            .cast(&DataType::Float64)
            .map_err(|e| self.err(e))?;
        Ok(s.f64().map_err(|e| self.err(e))?.iter().collect())
    }

    fn flag(&self, name: &str) -> Result<Vec<bool>, RegisterError> {
        let s = self.df.column(name).map_err(|e| self.err(e))?;
        let s = s.as_materialized_series().bool().map_err(|e| self.err(e))?;
        Ok(s.iter().map(|v| v.unwrap_or(false)).collect())
    }
}

/// Whether two aggregates of one key disagree; `NULL` and `NULL` agree.
fn differs(a: &str, b: &str) -> Expr {
    col(a).neq_missing(col(b))
}

// ---------------------------------------------------------------------------------------------
// Codes

/// Translations of distinct spellings, each looked up once.
struct Codes {
    lists: &'static CodeLists,
    /// Per list ([`Of`] as index), each spelling seen and its index.
    memo: [HashMap<String, Option<usize>>; 6],
}

/// The lists an extract's values are looked up in.
#[derive(Clone, Copy)]
enum Of {
    Profession,
    County,
    Sex,
    Sector,
    Origin,
    Region,
}

impl Codes {
    fn new() -> Codes {
        Codes {
            lists: CodeLists::get(),
            memo: Default::default(),
        }
    }

    /// The index of `v` in its list (professions, counties, sexes `1`/`2`, sectors `R`/`K`/`P`,
    /// origins `SE`/`EU`/`TC`, health-care regions).
    fn index(&mut self, of: Of, v: &str) -> Option<usize> {
        if let Some(&i) = self.memo[of as usize].get(v) {
            return i;
        }
        let i = self.look(of, v.trim());
        self.memo[of as usize].insert(v.to_string(), i);
        i
    }

    fn look(&self, of: Of, v: &str) -> Option<usize> {
        let l = self.lists;
        let code = |list: List, v: &str| match l.lookup(list, v) {
            Lookup::Code(c) => Some(c),
            _ => None,
        };
        match of {
            Of::Profession => {
                let c = code(List::Professions, v)?;
                l.professions.iter().position(|p| p.code == c)
            }
            Of::County => {
                // Registers give the municipality of residence (`2380`, or `380` read as a
                // number) as often as the county (`23`, or `1` for `01`).
                let digits = v.chars().all(|c| c.is_ascii_digit());
                let padded = match (digits, v.len()) {
                    (true, 1) | (true, 3) => format!("0{v}"),
                    _ => v.to_string(),
                };
                let county = if digits && padded.len() == 4 {
                    l.municipality(&padded)?.county.clone()
                } else {
                    code(List::Counties, &padded)?
                };
                l.counties.iter().position(|c| c.code == county)
            }
            Of::Sex => match code(List::Sexes, v)?.as_str() {
                "1" => Some(0),
                "2" => Some(1),
                _ => None,
            },
            Of::Sector => {
                let c = code(List::Sectors, v)?;
                l.sectors.iter().position(|s| s.code == c)
            }
            Of::Origin => {
                let c = match code(List::Origins, v) {
                    Some(c) => c,
                    None => origin_of_country(v)?.to_string(),
                };
                crate::model::inputs::ORIGINS.iter().position(|o| *o == c)
            }
            Of::Region => {
                let c = code(List::HealthcareRegions, v)?;
                l.healthcare_regions.iter().position(|r| r.code == c)
            }
        }
    }
}

/// The EU and EEA states and Switzerland (ISO 3166-1 alpha-2): a licence on a degree from one of
/// them is recognised under the EU's directive on professional qualifications, and Socialstyrelsen's
/// statistics group them as `EU/EES`.
const EU_EEA: [&str; 31] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SI", "SK", "IS", "LI", "NO", "CH", "EL",
];

/// `SE`, `EU` or `TC` for an ISO 3166-1 alpha-2 country code; `None` for anything else.
fn origin_of_country(v: &str) -> Option<&'static str> {
    let v = v.trim().to_ascii_uppercase();
    if v.len() != 2 || !v.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    Some(if v == "SE" {
        "SE"
    } else if EU_EEA.contains(&v.as_str()) {
        "EU"
    } else {
        "TC"
    })
}

/// The year of a licence date: `2019`, `2019-05-14`, `20190514`, `2019-05-14 00:00:00`.
fn year_of_date(v: &str) -> Option<i32> {
    let v = v.trim();
    let head = v.get(..4)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = &v[4..];
    let ok = rest.is_empty()
        || (rest.len() == 4 && rest.bytes().all(|b| b.is_ascii_digit()))
        || rest.starts_with('-');
    ok.then(|| head.parse().ok()).flatten()
}

// ---------------------------------------------------------------------------------------------
// Tables

/// A dense table over code lists, filled by index.
struct Dense {
    sizes: Vec<usize>,
    values: Vec<f64>,
}

impl Dense {
    fn new(sizes: Vec<usize>) -> Dense {
        let n = sizes.iter().product();
        Dense {
            sizes,
            values: vec![0.0; n],
        }
    }

    fn add(&mut self, key: &[usize], v: f64) {
        let mut at = 0;
        for (k, s) in key.iter().zip(&self.sizes) {
            at = at * s + k;
        }
        self.values[at] += v;
    }

    /// The table, every cell observed (a register's empty cell is a true count of zero), values
    /// rounded to `decimals`.
    fn table(self, meta: TableMeta, dims: Vec<Dimension>, decimals: i32) -> Table {
        let mut t = Table::new(meta, dims);
        t.reserve(self.values.len());
        let scale = 10f64.powi(decimals);
        let mut keys = Odometer::new(self.sizes.clone());
        for v in &self.values {
            if let Some(key) = keys.next_key() {
                t.push(key, (v * scale).round() / scale, Status::Observed, 0);
            }
        }
        t
    }
}

fn dim(id: &str, sv: &str, role: Role, cats: Vec<Category>) -> Dimension {
    Dimension {
        id: id.into(),
        label_sv: Some(sv.into()),
        label_en: Some(id.into()),
        role,
        categories: cats,
        elimination: None,
    }
}

fn cat(code: &str, sv: &str, en: &str) -> Category {
    Category {
        code: code.into(),
        label_sv: Some(sv.into()),
        label_en: Some(en.into()),
        unit: None,
    }
}

fn professions() -> Dimension {
    let l = CodeLists::get();
    dim(
        "profession",
        "yrke",
        Role::Other,
        l.professions
            .iter()
            .map(|p| cat(&p.code, &p.name_sv, &p.name_en))
            .collect(),
    )
}

fn counties() -> Dimension {
    let l = CodeLists::get();
    dim(
        "county",
        "län",
        Role::Geo,
        l.counties
            .iter()
            .map(|c| cat(&c.code, &c.name_sv, &c.name_en))
            .collect(),
    )
}

fn sexes() -> Dimension {
    dim(
        "sex",
        "kön",
        Role::Other,
        vec![cat("1", "män", "men"), cat("2", "kvinnor", "women")],
    )
}

fn ages() -> Dimension {
    dim(
        "age",
        "ålder",
        Role::Other,
        (AGES.0..=AGES.1)
            .map(|a| Category::code(a.to_string()))
            .collect(),
    )
}

fn years_dim(first: i32, last: i32) -> Dimension {
    dim(
        "year",
        "år",
        Role::Time,
        (first..=last)
            .map(|y| Category::code(y.to_string()))
            .collect(),
    )
}

fn meta(name: &str, sv: &str, en: &str, path: &Path, unit: &str) -> TableMeta {
    TableMeta {
        origin: format!("{name} (hwf aggregate of {})", path.display()),
        format: "register".into(),
        title_sv: Some(sv.into()),
        title_en: Some(en.into()),
        table_id: None,
        source: Some(format!(
            "hwf aggregate, from the register extract {}",
            path.display()
        )),
        unit: Some(unit.into()),
        decimals: Some(0),
        ..Default::default()
    }
}

/// Years spanned by a set of years seen, first and last.
fn span(seen: &[bool], first: i32) -> Option<(i32, i32)> {
    let a = seen.iter().position(|&s| s)?;
    let b = seen.iter().rposition(|&s| s)?;
    Some((first + a as i32, first + b as i32))
}

/// The years an extract may hold (a register year outside is a typing error, reported as missing).
const YEARS: (i32, i32) = (1900, 2100);

/// The years of an extract's cells: the dense tables are this wide.
#[derive(Clone, Copy, Debug)]
struct Years {
    first: i32,
    n: usize,
}

impl Years {
    /// The span of the years given that lie within [`YEARS`].
    fn of(ys: impl Iterator<Item = i64>) -> Years {
        let ok = i64::from(YEARS.0)..=i64::from(YEARS.1);
        let (a, b) = ys
            .filter(|y| ok.contains(y))
            .fold((i64::MAX, i64::MIN), |(a, b), y| (a.min(y), b.max(y)));
        if a > b {
            Years {
                first: YEARS.0,
                n: 1,
            }
        } else {
            Years {
                first: a as i32,
                n: (b - a + 1) as usize,
            }
        }
    }

    /// The index of a year, `None` outside [`YEARS`].
    fn index(self, y: i64) -> Option<usize> {
        let i = y - i64::from(self.first);
        (i64::from(YEARS.0)..=i64::from(YEARS.1))
            .contains(&y)
            .then_some(i)
            .filter(|&i| i >= 0 && (i as usize) < self.n)
            .map(|i| i as usize)
    }
}

fn empty_counties(seen: &[bool]) -> Vec<String> {
    CodeLists::get()
        .counties
        .iter()
        .zip(seen)
        .filter(|(_, s)| !**s)
        .map(|(c, _)| format!("{} {}", c.code, c.name_sv))
        .collect()
}

fn seen_counties(seen: &[bool]) -> Vec<String> {
    CodeLists::get()
        .counties
        .iter()
        .zip(seen)
        .filter(|(_, s)| **s)
        .map(|(c, _)| c.code.clone())
        .collect()
}

/// How one extract's rows are checked, de-duplicated and counted (see [`count_cells`]).
struct Plan<'a> {
    /// Columns (hwf's names) every row must have; a row without one is [`Reason::Missing`].
    required: &'a [&'a str],
    /// The key besides the person id: one record per person and key.
    key: &'a [&'a str],
    /// Attributes every row of a key must agree on (else [`Reason::Conflicting`]); the cell takes
    /// them, under their own names.
    agree: &'a [&'a str],
    /// Attributes of which a key counts at the earliest (smallest) value, under their own names.
    earliest: &'a [&'a str],
    /// Further checks, each with its reason code, after the required columns.
    checks: Vec<(Expr, i32)>,
    /// A column summed per cell (its one value per key), as `sum`.
    sum: Option<&'a str>,
}

/// Scans `rows` (columns `id` and the plan's) once with the streaming engine: a reason code per
/// row, one group per person and key (with the rows' count and whether they agree), and one result
/// row per cell, reason and conflict with the number of keys (`keys`), of rows (`rows`) and the
/// sum. Memory follows the keys and cells, not the rows.
fn count_cells(rows: LazyFrame, plan: &Plan<'_>, path: &Path) -> Result<DataFrame, RegisterError> {
    let missing = plan
        .required
        .iter()
        .map(|c| col(*c).is_null())
        .reduce(|a, b| a.or(b))
        .unwrap_or(lit(false));
    let mut reason = when(col("id").is_null())
        .then(lit(R_ID))
        .when(missing)
        .then(lit(R_MISSING));
    for (check, code) in &plan.checks {
        reason = reason.when(check.clone()).then(lit(*code));
    }
    let reason = reason.otherwise(lit(R_OK)).alias("reason");
    let by = |names: &[&str]| names.iter().map(|n| col(*n)).collect::<Vec<_>>();
    let mut key = vec![col("id")];
    key.extend(by(plan.key));
    key.push(col("reason"));
    let mut aggs = vec![len().cast(DataType::Int64).alias("n")];
    let mut conflict = lit(false);
    for a in plan.agree {
        let (hi, count) = (format!("{a}\u{1}max"), format!("{a}\u{1}count"));
        aggs.push(col(*a).min().alias(*a));
        aggs.push(col(*a).max().alias(hi.as_str()));
        aggs.push(col(*a).count().cast(DataType::Int64).alias(count.as_str()));
        // Two values, or a value beside an empty one.
        conflict = conflict.or(differs(a, &hi)).or(col(count.as_str())
            .gt(lit(0))
            .and(col(count.as_str()).lt(col("n"))));
    }
    for a in plan.earliest {
        aggs.push(col(*a).min().alias(*a));
    }
    let keyed = rows
        .with_column(reason)
        .group_by(key)
        .agg(aggs)
        .with_column(conflict.alias("conflict"));
    let mut cell = by(plan.key);
    cell.extend(by(plan.agree));
    cell.extend(by(plan.earliest));
    cell.extend([col("reason"), col("conflict")]);
    let mut sums = vec![
        len().cast(DataType::Int64).alias("keys"),
        col("n").sum().alias("rows"),
    ];
    if let Some(s) = plan.sum {
        sums.push(col(s).sum().alias("sum"));
    }
    collect(keyed.group_by(cell).agg(sums), path)
}

/// The cells' common columns: the rows and keys each stands for, its reason code and whether its
/// records conflict.
struct Counted {
    rows: Vec<Option<i64>>,
    keys: Vec<Option<i64>>,
    reason: Vec<Option<i64>>,
    conflict: Vec<bool>,
}

impl Counted {
    fn of(cols: &Cols<'_>) -> Result<Counted, RegisterError> {
        Ok(Counted {
            rows: cols.int("rows")?,
            keys: cols.int("keys")?,
            reason: cols.int("reason")?,
            conflict: cols.flag("conflict")?,
        })
    }

    /// Rows and keys of cell `i`, counted into the report's rows read; `None` (and the rows
    /// reported) when they are dropped for their reason or a conflict.
    fn settle(&self, i: usize, r: &mut ExtractReport) -> Option<(u64, u64)> {
        let n = self.rows[i].unwrap_or(0) as u64;
        let k = self.keys[i].unwrap_or(0) as u64;
        r.rows += n;
        let rc = self.reason[i].unwrap_or(0);
        if rc != i64::from(R_OK) {
            r.drop(reason_of(rc), n);
            return None;
        }
        if self.conflict[i] {
            r.drop(Reason::Conflicting, n);
            return None;
        }
        Some((n, k))
    }
}

/// The indices of a cell's values in their lists, or `None` with the first unknown one reported.
fn look_up<const N: usize>(
    codes: &mut Codes,
    r: &mut ExtractReport,
    n: u64,
    items: [(Of, &str, &Option<String>); N],
) -> Option<[usize; N]> {
    let mut out = [0; N];
    for (slot, (of, name, v)) in out.iter_mut().zip(items) {
        let v = v.as_deref().unwrap_or_default();
        match codes.index(of, v) {
            Some(i) => *slot = i,
            None => {
                r.drop(Reason::UnknownCode(name.to_string(), v.to_string()), n);
                return None;
            }
        }
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------------
// persons → licensed, employed

/// The reason code of a row, 0 for a valid one (`Reason` by number inside the query).
const R_OK: i32 = 0;
const R_ID: i32 = 1;
const R_MISSING: i32 = 2;
const R_AGE: i32 = 3;
const R_FTE: i32 = 4;

fn reason_of(code: i64) -> Reason {
    match code as i32 {
        R_ID => Reason::MissingId,
        R_MISSING => Reason::Missing,
        R_AGE => Reason::ImpossibleAge,
        _ => Reason::ImpossibleFte,
    }
}

fn persons(
    path: &Path,
    e: &ExtractSpec,
) -> Result<(Vec<(String, Table)>, ExtractReport), RegisterError> {
    let mut lf = scan(path, e)?;
    let c = columns(&mut lf, path, "persons", e)?;
    let fte = match (c.get("fte"), c.get("hours")) {
        (Some(f), _) => col(f.as_str()).cast(DataType::Float64),
        (None, Some(h)) => {
            col(h.as_str()).cast(DataType::Float64) / lit(e.full_time_hours.unwrap_or(40.0))
        }
        (None, None) => lit(NULL).cast(DataType::Float64),
    };
    let has_fte = c.contains_key("fte") || c.contains_key("hours");
    let rows = lf.clone().select([
        col(c["person_id"].as_str()).alias("id"),
        int(&c, "year"),
        int(&c, "birth_year"),
        code(&c, "sex"),
        code(&c, "county"),
        code(&c, "profession"),
        code(&c, "sector"),
        fte.alias("fte"),
    ]);
    let age = col("year") - col("birth_year");
    let fte_bad = col("sector")
        .is_null()
        .neq(col("fte").is_null())
        .or(col("fte").lt(lit(0.0)))
        .or(col("fte").gt(lit(MAX_FTE)))
        .or(col("fte").is_nan());
    // One record per person, year and profession.
    let plan = Plan {
        required: &["year", "birth_year", "sex", "county", "profession"],
        key: &["year", "profession"],
        agree: &["birth_year", "sex", "county", "sector", "fte"],
        earliest: &[],
        checks: vec![
            (age.clone().lt(lit(0)).or(age.gt(lit(MAX_AGE))), R_AGE),
            (fte_bad, R_FTE),
        ],
        sum: Some("fte"),
    };
    let df = count_cells(rows, &plan, path)?;
    let cols = Cols { df: &df, path };
    let (prof, county, sex, sector) = (
        cols.text("profession")?,
        cols.text("county")?,
        cols.text("sex")?,
        cols.text("sector")?,
    );
    let (birth, year, ftes) = (
        cols.int("birth_year")?,
        cols.int("year")?,
        cols.float("sum")?,
    );
    let counted = Counted::of(&cols)?;

    let lists = CodeLists::get();
    let (np, nc, na) = (
        lists.professions.len(),
        lists.counties.len(),
        AGES.1 - AGES.0 + 1,
    );
    let yrs = Years::of(year.iter().flatten().copied());
    let ny = yrs.n;
    let mut licensed = Dense::new(vec![np, nc, 2, na as usize, ny]);
    let mut employed = Dense::new(vec![np, nc, 3, 2, na as usize, 2, ny]);
    let mut seen = vec![false; ny];
    let mut seen_emp = vec![false; ny];
    let mut seen_county = vec![false; nc];
    let mut codes = Codes::new();
    let mut r = ExtractReport {
        name: "persons".into(),
        file: path.to_path_buf(),
        ..Default::default()
    };
    for i in 0..df.height() {
        let Some((n, k)) = counted.settle(i, &mut r) else {
            continue;
        };
        let Some(y) = year[i].and_then(|y| yrs.index(y)) else {
            r.drop(Reason::Missing, n);
            continue;
        };
        let Some([p, cty, s]) = look_up(
            &mut codes,
            &mut r,
            n,
            [
                (Of::Profession, "profession", &prof[i]),
                (Of::County, "county", &county[i]),
                (Of::Sex, "sex", &sex[i]),
            ],
        ) else {
            continue;
        };
        let h = match &sector[i] {
            None => None,
            Some(_) => match look_up(&mut codes, &mut r, n, [(Of::Sector, "sector", &sector[i])]) {
                Some([h]) => Some(h),
                None => continue,
            },
        };
        r.drop(Reason::Duplicate, n - k);
        let age = year[i].unwrap_or(0) - birth[i].unwrap_or(0);
        if age < i64::from(AGES.0) || age > i64::from(AGES.1) {
            r.drop(Reason::OutsideAges, k);
            continue;
        }
        let a = (age - i64::from(AGES.0)) as usize;
        r.counted += k;
        seen[y] = true;
        seen_county[cty] = true;
        licensed.add(&[p, cty, s, a, y], k as f64);
        if let Some(h) = h {
            seen_emp[y] = true;
            employed.add(&[p, cty, h, s, a, 0, y], k as f64);
            employed.add(&[p, cty, h, s, a, 1, y], ftes[i].unwrap_or(0.0));
        }
    }
    r.years = span(&seen, yrs.first);
    r.empty_areas = empty_counties(&seen_county);
    r.areas = seen_counties(&seen_county);
    let mut out = Vec::new();
    if let Some((a, b)) = r.years {
        out.push((
            "licensed".to_string(),
            crop(licensed, yrs, a, b).table(
                meta(
                    "licensed",
                    "Legitimerade efter yrke, län, kön, ålder och år",
                    "Licensed persons by profession, county, sex, age and year",
                    path,
                    "antal",
                ),
                vec![professions(), counties(), sexes(), ages(), years_dim(a, b)],
                0,
            ),
        ));
    }
    if let (Some((a, b)), true) = (span(&seen_emp, yrs.first), has_fte) {
        let lists = CodeLists::get();
        let sectors = dim(
            "sector",
            "huvudman",
            Role::Other,
            lists
                .sectors
                .iter()
                .map(|s| cat(&s.code, &s.name_sv, &s.name_en))
                .collect(),
        );
        let mut contents = dim(
            "contents",
            "tabellinnehåll",
            Role::Metric,
            vec![
                cat("EMP", "Anställda", "Employed persons"),
                cat("FTE", "Heltidsekvivalenter", "Full-time equivalents"),
            ],
        );
        contents.categories[0].unit = Some("antal".into());
        contents.categories[1].unit = Some("heltidsekvivalenter".into());
        let mut m = meta(
            "employed",
            "Anställda och heltidsekvivalenter inom hälso- och sjukvården",
            "Employed persons and full-time equivalents in health care",
            path,
            "antal",
        );
        m.decimals = Some(2);
        out.push((
            "employed".to_string(),
            crop(employed, yrs, a, b).table(
                m,
                vec![
                    professions(),
                    counties(),
                    sectors,
                    sexes(),
                    ages(),
                    contents,
                    years_dim(a, b),
                ],
                2,
            ),
        ));
    }
    Ok((out, r))
}

/// The dense table with its last (year) axis cut to `first..=last`.
fn crop(d: Dense, yrs: Years, first: i32, last: i32) -> Dense {
    let ny = *d.sizes.last().unwrap_or(&1);
    let (a, b) = ((first - yrs.first) as usize, (last - yrs.first) as usize);
    let mut sizes = d.sizes.clone();
    if let Some(l) = sizes.last_mut() {
        *l = b - a + 1;
    }
    let values = d
        .values
        .chunks(ny)
        .flat_map(|c| c[a..=b].iter().copied())
        .collect();
    Dense { sizes, values }
}

// ---------------------------------------------------------------------------------------------
// licences → licences_issued

fn licences(
    path: &Path,
    e: &ExtractSpec,
) -> Result<(Vec<(String, Table)>, ExtractReport), RegisterError> {
    let mut lf = scan(path, e)?;
    let c = columns(&mut lf, path, "licences", e)?;
    let rows = lf.clone().select([
        col(c["person_id"].as_str()).alias("id"),
        code(&c, "profession"),
        text(&c, "licence_date"),
        int(&c, "birth_year"),
        code(&c, "sex"),
        code(&c, "county"),
        code(&c, "education_country"),
    ]);
    // One licence per person and profession: a repeated one counts once, at the earliest date.
    let plan = Plan {
        required: &[
            "profession",
            "licence_date",
            "birth_year",
            "sex",
            "county",
            "education_country",
        ],
        key: &["profession"],
        agree: &["birth_year", "sex", "county", "education_country"],
        earliest: &["licence_date"],
        checks: Vec::new(),
        sum: None,
    };
    let df = count_cells(rows, &plan, path)?;
    let cols = Cols { df: &df, path };
    let (prof, county, origin, sex, date) = (
        cols.text("profession")?,
        cols.text("county")?,
        cols.text("education_country")?,
        cols.text("sex")?,
        cols.text("licence_date")?,
    );
    let birth = cols.int("birth_year")?;
    let counted = Counted::of(&cols)?;
    let lists = CodeLists::get();
    let (np, nc, na) = (
        lists.professions.len(),
        lists.counties.len(),
        (AGES.1 - AGES.0 + 1) as usize,
    );
    let yrs = Years::of(
        date.iter()
            .flatten()
            .filter_map(|d| year_of_date(d))
            .map(i64::from),
    );
    let ny = yrs.n;
    let mut issued = Dense::new(vec![np, nc, 3, 2, na, ny]);
    let mut seen = vec![false; ny];
    let mut seen_county = vec![false; nc];
    let mut codes = Codes::new();
    let mut r = ExtractReport {
        name: "licences".into(),
        file: path.to_path_buf(),
        ..Default::default()
    };
    for i in 0..df.height() {
        let Some((n, k)) = counted.settle(i, &mut r) else {
            continue;
        };
        let Some(y) = date[i].as_deref().and_then(year_of_date) else {
            r.drop(Reason::UnreadableDate, n);
            continue;
        };
        let Some(yi) = yrs.index(i64::from(y)) else {
            r.drop(Reason::UnreadableDate, n);
            continue;
        };
        let Some([p, cty, o, s]) = look_up(
            &mut codes,
            &mut r,
            n,
            [
                (Of::Profession, "profession", &prof[i]),
                (Of::County, "county", &county[i]),
                (Of::Origin, "education_country", &origin[i]),
                (Of::Sex, "sex", &sex[i]),
            ],
        ) else {
            continue;
        };
        let age = i64::from(y) - birth[i].unwrap_or(0);
        if !(0..=i64::from(MAX_AGE)).contains(&age) {
            r.drop(Reason::ImpossibleAge, n);
            continue;
        }
        r.drop(Reason::Duplicate, n - k);
        if age < i64::from(AGES.0) || age > i64::from(AGES.1) {
            r.drop(Reason::OutsideAges, k);
            continue;
        }
        r.counted += k;
        seen[yi] = true;
        seen_county[cty] = true;
        issued.add(
            &[p, cty, o, s, (age - i64::from(AGES.0)) as usize, yi],
            k as f64,
        );
    }
    r.years = span(&seen, yrs.first);
    r.empty_areas = empty_counties(&seen_county);
    r.areas = seen_counties(&seen_county);
    let mut out = Vec::new();
    if let Some((a, b)) = r.years {
        let origins = dim(
            "education_country",
            "utbildningsland",
            Role::Other,
            vec![
                cat("SE", "Sverige", "Sweden"),
                cat("EU", "EU/EES", "EU/EEA"),
                cat("TC", "Tredje land", "Third country"),
            ],
        );
        out.push((
            "licences_issued".to_string(),
            crop(issued, yrs, a, b).table(
                meta(
                    "licences_issued",
                    "Utfärdade legitimationer efter yrke, län, utbildningsland, kön, ålder och år",
                    "Licences issued by profession, county, country of education, sex, age and year",
                    path,
                    "antal",
                ),
                vec![
                    professions(),
                    counties(),
                    origins,
                    sexes(),
                    ages(),
                    years_dim(a, b),
                ],
                0,
            ),
        ));
    }
    Ok((out, r))
}

// ---------------------------------------------------------------------------------------------
// education → admissions

/// Beginning a programme (0) or taking the degree (1), from the spellings registers use.
fn event_of(v: &str) -> Option<usize> {
    match crate::codes::fold(v).as_str() {
        "nyborjare" | "nyborjad" | "borjat" | "beginner" | "beginners" | "start" | "b" | "n" => {
            Some(0)
        }
        "examinerad" | "examinerade" | "examen" | "graduate" | "graduates" | "degree" | "e"
        | "g" => Some(1),
        _ => None,
    }
}

fn education(
    path: &Path,
    e: &ExtractSpec,
) -> Result<(Vec<(String, Table)>, ExtractReport), RegisterError> {
    let mut lf = scan(path, e)?;
    let c = columns(&mut lf, path, "education", e)?;
    let rows = lf.clone().select([
        col(c["person_id"].as_str()).alias("id"),
        code(&c, "programme"),
        code(&c, "region"),
        int(&c, "year"),
        code(&c, "event"),
    ]);
    // One beginning and one degree per person and programme: a repeated one counts once, in the
    // earliest year.
    let plan = Plan {
        required: &["programme", "region", "year", "event"],
        key: &["programme", "event"],
        agree: &["region"],
        earliest: &["year"],
        checks: Vec::new(),
        sum: None,
    };
    let df = count_cells(rows, &plan, path)?;
    let cols = Cols { df: &df, path };
    let (prog, region, event) = (
        cols.text("programme")?,
        cols.text("region")?,
        cols.text("event")?,
    );
    let year = cols.int("year")?;
    let counted = Counted::of(&cols)?;
    let lists = CodeLists::get();
    let (np, nr) = (lists.professions.len(), lists.healthcare_regions.len());
    let yrs = Years::of(year.iter().flatten().copied());
    let ny = yrs.n;
    let mut adm = Dense::new(vec![np, nr, 2, ny]);
    let mut seen = vec![false; ny];
    let mut seen_region = vec![false; nr];
    let mut seen_prog = vec![false; np];
    let mut codes = Codes::new();
    let mut r = ExtractReport {
        name: "education".into(),
        file: path.to_path_buf(),
        ..Default::default()
    };
    for i in 0..df.height() {
        let Some((n, k)) = counted.settle(i, &mut r) else {
            continue;
        };
        let Some(y) = year[i].and_then(|y| yrs.index(y)) else {
            r.drop(Reason::Missing, n);
            continue;
        };
        let ev = event[i].clone().unwrap_or_default();
        let Some(ev_i) = event_of(&ev) else {
            r.drop(Reason::OtherEvent(ev), n);
            continue;
        };
        let Some([p, reg]) = look_up(
            &mut codes,
            &mut r,
            n,
            [
                (Of::Profession, "programme", &prog[i]),
                (Of::Region, "region", &region[i]),
            ],
        ) else {
            continue;
        };
        r.drop(Reason::Duplicate, n - k);
        r.counted += k;
        seen[y] = true;
        seen_region[reg] = true;
        seen_prog[p] = true;
        adm.add(&[p, reg, ev_i, y], k as f64);
    }
    r.years = span(&seen, yrs.first);
    r.empty_areas = lists
        .healthcare_regions
        .iter()
        .zip(&seen_region)
        .filter(|(_, s)| !**s)
        .map(|(c, _)| format!("{} {}", c.code, c.name_sv))
        .collect();
    let mut out = Vec::new();
    if let Some((a, b)) = r.years {
        // Programmes without a single student are left out: the specialist layers have no
        // programme of their own, and a table of zeros would say no one began.
        let keep: Vec<usize> = (0..np).filter(|&p| seen_prog[p]).collect();
        let d = crop(adm, yrs, a, b);
        let per = d.values.len() / np;
        let values = keep
            .iter()
            .flat_map(|&p| d.values[p * per..(p + 1) * per].iter().copied())
            .collect();
        let d = Dense {
            sizes: vec![keep.len(), nr, 2, (b - a + 1) as usize],
            values,
        };
        let progs = dim(
            "programme",
            "utbildning",
            Role::Other,
            keep.iter()
                .map(|&p| {
                    let q = &lists.professions[p];
                    cat(&q.code, &q.name_sv, &q.name_en)
                })
                .collect(),
        );
        let regions = dim(
            "healthcare_region",
            "sjukvårdsregion",
            Role::Geo,
            lists
                .healthcare_regions
                .iter()
                .map(|r| cat(&r.code, &r.name_sv, &r.name_en))
                .collect(),
        );
        let tasks = dim(
            "uppgift",
            "uppgift",
            Role::Other,
            vec![
                cat("nybörjare", "nybörjare", "beginners"),
                cat("examinerade", "examinerade", "graduates"),
            ],
        );
        out.push((
            "admissions".to_string(),
            d.table(
                meta(
                    "admissions",
                    "Nybörjare och examinerade per utbildning och sjukvårdsregion",
                    "Beginners and graduates by programme and health-care region",
                    path,
                    "antal",
                ),
                vec![progs, regions, tasks, years_dim(a, b)],
                0,
            ),
        ));
    }
    Ok((out, r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_give_their_year() {
        assert_eq!(year_of_date("2019"), Some(2019));
        assert_eq!(year_of_date("2019-05-14"), Some(2019));
        assert_eq!(year_of_date("20190514"), Some(2019));
        assert_eq!(year_of_date("2019-05-14 00:00:00"), Some(2019));
        assert_eq!(year_of_date("14/05/2019"), None);
        assert_eq!(year_of_date("201"), None);
    }

    #[test]
    fn countries_group_as_socialstyrelsen_does() {
        assert_eq!(origin_of_country("se"), Some("SE"));
        assert_eq!(origin_of_country("DE"), Some("EU"));
        assert_eq!(origin_of_country("NO"), Some("EU"));
        assert_eq!(origin_of_country("CH"), Some("EU"));
        assert_eq!(origin_of_country("IR"), Some("TC"));
        assert_eq!(origin_of_country("GB"), Some("TC"));
        assert_eq!(origin_of_country("Tyskland"), None);
    }

    #[test]
    fn codes_take_register_spellings() {
        let mut c = Codes::new();
        let county = |c: &mut Codes, v: &str| {
            c.index(Of::County, v)
                .map(|i| CodeLists::get().counties[i].code.clone())
        };
        assert_eq!(county(&mut c, "23").as_deref(), Some("23"));
        assert_eq!(county(&mut c, "2380").as_deref(), Some("23"));
        assert_eq!(county(&mut c, "1").as_deref(), Some("01"));
        assert_eq!(county(&mut c, "114").as_deref(), Some("01"));
        assert_eq!(county(&mut c, "Jämtlands län").as_deref(), Some("23"));
        assert_eq!(county(&mut c, "99"), None);
        assert_eq!(c.index(Of::Sex, "K"), Some(1));
        assert_eq!(c.index(Of::Sex, "1"), Some(0));
        assert_eq!(c.index(Of::Origin, "PL"), Some(1));
        assert_eq!(event_of("Nybörjare"), Some(0));
        assert_eq!(event_of("examen"), Some(1));
        assert_eq!(event_of("avbrott"), None);
    }
}
