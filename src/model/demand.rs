//! Demand: base-year FTE corrected for imbalance, a demographic index, named growth factors,
//! substitution between professions, and a needs-based alternative.
//!
//! # Formula
//!
//! ```text
//! D[t] = D[t0] · I[t] · Π_j (1 + g_j)^(t − t0)
//! D[t0] = FTE[t0] · (1 + u)            u = Σ_answers n_answer · imbalance[answer] / Σ n_answer
//! I[t]  = Σ_{s,a} P[t,s,a] · w[s,a] / Σ_{s,a} P[t0,s,a] · w[s,a]     (per county and sector)
//! ```
//!
//! Substitution moves `m(t) = D_from[t] · (1 − (1 − share)^(t − t0))` from one profession to
//! another in every county and sector, so the two changes cancel exactly. A profession with a
//! density target has `D[t] = density · P_total[t] / 1000` per county, split over sectors as in the
//! base year.

use super::inputs::{Inputs, POP_AGES};
use super::scenario::Scenario;

/// Demand in FTE, `[year][p][c][k]` over `years`.
#[derive(Clone, Debug, PartialEq)]
pub struct DemandPath {
    /// Years, from the base year.
    pub years: Vec<i32>,
    /// FTE demanded.
    pub fte: Vec<f64>,
    /// The base-year imbalance used, `[p][c][k]`.
    pub imbalance: Vec<f64>,
    /// The demographic index, `[year][c][k]`.
    pub index: Vec<f64>,
}

/// The demographic index per year, county and sector.
pub fn demographic_index(inp: &Inputs, years: &[i32], base: i32) -> Vec<f64> {
    let nc = inp.grid.nc();
    let nk = inp.grid.nk();
    let py = &inp.population_years;
    let weighted = |t: i32, c: usize, k: usize| -> f64 {
        let Some(y) = py.iter().position(|&x| x == t) else {
            return f64::NAN;
        };
        let mut s = 0.0;
        for sx in 0..2 {
            for a in 0..POP_AGES {
                s += inp.population[((y * nc + c) * 2 + sx) * POP_AGES + a]
                    * inp.care_use[(k * 2 + sx) * POP_AGES + a];
            }
        }
        s
    };
    let mut out = Vec::with_capacity(years.len() * nc * nk);
    for &t in years {
        for c in 0..nc {
            for k in 0..nk {
                let b = weighted(base, c, k);
                out.push(if b > 0.0 { weighted(t, c, k) / b } else { 1.0 });
            }
        }
    }
    out
}

/// Total population of county `c` in year `t`.
fn population(inp: &Inputs, t: i32, c: usize) -> f64 {
    let nc = inp.grid.nc();
    inp.population_years
        .iter()
        .position(|&x| x == t)
        .map_or(f64::NAN, |y| {
            inp.population[((y * nc + c) * 2) * POP_AGES..((y * nc + c) * 2 + 2) * POP_AGES]
                .iter()
                .sum()
        })
}

/// Projects demand from base-year FTE (`base_fte`, `[p][c][k]`).
pub fn project(inp: &Inputs, sc: &Scenario, base_fte: &[f64]) -> DemandPath {
    let g = &inp.grid;
    let (np, nc, nk) = (g.np(), g.nc(), g.nk());
    let years: Vec<i32> = (sc.base_year..=sc.horizon).collect();
    let index = demographic_index(inp, &years, sc.base_year);
    let mut imbalance = vec![0.0; np * nc * nk];
    for p in 0..np {
        for c in 0..nc {
            for k in 0..nk {
                let counts =
                    &inp.balance[((p * nc + c) * nk + k) * 3..((p * nc + c) * nk + k) * 3 + 3];
                let n: f64 = counts.iter().sum();
                if n > 0.0 {
                    imbalance[(p * nc + c) * nk + k] = super::inputs::ASSESSMENTS
                        .iter()
                        .zip(counts)
                        .map(|(a, x)| x * sc.demand.imbalance.get(*a).copied().unwrap_or(0.0))
                        .sum::<f64>()
                        / n;
                }
            }
        }
    }
    let growth = |p: usize, dt: i32| -> f64 {
        let code = &g.professions[p];
        sc.demand
            .factors
            .values()
            .map(|per| {
                per.get(code)
                    .or_else(|| per.get("*"))
                    .copied()
                    .unwrap_or(0.0)
            })
            .map(|r| (1.0 + r).powi(dt))
            .product()
    };
    let per = np * nc * nk;
    let mut fte = vec![0.0; years.len() * per];
    for (ti, &t) in years.iter().enumerate() {
        let dt = t - sc.base_year;
        for p in 0..np {
            let gp = growth(p, dt);
            for c in 0..nc {
                for k in 0..nk {
                    let i = (p * nc + c) * nk + k;
                    fte[ti * per + i] =
                        base_fte[i] * (1.0 + imbalance[i]) * index[(ti * nc + c) * nk + k] * gp;
                }
            }
        }
    }
    for sub in &sc.demand.substitution {
        let (Some(from), Some(to)) = (g.prof(&sub.from), g.prof(&sub.to)) else {
            continue;
        };
        for (ti, &t) in years.iter().enumerate() {
            let moved = 1.0 - (1.0 - sub.share_per_year).powi(t - sc.base_year);
            for c in 0..nc {
                for k in 0..nk {
                    let m = fte[ti * per + (from * nc + c) * nk + k] * moved;
                    fte[ti * per + (from * nc + c) * nk + k] -= m;
                    fte[ti * per + (to * nc + c) * nk + k] += m;
                }
            }
        }
    }
    for (code, density) in &sc.demand.density {
        let Some(p) = g.prof(code) else { continue };
        for c in 0..nc {
            let base: Vec<f64> = (0..nk).map(|k| base_fte[(p * nc + c) * nk + k]).collect();
            let total: f64 = base.iter().sum();
            for (ti, &t) in years.iter().enumerate() {
                let d = density * population(inp, t, c) / 1000.0;
                for k in 0..nk {
                    let share = if total > 0.0 {
                        base[k] / total
                    } else if k == 0 {
                        1.0
                    } else {
                        0.0
                    };
                    fte[ti * per + (p * nc + c) * nk + k] = d * share;
                }
            }
        }
    }
    DemandPath {
        years,
        fte,
        imbalance,
        index,
    }
}
