//! Backtesting: rerun the projection as if the base year were an earlier year, with only the data
//! that existed then, and score it against what happened.
//!
//! "What existed then" for base year `B`: licences and licences issued up to `B`, employment up to
//! `B − lag` (the register's employment data lag two years behind licences), admissions up to `B`,
//! and no balance assessments (the principals' answers in the data are of the current base year).
//! The population is taken as it turned out (history plus the current projection): the backtest scores
//! the workforce model, not SCB's population forecast.
//!
//! Scores per profession, county and horizon `h`, for licensed persons (observed up to the last
//! register year) and employed FTE (observed up to the last employment year): the percentage error
//! `100·(predicted − actual)/actual`, and over counties the mean absolute percentage error (MAPE) and
//! the mean percentage error (bias). Coverage of a P10–P90 band is reported once the projection has
//! uncertainty bands.

use super::calibration;
use super::inputs::{Inputs, NA};
use super::montecarlo::Variable;
use super::scenario::Scenario;
use super::scope::Region;
use super::{ModelError, Phase, Projection, project};

/// One scored cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    /// The base year of the rerun.
    pub base_year: i32,
    /// Years ahead.
    pub horizon: i32,
    /// Profession code.
    pub profession: String,
    /// County code; the total row's is `00` for Sweden and `scope` for a run with a `[scope]`
    /// (as `hwf project` writes it, [`super::scope::Area::total_code`]).
    pub county: String,
    /// `licensed` (persons) or `fte` (employed full-time equivalents, all sectors).
    pub measure: &'static str,
    /// What the rerun projected.
    pub predicted: f64,
    /// The forecast's band (lowest and highest percentile of the draws) when the backtest ran
    /// Monte Carlo draws.
    pub band: Option<(f64, f64)>,
    /// With Monte Carlo draws: the quantiles of hwf, the no-change and the linear-trend forecasts
    /// on [`calibration::GRID`] (the naive ones `None` where the history is too short); `None`
    /// for a profession without licensed persons at the base year (a licence introduced later
    /// cannot be forecast from it, so it does not count in the calibration).
    pub quantiles: Option<[Option<Vec<f64>>; 3]>,
    /// What the data say.
    pub actual: f64,
}

impl Score {
    /// Whether this is the total row over the run's counties (`00` or `scope`).
    pub fn is_total(&self) -> bool {
        self.county == super::scope::NATION || self.county == super::scope::SCOPE_TOTAL
    }

    /// `100·(predicted − actual)/actual`, or `None` when the actual is zero.
    pub fn error_pct(&self) -> Option<f64> {
        (self.actual != 0.0).then(|| 100.0 * (self.predicted - self.actual) / self.actual)
    }
}

/// The inputs as they stood at the end of `base_year`.
///
/// # Errors
///
/// [`ModelError::Input`] when the data have no licence year `base_year` or no employment year up to
/// `base_year − lag`.
pub fn as_of(inp: &Inputs, base_year: i32, lag: i32) -> Result<Inputs, ModelError> {
    let g = &inp.grid;
    let cells = g.cells();
    let nk = g.nk();
    let keep = |years: &[i32], last: i32| years.iter().take_while(|&&y| y <= last).count();
    let nl = keep(&inp.licence_years, base_year);
    if !inp.licence_years.contains(&base_year) {
        return Err(ModelError::Input {
            file: "licensed".into(),
            message: format!(
                "no licence data for the backtest year {base_year}; the register has {:?}",
                inp.licence_years
            ),
        });
    }
    let ne = keep(&inp.employment_years, base_year - lag);
    if ne == 0 {
        return Err(ModelError::Input {
            file: "employed".into(),
            message: format!(
                "no employment data up to {} (base year {base_year} − {lag} years' lag); the data start in {:?}",
                base_year - lag,
                inp.employment_years.first()
            ),
        });
    }
    let na = keep(&inp.admission_years, base_year);
    let nr = inp.hc_regions.len();
    let mut out = inp.clone();
    // The municipal tables describe the base year's municipalities; a rerun from an earlier year
    // is scored on counties alone.
    out.municipal = None;
    out.licence_years.truncate(nl);
    out.licensed.truncate(nl * cells);
    out.issued.truncate(nl * 3 * cells);
    out.employment_years.truncate(ne);
    out.employed.truncate(ne * nk * cells);
    out.fte.truncate(ne * nk * cells);
    out.admission_years.truncate(na);
    // Care use as published up to the base year (a table with years).
    let nu = keep(&inp.care_use_years, base_year);
    out.care_use_years.truncate(nu);
    out.care_use_history
        .truncate(nu * nk * 2 * super::inputs::POP_AGES);
    out.beginners.truncate(na * g.np() * nr);
    out.graduates.truncate(na * g.np() * nr);
    out.balance.iter_mut().for_each(|x| *x = 0.0);
    let _ = NA;
    Ok(out)
}

/// The scenario of a rerun from `base_year` for `years` years: its horizon, target year and intake
/// window moved with it (the window no longer than the rerun).
fn rerun_scenario(sc: &Scenario, base_year: i32, years: i32) -> Scenario {
    let mut s = sc.clone();
    s.base_year = base_year;
    s.horizon = base_year + years;
    s.balance.target_year = s.horizon;
    s.balance.intake_from = base_year + 1;
    s.balance.window_years = s
        .balance
        .window_years
        .min(u32::try_from(years).unwrap_or(1).max(1));
    s
}

/// Reruns from `base_year` and scores every horizon in `horizons` that the data can check.
///
/// # Errors
///
/// A base year without data, a horizon beyond the data (`horizons` must have at least one year the
/// data cover), and anything the projection reports.
pub fn backtest(
    full: &Projection,
    base_year: i32,
    horizons: &[i32],
) -> Result<Vec<Score>, ModelError> {
    backtest_with(full, base_year, horizons, None)
}

/// Monte Carlo settings of a backtest: draws, seed, and the band's percentiles (low, high).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Draws {
    /// Number of draws.
    pub draws: usize,
    /// Seed.
    pub seed: u64,
    /// The band's lower and upper percentile (e.g. 10 and 90).
    pub band: (f64, f64),
}

/// [`backtest`], with P-low–P-high bands from Monte Carlo draws of the rerun when `mc` is given,
/// so each score says whether the outcome fell inside the band.
///
/// # Errors
///
/// As [`backtest`], and a distribution the scenario declares wrongly.
pub fn backtest_with(
    full: &Projection,
    base_year: i32,
    horizons: &[i32],
    mc: Option<Draws>,
) -> Result<Vec<Score>, ModelError> {
    let inp = &full.inputs;
    let lag = full.scenario.base_year
        - inp
            .employment_years
            .last()
            .copied()
            .unwrap_or(full.scenario.base_year);
    let last_licence = *inp.licence_years.last().unwrap_or(&base_year);
    let last_emp = *inp.employment_years.last().unwrap_or(&base_year);
    let reach = horizons
        .iter()
        .copied()
        .filter(|h| *h >= 1 && base_year + h <= last_licence)
        .max();
    let Some(max_h) = reach else {
        return Err(ModelError::Input {
            file: "licensed".into(),
            message: format!(
                "no horizon in {horizons:?} can be checked from {base_year}: the register ends in {last_licence}"
            ),
        });
    };
    let past = as_of(inp, base_year, lag)?;
    let pr = project(
        &rerun_scenario(&full.scenario, base_year, max_h),
        past,
        Vec::new(),
    )?;
    // The band's edges and the calibration grid, each percentile once.
    let mut percentiles: Vec<f64> = calibration::GRID.to_vec();
    if let Some(m) = mc {
        percentiles.extend([m.band.0, m.band.1]);
    }
    percentiles.sort_by(f64::total_cmp);
    percentiles.dedup();
    let at = |x: f64| percentiles.iter().position(|&q| q == x).unwrap_or(0);
    let grid: Vec<usize> = calibration::GRID.iter().map(|&q| at(q)).collect();
    let bands = match mc {
        Some(m) => {
            let q = super::scenario::Percentiles::new(percentiles.clone()).map_err(|message| {
                ModelError::Scenario {
                    file: "command line".into(),
                    key: "quantiles".into(),
                    message,
                }
            })?;
            Some(super::montecarlo::Kernel::new(&pr)?.run(m.draws, m.seed, &q)?)
        }
        None => None,
    };
    let edges = mc.map(|m| (at(m.band.0), at(m.band.1)));
    // Band of variable `var` (licensed persons, or supply for FTE) in `r` at horizon `h`.
    let band = |p: usize, var: Variable, r: Region, h: i32| {
        bands.as_ref().zip(edges).map(|(b, (lo, hi))| {
            let q = b.q(p, var, r, h as usize);
            (q[lo], q[hi])
        })
    };
    let g = &inp.grid;
    // A profession the register did not have at the base year (a licence introduced later, as
    // HSK in 2019) cannot be forecast from it: it is scored, but not counted in the calibration.
    let existed: Vec<bool> = (0..g.np())
        .map(|p| {
            let bi = pr.inputs.licence_years.iter().position(|&y| y == base_year);
            bi.is_some_and(|bi| {
                (0..g.nc() * 2 * NA)
                    .any(|i| pr.inputs.licensed[bi * g.cells() + g.idx(p, 0, 0, 0) + i] > 0.0)
            })
        })
        .collect();
    // The naive forecasts' histories, once per profession, county (their total last) and measure,
    // not once per horizon.
    let histories: Vec<(Vec<f64>, i32)> = if bands.is_some() {
        (0..g.np())
            .flat_map(|p| {
                Region::counties_then_total(g.nc())
                    .flat_map(move |r| MEASURES.map(move |var| (p, r, var)))
            })
            .map(|(p, r, var)| history(&pr.inputs, p, r, var))
            .collect()
    } else {
        Vec::new()
    };
    // hwf's and the naive forecasts' quantiles of variable `var` in `r` at horizon `h`.
    let quantiles = |p: usize, var: Variable, r: Region, h: i32| {
        if !existed[p] {
            return None;
        }
        let b = bands.as_ref()?;
        let q = b.q(p, var, r, h as usize);
        let own: Vec<f64> = grid.iter().map(|&i| q[i]).collect();
        let m = usize::from(var != Variable::Licensed);
        let (hist, last) = &histories[(p * (g.nc() + 1) + r.index(g.nc())) * 2 + m];
        let (hist, last) = (hist.as_slice(), *last);
        let ahead = usize::try_from(base_year + h - last).unwrap_or(0);
        Some([
            Some(own),
            calibration::no_change(hist, ahead),
            calibration::linear_trend(hist, ahead),
        ])
    };
    let cells = g.cells();
    let total_code = full.area().total_code();
    let mut out = Vec::new();
    for &h in horizons.iter().filter(|&&h| h >= 1 && h <= max_h) {
        let t = base_year + h;
        let ti_path = h as usize;
        let li = inp.licence_years.iter().position(|&y| y == t);
        let ei = inp
            .employment_years
            .iter()
            .position(|&y| y == t)
            .filter(|_| t <= last_emp);
        let rti = pr.years.iter().position(|&y| y == t);
        for p in 0..g.np() {
            let score = |r: Region, var: Variable, (predicted, actual): (f64, f64)| Score {
                base_year,
                horizon: h,
                profession: g.professions[p].clone(),
                county: match r {
                    Region::County(c) => g.counties[c].clone(),
                    Region::Total => total_code.into(),
                },
                measure: measure_name(var),
                band: band(p, var, r, h),
                quantiles: quantiles(p, var, r, h),
                predicted,
                actual,
            };
            // Predicted and actual licensed persons and FTE over the counties.
            let mut total = [(0.0, 0.0), (0.0, 0.0)];
            for c in 0..g.nc() {
                let per = g.nc() * 2 * NA;
                let pred_l: f64 = pr.paths[p].licensed
                    [ti_path * per + c * 2 * NA..ti_path * per + (c + 1) * 2 * NA]
                    .iter()
                    .sum();
                if let Some(li) = li {
                    let act_l: f64 = (0..2)
                        .map(|sx| {
                            (0..NA)
                                .map(|a| inp.licensed[li * cells + g.idx(p, c, sx, a)])
                                .sum::<f64>()
                        })
                        .sum();
                    total[0].0 += pred_l;
                    total[0].1 += act_l;
                    out.push(score(Region::County(c), MEASURES[0], (pred_l, act_l)));
                }
                if let (Some(ei), Some(rti)) = (ei, rti) {
                    debug_assert_eq!(pr.phases[rti], Phase::Projection);
                    let pred_f: f64 = (0..g.nk()).map(|k| pr.supply[pr.at(rti, p, c, k)]).sum();
                    let act_f: f64 = (0..g.nk())
                        .map(|k| {
                            (0..2)
                                .map(|sx| {
                                    (0..NA)
                                        .map(|a| {
                                            inp.fte[(ei * g.nk() + k) * cells + g.idx(p, c, sx, a)]
                                        })
                                        .sum::<f64>()
                                })
                                .sum::<f64>()
                        })
                        .sum();
                    total[1].0 += pred_f;
                    total[1].1 += act_f;
                    out.push(score(Region::County(c), MEASURES[1], (pred_f, act_f)));
                }
            }
            if li.is_some() {
                out.push(score(Region::Total, MEASURES[0], total[0]));
            }
            if ei.is_some() && rti.is_some() {
                out.push(score(Region::Total, MEASURES[1], total[1]));
            }
        }
    }
    Ok(out)
}

/// The two measures a backtest scores, as the bands' variables: licensed persons, and FTE in all
/// sectors (the bands' supply).
const MEASURES: [Variable; 2] = [Variable::Licensed, Variable::Supply];

/// The name a score gives the measure of variable `var` (one of [`MEASURES`]).
fn measure_name(var: Variable) -> &'static str {
    if var == Variable::Licensed {
        "licensed"
    } else {
        "fte"
    }
}

/// The observed series of profession `p` in `r` (a county, or their total) as the rerun knew it:
/// licensed persons by licence year, or FTE in all sectors (`var` [`Variable::Supply`]) by
/// employment year; the trailing run of consecutive years, oldest first, and its last year.
fn history(past: &Inputs, p: usize, r: Region, var: Variable) -> (Vec<f64>, i32) {
    let g = &past.grid;
    let cells = g.cells();
    let licensed = var == Variable::Licensed;
    let years = if licensed {
        &past.licence_years
    } else {
        &past.employment_years
    };
    let value = |yi: usize| -> f64 {
        let mut v = 0.0;
        for c in r.counties(g.nc()) {
            for sx in 0..2 {
                for a in 0..NA {
                    let i = g.idx(p, c, sx, a);
                    if licensed {
                        v += past.licensed[yi * cells + i];
                    } else {
                        v += (0..g.nk())
                            .map(|k| past.fte[(yi * g.nk() + k) * cells + i])
                            .sum::<f64>();
                    }
                }
            }
        }
        v
    };
    let Some(&last) = years.last() else {
        return (Vec::new(), 0);
    };
    let mut first = years.len() - 1;
    while first > 0 && years[first - 1] + 1 == years[first] {
        first -= 1;
    }
    ((first..years.len()).map(value).collect(), last)
}

/// The calibration cases of scores with Monte Carlo quantiles (see [`calibration::table`]).
pub fn cases(scores: &[Score]) -> Vec<calibration::Case> {
    scores
        .iter()
        .filter_map(|s| {
            Some(calibration::Case {
                base_year: s.base_year,
                horizon: s.horizon,
                profession: s.profession.clone(),
                national: s.is_total(),
                measure: s.measure,
                actual: s.actual,
                quantiles: s.quantiles.clone()?,
            })
        })
        .collect()
}

/// One line of the summary: a profession's errors at one base year, horizon and measure.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// Base year of the rerun.
    pub base_year: i32,
    /// Years ahead.
    pub horizon: i32,
    /// `licensed` or `fte`.
    pub measure: &'static str,
    /// Profession code.
    pub profession: String,
    /// The national percentage error (`NaN` when the actual is zero).
    pub national: f64,
    /// Mean absolute percentage error over counties.
    pub mape: f64,
    /// Mean percentage error over counties.
    pub bias: f64,
    /// Share of counties whose outcome fell inside the band (with Monte Carlo draws).
    pub coverage: Option<f64>,
}

/// National error, county errors, county inside-band flags.
type Group = (Option<f64>, Vec<f64>, Vec<bool>);

/// Summary per base year, horizon, measure and profession: the national error, and over counties the
/// MAPE and the bias (mean percentage error), in percent.
pub fn summarise(scores: &[Score]) -> Vec<Summary> {
    use std::collections::BTreeMap;
    let mut groups: BTreeMap<(i32, i32, &'static str, String), Group> = BTreeMap::new();
    for s in scores {
        let e = groups
            .entry((s.base_year, s.horizon, s.measure, s.profession.clone()))
            .or_default();
        if s.is_total() {
            e.0 = s.error_pct();
        } else if let Some(x) = s.error_pct() {
            e.1.push(x);
        }
        if !s.is_total()
            && let Some((lo, hi)) = s.band
        {
            e.2.push(lo <= s.actual && s.actual <= hi);
        }
    }
    groups
        .into_iter()
        .map(
            |((base_year, horizon, measure, profession), (national, counties, inside))| {
                let n = counties.len().max(1) as f64;
                Summary {
                    base_year,
                    horizon,
                    measure,
                    profession,
                    national: national.unwrap_or(f64::NAN),
                    mape: counties.iter().map(|x| x.abs()).sum::<f64>() / n,
                    bias: counties.iter().sum::<f64>() / n,
                    coverage: (!inside.is_empty()).then(|| {
                        inside.iter().filter(|x| **x).count() as f64 / inside.len() as f64
                    }),
                }
            },
        )
        .collect()
}

/// The most earlier base years [`model_slopes`] reruns the projection from.
pub const MODEL_BASES: i32 = 6;

/// A profession's error slope from the reruns: `(β̂, se²)` (see [`model_slopes`]).
pub type Slope = Option<(f64, f64)>;

/// The model's own error in the nation's licensed persons and FTE, as its history shows it, per
/// profession: the projection is rerun (point only) from each of up to [`MODEL_BASES`] earlier
/// base years with the data that existed then (as [`as_of`]), and each rerun's national licensed
/// persons and FTE in the years up to the projection's base year (FTE: up to its last employment
/// year) are compared with the data. The log errors `e = ln(actual/predicted)` at `h` years ahead
/// are fitted by a drift through the origin, `e ≈ β·h`: the slope `β̂ = Σhe/Σh²` and its squared
/// standard error `Σ(e − β̂h)²/(n − 1)/Σh²` (`None` with fewer than three errors, e.g. a licence
/// younger than the reruns). Returns `[licensed, FTE]` per profession and the number of reruns
/// made.
///
/// A rerun that the data or the scenario cannot make (too short a history for the windows) is
/// left out and not counted.
pub fn model_slopes(pr: &Projection) -> (Vec<[Slope; 2]>, usize) {
    let inp = &pr.inputs;
    let sc = &pr.scenario;
    let g = &inp.grid;
    let (cells, nk) = (g.cells(), g.nk());
    let last_emp = inp.employment_years.last().copied().unwrap_or(sc.base_year);
    let lag = sc.base_year - last_emp;
    let national = |v: &[f64], at: usize, p: usize| g.nation_sum(v, at, p);
    let licence_at = |y: i32| inp.licence_years.iter().position(|&x| x == y);
    let employment_at = |y: i32| inp.employment_years.iter().position(|&x| x == y);
    let mut errors: Vec<[Vec<(f64, f64)>; 2]> = vec![[Vec::new(), Vec::new()]; g.np()];
    let mut reruns = 0;
    for k in 1..=MODEL_BASES {
        let b = sc.base_year - k;
        let Some(bi) = licence_at(b) else { continue };
        let Ok(past) = as_of(inp, b, lag) else {
            continue;
        };
        let Ok(rerun) = project(&rerun_scenario(sc, b, k), past, Vec::new()) else {
            continue;
        };
        reruns += 1;
        let per = g.nc() * 2 * NA;
        for (p, errors) in errors.iter_mut().enumerate() {
            if national(&inp.licensed, bi * cells, p) <= 0.0 {
                continue;
            }
            for h in 1..=k {
                let t = b + h;
                let hi = usize::try_from(h).unwrap_or(0);
                if let (Some(li), Some(path)) = (
                    licence_at(t),
                    rerun.paths[p].licensed.get(hi * per..(hi + 1) * per),
                ) {
                    let (predicted, actual) = (
                        path.iter().sum::<f64>(),
                        national(&inp.licensed, li * cells, p),
                    );
                    if predicted > 0.0 && actual > 0.0 {
                        errors[0].push((f64::from(h), (actual / predicted).ln()));
                    }
                }
                let rti = rerun.years.iter().position(|&y| y == t);
                if let (Some(ei), Some(rti)) = (employment_at(t).filter(|_| t <= last_emp), rti) {
                    let predicted: f64 = (0..g.nc())
                        .flat_map(|c| (0..nk).map(move |kk| (c, kk)))
                        .map(|(c, kk)| rerun.supply[rerun.at(rti, p, c, kk)])
                        .sum();
                    let actual: f64 = (0..nk)
                        .map(|kk| national(&inp.fte, (ei * nk + kk) * cells, p))
                        .sum();
                    if predicted > 0.0 && actual > 0.0 {
                        errors[1].push((f64::from(h), (actual / predicted).ln()));
                    }
                }
            }
        }
    }
    let fit = |e: &[(f64, f64)]| -> Slope {
        let n = e.len();
        let shh: f64 = e.iter().map(|(h, _)| h * h).sum();
        if n < 3 || shh <= 0.0 {
            return None;
        }
        let b = e.iter().map(|(h, x)| h * x).sum::<f64>() / shh;
        let sse: f64 = e.iter().map(|(h, x)| (x - b * h) * (x - b * h)).sum();
        Some((b, sse / (n - 1) as f64 / shh))
    };
    (
        errors.iter().map(|[l, f]| [fit(l), fit(f)]).collect(),
        reruns,
    )
}
