//! Cells without a number (`..`, suppressed), imputed from the table's own totals: the scenario
//! key `missing = "impute"` of an `[inputs]` entry.
//!
//! Agencies suppress small counts but publish the totals they belong to (`Totalt` over ages,
//! `1+2` over sexes, `Riket` over counties). For every cell without a number, each total that
//! differs from it in one dimension alone gives a constraint: the cells without a number of that
//! total must add up to the total less its known parts (the remainder, floored at 0). The cells
//! start from a profile and are raked to every constraint they take part in (iterative
//! proportional fitting, Deming & Stephan 1940):
//!
//! ```text
//! start:   x_i = Σ_{c' ≠ c} v[i with county c']       the same cell in the rest of the country
//!          (1 where that is 0 or the table has no county dimension: an even split)
//! repeat:  for each constraint j:  x_i ← x_i · R_j / Σ_{i ∈ j} x_i      (R_j = max(0, total − known))
//! until:   every constraint holds to 1e-9 (relative), at most 1000 sweeps
//! ```
//!
//! With one cell without a number in a total, the cell is the remainder exactly. Imputed cells
//! carry status `estimated`; the run counts them per input ([`super::UsedInput::imputed`]), and the
//! method text and the manifest say so. A cell no total covers cannot be imputed: an error lists
//! them, grouped, and names the totals that would do.

use crate::codes::{Age, Lookup, age};
use crate::table::{Status, Table};
use crate::validate::{Concept, resolve};
use std::collections::HashMap;

/// Why cells cannot be imputed.
#[derive(Debug, thiserror::Error, PartialEq)]
#[non_exhaustive]
pub enum ImputeError {
    /// Cells without a number that no total of the table covers.
    #[error(
        "{file}: {cells} cell(s) without a number cannot be imputed: no total of the table covers them (e.g. {}); `missing = \"impute\"` needs the table's totals over a dimension of each such cell (a `Totalt` row over ages, `1+2` over sexes, `Riket` over counties)",
        examples.join("; ")
    )]
    NoTotal {
        /// The table.
        file: String,
        /// How many.
        cells: usize,
        /// The first few, by key.
        examples: Vec<String>,
    },
    /// The totals contradict each other: raking does not meet them all.
    #[error(
        "{file}: the totals around {cells} imputed cell(s) contradict each other (a constraint is off by {residual:.3} after 1000 sweeps, e.g. at {example}); expected totals that are the sums of their parts"
    )]
    Inconsistent {
        /// The table.
        file: String,
        /// How many cells were imputed.
        cells: usize,
        /// The largest constraint's miss.
        residual: f64,
        /// A cell of that constraint, by key.
        example: String,
    },
}

/// What was imputed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Imputed {
    /// Cells imputed.
    pub cells: usize,
    /// Their sum.
    pub total: f64,
    /// Totals whose known parts already exceeded them (remainder floored at 0).
    pub negative_remainders: usize,
    /// The dimensions whose totals constrained them (ids).
    pub over: Vec<String>,
}

impl Imputed {
    /// The note the run records for the input (`used.notes`, the manifest, stderr).
    pub fn note(&self) -> super::Note {
        let mut en = format!(
            "{} cell(s) without a number imputed from the table's totals over {} (sum {:.1}; spread by the same cell in the rest of the country, raked to the totals; status estimated)",
            self.cells,
            self.over.join(", "),
            self.total
        );
        let mut sv = format!(
            "{} cell(er) utan tal imputerade från tabellens summor över {} (summa {}; fördelade som samma cell i resten av landet, anpassade till summorna; status skattad)",
            self.cells,
            self.over.join(", "),
            format!("{:.1}", self.total).replace('.', ",")
        );
        if self.negative_remainders > 0 {
            en += &format!(
                "; {} total(s) were below their known parts, and their missing cells were set to 0",
                self.negative_remainders
            );
            sv += &format!(
                "; {} summa/summor var mindre än sina kända delar, och deras saknade celler sattes till 0",
                self.negative_remainders
            );
        }
        super::Note::new(en, sv)
    }
}

/// The total category of each dimension, if it has one.
fn totals(t: &Table) -> Vec<Option<u32>> {
    t.dims
        .iter()
        .map(|d| {
            let concept = Concept::of(d);
            let by_concept = d.categories.iter().position(|c| match concept {
                Some(Concept::Age) => [Some(&c.code), c.label_sv.as_ref(), c.label_en.as_ref()]
                    .into_iter()
                    .flatten()
                    .any(|x| age(x) == Some(Age::Total)),
                Some(Concept::Year) | Some(Concept::Contents) => false,
                Some(k) => resolve(k, c) == Lookup::Total,
                None => crate::validate::is_total_code(&c.code),
            });
            let by_elimination = match d.elimination {
                Some(crate::table::Elimination::Total(k)) => Some(k),
                _ => None,
            };
            by_concept.or(by_elimination).map(|k| k as u32)
        })
        .collect()
}

/// The table with its cells without a number imputed from its totals (see the module doc), and
/// what was imputed. A table without such cells comes back unchanged.
///
/// # Errors
///
/// [`ImputeError::NoTotal`] for cells no total covers; [`ImputeError::Inconsistent`] when the
/// totals cannot all be met.
pub fn impute(t: &Table) -> Result<(Table, Imputed), ImputeError> {
    let file = t.meta.origin.clone();
    let tot = totals(t);
    let nd = t.dims.len();
    let key = |r: usize| -> Vec<u32> { (0..nd).map(|d| t.keys[d][r]).collect() };
    let is_detail = |k: &[u32]| (0..nd).all(|d| tot[d] != Some(k[d]));
    let missing: Vec<usize> = (0..t.len())
        .filter(|&r| t.value(r).is_none() && is_detail(&key(r)))
        .collect();
    if missing.is_empty() {
        return Ok((t.clone(), Imputed::default()));
    }
    let rows: HashMap<Vec<u32>, usize> = (0..t.len()).map(|r| (key(r), r)).collect();
    let slot: HashMap<usize, usize> = missing.iter().enumerate().map(|(i, &r)| (r, i)).collect();
    // Constraints: (members as indices into `missing`, remainder).
    let mut constraints: Vec<(Vec<usize>, f64)> = Vec::new();
    let mut seen: HashMap<(usize, usize), ()> = HashMap::new();
    let mut covered = vec![false; missing.len()];
    let mut over = vec![false; nd];
    let mut negative = 0usize;
    for (i, &r) in missing.iter().enumerate() {
        let k = key(r);
        for d in 0..nd {
            let Some(td) = tot[d] else { continue };
            let mut mk = k.clone();
            mk[d] = td;
            let Some(&m) = rows.get(&mk) else { continue };
            let Some(total) = t.value(m) else { continue };
            covered[i] = true;
            if seen.insert((d, m), ()).is_some() {
                continue;
            }
            over[d] = true;
            let mut members = Vec::new();
            let mut known = 0.0;
            for c in 0..t.dims[d].len() as u32 {
                if Some(c) == tot[d] {
                    continue;
                }
                let mut ck = k.clone();
                ck[d] = c;
                let Some(&row) = rows.get(&ck) else { continue };
                match t.value(row) {
                    Some(v) => known += v,
                    None => {
                        if let Some(&j) = slot.get(&row) {
                            members.push(j);
                        }
                    }
                }
            }
            let rem = total - known;
            if rem < 0.0 {
                negative += 1;
            }
            constraints.push((members, rem.max(0.0)));
        }
    }
    let uncovered: Vec<usize> = (0..missing.len()).filter(|&i| !covered[i]).collect();
    if !uncovered.is_empty() {
        return Err(ImputeError::NoTotal {
            file,
            cells: uncovered.len(),
            examples: uncovered
                .iter()
                .take(5)
                .map(|&i| t.row_place(missing[i]))
                .collect(),
        });
    }
    // The profile: the same cell in the rest of the country.
    let county = t
        .dims
        .iter()
        .position(|d| Concept::of(d) == Some(Concept::County));
    let mut x: Vec<f64> = missing
        .iter()
        .map(|&r| {
            let Some(cd) = county else { return 1.0 };
            let k = key(r);
            let w: f64 = (0..t.dims[cd].len() as u32)
                .filter(|&c| c != k[cd] && Some(c) != tot[cd])
                .filter_map(|c| {
                    let mut ck = k.clone();
                    ck[cd] = c;
                    rows.get(&ck).and_then(|&row| t.value(row))
                })
                .sum();
            if w > 0.0 { w } else { 1.0 }
        })
        .collect();
    let mut worst = (0.0f64, 0usize);
    for _ in 0..1000 {
        worst = (0.0, 0);
        for (j, (members, target)) in constraints.iter().enumerate() {
            let s: f64 = members.iter().map(|&i| x[i]).sum();
            let miss = (s - target).abs() / target.max(1.0);
            if miss > worst.0 {
                worst = (miss, j);
            }
            if s > 0.0 {
                let f = target / s;
                for &i in members {
                    x[i] *= f;
                }
            } else if !members.is_empty() {
                for &i in members {
                    x[i] = target / members.len() as f64;
                }
            }
        }
        if worst.0 <= 1e-9 {
            break;
        }
    }
    if worst.0 > 1e-9 {
        let example = constraints[worst.1]
            .0
            .first()
            .map(|&i| t.row_place(missing[i]))
            .unwrap_or_default();
        return Err(ImputeError::Inconsistent {
            file,
            cells: missing.len(),
            residual: worst.0,
            example,
        });
    }
    let mut out = t.clone();
    for (i, &r) in missing.iter().enumerate() {
        out.values[r] = x[i];
        out.status[r] = Status::Estimated;
        out.symbols[r] = 0;
    }
    Ok((
        out,
        Imputed {
            cells: missing.len(),
            total: x.iter().sum(),
            negative_remainders: negative,
            over: (0..nd)
                .filter(|&d| over[d])
                .map(|d| t.dims[d].id.clone())
                .collect(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Dimension, TableMeta};

    /// county × age with an age total; rows (county, age, value, status).
    fn table(rows: &[(&str, &str, f64, Status)]) -> Table {
        let mut t = Table::new(
            TableMeta {
                origin: "t.csv".into(),
                ..Default::default()
            },
            vec![
                Dimension::from_codes("län", ["01", "03", "23"]),
                Dimension::from_codes("ålder", ["30", "31", "32", "totalt"]),
            ],
        );
        for (c, a, v, s) in rows {
            let k = [
                t.dims[0].position(c).unwrap() as u32,
                t.dims[1].position(a).unwrap() as u32,
            ];
            t.push(&k, *v, *s, 0);
        }
        t
    }

    use Status::{Observed as O, Suppressed as S};

    #[test]
    fn one_cell_is_its_total_less_the_known_and_two_follow_the_rest_of_the_country() {
        let t = table(&[
            ("01", "30", 100.0, O),
            ("01", "31", 300.0, O),
            ("01", "32", 600.0, O),
            ("01", "totalt", 1000.0, O),
            ("03", "30", 10.0, O),
            ("03", "31", 30.0, O),
            ("03", "32", 60.0, O),
            ("03", "totalt", 100.0, O),
            // Jämtland: 30 and 31 suppressed, 32 known; total 14 → 4 to share, 1 : 3 as 01 + 03.
            ("23", "30", f64::NAN, S),
            ("23", "31", f64::NAN, S),
            ("23", "32", 10.0, O),
            ("23", "totalt", 14.0, O),
        ]);
        let (out, info) = impute(&t).unwrap();
        assert_eq!(info.cells, 2);
        assert_eq!(info.over, ["ålder"]);
        assert_eq!(out.status[8], Status::Estimated);
        assert!((out.values[8] - 1.0).abs() < 1e-12, "{}", out.values[8]);
        assert!((out.values[9] - 3.0).abs() < 1e-12, "{}", out.values[9]);
        // One cell: exactly the remainder.
        let mut one = t.clone();
        one.values[9] = 3.0;
        one.status[9] = O;
        let (out, info) = impute(&one).unwrap();
        assert_eq!(info.cells, 1);
        assert_eq!(out.values[8], 1.0);
    }

    #[test]
    fn cells_no_total_covers_are_an_error_naming_them() {
        let t = table(&[("23", "30", f64::NAN, S), ("23", "31", 2.0, O)]);
        match impute(&t).unwrap_err() {
            ImputeError::NoTotal {
                cells, examples, ..
            } => {
                assert_eq!(cells, 1);
                assert_eq!(examples, ["län=23, ålder=30"]);
            }
            e => panic!("{e}"),
        }
    }

    #[test]
    fn a_total_below_its_known_parts_floors_the_cells_at_zero_and_says_so() {
        let t = table(&[
            ("23", "30", f64::NAN, S),
            ("23", "31", 9.0, O),
            ("23", "totalt", 8.0, O),
        ]);
        let (out, info) = impute(&t).unwrap();
        assert_eq!(out.values[0], 0.0);
        assert_eq!(info.negative_remainders, 1);
        assert!(info.note().en.contains("set to 0"));
    }
}
