//! The allocation spec (TOML) and reading its indicators from tables.
//!
//! ```toml
//! title = "Kompetensutveckling i kommunal hälso- och sjukvård 2020"
//! total = 30000000
//! recipients = "municipalities"      # or "counties"
//! floor = 35000
//! # cap = 2000000
//!
//! [[indicator]]
//! name = "population"
//! table = "population_municipality.csv"   # any table hwf reads; relative to this file
//! year = "2019"
//! stand_in_year = "2018"                  # optional
//! weight = 1.0
//! ```
//!
//! An indicator's table needs a dimension of recipients (municipality or county codes, or their
//! Swedish names) and, when it has a year dimension, the year to use.

use super::{Allocation, IndicatorValue, Recipient, compute, recipients};
use crate::codes::CodeLists;
use crate::ingest::{IngestError, read_table};
use crate::table::Table;
use crate::validate::Concept;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Everything that can be wrong with an allocation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AllocationError {
    /// The spec file cannot be read or parsed.
    #[error("{path}: {message}")]
    File {
        /// The spec or table file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A key of the spec has a value it cannot have.
    #[error("spec key `{key}`: {found}; expected {expected}")]
    Spec {
        /// The key.
        key: String,
        /// What was found.
        found: String,
        /// What was expected.
        expected: String,
    },
    /// A cell of a CSV input (funding streams, published amounts) that is wrong, at its line.
    #[error("{path}:{line}: {column} {found}; expected {expected}")]
    Row {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// The column.
        column: String,
        /// What was found (an excerpt).
        found: String,
        /// What was expected.
        expected: String,
    },
    /// A sum of kronor that does not fit (or cannot be computed exactly).
    #[error("{what} does not fit: {found}; expected {expected}")]
    Overflow {
        /// What was being summed.
        what: String,
        /// The operands.
        found: String,
        /// The range that works.
        expected: String,
    },
    /// A published table from which the audit cannot infer anything (everyone paid the floor, the
    /// same recipient twice, recipients missing), with what cannot be inferred.
    #[error("{found}; {cannot}")]
    Degenerate {
        /// What the table is like.
        found: String,
        /// What therefore cannot be inferred, and what would do.
        cannot: String,
    },
    /// The total cannot pay every recipient the floor.
    #[error("the total {total} is below {n} × floor {floor} = {needed}")]
    TotalBelowFloors {
        /// The total.
        total: u64,
        /// Number of recipients.
        n: u64,
        /// The floor.
        floor: u64,
        /// What the floors alone need.
        needed: u64,
    },
    /// The weights do not sum to 1 or one is outside 0..=1.
    #[error("the weights {weights:?} sum to {sum}; expected weights from 0 to 1 that sum to 1")]
    Weights {
        /// Name and weight of each indicator.
        weights: Vec<(String, f64)>,
        /// Their sum.
        sum: f64,
    },
    /// An indicator's value for a recipient is missing or impossible.
    #[error("indicator {indicator}, recipient {recipient}: {found}; expected {expected}")]
    Indicator {
        /// The indicator.
        indicator: String,
        /// The recipient's code.
        recipient: String,
        /// What was found.
        found: String,
        /// What was expected.
        expected: String,
    },
    /// A table could not be read.
    #[error(transparent)]
    Ingest(#[from] IngestError),
}

/// Most bytes of an allocation spec file.
pub const MAX_SPEC_BYTES: u64 = 16 << 20;

/// One indicator of the spec.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Its name in the output.
    pub name: String,
    /// The table holding it, relative to the spec file.
    pub table: PathBuf,
    /// The year to use (when the table has a year dimension).
    pub year: Option<String>,
    /// The year whose value stands in where `year` has none.
    pub stand_in_year: Option<String>,
    /// Its weight in the key.
    pub weight: f64,
}

/// The allocation spec.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// A title for the outputs.
    #[serde(default)]
    pub title: String,
    /// The total to distribute, in whole kronor.
    pub total: u64,
    /// `municipalities` or `counties`.
    pub recipients: String,
    /// The minimum amount per recipient.
    #[serde(default)]
    pub floor: u64,
    /// The maximum amount per recipient.
    pub cap: Option<u64>,
    /// The indicators of the key.
    #[serde(rename = "indicator")]
    pub indicators: Vec<Indicator>,
    /// The folder relative paths are taken from (the spec's own folder).
    #[serde(skip)]
    pub base: PathBuf,
}

impl Spec {
    /// Reads a spec file.
    ///
    /// # Errors
    ///
    /// [`AllocationError::File`] for an unreadable file, bad TOML, an unknown key or a missing one.
    pub fn load(path: &Path) -> Result<Spec, AllocationError> {
        let limits = crate::ingest::Limits {
            max_input_bytes: MAX_SPEC_BYTES,
            ..crate::ingest::Limits::default()
        };
        let bytes = crate::ingest::read_capped(path, &limits, false).map_err(|e| {
            AllocationError::File {
                path: path.to_path_buf(),
                message: match e {
                    IngestError::Io { source, .. } => source.to_string(),
                    other => other.to_string(),
                },
            }
        })?;
        let text = String::from_utf8(bytes).map_err(|e| AllocationError::File {
            path: path.to_path_buf(),
            message: format!(
                "byte {} is not UTF-8; expected a TOML text in UTF-8",
                e.utf8_error().valid_up_to()
            ),
        })?;
        Spec::parse(path, &text)
    }

    /// Parses a spec held in memory; `path` names it in messages and gives the folder relative
    /// table paths are taken from.
    ///
    /// # Errors
    ///
    /// [`AllocationError::File`] for bad TOML, an unknown key or a missing one, a total above
    /// [`MAX_EXACT_TOTAL`](super::MAX_EXACT_TOTAL) or a floor above the total.
    pub fn parse(path: &Path, text: &str) -> Result<Spec, AllocationError> {
        let mut spec: Spec = toml::from_str(text).map_err(|e| AllocationError::File {
            path: path.to_path_buf(),
            message: e.to_string().trim_end().replace('\n', " "),
        })?;
        spec.base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        // Checked here, before any table is read, and named with the file.
        let bad = |message: String| AllocationError::File {
            path: path.to_path_buf(),
            message,
        };
        if spec.total > super::MAX_EXACT_TOTAL {
            return Err(bad(format!(
                "total = {}; expected at most {} kr (2^53), the largest total hwf can sum exactly",
                spec.total,
                super::MAX_EXACT_TOTAL
            )));
        }
        if spec.floor > spec.total {
            return Err(bad(format!(
                "floor = {}; expected a floor of at most the total ({})",
                spec.floor, spec.total
            )));
        }
        Ok(spec)
    }

    /// Reads the indicators and computes the allocation.
    ///
    /// # Errors
    ///
    /// Unreadable tables, a table without a recipient dimension, names that match no recipient
    /// (with the nearest), a recipient without a value and no stand-in, and everything
    /// [`compute`] reports.
    pub fn run(&self) -> Result<Allocation, AllocationError> {
        let recips = recipients(&self.recipients)?;
        if self.indicators.is_empty() {
            return Err(AllocationError::Spec {
                key: "indicator".into(),
                found: "no indicators".into(),
                expected: "at least one [[indicator]]".into(),
            });
        }
        let mut per_recipient: Vec<Vec<IndicatorValue>> = vec![Vec::new(); recips.len()];
        for ind in &self.indicators {
            let path = self.base.join(&ind.table);
            let table = read_table(&path)?;
            let vals = indicator_values(&table, ind, &recips)?;
            for (i, v) in vals.into_iter().enumerate() {
                per_recipient[i].push(v);
            }
        }
        let weights: Vec<f64> = self.indicators.iter().map(|i| i.weight).collect();
        let names: Vec<String> = self.indicators.iter().map(|i| i.name.clone()).collect();
        compute(
            &recips,
            &per_recipient,
            &weights,
            &names,
            self.total,
            self.floor,
            self.cap,
        )
    }
}

/// Maps a recipient cell (a code, or a Swedish name) to a recipient index.
fn recipient_index(
    code: &str,
    label: Option<&str>,
    by_code: &HashMap<&str, usize>,
    by_name: &HashMap<&str, usize>,
) -> Option<usize> {
    by_code
        .get(code)
        .or_else(|| by_name.get(code))
        .or_else(|| label.and_then(|l| by_name.get(l)))
        .copied()
}

/// The values of one indicator for every recipient, with stand-ins.
///
/// # Errors
///
/// See [`Spec::run`].
pub fn indicator_values(
    t: &Table,
    ind: &Indicator,
    recips: &[Recipient],
) -> Result<Vec<IndicatorValue>, AllocationError> {
    let file = t.meta.origin.clone();
    let geo = t
        .dims
        .iter()
        .position(|d| matches!(Concept::of(d), Some(Concept::County | Concept::Municipality)))
        .ok_or_else(|| AllocationError::File {
            path: file.clone().into(),
            message: format!(
                "no dimension of recipients among [{}]; expected a municipality or county dimension (kommun, län, region)",
                t.dims.iter().map(|d| d.id.as_str()).collect::<Vec<_>>().join(", ")
            ),
        })?;
    let year_dim = t
        .dims
        .iter()
        .position(|d| Concept::of(d) == Some(Concept::Year));
    let others: Vec<usize> = (0..t.dims.len())
        .filter(|&d| d != geo && Some(d) != year_dim && t.dims[d].len() > 1)
        .collect();
    if let Some(&d) = others.first() {
        return Err(AllocationError::File {
            path: file.into(),
            message: format!(
                "the dimension {:?} has {} categories; expected one value per recipient and year (select it first)",
                t.dims[d].id,
                t.dims[d].len()
            ),
        });
    }
    let by_code: HashMap<&str, usize> = recips
        .iter()
        .enumerate()
        .map(|(i, r)| (r.code.as_str(), i))
        .collect();
    let by_name: HashMap<&str, usize> = recips
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.as_str(), i))
        .collect();
    // Every recipient cell must name a known recipient.
    for cat in &t.dims[geo].categories {
        if recipient_index(&cat.code, cat.label_sv.as_deref(), &by_code, &by_name).is_none()
            && !crate::validate::is_total_code(&cat.code)
        {
            let nearest = CodeLists::get().nearest_municipalities(&cat.code, 1);
            let hint = nearest
                .first()
                .map(|m| format!(" (nearest: {} {})", m.code, m.name_sv))
                .unwrap_or_default();
            return Err(AllocationError::Indicator {
                indicator: ind.name.clone(),
                recipient: cat.code.clone(),
                found: format!(
                    "a name or code that matches no recipient in {}{hint}",
                    ind.table.display()
                ),
                expected: "a code or Swedish name from the code list".into(),
            });
        }
    }
    let mut found: Vec<HashMap<String, f64>> = vec![HashMap::new(); recips.len()];
    for r in 0..t.len() {
        let cat = &t.dims[geo].categories[t.keys[geo][r] as usize];
        let Some(i) = recipient_index(&cat.code, cat.label_sv.as_deref(), &by_code, &by_name)
        else {
            continue;
        };
        let year = year_dim
            .map(|y| t.code(y, r).to_string())
            .unwrap_or_default();
        if let Some(v) = t.value(r) {
            found[i].insert(year, v);
        }
    }
    let year = ind.year.clone().unwrap_or_default();
    if year_dim.is_some() && ind.year.is_none() {
        return Err(AllocationError::Spec {
            key: format!("indicator {}: year", ind.name),
            found: "no year".into(),
            expected: format!("the year to use from {}", ind.table.display()),
        });
    }
    recips
        .iter()
        .enumerate()
        .map(|(i, r)| {
            if let Some(&v) = found[i].get(&year) {
                return Ok(IndicatorValue {
                    value: v,
                    year: year.clone(),
                    stand_in: false,
                });
            }
            if let Some(s) = &ind.stand_in_year
                && let Some(&v) = found[i].get(s)
            {
                return Ok(IndicatorValue {
                    value: v,
                    year: s.clone(),
                    stand_in: true,
                });
            }
            Err(AllocationError::Indicator {
                indicator: ind.name.clone(),
                recipient: format!("{} {}", r.code, r.name),
                found: format!(
                    "no value for {}{}",
                    if year.is_empty() {
                        "the recipient".to_string()
                    } else {
                        year.clone()
                    },
                    match &ind.stand_in_year {
                        Some(s) => format!(" nor for the stand-in year {s}"),
                        None => " and no stand_in_year".into(),
                    }
                ),
                expected: format!("a value in {}", ind.table.display()),
            })
        })
        .collect()
}
