//! Levers: what a scenario changes in what the history gives, for the questions planners ask of a
//! workforce projection: more places on one programme in one health-care region, more or fewer
//! licences from abroad for one profession, people working longer, a rate the analyst knows
//! better than the register's recent years.
//!
//! Every lever is off by default, is a key of `[supply]` (so `hwf scenario show` gives its file),
//! and is described in the report's method text when a run uses it:
//!
//! - `admissions = { SSK = { "*" = 0.1 }, LAK = { N = 0.2 } }`: the relative change of admissions
//!   after the base year by programme and health-care region ([`admissions_change`]);
//! - `foreign = { SSK = { eu = 1.2, tc = 0.8 } }`: multipliers on licences issued on foreign
//!   education by profession and origin ([`foreign_factor`]);
//! - `retirement_shift = { "*" = 2 }`: the employment profile from age [`RETIREMENT_FROM`] on moved
//!   by that many years in the projection years ([`shift_profile`]);
//! - `rates = { file = "rates.csv" }`: estimated rates replaced from a table ([`read_overrides`],
//!   [`override_rates`]).
//!
//! A lever changes a point estimate; the Monte Carlo keeps each rate's relative uncertainty around
//! the new value (exit and completion rates are drawn as the point times a Beta variate with mean
//! 1), so a lever moves the bands with the projection.

use super::ModelError;
use super::inputs::{AGE_MAX, AGE_MIN, NA};
use super::scenario::Supply;
use crate::codes::{Age, CodeLists, List, Lookup};

/// The first age (in years) whose employment profile a retirement shift moves: the ages from
/// which employment falls off toward retirement in the register.
pub const RETIREMENT_FROM: u32 = 60;

/// The largest retirement shift a scenario may ask for, in years either way.
pub const MAX_SHIFT: f64 = 10.0;

/// The relative change of admissions after the base year for programme `code` in health-care
/// region `region` (0.1 = +10 %).
///
/// The most specific entry of `supply.admissions` wins: programme and region, the programme's
/// `"*"`, `"*"`'s region, `"*"`'s `"*"`; without any, `supply.admissions_change`.
pub fn admissions_change(s: &Supply, code: &str, region: &str) -> f64 {
    let at = |p: &str, r: &str| s.admissions.get(p).and_then(|m| m.get(r)).copied();
    at(code, region)
        .or_else(|| at(code, "*"))
        .or_else(|| at("*", region))
        .or_else(|| at("*", "*"))
        .unwrap_or(s.admissions_change)
}

/// The multiplier on licences issued on foreign education of origin `origin` (0: EU/EEA, 1: third
/// country) for profession `code`: `supply.foreign`'s entry for the profession, then for `"*"`,
/// then `supply.foreign_eu_factor` / `supply.foreign_tc_factor`.
pub fn foreign_factor(s: &Supply, code: &str, origin: usize) -> f64 {
    let pick = |p: &str| {
        s.foreign
            .get(p)
            .and_then(|f| if origin == 0 { f.eu } else { f.tc })
    };
    pick(code).or_else(|| pick("*")).unwrap_or(if origin == 0 {
        s.foreign_eu_factor
    } else {
        s.foreign_tc_factor
    })
}

/// The retirement shift in years for profession `code` (its own entry, then `"*"`; 0 without).
pub fn retirement_shift(s: &Supply, code: &str) -> f64 {
    s.retirement_shift
        .get(code)
        .or_else(|| s.retirement_shift.get("*"))
        .copied()
        .unwrap_or(0.0)
}

/// A profile `[…][age]` (rows of [`NA`] single years from [`AGE_MIN`]) with the ages from
/// [`RETIREMENT_FROM`] on moved `years` older.
///
/// # Formula
///
/// For ages `a ≥ a₀` (`a₀` = [`RETIREMENT_FROM`]): `v'(a) = v(x)` with `x = min(max(a − years, a₀),
/// 74)`, linear between whole ages. With `years = 2` the 62-year-olds take today's 60-year-olds'
/// value and the ages 60–61 keep the value at 60; with `years = −2` the 60-year-olds take today's
/// 62-year-olds' value and the last ages the value at 74. Younger ages are unchanged. Every value
/// is a mix of two of the profile's own values, so no share rises above the profile's largest.
pub fn shift_profile(profile: &[f64], years: f64) -> Vec<f64> {
    let a0 = (RETIREMENT_FROM - AGE_MIN) as usize;
    let last = NA - 1;
    let mut out = profile.to_vec();
    if years == 0.0 {
        return out;
    }
    for (row, new) in profile.chunks_exact(NA).zip(out.chunks_exact_mut(NA)) {
        for (a, v) in new.iter_mut().enumerate().skip(a0) {
            let x = (a as f64 - years).clamp(a0 as f64, last as f64);
            let lo = x.floor() as usize;
            let f = x - lo as f64;
            let hi = (lo + 1).min(last);
            *v = if f == 0.0 {
                row[lo]
            } else {
                row[lo] * (1.0 - f) + row[hi] * f
            };
        }
    }
    out
}

/// Checks the levers of `[supply]`: codes the code lists know (or `"*"`), values in range.
///
/// # Errors
///
/// `(key, message)`: the dotted key at fault and what was expected.
pub fn check(s: &Supply) -> Result<(), (String, String)> {
    let lists = CodeLists::get();
    let profession = |key: &str, p: &str| -> Result<(), (String, String)> {
        if p == "*" || lists.profession(p).is_some() {
            Ok(())
        } else {
            Err((
                key.to_string(),
                format!(
                    "{p:?} is not a profession code; expected a code of the code list (see `hwf codes professions`) or \"*\" for all"
                ),
            ))
        }
    };
    for (p, by) in &s.admissions {
        profession(&format!("supply.admissions.{p}"), p)?;
        for (r, v) in by {
            let key = format!("supply.admissions.{p}.{r}");
            if r != "*" && !lists.healthcare_regions.iter().any(|x| x.code == *r) {
                return Err((
                    key,
                    format!(
                        "{r:?} is not a health-care region code; expected one of {} or \"*\" for all",
                        lists
                            .healthcare_regions
                            .iter()
                            .map(|x| format!("{} ({})", x.code, x.name_sv))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            if !(-1.0..=10.0).contains(v) {
                return Err((
                    key,
                    format!("{v}; expected a relative change from −1 (no admissions) to 10"),
                ));
            }
        }
    }
    for (p, f) in &s.foreign {
        profession(&format!("supply.foreign.{p}"), p)?;
        for (o, v) in [("eu", f.eu), ("tc", f.tc)] {
            if let Some(v) = v
                && !(0.0..=10.0).contains(&v)
            {
                return Err((
                    format!("supply.foreign.{p}.{o}"),
                    format!("{v}; expected a multiplier from 0 to 10"),
                ));
            }
        }
    }
    for (p, v) in &s.retirement_shift {
        let key = format!("supply.retirement_shift.{p}");
        profession(&key, p)?;
        if !(-MAX_SHIFT..=MAX_SHIFT).contains(v) {
            return Err((
                key,
                format!("{v}; expected a shift of −{MAX_SHIFT} to {MAX_SHIFT} years"),
            ));
        }
    }
    if let Some(r) = &s.rates
        && r.file.trim().is_empty()
    {
        return Err((
            "supply.rates.file".into(),
            "empty; expected the path of a table of rates (see the README, \"Levers\")".into(),
        ));
    }
    Ok(())
}

/// An estimated rate a table may replace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parameter {
    /// Exit rate from the licence stock by sex and age (`exit_rate`).
    ExitRate,
    /// Employment share by sector, sex and age (`employment_share`).
    EmploymentShare,
    /// FTE per employed person by sector, sex and age (`fte_per_employed`).
    FtePerEmployed,
    /// Completion rate of a programme by health-care region (`completion_rate`).
    CompletionRate,
    /// Share of graduates licensed (`licensed_share`).
    LicensedShare,
}

impl Parameter {
    const ALL: [Parameter; 5] = [
        Parameter::ExitRate,
        Parameter::EmploymentShare,
        Parameter::FtePerEmployed,
        Parameter::CompletionRate,
        Parameter::LicensedShare,
    ];

    /// The name in a table (as `parameters.csv` names its columns).
    pub fn name(self) -> &'static str {
        match self {
            Parameter::ExitRate => "exit_rate",
            Parameter::EmploymentShare => "employment_share",
            Parameter::FtePerEmployed => "fte_per_employed",
            Parameter::CompletionRate => "completion_rate",
            Parameter::LicensedShare => "licensed_share",
        }
    }

    /// The key columns the parameter varies by (besides the profession).
    fn keys(self) -> &'static [Column] {
        match self {
            Parameter::ExitRate => &[Column::Sex, Column::Age],
            Parameter::EmploymentShare | Parameter::FtePerEmployed => {
                &[Column::Sex, Column::Age, Column::Sector]
            }
            Parameter::CompletionRate => &[Column::Region],
            Parameter::LicensedShare => &[],
        }
    }

    /// The values the parameter may take.
    fn range(self) -> (f64, f64) {
        match self {
            Parameter::ExitRate | Parameter::EmploymentShare => (0.0, 1.0),
            Parameter::FtePerEmployed | Parameter::CompletionRate | Parameter::LicensedShare => {
                (0.0, 2.0)
            }
        }
    }
}

/// The columns of a table of rates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Parameter,
    Profession,
    Sex,
    Age,
    Sector,
    Region,
    Value,
}

impl Column {
    const ALL: [Column; 7] = [
        Column::Parameter,
        Column::Profession,
        Column::Sex,
        Column::Age,
        Column::Sector,
        Column::Region,
        Column::Value,
    ];

    /// The header names accepted, English first.
    fn names(self) -> &'static [&'static str] {
        match self {
            Column::Parameter => &["parameter"],
            Column::Profession => &["profession", "yrke"],
            Column::Sex => &["sex", "kön"],
            Column::Age => &["age", "ålder"],
            Column::Sector => &["sector", "regi"],
            Column::Region => &["healthcare_region", "region", "sjukvårdsregion"],
            Column::Value => &["value", "värde"],
        }
    }
}

/// One row of a table of rates: the value that replaces the estimate in every cell the row's keys
/// select (`None`: every code of that key).
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// The table's line (1 = the header).
    pub line: usize,
    /// The rate replaced.
    pub parameter: Parameter,
    /// Profession code (`None`: every profession that has the rate).
    pub profession: Option<String>,
    /// Sex index into [`super::inputs::SEXES`].
    pub sex: Option<usize>,
    /// Ages as indices from [`AGE_MIN`], first and last.
    pub ages: Option<(usize, usize)>,
    /// Sector code.
    pub sector: Option<String>,
    /// Health-care region code.
    pub region: Option<String>,
    /// The value.
    pub value: f64,
}

/// A table of rates a scenario names in `supply.rates`, read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    /// The file, as messages name it.
    pub file: String,
    /// The rows, in the table's order.
    pub rows: Vec<Override>,
}

/// Reads a table of rates: a CSV (`,` or `;`, UTF-8) with the columns `parameter`, `profession`
/// and `value`, and, where the parameter varies by them, `sex`, `age`, `sector` and
/// `healthcare_region` (Swedish headers `yrke`, `kön`, `ålder`, `regi`, `sjukvårdsregion`, `värde`
/// too).
///
/// - `parameter`: `exit_rate` (by sex and age), `employment_share` and `fte_per_employed` (by
///   sector, sex and age), `completion_rate` (by health-care region), `licensed_share`.
/// - Codes or names as the code lists know them (`SSK`, `Sjuksköterskor`; `2`, `kvinnor`; `K`,
///   `Kommunal regi`; `N`, `Norra`); an empty cell, `*` or a total (`totalt`) selects every code.
/// - `age`: a single year, a band `60-64` or `65+` within 20–74.
/// - `value`: a decimal number (`0.05` or `0,05`).
///
/// A key the parameter does not vary by must be empty (an exit rate has no sector).
///
/// # Errors
///
/// [`ModelError::Input`] naming the file, the line and column, what was found and what was
/// expected: an unknown or missing column, an unknown parameter or code, an age outside 20–74 or
/// only the last age for an exit rate (everyone leaves after 74: the rate is 1 by definition), a
/// value that is not a number or outside its range. Several problems are listed at once.
pub fn read_overrides(file: &str, bytes: &[u8]) -> Result<Overrides, ModelError> {
    let bad = |message: String| ModelError::Input {
        file: file.to_string(),
        message,
    };
    let text = crate::ingest::text::decode(std::path::Path::new(file), bytes, None)
        .map_err(|e| bad(e.to_string()))?
        .text;
    let delimiter = crate::ingest::csv::sniff_delimiter(&text);
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header = rdr
        .headers()
        .map_err(|e| bad(format!("line 1: {e}")))?
        .clone();
    let mut at = [None; 7];
    for (i, h) in header.iter().enumerate() {
        let h = h.trim().to_lowercase();
        let Some(c) = Column::ALL
            .iter()
            .position(|c| c.names().contains(&h.as_str()))
        else {
            return Err(bad(format!(
                "line 1, column {}: {h:?} is not a column of a table of rates; expected {}",
                i + 1,
                Column::ALL
                    .iter()
                    .map(|c| c.names()[0])
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        };
        if at[c].replace(i).is_some() {
            return Err(bad(format!(
                "line 1, column {}: {h:?} is given twice",
                i + 1
            )));
        }
    }
    for c in [Column::Parameter, Column::Profession, Column::Value] {
        if at[c as usize].is_none() {
            return Err(bad(format!(
                "line 1: no column {:?}; expected parameter, profession and value, and sex, age, sector or healthcare_region where the parameter varies by them",
                c.names()[0]
            )));
        }
    }
    let lists = CodeLists::get();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        let line = n + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let cell =
            |c: Column| -> &str { at[c as usize].and_then(|i| rec.get(i)).unwrap_or("").trim() };
        let mut fail = |c: Column, found: &str, expected: String| {
            problems.push(format!(
                "line {line}, column {}: {}; expected {expected}",
                c.names()[0],
                if found.is_empty() {
                    "empty".to_string()
                } else {
                    format!("{:?}", crate::ingest::error::excerpt(found))
                }
            ));
        };
        let p = cell(Column::Parameter);
        let Some(parameter) = Parameter::ALL.into_iter().find(|x| x.name() == p) else {
            fail(
                Column::Parameter,
                p,
                Parameter::ALL.map(Parameter::name).join(", "),
            );
            continue;
        };
        // Codes of a list; `None` for every code.
        let code = |c: Column, list: List, fail: &mut dyn FnMut(Column, &str, String)| {
            let v = cell(c);
            if v.is_empty() || v == "*" {
                return Ok(None);
            }
            match lists.lookup(list, v) {
                Lookup::Code(code) => Ok(Some(code)),
                Lookup::Total => Ok(None),
                Lookup::Unknown { nearest } => {
                    let hint = if nearest.is_empty() {
                        String::new()
                    } else {
                        format!(" (nearest: {})", nearest.join(", "))
                    };
                    fail(c, v, format!("{}, or * for all{hint}", list.expected()));
                    Err(())
                }
            }
        };
        let Ok(profession) = code(Column::Profession, List::Professions, &mut fail) else {
            continue;
        };
        // Keys the parameter does not vary by must be empty.
        let mut stray = false;
        for c in [Column::Sex, Column::Age, Column::Sector, Column::Region] {
            let v = cell(c);
            if !parameter.keys().contains(&c) && !v.is_empty() && v != "*" {
                fail(
                    c,
                    v,
                    format!(
                        "an empty cell: {} does not vary by {}",
                        parameter.name(),
                        c.names()[0]
                    ),
                );
                stray = true;
            }
        }
        if stray {
            continue;
        }
        let Ok(sex) = code(Column::Sex, List::Sexes, &mut fail) else {
            continue;
        };
        let sex = sex.and_then(|s| super::inputs::SEXES.iter().position(|x| *x == s));
        let Ok(sector) = code(Column::Sector, List::Sectors, &mut fail) else {
            continue;
        };
        let Ok(region) = code(Column::Region, List::HealthcareRegions, &mut fail) else {
            continue;
        };
        let a = cell(Column::Age);
        let span = |lo: u32, hi: u32| {
            (AGE_MIN <= lo && lo <= hi && hi <= AGE_MAX)
                .then(|| ((lo - AGE_MIN) as usize, (hi - AGE_MIN) as usize))
        };
        let ages = if a.is_empty() || a == "*" {
            None
        } else {
            let read = match crate::codes::age(a) {
                Some(Age::Single(x)) => span(x, x),
                Some(Age::Band(x, y)) => span(x, y),
                Some(Age::OpenTop(x)) => span(x, AGE_MAX),
                Some(Age::Total) => Some((0, NA - 1)),
                None => None,
            };
            let Some(read) = read else {
                fail(
                    Column::Age,
                    a,
                    format!(
                        "an age, a band (60-64) or an open band (65+) within {AGE_MIN}–{AGE_MAX}, or * for all"
                    ),
                );
                continue;
            };
            if parameter == Parameter::ExitRate && read.0 == NA - 1 {
                fail(
                    Column::Age,
                    a,
                    format!(
                        "ages before {AGE_MAX}: everyone leaves after the last age, so its exit rate is 1 by definition"
                    ),
                );
                continue;
            }
            Some(read)
        };
        let v = cell(Column::Value);
        let (lo, hi) = parameter.range();
        let value = number(v).filter(|x| (lo..=hi).contains(x));
        let Some(value) = value else {
            fail(
                Column::Value,
                v,
                format!("a number from {lo} to {hi} for {}", parameter.name()),
            );
            continue;
        };
        rows.push(Override {
            line,
            parameter,
            profession,
            sex,
            ages,
            sector,
            region,
            value,
        });
    }
    if !problems.is_empty() {
        return Err(bad(format!(
            "{} problem(s) in the table of rates (`supply.rates`):\n  {}",
            problems.len(),
            problems.join("\n  ")
        )));
    }
    if rows.is_empty() {
        return Err(bad(
            "no rows: a table of rates (`supply.rates`) needs at least one; remove the key to keep every estimate"
                .into(),
        ));
    }
    Ok(Overrides {
        file: file.to_string(),
        rows,
    })
}

/// A decimal number with `.` or `,` as the decimal mark and no thousands separator (rates are
/// small); `None` for anything else.
fn number(s: &str) -> Option<f64> {
    let t = if s.contains('.') {
        s.to_string()
    } else {
        s.replacen(',', ".", 1)
    };
    let ok = !t.is_empty()
        && t.bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+' || b == b'e');
    ok.then(|| t.parse::<f64>().ok())
        .flatten()
        .filter(|x| x.is_finite())
}

/// One profession's estimated rates a table may replace (see [`override_rates`]).
pub struct Rates<'a> {
    /// Exit rates `[s][a]`.
    pub exit: &'a mut [f64],
    /// Employment shares `[k][s][a]`.
    pub employment: &'a mut [f64],
    /// FTE per employed person `[k][s][a]`.
    pub fte: &'a mut [f64],
    /// Completion rates by health-care region (`None` without a programme).
    pub completion: Option<&'a mut [f64]>,
    /// Share of graduates licensed (`None` without a programme).
    pub licensed_share: Option<&'a mut f64>,
}

/// Replaces profession `code`'s estimates with the rows of `ov` that select it; `sectors` and
/// `regions` are the run's. Returns the number of values replaced.
///
/// # Errors
///
/// [`ModelError::Input`] naming the file and line: two rows that set the same value, a row naming
/// this profession's programme rate when it has no programme, a sector or region the run does not
/// have, or employment shares that sum to more than 1 over the sectors once replaced.
pub fn override_rates(
    ov: &Overrides,
    code: &str,
    rates: Rates<'_>,
    sectors: &[String],
    regions: &[String],
) -> Result<usize, ModelError> {
    let bad = |line: usize, message: String| ModelError::Input {
        file: ov.file.clone(),
        message: format!("line {line}: {message}"),
    };
    let Rates {
        exit,
        employment,
        fte,
        mut completion,
        mut licensed_share,
    } = rates;
    let nk = sectors.len();
    // The line that set each value, per parameter.
    let mut set_exit = vec![0usize; 2 * NA];
    let mut set_emp = vec![0usize; nk * 2 * NA];
    let mut set_fte = vec![0usize; nk * 2 * NA];
    let mut set_completion = vec![0usize; regions.len()];
    let mut set_share = 0usize;
    let mut count = 0;
    let mut touched_emp = false;
    for r in &ov.rows {
        if r.profession.as_deref().is_some_and(|p| p != code) {
            continue;
        }
        let what = |at: String| format!("{} of {code}{at}", r.parameter.name());
        let mut put = |slot: &mut f64, set: &mut usize, at: String| -> Result<(), ModelError> {
            if *set != 0 {
                return Err(bad(
                    r.line,
                    format!(
                        "sets the {} that line {} sets already; expected each value set by one row",
                        what(at),
                        *set
                    ),
                ));
            }
            *set = r.line;
            *slot = r.value;
            count += 1;
            Ok(())
        };
        let sexes: Vec<usize> = r.sex.map_or_else(|| vec![0, 1], |s| vec![s]);
        let (a0, a1) = r.ages.unwrap_or((0, NA - 1));
        let index_of =
            |list: &[String], c: &Option<String>, what: &str| -> Result<Vec<usize>, ModelError> {
                match c {
                    None => Ok((0..list.len()).collect()),
                    Some(c) => list
                        .iter()
                        .position(|x| x == c)
                        .map(|i| vec![i])
                        .ok_or_else(|| {
                            bad(
                                r.line,
                                format!("the run has no {what} {c:?}; it has {}", list.join(", ")),
                            )
                        }),
                }
            };
        let at = |k: Option<usize>, sx: usize, a: usize| {
            format!(
                "{}, sex {}, age {}",
                k.map_or(String::new(), |k| format!(", sector {}", sectors[k])),
                super::inputs::SEXES[sx],
                AGE_MIN as usize + a
            )
        };
        match r.parameter {
            Parameter::ExitRate => {
                for &sx in &sexes {
                    // The last age's rate is 1 by definition: a range that reaches it stops before.
                    for a in a0..=a1.min(NA - 2) {
                        put(
                            &mut exit[sx * NA + a],
                            &mut set_exit[sx * NA + a],
                            at(None, sx, a),
                        )?;
                    }
                }
            }
            Parameter::EmploymentShare | Parameter::FtePerEmployed => {
                let ks = index_of(sectors, &r.sector, "sector")?;
                let (v, set) = if r.parameter == Parameter::EmploymentShare {
                    touched_emp = true;
                    (&mut *employment, &mut set_emp)
                } else {
                    (&mut *fte, &mut set_fte)
                };
                for &k in &ks {
                    for &sx in &sexes {
                        for a in a0..=a1 {
                            let i = (k * 2 + sx) * NA + a;
                            put(&mut v[i], &mut set[i], at(Some(k), sx, a))?;
                        }
                    }
                }
            }
            Parameter::CompletionRate | Parameter::LicensedShare => {
                let no_programme = || {
                    bad(
                        r.line,
                        format!(
                            "{code} has no programme in the data (no beginners), so it has no {}",
                            r.parameter.name()
                        ),
                    )
                };
                if r.parameter == Parameter::LicensedShare {
                    match licensed_share.as_deref_mut() {
                        Some(s) => put(s, &mut set_share, String::new())?,
                        None if r.profession.is_some() => return Err(no_programme()),
                        None => {}
                    }
                    continue;
                }
                match completion.as_deref_mut() {
                    Some(c) => {
                        for i in index_of(regions, &r.region, "health-care region")? {
                            put(
                                &mut c[i],
                                &mut set_completion[i],
                                format!(", health-care region {}", regions[i]),
                            )?;
                        }
                    }
                    None if r.profession.is_some() => return Err(no_programme()),
                    None => {}
                }
            }
        }
    }
    // No person is employed more than once: the shares summed over sectors stay at most 1.
    if touched_emp {
        for sx in 0..2 {
            for a in 0..NA {
                let sum: f64 = (0..nk).map(|k| employment[(k * 2 + sx) * NA + a]).sum();
                if sum > 1.0 + 1e-9 {
                    let line = (0..nk)
                        .map(|k| set_emp[(k * 2 + sx) * NA + a])
                        .max()
                        .unwrap_or(0);
                    return Err(bad(
                        line,
                        format!(
                            "the employment shares of {code}, sex {}, age {} sum to {sum:.4} over the sectors once replaced; expected at most 1",
                            super::inputs::SEXES[sx],
                            AGE_MIN as usize + a
                        ),
                    ));
                }
            }
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retirement_shift_moves_the_ages_from_sixty() {
        // One row: 1.0 up to 59, then 0.9, 0.8, … falling by 0.1 a year from 60 (index 40).
        let a0 = (RETIREMENT_FROM - AGE_MIN) as usize;
        let row: Vec<f64> = (0..NA)
            .map(|a| {
                if a < a0 {
                    1.0
                } else {
                    (0.9 - 0.1 * (a - a0) as f64).max(0.0)
                }
            })
            .collect();
        let two = shift_profile(&row, 2.0);
        assert_eq!(two[..a0], row[..a0]);
        // 60 and 61 keep the value at 60; 62 takes 60's, 63 takes 61's.
        assert_eq!(two[a0], 0.9);
        assert_eq!(two[a0 + 1], 0.9);
        assert_eq!(two[a0 + 2], 0.9);
        assert!((two[a0 + 3] - 0.8).abs() < 1e-12);
        // Half a year: the mean of two neighbours.
        let half = shift_profile(&row, 0.5);
        assert!((half[a0 + 1] - 0.85).abs() < 1e-12);
        // Two years younger: 60 takes 62's (0.7); the last ages hold the value at 74 (0).
        let back = shift_profile(&row, -2.0);
        assert!((back[a0] - 0.7).abs() < 1e-12);
        assert_eq!(back[NA - 1], row[NA - 1]);
        assert_eq!(shift_profile(&row, 0.0), row);
    }

    #[test]
    fn the_most_specific_admissions_entry_wins() {
        let mut s: Supply = toml::from_str(
            r#"
            exit_window = 5
            min_exposure = 200.0
            employment_window = 3
            inflow_window = 3
            completion_window = 5
            foreign_eu_factor = 1.0
            foreign_tc_factor = 0.5
            admissions_change = 0.05
            county_exits = true
            [admissions]
            SSK = { "*" = 0.1, N = 0.3 }
            "*" = { S = -0.2 }
            [foreign]
            SSK = { eu = 2.0 }
            "*" = { tc = 1.5 }
            "#,
        )
        .unwrap();
        assert_eq!(admissions_change(&s, "SSK", "N"), 0.3);
        assert_eq!(admissions_change(&s, "SSK", "S"), 0.1);
        assert_eq!(admissions_change(&s, "LAK", "S"), -0.2);
        assert_eq!(admissions_change(&s, "LAK", "N"), 0.05);
        assert_eq!(foreign_factor(&s, "SSK", 0), 2.0);
        assert_eq!(foreign_factor(&s, "SSK", 1), 1.5);
        assert_eq!(foreign_factor(&s, "LAK", 0), 1.0);
        assert_eq!(foreign_factor(&s, "LAK", 1), 1.5);
        assert!(check(&s).is_ok());
        s.admissions
            .get_mut("SSK")
            .unwrap()
            .insert("XX".into(), 0.1);
        let (key, message) = check(&s).unwrap_err();
        assert_eq!(key, "supply.admissions.SSK.XX");
        assert!(message.contains("health-care region"), "{message}");
    }

    fn rates() -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>, f64) {
        (
            vec![0.01; 2 * NA],
            vec![0.3; 3 * 2 * NA],
            vec![0.9; 3 * 2 * NA],
            vec![0.8, 0.85],
            0.95,
        )
    }

    fn apply(
        text: &str,
        code: &str,
        r: &mut (Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>, f64),
    ) -> Result<usize, ModelError> {
        let ov = read_overrides("rates.csv", text.as_bytes())?;
        let sectors = ["R", "K", "P"].map(String::from);
        let regions = ["N", "S"].map(String::from);
        override_rates(
            &ov,
            code,
            Rates {
                exit: &mut r.0,
                employment: &mut r.1,
                fte: &mut r.2,
                completion: Some(&mut r.3),
                licensed_share: Some(&mut r.4),
            },
            &sectors,
            &regions,
        )
    }

    #[test]
    fn a_table_replaces_the_cells_its_rows_select() {
        let mut r = rates();
        let n = apply(
            "parameter;yrke;kön;ålder;regi;sjukvårdsregion;värde\n\
             exit_rate;SSK;kvinnor;60-64;;;0,05\n\
             exit_rate;*;1;70+;;;0.2\n\
             employment_share;Sjuksköterskor;*;65;Kommunal regi;;0.4\n\
             completion_rate;SSK;;;;Norra;0.9\n\
             licensed_share;SSK;;;;;1\n",
            "SSK",
            &mut r,
        )
        .unwrap();
        // 5 + 4 (70–73: 74 keeps 1) + 2 sexes + 1 + 1.
        assert_eq!(n, 13);
        let (f60, f64_, m70) = (NA + 40, NA + 44, 50);
        assert_eq!((r.0[f60], r.0[f64_], r.0[f60 - 1]), (0.05, 0.05, 0.01));
        assert_eq!((r.0[m70], r.0[NA - 2], r.0[NA - 1]), (0.2, 0.2, 0.01));
        assert_eq!(r.1[2 * NA + 45], 0.4);
        assert_eq!(r.1[(2 + 1) * NA + 45], 0.4);
        assert_eq!(r.1[45], 0.3);
        assert_eq!(r.3, vec![0.9, 0.85]);
        assert_eq!(r.4, 1.0);
        // Another profession takes the "*" row only.
        let mut r = rates();
        let n = apply(
            "parameter,profession,sex,age,value\nexit_rate,SSK,2,60,0.05\nexit_rate,*,1,70+,0.2\n",
            "LAK",
            &mut r,
        )
        .unwrap();
        assert_eq!(n, 4);
    }

    #[test]
    fn a_bad_table_is_refused_at_its_line_and_column() {
        let err = |text: &str| apply(text, "SSK", &mut rates()).unwrap_err().to_string();
        let e = err(
            "parameter,profession,age,value\nexit_rate,SSK,19,0.1\nexit_rate,SSX,60,0.1\nfte,SSK,60,1\nexit_rate,SSK,74,0.5\nexit_rate,SSK,60,1.5\n",
        );
        assert!(e.contains("5 problem(s)"), "{e}");
        assert!(e.contains("line 2, column age: \"19\""), "{e}");
        assert!(e.contains("line 3, column profession: \"SSX\""), "{e}");
        assert!(e.contains("line 4, column parameter: \"fte\""), "{e}");
        assert!(e.contains("line 5, column age: \"74\""), "{e}");
        assert!(
            e.contains("line 6, column value: \"1.5\"; expected a number from 0 to 1"),
            "{e}"
        );
        let e = err("parameter,profession,sector,value\nexit_rate,SSK,K,0.1\n");
        assert!(
            e.contains("line 2, column sector: \"K\"; expected an empty cell"),
            "{e}"
        );
        let e = err("parameter,profession,value,colour\n");
        assert!(e.contains("line 1, column 4: \"colour\""), "{e}");
        let e =
            err("parameter,profession,age,value\nexit_rate,*,60-64,0.1\nexit_rate,SSK,64,0.2\n");
        assert!(
            e.contains("line 3: sets the exit_rate of SSK, sex 1, age 64 that line 2 sets"),
            "{e}"
        );
        let e = err("parameter,profession,sex,age,sector,value\nemployment_share,SSK,2,61,K,0.8\n");
        assert!(
            e.contains("line 2: the employment shares of SSK, sex 2, age 61 sum to 1.4000"),
            "{e}"
        );
        let e = err("parameter,profession,value\n");
        assert!(e.contains("no rows"), "{e}");
    }
}
