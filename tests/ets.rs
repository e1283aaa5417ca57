//! ETS checked against a peer: Python statsmodels (its Holt-Winters test expectations, and its
//! `ETSModel` fitted on classic series by `scripts/ets_peer_reference.py`), plus the refusals of
//! bad input.
//!
//! # Log-likelihoods
//!
//! hwf (like R's forecast::ets) reports the *concentrated* log-likelihood
//! `−n/2·log SSE − Σ log|μ|` (the last sum for multiplicative errors only, `μ` the one-step
//! forecasts, SSE the sum of squared errors, relative ones for M errors). statsmodels' `ETSModel`
//! reports the *full* Gaussian one with the variance profiled out, `σ² = SSE/n`:
//!
//! ```text
//! full = −n/2·(log(2π·SSE/n) + 1) − Σ log|μ|
//!      = concentrated + n/2·log n − n/2·(1 + log 2π)
//! ```
//!
//! `conversion_is_verified_on_oil_against_r` checks this on the fpp2 oil series, where statsmodels'
//! log-likelihood at R's parameters, converted, must equal the log-likelihood R reported.

use hwf::model::ets::{self, ErrorKind, EtsError, Fit, Params, Spec, TrendKind};
use serde_json::Value;
use std::path::Path;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/timeseries")
            .join(name),
    )
    .unwrap()
}

/// The second column of a fixture CSV (header skipped), summed in blocks of `block` values.
fn column(name: &str, block: usize) -> Vec<f64> {
    let v: Vec<f64> = fixture(name)
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').nth(1).unwrap().trim().parse().unwrap())
        .collect();
    assert_eq!(v.len() % block, 0, "{name}");
    v.chunks(block).map(|c| c.iter().sum()).collect()
}

fn peer() -> Value {
    serde_json::from_str(&fixture("ets_peer_statsmodels.json")).unwrap()
}

fn series(entry: &Value) -> Vec<f64> {
    let y = column(
        entry["file"].as_str().unwrap(),
        entry["sum_blocks_of"].as_u64().unwrap() as usize,
    );
    assert_eq!(y.len() as u64, entry["n"].as_u64().unwrap());
    y
}

fn f(v: &Value, k: &str) -> f64 {
    v[k].as_f64()
        .unwrap_or_else(|| panic!("{k} missing in {v}"))
}

/// statsmodels' full Gaussian log-likelihood from the concentrated one (see the module docs).
fn full_from_concentrated(conc: f64, n: usize) -> f64 {
    let n = n as f64;
    conc + 0.5 * n * n.ln() - 0.5 * n * (1.0 + (2.0 * std::f64::consts::PI).ln())
}

fn concentrated_from_full(full: f64, n: usize) -> f64 {
    full - (full_from_concentrated(0.0, n))
}

fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

/// The peer's parameters and initial states in hwf's form (absent entries: no trend, no damping).
fn peer_params(fit: &Value) -> Params {
    Params {
        alpha: f(fit, "alpha"),
        beta: fit["beta"].as_f64().unwrap_or(0.0),
        phi: fit["phi"].as_f64().unwrap_or(1.0),
        l0: f(fit, "l0"),
        b0: fit["b0"].as_f64().unwrap_or(0.0),
    }
}

fn multiplicative(spec: Spec) -> bool {
    spec.error == ErrorKind::Multiplicative || spec.trend == TrendKind::Multiplicative
}

// ---------------------------------------------------------------------------------------------
// The log-likelihood conversion

#[test]
fn conversion_is_verified_on_oil_against_r() {
    let doc = peer();
    let checks = doc["r_oil_check"].as_object().unwrap();
    assert_eq!(checks.len(), 8, "R fitted 8 non-seasonal models on oil");
    let n = doc["series"]["oil"]["n"].as_u64().unwrap() as usize;
    assert_eq!(n, 49);
    for (code, c) in checks {
        let r = f(c, "r_loglik");
        let sm = f(c, "statsmodels_llf_at_r_params");
        // Both numbers come from the peers (R, statsmodels), none from hwf.
        assert!(
            (concentrated_from_full(sm, n) - r).abs() < 1e-6,
            "{code}: statsmodels {sm} converted {} vs R {r}",
            concentrated_from_full(sm, n)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// statsmodels' Holt-Winters test expectations (fpp examples), reproduced with hwf's recursions

fn hw_expectations() -> Value {
    serde_json::from_str(&fixture("holtwinters_reference_expectations.json")).unwrap()
}

/// Expected values of one assertion in the statsmodels tests, with its tolerance
/// (`assert_almost_equal(…, decimals)`: |difference| < 1.5·10^−decimals).
fn expected(test: &str, quantity: &str) -> (Vec<f64>, f64) {
    let doc = hw_expectations();
    let a = doc["assertions"][test]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["quantity"] == quantity)
        .unwrap_or_else(|| panic!("{test}: {quantity}"))
        .clone();
    let vals = match &a["expected"] {
        Value::Array(v) => v.iter().map(|x| x.as_f64().unwrap()).collect(),
        x => vec![x.as_f64().unwrap()],
    };
    let tol = 1.5 * 10f64.powi(-(a["decimals"].as_i64().unwrap() as i32));
    (vals, tol)
}

fn assert_close(what: &str, got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len(), "{what}");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() < tol,
            "{what}[{i}]: hwf {g} vs statsmodels {w}"
        );
    }
}

/// The states after each observation: the final state of every prefix, by hwf's `filter`.
fn states(spec: Spec, y: &[f64], p: &Params) -> Vec<(f64, f64)> {
    (1..=y.len())
        .map(|k| spec.filter(&y[..k], p).unwrap().2)
        .collect()
}

fn spec(code: &str) -> Spec {
    Spec::try_from(code).unwrap()
}

#[test]
fn simple_exponential_smoothing_matches_statsmodels_expectations() {
    // SES with α fixed and the initial level the first observation ("legacy-heuristic") is
    // ETS(A,N,N) with l0 = y0.
    let y = column("fpp_oil_1996_2007.csv", 1);
    let ann = spec("ANN");
    let p = |alpha| Params {
        alpha,
        beta: 0.0,
        phi: 1.0,
        l0: y[0],
        b0: 0.0,
    };
    let levels: Vec<f64> = states(ann, &y, &p(0.2)).iter().map(|s| s.0).collect();
    let (want, tol) = expected("test_simple_exp_smoothing", "fit1.level");
    assert_close("SES α=0.2 levels", &levels, &want, tol);
    for (alpha, q) in [(0.2, "fit1.forecast(1)"), (0.6, "fit2.forecast(1)")] {
        let fit = ann.evaluate(&y, p(alpha)).unwrap().unwrap();
        let (want, tol) = expected("test_simple_exp_smoothing", q);
        assert_close(q, &fit.forecast(1), &want, tol);
    }
}

#[test]
fn simple_smoothing_fitted_is_the_least_squares_one() {
    // statsmodels' fit3 estimates α and l0 by least squares (SSE); hwf maximises the likelihood,
    // which for additive errors is −n/2·log SSE: the same optimum. The bounds differ (statsmodels
    // 0 ≤ α ≤ 1, hwf 1e-4 ≤ α ≤ 0.9999) but its α = 0.892 is inside both, so hwf's SSE must be no
    // larger than statsmodels' at its published parameters (computed here by hwf's recursion).
    let y = column("fpp_oil_1996_2007.csv", 1);
    let ann = spec("ANN");
    let (alpha, _) = expected(
        "test_simple_exp_smoothing",
        "fit3.params['smoothing_level']",
    );
    let (l0, _) = expected("test_simple_exp_smoothing", "fit3.params['initial_level']");
    let published = Params {
        alpha: alpha[0],
        beta: 0.0,
        phi: 1.0,
        l0: l0[0],
        b0: 0.0,
    };
    let (_, sse_sm, _) = ann.filter(&y, &published).unwrap();
    // hwf's recursion at statsmodels' own full-precision optimum gives its SSE.
    let sm = &peer()["holtwinters"]["ses_fit3_oil_1996_2007"];
    let full = Params {
        alpha: f(sm, "alpha"),
        l0: f(sm, "l0"),
        ..published
    };
    assert!(rel(ann.filter(&y, &full).unwrap().1, f(sm, "sse")) < 1e-9);
    let fit = ann.fit(&y).unwrap();
    let (_, sse_hwf, _) = ann.filter(&y, &fit.params).unwrap();
    assert!(
        sse_hwf <= sse_sm * (1.0 + 1e-9),
        "hwf SSE {sse_hwf} vs statsmodels {sse_sm}"
    );
    // The optimum is flat but well defined: the parameters and forecast agree closely.
    let (fc, _) = expected("test_simple_exp_smoothing", "fit3.forecast(1)");
    assert!(
        (fit.params.alpha - alpha[0]).abs() < 1e-3,
        "{:?}",
        fit.params
    );
    assert!((fit.params.l0 - l0[0]).abs() < 0.05, "{:?}", fit.params);
    assert!(
        (fit.forecast(1)[0] - fc[0]).abs() < 1e-2,
        "{:?}",
        fit.forecast(1)
    );
}

#[test]
fn holt_linear_matches_statsmodels_expectations() {
    // Holt's α = 0.8, β* = 0.2 in component form are ETS(A,A,N) with α = 0.8, β = α·β* = 0.16;
    // "legacy-heuristic" initial states: l0 = y0, b0 = y1 − y0.
    let y = column("fpp_ausair_1990_2004.csv", 1);
    let aan = spec("AAN");
    let p = Params {
        alpha: 0.8,
        beta: 0.8 * 0.2,
        phi: 1.0,
        l0: y[0],
        b0: y[1] - y[0],
    };
    let st = states(aan, &y, &p);
    let trend: Vec<f64> = st.iter().map(|s| s.1).collect();
    let (want, tol) = expected("test_holt", "fit1.trend");
    assert_close("Holt trend", &trend, &want, tol);
    // One-step forecasts: from the initial states, then from the state after each observation.
    let fitted: Vec<f64> = std::iter::once((p.l0, p.b0))
        .chain(st)
        .map(|s| aan.forecast(s, 1.0, 1)[0])
        .collect();
    let (want, tol) = expected("test_holt", "fit1.fittedfcast");
    assert_close("Holt fittedfcast", &fitted, &want, tol);
    let fit = aan.evaluate(&y, p).unwrap().unwrap();
    let (want, tol) = expected("test_holt", "fit1.forecast(5)");
    assert_close("Holt forecast", &fit.forecast(5), &want, tol);
}

#[test]
fn holt_exponential_trend_matches_statsmodels_expectations() {
    // statsmodels' exponential Holt, l = α·y + (1−α)·l·b, b = β*·l/l_prev + (1−β*)·b, is
    // ETS(A,M,N) with β = α·β*: substituting ε = y − l·b gives l' = l·b + αε, b' = b + α·β*·ε/l.
    // "legacy-heuristic": l0 = y0, b0 = y1/y0.
    let y = column("fpp_ausair_1990_2004.csv", 1);
    let amn = spec("AMN");
    let p = Params {
        alpha: 0.8,
        beta: 0.8 * 0.2,
        phi: 1.0,
        l0: y[0],
        b0: y[1] / y[0],
    };
    let fit = amn.evaluate(&y, p).unwrap().unwrap();
    let (want, tol) = expected("test_holt", "fit2.forecast(5)");
    assert_close("exponential Holt forecast", &fit.forecast(5), &want, tol);
}

#[test]
fn damped_holt_least_squares_fit_is_matched_and_beaten() {
    // statsmodels' fit3 fixes α = 0.8, β* = 0.2 and estimates φ, l0, b0 by least squares. Its
    // φ, l0 and b0 are not in the published expectations; the generator stored them. At those,
    // hwf's recursion must give statsmodels' forecasts (published to 2 decimals) and SSE.
    let y = column("fpp_ausair_1990_2004.csv", 1);
    let aadn = spec("AAdN");
    let sm = &peer()["holtwinters"]["holt_damped_fit3_ausair"];
    let p = Params {
        alpha: f(sm, "alpha"),
        beta: f(sm, "alpha") * f(sm, "beta_star"),
        phi: f(sm, "phi"),
        l0: f(sm, "l0"),
        b0: f(sm, "b0"),
    };
    let at_sm = aadn.evaluate(&y, p).unwrap().unwrap();
    let (want, tol) = expected("test_holt", "fit3.forecast(5)");
    assert_close("damped Holt forecast", &at_sm.forecast(5), &want, tol);
    let (_, sse_sm, _) = aadn.filter(&y, &p).unwrap();
    assert!(rel(sse_sm, f(sm, "sse")) < 1e-9, "{sse_sm}");
    // hwf estimates α and β as well, and maximum likelihood with additive errors is least
    // squares. statsmodels' point (α 0.8, β 0.16, φ 0.878) lies inside hwf's bounds
    // (0.8 ≤ φ ≤ 0.98), so hwf's optimum can be no worse. The forecasts are not compared: they
    // answer a different question (α, β free).
    assert!((0.8..=0.98).contains(&p.phi));
    let fit = aadn.fit(&y).unwrap();
    let (_, sse_hwf, _) = aadn.filter(&y, &fit.params).unwrap();
    assert!(
        sse_hwf <= sse_sm * (1.0 + 1e-9),
        "hwf SSE {sse_hwf} vs statsmodels {sse_sm}"
    );
}

// ---------------------------------------------------------------------------------------------
// statsmodels' ETSModel on classic series

/// Every (series, spec, peer fit) whose one-step forecasts stay in the model's domain. statsmodels
/// clips non-positive one-step forecasts in its likelihood instead of refusing them, and on lynx
/// it ends several multiplicative fits at negative levels: those are no likelihoods to compare
/// with; `peer_fits_outside_the_domain_are_refused` covers them.
fn peer_fits() -> Vec<(String, Vec<f64>, Spec, Value)> {
    let doc = peer();
    let mut out = Vec::new();
    for (name, entry) in doc["series"].as_object().unwrap() {
        let y = series(entry);
        for (code, fit) in entry["fits"].as_object().unwrap() {
            let s = spec(code);
            if multiplicative(s) && f(fit, "min_fitted") <= 0.0 {
                continue;
            }
            out.push((name.clone(), y.clone(), s, fit.clone()));
        }
    }
    out
}

#[test]
fn peer_reference_covers_the_classic_series() {
    let doc = peer();
    let names: Vec<&String> = doc["series"].as_object().unwrap().keys().collect();
    for want in [
        "oil",
        "nile",
        "lynx",
        "airline_annual",
        "shampoo",
        "sunspots",
        "ausair",
    ] {
        assert!(names.iter().any(|n| *n == want), "{want} missing");
    }
    assert_eq!(doc["versions"]["statsmodels"], "0.14.5");
    // Every series has every model either fitted or refused with a reason.
    for (name, entry) in doc["series"].as_object().unwrap() {
        let fitted = entry["fits"].as_object().unwrap().len();
        let refused = entry["refused"].as_object().unwrap().len();
        assert_eq!(fitted + refused, 10, "{name}");
    }
    assert!(peer_fits().len() >= 45, "{}", peer_fits().len());
}

#[test]
fn at_statsmodels_parameters_loglik_and_forecasts_agree() {
    let mut worst: Vec<(String, f64, f64)> = Vec::new();
    for (name, y, s, fit) in peer_fits() {
        let hwf = s.evaluate(&y, peer_params(&fit)).unwrap().unwrap();
        let full = full_from_concentrated(hwf.loglik, y.len());
        let llf = f(&fit, "llf");
        let d_ll = rel(full, llf);
        assert!(
            d_ll < 1e-3,
            "{name} {s}: hwf {full} (concentrated {}) vs statsmodels {llf}",
            hwf.loglik
        );
        let want: Vec<f64> = fit["forecast"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let got = hwf.forecast(want.len());
        let mut d_fc: f64 = 0.0;
        for (h, (g, w)) in got.iter().zip(&want).enumerate() {
            d_fc = d_fc.max(rel(*g, *w));
            assert!(
                rel(*g, *w) < 1e-3,
                "{name} {s} h={}: hwf {g} vs statsmodels {w}",
                h + 1
            );
        }
        worst.push((format!("{name} {s}"), d_ll, d_fc));
    }
    for (what, d_ll, d_fc) in worst {
        eprintln!("{what:<28} loglik rel diff {d_ll:.1e}  forecast max rel diff {d_fc:.1e}");
    }
}

#[test]
fn peer_fits_outside_the_domain_are_refused() {
    // A multiplicative model whose one-step forecast is ≤ 0 has no likelihood; hwf's evaluate
    // says so (None) rather than scoring it, and its own fit stays in the domain.
    let doc = peer();
    let mut seen = 0;
    for (name, entry) in doc["series"].as_object().unwrap() {
        let y = series(entry);
        for (code, fit) in entry["fits"].as_object().unwrap() {
            let s = spec(code);
            if !(multiplicative(s) && f(fit, "min_fitted") <= 0.0) {
                continue;
            }
            seen += 1;
            assert_eq!(
                s.evaluate(&y, peer_params(fit)).unwrap(),
                None,
                "{name} {s}"
            );
            let own = s.fit(&y).unwrap();
            assert!(own.loglik.is_finite(), "{name} {s}");
        }
    }
    assert!(seen > 0, "lynx has such fits in statsmodels 0.14.5");
}

#[test]
fn fitted_from_scratch_hwf_is_at_least_as_good_as_statsmodels() {
    // Bounds differ slightly: statsmodels 1e-4·α ≤ β ≤ 0.9999·α, hwf 1e-4 ≤ β ≤ α. Where
    // statsmodels' β falls below 1e-4 (several fits here) hwf cannot reach its point exactly; the
    // loss from that is far inside the 0.01 % allowed.
    let mut report = Vec::new();
    for (name, y, s, fit) in peer_fits() {
        let sm = concentrated_from_full(f(&fit, "llf"), y.len());
        let own = s.fit(&y).unwrap();
        report.push(format!(
            "{name} {s}: hwf {:.5} statsmodels {sm:.5} (hwf − statsmodels {:+.5})",
            own.loglik,
            own.loglik - sm
        ));
        assert!(
            own.loglik >= sm - 1e-4 * sm.abs(),
            "{name} {s}: hwf {} vs statsmodels {sm}",
            own.loglik
        );
    }
    for r in report {
        eprintln!("{r}");
    }
}

#[test]
fn auto_picks_the_lowest_aicc_on_each_series() {
    let doc = peer();
    for (name, entry) in doc["series"].as_object().unwrap() {
        let y = series(entry);
        let best = ets::auto(&y).unwrap();
        let own: Vec<Fit> = ets::all_specs()
            .into_iter()
            .filter_map(|s| s.fit(&y).ok())
            .collect();
        assert!(!own.is_empty());
        for o in &own {
            assert!(
                best.aicc() <= o.aicc() + 1e-9,
                "{name}: auto chose {} (AICc {}) over {} (AICc {})",
                best.spec,
                best.aicc(),
                o.spec,
                o.aicc()
            );
        }
        // Independently of hwf's own fits: no valid statsmodels fit has a lower AICc (R's
        // formula, k = parameters + initial states) than hwf's choice, beyond the 0.01 %
        // tolerance on the log-likelihood.
        let n = y.len() as f64;
        for (code, fit) in entry["fits"].as_object().unwrap() {
            let s = spec(code);
            if multiplicative(s) && f(fit, "min_fitted") <= 0.0 {
                continue;
            }
            let ll = concentrated_from_full(f(fit, "llf"), y.len());
            let k = s.n_params() as f64;
            let aicc = -2.0 * ll + 2.0 * k + 2.0 * k * (k + 1.0) / (n - k - 1.0);
            assert!(
                best.aicc() <= aicc + 2e-4 * ll.abs(),
                "{name}: hwf's choice {} AICc {} vs statsmodels {s} {aicc}",
                best.spec,
                best.aicc()
            );
        }
        // A series with zeros gets an additive model.
        if entry["refused"].as_object().unwrap().len() == 7 {
            assert!(!multiplicative(best.spec), "{name}: {}", best.spec);
        }
        eprintln!("{name}: auto chose {} (AICc {:.3})", best.spec, best.aicc());
    }
}

// ---------------------------------------------------------------------------------------------
// Bad input

fn positive(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| 10.0 + i as f64 + (i as f64 * 1.7).sin())
        .collect()
}

#[test]
fn series_too_short_for_the_model_are_refused_clearly() {
    for s in ets::all_specs() {
        let needed = s.n_params() + 2;
        let y = positive(needed - 1);
        for e in [
            s.fit(&y).unwrap_err(),
            s.evaluate(
                &y,
                Params {
                    alpha: 0.5,
                    beta: 0.1,
                    phi: 0.9,
                    l0: 10.0,
                    b0: 1.0,
                },
            )
            .unwrap_err(),
        ] {
            assert_eq!(
                e,
                EtsError::TooShort {
                    spec: s.to_string(),
                    n: needed - 1,
                    needed
                },
                "{s}"
            );
            let msg = e.to_string();
            assert!(
                msg.contains(&format!(
                    "{s}: a series of {} values is too short; expected at least {needed}",
                    needed - 1
                )),
                "{msg}"
            );
        }
        assert!(s.fit(&positive(needed + 3)).is_ok(), "{s}");
    }
    assert!(matches!(
        spec("ANN").fit(&[]),
        Err(EtsError::TooShort { n: 0, .. })
    ));
    // auto: too short for every model → the simplest model's requirement.
    let e = ets::auto(&[1.0, 2.0, 3.0]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "ETS(A,N,N): a series of 3 values is too short; expected at least 4"
    );
    // Long enough for the simple models only: auto still chooses among those.
    let best = ets::auto(&positive(5)).unwrap();
    assert_eq!(best.spec.trend, TrendKind::None, "{}", best.spec);
}

#[test]
fn gaps_are_refused_with_their_position() {
    let base = positive(20);
    for (index, value) in [
        (0, f64::NAN),
        (7, f64::NAN),
        (19, f64::NAN),
        (3, f64::INFINITY),
        (11, f64::NEG_INFINITY),
    ] {
        let mut y = base.clone();
        y[index] = value;
        for s in ets::all_specs() {
            let e = s.fit(&y).unwrap_err();
            assert!(
                matches!(e, EtsError::NotFinite { index: i, .. } if i == index),
                "{s}: {e:?}"
            );
            let msg = e.to_string();
            assert!(
                msg.contains(&format!("value {index} of the series is"))
                    && msg.contains("expected a finite number (fill or cut gaps first)"),
                "{msg}"
            );
        }
        let p = Params {
            alpha: 0.5,
            beta: 0.1,
            phi: 0.9,
            l0: 10.0,
            b0: 1.0,
        };
        assert!(matches!(
            spec("MAdN").evaluate(&y, p),
            Err(EtsError::NotFinite { index: i, .. }) if i == index
        ));
        assert!(matches!(
            ets::auto(&y),
            Err(EtsError::NotFinite { index: i, .. }) if i == index
        ));
    }
    // A gap is reported before the series is found too short.
    assert!(matches!(
        spec("AAdN").fit(&[1.0, f64::NAN]),
        Err(EtsError::NotFinite { index: 1, .. })
    ));
}

#[test]
fn non_positive_values_are_refused_by_multiplicative_models_only() {
    let base = positive(20);
    for (index, value) in [(0, 0.0), (9, -3.5), (19, 0.0)] {
        let mut y = base.clone();
        y[index] = value;
        for s in ets::all_specs() {
            let r = s.fit(&y);
            if multiplicative(s) {
                let e = r.unwrap_err();
                assert_eq!(
                    e,
                    EtsError::NotPositive {
                        spec: s.to_string(),
                        index,
                        value
                    }
                );
                assert_eq!(
                    e.to_string(),
                    format!("{s} needs positive values, but value {index} is {value}")
                );
            } else {
                assert!(r.is_ok(), "{s}: {r:?}");
            }
        }
        // auto falls back to the additive models.
        let best = ets::auto(&y).unwrap();
        assert!(!multiplicative(best.spec), "{}", best.spec);
    }
    // All values negative: additive models work; evaluate refuses a multiplicative one too.
    let neg: Vec<f64> = base.iter().map(|v| -v).collect();
    assert!(spec("AAdN").fit(&neg).is_ok());
    assert!(matches!(
        spec("AMN").evaluate(
            &neg,
            Params {
                alpha: 0.5,
                beta: 0.1,
                phi: 1.0,
                l0: 10.0,
                b0: 1.0
            }
        ),
        Err(EtsError::NotPositive { index: 0, .. })
    ));
}
