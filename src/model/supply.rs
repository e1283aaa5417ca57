//! Supply: cohort-component stock-flow by profession × county × sex × single-year age.
//!
//! # Formula
//!
//! ```text
//! L[t+1, a+1] = L[t, a] · (1 − x[a]) + SE[t+1, a+1] + EU[t+1, a+1] + TC[t+1, a+1]
//! E_k[t] = L[t] · e_k[a]          (employed in sector k)
//! S_k[t] = E_k[t] · h_k[a]        (full-time equivalents)
//! ```
//!
//! - `x`, exit rates, are estimated from the register: over the last `exit_window` year pairs,
//!   `x = 1 − Σ (L[t+1, a+1] − issued[t+1, a+1]) / Σ L[t, a]`, pooled over counties, by profession,
//!   sex and age; where fewer than `min_exposure` persons are at risk, neighbouring ages are pooled
//!   until there are. With `county_exits`, each county's level is scaled by the ratio of its
//!   observed to its expected exits, which carries net movement between counties. Age 74 is the last:
//!   everyone leaves after it.
//! - `SE`, Swedish licences, come from the education pipeline: graduates `G[t] = Σ_r c_r · B_r[t − d]`
//!   (beginners `B` per health-care region `r`, completion rate `c_r` from the history, programme
//!   length `d` rounded up) and licences `SE[t] = l · G[t − lag]` (the licence lag split between its
//!   floor and ceiling; `l`, the share licensed, from the history), spread over county, sex and age
//!   as recent Swedish licences were. Professions without a Swedish programme keep their recent
//!   mean of Swedish licences.
//! - `EU`, `TC`: the recent mean of licences on foreign education, by county, sex and age, times the
//!   scenario's factors.
//! - `e_k`, `h_k`: employment share and FTE per employed person by profession, sex and age, pooled
//!   over counties and the last `employment_window` employment years; each county keeps its own
//!   level per sector over the same years, shrunk toward these national rates by its precision
//!   (`e_ck`, `h_ck`, see [`super::anchor`] and `supply.county_levels`). With `employment_trend` /
//!   `fte_trend`, each year after the last employment year (nowcast and projection) takes
//!   `E_k[t] = L[t]·e_k·f_e[t]` and `S_k[t] = E_k[t]·h_k·f_h[t]`, where `f_e[t] = min(ê[t]/ē, 1/max_{s,a}
//!   Σ_k e_k)` and `f_h[t] = ĥ[t]/h̄`: the forecast of the national ratio (employed/licensed,
//!   FTE/employed, fitted over the employment years up to the base year, see [`super::trend`]) over
//!   its level in the window (`ē = Σ E / Σ L`, `h̄ = Σ FTE / Σ E` over the window's years). The cap
//!   keeps every share, and every sum of shares over sectors, at or below 1. A series starts with
//!   the profession's first year with licensed (employed) persons; a year missing after that, or
//!   one without licensed (employed) persons, is an error, not a fill.
//!
//! Supply is linear in the beginners `B`: that makes the required intake exact.

use super::ModelError;
use super::anchor;
use super::inputs::{Inputs, NA};
use super::levers;
use super::movement::{self, Movement};
use super::scenario::{Scenario, Supply, Trend};
use super::trend::{first_gap, min_len};
use crate::codes::CodeLists;

/// One way from admission to licence, for the cohorts (admission years) from `from` on until the
/// next route's: a programme length and a licence lag. A reform is a second route (the physician
/// programme from the autumn of 2021: six years and the licence at the degree, against 5.5 years
/// and at least 18 months of AT before).
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// First cohort; `i32::MIN` for the profession's standing rule.
    pub from: i32,
    /// Share of the first cohort's beginners on this route (the rest stay on the route before).
    pub first_share: f64,
    /// Graduation `d` whole years after admission (`⌈programme_years⌉`).
    pub programme_lag: usize,
    /// Licence lag: (whole years, fraction at one year more).
    pub licence_lag: (usize, f64),
}

impl Route {
    /// A route from a programme length and a licence lag in years.
    pub fn new(from: i32, first_share: f64, programme_years: f64, licence_lag_years: f64) -> Route {
        Route {
            from,
            first_share,
            programme_lag: programme_years.ceil() as usize,
            licence_lag: (
                licence_lag_years.floor() as usize,
                licence_lag_years - licence_lag_years.floor(),
            ),
        }
    }

    /// A profession's routes: the standing rule of `professions.csv`, then its dated rules.
    pub fn of(code: &str) -> Vec<Route> {
        let lists = CodeLists::get();
        let prof = lists.profession(code);
        let mut routes = vec![Route::new(
            i32::MIN,
            1.0,
            prof.map_or(0.0, |x| x.programme_years),
            prof.map_or(0.0, |x| x.licence_lag_years),
        )];
        routes.extend(lists.programme_rules(code).into_iter().map(|r| {
            Route::new(
                r.first_cohort,
                r.first_cohort_share,
                r.programme_years,
                r.licence_lag_years,
            )
        }));
        routes
    }

    /// The share of cohort `y`'s beginners on route `i` of `routes` (the shares of a cohort over
    /// the routes sum to 1; exactly 1 with a single route).
    pub fn share(routes: &[Route], i: usize, y: i32) -> f64 {
        let on = |r: &Route| {
            if y > r.from {
                1.0
            } else if y == r.from {
                r.first_share
            } else {
                0.0
            }
        };
        match routes.get(i + 1) {
            None => on(&routes[i]),
            Some(next) => on(&routes[i]) - on(next),
        }
    }
}

/// Estimated parameters for one profession.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// Exit rate by sex and age, `[s][a]`.
    pub exit: Vec<f64>,
    /// County scaling of exit rates, `[c]` (`supply.county_exits_by = "level"`; 1 otherwise).
    pub county_exit: Vec<f64>,
    /// Each county's deviation from the national exit rates by age group
    /// (`supply.county_exits_by = "age"`; none otherwise): net movement between counties.
    pub movement: Movement,
    /// Employment share by sector, sex and age, `[k][s][a]`.
    pub employment: Vec<f64>,
    /// FTE per employed person by sector, sex and age, `[k][s][a]`.
    pub fte: Vec<f64>,
    /// Completion rate by health-care region (`None` without a programme).
    pub completion: Option<Vec<f64>>,
    /// Share of graduates licensed.
    pub licensed_share: f64,
    /// The ways from admission to licence, in order of the cohorts they apply to: the
    /// profession's standing programme first, then each dated rule of
    /// `data/codes/programme_rules.csv` (see [`Route`]).
    pub routes: Vec<Route>,
    /// Profile of new Swedish licences over `[c][s][a]` (sums to 1, or all zero).
    pub se_profile: Vec<f64>,
    /// Mean annual Swedish licences (used without a programme).
    pub se_mean: f64,
    /// Where each health-care region's graduates settle (`supply.destinations`, a national run,
    /// a profession with a programme, a layer's included): new Swedish licences then go to counties
    /// by the regions' graduates of the year rather than by `se_profile`'s county shares (see
    /// [`project_with`]); `None` otherwise, or when the table has no licence of the profession.
    pub route: Option<super::destinations::Routing>,
    /// Mean annual foreign licences by origin EU, TC over `[c][s][a]`.
    pub foreign: [Vec<f64>; 2],
    /// For a specialist layer without a programme of its own (specialist physicians): its parent
    /// profession, the training time in whole years, and the share of the parent's Swedish licences
    /// that become Swedish specialist certificates that many years later.
    pub layer: Option<(usize, usize, f64)>,
    /// For a layer without a programme of its own fed by the rate (`supply.layer_feed = "rate"`):
    /// its certification rates `[s][a]`, the share of the parent's persons without the layer's
    /// competence at age `a − 1` who are certified the next year at age `a` (pooled over counties
    /// and the inflow window, neighbouring ages pooled where fewer than `min_exposure` are at
    /// risk); empty otherwise.
    pub certification: Vec<f64>,
    /// For the layer the specialists table divides, fed by the ST starts (`supply.layer_feed =
    /// "st"`): the certificates each health-care region's starts make, which the rate's
    /// certificates are scaled to each year; `None` otherwise.
    pub st_feed: Option<super::specialties::StFeed>,
    /// The profession this one is a subset of (its code-list entry's `layer_of`: physicians for
    /// specialist physicians, nurses for specialist nurses and midwives), whose licensed persons
    /// bound it in every cell; `None` for a profession that is no layer.
    pub parent: Option<usize>,
    /// Admissions after the base year relative to the base year's, by years ahead (1, 2, …), when the
    /// scenario continues admissions by a trend; empty otherwise.
    pub admissions_trend: Vec<f64>,
    /// Foreign licences (EU/EEA, third country) relative to their recent mean, by years ahead, when
    /// the scenario continues them by a trend; empty otherwise.
    pub foreign_trend: [Vec<f64>; 2],
    /// The fitted admissions trend behind `admissions_trend`.
    pub admissions_model: Option<TrendModel>,
    /// The fitted foreign-licence trends behind `foreign_trend`.
    pub foreign_model: [Option<TrendModel>; 2],
    /// The counts behind each exit rate, `[s][a]`: (exits, persons at risk), pooled as the rate was.
    pub exit_counts: Vec<(f64, f64)>,
    /// The counts behind each completion rate, by health-care region: (graduates, beginners).
    pub completion_counts: Vec<(f64, f64)>,
    /// Employment share relative to its level over `employment_window`, by year from
    /// [`Params::ratio_trend_from`] (nowcast years included), each year capped at
    /// [`Params::employment_cap`]; empty without a trend.
    pub employment_trend: Vec<f64>,
    /// FTE per employed person relative to its level over `employment_window`, by year from
    /// [`Params::ratio_trend_from`]; empty without a trend.
    pub fte_trend: Vec<f64>,
    /// The first year of `employment_trend` and `fte_trend`: the year after the last employment
    /// year the trends were fitted to (the first nowcast year).
    pub ratio_trend_from: i32,
    /// The largest factor the employment share may take: `1 / max_{s,a} Σ_k e_k[s][a]`, so that no
    /// share, in any sector or summed over sectors, exceeds 1 (infinite when every share is 0).
    pub employment_cap: f64,
    /// The fitted employment-share trend behind `employment_trend` (its level is the share over
    /// `employment_window`).
    pub employment_model: Option<TrendModel>,
    /// The fitted FTE-per-employed trend behind `fte_trend`.
    pub fte_model: Option<TrendModel>,
    /// Employment share `[k][s][a]` in the projection years where a retirement shift
    /// (`supply.retirement_shift`) moves it; empty without one (see [`Params::profiles`]).
    pub employment_ahead: Vec<f64>,
    /// FTE per employed person `[k][s][a]` in the projection years, as `employment_ahead`.
    pub fte_ahead: Vec<f64>,
    /// Relative change of admissions after the base year by health-care region (0.1 = +10 %),
    /// from `supply.admissions` and `supply.admissions_change` (see
    /// [`levers::admissions_change`]).
    pub admissions_change: Vec<f64>,
    /// Each county's level of the employment share and of FTE per licensed person relative to the
    /// national rates, `[c][k]` (`supply.county_levels`; see [`anchor`]).
    pub county_levels: anchor::Levels,
    /// Employment share by county, sector, sex and age `[c][k][s][a]`: [`Params::employment`]
    /// times the county's level (see [`anchor::county_profiles`]).
    pub county_employment: Vec<f64>,
    /// FTE per employed person `[c][k][s][a]`, such that FTE per licensed person is the national
    /// one times the county's level.
    pub county_fte: Vec<f64>,
    /// [`Params::county_employment`] in the projection years under a retirement shift; empty
    /// without one.
    pub county_employment_ahead: Vec<f64>,
    /// [`Params::county_fte`] in the projection years under a retirement shift; empty without one.
    pub county_fte_ahead: Vec<f64>,
}

impl Params {
    /// County `c`'s rates at sex `sx` and age index `a`: (exits, exits and net moves out). The
    /// first is the national rate times the county's factor, the second adds its deviation by
    /// age group ([`Params::movement`]); both at most 1, and 1 at the last age.
    ///
    /// # Formula
    ///
    /// `x = min(x[s,a]·q_c, 1)`, `x + m = min(x + m_cg, 1)`; survival is `1 − (x + m)`.
    #[inline]
    pub fn county_rates(&self, c: usize, sx: usize, a: usize) -> (f64, f64) {
        if a == NA - 1 {
            return (1.0, 1.0);
        }
        let x = (self.exit[sx * NA + a] * self.county_exit[c]).min(1.0);
        (x, (x + self.movement.at(c, a)).min(1.0))
    }

    /// The factor on every employment share in `year` (1 before [`Params::ratio_trend_from`] or
    /// without a trend).
    ///
    /// # Formula
    ///
    /// `min(ê[year] / ē, cap)`, with `ê` the trend's forecast of the national share, `ē` its level
    /// over the employment window and `cap` = [`Params::employment_cap`].
    pub fn employment_factor(&self, year: i32) -> f64 {
        ratio_at(&self.employment_trend, self.ratio_trend_from, year)
    }

    /// The factor on every FTE per employed person in `year` (1 without a trend).
    ///
    /// # Formula
    ///
    /// `ĥ[year] / h̄`, forecast over the level over the employment window.
    pub fn fte_factor(&self, year: i32) -> f64 {
        ratio_at(&self.fte_trend, self.ratio_trend_from, year)
    }

    /// The employment shares and FTE per employed person `[k][s][a]` in force: as estimated up to
    /// the base year, and in the projection years (`projected`) as a retirement shift moves them.
    pub fn profiles(&self, projected: bool) -> (&[f64], &[f64]) {
        if projected && !self.employment_ahead.is_empty() {
            (&self.employment_ahead, &self.fte_ahead)
        } else {
            (&self.employment, &self.fte)
        }
    }

    /// Recomputes the county profiles from the national ones and the county levels, for a caller
    /// that changed [`Params::employment`] or [`Params::fte`] (or their projection-year versions).
    pub fn refresh_county_profiles(&mut self, nc: usize, nk: usize) {
        [
            (self.county_employment, self.county_fte),
            (self.county_employment_ahead, self.county_fte_ahead),
        ] = county_profiles(
            &self.county_levels,
            [
                (&self.employment, &self.fte),
                (&self.employment_ahead, &self.fte_ahead),
            ],
            nc,
            nk,
        );
    }

    /// The county profiles `[c][k][s][a]` in force, as [`Params::profiles`] gives the national
    /// ones.
    pub fn county_profiles(&self, projected: bool) -> (&[f64], &[f64]) {
        if projected && !self.county_employment_ahead.is_empty() {
            (&self.county_employment_ahead, &self.county_fte_ahead)
        } else {
            (&self.county_employment, &self.county_fte)
        }
    }
}

/// The county profiles `[c][k][s][a]` of each pair of national profiles (employment share, FTE per
/// employed person) at the county levels; an empty pair (no retirement shift) stays empty.
fn county_profiles(
    levels: &anchor::Levels,
    national: [(&[f64], &[f64]); 2],
    nc: usize,
    nk: usize,
) -> [(Vec<f64>, Vec<f64>); 2] {
    national.map(|(e, h)| {
        if e.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            anchor::county_profiles(e, h, levels, nc, nk, 2 * NA)
        }
    })
}

fn ratio_at(v: &[f64], from: i32, year: i32) -> f64 {
    usize::try_from(year - from)
        .ok()
        .and_then(|i| v.get(i).copied())
        .unwrap_or(1.0)
}

/// Fits the trend `method` (named by the scenario key `key`) to the national `series` over
/// consecutive `years`, read from `input`; `Ok(None)` for no trend or a non-positive level.
///
/// # Errors
///
/// [`ModelError::Trend`] naming the key, the input and the year: a year missing between the first
/// and the last (gaps are never filled), a series shorter than the method needs, a value the method
/// cannot take.
pub fn fit_series(
    key: &str,
    input: &str,
    years: &[i32],
    series: &[f64],
    level: f64,
    method: Trend,
) -> Result<Option<TrendModel>, ModelError> {
    if method == Trend::None || level <= 0.0 {
        return Ok(None);
    }
    let span = match (years.first(), years.last()) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => "no years".into(),
    };
    let err = |year: Option<i32>, message: String| ModelError::Trend {
        key: key.into(),
        input: input.into(),
        year,
        message,
    };
    if let Some(gap) = first_gap(years) {
        return Err(err(
            Some(gap),
            format!(
                "the year {gap} is missing from the series ({span}); a trend needs consecutive years, and gaps are not filled"
            ),
        ));
    }
    let needed = min_len(method);
    if series.len() < needed {
        return Err(err(
            years.first().copied(),
            format!(
                "the series has {} years ({span}); {} needs at least {needed}",
                series.len(),
                method_name(method)
            ),
        ));
    }
    super::trend::trend_model(series, level, method).map_err(|e| {
        let year = match &e {
            super::trend::TrendError::NotFinite { index, .. }
            | super::trend::TrendError::Ets(super::ets::EtsError::NotFinite { index, .. })
            | super::trend::TrendError::Ets(super::ets::EtsError::NotPositive { index, .. }) => {
                years.get(*index).copied()
            }
            _ => years.first().copied(),
        };
        err(year, format!("{e} (series {span})"))
    })
}

/// A method's name for messages: `none`, `auto`, `linear`, `ETS(A,Ad,N)`.
pub fn method_name(method: Trend) -> String {
    match method {
        Trend::None => "none".into(),
        Trend::Auto => "auto".into(),
        Trend::Linear => "linear".into(),
        Trend::Ets(spec) => spec.to_string(),
    }
}

pub use super::trend::{TrendModel, trend_factors, trend_model};

/// The certification rates of layer `p` from its parent `q` (see [`Params::certification`]): for
/// each sex and age, the layer's Swedish certificates of the register years `years` (indices into
/// the licence years, each with the year before in the register) over the parent's persons without
/// the layer's competence a year earlier and a year younger, summed over counties and years;
/// neighbouring ages pooled until `min` persons are at risk; at most 1. Where the licences issued
/// or the register came in age bands, the ratios are scaled in each of
/// [`Inputs::certificate_groups`] so that they give back the band's certificates over the years
/// ([`scale_to_groups`]): pooled over thin ages, or at ages where the cohort-followed register
/// leaves no one at risk, single-age ratios lose some. A line through the bands' ratios, as the
/// employment share takes ([`banded_ratio`]), loses the certification rate's peak at 30–40 in
/// 10-year bands (specialist physicians' 2040 supply −3.6 % against −1.6 % scaled).
pub fn certification_rates(
    inp: &Inputs,
    p: usize,
    q: usize,
    years: &[usize],
    min: f64,
) -> Vec<f64> {
    let g = &inp.grid;
    let cells = g.cells();
    let mut out = Vec::with_capacity(2 * NA);
    for sx in 0..2 {
        let (mut num, mut den) = (vec![0.0; NA], vec![0.0; NA]);
        for &y in years.iter().filter(|&&y| y > 0) {
            for c in 0..g.nc() {
                for a in 1..NA {
                    num[a] += inp.issued[(y * 3) * cells + g.idx(p, c, sx, a)];
                    let without = inp.licensed[(y - 1) * cells + g.idx(q, c, sx, a - 1)]
                        - inp.licensed[(y - 1) * cells + g.idx(p, c, sx, a - 1)];
                    den[a] += without.max(0.0);
                }
            }
        }
        let mut rates = pooled_ratio(&num, &den, min);
        scale_to_groups(&mut rates, &num, &den, &inp.certificate_groups);
        out.extend(rates.into_iter().map(|h| h.min(1.0)));
    }
    out
}

/// Swedish licences of profession `p` in year `t` as registered (nationally).
pub fn observed_se(inp: &Inputs, p: usize, t: i32) -> f64 {
    let g = &inp.grid;
    let cells = g.cells();
    inp.licence_years
        .iter()
        .position(|&y| y == t)
        .map_or(0.0, |y| {
            (0..g.nc())
                .map(|c| {
                    (0..2)
                        .map(|sx| {
                            (0..NA)
                                .map(|a| inp.issued[(y * 3) * cells + g.idx(p, c, sx, a)])
                                .sum::<f64>()
                        })
                        .sum::<f64>()
                })
                .sum()
        })
}

fn window(years: &[i32], last: i32, n: usize) -> Vec<usize> {
    let mut v: Vec<usize> = (0..years.len()).filter(|&i| years[i] <= last).collect();
    let k = v.len().saturating_sub(n);
    v.drain(..k);
    v
}

/// `num/den` by age, pooling neighbouring ages (up to ±5) until `den ≥ min`.
pub fn pooled_ratio(num: &[f64], den: &[f64], min: f64) -> Vec<f64> {
    ratios(pooled_counts(num, den, min))
}

/// `num/den` of each pair, 0 where `den` is 0.
fn ratios(counts: Vec<(f64, f64)>) -> Vec<f64> {
    counts
        .into_iter()
        .map(|(u, d)| if d > 0.0 { u / d } else { 0.0 })
        .collect()
}

/// `num/den` by age from counts whose single years were ungrouped from `groups` (age bands): each
/// band's ratio of sums (widened as [`grouped_counts`] does where thin), drawn as a line through
/// the bands' midpoints (level beyond the first and last), then scaled in each band so that
/// `Σ den·r = Σ num` there. The ratio of two tables ungrouped each on its own carries both
/// ungroupings' shapes; the bands' ratios do not, and the line keeps a ratio that falls steeply
/// across a band (the employment share at 60–69) from being a step.
pub fn banded_ratio(num: &[f64], den: &[f64], groups: &[(usize, usize)], min: f64) -> Vec<f64> {
    let n = num.len();
    let counts = grouped_counts(num, den, groups, min);
    let knots: Vec<(f64, f64)> = groups
        .iter()
        .filter(|&&(lo, _)| lo < n)
        .filter_map(|&(lo, hi)| {
            let (u, d) = counts[lo];
            (d > 0.0).then(|| ((lo + hi.min(n - 1)) as f64 / 2.0, u / d))
        })
        .collect();
    let mut r: Vec<f64> = (0..n)
        .map(|a| {
            let x = a as f64;
            match knots.iter().position(|&(m, _)| m >= x) {
                None => knots.last().map_or(0.0, |k| k.1),
                Some(0) => knots[0].1,
                Some(i) => {
                    let ((x0, y0), (x1, y1)) = (knots[i - 1], knots[i]);
                    y0 + (y1 - y0) * (x - x0) / (x1 - x0)
                }
            }
        })
        .collect();
    scale_to_groups(&mut r, num, den, groups);
    r
}

/// Scales the ratios `r` by age so that `Σ den·r = Σ num` within each of `groups` (ages no
/// group holds, and groups where `Σ den·r` is 0, keep theirs).
pub fn scale_to_groups(r: &mut [f64], num: &[f64], den: &[f64], groups: &[(usize, usize)]) {
    for &(lo, hi) in groups {
        let hi = hi.min(r.len() - 1);
        if lo > hi {
            continue;
        }
        let want: f64 = num[lo..=hi].iter().sum();
        let got: f64 = (lo..=hi).map(|a| den[a] * r[a]).sum();
        if got > 0.0 {
            r[lo..=hi].iter_mut().for_each(|x| *x *= want / got);
        }
    }
}

/// The pooled `(num, den)` behind [`pooled_ratio`], by age.
pub fn pooled_counts(num: &[f64], den: &[f64], min: f64) -> Vec<(f64, f64)> {
    let n = num.len();
    (0..n)
        .map(|a| {
            let mut k = 0usize;
            loop {
                let lo = a.saturating_sub(k);
                let hi = (a + k).min(n - 1);
                let d: f64 = den[lo..=hi].iter().sum();
                if d >= min || k >= 5 {
                    return (num[lo..=hi].iter().sum(), d);
                }
                k += 1;
            }
        })
        .collect()
}

/// The pooled `(num, den)` by age when ages are pooled in fixed `groups` (`(first, last)` indices,
/// tiling the ages; see [`super::inputs::exit_groups`]): every age of a group takes the group's
/// sums. A group with fewer than `min` at risk is widened by its neighbouring groups (up to two
/// on each side) until it has them, as [`pooled_counts`] widens single ages. Ages no group holds
/// keep their own counts.
pub fn grouped_counts(
    num: &[f64],
    den: &[f64],
    groups: &[(usize, usize)],
    min: f64,
) -> Vec<(f64, f64)> {
    let n = num.len();
    let sums = |lo: usize, hi: usize| -> (f64, f64) {
        let hi = hi.min(n - 1);
        if lo > hi {
            return (0.0, 0.0);
        }
        (num[lo..=hi].iter().sum(), den[lo..=hi].iter().sum())
    };
    let mut out: Vec<(f64, f64)> = (0..n).map(|a| (num[a], den[a])).collect();
    for (g, &(lo, _)) in groups.iter().enumerate() {
        if lo >= n {
            continue;
        }
        let mut k = 0usize;
        let counts = loop {
            let first = groups[g.saturating_sub(k)].0;
            let last = groups[(g + k).min(groups.len() - 1)].1;
            let (u, d) = sums(first, last);
            if d >= min || k >= 2 {
                break (u, d);
            }
            k += 1;
        };
        let hi = groups[g].1.min(n - 1);
        for o in &mut out[lo..=hi] {
            *o = counts;
        }
    }
    out
}

/// Estimates one profession's parameters from the history up to the base year.
///
/// # Errors
///
/// [`ModelError::Trend`] when a series the scenario asks to continue by a trend cannot be fitted
/// (a year missing, too short for the method); see [`fit_series`].
pub fn estimate(inp: &Inputs, sc: &Scenario, p: usize) -> Result<Params, ModelError> {
    // A trend error says which profession's series it is.
    estimate_unnamed(inp, sc, p)
        .map_err(|e| e.for_series(&format!("profession {}", inp.grid.professions[p])))
}

/// One profession's history as the inputs hold it, for the estimates of [`estimate`].
struct History<'a> {
    inp: &'a Inputs,
    p: usize,
    nc: usize,
    cells: usize,
}

impl History<'_> {
    /// Licensed persons in licence-year index `y`, county `c`, sex `sx` and age index `a`.
    fn lic(&self, y: usize, c: usize, sx: usize, a: usize) -> f64 {
        self.inp.licensed[y * self.cells + self.inp.grid.idx(self.p, c, sx, a)]
    }

    /// Licences issued in licence-year index `y` on education from origin `o`
    /// ([`super::inputs::ORIGINS`]).
    fn iss(&self, y: usize, o: usize, c: usize, sx: usize, a: usize) -> f64 {
        self.inp.issued[(y * 3 + o) * self.cells + self.inp.grid.idx(self.p, c, sx, a)]
    }

    /// Beginners in admission-year index `y` and health-care region `r`.
    fn beginners(&self, y: usize, r: usize) -> f64 {
        let nr = self.inp.hc_regions.len();
        self.inp.beginners[(y * self.inp.grid.np() + self.p) * nr + r]
    }

    /// Graduates in admission-year index `y` and health-care region `r`.
    fn graduates(&self, y: usize, r: usize) -> f64 {
        let nr = self.inp.hc_regions.len();
        self.inp.graduates[(y * self.inp.grid.np() + self.p) * nr + r]
    }
}

/// Exit rates and how counties depart from them ([`exit_rates`]).
struct Exits {
    exit: Vec<f64>,
    exit_counts: Vec<(f64, f64)>,
    movement: Movement,
    county_exit: Vec<f64>,
}

/// The national exit rates by sex and age over the last `exit_window` transitions ending at the
/// base year (pooled over the licences' bands where they came in bands), their counts, and each
/// county's departure from them: deviations by age group ([`movement`]) or one factor.
fn exit_rates(h: &History<'_>, s: &Supply, base: i32) -> Exits {
    let (inp, nc) = (h.inp, h.nc);
    let ly = &inp.licence_years;
    let ends: Vec<usize> = window(ly, base, s.exit_window + 1);
    let mut exposure = vec![0.0; 2 * NA];
    let mut exits = vec![0.0; 2 * NA];
    let mut county_exposure = vec![vec![0.0; 2 * NA]; nc];
    let mut county_exits = vec![0.0; nc];
    // Per year pair, county, sex and age: (at risk, net exits), for the deviations by age group.
    let mut pairs: Vec<Vec<(f64, f64)>> = Vec::new();
    let grouped = !inp.exit_groups.is_empty();
    for w in ends.windows(2) {
        let (y0, y1) = (w[0], w[1]);
        if ly[y1] != ly[y0] + 1 {
            continue;
        }
        let mut pair = vec![(0.0, 0.0); nc * 2 * NA];
        for c in 0..nc {
            for sx in 0..2 {
                for a in 0..NA {
                    let at_risk = h.lic(y0, c, sx, a);
                    let stay = if a + 1 < NA {
                        h.lic(y1, c, sx, a + 1)
                            - (0..3).map(|o| h.iss(y1, o, c, sx, a + 1)).sum::<f64>()
                    } else {
                        0.0
                    };
                    // With ages from bands, the first band's youngest age counts too: its persons
                    // not licensed that year came from outside the workforce ages (a re-entry),
                    // and its licences are only known with the band's.
                    let entered = if a == 0 && grouped {
                        h.lic(y1, c, sx, 0) - (0..3).map(|o| h.iss(y1, o, c, sx, 0)).sum::<f64>()
                    } else {
                        0.0
                    };
                    exposure[sx * NA + a] += at_risk;
                    exits[sx * NA + a] += at_risk - stay - entered;
                    county_exposure[c][sx * NA + a] += at_risk;
                    county_exits[c] += at_risk - stay - entered;
                    pair[(c * 2 + sx) * NA + a] = (at_risk, at_risk - stay - entered);
                }
            }
        }
        pairs.push(pair);
    }
    let mut exit = Vec::with_capacity(2 * NA);
    let mut exit_counts = Vec::with_capacity(2 * NA);
    for sx in 0..2 {
        let (num, den) = (
            &exits[sx * NA..(sx + 1) * NA],
            &exposure[sx * NA..(sx + 1) * NA],
        );
        let r = if inp.exit_groups.is_empty() {
            pooled_counts(num, den, s.min_exposure)
        } else {
            grouped_counts(num, den, &inp.exit_groups, s.min_exposure)
        };
        exit.extend(r.iter().map(|&(u, d)| {
            if d > 0.0 {
                // A net rate: below 0 where more persons re-enter at an age than leave it.
                (u / d).min(1.0)
            } else {
                0.0
            }
        }));
        exit_counts.extend(r);
        exit[sx * NA + NA - 1] = 1.0;
    }
    let by_age = inp.moves_by_age(s);
    let movement = if by_age {
        movement::estimate(&movement::cells(&pairs, &exit, nc))
    } else {
        Movement::none(nc)
    };
    let county_exit: Vec<f64> = (0..nc)
        .map(|c| {
            if !s.county_exits || by_age {
                return 1.0;
            }
            let expected: f64 = (0..2 * NA).map(|i| county_exposure[c][i] * exit[i]).sum();
            if expected < s.min_exposure.max(1.0) * 0.05 {
                1.0
            } else {
                (county_exits[c] / expected).clamp(0.0, 3.0)
            }
        })
        .collect();
    Exits {
        exit,
        exit_counts,
        movement,
        county_exit,
    }
}

/// The national employment share and FTE per employed person `[k][s][a]` over the employment
/// window's years `ew` (indices into the employment years), pooled over counties.
fn employment_profiles(h: &History<'_>, s: &Supply, ew: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let (inp, nc, cells, p) = (h.inp, h.nc, h.cells, h.p);
    let (g, ly, ey) = (&inp.grid, &inp.licence_years, &inp.employment_years);
    let nk = g.nk();
    let mut employment = vec![0.0; nk * 2 * NA];
    let mut fte = vec![0.0; nk * 2 * NA];
    for k in 0..nk {
        for sx in 0..2 {
            let mut emp = vec![0.0; NA];
            let mut f = vec![0.0; NA];
            let mut l = vec![0.0; NA];
            for &yi in ew {
                let Some(li) = ly.iter().position(|&y| y == ey[yi]) else {
                    continue;
                };
                for c in 0..nc {
                    for a in 0..NA {
                        let i = ((yi * nk + k) * cells) + g.idx(p, c, sx, a);
                        emp[a] += inp.employed[i];
                        f[a] += inp.fte[i];
                        l[a] += h.lic(li, c, sx, a);
                    }
                }
            }
            let (e, h) = if inp.employment_groups.is_empty() {
                (
                    pooled_ratio(&emp, &l, s.min_exposure),
                    pooled_ratio(&f, &emp, s.min_exposure),
                )
            } else {
                (
                    banded_ratio(&emp, &l, &inp.employment_groups, s.min_exposure),
                    banded_ratio(&f, &emp, &inp.employment_groups, s.min_exposure),
                )
            };
            for a in 0..NA {
                employment[(k * 2 + sx) * NA + a] = e[a].clamp(0.0, 1.0);
                fte[(k * 2 + sx) * NA + a] = h[a].max(0.0);
            }
        }
    }
    (employment, fte)
}

/// Each county's level of the employment share and FTE against the national rates over the
/// window's years `ew` (see [`anchor`]).
fn estimate_county_levels(
    h: &History<'_>,
    s: &Supply,
    ew: &[usize],
    employment: &[f64],
    fte: &[f64],
) -> anchor::Levels {
    let (inp, nc, cells, p) = (h.inp, h.nc, h.cells, h.p);
    let (g, ly, ey) = (&inp.grid, &inp.licence_years, &inp.employment_years);
    let nk = g.nk();
    if s.county_levels == anchor::Anchoring::National {
        // Nothing to measure: the national rates everywhere.
        anchor::Levels::at_national_rates(nc, nk)
    } else {
        // Per sector and county (`[k][c]`), per window year: (expected, observed) employed and FTE.
        let mut windows = [
            vec![anchor::Window::new(); nk * nc],
            vec![anchor::Window::new(); nk * nc],
        ];
        for &yi in ew {
            let Some(li) = ly.iter().position(|&y| y == ey[yi]) else {
                continue;
            };
            for c in 0..nc {
                for k in 0..nk {
                    let mut v = [(0.0, 0.0); 2];
                    for sx in 0..2 {
                        for a in 0..NA {
                            let l = h.lic(li, c, sx, a);
                            let j = (k * 2 + sx) * NA + a;
                            let i = ((yi * nk + k) * cells) + g.idx(p, c, sx, a);
                            v[0].0 += l * employment[j];
                            v[0].1 += inp.employed[i];
                            v[1].0 += l * employment[j] * fte[j];
                            v[1].1 += inp.fte[i];
                        }
                    }
                    windows[0][k * nc + c].push(v[0]);
                    windows[1][k * nc + c].push(v[1]);
                }
            }
        }
        let mut levels = anchor::Levels {
            anchoring: s.county_levels,
            ..anchor::Levels::at_national_rates(nc, nk)
        };
        for k in 0..nk {
            for (m, w) in windows.iter().enumerate() {
                let shrunk = anchor::shrink(&w[k * nc..(k + 1) * nc], s.county_levels);
                let (f, b) = if m == 0 {
                    (&mut levels.employment, &mut levels.employment_weight)
                } else {
                    (&mut levels.fte, &mut levels.fte_weight)
                };
                for c in 0..nc {
                    f[c * nk + k] = shrunk.factor[c];
                    b[c * nk + k] = shrunk.weight[c];
                }
            }
        }
        levels
    }
}

/// The inflow window: the last `inflow_window` licence years (indices) up to the base year in
/// which the licence existed (the profession has licensed persons), outside a declared one-off
/// wave.
fn inflow_years(h: &History<'_>, s: &Supply, base: i32) -> Vec<usize> {
    let (inp, nc, p) = (h.inp, h.nc, h.p);
    let (g, ly) = (&inp.grid, &inp.licence_years);
    let one_off = s
        .one_off_years
        .get(&g.professions[p])
        .map_or(&[][..], Vec::as_slice);
    let existed =
        |y: usize| (0..nc).any(|c| (0..2).any(|sx| (0..NA).any(|a| h.lic(y, c, sx, a) > 0.0)));
    let inflow_years: Vec<usize> = window(ly, base, usize::MAX)
        .into_iter()
        .filter(|&y| !one_off.contains(&ly[y]) && existed(y))
        .collect();
    inflow_years[inflow_years.len().saturating_sub(s.inflow_window)..].to_vec()
}

/// The inflow profiles over the inflow window `iw` ([`inflows`]).
struct Inflows {
    se_profile: Vec<f64>,
    se_mean: f64,
    foreign: [Vec<f64>; 2],
}

/// The Swedish licences' profile over county, sex and age and their yearly mean, and the foreign
/// licences' yearly mean by cell (with the scenario's factors), over the inflow window `iw`.
fn inflows(h: &History<'_>, s: &Supply, iw: &[usize]) -> Inflows {
    let (inp, nc, p) = (h.inp, h.nc, h.p);
    let g = &inp.grid;
    let per = nc * 2 * NA;
    let factors = [0, 1].map(|o| levers::foreign_factor(s, &g.professions[p], o));
    let mut se_profile = vec![0.0; per];
    let mut foreign = [vec![0.0; per], vec![0.0; per]];
    for &y in iw {
        for c in 0..nc {
            for sx in 0..2 {
                for a in 0..NA {
                    let j = (c * 2 + sx) * NA + a;
                    se_profile[j] += h.iss(y, 0, c, sx, a);
                    foreign[0][j] += h.iss(y, 1, c, sx, a) * factors[0] / iw.len() as f64;
                    foreign[1][j] += h.iss(y, 2, c, sx, a) * factors[1] / iw.len() as f64;
                }
            }
        }
    }
    let se_total: f64 = se_profile.iter().sum();
    let se_mean = se_total / iw.len().max(1) as f64;
    if se_total > 0.0 {
        se_profile.iter_mut().for_each(|v| *v /= se_total);
    }
    Inflows {
        se_profile,
        se_mean,
        foreign,
    }
}

/// The education pipeline's rates ([`estimate_completion`]).
struct Completion {
    rates: Option<Vec<f64>>,
    counts: Vec<(f64, f64)>,
    licensed_share: f64,
}

/// Completion rates by health-care region over the completion window (`None` without a
/// programme), their counts, and the share of graduates licensed over the inflow window `iw`.
fn estimate_completion(
    h: &History<'_>,
    s: &Supply,
    base: i32,
    routes: &[Route],
    iw: &[usize],
) -> Completion {
    let (inp, nc, p) = (h.inp, h.nc, h.p);
    let ly = &inp.licence_years;
    let programme_lag = routes[0].programme_lag;
    let nr = inp.hc_regions.len();
    let ay = &inp.admission_years;
    let b = |y: usize, r: usize| h.beginners(y, r);
    let gr = |y: usize, r: usize| h.graduates(y, r);
    let has_programme = (0..ay.len()).any(|y| (0..nr).any(|r| b(y, r) > 0.0));
    let mut completion_counts = Vec::new();
    let (completion, licensed_share) = if has_programme && programme_lag > 0 {
        // Completion: graduates of the last cohorts over their beginners d years earlier.
        let cw = window(ay, base, s.completion_window);
        let mut c_num = vec![0.0; nr];
        let mut c_den = vec![0.0; nr];
        for &y in &cw {
            // The beginners due to graduate in year y, over the routes (cohort y − d of each).
            let mut due = vec![0.0; nr];
            let (mut complete, mut any) = (true, false);
            for (i, route) in routes.iter().enumerate() {
                let x = ay[y] - route.programme_lag as i32;
                let w = Route::share(routes, i, x);
                if w == 0.0 {
                    continue;
                }
                let Some(y0) = ay.iter().position(|&v| v == x) else {
                    complete = false;
                    break;
                };
                any = true;
                for (r, d) in due.iter_mut().enumerate() {
                    *d += w * b(y0, r);
                }
            }
            // A year without its cohorts in the table, or that no cohort is due to graduate in
            // (between two programme lengths), says nothing about completion.
            if !complete || !any {
                continue;
            }
            for r in 0..nr {
                c_num[r] += gr(y, r);
                c_den[r] += due[r];
            }
        }
        let all = c_num.iter().sum::<f64>() / c_den.iter().sum::<f64>().max(1e-9);
        completion_counts = c_num.iter().copied().zip(c_den.iter().copied()).collect();
        let completion: Vec<f64> = (0..nr)
            .map(|r| {
                if c_den[r] > 0.0 {
                    c_num[r] / c_den[r]
                } else {
                    all
                }
            })
            .collect();
        // Share licensed: Swedish licences over graduates a licence lag earlier (each route's
        // graduates its own lag earlier).
        let mut num = 0.0;
        let mut den = 0.0;
        for &y in iw {
            let year = ly[y];
            let grads_at = |i: usize, t: i32| -> f64 {
                observed_graduates(inp, p, t) * route_split(inp, p, routes, t)[i]
            };
            let lagged: f64 = routes
                .iter()
                .enumerate()
                .map(|(i, route)| {
                    let (l0, f) = route.licence_lag;
                    (1.0 - f) * grads_at(i, year - l0 as i32)
                        + f * grads_at(i, year - l0 as i32 - 1)
                })
                .sum();
            num += (0..nc)
                .map(|c| {
                    (0..2)
                        .map(|sx| (0..NA).map(|a| h.iss(y, 0, c, sx, a)).sum::<f64>())
                        .sum::<f64>()
                })
                .sum::<f64>();
            den += lagged;
        }
        (Some(completion), if den > 0.0 { num / den } else { 0.0 })
    } else {
        (None, 0.0)
    };
    Completion {
        rates: completion,
        counts: completion_counts,
        licensed_share,
    }
}

/// A layer's parent and feed ([`layer_feed`]; see [`Params::parent`], [`Params::certification`]
/// and [`Params::layer`]).
struct Feed {
    parent: Option<usize>,
    certification: Vec<f64>,
    layer: Option<(usize, usize, f64)>,
    st: Option<super::specialties::StFeed>,
}

/// A layer's parent, and for a layer without a programme of its own (specialist physicians) its
/// feed: certification rates from the parent's persons without its competence ("rate"; "st"
/// adds the certificates the ST starts make, for the layer the specialists table divides, the
/// other layers fed by the rate), or a share of the parent's licences a training time earlier
/// ("share"), over the inflow window.
///
/// # Errors
///
/// [`ModelError::Scenario`] for `"st"` without ST starts for the layer, or in a run that holds
/// part of a health-care region ([`super::specialties::st_feed`]).
fn layer_feed(
    h: &History<'_>,
    sc: &Scenario,
    prof: Option<&crate::codes::Profession>,
    has_programme: bool,
    iw: &[usize],
) -> Result<Feed, ModelError> {
    let (inp, p, s) = (h.inp, h.p, &sc.supply);
    let (g, ly) = (&inp.grid, &inp.licence_years);
    let parent = prof
        .and_then(|x| x.layer_of.as_deref())
        .and_then(|code| g.prof(code));
    let feed_parent = parent.filter(|_| !has_programme);
    let certification = match (feed_parent, s.layer_feed) {
        (Some(pi), LayerFeed::Rate | LayerFeed::St) => {
            certification_rates(inp, p, pi, iw, s.min_exposure)
        }
        _ => Vec::new(),
    };
    let st = match (feed_parent, s.layer_feed) {
        (Some(_), LayerFeed::St) => super::specialties::st_feed(inp, sc, p)?,
        _ => None,
    };
    let layer = match (feed_parent, s.layer_feed) {
        (Some(pi), LayerFeed::Share) => {
            let d = prof.map_or(0, |x| x.programme_years.round() as usize);
            // Only the years whose parent year (d years earlier) the register has: a year
            // without it would count its certificates against no licences at all.
            let pairs: Vec<usize> = iw
                .iter()
                .copied()
                .filter(|&y| ly.contains(&(ly[y] - d as i32)))
                .collect();
            let num: f64 = pairs.iter().map(|&y| observed_se(inp, p, ly[y])).sum();
            let den: f64 = pairs
                .iter()
                .map(|&y| observed_se(inp, pi, ly[y] - d as i32))
                .sum();
            (den > 0.0 && d > 0).then_some((pi, d, num / den))
        }
        _ => None,
    };
    Ok(Feed {
        parent,
        certification,
        layer,
        st,
    })
}

/// The fitted inflow trends ([`inflow_trends`]).
struct InflowTrends {
    admissions: Option<TrendModel>,
    foreign: [Option<TrendModel>; 2],
}

/// The fitted trends of admissions and of licences on foreign education (EU/EEA, third
/// country), when the scenario asks for them.
fn inflow_trends(h: &History<'_>, sc: &Scenario, iw: &[usize]) -> Result<InflowTrends, ModelError> {
    let (inp, nc) = (h.inp, h.nc);
    let (s, base) = (&sc.supply, sc.base_year);
    let (ly, ay) = (&inp.licence_years, &inp.admission_years);
    let nr = inp.hc_regions.len();
    let b = |y: usize, r: usize| h.beginners(y, r);
    let admissions_trend = {
        let method = s.admissions_trend;
        let years: Vec<usize> = (0..ay.len()).filter(|&y| ay[y] <= base).collect();
        let series: Vec<f64> = years
            .iter()
            .map(|&y| (0..nr).map(|r| b(y, r)).sum())
            .collect();
        let level = series.last().copied().unwrap_or(0.0);
        let yrs: Vec<i32> = years.iter().map(|&y| ay[y]).collect();
        if level > 0.0 {
            fit_series(
                "supply.admissions_trend",
                &sc.inputs.admissions.file,
                &yrs,
                &series,
                level,
                method,
            )?
        } else {
            None
        }
    };
    let foreign_trend = {
        let method = s.foreign_trend;
        let years: Vec<usize> = (0..ly.len()).filter(|&y| ly[y] <= base).collect();
        let yrs: Vec<i32> = years.iter().map(|&y| ly[y]).collect();
        let per_origin = |o: usize| -> Result<Option<TrendModel>, ModelError> {
            let series: Vec<f64> = years
                .iter()
                .map(|&y| {
                    (0..nc)
                        .map(|c| {
                            (0..2)
                                .map(|sx| (0..NA).map(|a| h.iss(y, o, c, sx, a)).sum::<f64>())
                                .sum::<f64>()
                        })
                        .sum()
                })
                .collect();
            let tail = &series[series.len().saturating_sub(iw.len())..];
            let level = tail.iter().sum::<f64>() / tail.len().max(1) as f64;
            if level <= 0.0 {
                return Ok(None);
            }
            fit_series(
                "supply.foreign_trend",
                &sc.inputs.licences_issued.file,
                &yrs,
                &series,
                level,
                method,
            )
        };
        [per_origin(1)?, per_origin(2)?]
    };
    Ok(InflowTrends {
        admissions: admissions_trend,
        foreign: foreign_trend,
    })
}

/// The trends of the employment share and FTE per employed person ([`ratio_trends`]).
struct RatioTrends {
    ratio_trend_from: i32,
    employment_cap: f64,
    employment_model: Option<TrendModel>,
    fte_model: Option<TrendModel>,
    employment_trend: Vec<f64>,
    fte_trend: Vec<f64>,
}

/// Trends of the employment share and FTE per employed person: national ratios over the
/// employment years up to the base year, relative to their level over the employment window's
/// years `ew`; the share's factor capped so that no county's shares sum above 1.
fn ratio_trends(
    h: &History<'_>,
    sc: &Scenario,
    ew: &[usize],
    county_employment: &[f64],
) -> Result<RatioTrends, ModelError> {
    let (inp, nc, cells, p) = (h.inp, h.nc, h.cells, h.p);
    let (s, base) = (&sc.supply, sc.base_year);
    let (g, ly, ey) = (&inp.grid, &inp.licence_years, &inp.employment_years);
    let nk = g.nk();
    let emp_years: Vec<usize> = (0..ey.len()).filter(|&y| ey[y] <= base).collect();
    let ratio_trend_from = emp_years.last().map_or(base + 1, |&y| ey[y] + 1);
    let ratio_steps = usize::try_from(sc.horizon - ratio_trend_from + 1).unwrap_or(0);
    let e_method = s.employment_trend;
    let h_method = s.fte_trend;
    let employment_cap = {
        // Over every county's profile (the national one where every level is 1).
        let max = (0..nc * 2 * NA)
            .map(|j| {
                let (c, j) = (j / (2 * NA), j % (2 * NA));
                (0..nk)
                    .map(|k| county_employment[(c * nk + k) * 2 * NA + j])
                    .sum::<f64>()
            })
            .fold(0.0, f64::max);
        if max > 0.0 { 1.0 / max } else { f64::INFINITY }
    };
    let (employment_model, fte_model) = if e_method == Trend::None && h_method == Trend::None {
        (None, None)
    } else {
        // National totals per employment year: employed, FTE, licensed.
        let mut totals = Vec::with_capacity(emp_years.len());
        for &yi in &emp_years {
            let year = ey[yi];
            let li = ly.iter().position(|&y| y == year);
            let (mut e, mut f) = (0.0, 0.0);
            for k in 0..nk {
                for c in 0..nc {
                    for sx in 0..2 {
                        for a in 0..NA {
                            let i = ((yi * nk + k) * cells) + g.idx(p, c, sx, a);
                            e += inp.employed[i];
                            f += inp.fte[i];
                        }
                    }
                }
            }
            let l = li.map(|li| {
                (0..nc)
                    .map(|c| {
                        (0..2)
                            .map(|sx| (0..NA).map(|a| h.lic(li, c, sx, a)).sum::<f64>())
                            .sum::<f64>()
                    })
                    .sum::<f64>()
            });
            totals.push((year, e, f, l));
        }
        let in_window = |year: i32| ew.iter().any(|&w| ey[w] == year);
        let employment_model = if e_method == Trend::None {
            None
        } else {
            let key = "supply.employment_trend";
            // The series starts with the first year that has licensed persons (a profession
            // registered later has no share before); a year without any after that is an error.
            let start = totals
                .iter()
                .position(|t| t.3.is_none_or(|l| l > 0.0) || t.1 > 0.0)
                .unwrap_or(totals.len());
            let years: Vec<i32> = totals[start..].iter().map(|t| t.0).collect();
            let mut series = Vec::with_capacity(totals.len());
            for &(year, e, _, l) in &totals[start..] {
                let bad = |input: &str, message: String| ModelError::Trend {
                    key: key.into(),
                    input: input.into(),
                    year: Some(year),
                    message,
                };
                match l {
                    None => {
                        return Err(bad(
                            &sc.inputs.licensed.file,
                            format!(
                                "no licensed persons for the employment year {year}; the employment share needs both"
                            ),
                        ));
                    }
                    Some(l) if l <= 0.0 => {
                        return Err(bad(
                            &sc.inputs.licensed.file,
                            format!(
                                "no licensed persons in {year}; the employment share is undefined"
                            ),
                        ));
                    }
                    Some(l) => series.push(e / l),
                }
            }
            let (num, den) = totals
                .iter()
                .filter(|t| in_window(t.0))
                .fold((0.0, 0.0), |(n, d), t| (n + t.1, d + t.3.unwrap_or(0.0)));
            let level = if den > 0.0 { num / den } else { 0.0 };
            fit_series(
                key,
                &sc.inputs.employed.file,
                &years,
                &series,
                level,
                e_method,
            )?
        };
        let fte_model = if h_method == Trend::None {
            None
        } else {
            let key = "supply.fte_trend";
            // The series starts with the first year that has employed persons.
            let start = totals
                .iter()
                .position(|t| t.1 > 0.0 || t.2 > 0.0)
                .unwrap_or(totals.len());
            let years: Vec<i32> = totals[start..].iter().map(|t| t.0).collect();
            let mut series = Vec::with_capacity(totals.len());
            for &(year, e, f, _) in &totals[start..] {
                if e <= 0.0 {
                    return Err(ModelError::Trend {
                        key: key.into(),
                        input: sc.inputs.employed.file.clone(),
                        year: Some(year),
                        message: format!(
                            "no employed persons in {year}; FTE per employed person is undefined"
                        ),
                    });
                }
                series.push(f / e);
            }
            let (num, den) = totals
                .iter()
                .filter(|t| in_window(t.0))
                .fold((0.0, 0.0), |(n, d), t| (n + t.2, d + t.1));
            let level = if den > 0.0 { num / den } else { 0.0 };
            fit_series(
                key,
                &sc.inputs.employed.file,
                &years,
                &series,
                level,
                h_method,
            )?
        };
        (employment_model, fte_model)
    };
    let ratio = |m: &Option<TrendModel>| {
        m.as_ref()
            .map_or_else(Vec::new, |m| m.factors(&m.fit.forecast(ratio_steps)))
    };
    let employment_trend: Vec<f64> = ratio(&employment_model)
        .into_iter()
        .map(|f| f.min(employment_cap))
        .collect();
    let fte_trend = ratio(&fte_model);
    Ok(RatioTrends {
        ratio_trend_from,
        employment_cap,
        employment_model,
        fte_model,
        employment_trend,
        fte_trend,
    })
}

fn estimate_unnamed(inp: &Inputs, sc: &Scenario, p: usize) -> Result<Params, ModelError> {
    let g = &inp.grid;
    let (nc, nk) = (g.nc(), g.nk());
    let base = sc.base_year;
    let s = &sc.supply;
    let h = History {
        inp,
        p,
        nc,
        cells: g.cells(),
    };
    let Exits {
        mut exit,
        exit_counts,
        movement,
        county_exit,
    } = exit_rates(&h, s, base);
    // Employment shares and FTE, and each county's level against them over the same window.
    let ew = window(&inp.employment_years, base, s.employment_window);
    let (mut employment, mut fte) = employment_profiles(&h, s, &ew);
    let county_levels = estimate_county_levels(&h, s, &ew, &employment, &fte);
    // Inflow profiles.
    let iw = inflow_years(&h, s, base);
    let Inflows {
        se_profile,
        se_mean,
        foreign,
    } = inflows(&h, s, &iw);
    // The pipeline.
    let code = &g.professions[p];
    let prof = CodeLists::get().profession(code);
    let routes = Route::of(code);
    let Completion {
        rates: completion,
        counts: completion_counts,
        licensed_share,
    } = estimate_completion(&h, s, base, &routes, &iw);
    // The scenario's table of rates replaces estimates (after the county levels, which stay
    // relative to the estimated national rate).
    let (mut completion, mut licensed_share) = (completion, licensed_share);
    if !inp.overrides.rows.is_empty() {
        let has_programme = completion.is_some();
        levers::override_rates(
            &inp.overrides,
            &g.professions[p],
            levers::Rates {
                exit: &mut exit,
                employment: &mut employment,
                fte: &mut fte,
                completion: completion.as_deref_mut(),
                licensed_share: has_programme.then_some(&mut licensed_share),
            },
            &g.sectors,
            &inp.hc_regions,
        )?;
    }
    // A retirement shift moves the profiles of the projection years.
    let shift = levers::retirement_shift(s, &g.professions[p]);
    let (employment_ahead, fte_ahead) = if shift == 0.0 {
        (Vec::new(), Vec::new())
    } else {
        (
            levers::shift_profile(&employment, shift),
            levers::shift_profile(&fte, shift),
        )
    };
    // The county profiles, from the national ones in force (a table of rates and a retirement
    // shift included).
    let [
        (county_employment, county_fte),
        (county_employment_ahead, county_fte_ahead),
    ] = county_profiles(
        &county_levels,
        [(&employment, &fte), (&employment_ahead, &fte_ahead)],
        nc,
        nk,
    );
    let Feed {
        parent,
        certification,
        layer,
        st: st_feed,
    } = layer_feed(&h, sc, prof, completion.is_some(), &iw)?;
    let route = match &inp.destinations {
        Some(d) if completion.is_some() => {
            let one_off = s.one_off_years.get(code).map_or(&[][..], Vec::as_slice);
            super::destinations::Routing::new(d, p, base, s.inflow_window, one_off, &se_profile)
        }
        _ => None,
    };
    // Trends of admissions and foreign inflow, when the scenario asks for them.
    let steps = (sc.horizon - base).max(0) as usize;
    let InflowTrends {
        admissions: admissions_trend,
        foreign: foreign_trend,
    } = inflow_trends(&h, sc, &iw)?;
    let forecast = |m: &Option<TrendModel>| {
        m.as_ref()
            .map_or_else(Vec::new, |m| m.factors(&m.fit.forecast(steps)))
    };
    let ratios = ratio_trends(&h, sc, &ew, &county_employment)?;
    let admissions_change = inp
        .hc_regions
        .iter()
        .map(|r| levers::admissions_change(s, &g.professions[p], r))
        .collect();
    Ok(Params {
        admissions_change,
        county_levels,
        county_employment,
        county_fte,
        county_employment_ahead,
        county_fte_ahead,
        employment_ahead,
        fte_ahead,
        employment_trend: ratios.employment_trend,
        fte_trend: ratios.fte_trend,
        ratio_trend_from: ratios.ratio_trend_from,
        employment_cap: ratios.employment_cap,
        employment_model: ratios.employment_model,
        fte_model: ratios.fte_model,
        admissions_trend: forecast(&admissions_trend),
        foreign_trend: [forecast(&foreign_trend[0]), forecast(&foreign_trend[1])],
        admissions_model: admissions_trend,
        foreign_model: foreign_trend,
        exit_counts,
        completion_counts,
        layer,
        certification,
        st_feed,
        parent,
        exit,
        county_exit,
        movement,
        employment,
        fte,
        completion,
        licensed_share,
        routes,
        se_profile,
        se_mean,
        route,
        foreign,
    })
}

/// How a specialist layer without a programme of its own (specialist physicians) gets its Swedish
/// certificates (`supply.layer_feed`).
#[derive(Clone, Copy, Debug, Default, serde::Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LayerFeed {
    /// From the parent's own persons without the layer's competence: a certification rate per sex
    /// and age, `certificates[t, c, s, a] = h[s, a]·(parent − layer)[t − 1, c, s, a − 1]`, so each
    /// cohort's specialists come from its own physicians (the default).
    #[default]
    Rate,
    /// A share of the parent's Swedish licences a training time earlier, spread over county, sex and
    /// age as recent certificates were (hwf's rule before; needs that many years of register).
    Share,
    /// From the specialist-training starts (`supply.st_starts`) a training length before: each
    /// health-care region's Swedish certificates of the year are `q·Σ_g ST_g[t − D_g, r]` (`q` the
    /// share of starts that end in a certificate), placed over the region's counties, sexes and
    /// ages as [`LayerFeed::Rate`]'s certificates would be (the rate's cells times one factor per
    /// region and year). Only for the layer the specialists table divides; see
    /// [`super::specialties::StFeed`].
    St,
}

/// How beginners are set in projection years.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Intake {
    /// The base year's beginners in every region, times `1 +` the region's change of admissions
    /// ([`Params::admissions_change`]).
    Baseline,
    /// A national constant from `from` on (split over regions as in the base year); the baseline before.
    Constant {
        /// First year of the constant intake.
        from: i32,
        /// Beginners a year, nationally.
        per_year: f64,
    },
    /// No beginners from `from` on except `per_year` in `year` alone (split over regions as in the
    /// base year); the baseline before `from`. The response to one year's beginners, for paths.
    Pulse {
        /// First year without the baseline.
        from: i32,
        /// The one year with beginners.
        year: i32,
        /// Beginners that year, nationally.
        per_year: f64,
    },
}

/// One profession's trajectory: its projected stocks and flows, `[year][c][s][a]` over `years`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Trajectory {
    /// Years: the base year, then each projected year.
    pub years: Vec<i32>,
    /// Licensed persons.
    pub licensed: Vec<f64>,
    /// Inflows by origin SE, EU, TC (zero in the base year).
    pub inflow: [Vec<f64>; 3],
    /// Exits during the year before (zero in the base year), by the age left at: the national
    /// rates (times the county's factor with `supply.county_exits_by = "level"`).
    pub exits: Vec<f64>,
    /// Net movement into the county during the year before, by the age moved at (negative: net
    /// moves out; zero in the base year, and everywhere unless `supply.county_exits_by = "age"`).
    pub moved: Vec<f64>,
    /// National graduates by year (from the pipeline).
    pub graduates: Vec<f64>,
    /// For a layer (a profession whose code-list entry has `layer_of`): the persons the year's
    /// flows would have put into a cell beyond its parent's licensed persons there, taken out and
    /// counted among `exits` (zero elsewhere, and for every profession that is not a layer). A
    /// specialist is a physician (a specialist nurse or midwife a nurse), so no cell of the layer
    /// holds more persons than the same cell of its parent.
    pub capped: Vec<f64>,
    /// For a layer fed by the ST starts ([`Params::st_feed`]): the factor on each county's
    /// certificates by the rate, `[year][c]` (year 0 unused), its region's certificates from the
    /// starts over those by the rate (1 where the region's rate certifies no one, or the county
    /// has no region); empty otherwise.
    pub certification_scale: Vec<f64>,
}

/// The beginners by health-care region that intakes after the base year start from: those of the
/// last admission year up to the base year (zeros without one). A constant intake is split over
/// the regions by them ([`Intake::Constant`]); the baseline continues them.
pub fn intake_basis(inp: &Inputs, sc: &Scenario, p: usize) -> Vec<f64> {
    let (np, nr) = (inp.grid.np(), inp.hc_regions.len());
    window(&inp.admission_years, sc.base_year, 1)
        .first()
        .map(|&y| {
            (0..nr)
                .map(|r| inp.beginners[(y * np + p) * nr + r])
                .collect()
        })
        .unwrap_or_else(|| vec![0.0; nr])
}

/// Beginners of a profession in year `t` by health-care region.
pub fn beginners(
    inp: &Inputs,
    sc: &Scenario,
    p: usize,
    prm: &Params,
    t: i32,
    intake: Intake,
) -> Vec<f64> {
    let nr = inp.hc_regions.len();
    let np = inp.grid.np();
    let ay = &inp.admission_years;
    if let Some(y) = ay.iter().position(|&x| x == t)
        && t <= sc.base_year
    {
        return (0..nr)
            .map(|r| inp.beginners[(y * np + p) * nr + r])
            .collect();
    }
    let basis = intake_basis(inp, sc, p);
    let constant = match intake {
        Intake::Constant { from, per_year } if t >= from => Some(per_year),
        Intake::Pulse {
            from,
            year,
            per_year,
        } if t >= from => Some(if t == year { per_year } else { 0.0 }),
        _ => None,
    };
    match constant {
        Some(per_year) => {
            let total: f64 = basis.iter().sum();
            basis
                .iter()
                .map(|b| {
                    if total > 0.0 {
                        per_year * b / total
                    } else {
                        per_year / nr as f64
                    }
                })
                .collect()
        }
        None => {
            // Admissions follow the scenario's trend (1 without one), then its relative change.
            let ahead = (t - sc.base_year) as usize;
            let trend = prm
                .admissions_trend
                .get(ahead.wrapping_sub(1))
                .copied()
                .unwrap_or(1.0);
            basis
                .iter()
                .zip(&prm.admissions_change)
                .map(|(b, c)| b * trend * (1.0 + c))
                .collect()
        }
    }
}

/// National graduates of year `t` in the admissions table (0 for a year it lacks).
pub fn observed_graduates(inp: &Inputs, p: usize, t: i32) -> f64 {
    let (np, nr) = (inp.grid.np(), inp.hc_regions.len());
    inp.admission_years
        .iter()
        .position(|&x| x == t)
        .map_or(0.0, |y| {
            (0..nr).map(|r| inp.graduates[(y * np + p) * nr + r]).sum()
        })
}

/// How the observed graduates of year `t` divide over a profession's routes: by the beginners
/// each route has due to graduate in `t` (cohort `t − d` of each, times the route's share of it);
/// by the routes' shares of those cohorts alone where the admissions table lacks a cohort; all on
/// the last route begun by then when no cohort is due. `[1.0]` with a single route.
pub fn route_split(inp: &Inputs, p: usize, routes: &[Route], t: i32) -> Vec<f64> {
    if routes.len() == 1 {
        return vec![1.0];
    }
    let (np, nr) = (inp.grid.np(), inp.hc_regions.len());
    let cohort = |i: usize| t - routes[i].programme_lag as i32;
    let shares: Vec<f64> = (0..routes.len())
        .map(|i| Route::share(routes, i, cohort(i)))
        .collect();
    let due: Option<Vec<f64>> = shares
        .iter()
        .enumerate()
        .map(|(i, &w)| {
            if w == 0.0 {
                return Some(0.0);
            }
            let y = inp.admission_years.iter().position(|&x| x == cohort(i))?;
            Some(
                w * (0..nr)
                    .map(|r| inp.beginners[(y * np + p) * nr + r])
                    .sum::<f64>(),
            )
        })
        .collect();
    let weights = match due {
        Some(d) if d.iter().sum::<f64>() > 0.0 => d,
        _ => shares,
    };
    let total: f64 = weights.iter().sum();
    if total > 0.0 {
        weights.iter().map(|w| w / total).collect()
    } else {
        let last = (0..routes.len())
            .rev()
            .find(|&i| cohort(i) >= routes[i].from)
            .unwrap_or(0);
        (0..routes.len())
            .map(|i| f64::from(u8::from(i == last)))
            .collect()
    }
}

/// Graduates of year `t` on route `i` of the profession's routes, nationally: observed up to the
/// base year (divided by [`route_split`]), else the route's share of the cohort `d` years earlier
/// times the regions' completion rates (its graduates by region, summed).
pub fn route_graduates(
    inp: &Inputs,
    sc: &Scenario,
    p: usize,
    prm: &Params,
    i: usize,
    t: i32,
    intake: Intake,
) -> f64 {
    route_graduates_by_region(inp, sc, p, prm, i, t, intake)
        .iter()
        .sum()
}

/// Graduates of year `t` on route `i` by health-care region: observed up to the base year (each
/// region's divided by [`route_split`]; 0 for a year the admissions table lacks), else the route's
/// share of the region's cohort `d` years earlier times its completion rate.
fn route_graduates_by_region(
    inp: &Inputs,
    sc: &Scenario,
    p: usize,
    prm: &Params,
    i: usize,
    t: i32,
    intake: Intake,
) -> Vec<f64> {
    let (np, nr) = (inp.grid.np(), inp.hc_regions.len());
    let Some(c) = &prm.completion else {
        return vec![0.0; nr];
    };
    if t <= sc.base_year {
        let Some(y) = inp.admission_years.iter().position(|&x| x == t) else {
            return vec![0.0; nr];
        };
        let w = route_split(inp, p, &prm.routes, t)[i];
        return (0..nr)
            .map(|r| inp.graduates[(y * np + p) * nr + r] * w)
            .collect();
    }
    let x = t - prm.routes[i].programme_lag as i32;
    let w = Route::share(&prm.routes, i, x);
    if w == 0.0 {
        return vec![0.0; nr];
    }
    let b = beginners(inp, sc, p, prm, x, intake);
    (0..nr).map(|r| c[r] * b[r] * w).collect()
}

/// The graduates behind the Swedish licences of year `t`, by health-care region: each route's
/// graduates of the years its licence lag reaches back to, weighted as [`project_with`] weighs
/// them nationally.
pub fn licence_graduates_by_region(
    inp: &Inputs,
    sc: &Scenario,
    p: usize,
    prm: &Params,
    t: i32,
    intake: Intake,
) -> Vec<f64> {
    let mut out = vec![0.0; inp.hc_regions.len()];
    for i in 0..prm.routes.len() {
        let (l0, f) = prm.routes[i].licence_lag;
        let l0 = l0 as i32;
        let a = route_graduates_by_region(inp, sc, p, prm, i, t - l0, intake);
        let b = route_graduates_by_region(inp, sc, p, prm, i, t - l0 - 1, intake);
        for (o, (a, b)) in out.iter_mut().zip(a.iter().zip(&b)) {
            *o += (1.0 - f) * a + f * b;
        }
    }
    out
}

/// National graduates of year `t` from the pipeline (observed up to the base year).
pub fn graduates(
    inp: &Inputs,
    sc: &Scenario,
    p: usize,
    prm: &Params,
    t: i32,
    intake: Intake,
) -> f64 {
    (0..prm.routes.len())
        .map(|i| route_graduates(inp, sc, p, prm, i, t, intake))
        .sum()
}

/// Graduates of year `t` by health-care region, summed over the routes: observed up to the base
/// year (each route's part by [`route_split`]), the regions' completion rates times their
/// beginners `d` years earlier after it (as [`route_graduates`] sums them nationally).
pub fn graduates_by_region(
    inp: &Inputs,
    sc: &Scenario,
    p: usize,
    prm: &Params,
    t: i32,
    intake: Intake,
) -> Vec<f64> {
    let mut out = vec![0.0; inp.hc_regions.len()];
    for i in 0..prm.routes.len() {
        let g = route_graduates_by_region(inp, sc, p, prm, i, t, intake);
        for (o, g) in out.iter_mut().zip(&g) {
            *o += g;
        }
    }
    out
}

/// The professions in an order where each layer follows its parent ([`Params::parent`]): those
/// without a parent first, then the layers (a layer's parent is never a layer; the code list's
/// test says so).
pub fn parents_first(params: &[Params]) -> Vec<usize> {
    let n = params.len();
    (0..n)
        .filter(|&p| params[p].parent.is_none())
        .chain((0..n).filter(|&p| params[p].parent.is_some()))
        .collect()
}

/// Projects one profession from the base year to the horizon.
pub fn project(inp: &Inputs, sc: &Scenario, p: usize, prm: &Params, intake: Intake) -> Trajectory {
    project_with(inp, sc, p, prm, intake, None)
}

/// National Swedish licences of a path in year index `ti`.
pub fn path_se(path: &Trajectory, ti: usize) -> f64 {
    let per = path.licensed.len() / path.years.len().max(1);
    path.inflow[0][ti * per..(ti + 1) * per].iter().sum()
}

/// Projects one profession; a layer takes its parent's projected path (`parent`): a layer fed by
/// its parent's licences ([`Params::layer`]) reads the parent's Swedish licences from it, and every
/// layer is kept within the parent's licensed persons in each cell and year (see [`Trajectory::capped`]).
pub fn project_with(
    inp: &Inputs,
    sc: &Scenario,
    p: usize,
    prm: &Params,
    intake: Intake,
    parent: Option<&Trajectory>,
) -> Trajectory {
    let g = &inp.grid;
    let (nc, cells) = (g.nc(), g.cells());
    let per = nc * 2 * NA;
    let years: Vec<i32> = (sc.base_year..=sc.horizon).collect();
    let ny = years.len();
    let mut licensed = vec![0.0; ny * per];
    let base_i = inp
        .licence_years
        .iter()
        .position(|&y| y == sc.base_year)
        .unwrap_or(0);
    for c in 0..nc {
        for sx in 0..2 {
            for a in 0..NA {
                licensed[(c * 2 + sx) * NA + a] = inp.licensed[base_i * cells + g.idx(p, c, sx, a)];
            }
        }
    }
    let mut inflow = [
        vec![0.0; ny * per],
        vec![0.0; ny * per],
        vec![0.0; ny * per],
    ];
    let mut exits = vec![0.0; ny * per];
    let mut moved = vec![0.0; ny * per];
    let mut capped = vec![0.0; ny * per];
    let bound = parent.filter(|_| prm.parent.is_some());
    // A layer certified from its parent (`supply.layer_feed = "rate"`) takes its certificates from
    // the parent's cells rather than from `se_total`.
    let certified = bound.filter(|_| !prm.certification.is_empty());
    // Each cell's rates (exits; exits and net moves out) do not change with the year.
    let rates: Vec<(f64, f64)> = (0..nc)
        .flat_map(|c| (0..2).flat_map(move |sx| (0..NA).map(move |a| (c, sx, a))))
        .map(|(c, sx, a)| prm.county_rates(c, sx, a))
        .collect();
    let mut grads = vec![0.0; ny];
    let st = certified.and(prm.st_feed.as_ref());
    let mut by_rate = if certified.is_some() {
        vec![0.0; per]
    } else {
        Vec::new()
    };
    let mut certification_scale = if st.is_some() {
        vec![1.0; ny * nc]
    } else {
        Vec::new()
    };
    for (ti, &t) in years.iter().enumerate() {
        grads[ti] = graduates(inp, sc, p, prm, t, intake);
        if ti == 0 {
            continue;
        }
        // A layer certified from its parent: each cell's certificates by the rate, computed once
        // for the year; fed by the ST starts, each region's are then scaled to its starts'.
        if let Some(pp) = certified {
            rate_certificates(&prm.certification, pp, &licensed, ti, &mut by_rate);
            if let Some(st) = st {
                let by_county: Vec<f64> = by_rate
                    .chunks_exact(2 * NA)
                    .map(|c| c.iter().sum())
                    .collect();
                let scale = st.scale(t, &by_county);
                certification_scale[ti * nc..(ti + 1) * nc].copy_from_slice(&scale);
            }
        }
        // The graduates behind the year's licences, region by region; with destinations they
        // also say where the licences go.
        let mut routed: Option<Vec<f64>> = None;
        let se_total = if prm.completion.is_some() {
            let by_region = licence_graduates_by_region(inp, sc, p, prm, t, intake);
            routed = prm.route.as_ref().map(|rt| rt.to_counties(&by_region));
            prm.licensed_share * by_region.iter().sum::<f64>()
        } else if let (Some((pi, d, share)), Some(pp)) = (prm.layer, parent) {
            let from = t - d as i32;
            share
                * match pp.years.iter().position(|&y| y == from) {
                    Some(i) if from > sc.base_year => path_se(pp, i),
                    _ => observed_se(inp, pi, from),
                }
        } else {
            prm.se_mean
        };
        let (prev, cur) = licensed.split_at_mut(ti * per);
        let prev = &prev[(ti - 1) * per..];
        let cur = &mut cur[..per];
        for c in 0..nc {
            for sx in 0..2 {
                let row = (c * 2 + sx) * NA;
                for a in 0..NA {
                    let j = row + a;
                    let (x, total) = rates[j];
                    exits[ti * per + j] = prev[j] * x;
                    moved[ti * per + j] = prev[j] * (x - total);
                    // A layer fed by the rate: certificates from the parent's persons without
                    // the layer's competence, a year younger a year before.
                    let se = match certified {
                        Some(_) if a == 0 => 0.0,
                        Some(_) => match certification_scale.get(ti * nc + c) {
                            Some(k) => by_rate[j] * k,
                            None => by_rate[j],
                        },
                        None => match (&routed, &prm.route) {
                            (Some(to), Some(rt)) => se_total * to[c] * rt.within[j],
                            _ => se_total * prm.se_profile[j],
                        },
                    };
                    let eu = prm.foreign[0][j]
                        * prm.foreign_trend[0].get(ti - 1).copied().unwrap_or(1.0);
                    let tc = prm.foreign[1][j]
                        * prm.foreign_trend[1].get(ti - 1).copied().unwrap_or(1.0);
                    inflow[0][ti * per + j] = se;
                    inflow[1][ti * per + j] = eu;
                    inflow[2][ti * per + j] = tc;
                    let stay = if a == 0 {
                        0.0
                    } else {
                        prev[j - 1] * (1.0 - rates[j - 1].1)
                    };
                    cur[j] = stay + se + eu + tc;
                    if let Some(pp) = bound {
                        let excess = cur[j] - pp.licensed[ti * per + j];
                        if excess > 0.0 {
                            cur[j] -= excess;
                            exits[ti * per + j] += excess;
                            capped[ti * per + j] = excess;
                        }
                    }
                }
            }
        }
    }
    Trajectory {
        years,
        licensed,
        inflow,
        exits,
        moved,
        graduates: grads,
        capped,
        certification_scale,
    }
}

/// Each cell's certificates by the certification rates `rates[s][a]` in year index `ti`, into
/// `out` (`[c][s][a]`): the rate of age `a` times the parent's persons a year younger a year
/// before less the layer's own, at least 0 (0 at the youngest age), from the layer's persons
/// `licensed` and its parent's path `parent`.
fn rate_certificates(
    rates: &[f64],
    parent: &Trajectory,
    licensed: &[f64],
    ti: usize,
    out: &mut [f64],
) {
    let per = out.len();
    for (j, x) in out.iter_mut().enumerate() {
        let a = j % NA;
        *x = if a == 0 {
            0.0
        } else {
            let sx = (j / NA) % 2;
            let at = (ti - 1) * per + j - 1;
            let without = parent.licensed[at] - licensed[at];
            rates[sx * NA + a] * without.max(0.0)
        };
    }
}

/// The national FTE supply of a path in year index `ti`, all sectors, with the employment-share
/// and FTE trend factors of that year.
///
/// # Formula
///
/// `S[t] = f_e[t]·f_h[t]·Σ_{c,s,a} L[t,c,s,a]·Σ_k e_ck[s,a]·h_ck[s,a]`, with each county's
/// profiles ([`Params::county_profiles`]).
pub fn national_fte(inp: &Inputs, path: &Trajectory, prm: &Params, ti: usize) -> f64 {
    fte_of(inp, path, prm, ti, 0..inp.grid.nc())
}

/// FTE of each county in year index `ti` of `path`, as [`national_fte`] sums them.
pub fn county_fte(inp: &Inputs, path: &Trajectory, prm: &Params, ti: usize) -> Vec<f64> {
    (0..inp.grid.nc())
        .map(|c| fte_of(inp, path, prm, ti, c..c + 1))
        .collect()
}

/// FTE of the counties `counties` in year index `ti` of `path` (summed in county order).
fn fte_of(
    inp: &Inputs,
    path: &Trajectory,
    prm: &Params,
    ti: usize,
    counties: std::ops::Range<usize>,
) -> f64 {
    let nc = inp.grid.nc();
    let per = nc * 2 * NA;
    let mut s = 0.0;
    let nk = inp.grid.nk();
    let (employment, fte) = prm.county_profiles(ti > 0);
    for c in counties {
        for sx in 0..2 {
            for a in 0..NA {
                let l = path.licensed[ti * per + (c * 2 + sx) * NA + a];
                for k in 0..nk {
                    let i = ((c * nk + k) * 2 + sx) * NA + a;
                    s += l * employment[i] * fte[i];
                }
            }
        }
    }
    let year = path.years.get(ti).copied().unwrap_or(i32::MIN);
    s * prm.employment_factor(year) * prm.fte_factor(year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cohort_divides_over_the_routes_by_their_first_years() {
        // Standing 5.5 years + 1.5; from 2021 (half of that cohort) six years and no lag.
        let routes = [
            Route::new(i32::MIN, 1.0, 5.5, 1.5),
            Route::new(2021, 0.5, 6.0, 0.0),
        ];
        assert_eq!(
            (routes[0].programme_lag, routes[0].licence_lag),
            (6, (1, 0.5))
        );
        assert_eq!(
            (routes[1].programme_lag, routes[1].licence_lag),
            (6, (0, 0.0))
        );
        let shares = |y| [0, 1].map(|i| Route::share(&routes, i, y));
        assert_eq!(shares(2020), [1.0, 0.0]);
        assert_eq!(shares(2021), [0.5, 0.5]);
        assert_eq!(shares(2022), [0.0, 1.0]);
        // A third route taking all of its first cohort.
        let three = [
            routes[0].clone(),
            routes[1].clone(),
            Route::new(2030, 1.0, 6.0, 0.5),
        ];
        let shares = |y| [0, 1, 2].map(|i| Route::share(&three, i, y));
        assert_eq!(shares(2029), [0.0, 1.0, 0.0]);
        assert_eq!(shares(2030), [0.0, 0.0, 1.0]);
        // One route: the whole cohort, exactly.
        assert_eq!(Route::share(&routes[..1], 0, 2050), 1.0);
    }

    #[test]
    fn pooling_widens_until_enough_are_at_risk() {
        // Ages 0..5 with 1 at risk each except age 2 (100): age 0 needs ±2 to reach 3 persons.
        let num = [0.0, 1.0, 10.0, 0.0, 1.0];
        let den = [1.0, 1.0, 100.0, 1.0, 1.0];
        let r = pooled_ratio(&num, &den, 3.0);
        // age 0: ages 0..=1 have 2 < 3; 0..=2 have 102 → 11/102.
        assert!((r[0] - 11.0 / 102.0).abs() < 1e-12);
        // age 2 alone has 100 ≥ 3 → 10/100.
        assert!((r[2] - 0.1).abs() < 1e-12);
        assert_eq!(pooled_ratio(&[0.0], &[0.0], 1.0), vec![0.0]);
    }

    #[test]
    fn a_register_in_bands_gives_certificate_groups_one_year_older() {
        use crate::model::inputs::{NA, certificate_groups, workforce_bands};
        assert!(certificate_groups(&[]).is_empty());
        // Register bands 20-24 … 70-74: those at risk at 20-24 are certified at 21-25, …, at
        // 65-69 at 66-70; at 70-74 at 71-74 (no one is at risk past 74). Certificates at 20
        // have no one at risk a year younger: a group of its own.
        let bands: Vec<(u32, u32)> = (20..=70).step_by(5).map(|lo| (lo, lo + 4)).collect();
        let g = certificate_groups(&workforce_bands(&bands));
        assert_eq!(g[0], (0, 0));
        assert_eq!(g[1], (1, 5));
        assert_eq!(g[2], (6, 10));
        assert_eq!(*g.last().unwrap(), (51, NA - 1));
        assert_eq!(g.len(), 12);
        // The groups tile the ages.
        assert!(g.windows(2).all(|w| w[1].0 == w[0].1 + 1));
    }

    #[test]
    fn bands_give_exit_groups_one_year_younger() {
        use crate::model::inputs::{NA, exit_groups, workforce_bands};
        // Single years: no groups.
        assert!(workforce_bands(&[(20, 20), (21, 21)]).is_empty());
        assert!(exit_groups(&workforce_bands(&[])).is_empty());
        // 5-year bands 20-24 … 70-74: persons aged 20-23 move into 21-24 (the band 20-24 has no
        // one aged 19 in the workforce), 24-28 into 25-29, …, 69-73 into 70-74; age 74 leaves.
        let bands: Vec<(u32, u32)> = (20..=70).step_by(5).map(|lo| (lo, lo + 4)).collect();
        let w = workforce_bands(&bands);
        assert_eq!(w[0], (0, 4));
        assert_eq!(w.len(), 11);
        let g = exit_groups(&w);
        assert_eq!(g[0], (0, 3));
        assert_eq!(g[1], (4, 8));
        assert_eq!(*g.last().unwrap(), (49, 53));
        assert_eq!(g.len(), 11);
        assert_eq!(g.last().unwrap().1, NA - 2);
        // An open band 65+ read as 65-100 is clipped at 74; ages before the first band (20-29
        // missing) are groups of their own.
        let w = workforce_bands(&[(30, 64), (65, 100)]);
        assert_eq!(w[..3], [(0, 0), (1, 1), (2, 2)]);
        assert_eq!(w[10], (10, 44));
        assert_eq!(w[11], (45, 54));
        assert_eq!(w.len(), 12);
        let g = exit_groups(&w);
        assert_eq!(g[0], (0, 0));
        assert_eq!(g[1], (1, 1));
        assert_eq!(g[8], (8, 8));
        assert_eq!(g[9], (9, 43));
        assert_eq!(g[10], (44, 53));
    }

    #[test]
    fn a_banded_register_follows_cohorts_and_keeps_its_band_totals() {
        use crate::model::inputs::{Classification, follow_cohorts};
        let grid = Classification {
            professions: vec!["SSK".into()],
            counties: vec!["23".into()],
            sectors: vec!["R".into(), "K".into(), "P".into()],
        };
        let cells = grid.cells();
        let at = |a: usize| grid.idx(0, 0, 1, a);
        let years = [2020, 2021, 2022];
        let mut licensed = vec![0.0; 3 * cells];
        let mut issued = vec![0.0; 3 * 3 * cells];
        // 2020: ages 20–24 as ungrouped; 2021: the band's 100 persons spread evenly by the
        // ungrouping; 2022: a band of 4 persons.
        for (a, v) in [0.0, 10.0, 20.0, 30.0, 40.0].into_iter().enumerate() {
            licensed[at(a)] = v;
            licensed[cells + at(a)] = 20.0;
        }
        licensed[2 * cells + at(0)] = 4.0;
        // Licences: 2021 five Swedish at 20 and five from the EU at 21; 2022 four at 20 and 21.
        issued[3 * cells + at(0)] = 5.0;
        issued[(3 + 1) * cells + at(1)] = 5.0;
        issued[6 * cells + at(0)] = 4.0;
        issued[6 * cells + at(1)] = 4.0;
        follow_cohorts(&grid, &years, &mut licensed, &issued, &[(0, 4)]);
        // 2021: k = (100 − 10) / (0 + 10 + 20 + 30) = 1.5 on those one year younger in 2020.
        let y1: Vec<f64> = (0..5).map(|a| licensed[cells + at(a)]).collect();
        assert_eq!(y1, vec![5.0, 5.0, 15.0, 30.0, 45.0]);
        // 2022: 8 licences in a band of 4: the licences, scaled to the band.
        let y2: Vec<f64> = (0..5).map(|a| licensed[2 * cells + at(a)]).collect();
        assert_eq!(y2, vec![2.0, 2.0, 0.0, 0.0, 0.0]);
        // 2020 and the men (no one) are left as they were.
        assert_eq!(licensed[at(4)], 40.0);
        assert!((0..5).all(|a| licensed[cells + grid.idx(0, 0, 0, a)] == 0.0));
    }

    #[test]
    fn a_banded_ratio_is_a_line_through_the_bands_kept_in_their_sums() {
        // Two bands of two ages, 10 at risk at each age. Band 0–1: 6 of 20 (0.3, midpoint 0.5);
        // band 2–3: 4 of 20 (0.2, midpoint 2.5). The line: 0.3 at age 0 (level before the first
        // midpoint), 0.3 − 0.1·0.5/2 = 0.275 at 1, 0.3 − 0.1·1.5/2 = 0.225 at 2, 0.2 at 3 (level
        // after the last). Scaled to the bands' sums: ×6/5.75 in the first, ×4/4.25 in the second.
        // The single ages' own ratios (0.1, 0.5, 0.3, 0.1) are not used.
        let num = [1.0, 5.0, 3.0, 1.0];
        let den = [10.0; 4];
        let r = banded_ratio(&num, &den, &[(0, 1), (2, 3)], 1.0);
        let want = [
            0.3 * 6.0 / 5.75,
            0.275 * 6.0 / 5.75,
            0.225 * 4.0 / 4.25,
            0.2 * 4.0 / 4.25,
        ];
        for (a, (x, w)) in r.iter().zip(want).enumerate() {
            assert!((x - w).abs() < 1e-12, "age {a}: {x} against {w}");
        }
        assert!((10.0 * (r[0] + r[1]) - 6.0).abs() < 1e-12);
        assert!((10.0 * (r[2] + r[3]) - 4.0).abs() < 1e-12);
        // Scaling alone (certification rates, whose single-age shape is kept): the first band's
        // ratios give 3 of its 4, so both are raised by 4/3; the second gives its 10 already.
        let mut r = vec![0.1, 0.2, 0.5, 0.5];
        scale_to_groups(&mut r, &[1.0, 3.0, 5.0, 5.0], &[10.0; 4], &[(0, 1), (2, 3)]);
        let want = [0.4 / 3.0, 0.8 / 3.0, 0.5, 0.5];
        assert!(
            r.iter().zip(want).all(|(x, w)| (x - w).abs() < 1e-12),
            "{r:?}"
        );
        // A band with no one at risk has no ratio of its own: the line passes over it, and its
        // ages take the line's values (nothing to scale to).
        let r = banded_ratio(
            &[1.0, 1.0, 0.0, 0.0, 2.0, 2.0],
            &[10.0, 10.0, 0.0, 0.0, 10.0, 10.0],
            &[(0, 1), (2, 3), (4, 5)],
            0.0,
        );
        assert!((r[2] - (0.1 + 0.1 * 1.5 / 4.0)).abs() < 1e-12, "{r:?}");
    }

    #[test]
    fn grouped_counts_share_their_sums_and_widen_when_thin() {
        let num = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let den = [10.0, 10.0, 10.0, 1.0, 1.0, 10.0];
        let groups = [(0, 2), (3, 4), (5, 5)];
        // Enough at risk everywhere: each age takes its group's sums.
        let r = grouped_counts(&num, &den, &groups, 1.0);
        assert_eq!(r[0], (6.0, 30.0));
        assert_eq!(r[2], (6.0, 30.0));
        assert_eq!(r[3], (9.0, 2.0));
        assert_eq!(r[5], (6.0, 10.0));
        // The middle group has 2 < 5 at risk: it takes its neighbours' too (all 21 / 42).
        let r = grouped_counts(&num, &den, &groups, 5.0);
        assert_eq!(r[3], (21.0, 42.0));
        assert_eq!(r[0], (6.0, 30.0));
    }
}
