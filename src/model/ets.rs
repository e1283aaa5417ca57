//! Exponential smoothing (ETS) for the trends of model inputs: simple, Holt, damped Holt and
//! multiplicative-trend models with additive or multiplicative errors (non-seasonal), fitted by
//! maximum likelihood, chosen by AICc.
//!
//! # Formula
//!
//! In the innovations state-space form of Hyndman, Koehler, Ord & Snyder (2008), with level `l`,
//! trend `b`, damping `φ` and one-step forecast `μ_t`:
//!
//! ```text
//! trend N:  μ = l                      trend A: μ = l + φ·b             trend M: μ = l·b^φ
//! error A:  ε = y − μ                  error M: ε = (y − μ)/μ
//!
//! A error, trend A:  l' = l + φb + αε            b' = φb + βε
//! M error, trend A:  l' = (l + φb)(1 + αε)       b' = φb + β(l + φb)ε
//! A error, trend M:  l' = l·b^φ + αε             b' = b^φ + βε/l
//! M error, trend M:  l' = l·b^φ(1 + αε)          b' = b^φ(1 + βε)
//! (trend N: drop b; the level updates as above with φb = 0 or b^φ = 1)
//!
//! log-likelihood (concentrated, as R's forecast::ets reports it):
//!   A error: −½·n·log Σε²          M error: −½·(n·log Σε² + 2·Σ log|μ|)
//! ```
//!
//! Forecasts `h` steps ahead: `l + (φ + … + φ^h)·b` (A), `l·b^(φ + … + φ^h)` (M), `l` (N).
//! Parameters are bounded as R's defaults: `0.0001 ≤ β ≤ α ≤ 0.9999`, `0.8 ≤ φ ≤ 0.98`.

use std::fmt;

/// Error type of an ETS model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Additive errors.
    Additive,
    /// Multiplicative (relative) errors.
    Multiplicative,
}

/// Trend type of an ETS model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TrendKind {
    /// No trend.
    None,
    /// Additive trend.
    Additive,
    /// Multiplicative trend.
    Multiplicative,
}

/// A non-seasonal ETS model specification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Spec {
    /// Error.
    pub error: ErrorKind,
    /// Trend.
    pub trend: TrendKind,
    /// Whether the trend is damped.
    pub damped: bool,
}

impl fmt::Display for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = match self.error {
            ErrorKind::Additive => "A",
            ErrorKind::Multiplicative => "M",
        };
        let t = match self.trend {
            TrendKind::None => "N",
            TrendKind::Additive => "A",
            TrendKind::Multiplicative => "M",
        };
        write!(f, "ETS({e},{t}{},N)", if self.damped { "d" } else { "" })
    }
}

impl TryFrom<&str> for Spec {
    type Error = String;

    /// R's three-letter codes with optional damping: `ANN`, `AAN`, `AAdN`, `MMdN` …
    fn try_from(s: &str) -> Result<Self, String> {
        let u = s.trim().to_ascii_uppercase();
        let damped = u.contains('D');
        let c: Vec<char> = u.chars().filter(|c| *c != 'D').collect();
        let bad = || {
            format!(
                "unknown ETS model {s:?}; expected e.g. ANN, AAN, AAdN, MAN, MMdN (seasonal models are not supported)"
            )
        };
        if c.len() != 3 || c[2] != 'N' {
            return Err(bad());
        }
        let error = match c[0] {
            'A' => ErrorKind::Additive,
            'M' => ErrorKind::Multiplicative,
            _ => return Err(bad()),
        };
        let trend = match c[1] {
            'N' => TrendKind::None,
            'A' => TrendKind::Additive,
            'M' => TrendKind::Multiplicative,
            _ => return Err(bad()),
        };
        if damped && trend == TrendKind::None {
            return Err(bad());
        }
        Ok(Spec {
            error,
            trend,
            damped,
        })
    }
}

/// Parameters and initial states.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Params {
    /// Level smoothing.
    pub alpha: f64,
    /// Trend smoothing (ignored without a trend).
    pub beta: f64,
    /// Damping (1 when not damped).
    pub phi: f64,
    /// Initial level.
    pub l0: f64,
    /// Initial trend (0 for additive, 1 for multiplicative when there is none).
    pub b0: f64,
}

/// A fitted model.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    /// The model.
    pub spec: Spec,
    /// Its parameters.
    pub params: Params,
    /// Log-likelihood (R's concentrated form).
    pub loglik: f64,
    /// Final level and trend.
    pub last: (f64, f64),
    /// Number of observations.
    pub n: usize,
    /// Residual variance: Σε² / (n − k).
    pub sigma2: f64,
}

/// Why a series cannot be fitted.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EtsError {
    /// Too few observations for the model's parameters.
    #[error("{spec}: a series of {n} values is too short; expected at least {needed}")]
    TooShort {
        /// The model.
        spec: String,
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
    /// No parameters within the bounds keep the model's one-step forecasts positive (a
    /// multiplicative model on a series it cannot describe), or none gives a finite likelihood.
    #[error(
        "{spec}: no parameters within the bounds give a finite likelihood (its one-step forecasts leave the model's domain); choose another model"
    )]
    NoFit {
        /// The model.
        spec: String,
    },
    /// A multiplicative model on a series with a value ≤ 0.
    #[error("{spec} needs positive values, but value {index} is {value}")]
    NotPositive {
        /// The model.
        spec: String,
        /// 0-based position.
        index: usize,
        /// The value.
        value: f64,
    },
}

impl Spec {
    /// Number of estimated parameters, initial states included (as R counts them).
    pub fn n_params(self) -> usize {
        1 + 1
            + match self.trend {
                TrendKind::None => 0,
                _ => 2 + usize::from(self.damped),
            }
    }

    fn trend_step(self, l: f64, b: f64, phi: f64) -> f64 {
        match self.trend {
            TrendKind::None => l,
            TrendKind::Additive => l + phi * b,
            TrendKind::Multiplicative => l * b.powf(phi),
        }
    }

    /// The state update after an error `e` (absolute for additive errors, relative for
    /// multiplicative ones).
    fn update(self, l: f64, b: f64, phi: f64, e: f64, p: &Params) -> (f64, f64) {
        match (self.error, self.trend) {
            (ErrorKind::Additive, TrendKind::None) => (l + p.alpha * e, b),
            (ErrorKind::Multiplicative, TrendKind::None) => (l * (1.0 + p.alpha * e), b),
            (ErrorKind::Additive, TrendKind::Additive) => {
                (l + phi * b + p.alpha * e, phi * b + p.beta * e)
            }
            (ErrorKind::Multiplicative, TrendKind::Additive) => {
                let m = l + phi * b;
                (m * (1.0 + p.alpha * e), phi * b + p.beta * m * e)
            }
            (ErrorKind::Additive, TrendKind::Multiplicative) => {
                let bp = b.powf(phi);
                (l * bp + p.alpha * e, bp + p.beta * e / l)
            }
            (ErrorKind::Multiplicative, TrendKind::Multiplicative) => {
                let bp = b.powf(phi);
                (l * bp * (1.0 + p.alpha * e), bp * (1.0 + p.beta * e))
            }
        }
    }

    /// Runs the recursion; returns (log-likelihood, Σε², final state), or `None` when the states
    /// leave the domain (a non-positive forecast in a multiplicative model).
    pub fn filter(self, y: &[f64], p: &Params) -> Option<(f64, f64, (f64, f64))> {
        match (self.error, self.trend, self.damped) {
            (ErrorKind::Additive, TrendKind::None, _) => filter_with::<false, 0, false>(y, p),
            (ErrorKind::Multiplicative, TrendKind::None, _) => filter_with::<true, 0, false>(y, p),
            (ErrorKind::Additive, TrendKind::Additive, false) => {
                filter_with::<false, 1, false>(y, p)
            }
            (ErrorKind::Additive, TrendKind::Additive, true) => filter_with::<false, 1, true>(y, p),
            (ErrorKind::Multiplicative, TrendKind::Additive, false) => {
                filter_with::<true, 1, false>(y, p)
            }
            (ErrorKind::Multiplicative, TrendKind::Additive, true) => {
                filter_with::<true, 1, true>(y, p)
            }
            (ErrorKind::Additive, TrendKind::Multiplicative, false) => {
                filter_with::<false, 2, false>(y, p)
            }
            (ErrorKind::Additive, TrendKind::Multiplicative, true) => {
                filter_with::<false, 2, true>(y, p)
            }
            (ErrorKind::Multiplicative, TrendKind::Multiplicative, false) => {
                filter_with::<true, 2, false>(y, p)
            }
            (ErrorKind::Multiplicative, TrendKind::Multiplicative, true) => {
                filter_with::<true, 2, true>(y, p)
            }
        }
    }

    /// Forecasts `h` steps from a final state.
    pub fn forecast(self, last: (f64, f64), phi: f64, h: usize) -> Vec<f64> {
        let phi = if self.damped { phi } else { 1.0 };
        let mut cum = 0.0;
        let mut pw = 1.0;
        (1..=h)
            .map(|_| {
                pw *= phi;
                cum += pw;
                match self.trend {
                    TrendKind::None => last.0,
                    TrendKind::Additive => last.0 + cum * last.1,
                    TrendKind::Multiplicative => last.0 * last.1.powf(cum),
                }
            })
            .collect()
    }

    fn check(self, y: &[f64]) -> Result<(), EtsError> {
        if let Some((index, &value)) = y.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(EtsError::NotFinite { index, value });
        }
        let needed = self.n_params() + 2;
        if y.len() < needed {
            return Err(EtsError::TooShort {
                spec: self.to_string(),
                n: y.len(),
                needed,
            });
        }
        let positive_only =
            self.error == ErrorKind::Multiplicative || self.trend == TrendKind::Multiplicative;
        if positive_only
            && let Some((index, &value)) = y.iter().enumerate().find(|(_, v)| **v <= 0.0)
        {
            return Err(EtsError::NotPositive {
                spec: self.to_string(),
                index,
                value,
            });
        }
        Ok(())
    }

    /// Evaluates a model at given parameters (no fitting).
    ///
    /// # Errors
    ///
    /// A series with a gap, a non-positive value for a multiplicative model, or too short.
    pub fn evaluate(self, y: &[f64], p: Params) -> Result<Option<Fit>, EtsError> {
        self.check(y)?;
        Ok(self.filter(y, &p).map(|(loglik, sse, last)| Fit {
            spec: self,
            params: p,
            loglik,
            last,
            n: y.len(),
            sigma2: sse / (y.len() - self.n_params().min(y.len() - 1)) as f64,
        }))
    }

    /// Fits the model by maximum likelihood (Nelder–Mead from several starts, each restarted from
    /// its best point until that no longer helps, within R's bounds).
    ///
    /// # Errors
    ///
    /// As [`Spec::evaluate`]; [`EtsError::NoFit`] when no start leads to parameters with a finite
    /// likelihood.
    pub fn fit(self, y: &[f64]) -> Result<Fit, EtsError> {
        self.check(y)?;
        let mult_trend = self.trend == TrendKind::Multiplicative;
        let b_start = if mult_trend {
            (y[1] / y[0]).clamp(0.5, 2.0)
        } else {
            y[1] - y[0]
        };
        // Parameter vector: alpha, beta, phi, l0, b0 (unused entries stay fixed).
        let scale = y.iter().map(|v| v.abs()).sum::<f64>() / y.len() as f64;
        // Searched in a box: alpha, beta/alpha and phi are clamped into R's bounds
        // (1e-4 ≤ α ≤ 0.9999, 1e-4 ≤ β ≤ α, 0.8 ≤ φ ≤ 0.98) and a point outside the box scores
        // as its clamped image plus a quadratic penalty, so the simplex can slide along a bound
        // (optima often sit at β = α or φ = 0.98) instead of stalling at an infinite wall.
        let clamp = |v: &[f64]| -> (f64, f64, f64) {
            let alpha = v[0].clamp(1e-4, 0.9999);
            let frac = v[1].clamp(1e-4 / alpha, 1.0);
            (alpha, frac, v[2].clamp(0.8, 0.98))
        };
        let to_params = |v: &[f64]| {
            let (alpha, frac, phi) = clamp(v);
            Params {
                alpha,
                beta: if self.trend == TrendKind::None {
                    0.0
                } else {
                    frac * alpha
                },
                phi: if self.damped { phi } else { 1.0 },
                l0: v[3] * scale,
                b0: if self.trend == TrendKind::None {
                    if mult_trend { 1.0 } else { 0.0 }
                } else if mult_trend {
                    v[4]
                } else {
                    v[4] * scale
                },
            }
        };
        let objective = |v: &[f64]| -> f64 {
            let p = to_params(v);
            if mult_trend && p.b0 <= 0.0 {
                return f64::INFINITY;
            }
            let (alpha, frac, phi) = clamp(v);
            let outside = (v[0] - alpha).powi(2)
                + if self.trend == TrendKind::None {
                    0.0
                } else {
                    (v[1] - frac).powi(2)
                }
                + if self.damped {
                    (v[2] - phi).powi(2)
                } else {
                    0.0
                };
            self.filter(y, &p).map_or(f64::INFINITY, |(ll, _, _)| {
                -ll + 1e3 * (1.0 + ll.abs()) * outside
            })
        };
        let active: Vec<bool> = vec![
            true,
            self.trend != TrendKind::None,
            self.damped,
            true,
            self.trend != TrendKind::None,
        ];
        let mut best: Option<(f64, Vec<f64>)> = None;
        // Starts: (alpha, beta as a fraction of alpha, phi, initial trend from the first two
        // values or neutral). The neutral-trend, small-beta starts keep multiplicative-error models
        // with an additive trend inside their domain on series with deep swings (fpp lynx), where
        // every data-based start makes a one-step forecast negative.
        for &(a, bfrac, phi, data_trend) in &[
            (0.5, 0.1, 0.9, true),
            (0.9, 0.05, 0.95, true),
            (0.2, 0.5, 0.85, true),
            (0.99, 0.3, 0.97, true),
            (0.1, 0.01, 0.95, false),
            (0.5, 0.5, 0.9, false),
        ] {
            let b0 = match (data_trend, mult_trend) {
                (true, true) => b_start,
                (true, false) => b_start / scale,
                (false, true) => 1.0,
                (false, false) => 0.0,
            };
            let start = vec![a, bfrac, phi, y[0] / scale, b0];
            // A looser tolerance for the starts: only the best one is polished.
            let (f, v) = nelder_mead(&objective, &start, &active, 4000, 1e-7);
            if f.is_finite() && best.as_ref().is_none_or(|b| f < b.0) {
                best = Some((f, v));
            }
        }
        let Some((mut f, mut v)) = best else {
            return Err(EtsError::NoFit {
                spec: self.to_string(),
            });
        };
        // Restart the best start from its point while that still helps: Nelder–Mead's simplex
        // collapses early near the corners of the bounds (β = α, φ = 0.98).
        for _ in 0..10 {
            let (f2, v2) = nelder_mead(&objective, &v, &active, 4000, 1e-10);
            let improved = f2 < f - 1e-10 * (1.0 + f.abs());
            if f2 < f {
                (f, v) = (f2, v2);
            }
            if !improved {
                break;
            }
        }
        let p = to_params(&v);
        self.evaluate(y, p)?.ok_or(EtsError::NoFit {
            spec: self.to_string(),
        })
    }
}

impl Fit {
    /// AIC = −2·loglik + 2k.
    pub fn aic(&self) -> f64 {
        -2.0 * self.loglik + 2.0 * self.spec.n_params() as f64
    }

    /// AICc, the small-sample AIC used to choose a model.
    pub fn aicc(&self) -> f64 {
        let (n, k) = (self.n as f64, self.spec.n_params() as f64);
        self.aic() + 2.0 * k * (k + 1.0) / (n - k - 1.0).max(1.0)
    }

    /// BIC = −2·loglik + k·log n.
    pub fn bic(&self) -> f64 {
        -2.0 * self.loglik + self.spec.n_params() as f64 * (self.n as f64).ln()
    }

    /// Point forecasts.
    pub fn forecast(&self, h: usize) -> Vec<f64> {
        self.spec.forecast(self.last, self.params.phi, h)
    }

    /// One path of `h` values from the model's prediction distribution: the state recursion run
    /// forward with innovations `σ·z`, where `normal` gives standard normal variates (`z`). A path
    /// that leaves the model's domain (a non-positive level in a multiplicative model) stays at its
    /// last valid value.
    pub fn simulate(&self, h: usize, mut normal: impl FnMut() -> f64) -> Vec<f64> {
        let spec = self.spec;
        let phi = if spec.damped { self.params.phi } else { 1.0 };
        let sigma = self.sigma2.max(0.0).sqrt();
        let (mut l, mut b) = self.last;
        let mut prev = spec.trend_step(l, b, phi);
        (0..h)
            .map(|_| {
                let mu = spec.trend_step(l, b, phi);
                let e = sigma * normal();
                let y = match spec.error {
                    ErrorKind::Additive => mu + e,
                    ErrorKind::Multiplicative => mu * (1.0 + e),
                };
                let (nl, nb) = spec.update(l, b, phi, e, &self.params);
                if nl.is_finite() && nb.is_finite() && y.is_finite() {
                    l = nl;
                    b = nb;
                    prev = y;
                }
                prev
            })
            .collect()
    }
}

/// Every non-seasonal model hwf fits, in the order they are tried.
pub fn all_specs() -> Vec<Spec> {
    let mut v = Vec::new();
    for error in [ErrorKind::Additive, ErrorKind::Multiplicative] {
        for (trend, damped) in [
            (TrendKind::None, false),
            (TrendKind::Additive, false),
            (TrendKind::Additive, true),
            (TrendKind::Multiplicative, false),
            (TrendKind::Multiplicative, true),
        ] {
            v.push(Spec {
                error,
                trend,
                damped,
            });
        }
    }
    v
}

/// Fits every applicable model and returns the one with the lowest AICc (R's `ets(..., ic = "aicc")`).
///
/// # Errors
///
/// When no model can be fitted (a gap, or a series too short for even the simplest model).
pub fn auto(y: &[f64]) -> Result<Fit, EtsError> {
    let mut best: Option<Fit> = None;
    let mut first_err = None;
    for spec in all_specs() {
        match spec.fit(y) {
            Ok(f) if f.loglik.is_finite() => {
                if best.as_ref().is_none_or(|b| f.aicc() < b.aicc()) {
                    best = Some(f);
                }
            }
            Ok(_) => {}
            Err(e) => {
                first_err.get_or_insert(e);
            }
        }
    }
    best.ok_or_else(|| {
        first_err.unwrap_or(EtsError::TooShort {
            spec: "any ETS model".into(),
            n: y.len(),
            needed: 4,
        })
    })
}

/// The recursion of [`Spec::filter`] for one model, its kind in the type (`MULT`: multiplicative
/// error; `TREND`: 0 none, 1 additive, 2 multiplicative; `DAMPED`), so that the loop holds no branch
/// on the kind and a multiplicative trend takes `b^φ` once per step (and not at all undamped, where
/// `b^1 = b` exactly). The same arithmetic as the general form, operation for operation.
fn filter_with<const MULT: bool, const TREND: u8, const DAMPED: bool>(
    y: &[f64],
    p: &Params,
) -> Option<(f64, f64, (f64, f64))> {
    let (mut l, mut b) = (p.l0, p.b0);
    let phi = if DAMPED { p.phi } else { 1.0 };
    let mut sse = 0.0;
    let mut log_mu = 0.0;
    for &yt in y {
        // `bp`: φb (additive trend) or b^φ (multiplicative); unused without a trend.
        let bp = match TREND {
            1 => phi * b,
            2 => {
                if DAMPED {
                    b.powf(phi)
                } else {
                    b
                }
            }
            _ => 0.0,
        };
        let mu = match TREND {
            1 => l + bp,
            2 => l * bp,
            _ => l,
        };
        if (MULT || TREND == 2) && (mu.is_nan() || mu <= 0.0) {
            return None;
        }
        let e = if MULT { (yt - mu) / mu } else { yt - mu };
        sse += e * e;
        if MULT {
            log_mu += mu.abs().ln();
        }
        (l, b) = match (MULT, TREND) {
            (false, 0) => (l + p.alpha * e, b),
            (true, 0) => (l * (1.0 + p.alpha * e), b),
            (false, 1) => (l + bp + p.alpha * e, bp + p.beta * e),
            (true, 1) => {
                let m = l + bp;
                (m * (1.0 + p.alpha * e), bp + p.beta * m * e)
            }
            (false, _) => (l * bp + p.alpha * e, bp + p.beta * e / l),
            (true, _) => (l * bp * (1.0 + p.alpha * e), bp * (1.0 + p.beta * e)),
        };
        if !l.is_finite() || !b.is_finite() {
            return None;
        }
    }
    let n = y.len() as f64;
    let mut lik = n * sse.ln();
    if MULT {
        lik += 2.0 * log_mu;
    }
    Some((-0.5 * lik, sse, (l, b)))
}

/// The most coordinates [`nelder_mead`] searches (alpha, beta, phi, l0, b0).
const DIM: usize = 5;
/// Moves [`nelder_mead`] makes on a simplex with no finite vertex before giving the start up.
const LOST_ITER: usize = 200;

/// Minimises `f` over the active coordinates of `x0` (Nelder–Mead, standard coefficients). The
/// simplex lives in fixed arrays and is kept sorted by a stable insertion sort, so an iteration
/// allocates nothing: the time goes to `f`.
fn nelder_mead(
    f: &dyn Fn(&[f64]) -> f64,
    x0: &[f64],
    active: &[bool],
    max_iter: usize,
    tol: f64,
) -> (f64, Vec<f64>) {
    let dim = x0.len().min(DIM);
    let mut idx = [0usize; DIM];
    let mut n = 0;
    for (i, _) in active.iter().enumerate().take(dim).filter(|(_, a)| **a) {
        idx[n] = i;
        n += 1;
    }
    let idx = &idx[..n];
    let mut base = [0.0; DIM];
    base[..dim].copy_from_slice(&x0[..dim]);
    let mut pts = [base; DIM + 1];
    for (k, &i) in idx.iter().enumerate() {
        pts[k + 1][i] += if base[i].abs() > 1e-3 {
            0.1 * base[i].abs()
        } else {
            0.05
        };
    }
    let mut vals = [0.0; DIM + 1];
    for k in 0..=n {
        vals[k] = f(&pts[k][..dim]);
    }
    for iter in 0..max_iter {
        // Stable: equal values keep their order, as a stable sort would.
        for k in 1..=n {
            let (p, v) = (pts[k], vals[k]);
            let mut j = k;
            while j > 0 && vals[j - 1].total_cmp(&v).is_gt() {
                pts[j] = pts[j - 1];
                vals[j] = vals[j - 1];
                j -= 1;
            }
            pts[j] = p;
            vals[j] = v;
        }
        if (vals[n] - vals[0]).abs() <= tol * (1.0 + vals[0].abs()) && vals[0].is_finite() {
            break;
        }
        // Every vertex outside the domain (a start whose forecasts turn negative, in a model
        // with a multiplicative error or trend): the simplex has no slope to follow. A start that
        // has found no finite point in [`LOST_ITER`] moves is given up; on the peer series none
        // that wandered the full 4 000 ever found one.
        if !vals[0].is_finite() && iter >= LOST_ITER {
            break;
        }
        let mut centroid = base;
        for &i in idx {
            centroid[i] = pts[..n].iter().map(|p| p[i]).sum::<f64>() / n as f64;
        }
        let worst = pts[n];
        let along = |t: f64| {
            let mut p = centroid;
            for &i in idx {
                p[i] = centroid[i] + t * (worst[i] - centroid[i]);
            }
            p
        };
        let xr = along(-1.0);
        let fr = f(&xr[..dim]);
        if fr < vals[0] {
            let xe = along(-2.0);
            let fe = f(&xe[..dim]);
            if fe < fr {
                pts[n] = xe;
                vals[n] = fe;
            } else {
                pts[n] = xr;
                vals[n] = fr;
            }
        } else if fr < vals[n - 1] {
            pts[n] = xr;
            vals[n] = fr;
        } else {
            let xc = if fr < vals[n] {
                along(-0.5)
            } else {
                along(0.5)
            };
            let fc = f(&xc[..dim]);
            if fc < vals[n].min(fr) {
                pts[n] = xc;
                vals[n] = fc;
            } else {
                for k in 1..=n {
                    for &i in idx {
                        pts[k][i] = pts[0][i] + 0.5 * (pts[k][i] - pts[0][i]);
                    }
                    vals[k] = f(&pts[k][..dim]);
                }
            }
        }
    }
    let best = (0..=n)
        .min_by(|&a, &b| vals[a].total_cmp(&vals[b]))
        .unwrap_or(0);
    (vals[best], pts[best][..dim].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_print() {
        let s = Spec::try_from("AAdN").unwrap();
        assert_eq!(
            (s.error, s.trend, s.damped),
            (ErrorKind::Additive, TrendKind::Additive, true)
        );
        assert_eq!(s.to_string(), "ETS(A,Ad,N)");
        assert_eq!(Spec::try_from("mmn").unwrap().to_string(), "ETS(M,M,N)");
        assert_eq!(all_specs().len(), 10);
        for spec in all_specs() {
            let code = spec
                .to_string()
                .replace(['(', ')', ','], "")
                .replace("ETS", "");
            assert_eq!(Spec::try_from(code.as_str()), Ok(spec));
        }
        assert!(Spec::try_from("AAA").is_err());
        assert!(Spec::try_from("ANdN").is_err());
    }

    #[test]
    fn simple_smoothing_by_hand() {
        // ETS(A,N,N), alpha 0.5, l0 10 on 12, 11: μ1 = 10, ε1 = 2, l1 = 11; μ2 = 11, ε2 = 0, l2 = 11.
        let spec = Spec::try_from("ANN").unwrap();
        let (ll, sse, last) = spec
            .filter(
                &[12.0, 11.0],
                &Params {
                    alpha: 0.5,
                    beta: 0.0,
                    phi: 1.0,
                    l0: 10.0,
                    b0: 0.0,
                },
            )
            .unwrap();
        assert_eq!(sse, 4.0);
        assert_eq!(last.0, 11.0);
        assert!((ll - (-0.5 * 2.0 * 4f64.ln())).abs() < 1e-12);
        assert_eq!(spec.forecast(last, 1.0, 2), vec![11.0, 11.0]);
    }

    #[test]
    fn gaps_and_short_series_are_refused() {
        let spec = Spec::try_from("AAN").unwrap();
        assert!(matches!(
            spec.fit(&[1.0, f64::NAN, 3.0, 4.0, 5.0, 6.0, 7.0]),
            Err(EtsError::NotFinite { index: 1, .. })
        ));
        assert!(matches!(
            spec.fit(&[1.0, 2.0, 3.0]),
            Err(EtsError::TooShort { .. })
        ));
        let m = Spec::try_from("MNN").unwrap();
        assert!(matches!(
            m.fit(&[1.0, 0.0, 3.0, 4.0, 5.0]),
            Err(EtsError::NotPositive { index: 1, .. })
        ));
    }
}
