//! Demand: base-year FTE corrected for imbalance, a demographic index, named growth factors,
//! substitution between professions, and a needs-based alternative.
//!
//! # Formula
//!
//! ```text
//! D[t] = D[t0] · I[t] · C[t] · Π_j (1 + g_j)^(t − t0)
//! D[t0] = FTE[t0] · (1 + u)            u = Σ_answers n_answer · imbalance[answer] / Σ n_answer
//! I[t]  = Σ_{s,a} P[t,s,a] · w[s,a] / Σ_{s,a} P[t0,s,a] · w[s,a]     (per county and sector)
//!         or, with demand by service area, Σ_v σ[v] · I_v[t]          (per profession, county, sector;
//!         see [`super::services`])
//! C[t]  = F[t] / F[t0]                  (care-use trend per sector; 1 without one)
//! ```
//!
//! `w` is the care-use profile of the base year (the latest year up to it, when the table has
//! years). With `demand.care_use_trend`, the age-standardised care use per sector,
//! `m[τ] = Σ_{s,a} P0[s,a]·w_τ[s,a] / Σ_{s,a} P0[s,a]·w[s,a]` (`P0`: the national population of the
//! base year, `τ` each care-use year up to the base year), is fitted with the named method and
//! `F[t]` is its forecast (`F = 1` in the profile's year), so `C` carries the change of care use
//! per person at fixed age structure.
//!
//! Substitution moves `m(t) = D_from[t] · (1 − (1 − share)^(t − t0))` from one profession to
//! another in every county and sector, so the two changes cancel exactly. A profession with a
//! density target has `D[t] = density · P_total[t] / 1000` per county, split over sectors as in the
//! base year.

use super::ModelError;
use super::inputs::{Inputs, POP_AGES};
use super::scenario::{Scenario, Trend};
use super::trend::{TrendModel, min_len};

/// Demand in FTE, `[year][p][c][k]` over `years`.
#[derive(Clone, Debug, PartialEq)]
pub struct DemandPath {
    /// Years, from the base year.
    pub years: Vec<i32>,
    /// FTE demanded.
    pub fte: Vec<f64>,
    /// The base-year imbalance used, `[p][c][k]`.
    pub imbalance: Vec<f64>,
    /// The demographic index, `[year][p][c][k]`: the sector's care-use index, or the mix of the
    /// profession's service areas ([`super::services`]).
    pub index: Vec<f64>,
    /// The index of each service area, `[year][c][service]`, when demand is driven by service
    /// area (empty otherwise).
    pub service_index: Vec<f64>,
    /// The profession × county × sector cells (`[p, c, k]`) with employed FTE in the base year
    /// that the staffing matrix gives no FTE for: they keep their sector's index.
    pub unstaffed: Vec<[usize; 3]>,
    /// The care-use trend factor `C[t]`, `[year][k]`; empty without a trend.
    pub care_use: Vec<f64>,
}

/// The care-use trend: factors by year and sector and the models behind them.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct CareUseTrend {
    /// `C[t]`, `[year][k]` over the base year to the horizon; empty without a trend.
    pub factors: Vec<f64>,
    /// The fitted model per sector (`None` for a sector without care use).
    pub models: Vec<Option<TrendModel>>,
    /// The care-use years fitted (up to the base year).
    pub years: Vec<i32>,
    /// The age-standardised care use `m[τ]` per sector, `[k][year]`.
    pub series: Vec<Vec<f64>>,
}

/// Fits `demand.care_use_trend` to the care-use table's years up to the base year (see the module's
/// formula); `input` names the care-use file in errors. The profile `inp.care_use` must already be
/// the base year's.
///
/// # Errors
///
/// [`ModelError::Trend`] naming `demand.care_use_trend` and the file: a care-use table without a
/// year dimension, a year missing, a series too short for the method; [`ModelError::Input`] when
/// the population lacks the base year.
pub fn care_use_trend(
    inp: &Inputs,
    sc: &Scenario,
    input: &str,
) -> Result<CareUseTrend, ModelError> {
    let key = "demand.care_use_trend";
    let method = sc.demand.care_use_trend;
    if method == Trend::None {
        return Ok(CareUseTrend::default());
    }
    let needed = min_len(method);
    if inp.care_use_years.is_empty() {
        return Err(ModelError::Trend {
            key: key.into(),
            input: input.into(),
            year: None,
            message: format!(
                "care_use has no year dimension; a trend needs at least {needed} years ({} with {:?})",
                super::supply::method_name(method),
                method.code()
            ),
        });
    }
    let (nc, nk) = (inp.grid.nc(), inp.grid.nk());
    let base = sc.base_year;
    let Some(py) = inp.population_years.iter().position(|&y| y == base) else {
        return Err(ModelError::Input {
            file: sc.inputs.population.file.clone(),
            message: format!("no population for the base year {base}"),
        });
    };
    let mut p0 = vec![0.0; 2 * POP_AGES];
    for c in 0..nc {
        for (i, v) in p0.iter_mut().enumerate() {
            *v += inp.population[(py * nc + c) * 2 * POP_AGES + i];
        }
    }
    let block = nk * 2 * POP_AGES;
    let idx: Vec<usize> = (0..inp.care_use_years.len())
        .filter(|&i| inp.care_use_years[i] <= base)
        .collect();
    let years: Vec<i32> = idx.iter().map(|&i| inp.care_use_years[i]).collect();
    let profile_year = years.last().copied().unwrap_or(base);
    let weighted = |w: &[f64], k: usize| -> f64 {
        (0..2 * POP_AGES)
            .map(|i| p0[i] * w[k * 2 * POP_AGES + i])
            .sum()
    };
    let ny = (sc.horizon - base + 1).max(0) as usize;
    let mut factors = vec![1.0; ny * nk];
    let mut models = Vec::with_capacity(nk);
    let mut all_series = Vec::with_capacity(nk);
    for k in 0..nk {
        let w0 = weighted(&inp.care_use, k);
        if w0 <= 0.0 {
            models.push(None);
            all_series.push(Vec::new());
            continue;
        }
        let series: Vec<f64> = idx
            .iter()
            .map(|&i| weighted(&inp.care_use_history[i * block..(i + 1) * block], k) / w0)
            .collect();
        let model = super::supply::fit_series(key, input, &years, &series, 1.0, method)
            .map_err(|e| e.for_series(&format!("sector {}", inp.grid.sectors[k])))?;
        if let Some(m) = &model {
            // F(y) for y after the profile's year; 1 up to it. C[t] = F(t)/F(base).
            let steps = usize::try_from(sc.horizon - profile_year).unwrap_or(0);
            let f = m.factors(&m.fit.forecast(steps));
            let at = |y: i32| -> f64 {
                usize::try_from(y - profile_year - 1)
                    .ok()
                    .and_then(|i| f.get(i).copied())
                    .unwrap_or(1.0)
            };
            let f0 = at(base);
            for ti in 0..ny {
                factors[ti * nk + k] = if f0 > 0.0 {
                    at(base + ti as i32) / f0
                } else {
                    0.0
                };
            }
        }
        models.push(model);
        all_series.push(series);
    }
    Ok(CareUseTrend {
        factors,
        models,
        years,
        series: all_series,
    })
}

/// The demographic index per year, county and sector.
pub fn demographic_index(inp: &Inputs, years: &[i32], base: i32) -> Vec<f64> {
    population_index(inp, years, base, &inp.care_use)
}

/// The population of each county weighted by each of `profiles` (`[profile][sex][age 0..=100]`,
/// care use per person), year by year over the same in `base`: `[year][c][profile]` over `years`;
/// 1 where the base has no use, NaN for a year without population.
pub fn population_index(inp: &Inputs, years: &[i32], base: i32, profiles: &[f64]) -> Vec<f64> {
    let nc = inp.grid.nc();
    let block = 2 * POP_AGES;
    let n = profiles.len() / block;
    let weighted = |t: i32, c: usize, k: usize| -> f64 {
        weighted_population(inp, t, c, &profiles[k * block..(k + 1) * block])
    };
    let mut out = Vec::with_capacity(years.len() * nc * n);
    for &t in years {
        for c in 0..nc {
            for k in 0..n {
                let b = weighted(base, c, k);
                out.push(if b > 0.0 { weighted(t, c, k) / b } else { 1.0 });
            }
        }
    }
    out
}

/// County `c`'s population in year `t` weighted by care use per person `w` (`[sex][age 0..=100]`):
/// `Σ_{s,a} P[t,c,s,a]·w[s,a]`; NaN for a year without population.
///
/// With a table of births ([`Inputs::births`]) the use at age 0 weights the year's births `B[t,c]`
/// instead of the population aged 0 at the end of the year, split over the sexes by that
/// population's shares (half each where it has none): `Σ_{s,a≥1} P·w + B·Σ_s π_s·w[s,0]`; NaN
/// for a year the table does not have. The population aged 0 is the year's births less the few
/// who died or moved before 31 December, so the two agree in a projection's index; a population
/// in age bands, though, gives age 0 only as the ungrouping's share of its youngest band.
pub fn weighted_population(inp: &Inputs, t: i32, c: usize, w: &[f64]) -> f64 {
    let nc = inp.grid.nc();
    let block = 2 * POP_AGES;
    let Some(y) = inp.population_years.iter().position(|&x| x == t) else {
        return f64::NAN;
    };
    let pop = &inp.population[(y * nc + c) * block..(y * nc + c + 1) * block];
    let Some(births) = &inp.births else {
        return pop.iter().zip(w).map(|(p, u)| p * u).sum();
    };
    let Some(b) = births.get(t, c) else {
        return f64::NAN;
    };
    let older: f64 = pop
        .iter()
        .zip(w)
        .enumerate()
        .filter(|(i, _)| i % POP_AGES != 0)
        .map(|(_, (p, u))| p * u)
        .sum();
    let (p0, p1) = (pop[0], pop[POP_AGES]);
    let (s0, s1) = if p0 + p1 > 0.0 {
        (p0 / (p0 + p1), p1 / (p0 + p1))
    } else {
        (0.5, 0.5)
    };
    older + b * (s0 * w[0] + s1 * w[POP_AGES])
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

/// Projects demand from base-year FTE (`base_fte`, `[p][c][k]`), with the care-use trend factors
/// `care_use` (`[year][k]`, empty for none; see [`care_use_trend`]).
pub fn project(inp: &Inputs, sc: &Scenario, base_fte: &[f64], care_use: &[f64]) -> DemandPath {
    let g = &inp.grid;
    let (np, nc, nk) = (g.np(), g.nc(), g.nk());
    let years: Vec<i32> = (sc.base_year..=sc.horizon).collect();
    let sector_index = demographic_index(inp, &years, sc.base_year);
    let (mut index, mut service_index, mut unstaffed) = (Vec::new(), Vec::new(), Vec::new());
    match &inp.services {
        Some(sv) => {
            let ns = sv.ns();
            service_index = sv.index(inp, &years, sc.base_year);
            unstaffed = sv.unstaffed(base_fte, np, nc, nk);
            let mixes: Vec<Option<Vec<f64>>> = (0..np * nc * nk)
                .map(|i| sv.mix(i / (nc * nk), (i / nk) % nc, i % nk, nc, nk))
                .collect();
            for ti in 0..years.len() {
                for (i, mix) in mixes.iter().enumerate() {
                    let (c, k) = ((i / nk) % nc, i % nk);
                    index.push(match mix {
                        Some(m) => m
                            .iter()
                            .enumerate()
                            .map(|(v, share)| share * service_index[(ti * nc + c) * ns + v])
                            .sum(),
                        None => sector_index[(ti * nc + c) * nk + k],
                    });
                }
            }
        }
        None => {
            for ti in 0..years.len() {
                for _ in 0..np {
                    index.extend_from_slice(&sector_index[ti * nc * nk..(ti + 1) * nc * nk]);
                }
            }
        }
    }
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
                    let cu = care_use.get(ti * nk + k).copied().unwrap_or(1.0);
                    fte[ti * per + i] =
                        base_fte[i] * (1.0 + imbalance[i]) * index[ti * per + i] * cu * gp;
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
        service_index,
        unstaffed,
        care_use: care_use.to_vec(),
    }
}
