//! Process variation: how far each county's stock and FTE stray from year to year beyond what the
//! model's rates predict, estimated from the register's own history.
//!
//! The parameter draws of [`super::montecarlo`] say how uncertain the model's rates are; they do
//! not say that a county of 1 500 nurses, with exactly known rates, still loses 80 one year and 110
//! the next, and that the FTE its licensed persons work differs from the national pattern. Both are
//! measured here, per profession, so that the Monte Carlo kernel can add them to every draw:
//!
//! - **Stock.** For every transition `y − 1 → y` in the exit-rate window, each county's stock is
//!   predicted one step ahead from last year's stock with the model's exit rates (the county's
//!   level included) and the year's national new licences spread by the county's share of new
//!   licences over the window. The residual `e = actual − predicted` is compared with the county's
//!   gross flow `V` (expected exits plus expected new licences), the variance of a sum of
//!   independent events: the **dispersion** `φ = Σ e² / Σ V · n/(n − 1)` (1 for Poisson-like
//!   flows, above 1 when persons move between counties, leave and come back, or arrive in waves;
//!   `n/(n − 1)` gives back the degree of freedom that each county's fitted exit level and share
//!   of new licences, which together absorb its mean residual, take from its `n` residuals). The kernel adds
//!   to county `c` in year `t` a normal step with variance `φ·τ_c·L_c(t)`, `τ_c` the county's
//!   turnover (gross flow per person), so a county's band widens with the square root of the
//!   horizon, and more for small counties than for large ones. The counties' steps are made to
//!   sum, nationally, to the variance the national residuals show (`φ_nat`): moves between
//!   counties cancel in the sum, so the counties' steps are partly opposed. The county's own rates (its exit
//!   level, its share of new licences) are estimated from the same few years of events, so they
//!   are off by a little that lasts: each draw also gives each county a lasting drift of relative
//!   standard deviation [`Variation::drift`] a year, whose effect grows with the horizon itself.
//! - **FTE per licensed person.** For every employment year in the employment window, each
//!   county's FTE is compared with what the national employment shares and FTE per employed person
//!   give for its licensed persons: `u_c(t) = ln(FTE_c(t) / F̂_c(t))`. The national part of each
//!   year (`n_t`, the same for every county) is taken out; what remains splits into a lasting
//!   county effect (the spread of the county means, `σ_between`) and a year-to-year part
//!   (`σ_within`, pooled within counties). The kernel multiplies county `c`'s FTE in every
//!   projected year by `exp(σ_between·η_c + σ_within·ξ_{c,t})` with standard normal `η_c` (one
//!   per draw) and `ξ_{c,t}` (one per year), centred each year on the counties' FTE-weighted
//!   mean (they move FTE between counties, not the nation's total). The national year effects
//!   `n_t` are what the employment and FTE ratios, held at their window level, miss: their
//!   spread `σ_nat` gives every county's FTE in a projected year the common factor
//!   `exp(σ_nat·(ζ/√n + ξ_t))` (`σ_nat` over up to [`NATIONAL_YEARS`] years), the window level's own error (`n` employment years, one `ζ` per
//!   draw) and the year's (one `ξ_t` per year). With an employment or FTE trend drawn as paths
//!   ([`super::scenario::Uncertainty::employment`]) the paths carry the national variation.
//!
//! Both are zero when the history is too short (fewer than two transitions, or one employment
//! year) and say so in [`Variation::transitions`] and [`Variation::ratio_years`].

use super::inputs::{Inputs, NA};
use super::scenario::Scenario;
use super::supply::Params;

/// The largest lasting drift a year (relative standard deviation): the estimate assumes a stock
/// that has existed for the whole window; a licence still in its first wave (a stock small
/// against its arrivals) would otherwise compound into absurd paths.
pub const MAX_DRIFT: f64 = 0.02;

/// The most employment years the national year effect's spread is measured over
/// ([`Variation::ratio_national`]).
pub const NATIONAL_YEARS: usize = 10;

/// One profession's estimated process variation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Variation {
    /// Dispersion of the county stocks' one-step changes: residual variance per unit of gross
    /// flow (`φ`, 1 for independent events).
    pub dispersion: f64,
    /// Turnover by county: gross flow (expected exits plus new licences) per licensed person and
    /// year over the window (`τ_c`).
    pub turnover: Vec<f64>,
    /// Transitions (county × year) behind the dispersion.
    pub transitions: usize,
    /// Dispersion of the national stock's one-step change (the counties' residuals summed, per
    /// unit of the summed gross flow): below [`Variation::dispersion`] when the counties'
    /// residuals cancel (moves between them), above it when they share a shock.
    pub national_dispersion: f64,
    /// By county: the relative standard deviation of a year's drift that the estimation error of
    /// the county's own rates leaves (its exit level and its share of new licences, each estimated
    /// from the window's events): `√(φ·(E_c + N_c·(1 − π_c))) / Σ_window L_c`, with `E_c` the
    /// county's exits and `N_c` its new licences over the window and `π_c` its share of them, at
    /// most [`MAX_DRIFT`].
    pub drift: Vec<f64>,
    /// Standard deviation of the lasting county effect on ln(FTE per licensed person).
    pub ratio_between: f64,
    /// Standard deviation of the year-to-year county variation of ln(FTE per licensed person).
    pub ratio_within: f64,
    /// Standard deviation of the national year effect on ln(FTE per licensed person): how far a
    /// year's national FTE per licensed person strays from the window's pattern, which the model
    /// holds (with `employment_trend` and `fte_trend` at "none") for every projected year,
    /// measured over the last [`NATIONAL_YEARS`] employment years up to the base year.
    pub ratio_national: f64,
    /// Employment years behind the ratio deviations.
    pub ratio_years: usize,
    /// The least-squares slope a year of the national year effects `n_t` (over the same years as
    /// [`Variation::ratio_national`]) and its squared standard error: one profession's evidence
    /// of a trend in FTE per licensed person that the model's level misses (`None`: fewer than
    /// four years). [`pooled_trend`] pools it over professions.
    pub ratio_slope: Option<(f64, f64)>,
    /// The least-squares slope a year of the national stock's one-step relative residual (with
    /// the year's actual new licences, so that only the stock's own dynamics count), over the
    /// last [`NATIONAL_YEARS`] transitions up to the base year, and its squared standard error: a
    /// drift of the exit rates away from the window's (`None`: fewer than four transitions).
    pub stock_slope: Option<(f64, f64)>,
    /// Transitions in the exit-rate window (the rates' level sits at its middle).
    pub window_transitions: usize,
    /// The year-to-year spread of the nation's licences on foreign education, EU/EEA and third
    /// country, over the last [`NATIONAL_YEARS`] licence years up to the base year: the standard
    /// deviation of ln(licences in a year + ½) around its trend line ([`log_spread`]; 0 with fewer
    /// than [`MIN_FOREIGN_YEARS`] years or no such licences). The model holds the inflow window's
    /// mean for every projected year; a draw's yearly inflow strays from it by this much, and the
    /// window mean itself is off by this over `√n`.
    pub foreign: [f64; 2],
    /// Licence years behind [`Variation::foreign`] (years before the profession had licensed
    /// persons are left out).
    pub foreign_years: usize,
    /// The least-squares slope a year of ln(licences on foreign education + ½), EU/EEA and third
    /// country, over the same years as [`Variation::foreign`], and its squared standard error
    /// (`None`: fewer than four years): one profession's evidence that its foreign inflow moves
    /// away from the window's mean. [`pooled_trend`] pools it over professions.
    pub foreign_slope: [Option<(f64, f64)>; 2],
}

/// The fewest licence years from which [`Variation::foreign`] is estimated.
pub const MIN_FOREIGN_YEARS: usize = 3;

/// The year-to-year spread of yearly totals `x` (consecutive years) on the log scale,
/// `y = ln(x + ½)`: the standard deviation of `y` around its least-squares line (`n − 2` degrees of
/// freedom) with four or more years, around its mean with three, and 0 with fewer than
/// [`MIN_FOREIGN_YEARS`] or no totals above 0.
pub fn log_spread(x: &[f64]) -> f64 {
    let n = x.len();
    if n < MIN_FOREIGN_YEARS || x.iter().all(|&v| v <= 0.0) {
        return 0.0;
    }
    let y: Vec<f64> = x.iter().map(|v| (v.max(0.0) + 0.5).ln()).collect();
    let t: Vec<f64> = (0..n).map(|i| i as f64).collect();
    let (my, mt) = (y.iter().sum::<f64>() / n as f64, (n as f64 - 1.0) / 2.0);
    let (b, dof) = match slope(&t, &y) {
        Some((b, _)) => (b, n - 2),
        None => (0.0, n - 1),
    };
    let sse: f64 = t
        .iter()
        .zip(&y)
        .map(|(ti, yi)| {
            let e = yi - my - b * (ti - mt);
            e * e
        })
        .sum();
    (sse / dof as f64).sqrt()
}

/// The least-squares slope a year of `ln(x + ½)` over consecutive yearly totals `x`, and its
/// squared standard error (`None` with fewer than four years or no totals above 0).
pub fn log_slope(x: &[f64]) -> Option<(f64, f64)> {
    if x.iter().all(|&v| v <= 0.0) {
        return None;
    }
    let y: Vec<f64> = x.iter().map(|v| (v.max(0.0) + 0.5).ln()).collect();
    let t: Vec<f64> = (0..x.len()).map(|i| i as f64).collect();
    slope(&t, &y)
}

/// The least-squares slope of `y` on `x` and its squared standard error (`None` with fewer than
/// four points or no spread in `x`).
pub fn slope(x: &[f64], y: &[f64]) -> Option<(f64, f64)> {
    let n = x.len();
    if n < 4 || y.len() != n {
        return None;
    }
    let (mx, my) = (
        x.iter().sum::<f64>() / n as f64,
        y.iter().sum::<f64>() / n as f64,
    );
    let sxx: f64 = x.iter().map(|a| (a - mx) * (a - mx)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let b = x
        .iter()
        .zip(y)
        .map(|(a, c)| (a - mx) * (c - my))
        .sum::<f64>()
        / sxx;
    let sse: f64 = x
        .iter()
        .zip(y)
        .map(|(a, c)| {
            let e = c - my - b * (a - mx);
            e * e
        })
        .sum();
    Some((b, sse / (n - 2) as f64 / sxx))
}

/// The standard deviation of a random trend a year shared in law by every profession, pooled from
/// the professions' slopes: `√max(0, mean(b̂² − se²))`, the moment estimate of the slopes' spread
/// beyond their sampling error (0 without slopes). A stationary history gives about 0; a history
/// whose rates drift gives the spread of the drifts.
pub fn pooled_trend(slopes: impl Iterator<Item = Option<(f64, f64)>>) -> f64 {
    let (mut sum, mut n) = (0.0, 0usize);
    for (b, se2) in slopes.flatten() {
        sum += b * b - se2;
        n += 1;
    }
    if n == 0 {
        0.0
    } else {
        (sum / n as f64).max(0.0).sqrt()
    }
}

/// Estimates profession `p`'s process variation from the history up to the scenario's base year,
/// with the model's own estimated rates `prm`.
pub fn estimate(inp: &Inputs, sc: &Scenario, p: usize, prm: &Params) -> Variation {
    let g = &inp.grid;
    let (nc, cells, nk) = (g.nc(), g.cells(), g.nk());
    let ly = &inp.licence_years;
    let lic =
        |y: usize, c: usize, sx: usize, a: usize| inp.licensed[y * cells + g.idx(p, c, sx, a)];
    let issued = |y: usize, c: usize| -> f64 {
        (0..3)
            .map(|o| {
                (0..2)
                    .map(|sx| {
                        (0..NA)
                            .map(|a| inp.issued[(y * 3 + o) * cells + g.idx(p, c, sx, a)])
                            .sum::<f64>()
                    })
                    .sum::<f64>()
            })
            .sum()
    };
    // The transitions of the exit-rate window: consecutive licence years ending at the base year.
    let upto: Vec<usize> = (0..ly.len()).filter(|&y| ly[y] <= sc.base_year).collect();
    let from = upto.len().saturating_sub(sc.supply.exit_window + 1);
    // A transition from a year without licensed persons (a licence introduced that year) shows
    // the licence's start, not the variation of a stock: it is left out.
    let held = |y: usize| (0..nc).any(|c| (0..2).any(|sx| (0..NA).any(|a| lic(y, c, sx, a) > 0.0)));
    let pairs: Vec<(usize, usize)> = upto[from..]
        .windows(2)
        .filter(|w| ly[w[1]] == ly[w[0]] + 1 && held(w[0]))
        .map(|w| (w[0], w[1]))
        .collect();
    // Each county's share of new licences over the window.
    let mut county_new = vec![0.0; nc];
    for &(_, y1) in &pairs {
        for (c, n) in county_new.iter_mut().enumerate() {
            *n += issued(y1, c);
        }
    }
    let all_new: f64 = county_new.iter().sum();
    let mut flow = vec![0.0; nc];
    let mut exits_c = vec![0.0; nc];
    let mut stock = vec![0.0; nc];
    let (mut e2, mut v) = (0.0, 0.0);
    let mut transitions = 0;
    let mut national_e2 = 0.0;
    for &(y0, y1) in &pairs {
        let mut year_e = 0.0;
        for c in 0..nc {
            let mut step = Step::default();
            step.add(inp, p, prm, y0, c);
            let Step {
                before,
                exits,
                stay,
            } = step;
            // The model's own forecast of a county's new licences is its level over the window,
            // not the year's: the year-to-year variation of arrivals is part of the residual.
            let new = county_new[c] / pairs.len() as f64;
            let actual: f64 = (0..2)
                .map(|sx| (0..NA).map(|a| lic(y1, c, sx, a)).sum::<f64>())
                .sum();
            let gross = exits + new;
            flow[c] += gross;
            stock[c] += before;
            exits_c[c] += exits;
            if gross > 0.0 {
                let e = actual - (stay + new);
                e2 += e * e;
                v += gross;
                year_e += e;
                transitions += 1;
            }
        }
        national_e2 += year_e * year_e;
    }
    // Each county's exit level and share of new licences are fitted to these same transitions:
    // together they absorb the county's mean residual, one degree of freedom of its n, so Σe²
    // estimates (n − 1)/n of the variance and the dispersion is corrected by n/(n − 1).
    let n = pairs.len() as f64;
    let enough = pairs.len() >= 2 && v > 0.0;
    let dispersion = if enough { e2 / v * n / (n - 1.0) } else { 0.0 };
    // The same for the sum of the counties: moves between counties and the spreading of one
    // national inflow over them cancel in the sum (or a common shock adds up).
    let national_dispersion = if enough {
        national_e2 / v * n / (n - 1.0)
    } else {
        0.0
    };
    let turnover = (0..nc)
        .map(|c| {
            if enough && stock[c] > 0.0 {
                flow[c] / stock[c]
            } else {
                0.0
            }
        })
        .collect();
    let drift = (0..nc)
        .map(|c| {
            if !enough || stock[c] <= 0.0 || all_new <= 0.0 {
                return 0.0;
            }
            let share = county_new[c] / all_new;
            ((dispersion * (exits_c[c] + county_new[c] * (1.0 - share))).sqrt() / stock[c])
                .min(MAX_DRIFT)
        })
        .collect();
    // FTE per licensed person: county deviations from the national pattern, per employment year
    // of the employment window that has licence data.
    let ey = &inp.employment_years;
    let upto_e: Vec<usize> = (0..ey.len()).filter(|&y| ey[y] <= sc.base_year).collect();
    let from_e = upto_e.len().saturating_sub(sc.supply.employment_window);
    // FTE per licensed person by county, sex and age, each county at its own level.
    let mut w = vec![0.0; nc * 2 * NA];
    for c in 0..nc {
        for k in 0..nk {
            for j in 0..2 * NA {
                let i = (c * nk + k) * 2 * NA + j;
                w[c * 2 * NA + j] += prm.county_employment[i] * prm.county_fte[i];
            }
        }
    }
    // u[c] per year: ln(observed / expected) with the year's national part taken out.
    let mut by_year: Vec<Vec<Option<f64>>> = Vec::new();
    let mut nationals = Vec::new();
    let mut national_years = Vec::new();
    // The national year effect's spread is measured over more years than the window (up to
    // [`NATIONAL_YEARS`]): three years give two degrees of freedom, far too few for a spread, and
    // the years before the window show how far a year can stray from the window's level.
    let from_n = upto_e.len().saturating_sub(NATIONAL_YEARS).min(from_e);
    for (i, &ei) in upto_e.iter().enumerate().skip(from_n) {
        let Some(li) = ly.iter().position(|&y| y == ey[ei]) else {
            continue;
        };
        let mut obs = vec![0.0; nc];
        let mut exp = vec![0.0; nc];
        for c in 0..nc {
            for sx in 0..2 {
                for a in 0..NA {
                    let idx = g.idx(p, c, sx, a);
                    exp[c] += inp.licensed[li * cells + idx] * w[(c * 2 + sx) * NA + a];
                    for k in 0..nk {
                        obs[c] += inp.fte[(ei * nk + k) * cells + idx];
                    }
                }
            }
        }
        let (o, x): (f64, f64) = (obs.iter().sum(), exp.iter().sum());
        if !(o > 0.0 && x > 0.0) {
            continue;
        }
        let national = (o / x).ln();
        nationals.push(national);
        national_years.push(f64::from(ey[ei]));
        if i < from_e {
            continue;
        }
        by_year.push(
            (0..nc)
                .map(|c| (obs[c] > 0.0 && exp[c] > 0.0).then(|| (obs[c] / exp[c]).ln() - national))
                .collect(),
        );
    }
    let ratio_years = by_year.len();
    let ratio_slope = slope(&national_years, &nationals);
    // Within: pooled over counties around each county's mean. Between: the county means' spread
    // less what the within part puts into a mean of n years (σ_w²/n).
    let series: Vec<Vec<f64>> = (0..nc)
        .map(|c| by_year.iter().filter_map(|y| y[c]).collect())
        .collect();
    let mean = |u: &[f64]| u.iter().sum::<f64>() / u.len() as f64;
    let (mut within, mut nw) = (0.0, 0usize);
    for u in series.iter().filter(|u| u.len() > 1) {
        let m = mean(u);
        within += u.iter().map(|x| (x - m) * (x - m)).sum::<f64>();
        nw += u.len() - 1;
    }
    let within = if nw > 0 { within / nw as f64 } else { 0.0 };
    let (mut between, mut nb) = (0.0, 0usize);
    for u in series.iter().filter(|u| !u.is_empty()) {
        let m = mean(u);
        between += m * m - within / u.len() as f64;
        nb += 1;
    }
    Variation {
        dispersion,
        turnover,
        transitions,
        national_dispersion,
        drift,
        ratio_between: if nb > 0 {
            (between / nb as f64).max(0.0).sqrt()
        } else {
            0.0
        },
        ratio_within: within.sqrt(),
        ratio_national: if nationals.len() > 1 {
            let m = mean(&nationals);
            (nationals.iter().map(|x| (x - m) * (x - m)).sum::<f64>()
                / (nationals.len() - 1) as f64)
                .sqrt()
        } else {
            0.0
        },
        ratio_years,
        ratio_slope,
        stock_slope: stock_slope(inp, p, prm, &upto),
        window_transitions: pairs.len(),
        foreign: [1, 2].map(|o| log_spread(&foreign_totals(inp, p, &upto, o))),
        foreign_years: foreign_totals(inp, p, &upto, 1).len(),
        foreign_slope: [1, 2].map(|o| log_slope(&foreign_totals(inp, p, &upto, o))),
    }
}

/// The nation's licences of origin `o` (1 EU/EEA, 2 third country) in each of the last
/// [`NATIONAL_YEARS`] licence years of `upto` in which profession `p` had licensed persons.
fn foreign_totals(inp: &Inputs, p: usize, upto: &[usize], o: usize) -> Vec<f64> {
    let g = &inp.grid;
    let cells = g.cells();
    let cell_sum = |v: &[f64], at: usize| g.nation_sum(v, at, p);
    let held: Vec<usize> = upto
        .iter()
        .copied()
        .filter(|&y| cell_sum(&inp.licensed, y * cells) > 0.0)
        .collect();
    held[held.len().saturating_sub(NATIONAL_YEARS)..]
        .iter()
        .map(|&y| cell_sum(&inp.issued, (y * 3 + o) * cells))
        .collect()
}

/// One step of the model's exits from licence year index `y0`, summed over the counties added:
/// persons at risk, expected exits and expected stayers (the last age exits whole).
#[derive(Default)]
struct Step {
    before: f64,
    exits: f64,
    stay: f64,
}

impl Step {
    /// Adds county `c`'s persons in `y0` with profession `p`'s exit rates (the county's factor or
    /// its deviations by age group included, [`Params::county_rates`]), in sex and age order.
    fn add(&mut self, inp: &Inputs, p: usize, prm: &Params, y0: usize, c: usize) {
        let g = &inp.grid;
        for sx in 0..2 {
            for a in 0..NA {
                let l = inp.licensed[y0 * g.cells() + g.idx(p, c, sx, a)];
                let x = prm.county_rates(c, sx, a).1;
                self.before += l;
                self.exits += l * x;
                self.stay += l * (1.0 - x);
            }
        }
    }
}

/// The national stock's one-step relative residuals over the last [`NATIONAL_YEARS`] transitions
/// of `upto` (licence year indices up to the base year), with the model's exit rates and each
/// year's actual new licences, and their least-squares slope a year ([`Variation::stock_slope`]).
fn stock_slope(inp: &Inputs, p: usize, prm: &Params, upto: &[usize]) -> Option<(f64, f64)> {
    let g = &inp.grid;
    let (nc, cells) = (g.nc(), g.cells());
    let ly = &inp.licence_years;
    let from = upto.len().saturating_sub(NATIONAL_YEARS + 1);
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for w in upto[from..].windows(2) {
        let (y0, y1) = (w[0], w[1]);
        if ly[y1] != ly[y0] + 1 {
            continue;
        }
        let mut step = Step::default();
        let (mut after, mut new) = (0.0, 0.0);
        for c in 0..nc {
            step.add(inp, p, prm, y0, c);
            for sx in 0..2 {
                for a in 0..NA {
                    let i = g.idx(p, c, sx, a);
                    after += inp.licensed[y1 * cells + i];
                    new += (0..3)
                        .map(|o| inp.issued[(y1 * 3 + o) * cells + i])
                        .sum::<f64>();
                }
            }
        }
        if step.before > 0.0 {
            x.push(f64::from(ly[y1]));
            y.push((after - step.stay - new) / step.before);
        }
    }
    slope(&x, &y)
}

/// The year-to-year variation of the counties' population growth: the standard deviation of
/// `Δ ln P_c(t)` around each county's mean growth over the last `years` years of history up to
/// `base_year` (pooled over counties). A projection that continues a county's growth misses by a
/// random walk with this step; hwf applies it to demand as the population projection's error
/// (a cohort-component projection does better than constant growth, so this errs on the wide
/// side). Zero with fewer than three years of history.
pub fn population_sd(inp: &Inputs, base_year: i32, years: usize) -> f64 {
    let nc = inp.grid.nc();
    let per = nc * 2 * super::inputs::POP_AGES;
    let py = &inp.population_years;
    let upto: Vec<usize> = (0..py.len()).filter(|&y| py[y] <= base_year).collect();
    let from = upto.len().saturating_sub(years + 1);
    let idx = &upto[from..];
    if idx.len() < 3 {
        return 0.0;
    }
    let total = |y: usize, c: usize| -> f64 {
        let at = y * per + c * 2 * super::inputs::POP_AGES;
        inp.population[at..at + 2 * super::inputs::POP_AGES]
            .iter()
            .sum()
    };
    let (mut ss, mut df) = (0.0, 0usize);
    for c in 0..nc {
        let g: Vec<f64> = idx
            .windows(2)
            .filter_map(|w| {
                let (a, b) = (total(w[0], c), total(w[1], c));
                (a > 0.0 && b > 0.0).then(|| (b / a).ln())
            })
            .collect();
        if g.len() < 2 {
            continue;
        }
        let m = g.iter().sum::<f64>() / g.len() as f64;
        ss += g.iter().map(|x| (x - m) * (x - m)).sum::<f64>();
        df += g.len() - 1;
    }
    if df == 0 {
        0.0
    } else {
        (ss / df as f64).sqrt()
    }
}
