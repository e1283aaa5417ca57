//! The model's inputs as dense arrays, gathered from tidy tables.
//!
//! Every workforce array is laid out `[year][profession][county][sex][age]` with ages contiguous
//! (the inner loop of the projection runs over ages), and a sector or origin index where the table
//! has one, just outside the profession: see the `idx` functions of [`Classification`].

use super::contract::Problem;
use super::scope::Area;
use super::{ModelError, Note};
use crate::codes::CodeLists;
use crate::table::Table;
use crate::validate::Concept;
use std::collections::HashMap;

/// First single-year age of the workforce: a younger person is not counted.
pub const AGE_MIN: u32 = 20;
/// Last single-year age of the workforce: a person older than this has left it.
pub const AGE_MAX: u32 = 74;
/// Number of workforce ages.
pub const NA: usize = (AGE_MAX - AGE_MIN + 1) as usize;
/// Men (SCB code 1) and women (2).
pub const SEXES: [&str; 2] = ["1", "2"];
/// Population ages 0..=100 (100 = 100+).
pub const POP_AGES: usize = 101;

/// The classification the model runs on.
#[derive(Clone, Debug, PartialEq)]
pub struct Classification {
    /// Profession codes (the code list's, in its order, as far as the data has them).
    pub professions: Vec<String>,
    /// County codes.
    pub counties: Vec<String>,
    /// Sector codes (R, K, P).
    pub sectors: Vec<String>,
}

impl Classification {
    /// Number of professions.
    pub fn np(&self) -> usize {
        self.professions.len()
    }
    /// Number of counties.
    pub fn nc(&self) -> usize {
        self.counties.len()
    }
    /// Number of sectors.
    pub fn nk(&self) -> usize {
        self.sectors.len()
    }
    /// Cells of one year of a `[p][c][s][a]` array.
    pub fn cells(&self) -> usize {
        self.np() * self.nc() * 2 * NA
    }
    /// Index of `(p, c, s, a)` in a `[p][c][s][a]` array.
    #[inline]
    pub fn idx(&self, p: usize, c: usize, s: usize, a: usize) -> usize {
        ((p * self.nc() + c) * 2 + s) * NA + a
    }
    /// The nation's sum of profession `p`'s cells (every county, sex and age) in the block of
    /// `v` that starts at offset `at` (a year of licensed persons, licences or FTE).
    pub fn nation_sum(&self, v: &[f64], at: usize, p: usize) -> f64 {
        (0..self.nc())
            .map(|c| {
                let i = at + self.idx(p, c, 0, 0);
                v[i..i + 2 * NA].iter().sum::<f64>()
            })
            .sum()
    }
    /// Index of the profession with this code.
    pub fn prof(&self, code: &str) -> Option<usize> {
        self.professions.iter().position(|p| p == code)
    }
}

/// Whether every code of an axis must be present in a table (per profession, where the table has
/// professions), or only those it has are used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Need {
    /// Every code of the axis.
    Full,
    /// The codes the table has (professions without a programme, years of the table).
    Any,
}

/// One dimension of a gather: the concept, the codes in the order of the output index, and
/// whether all must be present.
struct Axis<'a> {
    concept: Concept,
    codes: &'a [String],
    need: Need,
}

/// An axis that needs every code.
fn ax(concept: Concept, codes: &[String]) -> Axis<'_> {
    Axis {
        concept,
        codes,
        need: Need::Full,
    }
}

/// An axis over the codes the table has.
fn any(concept: Concept, codes: &[String]) -> Axis<'_> {
    Axis {
        concept,
        codes,
        need: Need::Any,
    }
}

/// How a gather checks coverage.
#[derive(Clone, Copy, Debug)]
struct Cover {
    /// Check the `Full` axes per profession (else over the whole table).
    per_profession: bool,
    /// Every cell of the cross-classification must have a row.
    cells: bool,
}

const DENSE: Cover = Cover {
    per_profession: true,
    cells: true,
};

/// Why ages above [`AGE_MAX`] are left out, in English and Swedish.
const ABOVE_WORKFORCE_AGES: (&str, &str) = (
    "ages above 74, who have left the workforce",
    "åldrar över 74, som lämnat arbetskraften",
);

/// Where a category of a table goes on an axis.
enum Place {
    /// At this index.
    At(usize),
    /// Left out, with the reason in English and Swedish (a total; ages above the workforce's).
    Leave((&'static str, &'static str)),
    /// Not placeable.
    Bad {
        expected: String,
        nearest: Vec<String>,
    },
    /// An age band.
    Band,
    /// Another gather's rows, left out without a note (a specialty group of another layer:
    /// the gather of that layer places it).
    Elsewhere,
}

/// The code a category stands for on an axis of this concept, and where it goes.
fn place(concept: Concept, cat: &crate::table::Category, codes: &[String]) -> Place {
    use crate::codes::{Age, Lookup, age};
    let at = |code: &str| codes.iter().position(|c| c == code);
    match concept {
        Concept::Age => {
            let top: u32 = codes
                .last()
                .and_then(|c| c.parse().ok())
                .map_or(AGE_MAX + 1, |x: u32| x + 1);
            let bottom: u32 = codes.first().and_then(|c| c.parse().ok()).unwrap_or(0);
            // The population's last class is 100+; the workforce's ages end at 74.
            let population = top == POP_AGES as u32;
            let a = cat.texts().find_map(age);
            match a {
                Some(Age::Total) => {
                    Place::Leave(("totals over all ages", "summor över alla åldrar"))
                }
                Some(Age::Single(x)) if x < bottom => Place::Bad {
                    expected: format!(
                        "single years of age {bottom}–{}{}",
                        top - 1,
                        if population {
                            "+"
                        } else {
                            " (ages above 74 are left out)"
                        }
                    ),
                    nearest: Vec::new(),
                },
                Some(Age::Single(x)) | Some(Age::OpenTop(x)) if population && x + 1 >= top => {
                    at(&(top - 1).to_string()).map_or(Place::Leave(("ages", "åldrar")), Place::At)
                }
                Some(Age::Single(x)) if x >= top => Place::Leave(ABOVE_WORKFORCE_AGES),
                Some(Age::Single(x)) => at(&x.to_string()).map_or(
                    Place::Bad {
                        expected: format!("single years of age {bottom}–{}", top - 1),
                        nearest: Vec::new(),
                    },
                    Place::At,
                ),
                Some(Age::OpenTop(x)) | Some(Age::Band(x, _)) if x >= top => {
                    Place::Leave(ABOVE_WORKFORCE_AGES)
                }
                Some(Age::OpenTop(_)) | Some(Age::Band(_, _)) => Place::Band,
                None => Place::Bad {
                    expected: "an age in whole years (34, 34 år, 100+ år) or a total".into(),
                    nearest: Vec::new(),
                },
            }
        }
        Concept::Year | Concept::Contents => at(cat.code.trim()).map_or(
            Place::Bad {
                expected: format!("one of {}", codes.join(", ")),
                nearest: Vec::new(),
            },
            Place::At,
        ),
        _ => match crate::validate::resolve(concept, cat) {
            Lookup::Code(c) => match at(&c) {
                Some(i) => Place::At(i),
                None if concept == Concept::Profession => Place::Leave((
                    "professions the licence register does not have",
                    "yrken som legitimationsregistret inte har",
                )),
                // Only a scoped run's axes lack a county or region of the code lists.
                None if concept == Concept::County && CodeLists::get().county(&c).is_some() => {
                    Place::Leave(("counties outside the scope", "län utanför avgränsningen"))
                }
                None if concept == Concept::HealthcareRegion
                    && CodeLists::get()
                        .healthcare_regions
                        .iter()
                        .any(|r| r.code == c) =>
                {
                    Place::Leave((
                        "health-care regions outside the scope",
                        "sjukvårdsregioner utanför avgränsningen",
                    ))
                }
                None if concept == Concept::Specialty
                    && CodeLists::get().specialties.iter().any(|s| s.code == c) =>
                {
                    Place::Elsewhere
                }
                None if concept == Concept::Service => Place::Bad {
                    expected: format!(
                        "a service area the care use per service area (`demand.service_use`) has: {} (the staffing matrix weights only areas whose care use is given)",
                        codes.join(", ")
                    ),
                    nearest: Vec::new(),
                },
                None => Place::Bad {
                    expected: match crate::validate::list_of(concept) {
                        Some(crate::codes::List::Counties) => {
                            format!("a county ({c} is a municipality; the model needs counties)")
                        }
                        _ => format!("one of {}", codes.join(", ")),
                    },
                    nearest: Vec::new(),
                },
            },
            Lookup::Total => Place::Leave(("totals of other rows", "summor av andra rader")),
            Lookup::Unknown { nearest } => Place::Bad {
                expected: crate::validate::list_of(concept).map_or_else(
                    || format!("one of {}", codes.join(", ")),
                    |l| l.expected().into(),
                ),
                nearest,
            },
        },
    }
}

/// The municipality code a category of a region dimension stands for: its code's first word
/// when that is four digits (a municipality's SCB code, whose first two digits are its county's,
/// also a code that no longer exists), else the municipality its code or label resolves to.
pub(crate) fn municipality_of(cat: &crate::table::Category) -> Option<String> {
    let first = cat.code.split_whitespace().next()?;
    if first.len() == 4 && first.bytes().all(|b| b.is_ascii_digit()) {
        return Some(first.to_string());
    }
    match crate::validate::resolve(Concept::County, cat) {
        crate::codes::Lookup::Code(c) if CodeLists::get().municipality(&c).is_some() => Some(c),
        _ => None,
    }
}

/// The problems and notes of the gathers of one run, collected as the arrays are taken.
#[derive(Default)]
struct Sink {
    problems: Vec<Problem>,
    notes: Vec<(String, Note)>,
}

impl Sink {
    /// The values of a gather; its problems and notes (as `(file, note)`) kept, each once.
    fn take(&mut self, table: &Table, g: Gathered) -> Vec<f64> {
        for p in g.problems {
            // EMP and FTE are rows of one table: a problem of both once.
            if !self.problems.contains(&p) {
                self.problems.push(p);
            }
        }
        for n in g.notes {
            let entry = (table.meta.origin.clone(), n);
            if !self.notes.contains(&entry) {
                self.notes.push(entry);
            }
        }
        g.values
    }
}

/// Where each category of dimension `d` of `t` goes on axis `ax`: its index there, or `None` (left
/// out for a stated reason, a part of another layer, or a problem). Problems and notes on the
/// categories go into `out`.
fn axis_map(
    t: &Table,
    d: usize,
    ax: &Axis<'_>,
    first_row: &[Vec<Option<usize>>],
    out: &mut Gathered,
) -> Vec<Option<usize>> {
    let file = t.meta.origin.clone();
    let place_of = |d: usize, k: usize| first_row[d][k].map(|r| t.row_place(r)).unwrap_or_default();
    let dim = &t.dims[d];
    let mut map = vec![None; dim.len()];
    let mut left: Vec<((&'static str, &'static str), String)> = Vec::new();
    let mut bands: Vec<String> = Vec::new();
    let mut owner: Vec<Option<usize>> = vec![None; ax.codes.len()];
    // SCB's region variable holds the nation, the counties and their municipalities in one
    // dimension: a municipality whose county's row the table has is a part of that row and
    // left out; municipalities whose county's row it lacks are summed into their county
    // (checked below to be all of the county's).
    let municipal: Vec<Option<String>> = dim
        .categories
        .iter()
        .map(|cat| {
            (ax.concept == Concept::County)
                .then(|| municipality_of(cat))
                .flatten()
        })
        .collect();
    let county_rows: Vec<String> = dim
        .categories
        .iter()
        .enumerate()
        .filter(|(k, _)| {
            ax.concept == Concept::County && municipal[*k].is_none() && first_row[d][*k].is_some()
        })
        .filter_map(
            |(_, cat)| match crate::validate::resolve(Concept::County, cat) {
                crate::codes::Lookup::Code(c) if CodeLists::get().county(&c).is_some() => Some(c),
                _ => None,
            },
        )
        .collect();
    // (county index, municipality code, category) of the municipalities summed.
    let mut summed: Vec<(usize, String, usize)> = Vec::new();
    for (k, cat) in dim.categories.iter().enumerate() {
        // A category no row uses cannot distort anything.
        if first_row[d][k].is_none() {
            continue;
        }
        if let Some(m) = &municipal[k] {
            let county = &m[..2];
            if county_rows.iter().any(|c| c == county) {
                left.push((
                    (
                        "municipalities, whose counties' rows the table has",
                        "kommuner, vars läns rader tabellen har",
                    ),
                    cat.code.clone(),
                ));
                continue;
            }
            match ax.codes.iter().position(|c| c == county) {
                Some(i) => {
                    // The same municipality twice (by code and by name) would count twice.
                    match summed.iter().find(|(_, x, _)| x == m) {
                        Some((_, _, k0)) => out.problems.push(Problem::Duplicate {
                            file: file.clone(),
                            dimension: dim.id.clone(),
                            categories: (dim.categories[*k0].code.clone(), cat.code.clone()),
                            code: m.clone(),
                        }),
                        None => {
                            map[k] = Some(i);
                            summed.push((i, m.clone(), k));
                        }
                    }
                    continue;
                }
                None if CodeLists::get().county(county).is_some() => {
                    left.push((
                        ("counties outside the scope", "län utanför avgränsningen"),
                        cat.code.clone(),
                    ));
                    continue;
                }
                None => {}
            }
        }
        match place(ax.concept, cat, ax.codes) {
            Place::At(i) => {
                let top_age = ax.concept == Concept::Age && i + 1 == POP_AGES;
                match owner[i] {
                    Some(k0) if !top_age => out.problems.push(Problem::Duplicate {
                        file: file.clone(),
                        dimension: dim.id.clone(),
                        categories: (dim.categories[k0].code.clone(), cat.code.clone()),
                        code: ax.codes[i].clone(),
                    }),
                    _ => {
                        owner[i] = Some(k);
                        map[k] = Some(i);
                    }
                }
            }
            Place::Leave(why) => left.push((why, cat.code.clone())),
            Place::Band => bands.push(cat.code.clone()),
            Place::Elsewhere => {}
            Place::Bad { expected, nearest } => out.problems.push(Problem::Unplaced {
                file: file.clone(),
                place: place_of(d, k),
                dimension: dim.id.clone(),
                value: cat.code.clone(),
                expected,
                nearest,
            }),
        }
    }
    if !summed.is_empty() {
        note_summed_municipalities(&file, &dim.id, ax, summed, out);
    }
    if !bands.is_empty() {
        let first = |code: Option<&String>| {
            dim.categories
                .iter()
                .position(|c| code == Some(&c.code))
                .map(|k| place_of(d, k))
                .unwrap_or_default()
        };
        age_bands_problem(&file, dim, ax, bands, first, out);
    }
    note_left_out(&dim.id, &left, out);
    map
}

/// The municipalities summed into their counties (`(county index, municipality code, category)`):
/// a county whose municipalities are not all there is a [`Problem::Coverage`]; the summing is noted.
fn note_summed_municipalities(
    file: &str,
    dimension: &str,
    ax: &Axis<'_>,
    mut summed: Vec<(usize, String, usize)>,
    out: &mut Gathered,
) {
    summed.sort();
    let mut counties: Vec<usize> = summed.iter().map(|(i, _, _)| *i).collect();
    counties.dedup();
    for i in counties {
        let have: Vec<&String> = summed
            .iter()
            .filter(|(j, _, _)| *j == i)
            .map(|(_, m, _)| m)
            .collect();
        let lack: Vec<String> = CodeLists::get()
            .municipalities
            .iter()
            .filter(|m| m.county == ax.codes[i] && !have.contains(&&m.code))
            .map(|m| m.code.clone())
            .collect();
        if !lack.is_empty() {
            out.problems.push(Problem::Coverage {
                file: file.to_string(),
                what: format!(
                    "{dimension} has no row for county {} and only some of its municipalities, which would be summed into it:",
                    ax.codes[i]
                ),
                missing: lack,
                of: Vec::new(),
            });
        }
    }
    let codes: Vec<&str> = summed.iter().map(|(_, m, _)| m.as_str()).collect();
    let shown = if codes.len() > 6 {
        format!("{}, … ({} in all)", codes[..6].join(", "), codes.len())
    } else {
        codes.join(", ")
    };
    out.notes.push(Note::new(
        format!(
            "{dimension} {shown}: municipalities summed into their counties (the table has no rows for those counties)"
        ),
        format!(
            "{dimension} {}: kommuner summerade till sina län (tabellen har inga rader för de länen)",
            shown.replace("in all", "totalt")
        ),
    ));
}

/// A [`Problem::AgeBands`] for an age dimension given in bands (`bands`, the categories that are
/// bands), located at the first band's row (`first` finds it by code).
fn age_bands_problem(
    file: &str,
    dim: &crate::table::Dimension,
    ax: &Axis<'_>,
    bands: Vec<String>,
    first: impl Fn(Option<&String>) -> String,
    out: &mut Gathered,
) {
    let top = if ax.codes.len() == POP_AGES {
        POP_AGES as u32 - 1
    } else {
        AGE_MAX + 1
    };
    let detected = super::contract::age_bands(&dim.categories, top);
    out.problems.push(Problem::AgeBands {
        file: file.to_string(),
        place: first(detected.first()),
        dimension: dim.id.clone(),
        bands: if detected.is_empty() { bands } else { detected },
    });
}

/// One note per reason the categories in `left` (`(reason in English and Swedish, code)`) were left
/// out of `dimension`, listing the first six codes.
fn note_left_out(
    dimension: &str,
    left: &[((&'static str, &'static str), String)],
    out: &mut Gathered,
) {
    let mut whys: Vec<(&'static str, &'static str)> = left.iter().map(|l| l.0).collect();
    whys.dedup();
    for why in whys {
        let codes: Vec<String> = left
            .iter()
            .filter(|l| l.0 == why)
            .map(|l| l.1.clone())
            .collect();
        let shown = |in_all: &str| {
            if codes.len() > 6 {
                format!("{}, … ({} {in_all})", codes[..6].join(", "), codes.len())
            } else {
                codes.join(", ")
            }
        };
        out.notes.push(Note::new(
            format!("{dimension} {} left out ({})", shown("in all"), why.0),
            format!("{dimension} {} utelämnade ({})", shown("totalt"), why.1),
        ));
    }
}

/// What a gather gives: the array, the problems found, and notes on rows left out.
struct Gathered {
    values: Vec<f64>,
    problems: Vec<Problem>,
    notes: Vec<Note>,
}

/// Sums a table's cells into a dense array indexed by `axes` (first slowest), keeping only rows whose
/// dimensions of the `fixed` concepts have the given codes. Every other row is placed, or left out
/// for a stated reason (a total, an age above 74), or reported as a [`Problem`]; a dimension that is
/// no axis is summed over, or its total taken where it has one. Coverage is checked as `cover` says;
/// cells without a number are listed, grouped.
fn gather(t: &Table, axes: &[Axis<'_>], fixed: &[(Concept, &str)], cover: Cover) -> Gathered {
    let file = t.meta.origin.clone();
    let sizes: Vec<usize> = axes.iter().map(|a| a.codes.len()).collect();
    let total: usize = sizes.iter().product();
    let mut out = Gathered {
        values: vec![0.0; total],
        problems: Vec::new(),
        notes: Vec::new(),
    };
    let concepts: Vec<Option<Concept>> = t.dims.iter().map(Concept::of).collect();
    let find = |c: Concept| concepts.iter().position(|x| *x == Some(c));
    let first_row = {
        let mut f: Vec<Vec<Option<usize>>> = t.dims.iter().map(|d| vec![None; d.len()]).collect();
        for (d, keys) in t.keys.iter().enumerate() {
            for (r, &k) in keys.iter().enumerate() {
                f[d][k as usize].get_or_insert(r);
            }
        }
        f
    };
    // Per axis: the table's dimension and where each of its categories goes.
    let mut maps: Vec<(usize, Vec<Option<usize>>)> = Vec::new();
    let mut missing_dim = false;
    for ax in axes {
        let Some(d) = find(ax.concept) else {
            out.problems.push(Problem::MissingDimension {
                file: file.clone(),
                concept: format!("{:?}", ax.concept),
                dimensions: t.dims.iter().map(|d| d.id.clone()).collect(),
            });
            missing_dim = true;
            continue;
        };
        let map = axis_map(t, d, ax, &first_row, &mut out);
        maps.push((d, map));
    }
    if missing_dim {
        return out;
    }
    let mut fixed_maps = Vec::new();
    for (c, code) in fixed {
        let Some(d) = find(*c) else {
            out.problems.push(Problem::MissingDimension {
                file: file.clone(),
                concept: format!("{c:?}"),
                dimensions: t.dims.iter().map(|d| d.id.clone()).collect(),
            });
            return out;
        };
        match t.dims[d].position(code) {
            Some(k) => fixed_maps.push((d, k as u32)),
            None => {
                out.problems.push(Problem::Unplaced {
                    file: file.clone(),
                    place: String::new(),
                    dimension: t.dims[d].id.clone(),
                    value: code.to_string(),
                    expected: "a category the table has".into(),
                    nearest: Vec::new(),
                });
                return out;
            }
        }
    }
    // A dimension that is neither an axis nor fixed: its total where it has one, else the sum.
    other_dimensions(t, &maps, &mut fixed_maps, &mut out.notes);
    let mut seen = vec![false; total];
    // Cells without a number: grouped by the codes of every axis but age and year.
    let mut missing = MissingCells::new(axes, &sizes);
    let mut idx = vec![0usize; axes.len()];
    'rows: for r in 0..t.len() {
        for &(d, k) in &fixed_maps {
            if t.keys[d][r] != k {
                continue 'rows;
            }
        }
        let mut i = 0usize;
        for (ax, (d, map)) in maps.iter().enumerate() {
            match map[t.keys[*d][r] as usize] {
                Some(x) => {
                    idx[ax] = x;
                    i = i * sizes[ax] + x;
                }
                None => continue 'rows,
            }
        }
        seen[i] = true;
        match t.value(r) {
            Some(v) => out.values[i] += v,
            None => missing.add(t, r, &idx),
        }
    }
    out.problems.extend(missing.problem(&file));
    coverage(&file, axes, &sizes, &seen, cover, &mut out.problems);
    out
}

/// The dimensions of `t` that are neither an axis (`maps`) nor fixed (`fixed`): one with a total
/// category is fixed at it (pushed onto `fixed`), any other is summed over; either is noted.
fn other_dimensions(
    t: &Table,
    maps: &[(usize, Vec<Option<usize>>)],
    fixed: &mut Vec<(usize, u32)>,
    notes: &mut Vec<Note>,
) {
    for d in 0..t.dims.len() {
        if maps.iter().any(|m| m.0 == d) || fixed.iter().any(|f| f.0 == d) {
            continue;
        }
        let dim = &t.dims[d];
        let total = match dim.elimination {
            Some(crate::table::Elimination::Total(k)) => Some(k),
            _ => dim
                .categories
                .iter()
                .position(|c| crate::validate::is_total_code(&c.code)),
        };
        if let Some(k) = total
            && dim.len() > 1
        {
            fixed.push((d, k as u32));
            notes.push(Note::new(
                format!(
                    "{} {} used (the total over the dimension, which the model does not hold apart)",
                    dim.id, dim.categories[k].code
                ),
                format!(
                    "{} {} används (summan över dimensionen, som modellen inte håller isär)",
                    dim.id, dim.categories[k].code
                ),
            ));
        } else if dim.len() > 1 {
            notes.push(Note::new(
                format!(
                    "{} summed over its {} categories (the model does not hold it apart)",
                    dim.id,
                    dim.len()
                ),
                format!(
                    "{} summerad över sina {} kategorier (modellen håller den inte isär)",
                    dim.id,
                    dim.len()
                ),
            ));
        }
    }
}

/// A missing cells' group: where its first row is (and its key), the ages and the years its cells
/// are at, how many, and their statuses.
type MissingGroup = (
    String,
    Vec<bool>,
    Vec<bool>,
    usize,
    std::collections::BTreeSet<String>,
);

/// The cells of a gather without a number, grouped by the codes of every axis but age and year,
/// for one [`Problem::MissingCells`].
struct MissingCells<'a> {
    axes: &'a [Axis<'a>],
    age_ax: Option<usize>,
    year_ax: Option<usize>,
    ages: usize,
    years: usize,
    groups: Vec<MissingGroup>,
    group_at: HashMap<Vec<usize>, usize>,
    cells: usize,
}

impl<'a> MissingCells<'a> {
    /// None yet, on `axes` of `sizes`.
    fn new(axes: &'a [Axis<'a>], sizes: &[usize]) -> MissingCells<'a> {
        let age_ax = axes.iter().position(|a| a.concept == Concept::Age);
        let year_ax = axes.iter().position(|a| a.concept == Concept::Year);
        MissingCells {
            axes,
            age_ax,
            year_ax,
            ages: age_ax.map_or(0, |a| sizes[a]),
            years: year_ax.map_or(0, |a| sizes[a]),
            groups: Vec::new(),
            group_at: HashMap::new(),
            cells: 0,
        }
    }

    /// Row `r` of `t`, at `idx` on the axes, has no number.
    fn add(&mut self, t: &Table, r: usize, idx: &[usize]) {
        let (age_ax, year_ax) = (self.age_ax, self.year_ax);
        self.cells += 1;
        let key: Vec<usize> = idx
            .iter()
            .enumerate()
            .map(|(a, &x)| {
                if Some(a) == age_ax || Some(a) == year_ax {
                    0
                } else {
                    x
                }
            })
            .collect();
        let (groups, ages, years) = (&mut self.groups, self.ages, self.years);
        let g = *self.group_at.entry(key).or_insert_with(|| {
            groups.push((
                t.row_place(r),
                vec![false; ages],
                vec![false; years],
                0,
                Default::default(),
            ));
            groups.len() - 1
        });
        let grp = &mut self.groups[g];
        if let Some(a) = age_ax {
            grp.1[idx[a]] = true;
        }
        if let Some(y) = year_ax {
            grp.2[idx[y]] = true;
        }
        grp.3 += 1;
        grp.4.insert(match t.symbol(r) {
            Some(s) => format!("{} ({s})", t.status[r]),
            None => t.status[r].to_string(),
        });
        // Its key, for the message, from the row's own codes.
        if grp.3 == 1 {
            let codes: Vec<String> = self
                .axes
                .iter()
                .enumerate()
                .filter(|(a, _)| Some(*a) != age_ax && Some(*a) != year_ax)
                .map(|(a, ax)| ax.codes[idx[a]].clone())
                .collect();
            grp.0 = if t.lines.len() == t.len() {
                format!("line {}: {}", grp.0, codes.join(" "))
            } else {
                codes.join(" ")
            };
        }
    }

    /// The problem of `file`'s missing cells, if it has any.
    fn problem(self, file: &str) -> Option<Problem> {
        if self.cells == 0 {
            return None;
        }
        let axes = self.axes;
        Some(Problem::MissingCells {
            file: file.to_string(),
            profile_key: None,
            cells: self.cells,
            groups: self
                .groups
                .iter()
                .map(|(head, ages, years, n, st)| {
                    let mut s = format!(
                        "{head}: {n} cell(s) {}",
                        st.iter().cloned().collect::<Vec<_>>().join("/")
                    );
                    if let Some(a) = self.age_ax {
                        s += &format!(
                            ", ages {}",
                            super::contract::runs(axes[a].codes, ages).join(", ")
                        );
                    }
                    if let Some(y) = self.year_ax {
                        s += &format!(
                            ", years {}",
                            super::contract::runs(axes[y].codes, years).join(", ")
                        );
                    }
                    s
                })
                .collect(),
        })
    }
}

/// Checks that the `Full` axes are covered (per profession where asked), then that every cell
/// has a row; adds what is missing to `problems`, grouped.
fn coverage(
    file: &str,
    axes: &[Axis<'_>],
    sizes: &[usize],
    seen: &[bool],
    cover: Cover,
    problems: &mut Vec<Problem>,
) {
    let n = axes.len();
    let prof = axes
        .iter()
        .position(|a| a.concept == Concept::Profession)
        .filter(|_| cover.per_profession);
    let np = prof.map_or(1, |p| sizes[p]);
    // present[a][p][code]: whether profession p has any row with code `code` on axis a.
    let mut present: Vec<Vec<Vec<bool>>> =
        sizes.iter().map(|&s| vec![vec![false; s]; np]).collect();
    let mut any_prof = vec![false; np];
    let mut idx = vec![0usize; n];
    for (i, &s) in seen.iter().enumerate() {
        if !s {
            continue;
        }
        let mut rest = i;
        for a in (0..n).rev() {
            idx[a] = rest % sizes[a];
            rest /= sizes[a];
        }
        let p = prof.map_or(0, |p| idx[p]);
        any_prof[p] = true;
        for a in 0..n {
            present[a][p][idx[a]] = true;
        }
    }
    let mut gaps = false;
    for (a, ax) in axes.iter().enumerate() {
        if ax.need != Need::Full {
            continue;
        }
        if ax.concept == Concept::Profession {
            // Over the whole table: which professions have no row at all.
            let have: Vec<bool> = (0..sizes[a])
                .map(|k| present[a].iter().any(|p| p[k]))
                .collect();
            if have.iter().any(|h| !h) {
                gaps = true;
                problems.push(Problem::Coverage {
                    file: file.to_string(),
                    what: "professions".into(),
                    missing: super::contract::runs(
                        ax.codes,
                        &have.iter().map(|h| !h).collect::<Vec<_>>(),
                    ),
                    of: Vec::new(),
                });
            }
            continue;
        }
        // Group the professions (with any row) by what they lack.
        let mut by_gap: Vec<(Vec<bool>, Vec<String>)> = Vec::new();
        for p in (0..np).filter(|&p| any_prof[p]) {
            let lack: Vec<bool> = present[a][p].iter().map(|h| !h).collect();
            if !lack.iter().any(|l| *l) {
                continue;
            }
            let name = prof.map_or(String::new(), |pa| axes[pa].codes[p].clone());
            match by_gap.iter_mut().find(|g| g.0 == lack) {
                Some(g) => g.1.push(name),
                None => by_gap.push((lack, vec![name])),
            }
        }
        let with_rows = any_prof.iter().filter(|x| **x).count();
        for (lack, mut of) in by_gap {
            gaps = true;
            if prof.is_none() || of.len() == with_rows {
                of.clear();
            }
            problems.push(Problem::Coverage {
                file: file.to_string(),
                what: match ax.concept {
                    Concept::County => "counties",
                    Concept::Sex => "sexes",
                    Concept::Age => "ages",
                    Concept::Year => "years",
                    Concept::Sector => "sectors",
                    Concept::Origin => "countries of education",
                    Concept::HealthcareRegion => "health-care regions",
                    Concept::Assessment => "assessments",
                    _ => "codes",
                }
                .into(),
                missing: super::contract::runs(ax.codes, &lack),
                of,
            });
        }
    }
    if gaps || !cover.cells {
        return;
    }
    // Every cell of the cross-classification (the `Any` axes over the codes the table has).
    let any_codes: Vec<Vec<bool>> = (0..n)
        .map(|a| {
            (0..sizes[a])
                .map(|k| axes[a].need == Need::Full || present[a].iter().any(|p| p[k]))
                .collect()
        })
        .collect();
    let mut absent = 0usize;
    let mut examples = Vec::new();
    for (i, &s) in seen.iter().enumerate() {
        if s {
            continue;
        }
        let mut rest = i;
        for a in (0..n).rev() {
            idx[a] = rest % sizes[a];
            rest /= sizes[a];
        }
        if (0..n).all(|a| any_codes[a][idx[a]]) {
            absent += 1;
            if examples.len() < 5 {
                examples.push(
                    (0..n)
                        .map(|a| axes[a].codes[idx[a]].as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                );
            }
        }
    }
    if absent > 0 {
        problems.push(Problem::AbsentCells {
            file: file.to_string(),
            cells: absent,
            examples,
        });
    }
}

/// The workforce ages as codes (`20` … `74`).
fn ages_codes() -> Vec<String> {
    (AGE_MIN..=AGE_MAX).map(|a| a.to_string()).collect()
}

/// The population's ages as codes (`0` … `100`, the last 100 and over).
fn population_ages() -> Vec<String> {
    (0..POP_AGES).map(|a| a.to_string()).collect()
}

/// The sexes as codes ([`SEXES`]).
fn sex_codes() -> Vec<String> {
    SEXES.iter().map(|s| s.to_string()).collect()
}

/// The categories of a table's `c` dimension that some row uses (none without the dimension).
fn categories_used(t: &Table, c: Concept) -> Vec<&crate::table::Category> {
    let Some(d) = t.dims.iter().position(|d| Concept::of(d) == Some(c)) else {
        return Vec::new();
    };
    let mut used = vec![false; t.dims[d].len()];
    for &k in &t.keys[d] {
        used[k as usize] = true;
    }
    t.dims[d]
        .categories
        .iter()
        .zip(used)
        .filter(|(_, u)| *u)
        .map(|(cat, _)| cat)
        .collect()
}

/// The codes (as written) of the categories of a table's `c` dimension that some row uses.
fn codes_used(t: &Table, c: Concept) -> Vec<String> {
    categories_used(t, c)
        .into_iter()
        .map(|cat| cat.code.clone())
        .collect()
}

fn codes_of(t: &Table, c: Concept) -> Vec<String> {
    t.dims
        .iter()
        .find(|d| Concept::of(d) == Some(c))
        .map(|d| d.categories.iter().map(|x| x.code.clone()).collect())
        .unwrap_or_default()
}

/// The codes of the categories of a table's `c` dimension that some row uses, resolved (published
/// labels to codes); totals and unknown labels are not codes.
fn codes_present(t: &Table, c: Concept) -> Vec<String> {
    categories_used(t, c)
        .into_iter()
        .filter_map(|cat| match crate::validate::resolve(c, cat) {
            crate::codes::Lookup::Code(code) => Some(code),
            _ => None,
        })
        .collect()
}

fn years_of(t: &Table) -> Vec<i32> {
    codes_of(t, Concept::Year)
        .iter()
        .filter_map(|y| y.parse().ok())
        .collect()
}

fn strings(v: &[i32]) -> Vec<String> {
    v.iter().map(|y| y.to_string()).collect()
}

/// The workforce and population inputs of a projection, as arrays.
#[derive(Clone, Debug)]
pub struct Inputs {
    /// The classification.
    pub grid: Classification,
    /// Years of the licence register (`licensed`, `issued`).
    pub licence_years: Vec<i32>,
    /// Licensed persons, `[year][p][c][s][a]`.
    pub licensed: Vec<f64>,
    /// Licences issued, `[year][origin][p][c][s][a]`, origins SE, EU, TC.
    pub issued: Vec<f64>,
    /// Years with employment data.
    pub employment_years: Vec<i32>,
    /// Employed persons, `[year][sector][p][c][s][a]`.
    pub employed: Vec<f64>,
    /// Full-time equivalents, `[year][sector][p][c][s][a]`.
    pub fte: Vec<f64>,
    /// Population years (history and projection, ascending, no gaps).
    pub population_years: Vec<i32>,
    /// Population, `[year][c][s][age 0..=100]`.
    pub population: Vec<f64>,
    /// Care use per person, `[sector][s][age 0..=100]`: the profile demand weights population
    /// with. From a table with a year dimension, the latest year's ([`super::project`] replaces it
    /// by the latest year up to the base year).
    pub care_use: Vec<f64>,
    /// Years of the care-use table when it has a year dimension (ascending); empty when it has none.
    pub care_use_years: Vec<i32>,
    /// Care use per person by year, `[year][sector][s][age 0..=100]`, over `care_use_years`
    /// (empty without a year dimension).
    pub care_use_history: Vec<f64>,
    /// Programme years of admissions data.
    pub admission_years: Vec<i32>,
    /// Health-care region codes of the admissions data.
    pub hc_regions: Vec<String>,
    /// Beginners, `[year][p][hc region]` (0 where a profession has no programme).
    pub beginners: Vec<f64>,
    /// Graduates, `[year][p][hc region]`.
    pub graduates: Vec<f64>,
    /// Balance assessments: counts, `[p][c][sector][assessment]`, assessments shortage, balance, surplus.
    pub balance: Vec<f64>,
    /// Groups of workforce ages `(first, last)` (indices from [`AGE_MIN`], inclusive) over which
    /// exit rates are pooled because the licences issued came in age bands and the register did
    /// not (see [`exit_groups`]); empty otherwise.
    pub exit_groups: Vec<(usize, usize)>,
    /// Groups of workforce ages `(first, last)` over which the employment share and FTE per
    /// employed person are estimated because the employed table came in age bands (its
    /// [`workforce_bands`]; see [`super::supply::banded_ratio`]): employed and licensed persons
    /// of the same year add up exactly in a band's sums, while the ungrouped single years have a
    /// shape of their own, whose ratio to the register an age-by-age estimate would carry into
    /// every nowcast and projection. Empty when the employed table came in single years.
    pub employment_groups: Vec<(usize, usize)>,
    /// Groups of workforce ages `(first, last)`, by the age at certificate, in which a layer's
    /// certification rates are held to the certificates ([`super::supply::certification_rates`])
    /// because the licences issued or the register came in age bands: the licences' bands where they are
    /// banded (the certificates add up exactly there), else the register's bands one year on
    /// (those certified at `lo + 1 … hi + 1` were at risk at `lo … hi` the year before, where the
    /// register adds up). Empty when both came in single years.
    pub certificate_groups: Vec<(usize, usize)>,
    /// Whether the register or the licences issued came in age bands, so that the exit rates
    /// rest on ungrouped shapes or on bands ([`follow_cohorts`], [`exit_groups`]). Counties'
    /// exits then differ by one factor, not by age group (see [`Inputs::moves_by_age`]).
    pub banded_exits: bool,
    /// The scenario's table of rates (`supply.rates`) that replaces estimates; empty without one
    /// (see [`super::levers::read_overrides`]).
    pub overrides: super::levers::Overrides,
    /// Care use per service area and the staffing matrix (`demand.service_use`,
    /// `demand.staffing`), when the scenario drives demand by service; see [`gather_services`].
    pub services: Option<super::services::Services>,
    /// Where each health-care region's graduates took their licences (`supply.destinations`),
    /// in a national run that names the table; see [`gather_destinations`].
    pub destinations: Option<super::destinations::Destinations>,
    /// Specialists by specialty group and training starts (`supply.specialists`,
    /// `supply.st_starts`), one per layer the groups divide (empty without the table);
    /// see [`gather_specialists`].
    pub specialists: Vec<super::specialties::Input>,
    /// Live births by county and year (`demand.births`), when the scenario names a table; see
    /// [`gather_births`] and [`super::demand::weighted_population`].
    pub births: Option<Births>,
    /// Municipal health care's tables by municipality (`municipal.employed`,
    /// `municipal.population`), when the scenario names them; see [`super::municipal::gather`].
    pub municipal: Option<super::municipal::Tables>,
}

/// Live births by county and year, as [`gather_births`] reads them.
#[derive(Clone, Debug, PartialEq)]
pub struct Births {
    /// The table's file, for messages.
    pub file: String,
    /// The table's years, ascending.
    pub years: Vec<i32>,
    /// Births, `[year][c]` over the run's counties.
    pub counts: Vec<f64>,
    /// Counties of the run.
    pub nc: usize,
}

impl Births {
    /// The births in county `c` in year `t`; `None` for a year the table does not have.
    pub fn get(&self, t: i32, c: usize) -> Option<f64> {
        let y = self.years.iter().position(|&x| x == t)?;
        self.counts.get(y * self.nc + c).copied()
    }

    /// The years of `from..=to` the table does not have.
    pub fn missing(&self, from: i32, to: i32) -> Vec<i32> {
        (from..=to).filter(|t| !self.years.contains(t)).collect()
    }

    /// The same with the counties summed into one (a national projection).
    pub fn summed_to_nation(&self) -> Births {
        Births {
            file: self.file.clone(),
            years: self.years.clone(),
            counts: self
                .counts
                .chunks(self.nc.max(1))
                .map(|y| y.iter().sum())
                .collect(),
            nc: 1,
        }
    }
}

impl Inputs {
    /// Each county's health-care region as an index among the run's regions (`hc_regions`),
    /// `None` for a county whose region the run lacks.
    pub fn county_regions(&self) -> Vec<Option<usize>> {
        let lists = crate::codes::CodeLists::get();
        self.grid
            .counties
            .iter()
            .map(|c| {
                let hr = &lists.county(c)?.healthcare_region;
                self.hc_regions.iter().position(|x| x == hr)
            })
            .collect()
    }

    /// Whether counties' exits differ from the nation's by age group, a flow of moves of their
    /// own: the scenario asks for it (`supply.county_exits_by = "age"`, see
    /// [`super::movement`]) and the register and the licences issued came in single years. With
    /// either in bands a county's figures by single age carry the ungrouping's shapes, which
    /// would read as moves (on the default data, licences issued in 5-year bands moved 2040
    /// supply by up to 9 % with deviations by age group, against 1.6 % with one factor per
    /// county), so there each county keeps one factor on the national rates, as with `"level"`.
    pub fn moves_by_age(&self, s: &super::scenario::Supply) -> bool {
        s.moves_by_age() && !self.banded_exits
    }
}

/// The workforce ages as groups `(first, last)` (indices from [`AGE_MIN`], inclusive) that follow
/// a table's published age `bands` (`(first, last)` single years, as
/// [`crate::table::TableMeta::age_bands`] holds them): each band clipped to
/// [`AGE_MIN`]`..=`[`AGE_MAX`], ages no band reaches as groups of their own. Empty when `bands`
/// has no band wider than a year (the table came in single years).
pub fn workforce_bands(bands: &[(u32, u32)]) -> Vec<(usize, usize)> {
    if bands.iter().all(|&(lo, hi)| lo == hi) {
        return Vec::new();
    }
    let mut sorted = bands.to_vec();
    sorted.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut next = AGE_MIN;
    for (lo, hi) in sorted {
        let (lo, hi) = (lo.max(next), hi.min(AGE_MAX));
        if lo > hi {
            continue;
        }
        out.extend((next..lo).map(|a| ((a - AGE_MIN) as usize, (a - AGE_MIN) as usize)));
        out.push(((lo - AGE_MIN) as usize, (hi - AGE_MIN) as usize));
        next = hi + 1;
    }
    out.extend((next..=AGE_MAX).map(|a| ((a - AGE_MIN) as usize, (a - AGE_MIN) as usize)));
    out
}

/// The groups of ages at certificate that follow a register's `bands` ([`workforce_bands`]) one
/// year on: those at risk at `lo … hi` are certified at `lo + 1 … hi + 1` (the youngest age, and
/// ages beyond the last, as groups of their own). Empty `bands` give none.
pub fn certificate_groups(bands: &[(usize, usize)]) -> Vec<(usize, usize)> {
    if bands.is_empty() {
        return Vec::new();
    }
    let mut out = vec![(0, 0)];
    for &(lo, hi) in bands {
        let (lo, hi) = (lo + 1, (hi + 1).min(NA - 1));
        if lo <= hi {
            out.push((lo, hi));
        }
    }
    out
}

/// The groups of ages at risk over which exit rates are estimated when the register came in age
/// `bands` ([`workforce_bands`]): the persons who move into band `lo..=hi` in a year are those
/// aged `lo − 1 ..= hi − 1` the year before, so a group's stayers are exactly a published band.
/// Groups end at `AGE_MAX − 1` (everyone leaves after [`AGE_MAX`]); empty `bands` give none.
pub fn exit_groups(bands: &[(usize, usize)]) -> Vec<(usize, usize)> {
    if bands.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &(lo, hi) in bands {
        let (lo, hi) = (lo.saturating_sub(1), hi.saturating_sub(1).min(NA - 2));
        let lo = out.last().map_or(lo, |&(_, h)| lo.max(h + 1));
        if lo <= hi {
            out.push((lo, hi));
        }
    }
    out
}

/// Makes the register's single years follow cohorts when they were ungrouped from age `bands`
/// ([`workforce_bands`]). Ungrouped year by year, each year's single ages are a smooth shape in
/// each band, and the difference between one year's age `a` and the next year's `a + 1` (which the
/// exit rates are estimated from) is mostly the shape's error. Here the first year keeps its
/// ungrouped ages, and every later year (following the one before it) is rebuilt in each band from
/// those who were one year younger the year before, times a factor for the band, plus the
/// licences issued that year at each age: `L[t+1, a+1] = k·L[t, a] + issued[t+1, a+1]`, where `k`
/// makes the band's published total. A band whose licences exceed its total (k would be
/// negative) takes the licences, scaled to the total; a band with no one to follow keeps its
/// ungrouped shape. Band totals are kept exactly.
pub fn follow_cohorts(
    grid: &Classification,
    years: &[i32],
    licensed: &mut [f64],
    issued: &[f64],
    bands: &[(usize, usize)],
) {
    let cells = grid.cells();
    for y in 1..years.len() {
        if years[y] != years[y - 1] + 1 {
            continue;
        }
        let (before, now) = licensed.split_at_mut(y * cells);
        let prev = &before[(y - 1) * cells..];
        let now = &mut now[..cells];
        for p in 0..grid.np() {
            for c in 0..grid.nc() {
                for sx in 0..2 {
                    let at = grid.idx(p, c, sx, 0);
                    for &(lo, hi) in bands.iter().filter(|(lo, hi)| hi > lo) {
                        // The year's licences at each age of the band, all origins.
                        let iss: Vec<f64> = (lo..=hi)
                            .map(|a| (0..3).map(|o| issued[(y * 3 + o) * cells + at + a]).sum())
                            .collect();
                        let total: f64 = now[at + lo..=at + hi].iter().sum();
                        let follow: f64 = (lo.max(1)..=hi).map(|a| prev[at + a - 1]).sum();
                        let new: f64 = iss.iter().sum();
                        if follow > 0.0 && total >= new {
                            let k = (total - new) / follow;
                            for (a, i) in (lo..=hi).zip(&iss) {
                                let stay = if a > 0 { prev[at + a - 1] } else { 0.0 };
                                now[at + a] = k * stay + i;
                            }
                        } else if new > 0.0 {
                            for (a, i) in (lo..=hi).zip(&iss) {
                                now[at + a] = i * total / new;
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Origins of licences, in array order.
pub const ORIGINS: [&str; 3] = ["SE", "EU", "TC"];
/// Balance assessments, in array order, as the principals answer.
pub const ASSESSMENTS: [&str; 3] = ["brist", "balans", "överskott"];

/// The tables the model reads, by role.
pub struct Tables<'a> {
    /// Licensed persons.
    pub licensed: &'a Table,
    /// Licences issued.
    pub issued: &'a Table,
    /// Employed persons and FTE.
    pub employed: &'a Table,
    /// Population history.
    pub population: &'a Table,
    /// Population projection.
    pub projection: &'a Table,
    /// Admissions and graduates.
    pub admissions: &'a Table,
    /// Care use by age.
    pub care_use: &'a Table,
    /// Balance assessments.
    pub balance: &'a Table,
}

impl<'a> Tables<'a> {
    /// The tables given in the order of [`super::INPUT_KEYS`] (licensed, employed, licences
    /// issued, population, its projection, admissions, care use, balance).
    pub fn in_key_order(t: &'a [Table; 8]) -> Tables<'a> {
        Tables {
            licensed: &t[0],
            employed: &t[1],
            issued: &t[2],
            population: &t[3],
            projection: &t[4],
            admissions: &t[5],
            care_use: &t[6],
            balance: &t[7],
        }
    }
}

/// The scenario key that supplies FTE per employed person ([`Employ::fte`]).
pub const FTE_KEY: &str = "inputs.employed.fte";
/// The scenario key that supplies the sector split ([`Employ::sectors`]).
pub const SECTORS_KEY: &str = "inputs.employed.sectors";

/// What supplies the pieces an employed table may lack, as the agencies publish employment
/// (persons by occupation, county, sex, age and year: no FTE, often no sector).
///
/// - `fte`: FTE per employed person, `h = Σ FTE / Σ EMP` of the profile table over the
///   dimensions it has among sector, profession, county, sex and age (its years, and every other
///   dimension, pooled). The employed input's FTE is then `E_k · h`, and a content `FTE` of the
///   employed table is not used.
/// - `sectors`: the split of persons over sectors, `E_k = E · S_k / Σ_k' S_k'` with `S` the
///   profile table's persons (content `EMP`, or its only content) by sector and the dimensions
///   it has among profession, county, sex and age (years pooled). Where the employed table has
///   FTE (and `fte` is not given), FTE are split by the profile's FTE shares (content `FTE`), or
///   its persons' shares without one. A sector dimension of the employed table is summed over.
///
/// Where a profile cell has no persons, the ratio is pooled over neighbouring ages (up to ±5
/// years, as the model's rates are); a cell of the employed input with persons and still no
/// ratio is a [`Problem::NoProfile`]. A piece the table lacks and no key supplies is a
/// [`Problem::Unsupplied`] naming the key.
#[derive(Clone, Copy, Debug, Default)]
pub struct Employ<'a> {
    /// FTE per employed person ([`FTE_KEY`]).
    pub fte: Option<Profile<'a>>,
    /// The sector split ([`SECTORS_KEY`]).
    pub sectors: Option<Profile<'a>>,
}

/// A table of ratios for the employed input ([`Employ`]).
#[derive(Clone, Copy, Debug)]
pub struct Profile<'a> {
    /// The table.
    pub table: &'a Table,
    /// Pool over counties (the embedded profile): a county dimension is summed over, not held
    /// apart.
    pub national: bool,
}

/// Ratios of a profile table over the dimensions it has among sector, profession, county, sex
/// and age (in that order), ages pooled where the denominator is zero.
struct Ratios {
    /// Whether the table holds sector, profession, county, sex, age apart.
    has: [bool; 5],
    /// The sizes of those axes in the model.
    sizes: [usize; 5],
    /// Numerators per `[k][p][c][s][a]` over the axes held apart, pooled.
    num: Vec<f64>,
    /// Denominators, pooled.
    den: Vec<f64>,
}

impl Ratios {
    fn new(has: [bool; 5], sizes: [usize; 5], num: Vec<f64>, den: Vec<f64>) -> Ratios {
        let (mut num, mut den) = (num, den);
        if has[4] {
            // Ages are the last axis: pool each block of ages where the denominator is zero.
            for (n, d) in num.chunks_mut(NA).zip(den.chunks_mut(NA)) {
                let pooled = super::supply::pooled_counts(n, d, f64::MIN_POSITIVE);
                for (a, (u, v)) in pooled.into_iter().enumerate() {
                    n[a] = u;
                    d[a] = v;
                }
            }
        }
        Ratios {
            has,
            sizes,
            num,
            den,
        }
    }

    fn at(&self, cell: [usize; 5]) -> usize {
        let mut i = 0;
        for ((&held, &size), &x) in self.has.iter().zip(&self.sizes).zip(&cell) {
            if held {
                i = i * size + x;
            }
        }
        i
    }

    /// `num / den` at `[k, p, c, s, a]`, `None` where the denominator is zero.
    fn get(&self, cell: [usize; 5]) -> Option<f64> {
        let i = self.at(cell);
        (self.den[i] > 0.0).then(|| self.num[i] / self.den[i])
    }
}

impl Inputs {
    /// Licensed persons of profession `p` in Sweden in licence year index `y` (the register's
    /// counties, sexes and ages summed in their storage order).
    pub fn national_licensed(&self, p: usize, y: usize) -> f64 {
        let g = &self.grid;
        let at = y * g.cells() + g.idx(p, 0, 0, 0);
        self.licensed[at..at + g.nc() * 2 * NA].iter().sum()
    }

    /// The same inputs with the counties summed into one (`00`, Sweden): a national projection.
    pub fn summed_to_nation(&self) -> Inputs {
        let g = &self.grid;
        let (np, nc) = (g.np(), g.nc());
        let grid = Classification {
            professions: g.professions.clone(),
            counties: vec!["00".into()],
            sectors: g.sectors.clone(),
        };
        // Arrays `[outer][p][c][rest]`: sum over c.
        let fold = |v: &[f64], rest: usize| -> Vec<f64> {
            let block = np * nc * rest;
            let outer = v.len() / block.max(1);
            let mut out = vec![0.0; outer * np * rest];
            for o in 0..outer {
                for p in 0..np {
                    for c in 0..nc {
                        for r in 0..rest {
                            out[(o * np + p) * rest + r] += v[o * block + (p * nc + c) * rest + r];
                        }
                    }
                }
            }
            out
        };
        let mut population = vec![0.0; self.population_years.len() * 2 * POP_AGES];
        for y in 0..self.population_years.len() {
            for c in 0..nc {
                for i in 0..2 * POP_AGES {
                    population[y * 2 * POP_AGES + i] +=
                        self.population[(y * nc + c) * 2 * POP_AGES + i];
                }
            }
        }
        Inputs {
            grid,
            licence_years: self.licence_years.clone(),
            licensed: fold(&self.licensed, 2 * NA),
            issued: fold(&self.issued, 2 * NA),
            employment_years: self.employment_years.clone(),
            employed: fold(&self.employed, 2 * NA),
            fte: fold(&self.fte, 2 * NA),
            population_years: self.population_years.clone(),
            population,
            care_use: self.care_use.clone(),
            care_use_years: self.care_use_years.clone(),
            care_use_history: self.care_use_history.clone(),
            admission_years: self.admission_years.clone(),
            hc_regions: self.hc_regions.clone(),
            beginners: self.beginners.clone(),
            graduates: self.graduates.clone(),
            balance: fold(&self.balance, self.grid.nk() * 3),
            exit_groups: self.exit_groups.clone(),
            employment_groups: self.employment_groups.clone(),
            certificate_groups: self.certificate_groups.clone(),
            banded_exits: self.banded_exits,
            overrides: self.overrides.clone(),
            services: self
                .services
                .as_ref()
                .map(|s| s.summed_to_nation(np, nc, self.grid.nk())),
            destinations: None,
            specialists: Vec::new(),
            births: self.births.as_ref().map(Births::summed_to_nation),
            municipal: None,
        }
    }

    /// Gathers all inputs.
    ///
    /// # Errors
    ///
    /// [`ModelError::Contract`] with every [`Problem`] of every input (a row that cannot be placed,
    /// age bands, codes or cells missing, cells without a number), and [`ModelError::Input`] for a
    /// table without the contents or tasks the model reads, or population years with a gap.
    pub fn gather(t: &Tables<'_>) -> Result<Inputs, ModelError> {
        Inputs::gather_noted(t).map(|(i, _)| i)
    }

    /// [`Inputs::gather`], with notes on the rows left out (totals, ages above 74), as
    /// `(file, note)`.
    ///
    /// # Errors
    ///
    /// As [`Inputs::gather`].
    pub fn gather_noted(t: &Tables<'_>) -> Result<(Inputs, Vec<(String, Note)>), ModelError> {
        Inputs::gather_in(t, &Area::whole())
    }

    /// [`Inputs::gather_noted`] for part of the country: the county axis is `area`'s counties and
    /// the health-care-region axis its regions; rows of other counties and regions are left out
    /// (noted), and an input that lacks a county or region of the area is a
    /// [`Problem::Coverage`].
    ///
    /// # Errors
    ///
    /// As [`Inputs::gather`].
    pub fn gather_in(
        t: &Tables<'_>,
        area: &Area,
    ) -> Result<(Inputs, Vec<(String, Note)>), ModelError> {
        Inputs::gather_with(t, area, &Employ::default())
    }

    /// [`Inputs::gather_in`] with the pieces the employed table lacks (FTE, the sector split)
    /// supplied as [`Employ`] says.
    ///
    /// # Errors
    ///
    /// As [`Inputs::gather`]; a piece the employed table lacks and `employ` does not supply is a
    /// [`Problem::Unsupplied`], a cell the profile gives no ratio for a [`Problem::NoProfile`].
    pub fn gather_with(
        t: &Tables<'_>,
        area: &Area,
        employ: &Employ<'_>,
    ) -> Result<(Inputs, Vec<(String, Note)>), ModelError> {
        let mut sink = Sink::default();
        let grid = classification(t, area);
        let (licence_years, mut licensed, issued) = gather_licences(t, &grid, &mut sink);
        let emp = gather_employed(t, &grid, employ, &mut sink)?;
        let (population_years, population) = gather_population(t, &grid, &mut sink)?;
        let care = gather_care_use(t, &grid, &mut sink)?;
        let adm = gather_admissions(t, &grid, area, &mut sink)?;
        let balance = gather_balance(t, &grid, &mut sink);
        sink.problems.extend(adm.region_gap);
        if grid.professions.is_empty()
            && !sink
                .problems
                .iter()
                .any(|p| p.file() == t.licensed.meta.origin)
        {
            sink.problems.push(Problem::Coverage {
                file: t.licensed.meta.origin.clone(),
                what: "professions".into(),
                missing: vec!["all".into()],
                of: Vec::new(),
            });
        }
        if !sink.problems.is_empty() {
            return Err(ModelError::Contract {
                problems: sink.problems,
            });
        }
        let bands = band_groups(t, &grid, &licence_years, &mut licensed, &issued, &mut sink);
        Ok((
            Inputs {
                grid,
                licence_years,
                licensed,
                issued,
                employment_years: emp.years,
                employed: emp.employed,
                fte: emp.fte,
                population_years,
                population,
                care_use: care.last,
                care_use_years: care.years,
                care_use_history: care.history,
                admission_years: adm.years,
                hc_regions: adm.regions,
                beginners: adm.beginners,
                graduates: adm.graduates,
                balance,
                exit_groups: bands.exits,
                employment_groups: bands.employment,
                certificate_groups: bands.certificates,
                banded_exits: bands.banded_exits,
                overrides: Default::default(),
                services: None,
                destinations: None,
                specialists: Vec::new(),
                births: None,
                municipal: None,
            },
            sink.notes,
        ))
    }
}

/// The classification of a run over `area`: the professions of the licence register (as the code
/// list names them, in its order), the area's counties and the code list's sectors.
fn classification(t: &Tables<'_>, area: &Area) -> Classification {
    let lists = CodeLists::get();
    let in_data: Vec<String> = t
        .licensed
        .dims
        .iter()
        .find(|d| Concept::of(d) == Some(Concept::Profession))
        .map(|d| {
            d.categories
                .iter()
                .filter_map(|c| match crate::validate::resolve(Concept::Profession, c) {
                    crate::codes::Lookup::Code(code) => Some(code),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    Classification {
        professions: lists
            .professions
            .iter()
            .map(|p| p.code.clone())
            .filter(|c| in_data.contains(c))
            .collect(),
        counties: area.counties.clone(),
        sectors: lists.sectors.iter().map(|s| s.code.clone()).collect(),
    }
}

/// The licence register on the grid: `(licence years, licensed persons [year][p][c][s][a],
/// licences issued [year][origin][p][c][s][a])`, the licences on the register's years; problems
/// and notes into `sink`.
fn gather_licences(
    t: &Tables<'_>,
    grid: &Classification,
    sink: &mut Sink,
) -> (Vec<i32>, Vec<f64>, Vec<f64>) {
    let ages = ages_codes();
    let sexes = sex_codes();
    let origins: Vec<String> = ORIGINS.iter().map(|s| s.to_string()).collect();
    let licence_years = years_of(t.licensed);
    let ly = strings(&licence_years);
    let g = gather(
        t.licensed,
        &[
            ax(Concept::Year, &ly),
            any(Concept::Profession, &grid.professions),
            ax(Concept::County, &grid.counties),
            ax(Concept::Sex, &sexes),
            ax(Concept::Age, &ages),
        ],
        &[],
        DENSE,
    );
    let licensed = sink.take(t.licensed, g);
    let g = gather(
        t.issued,
        &[
            ax(Concept::Year, &ly),
            ax(Concept::Origin, &origins),
            ax(Concept::Profession, &grid.professions),
            ax(Concept::County, &grid.counties),
            ax(Concept::Sex, &sexes),
            ax(Concept::Age, &ages),
        ],
        &[],
        DENSE,
    );
    let issued = sink.take(t.issued, g);
    (licence_years, licensed, issued)
}

/// The employed input on the grid: `(employment years, employed persons, FTE)`, each
/// `[year][sector][p][c][s][a]`, with the pieces the table lacks (FTE, the sector split) from
/// `employ`'s profiles; problems and notes into `sink`.
fn gather_employed(
    t: &Tables<'_>,
    grid: &Classification,
    employ: &Employ<'_>,
    sink: &mut Sink,
) -> Result<Employment, ModelError> {
    let ages = ages_codes();
    let sexes = sex_codes();
    let employment_years = years_of(t.employed);
    let ey = strings(&employment_years);
    let contents = codes_of(t.employed, Concept::Contents);
    let content = |want: &str| -> Result<String, ModelError> {
        contents
            .iter()
            .find(|c| c.eq_ignore_ascii_case(want))
            .cloned()
            .ok_or_else(|| ModelError::Input {
                file: t.employed.meta.origin.clone(),
                message: format!("no content {want:?} among {contents:?}"),
            })
    };
    let emp_file = t.employed.meta.origin.clone();
    // Persons: content EMP, or the table's only content (as the agencies publish persons).
    let used_contents = codes_used(t.employed, Concept::Contents);
    let has_fte = used_contents.iter().any(|c| c.eq_ignore_ascii_case("FTE"));
    let emp_content: Option<String> =
        if !has(t.employed, Concept::Contents) || (used_contents.len() == 1 && !has_fte) {
            None
        } else {
            Some(content("EMP")?)
        };
    let table_sectors = has(t.employed, Concept::Sector) && employ.sectors.is_none();
    let table_fte = has_fte && employ.fte.is_none();
    if !has(t.employed, Concept::Sector) && employ.sectors.is_none() {
        sink.problems.push(Problem::Unsupplied {
            file: emp_file.clone(),
            what: "a sector dimension (the split over region-run, municipal and private care)"
                .into(),
            key: SECTORS_KEY.into(),
        });
    }
    if !has_fte && employ.fte.is_none() {
        sink.problems.push(Problem::Unsupplied {
            file: emp_file.clone(),
            what: "full-time equivalents (a content FTE beside the persons)".into(),
            key: FTE_KEY.into(),
        });
    }
    let emp_axes: Vec<Axis<'_>> = [
        Some(ax(Concept::Year, &ey)),
        table_sectors.then(|| ax(Concept::Sector, &grid.sectors)),
        Some(ax(Concept::Profession, &grid.professions)),
        Some(ax(Concept::County, &grid.counties)),
        Some(ax(Concept::Sex, &sexes)),
        Some(ax(Concept::Age, &ages)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let fixed_emp: Vec<(Concept, &str)> = emp_content
        .as_deref()
        .map(|c| (Concept::Contents, c))
        .into_iter()
        .collect();
    let g = gather(t.employed, &emp_axes, &fixed_emp, DENSE);
    let persons = sink.take(t.employed, g);
    let table_fte_values = if table_fte {
        let g = gather(
            t.employed,
            &emp_axes,
            &[(Concept::Contents, &content("FTE")?)],
            DENSE,
        );
        Some(sink.take(t.employed, g))
    } else {
        None
    };
    let sizes = [grid.nk(), grid.np(), grid.nc(), 2, NA];
    let codes: [&[String]; 5] = [
        &grid.sectors,
        &grid.professions,
        &grid.counties,
        &sexes,
        &ages,
    ];
    let fte_ratio = employ
        .fte
        .as_ref()
        .and_then(|pr| profile_ratios(sink, pr, Some("FTE"), Some("EMP"), false, codes))
        .map(|(held, n, d)| Ratios::new(held, sizes, n, d));
    // The split: the profile's persons by sector over its persons (the sum over sectors);
    // FTE by its FTE shares where the employed table's own FTE are split.
    let split_of = |pr: &Profile<'_>, content: Option<&str>| {
        let c = content.and_then(|want| {
            codes_used(pr.table, Concept::Contents)
                .into_iter()
                .find(|c| c.eq_ignore_ascii_case(want))
        });
        c.or_else(|| {
            let used = codes_used(pr.table, Concept::Contents);
            (used.len() > 1).then(|| "EMP".to_string())
        })
    };
    let (split, fte_split) = match &employ.sectors {
        Some(pr) => {
            let emp_c = split_of(pr, Some("EMP"));
            let split = profile_ratios(sink, pr, emp_c.as_deref(), emp_c.as_deref(), true, codes);
            let fte_split = if table_fte_values.is_some() {
                let fte_c = split_of(pr, Some("FTE")).or(emp_c.clone());
                profile_ratios(sink, pr, fte_c.as_deref(), fte_c.as_deref(), true, codes)
            } else {
                None
            };
            (split, fte_split)
        }
        None => (None, None),
    };
    // The split: each sector's count over the sum over sectors (the same denominator for
    // every sector, so that ages pool alike and the shares add up to 1).
    let over_sectors = |r: Option<([bool; 5], Vec<f64>, Vec<f64>)>| {
        r.map(|(held, num, _)| {
            let block = num.len() / sizes[0].max(1);
            let total: Vec<f64> = (0..block)
                .map(|i| (0..sizes[0]).map(|k| num[k * block + i]).sum())
                .collect();
            let den: Vec<f64> = (0..sizes[0]).flat_map(|_| total.iter().copied()).collect();
            Ratios::new(held, sizes, num, den)
        })
    };
    let (split, fte_split) = (over_sectors(split), over_sectors(fte_split));
    let (employed, fte) = fill_employment(
        &Pieces {
            grid,
            sexes: &sexes,
            ny: employment_years.len(),
            emp_file: &emp_file,
            table_sectors,
            table_fte,
            persons: &persons,
            table_fte_values: table_fte_values.as_deref(),
            split: split.as_ref(),
            fte_split: fte_split.as_ref(),
            fte_ratio: fte_ratio.as_ref(),
        },
        employ,
        sink,
    );
    Ok(Employment {
        years: employment_years,
        employed,
        fte,
    })
}

/// The employed input's pieces on the grid, for [`fill_employment`]: persons (by sector when the
/// table has sectors), the table's own FTE, and the profiles' ratios that supply what it lacks.
struct Pieces<'a> {
    grid: &'a Classification,
    sexes: &'a [String],
    /// Number of employment years.
    ny: usize,
    emp_file: &'a str,
    table_sectors: bool,
    table_fte: bool,
    persons: &'a [f64],
    table_fte_values: Option<&'a [f64]>,
    split: Option<&'a Ratios>,
    fte_split: Option<&'a Ratios>,
    fte_ratio: Option<&'a Ratios>,
}

/// Employed persons and FTE by `[year][sector][p][c][s][a]` from the pieces: the table's own
/// where it has them, else the persons split over sectors and times FTE per person by the
/// profiles; a cell with persons and no ratio is a [`Problem::NoProfile`] of the profile, grouped
/// by all but age.
fn fill_employment(x: &Pieces<'_>, employ: &Employ<'_>, sink: &mut Sink) -> (Vec<f64>, Vec<f64>) {
    let Pieces {
        grid,
        sexes,
        ny,
        emp_file,
        table_sectors,
        table_fte,
        persons,
        table_fte_values,
        split,
        fte_split,
        fte_ratio,
    } = *x;
    let cells = grid.cells();
    let nk = grid.nk();
    let mut employed = vec![0.0; ny * nk * cells];
    let mut fte = vec![0.0; ny * nk * cells];
    // Cells with persons and no ratio, grouped by all but age: (codes, ages, count).
    let mut no_split: Vec<(String, Vec<bool>)> = Vec::new();
    let mut no_fte: Vec<(String, Vec<bool>)> = Vec::new();
    let mut no_cells = (0usize, 0usize);
    fn mark(groups: &mut Vec<(String, Vec<bool>)>, head: String, a: usize, count: &mut usize) {
        *count += 1;
        match groups.iter_mut().find(|g| g.0 == head) {
            Some(g) => g.1[a] = true,
            None => {
                let mut ages = vec![false; NA];
                ages[a] = true;
                groups.push((head, ages));
            }
        }
    }
    let emp_ok = !sink.problems.iter().any(|p| p.file() == emp_file);
    let pieces_ok = (table_sectors || split.is_some())
        && (table_fte || fte_ratio.is_some())
        && (!table_fte || table_sectors || fte_split.is_some());
    if emp_ok && pieces_ok {
        for y in 0..ny {
            for k in 0..nk {
                for p in 0..grid.np() {
                    for c in 0..grid.nc() {
                        for (sx, sex) in sexes.iter().enumerate() {
                            for a in 0..NA {
                                let i = grid.idx(p, c, sx, a);
                                let out = (y * nk + k) * cells + i;
                                let cell = [k, p, c, sx, a];
                                let (e, h_table) = if table_sectors {
                                    (persons[out], table_fte_values.as_ref().map(|h| h[out]))
                                } else {
                                    let e = persons[y * cells + i];
                                    let share = split.as_ref().and_then(|r| r.get(cell));
                                    if share.is_none() && e > 0.0 && k == 0 {
                                        mark(
                                            &mut no_split,
                                            format!(
                                                "{} {} {sex}",
                                                grid.professions[p], grid.counties[c]
                                            ),
                                            a,
                                            &mut no_cells.0,
                                        );
                                    }
                                    let h = table_fte_values.as_ref().map(|h| {
                                        let share = fte_split.as_ref().and_then(|r| r.get(cell));
                                        let h = h[y * cells + i];
                                        if share.is_none() && h > 0.0 && k == 0 && e <= 0.0 {
                                            mark(
                                                &mut no_split,
                                                format!(
                                                    "{} {} {sex}",
                                                    grid.professions[p], grid.counties[c]
                                                ),
                                                a,
                                                &mut no_cells.0,
                                            );
                                        }
                                        h * share.unwrap_or(0.0)
                                    });
                                    (e * share.unwrap_or(0.0), h)
                                };
                                let h = match h_table {
                                    Some(h) => h,
                                    None => {
                                        let r = fte_ratio.as_ref().and_then(|r| r.get(cell));
                                        if r.is_none() && e > 0.0 {
                                            mark(
                                                &mut no_fte,
                                                format!(
                                                    "{} {} {} {sex}",
                                                    grid.professions[p],
                                                    grid.counties[c],
                                                    grid.sectors[k]
                                                ),
                                                a,
                                                &mut no_cells.1,
                                            );
                                        }
                                        e * r.unwrap_or(0.0)
                                    }
                                };
                                employed[out] = e;
                                fte[out] = h;
                            }
                        }
                    }
                }
            }
        }
    }
    for (groups, count, pr, key, what) in [
        (
            no_split,
            no_cells.0,
            &employ.sectors,
            SECTORS_KEY,
            "sector split",
        ),
        (
            no_fte,
            no_cells.1,
            &employ.fte,
            FTE_KEY,
            "FTE per employed person",
        ),
    ] {
        if let (Some(pr), true) = (pr, count > 0) {
            sink.problems.push(Problem::NoProfile {
                file: pr.table.meta.origin.clone(),
                key: key.into(),
                what: what.into(),
                cells: count,
                groups: groups
                    .iter()
                    .map(|(head, ages)| {
                        format!(
                            "{head}: ages {}",
                            super::contract::runs(&ages_codes(), ages).join(", ")
                        )
                    })
                    .collect(),
            });
        }
    }
    (employed, fte)
}

/// The concepts of a profile's cells, in the order of its ratios' index.
const CONCEPTS: [Concept; 5] = [
    Concept::Sector,
    Concept::Profession,
    Concept::County,
    Concept::Sex,
    Concept::Age,
];

/// Whether `table` has a dimension of concept `c`.
fn has(table: &Table, c: Concept) -> bool {
    table.dims.iter().any(|d| Concept::of(d) == Some(c))
}

/// A profile's ratios: `num` over `den` contents (`None`: the only content, or none), gathered
/// over the dimensions it has of [`CONCEPTS`] (`codes` in the same order; not its counties when
/// it is national): `(the dimensions held, numerators, denominators)`; `None` with a problem in
/// `sink` when it lacks a sector dimension `need_sector` asks for, or a content.
fn profile_ratios(
    sink: &mut Sink,
    pr: &Profile<'_>,
    num: Option<&str>,
    den: Option<&str>,
    need_sector: bool,
    codes: [&[String]; 5],
) -> Option<([bool; 5], Vec<f64>, Vec<f64>)> {
    let table = pr.table;
    let file = table.meta.origin.clone();
    if need_sector && !has(table, Concept::Sector) {
        sink.problems.push(Problem::MissingDimension {
            file,
            concept: "Sector".into(),
            dimensions: table.dims.iter().map(|d| d.id.clone()).collect(),
        });
        return None;
    }
    let mut held = [false; 5];
    for (h, c) in held.iter_mut().zip(CONCEPTS) {
        *h = has(table, c) && !(pr.national && c == Concept::County);
    }
    let axes: Vec<Axis<'_>> = (0..5)
        .filter(|&d| held[d])
        .map(|d| any(CONCEPTS[d], codes[d]))
        .collect();
    let have = codes_of(table, Concept::Contents);
    let find = |want: &str| have.iter().find(|c| c.eq_ignore_ascii_case(want)).cloned();
    let mut lack = Vec::new();
    let mut pick = |want: Option<&str>| -> Option<Option<String>> {
        match want {
            None => Some(None),
            Some(w) => match find(w) {
                Some(c) => Some(Some(c)),
                None => {
                    lack.push(w.to_string());
                    None
                }
            },
        }
    };
    let (n, d) = (pick(num), pick(den));
    if !lack.is_empty() {
        sink.problems.push(Problem::Coverage {
            file,
            what: "contents".into(),
            missing: lack,
            of: Vec::new(),
        });
        return None;
    }
    let loose = Cover {
        per_profession: false,
        cells: false,
    };
    let mut values = |c: Option<Option<String>>| {
        let c = c.flatten();
        let fixed: Vec<(Concept, &str)> = c
            .as_deref()
            .map(|c| (Concept::Contents, c))
            .into_iter()
            .collect();
        // A profile has no `missing` key: its message names the profile's own key.
        let g = not_imputed(
            gather(table, &axes, &fixed, loose),
            if need_sector { SECTORS_KEY } else { FTE_KEY },
        );
        sink.take(table, g)
    };
    let n = values(n);
    let d = values(d);
    Some((held, n, d))
}

/// The employed input on the grid (see [`gather_employed`]).
struct Employment {
    years: Vec<i32>,
    employed: Vec<f64>,
    fte: Vec<f64>,
}

/// Care use on the grid (see [`gather_care_use`]).
struct CareUse {
    /// The last year's profile (the only one without years).
    last: Vec<f64>,
    years: Vec<i32>,
    history: Vec<f64>,
}

/// The admissions table on the grid (see [`gather_admissions`]).
struct Admissions {
    years: Vec<i32>,
    regions: Vec<String>,
    beginners: Vec<f64>,
    graduates: Vec<f64>,
    /// A scope's region the table lacks.
    region_gap: Option<Problem>,
}

/// The age bands of the inputs (see [`band_groups`]).
struct BandGroups {
    exits: Vec<(usize, usize)>,
    certificates: Vec<(usize, usize)>,
    employment: Vec<(usize, usize)>,
    banded_exits: bool,
}

/// The population and its projection on the grid's counties: `(years, population)`,
/// `[year][c][s][age 0–100]`, the history and the projection in the same array.
fn gather_population(
    t: &Tables<'_>,
    grid: &Classification,
    sink: &mut Sink,
) -> Result<(Vec<i32>, Vec<f64>), ModelError> {
    let sexes = sex_codes();
    let mut population_years = years_of(t.population);
    population_years.extend(years_of(t.projection));
    population_years.sort();
    population_years.dedup();
    if population_years.windows(2).any(|w| w[1] != w[0] + 1) {
        return Err(ModelError::Input {
            file: t.projection.meta.origin.clone(),
            message: format!(
                "population years {population_years:?} have a gap; expected consecutive years"
            ),
        });
    }
    let pop_ages = population_ages();
    let py = strings(&population_years);
    let pop_axes = [
        any(Concept::Year, &py),
        ax(Concept::County, &grid.counties),
        ax(Concept::Sex, &sexes),
        ax(Concept::Age, &pop_ages),
    ];
    // History and projection fill different years of the same array.
    let g = gather(t.population, &pop_axes, &[], DENSE);
    let mut population = sink.take(t.population, g);
    let g = gather(t.projection, &pop_axes, &[], DENSE);
    let proj = sink.take(t.projection, g);
    for (a, b) in population.iter_mut().zip(proj) {
        *a += b;
    }
    Ok((population_years, population))
}

/// Care use per person by sector, sex and age: `(the last profile, its years, every year's)`,
/// the years empty when the table has none.
fn gather_care_use(
    t: &Tables<'_>,
    grid: &Classification,
    sink: &mut Sink,
) -> Result<CareUse, ModelError> {
    let sexes = sex_codes();
    let pop_ages = population_ages();
    // Care use: one profile, or one per year when the table has a year dimension (never summed
    // over years).
    let has_years = has(t.care_use, Concept::Year);
    Ok(if has_years {
        let mut years = years_of(t.care_use);
        years.sort_unstable();
        years.dedup();
        if years.is_empty() {
            return Err(ModelError::Input {
                file: t.care_use.meta.origin.clone(),
                message: "the year dimension has no year (expected codes such as 2023)".into(),
            });
        }
        let cy = strings(&years);
        let axes = [
            ax(Concept::Year, &cy),
            ax(Concept::Sector, &grid.sectors),
            ax(Concept::Sex, &sexes),
            ax(Concept::Age, &pop_ages),
        ];
        let g = gather(t.care_use, &axes, &[], DENSE);
        let history = sink.take(t.care_use, g);
        let block = grid.nk() * 2 * POP_AGES;
        let last = history[(years.len() - 1) * block..].to_vec();
        CareUse {
            last,
            years,
            history,
        }
    } else {
        let axes = [
            ax(Concept::Sector, &grid.sectors),
            ax(Concept::Sex, &sexes),
            ax(Concept::Age, &pop_ages),
        ];
        let g = gather(t.care_use, &axes, &[], DENSE);
        CareUse {
            last: sink.take(t.care_use, g),
            years: Vec::new(),
            history: Vec::new(),
        }
    })
}

/// Beginners and graduates by admission year, profession and health-care region: `(admission
/// years, regions, beginners, graduates, a scope region the table lacks)`.
fn gather_admissions(
    t: &Tables<'_>,
    grid: &Classification,
    area: &Area,
    sink: &mut Sink,
) -> Result<Admissions, ModelError> {
    let admission_years = years_of(t.admissions);
    let ay = strings(&admission_years);
    let hc_regions: Vec<String> = area.regions.clone();
    // A scope's regions must each be in the admissions table (a national run takes the
    // regions the table has: a programme need not be given everywhere).
    let mut region_gap = None;
    if !area.whole {
        let have = codes_present(t.admissions, Concept::HealthcareRegion);
        let lack: Vec<bool> = hc_regions.iter().map(|r| !have.contains(r)).collect();
        if lack.iter().any(|l| *l) {
            region_gap = Some(Problem::Coverage {
                file: t.admissions.meta.origin.clone(),
                what: "health-care regions".into(),
                missing: super::contract::runs(&hc_regions, &lack),
                of: Vec::new(),
            });
        }
    }
    let task = |want: &str| -> Result<String, ModelError> {
        t.admissions
            .dims
            .iter()
            .flat_map(|d| d.categories.iter())
            .find(|c| c.code.eq_ignore_ascii_case(want))
            .map(|c| c.code.clone())
            .ok_or_else(|| ModelError::Input {
                file: t.admissions.meta.origin.clone(),
                message: format!(
                    "no category {want:?} (the admissions table needs beginners and graduates)"
                ),
            })
    };
    let uppgift = t
        .admissions
        .dims
        .iter()
        .position(|d| d.position(&task("nybörjare").unwrap_or_default()).is_some())
        .ok_or_else(|| ModelError::Input {
            file: t.admissions.meta.origin.clone(),
            message: "no dimension holding \"nybörjare\" and \"examinerade\"".into(),
        })?;
    let select = |code: &str| -> Result<Gathered, ModelError> {
        let mut sub = t.admissions.clone();
        // Keep the rows of one task (the task dimension with that one category); then gather
        // over year × programme × region.
        let k = sub.dims[uppgift].position(code).unwrap_or(usize::MAX) as u32;
        let keep: Vec<usize> = (0..sub.len())
            .filter(|&r| sub.keys[uppgift][r] == k)
            .collect();
        for col in sub.keys.iter_mut() {
            *col = keep.iter().map(|&r| col[r]).collect();
        }
        sub.keys[uppgift] = vec![0; keep.len()];
        let only = sub.dims[uppgift].categories[k as usize].clone();
        sub.dims[uppgift].categories = vec![only];
        sub.dims[uppgift].elimination = None;
        sub.values = keep.iter().map(|&r| t.admissions.values[r]).collect();
        sub.status = keep.iter().map(|&r| t.admissions.status[r]).collect();
        sub.symbols = keep.iter().map(|&r| t.admissions.symbols[r]).collect();
        if t.admissions.lines.len() == t.admissions.len() {
            sub.lines = keep.iter().map(|&r| t.admissions.lines[r]).collect();
        } else {
            sub.lines.clear();
        }
        Ok(gather(
            &sub,
            &[
                ax(Concept::Year, &ay),
                any(Concept::Profession, &grid.professions),
                any(Concept::HealthcareRegion, &hc_regions),
            ],
            &[],
            Cover {
                per_profession: true,
                cells: false,
            },
        ))
    };
    let g = select(&task("nybörjare")?)?;
    let beginners = sink.take(t.admissions, g);
    let g = select(&task("examinerade")?)?;
    let graduates = sink.take(t.admissions, g);
    Ok(Admissions {
        years: admission_years,
        regions: hc_regions,
        beginners,
        graduates,
        region_gap,
    })
}

/// The principals' assessments of the table's last year by profession, county, sector and
/// answer.
fn gather_balance(t: &Tables<'_>, grid: &Classification, sink: &mut Sink) -> Vec<f64> {
    let assessments: Vec<String> = ASSESSMENTS.iter().map(|s| s.to_string()).collect();
    let by = codes_of(t.balance, Concept::Year);
    let last = by.last().cloned().unwrap_or_default();
    let g = gather(
        t.balance,
        &[
            any(Concept::Profession, &grid.professions),
            ax(Concept::County, &grid.counties),
            any(Concept::Sector, &grid.sectors),
            any(Concept::Assessment, &assessments),
        ],
        &[(Concept::Year, &last)],
        Cover {
            per_profession: false,
            cells: false,
        },
    );
    sink.take(t.balance, g)
}

/// The age bands of the register, the licences issued and the employed table: the exit groups,
/// the certificate groups, the employment groups and whether exits come from banded inputs; a
/// banded register with single-year licences is made to follow cohorts in `licensed`.
fn band_groups(
    t: &Tables<'_>,
    grid: &Classification,
    licence_years: &[i32],
    licensed: &mut [f64],
    issued: &[f64],
    sink: &mut Sink,
) -> BandGroups {
    // Ages the register or the licences issued gave in bands. A banded register with
    // single-year licences is made to follow cohorts ([`follow_cohorts`]); banded licences
    // with a single-year register give exit rates pooled over the licences' bands (the
    // cohort identity is exact in their sums). When both came in bands, the licences' shape
    // inside a band (which decides who ages out of it) is the ungrouping's guess, and
    // following cohorts with it invents exits: the ungrouped single years are used as they
    // are (README, "Age bands to single years", measures all three).
    let lic_bands = workforce_bands(&t.licensed.meta.age_bands);
    let iss_bands = workforce_bands(&t.issued.meta.age_bands);
    let mut band_note = |t: &Table, en: &str, sv: &str| {
        sink.notes.push((t.meta.origin.clone(), Note::new(en, sv)));
    };
    let exit_groups = match (lic_bands.is_empty(), iss_bands.is_empty()) {
        (false, true) => {
            follow_cohorts(grid, licence_years, licensed, issued, &lic_bands);
            band_note(
                t.licensed,
                "its single years after the first year were made to follow cohorts with the licences issued (each band's total kept), so that exit rates come from cohorts",
                "dess ettårsåldrar efter första året har fått följa kohorterna med de utfärdade legitimationerna (varje åldersgrupps summa behållen), så att avgångstalen kommer från kohorter",
            );
            Vec::new()
        }
        (true, false) => {
            band_note(
                t.issued,
                "exit rates were pooled over its age bands (those one year younger at risk), where the register's cohorts and the licences add up exactly",
                "avgångstalen har slagits samman över dess åldersgrupper (de ett år yngre i risk), där registrets kohorter och legitimationerna går jämnt ut",
            );
            exit_groups(&iss_bands)
        }
        (false, false) => {
            band_note(
                t.licensed,
                "with the licences issued in age bands too, the ungrouped single years are used as they are: exit rates follow the ungrouping's shapes, which moved 2040 supply by up to 7 % on the default data in 5-year bands (38 % in 10-year bands) (README, \"Age bands to single years\")",
                "när också de utfärdade legitimationerna kom i åldersgrupper används de fördelade ettårsåldrarna som de är: avgångstalen följer fördelningens former, som flyttade tillgången 2040 med upp till 7 % på standarddata i femårsgrupper (38 % i tioårsgrupper) (README, \"Age bands to single years\")",
            );
            Vec::new()
        }
        (true, true) => Vec::new(),
    };
    let certificate_groups = if iss_bands.is_empty() {
        certificate_groups(&lic_bands)
    } else {
        iss_bands.clone()
    };
    let emp_bands = workforce_bands(&t.employed.meta.age_bands);
    if !emp_bands.is_empty() {
        sink.notes.push((
            t.employed.meta.origin.clone(),
            Note::new(
                "the employment share and FTE per employed person were estimated from its age bands (a line through the bands' ratios, each band's sum kept), since employed and licensed persons add up exactly in a band and not at each ungrouped single year",
                "sysselsättningsandelen och heltidsekvivalenterna per sysselsatt har skattats från dess åldersgrupper (en linje genom gruppernas kvoter, varje grupps summa behållen), eftersom sysselsatta och legitimerade går jämnt ut i en åldersgrupp men inte i varje fördelad ettårsålder",
            ),
        ));
    }
    BandGroups {
        exits: exit_groups,
        certificates: certificate_groups,
        employment: emp_bands,
        banded_exits: !(lic_bands.is_empty() && iss_bands.is_empty()),
    }
}

/// A gather's problems with its cells without a number named by the scenario `key` of a table
/// that has no `missing = "impute"`.
fn not_imputed(mut g: Gathered, key: &str) -> Gathered {
    for p in &mut g.problems {
        if let Problem::MissingCells { profile_key, .. } = p {
            *profile_key = Some(key.to_string());
        }
    }
    g
}

/// Gathers the destinations table (`supply.destinations`: licences on Swedish education by
/// profession, health-care region of education, county and year) onto `grid` and `regions`, with
/// notes on rows left out as `(file, note)`. Cells without a row are 0 (only licences given are
/// written); the years are the table's.
///
/// # Errors
///
/// [`ModelError::Contract`] with every [`Problem`]: a row that cannot be placed, cells without a
/// number, a missing dimension, counties of the run without any licence in the table.
pub fn gather_destinations(
    t: &Table,
    grid: &Classification,
    regions: &[String],
) -> Result<(super::destinations::Destinations, Vec<(String, Note)>), ModelError> {
    let mut sink = Sink::default();
    let years = years_of(t);
    let ys = strings(&years);
    let g = gather(
        t,
        &[
            any(Concept::Year, &ys),
            any(Concept::Profession, &grid.professions),
            any(Concept::HealthcareRegion, regions),
            any(Concept::County, &grid.counties),
        ],
        &[],
        Cover {
            per_profession: false,
            cells: false,
        },
    );
    let counts = sink.take(t, not_imputed(g, "supply.destinations"));
    // Graduates settle in every county: a table without some counties (one county's own
    // licences, say) would send every region's graduates to the others.
    let have = codes_present(t, Concept::County);
    let lack: Vec<bool> = grid.counties.iter().map(|c| !have.contains(c)).collect();
    if lack.iter().any(|l| *l) {
        sink.problems.push(Problem::Coverage {
            file: t.meta.origin.clone(),
            what: "counties".into(),
            missing: super::contract::runs(&grid.counties, &lack),
            of: Vec::new(),
        });
    }
    if !sink.problems.is_empty() {
        return Err(ModelError::Contract {
            problems: sink.problems,
        });
    }
    Ok((
        super::destinations::Destinations {
            file: t.meta.origin.clone(),
            years,
            counts,
            np: grid.np(),
            nr: regions.len(),
            nc: grid.nc(),
        },
        sink.notes,
    ))
}

/// The layers whose specialty groups (`data/codes/specialties.csv`) a table's specialty dimension
/// holds, in the code list's order (empty without one).
pub fn specialty_layers(t: &Table) -> Vec<String> {
    let have = codes_present(t, Concept::Specialty);
    let mut out: Vec<String> = Vec::new();
    for s in &CodeLists::get().specialties {
        if have.contains(&s.code) && !out.contains(&s.layer) {
            out.push(s.layer.clone());
        }
    }
    out
}

/// The specialist layers' inputs of one specialists table, one per layer its groups divide.
pub type Layers = Vec<super::specialties::Input>;

/// Gathers the specialists table (`supply.specialists`: specialists by specialty group, county,
/// sex, single age and year; a table in age bands is ungrouped before) and the training starts
/// (`supply.st_starts`: by group, health-care region and year) onto `grid` and `regions`, one
/// [`super::specialties::Input`] per layer the table's groups divide (specialist physicians by
/// specialty, specialist nurses by specialisation, …, in the code list's order), with notes on
/// rows left out as `(file, note)`. The groups are those of the code list the table has; each
/// layer must be one of the run's. A layer none of whose groups the starts table has gets no
/// starts. A cell without a row holds no specialists.
///
/// # Errors
///
/// [`ModelError::Contract`] with every [`Problem`]: a row that cannot be placed, cells without a
/// number, a missing dimension, counties, sexes or groups of the run without a row, some but not
/// all groups of a layer without starts; [`ModelError::Input`] for a table without a group of the
/// code list or a layer the run does not have.
pub fn gather_specialists(
    t: &Table,
    st: Option<&Table>,
    grid: &Classification,
    regions: &[String],
) -> Result<(Layers, Vec<(String, Note)>), ModelError> {
    let mut sink = Sink::default();
    let have = codes_present(t, Concept::Specialty);
    let st_have = st.map(|s| codes_present(s, Concept::Specialty));
    let all: Vec<&crate::codes::Specialty> = CodeLists::get()
        .specialties
        .iter()
        .filter(|s| have.contains(&s.code))
        .collect();
    if all.is_empty() {
        return Err(ModelError::Input {
            file: t.meta.origin.clone(),
            message: format!(
                "no specialty group of the code list; expected {}",
                crate::codes::List::Specialties.expected()
            ),
        });
    }
    // The table's years and the axes every layer shares, once.
    let years = years_of(t);
    let ys = strings(&years);
    let (sexes, ages) = (sex_codes(), ages_codes());
    let cover = Cover {
        per_profession: false,
        cells: false,
    };
    let st_years = st.map(years_of).unwrap_or_default();
    let sy = strings(&st_years);
    let mut out = Vec::new();
    for name in specialty_layers(t) {
        let layer = grid.prof(&name).ok_or_else(|| ModelError::Input {
            file: t.meta.origin.clone(),
            message: format!(
                "its specialty groups divide the layer {name}, which the licence register of this run does not have; expected a layer among {:?}",
                grid.professions
            ),
        })?;
        let groups: Vec<crate::codes::Specialty> = all
            .iter()
            .filter(|g| g.layer == name)
            .map(|g| (*g).clone())
            .collect();
        let codes: Vec<String> = groups.iter().map(|g| g.code.clone()).collect();
        let g = gather(
            t,
            &[
                ax(Concept::Year, &ys),
                ax(Concept::Specialty, &codes),
                ax(Concept::County, &grid.counties),
                ax(Concept::Sex, &sexes),
                any(Concept::Age, &ages),
            ],
            &[],
            cover,
        );
        let counts = sink.take(t, not_imputed(g, "supply.specialists"));
        // The starts table feeds a layer when it has any of the layer's groups (then it must
        // have them all: the gather reports the missing ones).
        let st = st.filter(|_| {
            st_have
                .as_ref()
                .is_some_and(|h| codes.iter().any(|c| h.contains(c)))
        });
        let mut starts = Vec::new();
        if let Some(st) = st {
            let g = gather(
                st,
                &[
                    ax(Concept::Year, &sy),
                    ax(Concept::Specialty, &codes),
                    ax(Concept::HealthcareRegion, regions),
                ],
                &[],
                cover,
            );
            starts = sink.take(st, not_imputed(g, "supply.st_starts"));
        }
        out.push(super::specialties::Input {
            file: t.meta.origin.clone(),
            st_file: st.map(|s| s.meta.origin.clone()),
            layer,
            groups,
            years: years.clone(),
            counts,
            st_years: if st.is_some() {
                st_years.clone()
            } else {
                Vec::new()
            },
            starts,
        });
    }
    // Starts of groups whose layer the specialists table does not divide have nothing to feed:
    // said, not dropped in silence.
    if let (Some(st), Some(h)) = (st, &st_have) {
        let unused: Vec<&str> = CodeLists::get()
            .specialties
            .iter()
            .filter(|g| h.contains(&g.code) && !have.contains(&g.code))
            .map(|g| g.code.as_str())
            .collect();
        if !unused.is_empty() {
            let list = unused.join(", ");
            sink.notes.push((
                st.meta.origin.clone(),
                Note::new(
                    format!(
                        "the starts of {list} not used: the specialists table ({}) has no specialists of these groups",
                        t.meta.origin
                    ),
                    format!(
                        "starterna för {list} används inte: specialisttabellen ({}) har inga specialister i de grupperna",
                        t.meta.origin
                    ),
                ),
            ));
        }
    }
    if !sink.problems.is_empty() {
        return Err(ModelError::Contract {
            problems: sink.problems,
        });
    }
    Ok((out, sink.notes))
}

/// Gathers a table of live births (`demand.births`: by county and year; other dimensions, such as
/// the mother's age or the child's sex, summed or their total taken, and a region dimension's
/// municipalities left out where it has their county's row) onto `grid`'s counties, with notes on
/// rows left out as `(file, note)`. The years are the table's; a run checks that they cover its
/// base year to its horizon.
///
/// # Errors
///
/// [`ModelError::Contract`] with every [`Problem`]: a row that cannot be placed, a missing county
/// or year dimension, a county of the run without births in a year the table has, cells without
/// a number.
pub fn gather_births(
    t: &Table,
    grid: &Classification,
) -> Result<(Births, Vec<(String, Note)>), ModelError> {
    let mut sink = Sink::default();
    let years = years_of(t);
    let ys = strings(&years);
    let g = gather(
        t,
        &[ax(Concept::Year, &ys), ax(Concept::County, &grid.counties)],
        &[],
        Cover {
            per_profession: false,
            cells: true,
        },
    );
    let counts = sink.take(t, not_imputed(g, "demand.births"));
    if !sink.problems.is_empty() {
        return Err(ModelError::Contract {
            problems: sink.problems,
        });
    }
    Ok((
        Births {
            file: t.meta.origin.clone(),
            years,
            counts,
            nc: grid.nc(),
        },
        sink.notes,
    ))
}

/// Gathers the care use per service area (`use_t`: service area × sex × age 0–100) and the staffing
/// matrix (`staff_t`: FTE by profession, sector and service area, by county where it has counties;
/// other dimensions, such as a year, summed) onto `grid`, with notes on rows left out as
/// `(file, note)`. The service areas are those of the care-use table, in the code list's order.
///
/// # Errors
///
/// [`ModelError::Contract`] with every [`Problem`]: a row that cannot be placed (an unknown
/// service, one the care-use table lacks, a sector or county not in the run), a sex or age of the
/// care use missing, cells without a number.
pub fn gather_services(
    use_t: &Table,
    staff_t: &Table,
    grid: &Classification,
) -> Result<(super::services::Services, Vec<(String, Note)>), ModelError> {
    let mut sink = Sink::default();
    let have = codes_present(use_t, Concept::Service);
    let codes: Vec<String> = CodeLists::get()
        .services
        .iter()
        .map(|s| s.code.clone())
        .filter(|c| have.contains(c))
        .collect();
    let sexes = sex_codes();
    let ages = population_ages();
    let g = gather(
        use_t,
        &[
            ax(Concept::Service, &codes),
            ax(Concept::Sex, &sexes),
            ax(Concept::Age, &ages),
        ],
        &[],
        Cover {
            per_profession: false,
            cells: true,
        },
    );
    let profile = sink.take(use_t, not_imputed(g, "demand.service_use"));
    let by_county = has(staff_t, Concept::County);
    let sparse = Cover {
        per_profession: false,
        cells: false,
    };
    let (np, nc, nk, ns) = (grid.np(), grid.nc(), grid.nk(), codes.len());
    let fte = if by_county {
        let g = gather(
            staff_t,
            &[
                any(Concept::Profession, &grid.professions),
                any(Concept::County, &grid.counties),
                any(Concept::Sector, &grid.sectors),
                any(Concept::Service, &codes),
            ],
            &[],
            sparse,
        );
        sink.take(staff_t, not_imputed(g, "demand.staffing"))
    } else {
        let g = gather(
            staff_t,
            &[
                any(Concept::Profession, &grid.professions),
                any(Concept::Sector, &grid.sectors),
                any(Concept::Service, &codes),
            ],
            &[],
            sparse,
        );
        let national = sink.take(staff_t, not_imputed(g, "demand.staffing"));
        let mut fte = vec![0.0; np * nc * nk * ns];
        for p in 0..np {
            for c in 0..nc {
                let at = (p * nc + c) * nk * ns;
                fte[at..at + nk * ns].copy_from_slice(&national[p * nk * ns..(p + 1) * nk * ns]);
            }
        }
        fte
    };
    if !sink.problems.is_empty() {
        return Err(ModelError::Contract {
            problems: sink.problems,
        });
    }
    Ok((
        super::services::Services {
            codes,
            profile,
            fte,
            by_county,
        },
        sink.notes,
    ))
}
