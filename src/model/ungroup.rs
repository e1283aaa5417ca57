//! Age bands to single years: the penalized composite link model (PCLM) of Rizzi, Gampe and Eilers
//! (2015, *Am J Epidemiol* 182:138), the method of R's `ungroup::pclm`.
//!
//! The statistical database publishes ages in bands (`20-24`, `20-29`, an open `65+`); the model runs
//! on single years. [`pclm`] ungroups one series of band counts; [`ungroup_ages`] ungroups every
//! series of a [`Table`] whose age dimension holds bands.
//!
//! # Formula
//!
//! The band counts `y_i` are Poisson with means `μ = C γ`, where `γ_a` is the expected count at
//! single age `a` and the composition matrix `C` has `C[i][a] = 1` when age `a` lies in band `i`.
//! The single-year curve is smooth on the log scale: `γ = exp(X β)`, `X` a cubic B-spline basis over
//! the single ages with one knot interval every [`Basis::BSpline`]`::knot_spacing` years (or the
//! identity, as in the paper). `β` maximizes the penalized log-likelihood
//!
//! ```text
//! ℓ(β) − λ/2 · ‖D β‖²,   D the second-order difference matrix,
//! ```
//!
//! by iteratively reweighted least squares: with `Q = C diag(γ) X` and `W = diag(1/μ)`,
//!
//! ```text
//! (QᵀWQ + λ DᵀD) β_new = QᵀW (y − μ + Q β),
//! ```
//!
//! solved by a Cholesky factorization, with step halving when the penalized deviance would rise.
//! The penalty's null space is `log γ` linear in age: as `λ → ∞` the fit becomes an exponential curve.
//!
//! **Smoothing.** `λ` is chosen over the grid `10^-2, 10^-1.5, …, 10^6` by the Bayesian information
//! criterion (the default of `ungroup::pclm`), `BIC = dev + ln(m) · ED`, or by
//! `AIC = dev + 2 · ED` ([`Criterion`]), where `m` is the number of bands,
//! `dev = 2 Σ [y ln(y/μ) − (y − μ)]` the Poisson deviance and `ED = tr((QᵀWQ + λDᵀD)⁻¹ QᵀWQ)` the
//! effective dimension. Ties go to the larger `λ` (the smoother curve). `ungroup` writes its penalty
//! as `√λ · DᵀD`; its `λ` is the square of ours.
//!
//! **Conservation.** After the fit, the single years of each band are rescaled so that they add up to
//! the band's count: `γ̂_a = γ_a · y_i / μ_i` for `a` in band `i` (a band of 0 gives zeros). The band
//! totals of the output are therefore the published ones, to rounding (|Σ − y| ≤ 1e-9 · y).
//!
//! **Pooling.** With [`Options::pool_regions`] (the workforce default) [`ungroup_ages`] fits the
//! series summed over counties (municipalities, health-care regions) once and rescales its curve
//! to each region's band counts: the within-band split is shared, the band totals are each
//! region's own.
//!
//! **Convergence.** IRLS stops when no coefficient moves more than 1e-9, when the change stops
//! shrinking below 1e-6 (the rounding floor of a stiff system), or when the penalized deviance has
//! settled to 1e-12 while `β` still drifts (a curve falling towards 0 in bands of 0 has no finite
//! optimum). A `λ` that does not converge in 200 iterations is left out of the choice.
//!
//! **Open bands.** A band open at the top (`65+`) ends at [`Options::max_age`]; one open at the
//! bottom (`-29`) starts at [`Options::min_age`]. A series of one band has no shape to borrow and is
//! spread evenly.

use crate::table::{Category, Dimension, Elimination, Status, Table};
use crate::validate::Concept;
use std::collections::HashMap;

/// A band of single years, `lo..=hi`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Band {
    /// First single year.
    pub lo: u32,
    /// Last single year (inclusive).
    pub hi: u32,
}

impl Band {
    /// Number of single years.
    pub fn width(self) -> usize {
        (self.hi - self.lo + 1) as usize
    }
}

/// An age category as published.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgeCode {
    /// One year (`34`, `34 år`, `0 år`).
    Single(u32),
    /// A band; `None` for an open end (`65+` has no top, `-29` no bottom).
    Band {
        /// First year, `None` when open at the bottom.
        lo: Option<u32>,
        /// Last year, `None` when open at the top.
        hi: Option<u32>,
    },
    /// All ages (`totalt`, `total`, `tot`, `samtliga`, `all ages`).
    Total,
}

/// Parses an age category: `34`, `34 år`, `20-24`, `20–24 år`, `20 - 24`, `65+`, `65+ år`,
/// `65-`, `65 och äldre`, `65 and over`, `-29`, `under 30`, `totalt`. `None` for anything else
/// (an age over 120 included).
pub fn parse_age(code: &str) -> Option<AgeCode> {
    let mut c = code.trim().to_lowercase().replace(['–', '—', '−'], "-");
    for suffix in [" år", "år", " years", " year", " yrs", " y"] {
        if let Some(s) = c.strip_suffix(suffix) {
            c = s.trim_end().to_string();
            break;
        }
    }
    if matches!(
        c.as_str(),
        "totalt" | "total" | "tot" | "samtliga" | "alla" | "alla åldrar" | "all ages" | "all"
    ) {
        return Some(AgeCode::Total);
    }
    let num = |s: &str| -> Option<u32> { s.trim().parse().ok().filter(|&a| a <= 120) };
    for open_top in [
        "+",
        " och äldre",
        " och över",
        " and over",
        " and older",
        " or older",
        "-",
    ] {
        if let Some(lo) = c.strip_suffix(open_top) {
            return Some(AgeCode::Band {
                lo: Some(num(lo)?),
                hi: None,
            });
        }
    }
    if let Some(hi) = c.strip_prefix("under ") {
        let hi = num(hi)?.checked_sub(1)?;
        return Some(AgeCode::Band {
            lo: None,
            hi: Some(hi),
        });
    }
    if let Some(hi) = c.strip_prefix('-') {
        return Some(AgeCode::Band {
            lo: None,
            hi: Some(num(hi)?),
        });
    }
    if let Some((a, b)) = c.split_once('-') {
        let (a, b) = (num(a)?, num(b)?);
        return Some(if a == b {
            AgeCode::Single(a)
        } else {
            AgeCode::Band {
                lo: Some(a),
                hi: Some(b),
            }
        });
    }
    num(&c).map(AgeCode::Single)
}

/// How `λ` is chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Criterion {
    /// Bayesian information criterion, `dev + ln(m) · ED` (the default, as in `ungroup::pclm`).
    #[default]
    Bic,
    /// Akaike information criterion, `dev + 2 · ED`.
    Aic,
}

/// The basis of `log γ`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Basis {
    /// Cubic B-splines with equally spaced knots, one knot interval per `knot_spacing` years.
    BSpline {
        /// Years per knot interval.
        knot_spacing: u32,
    },
    /// One coefficient per single year (the paper's choice).
    Identity,
}

impl Default for Basis {
    fn default() -> Self {
        Basis::BSpline { knot_spacing: 2 }
    }
}

/// The smoothing parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Smoothing {
    /// Chosen by the criterion over `10^-2, 10^-1.5, …, 10^6`.
    Select(Criterion),
    /// Fixed.
    Fixed(f64),
}

impl Default for Smoothing {
    fn default() -> Self {
        Smoothing::Select(Criterion::Bic)
    }
}

/// Settings of an ungrouping.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// First year of a band open at the bottom (`-29`).
    pub min_age: u32,
    /// Last year of a band open at the top (`65+`).
    pub max_age: u32,
    /// Basis of `log γ`.
    pub basis: Basis,
    /// How `λ` is set.
    pub smoothing: Smoothing,
    /// In [`ungroup_ages`]: take the shape within each band from the series summed over the
    /// regions (dimensions of county, municipality or health-care region), fitted once, and
    /// rescale it to each region's own band counts. Band totals stay each series' own; only the
    /// split inside a band is shared. For tables of small counts, where one county's series (a
    /// handful of midwives aged 20-24) has no shape of its own to give.
    pub pool_regions: bool,
    /// In [`ungroup_ages`]: a specialist layer (a profession whose code list entry has `layer_of`,
    /// as SPL of LAK) takes its parent's single-year shape within each band, rescaled to its own
    /// band counts, where the table holds the parent's series too. Fitted on its own a layer can
    /// come out above its parent in single years inside a band; this way it stays within the
    /// parent wherever its band counts do, and both keep their band totals.
    pub layers_follow_parents: bool,
}

impl Default for Options {
    /// Population tables: an open first band from 0, an open last band to 100 (the model's `100`
    /// stands for 100 and over); B-splines every 2 years; `λ` by BIC.
    fn default() -> Self {
        Options {
            min_age: 0,
            max_age: 100,
            basis: Basis::default(),
            smoothing: Smoothing::default(),
            pool_regions: false,
            layers_follow_parents: false,
        }
    }
}

impl Options {
    /// Workforce tables (licensed, employed, licences issued): an open first band from 20 (the
    /// model's first workforce age), an open last band to 100 (the model drops ages over 74 as it
    /// does for single-year tables), and the shape within bands pooled over the regions
    /// ([`Options::pool_regions`]): a profession's cells per county are small counts.
    pub fn workforce() -> Self {
        Options {
            min_age: super::inputs::AGE_MIN,
            pool_regions: true,
            layers_follow_parents: true,
            ..Options::default()
        }
    }
}

/// What can stop an ungrouping.
#[derive(Clone, Debug, thiserror::Error, PartialEq)]
#[non_exhaustive]
pub enum UngroupError {
    /// No dimension of the table is an age.
    #[error("{file}: no age dimension among [{dims}]; expected one called age or ålder")]
    NoAgeDimension {
        /// The table.
        file: String,
        /// Its dimensions.
        dims: String,
    },
    /// An age category that is neither a year, a band nor a total.
    #[error("{file}: the age {code:?}; expected a year (34), a band (20-24, 65+, -29) or a total")]
    UnknownAge {
        /// The table.
        file: String,
        /// The category.
        code: String,
    },
    /// A band with no year in it: upside down (`30-20`) or an open band beyond the limits.
    #[error(
        "{file}: the age band {code:?} holds no year (from {lo} to {hi}); expected a first year no later than the last"
    )]
    EmptyBand {
        /// The table (empty for a bare series).
        file: String,
        /// The category.
        code: String,
        /// First year as read (open ends set from the options).
        lo: u32,
        /// Last year.
        hi: u32,
    },
    /// Two bands share years.
    #[error(
        "{file}: the age bands {first:?} and {second:?} overlap; expected each year in one band"
    )]
    Overlap {
        /// The table (empty for a bare series).
        file: String,
        /// The earlier band.
        first: String,
        /// The band that overlaps it.
        second: String,
    },
    /// Years between two bands belong to none.
    #[error(
        "{file}: no age band holds the years {lo}–{hi} (between {before:?} and {after:?}); expected bands without gaps"
    )]
    Gap {
        /// The table (empty for a bare series).
        file: String,
        /// The band before the gap.
        before: String,
        /// The band after it.
        after: String,
        /// First missing year.
        lo: u32,
        /// Last missing year.
        hi: u32,
    },
    /// A series has no row for one of the table's bands.
    #[error(
        "{file}: the series ({series}) has no cell for the age band {band:?}; expected every band in every series"
    )]
    MissingCell {
        /// The table.
        file: String,
        /// The other dimensions' codes.
        series: String,
        /// The band.
        band: String,
    },
    /// Two rows with the same key.
    #[error("{file}:{place}: the key again; expected each key once")]
    Duplicate {
        /// The table.
        file: String,
        /// The second row (line or key).
        place: String,
    },
    /// A band without a number (missing, suppressed).
    #[error(
        "{file}:{place}: the cell is {status}; ungrouping needs a number in every band of the series"
    )]
    NoValue {
        /// The table.
        file: String,
        /// The row (line or key).
        place: String,
        /// Its status.
        status: Status,
    },
    /// A negative or non-finite count.
    #[error("{file}:{place}: the count {value}; expected a count of 0 or more")]
    BadCount {
        /// The table (empty for a bare series).
        file: String,
        /// The row, or `band N` for a bare series.
        place: String,
        /// The value.
        value: f64,
    },
    /// Counts and bands of different lengths, or no band at all.
    #[error("{count} counts for {bands} bands; expected one count per band, and at least one")]
    Length {
        /// Number of counts.
        count: usize,
        /// Number of bands.
        bands: usize,
    },
    /// An age that no band of a grouping holds ([`group_ages`]).
    #[error(
        "{file}: the age {code:?} is in none of the bands {bands}; expected bands that hold every age"
    )]
    OutsideBands {
        /// The table.
        file: String,
        /// The age category.
        code: String,
        /// The bands asked for.
        bands: String,
    },
    /// The iterations did not settle for any `λ` of the grid (or for the fixed one).
    #[error(
        "{file}: {series}: the PCLM iterations did not converge ({iterations} iterations, last change {change:e})"
    )]
    NotConverged {
        /// The table (empty for a bare series).
        file: String,
        /// The series (empty for a bare series).
        series: String,
        /// Iterations run.
        iterations: usize,
        /// The last largest change of a coefficient.
        change: f64,
    },
}

/// A PCLM fit of one series.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    /// The single ages, `bands[0].lo ..= bands[last].hi`.
    pub first_age: u32,
    /// Fitted expected counts per single age, before the rescaling to the band totals.
    pub gamma: Vec<f64>,
    /// Expected counts per single age, rescaled so that each band adds up to its count.
    pub counts: Vec<f64>,
    /// The `λ` used.
    pub lambda: f64,
    /// Effective dimension.
    pub ed: f64,
    /// Poisson deviance.
    pub deviance: f64,
    /// The criterion's value (BIC unless AIC was asked for).
    pub criterion: f64,
}

/// Checks that `bands` (in any order) tile one range of years without overlap or gap; returns
/// their order by first year.
fn check_tiling(
    bands: &[Band],
    name: &dyn Fn(usize) -> String,
    file: &str,
) -> Result<Vec<usize>, UngroupError> {
    let mut order: Vec<usize> = (0..bands.len()).collect();
    order.sort_by_key(|&i| (bands[i].lo, bands[i].hi));
    for (i, b) in bands.iter().enumerate() {
        if b.lo > b.hi {
            return Err(UngroupError::EmptyBand {
                file: file.into(),
                code: name(i),
                lo: b.lo,
                hi: b.hi,
            });
        }
    }
    for w in order.windows(2) {
        let (a, b) = (bands[w[0]], bands[w[1]]);
        if b.lo <= a.hi {
            return Err(UngroupError::Overlap {
                file: file.into(),
                first: name(w[0]),
                second: name(w[1]),
            });
        }
        if b.lo > a.hi + 1 {
            return Err(UngroupError::Gap {
                file: file.into(),
                before: name(w[0]),
                after: name(w[1]),
                lo: a.hi + 1,
                hi: b.lo - 1,
            });
        }
    }
    Ok(order)
}

/// Ungroups one series: `counts[i]` persons in `bands[i]` (any order, tiling one range of years).
///
/// # Errors
///
/// [`UngroupError::Length`], [`UngroupError::EmptyBand`], [`UngroupError::Overlap`],
/// [`UngroupError::Gap`], [`UngroupError::BadCount`] (negative or not finite), and
/// [`UngroupError::NotConverged`] when no `λ` gives a converged fit.
pub fn pclm(counts: &[f64], bands: &[Band], opts: &Options) -> Result<Fit, UngroupError> {
    if counts.len() != bands.len() || bands.is_empty() {
        return Err(UngroupError::Length {
            count: counts.len(),
            bands: bands.len(),
        });
    }
    let name = |i: usize| format!("{}-{}", bands[i].lo, bands[i].hi);
    let order = check_tiling(bands, &name, "")?;
    for (i, &y) in counts.iter().enumerate() {
        if !(y.is_finite() && y >= 0.0) {
            return Err(UngroupError::BadCount {
                file: String::new(),
                place: format!("band {}", name(i)),
                value: y,
            });
        }
    }
    let b: Vec<Band> = order.iter().map(|&i| bands[i]).collect();
    let y: Vec<f64> = order.iter().map(|&i| counts[i]).collect();
    let first = b[0].lo;
    let nages = (b[b.len() - 1].hi - first + 1) as usize;
    let spans: Vec<(usize, usize)> = b
        .iter()
        .map(|x| ((x.lo - first) as usize, (x.hi - first + 1) as usize))
        .collect();
    let total: f64 = y.iter().sum();
    let mut fit = if total == 0.0 || b.len() == 1 {
        let gamma: Vec<f64> = (0..nages).map(|_| total / nages as f64).collect();
        Fit {
            first_age: first,
            gamma,
            counts: Vec::new(),
            lambda: f64::INFINITY,
            ed: 1.0,
            deviance: 0.0,
            criterion: 0.0,
        }
    } else {
        let problem = Problem::new(&y, &spans, nages, opts.basis);
        problem.select(opts.smoothing)?
    };
    fit.first_age = first;
    fit.counts = rescale(&fit.gamma, &y, &spans);
    // Back to the caller's band order is not needed: the output is by single age.
    Ok(fit)
}

/// Rescales `gamma` within each band to the band's count.
fn rescale(gamma: &[f64], y: &[f64], spans: &[(usize, usize)]) -> Vec<f64> {
    let mut out = gamma.to_vec();
    for (&(s, e), &yi) in spans.iter().zip(y) {
        let mu: f64 = gamma[s..e].iter().sum();
        if yi == 0.0 {
            out[s..e].fill(0.0);
        } else if mu > 0.0 && mu.is_finite() {
            for v in &mut out[s..e] {
                *v *= yi / mu;
            }
        } else {
            out[s..e].fill(yi / (e - s) as f64);
        }
    }
    out
}

/// The grid of `λ`, largest first (warm starts go from smooth to rough).
fn lambda_grid() -> Vec<f64> {
    (0..=16)
        .rev()
        .map(|i| 10f64.powf(-2.0 + 0.5 * i as f64))
        .collect()
}

const MAX_ITER: usize = 200;
const TOL: f64 = 1e-9;

/// One row of the basis: its first non-zero column and the non-zero values.
struct BasisRow {
    start: usize,
    values: Vec<f64>,
}

/// One series' composite link problem.
struct Problem<'a> {
    y: &'a [f64],
    spans: &'a [(usize, usize)],
    /// Basis rows, one per single age.
    x: Vec<BasisRow>,
    /// Number of coefficients.
    k: usize,
    /// Non-zero columns `c0..c1` of each band's row of `Q`.
    cols: Vec<(usize, usize)>,
    /// Half-width of the band of `QᵀWQ + λDᵀD`.
    bw: usize,
}

/// The state at one `β`.
struct Eval {
    gamma: Vec<f64>,
    mu: Vec<f64>,
    /// `Q = C diag(γ) X`, `m × k` (zero outside each row's `cols`).
    q: Vec<f64>,
    deviance: f64,
}

impl<'a> Problem<'a> {
    fn new(y: &'a [f64], spans: &'a [(usize, usize)], nages: usize, basis: Basis) -> Self {
        let (x, k) = match basis {
            Basis::Identity => (
                (0..nages)
                    .map(|a| BasisRow {
                        start: a,
                        values: vec![1.0],
                    })
                    .collect(),
                nages,
            ),
            Basis::BSpline { knot_spacing } => bspline_basis(nages, knot_spacing.max(1)),
        };
        let cols = spans
            .iter()
            .map(|&(s, e)| {
                let c0 = (s..e).map(|a| x[a].start).min().unwrap_or(0);
                let c1 = (s..e)
                    .map(|a| x[a].start + x[a].values.len())
                    .max()
                    .unwrap_or(0);
                (c0, c1)
            })
            .collect::<Vec<_>>();
        let bw = cols
            .iter()
            .map(|&(c0, c1)| c1 - c0)
            .max()
            .unwrap_or(1)
            .max(3)
            - 1;
        Problem {
            y,
            spans,
            x,
            k,
            cols,
            bw,
        }
    }

    fn eval(&self, beta: &[f64]) -> Eval {
        let (k, m) = (self.k, self.y.len());
        let gamma: Vec<f64> = self
            .x
            .iter()
            .map(|row| {
                let eta: f64 = row
                    .values
                    .iter()
                    .zip(&beta[row.start..])
                    .map(|(v, b)| v * b)
                    .sum();
                eta.min(700.0).exp()
            })
            .collect();
        let mut mu = vec![0.0; m];
        let mut q = vec![0.0; m * k];
        for (i, &(s, e)) in self.spans.iter().enumerate() {
            for (g, row) in gamma[s..e].iter().zip(&self.x[s..e]) {
                mu[i] += g;
                for (j, v) in row.values.iter().enumerate() {
                    q[i * k + row.start + j] += g * v;
                }
            }
            mu[i] = mu[i].max(1e-300);
        }
        let deviance = self
            .y
            .iter()
            .zip(&mu)
            .map(|(&y, &m)| {
                let t = if y > 0.0 { y * (y / m).ln() } else { 0.0 };
                2.0 * (t - (y - m))
            })
            .sum();
        Eval {
            gamma,
            mu,
            q,
            deviance,
        }
    }

    /// `‖D β‖²`.
    fn penalty(&self, beta: &[f64]) -> f64 {
        beta.windows(3)
            .map(|w| (w[0] - 2.0 * w[1] + w[2]).powi(2))
            .sum()
    }

    /// `QᵀWQ + λ DᵀD`.
    fn system(&self, ev: &Eval, lambda: f64) -> Vec<f64> {
        let k = self.k;
        let mut a = vec![0.0; k * k];
        for (i, &(c0, c1)) in self.cols.iter().enumerate() {
            let w = 1.0 / ev.mu[i];
            let row = &ev.q[i * k..(i + 1) * k];
            for r in c0..c1 {
                let wr = w * row[r];
                for c in c0..c1 {
                    a[r * k + c] += wr * row[c];
                }
            }
        }
        if k > 2 {
            for r in 0..k - 2 {
                for (i, ci) in [1.0, -2.0, 1.0].iter().enumerate() {
                    for (j, cj) in [1.0, -2.0, 1.0].iter().enumerate() {
                        a[(r + i) * k + r + j] += lambda * ci * cj;
                    }
                }
            }
        }
        a
    }

    /// Fits at one `λ` from `beta` (updated in place); on failure, the iterations run and the last
    /// change.
    fn fit(&self, lambda: f64, beta: &mut Vec<f64>) -> Result<(Eval, Vec<f64>), (usize, f64)> {
        let k = self.k;
        let mut ev = self.eval(beta);
        let mut obj = ev.deviance + lambda * self.penalty(beta);
        let mut change = f64::INFINITY;
        for it in 0..MAX_ITER {
            let a = self.system(&ev, lambda);
            let mut rhs = vec![0.0; k];
            for (i, &(c0, c1)) in self.cols.iter().enumerate() {
                let row = &ev.q[i * k..(i + 1) * k];
                let qb: f64 = (c0..c1).map(|j| row[j] * beta[j]).sum();
                let z = (self.y[i] - ev.mu[i] + qb) / ev.mu[i];
                for j in c0..c1 {
                    rhs[j] += row[j] * z;
                }
            }
            let Some(l) = cholesky(&a, k, self.bw) else {
                return Err((it, change));
            };
            let target = chol_solve(&l, k, self.bw, &rhs);
            // Near the optimum the Newton step is taken as it is; further away, step halving on
            // the penalized deviance.
            let full = target
                .iter()
                .zip(beta.iter())
                .map(|(t, b)| (t - b).abs())
                .fold(0.0, f64::max);
            let mut step = 1.0;
            let mut accepted = None;
            for _ in 0..40 {
                let cand: Vec<f64> = beta
                    .iter()
                    .zip(&target)
                    .map(|(b, t)| b + step * (t - b))
                    .collect();
                let ce = self.eval(&cand);
                let cobj = ce.deviance + lambda * self.penalty(&cand);
                if cobj.is_finite() && (full < 1e-3 || cobj <= obj + 1e-11 * obj.abs().max(1.0)) {
                    accepted = Some((cand, ce, cobj));
                    break;
                }
                step *= 0.5;
            }
            let Some((cand, ce, cobj)) = accepted else {
                // No step lowers the objective: at the optimum, to rounding.
                return Ok((ev, l));
            };
            let last = change;
            change = step * full;
            let settled = (obj - cobj).abs() <= 1e-12 * (cobj.abs() + 0.1);
            *beta = cand;
            ev = ce;
            obj = cobj;
            // Converged; or at the floor the rounding of an ill-conditioned system sets (the
            // change no longer shrinks); or the penalized deviance has settled while β still
            // moves (a curve that falls towards 0 in bands of 0 has no finite optimum: the
            // objective's limit is reached, and the bands of 0 get 0 by the rescaling).
            if change < TOL || (change < 1e-6 && change > 0.5 * last) || settled {
                let a = self.system(&ev, lambda);
                return cholesky(&a, k, self.bw)
                    .map(|l| (ev, l))
                    .ok_or((it, change));
            }
        }
        Err((MAX_ITER, change))
    }

    /// Effective dimension `tr((QᵀWQ + λP)⁻¹ QᵀWQ) = Σ_i w_i ‖L⁻¹ q_i‖²`, with `L` the Cholesky
    /// factor of `QᵀWQ + λP`.
    fn effective_dimension(&self, ev: &Eval, l: &[f64]) -> f64 {
        let k = self.k;
        (0..self.y.len())
            .map(|i| {
                let row = &ev.q[i * k..(i + 1) * k];
                let mut z = vec![0.0; k];
                let mut s = 0.0;
                let c0 = self.cols[i].0;
                for r in c0..k {
                    let t: f64 = (c0.max(r.saturating_sub(self.bw))..r)
                        .map(|c| l[r * k + c] * z[c])
                        .sum();
                    z[r] = (row[r] - t) / l[r * k + r];
                    s += z[r] * z[r];
                }
                s / ev.mu[i]
            })
            .sum()
    }

    fn select(&self, smoothing: Smoothing) -> Result<Fit, UngroupError> {
        let total: f64 = self.y.iter().sum();
        // B-splines add up to 1, so a constant β is a flat curve.
        let mut beta = vec![(total / self.x.len() as f64).ln(); self.k];
        let (grid, criterion) = match smoothing {
            Smoothing::Fixed(l) => (vec![l], Criterion::Bic),
            Smoothing::Select(c) => (lambda_grid(), c),
        };
        let pen = match criterion {
            Criterion::Bic => (self.y.len() as f64).ln(),
            Criterion::Aic => 2.0,
        };
        let mut best: Option<Fit> = None;
        let mut last_fail = (0, f64::NAN);
        for &lambda in &grid {
            let mut b = beta.clone();
            match self.fit(lambda, &mut b) {
                Ok((ev, l)) => {
                    let ed = self.effective_dimension(&ev, &l);
                    let crit = ev.deviance + pen * ed;
                    beta = b;
                    // Largest λ first: a later λ must be strictly better.
                    if crit.is_finite() && best.as_ref().is_none_or(|f| crit < f.criterion) {
                        best = Some(Fit {
                            first_age: 0,
                            gamma: ev.gamma,
                            counts: Vec::new(),
                            lambda,
                            ed,
                            deviance: ev.deviance,
                            criterion: crit,
                        });
                    }
                }
                Err(f) => last_fail = f,
            }
        }
        best.ok_or(UngroupError::NotConverged {
            file: String::new(),
            series: String::new(),
            iterations: last_fail.0,
            change: last_fail.1,
        })
    }
}

/// Cubic B-splines at ages `0..n` (as points `0, 1, …`), knots every `spacing` years over
/// `[-0.5, n - 0.5]`: one row per age (its four non-zero values), and the number of columns.
fn bspline_basis(n: usize, spacing: u32) -> (Vec<BasisRow>, usize) {
    const DEG: usize = 3;
    let (xl, xr) = (-0.5, n as f64 - 0.5);
    let ndx = n.div_ceil(spacing as usize).max(1);
    let dx = (xr - xl) / ndx as f64;
    let k = ndx + DEG;
    let knots: Vec<f64> = (0..=ndx + 2 * DEG)
        .map(|j| xl + (j as f64 - DEG as f64) * dx)
        .collect();
    let rows = (0..n)
        .map(|a| {
            let x = a as f64;
            // Degree 0, then Cox–de Boor up to DEG.
            let mut nb: Vec<f64> = (0..knots.len() - 1)
                .map(|j| f64::from(u8::from(knots[j] <= x && x < knots[j + 1])))
                .collect();
            for d in 1..=DEG {
                nb = (0..knots.len() - 1 - d)
                    .map(|j| {
                        let l = (x - knots[j]) / (knots[j + d] - knots[j]) * nb[j];
                        let r =
                            (knots[j + d + 1] - x) / (knots[j + d + 1] - knots[j + 1]) * nb[j + 1];
                        l + r
                    })
                    .collect();
            }
            let start = nb[..k].iter().position(|&v| v != 0.0).unwrap_or(0);
            let end = k - nb[..k].iter().rev().position(|&v| v != 0.0).unwrap_or(0);
            BasisRow {
                start,
                values: nb[start..end.max(start)].to_vec(),
            }
        })
        .collect();
    (rows, k)
}

/// Lower Cholesky factor of the symmetric `n × n` band matrix `a` (row-major; zero more than
/// `bw` off the diagonal); `None` when it is not positive definite.
fn cholesky(a: &[f64], n: usize, bw: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        let j0 = i.saturating_sub(bw);
        for j in j0..=i {
            let s: f64 = (j0.max(j.saturating_sub(bw))..j)
                .map(|t| l[i * n + t] * l[j * n + t])
                .sum();
            if i == j {
                let d = a[i * n + i] - s;
                if d <= 0.0 || !d.is_finite() {
                    return None;
                }
                l[i * n + i] = d.sqrt();
            } else {
                l[i * n + j] = (a[i * n + j] - s) / l[j * n + j];
            }
        }
    }
    Some(l)
}

/// Solves `L Lᵀ x = b` for a band factor of half-width `bw`.
fn chol_solve(l: &[f64], n: usize, bw: usize, b: &[f64]) -> Vec<f64> {
    let mut z = vec![0.0; n];
    for i in 0..n {
        let s: f64 = (i.saturating_sub(bw)..i).map(|t| l[i * n + t] * z[t]).sum();
        z[i] = (b[i] - s) / l[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n.min(i + bw + 1))
            .map(|t| l[t * n + i] * x[t])
            .sum();
        x[i] = (z[i] - s) / l[i * n + i];
    }
    x
}

/// The age dimension of `t` and each category as a band (`None` for a total).
fn age_bands(t: &Table, opts: &Options) -> Result<(usize, Vec<Option<Band>>), UngroupError> {
    let file = &t.meta.origin;
    let ad = t
        .dims
        .iter()
        .position(|d| Concept::of(d) == Some(Concept::Age))
        .ok_or_else(|| UngroupError::NoAgeDimension {
            file: file.clone(),
            dims: t
                .dims
                .iter()
                .map(|d| d.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    let mut out = Vec::new();
    for cat in &t.dims[ad].categories {
        let parsed = cat
            .texts()
            .find_map(parse_age)
            .ok_or_else(|| UngroupError::UnknownAge {
                file: file.clone(),
                code: cat.code.clone(),
            })?;
        out.push(match parsed {
            AgeCode::Total => None,
            AgeCode::Single(a) => Some(Band { lo: a, hi: a }),
            AgeCode::Band { lo, hi } => Some(Band {
                lo: lo.unwrap_or(opts.min_age),
                hi: hi.unwrap_or(opts.max_age),
            }),
        });
    }
    Ok((ad, out))
}

/// Whether `t` has an age dimension with a category wider than one year (`20-24`, `65+`, `-29`).
/// A table without an age dimension, or with an age it cannot read, has none.
pub fn has_age_bands(t: &Table) -> bool {
    age_bands(t, &Options::default()).is_ok_and(|(_, b)| b.iter().flatten().any(|b| b.hi != b.lo))
}

/// One series of a table: its rows per band (in band order).
struct Series {
    key: Vec<u32>,
    rows: Vec<Option<usize>>,
}

/// Ungroups every series of `t` (every combination of the other dimensions' categories) from age
/// bands to single years with [`pclm`], and returns the table with single-year ages.
///
/// The age categories may mix single years and bands (`0`, `1-4`, `5-9`, …, `100+`); open bands end
/// at [`Options::max_age`] or start at [`Options::min_age`]; a total category (`totalt`) is kept
/// as it is. Every band is expanded in place (the output keeps the input's row order), into the
/// single years of its band; their cells have status [`Status::Estimated`] (a band published as a
/// true zero, [`Status::Zero`], gives true zeros), and add up to the band's count (see the module
/// doc). Single-year categories pass through unchanged. The table's notes say that it was
/// ungrouped, and how. A table without any band is returned unchanged.
///
/// # Errors
///
/// [`UngroupError::NoAgeDimension`], [`UngroupError::UnknownAge`], bands that overlap, leave a gap
/// or hold no year ([`UngroupError::Overlap`], [`UngroupError::Gap`],
/// [`UngroupError::EmptyBand`]), a series without a cell for a band
/// ([`UngroupError::MissingCell`]), a key twice ([`UngroupError::Duplicate`]), a band without a
/// number ([`UngroupError::NoValue`]: missing or suppressed cells are not guessed here), a
/// negative count ([`UngroupError::BadCount`]), and a series whose fit does not converge
/// ([`UngroupError::NotConverged`]). The first error in row order is returned.
pub fn ungroup_ages(t: &Table, opts: &Options) -> Result<Table, UngroupError> {
    use rayon::prelude::*;
    let file = t.meta.origin.clone();
    let (ad, cat_band) = age_bands(t, opts)?;
    if !cat_band.iter().flatten().any(|b| b.hi != b.lo) {
        return Ok(t.clone());
    }
    // The bands, by first year; the position of each age category among them.
    let cats = &t.dims[ad].categories;
    let band_cats: Vec<usize> = (0..cats.len()).filter(|&c| cat_band[c].is_some()).collect();
    let bands: Vec<Band> = band_cats.iter().filter_map(|&c| cat_band[c]).collect();
    let name = |i: usize| cats[band_cats[i]].code.clone();
    let order = check_tiling(&bands, &name, &file)?;
    let bands: Vec<Band> = order.iter().map(|&i| bands[i]).collect();
    let mut band_of_cat: Vec<Option<usize>> = vec![None; cats.len()];
    for (pos, &i) in order.iter().enumerate() {
        band_of_cat[band_cats[i]] = Some(pos);
    }
    let band_name = |pos: usize| cats[band_cats[order[pos]]].code.clone();

    // Series, in order of first appearance.
    let mut index: HashMap<Vec<u32>, usize> = HashMap::new();
    let mut series: Vec<Series> = Vec::new();
    for r in 0..t.len() {
        let Some(pos) = band_of_cat[t.keys[ad][r] as usize] else {
            continue;
        };
        let key: Vec<u32> = (0..t.dims.len())
            .filter(|&d| d != ad)
            .map(|d| t.keys[d][r])
            .collect();
        let s = *index.entry(key.clone()).or_insert_with(|| {
            series.push(Series {
                key,
                rows: vec![None; bands.len()],
            });
            series.len() - 1
        });
        if series[s].rows[pos].is_some() {
            return Err(UngroupError::Duplicate {
                file,
                place: t.row_place(r),
            });
        }
        series[s].rows[pos] = Some(r);
    }
    let series_text = |s: &Series| -> String {
        (0..t.dims.len())
            .filter(|&d| d != ad)
            .zip(&s.key)
            .map(|(d, &k)| format!("{}={}", t.dims[d].id, t.dims[d].categories[k as usize].code))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let counts = series_counts(t, &series, &series_text, &band_name)?;
    // The series fitted: each itself, or (pooling) the sums over the regions.
    let regional: Vec<usize> = (0..t.dims.len())
        .filter(|&d| d != ad)
        .enumerate()
        .filter(|&(_, d)| {
            opts.pool_regions
                && matches!(
                    Concept::of(&t.dims[d]),
                    Some(Concept::County | Concept::Municipality | Concept::HealthcareRegion)
                )
        })
        .map(|(i, _)| i)
        .collect();
    let (fit_of, pooled) = pool(&series, &counts, &regional);
    let fits: Vec<Result<Fit, UngroupError>> =
        pooled.par_iter().map(|y| pclm(y, &bands, opts)).collect();
    let fits: Vec<Result<Fit, UngroupError>> = if regional.is_empty() {
        fits
    } else {
        // Each series: the pooled shape, rescaled to its own band counts.
        let spans = band_spans(&bands);
        fit_of
            .iter()
            .zip(&counts)
            .map(|(&f, y)| {
                fits[f].clone().map(|mut fit| {
                    fit.counts = rescale(&fit.gamma, y, &spans);
                    fit
                })
            })
            .collect()
    };
    let mut fitted = Vec::with_capacity(fits.len());
    for (s, f) in series.iter().zip(fits) {
        fitted.push(f.map_err(|e| match e {
            UngroupError::NotConverged {
                iterations, change, ..
            } => UngroupError::NotConverged {
                file: file.clone(),
                series: series_text(s),
                iterations,
                change,
            },
            e => e,
        })?);
    }
    if opts.layers_follow_parents {
        follow_parents(t, ad, &bands, &series, &index, &counts, &mut fitted);
    }
    Ok(assemble(t, ad, &bands, &band_of_cat, &index, &fitted, opts))
}

/// Each band's years as a range of positions in a series of single years starting at the first
/// band's first year.
fn band_spans(bands: &[Band]) -> Vec<(usize, usize)> {
    bands
        .iter()
        .map(|b| {
            (
                (b.lo - bands[0].lo) as usize,
                (b.hi - bands[0].lo + 1) as usize,
            )
        })
        .collect()
}

/// Gives each specialist layer's series its parent's single-year shape within every band, rescaled
/// to the layer's own band counts (see [`Options::layers_follow_parents`]). Professions are told
/// by the table's profession dimension, its codes or published names resolved through the code
/// lists; a layer whose parent has no series in the table keeps its own fit.
fn follow_parents(
    t: &Table,
    ad: usize,
    bands: &[Band],
    series: &[Series],
    index: &HashMap<Vec<u32>, usize>,
    counts: &[Vec<f64>],
    fitted: &mut [Fit],
) {
    use crate::codes::{CodeLists, List, Lookup};
    let Some(pd) = (0..t.dims.len())
        .find(|&d| d != ad && Concept::of(&t.dims[d]) == Some(Concept::Profession))
    else {
        return;
    };
    // Position of the profession dimension in a series key (the key leaves out the age).
    let kp = if pd < ad { pd } else { pd - 1 };
    let lists = CodeLists::get();
    let cats = &t.dims[pd].categories;
    let code_of: Vec<Option<String>> = cats
        .iter()
        .map(|c| match lists.lookup(List::Professions, &c.code) {
            Lookup::Code(code) => Some(code),
            _ => None,
        })
        .collect();
    let parent_cat: Vec<Option<u32>> = code_of
        .iter()
        .map(|code| {
            let parent = lists.profession(code.as_deref()?)?.layer_of.as_deref()?;
            code_of
                .iter()
                .position(|c| c.as_deref() == Some(parent))
                .map(|i| i as u32)
        })
        .collect();
    let spans = band_spans(bands);
    for (i, s) in series.iter().enumerate() {
        let Some(parent) = parent_cat[s.key[kp] as usize] else {
            continue;
        };
        let mut key = s.key.clone();
        key[kp] = parent;
        if let Some(&q) = index.get(&key) {
            let shape = fitted[q].counts.clone();
            fitted[i].counts = rescale(&shape, &counts[i], &spans);
        }
    }
}

/// Groups the series by their key without the dimensions at `drop` (positions in the series
/// key): for each series the index of its group, and each group's summed counts. Without
/// dimensions to drop, every series is its own group.
fn pool(series: &[Series], counts: &[Vec<f64>], drop: &[usize]) -> (Vec<usize>, Vec<Vec<f64>>) {
    if drop.is_empty() {
        return ((0..series.len()).collect(), counts.to_vec());
    }
    let mut at: HashMap<Vec<u32>, usize> = HashMap::new();
    let mut sums: Vec<Vec<f64>> = Vec::new();
    let mut of = Vec::with_capacity(series.len());
    for (s, y) in series.iter().zip(counts) {
        let key: Vec<u32> = s
            .key
            .iter()
            .enumerate()
            .filter(|(i, _)| !drop.contains(i))
            .map(|(_, &k)| k)
            .collect();
        let g = *at.entry(key).or_insert_with(|| {
            sums.push(vec![0.0; y.len()]);
            sums.len() - 1
        });
        for (a, b) in sums[g].iter_mut().zip(y) {
            *a += b;
        }
        of.push(g);
    }
    (of, sums)
}

/// The counts of every band of every series: each must be there, with a number of 0 or more.
fn series_counts(
    t: &Table,
    series: &[Series],
    series_text: &dyn Fn(&Series) -> String,
    band_name: &dyn Fn(usize) -> String,
) -> Result<Vec<Vec<f64>>, UngroupError> {
    let file = &t.meta.origin;
    let mut counts = Vec::with_capacity(series.len());
    for s in series {
        let mut y = Vec::with_capacity(s.rows.len());
        for (pos, row) in s.rows.iter().enumerate() {
            let Some(r) = *row else {
                return Err(UngroupError::MissingCell {
                    file: file.clone(),
                    series: series_text(s),
                    band: band_name(pos),
                });
            };
            let Some(v) = t.value(r) else {
                return Err(UngroupError::NoValue {
                    file: file.clone(),
                    place: t.row_place(r),
                    status: t.status[r],
                });
            };
            if !(v.is_finite() && v >= 0.0) {
                return Err(UngroupError::BadCount {
                    file: file.clone(),
                    place: t.row_place(r),
                    value: v,
                });
            }
            y.push(v);
        }
        counts.push(y);
    }
    Ok(counts)
}

/// The output table: single years in place of each band row.
fn assemble(
    t: &Table,
    ad: usize,
    bands: &[Band],
    band_of_cat: &[Option<usize>],
    index: &HashMap<Vec<u32>, usize>,
    fits: &[Fit],
    opts: &Options,
) -> Table {
    let cats = &t.dims[ad].categories;
    let (first, last) = (bands[0].lo, bands[bands.len() - 1].hi);
    // New categories: the single years, then the totals in their order.
    let mut new_cats: Vec<Category> = (first..=last)
        .map(|a| Category::code(a.to_string()))
        .collect();
    let mut total_at: Vec<Option<u32>> = vec![None; cats.len()];
    for (c, cat) in cats.iter().enumerate() {
        if band_of_cat[c].is_none() {
            total_at[c] = Some(new_cats.len() as u32);
            new_cats.push(cat.clone());
        }
    }
    let old = &t.dims[ad];
    let elimination = match old.elimination.clone() {
        Some(Elimination::Total(i)) => total_at
            .get(i)
            .copied()
            .flatten()
            .map(|n| Elimination::Total(n as usize)),
        e => e,
    };
    let mut dims = t.dims.clone();
    dims[ad] = Dimension {
        categories: new_cats,
        elimination,
        ..old.clone()
    };
    let mut meta = t.meta.clone();
    meta.notes.push(method_note(bands, first, last, opts));
    meta.age_bands = bands.iter().map(|b| (b.lo, b.hi)).collect();
    let mut out = Table::new(meta, dims);
    let with_lines = t.lines.len() == t.len();
    let mut key = vec![0u32; t.dims.len()];
    for r in 0..t.len() {
        for (d, k) in key.iter_mut().enumerate() {
            *k = t.keys[d][r];
        }
        let cat = t.keys[ad][r] as usize;
        let Some(pos) = band_of_cat[cat] else {
            key[ad] = total_at[cat].unwrap_or(0);
            out.push(&key, t.values[r], t.status[r], t.symbols[r]);
            if with_lines {
                out.lines.push(t.lines[r]);
            }
            continue;
        };
        let b = bands[pos];
        let skey: Vec<u32> = (0..t.dims.len())
            .filter(|&d| d != ad)
            .map(|d| t.keys[d][r])
            .collect();
        let fit = &fits[index[&skey]];
        for a in b.lo..=b.hi {
            key[ad] = a - first;
            let (v, st, sym) = if b.width() == 1 {
                (t.values[r], t.status[r], t.symbols[r])
            } else if t.status[r] == Status::Zero {
                (0.0, Status::Zero, t.symbols[r])
            } else {
                (
                    fit.counts[(a - fit.first_age) as usize],
                    Status::Estimated,
                    0,
                )
            };
            out.push(&key, v, st, sym);
            if with_lines {
                out.lines.push(t.lines[r]);
            }
        }
    }
    out
}

/// The note an ungrouped table carries: which bands, how.
fn method_note(bands: &[Band], first: u32, last: u32, opts: &Options) -> String {
    let codes: Vec<String> = bands
        .iter()
        .filter(|b| b.hi != b.lo)
        .map(|b| format!("{}-{}", b.lo, b.hi))
        .collect();
    let basis = match opts.basis {
        Basis::BSpline { knot_spacing } => {
            format!("cubic B-splines, a knot every {knot_spacing} years")
        }
        Basis::Identity => "one coefficient per year".into(),
    };
    let lambda = match opts.smoothing {
        Smoothing::Select(Criterion::Bic) => "BIC".to_string(),
        Smoothing::Select(Criterion::Aic) => "AIC".to_string(),
        Smoothing::Fixed(l) => format!("a fixed value {l}"),
    };
    format!(
        "Ages ungrouped from the bands {} to single years {first}–{last} by the penalized composite link model (Rizzi, Gampe & Eilers 2015; {basis}, λ by {lambda}); the band totals are kept, the single years are estimated.",
        codes.join(", ")
    )
}

/// The code of a band: `20-24`, `34` for one year, `65+` for an open last band.
fn band_code(b: Band, open: bool) -> String {
    if open {
        format!("{}+", b.lo)
    } else if b.lo == b.hi {
        b.lo.to_string()
    } else {
        format!("{}-{}", b.lo, b.hi)
    }
}

/// Sums the single-year ages of `t` into `bands` (the inverse of [`ungroup_ages`]), per series; the
/// last band is coded as open (`65+`) when `open_last` is set. A total age category is kept. A band
/// takes the status of its cells: [`Status::Zero`] when all are true zeros, the first missing or
/// suppressed status when one lacks a number (its value `NaN`), [`Status::Estimated`] when one is
/// estimated, else [`Status::Observed`]. Rows keep the order of each band's first cell.
///
/// # Errors
///
/// [`UngroupError::NoAgeDimension`], [`UngroupError::UnknownAge`], bands that overlap or leave a
/// gap, and [`UngroupError::OutsideBands`] for an age no band holds (a band in the input included).
pub fn group_ages(t: &Table, bands: &[Band], open_last: bool) -> Result<Table, UngroupError> {
    let file = t.meta.origin.clone();
    let (ad, cat_band) = age_bands(t, &Options::default())?;
    let order = check_tiling(bands, &|i| band_code(bands[i], false), &file)?;
    let bands: Vec<Band> = order.iter().map(|&i| bands[i]).collect();
    let cats = &t.dims[ad].categories;
    let all = bands
        .iter()
        .map(|&b| band_code(b, false))
        .collect::<Vec<_>>()
        .join(", ");
    // New index of each old category: its band, or its place among the totals after the bands.
    let mut new_cats: Vec<Category> = bands
        .iter()
        .enumerate()
        .map(|(i, &b)| Category::code(band_code(b, open_last && i + 1 == bands.len())))
        .collect();
    let mut to_new = Vec::with_capacity(cats.len());
    for (c, cb) in cat_band.iter().enumerate() {
        to_new.push(match cb {
            None => {
                new_cats.push(cats[c].clone());
                new_cats.len() - 1
            }
            Some(x) => bands
                .iter()
                .position(|b| b.lo <= x.lo && x.hi <= b.hi)
                .ok_or_else(|| UngroupError::OutsideBands {
                    file: file.clone(),
                    code: cats[c].code.clone(),
                    bands: all.clone(),
                })?,
        });
    }
    let mut dims = t.dims.clone();
    dims[ad] = Dimension {
        categories: new_cats,
        elimination: match t.dims[ad].elimination.clone() {
            Some(Elimination::Total(i)) => to_new.get(i).map(|&n| Elimination::Total(n)),
            e => e,
        },
        ..t.dims[ad].clone()
    };
    let mut out = Table::new(t.meta.clone(), dims);
    let mut at: HashMap<Vec<u32>, usize> = HashMap::new();
    let mut cells: Vec<(Vec<u32>, f64, Status)> = Vec::new();
    for r in 0..t.len() {
        let mut key: Vec<u32> = (0..t.dims.len()).map(|d| t.keys[d][r]).collect();
        key[ad] = to_new[key[ad] as usize] as u32;
        let i = *at.entry(key.clone()).or_insert_with(|| {
            cells.push((key, 0.0, Status::Zero));
            cells.len() - 1
        });
        let cell = &mut cells[i];
        let st = t.status[r];
        cell.2 = match (cell.2, st) {
            (Status::Missing | Status::Suppressed, _) => cell.2,
            (_, Status::Missing | Status::Suppressed) => st,
            (Status::Estimated, _) | (_, Status::Estimated) => Status::Estimated,
            (Status::Zero, Status::Zero) => Status::Zero,
            _ => Status::Observed,
        };
        cell.1 += t.value(r).unwrap_or(0.0);
    }
    for (key, v, st) in cells {
        out.push(&key, v, st, 0);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::TableMeta;

    fn bands(v: &[(u32, u32)]) -> Vec<Band> {
        v.iter().map(|&(lo, hi)| Band { lo, hi }).collect()
    }

    fn band_sums(fit: &Fit, b: &[Band]) -> Vec<f64> {
        b.iter()
            .map(|x| {
                fit.counts[(x.lo - fit.first_age) as usize..=(x.hi - fit.first_age) as usize]
                    .iter()
                    .sum()
            })
            .collect()
    }

    #[test]
    fn age_codes_as_published() {
        use AgeCode::*;
        let open_top = |lo| Band {
            lo: Some(lo),
            hi: None,
        };
        let band = |lo, hi| Band {
            lo: Some(lo),
            hi: Some(hi),
        };
        for (code, want) in [
            ("34", Some(Single(34))),
            ("34 år", Some(Single(34))),
            ("0 år", Some(Single(0))),
            (" 7 years", Some(Single(7))),
            ("20-24", Some(band(20, 24))),
            ("20–24 år", Some(band(20, 24))),
            ("20 - 24", Some(band(20, 24))),
            ("30-30", Some(Single(30))),
            ("65+", Some(open_top(65))),
            ("100+ år", Some(open_top(100))),
            ("65-", Some(open_top(65))),
            ("65 och äldre", Some(open_top(65))),
            ("65 and over", Some(open_top(65))),
            (
                "-29",
                Some(Band {
                    lo: None,
                    hi: Some(29),
                }),
            ),
            (
                "under 30",
                Some(Band {
                    lo: None,
                    hi: Some(29),
                }),
            ),
            ("Totalt", Some(Total)),
            ("tot", Some(Total)),
            ("121", None),
            ("20-130", None),
            ("tjugo", None),
            ("", None),
        ] {
            assert_eq!(parse_age(code), want, "{code:?}");
        }
    }

    #[test]
    fn flat_bands_give_a_flat_curve_at_every_lambda() {
        let b = bands(&[(20, 24), (25, 29), (30, 34)]);
        for smoothing in [
            Smoothing::default(),
            Smoothing::Select(Criterion::Aic),
            Smoothing::Fixed(0.01),
            Smoothing::Fixed(1e6),
        ] {
            for basis in [Basis::default(), Basis::Identity] {
                let opts = Options {
                    smoothing,
                    basis,
                    ..Options::default()
                };
                let fit = pclm(&[50.0, 50.0, 50.0], &b, &opts).unwrap();
                assert_eq!(fit.counts.len(), 15);
                for v in &fit.counts {
                    assert!((v - 10.0).abs() < 1e-9, "{v} {smoothing:?} {basis:?}");
                }
            }
        }
    }

    #[test]
    fn an_exponential_curve_is_reproduced_exactly() {
        // Bands summed from γ_a = exp(2 + 0.1·(a − 20)): that curve has deviance 0 and penalty 0,
        // so it is the optimum for every λ.
        let b = bands(&[(20, 29), (30, 34), (35, 49), (50, 50), (51, 64)]);
        let g = |a: u32| (2.0 + 0.1 * (f64::from(a) - 20.0)).exp();
        let y: Vec<f64> = b.iter().map(|x| (x.lo..=x.hi).map(g).sum()).collect();
        let fit = pclm(&y, &b, &Options::default()).unwrap();
        for a in 20..=64 {
            let got = fit.counts[(a - 20) as usize];
            assert!(
                (got / g(a) - 1.0).abs() < 1e-6,
                "age {a}: {got} vs {}",
                g(a)
            );
        }
    }

    #[test]
    fn a_huge_lambda_gives_the_penalty_null_space() {
        // A hump is not exponential; with λ → ∞ log γ is a straight line, and that line is the
        // grouped-Poisson maximum likelihood fit of γ = exp(a + b·age): its score equations hold.
        let b = bands(&[(20, 24), (25, 29), (30, 34), (35, 39), (40, 44), (45, 49)]);
        let y = [100.0, 400.0, 900.0, 700.0, 300.0, 80.0];
        let opts = Options {
            smoothing: Smoothing::Fixed(1e10),
            ..Options::default()
        };
        let fit = pclm(&y, &b, &opts).unwrap();
        let lg: Vec<f64> = fit.gamma.iter().map(|g| g.ln()).collect();
        for w in lg.windows(3) {
            assert!((w[0] - 2.0 * w[1] + w[2]).abs() < 1e-5, "{w:?}");
        }
        let (mut s0, mut s1) = (0.0, 0.0);
        for (i, x) in b.iter().enumerate() {
            let ages = (x.lo..=x.hi).map(|a| (f64::from(a), fit.gamma[(a - 20) as usize]));
            let mu: f64 = ages.clone().map(|(_, g)| g).sum();
            let xm: f64 = ages.map(|(a, g)| a * g).sum();
            s0 += y[i] - mu;
            s1 += (y[i] / mu - 1.0) * xm;
        }
        // Relative to Σy and Σy·age (≈ 2 480 and 87 000).
        let n: f64 = y.iter().sum();
        assert!(
            s0.abs() < 1e-6 * n && s1.abs() < 1e-6 * n * 35.0,
            "scores {s0} {s1}"
        );
    }

    #[test]
    fn every_band_total_is_kept() {
        let b = bands(&[
            (0, 0),
            (1, 4),
            (5, 9),
            (10, 19),
            (20, 39),
            (40, 64),
            (65, 100),
        ]);
        let y = [110.0, 480.0, 590.0, 1210.0, 2600.0, 3100.0, 1800.0];
        for opts in [
            Options::default(),
            Options {
                basis: Basis::Identity,
                ..Options::default()
            },
        ] {
            let fit = pclm(&y, &b, &opts).unwrap();
            assert_eq!(fit.counts.len(), 101);
            for (got, want) in band_sums(&fit, &b).iter().zip(y) {
                assert!((got - want).abs() <= 1e-9 * want, "{got} vs {want}");
            }
            assert!(fit.counts.iter().all(|&v| v > 0.0));
        }
    }

    #[test]
    fn zero_bands_and_single_bands() {
        let b = bands(&[(20, 24), (25, 29), (30, 34)]);
        let fit = pclm(&[0.0, 30.0, 0.0], &b, &Options::default()).unwrap();
        assert!(
            fit.counts[..5]
                .iter()
                .chain(&fit.counts[10..])
                .all(|&v| v == 0.0)
        );
        assert!((fit.counts[5..10].iter().sum::<f64>() - 30.0).abs() < 1e-12);
        let fit = pclm(&[0.0; 3], &b, &Options::default()).unwrap();
        assert!(fit.counts.iter().all(|&v| v == 0.0));
        // One band: nothing to borrow a shape from, spread evenly.
        let fit = pclm(&[50.0], &bands(&[(20, 24)]), &Options::default()).unwrap();
        assert_eq!(fit.counts, vec![10.0; 5]);
    }

    #[test]
    fn bad_series_are_refused() {
        let o = Options::default();
        let e = pclm(&[1.0, 2.0], &bands(&[(20, 24), (24, 29)]), &o).unwrap_err();
        assert!(
            matches!(e, UngroupError::Overlap { ref first, ref second, .. } if first == "20-24" && second == "24-29"),
            "{e}"
        );
        let e = pclm(&[1.0, 2.0], &bands(&[(30, 34), (20, 24)]), &o).unwrap_err();
        assert!(matches!(e, UngroupError::Gap { lo: 25, hi: 29, .. }), "{e}");
        let e = pclm(&[1.0, -2.0], &bands(&[(20, 24), (25, 29)]), &o).unwrap_err();
        assert!(
            matches!(e, UngroupError::BadCount { value, .. } if value == -2.0),
            "{e}"
        );
        let e = pclm(&[1.0, f64::NAN], &bands(&[(20, 24), (25, 29)]), &o).unwrap_err();
        assert!(matches!(e, UngroupError::BadCount { .. }), "{e}");
        let e = pclm(&[1.0], &bands(&[(30, 20)]), &o).unwrap_err();
        assert!(
            matches!(e, UngroupError::EmptyBand { lo: 30, hi: 20, .. }),
            "{e}"
        );
        let e = pclm(&[1.0], &bands(&[(20, 24), (25, 29)]), &o).unwrap_err();
        assert_eq!(e, UngroupError::Length { count: 1, bands: 2 });
        assert!(matches!(
            pclm(&[], &[], &o),
            Err(UngroupError::Length { .. })
        ));
    }

    /// A table `sex × age × year` with these age codes and, per row, value and status.
    fn table(ages: &[&str], cells: &[(u32, u32, f64, Status)]) -> Table {
        let meta = TableMeta {
            origin: "bands.csv".into(),
            ..TableMeta::default()
        };
        let mut t = Table::new(
            meta,
            vec![
                Dimension::from_codes("kön", ["1", "2"]),
                Dimension::from_codes("ålder", ages.iter().copied()),
                Dimension::from_codes("år", ["2023"]),
            ],
        );
        for (i, &(s, a, v, st)) in cells.iter().enumerate() {
            t.push(&[s, a, 0], v, st, 0);
            t.lines.push(i as u32 + 2);
        }
        t
    }

    #[test]
    fn a_table_is_ungrouped_series_by_series() {
        let ages = ["20-24", "25-29", "30+", "totalt"];
        let obs = Status::Observed;
        let t = table(
            &ages,
            &[
                (0, 0, 100.0, obs),
                (0, 1, 300.0, obs),
                (0, 2, 200.0, obs),
                (0, 3, 600.0, obs),
                (1, 2, 900.0, obs),
                (1, 1, 700.0, obs),
                (1, 0, 0.0, Status::Zero),
            ],
        );
        let opts = Options {
            max_age: 34,
            ..Options::default()
        };
        let out = ungroup_ages(&t, &opts).unwrap();
        let age = &out.dims[1];
        let codes: Vec<&str> = age.categories.iter().map(|c| c.code.as_str()).collect();
        let mut want: Vec<String> = (20..=34).map(|a| a.to_string()).collect();
        want.push("totalt".into());
        assert_eq!(codes, want);
        // 3 bands of 5 years per sex, and the total row.
        assert_eq!(out.len(), 31);
        assert_eq!(out.lines.len(), 31);
        // Each band of each series adds up to its count; rows stay in the input's order.
        for (s, lo, total, line) in [
            (0, 20, 100.0, 2),
            (0, 25, 300.0, 3),
            (0, 30, 200.0, 4),
            (1, 30, 900.0, 6),
            (1, 25, 700.0, 7),
            (1, 20, 0.0, 8),
        ] {
            let rows: Vec<usize> = (0..out.len())
                .filter(|&r| {
                    out.keys[0][r] == s
                        && (lo..lo + 5).contains(&(out.code(1, r).parse::<u32>().unwrap_or(0)))
                })
                .collect();
            assert_eq!(rows.len(), 5);
            assert!(rows.iter().all(|&r| out.lines[r] == line));
            let sum: f64 = rows.iter().map(|&r| out.values[r]).sum();
            assert!((sum - total).abs() <= 1e-9 * total, "{s} {lo}: {sum}");
            let st = if total == 0.0 {
                Status::Zero
            } else {
                Status::Estimated
            };
            assert!(rows.iter().all(|&r| out.status[r] == st));
        }
        let total_row = (0..out.len())
            .find(|&r| out.code(1, r) == "totalt")
            .unwrap();
        assert_eq!((out.values[total_row], out.status[total_row]), (600.0, obs));
        assert!(
            out.meta
                .notes
                .last()
                .unwrap()
                .contains("20-24, 25-29, 30-34")
        );
        assert!(has_age_bands(&t) && !has_age_bands(&out));
        // Single years pass through untouched.
        assert_eq!(ungroup_ages(&out, &opts).unwrap(), out);
    }

    #[test]
    fn bad_tables_are_refused_with_their_place() {
        let obs = Status::Observed;
        let o = Options::default();
        let full = |t: &mut Vec<(u32, u32, f64, Status)>| {
            for s in 0..2 {
                for a in 0..2 {
                    t.push((s, a, 10.0, obs));
                }
            }
        };
        let mut cells = Vec::new();
        full(&mut cells);
        cells.pop();
        let e = ungroup_ages(&table(&["20-24", "25-29"], &cells), &o).unwrap_err();
        assert!(
            matches!(e, UngroupError::MissingCell { ref series, ref band, .. } if series == "kön=2, år=2023" && band == "25-29"),
            "{e}"
        );
        let mut cells = Vec::new();
        full(&mut cells);
        cells[2].3 = Status::Suppressed;
        let e = ungroup_ages(&table(&["20-24", "25-29"], &cells), &o).unwrap_err();
        assert_eq!(
            e,
            UngroupError::NoValue {
                file: "bands.csv".into(),
                place: "4".into(),
                status: Status::Suppressed
            }
        );
        let mut cells = Vec::new();
        full(&mut cells);
        cells[1].2 = -1.0;
        let e = ungroup_ages(&table(&["20-24", "25-29"], &cells), &o).unwrap_err();
        assert!(
            matches!(e, UngroupError::BadCount { ref place, .. } if place == "3"),
            "{e}"
        );
        let mut cells = Vec::new();
        full(&mut cells);
        cells.push((0, 0, 5.0, obs));
        let e = ungroup_ages(&table(&["20-24", "25-29"], &cells), &o).unwrap_err();
        assert!(
            matches!(e, UngroupError::Duplicate { ref place, .. } if place == "6"),
            "{e}"
        );
        let e = ungroup_ages(&table(&["20-24", "fel"], &[]), &o).unwrap_err();
        assert!(
            matches!(e, UngroupError::UnknownAge { ref code, .. } if code == "fel"),
            "{e}"
        );
        let e = ungroup_ages(&table(&["20-29", "25-29"], &[]), &o).unwrap_err();
        assert!(matches!(e, UngroupError::Overlap { .. }), "{e}");
        let e = ungroup_ages(&table(&["-29", "40+"], &[]), &o).unwrap_err();
        assert!(matches!(e, UngroupError::Gap { lo: 30, hi: 39, .. }), "{e}");
        let e = ungroup_ages(&table(&["-29", "150+"], &[]), &o).unwrap_err();
        assert!(matches!(e, UngroupError::UnknownAge { .. }), "{e}");
        let e = ungroup_ages(
            &table(&["20-29", "101+"], &[]),
            &Options { max_age: 100, ..o },
        )
        .unwrap_err();
        assert!(
            matches!(
                e,
                UngroupError::EmptyBand {
                    lo: 101,
                    hi: 100,
                    ..
                }
            ),
            "{e}"
        );
    }

    #[test]
    fn open_first_band_starts_at_min_age() {
        let t = table(
            &["-24", "25-29", "30+"],
            &[
                (0, 0, 50.0, Status::Observed),
                (0, 1, 80.0, Status::Observed),
                (0, 2, 60.0, Status::Observed),
            ],
        );
        let out = ungroup_ages(
            &t,
            &Options {
                max_age: 39,
                ..Options::workforce()
            },
        )
        .unwrap();
        assert_eq!(out.dims[1].categories.first().unwrap().code, "20");
        assert_eq!(out.dims[1].categories.last().unwrap().code, "39");
        assert_eq!(out.len(), 20);
    }

    #[test]
    fn matches_a_second_method() {
        // scripts/pclm_reference.py: the same model fitted with numpy (truncated-power B-splines,
        // augmented least squares).
        let text = include_str!("../../tests/fixtures/ungroup/pclm_reference.json");
        let doc: serde_json::Value = serde_json::from_str(text).unwrap();
        for case in doc["cases"].as_array().unwrap() {
            let name = case["name"].as_str().unwrap();
            let b: Vec<Band> = case["bands"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| Band {
                    lo: x[0].as_u64().unwrap() as u32,
                    hi: x[1].as_u64().unwrap() as u32,
                })
                .collect();
            let y: Vec<f64> = case["counts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect();
            let nums = |v: &serde_json::Value| -> Vec<f64> {
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_f64().unwrap())
                    .collect()
            };
            let close = |a: f64, b: f64, tol: f64| (a - b).abs() <= tol * b.abs().max(1e-3);
            let fixed = pclm(
                &y,
                &b,
                &Options {
                    smoothing: Smoothing::Fixed(1.0),
                    ..Options::default()
                },
            )
            .unwrap();
            for (g, r) in fixed.gamma.iter().zip(nums(&case["lambda_1"]["gamma"])) {
                assert!(close(*g, r, 1e-6), "{name}: λ=1 γ {g} vs {r}");
            }
            assert!(close(
                fixed.ed,
                case["lambda_1"]["ed"].as_f64().unwrap(),
                1e-6
            ));
            let fit = pclm(&y, &b, &Options::default()).unwrap();
            let want = &case["bic"];
            assert_eq!(fit.lambda, want["lambda"].as_f64().unwrap(), "{name}");
            assert!(close(fit.ed, want["ed"].as_f64().unwrap(), 1e-6), "{name}");
            for (g, r) in fit.counts.iter().zip(nums(&want["counts"])) {
                assert!(close(*g, r, 1e-6), "{name}: {g} vs {r}");
            }
        }
    }

    #[test]
    fn real_population_in_five_year_bands() {
        // SCB's population by county, marital status, age 0–100+ and sex, 2004–2005 (a PX-Web
        // example table, tests/fixtures/px): grouped to 0-4 … 95-99, 100+ and ungrouped again.
        let bytes = include_bytes!("../../tests/fixtures/px/Population__BE0101A1.px");
        let t = crate::ingest::read_bytes(std::path::Path::new("BE0101A1.px"), bytes).unwrap();
        let five: Vec<Band> = (0..100)
            .step_by(5)
            .map(|lo| Band { lo, hi: lo + 4 })
            .chain([Band { lo: 100, hi: 100 }])
            .collect();
        let banded = group_ages(&t, &five, true).unwrap();
        assert_eq!(banded.len(), t.len() / 101 * 21);
        let out = ungroup_ages(&banded, &Options::default()).unwrap();
        assert_eq!(out.len(), t.len());
        // Every band of every series is kept.
        let again = group_ages(&out, &five, true).unwrap();
        assert_eq!(again.keys, banded.keys);
        for (a, b) in again.values.iter().zip(&banded.values) {
            assert!((a - b).abs() <= 1e-9 * b.max(1.0), "{a} vs {b}");
        }
        // Accuracy against the published single years, beside the naive even spread within each
        // band: the national count per age 0–99 (summed over counties, marital status and sex),
        // and every cell.
        let ad = t.dim_index("age").unwrap();
        let age =
            |t: &Table, r: usize| -> usize { t.code(ad, r).trim_end_matches('+').parse().unwrap() };
        let mut truth: HashMap<String, f64> = HashMap::new();
        let mut nat = vec![[0.0; 3]; 101];
        for r in 0..t.len() {
            truth.insert(t.key_text(r).replace('+', ""), t.values[r]);
            nat[age(&t, r)][0] += t.values[r];
        }
        let (mut cell_pclm, mut cell_even, mut total) = (0.0, 0.0, 0.0);
        for r in 0..banded.len() {
            let lo = five
                .iter()
                .find(|b| band_code(**b, b.lo == 100) == banded.code(ad, r))
                .unwrap()
                .lo;
            let w = if lo == 100 { 1.0 } else { 5.0 };
            for a in lo..lo + w as u32 {
                let key = banded
                    .key_text(r)
                    .replace(&format!("age={}", banded.code(ad, r)), &format!("age={a}"));
                let even = banded.values[r] / w;
                cell_even += (even - truth[&key]).abs();
                nat[a as usize][2] += even;
                total += truth[&key];
            }
        }
        for r in 0..out.len() {
            let v = truth[&out.key_text(r)];
            cell_pclm += (out.values[r] - v).abs();
            nat[age(&out, r)][1] += out.values[r];
        }
        let rel = |k: usize, ages: std::ops::Range<usize>| -> (f64, f64) {
            let e: Vec<f64> = ages.map(|a| (nat[a][k] / nat[a][0] - 1.0).abs()).collect();
            (
                e.iter().copied().fold(0.0, f64::max),
                e.iter().sum::<f64>() / e.len() as f64,
            )
        };
        let (p_max, p_mean) = rel(1, 0..100);
        let (e_max, e_mean) = rel(2, 0..100);
        let (p_in, _) = rel(1, 0..95);
        println!(
            "BE0101A1 in 5-year bands, ungrouped: national by age 0-99 max {p_max:.4} mean {p_mean:.4} \
             (0-94: max {p_in:.4}); even spread max {e_max:.4} mean {e_mean:.4}; cells Σ|Δ|/Σ {:.4} \
             (even spread {:.4})",
            cell_pclm / total,
            cell_even / total
        );
        assert!(
            p_mean < e_mean && cell_pclm < cell_even,
            "the PCLM beats an even spread"
        );
        // Regression bounds a little above what was measured (0.031, 0.098, 0.034).
        assert!(p_mean < 0.035 && p_in < 0.11 && cell_pclm / total < 0.04);
    }

    #[test]
    fn grouping_sums_bands_and_keeps_what_is_unknown() {
        let obs = Status::Observed;
        let t = table(
            &["20", "21", "22", "23", "totalt"],
            &[
                (0, 0, 1.0, obs),
                (0, 1, 2.0, obs),
                (0, 2, 0.0, Status::Zero),
                (0, 3, 0.0, Status::Zero),
                (1, 0, 5.0, obs),
                (1, 1, f64::NAN, Status::Suppressed),
                (1, 2, 4.0, Status::Estimated),
                (1, 3, 1.0, obs),
                (1, 4, 10.0, obs),
            ],
        );
        let b = bands(&[(20, 21), (22, 23)]);
        let g = group_ages(&t, &b, true).unwrap();
        let codes: Vec<&str> = g.dims[1]
            .categories
            .iter()
            .map(|c| c.code.as_str())
            .collect();
        assert_eq!(codes, ["20-21", "22+", "totalt"]);
        let cells: Vec<(String, Option<f64>, Status)> = (0..g.len())
            .map(|r| (g.key_text(r), g.value(r), g.status[r]))
            .collect();
        let row = |k: &str, v: Option<f64>, st| (k.to_string(), v, st);
        assert_eq!(
            cells,
            [
                row("kön=1, ålder=20-21, år=2023", Some(3.0), obs),
                row("kön=1, ålder=22+, år=2023", Some(0.0), Status::Zero),
                row("kön=2, ålder=20-21, år=2023", None, Status::Suppressed),
                row("kön=2, ålder=22+, år=2023", Some(5.0), Status::Estimated),
                row("kön=2, ålder=totalt, år=2023", Some(10.0), obs),
            ]
        );
        let e = group_ages(&t, &bands(&[(20, 22)]), false).unwrap_err();
        assert!(
            matches!(e, UngroupError::OutsideBands { ref code, .. } if code == "23"),
            "{e}"
        );
    }
}
