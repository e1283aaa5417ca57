//! Trends of model inputs: a linear trend (OLS) or an exponential-smoothing model ([`super::ets`]),
//! named in the scenario or chosen by AICc, with forecasts and simulated paths for Monte Carlo.
//!
//! A scenario names a method per input (`supply.admissions_trend`, `supply.foreign_trend`,
//! `supply.employment_trend`, `supply.fte_trend`, `demand.care_use_trend`): `"none"`, `"auto"`,
//! `"linear"`, `"damped"` (an alias of the damped Holt model `"AAdN"`) or an ETS model (`"ANN"`,
//! `"AAN"`, `"AAdN"`, `"MAN"`, `"MMdN"`, …); see [`super::scenario::Trend`].
//!
//! # Formula
//!
//! Linear trend on a series `y_1 … y_n` of consecutive years, with `t` the position (year = first
//! year + t − 1), fitted by ordinary least squares (linfa):
//!
//! ```text
//! y_t = a + b·t + ε_t,   ε_t ~ N(0, σ²)
//! b = Σ(t − t̄)(y_t − ȳ) / Σ(t − t̄)²,   a = ȳ − b·t̄,   SSE = Σ(y_t − a − b·t)²
//! s² = SSE/(n − 2)                      (unbiased residual variance)
//! forecast h steps ahead:  ŷ_{n+h} = a + b·(n + h)
//! ```
//!
//! Both kinds of model are compared on one footing: the full Gaussian log-likelihood at the
//! maximum-likelihood variance, and `k` counting every estimated parameter *including σ²*:
//!
//! ```text
//! ℓ     = −n/2·(log 2π + log(SSE/n) + 1)                     (linear; k = 3: a, b, σ²)
//! ℓ     = ℓ_c − n/2·(log 2π − log n + 1)                     (ETS; k = smoothing parameters
//!                                                             + initial states + 1 for σ²)
//! AICc  = −2ℓ + 2k + 2k(k + 1)/(n − k − 1)                   (+∞ when n ≤ k + 1)
//! ```
//!
//! where `ℓ_c` is the concentrated log-likelihood [`super::ets::Fit::loglik`] reports (R's
//! `−½·n·log Σε²`, minus `Σ log|μ_t|` for multiplicative errors). Adding the constant turns it into
//! the full likelihood at `σ̂² = Σε²/n`, the same quantity the linear fit's `ℓ` is; and
//! [`super::ets::Spec::n_params`] does not count σ², so one is added here. On one series `n` is the
//! same for every candidate, so the constant does not change the ranking; counting σ² for all does
//! change the small-sample correction, which is why both sides count it.
//!
//! Simulated paths (Monte Carlo) of the linear trend carry the uncertainty of `a` and `b` and the
//! residual noise:
//!
//! ```text
//! (a*, b*) = (a, b) + L·(z_a, z_b),   L·Lᵀ = s²·(XᵀX)⁻¹,  X = [1, t]
//! y*_{n+h} = a* + b*·(n + h) + s·z_h
//! ```
//!
//! with independent standard normal `z`. The path's variance at step `h` is the classical OLS
//! prediction variance `s²·(1 + x₀ᵀ(XᵀX)⁻¹x₀)`, `x₀ = (1, n + h)`; the normal is used in place of
//! Student's t (the uncertainty of `s²` itself is not drawn). ETS paths follow
//! [`super::ets::Fit::simulate`].

use super::ets;
use super::scenario::Trend;
use linfa::traits::Fit as _;
use ndarray::{Array1, Array2};

/// Why a series cannot follow a trend.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TrendError {
    /// The ETS model refused the series.
    #[error(transparent)]
    Ets(#[from] ets::EtsError),
    /// Too few observations for the method.
    #[error("{method}: a series of {n} values is too short; expected at least {needed}")]
    TooShort {
        /// The method (`linear`, `auto`).
        method: String,
        /// Observations.
        n: usize,
        /// Needed.
        needed: usize,
    },
    /// A missing or non-finite value (gaps are not filled silently).
    #[error(
        "value {index} of the series is {value}; expected a finite number (fill or cut gaps first)"
    )]
    NotFinite {
        /// 0-based position.
        index: usize,
        /// The value.
        value: f64,
    },
    /// The least-squares solver failed (linfa's message).
    #[error("the least-squares fit failed: {message}")]
    Solver {
        /// linfa's message.
        message: String,
    },
}

/// A linear trend `y = a + b·t` fitted by OLS (see the module's formula).
#[derive(Clone, Debug, PartialEq)]
pub struct LinearFit {
    /// Intercept (the value at `t = 0`, the year before the first).
    pub a: f64,
    /// Slope per year.
    pub b: f64,
    /// Number of observations.
    pub n: usize,
    /// Sum of squared residuals.
    pub sse: f64,
    /// Unbiased residual variance `SSE/(n − 2)`.
    pub sigma2: f64,
    /// `(XᵀX)⁻¹` for `X = [1, t]`: entries (1,1), (1,t), (t,t).
    pub xtx_inv: [f64; 3],
}

/// The fewest observations a linear trend takes (`k = 3`: a, b, σ²; one residual degree of freedom).
pub const LINEAR_MIN: usize = 3;

/// The fewest observations `"auto"` takes: the simplest candidate (k = 3) needs `n > k + 1` for a
/// finite AICc.
pub const AUTO_MIN: usize = 5;

impl LinearFit {
    /// Fits `y = a + b·t`, `t = 1 … n`, by ordinary least squares (linfa-linear's QR solver).
    ///
    /// # Errors
    ///
    /// [`TrendError::NotFinite`] for a missing value, [`TrendError::TooShort`] below
    /// [`LINEAR_MIN`] values, [`TrendError::Solver`] if linfa fails.
    pub fn fit(y: &[f64]) -> Result<LinearFit, TrendError> {
        if let Some((index, &value)) = y.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(TrendError::NotFinite { index, value });
        }
        let n = y.len();
        if n < LINEAR_MIN {
            return Err(TrendError::TooShort {
                method: "linear".into(),
                n,
                needed: LINEAR_MIN,
            });
        }
        let t: Vec<f64> = (1..=n).map(|i| i as f64).collect();
        let x = Array2::from_shape_vec((n, 1), t.clone()).map_err(|e| TrendError::Solver {
            message: e.to_string(),
        })?;
        let data = linfa::Dataset::new(x, Array1::from_vec(y.to_vec()));
        let fitted = linfa_linear::LinearRegression::new()
            .fit(&data)
            .map_err(|e| TrendError::Solver {
                message: e.to_string(),
            })?;
        let (a, b) = (fitted.intercept(), fitted.params()[0]);
        let sse: f64 = t.iter().zip(y).map(|(t, y)| (y - a - b * t).powi(2)).sum();
        // XᵀX = [[n, Σt], [Σt, Σt²]], inverted in closed form.
        let (s1, s2) = (t.iter().sum::<f64>(), t.iter().map(|t| t * t).sum::<f64>());
        let det = n as f64 * s2 - s1 * s1;
        Ok(LinearFit {
            a,
            b,
            n,
            sse,
            sigma2: sse / (n - 2) as f64,
            xtx_inv: [s2 / det, -s1 / det, n as f64 / det],
        })
    }

    /// Point forecasts `a + b·(n + h)`, `h = 1 … steps`.
    pub fn forecast(&self, steps: usize) -> Vec<f64> {
        (1..=steps)
            .map(|h| self.a + self.b * (self.n + h) as f64)
            .collect()
    }

    /// One path of `steps` values from the prediction distribution (see the module's formula);
    /// `normal` gives standard normal variates: two for `(a*, b*)`, then one per step.
    pub fn simulate(&self, steps: usize, mut normal: impl FnMut() -> f64) -> Vec<f64> {
        let s2 = self.sigma2.max(0.0);
        // Cholesky of s²·(XᵀX)⁻¹ = [[c00, c01], [c01, c11]]·s².
        let [c00, c01, c11] = self.xtx_inv.map(|c| c * s2);
        let l00 = c00.max(0.0).sqrt();
        let l10 = if l00 > 0.0 { c01 / l00 } else { 0.0 };
        let l11 = (c11 - l10 * l10).max(0.0).sqrt();
        let (za, zb) = (normal(), normal());
        let a = self.a + l00 * za;
        let b = self.b + l10 * za + l11 * zb;
        let s = s2.sqrt();
        (1..=steps)
            .map(|h| a + b * (self.n + h) as f64 + s * normal())
            .collect()
    }
}

/// A fitted trend: an ETS model or a linear trend.
#[derive(Clone, Debug, PartialEq)]
pub enum Fitted {
    /// Exponential smoothing.
    Ets(ets::Fit),
    /// A linear trend (OLS).
    Linear(LinearFit),
}

impl Fitted {
    /// The model's name: `ETS(A,Ad,N)`, `linear`.
    pub fn name(&self) -> String {
        match self {
            Fitted::Ets(f) => f.spec.to_string(),
            Fitted::Linear(_) => "linear".into(),
        }
    }

    /// Number of observations fitted.
    pub fn n(&self) -> usize {
        match self {
            Fitted::Ets(f) => f.n,
            Fitted::Linear(f) => f.n,
        }
    }

    /// Estimated parameters including σ² (see the module's formula).
    pub fn n_params(&self) -> usize {
        match self {
            Fitted::Ets(f) => f.spec.n_params() + 1,
            Fitted::Linear(_) => 3,
        }
    }

    /// The full Gaussian log-likelihood at the maximum-likelihood variance.
    ///
    /// # Formula
    ///
    /// ```text
    /// linear: ℓ = −n/2·(log 2π + log(SSE/n) + 1)
    /// ETS:    ℓ = ℓ_c − n/2·(log 2π − log n + 1)     (ℓ_c: ets::Fit::loglik, concentrated)
    /// ```
    pub fn loglik(&self) -> f64 {
        use std::f64::consts::PI;
        let n = self.n() as f64;
        match self {
            Fitted::Ets(f) => f.loglik - 0.5 * n * ((2.0 * PI).ln() - n.ln() + 1.0),
            Fitted::Linear(f) => -0.5 * n * ((2.0 * PI).ln() + (f.sse / n).ln() + 1.0),
        }
    }

    /// AICc on the common footing.
    ///
    /// # Formula
    ///
    /// `AICc = −2ℓ + 2k + 2k(k + 1)/(n − k − 1)` with `k` = [`Fitted::n_params`]; `+∞` when
    /// `n ≤ k + 1`.
    pub fn aicc(&self) -> f64 {
        let (n, k) = (self.n() as f64, self.n_params() as f64);
        if n <= k + 1.0 {
            return f64::INFINITY;
        }
        -2.0 * self.loglik() + 2.0 * k + 2.0 * k * (k + 1.0) / (n - k - 1.0)
    }

    /// Point forecasts `1 … steps` ahead of the last observation.
    pub fn forecast(&self, steps: usize) -> Vec<f64> {
        match self {
            Fitted::Ets(f) => f.forecast(steps),
            Fitted::Linear(f) => f.forecast(steps),
        }
    }

    /// One path of `steps` values from the prediction distribution; `normal` gives standard normal
    /// variates.
    pub fn simulate(&self, steps: usize, normal: impl FnMut() -> f64) -> Vec<f64> {
        match self {
            Fitted::Ets(f) => f.simulate(steps, normal),
            Fitted::Linear(f) => f.simulate(steps, normal),
        }
    }
}

/// The fewest observations `method` takes (0 for none).
pub fn min_len(method: Trend) -> usize {
    match method {
        Trend::None => 0,
        Trend::Auto => AUTO_MIN,
        Trend::Linear => LINEAR_MIN,
        Trend::Ets(spec) => spec.n_params() + 2,
    }
}

/// Fits `method` to `y`: `None` for [`Trend::None`]; `"auto"` fits the linear trend and every ETS
/// model that accepts the series and keeps the lowest [`Fitted::aicc`] (the first in
/// [`ets::all_specs`] order, linear last, on a tie; a candidate with `n ≤ k + 1` cannot win).
///
/// # Errors
///
/// A missing value, a series too short for the method (for `"auto"`: fewer than [`AUTO_MIN`]
/// values, or no candidate with a finite AICc), a non-positive value for a multiplicative ETS
/// model.
///
/// A constant series (every value the same, long enough for the method) has no trend to follow:
/// `None`, the level continues. Every model fits it exactly, so its likelihood has no maximum.
pub fn fit(y: &[f64], method: Trend) -> Result<Option<Fitted>, TrendError> {
    let constant =
        y.len() >= min_len(method).max(2) && y[0].is_finite() && y.iter().all(|v| *v == y[0]);
    if constant {
        return Ok(None);
    }
    match method {
        Trend::None => Ok(None),
        Trend::Linear => LinearFit::fit(y).map(|f| Some(Fitted::Linear(f))),
        Trend::Ets(spec) => Ok(Some(Fitted::Ets(spec.fit(y)?))),
        Trend::Auto => {
            if let Some((index, &value)) = y.iter().enumerate().find(|(_, v)| !v.is_finite()) {
                return Err(TrendError::NotFinite { index, value });
            }
            if y.len() < AUTO_MIN {
                return Err(TrendError::TooShort {
                    method: "auto".into(),
                    n: y.len(),
                    needed: AUTO_MIN,
                });
            }
            let mut best: Option<(f64, Fitted)> = None;
            let candidates = ets::all_specs()
                .into_iter()
                .filter_map(|s| s.fit(y).ok().map(Fitted::Ets))
                .chain(LinearFit::fit(y).ok().map(Fitted::Linear));
            for f in candidates {
                let a = f.aicc();
                if a < f64::INFINITY && best.as_ref().is_none_or(|(b, _)| a < *b) {
                    best = Some((a, f));
                }
            }
            best.map(|(_, f)| Some(f)).ok_or(TrendError::TooShort {
                method: "auto".into(),
                n: y.len(),
                needed: AUTO_MIN,
            })
        }
    }
}

/// A fitted trend and the level its forecasts are taken relative to.
#[derive(Clone, Debug, PartialEq)]
pub struct TrendModel {
    /// The fitted model.
    pub fit: Fitted,
    /// The level that counts as 1 (the base year's value, or the recent mean).
    pub level: f64,
}

impl TrendModel {
    /// Factors relative to the level for `values` (forecasts or simulated paths), never negative.
    ///
    /// # Formula
    ///
    /// `factor = max(0, value / level)`.
    pub fn factors(&self, values: &[f64]) -> Vec<f64> {
        values.iter().map(|v| (v / self.level).max(0.0)).collect()
    }
}

/// Fits the named trend to `series`; `Ok(None)` when there is no trend to follow (method none, or a
/// non-positive level).
///
/// # Errors
///
/// As [`fit`].
pub fn trend_model(
    series: &[f64],
    level: f64,
    method: Trend,
) -> Result<Option<TrendModel>, TrendError> {
    if level <= 0.0 || method == Trend::None {
        return Ok(None);
    }
    Ok(fit(series, method)?.map(|fit| TrendModel { fit, level }))
}

/// Forecasts `series` `h` steps ahead with the named trend, relative to `level` (1 = unchanged);
/// an empty vector when there is no trend to follow.
///
/// # Errors
///
/// As [`fit`].
pub fn trend_factors(
    series: &[f64],
    level: f64,
    method: Trend,
    h: usize,
) -> Result<Vec<f64>, TrendError> {
    Ok(
        trend_model(series, level, method)?
            .map_or_else(Vec::new, |m| m.factors(&m.fit.forecast(h))),
    )
}

/// The first year missing from `years` (ascending) between its first and last, if any.
pub fn first_gap(years: &[i32]) -> Option<i32> {
    years
        .windows(2)
        .find(|w| w[1] != w[0] + 1)
        .map(|w| w[0] + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constant_series_has_no_trend_but_a_short_one_is_still_refused() {
        let flat = [4.0; 12];
        for m in ["auto", "linear", "AAN", "MAdN", "damped"] {
            let method = Trend::try_from(m).unwrap();
            assert!(fit(&flat, method).unwrap().is_none(), "{m}");
        }
        assert!(matches!(
            fit(&[4.0; 2], Trend::Linear),
            Err(TrendError::TooShort { .. })
        ));
        assert!(
            fit(&[4.0, 4.0, 4.0, 4.0, 4.0, 5.0], Trend::Auto)
                .unwrap()
                .is_some()
        );
    }

    /// OLS in closed form, the second method.
    fn closed_form(y: &[f64]) -> (f64, f64) {
        let n = y.len() as f64;
        let tbar = (n + 1.0) / 2.0;
        let ybar = y.iter().sum::<f64>() / n;
        let (mut sxy, mut sxx) = (0.0, 0.0);
        for (i, v) in y.iter().enumerate() {
            let t = (i + 1) as f64;
            sxy += (t - tbar) * (v - ybar);
            sxx += (t - tbar) * (t - tbar);
        }
        let b = sxy / sxx;
        (ybar - b * tbar, b)
    }

    #[test]
    fn linfa_agrees_with_closed_form_ols() {
        let y = [3.1, 4.9, 7.2, 8.8, 11.1, 12.9, 15.2];
        let f = LinearFit::fit(&y).unwrap();
        let (a, b) = closed_form(&y);
        assert!((f.a - a).abs() < 1e-10, "{} vs {a}", f.a);
        assert!((f.b - b).abs() < 1e-10, "{} vs {b}", f.b);
        // By hand: t̄ = 4, ȳ = 63.2/7; Σ(t − t̄)y = −9.3 − 9.8 − 7.2 + 11.1 + 25.8 + 45.6 = 56.2,
        // Σ(t − t̄)² = 28 → b = 2.007142…
        assert!((f.b - 56.2 / 28.0).abs() < 1e-10);
        assert!((f.a - (63.2 / 7.0 - 4.0 * 56.2 / 28.0)).abs() < 1e-10);
        // Forecast at t = 8, 9.
        let fc = f.forecast(2);
        assert!((fc[0] - (a + 8.0 * b)).abs() < 1e-10);
        assert!((fc[1] - (a + 9.0 * b)).abs() < 1e-10);
        // (XᵀX)⁻¹ for t = 1..7: Σt = 28, Σt² = 140, det = 7·140 − 28² = 196.
        assert!((f.xtx_inv[0] - 140.0 / 196.0).abs() < 1e-12);
        assert!((f.xtx_inv[1] + 28.0 / 196.0).abs() < 1e-12);
        assert!((f.xtx_inv[2] - 7.0 / 196.0).abs() < 1e-12);
    }

    #[test]
    fn an_exact_line_is_recovered() {
        let y: Vec<f64> = (1..=5).map(|t| 10.0 - 0.5 * t as f64).collect();
        let f = LinearFit::fit(&y).unwrap();
        assert!((f.a - 10.0).abs() < 1e-10 && (f.b + 0.5).abs() < 1e-10);
        assert!(f.sse < 1e-18);
        assert!((f.forecast(1)[0] - 7.0).abs() < 1e-10);
    }

    #[test]
    fn linear_loglik_is_the_sum_of_normal_densities() {
        let y = [2.0, 2.5, 2.9, 3.8, 4.1, 4.4];
        let f = LinearFit::fit(&y).unwrap();
        let s2 = f.sse / 6.0;
        let direct: f64 = y
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let e = v - f.a - f.b * (i + 1) as f64;
                -0.5 * (2.0 * std::f64::consts::PI * s2).ln() - e * e / (2.0 * s2)
            })
            .sum();
        let fitted = Fitted::Linear(f);
        assert!((fitted.loglik() - direct).abs() < 1e-10);
        // k = 3, n = 6: AICc = −2ℓ + 6 + 24/2.
        assert!((fitted.aicc() - (-2.0 * direct + 6.0 + 12.0)).abs() < 1e-10);
    }

    #[test]
    fn ets_loglik_on_the_common_footing_is_the_sum_of_normal_densities() {
        // ETS(A,N,N) and ETS(M,N,N) at their fitted parameters: recompute the errors by hand.
        let y = [10.0, 12.0, 11.0, 13.0, 12.5, 14.0, 13.5];
        for code in ["ANN", "MNN"] {
            let spec = ets::Spec::try_from(code).unwrap();
            let fit = spec.fit(&y).unwrap();
            let mut l = fit.params.l0;
            let mut errs = Vec::new();
            let mut mus = Vec::new();
            for v in y {
                let (e, nl) = if code == "ANN" {
                    let e = v - l;
                    (e, l + fit.params.alpha * e)
                } else {
                    let e = (v - l) / l;
                    (e, l * (1.0 + fit.params.alpha * e))
                };
                errs.push(e);
                mus.push(l);
                l = nl;
            }
            let s2 = errs.iter().map(|e| e * e).sum::<f64>() / 7.0;
            // y_t ~ N(μ, σ²) (A) or N(μ, μ²σ²) (M).
            let direct: f64 = errs
                .iter()
                .zip(&mus)
                .map(|(e, m)| {
                    let jac = if code == "ANN" { 0.0 } else { m.abs().ln() };
                    -0.5 * (2.0 * std::f64::consts::PI * s2).ln() - e * e / (2.0 * s2) - jac
                })
                .sum();
            let f = Fitted::Ets(fit);
            assert!(
                (f.loglik() - direct).abs() < 1e-8,
                "{code}: {} vs {direct}",
                f.loglik()
            );
            // k = α, l0, σ² = 3.
            assert_eq!(f.n_params(), 3);
        }
    }

    #[test]
    fn auto_takes_the_lowest_common_aicc_among_linear_and_ets() {
        // A line with a small alternating wiggle: the linear trend (k = 3) should win.
        let y: Vec<f64> = (1..=12)
            .map(|t| 100.0 + 3.0 * t as f64 + if t % 2 == 0 { 0.4 } else { -0.4 })
            .collect();
        let best = fit(&y, Trend::Auto).unwrap().unwrap();
        let mut all: Vec<Fitted> = ets::all_specs()
            .into_iter()
            .filter_map(|s| s.fit(&y).ok().map(Fitted::Ets))
            .collect();
        all.push(Fitted::Linear(LinearFit::fit(&y).unwrap()));
        let min = all.iter().map(Fitted::aicc).fold(f64::INFINITY, f64::min);
        assert_eq!(best.aicc(), min);
        assert_eq!(best.name(), "linear");
        // A level that jumps about without a trend: a no-trend ETS beats the line.
        let z = [
            50.0, 58.0, 49.0, 57.0, 52.0, 48.0, 59.0, 51.0, 55.0, 50.0, 56.0, 49.0,
        ];
        let best = fit(&z, Trend::Auto).unwrap().unwrap();
        let lin = Fitted::Linear(LinearFit::fit(&z).unwrap());
        assert!(best.aicc() <= lin.aicc());
    }

    #[test]
    fn linear_paths_have_the_ols_prediction_variance() {
        let y = [3.0, 5.0, 4.0, 6.0, 8.0, 7.0, 9.0];
        let f = LinearFit::fit(&y).unwrap();
        // With every z = 0 the path is the forecast.
        assert_eq!(f.simulate(3, || 0.0), f.forecast(3));
        // The variance at h = 2 over many paths, against s²·(1 + x₀ᵀ(XᵀX)⁻¹x₀), x₀ = (1, 9).
        use rand_core::SeedableRng;
        let mut rng = rand_pcg::Pcg64::seed_from_u64(7);
        let m = 40_000;
        let paths: Vec<f64> = (0..m)
            .map(|_| f.simulate(2, || crate::model::variates::standard_normal(&mut rng))[1])
            .collect();
        let mean = paths.iter().sum::<f64>() / m as f64;
        let var = paths.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (m - 1) as f64;
        let [c00, c01, c11] = f.xtx_inv;
        let want = f.sigma2 * (1.0 + c00 + 2.0 * 9.0 * c01 + 81.0 * c11);
        assert!((var / want - 1.0).abs() < 0.03, "{var} vs {want}");
        assert!((mean - f.forecast(2)[1]).abs() < 0.03 * want.sqrt());
    }

    #[test]
    fn short_series_and_gaps_are_refused() {
        assert_eq!(
            LinearFit::fit(&[1.0, 2.0]),
            Err(TrendError::TooShort {
                method: "linear".into(),
                n: 2,
                needed: 3
            })
        );
        assert!(matches!(
            LinearFit::fit(&[1.0, f64::NAN, 3.0]),
            Err(TrendError::NotFinite { index: 1, .. })
        ));
        assert!(matches!(
            fit(&[1.0, 2.0, 3.0, 4.0], Trend::Auto),
            Err(TrendError::TooShort { needed: 5, .. })
        ));
        assert!(matches!(
            fit(
                &[1.0, 2.0, 3.0],
                Trend::Ets(ets::Spec::try_from("AAN").unwrap())
            ),
            Err(TrendError::Ets(ets::EtsError::TooShort { needed: 6, .. }))
        ));
        assert_eq!(fit(&[1.0], Trend::None), Ok(None));
        assert_eq!(first_gap(&[2012, 2013, 2015]), Some(2014));
        assert_eq!(first_gap(&[2012, 2013]), None);
        assert_eq!(min_len(Trend::Linear), 3);
        assert_eq!(min_len(Trend::Auto), 5);
    }
}
