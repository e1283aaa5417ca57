//! Municipal health care per municipality: the supply and demand of each municipality's own
//! health-care staff (the municipal sector, `K`), for the professions it employs.
//!
//! The county model projects each county's municipal sector as a whole. A municipality's planner
//! needs the same figures for their own municipality, whose workforce has an age structure of its
//! own (a small municipality whose nurses are mostly over 55 loses them sooner than its county)
//! and whose population ages at a pace of its own. Two tables, named in the scenario's
//! `[municipal]` section, give what the county model does not have:
//!
//! - `municipal.employed`: persons employed in municipal health care by municipality, profession,
//!   sex and age (single years or bands, as SCB's occupational register publishes them by
//!   municipality) in one employment year of the `employed` input (the latest up to the base year
//!   is used);
//! - `municipal.population`: each municipality's population by sex and age (single years or bands
//!   covering 0–100+) in every year from the base year to the horizon (SCB projects counties;
//!   municipalities make or buy their own projections).
//!
//! **Supply follows the county's cohorts.** In the table's year `y₀` municipality `m` holds the
//! share `s_m(p, x, b) = E_m(p, x, b) / E_c(p, x, b)` of its county's municipal-sector employed in
//! profession `p`, sex `x` and age band `b` (`E_c` from the `employed` input, the same register).
//! The persons of a band stay where they work as they age, so in year `t` the age `a` carries the
//! share of the band that held age `a − (t − y₀)` in `y₀`:
//!
//! ```text
//! S_m(p, t) = Σ_{x,a} s_m(p, x, band(a − (t − y₀))) · F_c(p, x, a, t)
//! ```
//!
//! where `F_c` is the county model's municipal-sector FTE by sex and age in year `t` (licensed
//! persons × employment share × FTE per employed person). Cohorts younger than the table's
//! youngest age in `y₀` (the recruits of later years), and bands the county has nobody in, take the
//! municipality's share of the county's whole municipal-sector profession, `σ_m(p)`. The shares of
//! a county's municipalities add up to one where the table covers all of them, so their supply
//! adds up to the county's municipal-sector supply in `results.csv`.
//!
//! **Demand grows with the municipality's own population.** Base-year demand is the base-year
//! supply times the county's ratio of demand to supply in the sector (1 with no base-year
//! imbalance: SCB's rule that base-year demand equals the employed). It then follows the
//! municipality's demographic index — its population weighted by the same care-use profile as the
//! county's (the sector's, or the profession's mix of service areas in the county) — and the
//! county's other factors (care-use trend, growth factors, substitution), taken as the county's
//! demand index over its demographic index:
//!
//! ```text
//! D_m(p, t) = S_m(p, b) · D_c(p, b) / S_c(p, b) · I_m(p, t) · [D_c(p, t) / D_c(p, b)] / I_c(p, t)
//! ```
//!
//! A population given in age bands is spread over the band's single years in proportion to the
//! county's population of the same year, so that the care-use profile can weight it.

use super::ModelError;
use super::inputs::{AGE_MAX, AGE_MIN, Inputs, NA, POP_AGES};
use crate::codes::{Age, CodeLists, Lookup};
use crate::table::Table;
use crate::validate::{self, Concept};
use std::collections::BTreeMap;

/// The sector code of municipal care.
pub const SECTOR: &str = "K";

/// The two municipal tables read onto the run's classification ([`gather`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Tables {
    /// The employed table's file, for messages and the method text.
    pub employed_file: String,
    /// The population table's file.
    pub population_file: String,
    /// The employment year of the employed table.
    pub year: i32,
    /// Municipality codes (ascending).
    pub municipalities: Vec<String>,
    /// The county (index on the run's county axis) of each municipality.
    pub county: Vec<usize>,
    /// The professions (indices of the run's grid) the table has, ascending.
    pub professions: Vec<usize>,
    /// The employed table's age bands, `(first, last)` as indices from [`AGE_MIN`], inclusive.
    pub bands: Vec<(usize, usize)>,
    /// Employed persons, `[m][profession][sex][band]` over `professions` and `bands`.
    pub employed: Vec<f64>,
    /// The population table's years (ascending).
    pub population_years: Vec<i32>,
    /// The population table's age bands, `(first, last)` as ages 0–100, inclusive.
    pub population_bands: Vec<(usize, usize)>,
    /// Population, `[m][year][sex][band]` over `population_years` and `population_bands`.
    pub population: Vec<f64>,
    /// What reading the employed table left out (county and national rows, totals), for the
    /// manifest.
    pub notes: Vec<String>,
    /// What reading the population table left out.
    pub population_notes: Vec<String>,
}

/// One row of a municipal table, placed.
struct Row {
    m: String,
    p: Option<usize>,
    sex: usize,
    age: (usize, usize),
    year: i32,
    value: f64,
    place: String,
}

/// What kind of municipal table is read.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Employed,
    Population,
}

fn input_error(t: &Table, message: String) -> ModelError {
    ModelError::Input {
        file: t.meta.origin.clone(),
        message,
    }
}

/// The age range a published age category stands for, clipped to `lo..=hi`; `None` for a total,
/// `Some(None)` for ages wholly outside the range.
fn age_range(
    t: &Table,
    d: usize,
    k: usize,
    lo: u32,
    hi: u32,
) -> Result<Option<Option<(usize, usize)>>, ModelError> {
    let cat = &t.dims[d].categories[k];
    let a = cat.texts().find_map(crate::codes::age);
    let (a, b) = match a {
        Some(Age::Total) => return Ok(None),
        Some(Age::Single(x)) => (x, x),
        Some(Age::Band(x, y)) => (x, y),
        Some(Age::OpenTop(x)) => (x, hi.max(x)),
        None => {
            return Err(input_error(
                t,
                format!(
                    "dimension {:?}: {:?} is not an age; expected whole years (34, 20-24, 65+) or a total",
                    t.dims[d].id, cat.code
                ),
            ));
        }
    };
    if b < lo || a > hi {
        return Ok(Some(None));
    }
    Ok(Some(Some((a.max(lo) as usize, b.min(hi) as usize))))
}

/// Where row `r` of `t` stood: `line N` where lines are tracked, else `the cell dim=code, …`.
fn place(t: &Table, r: usize) -> String {
    let p = t.row_place(r);
    if p.bytes().all(|b| b.is_ascii_digit()) {
        format!("line {p}")
    } else {
        format!("the cell {p}")
    }
}

/// Where a municipal table's dimensions are, and where each of their categories goes.
struct Layout {
    /// The dimensions of municipality, sex, age, year and (employed) profession.
    dims: [usize; 4],
    prof: Option<usize>,
    /// Dimensions kept at one category (a sector at [`SECTOR`]).
    fixed: Vec<(usize, u32)>,
    municipality: Vec<Option<String>>,
    sexes: Vec<Option<usize>>,
    /// `None`: a total; `Some(None)`: ages outside the model's.
    ages: Vec<Option<Option<(usize, usize)>>>,
    years: Vec<Option<i32>>,
    profs: Vec<Option<usize>>,
}

/// What a municipal table of `kind` needs besides municipality, sex, age and year, for messages.
fn needs(kind: Kind) -> &'static str {
    match kind {
        Kind::Employed => "municipality, profession, sex, age and year",
        Kind::Population => "municipality, sex, age and year",
    }
}

/// The dimensions of municipality (or a region dimension), sex, age and year, and profession.
fn dims_of(t: &Table, kind: Kind) -> Result<([usize; 4], Option<usize>), ModelError> {
    let concepts: Vec<Option<Concept>> = t.dims.iter().map(Concept::of).collect();
    let find = |c: Concept| concepts.iter().position(|x| *x == Some(c));
    let prof = find(Concept::Profession);
    let want = [
        (
            "municipality",
            find(Concept::Municipality).or_else(|| find(Concept::County)),
        ),
        ("sex", find(Concept::Sex)),
        ("age", find(Concept::Age)),
        ("year", find(Concept::Year)),
        (
            "profession",
            if kind == Kind::Employed {
                prof
            } else {
                Some(0)
            },
        ),
    ];
    if let Some((name, _)) = want.iter().find(|(_, d)| d.is_none()) {
        let has: Vec<&str> = t.dims.iter().map(|d| d.id.as_str()).collect();
        return Err(input_error(
            t,
            format!(
                "no {name} dimension; a municipal table needs {} (it has {})",
                needs(kind),
                has.join(", ")
            ),
        ));
    }
    let d = |i: usize| want[i].1.unwrap_or(0);
    Ok((
        [d(0), d(1), d(2), d(3)],
        prof.filter(|_| kind == Kind::Employed),
    ))
}

/// Each category of the region dimension `reg` as a municipality code, or `None` for the nation,
/// a county or a total (counted into `notes`).
fn municipalities_in(
    t: &Table,
    reg: usize,
    notes: &mut Vec<String>,
) -> Result<Vec<Option<String>>, ModelError> {
    let id = &t.dims[reg].id;
    let mut out = Vec::new();
    let mut left = 0usize;
    for cat in &t.dims[reg].categories {
        let m = super::inputs::municipality_of(cat);
        match &m {
            Some(code) if CodeLists::get().municipality(code).is_none() => {
                return Err(input_error(
                    t,
                    format!(
                        "dimension {id:?}: {code:?} is not a municipality of today's code list (a former municipality's figures must be added to the municipality that took it over)"
                    ),
                ));
            }
            Some(_) => {}
            None => match validate::resolve(Concept::County, cat) {
                Lookup::Total | Lookup::Code(_) => left += 1,
                Lookup::Unknown { nearest } => {
                    let near = if nearest.is_empty() {
                        String::new()
                    } else {
                        format!(" (nearest: {})", nearest.join(", "))
                    };
                    return Err(input_error(
                        t,
                        format!(
                            "dimension {id:?}: {:?} is not a municipality; expected a municipality's code or name{near}",
                            cat.code
                        ),
                    ));
                }
            },
        }
        out.push(m);
    }
    if left > 0 {
        notes.push(format!(
            "{left} categories of {id:?} that are the nation, a county or a total left out (the municipalities are used)"
        ));
    }
    Ok(out)
}

/// Each category of dimension `d` resolved as `concept` and placed by `place` (`None`: a total, or
/// a code the run leaves out); a category that resolves to nothing is an error.
fn placed<T>(
    t: &Table,
    d: usize,
    concept: Concept,
    place: impl Fn(&str) -> Option<T>,
) -> Result<Vec<Option<T>>, ModelError> {
    t.dims[d]
        .categories
        .iter()
        .map(|cat| match validate::resolve(concept, cat) {
            Lookup::Code(c) => Ok(place(&c)),
            Lookup::Total => Ok(None),
            Lookup::Unknown { .. } => Err(input_error(
                t,
                format!(
                    "dimension {:?}: {:?} is no {concept:?} code or name hwf knows",
                    t.dims[d].id, cat.code
                ),
            )),
        })
        .collect()
}

/// The dimensions besides the model's: a sector kept at [`SECTOR`]; any other must hold one
/// category.
fn fixed_dims(t: &Table, kind: Kind, used: &[usize]) -> Result<Vec<(usize, u32)>, ModelError> {
    let mut fixed = Vec::new();
    for (d, dim) in t.dims.iter().enumerate() {
        if used.contains(&d) {
            continue;
        }
        if Concept::of(dim) == Some(Concept::Sector) {
            let k = dim.categories.iter().position(
                |c| matches!(validate::resolve(Concept::Sector, c), Lookup::Code(s) if s == SECTOR),
            );
            let Some(k) = k else {
                return Err(input_error(
                    t,
                    format!(
                        "dimension {:?} has no category for municipal care ({SECTOR})",
                        dim.id
                    ),
                ));
            };
            fixed.push((d, k as u32));
        } else if dim.len() != 1 {
            return Err(input_error(
                t,
                format!(
                    "dimension {:?} has {} categories; a municipal table has {}, and other dimensions only with one category",
                    dim.id,
                    dim.len(),
                    needs(kind)
                ),
            ));
        }
    }
    Ok(fixed)
}

/// Where everything of a municipal table goes.
fn layout(
    t: &Table,
    kind: Kind,
    inp: &Inputs,
    notes: &mut Vec<String>,
) -> Result<Layout, ModelError> {
    let (lo, hi) = match kind {
        Kind::Employed => (AGE_MIN, AGE_MAX),
        Kind::Population => (0, POP_AGES as u32 - 1),
    };
    let (dims, prof) = dims_of(t, kind)?;
    let [reg, sex, age, year] = dims;
    let mut used = dims.to_vec();
    used.extend(prof);
    Ok(Layout {
        dims,
        prof,
        fixed: fixed_dims(t, kind, &used)?,
        municipality: municipalities_in(t, reg, notes)?,
        sexes: placed(t, sex, Concept::Sex, |c| {
            super::inputs::SEXES.iter().position(|s| *s == c)
        })?,
        ages: (0..t.dims[age].len())
            .map(|k| age_range(t, age, k, lo, hi))
            .collect::<Result<_, _>>()?,
        years: t.dims[year]
            .categories
            .iter()
            .map(|c| c.code.trim().parse().ok())
            .collect(),
        profs: match prof {
            Some(d) => placed(t, d, Concept::Profession, |c| inp.grid.prof(c))?,
            None => Vec::new(),
        },
    })
}

/// The rows of a municipal table, placed. Rows of the nation, counties and totals, of ages
/// outside the model's and of professions the run does not have are left out, each kind counted
/// into `notes`; a sector dimension is kept at [`SECTOR`].
fn rows(
    t: &Table,
    kind: Kind,
    inp: &Inputs,
    notes: &mut Vec<String>,
) -> Result<Vec<Row>, ModelError> {
    let l = layout(t, kind, inp, notes)?;
    let [reg, sex, age, year] = l.dims;
    let mut left = [0usize; 3];
    let mut out = Vec::new();
    'rows: for r in 0..t.len() {
        for &(d, k) in &l.fixed {
            if t.keys[d][r] != k {
                continue 'rows;
            }
        }
        let key = |d: usize| t.keys[d][r] as usize;
        let (Some(m), Some(x)) = (&l.municipality[key(reg)], l.sexes[key(sex)]) else {
            left[0] += usize::from(l.municipality[key(reg)].is_some());
            continue;
        };
        let Some(a) = l.ages[key(age)] else {
            left[0] += 1;
            continue;
        };
        let Some(a) = a else {
            left[1] += 1;
            continue;
        };
        let p = match l.prof.map(|d| l.profs[key(d)]) {
            Some(None) => {
                left[2] += 1;
                continue;
            }
            Some(p) => p,
            None => None,
        };
        out.push(row_of(t, r, l.years[key(year)], (m, p, x, a))?);
    }
    for (n, what) in left.iter().zip([
        "totals over sex or age",
        "ages outside the model's",
        "professions the run does not have",
    ]) {
        if *n > 0 {
            notes.push(format!("{n} rows of {what} left out"));
        }
    }
    Ok(out)
}

/// Row `r` of `t` placed at `(municipality, profession, sex, ages)` in `year`.
fn row_of(
    t: &Table,
    r: usize,
    year: Option<i32>,
    (m, p, sex, age): (&str, Option<usize>, usize, (usize, usize)),
) -> Result<Row, ModelError> {
    let Some(year) = year else {
        let y = t
            .dims
            .iter()
            .position(|d| Concept::of(d) == Some(Concept::Year))
            .unwrap_or(0);
        return Err(input_error(
            t,
            format!("{}: the year {:?} is not a year", place(t, r), t.code(y, r)),
        ));
    };
    let Some(value) = t.value(r) else {
        return Err(input_error(
            t,
            format!(
                "{}: no number ({}); the municipal split needs every cell, a zero where there is nobody",
                place(t, r),
                t.symbol(r).unwrap_or("missing")
            ),
        ));
    };
    if !value.is_finite() || value < 0.0 {
        return Err(input_error(
            t,
            format!("{}: {value} is not a count of persons", place(t, r)),
        ));
    }
    Ok(Row {
        m: m.to_string(),
        p,
        sex,
        age,
        year,
        value,
        place: place(t, r),
    })
}

/// The bands of `rows` (ascending), checked not to overlap; with `whole`, also to cover `lo..=hi`.
fn bands_of(
    t: &Table,
    rows: &[Row],
    whole: Option<(usize, usize)>,
) -> Result<Vec<(usize, usize)>, ModelError> {
    let mut bands: Vec<(usize, usize)> = rows.iter().map(|r| r.age).collect();
    bands.sort_unstable();
    bands.dedup();
    for w in bands.windows(2) {
        if w[1].0 <= w[0].1 {
            return Err(input_error(
                t,
                format!(
                    "the ages {}–{} and {}–{} overlap; expected single years or bands that do not overlap",
                    w[0].0, w[0].1, w[1].0, w[1].1
                ),
            ));
        }
    }
    if let Some((lo, hi)) = whole {
        let mut next = lo;
        for &(a, b) in &bands {
            if a > next {
                break;
            }
            next = b + 1;
        }
        if next <= hi {
            return Err(input_error(
                t,
                format!(
                    "no ages {next}–{}; a population must cover every age from {lo} to {hi}+",
                    bands.iter().find(|b| b.0 > next).map_or(hi, |b| b.0 - 1)
                ),
            ));
        }
    }
    Ok(bands)
}

/// Places `rows` into a dense array `[m][outer][sex][band]`, every cell required once.
fn dense(
    t: &Table,
    rows: &[Row],
    municipalities: &[String],
    outer: &[i64],
    outer_of: impl Fn(&Row) -> i64,
    bands: &[(usize, usize)],
    what: impl Fn(i64) -> String,
) -> Result<Vec<f64>, ModelError> {
    let nb = bands.len();
    let n = municipalities.len() * outer.len() * 2 * nb;
    let mut v = vec![0.0; n];
    let mut seen: Vec<Option<&str>> = vec![None; n];
    for r in rows {
        let (Ok(m), Ok(o), Ok(b)) = (
            municipalities.binary_search(&r.m),
            outer.binary_search(&outer_of(r)),
            bands.binary_search(&r.age),
        ) else {
            continue;
        };
        let i = ((m * outer.len() + o) * 2 + r.sex) * nb + b;
        if let Some(first) = seen[i] {
            return Err(input_error(
                t,
                format!(
                    "{first} and {} are the same cell (municipality {}, {}, sex {}, ages {}–{})",
                    r.place,
                    r.m,
                    what(outer_of(r)),
                    r.sex + 1,
                    r.age.0,
                    r.age.1
                ),
            ));
        }
        seen[i] = Some(&r.place);
        v[i] = r.value;
    }
    if let Some(i) = seen.iter().position(Option::is_none) {
        let (b, x, o, m) = (
            i % nb,
            (i / nb) % 2,
            (i / nb / 2) % outer.len(),
            i / nb / 2 / outer.len(),
        );
        return Err(input_error(
            t,
            format!(
                "no row for municipality {}, {}, sex {}, ages {}–{}; every municipality needs every cell the table has elsewhere",
                municipalities[m],
                what(outer[o]),
                x + 1,
                bands[b].0,
                bands[b].1
            ),
        ));
    }
    Ok(v)
}

/// Reads the municipal tables onto the run: the employed table's latest employment year up to the
/// base year, and the population of the same municipalities.
///
/// # Errors
///
/// [`ModelError::Input`] naming the file and the row or cell: a dimension missing, a category that
/// is no municipality (or a former one), no age, a cell without a number or twice, a municipality
/// lacking a cell, bands that overlap, a population that does not cover every age, or a year
/// missing between the base year and the horizon; no employment year of the `employed` input in
/// the table.
pub fn gather(
    employed: &Table,
    population: &Table,
    inp: &Inputs,
    base_year: i32,
    horizon: i32,
) -> Result<Tables, ModelError> {
    let (mut notes, mut population_notes) = (Vec::new(), Vec::new());
    let e = employed_part(employed, inp, base_year, &mut notes)?;
    let (years, bands_p, population_v) = population_part(
        population,
        inp,
        &e.municipalities,
        (base_year, horizon),
        &mut population_notes,
    )?;
    Ok(Tables {
        employed_file: employed.meta.origin.clone(),
        population_file: population.meta.origin.clone(),
        year: e.year,
        municipalities: e.municipalities,
        county: e.county,
        professions: e.professions,
        bands: e.bands,
        employed: e.values,
        population_years: years,
        population_bands: bands_p,
        population: population_v,
        notes,
        population_notes,
    })
}

/// The employed table's part of [`Tables`].
struct EmployedPart {
    year: i32,
    municipalities: Vec<String>,
    county: Vec<usize>,
    professions: Vec<usize>,
    bands: Vec<(usize, usize)>,
    values: Vec<f64>,
}

/// Reads the employed table: its latest year up to `base_year` that the `employed` input has, the
/// municipalities of the run's counties in it (others counted into `notes`), its professions and
/// bands, and the persons per cell.
fn employed_part(
    employed: &Table,
    inp: &Inputs,
    base_year: i32,
    notes: &mut Vec<String>,
) -> Result<EmployedPart, ModelError> {
    let rows_e = rows(employed, Kind::Employed, inp, notes)?;
    let Some(year) = rows_e
        .iter()
        .map(|r| r.year)
        .filter(|y| *y <= base_year && inp.employment_years.contains(y))
        .max()
    else {
        let years: Vec<String> = inp.employment_years.iter().map(i32::to_string).collect();
        return Err(input_error(
            employed,
            format!(
                "no year up to the base year {base_year} that the employed input also has ({}); the municipalities' shares are taken of their counties' employed in the same year",
                years.join(", ")
            ),
        ));
    };
    let rows_e: Vec<Row> = rows_e.into_iter().filter(|r| r.year == year).collect();
    let g = &inp.grid;
    let mut county_of: BTreeMap<String, Option<usize>> = BTreeMap::new();
    for r in &rows_e {
        county_of.entry(r.m.clone()).or_insert_with(|| {
            let code = CodeLists::get()
                .municipality(&r.m)
                .map(|m| m.county.as_str());
            g.counties.iter().position(|x| Some(x.as_str()) == code)
        });
    }
    let outside = county_of.values().filter(|c| c.is_none()).count();
    if outside > 0 {
        notes.push(format!(
            "{outside} municipalities outside the run's counties left out"
        ));
    }
    let county_of: BTreeMap<String, usize> = county_of
        .into_iter()
        .filter_map(|(m, c)| c.map(|c| (m, c)))
        .collect();
    if county_of.is_empty() {
        return Err(input_error(
            employed,
            format!(
                "no municipality of the run's counties ({}) in {year}",
                g.counties.join(", ")
            ),
        ));
    }
    let municipalities: Vec<String> = county_of.keys().cloned().collect();
    let mut professions: Vec<usize> = rows_e.iter().filter_map(|r| r.p).collect();
    professions.sort_unstable();
    professions.dedup();
    let bands = bands_of(employed, &rows_e, None)?;
    let outer: Vec<i64> = professions.iter().map(|&p| p as i64).collect();
    let values = dense(
        employed,
        &rows_e,
        &municipalities,
        &outer,
        |r| r.p.unwrap_or(0) as i64,
        &bands,
        |p| format!("profession {}", g.professions[p as usize]),
    )?;
    Ok(EmployedPart {
        year,
        county: county_of.values().copied().collect(),
        municipalities,
        professions,
        bands: bands
            .iter()
            .map(|&(a, b)| (a - AGE_MIN as usize, b - AGE_MIN as usize))
            .collect(),
        values,
    })
}

/// Reads the population table for `municipalities` (others counted into `notes`): its years
/// (every one from the base year to the horizon required), its bands (every age required) and
/// the persons per cell.
#[allow(clippy::type_complexity)]
fn population_part(
    population: &Table,
    inp: &Inputs,
    municipalities: &[String],
    (base_year, horizon): (i32, i32),
    notes: &mut Vec<String>,
) -> Result<(Vec<i32>, Vec<(usize, usize)>, Vec<f64>), ModelError> {
    let rows_p = rows(population, Kind::Population, inp, notes)?;
    let bands_p = bands_of(population, &rows_p, Some((0, POP_AGES - 1)))?;
    let mut years: Vec<i64> = rows_p.iter().map(|r| i64::from(r.year)).collect();
    years.sort_unstable();
    years.dedup();
    if let Some(y) = (base_year..=horizon).find(|y| years.binary_search(&i64::from(*y)).is_err()) {
        return Err(input_error(
            population,
            format!(
                "no population for {y}; the municipal projection needs every year from the base year {base_year} to the horizon {horizon}"
            ),
        ));
    }
    let present: std::collections::BTreeSet<&str> = rows_p.iter().map(|r| r.m.as_str()).collect();
    if let Some(m) = municipalities
        .iter()
        .find(|m| !present.contains(m.as_str()))
    {
        return Err(input_error(
            population,
            format!("no population for municipality {m}, which the employed table has"),
        ));
    }
    let others = present
        .iter()
        .filter(|m| {
            municipalities
                .binary_search_by(|x| x.as_str().cmp(m))
                .is_err()
        })
        .count();
    if others > 0 {
        notes.push(format!(
            "{others} municipalities of the population table that the employed table does not have left out"
        ));
    }
    let values = dense(
        population,
        &rows_p,
        municipalities,
        &years,
        |r| i64::from(r.year),
        &bands_p,
        |y| format!("year {y}"),
    )?;
    Ok((years.iter().map(|&y| y as i32).collect(), bands_p, values))
}

/// Municipal health care's supply and demand per municipality (see the module's formulas).
#[derive(Clone, Debug, PartialEq)]
pub struct Municipal {
    /// Municipality codes (ascending), as [`Tables::municipalities`].
    pub municipalities: Vec<String>,
    /// The county (index on the run's county axis) of each municipality.
    pub county: Vec<usize>,
    /// The professions (indices of the run's grid), as [`Tables::professions`].
    pub professions: Vec<usize>,
    /// The employment year the shares were taken in.
    pub year: i32,
    /// Years, the base year to the horizon.
    pub years: Vec<i32>,
    /// Employed persons in the table's year, `[m][profession]` (the register's counts: published
    /// only through disclosure control).
    pub employed: Vec<f64>,
    /// Supply FTE, `[m][profession][year]`.
    pub supply: Vec<f64>,
    /// Demand FTE, `[m][profession][year]`.
    pub demand: Vec<f64>,
}

impl Municipal {
    /// Index of `(m, profession position, year position)` in `supply` and `demand`.
    pub fn at(&self, m: usize, pl: usize, ti: usize) -> usize {
        (m * self.professions.len() + pl) * self.years.len() + ti
    }
}

/// Each municipality's population in `t` weighted by the care-use profile `w` (`[sex][age 0..=100]`):
/// a band's persons spread over its ages as the county's population of the year is.
fn weighted(tb: &Tables, inp: &Inputs, m: usize, t: i32, w: &[f64]) -> f64 {
    let nc = inp.grid.nc();
    let c = tb.county[m];
    let (Some(yi), Some(yc)) = (
        tb.population_years.iter().position(|&y| y == t),
        inp.population_years.iter().position(|&y| y == t),
    ) else {
        return f64::NAN;
    };
    let nb = tb.population_bands.len();
    let ny = tb.population_years.len();
    let mut sum = 0.0;
    for x in 0..2 {
        let county = &inp.population[((yc * nc + c) * 2 + x) * POP_AGES..][..POP_AGES];
        let prof = &w[x * POP_AGES..(x + 1) * POP_AGES];
        for (b, &(lo, hi)) in tb.population_bands.iter().enumerate() {
            let persons = tb.population[((m * ny + yi) * 2 + x) * nb + b];
            let (wsum, usum) = (lo..=hi).fold((0.0, 0.0), |(s, u), a| {
                (s + county[a], u + county[a] * prof[a])
            });
            let mean = if wsum > 0.0 {
                usum / wsum
            } else {
                prof[lo..=hi].iter().sum::<f64>() / (hi - lo + 1) as f64
            };
            sum += persons * mean;
        }
    }
    sum
}

/// Municipality `m`'s share of its county's population in year `t` (0 where the county has none).
fn population_share(tb: &Tables, inp: &Inputs, m: usize, t: i32) -> f64 {
    let ones = vec![1.0; 2 * POP_AGES];
    let own = weighted(tb, inp, m, t, &ones);
    let nc = inp.grid.nc();
    let county: f64 = inp
        .population_years
        .iter()
        .position(|&y| y == t)
        .map_or(0.0, |yc| {
            inp.population[(yc * nc + tb.county[m]) * 2 * POP_AGES..][..2 * POP_AGES]
                .iter()
                .sum()
        });
    if county > 0.0 && own.is_finite() {
        own / county
    } else {
        0.0
    }
}

/// Municipality `m`'s demographic index for profession `p` in sector `k`, in each of `years` (the
/// first the base year, over which each year is taken): the county's care-use profile of the
/// sector, or the profession's mix of service areas in the county.
fn index(tb: &Tables, inp: &Inputs, (m, p, k): (usize, usize, usize), years: &[i32]) -> Vec<f64> {
    let g = &inp.grid;
    let block = 2 * POP_AGES;
    // The profiles with their weights: the service mix, or the sector's profile alone.
    let profiles: Vec<(f64, &[f64])> = match inp.services.as_ref().and_then(|sv| {
        sv.mix(p, tb.county[m], k, g.nc(), g.nk())
            .map(|mx| (sv, mx))
    }) {
        Some((sv, mx)) => mx
            .iter()
            .enumerate()
            .map(|(v, &share)| (share, &sv.profile[v * block..(v + 1) * block]))
            .collect(),
        None => vec![(1.0, &inp.care_use[k * block..(k + 1) * block])],
    };
    // Each profile's base year once, not once a year.
    let bases: Vec<f64> = profiles
        .iter()
        .map(|(_, w)| weighted(tb, inp, m, years[0], w))
        .collect();
    let ratio = |w: &[f64], b: f64, t: i32| {
        if b > 0.0 {
            weighted(tb, inp, m, t, w) / b
        } else {
            1.0
        }
    };
    years
        .iter()
        .map(|&t| {
            profiles
                .iter()
                .zip(&bases)
                .map(|((share, w), &b)| share * ratio(w, b, t))
                .sum()
        })
        .collect()
}

/// Municipal health care per municipality for a run whose inputs hold the municipal tables;
/// `None` without them.
///
/// # Errors
///
/// [`ModelError::Input`] where the municipalities of a county hold more employed persons in a
/// profession, sex and age band than the `employed` input has for the county's municipal sector
/// (more than 1 % and 3 persons over): the two tables do not describe the same register.
pub fn project(pr: &super::Projection) -> Result<Option<Municipal>, ModelError> {
    let inp = &pr.inputs;
    let Some(tb) = &inp.municipal else {
        return Ok(None);
    };
    let Some(k) = inp.grid.sectors.iter().position(|s| s == SECTOR) else {
        return Ok(None);
    };
    let counts = Counts::new(pr, tb, k)?;
    let (nm, npl) = (tb.municipalities.len(), tb.professions.len());
    let years: Vec<i32> = (pr.scenario.base_year..=pr.scenario.horizon).collect();
    let mut out = Municipal {
        municipalities: tb.municipalities.clone(),
        county: tb.county.clone(),
        professions: tb.professions.clone(),
        year: tb.year,
        years: years.clone(),
        employed: vec![0.0; nm * npl],
        supply: Vec::with_capacity(nm * npl * years.len()),
        demand: Vec::with_capacity(nm * npl * years.len()),
    };
    let mut supply = vec![Vec::new(); nm * npl];
    let mut demand = vec![Vec::new(); nm * npl];
    for (pl, &p) in tb.professions.iter().enumerate() {
        // The county's FTE by sex and age, per county that has municipalities here, per year.
        let mut by_age: BTreeMap<usize, Vec<Vec<f64>>> = BTreeMap::new();
        for &c in &tb.county {
            by_age
                .entry(c)
                .or_insert_with(|| years.iter().map(|&y| pr.fte_by_age(p, c, k, y)).collect());
        }
        for m in 0..nm {
            out.employed[m * npl + pl] = counts.own(tb, m, pl).iter().sum();
            let s = counts.supply(pr, tb, (m, pl), &by_age[&tb.county[m]]);
            demand[m * npl + pl] = demand_of(pr, tb, (m, p, k), s[0], &years);
            supply[m * npl + pl] = s;
        }
    }
    out.supply = supply.concat();
    out.demand = demand.concat();
    Ok(Some(out))
}

/// The employed persons per band behind the shares: the county's municipal sector in the
/// `employed` input and the municipalities' sums, `[c][profession][sex][band]`.
struct Counts {
    county: Vec<f64>,
    sums: Vec<f64>,
    /// The band of each workforce age (`None` outside the table's bands).
    band_of: Vec<Option<usize>>,
}

impl Counts {
    /// The counts of `tb` against the `employed` input's sector `k`.
    ///
    /// # Errors
    ///
    /// [`ModelError::Input`] where the municipalities of a county employ more than the county
    /// by more than 1 % and 3 persons.
    fn new(pr: &super::Projection, tb: &Tables, k: usize) -> Result<Counts, ModelError> {
        let (inp, g) = (&pr.inputs, &pr.inputs.grid);
        let (nc, nk, cells) = (g.nc(), g.nk(), g.cells());
        let (npl, nb) = (tb.professions.len(), tb.bands.len());
        let emp_i = inp
            .employment_years
            .iter()
            .position(|&y| y == tb.year)
            .unwrap_or(0);
        let mut county = vec![0.0; nc * npl * 2 * nb];
        for (i, v) in county.iter_mut().enumerate() {
            let (b, x, pl, c) = (i % nb, (i / nb) % 2, (i / nb / 2) % npl, i / nb / 2 / npl);
            let (lo, hi) = tb.bands[b];
            let at = |a: usize| (emp_i * nk + k) * cells + g.idx(tb.professions[pl], c, x, a);
            *v = (lo..=hi).map(|a| inp.employed[at(a)]).sum();
        }
        let mut sums = vec![0.0; county.len()];
        for (m, &c) in tb.county.iter().enumerate() {
            for i in 0..npl * 2 * nb {
                sums[c * npl * 2 * nb + i] += tb.employed[m * npl * 2 * nb + i];
            }
        }
        if let Some(i) = (0..sums.len()).find(|&i| sums[i] > county[i] * 1.01 + 3.0) {
            let (b, x, pl, c) = (i % nb, (i / nb) % 2, (i / nb / 2) % npl, i / nb / 2 / npl);
            return Err(ModelError::Input {
                file: tb.employed_file.clone(),
                message: format!(
                    "the municipalities of county {} employ {} {} (sex {}, ages {}–{}) in municipal care in {}, more than the {} of the employed input's municipal sector ({}); the two tables must come from the same register",
                    g.counties[c],
                    sums[i],
                    g.professions[tb.professions[pl]],
                    x + 1,
                    tb.bands[b].0 + AGE_MIN as usize,
                    tb.bands[b].1 + AGE_MIN as usize,
                    tb.year,
                    county[i],
                    pr.used.get(1).map_or("employed", |u| u.file.as_str()),
                ),
            });
        }
        let band_of = (0..NA)
            .map(|a| tb.bands.iter().position(|&(lo, hi)| lo <= a && a <= hi))
            .collect();
        Ok(Counts {
            county,
            sums,
            band_of,
        })
    }

    /// Municipality `m`'s employed persons in profession position `pl`, `[sex][band]`.
    fn own<'a>(&self, tb: &'a Tables, m: usize, pl: usize) -> &'a [f64] {
        let nb = tb.bands.len();
        &tb.employed[(m * tb.professions.len() + pl) * 2 * nb..][..2 * nb]
    }

    /// Municipality `m`'s supply of profession position `pl` in each year, from its county's FTE
    /// by sex and age in each year (`by_age`).
    fn supply(
        &self,
        pr: &super::Projection,
        tb: &Tables,
        (m, pl): (usize, usize),
        by_age: &[Vec<f64>],
    ) -> Vec<f64> {
        let (npl, nb, c) = (tb.professions.len(), tb.bands.len(), tb.county[m]);
        let own = self.own(tb, m, pl);
        let block = (c * npl + pl) * 2 * nb;
        let whole: f64 = self.county[block..][..2 * nb].iter().sum();
        // Where the county had nobody in the profession in the table's year, the municipality's
        // share of the county's population in the base year.
        let sigma = if whole > 0.0 {
            own.iter().sum::<f64>() / whole
        } else {
            population_share(tb, &pr.inputs, m, pr.scenario.base_year)
        };
        let share = |x: usize, a0: i64| -> f64 {
            let band = usize::try_from(a0)
                .ok()
                .and_then(|a| self.band_of.get(a).copied().flatten());
            match band {
                Some(b) => {
                    let i = block + x * nb + b;
                    let e = self.county[i].max(self.sums[i]);
                    if e > 0.0 { own[x * nb + b] / e } else { sigma }
                }
                None => sigma,
            }
        };
        (pr.scenario.base_year..=pr.scenario.horizon)
            .zip(by_age)
            .map(|(y, f)| {
                let shift = i64::from(y - tb.year);
                (0..2 * NA)
                    .map(|i| share(i / NA, (i % NA) as i64 - shift) * f[i])
                    .sum()
            })
            .collect()
    }
}

/// Municipality `m`'s demand for profession `p` in sector `k` in `years`, from its base-year supply
/// `s_m`: the county's base-year ratio of demand to supply, the municipality's index, the county's
/// other factors.
fn demand_of(
    pr: &super::Projection,
    tb: &Tables,
    (m, p, k): (usize, usize, usize),
    s_m: f64,
    years: &[i32],
) -> Vec<f64> {
    let g = &pr.inputs.grid;
    let (nc, nk) = (g.nc(), g.nk());
    let per = g.np() * nc * nk;
    let base = pr.scenario.base_year;
    let base_ti = pr.years.iter().position(|&y| y == base).unwrap_or(0);
    let i = (p * nc + tb.county[m]) * nk + k;
    let (d_b, s_b) = (pr.demand.fte[i], pr.supply[base_ti * per + i]);
    let ratio = if s_b > 0.0 { d_b / s_b } else { 1.0 };
    let own = index(tb, &pr.inputs, (m, p, k), years);
    years
        .iter()
        .enumerate()
        .map(|(ti, _)| {
            let (d_t, i_t) = (pr.demand.fte[ti * per + i], pr.demand.index[ti * per + i]);
            let other = if d_b > 0.0 && i_t > 0.0 {
                d_t / d_b / i_t
            } else {
                1.0
            };
            s_m * ratio * own[ti] * other
        })
        .collect()
}
