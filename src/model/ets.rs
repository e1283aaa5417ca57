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
//!
//! # Fitting
//!
//! [`Spec::fit`] maximises the log-likelihood over α, β, φ and the initial states by a projected
//! quasi-Newton search (BFGS with bounds) from nine starts. The bounds are a box in its
//! coordinates (`β = 1e-4 + b·(α − 1e-4)`, `0 ≤ b ≤ 1`), so a search can rest exactly on β = α,
//! β = 1e-4, α = 0.9999 or φ = 0.98, where optima often are. The gradient is exact: the recursion
//! is run with its derivatives along each parameter (the chain rule written out step by step),
//! one pass per point. A search that comes close to where an earlier one ended is stopped there.
//! With additive errors and trend the errors are affine in the initial states, which are then
//! solved for by least squares at each point instead of searched.

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

impl Spec {
    /// The model in R's letters, as a scenario names it: `ANN`, `AAN`, `AAdN`, `MMdN` …
    pub fn code(&self) -> String {
        let (e, t, d) = self.letters();
        format!("{e}{t}{d}N")
    }

    /// The letters of the error, the trend and its damping (`"d"` or `""`).
    fn letters(&self) -> (&'static str, &'static str, &'static str) {
        let e = match self.error {
            ErrorKind::Additive => "A",
            ErrorKind::Multiplicative => "M",
        };
        let t = match self.trend {
            TrendKind::None => "N",
            TrendKind::Additive => "A",
            TrendKind::Multiplicative => "M",
        };
        (e, t, if self.damped { "d" } else { "" })
    }
}

impl fmt::Display for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (e, t, d) = self.letters();
        write!(f, "ETS({e},{t}{d},N)")
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

    /// Fits the model by maximum likelihood within R's bounds: a projected quasi-Newton search
    /// (BFGS, exact gradients by forward differentiation of the recursion) from each of
    /// nine starting points (six of the smoothing parameters and three with φ = 0.98) to a loose
    /// tolerance (a search stopped early when it comes within 0.03, in every coordinate, of where
    /// an earlier one ended, no lower), then the best end point polished to rounding.
    /// Deterministic: the same starts in the same order, no randomness, no threads.
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
        let scale = y.iter().map(|v| v.abs()).sum::<f64>() / y.len() as f64;
        let trend = self.trend != TrendKind::None;
        // Solving for the initial states pays on additive-trend models (the search then has
        // one to three coordinates, and no long valley between l0 and b0); without a trend the
        // search over l0 is cheaper than the solve.
        let profile = self.error == ErrorKind::Additive && self.trend == TrendKind::Additive;
        let problem = Problem {
            spec: self,
            y,
            scale,
            active: if profile {
                [true, trend, self.damped, false, false]
            } else {
                [true, trend, self.damped, true, trend]
            },
            profile,
        };
        let mut best: Option<(f64, [f64; DIM], Option<Hessian>)> = None;
        let mut seen: Vec<[f64; DIM]> = Vec::with_capacity(STARTS.len());
        // End points of the searches so far: a later search that comes to one stops there.
        let mut ends: Vec<(f64, [f64; DIM])> = Vec::with_capacity(STARTS.len());
        for &(a, bfrac, phi, data_trend) in STARTS {
            let b0 = match (data_trend, mult_trend) {
                (true, true) => b_start,
                (true, false) => b_start / scale,
                (false, true) => 1.0,
                (false, false) => 0.0,
            };
            let start = [a, b_of_fraction(a, bfrac), phi, y[0] / scale, b0];
            // Starts that differ only in coordinates the model does not have (φ undamped; β, φ
            // and b0 without a trend) are one start: searched once.
            let mut key = problem.project(start);
            for (k, a) in key.iter_mut().zip(problem.active) {
                if !a {
                    *k = 0.0;
                }
            }
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let Some(x) = problem.first_finite(start) else {
                continue;
            };
            let (f, x, model) = problem.minimise(x, None, 500, START_TOL, &ends);
            ends.push((f, x));
            if f.is_finite() && best.as_ref().is_none_or(|b| f < b.0) {
                best = Some((f, x, model));
            }
        }
        let Some((_, x, model)) = best else {
            return Err(EtsError::NoFit {
                spec: self.to_string(),
            });
        };
        let (_, x, _) = problem.minimise(x, model, 500, 1e-13, &[]);
        let x = problem.profiled(&x).ok_or(EtsError::NoFit {
            spec: self.to_string(),
        })?;
        self.evaluate(y, problem.params(&x))?
            .ok_or(EtsError::NoFit {
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

/// A quasi-Newton model of the objective's Hessian over the search's coordinates.
type Hessian = [[f64; DIM]; DIM];

/// How far each start is searched: until the quasi-Newton model promises less than this relative
/// decrease of `−loglik` (the best one is then searched on to `1e-13`). Looser (`1e-4`) picked the
/// wrong basin on three peer fits; `1e-7` ends every one in the basin a full search ends in.
const START_TOL: f64 = 1e-7;

/// How close (in every searched coordinate, each of order one: see [`Problem`]) a search must
/// come to where an earlier one ended, no lower than there, to be stopped as bound for the same
/// end: most starts end in one basin, and their last iterations added nothing. On the
/// peer-reference series (tests/ets.rs) every fit's log-likelihood is the same up to `0.1`;
/// `0.3` lost four fits their best basin.
const MERGE_DIST: f64 = 0.03;

/// Starts of the search: (α, β/α, φ, initial trend from the first two values or neutral). The
/// neutral-trend, small-β starts keep multiplicative-error models with an additive trend inside
/// their domain on series with deep swings (fpp lynx), where every data-based start makes a
/// one-step forecast negative.
const STARTS: &[(f64, f64, f64, bool)] = &[
    (0.5, 0.1, 0.9, true),
    (0.9, 0.05, 0.95, true),
    (0.2, 0.5, 0.85, true),
    (0.99, 0.3, 0.97, true),
    (0.1, 0.01, 0.95, false),
    (0.5, 0.5, 0.9, false),
    (0.99, 0.01, 0.98, true),
    (0.99, 0.01, 0.98, false),
    (0.5, 0.01, 0.98, false),
];

/// `a·x + b·y`, componentwise.
#[inline(always)]
fn lin2<const K: usize>(a: f64, x: &[f64; K], b: f64, y: &[f64; K]) -> [f64; K] {
    std::array::from_fn(|j| a * x[j] + b * y[j])
}

/// `a·x + b·y + c·z`, componentwise.
#[inline(always)]
fn lin3<const K: usize>(
    a: f64,
    x: &[f64; K],
    b: f64,
    y: &[f64; K],
    c: f64,
    z: &[f64; K],
) -> [f64; K] {
    std::array::from_fn(|j| a * x[j] + b * y[j] + c * z[j])
}

/// The recursion of [`filter_with`] with its derivatives along the `K` searched parameters
/// (forward-mode differentiation, the chain rule written out step by step): `v` holds α, β, φ,
/// l0 and b0, `s` their derivatives along the searched coordinates (constant for α, β, φ).
/// Returns the objective the search minimises, `−loglik`, and its gradient, or `None` where
/// [`filter_with`] gives `None`. Each step's new states and their derivatives, with
/// `bp` = φb or b^φ (`d(b^φ) = b^φ·(φ/b·db + ln b·dφ)`), `μ` = l, l + bp or l·bp and `ε` = y − μ
/// (A) or (y − μ)/μ (M, `dε = −y/μ²·dμ`):
///
/// ```text
/// A: l' = μ + αε                dl' = dμ + α·dε + ε·dα
/// M: l' = μ(1 + αε)             dl' = (1 + αε)·dμ + αμ·dε + με·dα
/// A,A: b' = bp + βε             db' = dbp + β·dε + ε·dβ
/// M,A: b' = bp + βμε            db' = dbp + βε·dμ + βμ·dε + με·dβ
/// A,M: b' = bp + βε/l           db' = dbp + β/l·dε − βε/l²·dl + ε/l·dβ
/// M,M: b' = bp(1 + βε)          db' = (1 + βε)·dbp + β·bp·dε + bp·ε·dβ
/// ```
///
/// The values are [`filter_with`]'s operation for operation but for two: `b^φ` is taken as
/// `exp(φ·ln b)` (so that `ln b` serves the derivative too), and `Σ log μ` as the logarithm of
/// running products (one logarithm per some fifty steps, the products kept between 1e-150 and
/// 1e150); both equal to rounding.
fn filter_grad<const MULT: bool, const TREND: u8, const DAMPED: bool, const K: usize>(
    y: &[f64],
    v: [f64; 5],
    s: [[f64; K]; 5],
) -> Option<(f64, [f64; K])> {
    let [alpha, beta, phi, mut l, mut b] = v;
    let [da, dbeta, dphi, mut dl, mut db] = s;
    let zero = [0.0; K];
    let (mut sse, mut dsse) = (0.0, zero);
    let (mut prod, mut log_mu, mut dlog) = (1.0_f64, 0.0, zero);
    for &yt in y {
        let (bp, dbp) = match TREND {
            1 => {
                if DAMPED {
                    (phi * b, lin2(phi, &db, b, &dphi))
                } else {
                    (phi * b, db)
                }
            }
            2 => {
                if DAMPED {
                    let ln_b = b.ln();
                    let bp = (phi * ln_b).exp();
                    (bp, lin2(phi * bp / b, &db, bp * ln_b, &dphi))
                } else {
                    (b, db)
                }
            }
            _ => (0.0, zero),
        };
        let (mu, dmu) = match TREND {
            1 => (l + bp, std::array::from_fn(|j| dl[j] + dbp[j])),
            2 => (l * bp, lin2(bp, &dl, l, &dbp)),
            _ => (l, dl),
        };
        if (MULT || TREND == 2) && (mu.is_nan() || mu <= 0.0) {
            return None;
        }
        let (e, de) = if MULT {
            let e = (yt - mu) / mu;
            let c = -(yt / mu) / mu;
            (e, dmu.map(|x| c * x))
        } else {
            (yt - mu, dmu.map(|x| -x))
        };
        sse += e * e;
        for (d, x) in dsse.iter_mut().zip(de) {
            *d += 2.0 * e * x;
        }
        if MULT {
            let q = prod * mu;
            if (1e-150..=1e150).contains(&q) {
                prod = q;
            } else {
                log_mu += prod.ln() + mu.ln();
                prod = 1.0;
            }
            let r = 1.0 / mu;
            for (d, x) in dlog.iter_mut().zip(dmu) {
                *d += x * r;
            }
        }
        let (nl, dnl) = if MULT {
            let a = alpha * e + 1.0;
            (mu * a, lin3(a, &dmu, alpha * mu, &de, mu * e, &da))
        } else {
            (mu + alpha * e, lin3(1.0, &dmu, alpha, &de, e, &da))
        };
        let (nb, dnb) = match (MULT, TREND) {
            (_, 0) => (b, db),
            (false, 1) => (bp + beta * e, lin3(1.0, &dbp, beta, &de, e, &dbeta)),
            (true, 1) => {
                let bm = beta * mu;
                let mut d = lin3(1.0, &dbp, beta * e, &dmu, bm, &de);
                for (dj, x) in d.iter_mut().zip(dbeta) {
                    *dj += mu * e * x;
                }
                (bp + bm * e, d)
            }
            (false, _) => {
                let r = 1.0 / l;
                let mut d = lin3(1.0, &dbp, beta * r, &de, -beta * e * r * r, &dl);
                for (dj, x) in d.iter_mut().zip(dbeta) {
                    *dj += e * r * x;
                }
                (bp + beta * e / l, d)
            }
            (true, _) => {
                let c = beta * e + 1.0;
                (bp * c, lin3(c, &dbp, beta * bp, &de, bp * e, &dbeta))
            }
        };
        (l, b, dl, db) = (nl, nb, dnl, dnb);
        if !l.is_finite() || !b.is_finite() {
            return None;
        }
    }
    let n = y.len() as f64;
    let mut obj = sse.ln() * (0.5 * n);
    let mut g = dsse.map(|x| x * (0.5 * n) / sse);
    if MULT {
        obj += log_mu + prod.ln();
        for (gj, x) in g.iter_mut().zip(dlog) {
            *gj += x;
        }
    }
    Some((obj, g))
}

/// The search's coordinates, `x = (α, b, φ, l0/s, b0)` (`b` places β between its bounds, see
/// [`LOWER`]) with `s` the series' mean absolute value
/// and `b0` also divided by `s` for an additive trend, so that every coordinate is of order one.
/// `active` marks the ones the model estimates (the others stay fixed and unused).
struct Problem<'a> {
    spec: Spec,
    y: &'a [f64],
    scale: f64,
    active: [bool; DIM],
    /// Additive errors and an additive trend: the errors are affine in the initial states, so
    /// these are not searched but solved for at each point (least squares, see
    /// [`Problem::profiled`]).
    profile: bool,
}

/// Lower bounds of the coordinates: R's `1e-4 ≤ β ≤ α ≤ 0.9999` and `0.8 ≤ φ ≤ 0.98` become a box
/// with `β = 1e-4 + b·(α − 1e-4)`, `0 ≤ b ≤ 1` (so `b = 0` is `β = 1e-4` and `b = 1` is `β = α`);
/// the initial states are unbounded.
const LOWER: [f64; DIM] = [1e-4, 0.0, 0.8, f64::NEG_INFINITY, f64::NEG_INFINITY];
/// Upper bounds of the coordinates (see [`LOWER`]).
const UPPER: [f64; DIM] = [0.9999, 1.0, 0.98, f64::INFINITY, f64::INFINITY];

/// `β` from `α` and the coordinate `b` (see [`LOWER`]): `1e-4` at `b = 0`, exactly `α` at `b = 1`.
fn beta_of(alpha: f64, b: f64) -> f64 {
    if b >= 1.0 {
        alpha
    } else {
        (1e-4 + b * (alpha - 1e-4)).clamp(1e-4, alpha)
    }
}

/// The coordinate `b` of a `β` given as a fraction of `α` (see [`LOWER`]).
fn b_of_fraction(alpha: f64, fraction: f64) -> f64 {
    ((fraction * alpha - 1e-4) / (alpha - 1e-4)).clamp(0.0, 1.0)
}

impl Problem<'_> {
    /// `x` with its active coordinates clamped into the bounds.
    fn project(&self, mut x: [f64; DIM]) -> [f64; DIM] {
        for i in 0..DIM {
            if self.active[i] {
                x[i] = x[i].clamp(LOWER[i], UPPER[i]);
            }
        }
        x
    }

    /// The parameters at a point of the search (inside the bounds).
    fn params(&self, x: &[f64; DIM]) -> Params {
        let trend = self.spec.trend;
        Params {
            alpha: x[0],
            beta: if trend == TrendKind::None {
                0.0
            } else {
                beta_of(x[0], x[1])
            },
            phi: if self.spec.damped { x[2] } else { 1.0 },
            l0: x[3] * self.scale,
            b0: match trend {
                TrendKind::None => 0.0,
                TrendKind::Additive => x[4] * self.scale,
                TrendKind::Multiplicative => x[4],
            },
        }
    }

    /// `−loglik` at `x` (inside the bounds) with its gradient in `g` (zero on inactive
    /// coordinates); infinite outside the model's domain (`g` then unspecified).
    fn objective(&self, x: &[f64; DIM], g: &mut [f64; DIM]) -> f64 {
        let s = self.spec;
        match (s.error, s.trend, s.damped) {
            (ErrorKind::Additive, TrendKind::None, _) => self.run::<false, 0, false, 2>(x, g),
            (ErrorKind::Multiplicative, TrendKind::None, _) => self.run::<true, 0, false, 2>(x, g),
            // Profiled, the initial states are not searched (two or three coordinates).
            (ErrorKind::Additive, TrendKind::Additive, false) if self.profile => {
                self.run::<false, 1, false, 2>(x, g)
            }
            (ErrorKind::Additive, TrendKind::Additive, true) if self.profile => {
                self.run::<false, 1, true, 3>(x, g)
            }
            (ErrorKind::Additive, TrendKind::Additive, false) => {
                self.run::<false, 1, false, 4>(x, g)
            }
            (ErrorKind::Additive, TrendKind::Additive, true) => self.run::<false, 1, true, 5>(x, g),
            (ErrorKind::Multiplicative, TrendKind::Additive, false) => {
                self.run::<true, 1, false, 4>(x, g)
            }
            (ErrorKind::Multiplicative, TrendKind::Additive, true) => {
                self.run::<true, 1, true, 5>(x, g)
            }
            (ErrorKind::Additive, TrendKind::Multiplicative, false) => {
                self.run::<false, 2, false, 4>(x, g)
            }
            (ErrorKind::Additive, TrendKind::Multiplicative, true) => {
                self.run::<false, 2, true, 5>(x, g)
            }
            (ErrorKind::Multiplicative, TrendKind::Multiplicative, false) => {
                self.run::<true, 2, false, 4>(x, g)
            }
            (ErrorKind::Multiplicative, TrendKind::Multiplicative, true) => {
                self.run::<true, 2, true, 5>(x, g)
            }
        }
    }

    fn run<const MULT: bool, const TREND: u8, const DAMPED: bool, const K: usize>(
        &self,
        x: &[f64; DIM],
        g: &mut [f64; DIM],
    ) -> f64 {
        let profiled;
        let x = if self.profile {
            let Some(p) = self.profiled(x) else {
                return f64::INFINITY;
            };
            profiled = p;
            &profiled
        } else {
            x
        };
        // Tangent j is the j-th active coordinate.
        let mut idx = [0usize; K];
        let mut k = 0;
        for i in 0..DIM {
            if self.active[i] {
                idx[k] = i;
                k += 1;
            }
        }
        // The derivative of coordinate i (scaled by `factor`) along the searched ones.
        let seed = |i: usize, factor: f64| -> [f64; K] {
            std::array::from_fn(|j| if idx[j] == i { factor } else { 0.0 })
        };
        let zero = [0.0; K];
        let da = seed(0, 1.0);
        // β = 1e-4 + b·(α − 1e-4): ∂β/∂α = b, ∂β/∂b = α − 1e-4.
        let (beta, dbeta) = if TREND == 0 {
            (0.0, zero)
        } else {
            (
                beta_of(x[0], x[1]),
                lin2(x[1], &da, x[0] - 1e-4, &seed(1, 1.0)),
            )
        };
        let (phi, dphi) = if DAMPED {
            (x[2], seed(2, 1.0))
        } else {
            (1.0, zero)
        };
        let (l0, dl0) = (x[3] * self.scale, seed(3, self.scale));
        let (b0, db0) = match TREND {
            0 => (0.0, zero),
            1 => (x[4] * self.scale, seed(4, self.scale)),
            _ => (x[4], seed(4, 1.0)),
        };
        if TREND == 2 && b0 <= 0.0 {
            return f64::INFINITY;
        }
        *g = [0.0; DIM];
        match filter_grad::<MULT, TREND, DAMPED, K>(
            self.y,
            [x[0], beta, phi, l0, b0],
            [da, dbeta, dphi, dl0, db0],
        ) {
            Some((f, d)) if f.is_finite() && d.iter().all(|d| d.is_finite()) => {
                for j in 0..K {
                    g[idx[j]] = d[j];
                }
                f
            }
            _ => f64::INFINITY,
        }
    }

    /// `x` with the initial states that minimise Σε² at its α, β, φ (`x` itself unless the model
    /// is profiled: additive errors and trend). There the errors are affine in the initial
    /// states, `ε = c + l0·u + b0·v`: the recursion is run for `c` (from the data, states 0), `u`
    /// and `v` (no data, unit level or trend) side by side and the normal equations solved. At
    /// that point the gradient of `−loglik` in α, β, φ is the partial one (the states' own is
    /// zero), so the search needs no more. `None` when the equations are singular or not finite.
    fn profiled(&self, x: &[f64; DIM]) -> Option<[f64; DIM]> {
        if !self.profile {
            return Some(*x);
        }
        let p = self.params(x);
        let phi = p.phi;
        // States (level, trend) of the three parts.
        let (mut lc, mut bc, mut lu, mut bu, mut lv, mut bv) = (0.0, 0.0, 1.0, 0.0, 0.0, 1.0);
        let (mut uu, mut uv, mut vv, mut uc, mut vc) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for &yt in self.y {
            let ec = yt - (lc + phi * bc);
            let eu = -(lu + phi * bu);
            let ev = -(lv + phi * bv);
            uu += eu * eu;
            uv += eu * ev;
            vv += ev * ev;
            uc += eu * ec;
            vc += ev * ec;
            (lc, bc) = (lc + phi * bc + p.alpha * ec, phi * bc + p.beta * ec);
            (lu, bu) = (lu + phi * bu + p.alpha * eu, phi * bu + p.beta * eu);
            (lv, bv) = (lv + phi * bv + p.alpha * ev, phi * bv + p.beta * ev);
        }
        let det = uu * vv - uv * uv;
        if det.is_nan() || det <= 1e-14 * uu * vv {
            return None;
        }
        let mut out = *x;
        out[3] = (uv * vc - vv * uc) / det / self.scale;
        out[4] = (uv * uc - uu * vc) / det / self.scale;
        (out[3].is_finite() && out[4].is_finite()).then_some(out)
    }

    /// Whether a search at `x` with value `f` has come to one of the `ends` of earlier searches
    /// (value and point): within [`MERGE_DIST`] of it in every active coordinate and no lower.
    fn joins(&self, f: f64, x: &[f64; DIM], ends: &[(f64, [f64; DIM])]) -> bool {
        ends.iter().any(|(fe, xe)| {
            f >= *fe && (0..DIM).all(|i| !self.active[i] || (x[i] - xe[i]).abs() <= MERGE_DIST)
        })
    }

    /// The start `x0` (projected into the bounds) if the model's likelihood is finite there, else
    /// the first of its neighbours (each active coordinate moved by a tenth of itself, or 0.05
    /// near zero) where it is; `None` when there is none.
    fn first_finite(&self, x0: [f64; DIM]) -> Option<[f64; DIM]> {
        let mut g = [0.0; DIM];
        let x = self.project(x0);
        if self.objective(&x, &mut g).is_finite() {
            return Some(x);
        }
        (0..DIM).filter(|&i| self.active[i]).find_map(|i| {
            let mut v = x;
            v[i] += if x[i].abs() > 1e-3 {
                0.1 * x[i].abs()
            } else {
                0.05
            };
            let v = self.project(v);
            self.objective(&v, &mut g).is_finite().then_some(v)
        })
    }

    /// Minimises [`Problem::objective`] from `x0` (inside the model's domain) by a projected
    /// quasi-Newton search: BFGS on the coordinates not held at a bound (a coordinate is held
    /// while it sits on a bound with the gradient pushing outward), each step projected back into
    /// the bounds and shortened until it decreases the objective enough (Armijo). Ends when the
    /// projected gradient vanishes, the objective stops decreasing, or the search comes to one of
    /// the `ends` of earlier ones ([`Problem::joins`]). Returns the best value and point.
    fn minimise(
        &self,
        x0: [f64; DIM],
        model: Option<Hessian>,
        max_iter: usize,
        tol: f64,
        ends: &[(f64, [f64; DIM])],
    ) -> (f64, [f64; DIM], Option<Hessian>) {
        let act = self.active;
        let mut x = self.project(x0);
        let mut g = [0.0; DIM];
        let mut f = self.objective(&x, &mut g);
        if !f.is_finite() {
            return (f, x, None);
        }
        let mut b = [[0.0; DIM]; DIM];
        let identity = |b: &mut Hessian| {
            for (i, row) in b.iter_mut().enumerate() {
                *row = [0.0; DIM];
                row[i] = 1.0;
            }
        };
        identity(&mut b);
        let mut fresh = true;
        if let Some(m) = model {
            (b, fresh) = (m, false);
        }
        let mut stalls = 0;
        let mut gt = [0.0; DIM];
        let (lo, hi) = (LOWER, UPPER);
        for _ in 0..max_iter {
            let mut free = [false; DIM];
            let mut pg: f64 = 0.0;
            for i in 0..DIM {
                if act[i] {
                    let held = (x[i] <= lo[i] && g[i] > 0.0) || (x[i] >= hi[i] && g[i] < 0.0);
                    free[i] = !held;
                    pg = pg.max(((x[i] - g[i]).clamp(lo[i], hi[i]) - x[i]).abs());
                }
            }
            if pg <= 1e-12 {
                break;
            }
            let Some(d) = newton_direction(&b, &g, &free) else {
                if fresh {
                    break;
                }
                identity(&mut b);
                fresh = true;
                continue;
            };
            // Converged when the model promises no decrease beyond `tol` (relative); the identity
            // is no model of the curvature, so a fresh one promises nothing.
            let slope: f64 = (0..DIM).map(|i| g[i] * d[i]).sum();
            if !fresh && -slope <= tol * (1.0 + f.abs()) {
                break;
            }
            // The first step of a fresh (identity) model moves no coordinate by more than 0.1.
            let dmax = d.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
            let mut t = if fresh { (0.1 / dmax).min(1.0) } else { 1.0 };
            let mut accepted = false;
            for _ in 0..30 {
                let mut trial = x;
                for i in 0..DIM {
                    if free[i] {
                        trial[i] = x[i] + t * d[i];
                    }
                }
                let xt = self.project(trial);
                let ft = self.objective(&xt, &mut gt);
                let dec: f64 = (0..DIM).map(|i| g[i] * (xt[i] - x[i])).sum();
                if ft.is_finite() && ft < f && ft <= f + 1e-4 * dec {
                    accepted = true;
                    // Progress too small to matter: count towards stopping.
                    if f - ft <= 1e-15 * (1.0 + f.abs()) {
                        stalls += 1;
                    } else {
                        stalls = 0;
                    }
                    let mut s = [0.0; DIM];
                    let mut yv = [0.0; DIM];
                    for i in 0..DIM {
                        s[i] = xt[i] - x[i];
                        yv[i] = gt[i] - g[i];
                    }
                    bfgs_update(&mut b, &s, &yv, &mut fresh);
                    (x, f, g) = (xt, ft, gt);
                    break;
                }
                t *= if ft.is_finite() && dec < 0.0 {
                    // Minimum of the quadratic through f, the slope and ft, kept in [0.1, 0.5].
                    let q = -dec / (2.0 * (ft - f - dec));
                    if q.is_finite() {
                        q.clamp(0.1, 0.5)
                    } else {
                        0.5
                    }
                } else {
                    0.25
                };
            }
            if !accepted {
                if fresh {
                    break;
                }
                identity(&mut b);
                fresh = true;
            } else if stalls >= 3 || self.joins(f, &x, ends) {
                break;
            }
        }
        (f, x, (!fresh).then_some(b))
    }
}

/// The quasi-Newton direction on the free coordinates: solves `B_FF·d_F = −g_F` by Cholesky
/// (`d` zero elsewhere); `None` when `B_FF` is not positive definite or no coordinate is free.
fn newton_direction(
    b: &[[f64; DIM]; DIM],
    g: &[f64; DIM],
    free: &[bool; DIM],
) -> Option<[f64; DIM]> {
    let mut idx = [0usize; DIM];
    let mut n = 0;
    for (i, _) in free.iter().enumerate().filter(|(_, f)| **f) {
        idx[n] = i;
        n += 1;
    }
    if n == 0 {
        return None;
    }
    let mut l = [[0.0; DIM]; DIM];
    for r in 0..n {
        for c in 0..=r {
            let s = b[idx[r]][idx[c]] - (0..c).map(|k| l[r][k] * l[c][k]).sum::<f64>();
            if r == c {
                if s.is_nan() || s <= 0.0 {
                    return None;
                }
                l[r][r] = s.sqrt();
            } else {
                l[r][c] = s / l[c][c];
            }
        }
    }
    let mut z = [0.0; DIM];
    for r in 0..n {
        let mut s = -g[idx[r]];
        for k in 0..r {
            s -= l[r][k] * z[k];
        }
        z[r] = s / l[r][r];
    }
    let mut d = [0.0; DIM];
    for r in (0..n).rev() {
        let mut s = z[r];
        for k in r + 1..n {
            s -= l[k][r] * d[idx[k]];
        }
        d[idx[r]] = s / l[r][r];
    }
    d.iter().all(|v| v.is_finite()).then_some(d)
}

/// The BFGS update of the Hessian model `b` by a step `s` and the change `y` of the gradient
/// along it, skipped unless the curvature `s·y` is positive; a `fresh` (identity) model is first
/// scaled to `y·y/s·y`.
fn bfgs_update(b: &mut [[f64; DIM]; DIM], s: &[f64; DIM], y: &[f64; DIM], fresh: &mut bool) {
    let sy: f64 = (0..DIM).map(|i| s[i] * y[i]).sum();
    let yy: f64 = y.iter().map(|v| v * v).sum();
    let ss: f64 = s.iter().map(|v| v * v).sum();
    if sy.is_nan() || sy <= 1e-12 * (yy * ss).sqrt() {
        return;
    }
    if *fresh {
        let c = yy / sy;
        for (i, row) in b.iter_mut().enumerate() {
            *row = [0.0; DIM];
            row[i] = c;
        }
        *fresh = false;
    }
    let mut bs = [0.0; DIM];
    for i in 0..DIM {
        bs[i] = (0..DIM).map(|k| b[i][k] * s[k]).sum();
    }
    let sbs: f64 = (0..DIM).map(|i| s[i] * bs[i]).sum();
    if sbs.is_nan() || sbs <= 0.0 {
        return;
    }
    for i in 0..DIM {
        for k in 0..DIM {
            b[i][k] += y[i] * y[k] / sy - bs[i] * bs[k] / sbs;
        }
    }
}

/// The most coordinates the search has (α, β, φ, l0, b0).
const DIM: usize = 5;
#[cfg(test)]
mod tests {
    use super::*;

    /// A positive series with trend and swings (the peer series are in tests/ets.rs).
    fn wavy() -> Vec<f64> {
        (0..40)
            .map(|t| 100.0 + 3.0 * t as f64 + 12.0 * (0.7 * t as f64).sin())
            .collect()
    }

    /// The search's problem for a model; `profile` as [`Spec::fit`] sets it, or off.
    fn problem(spec: Spec, y: &[f64], profile: bool) -> Problem<'_> {
        let trend = spec.trend != TrendKind::None;
        let scale = y.iter().map(|v| v.abs()).sum::<f64>() / y.len() as f64;
        Problem {
            spec,
            y,
            scale,
            active: if profile {
                [true, trend, spec.damped, false, false]
            } else {
                [true, trend, spec.damped, true, trend]
            },
            profile,
        }
    }

    /// Central finite differences of `f` at `x` along the active coordinates.
    fn finite_differences(
        f: impl Fn(&[f64; DIM]) -> f64,
        x: &[f64; DIM],
        active: &[bool; DIM],
    ) -> [f64; DIM] {
        let mut d = [0.0; DIM];
        for i in (0..DIM).filter(|&i| active[i]) {
            let h = 1e-6 * (1.0 + x[i].abs());
            let (mut up, mut down) = (*x, *x);
            up[i] += h;
            down[i] -= h;
            d[i] = (f(&up) - f(&down)) / (2.0 * h);
        }
        d
    }

    #[test]
    fn the_gradient_is_the_recursions_derivative() {
        // The gradient of the differentiated recursion against finite differences of −loglik computed by
        // Spec::filter (the f64 recursion, a separate code path), every model, every searched
        // coordinate, at a point inside the bounds.
        let y = wavy();
        for spec in all_specs() {
            let p = problem(spec, &y, false);
            let b0 = if spec.trend == TrendKind::Multiplicative {
                1.02
            } else {
                2.0 / p.scale
            };
            let x = [0.4, 0.3, 0.9, y[0] / p.scale, b0];
            let minus_ll = |x: &[f64; DIM]| -spec.filter(&y, &p.params(x)).unwrap().0;
            let mut g = [0.0; DIM];
            let f = p.objective(&x, &mut g);
            assert!((f - minus_ll(&x)).abs() <= 1e-9 * f.abs(), "{spec}: {f}");
            let fd = finite_differences(minus_ll, &x, &p.active);
            for i in 0..DIM {
                assert!(
                    (g[i] - fd[i]).abs() <= 1e-5 * (1.0 + fd[i].abs()),
                    "{spec} coordinate {i}: gradient {} vs finite differences {}",
                    g[i],
                    fd[i]
                );
            }
        }
    }

    #[test]
    fn profiled_states_minimise_the_squared_errors() {
        // Additive errors and trend: the solved initial states give the least Σε² (by
        // Spec::filter) among their neighbours, and the profiled objective's gradient is the
        // derivative of −loglik at the solved states (finite differences through the solve).
        let y = wavy();
        for code in ["AAN", "AAdN"] {
            let spec = Spec::try_from(code).unwrap();
            let p = problem(spec, &y, true);
            let x = p.profiled(&[0.4, 0.3, 0.9, 0.0, 0.0]).unwrap();
            let sse = |x: &[f64; DIM]| spec.filter(&y, &p.params(x)).unwrap().1;
            for (i, step) in [(3, 1e-3), (3, -1e-3), (4, 1e-3), (4, -1e-3)] {
                let mut moved = x;
                moved[i] += step;
                assert!(sse(&x) < sse(&moved), "{code}: coordinate {i} by {step}");
            }
            let minus_ll = |x: &[f64; DIM]| {
                -spec
                    .filter(&y, &p.params(&p.profiled(x).unwrap()))
                    .unwrap()
                    .0
            };
            let mut g = [0.0; DIM];
            let f = p.objective(&x, &mut g);
            assert!((f - minus_ll(&x)).abs() <= 1e-9 * f.abs(), "{code}: {f}");
            let fd = finite_differences(minus_ll, &x, &p.active);
            for i in 0..DIM {
                assert!(
                    (g[i] - fd[i]).abs() <= 1e-5 * (1.0 + fd[i].abs()),
                    "{code} coordinate {i}: gradient {} vs finite differences {}",
                    g[i],
                    fd[i]
                );
            }
        }
    }

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
