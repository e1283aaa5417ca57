//! The model's inputs as dense arrays, gathered from tidy tables.
//!
//! Every workforce array is laid out `[year][profession][county][sex][age]` with ages contiguous
//! (the inner loop of the projection runs over ages), and a sector or origin index where the table
//! has one, just outside the profession: see the `idx` functions of [`Grid`].

use super::ModelError;
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
pub struct Grid {
    /// Profession codes (the code list's, in its order, as far as the data has them).
    pub professions: Vec<String>,
    /// County codes.
    pub counties: Vec<String>,
    /// Sector codes (R, K, P).
    pub sectors: Vec<String>,
}

impl Grid {
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
    /// Index of the profession with this code.
    pub fn prof(&self, code: &str) -> Option<usize> {
        self.professions.iter().position(|p| p == code)
    }
}

/// One dimension of a gather: the concept, and the codes in the order of the output index.
struct Axis<'a> {
    concept: Concept,
    codes: &'a [String],
}

/// Sums a table's cells into a dense array indexed by `axes` (first slowest), keeping only rows whose
/// dimensions of the `fixed` concepts have the given codes. Rows whose codes fall outside the axes
/// (ages over 74, a total category) are skipped; a missing or suppressed cell inside them is an error.
fn gather(t: &Table, axes: &[Axis<'_>], fixed: &[(Concept, &str)]) -> Result<Vec<f64>, ModelError> {
    let file = t.meta.origin.clone();
    let find = |c: Concept| {
        t.dims
            .iter()
            .position(|d| Concept::of(d) == Some(c))
            .ok_or_else(|| ModelError::Input {
                file: file.clone(),
                message: format!(
                    "no {c:?} dimension among [{}]",
                    t.dims
                        .iter()
                        .map(|d| d.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })
    };
    let mut maps: Vec<(usize, Vec<Option<usize>>)> = Vec::new();
    for ax in axes {
        let d = find(ax.concept)?;
        let pos: HashMap<&str, usize> = ax
            .codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.as_str(), i))
            .collect();
        maps.push((
            d,
            t.dims[d]
                .categories
                .iter()
                .map(|c| pos.get(c.code.as_str()).copied())
                .collect(),
        ));
    }
    let mut fixed_maps = Vec::new();
    for (c, code) in fixed {
        let d = find(*c)?;
        let k = t.dims[d].position(code).ok_or_else(|| ModelError::Input {
            file: file.clone(),
            message: format!("the {:?} dimension has no category {code:?}", t.dims[d].id),
        })?;
        fixed_maps.push((d, k as u32));
    }
    let sizes: Vec<usize> = axes.iter().map(|a| a.codes.len()).collect();
    let total: usize = sizes.iter().product();
    let mut out = vec![0.0; total];
    'rows: for r in 0..t.len() {
        for &(d, k) in &fixed_maps {
            if t.keys[d][r] != k {
                continue 'rows;
            }
        }
        let mut i = 0usize;
        for (ax, (d, map)) in maps.iter().enumerate() {
            match map[t.keys[*d][r] as usize] {
                Some(x) => i = i * sizes[ax] + x,
                None => continue 'rows,
            }
        }
        match t.value(r) {
            Some(v) => out[i] += v,
            None => {
                return Err(ModelError::Input {
                    file,
                    message: format!(
                        "the cell ({}) is {}; the model needs a number in every cell it uses",
                        t.key_text(r),
                        t.status[r]
                    ),
                });
            }
        }
    }
    Ok(out)
}

fn codes_of(t: &Table, c: Concept) -> Vec<String> {
    t.dims
        .iter()
        .find(|d| Concept::of(d) == Some(c))
        .map(|d| d.categories.iter().map(|x| x.code.clone()).collect())
        .unwrap_or_default()
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
    pub grid: Grid,
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

impl Inputs {
    /// The same inputs with the counties summed into one (`00`, Sweden): a national projection.
    pub fn national(&self) -> Inputs {
        let g = &self.grid;
        let (np, nc) = (g.np(), g.nc());
        let grid = Grid {
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
        }
    }

    /// Gathers all inputs.
    ///
    /// # Errors
    ///
    /// [`ModelError::Input`] for a table that lacks a dimension the model needs, a cell without a
    /// number, or population years with a gap.
    pub fn gather(t: &Tables<'_>) -> Result<Inputs, ModelError> {
        let lists = CodeLists::get();
        let in_data = codes_of(t.licensed, Concept::Profession);
        let professions: Vec<String> = lists
            .professions
            .iter()
            .map(|p| p.code.clone())
            .filter(|c| in_data.contains(c))
            .collect();
        // Every profession of the register must have its history in the other workforce tables.
        for (name, table) in [("employed", t.employed), ("licences issued", t.issued)] {
            let there = codes_of(table, Concept::Profession);
            if let Some(p) = professions.iter().find(|p| !there.contains(p)) {
                return Err(ModelError::Input {
                    file: table.meta.origin.clone(),
                    message: format!(
                        "no {name} history for the profession {p:?}, which the licence register has; expected every profession of {} here too",
                        t.licensed.meta.origin
                    ),
                });
            }
        }
        let counties: Vec<String> = lists.counties.iter().map(|c| c.code.clone()).collect();
        let sectors: Vec<String> = lists.sectors.iter().map(|s| s.code.clone()).collect();
        let grid = Grid {
            professions,
            counties,
            sectors,
        };
        let ages: Vec<String> = (AGE_MIN..=AGE_MAX).map(|a| a.to_string()).collect();
        let sexes: Vec<String> = SEXES.iter().map(|s| s.to_string()).collect();
        let origins: Vec<String> = ORIGINS.iter().map(|s| s.to_string()).collect();
        let licence_years = years_of(t.licensed);
        let ly = strings(&licence_years);
        let ax = |concept, codes| Axis { concept, codes };
        let licensed = gather(
            t.licensed,
            &[
                ax(Concept::Year, &ly),
                ax(Concept::Profession, &grid.professions),
                ax(Concept::County, &grid.counties),
                ax(Concept::Sex, &sexes),
                ax(Concept::Age, &ages),
            ],
            &[],
        )?;
        let issued = gather(
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
        )?;
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
        let emp_axes = [
            ax(Concept::Year, &ey),
            ax(Concept::Sector, &grid.sectors),
            ax(Concept::Profession, &grid.professions),
            ax(Concept::County, &grid.counties),
            ax(Concept::Sex, &sexes),
            ax(Concept::Age, &ages),
        ];
        let employed = gather(
            t.employed,
            &emp_axes,
            &[(Concept::Contents, &content("EMP")?)],
        )?;
        let fte = gather(
            t.employed,
            &emp_axes,
            &[(Concept::Contents, &content("FTE")?)],
        )?;
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
        let pop_ages: Vec<String> = (0..POP_AGES).map(|a| a.to_string()).collect();
        let py = strings(&population_years);
        let pop_axes = [
            ax(Concept::Year, &py),
            ax(Concept::County, &grid.counties),
            ax(Concept::Sex, &sexes),
            ax(Concept::Age, &pop_ages),
        ];
        // History and projection fill different years of the same array.
        let mut population = gather(t.population, &pop_axes, &[])?;
        let proj = gather(t.projection, &pop_axes, &[])?;
        for (a, b) in population.iter_mut().zip(proj) {
            *a += b;
        }
        // Care use: one profile, or one per year when the table has a year dimension (never summed
        // over years).
        let has_years = t
            .care_use
            .dims
            .iter()
            .any(|d| Concept::of(d) == Some(Concept::Year));
        let (care_use, care_use_years, care_use_history) = if has_years {
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
                Axis {
                    concept: Concept::Year,
                    codes: &cy,
                },
                Axis {
                    concept: Concept::Sector,
                    codes: &grid.sectors,
                },
                Axis {
                    concept: Concept::Sex,
                    codes: &sexes,
                },
                Axis {
                    concept: Concept::Age,
                    codes: &pop_ages,
                },
            ];
            let history = gather(t.care_use, &axes, &[])?;
            let block = grid.nk() * 2 * POP_AGES;
            let last = history[(years.len() - 1) * block..].to_vec();
            (last, years, history)
        } else {
            let axes = [
                ax(Concept::Sector, &grid.sectors),
                ax(Concept::Sex, &sexes),
                ax(Concept::Age, &pop_ages),
            ];
            (gather(t.care_use, &axes, &[])?, Vec::new(), Vec::new())
        };
        let admission_years = years_of(t.admissions);
        let ay = strings(&admission_years);
        let hc_regions: Vec<String> = lists
            .healthcare_regions
            .iter()
            .map(|r| r.code.clone())
            .collect();
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
        let select = |code: &str| -> Result<Vec<f64>, ModelError> {
            let mut sub = t.admissions.clone();
            // Keep the rows of one task; then gather over year × programme × region.
            let k = sub.dims[uppgift].position(code).unwrap_or(usize::MAX) as u32;
            let keep: Vec<usize> = (0..sub.len())
                .filter(|&r| sub.keys[uppgift][r] == k)
                .collect();
            for col in sub.keys.iter_mut() {
                *col = keep.iter().map(|&r| col[r]).collect();
            }
            sub.values = keep.iter().map(|&r| t.admissions.values[r]).collect();
            sub.status = keep.iter().map(|&r| t.admissions.status[r]).collect();
            sub.symbols = keep.iter().map(|&r| t.admissions.symbols[r]).collect();
            sub.lines.clear();
            gather(
                &sub,
                &[
                    ax(Concept::Year, &ay),
                    ax(Concept::Profession, &grid.professions),
                    ax(Concept::HealthcareRegion, &hc_regions),
                ],
                &[],
            )
        };
        let beginners = select(&task("nybörjare")?)?;
        let graduates = select(&task("examinerade")?)?;
        let assessments: Vec<String> = ASSESSMENTS.iter().map(|s| s.to_string()).collect();
        let by = codes_of(t.balance, Concept::Year);
        let last = by.last().cloned().unwrap_or_default();
        let balance = gather(
            t.balance,
            &[
                ax(Concept::Profession, &grid.professions),
                ax(Concept::County, &grid.counties),
                ax(Concept::Sector, &grid.sectors),
                ax(Concept::Assessment, &assessments),
            ],
            &[(Concept::Year, &last)],
        )?;
        Ok(Inputs {
            grid,
            licence_years,
            licensed,
            issued,
            employment_years,
            employed,
            fte,
            population_years,
            population,
            care_use,
            care_use_years,
            care_use_history,
            admission_years,
            hc_regions,
            beginners,
            graduates,
            balance,
        })
    }
}
