//! Checks a tidy table against the code lists and the rules of its kind, collecting every finding in
//! one pass.
//!
//! | check | severity |
//! |---|---|
//! | a code not in the code list (county, municipality, profession, sector, sex) | error |
//! | the same key on two rows | error |
//! | a negative count (persons, FTE) | error (warning when the unit is not a count) |
//! | a total that disagrees with the sum of its parts (PX `ELIMINATION` totals, `00 Riket` vs the counties, a county vs its municipalities, `1+2`/`tot` categories) beyond the rounding tolerance | error; warning for SCB population figures from reference year 2025 on, which SCB perturbs (cell-key method) |
//! | a specialist layer larger than its parent profession in the same cell | error |
//! | a year outside the accepted range, or not a year | error |
//! | an age that cannot be (negative, above 120, a band that runs backwards) | error |
//! | a dimension missing that the table's kind needs | error |
//! | what the reader noticed and assumed (a mislabelled code page, …) | warning |
//!
//! Published figures are never repaired: a finding describes the difference and leaves the table as
//! it is.

use crate::codes::{CodeLists, List, Lookup};
use crate::table::{Dimension, Elimination, KeyIndex, Role, Table};
use std::collections::HashMap;
use std::fmt;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The table cannot be used as it is; `hwf validate` exits non-zero.
    Error,
    /// Worth a look; the table can be used.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One finding: where, what was found, what was expected.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// A short stable name of the check (`unknown-code`, `duplicate-key`, …).
    pub check: &'static str,
    /// The file.
    pub file: String,
    /// The line, cell or key within the file (empty for the file as a whole).
    pub place: String,
    /// What was found.
    pub found: String,
    /// What was expected.
    pub expected: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            write!(f, "{}: ", self.file)?;
        } else {
            write!(f, "{}:{}: ", self.file, self.place)?;
        }
        write!(
            f,
            "{} [{}]: {}",
            self.severity.as_str(),
            self.check,
            self.found
        )?;
        if !self.expected.is_empty() {
            write!(f, "; expected {}", self.expected)?;
        }
        Ok(())
    }
}

/// What a dimension stands for, told from its id or label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Concept {
    /// Profession, or the programme that leads to it.
    Profession,
    /// County or national total (län, 2-digit codes; `00` = Sweden).
    County,
    /// Municipality (4-digit codes).
    Municipality,
    /// Health-care region.
    HealthcareRegion,
    /// Sector (regi / huvudman).
    Sector,
    /// Sex.
    Sex,
    /// Age.
    Age,
    /// Year or period.
    Year,
    /// Country of education of a licence.
    Origin,
    /// The table's contents (several measures).
    Contents,
    /// The principals' balance assessment.
    Assessment,
    /// Service area (verksamhetsområde: primary care, psychiatry, maternity care, …).
    Service,
    /// Specialty group of a specialist layer (specialitet: general practice, surgery, …).
    Specialty,
}

impl Concept {
    /// The concept of a dimension, by its id, its labels and its role.
    pub fn of(dim: &Dimension) -> Option<Concept> {
        let names = [Some(&dim.id), dim.label_sv.as_ref(), dim.label_en.as_ref()];
        for n in names.into_iter().flatten() {
            if let Ok(c) = Concept::try_from(n.as_str()) {
                return Some(c);
            }
        }
        match dim.role {
            Role::Time => Some(Concept::Year),
            Role::Metric => Some(Concept::Contents),
            _ => None,
        }
    }
}

impl TryFrom<&str> for Concept {
    type Error = String;

    /// Parses the names publishers give dimensions (`län`, `county`, `Region`, `kön`, `ålder`, …),
    /// and every column name hwf writes (`education_country`, `healthcare_region`, …), in any
    /// case, with `_`, `-` or blanks between words.
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        let l = s
            .trim()
            .to_lowercase()
            .replace(['_', '-'], " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        Ok(match l.as_str() {
            "profession" | "yrke" | "utbildning" | "programme" | "program" | "yrkesgrupp"
            | "legitimationsyrke" | "occupation" | "yrken" => Concept::Profession,
            "county" | "län" | "lan" | "region" => Concept::County,
            "municipality" | "kommun" => Concept::Municipality,
            "healthcare region" | "health care region" | "sjukvårdsregion" | "sjukvardsregion" => {
                Concept::HealthcareRegion
            }
            "sector" | "huvudman" | "regi" | "sektor" => Concept::Sector,
            "sex" | "kön" | "kon" | "gender" => Concept::Sex,
            "age" | "ålder" | "alder" | "åldersgrupp" | "age group" => Concept::Age,
            "year" | "år" | "ar" | "tid" | "time" | "period" => Concept::Year,
            "origin"
            | "utbildningsland"
            | "education country"
            | "country of education"
            | "utbildningsland (grupp)" => Concept::Origin,
            "contents" | "tabellinnehåll" | "contentscode" | "contents code" => Concept::Contents,
            "assessment" | "bedömning" | "bedomning" => Concept::Assessment,
            "service" | "service area" | "verksamhetsområde" | "verksamhetsomrade"
            | "verksamhet" | "vårdområde" => Concept::Service,
            // Specialist nurses' tables call it the direction (`inriktning`) of the degree.
            "specialty"
            | "speciality"
            | "specialty group"
            | "specialitet"
            | "specialiteter"
            | "specialitetsgrupp"
            | "specialisation"
            | "specialization"
            | "inriktning"
            | "specialistinriktning"
            | "specialisering" => Concept::Specialty,
            _ => return Err(format!("no known dimension is called {s:?}")),
        })
    }
}

/// The kinds of table hwf uses, each needing certain dimensions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TableKind {
    /// Licensed persons by profession, county, sex, age, year.
    Licensed,
    /// Employed persons and FTE by profession, county, sector, sex, age, year.
    Employed,
    /// Licences issued by profession, county, country of education, sex, age, year.
    LicencesIssued,
    /// Population by county, sex, age, year.
    Population,
    /// Programme admissions and graduates by programme, health-care region, year.
    Admissions,
    /// Care use per person by sector, sex, age.
    CareUse,
    /// Principals' balance assessments by year, county, profession, sector, assessment.
    Balance,
    /// Care use per person by service area, sex, age.
    ServiceUse,
    /// The staffing matrix: FTE by profession, sector and service area (and county).
    Staffing,
    /// Licences on Swedish education by profession, health-care region of education, county and
    /// year: where each region's graduates went.
    Destinations,
    /// Specialists by specialty group, county, sex, age and year (`supply.specialists`).
    Specialists,
    /// Specialist training (ST) starts by specialty group, health-care region and year
    /// (`supply.st_starts`).
    StStarts,
    /// Live births by county and year (history and projection; other dimensions, such as the
    /// mother's age or the child's sex, are summed or their total taken): what drives maternity
    /// care's demand (`demand.births`).
    Births,
    /// Any other table: only the generic checks.
    Other,
}

impl TableKind {
    /// The dimensions a table of this kind must have.
    pub fn required(self) -> &'static [Concept] {
        use Concept::*;
        match self {
            TableKind::Licensed => &[Profession, County, Sex, Age, Year],
            TableKind::Employed => &[Profession, County, Sector, Sex, Age, Year, Contents],
            TableKind::LicencesIssued => &[Profession, County, Origin, Sex, Age, Year],
            TableKind::Population => &[County, Sex, Age, Year],
            TableKind::Admissions => &[Profession, HealthcareRegion, Year],
            TableKind::CareUse => &[Sector, Sex, Age],
            TableKind::Balance => &[Year, County, Profession, Sector, Assessment],
            TableKind::ServiceUse => &[Service, Sex, Age],
            TableKind::Staffing => &[Profession, Sector, Service],
            TableKind::Destinations => &[Profession, HealthcareRegion, County, Year],
            TableKind::Specialists => &[Specialty, County, Sex, Age, Year],
            TableKind::StStarts => &[Specialty, HealthcareRegion, Year],
            TableKind::Births => &[County, Year],
            TableKind::Other => &[],
        }
    }

    /// Whether the values are counts of persons (or FTE), which cannot be negative.
    pub fn counts(self) -> bool {
        !matches!(
            self,
            TableKind::CareUse | TableKind::ServiceUse | TableKind::Other
        )
    }

    /// The name used on the command line and in manifests.
    pub fn as_str(self) -> &'static str {
        match self {
            TableKind::Licensed => "licensed",
            TableKind::Employed => "employed",
            TableKind::LicencesIssued => "licences_issued",
            TableKind::Population => "population",
            TableKind::Admissions => "admissions",
            TableKind::CareUse => "care_use",
            TableKind::Balance => "balance",
            TableKind::ServiceUse => "service_use",
            TableKind::Staffing => "staffing",
            TableKind::Destinations => "destinations",
            TableKind::Specialists => "specialists",
            TableKind::StStarts => "st_starts",
            TableKind::Births => "births",
            TableKind::Other => "other",
        }
    }

    /// All kinds.
    pub const ALL: [TableKind; 14] = [
        TableKind::Licensed,
        TableKind::Employed,
        TableKind::LicencesIssued,
        TableKind::Population,
        TableKind::Admissions,
        TableKind::CareUse,
        TableKind::Balance,
        TableKind::ServiceUse,
        TableKind::Staffing,
        TableKind::Destinations,
        TableKind::Specialists,
        TableKind::StStarts,
        TableKind::Births,
        TableKind::Other,
    ];

    /// The kind a file's stem suggests (`population_projection.px` → population), else `Other`.
    pub fn from_file_name(name: &str) -> TableKind {
        let stem = std::path::Path::new(name)
            .file_stem()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        TableKind::ALL
            .into_iter()
            .find(|k| *k != TableKind::Other && stem.starts_with(k.as_str()))
            .unwrap_or(TableKind::Other)
    }
}

impl TryFrom<&str> for TableKind {
    type Error = String;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        let l = s.trim().to_lowercase().replace('-', "_");
        TableKind::ALL
            .into_iter()
            .find(|k| k.as_str() == l)
            .ok_or_else(|| {
                format!(
                    "unknown table kind {s:?}; expected one of {}",
                    TableKind::ALL.map(|k| k.as_str()).join(", ")
                )
            })
    }
}

/// Settings of a validation run.
#[derive(Clone, Debug)]
pub struct Options {
    /// The table's kind (which dimensions it needs, whether values are counts).
    pub kind: TableKind,
    /// Accepted years, inclusive.
    pub years: (i32, i32),
    /// Relative tolerance for totals versus the sum of their parts, on top of the rounding tolerance
    /// (half a unit of the last decimal per part).
    pub total_tolerance: f64,
    /// Dimensions of the kind the caller supplies another way, so that a table without them is
    /// no error (an employed table of persons only: its FTE and sector split from scenario keys).
    pub supplied: Vec<Concept>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            kind: TableKind::Other,
            years: (1900, 2100),
            total_tolerance: 0.0,
            supplied: Vec::new(),
        }
    }
}

/// First reference year for which SCB perturbs population statistics with the cell-key method.
pub const CELL_KEY_FROM: i32 = 2025;

/// Checks a table; every finding, errors first.
pub fn check(t: &Table, opts: &Options) -> Vec<Finding> {
    let file = t.meta.origin.clone();
    let mut out = Vec::new();
    let mut push = |severity, check, place: String, found: String, expected: String| {
        out.push(Finding {
            severity,
            check,
            file: file.clone(),
            place,
            found,
            expected,
        })
    };
    for w in &t.meta.warnings {
        push(
            Severity::Warning,
            "reader",
            String::new(),
            w.clone(),
            String::new(),
        );
    }
    let concepts: Vec<Option<Concept>> = t.dims.iter().map(Concept::of).collect();
    for need in opts.kind.required() {
        if opts.supplied.contains(need) {
            continue;
        }
        let present = concepts.contains(&Some(*need))
            || (*need == Concept::County && concepts.contains(&Some(Concept::Municipality)));
        if !present {
            push(
                Severity::Error,
                "missing-dimension",
                String::new(),
                format!(
                    "no {need:?} dimension among [{}]",
                    t.dims
                        .iter()
                        .map(|d| d.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                format!("a {} table to have one", opts.kind.as_str()),
            );
        }
    }
    let first_row = first_rows(t);
    for (d, dim) in t.dims.iter().enumerate() {
        let Some(concept) = concepts[d] else { continue };
        for (k, cat) in dim.categories.iter().enumerate() {
            let place = first_row[d][k].map(|r| t.row_place(r)).unwrap_or_default();
            if let Some((found, expected)) = code_problem(concept, cat, opts) {
                push(
                    Severity::Error,
                    concept_check(concept),
                    place,
                    format!("{} {found}", dim.id),
                    expected,
                );
            }
        }
    }
    let index = KeyIndex::new(t);
    for &(a, b) in index.duplicates.iter().take(50) {
        push(
            Severity::Error,
            "duplicate-key",
            t.row_place(b),
            format!("the key ({}) again", t.key_text(b)),
            format!("each key once (first at {})", t.row_place(a)),
        );
    }
    if index.duplicates.len() > 50 {
        push(
            Severity::Error,
            "duplicate-key",
            String::new(),
            format!("{} more duplicated keys", index.duplicates.len() - 50),
            "each key once".into(),
        );
    }
    let count_like = opts.kind.counts() || unit_is_count(t);
    let mut negatives = 0;
    for r in 0..t.len() {
        if let Some(v) = t.value(r)
            && v < 0.0
        {
            negatives += 1;
            if negatives <= 50 {
                push(
                    if count_like {
                        Severity::Error
                    } else {
                        Severity::Warning
                    },
                    "negative",
                    t.row_place(r),
                    format!("the value {v} ({})", t.key_text(r)),
                    if count_like {
                        "a count of zero or more".into()
                    } else {
                        "a non-negative value (is this a change or a balance?)".into()
                    },
                );
            }
        }
    }
    totals(t, &concepts, opts, &index, &mut push);
    // Layers are subsets of their parent's stock; flows (licences issued, admissions) need not be.
    if matches!(opts.kind, TableKind::Licensed | TableKind::Employed) {
        layers(t, &concepts, &index, &mut push);
    }
    out.sort_by_key(|f| f.severity);
    out
}

fn concept_check(c: Concept) -> &'static str {
    match c {
        Concept::Year => "year",
        Concept::Age => "age",
        _ => "unknown-code",
    }
}

fn unit_is_count(t: &Table) -> bool {
    let u = t
        .meta
        .unit
        .iter()
        .chain(t.meta.measure.iter())
        .map(|s| s.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    [
        "antal",
        "persons",
        "personer",
        "number",
        "heltidsekvivalenter",
        "fte",
    ]
    .iter()
    .any(|w| u.contains(w))
}

/// The first row of each category of each dimension (for naming where a bad code stands).
fn first_rows(t: &Table) -> Vec<Vec<Option<usize>>> {
    let mut out: Vec<Vec<Option<usize>>> = t.dims.iter().map(|d| vec![None; d.len()]).collect();
    for (d, keys) in t.keys.iter().enumerate() {
        let mut left = t.dims[d].len();
        for (r, &k) in keys.iter().enumerate() {
            if left == 0 {
                break;
            }
            let slot = &mut out[d][k as usize];
            if slot.is_none() {
                *slot = Some(r);
                left -= 1;
            }
        }
    }
    out
}

/// Whether a category code is one of the total categories publishers use (see
/// [`crate::codes::is_total_label`]).
pub fn is_total_code(code: &str) -> bool {
    crate::codes::is_total_label(code)
}

/// The year of a period code (`2019`, `2019K1`, `2019M01`).
pub fn year_of(code: &str) -> Option<i32> {
    let digits: String = code.trim().chars().take(4).collect();
    if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let rest = &code.trim()[4..];
        let ok = rest.is_empty()
            || rest
                .trim_start_matches(['K', 'Q', 'M', 'H', 'k', 'q', 'm', 'h'])
                .bytes()
                .all(|b| b.is_ascii_digit());
        ok.then(|| digits.parse().ok()).flatten()
    } else {
        None
    }
}

/// An age code as a range of single years: `34` → 34..=34, `20-24` → 20..=24, `-29` → 0..=29,
/// `100+` → 100..=120 (see [`crate::codes::age`]); `None` for a total or no age.
pub fn age_range(code: &str) -> Option<(u32, u32)> {
    use crate::codes::Age;
    match crate::codes::age(code)? {
        Age::Single(a) => Some((a, a)),
        Age::OpenTop(a) => Some((a, 120)),
        Age::Band(a, b) => Some((a, b)),
        Age::Total => None,
    }
}

/// The code list a dimension of this concept is looked up in (`None` for years, ages, contents).
pub fn list_of(c: Concept) -> Option<List> {
    match c {
        Concept::Profession => Some(List::Professions),
        Concept::County => Some(List::Counties),
        Concept::Municipality => Some(List::Municipalities),
        Concept::HealthcareRegion => Some(List::HealthcareRegions),
        Concept::Sector => Some(List::Sectors),
        Concept::Sex => Some(List::Sexes),
        Concept::Origin => Some(List::Origins),
        Concept::Assessment => Some(List::Assessments),
        Concept::Service => Some(List::Services),
        Concept::Specialty => Some(List::Specialties),
        Concept::Age | Concept::Year | Concept::Contents => None,
    }
}

/// The code a category of a dimension of this concept stands for: its code, else its Swedish or
/// English label, looked up in the concept's list (a code that is no spelling is tried as the
/// label's prefix, `0114 Upplands Väsby`). County dimensions also take municipalities and the
/// other way round (a `region` column may hold either).
pub fn resolve(concept: Concept, cat: &crate::table::Category) -> Lookup {
    let Some(list) = list_of(concept) else {
        return Lookup::Code(cat.code.clone());
    };
    let codes = CodeLists::get();
    let lists: Vec<List> = match list {
        List::Counties => vec![List::Counties, List::Municipalities],
        List::Municipalities => vec![List::Municipalities, List::Counties],
        l => vec![l],
    };
    let mut nearest: Vec<String> = Vec::new();
    for text in cat.texts() {
        for l in &lists {
            match codes.lookup(*l, text) {
                Lookup::Unknown { nearest: n } => {
                    if nearest.is_empty() {
                        nearest = n;
                    }
                }
                found => return found,
            }
        }
    }
    Lookup::Unknown { nearest }
}

/// What is wrong with a code of a dimension of this concept, as (found, expected).
fn code_problem(
    concept: Concept,
    cat: &crate::table::Category,
    opts: &Options,
) -> Option<(String, String)> {
    let c = cat.code.trim();
    if let Some(list) = list_of(concept) {
        // A municipality code of earlier years (Heby, 1917 until 2006) is a real code.
        if matches!(list, List::Counties | List::Municipalities)
            && c.split_whitespace()
                .next()
                .is_some_and(|code| CodeLists::get().former_municipality(code).is_some())
        {
            return None;
        }
        return match resolve(concept, cat) {
            Lookup::Code(_) | Lookup::Total => None,
            Lookup::Unknown { nearest } => {
                let hint = if concept == Concept::County && matches!(c, "02" | "11" | "15" | "16") {
                    " (a county code abolished in 1997–98)".to_string()
                } else if nearest.is_empty() {
                    String::new()
                } else {
                    format!(" (nearest: {})", nearest.join(" or "))
                };
                Some((format!("the code {c:?}{hint}"), list.expected().to_string()))
            }
        };
    }
    match concept {
        Concept::Age => {
            // A code that is no age may carry it in its label: SCB's aggregated age groups have
            // codes such as `100+10` for the label `100+ år`.
            let labels = [cat.label_sv.as_deref(), cat.label_en.as_deref()];
            let label_age = labels
                .into_iter()
                .flatten()
                .any(|l| is_total_code(l) || age_range(l).is_some());
            if is_total_code(c) || age_range(c).is_some() || label_age {
                None
            } else {
                Some((
                    format!("the impossible age {c:?}"),
                    "an age 0–120 in whole years, a band like 20-24 or 65+, or a total".into(),
                ))
            }
        }
        Concept::Year => match year_of(c) {
            Some(y) if y >= opts.years.0 && y <= opts.years.1 => None,
            Some(y) => Some((
                format!("the year {y}"),
                format!("a year from {} to {}", opts.years.0, opts.years.1),
            )),
            None => Some((
                format!("the period {c:?}"),
                "a year (2019) or a period (2019K1, 2019M01)".into(),
            )),
        },
        _ => None,
    }
}

/// For each dimension with total categories: total code index → the part indices it sums.
fn total_parts(t: &Table, d: usize, concept: Option<Concept>) -> Vec<(usize, Vec<usize>)> {
    let dim = &t.dims[d];
    let cats = &dim.categories;
    let mut out = Vec::new();
    let eliminated = match dim.elimination {
        Some(Elimination::Total(ti)) => Some(ti),
        _ => None,
    };
    match concept {
        // Geography nests (Sweden > counties > municipalities): a total is checked against its
        // own level below, and only when that level is complete in the table.
        Some(Concept::County) | Some(Concept::Municipality) => {
            let lists = CodeLists::get();
            let national = eliminated.or_else(|| {
                cats.iter()
                    .position(|c| c.code == "00" || is_total_code(&c.code))
            });
            if let Some(ti) = national {
                let parts: Vec<usize> = (0..cats.len())
                    .filter(|&k| k != ti && lists.county(&cats[k].code).is_some())
                    .collect();
                if parts.len() == lists.counties.len() {
                    out.push((ti, parts));
                }
            }
            for (ci, c) in cats.iter().enumerate() {
                if lists.county(&c.code).is_none() {
                    continue;
                }
                // Today's municipalities of the county and those of earlier years that belonged
                // to it (Heby, 1917, in Västmanland until 2006): complete when all of today's
                // are there.
                let today = |k: usize| {
                    lists
                        .municipality(&cats[k].code)
                        .is_some_and(|m| m.county == c.code)
                };
                let former = |k: usize| {
                    lists
                        .former_municipality(&cats[k].code)
                        .is_some_and(|m| m.county == c.code)
                };
                let parts: Vec<usize> =
                    (0..cats.len()).filter(|&k| today(k) || former(k)).collect();
                let expected = lists
                    .municipalities
                    .iter()
                    .filter(|m| m.county == c.code)
                    .count();
                if (0..cats.len()).filter(|&k| today(k)).count() == expected && expected > 0 {
                    out.push((ci, parts));
                }
            }
        }
        _ => {
            let total = eliminated.or_else(|| match concept {
                Some(Concept::Sex)
                | Some(Concept::Age)
                | Some(Concept::Sector)
                | Some(Concept::Profession) => cats.iter().position(|c| is_total_code(&c.code)),
                _ => None,
            });
            if let Some(ti) = total {
                let parts: Vec<usize> = (0..cats.len())
                    .filter(|&k| k != ti)
                    .filter(|&k| {
                        // Professions: layers are subsets, not parts. Ages: only single years.
                        let code = &cats[k].code;
                        match concept {
                            Some(Concept::Profession) => CodeLists::get()
                                .profession(code)
                                .is_none_or(|p| p.layer_of.is_none()),
                            Some(Concept::Age) => age_range(code).is_some_and(|(a, b)| a == b),
                            _ => true,
                        }
                    })
                    .collect();
                if parts.len() > 1 {
                    out.push((ti, parts));
                }
            }
        }
    }
    out
}

type Push<'a> = dyn FnMut(Severity, &'static str, String, String, String) + 'a;

fn totals(
    t: &Table,
    concepts: &[Option<Concept>],
    opts: &Options,
    index: &KeyIndex,
    push: &mut Push<'_>,
) {
    // Figures shown with decimals may each be off by half a unit of the last one; whole counts are exact.
    let step = match t.meta.decimals {
        Some(d) if d > 0 => 10f64.powi(-(d as i32)),
        _ => 0.0,
    };
    let year_dim = concepts.iter().position(|c| *c == Some(Concept::Year));
    let scb_population = opts.kind == TableKind::Population
        || t.meta
            .source
            .as_deref()
            .is_some_and(|s| s.contains("SCB") || s.contains("Statistiska centralbyrån"));
    let mut reported = 0;
    for d in 0..t.dims.len() {
        for (ti, parts) in total_parts(t, d, concepts[d]) {
            for r in 0..t.len() {
                if t.keys[d][r] as usize != ti {
                    continue;
                }
                let Some(total) = t.value(r) else { continue };
                let mut key: Vec<u32> = (0..t.dims.len()).map(|x| t.keys[x][r]).collect();
                let mut sum = 0.0;
                let mut complete = true;
                for &p in &parts {
                    key[d] = p as u32;
                    match index.get(&key).and_then(|pr| t.value(pr)) {
                        Some(v) => sum += v,
                        None => {
                            complete = false;
                            break;
                        }
                    }
                }
                if !complete {
                    continue;
                }
                let tol = 0.5 * step * parts.len() as f64 + opts.total_tolerance * total.abs();
                if (sum - total).abs() <= tol + 1e-9 {
                    continue;
                }
                reported += 1;
                if reported > 50 {
                    continue;
                }
                let year = year_dim.and_then(|y| year_of(t.code(y, r)));
                let perturbed = scb_population && year.is_some_and(|y| y >= CELL_KEY_FROM);
                let dim = &t.dims[d];
                push(
                    if perturbed {
                        Severity::Warning
                    } else {
                        Severity::Error
                    },
                    "total",
                    t.row_place(r),
                    format!(
                        "{} {} = {} but its {} parts sum to {} (difference {}){}",
                        dim.id,
                        dim.categories[ti].code,
                        total,
                        parts.len(),
                        sum,
                        sum - total,
                        if perturbed {
                            "; SCB perturbs population statistics from reference year 2025 (cell-key method), so parts need not add up; the published figures are kept as they are"
                        } else {
                            ""
                        }
                    ),
                    format!(
                        "a difference of at most {tol} (rounding of the shown decimals; --total-tolerance adds a relative margin)"
                    ),
                );
            }
        }
    }
}

fn layers(t: &Table, concepts: &[Option<Concept>], index: &KeyIndex, push: &mut Push<'_>) {
    let Some(d) = concepts
        .iter()
        .position(|c| *c == Some(Concept::Profession))
    else {
        return;
    };
    let codes = CodeLists::get();
    let dim = &t.dims[d];
    let parent_of: HashMap<usize, usize> = dim
        .categories
        .iter()
        .enumerate()
        .filter_map(|(k, c)| {
            let parent = codes.profession(&c.code)?.layer_of.as_ref()?;
            Some((k, dim.position(parent)?))
        })
        .collect();
    if parent_of.is_empty() {
        return;
    }
    let mut reported = 0;
    for r in 0..t.len() {
        let Some(&p) = parent_of.get(&(t.keys[d][r] as usize)) else {
            continue;
        };
        let Some(v) = t.value(r) else { continue };
        let mut key: Vec<u32> = (0..t.dims.len()).map(|x| t.keys[x][r]).collect();
        key[d] = p as u32;
        if let Some(pv) = index.get(&key).and_then(|pr| t.value(pr))
            && v > pv + 1e-9
        {
            reported += 1;
            if reported <= 50 {
                push(
                    Severity::Error,
                    "layer",
                    t.row_place(r),
                    format!(
                        "{} = {v} but {} = {pv} in the same cell ({})",
                        dim.categories[t.keys[d][r] as usize].code,
                        dim.categories[p].code,
                        t.key_text(r)
                    ),
                    "a specialist layer no larger than the profession it belongs to".into(),
                );
            }
        }
    }
}

/// The findings of one run over several tables (`hwf validate`).
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// How many tables were checked (read or not).
    pub files: usize,
    /// Every finding, table by table.
    pub findings: Vec<Finding>,
}

/// Checks each table with `base`'s options, as the kind `kind` or, without one, the kind its name
/// tells ([`TableKind::from_file_name`]). A table that could not be read is one `read` error per
/// line of its message, so that a file with several read errors lists them all.
pub fn check_all(
    tables: Vec<crate::ingest::Named>,
    kind: Option<TableKind>,
    base: &Options,
) -> Report {
    let mut report = Report::default();
    for (name, result) in tables {
        report.files += 1;
        match result {
            Ok(t) => {
                let opts = Options {
                    kind: kind.unwrap_or_else(|| TableKind::from_file_name(&name)),
                    ..base.clone()
                };
                report.findings.extend(check(&t, &opts));
            }
            Err(e) => report
                .findings
                .extend(e.to_string().lines().map(|line| Finding {
                    severity: Severity::Error,
                    check: "read",
                    file: name.clone(),
                    place: String::new(),
                    found: line.to_string(),
                    expected: "a readable table".into(),
                })),
        }
    }
    report
}

impl Report {
    /// The number of errors.
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }

    /// The number of warnings.
    pub fn warnings(&self) -> usize {
        self.findings.len() - self.errors()
    }

    /// For people: the errors, then the warnings, one a line, and a count of both.
    pub fn text(&self) -> String {
        use fmt::Write as _;
        let (errors, warnings) = (self.errors(), self.warnings());
        let mut s = String::new();
        for (n, head, severity) in [
            (errors, "Errors:", Severity::Error),
            (warnings, "Warnings:", Severity::Warning),
        ] {
            if n > 0 {
                let _ = writeln!(s, "{head}");
                for f in self.findings.iter().filter(|f| f.severity == severity) {
                    let _ = writeln!(s, "  {f}");
                }
            }
        }
        let _ = writeln!(
            s,
            "{} file(s) checked: {errors} error(s), {warnings} warning(s)",
            self.files
        );
        s
    }

    /// For scripts: the counts and every finding with its fields.
    pub fn json(&self) -> serde_json::Value {
        let list: Vec<_> = self
            .findings
            .iter()
            .map(|f| {
                serde_json::json!({"severity": f.severity.as_str(), "check": f.check,
                    "file": f.file, "place": f.place, "found": f.found, "expected": f.expected})
            })
            .collect();
        serde_json::json!({"files": self.files, "errors": self.errors(),
            "warnings": self.warnings(), "findings": list})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Category, Status, TableMeta};

    #[test]
    fn a_report_lists_errors_then_warnings_and_counts_unreadable_tables() {
        let unreadable = crate::ingest::IngestError::Io {
            path: "gone.csv".into(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        };
        let r = check_all(
            vec![("gone.csv".into(), Err(unreadable))],
            None,
            &Options::default(),
        );
        assert_eq!((r.files, r.errors(), r.warnings()), (1, 1, 0));
        let text = r.text();
        assert!(text.starts_with("Errors:\n  "), "{text}");
        assert!(
            text.ends_with("1 file(s) checked: 1 error(s), 0 warning(s)\n"),
            "{text}"
        );
        assert_eq!(r.json()["findings"][0]["check"], "read");
        assert_eq!(
            Report::default().text(),
            "0 file(s) checked: 0 error(s), 0 warning(s)\n"
        );
    }

    fn table(dims: Vec<Dimension>, rows: &[(&[u32], f64)]) -> Table {
        let mut t = Table::new(
            TableMeta {
                origin: "t.csv".into(),
                ..Default::default()
            },
            dims,
        );
        for (k, v) in rows {
            t.push(k, *v, Status::Observed, 0);
        }
        t
    }

    #[test]
    fn all_findings_in_one_pass() {
        let county = Dimension::from_codes("län", ["00", "01", "02", "03"]);
        // (The 00-vs-counties total is checked in its own test: it needs all 21 counties.)
        let year = Dimension::from_codes("år", ["2020", "1850"]);
        let t = table(
            vec![county, year],
            &[
                (&[0, 0], 10.0),
                (&[1, 0], 4.0),
                (&[2, 0], 3.0),
                (&[3, 0], 2.0),
                (&[3, 0], 2.0),
                (&[1, 1], -1.0),
            ],
        );
        let f = check(
            &t,
            &Options {
                kind: TableKind::Population,
                ..Default::default()
            },
        );
        let checks: Vec<&str> = f.iter().map(|x| x.check).collect();
        for c in [
            "unknown-code",
            "year",
            "duplicate-key",
            "negative",
            "missing-dimension",
        ] {
            assert!(checks.contains(&c), "{c} missing from {checks:?}");
        }
        assert!(
            f.iter().all(|x| x.check != "total"),
            "an incomplete set of counties is no sum"
        );
        let unknown = f.iter().find(|x| x.check == "unknown-code").unwrap();
        assert!(unknown.to_string().contains("abolished"), "{unknown}");
    }

    #[test]
    fn sweden_is_the_sum_of_all_21_counties() {
        let mut codes = vec!["00".to_string()];
        codes.extend(CodeLists::get().counties.iter().map(|c| c.code.clone()));
        let t = {
            let mut rows: Vec<(Vec<u32>, f64)> = vec![(vec![0], 211.0)];
            rows.extend((1..=21).map(|k| (vec![k as u32], 10.0)));
            let mut t = Table::new(
                TableMeta {
                    origin: "t.csv".into(),
                    ..Default::default()
                },
                vec![Dimension::from_codes("län", codes)],
            );
            for (k, v) in rows {
                t.push(&k, v, Status::Observed, 0);
            }
            t
        };
        let f = check(&t, &Options::default());
        let total: Vec<&Finding> = f.iter().filter(|x| x.check == "total").collect();
        assert_eq!(total.len(), 1);
        assert!(
            total[0]
                .found
                .contains("län 00 = 211 but its 21 parts sum to 210"),
            "{}",
            total[0]
        );
    }

    #[test]
    fn perturbed_years_warn_instead_of_failing() {
        let sex = Dimension::from_codes("kön", ["1", "2", "1+2"]);
        let year = Dimension::from_codes("år", ["2024", "2025"]);
        let t = table(
            vec![sex, year],
            &[
                (&[0, 0], 5.0),
                (&[1, 0], 5.0),
                (&[2, 0], 11.0),
                (&[0, 1], 5.0),
                (&[1, 1], 5.0),
                (&[2, 1], 11.0),
            ],
        );
        let f = check(
            &t,
            &Options {
                kind: TableKind::Population,
                ..Default::default()
            },
        );
        let totals: Vec<&Finding> = f.iter().filter(|x| x.check == "total").collect();
        assert_eq!(totals.len(), 2);
        assert_eq!(totals[0].severity, Severity::Error);
        assert!(totals[1].found.contains("cell-key"));
        assert_eq!(totals[1].severity, Severity::Warning);
        // A relative tolerance of 10 % accepts both.
        let f = check(
            &t,
            &Options {
                kind: TableKind::Population,
                total_tolerance: 0.1,
                ..Default::default()
            },
        );
        assert!(f.iter().all(|x| x.check != "total"));
    }

    #[test]
    fn ages_and_years() {
        assert_eq!(age_range("34"), Some((34, 34)));
        assert_eq!(age_range("20-24"), Some((20, 24)));
        assert_eq!(age_range("100+"), Some((100, 120)));
        assert_eq!(age_range("90+ år"), Some((90, 120)));
        assert_eq!(age_range("24-20"), None);
        assert_eq!(age_range("130"), None);
        // `-29` is how the statistical database writes "up to 29": a band from 0.
        assert_eq!(age_range("-3"), Some((0, 3)));
        assert_eq!(age_range("-x"), None);
        assert_eq!(year_of("2019K1"), Some(2019));
        assert_eq!(year_of("2019M01"), Some(2019));
        assert_eq!(year_of("20x9"), None);
    }

    #[test]
    fn scb_api_codes_read_through_their_labels() {
        // SCB's PxWebApi 2 with the aggregation agg_Ålder10årJ: `100+10` labelled `100+ år`,
        // `TotSa` for both sexes, `TotSA` for all ages (pxwebpy's recording of TAB6471).
        let cat = |code: &str, label: Option<&str>| crate::table::Category {
            label_sv: label.map(str::to_string),
            ..crate::table::Category::code(code)
        };
        let opts = Options::default();
        assert_eq!(
            code_problem(Concept::Age, &cat("100+10", Some("100+ år")), &opts),
            None
        );
        assert!(code_problem(Concept::Age, &cat("100+10", None), &opts).is_some());
        assert_eq!(
            code_problem(
                Concept::Age,
                &cat("TotSA", Some("totalt, samtliga åldrar")),
                &opts
            ),
            None
        );
        assert!(is_total_code("TotSa"));
        assert!(is_total_code("totalt, samtliga män och kvinnor"));
        assert!(!is_total_code("totaltid"));
    }

    #[test]
    fn layers_may_not_exceed_their_parent() {
        let mut p = Dimension::from_codes("yrke", ["LAK", "SPL"]);
        p.categories[1] = Category::code("SPL");
        let t = table(vec![p], &[(&[0], 10.0), (&[1], 11.0)]);
        let stock = Options {
            kind: TableKind::Licensed,
            ..Default::default()
        };
        let f = check(&t, &stock);
        assert_eq!(f.iter().filter(|x| x.check == "layer").count(), 1);
        // A flow table (say, specialist certificates issued) may exceed its parent's flow.
        let f = check(&t, &Options::default());
        assert_eq!(f.iter().filter(|x| x.check == "layer").count(), 0);
    }

    #[test]
    fn kinds_parse_from_every_spelling() {
        for k in TableKind::ALL {
            assert_eq!(TableKind::try_from(k.as_str()), Ok(k));
        }
        assert_eq!(
            TableKind::try_from("Licences-Issued"),
            Ok(TableKind::LicencesIssued)
        );
        assert!(TableKind::try_from("nonsense").is_err());
        assert_eq!(
            TableKind::from_file_name("data/population_projection.px"),
            TableKind::Population
        );
        assert_eq!(Concept::try_from("Län"), Ok(Concept::County));
    }
}
