//! The input contract between tables and the model: what can stop a run before any number is
//! projected, each problem with the file, the line and the value.
//!
//! [`super::run`] validates every input for its kind ([`crate::validate::check`], as `hwf validate`
//! does) and stops on errors with all findings at once ([`super::ModelError::Invalid`]). Then
//! [`super::inputs::Inputs::gather`] places every row of every input in the model's arrays, or
//! reports why it cannot ([`super::ModelError::Contract`] with every [`Problem`] of every input):
//!
//! - a code, label or age the model cannot place is an error naming the file, the line and the
//!   value, with the nearest official names; nothing is skipped silently. Rows that are totals of
//!   other rows (`tot`, `1+2`, `Riket`) and workforce ages above 74 are left out, and
//!   [`super::UsedInput::notes`] says how many and which;
//! - age bands (`20-24`, `65+`, `-29`) are recognised and refused ([`Problem::AgeBands`]): the
//!   model needs single years ([`age_bands`] is the one place where bands are detected);
//! - coverage: professions, counties, sexes, ages or years the run needs and an input lacks are
//!   listed, grouped ([`Problem::Coverage`]: "counties 01, 03–22 missing for SSK"), and so are
//!   cells without a row ([`Problem::AbsentCells`]);
//! - cells without a number (`..`, suppressed) are listed all at once, grouped
//!   ([`Problem::MissingCells`]), unless the input's entry says `missing = "impute"`
//!   ([`super::impute`] fills them from the table's totals first);
//! - with a `[scope]` ([`super::scope`]), the counties and health-care regions are the scope's:
//!   rows of others are left out (noted), and a county or region of the scope an input lacks is
//!   a [`Problem::Coverage`].

use std::fmt;

/// One reason an input cannot be used as it is.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Problem {
    /// A category the model cannot place.
    Unplaced {
        /// The input file.
        file: String,
        /// The first line (or key) where the category stands.
        place: String,
        /// The dimension.
        dimension: String,
        /// The category as written.
        value: String,
        /// What the model expected there.
        expected: String,
        /// The nearest official names, when the value is a near miss.
        nearest: Vec<String>,
    },
    /// Two categories of one dimension stand for the same code (`1` and `män`).
    Duplicate {
        /// The input file.
        file: String,
        /// The dimension.
        dimension: String,
        /// The two categories as written.
        categories: (String, String),
        /// The code both stand for.
        code: String,
    },
    /// Ages in bands where the model needs single years.
    AgeBands {
        /// The input file.
        file: String,
        /// The first line (or key) with a band.
        place: String,
        /// The dimension.
        dimension: String,
        /// The bands as written.
        bands: Vec<String>,
    },
    /// A dimension the model needs is absent.
    MissingDimension {
        /// The input file.
        file: String,
        /// What the dimension stands for (`County`, …).
        concept: String,
        /// The dimensions the table has.
        dimensions: Vec<String>,
    },
    /// Codes the run needs that the input lacks.
    Coverage {
        /// The input file.
        file: String,
        /// What is missing (`counties`, `ages`, `professions`, …).
        what: String,
        /// The missing codes, consecutive runs joined (`01, 03–22`).
        missing: Vec<String>,
        /// The professions (or programmes) they are missing for; empty when for all of them or
        /// the input has no professions.
        of: Vec<String>,
    },
    /// Cells of the table's cross-classification that have no row.
    AbsentCells {
        /// The input file.
        file: String,
        /// How many.
        cells: usize,
        /// The first few, as keys.
        examples: Vec<String>,
    },
    /// Cells the model uses that hold no number (`..`, suppressed).
    MissingCells {
        /// The input file.
        file: String,
        /// The scenario key when the file is a table that has no `missing = "impute"`: a profile
        /// that supplies a piece of the employed input (`inputs.employed.fte`, `.sectors`) or one
        /// of demand's service-area tables (`demand.service_use`, `demand.staffing`); `None` for
        /// an input.
        profile_key: Option<String>,
        /// How many.
        cells: usize,
        /// One line per group of cells (all but age and year the same), with the first line, the
        /// ages and the years.
        groups: Vec<String>,
    },
    /// A piece of the employed input the table lacks (FTE, the sector split) and no scenario key
    /// supplies.
    Unsupplied {
        /// The employed table.
        file: String,
        /// What is missing (`full-time equivalents (content FTE)`, `a sector dimension`).
        what: String,
        /// The scenario key that would supply it (`inputs.employed.fte`, `inputs.employed.sectors`).
        key: String,
    },
    /// Cells with employed persons for which the table a scenario key names gives no ratio (no
    /// employed persons there, not even at neighbouring ages).
    NoProfile {
        /// The table that supplies the ratios.
        file: String,
        /// The scenario key that names it.
        key: String,
        /// What the ratio is (`FTE per employed person`, `the sector split`).
        what: String,
        /// How many cells of the employed input lack a ratio.
        cells: usize,
        /// One entry per group (all but age the same): the codes and the ages.
        groups: Vec<String>,
    },
}

impl Problem {
    /// The input file the problem is in.
    pub fn file(&self) -> &str {
        match self {
            Problem::Unplaced { file, .. }
            | Problem::Duplicate { file, .. }
            | Problem::AgeBands { file, .. }
            | Problem::MissingDimension { file, .. }
            | Problem::Coverage { file, .. }
            | Problem::AbsentCells { file, .. }
            | Problem::MissingCells { file, .. }
            | Problem::Unsupplied { file, .. }
            | Problem::NoProfile { file, .. } => file,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Unplaced {
                file,
                place,
                dimension,
                value,
                expected,
                nearest,
            } => {
                let at = if place.is_empty() {
                    String::new()
                } else {
                    format!(":{place}")
                };
                write!(f, "{file}{at}: {dimension} {value:?} cannot be placed")?;
                if !nearest.is_empty() {
                    write!(f, " (nearest: {})", nearest.join(" or "))?;
                }
                write!(f, "; expected {expected}")
            }
            Problem::Duplicate {
                file,
                dimension,
                categories,
                code,
            } => write!(
                f,
                "{file}: {dimension} {:?} and {:?} both stand for {code}; expected each once",
                categories.0, categories.1
            ),
            Problem::AgeBands {
                file,
                place,
                dimension,
                bands,
            } => write!(
                f,
                "{file}:{place}: {dimension} has age bands ({}); the model needs single years of age (20–74 for the workforce, 0–100+ for the population), and ungrouping bands is not available yet",
                shorten(bands, 8)
            ),
            Problem::MissingDimension {
                file,
                concept,
                dimensions,
            } => write!(
                f,
                "{file}: no {concept} dimension among [{}]; the model needs one",
                dimensions.join(", ")
            ),
            Problem::Coverage {
                file,
                what,
                missing,
                of,
            } => {
                write!(f, "{file}: {what} {} missing", missing.join(", "))?;
                if !of.is_empty() {
                    write!(f, " for {}", shorten(of, 12))?;
                }
                match what.as_str() {
                    "counties" => write!(
                        f,
                        "; the run needs every county of its scope: the whole country, unless the scenario sets `[scope] counties = [\"23\"]` (a county or health-care region, code or name) to project part of the country"
                    ),
                    "health-care regions" => write!(
                        f,
                        "; a run with a [scope] needs the admissions of every health-care region that holds one of its counties"
                    ),
                    _ => write!(f, "; the run needs every one"),
                }
            }
            Problem::AbsentCells {
                file,
                cells,
                examples,
            } => write!(
                f,
                "{file}: {cells} cell(s) have no row, e.g. ({}); expected a row for every cell (write 0 where the count is zero)",
                examples.join("), (")
            ),
            Problem::MissingCells {
                file,
                profile_key,
                cells,
                groups,
            } => {
                match profile_key {
                    None => write!(
                        f,
                        "{file}: {cells} cell(s) the model uses hold no number (scenario key `missing = \"error\"`; `missing = \"impute\"` on the input's [inputs] entry fills them from the table's totals):"
                    )?,
                    Some(key) if key.starts_with("inputs.") => write!(
                        f,
                        "{file}: {cells} cell(s) of the profile `{key}` holds no number, and a profile is not imputed: give a table with numbers in these cells, or `{key} = \"embedded\"`:"
                    )?,
                    Some(key) => write!(
                        f,
                        "{file}: {cells} cell(s) of `{key}` hold no number, and the table is not imputed: give it numbers in these cells:"
                    )?,
                }
                for g in groups.iter().take(20) {
                    write!(f, "\n    {g}")?;
                }
                if groups.len() > 20 {
                    write!(f, "\n    … and {} more groups", groups.len() - 20)?;
                }
                Ok(())
            }
            Problem::Unsupplied { file, what, key } => write!(
                f,
                "{file}: the table has employed persons without {what}; the scenario key `{key}` supplies it: `{key} = \"embedded\"` (the embedded profile) or `{key} = {{ file = \"…\" }}` (a table; see \"Using your own data\" in the README)"
            ),
            Problem::NoProfile {
                file,
                key,
                what,
                cells,
                groups,
            } => {
                write!(
                    f,
                    "{file} (`{key}`): no {what} for {cells} cell(s) of the employed input that have employed persons (the table has no employed persons there, nor at ages up to 5 years apart):"
                )?;
                for g in groups.iter().take(20) {
                    write!(f, "\n    {g}")?;
                }
                if groups.len() > 20 {
                    write!(f, "\n    … and {} more groups", groups.len() - 20)?;
                }
                Ok(())
            }
        }
    }
}

fn shorten(v: &[String], n: usize) -> String {
    if v.len() <= n {
        v.join(", ")
    } else {
        format!("{}, … ({} in all)", v[..n].join(", "), v.len())
    }
}

/// Codes in list order, consecutive runs of the list joined with an en dash:
/// `["01", "03", "04", …, "22"]` of the county list → `["01", "03–22"]`.
pub fn runs(order: &[String], present: &[bool]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < order.len() {
        if !present[i] {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < order.len() && present[j + 1] {
            j += 1;
        }
        out.push(match j - i {
            0 => order[i].clone(),
            1 => format!("{}, {}", order[i], order[j]),
            _ => format!("{}–{}", order[i], order[j]),
        });
        i = j + 1;
    }
    out
}

/// The one place where age bands are detected: the categories of an age dimension that are bands
/// reaching below `top` (`20-24`, `-29`, or an open band such as `65+`), as written. `top` is the
/// first age the model does not hold apart: 75 for the workforce (older persons have left it),
/// 100 for the population (whose last class is `100+`). Count tables with bands are ungrouped
/// before they reach here (`model::run`, `src/model/ungroup.rs`); what is found here is a rate (care
/// use) in bands, or bands in a table given to the model another way.
pub fn age_bands(categories: &[crate::table::Category], top: u32) -> Vec<String> {
    use crate::codes::{Age, age};
    categories
        .iter()
        .filter(|c| match age(&c.code) {
            Some(Age::Band(a, _)) | Some(Age::OpenTop(a)) => a < top,
            _ => false,
        })
        .map(|c| c.code.clone())
        .collect()
}
